/*
 * Files the views copy as they are: the theme's assets and the content's
 * static files (scanned signed PDFs, photos).
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "views_int.h"

int
vw_read_file(ck_buf *out, const char *path)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;
	int rc = 0, e;

	if (f == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ck_buf_put(out, chunk, n);
	if (ferror(f))
		rc = -1;
	e = errno;
	fclose(f);
	errno = e;
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Appends to files the paths (relative to top, '/'-separated) of the
 * regular files below top/rel, skipping dot files. 0, or -1 (warned).
 */
static int
walk(ck_views *v, ck_ptrvec *files, const char *top, const char *rel)
{
	char *dir = rel[0] ? ck_arena_printf(v->a, "%s/%s", top, rel)
	                   : ck_arena_printf(v->a, "%s", top);
	DIR *dp = opendir(dir);
	struct dirent *de;
	ck_ptrvec names = {0};
	size_t i;
	int rc = 0;

	if (dp == NULL) {
		warn("%s", dir);
		return -1;
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		ck_ptrvec_push(v->a, &names, ck_arena_strdup(v->a, de->d_name));
	}
	closedir(dp);
	qsort(names.items, names.len, sizeof(void *), cmp_str);
	for (i = 0; i < names.len && rc == 0; i++) {
		char *sub = rel[0] ? ck_arena_printf(v->a, "%s/%s", rel,
		                                     (char *)names.items[i])
		                   : names.items[i];
		char *full = ck_arena_printf(v->a, "%s/%s", top, sub);
		struct stat st;

		if (stat(full, &st) != 0) {
			warn("%s", full);
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = walk(v, files, top, sub);
		} else if (S_ISREG(st.st_mode)) {
			ck_ptrvec_push(v->a, files, sub);
		}
	}
	return rc;
}

static int
copy_file(ck_views *v, const char *from, const char *to)
{
	ck_buf b = CK_BUF_INIT;

	if (vw_read_file(&b, from) != 0) {
		warn("%s", from);
		ck_buf_free(&b);
		return -1;
	}
	ck_site_add_buf(v->site, to, &b);
	return 0;
}

int
vw_copy_assets(ck_views *v)
{
	char *top = ck_arena_printf(v->a, "%s/assets", v->theme_dir);
	ck_ptrvec files = {0};
	struct stat st;
	size_t i;

	/* A theme without assets is fine: it may inline its styles. */
	if (stat(top, &st) != 0 && errno == ENOENT)
		return 0;
	if (walk(v, &files, top, "") != 0)
		return -3;
	for (i = 0; i < files.len; i++) {
		const char *rel = files.items[i];

		if (copy_file(v, ck_arena_printf(v->a, "%s/%s", top, rel),
		              ck_arena_printf(v->a, "assets/%s", rel)) != 0)
			return -3;
	}
	return 0;
}

int
vw_copy_statics(ck_views *v)
{
	size_t i;

	for (i = 0; i < v->m->nstatics; i++) {
		const ck_static_file *f = &v->m->statics[i];

		if (copy_file(v, f->path,
		              ck_arena_printf(v->a, "static/%s", f->relpath)) !=
		    0)
			return -3;
	}
	return 0;
}
