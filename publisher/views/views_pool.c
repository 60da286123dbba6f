/*
 * Pages rendered on several threads with output that never depends on how
 * many: workers take page indexes from a shared counter and render into a
 * ring of slots, and hand each page to the site as soon as it is rendered
 * (the site sorts its files, so their order does not matter); a slot is
 * done with only once every page before it is, so the diagnostics and what
 * is printed come in page order whatever the thread count and timing.
 *
 * While the pool runs, the shared views (values, templates, labels) are only
 * read. A worker's own state is a copy of the views whose arena is its
 * scratch arena, reset after each page, and the slots' buffers.
 */
#include <err.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "views_int.h"

/* Pages rendered ahead of the oldest not yet added, per worker. */
#define VW_AHEAD 8

enum { SLOT_FREE, SLOT_DONE, SLOT_FAILED, SLOT_UNSUNK };

typedef struct {
	int state;
	ck_buf out;  /* the page being rendered */
	ck_buf path; /* where it goes */
	ck_buf why;  /* a runaway render's message */
	const char *tmpl;
} vw_slot;

typedef struct {
	ck_views *v;
	size_t n;
	vw_page_fn fn;
	const void *arg;

	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t next;  /* the next page to take */
	size_t added; /* pages before this one are in the site */
	bool stop;    /* a page failed: the ones after it are not wanted */
	/* CONGKHAI_CHECK_KEEP: a kept page's fingerprint is checked against
	 * its rows' when it is rendered (the tests). */
	bool check_fp;
	int rc;

	vw_slot *slots;
	size_t nslots;
} vw_pool;

typedef struct {
	vw_pool *p;
	ck_views wv; /* the shared views, with this worker's scratch arena */
	pthread_t tid;
} vw_worker;

/* Adds the finished pages that are next in order; called with p->mu held. */
static void
add_ready(vw_pool *p)
{
	vw_slot *s;

	while (!p->stop && p->added < p->n &&
	       (s = &p->slots[p->added % p->nslots])->state != SLOT_FREE) {
		if (s->state == SLOT_FAILED) {
			/* What a render on one thread would have said. */
			if (s->why.size)
				warnx("%s", s->why.ptr);
			ck_diag(p->v->d, CK_ERROR,
			        ck_arena_printf(p->v->a,
			                        "%s/templates/%s.mustache",
			                        p->v->theme_dir, s->tmpl),
			        0, 0, "cannot render template '%s'", s->tmpl);
			p->rc = -1;
			p->stop = true;
		} else if (s->state == SLOT_UNSUNK) {
			/* The sink said why (site.h); the build fails. */
			p->rc = -1;
			p->stop = true;
		}
		s->state = SLOT_FREE;
		p->added++;
	}
	pthread_cond_broadcast(&p->cv);
}

/*
 * The fingerprint of the page with its rows made must be the one taken
 * with their stand-in, or kept pages could be stale: fatal, for the tests.
 */
static void
check_fp(ck_views *wv, vw_page *page)
{
	uint64_t want[2] = {page->fp[0], page->fp[1]};

	vw_keep_page_fp(wv, page);
	if (page->fp[0] != want[0] || page->fp[1] != want[1])
		errx(3, "internal error: %s: fingerprint of its rows differs",
		     page->path);
}

/*
 * Page's bytes into slot s and handed to the site, or the page kept
 * (views_keep.c). 0, -1 (the render failed) or 1 (the sink failed).
 */
static int
render_page(vw_worker *w, vw_slot *s, vw_page *page)
{
	ck_views *wv = &w->wv;
	int kept = 0, r;

	/* CONGKHAI_CHECK_KEEP: a page filled when not kept is made anyway,
	 * for the sink to compare with what it kept (views_keep.c). */
	if (page->has_fp && !(w->p->check_fp && page->fill != NULL) &&
	    (kept = ck_site_keep(wv->site, s->path.ptr, page->fp)) != 0)
		return kept > 0 ? 0 : 1;
	if (page->fill != NULL)
		page->fill(wv, page);
	if (page->rows_at != NULL) {
		ck_value_set(page->rows_at, "questions",
		             vw_question_rows(wv, page->rows, page->nrows));
		if (w->p->check_fp)
			check_fp(wv, page);
	}
	r = ck_tmpl_render_why(&s->out, &s->why, wv->tmpl, page->tmpl,
	                       page->ctx);
	/* Handed over here, outside the lock: a sink hashes and writes the
	 * workers' pages side by side (site.h). */
	if (r == 0 &&
	    (page->has_fp ? ck_site_add_made(wv->site, s->path.ptr, s->out.ptr,
	                                     s->out.size, page->fp)
	                  : ck_site_add(wv->site, s->path.ptr, s->out.ptr,
	                                s->out.size)) != 0)
		r = 1;
	return r;
}

static void *
work(void *arg)
{
	vw_worker *w = arg;
	vw_pool *p = w->p;
	vw_page page;
	vw_slot *s;
	size_t i;
	int r;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->stop && p->next < p->n &&
		       p->next >= p->added + p->nslots)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop || p->next >= p->n)
			break;
		i = p->next++;
		pthread_mutex_unlock(&p->mu);

		/* Slot i % nslots is free: page i - nslots has been added. */
		s = &p->slots[i % p->nslots];
		memset(&page, 0, sizeof(page));
		p->fn(&w->wv, i, &page, p->arg);
		ck_buf_clear(&s->out);
		ck_buf_clear(&s->why);
		ck_buf_clear(&s->path);
		ck_buf_puts(&s->path, page.path);
		s->tmpl = page.tmpl;
		r = render_page(w, s, &page);
		ck_arena_reset(w->wv.a);

		pthread_mutex_lock(&p->mu);
		s->state = r == 0   ? SLOT_DONE
		           : r == 1 ? SLOT_UNSUNK
		                    : SLOT_FAILED;
		add_ready(p);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

int
vw_render_all(ck_views *v, size_t n, vw_page_fn fn, const void *arg)
{
	size_t nw = (size_t)(v->jobs > 0 ? v->jobs : 1), i, started = 0;
	vw_worker *w;
	vw_pool p;

	if (nw > n)
		nw = n ? n : 1;
	memset(&p, 0, sizeof(p));
	p.v = v;
	p.n = n;
	p.fn = fn;
	p.arg = arg;
	p.check_fp = getenv("CONGKHAI_CHECK_KEEP") != NULL;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	p.nslots = nw * VW_AHEAD;
	p.slots = ck_arena_alloc(v->a, p.nslots * sizeof(*p.slots));
	for (i = 0; i < p.nslots; i++) {
		ck_buf_init(&p.slots[i].out);
		ck_buf_init(&p.slots[i].path);
		ck_buf_init(&p.slots[i].why);
	}
	w = ck_arena_alloc(v->a, nw * sizeof(*w));
	for (i = 0; i < nw; i++) {
		w[i].p = &p;
		w[i].wv = *v;
		w[i].wv.a = ck_arena_new();
		ck_buf_init(&w[i].wv.out);
	}
	/*
	 * Worker 0 is this thread (so --jobs 1 starts none); one that cannot
	 * be started only leaves its share to the others.
	 */
	for (i = 1; i < nw; i++) {
		if (pthread_create(&w[i].tid, NULL, work, &w[i]) != 0) {
			warnx("cannot start a rendering thread; going on "
			      "with %zu",
			      i);
			break;
		}
		started = i;
	}
	work(&w[0]);
	for (i = 1; i <= started; i++)
		pthread_join(w[i].tid, NULL);

	for (i = 0; i < nw; i++)
		ck_arena_free(w[i].wv.a);
	for (i = 0; i < p.nslots; i++) {
		ck_buf_free(&p.slots[i].out);
		ck_buf_free(&p.slots[i].path);
		ck_buf_free(&p.slots[i].why);
	}
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	return p.rc;
}
