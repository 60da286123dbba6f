/*
 * Day numbers, the two date notations, times, and today in UTC+7.
 */
#include <stdlib.h>
#include <time.h>

#include "buf.h"
#include "date.h"
#include "harness.h"

static ck_date_status
parse(ck_day *out, const char *s)
{
	return ck_date_parse(out, s, strlen(s));
}

static int
parse_time(const char *s)
{
	int m = -12345;

	if (ck_time_parse(&m, s, strlen(s)) != 0)
		return -1;
	return m;
}

static void
test_valid(void)
{
	CHECK(ck_ymd_valid(2024, 2, 29));
	CHECK(!ck_ymd_valid(2023, 2, 29));
	CHECK(ck_ymd_valid(2000, 2, 29));  /* divisible by 400 */
	CHECK(!ck_ymd_valid(1900, 2, 29)); /* by 100, not 400 */
	CHECK(!ck_ymd_valid(2100, 2, 29));
	CHECK(ck_ymd_valid(2025, 1, 31));
	CHECK(!ck_ymd_valid(2025, 4, 31));
	CHECK(!ck_ymd_valid(2025, 0, 1));
	CHECK(!ck_ymd_valid(2025, 13, 1));
	CHECK(!ck_ymd_valid(2025, 6, 0));
	CHECK(ck_ymd_valid(2025, 12, 31));
}

static void
test_day_numbers(void)
{
	int y, m, d, ly, lm, ld, bad = 0;
	ck_day day;
	static const int mlen[12] = {31, 28, 31, 30, 31, 30,
	                             31, 31, 30, 31, 30, 31};

	CHECK_INT(ck_day_from_ymd(1970, 1, 1), 0);
	CHECK_INT(ck_day_from_ymd(1969, 12, 31), -1);
	CHECK_INT(ck_day_from_ymd(2000, 1, 1), 10957);
	CHECK_INT(ck_day_from_ymd(1900, 1, 1), -25567);
	CHECK_INT(ck_day_from_ymd(2024, 2, 10), 19763);
	CHECK_INT(ck_day_from_ymd(2199, 12, 31), 84005);

	/*
	 * Walk day by day from 1600 to 2400 with a plain next-day rule and
	 * compare both conversions at every step.
	 */
	ly = 1600;
	lm = 1;
	ld = 1;
	for (day = ck_day_from_ymd(1600, 1, 1);; day++) {
		int len;

		ck_day_to_ymd(day, &y, &m, &d);
		if (y != ly || m != lm || d != ld ||
		    ck_day_from_ymd(ly, lm, ld) != day) {
			bad++;
			break;
		}
		if (ly == 2400 && lm == 12 && ld == 31)
			break;
		len = mlen[lm - 1];
		if (lm == 2 &&
		    ((ly % 4 == 0 && ly % 100 != 0) || ly % 400 == 0))
			len = 29;
		if (++ld > len) {
			ld = 1;
			if (++lm > 12) {
				lm = 1;
				ly++;
			}
		}
	}
	CHECK_INT(bad, 0);
	CHECK_INT(day, ck_day_from_ymd(2400, 12, 31));

	/* Extreme day numbers convert without overflow. */
	ck_day_to_ymd(CK_NODAY, &y, &m, &d);
	CHECK(m >= 1 && m <= 12 && d >= 1 && d <= 31);
	ck_day_to_ymd(INT_MAX, &y, &m, &d);
	CHECK(m >= 1 && m <= 12 && d >= 1 && d <= 31);
}

static void
test_weekday(void)
{
	CHECK_INT(ck_day_weekday(0), 4); /* 1970-01-01: Thursday */
	CHECK_INT(ck_day_weekday(-1), 3);
	CHECK_INT(ck_day_weekday(ck_day_from_ymd(1900, 1, 1)), 1);
	CHECK_INT(ck_day_weekday(ck_day_from_ymd(2024, 2, 10)), 6);
	CHECK_INT(ck_day_weekday(ck_day_from_ymd(2023, 9, 2)), 6);
	CHECK_INT(ck_day_weekday(ck_day_from_ymd(2022, 5, 1)), 0);
	CHECK_INT(ck_day_weekday(ck_day_from_ymd(2025, 9, 2)), 2);
	CHECK_INT(ck_day_weekday(ck_day_from_ymd(1945, 9, 2)), 0);
	CHECK_INT(ck_day_weekday(CK_NODAY), (ck_day_weekday(CK_NODAY + 7)));
}

static void
test_parse(void)
{
	ck_day d = 42;

	CHECK_INT(parse(&d, "2024-01-05"), CK_DATE_OK);
	CHECK_INT(d, ck_day_from_ymd(2024, 1, 5));
	CHECK_INT(parse(&d, "05/01/2024"), CK_DATE_OK);
	CHECK_INT(d, ck_day_from_ymd(2024, 1, 5));
	CHECK_INT(parse(&d, "5/1/2024"), CK_DATE_OK);
	CHECK_INT(d, ck_day_from_ymd(2024, 1, 5));
	CHECK_INT(parse(&d, "5/11/2024"), CK_DATE_OK);
	CHECK_INT(d, ck_day_from_ymd(2024, 11, 5));
	CHECK_INT(parse(&d, "25/1/2024"), CK_DATE_OK);
	CHECK_INT(d, ck_day_from_ymd(2024, 1, 25));
	CHECK_INT(parse(&d, "29/02/2024"), CK_DATE_OK);
	CHECK_INT(d, ck_day_from_ymd(2024, 2, 29));
	CHECK_INT(parse(&d, "2000-02-29"), CK_DATE_OK);
	CHECK_INT(d, ck_day_from_ymd(2000, 2, 29));
	CHECK_INT(parse(&d, "1900-01-01"), CK_DATE_OK);
	CHECK_INT(d, -25567);
	CHECK_INT(parse(&d, "31/12/2199"), CK_DATE_OK);
	CHECK_INT(d, 84005);

	/* Only the given length is read. */
	CHECK_INT(ck_date_parse(&d, "2023-09-02T08:00", 10), CK_DATE_OK);
	CHECK_INT(d, ck_day_from_ymd(2023, 9, 2));
	CHECK_INT(ck_date_parse(&d, "2/9/2023 là", 8), CK_DATE_OK);
	CHECK_INT(d, ck_day_from_ymd(2023, 9, 2));

	d = 42;
	CHECK_INT(parse(&d, "2025-02-30"), CK_DATE_IMPOSSIBLE);
	CHECK_INT(parse(&d, "31/04/2025"), CK_DATE_IMPOSSIBLE);
	CHECK_INT(parse(&d, "29/02/2023"), CK_DATE_IMPOSSIBLE);
	CHECK_INT(parse(&d, "1900-02-29"), CK_DATE_IMPOSSIBLE);
	CHECK_INT(parse(&d, "29/2/2100"), CK_DATE_IMPOSSIBLE);
	CHECK_INT(parse(&d, "2024-00-10"), CK_DATE_IMPOSSIBLE);
	CHECK_INT(parse(&d, "2024-13-01"), CK_DATE_IMPOSSIBLE);
	CHECK_INT(parse(&d, "2024-01-00"), CK_DATE_IMPOSSIBLE);
	CHECK_INT(parse(&d, "0/1/2024"), CK_DATE_IMPOSSIBLE);
	CHECK_INT(parse(&d, "32/1/2024"), CK_DATE_IMPOSSIBLE);
	CHECK_INT(parse(&d, "1899-12-31"), CK_DATE_IMPOSSIBLE);
	CHECK_INT(parse(&d, "01/01/2200"), CK_DATE_IMPOSSIBLE);
	CHECK_INT(parse(&d, "0000-01-01"), CK_DATE_IMPOSSIBLE);
	CHECK_INT(d, 42); /* untouched on failure */

	CHECK_INT(parse(&d, ""), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, "2024-1-05"), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, "2024-01-5"), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, "24-01-05"), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, "02024-01-05"), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, "2024/01/05"), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, "05-01-2024"), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, "05.01.2024"), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, "2024-01-05 "), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, " 2024-01-05"), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, "5/1/24"), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, "005/01/2024"), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, "05/001/2024"), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, "05/01/20245"), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, "/01/2024"), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, "05//2024"), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, "05/01/"), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, "05/01"), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, "5"), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, "+5/1/2024"), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, "2024-01-05\n"), CK_DATE_SYNTAX);
	CHECK_INT(parse(&d, "２０２４-01-05"), CK_DATE_SYNTAX);
	CHECK_INT(ck_date_parse(&d, "2024-01-\0005", 10), CK_DATE_SYNTAX);
	CHECK_INT(ck_date_parse(&d, "2024-01-05", 9), CK_DATE_SYNTAX);
	CHECK_INT(ck_date_parse(&d, NULL, 0), CK_DATE_SYNTAX);
	CHECK_INT(d, 42);
}

static void
test_time(void)
{
	CHECK_INT(parse_time("00:00"), 0);
	CHECK_INT(parse_time("07:30"), 450);
	CHECK_INT(parse_time("7:30"), 450);
	CHECK_INT(parse_time("0:05"), 5);
	CHECK_INT(parse_time("14:00"), 840);
	CHECK_INT(parse_time("23:59"), 1439);
	CHECK_INT(parse_time("24:00"), -1);
	CHECK_INT(parse_time("12:60"), -1);
	CHECK_INT(parse_time("7:5"), -1);
	CHECK_INT(parse_time("123:00"), -1);
	CHECK_INT(parse_time("12:000"), -1);
	CHECK_INT(parse_time("12:00 "), -1);
	CHECK_INT(parse_time(" 12:00"), -1);
	CHECK_INT(parse_time("12h30"), -1);
	CHECK_INT(parse_time("12.30"), -1);
	CHECK_INT(parse_time(":30"), -1);
	CHECK_INT(parse_time("12:"), -1);
	CHECK_INT(parse_time(""), -1);
	CHECK_INT(parse_time("-1:30"), -1);
	CHECK_INT(ck_time_parse(NULL, "08:15", 5), 0);
	CHECK_INT(ck_time_parse(NULL, "08:15", 4), -1);
}

static void
test_format(void)
{
	char iso[11];
	ck_buf b = CK_BUF_INIT;
	ck_day d, back;
	int bad = 0;

	ck_day_iso(iso, ck_day_from_ymd(2024, 1, 5));
	CHECK_STR(iso, "2024-01-05");
	ck_day_iso(iso, ck_day_from_ymd(1900, 12, 31));
	CHECK_STR(iso, "1900-12-31");
	ck_day_iso(iso, CK_NODAY);
	CHECK_STR(iso, "0000-00-00");

	ck_day_put_vn(&b, ck_day_from_ymd(2024, 1, 5));
	CHECK_STR(b.ptr, "05/01/2024");
	ck_buf_puts(&b, " và ");
	ck_day_put_vn(&b, ck_day_from_ymd(2025, 12, 31));
	CHECK_STR(b.ptr, "05/01/2024 và 31/12/2025");

	/* Every day of the range survives both notations. */
	for (d = ck_day_from_ymd(1900, 1, 1);
	     d <= ck_day_from_ymd(2199, 12, 31); d++) {
		ck_day_iso(iso, d);
		if (ck_date_parse(&back, iso, 10) != CK_DATE_OK || back != d)
			bad++;
		ck_buf_clear(&b);
		ck_day_put_vn(&b, d);
		if (ck_date_parse(&back, b.ptr, b.size) != CK_DATE_OK ||
		    back != d)
			bad++;
	}
	CHECK_INT(bad, 0);
	ck_buf_free(&b);
}

static ck_day
expected_today(time_t t)
{
	struct tm tm;

	t += 7 * 3600;
	gmtime_r(&t, &tm);
	return ck_day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static void
test_today(void)
{
	time_t t0, t1;
	ck_day today;

	/* The machine's zone must not matter: pick one far from UTC+7. */
	setenv("TZ", "America/Los_Angeles", 1);
	tzset();
	t0 = time(NULL);
	today = ck_day_today();
	t1 = time(NULL);
	CHECK(today == expected_today(t0) || today == expected_today(t1));
	setenv("TZ", "Pacific/Kiritimati", 1);
	tzset();
	t0 = time(NULL);
	today = ck_day_today();
	t1 = time(NULL);
	CHECK(today == expected_today(t0) || today == expected_today(t1));
}

int
main(void)
{
	test_valid();
	test_day_numbers();
	test_weekday();
	test_parse();
	test_time();
	test_format();
	test_today();
	return ck_t_done("t_date");
}
