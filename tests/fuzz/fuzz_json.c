/*
 * Fuzz target: arbitrary bytes through the JSON reader. Whatever parses
 * must write back to text that parses again and writes the same bytes
 * (the writer's output is canonical); whatever fails must say where, at a
 * line and column inside the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "json.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	ck_arena *a = ck_arena_new();
	ck_buf err = CK_BUF_INIT, once = CK_BUF_INIT, twice = CK_BUF_INIT;
	ck_value *v = NULL, *again = NULL;
	unsigned line, col, lines = 1;
	size_t i;

	for (i = 0; i < size; i++)
		lines += text[i] == '\n';
	if (ck_json_parse(&v, a, text, size, &err) == 0) {
		if (v == NULL || err.size != 0)
			abort();
		ck_json_write(&once, v);
		if (ck_json_parse(&again, a, once.ptr, once.size, &err) < 0) {
			fprintf(stderr, "written JSON does not parse: %s\n%s",
			        err.ptr, once.ptr);
			abort();
		}
		ck_json_write(&twice, again);
		if (!ck_buf_equal(&once, &twice)) {
			fprintf(stderr, "not stable:\n%s---\n%s", once.ptr,
			        twice.ptr);
			abort();
		}
	} else {
		if (v != NULL ||
		    sscanf(err.ptr, "line %u col %u: ", &line, &col) != 2 ||
		    line < 1 || line > lines || col < 1 || col > size + 1)
			abort();
	}
	ck_buf_free(&err);
	ck_buf_free(&once);
	ck_buf_free(&twice);
	ck_arena_free(a);
	return 0;
}
