/*
 * The working-day calendar of Vietnam: weekends, the statutory holidays
 * (computed for any year, including Tết and Giỗ Tổ from the Vietnamese lunar
 * calendar at UTC+7), nghỉ bù, and a site's extra holidays and workdays.
 */
#ifndef CK_CALENDAR_H
#define CK_CALENDAR_H

#include <stdbool.h>

#include "date.h"

/* The Vietnamese lunar calendar (UTC+7), years 1900..2199. */
typedef struct {
	int year, month, day; /* lunar year is the solar year Tết falls in */
	bool leap;            /* day is in a leap (intercalary) month */
} ck_lunar_date;

void ck_lunar_from_day(ck_lunar_date *out, ck_day day);
/* Returns CK_NODAY when the lunar date does not exist that year. */
ck_day ck_lunar_to_day(int year, int month, int day, bool leap);
/* Lunar 1/1 of the lunar year starting in solar `year`. */
ck_day ck_lunar_tet(int year);

typedef struct ck_calendar ck_calendar;

/* A calendar with only the statutory rules; free with ck_calendar_free. */
ck_calendar *ck_calendar_new(void);
void ck_calendar_free(ck_calendar *c); /* accepts NULL */
/* A site's extra day off (name may be NULL) / extra working day. */
void ck_calendar_add_holiday(ck_calendar *c, ck_day day, const char *name);
void ck_calendar_add_workday(ck_calendar *c, ck_day day);

bool ck_calendar_is_workday(ck_calendar *c, ck_day day);
/*
 * The name of the holiday on `day` ("Tết Nguyên Đán", "Nghỉ bù", a site's
 * own name), or NULL when it is not a holiday. Owned by the calendar.
 */
const char *ck_calendar_holiday_name(ck_calendar *c, ck_day day);
/* What the calendar knows of one day (ck_calendar_describe). */
typedef struct {
	bool statutory;    /* a statutory holiday, nghỉ bù included */
	bool compensatory; /* nghỉ bù: for a holiday on a Saturday or Sunday */
	bool site_holiday; /* added by the site (site.yaml holidays) */
	bool site_workday; /* made a working day by the site (workdays) */
} ck_calendar_info;

/* Fills *out for day (all false outside years 1..9999). */
void ck_calendar_describe(ck_calendar_info *out, ck_calendar *c, ck_day day);
/*
 * True when the site added a holiday or a working day between from and to
 * (both included): it has entered what the Government decided there.
 */
bool ck_calendar_site_changed(ck_calendar *c, ck_day from, ck_day to);
/* "D + N working days" as content-format.md defines it (N >= 0). */
ck_day ck_calendar_add_workdays(ck_calendar *c, ck_day start, int n);

#endif
