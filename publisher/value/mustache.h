/*
 * Mustache templates: interpolation, sections, inverted sections, comments,
 * partials, set delimiters and inheritance (parents and blocks), as the
 * official spec defines them; HTML escaping by default.
 */
#ifndef CK_MUSTACHE_H
#define CK_MUSTACHE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"
#include "value.h"

typedef struct ck_tmpl_set ck_tmpl_set;

/* An empty set of named templates; free with ck_tmpl_set_free. */
ck_tmpl_set *ck_tmpl_set_new(void);
void ck_tmpl_set_free(ck_tmpl_set *s); /* accepts NULL */

/*
 * Adds (or replaces) template `name` with source src. Syntax errors (an
 * unclosed tag or section, a mismatched end) are reported into d as
 * path:line:col. Returns 0, or -1 after reporting.
 */
int ck_tmpl_add(ck_tmpl_set *s, const char *name, const char *src, size_t len,
		const char *path, ck_diags *d);
/*
 * Adds every *.mustache file under dir, named by its path relative to dir
 * without the extension ("page", "partials/header"). Returns 0 or -1.
 */
int ck_tmpl_load_dir(ck_tmpl_set *s, const char *dir, ck_diags *d);

/*
 * A fingerprint of every template of the set, names and sources (a page's
 * is this and its values', value.h).
 */
void ck_tmpl_set_fingerprint(uint64_t out[2], const ck_tmpl_set *s);

/*
 * Renders template `name` with ctx as the context stack's bottom, appending
 * to out. A missing partial renders as nothing. Returns 0, or -1 when there
 * is no template of that name or when the render runs away (partials nested
 * deeper than 500, more than 10M partial expansions, or more than 1 GiB of
 * output: a warning names the template, and out is left as it was).
 */
int ck_tmpl_render(ck_buf *out, ck_tmpl_set *s, const char *name,
		   const ck_value *ctx);
/*
 * ck_tmpl_render, but a runaway render's message is appended to why instead
 * of printed (for renders on worker threads, whose messages are printed in
 * page order). Rendering only reads s and ctx: renders of one set may run
 * on several threads at once, each with its own out and why.
 */
int ck_tmpl_render_why(ck_buf *out, ck_buf *why, ck_tmpl_set *s,
		       const char *name, const ck_value *ctx);

#endif
