/*
 * Fuzz target: arbitrary bytes through the front matter splitter and the
 * YAML loader, checking that every node's position lies inside the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frontmatter.h"

static unsigned last_line;

/* Positions must be within the parsed lines; anything else is a bug. */
static void
walk(const ck_yaml_node *n, unsigned first)
{
	size_t i;

	if (n->line < first || n->line > last_line || n->col == 0)
		abort();
	if (n->kind == CK_YAML_SCALAR) {
		if (n->str == NULL || n->str[n->len] != '\0')
			abort();
		return;
	}
	for (i = 0; i < n->n; i++) {
		if (n->kind == CK_YAML_MAP) {
			if (n->keys[i]->kind != CK_YAML_SCALAR)
				abort();
			walk(n->keys[i], first);
			if (ck_yaml_get(n, n->keys[i]->str) == NULL &&
			    memchr(n->keys[i]->str, '\0', n->keys[i]->len) ==
			        NULL)
				abort();
		}
		walk(n->vals[i], first);
	}
}

static void
parse(const char *text, size_t len, unsigned first)
{
	ck_arena *a = ck_arena_new();
	ck_diags *d = ck_diags_new();
	ck_yaml_node *root = NULL;
	size_t i;
	int rc;

	last_line = first;
	for (i = 0; i < len; i++)
		last_line += text[i] == '\n';
	rc = ck_yaml_parse(&root, a, "fuzz.md", text, len, first, d);
	/* Success means a tree and no errors; errors may still leave a tree
	 * (duplicate keys and the like), never the other way round. */
	if ((rc == 0 && root == NULL) ||
	    (rc == 0) != (ck_diags_errors(d) == 0))
		abort();
	if (root != NULL)
		walk(root, first);
	ck_diags_free(d);
	ck_arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	ck_frontmatter fm;

	if (ck_frontmatter_split(&fm, text, size) == 0) {
		if (fm.yaml < text || fm.yaml + fm.yaml_len > text + size ||
		    fm.body < fm.yaml + fm.yaml_len ||
		    fm.body + fm.body_len != text + size ||
		    fm.body_line <= fm.yaml_line)
			abort();
		parse(fm.yaml, fm.yaml_len, fm.yaml_line);
	} else {
		/* Also as a whole YAML file, like site.yaml. */
		parse(text, size, 1);
	}
	return 0;
}
