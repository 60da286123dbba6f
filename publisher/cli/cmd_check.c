/* congkhai check: the records checked, nothing written. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static void
help(FILE *f)
{
	fprintf(f, "usage: congkhai check [-C DIR] [--today DATE] [--jobs N]\n"
	           "                      [--strict] [--format text|github|json]"
	           "\n\n"
	           "  -C DIR        the content folder (default: content)\n"
	           "  --today DATE  judge overdue and held against DATE\n"
	           "  --jobs N      read the questions on N threads (default:\n"
	           "                CONGKHAI_JOBS, or one per CPU, up to 8);\n"
	           "                the messages are the same\n"
	           "  --strict      exit 1 on warnings too\n"
	           "  --format F    print diagnostics as text (path:line:col: "
	           "...),\n"
	           "                github (Actions annotations) or json (one "
	           "object\n"
	           "                a line)\n");
}

int
cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
	    CK_CLI_BUILD_LONGOPTS,
	    {"strict", no_argument, NULL, 's'},
	    {NULL, 0, NULL, 0},
	};
	ck_build_opts opts = {.content_dir = "content",
	                      .theme_dir = CK_DEFAULT_THEME,
	                      .today = CK_NODAY,
	                      .render = false};
	ck_build_result res = {0};
	int c, rc;
	bool strict = false;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:C:h", longopts, NULL)) != -1) {
		if ((rc = ck_cli_build_option(&opts, c, optarg)) != 0) {
			if (rc < 0)
				return CK_EXIT_USAGE;
		} else if (c == 's') {
			strict = true;
		} else if (c == 'h') {
			help(stdout);
			return CK_EXIT_OK;
		} else {
			return ck_cli_bad_option("check", c, argv);
		}
	}
	if ((rc = ck_cli_build_args_end("check", argc, argv, &opts)) != 0)
		return rc;

	rc = ck_cli_build(&res, &opts, strict);
	ck_build_result_free(&res);
	return rc;
}
