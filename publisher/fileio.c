#include "fileio.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
ck_fd_read_all(ck_buf *out, int fd)
{
	char chunk[65536];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		ck_buf_put(out, chunk, (size_t)n);
	}
	return 0;
}

int
ck_fd_slurp(ck_buf *out, int fd)
{
	int rc, e;

	if (fd < 0)
		return -1;
	rc = ck_fd_read_all(out, fd);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

int
ck_fd_read_exact(int fd, void *buf, size_t len)
{
	char *at = buf;
	ssize_t n;

	while (len > 0) {
		n = read(fd, at, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		at += n;
		len -= (size_t)n;
	}
	return 0;
}

int
ck_fd_write_all(int fd, const void *data, size_t len)
{
	const char *at = data;
	ssize_t n;

	while (len > 0) {
		n = write(fd, at, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		at += n;
		len -= (size_t)n;
	}
	return 0;
}

int
ck_file_write(const char *path, const void *data, size_t len, bool exclusive)
{
	int flags =
	    O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC);
	int fd = open(path, flags, 0644), e;

	if (fd < 0) {
		warn("%s", path);
		return -1;
	}
	if (ck_fd_write_all(fd, data, len) != 0) {
		e = errno;
		close(fd);
		unlink(path);
		errno = e;
		warn("%s", path);
		return -1;
	}
	/* close reports what a full disk or a quota deferred (NFS). */
	if (close(fd) != 0) {
		warn("%s", path);
		unlink(path);
		return -1;
	}
	return 0;
}

int
ck_file_make_parents(const char *root, const char *rel, ck_buf *failed)
{
	ck_buf dir = CK_BUF_INIT;
	const char *slash;
	size_t rootlen = strlen(root);
	const char *sep = rootlen > 0 && root[rootlen - 1] == '/' ? "" : "/";
	int rc = 0, e = 0;

	for (slash = strchr(rel, '/'); slash; slash = strchr(slash + 1, '/')) {
		ck_buf_clear(&dir);
		ck_buf_printf(&dir, "%s%s%.*s", root, sep, (int)(slash - rel),
		              rel);
		if (mkdir(dir.ptr, 0755) != 0 && errno != EEXIST) {
			e = errno;
			if (failed) {
				ck_buf_clear(failed);
				ck_buf_puts(failed, dir.ptr);
			}
			rc = -1;
			break;
		}
	}
	ck_buf_free(&dir);
	if (rc != 0)
		errno = e;
	return rc;
}
