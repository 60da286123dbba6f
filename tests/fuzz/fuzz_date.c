/*
 * ck_date_parse and ck_time_parse on arbitrary bytes. Beyond not crashing:
 * a parsed day is in 1900..2199 and survives both notations unchanged, and
 * a parsed time is a minute of the day.
 */
#include <stdint.h>
#include <stdlib.h>

#include "buf.h"
#include "date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	ck_day day = CK_NODAY, back = CK_NODAY;
	ck_date_status st = ck_date_parse(&day, s, size);
	int minutes = -1;

	if (st != CK_DATE_OK && st != CK_DATE_SYNTAX &&
	    st != CK_DATE_IMPOSSIBLE)
		abort();
	if (st == CK_DATE_OK) {
		char iso[11];
		ck_buf b = CK_BUF_INIT;

		if (day < ck_day_from_ymd(1900, 1, 1) ||
		    day > ck_day_from_ymd(2199, 12, 31))
			abort();
		ck_day_iso(iso, day);
		if (ck_date_parse(&back, iso, 10) != CK_DATE_OK || back != day)
			abort();
		ck_day_put_vn(&b, day);
		if (ck_date_parse(&back, b.ptr, b.size) != CK_DATE_OK ||
		    back != day)
			abort();
		ck_buf_free(&b);
	} else if (day != CK_NODAY) {
		abort(); /* written although it failed */
	}
	if (ck_time_parse(&minutes, s, size) == 0) {
		if (minutes < 0 || minutes >= 24 * 60)
			abort();
	} else if (minutes != -1) {
		abort();
	}
	return 0;
}
