/*
 * Revision history of the records: for each file under the content folder,
 * the commits that changed it, oldest first, renames followed, computed in
 * one walk of the content repository's history.
 */
#ifndef CK_REVISIONS_H
#define CK_REVISIONS_H

#include <stdbool.h>
#include <stddef.h>

/* What a revision of a question changed (ck_revision.changes). */
enum {
	CK_CHANGE_CREATED = 1 << 0,  /* the first version */
	CK_CHANGE_QUESTION = 1 << 1, /* the question's text */
	CK_CHANGE_ANSWER_ADDED = 1 << 2,
	CK_CHANGE_ANSWER = 1 << 3, /* the answer's text, author or date */
	CK_CHANGE_ANSWER_REMOVED = 1 << 4,
	CK_CHANGE_STATUS = 1 << 5,   /* status_from -> status_to */
	CK_CHANGE_PROGRESS = 1 << 6, /* a progress entry added */
	CK_CHANGE_DUE = 1 << 7       /* the promised date */
};

typedef struct {
	char date[11];   /* committer day in UTC+7, YYYY-MM-DD */
	char commit[13]; /* 12-hex abbreviation */
	char full[41];   /* the whole commit id (forge links) */
	char blob[41];   /* the file's blob then ("" when unknown) */
	/*
	 * The file's path in that commit, from the repository's top (it may
	 * have been renamed since); owned by the ck_revisions.
	 */
	const char *path;
	/*
	 * Question files only: what this version changed in the public
	 * fields against the one before (never the private block). described
	 * is false when this version or the one before could not be parsed.
	 */
	bool described;
	unsigned changes; /* CK_CHANGE_* */
	/* With CK_CHANGE_STATUS: status names ("in_progress"), static. */
	const char *status_from, *status_to;
} ck_revision;

typedef struct ck_revisions ck_revisions;

/*
 * Walks the history of the repository that contains content_dir (HEAD).
 * When content_dir is not inside a repository (or it has no commits),
 * *out is an empty history and 0 is returned. -3 on a git failure.
 * Free with ck_revisions_free.
 */
int ck_revisions_load(ck_revisions **out, const char *content_dir);
void ck_revisions_free(ck_revisions *r); /* accepts NULL */

/*
 * The revisions of relpath (relative to content_dir, '/'-separated, as it
 * is named now), oldest first; *n is their count. Owned by r.
 */
const ck_revision *ck_revisions_for(const ck_revisions *r, const char *relpath,
                                    size_t *n);

#endif
