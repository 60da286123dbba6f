#include "value.h"

#include <string.h>

struct ck_value {
	ck_vkind kind;
	ck_arena *arena; /* lists and maps grow in it */
	union {
		bool b;
		long long i;
		double d;
		struct {
			const char *s;
			size_t len;
		} str;
		struct {
			ck_value **items;
			const char **keys; /* maps only */
			size_t len, cap;
		} agg;
	} u;
};

static ck_value *
mk(ck_arena *a, ck_vkind kind)
{
	ck_value *v = ck_arena_alloc(a, sizeof(*v));

	v->kind = kind;
	v->arena = a;
	return v;
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
ck_value_str(ck_arena *a, const char *s)
{
	return s ? ck_value_strn(a, s, strlen(s)) : ck_value_null(a);
}

ck_value *
ck_value_list(ck_arena *a)
{
	return mk(a, CK_VLIST);
}

ck_value *
ck_value_map(ck_arena *a)
{
	return mk(a, CK_VMAP);
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

	if (v->u.agg.len < v->u.agg.cap)
		return;
	ncap = v->u.agg.cap ? v->u.agg.cap * 2 : 8;
	items = ck_arena_alloc(v->arena, ncap * sizeof(*items));
	if (v->u.agg.len)
		memcpy(items, v->u.agg.items, v->u.agg.len * sizeof(*items));
	v->u.agg.items = items;
	if (v->kind == CK_VMAP) {
		keys = ck_arena_alloc(v->arena, ncap * sizeof(*keys));
		if (v->u.agg.len)
			memcpy(keys, v->u.agg.keys,
			       v->u.agg.len * sizeof(*keys));
		v->u.agg.keys = keys;
	}
	v->u.agg.cap = ncap;
}

void
ck_value_push(ck_value *list, ck_value *item)
{
	if (list == NULL || list->kind != CK_VLIST)
		return;
	agg_grow(list);
	list->u.agg.items[list->u.agg.len++] = item;
}

size_t
ck_value_len(const ck_value *v)
{
	if (v && (v->kind == CK_VLIST || v->kind == CK_VMAP))
		return v->u.agg.len;
	return 0;
}

ck_value *
ck_value_at(const ck_value *list, size_t i)
{
	if (list == NULL || list->kind != CK_VLIST || i >= list->u.agg.len)
		return NULL;
	return list->u.agg.items[i];
}

void
ck_value_set(ck_value *map, const char *key, ck_value *val)
{
	size_t i;

	if (map == NULL || map->kind != CK_VMAP)
		return;
	for (i = 0; i < map->u.agg.len; i++) {
		if (strcmp(map->u.agg.keys[i], key) == 0) {
			map->u.agg.items[i] = val;
			return;
		}
	}
	agg_grow(map);
	map->u.agg.keys[map->u.agg.len] = ck_arena_strdup(map->arena, key);
	map->u.agg.items[map->u.agg.len++] = val;
}

void
ck_value_append(ck_value *map, const char *key, ck_value *val)
{
	if (map == NULL || map->kind != CK_VMAP)
		return;
	agg_grow(map);
	map->u.agg.keys[map->u.agg.len] = ck_arena_strdup(map->arena, key);
	map->u.agg.items[map->u.agg.len++] = val;
}

ck_value *
ck_value_get(const ck_value *map, const char *key)
{
	size_t i;

	if (map == NULL || map->kind != CK_VMAP)
		return NULL;
	for (i = 0; i < map->u.agg.len; i++)
		if (strcmp(map->u.agg.keys[i], key) == 0)
			return map->u.agg.items[i];
	return NULL;
}

const char *
ck_value_key_at(const ck_value *map, size_t i)
{
	if (map == NULL || map->kind != CK_VMAP || i >= map->u.agg.len)
		return NULL;
	return map->u.agg.keys[i];
}

ck_value *
ck_value_val_at(const ck_value *map, size_t i)
{
	if (map == NULL || map->kind != CK_VMAP || i >= map->u.agg.len)
		return NULL;
	return map->u.agg.items[i];
}

void
ck_value_set_str(ck_value *map, const char *key, const char *s)
{
	ck_value_set(map, key, ck_value_str(map->arena, s));
}

void
ck_value_set_int(ck_value *map, const char *key, long long i)
{
	ck_value_set(map, key, ck_value_int(map->arena, i));
}

void
ck_value_set_bool(ck_value *map, const char *key, bool b)
{
	ck_value_set(map, key, ck_value_bool(map->arena, b));
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
		return v->u.agg.len > 0;
	default:
		return true;
	}
}
