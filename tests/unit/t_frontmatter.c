/* Front matter splitting and the YAML tree with file positions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "frontmatter.h"
#include "harness.h"

static ck_arena *arena;
static char diag_out[2048];

/* Parses `text` as if it started on file line `first`; keeps the diags. */
static ck_yaml_node *
parse(const char *text, unsigned first, int *rc)
{
	ck_diags *d = ck_diags_new();
	ck_yaml_node *root = (ck_yaml_node *)&root; /* must be overwritten */
	char *s = NULL;
	size_t n = 0;
	FILE *f;

	*rc = ck_yaml_parse(&root, arena, "f.md", text, strlen(text), first, d);
	f = open_memstream(&s, &n);
	if (f == NULL)
		abort();
	ck_diags_print(d, f);
	fclose(f);
	snprintf(diag_out, sizeof(diag_out), "%s", s);
	free(s);
	ck_diags_free(d);
	return root;
}

/* Parses text expected to fail; returns what was printed. */
static const char *
parse_err(const char *text, unsigned first)
{
	int rc;

	parse(text, first, &rc);
	CHECK_INT(rc, -1);
	return diag_out;
}

static ck_yaml_node *
parse_ok(const char *text, unsigned first)
{
	int rc;
	ck_yaml_node *root = parse(text, first, &rc);

	CHECK_INT(rc, 0);
	CHECK_STR(diag_out, "");
	return root;
}

static const ck_yaml_node *
path_get(const ck_yaml_node *n, const char *k1, const char *k2)
{
	n = ck_yaml_get(n, k1);
	return k2 ? ck_yaml_get(n, k2) : n;
}

#define CHECK_POS(node, l, c)                                                  \
	do {                                                                   \
		const ck_yaml_node *n_ = (node);                               \
		CHECK(n_ != NULL);                                             \
		if (n_ != NULL) {                                              \
			CHECK_INT(n_->line, l);                                \
			CHECK_INT(n_->col, c);                                 \
		}                                                              \
	} while (0)

static void
test_split(void)
{
	ck_frontmatter fm;
	const char *t;

	t = "---\ntitle: A\n---\nBody\n";
	CHECK_INT(ck_frontmatter_split(&fm, t, strlen(t)), 0);
	CHECK_INT(fm.yaml_len, strlen("title: A\n"));
	CHECK(strncmp(fm.yaml, "title: A\n", fm.yaml_len) == 0);
	CHECK_INT(fm.yaml_line, 2);
	CHECK_STR(fm.body, "Body\n");
	CHECK_INT(fm.body_len, 5);
	CHECK_INT(fm.body_line, 4);

	/* BOM, \r\n, trailing blanks on both delimiters, `...` closing. */
	t = "\xEF\xBB\xBF---  \r\na: 1\r\nb: 2\r\n... \t\r\n\r\nText";
	CHECK_INT(ck_frontmatter_split(&fm, t, strlen(t)), 0);
	CHECK_INT(fm.yaml_len, strlen("a: 1\r\nb: 2\r\n"));
	CHECK(strncmp(fm.yaml, "a: 1\r\n", 6) == 0);
	CHECK_INT(fm.yaml_line, 2);
	CHECK_STR(fm.body, "\r\nText");
	CHECK_INT(fm.body_line, 5);

	/* Empty front matter; closing line at the very end. */
	t = "---\n---\n# Heading\n";
	CHECK_INT(ck_frontmatter_split(&fm, t, strlen(t)), 0);
	CHECK_INT(fm.yaml_len, 0);
	CHECK_INT(fm.body_line, 3);
	CHECK_STR(fm.body, "# Heading\n");
	t = "---\nx: y\n---";
	CHECK_INT(ck_frontmatter_split(&fm, t, strlen(t)), 0);
	CHECK_INT(fm.yaml_len, 5);
	CHECK_INT(fm.body_len, 0);
	CHECK_INT(fm.body_line, 4);

	/* Lines that only look like delimiters are YAML. */
	t = "---\na: ----\n --- \n--- x\n-- -\n---\r\nb";
	CHECK_INT(ck_frontmatter_split(&fm, t, strlen(t)), 0);
	CHECK_INT(fm.yaml_len, strlen("a: ----\n --- \n--- x\n-- -\n"));
	CHECK_STR(fm.body, "b");
	CHECK_INT(fm.body_line, 7);

	/* No front matter. */
	CHECK_INT(ck_frontmatter_split(&fm, "", 0), -1);
	CHECK_INT(ck_frontmatter_split(&fm, "# Title\n", 8), -1);
	CHECK_INT(ck_frontmatter_split(&fm, "----\na\n---\n", 11), -1);
	CHECK_INT(ck_frontmatter_split(&fm, " ---\na\n---\n", 11), -1);
	CHECK_INT(ck_frontmatter_split(&fm, "--- a: 1\n---\n", 13), -1);
	CHECK_INT(ck_frontmatter_split(&fm, "---\rx\n---\n", 10), -1);
	CHECK_INT(ck_frontmatter_split(&fm, "\xEF\xBB---\n---\n", 10), -1);
	/* Never closed. */
	CHECK_INT(ck_frontmatter_split(&fm, "---", 3), -2);
	CHECK_INT(ck_frontmatter_split(&fm, "---\n", 4), -2);
	t = "---\ntitle: A\n\nBody without end\n-- \n";
	CHECK_INT(ck_frontmatter_split(&fm, t, strlen(t)), -2);
	CHECK(fm.yaml == NULL && fm.body == NULL);
	/* A \r alone does not end the closing line. */
	CHECK_INT(ck_frontmatter_split(&fm, "---\na\n---\r", 10), -2);
	/* Only the first closing line counts. */
	t = "---\na: 1\n---\nb\n---\nc\n";
	CHECK_INT(ck_frontmatter_split(&fm, t, strlen(t)), 0);
	CHECK_INT(fm.yaml_len, 5);
	CHECK_STR(fm.body, "b\n---\nc\n");
}

static const char question[] =
    "hamlet: na-mo\n"                                 /* 2 */
    "title: Hội nghị đối thoại\n"                     /* 3 */
    "chairs:\n"                                       /* 4 */
    "  - Bí thư Đảng ủy\n"                            /* 5 */
    "  - \"Chủ tịch UBND xã\"\n"                      /* 6 */
    "topics: [dat-dai, 'giao-thong']\n"               /* 7 */
    "plan:\n"                                         /* 8 */
    "  number: 13-KH/ĐU\n"                            /* 9 */
    "  signer: {name: Nguyễn Văn A, title: Bí thư}\n" /* 10 */
    "progress:\n"                                     /* 11 */
    "  - date: 2025-01-02\n"                          /* 12 */
    "    status: resolved\n"                          /* 13 */
    "    note: |\n"                                   /* 14 */
    "      Đã xử lý.\n"                               /* 15 */
    "      Xong.\n"                                   /* 16 */
    "  - {date: 03/02/2025, status: in_progress}\n"   /* 17 */
    "answer:\n"                                       /* 18 */
    "  by: >-\n"                                      /* 19 */
    "    Công chức\n"                                 /* 20 */
    "    Địa chính\n"                                 /* 21 */
    "private:\n"                                      /* 22 */
    "extra: ~\n"                                      /* 23 */
    "count: '12'\n";                                  /* 24 */

static void
test_positions(void)
{
	const ck_yaml_node *root = parse_ok(question, 2), *n, *p;

	if (root == NULL)
		return;
	CHECK_INT(root->kind, CK_YAML_MAP);
	CHECK_POS(root, 2, 1);
	CHECK_INT(root->n, 10);
	CHECK_STR(root->keys[0]->str, "hamlet");
	CHECK_POS(root->keys[0], 2, 1);
	CHECK_POS(root->vals[0], 2, 9);
	CHECK_STR(root->keys[9]->str, "count");
	CHECK_POS(root->keys[9], 24, 1);

	n = ck_yaml_get(root, "title");
	CHECK_STR(n->str, "Hội nghị đối thoại");
	CHECK_INT(n->len, strlen("Hội nghị đối thoại"));
	CHECK(n->plain && !n->block);
	CHECK_POS(n, 3, 8);

	/* A block sequence starts at its first dash. */
	n = ck_yaml_get(root, "chairs");
	CHECK_INT(n->kind, CK_YAML_SEQ);
	CHECK_POS(n, 5, 3);
	CHECK_INT(n->n, 2);
	CHECK(n->keys == NULL);
	CHECK_STR(n->vals[0]->str, "Bí thư Đảng ủy");
	CHECK_POS(n->vals[0], 5, 5);
	CHECK(n->vals[0]->plain);
	/* A quoted scalar starts at its quote. */
	CHECK_STR(n->vals[1]->str, "Chủ tịch UBND xã");
	CHECK_POS(n->vals[1], 6, 5);
	CHECK(!n->vals[1]->plain && !n->vals[1]->block);

	n = ck_yaml_get(root, "topics");
	CHECK_INT(n->kind, CK_YAML_SEQ);
	CHECK_POS(n, 7, 9);
	CHECK_INT(n->n, 2);
	CHECK_POS(n->vals[0], 7, 10);
	CHECK(n->vals[0]->plain);
	CHECK_STR(n->vals[1]->str, "giao-thong");
	CHECK_POS(n->vals[1], 7, 19);
	CHECK(!n->vals[1]->plain);

	CHECK_STR(path_get(root, "plan", "number")->str, "13-KH/ĐU");
	CHECK_POS(path_get(root, "plan", "number"), 9, 11);
	CHECK_POS(ck_yaml_get(root, "plan"), 9, 3);
	/* Columns count code points: "Nguyễn Văn" is longer in bytes. */
	n = path_get(root, "plan", "signer");
	CHECK_INT(n->kind, CK_YAML_MAP);
	CHECK_POS(n, 10, 11);
	CHECK_POS(n->keys[1], 10, 32);
	CHECK_STR(n->keys[1]->str, "title");
	CHECK_POS(ck_yaml_get(n, "title"), 10, 39);
	CHECK_STR(ck_yaml_get(n, "title")->str, "Bí thư");
	CHECK_STR(ck_yaml_get(n, "name")->str, "Nguyễn Văn A");

	/* Maps inside lists. */
	n = ck_yaml_get(root, "progress");
	CHECK_INT(n->kind, CK_YAML_SEQ);
	CHECK_INT(n->n, 2);
	CHECK_POS(n, 12, 3);
	p = n->vals[0];
	CHECK_INT(p->kind, CK_YAML_MAP);
	CHECK_POS(p, 12, 5);
	CHECK_POS(p->keys[0], 12, 5);
	CHECK_STR(ck_yaml_get(p, "date")->str, "2025-01-02");
	CHECK_POS(ck_yaml_get(p, "date"), 12, 11);
	CHECK_POS(p->keys[1], 13, 5);
	CHECK_POS(ck_yaml_get(p, "status"), 13, 13);
	/* A block scalar starts at its indicator. */
	CHECK_STR(ck_yaml_get(p, "note")->str, "Đã xử lý.\nXong.\n");
	CHECK(ck_yaml_get(p, "note")->block);
	CHECK(!ck_yaml_get(p, "note")->plain);
	CHECK_POS(ck_yaml_get(p, "note"), 14, 11);
	p = n->vals[1];
	CHECK_INT(p->kind, CK_YAML_MAP);
	CHECK_POS(p, 17, 5);
	CHECK_POS(ck_yaml_get(p, "status"), 17, 32);

	n = path_get(root, "answer", "by");
	CHECK_STR(n->str, "Công chức Địa chính");
	CHECK(n->block && !n->plain);
	CHECK_POS(n, 19, 7);

	/* Empty values are empty plain scalars, `~` too; '12' is a string. */
	n = ck_yaml_get(root, "private");
	CHECK_INT(n->kind, CK_YAML_SCALAR);
	CHECK_STR(n->str, "");
	CHECK(n->plain);
	CHECK_POS(n, 22, 9);
	CHECK_STR(ck_yaml_get(root, "extra")->str, "~");
	CHECK(ck_yaml_get(root, "extra")->plain);
	CHECK(!ck_yaml_get(root, "count")->plain);
}

static void
test_get(void)
{
	const ck_yaml_node *root = parse_ok("a: 1\nab: 2\n\"a b\": 3\n", 1);

	CHECK_STR(ck_yaml_get(root, "a")->str, "1");
	CHECK_STR(ck_yaml_get(root, "ab")->str, "2");
	CHECK_STR(ck_yaml_get(root, "a b")->str, "3");
	CHECK(ck_yaml_get(root, "b") == NULL);
	CHECK(ck_yaml_get(root, "") == NULL);
	CHECK(ck_yaml_get(root, NULL) == NULL);
	CHECK(ck_yaml_get(NULL, "a") == NULL);
	CHECK(ck_yaml_get(ck_yaml_get(root, "a"), "a") == NULL);
}

static void
test_empty_and_roots(void)
{
	const ck_yaml_node *n;

	n = parse_ok("", 2);
	CHECK_INT(n->kind, CK_YAML_MAP);
	CHECK_INT(n->n, 0);
	CHECK_POS(n, 2, 1);
	n = parse_ok("# chỉ có chú thích\n\n# another\n", 5);
	CHECK_INT(n->kind, CK_YAML_MAP);
	CHECK_INT(n->n, 0);
	CHECK_POS(n, 5, 1);
	n = parse_ok("---\n", 1);
	CHECK_INT(n->kind, CK_YAML_MAP);
	CHECK_INT(n->n, 0);
	{
		ck_diags *d = ck_diags_new();
		ck_yaml_node *root = NULL;

		CHECK_INT(ck_yaml_parse(&root, arena, "f.md", NULL, 0, 3, d),
		          0);
		CHECK(root != NULL && root->kind == CK_YAML_MAP &&
		      root->n == 0 && root->line == 3);
		ck_diags_free(d);
	}
	/* Roots that are not maps are the caller's to reject. */
	n = parse_ok("just text\n", 2);
	CHECK_INT(n->kind, CK_YAML_SCALAR);
	CHECK_STR(n->str, "just text");
	n = parse_ok("- a\n- b\n", 2);
	CHECK_INT(n->kind, CK_YAML_SEQ);
	CHECK_INT(n->n, 2);
	n = parse_ok("\"\"\n", 2);
	CHECK_INT(n->kind, CK_YAML_SCALAR);
	/* An explicit document in a whole YAML file, ended by `...`. */
	n = parse_ok("---\nname: Xã Chợ Mới\n...\n", 1);
	CHECK_POS(ck_yaml_get(n, "name"), 2, 7);
}

static void
test_duplicates(void)
{
	int rc;
	ck_yaml_node *root;

	CHECK_STR(parse_err("a: 1\nb: 2\na: 3\n", 2),
	          "f.md:4:1: error: duplicate key 'a' (first at line 2)\n");
	/* The tree is kept without the later key, for the callers' checks. */
	root = parse("a: 1\nb: 2\na: 3\n", 2, &rc);
	CHECK_INT(rc, -1);
	CHECK(root != NULL && root->kind == CK_YAML_MAP && root->n == 2);
	if (root != NULL && root->n == 2)
		CHECK_STR(ck_yaml_get(root, "a")->str, "1");
	/* A syntax error leaves no tree. */
	root = parse("a: [1\n", 2, &rc);
	CHECK_INT(rc, -1);
	CHECK(root == NULL);
	/* Quoting does not make a different key; each duplicate is told. */
	CHECK_STR(parse_err("a: 1\n\"a\": 2\nb: 0\n'a': 3\nb: 4\n", 1),
	          "f.md:2:1: error: duplicate key 'a' (first at line 1)\n"
	          "f.md:4:1: error: duplicate key 'a' (first at line 1)\n"
	          "f.md:5:1: error: duplicate key 'b' (first at line 3)\n");
	CHECK_STR(parse_err("progress:\n"
	                    "  - date: 2025-01-02\n"
	                    "    status: resolved\n"
	                    "    date: 2025-01-03\n",
	                    2),
	          "f.md:5:5: error: duplicate key 'date' (first at line 3)\n");
	CHECK_STR(parse_err("signer: {name: A, title: B, name: C}\n", 2),
	          "f.md:2:29: error: duplicate key 'name' (first at line "
	          "2)\n");
	/* The same key in different maps is fine. */
	parse_ok("a: {x: 1}\nb: {x: 2}\n", 2);
}

/*
 * Many keys (the duplicate check hashes them): every duplicate is still
 * reported, in file order, with both lines; the rest keep their order.
 */
static void
test_many_keys(void)
{
	enum { NKEYS = 20000 };
	ck_buf text = CK_BUF_INIT, want = CK_BUF_INIT;
	ck_diags *d = ck_diags_new();
	ck_yaml_node *root = NULL;
	char *got = NULL;
	size_t got_len = 0, i, line = 1, ndup = 0;
	FILE *f;
	int rc;

	/* Keys that are prefixes of each other, and an empty one, too. */
	ck_buf_puts(&text, "\"\": empty\n");
	for (i = 0; i < NKEYS; i++) {
		line++;
		if (i % 1000 == 999) {
			/* The key of 500 lines before, again. */
			size_t first = i - 500;

			ck_buf_printf(&text, "k%zu: again\n", first);
			ck_buf_printf(&want,
			              "f.md:%zu:1: error: duplicate key 'k%zu' "
			              "(first at line %zu)\n",
			              line, first, first + 2);
			ndup++;
		} else {
			ck_buf_printf(&text, "k%zu: %zu\n", i, i);
		}
	}
	line++;
	ck_buf_puts(&text, "\"\": twice\n");
	ck_buf_printf(&want,
	              "f.md:%zu:1: error: duplicate key '' (first at line 1)\n",
	              line);
	rc = ck_yaml_parse(&root, arena, "f.md", text.ptr, text.size, 1, d);
	CHECK_INT(rc, -1);
	f = open_memstream(&got, &got_len);
	if (f == NULL)
		abort();
	ck_diags_print(d, f);
	fclose(f);
	CHECK_STR(got, want.ptr);
	CHECK(root != NULL && root->n == 1 + NKEYS - ndup);
	if (root != NULL && root->n == 1 + NKEYS - ndup) {
		CHECK_STR(root->keys[0]->str, "");
		CHECK_STR(root->vals[0]->str, "empty");
		CHECK_STR(root->keys[1]->str, "k0");
		CHECK_STR(root->keys[root->n - 1]->str, "k19998");
		CHECK_STR(ck_yaml_get(root, "k499")->str, "499");
		CHECK_STR(ck_yaml_get(root, "k1")->str, "1");
		CHECK_STR(ck_yaml_get(root, "k10")->str, "10");
		CHECK(ck_yaml_get(root, "k999") == NULL);
	}
	free(got);
	ck_diags_free(d);
	ck_buf_free(&text);
	ck_buf_free(&want);
}

static void
test_syntax_errors(void)
{
	CHECK_STR(parse_err("a: b: c\n", 2),
	          "f.md:2:5: error: invalid YAML: mapping values are not "
	          "allowed in this context\n");
	CHECK_STR(parse_err("title: A\nhamlet: x\n  topic: y\n", 2),
	          "f.md:4:8: error: invalid YAML: mapping values are not "
	          "allowed in this context\n");
	CHECK_STR(parse_err("a:\n\tb: 1\n", 2),
	          "f.md:3:1: error: invalid YAML: found a tab that cannot "
	          "start any token (indent with spaces)\n");
	CHECK_STR(parse_err("a: @x\n", 2),
	          "f.md:2:4: error: invalid YAML: found character '@' that "
	          "cannot start any token\n");
	CHECK_STR(parse_err("a: 1\ntitle: \"Hội nghị\n", 2),
	          "f.md:4:1: error: invalid YAML: found unexpected end of "
	          "stream (while scanning a quoted scalar at line 3, column "
	          "8)\n");
	CHECK_STR(parse_err("topics: [a, b\nx: 1\n", 2),
	          "f.md:3:2: error: invalid YAML: did not find expected ',' "
	          "or ']' (while parsing a flow sequence at line 2, column "
	          "9)\n");
	CHECK_STR(parse_err("- a\nb: 1\n", 7),
	          "f.md:8:1: error: invalid YAML: did not find expected '-' "
	          "indicator (while parsing a block collection at line 7, "
	          "column 1)\n");
	/* Positions stay right after Vietnamese text and \r\n. */
	CHECK_STR(parse_err("tên: Đường\r\nđịa chỉ: Thôn Nà Mò: x\r\n", 2),
	          "f.md:3:20: error: invalid YAML: mapping values are not "
	          "allowed in this context\n");
	CHECK_STR(parse_err("a: 1\n---\nb: 2\n", 2),
	          "f.md:3:1: error: only one YAML document is allowed\n");
}

static void
test_unsupported(void)
{
	const ck_yaml_node *n;

	CHECK_STR(parse_err("a: &x 1\nb: *x\n", 2),
	          "f.md:2:4: error: aliases and anchors are not supported\n"
	          "f.md:3:4: error: aliases and anchors are not supported\n");
	CHECK_STR(parse_err("base: &b {x: 1}\n", 2),
	          "f.md:2:7: error: aliases and anchors are not supported\n");
	CHECK_STR(parse_err("a: !foo 1\n", 2),
	          "f.md:2:4: error: unsupported tag '!foo'\n");
	CHECK_STR(parse_err("a: !!binary aGk=\nb: !!map [1]\n", 2),
	          "f.md:2:4: error: unsupported tag '!!binary'\n"
	          "f.md:3:4: error: unsupported tag '!!map'\n");
	n = parse_ok("a: !!str 2025-01-02\nb: !!int 3\nc: ! 4\n"
	             "d: !!seq [1]\ne: !!map {}\n",
	             2);
	CHECK(!ck_yaml_get(n, "a")->plain);
	CHECK_STR(ck_yaml_get(n, "a")->str, "2025-01-02");
	CHECK(ck_yaml_get(n, "b")->plain);
	CHECK(!ck_yaml_get(n, "c")->plain);
	CHECK_INT(ck_yaml_get(n, "d")->kind, CK_YAML_SEQ);
	CHECK_INT(ck_yaml_get(n, "e")->kind, CK_YAML_MAP);
	CHECK_STR(parse_err("? [a]\n: 1\nb: 2\n", 2),
	          "f.md:2:3: error: keys must be strings, not a list\n");
	CHECK_STR(parse_err("{x: 1}: 1\n", 2),
	          "f.md:2:1: error: keys must be strings, not a map\n");
	CHECK_STR(parse_err("a: \"x\\0y\"\n", 2),
	          "f.md:2:4: error: strings cannot contain NUL characters\n");
}

static void
test_depth(void)
{
	char text[300];
	size_t i;

	for (i = 0; i < 64; i++)
		text[i] = '[';
	for (; i < 128; i++)
		text[i] = ']';
	text[i] = '\0';
	parse_ok(text, 1);
	for (i = 0; i < 65; i++)
		text[i] = '[';
	for (; i < 130; i++)
		text[i] = ']';
	text[i] = '\0';
	CHECK_STR(parse_err(text, 1), "f.md:1:65: error: nesting too deep\n");
	for (i = 0; i < 200; i++)
		text[i] = '{';
	text[i] = '\0';
	CHECK_STR(parse_err(text, 1), "f.md:1:65: error: nesting too deep\n");
}

static void
test_encoding(void)
{
	const ck_yaml_node *n;

	/* A BOM does not count as a column. */
	n = parse_ok("\xEF\xBB\xBFname: Xã Chợ Mới\nbase_url: https://x.vn/\n",
	             1);
	CHECK_POS(n->keys[0], 1, 1);
	CHECK_POS(ck_yaml_get(n, "name"), 1, 7);
	CHECK_STR(ck_yaml_get(n, "name")->str, "Xã Chợ Mới");

	/* \r\n: values without \r, columns as the editor shows them. */
	n = parse_ok("a: x\r\nb:\r\n  - \"y\"\r\nc: |\r\n  l1\r\n  l2\r\n", 2);
	CHECK_STR(ck_yaml_get(n, "a")->str, "x");
	CHECK_POS(ck_yaml_get(n, "b")->vals[0], 4, 5);
	CHECK_STR(ck_yaml_get(n, "c")->str, "l1\nl2\n");
	CHECK_POS(n->keys[2], 5, 1);

	/*
	 * libyaml counts U+2028 and a lone \r as line breaks; file lines
	 * are counted by \n only.
	 */
	n = parse_ok("a: \"x\xE2\x80\xA8y\"\nb: 1\n", 2);
	CHECK_POS(n->keys[1], 3, 1);
	n = parse_ok("a: 'x\ry'\nb: 1\n", 2);
	CHECK_POS(n->keys[1], 3, 1);

	/* NFD stays as written: normalising is the caller's job. */
	n = parse_ok("a: Vie\xCC\xA3t\nb: 1\n", 2);
	CHECK_STR(ck_yaml_get(n, "a")->str, "Vie\xCC\xA3t");
	CHECK_POS(ck_yaml_get(n, "a"), 2, 4);

	CHECK_STR(parse_err("a: 1\nb: Xã \xFF\n", 2),
	          "f.md:3:7: error: invalid UTF-8\n");
	CHECK_STR(parse_err("a: 1\nb: Xã \xC3", 2),
	          "f.md:3:7: error: invalid UTF-8\n");
	CHECK_STR(parse_err("a: 1\nb: \xED\xA0\x80\n", 2),
	          "f.md:3:4: error: invalid UTF-8\n");
	CHECK_STR(parse_err("a: 1\nb: x\x01y\n", 2),
	          "f.md:3:5: error: control character U+0001 is not "
	          "allowed\n");
	/* A UTF-16 BOM is not taken as a hint to decode UTF-16. */
	CHECK_STR(parse_err("\xFF\xFE"
	                    "a\0:\0 \0"
	                    "1\0",
	                    1),
	          "f.md:1:1: error: invalid UTF-8\n");
}

/* The whole path a caller takes: split, then parse at yaml_line. */
static void
test_split_then_parse(void)
{
	static const char file[] = "\xEF\xBB\xBF---\r\n"
	                           "hamlet: na-mo\r\n"
	                           "topic: dat-dai\r\n"
	                           "received: 12/01/2025\r\n"
	                           "---\r\n"
	                           "Bà con hỏi về đường.\r\n";
	ck_frontmatter fm;
	ck_diags *d = ck_diags_new();
	ck_yaml_node *root = NULL;

	CHECK_INT(ck_frontmatter_split(&fm, file, sizeof(file) - 1), 0);
	CHECK_INT(ck_yaml_parse(&root, arena, "q.md", fm.yaml, fm.yaml_len,
	                        fm.yaml_line, d),
	          0);
	CHECK_INT(ck_diags_errors(d), 0);
	if (root != NULL) {
		CHECK_POS(ck_yaml_get(root, "received"), 4, 11);
		CHECK_STR(ck_yaml_get(root, "received")->str, "12/01/2025");
	}
	CHECK_INT(fm.body_line, 6);
	CHECK_STR(fm.body, "Bà con hỏi về đường.\r\n");
	ck_diags_free(d);
}

int
main(void)
{
	arena = ck_arena_new();
	test_split();
	test_positions();
	test_get();
	test_empty_and_roots();
	test_duplicates();
	test_many_keys();
	test_syntax_errors();
	test_unsupported();
	test_depth();
	test_encoding();
	test_split_then_parse();
	ck_arena_free(arena);
	return ck_t_done("t_frontmatter");
}
