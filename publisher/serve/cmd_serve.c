/*
 * congkhai serve: a live preview of the site on a local port. It builds
 * into a private temporary folder (never the user's site/), rebuilds when
 * the content or the theme changes, and removes the folder on SIGINT or
 * SIGTERM.
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "jobs.h"
#include "outdir.h"
#include "serve.h"

#ifndef CK_INSTALLED_THEME
#define CK_INSTALLED_THEME "/usr/local/share/congkhai/themes/default"
#endif

/* Hugo's port, which site builders already know to open. */
#define DEFAULT_PORT 1313
/* Quiet time after the last change before rebuilding: an editor's save
 * (temporary file, rename, chmod) comes as a burst of events. */
#define DEBOUNCE_MS 100
#define DEBOUNCE_MAX 20

static void
help(FILE *f)
{
	fprintf(f,
	        "usage: congkhai serve [-C DIR] [--theme DIR] [--port N] "
	        "[--bind ADDR]\n"
	        "                      [--today DATE] [--jobs N]\n\n"
	        "  -C DIR        the content folder (default: content)\n"
	        "  --theme DIR   the theme (default: themes/default)\n"
	        "  --port N      the port (default: %d; 0: a free one)\n"
	        "  --bind ADDR   the address to listen on (default: "
	        "127.0.0.1)\n"
	        "  --today DATE  judge overdue and held against DATE\n"
	        "  --jobs N      render on N threads (default: "
	        "CONGKHAI_JOBS, or one\n"
	        "                per CPU, up to 8)\n\n"
	        "Builds into a temporary folder, serves it, and rebuilds and "
	        "reloads\n"
	        "the page when the content or the theme changes. Ctrl-C "
	        "stops.\n",
	        DEFAULT_PORT);
}

/*
 * The one call into the build and the write path: builds opts' content
 * into site_dir. Returns ck_build_run's status (0, -1 content errors, -2
 * no such folder, -3 I/O); the diagnostics go to stderr and, when there
 * are errors, into *errors (malloc'd, the caller frees; else NULL).
 */
static int
build_into(char **errors, const ck_build_opts *opts, const char *site_dir)
{
	ck_build_result res = {0};
	ck_diags *d = ck_diags_new();
	ck_outdir *out = ck_outdir_new(site_dir);
	ck_build_opts o = *opts;
	size_t len = 0;
	FILE *f;
	int rc;

	ck_outdir_set_jobs(out, ck_jobs(opts->jobs));
	*errors = NULL;
	/* As build does: pages stream to the folder's writer, which puts
	 * only the changed files in place once the build succeeded. */
	o.site = ck_site_new_sink(ck_outdir_put, out);
	ck_site_set_sink_fd(o.site, ck_outdir_put_fd);
	ck_site_set_keep(o.site, ck_outdir_keep);
	rc = ck_build_run(&res, &o, d);
	if (rc == 0 && ck_outdir_commit(out, o.site) != 0)
		rc = -3;
	ck_build_result_free(&res);
	ck_site_free(o.site);
	ck_outdir_free(out);
	ck_diags_print(d, stderr);
	if (rc != 0) {
		if (!(f = open_memstream(errors, &len)))
			err(3, NULL);
		ck_diags_print(d, f);
		if (rc != -1)
			fprintf(f,
			        "congkhai serve: the build failed (%s); "
			        "see the terminal\n",
			        rc == -2 ? "no such folder" : "I/O error");
		fclose(f);
	}
	ck_diags_free(d);
	return rc;
}

/* Builds and tells the HTTP threads: a new version, and errors or none. */
static int
rebuild(ck_serve_state *st, const ck_build_opts *opts)
{
	char *errors;
	int rc = build_into(&errors, opts, st->root);

	pthread_mutex_lock(&st->lock);
	free(st->errors);
	st->errors = errors;
	st->version++;
	pthread_mutex_unlock(&st->lock);
	fprintf(stderr, "congkhai serve: %s (version %lu)\n",
	        rc == 0 ? "built" : "the build failed", st->version);
	return rc;
}

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	if (remove(path) != 0)
		warn("%s", path);
	return 0;
}

static int
parse_port(unsigned *port, const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || n > 65535)
		return -1;
	*port = (unsigned)n;
	return 0;
}

/* addr from --bind (an IPv4 or IPv6 address) and the port. */
static int
parse_bind(struct sockaddr_storage *addr, const char *bind, unsigned port)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)addr;

	memset(addr, 0, sizeof(*addr));
	if (inet_pton(AF_INET, bind, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons(port);
		return 0;
	}
	if (inet_pton(AF_INET6, bind, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(port);
		return 0;
	}
	return -1;
}

/* Waits for changes and rebuilds, until SIGINT or SIGTERM comes. */
static void
watch_loop(ck_serve_state *st, const ck_build_opts *opts, ck_serve_watch *w,
           int sigfd)
{
	struct pollfd pf[2] = {{sigfd, POLLIN, 0},
	                       {ck_serve_watch_fd(w), POLLIN, 0}};
	int changed, n = 0, rounds;

	for (;;) {
		if ((n = poll(pf, 2, -1)) < 0) {
			if (errno == EINTR)
				continue;
			warn("poll");
			return;
		}
		if (pf[0].revents)
			return;
		if ((changed = ck_serve_watch_read(w)) < 0)
			return;
		/* Debounce: wait until the burst is over, or for at most
		 * DEBOUNCE_MAX rounds when files never stop changing. */
		for (rounds = 0;
		     rounds < DEBOUNCE_MAX &&
		     (n = poll(pf, 2, DEBOUNCE_MS)) > 0 && !pf[0].revents;
		     rounds++) {
			int more = ck_serve_watch_read(w);
			if (more < 0)
				return;
			changed |= more;
		}
		if (n > 0 && pf[0].revents)
			return;
		if (changed)
			rebuild(st, opts);
	}
}

int
cmd_serve(int argc, char **argv)
{
	static const struct option longopts[] = {
	    CK_CLI_BUILD_LONGOPTS,
	    {"port", required_argument, NULL, 'p'},
	    {"bind", required_argument, NULL, 'b'},
	    {NULL, 0, NULL, 0},
	};
	ck_build_opts opts = {.content_dir = "content",
	                      .theme_dir = CK_DEFAULT_THEME,
	                      .today = CK_NODAY,
	                      .render = true};
	ck_serve_state st = {.lock = PTHREAD_MUTEX_INITIALIZER};
	char tmp[PATH_MAX], root[PATH_MAX + 8];
	const char *dirs[2], *bind = "127.0.0.1", *tmpdir;
	struct sockaddr_storage addr;
	ck_serve_watch *w = NULL;
	ck_serve_http *h = NULL;
	unsigned port = DEFAULT_PORT, bound;
	struct stat sb;
	sigset_t sigs;
	int c, rc, sigfd = -1;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:C:h", longopts, NULL)) != -1) {
		if ((rc = ck_cli_build_option(&opts, c, optarg)) != 0) {
			if (rc < 0)
				return CK_EXIT_USAGE;
		} else if (c == 'p') {
			if (parse_port(&port, optarg) != 0)
				return ck_cli_usage_error(
				    "serve",
				    "--port: '%s' is not a port "
				    "(0 to 65535)",
				    optarg);
		} else if (c == 'b') {
			bind = optarg;
		} else if (c == 'h') {
			help(stdout);
			return CK_EXIT_OK;
		} else {
			return ck_cli_bad_option("serve", c, argv);
		}
	}
	if ((rc = ck_cli_build_args_end("serve", argc, argv, &opts)) != 0)
		return rc;
	if (parse_bind(&addr, bind, port) != 0)
		return ck_cli_usage_error(
		    "serve", "--bind: '%s' is not an IPv4 or IPv6 address",
		    bind);
	if ((rc = ck_cli_build_defaults(&opts)) != 0)
		return rc;
	if (stat(opts.content_dir, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
	    stat(opts.theme_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "congkhai serve: %s: no such folder\n",
		        stat(opts.content_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)
		            ? opts.content_dir
		            : opts.theme_dir);
		return CK_EXIT_USAGE;
	}

	/* SIGINT and SIGTERM come through sigfd, for every thread: the
	 * server's and the renderers' threads inherit the mask. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	if (pthread_sigmask(SIG_BLOCK, &sigs, NULL) != 0 ||
	    (sigfd = signalfd(-1, &sigs, SFD_CLOEXEC)) < 0) {
		warn("signalfd");
		return CK_EXIT_IO;
	}
	signal(SIGPIPE, SIG_IGN);

	tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/congkhai-serve-XXXXXX",
	                     tmpdir) >= sizeof(tmp) ||
	    !mkdtemp(tmp) || !realpath(tmp, root)) {
		warn("%s", tmp);
		close(sigfd);
		return CK_EXIT_IO;
	}
	strcat(root, "/site");
	st.root = root;

	rc = CK_EXIT_OK;
	dirs[0] = opts.content_dir;
	dirs[1] = opts.theme_dir;
	if (ck_serve_watch_new(&w, dirs, 2) != 0) {
		rc = CK_EXIT_IO;
		goto done;
	}
	switch (rebuild(&st, &opts)) {
	case -2:
		rc = CK_EXIT_USAGE;
		goto done;
	case -3:
		rc = CK_EXIT_IO;
		goto done;
	}
	if (ck_serve_http_start(&h, &bound, &st,
	                        (const struct sockaddr *)&addr) != 0) {
		fprintf(stderr, "congkhai serve: cannot listen on %s port %u\n",
		        bind, port);
		rc = CK_EXIT_IO;
		goto done;
	}
	printf(strchr(bind, ':') ? "congkhai serve: http://[%s]:%u/"
	                         : "congkhai serve: http://%s:%u/",
	       bind, bound);
	printf(" (built into %s; Ctrl-C stops)\n", root);
	fflush(stdout);
	watch_loop(&st, &opts, w, sigfd);
	fprintf(stderr, "congkhai serve: stopping\n");

done:
	ck_serve_http_stop(h);
	ck_serve_watch_free(w);
	close(sigfd);
	nftw(tmp, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(st.errors);
	return rc;
}
