/*
 * The blobs of the large files handed over open (the open data, 190 MB for
 * a province): written as loose objects by a thread of their own
 * (write_blob). Their SHA-1 and deflate took 1.5 s at 100k under the
 * publisher's lock, as they were once written, and every page worker
 * waited for that long. The ids are filled in when the publication
 * finishes (ck_pub_stream_wait).
 */
#include <err.h>
#include <errno.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

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
	ck_buf objects;            /* <gitdir>objects */
	struct job *queue, **tail; /* to write, in the order queued */
	struct job *done;          /* written (or failed), any order */
	int closing;
};

/* What writing one loose object carries from window to window. */
struct loose {
	EVP_MD_CTX *sha1;
	z_stream z;
	int fd; /* the temporary file */
	unsigned char out[1 << 18];
};

/* Deflates n bytes (flush: Z_NO_FLUSH or Z_FINISH) into the file. */
static int
loose_deflate(struct loose *lo, const void *bytes, size_t n, int flush)
{
	int zr;

	lo->z.next_in = (unsigned char *)bytes;
	lo->z.avail_in = (uInt)n;
	do {
		lo->z.next_out = lo->out;
		lo->z.avail_out = sizeof(lo->out);
		zr = deflate(&lo->z, flush);
		if (zr == Z_STREAM_ERROR)
			return -2;
		if (ck_fd_write_all(lo->fd, lo->out,
		                    sizeof(lo->out) - lo->z.avail_out) != 0)
			return -1;
	} while (lo->z.avail_out == 0 ||
	         (flush == Z_FINISH && zr != Z_STREAM_END));
	return 0;
}

/* One window of the file: hashed and deflated (ck_fd_each_window). */
static int
loose_window(void *arg, const void *bytes, size_t n)
{
	struct loose *lo = arg;

	if (EVP_DigestUpdate(lo->sha1, bytes, n) != 1)
		return -2;
	return loose_deflate(lo, bytes, n, Z_NO_FLUSH);
}

/*
 * Writes j's blob as a loose object under objects, as git does: "blob
 * <len>\0" and the bytes, deflated (level 1, as libgit2's loose store
 * here), named by their SHA-1, into a temporary file renamed into place.
 * libgit2's own stream hashes with its collision-detecting SHA-1, about
 * 0.7 s for the open data's 190 MB; OpenSSL's uses the CPU's SHA
 * instructions (0.1 s). The pages' blobs, small and many, stay libgit2's.
 * Runs on the streamer's thread. Sets j->id and j->rc.
 */
static void
write_blob(struct job *j, const char *objects)
{
	struct loose *lo = calloc(1, sizeof(*lo));
	ck_buf tmp = CK_BUF_INIT, dest = CK_BUF_INIT;
	char header[64], hex[GIT_OID_HEXSZ + 1];
	unsigned char raw[EVP_MAX_MD_SIZE];
	unsigned int rawlen = 0;
	int n, zinit = 0;

	j->rc = -1;
	if (lo == NULL)
		err(3, "calloc");
	lo->fd = -1;
	ck_buf_printf(&tmp, "%s/tmp_obj_congkhai_XXXXXX", objects);
	if ((lo->fd = mkstemp(tmp.ptr)) < 0) {
		warn("%s", tmp.ptr);
		goto done;
	}
	n = snprintf(header, sizeof(header), "blob %zu", j->len) + 1;
	if ((lo->sha1 = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(lo->sha1, EVP_sha1(), NULL) != 1 ||
	    EVP_DigestUpdate(lo->sha1, header, (size_t)n) != 1) {
		warnx("%s: SHA-1 (OpenSSL)", j->path);
		goto done;
	}
	if (deflateInit(&lo->z, Z_BEST_SPEED) != Z_OK) {
		warnx("%s: deflate (zlib)", j->path);
		goto done;
	}
	zinit = 1;
	if (loose_deflate(lo, header, (size_t)n, Z_NO_FLUSH) != 0 ||
	    ck_fd_each_window(j->fd, j->len, loose_window, lo) != 0 ||
	    loose_deflate(lo, "", 0, Z_FINISH) != 0 ||
	    EVP_DigestFinal_ex(lo->sha1, raw, &rawlen) != 1 ||
	    rawlen != GIT_OID_RAWSZ) {
		warn("%s: writing its blob into %s", j->path, objects);
		goto done;
	}
	/* Objects are read-only, as git makes them. */
	if (fchmod(lo->fd, 0444) != 0 || close(lo->fd) != 0) {
		lo->fd = -1;
		warn("%s", tmp.ptr);
		goto done;
	}
	lo->fd = -1;
	git_oid_fromraw(&j->id, raw);
	git_oid_tostr(hex, sizeof(hex), &j->id);
	ck_buf_printf(&dest, "%s/%.2s", objects, hex);
	if (mkdir(dest.ptr, 0755) != 0 && errno != EEXIST) {
		warn("%s", dest.ptr);
		goto done;
	}
	ck_buf_printf(&dest, "/%s", hex + 2);
	/* The same bytes already there: that object is as good. */
	if (access(dest.ptr, F_OK) != 0 && rename(tmp.ptr, dest.ptr) != 0) {
		warn("%s", dest.ptr);
		goto done;
	}
	j->rc = 0;
done:
	if (lo->fd >= 0)
		close(lo->fd);
	/* Renamed, or not wanted (a failure, or the object there). */
	unlink(tmp.ptr);
	if (zinit)
		deflateEnd(&lo->z);
	EVP_MD_CTX_free(lo->sha1);
	free(lo);
	ck_buf_free(&tmp);
	ck_buf_free(&dest);
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
		write_blob(j, s->objects.ptr);
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
