/*
 * The commit message of a publication: a summary line saying what changed
 * for citizens (from the old and the new open data: the dialogues' files
 * data/doi-thoai/<slug>.json that changed, or data/questions.json whole,
 * and data/dialogues.json), the pages added, changed and removed, and the
 * trailers (Source-Commit, Source-Dirty, As-Of).
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "json.h"
#include "publish_int.h"
#include "text.h"
#include "value.h"

/* The longest list of pages a commit message names, per kind of change. */
#define MAX_LISTED 200

/* The questions of a data/questions.json, by id. */
struct question {
	const char *id;
	const char *status;
	const char *answered;        /* NULL: not answered */
	const char *answer_html;     /* NULL: none */
	int answer_overdue, overdue; /* the day-dependent flags */
};

/* A questions.json's questions, sorted by id; borrowed from its arena. */
struct questions {
	struct question *v;
	size_t len;
	int present; /* the file was there and readable */
};

/* map's string at key, or NULL; the string belongs to map's arena. */
static const char *
str_field(const ck_value *map, const char *key)
{
	const ck_value *v = ck_value_get(map, key);

	if (v == NULL || ck_value_kind(v) != CK_VSTRING)
		return NULL;
	return ck_value_get_str(v, NULL);
}

/* map's boolean at key; false when it is not one. */
static int
bool_field(const ck_value *map, const char *key)
{
	const ck_value *v = ck_value_get(map, key);

	return v != NULL && ck_value_kind(v) == CK_VBOOL &&
	       ck_value_get_bool(v);
}

/* Orders questions by id (qsort, bsearch). */
static int
cmp_question(const void *a, const void *b)
{
	return strcmp(((const struct question *)a)->id,
	              ((const struct question *)b)->id);
}

/* The question of q with key's id (pointing into q), or NULL. */
static const struct question *
find_question(const struct questions *q, const struct question *key)
{
	if (q->len == 0)
		return NULL;
	return bsearch(key, q->v, q->len, sizeof(*q->v), cmp_question);
}

/*
 * Reads the questions of a questions.json text (absent when it cannot);
 * what q holds is allocated in a and lives as long as it.
 */
static void
read_questions(struct questions *q, ck_arena *a, const char *text, size_t len)
{
	ck_value *root = NULL, *list, *item;
	ck_buf errs = CK_BUF_INIT;
	size_t i, n;

	memset(q, 0, sizeof(*q));
	if (text == NULL || ck_json_parse(&root, a, text, len, &errs) != 0 ||
	    root == NULL || ck_value_kind(root) != CK_VMAP)
		goto done;
	list = ck_value_get(root, "questions");
	if (list == NULL || ck_value_kind(list) != CK_VLIST)
		goto done;
	n = ck_value_len(list);
	q->v = ck_arena_alloc(a, (n ? n : 1) * sizeof(*q->v));
	for (i = 0; i < n; i++) {
		item = ck_value_at(list, i);
		if (ck_value_kind(item) != CK_VMAP ||
		    str_field(item, "id") == NULL)
			continue;
		q->v[q->len].id = str_field(item, "id");
		q->v[q->len].status = str_field(item, "status");
		q->v[q->len].answered = str_field(item, "answered");
		q->v[q->len].answer_html = str_field(item, "answer_html");
		q->v[q->len].answer_overdue =
		    bool_field(item, "answer_overdue");
		q->v[q->len].overdue = bool_field(item, "overdue");
		q->len++;
	}
	qsort(q->v, q->len, sizeof(*q->v), cmp_question);
	q->present = 1;
done:
	ck_buf_free(&errs);
}

/* The count of data/dialogues.json's dialogues, or -1. */
static long
count_dialogues(ck_arena *a, const char *text, size_t len)
{
	ck_value *root = NULL, *list;
	ck_buf errs = CK_BUF_INIT;
	long n = -1;

	if (text != NULL && ck_json_parse(&root, a, text, len, &errs) == 0 &&
	    root != NULL && ck_value_kind(root) == CK_VMAP &&
	    (list = ck_value_get(root, "dialogues")) != NULL &&
	    ck_value_kind(list) == CK_VLIST)
		n = (long)ck_value_len(list);
	ck_buf_free(&errs);
	return n;
}

/*
 * The dialogues of a data/dialogues.json whose conclusion is overdue, as a
 * sorted list of slugs in a; *n their count (0 when it cannot be read).
 */
static const char **
overdue_conclusions(ck_arena *a, const char *text, size_t len, size_t *n)
{
	ck_value *root = NULL, *list;
	ck_buf errs = CK_BUF_INIT;
	const char **v = NULL;
	size_t i;

	*n = 0;
	if (text != NULL && ck_json_parse(&root, a, text, len, &errs) == 0 &&
	    root != NULL && ck_value_kind(root) == CK_VMAP &&
	    (list = ck_value_get(root, "dialogues")) != NULL &&
	    ck_value_kind(list) == CK_VLIST) {
		v = ck_arena_alloc(a, (ck_value_len(list) + 1) * sizeof(*v));
		for (i = 0; i < ck_value_len(list); i++) {
			const ck_value *d = ck_value_at(list, i);

			if (bool_field(d, "conclusion_overdue") &&
			    str_field(d, "slug") != NULL)
				v[(*n)++] = str_field(d, "slug");
		}
	}
	ck_buf_free(&errs);
	return v;
}

/* Whether two strings, either possibly NULL, are the same. */
static int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * The content of path in tree (may be NULL), NUL-terminated, its length in
 * len; NULL when there is none. The caller frees it.
 */
static char *
tree_file(struct ck_publisher *p, git_tree *tree, const char *path, size_t *len)
{
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	char *s = NULL;

	if (tree == NULL || git_tree_entry_bypath(&e, tree, path) < 0)
		return NULL;
	if (git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
	    git_blob_lookup(&b, p->repo, git_tree_entry_id(e)) == 0) {
		*len = (size_t)git_blob_rawsize(b);
		s = malloc(*len + 1);
		if (s == NULL)
			err(3, "malloc");
		memcpy(s, git_blob_rawcontent(b), *len);
		s[*len] = '\0';
	}
	git_blob_free(b);
	git_tree_entry_free(e);
	return s;
}

/* What changed for citizens between two sets of questions. */
struct counts {
	size_t added, answers, edited, resolved, moved, removed;
	size_t late_answers, late_done;
};

/* Adds to c what changed from oldq to newq. */
static void
compare(struct counts *c, const struct questions *oldq,
        const struct questions *newq)
{
	const struct question *o;
	size_t i;

	for (i = 0; i < newq->len; i++) {
		const struct question *n = &newq->v[i];

		o = find_question(oldq, n);
		if (o == NULL) {
			c->added++;
			if (n->answered != NULL)
				c->answers++;
			continue;
		}
		/* What turned overdue since: a quiet day's only news. */
		if (n->answer_overdue && !o->answer_overdue)
			c->late_answers++;
		if (n->overdue && !o->overdue)
			c->late_done++;
		if (n->answered != NULL && o->answered == NULL)
			c->answers++;
		else if (n->answered != NULL &&
		         (!str_eq(n->answered, o->answered) ||
		          !str_eq(n->answer_html, o->answer_html)))
			c->edited++;
		if (str_eq(n->status, o->status))
			continue;
		if (str_eq(n->status, "resolved"))
			c->resolved++;
		else if (!(str_eq(n->status, "answered") &&
		           o->answered == NULL && n->answered != NULL))
			c->moved++; /* not what the new answer already says */
	}
	for (i = 0; i < oldq->len; i++)
		if (find_question(newq, &oldq->v[i]) == NULL)
			c->removed++;
}

/* The subtree at path of tree, or NULL (the caller frees it). */
static git_tree *
subtree(struct ck_publisher *p, git_tree *tree, const char *path)
{
	git_tree_entry *e = NULL;
	git_tree *t = NULL;

	if (tree != NULL && git_tree_entry_bypath(&e, tree, path) == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_TREE &&
	    git_tree_lookup(&t, p->repo, git_tree_entry_id(e)) < 0)
		t = NULL;
	git_tree_entry_free(e);
	return t;
}

/* Reads the questions of the blob of entry e (none when e is NULL). */
static void
read_entry(struct ck_publisher *p, struct questions *q, ck_arena *a,
           const git_tree_entry *e)
{
	git_blob *b = NULL;

	memset(q, 0, sizeof(*q));
	if (e == NULL || git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
	    git_blob_lookup(&b, p->repo, git_tree_entry_id(e)) < 0)
		return;
	read_questions(q, a, git_blob_rawcontent(b),
	               (size_t)git_blob_rawsize(b));
	git_blob_free(b);
}

/*
 * What changed, from the files of data/doi-thoai/ (one a dialogue) whose
 * blobs differ between the trees: a question is in its dialogue's file
 * as in questions.json, so the files that did not change hold nothing
 * new, and a province's 140 MB questions.json is not read twice. Returns
 * 0, or -1 when either tree has no such folder (published before it
 * existed): then questions.json is compared whole.
 */
static int
compare_dialogues(struct ck_publisher *p, struct counts *c)
{
	git_tree *ot = subtree(p, p->old_tree, "data/doi-thoai");
	git_tree *nt = subtree(p, p->new_tree, "data/doi-thoai");
	ck_arena *a;
	struct questions oldq, newq;
	const git_tree_entry *oe, *ne;
	size_t i;
	int rc = -1;

	if (ot == NULL || nt == NULL)
		goto done;
	a = ck_arena_new();
	for (i = 0; i < git_tree_entrycount(nt); i++) {
		ne = git_tree_entry_byindex(nt, i);
		oe = git_tree_entry_byname(ot, git_tree_entry_name(ne));
		if (oe != NULL &&
		    git_oid_equal(git_tree_entry_id(oe), git_tree_entry_id(ne)))
			continue;
		read_entry(p, &oldq, a, oe);
		read_entry(p, &newq, a, ne);
		compare(c, &oldq, &newq);
		ck_arena_reset(a);
	}
	for (i = 0; i < git_tree_entrycount(ot); i++) {
		oe = git_tree_entry_byindex(ot, i);
		if (git_tree_entry_byname(nt, git_tree_entry_name(oe)) != NULL)
			continue;
		read_entry(p, &oldq, a, oe);
		c->removed += oldq.len;
		ck_arena_reset(a);
	}
	ck_arena_free(a);
	rc = 0;
done:
	git_tree_free(ot);
	git_tree_free(nt);
	return rc;
}

/* The questions of data/dialogues.json's dialogues (their question_count
 * summed), or -1 when it cannot be read. */
static long
count_questions(ck_arena *a, const char *text, size_t len)
{
	ck_value *root = NULL, *list, *n;
	ck_buf errs = CK_BUF_INIT;
	long total = -1;
	size_t i;

	if (text != NULL && ck_json_parse(&root, a, text, len, &errs) == 0 &&
	    root != NULL && ck_value_kind(root) == CK_VMAP &&
	    (list = ck_value_get(root, "dialogues")) != NULL &&
	    ck_value_kind(list) == CK_VLIST) {
		total = 0;
		for (i = 0; i < ck_value_len(list); i++) {
			n = ck_value_get(ck_value_at(list, i), "question_count");
			if (ck_value_kind(n) != CK_VINT) {
				total = -1;
				break;
			}
			total += (long)ck_value_get_int(n);
		}
	}
	ck_buf_free(&errs);
	return total;
}

/* Appends "<n> <what>" to a comma-separated list, unless n is 0. */
static void
put_part(ck_buf *b, size_t n, const char *what)
{
	if (n == 0)
		return;
	ck_buf_puts(b, b->size > 0 ? ", " : "");
	ck_buf_printf(b, "%zu %s", n, what);
}

/*
 * The summary line: what changed for citizens, from the old and the new
 * open data. Appended to out.
 */
static void
summarize(struct ck_publisher *p, ck_buf *out)
{
	ck_arena *a = ck_arena_new();
	struct questions oldq, newq;
	struct counts c;
	char *ntext = NULL, *dtext = NULL, *otext;
	size_t len = 0, dlen = 0, i, late_concl = 0;
	size_t nold_c = 0, nnew_c = 0, k;
	const char **old_c, **new_c;
	long dialogues, questions;
	ck_buf parts = CK_BUF_INIT;

	memset(&c, 0, sizeof(c));
	/* The new files are read back from the new tree: the site was
	 * streamed into the object database, not kept. */
	dtext = tree_file(p, p->new_tree, "data/dialogues.json", &dlen);
	if (!p->have_old) {
		dialogues = count_dialogues(a, dtext, dlen);
		questions = count_questions(a, dtext, dlen);
		if (questions < 0) { /* no usable dialogues.json: count */
			ntext = tree_file(p, p->new_tree, "data/questions.json",
			                  &len);
			read_questions(&newq, a, ntext, len);
			questions = newq.present ? (long)newq.len : -1;
		}
		ck_buf_puts(out, "Công khai lần đầu");
		if (questions >= 0)
			ck_buf_printf(out, ": %ld câu hỏi", questions);
		if (questions >= 0 && dialogues >= 0)
			ck_buf_printf(out, ", %ld đối thoại", dialogues);
		goto done;
	}
	if (compare_dialogues(p, &c) != 0) {
		ntext = tree_file(p, p->new_tree, "data/questions.json", &len);
		read_questions(&newq, a, ntext, len);
		otext = tree_file(p, p->old_tree, "data/questions.json", &len);
		read_questions(&oldq, a, otext, len);
		free(otext);
		compare(&c, &oldq, &newq);
	}
	new_c = overdue_conclusions(a, dtext, dlen, &nnew_c);
	otext = tree_file(p, p->old_tree, "data/dialogues.json", &len);
	old_c = overdue_conclusions(a, otext, len, &nold_c);
	free(otext);
	for (i = 0; i < nnew_c; i++) {
		for (k = 0; k < nold_c && strcmp(old_c[k], new_c[i]); k++)
			;
		if (k == nold_c)
			late_concl++;
	}

	put_part(&parts, c.added, "câu hỏi mới");
	put_part(&parts, c.answers, "câu trả lời mới");
	put_part(&parts, c.edited, "câu trả lời được sửa");
	put_part(&parts, c.resolved, "câu hỏi đã giải quyết");
	put_part(&parts, c.moved, "câu hỏi đổi trạng thái");
	put_part(&parts, c.removed, "câu hỏi bị gỡ");
	put_part(&parts, c.late_answers, "câu hỏi quá hạn trả lời");
	put_part(&parts, c.late_done, "câu hỏi quá hạn giải quyết");
	put_part(&parts, late_concl, "đối thoại quá hạn thông báo kết luận");
	ck_buf_printf(out, "Công khai: %s",
	              parts.size ? parts.ptr : "cập nhật trang");
done:
	free(ntext);
	free(dtext);
	ck_buf_free(&parts);
	ck_arena_free(a);
}

/*
 * Appends a page's path to out as one line can hold it: as it is when it is
 * valid UTF-8 without control characters, quotes or backslashes; else the
 * way git quotes such paths, in double quotes with C escapes and every
 * byte from 0x80 in octal. A newline in a file name so cannot start a line
 * of its own (a forged trailer), nor a stray byte break the message's
 * UTF-8.
 */
static void
put_path(ck_buf *out, const char *path)
{
	const unsigned char *c;
	size_t len = strlen(path), bad;
	int plain = ck_utf8_check(path, len, &bad) == 0;

	for (c = (const unsigned char *)path; plain && *c; c++)
		if (*c < 0x20 || *c == 0x7f || *c == '"' || *c == '\\')
			plain = 0;
	if (plain) {
		ck_buf_put(out, path, len);
		return;
	}
	ck_buf_putc(out, '"');
	for (c = (const unsigned char *)path; *c; c++) {
		if (*c == '\n')
			ck_buf_puts(out, "\\n");
		else if (*c == '\t')
			ck_buf_puts(out, "\\t");
		else if (*c == '"' || *c == '\\')
			ck_buf_printf(out, "\\%c", *c);
		else if (*c < 0x20 || *c >= 0x7f)
			ck_buf_printf(out, "\\%03o", *c);
		else
			ck_buf_putc(out, *c);
	}
	ck_buf_putc(out, '"');
}

/* Lists the pages of one kind of change, at most MAX_LISTED of them. */
static void
list_pages(ck_buf *out, const struct ck_pub_change *v, size_t n,
           const char *title, enum ck_pub_change_kind kind)
{
	size_t i, shown = 0, total = 0;

	for (i = 0; i < n; i++) {
		if (v[i].kind != kind)
			continue;
		if (total == 0)
			ck_buf_printf(out, "\n%s\n", title);
		total++;
		if (shown < MAX_LISTED) {
			ck_buf_puts(out, "- ");
			put_path(out, v[i].path);
			ck_buf_putc(out, '\n');
			shown++;
		}
	}
	if (total > shown)
		ck_buf_printf(out, "- ... và %zu trang khác\n", total - shown);
}

/*
 * The paths changed since p->old_tree, when the tree was written whole: a
 * diff of the trees (which an edited tree does without: p->changes). Sets
 * *out (free it) and *n; the paths belong to *diff (free it after). Returns
 * 0, or -3 with the problem printed.
 */
static int
diff_changes(struct ck_pub_change **out, size_t *n, git_diff **diff,
             struct ck_publisher *p)
{
	git_diff_options dopts;
	const git_diff_delta *d;
	size_t i;

	*out = NULL;
	*n = 0;
	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	if (git_diff_tree_to_tree(diff, p->repo, p->old_tree, p->new_tree,
	                          &dopts) < 0)
		return ck_pub_git_fail("comparing with the last publication");
	*n = git_diff_num_deltas(*diff);
	if ((*out = calloc(*n + 1, sizeof(**out))) == NULL)
		err(3, "calloc");
	for (i = 0; i < *n; i++) {
		d = git_diff_get_delta(*diff, i);
		(*out)[i].kind = d->status == GIT_DELTA_ADDED ? CK_PUB_ADDED
		                 : d->status == GIT_DELTA_DELETED
		                     ? CK_PUB_REMOVED
		                     : CK_PUB_MODIFIED;
		(*out)[i].path = d->new_file.path;
	}
	return 0;
}

/*
 * The trailers, after a blank line: which commit of the records was
 * published (and whether they differed from it), and as of which day.
 */
static void
put_trailers(struct ck_publisher *p, ck_buf *msg)
{
	ck_buf_puts(msg, "\n");
	if (p->source[0] != '\0')
		ck_buf_printf(msg, "Source-Commit: %s\n", p->source);
	if (p->source_dirty)
		ck_buf_puts(msg, "Source-Dirty: yes\n");
	if (p->o->today != NULL)
		ck_buf_printf(msg, "As-Of: %s\n", p->o->today);
}

/*
 * The commit message: summary (or --message), pages changed, trailers
 * (see publish_int.h).
 */
int
ck_pub_compose_message(struct ck_publisher *p, ck_buf *out, ck_buf *summary)
{
	struct ck_pub_change *diffed = NULL;
	const struct ck_pub_change *changes = p->changes;
	git_diff *diff = NULL;
	size_t n = p->nchanges;
	git_buf pretty = {0};
	ck_buf msg = CK_BUF_INIT;
	int rc = 0;

	if (p->o->message != NULL && *p->o->message != '\0')
		ck_buf_puts(summary, p->o->message);
	else
		summarize(p, summary);
	ck_buf_printf(&msg, "%s\n", summary->ptr);

	if (!p->stats.incremental) {
		if ((rc = diff_changes(&diffed, &n, &diff, p)) < 0)
			goto done;
		changes = diffed;
	}
	list_pages(&msg, changes, n, "Trang mới:", CK_PUB_ADDED);
	list_pages(&msg, changes, n, "Trang thay đổi:", CK_PUB_MODIFIED);
	list_pages(&msg, changes, n, "Trang bỏ:", CK_PUB_REMOVED);

	put_trailers(p, &msg);
	if (git_message_prettify(&pretty, msg.ptr, 0, '#') < 0) {
		rc = ck_pub_git_fail("commit message");
		goto done;
	}
	ck_buf_put(out, pretty.ptr, pretty.size);
done:
	git_buf_dispose(&pretty);
	free(diffed);
	git_diff_free(diff);
	ck_buf_free(&msg);
	return rc;
}
