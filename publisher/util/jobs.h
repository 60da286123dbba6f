/*
 * How many threads a build uses: for loading the questions (load/) and for
 * rendering the pages (views/). The output never depends on it.
 */
#ifndef CK_JOBS_H
#define CK_JOBS_H

#include <stddef.h>

/* Threads when none are asked for: the online CPUs, at most this many. */
#define CK_JOBS_AUTO_MAX 8

/* requested when > 0, else the online CPUs (at least 1), capped. */
int ck_jobs(int requested);

/*
 * Work cut into n shares of one array (share i at (char *)shares + i *
 * size): fn(share) for each, share 0 on this thread and each other on a
 * thread of its own; a share whose thread cannot be started is done on
 * this one. Returns when every share is done.
 */
void ck_jobs_run(void *(*fn)(void *), void *shares, size_t size, size_t n);

#endif
