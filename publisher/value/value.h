/*
 * ck_value: a small dynamic value tree (null, bool, integer, real, string,
 * list, map with keys in insertion order).
 *
 * It is the one shape every view is rendered from: the Mustache templates
 * read it as their context and the JSON writer prints it, so a page and the
 * open data built from the same value can never disagree.
 *
 * Every value lives in the ck_arena it was made in; nothing is freed alone.
 * Strings and keys are copied into the arena when set, except those given
 * to ck_value_str_ref.
 */
#ifndef CK_VALUE_H
#define CK_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef enum {
	CK_VNULL,
	CK_VBOOL,
	CK_VINT,
	CK_VREAL,
	CK_VSTRING,
	CK_VLIST,
	CK_VMAP
} ck_vkind;

typedef struct ck_value ck_value;

ck_value *ck_value_null(ck_arena *a);
ck_value *ck_value_bool(ck_arena *a, bool b);
ck_value *ck_value_int(ck_arena *a, long long i);
ck_value *ck_value_real(ck_arena *a, double d);
/* A copy of s (NUL-terminated) / of len bytes at s. s NULL gives null. */
ck_value *ck_value_str(ck_arena *a, const char *s);
ck_value *ck_value_strn(ck_arena *a, const char *s, size_t len);
/*
 * A string that borrows s instead of copying it: s must outlive the value
 * (a literal, a string in the same arena, or the model's, which outlives
 * the views built from it). The model's answers and pages are most of a
 * build's text; copying them doubled it. s NULL gives null.
 */
ck_value *ck_value_str_ref(ck_arena *a, const char *s);
ck_value *ck_value_list(ck_arena *a);
ck_value *ck_value_map(ck_arena *a);
/*
 * A map with room for n entries made at once: a map grown one key at a
 * time leaves its outgrown arrays in the arena (half of a province's
 * question values). More than n entries still fit.
 */
ck_value *ck_value_map_sized(ck_arena *a, size_t n);
/*
 * A map (room for n entries) whose lookups (ck_value_get) fall back to
 * proto, which must outlive it: a question's view holds only what the
 * pages need beyond its open-data record, instead of a second copy of
 * the record's entries. Its own entries shadow proto's; ck_value_len,
 * ck_value_key_at and ck_value_val_at see only its own.
 */
ck_value *ck_value_map_proto(ck_arena *a, const ck_value *proto, size_t n);

ck_vkind ck_value_kind(const ck_value *v);
bool ck_value_get_bool(const ck_value *v);
long long ck_value_get_int(const ck_value *v);
double ck_value_get_real(const ck_value *v);
/* The string's bytes (NUL-terminated, owned by the arena); len may be NULL. */
const char *ck_value_get_str(const ck_value *v, size_t *len);

/* Lists. */
void ck_value_push(ck_value *list, ck_value *item);
size_t ck_value_len(const ck_value *v); /* list items or map entries */
ck_value *ck_value_at(const ck_value *list, size_t i);

/*
 * Maps: set replaces an existing key, keeping its place. Lookups cost about
 * the same whatever the map's size (a hash index beyond a few keys).
 */
void ck_value_set(ck_value *map, const char *key, ck_value *val);
ck_value *ck_value_get(const ck_value *map, const char *key); /* or NULL */
/*
 * The same lookup for a key whose hash (ck_value_key_hash) was computed
 * ahead, as a template does for its names when it is parsed.
 */
uint32_t ck_value_key_hash(const char *key);
ck_value *ck_value_get_hashed(const ck_value *map, const char *key,
                              uint32_t hash);
/*
 * The one copy of key (hash: ck_value_key_hash(key)) that every map's
 * entries point at; it lives as long as the process. A lookup with it
 * finds an entry by its address, without comparing the strings (a
 * template's names, interned when it is parsed).
 */
const char *ck_value_intern(const char *key, uint32_t hash);
/* Adds without looking for `key`: the caller knows it is new. */
void ck_value_append(ck_value *map, const char *key, ck_value *val);
/*
 * The same with key already interned (ck_value_intern(key, hash) returned
 * it): for maps made by the million from a few fixed keys.
 */
void ck_value_append_interned(ck_value *map, const char *key, uint32_t hash,
                              ck_value *val);
const char *ck_value_key_at(const ck_value *map, size_t i);
ck_value *ck_value_val_at(const ck_value *map, size_t i);

/* Shorthands for building maps. */
void ck_value_set_str(ck_value *map, const char *key, const char *s);
void ck_value_set_int(ck_value *map, const char *key, long long i);
void ck_value_set_bool(ck_value *map, const char *key, bool b);

/*
 * Fingerprints: a 128-bit hash (hash.h) of a value's whole tree, its kinds,
 * map keys in order, bytes and protos. Two trees with the same fingerprint
 * render alike under the same template; the output folder keeps a page
 * whose fingerprint has not changed instead of rendering it again.
 */
void ck_value_fingerprint(uint64_t out[2], const ck_value *v);
/*
 * Sealing: a value whose tree is read many times (what every page shares)
 * keeps its fingerprint, so a page's is computed without walking it again.
 * Between ck_value_seal_begin and ck_value_seal_end, ck_value_seal(v)
 * stores the fingerprints of v and of the lists and maps below it, and
 * changing any of them then is a fatal error; ending forgets them all.
 * Begin and end only while no other thread reads or makes values.
 */
void ck_value_seal_begin(void);
void ck_value_seal(ck_value *v);
void ck_value_seal_end(void);
/*
 * A list that stands for n lists or maps with fingerprints fps[0..n):
 * its fingerprint is the list of them's, but it holds no items. A page's
 * fingerprint is taken with it in place of rows not yet made; set the
 * real list in its place before rendering.
 */
ck_value *ck_value_list_fingerprinted(ck_arena *a, const uint64_t (*fps)[2],
                                      size_t n);

/* Mustache truthiness: false for null, false, "" , empty list. */
bool ck_value_truthy(const ck_value *v);

#endif
