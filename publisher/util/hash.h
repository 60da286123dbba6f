/*
 * ck_hash128: a fast, non-cryptographic 128-bit hash of bytes (two seeded
 * 64-bit hashes of the XXH64 construction), for caches that only this
 * machine reads: the output folder's manifest (outdir.c) and publishing's
 * blob cache. Not for anything an attacker chooses to collide.
 */
#ifndef CK_HASH_H
#define CK_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The hash of data[0..len) into out. */
void ck_hash128(uint64_t out[2], const void *data, size_t len);

/*
 * The same hash of bytes that come in pieces (a file read a window at a
 * time): init, update with each piece in order, final. Any split of the
 * bytes gives ck_hash128's result.
 */
typedef struct {
	uint64_t v[2][4];   /* each seed's four lanes */
	uint64_t total;     /* bytes so far */
	unsigned char buf[32];
	size_t buflen;      /* bytes in buf, < 32 */
} ck_hash128_state;
void ck_hash128_init(ck_hash128_state *st);
/* data may be NULL when len is 0. */
void ck_hash128_update(ck_hash128_state *st, const void *data, size_t len);
void ck_hash128_final(const ck_hash128_state *st, uint64_t out[2]);
/*
 * A hash written as 32 lowercase hex digits (the first word, then the
 * second, as "%016" PRIx64 "%016" PRIx64 writes it) at s, into out.
 * Returns 0, or -1 when the 32 bytes are not such digits.
 */
int ck_hash128_parse(uint64_t out[2], const char *s);
/* Writes h at out as ck_hash128_parse reads it: 32 digits, no NUL. */
void ck_hash128_format(char out[32], const uint64_t h[2]);

#endif
