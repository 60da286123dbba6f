#include "diag.h"

#include <err.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"

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

void
ck_diags_move(ck_diags *into, ck_diags *from)
{
	size_t i;

	if (from->len == 0)
		return;
	if (into->len + from->len > into->cap) {
		into->cap = into->len + from->len;
		into->v = realloc(into->v, into->cap * sizeof(*into->v));
		if (into->v == NULL)
			err(3, "realloc");
	}
	for (i = 0; i < from->len; i++) {
		into->v[into->len] = from->v[i];
		into->v[into->len].seq = into->len;
		into->len++;
	}
	into->errors += from->errors;
	into->warnings += from->warnings;
	from->len = from->errors = from->warnings = 0;
}

size_t
ck_diags_count(const ck_diags *d)
{
	return d->len;
}

void
ck_diags_get(const ck_diags *d, size_t i, ck_severity *sev, const char **path,
             unsigned *line, unsigned *col, const char **msg)
{
	*sev = d->v[i].sev;
	*path = d->v[i].path;
	*line = d->v[i].line;
	*col = d->v[i].col;
	*msg = d->v[i].msg;
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

static const char *
sev_name(ck_severity sev)
{
	return sev == CK_ERROR     ? "error"
	       : sev == CK_WARNING ? "warning"
	                           : "note";
}

/*
 * A value of a GitHub Actions workflow command, escaped as the Actions
 * toolkit does (escapeData, escapeProperty): '%', CR and LF always, and in
 * a property (file=...) also ':' and ',', which would end it.
 */
static void
put_actions(ck_buf *b, const char *s, bool property)
{
	for (; *s; s++) {
		if (*s == '%')
			ck_buf_puts(b, "%25");
		else if (*s == '\r')
			ck_buf_puts(b, "%0D");
		else if (*s == '\n')
			ck_buf_puts(b, "%0A");
		else if (property && *s == ':')
			ck_buf_puts(b, "%3A");
		else if (property && *s == ',')
			ck_buf_puts(b, "%2C");
		else
			ck_buf_putc(b, *s);
	}
}

static void
put_one(ck_buf *b, const struct diag *x, ck_diag_format fmt)
{
	unsigned line = x->line ? x->line : 1;
	unsigned col = x->line && x->col ? x->col : 1;

	switch (fmt) {
	case CK_DIAG_GITHUB:
		/* Actions has no "note": a notice is the nearest. */
		ck_buf_printf(b, "::%s file=",
		              x->sev == CK_NOTE ? "notice" : sev_name(x->sev));
		put_actions(b, x->path, true);
		ck_buf_printf(b, ",line=%u,col=%u::", line, col);
		put_actions(b, x->msg, false);
		break;
	case CK_DIAG_JSON:
		ck_buf_puts(b, "{\"file\":");
		ck_json_put_string(b, x->path, strlen(x->path));
		ck_buf_printf(b,
		              ",\"line\":%u,\"col\":%u,\"severity\":\"%s\","
		              "\"message\":",
		              line, col, sev_name(x->sev));
		ck_json_put_string(b, x->msg, strlen(x->msg));
		ck_buf_putc(b, '}');
		break;
	default:
		ck_buf_printf(b, "%s:%u:%u: %s: %s", x->path, line, col,
		              sev_name(x->sev), x->msg);
		break;
	}
	ck_buf_putc(b, '\n');
}

int
ck_diag_format_parse(const char *name)
{
	if (strcmp(name, "text") == 0)
		return CK_DIAG_TEXT;
	if (strcmp(name, "github") == 0)
		return CK_DIAG_GITHUB;
	if (strcmp(name, "json") == 0)
		return CK_DIAG_JSON;
	return -1;
}

void
ck_diags_print(const ck_diags *d, FILE *f)
{
	ck_diags_print_format(d, f, CK_DIAG_TEXT);
}

void
ck_diags_print_format(const ck_diags *d, FILE *f, ck_diag_format fmt)
{
	const struct diag **sorted;
	ck_buf line = CK_BUF_INIT;
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
		ck_buf_clear(&line);
		put_one(&line, sorted[i], fmt);
		fwrite(line.ptr, 1, line.size, f);
	}
	ck_buf_free(&line);
	free(sorted);
}
