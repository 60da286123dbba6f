/*
 * The containment rule for what congkhai reads: only regular files and
 * folders that resolve inside a root (the content folder, its static/
 * folder, the theme folder). A symbolic link that leaves the root, a link
 * loop, a link to nothing, a FIFO, device or socket is refused, so that
 * nothing from elsewhere on the machine (/etc/passwd, /proc/self/environ)
 * can reach a page or the git history.
 *
 * Hard links cannot be told from the original file and are not detected.
 */
#ifndef CK_FSGUARD_H
#define CK_FSGUARD_H

#include <stdbool.h>
#include <sys/stat.h>

#include "buf.h"

typedef enum {
	CK_FS_MISSING, /* nothing there */
	CK_FS_FILE,    /* a regular file inside the root */
	CK_FS_DIR,     /* a folder inside the root */
	CK_FS_REFUSED, /* refused or not examinable: see the return value */
} ck_fs_kind;

/*
 * The absolute, symlink-free form of root; the caller frees it. NULL with
 * errno set when it cannot be resolved.
 */
char *ck_fs_root(const char *root);

/* True when the resolved path `real` is root_real or below it. */
bool ck_fs_inside(const char *real, const char *root_real);

/*
 * Classifies path, which lies below root_real by construction (a walk from
 * the root, never through ".."); its parent folders were checked already.
 * *st (may be NULL) receives the stat of what path resolves to.
 * Returns 0 (kind MISSING, FILE or DIR); -1 when the rule refuses it, with
 * the reason appended to why; -3 when it cannot be examined (I/O), with
 * strerror appended to why. root_name says which root ("content folder").
 */
int ck_fs_check(ck_fs_kind *kind, struct stat *st, ck_buf *why,
                const char *path, const char *root_real, const char *root_name);

/*
 * Opens path for reading without blocking on a FIFO and without following
 * anything but a regular file: returns the descriptor, -1 (errno set) on
 * failure, or -1 with errno EINVAL when path is not a regular file.
 */
int ck_fs_open_regular(const char *path);

#endif
