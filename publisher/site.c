#include "site.h"

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct file {
	char *path;
	char *data;
	size_t len;
};

struct ck_site {
	struct file *v;
	size_t len, cap;
	int sorted;
	/* Paths already added, for the duplicate check: kept sorted lazily. */
};

ck_site *
ck_site_new(void)
{
	ck_site *s = calloc(1, sizeof(*s));

	if (s == NULL)
		err(3, "calloc");
	s->sorted = 1;
	return s;
}

void
ck_site_free(ck_site *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->len; i++) {
		free(s->v[i].path);
		free(s->v[i].data);
	}
	free(s->v);
	free(s);
}

static int
cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct file *)a)->path,
		      ((const struct file *)b)->path);
}

static int
add_owned(ck_site *s, const char *path, char *data, size_t len)
{
	struct file *f;

	/*
	 * Views add in mostly sorted order; an out-of-order path defers the
	 * duplicate check to ck_site_sort, so adding stays O(1).
	 */
	if (s->sorted && s->len > 0) {
		int c = strcmp(s->v[s->len - 1].path, path);

		if (c == 0) {
			free(data);
			return -1;
		}
		if (c > 0)
			s->sorted = 0;
	}
	if (s->len == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (s->v == NULL)
			err(3, "realloc");
	}
	f = &s->v[s->len++];
	f->path = strdup(path);
	if (f->path == NULL)
		err(3, "strdup");
	f->data = data;
	f->len = len;
	return 0;
}

int
ck_site_add(ck_site *s, const char *path, const void *data, size_t len)
{
	char *copy = malloc(len + 1);

	if (copy == NULL)
		err(3, "malloc");
	if (len)
		memcpy(copy, data, len);
	copy[len] = '\0';
	return add_owned(s, path, copy, len);
}

int
ck_site_add_buf(ck_site *s, const char *path, ck_buf *content)
{
	size_t len = content->size;

	return add_owned(s, path, ck_buf_detach(content), len);
}

int
ck_site_sort(ck_site *s)
{
	size_t i;
	int rc = 0;

	if (!s->sorted)
		qsort(s->v, s->len, sizeof(*s->v), cmp_file);
	s->sorted = 1;
	for (i = 1; i < s->len; i++) {
		if (strcmp(s->v[i - 1].path, s->v[i].path) == 0) {
			warnx("two files at %s", s->v[i].path);
			rc = -1;
		}
	}
	return rc;
}

size_t
ck_site_count(const ck_site *s)
{
	return s->len;
}

const char *
ck_site_path(const ck_site *s, size_t i)
{
	return i < s->len ? s->v[i].path : NULL;
}

const char *
ck_site_data(const ck_site *s, size_t i, size_t *len)
{
	if (i >= s->len)
		return NULL;
	if (len)
		*len = s->v[i].len;
	return s->v[i].data;
}

const char *
ck_site_find(const ck_site *s, const char *path, size_t *len)
{
	struct file key, *f;
	size_t i;

	if (s->sorted) {
		key.path = (char *)path;
		f = bsearch(&key, s->v, s->len, sizeof(*s->v), cmp_file);
	} else {
		f = NULL; /* before ck_site_sort: rare, so linear */
		for (i = 0; i < s->len; i++)
			if (strcmp(s->v[i].path, path) == 0) {
				f = &s->v[i];
				break;
			}
	}
	if (f == NULL)
		return NULL;
	if (len)
		*len = f->len;
	return f->data;
}

/* Removes a tree (no symlink following). 0 or -1 with errno. */
static int
remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char *child;
	int rc = 0;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (asprintf(&child, "%s/%s", path, e->d_name) < 0)
			err(3, "asprintf");
		if (remove_tree(child) != 0)
			rc = -1;
		free(child);
	}
	closedir(d);
	if (rc == 0)
		rc = rmdir(path);
	return rc;
}

/* mkdir -p of the parent folders of root/rel. */
static int
make_parents(const char *root, const char *rel)
{
	ck_buf p = CK_BUF_INIT;
	const char *slash;
	int rc = 0;

	for (slash = strchr(rel, '/'); slash; slash = strchr(slash + 1, '/')) {
		ck_buf_clear(&p);
		ck_buf_printf(&p, "%s/%.*s", root, (int)(slash - rel), rel);
		if (mkdir(p.ptr, 0755) != 0 && errno != EEXIST) {
			warn("%s", p.ptr);
			rc = -1;
			break;
		}
	}
	ck_buf_free(&p);
	return rc;
}

static int
write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ssize_t n;

	if (fd < 0) {
		warn("%s", path);
		return -1;
	}
	while (len > 0) {
		n = write(fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			warn("%s", path);
			close(fd);
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	if (close(fd) != 0) {
		warn("%s", path);
		return -1;
	}
	return 0;
}

int
ck_site_write_dir(const ck_site *s, const char *dir)
{
	ck_buf staging = CK_BUF_INIT, old = CK_BUF_INIT, p = CK_BUF_INIT,
	       q = CK_BUF_INIT;
	struct stat st;
	int have_dir, have_git = 0, rc = -1;
	size_t i, n = 0;
	const char *data;

	ck_buf_printf(&staging, "%s.staging-%ld", dir, (long)getpid());
	ck_buf_printf(&old, "%s.old-%ld", dir, (long)getpid());
	remove_tree(staging.ptr);
	if (mkdir(staging.ptr, 0755) != 0) {
		warn("%s", staging.ptr);
		goto done;
	}
	for (i = 0; i < s->len; i++) {
		ck_buf_clear(&p);
		ck_buf_printf(&p, "%s/%s", staging.ptr, s->v[i].path);
		data = ck_site_data(s, i, &n);
		if (make_parents(staging.ptr, s->v[i].path) != 0 ||
		    write_file(p.ptr, data, n) != 0)
			goto fail;
	}

	have_dir = lstat(dir, &st) == 0;
	if (have_dir && !S_ISDIR(st.st_mode)) {
		warnx("%s: not a folder", dir);
		goto fail;
	}
	if (have_dir) {
		/* Keep a repository that lives in the output folder. */
		ck_buf_printf(&q, "%s/.git", dir);
		if (lstat(q.ptr, &st) == 0) {
			ck_buf_clear(&p);
			ck_buf_printf(&p, "%s/.git", staging.ptr);
			if (rename(q.ptr, p.ptr) != 0) {
				warn("%s", q.ptr);
				goto fail;
			}
			have_git = 1;
		}
		if (renameat2(AT_FDCWD, staging.ptr, AT_FDCWD, dir,
			      RENAME_EXCHANGE) != 0) {
			/* No atomic exchange here: two renames instead. */
			if (rename(dir, old.ptr) != 0 ||
			    rename(staging.ptr, dir) != 0) {
				warn("%s", dir);
				if (have_git)
					rename(p.ptr, q.ptr);
				goto fail;
			}
		} else {
			rename(staging.ptr, old.ptr);
		}
		remove_tree(old.ptr);
	} else if (rename(staging.ptr, dir) != 0) {
		warn("%s", dir);
		goto fail;
	}
	rc = 0;
	goto done;
fail:
	remove_tree(staging.ptr);
done:
	ck_buf_free(&staging);
	ck_buf_free(&old);
	ck_buf_free(&p);
	ck_buf_free(&q);
	return rc;
}
