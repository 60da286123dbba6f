/*
 * Whole-file reads and writes, with the loops every caller needs (EINTR,
 * short reads and writes) written once. Callers choose how to open and
 * what to report; these set errno and print nothing, except ck_file_write,
 * which names the file it could not write (warn(3)).
 */
#ifndef CK_FILEIO_H
#define CK_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/*
 * Appends everything readable from fd to out. Returns 0, or -1 with errno
 * set (out then holds what was read). fd stays open: the caller closes it.
 */
int ck_fd_read_all(ck_buf *out, int fd);

/*
 * ck_fd_read_all, then closes fd (also on failure, keeping errno), for the
 * callers that open a file only to read it whole. A negative fd (a failed
 * open) returns -1 with errno as the open left it.
 */
int ck_fd_slurp(ck_buf *out, int fd);

/*
 * Reads exactly len bytes of fd at offset off (pread: fd's own offset
 * stays where it was). Returns 0, or -1 with errno set (EIO when the file
 * ends first).
 */
int ck_fd_read_at(int fd, void *buf, size_t len, uint64_t off);

/*
 * Calls fn(arg, bytes, n) on each window (CK_FD_WINDOW bytes, the last
 * shorter) of the first len bytes of fd, read with pread from offset 0,
 * in order, until fn returns nonzero: a large file (a spooled one, site.h)
 * is never whole in memory. Returns fn's last result (0 when every window
 * was taken), or -1 with errno set when fd cannot be read (EIO when it
 * holds fewer than len bytes).
 */
#define CK_FD_WINDOW ((size_t)1 << 20)
int ck_fd_each_window(int fd, size_t len,
                      int (*fn)(void *arg, const void *bytes, size_t n),
                      void *arg);
/* The same for the len bytes of fd from offset off. */
int ck_fd_each_window_at(int fd, uint64_t off, uint64_t len,
                         int (*fn)(void *arg, const void *bytes, size_t n),
                         void *arg);

/*
 * ck_hash128 (hash.h) of the first len bytes of fd, read a window at a
 * time. Returns 0, or -1 with errno set.
 */
int ck_fd_hash128(uint64_t out[2], int fd, size_t len);

/* Writes all of data to fd. Returns 0, or -1 with errno set. */
int ck_fd_write_all(int fd, const void *data, size_t len);

/*
 * Creates the file path (mode 0644) holding exactly data: with `exclusive`
 * the file must not exist yet (O_EXCL), otherwise it is truncated. Returns
 * 0, or -1 after a warning naming path; a partly written file is removed.
 */
int ck_file_write(const char *path, const void *data, size_t len,
                  bool exclusive);
/* The same with the first len bytes of the file src (ck_fd_each_window). */
int ck_file_write_fd(const char *path, int src, size_t len, bool exclusive);

/*
 * Gives the unnamed file fd (open(2) with O_TMPFILE, len bytes) the name
 * path, instead of copying it: a province's open data is 190 MB. Returns
 * 0, or -1 saying nothing (another file system, no /proc, a file that has
 * a name already or another length): copy it then.
 */
int ck_file_link_unnamed(const char *path, int fd, size_t len);

/*
 * Replaces the file at the absolute path with data, through a temporary
 * file beside it (<path>.<pid>) renamed over it, making the folders above
 * it: a reader sees the old file or the new one. Says nothing (for caches,
 * which are only hints): 0, or -1 with nothing left behind.
 */
int ck_file_replace(const char *path, const void *data, size_t len);

/*
 * Makes the folders above rel below root (mkdir -p of rel's dirname;
 * root itself must exist; a '/' between them is added when root lacks
 * one). Returns 0, or -1 with errno set and *failed (may be NULL) the
 * folder that could not be made, owned by the caller's buffer.
 */
int ck_file_make_parents(const char *root, const char *rel, ck_buf *failed);

/*
 * The user's cache folder for congkhai: $XDG_CACHE_HOME/congkhai, else
 * $HOME/.cache/congkhai (only absolute ones), into out (cleared). Returns
 * 0, or -1 (out empty) when there is none: nothing is cached then.
 */
int ck_cache_dir(ck_buf *out);

/*
 * ck_hash128 of the program's own bytes (/proc/self/exe), read once: what
 * one build of congkhai cached or kept, another never uses, whatever its
 * version says. 0, or -1 when they cannot be read (nothing is reused).
 */
int ck_program_fingerprint(uint64_t out[2]);

#endif
