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
		"[--today DATE]\n\n"
		"  -C DIR        the content folder (default: content)\n"
		"  --theme DIR   the theme (default: themes/default)\n"
		"  -o DIR        the output folder (default: site)\n"
		"  --today DATE  judge overdue and held against DATE\n");
}

int
cmd_build(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"theme", required_argument, NULL, 't'},
		{"today", required_argument, NULL, 'd'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	ck_build_opts opts = {"content", "themes/default", CK_NODAY, true};
	ck_build_result res = {0};
	const char *outdir = "site";
	ck_diags *d = NULL;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+C:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C':
			opts.content_dir = optarg;
			break;
		case 't':
			opts.theme_dir = optarg;
			break;
		case 'o':
			outdir = optarg;
			break;
		case 'd':
			if (ck_cli_parse_today(&opts.today, optarg) != 0)
				return CK_EXIT_USAGE;
			break;
		case 'h':
			help(stdout);
			return CK_EXIT_OK;
		default:
			return ck_cli_usage_error("build", "bad option '%s'",
						  argv[optind - 1]);
		}
	}
	if (optind < argc)
		return ck_cli_usage_error("build", "unexpected argument '%s'",
					  argv[optind]);

	d = ck_diags_new();
	rc = ck_build_run(&res, &opts, d);
	ck_diags_print(d, stderr);
	if (rc == -1 || rc == -2) {
		rc = rc == -1 ? CK_EXIT_CONTENT : CK_EXIT_USAGE;
		goto done;
	}
	if (rc != 0) {
		rc = CK_EXIT_IO;
		goto done;
	}
	if (ck_site_write_dir(res.site, outdir) != 0) {
		rc = CK_EXIT_IO;
		goto done;
	}
	rc = CK_EXIT_OK;
done:
	ck_build_result_free(&res);
	ck_diags_free(d);
	return rc;
}
