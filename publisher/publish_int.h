/*
 * Internals of publishing (publish*.c): the state of one publication and
 * the steps the orchestration in publish.c calls. Not a public interface:
 * use ck_publish (publish.h).
 */
#ifndef CK_PUBLISH_INT_H
#define CK_PUBLISH_INT_H

#include <git2.h>

#include "buf.h"
#include "publish.h"
#include "site.h"

/*
 * What one publication works with. Every libgit2 object and buffer in it
 * belongs to it and is freed at the end of ck_publish; site and o are
 * borrowed from the caller.
 */
struct pub {
	const ck_site *site;
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
	git_oid commit_id;
	int checked_out; /* the branch is HEAD of a working tree */
	/* The records' repository: HEAD's id, and whether they differ. */
	char source[GIT_OID_HEXSZ + 1];
	int source_dirty;
};

/* Prints "congkhai publish: <what>: <libgit2's last error>"; returns -3. */
int ck_pub_git_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Writes the site's files, .nojekyll and CNAME (when p->o->cname is set)
 * into the object database as one tree: sets p->tree_id and p->new_tree
 * (owned by p). Returns 0, or -3 with the problem printed.
 */
int ck_pub_build_tree(struct pub *p);

/*
 * The commit message: the summary line (--message, or what changed for
 * citizens since p->old_tree), the pages changed and the trailers.
 * Appends the summary line to summary and the whole message to out (both
 * the caller's). Returns 0, or -3 with the problem printed.
 */
int ck_pub_compose_message(struct pub *p, ck_buf *out, ck_buf *summary);

/*
 * Pushes the branch to p->o->push (a remote's name, a path or a URL) and
 * reports the outcome. Returns 0, or -3 with the problem printed (also
 * when the remote rejected the branch).
 */
int ck_pub_push(struct pub *p);

#endif
