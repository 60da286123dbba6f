/* congkhai publish: the site built and committed to a git branch. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "publish.h"
#include "text.h"

static void
help(FILE *f)
{
	fprintf(
	    f, "usage: congkhai publish [-C DIR] [--theme DIR] [--today DATE]\n"
	       "                        [--repo DIR] [--branch NAME] "
	       "[--message TEXT]\n"
	       "                        [--push REMOTE] [--allow-dirty]\n\n"
	       "  -C DIR          the content folder (default: content)\n"
	       "  --theme DIR     the theme (default: themes/default)\n"
	       "  --today DATE    judge overdue and held against DATE\n"
	       "  --jobs N        render on N threads (default: "
	       "CONGKHAI_JOBS,\n"
	       "                  or one per CPU, up to 8)\n"
	       "  --format F      diagnostics as text, github or json\n"
	       "  --repo DIR      the git repository to commit to (default: "
	       "site,\n"
	       "                  created on first use)\n"
	       "  --branch NAME   the branch to commit to (default: main)\n"
	       "  --message TEXT  the commit's first line, instead of the "
	       "summary\n"
	       "  --push REMOTE   then push the branch to REMOTE (a remote's "
	       "name,\n"
	       "                  a path or a URL)\n"
	       "  --allow-dirty   publish even if the records have "
	       "uncommitted\n"
	       "                  changes\n\n"
	       "Pushing over https takes a token from CONGKHAI_GIT_TOKEN "
	       "(user name\n"
	       "CONGKHAI_GIT_USER, default x-access-token); over ssh, the "
	       "SSH agent.\n"
	       "SOURCE_DATE_EPOCH fixes the commit's time.\n");
}

/*
 * --message becomes the commit's first line, published for good: one line
 * of UTF-8 (a newline could forge trailers), and, like the records, no
 * phone, ID number or e-mail address in it (exit 1, nothing committed).
 */
static int
check_message(const char *message)
{
	size_t len = strlen(message), bad, start, end;
	const unsigned char *c;
	ck_pd_kind kind;

	if (ck_utf8_check(message, len, &bad) != 0)
		return ck_cli_usage_error(
		    "publish", "--message: not UTF-8 (byte %zu)", bad + 1);
	for (c = (const unsigned char *)message; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return ck_cli_usage_error(
			    "publish",
			    "--message: one line, without control "
			    "characters (character %zu)",
			    (size_t)(c - (const unsigned char *)message) + 1);
	kind = ck_pd_find(message, len, 0, &start, &end);
	if (kind != CK_PD_NONE) {
		fprintf(stderr,
		        "congkhai publish: --message: a %s (at byte %zu) is "
		        "personal data and must not be published; nothing was "
		        "committed\n",
		        ck_pd_name(kind), start + 1);
		return CK_EXIT_CONTENT;
	}
	return CK_EXIT_OK;
}

int
cmd_publish(int argc, char **argv)
{
	static const struct option longopts[] = {
	    CK_CLI_BUILD_LONGOPTS,
	    {"repo", required_argument, NULL, 'r'},
	    {"branch", required_argument, NULL, 'b'},
	    {"message", required_argument, NULL, 'm'},
	    {"push", required_argument, NULL, 'p'},
	    {"allow-dirty", no_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	ck_build_opts opts = {.content_dir = "content",
	                      .theme_dir = CK_DEFAULT_THEME,
	                      .today = CK_NODAY,
	                      .render = true};
	ck_publish_opts popts = {0};
	ck_build_result res = {0};
	ck_publisher *pub = NULL;
	struct stat st;
	int c, rc;

	popts.repo = "site";
	popts.branch = "main";
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:C:m:h", longopts, NULL)) != -1) {
		if ((rc = ck_cli_build_option(&opts, c, optarg)) != 0) {
			if (rc < 0)
				return CK_EXIT_USAGE;
			continue;
		}
		switch (c) {
		case 'r':
			popts.repo = optarg;
			break;
		case 'b':
			popts.branch = optarg;
			break;
		case 'm':
			popts.message = optarg;
			break;
		case 'p':
			popts.push = optarg;
			break;
		case 'a':
			popts.allow_dirty = true;
			break;
		case 'h':
			help(stdout);
			return CK_EXIT_OK;
		default:
			return ck_cli_bad_option("publish", c, argv);
		}
	}
	if ((rc = ck_cli_build_args_end("publish", argc, argv, &opts)) != 0)
		return rc;
	if (ck_cli_check_path("publish", "--repo", popts.repo) != 0)
		return CK_EXIT_USAGE;
	if (*popts.repo == '\0')
		return ck_cli_usage_error("publish", "--repo: empty path");
	if (stat(popts.repo, &st) == 0 && !S_ISDIR(st.st_mode))
		return ck_cli_usage_error("publish",
		                          "--repo: '%s' is not a "
		                          "folder",
		                          popts.repo);
	if (!ck_publish_branch_valid(popts.branch))
		return ck_cli_usage_error("publish",
		                          "--branch: '%s' is not a valid "
		                          "branch name",
		                          popts.branch);
	if (popts.push != NULL && *popts.push == '\0')
		return ck_cli_usage_error("publish", "--push: empty remote");
	if (popts.message != NULL &&
	    (rc = check_message(popts.message)) != CK_EXIT_OK)
		return rc;
	popts.content_dir = opts.content_dir;
	if (stat(opts.content_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "congkhai: content folder '%s' not found\n",
		        opts.content_dir);
		return CK_EXIT_USAGE;
	}

	/* Refused before anything is built or written. */
	rc = ck_publish_check_clean(&popts);
	if (rc != 0)
		return rc == -1 ? CK_EXIT_CONTENT : CK_EXIT_IO;

	/* Pages become blobs as they are rendered; the commit comes only
	 * once the whole build has succeeded. */
	pub = ck_publisher_new(&popts);
	opts.site = ck_site_new_sink(ck_publisher_put, pub);
	ck_site_set_sink_fd(opts.site, ck_publisher_put_fd);
	ck_site_set_keep(opts.site, ck_publisher_keep);
	ck_site_set_stage(opts.site, ck_publisher_stage);
	ck_site_set_memory(opts.site, &ck_publisher_memory);
	if ((rc = ck_cli_build(&res, &opts, false)) != CK_EXIT_OK &&
	    !ck_site_failed(opts.site))
		goto done;
	/* A failed sink: finish says why, with its own exit status. */
	rc = ck_publisher_finish(pub, res.today, res.cname);
	rc = rc == 0 ? CK_EXIT_OK : rc == -2 ? CK_EXIT_USAGE : CK_EXIT_IO;
done:
	ck_build_result_free(&res);
	ck_site_free(opts.site);
	ck_publisher_free(pub);
	return rc;
}
