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

/*
 * Shared option handling: parses a --today argument into *out. Prints a
 * usage error and returns -1 when it is not a valid date.
 */
int ck_cli_parse_today(ck_day *out, const char *arg);
/* Prints "congkhai <cmd>: message" plus a --help hint; returns CK_EXIT_USAGE. */
int ck_cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
