/*
 * Revision history of the records: for each file under the content folder,
 * the commits that changed it, oldest first, renames followed, computed in
 * one walk of the content repository's history.
 */
#ifndef CK_REVISIONS_H
#define CK_REVISIONS_H

#include <stddef.h>

typedef struct {
	char date[11];   /* committer day in UTC+7, YYYY-MM-DD */
	char commit[13]; /* 12-hex abbreviation */
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
