#include "revisions.h"

#include <err.h>
#include <fnmatch.h>
#include <git2.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "date.h"
#include "diag.h"
#include "frontmatter.h"
#include "gitutil.h"
#include "markdown.h"

/* One file as it is named now, with its revisions (newest first while the
 * walk runs, reversed once it ends). */
struct file {
	ck_revision *v;
	size_t len, cap;
};

struct slot {
	const char *key; /* NULL: empty */
	uint32_t hash;
	struct file *val;
};

/* Open addressing, linear probing, power-of-two capacity. */
struct map {
	struct slot *s;
	size_t cap, len;
};

struct ck_revisions {
	ck_arena *a;
	struct map files; /* name now -> struct file */
	int incomplete;   /* shallow: a first revision may not be the first */
};

/* Marks a historical name whose older commits belong to no file. */
static struct file dead;

static uint32_t
hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static struct slot *
map_slot(const struct map *m, const char *key, uint32_t h)
{
	size_t i = h & (m->cap - 1);

	while (m->s[i].key != NULL &&
	       (m->s[i].hash != h || strcmp(m->s[i].key, key) != 0))
		i = (i + 1) & (m->cap - 1);
	return &m->s[i];
}

static void
map_grow(struct map *m)
{
	struct map n;
	size_t i;

	n.cap = m->cap ? m->cap * 2 : 1024;
	n.len = m->len;
	n.s = calloc(n.cap, sizeof(*n.s));
	if (n.s == NULL)
		err(3, "calloc");
	for (i = 0; i < m->cap; i++)
		if (m->s[i].key != NULL)
			*map_slot(&n, m->s[i].key, m->s[i].hash) = m->s[i];
	free(m->s);
	*m = n;
}

static struct file *
map_get(const struct map *m, const char *key, int *found)
{
	struct slot *s;

	*found = 0;
	if (m->cap == 0)
		return NULL;
	s = map_slot(m, key, hash_str(key));
	if (s->key == NULL)
		return NULL;
	*found = 1;
	return s->val;
}

/* Sets key (copied into the arena when new) to val. */
static void
map_put(ck_arena *a, struct map *m, const char *key, struct file *val)
{
	uint32_t h = hash_str(key);
	struct slot *s;

	if ((m->len + 1) * 4 > m->cap * 3)
		map_grow(m);
	s = map_slot(m, key, h);
	if (s->key == NULL) {
		s->key = ck_arena_strdup(a, key);
		s->hash = h;
		m->len++;
	}
	s->val = val;
}

/* The file, as named now, that `path` refers to at this point of the walk
 * back through history; NULL when it refers to none. */
static struct file *
resolve(ck_revisions *r, struct map *names, const char *path)
{
	struct file *f;
	int found;

	f = map_get(names, path, &found);
	if (found)
		return f == &dead ? NULL : f;
	/* No rename seen yet: the name is still the file's name. */
	f = map_get(&r->files, path, &found);
	if (!found) {
		f = ck_arena_alloc(r->a, sizeof(*f));
		map_put(r->a, &r->files, path, f);
	}
	map_put(r->a, names, path, f);
	return f;
}

static void
add_revision(struct file *f, const ck_revision *rev)
{
	/* A rename plus an edit of the same file in one commit counts once. */
	if (f->len > 0 && strcmp(f->v[f->len - 1].commit, rev->commit) == 0)
		return;
	if (f->len == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 4;
		f->v = realloc(f->v, f->cap * sizeof(*f->v));
		if (f->v == NULL)
			err(3, "realloc");
	}
	f->v[f->len++] = *rev;
}

/* Loads the content folder's tree in commit c (NULL when it has none). */
static int
content_tree(git_tree **out, git_repository *repo, git_commit *c,
             const char *prefix, git_oid *id)
{
	git_tree *root = NULL;
	git_tree_entry *e = NULL;
	int rc;

	*out = NULL;
	if ((rc = git_commit_tree(&root, c)) < 0)
		return rc;
	if (*prefix == '\0') {
		git_oid_cpy(id, git_tree_id(root));
		*out = root;
		return 0;
	}
	rc = git_tree_entry_bypath(&e, root, prefix);
	if (rc == GIT_ENOTFOUND) {
		rc = 0;
	} else if (rc == 0 && git_tree_entry_type(e) == GIT_OBJECT_TREE) {
		git_oid_cpy(id, git_tree_entry_id(e));
		rc = git_tree_lookup(out, repo, id);
	}
	git_tree_entry_free(e);
	git_tree_free(root);
	return rc;
}

struct rename {
	const char *from, *to;
	struct file *f;
};

/* Attributes the changes of commit c (against its first parent) to files. */
static int
walk_commit(ck_revisions *r, struct map *names, git_repository *repo,
            git_commit *c, const char *prefix)
{
	git_commit *parent = NULL;
	git_tree *old = NULL, *new = NULL;
	git_oid old_id, new_id;
	git_diff *diff = NULL;
	git_diff_options dopts;
	git_diff_find_options fopts;
	struct rename *ren = NULL;
	size_t i, n, nren = 0;
	ck_revision rev;
	ck_day day;
	long long t;
	int rc;

	if (git_commit_parentcount(c) > 1)
		return 0; /* merges: the commits they bring in are walked */
	memset(&old_id, 0, sizeof(old_id));
	memset(&new_id, 0, sizeof(new_id));
	if ((rc = content_tree(&new, repo, c, prefix, &new_id)) < 0)
		goto done;
	if (git_commit_parentcount(c) == 1) {
		rc = git_commit_parent(&parent, c, 0);
		if (rc == GIT_ENOTFOUND) {
			rc = 0; /* a shallow clone's edge: as if a root */
		} else if (rc < 0) {
			goto done;
		} else if ((rc = content_tree(&old, repo, parent, prefix,
		                              &old_id)) < 0) {
			goto done;
		}
	}
	if (old == NULL && new == NULL)
		goto done;
	if (old != NULL && new != NULL && git_oid_equal(&old_id, &new_id))
		goto done;

	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
	if ((rc = git_diff_tree_to_tree(&diff, repo, old, new, &dopts)) < 0)
		goto done;
	fopts.flags = GIT_DIFF_FIND_RENAMES;
	fopts.rename_limit = 2000;
	if ((rc = git_diff_find_similar(diff, &fopts)) < 0)
		goto done;

	t = (long long)git_commit_time(c) + 7 * 3600;
	day = (ck_day)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
	ck_day_iso(rev.date, day);
	git_oid_tostr(rev.commit, sizeof(rev.commit), git_commit_id(c));
	git_oid_tostr(rev.full, sizeof(rev.full), git_commit_id(c));
	rev.described = false;
	rev.changes = 0;
	rev.status_from = rev.status_to = NULL;

	n = git_diff_num_deltas(diff);
	ren = calloc(n ? n : 1, sizeof(*ren));
	if (ren == NULL)
		err(3, "calloc");
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		struct file *f = resolve(r, names, d->new_file.path);

		if (f != NULL) {
			rev.path =
			    *prefix ? ck_arena_printf(r->a, "%s/%s", prefix,
			                              d->new_file.path)
			            : ck_arena_strdup(r->a, d->new_file.path);
			rev.blob[0] = '\0';
			if (d->status != GIT_DELTA_DELETED)
				git_oid_tostr(rev.blob, sizeof(rev.blob),
				              &d->new_file.id);
			add_revision(f, &rev);
		}
		if (d->status == GIT_DELTA_RENAMED &&
		    strcmp(d->old_file.path, d->new_file.path) != 0) {
			ren[nren].from = d->old_file.path;
			ren[nren].to = d->new_file.path;
			ren[nren].f = f;
			nren++;
		}
	}
	/*
	 * Older commits name a renamed file by its old name, and a file that
	 * had the new name before (if any) is another file: both names are
	 * remapped only once every delta of this commit has been resolved.
	 */
	for (i = 0; i < nren; i++)
		map_put(r->a, names, ren[i].to, &dead);
	for (i = 0; i < nren; i++)
		map_put(r->a, names, ren[i].from, ren[i].f ? ren[i].f : &dead);
done:
	free(ren);
	git_diff_free(diff);
	git_tree_free(old);
	git_tree_free(new);
	git_commit_free(parent);
	return rc;
}

static int
git_fail(const char *what)
{
	const git_error *e = git_error_last();

	fprintf(stderr, "congkhai: revisions: %s: %s\n", what,
	        e && e->message ? e->message : "git error");
	return -3;
}

static void
reverse_all(ck_revisions *r)
{
	size_t i, j;
	struct file *f;
	ck_revision tmp;

	for (i = 0; i < r->files.cap; i++) {
		if (r->files.s[i].key == NULL)
			continue;
		f = r->files.s[i].val;
		for (j = 0; j < f->len / 2; j++) {
			tmp = f->v[j];
			f->v[j] = f->v[f->len - 1 - j];
			f->v[f->len - 1 - j] = tmp;
		}
	}
}

/*
 * The commits reachable from HEAD in the order `git log --topo-order`
 * uses: every commit before its parents, newest first among those ready.
 * Written here rather than with git_revwalk because a shallow clone (the
 * default checkout of CI services) lacks the parents at its edge, which
 * git_revwalk cannot step over; such a commit is taken as a root.
 */
struct node {
	git_oid id;
	long long time;
	unsigned seq;      /* discovery order, for ties */
	unsigned indegree; /* children not yet emitted */
	size_t parents[2]; /* first two parents present (merges need no more
	                    * than the count), (size_t)-1 when absent */
	size_t nparents;   /* parents present, all of them */
	size_t *more;      /* parents beyond the first two */
};

struct walk {
	struct node *v;
	size_t len, cap;
	size_t *slots; /* open addressing: node index + 1, 0 empty */
	size_t nslots;
	int incomplete; /* some parent was missing */
};

static size_t *
walk_slot(struct walk *w, const git_oid *id)
{
	uint32_t h;
	size_t i;

	memcpy(&h, id->id, sizeof(h));
	i = h & (w->nslots - 1);
	while (w->slots[i] != 0 &&
	       !git_oid_equal(&w->v[w->slots[i] - 1].id, id))
		i = (i + 1) & (w->nslots - 1);
	return &w->slots[i];
}

static void
walk_rehash(struct walk *w)
{
	size_t i;

	free(w->slots);
	w->nslots = w->nslots ? w->nslots * 2 : 1024;
	w->slots = calloc(w->nslots, sizeof(*w->slots));
	if (w->slots == NULL)
		err(3, "calloc");
	for (i = 0; i < w->len; i++)
		*walk_slot(w, &w->v[i].id) = i + 1;
}

/* Index of the node for id, added when new ((size_t)-1: no such commit). */
static size_t
walk_node(struct walk *w, git_repository *repo, const git_oid *id,
          size_t **stack, size_t *nstack, size_t *capstack, int *rc)
{
	git_commit *c = NULL;
	size_t *slot, i;
	struct node *n;

	if ((w->len + 1) * 2 > w->nslots)
		walk_rehash(w);
	slot = walk_slot(w, id);
	if (*slot != 0)
		return *slot - 1;
	if ((*rc = git_commit_lookup(&c, repo, id)) < 0) {
		if (*rc == GIT_ENOTFOUND) {
			*rc = 0;
			w->incomplete = 1;
		}
		return (size_t)-1;
	}
	if (w->len == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 256;
		w->v = realloc(w->v, w->cap * sizeof(*w->v));
		if (w->v == NULL)
			err(3, "realloc");
	}
	i = w->len++;
	n = &w->v[i];
	memset(n, 0, sizeof(*n));
	git_oid_cpy(&n->id, id);
	n->time = (long long)git_commit_time(c);
	n->seq = (unsigned)i;
	n->parents[0] = n->parents[1] = (size_t)-1;
	*slot = i + 1;
	git_commit_free(c);
	if (*nstack == *capstack) {
		*capstack = *capstack ? *capstack * 2 : 256;
		*stack = realloc(*stack, *capstack * sizeof(**stack));
		if (*stack == NULL)
			err(3, "realloc");
	}
	(*stack)[(*nstack)++] = i;
	return i;
}

static void
node_add_parent(struct node *n, size_t p)
{
	if (n->nparents < 2) {
		n->parents[n->nparents++] = p;
		return;
	}
	n->more = realloc(n->more, (n->nparents - 1) * sizeof(*n->more));
	if (n->more == NULL)
		err(3, "realloc");
	n->more[n->nparents - 2] = p;
	n->nparents++;
}

static size_t
node_parent(const struct node *n, size_t k)
{
	return k < 2 ? n->parents[k] : n->more[k - 2];
}

/* Finds every commit reachable from head and counts their children. */
static int
walk_collect(struct walk *w, git_repository *repo, const git_oid *head)
{
	git_commit *c = NULL;
	size_t *stack = NULL, nstack = 0, capstack = 0, i, k, np, p;
	int rc = 0;

	walk_node(w, repo, head, &stack, &nstack, &capstack, &rc);
	while (rc == 0 && nstack > 0) {
		i = stack[--nstack];
		if ((rc = git_commit_lookup(&c, repo, &w->v[i].id)) < 0)
			break;
		np = git_commit_parentcount(c);
		for (k = 0; k < np && rc == 0; k++) {
			p = walk_node(w, repo,
			              git_commit_parent_id(c, (unsigned)k),
			              &stack, &nstack, &capstack, &rc);
			if (p != (size_t)-1) {
				node_add_parent(&w->v[i], p);
				w->v[p].indegree++;
			}
		}
		git_commit_free(c);
		c = NULL;
	}
	free(stack);
	return rc;
}

/* Max-heap of node indices: newest first, then first discovered. */
static int
heap_before(const struct walk *w, size_t a, size_t b)
{
	if (w->v[a].time != w->v[b].time)
		return w->v[a].time > w->v[b].time;
	return w->v[a].seq < w->v[b].seq;
}

static void
heap_push(const struct walk *w, size_t *h, size_t *n, size_t x)
{
	size_t i = (*n)++, up;

	while (i > 0 && heap_before(w, x, h[up = (i - 1) / 2])) {
		h[i] = h[up];
		i = up;
	}
	h[i] = x;
}

static size_t
heap_pop(const struct walk *w, size_t *h, size_t *n)
{
	size_t top = h[0], x = h[--*n], i = 0, c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && heap_before(w, h[c + 1], h[c]))
			c++;
		if (!heap_before(w, h[c], x))
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n > 0)
		h[i] = x;
	return top;
}

static int
walk_history(ck_revisions *r, git_repository *repo, const char *prefix,
             const char *content_dir)
{
	struct walk w = {0};
	struct map names = {0};
	git_commit *c = NULL;
	git_oid head;
	size_t *heap = NULL, nheap = 0, i, k, p;
	int rc;

	if ((rc = git_reference_name_to_id(&head, repo, "HEAD")) < 0)
		return rc;
	if ((rc = walk_collect(&w, repo, &head)) < 0)
		goto done;
	r->incomplete = w.incomplete;
	if (w.incomplete)
		fprintf(stderr,
		        "congkhai: warning: %s: the repository's history is "
		        "incomplete (a shallow clone?); revisions start where "
		        "it starts (git fetch --unshallow gives them all)\n",
		        content_dir);
	heap = malloc((w.len ? w.len : 1) * sizeof(*heap));
	if (heap == NULL)
		err(3, "malloc");
	heap_push(&w, heap, &nheap, 0);
	while (nheap > 0) {
		i = heap_pop(&w, heap, &nheap);
		if ((rc = git_commit_lookup(&c, repo, &w.v[i].id)) < 0 ||
		    (rc = walk_commit(r, &names, repo, c, prefix)) < 0)
			break;
		git_commit_free(c);
		c = NULL;
		for (k = 0; k < w.v[i].nparents; k++) {
			p = node_parent(&w.v[i], k);
			if (--w.v[p].indegree == 0)
				heap_push(&w, heap, &nheap, p);
		}
	}
done:
	git_commit_free(c);
	for (i = 0; i < w.len; i++)
		free(w.v[i].more);
	free(w.v);
	free(w.slots);
	free(heap);
	free(names.s);
	return rc;
}

/*
 * What a revision changed, for citizens: each version of a question file
 * is parsed on its own and only its public fields are compared (the
 * question, the answer with its author and date, the status, the progress
 * entries, the promised date); the private block is never looked at, and
 * nothing of an older version's text leaves this file, only the codes.
 */
static const char *const status_names[] = {
    "received", "in_progress", "escalated", "answered",
    "resolved", "declined",    NULL};

/* The public fields of one version (strings in the version's arena). */
struct version {
	const char *status; /* one of status_names */
	bool has_answer;
	const char *answer_by, *answer_date, *due; /* NULL: none */
	const char *question, *answer;             /* trimmed, NUL-ended */
	size_t nprogress;
	const char *yaml; /* the front matter as written */
	size_t yaml_len;
};

static const char *
scalar(const ck_yaml_node *map, const char *key)
{
	const ck_yaml_node *n = ck_yaml_get(map, key);

	return n && n->kind == CK_YAML_SCALAR ? n->str : NULL;
}

/* A copy of s[0..len) without the blanks that end it. */
static const char *
trimmed(ck_arena *a, const char *s, size_t len)
{
	char *t;

	while (len > 0 && strchr(" \t\r\n", s[len - 1]))
		len--;
	t = ck_arena_alloc(a, len + 1);
	memcpy(t, s, len);
	t[len] = '\0';
	return t;
}

static const char *
status_name(const char *s)
{
	size_t i;

	for (i = 0; s && status_names[i]; i++)
		if (strcmp(s, status_names[i]) == 0)
			return status_names[i];
	return NULL;
}

/*
 * Reads blob `hex` as a question file into *v. 0, or -1 when it is not one.
 * When its front matter is the same bytes as prev's (a sound version, or
 * NULL), prev's fields are taken over instead of parsing it again: most
 * edits touch the text alone.
 */
static int
parse_version(struct version *v, git_repository *repo, ck_arena *a,
              const char *hex, const struct version *prev)
{
	git_oid id;
	git_blob *blob = NULL;
	ck_frontmatter fm;
	ck_yaml_node *root = NULL;
	const ck_yaml_node *ans, *prog, *last;
	ck_diags *d = NULL;
	char *text;
	size_t len, qlen, aoff;
	unsigned hline;
	int rc = -1;

	memset(v, 0, sizeof(*v));
	if (*hex == '\0' || git_oid_fromstr(&id, hex) < 0 ||
	    git_blob_lookup(&blob, repo, &id) < 0)
		goto done;
	len = (size_t)git_blob_rawsize(blob);
	text = ck_arena_alloc(a, len + 1);
	memcpy(text, git_blob_rawcontent(blob), len);
	text[len] = '\0';
	if (ck_frontmatter_split(&fm, text, len) != 0)
		goto done;
	if (prev != NULL && prev->yaml_len == fm.yaml_len &&
	    memcmp(prev->yaml, fm.yaml, fm.yaml_len) == 0) {
		*v = *prev;
		goto body;
	}
	v->yaml = fm.yaml;
	v->yaml_len = fm.yaml_len;
	d = ck_diags_new(); /* an old version's problems are not reported */
	if (ck_yaml_parse(&root, a, "", fm.yaml, fm.yaml_len, fm.yaml_line,
	                  d) != 0 ||
	    root == NULL || root->kind != CK_YAML_MAP)
		goto done;
	if ((ans = ck_yaml_get(root, "answer")) != NULL &&
	    ans->kind == CK_YAML_MAP) {
		v->has_answer = true;
		v->answer_by = scalar(ans, "by");
		v->answer_date = scalar(ans, "date");
	}
	v->due = scalar(root, "due");
	v->status = v->has_answer ? "answered" : "received";
	prog = ck_yaml_get(root, "progress");
	if (prog != NULL && prog->kind == CK_YAML_SEQ && prog->n > 0) {
		v->nprogress = prog->n;
		last = prog->vals[prog->n - 1];
		if (last->kind != CK_YAML_MAP ||
		    (v->status = status_name(scalar(last, "status"))) == NULL)
			goto done;
	}
body:
	if (ck_md_split_answer(fm.body, fm.body_len, &qlen, &aoff, &hline)) {
		v->question = trimmed(a, fm.body, qlen);
		v->answer = trimmed(a, fm.body + aoff, fm.body_len - aoff);
	} else {
		v->question = trimmed(a, fm.body, fm.body_len);
		v->answer = "";
	}
	rc = 0;
done:
	ck_diags_free(d);
	git_blob_free(blob);
	return rc;
}

static bool
differ(const char *x, const char *y)
{
	if (x == NULL || y == NULL)
		return x != y;
	return strcmp(x, y) != 0;
}

static void
compare(ck_revision *rev, const struct version *old, const struct version *new)
{
	unsigned c = 0;

	if (differ(old->question, new->question))
		c |= CK_CHANGE_QUESTION;
	if (!old->has_answer && new->has_answer)
		c |= CK_CHANGE_ANSWER_ADDED;
	else if (old->has_answer && !new->has_answer)
		c |= CK_CHANGE_ANSWER_REMOVED;
	else if (new->has_answer &&
	         (differ(old->answer, new->answer) ||
	          differ(old->answer_by, new->answer_by) ||
	          differ(old->answer_date, new->answer_date)))
		c |= CK_CHANGE_ANSWER;
	if (old->status != new->status) {
		c |= CK_CHANGE_STATUS;
		rev->status_from = old->status;
		rev->status_to = new->status;
	}
	if (new->nprogress > old->nprogress)
		c |= CK_CHANGE_PROGRESS;
	if (differ(old->due, new->due))
		c |= CK_CHANGE_DUE;
	rev->changes = c;
	rev->described = true;
}

/* Describes the revisions (oldest first) of every question file. */
static void
describe_all(ck_revisions *r, git_repository *repo)
{
	struct version prev = {0}, cur = {0};
	size_t i, k;

	for (i = 0; i < r->files.cap; i++) {
		struct file *f = r->files.s[i].val;
		ck_arena *a;
		bool prev_ok = false;

		if (r->files.s[i].key == NULL || f->len == 0 ||
		    fnmatch("dialogues/*/questions/*.md", r->files.s[i].key,
		            FNM_PATHNAME) != 0)
			continue;
		f->v[0].described = !r->incomplete;
		f->v[0].changes = r->incomplete ? 0 : CK_CHANGE_CREATED;
		if (f->len == 1)
			continue; /* nothing to compare: no blob to read */
		a = ck_arena_new();
		for (k = 0; k < f->len; k++) {
			bool ok = parse_version(&cur, repo, a, f->v[k].blob,
			                        prev_ok ? &prev : NULL) == 0;

			if (k > 0 && ok && prev_ok)
				compare(&f->v[k], &prev, &cur);
			if (k == 0 && !ok) {
				f->v[0].described = false;
				f->v[0].changes = 0;
			}
			prev = cur;
			prev_ok = ok;
		}
		ck_arena_free(a);
	}
}

int
ck_revisions_load(ck_revisions **out, const char *content_dir)
{
	ck_revisions *r;
	git_repository *repo = NULL;
	ck_buf prefix = CK_BUF_INIT;
	int rc;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		err(3, "calloc");
	r->a = ck_arena_new();
	git_libgit2_init();

	rc = git_repository_open_ext(&repo, content_dir, 0,
	                             getenv("GIT_CEILING_DIRECTORIES"));
	if (rc == GIT_ENOTFOUND) {
		rc = 0;
		goto done;
	}
	if (rc < 0) {
		rc = git_fail(content_dir);
		goto done;
	}
	if (ck_git_workdir_path(&prefix, repo, content_dir) != 0) {
		rc = 0; /* bare, or the folder is not in the working tree */
		goto done;
	}
	rc = git_repository_head_unborn(repo);
	if (rc == 1) {
		rc = 0; /* no commits yet */
		goto done;
	}
	if (rc < 0 ||
	    (rc = walk_history(r, repo, prefix.ptr, content_dir)) < 0) {
		rc = git_fail("walking the history");
		goto done;
	}
	reverse_all(r);
	describe_all(r, repo);
done:
	git_repository_free(repo);
	git_libgit2_shutdown();
	ck_buf_free(&prefix);
	if (rc < 0) {
		ck_revisions_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

void
ck_revisions_free(ck_revisions *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->files.cap; i++)
		if (r->files.s[i].key != NULL)
			free(r->files.s[i].val->v);
	free(r->files.s);
	ck_arena_free(r->a);
	free(r);
}

const ck_revision *
ck_revisions_for(const ck_revisions *r, const char *relpath, size_t *n)
{
	struct file *f;
	int found;

	*n = 0;
	if (r == NULL)
		return NULL;
	f = map_get(&r->files, relpath, &found);
	if (f == NULL || f->len == 0)
		return NULL;
	*n = f->len;
	return f->v;
}
