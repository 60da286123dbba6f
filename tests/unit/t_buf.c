/* ck_buf's helpers (buf.c): ck_u64_decimal against printf. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "harness.h"

static void
test_decimal(void)
{
	static const uint64_t edges[] = {
	    0,         9,          10,         99,
	    100,       1000000007, UINT32_MAX, (uint64_t)INT64_MAX,
	    UINT64_MAX};
	char want[32], got[21];
	uint64_t x = 0x9e3779b97f4a7c15ULL, v;
	size_t i, n;
	int ok = 1;

	for (i = 0; i < 2000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		v = i < sizeof(edges) / sizeof(*edges) ? edges[i]
		                                       : x >> (i % 64);
		snprintf(want, sizeof(want), "%" PRIu64, v);
		n = ck_u64_decimal(got, v);
		got[n] = '\0';
		ok &= n == strlen(want) && strcmp(got, want) == 0;
	}
	CHECK(ok);
	n = ck_u64_decimal(got, UINT64_MAX);
	CHECK_INT((int)n, 20);
}

int
main(void)
{
	test_decimal();
	return ck_t_done("t_buf");
}
