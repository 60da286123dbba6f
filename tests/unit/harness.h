/*
 * A minimal test harness in the style of cmark's api_test: CHECK macros
 * count passes and failures, print each failure with its location, and
 * ck_t_done() prints "N passed, N failed" on a line of its own.
 * Each tests/unit/t_<module>.c is one program with its own main().
 */
#ifndef CK_HARNESS_H
#define CK_HARNESS_H

#include <stdio.h>
#include <string.h>

static int ck_t_passed, ck_t_failed;

#define CHECK(cond)                                                           \
	do {                                                                  \
		if (cond) {                                                   \
			ck_t_passed++;                                        \
		} else {                                                      \
			ck_t_failed++;                                        \
			fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__,        \
				__LINE__, #cond);                             \
		}                                                             \
	} while (0)

#define CHECK_INT(got, want)                                                  \
	do {                                                                  \
		long long g_ = (long long)(got), w_ = (long long)(want);      \
		if (g_ == w_) {                                               \
			ck_t_passed++;                                        \
		} else {                                                      \
			ck_t_failed++;                                        \
			fprintf(stderr, "%s:%d: FAIL: %s == %lld, want %lld\n", \
				__FILE__, __LINE__, #got, g_, w_);            \
		}                                                             \
	} while (0)

#define CHECK_STR(got, want)                                                  \
	do {                                                                  \
		const char *g_ = (got), *w_ = (want);                         \
		if (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0) {        \
			ck_t_passed++;                                        \
		} else if (g_ == NULL && w_ == NULL) {                        \
			ck_t_passed++;                                        \
		} else {                                                      \
			ck_t_failed++;                                        \
			fprintf(stderr,                                       \
				"%s:%d: FAIL: %s\n  got:  \"%s\"\n  want: \"%s\"\n", \
				__FILE__, __LINE__, #got, g_ ? g_ : "(null)", \
				w_ ? w_ : "(null)");                          \
		}                                                             \
	} while (0)

static inline int
ck_t_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, ck_t_passed, ck_t_failed);
	return ck_t_failed ? 1 : 0;
}

#endif
