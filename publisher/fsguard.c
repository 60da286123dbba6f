/* Reading only what lies inside the folder being published. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsguard.h"

char *
ck_fs_root(const char *root)
{
	return realpath(root, NULL);
}

bool
ck_fs_inside(const char *real, const char *root_real)
{
	size_t n = strlen(root_real);

	/* "/" contains everything; otherwise stop at a '/' boundary so that
	 * /srv/content-old is not inside /srv/content. */
	if (n == 1 && root_real[0] == '/')
		return real[0] == '/';
	return strncmp(real, root_real, n) == 0 &&
	       (real[n] == '/' || real[n] == '\0');
}

int
ck_fs_check(ck_fs_kind *kind, struct stat *st_out, ck_buf *why,
            const char *path, const char *root_real, const char *root_name)
{
	struct stat st;
	char *real = NULL;
	int rc = -1;

	*kind = CK_FS_REFUSED;
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR) {
			*kind = CK_FS_MISSING;
			return 0;
		}
		ck_buf_printf(why, "cannot read: %s", strerror(errno));
		return -3;
	}
	if (S_ISLNK(st.st_mode)) {
		if ((real = realpath(path, NULL)) == NULL) {
			if (errno == ELOOP)
				ck_buf_puts(why, "symbolic link loop (links "
				                 "that lead back to each "
				                 "other): congkhai reads only "
				                 "files and folders inside the "
				                 "");
			else if (errno == ENOENT || errno == ENOTDIR)
				ck_buf_puts(why, "symbolic link to nothing "
				                 "inside the ");
			else {
				ck_buf_printf(why, "cannot read: %s",
				              strerror(errno));
				rc = -3;
				goto done;
			}
			ck_buf_puts(why, root_name);
			goto done;
		}
		if (!ck_fs_inside(real, root_real)) {
			ck_buf_printf(why,
			              "symbolic link to '%s', outside the %s: "
			              "congkhai reads only what is inside it",
			              real, root_name);
			goto done;
		}
		if (stat(real, &st) != 0) {
			ck_buf_printf(why, "cannot read: %s", strerror(errno));
			rc = -3;
			goto done;
		}
	}
	if (S_ISDIR(st.st_mode)) {
		*kind = CK_FS_DIR;
	} else if (S_ISREG(st.st_mode)) {
		*kind = CK_FS_FILE;
	} else {
		ck_buf_puts(why, "not a regular file or folder (a FIFO, device "
		                 "or socket): congkhai does not read it");
		goto done;
	}
	if (st_out)
		*st_out = st;
	rc = 0;
done:
	free(real);
	return rc;
}

int
ck_fs_open_regular(const char *path)
{
	struct stat st;
	int fd, e;

	/* O_NONBLOCK: a FIFO put in place after the check must not hang the
	 * run; it is then refused below like any non-regular file. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}
