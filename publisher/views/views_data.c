/*
 * The open data (cli-and-output.md, "Open data"): data/questions.json,
 * data/dialogues.json and data/questions.csv, written from the very values
 * the pages are rendered from.
 */
#include <err.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "views_int.h"

/* The CSV's columns: the scalar fields of a question record, in order. */
static const char *const csv_columns[] = {
    "id",
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
    "question",
    "answer",
    /* Issue #8: who answered, late, no news for long. */
    "answer_by", "answered_late", "stale",
};

/*
 * Whether a spreadsheet could take the cell for a formula (OWASP, "CSV
 * Injection"): it starts with = + - @ TAB or CR. Leading spaces are looked
 * through, since some spreadsheet programs trim them on import, and so are
 * the full-width forms of = + - @, which some input methods convert.
 */
static bool
csv_formula_like(const char *s, size_t len)
{
	static const char *const wide[] = {
	    "\xEF\xBC\x9D",
	    "\xEF\xBC\x8B",
	    "\xEF\xBC\x8D",
	    "\xEF\xBC\xA0",
	};
	size_t i = 0, w;

	while (i < len && s[i] == ' ')
		i++;
	if (i < len && strchr("=+-@\t\r", s[i]) && s[i] != '\0')
		return true;
	for (w = 0; w < sizeof(wide) / sizeof(*wide); w++)
		if (len - i >= 3 && memcmp(s + i, wide[w], 3) == 0)
			return true;
	return false;
}

void
vw_csv_field(ck_buf *out, const char *s, size_t len)
{
	bool formula = csv_formula_like(s, len);
	size_t i;

	/*
	 * Quoted also for ; and TAB: spreadsheets in a Vietnamese locale split
	 * on ; and a cell starting after one would escape the rule above.
	 */
	if (!formula && (len == 0 || strcspn(s, ",;\"\t\r\n") >= len)) {
		ck_buf_put(out, s, len);
		return;
	}
	ck_buf_putc(out, '"');
	if (formula)
		ck_buf_putc(out, '\'');
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			ck_buf_putc(out, '"');
		ck_buf_putc(out, s[i]);
	}
	ck_buf_putc(out, '"');
}

/* A scalar of the record as CSV text: names for {id, name}, "" for null. */
static void
csv_value(ck_buf *out, const ck_value *val)
{
	const char *s;
	size_t len;

	switch (ck_value_kind(val)) {
	case CK_VBOOL:
		ck_buf_puts(out, ck_value_get_bool(val) ? "true" : "false");
		return;
	case CK_VINT:
		ck_buf_printf(out, "%lld", ck_value_get_int(val));
		return;
	case CK_VMAP:
		val = ck_value_get(val, "name");
		break;
	default:
		break;
	}
	s = ck_value_get_str(val, &len);
	vw_csv_field(out, s, len);
}

/* Moves what out holds to the spool. */
static void
to_spool(ck_site_spool *sp, ck_buf *out)
{
	ck_site_spool_write(sp, out->ptr, out->size);
	ck_buf_clear(out);
}

/* Big enough that a spool's writes are few, small beside the file. */
#define DATA_CHUNK ((size_t)256 << 10)

/*
 * The questions' records are made one at a time in a scratch arena and
 * dropped once written (vw_qref): a province's were most of a build's
 * memory. sv is v with that arena.
 */
typedef struct {
	ck_views sv;
	ck_arena *scratch;
} vw_records;

static void
records_init(vw_records *rs, ck_views *v)
{
	rs->scratch = ck_arena_new();
	rs->sv = *v;
	rs->sv.a = rs->scratch;
}

/* Question r's record, valid until the next call. */
static ck_value *
record(vw_records *rs, const vw_qref *r)
{
	ck_value *j;

	ck_arena_reset(rs->scratch);
	vw_question_values(&rs->sv, r, &j, NULL);
	return j;
}

static void
csv_head(ck_buf *out)
{
	size_t c, ncol = sizeof(csv_columns) / sizeof(*csv_columns);

	ck_buf_puts(out, "\xEF\xBB\xBF");
	for (c = 0; c < ncol; c++) {
		if (c)
			ck_buf_putc(out, ',');
		ck_buf_puts(out, csv_columns[c]);
	}
	ck_buf_puts(out, "\r\n");
}

/* The CSV line of question r, whose record is j. */
static void
csv_row(ck_buf *out, const vw_qref *r, const ck_value *j)
{
	size_t c, ncol = sizeof(csv_columns) / sizeof(*csv_columns);

	for (c = 0; c < ncol; c++) {
		const char *col = csv_columns[c];

		if (c)
			ck_buf_putc(out, ',');
		if (strcmp(col, "question") == 0) {
			const char *t = r->q->question_text;

			vw_csv_field(out, t ? t : "", t ? strlen(t) : 0);
		} else if (strcmp(col, "answer") == 0) {
			const char *t = r->q->has_answer ? r->q->answer_text : NULL;

			vw_csv_field(out, t ? t : "", t ? strlen(t) : 0);
		} else {
			csv_value(out, ck_value_get(j, col));
		}
	}
	ck_buf_puts(out, "\r\n");
}

/*
 * {<head's entries>, "questions": [<records>]} exactly as ck_json_write
 * would write the whole object, a piece at a time: the start, each of the
 * n records (i-th, as ck_json_write_at(rec, record, 2) gives it), the end.
 */
static void
records_begin(ck_buf *out, const ck_value *head, size_t n)
{
	size_t i;

	ck_buf_puts(out, "{\n");
	for (i = 0; i < ck_value_len(head); i++) {
		const char *key = ck_value_key_at(head, i);

		ck_buf_puts(out, "  ");
		ck_json_put_string(out, key, strlen(key));
		ck_buf_puts(out, ": ");
		ck_json_write_at(out, ck_value_val_at(head, i), 1);
		ck_buf_puts(out, ",\n");
	}
	ck_buf_puts(out, n ? "  \"questions\": [\n" : "  \"questions\": []");
}

static void
records_item(ck_buf *out, const ck_buf *rec, size_t i, size_t n)
{
	ck_buf_puts(out, "    ");
	ck_buf_put(out, rec->ptr, rec->size);
	ck_buf_puts(out, i + 1 < n ? ",\n" : "\n  ]");
}

static void
records_end(ck_buf *out)
{
	ck_buf_puts(out, "\n}\n");
}

/*
 * questions.csv, questions.json (140 MB for a province: written out a
 * piece at a time) and data/doi-thoai/<slug>.json (one dialogue and its
 * questions, for a reader who wants one dialogue rather than a province)
 * in one pass: each question's record is made and written as JSON once,
 * for the three files. The open data's order (v->qrefs, from m->questions)
 * is the dialogues' questions in turn (model.c collect_questions).
 */
static void
write_in_one_pass(ck_views *v, vw_records *rs, ck_value *as_of)
{
	ck_buf csv = CK_BUF_INIT, all = CK_BUF_INIT, one = CK_BUF_INIT;
	ck_buf rec = CK_BUF_INIT;
	ck_site_spool *csv_sp = ck_site_spool_open(v->site, "data/questions.csv");
	ck_site_spool *all_sp =
	    ck_site_spool_open(v->site, "data/questions.json");
	ck_value *head;
	size_t i, k, n = 0;

	csv_head(&csv);
	head = ck_value_map(v->a);
	ck_value_set(head, "as_of", as_of);
	ck_value_set(head, "site", v->site_json);
	records_begin(&all, head, v->nqrefs);
	for (i = 0; i < v->m->ndialogues; i++) {
		const ck_dialogue *dl = v->m->dialogues[i];

		head = ck_value_map(v->a);
		ck_value_set(head, "as_of", as_of);
		ck_value_set(head, "dialogue", v->djson[i]);
		ck_buf_clear(&one);
		records_begin(&one, head, dl->nquestions);
		for (k = 0; k < dl->nquestions; k++, n++) {
			const vw_qref *r = &v->qrefs[n];
			ck_value *j;

			if (n >= v->nqrefs || r->q != dl->questions[k])
				errx(3, "open data: questions out of order");
			j = record(rs, r);

			csv_row(&csv, r, j);
			ck_buf_clear(&rec);
			ck_json_write_at(&rec, j, 2);
			records_item(&all, &rec, n, v->nqrefs);
			records_item(&one, &rec, k, dl->nquestions);
			if (csv.size >= DATA_CHUNK)
				to_spool(csv_sp, &csv);
			if (all.size >= DATA_CHUNK)
				to_spool(all_sp, &all);
		}
		records_end(&one);
		ck_site_add_buf(v->site,
		                ck_arena_printf(v->a, "data/doi-thoai/%s.json",
		                                dl->slug),
		                &one);
	}
	records_end(&all);
	to_spool(csv_sp, &csv);
	to_spool(all_sp, &all);
	/* A failure marks the site failed: the build stops there. */
	ck_site_spool_close(csv_sp);
	ck_site_spool_close(all_sp);
	ck_buf_free(&csv);
	ck_buf_free(&all);
	ck_buf_free(&one);
	ck_buf_free(&rec);
}

int
vw_render_data(ck_views *v)
{
	ck_buf out = CK_BUF_INIT;
	ck_value *root, *list;
	ck_value *as_of = vw_day_iso(v, v->as_of);
	vw_records rs;
	size_t i;

	root = ck_value_map(v->a);
	ck_value_set(root, "as_of", as_of);
	list = ck_value_list(v->a);
	for (i = 0; i < v->m->ndialogues; i++)
		ck_value_push(list, v->djson[i]);
	ck_value_set(root, "dialogues", list);
	ck_json_write(&out, root);
	ck_site_add_buf(v->site, "data/dialogues.json", &out);

	records_init(&rs, v);
	write_in_one_pass(v, &rs, as_of);
	ck_arena_free(rs.scratch);
	ck_buf_free(&out);
	return 0;
}
