#include "gitutil.h"

#include <stdlib.h>
#include <string.h>

int
ck_git_workdir_path(ck_buf *out, git_repository *repo, const char *dir)
{
	const char *wd = git_repository_workdir(repo);
	char *abs = NULL, *top = NULL;
	size_t n;
	int rc = -1;

	if (wd == NULL)
		return -1;
	abs = realpath(dir, NULL);
	top = realpath(wd, NULL);
	if (abs == NULL || top == NULL)
		goto done;
	n = strlen(top);
	if (strcmp(abs, top) == 0) {
		rc = 0;
	} else if (strncmp(abs, top, n) == 0 &&
		   (abs[n] == '/' || strcmp(top, "/") == 0)) {
		ck_buf_puts(out, abs + n + (abs[n] == '/'));
		rc = 0;
	}
done:
	free(abs);
	free(top);
	return rc;
}
