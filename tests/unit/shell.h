/*
 * Helpers for the unit tests that check their results with real commands
 * (git fsck, ls-tree, log...): run a formatted shell command, catch its
 * output, and give git a private, reproducible environment.
 */
#ifndef CK_T_SHELL_H
#define CK_T_SHELL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"

/* Runs a shell command (formatted); returns its exit status. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int
sh(const char *fmt, ...)
{
	ck_buf cmd = CK_BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	ck_buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	rc = system(cmd.ptr);
	ck_buf_free(&cmd);
	return rc;
}

/* The output of a shell command into out (bytes as they are). */
static void capture_buf(ck_buf *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void
capture_buf(ck_buf *out, const char *fmt, ...)
{
	ck_buf cmd = CK_BUF_INIT;
	char chunk[4096];
	va_list ap;
	size_t n;
	FILE *p;

	va_start(ap, fmt);
	ck_buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	ck_buf_clear(out);
	p = popen(cmd.ptr, "r");
	if (p == NULL)
		abort();
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		ck_buf_put(out, chunk, n);
	pclose(p);
	ck_buf_free(&cmd);
}

/* The output of a shell command, trailing newlines dropped; caller frees. */
static char *capture(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static char *
capture(const char *fmt, ...)
{
	ck_buf cmd = CK_BUF_INIT, out = CK_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	ck_buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	capture_buf(&out, "%s", cmd.ptr);
	while (out.size > 0 && out.ptr[out.size - 1] == '\n')
		ck_buf_truncate(&out, out.size - 1);
	ck_buf_free(&cmd);
	return ck_buf_detach(&out);
}

/*
 * A fixed identity and no system or user configuration for git and
 * libgit2, with `home` as HOME; the temporary folder is never taken for
 * part of a repository above it.
 */
static void
git_test_env(const char *home)
{
	setenv("GIT_AUTHOR_NAME", "Test", 1);
	setenv("GIT_AUTHOR_EMAIL", "test@example.invalid", 1);
	setenv("GIT_COMMITTER_NAME", "Test", 1);
	setenv("GIT_COMMITTER_EMAIL", "test@example.invalid", 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("HOME", home, 1);
	setenv("GIT_CEILING_DIRECTORIES", "/tmp", 1);
}

#endif
