#include "value.h"

#include <err.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

/*
 * Maps up to this many keys are searched linearly (comparing hashes first);
 * larger ones also keep an open-addressing index. Mustache looks names up
 * in maps of 20-60 keys for every variable of every page, which made the
 * strcmp scan the build's top cost.
 */
#define MAP_LINEAR_MAX 8

/*
 * The sealing open now (ck_value_seal_begin), or an even number when none
 * is: a list or map whose fp_gen is an open sealing's has its fingerprint
 * stored and must not change. Written only while no thread reads values.
 */
static _Atomic unsigned seal_gen = 2;

/* A list's or map's entries, apart: scalars stay small (most values are). */
struct agg {
	ck_arena *arena; /* where the arrays grow */
	ck_value **items;
	const char **keys; /* maps only */
	uint32_t *hashes;  /* maps only: each key's hash */
	/*
	 * Maps past MAP_LINEAR_MAX keys: slots holding an
	 * entry's position + 1 (0 is free), load <= 1/2.
	 * Kept up to date on insert rather than built on
	 * first lookup, so that reading a finished map
	 * never writes (renders may share it).
	 */
	uint32_t *index;
	size_t icap; /* a power of two, or 0 */
	size_t len, cap;
	/* Maps only: where a key not found here is looked up next. */
	const ck_value *proto;
	/* The fingerprint, valid while fp_gen is the open sealing's. */
	uint64_t fp[2];
	unsigned fp_gen;
};

struct ck_value {
	ck_vkind kind;
	union {
		bool b;
		long long i;
		double d;
		struct {
			const char *s;
			size_t len;
		} str;
		struct agg *agg; /* lists and maps */
	} u;
};

static ck_value *
mk(ck_arena *a, ck_vkind kind)
{
	ck_value *v = ck_arena_alloc(a, sizeof(*v));

	v->kind = kind;
	return v;
}

/* A list or map: the value and its (empty) entries in one allocation. */
static ck_value *
mk_agg(ck_arena *a, ck_vkind kind)
{
	struct {
		ck_value v;
		struct agg g;
	} *both = ck_arena_alloc(a, sizeof(*both));

	both->v.kind = kind;
	both->v.u.agg = &both->g;
	both->g.arena = a;
	return &both->v;
}

ck_value *
ck_value_null(ck_arena *a)
{
	return mk(a, CK_VNULL);
}

ck_value *
ck_value_bool(ck_arena *a, bool b)
{
	ck_value *v = mk(a, CK_VBOOL);

	v->u.b = b;
	return v;
}

ck_value *
ck_value_int(ck_arena *a, long long i)
{
	ck_value *v = mk(a, CK_VINT);

	v->u.i = i;
	return v;
}

ck_value *
ck_value_real(ck_arena *a, double d)
{
	ck_value *v = mk(a, CK_VREAL);

	v->u.d = d;
	return v;
}

ck_value *
ck_value_strn(ck_arena *a, const char *s, size_t len)
{
	ck_value *v;

	if (s == NULL)
		return ck_value_null(a);
	v = mk(a, CK_VSTRING);
	v->u.str.s = ck_arena_strndup(a, s, len);
	v->u.str.len = len;
	return v;
}

ck_value *
ck_value_str_ref(ck_arena *a, const char *s)
{
	ck_value *v;

	if (s == NULL)
		return ck_value_null(a);
	v = mk(a, CK_VSTRING);
	v->u.str.s = s;
	v->u.str.len = strlen(s);
	return v;
}

ck_value *
ck_value_str(ck_arena *a, const char *s)
{
	return s ? ck_value_strn(a, s, strlen(s)) : ck_value_null(a);
}

ck_value *
ck_value_list(ck_arena *a)
{
	return mk_agg(a, CK_VLIST);
}

ck_value *
ck_value_map(ck_arena *a)
{
	return mk_agg(a, CK_VMAP);
}

ck_value *
ck_value_map_proto(ck_arena *a, const ck_value *proto, size_t n)
{
	ck_value *v = ck_value_map_sized(a, n);

	if (proto && proto->kind == CK_VMAP)
		v->u.agg->proto = proto;
	return v;
}

ck_value *
ck_value_map_sized(ck_arena *a, size_t n)
{
	ck_value *v = mk_agg(a, CK_VMAP);
	struct agg *g = v->u.agg;

	if (n == 0)
		return v;
	g->cap = n;
	g->items = ck_arena_alloc(a, n * sizeof(*g->items));
	g->keys = ck_arena_alloc(a, n * sizeof(*g->keys));
	g->hashes = ck_arena_alloc(a, n * sizeof(*g->hashes));
	if (n > MAP_LINEAR_MAX) {
		g->icap = 4 * MAP_LINEAR_MAX;
		while (n * 2 > g->icap)
			g->icap *= 2;
		g->index = ck_arena_alloc(a, g->icap * sizeof(*g->index));
	}
	return v;
}

ck_vkind
ck_value_kind(const ck_value *v)
{
	return v ? v->kind : CK_VNULL;
}

bool
ck_value_get_bool(const ck_value *v)
{
	return v && v->kind == CK_VBOOL && v->u.b;
}

long long
ck_value_get_int(const ck_value *v)
{
	if (v && v->kind == CK_VINT)
		return v->u.i;
	if (v && v->kind == CK_VREAL)
		return (long long)v->u.d;
	return 0;
}

double
ck_value_get_real(const ck_value *v)
{
	if (v && v->kind == CK_VREAL)
		return v->u.d;
	if (v && v->kind == CK_VINT)
		return (double)v->u.i;
	return 0;
}

const char *
ck_value_get_str(const ck_value *v, size_t *len)
{
	if (v == NULL || v->kind != CK_VSTRING) {
		if (len)
			*len = 0;
		return "";
	}
	if (len)
		*len = v->u.str.len;
	return v->u.str.s;
}

static void
agg_grow(ck_value *v)
{
	size_t ncap;
	ck_value **items;
	const char **keys;
	uint32_t *hashes;

	if (v->u.agg->len < v->u.agg->cap)
		return;
	ncap = v->u.agg->cap ? v->u.agg->cap * 2 : 8;
	items = ck_arena_alloc(v->u.agg->arena, ncap * sizeof(*items));
	if (v->u.agg->len)
		memcpy(items, v->u.agg->items, v->u.agg->len * sizeof(*items));
	v->u.agg->items = items;
	if (v->kind == CK_VMAP) {
		keys = ck_arena_alloc(v->u.agg->arena, ncap * sizeof(*keys));
		if (v->u.agg->len)
			memcpy(keys, v->u.agg->keys,
			       v->u.agg->len * sizeof(*keys));
		v->u.agg->keys = keys;
		hashes =
		    ck_arena_alloc(v->u.agg->arena, ncap * sizeof(*hashes));
		if (v->u.agg->len)
			memcpy(hashes, v->u.agg->hashes,
			       v->u.agg->len * sizeof(*hashes));
		v->u.agg->hashes = hashes;
	}
	v->u.agg->cap = ncap;
}

uint32_t
ck_value_key_hash(const char *key)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h;
}

/* Records entry i in the index, whose slots must have room. */
static void
index_put(ck_value *map, size_t i)
{
	size_t mask = map->u.agg->icap - 1;
	size_t at = map->u.agg->hashes[i] & mask;

	while (map->u.agg->index[at] != 0)
		at = (at + 1) & mask;
	map->u.agg->index[at] = (uint32_t)(i + 1);
}

/* Before entry number len is added: keeps the index able to take it. */
static void
index_reserve(ck_value *map)
{
	size_t need = map->u.agg->len + 1, ncap, i;

	if (need <= MAP_LINEAR_MAX || need * 2 <= map->u.agg->icap)
		return;
	ncap = map->u.agg->icap ? map->u.agg->icap * 2 : 4 * MAP_LINEAR_MAX;
	while (need * 2 > ncap)
		ncap *= 2;
	map->u.agg->index = ck_arena_alloc(map->u.agg->arena,
	                                   ncap * sizeof(*map->u.agg->index));
	map->u.agg->icap = ncap;
	for (i = 0; i < map->u.agg->len; i++)
		index_put(map, i);
}

/* The position of key in map, or -1. */
static long
find(const ck_value *map, const char *key, uint32_t hash)
{
	const uint32_t *hashes = map->u.agg->hashes;
	size_t i, mask, at;
	uint32_t slot;

	if (map->u.agg->icap == 0) {
		for (i = 0; i < map->u.agg->len; i++)
			if (hashes[i] == hash &&
			    (map->u.agg->keys[i] == key ||
			     strcmp(map->u.agg->keys[i], key) == 0))
				return (long)i;
		return -1;
	}
	mask = map->u.agg->icap - 1;
	for (at = hash & mask; (slot = map->u.agg->index[at]) != 0;
	     at = (at + 1) & mask) {
		i = slot - 1;
		if (hashes[i] == hash && (map->u.agg->keys[i] == key ||
		                          strcmp(map->u.agg->keys[i], key) == 0))
			return (long)i;
	}
	return -1;
}

/*
 * Map keys, one copy each for the whole process: every question's values
 * repeat the same few dozen keys, and a copy per map was a large part of a
 * province's build. Maps are built on several threads, so a lock guards
 * the table; it lives until the process ends (reachable, not leaked).
 */
static struct {
	pthread_mutex_t mu;
	const char **keys; /* open addressing; NULL is free */
	uint32_t *hashes;
	size_t len, cap; /* cap a power of two, load <= 1/2 */
} interned = {PTHREAD_MUTEX_INITIALIZER, NULL, NULL, 0, 0};

/* Puts key (hash h) in a slot of a table of cap slots; with the lock. */
static void
intern_put(const char **keys, uint32_t *hashes, size_t cap, const char *key,
           uint32_t h)
{
	size_t at = h & (cap - 1);

	while (keys[at] != NULL)
		at = (at + 1) & (cap - 1);
	keys[at] = key;
	hashes[at] = h;
}

/*
 * Each thread's last few interned keys, by hash: a map is made of the same
 * few dozen keys over and over, and taking the table's lock for each was
 * a tenth of a build's rendering on two threads. An entry is only ever a
 * key of the table, which lives as long as the process.
 */
#define INTERN_RECENT 256
static __thread struct {
	const char *key;
	uint32_t hash;
} intern_recent[INTERN_RECENT];

static const char *intern_locked(const char *key, uint32_t h);

static const char *
intern(const char *key, uint32_t h)
{
	size_t at = (h ^ (h >> 11)) & (INTERN_RECENT - 1);
	const char *found = intern_recent[at].key;

	if (found != NULL && intern_recent[at].hash == h &&
	    (found == key || strcmp(found, key) == 0))
		return found;
	found = intern_locked(key, h);
	intern_recent[at].key = found;
	intern_recent[at].hash = h;
	return found;
}

static const char *
intern_locked(const char *key, uint32_t h)
{
	const char *found = NULL, **keys;
	uint32_t *hashes;
	size_t at, i, ncap;
	char *copy;

	pthread_mutex_lock(&interned.mu);
	if (interned.cap > 0)
		for (at = h & (interned.cap - 1); interned.keys[at] != NULL;
		     at = (at + 1) & (interned.cap - 1))
			if (interned.hashes[at] == h &&
			    strcmp(interned.keys[at], key) == 0) {
				found = interned.keys[at];
				goto done;
			}
	if ((interned.len + 1) * 2 > interned.cap) {
		ncap = interned.cap ? interned.cap * 2 : 256;
		keys = calloc(ncap, sizeof(*keys));
		hashes = calloc(ncap, sizeof(*hashes));
		if (keys == NULL || hashes == NULL)
			err(3, "calloc");
		for (i = 0; i < interned.cap; i++)
			if (interned.keys[i] != NULL)
				intern_put(keys, hashes, ncap, interned.keys[i],
				           interned.hashes[i]);
		free(interned.keys);
		free(interned.hashes);
		interned.keys = keys;
		interned.hashes = hashes;
		interned.cap = ncap;
	}
	if ((copy = strdup(key)) == NULL)
		err(3, "strdup");
	intern_put(interned.keys, interned.hashes, interned.cap, copy, h);
	interned.len++;
	found = copy;
done:
	pthread_mutex_unlock(&interned.mu);
	return found;
}

const char *
ck_value_intern(const char *key, uint32_t hash)
{
	return intern(key, hash);
}

/* Refuses to change a sealed list or map: its fingerprint would lie. */
static void
changing(const ck_value *v)
{
	unsigned gen = atomic_load_explicit(&seal_gen, memory_order_relaxed);

	if ((gen & 1) && v->u.agg->fp_gen == gen)
		errx(3, "internal error: a sealed value was changed");
}

static void
add(ck_value *map, const char *key, uint32_t hash, ck_value *val)
{
	size_t i = map->u.agg->len;

	changing(map);

	agg_grow(map);
	index_reserve(map);
	map->u.agg->keys[i] = intern(key, hash);
	map->u.agg->hashes[i] = hash;
	map->u.agg->items[i] = val;
	map->u.agg->len = i + 1;
	if (map->u.agg->icap)
		index_put(map, i);
}

void
ck_value_push(ck_value *list, ck_value *item)
{
	if (list == NULL || list->kind != CK_VLIST)
		return;
	changing(list);
	agg_grow(list);
	list->u.agg->items[list->u.agg->len++] = item;
}

size_t
ck_value_len(const ck_value *v)
{
	if (v && (v->kind == CK_VLIST || v->kind == CK_VMAP))
		return v->u.agg->len;
	return 0;
}

ck_value *
ck_value_at(const ck_value *list, size_t i)
{
	if (list == NULL || list->kind != CK_VLIST || i >= list->u.agg->len)
		return NULL;
	return list->u.agg->items[i];
}

void
ck_value_set(ck_value *map, const char *key, ck_value *val)
{
	uint32_t hash;
	long i;

	if (map == NULL || map->kind != CK_VMAP)
		return;
	hash = ck_value_key_hash(key);
	changing(map);
	if ((i = find(map, key, hash)) >= 0)
		map->u.agg->items[i] = val;
	else
		add(map, key, hash, val);
}

void
ck_value_append_interned(ck_value *map, const char *key, uint32_t hash,
                         ck_value *val)
{
	size_t i;

	if (map == NULL || map->kind != CK_VMAP)
		return;
	changing(map);
	i = map->u.agg->len;
	agg_grow(map);
	index_reserve(map);
	map->u.agg->keys[i] = key;
	map->u.agg->hashes[i] = hash;
	map->u.agg->items[i] = val;
	map->u.agg->len = i + 1;
	if (map->u.agg->icap)
		index_put(map, i);
}

void
ck_value_append(ck_value *map, const char *key, ck_value *val)
{
	if (map == NULL || map->kind != CK_VMAP)
		return;
	add(map, key, ck_value_key_hash(key), val);
}

ck_value *
ck_value_get_hashed(const ck_value *map, const char *key, uint32_t hash)
{
	long i;

	for (; map != NULL && map->kind == CK_VMAP; map = map->u.agg->proto)
		if ((i = find(map, key, hash)) >= 0)
			return map->u.agg->items[i];
	return NULL;
}

ck_value *
ck_value_get(const ck_value *map, const char *key)
{
	if (map == NULL || map->kind != CK_VMAP)
		return NULL;
	return ck_value_get_hashed(map, key, ck_value_key_hash(key));
}

const char *
ck_value_key_at(const ck_value *map, size_t i)
{
	if (map == NULL || map->kind != CK_VMAP || i >= map->u.agg->len)
		return NULL;
	return map->u.agg->keys[i];
}

ck_value *
ck_value_val_at(const ck_value *map, size_t i)
{
	if (map == NULL || map->kind != CK_VMAP || i >= map->u.agg->len)
		return NULL;
	return map->u.agg->items[i];
}

void
ck_value_set_str(ck_value *map, const char *key, const char *s)
{
	ck_value_set(map, key, ck_value_str(map->u.agg->arena, s));
}

void
ck_value_set_int(ck_value *map, const char *key, long long i)
{
	ck_value_set(map, key, ck_value_int(map->u.agg->arena, i));
}

void
ck_value_set_bool(ck_value *map, const char *key, bool b)
{
	ck_value_set(map, key, ck_value_bool(map->u.agg->arena, b));
}

bool
ck_value_truthy(const ck_value *v)
{
	if (v == NULL)
		return false;
	switch (v->kind) {
	case CK_VNULL:
		return false;
	case CK_VBOOL:
		return v->u.b;
	case CK_VSTRING:
		return v->u.str.len > 0;
	case CK_VLIST:
		return v->u.agg->len > 0;
	default:
		return true;
	}
}

/*
 * Fingerprints. A value's is the hash of its kind and content, where a list
 * or map contributes its entries in order (a map its keys too, and its
 * proto's fingerprint), each list or map entry by its own fingerprint and
 * each other entry by its bytes. So a list's fingerprint follows from its
 * items' (ck_value_list_fingerprinted), and a sealed value's stored one
 * stands for its whole tree.
 */
static void fp_entry(ck_hash128_state *st, const ck_value *v);

static void
fp_agg(uint64_t out[2], const ck_value *v)
{
	const struct agg *g = v->u.agg;
	ck_hash128_state st;
	uint64_t n = g->len;
	size_t i;

	if (g->fp_gen ==
	    atomic_load_explicit(&seal_gen, memory_order_relaxed)) {
		out[0] = g->fp[0];
		out[1] = g->fp[1];
		return;
	}
	ck_hash128_init(&st);
	ck_hash128_update(&st, v->kind == CK_VLIST ? "L" : "M", 1);
	ck_hash128_update(&st, &n, sizeof(n));
	for (i = 0; i < g->len; i++) {
		if (v->kind == CK_VMAP) {
			uint64_t klen = strlen(g->keys[i]);

			ck_hash128_update(&st, &klen, sizeof(klen));
			ck_hash128_update(&st, g->keys[i], klen);
		}
		fp_entry(&st, g->items[i]);
	}
	if (v->kind == CK_VMAP && g->proto != NULL) {
		uint64_t pfp[2];

		fp_agg(pfp, g->proto);
		ck_hash128_update(&st, "P", 1);
		ck_hash128_update(&st, pfp, sizeof(pfp));
	}
	ck_hash128_final(&st, out);
}

static void
fp_entry(ck_hash128_state *st, const ck_value *v)
{
	uint64_t x[2];
	unsigned char tag;

	if (v == NULL) {
		ck_hash128_update(st, "0", 1);
		return;
	}
	switch (v->kind) {
	case CK_VNULL:
		ck_hash128_update(st, "n", 1);
		return;
	case CK_VBOOL:
		tag = v->u.b ? 't' : 'f';
		ck_hash128_update(st, &tag, 1);
		return;
	case CK_VINT:
		ck_hash128_update(st, "i", 1);
		ck_hash128_update(st, &v->u.i, sizeof(v->u.i));
		return;
	case CK_VREAL:
		ck_hash128_update(st, "r", 1);
		ck_hash128_update(st, &v->u.d, sizeof(v->u.d));
		return;
	case CK_VSTRING:
		x[0] = v->u.str.len;
		ck_hash128_update(st, "s", 1);
		ck_hash128_update(st, x, sizeof(x[0]));
		ck_hash128_update(st, v->u.str.s, v->u.str.len);
		return;
	case CK_VLIST:
	case CK_VMAP:
		fp_agg(x, v);
		ck_hash128_update(st, "a", 1);
		ck_hash128_update(st, x, sizeof(x));
		return;
	}
}

void
ck_value_fingerprint(uint64_t out[2], const ck_value *v)
{
	ck_hash128_state st;

	if (v != NULL && (v->kind == CK_VLIST || v->kind == CK_VMAP)) {
		fp_agg(out, v);
		return;
	}
	ck_hash128_init(&st);
	fp_entry(&st, v);
	ck_hash128_final(&st, out);
}

void
ck_value_seal_begin(void)
{
	unsigned gen = atomic_load_explicit(&seal_gen, memory_order_relaxed);

	atomic_store_explicit(&seal_gen, (gen | 1) + 2, memory_order_relaxed);
}

void
ck_value_seal_end(void)
{
	unsigned gen = atomic_load_explicit(&seal_gen, memory_order_relaxed);

	atomic_store_explicit(&seal_gen, (gen | 1) + 1, memory_order_relaxed);
}

void
ck_value_seal(ck_value *v)
{
	unsigned gen = atomic_load_explicit(&seal_gen, memory_order_relaxed);
	struct agg *g;
	size_t i;

	if (v == NULL || (v->kind != CK_VLIST && v->kind != CK_VMAP) ||
	    !(gen & 1) || v->u.agg->fp_gen == gen)
		return;
	g = v->u.agg;
	/* Children first, so that this one's hash reads their stored ones. */
	for (i = 0; i < g->len; i++)
		ck_value_seal(g->items[i]);
	if (v->kind == CK_VMAP && g->proto != NULL)
		ck_value_seal((ck_value *)g->proto);
	fp_agg(g->fp, v);
	g->fp_gen = gen;
}

ck_value *
ck_value_list_fingerprinted(ck_arena *a, const uint64_t (*fps)[2], size_t n)
{
	ck_value *v = mk_agg(a, CK_VLIST);
	unsigned gen = atomic_load_explicit(&seal_gen, memory_order_relaxed);
	ck_hash128_state st;
	uint64_t len = n;
	size_t i;

	ck_hash128_init(&st);
	ck_hash128_update(&st, "L", 1);
	ck_hash128_update(&st, &len, sizeof(len));
	for (i = 0; i < n; i++) {
		ck_hash128_update(&st, "a", 1);
		ck_hash128_update(&st, fps[i], sizeof(fps[i]));
	}
	ck_hash128_final(&st, v->u.agg->fp);
	v->u.agg->fp_gen = gen;
	return v;
}
