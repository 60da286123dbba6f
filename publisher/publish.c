#include "publish.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "gitutil.h"
#include "json.h"
#include "value.h"

/* The longest list of pages a commit message names, per kind of change. */
#define MAX_LISTED 200
/* The most uncommitted paths the dirty refusal names. */
#define MAX_DIRTY 10
/* Commits are dated in the commune's time zone, UTC+7. */
#define TZ_MINUTES 420

/* What one publication works with. */
struct pub {
	const ck_site *site;
	const ck_publish_opts *o;
	git_repository *repo;
	git_odb *odb;
	ck_buf ref;     /* refs/heads/<branch> */
	git_oid old_id; /* the branch tip before, when have_old */
	int have_old;
	git_commit *old_commit;
	git_tree *old_tree;
	git_oid tree_id; /* the site's tree */
	git_tree *new_tree;
	git_oid commit_id;
	int checked_out; /* the branch is HEAD of a working tree */
	/* The records' repository: HEAD's id, and whether they differ. */
	char source[GIT_OID_HEXSZ + 1];
	int source_dirty;
};

/* Prints "congkhai publish: <what>: <libgit2's last error>"; returns -3. */
static int git_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int
git_fail(const char *fmt, ...)
{
	const git_error *e = git_error_last();
	va_list ap;

	fprintf(stderr, "congkhai publish: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n",
	        e && e->message ? e->message : "unknown git error");
	return -3;
}

static void
short_id(char out[13], const git_oid *id)
{
	git_oid_tostr(out, 13, id);
}

/* Opens the repository holding dir (searching upward, as git does). */
static int
open_source_repo(git_repository **out, const char *dir)
{
	return git_repository_open_ext(out, dir, 0,
	                               getenv("GIT_CEILING_DIRECTORIES"));
}

/*
 * Appends the uncommitted paths (staged, modified, deleted, untracked but
 * not ignored) under prefix to list, one a line, and returns their count;
 * negative on a git failure.
 */
static long
dirty_paths(ck_buf *list, git_repository *repo, const char *prefix)
{
	git_status_options so;
	git_status_list *sl = NULL;
	const git_status_entry *e;
	const char *path;
	char *spec = (char *)prefix;
	size_t i, n, plen = strlen(prefix);
	long count = 0;

	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED |
	           GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
	           GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH;
	if (plen > 0) {
		so.pathspec.strings = &spec;
		so.pathspec.count = 1;
	}
	if (git_status_list_new(&sl, repo, &so) < 0)
		return -1;
	n = git_status_list_entrycount(sl);
	for (i = 0; i < n; i++) {
		e = git_status_byindex(sl, i);
		if (e->status == GIT_STATUS_CURRENT ||
		    (e->status & GIT_STATUS_IGNORED))
			continue;
		if (e->index_to_workdir)
			path = e->index_to_workdir->new_file.path;
		else
			path = e->head_to_index->new_file.path;
		/* The pathspec is a prefix; a sibling "content2" is not ours.
		 */
		if (plen > 0 &&
		    (strncmp(path, prefix, plen) != 0 || path[plen] != '/'))
			continue;
		if (count < MAX_DIRTY)
			ck_buf_printf(list, "  %s\n", path);
		count++;
	}
	git_status_list_free(sl);
	return count;
}

int
ck_publish_check_clean(const ck_publish_opts *opts)
{
	git_repository *repo = NULL;
	ck_buf prefix = CK_BUF_INIT, list = CK_BUF_INIT;
	long n;
	int rc = 0;

	if (opts->allow_dirty || opts->content_dir == NULL)
		return 0;
	git_libgit2_init();
	rc = open_source_repo(&repo, opts->content_dir);
	if (rc == GIT_ENOTFOUND) {
		rc = 0;
		goto done;
	}
	if (rc < 0) {
		rc = git_fail("%s", opts->content_dir);
		goto done;
	}
	if (ck_git_workdir_path(&prefix, repo, opts->content_dir) != 0)
		goto done; /* bare, or not in its working tree */
	n = dirty_paths(&list, repo, prefix.ptr);
	if (n < 0) {
		rc = git_fail("%s: status", opts->content_dir);
		goto done;
	}
	if (n > 0) {
		fprintf(stderr,
		        "congkhai publish: %s has uncommitted changes:\n%s",
		        opts->content_dir, list.ptr);
		if (n > MAX_DIRTY)
			fprintf(stderr, "  ... and %ld more\n", n - MAX_DIRTY);
		fprintf(stderr, "Commit them, or pass --allow-dirty to publish "
		                "anyway.\n");
		rc = -1;
	}
done:
	git_repository_free(repo);
	git_libgit2_shutdown();
	ck_buf_free(&prefix);
	ck_buf_free(&list);
	return rc;
}

/* The records' repository: HEAD's id for Source-Commit, and whether the
 * records differ from it (published anyway with --allow-dirty). */
static int
read_source(struct pub *p)
{
	git_repository *src = NULL;
	ck_buf prefix = CK_BUF_INIT, list = CK_BUF_INIT;
	git_oid id;
	long n;
	int rc;

	if (p->o->content_dir == NULL)
		return 0;
	rc = open_source_repo(&src, p->o->content_dir);
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0)
		return git_fail("%s", p->o->content_dir);
	rc = 0;
	if (ck_git_workdir_path(&prefix, src, p->o->content_dir) != 0)
		goto done;
	if (git_reference_name_to_id(&id, src, "HEAD") == 0)
		git_oid_tostr(p->source, sizeof(p->source), &id);
	n = dirty_paths(&list, src, prefix.ptr);
	if (n < 0) {
		rc = git_fail("%s: status", p->o->content_dir);
		goto done;
	}
	p->source_dirty = n > 0;
done:
	git_repository_free(src);
	ck_buf_free(&prefix);
	ck_buf_free(&list);
	return rc;
}

/* Opens --repo, or creates it (non-bare, HEAD on the branch). */
static int
open_target(struct pub *p)
{
	git_repository_init_options io;
	int rc;

	rc = git_repository_open_ext(&p->repo, p->o->repo,
	                             GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (rc == GIT_ENOTFOUND) {
		git_repository_init_options_init(
		    &io, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
		io.flags = GIT_REPOSITORY_INIT_MKPATH;
		io.initial_head = p->o->branch;
		rc = git_repository_init_ext(&p->repo, p->o->repo, &io);
		if (rc == 0)
			printf("Created the git repository %s (branch %s).\n",
			       p->o->repo, p->o->branch);
	}
	if (rc < 0)
		return git_fail("%s", p->o->repo);
	if (git_repository_odb(&p->odb, p->repo) < 0)
		return git_fail("%s: object database", p->o->repo);
	return 0;
}

/* Whether the branch is the one checked out in the target's working tree;
 * refuses when that working tree holds the records themselves. */
static int
find_checkout(struct pub *p)
{
	git_reference *head = NULL;
	ck_buf where = CK_BUF_INIT;
	int rc = 0;

	if (git_repository_is_bare(p->repo))
		return 0;
	if (git_reference_lookup(&head, p->repo, "HEAD") < 0)
		return git_fail("%s: HEAD", p->o->repo);
	if (git_reference_type(head) == GIT_REFERENCE_SYMBOLIC &&
	    strcmp(git_reference_symbolic_target(head), p->ref.ptr) == 0)
		p->checked_out = 1;
	if (p->checked_out && p->o->content_dir != NULL &&
	    ck_git_workdir_path(&where, p->repo, p->o->content_dir) == 0) {
		fprintf(stderr,
		        "congkhai publish: %s is the branch checked out in %s, "
		        "whose working tree holds the records; publish to "
		        "another branch (for example --branch gh-pages)\n",
		        p->o->branch, p->o->repo);
		rc = -2;
	}
	git_reference_free(head);
	ck_buf_free(&where);
	return rc;
}

/* The branch tip, its commit and tree; none for an unborn branch. */
static int
read_tip(struct pub *p)
{
	git_reference *ref = NULL;
	int rc;

	rc = git_reference_lookup(&ref, p->repo, p->ref.ptr);
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0)
		return git_fail("%s: %s", p->o->repo, p->ref.ptr);
	if (git_reference_type(ref) != GIT_REFERENCE_DIRECT) {
		fprintf(stderr,
		        "congkhai publish: %s: %s is a symbolic reference\n",
		        p->o->repo, p->ref.ptr);
		git_reference_free(ref);
		return -3;
	}
	git_oid_cpy(&p->old_id, git_reference_target(ref));
	git_reference_free(ref);
	p->have_old = 1;
	if (git_commit_lookup(&p->old_commit, p->repo, &p->old_id) < 0 ||
	    git_commit_tree(&p->old_tree, p->old_commit) < 0)
		return git_fail("%s: %s", p->o->repo, p->ref.ptr);
	return 0;
}

/* Writes a blob unless the object database has it already. */
static int
put_blob(struct pub *p, git_oid *id, const void *data, size_t len)
{
	if (git_odb_hash(id, data, len, GIT_OBJECT_BLOB) < 0)
		return -1;
	if (git_odb_exists(p->odb, id))
		return 0;
	return git_odb_write(id, p->odb, data, len, GIT_OBJECT_BLOB);
}

struct entry {
	const char *path;
	size_t i; /* index in the site */
};

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path,
	              ((const struct entry *)b)->path);
}

static int
tb_insert(git_treebuilder *tb, const char *name, const git_oid *id,
          git_filemode_t mode, const char *path)
{
	if (git_treebuilder_get(tb, name) != NULL) {
		fprintf(stderr,
		        "congkhai publish: %s: two files, or a file and a "
		        "folder, have that name\n",
		        path);
		return -3;
	}
	if (git_treebuilder_insert(NULL, tb, name, id, mode) < 0)
		return git_fail("cannot put %s in a git tree", path);
	return 0;
}

/*
 * Writes the tree of the files e[lo..hi), which all start with the same
 * folder prefix of plen bytes; bottom-up, one tree per folder. Trees that
 * exist already are not written again (the object database sees to it).
 */
static int
write_tree(struct pub *p, git_oid *out, const struct entry *e, size_t lo,
           size_t hi, size_t plen, int root)
{
	git_treebuilder *tb = NULL;
	ck_buf name = CK_BUF_INIT;
	const char *rest, *slash, *data;
	size_t i = lo, j, len, nlen;
	git_oid id;
	int rc;

	if (git_treebuilder_new(&tb, p->repo, NULL) < 0)
		return git_fail("tree builder");
	while (i < hi) {
		rest = e[i].path + plen;
		slash = strchr(rest, '/');
		if (slash == NULL) {
			data = ck_site_data(p->site, e[i].i, &len);
			if (put_blob(p, &id, data, len) < 0) {
				rc = git_fail("%s", e[i].path);
				goto done;
			}
			if ((rc = tb_insert(tb, rest, &id, GIT_FILEMODE_BLOB,
			                    e[i].path)) < 0)
				goto done;
			i++;
			continue;
		}
		nlen = (size_t)(slash - rest);
		for (j = i + 1; j < hi; j++)
			if (strncmp(e[j].path + plen, rest, nlen + 1) != 0)
				break;
		ck_buf_clear(&name);
		ck_buf_put(&name, rest, nlen);
		if ((rc = write_tree(p, &id, e, i, j, plen + nlen + 1, 0)) <
		        0 ||
		    (rc = tb_insert(tb, name.ptr, &id, GIT_FILEMODE_TREE,
		                    e[i].path)) < 0)
			goto done;
		i = j;
	}
	if (root) {
		/* Pages hosts must not run the site through Jekyll. */
		if (put_blob(p, &id, "", 0) < 0 ||
		    git_treebuilder_insert(NULL, tb, ".nojekyll", &id,
		                           GIT_FILEMODE_BLOB) < 0) {
			rc = git_fail(".nojekyll");
			goto done;
		}
		if (p->o->cname != NULL && *p->o->cname != '\0') {
			ck_buf_clear(&name);
			ck_buf_printf(&name, "%s\n", p->o->cname);
			if (put_blob(p, &id, name.ptr, name.size) < 0 ||
			    git_treebuilder_insert(NULL, tb, "CNAME", &id,
			                           GIT_FILEMODE_BLOB) < 0) {
				rc = git_fail("CNAME");
				goto done;
			}
		}
	}
	if (git_treebuilder_write(out, tb) < 0) {
		rc = git_fail("writing a tree");
		goto done;
	}
	rc = 0;
done:
	git_treebuilder_free(tb);
	ck_buf_free(&name);
	return rc;
}

static int
build_tree(struct pub *p)
{
	size_t i, n = ck_site_count(p->site);
	struct entry *e = calloc(n ? n : 1, sizeof(*e));
	int rc;

	if (e == NULL)
		err(3, "calloc");
	for (i = 0; i < n; i++) {
		e[i].path = ck_site_path(p->site, i);
		e[i].i = i;
	}
	/* Files of one folder must be neighbours: sorted bytewise, they are. */
	qsort(e, n, sizeof(*e), cmp_entry);
	rc = write_tree(p, &p->tree_id, e, 0, n, 0, 1);
	free(e);
	if (rc == 0 && git_tree_lookup(&p->new_tree, p->repo, &p->tree_id) < 0)
		rc = git_fail("reading the new tree");
	return rc;
}

/* The questions of a data/questions.json, by id. */
struct question {
	const char *id;
	const char *status;
	const char *answered;    /* NULL: not answered */
	const char *answer_html; /* NULL: none */
};

struct questions {
	struct question *v;
	size_t len;
	int present; /* the file was there and readable */
};

static const char *
str_field(const ck_value *map, const char *key)
{
	const ck_value *v = ck_value_get(map, key);

	if (v == NULL || ck_value_kind(v) != CK_VSTRING)
		return NULL;
	return ck_value_get_str(v, NULL);
}

static int
cmp_question(const void *a, const void *b)
{
	return strcmp(((const struct question *)a)->id,
	              ((const struct question *)b)->id);
}

static const struct question *
find_question(const struct questions *q, const struct question *key)
{
	if (q->len == 0)
		return NULL;
	return bsearch(key, q->v, q->len, sizeof(*q->v), cmp_question);
}

/* Reads the questions of a questions.json text (absent when it cannot). */
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

static int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* The content of path in the old tree (malloc'd), or NULL. */
static char *
old_file(struct pub *p, const char *path, size_t *len)
{
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	char *s = NULL;

	if (p->old_tree == NULL ||
	    git_tree_entry_bypath(&e, p->old_tree, path) < 0)
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
summarize(struct pub *p, ck_buf *out)
{
	ck_arena *a = ck_arena_new();
	struct questions oldq, newq;
	const struct question *o;
	const char *text;
	char *otext;
	size_t len = 0, i;
	size_t added = 0, answers = 0, edited = 0, resolved = 0, moved = 0,
	       removed = 0;
	long dialogues;
	ck_buf parts = CK_BUF_INIT;

	text = ck_site_find(p->site, "data/questions.json", &len);
	read_questions(&newq, a, text, len);
	if (!p->have_old) {
		text = ck_site_find(p->site, "data/dialogues.json", &len);
		dialogues = count_dialogues(a, text, len);
		ck_buf_puts(out, "Công khai lần đầu");
		if (newq.present)
			ck_buf_printf(out, ": %zu câu hỏi", newq.len);
		if (newq.present && dialogues >= 0)
			ck_buf_printf(out, ", %ld đối thoại", dialogues);
		goto done;
	}
	otext = old_file(p, "data/questions.json", &len);
	read_questions(&oldq, a, otext, len);
	free(otext);

	for (i = 0; i < newq.len; i++) {
		const struct question *n = &newq.v[i];

		o = find_question(&oldq, n);
		if (o == NULL) {
			added++;
			if (n->answered != NULL)
				answers++;
			continue;
		}
		if (n->answered != NULL && o->answered == NULL)
			answers++;
		else if (n->answered != NULL &&
		         (!str_eq(n->answered, o->answered) ||
		          !str_eq(n->answer_html, o->answer_html)))
			edited++;
		if (str_eq(n->status, o->status))
			continue;
		if (str_eq(n->status, "resolved"))
			resolved++;
		else if (!(str_eq(n->status, "answered") &&
		           o->answered == NULL && n->answered != NULL))
			moved++; /* not what the new answer already says */
	}
	for (i = 0; i < oldq.len; i++)
		if (find_question(&newq, &oldq.v[i]) == NULL)
			removed++;

	put_part(&parts, added, "câu hỏi mới");
	put_part(&parts, answers, "câu trả lời mới");
	put_part(&parts, edited, "câu trả lời được sửa");
	put_part(&parts, resolved, "câu hỏi đã giải quyết");
	put_part(&parts, moved, "câu hỏi đổi trạng thái");
	put_part(&parts, removed, "câu hỏi bị gỡ");
	ck_buf_printf(out, "Công khai: %s",
	              parts.size ? parts.ptr : "cập nhật trang");
done:
	ck_buf_free(&parts);
	ck_arena_free(a);
}

/* Lists the pages of one kind of change, at most MAX_LISTED of them. */
static void
list_pages(ck_buf *out, git_diff *diff, const char *title, int kind)
{
	size_t i, n = git_diff_num_deltas(diff), shown = 0, total = 0;
	const git_diff_delta *d;
	int k;

	for (i = 0; i < n; i++) {
		d = git_diff_get_delta(diff, i);
		k = d->status == GIT_DELTA_ADDED     ? 0
		    : d->status == GIT_DELTA_DELETED ? 2
		                                     : 1;
		if (k != kind)
			continue;
		if (total == 0)
			ck_buf_printf(out, "\n%s\n", title);
		total++;
		if (shown < MAX_LISTED) {
			ck_buf_printf(out, "- %s\n", d->new_file.path);
			shown++;
		}
	}
	if (total > shown)
		ck_buf_printf(out, "- ... và %zu trang khác\n", total - shown);
}

/* The commit message: summary (or --message), pages changed, trailers. */
static int
compose_message(struct pub *p, ck_buf *out, ck_buf *summary)
{
	git_diff *diff = NULL;
	git_diff_options dopts;
	git_buf pretty = {0};
	ck_buf msg = CK_BUF_INIT;
	int rc = 0;

	if (p->o->message != NULL && *p->o->message != '\0')
		ck_buf_puts(summary, p->o->message);
	else
		summarize(p, summary);
	ck_buf_printf(&msg, "%s\n", summary->ptr);

	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	if (git_diff_tree_to_tree(&diff, p->repo, p->old_tree, p->new_tree,
	                          &dopts) < 0) {
		rc = git_fail("comparing with the last publication");
		goto done;
	}
	list_pages(&msg, diff, "Trang mới:", 0);
	list_pages(&msg, diff, "Trang thay đổi:", 1);
	list_pages(&msg, diff, "Trang bỏ:", 2);

	ck_buf_puts(&msg, "\n");
	if (p->source[0] != '\0')
		ck_buf_printf(&msg, "Source-Commit: %s\n", p->source);
	if (p->source_dirty)
		ck_buf_puts(&msg, "Source-Dirty: yes\n");
	if (p->o->today != NULL)
		ck_buf_printf(&msg, "As-Of: %s\n", p->o->today);
	if (git_message_prettify(&pretty, msg.ptr, 0, '#') < 0) {
		rc = git_fail("commit message");
		goto done;
	}
	ck_buf_put(out, pretty.ptr, pretty.size);
done:
	git_buf_dispose(&pretty);
	git_diff_free(diff);
	ck_buf_free(&msg);
	return rc;
}

/* name and email from the environment, else the repository's
 * configuration, else congkhai's own. */
static int
signature(git_signature **out, git_config *cfg, const char *env_name,
          const char *env_email, git_time_t when)
{
	const char *name = getenv(env_name), *email = getenv(env_email);
	const char *cname = NULL, *cemail = NULL;

	if (cfg != NULL) {
		if (git_config_get_string(&cname, cfg, "user.name") < 0)
			cname = NULL;
		if (git_config_get_string(&cemail, cfg, "user.email") < 0)
			cemail = NULL;
	}
	if (name == NULL || *name == '\0')
		name = cname && *cname ? cname : "congkhai";
	if (email == NULL || *email == '\0')
		email = cemail && *cemail ? cemail : "congkhai@localhost";
	if (git_signature_new(out, name, email, when, TZ_MINUTES) < 0)
		return git_fail("signature '%s <%s>'", name, email);
	return 0;
}

/* The commit time: SOURCE_DATE_EPOCH when set (reproducible), else now. */
static int
commit_time(git_time_t *out)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long t;

	if (s == NULL || *s == '\0') {
		*out = (git_time_t)time(NULL);
		return 0;
	}
	errno = 0;
	t = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || t < 0) {
		fprintf(stderr,
		        "congkhai publish: SOURCE_DATE_EPOCH='%s' is not a "
		        "count of seconds\n",
		        s);
		return -3;
	}
	*out = (git_time_t)t;
	return 0;
}

static int
make_commit(struct pub *p, const char *message)
{
	git_config *cfg = NULL;
	git_signature *author = NULL, *committer = NULL;
	const git_commit *parents[1];
	git_time_t when;
	int rc;

	if ((rc = commit_time(&when)) < 0)
		return rc;
	if (git_repository_config_snapshot(&cfg, p->repo) < 0)
		cfg = NULL; /* no configuration: the defaults */
	if ((rc = signature(&author, cfg, "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL",
	                    when)) < 0 ||
	    (rc = signature(&committer, cfg, "GIT_COMMITTER_NAME",
	                    "GIT_COMMITTER_EMAIL", when)) < 0)
		goto done;
	parents[0] = p->old_commit;
	if (git_commit_create(&p->commit_id, p->repo, NULL, author, committer,
	                      NULL, message, p->new_tree, p->have_old ? 1 : 0,
	                      parents) < 0)
		rc = git_fail("creating the commit");
done:
	git_signature_free(author);
	git_signature_free(committer);
	git_config_free(cfg);
	return rc;
}

/*
 * Serialises congkhai publishers on one working tree: the branch move and
 * the checkout that follows it happen under this lock, so the files on
 * disk always end up those of the last commit to win. flock(2) is released
 * by the kernel when a publisher dies, so a kill leaves no stale lock.
 */
static int
lock_worktree(struct pub *p)
{
	ck_buf path = CK_BUF_INIT;
	int fd;

	ck_buf_printf(&path, "%scongkhai-publish.lock",
	              git_repository_path(p->repo));
	fd = open(path.ptr, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		warn("%s", path.ptr);
	else if (flock(fd, LOCK_EX) != 0) {
		warn("%s", path.ptr);
		close(fd);
		fd = -1;
	}
	ck_buf_free(&path);
	return fd;
}

/*
 * Refuses before the branch moves when git's index lock is taken: the
 * checkout after the move could not finish.
 */
static int
check_index_lock(struct pub *p)
{
	ck_buf path = CK_BUF_INIT;
	struct stat st;
	int rc = 0;

	ck_buf_printf(&path, "%sindex.lock", git_repository_path(p->repo));
	if (lstat(path.ptr, &st) == 0) {
		fprintf(stderr,
		        "congkhai publish: %s exists: a git command is running "
		        "in %s, or one was killed (then remove the file); "
		        "nothing was changed\n",
		        path.ptr, p->o->repo);
		rc = -3;
	}
	ck_buf_free(&path);
	return rc;
}

/*
 * Makes the index and the working tree those of the new tree. The
 * baseline is the index as it is on disk (what was checked out last, even
 * if an earlier publish died before updating it), so files it lists that
 * the new tree lacks are removed; files nobody committed are left alone.
 */
static int
update_worktree(struct pub *p)
{
	git_checkout_options co;
	git_index *base = NULL;
	ck_buf path = CK_BUF_INIT;
	int rc = 0;

	ck_buf_printf(&path, "%sindex", git_repository_path(p->repo));
	if (git_index_open(&base, path.ptr) < 0) {
		rc = git_fail("%s", path.ptr);
		goto done;
	}
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_FORCE;
	co.baseline_index = base;
	if (git_checkout_tree(p->repo, (const git_object *)p->new_tree, &co) <
	    0)
		rc = git_fail("%s: updating the working tree (the branch has "
		              "moved; run publish again to finish)",
		              p->o->repo);
done:
	git_index_free(base);
	ck_buf_free(&path);
	return rc;
}

/* Whether the branch points at id now. */
static int
branch_at(struct pub *p, const git_oid *id)
{
	git_oid now;

	return git_reference_name_to_id(&now, p->repo, p->ref.ptr) == 0 &&
	       git_oid_equal(&now, id);
}

/* Moves the branch from the old tip to the new commit, or fails when it
 * is no longer at the old tip. */
static int
move_branch(struct pub *p, const char *summary)
{
	git_reference *ref = NULL;
	ck_buf log = CK_BUF_INIT;
	int rc;

	ck_buf_printf(&log, "congkhai publish: %s", summary);
	if (p->have_old)
		rc = git_reference_create_matching(&ref, p->repo, p->ref.ptr,
		                                   &p->commit_id, 1, &p->old_id,
		                                   log.ptr);
	else
		rc = git_reference_create(&ref, p->repo, p->ref.ptr,
		                          &p->commit_id, 0, log.ptr);
	git_reference_free(ref);
	ck_buf_free(&log);
	if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS) {
		fprintf(stderr,
		        "congkhai publish: %s moved while publishing (another "
		        "publisher?); nothing was lost, run publish again\n",
		        p->o->branch);
		return -3;
	}
	if (rc == GIT_ELOCKED) {
		fprintf(stderr,
		        "congkhai publish: %s is locked by another process "
		        "(%s%s.lock); nothing was lost, run publish again (if "
		        "no git command or publisher is running, the lock "
		        "is left from one that was killed: remove it)\n",
		        p->o->branch, git_repository_path(p->repo), p->ref.ptr);
		return -3;
	}
	if (rc < 0)
		return git_fail("%s: moving %s", p->o->repo, p->o->branch);
	return 0;
}

/* Push: the state the callbacks share. */
struct push_state {
	const char *remote;
	ck_buf rejected; /* "ref: reason" lines */
	int tried_agent, tried_token, tried_user;
	ck_buf line; /* the server's message being received */
};

static int
push_credentials(git_credential **out, const char *url,
                 const char *user_from_url, unsigned int allowed, void *payload)
{
	struct push_state *st = payload;
	const char *token = getenv("CONGKHAI_GIT_TOKEN");
	const char *user = getenv("CONGKHAI_GIT_USER");

	if ((allowed & GIT_CREDENTIAL_USERNAME) && !st->tried_user) {
		st->tried_user = 1;
		return git_credential_username_new(
		    out, user_from_url ? user_from_url : "git");
	}
	if ((allowed & GIT_CREDENTIAL_SSH_KEY) && !st->tried_agent) {
		st->tried_agent = 1;
		return git_credential_ssh_key_from_agent(
		    out, user_from_url ? user_from_url : "git");
	}
	if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) && !st->tried_token &&
	    token != NULL && *token != '\0') {
		st->tried_token = 1;
		if (user == NULL || *user == '\0')
			user = user_from_url ? user_from_url : "x-access-token";
		return git_credential_userpass_plaintext_new(out, user, token);
	}
	if (st->tried_token)
		git_error_set_str(GIT_ERROR_NET,
		                  "the server refused the token in "
		                  "CONGKHAI_GIT_TOKEN");
	else if (st->tried_agent)
		git_error_set_str(
		    GIT_ERROR_NET,
		    "the server accepted no key of the SSH agent");
	else
		git_error_set_str(GIT_ERROR_NET,
		                  "authentication needed (ssh: an SSH agent; "
		                  "https: a token in CONGKHAI_GIT_TOKEN)");
	return GIT_EAUTH;
}

static int
push_update(const char *refname, const char *status, void *payload)
{
	struct push_state *st = payload;

	if (status != NULL)
		ck_buf_printf(&st->rejected, "%s: %s\n", refname, status);
	return 0;
}

/* One line from the server: shown, unless it is progress ("... 42% (n/m)"). */
static void
show_remote_line(struct push_state *st)
{
	if (st->line.size > 0 && strstr(st->line.ptr, "% (") == NULL)
		fprintf(stderr, "remote: %s\n", st->line.ptr);
	ck_buf_clear(&st->line);
}

/* The server's messages (hooks and the like), for the user to read. */
static int
push_sideband(const char *str, int len, void *payload)
{
	struct push_state *st = payload;
	int i;

	for (i = 0; i < len; i++) {
		if (str[i] == '\n')
			show_remote_line(st);
		else if (str[i] == '\r')
			ck_buf_clear(&st->line); /* overwritten progress */
		else
			ck_buf_putc(&st->line, str[i]);
	}
	return 0;
}

static int
push(struct pub *p)
{
	git_remote *remote = NULL;
	git_push_options po;
	struct push_state st = {0};
	ck_buf spec = CK_BUF_INIT;
	char *specs[1], *abs = NULL;
	git_strarray refspecs = {specs, 1};
	const char *name = p->o->push, *url;
	struct stat sb;
	int valid = 0, rc;

	st.remote = name;
	ck_buf_init(&st.rejected);
	ck_buf_init(&st.line);
	if (git_remote_name_is_valid(&valid, name) == 0 && valid)
		rc = git_remote_lookup(&remote, p->repo, name);
	else
		rc = GIT_ENOTFOUND;
	if (rc == GIT_ENOTFOUND) {
		/* A path or URL; a relative path means from here, not from
		 * the repository. */
		url = name;
		if (strstr(name, "://") == NULL && stat(name, &sb) == 0 &&
		    (abs = realpath(name, NULL)) != NULL)
			url = abs;
		if (url == name && valid) {
			fprintf(stderr,
			        "congkhai publish: --push: %s has no remote "
			        "named '%s', and there is no such folder\n",
			        p->o->repo, name);
			rc = -3;
			goto done;
		}
		rc = git_remote_create_anonymous(&remote, p->repo, url);
	}
	if (rc < 0) {
		rc = git_fail("push to %s", name);
		goto done;
	}
	ck_buf_printf(&spec, "%s:%s", p->ref.ptr, p->ref.ptr);
	specs[0] = spec.ptr;
	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	po.callbacks.credentials = push_credentials;
	po.callbacks.push_update_reference = push_update;
	po.callbacks.sideband_progress = push_sideband;
	po.callbacks.payload = &st;
	rc = git_remote_push(remote, &refspecs, &po);
	show_remote_line(&st);
	if (rc == GIT_ENONFASTFORWARD) {
		fprintf(stderr,
		        "congkhai publish: push to %s rejected %s: "
		        "non-fast-forward (the remote branch has commits that "
		        "%s does not have)\n",
		        name, p->ref.ptr, p->o->repo);
		rc = -3;
		goto done;
	}
	if (rc < 0) {
		rc = git_fail("push to %s", name);
		goto done;
	}
	if (st.rejected.size > 0) {
		ck_buf_truncate(&st.rejected, st.rejected.size - 1);
		fprintf(stderr, "congkhai publish: push to %s rejected %s\n",
		        name, st.rejected.ptr);
		rc = -3;
		goto done;
	}
	printf("Pushed %s to %s.\n", p->o->branch, name);
done:
	free(abs);
	ck_buf_free(&spec);
	ck_buf_free(&st.rejected);
	ck_buf_free(&st.line);
	git_remote_free(remote);
	return rc;
}

static void
pub_free(struct pub *p)
{
	git_tree_free(p->new_tree);
	git_tree_free(p->old_tree);
	git_commit_free(p->old_commit);
	git_odb_free(p->odb);
	git_repository_free(p->repo);
	ck_buf_free(&p->ref);
}

int
ck_publish_branch_valid(const char *branch)
{
	ck_buf ref = CK_BUF_INIT;
	int valid = 0;

	git_libgit2_init();
	ck_buf_printf(&ref, "refs/heads/%s", branch);
	if (*branch == '\0' || *branch == '-' || strcmp(branch, "HEAD") == 0 ||
	    git_reference_name_is_valid(&valid, ref.ptr) < 0)
		valid = 0;
	ck_buf_free(&ref);
	git_libgit2_shutdown();
	return valid;
}

int
ck_publish(const ck_site *site, const ck_publish_opts *opts)
{
	struct pub p;
	ck_publish_opts o = *opts;
	ck_buf message = CK_BUF_INIT, summary = CK_BUF_INIT;
	char id[13];
	int rc, lock = -1;

	memset(&p, 0, sizeof(p));
	if (o.repo == NULL)
		o.repo = "site";
	if (o.branch == NULL)
		o.branch = "main";
	p.site = site;
	p.o = &o;
	ck_buf_init(&p.ref);
	git_libgit2_init();

	if (!ck_publish_branch_valid(o.branch)) {
		fprintf(stderr,
		        "congkhai publish: '%s' is not a valid branch "
		        "name\n",
		        o.branch);
		rc = -2;
		goto done;
	}
	ck_buf_printf(&p.ref, "refs/heads/%s", o.branch);
	if ((rc = read_source(&p)) < 0 || (rc = open_target(&p)) < 0 ||
	    (rc = find_checkout(&p)) < 0 || (rc = read_tip(&p)) < 0 ||
	    (rc = build_tree(&p)) < 0)
		goto done;

	if (p.have_old && git_oid_equal(&p.tree_id, git_tree_id(p.old_tree))) {
		if (p.checked_out) {
			/* An earlier publish may have died before its
			 * checkout: finish it. */
			if ((lock = lock_worktree(&p)) < 0) {
				rc = -3;
				goto done;
			}
			/* Unless another publisher moved the branch meanwhile
			 * (and checked out its own commit). */
			if (branch_at(&p, &p.old_id) &&
			    ((rc = check_index_lock(&p)) < 0 ||
			     (rc = update_worktree(&p)) < 0))
				goto done;
		}
		short_id(id, &p.old_id);
		printf("Nothing changed: %s stays at %s.\n", o.branch, id);
	} else {
		if ((rc = compose_message(&p, &message, &summary)) < 0 ||
		    (rc = make_commit(&p, message.ptr)) < 0)
			goto done;
		if (p.checked_out && (lock = lock_worktree(&p)) < 0) {
			rc = -3;
			goto done;
		}
		if ((p.checked_out && (rc = check_index_lock(&p)) < 0) ||
		    (rc = move_branch(&p, summary.ptr)) < 0)
			goto done;
		if (p.checked_out && (rc = update_worktree(&p)) < 0)
			goto done;
		short_id(id, &p.commit_id);
		printf("Published %s to %s in %s: %s\n", id, o.branch, o.repo,
		       summary.ptr);
	}
	if (lock >= 0) {
		close(lock);
		lock = -1;
	}
	if (o.push != NULL)
		rc = push(&p);
done:
	if (lock >= 0)
		close(lock);
	fflush(stdout);
	pub_free(&p);
	git_libgit2_shutdown();
	ck_buf_free(&message);
	ck_buf_free(&summary);
	return rc;
}
