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
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <git2/sys/repository.h>
#include <pthread.h>
#include <unistd.h>

#include "buf.h"
#include "fileio.h"
#include "jobs.h"
#include "publish_int.h"

/* The most changed paths the checkout is limited to; beyond, it looks at
 * every file. */
#define MAX_CHECKOUT_PATHS 5000

/*
 * A look at the checkout before it is updated: its index, and which of its
 * files look edited by hand (lstat(2) of each, 120,000 at 100k), taken on a
 * thread while the commit is made.
 */
struct ck_pub_look {
	pthread_t thread;
	int started;  /* the thread runs, or ran and is not joined */
	ck_buf index; /* <gitdir>index */
	ck_buf workdir;
	git_index *base; /* as read */
	struct stat st;  /* the index file when read */
	int had_index;
	char **edited; /* paths, owned */
	size_t nedited;
	/* Paths below workdir where the checkout has a folder but the disk
	 * has something else (a file, a link), each ending in NUL. */
	ck_buf blocked;
	int rc; /* 0, or -1: the index could not be read */
};

/* A path where the new tree and the last checkout differ. */
struct change {
	const char *path;
	const git_oid *id; /* the new tree's blob, or NULL: not in it */
	int written;       /* written beforehand, noted in the index */
};

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
static int
note_checked_out(struct prewrite *w, const char *path, const git_oid *id)
{
	git_index_entry e;
	struct stat st;

	if (lstat(w->dest.ptr, &st) != 0)
		return 0;
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
	if (git_index_add(w->base, &e) != 0) {
		git_error_clear(); /* the checkout sees to it */
		return 0;
	}
	w->added++;
	return 1;
}

/*
 * A file of the new tree (path, blob id) that the last checkout had
 * otherwise is written whole beside the repository, then renamed over the
 * old one, and noted in the baseline index. Anything unusual (not a plain
 * file, a folder in the way, another filesystem) is left to the checkout.
 */
static int
prewrite_file(struct prewrite *w, struct change *c)
{
	const char *path = c->path;
	const git_oid *id = c->id;
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
		c->written = note_checked_out(w, path, id);
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
prewrite_worktree(size_t *added, struct ck_publisher *p, struct change *changes,
                  size_t n, struct change *edited, size_t nedited,
                  git_index *base)
{
	struct prewrite w;
	DIR *d;
	struct dirent *e;
	size_t i;
	int rc = 0;

	*added = 0;
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
	/* Each file of the new tree that the last checkout lacks or had
	 * otherwise. */
	for (i = 0; i < n && rc == 0 && w.workdir != NULL; i++)
		if (changes[i].id != NULL)
			rc = prewrite_file(&w, &changes[i]);
	/* And the files edited by hand, which git's checkout would leave
	 * when only their change time tells (libgit2 compares size and
	 * modification time). */
	for (i = 0; i < nedited && rc == 0 && w.workdir != NULL; i++)
		rc = prewrite_file(&w, &edited[i]);
	*added = w.added;
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
	return lstat(path->ptr, &st) != 0 || ck_pub_st_differs(&st, e);
}

/*
 * The change time too, as git status compares it (core.trustctime): a
 * file rewritten in place with its modification time put back (touch -r)
 * keeps its size and mtime, but not its ctime, which only the kernel sets.
 * The open data's records and deltas are made from the checkout's files
 * that pass this, so a file so edited must not pass.
 */
int
ck_pub_st_differs(const struct stat *st, const git_index_entry *e)
{
	return !S_ISREG(st->st_mode) || (uint32_t)st->st_size != e->file_size ||
	       (int32_t)st->st_mtim.tv_sec != e->mtime.seconds ||
	       (e->mtime.nanoseconds != 0 &&
	        (uint32_t)st->st_mtim.tv_nsec != e->mtime.nanoseconds) ||
	       (int32_t)st->st_ctim.tv_sec != e->ctime.seconds ||
	       (e->ctime.nanoseconds != 0 &&
	        (uint32_t)st->st_ctim.tv_nsec != e->ctime.nanoseconds);
}

int
ck_pub_openat_nolinks(int dirfd, const char *rel, int flags)
{
	struct open_how how = {.flags = (uint64_t)(flags | O_CLOEXEC),
	                       .resolve = RESOLVE_NO_SYMLINKS};
	int fd = (int)syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));

	if (fd < 0 && errno == ENOSYS)
		fd = openat(dirfd, rel, flags | O_CLOEXEC | O_NOFOLLOW);
	return fd;
}

int
ck_pub_open_checkout(const char *workdir, const char *path)
{
	int dir = open(workdir, O_PATH | O_DIRECTORY | O_CLOEXEC), fd, e;

	if (dir < 0)
		return -1;
	fd = ck_pub_openat_nolinks(dir, path, O_RDONLY | O_NONBLOCK);
	e = errno;
	close(dir);
	errno = e;
	return fd;
}

/* A share of the index's entries, looked at by one thread. */
typedef struct {
	const git_index_entry **entries;
	unsigned char *differs; /* per entry: stat_differs */
	const char *workdir;
	size_t from, to;
	ck_buf blocked; /* as ck_pub_look's */
} stat_share;

/*
 * A folder held open while the files below it are looked at. The index is
 * sorted, so a province's 120,000 files come a folder at a time, and an
 * lstat(2) relative to it walks two names, not the whole path (the
 * kernel's walk of each name was most of the look's time, and a CI
 * runner's checkout is deep).
 *
 * It is also where the look finds what was put by hand where the checkout
 * has a folder. A file there made the checkout fail ("directory exists");
 * a link to another folder made its files look unchanged (found through
 * the link) and be written through it, outside the checkout. The held
 * folder is opened refusing every link on the way (openat2(2),
 * RESOLVE_NO_SYMLINKS), and a file's lstat says ENOTDIR when the folder
 * between is a file. A link in place of that folder between (a question's
 * folder) is not seen: checking it would cost a listing or a call per
 * file.
 */
typedef struct {
	int root;   /* workdir's descriptor */
	ck_buf dir; /* below workdir, ending in '/' (empty: workdir) */
	int fd;     /* dir's descriptor; -1: not a folder; -2: none yet */
} held_dir;

/*
 * The length of the folder path is looked at from, with its '/': two
 * levels up ("doi-thoai/d-1/" of "doi-thoai/d-1/0038/index.html"), its
 * own folder one level down ("data/" of "data/questions.json"), none at
 * the top. What is left of path has one '/' at most.
 */
static size_t
held_prefix(const char *path)
{
	const char *last = strrchr(path, '/'), *p;

	if (last == NULL)
		return 0;
	for (p = last; p > path && p[-1] != '/'; p--)
		;
	return p == path ? (size_t)(last + 1 - path) : (size_t)(p - path);
}

/* Notes in blocked the path (len bytes of it) unless it is the last. */
static void
note_blocked(ck_buf *blocked, const char *path, size_t len)
{
	const char *last = blocked->ptr;
	size_t at = 0;

	while (at < blocked->size) {
		last = blocked->ptr + at;
		at += strlen(last) + 1;
	}
	if (blocked->size > 0 && strlen(last) == len &&
	    memcmp(last, path, len) == 0)
		return;
	ck_buf_put(blocked, path, len);
	ck_buf_putc(blocked, '\0');
}

/* The first of the folders in dir (below root, ending in '/') that is
 * something else on disk, noted in blocked; none when one is missing. */
static void
find_blocked(ck_buf *blocked, int root, const char *dir)
{
	ck_buf sub = CK_BUF_INIT;
	const char *slash;
	struct stat st;

	for (slash = strchr(dir, '/'); slash != NULL;
	     slash = strchr(slash + 1, '/')) {
		ck_buf_clear(&sub);
		ck_buf_put(&sub, dir, (size_t)(slash - dir));
		if (fstatat(root, sub.ptr, &st, AT_SYMLINK_NOFOLLOW) != 0)
			break;
		if (!S_ISDIR(st.st_mode)) {
			note_blocked(blocked, sub.ptr, sub.size);
			break;
		}
	}
	ck_buf_free(&sub);
}

/* Holds the folder (the n bytes of path), refusing links on the way. */
static void
hold(held_dir *h, const char *path, size_t n, ck_buf *blocked)
{
	if (h->fd >= 0 && h->fd != h->root)
		close(h->fd);
	ck_buf_clear(&h->dir);
	ck_buf_put(&h->dir, path, n);
	h->fd = n == 0 ? h->root
	               : ck_pub_openat_nolinks(h->root, h->dir.ptr,
	                                       O_PATH | O_DIRECTORY);
	if (h->fd < 0) {
		if (errno == ELOOP || errno == ENOTDIR)
			find_blocked(blocked, h->root, h->dir.ptr);
		h->fd = -1;
	}
}

/*
 * The folders a thread holds: two, since the sorted paths go back and
 * forth between a dialogue's folder and the one above it (its own page
 * comes after its questions').
 */
#define HELD 2
typedef struct {
	held_dir h[HELD];
	unsigned next; /* the one to let go for another */
} held_dirs;

/* ck_pub_stat_differs, relative to the folder two levels up, held once
 * for all the files below it; notes in blocked what is in a folder's
 * way. */
static int
held_differs(held_dirs *hs, ck_buf *blocked, const git_index_entry *e)
{
	size_t n = held_prefix(e->path), i;
	const char *rel = e->path + n, *slash = strchr(rel, '/');
	held_dir *h = NULL;
	struct stat st;

	for (i = 0; i < HELD && h == NULL; i++)
		if (hs->h[i].fd != -2 && hs->h[i].dir.size == n &&
		    memcmp(hs->h[i].dir.ptr, e->path, n) == 0)
			h = &hs->h[i];
	if (h == NULL) {
		h = &hs->h[hs->next];
		hs->next = (hs->next + 1) % HELD;
		hold(h, e->path, n, blocked);
	}
	if (h->fd < 0)
		return 1; /* its folder is gone, or not a folder */
	if (fstatat(h->fd, rel, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		/* The folder between is something else. */
		if (errno == ENOTDIR && slash != NULL)
			note_blocked(blocked, e->path,
			             (size_t)(slash - e->path));
		return 1;
	}
	return ck_pub_st_differs(&st, e);
}

static void *
stat_entries(void *arg)
{
	stat_share *sh = arg;
	held_dirs hs;
	size_t i;
	int root = open(sh->workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	memset(&hs, 0, sizeof(hs));
	for (i = 0; i < HELD; i++) {
		hs.h[i].root = root;
		hs.h[i].fd = -2;
		ck_buf_init(&hs.h[i].dir);
	}
	for (i = sh->from; i < sh->to; i++)
		sh->differs[i] =
		    sh->entries[i] != NULL &&
		    /* No workdir: every file looks gone, all checked out. */
		    (root < 0 ||
		     held_differs(&hs, &sh->blocked, sh->entries[i]));
	for (i = 0; i < HELD; i++) {
		if (hs.h[i].fd >= 0 && hs.h[i].fd != root)
			close(hs.h[i].fd);
		ck_buf_free(&hs.h[i].dir);
	}
	if (root >= 0)
		close(root);
	return NULL;
}

/*
 * Marks in differs[i] each of the n entries whose file looks edited. A
 * province's checkout has 120,000 files: their lstat(2)s are shared among
 * the CPUs (the entries are taken from the index first, on this thread,
 * since libgit2 may sort it when asked for one).
 */
static void
stat_all(unsigned char *differs, ck_buf *blocked, git_index *base, size_t n,
         const char *workdir)
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
		ck_buf_init(&sh[i].blocked);
	}
	ck_jobs_run(stat_entries, sh, sizeof(*sh), nt);
	for (i = 0; i < nt; i++) {
		ck_buf_put(blocked, sh[i].blocked.ptr, sh[i].blocked.size);
		ck_buf_free(&sh[i].blocked);
	}
	free(sh);
	free(entries);
}

/* Orders changes by path (bsearch). */
static int
cmp_change(const void *a, const void *b)
{
	return strcmp(((const struct change *)a)->path,
	              ((const struct change *)b)->path);
}

/*
 * The paths the checkout must look at, sorted, in *out (the caller frees
 * the array; the strings belong to changes and l): those where the new
 * tree and the last checkout differ, and those whose file on disk no
 * longer looks like what was checked out (l->edited), but not the files
 * written beforehand: the checkout would read them back whole (the open
 * data's 190 MB at 100k) to learn what the index says already. Returns
 * their count, or more than MAX_CHECKOUT_PATHS (then *out is NULL) when
 * the checkout had better look at every file.
 */
static size_t
collect_paths(char ***out, const struct change *changes, size_t n,
              const struct ck_pub_look *l)
{
	const struct change *c;
	struct change key;
	size_t i, count = 0, k;
	char **v;

	*out = NULL;
	if (n + l->nedited > MAX_CHECKOUT_PATHS)
		return n + l->nedited;
	v = calloc(n + l->nedited + 1, sizeof(*v));
	if (v == NULL)
		err(3, "calloc");
	for (i = 0; i < n; i++)
		if (!changes[i].written)
			v[count++] = (char *)changes[i].path;
	for (i = 0; i < l->nedited; i++) {
		key.path = l->edited[i];
		/* changes is sorted by path (checkout_changes). */
		c = n == 0 ? NULL
		           : bsearch(&key, changes, n, sizeof(*changes),
		                     cmp_change);
		if (c == NULL || !c->written)
			v[count++] = l->edited[i];
	}
	qsort(v, count, sizeof(*v), cmp_str);
	for (i = k = 0; i < count; i++)
		if (k == 0 || strcmp(v[k - 1], v[i]) != 0)
			v[k++] = v[i];
	*out = v;
	return k;
}

/*
 * Where the new tree (p's files, sorted) and the last checkout (base)
 * differ: a file of either that the other lacks, or has with another blob
 * or mode. Both lists are sorted by path, so one merge finds them all; a
 * diff of the tree with the index would read the tree's 120,000 folders
 * at 100k. Sets *out (the caller frees it; the paths belong to p's files
 * and base) and returns the count.
 */
static size_t
checkout_changes(struct change **out, const struct ck_pub_files *f,
                 git_index *base)
{
	size_t i = 0, j = 0, n = git_index_entrycount(base), len = 0, cap = 0;
	const git_index_entry *e;
	struct change *v = NULL;
	int cmp;

	while (i < f->len || j < n) {
		e = j < n ? git_index_get_byindex(base, j) : NULL;
		cmp = i == f->len ? 1
		      : e == NULL ? -1
		                  : strcmp(f->v[i].path, e->path);
		if (cmp == 0 && git_index_entry_stage(e) == 0 &&
		    e->mode == GIT_FILEMODE_BLOB &&
		    git_oid_equal(&e->id, &f->v[i].id)) {
			i++;
			j++;
			continue;
		}
		if (len == cap) {
			cap = cap ? cap * 2 : 64;
			if ((v = realloc(v, cap * sizeof(*v))) == NULL)
				err(3, "realloc");
		}
		if (cmp > 0) { /* only the checkout has it (or a conflict) */
			v[len].path = e->path;
			v[len].written = 0;
			v[len++].id = NULL;
			j++;
			continue;
		}
		v[len].path = f->v[i].path;
		v[len].written = 0;
		v[len++].id = &f->v[i].id;
		i++;
		j += cmp == 0;
	}
	*out = v;
	return len;
}

/* Adds a copy of path to those l found edited. */
static void
add_edited(struct ck_pub_look *l, const char *path)
{
	if (l->nedited % 64 == 0) {
		l->edited =
		    realloc(l->edited, (l->nedited + 64) * sizeof(*l->edited));
		if (l->edited == NULL)
			err(3, "realloc");
	}
	if ((l->edited[l->nedited++] = strdup(path)) == NULL)
		err(3, "strdup");
}

/*
 * Calls fn(arg, i, path) for each entry i of base below a folder of
 * blocked (from its byte from on). Once what is in such a folder's way is
 * removed, its files are all to be checked out, also those that looked
 * unchanged through a link.
 */
static void
each_below_blocked(git_index *base, const ck_buf *blocked, size_t from,
                   void (*fn)(void *arg, size_t i, const char *path), void *arg)
{
	size_t at, len, i, pos, n = git_index_entrycount(base);
	const char *b, *path;

	for (at = from; at < blocked->size; at += len + 1) {
		b = blocked->ptr + at;
		len = strlen(b);
		/* The first entry starting with b (sorted), then the rest. */
		pos = 0;
		if (git_index_find_prefix(&pos, base, b) != 0)
			continue;
		for (i = pos; i < n; i++) {
			path = git_index_get_byindex(base, i)->path;
			if (strncmp(path, b, len) != 0)
				break;
			if (path[len] == '/')
				fn(arg, i, path);
		}
	}
}

static void
mark_differs(void *differs, size_t i, const char *path)
{
	((unsigned char *)differs)[i] = 1;
}

/*
 * Reads the checkout's index into l->base and looks at every file it lists
 * (stat_all): l->edited holds (copies of) the paths that look edited, at
 * most MAX_CHECKOUT_PATHS + 1 of them. Sets l->rc: 0, or -1 when the index
 * cannot be read (libgit2's error kept for the caller).
 */
static void
look_at(struct ck_pub_look *l)
{
	size_t n, i;
	unsigned char *differs;

	memset(&l->st, 0, sizeof(l->st));
	l->had_index = lstat(l->index.ptr, &l->st) == 0;
	if (git_index_open(&l->base, l->index.ptr) < 0) {
		l->rc = -1;
		return;
	}
	n = l->workdir.size > 0 ? git_index_entrycount(l->base) : 0;
	if ((differs = calloc(n ? n : 1, 1)) == NULL)
		err(3, "calloc");
	stat_all(differs, &l->blocked, l->base, n, l->workdir.ptr);
	each_below_blocked(l->base, &l->blocked, 0, mark_differs, differs);
	for (i = 0; i < n; i++) {
		if (!differs[i])
			continue;
		add_edited(l, git_index_get_byindex(l->base, i)->path);
		if (l->nedited > MAX_CHECKOUT_PATHS)
			break;
	}
	free(differs);
	l->rc = 0;
}

static void *
look_main(void *arg)
{
	look_at(arg);
	return NULL;
}

/* Frees l, its thread ended; accepts NULL. */
static void
look_free(struct ck_pub_look *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->nedited; i++)
		free(l->edited[i]);
	free(l->edited);
	git_index_free(l->base);
	ck_buf_free(&l->blocked);
	ck_buf_free(&l->index);
	ck_buf_free(&l->workdir);
	free(l);
}

/* A look at p's checkout, not yet taken. */
static struct ck_pub_look *
look_new(struct ck_publisher *p)
{
	struct ck_pub_look *l = calloc(1, sizeof(*l));

	if (l == NULL)
		err(3, "calloc");
	ck_buf_init(&l->index);
	ck_buf_init(&l->workdir);
	ck_buf_init(&l->blocked);
	ck_buf_printf(&l->index, "%sindex", git_repository_path(p->repo));
	if (git_repository_workdir(p->repo) != NULL)
		ck_buf_puts(&l->workdir, git_repository_workdir(p->repo));
	return l;
}

void
ck_pub_look_start(struct ck_publisher *p)
{
	struct ck_pub_look *l;

	if (p->look != NULL || !p->checked_out)
		return;
	l = look_new(p);
	if (pthread_create(&l->thread, NULL, look_main, l) != 0) {
		look_free(l); /* the checkout looks for itself */
		return;
	}
	l->started = 1;
	p->look = l;
}

/* p's look, its thread ended, taken from p (the caller frees it); NULL
 * when none was started. */
static struct ck_pub_look *
look_take(struct ck_publisher *p)
{
	struct ck_pub_look *l = p->look;

	if (l != NULL && l->started) {
		pthread_join(l->thread, NULL);
		l->started = 0;
	}
	p->look = NULL;
	return l;
}

void
ck_pub_look_end(struct ck_publisher *p)
{
	look_free(look_take(p));
}

/*
 * Whether the index is still the file l read: the same inode, size and
 * times. Another git command in the checkout meanwhile means looking
 * again.
 */
static int
look_still_holds(const struct ck_pub_look *l)
{
	struct stat st;

	if (l->rc != 0)
		return 0;
	if (lstat(l->index.ptr, &st) != 0)
		return !l->had_index;
	return l->had_index && st.st_ino == l->st.st_ino &&
	       st.st_dev == l->st.st_dev && st.st_size == l->st.st_size &&
	       st.st_mtim.tv_sec == l->st.st_mtim.tv_sec &&
	       st.st_mtim.tv_nsec == l->st.st_mtim.tv_nsec &&
	       st.st_ctim.tv_sec == l->st.st_ctim.tv_sec &&
	       st.st_ctim.tv_nsec == l->st.st_ctim.tv_nsec;
}

/*
 * The files the look found edited that the new tree has as the last
 * checkout had them (not among the n changes, sorted by path), with their
 * blob ids (copied: the index changes as files are noted in it), for
 * prewrite_worktree; none when they are too many (the checkout then
 * writes every file). The caller frees *out and *ids.
 */
static void
edited_unchanged(struct change **out, git_oid **ids, size_t *count,
                 const struct ck_pub_look *l, const struct change *changes,
                 size_t n)
{
	const git_index_entry *e;
	struct change key, *v;
	git_oid *id;
	size_t i, k = 0;

	*out = NULL;
	*ids = NULL;
	*count = 0;
	if (l->nedited == 0 || l->nedited > MAX_CHECKOUT_PATHS)
		return;
	v = calloc(l->nedited, sizeof(*v));
	id = calloc(l->nedited, sizeof(*id));
	if (v == NULL || id == NULL)
		err(3, "calloc");
	for (i = 0; i < l->nedited; i++) {
		key.path = l->edited[i];
		if (n > 0 && bsearch(&key, changes, n, sizeof(*changes),
		                     cmp_change) != NULL)
			continue;
		e = git_index_get_bypath(l->base, l->edited[i], 0);
		if (e == NULL || e->mode != GIT_FILEMODE_BLOB)
			continue;
		git_oid_cpy(&id[k], &e->id);
		v[k].path = l->edited[i];
		v[k].id = &id[k];
		k++;
	}
	*out = v;
	*ids = id;
	*count = k;
}

static void
add_below(void *l, size_t i, const char *path)
{
	add_edited(l, path);
}

/*
 * Looks again, refusing links, at the folders of the files about to be
 * written or removed (the changes, and the files found edited): the look
 * does not see a link in place of a question's folder, and a file must
 * not be written through one. What is in the way is added to l->blocked,
 * and every file below it to those to check out. A few folders for one
 * change; one call per file only when most files change.
 */
static void
check_written_folders(struct ck_pub_look *l, const struct change *changes,
                      size_t nchanges)
{
	ck_buf dir = CK_BUF_INIT, last = CK_BUF_INIT;
	size_t i, nedited = l->nedited, from = l->blocked.size;
	const char *path, *slash;
	int root, fd;

	if (l->workdir.size == 0 ||
	    (root = open(l->workdir.ptr, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return;
	for (i = 0; i < nchanges + nedited; i++) {
		path = i < nchanges ? changes[i].path : l->edited[i - nchanges];
		if ((slash = strrchr(path, '/')) == NULL)
			continue;
		ck_buf_clear(&dir);
		ck_buf_put(&dir, path, (size_t)(slash - path) + 1);
		if (ck_buf_equal(&dir, &last))
			continue;
		ck_buf_clear(&last);
		ck_buf_put(&last, dir.ptr, dir.size);
		fd = ck_pub_openat_nolinks(root, dir.ptr, O_PATH | O_DIRECTORY);
		if (fd >= 0)
			close(fd);
		else if (errno == ELOOP || errno == ENOTDIR)
			find_blocked(&l->blocked, root, dir.ptr);
	}
	close(root);
	each_below_blocked(l->base, &l->blocked, from, add_below, l);
	ck_buf_free(&dir);
	ck_buf_free(&last);
}

/*
 * Removes what the look found in the way of the checkout's folders (a
 * file or a link put there by hand): the files below are then missing,
 * and the look has them among those to check out.
 */
static int
clear_blocked(struct ck_publisher *p, const struct ck_pub_look *l)
{
	ck_buf path = CK_BUF_INIT;
	struct stat st;
	size_t at;
	int rc = 0;

	for (at = 0; at < l->blocked.size;
	     at += strlen(l->blocked.ptr + at) + 1) {
		ck_buf_clear(&path);
		ck_buf_printf(&path, "%s%s", l->workdir.ptr,
		              l->blocked.ptr + at);
		if (lstat(path.ptr, &st) == 0 && !S_ISDIR(st.st_mode) &&
		    unlink(path.ptr) != 0) {
			warn("%s: in the way of a folder of %s", path.ptr,
			     p->o->repo);
			rc = -1;
			break;
		}
	}
	ck_buf_free(&path);
	return rc;
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
	struct ck_pub_look *l;
	struct change *changes = NULL, *edited = NULL;
	git_oid *ids = NULL;
	char **paths = NULL;
	size_t n, added, nchanges, nedited = 0;
	int rc = 0;

	/* The look taken while the commit was made, if the index is still
	 * what it read; else one now. */
	l = look_take(p);
	if (l == NULL || !look_still_holds(l)) {
		look_free(l);
		l = look_new(p);
		look_at(l);
	}
	if (l->rc != 0) {
		rc = ck_pub_git_fail("%s", l->index.ptr);
		goto done;
	}
	/* Ids only, no stat(2). */
	nchanges = checkout_changes(&changes, &p->files, l->base);
	check_written_folders(l, changes, nchanges);
	if ((rc = clear_blocked(p, l)) < 0)
		goto done;
	edited_unchanged(&edited, &ids, &nedited, l, changes, nchanges);
	/* What remains for the checkout is removals and its own repairs. */
	if ((rc = prewrite_worktree(&added, p, changes, nchanges, edited,
	                            nedited, l->base)) < 0)
		goto done;
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	/* The index read already is the checkout's: not read again. */
	co.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_NO_REFRESH;
	co.baseline_index = l->base;
	n = collect_paths(&paths, changes, nchanges, l);
	if (n <= MAX_CHECKOUT_PATHS) {
		/* Only these paths are looked at, even when none is. */
		co.paths.strings = paths;
		co.paths.count = n;
		co.checkout_strategy |= GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
		if (n == 0) {
			if (added > 0 && git_index_write(l->base) < 0)
				rc = ck_pub_git_fail("%s: writing the index",
				                     p->o->repo);
			goto done;
		}
	}
	/* The checkout updates and writes that index, with the files
	 * written beforehand noted in it. */
	if (git_repository_set_index(p->repo, l->base) < 0 ||
	    git_checkout_tree(p->repo, (const git_object *)p->new_tree, &co) <
	        0)
		rc = ck_pub_git_fail(
		    "%s: updating the working tree (the branch has "
		    "moved; run publish again to finish)",
		    p->o->repo);
done:
	free(paths);
	free(changes);
	free(edited);
	free(ids);
	look_free(l);
	return rc;
}
