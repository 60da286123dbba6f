/*
 * The static search (tim-kiem/): an index of the published words of every
 * question, answer, dialogue and free page, read by the theme's script in
 * the citizen's browser. Nothing is sent anywhere: the page loads the few
 * index files a query needs and matches there.
 *
 * Like Pagefind, the index is cut so a phone loads only what a query needs:
 *
 *   tim-kiem/meta.js     the table of contents: the first word of every
 *                        word chunk, the document chunks, the filter values
 *   tim-kiem/w/<w>.js    a word chunk, named by its first word: folded word
 *                        -> documents (ascending ids, delta-coded)
 *   tim-kiem/d/<n>.js    document chunk n: VW_DOCS_CHUNK documents' kind,
 *                        reference, title, path, excerpt and (questions)
 *                        status
 *   tim-kiem/f.js        the filters: each document's hamlet, topic and
 *                        status, loaded only when a filter is chosen
 *
 * Each file is a script calling ckSearchLoaded(name, data), since a page
 * opened from disk (file://) may load scripts but not fetch() files.
 *
 * A new question should change few files, so that a publish commits (and
 * its message lists) little besides the question's own pages: documents
 * are numbered in the model's order (pages, then each dialogue, oldest
 * first, followed by its questions), so new ones come last; a word chunk
 * ends after a word chosen by the word's own hash (content-defined, as
 * rsync cuts), so a new word moves no boundary but its own chunk's. meta.js
 * gives a hash of each file's data, which the script appends to the
 * address (?v=) so that no cache serves a chunk of an older build.
 *
 * Only what the pages publish goes in: never a private block (the model
 * does not keep one), and the same excerpts the lists show. Words are
 * folded as the script folds what is typed (vw_search_fold): "dat dai"
 * finds "đất đai".
 */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <utf8proc.h>

#include "hash.h"
#include "json.h"
#include "markdown.h"
#include "strsort.h"
#include "views_int.h"

/* Documents per document chunk: ~40 KB, one or two for a commune. */
#define VW_DOCS_CHUNK 200
/*
 * A word chunk ends after a word whose hash is 0 modulo VW_WORDS_CUT once it
 * has VW_WORDS_MIN bytes (about 20 KB on average), or at VW_WORDS_MAX.
 */
#define VW_WORDS_MIN 8000
#define VW_WORDS_CUT 512
#define VW_WORDS_MAX 65536
/* Longer "words" (addresses, long numbers) are not worth a lookup. */
#define VW_WORD_MAX 48
/* The excerpt shown under a result. */
#define VW_EXCERPT 180

/* utf8proc's fold of s (see vw_search_fold), or -1 when s is not UTF-8. */
static long
fold_slow(ck_buf *out, const char *s, size_t len)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t n;
	size_t i;

	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
	                 &dst,
	                 UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
	                     UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
	if (n < 0)
		return -1;
	/* đ (U+0111; Đ folds to it) has no decomposition: it is a d. */
	for (i = 0; i < (size_t)n; i++) {
		if (dst[i] == 0xC4 && i + 1 < (size_t)n && dst[i + 1] == 0x91) {
			ck_buf_putc(out, 'd');
			i++;
		} else {
			ck_buf_putc(out, dst[i]);
		}
	}
	free(dst);
	return n;
}

/*
 * The fold of each code point below FOLD_TABLE, made once by fold_slow:
 * no composition is asked for and every code point with a combining class
 * is a mark, which folding drops, so a text folds code point by code point
 * (t_search holds this for every code point and on mixed text). Vietnamese
 * (up to U+1EF9) is all in the table.
 */
#define FOLD_TABLE 0x3000
#define FOLD_MAX 15
static struct {
	unsigned char len;
	char bytes[FOLD_MAX];
} fold_table[FOLD_TABLE];
/*
 * What each code point below FOLD_TABLE is to the words once folded, so
 * that words are cut from the text as it is read (vw_search_words):
 * dropped (a mark: the letters either side stay one word), all of its
 * fold letters or digits, none of it, or some (those texts go the slow
 * way).
 */
enum { FOLD_DROPPED, FOLD_WORD, FOLD_SPACE, FOLD_MIXED };
static unsigned char fold_kind[FOLD_TABLE];
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static bool word_char(utf8proc_int32_t c);

/* fold_kind of the folded bytes s (len of them). */
static unsigned char
kind_of(const char *s, size_t len)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	size_t i = 0, words = 0, others = 0;
	utf8proc_int32_t c;
	utf8proc_ssize_t k;

	if (len == 0)
		return FOLD_DROPPED;
	while (i < len) {
		k = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &c);
		if (k < 1)
			return FOLD_MIXED;
		if (word_char(c))
			words++;
		else
			others++;
		i += (size_t)k;
	}
	return others == 0 ? FOLD_WORD : words == 0 ? FOLD_SPACE : FOLD_MIXED;
}

static void
fold_table_make(void)
{
	ck_buf b = CK_BUF_INIT;
	utf8proc_uint8_t enc[4];
	utf8proc_int32_t c;
	utf8proc_ssize_t n;

	for (c = 0; c < FOLD_TABLE; c++) {
		ck_buf_clear(&b);
		n = utf8proc_encode_char(c, enc);
		/* Surrogates are not UTF-8: the slow way refuses them. */
		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		if (fold_slow(&b, (const char *)enc, (size_t)n) < 0 ||
		    b.size > FOLD_MAX)
			errx(3, "utf8proc folds U+%04X unexpectedly", (unsigned)c);
		memcpy(fold_table[c].bytes, b.ptr, b.size);
		fold_table[c].len = (unsigned char)b.size;
		fold_kind[c] = kind_of(b.ptr, b.size);
	}
	ck_buf_free(&b);
}

void
vw_search_fold(ck_buf *out, const char *s, size_t len)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	size_t base = out->size, i = 0;
	utf8proc_int32_t c;
	utf8proc_ssize_t k;

	pthread_once(&fold_once, fold_table_make);
	while (i < len) {
		if (u[i] < 0x80) {
			/* ASCII folds to lower case, alone. */
			ck_buf_putc(out, (char)(u[i] >= 'A' && u[i] <= 'Z'
			                            ? u[i] + ('a' - 'A')
			                            : u[i]));
			i++;
			continue;
		}
		k = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &c);
		if (k < 1 || c < 0)
			goto not_utf8;
		if (c < FOLD_TABLE)
			ck_buf_put(out, fold_table[c].bytes, fold_table[c].len);
		else if (fold_slow(out, s + i, (size_t)k) < 0)
			goto not_utf8;
		i += (size_t)k;
	}
	return;
not_utf8:
	/* Not valid UTF-8 (the model's text always is): as it is. */
	ck_buf_truncate(out, base);
	ck_buf_put(out, s, len);
}

/* Whether code point c is part of a word: a letter or a digit. */
static bool
word_char(utf8proc_int32_t c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		       (c >= '0' && c <= '9');
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return true;
	default:
		return false;
	}
}

#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u

uint32_t
vw_search_hash(const char *s, size_t len)
{
	uint32_t h = FNV_BASIS;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= FNV_PRIME;
	}
	return h;
}

/* vw_search_words_folded, the first skip words left out. */
static void
cut_folded(const char *s, vw_word_fn fn, void *arg, size_t skip)
{
	ck_buf fold = CK_BUF_INIT;
	const utf8proc_uint8_t *p;
	size_t i, start = 0, n;
	bool in = false;

	if (s == NULL || *s == '\0')
		return;
	vw_search_fold(&fold, s, strlen(s));
	p = (const utf8proc_uint8_t *)fold.ptr;
	n = fold.size;
	for (i = 0; i <= n;) {
		utf8proc_int32_t c = -1;
		utf8proc_ssize_t k = 1;

		if (i < n && p[i] < 0x80) {
			c = p[i]; /* folded text is mostly ASCII */
		} else if (i < n) {
			k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i),
			                     &c);
			if (k < 1)
				k = 1;
		}
		if (i < n && c >= 0 && word_char(c)) {
			if (!in)
				start = i;
			in = true;
		} else if (in) {
			if (i - start <= VW_WORD_MAX && skip > 0)
				skip--;
			else if (i - start <= VW_WORD_MAX)
				fn(arg, fold.ptr + start, i - start,
				   vw_search_hash(fold.ptr + start, i - start));
			in = false;
		}
		if (i == n)
			break;
		i += (size_t)k;
	}
	ck_buf_free(&fold);
}

void
vw_search_words_folded(const char *s, vw_word_fn fn, void *arg)
{
	cut_folded(s, fn, arg, 0);
}

/*
 * Cut as the text is read, each code point folded by the table and its
 * kind saying whether it goes on, ends or is left out of the word, the
 * word's hash made on the way. A text the table cannot say all of (a
 * code point past the table or of mixed fold) goes on the slow way, from
 * its start, past the words already given: up to there the two ways cut
 * alike. (A text that is not UTF-8 folds, the slow way, to itself: its
 * words before the first bad byte come folded. The model holds none.)
 */
void
vw_search_words(const char *s, vw_word_fn fn, void *arg)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	char word[VW_WORD_MAX + FOLD_MAX];
	size_t len = 0, i = 0, k, fl, given = 0;
	uint32_t h = FNV_BASIS;
	utf8proc_int32_t c;
	utf8proc_ssize_t n;
	const char *fb;

	if (s == NULL || *s == '\0')
		return;
	pthread_once(&fold_once, fold_table_make);
	for (;;) {
		if (u[i] < 0x80) {
			c = u[i];
			n = 1;
		} else {
			n = utf8proc_iterate(u + i, 4, &c);
			if (n < 1 || c >= FOLD_TABLE)
				goto slow;
		}
		if (c == 0 || fold_kind[c] == FOLD_SPACE) {
			if (len > 0 && len <= VW_WORD_MAX) {
				fn(arg, word, len, h);
				given++;
			}
			len = 0;
			h = FNV_BASIS;
			if (c == 0)
				return;
		} else if (fold_kind[c] == FOLD_WORD) {
			fb = fold_table[c].bytes;
			fl = fold_table[c].len;
			for (k = 0; k < fl; k++) {
				h ^= (unsigned char)fb[k];
				h *= FNV_PRIME;
			}
			if (len + fl <= VW_WORD_MAX)
				memcpy(word + len, fb, fl);
			len += fl;
		} else if (fold_kind[c] == FOLD_MIXED) {
			goto slow;
		}
		i += (size_t)n;
	}
slow:
	cut_folded(s, fn, arg, given);
}

/*
 * A word and the documents it is in, ascending, as the gaps between them
 * (the first from 0), each a LEB128 number: one or two bytes instead of
 * four, since a province's lists were most of the index's memory, and
 * the gaps are what the chunks hold.
 */
typedef struct {
	const char *word;
	unsigned char *gaps;
	uint32_t len, cap; /* bytes */
	uint32_t last;     /* the last document, when len > 0 */
	uint32_t hash;     /* hash_str of word: most probes end on it */
} vw_word;

typedef struct {
	char kind; /* 'q'uestion, 'd'ialogue, 'p'age */
	const char *ref, *title, *path;
	ck_value *excerpt;
	int hamlet, topic, status; /* -1: none */
} vw_doc;

typedef struct {
	ck_views *v;
	ck_arena *a;
	/*
	 * The strings of the documents not yet written: a chunk of documents
	 * is written as soon as it is full and its strings dropped (a
	 * province's were a third of the index's memory).
	 */
	ck_arena *doc_a;
	vw_doc *docs; /* the chunk being made (from number written on) */
	int32_t (*filters)[3]; /* each document's hamlet, topic, status */
	size_t ndocs;
	size_t written;     /* documents before this one are in chunks */
	ck_buf docs_meta;   /* meta's "docs" entries so far */
	vw_word *slots; /* open addressing */
	size_t cap, nwords;
	ck_buf fold, scratch;
	/*
	 * Document chunks kept (see keep_chunks): kept[c] says chunk c's
	 * file is there as last made, its hash (for meta.js) in kept_hash[c];
	 * chunk_fp[c] is what it is made from, and memo the next run's.
	 */
	bool *kept;
	uint32_t *kept_hash;
	uint64_t (*chunk_fp)[2];
	size_t nchunks, planned;
	ck_buf memo;
	bool check;
} vw_index;

static void
grow_table(vw_index *x)
{
	size_t ncap = x->cap ? x->cap * 2 : 4096, i, j;
	vw_word *ns = calloc(ncap, sizeof(*ns));

	if (ns == NULL)
		err(3, "calloc");
	for (i = 0; i < x->cap; i++) {
		if (x->slots[i].word == NULL)
			continue;
		j = x->slots[i].hash & (ncap - 1);
		while (ns[j].word)
			j = (j + 1) & (ncap - 1);
		ns[j] = x->slots[i];
	}
	free(x->slots);
	x->slots = ns;
	x->cap = ncap;
}

/* Records that document doc has the (folded) word w, of hash h. */
static void
add_word(vw_index *x, const char *w, size_t len, uint32_t h, uint32_t doc)
{
	size_t i;
	uint32_t gap;
	vw_word *e;

	if (len == 0 || len > VW_WORD_MAX)
		return;
	if ((x->nwords + 1) * 2 > x->cap)
		grow_table(x);
	i = h & (x->cap - 1);
	while ((e = &x->slots[i])->word &&
	       (e->hash != h || strncmp(e->word, w, len) != 0 ||
	        e->word[len] != '\0'))
		i = (i + 1) & (x->cap - 1);
	if (e->word == NULL) {
		e->word = ck_arena_strndup(x->a, w, len);
		e->hash = h;
		x->nwords++;
	}
	if (e->len && e->last == doc)
		return;
	gap = e->len ? doc - e->last : doc;
	if (e->cap - e->len < 5) { /* a uint32_t takes at most 5 */
		e->cap = e->cap ? e->cap * 2 : 8;
		e->gaps = realloc(e->gaps, e->cap);
		if (e->gaps == NULL)
			err(3, "realloc");
	}
	for (; gap >= 0x80; gap >>= 7)
		e->gaps[e->len++] = (unsigned char)(gap | 0x80);
	e->gaps[e->len++] = (unsigned char)gap;
	e->last = doc;
}

/* The document the words go to (vw_search_words' arg). */
typedef struct {
	vw_index *x;
	uint32_t doc;
} word_sink;

static void
take_word(void *arg, const char *w, size_t len, uint32_t hash)
{
	word_sink *to = arg;

	add_word(to->x, w, len, hash, to->doc);
}

/* Adds every word of s (folded) to document doc. */
static void
add_text(vw_index *x, const char *s, uint32_t doc)
{
	word_sink to = {x, doc};

	vw_search_words(s, take_word, &to);
}

/* Adds s as one word (a reference "dt2025-001", a code "tcdt10.2026"). */
static void
add_whole(vw_index *x, const char *s, uint32_t doc)
{
	if (s == NULL)
		return;
	ck_buf_clear(&x->fold);
	vw_search_fold(&x->fold, s, strlen(s));
	add_word(x, x->fold.ptr, x->fold.size,
	         vw_search_hash(x->fold.ptr, x->fold.size), doc);
}

static void flush_docs(vw_index *x);

/* A new document of kind, numbered *id, in the chunk being made. */
static vw_doc *
new_doc(vw_index *x, char kind, uint32_t *id)
{
	vw_doc *d;

	if (x->ndocs - x->written == VW_DOCS_CHUNK)
		flush_docs(x);
	d = &x->docs[x->ndocs - x->written];
	*id = (uint32_t)x->ndocs++;

	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->hamlet = d->topic = d->status = -1;
	return d;
}

static int
index_of(const ck_named *list, size_t n, const ck_named *x)
{
	uintptr_t at = (uintptr_t)x, lo = (uintptr_t)list;
	size_t i;

	if (x == NULL)
		return -1;
	/* The model's references point into its lists: no names compared. */
	if (at >= lo && at < lo + n * sizeof(*list) &&
	    (at - lo) % sizeof(*list) == 0)
		return (int)((at - lo) / sizeof(*list));
	for (i = 0; i < n; i++)
		if (list + i == x || strcmp(list[i].id, x->id) == 0)
			return (int)i;
	return -1;
}

/* Whether document id's chunk is kept: its strings are not made. */
static bool
chunk_kept(const vw_index *x, uint32_t id)
{
	size_t c = id / VW_DOCS_CHUNK;

	return x->kept != NULL && c < x->nchunks && x->kept[c];
}

#define SEARCH_MEMO_MAGIC "congkhai search docs 1\n"

static void
fp_text(ck_hash128_state *st, const char *s)
{
	uint64_t len = s ? strlen(s) : UINT64_MAX;

	ck_hash128_update(st, &len, sizeof(len));
	if (s != NULL)
		ck_hash128_update(st, s, (size_t)len);
}

/*
 * The fingerprints of the documents, in the order collect() makes them,
 * into fps (room for every one); their number. A question's is its
 * record's (what its row, page and record are made from: ref, title,
 * path, excerpt and status follow from it); a dialogue's and a page's,
 * a few thousand, are those of the fields collect() reads.
 */
static size_t
doc_fps(vw_index *x, uint64_t (*fps)[2])
{
	ck_views *v = x->v;
	const ck_model *m = v->m;
	ck_hash128_state st;
	uint64_t rfp[2];
	size_t i, k, n = 0;

	for (i = 0; i < m->npages; i++) {
		const ck_page *p = m->pages[i];

		ck_hash128_init(&st);
		ck_hash128_update(&st, "p", 1);
		fp_text(&st, p->title);
		fp_text(&st, p->slug);
		fp_text(&st, p->body_md);
		ck_hash128_final(&st, fps[n++]);
	}
	for (i = 0; i < m->ndialogues; i++) {
		const ck_dialogue *dl = m->dialogues[i];
		ck_value *dv = v->dview[i];
		long long day = dl->date;

		ck_hash128_init(&st);
		ck_hash128_update(&st, "d", 1);
		fp_text(&st, dl->code);
		fp_text(&st, dl->title);
		fp_text(&st, ck_value_get_str(ck_value_get(dv, "path"), NULL));
		fp_text(&st,
		        ck_value_get_str(ck_value_get(dv, "kind_text"), NULL));
		fp_text(&st, ck_value_get_str(ck_value_get(dv, "date"), NULL));
		ck_hash128_update(&st, &day, sizeof(day));
		fp_text(&st, dl->date_text);
		fp_text(&st, dl->location);
		ck_hash128_final(&st, fps[n++]);
		for (k = 0; k < dl->nquestions; k++) {
			const vw_qref *r = vw_qref_find(v, dl->questions[k]);

			if (r == NULL)
				continue; /* as index_question */
			vw_keep_record_fp(v, r, rfp);
			ck_hash128_init(&st);
			ck_hash128_update(&st, "q", 1);
			ck_hash128_update(&st, rfp, sizeof(rfp));
			ck_hash128_final(&st, fps[n++]);
		}
	}
	return n;
}

/*
 * A province's 500 document chunks are 20 MB of excerpts to make, of
 * which a change to one question changes one chunk. Each chunk gets a
 * fingerprint of its documents' (and the program's and its number), and
 * one the output still has as made from that fingerprint, whose data
 * hash last run's memo ("search") gives, is kept: its documents' strings
 * are not made. CONGKHAI_CHECK_KEEP makes them anyway, and the sink
 * checks them against the bytes made last time.
 */
static void
keep_chunks(vw_index *x, size_t cap)
{
	ck_views *v = x->v;
	ck_buf old = CK_BUF_INIT;
	uint64_t(*fps)[2], sum[2];
	const char *p = NULL, *end = NULL;
	ck_hash128_state st;
	size_t n, c, from, to, nold = 0, k;
	const unsigned char *entry = NULL;

	x->planned = 0;
	if (!v->keep)
		return;
	x->check = getenv("CONGKHAI_CHECK_KEEP") != NULL;
	fps = calloc(cap ? cap : 1, sizeof(*fps));
	if (fps == NULL)
		err(3, "calloc");
	n = x->planned = doc_fps(x, fps);
	x->nchunks = (n + VW_DOCS_CHUNK - 1) / VW_DOCS_CHUNK;
	x->kept = calloc(x->nchunks + 1, sizeof(*x->kept));
	x->kept_hash = calloc(x->nchunks + 1, sizeof(*x->kept_hash));
	x->chunk_fp = calloc(x->nchunks + 1, sizeof(*x->chunk_fp));
	if (x->kept == NULL || x->kept_hash == NULL || x->chunk_fp == NULL)
		err(3, "calloc");
	for (c = 0; c < x->nchunks; c++) {
		uint64_t num = c, count;

		from = c * VW_DOCS_CHUNK;
		to = from + VW_DOCS_CHUNK < n ? from + VW_DOCS_CHUNK : n;
		count = to - from;
		ck_hash128_init(&st);
		ck_hash128_update(&st, SEARCH_MEMO_MAGIC,
		                  strlen(SEARCH_MEMO_MAGIC));
		ck_hash128_update(&st, v->keep_base, sizeof(v->keep_base));
		ck_hash128_update(&st, &num, sizeof(num));
		ck_hash128_update(&st, &count, sizeof(count));
		ck_hash128_update(&st, fps + from, count * sizeof(*fps));
		ck_hash128_final(&st, x->chunk_fp[c]);
	}
	free(fps);
	/* Last run's memo: magic, then (fp, hash) by chunk, then a
	 * checksum. Damaged or absent: nothing kept. */
	if (ck_site_memo_read(v->site, "search", &old) == 0 &&
	    old.size >= strlen(SEARCH_MEMO_MAGIC) + 16 &&
	    memcmp(old.ptr, SEARCH_MEMO_MAGIC, strlen(SEARCH_MEMO_MAGIC)) ==
	        0) {
		p = old.ptr + strlen(SEARCH_MEMO_MAGIC);
		end = old.ptr + old.size - 16;
		ck_hash128(sum, old.ptr, (size_t)(end - old.ptr));
		if (memcmp(sum, end, 16) == 0 && (end - p) % 20 == 0)
			nold = (size_t)(end - p) / 20;
	}
	for (c = 0; c < x->nchunks && !x->check; c++) {
		const char *name;

		/* Chunk c was at c last time unless documents came before
		 * it: looked for there first, then everywhere. */
		for (k = 0; k < nold; k++) {
			size_t at = (c + k) % nold;

			entry = (const unsigned char *)p + at * 20;
			if (memcmp(entry, x->chunk_fp[c], 16) == 0)
				break;
		}
		if (k == nold)
			continue;
		memcpy(&x->kept_hash[c], entry + 16, 4);
		name = ck_arena_printf(x->a, "tim-kiem/d/%zu.js", c);
		x->kept[c] = ck_site_keep(v->site, name, x->chunk_fp[c]) == 1;
	}
	ck_buf_free(&old);
	ck_buf_puts(&x->memo, SEARCH_MEMO_MAGIC);
}

/* A question, as the lists show it, with its answer and progress notes. */
static void
index_question(vw_index *x, const vw_qref *r)
{
	const ck_model *m = x->v->m;
	const ck_question *q;
	vw_doc *d;
	uint32_t id;
	size_t k;

	if (r == NULL)
		return;
	q = r->q;
	d = new_doc(x, 'q', &id);
	/* As the question's view gives them; the ref is a word too. */
	d->ref = vw_question_ref(x->doc_a, q);
	if (!chunk_kept(x, id)) {
		d->title = ck_value_get_str(
		    vw_excerpt(x->doc_a, q->question_text, VW_SHORT_MAX), NULL);
		d->path = vw_question_path(x->doc_a, q);
		d->excerpt = vw_excerpt(x->doc_a, q->question_text, VW_EXCERPT);
	}
	d->hamlet = index_of(m->hamlets, m->nhamlets, q->hamlet);
	d->topic = index_of(m->topics, m->ntopics, q->topic);
	d->status = (int)q->status;
	add_whole(x, d->ref, id);
	add_text(x, d->ref, id);
	/* "câu hỏi số 1" as well as "001". */
	if (strspn(q->id, "0123456789") == strlen(q->id)) {
		const char *nz = q->id + strspn(q->id, "0");

		if (*nz && nz != q->id)
			add_text(x, nz, id);
	}
	add_text(x, q->question_text, id);
	if (q->has_answer)
		add_text(x, q->answer_text, id);
	for (k = 0; k < q->nprogress; k++)
		add_text(x, q->progress[k].note_text, id);
	add_text(x, q->asked_by, id);
	add_text(x, q->hamlet ? q->hamlet->name : NULL, id);
	add_text(x, q->topic ? q->topic->name : NULL, id);
	add_text(x, q->answer_by, id);
}

/*
 * Free pages, then each dialogue followed by its questions, in the model's
 * order (oldest first): what is new comes last (see the top of the file);
 * the script lists results pages first, then newest first.
 */
static void
collect(vw_index *x)
{
	ck_views *v = x->v;
	const ck_model *m = v->m;
	size_t i, k;

	for (i = 0; i < m->npages; i++) {
		const ck_page *p = m->pages[i];
		uint32_t id;
		vw_doc *d = new_doc(x, 'p', &id);

		ck_buf_clear(&x->scratch);
		if (p->body_md)
			ck_md_text(&x->scratch, p->body_md, strlen(p->body_md));
		d->title = p->title;
		d->path = ck_arena_printf(x->doc_a, "%s/index.html", p->slug);
		d->excerpt = vw_excerpt(x->doc_a, x->scratch.ptr, VW_EXCERPT);
		add_text(x, p->title, id);
		add_text(x, x->scratch.ptr, id);
	}
	for (i = 0; i < m->ndialogues; i++) {
		const ck_dialogue *dl = m->dialogues[i];
		ck_value *dv = v->dview[i];
		uint32_t id;
		vw_doc *d = new_doc(x, 'd', &id);
		const char *when =
		    ck_value_get_str(ck_value_get(dv, "date"), NULL);

		d->ref = dl->code;
		d->title = dl->title;
		d->path = ck_value_get_str(ck_value_get(dv, "path"), NULL);
		ck_buf_clear(&x->scratch);
		ck_buf_printf(
		    &x->scratch, "%s",
		    ck_value_get_str(ck_value_get(dv, "kind_text"), NULL));
		if (dl->date != CK_NODAY && when)
			ck_buf_printf(&x->scratch, ", %.2s/%.2s/%.4s", when + 8,
			              when + 5, when);
		else if (dl->date_text)
			ck_buf_printf(&x->scratch, ", %s", dl->date_text);
		if (dl->location)
			ck_buf_printf(&x->scratch, ", %s", dl->location);
		d->excerpt = vw_excerpt(x->doc_a, x->scratch.ptr, VW_EXCERPT);
		add_whole(x, dl->code, id);
		add_text(x, dl->code, id);
		add_text(x, dl->title, id);
		add_text(x, x->scratch.ptr, id);
		for (k = 0; k < dl->nchairs; k++)
			add_text(x, dl->chairs[k], id);
		ck_buf_clear(&x->scratch);
		if (dl->body_md)
			ck_md_text(&x->scratch, dl->body_md,
			           strlen(dl->body_md));
		add_text(x, x->scratch.ptr, id);
		if (dl->has_conclusion && dl->conclusion_md) {
			ck_buf_clear(&x->scratch);
			ck_md_text(&x->scratch, dl->conclusion_md,
			           strlen(dl->conclusion_md));
			add_text(x, x->scratch.ptr, id);
		}
		for (k = 0; k < dl->nquestions; k++)
			index_question(x, vw_qref_find(v, dl->questions[k]));
	}
}

/*
 * Adds the index file tim-kiem/<name>.js: ckSearchLoaded("<name>", data),
 * with the fingerprint it is made from when made is not NULL. Returns the
 * data's hash (meta.js gives it for ?v=).
 */
static uint32_t
add_file_made(vw_index *x, const char *name, const ck_buf *data,
              const uint64_t *made)
{
	ck_buf out = CK_BUF_INIT;
	const char *path = ck_arena_printf(x->a, "tim-kiem/%s.js", name);

	ck_buf_printf(&out, "ckSearchLoaded(\"%s\",", name);
	ck_buf_put(&out, data->ptr, data->size);
	ck_buf_puts(&out, ");\n");
	if (made != NULL)
		ck_site_add_made(x->v->site, path, out.ptr, out.size, made);
	else
		ck_site_add_buf(x->v->site, path, &out);
	ck_buf_free(&out);
	return vw_search_hash(data->ptr, data->size);
}

static uint32_t
add_file(vw_index *x, const char *name, const ck_buf *data)
{
	return add_file_made(x, name, data, NULL);
}

/* Appends ["name","hash"] to meta. */
static void
put_file(ck_buf *meta, const char *name, uint32_t hash)
{
	ck_buf_printf(meta, "[\"%s\",\"%08x\"]", name, (unsigned)hash);
}

static void
put_str(ck_buf *b, const char *s)
{
	if (s == NULL)
		ck_buf_puts(b, "null");
	else
		ck_json_put_string(b, s, strlen(s));
}

/*
 * Writes the documents not yet written as the next chunk d/<n>.js, lists
 * it in docs_meta, and drops their strings.
 */
static void
flush_docs(vw_index *x)
{
	ck_buf b = CK_BUF_INIT;
	const char *name;
	size_t k, c = x->written / VW_DOCS_CHUNK;
	uint32_t hash;

	name = ck_arena_printf(x->a, "d/%zu", c);
	if (x->written)
		ck_buf_putc(&x->docs_meta, ',');
	for (k = x->written; k < x->ndocs; k++) {
		const vw_doc *d = &x->docs[k - x->written];

		x->filters[k][0] = d->hamlet;
		x->filters[k][1] = d->topic;
		x->filters[k][2] = d->status;
	}
	if (chunk_kept(x, (uint32_t)x->written)) {
		hash = x->kept_hash[c];
		goto done;
	}
	ck_buf_putc(&b, '[');
	for (k = x->written; k < x->ndocs; k++) {
		vw_doc *d = &x->docs[k - x->written];
		size_t len;
		const char *ex = ck_value_get_str(d->excerpt, &len);

		if (k > x->written)
			ck_buf_puts(&b, ",\n");
		ck_buf_printf(&b, "[\"%c\",", d->kind);
		put_str(&b, d->ref);
		ck_buf_putc(&b, ',');
		put_str(&b, d->title);
		ck_buf_putc(&b, ',');
		put_str(&b, d->path);
		ck_buf_putc(&b, ',');
		ck_json_put_string(&b, ex, len);
		if (d->status >= 0)
			ck_buf_printf(&b, ",%d", d->status);
		ck_buf_putc(&b, ']');
		d->ref = d->title = d->path = NULL;
		d->excerpt = NULL;
	}
	ck_buf_putc(&b, ']');
	/* With its fingerprint when there is one (keep_chunks). */
	hash =
	    add_file_made(x, name, &b, c < x->nchunks ? x->chunk_fp[c] : NULL);
done:
	if (c < x->nchunks) {
		ck_buf_put(&x->memo, x->chunk_fp[c], 16);
		ck_buf_put(&x->memo, &hash, 4);
	}
	put_file(&x->docs_meta, name, hash);
	ck_buf_free(&b);
	x->written = x->ndocs;
	ck_arena_reset(x->doc_a);
}

/* The document chunks, listed in meta as "docs". */
static void
write_docs(vw_index *x, ck_buf *meta)
{
	if (x->ndocs > x->written)
		flush_docs(x);
	ck_buf_puts(meta, "\"docs\":[");
	ck_buf_put(meta, x->docs_meta.ptr, x->docs_meta.size);
	ck_buf_puts(meta, "],");
}

static void
write_filters(vw_index *x, ck_buf *meta)
{
	static const char *const keys[] = {"h", "t", "s"};
	ck_buf b = CK_BUF_INIT;
	size_t i, f;

	ck_buf_putc(&b, '{');
	for (f = 0; f < 3; f++) {
		ck_buf_printf(&b, "%s\"%s\":[", f ? "," : "", keys[f]);
		for (i = 0; i < x->ndocs; i++)
			ck_buf_printf(&b, "%s%d", i ? "," : "",
			              (int)x->filters[i][f]);
		ck_buf_putc(&b, ']');
	}
	ck_buf_putc(&b, '}');
	ck_buf_puts(meta, "\"filters\":");
	put_file(meta, "f", add_file(x, "f", &b));
	ck_buf_putc(meta, ',');
	ck_buf_free(&b);
}

/*
 * A word chunk's name: its first word when that is plain (a-z, 0-9), else
 * "_" and the word's hash, with "-2", "-3"... should two hashes meet.
 */
static const char *
chunk_name(vw_index *x, const char *first, const char **names, size_t n)
{
	size_t len = strlen(first), k, again = 1;
	const char *name;

	if (len <= 40 &&
	    strspn(first, "abcdefghijklmnopqrstuvwxyz0123456789") == len)
		return ck_arena_printf(x->a, "w/%s", first);
	name = ck_arena_printf(x->a, "w/_%08x", vw_search_hash(first, len));
	for (k = 0; k < n; k++)
		if (strcmp(names[k], name) == 0) {
			name = ck_arena_printf(x->a, "w/_%08x-%zu",
			                       vw_search_hash(first, len),
			                       ++again);
			k = (size_t)-1; /* and look again from the start */
		}
	return name;
}

/* w's gaps as a JSON array of numbers. */
static void
put_gaps(ck_buf *b, const vw_word *w)
{
	char digits[10];
	uint32_t gap;
	size_t k = 0, n;
	int shift;

	ck_buf_putc(b, '[');
	while (k < w->len) {
		gap = 0;
		shift = 0;
		do {
			gap |= (uint32_t)(w->gaps[k] & 0x7f) << shift;
			shift += 7;
		} while (w->gaps[k++] & 0x80);
		n = 0;
		do {
			digits[n++] = (char)('0' + gap % 10);
			gap /= 10;
		} while (gap > 0);
		while (n > 0)
			ck_buf_putc(b, digits[--n]);
		if (k < w->len)
			ck_buf_putc(b, ',');
	}
	ck_buf_putc(b, ']');
}

/* The word chunks: [first word, name, hash] of each goes to meta. */
static void
write_words(vw_index *x, ck_buf *meta)
{
	ck_buf b = CK_BUF_INIT;
	vw_word *w = x->slots;
	size_t i, n = 0, nchunks = 0;
	const char *first = NULL, **names;

	/* Compact the table into a sorted array (the table is done with),
	 * and give back its empty half: at a province's scale this is the
	 * build's peak of memory, and qsort(3) wanted a copy of it all. */
	for (i = 0; i < x->cap; i++)
		if (w[i].word)
			w[n++] = w[i];
	x->nwords = n;
	x->cap = 0; /* the slots now hold n sorted words */
	if (n > 0 && (w = realloc(x->slots, n * sizeof(*w))) != NULL)
		x->slots = w;
	w = x->slots;
	if (n > 1)
		ck_strsort(w, n, sizeof(*w));
	names = ck_arena_alloc(x->a, (n + 1) * sizeof(*names));

	ck_buf_puts(meta, "\"words\":[");
	for (i = 0; i < n; i++) {
		size_t wlen = strlen(w[i].word);

		if (b.size == 0) {
			first = w[i].word;
			ck_buf_putc(&b, '{');
		} else {
			ck_buf_puts(&b, ",\n");
		}
		ck_json_put_string(&b, w[i].word, wlen);
		ck_buf_putc(&b, ':');
		put_gaps(&b, &w[i]);
		if ((b.size >= VW_WORDS_MIN &&
		     vw_search_hash(w[i].word, wlen) % VW_WORDS_CUT == 0) ||
		    b.size >= VW_WORDS_MAX || i + 1 == n) {
			const char *name = chunk_name(x, first, names, nchunks);

			ck_buf_putc(&b, '}');
			if (nchunks)
				ck_buf_putc(meta, ',');
			ck_buf_putc(meta, '[');
			put_str(meta, first);
			ck_buf_printf(meta, ",\"%s\",\"%08x\"]", name,
			              (unsigned)add_file(x, name, &b));
			names[nchunks++] = name;
			ck_buf_clear(&b);
		}
	}
	ck_buf_puts(meta, "],");
	ck_buf_free(&b);
}

/* [[id, name], ...] of a site list. */
static void
put_named(ck_buf *meta, const char *key, const ck_named *l, size_t n)
{
	size_t i;

	ck_buf_printf(meta, "\"%s\":[", key);
	for (i = 0; i < n; i++) {
		ck_buf_puts(meta, i ? ",[" : "[");
		put_str(meta, l[i].id);
		ck_buf_putc(meta, ',');
		put_str(meta, l[i].name);
		ck_buf_putc(meta, ']');
	}
	ck_buf_puts(meta, "],");
}

int
vw_render_search(ck_views *v)
{
	const ck_model *m = v->m;
	vw_index x;
	ck_buf meta = CK_BUF_INIT, out = CK_BUF_INIT;
	size_t i, cap = m->npages + m->ndialogues + v->nqrefs + 1;

	memset(&x, 0, sizeof(x));
	x.v = v;
	x.a = v->a;
	x.doc_a = ck_arena_new();
	x.docs = ck_arena_alloc(v->a, VW_DOCS_CHUNK * sizeof(*x.docs));
	x.filters = calloc(cap, sizeof(*x.filters));
	if (x.filters == NULL)
		err(3, "calloc");
	ck_buf_init(&x.fold);
	ck_buf_init(&x.scratch);
	ck_buf_init(&x.docs_meta);
	ck_buf_init(&x.memo);
	keep_chunks(&x, cap);
	collect(&x);
	if (x.nchunks > 0 && x.ndocs != x.planned)
		errx(3,
		     "internal error: search: %zu documents made, %zu "
		     "fingerprinted",
		     x.ndocs, x.planned);

	ck_buf_printf(&meta, "{\"v\":1,\"count\":%zu,\"pages\":%zu,\"per\":%d,",
	              x.ndocs, m->npages, VW_DOCS_CHUNK);
	write_words(&x, &meta);
	write_docs(&x, &meta);
	write_filters(&x, &meta);
	put_named(&meta, "hamlets", m->hamlets, m->nhamlets);
	put_named(&meta, "topics", m->topics, m->ntopics);
	ck_buf_puts(&meta, "\"statuses\":[");
	for (i = 0; i < CK_ST_COUNT; i++) {
		ck_buf_puts(&meta, i ? ",[" : "[");
		put_str(&meta, ck_status_name((ck_status)i));
		ck_buf_putc(&meta, ',');
		put_str(&meta, ck_value_get_str(v->st_text[i], NULL));
		ck_buf_putc(&meta, ']');
	}
	ck_buf_puts(&meta, "]}");

	/* meta.js keeps its name: the search page loads it. */
	ck_buf_puts(&out, "ckSearchLoaded(\"meta\",");
	ck_buf_put(&out, meta.ptr, meta.size);
	ck_buf_puts(&out, ");\n");
	ck_site_add_buf(v->site, "tim-kiem/meta.js", &out);
	if (x.nchunks > 0) {
		uint64_t sum[2];

		ck_hash128(sum, x.memo.ptr, x.memo.size);
		ck_buf_put(&x.memo, sum, sizeof(sum));
		/* A hint: one not kept costs the next build the chunks. */
		(void)ck_site_memo_write(v->site, "search", x.memo.ptr,
		                         x.memo.size);
	}
	if (x.nchunks > 0 && getenv("CONGKHAI_BUILD_STATS") != NULL) {
		size_t kept = 0;

		for (i = 0; i < x.nchunks; i++)
			kept += x.kept[i];
		fprintf(stderr,
		        "congkhai search: %zu of %zu document chunks kept\n",
		        kept, x.nchunks);
	}
	free(x.filters);
	free(x.kept);
	free(x.kept_hash);
	free(x.chunk_fp);
	ck_buf_free(&x.memo);

	for (i = 0; i < x.nwords; i++)
		free(x.slots[i].gaps);
	free(x.slots);
	ck_buf_free(&meta);
	ck_buf_free(&out);
	ck_buf_free(&x.fold);
	ck_buf_free(&x.scratch);
	ck_buf_free(&x.docs_meta);
	ck_arena_free(x.doc_a);
	return 0;
}
