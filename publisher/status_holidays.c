/*
 * check's warning about Tết: the Government adds days off around Tết
 * Nguyên Đán every year (and fixes which), so a year whose deadlines are
 * computed without any site.yaml entry near Tết is very likely counted
 * wrong by a few working days.
 */
#include <stdbool.h>

#include "model.h"

/* The years a warning can be about: those with a lunar calendar. */
#define FIRST_YEAR 1900
#define LAST_YEAR 2199
/* How far from Tết (lunar 1/1) the Government's extra days have fallen. */
#define TET_REACH 10

static void
note_year(bool *years, ck_day day)
{
	int y, m, d;

	if (day == CK_NODAY)
		return;
	ck_day_to_ymd(day, &y, &m, &d);
	if (y >= FIRST_YEAR && y <= LAST_YEAR)
		years[y - FIRST_YEAR] = true;
}

void
ck_model_report_holidays(const ck_model *m, ck_diags *d)
{
	bool years[LAST_YEAR - FIRST_YEAR + 1] = {false};
	unsigned line = 0, col = 0;
	char first[11], last[11];
	ck_day tet;
	size_t i;
	int y;

	note_year(years, m->today);
	for (i = 0; i < m->ndialogues; i++)
		note_year(years, m->dialogues[i]->conclusion_due);
	for (i = 0; i < m->nquestions; i++)
		note_year(years, m->questions[i]->answer_due);
	if (m->holidays_at != NULL) {
		line = m->holidays_at->line;
		col = m->holidays_at->col;
	}
	for (y = FIRST_YEAR; y <= LAST_YEAR; y++) {
		if (!years[y - FIRST_YEAR] ||
		    (tet = ck_lunar_tet(y)) == CK_NODAY)
			continue;
		if (ck_calendar_site_changed(m->calendar, tet - TET_REACH,
		                             tet + TET_REACH))
			continue;
		/* The statutory days: the last day of the year, then 1 to 4. */
		ck_day_iso(first, tet - 1);
		ck_day_iso(last, tet + 3);
		ck_diag(
		    d, CK_WARNING, m->site_path, line, col,
		    "no holidays around Tết %d in site.yaml: the Government "
		    "adds days off around Tết Nguyên Đán every year "
		    "(statutory: %s..%s); add the days it announced under "
		    "'holidays', e.g. '- {date: %s..%s, name: Nghỉ Tết "
		    "Nguyên Đán %d}' with its dates, and any Saturday "
		    "worked under 'workdays'",
		    y, first, last, first, last, y);
	}
}
