/* ck_jobs and ck_jobs_run (jobs.h). */
#include <pthread.h>
#include <stdint.h>

#include "harness.h"
#include "jobs.h"

typedef struct {
	size_t index;
	unsigned long sum; /* of from..to-1 */
	unsigned long from, to;
	pthread_t self;
	int runs;
} share;

static void *
add_up(void *arg)
{
	share *s = arg;
	unsigned long i;

	for (i = s->from; i < s->to; i++)
		s->sum += i;
	s->self = pthread_self();
	s->runs++;
	return NULL;
}

/* Every share is done exactly once, the first on the calling thread. */
static void
test_run(void)
{
	share sh[5] = {{0}};
	unsigned long total = 0;
	size_t i, n;

	for (n = 0; n <= 5; n++) {
		for (i = 0; i < 5; i++) {
			sh[i] = (share){i, 0, i * 1000, (i + 1) * 1000, 0, 0};
		}
		ck_jobs_run(add_up, sh, sizeof(sh[0]), n);
		total = 0;
		for (i = 0; i < 5; i++) {
			CHECK_INT(sh[i].runs, i < n ? 1 : 0);
			total += sh[i].sum;
		}
		/* 0 + 1 + ... + (n * 1000 - 1) */
		CHECK(total == (unsigned long)(n * 1000) * (n * 1000 - 1) / 2 ||
		      n == 0);
		if (n > 0)
			CHECK(pthread_equal(sh[0].self, pthread_self()));
	}
}

static void
test_jobs(void)
{
	CHECK_INT(ck_jobs(3), 3);
	CHECK(ck_jobs(0) >= 1 && ck_jobs(0) <= CK_JOBS_AUTO_MAX);
}

int
main(void)
{
	test_run();
	test_jobs();
	return ck_t_done("t_jobs");
}
