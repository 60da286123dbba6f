/*
 * ck_arena: a region allocator for the many small objects that die together
 * (one arena per build: the records, the model, the view values).
 * Memory is zeroed and aligned for any type. Running out is fatal.
 */
#ifndef CK_ARENA_H
#define CK_ARENA_H

#include <stddef.h>

typedef struct ck_arena ck_arena;

/*
 * Moves every block of from into into, where it now dies, and frees from
 * (NULL does nothing): what a worker thread made in an arena of its own
 * joins the model's. into's next allocations still go where they went.
 */
void ck_arena_adopt(ck_arena *into, ck_arena *from);

/* Returns a new arena; free it with ck_arena_free. */
ck_arena *ck_arena_new(void);
/* Frees the arena and everything allocated in it. Accepts NULL. */
void ck_arena_free(ck_arena *a);
/*
 * Frees everything allocated in the arena, keeping one chunk for reuse (a
 * scratch arena reset after each page stays small). Accepts NULL.
 */
void ck_arena_reset(ck_arena *a);
/* Zeroed memory owned by the arena. */
void *ck_arena_alloc(ck_arena *a, size_t size);
/* Copies owned by the arena, NUL-terminated. */
char *ck_arena_strdup(ck_arena *a, const char *s);
char *ck_arena_strndup(ck_arena *a, const char *s, size_t len);
char *ck_arena_printf(ck_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The strings given, up to a NULL, joined (a path from its parts). */
char *ck_arena_cat(ck_arena *a, ...) __attribute__((sentinel));

/*
 * A growable array of pointers whose storage lives in the arena (old storage
 * is abandoned to the arena when it grows, which is fine for build-lifetime
 * lists).
 */
typedef struct {
	void **items;
	size_t len;
	size_t cap;
} ck_ptrvec;

void ck_ptrvec_push(ck_arena *a, ck_ptrvec *v, void *item);

#endif
