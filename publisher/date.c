/*
 * Day numbers in the proleptic Gregorian calendar, and the two ways staff
 * write a day. Arithmetic is done in long long so that any int day number,
 * even CK_NODAY, converts without overflow.
 */
#include "date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define DAYS_PER_400Y 146097
/* Days from 0000-03-01 (the start of a March-based year 0) to 1970-01-01. */
#define EPOCH_SHIFT 719468
#define VN_UTC_OFFSET (7 * 3600)

static bool
is_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(long long y, int m)
{
	static const int len[12] = {31, 28, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};

	if (m == 2 && is_leap(y))
		return 29;
	return len[m - 1];
}

bool
ck_ymd_valid(int y, int m, int d)
{
	return m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m);
}

/* Floor division, so that days before an era boundary land in the right era. */
static long long
floor_div(long long a, long long b)
{
	long long q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/*
 * Counting years from March puts the leap day at the end of the year, so
 * the day of the year is a linear function of the month: the months
 * March..February have lengths 31 30 31 30 31 31 30 31 30 31 31 28/29,
 * a pattern that (153 * mar_month + 2) / 5 reproduces exactly.
 */
ck_day
ck_day_from_ymd(int y, int m, int d)
{
	long long yy = (long long)y - (m <= 2);
	long long mm = m <= 2 ? m + 9 : m - 3; /* 0 = March */
	long long cycle = floor_div(yy, 400);
	long long yoc = yy - cycle * 400; /* 0..399 */
	long long doy = (153 * mm + 2) / 5 + d - 1;
	long long doc = yoc * 365 + yoc / 4 - yoc / 100 + doy;

	return (ck_day)(cycle * DAYS_PER_400Y + doc - EPOCH_SHIFT);
}

void
ck_day_to_ymd(ck_day day, int *y, int *m, int *d)
{
	long long z = (long long)day + EPOCH_SHIFT;
	long long cycle = floor_div(z, DAYS_PER_400Y);
	long long doc = z - cycle * DAYS_PER_400Y; /* 0..146096 */
	/* The last day of a 400-year cycle is the 366th of its last year. */
	long long yoc = (doc - doc / 1460 + doc / 36524 - doc / 146096) / 365;
	long long doy = doc - (365 * yoc + yoc / 4 - yoc / 100);
	long long mm = (5 * doy + 2) / 153; /* 0 = March */
	long long dd = doy - (153 * mm + 2) / 5 + 1;
	long long month = mm < 10 ? mm + 3 : mm - 9;
	long long year = yoc + cycle * 400 + (month <= 2);

	*y = (int)year;
	*m = (int)month;
	*d = (int)dd;
}

int
ck_day_weekday(ck_day day)
{
	/* 1970-01-01 was a Thursday. */
	return (int)(((long long)day % 7 + 7 + 4) % 7);
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads the run of 1..max digits at s[*pos]; -1 when there is none. */
static int
read_number(const char *s, size_t len, size_t *pos, size_t min, size_t max)
{
	size_t n = 0;
	int v = 0;

	while (*pos < len && is_digit(s[*pos]) && n < max) {
		v = v * 10 + (s[*pos] - '0');
		(*pos)++;
		n++;
	}
	if (n < min || (*pos < len && is_digit(s[*pos])))
		return -1;
	return v;
}

static ck_date_status
finish(ck_day *out, int y, int m, int d)
{
	if (y < 1900 || y > 2199 || !ck_ymd_valid(y, m, d))
		return CK_DATE_IMPOSSIBLE;
	*out = ck_day_from_ymd(y, m, d);
	return CK_DATE_OK;
}

ck_date_status
ck_date_parse(ck_day *out, const char *s, size_t len)
{
	size_t pos = 0;
	int a, b, c;

	if (s == NULL)
		return CK_DATE_SYNTAX;
	if (len == 10 && s[4] == '-') {
		/* The ISO form is fixed width: exactly 4-2-2 digits. */
		if ((a = read_number(s, len, &pos, 4, 4)) < 0 ||
		    s[pos++] != '-')
			return CK_DATE_SYNTAX;
		if ((b = read_number(s, len, &pos, 2, 2)) < 0 ||
		    s[pos++] != '-')
			return CK_DATE_SYNTAX;
		if ((c = read_number(s, len, &pos, 2, 2)) < 0 || pos != len)
			return CK_DATE_SYNTAX;
		return finish(out, a, b, c);
	}
	if ((a = read_number(s, len, &pos, 1, 2)) < 0 || pos >= len ||
	    s[pos++] != '/')
		return CK_DATE_SYNTAX;
	if ((b = read_number(s, len, &pos, 1, 2)) < 0 || pos >= len ||
	    s[pos++] != '/')
		return CK_DATE_SYNTAX;
	if ((c = read_number(s, len, &pos, 4, 4)) < 0 || pos != len)
		return CK_DATE_SYNTAX;
	return finish(out, c, b, a);
}

int
ck_time_parse(int *minutes, const char *s, size_t len)
{
	size_t pos = 0;
	int h, m;

	if (s == NULL)
		return -1;
	if ((h = read_number(s, len, &pos, 1, 2)) < 0 || pos >= len ||
	    s[pos++] != ':')
		return -1;
	if ((m = read_number(s, len, &pos, 2, 2)) < 0 || pos != len)
		return -1;
	if (h > 23 || m > 59)
		return -1;
	if (minutes != NULL)
		*minutes = h * 60 + m;
	return 0;
}

/*
 * Fixed-width fields: years outside 0..9999 (only from nonsense day numbers
 * such as CK_NODAY) are written as zeros rather than overflowing the width.
 */
static void
put_digits(char *out, int v, int width)
{
	while (width-- > 0) {
		out[width] = (char)('0' + v % 10);
		v /= 10;
	}
}

static void
safe_ymd(ck_day day, int *y, int *m, int *d)
{
	ck_day_to_ymd(day, y, m, d);
	if (*y < 0 || *y > 9999)
		*y = *m = *d = 0;
}

void
ck_day_iso(char out[11], ck_day day)
{
	int y, m, d;

	safe_ymd(day, &y, &m, &d);
	put_digits(out, y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = '\0';
}

void
ck_day_put_vn(ck_buf *b, ck_day day)
{
	char s[11];
	int y, m, d;

	safe_ymd(day, &y, &m, &d);
	put_digits(s, d, 2);
	s[2] = '/';
	put_digits(s + 3, m, 2);
	s[5] = '/';
	put_digits(s + 6, y, 4);
	ck_buf_put(b, s, 10);
}

ck_day
ck_day_today(void)
{
	time_t now = time(NULL);

	if (now == (time_t)-1)
		return CK_NODAY;
	/* Shift to UTC+7 by hand: the machine's TZ must not matter. */
	return (ck_day)floor_div((long long)now + VN_UTC_OFFSET, 86400);
}
