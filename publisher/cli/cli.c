/* Option handling shared by the commands. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <getopt.h>

#include "cmd.h"

#ifndef CK_INSTALLED_THEME
#define CK_INSTALLED_THEME "/usr/local/share/congkhai/themes/default"
#endif

/*
 * The --format of this run's command. Kept here rather than in
 * ck_build_opts, whose positional initializers every command writes: it
 * only concerns how ck_cli_build prints.
 */
static ck_diag_format diag_format = CK_DIAG_TEXT;

/* A number of rendering threads, 1 to CK_MAX_JOBS; -1 when s is not. */
static int
parse_jobs(const char *s)
{
	char *end;
	long n;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > CK_MAX_JOBS)
		return -1;
	return (int)n;
}

int
ck_cli_build_option(ck_build_opts *opts, int c, const char *arg)
{
	switch (c) {
	case 'C':
		opts->content_dir = arg;
		return 1;
	case 't':
		opts->theme_dir = arg;
		return 1;
	case 'd':
		if (ck_date_parse(&opts->today, arg, strlen(arg)) !=
		    CK_DATE_OK) {
			fprintf(stderr,
				"congkhai: --today: '%s' is not a date "
				"(YYYY-MM-DD or DD/MM/YYYY)\n",
				arg);
			return -1;
		}
		return 1;
	case 'j':
		if ((opts->jobs = parse_jobs(arg)) < 0) {
			fprintf(stderr,
				"congkhai: --jobs: '%s' is not a number of "
				"threads (1 to %d)\n",
				arg, CK_MAX_JOBS);
			return -1;
		}
		return 1;
	case 'f':
		if (ck_diag_format_parse(arg) < 0) {
			fprintf(stderr,
				"congkhai: --format: '%s' is not a format of "
				"diagnostics (text, github or json)\n",
				arg);
			return -1;
		}
		diag_format = (ck_diag_format)ck_diag_format_parse(arg);
		return 1;
	default:
		return 0;
	}
}

int
ck_cli_build_defaults(ck_build_opts *o)
{
	const char *env;
	struct stat st;

	/*
	 * Outside a checkout there is no themes/default: an installed
	 * congkhai falls back to the theme `make install` put beside it.
	 */
	if (strcmp(o->theme_dir, CK_DEFAULT_THEME) == 0 &&
	    stat(o->theme_dir, &st) != 0)
		o->theme_dir = CK_INSTALLED_THEME;
	/* --jobs wins over the environment; a bad value is an error.
	 * check reads it too: the questions are read on threads. */
	if (o->jobs == 0 && (env = getenv("CONGKHAI_JOBS")) &&
	    *env && (o->jobs = parse_jobs(env)) < 0) {
		fprintf(stderr,
			"congkhai: CONGKHAI_JOBS: '%s' is not a number of "
			"threads (1 to %d)\n",
			env, CK_MAX_JOBS);
		return CK_EXIT_USAGE;
	}
	return 0;
}

int
ck_cli_build(ck_build_result *res, const ck_build_opts *opts, bool strict)
{
	ck_build_opts o = *opts;
	ck_diags *d;
	int rc;

	if ((rc = ck_cli_build_defaults(&o)) != 0)
		return rc;
	d = ck_diags_new();
	rc = ck_build_run(res, &o, d);

	ck_diags_print_format(d, stderr, diag_format);
	if (rc == 0 && strict && ck_diags_warnings(d) > 0)
		rc = -1;
	ck_diags_free(d);
	switch (rc) {
	case 0:
		return CK_EXIT_OK;
	case -1:
		return CK_EXIT_CONTENT;
	case -2:
		return CK_EXIT_USAGE;
	default:
		return CK_EXIT_IO;
	}
}

int
ck_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "congkhai %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'congkhai %s --help'.\n", cmd);
	return CK_EXIT_USAGE;
}

int
ck_cli_bad_option(const char *cmd, int c, char **argv)
{
	/* getopt_long leaves in argv[optind - 1] the option as written. */
	const char *opt = argv[optind - 1];

	if (c == ':')
		return ck_cli_usage_error(cmd, "option '%s' needs a value",
		                          opt);
	return ck_cli_usage_error(cmd, "bad option '%s'", opt);
}

int
ck_cli_check_path(const char *cmd, const char *option, const char *path)
{
	const char *p = path, *slash;
	size_t shown = strlen(path);

	if (shown >= PATH_MAX)
		goto too_long;
	for (; *p; p = slash + 1) {
		slash = strchr(p, '/');
		if (slash == NULL)
			slash = p + strlen(p);
		if ((size_t)(slash - p) > NAME_MAX)
			goto too_long;
		if (*slash == '\0')
			break;
	}
	return 0;
too_long:
	/* Name it by its start: the whole would bury the message. */
	if (shown > 60) {
		shown = 60;
		while (shown > 0 && ((unsigned char)path[shown] & 0xC0) == 0x80)
			shown--;
	}
	return ck_cli_usage_error(cmd,
	                          "%s: the path '%.*s%s' is too long (at most "
	                          "%d bytes, and %d for each name in it)",
	                          option, (int)shown, path,
	                          path[shown] ? "..." : "", PATH_MAX - 1,
	                          NAME_MAX);
}

int
ck_cli_check_build_paths(const char *cmd, const ck_build_opts *opts)
{
	if (ck_cli_check_path(cmd, "-C", opts->content_dir) != 0 ||
	    ck_cli_check_path(cmd, "--theme", opts->theme_dir) != 0)
		return CK_EXIT_USAGE;
	return 0;
}

int
ck_cli_build_args_end(const char *cmd, int argc, char **argv,
                      const ck_build_opts *opts)
{
	if (optind < argc)
		return ck_cli_usage_error(cmd, "unexpected argument '%s'",
		                          argv[optind]);
	return ck_cli_check_build_paths(cmd, opts);
}
