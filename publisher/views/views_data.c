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
write_csv(ck_views *v, vw_records *rs)
{
	ck_buf out = CK_BUF_INIT;
	ck_site_spool *sp = ck_site_spool_open(v->site, "data/questions.csv");
	size_t i, c, ncol = sizeof(csv_columns) / sizeof(*csv_columns);

	ck_buf_puts(&out, "\xEF\xBB\xBF");
	for (c = 0; c < ncol; c++) {
		if (c)
			ck_buf_putc(&out, ',');
		ck_buf_puts(&out, csv_columns[c]);
	}
	ck_buf_puts(&out, "\r\n");
	for (i = 0; i < v->nqrefs; i++) {
		const vw_qref *r = &v->qrefs[i];
		ck_value *j = record(rs, r);

		for (c = 0; c < ncol; c++) {
			const char *col = csv_columns[c];

			if (c)
				ck_buf_putc(&out, ',');
			if (strcmp(col, "question") == 0) {
				const char *t = r->q->question_text;

				vw_csv_field(&out, t ? t : "",
				             t ? strlen(t) : 0);
			} else if (strcmp(col, "answer") == 0) {
				const char *t =
				    r->q->has_answer ? r->q->answer_text : NULL;

				vw_csv_field(&out, t ? t : "",
				             t ? strlen(t) : 0);
			} else {
				csv_value(&out, ck_value_get(j, col));
			}
		}
		ck_buf_puts(&out, "\r\n");
		if (out.size >= DATA_CHUNK)
			to_spool(sp, &out);
	}
	to_spool(sp, &out);
	ck_buf_free(&out);
	/* A failure marks the site failed: the build stops there. */
	ck_site_spool_close(sp);
}

/*
 * Writes {<head's entries>, "questions": [<the records of refs>]} exactly
 * as ck_json_write would write the whole object, into sp a piece at a
 * time, or (sp NULL) into out.
 */
static void
write_records(vw_records *rs, ck_buf *out, const ck_value *head,
              const vw_qref *const *refs, size_t n, ck_site_spool *sp)
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
	for (i = 0; i < n; i++) {
		ck_buf_puts(out, "    ");
		ck_json_write_at(out, record(rs, refs[i]), 2);
		ck_buf_puts(out, i + 1 < n ? ",\n" : "\n  ]");
		if (sp && out->size >= DATA_CHUNK)
			to_spool(sp, out);
	}
	ck_buf_puts(out, "\n}\n");
	if (sp)
		to_spool(sp, out);
}

int
vw_render_data(ck_views *v)
{
	ck_buf out = CK_BUF_INIT;
	ck_value *root, *list;
	ck_value *as_of = vw_day_iso(v, v->as_of);
	const vw_qref **refs;
	vw_records rs;
	ck_site_spool *sp;
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
	write_csv(v, &rs);

	/* 140 MB for a province: written out a piece at a time. */
	root = ck_value_map(v->a);
	ck_value_set(root, "as_of", as_of);
	ck_value_set(root, "site", v->site_json);
	refs = malloc((v->nqrefs + 1) * sizeof(*refs));
	if (refs == NULL)
		err(3, "malloc");
	for (i = 0; i < v->nqrefs; i++)
		refs[i] = &v->qrefs[i];
	sp = ck_site_spool_open(v->site, "data/questions.json");
	write_records(&rs, &out, root, refs, v->nqrefs, sp);
	ck_site_spool_close(sp);

	/*
	 * data/doi-thoai/<slug>.json: one dialogue and its questions, as
	 * dialogues.json and questions.json give them, for a reader who wants
	 * one dialogue rather than a province's 140 MB.
	 */
	for (i = 0; i < v->m->ndialogues; i++) {
		const ck_dialogue *dl = v->m->dialogues[i];
		size_t k;

		for (k = 0; k < dl->nquestions; k++)
			refs[k] = vw_qref_find(v, dl->questions[k]);
		root = ck_value_map(v->a);
		ck_value_set(root, "as_of", as_of);
		ck_value_set(root, "dialogue", v->djson[i]);
		write_records(&rs, &out, root, refs, dl->nquestions, NULL);
		ck_site_add_buf(v->site,
		                ck_arena_printf(v->a, "data/doi-thoai/%s.json",
		                                dl->slug),
		                &out);
	}
	free(refs);
	ck_arena_free(rs.scratch);
	ck_buf_free(&out);
	return 0;
}
