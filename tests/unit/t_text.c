/*
 * Tests of text.c: UTF-8 checks and positions, NFC and folding, slugs,
 * suggestions and the personal-data detector on Vietnamese text.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "harness.h"
#include "text.h"

static void
test_utf8_check(void)
{
	size_t bad = 999;

	CHECK_INT(ck_utf8_check("", 0, &bad), 0);
	CHECK_INT(ck_utf8_check("Xã Chợ Mới", strlen("Xã Chợ Mới"), &bad), 0);
	/* The largest code point and each length's boundaries are valid. */
	CHECK_INT(ck_utf8_check("\xf4\x8f\xbf\xbf", 4, &bad), 0);
	CHECK_INT(ck_utf8_check("\xc2\x80\xdf\xbf", 4, &bad), 0);
	CHECK_INT(ck_utf8_check("\xe0\xa0\x80\xef\xbf\xbf", 6, &bad), 0);
	CHECK_INT(ck_utf8_check("\xf0\x90\x80\x80", 4, &bad), 0);
	CHECK_INT(ck_utf8_check("\xed\x9f\xbf", 3, &bad), 0); /* U+D7FF */
	CHECK_INT(ck_utf8_check("a\0b", 3, &bad), 0);
	CHECK_INT(ck_utf8_check("ok", 2, NULL), 0);

	/* Overlongs of '/' and of U+0800's neighbours. */
	bad = 999;
	CHECK_INT(ck_utf8_check("ab\xc0\xaf", 4, &bad), -1);
	CHECK_INT(bad, 2);
	CHECK_INT(ck_utf8_check("\xc1\xbf", 2, &bad), -1);
	CHECK_INT(bad, 0);
	CHECK_INT(ck_utf8_check("x\xe0\x9f\xbf", 4, &bad), -1);
	CHECK_INT(bad, 1);
	CHECK_INT(ck_utf8_check("\xf0\x8f\xbf\xbf", 4, &bad), -1);
	CHECK_INT(bad, 0);
	/* Surrogates U+D800 and U+DFFF. */
	CHECK_INT(ck_utf8_check("Tr\xed\xa0\x80", 5, &bad), -1);
	CHECK_INT(bad, 2);
	CHECK_INT(ck_utf8_check("\xed\xbf\xbf", 3, &bad), -1);
	CHECK_INT(bad, 0);
	/* Beyond U+10FFFF. */
	CHECK_INT(ck_utf8_check("\xf4\x90\x80\x80", 4, &bad), -1);
	CHECK_INT(bad, 0);
	CHECK_INT(ck_utf8_check("\xf5\x80\x80\x80", 4, &bad), -1);
	CHECK_INT(ck_utf8_check("\xff", 1, &bad), -1);
	/* A stray continuation byte. */
	CHECK_INT(ck_utf8_check("Nguy\x80n", 6, &bad), -1);
	CHECK_INT(bad, 4);
	/* Truncated: at the end, and cut short by an ASCII byte. */
	CHECK_INT(ck_utf8_check("Tr\xe1\xba", 4, &bad), -1);
	CHECK_INT(bad, 2);
	CHECK_INT(ck_utf8_check("\xe1\xba"
	                        "a",
	                        3, &bad),
	          -1);
	CHECK_INT(bad, 0);
	CHECK_INT(ck_utf8_check("ab\xf0\x9f\x98", 5, &bad), -1);
	CHECK_INT(bad, 2);
	CHECK_INT(ck_utf8_check("\xc3", 1, &bad), -1);
	CHECK_INT(bad, 0);
	/* Latin-1 text saved by an old editor: "Chợ" is not, "Hà" fails. */
	CHECK_INT(ck_utf8_check("H\xe0 N\xf4i", 6, &bad), -1);
	CHECK_INT(bad, 1);
	/* The length is honoured: a bad byte past it is not looked at. */
	CHECK_INT(ck_utf8_check("ab\xff", 2, &bad), 0);
}

static void
test_advance(void)
{
	const char *s = "a: Xã\nb: Chợ Mới\r\nc: 1\rd";
	unsigned line = 1, col = 1;

	ck_text_advance(s, 0, &line, &col);
	CHECK_INT(line, 1);
	CHECK_INT(col, 1);
	/* "a: Xã" is 5 code points (6 bytes): the newline is column 6. */
	ck_text_advance(s, 6, &line, &col);
	CHECK_INT(line, 1);
	CHECK_INT(col, 6);
	line = col = 1;
	ck_text_advance(s, 7, &line, &col);
	CHECK_INT(line, 2);
	CHECK_INT(col, 1);
	/* 'M' of "Mới" on line 2: "b: Chợ " is 7 code points. */
	line = col = 1;
	ck_text_advance(s, (size_t)(strstr(s, "Mới") - s), &line, &col);
	CHECK_INT(line, 2);
	CHECK_INT(col, 8);
	/* CRLF is one line break. */
	line = col = 1;
	ck_text_advance(s, (size_t)(strstr(s, "c:") - s), &line, &col);
	CHECK_INT(line, 3);
	CHECK_INT(col, 1);
	/* A lone CR breaks a line too, as libyaml and cmark count it. */
	line = col = 1;
	ck_text_advance(s, strlen(s) - 1, &line, &col);
	CHECK_INT(line, 4);
	CHECK_INT(col, 1);
	/* Counting continues from the position given. */
	line = 10;
	col = 5;
	ck_text_advance("ợ\nx", 4, &line, &col);
	CHECK_INT(line, 11);
	CHECK_INT(col, 1);
	line = 10;
	col = 5;
	ck_text_advance("ợx", 3, &line, &col);
	CHECK_INT(line, 10);
	CHECK_INT(col, 6);
}

static void
check_nfc(const char *in, const char *want)
{
	ck_buf b = CK_BUF_INIT;

	ck_text_nfc(&b, in, strlen(in));
	CHECK_STR(b.ptr, want);
	CHECK_INT(b.size, strlen(want));
	ck_buf_free(&b);
}

static void
test_nfc(void)
{
	ck_buf b = CK_BUF_INIT;

	/* "Nguyễn" typed as e + circumflex + tilde (combining marks). */
	check_nfc("Nguye\xcc\x82\xcc\x83n", "Nguy\xe1\xbb\x85n");
	check_nfc("Nguyễn", "Nguyễn");
	/* "Trả lời" as a + hook above, o + horn + grave. */
	check_nfc("Tra\xcc\x89 lo\xcc\x9b\xcc\x80i", "Trả lời");
	/* Marks in the other order are another text: ẽ + circumflex. */
	check_nfc("Nguye\xcc\x83\xcc\x82n", "Nguy\xe1\xba\xbd\xcc\x82n");
	check_nfc("Đ", "Đ");
	check_nfc("plain ascii", "plain ascii");
	check_nfc("", "");
	/* Appends, and stops at len. */
	ck_buf_puts(&b, ">");
	ck_text_nfc(&b, "Chợ Mới!!", strlen("Chợ Mới"));
	CHECK_STR(b.ptr, ">Chợ Mới");
	ck_buf_free(&b);
}

/* utf8proc's own NFC of the whole text: what ck_text_nfc must equal. */
static bool
nfc_matches_utf8proc(const char *in, size_t len)
{
	ck_buf b = CK_BUF_INIT;
	utf8proc_uint8_t *want = NULL;
	utf8proc_ssize_t n;
	bool same;

	ck_text_nfc(&b, in, len);
	n = utf8proc_map((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)len,
	                 &want, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	same = n >= 0 && (size_t)n == b.size &&
	       memcmp(b.ptr ? b.ptr : "", want, (size_t)n) == 0;
	if (!same)
		fprintf(stderr, "NFC differs for %.*s\n", (int)len, in);
	free(want);
	ck_buf_free(&b);
	return same;
}

static size_t
put_cp(char *s, utf8proc_int32_t c)
{
	return (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)s);
}

/*
 * The quick check skips utf8proc for text already in NFC and normalises
 * only the spans around other code points: the result must still be
 * exactly utf8proc's NFC of the whole text.
 */
static void
test_nfc_quick_check(void)
{
	/* Every precomposed Vietnamese letter, both cases. */
	static const char viet[] =
	    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợ"
	    "pqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
	    "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÊỀẾỂỄỆÔỒỐỔỖỘƠỜỚỞỠỢƯỪỨỬỮỰÌÍỈĨỊỲÝỶỸỴ";
	/* Not inert: marks, a Hangul vowel, a Tamil vowel sign that
	 * composes with the letter before it (class 0), singletons, an
	 * exclusion. */
	static const utf8proc_int32_t changing[] = {
	    0x0300, 0x0301, 0x0303, 0x0309, 0x0323, 0x031B, 0x1161,
	    0x11A8, 0x0BBE, 0x212B, 0x2126, 0x0958, 0x0F73, 0x0344};
	const char *p;
	char s[64];
	size_t i, n, len;
	utf8proc_int32_t c;
	unsigned long seed = 12345;
	static const utf8proc_int32_t pool[] = {
	    'a',     'e',     'o',    'u',    'A',    ' ',    '.',
	    0x00E2,  0x00EA,  0x01A1, 0x01B0, 0x0103, 0x1EC7, 0x1EA1,
	    0x00C5,  0x0300,  0x0301, 0x0302, 0x0303, 0x0306, 0x0309,
	    0x031B,  0x0323,  0x0327, 0x0345, 0x1100, 0x1161, 0x11A8,
	    0xAC00,  0xAC01,  0x0BC6, 0x0BBE, 0x0BCA, 0x212B, 0x2126,
	    0x0958,  0x0915,  0x093C, 0x0F73, 0x0F71, 0x0F72, 0x1F600,
	    0x1D15E, 0x1D165, 0x05D0, 0x05B7, 0x0627, 0x0653, 0x201C};

	for (p = viet; *p; p += len) {
		len = (size_t)utf8proc_iterate((const utf8proc_uint8_t *)p, -1,
		                               &c);
		CHECK(ck_text_nfc_inert(c));
	}
	for (c = 0; c < 0x80; c++)
		CHECK(ck_text_nfc_inert(c));
	for (i = 0; i < sizeof(changing) / sizeof(changing[0]); i++)
		CHECK(!ck_text_nfc_inert(changing[i]));

	/* NFC text is copied as it is. */
	CHECK(nfc_matches_utf8proc(viet, strlen(viet)));
	check_nfc(viet, viet);
	/* Decomposed at the start, the end, in the middle, marks first. */
	check_nfc("e\xcc\x82\xcc\xa3 Vi\xe1\xbb\x87t", "ệ Việt");
	check_nfc("Vi\xe1\xbb\x87t e\xcc\xa3\xcc\x82", "Việt ệ");
	check_nfc("Việt Nam Đồng Tha\xcc\x81p ơi", "Việt Nam Đồng Tháp ơi");
	check_nfc("\xcc\x81"
	          "a",
	          "\xcc\x81"
	          "a");
	/* Marks in non-canonical order are reordered, then composed. */
	check_nfc("Vie\xcc\x82\xcc\xa3t", "Việt");
	/* A mark after a precomposed letter composes further: ơ + grave. */
	check_nfc("\xc6\xa1\xcc\x80", "ờ");
	/* Hangul jamo L V T compose algorithmically; Tamil o. */
	check_nfc("\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8", "각");
	check_nfc("\xea\xb0\x80\xe1\x86\xa8", "각");
	check_nfc("\xe0\xaf\x86\xe0\xae\xbe", "\xe0\xaf\x8a");
	/* Singletons and exclusions change even alone. */
	check_nfc("\xe2\x84\xab", "\xc3\x85");
	check_nfc("x\xe0\xa5\x98y", "x\xe0\xa4\x95\xe0\xa4\xbcy");

	/* Every code point alone, and after 'a', is what utf8proc gives. */
	for (c = 0x80; c < 0x30000; c++) {
		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		s[0] = 'a';
		n = 1 + put_cp(s + 1, c);
		if (!nfc_matches_utf8proc(s + 1, n - 1) ||
		    !nfc_matches_utf8proc(s, n)) {
			CHECK(!"NFC of one code point");
			break;
		}
		/* An inert code point is its own NFC. */
		if (ck_text_nfc_inert(c)) {
			ck_buf b = CK_BUF_INIT;

			ck_text_nfc(&b, s + 1, n - 1);
			if (b.size != n - 1 || memcmp(b.ptr, s + 1, n - 1)) {
				CHECK(!"inert code point changed");
				ck_buf_free(&b);
				break;
			}
			ck_buf_free(&b);
		}
	}
	/* Random mixes of NFC and decomposed text, inert or not. */
	for (i = 0; i < 20000; i++) {
		size_t k, count;

		seed = seed * 6364136223846793005ul + 1442695040888963407ul;
		count = 1 + (seed >> 33) % 12;
		for (n = 0, k = 0; k < count; k++) {
			seed = seed * 6364136223846793005ul +
			       1442695040888963407ul;
			n += put_cp(s + n,
			            pool[(seed >> 33) %
			                 (sizeof(pool) / sizeof(pool[0]))]);
		}
		if (!nfc_matches_utf8proc(s, n)) {
			CHECK(!"NFC of a random mix");
			break;
		}
	}
	CHECK(i == 20000);
}

static void
test_fold(void)
{
	ck_arena *a = ck_arena_new();

	CHECK_STR(ck_text_fold(a, "TRẢ LỜI", strlen("TRẢ LỜI")), "trả lời");
	CHECK_STR(ck_text_fold(a, "Trả Lời", strlen("Trả Lời")), "trả lời");
	/* Decomposed upper case folds to the composed lower case. */
	CHECK_STR(ck_text_fold(a, "TRA\xcc\x89 LO\xcc\x9b\xcc\x80I",
	                       strlen("TRA\xcc\x89 LO\xcc\x9b\xcc\x80I")),
	          "trả lời");
	CHECK_STR(ck_text_fold(a, "ĐỒNG Ý", strlen("ĐỒNG Ý")), "đồng ý");
	CHECK_STR(ck_text_fold(a, "Answer", 6), "answer");
	CHECK_STR(ck_text_fold(a, "ANSWERS", 6), "answer");
	CHECK_STR(ck_text_fold(a, "", 0), "");
	CHECK_STR(ck_text_fold(a, "Straße", strlen("Straße")), "strasse");
	/* Folding does not strip marks: "Trả lời" is not "tra loi". */
	CHECK(strcmp(ck_text_fold(a, "Trả lời", strlen("Trả lời")),
	             "tra loi") != 0);
	ck_arena_free(a);
}

static void
test_slug(void)
{
	CHECK(ck_slug_valid("cho-moi-2025", 12));
	CHECK(ck_slug_valid("014", 3));
	CHECK(ck_slug_valid("a", 1));
	CHECK(ck_slug_valid("na-mo", 5));
	CHECK(ck_slug_valid("a--b", 4));
	CHECK(ck_slug_valid("0123456789012345678901234567890123456789"
	                    "012345678901234567890123",
	                    64));
	CHECK(!ck_slug_valid("0123456789012345678901234567890123456789"
	                     "0123456789012345678901234",
	                     65));
	CHECK(!ck_slug_valid("", 0));
	CHECK(!ck_slug_valid("-a", 2));
	CHECK(!ck_slug_valid("a-", 2));
	CHECK(!ck_slug_valid("-", 1));
	CHECK(!ck_slug_valid("Cho-moi", 7));
	CHECK(!ck_slug_valid("chợ-mới", strlen("chợ-mới")));
	CHECK(!ck_slug_valid("cho moi", 7));
	CHECK(!ck_slug_valid("cho_moi", 7));
	CHECK(!ck_slug_valid("014.md", 6));
	CHECK(!ck_slug_valid("a/b", 3));
	CHECK(!ck_slug_valid("ab\0c", 4));
	/* The length is what counts, not a NUL. */
	CHECK(ck_slug_valid("ab-c", 2));
}

static void
test_suggest(void)
{
	static const char *const keys[] = {
	    "hamlet",   "topic",       "channel", "received",
	    "asked_by", "assigned_to", "due",     "answer",
	    "progress", "private",     "extra"};
	static const char *const hamlets[] = {"na-mo", "ban-cu", "khuoi-lang",
	                                      "na-ma"};
	static const char *const ties[] = {"abcx", "abcy"};
	static const char *const vn[] = {"Thôn Nà Mò", "Thôn Bản Cư"};
	size_t nk = sizeof(keys) / sizeof(*keys);

	CHECK_STR(ck_suggest("recieved", keys, nk), "received");
	CHECK_STR(ck_suggest("recived", keys, nk), "received");
	CHECK_STR(ck_suggest("hamlets", keys, nk), "hamlet");
	CHECK_STR(ck_suggest("topc", keys, nk), "topic");
	CHECK_STR(ck_suggest("asked-by", keys, nk), "asked_by");
	CHECK_STR(ck_suggest("privat", keys, nk), "private");
	CHECK_STR(ck_suggest("answers", keys, nk), "answer");
	/* Too far: nothing rather than a silly guess. */
	CHECK_STR(ck_suggest("status", keys, nk), NULL);
	CHECK_STR(ck_suggest("title", keys, nk), NULL);
	CHECK_STR(ck_suggest("zzzzzzzz", keys, nk), NULL);
	/* The distance must be under half the word: "dxx" is not "due". */
	CHECK_STR(ck_suggest("dxx", keys, nk), NULL);
	CHECK_STR(ck_suggest("dxe", keys, nk), "due");
	CHECK_STR(ck_suggest("du", keys, nk), NULL);
	CHECK_STR(ck_suggest("d", keys, nk), NULL);
	CHECK_STR(ck_suggest("", keys, nk), NULL);
	CHECK_STR(ck_suggest("x", keys, 0), NULL);
	CHECK_STR(ck_suggest("na-mo2", hamlets, 4), "na-mo");
	/* "na-mx" is one from "na-mo" and from "na-ma": the first wins. */
	CHECK_STR(ck_suggest("na-mx", hamlets, 4), "na-mo");
	CHECK_STR(ck_suggest("abcz", ties, 2), "abcx");
	CHECK_STR(ck_suggest("ban-cuu", hamlets, 4), "ban-cu");
	CHECK_STR(ck_suggest("khuoi-lag", hamlets, 4), "khuoi-lang");
	/* Returns one of the candidates themselves. */
	CHECK(ck_suggest("na-mo2", hamlets, 4) == hamlets[0]);
	/* Exact match is its own suggestion. */
	CHECK_STR(ck_suggest("topic", keys, nk), "topic");
	/* Code points, not bytes: "ò" vs "o" is one edit. */
	CHECK_STR(ck_suggest("Thôn Nà Mo", vn, 2), "Thôn Nà Mò");
	CHECK_STR(ck_suggest("Thon Na Mo", vn, 2), NULL);
}

/* Expects the first personal datum of s to be `kind`, spelled `want`. */
static void
pd_is(const char *s, ck_pd_kind kind, const char *want)
{
	size_t start = 0, end = 0, len = strlen(s);
	ck_pd_kind k = ck_pd_find(s, len, 0, &start, &end);

	if (k != kind ||
	    (want != NULL && (end - start != strlen(want) ||
	                      memcmp(s + start, want, end - start) != 0))) {
		fprintf(stderr, "  in \"%s\": got kind %d \"%.*s\"\n", s,
		        (int)k, (int)(end - start), s + start);
	}
	CHECK_INT(k, kind);
	if (want != NULL && k == kind) {
		CHECK_INT(end - start, strlen(want));
		CHECK(end >= start && end <= len &&
		      memcmp(s + start, want, end - start) == 0);
	}
}

static void
no_pd(const char *s)
{
	pd_is(s, CK_PD_NONE, NULL);
}

static void
test_pd_phone(void)
{
	pd_is("0912345678", CK_PD_PHONE, "0912345678");
	pd_is("SĐT: 0912345678.", CK_PD_PHONE, "0912345678");
	pd_is("Số điện thoại 0912 345 678 của ông Nam", CK_PD_PHONE,
	      "0912 345 678");
	pd_is("liên hệ 0912.345.678 (anh Hùng)", CK_PD_PHONE, "0912.345.678");
	pd_is("gọi +84 912 345 678", CK_PD_PHONE, "+84 912 345 678");
	pd_is("gọi +84912345678", CK_PD_PHONE, "+84912345678");
	pd_is("(+84) 912 345 678", CK_PD_PHONE, "+84) 912 345 678");
	pd_is("Zalo: 0386 123 456", CK_PD_PHONE, "0386 123 456");
	pd_is("dđ 097.123.4567", CK_PD_PHONE, "097.123.4567");
	pd_is("máy 0912 34 56 78", CK_PD_PHONE, "0912 34 56 78");
	pd_is("số 0523456789", CK_PD_PHONE, "0523456789");
	pd_is("số 0701234567", CK_PD_PHONE, "0701234567");
	pd_is("số 0812345678,", CK_PD_PHONE, "0812345678");
	pd_is("SĐT:0987654321", CK_PD_PHONE, "0987654321");
	/* Typed without a space after a word. */
	pd_is("ĐT0987654321", CK_PD_PHONE, "0987654321");
	/* A no-break space pasted from a word processor. */
	pd_is("0912\xc2\xa0"
	      "345\xc2\xa0"
	      "678",
	      CK_PD_PHONE,
	      "0912\xc2\xa0"
	      "345\xc2\xa0"
	      "678");
	/* After a number and a space: "thôn 3 0912...". */
	pd_is("Ông A thôn 3 0912345678", CK_PD_PHONE, "0912345678");
	pd_is("+84 0912 345 678", CK_PD_PHONE, "+84 0912 345 678");
	pd_is("0912345678 3 lần", CK_PD_PHONE, "0912345678");
	pd_is("https://zalo.me/0912345678", CK_PD_PHONE, "0912345678");
	pd_is("| Nguyễn Văn A | 0912345678 |", CK_PD_PHONE, "0912345678");
	pd_is("line\n0912345678\n", CK_PD_PHONE, "0912345678");

	/* Groups of any size, as the format says. */
	pd_is("0 912 345 678", CK_PD_PHONE, "0 912 345 678");
	pd_is("gọi 09 1234 5678 nhé", CK_PD_PHONE, "09 1234 5678");
	pd_is("03.9876.5432", CK_PD_PHONE, "03.9876.5432");
	pd_is("09 12 34 56 78", CK_PD_PHONE, "09 12 34 56 78");
	pd_is("09.12.34.56.78", CK_PD_PHONE, "09.12.34.56.78");
	pd_is("0.912.345.678", CK_PD_PHONE, "0.912.345.678");
	pd_is("0912 345 67 8", CK_PD_PHONE, "0912 345 67 8");
	/* A following " 9" does not hide it (privacy first). */
	pd_is("09 1234 5678 9", CK_PD_PHONE, "09 1234 5678");

	/* Not phones. */
	no_pd("0212345678"); /* 02x is a landline prefix, not listed */
	no_pd("0112345678");
	no_pd("0412345678");
	no_pd("09123456789 ");
	no_pd("+8491234567");
	no_pd("+85 912 345 678");
	no_pd("10912345678");
	no_pd("ngày 5/1/2024 15 hộ");
	no_pd("05.1.2024 15 18 20 hộ");
	no_pd("ngày 05.01.2024 15 hộ");
	no_pd("ngày 05.01.2024 có 15 hộ");
	no_pd("1.0912345678");
	no_pd("0912345678.5");
	no_pd("1 050 000 000 đồng");
	no_pd("2 050 000 000 000 đồng");
	no_pd("050.000.000 đồng");
	no_pd("lúc 08:00 ngày 05/01/2024");
	no_pd("08:30, 09:15 và 07:45");
	no_pd("có 03 hộ, 05 hộ và 07 hộ");
	no_pd("Tổ 3, 05 hộ");
	no_pd("0912 ");
	no_pd("+84");
	no_pd("+");
	no_pd("0");
}

static void
test_pd_id(void)
{
	pd_is("CCCD số 001203001234 cấp ngày 05/01/2022", CK_PD_CCCD,
	      "001203001234");
	pd_is("CCCD: 036203001234.", CK_PD_CCCD, "036203001234");
	pd_is("số định danh 001203001234,", CK_PD_CCCD, "001203001234");
	pd_is("(001203001234)", CK_PD_CCCD, "001203001234");
	pd_is("\"001203001234\"", CK_PD_CCCD, "001203001234");
	pd_is("“001203001234”", CK_PD_CCCD, "001203001234");
	pd_is("001203001234", CK_PD_CCCD, "001203001234");
	pd_is("CMND 123456789 do Công an tỉnh cấp", CK_PD_CMND, "123456789");
	pd_is("CMND số: 091234567", CK_PD_CMND, "091234567");
	pd_is("| Hoàng Văn Nam | 123456789 |", CK_PD_CMND, "123456789");
	pd_is("CMND 123456789. Hết.", CK_PD_CMND, "123456789");
	pd_is("giấy tờ 123456789/ QĐ", CK_PD_CMND, "123456789");
	pd_is("123456789-", CK_PD_CMND, "123456789");

	/* Not IDs. */
	no_pd("1.500.000.000 đồng");
	no_pd("500.000.000 đồng");
	no_pd("1.200.000đ");
	no_pd("123456789012345");
	no_pd("12345678901");
	no_pd("1234567890");
	no_pd("12345678");
	no_pd("150000000 đồng");
	no_pd("150000000đ");
	no_pd("150000000 VNĐ");
	no_pd("150000000 vnd");
	no_pd("123456789,5 m2");
	no_pd("2,123456789");
	no_pd("123.123456789");
	no_pd("123456789.123");
	no_pd("mã HS123456789");
	no_pd("mã 123456789ab");
	no_pd("tệp scan_123456789012.pdf");
	no_pd("Quyết định số 1158-QĐ/TU ngày 05/01/2024");
	no_pd("Kế hoạch số 13-KH/ĐU, Công văn 245/UBND-VP");
	no_pd("năm 2024, 2025 và 2026");
	no_pd("từ 08:00 đến 11:30");
	no_pd("Thửa đất số 123, tờ bản đồ số 45, diện tích 1.250,5 m2");
	no_pd("https://thuvienphapluat.vn/van-ban/123456789012");
	no_pd("xem https://example.gov.vn/?id=123456789 nhé");
	no_pd("[văn bản](https://vbpl.vn/ItemID=123456789)");
	no_pd("www.vbpl.vn/123456789");
	no_pd("mã hồ sơ 000.00.21.H56-240105-0003");
}

static void
test_pd_email(void)
{
	pd_is("Email: nguyenvana@gmail.com", CK_PD_EMAIL,
	      "nguyenvana@gmail.com");
	pd_is("gửi về tran.thi-b_1+x@yahoo.com.vn.", CK_PD_EMAIL,
	      "tran.thi-b_1+x@yahoo.com.vn");
	pd_is("<a.b@example.org>", CK_PD_EMAIL, "a.b@example.org");
	pd_is("[thư](mailto:hung@xa.gov.vn)", CK_PD_EMAIL, "hung@xa.gov.vn");
	pd_is("**nam@mail.vn**", CK_PD_EMAIL, "nam@mail.vn");
	pd_is("NAM@MAIL.VN", CK_PD_EMAIL, "NAM@MAIL.VN");
	/* Earliest first: an address before a phone. */
	pd_is("a@b.vn hoặc 0912345678", CK_PD_EMAIL, "a@b.vn");
	pd_is("0912345678 hoặc a@b.vn", CK_PD_PHONE, "0912345678");
	/* A phone used as the local part: the whole address. */
	pd_is("0912345678@gmail.com", CK_PD_EMAIL, "0912345678@gmail.com");
	pd_is("nguyễn@gmail.com", CK_PD_EMAIL, "nguyễn@gmail.com");

	no_pd("@nguyenvana");
	no_pd("a@b");
	no_pd("a@b.c");
	no_pd("a@.com");
	no_pd("@gmail.com");
	no_pd("a@b..com");
	no_pd("a@b.c0m");
	no_pd("logo@2x.png");
	no_pd("giá 10@ 5.000đ");
	no_pd("x @ y.com");
}

static void
test_pd_scan(void)
{
	const char *s = "Ông A (0912345678, a@b.vn) CCCD 001203001234 và "
	                "bà B 0387.654.321.";
	size_t start, end, from = 0;
	int n = 0;
	ck_pd_kind kinds[8];

	while (n < 8 && (kinds[n] = ck_pd_find(s, strlen(s), from, &start,
	                                       &end)) != CK_PD_NONE) {
		CHECK(start >= from && end > start);
		from = end;
		n++;
	}
	CHECK_INT(n, 4);
	CHECK_INT(kinds[0], CK_PD_PHONE);
	CHECK_INT(kinds[1], CK_PD_EMAIL);
	CHECK_INT(kinds[2], CK_PD_CCCD);
	CHECK_INT(kinds[3], CK_PD_PHONE);
	CHECK_INT(start, strstr(s, "0387") - s);
	CHECK_INT(end, strlen(s) - 1);

	/* `from` in the middle of a number does not make a new one. */
	CHECK_INT(ck_pd_find("1234567890123", 13, 1, &start, &end), CK_PD_NONE);
	CHECK_INT(ck_pd_find("x 0912345678", 12, 12, &start, &end), CK_PD_NONE);
	/* The length bounds the search. */
	CHECK_INT(ck_pd_find("0912345678", 8, 0, &start, &end), CK_PD_NONE);
	CHECK_INT(ck_pd_find("0912345678", 9, 0, &start, &end), CK_PD_CMND);
	CHECK_INT(ck_pd_find("a@b.vn", 5, 0, &start, &end), CK_PD_NONE);

	CHECK_STR(ck_pd_name(CK_PD_PHONE), "phone number");
	CHECK_STR(ck_pd_name(CK_PD_CCCD), "citizen ID number");
	CHECK_STR(ck_pd_name(CK_PD_CMND), "ID card number");
	CHECK_STR(ck_pd_name(CK_PD_EMAIL), "e-mail address");
}

/* A realistic record body: nothing in it is personal data. */
static void
test_pd_clean_text(void)
{
	no_pd(
	    "Căn cứ Quyết định số 1158-QĐ/TU ngày 05/01/2024 của Tỉnh ủy; "
	    "Kế hoạch số 13-KH/ĐU ngày 12/3/2025 của Đảng ủy xã Chợ Mới.\n\n"
	    "Hội nghị đối thoại tổ chức lúc 08:00 ngày 20/3/2025 tại Hội "
	    "trường UBND xã. Kinh phí hỗ trợ 500.000.000 đồng, mỗi hộ "
	    "1.200.000đ; tổng 1.500.000.000 đồng cho 1.250 hộ của 12 thôn "
	    "(Thôn 1 đến Thôn 12), giai đoạn 2021-2025, tỷ lệ 98,5%.\n\n"
	    "| Thôn | Số hộ | Kinh phí |\n|---|---:|---:|\n"
	    "| Nà Mò | 105 | 126.000.000 |\n\n"
	    "Đường liên thôn dài 2,5 km, rộng 3,5 m, khởi công quý III/2024."
	    " Văn bản: https://vanban.chinhphu.vn/?pageid=27160&docid=123456789"
	    " Liên hệ Bộ phận Một cửa, giờ hành chính.");
}

/* The spellings people really write (issue #6). */
static void
test_pd_spellings(void)
{
	/* Dashes, several spaces, tabs, a line break between groups. */
	pd_is("gọi 0912-345-678 nhé", CK_PD_PHONE, "0912-345-678");
	pd_is("gọi 0912  345   678", CK_PD_PHONE, "0912  345   678");
	pd_is("0912\t345\t678", CK_PD_PHONE, "0912\t345\t678");
	pd_is("số 0912\n345 678 nhé", CK_PD_PHONE, "0912\n345 678");
	pd_is("0912 - 345 - 678", CK_PD_PHONE, "0912 - 345 - 678");
	/* International forms. */
	pd_is("+84-912-345-678", CK_PD_PHONE, "+84-912-345-678");
	pd_is("gọi 84912345678", CK_PD_PHONE, "84912345678");
	pd_is("0084 912 345 678", CK_PD_PHONE, "0084 912 345 678");
	pd_is("+84 (0) 912 345 678", CK_PD_PHONE, "+84 (0) 912 345 678");
	/* Unicode spaces and format characters. */
	pd_is("0912\xe2\x80\xaf"
	      "345\xe2\x80\x89"
	      "678",
	      CK_PD_PHONE,
	      "0912\xe2\x80\xaf"
	      "345\xe2\x80\x89"
	      "678"); /* narrow no-break, thin */
	pd_is("09\xe2\x80\x8b"
	      "12345678",
	      CK_PD_PHONE,
	      "09\xe2\x80\x8b"
	      "12345678"); /* zero-width space */
	pd_is("0912\xc2\xad"
	      "345678",
	      CK_PD_PHONE,
	      "0912\xc2\xad"
	      "345678"); /* soft hyphen */
	/* Full-width digits and at sign. */
	pd_is("ĐT ０９１２３４５６７８", CK_PD_PHONE, "０９１２３４５６７８");
	pd_is("nam＠mail.vn", CK_PD_EMAIL, "nam＠mail.vn");
	/* Internationalised domains. */
	pd_is("thư: nam@bưuđiện.việtnam.", CK_PD_EMAIL, "nam@bưuđiện.việtnam");
	/* A grouped or glued CCCD. */
	pd_is("CCCD 025 085 001 234 cấp", CK_PD_CCCD, "025 085 001 234");
	pd_is("CCCD 025.085.001.234", CK_PD_CCCD, "025.085.001.234");
	pd_is("CCCD025085001234", CK_PD_CCCD, "025085001234");
	pd_is("số025085001234cấp", CK_PD_CCCD, "025085001234");

	/* Still not personal data. */
	no_pd("ngày 05-01-2024 15 hộ");
	no_pd("ngày 2025-06-02, lúc 07:30");
	no_pd("150.000.000 đồng và 1.500.000.000 đồng");
	no_pd("84 350 000 000 đồng");
	no_pd("Công văn 123/UBND-VP, Kế hoạch 13-KH/ĐU");
	no_pd("Luật số 45/2013/QH13, thôn 3, năm 2025");
	no_pd("Công văn số 123456789/UBND-VP");
	no_pd("mã HS123456789"); /* a CMND glued to letters is a code */
	no_pd("tệp IMG_123456789012.jpg"); /* 12 digits not from "0xx" */
	no_pd("2 050 000 000 000 đồng");
	no_pd("025 085 001 234 đồng");
	/* A business's tax code, named as such. */
	no_pd("MST 0301234567");
	no_pd("Mã số thuế: 0301234567");
	no_pd("mã số doanh nghiệp 0901234567, MSDN: 0801234567");
	no_pd("(MST: 0501234567-001)");
	pd_is("AMST 0301234567", CK_PD_PHONE, "0301234567");
	pd_is("MST 0301234567, gọi 0912345678", CK_PD_PHONE, "0912345678");
}

/* The canonical value, for the allowed list and the office contact. */
static void
test_pd_value(void)
{
	static const struct {
		const char *s, *want;
	} cases[] = {
	    {"+84 (0) 912-345-678", "0912345678"},
	    {"0084 912 345 678", "0912345678"},
	    {"０９１２ ３４５ ６７８", "0912345678"},
	    {"025 085 001 234", "025085001234"},
	    {"Nam＠Mail.VN", "nam@mail.vn"},
	};
	size_t i, start, end;
	ck_buf v = CK_BUF_INIT;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		ck_buf_clear(&v);
		CHECK(ck_pd_match(&v, cases[i].s, strlen(cases[i].s), 0, &start,
		                  &end) != CK_PD_NONE);
		CHECK_STR(v.ptr, cases[i].want);
	}
	ck_buf_free(&v);
}

int
main(void)
{
	test_utf8_check();
	test_advance();
	test_nfc();
	test_nfc_quick_check();
	test_fold();
	test_slug();
	test_suggest();
	test_pd_phone();
	test_pd_id();
	test_pd_email();
	test_pd_scan();
	test_pd_clean_text();
	test_pd_spellings();
	test_pd_value();
	return ck_t_done("t_text");
}
