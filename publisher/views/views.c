/*
 * ck_views_render: loads the theme (templates and labels), builds the
 * values once and renders every output file from them.
 */
#include <errno.h>
#include <err.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "frontmatter.h"
#include "jobs.h"
#include "views.h"
#include "views_int.h"

/* The pages a theme must provide (templates/<name>.mustache). */
static const char *const page_templates[] = {
    "home",      "dialogues", "dialogue",   "question",    "topic",
    "hamlet",    "status",    "overdue",    "page",        "404",
    "search",    "department", "questions", "stats",       "reports",
    "report",    "report_list", "coverage", NULL,
};

/* The codes whose display labels a theme's labels.yaml must give. */
static const char *const status_codes[] = {
    "received", "in_progress", "escalated", "answered",
    "resolved", "declined",    NULL};
static const char *const channel_codes[] = {
    "registered", "at_meeting", "written", "mttq", "other", NULL};
static const char *const kind_codes[] = {"conference", "hamlet_meeting",
                                         "reception", NULL};
static const char *const dstatus_codes[] = {
    "planned", "held", "concluded", "cancelled", "postponed", NULL};
static const char *const unit_codes[] = {"xa", "phuong", "dac-khu", NULL};

static const struct {
	const char *category;
	const char *const *codes;
} label_sets[] = {
    {"status", status_codes},  {"channel", channel_codes},
    {"kind", kind_codes},      {"dialogue_status", dstatus_codes},
    {"unit_type", unit_codes}, {"unit_scope", unit_codes},
};

/*
 * A theme that lacks a label still builds (the code shows instead), but
 * the commune should know before citizens see "in_progress".
 */
static void
check_labels(ck_views *v, const ck_yaml_node *root)
{
	size_t i, k;
	const ck_yaml_node *wd = ck_yaml_get(root, "weekdays");

	for (i = 0; i < sizeof(label_sets) / sizeof(*label_sets); i++) {
		const ck_yaml_node *cat =
		    ck_yaml_get(root, label_sets[i].category);

		if (cat == NULL || cat->kind != CK_YAML_MAP) {
			ck_diag(v->d, CK_WARNING, v->labels_path,
			        cat ? cat->line : 0, cat ? cat->col : 0,
			        "'%s' should be a map of labels",
			        label_sets[i].category);
			continue;
		}
		for (k = 0; label_sets[i].codes[k]; k++) {
			const ck_yaml_node *s =
			    ck_yaml_get(cat, label_sets[i].codes[k]);

			if (s == NULL || s->kind != CK_YAML_SCALAR)
				ck_diag(v->d, CK_WARNING, v->labels_path,
				        cat->line, cat->col,
				        "no label for %s '%s'",
				        label_sets[i].category,
				        label_sets[i].codes[k]);
		}
	}
	if (wd == NULL || wd->kind != CK_YAML_SEQ || wd->n != 7)
		ck_diag(v->d, CK_WARNING, v->labels_path, wd ? wd->line : 0,
		        wd ? wd->col : 0,
		        "'weekdays' should list 7 names, Sunday first");
}

static int
load_labels(ck_views *v)
{
	ck_buf b = CK_BUF_INIT;
	ck_yaml_node *root = NULL;
	int rc = -1;

	v->labels_path = ck_arena_printf(v->a, "%s/labels.yaml", v->theme_dir);
	if (vw_check_path(v, v->labels_path, NULL) != 0)
		goto done;
	if (vw_read_file(&b, v->labels_path) != 0) {
		ck_diag(v->d, CK_ERROR, v->labels_path, 0, 0,
		        "cannot read the theme's labels: %s", strerror(errno));
		goto done;
	}
	if (ck_yaml_parse(&root, v->a, v->labels_path, b.ptr, b.size, 1,
	                  v->d) != 0)
		goto done;
	if (root->kind != CK_YAML_MAP) {
		ck_diag(v->d, CK_ERROR, v->labels_path, root->line, root->col,
		        "labels must be a map");
		goto done;
	}
	check_labels(v, root);
	v->labels = vw_yaml_value(v->a, root);
	rc = 0;
done:
	ck_buf_free(&b);
	return rc;
}

static int
load_templates(ck_views *v)
{
	char *dir = ck_arena_printf(v->a, "%s/templates", v->theme_dir);
	struct stat st;
	size_t i;
	int rc = 0;

	if (vw_check_path(v, dir, NULL) != 0)
		return -1;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		ck_diag(v->d, CK_ERROR, dir, 0, 0,
		        "the theme has no templates folder");
		return -1;
	}
	v->tmpl = ck_tmpl_set_new();
	if (ck_tmpl_load_dir(v->tmpl, dir, v->d) != 0)
		rc = -1;
	for (i = 0; page_templates[i]; i++) {
		char *p = ck_arena_printf(v->a, "%s/%s.mustache", dir,
		                          page_templates[i]);

		if (stat(p, &st) != 0) {
			ck_diag(v->d, CK_ERROR, p, 0, 0,
			        "missing template '%s'", page_templates[i]);
			rc = -1;
		}
	}
	return rc;
}

/* Page slugs share the top of the site with the generated folders. */
static int
check_page_slugs(ck_views *v)
{
	static const char *const reserved[] = {
	    "doi-thoai", "linh-vuc", "thon",     "trang-thai", "data",
	    "static",    "assets",   "tim-kiem", "co-quan",    "bao-cao",
	    NULL};
	size_t i, k;
	int rc = 0;

	for (i = 0; i < v->m->npages; i++)
		for (k = 0; reserved[k]; k++)
			if (strcmp(v->m->pages[i]->slug, reserved[k]) == 0) {
				ck_diag(v->d, CK_ERROR, v->m->pages[i]->path, 0,
				        0,
				        "page name '%s' is taken by the "
				        "site's own pages; rename the file",
				        reserved[k]);
				rc = -1;
			}
	return rc;
}

int
ck_views_render(ck_site *site, const ck_model *m, const char *theme_dir,
                ck_diags *d)
{
	return ck_views_render_jobs(site, m, theme_dir, 0, d);
}

/*
 * The open data and the search index: each one long pass, one after the
 * other on a thread beside the pages when there are threads to spare
 * (else before the pages). They only read the shared values (frozen by
 * then) and add files of their own, so the output is the same whichever
 * runs first. Not each on a thread of its own: their memory at once took
 * a province's publish past 300 MB, for a tenth of a second.
 */
typedef struct {
	ck_views v; /* the shared views, with an arena of its own */
	pthread_t tid;
	bool started;
	int rc;
} vw_side;

static int
render_side(ck_views *v)
{
	return vw_render_data(v) != 0 || vw_render_followup_data(v) != 0 ||
	               vw_render_search(v) != 0
	           ? -1
	           : 0;
}

static void *
side_work(void *arg)
{
	vw_side *s = arg;

	s->rc = render_side(&s->v);
	return NULL;
}

/* Starts the side work on a thread (v->jobs > 1), else does it now. */
static void
side_start(vw_side *s, const ck_views *v)
{
	s->v = *v;
	s->v.a = ck_arena_new();
	ck_buf_init(&s->v.out);
	s->started = v->jobs > 1 &&
	             pthread_create(&s->tid, NULL, side_work, s) == 0;
	if (!s->started)
		side_work(s);
}

/* Waits for the side work; its result. */
static int
side_finish(vw_side *s)
{
	if (s->started)
		pthread_join(s->tid, NULL);
	ck_buf_free(&s->v.out);
	ck_arena_free(s->v.a);
	return s->rc;
}

int
ck_views_render_jobs(ck_site *site, const ck_model *m, const char *theme_dir,
                     int jobs, ck_diags *d)
{
	ck_views v;
	vw_side side;
	struct stat st;
	char *root;
	int rc = -1, r;

	memset(&v, 0, sizeof(v));
	v.a = ck_arena_new();
	v.build_a = v.a;
	v.m = m;
	v.site = site;
	v.d = d;
	v.theme_dir = theme_dir;
	v.jobs = ck_jobs(jobs);
	ck_buf_init(&v.out);

	if (stat(theme_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		ck_diag(d, CK_ERROR, theme_dir, 0, 0, "no theme folder here");
		goto done;
	}
	/* Resolved once: nothing outside the theme reaches a page. */
	if ((root = ck_fs_root(theme_dir)) == NULL) {
		ck_diag(d, CK_ERROR, theme_dir, 0, 0, "cannot read: %s",
		        strerror(errno));
		rc = -3;
		goto done;
	}
	v.theme_root = ck_arena_strdup(v.a, root);
	free(root);
	/* Report every theme problem at once, then stop. */
	rc = load_labels(&v);
	if (load_templates(&v) != 0)
		rc = -1;
	if (check_page_slugs(&v) != 0)
		rc = -1;
	if (rc != 0)
		goto done;

	/* The sink may begin its own work beside the values (one CPU). */
	ck_site_stage(site, CK_SITE_FILES_NEXT);
	if (vw_build_values(&v) != 0) {
		rc = -1;
		goto done;
	}
	vw_build_follow(&v);
	vw_page_ctx_setup(&v);
	vw_keep_setup(&v);
	side_start(&side, &v);
	/* One pass for every page that may be kept: what they share is
	 * sealed, and each question's row fingerprinted, once. */
	vw_keep_begin(&v);
	rc = vw_render_pages(&v) != 0 || vw_render_followup_pages(&v) != 0 ||
	             vw_render_reports(&v) != 0 || vw_render_feeds(&v) != 0
	         ? -1
	         : 0;
	vw_keep_end(&v);
	if (side_finish(&side) != 0 || rc != 0) {
		rc = -1;
		goto done;
	}
	if ((r = vw_copy_assets(&v)) != 0 || (r = vw_copy_statics(&v)) != 0) {
		rc = r;
		goto done;
	}
	/* Last: the sitemap lists every page the site holds (one CPU). */
	ck_site_stage(site, CK_SITE_LAST_NEXT);
	rc = vw_render_sitemap(&v) != 0 ? -1 : 0;
done:
	ck_buf_free(&v.out);
	ck_tmpl_set_free(v.tmpl);
	ck_arena_free(v.a);
	return rc;
}
