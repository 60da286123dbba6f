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
 * A hash written as 32 lowercase hex digits (the first word, then the
 * second, as "%016" PRIx64 "%016" PRIx64 writes it) at s, into out.
 * Returns 0, or -1 when the 32 bytes are not such digits.
 */
int ck_hash128_parse(uint64_t out[2], const char *s);

#endif
