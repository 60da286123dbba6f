/*
 * The preview's watcher: inotify on every folder of the content and the
 * theme. inotify is not recursive, so each folder gets a watch of its own,
 * and a folder created (or moved in) later is walked and watched as soon as
 * its event arrives; files made in it before that are still built, since
 * the rebuild comes after the debounce that follows the event.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "serve.h"

#define WATCH_MASK                                                             \
	(IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_DELETE |      \
	 IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF |         \
	 IN_DONT_FOLLOW | IN_ONLYDIR)

struct watched {
	int wd;
	char *path;
};

struct ck_serve_watch {
	int fd;
	struct watched *v;
	size_t len, cap;
	const char *const *roots; /* the caller's, walked again on overflow */
	size_t nroots;
	bool full_warned; /* the ENOSPC warning is given once */
};

static const char *
path_of(const ck_serve_watch *w, int wd)
{
	size_t i;

	for (i = 0; i < w->len; i++)
		if (w->v[i].wd == wd)
			return w->v[i].path;
	return NULL;
}

static void
forget(ck_serve_watch *w, int wd)
{
	size_t i;

	for (i = 0; i < w->len; i++)
		if (w->v[i].wd == wd) {
			free(w->v[i].path);
			w->v[i] = w->v[--w->len];
			return;
		}
}

/* Watches path and the folders below it; a folder that vanished meanwhile
 * is skipped. Returns -1 only when the first one cannot be watched. */
static int
add_tree(ck_serve_watch *w, const char *path)
{
	ck_buf child = CK_BUF_INIT;
	struct dirent *e;
	DIR *dir;
	int wd;

	if ((wd = inotify_add_watch(w->fd, path, WATCH_MASK)) < 0) {
		if (errno == ENOSPC && !w->full_warned) {
			w->full_warned = true;
			warnx("%s: too many folders to watch; raise "
			      "fs.inotify.max_user_watches",
			      path);
		}
		return -1;
	}
	if (path_of(w, wd) == NULL) {
		if (w->len == w->cap) {
			w->cap = w->cap ? 2 * w->cap : 64;
			if (!(w->v = realloc(w->v, w->cap * sizeof(*w->v))))
				err(3, NULL);
		}
		if (!(w->v[w->len].path = strdup(path)))
			err(3, NULL);
		w->v[w->len++].wd = wd;
	}
	if (!(dir = opendir(path)))
		return 0;
	while ((e = readdir(dir))) {
		if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN)
			continue;
		if (strcmp(e->d_name, ".") == 0 ||
		    strcmp(e->d_name, "..") == 0 ||
		    strcmp(e->d_name, ".git") == 0)
			continue;
		ck_buf_clear(&child);
		ck_buf_printf(&child, "%s/%s", path, e->d_name);
		if (e->d_type == DT_UNKNOWN) {
			struct stat st;
			if (lstat(child.ptr, &st) != 0 || !S_ISDIR(st.st_mode))
				continue;
		}
		add_tree(w, child.ptr);
	}
	closedir(dir);
	ck_buf_free(&child);
	return 0;
}

int
ck_serve_watch_new(ck_serve_watch **out, const char *const *dirs, size_t n)
{
	ck_serve_watch *w;
	size_t i;

	*out = NULL;
	if (!(w = calloc(1, sizeof(*w))))
		err(3, NULL);
	if ((w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0) {
		warn("inotify");
		free(w);
		return -1;
	}
	w->roots = dirs;
	w->nroots = n;
	for (i = 0; i < n; i++)
		if (add_tree(w, dirs[i]) != 0) {
			if (!w->full_warned)
				warn("%s: cannot watch", dirs[i]);
			ck_serve_watch_free(w);
			return -1;
		}
	*out = w;
	return 0;
}

int
ck_serve_watch_fd(const ck_serve_watch *w)
{
	return w->fd;
}

int
ck_serve_watch_read(ck_serve_watch *w)
{
	char ev[8192]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *e;
	ck_buf child = CK_BUF_INIT;
	const char *parent;
	int changed = 0;
	ssize_t n;
	char *p;

	for (;;) {
		n = read(w->fd, ev, sizeof(ev));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			warn("inotify");
			changed = -1;
			break;
		}
		for (p = ev; p < ev + n; p += sizeof(*e) + e->len) {
			e = (const struct inotify_event *)p;
			if (e->mask & IN_IGNORED) {
				forget(w, e->wd);
				continue;
			}
			/* A lost event may have been anything: rebuild. */
			if (changed == 0)
				changed = 1;
			if (e->mask & IN_Q_OVERFLOW) {
				/* Folders made meanwhile may be unwatched. */
				size_t i;
				for (i = 0; i < w->nroots; i++)
					add_tree(w, w->roots[i]);
				continue;
			}
			if (!(e->mask & IN_ISDIR) ||
			    !(e->mask & (IN_CREATE | IN_MOVED_TO)) ||
			    e->len == 0 || strcmp(e->name, ".git") == 0 ||
			    !(parent = path_of(w, e->wd)))
				continue;
			ck_buf_clear(&child);
			ck_buf_printf(&child, "%s/%s", parent, e->name);
			add_tree(w, child.ptr);
		}
	}
	ck_buf_free(&child);
	return changed;
}

void
ck_serve_watch_free(ck_serve_watch *w)
{
	size_t i;

	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	for (i = 0; i < w->len; i++)
		free(w->v[i].path);
	free(w->v);
	free(w);
}
