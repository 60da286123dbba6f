/*
 * The HTML pages of the site table (cli-and-output.md, "The site"), each
 * rendered from a small context: the values shared by every page (site,
 * labels, today, menu, the list groups) plus the page's own, and `root`,
 * the relative way back to the site's top ("../../"), so links work from
 * disk and under base_url alike.
 */
#include <stdlib.h>
#include <string.h>

#include "views_int.h"

enum { LATEST_ANSWERS = 10, RECENT_DIALOGUES = 5 };
/* Questions per list page: a list stays light on a cheap phone. */
#define VW_PAGE_SIZE ((size_t)100)

/* A context with what every page may use. */
static ck_value *
page_ctx(ck_views *v, int depth, const char *kind, ck_value *canonical)
{
	ck_value *c = ck_value_map(v->a);

	ck_value_set(c, "root",
	             depth < 0 ? ck_value_get(v->site_json, "base_url")
	                       : v->root[depth]);
	ck_value_set(c, "canonical", canonical ? canonical : v->vnull);
	ck_value_set_str(c, "kind", kind);
	/* Mustache cannot compare: is_home, is_question, ... say the kind. */
	ck_value_set(c, ck_arena_printf(v->a, "is_%s", kind), v->vtrue);
	ck_value_set(c, "site", v->site_view);
	ck_value_set(c, "labels", v->labels);
	ck_value_set(c, "today_d", v->today_d);
	ck_value_set(c, "nav_pages", v->nav_pages);
	ck_value_set(c, "topics", v->topics_list);
	ck_value_set(c, "hamlets", v->hamlets_list);
	ck_value_set(c, "statuses", v->statuses_list);
	ck_value_set(c, "late", v->late.map);
	ck_value_set(c, "all", v->all.map);
	return c;
}

/* A list, and has_<key> since an empty list's wrapper needs a test. */
static void
set_list(ck_views *v, ck_value *c, const char *key, ck_value *list)
{
	ck_value_set(c, key, list);
	ck_value_set(c, ck_arena_printf(v->a, "has_%s", key),
	             ck_value_len(list) ? v->vtrue : v->vfalse);
}

static ck_value *
abs_url(ck_views *v, const char *rel)
{
	return ck_value_str(v->a,
	                    ck_arena_printf(v->a, "%s%s", v->m->base_url, rel));
}

static int
render(ck_views *v, const char *tmpl, const ck_value *ctx, const char *path)
{
	/*
	 * One buffer for every page, copied out at its exact size: the site
	 * holds a hundred thousand pages, and a grown buffer's slack each
	 * would cost as much as the pages themselves.
	 */
	ck_buf_clear(&v->out);
	if (ck_tmpl_render(&v->out, v->tmpl, tmpl, ctx) != 0) {
		ck_diag(v->d, CK_ERROR,
		        ck_arena_printf(v->a, "%s/templates/%s.mustache",
		                        v->theme_dir, tmpl),
		        0, 0, "cannot render template '%s'", tmpl);
		return -1;
	}
	ck_site_add(v->site, path, v->out.ptr, v->out.size);
	return 0;
}

static int
cmp_latest(const void *x, const void *y)
{
	const vw_qref *a = *(const vw_qref *const *)x;
	const vw_qref *b = *(const vw_qref *const *)y;

	if (a->q->answer_date != b->q->answer_date)
		return a->q->answer_date > b->q->answer_date ? -1 : 1;
	return strcmp(a->q->gid, b->q->gid);
}

static int
render_home(ck_views *v)
{
	const ck_model *m = v->m;
	ck_value *c = page_ctx(v, 0, "home", abs_url(v, ""));
	ck_value *coming = ck_value_list(v->a), *recent = ck_value_list(v->a);
	ck_value *latest = ck_value_list(v->a), *stats = ck_value_map(v->a);
	const vw_qref **ans;
	size_t i, n = 0;
	long answered = 0;

	for (i = 0; i < m->ndialogues; i++) {
		ck_dialogue_status s = m->dialogues[i]->status;

		if (s == CK_DLG_PLANNED || s == CK_DLG_POSTPONED)
			ck_value_push(coming, v->dview[i]);
	}
	for (i = 0; i < m->ndialogues; i++) {
		const ck_dialogue *dl = v->dnewest[i].d;

		if (dl->status != CK_DLG_HELD && dl->status != CK_DLG_CONCLUDED)
			continue;
		ck_value_push(recent, v->dnewest[i].view);
		if (ck_value_len(recent) == RECENT_DIALOGUES)
			break;
	}

	ans = ck_arena_alloc(v->a, (v->nqrefs + 1) * sizeof(*ans));
	for (i = 0; i < v->nqrefs; i++)
		if (v->qrefs[i].q->answer_date != CK_NODAY)
			ans[n++] = &v->qrefs[i];
	answered = (long)n;
	qsort(ans, n, sizeof(*ans), cmp_latest);
	for (i = 0; i < n && i < LATEST_ANSWERS; i++)
		ck_value_push(latest, ans[i]->view);

	ck_value_set_int(stats, "dialogues", (long long)m->ndialogues);
	ck_value_set_int(stats, "questions", v->all.count);
	ck_value_set_int(stats, "open", v->all.open);
	ck_value_set_int(stats, "closed", v->all.count - v->all.open);
	ck_value_set_int(stats, "answered", answered);
	ck_value_set_int(stats, "late", v->late.count);
	ck_value_set_int(stats, "answer_overdue", v->answer_overdue_count);
	ck_value_set_int(stats, "overdue", v->overdue_count);
	ck_value_set(stats, "has_questions", ck_value_bool(v->a, v->all.count));
	ck_value_set(stats, "has_open", ck_value_bool(v->a, v->all.open));
	ck_value_set(stats, "has_late", ck_value_bool(v->a, v->late.count));
	ck_value_set(stats, "has_answer_overdue",
	             ck_value_bool(v->a, v->answer_overdue_count));
	ck_value_set(stats, "has_overdue",
	             ck_value_bool(v->a, v->overdue_count));

	ck_value_set(c, "stats", stats);
	set_list(v, c, "coming", coming);
	set_list(v, c, "recent", recent);
	set_list(v, c, "latest_answers", latest);
	return render(v, "home", c, "index.html");
}

static int
render_dialogues(ck_views *v)
{
	const ck_model *m = v->m;
	ck_value *c = page_ctx(v, 1, "dialogues", abs_url(v, "doi-thoai/"));
	ck_value *list = ck_value_list(v->a);
	size_t i;
	int rc = 0;

	for (i = 0; i < m->ndialogues; i++)
		ck_value_push(list, v->dnewest[i].view);
	set_list(v, c, "dialogues", list);
	if (render(v, "dialogues", c, "doi-thoai/index.html") != 0)
		return -1;

	c = page_ctx(v, 2, "dialogue", NULL);
	for (i = 0; i < m->ndialogues && rc == 0; i++) {
		ck_value_set(c, "canonical", ck_value_get(v->dview[i], "url"));
		ck_value_set(c, "dialogue", v->dview[i]);
		rc = render(
		    v, "dialogue", c,
		    ck_value_get_str(ck_value_get(v->dview[i], "path"), NULL));
	}
	return rc;
}

static int
render_questions(ck_views *v)
{
	ck_value *c = page_ctx(v, 3, "question", NULL);
	size_t i;

	for (i = 0; i < v->nqrefs; i++) {
		ck_value *qv = v->qrefs[i].view;

		ck_value_set(c, "canonical", ck_value_get(qv, "url"));
		ck_value_set(c, "dialogue", ck_value_get(qv, "dlg"));
		ck_value_set(c, "question", qv);
		if (render(v, "question", c,
		           ck_value_get_str(ck_value_get(qv, "path"), NULL)) !=
		    0)
			return -1;
	}
	return 0;
}

/* The address of page n (from 1) of a list whose first page is dir/. */
static const char *
list_page_path(ck_views *v, const char *dir, size_t n)
{
	if (n <= 1)
		return ck_arena_printf(v->a, "%s/index.html", dir);
	return ck_arena_printf(v->a, "%s/trang-%zu/index.html", dir, n);
}

/*
 * Links to the pages of a list: previous, next, the first, the last and
 * two either side of this one, so the pager stays small however long the
 * list (a page listing all its siblings would make the site quadratic).
 */
static ck_value *
pager(ck_views *v, const char *dir, size_t page, size_t pages, size_t count)
{
	ck_value *p = ck_value_map(v->a), *items = ck_value_list(v->a);
	size_t n, last = 0;

	ck_value_set_int(p, "page", (long long)page);
	ck_value_set_int(p, "pages", (long long)pages);
	ck_value_set_int(p, "first",
	                 (long long)((page - 1) * VW_PAGE_SIZE + 1));
	ck_value_set_int(p, "last",
	                 (long long)(page * VW_PAGE_SIZE < count
	                                 ? page * VW_PAGE_SIZE
	                                 : count));
	ck_value_set_int(p, "count", (long long)count);
	ck_value_set(p, "prev",
	             page > 1
	                 ? ck_value_str(v->a, list_page_path(v, dir, page - 1))
	                 : v->vnull);
	ck_value_set(p, "next",
	             page < pages
	                 ? ck_value_str(v->a, list_page_path(v, dir, page + 1))
	                 : v->vnull);
	for (n = 1; n <= pages; n++) {
		ck_value *it;

		if (n != 1 && n != pages && (n + 2 < page || n > page + 2))
			continue;
		it = ck_value_map(v->a);
		ck_value_set_int(it, "n", (long long)n);
		ck_value_set_str(it, "path", list_page_path(v, dir, n));
		ck_value_set(it, "current", n == page ? v->vtrue : v->vfalse);
		ck_value_set(it, "gap",
		             last && n > last + 1 ? v->vtrue : v->vfalse);
		ck_value_push(items, it);
		last = n;
	}
	ck_value_set(p, "items", items);
	return p;
}

static size_t
depth_of(const char *path)
{
	size_t n = 0;

	for (; *path; path++)
		n += *path == '/';
	return n;
}

/*
 * A list page, cut into pages of VW_PAGE_SIZE questions: dir/index.html,
 * dir/trang-2/index.html, ... `key` names the group in the context
 * ("topic", ...). An alias (first page only) is written at alias_dir
 * instead when given, its links and canonical address those of dir.
 */
static int
render_group(ck_views *v, const char *tmpl, const char *key, vw_group *g,
             const char *dir, const char *alias_dir)
{
	size_t count = ck_value_len(g->list);
	size_t pages = count ? (count + VW_PAGE_SIZE - 1) / VW_PAGE_SIZE : 1;
	size_t page, i;

	for (page = 1; page <= (alias_dir ? 1 : pages); page++) {
		const char *path =
		    list_page_path(v, alias_dir ? alias_dir : dir, page);
		const char *canon =
		    page == 1
		        ? ck_arena_printf(v->a, "%s/", dir)
		        : ck_arena_printf(v->a, "%s/trang-%zu/", dir, page);
		int depth = (int)depth_of(path);
		ck_value *c =
		    page_ctx(v, depth > 3 ? 3 : depth, tmpl, abs_url(v, canon));
		ck_value *slice = g->list;

		if (pages > 1) {
			slice = ck_value_list(v->a);
			for (i = (page - 1) * VW_PAGE_SIZE;
			     i < count && i < page * VW_PAGE_SIZE; i++)
				ck_value_push(slice, ck_value_at(g->list, i));
		}
		ck_value_set(c, key, g->map);
		set_list(v, c, "questions", slice);
		ck_value_set(c, "pager",
		             pages > 1 ? pager(v, dir, page, pages, count)
		                       : v->vnull);
		if (render(v, tmpl, c, path) != 0)
			return -1;
	}
	return 0;
}

static int
render_lists(ck_views *v)
{
	const ck_model *m = v->m;
	size_t i;

	for (i = 0; i < m->ntopics; i++)
		if (render_group(
		        v, "topic", "topic", &v->by_topic[i],
		        ck_arena_printf(v->a, "linh-vuc/%s", m->topics[i].id),
		        NULL) != 0)
			return -1;
	for (i = 0; i < m->nhamlets; i++)
		if (render_group(
		        v, "hamlet", "hamlet", &v->by_hamlet[i],
		        ck_arena_printf(v->a, "thon/%s", m->hamlets[i].id),
		        NULL) != 0)
			return -1;
	for (i = 0; i < CK_ST_COUNT; i++) {
		const char *dir = ck_arena_printf(v->a, "trang-thai/%s",
		                                  ck_status_slug((ck_status)i));

		if (render_group(v, "status", "status", &v->by_status[i], dir,
		                 NULL) != 0)
			return -1;
	}
	return render_group(v, "overdue", "overdue", &v->late,
	                    "trang-thai/qua-han", NULL);
}

/* The menu of free pages with the one at index `here` marked current. */
static ck_value *
nav_marking(ck_views *v, size_t here)
{
	ck_value *l = ck_value_list(v->a);
	size_t i, k;

	for (i = 0; i < ck_value_len(v->nav_pages); i++) {
		ck_value *from = ck_value_at(v->nav_pages, i);
		ck_value *it = ck_value_map(v->a);

		for (k = 0; k < ck_value_len(from); k++)
			ck_value_set(it, ck_value_key_at(from, k),
			             ck_value_val_at(from, k));
		ck_value_set(it, "current", vw_bool(v, i == here));
		ck_value_push(l, it);
	}
	return l;
}

static int
render_free_pages(ck_views *v)
{
	const ck_model *m = v->m;
	size_t i;

	for (i = 0; i < m->npages; i++) {
		const ck_page *p = m->pages[i];
		ck_value *pm = ck_value_map(v->a);
		ck_value *c =
		    page_ctx(v, 1, "page",
		             abs_url(v, ck_arena_printf(v->a, "%s/", p->slug)));

		ck_value_set_str(pm, "slug", p->slug);
		ck_value_set_str(pm, "title", p->title);
		ck_value_set_str(pm, "body_html",
		                 p->body_html ? p->body_html : "");
		ck_value_set(pm, "extra", vw_yaml_value(v->a, p->extra));
		ck_value_set(c, "page", pm);
		ck_value_set(c, "nav_pages", nav_marking(v, i));
		if (render(v, "page", c,
		           ck_arena_printf(v->a, "%s/index.html", p->slug)) !=
		    0)
			return -1;
	}
	return 0;
}

int
vw_render_pages(ck_views *v)
{
	/* 404.html is served at any depth: its links are absolute. */
	if (render_home(v) != 0 || render_dialogues(v) != 0 ||
	    render_questions(v) != 0 || render_lists(v) != 0 ||
	    render_free_pages(v) != 0 ||
	    render(v, "404", page_ctx(v, -1, "404", NULL), "404.html") != 0)
		return -1;
	return 0;
}
