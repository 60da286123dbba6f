/*
 * Following the commune's work without visiting every page:
 *
 *   co-quan/<id>/          a page per department: the questions assigned to
 *                          it, overdue first, then open, then done
 *   feed.xml               Atom feeds (RFC 4287) of what happened: a new
 *   thon/<id>/feed.xml     question, an answer, a status change (a progress
 *   linh-vuc/<id>/feed.xml entry) and a conclusion; the site's, and one per
 *   co-quan/<id>/feed.xml  hamlet, topic and department
 *   sitemap.xml            every page, absolute (sitemaps.org)
 *   robots.txt             where the sitemap is
 *
 * Everything is dated from the model (received, answer and progress dates,
 * conclusions' issue dates), never from the clock, so the same content and
 * --today give the same bytes. Entries carry only what the pages publish.
 */
#include <err.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "views_int.h"
#include "strsort.h"

/* Entries per feed: the latest, so a province's feeds stay small. */
#define VW_FEED_MAX ((size_t)50)
/* URLs per sitemap file (sitemaps.org); more make a sitemap index. */
#define VW_SITEMAP_MAX ((size_t)50000)

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

/* The department's work, in the order it should be done. */
static int
work_rank(const ck_question *q)
{
	if (q->overdue || q->answer_overdue)
		return 0;
	return q->open ? 1 : 2;
}

void
vw_build_follow(ck_views *v)
{
	const ck_model *m = v->m;
	size_t i, k;
	int rank;

	v->by_dept =
	    ck_arena_alloc(v->a, (m->ndepartments + 1) * sizeof(vw_group));
	for (i = 0; i < m->ndepartments; i++) {
		vw_group *g = &v->by_dept[i];

		memset(g, 0, sizeof(*g));
		g->map = ck_value_map(v->a);
		ck_value_set_str(g->map, "id", m->departments[i].id);
		ck_value_set_str(g->map, "name", m->departments[i].name);
	}
	/* Three passes keep the list order (dialogues newest first) in each. */
	for (rank = 0; rank < 3; rank++)
		for (i = 0; i < m->ndialogues; i++) {
			const ck_dialogue *dl = v->dnewest[i].d;

			for (k = 0; k < dl->nquestions; k++) {
				const vw_qref *r =
				    vw_qref_find(v, dl->questions[k]);
				size_t t;
				vw_group *g;

				if (r == NULL || work_rank(r->q) != rank)
					continue;
				t = named_index(m->departments, m->ndepartments,
				                r->q->assigned_to);
				if (t >= m->ndepartments)
					continue;
				g = &v->by_dept[t];
				vw_refs_push(v->a, &g->refs, r);
				g->count++;
				g->open += r->q->open;
				g->late += rank == 0;
			}
		}
	v->departments_list = ck_value_list(v->a);
	for (i = 0; i < m->ndepartments; i++) {
		vw_group *g = &v->by_dept[i];
		const char *id = m->departments[i].id;

		ck_value_set_str(
		    g->map, "path",
		    ck_arena_printf(v->a, "co-quan/%s/index.html", id));
		ck_value_set_str(
		    g->map, "feed",
		    ck_arena_printf(v->a, "co-quan/%s/feed.xml", id));
		ck_value_set_int(g->map, "count", g->count);
		ck_value_set_int(g->map, "open_count", g->open);
		ck_value_set_int(g->map, "closed_count", g->count - g->open);
		ck_value_set_int(g->map, "late_count", g->late);
		ck_value_set(g->map, "has_questions", vw_bool(v, g->count > 0));
		ck_value_set(g->map, "has_open", vw_bool(v, g->open > 0));
		ck_value_set(g->map, "has_late", vw_bool(v, g->late > 0));
		ck_value_push(v->departments_list, g->map);
	}
	/* The list pages name their feed, for <link rel="alternate">. */
	for (i = 0; i < m->ntopics; i++)
		ck_value_set_str(v->by_topic[i].map, "feed",
		                 ck_arena_printf(v->a, "linh-vuc/%s/feed.xml",
		                                 m->topics[i].id));
	for (i = 0; i < m->nhamlets; i++)
		ck_value_set_str(v->by_hamlet[i].map, "feed",
		                 ck_arena_printf(v->a, "thon/%s/feed.xml",
		                                 m->hamlets[i].id));
}

/* ---- Atom ---- */

/* Ranks within one day and record: the later step of a record first. */
typedef enum { EV_CONCLUSION, EV_PROGRESS, EV_ANSWER, EV_QUESTION } vw_ev_kind;

typedef struct {
	ck_day day;
	vw_ev_kind kind;
	const char *key;      /* q->gid or the dialogue's slug */
	const ck_question *q; /* NULL for a conclusion */
	const ck_dialogue *dl;
	size_t n; /* progress entry, from 1 */
} vw_event;

typedef struct {
	const vw_event **e; /* VW_FEED_MAX slots, newest first */
	size_t n;
} vw_bin;

/* Newest first; ties by record, then step: a total order (of pointers
 * to events). */
static int
cmp_event(const void *x, const void *y)
{
	const vw_event *a = *(const vw_event *const *)x,
	               *b = *(const vw_event *const *)y;
	int c;

	if (a->day != b->day)
		return a->day > b->day ? -1 : 1;
	if ((c = strcmp(a->key, b->key)) != 0)
		return c;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return 0;
}

static void
bin_add(ck_views *v, vw_bin *bin, const vw_event *e)
{
	if (bin->n == VW_FEED_MAX)
		return;
	if (bin->e == NULL)
		bin->e = ck_arena_alloc(v->a, VW_FEED_MAX * sizeof(*bin->e));
	bin->e[bin->n++] = e;
}

/*
 * Text for XML 1.0: markup characters escaped, and the control characters
 * XML cannot carry at all left out (a feed reader rejects the whole feed).
 */
static void
put_xml(ck_buf *b, const char *s)
{
	/* The bytes that need no escaping, a run at a time: a province's
	 * sitemaps are 120,000 addresses. */
	static const char special[] = "&<>\"\x01\x02\x03\x04\x05\x06\x07"
	                              "\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13"
	                              "\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c"
	                              "\x1d\x1e\x1f";
	size_t run;

	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((run = strcspn(s, special)) > 0) {
			ck_buf_put(b, s, run);
			s += run - 1;
			continue;
		}

		switch (c) {
		case '&':
			ck_buf_puts(b, "&amp;");
			break;
		case '<':
			ck_buf_puts(b, "&lt;");
			break;
		case '>':
			ck_buf_puts(b, "&gt;");
			break;
		case '"':
			ck_buf_puts(b, "&quot;");
			break;
		default:
			if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
				ck_buf_putc(b, c);
		}
	}
}

/* RFC 3339 at the start of the day in Vietnam, where every date is. */
static void
put_stamp(ck_buf *b, ck_day day)
{
	char iso[11];

	ck_day_iso(iso, day);
	ck_buf_printf(b, "%sT00:00:00+07:00", iso);
}

/* The question's excerpt of max bytes, as its views give it. */
static const char *
excerpt(ck_views *v, const ck_question *q, size_t max)
{
	return ck_value_get_str(vw_excerpt(v->a, q->question_text, max), NULL);
}

static void
put_entry(ck_views *v, ck_buf *b, const vw_event *e)
{
	const char *base = v->m->base_url;
	const char *page, *id, *link, *summary;
	ck_buf title = CK_BUF_INIT;

	/* Numbers restart with each dialogue: the excerpt tells them apart. */
	if (e->q)
		page = ck_arena_printf(v->a, "%sdoi-thoai/%s/%s/", base,
		                       e->dl->slug, e->q->id);
	else
		page =
		    ck_arena_printf(v->a, "%sdoi-thoai/%s/", base, e->dl->slug);
	switch (e->kind) {
	case EV_QUESTION:
		id = ck_arena_printf(v->a, "%s#cau-hoi", page);
		link = page;
		ck_buf_printf(&title, "Câu hỏi mới số %s: %s", e->q->id,
		              excerpt(v, e->q, VW_SHORT_MAX));
		summary = excerpt(v, e->q, VW_SUMMARY_MAX);
		break;
	case EV_ANSWER:
		id = ck_arena_printf(v->a, "%s#tra-loi", page);
		link = id;
		ck_buf_printf(&title, "Đã trả lời câu hỏi số %s: %s", e->q->id,
		              excerpt(v, e->q, VW_SHORT_MAX));
		summary = ck_value_get_str(
		    vw_excerpt(v->a, e->q->answer_text ? e->q->answer_text : "",
		               240),
		    NULL);
		break;
	case EV_PROGRESS: {
		const ck_progress *p = &e->q->progress[e->n - 1];

		id = ck_arena_printf(v->a, "%s#tien-do-%zu", page, e->n);
		link = ck_arena_printf(v->a, "%s#qua-trinh", page);
		ck_buf_printf(&title, "Câu hỏi số %s – %s: %s", e->q->id,
		              ck_status_label(p->status), excerpt(v, e->q, VW_SHORT_MAX));
		summary = p->note_text && *p->note_text
		              ? ck_value_get_str(
		                    vw_excerpt(v->a, p->note_text, 240), NULL)
		              : excerpt(v, e->q, VW_SUMMARY_MAX);
		break;
	}
	default: /* EV_CONCLUSION */
		id = ck_arena_printf(v->a, "%s#ket-luan", page);
		link = id;
		ck_buf_printf(&title, "Thông báo kết luận: %s", e->dl->title);
		summary = e->dl->conclusion_number
		              ? ck_arena_printf(v->a, "Số %s",
		                                e->dl->conclusion_number)
		              : "";
		break;
	}
	ck_buf_puts(b, "<entry>\n<id>");
	put_xml(b, id);
	ck_buf_puts(b, "</id>\n<title>");
	put_xml(b, title.ptr);
	ck_buf_puts(b, "</title>\n<updated>");
	put_stamp(b, e->day);
	ck_buf_puts(b, "</updated>\n<link rel=\"alternate\" type=\"text/html\" "
	               "href=\"");
	put_xml(b, link);
	ck_buf_puts(b, "\"/>\n");
	if (summary && *summary) {
		ck_buf_puts(b, "<summary type=\"text\">");
		put_xml(b, summary);
		ck_buf_puts(b, "</summary>\n");
	}
	ck_buf_puts(b, "</entry>\n");
	ck_buf_free(&title);
}

/*
 * One feed: `dir` is where it lives ("" or "thon/<id>/"), its page is
 * base_url + dir. Its `updated` is its newest entry's day (today when it
 * has none: a feed must say something).
 */
static int
render_feed(ck_views *v, const vw_bin *bin, const char *dir, const char *title)
{
	const ck_model *m = v->m;
	ck_buf b = CK_BUF_INIT;
	size_t i;
	char *path = ck_arena_printf(v->a, "%sfeed.xml", dir);

	ck_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	                "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
	                "xml:lang=\"vi\">\n<id>");
	put_xml(&b, m->base_url);
	put_xml(&b, path);
	ck_buf_puts(&b, "</id>\n<title>");
	put_xml(&b, title);
	ck_buf_puts(&b, "</title>\n<subtitle>Câu hỏi mới, câu trả lời, tiến độ "
	                "giải quyết và thông báo kết luận: các mục mới "
	                "nhất.</subtitle>\n<updated>");
	put_stamp(&b, bin->n ? bin->e[0]->day : m->today);
	ck_buf_puts(&b, "</updated>\n<author>\n<name>");
	put_xml(&b, m->name);
	ck_buf_puts(&b, "</name>\n<uri>");
	put_xml(&b, m->base_url);
	ck_buf_puts(&b, "</uri>\n</author>\n<link rel=\"self\" "
	                "type=\"application/atom+xml\" href=\"");
	put_xml(&b, m->base_url);
	put_xml(&b, path);
	ck_buf_puts(&b, "\"/>\n<link rel=\"alternate\" type=\"text/html\" "
	                "href=\"");
	put_xml(&b, m->base_url);
	put_xml(&b, dir);
	ck_buf_puts(&b, "\"/>\n<icon>");
	put_xml(&b, m->base_url);
	ck_buf_puts(&b, "assets/icon.png</icon>\n");
	for (i = 0; i < bin->n; i++)
		put_entry(v, &b, bin->e[i]);
	ck_buf_puts(&b, "</feed>\n");
	ck_site_add_buf(v->site, path, &b);
	ck_buf_free(&b);
	return 0;
}

static int
render_feeds(ck_views *v)
{
	const ck_model *m = v->m;
	size_t nev = 0, i, k, t;
	size_t hb = 1, tb = hb + m->nhamlets, db = tb + m->ntopics;
	size_t nbins = db + m->ndepartments;
	vw_event *ev;
	const vw_event **order;
	vw_bin *bins;

	for (i = 0; i < v->nqrefs; i++)
		nev += 1 + v->qrefs[i].q->has_answer + v->qrefs[i].q->nprogress;
	nev += m->ndialogues;
	/* Every event, sorted by pointer, and freed once the feeds are
	 * made: a province's 250,000 took 10 MB till the build's end, and
	 * qsort(3) as much again for a copy. */
	ev = malloc((nev + 1) * sizeof(*ev));
	order = malloc((nev + 1) * sizeof(*order));
	if (ev == NULL || order == NULL)
		err(3, "malloc");
	bins = ck_arena_alloc(v->a, nbins * sizeof(*bins));
	memset(bins, 0, nbins * sizeof(*bins));

	nev = 0;
	for (i = 0; i < v->nqrefs; i++) {
		const ck_question *q = v->qrefs[i].q;
		vw_event base = {q->received, EV_QUESTION, q->gid,
		                 q,           q->dialogue, 0};

		ev[nev++] = base;
		if (q->has_answer && q->answer_date != CK_NODAY) {
			ev[nev] = base;
			ev[nev].kind = EV_ANSWER;
			ev[nev++].day = q->answer_date;
		}
		for (k = 0; k < q->nprogress; k++) {
			ev[nev] = base;
			ev[nev].kind = EV_PROGRESS;
			ev[nev].day = q->progress[k].date;
			ev[nev++].n = k + 1;
		}
	}
	for (i = 0; i < m->ndialogues; i++) {
		const ck_dialogue *dl = m->dialogues[i];
		vw_event c = {dl->conclusion_issued,
		              EV_CONCLUSION,
		              dl->slug,
		              NULL,
		              dl,
		              0};

		if (dl->has_conclusion && dl->conclusion_issued != CK_NODAY)
			ev[nev++] = c;
	}
	for (i = 0; i < nev; i++)
		order[i] = &ev[i];
	if (nev > 1)
		qsort(order, nev, sizeof(*order), cmp_event);

	for (i = 0; i < nev; i++) {
		const vw_event *e = order[i];

		bin_add(v, &bins[0], e);
		if (e->q) {
			t = named_index(m->hamlets, m->nhamlets, e->q->hamlet);
			if (t < m->nhamlets)
				bin_add(v, &bins[hb + t], e);
			t = named_index(m->topics, m->ntopics, e->q->topic);
			if (t < m->ntopics)
				bin_add(v, &bins[tb + t], e);
			t = named_index(m->departments, m->ndepartments,
			                e->q->assigned_to);
			if (t < m->ndepartments)
				bin_add(v, &bins[db + t], e);
			continue;
		}
		/* A conclusion concerns the dialogue's hamlets and topics. */
		if (e->dl->nhamlets == 0)
			for (t = 0; t < m->nhamlets; t++)
				bin_add(v, &bins[hb + t], e);
		for (k = 0; k < e->dl->nhamlets; k++) {
			t = named_index(m->hamlets, m->nhamlets,
			                e->dl->hamlets[k]);
			if (t < m->nhamlets)
				bin_add(v, &bins[hb + t], e);
		}
		for (k = 0; k < e->dl->ntopics; k++) {
			t = named_index(m->topics, m->ntopics,
			                e->dl->topics[k]);
			if (t < m->ntopics)
				bin_add(v, &bins[tb + t], e);
		}
	}

	render_feed(
	    v, &bins[0], "",
	    ck_arena_printf(v->a, "%s: đối thoại với Nhân dân", m->name));
	for (t = 0; t < m->nhamlets; t++)
		render_feed(v, &bins[hb + t],
		            ck_arena_printf(v->a, "thon/%s/", m->hamlets[t].id),
		            ck_arena_printf(v->a, "%s – %s", m->hamlets[t].name,
		                            m->name));
	for (t = 0; t < m->ntopics; t++)
		render_feed(
		    v, &bins[tb + t],
		    ck_arena_printf(v->a, "linh-vuc/%s/", m->topics[t].id),
		    ck_arena_printf(v->a, "Lĩnh vực %s – %s", m->topics[t].name,
		                    m->name));
	for (t = 0; t < m->ndepartments; t++)
		render_feed(
		    v, &bins[db + t],
		    ck_arena_printf(v->a, "co-quan/%s/", m->departments[t].id),
		    ck_arena_printf(v->a, "%s – %s", m->departments[t].name,
		                    m->name));
	free(order);
	free(ev);
	return 0;
}

/* ---- sitemap.xml, robots.txt ---- */

typedef struct {
	const char *rel; /* below base_url, as the canonical address */
	ck_day lastmod;  /* or CK_NODAY */
} vw_url;

typedef struct {
	vw_url *u;
	size_t len;
} vw_urls;

/* A question's page as the sitemap looks it up: by dialogue and id. */
typedef struct {
	const char *slug, *id;
	ck_day updated;
} vw_qpage;

static int
cmp_qpage(const void *x, const void *y)
{
	const vw_qpage *a = x, *b = y;
	int c = strcmp(a->slug, b->slug);

	return c ? c : strcmp(a->id, b->id);
}

/* The question page at "doi-thoai/<slug>/<id>/index.html" (the page's
 * path), in q (n, sorted by cmp_qpage), or NULL. */
static const vw_qpage *
find_qpage(const vw_qpage *q, size_t n, const char *path)
{
	const char *slug, *id, *end;
	size_t lo = 0, hi = n, mid, slug_len, id_len;
	int c;

	if (strncmp(path, "doi-thoai/", 10) != 0)
		return NULL;
	slug = path + 10;
	if ((id = strchr(slug, '/')) == NULL)
		return NULL;
	slug_len = (size_t)(id++ - slug);
	if ((end = strchr(id, '/')) == NULL || strcmp(end, "/index.html") != 0)
		return NULL;
	id_len = (size_t)(end - id);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strncmp(q[mid].slug, slug, slug_len);
		if (c == 0)
			c = q[mid].slug[slug_len] != '\0';
		if (c == 0) {
			c = strncmp(q[mid].id, id, id_len);
			if (c == 0)
				c = q[mid].id[id_len] != '\0';
		}
		if (c == 0)
			return &q[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* base is base_url, escaped once. */
static void
put_urlset(ck_buf *b, const char *base, const vw_urls *l, size_t from,
           size_t to)
{
	char iso[11];
	size_t i;

	ck_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	               "<urlset xmlns=\"http://www.sitemaps.org/schemas/"
	               "sitemap/0.9\">\n");
	for (i = from; i < to; i++) {
		ck_buf_puts(b, "<url><loc>");
		ck_buf_puts(b, base);
		put_xml(b, l->u[i].rel);
		ck_buf_puts(b, "</loc>");
		if (l->u[i].lastmod != CK_NODAY) {
			ck_day_iso(iso, l->u[i].lastmod);
			ck_buf_puts(b, "<lastmod>");
			ck_buf_put(b, iso, 10);
			ck_buf_puts(b, "</lastmod>");
		}
		ck_buf_puts(b, "</url>\n");
	}
	ck_buf_puts(b, "</urlset>\n");
}

/* Whether the file at path is a page: <dir>/index.html outside assets/
 * and static/. */
static bool
is_page(const char *path)
{
	size_t len = strlen(path);

	return len >= 10 && strcmp(path + len - 10, "index.html") == 0 &&
	       (len == 10 || path[len - 11] == '/') &&
	       strncmp(path, "assets/", 7) != 0 &&
	       strncmp(path, "static/", 7) != 0;
}

/*
 * Every page the site holds by now (every other file has been rendered:
 * views.c calls this last), so no kind of page can be forgotten: each
 * page (is_page), sorted; a question's page carries its last update as
 * lastmod. What it needs dies with an arena of its own (at a province's
 * scale, 15 MB that stayed in the build's until the end).
 */
static int
render_sitemap(ck_views *v)
{
	const ck_model *m = v->m;
	ck_arena *a = ck_arena_new();
	vw_urls l = {NULL, 0};
	ck_buf b = CK_BUF_INIT, idx = CK_BUF_INIT, base = CK_BUF_INIT;
	size_t i, files, to, n = ck_site_count(v->site), nq = v->nqrefs, len;
	vw_qpage *q = ck_arena_alloc(a, (nq ? nq : 1) * sizeof(*q));
	const vw_qpage *hit;
	const char *path;

	for (i = 0; i < nq; i++) {
		q[i].slug = v->qrefs[i].q->dialogue->slug;
		q[i].id = v->qrefs[i].q->id;
		q[i].updated = v->qrefs[i].q->updated;
	}
	if (nq > 1) /* qsort takes no NULL, even for nothing */
		qsort(q, nq, sizeof(*q), cmp_qpage);
	l.u = ck_arena_alloc(a, (n ? n : 1) * sizeof(*l.u));
	for (i = 0; i < n; i++) {
		path = ck_site_path(v->site, i);
		if (!is_page(path))
			continue;
		len = strlen(path);
		hit = find_qpage(q, nq, path);
		l.u[l.len].rel = ck_arena_strndup(a, path, len - 10);
		l.u[l.len++].lastmod = hit ? hit->updated : CK_NODAY;
	}
	if (l.len > 1)
		ck_strsort(l.u, l.len, sizeof(*l.u));
	put_xml(&base, m->base_url);

	if (l.len <= VW_SITEMAP_MAX) {
		put_urlset(&b, base.ptr, &l, 0, l.len);
		ck_site_add_buf(v->site, "sitemap.xml", &b);
	} else {
		/* Too many for one file: sitemap.xml lists the parts. */
		files = (l.len + VW_SITEMAP_MAX - 1) / VW_SITEMAP_MAX;
		ck_buf_puts(&idx, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		                  "<sitemapindex xmlns=\"http://www.sitemaps."
		                  "org/schemas/sitemap/0.9\">\n");
		for (i = 0; i < files; i++) {
			to = (i + 1) * VW_SITEMAP_MAX;
			ck_buf_clear(&b);
			put_urlset(&b, base.ptr, &l, i * VW_SITEMAP_MAX,
			           to < l.len ? to : l.len);
			ck_site_add_buf(
			    v->site,
			    ck_arena_printf(a, "sitemap-%zu.xml", i + 1), &b);
			ck_buf_puts(&idx, "<sitemap><loc>");
			ck_buf_puts(&idx, base.ptr);
			ck_buf_printf(&idx, "sitemap-%zu.xml</loc></sitemap>\n",
			              i + 1);
		}
		ck_buf_puts(&idx, "</sitemapindex>\n");
		ck_site_add_buf(v->site, "sitemap.xml", &idx);
	}
	ck_buf_free(&b);

	ck_buf_printf(&b, "User-agent: *\nAllow: /\n\nSitemap: %ssitemap.xml\n",
	              m->base_url);
	ck_site_add_buf(v->site, "robots.txt", &b);
	ck_buf_free(&b);
	ck_buf_free(&idx);
	ck_buf_free(&base);
	ck_arena_free(a);
	return 0;
}

int
vw_render_feeds(ck_views *v)
{
	return render_feeds(v);
}

int
vw_render_sitemap(ck_views *v)
{
	return render_sitemap(v);
}
