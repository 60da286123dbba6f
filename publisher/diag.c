#include "diag.h"

#include <err.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

struct diag {
	ck_severity sev;
	char *path;
	unsigned line, col;
	size_t seq;
	char *msg;
};

struct ck_diags {
	struct diag *v;
	size_t len, cap;
	size_t errors, warnings;
};

ck_diags *
ck_diags_new(void)
{
	ck_diags *d = calloc(1, sizeof(*d));

	if (d == NULL)
		err(3, "calloc");
	return d;
}

void
ck_diags_free(ck_diags *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->len; i++) {
		free(d->v[i].path);
		free(d->v[i].msg);
	}
	free(d->v);
	free(d);
}

void
ck_diag(ck_diags *d, ck_severity sev, const char *path, unsigned line,
	unsigned col, const char *fmt, ...)
{
	ck_buf msg = CK_BUF_INIT;
	struct diag *x;
	va_list ap;

	if (d->len == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = realloc(d->v, d->cap * sizeof(*d->v));
		if (d->v == NULL)
			err(3, "realloc");
	}
	va_start(ap, fmt);
	ck_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	x = &d->v[d->len];
	x->sev = sev;
	x->path = strdup(path ? path : "");
	if (x->path == NULL)
		err(3, "strdup");
	x->line = line;
	x->col = col;
	x->seq = d->len;
	x->msg = ck_buf_detach(&msg);
	d->len++;
	if (sev == CK_ERROR)
		d->errors++;
	else if (sev == CK_WARNING)
		d->warnings++;
}

size_t
ck_diags_errors(const ck_diags *d)
{
	return d->errors;
}

size_t
ck_diags_warnings(const ck_diags *d)
{
	return d->warnings;
}

static int
cmp(const void *pa, const void *pb)
{
	const struct diag *a = *(const struct diag *const *)pa;
	const struct diag *b = *(const struct diag *const *)pb;
	int c = strcmp(a->path, b->path);

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void
ck_diags_print(const ck_diags *d, FILE *f)
{
	const struct diag **sorted;
	const struct diag *x;
	size_t i;

	if (d->len == 0)
		return;
	sorted = malloc(d->len * sizeof(*sorted));
	if (sorted == NULL)
		err(3, "malloc");
	for (i = 0; i < d->len; i++)
		sorted[i] = &d->v[i];
	qsort(sorted, d->len, sizeof(*sorted), cmp);
	for (i = 0; i < d->len; i++) {
		x = sorted[i];
		fprintf(f, "%s:%u:%u: %s: %s\n", x->path,
			x->line ? x->line : 1, x->line && x->col ? x->col : 1,
			x->sev == CK_ERROR     ? "error"
			: x->sev == CK_WARNING ? "warning"
					       : "note",
			x->msg);
	}
	free(sorted);
}
