/* Loader helpers: reading sources, typed values with positions, checks. */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fileio.h"
#include "load.h"
#include "markdown.h"
#include "text.h"

/* Where a source's text and tree go (load.h). */
static ck_arena *
src_arena(ck_loader *l)
{
	return l->src_a ? l->src_a : l->a;
}

/* A string of a source the model keeps: copied out of a transient tree. */
static const char *
keep_str(ck_loader *l, const ck_yaml_node *n)
{
	return l->src_a ? ck_arena_strndup(l->a, n->str, n->len) : n->str;
}

const ck_yaml_node *
ck_load_keep(ck_loader *l, const ck_yaml_node *n)
{
	ck_yaml_node *c;

	if (n == NULL || l->src_a == NULL)
		return n;
	c = ck_arena_alloc(l->a, sizeof(*c));
	*c = *n;
	c->keys = c->vals = NULL;
	c->n = 0;
	c->str = n->str ? ck_arena_strndup(l->a, n->str, n->len) : NULL;
	return c;
}

const ck_yaml_node *
ck_load_keep_tree(ck_loader *l, const ck_yaml_node *n)
{
	if (n == NULL || l->src_a == NULL)
		return n;
	return ck_yaml_copy(l->a, n);
}

int
ck_load_read(ck_loader *l, ck_source *src, const char *path)
{
	ck_buf raw = CK_BUF_INIT, nfc = CK_BUF_INIT;
	size_t bad;
	unsigned line = 1, col = 1;
	int fd, rc = -1;

	memset(src, 0, sizeof(*src));
	src->path = ck_arena_strdup(l->a, path);
	if ((fd = ck_fs_open_regular(path)) < 0) {
		if (errno == EINVAL) {
			ck_diag(l->d, CK_ERROR, path, 0, 0,
			        "not a regular file: congkhai does not read "
			        "it");
			return -1;
		}
		ck_diag(l->d, CK_ERROR, path, 0, 0, "cannot read: %s",
			strerror(errno));
		l->io_failed = true;
		return -3;
	}
	/* Before the read: a change while reading leaves a later time,
	 * which the record cache tells from the one it records. */
	if ((l->cache != NULL && fstat(fd, &src->st) != 0) ||
	    ck_fd_read_all(&raw, fd) != 0) {
		ck_diag(l->d, CK_ERROR, path, 0, 0, "cannot read: %s",
		        strerror(errno));
		close(fd);
		l->io_failed = true;
		rc = -3;
		goto done;
	}
	close(fd);
	if (ck_utf8_check(raw.ptr, raw.size, &bad) != 0) {
		ck_text_advance(raw.ptr, bad, &line, &col);
		ck_diag(l->d, CK_ERROR, path, line, col,
			"invalid UTF-8 (byte 0x%02x); save the file as UTF-8",
			(unsigned char)raw.ptr[bad]);
		goto done;
	}
	if (memchr(raw.ptr, '\0', raw.size) != NULL) {
		bad = (size_t)((char *)memchr(raw.ptr, '\0', raw.size) -
			       raw.ptr);
		ck_text_advance(raw.ptr, bad, &line, &col);
		ck_diag(l->d, CK_ERROR, path, line, col,
			"NUL byte in a text file");
		goto done;
	}
	ck_text_nfc(&nfc, raw.ptr, raw.size);
	src->text = ck_arena_strndup(src_arena(l), nfc.ptr, nfc.size);
	src->len = nfc.size;
	rc = 0;
done:
	ck_buf_free(&raw);
	ck_buf_free(&nfc);
	return rc;
}

int
ck_load_yaml_file(ck_loader *l, ck_source *src)
{
	const char *t = src->text;
	size_t len = src->len;

	/* A byte-order mark is harmless; libyaml accepts it too. */
	/* After errors that leave a tree (duplicate keys...) go on checking. */
	ck_yaml_parse(&src->root, src_arena(l), src->path, t, len, 1, l->d);
	if (src->root == NULL)
		return -1;
	if (src->root->kind != CK_YAML_MAP) {
		ck_load_error(l, src->path, src->root,
			      "expected a mapping of keys to values");
		return -1;
	}
	return 0;
}

/*
 * Reports every body line that nests lists and block quotes deeper than
 * cmark-gfm can take in linear time, and blanks it (in a copy owned by the
 * arena, same length, so lines keep their numbers): the run fails anyway,
 * and the rest of the body is still checked without the cost.
 */
static void
check_md_nesting(ck_loader *l, ck_source *src)
{
	char *copy = NULL;
	size_t off = 0, end, bad;
	unsigned line = src->body_line;

	while (off < src->body_len) {
		const char *nl =
		    memchr(src->body + off, '\n', src->body_len - off);

		end = nl ? (size_t)(nl - src->body) : src->body_len;
		bad = ck_md_too_deep(src->body + off, end - off);
		if (bad != 0) {
			ck_diag(l->d, CK_ERROR, src->path, line, (unsigned)bad,
			        "lists and block quotes nested deeper than %d "
			        "levels",
			        CK_MD_MAX_NESTING);
			if (copy == NULL) {
				copy = ck_arena_strndup(src_arena(l), src->body,
				                        src->body_len);
				src->body = copy;
			}
			memset(copy + off, ' ', end - off);
		}
		off = end + 1;
		line++;
	}
}

int
ck_load_frontmatter(ck_loader *l, ck_source *src)
{
	ck_frontmatter fm;
	int rc = ck_frontmatter_split(&fm, src->text, src->len);

	if (rc == -1) {
		ck_diag(l->d, CK_ERROR, src->path, 1, 1,
			"missing front matter: the file must start with a "
			"'---' line, the YAML keys, and a closing '---' line");
		return -1;
	}
	if (rc != 0) {
		ck_diag(l->d, CK_ERROR, src->path, 1, 1,
			"front matter is not closed: add a '---' line after "
			"the YAML keys");
		return -1;
	}
	src->body = fm.body;
	src->body_len = fm.body_len;
	src->body_line = fm.body_line;
	check_md_nesting(l, src);
	/* After errors that leave a tree (duplicate keys...) go on checking. */
	ck_yaml_parse(&src->root, src_arena(l), src->path, fm.yaml, fm.yaml_len,
		      fm.yaml_line, l->d);
	if (src->root == NULL)
		return -1;
	if (src->root->kind != CK_YAML_MAP) {
		ck_load_error(l, src->path, src->root,
			      "front matter must be a mapping of keys to "
			      "values");
		return -1;
	}
	return 0;
}

static void
vreport(ck_loader *l, ck_severity sev, const char *path,
	const ck_yaml_node *at, const char *fmt, va_list ap)
{
	ck_buf msg = CK_BUF_INIT;

	ck_buf_vprintf(&msg, fmt, ap);
	ck_diag(l->d, sev, path, at ? at->line : 1, at ? at->col : 1, "%s",
		msg.ptr);
	ck_buf_free(&msg);
}

void
ck_load_error(ck_loader *l, const char *path, const ck_yaml_node *at,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(l, CK_ERROR, path, at, fmt, ap);
	va_end(ap);
}

void
ck_load_warning(ck_loader *l, const char *path, const ck_yaml_node *at,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(l, CK_WARNING, path, at, fmt, ap);
	va_end(ap);
}

void
ck_load_check_keys(ck_loader *l, const char *path, const ck_yaml_node *map,
		   const char *const *allowed)
{
	size_t i, j, n = 0;
	const char *key, *hint;

	if (map == NULL || map->kind != CK_YAML_MAP)
		return;
	while (allowed[n])
		n++;
	for (i = 0; i < map->n; i++) {
		key = map->keys[i]->str;
		for (j = 0; j < n; j++)
			if (strcmp(key, allowed[j]) == 0)
				break;
		if (j < n)
			continue;
		hint = ck_suggest(key, allowed, n);
		if (hint)
			ck_load_error(l, path, map->keys[i],
				      "unknown key '%s' (did you mean '%s'?)",
				      key, hint);
		else
			ck_load_error(l, path, map->keys[i],
				      "unknown key '%s'", key);
	}
}

const ck_yaml_node *
ck_load_keynode(const ck_yaml_node *map, const char *key)
{
	size_t i;

	for (i = 0; map && map->kind == CK_YAML_MAP && i < map->n; i++)
		if (strcmp(map->keys[i]->str, key) == 0)
			return map->keys[i];
	return NULL;
}

bool
ck_load_is_null(const ck_yaml_node *n)
{
	if (n == NULL)
		return true;
	if (n->kind != CK_YAML_SCALAR)
		return false;
	if (n->len == 0)
		return n->plain;
	return n->plain && (strcmp(n->str, "~") == 0 ||
			    strcmp(n->str, "null") == 0 ||
			    strcmp(n->str, "Null") == 0 ||
			    strcmp(n->str, "NULL") == 0);
}

/* The node under key, or NULL when absent or null. */
static const ck_yaml_node *
get(const ck_yaml_node *map, const char *key)
{
	const ck_yaml_node *n = ck_yaml_get(map, key);

	return ck_load_is_null(n) ? NULL : n;
}

static void
missing(ck_loader *l, const char *path, const ck_yaml_node *map,
	const char *key)
{
	/* Point at the key when it is there but empty. */
	const ck_yaml_node *k = ck_load_keynode(map, key);

	if (k)
		ck_load_error(l, path, k, "'%s' must not be empty", key);
	else
		ck_load_error(l, path, map, "missing required key '%s'", key);
}

const char *
ck_load_str(ck_loader *l, const char *path, const ck_yaml_node *map,
	    const char *key, bool required)
{
	const ck_yaml_node *n = get(map, key);

	if (n == NULL) {
		if (required)
			missing(l, path, map, key);
		return NULL;
	}
	if (n->kind != CK_YAML_SCALAR) {
		ck_load_error(l, path, n, "'%s' must be text, not a %s", key,
			      n->kind == CK_YAML_MAP ? "mapping" : "list");
		return NULL;
	}
	return keep_str(l, n);
}

ck_day
ck_load_date_node(ck_loader *l, const char *path, const ck_yaml_node *n)
{
	ck_day day;
	ck_date_status st;

	if (n->kind != CK_YAML_SCALAR) {
		ck_load_error(l, path, n,
			      "expected a date (YYYY-MM-DD or DD/MM/YYYY)");
		return CK_NODAY;
	}
	st = ck_date_parse(&day, n->str, n->len);
	if (st == CK_DATE_IMPOSSIBLE) {
		ck_load_error(l, path, n, "impossible date '%s'", n->str);
		return CK_NODAY;
	}
	if (st != CK_DATE_OK) {
		ck_load_error(l, path, n,
			      "'%s' is not a date (write YYYY-MM-DD or "
			      "DD/MM/YYYY)",
			      n->str);
		return CK_NODAY;
	}
	return day;
}

ck_day
ck_load_date(ck_loader *l, const char *path, const ck_yaml_node *map,
	     const char *key, bool required)
{
	const ck_yaml_node *n = get(map, key);

	if (n == NULL) {
		if (required)
			missing(l, path, map, key);
		return CK_NODAY;
	}
	return ck_load_date_node(l, path, n);
}

long
ck_load_int(ck_loader *l, const char *path, const ck_yaml_node *map,
	    const char *key, long dflt, long min)
{
	const ck_yaml_node *n = get(map, key);
	char *end;
	long v;

	if (n == NULL)
		return dflt;
	if (n->kind == CK_YAML_SCALAR && n->plain && n->len > 0 &&
	    n->len < 10) {
		errno = 0;
		v = strtol(n->str, &end, 10);
		if (*end == '\0' && errno == 0 && v >= min &&
		    (n->str[0] >= '0' && n->str[0] <= '9'))
			return v;
	}
	ck_load_error(l, path, n, "'%s' must be a whole number %s %ld", key,
		      "of at least", min);
	return dflt;
}

const char **
ck_load_strlist(ck_loader *l, const char *path, const ck_yaml_node *map,
		const char *key, bool required, size_t *n)
{
	const ck_yaml_node *seq = ck_load_seq(l, path, map, key, required);
	const char **v;
	size_t i, k = 0;

	*n = 0;
	if (seq == NULL)
		return NULL;
	v = ck_arena_alloc(l->a, (seq->n + 1) * sizeof(*v));
	for (i = 0; i < seq->n; i++) {
		if (seq->vals[i]->kind != CK_YAML_SCALAR ||
		    ck_load_is_null(seq->vals[i])) {
			ck_load_error(l, path, seq->vals[i],
				      "items of '%s' must be text", key);
			continue;
		}
		v[k++] = keep_str(l, seq->vals[i]);
	}
	if (required && k == 0 && seq->n == 0)
		ck_load_error(l, path, seq, "'%s' must not be empty", key);
	*n = k;
	return v;
}

const ck_yaml_node *
ck_load_map(ck_loader *l, const char *path, const ck_yaml_node *map,
	    const char *key)
{
	const ck_yaml_node *n = get(map, key);

	if (n == NULL)
		return NULL;
	if (n->kind != CK_YAML_MAP) {
		ck_load_error(l, path, n, "'%s' must be a mapping of keys to "
				  "values", key);
		return NULL;
	}
	return n;
}

const ck_yaml_node *
ck_load_seq(ck_loader *l, const char *path, const ck_yaml_node *map,
	    const char *key, bool required)
{
	const ck_yaml_node *n = get(map, key);

	if (n == NULL) {
		if (required)
			missing(l, path, map, key);
		return NULL;
	}
	if (n->kind != CK_YAML_SEQ) {
		ck_load_error(l, path, n, "'%s' must be a list (lines starting "
				  "with '- ')", key);
		return NULL;
	}
	return n;
}

const ck_named *
ck_load_lookup(ck_loader *l, const char *path, const ck_yaml_node *at,
	       const ck_named *list, size_t n, const char *what)
{
	const char **ids;
	const char *hint;
	size_t i;

	if (at == NULL || at->kind != CK_YAML_SCALAR) {
		if (at)
			ck_load_error(l, path, at, "expected a %s id", what);
		return NULL;
	}
	for (i = 0; i < n; i++)
		if (strcmp(list[i].id, at->str) == 0)
			return &list[i];
	if ((strcmp(what, "hamlet") == 0 && l->failed_hamlet) ||
	    (strcmp(what, "topic") == 0 && l->failed_topic) ||
	    (strcmp(what, "department") == 0 && l->failed_department))
		return NULL;
	ids = ck_arena_alloc(l->a, (n + 1) * sizeof(*ids));
	for (i = 0; i < n; i++)
		ids[i] = list[i].id;
	hint = ck_suggest(at->str, ids, n);
	if (hint)
		ck_load_error(l, path, at,
			      "unknown %s '%s' (did you mean '%s'?)", what,
			      at->str, hint);
	else
		ck_load_error(l, path, at, "unknown %s '%s'", what, at->str);
	return NULL;
}

/*
 * The canonical digits of a number as staff write it in site.yaml
 * ("+84 28 3829 1234", "0301 234 567"): its digits, with an international
 * "84" or "0084" of a ten-digit number turned back into "0", as ck_pd_match
 * spells the phone numbers it finds.
 */
const char *
ck_load_number_digits(ck_loader *l, const char *s)
{
	ck_buf b = CK_BUF_INIT;
	const char *r;

	for (; *s; s++)
		if (*s >= '0' && *s <= '9')
			ck_buf_putc(&b, *s);
	if ((b.size == 11 && strncmp(b.ptr, "84", 2) == 0) ||
	    (b.size == 13 && strncmp(b.ptr, "0084", 4) == 0)) {
		r = ck_arena_strndup(l->a, b.ptr + b.size - 9, 9);
		ck_buf_clear(&b);
		ck_buf_putc(&b, '0');
		ck_buf_puts(&b, r);
	}
	r = ck_arena_strndup(l->a, b.ptr, b.size);
	ck_buf_free(&b);
	return r;
}

/*
 * The office's own contact (site.yaml `contact`) is public by design, so an
 * occurrence of exactly that phone number or e-mail is not a citizen's.
 * value is the datum's canonical spelling from ck_pd_match.
 */
static bool
is_office_contact(ck_loader *l, ck_pd_kind kind, const char *value)
{
	const char *c;

	if (kind == CK_PD_EMAIL) {
		c = l->m->contact_email;
		return c && strcasecmp(c, value) == 0;
	}
	if ((c = l->m->contact_phone) == NULL)
		return false;
	return strcmp(ck_load_number_digits(l, c), value) == 0;
}

/* Whether value is listed in site.yaml `public_numbers`. */
static bool
is_public_number(ck_loader *l, ck_pd_kind kind, const char *value)
{
	size_t i;

	if (kind == CK_PD_EMAIL)
		return false;
	for (i = 0; i < l->npublic_numbers; i++)
		if (strcmp(l->public_numbers[i], value) == 0)
			return true;
	return false;
}

/* A datum reported (or let pass) on a line: reported once per line. */
typedef struct seen {
	struct seen *next;
	unsigned line;
	const char *value;
} seen;

/*
 * Reports the personal data of hay. hay is src itself (offsets NULL) or
 * its published text (ck_md_published), whose offsets lead back to src;
 * positions are counted in src from (line, col) at src[0]. The source scan
 * reports every occurrence and records it into *found; the published scan
 * skips a datum of the same value on the same line, which is the same one
 * seen again (or a link's target repeating its text).
 */
static void
scan_hay(ck_loader *l, const char *path, const char *src, unsigned line,
         unsigned col, const char *hay, size_t hay_len, const size_t *offsets,
         seen **found)
{
	size_t from = 0, start, end;
	unsigned ln, cl;
	ck_buf value = CK_BUF_INIT;
	ck_pd_kind k;
	seen *f;

	while ((k = ck_pd_match(&value, hay, hay_len, from, &start, &end)) !=
	       CK_PD_NONE) {
		from = end > from ? end : from + 1;
		ln = line;
		cl = col;
		ck_text_advance(src, offsets ? offsets[start] : start, &ln,
		                &cl);
		for (f = *found; offsets && f; f = f->next)
			if (f->line == ln && strcmp(f->value, value.ptr) == 0)
				break;
		if (offsets && f) {
			ck_buf_clear(&value);
			continue;
		}
		f = ck_arena_alloc(l->a, sizeof(*f));
		f->line = ln;
		f->value = ck_arena_strndup(l->a, value.ptr, value.size);
		f->next = *found;
		*found = f;
		if (is_office_contact(l, k, value.ptr)) {
			/* public by design */
		} else if (is_public_number(l, k, value.ptr)) {
			ck_diag(l->d, CK_NOTE, path, ln, cl,
			        "%s published as listed in site.yaml "
			        "public_numbers",
			        value.ptr);
		} else {
			ck_diag(l->d, CK_ERROR, path, ln, cl,
			        "personal data in published text (%s%s); move "
			        "it under 'private:' or remove it",
			        ck_pd_name(k),
			        offsets ? ", as rendered from Markdown" : "");
		}
		ck_buf_clear(&value);
	}
	ck_buf_free(&value);
}

/*
 * Whether Markdown could show text differently from its source: character
 * references, backslash escapes, emphasis, code, raw HTML, links.
 */
static bool
markdown_may_hide(const char *text, size_t len)
{
	static const bool hides[256] = {
	    ['&'] = true, ['\\'] = true, ['*'] = true, ['_'] = true,
	    ['`'] = true, ['<'] = true,  ['['] = true, ['~'] = true,
	    ['!'] = true,
	};
	size_t i;

	for (i = 0; i < len; i++)
		if (hides[(unsigned char)text[i]])
			return true;
	return false;
}

void
ck_load_scan_text(ck_loader *l, const char *path, const char *text, size_t len,
                  unsigned line, unsigned col)
{
	ck_buf pub = CK_BUF_INIT, offsets = CK_BUF_INIT;
	seen *found = NULL;

	scan_hay(l, path, text, line, col, text, len, NULL, &found);
	/*
	 * Citizens read the rendered text, where "09&#49;2", "0912\-345" or
	 * "0912<!-- -->345678" are plain numbers. Front matter values are
	 * scanned so too: some are rendered (notes), and a reference that
	 * stays literal elsewhere is no loss.
	 */
	if (markdown_may_hide(text, len)) {
		ck_md_published(&pub, &offsets, text, len);
		scan_hay(l, path, text, line, col, pub.ptr, pub.size,
		         (const size_t *)(const void *)offsets.ptr, &found);
	}
	ck_buf_free(&pub);
	ck_buf_free(&offsets);
}

static void
scan_node(ck_loader *l, const char *path, const ck_yaml_node *n)
{
	size_t i;
	unsigned line, col;

	switch (n->kind) {
	case CK_YAML_SCALAR:
		line = n->line;
		col = n->col;
		if (!n->plain && !n->block)
			col++; /* past the opening quote */
		if (n->block) {
			/* The text starts on the line after the indicator;
			 * point at the value itself when we cannot do better. */
			size_t s, e;

			if (ck_pd_find(n->str, n->len, 0, &s, &e) != CK_PD_NONE)
				ck_load_scan_text(l, path, n->str, n->len,
						  line + 1, 1);
			return;
		}
		ck_load_scan_text(l, path, n->str, n->len, line, col);
		return;
	case CK_YAML_MAP:
		for (i = 0; i < n->n; i++) {
			scan_node(l, path, n->keys[i]);
			scan_node(l, path, n->vals[i]);
		}
		return;
	case CK_YAML_SEQ:
		for (i = 0; i < n->n; i++)
			scan_node(l, path, n->vals[i]);
		return;
	}
}

void
ck_load_scan_tree(ck_loader *l, const char *path, const ck_yaml_node *root,
		  const char *const *skip)
{
	size_t i, j;
	bool skipped;

	if (root == NULL || root->kind != CK_YAML_MAP)
		return;
	for (i = 0; i < root->n; i++) {
		skipped = false;
		for (j = 0; skip && skip[j]; j++)
			if (strcmp(root->keys[i]->str, skip[j]) == 0)
				skipped = true;
		if (!skipped)
			scan_node(l, path, root->vals[i]);
	}
}

const char *
ck_load_md_html(ck_loader *l, const char *md, size_t len)
{
	const char *html;

	ck_load_md(l, &html, NULL, md, len);
	return html;
}

void
ck_load_md(ck_loader *l, const char **html, const char **text, const char *md,
           size_t len)
{
	ck_buf h = CK_BUF_INIT, t = CK_BUF_INIT;

	ck_md_html_text(html ? &h : NULL, text ? &t : NULL, md, len);
	if (html)
		*html = ck_arena_strndup(l->a, h.ptr, h.size);
	if (text)
		*text = ck_arena_strndup(l->a, t.ptr, t.size);
	ck_buf_free(&h);
	ck_buf_free(&t);
}

/* A folder's entry, as listed. */
typedef struct {
	char *name;
	bool regular;
} list_entry;

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const list_entry *)a)->name,
	              ((const list_entry *)b)->name);
}

char **
ck_load_list_dir(ck_loader *l, const char *dir, size_t *n, bool **regular)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	list_entry *v = NULL, *grown;
	size_t len = 0, cap = 0, i;
	char **names;

	*n = 0;
	if (regular)
		*regular = NULL;
	if (d == NULL)
		goto fail;
	for (;;) {
		errno = 0;
		if ((e = readdir(d)) == NULL)
			break;
		if (e->d_name[0] == '.')
			continue;
		if (len == cap) {
			cap = cap ? cap * 2 : 64;
			grown = ck_arena_alloc(l->a, cap * sizeof(*v));
			if (len)
				memcpy(grown, v, len * sizeof(*v));
			v = grown;
		}
		v[len].name = ck_arena_strdup(l->a, e->d_name);
		v[len].regular = e->d_type == DT_REG;
		len++;
	}
	if (errno != 0) {
		closedir(d);
		goto fail;
	}
	closedir(d);
	if (len > 1)
		qsort(v, len, sizeof(*v), cmp_entry);
	names = ck_arena_alloc(l->a, (len + 1) * sizeof(*names));
	if (regular)
		*regular = ck_arena_alloc(l->a, (len + 1) * sizeof(**regular));
	for (i = 0; i < len; i++) {
		names[i] = v[i].name;
		if (regular)
			(*regular)[i] = v[i].regular;
	}
	names[len] = NULL;
	*n = len;
	return names;
fail:
	/* A folder we cannot list must not read as an empty one: that would
	 * publish the removal of everything in it. */
	ck_diag(l->d, CK_ERROR, dir, 0, 0, "cannot read: %s", strerror(errno));
	l->io_failed = true;
	return ck_arena_alloc(l->a, sizeof(char *));
}

ck_fs_kind
ck_load_kind(ck_loader *l, const char *path, const char *root,
             const char *root_name, struct stat *st)
{
	ck_buf why = CK_BUF_INIT;
	ck_fs_kind kind;
	int rc;

	rc = ck_fs_check(&kind, st, &why, path, root ? root : l->root,
	                 root_name ? root_name : "content folder");
	if (rc != 0) {
		ck_diag(l->d, CK_ERROR, path, 0, 0, "%s", why.ptr);
		if (rc == -3)
			l->io_failed = true;
	}
	ck_buf_free(&why);
	return kind;
}

bool
ck_load_scan_name(ck_loader *l, const char *path, const char *name)
{
	size_t start, end;
	ck_pd_kind k = ck_pd_find(name, strlen(name), 0, &start, &end);

	if (k == CK_PD_NONE)
		return false;
	ck_diag(l->d, CK_ERROR, path, 0, 0,
	        "personal data in the file name (%s): the name is published "
	        "as a web address; rename it",
	        ck_pd_name(k));
	return true;
}
