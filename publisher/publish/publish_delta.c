/*
 * The git delta that makes a new version of a large file from the last
 * one (publish_bigpack.c stores it): copies of the old bytes the new file
 * keeps, the new bytes between.
 *
 * One question changed changes a few hundred bytes of each open data
 * file, so the new version is the old one's bytes before and after that
 * place (found by comparing the two files from each end) with the new
 * bytes between: a delta of a few dozen bytes. When the two differ in
 * several places (a day's commits), the part between is cut where its
 * content says (match_middle), and each piece the old version has too is
 * copied from it.
 *
 * The instructions are git's (pack-format.txt, "Deltified representation"):
 * the base's size and the result's, each a little-endian base-128 number,
 * then copies (0x80 with flags: which offset and size bytes follow) and
 * inserts (1-127: that many literal bytes).
 */
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fileio.h"
#include "hash.h"
#include "publish_int.h"

/* A delta inserting more than this share of the file is not worth it
 * (nor the memory it would take). */
#define DELTA_MAX_SHARE 16

/*
 * How many bytes a (size an) and b (size bn) share at their start (from_end
 * 0) or their end (1), up to max.
 */
static int
shared(uint64_t *out, int a, uint64_t an, int b, uint64_t bn, uint64_t max,
       int from_end, char *wa, char *wb)
{
	uint64_t done = 0;
	size_t n, i;

	*out = 0;
	while (done < max) {
		n = max - done < CK_FD_WINDOW ? (size_t)(max - done)
		                              : CK_FD_WINDOW;
		if (ck_fd_read_at(a, wa, n, from_end ? an - done - n : done) !=
		        0 ||
		    ck_fd_read_at(b, wb, n, from_end ? bn - done - n : done) !=
		        0)
			return -1;
		if (memcmp(wa, wb, n) != 0) {
			if (from_end)
				for (i = 0;
				     i < n && wa[n - 1 - i] == wb[n - 1 - i];
				     i++)
					;
			else
				for (i = 0; i < n && wa[i] == wb[i]; i++)
					;
			*out = done + i;
			return 0;
		}
		done += n;
	}
	*out = done;
	return 0;
}

static void
put_varint(ck_buf *d, uint64_t x)
{
	unsigned char c;

	do {
		c = x & 0x7f;
		x >>= 7;
		if (x)
			c |= 0x80;
		ck_buf_put(d, &c, 1);
	} while (x);
}

/* Copy instructions for size bytes of the base at off. */
static void
put_copy(ck_buf *d, uint64_t off, uint64_t size)
{
	unsigned char op[8];
	size_t n, k, i;

	while (size > 0) {
		n = size < 0xffffff ? (size_t)size : 0xffffff;
		k = 1;
		op[0] = 0x80;
		for (i = 0; i < 4; i++)
			if ((off >> (8 * i)) & 0xff) {
				op[0] |= (unsigned char)(1 << i);
				op[k++] = (off >> (8 * i)) & 0xff;
			}
		for (i = 0; i < 3; i++)
			if ((n >> (8 * i)) & 0xff) {
				op[0] |= (unsigned char)(0x10 << i);
				op[k++] = (n >> (8 * i)) & 0xff;
			}
		ck_buf_put(d, op, k);
		off += n;
		size -= n;
	}
}

/*
 * Content-defined cuts (a Gear rolling hash, as FastCDC and restic cut):
 * the same bytes are cut the same way wherever they sit, so once the cuts
 * of the two files meet again after a change they stay together, and the
 * pieces of the old file are found in the new one. Pieces of CDC_MIN to
 * CDC_MAX bytes, about 2.5 KB: a record of the open data is 0.5-1.5 KB.
 * The JSON's indentation makes them shorter (1.5 KB).
 */
#define CDC_MIN 512
#define CDC_MAX 16384
#define CDC_MASK (0x7ffull << 53)
/* Below this many bytes between, they are simply inserted. */
#define CDC_BELOW 65536
/* Mapped bytes read before they are let go (RSS stays low). */
#define CDC_DROP ((size_t)4 << 20)

/* A piece of the base: its hash, and where it is (offset << 15 | length;
 * 0: a free slot). */
struct piece {
	uint64_t h;
	uint64_t where;
};

static void
gear_init(uint64_t g[256])
{
	uint64_t x = 0x636f6e676b686169ull; /* any fixed seed will do */
	size_t i;

	for (i = 0; i < 256; i++) { /* splitmix64 */
		uint64_t z = (x += 0x9e3779b97f4a7c15ull);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		g[i] = z ^ (z >> 31);
	}
}

/* The length of the piece that starts p (n bytes left). */
static size_t
cut(const unsigned char *p, size_t n, const uint64_t g[256])
{
	size_t i, max = n < CDC_MAX ? n : CDC_MAX;
	uint64_t h = 0;

	if (n <= CDC_MIN)
		return n;
	for (i = CDC_MIN; i < max; i++) {
		h = (h << 1) + g[p[i]];
		if ((h & CDC_MASK) == 0)
			return i + 1;
	}
	return max;
}

/* Lets the mapped pages before upto go from the process's memory (they
 * stay in the page cache). */
static void
drop_mapped(unsigned char *map, size_t *dropped, size_t upto)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), end = upto / page * page;

	if (end >= *dropped + CDC_DROP) {
		madvise(map + *dropped, end - *dropped, MADV_DONTNEED);
		*dropped = end;
	}
}

/* Appends the insert instructions for n bytes at p (127 at most each). */
static void
put_insert(ck_buf *d, const unsigned char *p, size_t n)
{
	unsigned char k;

	for (; n > 0; p += k, n -= k) {
		k = n < 127 ? (unsigned char)n : 127;
		ck_buf_put(d, &k, 1);
		ck_buf_put(d, p, k);
	}
}

/* What match_middle has yet to write: a copy and an insert, one of them
 * empty, each grown as long as the next piece continues it. */
struct pending {
	ck_buf *d;
	const unsigned char *ins; /* the insert's bytes, or NULL */
	size_t ins_len;
	uint64_t copy_off, copy_len;
};

static void
flush_insert(struct pending *w)
{
	if (w->ins_len > 0)
		put_insert(w->d, w->ins, w->ins_len);
	w->ins = NULL;
	w->ins_len = 0;
}

static void
flush_copy(struct pending *w)
{
	put_copy(w->d, w->copy_off, w->copy_len);
	w->copy_len = 0;
}

/*
 * The instructions making the new file's bytes [at, end) from the base's
 * [bat, bend) into d: the base's pieces in a table, the new bytes cut the
 * same way, each piece found there (and the same, byte for byte) copied,
 * the others inserted, until more than max_insert would be. Returns the
 * bytes inserted (more than max_insert: d is of no use), or -1 when the files
 * cannot be mapped.
 */
static int64_t
match_middle(ck_buf *d, int fd, uint64_t at, uint64_t end, int base,
             uint64_t bat, uint64_t bend, int64_t max_insert)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uint64_t g[256], from = at / page * page, bfrom = bat / page * page;
	size_t nlen = (size_t)(end - from), blen = (size_t)(bend - bfrom);
	unsigned char *nm = MAP_FAILED, *bm = MAP_FAILED;
	struct pending w = {d, NULL, 0, 0, 0};
	struct piece *t = NULL, *e;
	size_t cap, mask, i, n, k, used = 0, ndrop = 0, bdrop = 0;
	uint64_t h[2], off;
	int64_t inserted = -1;

	if (bend == bat) { /* nothing to copy from */
		if ((int64_t)(end - at) > max_insert)
			return (int64_t)(end - at);
		nm = mmap(NULL, nlen, PROT_READ, MAP_PRIVATE, fd, (off_t)from);
		if (nm == MAP_FAILED)
			return -1;
		put_insert(d, nm + (at - from), (size_t)(end - at));
		munmap(nm, nlen);
		return (int64_t)(end - at);
	}
	nm = mmap(NULL, nlen, PROT_READ, MAP_PRIVATE, fd, (off_t)from);
	bm = mmap(NULL, blen, PROT_READ, MAP_PRIVATE, base, (off_t)bfrom);
	if (nm == MAP_FAILED || bm == MAP_FAILED)
		goto done;
	gear_init(g);
	/* A slot for every 512 bytes (8 MB for a 138 MB file): pieces of
	 * CDC_MIN bytes at most fill it, to three quarters at most. */
	for (cap = 1024; cap < (size_t)(bend - bat) / CDC_MIN; cap *= 2)
		;
	mask = cap - 1;
	if ((t = calloc(cap, sizeof(*t))) == NULL)
		err(3, "calloc");
	for (i = (size_t)(bat - bfrom); i < blen && used < cap / 4 * 3;
	     i += n) {
		n = cut(bm + i, blen - i, g);
		ck_hash128(h, bm + i, n);
		for (e = &t[h[0] & mask]; e->where != 0;
		     e = &t[(size_t)(e - t + 1) & mask])
			;
		e->h = h[0];
		e->where = (bfrom + i) << 15 | n;
		used++;
		drop_mapped(bm, &bdrop, i);
	}
	madvise(bm, blen, MADV_DONTNEED);
	bdrop = 0;
	inserted = 0;
	for (i = (size_t)(at - from); i < nlen && inserted <= max_insert;
	     i += n) {
		n = cut(nm + i, nlen - i, g);
		ck_hash128(h, nm + i, n);
		off = 0;
		for (e = &t[h[0] & mask], k = 0; e->where != 0 && k < cap;
		     e = &t[(size_t)(e - t + 1) & mask], k++)
			/* Copied only when the bytes are the same, not just
			 * the hash. */
			if (e->h == h[0] && (e->where & 0x7fff) == n &&
			    memcmp(bm + ((e->where >> 15) - bfrom), nm + i,
			           n) == 0) {
				off = e->where >> 15;
				break;
			}
		if (e->where != 0 && k < cap) {
			flush_insert(&w);
			if (w.copy_len == 0 || w.copy_off + w.copy_len != off) {
				flush_copy(&w);
				w.copy_off = off;
			}
			w.copy_len += n;
		} else {
			flush_copy(&w);
			if (w.ins == NULL)
				w.ins = nm + i;
			w.ins_len += n;
			inserted += (int64_t)n;
		}
		drop_mapped(nm, &ndrop, i);
		if (i >= bdrop + CDC_DROP) { /* the base's, read at random */
			madvise(bm, blen, MADV_DONTNEED);
			bdrop = i;
		}
	}
	if (inserted <= max_insert) {
		flush_insert(&w);
		flush_copy(&w);
	}
done:
	if (nm != MAP_FAILED)
		munmap(nm, nlen);
	if (bm != MAP_FAILED)
		munmap(bm, blen);
	free(t);
	return inserted;
}

int
ck_pub_delta_make(ck_buf *d, int fd, uint64_t len, int base, uint64_t bn)
{
	char *wa = malloc(CK_FD_WINDOW), *wb = malloc(CK_FD_WINDOW);
	uint64_t head, tail, min = len < bn ? len : bn, end;
	int64_t inserted;
	int rc = -1;

	if (wa == NULL || wb == NULL)
		err(3, "malloc");
	if (bn >= ((uint64_t)1 << 32)) { /* a copy's offset has 4 bytes */
		rc = 0;
		goto done;
	}
	if (shared(&head, fd, len, base, bn, min, 0, wa, wb) != 0 ||
	    shared(&tail, fd, len, base, bn, min - head, 1, wa, wb) != 0)
		goto done;
	rc = 0;
	put_varint(d, bn);
	put_varint(d, len);
	put_copy(d, 0, head);
	end = len - tail;
	if (end - head < CDC_BELOW && end - head > len / DELTA_MAX_SHARE)
		goto done; /* a small file, much changed */
	if (end - head >= CDC_BELOW) {
		/* Several places changed, or much: the pieces between. */
		inserted = match_middle(d, fd, head, end, base, head, bn - tail,
		                        (int64_t)(len / DELTA_MAX_SHARE));
		if (inserted < 0) {
			rc = -1;
			goto done;
		}
		if ((uint64_t)inserted > len / DELTA_MAX_SHARE)
			goto done;
	} else {
		/* The new bytes between (fewer than CDC_BELOW: they fit in
		 * a window). */
		if (ck_fd_read_at(fd, wa, (size_t)(end - head), head) != 0) {
			rc = -1;
			goto done;
		}
		put_insert(d, (const unsigned char *)wa, (size_t)(end - head));
	}
	put_copy(d, bn - tail, tail);
	rc = 1;
done:
	free(wa);
	free(wb);
	return rc;
}
