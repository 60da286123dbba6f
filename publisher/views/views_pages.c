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

static void set_list(ck_views *v, ck_value *c, const char *key, ck_value *list);

/*
 * A page's context: its address and kind, in front of what every page at
 * that depth shares (v->ctx_base, made once).
 */
static ck_value *
page_ctx(ck_views *v, int depth, const char *kind, ck_value *canonical)
{
	ck_value *c = ck_value_map_proto(v->a, v->ctx_base[depth + 1], 4);

	ck_value_set(c, "canonical", canonical ? canonical : v->vnull);
	ck_value_set_str(c, "kind", kind);
	/* Mustache cannot compare: is_home, is_question, ... say the kind. */
	ck_value_set(c, ck_arena_printf(v->a, "is_%s", kind), v->vtrue);
	return c;
}

void
vw_page_ctx_setup(ck_views *v)
{
	ck_value *c;
	int depth;

	for (depth = -1; depth <= 4; depth++) {
		c = ck_value_map_sized(v->a, 16);
		ck_value_set(c, "root",
		             depth < 0 ? ck_value_get(v->site_json, "base_url")
		                       : v->root[depth]);
		ck_value_set(c, "site", v->site_view);
		ck_value_set(c, "labels", v->labels);
		ck_value_set(c, "today_d", v->today_d);
		ck_value_set(c, "nav_pages", v->nav_pages);
		ck_value_set(c, "topics", v->topics_list);
		ck_value_set(c, "hamlets", v->hamlets_list);
		set_list(v, c, "departments", v->departments_list);
		ck_value_set(c, "statuses", v->statuses_list);
		ck_value_set(c, "late", v->late.map);
		ck_value_set(c, "all", v->all.map);
		v->ctx_base[depth + 1] = c;
	}
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
		ck_value_push(latest, vw_question_row(v, ans[i]));

	ck_value_set_int(stats, "dialogues", (long long)m->ndialogues);
	ck_value_set_int(stats, "questions", v->all.count);
	ck_value_set_int(stats, "open", v->all.open);
	ck_value_set_int(stats, "closed", v->all.count - v->all.open);
	ck_value_set_int(stats, "answered", answered);
	/* Closed, told apart: explained is not the same as resolved. */
	ck_value_set(stats, "st_answered", v->by_status[CK_ST_ANSWERED].map);
	ck_value_set(stats, "st_resolved", v->by_status[CK_ST_RESOLVED].map);
	ck_value_set(stats, "st_declined", v->by_status[CK_ST_DECLINED].map);
	ck_value_set(stats, "open_group", v->open.map);
	ck_value_set(stats, "all_group", v->all.map);
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

/*
 * Sets up a page that may be kept (vw_page's fill): fill makes its largest
 * part, into ctx, only when it is not kept.
 */
static void
set_fillable(vw_page *page, const char *tmpl, ck_value *ctx, const char *path,
             void (*fill)(ck_views *, vw_page *))
{
	page->tmpl = tmpl;
	page->ctx = ctx;
	page->path = path;
	page->fill = fill;
	page->fill_at = ctx;
}

static void
fill_dialogue(ck_views *wv, vw_page *page)
{
	ck_value_set(page->fill_at, "dialogue",
	             vw_dialogue_page_view(wv, page->fill_i));
}

/*
 * Dialogue i's page (a vw_page_fn). Its view (its questions' rows,
 * grouped) is made only when the page is not kept.
 */
static void
dialogue_page(ck_views *wv, size_t i, vw_page *page, const void *arg)
{
	ck_value *dv = wv->dview[i];

	set_fillable(page, "dialogue",
	             page_ctx(wv, 2, "dialogue", ck_value_get(dv, "url")),
	             ck_value_get_str(ck_value_get(dv, "path"), NULL),
	             fill_dialogue);
	page->fill_i = i;
	if (wv->keep && wv->rowfp != NULL)
		vw_keep_dialogue_page_fp(wv, page, i);
}

static int
render_dialogues(ck_views *v)
{
	const ck_model *m = v->m;
	ck_value *c = page_ctx(v, 1, "dialogues", abs_url(v, "doi-thoai/"));
	ck_value *list = ck_value_list(v->a);
	size_t i;

	for (i = 0; i < m->ndialogues; i++)
		ck_value_push(list, v->dnewest[i].view);
	set_list(v, c, "dialogues", list);
	if (render(v, "dialogues", c, "doi-thoai/index.html") != 0)
		return -1;

	return vw_render_all(v, m->ndialogues, dialogue_page, NULL);
}

static void
fill_question(ck_views *wv, vw_page *page)
{
	ck_value_set(page->fill_at, "question",
	             vw_question_view(wv, page->fill_ref));
}

/*
 * Question i's page (a vw_page_fn). Its view is made only when the page is
 * not kept.
 */
static void
question_page(ck_views *wv, size_t i, vw_page *page, const void *arg)
{
	const vw_qref *r = &wv->qrefs[i];
	ck_value *c =
	    page_ctx(wv, 3, "question",
	             ck_value_str_ref(wv->a, vw_question_url(wv, r->q)));

	ck_value_set(c, "dialogue", r->dview);
	set_fillable(page, "question", c, vw_question_path(wv->a, r->q),
	             fill_question);
	page->fill_ref = r;
	if (wv->keep)
		vw_keep_question_page_fp(wv, page, r);
}

static int
render_questions(ck_views *v)
{
	return vw_render_all(v, v->nqrefs, question_page, NULL);
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

/* One page of a list cut into pages of VW_PAGE_SIZE questions. */
typedef struct {
	const char *tmpl; /* also the kind */
	const char *key;  /* names the group in the context ("topic", ...) */
	vw_group *g;
	const char *dir;    /* the first page is dir/index.html */
	size_t page, pages; /* from 1 */
} vw_list_page;

typedef struct {
	vw_list_page *v;
	size_t len, cap;
} vw_list_pages;

/* Appends the pages of group g: dir/index.html, dir/trang-2/index.html... */
static void
add_list_pages(ck_views *v, vw_list_pages *lp, const char *tmpl,
               const char *key, vw_group *g, const char *dir)
{
	size_t count = g->refs.len;
	size_t pages = count ? (count + VW_PAGE_SIZE - 1) / VW_PAGE_SIZE : 1;
	size_t page;

	for (page = 1; page <= pages; page++) {
		vw_list_page *p;

		if (lp->len == lp->cap) {
			vw_list_page *grown;

			lp->cap = lp->cap ? lp->cap * 2 : 64;
			grown = ck_arena_alloc(v->a, lp->cap * sizeof(*grown));
			if (lp->len)
				memcpy(grown, lp->v, lp->len * sizeof(*grown));
			lp->v = grown;
		}
		p = &lp->v[lp->len++];
		p->tmpl = tmpl;
		p->key = key;
		p->g = g;
		p->dir = dir;
		p->page = page;
		p->pages = pages;
	}
}

/* List page i of arg (a vw_list_pages; a vw_page_fn). */
static void
list_page(ck_views *wv, size_t i, vw_page *page, const void *arg)
{
	const vw_list_page *lp = &((const vw_list_pages *)arg)->v[i];
	size_t count = lp->g->refs.len, from, n;
	const char *path = list_page_path(wv, lp->dir, lp->page);
	const char *canon =
	    lp->page == 1
	        ? ck_arena_printf(wv->a, "%s/", lp->dir)
	        : ck_arena_printf(wv->a, "%s/trang-%zu/", lp->dir, lp->page);
	int depth = (int)depth_of(path);
	ck_value *c =
	    page_ctx(wv, depth > 4 ? 4 : depth, lp->tmpl, abs_url(wv, canon));
	const vw_qref *const *refs;
	ck_value *slice;

	/*
	 * This page's questions' rows, made for it (vw_qref); or, when the
	 * site may keep the page, a stand-in with their fingerprints, the
	 * rows made only if it does not (views_keep.c).
	 */
	from = (lp->page - 1) * VW_PAGE_SIZE;
	n = from < count ? count - from : 0;
	if (n > VW_PAGE_SIZE)
		n = VW_PAGE_SIZE;
	refs = n ? lp->g->refs.v + from : NULL;
	slice = wv->rowfp ? vw_keep_rows(wv, refs, n) : NULL;
	ck_value_set(c, lp->key, lp->g->map);
	if (slice != NULL) {
		/* set_list's entries, in its order: the same fingerprint. */
		ck_value_set(c, "questions", slice);
		ck_value_set(c, "has_questions", vw_bool(wv, n > 0));
		page->rows_at = c;
		page->rows = refs;
		page->nrows = n;
	} else {
		set_list(wv, c, "questions", vw_question_rows(wv, refs, n));
	}
	ck_value_set(c, "pager",
	             lp->pages > 1
	                 ? pager(wv, lp->dir, lp->page, lp->pages, count)
	                 : wv->vnull);
	page->tmpl = lp->tmpl;
	page->ctx = c;
	page->path = path;
	if (page->rows_at != NULL)
		vw_keep_page_fp(wv, page);
}

/* The pages of lp, those made from the same inputs kept (in the pass
 * views.c begins). */
static int
render_list_pages(ck_views *v, const vw_list_pages *lp)
{
	return vw_render_all(v, lp->len, list_page, lp);
}

static int
render_lists(ck_views *v)
{
	const ck_model *m = v->m;
	vw_list_pages lp = {NULL, 0, 0};
	size_t i;

	for (i = 0; i < m->ntopics; i++)
		add_list_pages(
		    v, &lp, "topic", "topic", &v->by_topic[i],
		    ck_arena_printf(v->a, "linh-vuc/%s", m->topics[i].id));
	for (i = 0; i < m->nhamlets; i++)
		add_list_pages(
		    v, &lp, "hamlet", "hamlet", &v->by_hamlet[i],
		    ck_arena_printf(v->a, "thon/%s", m->hamlets[i].id));
	for (i = 0; i < CK_ST_COUNT; i++)
		add_list_pages(v, &lp, "status", "status", &v->by_status[i],
		               ck_arena_printf(v->a, "trang-thai/%s",
		                               ck_status_slug((ck_status)i)));
	add_list_pages(v, &lp, "overdue", "overdue", &v->late,
	               "trang-thai/qua-han");
	for (i = 0; i < m->ndepartments; i++)
		add_list_pages(
		    v, &lp, "department", "department", &v->by_dept[i],
		    ck_arena_printf(v->a, "co-quan/%s", m->departments[i].id));
	add_list_pages(v, &lp, "questions", "group", &v->open,
	               "trang-thai/chua-xong");
	add_list_pages(v, &lp, "questions", "group", &v->all, "cau-hoi");
	return render_list_pages(v, &lp);
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

ck_value *
vw_page_ctx(ck_views *v, int depth, const char *kind, ck_value *canonical)
{
	return page_ctx(v, depth, kind, canonical);
}

/* The search page (a vw_page_fn): its script reads ?q= and the filters. */
static void
search_page(ck_views *wv, size_t i, vw_page *page, const void *arg)
{
	page->tmpl = "search";
	page->ctx = page_ctx(wv, 1, "search", abs_url(wv, "tim-kiem/"));
	page->path = "tim-kiem/index.html";
}

/*
 * 404.html lies at the top, so its links are written from there (right when
 * it is opened from disk), but a server shows it at any depth. base_path
 * (base_url's path, "/" when it holds anything a script should not carry)
 * lets the page's script put a <base> at the site's top on whatever host.
 */
static int
render_404(ck_views *v)
{
	ck_value *c = page_ctx(v, 0, "404", NULL);
	const char *u = v->m->base_url, *p = strstr(u, "://");

	p = p ? strchr(p + 3, '/') : NULL;
	if (p == NULL || p[strspn(p, "abcdefghijklmnopqrstuvwxyz"
	                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                             "0123456789-._~/")] != '\0')
		p = "/";
	ck_value_set_str(c, "base_path", p);
	return render(v, "404", c, "404.html");
}

int
vw_render_pages(ck_views *v)
{
	if (render_home(v) != 0 || render_dialogues(v) != 0 ||
	    render_questions(v) != 0 || render_lists(v) != 0 ||
	    vw_render_stats(v) != 0 || render_free_pages(v) != 0 ||
	    vw_render_all(v, 1, search_page, NULL) != 0 || render_404(v) != 0)
		return -1;
	return 0;
}

ck_value *
vw_abs_url(ck_views *v, const char *rel)
{
	return abs_url(v, rel);
}

int
vw_render_group_lists(ck_views *v, const char *tmpl, const char *key,
                      vw_group **groups, const char **dirs, size_t n)
{
	vw_list_pages lp = {NULL, 0, 0};
	size_t i;

	for (i = 0; i < n; i++) {
		/* The group's own list: what its count links to. */
		if (ck_value_get(groups[i]->map, "path") == NULL)
			ck_value_set(
			    groups[i]->map, "path",
			    ck_value_str(v->a,
			                 ck_arena_printf(v->a, "%s/index.html",
			                                 dirs[i])));
		add_list_pages(v, &lp, tmpl, key, groups[i], dirs[i]);
	}
	return render_list_pages(v, &lp);
}
