/*
 * Mustache: each template is parsed once into a tree of nodes, with every
 * whitespace decision of the spec (standalone lines, partial indentation,
 * block reindentation) taken at parse time, so that rendering is a single
 * walk of the tree that only appends to the output.
 *
 * Indentation follows the spec's model, where a standalone partial's
 * leading whitespace is put before every line of the partial's *source*:
 * nodes that begin a source line carry `bol`, and the renderer writes the
 * current indentation before them and after every newline inside a text
 * node. Interpolated values are never indented, as in the spec.
 *
 * Inheritance: a parent tag {{<p}}...{{/p}} renders template p with the
 * blocks it contains as overrides; overrides given further out win, so a
 * page's {{$title}} beats the default its base layout's parent gave.
 */
#include "mustache.h"

#include <dirent.h>
#include <err.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "fsguard.h"
#include "hash.h"
#include "json.h"

/* Sections, blocks and parents open at once in one template. */
#define MAX_NESTING 100
/* Nested renderings (sections and expansions) at once: stops recursion. */
#define MAX_RENDER_DEPTH 500
/*
 * Partial and parent expansions, and bytes written, in one render: these
 * stop a template that grows exponentially ({{>a}}{{>a}} in a). No page
 * comes near them; a fuzzing build lowers them to keep each run short.
 */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define MAX_EXPANSIONS 20000UL
#define MAX_OUTPUT ((size_t)4 << 20)
#else
#define MAX_EXPANSIONS 10000000UL
#define MAX_OUTPUT ((size_t)1 << 30)
#endif
/* Folder levels ck_tmpl_load_dir descends. */
#define MAX_DIR_DEPTH 32

enum node_kind {
	N_TEXT,
	N_VAR,
	N_SECTION,
	N_INVERTED,
	N_PARTIAL,
	N_PARENT,
	N_BLOCK
};

typedef struct node node;
struct node {
	unsigned char kind;
	bool bol;        /* begins a source line: takes the indentation */
	bool raw;        /* variables: {{{x}}} or {{&x}}, not escaped */
	bool standalone; /* partials, parents: expanded indented */
	bool force;      /* blocks: indent an override's first line too */
	/* Text; the indentation of partials, parents and blocks. */
	const char *text;
	size_t len;
	const char *name;   /* as written, trimmed */
	const char **parts; /* name split at dots; none for "." */
	uint32_t *hashes;   /* each part's ck_value_key_hash, for lookups */
	size_t nparts;
	node **kids; /* sections, blocks; a parent's kids are its blocks */
	size_t nkids;
};

typedef struct {
	char *name;
	ck_arena *arena; /* holds the nodes and their strings */
	node **kids;
	size_t nkids;
	uint64_t fp[2]; /* ck_hash128 of its name, a NUL and its source */
} tmpl;

struct ck_tmpl_set {
	tmpl **slot; /* open addressing, power-of-two size */
	size_t cap, count;
};

/* ---- the set ---- */

static size_t
hash_name(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static tmpl **
find_slot(const ck_tmpl_set *s, const char *name)
{
	size_t i = hash_name(name) & (s->cap - 1);

	while (s->slot[i] != NULL && strcmp(s->slot[i]->name, name) != 0)
		i = (i + 1) & (s->cap - 1);
	return &s->slot[i];
}

static const tmpl *
find_tmpl(const ck_tmpl_set *s, const char *name)
{
	return s->cap ? *find_slot(s, name) : NULL;
}

static void
tmpl_free(tmpl *t)
{
	if (t == NULL)
		return;
	free(t->name);
	ck_arena_free(t->arena);
	free(t);
}

ck_tmpl_set *
ck_tmpl_set_new(void)
{
	ck_tmpl_set *s = calloc(1, sizeof(*s));

	if (s == NULL)
		err(3, "calloc");
	return s;
}

void
ck_tmpl_set_free(ck_tmpl_set *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->cap; i++)
		tmpl_free(s->slot[i]);
	free(s->slot);
	free(s);
}

/* Takes t; replaces (and frees) a template of the same name. */
static void
set_put(ck_tmpl_set *s, tmpl *t)
{
	tmpl **old, **slot;
	size_t i, ocap = s->cap;

	if ((s->count + 1) * 2 > s->cap) {
		old = s->slot;
		s->cap = s->cap ? s->cap * 2 : 16;
		s->slot = calloc(s->cap, sizeof(*s->slot));
		if (s->slot == NULL)
			err(3, "calloc");
		for (i = 0; i < ocap; i++)
			if (old[i] != NULL)
				*find_slot(s, old[i]->name) = old[i];
		free(old);
	}
	slot = find_slot(s, t->name);
	if (*slot == NULL)
		s->count++;
	tmpl_free(*slot);
	*slot = t;
}

/* ---- parsing ---- */

typedef struct {
	node *n;         /* NULL for the template itself */
	ck_ptrvec kids;  /* its children so far */
	size_t ts;       /* where the open tag starts */
	size_t ls;       /* where the open tag's line starts */
	bool arg;        /* a block that is an argument of a parent */
	bool left_clear; /* only blanks before the open tag on its line */
	bool open_alone; /* the open tag was a standalone line */
	node *ws; /* parents: the blanks before the tag, as a text node */
	const char *intrinsic; /* blocks: indentation of the first line */
	size_t ilen;
} elem;

typedef struct {
	const char *src;
	size_t len, pos;
	const char *otag, *ctag; /* current delimiters */
	size_t olen, clen;
	size_t prev_end; /* end of the previous tag */
	bool at_bol;     /* the next node begins a source line */
	elem stack[MAX_NESTING + 1];
	size_t depth;
	ck_arena *a;
	const char *path;
	ck_diags *d;
	bool failed;
} parser;

static void syntax_error(parser *p, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
syntax_error(parser *p, size_t at, const char *fmt, ...)
{
	unsigned line = 1, col = 1;
	ck_buf msg = CK_BUF_INIT;
	va_list ap;
	size_t i;

	if (p->failed)
		return;
	p->failed = true;
	if (p->d == NULL)
		return;
	/* Columns count characters, as an editor shows them. */
	for (i = 0; i < at && i < p->len; i++) {
		if (p->src[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)p->src[i] & 0xC0) != 0x80) {
			col++;
		}
	}
	va_start(ap, fmt);
	ck_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	ck_diag(p->d, CK_ERROR, p->path, line, col, "%s", msg.ptr);
	ck_buf_free(&msg);
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/*
 * Whether only blanks stand between the start of ts's line and ts, with no
 * other tag; *ls is where those blanks begin.
 */
static bool
left_clear(const parser *p, size_t ts, size_t *ls)
{
	size_t i = ts;

	while (i > p->prev_end && is_blank(p->src[i - 1]))
		i--;
	*ls = i;
	return i == 0 || p->src[i - 1] == '\n';
}

/*
 * Whether only blanks follow te up to the end of its line; *next is just
 * past that line's end.
 */
static bool
right_clear(const parser *p, size_t te, size_t *next)
{
	size_t j = te;

	while (j < p->len && is_blank(p->src[j]))
		j++;
	if (j == p->len) {
		*next = j;
		return true;
	}
	if (p->src[j] == '\n') {
		*next = j + 1;
		return true;
	}
	if (p->src[j] == '\r' && j + 1 < p->len && p->src[j + 1] == '\n') {
		*next = j + 2;
		return true;
	}
	return false;
}

static node *
new_node(parser *p, enum node_kind kind)
{
	node *n = ck_arena_alloc(p->a, sizeof(*n));

	n->kind = (unsigned char)kind;
	n->text = "";
	return n;
}

static elem *
top(parser *p)
{
	return &p->stack[p->depth - 1];
}

static bool
in_parent(parser *p)
{
	return top(p)->n != NULL && top(p)->n->kind == N_PARENT;
}

/* A parent keeps only its blocks; anything else in it is dropped. */
static void
attach(parser *p, node *n)
{
	if (in_parent(p) && n->kind != N_BLOCK)
		return;
	ck_ptrvec_push(p->a, &top(p)->kids, n);
}

/* Adds src[from, to) as a text node; returns it, or NULL if dropped. */
static node *
text(parser *p, size_t from, size_t to)
{
	node *n;

	if (from >= to || in_parent(p))
		return NULL;
	n = new_node(p, N_TEXT);
	n->text = p->src + from;
	n->len = to - from;
	n->bol = p->at_bol;
	p->at_bol = p->src[to - 1] == '\n';
	attach(p, n);
	return n;
}

static bool
check_name(parser *p, size_t at, const char *name, size_t len)
{
	size_t i;

	if (len == 0) {
		syntax_error(p, at, "empty tag");
		return false;
	}
	for (i = 0; i < len; i++) {
		if (is_space(name[i])) {
			syntax_error(p, at, "bad tag name '%.*s'", (int)len,
			             name);
			return false;
		}
	}
	return true;
}

/* Splits a variable or section name at its dots ("." has no parts). */
static bool
split_name(parser *p, size_t at, node *n)
{
	const char *s = n->name, *dot;
	size_t count = 1, i = 0;

	if (strcmp(s, ".") == 0)
		return true;
	for (dot = s; (dot = strchr(dot, '.')) != NULL; dot++)
		count++;
	n->parts = ck_arena_alloc(p->a, count * sizeof(*n->parts));
	n->hashes = ck_arena_alloc(p->a, count * sizeof(*n->hashes));
	for (;;) {
		dot = strchr(s, '.');
		if (dot == NULL)
			dot = s + strlen(s);
		if (dot == s) {
			syntax_error(p, at, "bad name '%s'", n->name);
			return false;
		}
		n->parts[i] = ck_arena_strndup(p->a, s, (size_t)(dot - s));
		n->hashes[i] = ck_value_key_hash(n->parts[i]);
		/* The maps' own copy of the name: found by its address. */
		n->parts[i] = ck_value_intern(n->parts[i], n->hashes[i]);
		i++;
		if (*dot == '\0')
			break;
		s = dot + 1;
	}
	n->nparts = count;
	return true;
}

static size_t
leading_blanks(const parser *p, size_t from)
{
	size_t j = from;

	while (j < p->len && is_blank(p->src[j]))
		j++;
	return j - from;
}

/* Removes pre from the start of every source line of a text. */
static void
strip_text(ck_arena *a, node *n, const char *pre, size_t plen)
{
	ck_buf b = CK_BUF_INIT;
	size_t i = 0, start = 0;
	bool changed = false;

	for (;;) {
		bool line_start = (i == 0) ? n->bol : true;

		if (line_start && n->len - i >= plen &&
		    memcmp(n->text + i, pre, plen) == 0) {
			ck_buf_put(&b, n->text + start, i - start);
			i += plen;
			start = i;
			changed = true;
		}
		{
			const char *nl = memchr(n->text + i, '\n', n->len - i);

			if (nl == NULL)
				break;
			i = (size_t)(nl - n->text) + 1;
			if (i >= n->len)
				break;
		}
	}
	if (changed) {
		ck_buf_put(&b, n->text + start, n->len - start);
		n->text = ck_arena_strndup(a, b.ptr, b.size);
		n->len = b.size;
	}
	ck_buf_free(&b);
}

static void
strip_indent(ck_arena *a, node *n, const char *pre, size_t plen)
{
	if (n->len >= plen && memcmp(n->text, pre, plen) == 0) {
		n->text += plen;
		n->len -= plen;
	}
}

/*
 * An argument block's lines lose its intrinsic indentation (that of its
 * first line), so that they take the indentation of the block they replace
 * instead. Blocks, partials and parents inside it measure their own
 * indentation from the same place, so theirs loses it too. A nested
 * parent's arguments are their own frames and are left alone.
 */
static void
strip_tree(ck_arena *a, node **kids, size_t n, const char *pre, size_t plen)
{
	size_t i;

	for (i = 0; i < n; i++) {
		node *k = kids[i];

		switch (k->kind) {
		case N_TEXT:
			strip_text(a, k, pre, plen);
			break;
		case N_SECTION:
		case N_INVERTED:
			strip_tree(a, k->kids, k->nkids, pre, plen);
			break;
		case N_BLOCK:
			strip_indent(a, k, pre, plen);
			strip_tree(a, k->kids, k->nkids, pre, plen);
			break;
		case N_PARTIAL:
		case N_PARENT:
			if (k->standalone)
				strip_indent(a, k, pre, plen);
			break;
		}
	}
}

static void
push_elem(parser *p, node *n, size_t ts)
{
	elem *e;

	if (p->depth > MAX_NESTING) {
		syntax_error(p, ts, "sections nested deeper than %d levels",
		             MAX_NESTING);
		return;
	}
	e = &p->stack[p->depth++];
	memset(e, 0, sizeof(*e));
	e->n = n;
	e->ts = ts;
	e->intrinsic = "";
}

static void
finish_elem(parser *p)
{
	elem *e = top(p);

	e->n->kids = (node **)e->kids.items;
	e->n->nkids = e->kids.len;
	p->depth--;
	attach(p, e->n);
}

/* Moves past a tag, dropping its line when it stands alone on it. */
static bool
take_line(parser *p, size_t ts, size_t te, size_t *ls)
{
	size_t next;
	bool alone;

	alone = left_clear(p, ts, ls) && right_clear(p, te, &next);
	text(p, p->pos, alone ? *ls : ts);
	p->prev_end = te;
	p->pos = alone ? next : te;
	return alone;
}

static void
close_tag(parser *p, size_t ts, size_t te, const char *name, size_t nlen)
{
	elem *e = top(p);
	node *n = e->n, *blank;
	size_t ls, next;
	bool alone, pair;

	if (n == NULL) {
		syntax_error(p, ts, "unexpected end of section '%.*s'",
		             (int)nlen, name);
		return;
	}
	if (strlen(n->name) != nlen || memcmp(n->name, name, nlen) != 0) {
		syntax_error(p, ts,
		             "unexpected end of section '%.*s' (expected '%s')",
		             (int)nlen, name, n->name);
		return;
	}
	if (n->kind == N_PARENT) {
		/*
		 * A parent whose open tag starts its line and whose end
		 * tag ends one is expanded indented, like a standalone
		 * partial, even on one line: {{<base}}{{/base}}.
		 */
		pair = e->left_clear && right_clear(p, te, &next);
		p->prev_end = te;
		p->pos = pair ? next : te;
		if (pair) {
			n->standalone = true;
			n->bol = false;
			n->text = p->src + e->ls;
			n->len = e->ts - e->ls;
			if (e->ws != NULL) {
				ck_ptrvec *up = &p->stack[p->depth - 2].kids;

				if (up->len && up->items[up->len - 1] == e->ws)
					up->len--;
			}
		}
		p->at_bol = pair;
		finish_elem(p);
		return;
	}
	if (e->arg) {
		/*
		 * An argument ends where its end tag is; blanks before the
		 * tag on its line are not content, and what follows the tag
		 * is the parent's, so no line end is taken.
		 */
		text(p, p->pos, left_clear(p, ts, &ls) ? ls : ts);
		p->prev_end = te;
		p->pos = te;
		strip_tree(p->a, (node **)e->kids.items, e->kids.len,
		           e->intrinsic, e->ilen);
		finish_elem(p);
		return;
	}
	alone = take_line(p, ts, te, &ls);
	if (!alone && p->at_bol) {
		/* The line's indentation belongs to the section's content. */
		blank = new_node(p, N_TEXT);
		blank->bol = true;
		attach(p, blank);
	}
	if (n->kind == N_BLOCK) {
		pair = e->left_clear && right_clear(p, te, &next);
		if (e->open_alone) {
			/* Overrides take the default's own indentation. */
			n->force = true;
			if (pair) {
				n->text = e->intrinsic;
				n->len = e->ilen;
			}
		} else if (pair) {
			/* Overrides take the indentation of the tag's line. */
			n->text = p->src + e->ls;
			n->len = e->ts - e->ls;
		}
	}
	p->at_bol = alone;
	finish_elem(p);
}

/* Finds the end of the tag whose content starts at cs. */
static bool
find_close(parser *p, size_t cs, char type, size_t *ce, size_t *te)
{
	size_t from = cs;
	const char *q;

	for (;;) {
		q = memmem(p->src + from, p->len - from, p->ctag, p->clen);
		if (q == NULL)
			return false;
		*ce = (size_t)(q - p->src);
		*te = *ce + p->clen;
		if (type != '{' && type != '=')
			return true;
		/* {{{x}}} and {{=a b=}} also need their closing mark. */
		if (*ce > cs && p->src[*ce - 1] == (type == '{' ? '}' : '=')) {
			(*ce)--;
			return true;
		}
		from = *ce + 1;
	}
}

static void
set_delimiters(parser *p, size_t ts, size_t cs, size_t ce)
{
	size_t a = cs, b, c, d;

	while (a < ce && is_space(p->src[a]))
		a++;
	while (ce > a && is_space(p->src[ce - 1]))
		ce--;
	for (b = a; b < ce && !is_space(p->src[b]); b++)
		;
	for (c = b; c < ce && is_space(p->src[c]); c++)
		;
	for (d = c; d < ce && !is_space(p->src[d]); d++)
		;
	if (a == b || c == d || d != ce) {
		syntax_error(p, ts,
		             "bad delimiter: want two delimiters, as in "
		             "{{=<%% %%>=}}");
		return;
	}
	p->otag = p->src + a;
	p->olen = b - a;
	p->ctag = p->src + c;
	p->clen = d - c;
}

static void
tag(parser *p, size_t ts)
{
	size_t cs = ts + p->olen, ce, te, ls, next, nlen;
	const char *name;
	char type = cs < p->len ? p->src[cs] : '\0';
	node *n;
	bool alone, lc;

	if (strchr("#^/!><$={&", type) != NULL && type != '\0')
		cs++;
	else
		type = '\0';
	if (!find_close(p, cs, type, &ce, &te)) {
		syntax_error(p, ts, "unclosed tag");
		return;
	}
	if (type == '!') {
		alone = take_line(p, ts, te, &ls);
		if (alone)
			p->at_bol = true;
		return;
	}
	if (type == '=') {
		alone = take_line(p, ts, te, &ls);
		if (alone)
			p->at_bol = true;
		set_delimiters(p, ts, cs, ce);
		return;
	}
	while (cs < ce && is_space(p->src[cs]))
		cs++;
	while (ce > cs && is_space(p->src[ce - 1]))
		ce--;
	name = p->src + cs;
	nlen = ce - cs;
	if (!check_name(p, ts, name, nlen))
		return;
	if (type == '/') {
		close_tag(p, ts, te, name, nlen);
		return;
	}
	switch (type) {
	case '#':
	case '^':
		n = new_node(p, type == '#' ? N_SECTION : N_INVERTED);
		break;
	case '>':
		n = new_node(p, N_PARTIAL);
		break;
	case '<':
		n = new_node(p, N_PARENT);
		break;
	case '$':
		n = new_node(p, N_BLOCK);
		break;
	default:
		n = new_node(p, N_VAR);
		n->raw = type != '\0';
	}
	n->name = ck_arena_strndup(p->a, name, nlen);
	if ((n->kind == N_VAR || n->kind == N_SECTION ||
	     n->kind == N_INVERTED) &&
	    !split_name(p, ts, n))
		return;

	switch (n->kind) {
	case N_VAR:
		text(p, p->pos, ts);
		p->prev_end = te;
		p->pos = te;
		n->bol = p->at_bol;
		p->at_bol = false;
		attach(p, n);
		break;
	case N_PARTIAL:
		alone = take_line(p, ts, te, &ls);
		if (alone) {
			n->standalone = true;
			n->text = p->src + ls;
			n->len = ts - ls;
		}
		n->bol = !alone && p->at_bol;
		p->at_bol = alone;
		attach(p, n);
		break;
	case N_SECTION:
	case N_INVERTED:
		alone = take_line(p, ts, te, &ls);
		n->bol = !alone && p->at_bol;
		p->at_bol = alone;
		push_elem(p, n, ts);
		break;
	case N_PARENT: {
		node *ws = NULL;

		lc = left_clear(p, ts, &ls);
		/* The blanks before it are indentation if it stands alone. */
		if (lc) {
			text(p, p->pos, ls);
			ws = text(p, ls, ts);
		} else {
			text(p, p->pos, ts);
		}
		p->prev_end = te;
		p->pos = te;
		n->bol = p->at_bol;
		p->at_bol = false;
		push_elem(p, n, ts);
		if (!p->failed) {
			top(p)->left_clear = lc;
			top(p)->ls = ls;
			top(p)->ws = ws;
		}
		break;
	}
	case N_BLOCK:
		if (in_parent(p)) {
			/*
			 * An argument: what precedes it on its line is the
			 * parent's, so only a line end after it decides
			 * whether its content starts on the next line.
			 */
			bool rc = right_clear(p, te, &next);

			p->prev_end = te;
			p->pos = rc ? next : te;
			p->at_bol = rc;
			push_elem(p, n, ts);
			if (!p->failed) {
				top(p)->arg = true;
				if (rc) {
					top(p)->intrinsic = p->src + next;
					top(p)->ilen = leading_blanks(p, next);
				}
			}
			break;
		}
		lc = left_clear(p, ts, &ls);
		alone = take_line(p, ts, te, &ls);
		n->bol = !alone && p->at_bol;
		p->at_bol = alone;
		push_elem(p, n, ts);
		if (!p->failed) {
			top(p)->ls = ls;
			top(p)->left_clear = lc;
			top(p)->open_alone = alone;
			if (alone) {
				size_t k = leading_blanks(p, p->pos);

				top(p)->intrinsic = p->src + p->pos;
				top(p)->ilen = k;
			}
		}
		break;
	}
}

static int
parse(parser *p, node ***kids, size_t *nkids)
{
	const char *q;
	elem *e;

	p->otag = "{{";
	p->olen = 2;
	p->ctag = "}}";
	p->clen = 2;
	p->at_bol = true;
	push_elem(p, NULL, 0);
	while (!p->failed && p->pos < p->len) {
		q = memmem(p->src + p->pos, p->len - p->pos, p->otag, p->olen);
		if (q == NULL) {
			text(p, p->pos, p->len);
			p->pos = p->len;
			break;
		}
		tag(p, (size_t)(q - p->src));
	}
	if (!p->failed && p->depth > 1) {
		e = top(p);
		syntax_error(p, e->ts, "unclosed %s '%s'",
		             e->n->kind == N_BLOCK    ? "block"
		             : e->n->kind == N_PARENT ? "parent"
		                                      : "section",
		             e->n->name);
	}
	if (p->failed)
		return -1;
	*kids = (node **)p->stack[0].kids.items;
	*nkids = p->stack[0].kids.len;
	return 0;
}

int
ck_tmpl_add(ck_tmpl_set *s, const char *name, const char *src, size_t len,
            const char *path, ck_diags *d)
{
	parser *p;
	tmpl *t;
	int rc;

	t = calloc(1, sizeof(*t));
	p = calloc(1, sizeof(*p));
	if (t == NULL || p == NULL)
		err(3, "calloc");
	t->arena = ck_arena_new();
	/* A private copy: delimiters, texts and indentations point into it. */
	p->src = ck_arena_strndup(t->arena, src, len);
	p->len = len;
	p->a = t->arena;
	p->path = path ? path : name;
	p->d = d;
	rc = parse(p, &t->kids, &t->nkids);
	free(p);
	if (rc < 0) {
		tmpl_free(t);
		return -1;
	}
	t->name = strdup(name);
	if (t->name == NULL)
		err(3, "strdup");
	{
		ck_hash128_state st;

		ck_hash128_init(&st);
		ck_hash128_update(&st, name, strlen(name) + 1);
		ck_hash128_update(&st, src, len);
		ck_hash128_final(&st, t->fp);
	}
	set_put(s, t);
	return 0;
}

void
ck_tmpl_set_fingerprint(uint64_t out[2], const ck_tmpl_set *s)
{
	size_t i;

	/* A sum: the same whatever the slots' order. */
	out[0] = out[1] = 0;
	for (i = 0; i < s->cap; i++)
		if (s->slot[i] != NULL) {
			out[0] += s->slot[i]->fp[0];
			out[1] += s->slot[i]->fp[1];
		}
}

/* ---- loading a folder ---- */

static int
read_file(ck_buf *b, const char *path)
{
	char chunk[8192];
	size_t n;
	int fd = ck_fs_open_regular(path), rc = 0;
	FILE *f = fd < 0 ? NULL : fdopen(fd, "rb");

	if (f == NULL) {
		warn("%s", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ck_buf_put(b, chunk, n);
	if (ferror(f)) {
		warn("%s", path);
		rc = -1;
	}
	fclose(f);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads dir/rel (rel empty at the top), in name order for stable output. */
static int
load_dir(ck_tmpl_set *s, const char *dir, const char *rel, int level,
         const char *root, ck_diags *d)
{
	static const char ext[] = ".mustache";
	const size_t elen = sizeof(ext) - 1;
	ck_buf path = CK_BUF_INIT, sub = CK_BUF_INIT, src = CK_BUF_INIT;
	char **names = NULL;
	size_t n = 0, cap = 0, i, nl;
	ck_buf why = CK_BUF_INIT;
	ck_fs_kind kind;
	struct dirent *de;
	DIR *dh;
	int rc = 0;

	ck_buf_puts(&path, dir);
	if (*rel)
		ck_buf_printf(&path, "/%s", rel);
	dh = opendir(path.ptr);
	if (dh == NULL) {
		warn("%s", path.ptr);
		rc = -1;
		goto done;
	}
	while ((de = readdir(dh)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = realloc(names, cap * sizeof(*names));
			if (names == NULL)
				err(3, "realloc");
		}
		names[n] = strdup(de->d_name);
		if (names[n++] == NULL)
			err(3, "strdup");
	}
	closedir(dh);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		ck_buf_clear(&sub);
		if (*rel)
			ck_buf_printf(&sub, "%s/", rel);
		ck_buf_puts(&sub, names[i]);
		ck_buf_truncate(&path, strlen(dir));
		ck_buf_printf(&path, "/%s", sub.ptr);
		/* A template linked from outside the theme would put that
		 * file into every page. */
		ck_buf_clear(&why);
		if (ck_fs_check(&kind, NULL, &why, path.ptr, root,
		                "templates folder") != 0) {
			ck_diag(d, CK_ERROR, path.ptr, 0, 0, "%s", why.ptr);
			rc = -1;
			continue;
		}
		if (kind == CK_FS_DIR) {
			if (level >= MAX_DIR_DEPTH) {
				warnx("%s: folders nested too deeply",
				      path.ptr);
				rc = -1;
			} else if (load_dir(s, dir, sub.ptr, level + 1, root,
			                    d) < 0) {
				rc = -1;
			}
			continue;
		}
		nl = strlen(names[i]);
		if (kind != CK_FS_FILE || nl <= elen ||
		    strcmp(names[i] + nl - elen, ext) != 0)
			continue;
		ck_buf_clear(&src);
		if (read_file(&src, path.ptr) < 0) {
			rc = -1;
			continue;
		}
		ck_buf_truncate(&sub, sub.size - elen);
		if (ck_tmpl_add(s, sub.ptr, src.ptr, src.size, path.ptr, d) < 0)
			rc = -1;
	}
done:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	ck_buf_free(&path);
	ck_buf_free(&sub);
	ck_buf_free(&src);
	ck_buf_free(&why);
	return rc;
}

int
ck_tmpl_load_dir(ck_tmpl_set *s, const char *dir, ck_diags *d)
{
	char *root = ck_fs_root(dir);
	int rc;

	if (root == NULL) {
		warn("%s", dir);
		return -1;
	}
	rc = load_dir(s, dir, "", 0, root, d);
	free(root);
	return rc;
}

/* ---- rendering ---- */

/* What to do with the indentation of an override's first line. */
enum { FIRST_ANY, FIRST_FORCE, FIRST_SKIP };

typedef struct ctx {
	const ck_value *v;
	const struct ctx *up;
} ctx;

/* The parents being expanded, innermost first: their blocks override. */
typedef struct ovr {
	const node *parent;
	const struct ovr *up;
} ovr;

typedef struct {
	ck_buf *out;
	const ck_tmpl_set *set;
	ck_buf ind;      /* indentation stack */
	size_t ind_base; /* the current one is ind.ptr[ind_base, ind.size) */
	int first;
	const ovr *ov;
	unsigned depth;
	unsigned long expansions;
	size_t start; /* out->size when the render began */
	bool failed;
	const char *why;     /* what stopped it */
	const char *culprit; /* the innermost partial then */
} render;

static void render_nodes(render *r, node *const *kids, size_t n, const ctx *c);

static void
give_up(render *r, const char *why)
{
	if (!r->failed) {
		r->failed = true;
		r->why = why;
	}
}

static void
put_indent(render *r)
{
	ck_buf_put(r->out, r->ind.ptr + r->ind_base, r->ind.size - r->ind_base);
}

static bool
starts_line_end(const char *s, size_t len)
{
	return len > 0 &&
	       (s[0] == '\n' || (s[0] == '\r' && len > 1 && s[1] == '\n'));
}

/* Before a node that begins a source line. Empty lines stay empty. */
static void
line_start(render *r, const node *n)
{
	int first = r->first;

	r->first = FIRST_ANY;
	if (first == FIRST_SKIP)
		return;
	if (n->kind == N_TEXT && starts_line_end(n->text, n->len))
		return;
	put_indent(r);
}

/* Before output in the middle of a source line. */
static void
mid_line(render *r)
{
	if (r->first == FIRST_FORCE)
		put_indent(r);
	r->first = FIRST_ANY;
}

static void
put_text(render *r, const char *s, size_t len)
{
	size_t start = 0;
	const char *nl;

	if (r->ind.size == r->ind_base) {
		ck_buf_put(r->out, s, len);
		return;
	}
	while ((nl = memchr(s + start, '\n', len - start)) != NULL) {
		size_t e = (size_t)(nl - s) + 1;

		ck_buf_put(r->out, s + start, e - start);
		start = e;
		if (start < len && !starts_line_end(s + start, len - start))
			put_indent(r);
	}
	ck_buf_put(r->out, s + start, len - start);
}

static const ck_value *
lookup(const node *n, const ctx *c)
{
	const ck_value *v = NULL;
	size_t i;

	if (n->nparts == 0)
		return c->v;
	/* The first part is looked for down the stack, the rest in it. */
	for (; c != NULL; c = c->up) {
		if (ck_value_kind(c->v) == CK_VMAP &&
		    (v = ck_value_get_hashed(c->v, n->parts[0],
		                             n->hashes[0])) != NULL)
			break;
	}
	for (i = 1; v != NULL && i < n->nparts; i++)
		v = ck_value_get_hashed(v, n->parts[i], n->hashes[i]);
	return v;
}

static void
put_value(render *r, const ck_value *v, bool raw)
{
	char num[32];
	const char *s;
	size_t len;

	switch (ck_value_kind(v)) {
	case CK_VBOOL:
		ck_buf_puts(r->out, ck_value_get_bool(v) ? "true" : "false");
		break;
	case CK_VINT: {
		/* Without printf: pages print counts by the thousand. */
		long long i = ck_value_get_int(v);
		unsigned long long u = i < 0 ? 0ULL - (unsigned long long)i
		                             : (unsigned long long)i;
		size_t at = sizeof(num);

		do
			num[--at] = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (i < 0)
			num[--at] = '-';
		ck_buf_put(r->out, num + at, sizeof(num) - at);
		break;
	}
	case CK_VREAL:
		/* The JSON writer's shortest form, without its newline. */
		if (isfinite(ck_value_get_real(v))) {
			ck_json_write(r->out, v);
			ck_buf_truncate(r->out, r->out->size - 1);
		}
		break;
	case CK_VSTRING:
		s = ck_value_get_str(v, &len);
		if (raw)
			ck_buf_put(r->out, s, len);
		else
			ck_buf_put_html(r->out, s, len);
		break;
	default:
		/* null, lists and maps print nothing */
		break;
	}
}

/* The outermost override of block `name`, or NULL. */
static const node *
find_override(const render *r, const char *name)
{
	const node *found = NULL;
	const ovr *o;
	size_t i;

	for (o = r->ov; o != NULL; o = o->up) {
		for (i = 0; i < o->parent->nkids; i++) {
			if (strcmp(o->parent->kids[i]->name, name) == 0) {
				found = o->parent->kids[i];
				break;
			}
		}
	}
	return found;
}

/* Renders the template a partial or parent names, in the tag's context. */
static void
expand(render *r, const node *n, const ctx *c)
{
	const tmpl *t = find_tmpl(r->set, n->name);
	size_t size = r->ind.size, base = r->ind_base;

	if (t == NULL)
		return;
	if (++r->expansions > MAX_EXPANSIONS) {
		give_up(r, "too many partials expanded (one that grows "
		           "exponentially?)");
		return;
	}
	if (n->standalone) {
		ck_buf_put(&r->ind, n->text, n->len);
	} else {
		/* An inline partial's lines are not indented at all. */
		if (r->first == FIRST_FORCE)
			put_indent(r);
		r->ind_base = r->ind.size;
	}
	r->first = FIRST_ANY;
	render_nodes(r, t->kids, t->nkids, c);
	if (r->failed && r->culprit == NULL)
		r->culprit = n->name;
	ck_buf_truncate(&r->ind, size);
	r->ind_base = base;
}

static void
render_node(render *r, const node *n, const ctx *c)
{
	const ck_value *v;
	const node *arg;
	ovr o;
	ctx sub;
	size_t i, len, size;

	if (n->bol)
		line_start(r, n);
	switch (n->kind) {
	case N_TEXT:
		if (!n->bol)
			mid_line(r);
		put_text(r, n->text, n->len);
		break;
	case N_VAR:
		if (!n->bol)
			mid_line(r);
		put_value(r, lookup(n, c), n->raw);
		break;
	case N_SECTION:
		v = lookup(n, c);
		sub.up = c;
		if (ck_value_kind(v) == CK_VLIST) {
			len = ck_value_len(v);
			for (i = 0; i < len && !r->failed; i++) {
				sub.v = ck_value_at(v, i);
				render_nodes(r, n->kids, n->nkids, &sub);
			}
		} else if (ck_value_truthy(v)) {
			sub.v = v;
			render_nodes(r, n->kids, n->nkids, &sub);
		}
		break;
	case N_INVERTED:
		if (!ck_value_truthy(lookup(n, c)))
			render_nodes(r, n->kids, n->nkids, c);
		break;
	case N_PARTIAL:
		expand(r, n, c);
		break;
	case N_PARENT:
		o.parent = n;
		o.up = r->ov;
		r->ov = &o;
		expand(r, n, c);
		r->ov = o.up;
		break;
	case N_BLOCK:
		arg = find_override(r, n->name);
		if (arg == NULL) {
			render_nodes(r, n->kids, n->nkids, c);
			break;
		}
		if (r->first == FIRST_FORCE && !n->force)
			put_indent(r);
		size = r->ind.size;
		ck_buf_put(&r->ind, n->text, n->len);
		r->first = n->force ? FIRST_FORCE : FIRST_SKIP;
		render_nodes(r, arg->kids, arg->nkids, c);
		r->first = FIRST_ANY;
		ck_buf_truncate(&r->ind, size);
		break;
	}
}

static void
render_nodes(render *r, node *const *kids, size_t n, const ctx *c)
{
	size_t i;

	if (r->failed)
		return;
	if (++r->depth > MAX_RENDER_DEPTH)
		give_up(r, "templates nested too deeply (a partial that "
		           "includes itself?)");
	for (i = 0; i < n && !r->failed; i++) {
		render_node(r, kids[i], c);
		if (r->out->size - r->start > MAX_OUTPUT)
			give_up(r, "output too large (a partial that grows "
			           "exponentially?)");
	}
	r->depth--;
}

int
ck_tmpl_render(ck_buf *out, ck_tmpl_set *s, const char *name,
               const ck_value *value)
{
	return ck_tmpl_render_why(out, NULL, s, name, value);
}

int
ck_tmpl_render_why(ck_buf *out, ck_buf *why, ck_tmpl_set *s, const char *name,
                   const ck_value *value)
{
	const tmpl *t = find_tmpl(s, name);
	size_t start = out->size;
	render r = {0};
	ctx c = {value, NULL};

	if (t == NULL)
		return -1;
	r.out = out;
	r.set = s;
	r.start = start;
	ck_buf_init(&r.ind);
	render_nodes(&r, t->kids, t->nkids, &c);
	ck_buf_free(&r.ind);
	if (r.failed) {
		ck_buf msg = CK_BUF_INIT;

		ck_buf_printf(&msg, "template '%s'", name);
		if (r.culprit != NULL)
			ck_buf_printf(&msg, ", partial '%s'", r.culprit);
		ck_buf_printf(&msg, ": %s", r.why);
		if (why != NULL)
			ck_buf_put(why, msg.ptr, msg.size);
		else
			warnx("%s", msg.ptr);
		ck_buf_free(&msg);
		/* Nothing half-rendered is left behind. */
		ck_buf_truncate(out, start);
		return -1;
	}
	return 0;
}
