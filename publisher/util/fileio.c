#include "fileio.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"

/*
 * Reads go straight into out, which grows once to a regular file's size
 * (plus a byte, to see the end without another grow): a province's 25 MB
 * manifest was read in 64 KB pieces, each copied, and copied again each
 * time the buffer grew.
 */
int
ck_fd_read_all(ck_buf *out, int fd)
{
	struct stat st;
	size_t room;
	ssize_t n;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size < SIZE_MAX / 4)
		ck_buf_grow(out, (size_t)st.st_size + 1);
	for (;;) {
		if (out->asize == 0 || out->asize - out->size == 1)
			ck_buf_grow(out, 65536);
		room = out->asize - out->size - 1;
		n = read(fd, out->ptr + out->size, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		out->size += (size_t)n;
		out->ptr[out->size] = '\0';
	}
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
ck_fd_read_at(int fd, void *buf, size_t len, uint64_t off)
{
	size_t have = 0;
	ssize_t n;

	while (have < len) {
		n = pread(fd, (char *)buf + have, len - have,
		          (off_t)(off + have));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		have += (size_t)n;
	}
	return 0;
}

int
ck_fd_each_window_at(int fd, uint64_t off, uint64_t len,
                     int (*fn)(void *arg, const void *bytes, size_t n),
                     void *arg)
{
	char *buf;
	uint64_t done = 0;
	size_t n;
	ssize_t got;
	int rc = 0;

	if ((buf = malloc(CK_FD_WINDOW)) == NULL)
		err(3, "malloc");
	while (rc == 0 && done < len) {
		n = len - done < CK_FD_WINDOW ? (size_t)(len - done)
		                              : CK_FD_WINDOW;
		got = pread(fd, buf, n, (off_t)(off + done));
		if (got <= 0) {
			if (got < 0 && errno == EINTR)
				continue;
			if (got == 0)
				errno = EIO; /* the file is shorter than said */
			rc = -1;
			break;
		}
		rc = fn(arg, buf, (size_t)got);
		done += (uint64_t)got;
	}
	free(buf);
	return rc;
}

int
ck_fd_each_window(int fd, size_t len,
                  int (*fn)(void *arg, const void *bytes, size_t n), void *arg)
{
	return ck_fd_each_window_at(fd, 0, len, fn, arg);
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

static int
hash_window(void *st, const void *bytes, size_t n)
{
	ck_hash128_update(st, bytes, n);
	return 0;
}

int
ck_fd_hash128(uint64_t out[2], int fd, size_t len)
{
	ck_hash128_state st;

	ck_hash128_init(&st);
	if (ck_fd_each_window(fd, len, hash_window, &st) != 0)
		return -1;
	ck_hash128_final(&st, out);
	return 0;
}

static int
write_window(void *fd, const void *bytes, size_t n)
{
	return ck_fd_write_all(*(int *)fd, bytes, n);
}

/* ck_file_write of data, or (data NULL) of the first len bytes of src. */
static int
write_file(const char *path, const void *data, int src, size_t len,
           bool exclusive)
{
	int flags =
	    O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC);
	int fd = open(path, flags, 0644), e, r;

	if (fd < 0) {
		warn("%s", path);
		return -1;
	}
	r = data != NULL ? ck_fd_write_all(fd, data, len)
	                 : ck_fd_each_window(src, len, write_window, &fd);
	if (r != 0) {
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
ck_file_write(const char *path, const void *data, size_t len, bool exclusive)
{
	return write_file(path, data != NULL ? data : "", -1, len, exclusive);
}

int
ck_file_write_fd(const char *path, int src, size_t len, bool exclusive)
{
	return write_file(path, NULL, src, len, exclusive);
}

int
ck_file_link_unnamed(const char *path, int fd, size_t len)
{
	char proc[64];
	struct stat st;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (fstat(fd, &st) != 0 || st.st_nlink != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size != len)
		return -1;
	return linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
}

int
ck_file_replace(const char *path, const void *data, size_t len)
{
	ck_buf tmp = CK_BUF_INIT;
	int fd, rc = -1;

	ck_buf_printf(&tmp, "%s.%ld", path, (long)getpid());
	if (path[0] != '/' ||
	    ck_file_make_parents("/", tmp.ptr + 1, NULL) != 0 ||
	    (fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	               0644)) < 0)
		goto done;
	rc = ck_fd_write_all(fd, data, len);
	if (close(fd) != 0 || rc != 0 || rename(tmp.ptr, path) != 0) {
		unlink(tmp.ptr);
		rc = -1;
	}
done:
	ck_buf_free(&tmp);
	return rc;
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

int
ck_cache_dir(ck_buf *out)
{
	const char *cache = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	ck_buf_clear(out);
	if (cache != NULL && cache[0] == '/')
		ck_buf_printf(out, "%s/congkhai", cache);
	else if (home != NULL && home[0] == '/')
		ck_buf_printf(out, "%s/.cache/congkhai", home);
	return out->size > 0 ? 0 : -1;
}

static pthread_once_t program_once = PTHREAD_ONCE_INIT;
static uint64_t program_fp[2];
static int program_rc = -1;

static void
read_program_fingerprint(void)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    ck_fd_hash128(program_fp, fd, (size_t)st.st_size) == 0)
		program_rc = 0;
	close(fd);
}

int
ck_program_fingerprint(uint64_t out[2])
{
	pthread_once(&program_once, read_program_fingerprint);
	out[0] = program_fp[0];
	out[1] = program_fp[1];
	return program_rc;
}
