/*
 * ck_site: the built site as a list of files in memory (path -> bytes), the
 * output of the views and the input of both writers: a folder (staging folder
 * swapped in whole) and a git tree (publish.c).
 */
#ifndef CK_SITE_H
#define CK_SITE_H

#include <stddef.h>

#include "buf.h"

typedef struct ck_site ck_site;

ck_site *ck_site_new(void);
void ck_site_free(ck_site *s); /* accepts NULL */

/*
 * Adds a file at `path` (relative, '/'-separated, no "." or ".." parts).
 * The data is copied; ck_site_add_buf takes the buffer's storage instead.
 * Returns 0, or -1 when the path is the one added just before (the file is
 * not added); other duplicates are found by ck_site_sort.
 */
int ck_site_add(ck_site *s, const char *path, const void *data, size_t len);
int ck_site_add_buf(ck_site *s, const char *path, ck_buf *content);

/*
 * Sorts the files by path (bytewise); do it before reading by index.
 * Returns 0, or -1 (with a warning) when two files share a path.
 */
int ck_site_sort(ck_site *s);
size_t ck_site_count(const ck_site *s);
const char *ck_site_path(const ck_site *s, size_t i);
const char *ck_site_data(const ck_site *s, size_t i, size_t *len);
/* The file at path, or NULL (after ck_site_sort). */
const char *ck_site_find(const ck_site *s, const char *path, size_t *len);

/*
 * Writes the site into dir: everything goes into a staging folder beside it,
 * which then replaces dir whole (a `.git` inside dir is kept). On failure
 * dir is as it was, a warning is printed and -1 returned.
 */
int ck_site_write_dir(const ck_site *s, const char *dir);

#endif
