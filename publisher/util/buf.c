#include "buf.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

char ck_buf__empty[1];

size_t
ck_u64_decimal(char out[20], uint64_t v)
{
	char tmp[20];
	size_t n = 0, i;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

void
ck_buf_init(ck_buf *b)
{
	b->ptr = ck_buf__empty;
	b->size = 0;
	b->asize = 0;
}

void
ck_buf_grow(ck_buf *b, size_t extra)
{
	size_t need, nsize;
	char *p;

	if (extra > ((size_t)-1) / 2 - b->size)
		errx(3, "buffer too large");
	need = b->size + extra + 1;
	if (need <= b->asize)
		return;
	nsize = b->asize ? b->asize : 64;
	while (nsize < need)
		nsize += nsize / 2;
	p = realloc(b->asize ? b->ptr : NULL, nsize);
	if (p == NULL)
		err(3, "realloc");
	if (b->asize == 0)
		p[0] = '\0';
	b->ptr = p;
	b->asize = nsize;
}

void
ck_buf_put(ck_buf *b, const void *data, size_t len)
{
	if (len == 0)
		return;
	ck_buf_grow(b, len);
	memmove(b->ptr + b->size, data, len);
	b->size += len;
	b->ptr[b->size] = '\0';
}

void
ck_buf_puts(ck_buf *b, const char *s)
{
	ck_buf_put(b, s, strlen(s));
}

void
ck_buf_vprintf(ck_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	/* Formatted once where it fits (most do), again after growing. */
	ck_buf_grow(b, 64);
	va_copy(cp, ap);
	n = vsnprintf(b->ptr + b->size, b->asize - b->size, fmt, cp);
	va_end(cp);
	if (n < 0)
		errx(3, "vsnprintf");
	if ((size_t)n >= b->asize - b->size) {
		ck_buf_grow(b, (size_t)n);
		vsnprintf(b->ptr + b->size, (size_t)n + 1, fmt, ap);
	}
	b->size += (size_t)n;
}

void
ck_buf_printf(ck_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ck_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* The escape of each byte that HTML text or an attribute needs escaped. */
static const char *const html_escape[256] = {
    ['&'] = "&amp;", ['<'] = "&lt;",    ['>'] = "&gt;",
    ['"'] = "&quot;", ['\''] = "&#39;",
};

#define BYTES_1 0x0101010101010101ULL
#define BYTES_80 0x8080808080808080ULL

/* Non-zero when one of the 8 bytes of w is c. */
static inline uint64_t
has_byte(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (BYTES_1 * c);

	return (x - BYTES_1) & ~x & BYTES_80;
}

void
ck_buf_put_html(ck_buf *b, const char *s, size_t len)
{
	size_t i = 0, end, start = 0;
	const char *rep;
	uint64_t w;

	/*
	 * Most text has nothing to escape: it is looked at eight bytes at a
	 * time and copied at once; a word holding a special byte, byte by
	 * byte (pages are the build's main work).
	 */
	while (i < len) {
		if (i + 8 <= len) {
			memcpy(&w, s + i, 8);
			if (!(has_byte(w, '&') | has_byte(w, '<') |
			      has_byte(w, '>') | has_byte(w, '"') |
			      has_byte(w, '\''))) {
				i += 8;
				continue;
			}
		}
		for (end = i + 8 < len ? i + 8 : len; i < end; i++) {
			if ((rep = html_escape[(unsigned char)s[i]]) == NULL)
				continue;
			ck_buf_put(b, s + start, i - start);
			ck_buf_puts(b, rep);
			start = i + 1;
		}
	}
	ck_buf_put(b, s + start, len - start);
}

void
ck_buf_truncate(ck_buf *b, size_t len)
{
	if (len >= b->size)
		return;
	b->size = len;
	b->ptr[len] = '\0';
}

void
ck_buf_clear(ck_buf *b)
{
	ck_buf_truncate(b, 0);
}

char *
ck_buf_detach(ck_buf *b)
{
	char *p;

	if (b->asize == 0) {
		p = strdup("");
		if (p == NULL)
			err(3, "strdup");
		return p;
	}
	p = b->ptr;
	ck_buf_init(b);
	return p;
}

void
ck_buf_free(ck_buf *b)
{
	if (b == NULL)
		return;
	if (b->asize)
		free(b->ptr);
	ck_buf_init(b);
}

int
ck_buf_equal(const ck_buf *a, const ck_buf *b)
{
	return a->size == b->size && memcmp(a->ptr, b->ptr, a->size) == 0;
}
