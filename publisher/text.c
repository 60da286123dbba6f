/*
 * Text utilities: UTF-8 validation and positions, NFC and case folding with
 * utf8proc, slugs, "did you mean" suggestions, and the personal-data
 * detector that keeps citizens' phone and ID numbers off the site.
 */
#include "text.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

int
ck_utf8_check(const char *s, size_t len, size_t *bad)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned c = u[i];
		size_t n, k;
		unsigned lo = 0x80, hi = 0xBF;

		if (c < 0x80) {
			i++;
			continue;
		}
		/*
		 * The second byte's range is what rules out overlongs
		 * (E0, F0), surrogates (ED) and code points past U+10FFFF
		 * (F4); C0, C1 and F5..FF never start a sequence.
		 */
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else {
			goto fail;
		}
		if (len - i <= n)
			goto fail;
		if (u[i + 1] < lo || u[i + 1] > hi)
			goto fail;
		for (k = 2; k <= n; k++)
			if ((u[i + k] & 0xC0) != 0x80)
				goto fail;
		i += n + 1;
		continue;
	fail:
		/* The sequence's first byte, where an editor shows damage. */
		if (bad != NULL)
			*bad = i;
		return -1;
	}
	return 0;
}

void
ck_text_advance(const char *s, size_t offset, unsigned *line, unsigned *col)
{
	size_t i;

	/* CR, LF and CRLF each end a line, as in libyaml and cmark. */
	for (i = 0; i < offset; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r' || (c == '\n' && (i == 0 || s[i - 1] != '\r'))) {
			(*line)++;
			*col = 1;
		} else if (c != '\n' && (c & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

static bool
is_ascii(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/*
 * utf8proc_map into out; returns false when utf8proc refuses the input
 * (invalid UTF-8: the caller broke the contract) so the caller can fall
 * back to the bytes as they are.
 */
static bool
map_into(ck_buf *out, const char *s, size_t len, utf8proc_option_t opts)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t n;

	if (len > (size_t)(SIZE_MAX / 8))
		return false;
	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
	                 &dst, opts);
	if (n < 0)
		return false;
	ck_buf_put(out, dst, (size_t)n);
	free(dst);
	return true;
}

/*
 * The NFC quick check. A code point is "inert" when NFC can change neither
 * it nor anything across the boundary before it: it is a starter
 * (combining class 0), its NFC is itself (precomposed Vietnamese letters
 * are), and it never composes with the character before it (as a
 * combining mark or a Hangul vowel does). Text made only of inert code
 * points is already NFC, and NFC(x y) = NFC(x) NFC(y) whenever y starts
 * with one; so only the short spans around the other code points go
 * through utf8proc. Content is almost always NFC already, and normalising
 * all of it was a tenth of a build's time.
 */
static bool
nfc_inert_slow(utf8proc_int32_t c)
{
	const utf8proc_property_t *p = utf8proc_get_property(c);
	utf8proc_uint8_t enc[4];
	utf8proc_int32_t d[16];
	utf8proc_ssize_t n;

	if (p->combining_class != 0)
		return false;
	/* Hangul syllables compose algorithmically, outside the table. */
	if ((c >= 0x1100 && c <= 0x11FF) || (c >= 0xAC00 && c <= 0xD7A3))
		return false;
	/* utf8proc >= 2.7 marks the second of a composing pair thus. */
	if (p->comb_index != UINT16_MAX && p->comb_index >= 0x8000)
		return false;
	if (p->decomp_seqindex == UINT16_MAX || p->decomp_type != 0)
		return true; /* no canonical decomposition */
	n = utf8proc_encode_char(c, enc);
	n = utf8proc_decompose(enc, n, d, 16,
	                       UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n < 0 || n > 16)
		return false;
	n = utf8proc_normalize_utf32(d, n, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	return n == 1 && d[0] == c;
}

/* Inert code points of the BMP, one bit each: filled once per process. */
static unsigned char nfc_inert_bmp[0x10000 / 8];
static pthread_once_t nfc_inert_once = PTHREAD_ONCE_INIT;

static void
nfc_inert_fill(void)
{
	utf8proc_int32_t c;

	for (c = 0; c < 0x10000; c++)
		if (nfc_inert_slow(c))
			nfc_inert_bmp[c >> 3] |= (unsigned char)(1u << (c & 7));
}

bool
ck_text_nfc_inert(int32_t c)
{
	if (c < 0 || c > 0x10FFFF)
		return false;
	if (c >= 0x10000)
		return nfc_inert_slow(c);
	pthread_once(&nfc_inert_once, nfc_inert_fill);
	return (nfc_inert_bmp[c >> 3] >> (c & 7)) & 1;
}

void
ck_text_nfc(ck_buf *out, const char *s, size_t len)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	/* s[0, done) is out; the last inert code point began at `inert`. */
	size_t i = 0, done = 0, inert = 0, end;
	utf8proc_int32_t c;
	utf8proc_ssize_t k;

	while (i < len) {
		if (u[i] < 0x80) { /* ASCII is inert */
			inert = i++;
			continue;
		}
		k = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &c);
		if (k > 0 && ck_text_nfc_inert(c)) {
			inert = i;
			i += (size_t)k;
			continue;
		}
		/* Normalise from the inert code point before to the next. */
		end = i + (k > 0 ? (size_t)k : 1);
		while (end < len && u[end] >= 0x80) {
			k = utf8proc_iterate(u + end,
			                     (utf8proc_ssize_t)(len - end), &c);
			if (k > 0 && ck_text_nfc_inert(c))
				break;
			end += k > 0 ? (size_t)k : 1;
		}
		ck_buf_put(out, s + done, inert - done);
		if (!map_into(out, s + inert, end - inert,
		              UTF8PROC_STABLE | UTF8PROC_COMPOSE))
			ck_buf_put(out, s + inert, end - inert);
		done = inert = i = end;
	}
	ck_buf_put(out, s + done, len - done);
}

char *
ck_text_fold(ck_arena *a, const char *s, size_t len)
{
	ck_buf b = CK_BUF_INIT;
	char *r;
	size_t i;

	if (is_ascii(s, len)) {
		r = ck_arena_strndup(a, s, len);
		for (i = 0; i < len; i++)
			if (r[i] >= 'A' && r[i] <= 'Z')
				r[i] = (char)(r[i] - 'A' + 'a');
		return r;
	}
	if (!map_into(&b, s, len,
	              UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD))
		ck_buf_put(&b, s, len);
	r = ck_arena_strndup(a, b.ptr, b.size);
	ck_buf_free(&b);
	return r;
}

bool
ck_slug_valid(const char *s, size_t len)
{
	size_t i;

	if (len < 1 || len > 64 || s[0] == '-' || s[len - 1] == '-')
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return false;
	}
	return true;
}

/* Longer words than this get no suggestion: no id or key is that long. */
#define SUGGEST_MAX 128

/* Code points of s into cp; returns their count, or -1 if too many. */
static int
decode(const char *s, int32_t *cp)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	int n = 0;

	while (*u != '\0') {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate(u, -1, &c);

		if (n == SUGGEST_MAX)
			return -1;
		if (k <= 0) {
			/* Invalid UTF-8 still compares, byte by byte. */
			c = 0x100000 + *u;
			k = 1;
		}
		cp[n++] = c;
		u += k;
	}
	return n;
}

/* Levenshtein distance of a and b, or a value above `max` once it exceeds. */
static int
distance(const int32_t *a, int na, const int32_t *b, int nb, int max)
{
	int row[2][SUGGEST_MAX + 1];
	int i, j, *prev = row[0], *cur = row[1], *t;

	if (abs(na - nb) > max)
		return max + 1;
	for (j = 0; j <= nb; j++)
		prev[j] = j;
	for (i = 1; i <= na; i++) {
		int best;

		cur[0] = best = i;
		for (j = 1; j <= nb; j++) {
			int d = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			cur[j] = d;
			if (d < best)
				best = d;
		}
		if (best > max)
			return max + 1;
		t = prev;
		prev = cur;
		cur = t;
	}
	return prev[nb];
}

const char *
ck_suggest(const char *word, const char *const *cands, size_t n)
{
	int32_t w[SUGGEST_MAX], c[SUGGEST_MAX];
	int nw, nc, best_d = 3;
	const char *best = NULL;
	size_t i;

	if (word == NULL || (nw = decode(word, w)) <= 0)
		return NULL;
	for (i = 0; i < n; i++) {
		int d;

		if (cands[i] == NULL || (nc = decode(cands[i], c)) < 0)
			continue;
		d = distance(w, nw, c, nc, 2);
		/* Strictly better only, so ties go to the first candidate. */
		if (d < best_d && 2 * d < nw) {
			best_d = d;
			best = cands[i];
		}
	}
	return best;
}

/* Personal data. */

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Whether the code point starting at s[i] is a letter, mark or '_'. */
static bool
wordy_at(const char *s, size_t len, size_t i)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t k;
	int cat;

	if (i >= len)
		return false;
	k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
	                     (utf8proc_ssize_t)(len - i), &c);
	if (k <= 0)
		return false;
	if (c == '_')
		return true;
	cat = utf8proc_category(c);
	return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
	       (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME);
}

/* Whether the code point ending just before s[i] is a letter or mark. */
static bool
wordy_before(const char *s, size_t len, size_t i)
{
	size_t j = i;

	if (i == 0)
		return false;
	while (j > 0 && i - j < 4 && ((unsigned char)s[j - 1] & 0xC0) == 0x80)
		j--;
	if (j == 0)
		return false;
	return wordy_at(s, i, j - 1);
}

/*
 * Length of a separator between two digit groups at s[i], 0 if none: spaces
 * or tabs, at most one line break, and at most one '.' or '-', in any mix
 * ("0912 345 678", "0912.345.678", "0912 - 345 - 678", "0912\n345 678").
 * Runs on the normalised text, where every Unicode space is ' '.
 */
static size_t
group_sep(const char *s, size_t len, size_t i)
{
	size_t p = i;
	bool brk = false, mark = false;

	while (p < len) {
		if (s[p] == ' ' || s[p] == '\t') {
			p++;
		} else if (!brk && (s[p] == '\n' || s[p] == '\r')) {
			brk = true;
			if (s[p] == '\r' && p + 1 < len && s[p + 1] == '\n')
				p++;
			p++;
		} else if (!mark && (s[p] == '.' || s[p] == '-')) {
			mark = true;
			p++;
		} else {
			break;
		}
	}
	return p - i;
}

/*
 * A date written with dots, slashes or dashes at s[i]: "05.01.2024",
 * "5/1/2024", "05-01-2024".
 */
static bool
date_at(const char *s, size_t len, size_t i)
{
	size_t p = i, n, part;

	for (part = 0; part < 3; part++) {
		for (n = 0; p < len && is_digit(s[p]); n++)
			p++;
		if (part < 2 && (n < 1 || n > 2 || p >= len ||
		                 (s[p] != '.' && s[p] != '/' && s[p] != '-')))
			return false;
		if (part == 2)
			return n == 4;
		p++;
	}
	return false;
}

static bool
has_prefix(const char *s, size_t len, size_t i, const char *prefix)
{
	size_t n = strlen(prefix);

	return len - i >= n && memcmp(s + i, prefix, n) == 0;
}

/*
 * The international prefix of a Vietnamese number at s[i] ("+84", "0084",
 * or "84" glued to the rest), with what may follow it before the subscriber
 * number: ")" of "(+84)", a separator, and the trunk "0" or "(0)" that
 * people keep by habit ("+84 (0) 912 ...", "+84 0912 ..."). Returns the
 * offset of the subscriber number, or 0 when there is no such prefix.
 */
static size_t
intl_prefix(const char *s, size_t len, size_t i)
{
	size_t p;

	if (has_prefix(s, len, i, "+84"))
		p = i + 3;
	else if (has_prefix(s, len, i, "0084"))
		p = i + 4;
	else if (has_prefix(s, len, i, "84") && len - i >= 11 &&
	         is_digit(s[i + 2]))
		return i + 2; /* bare "84": only "84912345678" */
	else
		return 0;
	if (p < len && s[p] == ')')
		p++;
	p += group_sep(s, len, p);
	if (has_prefix(s, len, p, "(0)")) {
		p += 3;
		p += group_sep(s, len, p);
	} else if (p + 1 < len && s[p] == '0' && is_digit(s[p + 1])) {
		p++;
	}
	return p;
}

/*
 * A phone number starting at s[i]: "0", "+84", "0084" or "84", then
 * 3/5/7/8/9 and eight more digits, in groups of any size split by
 * separators (group_sep). A date ("05.01.2024 15") is not the start of one.
 * A digit, or a digit and a dot, on either side means a longer number; a
 * digit and a space before it does not: "thôn 3 0912345678" is a phone.
 * Letters around it do not matter ("ĐT0912345678").
 */
static bool
phone_at(const char *s, size_t len, size_t i, size_t *end)
{
	size_t p, sep, glen, count = 0;

	if (i > 0 && is_digit(s[i - 1]))
		return false;
	if (i > 1 && s[i - 1] == '.' && is_digit(s[i - 2]))
		return false;
	if ((p = intl_prefix(s, len, i)) != 0) {
		glen = 0;
	} else if (s[i] == '0') {
		if (date_at(s, len, i))
			return false;
		p = i + 1;
		glen = 1;
	} else {
		return false;
	}
	while (count < 9) {
		if (p < len && is_digit(s[p])) {
			if (count == 0 && strchr("35789", s[p]) == NULL)
				return false;
			count++;
			glen++;
			p++;
			continue;
		}
		/* One separator between two groups. */
		sep = group_sep(s, len, p);
		if (glen == 0 || sep == 0 || p + sep >= len ||
		    !is_digit(s[p + sep]))
			return false;
		glen = 0;
		p += sep;
	}
	if (p < len && is_digit(s[p]))
		return false;
	if (p + 1 < len && s[p] == '.' && is_digit(s[p + 1]))
		return false;
	*end = p;
	return true;
}

static bool
starts_with_ci(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix), i;

	if (len < n)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != prefix[i])
			return false;
	}
	return true;
}

/* "150000000 đồng", "123456789đ", "150000000 VND": money, not an ID. */
static bool
currency_at(const char *s, size_t len, size_t i)
{
	if (i < len && s[i] == ' ')
		i++;
	return starts_with_ci(s + i, len - i, "\xc4\x91") || /* đ */
	       starts_with_ci(s + i, len - i, "\xc4\x90") || /* Đ */
	       starts_with_ci(s + i, len - i, "vnd") ||
	       starts_with_ci(s + i, len - i, "vn\xc4\x91") ||
	       starts_with_ci(s + i, len - i, "vn\xc4\x90");
}

/*
 * Whether s[i] lies in a URL: the word it is part of (back to a space or
 * an opening bracket or quote) holds "://" or starts with "www.". Numbers
 * in links to legal documents are not citizens' IDs.
 */
static bool
in_url(const char *s, size_t i)
{
	size_t k = i, lim = i > 2048 ? i - 2048 : 0, j;

	while (k > lim && strchr(" \t\r\n(<[\"'", s[k - 1]) == NULL)
		k--;
	if (starts_with_ci(s + k, i - k, "www."))
		return true;
	for (j = k; j + 3 <= i; j++)
		if (s[j] == ':' && s[j + 1] == '/' && s[j + 2] == '/')
			return true;
	return false;
}

/*
 * A CCCD written in groups from s[i]: 12 digits starting with "0" (every
 * CCCD starts with its province code, 001 to 096) in groups of three or
 * more split by separators: "025 085 001 234", "025.085.001.234". Money
 * never starts with 0 and dates have shorter groups.
 */
static bool
grouped_cccd_at(const char *s, size_t len, size_t i, size_t *end)
{
	size_t p = i, count = 0, glen = 0, groups = 1, sep;

	if (s[i] != '0')
		return false;
	/* "2 050 000 000 000 đồng": the groups of a longer number. */
	for (sep = i; sep > 0 && i - sep < 3 && strchr(" .-", s[sep - 1]);
	     sep--)
		;
	if (sep < i && sep > 0 && is_digit(s[sep - 1]))
		return false;
	while (count < 12) {
		if (p < len && is_digit(s[p])) {
			count++;
			glen++;
			p++;
			continue;
		}
		sep = group_sep(s, len, p);
		if (glen < 3 || sep == 0 || p + sep >= len ||
		    !is_digit(s[p + sep]))
			return false;
		glen = 0;
		groups++;
		p += sep;
	}
	if (groups < 2 || glen < 3 || (p < len && is_digit(s[p])) ||
	    currency_at(s, len, p))
		return false;
	*end = p;
	return true;
}

/*
 * A run of exactly 12 (CCCD) or 9 (CMND) digits starting at s[i], standing
 * alone: no letter next to it, no dot or comma joining it to more digits
 * ("1.500.000.000", "123456789,5"), not money, not in a URL, not a document
 * number ("123456789/UBND-VP"). A CCCD is also found glued to a word
 * ("CCCD025085001234": 12 digits from a province code "0xx") or in groups
 * (grouped_cccd_at); a CMND glued to letters stays a code ("HS123456789").
 */
static ck_pd_kind
id_at(const char *s, size_t len, size_t i, size_t *end)
{
	size_t p = i;
	bool glued;

	if (i > 0 && is_digit(s[i - 1]))
		return CK_PD_NONE;
	if (i > 1 && (s[i - 1] == '.' || s[i - 1] == ',') && is_digit(s[i - 2]))
		return CK_PD_NONE;
	while (p < len && is_digit(s[p]))
		p++;
	if (p - i != 12 && p - i != 9) {
		if (p - i < 12 && !in_url(s, i) &&
		    grouped_cccd_at(s, len, i, end))
			return CK_PD_CCCD;
		return CK_PD_NONE;
	}
	glued = wordy_before(s, len, i) || wordy_at(s, len, p);
	if (glued && (p - i != 12 || s[i] != '0'))
		return CK_PD_NONE;
	if (p + 1 < len && (s[p] == '.' || s[p] == ',') && is_digit(s[p + 1]))
		return CK_PD_NONE;
	if (p + 1 < len && s[p] == '/' && wordy_at(s, len, p + 1))
		return CK_PD_NONE;
	if (currency_at(s, len, p) || in_url(s, i))
		return CK_PD_NONE;
	*end = p;
	return p - i == 12 ? CK_PD_CCCD : CK_PD_CMND;
}

/* The code point at s[i] into *c; its length, 0 at the end or if broken. */
static size_t
cp_at(const char *s, size_t len, size_t i, utf8proc_int32_t *c)
{
	utf8proc_ssize_t k;

	if (i >= len)
		return 0;
	k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
	                     (utf8proc_ssize_t)(len - i), c);
	return k > 0 ? (size_t)k : 0;
}

/* The code point ending just before s[i] into *c; its length, or 0. */
static size_t
cp_before(const char *s, size_t i, utf8proc_int32_t *c)
{
	size_t j = i;

	while (j > 0 && i - j < 4 && ((unsigned char)s[j - 1] & 0xC0) == 0x80)
		j--;
	if (j == 0)
		return 0;
	j--;
	return cp_at(s, i, j, c) == i - j ? i - j : 0;
}

/* A letter or mark outside ASCII, as in an internationalised address. */
static bool
intl_letter(utf8proc_int32_t c)
{
	int cat;

	if (c < 0x80)
		return false;
	cat = utf8proc_category(c);
	return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
	       (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) ||
	       cat == UTF8PROC_CATEGORY_ND;
}

static bool
ascii_alnum(utf8proc_int32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c);
}

static bool
email_local(utf8proc_int32_t c)
{
	return ascii_alnum(c) || (c > 0 && c < 0x80 && strchr("._%+-", c)) ||
	       intl_letter(c);
}

static bool
email_domain(utf8proc_int32_t c)
{
	return ascii_alnum(c) || c == '-' || c == '.' || intl_letter(c);
}

/*
 * The e-mail address around the '@' at s[at], not starting before `from`.
 * Local parts and domains may hold non-ASCII letters (internationalised
 * addresses, "thư@bưuđiện.việtnam").
 */
static bool
email_at(const char *s, size_t len, size_t from, size_t at, size_t *start,
         size_t *end)
{
	size_t l = at, r = at + 1, dot = 0, k, n;
	utf8proc_int32_t c;

	while (l > from && (n = cp_before(s, l, &c)) != 0 && l - n >= from &&
	       email_local(c))
		l -= n;
	while (l < at && s[l] == '.')
		l++;
	if (l == at)
		return false;
	while ((n = cp_at(s, len, r, &c)) != 0 && email_domain(c))
		r += n;
	/* A sentence may end right after the address. */
	while (r > at + 1 && (s[r - 1] == '.' || s[r - 1] == '-'))
		r--;
	for (k = at + 1; k < r; k++) {
		if (s[k] != '.')
			continue;
		if (k == at + 1 || s[k - 1] == '.')
			return false;
		dot = k;
	}
	if (dot == 0 || r - dot - 1 < 2)
		return false;
	for (k = dot + 1; k < r; k += n) {
		n = cp_at(s, r, k, &c);
		if (n == 0 ||
		    !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (intl_letter(c) && c != 0)))
			return false;
		if (c >= 0x80 && utf8proc_category(c) == UTF8PROC_CATEGORY_ND)
			return false;
	}
	/* "logo@2x.png" is an image name. */
	for (k = at + 1; k < r && is_digit(s[k]); k++)
		;
	if (k > at + 1 && k + 1 < r && (s[k] == 'x' || s[k] == 'X') &&
	    s[k + 1] == '.')
		return false;
	*start = l;
	*end = r;
	return true;
}

/* The first personal datum in the normalised s[from..len). */
static ck_pd_kind
find_normalised(const char *s, size_t len, size_t from, size_t *start,
                size_t *end)
{
	size_t es = len, ee = len, at, i, e;
	bool email = false;
	ck_pd_kind k;

	for (at = from + 1; at < len; at++) {
		const char *p = memchr(s + at, '@', len - at);

		if (p == NULL)
			break;
		at = (size_t)(p - s);
		if (email_at(s, len, from, at, &es, &ee)) {
			email = true;
			break;
		}
	}
	/* Anything starting before the first address comes first. */
	for (i = from; i < (email ? es : len); i++) {
		if (s[i] != '+' && !is_digit(s[i]))
			continue;
		if (phone_at(s, len, i, &e)) {
			k = CK_PD_PHONE;
		} else if ((k = id_at(s, len, i, &e)) == CK_PD_NONE) {
			continue;
		}
		*start = i;
		*end = e;
		return k;
	}
	if (email) {
		*start = es;
		*end = ee;
		return CK_PD_EMAIL;
	}
	return CK_PD_NONE;
}

/*
 * The copy of s that matching runs on, what a reader sees rather than how
 * it is encoded: format characters (soft hyphen, zero-width space and
 * joiners, BOM) dropped, every Unicode space and the tab as ' ', line and
 * paragraph separators as '\n', and characters with a compatibility
 * decomposition replaced by it (NFKC's part that matters here: full-width
 * "０９１２" and "＠", mathematical and superscript digits). Canonical
 * compositions (Vietnamese letters) are kept, as s is already NFC. For each
 * output byte, map gets the offset in s of the code point it came from,
 * plus one last entry, len.
 */
static void
normalise(ck_buf *out, ck_buf *map, const char *s, size_t len)
{
	size_t i = 0, k, j, before;
	utf8proc_int32_t c, d[18];
	utf8proc_ssize_t nd, m;
	utf8proc_uint8_t enc[4];
	int boundclass = 0;

	while (i < len) {
		before = out->size;
		k = cp_at(s, len, i, &c);
		if (k == 0) {
			ck_buf_putc(out, s[i]);
			k = 1;
		} else if (c < 0x80) {
			ck_buf_putc(out, c == '\t' ? ' ' : (int)c);
		} else {
			int cat = utf8proc_category(c);

			if (cat == UTF8PROC_CATEGORY_CF) {
				/* dropped */
			} else if (cat == UTF8PROC_CATEGORY_ZS) {
				ck_buf_putc(out, ' ');
			} else if (cat == UTF8PROC_CATEGORY_ZL ||
			           cat == UTF8PROC_CATEGORY_ZP) {
				ck_buf_putc(out, '\n');
			} else if (utf8proc_get_property(c)->decomp_type != 0 &&
			           (nd = utf8proc_decompose_char(
			                c, d, 18,
			                UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT,
			                &boundclass)) > 0 &&
			           nd <= 18) {
				for (m = 0; m < nd; m++)
					ck_buf_put(out, enc,
					           (size_t)utf8proc_encode_char(
					               d[m], enc));
			} else {
				ck_buf_put(out, s + i, k);
			}
		}
		for (j = before; j < out->size; j++)
			ck_buf_put(map, &i, sizeof(i));
		i += k;
	}
	ck_buf_put(map, &len, sizeof(len));
}

/*
 * Whether the text just before s[i] names a tax code ("MST", "mã số thuế",
 * "mã số doanh nghiệp", "MSDN", "tax code"), with ':' or '(' between: the
 * 10-digit code of a business looks like a phone number.
 */
static bool
tax_code_before(const char *s, size_t i)
{
	static const char *const names[] = {
	    "mst",
	    "msdn",
	    "tax code",
	    "m\xc3\xa3 s\xe1\xbb\x91 thu\xe1\xba\xbf",
	    "m\xc3\xa3 s\xe1\xbb\x91 doanh nghi\xe1\xbb\x87p",
	    NULL};
	size_t j = i, w, n, k;
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t fl;
	utf8proc_int32_t c;
	bool r = false;

	while (j > 0 && strchr(" :(", s[j - 1]) != NULL)
		j--;
	w = j > 48 ? j - 48 : 0;
	while (w < j && ((unsigned char)s[w] & 0xC0) == 0x80)
		w++;
	fl = utf8proc_map(
	    (const utf8proc_uint8_t *)s + w, (utf8proc_ssize_t)(j - w), &folded,
	    UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
	if (fl < 0)
		return false;
	for (k = 0; names[k] && !r; k++) {
		n = strlen(names[k]);
		if ((size_t)fl < n ||
		    memcmp(folded + fl - (utf8proc_ssize_t)n, names[k], n) != 0)
			continue;
		/* A whole word: "amst" is not "mst". */
		r = (size_t)fl == n ||
		    cp_before((const char *)folded, (size_t)fl - n, &c) == 0 ||
		    !(ascii_alnum(c) || intl_letter(c));
	}
	free(folded);
	return r;
}

/* The canonical value of a datum found in the normalised n[s..e). */
static void
pd_value(ck_buf *value, ck_pd_kind k, const char *n, size_t s, size_t e)
{
	size_t i, base = value->size;

	for (i = s; i < e; i++) {
		char c = n[i];

		if (k == CK_PD_EMAIL)
			ck_buf_putc(value,
			            c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
		else if (is_digit(c))
			ck_buf_putc(value, c);
	}
	/* "+84 912 345 678", "0084 ...", "+84 (0) 912 ..." as "0912345678". */
	if (k == CK_PD_PHONE && value->size - base > 10) {
		char last9[9];

		memcpy(last9, value->ptr + value->size - 9, 9);
		ck_buf_truncate(value, base);
		ck_buf_putc(value, '0');
		ck_buf_put(value, last9, 9);
	}
}

/*
 * Whether s could hold a datum: every one has nine digits or more (a CMND
 * has the fewest) or an '@'. Normalising only drops characters or replaces
 * them, and only one with a compatibility decomposition can become a digit
 * or an '@' ("０", "①", "＠"): such a character, or a broken one, sends s
 * the whole way. Most texts hold neither, and skip normalise's copy and
 * map (eight bytes for each byte of text).
 */
static bool
may_hold_datum(const char *s, size_t len)
{
	size_t i = 0, digits = 0, k;
	utf8proc_int32_t c;

	while (i < len) {
		unsigned char b = (unsigned char)s[i];

		if (b < 0x80) {
			if (b == '@' || (is_digit(b) && ++digits >= 9))
				return true;
			i++;
			continue;
		}
		k = cp_at(s, len, i, &c);
		if (k == 0 || utf8proc_get_property(c)->decomp_type != 0)
			return true;
		i += k;
	}
	return false;
}

ck_pd_kind
ck_pd_match(ck_buf *value, const char *s, size_t len, size_t from,
            size_t *start, size_t *end)
{
	ck_buf norm = CK_BUF_INIT, mapbuf = CK_BUF_INIT;
	const size_t *map;
	size_t nfrom = 0, ns, ne;
	ck_pd_kind k;

	if (!may_hold_datum(s, len))
		return CK_PD_NONE;
	normalise(&norm, &mapbuf, s, len);
	map = (const size_t *)(const void *)mapbuf.ptr;
	while (nfrom < norm.size && map[nfrom] < from)
		nfrom++;
	while ((k = find_normalised(norm.ptr, norm.size, nfrom, &ns, &ne)) !=
	       CK_PD_NONE) {
		/* A business's tax code, "MST: 0301234567", is public. */
		if (k == CK_PD_PHONE && norm.ptr[ns] == '0' &&
		    tax_code_before(norm.ptr, ns)) {
			nfrom = ne;
			continue;
		}
		*start = map[ns];
		*end = map[ne];
		/* A match ending inside a decomposed character ends before it.
		 */
		if (*end <= *start)
			*end = *start + 1;
		if (value)
			pd_value(value, k, norm.ptr, ns, ne);
		break;
	}
	ck_buf_free(&norm);
	ck_buf_free(&mapbuf);
	return k;
}

ck_pd_kind
ck_pd_find(const char *s, size_t len, size_t from, size_t *start, size_t *end)
{
	return ck_pd_match(NULL, s, len, from, start, end);
}

const char *
ck_pd_name(ck_pd_kind k)
{
	switch (k) {
	case CK_PD_PHONE:
		return "phone number";
	case CK_PD_CCCD:
		return "citizen ID number";
	case CK_PD_CMND:
		return "ID card number";
	case CK_PD_EMAIL:
		return "e-mail address";
	case CK_PD_NONE:
		break;
	}
	return "personal data";
}
