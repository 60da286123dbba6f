/*
 * ck_outdir (outdir.h): the output folder updated in place, through a
 * staging folder beside it and a manifest of what it holds.
 */
#include "outdir.h"

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "fileio.h"
#include "hash.h"
#include "strsort.h"

/* 3: with folders ("/" lines). An older one reads as none: once, every
 * file is compared. */
#define MANIFEST_MAGIC "congkhai manifest 3\n"

/* A file of the folder: as the manifest has it, or as this run made it. */
struct entry {
	const char *path;
	uint64_t hash[2];
	uint64_t size;
	int64_t mtime_s;
	int64_t mtime_ns;
	uint64_t ino;
	/* The fingerprint of what it was made from (ck_site_keep), if any. */
	uint64_t made[2];
	bool has_made;
	bool changed; /* this run: waits in the staging folder */
};

/*
 * A folder as the last commit's sweep left it (the manifest's "/" lines):
 * one whose change time and inode are still these holds exactly what it
 * held then, the manifest's files in it and the recorded folders below, so
 * the sweep need not read it (sweep_known).
 */
struct folder {
	const char *path;
	int64_t ctime_s;
	int64_t ctime_ns;
	uint64_t ino;
};

/*
 * Folders are recorded from this depth down ("doi-thoai/<slug>" is 2):
 * the few above are read anyway, to share the sweep among threads.
 */
#define FOLDER_RECORD_DEPTH 2

enum { NOT_BEGUN, BEGUN, FAILED };

struct ck_outdir {
	pthread_mutex_t mu; /* guards state, v, len, cap, arena, stats */
	int state;
	bool had_dir; /* the folder existed: update it in place */
	bool committed;
	ck_buf dir, parent, base, staging, manifest;
	ck_arena *arena;
	struct entry *old; /* the manifest, by path */
	size_t nold;
	struct entry *v; /* this run's files */
	size_t len, cap;
	/* The manifest's checksum, for its folders read at commit. */
	uint64_t old_sum[2];
	bool has_old_sum;
	struct folder *oldf; /* the manifest's folders, by path */
	size_t noldf;
	struct folder *newf; /* this run's, for the next manifest */
	size_t nnewf, capnewf;
	ck_outdir_stats stats;
	int jobs; /* threads for the stale-file sweep */
	bool check_made; /* CONGKHAI_CHECK_KEEP (see put) */
	/* The folder updated in place (O_PATH), or -1: its files are looked
	 * at from it, not walked to from the working folder each time (a
	 * province's rebuild looks at every kept file). */
	int outfd;
	/*
	 * ck_outdir_preload's thread: it loads the manifest's files, says
	 * so (ready, under pre_mu), then looks at the files pages may be
	 * kept as (intact[i] for old[i]: 0 not looked at yet, 1 as the
	 * manifest has it, 2 not) until done or told to stop.
	 */
	pthread_t preload;
	bool preloading;
	pthread_mutex_t pre_mu;
	pthread_cond_t pre_cv;
	bool pre_ready;
	int pre_stop;
	unsigned char *intact;
	/*
	 * The folders of the manifest's files as the preload thread found
	 * them (open addressing by the path's hash; read by the sweep once
	 * the thread is joined): a province's 120,000 folders were each
	 * looked at while the run ended.
	 */
	struct seen_folder *seen;
	size_t seen_cap;
};

struct seen_folder {
	uint64_t key; /* of the path's ck_hash128; 0: an empty slot */
	uint32_t ctime_s, ctime_ns; /* the seconds till 2106: else unseen */
	uint64_t ino;
};

ck_outdir *
ck_outdir_new(const char *dir)
{
	ck_outdir *w = calloc(1, sizeof(*w));
	size_t len = strlen(dir);
	const char *slash;

	if (w == NULL)
		err(3, "calloc");
	pthread_mutex_init(&w->mu, NULL);
	pthread_mutex_init(&w->pre_mu, NULL);
	pthread_cond_init(&w->pre_cv, NULL);
	ck_buf_init(&w->dir);
	ck_buf_init(&w->parent);
	ck_buf_init(&w->base);
	ck_buf_init(&w->staging);
	ck_buf_init(&w->manifest);
	w->arena = ck_arena_new();
	w->jobs = 1;
	w->outfd = -1;
	w->check_made = getenv("CONGKHAI_CHECK_KEEP") != NULL;
	while (len > 1 && dir[len - 1] == '/')
		len--; /* "-o site/" is "-o site" */
	ck_buf_put(&w->dir, dir, len);
	slash = strrchr(w->dir.ptr, '/');
	if (slash == NULL)
		ck_buf_puts(&w->parent, ".");
	else if (slash == w->dir.ptr)
		ck_buf_puts(&w->parent, "/");
	else
		ck_buf_put(&w->parent, w->dir.ptr,
		           (size_t)(slash - w->dir.ptr));
	ck_buf_puts(&w->base, slash ? slash + 1 : w->dir.ptr);
	ck_buf_printf(&w->staging, "%s/.%s.congkhai-staging-%ld", w->parent.ptr,
	              w->base.ptr, (long)getpid());
	return w;
}

/*
 * Names the manifest: a file of the user's cache folder named after the
 * output folder's real path, so that nothing but the built files sits in
 * or beside the output folder. A folder not there yet is named by where
 * it will be (its parent's real path, and its name), so that a first
 * build's memos (ck_outdir_memory) serve the second. Empty (no manifest:
 * files are compared) when there is no cache folder or no real path.
 */
static void
name_manifest(ck_outdir *w)
{
	char *real = realpath(w->dir.ptr, NULL), *parent;
	uint64_t h[2];

	ck_buf_clear(&w->manifest);
	if (real == NULL && errno == ENOENT &&
	    (parent = realpath(w->parent.ptr, NULL)) != NULL) {
		if (asprintf(&real, "%s%s%s", parent,
		             strcmp(parent, "/") == 0 ? "" : "/",
		             w->base.ptr) < 0)
			real = NULL;
		free(parent);
	}
	if (real == NULL)
		return;
	ck_hash128(h, real, strlen(real));
	if (ck_cache_dir(&w->manifest) == 0)
		ck_buf_printf(&w->manifest,
		              "/manifests/%016" PRIx64 "%016" PRIx64, h[0],
		              h[1]);
	free(real);
}

/* Removes a tree (no symlink following). 0 or -1 with errno. */
static int
remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	ck_buf child = CK_BUF_INIT;
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
		ck_buf_clear(&child);
		ck_buf_printf(&child, "%s/%s", path, e->d_name);
		if (remove_tree(child.ptr) != 0)
			rc = -1;
	}
	closedir(d);
	ck_buf_free(&child);
	if (rc == 0)
		rc = rmdir(path);
	return rc;
}

/* lstat's file type of path, or 0 when there is nothing there. */
static mode_t
file_type(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 ? (st.st_mode & S_IFMT) : 0;
}

/*
 * Removes what killed runs left beside the folder: their staging folders
 * (only new files, never a repository) and, from the whole-folder swap of
 * earlier versions, a parked old site, put back when the folder is gone.
 * Folders of runs still alive are left alone.
 */
static void
remove_leftovers(ck_outdir *w)
{
	ck_buf prefix = CK_BUF_INIT, path = CK_BUF_INIT, git = CK_BUF_INIT;
	DIR *d;
	struct dirent *e;
	const char *rest;
	char *end;
	long pid;
	bool parked;

	ck_buf_printf(&prefix, ".%s.congkhai-", w->base.ptr);
	if ((d = opendir(w->parent.ptr)) == NULL)
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
		ck_buf_printf(&path, "%s/%s", w->parent.ptr, e->d_name);
		if (parked && file_type(w->dir.ptr) == 0 &&
		    rename(path.ptr, w->dir.ptr) == 0)
			continue;
		ck_buf_clear(&git);
		ck_buf_printf(&git, "%s/.git", path.ptr);
		if (file_type(git.ptr) == S_IFDIR) {
			warnx("%s: left by an interrupted run and holding a "
			      "repository; not removed",
			      path.ptr);
			continue;
		}
		if (remove_tree(path.ptr) != 0)
			warn("%s", path.ptr);
	}
	closedir(d);
done:
	ck_buf_free(&prefix);
	ck_buf_free(&path);
	ck_buf_free(&git);
}

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path,
	              ((const struct entry *)b)->path);
}

/*
 * One manifest line, "<32 hex> <size> <mtime s> <mtime ns> <inode>
 * <path>", into e (path in the arena). Returns 0 or -1.
 */
/*
 * A decimal number, optionally negative (neg), then one space, from *s
 * (before eol). Returns 0 with *s past the space, or -1. Not sscanf: it
 * measures the whole rest of the manifest at every call.
 */
static int
parse_num(unsigned long long *out, bool *negative, const char **s,
          const char *eol)
{
	const char *p = *s;
	unsigned long long v = 0;
	bool neg = false;

	if (negative != NULL && p < eol && *p == '-') {
		neg = true;
		p++;
	}
	if (p >= eol || *p < '0' || *p > '9')
		return -1;
	for (; p < eol && *p >= '0' && *p <= '9'; p++) {
		if (v > (ULLONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (unsigned long long)(*p - '0');
	}
	if (p >= eol || *p != ' ')
		return -1;
	*out = v;
	if (negative != NULL)
		*negative = neg;
	*s = p + 1;
	return 0;
}

/*
 * One manifest line, "<32 hex> <32 hex made, or -> <size> <mtime s>
 * <mtime ns> <inode> <path>", into e (path in the arena). Returns 0 or -1.
 */
static int
parse_line(struct entry *e, ck_arena *a, const char *s, const char *eol)
{
	unsigned long long size, ms, mns, ino;
	bool neg_s, neg_ns;

	if (eol - s < 36 || ck_hash128_parse(e->hash, s) != 0 || s[32] != ' ')
		return -1;
	s += 33;
	e->has_made = *s != '-';
	if (!e->has_made)
		s++;
	else if (eol - s < 34 || ck_hash128_parse(e->made, s) != 0)
		return -1;
	else
		s += 32;
	if (*s++ != ' ')
		return -1;
	if (parse_num(&size, NULL, &s, eol) != 0 ||
	    parse_num(&ms, &neg_s, &s, eol) != 0 ||
	    parse_num(&mns, &neg_ns, &s, eol) != 0 ||
	    parse_num(&ino, NULL, &s, eol) != 0 || s >= eol ||
	    ms > INT64_MAX || mns > INT64_MAX)
		return -1;
	e->size = size;
	e->mtime_s = neg_s ? -(int64_t)ms : (int64_t)ms;
	e->mtime_ns = neg_ns ? -(int64_t)mns : (int64_t)mns;
	e->ino = ino;
	e->path = ck_arena_strndup(a, s, (size_t)(eol - s));
	e->changed = false;
	return 0;
}

/*
 * Reads the manifest into text and checks it: its first line, and the
 * checksum of its last ("end " + 32 hex + "\n", of all that precedes),
 * which goes to sum. Then *body..*end are its lines. 0, or -1 when it is
 * missing, unreadable or damaged.
 */
static int
read_manifest(ck_buf *text, const char **body, const char **end,
              uint64_t sum[2], const ck_outdir *w)
{
	uint64_t want[2];
	const char *trailer;

	if (ck_fd_slurp(text, open(w->manifest.ptr, O_RDONLY | O_CLOEXEC)) != 0)
		return -1;
	if (text->size < strlen(MANIFEST_MAGIC) + 37 ||
	    memcmp(text->ptr, MANIFEST_MAGIC, strlen(MANIFEST_MAGIC)) != 0)
		return -1;
	trailer = text->ptr + text->size - 37;
	if (memcmp(trailer, "end ", 4) != 0 || trailer[36] != '\n' ||
	    ck_hash128_parse(want, trailer + 4) != 0)
		return -1;
	ck_hash128(sum, text->ptr, (size_t)(trailer - text->ptr));
	if (sum[0] != want[0] || sum[1] != want[1])
		return -1;
	*body = text->ptr + strlen(MANIFEST_MAGIC);
	*end = trailer;
	return 0;
}

/* v (an array of *cap items of size bytes), with room for item n. */
static void *
reserve(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	while (n >= *cap)
		*cap = *cap ? *cap * 2 : 1024;
	if ((v = realloc(v, *cap * size)) == NULL)
		err(3, "realloc");
	return v;
}

static int
cmp_folder(const void *a, const void *b)
{
	return strcmp(((const struct folder *)a)->path,
	              ((const struct folder *)b)->path);
}

/* One folder line, "/ <ctime s> <ctime ns> <inode> <path>". 0 or -1. */
static int
parse_folder(struct folder *f, ck_arena *a, const char *s, const char *eol)
{
	unsigned long long cs, cns, ino;
	bool neg_s, neg_ns;

	if (eol - s < 2 || s[0] != '/' || s[1] != ' ')
		return -1;
	s += 2;
	if (parse_num(&cs, &neg_s, &s, eol) != 0 ||
	    parse_num(&cns, &neg_ns, &s, eol) != 0 ||
	    parse_num(&ino, NULL, &s, eol) != 0 || s >= eol || cs > INT64_MAX ||
	    cns > INT64_MAX)
		return -1;
	f->ctime_s = neg_s ? -(int64_t)cs : (int64_t)cs;
	f->ctime_ns = neg_ns ? -(int64_t)cns : (int64_t)cns;
	f->ino = ino;
	f->path = ck_arena_strndup(a, s, (size_t)(eol - s));
	return 0;
}

/*
 * Loads the manifest's files into w->old (folders false), or its folders
 * into w->oldf (true). One that is missing, damaged or unreadable loads
 * as empty: every file is then read and compared, every folder read.
 * The folders wait for the commit, so that they take no memory while
 * pages are made, and are taken only from the manifest whose files were
 * loaded (a folder's record says what it held by those files).
 */
static void
load_manifest(ck_outdir *w, bool folders)
{
	ck_buf text = CK_BUF_INIT;
	const char *s, *eol, *end;
	uint64_t sum[2];
	size_t n = 0, cap = 0;
	size_t size = folders ? sizeof(struct folder) : sizeof(struct entry);
	void *v = NULL;

	if (read_manifest(&text, &s, &end, sum, w) != 0 ||
	    (folders && (!w->has_old_sum || sum[0] != w->old_sum[0] ||
	                 sum[1] != w->old_sum[1])))
		goto done;
	for (; s < end; s = eol + 1) {
		eol = memchr(s, '\n', (size_t)(end - s));
		if (eol == NULL)
			break;
		if ((s[0] == '/') != folders)
			continue; /* a line of the other kind */
		v = reserve(v, &cap, n, size);
		if ((folders ? parse_folder((struct folder *)v + n, w->arena, s,
		                            eol)
		             : parse_line((struct entry *)v + n, w->arena, s,
		                          eol)) != 0) {
			n = 0;
			break;
		}
		n++;
	}
	if (n > 1)
		ck_strsort(v, n, size);
	if (folders) {
		w->oldf = v;
		w->noldf = n;
	} else {
		w->old = v;
		w->nold = n;
		if (n > 0) {
			w->old_sum[0] = sum[0];
			w->old_sum[1] = sum[1];
			w->has_old_sum = true;
		}
	}
	v = NULL;
done:
	free(v);
	ck_buf_free(&text);
}

/* The first file's work: check the folder, clear leftovers, make the
 * staging folder, load the manifest. With w->mu held. */
static void
begin(ck_outdir *w)
{
	struct stat st;

	w->state = FAILED;
	if (w->base.size == 0 || strcmp(w->base.ptr, ".") == 0 ||
	    strcmp(w->base.ptr, "..") == 0) {
		warnx("%s: name the output folder itself", w->dir.ptr);
		return;
	}
	remove_leftovers(w);
	w->had_dir = lstat(w->dir.ptr, &st) == 0;
	if (w->had_dir && !S_ISDIR(st.st_mode)) {
		warnx("%s: not a folder", w->dir.ptr);
		return;
	}
	/* A folder made read-only (for this user, or for everyone, which
	 * root would otherwise ignore) is refused, and left as it is. */
	if (w->had_dir &&
	    (access(w->dir.ptr, W_OK) != 0 || (st.st_mode & 0222) == 0)) {
		if ((st.st_mode & 0222) == 0)
			errno = EACCES;
		warn("%s: read-only, not updated", w->dir.ptr);
		return;
	}
	if (mkdir(w->staging.ptr, 0755) != 0 ||
	    (w->had_dir && chmod(w->staging.ptr, st.st_mode & 07777) != 0)) {
		warn("%s", w->staging.ptr);
		return;
	}
	if (w->preloading) {
		/* Its files loaded; it may still be looking at them. */
		pthread_mutex_lock(&w->pre_mu);
		while (!w->pre_ready)
			pthread_cond_wait(&w->pre_cv, &w->pre_mu);
		pthread_mutex_unlock(&w->pre_mu);
		if (!w->had_dir) /* gone meanwhile: nothing of it counts */
			w->nold = 0;
	} else {
		name_manifest(w);
		if (w->had_dir && w->manifest.size > 0)
			load_manifest(w, false);
	}
	if (w->had_dir)
		w->outfd = open(w->dir.ptr,
		                O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	w->state = BEGUN;
}

static bool is_manifests(const struct entry *had, const struct stat *st);

/* The slot of the folder whose path hashes to key in w->seen. */
static struct seen_folder *
seen_slot(const ck_outdir *w, uint64_t key)
{
	size_t i = (size_t)(key % w->seen_cap);

	while (w->seen[i].key != 0 && w->seen[i].key != key)
		i = i + 1 < w->seen_cap ? i + 1 : 0;
	return &w->seen[i];
}

/* The key of folder path (len bytes) in w->seen: never 0. */
static uint64_t
seen_key(const char *path, size_t len)
{
	uint64_t h[2];

	ck_hash128(h, path, len);
	return h[0] ? h[0] : 1;
}

/*
 * Looks at the folder of each of the manifest's n files (in the open
 * folder fd), once each (the files are sorted: a folder's come
 * together), into w->seen. Looked at this early, a folder something is
 * put in by hand after it was keeps the thing until the next build,
 * which finds the folder changed (its record is this one's).
 */
static void
see_folders(ck_outdir *w, int fd, size_t n)
{
	const char *path, *slash, *last = NULL;
	size_t i, len, last_len = 0, folders = 0;
	struct seen_folder *f;
	uint64_t key;
	struct stat st;
	char buf[4096];

	/* Room for each folder, a third free (open addressing). */
	for (i = 0; i < n; i++) {
		path = w->old[i].path;
		if ((slash = strrchr(path, '/')) == NULL)
			continue;
		len = (size_t)(slash - path);
		if (last == NULL || len != last_len ||
		    memcmp(path, last, len) != 0)
			folders++;
		last = path;
		last_len = len;
	}
	w->seen_cap = folders + folders / 2 + 1;
	if ((w->seen = calloc(w->seen_cap, sizeof(*w->seen))) == NULL)
		err(3, "calloc");
	last = NULL;
	for (i = 0; i < n; i++) {
		if (__atomic_load_n(&w->pre_stop, __ATOMIC_RELAXED))
			return;
		path = w->old[i].path;
		if ((slash = strrchr(path, '/')) == NULL)
			continue; /* the top: always read */
		len = (size_t)(slash - path);
		if (last != NULL && len == last_len &&
		    memcmp(path, last, len) == 0)
			continue;
		last = path;
		last_len = len;
		if (len >= sizeof(buf))
			continue;
		memcpy(buf, path, len);
		buf[len] = '\0';
		if (fstatat(fd, buf, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISDIR(st.st_mode) || st.st_ctim.tv_sec < 0 ||
		    st.st_ctim.tv_sec > UINT32_MAX)
			continue;
		key = seen_key(buf, len);
		f = seen_slot(w, key);
		f->key = key;
		f->ctime_s = (uint32_t)st.st_ctim.tv_sec;
		f->ctime_ns = (uint32_t)st.st_ctim.tv_nsec;
		f->ino = st.st_ino;
	}
}

/*
 * The folder rel (name in the open folder parent) as the preload thread
 * saw it, else as it is now: 0, or -1 when it cannot be looked at.
 */
static int
folder_stat(const ck_outdir *w, int parent, const char *name, const char *rel,
            struct stat *st)
{
	const struct seen_folder *f;

	if (w->seen != NULL) {
		f = seen_slot(w, seen_key(rel, strlen(rel)));
		if (f->key != 0) {
			memset(st, 0, sizeof(*st));
			st->st_mode = S_IFDIR;
			st->st_ino = f->ino;
			st->st_ctim.tv_sec = f->ctime_s;
			st->st_ctim.tv_nsec = f->ctime_ns;
			return 0;
		}
	}
	return fstatat(parent, name, st, AT_SYMLINK_NOFOLLOW);
}

/*
 * Loads the manifest's files, then looks at each that a page may be kept
 * as: a province's rebuild looked at 120,000 while pages were made, on
 * the threads making them. Looked at this early, a file changed by hand
 * after it was is still found by the next build (its manifest line is
 * this one's, see ck_outdir_keep), as one changed after it was looked at
 * later would be.
 */
static void *
preload_work(void *arg)
{
	ck_outdir *w = arg;
	struct stat st;
	size_t i, n = 0;
	int fd = -1;

	name_manifest(w);
	if (w->manifest.size > 0)
		load_manifest(w, false);
	n = w->nold;
	w->intact = n ? calloc(n, 1) : NULL;
	if (w->intact != NULL)
		fd = open(w->dir.ptr,
		          O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	pthread_mutex_lock(&w->pre_mu);
	w->pre_ready = true;
	pthread_cond_broadcast(&w->pre_cv);
	pthread_mutex_unlock(&w->pre_mu);
	for (i = 0; fd >= 0 && i < n; i++) {
		const struct entry *e = &w->old[i];

		if (__atomic_load_n(&w->pre_stop, __ATOMIC_RELAXED))
			break;
		if (!e->has_made)
			continue; /* compared when put, not kept */
		__atomic_store_n(
		    &w->intact[i],
		    fstatat(fd, e->path, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		            is_manifests(e, &st)
		        ? 1
		        : 2,
		    __ATOMIC_RELEASE);
	}
	if (fd >= 0 && i == n)
		see_folders(w, fd, n);
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* Stops the preload thread, if any, and waits for it. */
static void
preload_end(ck_outdir *w)
{
	if (!w->preloading)
		return;
	__atomic_store_n(&w->pre_stop, 1, __ATOMIC_RELAXED);
	pthread_join(w->preload, NULL);
	w->preloading = false;
}

void
ck_outdir_preload(ck_outdir *w)
{
	struct stat st;

	pthread_mutex_lock(&w->mu);
	if (w->state == NOT_BEGUN && !w->preloading &&
	    lstat(w->dir.ptr, &st) == 0 && S_ISDIR(st.st_mode))
		w->preloading =
		    pthread_create(&w->preload, NULL, preload_work, w) == 0;
	pthread_mutex_unlock(&w->mu);
}

/* lstat(2) of the output folder's file path (relative). */
static int
out_lstat(const ck_outdir *w, const char *path, struct stat *st)
{
	ck_buf full = CK_BUF_INIT;
	int rc;

	if (w->outfd >= 0)
		return fstatat(w->outfd, path, st, AT_SYMLINK_NOFOLLOW);
	ck_buf_printf(&full, "%s/%s", w->dir.ptr, path);
	rc = lstat(full.ptr, st);
	ck_buf_free(&full);
	return rc;
}

/* The manifest's entry of path, or NULL; read-only once begun. */
static const struct entry *
old_entry(const ck_outdir *w, const char *path)
{
	struct entry key;

	key.path = path;
	return w->nold ? bsearch(&key, w->old, w->nold, sizeof(key), cmp_entry)
	               : NULL;
}

/*
 * The bytes of a file being put: in memory, or in a file read a window at
 * a time (a spooled file, site.h), so that the largest files are never
 * whole in memory.
 */
typedef struct {
	const void *data; /* or NULL: read fd */
	int fd;
	size_t len;
	const uint64_t *hash; /* the bytes' ck_hash128, or NULL: made here */
} put_src;

/*
 * Calls fn(arg, bytes, n) on src's bytes: once when in memory, else on
 * each window of the file (ck_fd_each_window).
 */
static int
each_window(const put_src *src, int (*fn)(void *, const void *, size_t),
            void *arg)
{
	if (src->data != NULL)
		return fn(arg, src->data, src->len);
	return ck_fd_each_window(src->fd, src->len, fn, arg);
}

static void
hash_src(uint64_t out[2], const put_src *src)
{
	if (src->hash != NULL) {
		out[0] = src->hash[0];
		out[1] = src->hash[1];
	} else if (src->data != NULL)
		ck_hash128(out, src->data, src->len);
	else if (ck_fd_hash128(out, src->fd, src->len) != 0)
		out[0] = out[1] = 0; /* unread: the write reports it */
}

/* A file compared, a window at a time, with a put_src's bytes. */
struct compared {
	int fd;
	uint64_t off; /* where the next window is */
};

/* 0 while the file has the same bytes next; 1 at a difference. */
static int
compare_window(void *arg, const void *p, size_t n)
{
	struct compared *c = arg;
	char *have = malloc(n ? n : 1);
	int rc;

	if (have == NULL)
		err(3, "malloc");
	rc = ck_fd_read_at(c->fd, have, n, c->off) != 0 || memcmp(have, p, n);
	c->off += n;
	free(have);
	return rc ? 1 : 0;
}

/* Whether the regular file at full holds exactly src's bytes. */
static bool
same_bytes(const char *full, const put_src *src)
{
	struct compared c = {-1, 0};
	bool same;

	c.fd = open(full, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (c.fd < 0)
		return false;
	same = each_window(src, compare_window, &c) == 0;
	close(c.fd);
	return same;
}

/*
 * Makes the folders above rel below root, replacing what is in the way (a
 * file or a link where a folder must be: a page that became a folder).
 * Returns 0, or -1 with errno set.
 */
static int
make_folders(const char *root, const char *rel)
{
	ck_buf dir = CK_BUF_INIT;
	const char *slash;
	struct stat st;
	int rc = 0, e = 0;

	for (slash = strchr(rel, '/'); slash; slash = strchr(slash + 1, '/')) {
		ck_buf_clear(&dir);
		ck_buf_printf(&dir, "%s/%.*s", root, (int)(slash - rel), rel);
		if (mkdir(dir.ptr, 0755) == 0 || errno != EEXIST)
			goto check;
		if (lstat(dir.ptr, &st) == 0 && S_ISDIR(st.st_mode))
			continue;
		if (remove_tree(dir.ptr) == 0 && mkdir(dir.ptr, 0755) == 0)
			continue;
	check:
		if (errno != 0 && errno != EEXIST &&
		    file_type(dir.ptr) != S_IFDIR) {
			e = errno;
			rc = -1;
			break;
		}
	}
	ck_buf_free(&dir);
	if (rc != 0)
		errno = e;
	return rc;
}

static int
write_window(void *fd, const void *p, size_t n)
{
	return ck_fd_write_all(*(int *)fd, p, n) != 0 ? -1 : 0;
}

/*
 * Makes the folder of the file at path (its first len bytes) in the staging
 * folder, deepest first: nearly every page is the index.html of a folder of
 * its own, whose parents exist. Only congkhai writes in the staging folder,
 * so what exists there is a folder it made. Returns 0, or -1 with errno.
 */
static int
make_staging_folder(char *path, size_t len)
{
	char *slash;
	int rc;

	while (len > 0 && path[len - 1] != '/')
		len--;
	if (len <= 1)
		return 0;
	path[len - 1] = '\0';
	if (mkdir(path, 0755) == 0 || errno == EEXIST) {
		rc = 0;
	} else if (errno == ENOENT &&
	           (slash = strrchr(path, '/')) != NULL &&
	           make_staging_folder(path, (size_t)(slash - path) + 1) == 0) {
		rc = mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -1;
	} else {
		rc = -1;
	}
	path[len - 1] = '/';
	return rc;
}

/* Writes src's bytes to the new file path in the staging folder root,
 * making its folders; its status into st. Returns 0, or -1 with errno. */
static int
write_new(const char *root, const char *rel, char *path, const put_src *src,
          struct stat *st)
{
	int fd, e;

	/* A spooled file (unnamed, made with a written file's mode, site.c)
	 * is linked in rather than copied. */
	if (src->data == NULL && make_staging_folder(path, strlen(path)) == 0 &&
	    ck_file_link_unnamed(path, src->fd, (size_t)src->len) == 0)
		return fstat(src->fd, st);

	fd = make_staging_folder(path, strlen(path)) == 0
	         ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)
	         : -1;
	/* Something in the way (a page where a folder goes): make way. */
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR ||
	               errno == EEXIST) &&
	    make_folders(root, rel) == 0)
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (each_window(src, write_window, &fd) != 0 || fstat(fd, st) != 0) {
		e = errno;
		close(fd);
		unlink(path);
		errno = e;
		return -1;
	}
	if (close(fd) != 0) {
		e = errno;
		unlink(path);
		errno = e;
		return -1;
	}
	return 0;
}

static void
set_stat(struct entry *e, const struct stat *st)
{
	e->mtime_s = (int64_t)st->st_mtim.tv_sec;
	e->mtime_ns = (int64_t)st->st_mtim.tv_nsec;
	e->ino = (uint64_t)st->st_ino;
}

/*
 * Whether the file st describes is the one the manifest's entry had
 * describes: regular, same size, inode and modification time (then it
 * holds had's bytes, unread). had may be NULL.
 */
static bool
is_manifests(const struct entry *had, const struct stat *st)
{
	return had != NULL && S_ISREG(st->st_mode) &&
	       (uint64_t)st->st_size == had->size &&
	       (uint64_t)st->st_ino == had->ino &&
	       (int64_t)st->st_mtim.tv_sec == had->mtime_s &&
	       (int64_t)st->st_mtim.tv_nsec == had->mtime_ns;
}

/*
 * Adds e to this run's files: its path that of had, the manifest's entry
 * of the same path, or else copied (a province has 120,000 paths).
 */
static void
push_entry(ck_outdir *w, struct entry e, const char *path,
           const struct entry *had)
{
	pthread_mutex_lock(&w->mu);
	if (w->len == w->cap) {
		/* Room for the manifest's files at once (no doubling). */
		w->cap = w->cap                ? w->cap * 2
		         : w->nold + 64 > 1024 ? w->nold + 64
		                               : 1024;
		w->v = realloc(w->v, w->cap * sizeof(*w->v));
		if (w->v == NULL)
			err(3, "realloc");
	}
	e.path = had != NULL ? had->path : ck_arena_strdup(w->arena, path);
	w->v[w->len++] = e;
	pthread_mutex_unlock(&w->mu);
}

/* Begins the run on the first file; whether it can go on. */
static bool
begun(ck_outdir *w)
{
	int state;

	pthread_mutex_lock(&w->mu);
	if (w->state == NOT_BEGUN)
		begin(w);
	state = w->state;
	pthread_mutex_unlock(&w->mu);
	return state == BEGUN;
}

static int
put(ck_outdir *w, const char *path, const put_src *src, const uint64_t *made)
{
	size_t len = src->len;
	ck_buf full = CK_BUF_INIT;
	const struct entry *had = NULL;
	struct entry e;
	struct stat st;
	int rc = -1;

	if (!begun(w))
		return -1;

	memset(&e, 0, sizeof(e));
	hash_src(e.hash, src);
	e.size = len;
	e.changed = true;
	if (made != NULL) {
		e.made[0] = made[0];
		e.made[1] = made[1];
		e.has_made = true;
	}
	/* CONGKHAI_CHECK_KEEP (the tests): a page made from the fingerprint
	 * it was made from last time must come out the same, or one kept
	 * would be stale (views_keep.c). */
	if (made != NULL && w->check_made && (had = old_entry(w, path)) &&
	    had->has_made && had->made[0] == made[0] &&
	    had->made[1] == made[1] &&
	    (had->hash[0] != e.hash[0] || had->hash[1] != e.hash[1]))
		errx(3,
		     "internal error: %s: made from the same fingerprint as "
		     "before, but other bytes",
		     path);
	had = NULL;
	if (w->had_dir) {
		if (out_lstat(w, path, &st) == 0 && S_ISREG(st.st_mode) &&
		    (uint64_t)st.st_size == len) {
			had = old_entry(w, path);
			set_stat(&e, &st);
			if (is_manifests(had, &st)) {
				e.changed = had->hash[0] != e.hash[0] ||
				            had->hash[1] != e.hash[1];
			} else {
				ck_buf_printf(&full, "%s/%s", w->dir.ptr, path);
				e.changed = !same_bytes(full.ptr, src);
				pthread_mutex_lock(&w->mu);
				w->stats.compared++;
				pthread_mutex_unlock(&w->mu);
			}
		}
	}
	if (e.changed) {
		ck_buf_clear(&full);
		ck_buf_printf(&full, "%s/%s", w->staging.ptr, path);
		if (write_new(w->staging.ptr, path, full.ptr, src, &st) != 0) {
			warn("%s", full.ptr);
			pthread_mutex_lock(&w->mu);
			w->state = FAILED;
			pthread_mutex_unlock(&w->mu);
			goto done;
		}
		/* rename keeps the inode and the time: the manifest's. */
		set_stat(&e, &st);
	}
	push_entry(w, e, path, had);
	rc = 0;
done:
	ck_buf_free(&full);
	return rc;
}

int
ck_outdir_put(void *w, const char *path, const void *data, size_t len,
              const uint64_t *made)
{
	put_src src = {data, -1, len, NULL};

	return put(w, path, &src, made);
}

int
ck_outdir_put_fd(void *w, const char *path, int fd, size_t len,
                 const uint64_t hash[2])
{
	put_src src = {NULL, fd, len, hash};

	return put(w, path, &src, NULL);
}

int
ck_outdir_keep(void *arg, const char *path, const uint64_t made[2])
{
	ck_outdir *w = arg;
	const struct entry *had;
	struct entry e;
	struct stat st;

	if (!begun(w))
		return -1;
	had = old_entry(w, path);
	if (!w->had_dir || had == NULL || !had->has_made ||
	    had->made[0] != made[0] || had->made[1] != made[1])
		return 0;
	/* The file must still be the one the manifest describes: looked at
	 * by the preload thread, or now. */
	switch (w->intact ? __atomic_load_n(&w->intact[had - w->old],
	                                    __ATOMIC_ACQUIRE)
	                  : 0) {
	case 1:
		break;
	case 2:
		return 0;
	default:
		if (out_lstat(w, path, &st) != 0 || !is_manifests(had, &st))
			return 0;
	}
	e = *had;
	e.changed = false;
	push_entry(w, e, path, had);
	pthread_mutex_lock(&w->mu);
	w->stats.kept++;
	pthread_mutex_unlock(&w->mu);
	return 1;
}

/* The sink's memory (ck_site_memory): see outdir.h. */
static int
earlier(void *arg, const char *path, uint64_t hash[2])
{
	ck_outdir *w = arg;
	ck_buf full = CK_BUF_INIT;
	const struct entry *had;
	struct stat st;
	int fd = -1;

	if (!begun(w) || !w->had_dir || (had = old_entry(w, path)) == NULL)
		return -1;
	ck_buf_printf(&full, "%s/%s", w->dir.ptr, path);
	fd = open(full.ptr, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	ck_buf_free(&full);
	/* The file the manifest describes, or none. */
	if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	                !is_manifests(had, &st))) {
		close(fd);
		fd = -1;
	}
	if (fd >= 0) {
		hash[0] = had->hash[0];
		hash[1] = had->hash[1];
	}
	return fd;
}

/* A memo's file: the manifest's name and ".<name>" (none when it has no
 * name: no cache folder). */
static int
memo_path(void *arg, const char *name, ck_buf *out)
{
	ck_outdir *w = arg;

	if (!begun(w) || w->manifest.size == 0)
		return -1;
	ck_buf_printf(out, "%s.%s", w->manifest.ptr, name);
	return 0;
}

const ck_site_memory ck_outdir_memory = {earlier, memo_path};

static size_t
depth(const char *path)
{
	size_t n = 0;

	for (; *path; path++)
		n += *path == '/';
	return n;
}

/* Deepest first, then by path: a page comes after those it links to. */
static int
cmp_deepest(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a;
	const struct entry *y = *(const struct entry *const *)b;
	size_t dx = depth(x->path), dy = depth(y->path);

	if (dx != dy)
		return dx > dy ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* Renames the changed files from the staging folder into the folder. */
static int
move_into_place(ck_outdir *w)
{
	struct entry **order;
	ck_buf from = CK_BUF_INIT, to = CK_BUF_INIT;
	size_t i, n = 0;
	int rc = 0;

	order = calloc(w->len ? w->len : 1, sizeof(*order));
	if (order == NULL)
		err(3, "calloc");
	for (i = 0; i < w->len; i++)
		if (w->v[i].changed)
			order[n++] = &w->v[i];
	qsort(order, n, sizeof(*order), cmp_deepest);
	for (i = 0; i < n; i++) {
		ck_buf_clear(&from);
		ck_buf_clear(&to);
		ck_buf_printf(&from, "%s/%s", w->staging.ptr, order[i]->path);
		ck_buf_printf(&to, "%s/%s", w->dir.ptr, order[i]->path);
		if (rename(from.ptr, to.ptr) == 0)
			continue;
		/* A missing folder, a file where a folder goes, or a folder
		 * where the file goes (the site changed shape): make way. The
		 * folders the preload thread saw may then not be folders any
		 * more: the sweep looks at each again. */
		if (errno != ENOENT) {
			free(w->seen);
			w->seen = NULL;
		}
		if (errno == ENOENT || errno == ENOTDIR) {
			if (make_folders(w->dir.ptr, order[i]->path) != 0) {
				warn("%s", to.ptr);
				rc = -1;
				break;
			}
		} else if (errno == EISDIR || errno == ENOTEMPTY ||
		           errno == EEXIST) {
			if (remove_tree(to.ptr) != 0) {
				warn("%s", to.ptr);
				rc = -1;
				break;
			}
		}
		if (rename(from.ptr, to.ptr) != 0) {
			warn("%s", to.ptr);
			rc = -1;
			break;
		}
	}
	w->stats.written = n;
	free(order);
	ck_buf_free(&from);
	ck_buf_free(&to);
	return rc;
}

/*
 * The stale-file sweep. A province's folder holds a hundred thousand
 * folders, each holding its page: reading them all was most of a no-change
 * rebuild's commit. So the folders two levels down (a dialogue's, a report
 * period's) are shared out among the build's threads, and the levels above
 * are swept after them; and a folder the last sweep recorded, unchanged
 * since, is not read at all (struct folder, sweep_known). Folders are
 * opened relative to their parent (no path walked again for each) and
 * never through a link.
 */
typedef struct {
	ck_outdir *w;
	const ck_site *site;
	int top; /* the output folder, open */
	/* The folders two levels down, to sweep first (NULL: none). */
	char **deep;
	size_t ndeep, next;
	/* guards next, failed, w->stats, w->newf and w->arena (no file is
	 * put any more) */
	pthread_mutex_t mu;
	bool failed;
} sweep;

static void
sweep_warn(const sweep *sw, const ck_buf *rel)
{
	warn("%s/%s", sw->w->dir.ptr, rel->ptr);
}

/*
 * A folder's change time is the kernel's clock of a few milliseconds
 * before: a folder changed this recently may change again with the same
 * time, after it was read, so it is not recorded (git's "racy" files).
 */
#define FOLDER_SETTLE_NS 1000000000LL

static bool
settled(const struct stat *st)
{
	struct timespec now;

	if (clock_gettime(CLOCK_REALTIME, &now) != 0)
		return false;
	return ((long long)now.tv_sec - (long long)st->st_ctim.tv_sec) *
	               1000000000LL +
	           (now.tv_nsec - st->st_ctim.tv_nsec) >=
	       FOLDER_SETTLE_NS;
}

/*
 * The folders a sweep thread records, handed over when it ends: a
 * province's 120,000 folders each took the lock when recorded one by one.
 * Only those named by the manifest's strings (which live as long as the
 * writer) go here; a path to copy takes the lock (the arena's).
 */
typedef struct {
	struct folder *v;
	size_t n, cap;
} folder_batch;

static __thread folder_batch *batch;

/*
 * Records folder rel as st has it, for the next manifest; same, if not
 * NULL, is the manifest's string for rel.
 */
static void
record_folder(sweep *sw, const char *rel, const char *same,
              const struct stat *st)
{
	ck_outdir *w = sw->w;
	struct folder *f;

	if (batch != NULL && same != NULL) {
		batch->v =
		    reserve(batch->v, &batch->cap, batch->n, sizeof(*batch->v));
		f = &batch->v[batch->n++];
		f->path = same;
	} else {
		pthread_mutex_lock(&sw->mu);
		w->newf =
		    reserve(w->newf, &w->capnewf, w->nnewf, sizeof(*w->newf));
		f = &w->newf[w->nnewf++];
		f->path = ck_arena_strdup(w->arena, rel);
		pthread_mutex_unlock(&sw->mu);
	}
	f->ctime_s = st->st_ctim.tv_sec;
	f->ctime_ns = st->st_ctim.tv_nsec;
	f->ino = st->st_ino;
}

/* The first of the n items (each size bytes, a path first, sorted by it)
 * whose path is not below key. */
static size_t
lower_bound(const void *base, size_t n, size_t size, const char *key)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(
		        *(const char *const *)((const char *)base + mid * size),
		        key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The name of the next of the n sorted items (each size bytes, a path
 * first), from *i on, that lies directly in the folder prefix ("dir/"),
 * with *i at it; NULL past the folder's items.
 */
static const char *
next_child(const void *base, size_t n, size_t size, const ck_buf *prefix,
           size_t *i)
{
	const char *path;

	for (; *i < n; (*i)++) {
		path = *(const char *const *)((const char *)base + *i * size);
		if (strncmp(path, prefix->ptr, prefix->size) != 0)
			return NULL;
		if (strchr(path + prefix->size, '/') == NULL)
			return path + prefix->size;
	}
	return NULL;
}

static int sweep_dir(sweep *sw, int parent, const char *name, ck_buf *rel,
                     int depth, bool *recorded);

/*
 * What sweep_dir does with one folder found in the open folder fd (rel
 * its path, name its name): 1 when it is left there, 0 when it was
 * emptied and removed, -1 after a warning. *recorded says whether it is
 * recorded for the next sweep.
 */
static int
sweep_child(sweep *sw, int fd, const char *name, ck_buf *rel, int depth,
            bool *recorded)
{
	switch (sweep_dir(sw, fd, name, rel, depth, recorded)) {
	case 0:
		return 1;
	case 1:
		/* Emptied: gone, unless something came in meanwhile
		 * (ENOTEMPTY, as wanted), or gone already. */
		if (unlinkat(fd, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
			return 0;
		if (errno != ENOTEMPTY && errno != EEXIST) {
			sweep_warn(sw, rel);
			return -1;
		}
		return 1;
	default:
		return -1;
	}
}

/* The folder name in parent, open, if it is still st's (-1 if not). */
static int
open_same(int parent, const char *name, const struct stat *st)
{
	int fd = openat(parent, name,
	                O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat now;

	if (fd >= 0 && (fstat(fd, &now) != 0 || now.st_ino != st->st_ino)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/*
 * Sweeps the folder rel (name in the open folder parent) that the last
 * sweep recorded as st still has it: unread, it holds the manifest's
 * files in it and the recorded folders below. The files the site no
 * longer has are removed by name, and the folders below swept in turn;
 * the folder is opened only for that, so a leaf whose files all stay is
 * only looked at. Returns as sweep_read, or 2 when the folder turns out
 * another before anything was changed (read it then).
 */
static int
sweep_known(sweep *sw, int parent, const char *name, ck_buf *rel, int depth,
            const struct stat *st, const char *same, bool *recorded)
{
	ck_outdir *w = sw->w;
	ck_buf prefix = CK_BUF_INIT;
	size_t rel_len = rel->size, kept = 0, changed = 0, i;
	const char *base;
	bool all_recorded = true, child_recorded;
	int fd = -1, rc = 0, r;

	ck_buf_printf(&prefix, "%s/", rel->ptr);
	for (i = lower_bound(w->old, w->nold, sizeof(*w->old), prefix.ptr);
	     (base = next_child(w->old, w->nold, sizeof(*w->old), &prefix,
	                        &i)) != NULL;
	     i++) {
		if (ck_site_has(sw->site, w->old[i].path)) {
			kept++;
			continue;
		}
		if (fd < 0 && (fd = open_same(parent, name, st)) < 0) {
			r = 2;
			goto done;
		}
		if (unlinkat(fd, base, 0) == 0) {
			changed++;
			__atomic_fetch_add(&w->stats.removed, 1,
			                   __ATOMIC_RELAXED);
		} else if (errno != ENOENT) {
			ck_buf_printf(rel, "/%s", base);
			sweep_warn(sw, rel);
			ck_buf_truncate(rel, rel_len);
			kept++;
			rc = -1;
		}
	}
	for (i = lower_bound(w->oldf, w->noldf, sizeof(*w->oldf), prefix.ptr);
	     (base = next_child(w->oldf, w->noldf, sizeof(*w->oldf), &prefix,
	                        &i)) != NULL;
	     i++) {
		if (fd < 0 && (fd = open_same(parent, name, st)) < 0) {
			r = 2;
			goto done;
		}
		ck_buf_truncate(rel, rel_len);
		ck_buf_printf(rel, "/%s", base);
		r = sweep_child(sw, fd, base, rel, depth + 1, &child_recorded);
		if (r != 0)
			kept++;
		else
			changed++;
		if (r < 0)
			rc = -1;
		if (!child_recorded)
			all_recorded = false;
	}
	ck_buf_truncate(rel, rel_len);
	if (rc == 0 && changed == 0 && all_recorded && kept > 0) {
		record_folder(sw, rel->ptr, same, st);
		*recorded = true;
	}
	r = rc != 0 ? -1 : kept == 0 ? 1 : 0;
done:
	if (fd >= 0)
		close(fd);
	ck_buf_truncate(rel, rel_len);
	ck_buf_free(&prefix);
	return r;
}

/*
 * Reads the folder rel (name in the open folder parent; rel "" and parent
 * sw->top at the top) and removes below it every file the site does not
 * have, and every folder left empty; the top's .git stays. At depth 1 the
 * folders below are left alone when sw->deep is set (swept first). A
 * folder at FOLDER_RECORD_DEPTH or below that ends as it was read, holding
 * only the site's files and recorded folders, is recorded (*recorded).
 * Returns 0 when the folder still holds something, 1 when it is left
 * empty (for the caller to remove), or -1 after a warning.
 */
static int
sweep_read(sweep *sw, int parent, const char *name, ck_buf *rel, int depth,
           bool *recorded)
{
	int fd = openat(parent, depth == 0 ? "." : name,
	                O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	size_t rel_len = rel->size, kept = 0, removed = 0;
	bool is_dir, child_recorded;
	/* Recorded only when it is read as it stays: no change made, each
	 * folder below recorded, no file the manifest cannot name. */
	bool recordable = depth >= FOLDER_RECORD_DEPTH;
	struct stat st;
	int rc = 0;

	if (d == NULL) {
		if (fd < 0 && errno == ENOENT && depth > 0)
			return 1; /* gone meanwhile: nothing to sweep */
		sweep_warn(sw, rel);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fd = dirfd(d);
	/* Its time before reading: a change made after is seen next time. */
	if (recordable && (fstat(fd, &st) != 0 || !settled(&st)))
		recordable = false;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (depth == 0 && strcmp(e->d_name, ".git") == 0) {
			kept++;
			continue;
		}
		ck_buf_truncate(rel, rel_len);
		if (rel_len)
			ck_buf_putc(rel, '/');
		ck_buf_puts(rel, e->d_name);
		if (e->d_type == DT_UNKNOWN) {
			struct stat est;

			is_dir = fstatat(fd, e->d_name, &est,
			                 AT_SYMLINK_NOFOLLOW) == 0 &&
			         S_ISDIR(est.st_mode);
		} else {
			is_dir = e->d_type == DT_DIR;
		}
		if (is_dir && depth == 1 && sw->deep != NULL) {
			kept++; /* swept already, and still there */
		} else if (is_dir) {
			switch (sweep_child(sw, fd, e->d_name, rel, depth + 1,
			                    &child_recorded)) {
			case 1:
				kept++;
				break;
			case 0:
				removed++;
				break;
			default:
				kept++;
				rc = -1;
			}
			if (!child_recorded)
				recordable = false;
		} else if (!ck_site_has(sw->site, rel->ptr)) {
			if (unlinkat(fd, e->d_name, 0) != 0) {
				sweep_warn(sw, rel);
				kept++;
				rc = -1;
			} else {
				removed++;
				__atomic_fetch_add(&sw->w->stats.removed, 1,
				                   __ATOMIC_RELAXED);
			}
		} else {
			kept++;
			if (strchr(e->d_name, '\n') != NULL)
				recordable = false; /* not in the manifest */
		}
	}
	closedir(d);
	ck_buf_truncate(rel, rel_len);
	if (recordable && rc == 0 && removed == 0 && kept > 0) {
		record_folder(sw, rel->ptr, NULL, &st);
		*recorded = true;
	}
	/* Only a folder left empty is tried with rmdir: a province has a
	 * hundred thousand folders, each holding its page. */
	return rc != 0 ? -1 : kept == 0 ? 1 : 0;
}

/* The manifest's record of folder rel, or NULL. */
static const struct folder *
old_folder(const ck_outdir *w, const char *rel)
{
	struct folder key;

	key.path = rel;
	return w->noldf
	           ? bsearch(&key, w->oldf, w->noldf, sizeof(key), cmp_folder)
	           : NULL;
}

/*
 * Sweeps the folder rel (name in the open folder parent): unread when the
 * last sweep recorded it and its change time and inode are still those,
 * else read. Returns as sweep_read.
 */
static int
sweep_dir(sweep *sw, int parent, const char *name, ck_buf *rel, int depth,
          bool *recorded)
{
	const struct folder *f;
	struct stat st;
	int r;

	*recorded = false;
	if (depth >= FOLDER_RECORD_DEPTH &&
	    (f = old_folder(sw->w, rel->ptr)) != NULL &&
	    folder_stat(sw->w, parent, name, rel->ptr, &st) == 0 &&
	    S_ISDIR(st.st_mode) && st.st_ino == f->ino &&
	    st.st_ctim.tv_sec == f->ctime_s &&
	    st.st_ctim.tv_nsec == f->ctime_ns) {
		r = sweep_known(sw, parent, name, rel, depth, &st, f->path,
		                recorded);
		if (r != 2) {
			__atomic_fetch_add(&sw->w->stats.folders_unread, 1,
			                   __ATOMIC_RELAXED);
			return r;
		}
		*recorded = false;
	}
	__atomic_fetch_add(&sw->w->stats.folders_read, 1, __ATOMIC_RELAXED);
	return sweep_read(sw, parent, name, rel, depth, recorded);
}

/* A thread of the sweep: takes the folders two levels down in turn. */
static void *
sweep_deep(void *arg)
{
	sweep *sw = arg;
	ck_buf rel = CK_BUF_INIT;
	folder_batch mine = {NULL, 0, 0};
	const char *path;
	bool recorded;
	int r;

	batch = &mine;
	for (;;) {
		pthread_mutex_lock(&sw->mu);
		path = sw->next < sw->ndeep ? sw->deep[sw->next++] : NULL;
		pthread_mutex_unlock(&sw->mu);
		if (path == NULL)
			break;
		ck_buf_clear(&rel);
		ck_buf_puts(&rel, path);
		r = sweep_dir(sw, sw->top, path, &rel, 2, &recorded);
		if (r == 1 && unlinkat(sw->top, path, AT_REMOVEDIR) != 0 &&
		    errno != ENOTEMPTY && errno != EEXIST && errno != ENOENT) {
			sweep_warn(sw, &rel);
			r = -1;
		}
		if (r < 0) {
			pthread_mutex_lock(&sw->mu);
			sw->failed = true;
			pthread_mutex_unlock(&sw->mu);
		}
	}
	batch = NULL;
	pthread_mutex_lock(&sw->mu);
	if (mine.n > 0) {
		sw->w->newf =
		    reserve(sw->w->newf, &sw->w->capnewf,
		            sw->w->nnewf + mine.n - 1, sizeof(*sw->w->newf));
		memcpy(sw->w->newf + sw->w->nnewf, mine.v,
		       mine.n * sizeof(*mine.v));
		sw->w->nnewf += mine.n;
	}
	pthread_mutex_unlock(&sw->mu);
	free(mine.v);
	ck_buf_free(&rel);
	return NULL;
}

/* The real folders (no links) in the open folder dir, as "<in>/<name>". */
static void
list_folders(char ***out, size_t *n, size_t *cap, int dir, const char *in)
{
	int fd = openat(dir, in ? in : ".",
	                O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	struct stat st;
	char *p;

	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return; /* the sweep after finds it again, and says why */
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' &&
		    (e->d_name[1] == '\0' ||
		     (e->d_name[1] == '.' && e->d_name[2] == '\0')))
			continue;
		if (in == NULL && strcmp(e->d_name, ".git") == 0)
			continue;
		if (e->d_type == DT_UNKNOWN
		        ? fstatat(dirfd(d), e->d_name, &st,
		                  AT_SYMLINK_NOFOLLOW) != 0 ||
		              !S_ISDIR(st.st_mode)
		        : e->d_type != DT_DIR)
			continue;
		if (in == NULL)
			p = strdup(e->d_name);
		else if (asprintf(&p, "%s/%s", in, e->d_name) < 0)
			p = NULL;
		if (p == NULL)
			err(3, "strdup");
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*out = realloc(*out, *cap * sizeof(**out));
			if (*out == NULL)
				err(3, "realloc");
		}
		(*out)[(*n)++] = p;
	}
	closedir(d);
}

/* The sweep of the whole folder, on w->jobs threads. 0, or -1. */
static int
remove_stale(ck_outdir *w, const ck_site *site)
{
	sweep sw = {.w = w, .site = site};
	char **top = NULL;
	size_t ntop = 0, cap = 0, i, k, nthreads;
	pthread_t th[CK_OUTDIR_MAX_JOBS];
	ck_buf rel = CK_BUF_INIT;
	bool recorded;
	int rc;

	load_manifest(w, true);
	sw.top = open(w->dir.ptr, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	                              O_CLOEXEC);
	if (sw.top < 0) {
		warn("%s", w->dir.ptr);
		return -1;
	}
	pthread_mutex_init(&sw.mu, NULL);
	if (w->jobs > 1) {
		list_folders(&top, &ntop, &cap, sw.top, NULL);
		cap = 0;
		for (i = 0; i < ntop; i++)
			list_folders(&sw.deep, &sw.ndeep, &cap, sw.top, top[i]);
		if (sw.ndeep == 0) {
			free(sw.deep);
			sw.deep = NULL;
		}
	}
	if (sw.deep != NULL) {
		nthreads = (size_t)w->jobs < sw.ndeep ? (size_t)w->jobs
		                                      : sw.ndeep;
		for (k = 0; k < nthreads; k++)
			if (pthread_create(&th[k], NULL, sweep_deep, &sw) != 0)
				break;
		if (k == 0)
			sweep_deep(&sw); /* no thread to be had: alone */
		for (i = 0; i < k; i++)
			pthread_join(th[i], NULL);
	}
	rc = sweep_dir(&sw, sw.top, NULL, &rel, 0, &recorded) < 0 || sw.failed
	         ? -1
	         : 0;
	for (i = 0; i < ntop; i++)
		free(top[i]);
	free(top);
	for (i = 0; i < sw.ndeep; i++)
		free(sw.deep[i]);
	free(sw.deep);
	ck_buf_free(&rel);
	pthread_mutex_destroy(&sw.mu);
	close(sw.top);
	return rc;
}

/* Manifests not rewritten for this long are of folders long gone. */
#define MANIFEST_MAX_AGE (60L * 24 * 3600)

/* Removes the manifests of the cache folder (dir) left unused too long. */
static void
prune_manifests(const char *dir, time_t now)
{
	ck_buf path = CK_BUF_INIT;
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		ck_buf_clear(&path);
		ck_buf_printf(&path, "%s/%s", dir, e->d_name);
		if (lstat(path.ptr, &st) == 0 && S_ISREG(st.st_mode) &&
		    now - st.st_mtime > MANIFEST_MAX_AGE)
			unlink(path.ptr);
	}
	closedir(d);
	ck_buf_free(&path);
}

/*
 * The manifest's numbers, written without printf: a province's manifest
 * has 240,000 lines, and formatting them through vfprintf took a quarter
 * of a second of every build. Each returns the end of what it wrote.
 */
static char *
put_hex128(char *p, const uint64_t h[2])
{
	ck_hash128_format(p, h);
	return p + 32;
}

static char *
put_dec(char *p, uint64_t v)
{
	return p + ck_u64_decimal(p, v);
}

static char *
put_sdec(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return put_dec(p, (uint64_t)0 - (uint64_t)v);
	}
	return put_dec(p, (uint64_t)v);
}

/*
 * Writes the manifest of w->v (sorted by path) through a temporary file.
 * Only a hint: a cache folder that cannot be written (another user's, a
 * read-only home) costs the next build some reading, nothing more, and is
 * not worth a word.
 */
static void
save_manifest(ck_outdir *w)
{
	ck_buf text = CK_BUF_INIT, tmp = CK_BUF_INIT;
	uint64_t sum[2];
	size_t i;

	/* "<hash> <made or -> <size> <mtime s> <ns> <ino> ": 33 + 33 + 4
	 * numbers of at most 20 digits and a sign, and the spaces. */
	char line[160], *p;

	ck_buf_puts(&text, MANIFEST_MAGIC);
	for (i = 0; i < w->len; i++) {
		const struct entry *e = &w->v[i];

		if (strchr(e->path, '\n') != NULL)
			continue; /* read and compared next time */
		p = put_hex128(line, e->hash);
		*p++ = ' ';
		if (e->has_made)
			p = put_hex128(p, e->made);
		else
			*p++ = '-';
		*p++ = ' ';
		p = put_dec(p, e->size);
		*p++ = ' ';
		p = put_sdec(p, e->mtime_s);
		*p++ = ' ';
		p = put_sdec(p, e->mtime_ns);
		*p++ = ' ';
		p = put_dec(p, e->ino);
		*p++ = ' ';
		ck_buf_put(&text, line, (size_t)(p - line));
		ck_buf_puts(&text, e->path);
		ck_buf_putc(&text, '\n');
	}
	if (w->nnewf > 1)
		ck_strsort(w->newf, w->nnewf, sizeof(*w->newf));
	for (i = 0; i < w->nnewf; i++) {
		const struct folder *f = &w->newf[i];

		if (strchr(f->path, '\n') != NULL)
			continue; /* read next time */
		p = line;
		*p++ = '/';
		*p++ = ' ';
		p = put_sdec(p, f->ctime_s);
		*p++ = ' ';
		p = put_sdec(p, f->ctime_ns);
		*p++ = ' ';
		p = put_dec(p, f->ino);
		*p++ = ' ';
		ck_buf_put(&text, line, (size_t)(p - line));
		ck_buf_puts(&text, f->path);
		ck_buf_putc(&text, '\n');
	}
	ck_hash128(sum, text.ptr, text.size);
	ck_buf_printf(&text, "end %016" PRIx64 "%016" PRIx64 "\n", sum[0],
	              sum[1]);
	name_manifest(w);
	if (w->manifest.size == 0)
		goto done;
	if (ck_file_replace(w->manifest.ptr, text.ptr, text.size) != 0)
		goto done;
	ck_buf_put(&tmp, w->manifest.ptr,
	           (size_t)(strrchr(w->manifest.ptr, '/') - w->manifest.ptr));
	prune_manifests(tmp.ptr, time(NULL));
done:
	ck_buf_free(&text);
	ck_buf_free(&tmp);
}

int
ck_outdir_commit(ck_outdir *w, const ck_site *site)
{
	int rc = -1;

	if (w->state == NOT_BEGUN)
		begin(w); /* a site without files */
	/* Every page is made: what it has not looked at is not needed. */
	preload_end(w);
	if (w->state != BEGUN)
		return -1;
	if (w->len > 1)
		ck_strsort(w->v, w->len, sizeof(*w->v));
	w->stats.files = w->len;
	if (!w->had_dir) {
		/* A new folder: the staging folder becomes it, whole. */
		if (rename(w->staging.ptr, w->dir.ptr) != 0) {
			warn("%s", w->dir.ptr);
			goto done;
		}
		w->stats.written = w->len;
	} else {
		/* The old manifest stays until the new one replaces it: a
		 * file renamed in has another inode than it lists, so a run
		 * killed halfway leaves what a rerun compares and repairs. */
		if (move_into_place(w) != 0)
			goto done;
		if (remove_stale(w, site) < 0)
			goto done;
		if (remove_tree(w->staging.ptr) != 0)
			warn("%s", w->staging.ptr);
	}
	w->committed = true;
	save_manifest(w);
	rc = 0;
done:
	return rc;
}

void
ck_outdir_set_jobs(ck_outdir *w, int jobs)
{
	w->jobs = jobs < 1 ? 1 : jobs > CK_OUTDIR_MAX_JOBS ? CK_OUTDIR_MAX_JOBS
	                                                     : jobs;
}

void
ck_outdir_get_stats(ck_outdir_stats *out, const ck_outdir *w)
{
	*out = w->stats;
}

void
ck_outdir_free(ck_outdir *w)
{
	if (w == NULL)
		return;
	preload_end(w);
	if (w->state != NOT_BEGUN && !w->committed &&
	    remove_tree(w->staging.ptr) != 0 && errno != ENOENT)
		warn("%s", w->staging.ptr);
	if (w->outfd >= 0)
		close(w->outfd);
	free(w->intact);
	free(w->seen);
	free(w->old);
	free(w->oldf);
	free(w->newf);
	free(w->v);
	ck_arena_free(w->arena);
	ck_buf_free(&w->dir);
	ck_buf_free(&w->parent);
	ck_buf_free(&w->base);
	ck_buf_free(&w->staging);
	ck_buf_free(&w->manifest);
	pthread_mutex_destroy(&w->mu);
	pthread_mutex_destroy(&w->pre_mu);
	pthread_cond_destroy(&w->pre_cv);
	free(w);
}
