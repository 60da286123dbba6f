/*
 * How many threads a build uses: for loading the questions (load/) and for
 * rendering the pages (views/). The output never depends on it.
 */
#ifndef CK_JOBS_H
#define CK_JOBS_H

/* Threads when none are asked for: the online CPUs, at most this many. */
#define CK_JOBS_AUTO_MAX 8

/* requested when > 0, else the online CPUs (at least 1), capped. */
int ck_jobs(int requested);

#endif
