/* ck_hash128 (hash.h). */
#include <string.h>

#include "hash.h"

static const uint64_t P1 = 11400714785074694791ULL;
static const uint64_t P2 = 14029467366897019519ULL;
static const uint64_t P3 = 1609587929392839161ULL;
static const uint64_t P4 = 9650029242287828579ULL;
static const uint64_t P5 = 2870177450012600261ULL;

static uint64_t
rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static uint64_t
read64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t
read32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t
round64(uint64_t acc, uint64_t input)
{
	acc += input * P2;
	acc = rotl(acc, 31);
	return acc * P1;
}

static uint64_t
merge64(uint64_t acc, uint64_t val)
{
	acc ^= round64(0, val);
	return acc * P1 + P4;
}

/*
 * The XXH64 construction, twice with two seeds (only this machine reads
 * the result), fed as the bytes come: 32-byte stripes into four lanes per
 * seed, the last bytes folded in at the end.
 */
static void
stripes_init(uint64_t v[4], uint64_t seed)
{
	v[0] = seed + P1 + P2;
	v[1] = seed + P2;
	v[2] = seed;
	v[3] = seed - P1;
}

static void
stripe(uint64_t v[4], const unsigned char *p)
{
	v[0] = round64(v[0], read64(p));
	v[1] = round64(v[1], read64(p + 8));
	v[2] = round64(v[2], read64(p + 16));
	v[3] = round64(v[3], read64(p + 24));
}

static const uint64_t SEEDS[2] = {0, 0x9e3779b97f4a7c15ULL};

void
ck_hash128_init(ck_hash128_state *st)
{
	memset(st, 0, sizeof(*st));
	stripes_init(st->v[0], SEEDS[0]);
	stripes_init(st->v[1], SEEDS[1]);
}

void
ck_hash128_update(ck_hash128_state *st, const void *data, size_t len)
{
	const unsigned char *p = data, *end = p + len;
	size_t take;

	if (len == 0)
		return; /* data may be NULL then */
	st->total += len;
	if (st->buflen > 0) {
		take = 32 - st->buflen < len ? 32 - st->buflen : len;
		memcpy(st->buf + st->buflen, p, take);
		st->buflen += take;
		p += take;
		if (st->buflen < 32)
			return;
		stripe(st->v[0], st->buf);
		stripe(st->v[1], st->buf);
		st->buflen = 0;
	}
	for (; p + 32 <= end; p += 32) {
		stripe(st->v[0], p);
		stripe(st->v[1], p);
	}
	memcpy(st->buf, p, (size_t)(end - p));
	st->buflen = (size_t)(end - p);
}

static uint64_t
finish64(const ck_hash128_state *st, int k)
{
	const uint64_t *v = st->v[k];
	const unsigned char *p = st->buf, *end = p + st->buflen;
	uint64_t h;

	if (st->total >= 32) {
		h = rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) +
		    rotl(v[3], 18);
		h = merge64(h, v[0]);
		h = merge64(h, v[1]);
		h = merge64(h, v[2]);
		h = merge64(h, v[3]);
	} else {
		h = SEEDS[k] + P5;
	}
	h += st->total;
	for (; p + 8 <= end; p += 8)
		h = rotl(h ^ round64(0, read64(p)), 27) * P1 + P4;
	if (p + 4 <= end) {
		h = rotl(h ^ ((uint64_t)read32(p) * P1), 23) * P2 + P3;
		p += 4;
	}
	for (; p < end; p++)
		h = rotl(h ^ (*p * P5), 11) * P1;
	h ^= h >> 33;
	h *= P2;
	h ^= h >> 29;
	h *= P3;
	h ^= h >> 32;
	return h;
}

void
ck_hash128_final(const ck_hash128_state *st, uint64_t out[2])
{
	out[0] = finish64(st, 0);
	out[1] = finish64(st, 1);
}

void
ck_hash128(uint64_t out[2], const void *data, size_t len)
{
	ck_hash128_state st;

	ck_hash128_init(&st);
	ck_hash128_update(&st, data, len);
	ck_hash128_final(&st, out);
}

/* Each byte's value as a hex digit plus one, 0 for none: a province's
 * manifest has 240,000 hashes to read. */
static const unsigned char hex_digit[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,
    ['6'] = 7,  ['7'] = 8,  ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12,
    ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

int
ck_hash128_parse(uint64_t out[2], const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	uint64_t v[2] = {0, 0};
	unsigned d;
	int i;

	for (i = 0; i < 32; i++) {
		/* 0 also at the NUL of a string too short. */
		if ((d = hex_digit[u[i]]) == 0)
			return -1;
		v[i / 16] = v[i / 16] << 4 | (d - 1);
	}
	out[0] = v[0];
	out[1] = v[1];
	return 0;
}

void
ck_hash128_format(char out[32], const uint64_t h[2])
{
	static const char digits[] = "0123456789abcdef";
	uint64_t v;
	int w, i;

	for (w = 0; w < 2; w++)
		for (v = h[w], i = 15; i >= 0; i--, v >>= 4)
			out[w * 16 + i] = digits[v & 15];
}
