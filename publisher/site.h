/*
 * ck_site: the built site as the views hand it over, file by file (path ->
 * bytes). A site either keeps every file in memory, or passes each file on
 * to a sink as soon as it is added and keeps only its path: the output
 * folder's writer (outdir.h) and publishing (publish.h) are sinks, so a
 * build never holds its pages.
 *
 * Adding is safe from several threads at once (the views' workers add the
 * pages they render); the order of adding does not matter, as the paths
 * are sorted before they are read by index.
 */
#ifndef CK_SITE_H
#define CK_SITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef struct ck_site ck_site;

/*
 * Receives one file of the site; called from several threads at once, so
 * it locks what it shares. data is only borrowed for the call. Returns 0,
 * or -1 after printing what went wrong: the site then passes on no more
 * files and ck_site_failed says so.
 * fp, when not NULL, is the fingerprint of what the file was made from
 * (ck_site_add_made): a sink that keeps files (ck_site_set_keep)
 * remembers it with the file.
 */
typedef int (*ck_site_sink_fn)(void *arg, const char *path, const void *data,
                               size_t len, const uint64_t *fp);

/*
 * The same for a file handed over as an open regular file instead of
 * bytes: fd holds exactly len bytes, to be read with pread (it is only
 * borrowed for the call; a sink that needs it later dups it). Sinks that
 * have this form (the output folder's writer, publishing) take the large
 * files (ck_site_spool) without their bytes ever being in memory whole.
 * hash: ck_hash128 of the len bytes, made as they were spooled, so that a
 * sink need not read them back to know whether they changed.
 */
typedef int (*ck_site_sink_fd_fn)(void *arg, const char *path, int fd,
                                  size_t len, const uint64_t hash[2]);
/*
 * Asks a sink whether it still has the file at path as it was made last
 * time from fingerprint fp (the output folder's file unchanged since):
 * 1 (kept), 0 (not: the file must be made), -1 after printing why.
 */
typedef int (*ck_site_keep_fn)(void *arg, const char *path,
                               const uint64_t fp[2]);

/*
 * A sink's memory of its last run, for views that reuse parts of a large
 * file they made then (the open data, views_data.c). earlier(arg, path,
 * hash) opens the file the sink holds at path as it recorded it last time
 * (an fd to read with pread, and the ck_hash128 of its bytes), or returns
 * -1 when it has none it can vouch for. memo_path(arg, name, out) puts
 * into out where a small file named name is kept with the sink's own
 * record of the run (for the output folder, beside its manifest in the
 * cache folder): 0, or -1 when there is no such place. Called from any
 * thread.
 */
typedef struct {
	int (*earlier)(void *arg, const char *path, uint64_t hash[2]);
	int (*memo_path)(void *arg, const char *name, ck_buf *out);
} ck_site_memory;

/*
 * Where a build is, told to its sink ahead of the files (ck_site_stage),
 * so that the sink's own work may run beside the build's where the build
 * uses one CPU: CK_SITE_FILES_NEXT once the content and the theme are
 * checked (no error of theirs can come after: files follow, after some
 * work on one thread), CK_SITE_LAST_NEXT when every file is in but those
 * made from the list of the others (the sitemap).
 */
typedef enum {
	CK_SITE_FILES_NEXT,
	CK_SITE_LAST_NEXT,
} ck_site_stage_id;
typedef void (*ck_site_stage_fn)(void *arg, ck_site_stage_id stage);

/* A site that keeps every file in memory. */
ck_site *ck_site_new(void);
/* A site that passes every file to sink(arg, ...) and keeps its path. */
ck_site *ck_site_new_sink(ck_site_sink_fn sink, void *arg);
/* Gives a sink site the fd form of its sink (same arg). */
void ck_site_set_sink_fd(ck_site *s, ck_site_sink_fd_fn sink_fd);
/* Gives a sink site the keep form of its sink (same arg). */
void ck_site_set_keep(ck_site *s, ck_site_keep_fn keep);
/* Gives a sink site the stage form of its sink (same arg). */
void ck_site_set_stage(ck_site *s, ck_site_stage_fn stage);
/* Tells the sink, if it asked (ck_site_set_stage), that stage is reached. */
void ck_site_stage(ck_site *s, ck_site_stage_id stage);
/* Gives a sink site its sink's memory (same arg; m is copied). */
void ck_site_set_memory(ck_site *s, const ck_site_memory *m);
/*
 * The sink's memory (see ck_site_memory); -1 for a site without one.
 * A memo is read whole, or replaced (ck_file_replace, saying nothing: it
 * is only a hint); 0 or -1.
 */
int ck_site_earlier(ck_site *s, const char *path, uint64_t hash[2]);
int ck_site_memo_read(ck_site *s, const char *name, ck_buf *out);
int ck_site_memo_write(ck_site *s, const char *name, const void *data,
                       size_t len);
void ck_site_free(ck_site *s); /* accepts NULL */

/*
 * Adds a file at `path` (relative, '/'-separated, no "." or ".." parts).
 * The data is copied (kept) or passed on (sink); ck_site_add_buf takes
 * and frees the buffer's storage. Returns 0, or -1 when the sink failed
 * (now or before). Two files at one path are found by ck_site_sort.
 */
int ck_site_add(ck_site *s, const char *path, const void *data, size_t len);
int ck_site_add_buf(ck_site *s, const char *path, ck_buf *content);
/*
 * A page whose inputs have a fingerprint fp (its template and values,
 * ck_value_fingerprint): ck_site_keep asks the sink for the file made
 * last time from fp, and on 1 the file counts as added, unchanged, and
 * need not be made; on 0, make it and add it with ck_site_add_made, which
 * hands fp to the sink with the bytes. A site without a keeping sink
 * always answers 0. Both return -1 when the sink failed.
 */
bool ck_site_can_keep(const ck_site *s);
int ck_site_keep(ck_site *s, const char *path, const uint64_t fp[2]);
int ck_site_add_made(ck_site *s, const char *path, const void *data, size_t len,
                     const uint64_t fp[2]);

/*
 * A file added a piece at a time (the open data of a province): its bytes
 * go to a temporary file once they pass a megabyte, when the site's sink
 * has the fd form, and are kept in memory otherwise. One thread per spool.
 */
typedef struct ck_site_spool ck_site_spool;
/* Begins the file at path; never NULL. */
ck_site_spool *ck_site_spool_open(ck_site *s, const char *path);
/* Appends bytes. Returns 0, or -1 after a warning (close then fails). */
int ck_site_spool_write(ck_site_spool *sp, const void *data, size_t len);
/* Adds the file, as ck_site_add does, and frees sp. Returns 0 or -1. */
int ck_site_spool_close(ck_site_spool *sp);

/* Whether a sink refused a file (the build must not go on to commit). */
bool ck_site_failed(const ck_site *s);

/*
 * Sorts the files by path (bytewise); do it, with every file added, before
 * reading by index. Returns 0, or -1 (with a warning) when two files share
 * a path.
 */
int ck_site_sort(ck_site *s);
size_t ck_site_count(const ck_site *s);
const char *ck_site_path(const ck_site *s, size_t i);
/* The bytes of file i; NULL for a site with a sink (it kept none). */
const char *ck_site_data(const ck_site *s, size_t i, size_t *len);
/* Whether the site has a file at path (after ck_site_sort). */
bool ck_site_has(const ck_site *s, const char *path);
/* The file at path, or NULL (after ck_site_sort; NULL with a sink). */
const char *ck_site_find(const ck_site *s, const char *path, size_t *len);

/*
 * Writes a site kept in memory into dir through the output folder's
 * writer (outdir.h): only the files whose bytes changed are written, and
 * files not in the site are removed. Returns 0, or -1 after a warning.
 */
int ck_site_write_dir(const ck_site *s, const char *dir);

#endif
