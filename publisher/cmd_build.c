/* congkhai build: the site and open data into a folder. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static void
help(FILE *f)
{
	fprintf(f,
		"usage: congkhai build [-C DIR] [--theme DIR] [-o DIR] "
		"[--today DATE]\n"
		"                      [--jobs N]\n\n"
		"  -C DIR        the content folder (default: content)\n"
		"  --theme DIR   the theme (default: themes/default)\n"
		"  -o DIR        the output folder (default: site)\n"
		"  --today DATE  judge overdue and held against DATE\n"
		"  --jobs N      render on N threads (default: CONGKHAI_JOBS, "
		"or one\n"
		"                per CPU, up to 8); the output is the same\n"
		"  --format F    diagnostics as text, github or json\n");
}

int
cmd_build(int argc, char **argv)
{
	static const struct option longopts[] = {
		CK_CLI_BUILD_LONGOPTS,
		{"output", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	ck_build_opts opts = {"content", CK_DEFAULT_THEME, CK_NODAY, true, 0};
	ck_build_result res = {0};
	const char *outdir = "site";
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:C:o:h", longopts, NULL)) != -1) {
		if ((rc = ck_cli_build_option(&opts, c, optarg)) != 0) {
			if (rc < 0)
				return CK_EXIT_USAGE;
		} else if (c == 'o') {
			outdir = optarg;
		} else if (c == 'h') {
			help(stdout);
			return CK_EXIT_OK;
		} else {
			return ck_cli_bad_option("build", c, argv);
		}
	}
	if (optind < argc)
		return ck_cli_usage_error("build", "unexpected argument '%s'",
					  argv[optind]);
	if (ck_cli_check_build_paths("build", &opts) != 0 ||
	    ck_cli_check_path("build", "-o", outdir) != 0)
		return CK_EXIT_USAGE;

	rc = ck_cli_build(&res, &opts, false);
	if (rc == CK_EXIT_OK && ck_site_write_dir(res.site, outdir) != 0)
		rc = CK_EXIT_IO;
	ck_build_result_free(&res);
	return rc;
}
