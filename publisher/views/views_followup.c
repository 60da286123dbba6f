/*
 * The follow-up of the work (issue #8): escalations to a higher level, the
 * conclusion's directives, the Front's supervision, staleness and lateness,
 * in the records and views of views_values.c; the escalations page
 * (chuyen-cap/); and the JSON Schemas of the open data (data/schema/),
 * generated here from the same description the tests hold the output to.
 */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "views_int.h"

static ck_value *
str_or_null(ck_views *v, const char *s)
{
	return s ? ck_value_str_ref(v->a, s) : v->vnull;
}

/* {id, name} of a department, shared with the rest of the views. */
static ck_value *
dept_of(ck_views *v, const ck_named *x)
{
	const ck_model *m = v->m;
	ck_value *map;

	if (x == NULL)
		return v->vnull;
	if (m->ndepartments > 0 && x >= m->departments &&
	    x < m->departments + m->ndepartments)
		return v->dept_v[x - m->departments];
	map = ck_value_map(v->a);
	ck_value_set_str(map, "id", x->id);
	ck_value_set_str(map, "name", x->name);
	return map;
}

static ck_value *
signer_of(ck_views *v, const char *name, const char *title)
{
	ck_value *s;

	if (name == NULL && title == NULL)
		return v->vnull;
	s = ck_value_map(v->a);
	ck_value_set(s, "name", str_or_null(v, name));
	ck_value_set(s, "title", str_or_null(v, title));
	return s;
}

/* A list, and has_<key>: an empty list's wrapper needs a test. */
static void
set_list(ck_views *v, ck_value *map, const char *key, ck_value *list)
{
	ck_value_set(map, key, list);
	ck_value_set(map, ck_arena_printf(v->a, "has_%s", key),
	             vw_bool(v, ck_value_len(list) > 0));
}

/* supervision: the record's [{date, by, note_html}] and the view's list. */
static void
supervision_values(ck_views *v, const ck_supervision *s, size_t n,
                   ck_value **json, ck_value **view)
{
	ck_value *x, *y;
	size_t i;

	*json = ck_value_list(v->a);
	*view = ck_value_list(v->a);
	for (i = 0; i < n; i++) {
		x = ck_value_map(v->a);
		ck_value_set(x, "date", vw_day_iso(v, s[i].date));
		ck_value_set(x, "by", ck_value_str_ref(v->a, s[i].by));
		ck_value_set(x, "note_html",
		             ck_value_str_ref(
		                 v->a, s[i].note_html ? s[i].note_html : ""));
		ck_value_push(*json, x);
		y = ck_value_map(v->a);
		ck_value_set(y, "date_d", vw_day_map(v, s[i].date));
		ck_value_set(y, "by", ck_value_get(x, "by"));
		ck_value_set(y, "note_html", ck_value_get(x, "note_html"));
		ck_value_push(*view, y);
	}
}

static ck_value *
progress_json(ck_views *v, const ck_progress *p, size_t n, ck_value **view)
{
	ck_value *l = ck_value_list(v->a), *x, *y;
	size_t i;

	*view = ck_value_list(v->a);
	for (i = 0; i < n; i++) {
		x = ck_value_map(v->a);
		ck_value_set(x, "date", vw_day_iso(v, p[i].date));
		ck_value_set(x, "status", v->st_name[p[i].status]);
		ck_value_set(x, "note_html",
		             ck_value_str_ref(
		                 v->a, p[i].note_html ? p[i].note_html : ""));
		ck_value_push(l, x);
		y = ck_value_map(v->a);
		ck_value_set(y, "date_d", vw_day_map(v, p[i].date));
		ck_value_set(y, "status", v->st_name[p[i].status]);
		ck_value_set(y, "status_slug", v->st_slug[p[i].status]);
		ck_value_set(y, "status_text", v->st_text[p[i].status]);
		ck_value_set(y, "note_html", ck_value_get(x, "note_html"));
		ck_value_push(*view, y);
	}
	return l;
}

static void
directive_values(ck_views *v, const ck_directive *dv, ck_value **json,
                 ck_value **view)
{
	ck_arena *a = v->a;
	ck_value *j = ck_value_map(a), *w = ck_value_map(a), *qs, *qv, *x, *pv,
	         *sj, *sv;
	size_t i;

	ck_value_set(j, "id", ck_value_str_ref(a, dv->id));
	ck_value_set(j, "text", ck_value_str_ref(a, dv->text_text));
	ck_value_set(j, "text_html", ck_value_str_ref(a, dv->text_html));
	ck_value_set(j, "assigned_to", dept_of(v, dv->assigned_to));
	ck_value_set(j, "due", vw_day_iso(v, dv->due));
	ck_value_set(j, "status", v->st_name[dv->status]);
	ck_value_set(j, "status_label", v->st_label[dv->status]);
	ck_value_set(j, "done", vw_bool(v, dv->done));
	ck_value_set(j, "overdue", vw_bool(v, dv->overdue));
	ck_value_set(j, "updated", vw_day_iso(v, dv->updated));
	qs = ck_value_list(a);
	qv = ck_value_list(a);
	for (i = 0; i < dv->nquestions; i++) {
		ck_value_push(qs, ck_value_str_ref(a, dv->questions[i]->gid));
		x = ck_value_map(a);
		ck_value_set_str(x, "number", dv->questions[i]->id);
		ck_value_set(
		    x, "path",
		    ck_value_str_ref(
		        a, ck_arena_printf(a, "doi-thoai/%s/%s/index.html",
		                           dv->dialogue->slug,
		                           dv->questions[i]->id)));
		ck_value_push(qv, x);
	}
	ck_value_set(j, "questions", qs);
	ck_value_set(j, "progress",
	             progress_json(v, dv->progress, dv->nprogress, &pv));
	supervision_values(v, dv->supervision, dv->nsupervision, &sj, &sv);
	ck_value_set(j, "supervision", sj);

	for (i = 0; i < ck_value_len(j); i++)
		ck_value_set(w, ck_value_key_at(j, i), ck_value_val_at(j, i));
	ck_value_set(
	    w, "anchor",
	    ck_value_str_ref(a, ck_arena_printf(a, "chi-dao-%s", dv->id)));
	ck_value_set(w, "due_d", vw_day_map(v, dv->due));
	ck_value_set(w, "updated_d", vw_day_map(v, dv->updated));
	ck_value_set(w, "status_slug", v->st_slug[dv->status]);
	ck_value_set(w, "status_text", v->st_text[dv->status]);
	set_list(v, w, "questions_v", qv);
	set_list(v, w, "progress_v", pv);
	set_list(v, w, "supervision_v", sv);
	*json = j;
	*view = w;
}

void
vw_followup_dialogue(ck_views *v, const ck_dialogue *dl, ck_value *j,
                     ck_value *w)
{
	ck_arena *a = v->a;
	ck_value *x, *dj, *dw, *sj, *sv;
	size_t i;

	/* The open record gets what the page shows (issue #8 item 7). */
	ck_value_set(j, "time", str_or_null(v, dl->time));
	ck_value_set(j, "chairs", ck_value_get(w, "chairs"));
	ck_value_set(j, "participants", ck_value_get(w, "participants"));
	ck_value_set(j, "attendance",
	             dl->attendance >= 0 ? ck_value_int(a, dl->attendance)
	                                 : v->vnull);
	if (dl->has_plan) {
		x = ck_value_map(a);
		ck_value_set(x, "number", str_or_null(v, dl->plan_number));
		ck_value_set(x, "issued", vw_day_iso(v, dl->plan_issued));
		ck_value_set(x, "issuer", str_or_null(v, dl->plan_issuer));
		ck_value_set(
		    x, "signer",
		    signer_of(v, dl->plan_signer_name, dl->plan_signer_title));
		ck_value_set(j, "plan", x);
	} else {
		ck_value_set(j, "plan", v->vnull);
	}
	ck_value_set(j, "legal_basis", ck_value_get(w, "legal_basis"));
	ck_value_set(j, "topics", ck_value_get(w, "topics_v"));
	/* [] means every hamlet of the unit. */
	ck_value_set(j, "hamlets", ck_value_get(w, "hamlets_v"));
	if (dl->has_conclusion) {
		x = ck_value_map(a);
		ck_value_set(x, "number",
		             str_or_null(v, dl->conclusion_number));
		ck_value_set(x, "issued", vw_day_iso(v, dl->conclusion_issued));
		ck_value_set(x, "signer",
		             signer_of(v, dl->conclusion_signer_name,
		                       dl->conclusion_signer_title));
		ck_value_set(x, "late", vw_bool(v, dl->conclusion_late));
		ck_value_set(j, "conclusion", x);
	} else {
		ck_value_set(j, "conclusion", v->vnull);
	}
	dj = ck_value_list(a);
	dw = ck_value_list(a);
	for (i = 0; i < dl->ndirectives; i++) {
		ck_value *one_j, *one_w;

		directive_values(v, &dl->directives[i], &one_j, &one_w);
		ck_value_push(dj, one_j);
		ck_value_push(dw, one_w);
	}
	ck_value_set(j, "directives", dj);
	supervision_values(v, dl->supervision, dl->nsupervision, &sj, &sv);
	ck_value_set(j, "supervision", sj);

	set_list(v, w, "directives_v", dw);
	ck_value_set_int(w, "directives_done", (long long)dl->ndirectives_done);
	ck_value_set_int(w, "directive_count", (long long)dl->ndirectives);
	set_list(v, w, "supervision_v", sv);
}


/*
 * Working days an escalation still unanswered has waited, counted to as_of
 * rather than today (like every count of days on the pages): a quiet day
 * must change no page, and as_of moves on the day the reply falls due.
 */
long long
vw_waiting_days(const ck_views *v, const ck_escalation *e)
{
	long long n = 0;
	ck_day d;

	for (d = e->sent + 1; d <= v->as_of; d++)
		if (ck_calendar_is_workday(v->m->calendar, d))
			n++;
	return n;
}

/* The escalation's record (or null) and, through *view, its view. */
static ck_value *
escalation_values(ck_views *v, const ck_escalation *e, ck_value **view)
{
	ck_arena *a = v->a;
	ck_value *j, *w, *r;
	size_t i;

	*view = v->vnull;
	if (e == NULL)
		return v->vnull;
	j = ck_value_map(a);
	ck_value_set(j, "to", ck_value_str_ref(a, e->to));
	ck_value_set(j, "number", str_or_null(v, e->number));
	ck_value_set(j, "sent", vw_day_iso(v, e->sent));
	ck_value_set(j, "reply_due", vw_day_iso(v, e->reply_due));
	if (e->replied) {
		r = ck_value_map(a);
		ck_value_set(r, "number", str_or_null(v, e->reply_number));
		ck_value_set(r, "date", vw_day_iso(v, e->reply_date));
		ck_value_set(j, "reply", r);
	} else {
		ck_value_set(j, "reply", v->vnull);
	}
	ck_value_set(j, "replied", vw_bool(v, e->replied));
	ck_value_set_int(j, "working_days",
	                 e->replied ? e->working_days : vw_waiting_days(v, e));
	ck_value_set(j, "reply_late", vw_bool(v, e->reply_late));
	ck_value_set_int(j, "days_past_due",
	                 !e->replied && e->reply_late
	                     ? (long long)(v->as_of - e->reply_due)
	                     : e->days_past_due);

	w = ck_value_map(a);
	for (i = 0; i < ck_value_len(j); i++)
		ck_value_set(w, ck_value_key_at(j, i), ck_value_val_at(j, i));
	ck_value_set(w, "sent_d", vw_day_map(v, e->sent));
	ck_value_set(w, "reply_due_d", vw_day_map(v, e->reply_due));
	ck_value_set(w, "reply_d", vw_day_map(v, e->reply_date));
	ck_value_set(w, "reply_number", str_or_null(v, e->reply_number));
	*view = w;
	return j;
}

void
vw_followup_question(ck_views *v, const ck_question *q, ck_value *dview,
                     ck_value *j, ck_value *w)
{
	ck_value *ev, *dirs;

	ck_value_set(j, "answer_by", str_or_null(v, q->answer_by));
	ck_value_set(j, "answered_late", vw_bool(v, q->answered_late));
	ck_value_set(j, "stale", vw_bool(v, q->stale));
	ck_value_set(j, "escalation", escalation_values(v, q->escalation, &ev));

	/* w reads the record's entries; only the escalation differs. */
	ck_value_set(w, "escalation", ev);
	/* The directive's view, as the dialogue's page shows it. */
	dirs = ck_value_get(dview, "directives_v");
	ck_value_set(w, "directive",
	             q->directive && dirs
	                 ? ck_value_at(dirs, (size_t)(q->directive -
	                                              q->dialogue->directives))
	                 : v->vnull);
}

/* The escalations page: still waiting first (oldest sent first), then
 * replied, newest reply first. */
static int
cmp_escalated(const void *x, const void *y)
{
	const ck_question *a = (*(const vw_qref *const *)x)->q;
	const ck_question *b = (*(const vw_qref *const *)y)->q;
	const ck_escalation *ea = a->escalation, *eb = b->escalation;

	if (ea->replied != eb->replied)
		return ea->replied ? 1 : -1;
	if (!ea->replied && ea->sent != eb->sent)
		return ea->sent < eb->sent ? -1 : 1;
	if (ea->replied && ea->reply_date != eb->reply_date)
		return ea->reply_date > eb->reply_date ? -1 : 1;
	return strcmp(a->gid, b->gid);
}

typedef struct {
	vw_refs waiting, replied;
	long late;
} vw_escalations;

static void
escalations_page(ck_views *wv, size_t i, vw_page *page, const void *arg)
{
	const vw_escalations *e = arg;
	ck_value *c = vw_page_ctx(
	    wv, 1, "escalations",
	    ck_value_str(wv->a, ck_arena_printf(wv->a, "%schuyen-cap/",
	                                        wv->m->base_url)));

	(void)i;
	set_list(wv, c, "waiting",
	         vw_question_views(wv, e->waiting.v, e->waiting.len));
	set_list(wv, c, "replied",
	         vw_question_views(wv, e->replied.v, e->replied.len));
	ck_value_set_int(c, "waiting_count", (long long)e->waiting.len);
	ck_value_set_int(c, "replied_count", (long long)e->replied.len);
	ck_value_set_int(c, "late_count", e->late);
	page->tmpl = "escalations";
	page->ctx = c;
	page->path = "chuyen-cap/index.html";
}

int
vw_render_followup_pages(ck_views *v)
{
	const vw_qref **refs;
	vw_escalations e;
	size_t i, n = 0;

	refs = ck_arena_alloc(v->a, (v->nqrefs + 1) * sizeof(*refs));
	for (i = 0; i < v->nqrefs; i++)
		if (v->qrefs[i].q->escalation)
			refs[n++] = &v->qrefs[i];
	if (n > 1)
		qsort(refs, n, sizeof(*refs), cmp_escalated);
	memset(&e, 0, sizeof(e));
	for (i = 0; i < n; i++) {
		vw_refs_push(v->a,
		             refs[i]->q->escalation->replied ? &e.replied
		                                             : &e.waiting,
		             refs[i]);
		e.late += refs[i]->q->escalation->reply_late;
	}
	return vw_render_all(v, 1, escalations_page, &e);
}

/*
 * The JSON Schemas (draft 2020-12) of data/questions.json and
 * data/dialogues.json. Every object lists all its keys as required and
 * allows no others, so the tests that validate the output against them
 * catch a field added, dropped or of another type on either side.
 */
typedef enum {
	S_STR,
	S_STR_NULL,
	S_DATE,
	S_DATE_NULL,
	S_BOOL,
	S_INT,
	S_INT_NULL,
	S_NAMED,
	S_NAMED_NULL,
	S_STRS,
	S_STRS_NULL,
	S_NAMEDS,
	S_STATUS,
	S_OBJ,      /* sub: its fields */
	S_OBJ_NULL, /* sub: its fields */
	S_LIST_OBJ, /* sub: the items' fields */
	S_ANY,      /* extra: whatever the records hold */
} s_type;

typedef struct s_field {
	const char *key;
	s_type type;
	const struct s_field *sub;
} s_field;

#define S_END                                                                  \
	{                                                                      \
		NULL, S_ANY, NULL                                              \
	}

static const s_field f_named[] = {
    {"id", S_STR, NULL}, {"name", S_STR, NULL}, S_END};
static const s_field f_progress[] = {{"date", S_DATE, NULL},
                                     {"status", S_STATUS, NULL},
                                     {"note_html", S_STR, NULL},
                                     S_END};
static const s_field f_revision[] = {{"date", S_STR, NULL},
                                     {"commit", S_STR, NULL},
                                     {"changes", S_STRS_NULL, NULL},
                                     S_END};
static const s_field f_reply[] = {
    {"number", S_STR_NULL, NULL}, {"date", S_DATE, NULL}, S_END};
static const s_field f_escalation[] = {{"to", S_STR, NULL},
                                       {"number", S_STR_NULL, NULL},
                                       {"sent", S_DATE, NULL},
                                       {"reply_due", S_DATE_NULL, NULL},
                                       {"reply", S_OBJ_NULL, f_reply},
                                       {"replied", S_BOOL, NULL},
                                       {"working_days", S_INT, NULL},
                                       {"reply_late", S_BOOL, NULL},
                                       {"days_past_due", S_INT, NULL},
                                       S_END};
static const s_field f_contact[] = {{"address", S_STR_NULL, NULL},
                                    {"phone", S_STR_NULL, NULL},
                                    {"email", S_STR_NULL, NULL},
                                    S_END};
static const s_field f_site[] = {{"name", S_STR, NULL},
                                 {"unit_type", S_STR, NULL},
                                 {"province", S_STR_NULL, NULL},
                                 {"base_url", S_STR, NULL},
                                 {"contact", S_OBJ_NULL, f_contact},
                                 {"hamlets", S_NAMEDS, NULL},
                                 {"topics", S_NAMEDS, NULL},
                                 {"departments", S_NAMEDS, NULL},
                                 S_END};
static const s_field f_question[] = {{"id", S_STR, NULL},
                                     {"ref", S_STR, NULL},
                                     {"dialogue", S_STR, NULL},
                                     {"url", S_STR, NULL},
                                     {"path", S_STR, NULL},
                                     {"asked_by", S_STR, NULL},
                                     {"hamlet", S_NAMED, NULL},
                                     {"topic", S_NAMED, NULL},
                                     {"assigned_to", S_NAMED_NULL, NULL},
                                     {"channel", S_STR, NULL},
                                     {"received", S_DATE, NULL},
                                     {"status", S_STATUS, NULL},
                                     {"status_label", S_STR, NULL},
                                     {"open", S_BOOL, NULL},
                                     {"answered", S_DATE_NULL, NULL},
                                     {"answer_due", S_DATE_NULL, NULL},
                                     {"answer_overdue", S_BOOL, NULL},
                                     {"due", S_DATE_NULL, NULL},
                                     {"overdue", S_BOOL, NULL},
                                     {"updated", S_DATE, NULL},
                                     {"progress", S_LIST_OBJ, f_progress},
                                     {"question_html", S_STR, NULL},
                                     {"answer_html", S_STR_NULL, NULL},
                                     {"revisions", S_LIST_OBJ, f_revision},
                                     {"answer_by", S_STR_NULL, NULL},
                                     {"answered_late", S_BOOL, NULL},
                                     {"stale", S_BOOL, NULL},
                                     {"escalation", S_OBJ_NULL, f_escalation},
                                     S_END};
static const s_field f_questions_file[] = {
    {"as_of", S_DATE, NULL},
    {"site", S_OBJ, f_site},
    {"questions", S_LIST_OBJ, f_question},
    S_END};

static const s_field f_signer[] = {
    {"name", S_STR_NULL, NULL}, {"title", S_STR_NULL, NULL}, S_END};
static const s_field f_plan[] = {{"number", S_STR_NULL, NULL},
                                 {"issued", S_DATE_NULL, NULL},
                                 {"issuer", S_STR_NULL, NULL},
                                 {"signer", S_OBJ_NULL, f_signer},
                                 S_END};
static const s_field f_conclusion[] = {{"number", S_STR_NULL, NULL},
                                       {"issued", S_DATE, NULL},
                                       {"signer", S_OBJ_NULL, f_signer},
                                       {"late", S_BOOL, NULL},
                                       S_END};
static const s_field f_supervision[] = {{"date", S_DATE, NULL},
                                        {"by", S_STR, NULL},
                                        {"note_html", S_STR, NULL},
                                        S_END};
static const s_field f_directive[] = {
    {"id", S_STR, NULL},
    {"text", S_STR, NULL},
    {"text_html", S_STR, NULL},
    {"assigned_to", S_NAMED_NULL, NULL},
    {"due", S_DATE_NULL, NULL},
    {"status", S_STATUS, NULL},
    {"status_label", S_STR, NULL},
    {"done", S_BOOL, NULL},
    {"overdue", S_BOOL, NULL},
    {"updated", S_DATE_NULL, NULL},
    {"questions", S_STRS, NULL},
    {"progress", S_LIST_OBJ, f_progress},
    {"supervision", S_LIST_OBJ, f_supervision},
    S_END};
static const s_field f_by_status[] = {{"received", S_INT, NULL},
                                      {"in_progress", S_INT, NULL},
                                      {"escalated", S_INT, NULL},
                                      {"answered", S_INT, NULL},
                                      {"resolved", S_INT, NULL},
                                      {"declined", S_INT, NULL},
                                      S_END};
static const s_field f_dialogue[] = {
    {"slug", S_STR, NULL},
    {"code", S_STR_NULL, NULL},
    {"title", S_STR, NULL},
    {"kind", S_STR, NULL},
    {"date", S_DATE_NULL, NULL},
    {"date_text", S_STR_NULL, NULL},
    {"location", S_STR_NULL, NULL},
    {"status", S_STR, NULL},
    {"registration_deadline", S_DATE_NULL, NULL},
    {"conclusion_due", S_DATE_NULL, NULL},
    {"conclusion_issued", S_DATE_NULL, NULL},
    {"conclusion_overdue", S_BOOL, NULL},
    {"url", S_STR, NULL},
    {"path", S_STR, NULL},
    {"question_count", S_INT, NULL},
    {"by_status", S_OBJ, f_by_status},
    {"time", S_STR_NULL, NULL},
    {"chairs", S_STRS, NULL},
    {"participants", S_STRS, NULL},
    {"attendance", S_INT_NULL, NULL},
    {"plan", S_OBJ_NULL, f_plan},
    {"legal_basis", S_STRS, NULL},
    {"topics", S_NAMEDS, NULL},
    {"hamlets", S_NAMEDS, NULL},
    {"conclusion", S_OBJ_NULL, f_conclusion},
    {"directives", S_LIST_OBJ, f_directive},
    {"supervision", S_LIST_OBJ, f_supervision},
    S_END};
static const s_field f_dialogues_file[] = {
    {"as_of", S_DATE, NULL}, {"dialogues", S_LIST_OBJ, f_dialogue}, S_END};

static ck_value *schema_object(ck_views *v, const s_field *f);

/* {"type": t} or {"type": [t, "null"]}. */
static ck_value *
schema_type(ck_views *v, const char *t, bool nullable)
{
	ck_value *s = ck_value_map(v->a), *l;

	if (!nullable) {
		ck_value_set_str(s, "type", t);
		return s;
	}
	l = ck_value_list(v->a);
	ck_value_push(l, ck_value_str(v->a, t));
	ck_value_push(l, ck_value_str(v->a, "null"));
	ck_value_set(s, "type", l);
	return s;
}

static ck_value *
schema_field(ck_views *v, const s_field *f)
{
	ck_value *s, *l;
	size_t i;

	switch (f->type) {
	case S_STR:
		return schema_type(v, "string", false);
	case S_STR_NULL:
		return schema_type(v, "string", true);
	case S_DATE:
	case S_DATE_NULL:
		s = schema_type(v, "string", f->type == S_DATE_NULL);
		ck_value_set_str(s, "pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
		return s;
	case S_BOOL:
		return schema_type(v, "boolean", false);
	case S_INT:
		s = schema_type(v, "integer", false);
		ck_value_set_int(s, "minimum", 0);
		return s;
	case S_INT_NULL:
		s = schema_type(v, "integer", true);
		ck_value_set_int(s, "minimum", 0);
		return s;
	case S_NAMED:
		return schema_object(v, f_named);
	case S_NAMED_NULL:
		s = schema_object(v, f_named);
		ck_value_set(
		    s, "type",
		    ck_value_get(schema_type(v, "object", true), "type"));
		return s;
	case S_STRS:
	case S_STRS_NULL:
		s = schema_type(v, "array", f->type == S_STRS_NULL);
		ck_value_set(s, "items", schema_type(v, "string", false));
		return s;
	case S_NAMEDS:
		s = schema_type(v, "array", false);
		ck_value_set(s, "items", schema_object(v, f_named));
		return s;
	case S_STATUS:
		s = ck_value_map(v->a);
		l = ck_value_list(v->a);
		for (i = 0; i < CK_ST_COUNT; i++)
			ck_value_push(l, v->st_name[i]);
		ck_value_set(s, "enum", l);
		return s;
	case S_OBJ:
		return schema_object(v, f->sub);
	case S_OBJ_NULL:
		s = schema_object(v, f->sub);
		ck_value_set(
		    s, "type",
		    ck_value_get(schema_type(v, "object", true), "type"));
		return s;
	case S_LIST_OBJ:
		s = schema_type(v, "array", false);
		ck_value_set(s, "items", schema_object(v, f->sub));
		return s;
	case S_ANY:
		break;
	}
	return ck_value_map(v->a);
}

static ck_value *
schema_object(ck_views *v, const s_field *f)
{
	ck_value *s = schema_type(v, "object", false);
	ck_value *props = ck_value_map(v->a), *req = ck_value_list(v->a);

	for (; f->key; f++) {
		ck_value_set(props, f->key, schema_field(v, f));
		ck_value_push(req, ck_value_str_ref(v->a, f->key));
	}
	ck_value_set(s, "properties", props);
	ck_value_set(s, "required", req);
	ck_value_set(s, "additionalProperties", v->vfalse);
	return s;
}

static void
write_schema(ck_views *v, const char *file, const char *title,
             const s_field *fields)
{
	ck_buf out = CK_BUF_INIT;
	ck_value *root = ck_value_map(v->a), *body = schema_object(v, fields);
	size_t i;

	ck_value_set_str(root, "$schema",
	                 "https://json-schema.org/draft/2020-12/schema");
	ck_value_set(
	    root, "$id",
	    ck_value_str(v->a, ck_arena_printf(v->a, "%sdata/schema/%s",
	                                       v->m->base_url, file)));
	ck_value_set_str(root, "title", title);
	for (i = 0; i < ck_value_len(body); i++)
		ck_value_set(root, ck_value_key_at(body, i),
		             ck_value_val_at(body, i));
	ck_json_write(&out, root);
	ck_site_add_buf(v->site, ck_arena_printf(v->a, "data/schema/%s", file),
	                &out);
}

int
vw_render_followup_data(ck_views *v)
{
	write_schema(v, "questions.json", "data/questions.json",
	             f_questions_file);
	write_schema(v, "dialogues.json", "data/dialogues.json",
	             f_dialogues_file);
	return 0;
}
