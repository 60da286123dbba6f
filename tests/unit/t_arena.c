/*
 * Arenas (arena.c): what a worker made in an arena of its own lives on in
 * the arena that adopts it, next to what that arena goes on making, and
 * dies with it (the sanitizer build finds a block freed twice or lost).
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "harness.h"

/* n strings "<tag>-<i>" in a, their pointers in out. */
static void
fill(ck_arena *a, char **out, size_t n, const char *tag)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = ck_arena_printf(a, "%s-%zu", tag, i);
}

static int
intact(char **v, size_t n, const char *tag)
{
	char want[64];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "%s-%zu", tag, i);
		if (strcmp(v[i], want) != 0)
			return 0;
	}
	return 1;
}

static void
test_adopt(void)
{
	/* Enough for several chunks, and a block bigger than a chunk. */
	static char *mine[20000], *theirs[20000], *after[20000];
	ck_arena *into = ck_arena_new(), *from = ck_arena_new(), *empty;
	unsigned char *big;

	fill(into, mine, 20000, "into");
	fill(from, theirs, 20000, "from");
	big = ck_arena_alloc(from, 1 << 20);
	memset(big, 0xab, 1 << 20);
	ck_arena_adopt(into, from);
	fill(into, after, 20000, "after");
	CHECK(intact(mine, 20000, "into"));
	CHECK(intact(theirs, 20000, "from"));
	CHECK(intact(after, 20000, "after"));
	CHECK(big[0] == 0xab && big[(1 << 20) - 1] == 0xab);

	/* Into an arena that has made nothing yet; an empty one; NULL. */
	empty = ck_arena_new();
	from = ck_arena_new();
	fill(from, theirs, 100, "late");
	ck_arena_adopt(empty, from);
	ck_arena_adopt(empty, ck_arena_new());
	ck_arena_adopt(empty, NULL);
	fill(empty, after, 100, "more");
	CHECK(intact(theirs, 100, "late"));
	CHECK(intact(after, 100, "more"));
	ck_arena_free(empty);
	ck_arena_free(into);
}

/*
 * ck_arena_printf formats in place when the string fits what is left of
 * the chunk in use, else in a new chunk (or a block of its own): strings
 * of every length up to past a chunk, and the ones before them, intact.
 */
static void
test_printf_sizes(void)
{
	static char fill_a[200001];
	ck_arena *a = ck_arena_new();
	char *prev[600];
	size_t lens[600], i, n = 0, len, ok = 1;

	memset(fill_a, 'a', sizeof(fill_a) - 1);
	for (len = 0; len < 70000 && n < 600; len = len * 3 / 2 + 7) {
		for (i = 0; i < 20 && n < 600; i++, n++) {
			lens[n] = len;
			prev[n] = ck_arena_printf(a, "%.*s|%zu", (int)len,
			                          fill_a, n);
		}
	}
	prev[n] = ck_arena_printf(a, "%s", fill_a);
	lens[n] = sizeof(fill_a) - 1;
	for (i = 0; i < n; i++) {
		char tail[32];
		size_t tl = (size_t)snprintf(tail, sizeof(tail), "|%zu", i);

		if (strlen(prev[i]) != lens[i] + tl ||
		    strspn(prev[i], "a") != lens[i] ||
		    strcmp(prev[i] + lens[i], tail) != 0)
			ok = 0;
	}
	CHECK(ok);
	CHECK(strlen(prev[n]) == lens[n] && strspn(prev[n], "a") == lens[n]);
	/* An empty string is still a string of its own. */
	CHECK(ck_arena_printf(a, "%s", "")[0] == '\0');
	ck_arena_free(a);
}

/* ck_arena_cat joins its parts, any of them empty, up to a block's size. */
static void
test_cat(void)
{
	static char big[100001];
	ck_arena *a = ck_arena_new();
	char *p;

	CHECK_STR(ck_arena_cat(a, "doi-thoai/", "x", "/", "001", "/index.html",
	                       (char *)NULL),
	          "doi-thoai/x/001/index.html");
	CHECK_STR(ck_arena_cat(a, "", "a", "", (char *)NULL), "a");
	CHECK_STR(ck_arena_cat(a, (char *)NULL), "");
	memset(big, 'b', sizeof(big) - 1);
	p = ck_arena_cat(a, "<", big, ">", (char *)NULL);
	CHECK(strlen(p) == sizeof(big) + 1 && p[0] == '<' &&
	      strspn(p + 1, "b") == sizeof(big) - 1 && p[sizeof(big)] == '>');
	ck_arena_free(a);
}

int
main(void)
{
	test_adopt();
	test_printf_sizes();
	test_cat();
	return ck_t_done("t_arena");
}
