/*
 * Fuzz target: the template parser and renderer. The input is split at NUL
 * bytes: the first part is the template, the next ones are partials named
 * "a", "b", "c"...; a last part that starts with '{' or '[' and parses as
 * JSON is the data instead (otherwise fixed data is used).
 *
 * Checked: a template is added exactly when it gets no diagnostic, and a
 * failed one gets exactly one, at a position inside its text; rendering
 * is deterministic, and a failed render leaves the output untouched.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "json.h"
#include "mustache.h"
#include "value.h"

#define MAX_PARTS 6

static const char fixed_data[] =
    "{\"a\": \"x<&\\\"'\", \"b\": true, \"c\": [1, 2.5, \"s\\nt\", "
    "{\"a\": \"in\", \"c\": []}], \"d\": {\"a\": {\"b\": \"deep\"}}, "
    "\"e\": false, \"f\": null, \"g\": [], \"h\": 0, \"i\": \"\", "
    "\"list\": [{\"a\": 1}, {\"a\": 2, \"b\": false}], "
    "\"name\": \"Đối thoại\\n  với dân\"}";

/* Adds a template and checks the diagnostics agree with the result. */
static int
add(ck_tmpl_set *s, const char *name, const char *src, size_t len)
{
	ck_diags *d = ck_diags_new();
	char *text = NULL;
	size_t tsize = 0, i;
	unsigned line, col, lines = 1;
	FILE *f;
	int rc;

	rc = ck_tmpl_add(s, name, src, len, "f.mustache", d);
	if ((rc == 0) != (ck_diags_errors(d) == 0) || ck_diags_errors(d) > 1 ||
	    ck_diags_warnings(d) != 0)
		abort();
	if (rc < 0) {
		for (i = 0; i < len; i++)
			lines += src[i] == '\n';
		f = open_memstream(&text, &tsize);
		if (f == NULL)
			abort();
		ck_diags_print(d, f);
		fclose(f);
		if (sscanf(text, "f.mustache:%u:%u: error: ", &line, &col) !=
		        2 ||
		    line < 1 || line > lines || col < 1 || col > len + 1)
			abort();
		free(text);
	}
	ck_diags_free(d);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *part[MAX_PARTS], *nul;
	size_t len[MAX_PARTS], n = 0, i, rest = size;
	ck_arena *a = ck_arena_new();
	ck_tmpl_set *s = ck_tmpl_set_new();
	ck_buf out1 = CK_BUF_INIT, out2 = CK_BUF_INIT;
	ck_value *ctx = NULL;
	char name[2] = "a";
	int ok, rc1, rc2;

	while (n < MAX_PARTS) {
		part[n] = text;
		nul = n + 1 < MAX_PARTS ? memchr(text, '\0', rest) : NULL;
		len[n] = nul ? (size_t)(nul - text) : rest;
		n++;
		if (nul == NULL)
			break;
		rest -= len[n - 1] + 1;
		text = nul + 1;
	}
	if (n > 1 && len[n - 1] > 0 &&
	    (part[n - 1][0] == '{' || part[n - 1][0] == '[') &&
	    ck_json_parse(&ctx, a, part[n - 1], len[n - 1], NULL) == 0)
		n--;
	if (ctx == NULL && ck_json_parse(&ctx, a, fixed_data,
	                                 sizeof(fixed_data) - 1, NULL) < 0)
		abort();
	for (i = 1; i < n; i++) {
		name[0] = (char)('a' + i - 1);
		add(s, name, part[i], len[i]);
	}
	ok = add(s, "t", part[0], len[0]) == 0;

	ck_buf_puts(&out1, "keep");
	ck_buf_puts(&out2, "keep");
	rc1 = ck_tmpl_render(&out1, s, "t", ctx);
	rc2 = ck_tmpl_render(&out2, s, "t", ctx);
	if (rc1 != rc2 || !ck_buf_equal(&out1, &out2) || (!ok && rc1 == 0) ||
	    (rc1 < 0 && strcmp(out1.ptr, "keep") != 0) ||
	    strncmp(out1.ptr, "keep", 4) != 0)
		abort();

	ck_buf_free(&out1);
	ck_buf_free(&out2);
	ck_tmpl_set_free(s);
	ck_arena_free(a);
	return 0;
}
