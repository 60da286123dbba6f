/*
 * ck_value maps: insertion order, replacing in place, and lookups through
 * the hash index that maps grow past a few keys (checked after every
 * insertion, across each of the index's growths), and keys interned
 * alike on several threads.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "harness.h"
#include "value.h"

static ck_arena *A;

static const char *
key_name(char *buf, size_t size, int i)
{
	snprintf(buf, size, "key-%d", i);
	return buf;
}

/* Every key 0..n-1 is found with its value, in order; others are not. */
static int
all_found(const ck_value *m, int n)
{
	char k[32];
	int i;

	if (ck_value_len(m) != (size_t)n)
		return 0;
	for (i = 0; i < n; i++) {
		key_name(k, sizeof(k), i);
		if (ck_value_get_int(ck_value_get(m, k)) != i ||
		    strcmp(ck_value_key_at(m, (size_t)i), k) != 0 ||
		    ck_value_get_int(ck_value_val_at(m, (size_t)i)) != i)
			return 0;
	}
	key_name(k, sizeof(k), n);
	return ck_value_get(m, k) == NULL && ck_value_get(m, "key-") == NULL &&
	       ck_value_get(m, "") == NULL;
}

static void
test_growth(void)
{
	ck_value *m = ck_value_map(A);
	char k[32];
	int i, bad = -1;

	CHECK(ck_value_get(m, "x") == NULL);
	for (i = 0; i < 3000; i++) {
		ck_value_set_int(m, key_name(k, sizeof(k), i), i);
		/* Every size up to 300, then around each doubling. */
		if ((i < 300 || ((i + 1) & i) == 0 ||
		     ((i + 2) & (i + 1)) == 0) &&
		    bad < 0 && !all_found(m, i + 1))
			bad = i;
	}
	CHECK_INT(bad, -1);
	CHECK(all_found(m, 3000));
}

static void
test_replace(void)
{
	ck_value *m = ck_value_map(A);
	char k[32];
	int i, n;

	/* Small (linear) and large (indexed) maps alike. */
	for (n = 4; n <= 200; n *= 7) {
		m = ck_value_map(A);
		for (i = 0; i < n; i++)
			ck_value_set_int(m, key_name(k, sizeof(k), i), i);
		ck_value_set_str(m, key_name(k, sizeof(k), n / 2), "again");
		CHECK_INT(ck_value_len(m), n);
		CHECK_STR(ck_value_key_at(m, (size_t)n / 2), k);
		CHECK_STR(ck_value_get_str(ck_value_get(m, k), NULL), "again");
		CHECK_STR(
		    ck_value_get_str(ck_value_val_at(m, (size_t)n / 2), NULL),
		    "again");
		ck_value_set_str(m, key_name(k, sizeof(k), n / 2), NULL);
		CHECK_INT(ck_value_len(m), n);
		CHECK(ck_value_get(m, k) != NULL);
		CHECK_INT(ck_value_kind(ck_value_get(m, k)), CK_VNULL);
		CHECK_INT(ck_value_get_int(
		              ck_value_get(m, key_name(k, sizeof(k), n - 1))),
		          n - 1);
	}
}

static void
test_hashed(void)
{
	ck_value *m = ck_value_map(A);
	char k[32];
	int i;

	for (i = 0; i < 40; i++)
		ck_value_set_int(m, key_name(k, sizeof(k), i), i);
	ck_value_set_int(m, "", -1);
	/* The same answer as ck_value_get; a wrong hash finds nothing. */
	CHECK_INT(ck_value_get_int(ck_value_get_hashed(
	              m, "key-17", ck_value_key_hash("key-17"))),
	          17);
	CHECK_INT(ck_value_get_int(ck_value_get(m, "")), -1);
	CHECK(ck_value_get_hashed(m, "key-17", ck_value_key_hash("key-18")) ==
	      NULL);
	/* The hash is the key's, not its place's. */
	CHECK(ck_value_key_hash("key-17") == ck_value_key_hash("key-17"));
	CHECK(ck_value_key_hash("key-17") != ck_value_key_hash("key-71"));
	/* Not maps: nothing. */
	CHECK(ck_value_get(NULL, "key-1") == NULL);
	CHECK(ck_value_get(ck_value_list(A), "key-1") == NULL);
	CHECK(ck_value_get_hashed(ck_value_str(A, "s"), "s",
	                          ck_value_key_hash("s")) == NULL);
}

static void
test_append(void)
{
	ck_value *m = ck_value_map(A);
	char k[32];
	int i;

	/* append trusts the caller; the first of two equal keys wins. */
	for (i = 0; i < 30; i++)
		ck_value_append(m, key_name(k, sizeof(k), i),
		                ck_value_int(A, i));
	ck_value_append(m, "key-3", ck_value_int(A, 99));
	CHECK_INT(ck_value_len(m), 31);
	CHECK_INT(ck_value_get_int(ck_value_get(m, "key-3")), 3);
	CHECK(all_found(m, 30) == 0); /* 31 entries now */
	CHECK_INT(ck_value_get_int(ck_value_val_at(m, 30)), 99);
	for (i = 0; i < 30; i++)
		CHECK_INT(ck_value_get_int(
		              ck_value_get(m, key_name(k, sizeof(k), i))),
		          i);
	/* A key is copied: the caller's buffer may change afterwards. */
	strcpy(k, "temp");
	ck_value_set_int(m, k, 7);
	strcpy(k, "XXXX");
	CHECK_INT(ck_value_get_int(ck_value_get(m, "temp")), 7);
	CHECK(ck_value_get(m, "XXXX") == NULL);

	/* Interned keys: found by address or by string, past the index's
	 * growths, and the same key as a set of the string gives. */
	m = ck_value_map(A);
	for (i = 0; i < 40; i++) {
		uint32_t h = ck_value_key_hash(key_name(k, sizeof(k), i));

		ck_value_append_interned(m, ck_value_intern(k, h), h,
		                         ck_value_int(A, i));
	}
	CHECK(all_found(m, 40));
	ck_value_set_int(m, "key-5", 55);
	CHECK_INT(ck_value_len(m), 40);
	CHECK_INT(ck_value_get_int(ck_value_get(m, "key-5")), 55);
	CHECK(ck_value_key_at(m, 5) ==
	      ck_value_intern("key-5", ck_value_key_hash("key-5")));
}

/* Borrowed strings are the caller's bytes; copies are not. */
static void
test_str_ref(void)
{
	static const char text[] = "Trả lời của UBND xã";
	size_t len;

	CHECK(ck_value_get_str(ck_value_str_ref(A, text), &len) == text);
	CHECK_INT(len, strlen(text));
	CHECK(ck_value_get_str(ck_value_str(A, text), NULL) != text);
	CHECK_STR(ck_value_get_str(ck_value_str(A, text), NULL), text);
	CHECK_INT(ck_value_kind(ck_value_str_ref(A, NULL)), CK_VNULL);
	CHECK(ck_value_truthy(ck_value_str_ref(A, "x")));
	CHECK(!ck_value_truthy(ck_value_str_ref(A, "")));
}

/* A sized map takes more entries than it was made for, index and all. */
static void
test_sized(void)
{
	ck_arena *a = ck_arena_new();
	ck_value *m = ck_value_map_sized(a, 20);
	char key[16];
	int i, found = 0;

	for (i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		ck_value_set(m, key, ck_value_int(a, i));
	}
	CHECK_INT(ck_value_len(m), 100);
	for (i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		found += ck_value_get_int(ck_value_get(m, key)) == i;
	}
	CHECK_INT(found, 100);
	CHECK_STR(ck_value_key_at(m, 99), "k99");
	CHECK_INT(ck_value_len(ck_value_map_sized(a, 0)), 0);
	ck_arena_free(a);
}

/* A view over a record: its own keys first, then the record's. */
static void
test_proto(void)
{
	ck_arena *a = ck_arena_new();
	ck_value *rec = ck_value_map(a), *view, *deeper;
	char key[16];
	int i, found = 0;

	for (i = 0; i < 30; i++) {
		snprintf(key, sizeof(key), "r%d", i);
		ck_value_set(rec, key, ck_value_int(a, i));
	}
	ck_value_set_str(rec, "escalation", "record's");
	view = ck_value_map_proto(a, rec, 4);
	ck_value_set_str(view, "escalation", "view's");
	ck_value_set_int(view, "own", 7);
	for (i = 0; i < 30; i++) {
		snprintf(key, sizeof(key), "r%d", i);
		found += ck_value_get_int(ck_value_get(view, key)) == i;
	}
	CHECK_INT(found, 30);
	CHECK_STR(ck_value_get_str(ck_value_get(view, "escalation"), NULL),
	          "view's");
	CHECK_STR(ck_value_get_str(ck_value_get(rec, "escalation"), NULL),
	          "record's");
	CHECK(ck_value_get(rec, "own") == NULL);
	CHECK(ck_value_get(view, "missing") == NULL);
	/* Only its own entries are listed; the record is unchanged. */
	CHECK_INT(ck_value_len(view), 2);
	CHECK_INT(ck_value_len(rec), 31);
	CHECK_STR(ck_value_key_at(view, 0), "escalation");
	/* Chains: a view of a view reads both. */
	deeper = ck_value_map_proto(a, view, 0);
	CHECK_INT(ck_value_get_int(ck_value_get(deeper, "own")), 7);
	CHECK_INT(ck_value_get_int(ck_value_get(deeper, "r29")), 29);
	/* A proto that is not a map is no proto. */
	CHECK(ck_value_get(ck_value_map_proto(a, ck_value_int(a, 1), 0), "r1") ==
	      NULL);
	ck_arena_free(a);
}

/*
 * Each thread makes maps whose keys come from one buffer it rewrites: the
 * same address names thousands of keys, more than a thread remembers of
 * its recent ones (value.c intern), and the threads take them in different
 * orders. Every map must still hold its own keys, and every thread must
 * get the one copy of each key.
 */
#define INTERN_KEYS 3000
#define INTERN_THREADS 4
static const char *interned_by[INTERN_THREADS][INTERN_KEYS];

static void *
intern_worker(void *arg)
{
	/* Orders that each take every key once (coprime to INTERN_KEYS). */
	static const int step[INTERN_THREADS] = {1, 7, 11, 13};
	int t = (int)(size_t)arg, round, i, k, bad = 0;
	ck_arena *a = ck_arena_new();
	char key[32];

	for (round = 0; round < 3; round++) {
		ck_value *m = ck_value_map(a);

		for (i = 0; i < INTERN_KEYS; i++) {
			k = (i * step[t] + round * 7) % INTERN_KEYS;
			ck_value_set(m, key_name(key, sizeof(key), k),
			             ck_value_int(a, k));
		}
		if (ck_value_len(m) != INTERN_KEYS)
			bad++;
		for (i = 0; i < INTERN_KEYS && !bad; i++) {
			const char *name = ck_value_key_at(m, (size_t)i);
			long long n = ck_value_get_int(ck_value_val_at(m, (size_t)i));

			if (strcmp(name, key_name(key, sizeof(key), (int)n)) != 0)
				bad++;
			interned_by[t][n] = name;
		}
	}
	ck_arena_free(a);
	return (void *)(size_t)bad;
}

static void
test_intern_threads(void)
{
	pthread_t th[INTERN_THREADS];
	void *bad;
	int t, i, same = 1, none_bad = 1;

	for (t = 0; t < INTERN_THREADS; t++)
		CHECK(pthread_create(&th[t], NULL, intern_worker,
		                     (void *)(size_t)t) == 0);
	for (t = 0; t < INTERN_THREADS; t++) {
		pthread_join(th[t], &bad);
		if (bad != NULL)
			none_bad = 0;
	}
	CHECK(none_bad);
	for (t = 1; t < INTERN_THREADS; t++)
		for (i = 0; i < INTERN_KEYS; i++)
			if (interned_by[t][i] != interned_by[0][i])
				same = 0;
	CHECK(same);
}

static bool
same_fp(const ck_value *x, const ck_value *y)
{
	uint64_t a[2], b[2];

	ck_value_fingerprint(a, x);
	ck_value_fingerprint(b, y);
	return a[0] == b[0] && a[1] == b[1];
}

/* A row-like map: a few scalars, a shared map, a list. */
static ck_value *
sample(const char *title, ck_value *shared)
{
	ck_value *m = ck_value_map(A), *l = ck_value_list(A);

	ck_value_set_str(m, "title", title);
	ck_value_set_int(m, "n", 3);
	ck_value_set_bool(m, "open", true);
	ck_value_set(m, "none", ck_value_null(A));
	ck_value_set(m, "dlg", shared);
	ck_value_push(l, ck_value_str(A, "x"));
	ck_value_push(l, ck_value_real(A, 1.5));
	ck_value_set(m, "list", l);
	return m;
}

/*
 * Fingerprints: equal trees agree, any difference in a string, a kind, a
 * key, the keys' order or a proto shows; a sealed tree's stored
 * fingerprint is the one computed; a fingerprinted list stands for its
 * items.
 */
static void
test_fingerprint(void)
{
	ck_value *d1 = ck_value_map(A), *d2 = ck_value_map(A);
	ck_value *x, *y, *p, *items, *stand;
	uint64_t before[2], after[2], fps[2][2];

	ck_value_set_str(d1, "title", "Đối thoại quý 1");
	ck_value_set_str(d2, "title", "Đối thoại quý 1");
	CHECK(same_fp(sample("Đường thôn 3", d1), sample("Đường thôn 3", d2)));
	CHECK(!same_fp(sample("Đường thôn 3", d1), sample("Đường thôn 4", d1)));
	ck_value_set_str(d2, "title", "Đối thoại quý 2");
	CHECK(!same_fp(sample("Đường thôn 3", d1), sample("Đường thôn 3", d2)));
	/* Kinds: "1" is not 1, null is not false, "" is not []. */
	CHECK(!same_fp(ck_value_str(A, "1"), ck_value_int(A, 1)));
	CHECK(!same_fp(ck_value_null(A), ck_value_bool(A, false)));
	CHECK(!same_fp(ck_value_str(A, ""), ck_value_list(A)));
	/* Keys and their order; the bytes split between key and value. */
	x = ck_value_map(A);
	y = ck_value_map(A);
	ck_value_set_str(x, "a", "1");
	ck_value_set_str(x, "b", "2");
	ck_value_set_str(y, "b", "2");
	ck_value_set_str(y, "a", "1");
	CHECK(!same_fp(x, y));
	x = ck_value_map(A);
	y = ck_value_map(A);
	ck_value_set_str(x, "ab", "c");
	ck_value_set_str(y, "a", "bc");
	CHECK(!same_fp(x, y));
	/* A proto's entries count. */
	p = ck_value_map(A);
	ck_value_set_str(p, "more", "yes");
	CHECK(!same_fp(ck_value_map_proto(A, p, 0), ck_value_map(A)));

	/* Sealed: the stored fingerprint is the computed one. */
	x = sample("Đèn đường", d1);
	ck_value_fingerprint(before, x);
	ck_value_seal_begin();
	ck_value_seal(x);
	ck_value_fingerprint(after, x);
	CHECK(before[0] == after[0] && before[1] == after[1]);
	/* ... and a tree holding it agrees with one holding a copy. */
	y = ck_value_list(A);
	ck_value_push(y, x);
	p = ck_value_list(A);
	ck_value_push(p, sample("Đèn đường", d1));
	CHECK(same_fp(y, p));
	ck_value_seal_end();
	/* Once the sealing ends, the value may change again. */
	ck_value_set_str(x, "title", "Đèn đường mới");
	ck_value_fingerprint(after, x);
	CHECK(before[0] != after[0] || before[1] != after[1]);

	/* A stand-in for two rows has the fingerprint of the list of them. */
	items = ck_value_list(A);
	ck_value_push(items, sample("một", d1));
	ck_value_push(items, sample("hai", d1));
	ck_value_fingerprint(fps[0], ck_value_at(items, 0));
	ck_value_fingerprint(fps[1], ck_value_at(items, 1));
	stand = ck_value_list_fingerprinted(A, (const uint64_t(*)[2])fps, 2);
	CHECK(same_fp(stand, items));
	CHECK_INT(ck_value_len(stand), 0);
	x = ck_value_map(A);
	ck_value_set(x, "questions", stand);
	y = ck_value_map(A);
	ck_value_set(y, "questions", items);
	CHECK(same_fp(x, y));
	stand = ck_value_list_fingerprinted(A, (const uint64_t(*)[2])fps, 1);
	CHECK(!same_fp(stand, items));
}

int
main(void)
{
	A = ck_arena_new();
	test_growth();
	test_replace();
	test_hashed();
	test_append();
	test_str_ref();
	test_sized();
	test_proto();
	test_intern_threads();
	test_fingerprint();
	ck_arena_free(A);
	return ck_t_done("t_value");
}
