/* congkhai check: the records checked, nothing written. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static void
help(FILE *f)
{
	fprintf(f,
		"usage: congkhai check [-C DIR] [--today DATE] [--strict]\n\n"
		"  -C DIR        the content folder (default: content)\n"
		"  --today DATE  judge overdue and held against DATE\n"
		"  --strict      exit 1 on warnings too\n");
}

int
cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"today", required_argument, NULL, 'd'},
		{"strict", no_argument, NULL, 's'},
		{"theme", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	ck_build_opts opts = {"content", "themes/default", CK_NODAY, false};
	ck_build_result res = {0};
	ck_diags *d = NULL;
	int c, rc, strict = 0;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+C:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C':
			opts.content_dir = optarg;
			break;
		case 't':
			opts.theme_dir = optarg;
			break;
		case 'd':
			if (ck_cli_parse_today(&opts.today, optarg) != 0)
				return CK_EXIT_USAGE;
			break;
		case 's':
			strict = 1;
			break;
		case 'h':
			help(stdout);
			return CK_EXIT_OK;
		default:
			return ck_cli_usage_error("check", "bad option '%s'",
						  argv[optind - 1]);
		}
	}
	if (optind < argc)
		return ck_cli_usage_error("check", "unexpected argument '%s'",
					  argv[optind]);

	d = ck_diags_new();
	rc = ck_build_run(&res, &opts, d);
	ck_diags_print(d, stderr);
	if (rc == -2)
		rc = CK_EXIT_USAGE;
	else if (rc == -1 || (strict && ck_diags_warnings(d) > 0))
		rc = CK_EXIT_CONTENT;
	else if (rc != 0)
		rc = CK_EXIT_IO;
	else
		rc = CK_EXIT_OK;
	ck_build_result_free(&res);
	ck_diags_free(d);
	return rc;
}
