/*
 * Markdown with cmark-gfm. Safety comes from cmark's own safe mode: without
 * CMARK_OPT_UNSAFE it replaces raw HTML with a comment and drops
 * javascript:, vbscript:, file: and non-image data: URLs.
 */
#include "markdown.h"

#include <err.h>
#include <stdbool.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include "arena.h"
#include "text.h"

/*
 * Single tildes stay text: staff write ranges as "5~10 triệu, 20~30 ngày",
 * which GFM would strike through. Invalid UTF-8 (only reachable when a
 * caller skips the check) becomes U+FFFD instead of passing through.
 */
#define CK_MD_OPTS                                                             \
	(CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE)

static const char *const ck_md_extensions[] = {"table", "strikethrough",
                                               "autolink", "tagfilter"};

/* A line of only `-`, `*` or `_` (3 or more) and blanks: a thematic break. */
static bool
is_thematic_break(const char *line, size_t len)
{
	char mark = 0;
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')
			continue;
		if (mark == 0 && strchr("-*_", line[i]) != NULL)
			mark = line[i];
		if (line[i] != mark)
			return false;
		n++;
	}
	return n >= 3;
}

/* The length of a list marker (`-`, `+`, `*`, `1.`, `1)`) at p, or 0. */
static size_t
list_marker(const char *p, const char *end)
{
	const char *q = p;

	if (q < end && strchr("-+*", *q) != NULL && *q != '\0') {
		q++;
	} else {
		while (q < end && q - p < 9 && *q >= '0' && *q <= '9')
			q++;
		if (q == p || q == end || (*q != '.' && *q != ')'))
			return 0;
		q++;
	}
	/* A marker is followed by a blank or ends the line. */
	if (q < end && *q != ' ' && *q != '\t' && *q != '\r')
		return 0;
	return (size_t)(q - p);
}

size_t
ck_md_too_deep(const char *line, size_t len)
{
	const char *p = line, *end = line + len;
	size_t depth = 0, col = 0, n;

	for (;;) {
		for (; p < end && (*p == ' ' || *p == '\t'); p++)
			col = *p == '\t' ? (col / 4 + 1) * 4 : col + 1;
		if (p < end && *p == '>')
			n = 1;
		else if ((n = list_marker(p, end)) == 0)
			return 0;
		/*
		 * A nested list item needs at least 2 more columns of indent
		 * than its parent: a marker at column c stands for c / 2
		 * levels, opened on this line or on earlier ones.
		 */
		depth++;
		if (depth > CK_MD_MAX_NESTING ||
		    col / 2 + 1 > CK_MD_MAX_NESTING)
			return is_thematic_break(line, len)
			           ? 0
			           : (size_t)(p - line) + 1;
		p += n;
		col += n;
	}
}

void
ck_md_ready(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

/* Returns the document of md; the caller frees it and *parser. */
static cmark_node *
parse(cmark_parser **parser, const char *md, size_t len)
{
	cmark_parser *p;
	cmark_node *doc;
	size_t i;

	ck_md_ready();
	p = cmark_parser_new(CK_MD_OPTS);
	if (p == NULL)
		errx(3, "cmark_parser_new failed");
	for (i = 0; i < sizeof(ck_md_extensions) / sizeof(*ck_md_extensions);
	     i++) {
		cmark_syntax_extension *e =
		    cmark_find_syntax_extension(ck_md_extensions[i]);

		if (e == NULL)
			errx(3, "cmark-gfm has no '%s' extension",
			     ck_md_extensions[i]);
		cmark_parser_attach_syntax_extension(p, e);
	}
	cmark_parser_feed(p, md, len);
	doc = cmark_parser_finish(p);
	if (doc == NULL)
		errx(3, "cmark_parser_finish failed");
	*parser = p;
	return doc;
}

static void
put_and_free(ck_buf *out, char *s)
{
	ck_buf_puts(out, s);
	cmark_get_default_mem_allocator()->free(s);
}

static bool
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Replaces each strikethrough by its contents: the plain-text renderer would
 * write it as "~x~", which reads as noise in a spreadsheet cell.
 */
static void
unwrap_strikethrough(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	cmark_node *n, *child, *next;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_EXIT ||
		    strcmp(cmark_node_get_type_string(n), "strikethrough") != 0)
			continue;
		for (child = cmark_node_first_child(n); child; child = next) {
			next = cmark_node_next(child);
			cmark_node_insert_before(n, child);
		}
		/* The iterator stands on n: let it move on before n goes. */
		cmark_iter_reset(it, cmark_node_parent(n), CMARK_EVENT_ENTER);
		cmark_node_free(n);
	}
	cmark_iter_free(it);
}

/* The plain text of doc (unwrapped of strikethrough) appended to out. */
static void
put_text(ck_buf *out, cmark_node *doc)
{
	char *text;
	const char *line, *nl, *end;
	size_t base = out->size, kept = out->size;

	unwrap_strikethrough(doc);
	/* Soft breaks become spaces: a paragraph is one line, as displayed. */
	text = cmark_render_plaintext(doc, CK_MD_OPTS | CMARK_OPT_NOBREAKS, 0);
	line = text;

	/*
	 * Trailing spaces go from every line (cmark indents the blank lines
	 * inside list items) and blank lines from both ends; leading spaces
	 * stay, as they mark list items and code.
	 */
	for (; *line != '\0'; line = *nl ? nl + 1 : nl) {
		nl = line + strcspn(line, "\n");
		end = nl;
		while (end > line && is_space(end[-1]))
			end--;
		if (end == line && out->size == base)
			continue;
		ck_buf_put(out, line, (size_t)(end - line));
		if (end > line)
			kept = out->size;
		ck_buf_putc(out, '\n');
	}
	ck_buf_truncate(out, kept);
	cmark_get_default_mem_allocator()->free(text);
}

/* A byte that may begin a line of prose: a letter (ASCII or not). */
static bool
prose_line_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0xC2;
}

/*
 * Whether md is prose that no Markdown construct can touch: paragraphs of
 * lines split by empty lines, each line beginning with a letter and ending
 * without a blank; letters, digits, spaces and punctuation that is inert
 * in CommonMark and the GFM extensions: no emphasis, code, links, HTML,
 * entities, escapes, tables or strikethrough; no "www.", and ':' only
 * before a blank (the autolinks); valid UTF-8. Most records are such prose.
 */
static bool
is_prose(const char *md, size_t len)
{
	size_t i, bad;
	bool line_start = true;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)md[i];

		if (c == '\n') {
			if (i > 0 && md[i - 1] == ' ')
				return false;
			line_start = true;
			continue;
		}
		if (line_start) {
			if (!prose_line_start(c))
				return false;
			line_start = false;
		}
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c >= 0x80)
			continue;
		switch (c) {
		case ' ': case ',': case '.': case ';': case '?': case '(':
		case ')': case '/': case '%': case '\'': case '+': case '-':
		case '$': case '^': case '!':
			break;
		case ':':
			if (i + 1 < len && md[i + 1] != ' ' && md[i + 1] != '\n')
				return false;
			break;
		default:
			return false;
		}
		if (c == '.' && i >= 3 && memcmp(md + i - 3, "www", 3) == 0)
			return false;
	}
	if (len > 0 && md[len - 1] == ' ')
		return false;
	return ck_utf8_check(md, len, &bad) == 0;
}

/*
 * html and text of prose (is_prose) as cmark gives them: a <p> per
 * paragraph, lines kept; the text's paragraphs one line each (lines joined
 * by a space), a blank line between them.
 */
static void
put_prose(ck_buf *html, ck_buf *text, const char *md, size_t len)
{
	size_t i = 0, end, paragraphs = 0;

	while (i < len) {
		if (md[i] == '\n') {
			i++;
			continue;
		}
		/* A paragraph: lines up to an empty one or the end. */
		end = i;
		while (end < len && !(md[end] == '\n' &&
		                      (end + 1 == len || md[end + 1] == '\n')))
			end++;
		if (html) {
			ck_buf_puts(html, "<p>");
			ck_buf_put(html, md + i, end - i);
			ck_buf_puts(html, "</p>\n");
		}
		if (text) {
			size_t k;

			if (paragraphs > 0)
				ck_buf_puts(text, "\n\n");
			for (k = i; k < end; k++)
				ck_buf_putc(text, md[k] == '\n' ? ' ' : md[k]);
		}
		paragraphs++;
		i = end;
	}
}

void
ck_md_html_text(ck_buf *html, ck_buf *text, const char *md, size_t len)
{
	if (is_prose(md, len)) {
		put_prose(html, text, md, len);
		return;
	}
	ck_md_html_text_parsed(html, text, md, len);
}

void
ck_md_html_text_parsed(ck_buf *html, ck_buf *text, const char *md,
                       size_t len)
{
	cmark_parser *p;
	cmark_node *doc = parse(&p, md, len);

	/* HTML first: the text's unwrapping changes the tree. */
	if (html != NULL)
		put_and_free(html, cmark_render_html(
		                       doc, CK_MD_OPTS,
		                       cmark_parser_get_syntax_extensions(p)));
	if (text != NULL)
		put_text(text, doc);
	cmark_node_free(doc);
	cmark_parser_free(p);
}

void
ck_md_html(ck_buf *out, const char *md, size_t len)
{
	ck_md_html_text(out, NULL, md, len);
}

void
ck_md_text(ck_buf *out, const char *md, size_t len)
{
	ck_md_html_text(NULL, out, md, len);
}

/* The literal text of a heading, soft and hard breaks as spaces. */
static void
heading_text(ck_buf *out, cmark_node *heading)
{
	cmark_iter *it = cmark_iter_new(heading);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);

		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			ck_buf_puts(out, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			ck_buf_putc(out, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

/*
 * Whether a heading's folded text names the answer: "Trả lời" or "Answer",
 * with any runs of spaces taken as one and a trailing ':' allowed.
 */
static bool
is_answer_title(const char *folded)
{
	ck_buf b = CK_BUF_INIT;
	const char *s;
	bool r;

	for (s = folded; *s != '\0'; s++) {
		if (!is_space(*s))
			ck_buf_putc(&b, *s);
		else if (b.size > 0 && b.ptr[b.size - 1] != ' ')
			ck_buf_putc(&b, ' ');
	}
	if (b.size > 0 && b.ptr[b.size - 1] == ':')
		ck_buf_truncate(&b, b.size - 1);
	if (b.size > 0 && b.ptr[b.size - 1] == ' ')
		ck_buf_truncate(&b, b.size - 1);
	/* ck_text_fold("Trả lời"), in NFC. */
	r = strcmp(b.ptr, "tr\xe1\xba\xa3 l\xe1\xbb\x9di") == 0 ||
	    strcmp(b.ptr, "answer") == 0;
	ck_buf_free(&b);
	return r;
}

/*
 * Byte offset of the start of line `line` (from 1) of md, or len when md
 * has fewer lines. Lines end at CR, LF or CRLF, as cmark counts them.
 */
static size_t
line_offset(const char *md, size_t len, int line)
{
	size_t i = 0;
	int n = 1;

	while (n < line && i < len) {
		if (md[i] == '\r' && i + 1 < len && md[i + 1] == '\n')
			i++;
		if (md[i] == '\r' || md[i] == '\n')
			n++;
		i++;
	}
	return i;
}

/* Whether the line at md[i] is a setext level-2 underline ("---"). */
static bool
is_dash_underline(const char *md, size_t len, size_t i)
{
	size_t indent = 0, dashes = 0;

	while (i < len && md[i] == ' ' && indent < 3) {
		i++;
		indent++;
	}
	while (i < len && md[i] == '-') {
		i++;
		dashes++;
	}
	while (i < len && (md[i] == ' ' || md[i] == '\t'))
		i++;
	return dashes > 0 && (i == len || md[i] == '\n' || md[i] == '\r');
}

/*
 * The last line of a heading. cmark reports a setext heading as ending on
 * the line after its underline when more text follows, so look for the
 * underline itself.
 */
static int
heading_last_line(const char *md, size_t len, int first, int end)
{
	int line;

	for (line = first + 1; line <= end; line++)
		if (is_dash_underline(md, len, line_offset(md, len, line)))
			return line;
	return end;
}

/*
 * The answer heading found without a parse, when every line up to it is
 * blank, prose (is_prose) or an ATX heading ("## text", no closing #'s)
 * of prose: nothing there can hide a heading or make one, and cmark's
 * answer would be the first level-2 heading whose text names the answer.
 * Returns 1 (found, as ck_md_split_answer), 0 (every line is such and
 * none is the answer's), or -1 when cmark must decide.
 */
static int
split_answer_prose(const char *md, size_t len, size_t *question_len,
                   size_t *answer_off, unsigned *heading_line)
{
	size_t at = 0, end, hashes, text;
	unsigned line = 1;
	ck_arena *a;
	bool found;

	for (; at < len; at = end + 1, line++) {
		const char *nl = memchr(md + at, '\n', len - at);

		end = nl ? (size_t)(nl - md) : len;
		if (end == at)
			continue;
		for (hashes = 0; at + hashes < end && md[at + hashes] == '#';
		     hashes++)
			;
		if (hashes == 0) {
			if (!is_prose(md + at, end - at))
				return -1;
			continue;
		}
		/* (Closing #'s are not prose: cmark decides those.) */
		if (hashes > 6 || at + hashes == end || md[at + hashes] != ' ')
			return -1;
		for (text = at + hashes; text < end && md[text] == ' '; text++)
			;
		if (text < end && !is_prose(md + text, end - text))
			return -1;
		/* Only T and A fold to the titles' first letters. */
		if (hashes != 2 || text == end || !strchr("TtAa", md[text]))
			continue;
		a = ck_arena_new();
		found = is_answer_title(ck_text_fold(a, md + text, end - text));
		ck_arena_free(a);
		if (found) {
			*question_len = at;
			*answer_off = end < len ? end + 1 : len;
			*heading_line = line;
			return 1;
		}
	}
	return 0;
}

int
ck_md_split_answer(const char *md, size_t len, size_t *question_len,
                   size_t *answer_off, unsigned *heading_line)
{
	int r = split_answer_prose(md, len, question_len, answer_off,
	                           heading_line);

	return r >= 0 ? r
	              : ck_md_split_answer_parsed(md, len, question_len,
	                                          answer_off, heading_line);
}

int
ck_md_split_answer_parsed(const char *md, size_t len, size_t *question_len,
                          size_t *answer_off, unsigned *heading_line)
{
	cmark_parser *p;
	cmark_node *doc = parse(&p, md, len), *n;
	ck_arena *a = ck_arena_new();
	ck_buf text = CK_BUF_INIT;
	int found = 0;

	for (n = cmark_node_first_child(doc); n != NULL;
	     n = cmark_node_next(n)) {
		int first, last;

		if (cmark_node_get_type(n) != CMARK_NODE_HEADING ||
		    cmark_node_get_heading_level(n) != 2)
			continue;
		ck_buf_clear(&text);
		heading_text(&text, n);
		if (!is_answer_title(ck_text_fold(a, text.ptr, text.size)))
			continue;
		first = cmark_node_get_start_line(n);
		last = cmark_node_get_end_line(n);
		if (first < 1 || last < first)
			continue;
		last = heading_last_line(md, len, first, last);
		*question_len = line_offset(md, len, first);
		*answer_off = line_offset(md, len, last + 1);
		*heading_line = (unsigned)first;
		found = 1;
		break;
	}
	ck_buf_free(&text);
	ck_arena_free(a);
	cmark_node_free(doc);
	cmark_parser_free(p);
	return found;
}

/* Appends byte c of the published text, which comes from md[off]. */
static void
put_mapped(ck_buf *text, ck_buf *offsets, char c, size_t off)
{
	ck_buf_putc(text, c);
	ck_buf_put(offsets, &off, sizeof(off));
}

static bool
is_inline(cmark_node *n)
{
	return (cmark_node_get_type(n) & CMARK_NODE_TYPE_MASK) ==
	       CMARK_NODE_TYPE_INLINE;
}

/*
 * Byte offset in md of cmark's (line, column), both from 1 and counting
 * bytes, or `fallback` when the node has no position.
 */
static size_t
pos_offset(const ck_buf *lines, size_t len, int line, int col, size_t fallback)
{
	const size_t *starts = (const size_t *)(const void *)lines->ptr;
	size_t off;

	if (line < 1 || col < 1 || (size_t)line > lines->size / sizeof(size_t))
		return fallback;
	off = starts[line - 1] + (size_t)(col - 1);
	return off < len ? off : fallback;
}

/* The offset of the start of each line of md, as line_offset counts. */
static void
line_starts(ck_buf *lines, const char *md, size_t len)
{
	size_t i = 0;

	ck_buf_put(lines, &i, sizeof(i));
	for (; i < len; i++) {
		if (md[i] == '\r' && i + 1 < len && md[i + 1] == '\n')
			i++;
		if (md[i] == '\r' || md[i] == '\n') {
			size_t next = i + 1;

			ck_buf_put(lines, &next, sizeof(next));
		}
	}
}

/*
 * Appends the literal of a text or code node, aligning it with its source
 * from md[src]: a byte equal to the source's maps to it; a backslash escape
 * is skipped; an entity maps its decoded bytes to its '&'. The source is
 * first searched forward on its line for the literal's first byte: cmark
 * places text after the leading spaces of a continuation line at column 1.
 */
static void
put_literal(ck_buf *text, ck_buf *offsets, const char *lit, const char *md,
            size_t len, size_t src)
{
	size_t j = src, semi;
	const char *b;

	/*
	 * Nodes made by the autolink extension have no position: find the
	 * literal's start on the rest of the line.
	 */
	if (j < len && md[j] != *lit && md[j] != '&' && md[j] != '\\')
		for (semi = j;
		     semi < len && md[semi] != '\n' && md[semi] != '\r'; semi++)
			if (md[semi] == *lit) {
				j = semi;
				break;
			}
	for (b = lit; *b != '\0'; b++) {
		if (j < len && md[j] == *b) {
			put_mapped(text, offsets, *b, j++);
			continue;
		}
		if (j + 1 < len && md[j] == '\\' && md[j + 1] == *b) {
			put_mapped(text, offsets, *b, j + 1);
			j += 2;
			continue;
		}
		if (j < len && md[j] == '&') {
			for (semi = j + 1; semi < len && semi - j < 40 &&
			                   md[semi] != ';' && md[semi] != '\n';
			     semi++)
				;
			if (semi < len && md[semi] == ';') {
				put_mapped(text, offsets, *b, j);
				/* The rest of the decoded code point. */
				while (((unsigned char)b[1] & 0xC0) == 0x80)
					put_mapped(text, offsets, *++b, j);
				j = semi + 1;
				continue;
			}
		}
		/* Out of step: keep the last good position. */
		put_mapped(text, offsets, *b,
		           j < len ? j : (len ? len - 1 : 0));
	}
}

static void
put_block_break(ck_buf *text, ck_buf *offsets, size_t off)
{
	if (text->size > 0 && text->ptr[text->size - 1] != '\n') {
		put_mapped(text, offsets, '\n', off);
		put_mapped(text, offsets, '\n', off);
	}
}

void
ck_md_published(ck_buf *text, ck_buf *offsets, const char *md, size_t len)
{
	cmark_parser *p;
	cmark_node *doc = parse(&p, md, len), *n;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	ck_buf links = CK_BUF_INIT, link_offsets = CK_BUF_INIT;
	ck_buf lines = CK_BUF_INIT;
	size_t here = 0, i;
	const char *lit, *attr[2];

	line_starts(&lines, md, len);

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		here = pos_offset(&lines, len, cmark_node_get_start_line(n),
		                  cmark_node_get_start_column(n), here);
		if (!is_inline(n)) {
			/* Code blocks are published as written: the source
			 * scan sees them. Raw HTML is dropped. */
			put_block_break(text, offsets, here);
			if (ev == CMARK_EVENT_ENTER &&
			    cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK)
				put_block_break(text, offsets, here);
			continue;
		}
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			lit = cmark_node_get_literal(n);
			if (lit)
				put_literal(text, offsets, lit, md, len, here);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			put_mapped(text, offsets, '\n', here);
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			attr[0] = cmark_node_get_url(n);
			attr[1] = cmark_node_get_title(n);
			for (i = 0; i < 2; i++) {
				if (attr[i] == NULL || *attr[i] == '\0')
					continue;
				put_block_break(&links, &link_offsets, here);
				for (lit = attr[i]; *lit; lit++)
					put_mapped(&links, &link_offsets, *lit,
					           here);
			}
			break;
		default:
			break;
		}
	}
	put_block_break(text, offsets, len ? len - 1 : 0);
	ck_buf_put(text, links.ptr, links.size);
	ck_buf_put(offsets, link_offsets.ptr, link_offsets.size);
	ck_buf_free(&links);
	ck_buf_free(&link_offsets);
	ck_buf_free(&lines);
	cmark_iter_free(it);
	cmark_node_free(doc);
	cmark_parser_free(p);
}
