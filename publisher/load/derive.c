/* Deriving: statuses, working-day due dates and overdue flags, judged
 * against the model's `today` (content-format.md, "Derived"). */
#include <string.h>

#include "load.h"

static ck_day
later(ck_day a, ck_day b)
{
	if (a == CK_NODAY)
		return b;
	if (b == CK_NODAY)
		return a;
	return a > b ? a : b;
}

/* Working days after `from` up to and including `to` (0 when to <= from). */
static int
working_days_between(ck_calendar *c, ck_day from, ck_day to)
{
	int n = 0;
	ck_day d;

	for (d = from + 1; d <= to; d++)
		if (ck_calendar_is_workday(c, d))
			n++;
	return n;
}

static void
derive_escalation(ck_model *m, ck_escalation *e)
{
	ck_day end = e->replied ? e->reply_date : m->today;

	e->working_days = working_days_between(m->calendar, e->sent, end);
	e->reply_late = e->reply_due != CK_NODAY && end > e->reply_due;
	e->days_past_due = e->reply_late ? end - e->reply_due : 0;
}

static void
derive_directive(ck_model *m, ck_directive *dv)
{
	size_t i;

	dv->status = dv->nprogress > 0 ? dv->progress[dv->nprogress - 1].status
				       : CK_ST_RECEIVED;
	dv->done = !ck_status_open(dv->status);
	dv->overdue = !dv->done && dv->due != CK_NODAY && m->today > dv->due;
	dv->updated = dv->dialogue->conclusion_issued;
	for (i = 0; i < dv->nprogress; i++)
		dv->updated = later(dv->updated, dv->progress[i].date);
	if (dv->done)
		dv->dialogue->ndirectives_done++;
}

static void
derive_question(ck_model *m, ck_question *q)
{
	ck_dialogue *dl = q->dialogue;
	size_t i;

	if (q->asked_by == NULL)
		q->asked_by = ck_arena_printf(m->arena, "Người dân %s",
					      q->hamlet->name);
	if (q->nprogress > 0)
		q->status = q->progress[q->nprogress - 1].status;
	else
		q->status = q->has_answer ? CK_ST_ANSWERED : CK_ST_RECEIVED;
	q->open = ck_status_open(q->status);
	/* Undated dialogue: the answer is due at the meeting, not before. */
	q->answer_due = CK_NODAY;
	if (dl->date != CK_NODAY)
		q->answer_due = ck_calendar_add_workdays(
		    m->calendar, later(q->received, dl->date),
		    m->answer_working_days);
	q->answer_overdue = !q->has_answer && q->answer_due != CK_NODAY &&
			    m->today > q->answer_due;
	q->answered_late = q->has_answer && q->answer_date != CK_NODAY &&
			   q->answer_due != CK_NODAY &&
			   q->answer_date > q->answer_due;
	q->overdue = q->open && q->due != CK_NODAY && m->today > q->due;
	q->updated = later(q->received, q->answer_date);
	for (i = 0; i < q->nprogress; i++)
		q->updated = later(q->updated, q->progress[i].date);
	/* Past updated + stale_working_days without a word: flagged. */
	q->stale = q->open && q->updated != CK_NODAY &&
		   m->today > ck_calendar_add_workdays(m->calendar, q->updated,
						       m->stale_working_days);
	if (q->escalation)
		derive_escalation(m, q->escalation);
	dl->by_status[q->status]++;
}

static void
derive_dialogue(ck_model *m, ck_dialogue *dl)
{
	size_t i;

	dl->conclusion_due = CK_NODAY;
	if (dl->date != CK_NODAY)
		dl->conclusion_due = ck_calendar_add_workdays(
		    m->calendar, dl->date, m->conclusion_working_days);
	if (dl->status_set && strcmp(dl->status_set, "cancelled") == 0)
		dl->status = CK_DLG_CANCELLED;
	else if (dl->status_set && strcmp(dl->status_set, "postponed") == 0)
		dl->status = CK_DLG_POSTPONED;
	else if (dl->has_conclusion)
		dl->status = CK_DLG_CONCLUDED;
	else if (dl->date != CK_NODAY && m->today >= dl->date)
		dl->status = CK_DLG_HELD;
	else
		dl->status = CK_DLG_PLANNED;
	dl->conclusion_overdue = !dl->has_conclusion &&
				 dl->conclusion_due != CK_NODAY &&
				 dl->status == CK_DLG_HELD &&
				 m->today > dl->conclusion_due;
	dl->conclusion_late = dl->has_conclusion &&
			      dl->conclusion_due != CK_NODAY &&
			      dl->conclusion_issued > dl->conclusion_due;
	for (i = 0; i < dl->nquestions; i++)
		derive_question(m, dl->questions[i]);
	for (i = 0; i < dl->ndirectives; i++)
		derive_directive(m, &dl->directives[i]);
}

void
ck_model_derive(ck_model *m)
{
	size_t i;

	for (i = 0; i < m->ndialogues; i++)
		derive_dialogue(m, m->dialogues[i]);
}

/* A warning about a record, pointing at the key it concerns. */
static void
warn_at(ck_diags *d, const char *path, const ck_yaml_node *at, const char *msg,
	ck_day day)
{
	char iso[11];

	ck_day_iso(iso, day);
	ck_diag(d, CK_WARNING, path, at ? at->line : 0, at ? at->col : 0,
		msg, iso);
}

void
ck_model_report_status(const ck_model *m, ck_diags *d)
{
	const ck_dialogue *dl;
	const ck_question *q;
	size_t i, j;

	for (i = 0; i < m->ndialogues; i++) {
		dl = m->dialogues[i];
		if (dl->conclusion_overdue)
			warn_at(d, dl->path, dl->date_at,
				"conclusion overdue: it was due %s and there "
				"is no conclusion.md yet",
				dl->conclusion_due);
		if (dl->conclusion_late)
			warn_at(d, dl->conclusion_path,
				dl->conclusion_issued_at,
				"conclusion issued late: it was due %s",
				dl->conclusion_due);
		for (j = 0; j < dl->nquestions; j++) {
			q = dl->questions[j];
			if (q->answer_overdue)
				warn_at(d, q->path, q->received_at,
					"answer overdue: it was due %s",
					q->answer_due);
			if (q->overdue)
				warn_at(d, q->path, q->due_at,
					"still open after the promised date %s",
					q->due);
			if (q->answered_late)
				warn_at(d, q->path, q->answer_date_at,
					"answered late: the answer was due %s",
					q->answer_due);
			if (q->escalation && q->escalation->reply_late)
				warn_at(d, q->path,
					q->escalation->replied
					    ? q->escalation->reply_date_at
					    : q->escalation->reply_due_at,
					q->escalation->replied
					    ? "the higher level replied late: "
					      "the reply was due %s"
					    : "no reply from the higher level: "
					      "it was due %s",
					q->escalation->reply_due);
		}
	}
}
