/*
 * The preview's HTTP server (libmicrohttpd, a pool of threads): files of
 * the built folder by URL, with the Content-Type their extension says; a
 * folder's URL serves its index.html. A path that leaves the folder (a ".."
 * part, however encoded, or a symbolic link resolving outside) is refused.
 * HTML responses get a small script that polls CK_SERVE_VERSION_PATH and
 * reloads the page after a rebuild; the files on disk stay as built. While
 * the last build has errors, pages show them instead (assets are served
 * from the last good build).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>

#include "buf.h"
#include "fileio.h"
#include "serve.h"

struct ck_serve_http {
	struct MHD_Daemon *daemon;
	ck_serve_state *st;
};

static const struct {
	const char *ext, *type;
} content_types[] = {
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"json", "application/json"},
    {"csv", "text/csv; charset=utf-8"},
    {"txt", "text/plain; charset=utf-8"},
    {"md", "text/markdown; charset=utf-8"},
    {"xml", "application/xml"},
    {"ics", "text/calendar; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"avif", "image/avif"},
    {"ico", "image/vnd.microsoft.icon"},
    {"pdf", "application/pdf"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"webmanifest", "application/manifest+json"},
};

static const char *
content_type(const char *path)
{
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
	size_t i;

	if (dot && (!slash || dot > slash))
		for (i = 0; i < sizeof(content_types) / sizeof(*content_types);
		     i++)
			if (strcasecmp(dot + 1, content_types[i].ext) == 0)
				return content_types[i].type;
	return "application/octet-stream";
}

static bool
is_html(const char *type)
{
	return strncmp(type, "text/html", 9) == 0;
}

/* The script HTML responses carry: reload when the version moves on. */
static void
put_reload_script(ck_buf *b, unsigned long version)
{
	ck_buf_printf(
	    b,
	    "<script>/* congkhai serve: reloads after a rebuild (preview "
	    "only) */\n(function(){var v=%lu;function p(){fetch(\"%s\","
	    "{cache:\"no-store\"}).then(function(r){return r.json()})"
	    ".then(function(j){if(j.version!==v)location.reload();"
	    "else setTimeout(p,300)}).catch(function(){setTimeout(p,1000)})}"
	    "setTimeout(p,300)})();</script>\n",
	    version, CK_SERVE_VERSION_PATH);
}

/* html with the script put before its last </body> (or at the end). */
static void
inject(ck_buf *out, const char *html, size_t len, unsigned long version)
{
	size_t at = len, i;

	for (i = len; i >= 7; i--)
		if (strncasecmp(html + i - 7, "</body>", 7) == 0) {
			at = i - 7;
			break;
		}
	ck_buf_put(out, html, at);
	put_reload_script(out, version);
	ck_buf_put(out, html + at, len - at);
}

static void
put_error_page(ck_buf *b, const char *errors, unsigned long version)
{
	ck_buf_puts(
	    b,
	    "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta "
	    "charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n"
	    "<title>Lỗi trong hồ sơ – congkhai serve</title>\n<style>\n"
	    "body{margin:0;font:1rem/1.6 system-ui,-apple-system,\"Segoe "
	    "UI\",Roboto,\"Noto Sans\",Arial,sans-serif;color:#1b1f24;"
	    "background:#fff}\nmain{max-width:60rem;margin:0 auto;"
	    "padding:1rem}\nh1{color:#b3261e;line-height:1.3}\n"
	    "pre{background:#fdecea;border-left:4px solid #b3261e;"
	    "padding:.75rem;overflow-x:auto;white-space:pre-wrap;"
	    "overflow-wrap:anywhere;font-size:.9rem}\n</style>\n</head>\n"
	    "<body>\n<main>\n<h1>Chưa dựng được trang: có lỗi trong hồ "
	    "sơ</h1>\n<p>Sửa các lỗi dưới đây (tệp:dòng:cột) rồi lưu lại; "
	    "trang sẽ tự tải lại. <span lang=\"en\">The build failed: fix "
	    "these errors and save; this page reloads by itself.</span></p>\n"
	    "<pre>");
	ck_buf_put_html(b, errors, strlen(errors));
	ck_buf_puts(b, "</pre>\n</main>\n");
	put_reload_script(b, version);
	ck_buf_puts(b, "</body>\n</html>\n");
}

static enum MHD_Result
queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r,
      const char *type)
{
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	if (type)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	/* A preview changes under the browser: never cache it. */
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Queues b's bytes (the buffer is emptied: the response takes them). */
static enum MHD_Result
queue_buf(struct MHD_Connection *c, unsigned status, ck_buf *b,
          const char *type)
{
	size_t len = b->size;
	char *data = ck_buf_detach(b);

	return queue(
	    c, status,
	    MHD_create_response_from_buffer_with_free_callback(len, data, free),
	    type);
}

static enum MHD_Result
queue_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	ck_buf b = CK_BUF_INIT;

	ck_buf_puts(&b, text);
	return queue_buf(c, status, &b, "text/plain; charset=utf-8");
}

/* The URL's path percent-encoded again, for a Location header. */
static void
put_url_path(ck_buf *b, const char *path)
{
	const unsigned char *p;

	for (p = (const unsigned char *)path; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			ck_buf_putc(b, *p);
		else
			ck_buf_printf(b, "%%%02X", *p);
}

/*
 * Where url leads in the folder root: 0 with *file its real path (a
 * regular file), 1 when it is a folder whose URL lacks the final '/',
 * 403 when it leaves the folder, 404 when there is nothing there.
 */
static int
resolve(ck_buf *file, const char *root, const char *url)
{
	char real[PATH_MAX];
	const char *seg, *end;
	size_t rootlen = strlen(root);
	struct stat st;
	ck_buf p = CK_BUF_INIT;
	int rc = 404;

	/* The URL comes percent-decoded ("%2e%2e" and "%2f" included). */
	if (url[0] != '/')
		return 403;
	for (seg = url + 1;; seg = end + 1) {
		end = strchr(seg, '/');
		if (!end)
			end = seg + strlen(seg);
		if ((end - seg == 1 && seg[0] == '.') ||
		    (end - seg == 2 && seg[0] == '.' && seg[1] == '.'))
			return 403;
		if (*end == '\0')
			break;
	}
	ck_buf_printf(&p, "%s%s", root, url);
	if (!realpath(p.ptr, real))
		goto done;
	/* Symbolic links are followed, but never out of the folder. */
	if (strncmp(real, root, rootlen) != 0 ||
	    (real[rootlen] != '/' && real[rootlen] != '\0')) {
		rc = 403;
		goto done;
	}
	if (stat(real, &st) != 0)
		goto done;
	if (S_ISDIR(st.st_mode)) {
		if (url[strlen(url) - 1] != '/') {
			rc = 1;
			goto done;
		}
		ck_buf_clear(&p);
		ck_buf_printf(&p, "%s/index.html", real);
		if (!realpath(p.ptr, real))
			goto done;
		if (strncmp(real, root, rootlen) != 0 || real[rootlen] != '/') {
			rc = 403;
			goto done;
		}
		if (stat(real, &st) != 0)
			goto done;
	}
	if (!S_ISREG(st.st_mode))
		goto done;
	ck_buf_clear(file);
	ck_buf_puts(file, real);
	rc = 0;
done:
	ck_buf_free(&p);
	return rc;
}

/* Reads a state's version and (a copy of) its errors, under its lock. */
static unsigned long
snapshot(ck_serve_state *st, char **errors)
{
	unsigned long v;

	pthread_mutex_lock(&st->lock);
	v = st->version;
	*errors = st->errors ? strdup(st->errors) : NULL;
	if (st->errors && !*errors)
		err(3, NULL);
	pthread_mutex_unlock(&st->lock);
	return v;
}

static enum MHD_Result
serve_file(struct MHD_Connection *c, unsigned status, const char *path,
           unsigned long version)
{
	const char *type = content_type(path);
	ck_buf body = CK_BUF_INIT, page = CK_BUF_INIT;
	struct stat st;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return queue_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
	}
	if (!is_html(type))
		return queue(
		    c, status,
		    MHD_create_response_from_fd((uint64_t)st.st_size, fd),
		    type);
	if (ck_fd_slurp(&body, fd) != 0) {
		ck_buf_free(&body);
		return queue_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
		                  "cannot read the page\n");
	}
	inject(&page, body.ptr, body.size, version);
	ck_buf_free(&body);
	return queue_buf(c, status, &page, type);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
           const char *method, const char *http_version,
           const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	ck_serve_http *h = cls;
	ck_buf b = CK_BUF_INIT, file = CK_BUF_INIT;
	unsigned long version;
	enum MHD_Result ret;
	char *errors = NULL;
	int where;

	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return queue_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		                  "only GET and HEAD\n");
	version = snapshot(h->st, &errors);
	if (strcmp(url, CK_SERVE_VERSION_PATH) == 0) {
		ck_buf_printf(&b, "{\"version\":%lu,\"ok\":%s}\n", version,
		              errors ? "false" : "true");
		ret = queue_buf(c, MHD_HTTP_OK, &b, "application/json");
		goto done;
	}
	where = resolve(&file, h->st->root, url);
	if (where == 1) {
		struct MHD_Response *r = MHD_create_response_from_buffer(
		    0, "", MHD_RESPMEM_PERSISTENT);
		put_url_path(&b, url);
		ck_buf_putc(&b, '/');
		if (r)
			MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION,
			                        b.ptr);
		ret = queue(c, MHD_HTTP_MOVED_PERMANENTLY, r, NULL);
	} else if (where == 403) {
		ret = queue_text(c, MHD_HTTP_FORBIDDEN,
		                 "forbidden: outside the site\n");
	} else if (errors && (where != 0 || is_html(content_type(file.ptr)))) {
		put_error_page(&b, errors, version);
		ret = queue_buf(c, MHD_HTTP_INTERNAL_SERVER_ERROR, &b,
		                "text/html; charset=utf-8");
	} else if (where == 0) {
		ret = serve_file(c, MHD_HTTP_OK, file.ptr, version);
	} else if (resolve(&file, h->st->root, "/404.html") == 0) {
		ret = serve_file(c, MHD_HTTP_NOT_FOUND, file.ptr, version);
	} else {
		ret = queue_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
	}
done:
	free(errors);
	ck_buf_free(&b);
	ck_buf_free(&file);
	return ret;
}

int
ck_serve_http_start(ck_serve_http **out, unsigned *port, ck_serve_state *st,
                    const struct sockaddr *addr)
{
	const union MHD_DaemonInfo *info;
	ck_serve_http *h;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG;

	*out = NULL;
	if (!(h = calloc(1, sizeof(*h))))
		err(3, NULL);
	h->st = st;
	if (addr->sa_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	h->daemon = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, h, MHD_OPTION_SOCK_ADDR, addr,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)4,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)512, MHD_OPTION_END);
	if (!h->daemon) {
		free(h);
		return -1;
	}
	info = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
	*port = info ? info->port : 0;
	*out = h;
	return 0;
}

void
ck_serve_http_stop(ck_serve_http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->daemon);
	free(h);
}
