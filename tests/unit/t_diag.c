/*
 * The three forms of diagnostics: the compiler form, GitHub/Gitea Actions
 * workflow commands (escaped as the Actions toolkit's escapeData and
 * escapeProperty), and one JSON object a line; all in the same order.
 */
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "harness.h"

/* What ck_diags_print_format writes, as a malloc'd string. */
static char *
printed(const ck_diags *d, ck_diag_format fmt)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	ck_diags_print_format(d, f, fmt);
	fclose(f);
	return s;
}

static void
test_formats(void)
{
	ck_diags *d = ck_diags_new();
	char *s;

	ck_diag(d, CK_WARNING, "b.md", 0, 0, "whole file");
	ck_diag(d, CK_NOTE, "a,b:c%.md", 3, 7, "50%% done\r\nnext: \"x\"");
	ck_diag(d, CK_ERROR, "a,b:c%.md", 2, 1, "tab\there");

	s = printed(d, CK_DIAG_TEXT);
	CHECK_STR(s, "a,b:c%.md:2:1: error: tab\there\n"
	             "a,b:c%.md:3:7: note: 50% done\r\nnext: \"x\"\n"
	             "b.md:1:1: warning: whole file\n");
	free(s);

	s = printed(d, CK_DIAG_GITHUB);
	CHECK_STR(s, "::error file=a%2Cb%3Ac%25.md,line=2,col=1::tab\there\n"
	             "::notice file=a%2Cb%3Ac%25.md,line=3,col=7::50%25 "
	             "done%0D%0Anext: \"x\"\n"
	             "::warning file=b.md,line=1,col=1::whole file\n");
	free(s);

	s = printed(d, CK_DIAG_JSON);
	CHECK_STR(s, "{\"file\":\"a,b:c%.md\",\"line\":2,\"col\":1,"
	             "\"severity\":\"error\",\"message\":\"tab\\there\"}\n"
	             "{\"file\":\"a,b:c%.md\",\"line\":3,\"col\":7,"
	             "\"severity\":\"note\",\"message\":\"50% "
	             "done\\r\\nnext: \\\"x\\\"\"}\n"
	             "{\"file\":\"b.md\",\"line\":1,\"col\":1,"
	             "\"severity\":\"warning\",\"message\":\"whole file\"}\n");
	free(s);
	ck_diags_free(d);
}

/*
 * A worker's diagnostics moved into the run's: counted, printed as if
 * recorded there in that order (ties at one place keep it), and gone
 * from the worker's.
 */
static void
test_move(void)
{
	ck_diags *run = ck_diags_new(), *w1 = ck_diags_new(),
	         *w2 = ck_diags_new();
	char *s;

	ck_diag(run, CK_WARNING, "a.md", 1, 1, "first");
	ck_diag(w1, CK_ERROR, "a.md", 1, 1, "second");
	ck_diag(w1, CK_NOTE, "a.md", 1, 1, "third");
	ck_diag(w2, CK_ERROR, "a.md", 1, 1, "fourth");
	ck_diags_move(run, w1);
	ck_diags_move(run, w2);
	ck_diags_move(run, w2); /* empty now: nothing */
	CHECK_INT(ck_diags_errors(run), 2);
	CHECK_INT(ck_diags_warnings(run), 1);
	CHECK_INT(ck_diags_errors(w1), 0);
	CHECK_INT(ck_diags_errors(w2), 0);
	s = printed(run, CK_DIAG_TEXT);
	CHECK_STR(s, "a.md:1:1: warning: first\n"
	             "a.md:1:1: error: second\n"
	             "a.md:1:1: note: third\n"
	             "a.md:1:1: error: fourth\n");
	free(s);
	s = printed(w1, CK_DIAG_TEXT);
	CHECK_STR(s, "");
	free(s);
	/* A worker's diagnostics may still be recorded after a move. */
	ck_diag(w1, CK_WARNING, "b.md", 2, 3, "later");
	ck_diags_move(run, w1);
	CHECK_INT(ck_diags_warnings(run), 2);
	ck_diags_free(run);
	ck_diags_free(w1);
	ck_diags_free(w2);
}

/* What the record cache replays: each diagnostic as recorded, in order. */
static void
test_get(void)
{
	ck_diags *d = ck_diags_new();
	ck_severity sev;
	const char *path, *msg;
	unsigned line, col;

	CHECK_INT(ck_diags_count(d), 0);
	ck_diag(d, CK_WARNING, "q/002.md", 4, 9, "late by %d days", 3);
	ck_diag(d, CK_NOTE, "q/001.md", 0, 0, "public");
	CHECK_INT(ck_diags_count(d), 2);
	ck_diags_get(d, 0, &sev, &path, &line, &col, &msg);
	CHECK_INT(sev, CK_WARNING);
	CHECK_STR(path, "q/002.md");
	CHECK_INT(line, 4);
	CHECK_INT(col, 9);
	CHECK_STR(msg, "late by 3 days");
	ck_diags_get(d, 1, &sev, &path, &line, &col, &msg);
	CHECK_INT(sev, CK_NOTE);
	CHECK_STR(path, "q/001.md");
	CHECK_INT(line, 0);
	CHECK_STR(msg, "public");
	ck_diags_free(d);
}

static void
test_parse(void)
{
	CHECK_INT(ck_diag_format_parse("text"), CK_DIAG_TEXT);
	CHECK_INT(ck_diag_format_parse("github"), CK_DIAG_GITHUB);
	CHECK_INT(ck_diag_format_parse("json"), CK_DIAG_JSON);
	CHECK_INT(ck_diag_format_parse("JSON"), -1);
	CHECK_INT(ck_diag_format_parse(""), -1);
}

int
main(void)
{
	test_formats();
	test_move();
	test_get();
	test_parse();
	return ck_t_done("t_diag");
}
