/*
 * ck_diags: the diagnostics of one run. Errors and warnings are collected
 * (never printed as they are found) so that one run reports every problem,
 * in a stable order, as `path:line:col: error|warning: message`.
 */
#ifndef CK_DIAG_H
#define CK_DIAG_H

#include <stddef.h>
#include <stdio.h>

/* A note is for review only: it never changes the exit status. */
typedef enum { CK_ERROR, CK_WARNING, CK_NOTE } ck_severity;

typedef struct ck_diags ck_diags;

/* Returns a new, empty collection; free it with ck_diags_free. */
ck_diags *ck_diags_new(void);
void ck_diags_free(ck_diags *d); /* accepts NULL */

/*
 * Records one diagnostic. `path` is copied. line and col count from 1;
 * line 0 means the file as a whole and prints as 1:1 (col 0 as 1), so that
 * every diagnostic has the same `path:line:col:` shape for editors and CI.
 */
void ck_diag(ck_diags *d, ck_severity sev, const char *path, unsigned line,
             unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

size_t ck_diags_errors(const ck_diags *d);
/*
 * Appends from's diagnostics to into, in their order, as if recorded there
 * now, and leaves from empty: what a worker thread found joins the run's.
 */
void ck_diags_move(ck_diags *into, ck_diags *from);
size_t ck_diags_warnings(const ck_diags *d);
/* How many diagnostics d holds, in the order recorded. */
size_t ck_diags_count(const ck_diags *d);
/*
 * The i-th diagnostic recorded (i < ck_diags_count): its strings are d's,
 * valid until d changes. For replaying a file's diagnostics from a cache.
 */
void ck_diags_get(const ck_diags *d, size_t i, ck_severity *sev,
                  const char **path, unsigned *line, unsigned *col,
                  const char **msg);

/* Prints all, sorted by path, line, column, then the order recorded. */
void ck_diags_print(const ck_diags *d, FILE *f);

/* How diagnostics are printed (--format). */
typedef enum {
	CK_DIAG_TEXT,   /* path:line:col: error: message (compilers, Hugo) */
	CK_DIAG_GITHUB, /* GitHub/Gitea Actions workflow commands */
	CK_DIAG_JSON    /* one JSON object a line */
} ck_diag_format;

/* The format named "text", "github" or "json"; -1 for another name. */
int ck_diag_format_parse(const char *name);
/* ck_diags_print in one of the formats, in the same order. */
void ck_diags_print_format(const ck_diags *d, FILE *f, ck_diag_format fmt);

#endif
