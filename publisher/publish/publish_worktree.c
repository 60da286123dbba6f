/*
 * The checkout's working tree and index brought to the new commit: the
 * files that change written whole beside the repository and renamed into
 * place (the open data linked from the build's own files), the rest left
 * to libgit2's checkout, limited to the paths that differ or that look
 * edited by hand.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fileio.h"
#include "jobs.h"
#include "publish_int.h"

/* The most changed paths the checkout is limited to; beyond, it looks at
 * every file. */
#define MAX_CHECKOUT_PATHS 5000

/* What pre-writing the changed files needs. */
struct prewrite {
	struct ck_publisher *p;
	git_index *base; /* what is checked out: updated as files are */
	size_t added;    /* entries updated in base */
	const char *workdir;
	ck_buf tmp, dest;
	unsigned long count;
};

/*
 * The file handed over open (ck_publisher_put_fd) whose bytes are blob id
 * at path, or NULL: the working tree is written from it, not from the
 * blob, which would be inflated whole into memory.
 */
static const struct ck_pub_spooled *
spooled_file(const struct ck_publisher *p, const char *path, const git_oid *id)
{
	size_t i;

	/* A handful at most: the open data's largest files. */
	for (i = 0; i < p->nspooled; i++)
		if (strcmp(p->spooled[i].path, path) == 0 &&
		    git_oid_equal(&p->spooled[i].id, id))
			return &p->spooled[i];
	return NULL;
}

/*
 * Records in the baseline index that path, just renamed into place, holds
 * blob id: the checkout then leaves it alone.
 */
static void
note_checked_out(struct prewrite *w, const char *path, const git_oid *id)
{
	git_index_entry e;
	struct stat st;

	if (lstat(w->dest.ptr, &st) != 0)
		return;
	memset(&e, 0, sizeof(e));
	e.path = path;
	e.mode = GIT_FILEMODE_BLOB;
	git_oid_cpy(&e.id, id);
	e.file_size = (uint32_t)st.st_size;
	e.mtime.seconds = (int32_t)st.st_mtim.tv_sec;
	e.mtime.nanoseconds = (uint32_t)st.st_mtim.tv_nsec;
	e.ctime.seconds = (int32_t)st.st_ctim.tv_sec;
	e.ctime.nanoseconds = (uint32_t)st.st_ctim.tv_nsec;
	e.dev = (uint32_t)st.st_dev;
	e.ino = (uint32_t)st.st_ino;
	e.uid = st.st_uid;
	e.gid = st.st_gid;
	if (git_index_add(w->base, &e) == 0)
		w->added++;
	else
		git_error_clear(); /* the checkout sees to it */
}

/*
 * A file of the new tree (path, blob id) that the last checkout had
 * otherwise is written whole beside the repository, then renamed over the
 * old one, and noted in the baseline index. Anything unusual (not a plain
 * file, a folder in the way, another filesystem) is left to the checkout.
 */
static int
prewrite_file(struct prewrite *w, const char *path, const git_oid *id)
{
	git_blob *blob = NULL;
	const struct ck_pub_spooled *sp;
	struct stat st;
	bool linked;
	int rc = 0, r;

	if (ck_file_make_parents(w->workdir, path, NULL) != 0)
		return 0;
	ck_buf_clear(&w->dest);
	ck_buf_printf(&w->dest, "%s%s", w->workdir, path);
	if (lstat(w->dest.ptr, &st) == 0 && !S_ISREG(st.st_mode))
		return 0;
	sp = spooled_file(w->p, path, id);
	if (sp == NULL && git_blob_lookup(&blob, w->p->repo, id) < 0)
		return ck_pub_git_fail("%s", w->dest.ptr);
	ck_buf_truncate(&w->tmp, strlen(git_repository_path(w->p->repo)) +
	                             strlen("congkhai-checkout/"));
	ck_buf_printf(&w->tmp, "%lu", w->count++);
	/* The build's unnamed file is linked in when it can be: the open
	 * data's 190 MB are not copied. */
	linked = sp != NULL &&
	         ck_file_link_unnamed(w->tmp.ptr, sp->fd, sp->len) == 0;
	r = linked       ? 0
	    : sp != NULL ? ck_file_write_fd(w->tmp.ptr, sp->fd, sp->len, true)
	                 : ck_file_write(w->tmp.ptr, git_blob_rawcontent(blob),
	                                 (size_t)git_blob_rawsize(blob), true);
	if (r != 0)
		rc = -3;
	else if (rename(w->tmp.ptr, w->dest.ptr) != 0) {
		unlink(w->tmp.ptr);
		if (errno != EXDEV && errno != EISDIR) {
			warn("%s", w->dest.ptr);
			rc = -3;
		}
	} else {
		note_checked_out(w, path, id);
		if (sp != NULL)
			w->p->stats.from_build++;
		if (linked)
			w->p->stats.linked++;
	}
	git_blob_free(blob);
	return rc;
}

/*
 * Writes the new versions of the files that change into the working tree
 * each whole: into <gitdir>/congkhai-checkout/ first, then renamed into
 * place. A full disk or a kill so leaves every file either its old or its
 * new version, never a part; the folder, emptied at each start, holds the
 * leftovers of a kill.
 */
static int
prewrite_worktree(struct ck_publisher *p, git_diff *changes, git_index *base)
{
	const git_diff_delta *delta;
	struct prewrite w;
	DIR *d;
	struct dirent *e;
	size_t i, n = git_diff_num_deltas(changes);
	int rc = 0;

	memset(&w, 0, sizeof(w));
	w.p = p;
	w.base = base;
	w.workdir = git_repository_workdir(p->repo);
	ck_buf_init(&w.tmp);
	ck_buf_init(&w.dest);
	ck_buf_printf(&w.tmp, "%scongkhai-checkout/",
	              git_repository_path(p->repo));
	if ((d = opendir(w.tmp.ptr)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			ck_buf_printf(&w.dest, "%s%s", w.tmp.ptr, e->d_name);
			unlink(w.dest.ptr);
			ck_buf_clear(&w.dest);
		}
		closedir(d);
	}
	if (mkdir(w.tmp.ptr, 0700) != 0 && errno != EEXIST) {
		warn("%s", w.tmp.ptr);
		rc = -3;
		goto done;
	}
	/* From the new tree (old side) to the last checkout (new side). */
	for (i = 0; i < n && rc == 0 && w.workdir != NULL; i++) {
		delta = git_diff_get_delta(changes, i);
		if ((delta->status == GIT_DELTA_DELETED ||
		     delta->status == GIT_DELTA_MODIFIED ||
		     delta->status == GIT_DELTA_TYPECHANGE) &&
		    delta->old_file.mode == GIT_FILEMODE_BLOB)
			rc = prewrite_file(&w, delta->old_file.path,
			                   &delta->old_file.id);
	}
	/* On disk, the index says what the files are: a kill from here on
	 * leaves nothing to redo for them. */
	if (rc == 0 && w.added > 0 && git_index_write(base) < 0)
		rc = ck_pub_git_fail("%s: writing the index", p->o->repo);
	if (rc != 0) {
		fprintf(
		    stderr,
		    "congkhai publish: %s: updating the working tree failed "
		    "(the branch has moved; each file is its old or its new "
		    "version; run publish again to finish)\n",
		    p->o->repo);
		rc = -3;
	}
done:
	ck_buf_free(&w.tmp);
	ck_buf_free(&w.dest);
	return rc;
}

/* Orders C strings bytewise (qsort). */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Whether the file at path in workdir may differ from what the index
 * entry says was checked out: gone, or another size or time (a file
 * edited by hand). Only lstat(2), as git status does.
 */
int
ck_pub_stat_differs(ck_buf *path, const char *workdir, const git_index_entry *e)
{
	struct stat st;

	ck_buf_clear(path);
	ck_buf_printf(path, "%s%s", workdir, e->path);
	if (lstat(path->ptr, &st) != 0 || !S_ISREG(st.st_mode))
		return 1;
	return (uint32_t)st.st_size != e->file_size ||
	       (int32_t)st.st_mtim.tv_sec != e->mtime.seconds ||
	       (e->mtime.nanoseconds != 0 &&
	        (uint32_t)st.st_mtim.tv_nsec != e->mtime.nanoseconds);
}

/* A share of the index's entries, looked at by one thread. */
typedef struct {
	const git_index_entry **entries;
	unsigned char *differs; /* per entry: stat_differs */
	const char *workdir;
	size_t from, to;
} stat_share;

static void *
stat_entries(void *arg)
{
	stat_share *sh = arg;
	ck_buf path = CK_BUF_INIT;
	size_t i;

	for (i = sh->from; i < sh->to; i++)
		sh->differs[i] =
		    sh->entries[i] != NULL &&
		    ck_pub_stat_differs(&path, sh->workdir, sh->entries[i]);
	ck_buf_free(&path);
	return NULL;
}

/*
 * Marks in differs[i] each of the n entries whose file looks edited. A
 * province's checkout has 120,000 files: their lstat(2)s are shared among
 * the CPUs (the entries are taken from the index first, on this thread,
 * since libgit2 may sort it when asked for one).
 */
static void
stat_all(unsigned char *differs, git_index *base, size_t n, const char *workdir)
{
	size_t nt = (size_t)ck_jobs(0), i;
	const git_index_entry **entries;
	stat_share *sh;

	if (nt > n / 1024 + 1)
		nt = n / 1024 + 1; /* a commune's few files: one thread */
	entries = calloc(n ? n : 1, sizeof(*entries));
	sh = calloc(nt, sizeof(*sh));
	if (entries == NULL || sh == NULL)
		err(3, "calloc");
	for (i = 0; i < n; i++)
		entries[i] = git_index_get_byindex(base, i);
	for (i = 0; i < nt; i++) {
		sh[i].entries = entries;
		sh[i].differs = differs;
		sh[i].workdir = workdir;
		sh[i].from = n * i / nt;
		sh[i].to = n * (i + 1) / nt;
	}
	ck_jobs_run(stat_entries, sh, sizeof(*sh), nt);
	free(sh);
	free(entries);
}

/*
 * The paths the checkout must look at, sorted, in *out (the caller frees
 * the array; the strings belong to changes and base): those where the new
 * tree and the last checkout differ, and those whose file on disk no
 * longer looks like what was checked out. Returns their count, or more
 * than MAX_CHECKOUT_PATHS (then *out is NULL) when the checkout had better
 * look at every file.
 */
static size_t
collect_paths(char ***out, git_diff *changes, git_index *base,
              const char *workdir)
{
	size_t i, n = git_diff_num_deltas(changes), count = 0, k;
	size_t entries = workdir != NULL ? git_index_entrycount(base) : 0;
	unsigned char *differs;
	char **v;

	*out = NULL;
	if (n > MAX_CHECKOUT_PATHS)
		return n;
	v = calloc(MAX_CHECKOUT_PATHS + 1, sizeof(*v));
	differs = calloc(entries ? entries : 1, 1);
	if (v == NULL || differs == NULL)
		err(3, "calloc");
	for (i = 0; i < n; i++)
		v[count++] =
		    (char *)git_diff_get_delta(changes, i)->old_file.path;
	stat_all(differs, base, entries, workdir);
	for (i = 0; i < entries; i++) {
		if (!differs[i])
			continue;
		if (count == MAX_CHECKOUT_PATHS) {
			count++;
			break;
		}
		v[count++] = (char *)git_index_get_byindex(base, i)->path;
	}
	free(differs);
	if (count > MAX_CHECKOUT_PATHS) {
		free(v);
		return count;
	}
	qsort(v, count, sizeof(*v), cmp_str);
	for (i = k = 0; i < count; i++)
		if (k == 0 || strcmp(v[k - 1], v[i]) != 0)
			v[k++] = v[i];
	*out = v;
	return k;
}

/*
 * Makes the index and the working tree those of the new tree, touching
 * only the paths where they differ (or where a file on disk no longer
 * looks like what was checked out). The baseline is the index as it is on
 * disk (what was checked out last, even if an earlier publish died before
 * updating it), so files it lists that the new tree lacks are removed;
 * files nobody committed are left alone.
 */
int
ck_pub_update_worktree(struct ck_publisher *p)
{
	git_checkout_options co;
	git_diff_options dopts;
	git_index *base = NULL;
	git_diff *changes = NULL;
	ck_buf path = CK_BUF_INIT;
	char **paths = NULL;
	size_t n;
	int rc = 0;

	ck_buf_printf(&path, "%sindex", git_repository_path(p->repo));
	if (git_index_open(&base, path.ptr) < 0) {
		rc = ck_pub_git_fail("%s", path.ptr);
		goto done;
	}
	/* Ids only, no stat(2): cheap where the trees share folders. */
	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	dopts.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
	if (git_diff_tree_to_index(&changes, p->repo, p->new_tree, base,
	                           &dopts) < 0) {
		rc = ck_pub_git_fail("%s: comparing with the checkout",
		                     p->o->repo);
		goto done;
	}
	/* What remains for the checkout is removals and its own repairs. */
	if ((rc = prewrite_worktree(p, changes, base)) < 0)
		goto done;
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_FORCE;
	co.baseline_index = base;
	n = collect_paths(&paths, changes, base,
	                  git_repository_workdir(p->repo));
	if (n <= MAX_CHECKOUT_PATHS) {
		/* Only these paths are looked at, even when none is. */
		co.paths.strings = paths;
		co.paths.count = n;
		co.checkout_strategy |= GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
		if (n == 0)
			goto done;
	}
	if (git_checkout_tree(p->repo, (const git_object *)p->new_tree, &co) <
	    0)
		rc = ck_pub_git_fail(
		    "%s: updating the working tree (the branch has "
		    "moved; run publish again to finish)",
		    p->o->repo);
done:
	free(paths);
	git_diff_free(changes);
	git_index_free(base);
	ck_buf_free(&path);
	return rc;
}
