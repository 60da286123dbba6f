/* Option handling shared by the commands. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

int
ck_cli_parse_today(ck_day *out, const char *arg)
{
	if (ck_date_parse(out, arg, strlen(arg)) != CK_DATE_OK) {
		fprintf(stderr,
			"congkhai: --today: '%s' is not a date (YYYY-MM-DD "
			"or DD/MM/YYYY)\n",
			arg);
		return -1;
	}
	return 0;
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
