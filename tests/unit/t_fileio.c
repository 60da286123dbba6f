/* Whole-file reads and writes (fileio.c) on real files: round trips of
 * sizes around the read chunk, exclusive creation, a partly written file
 * removed, the folders above a path made or refused, and files read a
 * window at a time. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "fileio.h"
#include "harness.h"
#include "hash.h"

static char top[] = "/tmp/ck-fileio-XXXXXX";

static char *
at(const char *rel)
{
	static char path[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(path[k], sizeof(path[k]), "%s/%s", top, rel);
	return path[k];
}

static int
read_back(ck_buf *out, const char *path)
{
	return ck_fd_slurp(out, open(path, O_RDONLY));
}

static void
test_round_trips(void)
{
	/* Around the 64 KiB read chunk, and empty. */
	static const size_t sizes[] = {0, 1, 65535, 65536, 65537, 300000};
	ck_buf data = CK_BUF_INIT, got = CK_BUF_INIT;
	size_t i, j;

	for (i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		ck_buf_clear(&data);
		ck_buf_clear(&got);
		for (j = 0; j < sizes[i]; j++)
			ck_buf_putc(&data, (int)(j * 7 % 251));
		CHECK_INT(ck_file_write(at("f"), data.ptr, data.size, false),
		          0);
		CHECK_INT(read_back(&got, at("f")), 0);
		CHECK(got.size == data.size &&
		      memcmp(got.ptr, data.ptr, data.size) == 0);
	}
	/* A failed open: -1 and the open's errno. */
	errno = 0;
	CHECK_INT(read_back(&got, at("none")), -1);
	CHECK_INT(errno, ENOENT);
	/* Truncating: a shorter file after a longer one. */
	CHECK_INT(ck_file_write(at("f"), "abc", 3, false), 0);
	ck_buf_clear(&got);
	CHECK_INT(read_back(&got, at("f")), 0);
	CHECK_STR(got.ptr, "abc");
	ck_buf_free(&data);
	ck_buf_free(&got);
}

/*
 * ck_fd_read_all appends, from a regular file (whose size it goes by) and
 * from a pipe (which has none), across many reads.
 */
static void
test_read_all(void)
{
	ck_buf data = CK_BUF_INIT, got = CK_BUF_INIT;
	size_t j, total = 0;
	ssize_t n;
	int fd, p[2];

	for (j = 0; j < 1000000; j++)
		ck_buf_putc(&data, (int)('a' + j % 26));
	CHECK_INT(ck_file_write(at("big"), data.ptr, data.size, false), 0);
	ck_buf_puts(&got, "head:");
	CHECK_INT(read_back(&got, at("big")), 0);
	CHECK(got.size == 5 + data.size && memcmp(got.ptr, "head:", 5) == 0 &&
	      memcmp(got.ptr + 5, data.ptr, data.size) == 0);
	CHECK(got.ptr[got.size] == '\0');

	/* A pipe: no size to go by. */
	CHECK_INT(pipe(p), 0);
	if (fork() == 0) {
		close(p[0]);
		while (total < data.size &&
		       (n = write(p[1], data.ptr + total,
		                  data.size - total > 70001
		                      ? 70001
		                      : data.size - total)) > 0)
			total += (size_t)n;
		_exit(0);
	}
	close(p[1]);
	ck_buf_clear(&got);
	fd = p[0];
	CHECK_INT(ck_fd_slurp(&got, fd), 0);
	CHECK(got.size == data.size &&
	      memcmp(got.ptr, data.ptr, data.size) == 0);
	CHECK(got.ptr[got.size] == '\0');
	wait(NULL);
	ck_buf_free(&data);
	ck_buf_free(&got);
}

static void
test_exclusive(void)
{
	ck_buf got = CK_BUF_INIT;

	CHECK_INT(ck_file_write(at("x"), "one", 3, true), 0);
	fprintf(stderr, "(a warning about %s is expected)\n", at("x"));
	CHECK_INT(ck_file_write(at("x"), "two", 3, true), -1);
	CHECK_INT(read_back(&got, at("x")), 0);
	CHECK_STR(got.ptr, "one"); /* the existing file is left alone */
	ck_buf_free(&got);
}

/* A write that fails midway (a real file-size limit: EFBIG) leaves no
 * partial file behind. */
static void
test_partial_write_removed(void)
{
	struct rlimit old, lim;
	ck_buf data = CK_BUF_INIT;
	struct stat st;
	size_t j;

	for (j = 0; j < 200000; j++)
		ck_buf_putc(&data, 'a');
	CHECK_INT(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 100000;
	signal(SIGXFSZ, SIG_IGN);
	CHECK_INT(setrlimit(RLIMIT_FSIZE, &lim), 0);
	fprintf(stderr, "(a warning about %s is expected)\n", at("big"));
	CHECK_INT(ck_file_write(at("big"), data.ptr, data.size, false), -1);
	CHECK_INT(setrlimit(RLIMIT_FSIZE, &old), 0);
	CHECK(lstat(at("big"), &st) != 0 && errno == ENOENT);
	ck_buf_free(&data);
}

static void
test_make_parents(void)
{
	ck_buf failed = CK_BUF_INIT;
	struct stat st;
	char root[600];

	CHECK_INT(ck_file_make_parents(top, "a/b/c/page.html", NULL), 0);
	CHECK(stat(at("a/b/c"), &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(stat(at("a/b/c/page.html"), &st) != 0);
	/* Again: existing folders are fine. Root with a trailing slash. */
	snprintf(root, sizeof(root), "%s/", top);
	CHECK_INT(ck_file_make_parents(root, "a/b/d/x", NULL), 0);
	CHECK(stat(at("a/b/d"), &st) == 0 && S_ISDIR(st.st_mode));
	/* No folder part: nothing to make. */
	CHECK_INT(ck_file_make_parents(top, "top.html", NULL), 0);
	/* A file where a folder must go: refused, naming the folder that
	 * could not be made below it. */
	CHECK_INT(ck_file_write(at("file"), "x", 1, false), 0);
	CHECK_INT(ck_file_make_parents(top, "file/sub/page.html", &failed), -1);
	CHECK_INT(errno, ENOTDIR);
	CHECK_STR(failed.ptr, at("file/sub"));
	ck_buf_free(&failed);
}

/* A cache file replaced whole, its folders made, nothing left beside it. */
static void
test_replace(void)
{
	ck_buf got = CK_BUF_INIT, tmp = CK_BUF_INIT;
	struct stat st;
	ino_t first;

	CHECK_INT(ck_file_replace(at("cache/deep/memo"), "one", 3), 0);
	CHECK_INT(ck_fd_slurp(&got, open(at("cache/deep/memo"), O_RDONLY)), 0);
	CHECK_STR(got.ptr, "one");
	CHECK_INT(stat(at("cache/deep/memo"), &st), 0);
	first = st.st_ino;
	/* Replaced by a rename: another inode, the new bytes, no temporary. */
	CHECK_INT(ck_file_replace(at("cache/deep/memo"), "two!", 4), 0);
	ck_buf_clear(&got);
	CHECK_INT(ck_fd_slurp(&got, open(at("cache/deep/memo"), O_RDONLY)), 0);
	CHECK_STR(got.ptr, "two!");
	CHECK(stat(at("cache/deep/memo"), &st) == 0 && st.st_ino != first);
	ck_buf_printf(&tmp, "%s.%ld", at("cache/deep/memo"), (long)getpid());
	CHECK(lstat(tmp.ptr, &st) != 0 && errno == ENOENT);
	/* A relative path, or a file where a folder must go: -1, nothing
	 * made. */
	CHECK_INT(ck_file_replace("relative/memo", "x", 1), -1);
	CHECK_INT(ck_file_replace(at("cache/deep/memo/under"), "x", 1), -1);
	ck_buf_free(&got);
	ck_buf_free(&tmp);
}

/* Collects the windows given to it, and their sizes; stops at stop_after. */
struct windows {
	ck_buf all;
	size_t n, largest, stop_after;
};

static int
collect(void *arg, const void *bytes, size_t n)
{
	struct windows *w = arg;

	ck_buf_put(&w->all, bytes, n);
	if (n > w->largest)
		w->largest = n;
	return ++w->n == w->stop_after ? 7 : 0;
}

/* A file read a window at a time, and copied from one file to another. */
static void
test_windows(void)
{
	/* Empty, one byte, a window, a window and a byte, several. */
	static const size_t sizes[] = {0, 1, CK_FD_WINDOW, CK_FD_WINDOW + 1,
	                               2 * CK_FD_WINDOW + 12345};
	ck_buf data = CK_BUF_INIT, got = CK_BUF_INIT;
	struct windows w;
	size_t i, j;
	int fd;

	for (i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		ck_buf_clear(&data);
		for (j = 0; j < sizes[i]; j++)
			ck_buf_putc(&data, (int)(j * 13 % 253));
		CHECK_INT(ck_file_write(at("src"), data.ptr, data.size, false),
		          0);
		fd = open(at("src"), O_RDONLY);
		CHECK(fd >= 0);
		memset(&w, 0, sizeof(w));
		ck_buf_init(&w.all);
		CHECK_INT(ck_fd_each_window(fd, data.size, collect, &w), 0);
		CHECK(w.all.size == data.size &&
		      memcmp(w.all.ptr, data.ptr, data.size) == 0);
		CHECK_INT(w.n, (data.size + CK_FD_WINDOW - 1) / CK_FD_WINDOW);
		CHECK(w.largest <= CK_FD_WINDOW);
		/* Hashed a window at a time: the one-shot hash. */
		{
			uint64_t h1[2], h2[2];

			ck_hash128(h1, data.ptr, data.size);
			CHECK_INT(ck_fd_hash128(h2, fd, data.size), 0);
			CHECK(h1[0] == h2[0] && h1[1] == h2[1]);
		}
		/* The same bytes into a new file; the source's offset is
		 * not used (pread), so a second copy is whole too. */
		unlink(at("copy"));
		CHECK_INT(ck_file_write_fd(at("copy"), fd, data.size, true), 0);
		ck_buf_clear(&got);
		CHECK_INT(read_back(&got, at("copy")), 0);
		CHECK(got.size == data.size &&
		      memcmp(got.ptr, data.ptr, data.size) == 0);
		CHECK_INT(ck_file_write_fd(at("copy"), fd, data.size, false),
		          0);
		ck_buf_clear(&got);
		CHECK_INT(read_back(&got, at("copy")), 0);
		CHECK(got.size == data.size);
		close(fd);
		ck_buf_free(&w.all);
	}
	/* A callback's nonzero result stops the reading and is returned. */
	fd = open(at("src"), O_RDONLY);
	memset(&w, 0, sizeof(w));
	ck_buf_init(&w.all);
	w.stop_after = 2;
	CHECK_INT(ck_fd_each_window(fd, data.size, collect, &w), 7);
	CHECK_INT(w.n, 2);
	/* A file shorter than said: -1 and EIO; the copy is removed. */
	errno = 0;
	CHECK_INT(ck_fd_each_window(fd, data.size + 10, collect, &w), -1);
	CHECK_INT(errno, EIO);
	unlink(at("copy"));
	fprintf(stderr, "(a warning about %s is expected)\n", at("copy"));
	CHECK_INT(ck_file_write_fd(at("copy"), fd, data.size + 10, true), -1);
	CHECK(access(at("copy"), F_OK) != 0);
	close(fd);
	{
		uint64_t h[2];

		CHECK_INT(ck_fd_hash128(h, -1, 10), -1);
	}
	/* Not a readable descriptor: -1. */
	CHECK_INT(ck_fd_each_window(-1, 10, collect, &w), -1);
	CHECK_INT(errno, EBADF);
	ck_buf_free(&w.all);
	ck_buf_free(&data);
	ck_buf_free(&got);
}

/* Reads at an offset: exact, across windows, leaving fd's own offset. */
static void
test_read_at(void)
{
	const size_t size = 2 * CK_FD_WINDOW + 777;
	/* From the start, inside, across a window's edge, to the end. */
	static const uint64_t offs[] = {0, 5, CK_FD_WINDOW - 3,
	                                2 * CK_FD_WINDOW};
	ck_buf data = CK_BUF_INIT;
	struct windows w;
	char small[64];
	size_t i, j, n;
	int fd;

	for (j = 0; j < size; j++)
		ck_buf_putc(&data, (int)(j * 7 % 251));
	CHECK_INT(ck_file_write(at("at"), data.ptr, data.size, false), 0);
	fd = open(at("at"), O_RDONLY);
	CHECK(fd >= 0);
	CHECK_INT(lseek(fd, 100, SEEK_SET), 100);
	for (i = 0; i < sizeof(offs) / sizeof(*offs); i++) {
		n = size - offs[i] < sizeof(small) ? size - offs[i]
		                                   : sizeof(small);
		CHECK_INT(ck_fd_read_at(fd, small, n, offs[i]), 0);
		CHECK(memcmp(small, data.ptr + offs[i], n) == 0);
		/* The rest of the file from there, a window at a time. */
		memset(&w, 0, sizeof(w));
		ck_buf_init(&w.all);
		CHECK_INT(ck_fd_each_window_at(fd, offs[i], size - offs[i],
		                               collect, &w),
		          0);
		CHECK(w.all.size == size - offs[i] &&
		      memcmp(w.all.ptr, data.ptr + offs[i], w.all.size) == 0);
		CHECK(w.largest <= CK_FD_WINDOW);
		ck_buf_free(&w.all);
	}
	CHECK_INT(lseek(fd, 0, SEEK_CUR), 100);
	/* Nothing to read: nothing called. */
	memset(&w, 0, sizeof(w));
	ck_buf_init(&w.all);
	CHECK_INT(ck_fd_each_window_at(fd, size, 0, collect, &w), 0);
	CHECK_INT(w.n, 0);
	/* Past the end, or ending past it: -1 and EIO. */
	errno = 0;
	CHECK_INT(ck_fd_read_at(fd, small, 2, size - 1), -1);
	CHECK_INT(errno, EIO);
	errno = 0;
	CHECK_INT(ck_fd_read_at(fd, small, 1, size + 10), -1);
	CHECK_INT(errno, EIO);
	errno = 0;
	CHECK_INT(ck_fd_each_window_at(fd, 5, size, collect, &w), -1);
	CHECK_INT(errno, EIO);
	close(fd);
	CHECK_INT(ck_fd_read_at(-1, small, 1, 0), -1);
	CHECK_INT(errno, EBADF);
	ck_buf_free(&w.all);
	ck_buf_free(&data);
}

/* The cache folder: XDG_CACHE_HOME's when absolute, else HOME's. */
static void
test_cache_dir(void)
{
	ck_buf b = CK_BUF_INIT;
	uint64_t a[2], c[2];

	setenv("XDG_CACHE_HOME", "/x/cache", 1);
	setenv("HOME", "/home/u", 1);
	CHECK_INT(ck_cache_dir(&b), 0);
	CHECK_STR(b.ptr, "/x/cache/congkhai");
	setenv("XDG_CACHE_HOME", "relative", 1);
	CHECK_INT(ck_cache_dir(&b), 0);
	CHECK_STR(b.ptr, "/home/u/.cache/congkhai");
	unsetenv("XDG_CACHE_HOME");
	setenv("HOME", "", 1);
	CHECK_INT(ck_cache_dir(&b), -1);
	CHECK_STR(b.ptr, "");
	ck_buf_free(&b);
	/* The program's bytes: read once, the same each time. */
	CHECK_INT(ck_program_fingerprint(a), 0);
	CHECK_INT(ck_program_fingerprint(c), 0);
	CHECK(a[0] == c[0] && a[1] == c[1] && (a[0] | a[1]) != 0);
}

int
main(void)
{
	char cmd[600];

	if (mkdtemp(top) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_round_trips();
	test_read_all();
	test_exclusive();
	test_partial_write_removed();
	test_make_parents();
	test_replace();
	test_read_at();
	test_cache_dir();
	test_windows();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (system(cmd) != 0)
		ck_t_failed++;
	return ck_t_done("t_fileio");
}
