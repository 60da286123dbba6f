/*
 * Front matter: the YAML block between two `---` lines at the top of a
 * Markdown file (or a whole YAML file such as site.yaml), parsed with
 * libyaml into a tree that remembers where every key and value stands in
 * the file.
 *
 * (This header is not called yaml.h so that `#include <yaml.h>` always means
 * libyaml's, whatever -I flags a build passes.)
 */
#ifndef CK_FRONTMATTER_H
#define CK_FRONTMATTER_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"

typedef enum { CK_YAML_SCALAR, CK_YAML_SEQ, CK_YAML_MAP } ck_yaml_kind;

typedef struct ck_yaml_node ck_yaml_node;
struct ck_yaml_node {
	ck_yaml_kind kind;
	/*
	 * Where the node starts in the file, from 1; the column counts code
	 * points. A quoted scalar starts at its quote, a block scalar at its
	 * `|` or `>`, a block sequence at its first `-`, a block map at its
	 * first key, a flow collection at its `[` or `{`.
	 */
	unsigned line, col;
	/* SCALAR: the value, NUL-terminated (owned by the arena). */
	const char *str;
	size_t len;
	bool plain; /* SCALAR: plain style (so `null`, `~`, `true` mean that) */
	bool block; /* SCALAR: literal or folded block (`|`, `>`) */
	/* MAP: keys[i] (scalars) -> vals[i]; SEQ: vals[i]. */
	ck_yaml_node **keys;
	ck_yaml_node **vals;
	size_t n;
};

/* One file's parts. yaml_line/body_line: the file line each part starts on. */
typedef struct {
	const char *yaml;
	size_t yaml_len;
	unsigned yaml_line;
	const char *body;
	size_t body_len;
	unsigned body_line;
} ck_frontmatter;

/*
 * Splits text that starts with a `---` line (after an optional UTF-8 BOM),
 * YAML, and a closing `---` or `...` line; delimiter lines may carry
 * trailing blanks and end in \r\n. The parts point into `text`.
 * Returns 0, or -1 when the text does not start with `---`, or -2 when the
 * block is never closed.
 */
int ck_frontmatter_split(ck_frontmatter *out, const char *text, size_t len);

/*
 * Parses one YAML document (`text` starts on file line `first_line`, column
 * 1; a leading UTF-8 BOM is skipped) into a tree in the arena: every node
 * and string is owned by `a`. An empty document gives an empty map. Syntax
 * errors, invalid UTF-8, aliases and anchors, tags other than the core ones,
 * keys that are not scalars, duplicate keys, NUL characters in strings and
 * nesting deeper than 64 levels are reported into `d` against `path`.
 * Returns 0, or -1 after reporting: after a syntax error (or nesting too
 * deep) *out is NULL; after the other errors *out is the tree without the
 * offending nodes (the later of two duplicate keys is dropped), so callers
 * go on checking it and one run reports everything.
 */
int ck_yaml_parse(ck_yaml_node **out, ck_arena *a, const char *path,
                  const char *text, size_t len, unsigned first_line,
                  ck_diags *d);

/* A deep copy of n (nodes and strings) owned by a; NULL gives NULL. */
ck_yaml_node *ck_yaml_copy(ck_arena *a, const ck_yaml_node *n);

/* The value under `key` in a map (owned by the map's arena), or NULL. */
ck_yaml_node *ck_yaml_get(const ck_yaml_node *map, const char *key);

#endif
