#include "strsort.h"

#include <err.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* An item's key and where the item was. */
typedef struct {
	const unsigned char *key;
	size_t at;
} skey;

/* A part of the key array still to sort, equal before byte depth. */
typedef struct {
	skey *a;
	size_t n, depth;
} task;

/* Below this many, insertion sort (strcmp past the shared depth). */
#define SMALL 12

static const char *
key_of(const void *base, size_t size, size_t i)
{
	return *(const char *const *)((const char *)base + i * size);
}

static void
swap(skey *a, skey *b)
{
	skey t = *a;

	*a = *b;
	*b = t;
}

static void
insertion(skey *a, size_t n, size_t depth)
{
	size_t i, j;
	skey t;

	for (i = 1; i < n; i++) {
		t = a[i];
		for (j = i; j > 0 && strcmp((const char *)a[j - 1].key + depth,
		                            (const char *)t.key + depth) > 0;
		     j--)
			a[j] = a[j - 1];
		a[j] = t;
	}
}

static unsigned
median3(unsigned x, unsigned y, unsigned z)
{
	if (x < y)
		return y < z ? y : (x < z ? z : x);
	return x < z ? x : (y < z ? z : y);
}

/* A growable stack of tasks: no recursion, however deep the keys. */
typedef struct {
	task *v;
	size_t len, cap;
} stack;

static void
push(stack *s, skey *a, size_t n, size_t depth)
{
	if (n < 2)
		return;
	if (s->len == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (s->v == NULL)
			err(3, "realloc");
	}
	s->v[s->len].a = a;
	s->v[s->len].n = n;
	s->v[s->len].depth = depth;
	s->len++;
}

static void
sort_keys(skey *keys, size_t count)
{
	stack s = {NULL, 0, 0};
	task t;
	size_t lt, i, gt;
	unsigned p, c;

	push(&s, keys, count, 0);
	while (s.len > 0) {
		t = s.v[--s.len];
		if (t.n < SMALL) {
			insertion(t.a, t.n, t.depth);
			continue;
		}
		p = median3(t.a[0].key[t.depth], t.a[t.n / 2].key[t.depth],
		            t.a[t.n - 1].key[t.depth]);
		/* [0, lt) below p, [lt, i) equal, [gt, n) above. */
		lt = i = 0;
		gt = t.n;
		while (i < gt) {
			c = t.a[i].key[t.depth];
			if (c < p)
				swap(&t.a[lt++], &t.a[i++]);
			else if (c > p)
				swap(&t.a[i], &t.a[--gt]);
			else
				i++;
		}
		push(&s, t.a, lt, t.depth);
		push(&s, t.a + gt, t.n - gt, t.depth);
		/* Equal at this byte: the next one decides, unless it was the
		 * end of them all. */
		if (p != 0)
			push(&s, t.a + lt, gt - lt, t.depth + 1);
	}
	free(s.v);
}

void
ck_strsort(void *base, size_t n, size_t size)
{
	skey *keys;
	unsigned char *items = base, *hold;
	size_t i, j, next;

	for (i = 1; i < n; i++)
		if (strcmp(key_of(base, size, i - 1), key_of(base, size, i)) >
		    0)
			break;
	if (i >= n)
		return; /* sorted already (a manifest read back) */
	keys = malloc(n * sizeof(*keys));
	hold = malloc(size);
	if (keys == NULL || hold == NULL)
		err(3, "malloc");
	for (i = 0; i < n; i++) {
		keys[i].key = (const unsigned char *)key_of(base, size, i);
		keys[i].at = i;
	}
	sort_keys(keys, n);
	/*
	 * Item keys[k].at goes to k: each cycle of that permutation is
	 * followed once, an item at a time, through one item's room.
	 */
	for (i = 0; i < n; i++) {
		if (keys[i].at == i)
			continue;
		memcpy(hold, items + i * size, size);
		j = i;
		while (keys[j].at != i) {
			next = keys[j].at;
			memcpy(items + j * size, items + next * size, size);
			keys[j].at = j;
			j = next;
		}
		memcpy(items + j * size, hold, size);
		keys[j].at = j;
	}
	free(hold);
	free(keys);
}
