/*
 * ck_model_as_of: the last day on which something a citizen sees changed.
 * Every derived flag that depends on the day must add here the day it
 * turned (a new flag that forgets to makes its pages stale by a day, and a
 * flag that adds too much makes quiet days publish a commit).
 */
#include "model.h"

static void
note(ck_day *best, ck_day today, ck_day day)
{
	if (day != CK_NODAY && day <= today &&
	    (*best == CK_NODAY || day > *best))
		*best = day;
}

ck_day
ck_model_as_of(const ck_model *m)
{
	ck_day best = CK_NODAY, t = m->today;
	size_t i, k;

	for (i = 0; i < m->ndialogues; i++) {
		const ck_dialogue *dl = m->dialogues[i];

		note(&best, t, dl->published);
		note(&best, t, dl->plan_issued);
		note(&best, t, dl->date); /* planned -> held */
		if (dl->registration_deadline != CK_NODAY)
			note(&best, t, dl->registration_deadline + 1);
		if (dl->has_conclusion)
			note(&best, t, dl->conclusion_issued);
		if (dl->conclusion_overdue)
			note(&best, t, dl->conclusion_due + 1);
		for (k = 0; k < dl->nsupervision; k++)
			note(&best, t, dl->supervision[k].date);
		for (k = 0; k < dl->ndirectives; k++) {
			const ck_directive *dv = &dl->directives[k];
			size_t j;

			for (j = 0; j < dv->nprogress; j++)
				note(&best, t, dv->progress[j].date);
			for (j = 0; j < dv->nsupervision; j++)
				note(&best, t, dv->supervision[j].date);
			if (dv->overdue)
				note(&best, t, dv->due + 1);
		}
	}
	for (i = 0; i < m->nquestions; i++) {
		const ck_question *q = m->questions[i];

		note(&best, t, q->received);
		note(&best, t, q->answer_date);
		for (k = 0; k < q->nprogress; k++)
			note(&best, t, q->progress[k].date);
		if (q->answer_overdue)
			note(&best, t, q->answer_due + 1);
		if (q->overdue)
			note(&best, t, q->due + 1);
		/* Stale from the working day after its limit. */
		if (q->stale)
			note(&best, t,
			     ck_calendar_add_workdays(m->calendar, q->updated,
			                              m->stale_working_days) +
			         1);
		if (q->escalation != NULL) {
			const ck_escalation *e = q->escalation;

			note(&best, t, e->sent);
			if (e->replied)
				note(&best, t, e->reply_date);
			else if (e->reply_late)
				note(&best, t, e->reply_due + 1);
		}
	}
	/*
	 * A new quarter: the last one's report is complete, the coverage
	 * table gains a column and the last one's gaps become missed.
	 */
	if (best != CK_NODAY || (m->coverage && m->coverage_from != CK_NODAY &&
	                         m->coverage_from <= t))
		note(&best, t, ck_quarter_first(ck_quarter_of(t)));
	return best != CK_NODAY ? best : t;
}
