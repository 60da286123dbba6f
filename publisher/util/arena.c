#include "arena.h"

#include <err.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CK_ARENA_CHUNK (64 * 1024)
/* Enough for every type congkhai keeps in an arena (no long double). */
#define CK_ALIGN 8

struct chunk {
	struct chunk *next;
	size_t size;
	size_t used;
	/* data follows, aligned */
	_Alignas(16) unsigned char data[];
};

struct ck_arena {
	struct chunk *head;
};

ck_arena *
ck_arena_new(void)
{
	ck_arena *a = calloc(1, sizeof(*a));

	if (a == NULL)
		err(3, "calloc");
	return a;
}

void
ck_arena_free(ck_arena *a)
{
	struct chunk *c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

void
ck_arena_adopt(ck_arena *into, ck_arena *from)
{
	struct chunk *tail;

	if (from == NULL)
		return;
	if (from->head != NULL) {
		for (tail = from->head; tail->next != NULL; tail = tail->next)
			;
		if (into->head == NULL) {
			into->head = from->head;
		} else {
			/* Behind into's head, which stays the one in use. */
			tail->next = into->head->next;
			into->head->next = from->head;
		}
	}
	free(from);
}

void
ck_arena_reset(ck_arena *a)
{
	struct chunk *c, *next;

	if (a == NULL || a->head == NULL)
		return;
	/* The head chunk is kept; big blocks (after it) and older go. */
	for (c = a->head->next; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head->next = NULL;
	a->head->used = 0;
}

/*
 * size bytes at a multiple of align (a power of two, at most CK_ALIGN), not
 * zeroed. Strings take align 1: a build holds millions of short ones.
 */
static void *
alloc_raw(ck_arena *a, size_t size, size_t align)
{
	struct chunk *c = a->head;
	size_t csize, at = 0;
	void *p;

	if (size == 0)
		size = 1;
	if (c != NULL)
		at = (c->used + align - 1) & ~(align - 1);
	if (c == NULL || at > c->size || c->size - at < size) {
		csize = size > CK_ARENA_CHUNK / 4 ? size : CK_ARENA_CHUNK;
		c = malloc(sizeof(*c) + csize);
		if (c == NULL)
			err(3, "malloc");
		c->size = csize;
		c->used = 0;
		at = 0;
		if (size > CK_ARENA_CHUNK / 4 && a->head != NULL) {
			/* Big block: keep the current chunk as the head. */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = c->data + at;
	c->used = at + size;
	return p;
}

static void *
alloc_aligned(ck_arena *a, size_t size, size_t align)
{
	void *p = alloc_raw(a, size, align);

	memset(p, 0, size ? size : 1);
	return p;
}

void *
ck_arena_alloc(ck_arena *a, size_t size)
{
	return alloc_aligned(a, size, CK_ALIGN);
}

char *
ck_arena_strndup(ck_arena *a, const char *s, size_t len)
{
	char *p = alloc_raw(a, len + 1, 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
ck_arena_strdup(ck_arena *a, const char *s)
{
	return ck_arena_strndup(a, s, strlen(s));
}

char *
ck_arena_printf(ck_arena *a, const char *fmt, ...)
{
	struct chunk *c = a->head;
	va_list ap;
	size_t room = c != NULL ? c->size - c->used : 0;
	int n;
	char *p;

	/* Formatted once, in place, when it fits the chunk in use. */
	va_start(ap, fmt);
	n = vsnprintf(room ? (char *)c->data + c->used : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		errx(3, "vsnprintf");
	if ((size_t)n < room) {
		p = (char *)c->data + c->used;
		c->used += (size_t)n + 1;
		return p;
	}
	p = alloc_raw(a, (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

char *
ck_arena_cat(ck_arena *a, ...)
{
	va_list ap;
	const char *part;
	size_t len = 0, n;
	char *p, *at;

	va_start(ap, a);
	while ((part = va_arg(ap, const char *)) != NULL)
		len += strlen(part);
	va_end(ap);
	at = p = alloc_raw(a, len + 1, 1);
	va_start(ap, a);
	while ((part = va_arg(ap, const char *)) != NULL) {
		n = strlen(part);
		memcpy(at, part, n);
		at += n;
	}
	va_end(ap);
	*at = '\0';
	return p;
}

void
ck_ptrvec_push(ck_arena *a, ck_ptrvec *v, void *item)
{
	void **n;

	if (v->len == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		n = ck_arena_alloc(a, v->cap * sizeof(*n));
		if (v->len)
			memcpy(n, v->items, v->len * sizeof(*n));
		v->items = n;
	}
	v->items[v->len++] = item;
}
