/*
 * Calendar dates as day numbers, and the two notations staff write.
 * A ck_day counts days since 1970-01-01 in the proleptic Gregorian calendar;
 * congkhai always means the day in Asia/Ho_Chi_Minh (UTC+7).
 */
#ifndef CK_DATE_H
#define CK_DATE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef int ck_day;
#define CK_NODAY INT_MIN

bool ck_ymd_valid(int y, int m, int d);
ck_day ck_day_from_ymd(int y, int m, int d); /* no validation */
void ck_day_to_ymd(ck_day day, int *y, int *m, int *d);
/* 0 = Sunday, 1 = Monday, ..., 6 = Saturday. */
int ck_day_weekday(ck_day day);

typedef enum {
	CK_DATE_OK = 0,
	CK_DATE_SYNTAX = -1,     /* neither YYYY-MM-DD nor DD/MM/YYYY */
	CK_DATE_IMPOSSIBLE = -2  /* well formed, but no such day */
} ck_date_status;

/*
 * Parses "YYYY-MM-DD" or "DD/MM/YYYY" (day and month may have one digit in
 * the Vietnamese notation: "5/1/2024"). Leading/trailing blanks are not
 * accepted. Years 1900..2199.
 */
ck_date_status ck_date_parse(ck_day *out, const char *s, size_t len);
/* "HH:MM", 00:00..23:59; *minutes since midnight. 0 or -1. */
int ck_time_parse(int *minutes, const char *s, size_t len);

/* out must hold 11 bytes: "YYYY-MM-DD". */
void ck_day_iso(char out[11], ck_day day);
/* "DD/MM/YYYY" appended to b. */
void ck_day_put_vn(ck_buf *b, ck_day day);
/* Today in UTC+7, from the system clock. */
ck_day ck_day_today(void);

#endif
