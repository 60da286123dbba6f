/*
 * Views: the status table, CSV quoting, excerpts, YAML to values, and a
 * model built by hand rendered whole with the default theme (run from the
 * project's top, as tests/run.sh does).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "json.h"
#include "views.h"
#include "views_int.h"

static void
test_status(void)
{
	static const char *const names[] = {"received",  "in_progress",
	                                    "escalated", "answered",
	                                    "resolved",  "declined"};
	static const char *const labels[] = {
	    "Đã tiếp nhận", "Đang giải quyết", "Đã chuyển cấp có thẩm quyền",
	    "Đã trả lời",   "Đã giải quyết",   "Không có cơ sở giải quyết"};
	int i, k;

	for (i = 0; i < CK_ST_COUNT; i++) {
		const char *slug = ck_status_slug((ck_status)i);
		size_t n;

		CHECK_STR(ck_status_name((ck_status)i), names[i]);
		CHECK_STR(ck_status_label((ck_status)i), labels[i]);
		CHECK_INT(ck_status_parse(names[i]), i);
		CHECK_INT(ck_status_open((ck_status)i), i < 3);
		/*
		 * A status page's folder is the status's own name, so an
		 * address can be built from the open data: ASCII, distinct.
		 */
		n = strlen(slug);
		CHECK(n > 0 &&
		      strspn(slug, "abcdefghijklmnopqrstuvwxyz_") == n);
		CHECK_STR(slug, names[i]);
		for (k = 0; k < i; k++)
			CHECK(strcmp(slug, ck_status_slug((ck_status)k)) != 0);
	}
	CHECK_STR(ck_status_slug(CK_ST_RECEIVED), "received");
	CHECK_INT(ck_status_parse("Received"), -1);
	CHECK_INT(ck_status_parse(""), -1);
	CHECK_INT(ck_status_parse(NULL), -1);
	CHECK_STR(ck_status_name(CK_ST_COUNT), "");
	CHECK(!ck_status_open(CK_ST_COUNT));
	CHECK_STR(ck_dialogue_status_name(CK_DLG_PLANNED), "planned");
	CHECK_STR(ck_dialogue_status_name(CK_DLG_CONCLUDED), "concluded");
	CHECK_STR(ck_dialogue_status_name(CK_DLG_POSTPONED), "postponed");
}

static void
csv(const char *in, const char *want)
{
	ck_buf b = CK_BUF_INIT;

	vw_csv_field(&b, in, strlen(in));
	CHECK_STR(b.ptr, want);
	ck_buf_free(&b);
}

static void
test_csv(void)
{
	csv("", "");
	csv("plain text", "plain text");
	csv("Đất đai", "Đất đai");
	csv("a,b", "\"a,b\"");
	csv("say \"hi\"", "\"say \"\"hi\"\"\"");
	csv("two\nlines", "\"two\nlines\"");
	csv("cr\rhere", "\"cr\rhere\"");
	csv("\"", "\"\"\"\"");
	csv("semi;colon 'single'", "\"semi;colon 'single'\"");
	csv("tab\there", "\"tab\there\"");
	/* OWASP's formula triggers: a leading ' and always quoted. */
	csv("=1+1", "\"'=1+1\"");
	csv("+84 912", "\"'+84 912\"");
	csv("-5", "\"'-5\"");
	csv("@SUM(A1)", "\"'@SUM(A1)\"");
	csv("\tx", "\"'\tx\"");
	csv("\rx", "\"'\rx\"");
	csv("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"");
	csv("  =1", "\"'  =1\"");
	csv("\xEF\xBC\x9D"
	    "1",
	    "\"'\xEF\xBC\x9D"
	    "1\"");
	/* Not triggers: inside the text, or an ordinary name. */
	csv("a=b", "a=b");
	csv("Ông A", "Ông A");
	csv("5-6", "5-6");
	csv("'quoted'", "'quoted'");
}

static void
excerpt(ck_arena *a, const char *in, size_t max, const char *want)
{
	CHECK_STR(ck_value_get_str(vw_excerpt(a, in, max), NULL), want);
}

static void
test_excerpt(void)
{
	ck_arena *a = ck_arena_new();

	excerpt(a, "", 10, "");
	excerpt(a, "short", 10, "short");
	excerpt(a, "  lots   of\n\nblank\t space  ", 40, "lots of blank space");
	excerpt(a, "một hai ba bốn năm sáu bảy", 16, "một hai ba…");
	/* A cut right at a space keeps the whole last word. */
	excerpt(a, "aaaa bbbb cccc", 9, "aaaa bbbb…");
	/* Trailing punctuation before the ellipsis goes. */
	excerpt(a, "aaaa bbbb, cccc dddd", 12, "aaaa bbbb…");
	/* One long word is cut between characters, never inside one. */
	excerpt(a, "đđđđđđđđđđ", 5, "đđđ…");
	excerpt(a, NULL, 5, "");
	ck_arena_free(a);
}

/* The kept excerpt is vw_excerpt's text, and the text itself when equal. */
static void
test_excerpt_text(void)
{
	static const char *const in[] = {
	    "", "a", "short text", " leading", "trailing ", "two  spaces",
	    "tab\there", "line\nbreak", "cr\r", "exactly ten", "exactly te",
	    "eleven char", "một hai ba bốn", "  ", "a b c d e f g h i j k l",
	};
	ck_arena *a = ck_arena_new();
	size_t i, same = 0, kept = 0, own = 0;

	for (i = 0; i < sizeof(in) / sizeof(*in); i++) {
		const char *t = vw_excerpt_text(a, in[i], 10);
		const char *want = ck_value_get_str(vw_excerpt(a, in[i], 10), NULL);

		same += strcmp(t, want) == 0;
		kept += t == in[i];
		own += t == in[i] && strcmp(in[i], want) == 0;
	}
	CHECK_INT((long long)same, (long long)(sizeof(in) / sizeof(*in)));
	/* Not copied: "", "a", "short text", "exactly te". */
	CHECK_INT((long long)kept, 4);
	CHECK_INT((long long)own, 4);
	CHECK_STR(vw_excerpt_text(a, NULL, 10), "");
	ck_arena_free(a);
}

static void
test_yaml_values(void)
{
	ck_arena *a = ck_arena_new();
	ck_diags *d = ck_diags_new();
	ck_yaml_node *n = NULL;
	const char *src = "a: true\nb: 'true'\nc: ~\nd: [1, x]\ne: {f: g}\n"
	                  "h: \"\"\nk: False\n";
	ck_value *v;

	CHECK_INT(ck_yaml_parse(&n, a, "x.yaml", src, strlen(src), 1, d), 0);
	v = vw_yaml_value(a, n);
	CHECK_INT(ck_value_kind(ck_value_get(v, "a")), CK_VBOOL);
	CHECK(ck_value_get_bool(ck_value_get(v, "a")));
	CHECK_STR(ck_value_get_str(ck_value_get(v, "b"), NULL), "true");
	CHECK_INT(ck_value_kind(ck_value_get(v, "c")), CK_VNULL);
	CHECK_INT(ck_value_len(ck_value_get(v, "d")), 2);
	CHECK_STR(ck_value_get_str(ck_value_at(ck_value_get(v, "d"), 0), NULL),
	          "1");
	CHECK_STR(
	    ck_value_get_str(ck_value_get(ck_value_get(v, "e"), "f"), NULL),
	    "g");
	CHECK_INT(ck_value_kind(ck_value_get(v, "h")), CK_VSTRING);
	CHECK_INT(ck_value_kind(ck_value_get(v, "k")), CK_VBOOL);
	CHECK(!ck_value_get_bool(ck_value_get(v, "k")));
	CHECK_STR(ck_value_key_at(v, 4), "e");
	ck_diags_free(d);
	ck_arena_free(a);
}

/* A model built by hand: what ck_model_load would give. */

static ck_model *
make_model(ck_arena *a)
{
	ck_model *m = ck_arena_alloc(a, sizeof(*m));
	ck_dialogue *dl = ck_arena_alloc(a, sizeof(*dl));
	ck_question *q1 = ck_arena_alloc(a, sizeof(*q1));
	ck_question *q2 = ck_arena_alloc(a, sizeof(*q2));
	ck_page *pg = ck_arena_alloc(a, sizeof(*pg));
	ck_revision *rev = ck_arena_alloc(a, 2 * sizeof(*rev));
	ck_progress *pr = ck_arena_alloc(a, sizeof(*pr));
	static const char *chairs[] = {"Chủ tịch UBND xã"};

	m->arena = a;
	m->content_dir = "content";
	m->today = ck_day_from_ymd(2025, 12, 20);
	m->name = "Xã Thử";
	m->unit_type = "xa";
	m->base_url = "https://x.example/";
	m->contact_phone = "0210 3812 345";
	m->nhamlets = 2;
	m->hamlets = ck_arena_alloc(a, 2 * sizeof(ck_named));
	m->hamlets[0] = (ck_named){"thon-a", "Thôn A"};
	m->hamlets[1] = (ck_named){"thon-b", "Thôn B & C"};
	m->ntopics = 2;
	m->topics = ck_arena_alloc(a, 2 * sizeof(ck_named));
	m->topics[0] = (ck_named){"dat-dai", "Đất đai"};
	m->topics[1] = (ck_named){"trong", "Trống"};
	m->ndepartments = 1;
	m->departments = ck_arena_alloc(a, sizeof(ck_named));
	m->departments[0] = (ck_named){"dia-chinh", "Địa chính"};
	m->notice_days = 7;
	m->answer_working_days = 10;
	m->conclusion_working_days = 10;

	dl->slug = "hn-2025";
	dl->path = "content/dialogues/hn-2025/index.md";
	dl->title = "Hội nghị <2025> & \"đặc biệt\"";
	dl->kind = "conference";
	dl->date = ck_day_from_ymd(2025, 11, 14);
	dl->time = "08:30";
	dl->location = "Hội trường";
	dl->chairs = chairs;
	dl->nchairs = 1;
	dl->published = CK_NODAY;
	dl->registration_deadline = CK_NODAY;
	dl->plan_issued = CK_NODAY;
	dl->attendance = -1;
	dl->body_html = "<p>Kế hoạch.</p>\n";
	dl->conclusion_issued = CK_NODAY;
	dl->status = CK_DLG_HELD;
	dl->conclusion_due = ck_day_from_ymd(2025, 11, 28);
	dl->conclusion_overdue = true;

	q1->id = "001";
	q1->gid = "hn-2025/001";
	q1->dialogue = dl;
	q1->hamlet = &m->hamlets[0];
	q1->topic = &m->topics[0];
	q1->assigned_to = &m->departments[0];
	q1->channel = "registered";
	q1->asked_by = "Ông A, \"B\"";
	q1->received = ck_day_from_ymd(2025, 11, 10);
	q1->due = CK_NODAY;
	q1->has_answer = true;
	q1->answer_by = "Chủ tịch";
	q1->answer_date = ck_day_from_ymd(2025, 11, 14);
	q1->question_html = "<p>Hỏi?</p>\n";
	q1->question_text = "Hỏi?";
	q1->answer_html = "<p>Đáp.</p>\n";
	q1->answer_text = "Đáp.";
	q1->status = CK_ST_ANSWERED;
	q1->answer_due = ck_day_from_ymd(2025, 11, 28);
	q1->updated = q1->answer_date;
	strcpy(rev[0].date, "2025-11-10");
	strcpy(rev[0].commit, "0123456789ab");
	strcpy(rev[1].date, "2025-11-15");
	strcpy(rev[1].commit, "ba9876543210");
	q1->revisions = rev;
	q1->nrevisions = 2;

	q2->id = "002";
	q2->gid = "hn-2025/002";
	q2->dialogue = dl;
	q2->hamlet = &m->hamlets[1];
	q2->topic = &m->topics[0];
	q2->channel = "at_meeting";
	q2->asked_by = "Người dân Thôn B & C";
	q2->received = ck_day_from_ymd(2025, 11, 14);
	q2->due = ck_day_from_ymd(2025, 12, 1);
	q2->answer_date = CK_NODAY;
	q2->question_html = "<p>Dòng 1</p>\n";
	q2->question_text = "Dòng 1\nDòng 2, có \"ngoặc\"";
	pr->date = ck_day_from_ymd(2025, 11, 20);
	pr->status = CK_ST_IN_PROGRESS;
	pr->note_md = "";
	pr->note_html = "";
	pr->note_text = "";
	q2->progress = pr;
	q2->nprogress = 1;
	q2->status = CK_ST_IN_PROGRESS;
	q2->open = true;
	q2->answer_due = ck_day_from_ymd(2025, 11, 28);
	q2->answer_overdue = true;
	q2->overdue = true;
	q2->updated = pr->date;

	dl->questions = ck_arena_alloc(a, 2 * sizeof(ck_question *));
	dl->questions[0] = q1;
	dl->questions[1] = q2;
	dl->nquestions = 2;
	dl->by_status[CK_ST_ANSWERED] = 1;
	dl->by_status[CK_ST_IN_PROGRESS] = 1;

	m->dialogues = ck_arena_alloc(a, sizeof(ck_dialogue *));
	m->dialogues[0] = dl;
	m->ndialogues = 1;
	m->questions = dl->questions;
	m->nquestions = 2;

	pg->slug = "gioi-thieu";
	pg->path = "content/pages/gioi-thieu.md";
	pg->title = "Giới thiệu";
	pg->body_html = "<p>Xin chào.</p>\n";
	m->pages = ck_arena_alloc(a, sizeof(ck_page *));
	m->pages[0] = pg;
	m->npages = 1;
	return m;
}

static const char *
file(ck_site *s, const char *path)
{
	const char *p = ck_site_find(s, path, NULL);

	if (p == NULL)
		fprintf(stderr, "no %s in the site\n", path);
	return p ? p : "";
}

static ck_value *
path_get(ck_value *v, const char *a, size_t i, const char *b)
{
	return ck_value_get(ck_value_at(ck_value_get(v, a), i), b);
}

static void
test_render(void)
{
	static const char *const qkeys[] = {"id",
	                                    "ref",
	                                    "dialogue",
	                                    "url",
	                                    "path",
	                                    "asked_by",
	                                    "hamlet",
	                                    "topic",
	                                    "assigned_to",
	                                    "channel",
	                                    "received",
	                                    "status",
	                                    "status_label",
	                                    "open",
	                                    "answered",
	                                    "answer_due",
	                                    "answer_overdue",
	                                    "due",
	                                    "overdue",
	                                    "updated",
	                                    "progress",
	                                    "question_html",
	                                    "answer_html",
	                                    "revisions",
	                                    "answer_by",
	                                    "answered_late",
	                                    "stale",
	                                    "escalation",
	                                    NULL};
	ck_arena *a = ck_arena_new(), *ja = ck_arena_new();
	ck_model *m = make_model(a);
	ck_site *s1 = ck_site_new(), *s2 = ck_site_new();
	ck_diags *d = ck_diags_new();
	ck_value *j = NULL, *q;
	ck_buf err = CK_BUF_INIT;
	const char *text;
	size_t len, i;

	CHECK_INT(ck_views_render_jobs(s1, m, "themes/default", 1, d), 0);
	CHECK_INT(ck_diags_errors(d), 0);
	CHECK_INT(ck_diags_warnings(d), 0);
	ck_diags_print(d, stderr);
	CHECK_INT(ck_site_sort(s1), 0);

	text = ck_site_find(s1, "data/questions.json", &len);
	CHECK(text != NULL);
	CHECK_INT(ck_json_parse(&j, ja, text ? text : "", text ? len : 0, &err),
	          0);
	/* The last day a fact changed, not today (ck_model_as_of). */
	CHECK_STR(ck_value_get_str(ck_value_get(j, "as_of"), NULL),
	          "2025-12-02");
	q = ck_value_at(ck_value_get(j, "questions"), 0);
	for (i = 0; qkeys[i]; i++)
		CHECK_STR(ck_value_key_at(q, i), qkeys[i]);
	CHECK_INT(ck_value_len(q), i);
	CHECK_STR(ck_value_get_str(ck_value_get(q, "id"), NULL), "hn-2025/001");
	CHECK_STR(ck_value_get_str(ck_value_get(q, "url"), NULL),
	          "https://x.example/doi-thoai/hn-2025/001/");
	CHECK_STR(ck_value_get_str(ck_value_get(q, "path"), NULL),
	          "doi-thoai/hn-2025/001/index.html");
	CHECK_STR(
	    ck_value_get_str(
	        ck_value_get(ck_value_get(q, "assigned_to"), "name"), NULL),
	    "Địa chính");
	CHECK_STR(ck_value_get_str(ck_value_get(q, "status_label"), NULL),
	          "Đã trả lời");
	CHECK_STR(ck_value_get_str(ck_value_get(q, "answered"), NULL),
	          "2025-11-14");
	CHECK_INT(ck_value_kind(ck_value_get(q, "due")), CK_VNULL);
	CHECK_STR(ck_value_get_str(path_get(q, "revisions", 1, "commit"), NULL),
	          "ba9876543210");
	q = ck_value_at(ck_value_get(j, "questions"), 1);
	CHECK_INT(ck_value_kind(ck_value_get(q, "answer_html")), CK_VNULL);
	CHECK_INT(ck_value_kind(ck_value_get(q, "assigned_to")), CK_VNULL);
	CHECK(ck_value_get_bool(ck_value_get(q, "overdue")));
	CHECK(ck_value_get_bool(ck_value_get(q, "open")));
	CHECK_STR(ck_value_get_str(path_get(q, "progress", 0, "status"), NULL),
	          "in_progress");
	CHECK_INT(ck_value_len(ck_value_get(q, "revisions")), 0);
	CHECK_STR(ck_value_get_str(
	              ck_value_get(ck_value_get(j, "site"), "base_url"), NULL),
	          "https://x.example/");

	text = file(s1, "data/dialogues.json");
	CHECK(strstr(text, "\"question_count\": 2") != NULL);
	CHECK(strstr(text, "\"by_status\": {\n        \"received\": 0,\n"
	                   "        \"in_progress\": 1,") != NULL);
	CHECK(strstr(text, "\"date_text\": null") != NULL);

	text = file(s1, "data/questions.csv");
	CHECK(strncmp(text, "\xEF\xBB\xBFid,ref,dialogue,url,", 22) == 0);
	CHECK(strstr(text, ",question,answer,answer_by,answered_late,stale\r\n"
	                   "hn-2025/001,") != NULL);
	CHECK(strstr(text, "\"Ông A, \"\"B\"\"\"") != NULL);
	CHECK(strstr(text, ",Địa chính,registered,") != NULL);
	CHECK(strstr(text, ",\"Dòng 1\nDòng 2, có \"\"ngoặc\"\"\",,,false,false\r\n") !=
	      NULL);

	/* Every page of the site table, one per list. */
	text = file(s1, "index.html");
	CHECK(strstr(text, "<html lang=\"vi\">") != NULL);
	CHECK(strstr(text, "href=\"doi-thoai/hn-2025/001/index.html\"") !=
	      NULL);
	text = file(s1, "doi-thoai/hn-2025/001/index.html");
	CHECK(strstr(text, "href=\"../../../assets/style.css\"") != NULL);
	CHECK(
	    strstr(text, "Hội nghị &lt;2025&gt; &amp; &quot;đặc biệt&quot;") !=
	    NULL);
	CHECK(strstr(text, "0123456789ab") != NULL);
	CHECK(strstr(text, "ngày 14 tháng 11 năm 2025") != NULL);
	text = file(s1, "doi-thoai/hn-2025/002/index.html");
	CHECK(strstr(text, "Chưa trả lời") != NULL);
	CHECK(strstr(text, "Quá hạn giải quyết") != NULL);
	CHECK(strstr(file(s1, "linh-vuc/trong/index.html"),
	             "Chưa có câu hỏi nào") != NULL);
	CHECK(strstr(file(s1, "thon/thon-b/index.html"),
	             "href=\"../../doi-thoai/hn-2025/002/index.html\"") !=
	      NULL);
	text = file(s1, "trang-thai/qua-han/index.html");
	CHECK(strstr(text, "doi-thoai/hn-2025/002/index.html") != NULL);
	CHECK(strstr(text, "doi-thoai/hn-2025/001/index.html") == NULL);
	for (i = 0; i < CK_ST_COUNT; i++) {
		char p[128];

		snprintf(p, sizeof(p), "trang-thai/%s/index.html",
		         ck_status_slug((ck_status)i));
		CHECK(ck_site_find(s1, p, NULL) != NULL);
	}
	CHECK(strstr(file(s1, "gioi-thieu/index.html"), "Xin chào") != NULL);
	/* 404.html links from the site's top (its script sets a <base>
	 * when a server shows it deeper): no absolute production link. */
	CHECK(strstr(file(s1, "404.html"), "href=\"assets/style.css\"") !=
	      NULL);
	CHECK(strstr(file(s1, "404.html"),
	             "href=\"https://x.example/assets/style.css\"") == NULL);
	CHECK(ck_site_find(s1, "assets/style.css", NULL) != NULL);
	CHECK(strstr(file(s1, "index.html"), "tel:02103812345") != NULL);

	/* The same model renders the same bytes, on one thread or three. */
	CHECK_INT(ck_views_render_jobs(s2, m, "themes/default", 3, d), 0);
	CHECK_INT(ck_site_sort(s2), 0);
	CHECK_INT(ck_site_count(s2), ck_site_count(s1));
	for (i = 0; i < ck_site_count(s1) && i < ck_site_count(s2); i++) {
		size_t l1, l2;
		const char *d1 = ck_site_data(s1, i, &l1);
		const char *d2 = ck_site_data(s2, i, &l2);

		CHECK_STR(ck_site_path(s1, i), ck_site_path(s2, i));
		CHECK(l1 == l2 && memcmp(d1, d2, l1) == 0);
	}

	ck_buf_free(&err);
	ck_site_free(s1);
	ck_site_free(s2);
	ck_diags_free(d);
	ck_arena_free(ja);
	ck_arena_free(a);
}

static void
test_theme_errors(void)
{
	ck_arena *a = ck_arena_new();
	ck_model *m = make_model(a);
	ck_site *s = ck_site_new();
	ck_diags *d = ck_diags_new();

	CHECK_INT(ck_views_render(s, m, "no/such/theme", d), -1);
	CHECK_INT(ck_diags_errors(d), 1);
	ck_site_free(s);
	ck_diags_free(d);

	/* A page may not take the name of a generated folder. */
	s = ck_site_new();
	d = ck_diags_new();
	m->pages[0]->slug = "data";
	CHECK_INT(ck_views_render(s, m, "themes/default", d), -1);
	CHECK_INT(ck_diags_errors(d), 1);
	ck_site_free(s);
	ck_diags_free(d);
	ck_arena_free(a);
}

/*
 * What a sink was told, in order: each file's path, and the stages. The
 * pages' workers and the side work pass files at once: one at a time here.
 */
static pthread_mutex_t stage_mu = PTHREAD_MUTEX_INITIALIZER;

static int
stage_sink(void *arg, const char *path, const void *data, size_t len,
           const uint64_t *fp)
{
	(void)data;
	(void)len;
	(void)fp;
	pthread_mutex_lock(&stage_mu);
	ck_buf_printf(arg, "%s\n", path);
	pthread_mutex_unlock(&stage_mu);
	return 0;
}

static void
stage_told(void *arg, ck_site_stage_id stage)
{
	pthread_mutex_lock(&stage_mu);
	ck_buf_printf(arg, "<%s>\n",
	              stage == CK_SITE_FILES_NEXT ? "files next" : "last next");
	pthread_mutex_unlock(&stage_mu);
}

/*
 * The sink is told that files come next before the first (once the theme
 * and the pages' names are sound: a theme error tells it nothing), and
 * that only the sitemap remains after every other file.
 */
static void
test_stages(void)
{
	ck_arena *a = ck_arena_new();
	ck_model *m = make_model(a);
	ck_buf seen = CK_BUF_INIT;
	ck_site *s = ck_site_new_sink(stage_sink, &seen);
	ck_diags *d = ck_diags_new();
	static const char *const before[] = {
	    "\nindex.html\n", "\ndata/questions.json\n", "\ntim-kiem/meta.js\n",
	    "\nfeed.xml\n"};
	const char *last;
	size_t i;

	ck_site_set_stage(s, stage_told);
	CHECK_INT(ck_views_render_jobs(s, m, "themes/default", 2, d), 0);
	CHECK(strncmp(seen.ptr, "<files next>\n", 13) == 0);
	CHECK(strstr(seen.ptr + 1, "<files next>") == NULL);
	last = strstr(seen.ptr, "<last next>\n");
	CHECK(last != NULL && strstr(last + 1, "<last next>") == NULL);
	if (last != NULL)
		CHECK_STR(last, "<last next>\nsitemap.xml\nrobots.txt\n");
	for (i = 0; i < sizeof(before) / sizeof(*before); i++) {
		const char *at = strstr(seen.ptr, before[i]);

		CHECK(at != NULL && last != NULL && at < last);
	}
	ck_site_free(s);
	ck_diags_free(d);

	/* A page named as a generated folder: an error, and no stage. */
	ck_buf_clear(&seen);
	s = ck_site_new_sink(stage_sink, &seen);
	ck_site_set_stage(s, stage_told);
	d = ck_diags_new();
	m->pages[0]->slug = "data";
	CHECK_INT(ck_views_render(s, m, "themes/default", d), -1);
	CHECK_INT(ck_diags_errors(d), 1);
	CHECK_INT(seen.size, 0);
	ck_site_free(s);
	ck_diags_free(d);
	ck_buf_free(&seen);
	ck_arena_free(a);
}

int
main(void)
{
	test_status();
	test_csv();
	test_excerpt();
	test_excerpt_text();
	test_yaml_values();
	test_render();
	test_theme_errors();
	test_stages();
	return ck_t_done("t_views");
}
