/*
 * The Vietnamese lunar calendar (UTC+7), the statutory holidays with nghỉ
 * bù, site overrides, and "D + N working days".
 */
#include <stdlib.h>

#include "calendar.h"
#include "harness.h"

static ck_day
ymd(int y, int m, int d)
{
	return ck_day_from_ymd(y, m, d);
}

/* Tết (lunar 1/1) in Vietnam. These match the Chinese New Year except in
 * 1968, 1985, 2007 and 2030, where UTC+7 puts a new moon a day earlier. */
static const struct {
	int y, m, d;
} tet[] = {
    {1968, 1, 29}, {1985, 1, 21}, {1990, 1, 27}, {1991, 2, 15}, {1992, 2, 4},
    {1993, 1, 23}, {1994, 2, 10}, {1995, 1, 31}, {1996, 2, 19}, {1997, 2, 7},
    {1998, 1, 28}, {1999, 2, 16}, {2000, 2, 5},  {2001, 1, 24}, {2002, 2, 12},
    {2003, 2, 1},  {2004, 1, 22}, {2005, 2, 9},  {2006, 1, 29}, {2007, 2, 17},
    {2008, 2, 7},  {2009, 1, 26}, {2010, 2, 14}, {2011, 2, 3},  {2012, 1, 23},
    {2013, 2, 10}, {2014, 1, 31}, {2015, 2, 19}, {2016, 2, 8},  {2017, 1, 28},
    {2018, 2, 16}, {2019, 2, 5},  {2020, 1, 25}, {2021, 2, 12}, {2022, 2, 1},
    {2023, 1, 22}, {2024, 2, 10}, {2025, 1, 29}, {2026, 2, 17}, {2027, 2, 6},
    {2028, 1, 26}, {2029, 2, 13}, {2030, 2, 2},
};

static void
test_tet(void)
{
	size_t i;

	for (i = 0; i < sizeof(tet) / sizeof(tet[0]); i++) {
		ck_day got = ck_lunar_tet(tet[i].y);

		if (got != ymd(tet[i].y, tet[i].m, tet[i].d)) {
			char iso[11];

			ck_day_iso(iso, got);
			fprintf(stderr, "Tết %d: got %s, want %02d-%02d\n",
			        tet[i].y, iso, tet[i].m, tet[i].d);
		}
		CHECK_INT(got, ymd(tet[i].y, tet[i].m, tet[i].d));
	}
	/* China had 1985-02-20 and 2007-02-18: not ours. */
	CHECK(ck_lunar_tet(1985) != ymd(1985, 2, 20));
	CHECK(ck_lunar_tet(2007) != ymd(2007, 2, 18));
	CHECK(ck_lunar_tet(2030) != ymd(2030, 2, 3));
	CHECK_INT(ck_lunar_tet(1899), ymd(1899, 2, 10));
	CHECK_INT(ck_lunar_tet(1800), CK_NODAY);
	CHECK_INT(ck_lunar_tet(2300), CK_NODAY);
}

static void
test_known_days(void)
{
	ck_lunar_date l;

	/* Giỗ Tổ Hùng Vương, lunar 10/3. */
	CHECK_INT(ck_lunar_to_day(2022, 3, 10, false), ymd(2022, 4, 10));
	CHECK_INT(ck_lunar_to_day(2023, 3, 10, false), ymd(2023, 4, 29));
	CHECK_INT(ck_lunar_to_day(2024, 3, 10, false), ymd(2024, 4, 18));
	CHECK_INT(ck_lunar_to_day(2025, 3, 10, false), ymd(2025, 4, 7));
	CHECK_INT(ck_lunar_to_day(2026, 3, 10, false), ymd(2026, 4, 26));
	/* Tết Trung thu (15/8) and Vu Lan (15/7, after 2025's leap 6). */
	CHECK_INT(ck_lunar_to_day(2024, 8, 15, false), ymd(2024, 9, 17));
	CHECK_INT(ck_lunar_to_day(2025, 8, 15, false), ymd(2025, 10, 6));
	CHECK_INT(ck_lunar_to_day(2025, 7, 15, false), ymd(2025, 9, 6));

	/* The last day of a lunar year: 30/12 or 29/12. */
	ck_lunar_from_day(&l, ymd(2024, 2, 9));
	CHECK_INT(l.year, 2023);
	CHECK_INT(l.month, 12);
	CHECK_INT(l.day, 30);
	CHECK(!l.leap);
	ck_lunar_from_day(&l, ymd(2025, 1, 28));
	CHECK_INT(l.year, 2024);
	CHECK_INT(l.month, 12);
	CHECK_INT(l.day, 29);
	ck_lunar_from_day(&l, ymd(2024, 2, 10));
	CHECK_INT(l.year, 2024);
	CHECK_INT(l.month, 1);
	CHECK_INT(l.day, 1);
	/* 1900-01-01 is still in lunar year 1899. */
	ck_lunar_from_day(&l, ymd(1900, 1, 1));
	CHECK_INT(l.year, 1899);
	CHECK_INT(l.month, 12);
	CHECK_INT(l.day, 1);
	ck_lunar_from_day(&l, ymd(2199, 12, 31));
	CHECK_INT(l.year, 2199);
	CHECK(l.month == 11 || l.month == 12);
	/* Outside the table: all zero. */
	ck_lunar_from_day(&l, ymd(1700, 1, 1));
	CHECK_INT(l.year, 0);
	CHECK_INT(l.month, 0);
	CHECK_INT(l.day, 0);
}

/* The leap month of a lunar year, 0 when there is none. */
static int
leap_month(int year)
{
	int m, found = 0;

	for (m = 1; m <= 12; m++)
		if (ck_lunar_to_day(year, m, 1, true) != CK_NODAY)
			found = found ? -1 : m;
	return found;
}

static void
test_leap_months(void)
{
	ck_lunar_date l;

	CHECK_INT(leap_month(2020), 4);
	CHECK_INT(leap_month(2023), 2);
	CHECK_INT(leap_month(2025), 6);
	CHECK_INT(leap_month(2017), 6);
	CHECK_INT(leap_month(2014), 9);
	CHECK_INT(leap_month(2012), 4);
	CHECK_INT(leap_month(2009), 5);
	CHECK_INT(leap_month(2006), 7);
	CHECK_INT(leap_month(2004), 2);
	CHECK_INT(leap_month(2001), 4);
	CHECK_INT(leap_month(2028), 5);
	/* Vietnam 1985 leap 2 where China had 1984 leap 10. */
	CHECK_INT(leap_month(1984), 0);
	CHECK_INT(leap_month(1985), 2);
	/* 2033: the rare leap month 11, before the next Tết. */
	CHECK_INT(leap_month(2033), 11);
	CHECK_INT(ck_lunar_to_day(2033, 11, 1, true), ymd(2033, 12, 22));
	ck_lunar_from_day(&l, ymd(2034, 1, 5));
	CHECK_INT(l.year, 2033);
	CHECK_INT(l.month, 11);
	CHECK(l.leap);
	CHECK_INT(leap_month(2021), 0);
	CHECK_INT(leap_month(2022), 0);
	CHECK_INT(leap_month(2024), 0);

	/* The first days of 2023's leap 2 and of the month 2 before it. */
	CHECK_INT(ck_lunar_to_day(2023, 2, 1, false), ymd(2023, 2, 20));
	CHECK_INT(ck_lunar_to_day(2023, 2, 1, true), ymd(2023, 3, 22));
	ck_lunar_from_day(&l, ymd(2023, 4, 1));
	CHECK_INT(l.month, 2);
	CHECK_INT(l.day, 11);
	CHECK(l.leap);
}

static void
test_invalid(void)
{
	CHECK_INT(ck_lunar_to_day(2024, 3, 10, true), CK_NODAY);
	CHECK_INT(ck_lunar_to_day(2024, 13, 1, false), CK_NODAY);
	CHECK_INT(ck_lunar_to_day(2024, 0, 1, false), CK_NODAY);
	CHECK_INT(ck_lunar_to_day(2024, 1, 0, false), CK_NODAY);
	CHECK_INT(ck_lunar_to_day(2024, 1, 31, false), CK_NODAY);
	/* 2024's month 12 has 29 days (Tết 2025 is 29 days after it). */
	CHECK_INT(ck_lunar_to_day(2024, 12, 29, false), ymd(2025, 1, 28));
	CHECK_INT(ck_lunar_to_day(2024, 12, 30, false), CK_NODAY);
	CHECK_INT(ck_lunar_to_day(2023, 12, 30, false), ymd(2024, 2, 9));
}

/*
 * from_day and to_day invert each other on every day of 1900..2199; months
 * have 29 or 30 days; a lunar year has 12 months, or 13 with exactly one
 * leap month; Tết falls between 21 January and 20 February.
 */
static void
test_whole_range(void)
{
	ck_day d, first = ymd(1900, 1, 1), last = ymd(2199, 12, 31);
	ck_lunar_date l, prev = {0, 0, 0, false};
	int bad_inverse = 0, bad_step = 0, bad_len = 0, bad_year = 0;
	int y, months = 0, leaps = 0, bad_tet = 0;

	for (d = first; d <= last; d++) {
		ck_lunar_from_day(&l, d);
		if (ck_lunar_to_day(l.year, l.month, l.day, l.leap) != d)
			bad_inverse++;
		if (d > first) {
			if (l.day == 1) {
				/* A new month: the old one had 29 or 30. */
				if (prev.day != 29 && prev.day != 30)
					bad_len++;
				if (l.year != prev.year) {
					if (l.year != prev.year + 1 ||
					    l.month != 1 || l.leap ||
					    prev.month != 12 || prev.leap)
						bad_year++;
					if (prev.year >= 1900 &&
					    (months != 12 + leaps || leaps > 1))
						bad_year++;
					months = leaps = 0;
				}
				months++;
				leaps += l.leap;
				/* A leap month repeats the month before it. */
				if (l.leap && l.month != prev.month)
					bad_step++;
				if (!l.leap && l.year == prev.year &&
				    l.month != prev.month + 1)
					bad_step++;
			} else if (l.day != prev.day + 1 ||
			           l.month != prev.month ||
			           l.leap != prev.leap || l.year != prev.year) {
				bad_step++;
			}
		}
		prev = l;
	}
	CHECK_INT(bad_inverse, 0);
	CHECK_INT(bad_step, 0);
	CHECK_INT(bad_len, 0);
	CHECK_INT(bad_year, 0);

	for (y = 1900; y <= 2199; y++) {
		ck_day t = ck_lunar_tet(y);

		if (t < ymd(y, 1, 21) || t > ymd(y, 2, 20))
			bad_tet++;
		/* The year's first month is month 1; 12 months or 13. */
		d = ck_lunar_tet(y + 1) - t;
		if (!(d >= 353 && d <= 355) && !(d >= 383 && d <= 385))
			bad_tet++;
		if ((d > 360) != (leap_month(y) != 0))
			bad_tet++;
	}
	CHECK_INT(bad_tet, 0);
}

static void
test_statutory(void)
{
	ck_calendar *c = ck_calendar_new();

	CHECK_STR(ck_calendar_holiday_name(c, ymd(2024, 1, 1)),
	          "Tết Dương lịch");
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2024, 4, 30)),
	          "Ngày Giải phóng miền Nam, thống nhất đất nước");
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2024, 5, 1)),
	          "Ngày Quốc tế Lao động");
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2024, 9, 2)), "Quốc khánh");
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2024, 4, 18)),
	          "Giỗ Tổ Hùng Vương");
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2024, 9, 3)), NULL);
	CHECK(!ck_calendar_is_workday(c, ymd(2024, 4, 18)));
	CHECK(ck_calendar_is_workday(c, ymd(2024, 4, 17)));

	/*
	 * Tết 2024: 30/12 on Friday 9 February, then Saturday 10 .. Tuesday
	 * 13. Saturday and Sunday give Wednesday 14 and Thursday 15.
	 */
	CHECK(ck_calendar_is_workday(c, ymd(2024, 2, 8)));
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2024, 2, 8)), NULL);
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2024, 2, 9)),
	          "Tết Nguyên Đán");
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2024, 2, 13)),
	          "Tết Nguyên Đán");
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2024, 2, 14)), "Nghỉ bù");
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2024, 2, 15)), "Nghỉ bù");
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2024, 2, 16)), NULL);
	CHECK(!ck_calendar_is_workday(c, ymd(2024, 2, 15)));
	CHECK(ck_calendar_is_workday(c, ymd(2024, 2, 16)));

	/* Tết 2025: 29/12 on Tuesday 28 January, through Saturday 1 Feb;
	 * Sunday 2 is a plain weekend and Monday 3 the only nghỉ bù. */
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2025, 1, 27)), NULL);
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2025, 1, 28)),
	          "Tết Nguyên Đán");
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2025, 2, 1)),
	          "Tết Nguyên Đán");
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2025, 2, 2)), NULL);
	CHECK(!ck_calendar_is_workday(c, ymd(2025, 2, 2)));
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2025, 2, 3)), "Nghỉ bù");
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2025, 2, 4)), NULL);
	CHECK(ck_calendar_is_workday(c, ymd(2025, 2, 4)));

	/* 30/4/2022 Saturday, 1/5/2022 Sunday: Monday 2 and Tuesday 3. */
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2022, 5, 2)), "Nghỉ bù");
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2022, 5, 3)), "Nghỉ bù");
	CHECK(ck_calendar_is_workday(c, ymd(2022, 5, 4)));
	/* Giỗ Tổ 2022 on Sunday 10 April: Monday 11. */
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2022, 4, 11)), "Nghỉ bù");
	CHECK(ck_calendar_is_workday(c, ymd(2022, 4, 12)));
	/* 1/1/2022 Saturday: Monday 3 January. */
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2022, 1, 3)), "Nghỉ bù");
	CHECK(ck_calendar_is_workday(c, ymd(2022, 1, 4)));

	/* 2/9/2023 Saturday: Sunday is a weekend, so Monday 4. */
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2023, 9, 2)), "Quốc khánh");
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2023, 9, 3)), NULL);
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2023, 9, 4)), "Nghỉ bù");
	CHECK(ck_calendar_is_workday(c, ymd(2023, 9, 5)));
	/*
	 * 2023: Giỗ Tổ Saturday 29 April, 30 April Sunday, 1 May Monday:
	 * the two weekend holidays give Tuesday 2 and Wednesday 3 May.
	 */
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2023, 4, 29)),
	          "Giỗ Tổ Hùng Vương");
	CHECK(!ck_calendar_is_workday(c, ymd(2023, 5, 1)));
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2023, 5, 2)), "Nghỉ bù");
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2023, 5, 3)), "Nghỉ bù");
	CHECK(ck_calendar_is_workday(c, ymd(2023, 5, 4)));

	/* 2026: Tết Tuesday 17 Feb, Monday 16 .. Friday 20: no nghỉ bù. */
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2026, 2, 15)), NULL);
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2026, 2, 16)),
	          "Tết Nguyên Đán");
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2026, 2, 20)),
	          "Tết Nguyên Đán");
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2026, 2, 21)), NULL);
	CHECK(!ck_calendar_is_workday(c, ymd(2026, 2, 21)));
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2026, 2, 23)), NULL);
	CHECK(ck_calendar_is_workday(c, ymd(2026, 2, 23)));

	/* Plain weekends and weekdays. */
	CHECK(!ck_calendar_is_workday(c, ymd(2024, 3, 2)));
	CHECK(!ck_calendar_is_workday(c, ymd(2024, 3, 3)));
	CHECK(ck_calendar_is_workday(c, ymd(2024, 3, 4)));
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2024, 3, 2)), NULL);
	CHECK(!ck_calendar_is_workday(c, CK_NODAY));
	ck_calendar_free(c);
}

/* Every year of the range: 10 holiday days (1 + 5 for Tết + 1 + 3) and one
 * nghỉ bù, on a weekday, for each holiday on a weekend. */
static void
test_statutory_range(void)
{
	ck_calendar *c = ck_calendar_new();
	int y, bad = 0;

	for (y = 1900; y <= 2199; y++) {
		ck_day d, end = ymd(y + 1, 1, 1);
		int named = 0, weekend = 0, comp = 0;

		for (d = ymd(y, 1, 1); d < end; d++) {
			const char *n = ck_calendar_holiday_name(c, d);
			int wd = ck_day_weekday(d);

			if (n == NULL) {
				if (ck_calendar_is_workday(c, d) !=
				    (wd != 0 && wd != 6))
					bad++;
				continue;
			}
			if (ck_calendar_is_workday(c, d))
				bad++;
			if (strcmp(n, "Nghỉ bù") == 0) {
				comp++;
				if (wd == 0 || wd == 6)
					bad++;
				continue;
			}
			named++;
			weekend += wd == 0 || wd == 6;
		}
		/* 1947: Giỗ Tổ fell on 30 April, a Wednesday. */
		if (named != (y == 1947 ? 9 : 10) || comp != weekend) {
			fprintf(stderr, "year %d: %d holidays, %d/%d nghỉ bù\n",
			        y, named, comp, weekend);
			bad++;
		}
	}
	CHECK_INT(bad, 0);
	CHECK_STR(ck_calendar_holiday_name(c, ymd(1947, 4, 30)),
	          "Giỗ Tổ Hùng Vương");
	ck_calendar_free(c);
}

static void
test_site_overrides(void)
{
	ck_calendar *c = ck_calendar_new();

	/* A Saturday worked (ngày làm bù), and a worked holiday. */
	ck_calendar_add_workday(c, ymd(2024, 3, 2));
	CHECK(ck_calendar_is_workday(c, ymd(2024, 3, 2)));
	CHECK(!ck_calendar_is_workday(c, ymd(2024, 3, 3)));
	ck_calendar_add_workday(c, ymd(2024, 9, 2));
	CHECK(ck_calendar_is_workday(c, ymd(2024, 9, 2)));
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2024, 9, 2)), NULL);

	/* Extra days off, named and not. */
	ck_calendar_add_holiday(c, ymd(2024, 9, 3), "Nghỉ lễ Quốc khánh");
	CHECK(!ck_calendar_is_workday(c, ymd(2024, 9, 3)));
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2024, 9, 3)),
	          "Nghỉ lễ Quốc khánh");
	ck_calendar_add_holiday(c, ymd(2024, 6, 12), NULL);
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2024, 6, 12)), "Ngày nghỉ");
	CHECK(!ck_calendar_is_workday(c, ymd(2024, 6, 12)));
	/* Unnamed on a statutory day keeps the statutory name; a name wins. */
	ck_calendar_add_holiday(c, ymd(2024, 5, 1), NULL);
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2024, 5, 1)),
	          "Ngày Quốc tế Lao động");
	ck_calendar_add_holiday(c, ymd(2024, 2, 9), "Nghỉ Tết");
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2024, 2, 9)), "Nghỉ Tết");
	ck_calendar_add_holiday(c, ymd(2024, 2, 9), "Nghỉ Tết Giáp Thìn");
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2024, 2, 9)),
	          "Nghỉ Tết Giáp Thìn");
	/* Workday wins over a site holiday, whatever the order. */
	ck_calendar_add_holiday(c, ymd(2024, 7, 1), "Ngày hội");
	ck_calendar_add_workday(c, ymd(2024, 7, 1));
	CHECK(ck_calendar_is_workday(c, ymd(2024, 7, 1)));
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2024, 7, 1)), NULL);
	ck_calendar_add_workday(c, ymd(2024, 7, 2));
	ck_calendar_add_holiday(c, ymd(2024, 7, 2), "Ngày hội");
	CHECK(ck_calendar_is_workday(c, ymd(2024, 7, 2)));
	/* Overrides in a year never asked about before, then other years. */
	ck_calendar_add_holiday(c, ymd(2031, 12, 31), "Cuối năm");
	CHECK(ck_calendar_is_workday(c, ymd(2025, 12, 31)));
	CHECK(!ck_calendar_is_workday(c, ymd(2031, 12, 31)));
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2031, 12, 31)), "Cuối năm");
	CHECK(ck_calendar_is_workday(c, ymd(2024, 3, 2)));
	/* Outside the lunar table only fixed-date holidays remain. */
	CHECK_STR(ck_calendar_holiday_name(c, ymd(2250, 9, 2)), "Quốc khánh");
	CHECK(ck_calendar_is_workday(c, ymd(2250, 9, 3)));

	/* Nonsense day numbers: no holidays, no overflow. */
	ck_calendar_add_holiday(c, INT_MAX, "x");
	ck_calendar_add_workday(c, INT_MIN + 1);
	CHECK_INT(ck_calendar_is_workday(c, INT_MAX),
	          ck_day_weekday(INT_MAX) % 6 != 0);
	CHECK_STR(ck_calendar_holiday_name(c, INT_MAX), NULL);
	CHECK_STR(ck_calendar_holiday_name(c, INT_MIN + 1), NULL);
	CHECK_STR(ck_calendar_holiday_name(c, ymd(9999, 9, 2)), "Quốc khánh");

	ck_calendar_add_holiday(NULL, ymd(2024, 1, 2), "x");
	ck_calendar_add_workday(NULL, ymd(2024, 1, 2));
	ck_calendar_free(c);
	ck_calendar_free(NULL);
}

static void
test_add_workdays(void)
{
	ck_calendar *c = ck_calendar_new();

	/* Day zero is not counted; N = 0 gives D even on a holiday. */
	CHECK_INT(ck_calendar_add_workdays(c, ymd(2024, 3, 4), 0),
	          ymd(2024, 3, 4));
	CHECK_INT(ck_calendar_add_workdays(c, ymd(2024, 2, 10), 0),
	          ymd(2024, 2, 10));
	CHECK_INT(ck_calendar_add_workdays(c, ymd(2024, 3, 4), 1),
	          ymd(2024, 3, 5));
	CHECK_INT(ck_calendar_add_workdays(c, ymd(2024, 3, 4), 5),
	          ymd(2024, 3, 11));
	/* Friday + 1 is Monday; Saturday + 1 is Monday too. */
	CHECK_INT(ck_calendar_add_workdays(c, ymd(2024, 3, 8), 1),
	          ymd(2024, 3, 11));
	CHECK_INT(ck_calendar_add_workdays(c, ymd(2024, 3, 9), 1),
	          ymd(2024, 3, 11));
	/* Across Tết 2024 (off 9..15 February). */
	CHECK_INT(ck_calendar_add_workdays(c, ymd(2024, 2, 8), 1),
	          ymd(2024, 2, 16));
	CHECK_INT(ck_calendar_add_workdays(c, ymd(2024, 2, 7), 10),
	          ymd(2024, 2, 28));
	/* Across a year end and 1 January. */
	CHECK_INT(ck_calendar_add_workdays(c, ymd(2024, 12, 31), 1),
	          ymd(2025, 1, 2));
	/* Across 30/4 - 1/5 2025 (Wednesday, Thursday). */
	CHECK_INT(ck_calendar_add_workdays(c, ymd(2025, 4, 25), 10),
	          ymd(2025, 5, 13));
	CHECK_INT(ck_calendar_add_workdays(c, CK_NODAY, 3), CK_NODAY);
	CHECK_INT(ck_calendar_add_workdays(c, ymd(9999, 12, 28), 30), CK_NODAY);
	CHECK_INT(ck_calendar_add_workdays(c, INT_MAX - 1, 3), CK_NODAY);
	CHECK_INT(ck_calendar_add_workdays(NULL, ymd(2024, 3, 4), 3), CK_NODAY);
	CHECK_INT(ck_calendar_add_workdays(c, ymd(2024, 3, 4), -2),
	          ymd(2024, 3, 4));

	/* A site holiday pushes the result; a worked Saturday pulls it. */
	ck_calendar_add_holiday(c, ymd(2024, 2, 19), "Nghỉ thêm");
	CHECK_INT(ck_calendar_add_workdays(c, ymd(2024, 2, 7), 10),
	          ymd(2024, 2, 29));
	ck_calendar_add_workday(c, ymd(2024, 2, 17));
	CHECK_INT(ck_calendar_add_workdays(c, ymd(2024, 2, 7), 10),
	          ymd(2024, 2, 28));
	/* A worked holiday counts like any working day. */
	ck_calendar_add_workday(c, ymd(2024, 2, 9));
	CHECK_INT(ck_calendar_add_workdays(c, ymd(2024, 2, 8), 1),
	          ymd(2024, 2, 9));
	CHECK_INT(ck_calendar_add_workdays(c, ymd(2024, 2, 8), 2),
	          ymd(2024, 2, 16));

	/* Counting every working day of 2024 lands on its last one. */
	{
		ck_day d;
		int n = 0;

		for (d = ymd(2024, 1, 1); d <= ymd(2024, 12, 31); d++)
			n += ck_calendar_is_workday(c, d);
		CHECK_INT(ck_calendar_add_workdays(c, ymd(2023, 12, 31), n),
		          ymd(2024, 12, 31));
		CHECK_INT(ck_calendar_add_workdays(c, ymd(2023, 12, 31), n + 1),
		          ymd(2025, 1, 2));
	}
	ck_calendar_free(c);
}

/* D + N working days counted a day at a time, as the definition says. */
static ck_day
add_slowly(ck_calendar *c, ck_day d, int n)
{
	while (n > 0) {
		d++;
		if (ck_calendar_is_workday(c, d))
			n--;
	}
	return d;
}

/*
 * The year-at-a-time count agrees with the day-at-a-time one from random
 * days over a decade, for spans of up to three years, with site holidays
 * and working days entered between the questions (each unmakes the
 * counts of its year).
 */
static void
test_add_workdays_as_counted(void)
{
	ck_calendar *c = ck_calendar_new();
	ck_day from = ymd(2020, 1, 1), d;
	size_t round, bad = 0;
	int n;

	srand(3);
	for (round = 0; round < 20000; round++) {
		if (round % 500 == 0) {
			d = from + rand() % 3650;
			if (rand() % 2)
				ck_calendar_add_holiday(c, d, NULL);
			else
				ck_calendar_add_workday(c, d);
		}
		d = from + rand() % 3650;
		n = round % 10 == 0 ? rand() % 800 : rand() % 40;
		bad += ck_calendar_add_workdays(c, d, n) != add_slowly(c, d, n);
	}
	CHECK_INT(bad, 0);
	ck_calendar_free(c);
}

/* What `calendar` lists and check's Tết warning ask of a day. */
static void
test_describe(void)
{
	ck_calendar *c = ck_calendar_new();
	ck_calendar_info i;

	ck_calendar_describe(&i, c, ymd(2026, 4, 26)); /* Giỗ Tổ, a Sunday */
	CHECK(i.statutory && !i.compensatory && !i.site_holiday);
	ck_calendar_describe(&i, c, ymd(2026, 4, 27)); /* its nghỉ bù */
	CHECK(i.statutory && i.compensatory);
	ck_calendar_describe(&i, c, ymd(2026, 4, 28));
	CHECK(!i.statutory && !i.compensatory && !i.site_holiday &&
	      !i.site_workday);
	CHECK(!ck_calendar_site_changed(c, ymd(2026, 2, 7), ymd(2026, 2, 27)));
	ck_calendar_add_holiday(c, ymd(2026, 2, 16), "Nghỉ Tết");
	ck_calendar_add_workday(c, ymd(2026, 4, 27));
	ck_calendar_describe(&i, c, ymd(2026, 2, 16));
	CHECK(i.statutory && i.site_holiday && !i.site_workday);
	ck_calendar_describe(&i, c, ymd(2026, 4, 27));
	CHECK(i.compensatory && i.site_workday);
	CHECK(ck_calendar_site_changed(c, ymd(2026, 2, 7), ymd(2026, 2, 27)));
	CHECK(ck_calendar_site_changed(c, ymd(2026, 2, 16), ymd(2026, 2, 16)));
	CHECK(!ck_calendar_site_changed(c, ymd(2026, 2, 17), ymd(2026, 4, 26)));
	CHECK(!ck_calendar_site_changed(c, CK_NODAY, ymd(2026, 4, 26)));
	ck_calendar_describe(&i, c, CK_NODAY);
	CHECK(!i.statutory && !i.site_holiday);
	ck_calendar_describe(&i, NULL, ymd(2026, 4, 27));
	CHECK(!i.statutory);
	ck_calendar_free(c);
}

int
main(void)
{
	test_tet();
	test_known_days();
	test_leap_months();
	test_invalid();
	test_whole_range();
	test_statutory();
	test_statutory_range();
	test_site_overrides();
	test_add_workdays();
	test_add_workdays_as_counted();
	test_describe();
	return ck_t_done("t_calendar");
}
