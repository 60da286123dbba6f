/*
 * The blobs of the large files handed over open (the open data, 190 MB for
 * a province): written into the loose store by a thread of their own. Their
 * SHA-1 and deflate take about 1.5 s at 100k; done under the publisher's
 * lock, as they were, they stopped every page worker for that long. The
 * ids are filled in when the publication finishes (ck_pub_stream_wait).
 */
#include <err.h>
#include <errno.h>
#include <git2/sys/odb_backend.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "publish_int.h"

/* One blob to write: the file's bytes in fd, its id found on the way. */
struct job {
	struct job *next;
	const char *path; /* lives as long as the publisher (its files) */
	int fd;           /* p->spooled's dup, open until the publisher ends */
	size_t len;
	size_t entry; /* index in p->files.v */
	size_t spool; /* index in p->spooled */
	git_oid id;
	int rc; /* 0, or -1 with the problem printed */
};

struct ck_pub_streamer {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	ck_buf objects;            /* <gitdir>/objects */
	const char *repo;          /* for messages: the --repo given */
	struct job *queue, **tail; /* to write, in the order queued */
	struct job *done;          /* written (or failed), any order */
	int closing;
};

static int
stream_window(void *stream, const void *bytes, size_t n)
{
	return git_odb_stream_write(stream, bytes, n) < 0 ? -2 : 0;
}

/*
 * Writes j's blob into the loose store under objects as its bytes are
 * read. Runs on the streamer's thread: it shares no libgit2 object with
 * the publisher's. Sets j->id and j->rc.
 */
static void
write_blob(struct job *j, const char *objects, const char *repo)
{
	git_odb *loose = NULL;
	git_odb_backend *b = NULL;
	git_odb_stream *st = NULL;
	int r;

	j->rc = -1;
	/* An object database of the loose store alone: libgit2 streams
	 * only into a store that can (the in-memory one buffers). */
	if (git_odb_new(&loose) < 0 ||
	    git_odb_backend_loose(&b, objects, 1, 0, 0, 0) < 0) {
		ck_pub_git_fail("%s: the loose object store", repo);
		goto done;
	}
	if (git_odb_add_backend(loose, b, 1) < 0) {
		b->free(b);
		ck_pub_git_fail("%s: the loose object store", repo);
		goto done;
	}
	if (git_odb_open_wstream(&st, loose, j->len, GIT_OBJECT_BLOB) < 0) {
		ck_pub_git_fail("%s", j->path);
		goto done;
	}
	r = ck_fd_each_window(j->fd, j->len, stream_window, st);
	if (r == -1) {
		warn("%s: reading the spooled file", j->path);
		goto done;
	}
	if (r != 0 || git_odb_stream_finalize_write(&j->id, st) < 0) {
		ck_pub_git_fail("%s", j->path);
		goto done;
	}
	j->rc = 0;
done:
	git_odb_stream_free(st);
	git_odb_free(loose);
}

static void *
streamer_main(void *arg)
{
	struct ck_pub_streamer *s = arg;
	struct job *j;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		while (s->queue == NULL && !s->closing)
			pthread_cond_wait(&s->cv, &s->mu);
		if ((j = s->queue) == NULL)
			break; /* closing, and nothing left */
		if ((s->queue = j->next) == NULL)
			s->tail = &s->queue;
		pthread_mutex_unlock(&s->mu);
		write_blob(j, s->objects.ptr, s->repo);
		pthread_mutex_lock(&s->mu);
		j->next = s->done;
		s->done = j;
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

int
ck_pub_stream_queue(struct ck_publisher *p, const char *path, int fd,
                    size_t len, size_t entry, size_t spool)
{
	struct ck_pub_streamer *s = p->streamer;
	struct job *j;

	if (s == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL)
			err(3, "calloc");
		pthread_mutex_init(&s->mu, NULL);
		pthread_cond_init(&s->cv, NULL);
		ck_buf_init(&s->objects);
		ck_buf_printf(&s->objects, "%sobjects",
		              git_repository_path(p->repo));
		s->repo = p->o->repo;
		s->tail = &s->queue;
		if ((errno = pthread_create(&s->thread, NULL, streamer_main,
		                            s)) != 0) {
			warn("a thread to write the open data's blobs");
			pthread_cond_destroy(&s->cv);
			pthread_mutex_destroy(&s->mu);
			ck_buf_free(&s->objects);
			free(s);
			return -3;
		}
		p->streamer = s;
	}
	if ((j = calloc(1, sizeof(*j))) == NULL)
		err(3, "calloc");
	j->path = path;
	j->fd = fd;
	j->len = len;
	j->entry = entry;
	j->spool = spool;
	pthread_mutex_lock(&s->mu);
	*s->tail = j;
	s->tail = &j->next;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return 0;
}

int
ck_pub_stream_wait(struct ck_publisher *p)
{
	struct ck_pub_streamer *s = p->streamer;
	const struct ck_pub_cached *had;
	struct ck_pub_cached *e;
	struct job *j, *next;
	int rc = 0;

	if (s == NULL)
		return 0;
	pthread_mutex_lock(&s->mu);
	s->closing = 1;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	for (j = s->done; j != NULL; j = next) {
		next = j->next;
		if (j->rc < 0) {
			rc = -3;
		} else {
			e = &p->files.v[j->entry];
			git_oid_cpy(&e->id, &j->id);
			git_oid_cpy(&p->spooled[j->spool].id, &j->id);
			had = ck_pub_cache_find(&p->cache, e->path);
			e->unchanged =
			    had != NULL && git_oid_equal(&had->id, &j->id);
			p->stats.hashed++;
			p->stats.written++;
			p->stats.streamed++;
		}
		free(j);
	}
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	ck_buf_free(&s->objects);
	free(s);
	p->streamer = NULL;
	return rc;
}
