/*
 * The commands of the congkhai program: one cmd_<name>.c each, dispatched
 * from main.c's table. Each takes its own argv (argv[0] is the command's
 * name) and returns the process exit status (CK_EXIT_* in build.h).
 */
#ifndef CK_CMD_H
#define CK_CMD_H

#include "build.h"

typedef struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *description;
} ck_cmd;

int cmd_build(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_calendar(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* The most rendering threads --jobs and CONGKHAI_JOBS may ask for. */
#define CK_MAX_JOBS 64

/* The theme used when --theme is not given. */
#define CK_DEFAULT_THEME "themes/default"

/* The long options every building command takes (-C is a short one). */
#define CK_CLI_BUILD_LONGOPTS                                                  \
	{"theme", required_argument, NULL, 't'},                               \
	    {"today", required_argument, NULL, 'd'},                           \
	    {"jobs", required_argument, NULL, 'j'},                            \
	    {"format", required_argument, NULL, 'f'},                          \
	    {"help", no_argument, NULL, 'h'}

/*
 * Applies option c (from getopt_long with CK_CLI_BUILD_LONGOPTS and "C:")
 * to opts: returns 1 when it was one of -C, --theme, --today, --jobs,
 * --format, 0 when it is another option, -1 after printing a usage error for
 * a bad --today, --jobs or --format.
 */
int ck_cli_build_option(ck_build_opts *opts, int c, const char *arg);
/*
 * Runs the build pipeline, prints its diagnostics, and returns the exit
 * status (CK_EXIT_*); with strict, warnings count as errors. Free *res with
 * ck_build_result_free.
 */
int ck_cli_build(ck_build_result *res, const ck_build_opts *opts,
		 bool strict);
/*
 * What a building command takes when not told (ck_cli_build does it; serve,
 * which builds again and again, once): the installed theme when there is
 * no themes/default here, and the threads from CONGKHAI_JOBS. Returns 0,
 * or CK_EXIT_USAGE after saying that CONGKHAI_JOBS is bad.
 */
int ck_cli_build_defaults(ck_build_opts *opts);
/* Prints "congkhai <cmd>: message" plus a --help hint; returns CK_EXIT_USAGE. */
int ck_cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * The usage error for what getopt_long returned as c: ':' (an option
 * without its value: "option '-o' needs a value") or '?'. Returns
 * CK_EXIT_USAGE.
 */
int ck_cli_bad_option(const char *cmd, int c, char **argv);
/*
 * 0 when path fits PATH_MAX and each name in it NAME_MAX; otherwise prints
 * "<option>: the path '...' is too long" and returns CK_EXIT_USAGE.
 */
int ck_cli_check_path(const char *cmd, const char *option, const char *path);
/* ck_cli_check_path for -C and --theme. */
int ck_cli_check_build_paths(const char *cmd, const ck_build_opts *opts);
/*
 * The end of a building command's options (getopt's optind): 0 when no
 * argument is left over and -C and --theme are usable paths; otherwise
 * says why and returns CK_EXIT_USAGE.
 */
int ck_cli_build_args_end(const char *cmd, int argc, char **argv,
                          const ck_build_opts *opts);

#endif
