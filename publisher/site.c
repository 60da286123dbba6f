/* ck_site (site.h): files kept in memory, or passed on to a sink. */
#include "site.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "fileio.h"
#include "hash.h"
#include "outdir.h"
#include "strsort.h"

/* A spool's bytes stay in memory up to this much. */
#define SPOOL_CHUNK ((size_t)1 << 20)

struct file {
	const char *path; /* in the site's arena */
	char *data;       /* kept files only; NUL-terminated */
	size_t len;
};

struct ck_site {
	pthread_mutex_t mu; /* guards everything below while adding */
	ck_arena *paths;
	struct file *v;
	size_t len, cap;
	bool sorted;
	ck_site_sink_fn sink;       /* NULL: files are kept */
	ck_site_sink_fd_fn sink_fd; /* or NULL */
	ck_site_keep_fn keep;       /* or NULL */
	ck_site_stage_fn stage;     /* or NULL */
	ck_site_memory memory;      /* all NULL: none */
	void *sink_arg;
	bool failed;
};

static ck_site *
site_new(ck_site_sink_fn sink, void *arg)
{
	ck_site *s = calloc(1, sizeof(*s));

	if (s == NULL)
		err(3, "calloc");
	pthread_mutex_init(&s->mu, NULL);
	s->paths = ck_arena_new();
	s->sorted = true;
	s->sink = sink;
	s->sink_arg = arg;
	return s;
}

ck_site *
ck_site_new(void)
{
	return site_new(NULL, NULL);
}

ck_site *
ck_site_new_sink(ck_site_sink_fn sink, void *arg)
{
	return site_new(sink, arg);
}

void
ck_site_set_sink_fd(ck_site *s, ck_site_sink_fd_fn sink_fd)
{
	if (s->sink != NULL)
		s->sink_fd = sink_fd;
}

void
ck_site_set_keep(ck_site *s, ck_site_keep_fn keep)
{
	if (s->sink != NULL)
		s->keep = keep;
}

void
ck_site_set_stage(ck_site *s, ck_site_stage_fn stage)
{
	if (s->sink != NULL)
		s->stage = stage;
}

void
ck_site_stage(ck_site *s, ck_site_stage_id stage)
{
	if (s->stage != NULL)
		s->stage(s->sink_arg, stage);
}

void
ck_site_set_memory(ck_site *s, const ck_site_memory *m)
{
	if (s->sink != NULL)
		s->memory = *m;
}

int
ck_site_earlier(ck_site *s, const char *path, uint64_t hash[2])
{
	return s->memory.earlier ? s->memory.earlier(s->sink_arg, path, hash)
	                         : -1;
}

int
ck_site_memo_read(ck_site *s, const char *name, ck_buf *out)
{
	ck_buf path = CK_BUF_INIT;
	int rc = -1;

	if (s->memory.memo_path != NULL &&
	    s->memory.memo_path(s->sink_arg, name, &path) == 0)
		rc = ck_fd_slurp(out, open(path.ptr, O_RDONLY | O_CLOEXEC));
	ck_buf_free(&path);
	return rc;
}

int
ck_site_memo_write(ck_site *s, const char *name, const void *data, size_t len)
{
	ck_buf path = CK_BUF_INIT;
	int rc = -1;

	if (s->memory.memo_path != NULL &&
	    s->memory.memo_path(s->sink_arg, name, &path) == 0)
		rc = ck_file_replace(path.ptr, data, len);
	ck_buf_free(&path);
	return rc;
}

void
ck_site_free(ck_site *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->len; i++)
		free(s->v[i].data);
	free(s->v);
	ck_arena_free(s->paths);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

static int
cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct file *)a)->path,
	              ((const struct file *)b)->path);
}

/* Records path (and data, owned, for a kept file); with s->mu held. */
static void
record(ck_site *s, const char *path, char *data, size_t len)
{
	struct file *f;

	if (s->len > 0 && strcmp(s->v[s->len - 1].path, path) >= 0)
		s->sorted = false;
	if (s->len == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (s->v == NULL)
			err(3, "realloc");
	}
	f = &s->v[s->len++];
	f->path = ck_arena_strdup(s->paths, path);
	f->data = data;
	f->len = len;
}

/* Whether a sink has failed; with the lock, as workers add side by side. */
static bool
has_failed(ck_site *s)
{
	bool failed;

	pthread_mutex_lock(&s->mu);
	failed = s->failed;
	pthread_mutex_unlock(&s->mu);
	return failed;
}

/* Marks the site failed: it passes on no more files. */
static void
set_failed(ck_site *s)
{
	pthread_mutex_lock(&s->mu);
	s->failed = true;
	pthread_mutex_unlock(&s->mu);
}

/*
 * After a file was kept (copy) or passed on (sink_rc the sink's result):
 * records it, or marks the site failed. Returns 0 or -1.
 */
static int
added(ck_site *s, int sink_rc, const char *path, char *copy, size_t len)
{
	if (sink_rc != 0) {
		set_failed(s);
		return -1;
	}
	pthread_mutex_lock(&s->mu);
	record(s, path, copy, len);
	pthread_mutex_unlock(&s->mu);
	return 0;
}

static int
add(ck_site *s, const char *path, const void *data, size_t len,
    const uint64_t *fp)
{
	char *copy;

	if (s->sink != NULL) {
		/* The sink works outside the lock: the workers' pages are
		 * hashed and written side by side. */
		if (has_failed(s))
			return -1;
		return added(s, s->sink(s->sink_arg, path, data, len, fp), path,
		             NULL, len);
	}
	if ((copy = malloc(len + 1)) == NULL)
		err(3, "malloc");
	if (len)
		memcpy(copy, data, len);
	copy[len] = '\0';
	return added(s, 0, path, copy, len);
}

int
ck_site_add(ck_site *s, const char *path, const void *data, size_t len)
{
	return add(s, path, data, len, NULL);
}

bool
ck_site_can_keep(const ck_site *s)
{
	return s->keep != NULL;
}

int
ck_site_keep(ck_site *s, const char *path, const uint64_t fp[2])
{
	int rc;

	if (s->keep == NULL)
		return 0;
	if (has_failed(s))
		return -1;
	rc = s->keep(s->sink_arg, path, fp);
	if (rc < 0) {
		set_failed(s);
		return -1;
	}
	if (rc == 0)
		return 0;
	pthread_mutex_lock(&s->mu);
	record(s, path, NULL, 0);
	pthread_mutex_unlock(&s->mu);
	return 1;
}

int
ck_site_add_made(ck_site *s, const char *path, const void *data, size_t len,
                 const uint64_t fp[2])
{
	return add(s, path, data, len, fp);
}

/* Hands a sink the file in fd, as ck_site_add hands it bytes. */
static int
add_fd(ck_site *s, const char *path, int fd, size_t len, const uint64_t hash[2])
{
	if (has_failed(s))
		return -1;
	return added(s, s->sink_fd(s->sink_arg, path, fd, len, hash), path,
	             NULL, len);
}

struct ck_site_spool {
	ck_site *site;
	char *path;
	ck_buf buf; /* the bytes not yet in the file */
	int fd;     /* the temporary file, or -1 */
	size_t len; /* bytes in the file */
	/* Of every byte written so far: a large file is not read back to
	 * be hashed (a province's questions.json is 100 MB). */
	ck_hash128_state hash;
	bool failed;
};

ck_site_spool *
ck_site_spool_open(ck_site *s, const char *path)
{
	ck_site_spool *sp = calloc(1, sizeof(*sp));

	if (sp == NULL || (sp->path = strdup(path)) == NULL)
		err(3, "malloc");
	sp->site = s;
	ck_buf_init(&sp->buf);
	sp->fd = -1;
	ck_hash128_init(&sp->hash);
	return sp;
}

/* A file of no name in $TMPDIR (or /tmp): gone when closed. */
static int
temp_file(void)
{
	const char *dir = getenv("TMPDIR");
	ck_buf name = CK_BUF_INIT;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	/* A written file's mode (under the umask): the output folder may
	 * link it in (outdir.c); nameless, nobody else can open it. */
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);
	if (fd < 0) { /* a file system without O_TMPFILE */
		ck_buf_printf(&name, "%s/congkhai-spool-XXXXXX", dir);
		fd = mkostemp(name.ptr, O_CLOEXEC);
		if (fd >= 0)
			unlink(name.ptr);
	}
	ck_buf_free(&name);
	return fd;
}

/* Moves the buffered bytes to the file (made when first needed). */
static int
spill(ck_site_spool *sp)
{
	if (sp->fd < 0 && (sp->fd = temp_file()) < 0) {
		warn("a temporary file for %s", sp->path);
		return -1;
	}
	if (ck_fd_write_all(sp->fd, sp->buf.ptr, sp->buf.size) != 0) {
		warn("a temporary file for %s", sp->path);
		return -1;
	}
	sp->len += sp->buf.size;
	ck_buf_clear(&sp->buf);
	return 0;
}

int
ck_site_spool_write(ck_site_spool *sp, const void *data, size_t len)
{
	if (sp->failed)
		return -1;
	ck_hash128_update(&sp->hash, data, len);
	ck_buf_put(&sp->buf, data, len);
	if (sp->site->sink_fd != NULL && sp->buf.size >= SPOOL_CHUNK &&
	    spill(sp) != 0)
		sp->failed = true;
	return sp->failed ? -1 : 0;
}

int
ck_site_spool_close(ck_site_spool *sp)
{
	uint64_t hash[2];
	int rc;

	ck_hash128_final(&sp->hash, hash);
	if (sp->failed)
		rc = -1;
	else if (sp->fd < 0)
		rc = ck_site_add(sp->site, sp->path, sp->buf.ptr, sp->buf.size);
	else if (spill(sp) != 0)
		rc = -1;
	else
		rc = add_fd(sp->site, sp->path, sp->fd, sp->len, hash);
	if (rc != 0) /* the build must not go on to commit */
		set_failed(sp->site);
	if (sp->fd >= 0)
		close(sp->fd);
	ck_buf_free(&sp->buf);
	free(sp->path);
	free(sp);
	return rc;
}

int
ck_site_add_buf(ck_site *s, const char *path, ck_buf *content)
{
	int rc = ck_site_add(s, path, content->ptr, content->size);

	ck_buf_free(content);
	return rc;
}

bool
ck_site_failed(const ck_site *s)
{
	return s->failed;
}

int
ck_site_sort(ck_site *s)
{
	size_t i;
	int rc = 0;

	if (!s->sorted && s->len > 1)
		ck_strsort(s->v, s->len, sizeof(*s->v));
	s->sorted = true;
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
	if (i >= s->len || s->sink != NULL)
		return NULL;
	if (len)
		*len = s->v[i].len;
	return s->v[i].data;
}

static const struct file *
find(const ck_site *s, const char *path)
{
	struct file key;
	size_t i;

	if (s->sorted) {
		key.path = path;
		return bsearch(&key, s->v, s->len, sizeof(*s->v), cmp_file);
	}
	for (i = 0; i < s->len; i++) /* before ck_site_sort: rare */
		if (strcmp(s->v[i].path, path) == 0)
			return &s->v[i];
	return NULL;
}

bool
ck_site_has(const ck_site *s, const char *path)
{
	return find(s, path) != NULL;
}

const char *
ck_site_find(const ck_site *s, const char *path, size_t *len)
{
	const struct file *f = find(s, path);

	if (f == NULL || s->sink != NULL)
		return NULL;
	if (len)
		*len = f->len;
	return f->data;
}

int
ck_site_write_dir(const ck_site *s, const char *dir)
{
	ck_outdir *w = ck_outdir_new(dir);
	size_t i;
	int rc = 0;

	for (i = 0; i < s->len && rc == 0; i++)
		rc = ck_outdir_put(w, s->v[i].path, s->v[i].data, s->v[i].len,
		                   NULL);
	if (rc == 0)
		rc = ck_outdir_commit(w, s);
	ck_outdir_free(w);
	return rc;
}
