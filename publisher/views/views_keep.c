/*
 * Kept pages: a list page (a topic's, a hamlet's, a status's, a
 * report's...) is a hundred questions' rows, and a province has tens of
 * thousands of such pages, most of them the same from one build to the
 * next. Each gets a fingerprint of everything its bytes follow from: the
 * program, the theme's templates and the page's values (value.h), where
 * each row counts by its own fingerprint, made once per question for the
 * whole pass instead of once per page that shows it. A site whose sink
 * still has the page made from the same fingerprint keeps it
 * (ck_site_keep): its rows are never made and it is never rendered.
 *
 * A question's page (a hundred thousand of them) is fingerprinted the same
 * way, except that its question's view, the largest part, counts by a
 * fingerprint of what the view is made from, read from the model
 * (vw_keep_question_fp): making the view to fingerprint it cost as much
 * as rendering it. A dialogue's page (its questions' rows, grouped) counts
 * its view by the dialogue's own, sealed, and its questions' rows.
 * CONGKHAI_CHECK_KEEP renders such pages anyway, and the sinks stop the
 * program when one made from the same fingerprint as before has other
 * bytes (outdir.c, publish_tree.c).
 *
 * What every page shares (the site's values, the dialogues' views, the
 * days) is sealed for the pass, so its fingerprint is read, not
 * recomputed, and any change to it during the pass is caught.
 */
#include <err.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "frontmatter.h"
#include "hash.h"
#include "jobs.h"
#include "views_int.h"

/* A question's own fingerprint: state 0 not made, 1 being made, 2 made. */
struct vw_own_fp {
	int state;
	uint64_t fp[2];
};

void
vw_keep_setup(ck_views *v)
{
	uint64_t prog[2], tmpl[2];
	ck_hash128_state st;

	v->keep = false;
	if (v->site == NULL || !ck_site_can_keep(v->site) ||
	    getenv("CONGKHAI_NO_KEEP") != NULL ||
	    ck_program_fingerprint(prog) != 0)
		return;
	ck_tmpl_set_fingerprint(tmpl, v->tmpl);
	/* Before any sealing (the side thread reads it as it is made). */
	ck_value_fingerprint(v->labels_fp, v->labels);
	ck_hash128_init(&st);
	ck_hash128_update(&st, "congkhai page\n", 14);
	ck_hash128_update(&st, prog, sizeof(prog));
	ck_hash128_update(&st, tmpl, sizeof(tmpl));
	ck_hash128_final(&st, v->keep_base);
	/* Before the side thread starts: it shares them. */
	v->own_fp = ck_arena_alloc(v->a, (v->nq + 1) * sizeof(*v->own_fp));
	v->keep = true;
}

/* Seals what the pages of a pass share (see the top). */
static void
seal_shared(ck_views *v)
{
	const ck_model *m = v->m;
	size_t i;

	/* What pages' contexts share: the site, labels, menus, counts. */
	for (i = 0; i < sizeof(v->ctx_base) / sizeof(*v->ctx_base); i++)
		ck_value_seal(v->ctx_base[i]);
	for (i = 0; i < m->ndialogues; i++)
		ck_value_seal(v->dview[i]);
	for (i = 0; i < v->days_cap; i++)
		if (v->days[i].day != CK_NODAY)
			ck_value_seal(v->days[i].map);
	for (i = 0; i < m->ntopics; i++) {
		ck_value_seal(v->topic_v[i]);
		ck_value_seal(v->by_topic[i].map);
	}
	for (i = 0; i < m->nhamlets; i++) {
		ck_value_seal(v->hamlet_v[i]);
		ck_value_seal(v->by_hamlet[i].map);
	}
	for (i = 0; i < m->ndepartments; i++) {
		ck_value_seal(v->dept_v[i]);
		ck_value_seal(v->by_dept[i].map);
	}
	for (i = 0; i < CK_ST_COUNT; i++)
		ck_value_seal(v->by_status[i].map);
	ck_value_seal(v->late.map);
	ck_value_seal(v->all.map);
	ck_value_seal(v->open.map);
}

/* The rows from..to of qsorted, fingerprinted by one thread. */
typedef struct {
	ck_views wv; /* the shared views, with this thread's scratch arena */
	size_t from, to;
} row_share;

static void *
fingerprint_rows(void *arg)
{
	row_share *sh = arg;
	ck_views *v = &sh->wv;
	size_t i;

	for (i = sh->from; i < sh->to; i++) {
		ck_value_fingerprint(v->rowfp[i],
		                     vw_question_row(v, &v->qsorted[i]));
		if (i % 256 == 255)
			ck_arena_reset(v->a);
	}
	return NULL;
}

void
vw_keep_begin(ck_views *v)
{
	size_t n = (size_t)(v->jobs > 0 ? v->jobs : 1), i;
	row_share *sh;

	if (!v->keep)
		return;
	ck_value_seal_begin();
	seal_shared(v);
	/*
	 * Each question's row, made and fingerprinted once for the pass, on
	 * as many threads as render (the shared values are only read, as
	 * when pages render).
	 */
	v->rowfp = calloc(v->nq ? v->nq : 1, sizeof(*v->rowfp));
	sh = calloc(n, sizeof(*sh));
	if (v->rowfp == NULL || sh == NULL)
		err(3, "calloc");
	for (i = 0; i < n; i++) {
		sh[i].wv = *v;
		sh[i].wv.a = ck_arena_new();
		sh[i].from = v->nq * i / n;
		sh[i].to = v->nq * (i + 1) / n;
	}
	ck_jobs_run(fingerprint_rows, sh, sizeof(*sh), n);
	for (i = 0; i < n; i++)
		ck_arena_free(sh[i].wv.a);
	free(sh);
}

void
vw_keep_end(ck_views *v)
{
	if (!v->keep)
		return;
	ck_value_seal_end();
	free(v->rowfp);
	v->rowfp = NULL;
}

/*
 * What the question fingerprint is fed: each piece with its kind and
 * length, so that no two different sequences feed the same bytes.
 */
static void
fp_str(ck_hash128_state *st, const char *s)
{
	uint64_t len;

	if (s == NULL) {
		ck_hash128_update(st, "0", 1);
		return;
	}
	len = strlen(s);
	ck_hash128_update(st, "s", 1);
	ck_hash128_update(st, &len, sizeof(len));
	ck_hash128_update(st, s, len);
}

static void
fp_num(ck_hash128_state *st, long long n)
{
	ck_hash128_update(st, "i", 1);
	ck_hash128_update(st, &n, sizeof(n));
}

static void
fp_value(ck_hash128_state *st, const ck_value *val)
{
	uint64_t fp[2];

	ck_value_fingerprint(fp, val);
	ck_hash128_update(st, "v", 1);
	ck_hash128_update(st, fp, sizeof(fp));
}

static void
fp_named(ck_hash128_state *st, const ck_named *n)
{
	fp_str(st, n ? n->id : NULL);
	fp_str(st, n ? n->name : NULL);
}

static void
fp_yaml(ck_hash128_state *st, const ck_yaml_node *n)
{
	size_t i;

	if (n == NULL) {
		ck_hash128_update(st, "0", 1);
		return;
	}
	fp_num(st, n->kind);
	fp_num(st, (n->plain ? 1 : 0) | (n->block ? 2 : 0));
	if (n->str != NULL) {
		fp_num(st, (long long)n->len);
		ck_hash128_update(st, n->str, n->len);
	} else {
		fp_str(st, NULL);
	}
	fp_num(st, (long long)n->n);
	for (i = 0; i < n->n; i++) {
		fp_yaml(st, n->keys ? n->keys[i] : NULL);
		fp_yaml(st, n->vals ? n->vals[i] : NULL);
	}
}

/*
 * Question q's own fields, and what is counted from them to the day pages
 * count to (as_of): what both its view and its record show of it.
 */
static void
fp_question(ck_hash128_state *st, const ck_views *v, const ck_question *q)
{
	size_t i;

	fp_str(st, q->id);
	fp_str(st, q->gid);
	fp_str(st, q->path);
	fp_str(st, q->relpath);
	fp_named(st, q->hamlet);
	fp_named(st, q->topic);
	fp_named(st, q->assigned_to);
	fp_str(st, q->channel);
	fp_str(st, q->asked_by);
	fp_num(st, q->received);
	fp_num(st, q->due);
	fp_num(st, q->has_answer);
	fp_str(st, q->answer_by);
	fp_num(st, q->answer_date);
	fp_str(st, q->question_html);
	fp_str(st, q->question_text);
	fp_str(st, q->answer_html);
	fp_str(st, q->answer_text);
	fp_num(st, (long long)q->nprogress);
	for (i = 0; i < q->nprogress; i++) {
		const ck_progress *p = &q->progress[i];

		fp_num(st, p->date);
		fp_num(st, p->status);
		fp_str(st, p->note_md);
		fp_str(st, p->note_html);
		fp_str(st, p->note_text);
	}
	fp_yaml(st, q->extra);
	if (q->escalation != NULL) {
		const ck_escalation *e = q->escalation;

		fp_str(st, e->to);
		fp_str(st, e->number);
		fp_num(st, e->sent);
		fp_num(st, e->reply_due);
		fp_num(st, e->replied);
		fp_str(st, e->reply_number);
		fp_num(st, e->reply_date);
		fp_num(st, e->working_days);
		fp_num(st, e->reply_late);
		fp_num(st, e->days_past_due);
		fp_num(st, vw_waiting_days(v, e));
	} else {
		fp_str(st, NULL);
	}
	/* Derived: the status and every day and count it follows from. */
	fp_num(st, q->status);
	fp_num(st, q->open);
	fp_num(st, q->answer_due);
	fp_num(st, q->answer_overdue);
	fp_num(st, q->answered_late);
	fp_num(st, q->overdue);
	fp_num(st, q->updated);
	fp_num(st, q->stale);
	fp_num(st, vw_late_days(v, q));
	fp_num(st, q->directive
	               ? (long long)(q->directive - q->dialogue->directives)
	               : -1);
	fp_num(st, (long long)q->nrevisions);
	for (i = 0; i < q->nrevisions; i++) {
		const ck_revision *rv = &q->revisions[i];

		fp_str(st, rv->date);
		fp_str(st, rv->commit);
		fp_str(st, rv->full);
		fp_str(st, rv->blob);
		fp_str(st, rv->path);
		fp_num(st, rv->described);
		fp_num(st, rv->changes);
		fp_str(st, rv->status_from);
		fp_str(st, rv->status_to);
	}
}

/*
 * The fingerprint of fp_question(q), made once per build: the first
 * thread to need it publishes it; one that finds it being made makes its
 * own (the same) rather than wait.
 */
static void
own_fp(const ck_views *v, const ck_question *q, uint64_t out[2])
{
	const vw_qref *c = vw_qref_find(v, q);
	struct vw_own_fp *o;
	ck_hash128_state st;
	int none = 0;

	o = c != NULL && v->own_fp != NULL ? &v->own_fp[c - v->qsorted] : NULL;
	if (o != NULL && __atomic_load_n(&o->state, __ATOMIC_ACQUIRE) == 2) {
		out[0] = o->fp[0];
		out[1] = o->fp[1];
		return;
	}
	ck_hash128_init(&st);
	fp_question(&st, v, q);
	ck_hash128_final(&st, out);
	if (o != NULL &&
	    __atomic_compare_exchange_n(&o->state, &none, 1, false,
	                                __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		o->fp[0] = out[0];
		o->fp[1] = out[1];
		__atomic_store_n(&o->state, 2, __ATOMIC_RELEASE);
	}
}

/*
 * The fingerprint of everything question r's view (views_values.c
 * question_values, views_followup.c vw_followup_question) is made from:
 * the question's fields, its row's summary, its dialogue's view (sealed,
 * which holds its directives' views), the labels, the day things are
 * counted to, and the site's addresses. A field the view comes to show
 * must be fed here too: CONGKHAI_CHECK_KEEP, on in the tests, stops the
 * program when a page made from the same fingerprint changes.
 */
static void
question_fp(ck_views *v, const vw_qref *r, uint64_t out[2])
{
	const ck_model *m = v->m;
	const ck_question *q = r->q;
	ck_hash128_state st;
	uint64_t own[2];

	ck_hash128_init(&st);
	ck_hash128_update(&st, "congkhai question 2\n", 20);
	/* Shared by all, sealed: read, not recomputed. */
	fp_value(&st, v->labels);
	fp_value(&st, r->dview);
	fp_num(&st, v->as_of);
	fp_str(&st, m->base_url);
	fp_str(&st, m->source_url);
	fp_str(&st, m->source_kind);
	fp_str(&st, r->summary);
	fp_str(&st, q->dialogue->slug);
	fp_str(&st, q->dialogue->code);
	own_fp(v, q, own);
	ck_hash128_update(&st, own, sizeof(own));
	ck_hash128_final(&st, out);
}

void
vw_keep_record_fp(const ck_views *v, const vw_qref *r, uint64_t out[2])
{
	const ck_question *q = r->q;
	ck_hash128_state st;
	uint64_t own[2];

	ck_hash128_init(&st);
	ck_hash128_update(&st, "congkhai record 2\n", 18);
	ck_hash128_update(&st, v->keep_base, sizeof(v->keep_base));
	ck_hash128_update(&st, v->labels_fp, sizeof(v->labels_fp));
	fp_num(&st, v->as_of);
	fp_str(&st, v->m->base_url);
	fp_str(&st, q->dialogue->slug);
	fp_str(&st, q->dialogue->code);
	own_fp(v, q, own);
	ck_hash128_update(&st, own, sizeof(own));
	ck_hash128_final(&st, out);
}

/*
 * Begins a page's fingerprint with what every page's starts with: the
 * program's and templates' fingerprint, the page's template and its
 * context (ck_value_fingerprint).
 */
static void
page_fp_begin(ck_hash128_state *st, const ck_views *v, const vw_page *page)
{
	uint64_t ctx[2];

	ck_value_fingerprint(ctx, page->ctx);
	ck_hash128_init(st);
	ck_hash128_update(st, v->keep_base, sizeof(v->keep_base));
	ck_hash128_update(st, page->tmpl, strlen(page->tmpl) + 1);
	ck_hash128_update(st, ctx, sizeof(ctx));
}

void
vw_keep_dialogue_page_fp(ck_views *v, vw_page *page, size_t i)
{
	const ck_dialogue *dl = v->m->dialogues[i];
	const vw_qref **refs;
	ck_value *rows;
	uint64_t dfp[2], rfp[2];
	ck_hash128_state st;
	size_t k;

	refs = ck_arena_alloc(v->a, (dl->nquestions + 1) * sizeof(*refs));
	for (k = 0; k < dl->nquestions; k++)
		refs[k] = vw_qref_find(v, dl->questions[k]);
	rows = vw_keep_rows(v, refs, dl->nquestions);
	if (rows == NULL)
		return; /* not kept: made and rendered */
	ck_value_fingerprint(dfp, v->dview[i]);
	ck_value_fingerprint(rfp, rows);
	page_fp_begin(&st, v, page);
	ck_hash128_update(&st, "d", 1);
	ck_hash128_update(&st, dfp, sizeof(dfp));
	ck_hash128_update(&st, rfp, sizeof(rfp));
	ck_hash128_final(&st, page->fp);
	page->has_fp = true;
}

void
vw_keep_question_page_fp(ck_views *v, vw_page *page, const vw_qref *r)
{
	uint64_t qfp[2];
	ck_hash128_state st;

	question_fp(v, r, qfp);
	page_fp_begin(&st, v, page);
	ck_hash128_update(&st, "q", 1);
	ck_hash128_update(&st, qfp, sizeof(qfp));
	ck_hash128_final(&st, page->fp);
	page->has_fp = true;
}

ck_value *
vw_keep_rows(ck_views *v, const vw_qref *const *refs, size_t n)
{
	uint64_t(*fps)[2] = ck_arena_alloc(v->a, (n ? n : 1) * sizeof(*fps));
	size_t i, k;

	for (i = 0; i < n; i++) {
		/* The lists hold what vw_qref_find gives: qsorted's. */
		uintptr_t at = (uintptr_t)refs[i], lo = (uintptr_t)v->qsorted;

		if (at < lo || at >= lo + v->nq * sizeof(*v->qsorted))
			return NULL;
		k = (at - lo) / sizeof(*v->qsorted);
		fps[i][0] = v->rowfp[k][0];
		fps[i][1] = v->rowfp[k][1];
	}
	return ck_value_list_fingerprinted(v->a, (const uint64_t(*)[2])fps, n);
}

void
vw_keep_page_fp(const ck_views *v, vw_page *page)
{
	ck_hash128_state st;

	page_fp_begin(&st, v, page);
	ck_hash128_final(&st, page->fp);
	page->has_fp = true;
}
