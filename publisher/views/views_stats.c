/*
 * The statistics page (thong-ke/index.html): how well the commune answers
 * and resolves, for the whole unit and by topic, hamlet and department.
 * Each figure is written out with what it is made of ("8/10") beside an
 * inline SVG bar, so the page says the same without its pictures, and every
 * figure is defined on the page:
 *
 *   on-time answer rate  answered by answer_due, out of the questions whose
 *                        answer is in or overdue (those not yet due wait)
 *   resolution rate      resolved, out of every question
 *   median days          received -> answer date; received -> the progress
 *                        entry that made it resolved (calendar days)
 */
#include <stdlib.h>
#include <string.h>

#include "views_int.h"

/* What one row of a chart counts. */
typedef struct {
	const char *name;
	const char *path; /* its list page, or NULL */
	long count;
	long answer_den, answer_on_time, resolved;
	long *answer_days, *resolve_days; /* in the arena, up to count each */
	size_t nanswer, nresolve;
} st_acc;

static void
acc_init(ck_views *v, st_acc *acc, const char *name, const char *path,
         size_t cap)
{
	memset(acc, 0, sizeof(*acc));
	acc->name = name;
	acc->path = path;
	acc->answer_days = ck_arena_alloc(v->a, (cap + 1) * sizeof(long));
	acc->resolve_days = ck_arena_alloc(v->a, (cap + 1) * sizeof(long));
}

static void
acc_add(st_acc *acc, const ck_question *q)
{
	acc->count++;
	if (q->answer_date != CK_NODAY) {
		acc->answer_den++;
		if (q->answer_due == CK_NODAY ||
		    q->answer_date <= q->answer_due)
			acc->answer_on_time++;
		if (q->received != CK_NODAY)
			acc->answer_days[acc->nanswer++] =
			    (long)(q->answer_date - q->received);
	} else if (q->answer_overdue) {
		acc->answer_den++;
	}
	if (q->status == CK_ST_RESOLVED) {
		acc->resolved++;
		/* The last progress entry is the one that made it resolved. */
		if (q->nprogress > 0 && q->received != CK_NODAY)
			acc->resolve_days[acc->nresolve++] =
			    (long)(q->progress[q->nprogress - 1].date -
			           q->received);
	}
}

static int
cmp_long(const void *x, const void *y)
{
	long a = *(const long *)x, b = *(const long *)y;

	return a < b ? -1 : a > b;
}

/* The median in half days (so 4.5 days is 9); -1 when there is none. */
static long
median2(long *d, size_t n)
{
	if (n == 0)
		return -1;
	qsort(d, n, sizeof(*d), cmp_long);
	if (n % 2)
		return 2 * d[n / 2];
	return d[n / 2 - 1] + d[n / 2];
}

/* A rate: {num, den, pct, text, bar, has}. */
static ck_value *
rate_value(ck_views *v, long num, long den)
{
	ck_value *r = ck_value_map(v->a);
	long pct = den ? (num * 100 + den / 2) / den : 0;

	ck_value_set_int(r, "num", num);
	ck_value_set_int(r, "den", den);
	ck_value_set_int(r, "bar", pct);
	ck_value_set(r, "has", vw_bool(v, den > 0));
	ck_value_set(
	    r, "text",
	    ck_value_str(v->a, den ? ck_arena_printf(v->a, "%ld%% (%ld/%ld)",
	                                             pct, num, den)
	                           : "chưa có"));
	return r;
}

/* A median in days, its bar scaled to the chart's largest (max2). */
static ck_value *
days_value(ck_views *v, long half_days, long max2, size_t n)
{
	ck_value *r = ck_value_map(v->a);
	const char *text;

	if (half_days < 0)
		text = "chưa có";
	else if (half_days % 2)
		text = ck_arena_printf(v->a, "%ld,5 ngày (%zu câu)",
		                       half_days / 2, n);
	else
		text = ck_arena_printf(v->a, "%ld ngày (%zu câu)",
		                       half_days / 2, n);
	ck_value_set(r, "has", vw_bool(v, half_days >= 0));
	ck_value_set_int(
	    r, "bar", half_days > 0 && max2 > 0 ? half_days * 100 / max2 : 0);
	ck_value_set(r, "text", ck_value_str(v->a, text));
	return r;
}

/* One row's values; the medians' bars need the chart's largest first. */
static ck_value *
row_value(ck_views *v, st_acc *acc, long amed, long rmed, long amax, long rmax)
{
	ck_value *r = ck_value_map(v->a);

	ck_value_set_str(r, "name", acc->name);
	ck_value_set(r, "path",
	             acc->path ? ck_value_str(v->a, acc->path) : v->vnull);
	ck_value_set_int(r, "count", acc->count);
	ck_value_set(r, "on_time",
	             rate_value(v, acc->answer_on_time, acc->answer_den));
	ck_value_set(r, "resolved", rate_value(v, acc->resolved, acc->count));
	ck_value_set(r, "answer_median",
	             days_value(v, amed, amax, acc->nanswer));
	ck_value_set(r, "resolve_median",
	             days_value(v, rmed, rmax, acc->nresolve));
	return r;
}

/* A chart's rows: the accumulators that counted something. */
static ck_value *
rows_value(ck_views *v, st_acc *accs, size_t n)
{
	ck_value *rows = ck_value_list(v->a);
	long *amed = ck_arena_alloc(v->a, (n + 1) * sizeof(long));
	long *rmed = ck_arena_alloc(v->a, (n + 1) * sizeof(long));
	long amax = 0, rmax = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		amed[i] = median2(accs[i].answer_days, accs[i].nanswer);
		rmed[i] = median2(accs[i].resolve_days, accs[i].nresolve);
		if (accs[i].count && amed[i] > amax)
			amax = amed[i];
		if (accs[i].count && rmed[i] > rmax)
			rmax = rmed[i];
	}
	for (i = 0; i < n; i++)
		if (accs[i].count > 0)
			ck_value_push(rows, row_value(v, &accs[i], amed[i],
			                              rmed[i], amax, rmax));
	return rows;
}

static size_t
named_at(const ck_named *list, size_t n, const ck_named *x)
{
	size_t i;

	if (x == NULL)
		return n;
	for (i = 0; i < n; i++)
		if (list + i == x || strcmp(list[i].id, x->id) == 0)
			return i;
	return n;
}

static ck_value *
dimension(ck_views *v, const char *id, const char *title, st_acc *accs,
          size_t n)
{
	ck_value *d = ck_value_map(v->a);
	ck_value *rows = rows_value(v, accs, n);

	ck_value_set_str(d, "id", id);
	ck_value_set_str(d, "title", title);
	ck_value_set(d, "rows", rows);
	ck_value_set(d, "has_rows", vw_bool(v, ck_value_len(rows) > 0));
	return d;
}

/* The page (a vw_page_fn): built from arg, the dimensions' values. */
static void
stats_page(ck_views *wv, size_t i, vw_page *page, const void *arg)
{
	ck_value *c = vw_page_ctx(wv, 1, "stats", vw_abs_url(wv, "thong-ke/"));

	ck_value_set(c, "stats", (ck_value *)arg);
	page->tmpl = "stats";
	page->ctx = c;
	page->path = "thong-ke/index.html";
}

int
vw_render_stats(ck_views *v)
{
	const ck_model *m = v->m;
	size_t nq = v->nqrefs, i, t;
	st_acc total, *topics, *hamlets, *depts;
	size_t *ndept;
	ck_value *s = ck_value_map(v->a), *dims = ck_value_list(v->a);

	acc_init(v, &total, "Tất cả", NULL, nq);
	total.path = "cau-hoi/index.html";
	topics = ck_arena_alloc(v->a, (m->ntopics + 1) * sizeof(*topics));
	for (i = 0; i < m->ntopics; i++)
		acc_init(v, &topics[i], m->topics[i].name,
		         ck_arena_printf(v->a, "linh-vuc/%s/index.html",
		                         m->topics[i].id),
		         v->by_topic[i].count);
	hamlets = ck_arena_alloc(v->a, (m->nhamlets + 1) * sizeof(*hamlets));
	for (i = 0; i < m->nhamlets; i++)
		acc_init(v, &hamlets[i], m->hamlets[i].name,
		         ck_arena_printf(v->a, "thon/%s/index.html",
		                         m->hamlets[i].id),
		         v->by_hamlet[i].count);
	/* The departments, then the questions no department was given. */
	/* Each department's days arrays at its size: counted first. */
	ndept = ck_arena_alloc(v->a, (m->ndepartments + 1) * sizeof(*ndept));
	memset(ndept, 0, (m->ndepartments + 1) * sizeof(*ndept));
	for (i = 0; i < nq; i++)
		ndept[named_at(m->departments, m->ndepartments,
		               v->qrefs[i].q->assigned_to)]++;
	depts = ck_arena_alloc(v->a, (m->ndepartments + 1) * sizeof(*depts));
	for (i = 0; i < m->ndepartments; i++)
		acc_init(v, &depts[i], m->departments[i].name, NULL, ndept[i]);
	acc_init(v, &depts[m->ndepartments], "Chưa giao bộ phận", NULL,
	         ndept[m->ndepartments]);

	for (i = 0; i < nq; i++) {
		const ck_question *q = v->qrefs[i].q;

		acc_add(&total, q);
		if ((t = named_at(m->topics, m->ntopics, q->topic)) <
		    m->ntopics)
			acc_add(&topics[t], q);
		if ((t = named_at(m->hamlets, m->nhamlets, q->hamlet)) <
		    m->nhamlets)
			acc_add(&hamlets[t], q);
		acc_add(&depts[named_at(m->departments, m->ndepartments,
		                        q->assigned_to)],
		        q);
	}

	ck_value_set(s, "total",
	             total.count > 0 ? ck_value_at(rows_value(v, &total, 1), 0)
	                             : v->vnull);
	ck_value_set(s, "has_questions", vw_bool(v, total.count > 0));
	ck_value_push(dims, dimension(v, "linh-vuc", "Theo lĩnh vực", topics,
	                              m->ntopics));
	ck_value_push(dims, dimension(v, "thon", "Theo thôn, tổ dân phố",
	                              hamlets, m->nhamlets));
	ck_value_push(dims, dimension(v, "bo-phan", "Theo bộ phận được giao",
	                              depts, m->ndepartments + 1));
	ck_value_set(s, "dimensions", dims);
	return vw_render_all(v, 1, stats_page, s);
}
