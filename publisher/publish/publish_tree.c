/*
 * The site's tree, without an index or a working tree: each file's blob id
 * taken from the blob cache (publish_cache.c) or hashed, new blobs written
 * into memory and then to disk as one pack (a large file handed over open
 * is streamed into the loose store instead, publish_stream.c); the tree is the
 * previous one edited where the site differs, or, without a valid cache,
 * written whole, one tree per folder, bottom-up.
 */
#include <err.h>
#include <fcntl.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "publish_int.h"

/* New objects held in memory beyond this go to disk as a pack. */
#define PACK_FLUSH_BYTES (128u << 20)
/* More changes than this: the tree is written whole, not edited. */
#define MAX_TREE_UPDATES 10000

/*
 * Writes a blob unless the object database has it already; its id in id.
 * New blobs gather in the in-memory backend, flushed as a pack now and
 * then so that a first publish does not hold the site twice.
 */
static int
put_blob(struct ck_publisher *p, git_oid *id, const void *data, size_t len)
{
	if (git_odb_hash(id, data, len, GIT_OBJECT_BLOB) < 0)
		return -1;
	p->stats.hashed++;
	if (git_odb_exists(p->odb, id))
		return 0;
	if (git_odb_write(id, p->odb, data, len, GIT_OBJECT_BLOB) < 0)
		return -1;
	p->stats.written++;
	p->files.pending += len;
	if (p->files.pending >= PACK_FLUSH_BYTES && ck_pub_write_pack(p) < 0)
		return -2;
	return 0;
}

/* Orders files bytewise by path (qsort). */
static int
cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct ck_pub_cached *)a)->path,
	              ((const struct ck_pub_cached *)b)->path);
}

/*
 * A new entry of the tree for path, its id taken from the cache when the
 * cache knows these bytes (returns 1), else left for the caller (0).
 */
static int
add_entry(struct ck_pub_cached **out, struct ck_publisher *p, const char *path,
          size_t len, const uint64_t hash[2])
{
	struct ck_pub_files *f = &p->files;
	const struct ck_pub_cached *had;
	struct ck_pub_cached *e;

	if (f->len == f->cap) {
		/* Room for the site of last time at once: a province's
		 * entries grown by doubling held them twice for a moment. */
		f->cap = f->cap                    ? f->cap * 2
		         : p->cache.len + 64 > 256 ? p->cache.len + 64
		                                   : 256;
		f->v = realloc(f->v, f->cap * sizeof(*f->v));
		if (f->v == NULL)
			err(3, "realloc");
	}
	if (f->arena == NULL)
		f->arena = ck_arena_new();
	e = &f->v[f->len];
	memset(e, 0, sizeof(*e));
	had = ck_pub_cache_find(&p->cache, path);
	/* The cache's copy of the path, which lives as long. */
	e->path = had != NULL ? had->path : ck_arena_strdup(f->arena, path);
	e->size = len;
	e->hash[0] = hash[0];
	e->hash[1] = hash[1];
	*out = e;
	if (had != NULL && had->size == len && had->hash[0] == e->hash[0] &&
	    had->hash[1] == e->hash[1]) {
		git_oid_cpy(&e->id, &had->id);
		e->unchanged = 1;
		p->stats.reused++;
		return 1;
	}
	return 0;
}

/* Counts the entry added (add_entry), its id known, made from made. */
static void
entry_done(struct ck_publisher *p, struct ck_pub_cached *e,
           const uint64_t *made)
{
	const struct ck_pub_cached *had = ck_pub_cache_find(&p->cache, e->path);

	if (!e->unchanged)
		e->unchanged = had != NULL && git_oid_equal(&had->id, &e->id);
	/* CONGKHAI_CHECK_KEEP (the tests): as outdir.c's put. */
	if (made != NULL && had != NULL && had->has_made &&
	    had->made[0] == made[0] && had->made[1] == made[1] &&
	    !git_oid_equal(&had->id, &e->id) &&
	    getenv("CONGKHAI_CHECK_KEEP") != NULL)
		errx(3,
		     "internal error: %s: made from the same fingerprint as "
		     "before, but other bytes",
		     e->path);
	if (made != NULL) {
		e->made[0] = made[0];
		e->made[1] = made[1];
		e->has_made = 1;
	}
	if (had == NULL || had->has_made != e->has_made ||
	    (e->has_made &&
	     (had->made[0] != e->made[0] || had->made[1] != e->made[1])))
		p->files.made_changed = 1;
	p->files.len++;
	p->stats.files++;
}

/* One file of the tree: its blob id from the cache or hashed (see
 * publish_int.h). */
int
ck_pub_add_file(struct ck_publisher *p, const char *path, const void *data,
                size_t len, const uint64_t *hash, const uint64_t *made)
{
	struct ck_pub_cached *e;
	uint64_t own[2];
	int rc;

	if (hash == NULL) {
		ck_hash128(own, data, len);
		hash = own;
	}
	if (add_entry(&e, p, path, len, hash) == 0 &&
	    (rc = put_blob(p, &e->id, data, len)) < 0)
		return rc == -2 ? -3 : ck_pub_git_fail("%s", path);
	entry_done(p, e, made);
	return 0;
}

int
ck_pub_keep_file(struct ck_publisher *p, const char *path,
                 const uint64_t made[2])
{
	const struct ck_pub_cached *had = ck_pub_cache_find(&p->cache, path);
	struct ck_pub_cached *e;

	if (had == NULL || !had->has_made || had->made[0] != made[0] ||
	    had->made[1] != made[1])
		return 0;
	/* The cache's bytes: add_entry takes its blob id. */
	if (add_entry(&e, p, path, had->size, had->hash) != 1)
		return 0;
	entry_done(p, e, made);
	p->stats.kept++;
	return 1;
}

int
ck_pub_add_file_fd(struct ck_publisher *p, const char *path, int fd,
                   size_t len, const uint64_t *hash)
{
	struct ck_pub_cached *e;
	struct ck_pub_spooled *s;

	if (add_entry(&e, p, path, len, hash) == 0) {
		s = realloc(p->spooled, (p->nspooled + 1) * sizeof(*s));
		if (s == NULL)
			err(3, "realloc");
		p->spooled = s;
		s = &p->spooled[p->nspooled];
		if ((s->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0) {
			warn("%s", path);
			return -3;
		}
		s->path = e->path;
		s->len = len;
		memset(&s->id, 0, sizeof(s->id));
		p->nspooled++;
		/* Its id comes when the publication finishes. */
		if (ck_pub_stream_queue(p, e->path, s->fd, len, p->files.len,
		                        p->nspooled - 1) < 0)
			return -3;
	}
	entry_done(p, e, NULL);
	return 0;
}

/*
 * Larger objects (the open data files) are written loose: libgit2's delta
 * search takes seconds on two such files, and they seldom delta well.
 */
#define MAX_PACKED_OBJECT (1u << 20)

/*
 * The in-memory object store: libgit2's mempack, wrapped to note the id of
 * every object written, which the pack then lists; large objects go
 * straight to a loose store instead.
 */
struct recorder {
	git_odb_backend parent;
	git_odb_backend *mem;
	git_odb_backend *loose;
	git_oid *ids;
	size_t len, cap;
};

static git_odb_backend *
inner(git_odb_backend *b)
{
	return ((struct recorder *)b)->mem;
}

static int
rec_read(void **data, size_t *len, git_object_t *type, git_odb_backend *b,
         const git_oid *id)
{
	return inner(b)->read(data, len, type, inner(b), id);
}

static int
rec_read_header(size_t *len, git_object_t *type, git_odb_backend *b,
                const git_oid *id)
{
	return inner(b)->read_header(len, type, inner(b), id);
}

static int
rec_exists(git_odb_backend *b, const git_oid *id)
{
	return inner(b)->exists(inner(b), id);
}

static int
rec_write(git_odb_backend *b, const git_oid *id, const void *data, size_t len,
          git_object_t type)
{
	struct recorder *r = (struct recorder *)b;
	int rc;

	if (len > MAX_PACKED_OBJECT)
		return r->loose->write(r->loose, id, data, len, type);
	rc = r->mem->write(r->mem, id, data, len, type);
	if (rc < 0)
		return rc;
	if (r->len == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 256;
		r->ids = realloc(r->ids, r->cap * sizeof(*r->ids));
		if (r->ids == NULL)
			err(3, "realloc");
	}
	git_oid_cpy(&r->ids[r->len++], id);
	return 0;
}

static void
rec_free(git_odb_backend *b)
{
	struct recorder *r = (struct recorder *)b;

	r->mem->free(r->mem);
	r->loose->free(r->loose);
	free(r->ids);
	free(r);
}

/* A recorder around a new mempack, in out (freed by its odb). */
static int
recorder_new(git_odb_backend **out, git_repository *repo)
{
	struct recorder *r = calloc(1, sizeof(*r));
	ck_buf objects = CK_BUF_INIT;
	int rc;

	if (r == NULL)
		err(3, "calloc");
	ck_buf_printf(&objects, "%sobjects", git_repository_path(repo));
	/* Compression level 1: the large files are written fast. */
	rc = git_odb_backend_loose(&r->loose, objects.ptr, 1, 0, 0, 0);
	ck_buf_free(&objects);
	if (rc < 0 || git_mempack_new(&r->mem) < 0 || r->mem->read == NULL ||
	    r->mem->read_header == NULL || r->mem->exists == NULL ||
	    r->mem->write == NULL) {
		if (r->mem != NULL)
			r->mem->free(r->mem);
		if (r->loose != NULL)
			r->loose->free(r->loose);
		free(r);
		return -1;
	}
	git_odb_init_backend(&r->parent, GIT_ODB_BACKEND_VERSION);
	r->parent.read = rec_read;
	r->parent.read_header = rec_read_header;
	r->parent.exists = rec_exists;
	r->parent.write = rec_write;
	r->parent.free = rec_free;
	*out = &r->parent;
	return 0;
}

/* Writes the objects held in memory as one pack (see publish_int.h). */
int
ck_pub_write_pack(struct ck_publisher *p)
{
	struct recorder *r = (struct recorder *)p->mempack;
	git_packbuilder *pb = NULL;
	size_t i;
	int rc = 0;

	if (r == NULL || r->len == 0)
		return 0;
	if (git_packbuilder_new(&pb, p->repo) < 0) {
		rc = ck_pub_git_fail("%s: packing the new objects", p->o->repo);
		goto done;
	}
	/* The delta search on every core (0: as many threads as cores). */
	git_packbuilder_set_threads(pb, 0);
	for (i = 0; i < r->len; i++)
		if (git_packbuilder_insert(pb, &r->ids[i], NULL) < 0) {
			rc = ck_pub_git_fail("%s: packing the new objects",
			                     p->o->repo);
			goto done;
		}
	/* The pack and its index, written whole, then renamed in place. */
	if (git_packbuilder_write(pb, NULL, 0, NULL, NULL) < 0) {
		rc = ck_pub_git_fail("%s: writing a pack", p->o->repo);
		goto done;
	}
	p->stats.packs++;
	p->stats.packed += git_packbuilder_object_count(pb);
	/* Read from the pack from now on; memory holds only what is new. */
	git_odb_refresh(p->odb);
	if (git_mempack_reset(r->mem) < 0) {
		rc = ck_pub_git_fail("%s: packing", p->o->repo);
		goto done;
	}
	r->len = 0;
	p->files.pending = 0;
done:
	git_packbuilder_free(pb);
	return rc;
}

/*
 * Puts name (a file or folder of path) in the tree being built; refuses a
 * name taken already, which the site's flat list of paths cannot rule out.
 */
static int
tb_insert(git_treebuilder *tb, const char *name, const git_oid *id,
          git_filemode_t mode, const char *path)
{
	if (git_treebuilder_get(tb, name) != NULL) {
		fprintf(stderr,
		        "congkhai publish: %s: two files, or a file and a "
		        "folder, have that name\n",
		        path);
		return -3;
	}
	if (git_treebuilder_insert(NULL, tb, name, id, mode) < 0)
		return ck_pub_git_fail("cannot put %s in a git tree", path);
	return 0;
}

/*
 * Writes the tree of the files e[lo..hi), which all start with the same
 * folder prefix of plen bytes; bottom-up, one tree per folder. Trees that
 * exist already are not written again (the object database sees to it).
 */
static int
write_tree(struct ck_publisher *p, git_oid *out, const struct ck_pub_cached *e,
           size_t lo, size_t hi, size_t plen)
{
	git_treebuilder *tb = NULL;
	ck_buf name = CK_BUF_INIT;
	const char *rest, *slash;
	size_t i = lo, j, nlen;
	git_oid id;
	int rc;

	if (git_treebuilder_new(&tb, p->repo, NULL) < 0)
		return ck_pub_git_fail("tree builder");
	while (i < hi) {
		rest = e[i].path + plen;
		slash = strchr(rest, '/');
		if (slash == NULL) {
			if ((rc = tb_insert(tb, rest, &e[i].id,
			                    GIT_FILEMODE_BLOB, e[i].path)) < 0)
				goto done;
			i++;
			continue;
		}
		nlen = (size_t)(slash - rest);
		for (j = i + 1; j < hi; j++)
			if (strncmp(e[j].path + plen, rest, nlen + 1) != 0)
				break;
		ck_buf_clear(&name);
		ck_buf_put(&name, rest, nlen);
		if ((rc = write_tree(p, &id, e, i, j, plen + nlen + 1)) < 0 ||
		    (rc = tb_insert(tb, name.ptr, &id, GIT_FILEMODE_TREE,
		                    e[i].path)) < 0)
			goto done;
		i = j;
	}
	if (git_treebuilder_write(out, tb) < 0) {
		rc = ck_pub_git_fail("writing a tree");
		goto done;
	}
	rc = 0;
done:
	git_treebuilder_free(tb);
	ck_buf_free(&name);
	return rc;
}

/*
 * Whether a file of the sorted list f[0..n) is also a folder of another
 * ("a" and "a/b"), which only writing the tree whole reports well.
 */
static int
file_is_folder(const struct ck_pub_cached *f, size_t n)
{
	size_t i, j, len;

	for (i = 0; i < n; i++) {
		len = strlen(f[i].path);
		/* "a/..." sorts after "a" and "a<anything below '/'>...". */
		for (j = i + 1;
		     j < n && strncmp(f[j].path, f[i].path, len) == 0; j++)
			if (f[j].path[len] == '/')
				return 1;
	}
	return 0;
}

/*
 * Edits the previous tree: the files that differ from it put in, the
 * paths of it (all listed in the valid cache) that the site lacks taken
 * out. Returns 0, 1 when the tree is better written whole (too many
 * changes, or an edit libgit2 refuses), or -3.
 */
static int
edit_tree(struct ck_publisher *p)
{
	const struct ck_pub_files *f = &p->files;
	const struct ck_pub_cache *c = &p->cache;
	git_tree_update *u = NULL;
	struct ck_pub_change *ch = NULL;
	size_t i = 0, j = 0, n = 0;
	int cmp, rc = 1;

	if (c->state != CK_CACHE_VALID || p->old_tree == NULL ||
	    file_is_folder(f->v, f->len))
		return 1;
	u = calloc(MAX_TREE_UPDATES + 1, sizeof(*u));
	ch = calloc(MAX_TREE_UPDATES + 1, sizeof(*ch));
	if (u == NULL || ch == NULL)
		err(3, "calloc");
	/* Both lists are sorted by path: one merge finds every change. */
	while ((i < f->len || j < c->len) && n <= MAX_TREE_UPDATES) {
		cmp = i == f->len   ? 1
		      : j == c->len ? -1
		                    : strcmp(f->v[i].path, c->v[j].path);
		if (cmp > 0) {
			u[n].action = GIT_TREE_UPDATE_REMOVE;
			ch[n].kind = CK_PUB_REMOVED;
			ch[n].path = c->v[j].path;
			u[n++].path = c->v[j++].path;
			continue;
		}
		if (cmp == 0)
			j++;
		if (cmp < 0 || !f->v[i].unchanged) {
			u[n].action = GIT_TREE_UPDATE_UPSERT;
			git_oid_cpy(&u[n].id, &f->v[i].id);
			u[n].filemode = GIT_FILEMODE_BLOB;
			ch[n].kind = cmp < 0 ? CK_PUB_ADDED : CK_PUB_MODIFIED;
			ch[n].path = f->v[i].path;
			u[n++].path = f->v[i].path;
		}
		i++;
	}
	if (n > MAX_TREE_UPDATES)
		goto done;
	for (i = 0; i < n; i++) {
		if (u[i].action == GIT_TREE_UPDATE_REMOVE)
			p->stats.removed++;
		else
			p->stats.upserted++;
	}
	if (git_tree_create_updated(&p->tree_id, p->repo, p->old_tree, n, u) <
	    0) {
		/* A folder that became a file or the reverse: whole. */
		git_error_clear();
		p->stats.upserted = p->stats.removed = 0;
		goto done;
	}
	p->stats.incremental = 1;
	/* The commit message lists these, without a diff of the trees. */
	p->changes = ch;
	p->nchanges = n;
	ch = NULL;
	rc = 0;
done:
	free(u);
	free(ch);
	return rc;
}

/*
 * Writes the site's tree, .nojekyll and CNAME with it: its id in
 * p->tree_id, the tree in p->new_tree (owned by p). Files whose bytes the
 * cache knows are not hashed; when the cache is valid, the previous tree
 * is edited where the site differs, else the tree is written whole.
 */
int
ck_pub_begin_tree(struct ck_publisher *p)
{
	if (p->mempack == NULL) {
		if (recorder_new(&p->mempack, p->repo) < 0)
			return ck_pub_git_fail("in-memory object store");
		/* Above the loose and packed stores: new objects go here. */
		if (git_odb_add_backend(p->odb, p->mempack, 1000) < 0) {
			p->mempack->free(p->mempack);
			p->mempack = NULL;
			return ck_pub_git_fail("in-memory object store");
		}
	}
	ck_pub_cache_load(&p->cache, p->repo, p->have_old ? &p->old_id : NULL);
	return 0;
}

int
ck_pub_build_tree(struct ck_publisher *p)
{
	struct ck_pub_files *f = &p->files;
	ck_buf cname = CK_BUF_INIT;
	size_t i;
	int rc = 0;

	/* Pages hosts must not run the site through Jekyll. */
	if (rc == 0)
		rc = ck_pub_add_file(p, ".nojekyll", "", 0, NULL, NULL);
	if (rc == 0 && p->o->cname != NULL && *p->o->cname != '\0') {
		ck_buf_printf(&cname, "%s\n", p->o->cname);
		rc = ck_pub_add_file(p, "CNAME", cname.ptr, cname.size, NULL,
		                     NULL);
	}
	ck_buf_free(&cname);
	if (rc < 0)
		return rc;
	/* Files of one folder must be neighbours: sorted bytewise, they are. */
	qsort(f->v, f->len, sizeof(*f->v), cmp_file);
	for (i = 1; i < f->len; i++)
		if (strcmp(f->v[i - 1].path, f->v[i].path) == 0) {
			fprintf(stderr,
			        "congkhai publish: %s: two files, or a file "
			        "and a folder, have that name\n",
			        f->v[i].path);
			return -3;
		}
	rc = edit_tree(p);
	if (rc == 1)
		rc = write_tree(p, &p->tree_id, f->v, 0, f->len, 0);
	if (rc == 0 && git_tree_lookup(&p->new_tree, p->repo, &p->tree_id) < 0)
		rc = ck_pub_git_fail("reading the new tree");
	return rc;
}
