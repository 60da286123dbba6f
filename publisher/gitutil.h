/* Small helpers shared by the modules that use libgit2. */
#ifndef CK_GITUTIL_H
#define CK_GITUTIL_H

#include <git2.h>

#include "buf.h"

/*
 * Appends where dir lies in the repository's working tree: "" at its top,
 * "a/b" below it (symbolic links resolved). Returns 0, or -1 when dir lies
 * outside the working tree or the repository is bare.
 */
int ck_git_workdir_path(ck_buf *out, git_repository *repo, const char *dir);

#endif
