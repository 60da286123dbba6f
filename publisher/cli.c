/* Option handling shared by the commands. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"

#ifndef CK_INSTALLED_THEME
#define CK_INSTALLED_THEME "/usr/local/share/congkhai/themes/default"
#endif

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
	default:
		return 0;
	}
}

int
ck_cli_build(ck_build_result *res, const ck_build_opts *opts, bool strict)
{
	ck_build_opts o = *opts;
	struct stat st;
	ck_diags *d;
	int rc;

	/*
	 * Outside a checkout there is no themes/default: an installed
	 * congkhai falls back to the theme `make install` put beside it.
	 */
	if (strcmp(o.theme_dir, CK_DEFAULT_THEME) == 0 &&
	    stat(o.theme_dir, &st) != 0)
		o.theme_dir = CK_INSTALLED_THEME;
	d = ck_diags_new();
	rc = ck_build_run(res, &o, d);

	ck_diags_print(d, stderr);
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
