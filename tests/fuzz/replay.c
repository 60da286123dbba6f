/*
 * Standalone driver for the fuzz targets: feeds each file named on the
 * command line (or every file in a named folder) to LLVMFuzzerTestOneInput,
 * so the corpus replays as a regression test without libFuzzer.
 */
#include <dirent.h>
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
	ck_buf b = CK_BUF_INIT;
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		warn("%s", path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ck_buf_put(&b, chunk, n);
	fclose(f);
	LLVMFuzzerTestOneInput((const uint8_t *)b.ptr, b.size);
	ck_buf_free(&b);
	return 0;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	int i, count = 0, failed = 0;
	struct stat st;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			DIR *d = opendir(argv[i]);
			struct dirent *e;
			char **names = NULL;
			size_t n = 0, j;

			if (d == NULL)
				err(3, "%s", argv[i]);
			while ((e = readdir(d)) != NULL) {
				if (e->d_name[0] == '.')
					continue;
				names = realloc(names, (n + 1) * sizeof(*names));
				if (names == NULL)
					err(3, "realloc");
				if (asprintf(&names[n++], "%s/%s", argv[i],
					     e->d_name) < 0)
					err(3, "asprintf");
			}
			closedir(d);
			qsort(names, n, sizeof(*names), cmp);
			for (j = 0; j < n; j++) {
				failed += replay_file(names[j]) != 0;
				count++;
				free(names[j]);
			}
			free(names);
		} else {
			failed += replay_file(argv[i]) != 0;
			count++;
		}
	}
	/* Reaching here means no input crashed or tripped a sanitizer. */
	printf("%s: %d passed, %d failed\n", argv[0], count - failed, failed);
	return failed != 0;
}
