/*
 * ck_outdir: the output folder updated in place. A build hands every file
 * to the writer (a ck_site sink, site.h); a file whose bytes are already
 * there is left alone, any other is written into a staging folder beside
 * the output folder. Only when the whole build has succeeded does
 * ck_outdir_commit rename the new files into place, one by one, and
 * remove the files the site no longer has; a failed build removes the
 * staging folder and leaves the output folder as it was.
 *
 * What is already there is judged by a manifest kept in the user's cache
 * folder ($XDG_CACHE_HOME or ~/.cache, congkhai/manifests/<hash of the
 * folder's real path>: path, fast hash, size, modification time and inode
 * of every file written): a file whose size, time and inode are the
 * manifest's has the manifest's hash; any other file of the right size is
 * read and compared. It also records each folder's change time and
 * inode, so that the sweep for stale files reads only the folders changed
 * since (ck_outdir_commit). The manifest is only a hint, so a lost, stale or
 * damaged one (a run killed halfway) costs reading, never a wrong file.
 * It also records the fingerprint a page was made from (ck_site_keep), so
 * a page made from the same inputs is kept without being made again
 * (ck_outdir_keep).
 *
 * A web server reading the folder during ck_outdir_commit sees each file
 * whole, old or new; new files come into place deepest first, so a page
 * is updated after the pages it links to, and stale files go last.
 */
#ifndef CK_OUTDIR_H
#define CK_OUTDIR_H

#include <stddef.h>
#include <stdint.h>

#include "site.h"

typedef struct ck_outdir ck_outdir;

/*
 * A writer for dir (the folder need not exist). Nothing is looked at or
 * touched before the first file arrives. Free with ck_outdir_free.
 */
ck_outdir *ck_outdir_new(const char *dir);

/*
 * The sink (ck_site_sink_fn, arg a ck_outdir): takes one file. The first
 * call checks the folder (a folder, writable) and clears what killed runs
 * left beside it. Returns 0, or -1 after a warning.
 */
int ck_outdir_put(void *w, const char *path, const void *data, size_t len,
                  const uint64_t *made);
/* The same for a file in fd (ck_site_sink_fd_fn), read a window at a time. */
int ck_outdir_put_fd(void *w, const char *path, int fd, size_t len,
                     const uint64_t hash[2]);
/*
 * The keep form (ck_site_keep_fn): 1 when the manifest says path was made
 * from fingerprint made and the file is still the one it describes (size,
 * time, inode); it then counts as put, unchanged. 0 otherwise.
 */
int ck_outdir_keep(void *w, const char *path, const uint64_t made[2]);

/*
 * The sink's memory (ck_site_set_memory, arg a ck_outdir): a file
 * earlier is one whose size, time and inode are still the manifest's, with
 * the manifest's hash; memos are files beside the manifest, named after
 * it (and removed with it when unused for long).
 */
extern const ck_site_memory ck_outdir_memory;

/*
 * Makes dir hold exactly the files of site (sorted, every file having
 * gone through ck_outdir_put), apart from a `.git` at its top: the new and
 * changed files renamed into place, the others removed, empty folders
 * too, then the manifest written. Returns 0, or -1 after a warning (the
 * files renamed so far stay: a rerun finishes the work).
 */
int ck_outdir_commit(ck_outdir *w, const ck_site *site);

/* What the last commit did (for the benchmark and the tests). */
typedef struct {
	size_t files;    /* in the site */
	size_t written;  /* new or changed */
	size_t compared; /* read from disk to compare (no manifest entry) */
	size_t removed;  /* stale files removed */
	size_t kept;     /* not made again: made from the same inputs */
	/* The stale-file sweep's folders: read, or known unchanged since
	 * the last sweep and not read. */
	size_t folders_read, folders_unread;
} ck_outdir_stats;
void ck_outdir_get_stats(ck_outdir_stats *out, const ck_outdir *w);

/*
 * Threads for the commit's sweep of stale files (1 until set; at most
 * CK_OUTDIR_MAX_JOBS). The folder ends the same whatever the number.
 */
#define CK_OUTDIR_MAX_JOBS 16
void ck_outdir_set_jobs(ck_outdir *w, int jobs);
/*
 * Starts reading the last manifest on a thread of its own, while the
 * caller loads and renders: a province's is 120,000 lines, which the
 * first file put otherwise waited for. It only reads; the first file
 * put still begins the run (and takes what was read).
 */
void ck_outdir_preload(ck_outdir *w);

/* Removes this run's staging folder unless committed; accepts NULL. */
void ck_outdir_free(ck_outdir *w);

#endif
