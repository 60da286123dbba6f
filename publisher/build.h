/*
 * The build pipeline shared by `build`, `check` and `publish`:
 * load (files -> records) -> validate and derive -> model -> views -> site.
 */
#ifndef CK_BUILD_H
#define CK_BUILD_H

#include <stdbool.h>

#include "date.h"
#include "diag.h"
#include "site.h"

/* Exit statuses (cli-and-output.md). */
enum { CK_EXIT_OK = 0, CK_EXIT_CONTENT = 1, CK_EXIT_USAGE = 2, CK_EXIT_IO = 3 };

typedef struct {
	const char *content_dir; /* default "content" */
	const char *theme_dir;   /* default "themes/default" */
	ck_day today;            /* CK_NODAY: the clock's day in UTC+7 */
	bool render;             /* false for `check`: validate only */
	int jobs; /* rendering threads; 0: one per CPU, up to 8 */
	/*
	 * Where the files go, borrowed: a site with a sink (site.h) streams
	 * them to the output folder or to git as they are rendered. NULL: a
	 * new site that keeps them in memory, returned in the result.
	 */
	ck_site *site;
} ck_build_opts;

typedef struct {
	ck_site *site;  /* the built files (NULL when !render); the caller's
	                   opts->site when it gave one */
	char *cname;    /* site.yaml cname, or NULL */
	char *base_url; /* site.yaml base_url */
	char today[11]; /* the day judged against, YYYY-MM-DD */
	bool own_site;  /* site was made here (freed with the result) */
} ck_build_result;

/*
 * Runs the pipeline. Content problems go into d. Returns 0 on success, -1
 * when the content (or the theme) has errors (d holds them; out holds
 * nothing), -2 when the content or theme folder does not exist (message
 * printed), -3 on an I/O or git failure (already reported; also when the
 * site's sink failed).
 * Free the result with ck_build_result_free (accepts a zeroed result).
 */
int ck_build_run(ck_build_result *out, const ck_build_opts *opts, ck_diags *d);
void ck_build_result_free(ck_build_result *r);

#endif
