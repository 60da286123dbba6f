/*
 * ck_buf: the one growable string buffer of congkhai.
 *
 * Invariants (after CK_BUF_INIT or ck_buf_init, and after every call here):
 *   - ptr is never NULL: an empty buffer points at a shared static "";
 *   - ptr[size] == '\0', so ptr is always a C string (it may hold NULs
 *     earlier when binary data was put in);
 *   - asize == 0 means ptr is the shared static "" and must not be written;
 *     otherwise size < asize and ptr is owned by the buffer.
 * Running out of memory is fatal (err(3)): congkhai is a batch tool and
 * has nothing sensible to do without memory.
 */
#ifndef CK_BUF_H
#define CK_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	char *ptr;
	size_t size;
	size_t asize;
} ck_buf;

extern char ck_buf__empty[];
#define CK_BUF_INIT {ck_buf__empty, 0, 0}

void ck_buf_init(ck_buf *b);
/* Make room for at least `extra` more bytes (plus the NUL). */
void ck_buf_grow(ck_buf *b, size_t extra);
void ck_buf_put(ck_buf *b, const void *data, size_t len);
void ck_buf_puts(ck_buf *b, const char *s);
/* One byte; inline: excerpts and escapes put text a byte at a time. */
static inline void
ck_buf_putc(ck_buf *b, int c)
{
	if (b->size + 2 > b->asize) /* also: asize 0, the shared "" */
		ck_buf_grow(b, 1);
	b->ptr[b->size++] = (char)c;
	b->ptr[b->size] = '\0';
}
void ck_buf_printf(ck_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ck_buf_vprintf(ck_buf *b, const char *fmt, va_list ap);
/*
 * Writes v in decimal at out (at most 20 digits, no NUL) and returns how
 * many: for the lines of manifests and caches, written by the hundred
 * thousand, without printf.
 */
size_t ck_u64_decimal(char out[20], uint64_t v);
/* Append with HTML escaping of & < > " '. */
void ck_buf_put_html(ck_buf *b, const char *s, size_t len);
void ck_buf_truncate(ck_buf *b, size_t len);
void ck_buf_clear(ck_buf *b);
/* Returns the malloc'd string (caller frees); the buffer is reset to empty. */
char *ck_buf_detach(ck_buf *b);
/* Frees the storage; the buffer is left empty and reusable. */
void ck_buf_free(ck_buf *b);
int ck_buf_equal(const ck_buf *a, const ck_buf *b);

#endif
