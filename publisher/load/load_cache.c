/*
 * The record cache: each dialogue's questions as the loader made them (the
 * model's fields and the file's diagnostics), kept in the user's cache
 * folder and used again while their file is unchanged. At a province's
 * scale, reading, parsing and checking 100,000 question files was half of
 * a rebuild's work, for files that had mostly not changed.
 *
 * One file per dialogue, <cache>/records/<content folder>/<slug>:
 *
 *   "congkhai records 1\n"  key (16 bytes)
 *   entries, by file name:  name, dev, ino, size, mtime s ns, ctime s ns,
 *                           record length, record
 *   ck_hash128 of all the bytes before it (16 bytes)
 *
 * Numbers are LEB128 (signed ones zigzagged first), strings a length + 1
 * (0: NULL) and their bytes. The key covers everything besides the file
 * that a question's record depends on: this program's bytes, site.yaml's
 * bytes (the lists looked up, the public numbers), the content folder as
 * given (the paths in the record), and what the dialogue's checks read
 * (its registration deadline and hamlets). A file is taken as unchanged
 * when its device, inode, size, modification and change times are the
 * cached ones; a file changed less than SETTLE_SECONDS before the run
 * began is not recorded, since a later change could leave the same times
 * (git's "racy" files; a FAT file system counts modification times in
 * steps of two seconds, and has no change time). A file with errors is never
 * recorded: the run fails anyway, and the next one reads it again.
 */
#include <err.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "hash.h"
#include "load.h"

#define MAGIC "congkhai records 1\n"
#define MAGIC_LEN (sizeof(MAGIC) - 1)
/* How long ago a file must have changed to be recorded (see the top). */
#define SETTLE_SECONDS 3
/* Nesting of `extra` that a record may hold (the parser allows 64). */
#define NODE_DEPTH_MAX 100

/* A file's identity as the cache compares it. */
typedef struct {
	uint64_t dev, ino, size;
	int64_t mtime_s, mtime_ns, ctime_s, ctime_ns;
} file_id;

/* An entry of a dialogue's cache file, as read. */
typedef struct {
	const char *name;
	file_id id;
	const unsigned char *rec; /* the record */
	size_t rec_len;
	const unsigned char *start; /* the whole entry, to copy it over */
	size_t len;
	bool used; /* taken again: it goes into the new file (one worker
	              takes a file: no two write it) */
} cache_entry;

struct ck_load_cache {
	char *path; /* the dialogue's cache file */
	uint64_t key[2];
	ck_buf old; /* its bytes as read (empty: none or unusable) */
	cache_entry *entries;
	size_t nentries;
	/* A new file is written when this run's differs from the old one:
	 * the workers set it (atomic) when they record a file anew. */
	bool changed;
	size_t used; /* entries taken again (atomic) */
	bool write;  /* the run's */
	/* The questions folder (O_PATH), or -1: its files are looked at
	 * from it, not walked to from the working folder each time. */
	int dirfd;
};

struct ck_load_cache_run {
	char *dir; /* <cache>/records/<content folder> */
	uint64_t key[2];
	struct timespec settled; /* files changed before this are recorded */
	size_t hits, files;      /* atomic: the workers count */
	bool check;              /* CONGKHAI_CHECK_KEEP */
	bool write;              /* cache files may be written */
};

/* Writing. */

static void
put_u64(ck_buf *b, uint64_t v)
{
	while (v >= 0x80) {
		ck_buf_putc(b, (int)(v & 0x7f) | 0x80);
		v >>= 7;
	}
	ck_buf_putc(b, (int)v);
}

static void
put_i64(ck_buf *b, int64_t v)
{
	put_u64(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static void
put_str(ck_buf *b, const char *s)
{
	size_t n;

	if (s == NULL) {
		put_u64(b, 0);
		return;
	}
	n = strlen(s);
	put_u64(b, n + 1);
	ck_buf_put(b, s, n);
}

/* A scalar's bytes may hold what strlen would stop at: the length goes. */
static void
put_node(ck_buf *b, const ck_yaml_node *n)
{
	size_t i;

	if (n == NULL) {
		put_u64(b, 0);
		return;
	}
	put_u64(b, 1 + (uint64_t)n->kind);
	put_u64(b, n->line);
	put_u64(b, n->col);
	put_u64(b, (n->plain ? 1u : 0u) | (n->block ? 2u : 0u) |
	               (n->str ? 4u : 0u));
	if (n->str) {
		put_u64(b, n->len);
		ck_buf_put(b, n->str, n->len);
	}
	put_u64(b, n->n);
	for (i = 0; i < n->n; i++) {
		if (n->kind == CK_YAML_MAP)
			put_node(b, n->keys[i]);
		put_node(b, n->vals[i]);
	}
}

/* The index of p in list[0..n) plus one, or 0 for NULL. */
static uint64_t
named_index(const ck_named *p, const ck_named *list)
{
	return p ? (uint64_t)(p - list) + 1 : 0;
}

static uint64_t
channel_index(const char *c)
{
	size_t i;

	for (i = 0; c && ck_load_channels[i]; i++)
		if (ck_load_channels[i] == c)
			return i + 1;
	return 0;
}

/* q's loaded fields (not those derived later) and the file's problems. */
static void
put_record(ck_buf *b, const ck_model *m, const ck_question *q,
           const ck_diags *d)
{
	const ck_escalation *e = q->escalation;
	ck_severity sev;
	const char *path, *msg;
	unsigned line, col;
	size_t i;

	put_u64(b, named_index(q->hamlet, m->hamlets));
	put_u64(b, named_index(q->topic, m->topics));
	put_u64(b, named_index(q->assigned_to, m->departments));
	put_u64(b, channel_index(q->channel));
	put_str(b, q->asked_by);
	put_i64(b, q->received);
	put_i64(b, q->due);
	put_u64(b, q->has_answer);
	put_str(b, q->answer_by);
	put_i64(b, q->answer_date);
	put_str(b, q->question_html);
	put_str(b, q->question_text);
	put_str(b, q->answer_html);
	put_str(b, q->answer_text);
	put_u64(b, q->nprogress);
	for (i = 0; i < q->nprogress; i++) {
		put_i64(b, q->progress[i].date);
		put_u64(b, q->progress[i].status);
		put_str(b, q->progress[i].note_md);
		put_str(b, q->progress[i].note_html);
		put_str(b, q->progress[i].note_text);
	}
	put_node(b, q->extra);
	put_u64(b, e != NULL);
	if (e != NULL) {
		put_str(b, e->to);
		put_str(b, e->number);
		put_i64(b, e->sent);
		put_i64(b, e->reply_due);
		put_u64(b, e->replied);
		put_str(b, e->reply_number);
		put_i64(b, e->reply_date);
		put_node(b, e->sent_at);
		put_node(b, e->reply_due_at);
		put_node(b, e->reply_date_at);
	}
	put_node(b, q->received_at);
	put_node(b, q->due_at);
	put_node(b, q->answer_date_at);
	put_u64(b, ck_diags_count(d));
	for (i = 0; i < ck_diags_count(d); i++) {
		ck_diags_get(d, i, &sev, &path, &line, &col, &msg);
		put_u64(b, (uint64_t)sev);
		put_str(b, path);
		put_u64(b, line);
		put_u64(b, col);
		put_str(b, msg);
	}
}

/* Reading: every read is checked against the end, so a damaged file is
 * only a miss. */

typedef struct {
	const unsigned char *p, *end;
	bool bad;
	ck_arena *a; /* where strings and nodes go */
} reader;

static uint64_t
get_u64(reader *r)
{
	uint64_t v = 0;
	unsigned shift = 0;

	while (r->p < r->end && shift < 64) {
		unsigned char c = *r->p++;

		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
		shift += 7;
	}
	r->bad = true;
	return 0;
}

static int64_t
get_i64(reader *r)
{
	uint64_t v = get_u64(r);

	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static int
get_int(reader *r)
{
	int64_t v = get_i64(r);

	if (v < INT32_MIN || v > INT32_MAX)
		r->bad = true;
	return (int)v;
}

static unsigned
get_unsigned(reader *r)
{
	uint64_t v = get_u64(r);

	if (v > UINT32_MAX)
		r->bad = true;
	return (unsigned)v;
}

static const unsigned char *
get_bytes(reader *r, size_t n)
{
	const unsigned char *s = r->p;

	if ((size_t)(r->end - r->p) < n) {
		r->bad = true;
		return NULL;
	}
	r->p += n;
	return s;
}

static const char *
get_str(reader *r)
{
	uint64_t n = get_u64(r);
	const unsigned char *s;

	if (n == 0 || r->bad)
		return NULL;
	if ((s = get_bytes(r, (size_t)n - 1)) == NULL)
		return NULL;
	return ck_arena_strndup(r->a, (const char *)s, (size_t)n - 1);
}

static const ck_named *
get_named(reader *r, const ck_named *list, size_t n)
{
	uint64_t i = get_u64(r);

	if (i == 0)
		return NULL;
	if (i > n) {
		r->bad = true;
		return NULL;
	}
	return &list[i - 1];
}

static ck_yaml_node *
get_node(reader *r, unsigned depth)
{
	uint64_t kind = get_u64(r), flags, n, i;
	ck_yaml_node *x;
	const unsigned char *s;

	if (kind == 0 || r->bad)
		return NULL;
	if (kind > 3 || depth > NODE_DEPTH_MAX) {
		r->bad = true;
		return NULL;
	}
	x = ck_arena_alloc(r->a, sizeof(*x));
	x->kind = (ck_yaml_kind)(kind - 1);
	x->line = get_unsigned(r);
	x->col = get_unsigned(r);
	flags = get_u64(r);
	x->plain = flags & 1;
	x->block = (flags & 2) != 0;
	if (flags & 4) {
		x->len = (size_t)get_u64(r);
		if ((s = get_bytes(r, x->len)) == NULL)
			return NULL;
		x->str = ck_arena_strndup(r->a, (const char *)s, x->len);
	}
	n = get_u64(r);
	/* Each child takes a byte at least: a count beyond that is damage. */
	if (r->bad || n > (uint64_t)(r->end - r->p))
		goto bad;
	x->n = (size_t)n;
	if (n > 0) {
		x->vals = ck_arena_alloc(r->a, n * sizeof(*x->vals));
		if (x->kind == CK_YAML_MAP)
			x->keys = ck_arena_alloc(r->a, n * sizeof(*x->keys));
	}
	for (i = 0; i < n && !r->bad; i++) {
		if (x->kind == CK_YAML_MAP &&
		    (x->keys[i] = get_node(r, depth + 1)) == NULL)
			goto bad;
		if ((x->vals[i] = get_node(r, depth + 1)) == NULL)
			goto bad;
	}
	return r->bad ? NULL : x;
bad:
	r->bad = true;
	return NULL;
}

/*
 * The check of CONGKHAI_CHECK_KEEP on each record taken: q and d, as read
 * back, make the same bytes again, so no field is lost on the way.
 */
static void
check_decoded(const ck_loader *l, const ck_question *q, const ck_diags *d,
              const unsigned char *rec, size_t len)
{
	ck_buf again = CK_BUF_INIT;

	put_record(&again, l->m, q, d);
	if (again.size != len || memcmp(again.ptr, rec, len) != 0)
		errx(3,
		     "%s: CONGKHAI_CHECK_KEEP: a record read back from the "
		     "record cache differs from the one written",
		     q->path);
	ck_buf_free(&again);
}

/*
 * The question of record rec, in l's arena, with its file's problems
 * added to l->d; NULL (nothing added) when the record is damaged.
 */
static ck_question *
get_record(ck_loader *l, ck_question *q, const unsigned char *rec, size_t len)
{
	const ck_model *m = l->m;
	reader r = {rec, rec + len, false, l->a};
	ck_escalation *e;
	ck_diags *d = ck_diags_new();
	uint64_t i, n, c;

	q->hamlet = get_named(&r, m->hamlets, m->nhamlets);
	q->topic = get_named(&r, m->topics, m->ntopics);
	q->assigned_to = get_named(&r, m->departments, m->ndepartments);
	c = get_u64(&r);
	for (i = 0; i < c && ck_load_channels[i]; i++)
		;
	if (c > 0 && i == c)
		q->channel = ck_load_channels[c - 1];
	else if (c > 0)
		r.bad = true;
	q->asked_by = get_str(&r);
	q->received = get_int(&r);
	q->due = get_int(&r);
	q->has_answer = get_u64(&r) != 0;
	q->answer_by = get_str(&r);
	q->answer_date = get_int(&r);
	q->question_html = get_str(&r);
	q->question_text = get_str(&r);
	q->answer_html = get_str(&r);
	q->answer_text = get_str(&r);
	n = get_u64(&r);
	if (n > (uint64_t)(r.end - r.p))
		r.bad = true;
	if (!r.bad) {
		q->nprogress = (size_t)n;
		q->progress =
		    ck_arena_alloc(l->a, (n + 1) * sizeof(*q->progress));
	}
	for (i = 0; i < n && !r.bad; i++) {
		ck_progress *p = &q->progress[i];

		p->date = get_int(&r);
		c = get_u64(&r);
		if (c >= CK_ST_COUNT)
			r.bad = true;
		p->status = (ck_status)c;
		p->note_md = get_str(&r);
		p->note_html = get_str(&r);
		p->note_text = get_str(&r);
	}
	q->extra = get_node(&r, 0);
	if (get_u64(&r) != 0) {
		e = ck_arena_alloc(l->a, sizeof(*e));
		e->to = get_str(&r);
		e->number = get_str(&r);
		e->sent = get_int(&r);
		e->reply_due = get_int(&r);
		e->replied = get_u64(&r) != 0;
		e->reply_number = get_str(&r);
		e->reply_date = get_int(&r);
		e->sent_at = get_node(&r, 0);
		e->reply_due_at = get_node(&r, 0);
		e->reply_date_at = get_node(&r, 0);
		q->escalation = e;
	}
	q->received_at = get_node(&r, 0);
	q->due_at = get_node(&r, 0);
	q->answer_date_at = get_node(&r, 0);
	n = get_u64(&r);
	for (i = 0; i < n && !r.bad; i++) {
		uint64_t sev = get_u64(&r);
		const char *path = get_str(&r), *msg;
		unsigned line = get_unsigned(&r), col = get_unsigned(&r);

		msg = get_str(&r);
		if (sev > CK_NOTE || sev == CK_ERROR || msg == NULL)
			r.bad = true;
		else
			ck_diag(d, (ck_severity)sev, path, line, col, "%s",
			        msg);
	}
	if (r.bad || r.p != r.end) {
		ck_diags_free(d);
		return NULL;
	}
	if (l->cache->check)
		check_decoded(l, q, d, rec, len);
	ck_diags_move(l->d, d);
	ck_diags_free(d);
	return q;
}

/* The cache file. */

static void
file_id_of(file_id *id, const struct stat *st)
{
	memset(id, 0, sizeof(*id));
	id->dev = (uint64_t)st->st_dev;
	id->ino = (uint64_t)st->st_ino;
	id->size = (uint64_t)st->st_size;
	id->mtime_s = (int64_t)st->st_mtim.tv_sec;
	id->mtime_ns = (int64_t)st->st_mtim.tv_nsec;
	id->ctime_s = (int64_t)st->st_ctim.tv_sec;
	id->ctime_ns = (int64_t)st->st_ctim.tv_nsec;
}

static bool
file_id_equal(const file_id *a, const file_id *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime_s == b->mtime_s && a->mtime_ns == b->mtime_ns &&
	       a->ctime_s == b->ctime_s && a->ctime_ns == b->ctime_ns;
}

static void
put_file_id(ck_buf *b, const file_id *id)
{
	put_u64(b, id->dev);
	put_u64(b, id->ino);
	put_u64(b, id->size);
	put_i64(b, id->mtime_s);
	put_i64(b, id->mtime_ns);
	put_i64(b, id->ctime_s);
	put_i64(b, id->ctime_ns);
}

/* Reads c's old file into its entries; a damaged one counts as none. */
static void
read_entries(ck_load_cache *c)
{
	const unsigned char *b = (const unsigned char *)c->old.ptr;
	uint64_t sum[2], h[2], n;
	size_t cap = 0;
	reader r;
	cache_entry *e;

	if (c->old.size < MAGIC_LEN + 32 || memcmp(b, MAGIC, MAGIC_LEN) != 0 ||
	    memcmp(b + MAGIC_LEN, c->key, 16) != 0)
		goto none;
	memcpy(sum, b + c->old.size - 16, 16);
	ck_hash128(h, b, c->old.size - 16);
	if (h[0] != sum[0] || h[1] != sum[1])
		goto none;
	r.p = b + MAGIC_LEN + 16;
	r.end = b + c->old.size - 16;
	r.bad = false;
	r.a = NULL;
	while (r.p < r.end) {
		const unsigned char *start = r.p, *name;

		if (c->nentries == cap) {
			cap = cap ? cap * 2 : 64;
			c->entries = realloc(c->entries, cap * sizeof(*e));
			if (c->entries == NULL)
				err(3, "realloc");
		}
		e = &c->entries[c->nentries];
		memset(e, 0, sizeof(*e));
		n = get_u64(&r);
		/* A name is stored with its NUL, to be used in place. */
		if (n < 2 || (name = get_bytes(&r, (size_t)n - 1)) == NULL ||
		    name[n - 2] != '\0')
			goto none;
		e->name = (const char *)name;
		e->id.dev = get_u64(&r);
		e->id.ino = get_u64(&r);
		e->id.size = get_u64(&r);
		e->id.mtime_s = get_i64(&r);
		e->id.mtime_ns = get_i64(&r);
		e->id.ctime_s = get_i64(&r);
		e->id.ctime_ns = get_i64(&r);
		e->rec_len = (size_t)get_u64(&r);
		if (r.bad || (e->rec = get_bytes(&r, e->rec_len)) == NULL)
			goto none;
		/* Names in order: looked up by bisection. */
		if (c->nentries > 0 &&
		    strcmp(c->entries[c->nentries - 1].name, e->name) >= 0)
			goto none;
		e->start = start;
		e->len = (size_t)(r.p - start);
		c->nentries++;
	}
	return;
none:
	c->nentries = 0;
	ck_buf_clear(&c->old);
}

static cache_entry *
find_entry(ck_load_cache *c, const char *name)
{
	size_t lo = 0, hi = c->nentries, mid;
	int k;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		k = strcmp(name, c->entries[mid].name);
		if (k == 0)
			return &c->entries[mid];
		if (k < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void
ck_load_cache_start(ck_loader *l, const uint64_t site_fp[2], bool write)
{
	ck_load_cache_run *run;
	ck_buf dir = CK_BUF_INIT;
	ck_hash128_state st;
	uint64_t prog[2], h[2];
	struct timespec now;

	l->cache = NULL;
	if (getenv("CONGKHAI_NO_KEEP") != NULL || l->root == NULL ||
	    ck_program_fingerprint(prog) != 0 || ck_cache_dir(&dir) != 0 ||
	    clock_gettime(CLOCK_REALTIME, &now) != 0)
		goto done;
	run = ck_arena_alloc(l->a, sizeof(*run));
	ck_hash128(h, l->root, strlen(l->root));
	ck_buf_printf(&dir, "/records/%016" PRIx64 "%016" PRIx64, h[0], h[1]);
	run->dir = ck_arena_strndup(l->a, dir.ptr, dir.size);
	ck_hash128_init(&st);
	ck_hash128_update(&st, MAGIC, MAGIC_LEN);
	ck_hash128_update(&st, prog, sizeof(prog));
	ck_hash128_update(&st, site_fp, 2 * sizeof(*site_fp));
	ck_hash128_update(&st, l->m->content_dir,
	                  strlen(l->m->content_dir) + 1);
	ck_hash128_final(&st, run->key);
	run->settled.tv_sec = now.tv_sec - SETTLE_SECONDS;
	run->settled.tv_nsec = now.tv_nsec;
	run->write = write;
	run->check = getenv("CONGKHAI_CHECK_KEEP") != NULL &&
	             getenv("CONGKHAI_CHECK_KEEP")[0] != '\0';
	l->cache = run;
done:
	ck_buf_free(&dir);
}

void
ck_load_cache_stats(const ck_loader *l, size_t *hits, size_t *files)
{
	*hits = l->cache ? l->cache->hits : 0;
	*files = l->cache ? l->cache->files : 0;
}

ck_load_cache *
ck_load_cache_open(ck_loader *l, const ck_dialogue *dl, const char *dir)
{
	ck_load_cache *c;
	ck_hash128_state st;
	size_t i;
	int fd;

	if (l->cache == NULL)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL ||
	    asprintf(&c->path, "%s/%s", l->cache->dir, dl->slug) < 0)
		err(3, "calloc");
	ck_hash128_init(&st);
	ck_hash128_update(&st, l->cache->key, sizeof(l->cache->key));
	ck_hash128_update(&st, dl->slug, strlen(dl->slug) + 1);
	ck_hash128_update(&st, &dl->registration_deadline,
	                  sizeof(dl->registration_deadline));
	for (i = 0; i < dl->nhamlets; i++)
		ck_hash128_update(&st, dl->hamlets[i]->id,
		                  strlen(dl->hamlets[i]->id) + 1);
	ck_hash128_final(&st, c->key);
	c->write = l->cache->write;
	c->dirfd = open(dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	fd = open(c->path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && ck_fd_slurp(&c->old, fd) == 0)
		read_entries(c);
	else
		ck_buf_clear(&c->old);
	/* A file that was there and could not be used is written anew. */
	c->changed = fd >= 0 && c->nentries == 0;
	return c;
}

/* Whether the file changed early enough that its times tell it apart. */
static bool
settled(const ck_load_cache_run *run, const struct stat *st)
{
	return st->st_ctim.tv_sec < run->settled.tv_sec ||
	       (st->st_ctim.tv_sec == run->settled.tv_sec &&
	        st->st_ctim.tv_nsec < run->settled.tv_nsec);
}

/* Appends the entry of name: its file, q's record and the problems d. */
static void
put_entry(ck_buf *out, const ck_loader *l, const char *name,
          const struct stat *st, const ck_question *q, const ck_diags *d)
{
	ck_buf rec = CK_BUF_INIT;
	file_id id;

	file_id_of(&id, st);
	put_record(&rec, l->m, q, d);
	put_u64(out, strlen(name) + 2);
	ck_buf_put(out, name, strlen(name) + 1);
	put_file_id(out, &id);
	put_u64(out, rec.size);
	ck_buf_put(out, rec.ptr, rec.size);
	ck_buf_free(&rec);
}

/*
 * The check of CONGKHAI_CHECK_KEEP: the file read again makes the record
 * the cache gave, or the cache is wrong and the run stops.
 */
static void
check_hit(ck_loader *l, ck_dialogue *dl, const char *path, const char *id,
          const cache_entry *e)
{
	ck_diags *keep = l->d, *d = ck_diags_new();
	ck_buf rec = CK_BUF_INIT;
	ck_question *q;

	l->d = d;
	q = ck_load_question_file(l, dl, path, id, NULL);
	l->d = keep;
	if (q != NULL)
		put_record(&rec, l->m, q, d);
	if (q == NULL || rec.size != e->rec_len ||
	    memcmp(rec.ptr, e->rec, rec.size) != 0)
		errx(3,
		     "%s: CONGKHAI_CHECK_KEEP: the record cache's copy "
		     "differs from the file",
		     path);
	ck_buf_free(&rec);
	ck_diags_free(d);
}

ck_question *
ck_load_cache_question(ck_loader *l, ck_load_cache *c, ck_buf *entry,
                       ck_dialogue *dl, const char *path, const char *name,
                       const char *id)
{
	ck_load_cache_run *run = l->cache;
	ck_diags *keep = l->d, *d;
	cache_entry *e;
	struct stat st;
	file_id now;
	ck_question *q;

	ck_buf_clear(entry);
	if (c == NULL)
		return ck_load_question_file(l, dl, path, id, NULL);
	__atomic_fetch_add(&run->files, 1, __ATOMIC_RELAXED);
	if ((e = find_entry(c, name)) != NULL &&
	    fstatat(c->dirfd >= 0 ? c->dirfd : AT_FDCWD,
	            c->dirfd >= 0 ? name : path, &st,
	            AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(st.st_mode)) {
		file_id_of(&now, &st);
		if (file_id_equal(&now, &e->id) &&
		    (q = ck_load_question_new(l, dl, path, id)) != NULL &&
		    get_record(l, q, e->rec, e->rec_len) != NULL) {
			if (run->check)
				check_hit(l, dl, path, id, e);
			e->used = true;
			__atomic_fetch_add(&c->used, 1, __ATOMIC_RELAXED);
			__atomic_fetch_add(&run->hits, 1, __ATOMIC_RELAXED);
			return q;
		}
	}
	/* Read: its problems apart, to be recorded with it. */
	l->d = d = ck_diags_new();
	q = ck_load_question_file(l, dl, path, id, &st);
	l->d = keep;
	if (q != NULL && ck_diags_errors(d) == 0 && settled(run, &st)) {
		put_entry(entry, l, name, &st, q, d);
		__atomic_store_n(&c->changed, true, __ATOMIC_RELAXED);
	}
	ck_diags_move(l->d, d);
	ck_diags_free(d);
	return q;
}

void
ck_load_cache_close(ck_load_cache *c, char *const *names, const ck_buf *entries,
                    size_t n)
{
	ck_buf out = CK_BUF_INIT;
	const cache_entry *e;
	uint64_t h[2];
	size_t i;

	if (c == NULL)
		return;
	/* Old entries not taken again are of files removed or changed. */
	if (c->write && (c->changed || c->used != c->nentries)) {
		ck_buf_put(&out, MAGIC, MAGIC_LEN);
		ck_buf_put(&out, c->key, sizeof(c->key));
		for (i = 0; i < n; i++) {
			if (entries[i].size > 0)
				ck_buf_put(&out, entries[i].ptr,
				           entries[i].size);
			else if ((e = find_entry(c, names[i])) != NULL &&
			         e->used)
				ck_buf_put(&out, e->start, e->len);
		}
		ck_hash128(h, out.ptr, out.size);
		ck_buf_put(&out, h, sizeof(h));
		(void)ck_file_replace(c->path, out.ptr, out.size);
	}
	ck_buf_free(&out);
	if (c->dirfd >= 0)
		close(c->dirfd);
	ck_buf_free(&c->old);
	free(c->entries);
	free(c->path);
	free(c);
}
