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
#include <unistd.h>

#include "fileio.h"
#include "views_int.h"

int
vw_read_file(ck_buf *out, const char *path)
{
	return ck_fd_slurp(out, ck_fs_open_regular(path));
}

int
vw_check_path(ck_views *v, const char *path, ck_fs_kind *kind)
{
	ck_buf why = CK_BUF_INIT;
	ck_fs_kind k;
	int rc;

	rc = ck_fs_check(&k, NULL, &why, path, v->theme_root, "theme folder");
	if (rc != 0)
		ck_diag(v->d, CK_ERROR, path, 0, 0, "%s", why.ptr);
	if (kind)
		*kind = k;
	ck_buf_free(&why);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Folder levels walk descends: a link to a folder above would loop. */
#define MAX_ASSET_DEPTH 32

/*
 * Appends to files the paths (relative to top, '/'-separated) of the
 * regular files below top/rel, skipping dot files. 0, -1 (a refused path,
 * reported) or -3 (cannot be read, warned).
 */
static int
walk(ck_views *v, ck_ptrvec *files, const char *top, const char *rel, int level)
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
		return -3;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(dp)) == NULL)
			break;
		if (de->d_name[0] == '.')
			continue;
		ck_ptrvec_push(v->a, &names, ck_arena_strdup(v->a, de->d_name));
	}
	if (errno != 0) {
		warn("%s", dir);
		closedir(dp);
		return -3;
	}
	closedir(dp);
	qsort(names.items, names.len, sizeof(void *), cmp_str);
	for (i = 0; i < names.len && rc == 0; i++) {
		char *sub = rel[0] ? ck_arena_printf(v->a, "%s/%s", rel,
		                                     (char *)names.items[i])
		                   : names.items[i];
		char *full = ck_arena_printf(v->a, "%s/%s", top, sub);
		ck_fs_kind kind;

		if ((rc = vw_check_path(v, full, &kind)) != 0)
			break;
		if (kind == CK_FS_DIR && level >= MAX_ASSET_DEPTH) {
			ck_diag(v->d, CK_ERROR, full, 0, 0,
			        "folders nested too deeply (a symbolic link "
			        "loop?)");
			rc = -1;
		} else if (kind == CK_FS_DIR) {
			rc = walk(v, files, top, sub, level + 1);
		} else if (kind == CK_FS_FILE) {
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
	int rc;

	/* A theme without assets is fine: it may inline its styles. */
	if (stat(top, &st) != 0 && errno == ENOENT)
		return 0;
	if ((rc = vw_check_path(v, top, NULL)) != 0 ||
	    (rc = walk(v, &files, top, "", 0)) != 0)
		return rc;
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
