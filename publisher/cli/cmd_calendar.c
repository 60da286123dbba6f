/*
 * congkhai calendar: the days off of a year, as the deadlines count them
 * (calendar.c), with a content folder's site.yaml holidays and workdays.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "model.h"

static void
help(FILE *f)
{
	fprintf(f,
	        "usage: congkhai calendar YEAR [-C DIR]\n\n"
	        "Prints the days off of YEAR (1900 to 2199) that deadlines "
	        "skip, one a\n"
	        "line: date, weekday, kind (statutory, nghỉ bù, or site.yaml) "
	        "and name.\n"
	        "Saturdays and Sundays, days off anyway, are listed only when "
	        "a holiday\n"
	        "falls on them.\n\n"
	        "  -C DIR  also the holidays and workdays of DIR/site.yaml\n");
}

static const char *const weekdays[7] = {
    "Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy",
};

/* Appends s padded with spaces to `width` code points. */
static void
put_padded(ck_buf *b, const char *s, size_t width)
{
	size_t n = 0;
	const char *p;

	ck_buf_puts(b, s);
	for (p = s; *p; p++)
		if (((unsigned char)*p & 0xC0) != 0x80)
			n++;
	while (n++ < width)
		ck_buf_putc(b, ' ');
}

/*
 * One line per day off of year in cal: every statutory holiday and nghỉ
 * bù, and every day the site adds, unless the site made it a working day.
 */
static void
list_year(ck_buf *out, ck_calendar *cal, int year)
{
	ck_day day, end = ck_day_from_ymd(year + 1, 1, 1);
	ck_calendar_info info;
	const char *name, *kind;
	char iso[11];

	for (day = ck_day_from_ymd(year, 1, 1); day < end; day++) {
		ck_calendar_describe(&info, cal, day);
		name = ck_calendar_holiday_name(cal, day);
		if (info.site_workday || name == NULL)
			continue;
		/* A site's entry on a statutory day changes nothing. */
		kind = info.compensatory ? "nghỉ bù"
		       : info.statutory  ? "statutory"
		                         : "site.yaml";
		ck_day_iso(iso, day);
		ck_buf_printf(out, "%s  ", iso);
		put_padded(out, weekdays[ck_day_weekday(day)], 10);
		put_padded(out, kind, 11);
		ck_buf_printf(out, "%s\n", name);
	}
}

int
cmd_calendar(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *content_dir = NULL;
	ck_buf out = CK_BUF_INIT;
	ck_calendar *own = NULL, *cal;
	ck_model *m = NULL;
	ck_diags *d = NULL;
	char *end;
	long year;
	int c, rc;

	optind = 1;
	opterr = 0;
	/* No '+': "calendar 2026 -C content" reads as naturally. */
	while ((c = getopt_long(argc, argv, ":C:h", longopts, NULL)) != -1) {
		if (c == 'C') {
			content_dir = optarg;
		} else if (c == 'h') {
			help(stdout);
			return CK_EXIT_OK;
		} else {
			return ck_cli_bad_option("calendar", c, argv);
		}
	}
	if (optind >= argc)
		return ck_cli_usage_error("calendar", "which year?");
	if (optind + 1 < argc)
		return ck_cli_usage_error(
		    "calendar", "unexpected argument '%s'", argv[optind + 1]);
	errno = 0;
	year = strtol(argv[optind], &end, 10);
	if (errno != 0 || end == argv[optind] || *end != '\0' || year < 1900 ||
	    year > 2199)
		return ck_cli_usage_error(
		    "calendar", "'%s' is not a year from 1900 to 2199",
		    argv[optind]);
	if (content_dir != NULL &&
	    ck_cli_check_path("calendar", "-C", content_dir) != 0)
		return CK_EXIT_USAGE;

	if (content_dir == NULL) {
		cal = own = ck_calendar_new();
	} else {
		d = ck_diags_new();
		rc = ck_model_load_site(&m, content_dir, d);
		ck_diags_print(d, stderr);
		if (rc == -2) {
			fprintf(stderr,
			        "congkhai: content folder '%s' not found\n",
			        content_dir);
			rc = CK_EXIT_USAGE;
			goto done;
		}
		if (rc != 0) {
			rc = rc == -1 ? CK_EXIT_CONTENT : CK_EXIT_IO;
			goto done;
		}
		cal = m->calendar;
	}
	list_year(&out, cal, (int)year);
	rc = CK_EXIT_OK;
	if (fwrite(out.ptr, 1, out.size, stdout) != out.size ||
	    fflush(stdout) != 0) {
		warn("stdout");
		rc = CK_EXIT_IO;
	}
done:
	ck_buf_free(&out);
	ck_calendar_free(own);
	ck_model_free(m);
	ck_diags_free(d);
	return rc;
}
