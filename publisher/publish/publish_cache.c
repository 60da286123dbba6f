/*
 * The blob cache of publishing: <gitdir>/congkhai/blobcache remembers, for
 * the commit it was written for, every file's path, a fast hash and size
 * of its bytes, and its blob id. A file whose fast hash and size match
 * gets that id without SHA-1 and without zlib, so a publish after a small
 * change hashes and writes only what changed. A file made from a
 * fingerprint (ck_site_keep) has it recorded too: a page made from the
 * same inputs keeps its id without being made at all. The cache is never
 * committed and is only a hint: it counts only when it names the branch tip and
 * its own checksum holds; otherwise every file is hashed, as without it.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "publish_int.h"

#define CACHE_MAGIC "congkhai blobcache 2\n"
#define CACHE_DIR "congkhai"
#define CACHE_FILE "congkhai/blobcache"
/* "end " + 32 hex digits + "\n" */
#define TRAILER_LEN 37

/* Orders cached entries bytewise by path (qsort, bsearch). */
static int
cmp_cached(const void *a, const void *b)
{
	return strcmp(((const struct ck_pub_cached *)a)->path,
	              ((const struct ck_pub_cached *)b)->path);
}

/* Reads all of path into out; -1 (errno set) when it cannot. */
static int
read_all(ck_buf *out, const char *path)
{
	return ck_fd_slurp(out, open(path, O_RDONLY | O_CLOEXEC));
}

/*
 * Parses the entries of a cache file's text between s and end into c;
 * -1 when one is malformed or they are not in strict path order.
 */
static int
parse_entries(struct ck_pub_cache *c, const char *s, const char *end)
{
	struct ck_pub_cached *e;
	const char *nul;
	char *stop;
	size_t cap = 0;

	while (s < end) {
		if (c->len == cap) {
			cap = cap ? cap * 2 : 1024;
			c->v = realloc(c->v, cap * sizeof(*c->v));
			if (c->v == NULL)
				err(3, "realloc");
		}
		e = &c->v[c->len];
		/* <hash 32 hex> <made 32 hex, or -> <size> <oid 40 hex>
		 * <path>NUL */
		memset(e, 0, sizeof(*e));
		if (end - s < 32 + 1 + 1 + 1 + 1 + 1 + GIT_OID_HEXSZ + 1 + 1 ||
		    ck_hash128_parse(e->hash, s) < 0 || s[32] != ' ')
			return -1;
		s += 33;
		if (*s == '-') {
			s++;
		} else if (end - s < 33 || ck_hash128_parse(e->made, s) < 0) {
			return -1;
		} else {
			e->has_made = 1;
			s += 32;
		}
		if (*s++ != ' ')
			return -1;
		if (*s < '0' || *s > '9')
			return -1;
		errno = 0;
		e->size = strtoull(s, &stop, 10);
		if (errno != 0 || *stop != ' ' ||
		    end - stop < GIT_OID_HEXSZ + 2)
			return -1;
		s = stop + 1;
		if (git_oid_fromstrn(&e->id, s, GIT_OID_HEXSZ) < 0 ||
		    s[GIT_OID_HEXSZ] != ' ')
			return -1;
		s += GIT_OID_HEXSZ + 1;
		nul = memchr(s, '\0', (size_t)(end - s));
		if (nul == NULL || nul == s)
			return -1;
		e->path = ck_arena_strndup(c->arena, s, (size_t)(nul - s));
		if (c->len > 0 && strcmp(c->v[c->len - 1].path, e->path) >= 0)
			return -1;
		c->len++;
		s = nul + 1;
	}
	return 0;
}

/* The cache's path in the repository's git folder, into out. */
static void
cache_path(ck_buf *out, git_repository *repo, const char *name)
{
	ck_buf_printf(out, "%s%s", git_repository_path(repo), name);
}

/* Loads the cache for commit (see publish_int.h). */
int
ck_pub_cache_load(struct ck_pub_cache *c, git_repository *repo,
                  const git_oid *commit)
{
	ck_buf path = CK_BUF_INIT, text = CK_BUF_INIT, head = CK_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	uint64_t sum[2], want[2];
	const char *body, *end;

	memset(c, 0, sizeof(*c));
	c->arena = ck_arena_new();
	c->state = CK_CACHE_ABSENT;
	if (commit == NULL)
		goto done;
	cache_path(&path, repo, CACHE_FILE);
	if (read_all(&text, path.ptr) != 0) {
		if (errno != ENOENT)
			warn("%s (ignored)", path.ptr);
		goto done;
	}
	c->state = CK_CACHE_DAMAGED;
	git_oid_tostr(hex, sizeof(hex), commit);
	ck_buf_printf(&head, "%scommit ", CACHE_MAGIC);
	if (text.size < head.size + GIT_OID_HEXSZ + 1 + TRAILER_LEN ||
	    memcmp(text.ptr, head.ptr, head.size) != 0)
		goto done;
	end = text.ptr + text.size - TRAILER_LEN;
	if (memcmp(end, "end ", 4) != 0 || end[TRAILER_LEN - 1] != '\n' ||
	    ck_hash128_parse(want, end + 4) < 0)
		goto done;
	ck_hash128(sum, text.ptr, (size_t)(end - text.ptr));
	if (sum[0] != want[0] || sum[1] != want[1])
		goto done;
	body = text.ptr + head.size;
	if (body[GIT_OID_HEXSZ] != '\n')
		goto done;
	if (memcmp(body, hex, GIT_OID_HEXSZ) != 0) {
		c->state = CK_CACHE_STALE;
		goto done;
	}
	if (parse_entries(c, body + GIT_OID_HEXSZ + 1, end) != 0) {
		c->len = 0;
		goto done;
	}
	c->state = CK_CACHE_VALID;
done:
	if (c->state != CK_CACHE_VALID)
		c->len = 0;
	ck_buf_free(&path);
	ck_buf_free(&text);
	ck_buf_free(&head);
	return 0;
}

/* The cached entry of path, or NULL (see publish_int.h). */
const struct ck_pub_cached *
ck_pub_cache_find(const struct ck_pub_cache *c, const char *path)
{
	struct ck_pub_cached key;

	if (c->len == 0)
		return NULL;
	key.path = path;
	return bsearch(&key, c->v, c->len, sizeof(*c->v), cmp_cached);
}

/* Frees what c holds (accepts a zeroed c). */
void
ck_pub_cache_free(struct ck_pub_cache *c)
{
	free(c->v);
	ck_arena_free(c->arena);
	memset(c, 0, sizeof(*c));
}

/* Writes the cache for commit (see publish_int.h). */
int
ck_pub_cache_save(git_repository *repo, const git_oid *commit,
                  const struct ck_pub_cached *v, size_t len)
{
	ck_buf text = CK_BUF_INIT, path = CK_BUF_INIT, tmp = CK_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1], word[32];
	uint64_t sum[2];
	size_t i;
	int rc = -1;

	git_oid_tostr(hex, sizeof(hex), commit);
	ck_buf_printf(&text, "%scommit %s\n", CACHE_MAGIC, hex);
	/* 120,000 lines at 100k: written without printf (0.1 s). */
	for (i = 0; i < len; i++) {
		ck_hash128_format(word, v[i].hash);
		ck_buf_put(&text, word, 32);
		ck_buf_putc(&text, ' ');
		if (v[i].has_made) {
			ck_hash128_format(word, v[i].made);
			ck_buf_put(&text, word, 32);
		} else {
			ck_buf_putc(&text, '-');
		}
		ck_buf_putc(&text, ' ');
		ck_buf_put(&text, word, ck_u64_decimal(word, v[i].size));
		ck_buf_putc(&text, ' ');
		git_oid_fmt(hex, &v[i].id);
		ck_buf_put(&text, hex, GIT_OID_HEXSZ);
		ck_buf_putc(&text, ' ');
		ck_buf_puts(&text, v[i].path);
		ck_buf_putc(&text, '\0');
	}
	ck_hash128(sum, text.ptr, text.size);
	ck_buf_printf(&text, "end %016llx%016llx\n", (unsigned long long)sum[0],
	              (unsigned long long)sum[1]);

	cache_path(&path, repo, CACHE_DIR);
	if (mkdir(path.ptr, 0755) != 0 && errno != EEXIST) {
		warn("%s", path.ptr);
		goto done;
	}
	ck_buf_clear(&path);
	cache_path(&path, repo, CACHE_FILE);
	ck_buf_printf(&tmp, "%s.%ld", path.ptr, (long)getpid());
	if (ck_file_write(tmp.ptr, text.ptr, text.size, false) != 0)
		goto done;
	if (rename(tmp.ptr, path.ptr) != 0) {
		warn("%s", path.ptr);
		unlink(tmp.ptr);
		goto done;
	}
	rc = 0;
done:
	ck_buf_free(&text);
	ck_buf_free(&path);
	ck_buf_free(&tmp);
	return rc;
}
