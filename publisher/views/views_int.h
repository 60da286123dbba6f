/*
 * Internals of the views (views*.c): the state of one rendering and the
 * values built once from the model and shared by every page and data file.
 * Not a public interface: use ck_views_render (views.h).
 */
#ifndef CK_VIEWS_INT_H
#define CK_VIEWS_INT_H

#include "buf.h"
#include "fsguard.h"
#include "model.h"
#include "mustache.h"
#include "site.h"
#include "value.h"

/* A day's two shapes, made once per distinct day. */
typedef struct {
	ck_day day;
	ck_value *iso; /* "YYYY-MM-DD" (the open data) */
	ck_value *map; /* {iso, day, month, year, dd, mm, vn, weekday, ...} */
} vw_day_slot;

/*
 * A question, findable from its model pointer. Its values (the open-data
 * record and the view the templates read) are not kept: a province's
 * were most of a build's memory. They are made when a page or a data
 * file needs them (vw_question_values), in the arena of the one making
 * it, and die with that page.
 */
typedef struct {
	const ck_question *q;
	ck_value *dview;     /* its dialogue's view (kept) */
	const char *summary; /* its excerpt in lists (often its own text) */
} vw_qref;

/* Questions in a list's order. */
typedef struct {
	const vw_qref **v;
	size_t len, cap;
} vw_refs;
void vw_refs_push(ck_arena *a, vw_refs *refs, const vw_qref *r);
/* Makes room for n in all (a list whose length is known: no waste). */
void vw_refs_reserve(ck_arena *a, vw_refs *refs, size_t n);

/* A dialogue and its view. */
typedef struct {
	const ck_dialogue *d;
	ck_value *view;
} vw_dref;

/* Counts shown on list pages and the home page. */
typedef struct {
	ck_value *map; /* {id, name, count, open_count, late_count, ...} */
	vw_refs refs;  /* the questions, in list order */
	long count, open, late;
} vw_group;

typedef struct {
	ck_arena *a;       /* where values are made: the build's, or scratch */
	ck_arena *build_a; /* the build's: what every page may share */
	const ck_model *m;
	ck_site *site;
	ck_diags *d;
	const char *theme_dir;
	const char *theme_root; /* resolved: what the theme may read */
	ck_tmpl_set *tmpl;
	char *labels_path;
	ck_value *labels; /* the theme's labels.yaml */
	ck_buf out;       /* the page being rendered */
	int jobs;         /* threads rendering pages (views_pool.c) */

	ck_value *vnull, *vtrue, *vfalse;
	ck_value *root[5]; /* "", "../", ... "../../../../" */
	/*
	 * What every page's context shares, by depth + 1 (views_pages.c):
	 * each page's own context holds only its address and kind, and
	 * falls back to this (sealed, its fingerprint made once).
	 */
	ck_value *ctx_base[6];

	vw_day_slot *days; /* open addressing by day */
	size_t days_cap, days_len;
	/*
	 * Set once the values are built: the days are only read from then on
	 * (pages on several threads make question values), a day not there
	 * is made in the caller's arena.
	 */
	bool frozen;

	/* Per status: name, the spec's label, the theme's text, slug. */
	ck_value *st_name[CK_ST_COUNT], *st_label[CK_ST_COUNT];
	ck_value *st_text[CK_ST_COUNT], *st_slug[CK_ST_COUNT];

	/* {id, name} of every site.yaml list entry, by index. */
	ck_value **hamlet_v, **topic_v, **dept_v;

	ck_value *site_json; /* questions.json "site" */
	ck_value *site_view; /* the same entries, then contact, labels... */
	ck_value *nav_pages; /* [{slug, title, path}] */
	ck_value *today_d;   /* the as_of day's map (not today's) */
	ck_day as_of;        /* ck_model_as_of: what pages say "as of" */

	/* In m->dialogues order; a dialogue's view without its questions'
	 * lists (vw_dialogue_page_view adds them for its page). */
	ck_value **djson, **dview;
	/* Dialogues newest first (undated first, then date down, slug). */
	vw_dref *dnewest;
	/* In m->questions order; qsorted: the same, sorted by pointer. */
	vw_qref *qrefs;
	vw_qref *qsorted;
	size_t nqrefs, nq;
	/* The most keys a question's record, view and row have had. */
	size_t qjson_keys, qview_keys, qrow_keys;

	/* Lists: questions in list order (dialogues newest first, then id). */
	vw_group *by_topic, *by_hamlet, by_status[CK_ST_COUNT], late, all;
	/* The open ones (received, in progress, escalated): "chưa xong". */
	vw_group open;
	ck_value *topics_list, *hamlets_list, *statuses_list;
	long answer_overdue_count, overdue_count;
	/* Per department: its work, overdue first (views_feeds.c). */
	vw_group *by_dept;
	ck_value *departments_list;

	/* Kept list pages (views_keep.c). */
	bool keep;             /* the site can keep pages */
	uint64_t keep_base[2]; /* the program's and templates' fingerprint */
	uint64_t labels_fp[2]; /* the labels' (vw_keep_record_fp) */
	uint64_t (*rowfp)[2];  /* during a pass: each qsorted row's */
	/* Each qsorted question's own fingerprint, made once on whichever
	 * thread first needs it (its page's and its record's both use it). */
	struct vw_own_fp *own_fp;
} ck_views;

/* views_values.c: the values. */
int vw_build_values(ck_views *v);
ck_value *vw_day_iso(ck_views *v, ck_day day); /* null for CK_NODAY */
ck_value *vw_day_map(ck_views *v, ck_day day); /* null for CK_NODAY */
/* labels.<category>.<code>, or the code itself when the theme lacks it. */
ck_value *vw_label(ck_views *v, const char *category, const char *code);
/* A YAML tree as values: plain null/~ -> null, true/false -> booleans. */
ck_value *vw_yaml_value(ck_arena *a, const ck_yaml_node *n);
/*
 * A one-line excerpt of plain text: blanks collapsed, cut near max bytes at
 * a word boundary (never inside a character), "…" appended when cut.
 */
ck_value *vw_excerpt(ck_arena *a, const char *s, size_t max);
/*
 * vw_excerpt's text of s: s itself when that is what it would be (text
 * short and clean already: no copy, so it lives as long as s), else a
 * copy in a. NULL gives "".
 */
const char *vw_excerpt_text(ck_arena *a, const char *s, size_t max);
const vw_qref *vw_qref_find(const ck_views *v, const ck_question *q);
/* A question's excerpts: `summary` in lists, `short` in titles. */
#define VW_SUMMARY_MAX 240
#define VW_SHORT_MAX 90
/*
 * A question's record (exactly its open data; may be NULL) and view (the
 * same entries and what the templates need; may be NULL), made in v->a:
 * a page's scratch arena, or one reset after each question.
 */
void vw_question_values(ck_views *v, const vw_qref *r, ck_value **json,
                        ck_value **view);
ck_value *vw_question_view(ck_views *v, const vw_qref *r);
/* The views of n questions as a list, in v->a. */
ck_value *vw_question_views(ck_views *v, const vw_qref *const *refs,
                            size_t n);
/*
 * What a list shows of a question (partials question-row, late-row): the
 * entries of its view that a row uses, made alone, in v->a; and a list.
 */
ck_value *vw_question_row(ck_views *v, const vw_qref *r);
ck_value *vw_question_rows(ck_views *v, const vw_qref *const *refs,
                           size_t n);
/* Dialogue i's view with its questions' lists, in v->a, for its page. */
ck_value *vw_dialogue_page_view(ck_views *v, size_t i);
/* What a citizen quotes ("DT2025-014") and a question's page, in a. */
const char *vw_question_ref(ck_arena *a, const ck_question *q);
const char *vw_question_path(ck_arena *a, const ck_question *q);
/* Its page's address (base_url's), in v->a. */
const char *vw_question_url(ck_views *v, const ck_question *q);

/* views_groups.c: the list pages' groups (after the questions' values). */
void vw_build_groups(ck_views *v);

static inline ck_value *
vw_bool(ck_views *v, bool b)
{
	return b ? v->vtrue : v->vfalse;
}

/*
 * views_followup.c: escalations, directives, supervision, staleness and
 * lateness in the dialogue's (j, w) and the question's records and views
 * (a question's view reads its record's entries);
 * the escalations page; the open data's JSON Schemas.
 */
void vw_followup_dialogue(ck_views *v, const ck_dialogue *dl, ck_value *j,
                          ck_value *w);
void vw_followup_question(ck_views *v, const ck_question *q, ck_value *dview,
                          ck_value *j, ck_value *w);
int vw_render_followup_pages(ck_views *v);
int vw_render_followup_data(ck_views *v);

/*
 * Days a question is overdue today: the larger of the days past its answer
 * due date (while unanswered) and past its promised date (while open);
 * 0 when it is not overdue.
 */
long vw_late_days(const ck_views *v, const ck_question *q);
/* Working days an unanswered escalation has waited, to v->as_of. */
long long vw_waiting_days(const ck_views *v, const ck_escalation *e);
/* Sorts n questions worst overdue first (then by id): the overdue lists. */
void vw_sort_late(const ck_views *v, const vw_qref **refs, size_t n);

/* views_data.c: questions.json, questions.csv, dialogues.json. */
int vw_render_data(ck_views *v);
/*
 * RFC 4180 field, quoted when it holds , ; " TAB CR or LF; a cell a spreadsheet
 * could take for a formula gets a leading ' (and is quoted).
 */
void vw_csv_field(ck_buf *out, const char *s, size_t len);

/* Questions per list page: a list stays light on a cheap phone. */
#define VW_PAGE_SIZE ((size_t)100)

/* views_feeds.c: department groups, Atom feeds, sitemap.xml, robots.txt. */
/* After the groups: the departments' groups, the list pages' feeds. */
void vw_build_follow(ck_views *v);
int vw_render_feeds(ck_views *v);
/*
 * sitemap.xml (or an index of sitemap-N.xml) of every page in v->site, and
 * robots.txt: call it after every page has been rendered.
 */
int vw_render_sitemap(ck_views *v);

/* views_pages.c: every HTML page. */
int vw_render_pages(ck_views *v);
/*
 * The context every page starts from (site, labels, menu, the groups), at
 * depth folders below the top (-1: absolute links), is_<kind> set,
 * canonical its address (or NULL); in v's arena.
 */
ck_value *vw_page_ctx(ck_views *v, int depth, const char *kind,
                      ck_value *canonical);
/* Makes v->ctx_base, once the values every page shows are made. */
void vw_page_ctx_setup(ck_views *v);
/* base_url + rel, in v's arena. */
ck_value *vw_abs_url(ck_views *v, const char *rel);

/* views_stats.c: thong-ke/index.html, the figures by topic, hamlet,
 * department. */
int vw_render_stats(ck_views *v);

/*
 * views_search.c: the search index (tim-kiem/meta.js and its chunks; the
 * page itself is views_pages.c's).
 */
int vw_render_search(ck_views *v);
/*
 * Appends s folded for search, as the theme's search.js folds what is
 * typed: NFD, marks stripped, case folded, đ -> d ("Đất đai" -> "dat dai").
 */
void vw_search_fold(ck_buf *out, const char *s, size_t len);
/* The index's hash of a folded word (FNV-1a). */
uint32_t vw_search_hash(const char *s, size_t len);
typedef void (*vw_word_fn)(void *arg, const char *word, size_t len,
                           uint32_t hash);
/*
 * Calls fn for each word of the text s (NUL-terminated; NULL for none) as
 * the index takes them: s folded, cut where a code point is neither
 * letter nor digit, words past 48 bytes (VW_WORD_MAX) left out; word is not
 * NUL-terminated, hash its vw_search_hash.
 */
void vw_search_words(const char *s, vw_word_fn fn, void *arg);
/* The same, the slow way: folded whole, then cut (t_search holds that
 * the two agree). */
void vw_search_words_folded(const char *s, vw_word_fn fn, void *arg);

/*
 * views_pages.c, for views_reports.c: the pages of n question lists,
 * groups[i] under dirs[i]/ (paged as the site's lists), each rendered
 * with template tmpl, its group named key in the context.
 */
int vw_render_group_lists(ck_views *v, const char *tmpl, const char *key,
                          vw_group **groups, const char **dirs, size_t n);

/* views_reports.c: bao-cao/ and data/bao-cao/ (the reports). */
int vw_render_reports(ck_views *v);

/* views_pool.c: pages rendered on v->jobs threads, added in order. */
typedef struct vw_page {
	const char *tmpl;    /* the template's name */
	const ck_value *ctx; /* its context */
	const char *path;    /* the page's path in the site */
	/*
	 * A page that may be kept (views_keep.c): fp, taken with rows_at's
	 * "questions" standing for the rows refs[0..nrows), which are made
	 * and set there only when the site does not keep the page.
	 */
	bool has_fp;
	uint64_t fp[2];
	ck_value *rows_at;
	const vw_qref *const *rows;
	size_t nrows;
	/*
	 * A question's or a dialogue's page that may be kept: fp, taken with
	 * a fingerprint of what its question's or dialogue's view is made
	 * from standing for the view (views_keep.c), which fill(wv, page)
	 * makes and sets in fill_at only when the site does not keep the
	 * page. fill_ref: the question; fill_i: the dialogue.
	 */
	void (*fill)(ck_views *wv, struct vw_page *page);
	ck_value *fill_at;
	const vw_qref *fill_ref;
	size_t fill_i;
} vw_page;
/*
 * Sets up page i: wv is the worker's view, whose arena (wv->a) is scratch
 * for the page's context and path, reset once the page is rendered; the
 * shared values may be read, never changed.
 */
typedef void (*vw_page_fn)(ck_views *wv, size_t i, vw_page *page,
                           const void *arg);
/*
 * Renders pages 0..n-1 and adds them to v->site in that order; a failing
 * render is reported as on one thread (the first in page order) and stops
 * the rest. Returns 0 or -1.
 */
int vw_render_all(ck_views *v, size_t n, vw_page_fn fn, const void *arg);

/*
 * views_keep.c: pages kept when made from the same inputs (see there).
 * vw_keep_setup once the templates are loaded; vw_keep_begin before the
 * pass of the pages that may be kept, vw_keep_end after it. vw_keep_rows gives
 * the stand-in for the rows refs[0..n) in v->a (NULL: some question has
 * no row fingerprint, do not keep), vw_keep_page_fp a page's fingerprint.
 */
void vw_keep_setup(ck_views *v);
void vw_keep_begin(ck_views *v);
void vw_keep_end(ck_views *v);
ck_value *vw_keep_rows(ck_views *v, const vw_qref *const *refs, size_t n);
void vw_keep_page_fp(const ck_views *v, vw_page *page);
/*
 * The fingerprint of question r's page, its context page->ctx without the
 * question: what the page's context shows, and everything the question's
 * view is made from (vw_keep_question_fp), read from the model instead of
 * made. In the pass (vw_keep_begin).
 */
void vw_keep_question_page_fp(ck_views *v, vw_page *page, const vw_qref *r);
/*
 * The fingerprint of dialogue i's page, its context page->ctx without the
 * dialogue: the context's, the dialogue's view (sealed) and its questions'
 * rows (vw_keep_rows), which are all its page shows. In the pass.
 */
void vw_keep_dialogue_page_fp(ck_views *v, vw_page *page, size_t i);
/*
 * The fingerprint of what question r's record (the open data) is made
 * from: the program, its fields, the labels, the day counted to. Read only
 * (any thread), once vw_keep_setup has run; v->keep says whether records
 * may be reused at all.
 */
void vw_keep_record_fp(const ck_views *v, const vw_qref *r, uint64_t out[2]);

/* views_files.c: files copied as they are. */
/* Reads a whole file; 0, or -1 with errno set. */
int vw_read_file(ck_buf *out, const char *path);
/*
 * Checks a theme path under the containment rule (fsguard.h) against the
 * theme folder: 0 (*kind, may be NULL, is MISSING, FILE or DIR), or -1
 * (refused) / -3 (cannot be examined), reported into v->d.
 */
int vw_check_path(ck_views *v, const char *path, ck_fs_kind *kind);
int vw_copy_assets(ck_views *v);
int vw_copy_statics(ck_views *v);

#endif
