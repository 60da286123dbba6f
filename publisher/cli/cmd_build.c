/* congkhai build: the site and open data into a folder. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "jobs.h"
#include "outdir.h"

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
	ck_build_opts opts = {.content_dir = "content",
	                      .theme_dir = CK_DEFAULT_THEME,
	                      .today = CK_NODAY,
	                      .render = true};
	ck_build_result res = {0};
	const char *outdir = "site";
	ck_outdir *out;
	ck_outdir_stats stats;
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
	if ((rc = ck_cli_build_args_end("build", argc, argv, &opts)) != 0)
		return rc;
	if (ck_cli_check_path("build", "-o", outdir) != 0)
		return CK_EXIT_USAGE;

	/* Pages go to the folder's writer as they are rendered; it puts
	 * them in place only once the whole build has succeeded. */
	out = ck_outdir_new(outdir);
	ck_outdir_set_jobs(out, ck_jobs(opts.jobs));
	ck_outdir_preload(out);
	opts.site = ck_site_new_sink(ck_outdir_put, out);
	ck_site_set_sink_fd(opts.site, ck_outdir_put_fd);
	ck_site_set_keep(opts.site, ck_outdir_keep);
	ck_site_set_memory(opts.site, &ck_outdir_memory);
	rc = ck_cli_build(&res, &opts, false);
	if (rc == CK_EXIT_OK && ck_outdir_commit(out, opts.site) != 0)
		rc = CK_EXIT_IO;
	if (rc == CK_EXIT_OK && getenv("CONGKHAI_BUILD_STATS") != NULL) {
		ck_outdir_get_stats(&stats, out);
		fprintf(stderr,
		        "congkhai build: %zu files: %zu written, %zu compared, "
		        "%zu removed, %zu kept; folders: %zu read, %zu "
		        "unread\n",
		        stats.files, stats.written, stats.compared,
		        stats.removed, stats.kept, stats.folders_read,
		        stats.folders_unread);
	}
	ck_build_result_free(&res);
	ck_site_free(opts.site);
	ck_outdir_free(out);
	return rc;
}
