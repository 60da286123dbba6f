/*
 * congkhai: publishes a commune's records of its dialogues with the people
 * as a static website, open data, and a git history.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
 *
 * glibc also gives threads heaps of their own (up to 8 per core), each
 * holding freed memory the others cannot reuse: with one heap for all, a
 * province's publish peaks 10 to 20 MB lower (278 MB against 284 to
 * 299 MB at 100,000 questions), and no slower: the threads allocate in
 * arenas of their own (arena.h), a chunk at a time.
 */
static void
tune_malloc(void)
{
#ifdef M_MMAP_THRESHOLD
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
	/*
	 * The heap grows (and, freed at its top, shrinks) by 8 MB at least,
	 * rather than by what one allocation asks, so that it is not grown
	 * and trimmed back over and over, its pages faulted in anew each
	 * time. Measured at 100,000 questions (6 and 4 pairs): page faults
	 * 20,000-23,000 -> 8,000-14,000, a publish after one change
	 * 2.6-3.9 s -> 2.5-2.8 s and a rebuild 2.3-3.2 s -> 2.2-2.3 s, peak
	 * memory within the same 282-297 MB. 32 and 64 MB went further in
	 * time, and some 10 MB over in memory.
	 */
#ifdef M_TOP_PAD
	mallopt(M_TOP_PAD, 8 * 1024 * 1024);
#endif
#ifdef M_ARENA_MAX
	mallopt(M_ARENA_MAX, 1);
#endif
}

/*
 * A province's build touches some 300 MB a 4 KB page at a time: 100,000
 * page faults, a tenth of its time. glibc (2.35 and later) backs its heap
 * with transparent huge pages when the tunable glibc.malloc.hugetlb is 1,
 * and tunables are read from the environment at start only: so congkhai
 * starts itself once more with it set (measured at 100,000 questions: a
 * publish after one change 3.2 s -> 2.8 s, less than half the page faults,
 * a few MB more memory). Not when GLIBC_TUNABLES is already set (the user's
 * choice, or this is the second start), nor under AddressSanitizer, whose
 * allocator is its own. When the program cannot be started again, it goes
 * on as it is.
 */
static void
restart_with_huge_pages(char **argv)
{
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
	if (getenv("GLIBC_TUNABLES") != NULL ||
	    setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 1) != 0)
		return;
	execv("/proc/self/exe", argv);
	unsetenv("GLIBC_TUNABLES");
#else
	(void)argv;
#endif
}

int
main(int argc, char **argv)
{
	size_t i;

	restart_with_huge_pages(argv);
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
