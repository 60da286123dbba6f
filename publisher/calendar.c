/*
 * The Vietnamese lunar calendar and the working-day calendar built on it.
 *
 * The lunar calendar is computed, not tabulated: new moons from the mean
 * lunation plus the periodic terms of Meeus, "Astronomical Algorithms"
 * (ch. 49), the sun's apparent longitude from the solar theory of ch. 25,
 * Delta T from the Espenak-Meeus polynomials, everything reckoned in local
 * days at UTC+7 (105 degrees east) for the whole range. The rules are
 * those of the Chinese calendar since the 1645 reform:
 *   - a month starts on the local day of a new moon;
 *   - month 11 is the month that contains the winter solstice;
 *   - when 13 months lie between two months 11, the first of them (after
 *     month 11) without a major solar term (trung khí, a multiple of 30
 *     degrees of solar longitude) is the leap month, numbered as the month
 *     before it.
 * The months of lunar years 1899..2200 are computed once, on first use,
 * into one table (a few thousand new moons: about a millisecond).
 *
 * Checked against a full ephemeris (PyEphem), every month start from 1899
 * to 2201 agrees except 1967-07-07, a new moon within seconds of local
 * midnight (16:59:58 UT here, 17:00:03 there). The simplified algorithm
 * many Vietnamese calendar programs use gives the next day for nine new
 * moons that fall within three minutes before midnight (1944-06-20,
 * 2072-12-09, 2077-11-15, 2130-05-07, 2150-05-26, 2159-05-17, and Tết of
 * 2175 and 2199); the ephemeris agrees with this file there.
 */
#include "calendar.h"

#include <err.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define JD_UNIX_EPOCH 2440587.5 /* JD of 1970-01-01 00:00 UT */
#define JD_J2000 2451545.0
#define VN_ZONE_DAYS (7.0 / 24.0) /* UTC+7 */
#define SYNODIC_MONTH 29.530588861

/* First and last solar years whose month 11 bounds the table. */
#define TABLE_FIRST_A11 1898
#define TABLE_LAST_A11 2201
/* Lunar years that lie wholly in the table. */
#define LUNAR_MIN 1899
#define LUNAR_MAX 2200

static double
rad(double deg)
{
	return deg * (M_PI / 180.0);
}

static double
norm360(double deg)
{
	deg = fmod(deg, 360.0);
	return deg < 0 ? deg + 360.0 : deg;
}

/*
 * Delta T = TT - UT in seconds, for a decimal year, from the polynomial
 * fits of Espenak and Meeus (observed values to 2005, then predictions;
 * the far future is uncertain by minutes, which only matters for a new
 * moon or solar term within minutes of midnight).
 */
static double
delta_t(double y)
{
	double t, u;

	if (y < 1900) {
		t = y - 1860;
		return 7.62 + 0.5737 * t - 0.251754 * t * t +
		       0.01680668 * t * t * t - 0.0004473624 * pow(t, 4) +
		       pow(t, 5) / 233174;
	}
	if (y < 1920) {
		t = y - 1900;
		return -2.79 + 1.494119 * t - 0.0598939 * t * t +
		       0.0061966 * t * t * t - 0.000197 * pow(t, 4);
	}
	if (y < 1941) {
		t = y - 1920;
		return 21.20 + 0.84493 * t - 0.076100 * t * t +
		       0.0020936 * t * t * t;
	}
	if (y < 1961) {
		t = y - 1950;
		return 29.07 + 0.407 * t - t * t / 233 + t * t * t / 2547;
	}
	if (y < 1986) {
		t = y - 1975;
		return 45.45 + 1.067 * t - t * t / 260 - t * t * t / 718;
	}
	if (y < 2005) {
		t = y - 2000;
		return 63.86 + 0.3345 * t - 0.060374 * t * t +
		       0.0017275 * t * t * t + 0.000651814 * pow(t, 4) +
		       0.00002373599 * pow(t, 5);
	}
	if (y < 2050) {
		t = y - 2000;
		return 62.92 + 0.32217 * t + 0.005589 * t * t;
	}
	u = (y - 1820) / 100;
	if (y < 2150)
		return -20 + 32 * u * u - 0.5628 * (2150 - y);
	return -20 + 32 * u * u;
}

static double
delta_t_days(double jd)
{
	return delta_t(2000.0 + (jd - JD_J2000) / 365.25) / 86400.0;
}

/* A periodic term of the new-moon series: coefficient, power of E, and the
 * multiples of M (sun's anomaly), M' (moon's anomaly), F (latitude arg). */
struct nm_term {
	double coef;
	signed char e, m, mp, f;
};

static const struct nm_term nm_terms[] = {
    {-0.40720, 0, 0, 1, 0},   {0.17241, 1, 1, 0, 0},   {0.01608, 0, 0, 2, 0},
    {0.01039, 0, 0, 0, 2},    {0.00739, 1, -1, 1, 0},  {-0.00514, 1, 1, 1, 0},
    {0.00208, 2, 2, 0, 0},    {-0.00111, 0, 0, 1, -2}, {-0.00057, 0, 0, 1, 2},
    {0.00056, 1, 1, 2, 0},    {-0.00042, 0, 0, 3, 0},  {0.00042, 1, 1, 0, 2},
    {0.00038, 1, 1, 0, -2},   {-0.00024, 1, -1, 2, 0}, {-0.00007, 0, 2, 1, 0},
    {0.00004, 0, 0, 2, -2},   {0.00004, 0, 3, 0, 0},   {0.00003, 0, 1, 1, -2},
    {0.00003, 0, 0, 2, 2},    {-0.00003, 0, 1, 1, 2},  {0.00003, 0, -1, 1, 2},
    {-0.00002, 0, -1, 1, -2}, {-0.00002, 0, 1, 3, 0},  {0.00002, 0, 0, 4, 0},
};

/* The planetary arguments: A_i = a + b k (+ the T^2 term of A1). */
static const double nm_planetary[14][3] = {
    {299.77, 0.107408, 0.000325},  {251.88, 0.016321, 0.000165},
    {251.83, 26.651886, 0.000164}, {349.42, 36.412478, 0.000126},
    {84.66, 18.206239, 0.000110},  {141.74, 53.303771, 0.000062},
    {207.14, 2.453732, 0.000060},  {154.84, 7.306860, 0.000056},
    {34.52, 27.261239, 0.000047},  {207.19, 0.121824, 0.000042},
    {291.34, 1.844379, 0.000040},  {161.72, 24.198154, 0.000037},
    {239.56, 25.513099, 0.000035}, {331.55, 3.592518, 0.000023},
};

/*
 * The instant (JDE, dynamical time) of new moon number k, k = 0 being the
 * new moon of 2000-01-06. Accurate to well under a minute.
 */
static double
new_moon_jde(int k)
{
	double t = k / 1236.85, t2 = t * t, t3 = t2 * t, t4 = t3 * t;
	double jde = 2451550.09766 + SYNODIC_MONTH * k + 0.00015437 * t2 -
	             0.000000150 * t3 + 0.00000000073 * t4;
	double e = 1 - 0.002516 * t - 0.0000074 * t2;
	double m =
	    rad(2.5534 + 29.10535670 * k - 0.0000014 * t2 - 0.00000011 * t3);
	double mp = rad(201.5643 + 385.81693528 * k + 0.0107582 * t2 +
	                0.00001238 * t3 - 0.000000058 * t4);
	double f = rad(160.7108 + 390.67050284 * k - 0.0016118 * t2 -
	               0.00000227 * t3 + 0.000000011 * t4);
	double om =
	    rad(124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3);
	double corr = -0.00017 * sin(om);
	size_t i;

	for (i = 0; i < sizeof(nm_terms) / sizeof(nm_terms[0]); i++) {
		const struct nm_term *p = &nm_terms[i];
		double c = p->coef;

		if (p->e == 1)
			c *= e;
		else if (p->e == 2)
			c *= e * e;
		corr += c * sin(p->m * m + p->mp * mp + p->f * f);
	}
	for (i = 0; i < 14; i++) {
		double a = nm_planetary[i][0] + nm_planetary[i][1] * k;

		if (i == 0)
			a -= 0.009173 * t2;
		corr += nm_planetary[i][2] * sin(rad(a));
	}
	return jde + corr;
}

/* The local (UTC+7) day on which new moon k falls. */
static ck_day
new_moon_day(int k)
{
	double jde = new_moon_jde(k);
	double local = jde - delta_t_days(jde) + VN_ZONE_DAYS;

	return (ck_day)floor(local - JD_UNIX_EPOCH);
}

/*
 * The sun's apparent longitude in degrees (Meeus ch. 25: geometric mean
 * longitude plus the equation of the centre, corrected for nutation and
 * aberration), for a JDE.
 */
static double
sun_longitude(double jde)
{
	double t = (jde - JD_J2000) / 36525, t2 = t * t;
	double l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t2;
	double m = rad(357.52911 + 35999.05029 * t - 0.0001537 * t2);
	double c = (1.914602 - 0.004817 * t - 0.000014 * t2) * sin(m) +
	           (0.019993 - 0.000101 * t) * sin(2 * m) +
	           0.000289 * sin(3 * m);
	double om = rad(125.04 - 1934.136 * t);

	return norm360(l0 + c - 0.00569 - 0.00478 * sin(om));
}

/*
 * Which 30-degree sector (0 = from the March equinox) the sun is in at the
 * local midnight that starts `day`. A major term falls in the days
 * [a, b) exactly when the sectors at a and b differ.
 */
static int
sun_sector(ck_day day)
{
	double jd = (double)day + JD_UNIX_EPOCH - VN_ZONE_DAYS;

	/* % 12: rounding may carry 359.999... up to 360. */
	return (int)(sun_longitude(jd + delta_t_days(jd)) / 30.0) % 12;
}

/* The number of the new moon whose local day starts the month 11 of y. */
static int
month11_k(int y)
{
	ck_day dec31 = ck_day_from_ymd(y, 12, 31);
	int k = (int)floor((dec31 + JD_UNIX_EPOCH - 2451550.1) / SYNODIC_MONTH);

	while (new_moon_day(k) > dec31)
		k--;
	while (new_moon_day(k + 1) <= dec31)
		k++;
	/* Sector 9 starts at 270 degrees, the winter solstice: reached before
	 * this month began, the solstice lies in the month before. */
	if (sun_sector(new_moon_day(k)) >= 9)
		k--;
	return k;
}

struct lmonth {
	ck_day start;
	short year;
	signed char month;
	bool leap;
};

/* About 12.37 months a year, plus the sentinel that ends the last month. */
#define LMONTHS_CAP ((TABLE_LAST_A11 - TABLE_FIRST_A11) * 25 / 2 + 16)

static struct lmonth lmonths[LMONTHS_CAP]; /* then a sentinel: start only */
static int nlmonths;
/* Index of lunar month 1 of each year LUNAR_MIN..LUNAR_MAX + 1. */
static int year_first[LUNAR_MAX + 2 - LUNAR_MIN];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void
build_table(void)
{
	int y, i, n = 0;
	int k11 = month11_k(TABLE_FIRST_A11);

	for (y = TABLE_FIRST_A11 + 1; y <= TABLE_LAST_A11; y++) {
		int next11 = month11_k(y), len = next11 - k11, leap = 0;
		ck_day starts[14];

		if ((len != 12 && len != 13) || n + len >= LMONTHS_CAP)
			errx(3, "lunar year %d: %d months", y, len);
		for (i = 0; i <= len; i++)
			starts[i] = new_moon_day(k11 + i);
		if (len == 13) {
			for (leap = 1; leap < 13; leap++)
				if (sun_sector(starts[leap]) ==
				    sun_sector(starts[leap + 1]))
					break;
			/* 12 sectors in 12 months: one must be missing. */
			if (leap == 13)
				errx(3, "lunar year %d: no leap month", y);
		}
		for (i = 0; i < len; i++) {
			int ord = i - (leap && i >= leap); /* 0 = month 11 */
			int m = (10 + ord) % 12 + 1;
			struct lmonth *lm = &lmonths[n++];

			lm->start = starts[i];
			lm->month = (signed char)m;
			lm->leap = leap && i == leap;
			/* Months 11 and 12 come before Tết: previous year. */
			lm->year = (short)(m >= 11 ? y - 1 : y);
			if (m == 1 && !lm->leap && y >= LUNAR_MIN &&
			    y <= LUNAR_MAX + 1)
				year_first[y - LUNAR_MIN] = n - 1;
		}
		k11 = next11;
	}
	lmonths[n].start = new_moon_day(k11);
	nlmonths = n;
}

static void
ensure_table(void)
{
	pthread_once(&table_once, build_table);
}

void
ck_lunar_from_day(ck_lunar_date *out, ck_day day)
{
	int lo = 0, hi;

	ensure_table();
	memset(out, 0, sizeof(*out));
	hi = nlmonths - 1;
	if (day < lmonths[0].start || day >= lmonths[nlmonths].start)
		return;
	/* The last month that starts on or before day. */
	while (lo < hi) {
		int mid = lo + (hi - lo + 1) / 2;

		if (lmonths[mid].start <= day)
			lo = mid;
		else
			hi = mid - 1;
	}
	out->year = lmonths[lo].year;
	out->month = lmonths[lo].month;
	out->day = day - lmonths[lo].start + 1;
	out->leap = lmonths[lo].leap;
}

ck_day
ck_lunar_to_day(int year, int month, int day, bool leap)
{
	int i, end;

	ensure_table();
	if (year < LUNAR_MIN || year > LUNAR_MAX)
		return CK_NODAY;
	end = year_first[year + 1 - LUNAR_MIN];
	for (i = year_first[year - LUNAR_MIN]; i < end; i++) {
		const struct lmonth *lm = &lmonths[i];

		if (lm->month != month || lm->leap != leap)
			continue;
		if (day < 1 || day > lmonths[i + 1].start - lm->start)
			return CK_NODAY;
		return lm->start + day - 1;
	}
	return CK_NODAY;
}

ck_day
ck_lunar_tet(int year)
{
	return ck_lunar_to_day(year, 1, 1, false);
}

/*
 * The working-day calendar. Each solar year touched gets a record: the
 * statutory holidays (computed on first need, then cached: a build asks
 * about the same few years thousands of times) and the site's overrides,
 * one byte a day so that a lookup is an index.
 */

enum {
	H_NONE,
	H_NEW_YEAR,
	H_TET,
	H_HUNG_KINGS,
	H_REUNIFICATION,
	H_LABOUR,
	H_NATIONAL,
	H_COMPENSATION,
	H_COUNT
};

static const char *const holiday_names[H_COUNT] = {
    NULL,
    "Tết Dương lịch",
    "Tết Nguyên Đán",
    "Giỗ Tổ Hùng Vương",
    "Ngày Giải phóng miền Nam, thống nhất đất nước",
    "Ngày Quốc tế Lao động",
    "Quốc khánh",
    "Nghỉ bù",
};

#define SITE_HOLIDAY 1
#define SITE_WORKDAY 2

struct year_rec {
	int year;
	ck_day jan1;
	int ndays;
	bool computed;
	unsigned char statutory[366]; /* H_* */
	unsigned char site[366];      /* SITE_* bits */
	char *site_name[366];         /* malloc'd, or NULL */
	/* Working days among the year's days before day i (0-based): made
	 * when first counted with (year_cum), unmade by a site day. */
	bool cum_ok;
	unsigned short cum[367];
};

struct ck_calendar {
	struct year_rec **years;
	size_t nyears, cap;
	struct year_rec *last; /* most lookups are for the year just asked */
};

ck_calendar *
ck_calendar_new(void)
{
	ck_calendar *c = calloc(1, sizeof(*c));

	if (c == NULL)
		err(3, "calloc");
	return c;
}

void
ck_calendar_free(ck_calendar *c)
{
	size_t i;
	int d;

	if (c == NULL)
		return;
	for (i = 0; i < c->nyears; i++) {
		for (d = 0; d < 366; d++)
			free(c->years[i]->site_name[d]);
		free(c->years[i]);
	}
	free(c->years);
	free(c);
}

static bool
is_weekend(ck_day day)
{
	int wd = ck_day_weekday(day);

	return wd == 0 || wd == 6;
}

static void
mark(struct year_rec *r, ck_day day, int kind)
{
	int i = day - r->jan1;

	/* Two holidays on one day (Giỗ Tổ fell on 30 April in 1947) keep
	 * the first name; each still counts for nghỉ bù. */
	if (i >= 0 && i < r->ndays && r->statutory[i] == H_NONE)
		r->statutory[i] = (unsigned char)kind;
}

/*
 * The statutory holidays of one year, then nghỉ bù: each holiday on a
 * Saturday or Sunday gives one day off, the first day after it that is
 * neither a weekend, a holiday nor already given. No holiday falls late
 * enough in December for this to leave the year. Outside the lunar table
 * (lunar years 1899..2200) only the fixed-date holidays are known.
 */
static void
compute_statutory(struct year_rec *r)
{
	ck_day list[16], tet, hung;
	int n = 0, i, j;
	int y = r->year;

	list[n++] = ck_day_from_ymd(y, 1, 1);
	mark(r, list[0], H_NEW_YEAR);
	if ((tet = ck_lunar_tet(y)) != CK_NODAY) {
		for (i = -1; i <= 3; i++) {
			list[n++] = tet + i;
			mark(r, tet + i, H_TET);
		}
	}
	if ((hung = ck_lunar_to_day(y, 3, 10, false)) != CK_NODAY) {
		list[n++] = hung;
		mark(r, hung, H_HUNG_KINGS);
	}
	list[n++] = ck_day_from_ymd(y, 4, 30);
	mark(r, list[n - 1], H_REUNIFICATION);
	list[n++] = ck_day_from_ymd(y, 5, 1);
	mark(r, list[n - 1], H_LABOUR);
	list[n++] = ck_day_from_ymd(y, 9, 2);
	mark(r, list[n - 1], H_NATIONAL);

	/* In date order, so that earlier holidays take the earlier days. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && list[j - 1] > list[j]; j--) {
			ck_day t = list[j];

			list[j] = list[j - 1];
			list[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		ck_day d = list[i] + 1;

		if (!is_weekend(list[i]))
			continue;
		while (d - r->jan1 < r->ndays &&
		       (is_weekend(d) || r->statutory[d - r->jan1] != H_NONE))
			d++;
		mark(r, d, H_COMPENSATION);
	}
	r->computed = true;
}

static struct year_rec *
find_year(ck_calendar *c, int y)
{
	struct year_rec *r;
	size_t i;

	if (c->last != NULL && c->last->year == y)
		return c->last;
	for (i = 0; i < c->nyears; i++)
		if (c->years[i]->year == y)
			return c->last = c->years[i];
	if (c->nyears == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 8;
		struct year_rec **v = realloc(c->years, ncap * sizeof(*v));

		if (v == NULL)
			err(3, "realloc");
		c->years = v;
		c->cap = ncap;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		err(3, "calloc");
	r->year = y;
	r->jan1 = ck_day_from_ymd(y, 1, 1);
	r->ndays = ck_day_from_ymd(y + 1, 1, 1) - r->jan1;
	c->years[c->nyears++] = r;
	return c->last = r;
}

/*
 * The record of day's year (statutory set computed) and day's index in it;
 * NULL for days outside years 1..9999, which have no holidays.
 */
static struct year_rec *
lookup(ck_calendar *c, ck_day day, int *index)
{
	int y, m, d;
	struct year_rec *r = c->last;

	if (r == NULL || (long long)day - r->jan1 < 0 ||
	    (long long)day - r->jan1 >= r->ndays) {
		ck_day_to_ymd(day, &y, &m, &d);
		if (y < 1 || y > 9999)
			return NULL;
		r = find_year(c, y);
	}
	if (!r->computed)
		compute_statutory(r);
	*index = day - r->jan1;
	return r;
}

void
ck_calendar_add_holiday(ck_calendar *c, ck_day day, const char *name)
{
	int i;
	struct year_rec *r;

	if (c == NULL || (r = lookup(c, day, &i)) == NULL)
		return;
	r->site[i] |= SITE_HOLIDAY;
	r->cum_ok = false;
	if (name != NULL) {
		char *copy = strdup(name);

		if (copy == NULL)
			err(3, "strdup");
		free(r->site_name[i]);
		r->site_name[i] = copy;
	}
}

void
ck_calendar_add_workday(ck_calendar *c, ck_day day)
{
	int i;
	struct year_rec *r;

	if (c == NULL || (r = lookup(c, day, &i)) == NULL)
		return;
	r->site[i] |= SITE_WORKDAY;
	r->cum_ok = false;
}

bool
ck_calendar_is_workday(ck_calendar *c, ck_day day)
{
	int i;
	struct year_rec *r;

	if (c == NULL || day == CK_NODAY)
		return false;
	if ((r = lookup(c, day, &i)) == NULL)
		return !is_weekend(day);
	if (r->site[i] & SITE_WORKDAY)
		return true;
	if ((r->site[i] & SITE_HOLIDAY) || r->statutory[i] != H_NONE)
		return false;
	return !is_weekend(day);
}

const char *
ck_calendar_holiday_name(ck_calendar *c, ck_day day)
{
	int i;
	struct year_rec *r;

	if (c == NULL || (r = lookup(c, day, &i)) == NULL)
		return NULL;
	if (r->site[i] & SITE_WORKDAY)
		return NULL;
	/* The site's own name wins: it knows what the Government decided. */
	if (r->site_name[i] != NULL)
		return r->site_name[i];
	if (r->statutory[i] != H_NONE)
		return holiday_names[r->statutory[i]];
	if (r->site[i] & SITE_HOLIDAY)
		return "Ngày nghỉ";
	return NULL;
}

void
ck_calendar_describe(ck_calendar_info *out, ck_calendar *c, ck_day day)
{
	int i;
	struct year_rec *r;

	memset(out, 0, sizeof(*out));
	if (c == NULL || day == CK_NODAY || (r = lookup(c, day, &i)) == NULL)
		return;
	out->statutory = r->statutory[i] != H_NONE;
	out->compensatory = r->statutory[i] == H_COMPENSATION;
	out->site_holiday = (r->site[i] & SITE_HOLIDAY) != 0;
	out->site_workday = (r->site[i] & SITE_WORKDAY) != 0;
}

bool
ck_calendar_site_changed(ck_calendar *c, ck_day from, ck_day to)
{
	ck_calendar_info info;
	ck_day d;

	if (from == CK_NODAY || to == CK_NODAY)
		return false;
	for (d = from; d <= to; d++) {
		ck_calendar_describe(&info, c, d);
		if (info.site_holiday || info.site_workday)
			return true;
	}
	return false;
}

/* Whether day i of year r (computed) is a working day. */
static bool
workday_at(const struct year_rec *r, int i)
{
	if (r->site[i] & SITE_WORKDAY)
		return true;
	if ((r->site[i] & SITE_HOLIDAY) || r->statutory[i] != H_NONE)
		return false;
	return !is_weekend(r->jan1 + i);
}

/* r->cum, made if it is not (r computed). */
static const unsigned short *
year_cum(struct year_rec *r)
{
	int i;

	if (!r->cum_ok) {
		r->cum[0] = 0;
		for (i = 0; i < r->ndays; i++)
			r->cum[i + 1] =
			    (unsigned short)(r->cum[i] + workday_at(r, i));
		r->cum_ok = true;
	}
	return r->cum;
}

/* D + N working days a day at a time (from start, n > 0). */
static ck_day
add_day_by_day(ck_calendar *c, ck_day start, int n, ck_day limit)
{
	ck_day d = start;
	int count = 0;

	while (count < n) {
		if (d >= limit)
			return CK_NODAY;
		d++;
		if (ck_calendar_is_workday(c, d))
			count++;
	}
	return d;
}

/*
 * A year at a time by its count of working days (a province derives
 * 100,000 due dates): the year where the n-th working day falls, then
 * the day in it by halving.
 */
ck_day
ck_calendar_add_workdays(ck_calendar *c, ck_day start, int n)
{
	/* Past year 9999 the answer means nothing; stop rather than loop on. */
	const ck_day limit = ck_day_from_ymd(10000, 1, 1);
	const unsigned short *cum;
	struct year_rec *r;
	ck_day d = start;
	int i, have, lo, hi, mid;

	if (c == NULL || start == CK_NODAY)
		return CK_NODAY;
	while (n > 0) {
		if (d >= limit)
			return CK_NODAY;
		if ((r = lookup(c, d + 1, &i)) == NULL)
			return add_day_by_day(c, d, n,
			                      limit); /* before year 1 */
		cum = year_cum(r);
		have = cum[r->ndays] - cum[i];
		if (have < n) {
			n -= have;
			d = r->jan1 + r->ndays - 1;
			continue;
		}
		/* The first k past i with n working days in [i, k). */
		lo = i + 1;
		hi = r->ndays;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (cum[mid] - cum[i] >= n)
				hi = mid;
			else
				lo = mid + 1;
		}
		return r->jan1 + lo - 1;
	}
	return d;
}
