/*
 * The folding of the search index (views_search.c): what a citizen types
 * with or without diacritics, in any case, and the index's words must fold
 * to the same text; search.js folds the same way (NFD, marks dropped,
 * lower case, đ -> d).
 */
#include <stdlib.h>
#include <string.h>

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

int
main(void)
{
	test_vietnamese();
	test_other_text();
	return ck_t_done("t_search");
}
