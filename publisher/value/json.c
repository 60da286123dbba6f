/*
 * JSON writer and reader over ck_value.
 *
 * The writer's output is part of the published open data, so it is fully
 * deterministic: keys in insertion order, two-space indentation, reals in
 * the shortest form that reads back to the same double (as JavaScript
 * prints them), and never anything that depends on the C locale.
 */
#include "json.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Nesting deeper than this is refused: the reader recurses per level. */
#define CK_JSON_MAX_DEPTH 1000

/*
 * strtod() follows LC_NUMERIC; a program that called setlocale() for
 * Vietnamese would read "1.5" as 1. Numbers are always read in "C".
 */
static locale_t
c_locale(void)
{
	static locale_t loc;

	if (loc == (locale_t)0)
		loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	return loc;
}

static double
c_strtod(const char *s, char **end)
{
	locale_t loc = c_locale();

	return loc != (locale_t)0 ? strtod_l(s, end, loc) : strtod(s, end);
}

/*
 * Length of the well-formed UTF-8 sequence at s (at most n bytes), or 0 when
 * it is malformed (overlong, a surrogate, above U+10FFFF or truncated).
 */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)
			return 0; /* overlong */
		if (c == 0xED && s[1] >= 0xA0)
			return 0; /* surrogate */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && s[1] < 0x90)
			return 0; /* overlong */
		if (c == 0xF4 && s[1] >= 0x90)
			return 0; /* above U+10FFFF */
		return 4;
	}
	return 0;
}

static void
put_utf8(ck_buf *out, unsigned long cp)
{
	char b[4];

	if (cp < 0x80) {
		ck_buf_putc(out, (int)cp);
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		ck_buf_put(out, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		ck_buf_put(out, b, 3);
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		ck_buf_put(out, b, 4);
	}
}

/* ---- writer ---- */

/*
 * Malformed UTF-8 would make the whole document unreadable to strict
 * parsers, so such bytes become U+FFFD rather than being passed on.
 */
/* JSON's two-character escapes: the character and the letter after '\\'. */
static const char escapes[][2] = {
	{'"', '"'}, {'\\', '\\'}, {'\b', 'b'}, {'\f', 'f'},
	{'\n', 'n'}, {'\r', 'r'}, {'\t', 't'},
};

/* The letter that escapes c ('n' for a newline), or 0. */
static char
escape_of(char c)
{
	size_t i;

	for (i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++)
		if (escapes[i][0] == c)
			return escapes[i][1];
	return 0;
}

/* The character an escape letter stands for (a newline for 'n'). */
static char
unescape(char letter)
{
	size_t i;

	for (i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++)
		if (escapes[i][1] == letter)
			return escapes[i][0];
	return letter;
}

void
ck_json_put_string(ck_buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, start = 0, n;
	unsigned char c;
	char esc;

	ck_buf_grow(out, len + 2);
	ck_buf_putc(out, '"');
	while (i < len) {
		c = u[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0x80 && (n = utf8_len(u + i, len - i)) != 0) {
			i += n;
			continue;
		}
		ck_buf_put(out, s + start, i - start);
		if ((esc = escape_of((char)c)) != 0) {
			ck_buf_putc(out, '\\');
			ck_buf_putc(out, esc);
		} else if (c < 0x20) {
			ck_buf_printf(out, "\\u%04x", c);
		} else {
			ck_buf_puts(out, "\xEF\xBF\xBD");
		}
		start = ++i;
	}
	ck_buf_put(out, s + start, len - start);
	ck_buf_putc(out, '"');
}

/*
 * The shortest decimal that reads back as d, laid out the way ECMAScript's
 * Number::toString does (1.21, 1e+21, 1e-7, 0.000001, 100).
 */
static void
put_real(ck_buf *out, double d)
{
	char buf[64], digits[24], check[48];
	int p, k, n, e, i;
	const char *q;
	char *end;

	if (!isfinite(d)) {
		ck_buf_puts(out, "null");
		return;
	}
	if (d == 0) {
		ck_buf_putc(out, '0');
		return;
	}
	if (d < 0) {
		ck_buf_putc(out, '-');
		d = -d;
	}
	k = 0;
	e = 0;
	for (p = 1; p <= 17; p++) {
		snprintf(buf, sizeof(buf), "%.*e", p - 1, d);
		/* Collect the digits whatever the locale's radix character. */
		k = 0;
		for (q = buf; *q && *q != 'e' && *q != 'E'; q++)
			if (*q >= '0' && *q <= '9' && k < 20)
				digits[k++] = *q;
		digits[k] = '\0';
		e = (int)strtol(*q ? q + 1 : q, &end, 10);
		snprintf(check, sizeof(check), "%c.%se%d", digits[0],
		         digits + 1, e);
		if (c_strtod(check, NULL) == d)
			break;
	}
	while (k > 1 && digits[k - 1] == '0')
		digits[--k] = '\0';
	n = e + 1;
	if (k <= n && n <= 21) {
		ck_buf_put(out, digits, (size_t)k);
		for (i = k; i < n; i++)
			ck_buf_putc(out, '0');
	} else if (0 < n && n <= 21) {
		ck_buf_put(out, digits, (size_t)n);
		ck_buf_putc(out, '.');
		ck_buf_put(out, digits + n, (size_t)(k - n));
	} else if (-6 < n && n <= 0) {
		ck_buf_puts(out, "0.");
		for (i = n; i < 0; i++)
			ck_buf_putc(out, '0');
		ck_buf_put(out, digits, (size_t)k);
	} else {
		ck_buf_putc(out, digits[0]);
		if (k > 1) {
			ck_buf_putc(out, '.');
			ck_buf_put(out, digits + 1, (size_t)(k - 1));
		}
		ck_buf_printf(out, "e%c%d", n - 1 >= 0 ? '+' : '-',
		              n - 1 >= 0 ? n - 1 : 1 - n);
	}
}

static void
put_indent(ck_buf *out, unsigned level)
{
	static const char spaces[] = "                                ";
	size_t n = (size_t)level * 2;

	while (n > 0) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;

		ck_buf_put(out, spaces, k);
		n -= k;
	}
}

static void
write_value(ck_buf *out, const ck_value *v, unsigned level)
{
	size_t i, n;
	const char *key;

	switch (ck_value_kind(v)) {
	case CK_VNULL:
		ck_buf_puts(out, "null");
		break;
	case CK_VBOOL:
		ck_buf_puts(out, ck_value_get_bool(v) ? "true" : "false");
		break;
	case CK_VINT:
		ck_buf_printf(out, "%lld", ck_value_get_int(v));
		break;
	case CK_VREAL:
		put_real(out, ck_value_get_real(v));
		break;
	case CK_VSTRING: {
		size_t len;
		const char *s = ck_value_get_str(v, &len);

		ck_json_put_string(out, s, len);
		break;
	}
	case CK_VLIST:
		n = ck_value_len(v);
		if (n == 0) {
			ck_buf_puts(out, "[]");
			break;
		}
		ck_buf_puts(out, "[\n");
		for (i = 0; i < n; i++) {
			put_indent(out, level + 1);
			write_value(out, ck_value_at(v, i), level + 1);
			ck_buf_puts(out, i + 1 < n ? ",\n" : "\n");
		}
		put_indent(out, level);
		ck_buf_putc(out, ']');
		break;
	case CK_VMAP:
		n = ck_value_len(v);
		if (n == 0) {
			ck_buf_puts(out, "{}");
			break;
		}
		ck_buf_puts(out, "{\n");
		for (i = 0; i < n; i++) {
			put_indent(out, level + 1);
			key = ck_value_key_at(v, i);
			ck_json_put_string(out, key, strlen(key));
			ck_buf_puts(out, ": ");
			write_value(out, ck_value_val_at(v, i), level + 1);
			ck_buf_puts(out, i + 1 < n ? ",\n" : "\n");
		}
		put_indent(out, level);
		ck_buf_putc(out, '}');
		break;
	}
}

void
ck_json_write(ck_buf *out, const ck_value *v)
{
	write_value(out, v, 0);
	ck_buf_putc(out, '\n');
}

void
ck_json_write_at(ck_buf *out, const ck_value *v, unsigned level)
{
	write_value(out, v, level);
}

/* ---- reader ---- */

typedef struct {
	const char *s;
	size_t len, pos;
	ck_arena *a;
	ck_buf *err;
	ck_buf tmp; /* decoded strings and number tokens */
	unsigned depth;
	bool failed;
} reader;

static void fail_at(reader *r, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records the first error only: later ones are consequences of it. */
static void
fail_at(reader *r, size_t at, const char *fmt, ...)
{
	unsigned line = 1, col = 1;
	size_t i;
	va_list ap;

	if (r->failed)
		return;
	r->failed = true;
	if (at > r->len)
		at = r->len;
	/* Columns count characters, not bytes, as an editor shows them. */
	for (i = 0; i < at; i++) {
		if (r->s[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)r->s[i] & 0xC0) != 0x80) {
			col++;
		}
	}
	if (r->err == NULL)
		return;
	ck_buf_printf(r->err, "line %u col %u: ", line, col);
	va_start(ap, fmt);
	ck_buf_vprintf(r->err, fmt, ap);
	va_end(ap);
}

static void
fail_unexpected(reader *r)
{
	const unsigned char *u = (const unsigned char *)r->s + r->pos;
	size_t n;

	if (r->pos >= r->len) {
		fail_at(r, r->pos, "unexpected end of input");
		return;
	}
	if (u[0] >= 0x20 && u[0] < 0x7F) {
		fail_at(r, r->pos, "unexpected character '%c'", u[0]);
		return;
	}
	n = utf8_len(u, r->len - r->pos);
	if (n == 0)
		fail_at(r, r->pos, "invalid UTF-8");
	else
		fail_at(r, r->pos, "unexpected character (byte 0x%02x)", u[0]);
}

static void
skip_ws(reader *r)
{
	while (r->pos < r->len) {
		char c = r->s[r->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		r->pos++;
	}
}

static int
hex4(const char *s, unsigned long *out)
{
	unsigned long v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned long)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned long)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned long)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/*
 * Reads the string at r->pos (on its opening quote). On success the
 * decoded bytes are at *out (*outlen of them): either in the source itself (no
 * escapes) or in r->tmp.
 */
static int
read_string(reader *r, const char **out, size_t *outlen)
{
	const unsigned char *u = (const unsigned char *)r->s;
	size_t i = r->pos + 1, start, n;
	bool escaped = false;
	unsigned long cp, lo;

	start = i;
	ck_buf_clear(&r->tmp);
	for (;;) {
		if (i >= r->len) {
			fail_at(r, r->pos, "unterminated string");
			return -1;
		}
		if (u[i] == '"')
			break;
		if (u[i] < 0x20) {
			fail_at(r, i, "control character in string");
			return -1;
		}
		if (u[i] >= 0x80) {
			n = utf8_len(u + i, r->len - i);
			if (n == 0) {
				fail_at(r, i, "invalid UTF-8");
				return -1;
			}
			i += n;
			continue;
		}
		if (u[i] != '\\') {
			i++;
			continue;
		}
		escaped = true;
		ck_buf_put(&r->tmp, r->s + start, i - start);
		if (i + 1 >= r->len) {
			fail_at(r, r->pos, "unterminated string");
			return -1;
		}
		switch (r->s[i + 1]) {
		case '/': /* allowed escaped, never written so */
			ck_buf_putc(&r->tmp, '/');
			break;
		case '"':
		case '\\':
		case 'b':
		case 'f':
		case 'n':
		case 'r':
		case 't':
			ck_buf_putc(&r->tmp, unescape(r->s[i + 1]));
			break;
		case 'u':
			if (i + 6 > r->len || hex4(r->s + i + 2, &cp) < 0) {
				fail_at(r, i, "invalid \\u escape");
				return -1;
			}
			if (cp >= 0xDC00 && cp <= 0xDFFF) {
				fail_at(r, i, "unpaired surrogate \\u%04lX",
				        cp);
				return -1;
			}
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (i + 12 > r->len || r->s[i + 6] != '\\' ||
				    r->s[i + 7] != 'u' ||
				    hex4(r->s + i + 8, &lo) < 0 ||
				    lo < 0xDC00 || lo > 0xDFFF) {
					fail_at(r, i,
					        "unpaired surrogate \\u%04lX",
					        cp);
					return -1;
				}
				cp = 0x10000 + ((cp - 0xD800) << 10) +
				     (lo - 0xDC00);
				i += 6;
			}
			put_utf8(&r->tmp, cp);
			i += 4;
			break;
		default:
			fail_at(r, i, "invalid escape '\\%c'",
			        u[i + 1] >= 0x20 && u[i + 1] < 0x7F ? u[i + 1]
			                                            : '?');
			return -1;
		}
		i += 2;
		start = i;
	}
	if (escaped) {
		ck_buf_put(&r->tmp, r->s + start, i - start);
		*out = r->tmp.ptr;
		*outlen = r->tmp.size;
	} else {
		*out = r->s + start;
		*outlen = i - start;
	}
	r->pos = i + 1;
	return 0;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static ck_value *
read_number(reader *r)
{
	size_t i = r->pos, start = r->pos;
	bool integral = true;
	long long ll;
	double d;
	char *end;

	if (i < r->len && r->s[i] == '-')
		i++;
	if (i >= r->len || !is_digit(r->s[i])) {
		fail_at(r, start, "invalid number");
		return NULL;
	}
	if (r->s[i] == '0') {
		i++;
	} else {
		while (i < r->len && is_digit(r->s[i]))
			i++;
	}
	if (i < r->len && r->s[i] == '.') {
		integral = false;
		i++;
		if (i >= r->len || !is_digit(r->s[i])) {
			fail_at(r, start, "invalid number");
			return NULL;
		}
		while (i < r->len && is_digit(r->s[i]))
			i++;
	}
	if (i < r->len && (r->s[i] == 'e' || r->s[i] == 'E')) {
		integral = false;
		i++;
		if (i < r->len && (r->s[i] == '+' || r->s[i] == '-'))
			i++;
		if (i >= r->len || !is_digit(r->s[i])) {
			fail_at(r, start, "invalid number");
			return NULL;
		}
		while (i < r->len && is_digit(r->s[i]))
			i++;
	}
	/* The source need not be NUL-terminated: convert a copy. */
	ck_buf_clear(&r->tmp);
	ck_buf_put(&r->tmp, r->s + start, i - start);
	r->pos = i;
	if (integral) {
		errno = 0;
		ll = strtoll(r->tmp.ptr, &end, 10);
		if (errno == 0)
			return ck_value_int(r->a, ll);
	}
	d = c_strtod(r->tmp.ptr, &end);
	if (!isfinite(d)) {
		fail_at(r, start, "number out of range");
		return NULL;
	}
	return ck_value_real(r->a, d);
}

static bool
match_word(reader *r, const char *w)
{
	size_t n = strlen(w);

	if (r->len - r->pos < n || memcmp(r->s + r->pos, w, n) != 0)
		return false;
	r->pos += n;
	return true;
}

static ck_value *read_value(reader *r);

static ck_value *
read_list(reader *r)
{
	ck_value *list = ck_value_list(r->a), *item;

	r->pos++; /* [ */
	skip_ws(r);
	if (r->pos < r->len && r->s[r->pos] == ']') {
		r->pos++;
		return list;
	}
	for (;;) {
		item = read_value(r);
		if (item == NULL)
			return NULL;
		ck_value_push(list, item);
		skip_ws(r);
		if (r->pos < r->len && r->s[r->pos] == ',') {
			r->pos++;
			continue;
		}
		if (r->pos < r->len && r->s[r->pos] == ']') {
			r->pos++;
			return list;
		}
		if (r->pos >= r->len)
			fail_at(r, r->pos, "unexpected end of input");
		else
			fail_at(r, r->pos, "expected ',' or ']'");
		return NULL;
	}
}

static ck_value *
read_map(reader *r)
{
	ck_value *map = ck_value_map(r->a), *val;
	const char *s;
	size_t len;
	char *key;

	r->pos++; /* { */
	skip_ws(r);
	if (r->pos < r->len && r->s[r->pos] == '}') {
		r->pos++;
		return map;
	}
	for (;;) {
		if (r->pos >= r->len || r->s[r->pos] != '"') {
			if (r->pos >= r->len)
				fail_at(r, r->pos, "unexpected end of input");
			else
				fail_at(r, r->pos, "expected a string key");
			return NULL;
		}
		if (read_string(r, &s, &len) < 0)
			return NULL;
		/* The value may reuse r->tmp, so the key is copied first. */
		key = ck_arena_strndup(r->a, s, len);
		skip_ws(r);
		if (r->pos >= r->len || r->s[r->pos] != ':') {
			if (r->pos >= r->len)
				fail_at(r, r->pos, "unexpected end of input");
			else
				fail_at(r, r->pos, "expected ':'");
			return NULL;
		}
		r->pos++;
		val = read_value(r);
		if (val == NULL)
			return NULL;
		/* A repeated key keeps its first place and its last value. */
		ck_value_set(map, key, val);
		skip_ws(r);
		if (r->pos < r->len && r->s[r->pos] == ',') {
			r->pos++;
			skip_ws(r);
			continue;
		}
		if (r->pos < r->len && r->s[r->pos] == '}') {
			r->pos++;
			return map;
		}
		if (r->pos >= r->len)
			fail_at(r, r->pos, "unexpected end of input");
		else
			fail_at(r, r->pos, "expected ',' or '}'");
		return NULL;
	}
}

static ck_value *
read_value(reader *r)
{
	ck_value *v = NULL;
	const char *s;
	size_t len;

	skip_ws(r);
	if (r->pos >= r->len) {
		fail_at(r, r->pos, "unexpected end of input");
		return NULL;
	}
	if (++r->depth > CK_JSON_MAX_DEPTH) {
		fail_at(r, r->pos, "nesting deeper than %d levels",
		        CK_JSON_MAX_DEPTH);
		return NULL;
	}
	switch (r->s[r->pos]) {
	case '{':
		v = read_map(r);
		break;
	case '[':
		v = read_list(r);
		break;
	case '"':
		if (read_string(r, &s, &len) == 0)
			v = ck_value_strn(r->a, s, len);
		break;
	case 't':
		if (match_word(r, "true"))
			v = ck_value_bool(r->a, true);
		else
			fail_at(r, r->pos, "invalid literal");
		break;
	case 'f':
		if (match_word(r, "false"))
			v = ck_value_bool(r->a, false);
		else
			fail_at(r, r->pos, "invalid literal");
		break;
	case 'n':
		if (match_word(r, "null"))
			v = ck_value_null(r->a);
		else
			fail_at(r, r->pos, "invalid literal");
		break;
	default:
		if (r->s[r->pos] == '-' || is_digit(r->s[r->pos]))
			v = read_number(r);
		else
			fail_unexpected(r);
	}
	r->depth--;
	return v;
}

int
ck_json_parse(ck_value **out, ck_arena *a, const char *s, size_t len,
              ck_buf *err)
{
	reader r = {0};
	ck_value *v;

	*out = NULL;
	r.s = s;
	r.len = len;
	r.a = a;
	r.err = err;
	ck_buf_init(&r.tmp);
	/* RFC 8259 lets a parser ignore a byte-order mark; editors add one. */
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		r.pos = 3;
	v = read_value(&r);
	if (v != NULL) {
		skip_ws(&r);
		if (r.pos < r.len) {
			fail_at(&r, r.pos, "unexpected data after the value");
			v = NULL;
		}
	}
	ck_buf_free(&r.tmp);
	if (v == NULL)
		return -1;
	*out = v;
	return 0;
}
