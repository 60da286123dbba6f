/*
 * Views: the model rendered for citizens (HTML pages through the theme's
 * Mustache templates) and for re-use (the open data: JSON and CSV).
 *
 * Every page and every open-data record of a question is built from one
 * ck_value per question, made once, so the site and the data cannot
 * disagree. A theme is a folder:
 *
 *   templates/NAME.mustache  the pages (base, home, dialogues, dialogue,
 *                          question, topic, hamlet, status, overdue, page,
 *                          404, search) and their partials
 *                          (templates/partials/...)
 *   labels.yaml            every display label of the codes the content
 *                          uses (statuses, channels, kinds, unit types,
 *                          weekdays), passed to templates as `labels`
 *   assets/...             copied to assets/...
 */
#ifndef CK_VIEWS_H
#define CK_VIEWS_H

#include "diag.h"
#include "model.h"
#include "site.h"

/*
 * Renders every page, open-data file, the theme's assets (theme_dir/assets
 * -> assets/) and the content's static files (m->statics -> static/<relpath>,
 * read from disk) into site. Template errors, missing templates and a broken
 * labels.yaml are reported into d (path:line:col). Returns 0, -1 on theme
 * errors (d has them), -3 on an I/O failure (reported with warn(3)).
 */
int ck_views_render(ck_site *site, const ck_model *m, const char *theme_dir,
                    ck_diags *d);
/*
 * ck_views_render on `jobs` threads (0: one per online CPU, up to 8; 1: this
 * thread only). The site, d and what is printed are the same for any jobs.
 */
int ck_views_render_jobs(ck_site *site, const ck_model *m,
                         const char *theme_dir, int jobs, ck_diags *d);

#endif
