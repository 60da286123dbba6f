/*
 * The open data's deltas (publish/publish_delta.c): each delta made is
 * applied here, by this test's own reading of git's delta format (with
 * git's bounds checks), and must give the new file byte for byte; its size
 * says whether the old bytes were copied rather than inserted again. git
 * itself reads them in tests/e2e/test_incremental.py (git fsck, git show).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "harness.h"
#include "publish_int.h"

/* A file holding n bytes, opened for reading, already unlinked. */
static int
file_of(const char *bytes, size_t n)
{
	char path[] = "/tmp/ck-t-delta-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		abort();
	unlink(path);
	if (write(fd, bytes, n) != (ssize_t)n)
		abort();
	return fd;
}

static int
get_varint(uint64_t *out, const unsigned char **p, const unsigned char *end)
{
	unsigned shift = 0;

	*out = 0;
	do {
		if (*p >= end || shift > 63)
			return -1;
		*out |= (uint64_t)(**p & 0x7f) << shift;
		shift += 7;
	} while (*(*p)++ & 0x80);
	return 0;
}

/* base patched by delta into out; -1 for any instruction git refuses. */
static int
apply(ck_buf *out, const char *base, size_t bn, const ck_buf *delta,
      size_t *copies, size_t *inserted)
{
	const unsigned char *p = (const unsigned char *)delta->ptr,
	                    *end = p + delta->size;
	uint64_t want_base, want_len, off, size;
	unsigned char c;
	int i;

	*copies = *inserted = 0;
	if (get_varint(&want_base, &p, end) || get_varint(&want_len, &p, end) ||
	    want_base != bn)
		return -1;
	while (p < end) {
		c = *p++;
		if (c & 0x80) {
			off = size = 0;
			for (i = 0; i < 4; i++)
				if (c & (1 << i)) {
					if (p >= end)
						return -1;
					off |= (uint64_t)*p++ << (8 * i);
				}
			for (i = 0; i < 3; i++)
				if (c & (0x10 << i)) {
					if (p >= end)
						return -1;
					size |= (uint64_t)*p++ << (8 * i);
				}
			if (size == 0)
				size = 0x10000;
			if (off + size > bn)
				return -1;
			ck_buf_put(out, base + off, (size_t)size);
			(*copies)++;
		} else if (c != 0) {
			if ((size_t)(end - p) < c)
				return -1;
			ck_buf_put(out, p, c);
			p += c;
			*inserted += c;
		} else {
			return -1; /* reserved */
		}
	}
	return out->size == want_len ? 0 : -1;
}

/*
 * Makes the delta from old to new (files), applies it; returns what
 * ck_pub_delta_make returned, with the inserted bytes and copies counted.
 */
static int
round_trip(const char *old, size_t on, const char *new, size_t nn,
           size_t *copies, size_t *inserted)
{
	ck_buf d = CK_BUF_INIT, out = CK_BUF_INIT;
	int fo = file_of(old, on), fn = file_of(new, nn), r;

	r = ck_pub_delta_make(&d, fn, nn, fo, on);
	if (r == 1) {
		CHECK(apply(&out, old, on, &d, copies, inserted) == 0);
		CHECK(out.size == nn && memcmp(out.ptr, new, nn) == 0);
	}
	close(fo);
	close(fn);
	ck_buf_free(&d);
	ck_buf_free(&out);
	return r;
}

/* n bytes of records, as the open data's JSON holds them: record i says
 * i in words and digits, with its indentation. */
static char *
records(size_t n, size_t *len)
{
	ck_buf b = CK_BUF_INIT;
	unsigned long i;

	for (i = 0; b.size < n; i++)
		ck_buf_printf(
		    &b,
		    "    {\n      \"id\": \"q-%06lu\",\n      \"title\": "
		    "\"Câu hỏi số %lu về đất đai thôn %lu\",\n      "
		    "\"status\": \"%s\"\n    },\n",
		    i, i * 7919 % 100003, i % 37,
		    i % 3 ? "answered" : "pending");
	*len = b.size;
	return ck_buf_detach(&b);
}

/* A copy of s (n bytes) with what replaced at each of the k offsets. */
static char *
edited(const char *s, size_t n, const size_t *at, size_t k, const char *what,
       size_t *len)
{
	ck_buf b = CK_BUF_INIT;
	size_t i, from = 0;

	for (i = 0; i < k; i++) {
		ck_buf_put(&b, s + from, at[i] - from);
		ck_buf_puts(&b, what);
		from = at[i] + 3; /* three old bytes give way */
	}
	ck_buf_put(&b, s + from, n - from);
	*len = b.size;
	return ck_buf_detach(&b);
}

static void
test_one_place(void)
{
	size_t n, m, copies, inserted, at;
	char *old = records(1 << 20, &n), *new;

	/* In the middle, at each end, and nothing changed. */
	at = n / 2;
	new = edited(old, n, &at, 1, "một câu thêm", &m);
	CHECK_INT(round_trip(old, n, new, m, &copies, &inserted), 1);
	CHECK_INT(copies, 2);
	CHECK_INT(inserted, strlen("một câu thêm"));
	free(new);
	at = 0;
	new = edited(old, n, &at, 1, "mở đầu", &m);
	CHECK_INT(round_trip(old, n, new, m, &copies, &inserted), 1);
	CHECK_INT(inserted, strlen("mở đầu"));
	free(new);
	at = n - 3;
	new = edited(old, n, &at, 1, "", &m); /* shorter by three */
	CHECK_INT(round_trip(old, n, new, m, &copies, &inserted), 1);
	CHECK_INT(inserted, 0);
	CHECK_INT(round_trip(old, n, old, n, &copies, &inserted), 1);
	CHECK_INT(inserted, 0);
	free(new);
	free(old);
}

static void
test_many_places(void)
{
	size_t n, m, copies, inserted, at[5], i;
	char *old = records(4 << 20, &n), *new;

	/* Far apart: the bytes between are cut by content and found. */
	for (i = 0; i < 5; i++)
		at[i] = n / 10 + i * (n / 5);
	new = edited(old, n, at, 5, "một câu trả lời được sửa", &m);
	CHECK_INT(round_trip(old, n, new, m, &copies, &inserted), 1);
	CHECK(inserted >= 5 * strlen("một câu trả lời được sửa"));
	CHECK(inserted < 5 * 2 * 16384); /* two pieces a change at most */
	CHECK(copies >= 6);
	free(new);
	free(old);
}

static void
test_not_worth_it(void)
{
	size_t n, m, copies, inserted, i;
	char *old = records(1 << 20, &n), *new = malloc(n);

	/* Nothing in common: no delta. */
	for (i = 0; i < n; i++)
		new[i] = (char)(old[i] ^ 0x55);
	CHECK_INT(round_trip(old, n, new, n, &copies, &inserted), 0);
	/* A small file much changed: no delta either. */
	m = 4096;
	memcpy(new, old, m);
	memset(new + 1000, 'x', 500);
	CHECK_INT(round_trip(old, m, new, m, &copies, &inserted), 0);
	/* An empty file from a large one, and the other way round. */
	CHECK_INT(round_trip(old, n, new, 0, &copies, &inserted), 1);
	CHECK_INT(round_trip(new, 0, old, n, &copies, &inserted), 0);
	free(new);
	free(old);
}

static void
test_long_copies(void)
{
	size_t n, m, copies, inserted, at;
	char *old = records(40 << 20, &n), *new;

	/* A copy instruction holds 16 MB at most: 40 MB kept before the
	 * change take three. */
	at = n - 100;
	new = edited(old, n, &at, 1, "cuối", &m);
	CHECK_INT(round_trip(old, n, new, m, &copies, &inserted), 1);
	CHECK_INT(copies, 4); /* three before, one after */
	free(new);
	free(old);
}

int
main(void)
{
	test_one_place();
	test_many_places();
	test_not_worth_it();
	test_long_copies();
	return ck_t_done("t_delta");
}
