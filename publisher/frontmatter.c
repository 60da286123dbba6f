#include "frontmatter.h"

#include <err.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* libyaml's header, never ours: ours is frontmatter.h. */
#include <yaml.h>

#include "buf.h"

#define CK_YAML_MAX_DEPTH 64
#define CORE_TAG "tag:yaml.org,2002:"

/*
 * If p[0..len) starts with a line made of `mark`, optional blanks and an
 * optional \r, ended by \n or the end of the text, returns that line's
 * length with its \n; otherwise 0.
 */
static size_t
delim_line(const char *p, size_t len, const char *mark)
{
	size_t i = 3;

	if (len < 3 || memcmp(p, mark, 3) != 0)
		return 0;
	while (i < len && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i < len && p[i] == '\r')
		i++;
	if (i == len)
		return p[i - 1] == '\r' ? 0 : i;
	return p[i] == '\n' ? i + 1 : 0;
}

int
ck_frontmatter_split(ck_frontmatter *out, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl;
	unsigned line = 2;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	n = delim_line(p, (size_t)(end - p), "---");
	if (n == 0)
		return -1;
	/* A lone `---` without a newline opens a block that cannot close. */
	if (p[n - 1] != '\n')
		return -2;
	p += n;
	out->yaml = p;
	out->yaml_line = line;
	while (p < end) {
		n = delim_line(p, (size_t)(end - p), "---");
		if (n == 0)
			n = delim_line(p, (size_t)(end - p), "...");
		if (n != 0) {
			out->yaml_len = (size_t)(p - out->yaml);
			out->body = p + n;
			out->body_len = (size_t)(end - out->body);
			out->body_line = line + 1;
			return 0;
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			break;
		p = nl + 1;
		line++;
	}
	memset(out, 0, sizeof(*out));
	return -2;
}

struct ctx {
	ck_arena *a;
	const char *path;
	const char *text; /* what libyaml reads (after any BOM) */
	size_t len;
	unsigned first_line;
	ck_diags *d;
	yaml_parser_t parser;
	/* lines[i]: index, in code points, of the first character of line i */
	size_t *lines;
	size_t nlines;
	bool failed; /* an error was reported but parsing could go on */
};

static bool
is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/*
 * libyaml marks count code points from the start of its input, and also
 * count \r, U+2028 and friends as line breaks; editors and the rest of
 * congkhai count only \n. So positions come from the mark's index, mapped
 * through our own table of line starts.
 */
static void
build_lines(struct ctx *c)
{
	size_t i, n = 1, chars = 0;

	for (i = 0; i < c->len; i++)
		n += c->text[i] == '\n';
	c->lines = malloc(n * sizeof(*c->lines));
	if (c->lines == NULL)
		err(3, "malloc");
	c->lines[0] = 0;
	c->nlines = 1;
	for (i = 0; i < c->len; i++) {
		if (!is_cont((unsigned char)c->text[i]))
			chars++;
		if (c->text[i] == '\n')
			c->lines[c->nlines++] = chars;
	}
}

static void
mark_pos(const struct ctx *c, const yaml_mark_t *m, unsigned *line,
         unsigned *col)
{
	size_t lo = 0, hi = c->nlines, mid;

	/* The last line that starts at or before the mark. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (c->lines[mid] <= m->index)
			lo = mid;
		else
			hi = mid;
	}
	*line = c->first_line + (unsigned)lo;
	*col = (unsigned)(m->index - c->lines[lo]) + 1;
}

/* Reader errors give a byte offset, not a mark. */
static void
offset_pos(const struct ctx *c, size_t offset, unsigned *line, unsigned *col)
{
	size_t i;

	*line = c->first_line;
	*col = 1;
	for (i = 0; i < offset && i < c->len; i++) {
		if (c->text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (!is_cont((unsigned char)c->text[i])) {
			(*col)++;
		}
	}
}

static void
report_at(struct ctx *c, const yaml_mark_t *m, const char *msg)
{
	unsigned line, col;

	mark_pos(c, m, &line, &col);
	ck_diag(c->d, CK_ERROR, c->path, line, col, "%s", msg);
	c->failed = true;
}

/* One line out of libyaml's failure, at the place it names. */
static void
report_libyaml(struct ctx *c)
{
	const yaml_parser_t *p = &c->parser;
	const char *problem = p->problem ? p->problem : "unknown error";
	ck_buf msg = CK_BUF_INIT;
	unsigned line, col, cline, ccol;
	size_t at;

	if (p->error == YAML_MEMORY_ERROR)
		errx(3, "libyaml: out of memory");
	if (p->error == YAML_READER_ERROR) {
		offset_pos(c, p->problem_offset, &line, &col);
		if (p->problem_value != -1 && strstr(problem, "control"))
			ck_buf_printf(&msg,
			              "control character U+%04X is not allowed",
			              (unsigned)p->problem_value);
		else if (strstr(problem, "UTF-8") || strstr(problem, "Unicode"))
			ck_buf_puts(&msg, "invalid UTF-8");
		else
			ck_buf_printf(&msg, "invalid YAML: %s", problem);
		goto done;
	}
	mark_pos(c, &p->problem_mark, &line, &col);
	ck_buf_puts(&msg, "invalid YAML: ");
	at = p->problem_mark.index;
	if (strcmp(problem, "found character that cannot start any token") ==
	    0) {
		/* Say which one: usually a tab used to indent, or @ or `. */
		const char *s = c->text;
		size_t i, chars = 0, b = c->len;

		for (i = 0; i < c->len; i++) {
			if (is_cont((unsigned char)s[i]))
				continue;
			if (chars++ == at) {
				b = i;
				break;
			}
		}
		if (b < c->len && s[b] == '\t')
			ck_buf_puts(&msg, "found a tab that cannot start any "
			                  "token (indent with spaces)");
		else if (b < c->len && (unsigned char)s[b] >= 0x20 &&
		         (unsigned char)s[b] < 0x7F)
			ck_buf_printf(&msg,
			              "found character '%c' that cannot "
			              "start any token",
			              s[b]);
		else
			ck_buf_puts(&msg, problem);
	} else {
		ck_buf_puts(&msg, problem);
	}
	if (p->context != NULL && p->context_mark.index != at) {
		mark_pos(c, &p->context_mark, &cline, &ccol);
		ck_buf_printf(&msg, " (%s at line %u, column %u)", p->context,
		              cline, ccol);
	}
done:
	ck_diag(c->d, CK_ERROR, c->path, line, col, "%s", msg.ptr);
	ck_buf_free(&msg);
}

/* The next event, or -1 after reporting libyaml's error. */
static int
next_event(struct ctx *c, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&c->parser, ev)) {
		report_libyaml(c);
		return -1;
	}
	return 0;
}

static ck_yaml_node *
new_node(struct ctx *c, ck_yaml_kind kind, const yaml_mark_t *m)
{
	ck_yaml_node *n = ck_arena_alloc(c->a, sizeof(*n));

	n->kind = kind;
	mark_pos(c, m, &n->line, &n->col);
	return n;
}

/*
 * Checks a node's anchor and tag. Core tags are accepted for the kind of
 * node they name; they change nothing except that !!str (and the
 * non-specific `!`) makes a scalar a string whatever it looks like.
 */
static void
check_props(struct ctx *c, const yaml_event_t *ev, ck_yaml_node *n)
{
	static const char *const scalar_tags[] = {
	    "str", "int", "float", "bool", "null", "timestamp", NULL};
	const yaml_char_t *anchor = NULL, *tag = NULL;
	const char *t, *name;
	size_t i;
	bool ok = false;

	if (ev->type == YAML_SCALAR_EVENT) {
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
	} else if (ev->type == YAML_SEQUENCE_START_EVENT) {
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
	} else if (ev->type == YAML_MAPPING_START_EVENT) {
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
	}
	if (anchor != NULL)
		report_at(c, &ev->start_mark,
		          "aliases and anchors are not supported");
	if (tag == NULL)
		return;
	t = (const char *)tag;
	if (strcmp(t, "!") == 0) {
		n->plain = false;
		return;
	}
	if (strncmp(t, CORE_TAG, strlen(CORE_TAG)) == 0) {
		name = t + strlen(CORE_TAG);
		if (n->kind == CK_YAML_SCALAR) {
			for (i = 0; scalar_tags[i] != NULL; i++)
				ok = ok || strcmp(name, scalar_tags[i]) == 0;
			if (strcmp(name, "str") == 0)
				n->plain = false;
		} else if (n->kind == CK_YAML_SEQ) {
			ok = strcmp(name, "seq") == 0;
		} else {
			ok = strcmp(name, "map") == 0;
		}
		if (ok)
			return;
		ck_diag(c->d, CK_ERROR, c->path, n->line, n->col,
		        "unsupported tag '!!%s'", name);
	} else {
		ck_diag(c->d, CK_ERROR, c->path, n->line, n->col,
		        "unsupported tag '%s'", t);
	}
	c->failed = true;
}

static ck_yaml_node **
to_array(struct ctx *c, const ck_ptrvec *v)
{
	ck_yaml_node **arr;
	size_t i;

	if (v->len == 0)
		return NULL;
	arr = ck_arena_alloc(c->a, v->len * sizeof(*arr));
	for (i = 0; i < v->len; i++)
		arr[i] = v->items[i];
	return arr;
}

static int parse_node(struct ctx *c, yaml_event_t *ev, ck_yaml_node **out,
                      unsigned depth);

static int
parse_scalar(struct ctx *c, yaml_event_t *ev, ck_yaml_node **out)
{
	ck_yaml_node *n = new_node(c, CK_YAML_SCALAR, &ev->start_mark);
	const char *v = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;

	n->str = ck_arena_strndup(c->a, v, len);
	n->len = len;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	n->block = ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
	           ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE;
	check_props(c, ev, n);
	/* "\0" in a quoted string would cut every C string made from it. */
	if (memchr(v, '\0', len) != NULL)
		report_at(c, &ev->start_mark,
		          "strings cannot contain NUL characters");
	*out = n;
	return 0;
}

static int
parse_seq(struct ctx *c, yaml_event_t *ev, ck_yaml_node **out, unsigned depth)
{
	ck_yaml_node *n = new_node(c, CK_YAML_SEQ, &ev->start_mark);
	ck_yaml_node *item;
	ck_ptrvec vals = {0};
	yaml_event_t e;
	int rc = -1;

	check_props(c, ev, n);
	for (;;) {
		if (next_event(c, &e) < 0)
			goto done;
		if (e.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&e);
			break;
		}
		rc = parse_node(c, &e, &item, depth + 1);
		yaml_event_delete(&e);
		if (rc < 0)
			goto done;
		rc = -1;
		ck_ptrvec_push(c->a, &vals, item);
	}
	n->vals = to_array(c, &vals);
	n->n = vals.len;
	*out = n;
	rc = 0;
done:
	return rc;
}

static const char *
kind_name(ck_yaml_kind k)
{
	return k == CK_YAML_SEQ ? "a list" : k == CK_YAML_MAP ? "a map" : "";
}

/*
 * The keys of one map seen so far, hashed: the duplicate check must stay
 * linear, whatever number of keys a file holds (100 000 keys under `extra`
 * took seconds with a list search). Slots hold key nodes; the table is
 * owned by the map's parse and freed with key_index_free().
 */
struct key_index {
	const ck_yaml_node **slots;
	size_t cap, len; /* cap: 0 or a power of two */
};

static size_t
key_hash(const ck_yaml_node *key)
{
	uint64_t h = 14695981039346656037u; /* FNV-1a */
	size_t i;

	for (i = 0; i < key->len; i++)
		h = (h ^ (unsigned char)key->str[i]) * 1099511628211u;
	return (size_t)h;
}

static bool
key_equal(const ck_yaml_node *a, const ck_yaml_node *b)
{
	return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

/* The slot that holds `key`, or the empty slot where it would go. */
static const ck_yaml_node **
key_slot(const struct key_index *ki, const ck_yaml_node *key)
{
	size_t i = key_hash(key) & (ki->cap - 1);

	while (ki->slots[i] != NULL && !key_equal(ki->slots[i], key))
		i = (i + 1) & (ki->cap - 1);
	return &ki->slots[i];
}

static void
key_index_grow(struct key_index *ki)
{
	struct key_index bigger = {0};
	size_t i;

	bigger.cap = ki->cap ? ki->cap * 2 : 16;
	bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
	if (bigger.slots == NULL)
		err(3, "calloc");
	for (i = 0; i < ki->cap; i++)
		if (ki->slots[i] != NULL)
			*key_slot(&bigger, ki->slots[i]) = ki->slots[i];
	bigger.len = ki->len;
	free(ki->slots);
	*ki = bigger;
}

/* The earlier key equal to `key`, or NULL after adding `key`. */
static const ck_yaml_node *
key_index_add(struct key_index *ki, const ck_yaml_node *key)
{
	const ck_yaml_node **slot;

	if (2 * (ki->len + 1) > ki->cap)
		key_index_grow(ki);
	slot = key_slot(ki, key);
	if (*slot != NULL)
		return *slot;
	*slot = key;
	ki->len++;
	return NULL;
}

static void
key_index_free(struct key_index *ki)
{
	free(ki->slots);
}

static int
parse_map(struct ctx *c, yaml_event_t *ev, ck_yaml_node **out, unsigned depth)
{
	ck_yaml_node *n = new_node(c, CK_YAML_MAP, &ev->start_mark);
	ck_yaml_node *key, *val;
	const ck_yaml_node *first;
	ck_ptrvec keys = {0}, vals = {0};
	struct key_index seen = {0};
	yaml_event_t e;
	int rc = -1;

	check_props(c, ev, n);
	for (;;) {
		if (next_event(c, &e) < 0)
			goto done;
		if (e.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&e);
			break;
		}
		rc = parse_node(c, &e, &key, depth + 1);
		yaml_event_delete(&e);
		if (rc < 0)
			goto done;
		rc = -1;
		if (next_event(c, &e) < 0)
			goto done;
		rc = parse_node(c, &e, &val, depth + 1);
		yaml_event_delete(&e);
		if (rc < 0)
			goto done;
		rc = -1;
		if (key->kind != CK_YAML_SCALAR) {
			ck_diag(c->d, CK_ERROR, c->path, key->line, key->col,
			        "keys must be strings, not %s",
			        kind_name(key->kind));
			c->failed = true;
			continue;
		}
		first = key_index_add(&seen, key);
		if (first != NULL) {
			ck_diag(c->d, CK_ERROR, c->path, key->line, key->col,
			        "duplicate key '%s' (first at line %u)",
			        key->str, first->line);
			c->failed = true;
			continue;
		}
		ck_ptrvec_push(c->a, &keys, key);
		ck_ptrvec_push(c->a, &vals, val);
	}
	n->keys = to_array(c, &keys);
	n->vals = to_array(c, &vals);
	n->n = keys.len;
	*out = n;
	rc = 0;
done:
	key_index_free(&seen);
	return rc;
}

/*
 * Builds the node that starts with event `ev` (which the caller deletes),
 * reading the events of its children. Returns -1 when parsing must stop.
 */
static int
parse_node(struct ctx *c, yaml_event_t *ev, ck_yaml_node **out, unsigned depth)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return parse_scalar(c, ev, out);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		/* Recursion is bounded here, whatever libyaml accepts. */
		if (depth >= CK_YAML_MAX_DEPTH) {
			report_at(c, &ev->start_mark, "nesting too deep");
			return -1;
		}
		if (ev->type == YAML_SEQUENCE_START_EVENT)
			return parse_seq(c, ev, out, depth);
		return parse_map(c, ev, out, depth);
	case YAML_ALIAS_EVENT:
		report_at(c, &ev->start_mark,
		          "aliases and anchors are not supported");
		/* Stand in for the alias so that parsing goes on. */
		*out = new_node(c, CK_YAML_SCALAR, &ev->start_mark);
		(*out)->str = "";
		return 0;
	default:
		/* libyaml only gives node events here. */
		report_at(c, &ev->start_mark, "invalid YAML: unexpected event");
		return -1;
	}
}

static int
parse_stream(struct ctx *c, ck_yaml_node **out)
{
	yaml_event_t e;
	yaml_mark_t m = {0, 0, 0};
	ck_yaml_node *root = NULL;
	int rc = -1;

	if (next_event(c, &e) < 0) /* STREAM-START */
		return -1;
	yaml_event_delete(&e);
	if (next_event(c, &e) < 0)
		return -1;
	if (e.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&e);
		goto empty;
	}
	yaml_event_delete(&e); /* DOCUMENT-START */
	if (next_event(c, &e) < 0)
		return -1;
	rc = parse_node(c, &e, &root, 0);
	yaml_event_delete(&e);
	if (rc < 0)
		return -1;
	if (next_event(c, &e) < 0) /* DOCUMENT-END */
		return -1;
	yaml_event_delete(&e);
	if (next_event(c, &e) < 0)
		return -1;
	if (e.type != YAML_STREAM_END_EVENT) {
		report_at(c, &e.start_mark,
		          "only one YAML document is allowed");
		yaml_event_delete(&e);
		return -1;
	}
	yaml_event_delete(&e);
	/* `---` and nothing else: as empty as no document at all. */
	if (root->kind == CK_YAML_SCALAR && root->plain && root->len == 0)
		goto empty;
	*out = root;
	return 0;
empty:
	*out = new_node(c, CK_YAML_MAP, &m);
	return 0;
}

int
ck_yaml_parse(ck_yaml_node **out, ck_arena *a, const char *path,
              const char *text, size_t len, unsigned first_line, ck_diags *d)
{
	struct ctx c = {0};
	int rc = -1;

	*out = NULL;
	if (text == NULL) /* libyaml asserts on a NULL input */
		text = "";
	/*
	 * The BOM goes here: libyaml would only skip it when guessing the
	 * encoding, and UTF-8 is not to be guessed.
	 */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	c.a = a;
	c.path = path;
	c.text = text;
	c.len = len;
	c.first_line = first_line ? first_line : 1;
	c.d = d;
	if (!yaml_parser_initialize(&c.parser))
		errx(3, "libyaml: out of memory");
	yaml_parser_set_input_string(&c.parser, (const unsigned char *)text,
	                             len);
	yaml_parser_set_encoding(&c.parser, YAML_UTF8_ENCODING);
	build_lines(&c);
	if (parse_stream(&c, out) < 0) {
		*out = NULL;
		goto done;
	}
	/*
	 * Duplicate keys, aliases and tags are reported, but the tree (without
	 * them) is kept, so the records' own checks still run and one run
	 * reports everything.
	 */
	rc = c.failed ? -1 : 0;
done:
	yaml_parser_delete(&c.parser);
	free(c.lines);
	return rc;
}

ck_yaml_node *
ck_yaml_copy(ck_arena *a, const ck_yaml_node *n)
{
	ck_yaml_node *c;
	size_t i;

	if (n == NULL)
		return NULL;
	c = ck_arena_alloc(a, sizeof(*c));
	*c = *n;
	if (n->str)
		c->str = ck_arena_strndup(a, n->str, n->len);
	if (n->n == 0) {
		c->keys = c->vals = NULL;
		return c;
	}
	c->vals = ck_arena_alloc(a, n->n * sizeof(*c->vals));
	if (n->keys)
		c->keys = ck_arena_alloc(a, n->n * sizeof(*c->keys));
	for (i = 0; i < n->n; i++) {
		c->vals[i] = ck_yaml_copy(a, n->vals[i]);
		if (n->keys)
			c->keys[i] = ck_yaml_copy(a, n->keys[i]);
	}
	return c;
}

ck_yaml_node *
ck_yaml_get(const ck_yaml_node *map, const char *key)
{
	size_t i, len;

	if (map == NULL || map->kind != CK_YAML_MAP || key == NULL)
		return NULL;
	len = strlen(key);
	for (i = 0; i < map->n; i++)
		if (map->keys[i]->len == len &&
		    memcmp(map->keys[i]->str, key, len) == 0)
			return map->vals[i];
	return NULL;
}
