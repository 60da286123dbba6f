/*
 * Internals of publishing (publish*.c): the state of one publication and
 * the steps the orchestration in publish.c calls. Not a public interface:
 * use ck_publish (publish.h).
 */
#ifndef CK_PUBLISH_INT_H
#define CK_PUBLISH_INT_H

#include <git2.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/stat.h>

#include "arena.h"

#include "buf.h"
#include "hash.h"
#include "publish.h"
#include "site.h"

/* A file as the blob cache (publish_cache.c) remembers it. */
struct ck_pub_cached {
	const char *path;
	uint64_t hash[2]; /* ck_hash128 of the bytes */
	uint64_t size;
	git_oid id;    /* the blob */
	/* The fingerprint of what it was made from (ck_site_keep), if any. */
	uint64_t made[2];
	int has_made;
	int unchanged; /* building: the previous tree has it so */
};

/*
 * A large file handed over open (ck_publisher_put_fd): kept open, a dup of
 * the build's descriptor, until the working tree is updated from it, so
 * that its bytes are never whole in memory.
 */
struct ck_pub_spooled {
	const char *path;
	int fd;
	size_t len;
	git_oid id;
};

/* A path the publication adds, changes or removes (ck_pub_build_tree). */
enum ck_pub_change_kind { CK_PUB_ADDED, CK_PUB_MODIFIED, CK_PUB_REMOVED };
struct ck_pub_change {
	const char *path; /* the files' or the cache's: lives as long as p */
	enum ck_pub_change_kind kind;
};

/* What the blob cache on disk was found to be. */
enum ck_pub_cache_state {
	CK_CACHE_ABSENT,  /* no file (or no previous commit) */
	CK_CACHE_STALE,   /* written for another commit */
	CK_CACHE_DAMAGED, /* unreadable, truncated or edited */
	CK_CACHE_VALID
};

/* A loaded blob cache: entries sorted by path, in its own arena. */
struct ck_pub_cache {
	ck_arena *arena;
	struct ck_pub_cached *v;
	size_t len;
	enum ck_pub_cache_state state;
};

/* What publishing did, printed when CONGKHAI_PUBLISH_STATS is set. */
struct ck_pub_stats {
	size_t files;    /* files in the tree */
	size_t reused;   /* blob id taken from the cache, no SHA-1 */
	size_t kept;     /* of those, not even made (ck_site_keep) */
	size_t hashed;   /* blob id computed with SHA-1 */
	size_t written;  /* new blobs written */
	size_t upserted; /* paths changed in the previous tree */
	size_t removed;  /* paths gone from the previous tree */
	size_t packs;    /* packs written */
	size_t packed;   /* objects in them */
	size_t streamed; /* blobs streamed from an open file */
	size_t deltas;   /* of those, stored as deltas (publish_bigpack.c) */
	size_t from_build; /* working tree files copied from such a file */
	size_t linked;     /* of those, linked in (the same file system) */
	/* Earlier files asked for (ck_publisher_memory): answered from the
	 * look taken early (publish_early.c), or by reading the index. */
	size_t early, by_index;
	int incremental; /* the tree was an edit of the previous one */
	double t_tree, t_commit, t_worktree; /* seconds spent */
};

/* The files of the tree being built, as they are added. */
struct ck_pub_files {
	ck_arena *arena;
	struct ck_pub_cached *v;
	size_t len, cap;
	size_t pending; /* bytes of new objects held in memory */
	/* A file's made fingerprint is not the cache's: save it anew. */
	int made_changed;
};

/*
 * What one publication works with. Every libgit2 object and buffer in it
 * belongs to it and is freed by ck_publisher_free; the strings of opts are
 * borrowed from the caller.
 */
struct ck_publisher {
	/* Guards what ck_publisher_put changes (the files, the object
	 * database, state): the views' workers stream pages at once. */
	pthread_mutex_t mu;
	int state;            /* PUB_* (publish.c) */
	int begin_rc;         /* why the begin failed: -2 or -3 */
	ck_publish_opts opts; /* the caller's, copied; o points here */
	const ck_publish_opts *o;
	git_repository *repo;
	git_odb *odb;
	ck_buf ref;     /* refs/heads/<branch> */
	git_oid old_id; /* the branch tip before, when have_old */
	int have_old;
	git_commit *old_commit;
	git_tree *old_tree;
	git_oid tree_id; /* the site's tree */
	git_tree *new_tree;
	/* New objects gather in memory and go to disk as one pack. */
	git_odb_backend *mempack;
	struct ck_pub_cache cache; /* for old_id */
	struct ck_pub_files files;
	struct ck_pub_spooled *spooled; /* in the order put */
	size_t nspooled;
	struct ck_pub_streamer *streamer; /* or NULL: publish_stream.c */
	struct ck_pub_look *look;         /* or NULL: publish_worktree.c */
	struct ck_pub_early *early;       /* or NULL: publish_early.c */
	/* When the tree was edited (stats.incremental), every path changed,
	 * sorted bytewise as a diff of the trees lists them. */
	struct ck_pub_change *changes;
	size_t nchanges;
	struct ck_pub_stats stats;
	git_oid commit_id;
	int checked_out; /* the branch is HEAD of a working tree */
	/* The records' repository: HEAD's id, and whether they differ. */
	char source[GIT_OID_HEXSZ + 1];
	int source_dirty;
};

/*
 * Whether the file at path in workdir may differ from what the index
 * entry e says was checked out: gone, or another size or time (a file
 * edited by hand). Only lstat(2), as git status does. path is scratch.
 */
int ck_pub_stat_differs(ck_buf *path, const char *workdir,
                        const git_index_entry *e);
/* The same for the file's status st (lstat(2) or fstat(2)). */
int ck_pub_st_differs(const struct stat *st, const git_index_entry *e);

/*
 * Opens rel below the folder dirfd with flags, following no link on the
 * way (openat2(2), RESOLVE_NO_SYMLINKS; before Linux 5.6 only the last
 * name is refused when a link): a checkout's file is read or trusted only
 * where publish put it, never through a folder replaced by a link. Returns
 * the descriptor, or -1 with errno set (ELOOP: a link on the way).
 */
int ck_pub_openat_nolinks(int dirfd, const char *rel, int flags);
/* The same for the checkout's file at path (workdir ends in '/'), read
 * only; the caller closes it. */
int ck_pub_open_checkout(const char *workdir, const char *path);

/*
 * Begins p (opens the repository, reads the blob cache) unless it is
 * begun, under p->mu; 0 when p is begun, -1 when it failed (publish.c).
 */
int ck_pub_ensure_begun(struct ck_publisher *p);

/*
 * The work a publication does before its first file (publish_early.c):
 * ck_pub_early_start begins p on a thread of its own, and looks at the
 * checkout's large files there (what ck_publisher_memory's earlier opens);
 * ck_pub_early_wait waits for it (from any thread, each time; nothing when
 * none was started); ck_pub_early_end waits and frees (accepts none).
 */
struct ck_pub_early;
void ck_pub_early_start(struct ck_publisher *p);
void ck_pub_early_wait(struct ck_publisher *p);
void ck_pub_early_end(struct ck_publisher *p);
/*
 * The checkout's file at path, opened, when the early look found it as the
 * blob cache has it (its ck_hash128 into hash) and its size and time are
 * still the index's; -1 when the look found it otherwise, or it changed
 * since; -2 when the look did not see it (ask the index).
 */
int ck_pub_early_open(struct ck_publisher *p, const char *path,
                      uint64_t hash[2]);
/*
 * The same file opened (the caller closes it), with the blob id it was
 * committed as in *id, for a delta against it; -1 when there is none.
 * Waits for the early look: call it outside p->mu.
 */
int ck_pub_early_base(struct ck_publisher *p, const char *path, git_oid *id);

/*
 * The open data's pack (publish_bigpack.c): ck_pub_bigpack_put writes the
 * blob of len bytes of fd (its id into *id), as a delta against base_id
 * (base_fd its bytes) when the pack holds that and the two share enough,
 * else whole; ck_pub_bigpack_finish names the pack, writes its index and
 * the memo, and removes the pack it continued (0, or -1 said); free
 * accepts NULL and removes an unfinished pack.
 */
struct ck_pub_bigpack;
struct ck_pub_bigpack *ck_pub_bigpack_new(const char *gitdir);
int ck_pub_bigpack_put(struct ck_pub_bigpack *b, git_oid *id, const char *path,
                       int fd, size_t len, int base_fd, const git_oid *base_id);
int ck_pub_bigpack_finish(struct ck_pub_bigpack *b, size_t *deltas);
void ck_pub_bigpack_free(struct ck_pub_bigpack *b);

/*
 * Appends to d the git delta (pack-format instructions) that makes the
 * len bytes of fd from the bn bytes of base (publish_delta.c): 1, or 0
 * when it would insert more than a sixteenth of the new bytes (d then of
 * no use), -1 when a file cannot be read or mapped. Reads both files as
 * they are: the caller vouches that base holds the base's bytes.
 */
int ck_pub_delta_make(ck_buf *d, int fd, uint64_t len, int base, uint64_t bn);

/* A look at the checkout before it is updated (publish_worktree.c). */
struct ck_pub_look;

/*
 * Starts the look at p's checkout (nothing when the branch is not checked
 * out); ck_pub_update_worktree takes it, ck_pub_look_end forgets it.
 */
void ck_pub_look_start(struct ck_publisher *p);
void ck_pub_look_end(struct ck_publisher *p); /* accepts none started */

/*
 * Makes the index and the working tree of p's checkout those of
 * p->new_tree (publish_worktree.c), with the look started, if any.
 * Returns 0, or -3 with the problem printed.
 */
int ck_pub_update_worktree(struct ck_publisher *p);

/* Prints "congkhai publish: <what>: <libgit2's last error>"; returns -3. */
int ck_pub_git_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Loads <gitdir>/congkhai/blobcache into c (zeroed first; the caller frees
 * it with ck_pub_cache_free). Its entries count only when it was written
 * for commit and its checksum holds (c->state CK_CACHE_VALID); otherwise
 * c is empty and says why. Returns 0.
 */
int ck_pub_cache_load(struct ck_pub_cache *c, git_repository *repo,
                      const git_oid *commit);

/* The entry of path in c, or NULL; it belongs to c. */
const struct ck_pub_cached *ck_pub_cache_find(const struct ck_pub_cache *c,
                                              const char *path);

/* Frees what c holds; accepts a zeroed c. */
void ck_pub_cache_free(struct ck_pub_cache *c);

/*
 * Writes the cache for commit from the files v[0..len) (sorted by path),
 * through a temporary file renamed over the old one. Returns 0, or -1 with
 * a warning (the cache is only a hint: publishing goes on).
 */
int ck_pub_cache_save(git_repository *repo, const git_oid *commit,
                      const struct ck_pub_cached *v, size_t len);

/*
 * Adds one file of the site to the tree being built: its blob id from the
 * cache when its fast hash (hash: ck_hash128 of data, or NULL to compute
 * it here) and size match, else hashed and, when new, written (into
 * memory, see ck_pub_write_pack). path and data are copied or no longer
 * needed on return. Call with p->mu held, or from one thread. Returns 0,
 * or -3 with the problem printed.
 */
int ck_pub_add_file(struct ck_publisher *p, const char *path, const void *data,
                    size_t len, const uint64_t *hash, const uint64_t *made);
/*
 * Adds path as the cache has it when the cache says it was made from
 * fingerprint made (ck_site_keep): 1, or 0 when it does not. Call as
 * ck_pub_add_file.
 */
int ck_pub_keep_file(struct ck_publisher *p, const char *path,
                     const uint64_t made[2]);

/*
 * The same for a file in fd (len bytes, read a window at a time): fd is
 * kept (dup'd) for the working tree (p->spooled), and a new blob is
 * queued for the streamer (ck_pub_stream_queue). Same returns.
 */
int ck_pub_add_file_fd(struct ck_publisher *p, const char *path, int fd,
                       size_t len, const uint64_t *hash);

/*
 * Queues the blob of path, len bytes in fd, for a thread that streams it
 * into the loose store (started by the first call). The id goes to
 * p->files.v[entry] and p->spooled[spool] in ck_pub_stream_wait; until
 * then fd stays open and path alive. Call under p->mu. Returns 0, or -3
 * with the problem printed.
 */
int ck_pub_stream_queue(struct ck_publisher *p, const char *path, int fd,
                        size_t len, size_t entry, size_t spool);

/*
 * Waits for the blobs queued and sets their ids (and counts) in p. Call
 * before anything reads the files' ids; calling again does nothing.
 * Returns 0, or -3 when a blob could not be written (printed).
 */
int ck_pub_stream_wait(struct ck_publisher *p);

/*
 * Readies p's object database for new objects (an in-memory store above
 * the repository's) and loads the blob cache for the branch tip. Returns
 * 0, or -3 with the problem printed.
 */
int ck_pub_begin_tree(struct ck_publisher *p);

/*
 * Writes the new objects held in memory as one pack (with its index) in
 * the repository, and empties the memory. Returns 0, or -3 with the
 * problem printed.
 */
int ck_pub_write_pack(struct ck_publisher *p);

/*
 * Writes the files added, .nojekyll and CNAME (when p->o->cname is set)
 * into the object database as one tree: sets p->tree_id and p->new_tree
 * (owned by p), and p->changes when it edited the previous tree. Returns 0,
 * or -3 with the problem printed.
 */
int ck_pub_build_tree(struct ck_publisher *p);

/*
 * The commit message: the summary line (--message, or what changed for
 * citizens since p->old_tree), the pages changed and the trailers.
 * Appends the summary line to summary and the whole message to out (both
 * the caller's). Returns 0, or -3 with the problem printed.
 */
int ck_pub_compose_message(struct ck_publisher *p, ck_buf *out,
                           ck_buf *summary);

/*
 * Pushes the branch to p->o->push (a remote's name, a path or a URL) and
 * reports the outcome. Returns 0, or -3 with the problem printed (also
 * when the remote rejected the branch).
 */
int ck_pub_push(struct ck_publisher *p);

#endif
