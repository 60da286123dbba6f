/*
 * Tests of markdown.c: GFM output, that no active content ever passes,
 * plain text for CSV cells, and where the answer section starts.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "markdown.h"

static char html_out[8192], text_out[8192];

static const char *
html(const char *md)
{
	ck_buf b = CK_BUF_INIT;

	ck_md_html(&b, md, strlen(md));
	snprintf(html_out, sizeof(html_out), "%s", b.ptr);
	ck_buf_free(&b);
	return html_out;
}

static const char *
text(const char *md)
{
	ck_buf b = CK_BUF_INIT;

	ck_md_text(&b, md, strlen(md));
	snprintf(text_out, sizeof(text_out), "%s", b.ptr);
	ck_buf_free(&b);
	return text_out;
}

static void
test_html_basic(void)
{
	ck_buf b = CK_BUF_INIT;

	CHECK_STR(html(""), "");
	CHECK_STR(html("Ông **Hoàng Văn Nam**, thôn _Nà Mò_, hỏi."),
	          "<p>Ông <strong>Hoàng Văn Nam</strong>, thôn <em>Nà Mò</em>, "
	          "hỏi.</p>\n");
	CHECK_STR(html("# Kế hoạch\n\n## Mục đích\n"),
	          "<h1>Kế hoạch</h1>\n<h2>Mục đích</h2>\n");
	CHECK_STR(html("- Thôn 1\n- Thôn 2\n"),
	          "<ul>\n<li>Thôn 1</li>\n<li>Thôn 2</li>\n</ul>\n");
	CHECK_STR(html("1. Một\n2. Hai\n"),
	          "<ol>\n<li>Một</li>\n<li>Hai</li>\n</ol>\n");
	/* Text stays as typed: no smart quotes or dashes. */
	CHECK_STR(html("\"Trả lời\" -- 'x' ..."),
	          "<p>&quot;Trả lời&quot; -- 'x' ...</p>\n");
	/* Decomposed input arrives as it is: NFC is the loader's job. */
	CHECK_STR(html("Nguye\xcc\x82\xcc\x83n"),
	          "<p>Nguye\xcc\x82\xcc\x83n</p>\n");
	CHECK_STR(html("a < b & c > d"), "<p>a &lt; b &amp; c &gt; d</p>\n");
	CHECK_STR(html("```\n<b>mã</b>\n```\n"),
	          "<pre><code>&lt;b&gt;mã&lt;/b&gt;\n</code></pre>\n");
	CHECK_STR(html("[Quy chế](../quy-che/) và ![ảnh](/static/a.jpg)"),
	          "<p><a href=\"../quy-che/\">Quy chế</a> và "
	          "<img src=\"/static/a.jpg\" alt=\"ảnh\" /></p>\n");
	/* Appends to what the buffer holds; honours len. */
	ck_buf_puts(&b, "<div>");
	ck_md_html(&b, "*a* tail", 3);
	CHECK_STR(b.ptr, "<div><p><em>a</em></p>\n");
	ck_buf_free(&b);
}

static void
test_html_gfm(void)
{
	CHECK_STR(html("| Thôn | Số hộ |\n|:---|---:|\n| Nà Mò | 105 |\n"),
	          "<table>\n<thead>\n<tr>\n<th align=\"left\">Thôn</th>\n"
	          "<th align=\"right\">Số hộ</th>\n</tr>\n</thead>\n<tbody>\n"
	          "<tr>\n<td align=\"left\">Nà Mò</td>\n"
	          "<td align=\"right\">105</td>\n</tr>\n</tbody>\n</table>\n");
	CHECK_STR(html("Hạn ~~15/3~~ 20/3"),
	          "<p>Hạn <del>15/3</del> 20/3</p>\n");
	/* A single tilde is text: "5~10 triệu, 20~30 ngày" is a range. */
	CHECK_STR(html("5~10 triệu, 20~30 ngày"),
	          "<p>5~10 triệu, 20~30 ngày</p>\n");
	CHECK_STR(html("~một~"), "<p>~một~</p>\n");
	CHECK_STR(
	    html("Xem www.chinhphu.vn nhé"),
	    "<p>Xem <a href=\"http://www.chinhphu.vn\">www.chinhphu.vn</a>"
	    " nhé</p>\n");
	CHECK_STR(html("https://dichvucong.gov.vn/p?a=1&b=2."),
	          "<p><a href=\"https://dichvucong.gov.vn/p?a=1&amp;b=2\">"
	          "https://dichvucong.gov.vn/p?a=1&amp;b=2</a>.</p>\n");
	CHECK_STR(html("<https://a.vn>"),
	          "<p><a href=\"https://a.vn\">https://a.vn</a></p>\n");
	/* Footnotes are not part of the format. */
	CHECK_STR(html("a[^1]\n\n[^1]: b\n"), "<p>a<a href=\"b\">^1</a></p>\n");
}

/* The first tag or attribute in `h` that could run script, or NULL. */
static const char *
active(const char *h)
{
	static const char *const bad[] = {
	    "<script",     "<img src=x",  "<iframe",     "<style",
	    "<svg",        "<a href=\"j", "<a href=\"J", "<a href=\"v",
	    "<a href=\"V", "<a href=\"d", "<a href=\"f", "src=\"j",
	    "src=\"J",     "src=\"d",     "onerror",     "onclick",
	    "onload",      "<span",       "<object",     "<embed",
	    "<form"};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (strstr(h, bad[i]) != NULL)
			return bad[i];
	return NULL;
}

static void
test_html_xss(void)
{
	CHECK_STR(html("<script>alert(1)</script>\n"),
	          "<!-- raw HTML omitted -->\n");
	CHECK_STR(html("<img src=x onerror=alert(1)>\n"),
	          "<!-- raw HTML omitted -->\n");
	CHECK_STR(
	    html("Xin <b onclick=\"alert(1)\">chào</b> bà con"),
	    "<p>Xin <!-- raw HTML omitted -->chào<!-- raw HTML omitted -->"
	    " bà con</p>\n");
	CHECK_STR(html("a <img src=x onerror=alert(1)> b"),
	          "<p>a <!-- raw HTML omitted --> b</p>\n");
	CHECK_STR(html("<iframe src=\"http://evil\"></iframe>"),
	          "<!-- raw HTML omitted -->\n");
	CHECK_STR(html("<style>body{display:none}</style>"),
	          "<!-- raw HTML omitted -->\n");
	CHECK_STR(
	    html("<a href=\"javascript:alert(1)\">x</a>"),
	    "<p><!-- raw HTML omitted -->x<!-- raw HTML omitted --></p>\n");
	CHECK_STR(html("[x](javascript:alert(1))"),
	          "<p><a href=\"\">x</a></p>\n");
	CHECK_STR(html("[x](JAVASCRIPT:alert(1))"),
	          "<p><a href=\"\">x</a></p>\n");
	CHECK_STR(html("[x](JavaScript:alert(1))"),
	          "<p><a href=\"\">x</a></p>\n");
	CHECK_STR(html("[x](vbscript:msgbox(1))"),
	          "<p><a href=\"\">x</a></p>\n");
	CHECK_STR(html("[x](VBScript:msgbox(1))"),
	          "<p><a href=\"\">x</a></p>\n");
	CHECK_STR(html("[x](file:///etc/passwd)"),
	          "<p><a href=\"\">x</a></p>\n");
	CHECK_STR(html("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2Ny"
	               "aXB0Pg==)"),
	          "<p><a href=\"\">x</a></p>\n");
	CHECK_STR(html("[x](data:image/svg+xml;base64,PHN2Zz4=)"),
	          "<p><a href=\"\">x</a></p>\n");
	CHECK_STR(html("![x](javascript:alert(1))"),
	          "<p><img src=\"\" alt=\"x\" /></p>\n");
	CHECK_STR(html("![x](data:image/svg+xml;base64,PHN2Zz4=)"),
	          "<p><img src=\"\" alt=\"x\" /></p>\n");
	/* A raster data: image is allowed (it cannot run script). */
	CHECK_STR(
	    html("![x](data:image/png;base64,iVBO)"),
	    "<p><img src=\"data:image/png;base64,iVBO\" alt=\"x\" /></p>\n");
	/* Entities, references, angle brackets and autolinks do not help. */
	CHECK_STR(html("[x](&#106;avascript:alert(1))"),
	          "<p><a href=\"\">x</a></p>\n");
	CHECK_STR(html("[x](java&#x73;cript:alert(1))"),
	          "<p><a href=\"\">x</a></p>\n");
	CHECK_STR(html("[x][1]\n\n[1]: javascript:alert(1)\n"),
	          "<p><a href=\"\">x</a></p>\n");
	CHECK_STR(html("[x](<javascript:alert(1)>)"),
	          "<p><a href=\"\">x</a></p>\n");
	CHECK_STR(html("<javascript:alert(1)>"),
	          "<p><a href=\"\">javascript:alert(1)</a></p>\n");
	CHECK_STR(html("<vbscript:msgbox(1)>"),
	          "<p><a href=\"\">vbscript:msgbox(1)</a></p>\n");
	/* Control characters are escaped, so the scheme is not one. */
	CHECK_STR(html("[x](<java\tscript:alert(1)>)"),
	          "<p><a href=\"java%09script:alert(1)\">x</a></p>\n");
	CHECK_STR(html("[x](<\x01javascript:alert(1)>)"),
	          "<p><a href=\"%01javascript:alert(1)\">x</a></p>\n");
	/* A title cannot close its attribute. */
	CHECK_STR(html("[x](http://a.vn \"a\\\" onmouseover=alert(1)\")"),
	          "<p><a href=\"http://a.vn\" title=\"a&quot; "
	          "onmouseover=alert(1)\">x</a></p>\n");
	CHECK_STR(
	    html("[x](http://a.vn/\"onmouseover=alert(1))"),
	    "<p><a href=\"http://a.vn/%22onmouseover=alert(1)\">x</a></p>\n");

	CHECK_STR(active(html("<svg onload=alert(1)>")), NULL);
	CHECK_STR(active(html("<object data=x></object><embed src=x>")), NULL);
	CHECK_STR(active(html("<form action=x><input></form>")), NULL);
	CHECK_STR(active(html("<<script>script>alert(1)<</script>/script>")),
	          NULL);
	CHECK_STR(active(html("| a |\n|---|\n| <script>alert(1)</script> |\n")),
	          NULL);
	CHECK_STR(active(html("~~<img src=x onerror=alert(1)>~~")), NULL);
	CHECK_STR(active(html("> <span onclick=x>q</span>")), NULL);
	CHECK_STR(active(html("- <iframe src=x>")), NULL);
	CHECK_STR(active(html("www.a.vn/<script>")), NULL);
	/* The checker itself does catch active content. */
	CHECK_STR(active("<p><a href=\"javascript:x\">x</a></p>"),
	          "<a href=\"j");
}

static void
test_text(void)
{
	ck_buf b = CK_BUF_INIT;

	CHECK_STR(text(""), "");
	/* Struck text keeps its words, without the "~" markers. */
	CHECK_STR(text("Giá ~~1.200.000~~ 1.000.000 đồng, *đã* ~~sai **x**~~."),
	          "Giá 1.200.000 1.000.000 đồng, đã sai x.");
	CHECK_STR(text("~~a~~ ~~b~~\n\n- ~~c~~"), "a b\n\n  - c");
	CHECK_STR(text("Ông **Nam** hỏi về [đường](https://a.vn) _liên thôn_."),
	          "Ông Nam hỏi về đường liên thôn.");
	CHECK_STR(text("## Trả lời\n\nUBND xã   trả lời.\n\n\n"),
	          "Trả lời\n\nUBND xã   trả lời.");
	CHECK_STR(text("Dòng 1\nDòng 2"), "Dòng 1 Dòng 2");
	CHECK_STR(text("Dòng 1  \nDòng 2"), "Dòng 1\nDòng 2");
	CHECK_STR(text("a <b>in đậm</b> &amp; &lt;"), "a in đậm & <");
	CHECK_STR(text("<script>alert(1)</script>"), "");
	CHECK_STR(text("- một\n- hai\n"), "  - một\n  - hai");
	/* The blank line cmark indents inside a loose list item is emptied. */
	CHECK_STR(text("- a\n\n  b\n"), "  - a\n\n    b");
	CHECK_STR(text("| Thôn | Số hộ |\n|---|---|\n| Nà Mò | 105 |"),
	          "| Thôn | Số hộ |\n| --- | --- |\n| Nà Mò | 105 |");
	CHECK_STR(text("   \n\n  Xin chào  \n\n"), "Xin chào");
	/* Appends, and keeps what was there. */
	ck_buf_puts(&b, "x ");
	ck_md_text(&b, "*y*\n\n", 5);
	CHECK_STR(b.ptr, "x y");
	ck_buf_free(&b);
}

/* Expects md to split at heading line `line`, the answer being `answer`. */
static void
split_is(const char *md, unsigned line, const char *question,
         const char *answer)
{
	size_t q = 12345, a = 12345, len = strlen(md);
	unsigned l = 0;

	CHECK_INT(ck_md_split_answer(md, len, &q, &a, &l), 1);
	CHECK_INT(l, line);
	CHECK(q <= a && a <= len);
	if (q <= a && a <= len) {
		CHECK_INT(q, strlen(question));
		CHECK(strncmp(md, question, q) == 0);
		CHECK_STR(md + a, answer);
	}
}

static void
no_split(const char *md)
{
	size_t q, a;
	unsigned l;

	CHECK_INT(ck_md_split_answer(md, strlen(md), &q, &a, &l), 0);
}

static void
test_split(void)
{
	split_is("Đề nghị sửa đường.\n\n## Trả lời\n\nĐã sửa.\n", 3,
	         "Đề nghị sửa đường.\n\n", "\nĐã sửa.\n");
	split_is("Q\n\n## trả lời\nA\n", 3, "Q\n\n", "A\n");
	split_is("Q\n\n## TRẢ LỜI\nA\n", 3, "Q\n\n", "A\n");
	split_is("Q\n\n## Answer\nA\n", 3, "Q\n\n", "A\n");
	split_is("Q\n\n## ANSWER ##\nA\n", 3, "Q\n\n", "A\n");
	split_is("Q\n\n##   Trả   lời  :  \nA\n", 3, "Q\n\n", "A\n");
	split_is("Q\n\n## Trả lời:\nA\n", 3, "Q\n\n", "A\n");
	split_is("Q\n\n## **Trả lời**\nA\n", 3, "Q\n\n", "A\n");
	split_is("Q\n\n   ## Trả lời\nA\n", 3, "Q\n\n", "A\n");
	/* Typed with combining marks. */
	split_is("Q\n\n## Tra\xcc\x89 lo\xcc\x9b\xcc\x80i\nA\n", 3, "Q\n\n",
	         "A\n");
	split_is("Q\n\n## TRA\xcc\x89 LO\xcc\x9b\xcc\x80I\nA\n", 3, "Q\n\n",
	         "A\n");
	/* Setext, with text after it and at the end of the file. */
	split_is("Q\n\nTrả lời\n---\nA\nB\n", 3, "Q\n\n", "A\nB\n");
	split_is("Q\n\nTrả lời\n---\n\nA\n", 3, "Q\n\n", "\nA\n");
	split_is("Q\n\nTrả lời\n-------   \n> A\n", 3, "Q\n\n", "> A\n");
	split_is("Q\n\nTrả lời\n---", 3, "Q\n\n", "");
	split_is("Q\n\nTrả\nlời\n---\nA\n", 3, "Q\n\n", "A\n");
	split_is("Trả lời\n---\nA\n", 1, "", "A\n");
	/* CRLF and CR line ends; a heading as the last line. */
	split_is("Q\r\n\r\n## Trả lời\r\nA\r\n", 3, "Q\r\n\r\n", "A\r\n");
	split_is("Q\r\rTrả lời\r---\rA\r", 3, "Q\r\r", "A\r");
	split_is("Q\n\n## Trả lời", 3, "Q\n\n", "");
	split_is("## Answer\n", 1, "", "");
	/* The first one splits; later ones are part of the answer. */
	split_is("Q\n## Trả lời\nA\n## Answer\nB\n", 2, "Q\n",
	         "A\n## Answer\nB\n");
	/* Other headings come and go before it. */
	split_is("## Câu hỏi\nQ\n### Trả lời\nx\n## Trả lời\nA\n", 5,
	         "## Câu hỏi\nQ\n### Trả lời\nx\n", "A\n");
	split_is("```\n## Trả lời\n```\n## Trả lời\nA\n", 4,
	         "```\n## Trả lời\n```\n", "A\n");

	no_split("");
	no_split("Đề nghị sửa đường, chưa có trả lời.\n");
	no_split("Q\n\n### Trả lời\nA\n");
	no_split("Q\n\n# Trả lời\nA\n");
	no_split("Q\n\nTrả lời\n===\nA\n");
	no_split("Q\n\n## Trả lời ngày 5/3\nA\n");
	no_split("Q\n\n## Tra loi\nA\n");
	no_split("Q\n\n## Answers\nA\n");
	no_split("Q\n\n##Trả lời\nA\n");
	no_split("Q\nTrả lời\n---\nA\n"); /* setext of "Q Trả lời" */
	no_split("> ## Trả lời\n> A\n");
	no_split("- ## Trả lời\n");
	no_split("    ## Trả lời\n");
	no_split("```\n## Trả lời\n```\n");
	no_split("<!--\n## Trả lời\n-->\n");
	no_split("| a |\n|---|\n| ## Trả lời |\n");
	no_split("Q\n\n## Trả lời: ông Nam\nA\n");
}

static size_t
too_deep(const char *line)
{
	return ck_md_too_deep(line, strlen(line));
}

/* A line of `unit` repeated n times, then `tail`, in buf. */
static const char *
repeat(char *buf, const char *unit, size_t n, const char *tail)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		strcat(buf, unit);
	strcat(buf, tail);
	return buf;
}

static void
test_too_deep(void)
{
	static char buf[2048];

	CHECK_INT(too_deep(""), 0);
	CHECK_INT(too_deep("plain text"), 0);
	CHECK_INT(too_deep("- > 1. * + 2) x"), 0);
	/* 64 levels pass; the 65th marker is named (1 + its offset). */
	CHECK_INT(too_deep(repeat(buf, "- ", 64, "x")), 0);
	CHECK_INT(too_deep(repeat(buf, "- ", 65, "x")), 129);
	CHECK_INT(too_deep(repeat(buf, "> ", 65, "x")), 129);
	CHECK_INT(too_deep(repeat(buf, ">", 65, "x")), 65);
	CHECK_INT(too_deep(repeat(buf, "1. ", 80, "x")) != 0, 1);
	/* Indent stands for the levels opened on earlier lines. */
	CHECK_INT(too_deep(repeat(buf, "  ", 63, "- x")), 0);
	CHECK_INT(too_deep(repeat(buf, "  ", 64, "- x")), 129);
	CHECK_INT(too_deep(repeat(buf, "\t", 32, "- x")), 33);
	/* Only markers count: text, or a marker without a blank after it. */
	CHECK_INT(too_deep(repeat(buf, "-", 200, "")), 0);
	CHECK_INT(too_deep(repeat(buf, "x - ", 100, "")), 0);
	CHECK_INT(too_deep(repeat(buf, "  ", 200, "x")), 0);
	/* A long thematic break is not nesting. */
	CHECK_INT(too_deep(repeat(buf, "- ", 100, "-")), 0);
	CHECK_INT(too_deep(repeat(buf, "* ", 100, "\r")), 0);
	CHECK_INT(too_deep(repeat(buf, "- ", 100, "*")) != 0, 1);
}

/* The next of a fixed pseudo-random sequence: the tests repeat. */
static unsigned long
next_random(unsigned long *seed)
{
	*seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
	return *seed;
}

/*
 * A generated text in out (cap bytes, not NUL-terminated): 1 to max
 * pieces, each of the first `common` with odds (odds - 1) / odds, else any
 * of the n, sep between them. Returns its length.
 */
static size_t
compose(char *out, size_t cap, unsigned long *seed,
        const char *const *pieces, size_t n, size_t common, unsigned odds,
        size_t max, const char *sep)
{
	size_t k, len = 0, count = 1 + (next_random(seed) >> 33) % max;

	for (k = 0; k < count; k++) {
		unsigned long r = next_random(seed);
		const char *p = (r >> 40) % odds ? pieces[(r >> 20) % common]
		                                 : pieces[(r >> 20) % n];
		const char *between = k ? sep : "";

		if (len + strlen(between) + strlen(p) >= cap)
			break;
		memcpy(out + len, between, strlen(between));
		len += strlen(between);
		memcpy(out + len, p, strlen(p));
		len += strlen(p);
	}
	return len;
}

/*
 * ck_md_html_text writes plain prose without cmark: on generated text,
 * made of pieces that are prose and pieces that are Markdown (or that
 * cmark treats specially at a line's start or end), it must give what
 * cmark gives, byte for byte. Some pieces are fixed cases that must take
 * the shortcut, so the test sees it taken as well as declined.
 */
static int
same_as_cmark(const char *md, size_t len)
{
	ck_buf h1 = CK_BUF_INIT, t1 = CK_BUF_INIT, h2 = CK_BUF_INIT,
	       t2 = CK_BUF_INIT;
	int same;

	ck_md_html_text(&h1, &t1, md, len);
	ck_md_html_text_parsed(&h2, &t2, md, len);
	same = h1.size == h2.size && memcmp(h1.ptr, h2.ptr, h1.size) == 0 &&
	       t1.size == t2.size && memcmp(t1.ptr, t2.ptr, t1.size) == 0;
	if (!same)
		fprintf(stderr, "differs from cmark: \"%.*s\"\n  %s  %s\n",
		        (int)len, md, h1.ptr, h2.ptr);
	ck_buf_free(&h1);
	ck_buf_free(&t1);
	ck_buf_free(&h2);
	ck_buf_free(&t2);
	return same;
}

static void
test_prose_shortcut(void)
{
	static const char *const pieces[] = {
	    "a", "Đề", "nghị", "xã", " ", "  ", "\n", "\n\n", "\n\n\n", "1",
	    "12.", "1)", ".", ",", ";", ":", ": ", "?", "!", "(", ")", "'",
	    "/", "%", "+", "-", "--", "---", "$", "^", "w", "www.", "ww.",
	    "http://x.vn", "a@b.vn", "mailto:x", "*", "_", "#", "# ", ">",
	    "|", "~", "~~", "`", "<", "<b>", "&", "&amp;", "\"", "@", "\t",
	    "\r", "\r\n", "=", "===", "[", "]", "\\", "{", "}", "\xc2\xa0",
	    "\xe3\x80\x80", "\xe2\x80\xa8", "\xff", "\xc3", "é", "\xcc\x81",
	};
	static const char *const prose[] = {
	    "Đề nghị sửa đường.",
	    "Dòng một\nDòng hai: ba, bốn (năm) 50% 'x' 1/2 + 3 - 4!",
	    "Đoạn một.\n\nĐoạn hai\nvẫn đoạn hai.\n\n\nĐoạn ba?\n",
	    "\n\nbắt đầu bằng dòng trống\n",
	    "",
	};
	const size_t np = sizeof(pieces) / sizeof(*pieces);
	char md[512];
	unsigned long seed = 20261201;
	size_t i, ok = 0, runs = 60000;

	for (i = 0; i < sizeof(prose) / sizeof(*prose); i++)
		CHECK(same_as_cmark(prose[i], strlen(prose[i])));
	/* Mostly letters and blanks, as prose is. */
	for (i = 0; i < runs; i++)
		ok += (size_t)same_as_cmark(
		    md, compose(md, sizeof(md), &seed, pieces, np, 8, 3, 12, ""));
	CHECK_INT((long long)ok, (long long)runs);
}

/*
 * The answer heading is found in prose without cmark: on generated bodies
 * of prose, headings of each level, the answer's titles and what cmark
 * treats otherwise (setext underlines, indents, fences, quotes, CR), the
 * same split as cmark's, or none alike.
 */
static int
split_as_cmark(const char *md, size_t len)
{
	size_t q1 = 0, a1 = 0, q2 = 0, a2 = 0;
	unsigned l1 = 0, l2 = 0;
	int r1 = ck_md_split_answer(md, len, &q1, &a1, &l1);
	int r2 = ck_md_split_answer_parsed(md, len, &q2, &a2, &l2);
	int same = r1 == r2 && (!r1 || (q1 == q2 && a1 == a2 && l1 == l2));

	if (!same)
		fprintf(stderr, "split differs from cmark: \"%.*s\"\n",
		        (int)len, md);
	return same;
}

static void
test_split_shortcut(void)
{
	static const char *const lines[] = {
	    "Đề nghị sửa đường.", "Dòng hai: ba, bốn (năm).", "", "",
	    "## Trả lời", "## Answer", "## trả lời:", "## TRẢ LỜI",
	    "## Câu hỏi", "# Trả lời", "### Trả lời", "##Trả lời",
	    " ## Trả lời", "## Trả lời ##", "## Trả lời ", "##  Trả lời",
	    "## **Trả lời**", "Trả lời", "---", "===", "> ## Trả lời",
	    "```", "- ## Trả lời", "1. x", "    ## Trả lời", "## Trả\rlời",
	    "####### Trả lời", "## ", "##", "| a | b |", "## Tra\xcc\x89 lời",
	};
	const size_t nl = sizeof(lines) / sizeof(*lines);
	char md[1024];
	unsigned long seed = 99;
	size_t i, len, ok = 0, runs = 40000;

	/* Mostly prose and the answer's heading, lines ended or not. */
	for (i = 0; i < runs; i++) {
		len = compose(md, sizeof(md) - 1, &seed, lines, nl, 6, 2, 8, "\n");
		if (next_random(&seed) % 2)
			md[len++] = '\n';
		ok += (size_t)split_as_cmark(md, len);
	}
	CHECK_INT((long long)ok, (long long)runs);
}

int
main(void)
{
	test_html_basic();
	test_html_gfm();
	test_html_xss();
	test_text();
	test_split();
	test_too_deep();
	test_prose_shortcut();
	test_split_shortcut();
	return ck_t_done("t_markdown");
}
