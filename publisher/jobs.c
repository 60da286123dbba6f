/* ck_jobs (jobs.h). */
#include "jobs.h"

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
