/*
 * What a publication does before its first file, beside the build.
 *
 * A province's build spends a third of a second on one CPU between
 * checking the content and its first file (the values the pages share).
 * The publication's own start had waited for that first file and then
 * run on the build's critical path: the repository opened and the blob
 * cache read (0.15 s at 100,000 questions), then, for the open data's
 * reuse of last run's files (views_data.c), git's index read twice over
 * (0.1 s each) to learn whether the checkout's questions.json and
 * questions.csv are still what was committed. Told that files come next
 * (ck_publisher_stage), the publisher does all that on a thread of its
 * own, reading the index once: it keeps what it found for the few large
 * files (those ck_publisher_memory is asked for) and drops the index.
 *
 * A file looked at early is opened later, when asked for: its size and
 * time are checked again then (fstat(2) of what was opened), so a file
 * edited in between is not vouched for.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "publish_int.h"

/* Files this large are looked at early: the open data, at a province's
 * scale. Smaller ones are asked of the index when wanted. */
#define EARLY_MIN_SIZE ((uint64_t)1 << 20)

/* A large file of the blob cache, as the early look found it. */
struct early_file {
	const struct ck_pub_cached *had; /* the cache's entry (p->cache) */
	git_index_entry as_checked_out;  /* its path NULL */
	int same;                        /* the blob, size and time match */
};

struct ck_pub_early {
	struct ck_publisher *p;
	pthread_t thread;
	pthread_mutex_t mu; /* guards joined */
	int joined;
	int looked; /* the look was taken: files holds every large one */
	ck_buf workdir;
	struct early_file *files;
	size_t nfiles;
};

/*
 * Reads the checkout's index once and notes, for each file of the blob
 * cache of EARLY_MIN_SIZE or more, whether the checkout holds it as
 * committed: git's index names the cache's blob, and the file's size and
 * time are the index's.
 */
static void
look_at_large(struct ck_pub_early *e)
{
	struct ck_publisher *p = e->p;
	const struct ck_pub_cache *c = &p->cache;
	git_index *index = NULL;
	const git_index_entry *ie;
	ck_buf path = CK_BUF_INIT;
	struct early_file *f;
	size_t i;

	/* Read-only once begun: the cache, the repository's paths. */
	if (!p->checked_out || git_repository_workdir(p->repo) == NULL)
		return;
	ck_buf_puts(&e->workdir, git_repository_workdir(p->repo));
	ck_buf_printf(&path, "%sindex", git_repository_path(p->repo));
	if (git_index_open(&index, path.ptr) < 0) {
		git_error_clear();
		goto done; /* asked of the index when wanted, which says why */
	}
	for (i = 0; i < c->len; i++) {
		if (c->v[i].size < EARLY_MIN_SIZE)
			continue;
		if ((e->nfiles & 7) == 0) {
			f = realloc(e->files, (e->nfiles + 8) * sizeof(*f));
			if (f == NULL)
				goto done; /* nothing looked at */
			e->files = f;
		}
		f = &e->files[e->nfiles++];
		memset(f, 0, sizeof(*f));
		f->had = &c->v[i];
		ie = git_index_get_bypath(index, f->had->path, 0);
		if (ie == NULL)
			continue;
		f->as_checked_out = *ie;
		f->as_checked_out.path = NULL;
		f->same = git_oid_equal(&ie->id, &f->had->id) &&
		          !ck_pub_stat_differs(&path, e->workdir.ptr, ie);
	}
	e->looked = 1;
done:
	git_index_free(index);
	ck_buf_free(&path);
}

static void *
early_main(void *arg)
{
	struct ck_pub_early *e = arg;

	if (ck_pub_ensure_begun(e->p) == 0)
		look_at_large(e);
	return NULL;
}

void
ck_pub_early_start(struct ck_publisher *p)
{
	struct ck_pub_early *e;

	if (p->early != NULL)
		return;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return; /* the first file begins p, as without it */
	e->p = p;
	ck_buf_init(&e->workdir);
	pthread_mutex_init(&e->mu, NULL);
	if (pthread_create(&e->thread, NULL, early_main, e) != 0) {
		pthread_mutex_destroy(&e->mu);
		ck_buf_free(&e->workdir);
		free(e);
		return;
	}
	p->early = e;
}

void
ck_pub_early_wait(struct ck_publisher *p)
{
	struct ck_pub_early *e = p->early;

	if (e == NULL)
		return;
	pthread_mutex_lock(&e->mu);
	if (!e->joined) {
		pthread_join(e->thread, NULL);
		e->joined = 1;
	}
	pthread_mutex_unlock(&e->mu);
}

void
ck_pub_early_end(struct ck_publisher *p)
{
	struct ck_pub_early *e = p->early;

	if (e == NULL)
		return;
	ck_pub_early_wait(p);
	pthread_mutex_destroy(&e->mu);
	ck_buf_free(&e->workdir);
	free(e->files);
	free(e);
	p->early = NULL;
}

/*
 * The checkout's file at path opened, as the early look saw it (the index's
 * size and time still), with its entry in *out; -2 when the look did not
 * see it, -1 when it is not the committed file or cannot be opened.
 */
static int
early_open(const struct early_file **out, struct ck_publisher *p,
           const char *path)
{
	struct ck_pub_early *e = p->early;
	const struct early_file *f = NULL;
	struct stat st;
	size_t i;
	int fd = -1;

	if (e == NULL || !e->looked)
		return -2;
	for (i = 0; i < e->nfiles && f == NULL; i++)
		if (strcmp(e->files[i].had->path, path) == 0)
			f = &e->files[i];
	if (f == NULL) /* not a large file last time: the index knows */
		return -2;
	if (!f->same)
		return -1;
	fd = ck_pub_open_checkout(e->workdir.ptr, path);
	/* As the early look saw it: the index's size and time still. */
	if (fd >= 0 && (fstat(fd, &st) != 0 ||
	                ck_pub_st_differs(&st, &f->as_checked_out) ||
	                (uint64_t)st.st_size != f->had->size)) {
		close(fd);
		fd = -1;
	}
	*out = f;
	return fd;
}

int
ck_pub_early_open(struct ck_publisher *p, const char *path, uint64_t hash[2])
{
	const struct early_file *f;
	int fd = early_open(&f, p, path);

	if (fd >= 0) {
		hash[0] = f->had->hash[0];
		hash[1] = f->had->hash[1];
	}
	return fd;
}

int
ck_pub_early_base(struct ck_publisher *p, const char *path, git_oid *id)
{
	const struct early_file *f;
	int fd;

	ck_pub_early_wait(p);
	if ((fd = early_open(&f, p, path)) >= 0)
		git_oid_cpy(id, &f->had->id);
	return fd < 0 ? -1 : fd;
}
