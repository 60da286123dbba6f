/*
 * JSON for the open data (writer) and for reading back a previous
 * publication and the Mustache spec tests (reader). Both go through ck_value.
 */
#ifndef CK_JSON_H
#define CK_JSON_H

#include <stddef.h>

#include "buf.h"
#include "value.h"

/*
 * Writes v as JSON, indented by two spaces, keys in insertion order, UTF-8
 * as is (only ", \ and control characters escaped), a newline at the end.
 */
void ck_json_write(ck_buf *out, const ck_value *v);
/*
 * v as ck_json_write writes it inside a document, nested level deep (its
 * lines after the first indented so), without the final newline: for
 * writing a document a piece at a time.
 */
void ck_json_write_at(ck_buf *out, const ck_value *v, unsigned level);
/* A JSON string literal for s. */
void ck_json_put_string(ck_buf *out, const char *s, size_t len);
/*
 * Parses JSON text into values in the arena. Returns 0, or -1 with a
 * message ("line L col C: ...") appended to err.
 */
int ck_json_parse(ck_value **out, ck_arena *a, const char *s, size_t len,
		  ck_buf *err);

#endif
