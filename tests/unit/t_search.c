/*
 * The folding of the search index (views_search.c): what a citizen types
 * with or without diacritics, in any case, and the index's words must fold
 * to the same text; search.js folds the same way (NFD, marks dropped,
 * lower case, đ -> d).
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "harness.h"
#include "views_int.h"

static void
fold_is(const char *in, const char *want)
{
	ck_buf b = CK_BUF_INIT;

	vw_search_fold(&b, in, strlen(in));
	CHECK_STR(b.ptr, want);
	ck_buf_free(&b);
}

static void
test_vietnamese(void)
{
	fold_is("Đất đai", "dat dai");
	fold_is("ĐẤT ĐAI", "dat dai");
	fold_is("dat dai", "dat dai");
	/* Every vowel with its marks, precomposed. */
	fold_is("àáảãạăằắẳẵặâầấẩẫậ", "aaaaaaaaaaaaaaaaa");
	fold_is("èéẻẽẹêềếểễệ", "eeeeeeeeeee");
	fold_is("ìíỉĩị", "iiiii");
	fold_is("òóỏõọôồốổỗộơờớởỡợ", "ooooooooooooooooo");
	fold_is("ùúủũụưừứửữự", "uuuuuuuuuuu");
	fold_is("ỳýỷỹỵ", "yyyyy");
	fold_is("Nguyễn Thị Hường", "nguyen thi huong");
	fold_is("Thôn Bãi Sậy", "thon bai say");
	/* As some input methods send it: base letters and combining marks. */
	fold_is("Đa\xcc\x82\xcc\x81t \xc4\x91"
	        "ai",
	        "dat dai");
	fold_is("Hu\xcc\x9bo\xcc\x9b\xcc\x80ng", "huong");
}

static void
test_other_text(void)
{
	fold_is("", "");
	fold_is("DT2025-001", "dt2025-001");
	fold_is("TCDT10.2026", "tcdt10.2026");
	fold_is("Café – 312 m²", "cafe – 312 m²");
	/* Case folding beyond ASCII, and letters of other scripts kept. */
	fold_is("ΣΊΣΥΦΟΣ", "σισυφοσ");
	fold_is("日本", "日本");
}

/* What utf8proc gives for the whole of s at once, as the index folds. */
static void
fold_reference(ck_buf *out, const char *s, size_t len)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t n, i;

	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
	                 &dst,
	                 UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
	                     UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
	if (n < 0) {
		ck_buf_put(out, s, len);
		return;
	}
	for (i = 0; i < n; i++) {
		if (dst[i] == 0xC4 && i + 1 < n && dst[i + 1] == 0x91) {
			ck_buf_putc(out, 'd');
			i++;
		} else {
			ck_buf_putc(out, (char)dst[i]);
		}
	}
	free(dst);
}

static int
folds_as_utf8proc(const char *s, size_t len)
{
	ck_buf got = CK_BUF_INIT, want = CK_BUF_INIT;
	int same;

	vw_search_fold(&got, s, len);
	fold_reference(&want, s, len);
	same = got.size == want.size && memcmp(got.ptr, want.ptr, got.size) == 0;
	ck_buf_free(&got);
	ck_buf_free(&want);
	return same;
}

/*
 * The index folds code point by code point, from a table made once: the
 * same as utf8proc folding the whole text, for every code point alone and
 * for text that mixes letters, combining marks, other scripts and bytes
 * that are not UTF-8. It holds because no code point with a combining
 * class (which utf8proc would reorder across code points) survives the
 * folding: each is a mark.
 */
static void
test_fold_by_code_point(void)
{
	static const char *const pieces[] = {
	    "a", "Z", "Đ", "đ", "Ư", "ệ", "\xcc\x81", "\xcc\xa3", "\xcc\x9b",
	    "\xcd\x85", "\xe1\xb7\x80", "Σ", "ς", "İ", "ß", "K", "ﬃ", "가",
	    "日", "\xf0\x9d\x90\x80", "\xf0\x9f\x98\x80", " ", "-", "1",
	    "\xff", "\xc3", "\xed\xa0\x80", "\xe0\xb8\x81\xe0\xb8\xb1",
	};
	const size_t np = sizeof(pieces) / sizeof(*pieces);
	utf8proc_uint8_t enc[4];
	utf8proc_int32_t c;
	unsigned long seed = 7;
	size_t i, k, len, bad = 0, marks_only = 1;
	char s[128];

	for (c = 0; c <= 0x10FFFF; c++) {
		const utf8proc_property_t *p = utf8proc_get_property(c);

		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		if (p->combining_class != 0 &&
		    p->category != UTF8PROC_CATEGORY_MN &&
		    p->category != UTF8PROC_CATEGORY_MC &&
		    p->category != UTF8PROC_CATEGORY_ME)
			marks_only = 0;
		len = (size_t)utf8proc_encode_char(c, enc);
		if (!folds_as_utf8proc((const char *)enc, len))
			bad++;
	}
	CHECK(marks_only);
	CHECK_INT((long long)bad, 0);
	for (bad = 0, i = 0; i < 20000; i++) {
		len = 0;
		for (k = 0; k < 12; k++) {
			const char *p;

			seed = seed * 6364136223846793005UL +
			       1442695040888963407UL;
			p = pieces[(seed >> 33) % np];
			memcpy(s + len, p, strlen(p));
			len += strlen(p);
		}
		if (!folds_as_utf8proc(s, len))
			bad++;
	}
	CHECK_INT((long long)bad, 0);
}

/* Words as lines, for comparing two cuttings; "!" after a word whose
 * hash is not its vw_search_hash. */
static void
put_word(void *arg, const char *w, size_t len, uint32_t hash)
{
	ck_buf *out = arg;

	ck_buf_put(out, w, len);
	ck_buf_puts(out, hash == vw_search_hash(w, len) ? "\n" : "!\n");
}

static const char *
words_of(ck_buf *out, const char *s)
{
	ck_buf_clear(out);
	vw_search_words(s, put_word, out);
	return out->ptr;
}

/* What the index takes from a few texts. */
static void
test_words(void)
{
	ck_buf b = CK_BUF_INIT;
	char long_word[60];

	CHECK_STR(words_of(&b, "Đường thôn 3, xã Đông-Hòa!"),
	          "duong\nthon\n3\nxa\ndong\nhoa\n");
	/* A mark alone (NFD text) keeps its letters one word. */
	CHECK_STR(words_of(&b, "Ho\xcc\x80"
	                       "a"),
	          "hoa\n");
	/* Past the table (an emoji, CJK): the slow way, no word twice. */
	CHECK_STR(words_of(&b, "Hà Nội \xf0\x9f\x98\x80 中文 ổn"),
	          "ha\nnoi\n中文\non\n");
	CHECK_STR(words_of(&b, ""), "");
	CHECK_STR(words_of(&b, " ,.; "), "");
	vw_search_words(NULL, put_word, &b);
	memset(long_word, 'a', 49);
	long_word[49] = '\0';
	CHECK_STR(words_of(&b, long_word), ""); /* past 48 bytes */
	long_word[48] = '\0';
	CHECK_INT(strlen(words_of(&b, long_word)), 48 + 1);
	ck_buf_free(&b);
}

/*
 * The words cut as the text is read are those of the text folded whole
 * and then cut, with the same hashes, on random texts of Vietnamese,
 * marks alone, punctuation, digits, other scripts, code points past the
 * fold table and fold-to-several (ligatures, ß).
 */
static void
test_words_as_folded(void)
{
	static const char *const pieces[] = {
	    "a",
	    "Z",
	    "0",
	    "9",
	    " ",
	    ",",
	    "-",
	    ".",
	    "\n",
	    "đ",
	    "Đ",
	    "ư",
	    "Ơ",
	    "ạ",
	    "Ấ",
	    "ỹ",
	    "\xcc\x81",
	    "\xcc\xa3",
	    "ß",
	    "\xef\xac\x81",
	    "²",
	    "½",
	    "Ω",
	    "ж",
	    "中",
	    "文",
	    "\xf0\x9f\x98\x80",
	    "…",
	    "\xc2\xa0",
	    "\xe2\x80\x8b",
	    "\xd9\xa3",
	    "ǅ",
	    "İ",
	    "aaaaaaaaaaaaaaaaaaaaaaaa",
	    "Nguyễn",
	};
	ck_buf text = CK_BUF_INIT, fast = CK_BUF_INIT, slow = CK_BUF_INIT;
	size_t round, k, n, bad = 0;

	srand(5);
	for (round = 0; round < 20000; round++) {
		ck_buf_clear(&text);
		n = (size_t)rand() % 12;
		for (k = 0; k < n; k++)
			ck_buf_puts(&text,
			            pieces[(size_t)rand() %
			                   (sizeof(pieces) / sizeof(*pieces))]);
		ck_buf_clear(&fast);
		ck_buf_clear(&slow);
		vw_search_words(text.ptr, put_word, &fast);
		vw_search_words_folded(text.ptr, put_word, &slow);
		if (!ck_buf_equal(&fast, &slow)) {
			if (bad++ < 3)
				fprintf(stderr,
				        "text \"%s\": \"%s\" vs \"%s\"\n",
				        text.ptr, fast.ptr, slow.ptr);
		}
	}
	CHECK_INT(bad, 0);
	ck_buf_free(&text);
	ck_buf_free(&fast);
	ck_buf_free(&slow);
}

int
main(void)
{
	test_words();
	test_words_as_folded();
	test_vietnamese();
	test_other_text();
	test_fold_by_code_point();
	return ck_t_done("t_search");
}
