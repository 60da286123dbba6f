/*
 * Publishing: the built site committed to a git repository with libgit2,
 * the tree written straight into the object database and the branch moved
 * by compare-and-swap; optionally pushed.
 */
#ifndef CK_PUBLISH_H
#define CK_PUBLISH_H

#include <stdbool.h>
#include <stdint.h>

#include "site.h"

typedef struct {
	const char *repo;        /* default "site"; created on first use */
	const char *branch;      /* default "main" */
	const char *message;     /* replaces the generated summary line */
	const char *push;        /* remote name, path or URL; NULL: no push */
	const char *content_dir; /* for Source-Commit and the dirty check */
	const char *today;       /* YYYY-MM-DD, the As-Of trailer */
	const char *cname;       /* written as CNAME when set */
	bool allow_dirty;
} ck_publish_opts;

/*
 * Refuses (returns -1, message printed) when content_dir is inside a git
 * repository with uncommitted changes under it (staged, modified, deleted,
 * or untracked and not ignored), unless allow_dirty. Returns 0 otherwise
 * (also when content_dir is not in a repository), -3 on a git failure.
 */
int ck_publish_check_clean(const ck_publish_opts *opts);

/* Whether branch is a name git accepts for a branch (1) or not (0). */
int ck_publish_branch_valid(const char *branch);

/*
 * A publication streamed from the build: the publisher is a ck_site sink
 * (site.h), so each page becomes a blob (hashed only when the blob cache
 * does not know its bytes, written only when new) as soon as it is
 * rendered, and no page is held. Nothing is opened, created or written
 * before the build says files come next (ck_publisher_stage) or the first
 * file arrives, so content with errors (which never reaches rendering)
 * leaves the repository untouched; objects written for a build that then
 * fails are unreferenced and harmless.
 *
 * ck_publisher_new copies opts (its strings stay the caller's); free with
 * ck_publisher_free (accepts NULL).
 */
typedef struct ck_publisher ck_publisher;
ck_publisher *ck_publisher_new(const ck_publish_opts *opts);
void ck_publisher_free(ck_publisher *p);

/* The sink (ck_site_sink_fn, arg a ck_publisher). Returns 0 or -1. */
int ck_publisher_put(void *p, const char *path, const void *data, size_t len,
                     const uint64_t *made);
/*
 * The keep form (ck_site_keep_fn): 1 when the blob cache says path was
 * made from fingerprint made; it then joins the tree with its blob id.
 */
int ck_publisher_keep(void *p, const char *path, const uint64_t made[2]);
/*
 * The same for a file handed over open (ck_site_sink_fd_fn): a large open
 * data file is hashed, written as a blob and later copied into the working
 * tree a window at a time, never whole in memory.
 */
int ck_publisher_put_fd(void *p, const char *path, int fd, size_t len,
                        const uint64_t hash[2]);
/*
 * The stage form (ck_site_stage_fn): when files come next, the repository
 * is opened and the blob cache read on a thread of the publisher's, with
 * a look at the checkout's large files (ck_publisher_memory); when only
 * the sitemap is to come, the look at the whole checkout that the working
 * tree's update needs is started.
 */
void ck_publisher_stage(void *p, ck_site_stage_id stage);
/*
 * The sink's memory (ck_site_set_memory, arg a ck_publisher): an earlier
 * file is the checkout's, when git's index says it holds the blob the
 * blob cache names for its path and its size and time are the index's;
 * memos are files beside the blob cache, in the git folder.
 */
extern const ck_site_memory ck_publisher_memory;

/*
 * Commits the files put (plus .nojekyll, and CNAME when cname is set) to
 * the branch, today being the As-Of trailer, and pushes when asked. Prints
 * what it did on stdout, problems on stderr. Returns 0 on success (also
 * when nothing changed); -2 when the options cannot work (an invalid
 * branch name, or the branch checked out over the records themselves); -3
 * on a git, I/O or network failure, a lost compare-and-swap or a rejected
 * push.
 */
int ck_publisher_finish(ck_publisher *p, const char *today,
                        const char *cname);

/* The whole publication of a site kept in memory (new, put, finish). */
int ck_publish(const ck_site *site, const ck_publish_opts *opts);

#endif
