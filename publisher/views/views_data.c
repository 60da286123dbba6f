/*
 * The open data (cli-and-output.md, "Open data"): data/questions.json,
 * data/dialogues.json and data/questions.csv, written from the very values
 * the pages are rendered from.
 */
#include <err.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
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
 * Last build's records, reused. A province's open data is two hundred
 * megabytes of JSON and CSV made from a hundred thousand records, most of
 * them the same from one build to the next. A memo kept with the sink's
 * own record of the run (ck_site_memo_read, "records") lists, for
 * questions.json and questions.csv as they were written then (their
 * hashes), each question's record fingerprint (vw_keep_record_fp) and the
 * byte ranges of its JSON record and CSV line. When the sink still holds
 * both files as written then (ck_site_earlier, same hashes), a record
 * whose fingerprint is the memo's is copied from them instead of made.
 * CONGKHAI_CHECK_KEEP makes it anyway and stops the program if the bytes
 * differ.
 */
#define RECORDS_MAGIC "congkhai records 1\n"

typedef struct {
	const char *gid; /* in the memo's bytes, not NUL-terminated */
	uint32_t gid_len;
	uint32_t json_len, csv_len;
	uint64_t json_off, csv_off;
	uint64_t fp[2];
} old_record;

/* A file of last build's, read a window at a time (they come in order). */
typedef struct {
	int fd; /* or -1 */
	uint64_t size;
	ck_buf win;
	uint64_t win_off;
} old_file;

#define OLD_WINDOW ((size_t)1 << 20)

typedef struct {
	bool reuse; /* records may be reused and remembered */
	bool check; /* CONGKHAI_CHECK_KEEP */
	ck_buf memo;
	old_record *old; /* by gid */
	size_t nold;
	old_file json, csv;
	/* The next memo: entries so far, and each file's hash and length. */
	ck_buf next;
	size_t nnext;
	ck_hash128_state json_h, csv_h;
	uint64_t json_len, csv_len;
	size_t reused;
} vw_reuse;

static int
cmp_old(const void *a, const void *b)
{
	const old_record *x = a, *y = b;
	int c = memcmp(x->gid, y->gid,
	               x->gid_len < y->gid_len ? x->gid_len : y->gid_len);

	return c ? c : (x->gid_len > y->gid_len) - (x->gid_len < y->gid_len);
}

/* Takes n bytes at *p (before end) into out; false past end. */
static bool
take(void *out, size_t n, const char **p, const char *end)
{
	if ((size_t)(end - *p) < n)
		return false;
	memcpy(out, *p, n);
	*p += n;
	return true;
}

/* Opens the earlier file at path if its hash is want's. */
static void
old_open(old_file *f, ck_site *site, const char *path, const uint64_t want[2])
{
	uint64_t h[2];
	struct stat st;

	f->fd = ck_site_earlier(site, path, h);
	if (f->fd >= 0 &&
	    (h[0] != want[0] || h[1] != want[1] || fstat(f->fd, &st) != 0)) {
		close(f->fd);
		f->fd = -1;
	}
	if (f->fd >= 0)
		f->size = (uint64_t)st.st_size;
}

/*
 * Reads the memo and opens the files it describes; without either, no
 * record is reused (all are made, as on a first build).
 */
static void
reuse_begin(vw_reuse *ru, ck_views *v)
{
	const char *p, *end;
	uint64_t hashes[4], sum[2], n, i;
	old_record *r;

	memset(ru, 0, sizeof(*ru));
	ru->json.fd = ru->csv.fd = -1;
	ck_hash128_init(&ru->json_h);
	ck_hash128_init(&ru->csv_h);
	ru->reuse = v->keep;
	ru->check = getenv("CONGKHAI_CHECK_KEEP") != NULL;
	if (!ru->reuse || ck_site_memo_read(v->site, "records", &ru->memo) != 0)
		return;
	/* magic, 4 hashes' words, n, entries, then the hash of all that. */
	p = ru->memo.ptr;
	end = p + ru->memo.size;
	if (ru->memo.size < strlen(RECORDS_MAGIC) + 16 ||
	    memcmp(p, RECORDS_MAGIC, strlen(RECORDS_MAGIC)) != 0)
		return;
	end -= 16;
	ck_hash128(sum, ru->memo.ptr, (size_t)(end - ru->memo.ptr));
	if (memcmp(sum, end, 16) != 0)
		return;
	p += strlen(RECORDS_MAGIC);
	if (!take(hashes, sizeof(hashes), &p, end) ||
	    !take(&n, sizeof(n), &p, end) || n > (uint64_t)(end - p))
		return;
	ru->old = calloc(n ? n : 1, sizeof(*ru->old));
	if (ru->old == NULL)
		err(3, "calloc");
	for (i = 0; i < n; i++) {
		r = &ru->old[i];
		if (!take(r->fp, sizeof(r->fp), &p, end) ||
		    !take(&r->json_off, 8, &p, end) ||
		    !take(&r->csv_off, 8, &p, end) ||
		    !take(&r->json_len, 4, &p, end) ||
		    !take(&r->csv_len, 4, &p, end) ||
		    !take(&r->gid_len, 4, &p, end) ||
		    (size_t)(end - p) < r->gid_len)
			return; /* nold stays 0: nothing reused */
		r->gid = p;
		p += r->gid_len;
	}
	if (p != end)
		return;
	qsort(ru->old, n, sizeof(*ru->old), cmp_old);
	old_open(&ru->json, v->site, "data/questions.json", hashes);
	old_open(&ru->csv, v->site, "data/questions.csv", hashes + 2);
	if (ru->json.fd >= 0 && ru->csv.fd >= 0)
		ru->nold = (size_t)n;
}

/* Appends len bytes of f at off to out; false when they cannot be read. */
static bool
old_read(ck_buf *out, old_file *f, uint64_t off, uint32_t len)
{
	size_t want;
	ssize_t got;

	if (off > f->size || len > f->size - off)
		return false;
	if (len == 0)
		return true;
	if (off < f->win_off || off + len > f->win_off + f->win.size) {
		want = len > OLD_WINDOW ? len : OLD_WINDOW;
		if (want > f->size - off)
			want = (size_t)(f->size - off);
		ck_buf_clear(&f->win);
		ck_buf_grow(&f->win, want);
		do
			got = pread(f->fd, f->win.ptr, want, (off_t)off);
		while (got < 0 && errno == EINTR);
		if (got < (ssize_t)len)
			return false;
		f->win.size = (size_t)got;
		f->win.ptr[f->win.size] = '\0'; /* as a ck_buf always is */
		f->win_off = off;
	}
	ck_buf_put(out, f->win.ptr + (off - f->win_off), len);
	return true;
}

/*
 * Question r's JSON record and CSV line (fp its record fingerprint) from
 * last build's files into rec and line, when the memo has them made from
 * fp; false otherwise (make them).
 */
static bool
reuse_get(vw_reuse *ru, const vw_qref *r, const uint64_t fp[2], ck_buf *rec,
          ck_buf *line)
{
	old_record key, *o;

	if (ru->nold == 0)
		return false;
	key.gid = r->q->gid;
	key.gid_len = (uint32_t)strlen(r->q->gid);
	o = bsearch(&key, ru->old, ru->nold, sizeof(key), cmp_old);
	if (o == NULL || o->fp[0] != fp[0] || o->fp[1] != fp[1])
		return false;
	if (!old_read(rec, &ru->json, o->json_off, o->json_len) ||
	    !old_read(line, &ru->csv, o->csv_off, o->csv_len)) {
		ck_buf_clear(rec);
		ck_buf_clear(line);
		return false;
	}
	ru->reused++;
	return true;
}

/* Remembers where question r's record and line went, for the next memo. */
static void
reuse_note(vw_reuse *ru, const vw_qref *r, const uint64_t fp[2],
           uint64_t json_off, uint32_t json_len, uint64_t csv_off,
           uint32_t csv_len)
{
	uint32_t gid_len = (uint32_t)strlen(r->q->gid);

	if (!ru->reuse)
		return;
	ck_buf_put(&ru->next, fp, 16);
	ck_buf_put(&ru->next, &json_off, 8);
	ck_buf_put(&ru->next, &csv_off, 8);
	ck_buf_put(&ru->next, &json_len, 4);
	ck_buf_put(&ru->next, &csv_len, 4);
	ck_buf_put(&ru->next, &gid_len, 4);
	ck_buf_put(&ru->next, r->q->gid, gid_len);
	ru->nnext++;
}

/* Bytes going to one of the two files: counted and hashed for the memo. */
static void
reuse_wrote(ck_hash128_state *h, uint64_t *len, const ck_buf *b)
{
	ck_hash128_update(h, b->ptr, b->size);
	*len += b->size;
}

/* Writes the next memo (the files' hashes, the entries) and frees all. */
static void
reuse_end(vw_reuse *ru, ck_views *v)
{
	ck_buf memo = CK_BUF_INIT;
	uint64_t h[4], sum[2], n = ru->nnext;

	if (ru->reuse) {
		ck_hash128_final(&ru->json_h, h);
		ck_hash128_final(&ru->csv_h, h + 2);
		ck_buf_puts(&memo, RECORDS_MAGIC);
		ck_buf_put(&memo, h, sizeof(h));
		ck_buf_put(&memo, &n, sizeof(n));
		ck_buf_put(&memo, ru->next.ptr, ru->next.size);
		ck_hash128(sum, memo.ptr, memo.size);
		ck_buf_put(&memo, sum, sizeof(sum));
		/* A hint: one not kept costs the next build the making. */
		(void)ck_site_memo_write(v->site, "records", memo.ptr,
		                         memo.size);
	}
	if (ru->json.fd >= 0)
		close(ru->json.fd);
	if (ru->csv.fd >= 0)
		close(ru->csv.fd);
	ck_buf_free(&ru->json.win);
	ck_buf_free(&ru->csv.win);
	ck_buf_free(&ru->memo);
	ck_buf_free(&ru->next);
	ck_buf_free(&memo);
	free(ru->old);
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

/* Appends out to a file's spool, counted and hashed in ru, and empties it. */
static void
spool_out(ck_site_spool *sp, ck_buf *out, ck_hash128_state *h, uint64_t *len)
{
	reuse_wrote(h, len, out);
	to_spool(sp, out);
}

/*
 * Question r's JSON record (as ck_json_write_at(rec, record, 2) gives it)
 * into rec and its CSV line into line: last build's when made from the
 * same inputs (vw_reuse), else made.
 */
static void
make_record(vw_records *rs, vw_reuse *ru, const vw_qref *r,
            const uint64_t fp[2], ck_buf *rec, ck_buf *line)
{
	ck_buf made = CK_BUF_INIT, made_line = CK_BUF_INIT;
	ck_value *j;

	ck_buf_clear(rec);
	ck_buf_clear(line);
	if (reuse_get(ru, r, fp, rec, line)) {
		if (!ru->check)
			return;
		j = record(rs, r);
		ck_json_write_at(&made, j, 2);
		csv_row(&made_line, r, j);
		if (!ck_buf_equal(&made, rec) ||
		    !ck_buf_equal(&made_line, line))
			errx(3,
			     "internal error: data/questions.json: %s: record "
			     "made from the same fingerprint as before, but "
			     "other bytes",
			     r->q->gid);
		ck_buf_free(&made);
		ck_buf_free(&made_line);
		return;
	}
	j = record(rs, r);
	ck_json_write_at(rec, j, 2);
	csv_row(line, r, j);
}

/*
 * The fingerprint of data/doi-thoai/<slug>.json for dialogue i: the
 * program's, its dialogue's record, the day, and its questions' records'
 * fingerprints (fps, in order). A province's 2,000 such files are 140 MB:
 * kept, they are neither assembled nor hashed.
 */
static void
dialogue_data_fp(ck_views *v, size_t i, const uint64_t (*fps)[2], size_t n,
                 uint64_t out[2])
{
	ck_hash128_state st;
	uint64_t dj[2];
	long long as_of = v->as_of;

	ck_value_fingerprint(dj, v->djson[i]);
	ck_hash128_init(&st);
	ck_hash128_update(&st, "congkhai dialogue data 1\n", 25);
	ck_hash128_update(&st, v->keep_base, sizeof(v->keep_base));
	ck_hash128_update(&st, dj, sizeof(dj));
	ck_hash128_update(&st, &as_of, sizeof(as_of));
	if (n > 0) /* a dialogue without questions yet: fps NULL */
		ck_hash128_update(&st, fps, n * sizeof(*fps));
	ck_hash128_final(&st, out);
}

/*
 * questions.csv, questions.json (140 MB for a province: written out a
 * piece at a time) and data/doi-thoai/<slug>.json (one dialogue and its
 * questions, for a reader who wants one dialogue rather than a province)
 * in one pass: each question's record is made (or reused) and written as
 * JSON once, for the three files. The open data's order (v->qrefs, from
 * m->questions) is the dialogues' questions in turn (model.c
 * collect_questions).
 */
static void
write_in_one_pass(ck_views *v, vw_records *rs, ck_value *as_of)
{
	ck_buf csv = CK_BUF_INIT, all = CK_BUF_INIT, one = CK_BUF_INIT;
	ck_buf rec = CK_BUF_INIT, line = CK_BUF_INIT;
	ck_site_spool *csv_sp = ck_site_spool_open(v->site, "data/questions.csv");
	ck_site_spool *all_sp =
	    ck_site_spool_open(v->site, "data/questions.json");
	ck_value *head;
	vw_reuse ru;
	uint64_t fp[2] = {0, 0}, json_off, csv_off, dfp[2];
	uint64_t(*fps)[2] = NULL;
	size_t i, k, n = 0, fps_cap = 0;
	const char *path;
	bool kept;

	reuse_begin(&ru, v);
	csv_head(&csv);
	head = ck_value_map(v->a);
	ck_value_set(head, "as_of", as_of);
	ck_value_set(head, "site", v->site_json);
	records_begin(&all, head, v->nqrefs);
	for (i = 0; i < v->m->ndialogues; i++) {
		const ck_dialogue *dl = v->m->dialogues[i];

		path =
		    ck_arena_printf(v->a, "data/doi-thoai/%s.json", dl->slug);
		kept = false;
		if (v->keep) {
			/* Its records' fingerprints first: the dialogue's
			 * file may be kept whole. */
			if (dl->nquestions > fps_cap) {
				fps_cap = dl->nquestions * 2;
				fps = realloc(fps, fps_cap * sizeof(*fps));
				if (fps == NULL)
					err(3, "realloc");
			}
			for (k = 0; k < dl->nquestions; k++) {
				if (n + k >= v->nqrefs ||
				    v->qrefs[n + k].q != dl->questions[k])
					errx(3, "open data: questions out of "
					        "order");
				vw_keep_record_fp(v, &v->qrefs[n + k], fps[k]);
			}
			dialogue_data_fp(v, i, (const uint64_t(*)[2])fps,
			                 dl->nquestions, dfp);
			/* CONGKHAI_CHECK_KEEP: made anyway, and the sink
			 * checks it against the bytes made last time. */
			kept =
			    !ru.check && ck_site_keep(v->site, path, dfp) == 1;
		}
		head = ck_value_map(v->a);
		ck_value_set(head, "as_of", as_of);
		ck_value_set(head, "dialogue", v->djson[i]);
		ck_buf_clear(&one);
		if (!kept)
			records_begin(&one, head, dl->nquestions);
		for (k = 0; k < dl->nquestions; k++, n++) {
			const vw_qref *r = &v->qrefs[n];

			if (n >= v->nqrefs || r->q != dl->questions[k])
				errx(3, "open data: questions out of order");
			if (v->keep) { /* ru.reuse: made above */
				fp[0] = fps[k][0];
				fp[1] = fps[k][1];
			}
			make_record(rs, &ru, r, fp, &rec, &line);
			/* Where they go: after what is spooled and held. */
			csv_off = ru.csv_len + csv.size;
			json_off = ru.json_len + all.size + 4; /* "    " */
			reuse_note(&ru, r, fp, json_off, (uint32_t)rec.size,
			           csv_off, (uint32_t)line.size);
			ck_buf_put(&csv, line.ptr, line.size);
			records_item(&all, &rec, n, v->nqrefs);
			if (!kept)
				records_item(&one, &rec, k, dl->nquestions);
			if (csv.size >= DATA_CHUNK)
				spool_out(csv_sp, &csv, &ru.csv_h, &ru.csv_len);
			if (all.size >= DATA_CHUNK)
				spool_out(all_sp, &all, &ru.json_h,
				          &ru.json_len);
		}
		if (kept)
			continue;
		records_end(&one);
		if (v->keep)
			ck_site_add_made(v->site, path, one.ptr, one.size, dfp);
		else
			ck_site_add(v->site, path, one.ptr, one.size);
		ck_buf_clear(&one);
	}
	free(fps);
	records_end(&all);
	spool_out(csv_sp, &csv, &ru.csv_h, &ru.csv_len);
	spool_out(all_sp, &all, &ru.json_h, &ru.json_len);
	/* A failure marks the site failed: the build stops there. */
	ck_site_spool_close(csv_sp);
	ck_site_spool_close(all_sp);
	if (getenv("CONGKHAI_BUILD_STATS") != NULL && ru.reuse)
		fprintf(stderr,
		        "congkhai open data: %zu of %zu records "
		        "reused\n",
		        ru.reused, v->nqrefs);
	reuse_end(&ru, v);
	ck_buf_free(&csv);
	ck_buf_free(&all);
	ck_buf_free(&one);
	ck_buf_free(&rec);
	ck_buf_free(&line);
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
