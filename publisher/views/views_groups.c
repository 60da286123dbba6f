/*
 * The groups of the list pages (by topic, hamlet, status, and the overdue
 * ones): each question's view added to its lists in one pass, dialogues
 * newest first and then by id, with the counts the pages show.
 */
#include <err.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "views_int.h"

static size_t
named_index(const ck_named *list, size_t n, const ck_named *x)
{
	size_t i;

	if (x == NULL)
		return n;
	if (n > 0 && (uintptr_t)x >= (uintptr_t)list &&
	    (uintptr_t)x < (uintptr_t)(list + n))
		return (size_t)(x - list);
	for (i = 0; i < n; i++)
		if (strcmp(list[i].id, x->id) == 0)
			return i;
	return n;
}

long
vw_late_days(const ck_views *v, const ck_question *q)
{
	/* Counted to as_of, not today: a quiet day must change no page
	 * (as_of is at least the day after each due day passed). */
	ck_day to = v->as_of != CK_NODAY ? v->as_of : v->m->today;
	long days = 0;

	if (q->answer_overdue && q->answer_due != CK_NODAY)
		days = (long)(to - q->answer_due);
	if (q->overdue && q->due != CK_NODAY && to - q->due > days)
		days = (long)(to - q->due);
	return days > 0 ? days : 0;
}

typedef struct {
	long days;
	const vw_qref *r;
} late_key;

static int
cmp_late(const void *x, const void *y)
{
	const late_key *a = x, *b = y;

	if (a->days != b->days)
		return a->days > b->days ? -1 : 1;
	return strcmp(a->r->q->gid, b->r->q->gid);
}

void
vw_sort_late(const ck_views *v, const vw_qref **refs, size_t n)
{
	late_key *k;
	size_t i;

	if (n < 2)
		return;
	k = malloc(n * sizeof(*k));
	if (k == NULL)
		err(3, "malloc");
	for (i = 0; i < n; i++) {
		k[i].days = vw_late_days(v, refs[i]->q);
		k[i].r = refs[i];
	}
	qsort(k, n, sizeof(*k), cmp_late);
	for (i = 0; i < n; i++)
		refs[i] = k[i].r;
	free(k);
}

static void
group_init(ck_views *v, vw_group *g)
{
	g->map = ck_value_map(v->a);
	memset(&g->refs, 0, sizeof(g->refs));
}

static void
group_add(ck_views *v, vw_group *g, const vw_qref *r)
{
	vw_refs_push(v->a, &g->refs, r);
	g->count++;
	if (r->q->open)
		g->open++;
	if (r->q->overdue || r->q->answer_overdue)
		g->late++;
}

static void
group_finish(ck_views *v, vw_group *g, const char *path)
{
	if (path)
		ck_value_set(g->map, "path", ck_value_str(v->a, path));
	ck_value_set_int(g->map, "count", g->count);
	ck_value_set_int(g->map, "open_count", g->open);
	ck_value_set_int(g->map, "closed_count", g->count - g->open);
	ck_value_set_int(g->map, "late_count", g->late);
	ck_value_set(g->map, "has_questions", vw_bool(v, g->count > 0));
	ck_value_set(g->map, "has_open", vw_bool(v, g->open > 0));
	ck_value_set(g->map, "has_late", vw_bool(v, g->late > 0));
}

void
vw_build_groups(ck_views *v)
{
	const ck_model *m = v->m;
	const vw_qref **late;
	size_t i, k, nlate = 0;

	v->by_topic = ck_arena_alloc(v->a, (m->ntopics + 1) * sizeof(vw_group));
	v->by_hamlet =
	    ck_arena_alloc(v->a, (m->nhamlets + 1) * sizeof(vw_group));
	for (i = 0; i < m->ntopics; i++) {
		group_init(v, &v->by_topic[i]);
		ck_value_set_str(v->by_topic[i].map, "id", m->topics[i].id);
		ck_value_set_str(v->by_topic[i].map, "name", m->topics[i].name);
	}
	for (i = 0; i < m->nhamlets; i++) {
		group_init(v, &v->by_hamlet[i]);
		ck_value_set_str(v->by_hamlet[i].map, "id", m->hamlets[i].id);
		ck_value_set_str(v->by_hamlet[i].map, "name",
		                 m->hamlets[i].name);
	}
	for (i = 0; i < CK_ST_COUNT; i++) {
		vw_group *g = &v->by_status[i];
		ck_value *help;

		group_init(v, g);
		ck_value_set(g->map, "status", v->st_name[i]);
		ck_value_set(g->map, "slug", v->st_slug[i]);
		ck_value_set(g->map, "text", v->st_text[i]);
		ck_value_set(g->map, "label", v->st_label[i]);
		help = ck_value_get(ck_value_get(v->labels, "status_help"),
		                    ck_status_name((ck_status)i));
		ck_value_set(g->map, "help", help ? help : v->vnull);
		ck_value_set(g->map, "open", vw_bool(v, ck_status_open(i)));
	}
	group_init(v, &v->late);
	group_init(v, &v->all);
	group_init(v, &v->open);
	late = ck_arena_alloc(v->a, (v->nq + 1) * sizeof(*late));

	for (i = 0; i < m->ndialogues; i++) {
		const ck_dialogue *dl = v->dnewest[i].d;

		for (k = 0; k < dl->nquestions; k++) {
			const vw_qref *r = vw_qref_find(v, dl->questions[k]);
			const ck_question *q;
			size_t t;

			if (r == NULL)
				continue;
			q = r->q;
			group_add(v, &v->all, r);
			t = named_index(m->topics, m->ntopics, q->topic);
			if (t < m->ntopics)
				group_add(v, &v->by_topic[t], r);
			t = named_index(m->hamlets, m->nhamlets, q->hamlet);
			if (t < m->nhamlets)
				group_add(v, &v->by_hamlet[t], r);
			group_add(v, &v->by_status[q->status], r);
			if (q->open)
				group_add(v, &v->open, r);
			if (q->overdue || q->answer_overdue)
				late[nlate++] = r;
			if (q->answer_overdue)
				v->answer_overdue_count++;
			if (q->overdue)
				v->overdue_count++;
		}
	}

	/* The overdue list: worst first, so the oldest debts lead. */
	vw_sort_late(v, late, nlate);
	for (i = 0; i < nlate; i++)
		group_add(v, &v->late, late[i]);

	v->topics_list = ck_value_list(v->a);
	for (i = 0; i < m->ntopics; i++) {
		group_finish(v, &v->by_topic[i],
		             ck_arena_printf(v->a, "linh-vuc/%s/index.html",
		                             m->topics[i].id));
		ck_value_push(v->topics_list, v->by_topic[i].map);
	}
	v->hamlets_list = ck_value_list(v->a);
	for (i = 0; i < m->nhamlets; i++) {
		group_finish(v, &v->by_hamlet[i],
		             ck_arena_printf(v->a, "thon/%s/index.html",
		                             m->hamlets[i].id));
		ck_value_push(v->hamlets_list, v->by_hamlet[i].map);
	}
	v->statuses_list = ck_value_list(v->a);
	for (i = 0; i < CK_ST_COUNT; i++) {
		group_finish(v, &v->by_status[i],
		             ck_arena_printf(v->a, "trang-thai/%s/index.html",
		                             ck_status_slug((ck_status)i)));
		ck_value_push(v->statuses_list, v->by_status[i].map);
	}
	group_finish(v, &v->late, "trang-thai/qua-han/index.html");
	ck_value_set_int(v->late.map, "answer_overdue_count",
	                 v->answer_overdue_count);
	ck_value_set_int(v->late.map, "overdue_count", v->overdue_count);
	group_finish(v, &v->all, "cau-hoi/index.html");
	ck_value_set_str(v->all.map, "title", "Tất cả câu hỏi, kiến nghị");
	ck_value_set_str(v->all.map, "slug", "all");
	ck_value_set(v->all.map, "help", v->vnull);
	group_finish(v, &v->open, "trang-thai/chua-xong/index.html");
	ck_value_set_str(v->open.map, "title", "Câu hỏi chưa xong");
	ck_value_set_str(v->open.map, "slug", "open");
	ck_value_set_str(v->open.map, "help",
	                 "Đã tiếp nhận, đang giải quyết hoặc đã chuyển cấp có "
	                 "thẩm quyền: chưa có kết quả cuối cùng.");
}
