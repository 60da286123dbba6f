/*
 * Text utilities: UTF-8 checks and positions, NFC and case folding
 * (utf8proc), slugs, "did you mean" suggestions, and the detector of personal
 * data that must never be published.
 */
#ifndef CK_TEXT_H
#define CK_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"

/* 0 when s is valid UTF-8, else -1 and *bad = offset of the first bad byte. */
int ck_utf8_check(const char *s, size_t len, size_t *bad);

/*
 * Line and column (from 1; the column counts code points, as libyaml does)
 * of byte `offset` in s, counting from (*line, *col) at s[0].
 */
void ck_text_advance(const char *s, size_t offset, unsigned *line,
		     unsigned *col);

/*
 * NFC of s appended to out. s must be valid UTF-8. Text already in NFC is
 * copied as it is; utf8proc sees only the spans that may change.
 */
void ck_text_nfc(ck_buf *out, const char *s, size_t len);
/*
 * Whether NFC leaves code point c alone and never joins it to what comes
 * before (the quick check behind ck_text_nfc; exposed for its tests).
 */
bool ck_text_nfc_inert(int32_t c);
/* NFC + Unicode case folding, for comparisons; owned by the arena. */
char *ck_text_fold(ck_arena *a, const char *s, size_t len);

/* 1..64 of [a-z0-9-], not starting or ending with '-'. */
bool ck_slug_valid(const char *s, size_t len);

/*
 * The closest candidate to `word` (Levenshtein distance at most 2, and less
 * than half the word's length), or NULL. Returns one of cands.
 */
const char *ck_suggest(const char *word, const char *const *cands, size_t n);

typedef enum {
	CK_PD_NONE = 0,
	CK_PD_PHONE, /* 0, +84, 0084 or 84, then 3/5/7/8/9, then 8 digits */
	CK_PD_CCCD,  /* 12 digits alone, or "0xx" glued to a word or grouped */
	CK_PD_CMND,  /* 9 digits standing alone */
	CK_PD_EMAIL
} ck_pd_kind;

/*
 * Finds the first personal datum in s[from..len) (s valid UTF-8, the text
 * before `from` read as context): returns its kind and sets [*start, *end)
 * to its bytes in s, or returns CK_PD_NONE. Matching runs on a normalised
 * copy (Unicode spaces as ' ', format characters dropped, compatibility
 * forms such as full-width digits decomposed), so "０９１２\u00ad345678"
 * is found too. When value is not NULL, the datum's canonical spelling is
 * appended to it: the digits ("0912345678" for any phone spelling) or the
 * lower-cased address.
 */
ck_pd_kind ck_pd_match(ck_buf *value, const char *s, size_t len, size_t from,
		       size_t *start, size_t *end);
/* ck_pd_match without the value. */
ck_pd_kind ck_pd_find(const char *s, size_t len, size_t from, size_t *start,
		      size_t *end);
/* "phone number", "citizen ID number", "ID card number", "e-mail address". */
const char *ck_pd_name(ck_pd_kind k);

#endif
