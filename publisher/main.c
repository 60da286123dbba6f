/*
 * congkhai: publishes a commune's records of its dialogues with the people
 * as a static website, open data, and a git history.
 */
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

#ifndef CK_VERSION
#define CK_VERSION "0.1.0"
#endif

static const ck_cmd commands[] = {
	{"build", cmd_build, "build the site and open data into a folder"},
	{"check", cmd_check, "check the records; print errors and warnings"},
	{"publish", cmd_publish, "build and commit the site to a git branch"},
	{"new", cmd_new, "write a new dialogue, question or conclusion"},
	{"calendar", cmd_calendar, "list the days off of a year"},
	{"serve", cmd_serve, "preview the site, rebuilt as the content changes"},
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: congkhai <command> [options]\n"
		   "       congkhai --help | --version | <command> --help\n\n"
		   "commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s  %s\n", commands[i].name,
			commands[i].description);
	fprintf(f, "\nSee congkhai(1) and congkhai(5).\n");
}

/*
 * glibc raises its mmap threshold each time a large block is freed (up to
 * 32 MB): a build frees many (page buffers, lists), after which its large
 * blocks come from the heap and stay there, fragmented. Held at its
 * starting value, a province's build peaks some 10 to 35 MB lower (under
 * 300 MB at 100,000 questions), and no slower.
 */
static void
tune_malloc(void)
{
#ifdef M_MMAP_THRESHOLD
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}

int
main(int argc, char **argv)
{
	size_t i;

	tune_malloc();
	if (argc < 2) {
		usage(stderr);
		return CK_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return CK_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("congkhai %s\n", CK_VERSION);
		return CK_EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "congkhai: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return CK_EXIT_USAGE;
}
