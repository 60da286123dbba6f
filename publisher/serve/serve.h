/*
 * congkhai serve: a live preview. cmd_serve.c builds the content into a
 * private temporary folder and rebuilds it when serve_watch.c sees the
 * content or the theme change; serve_http.c serves that folder on a local
 * port, with a small script in HTML responses that reloads the page after
 * each rebuild, and the build's errors instead of pages while they last.
 */
#ifndef CK_SERVE_H
#define CK_SERVE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* What the builder (main thread) tells the HTTP threads; under lock. */
typedef struct {
	pthread_mutex_t lock;
	const char *root;      /* the built site folder, absolute; constant */
	unsigned long version; /* bumped after every build, good or not */
	char *errors;          /* the failed build's diagnostics, or NULL */
} ck_serve_state;

/* The URL path of the version endpoint the injected script polls. */
#define CK_SERVE_VERSION_PATH "/__congkhai/version"

typedef struct ck_serve_http ck_serve_http;

/*
 * Starts serving st->root on addr (port 0: a free one), on threads of its
 * own; *port is the port bound. The caller owns *out (ck_serve_http_stop)
 * and st, which must outlive it. Returns 0, or -1 after a message.
 */
int ck_serve_http_start(ck_serve_http **out, unsigned *port, ck_serve_state *st,
                        const struct sockaddr *addr);
/* Stops serving: waits for the threads and frees h (accepts NULL). */
void ck_serve_http_stop(ck_serve_http *h);

typedef struct ck_serve_watch ck_serve_watch;

/*
 * Watches the folders dirs[0..n) and every folder below them (but .git),
 * and those created later. The caller owns *out (ck_serve_watch_free);
 * dirs must outlive it.
 * Returns 0, or -1 after a message.
 */
int ck_serve_watch_new(ck_serve_watch **out, const char *const *dirs, size_t n);
/* The descriptor to poll(2) for changes. */
int ck_serve_watch_fd(const ck_serve_watch *w);
/*
 * Reads the pending events (without blocking): 1 when a file or folder
 * changed, 0 when nothing did, -1 on a read error (message printed).
 */
int ck_serve_watch_read(ck_serve_watch *w);
void ck_serve_watch_free(ck_serve_watch *w); /* accepts NULL */

#endif
