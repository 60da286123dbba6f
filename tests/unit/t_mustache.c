/*
 * The template engine: every test of the official Mustache spec modules we
 * implement (read with our JSON reader), then our own cases: diagnostics,
 * escaping, numbers, the base-layout inheritance the theme uses, partial
 * indentation, deep nesting and runaway recursion, loading a folder.
 */
#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "harness.h"
#include "json.h"
#include "mustache.h"
#include "value.h"

static const char *spec_files[] = {
    "interpolation.json", "sections.json", "inverted.json",
    "comments.json",      "partials.json", "delimiters.json",
    "~inheritance.json",
};

static int
slurp(ck_buf *b, const char *path)
{
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ck_buf_put(b, chunk, n);
	fclose(f);
	return 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		err(1, "%s", path);
	fputs(text, f);
	fclose(f);
}

/* The diagnostics as ck_diags_print writes them. */
static char *
diags_text(ck_diags *d)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (f == NULL)
		err(1, "open_memstream");
	ck_diags_print(d, f);
	fclose(f);
	return text;
}

static void
run_spec_test(const char *file, const ck_value *t)
{
	const char *name = ck_value_get_str(ck_value_get(t, "name"), NULL);
	const ck_value *tpl = ck_value_get(t, "template");
	const ck_value *partials = ck_value_get(t, "partials");
	const char *want = ck_value_get_str(ck_value_get(t, "expected"), NULL);
	ck_tmpl_set *s = ck_tmpl_set_new();
	ck_diags *d = ck_diags_new();
	ck_buf out = CK_BUF_INIT;
	size_t i, len;
	const char *src;
	int ok = 1;

	for (i = 0; i < ck_value_len(partials); i++) {
		src = ck_value_get_str(ck_value_val_at(partials, i), &len);
		if (ck_tmpl_add(s, ck_value_key_at(partials, i), src, len,
		                ck_value_key_at(partials, i), d) < 0)
			ok = 0;
	}
	src = ck_value_get_str(tpl, &len);
	if (ck_tmpl_add(s, "(template)", src, len, "(template)", d) < 0 ||
	    ck_tmpl_render(&out, s, "(template)", ck_value_get(t, "data")) < 0)
		ok = 0;
	if (!ok || strcmp(out.ptr, want) != 0) {
		char *diags = diags_text(d);

		fprintf(stderr,
		        "spec %s: \"%s\" failed\n  template: \"%s\"\n"
		        "  got:  \"%s\"\n  want: \"%s\"\n%s",
		        file, name, src, out.ptr, want, diags);
		free(diags);
		ok = 0;
	}
	CHECK(ok);
	ck_buf_free(&out);
	ck_diags_free(d);
	ck_tmpl_set_free(s);
}

static void
test_spec(void)
{
	const char *shared = getenv("CONGKHAI_SHARED");
	ck_buf dir = CK_BUF_INIT, path = CK_BUF_INIT, text = CK_BUF_INIT,
	       err = CK_BUF_INIT;
	struct stat st;
	size_t f, i, n;

	if (shared != NULL && *shared)
		ck_buf_printf(&dir, "%s/mustache-spec", shared);
	else
		ck_buf_puts(&dir, "../shared/mustache-spec");
	if (stat(dir.ptr, &st) < 0 || !S_ISDIR(st.st_mode)) {
		printf("note: no Mustache spec at %s; "
		       "testing our own cases only\n",
		       dir.ptr);
		ck_buf_free(&dir);
		return;
	}
	for (f = 0; f < sizeof(spec_files) / sizeof(*spec_files); f++) {
		ck_arena *a = ck_arena_new();
		ck_value *root = NULL, *tests;

		ck_buf_clear(&path);
		ck_buf_printf(&path, "%s/%s", dir.ptr, spec_files[f]);
		ck_buf_clear(&text);
		ck_buf_clear(&err);
		if (slurp(&text, path.ptr) < 0 ||
		    ck_json_parse(&root, a, text.ptr, text.size, &err) < 0) {
			fprintf(stderr, "%s: cannot read: %s\n", path.ptr,
			        err.ptr);
			CHECK(0);
			ck_arena_free(a);
			continue;
		}
		tests = ck_value_get(root, "tests");
		n = ck_value_len(tests);
		CHECK(n > 0);
		for (i = 0; i < n; i++)
			run_spec_test(spec_files[f], ck_value_at(tests, i));
		ck_arena_free(a);
	}
	ck_buf_free(&dir);
	ck_buf_free(&path);
	ck_buf_free(&text);
	ck_buf_free(&err);
}

/* ---- our own cases ---- */

static ck_arena *A;

/* A value from JSON text (the tests' data). */
static ck_value *
J(const char *json)
{
	ck_value *v = NULL;
	ck_buf e = CK_BUF_INIT;

	if (ck_json_parse(&v, A, json, strlen(json), &e) < 0)
		errx(1, "bad test JSON: %s: %s", e.ptr, json);
	ck_buf_free(&e);
	return v;
}

/*
 * Renders src (with partials given as name, source pairs, NULL-ended)
 * against data; returns a static copy of the output, or "<error>".
 */
static const char *
render(const char *src, const char *data, ...)
{
	static char result[65536];
	ck_tmpl_set *s = ck_tmpl_set_new();
	ck_buf out = CK_BUF_INIT;
	const char *pname, *psrc;
	va_list ap;

	va_start(ap, data);
	while ((pname = va_arg(ap, const char *)) != NULL) {
		psrc = va_arg(ap, const char *);
		if (ck_tmpl_add(s, pname, psrc, strlen(psrc), pname, NULL) < 0)
			errx(1, "partial %s does not parse", pname);
	}
	va_end(ap);
	if (ck_tmpl_add(s, "t", src, strlen(src), "t", NULL) < 0 ||
	    ck_tmpl_render(&out, s, "t", J(data)) < 0)
		snprintf(result, sizeof(result), "<error>");
	else
		snprintf(result, sizeof(result), "%s", out.ptr);
	ck_buf_free(&out);
	ck_tmpl_set_free(s);
	return result;
}

/* Adds src as t.mustache to a new set; returns the diagnostics printed. */
static char *
parse_errors(const char *src, int *rc)
{
	ck_tmpl_set *s = ck_tmpl_set_new();
	ck_diags *d = ck_diags_new();
	char *text;

	*rc = ck_tmpl_add(s, "t", src, strlen(src), "t.mustache", d);
	text = diags_text(d);
	ck_diags_free(d);
	ck_tmpl_set_free(s);
	return text;
}

static void
check_error(const char *src, const char *want)
{
	int rc;
	char *got = parse_errors(src, &rc);

	CHECK_INT(rc, -1);
	CHECK_STR(got, want);
	free(got);
}

static void
test_errors(void)
{
	int rc;
	char *got;

	check_error("a\n  {{x", "t.mustache:2:3: error: unclosed tag\n");
	check_error("{{{x}}", "t.mustache:1:1: error: unclosed tag\n");
	check_error("<p>\n{{#items}}\n<li>\n",
	            "t.mustache:2:1: error: unclosed section 'items'\n");
	check_error("{{#a}}\n  {{#b}}\n  {{/a}}\n{{/b}}",
	            "t.mustache:3:3: error: unexpected end of section 'a' "
	            "(expected 'b')\n");
	check_error("x\n{{/b}}",
	            "t.mustache:2:1: error: unexpected end of section 'b'\n");
	check_error("{{=<% %>=}}\n<%#a%>\n<%/b%>",
	            "t.mustache:3:1: error: unexpected end of section 'b' "
	            "(expected 'a')\n");
	check_error("ab {{=<%=}}",
	            "t.mustache:1:4: error: bad delimiter: want two "
	            "delimiters, as in {{=<% %>=}}\n");
	check_error("{{= a b c =}}",
	            "t.mustache:1:1: error: bad delimiter: want two "
	            "delimiters, as in {{=<% %>=}}\n");
	check_error("x {{}}", "t.mustache:1:3: error: empty tag\n");
	check_error("{{#  }}{{/  }}", "t.mustache:1:1: error: empty tag\n");
	check_error("{{first name}}",
	            "t.mustache:1:1: error: bad tag name 'first name'\n");
	check_error("{{a..b}}", "t.mustache:1:1: error: bad name 'a..b'\n");
	check_error("{{<base}}{{$main}}x{{/base}}",
	            "t.mustache:1:20: error: unexpected end of section "
	            "'base' (expected 'main')\n");
	check_error("{{<base}}\n{{$main}}x",
	            "t.mustache:2:1: error: unclosed block 'main'\n");
	check_error("{{<base}}", "t.mustache:1:1: error: unclosed parent "
	                         "'base'\n");
	/* Columns count characters: "Xin chào " is 9 of them, 10 bytes. */
	check_error("Xin chào {{#a}}",
	            "t.mustache:1:10: error: unclosed section 'a'\n");

	/* Too deep: the limit is reported, not a crash. */
	{
		ck_buf src = CK_BUF_INIT;
		int i;

		for (i = 0; i < 101; i++)
			ck_buf_puts(&src, "{{#a}}");
		got = parse_errors(src.ptr, &rc);
		CHECK_INT(rc, -1);
		CHECK(strstr(got, "nested deeper than 100 levels") != NULL);
		free(got);
		ck_buf_free(&src);
	}

	/* A good template parses without diagnostics. */
	got = parse_errors("{{#a}}{{b}}{{/a}}", &rc);
	CHECK_INT(rc, 0);
	CHECK_STR(got, "");
	free(got);

	/* A broken replacement leaves the working template in place. */
	{
		ck_tmpl_set *s = ck_tmpl_set_new();
		ck_diags *d = ck_diags_new();
		ck_buf out = CK_BUF_INIT;

		CHECK_INT(ck_tmpl_add(s, "p", "ok", 2, "p", d), 0);
		CHECK_INT(ck_tmpl_add(s, "p", "{{#x}}", 6, "p", d), -1);
		CHECK_INT(ck_diags_errors(d), 1);
		CHECK_INT(ck_tmpl_render(&out, s, "p", NULL), 0);
		CHECK_STR(out.ptr, "ok");
		CHECK_INT(ck_tmpl_add(s, "p", "new", 3, "p", d), 0);
		ck_buf_clear(&out);
		CHECK_INT(ck_tmpl_render(&out, s, "p", NULL), 0);
		CHECK_STR(out.ptr, "new");
		CHECK_INT(ck_tmpl_render(&out, s, "nope", NULL), -1);
		CHECK_STR(out.ptr, "new");
		ck_buf_free(&out);
		ck_diags_free(d);
		ck_tmpl_set_free(s);
	}
}

static void
test_values(void)
{
	CHECK_STR(
	    render("{{x}}", "{\"x\": \"<a href=\\\"/\\\">Tom & Jerry's</a>\"}",
	           NULL),
	    "&lt;a href=&quot;/&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
	CHECK_STR(render("{{{x}}}|{{&x}}", "{\"x\": \"<b>&</b>\"}", NULL),
	          "<b>&</b>|<b>&</b>");
	CHECK_STR(render("{{x}}", "{\"x\": \"Đối thoại với Nhân dân\"}", NULL),
	          "Đối thoại với Nhân dân");
	CHECK_STR(render("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}}",
	                 "{\"a\": 42, \"b\": -7, \"c\": 1.21, "
	                 "\"d\": 0.30000000000000004, \"e\": 1e21, "
	                 "\"f\": 2.5e-7}",
	                 NULL),
	          "42 -7 1.21 0.30000000000000004 1e+21 2.5e-7");
	/* Integers to the ends of their range. */
	{
		static const long long n[] = {0, 9, 10, -1, -10,
		                              LLONG_MAX, LLONG_MIN};
		ck_arena *a = ck_arena_new();
		ck_tmpl_set *s = ck_tmpl_set_new();
		ck_diags *d = ck_diags_new();
		ck_value *list = ck_value_list(a), *root = ck_value_map(a);
		ck_buf out = CK_BUF_INIT;
		size_t i;

		for (i = 0; i < sizeof(n) / sizeof(*n); i++)
			ck_value_push(list, ck_value_int(a, n[i]));
		ck_value_set(root, "n", list);
		CHECK_INT(ck_tmpl_add(s, "t", "{{#n}}{{.}},{{/n}}",
		                      strlen("{{#n}}{{.}},{{/n}}"), "t", d),
		          0);
		CHECK_INT(ck_tmpl_render(&out, s, "t", root), 0);
		CHECK_STR(out.ptr, "0,9,10,-1,-10,9223372036854775807,"
		                   "-9223372036854775808,");
		ck_buf_free(&out);
		ck_diags_free(d);
		ck_tmpl_set_free(s);
		ck_arena_free(a);
	}
	CHECK_STR(render("{{t}} {{f}} [{{n}}] [{{l}}] [{{m}}] [{{missing}}]",
	                 "{\"t\": true, \"f\": false, \"n\": null, "
	                 "\"l\": [1], \"m\": {\"a\": 1}}",
	                 NULL),
	          "true false [] [] [] []");
	/* Truthiness: null, false, "" and [] are falsey; 0 and {} are not. */
	CHECK_STR(render("{{#a}}A{{/a}}{{#b}}B{{/b}}{{#c}}C{{/c}}{{#d}}D{{/d}}"
	                 "{{#e}}E{{/e}}{{#f}}F{{/f}}{{#g}}G{{/g}}",
	                 "{\"a\": null, \"b\": false, \"c\": \"\", \"d\": [], "
	                 "\"e\": 0, \"f\": {}, \"g\": \"x\"}",
	                 NULL),
	          "EFG");
	CHECK_STR(render("{{^a}}A{{/a}}{{^c}}C{{/c}}{{^d}}D{{/d}}{{^e}}E{{/e}}",
	                 "{\"a\": null, \"c\": \"\", \"d\": [], \"e\": 0}",
	                 NULL),
	          "ACD");
	/* A section over a string pushes it: {{.}} is the string. */
	CHECK_STR(render("{{#s}}({{.}}){{/s}}", "{\"s\": \"x<\"}", NULL),
	          "(x&lt;)");
	/* The context stack: inner names shadow outer ones, misses fall
	 * through. */
	CHECK_STR(
	    render("{{#q}}{{id}}:{{site}}:{{topic.name}} {{/q}}",
	           "{\"site\": \"S\", \"id\": \"root\", \"q\": [{\"id\": 1, "
	           "\"topic\": {\"name\": \"Đất đai\"}}, {\"id\": 2}]}",
	           NULL),
	    "1:S:Đất đai 2:S: ");
}

/* The way the default theme uses inheritance. */
static void
test_layout(void)
{
	static const char base[] =
	    "<!doctype html>\n"
	    "<html lang=\"vi\">\n"
	    "<head>\n"
	    "  <title>{{$title}}Cổng thông tin{{/title}}</title>\n"
	    "</head>\n"
	    "<body>\n"
	    "  {{>header}}\n"
	    "  <main>\n"
	    "    {{$main}}\n"
	    "    <p>Trống</p>\n"
	    "    {{/main}}\n"
	    "  </main>\n"
	    "</body>\n"
	    "</html>\n";
	static const char header[] =
	    "<header>\n"
	    "  <a href=\"{{root}}index.html\">{{site}}</a>\n"
	    "</header>\n";
	static const char page[] = "{{<base}}\n"
	                           "{{$title}}{{name}} - {{site}}{{/title}}\n"
	                           "{{$main}}\n"
	                           "<h1>{{name}}</h1>\n"
	                           "<ul>\n"
	                           "  {{#questions}}\n"
	                           "  <li>{{text}}</li>\n"
	                           "  {{/questions}}\n"
	                           "</ul>\n"
	                           "{{/main}}\n"
	                           "{{/base}}\n";
	static const char data[] =
	    "{\"site\": \"Xã A\", \"root\": \"../\", \"name\": \"Đối thoại\", "
	    "\"questions\": [{\"text\": \"Đường <liên> thôn\"}, "
	    "{\"text\": \"Nước sạch\"}]}";

	CHECK_STR(render(page, data, "base", base, "header", header, NULL),
	          "<!doctype html>\n"
	          "<html lang=\"vi\">\n"
	          "<head>\n"
	          "  <title>Đối thoại - Xã A</title>\n"
	          "</head>\n"
	          "<body>\n"
	          "  <header>\n"
	          "    <a href=\"../index.html\">Xã A</a>\n"
	          "  </header>\n"
	          "  <main>\n"
	          "    <h1>Đối thoại</h1>\n"
	          "    <ul>\n"
	          "      <li>Đường &lt;liên&gt; thôn</li>\n"
	          "      <li>Nước sạch</li>\n"
	          "    </ul>\n"
	          "  </main>\n"
	          "</body>\n"
	          "</html>\n");
	/* The base alone shows its defaults. */
	CHECK_STR(render("{{<base}}{{/base}}", data, "base", base, "header",
	                 header, NULL),
	          "<!doctype html>\n"
	          "<html lang=\"vi\">\n"
	          "<head>\n"
	          "  <title>Cổng thông tin</title>\n"
	          "</head>\n"
	          "<body>\n"
	          "  <header>\n"
	          "    <a href=\"../index.html\">Xã A</a>\n"
	          "  </header>\n"
	          "  <main>\n"
	          "    <p>Trống</p>\n"
	          "  </main>\n"
	          "</body>\n"
	          "</html>\n");
	/* A middle layout: the page's block wins over the middle's. */
	CHECK_STR(render("{{<list}}{{$title}}Page{{/title}}{{/list}}", "{}",
	                 "list",
	                 "{{<base}}{{$title}}List{{/title}}"
	                 "{{$main}}items{{/main}}{{/base}}",
	                 "base",
	                 "[{{$title}}Base{{/title}}|{{$main}}{{/main}}]", NULL),
	          "[Page|items]");
	/* A block's content is rendered in the context of its use. */
	CHECK_STR(render("{{<base}}{{$row}}<{{name}}>{{/row}}{{/base}}",
	                 "{\"items\": [{\"name\": \"a\"}, {\"name\": \"b&\"}]}",
	                 "base", "{{#items}}{{$row}}-{{/row}}{{/items}}", NULL),
	          "<a><b&amp;>");
}

static void
test_indentation(void)
{
	/* Standalone partials indent each line of the partial's source. */
	CHECK_STR(render("<ul>\n  {{>item}}\n</ul>\n", "{\"x\": \"a\\nb\"}",
	                 "item", "<li>\n  {{x}}\n</li>\n", NULL),
	          "<ul>\n  <li>\n    a\nb\n  </li>\n</ul>\n");
	/* Nested standalone partials add up; empty lines stay empty. */
	CHECK_STR(render("{{>a}}", "{}", "a", "A\n  {{>b}}\n", "b",
	                 "B\n\n  {{>c}}\n", "c", "C\n", NULL),
	          "A\n  B\n\n    C\n");
	/* An inline partial is not indented, nor is what it includes. */
	CHECK_STR(render("  x {{>a}}\n", "{}", "a", "1\n{{>b}}\n", "b",
	                 "  2\n3", NULL),
	          "  x 1\n  2\n3\n");
	/* Sections inside an indented partial keep the indentation. */
	CHECK_STR(render("  {{>a}}", "{\"l\": [1, 2]}", "a",
	                 "{{#l}}\n<i>{{.}}</i>\n{{/l}}\n", NULL),
	          "  <i>1</i>\n  <i>2</i>\n");
	/* A comment or an empty variable at a line start: the line is kept. */
	CHECK_STR(render("  {{>a}}", "{}", "a", "{{! c }}x\n{{y}}\nz", NULL),
	          "  x\n  \n  z");
}

static void
test_nesting(void)
{
	ck_buf src = CK_BUF_INIT, data = CK_BUF_INIT, want = CK_BUF_INIT;
	int i;

	/* 90 nested sections, each over a map of the next level. */
	for (i = 0; i < 90; i++) {
		ck_buf_printf(&src, "{{#n}}%d", i % 10);
		ck_buf_puts(&data, "{\"n\": ");
		ck_buf_printf(&want, "%d", i % 10);
	}
	ck_buf_puts(&src, "[{{v}}]");
	ck_buf_puts(&want, "[deep]");
	ck_buf_puts(&data, "{\"v\": \"deep\"}");
	for (i = 0; i < 90; i++) {
		ck_buf_puts(&src, "{{/n}}");
		ck_buf_putc(&data, '}');
	}
	CHECK_STR(render(src.ptr, data.ptr, NULL), want.ptr);

	/* A recursive partial over a tree 150 levels deep. */
	ck_buf_clear(&data);
	ck_buf_clear(&want);
	for (i = 0; i < 150; i++)
		ck_buf_puts(&data, "{\"k\": [");
	for (i = 0; i < 150; i++)
		ck_buf_puts(&data, "]}");
	/* The innermost level has no children: 149 pairs. */
	for (i = 0; i < 149; i++)
		ck_buf_putc(&want, '(');
	for (i = 0; i < 149; i++)
		ck_buf_putc(&want, ')');
	CHECK_STR(render("{{>node}}", data.ptr, "node",
	                 "{{#k}}({{>node}}){{/k}}", NULL),
	          want.ptr);

	/* Endless recursion stops with an error and leaves out unchanged. */
	{
		ck_tmpl_set *s = ck_tmpl_set_new();
		ck_buf out = CK_BUF_INIT;

		ck_buf_puts(&out, "before");
		CHECK_INT(
		    ck_tmpl_add(s, "loop", "x{{>loop}}", 10, "loop", NULL), 0);
		CHECK_INT(ck_tmpl_render(&out, s, "loop", NULL), -1);
		CHECK_STR(out.ptr, "before");
		CHECK_INT(ck_tmpl_add(s, "p", "{{<p}}{{/p}}", 12, "p", NULL),
		          0);
		CHECK_INT(ck_tmpl_render(&out, s, "p", NULL), -1);
		CHECK_STR(out.ptr, "before");
		ck_buf_free(&out);
		ck_tmpl_set_free(s);
	}
	ck_buf_free(&src);
	ck_buf_free(&data);
	ck_buf_free(&want);
}

/* A template compiled once renders many times, and fast. */
/*
 * Names found in maps big enough to be hashed (the model's maps hold 20-60
 * keys): at the top, through dots, down the context stack from a list's
 * items, and names that are missing or only differ in a letter.
 */
static void
test_big_maps(void)
{
	ck_buf data = CK_BUF_INIT;
	int i, j;

	ck_buf_puts(&data, "{");
	for (i = 0; i < 60; i++)
		ck_buf_printf(&data, "\"k%d\": \"top%d\", ", i, i);
	ck_buf_puts(&data, "\"inner\": {");
	for (i = 0; i < 40; i++)
		ck_buf_printf(&data, "%s\"k%d\": \"in%d\"", i ? ", " : "", i,
		              i);
	ck_buf_puts(&data, "}, \"items\": [");
	for (j = 0; j < 3; j++) {
		ck_buf_printf(&data, "%s{", j ? ", " : "");
		for (i = 0; i < 20; i++)
			ck_buf_printf(&data, "%s\"i%d\": %d", i ? ", " : "", i,
			              j * 100 + i);
		ck_buf_puts(&data, ", \"k7\": \"own\"}");
	}
	ck_buf_puts(&data, "]}");
	CHECK_STR(render("{{k0}} {{k59}} {{inner.k39}} {{inner.k0}}"
	                 "{{#items}} {{i19}}/{{i0}}/{{k7}}/{{k30}}{{/items}}"
	                 "[{{k60}}{{K1}}{{inner.k40}}{{inner.k1.x}}{{i0}}]"
	                 "{{#inner}}{{k5}}{{k50}}{{/inner}}",
	                 data.ptr, NULL),
	          "top0 top59 in39 in0 19/0/own/top30 119/100/own/top30 "
	          "219/200/own/top30[]in5top50");
	ck_buf_free(&data);
}

static void
test_many(void)
{
	ck_tmpl_set *s = ck_tmpl_set_new();
	ck_value *root = ck_value_map(A), *list = ck_value_list(A), *item;
	ck_buf out = CK_BUF_INIT;
	const char *src = "{{#items}}<li><a href=\"{{url}}\">{{title}}</a>"
	                  "{{#open}} (mở){{/open}}</li>\n{{/items}}";
	int i, ok = 1;

	for (i = 0; i < 100000; i++) {
		item = ck_value_map(A);
		ck_value_set_str(item, "url", "doi-thoai/x/001/");
		ck_value_set_str(item, "title", "Câu hỏi");
		ck_value_set_bool(item, "open", i % 2);
		ck_value_push(list, item);
	}
	ck_value_set(root, "items", list);
	CHECK_INT(ck_tmpl_add(s, "list", src, strlen(src), "list", NULL), 0);
	for (i = 0; i < 3; i++) {
		ck_buf_clear(&out);
		ok &= ck_tmpl_render(&out, s, "list", root) == 0;
	}
	CHECK(ok);
	CHECK_INT(out.size, 50000 * (sizeof("<li><a href=\"doi-thoai/x/001/\">"
	                                    "Câu hỏi</a></li>\n") -
	                             1) +
	                        50000 * (sizeof("<li><a href=\"doi-thoai/x/"
	                                        "001/\">Câu hỏi</a> (mở)"
	                                        "</li>\n") -
	                                 1));
	ck_buf_free(&out);
	ck_tmpl_set_free(s);
}

static void
test_load_dir(void)
{
	char dir[] = "/tmp/t_mustache.XXXXXX", path[512];
	ck_tmpl_set *s = ck_tmpl_set_new();
	ck_diags *d = ck_diags_new();
	ck_buf out = CK_BUF_INIT;
	char *diags;

	if (mkdtemp(dir) == NULL)
		err(1, "mkdtemp");
	snprintf(path, sizeof(path), "%s/partials", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/page.mustache", dir);
	write_file(path, "[{{>partials/header}}]");
	snprintf(path, sizeof(path), "%s/partials/header.mustache", dir);
	write_file(path, "<h>{{site}}</h>");
	snprintf(path, sizeof(path), "%s/partials/bad.mustache", dir);
	write_file(path, "ok\n{{#x}}");
	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	write_file(path, "not a template");
	snprintf(path, sizeof(path), "%s/.hidden.mustache", dir);
	write_file(path, "hidden");

	CHECK_INT(ck_tmpl_load_dir(s, dir, d), -1);
	CHECK_INT(ck_tmpl_render(&out, s, "page", J("{\"site\": \"X\"}")), 0);
	CHECK_STR(out.ptr, "[<h>X</h>]");
	CHECK_INT(ck_tmpl_render(&out, s, "notes", NULL), -1);
	CHECK_INT(ck_tmpl_render(&out, s, ".hidden", NULL), -1);
	CHECK_INT(ck_tmpl_render(&out, s, "partials/bad", NULL), -1);
	diags = diags_text(d);
	snprintf(path, sizeof(path),
	         "%s/partials/bad.mustache:2:1: error: unclosed section 'x'\n",
	         dir);
	CHECK_STR(diags, path);
	free(diags);

	/* Without the broken one, loading succeeds. */
	snprintf(path, sizeof(path), "%s/partials/bad.mustache", dir);
	unlink(path);
	ck_tmpl_set_free(s);
	s = ck_tmpl_set_new();
	CHECK_INT(ck_tmpl_load_dir(s, dir, d), 0);
	ck_buf_clear(&out);
	CHECK_INT(ck_tmpl_render(&out, s, "partials/header", J("{}")), 0);
	CHECK_STR(out.ptr, "<h></h>");

	unlink(path);
	snprintf(path, sizeof(path), "%s/partials/header.mustache", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/partials", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/page.mustache", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/.hidden.mustache", dir);
	unlink(path);
	rmdir(dir);

	/* A missing folder fails (with a warning), nothing is loaded. */
	CHECK_INT(ck_tmpl_load_dir(s, "/nonexistent/theme", d), -1);

	ck_buf_free(&out);
	ck_diags_free(d);
	ck_tmpl_set_free(s);
}

int
main(void)
{
	A = ck_arena_new();
	test_spec();
	test_errors();
	test_values();
	test_layout();
	test_indentation();
	test_nesting();
	test_many();
	test_big_maps();
	test_load_dir();
	ck_arena_free(A);
	return ck_t_done("t_mustache");
}
