/*
 * Fuzz target for markdown.c and text.c: arbitrary bytes through the UTF-8
 * check, NFC, the personal-data scan (of the source and of the published
 * text), the answer split and both renderers.
 * Besides crashes it aborts when the HTML holds a tag, attribute or URL
 * that could run script, when an offset breaks its contract, or when the
 * shortcuts for plain prose (its HTML and text, the answer's heading) give
 * other results than cmark.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "arena.h"
#include "buf.h"
#include "markdown.h"
#include "text.h"

#define ASSERT(cond)                                                           \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: assertion failed: %s\n",       \
			        __FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                              \
	} while (0)

static bool
in_list(const char *s, size_t len, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == len && memcmp(*list, s, len) == 0)
			return true;
	return false;
}

/* Whether a decoded href/src value would be run or loaded as a document. */
static bool
dangerous_url(const char *v)
{
	static const char *const bad[] = {
	    "javascript:", "vbscript:", "file:", "data:", NULL};
	static const char *const images[] = {"data:image/png", "data:image/gif",
	                                     "data:image/jpeg",
	                                     "data:image/webp", NULL};
	const char *const *p;

	for (p = bad; *p != NULL; p++)
		if (strncasecmp(v, *p, strlen(*p)) == 0)
			break;
	if (*p == NULL)
		return false;
	for (p = images; *p != NULL; p++)
		if (strncasecmp(v, *p, strlen(*p)) == 0)
			return false;
	return true;
}

/* The attribute value v[0..n) as a browser reads it; NULL if unexpected. */
static char *
decode_attr(const char *v, size_t n)
{
	static const char *const ents[][2] = {{"&amp;", "&"},
	                                      {"&#x27;", "'"},
	                                      {"&quot;", "\""},
	                                      {"&lt;", "<"},
	                                      {"&gt;", ">"}};
	char *out = malloc(n + 1), *o = out;
	size_t i = 0, k;

	ASSERT(out != NULL);
	while (i < n) {
		if ((unsigned char)v[i] <= ' ') {
			/* Browsers strip these from URLs: cmark must escape. */
			free(out);
			return NULL;
		}
		if (v[i] != '&') {
			*o++ = v[i++];
			continue;
		}
		for (k = 0; k < sizeof(ents) / sizeof(*ents); k++)
			if (strncmp(v + i, ents[k][0], strlen(ents[k][0])) == 0)
				break;
		if (k == sizeof(ents) / sizeof(*ents)) {
			free(out);
			return NULL;
		}
		*o++ = ents[k][1][0];
		i += strlen(ents[k][0]);
	}
	*o = '\0';
	return out;
}

/*
 * Every '<' in safe output opens a tag cmark-gfm writes itself (text is
 * escaped, raw HTML is omitted), with only its own attributes.
 */
static void
check_html(const char *h)
{
	static const char *const tags[] = {
	    "p",     "h1", "h2",     "h3",  "h4",   "h5",         "h6",
	    "ul",    "ol", "li",     "pre", "code", "blockquote", "hr",
	    "br",    "em", "strong", "a",   "img",  "table",      "thead",
	    "tbody", "tr", "th",     "td",  "del",  NULL};
	static const char *const attrs[] = {"href",  "title", "src",   "alt",
	                                    "align", "start", "class", NULL};
	static const char omitted[] = "<!-- raw HTML omitted -->";
	const char *p = h;

	while ((p = strchr(p, '<')) != NULL) {
		const char *name;
		size_t n;

		if (strncmp(p, omitted, sizeof(omitted) - 1) == 0) {
			p += sizeof(omitted) - 1;
			continue;
		}
		p++;
		if (*p == '/')
			p++;
		name = p;
		while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			p++;
		ASSERT(in_list(name, (size_t)(p - name), tags));
		for (;;) {
			const char *aname, *val;
			bool url;

			while (*p == ' ')
				p++;
			if (*p == '>' || (p[0] == '/' && p[1] == '>'))
				break;
			aname = p;
			while (*p >= 'a' && *p <= 'z')
				p++;
			n = (size_t)(p - aname);
			ASSERT(in_list(aname, n, attrs));
			url = (n == 4 && memcmp(aname, "href", 4) == 0) ||
			      (n == 3 && memcmp(aname, "src", 3) == 0);
			ASSERT(p[0] == '=' && p[1] == '"');
			val = p + 2;
			p = strchr(val, '"');
			ASSERT(p != NULL);
			if (url) {
				char *v = decode_attr(val, (size_t)(p - val));

				ASSERT(v != NULL);
				ASSERT(!dangerous_url(v));
				free(v);
			}
			p++;
		}
	}
}

static void
check_split(const char *md, size_t len)
{
	size_t q = 0, a = 0, q2 = 0, a2 = 0;
	unsigned hl = 0, hl2 = 0, line = 1, col = 1;
	int found = ck_md_split_answer(md, len, &q, &a, &hl);

	/* Found in prose without cmark, or through it: the same split. */
	ASSERT(found == ck_md_split_answer_parsed(md, len, &q2, &a2, &hl2));
	if (!found)
		return;
	ASSERT(q == q2 && a == a2 && hl == hl2);
	ASSERT(q < a && a <= len);
	ASSERT(hl >= 1);
	ck_text_advance(md, q, &line, &col);
	ASSERT(line == hl && col == 1);
	ASSERT(a == len || md[a - 1] == '\n' || md[a - 1] == '\r');
}

static void
check_pd(const char *s, size_t len)
{
	size_t from = 0, start, end;
	ck_pd_kind k;

	while ((k = ck_pd_find(s, len, from, &start, &end)) != CK_PD_NONE) {
		ASSERT(k >= CK_PD_PHONE && k <= CK_PD_EMAIL);
		ASSERT(from <= start && start < end && end <= len);
		ASSERT(strcmp(ck_pd_name(k), "personal data") != 0);
		from = end;
	}
}

/*
 * The published text: one source offset per byte, each inside md, and the
 * detector's canonical value never empty.
 */
static void
check_published(const char *md, size_t len)
{
	ck_buf text = CK_BUF_INIT, offsets = CK_BUF_INIT, value = CK_BUF_INIT;
	const size_t *off;
	size_t i, from = 0, start, end;

	ck_md_published(&text, &offsets, md, len);
	ASSERT(offsets.size == text.size * sizeof(size_t));
	off = (const size_t *)(const void *)offsets.ptr;
	for (i = 0; i < text.size; i++)
		ASSERT(off[i] < len);
	while (ck_pd_match(&value, text.ptr, text.size, from, &start, &end) !=
	       CK_PD_NONE) {
		ASSERT(from <= start && start < end && end <= text.size);
		ASSERT(value.size > 0);
		ck_buf_clear(&value);
		from = end;
	}
	ck_buf_free(&text);
	ck_buf_free(&offsets);
	ck_buf_free(&value);
}

/* utf8proc as the reference decoder: both must agree on validity. */
static void
check_utf8(const char *s, size_t len, int ok, size_t bad)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t c;
	size_t i = 0;

	while (i < len) {
		utf8proc_ssize_t k =
		    utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &c);

		if (k < 0)
			break;
		i += (size_t)k;
	}
	ASSERT((i == len) == (ok == 0));
	if (ok != 0)
		ASSERT(bad == i);
}

/*
 * Plain prose is rendered without cmark (markdown.c is_prose): whatever
 * the input, both ways give the same HTML and text.
 */
static void
check_prose_shortcut(const char *s, size_t size)
{
	ck_buf h1 = CK_BUF_INIT, t1 = CK_BUF_INIT, h2 = CK_BUF_INIT,
	       t2 = CK_BUF_INIT;

	ck_md_html_text(&h1, &t1, s, size);
	ck_md_html_text_parsed(&h2, &t2, s, size);
	ASSERT(h1.size == h2.size && memcmp(h1.ptr, h2.ptr, h1.size) == 0);
	ASSERT(t1.size == t2.size && memcmp(t1.ptr, t2.ptr, t1.size) == 0);
	ck_buf_free(&h1);
	ck_buf_free(&t1);
	ck_buf_free(&h2);
	ck_buf_free(&t2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	static const char *const cands[] = {"received", "hamlet", "na-mo",
	                                    "Thôn Nà Mò"};
	ck_buf b = CK_BUF_INIT, nfc = CK_BUF_INIT;
	ck_arena *a;
	size_t bad = 0;
	int ok = ck_utf8_check(s, size, &bad);

	check_utf8(s, size, ok, bad);
	if (ok != 0)
		return 0;

	ck_text_nfc(&nfc, s, size);
	ASSERT(ck_utf8_check(nfc.ptr, nfc.size, NULL) == 0);
	a = ck_arena_new();
	ck_text_fold(a, s, size);
	ck_arena_free(a);
	if (size < 200 && memchr(s, '\0', size) == NULL)
		ck_suggest(nfc.ptr, cands, sizeof(cands) / sizeof(*cands));

	check_pd(s, size);
	check_published(s, size);
	check_split(s, size);

	ck_md_html(&b, s, size);
	ASSERT(ck_utf8_check(b.ptr, b.size, NULL) == 0);
	check_html(b.ptr);
	ck_buf_clear(&b);
	ck_md_text(&b, s, size);
	ASSERT(b.size == 0 ||
	       (b.ptr[b.size - 1] != '\n' && b.ptr[b.size - 1] != ' '));
	check_prose_shortcut(s, size);

	ck_buf_free(&b);
	ck_buf_free(&nfc);
	return 0;
}
