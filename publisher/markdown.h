/*
 * Markdown with cmark-gfm: CommonMark plus the GFM table, strikethrough,
 * autolink and tagfilter extensions. Raw HTML never passes and unsafe links
 * (javascript:, vbscript:, file:, data: other than images) are dropped.
 */
#ifndef CK_MARKDOWN_H
#define CK_MARKDOWN_H

#include <stddef.h>

#include "buf.h"

/*
 * cmark-gfm's cost grows with the square of the number of block quotes and
 * list items opened on one line (80 000 `- ` took 40 s), and every later
 * lazy line walks all the open ones (2000 levels of indented lists and
 * 100 000 lines: 14 s); so nesting is limited to this many levels.
 */
#define CK_MD_MAX_NESTING 64

/*
 * Scans one line (without its \n) for block quote and list markers
 * chained at its start. A marker's level is its rank on the line, or half
 * its column (a nested list item is indented 2 more columns than its
 * parent) plus one, whichever is more. Returns 0 when no marker is deeper than CK_MD_MAX_NESTING, or 1
 * + the byte offset of the first that is. Linear: meant to run before cmark
 * sees the text.
 */
size_t ck_md_too_deep(const char *line, size_t len);

/*
 * Registers cmark-gfm's extensions, which its registry does without a
 * lock: call it before parsing on several threads. Parsing calls it too.
 */
void ck_md_ready(void);

/* Safe HTML of md appended to out. */
void ck_md_html(ck_buf *out, const char *md, size_t len);
/* Plain text of md (for CSV and search), appended to out, trimmed. */
void ck_md_text(ck_buf *out, const char *md, size_t len);
/*
 * Both from one parse (the loader needs both of every body: parsing twice
 * was a tenth of a province's load): html and text as ck_md_html and
 * ck_md_text give them; either may be NULL.
 */
void ck_md_html_text(ck_buf *html, ck_buf *text, const char *md, size_t len);
/*
 * The same, always through cmark. ck_md_html_text writes plain prose (most
 * records: no Markdown syntax at all) without a parse; the tests hold the
 * two to the same bytes.
 */
void ck_md_html_text_parsed(ck_buf *html, ck_buf *text, const char *md,
                            size_t len);

/*
 * What readers get of md, for the personal-data check: the text of every
 * inline (entities decoded, backslash escapes and emphasis gone, raw HTML
 * dropped as the safe renderer drops it), blocks split by blank lines, then
 * the destinations and titles of links and images. For each byte appended to
 * text, the byte offset in md it comes from is appended to offsets (a
 * size_t each). Exact for plain text, escapes and entities; best effort
 * (the start of the node) where cmark's positions are not.
 */
void ck_md_published(ck_buf *text, ck_buf *offsets, const char *md, size_t len);

/*
 * Looks for the first level-2 heading whose text is "Trả lời" or "Answer"
 * (after NFC and case folding). Returns 1 and sets *question_len (bytes
 * before the heading line), *answer_off (first byte after the heading) and
 * *heading_line (its line in md, from 1); returns 0 when there is none.
 */
int ck_md_split_answer(const char *md, size_t len, size_t *question_len,
		       size_t *answer_off, unsigned *heading_line);
/*
 * The same, always through cmark: ck_md_split_answer finds the heading in
 * prose without a parse, and the tests hold the two to the same answer.
 */
int ck_md_split_answer_parsed(const char *md, size_t len,
                              size_t *question_len, size_t *answer_off,
                              unsigned *heading_line);

#endif
