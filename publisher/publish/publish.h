/*
 * Publishing: the built site committed to a git repository with libgit2,
 * the tree written straight into the object database and the branch moved
 * by compare-and-swap; optionally pushed.
 */
#ifndef CK_PUBLISH_H
#define CK_PUBLISH_H

#include <stdbool.h>

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
 * Commits the site (plus .nojekyll and CNAME) to opts->branch of opts->repo
 * and pushes when asked. Prints what it did on stdout, problems on stderr.
 * Returns 0 on success (also when nothing changed); -2 when the options
 * cannot work (an invalid branch name, or the branch checked out over the
 * records themselves); -3 on a git, I/O or network failure, a lost
 * compare-and-swap or a rejected push.
 */
int ck_publish(const ck_site *site, const ck_publish_opts *opts);

#endif
