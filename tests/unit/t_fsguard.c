/* The containment rule (fsguard.c) on a real folder tree: the '/' boundary,
 * links in and out, loops, links to nothing, FIFOs, and opening without
 * blocking on a FIFO. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fsguard.h"
#include "harness.h"

static char top[] = "/tmp/ck-fsguard-XXXXXX";

static char *
at(const char *rel)
{
	static char path[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(path[k], sizeof(path[k]), "%s/%s", top, rel);
	return path[k];
}

/* ck_fs_check on top/rel against the root top/content. */
static int
check(ck_fs_kind *kind, ck_buf *why, const char *rel)
{
	char *root = ck_fs_root(at("content"));
	int rc;

	ck_buf_clear(why);
	rc = ck_fs_check(kind, NULL, why, at(rel), root, "content folder");
	free(root);
	return rc;
}

static void
put(const char *rel, const char *text)
{
	FILE *f = fopen(at(rel), "w");

	fputs(text, f);
	fclose(f);
}

int
main(void)
{
	ck_buf why = CK_BUF_INIT;
	ck_fs_kind kind;
	int fd;

	CHECK(ck_fs_inside("/srv/content", "/srv/content"));
	CHECK(ck_fs_inside("/srv/content/a/b", "/srv/content"));
	CHECK(!ck_fs_inside("/srv/content-old/a", "/srv/content"));
	CHECK(!ck_fs_inside("/srv/conten", "/srv/content"));
	CHECK(!ck_fs_inside("/etc/passwd", "/srv/content"));
	CHECK(ck_fs_inside("/etc/passwd", "/"));

	if (mkdtemp(top) == NULL)
		return 1;
	mkdir(at("content"), 0755);
	mkdir(at("content-old"), 0755);
	mkdir(at("content/static"), 0755);
	put("content/static/a.pdf", "a");
	put("content-old/secret.txt", "s");
	symlink("a.pdf", at("content/static/in.pdf"));
	symlink("../../content-old/secret.txt", at("content/static/out.txt"));
	symlink("/etc", at("content/static/etc"));
	symlink("l2", at("content/static/l1"));
	symlink("l1", at("content/static/l2"));
	symlink("nothing", at("content/static/gone"));
	symlink("..", at("content/static/up"));
	mkfifo(at("content/static/fifo"), 0644);

	CHECK_INT(check(&kind, &why, "content/static/a.pdf"), 0);
	CHECK_INT(kind, CK_FS_FILE);
	CHECK_INT(check(&kind, &why, "content/static"), 0);
	CHECK_INT(kind, CK_FS_DIR);
	CHECK_INT(check(&kind, &why, "content/static/none"), 0);
	CHECK_INT(kind, CK_FS_MISSING);
	/* A link that resolves inside is the file it names. */
	CHECK_INT(check(&kind, &why, "content/static/in.pdf"), 0);
	CHECK_INT(kind, CK_FS_FILE);
	CHECK_INT(check(&kind, &why, "content/static/up"), 0);
	CHECK_INT(kind, CK_FS_DIR);
	/* content-old shares the prefix "content" but is outside. */
	CHECK_INT(check(&kind, &why, "content/static/out.txt"), -1);
	CHECK_INT(kind, CK_FS_REFUSED);
	CHECK(strstr(why.ptr, "content-old/secret.txt', outside the content "
	                      "folder") != NULL);
	CHECK_INT(check(&kind, &why, "content/static/etc"), -1);
	CHECK(strstr(why.ptr, "'/etc'") != NULL);
	CHECK_INT(check(&kind, &why, "content/static/l1"), -1);
	CHECK(strstr(why.ptr, "symbolic link loop") != NULL);
	CHECK_INT(check(&kind, &why, "content/static/gone"), -1);
	CHECK(strstr(why.ptr, "symbolic link to nothing") != NULL);
	CHECK_INT(check(&kind, &why, "content/static/fifo"), -1);
	CHECK(strstr(why.ptr, "not a regular file") != NULL);

	/* Opening: a regular file opens; a FIFO or a folder is refused at
	 * once (this would block for ever if the FIFO were opened plainly). */
	fd = ck_fs_open_regular(at("content/static/a.pdf"));
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	errno = 0;
	CHECK_INT(ck_fs_open_regular(at("content/static/fifo")), -1);
	CHECK_INT(errno, EINVAL);
	CHECK_INT(ck_fs_open_regular(at("content/static")), -1);
	CHECK_INT(ck_fs_open_regular(at("content/static/none")), -1);
	CHECK_INT(errno, ENOENT);

	ck_buf_free(&why);
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
		if (system(cmd) != 0)
			ck_t_failed++;
	}
	return ck_t_done("t_fsguard");
}
