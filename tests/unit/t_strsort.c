/* ck_strsort (strsort.h): the order qsort(3) and strcmp(3) give. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "strsort.h"

/* An item as the callers have them: the key first, then more. */
typedef struct {
	const char *key;
	int payload;
	char pad[13];
} item;

static int
cmp_item(const void *a, const void *b)
{
	return strcmp(((const item *)a)->key, ((const item *)b)->key);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Sorts the n keys with ck_strsort and with qsort and compares: the keys
 * in the same order, and each item's payload still the one that came
 * with its key. Returns the number of differences.
 */
static size_t
differences(char **keys, size_t n)
{
	item *a = calloc(n ? n : 1, sizeof(*a));
	item *b = calloc(n ? n : 1, sizeof(*b));
	size_t i, bad = 0;

	for (i = 0; i < n; i++) {
		a[i].key = b[i].key = keys[i];
		a[i].payload = b[i].payload = (int)i;
		memset(a[i].pad, (int)(i & 0x7f), sizeof(a[i].pad));
	}
	ck_strsort(a, n, sizeof(*a));
	if (n > 1)
		qsort(b, n, sizeof(*b), cmp_item);
	for (i = 0; i < n; i++) {
		bad += strcmp(a[i].key, b[i].key) != 0;
		bad += strcmp(a[i].key, keys[a[i].payload]) != 0;
		bad += a[i].pad[5] != (char)(a[i].payload & 0x7f);
	}
	free(a);
	free(b);
	return bad;
}

static void
free_keys(char **keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
}

/* Paths like a province's, in an order like a build's; then sorted
 * already, and backwards. */
static void
test_paths(void)
{
	size_t n = 0, d, q, i;
	char **keys = malloc(20000 * sizeof(*keys)), *t;
	char buf[128];

	for (d = 0; d < 40; d++)
		for (q = 0; q < 250; q++) {
			snprintf(buf, sizeof(buf),
			         "doi-thoai/doi-thoai-%05zu/cau-hoi/%04zu/"
			         "index.html",
			         (d * 7919) % 40, q);
			keys[n++] = strdup(buf);
			snprintf(buf, sizeof(buf),
			         "chu-de/t%zu/trang-%zu/index.html", q % 9,
			         d * 250 + q);
			keys[n++] = strdup(buf);
		}
	CHECK_INT(differences(keys, n), 0);
	qsort(keys, n, sizeof(*keys), cmp_str);
	CHECK_INT(differences(keys, n), 0);
	for (i = 0; i < n / 2; i++) {
		t = keys[i];
		keys[i] = keys[n - 1 - i];
		keys[n - 1 - i] = t;
	}
	CHECK_INT(differences(keys, n), 0);
	free_keys(keys, n);
}

/*
 * Random keys over a small alphabet (many shared prefixes, keys that are
 * prefixes of others, empty keys, equal keys), bytes past 0x7f among them
 * (strcmp compares them unsigned), at many sizes.
 */
static void
test_random(void)
{
	static const char alphabet[] = "ab/\x80\xff";
	size_t n, i, k, len, bad = 0;
	char **keys;

	srand(11);
	for (n = 0; n < 300; n += 1 + n / 4) {
		keys = malloc((n ? n : 1) * sizeof(*keys));
		for (i = 0; i < n; i++) {
			len = (size_t)rand() % 9;
			keys[i] = malloc(len + 1);
			for (k = 0; k < len; k++)
				keys[i][k] = alphabet[rand() % 5];
			keys[i][len] = '\0';
		}
		bad += differences(keys, n);
		free_keys(keys, n);
	}
	CHECK_INT(bad, 0);
}

/* All keys the same, and one long shared prefix: the sort's work stays
 * on the heap (no recursion as deep as the keys are long). */
static void
test_equal_and_long(void)
{
	size_t n = 2000, i;
	char **keys = malloc(n * sizeof(*keys));
	char *long_key = malloc(20001);

	for (i = 0; i < n; i++)
		keys[i] = strdup("doi-thoai/index.html");
	CHECK_INT(differences(keys, n), 0);
	free_keys(keys, n);
	memset(long_key, 'x', 20000);
	long_key[20000] = '\0';
	keys = malloc(n * sizeof(*keys));
	for (i = 0; i < n; i++) {
		keys[i] = strdup(long_key);
		keys[i][19990 + i % 10] = (char)('a' + (i * 7) % 13);
	}
	CHECK_INT(differences(keys, n), 0);
	free_keys(keys, n);
	free(long_key);
}

int
main(void)
{
	test_paths();
	test_random();
	test_equal_and_long();
	return ck_t_done("t_strsort");
}
