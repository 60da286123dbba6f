/* ck_model_load: the loader's entry point and the model's order. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load.h"

static int
cmp_dialogue(const void *pa, const void *pb)
{
	const ck_dialogue *a = *(ck_dialogue *const *)pa;
	const ck_dialogue *b = *(ck_dialogue *const *)pb;

	/* Dated first, by date; the undated (date_text only) last. */
	if (a->date != b->date) {
		if (a->date == CK_NODAY)
			return 1;
		if (b->date == CK_NODAY)
			return -1;
		return a->date < b->date ? -1 : 1;
	}
	return strcmp(a->slug, b->slug);
}

static int
cmp_page(const void *pa, const void *pb)
{
	const ck_page *a = *(ck_page *const *)pa;
	const ck_page *b = *(ck_page *const *)pb;

	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return strcmp(a->slug, b->slug);
}

/* Questions by dialogue (already in date order), then id. */
static void
collect_questions(ck_model *m)
{
	size_t i, j, n = 0;

	for (i = 0; i < m->ndialogues; i++)
		n += m->dialogues[i]->nquestions;
	m->questions = ck_arena_alloc(m->arena, (n + 1) * sizeof(*m->questions));
	for (i = 0; i < m->ndialogues; i++)
		for (j = 0; j < m->dialogues[i]->nquestions; j++)
			m->questions[m->nquestions++] =
			    m->dialogues[i]->questions[j];
}

static int
attach_revisions(ck_model *m)
{
	ck_revisions *r = NULL;
	ck_question *q;
	size_t i;
	int rc;

	if ((rc = ck_revisions_load(&r, m->content_dir)) != 0)
		return rc;
	for (i = 0; i < m->nquestions; i++) {
		const ck_revision *v;
		ck_revision *copy;
		size_t n, k;

		q = m->questions[i];
		v = ck_revisions_for(r, q->relpath, &n);
		if (n == 0)
			continue;
		/* The model outlives the walk's memory: copy into the arena. */
		copy = ck_arena_alloc(m->arena, n * sizeof(*copy));
		memcpy(copy, v, n * sizeof(*copy));
		for (k = 0; k < n; k++)
			copy[k].path = ck_arena_strdup(m->arena, v[k].path);
		q->revisions = copy;
		q->nrevisions = n;
	}
	ck_revisions_free(r);
	return 0;
}

/*
 * The start of every load: a new model for content_dir and its site.yaml
 * loaded into it through l. Returns ck_load_site's result (0, -1 with
 * errors in d, -3), with *read true; or, with *read false, -1 or -3 when
 * site.yaml could not be read at all. *mp is set whenever the model was
 * made (also on failure: the caller frees it).
 */
static int
load_site_yaml(ck_model **mp, bool *read, ck_loader *l,
               const char *content_dir, ck_day today, ck_diags *d)
{
	ck_model *m;
	size_t n;
	char *site, *dir, *root;
	ck_fs_kind kind;

	*read = false;
	*mp = m = calloc(1, sizeof(*m));
	if (m == NULL)
		return -3;
	m->arena = ck_arena_new();
	m->calendar = ck_calendar_new();
	/* "content/" and "content" name the same folder in diagnostics. */
	dir = ck_arena_strdup(m->arena, content_dir);
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	m->content_dir = dir;
	m->today = today;
	l->m = m;
	l->a = m->arena;
	l->d = d;
	/* Resolved once: every path read is checked against it. */
	if ((root = ck_fs_root(m->content_dir)) == NULL) {
		ck_diag(d, CK_ERROR, m->content_dir, 0, 0, "cannot read: %s",
		        strerror(errno));
		return -3;
	}
	l->root = ck_arena_strdup(m->arena, root);
	free(root);

	site = ck_arena_printf(m->arena, "%s/site.yaml", m->content_dir);
	if ((kind = ck_load_kind(l, site, NULL, NULL, NULL)) ==
	    CK_FS_REFUSED)
		return l->io_failed ? -3 : -1;
	if (kind != CK_FS_FILE) {
		ck_diag(d, CK_ERROR, site, 0, 0,
			"missing site.yaml: every content folder starts with "
			"one (name, base_url, hamlets, topics)");
		return -1;
	}
	*read = true;
	return ck_load_site(l, site);
}

int
ck_model_load(ck_model **out, const char *content_dir, ck_day today, int jobs,
              bool remember, ck_diags *d)
{
	ck_loader l = {0}; /* every field starts empty */
	ck_model *m;
	struct stat st;
	size_t errors = ck_diags_errors(d);
	bool read;
	int rc;

	*out = NULL;
	if (stat(content_dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return -2;
	rc = load_site_yaml(&m, &read, &l, content_dir, today, d);
	if (m == NULL)
		return -3;
	if (!read)
		goto fail;
	if (rc != 0)
		l.failed_hamlet = l.failed_topic = l.failed_department = true;
	l.jobs = jobs > 0 ? jobs : 1;
	/* Records depend on site.yaml: none are cached against a broken one. */
	if (rc == 0)
		ck_load_cache_start(&l, l.site_fp, remember);
	if (rc == 0 || rc == -1) {
		/* Go on after errors in site.yaml: report everything. */
		ck_load_pages(&l);
		ck_load_dialogues(&l);
		ck_load_statics(&l);
	}
	ck_load_questions_done(&l);
	if (l.cache != NULL && getenv("CONGKHAI_BUILD_STATS") != NULL) {
		size_t hits, files;

		ck_load_cache_stats(&l, &hits, &files);
		fprintf(stderr,
		        "congkhai records: %zu of %zu question files from the "
		        "record cache\n",
		        hits, files);
	}
	/* An unreadable folder or file is a failure, never an absence. */
	if (l.io_failed) {
		rc = -3;
		goto fail;
	}
	if (ck_diags_errors(d) > errors) {
		rc = -1;
		goto fail;
	}
	if (m->ndialogues)
		qsort(m->dialogues, m->ndialogues, sizeof(*m->dialogues),
		      cmp_dialogue);
	if (m->npages)
		qsort(m->pages, m->npages, sizeof(*m->pages), cmp_page);
	collect_questions(m);
	if ((rc = attach_revisions(m)) != 0) {
		rc = -3;
		goto fail;
	}
	ck_model_derive(m);
	*out = m;
	return 0;
fail:
	ck_model_free(m);
	return rc;
}

int
ck_model_load_site(ck_model **out, const char *content_dir, ck_diags *d)
{
	ck_loader l = {0};
	ck_model *m;
	struct stat st;
	size_t errors = ck_diags_errors(d);
	bool read;
	int rc;

	*out = NULL;
	if (stat(content_dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return -2;
	rc = load_site_yaml(&m, &read, &l, content_dir, ck_day_today(), d);
	if (m == NULL)
		return -3;
	if (rc == 0 && l.io_failed)
		rc = -3;
	if (rc == 0 && ck_diags_errors(d) > errors)
		rc = -1;
	if (rc != 0) {
		ck_model_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

void
ck_model_free(ck_model *m)
{
	if (m == NULL)
		return;
	ck_calendar_free(m->calendar);
	ck_arena_free(m->arena);
	free(m);
}
