/*
 * JSON: the writer's exact bytes (the open data is diffed by citizens and
 * journalists, so its layout is a contract), the reader's values, errors
 * with their positions, and round trips.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "harness.h"
#include "json.h"
#include "value.h"

static ck_arena *A;
static ck_buf out_buf = CK_BUF_INIT, err_buf = CK_BUF_INIT;

static const char *
write_str(const ck_value *v)
{
	ck_buf_clear(&out_buf);
	ck_json_write(&out_buf, v);
	return out_buf.ptr;
}

static ck_value *
parse(const char *s)
{
	ck_value *v = NULL;
	ck_buf err = CK_BUF_INIT;

	if (ck_json_parse(&v, A, s, strlen(s), &err) < 0) {
		fprintf(stderr, "unexpected parse error: %s\n  in: %s\n",
		        err.ptr, s);
		v = NULL;
	}
	ck_buf_free(&err);
	return v;
}

/* The error for s, or "" when it parses. */
static const char *
parse_error(const char *s, size_t len)
{
	ck_value *v = (ck_value *)&v;
	int rc;

	ck_buf_clear(&err_buf);
	rc = ck_json_parse(&v, A, s, len, &err_buf);
	/* *out is set either way: the value, or NULL. */
	CHECK(rc == 0 ? v != NULL : v == NULL);
	if (rc == 0)
		return "";
	return err_buf.ptr;
}

#define ERR(s, want) CHECK_STR(parse_error(s, sizeof(s) - 1), want)

static void
test_write(void)
{
	ck_value *root = ck_value_map(A), *list = ck_value_list(A),
	         *inner = ck_value_map(A);

	ck_value_set_int(root, "id", 14);
	ck_value_set_str(root, "name", "Nguyễn Văn A");
	ck_value_push(list, ck_value_bool(A, true));
	ck_value_push(list, ck_value_null(A));
	ck_value_push(list, ck_value_real(A, 1.5));
	ck_value_push(list, ck_value_list(A));
	ck_value_set(root, "list", list);
	ck_value_set(root, "empty", ck_value_map(A));
	ck_value_set_int(inner, "z", -3);
	ck_value_set_int(inner, "a", 0);
	ck_value_set(root, "inner", inner);
	ck_value_set(root, "nothing", ck_value_list(A));
	CHECK_STR(write_str(root), "{\n"
	                           "  \"id\": 14,\n"
	                           "  \"name\": \"Nguyễn Văn A\",\n"
	                           "  \"list\": [\n"
	                           "    true,\n"
	                           "    null,\n"
	                           "    1.5,\n"
	                           "    []\n"
	                           "  ],\n"
	                           "  \"empty\": {},\n"
	                           "  \"inner\": {\n"
	                           "    \"z\": -3,\n"
	                           "    \"a\": 0\n"
	                           "  },\n"
	                           "  \"nothing\": []\n"
	                           "}\n");
	/* Replacing a key keeps its place. */
	ck_value_set_int(root, "id", 15);
	CHECK(strncmp(write_str(root), "{\n  \"id\": 15,\n", 14) == 0);

	CHECK_STR(write_str(NULL), "null\n");
	CHECK_STR(write_str(ck_value_str(A, "")), "\"\"\n");
	CHECK_STR(write_str(ck_value_int(A, -9223372036854775807LL - 1)),
	          "-9223372036854775808\n");
	CHECK_STR(write_str(ck_value_bool(A, false)), "false\n");
}

static void
test_escape(void)
{
	ck_buf b = CK_BUF_INIT;

	ck_json_put_string(&b, "q\" b\\ /n\n t\t r\r b\b f\f \x01\x1f\x7f", 25);
	CHECK_STR(b.ptr, "\"q\\\" b\\\\ /n\\n t\\t r\\r b\\b f\\f "
	                 "\\u0001\\u001f\x7f\"");
	/* UTF-8 passes through; U+2028 too (valid JSON). */
	ck_buf_clear(&b);
	ck_json_put_string(&b, "Việt 😀 \xe2\x80\xa8",
	                   strlen("Việt 😀 \xe2\x80\xa8"));
	CHECK_STR(b.ptr, "\"Việt 😀 \xe2\x80\xa8\"");
	/* A NUL is escaped, not a terminator. */
	ck_buf_clear(&b);
	ck_json_put_string(&b, "a\0b", 3);
	CHECK_STR(b.ptr, "\"a\\u0000b\"");
	/* Malformed UTF-8 becomes U+FFFD so the document stays valid. */
	ck_buf_clear(&b);
	ck_json_put_string(&b,
	                   "a\xff"
	                   "b\xc3"
	                   "c\xed\xa0\x80"
	                   "d\xc0\xaf",
	                   11);
	CHECK_STR(b.ptr, "\"a\xef\xbf\xbd"
	                 "b\xef\xbf\xbd"
	                 "c\xef\xbf\xbd"
	                 "\xef\xbf\xbd\xef\xbf\xbd"
	                 "d\xef\xbf\xbd\xef\xbf\xbd\"");
	ck_buf_free(&b);
}

static void
check_real(double d, const char *want)
{
	ck_buf b = CK_BUF_INIT;

	ck_buf_puts(&b, want);
	ck_buf_putc(&b, '\n');
	CHECK_STR(write_str(ck_value_real(A, d)), b.ptr);
	ck_buf_free(&b);
}

static void
test_reals(void)
{
	check_real(1.21, "1.21");
	check_real(0.1, "0.1");
	check_real(0.1 + 0.2, "0.30000000000000004");
	check_real(-2.5, "-2.5");
	check_real(123.0, "123");
	check_real(1e20, "100000000000000000000");
	check_real(1e21, "1e+21");
	check_real(1.5e300, "1.5e+300");
	check_real(0.000001, "0.000001");
	check_real(1e-7, "1e-7");
	check_real(1.25e-10, "1.25e-10");
	check_real(5e-324, "5e-324");
	check_real(1.7976931348623157e308, "1.7976931348623157e+308");
	check_real(0.0, "0");
	check_real(-0.0, "0");
	check_real(NAN, "null");
	check_real(INFINITY, "null");
	check_real(2.0 / 3.0, "0.6666666666666666");
	check_real(100.5, "100.5");
}

static void
test_read(void)
{
	ck_value *v;
	size_t len;
	const char *s;

	v = parse(" {\"a\": [1, -0, 1.0, 1e2, -1.5E-3, 9223372036854775807, "
	          "-9223372036854775808, 9223372036854775808, true, false, "
	          "null, \"s\"], \"b\": {}} ");
	CHECK(v != NULL);
	v = ck_value_get(v, "a");
	CHECK_INT(ck_value_len(v), 12);
	CHECK_INT(ck_value_kind(ck_value_at(v, 0)), CK_VINT);
	CHECK_INT(ck_value_get_int(ck_value_at(v, 0)), 1);
	CHECK_INT(ck_value_kind(ck_value_at(v, 1)), CK_VINT);
	CHECK_INT(ck_value_kind(ck_value_at(v, 2)), CK_VREAL);
	CHECK(ck_value_get_real(ck_value_at(v, 2)) == 1.0);
	CHECK_INT(ck_value_kind(ck_value_at(v, 3)), CK_VREAL);
	CHECK(ck_value_get_real(ck_value_at(v, 3)) == 100.0);
	CHECK(ck_value_get_real(ck_value_at(v, 4)) == -1.5e-3);
	CHECK_INT(ck_value_kind(ck_value_at(v, 5)), CK_VINT);
	CHECK(ck_value_get_int(ck_value_at(v, 5)) == 9223372036854775807LL);
	CHECK_INT(ck_value_kind(ck_value_at(v, 6)), CK_VINT);
	CHECK(ck_value_get_int(ck_value_at(v, 6)) ==
	      -9223372036854775807LL - 1);
	/* Too big for an integer: a real. */
	CHECK_INT(ck_value_kind(ck_value_at(v, 7)), CK_VREAL);
	CHECK(ck_value_get_real(ck_value_at(v, 7)) == 9223372036854775808.0);
	CHECK_INT(ck_value_kind(ck_value_at(v, 8)), CK_VBOOL);
	CHECK(ck_value_get_bool(ck_value_at(v, 8)));
	CHECK(!ck_value_get_bool(ck_value_at(v, 9)));
	CHECK_INT(ck_value_kind(ck_value_at(v, 10)), CK_VNULL);
	CHECK_STR(ck_value_get_str(ck_value_at(v, 11), NULL), "s");

	/* Escapes, surrogate pairs and raw UTF-8. */
	v = parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t \\u00e9\\u1EA1 \\ud83d\\ude00 "
	          "\\uD834\\uDD1E đ\"");
	CHECK_STR(ck_value_get_str(v, NULL),
	          "\"\\/\b\f\n\r\t \xc3\xa9\xe1\xba\xa1 \xf0\x9f\x98\x80 "
	          "\xf0\x9d\x84\x9e đ");
	v = parse("\"a\\u0000b\"");
	ck_value_get_str(v, &len);
	CHECK_INT(len, 3);
	CHECK(memcmp(ck_value_get_str(v, NULL), "a\0b", 3) == 0);

	/* A repeated key keeps its first place and its last value. */
	v = parse("{\"a\": 1, \"b\": 2, \"a\": 3}");
	CHECK_INT(ck_value_len(v), 2);
	CHECK_STR(ck_value_key_at(v, 0), "a");
	CHECK_INT(ck_value_get_int(ck_value_get(v, "a")), 3);

	/* A byte-order mark is ignored. */
	v = parse("\xef\xbb\xbf[1]");
	CHECK_INT(ck_value_len(v), 1);

	/* Not NUL-terminated: the reader stays within len. */
	{
		char num[3] = {'1', '2', '3'};
		ck_buf err = CK_BUF_INIT;

		v = NULL;
		CHECK_INT(ck_json_parse(&v, A, num, 2, &err), 0);
		CHECK_INT(ck_value_get_int(v), 12);
		ck_buf_free(&err);
	}
	s = "[\"x\"]";
	CHECK_INT(ck_json_parse(&v, A, s, strlen(s), NULL), 0);
}

static void
test_errors(void)
{
	ck_buf deep = CK_BUF_INIT;
	int i;

	ERR("", "line 1 col 1: unexpected end of input");
	ERR("  \n ", "line 2 col 2: unexpected end of input");
	ERR("[1,]", "line 1 col 4: unexpected character ']'");
	ERR("[1 2]", "line 1 col 4: expected ',' or ']'");
	ERR("[1", "line 1 col 3: unexpected end of input");
	ERR("{\"a\" 1}", "line 1 col 6: expected ':'");
	ERR("{\"a\": 1,}", "line 1 col 9: expected a string key");
	ERR("{a: 1}", "line 1 col 2: expected a string key");
	ERR("{\"a\": 1 \"b\": 2}", "line 1 col 9: expected ',' or '}'");
	ERR("\"abc", "line 1 col 1: unterminated string");
	ERR("\"a\\x\"", "line 1 col 3: invalid escape '\\x'");
	ERR("\"\\u12G4\"", "line 1 col 2: invalid \\u escape");
	ERR("\"\\ud800\"", "line 1 col 2: unpaired surrogate \\uD800");
	ERR("\"\\udc00\"", "line 1 col 2: unpaired surrogate \\uDC00");
	ERR("\"\\ud800\\u0041\"", "line 1 col 2: unpaired surrogate \\uD800");
	ERR("\"a\nb\"", "line 1 col 3: control character in string");
	ERR("\"a\tb\"", "line 1 col 3: control character in string");
	/* Columns count characters: é is one. */
	ERR("[\"é\xff\"]", "line 1 col 4: invalid UTF-8");
	ERR("[\"\xed\xa0\x80\"]", "line 1 col 3: invalid UTF-8");
	ERR("\xc3", "line 1 col 1: invalid UTF-8");
	ERR("01", "line 1 col 2: unexpected data after the value");
	ERR("1.", "line 1 col 1: invalid number");
	ERR(".5", "line 1 col 1: unexpected character '.'");
	ERR("-", "line 1 col 1: invalid number");
	ERR("1e+", "line 1 col 1: invalid number");
	ERR("+1", "line 1 col 1: unexpected character '+'");
	ERR("1e999", "line 1 col 1: number out of range");
	ERR("NaN", "line 1 col 1: unexpected character 'N'");
	ERR("tru", "line 1 col 1: invalid literal");
	ERR("nul", "line 1 col 1: invalid literal");
	ERR("[true false]", "line 1 col 7: expected ',' or ']'");
	ERR("{\n  \"a\": 1\n}\n  x", "line 4 col 3: unexpected data after "
	                             "the value");
	ERR("[1]\x00", "line 1 col 4: unexpected data after the value");
	ERR("//c\n1", "line 1 col 1: unexpected character '/'");
	ERR("'a'", "line 1 col 1: unexpected character '''");

	/* 1000 levels are fine, 1001 are not. */
	for (i = 0; i < 1000; i++)
		ck_buf_putc(&deep, '[');
	for (i = 0; i < 1000; i++)
		ck_buf_putc(&deep, ']');
	CHECK_STR(parse_error(deep.ptr, deep.size), "");
	ck_buf_clear(&deep);
	for (i = 0; i < 1001; i++)
		ck_buf_putc(&deep, '[');
	CHECK_STR(parse_error(deep.ptr, deep.size),
	          "line 1 col 1001: nesting deeper than 1000 levels");
	ck_buf_free(&deep);
}

/* Canonical text reads and writes back to the same bytes. */
static void
test_round_trip(void)
{
	static const char *docs[] = {
	    "{\n"
	    "  \"as_of\": \"2025-03-14\",\n"
	    "  \"site\": {\n"
	    "    \"name\": \"Xã Chợ Mới\",\n"
	    "    \"base_url\": \"https://example.org/\"\n"
	    "  },\n"
	    "  \"questions\": [\n"
	    "    {\n"
	    "      \"id\": \"cho-moi-2025/014\",\n"
	    "      \"assigned_to\": null,\n"
	    "      \"open\": true,\n"
	    "      \"score\": 4.75,\n"
	    "      \"count\": -12,\n"
	    "      \"progress\": [],\n"
	    "      \"tags\": {},\n"
	    "      \"answer_html\": \"<p>\\\"Đã\\\" xử lý\\n\\ttốt</p>\"\n"
	    "    }\n"
	    "  ]\n"
	    "}\n",
	    "[]\n",
	    "\"\\u0001\\\\\"\n",
	    "[\n  1e+21,\n  1e-7,\n  0.1,\n  [\n    [\n      {}\n    ]\n  "
	    "]\n]\n",
	};
	ck_buf again = CK_BUF_INIT;
	size_t i;
	ck_value *v;

	for (i = 0; i < sizeof(docs) / sizeof(*docs); i++) {
		v = parse(docs[i]);
		CHECK(v != NULL);
		CHECK_STR(write_str(v), docs[i]);
	}
	/* Compact input comes out in the canonical layout, then is stable. */
	v = parse(
	    "{\"a\":[1,2.50,{\"b\":\"\\u00e9\\ud83d\\ude00\"}],\"c\":1E3}");
	CHECK_STR(write_str(v), "{\n"
	                        "  \"a\": [\n"
	                        "    1,\n"
	                        "    2.5,\n"
	                        "    {\n"
	                        "      \"b\": \"é😀\"\n"
	                        "    }\n"
	                        "  ],\n"
	                        "  \"c\": 1000\n"
	                        "}\n");
	ck_buf_puts(&again, write_str(v));
	CHECK_STR(write_str(parse(again.ptr)), again.ptr);
	ck_buf_free(&again);
}

/*
 * A value written at a depth is the text ck_json_write gives it inside a
 * document: the open data is written a question at a time that way.
 */
static void
test_write_at(void)
{
	ck_arena *a = ck_arena_new();
	ck_value *doc = ck_value_map(a), *list = ck_value_list(a);
	ck_value *rec = ck_value_map(a), *inner = ck_value_list(a);
	ck_buf whole = CK_BUF_INIT, piece = CK_BUF_INIT;

	ck_value_set_str(rec, "id", "a/1");
	ck_value_push(inner, ck_value_int(a, 1));
	ck_value_push(inner, ck_value_map(a));
	ck_value_set(rec, "progress", inner);
	ck_value_set(rec, "empty", ck_value_list(a));
	ck_value_push(list, rec);
	ck_value_set_str(doc, "as_of", "2026-01-15");
	ck_value_set(doc, "questions", list);
	ck_json_write(&whole, doc);

	ck_buf_puts(&piece, "{\n  \"as_of\": ");
	ck_json_write_at(&piece, ck_value_get(doc, "as_of"), 1);
	ck_buf_puts(&piece, ",\n  \"questions\": [\n    ");
	ck_json_write_at(&piece, rec, 2);
	ck_buf_puts(&piece, "\n  ]\n}\n");
	CHECK_STR(piece.ptr, whole.ptr);
	CHECK(strstr(whole.ptr, "\n        1,\n") != NULL);
	ck_buf_free(&whole);
	ck_buf_free(&piece);
	ck_arena_free(a);
}

int
main(void)
{
	A = ck_arena_new();
	test_write();
	test_escape();
	test_reals();
	test_read();
	test_errors();
	test_round_trip();
	test_write_at();
	ck_arena_free(A);
	ck_buf_free(&out_buf);
	ck_buf_free(&err_buf);
	return ck_t_done("t_json");
}
