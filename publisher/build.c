/* The pipeline: model (load, validate, derive) -> views -> site. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "build.h"
#include "jobs.h"
#include "model.h"
#include "views.h"

/*
 * A folder given as --theme that holds no page templates is a mistake on
 * the command line (a wrong folder), not a theme with errors to report.
 */
static bool
is_theme(const char *dir)
{
	ck_buf path = CK_BUF_INIT;
	struct stat st;
	bool ok;

	ck_buf_printf(&path, "%s/templates/home.mustache", dir);
	ok = stat(path.ptr, &st) == 0 && S_ISREG(st.st_mode);
	ck_buf_free(&path);
	return ok;
}

int
ck_build_run(ck_build_result *out, const ck_build_opts *opts, ck_diags *d)
{
	ck_model *m = NULL;
	ck_site *site;
	struct stat st;
	ck_day today = opts->today != CK_NODAY ? opts->today : ck_day_today();
	int rc;

	memset(out, 0, sizeof(*out));
	ck_day_iso(out->today, today);
	if (stat(opts->content_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "congkhai: content folder '%s' not found\n",
		        opts->content_dir);
		return -2;
	}
	if (opts->render &&
	    (stat(opts->theme_dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
		fprintf(stderr, "congkhai: theme folder '%s' not found\n",
		        opts->theme_dir);
		return -2;
	}
	if (opts->render && !is_theme(opts->theme_dir)) {
		fprintf(stderr,
		        "congkhai: '%s' is not a theme: it has no "
		        "templates/home.mustache\n",
		        opts->theme_dir);
		return -2;
	}
	/* `check` writes nothing, not even the record cache. */
	rc = ck_model_load(&m, opts->content_dir, today, ck_jobs(opts->jobs),
	                   opts->render, d);
	if (rc != 0)
		return rc;
	if (!opts->render) {
		ck_model_report_status(m, d);
		ck_model_report_holidays(m, d);
		ck_model_report_coverage(m, d);
	} else {
		site = opts->site ? opts->site : ck_site_new();
		rc = ck_views_render_jobs(site, m, opts->theme_dir, opts->jobs,
		                          d);
		/* A sink's failure is an I/O one, whatever it interrupted. */
		if (ck_site_failed(site))
			rc = -3;
		if (rc == 0 && ck_site_sort(site) != 0)
			rc = -3;
		if (rc != 0) {
			if (site != opts->site)
				ck_site_free(site);
			goto done;
		}
		out->site = site;
		out->own_site = site != opts->site;
	}
	if (m->cname)
		out->cname = strdup(m->cname);
	if (m->base_url)
		out->base_url = strdup(m->base_url);
done:
	ck_model_free(m);
	return rc;
}

void
ck_build_result_free(ck_build_result *r)
{
	if (r == NULL)
		return;
	if (r->own_site)
		ck_site_free(r->site);
	free(r->cname);
	free(r->base_url);
	memset(r, 0, sizeof(*r));
}
