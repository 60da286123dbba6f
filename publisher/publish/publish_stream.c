/*
 * The blobs of the large files handed over open (the open data, 190 MB for
 * a province): written by a thread of their own into the open data's pack
 * (publish_bigpack.c), as deltas against the checkout's files where it
 * can. Their SHA-1 and deflate took 1.5 s at 100k under the publisher's
 * lock, as they were once written, and every page worker waited for that
 * long. The ids are filled in when the publication finishes
 * (ck_pub_stream_wait).
 *
 * libgit2's own stream hashes with its collision-detecting SHA-1, about
 * 0.7 s for the open data's 190 MB; OpenSSL's uses the CPU's SHA
 * instructions (0.1 s). The pages' blobs, small and many, stay libgit2's.
 */
#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "publish_int.h"

/* One blob to write: the file's bytes in fd, its id found on the way. */
struct job {
	struct job *next;
	const char *path; /* lives as long as the publisher (its files) */
	int fd;           /* p->spooled's dup, open until the publisher ends */
	size_t len;
	size_t entry; /* index in p->files.v */
	size_t spool; /* index in p->spooled */
	int base_fd;  /* the checkout's last version, or -1 */
	git_oid base_id;
	git_oid id;
	int rc; /* 0, or -1 with the problem printed */
};

struct ck_pub_streamer {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct ck_pub_bigpack *pack;
	struct job *queue, **tail; /* to write, in the order queued */
	struct job *done;          /* written (or failed), any order */
	int closing;
};

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
		j->rc = ck_pub_bigpack_put(
		    s->pack, &j->id, j->path, j->fd, j->len, j->base_fd,
		    j->base_fd >= 0 ? &j->base_id : NULL);
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
		s->pack = ck_pub_bigpack_new(git_repository_path(p->repo));
		s->tail = &s->queue;
		if ((errno = pthread_create(&s->thread, NULL, streamer_main,
		                            s)) != 0) {
			warn("a thread to write the open data's blobs");
			pthread_cond_destroy(&s->cv);
			pthread_mutex_destroy(&s->mu);
			ck_pub_bigpack_free(s->pack);
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
	/* The last version, when the checkout has it as committed. */
	j->base_fd = ck_pub_early_base(p, path, &j->base_id);
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
	if (ck_pub_bigpack_finish(s->pack, &p->stats.deltas) != 0)
		rc = -3;
	else
		git_odb_refresh(p->odb); /* the new pack's objects */
	for (j = s->done; j != NULL; j = next) {
		next = j->next;
		if (j->base_fd >= 0)
			close(j->base_fd);
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
	ck_pub_bigpack_free(s->pack);
	free(s);
	p->streamer = NULL;
	return rc;
}
