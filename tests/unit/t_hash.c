/* ck_hash128 and its streaming form (hash.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "hash.h"

/* Every split of the bytes into two pieces, and byte by byte, gives the
 * one-shot hash (the output folder hashes a spooled file by windows). */
static void
test_streaming_equals_one_shot(void)
{
	unsigned char data[300];
	uint64_t want[2], got[2];
	ck_hash128_state st;
	size_t n, cut, i, bad = 0;

	srand(7);
	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)rand();
	for (n = 0; n <= sizeof(data); n++) {
		ck_hash128(want, data, n);
		for (cut = 0; cut <= n; cut++) {
			ck_hash128_init(&st);
			ck_hash128_update(&st, data, cut);
			ck_hash128_update(&st, data + cut, n - cut);
			ck_hash128_final(&st, got);
			bad += got[0] != want[0] || got[1] != want[1];
		}
		ck_hash128_init(&st);
		for (i = 0; i < n; i++)
			ck_hash128_update(&st, data + i, 1);
		ck_hash128_final(&st, got);
		bad += got[0] != want[0] || got[1] != want[1];
	}
	CHECK_INT(bad, 0);
	/* No bytes may come as NULL (a dialogue without questions yet). */
	ck_hash128_init(&st);
	ck_hash128_update(&st, data, 5);
	ck_hash128_update(&st, NULL, 0);
	ck_hash128_final(&st, got);
	ck_hash128(want, data, 5);
	CHECK(got[0] == want[0] && got[1] == want[1]);
}

/* One changed bit, one more byte, either word: a different hash. */
static void
test_differs(void)
{
	unsigned char a[100] = {0}, b[100] = {0};
	uint64_t ha[2], hb[2];
	size_t i, same = 0;

	for (i = 0; i < sizeof(a) * 8; i++) {
		b[i / 8] = (unsigned char)(1u << (i % 8));
		ck_hash128(ha, a, sizeof(a));
		ck_hash128(hb, b, sizeof(b));
		same += ha[0] == hb[0] || ha[1] == hb[1];
		b[i / 8] = 0;
	}
	CHECK_INT(same, 0);
	ck_hash128(ha, a, 99);
	ck_hash128(hb, a, 100);
	CHECK(ha[0] != hb[0] && ha[1] != hb[1]);
	CHECK(ha[0] != ha[1]);
}

/* ck_hash128_parse reads what the manifests write ("%016llx%016llx"),
 * and nothing else. */
static void
test_parse(void)
{
	uint64_t h[2] = {0x0123456789abcdefULL, 0xfedcba9876543210ULL}, got[2];
	char text[40];

	snprintf(text, sizeof(text), "%016llx%016llx", (unsigned long long)h[0],
	         (unsigned long long)h[1]);
	CHECK_INT(ck_hash128_parse(got, text), 0);
	CHECK(got[0] == h[0] && got[1] == h[1]);
	CHECK_INT(ck_hash128_parse(got, "0123456789ABCDEF0123456789abcdef"),
	          -1);
	CHECK_INT(ck_hash128_parse(got, "0123456789abcdef0123456789abcde"), -1);
	CHECK_INT(ck_hash128_parse(got, "0123456789abcdef0123456789abcdeg"),
	          -1);
	CHECK_INT(ck_hash128_parse(got, " 123456789abcdef0123456789abcdef"),
	          -1);
}

/* format writes what printf's %016llx twice writes, and parse reads. */
static void
test_format(void)
{
	uint64_t h[2], got[2], x = 0x9e3779b97f4a7c15ULL;
	char want[40], text[33];
	int i, ok = 1;

	for (i = 0; i < 2000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		h[0] = i == 0 ? 0 : x;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		h[1] = i == 1 ? UINT64_MAX : x;
		snprintf(want, sizeof(want), "%016llx%016llx",
		         (unsigned long long)h[0], (unsigned long long)h[1]);
		ck_hash128_format(text, h);
		text[32] = '\0';
		ok &= strcmp(text, want) == 0 &&
		      ck_hash128_parse(got, text) == 0 && got[0] == h[0] &&
		      got[1] == h[1];
	}
	CHECK(ok);
}

int
main(void)
{
	test_parse();
	test_format();
	test_streaming_equals_one_shot();
	test_differs();
	return ck_t_done("t_hash");
}
