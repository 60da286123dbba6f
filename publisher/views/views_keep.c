/*
 * Kept list pages: a list page (a topic's, a hamlet's, a status's, a
 * report's...) is a hundred questions' rows, and a province has tens of
 * thousands of such pages, most of them the same from one build to the
 * next. Each gets a fingerprint of everything its bytes follow from: the
 * program, the theme's templates and the page's values (value.h), where
 * each row counts by its own fingerprint, made once per question for the
 * whole pass instead of once per page that shows it. A site whose sink
 * still has the page made from the same fingerprint keeps it
 * (ck_site_keep): its rows are never made and it is never rendered.
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
#include "hash.h"
#include "jobs.h"
#include "views_int.h"

/*
 * The program's own bytes: a page made by another build of congkhai is
 * never kept, whatever its version says. 0, or -1 when they cannot be
 * read (no page is kept then).
 */
static int
program_fingerprint(uint64_t out[2])
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	struct stat st;
	int rc = -1;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    ck_fd_hash128(out, fd, (size_t)st.st_size) == 0)
		rc = 0;
	close(fd);
	return rc;
}

void
vw_keep_setup(ck_views *v)
{
	uint64_t prog[2], tmpl[2];
	ck_hash128_state st;

	v->keep = false;
	if (v->site == NULL || !ck_site_can_keep(v->site) ||
	    getenv("CONGKHAI_NO_KEEP") != NULL ||
	    program_fingerprint(prog) != 0)
		return;
	ck_tmpl_set_fingerprint(tmpl, v->tmpl);
	ck_hash128_init(&st);
	ck_hash128_update(&st, "congkhai page\n", 14);
	ck_hash128_update(&st, prog, sizeof(prog));
	ck_hash128_update(&st, tmpl, sizeof(tmpl));
	ck_hash128_final(&st, v->keep_base);
	v->keep = true;
}

/* Seals what the pages of a pass share (see the top). */
static void
seal_shared(ck_views *v)
{
	const ck_model *m = v->m;
	size_t i;

	/* A page's context made once: the site, labels, menus, counts. */
	ck_value_seal(vw_page_ctx(v, 0, "list", NULL));
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
	uint64_t ctx[2];
	ck_hash128_state st;

	ck_value_fingerprint(ctx, page->ctx);
	ck_hash128_init(&st);
	ck_hash128_update(&st, v->keep_base, sizeof(v->keep_base));
	ck_hash128_update(&st, page->tmpl, strlen(page->tmpl) + 1);
	ck_hash128_update(&st, ctx, sizeof(ctx));
	ck_hash128_final(&st, page->fp);
	page->has_fp = true;
}
