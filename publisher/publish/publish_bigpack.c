/*
 * The open data's blobs (questions.json and questions.csv, 190 MB at a
 * province) in a pack of their own, each new version stored as a delta
 * against the one before.
 *
 * Written whole, the two files cost every publish a deflate of 190 MB (a
 * tenth of its CPU at 100,000 questions) and 10 MB more in .git: a year
 * of daily publishing would leave some 3.6 GB to every clone. One question
 * changed changes a few hundred bytes of each file: stored as a git delta
 * (OFS_DELTA) against the version before (publish_delta.c), it takes a few
 * dozen.
 *
 * git reads a delta's base from the delta's own pack only, so the pack of
 * the open data is written anew each time: the last one's entries copied
 * as they are (the same offsets), the new versions after them. A memo
 * (<gitdir>congkhai-open-data) lists what that pack holds: each blob's id,
 * offset, CRC and depth. A chain ends at CHAIN_MAX_DEPTH deltas (a reader
 * applies each in turn) and when the pack passes CHAIN_MAX_PACK; the next
 * version then starts a new pack, whole, and the old pack stays as it is,
 * holding the older versions. Without the memo, or with its pack gone (a
 * git gc), the same: a new pack, whole.
 *
 * The base is the checkout's file, which the early look found to be the
 * last commit's blob (its size and time those of git's index): its bytes
 * are the ones the delta copies. Its size and time are checked again after
 * the comparison. (Cut short by someone meanwhile, the file publish_delta.c
 * maps kills the publish with SIGBUS before anything is committed, as a
 * kill would.)
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "fileio.h"
#include "publish_int.h"

/* Deltas in a row before a version is stored whole again: a reader of the
 * newest applies this many, each writing the whole file. */
#define CHAIN_MAX_DEPTH 16
/* A pack past this size is not copied again: the next one starts anew. */
#define CHAIN_MAX_PACK ((uint64_t)512 << 20)
#define MEMO_NAME "congkhai-open-data"
#define MEMO_MAGIC "congkhai open-data pack 1\n"

#define OBJ_BLOB 3
#define OBJ_OFS_DELTA 6

/* An object of the pack being written. */
struct packed {
	git_oid id;
	uint64_t offset;
	uint32_t crc;
	uint32_t depth; /* 0: whole */
};

struct ck_pub_bigpack {
	ck_buf gitdir; /* ends in '/' */
	ck_buf tmp;    /* the pack being written */
	int fd;        /* tmp's, or -1 before the first object */
	uint64_t off;  /* bytes written to it */
	ck_buf old;    /* the pack it continues (removed at the end), or "" */
	struct packed *v; /* the old pack's objects first */
	size_t len, cap, nold;
	size_t deltas;
	EVP_MD_CTX *sha1;
	z_stream z;
	int zinit;
	unsigned char out[1 << 16];
};

static void
put_be32(unsigned char *p, uint32_t x)
{
	p[0] = (unsigned char)(x >> 24);
	p[1] = (unsigned char)(x >> 16);
	p[2] = (unsigned char)(x >> 8);
	p[3] = (unsigned char)x;
}

static struct packed *
find_packed(struct ck_pub_bigpack *b, const git_oid *id)
{
	size_t i;

	for (i = 0; i < b->len; i++) /* a few dozen */
		if (git_oid_equal(&b->v[i].id, id))
			return &b->v[i];
	return NULL;
}

static struct packed *
push_packed(struct ck_pub_bigpack *b)
{
	if (b->len == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		if ((b->v = realloc(b->v, b->cap * sizeof(*b->v))) == NULL)
			err(3, "realloc");
	}
	memset(&b->v[b->len], 0, sizeof(*b->v));
	return &b->v[b->len++];
}

/* The pack path of a memo's or a trailer's hex name, with ext. */
static void
pack_path(ck_buf *out, const struct ck_pub_bigpack *b, const char *hex,
          const char *ext)
{
	ck_buf_clear(out);
	ck_buf_printf(out, "%sobjects/pack/pack-%s.%s", b->gitdir.ptr, hex,
	              ext);
}

/*
 * Reads the memo into b->v (the old pack's objects) and b->old, when it is
 * sound, its pack still there at its size and worth continuing; else
 * leaves b empty: a new pack.
 */
static void
read_memo(struct ck_pub_bigpack *b, uint64_t *old_size)
{
	ck_buf path = CK_BUF_INIT, text = CK_BUF_INIT, idx = CK_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1], oid[GIT_OID_HEXSZ + 1];
	unsigned long long size, offset;
	unsigned crc, depth;
	const char *p, *nl;
	struct packed *e;
	struct stat st;
	int fd;

	*old_size = 0;
	ck_buf_printf(&path, "%s%s", b->gitdir.ptr, MEMO_NAME);
	fd = open(path.ptr, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || ck_fd_read_all(&text, fd) != 0)
		goto fail;
	p = text.ptr;
	if (strncmp(p, MEMO_MAGIC, strlen(MEMO_MAGIC)) != 0)
		goto fail;
	p += strlen(MEMO_MAGIC);
	if (sscanf(p, "pack %40[0-9a-f] %llu\n", hex, &size) != 2 ||
	    strlen(hex) != GIT_OID_HEXSZ || (nl = strchr(p, '\n')) == NULL)
		goto fail;
	for (p = nl + 1; strncmp(p, "end\n", 4) != 0; p = nl + 1) {
		/* A chain at its end: the next version starts a pack. */
		if (sscanf(p, "%40[0-9a-f] %llu %x %u", oid, &offset, &crc,
		           &depth) != 4 ||
		    (nl = strchr(p, '\n')) == NULL ||
		    depth >= CHAIN_MAX_DEPTH || offset >= size)
			goto fail;
		e = push_packed(b);
		if (git_oid_fromstr(&e->id, oid) != 0)
			goto fail;
		e->offset = offset;
		e->crc = crc;
		e->depth = depth;
	}
	if (p[4] != '\0' || b->len == 0)
		goto fail;
	pack_path(&b->old, b, hex, "pack");
	pack_path(&idx, b, hex, "idx");
	if (lstat(b->old.ptr, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size != size || size < 32 ||
	    size > CHAIN_MAX_PACK || access(idx.ptr, R_OK) != 0)
		goto fail;
	*old_size = size;
	goto done;
fail:
	b->len = 0;
	ck_buf_clear(&b->old);
done:
	if (fd >= 0)
		close(fd);
	ck_buf_free(&path);
	ck_buf_free(&text);
	ck_buf_free(&idx);
}

static int
copy_window(void *fd, const void *bytes, size_t n)
{
	return ck_fd_write_all(*(int *)fd, bytes, n);
}

/* Copies the old pack's entries (all but its header and trailer). */
static int
copy_old(struct ck_pub_bigpack *b, uint64_t size)
{
	int fd, rc;

	if ((fd = open(b->old.ptr, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -1;
	rc = ck_fd_each_window_at(fd, 12, size - 12 - 20, copy_window, &b->fd);
	close(fd);
	if (rc == 0)
		b->off = size - 20;
	return rc;
}

struct ck_pub_bigpack *
ck_pub_bigpack_new(const char *gitdir)
{
	struct ck_pub_bigpack *b = calloc(1, sizeof(*b));

	if (b == NULL)
		err(3, "calloc");
	b->fd = -1;
	ck_buf_init(&b->gitdir);
	ck_buf_init(&b->tmp);
	ck_buf_init(&b->old);
	ck_buf_puts(&b->gitdir, gitdir);
	return b;
}

/* Starts the pack on the first object: the old one's entries copied when
 * the memo says there is one to continue. */
static int
begin(struct ck_pub_bigpack *b)
{
	unsigned char header[12] = {'P', 'A', 'C', 'K', 0, 0, 0, 2};
	uint64_t old_size;

	if (b->fd >= 0)
		return 0;
	read_memo(b, &old_size);
	ck_buf_printf(&b->tmp, "%sobjects/pack/tmp_pack_congkhai_XXXXXX",
	              b->gitdir.ptr);
	if ((b->fd = mkstemp(b->tmp.ptr)) < 0) {
		warn("%s", b->tmp.ptr);
		ck_buf_clear(&b->tmp);
		return -1;
	}
	if (ck_fd_write_all(b->fd, header, sizeof(header)) != 0) {
		warn("%s", b->tmp.ptr);
		return -1;
	}
	b->off = sizeof(header);
	if (b->len > 0 && copy_old(b, old_size) != 0) {
		/* Not continued after all: a pack of its own. */
		b->len = 0;
		ck_buf_clear(&b->old);
		if (ftruncate(b->fd, (off_t)sizeof(header)) != 0 ||
		    lseek(b->fd, (off_t)sizeof(header), SEEK_SET) < 0) {
			warn("%s", b->tmp.ptr);
			return -1;
		}
		b->off = sizeof(header);
	}
	b->nold = b->len;
	return 0;
}

/* An entry's header: its type and size (git's pack format). */
static size_t
entry_header(unsigned char *h, int type, uint64_t size)
{
	size_t n = 0;
	unsigned char c = (unsigned char)((type << 4) | (size & 15));

	size >>= 4;
	while (size) {
		h[n++] = c | 0x80;
		c = size & 0x7f;
		size >>= 7;
	}
	h[n++] = c;
	return n;
}

/* An OFS_DELTA's distance back to its base. */
static size_t
ofs_encode(unsigned char *out, uint64_t ofs)
{
	unsigned char buf[16];
	size_t pos = sizeof(buf) - 1;

	buf[pos] = ofs & 127;
	while (ofs >>= 7)
		buf[--pos] = (unsigned char)(128 | (--ofs & 127));
	memcpy(out, buf + pos, sizeof(buf) - pos);
	return sizeof(buf) - pos;
}

/* Writes n bytes of the entry, counting them into its CRC. */
static int
entry_write(struct ck_pub_bigpack *b, uint32_t *crc, const void *bytes,
            size_t n)
{
	*crc = (uint32_t)crc32(*crc, bytes, (uInt)n);
	if (ck_fd_write_all(b->fd, bytes, n) != 0)
		return -1;
	b->off += n;
	return 0;
}

/* Deflates n bytes (flush Z_NO_FLUSH or Z_FINISH) into the entry. */
static int
entry_deflate(struct ck_pub_bigpack *b, uint32_t *crc, const void *bytes,
              size_t n, int flush)
{
	int zr;

	b->z.next_in = (unsigned char *)bytes;
	b->z.avail_in = (uInt)n;
	do {
		b->z.next_out = b->out;
		b->z.avail_out = sizeof(b->out);
		zr = deflate(&b->z, flush);
		if (zr == Z_STREAM_ERROR)
			return -1;
		if (entry_write(b, crc, b->out,
		                sizeof(b->out) - b->z.avail_out) != 0)
			return -1;
	} while (b->z.avail_out == 0 ||
	         (flush == Z_FINISH && zr != Z_STREAM_END));
	return 0;
}

static int
z_begin(struct ck_pub_bigpack *b)
{
	if (b->zinit && deflateReset(&b->z) == Z_OK)
		return 0;
	memset(&b->z, 0, sizeof(b->z));
	if (deflateInit(&b->z, Z_BEST_SPEED) != Z_OK)
		return -1;
	b->zinit = 1;
	return 0;
}

/* The blob id of len bytes of fd: SHA-1 of "blob <len>\0" and them. */
struct whole {
	struct ck_pub_bigpack *b;
	uint32_t crc;
	int hash;    /* the bytes go into b->sha1 */
	int deflate; /* also written, deflated, as the entry's data */
};

static int
whole_window(void *arg, const void *bytes, size_t n)
{
	struct whole *w = arg;

	if (w->hash && EVP_DigestUpdate(w->b->sha1, bytes, n) != 1)
		return -1;
	return w->deflate ? entry_deflate(w->b, &w->crc, bytes, n, Z_NO_FLUSH)
	                  : 0;
}

static int
sha1_begin(struct ck_pub_bigpack *b, size_t len)
{
	char header[64];
	int n = snprintf(header, sizeof(header), "blob %zu", len) + 1;

	if (b->sha1 == NULL && (b->sha1 = EVP_MD_CTX_new()) == NULL)
		return -1;
	return EVP_DigestInit_ex(b->sha1, EVP_sha1(), NULL) == 1 &&
	               EVP_DigestUpdate(b->sha1, header, (size_t)n) == 1
	           ? 0
	           : -1;
}

static int
sha1_end(struct ck_pub_bigpack *b, git_oid *id)
{
	unsigned char raw[EVP_MAX_MD_SIZE];
	unsigned int rawlen = 0;

	if (EVP_DigestFinal_ex(b->sha1, raw, &rawlen) != 1 ||
	    rawlen != GIT_OID_RAWSZ)
		return -1;
	git_oid_fromraw(id, raw);
	return 0;
}

/* The blob id of the first len bytes of fd, into *id. */
static int
blob_id(struct ck_pub_bigpack *b, git_oid *id, int fd, size_t len)
{
	struct whole w = {b, 0, 1, 0};

	return sha1_begin(b, len) != 0 ||
	               ck_fd_each_window(fd, len, whole_window, &w) != 0 ||
	               sha1_end(b, id) != 0
	           ? -1
	           : 0;
}

/* The entry of a delta d against base, at b->off. */
static int
put_delta_entry(struct ck_pub_bigpack *b, const git_oid *id,
                const struct packed *base, const ck_buf *d)
{
	unsigned char h[32];
	uint64_t at = b->off;
	uint32_t crc = (uint32_t)crc32(0, NULL, 0), depth = base->depth + 1;
	uint64_t base_off = base->offset;
	size_t n;
	struct packed *e;

	n = entry_header(h, OBJ_OFS_DELTA, d->size);
	n += ofs_encode(h + n, at - base_off);
	if (entry_write(b, &crc, h, n) != 0 || z_begin(b) != 0 ||
	    entry_deflate(b, &crc, d->ptr, d->size, Z_FINISH) != 0)
		return -1;
	e = push_packed(b);
	git_oid_cpy(&e->id, id);
	e->offset = at;
	e->crc = crc;
	e->depth = depth;
	b->deltas++;
	return 0;
}

int
ck_pub_bigpack_put(struct ck_pub_bigpack *b, git_oid *id, const char *path,
                   int fd, size_t len, int base_fd, const git_oid *base_id)
{
	const struct packed *base;
	struct packed *e;
	struct whole w = {b, 0, 1, 0};
	struct stat before, after;
	git_oid had;
	ck_buf d = CK_BUF_INIT;
	unsigned char h[16];
	uint64_t at;
	int r, known = 0, rc = -1;

	if (begin(b) != 0)
		goto done;
	base = base_fd >= 0 && base_id != NULL ? find_packed(b, base_id) : NULL;
	if (base != NULL && fstat(base_fd, &before) == 0) {
		/* The id first: a version the pack has already is not
		 * written again. */
		if (blob_id(b, id, fd, len) != 0)
			goto fail;
		if (find_packed(b, id) != NULL) {
			rc = 0;
			goto done;
		}
		known = 1;
		/*
		 * The base's bytes must be base_id's: the checkout's file
		 * was vouched for by its size and times, and a delta against
		 * other bytes would put a corrupt object into the history
		 * for good. Hashing it costs a tenth of a second at 100k.
		 */
		r = blob_id(b, &had, base_fd, (size_t)before.st_size) == 0 &&
		            git_oid_equal(&had, base_id)
		        ? ck_pub_delta_make(&d, fd, len, base_fd,
		                            (uint64_t)before.st_size)
		        : 0;
		/* Not worth it, or the base unreadable or another: whole.
		 * Unchanged while read: its bytes are the base's. */
		if (r == 1 && fstat(base_fd, &after) == 0 &&
		    after.st_size == before.st_size &&
		    after.st_mtim.tv_sec == before.st_mtim.tv_sec &&
		    after.st_mtim.tv_nsec == before.st_mtim.tv_nsec &&
		    after.st_ctim.tv_sec == before.st_ctim.tv_sec &&
		    after.st_ctim.tv_nsec == before.st_ctim.tv_nsec &&
		    after.st_ino == before.st_ino) {
			if (put_delta_entry(b, id, base, &d) != 0)
				goto fail;
			rc = 0;
			goto done;
		}
	}
	/* Whole: hashed (unless the id is known already, from above) and
	 * deflated in one pass. */
	at = b->off;
	w.crc = (uint32_t)crc32(0, NULL, 0);
	w.hash = !known;
	w.deflate = 1;
	if ((w.hash && sha1_begin(b, len) != 0) || z_begin(b) != 0 ||
	    entry_write(b, &w.crc, h, entry_header(h, OBJ_BLOB, len)) != 0 ||
	    ck_fd_each_window(fd, len, whole_window, &w) != 0 ||
	    entry_deflate(b, &w.crc, "", 0, Z_FINISH) != 0 ||
	    (w.hash && sha1_end(b, id) != 0))
		goto fail;
	if (!known && find_packed(b, id) != NULL) {
		/* Had already: the entry taken back. */
		if (ftruncate(b->fd, (off_t)at) != 0 ||
		    lseek(b->fd, (off_t)at, SEEK_SET) < 0)
			goto fail;
		b->off = at;
	} else {
		e = push_packed(b);
		git_oid_cpy(&e->id, id);
		e->offset = at;
		e->crc = w.crc;
	}
	rc = 0;
	goto done;
fail:
	warn("%s: writing its blob into %s", path,
	     b->tmp.size ? b->tmp.ptr : b->gitdir.ptr);
done:
	ck_buf_free(&d);
	return rc;
}

static int
cmp_packed(const void *a, const void *b)
{
	return git_oid_cmp(&((const struct packed *)a)->id,
	                   &((const struct packed *)b)->id);
}

static int
sha1_window(void *arg, const void *bytes, size_t n)
{
	return EVP_DigestUpdate(arg, bytes, n) == 1 ? 0 : -1;
}

/* Appends the pack's SHA-1 trailer (over all it holds) into sum. */
static int
pack_trailer(struct ck_pub_bigpack *b, unsigned char sum[20])
{
	unsigned int n = 0;

	return EVP_DigestInit_ex(b->sha1, EVP_sha1(), NULL) == 1 &&
	               ck_fd_each_window(b->fd, b->off, sha1_window, b->sha1) ==
	                   0 &&
	               EVP_DigestFinal_ex(b->sha1, sum, &n) == 1 && n == 20 &&
	               pwrite(b->fd, sum, 20, (off_t)b->off) == 20
	           ? 0
	           : -1;
}

/* The pack's index (version 2), sorted by id, into out. */
static int
make_index(ck_buf *out, struct ck_pub_bigpack *b, const unsigned char sum[20])
{
	struct packed *v = malloc(b->len * sizeof(*v));
	unsigned char word[8], idx_sum[20];
	uint32_t fan[256] = {0}, large = 0;
	unsigned int n = 0;
	size_t i, k;

	if (v == NULL)
		err(3, "malloc");
	memcpy(v, b->v, b->len * sizeof(*v));
	qsort(v, b->len, sizeof(*v), cmp_packed);
	ck_buf_put(out, "\377tOc\0\0\0\2", 8);
	for (i = 0; i < b->len; i++)
		for (k = v[i].id.id[0]; k < 256; k++)
			fan[k]++;
	for (k = 0; k < 256; k++) {
		put_be32(word, fan[k]);
		ck_buf_put(out, word, 4);
	}
	for (i = 0; i < b->len; i++)
		ck_buf_put(out, v[i].id.id, GIT_OID_RAWSZ);
	for (i = 0; i < b->len; i++) {
		put_be32(word, v[i].crc);
		ck_buf_put(out, word, 4);
	}
	for (i = 0; i < b->len; i++) {
		put_be32(word, v[i].offset < 0x80000000u
		                   ? (uint32_t)v[i].offset
		                   : 0x80000000u | large++);
		ck_buf_put(out, word, 4);
	}
	for (i = 0; i < b->len; i++)
		if (v[i].offset >= 0x80000000u) {
			put_be32(word, (uint32_t)(v[i].offset >> 32));
			put_be32(word + 4, (uint32_t)v[i].offset);
			ck_buf_put(out, word, 8);
		}
	ck_buf_put(out, sum, 20);
	free(v);
	if (EVP_DigestInit_ex(b->sha1, EVP_sha1(), NULL) != 1 ||
	    EVP_DigestUpdate(b->sha1, out->ptr, out->size) != 1 ||
	    EVP_DigestFinal_ex(b->sha1, idx_sum, &n) != 1 || n != 20)
		return -1;
	ck_buf_put(out, idx_sum, 20);
	return 0;
}

/* The memo of the pack named hex, size bytes: every object it holds. */
static void
write_memo(struct ck_pub_bigpack *b, const char *hex, uint64_t size)
{
	ck_buf text = CK_BUF_INIT, path = CK_BUF_INIT;
	char oid[GIT_OID_HEXSZ + 1];
	size_t i;

	ck_buf_puts(&text, MEMO_MAGIC);
	ck_buf_printf(&text, "pack %s %" PRIu64 "\n", hex, size);
	for (i = 0; i < b->len; i++) {
		git_oid_tostr(oid, sizeof(oid), &b->v[i].id);
		ck_buf_printf(&text, "%s %" PRIu64 " %08x %u\n", oid,
		              b->v[i].offset, b->v[i].crc, b->v[i].depth);
	}
	ck_buf_puts(&text, "end\n");
	ck_buf_printf(&path, "%s%s", b->gitdir.ptr, MEMO_NAME);
	/* A hint: without it the next version is stored whole. */
	if (ck_file_replace(path.ptr, text.ptr, text.size) != 0)
		unlink(path.ptr);
	ck_buf_free(&text);
	ck_buf_free(&path);
}

int
ck_pub_bigpack_finish(struct ck_pub_bigpack *b, size_t *deltas)
{
	unsigned char header[12] = {'P', 'A', 'C', 'K', 0, 0, 0, 2}, sum[20];
	ck_buf idx = CK_BUF_INIT, dest = CK_BUF_INIT, tmpidx = CK_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid name;
	int rc = -1;

	*deltas = b->deltas;
	if (b->fd < 0)
		return 0;        /* nothing put */
	if (b->len == b->nold) { /* every one there already */
		rc = 0;
		goto done;
	}
	put_be32(header + 8, (uint32_t)b->len);
	if (pwrite(b->fd, header, sizeof(header), 0) != sizeof(header) ||
	    pack_trailer(b, sum) != 0 || make_index(&idx, b, sum) != 0)
		goto fail;
	git_oid_fromraw(&name, sum);
	git_oid_tostr(hex, sizeof(hex), &name);
	ck_buf_printf(&tmpidx, "%s.idx", b->tmp.ptr);
	if (fchmod(b->fd, 0444) != 0 || close(b->fd) != 0) {
		b->fd = -1;
		goto fail;
	}
	b->fd = -1;
	/* The pack, then its index: git reads a pack only by its index. */
	pack_path(&dest, b, hex, "pack");
	if (rename(b->tmp.ptr, dest.ptr) != 0 ||
	    ck_file_write(tmpidx.ptr, idx.ptr, idx.size, true) != 0 ||
	    chmod(tmpidx.ptr, 0444) != 0)
		goto fail;
	pack_path(&dest, b, hex, "idx");
	if (rename(tmpidx.ptr, dest.ptr) != 0)
		goto fail;
	write_memo(b, hex, b->off + 20);
	/* Every object of the old pack is in the new one. */
	pack_path(&dest, b, hex, "pack");
	if (b->old.size > 0 && strcmp(b->old.ptr, dest.ptr) != 0) {
		ck_buf_clear(&dest);
		ck_buf_put(&dest, b->old.ptr, b->old.size - strlen("pack"));
		ck_buf_puts(&dest, "idx");
		/* The index first: a pack without one is not read. */
		if (unlink(dest.ptr) == 0)
			unlink(b->old.ptr);
	}
	rc = 0;
	goto done;
fail:
	warn("%s", b->tmp.ptr);
done:
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	if (b->tmp.size > 0)
		unlink(b->tmp.ptr); /* renamed, or not wanted */
	if (tmpidx.size > 0)
		unlink(tmpidx.ptr);
	ck_buf_free(&idx);
	ck_buf_free(&dest);
	ck_buf_free(&tmpidx);
	return rc;
}

void
ck_pub_bigpack_free(struct ck_pub_bigpack *b)
{
	if (b == NULL)
		return;
	if (b->fd >= 0) {
		close(b->fd);
		unlink(b->tmp.ptr);
	}
	if (b->zinit)
		deflateEnd(&b->z);
	EVP_MD_CTX_free(b->sha1);
	ck_buf_free(&b->gitdir);
	ck_buf_free(&b->tmp);
	ck_buf_free(&b->old);
	free(b->v);
	free(b);
}
