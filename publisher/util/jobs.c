/* ck_jobs (jobs.h). */
#include "jobs.h"

#include <err.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

int
ck_jobs(int requested)
{
	long n;

	if (requested > 0)
		return requested;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n > CK_JOBS_AUTO_MAX ? CK_JOBS_AUTO_MAX : (int)n;
}

void
ck_jobs_run(void *(*fn)(void *), void *shares, size_t size, size_t n)
{
	pthread_t *tid = calloc(n ? n : 1, sizeof(*tid));
	size_t i, started = 0;

	if (tid == NULL)
		err(3, "calloc");
	for (i = 1; i < n; i++) {
		if (pthread_create(&tid[i], NULL, fn,
		                   (char *)shares + i * size) != 0)
			break;
		started = i;
	}
	for (i = started + 1; i < n; i++)
		fn((char *)shares + i * size);
	if (n > 0)
		fn(shares);
	for (i = 1; i <= started; i++)
		pthread_join(tid[i], NULL);
	free(tid);
}
