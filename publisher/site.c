#include "site.h"

#include "fileio.h"

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

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

/* mkdir -p of the parent folders of root/rel, with a warning. */
static int
make_parents(const char *root, const char *rel)
{
	ck_buf failed = CK_BUF_INIT;
	int rc = ck_file_make_parents(root, rel, &failed);

	if (rc != 0)
		warn("%s", failed.ptr);
	ck_buf_free(&failed);
	return rc;
}

/*
 * The output folder's name split into what the writer needs: the folder
 * without trailing slashes, its parent and its last part, and the names of
 * this run's staging folder and of the old site's parking place (for
 * filesystems without an atomic exchange). All beside the folder, hidden,
 * and named after it and this process, so a later run recognises the
 * leftovers of a killed one.
 */
struct out_names {
	ck_buf dir, parent, base, staging, old;
};

static void
out_names_free(struct out_names *n)
{
	ck_buf_free(&n->dir);
	ck_buf_free(&n->parent);
	ck_buf_free(&n->base);
	ck_buf_free(&n->staging);
	ck_buf_free(&n->old);
}

static int
out_names_init(struct out_names *n, const char *dir)
{
	const char *slash;
	size_t len = strlen(dir);

	ck_buf_init(&n->dir);
	ck_buf_init(&n->parent);
	ck_buf_init(&n->base);
	ck_buf_init(&n->staging);
	ck_buf_init(&n->old);
	while (len > 1 && dir[len - 1] == '/')
		len--; /* "-o site/" is "-o site" */
	ck_buf_put(&n->dir, dir, len);
	slash = strrchr(n->dir.ptr, '/');
	if (slash == NULL)
		ck_buf_puts(&n->parent, ".");
	else if (slash == n->dir.ptr)
		ck_buf_puts(&n->parent, "/");
	else
		ck_buf_put(&n->parent, n->dir.ptr,
		           (size_t)(slash - n->dir.ptr));
	ck_buf_puts(&n->base, slash ? slash + 1 : n->dir.ptr);
	if (n->base.size == 0 || strcmp(n->base.ptr, ".") == 0 ||
	    strcmp(n->base.ptr, "..") == 0) {
		warnx("%s: name the output folder itself (it is replaced "
		      "whole)",
		      dir);
		return -1;
	}
	ck_buf_printf(&n->staging, "%s/.%s.congkhai-staging-%ld", n->parent.ptr,
	              n->base.ptr, (long)getpid());
	ck_buf_printf(&n->old, "%s/.%s.congkhai-old-%ld", n->parent.ptr,
	              n->base.ptr, (long)getpid());
	return 0;
}

/* lstat's file type of path, or 0 when there is nothing there. */
static mode_t
file_type(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 ? (st.st_mode & S_IFMT) : 0;
}

/*
 * Puts the repository a killed run left in leftover back into the output
 * folder when the folder has none of its own (it then has no .git or the
 * pointer file this writer puts there). Returns 0 when leftover may go.
 */
static int
restore_git(const char *leftover, const char *dir)
{
	ck_buf from = CK_BUF_INIT, to = CK_BUF_INIT;
	mode_t have;
	int rc = 0;

	ck_buf_printf(&from, "%s/.git", leftover);
	ck_buf_printf(&to, "%s/.git", dir);
	if (file_type(from.ptr) != S_IFDIR)
		goto done;
	have = file_type(to.ptr);
	if (have == S_IFDIR) {
		/* Two repositories: not ours to choose; keep both. */
		warnx("%s: left by an interrupted run and holding a "
		      "repository; not removed",
		      leftover);
		rc = -1;
	} else if ((have == S_IFREG && unlink(to.ptr) != 0) ||
	           rename(from.ptr, to.ptr) != 0) {
		warn("%s", to.ptr);
		rc = -1;
	}
done:
	ck_buf_free(&from);
	ck_buf_free(&to);
	return rc;
}

/*
 * Removes what runs killed before they finished left beside the output
 * folder: their staging folders and parked old sites, putting back first
 * a parked old site whose folder is gone and a repository that was being
 * moved. Folders of runs still alive (another build) are left alone.
 */
static void
remove_leftovers(const struct out_names *n)
{
	ck_buf prefix = CK_BUF_INIT, path = CK_BUF_INIT;
	DIR *d;
	struct dirent *e;
	const char *rest;
	char *end;
	long pid;
	int parked;

	ck_buf_printf(&prefix, ".%s.congkhai-", n->base.ptr);
	if ((d = opendir(n->parent.ptr)) == NULL)
		goto done;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, prefix.ptr, prefix.size) != 0)
			continue;
		rest = e->d_name + prefix.size;
		parked = strncmp(rest, "old-", 4) == 0;
		if (!parked && strncmp(rest, "staging-", 8) != 0)
			continue;
		rest += parked ? 4 : 8;
		errno = 0;
		pid = strtol(rest, &end, 10);
		/* Our own pid's are a dead run's that had it before. */
		if (errno != 0 || end == rest || *end != '\0' || pid <= 0 ||
		    (pid != (long)getpid() &&
		     !(kill((pid_t)pid, 0) != 0 && errno == ESRCH)))
			continue;
		ck_buf_clear(&path);
		ck_buf_printf(&path, "%s/%s", n->parent.ptr, e->d_name);
		/* Killed between the two renames of the fallback swap: the
		 * parked site is the whole old one; it goes back. */
		if (parked && file_type(n->dir.ptr) == 0 &&
		    rename(path.ptr, n->dir.ptr) == 0)
			continue;
		if (file_type(n->dir.ptr) == S_IFDIR &&
		    restore_git(path.ptr, n->dir.ptr) != 0)
			continue;
		if (remove_tree(path.ptr) != 0)
			warn("%s", path.ptr);
	}
	closedir(d);
done:
	ck_buf_free(&prefix);
	ck_buf_free(&path);
}

/*
 * Gives the new site the repository of the old one while both are in
 * place: a git "gitdir:" pointer file at staging/.git naming where the
 * repository will be once the folders are swapped (git and libgit2 follow
 * it), or, for a .git that is itself a pointer file or a link, a copy.
 */
static int
point_to_git(const char *staging, const char *dir, const char *git_after)
{
	ck_buf from = CK_BUF_INIT, to = CK_BUF_INIT, text = CK_BUF_INIT;
	char target[4096];
	ssize_t len;
	mode_t type;
	FILE *f;
	int rc = -1;

	ck_buf_printf(&from, "%s/.git", dir);
	ck_buf_printf(&to, "%s/.git", staging);
	type = file_type(from.ptr);
	if (type == S_IFLNK) {
		len = readlink(from.ptr, target, sizeof(target) - 1);
		if (len < 0 ||
		    (target[len] = '\0', symlink(target, to.ptr)) != 0) {
			warn("%s", from.ptr);
			goto done;
		}
	} else if (type == S_IFREG) {
		if ((f = fopen(from.ptr, "rb")) == NULL) {
			warn("%s", from.ptr);
			goto done;
		}
		while ((len = (ssize_t)fread(target, 1, sizeof(target), f)) > 0)
			ck_buf_put(&text, target, (size_t)len);
		fclose(f);
		if (ck_file_write(to.ptr, text.ptr, text.size, false) != 0)
			goto done;
	} else {
		ck_buf_printf(&text, "gitdir: %s\n", git_after);
		if (ck_file_write(to.ptr, text.ptr, text.size, false) != 0)
			goto done;
	}
	rc = 0;
done:
	ck_buf_free(&from);
	ck_buf_free(&to);
	ck_buf_free(&text);
	return rc;
}

/*
 * Swaps the staging folder in for the existing output folder. With
 * renameat2's exchange (Linux) the folder is at every moment the whole old
 * or the whole new site, and has a working .git: first the pointer file,
 * then (a second exchange) the repository itself; the old site is then at
 * the staging name. Elsewhere two renames, with a moment with no folder,
 * which the next run repairs (remove_leftovers). Returns 0, -1 when
 * nothing was changed (the staging folder may go), -2 after a partial swap
 * (the repository may be in the staging folder: leave it to the repair).
 */
static int
swap_in(const struct out_names *n, const char *trash, int git_dir)
{
	ck_buf from = CK_BUF_INIT, to = CK_BUF_INIT, pointer = CK_BUF_INIT;
	int rc = -1;

	ck_buf_printf(&to, "%s/.git", n->dir.ptr);
	if (renameat2(AT_FDCWD, n->staging.ptr, AT_FDCWD, n->dir.ptr,
	              RENAME_EXCHANGE) == 0) {
		ck_buf_printf(&from, "%s/.git", n->staging.ptr);
		if (git_dir && renameat2(AT_FDCWD, from.ptr, AT_FDCWD, to.ptr,
		                         RENAME_EXCHANGE) != 0) {
			/* The pointer still leads to it: keep it there. */
			warn("%s: moving the repository back from %s", to.ptr,
			     from.ptr);
			rc = -2;
			goto done;
		}
		rc = 0;
		goto done;
	}
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) {
		warn("%s", n->dir.ptr);
		goto done;
	}
	/* The pointer must name where the old site is parked. */
	ck_buf_printf(&pointer, "%s/.git", n->staging.ptr);
	if (git_dir && (unlink(pointer.ptr) != 0 ||
	                point_to_git(n->staging.ptr, n->dir.ptr, trash) != 0))
		goto done;
	if (rename(n->dir.ptr, n->old.ptr) != 0) {
		warn("%s", n->dir.ptr);
		goto done;
	}
	if (rename(n->staging.ptr, n->dir.ptr) != 0) {
		warn("%s", n->dir.ptr);
		if (rename(n->old.ptr, n->dir.ptr) != 0) {
			warn("%s: the old site is at %s", n->dir.ptr,
			     n->old.ptr);
			rc = -2;
		}
		goto done;
	}
	ck_buf_printf(&from, "%s/.git", n->old.ptr);
	if (git_dir && (unlink(to.ptr) != 0 || rename(from.ptr, to.ptr) != 0)) {
		warn("%s: the repository is at %s", to.ptr, from.ptr);
		rc = -2;
		goto done;
	}
	rc = 0;
done:
	ck_buf_free(&from);
	ck_buf_free(&to);
	ck_buf_free(&pointer);
	return rc;
}

int
ck_site_write_dir(const ck_site *s, const char *dir)
{
	struct out_names n;
	ck_buf p = CK_BUF_INIT, git_after = CK_BUF_INIT;
	struct stat st;
	int have_dir, git_dir = 0, swapped = 0, rc = -1;
	size_t i, len = 0;
	const char *data;

	if (out_names_init(&n, dir) != 0)
		goto done;
	remove_leftovers(&n);
	have_dir = lstat(n.dir.ptr, &st) == 0;
	if (have_dir && !S_ISDIR(st.st_mode)) {
		warnx("%s: not a folder", n.dir.ptr);
		goto done;
	}
	/* Replacing it needs only its parent writable: a folder made
	 * read-only (for this user, or for everyone, which root would
	 * otherwise ignore) is refused instead, and left as it is. */
	if (have_dir &&
	    (access(n.dir.ptr, W_OK) != 0 || (st.st_mode & 0222) == 0)) {
		if ((st.st_mode & 0222) == 0)
			errno = EACCES;
		warn("%s: read-only, not replaced", n.dir.ptr);
		goto done;
	}
	if (mkdir(n.staging.ptr, 0755) != 0 ||
	    (have_dir && chmod(n.staging.ptr, st.st_mode & 07777) != 0)) {
		warn("%s", n.staging.ptr);
		goto fail;
	}
	for (i = 0; i < s->len; i++) {
		ck_buf_clear(&p);
		ck_buf_printf(&p, "%s/%s", n.staging.ptr, s->v[i].path);
		data = ck_site_data(s, i, &len);
		if (make_parents(n.staging.ptr, s->v[i].path) != 0 ||
		    ck_file_write(p.ptr, data, len, false) != 0)
			goto fail;
	}
	if (!have_dir) {
		if (rename(n.staging.ptr, n.dir.ptr) != 0) {
			warn("%s", n.dir.ptr);
			goto fail;
		}
		rc = 0;
		goto done;
	}
	/* Keep a repository that lives in the output folder. */
	ck_buf_clear(&p);
	ck_buf_printf(&p, "%s/.git", n.dir.ptr);
	if (lstat(p.ptr, &st) == 0) {
		git_dir = S_ISDIR(st.st_mode);
		/* Relative, as the folders sit side by side. */
		ck_buf_printf(&git_after, "../.%s.congkhai-staging-%ld/.git",
		              n.base.ptr, (long)getpid());
		if (point_to_git(n.staging.ptr, n.dir.ptr, git_after.ptr) != 0)
			goto fail;
		ck_buf_clear(&git_after);
		ck_buf_printf(&git_after, "../.%s.congkhai-old-%ld/.git",
		              n.base.ptr, (long)getpid());
	}
	if ((swapped = swap_in(&n, git_after.ptr, git_dir)) != 0)
		goto fail;
	/* The old site, at the staging or the parked name. */
	remove_tree(n.staging.ptr);
	remove_tree(n.old.ptr);
	rc = 0;
	goto done;
fail:
	/* Before the swap the staging folder holds no repository; after a
	 * half swap it may: leave it to the next run's repair then. */
	if (swapped != -2)
		remove_tree(n.staging.ptr);
done:
	out_names_free(&n);
	ck_buf_free(&p);
	ck_buf_free(&git_after);
	return rc;
}
