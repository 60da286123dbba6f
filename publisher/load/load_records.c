/* The records: free pages, dialogues with their conclusions and questions,
 * and the static files. */
#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load.h"
#include "markdown.h"
#include "text.h"

static const char *const page_keys[] = {"title", "order", "extra", NULL};
static const char *const dialogue_keys[] = {
    "title",
    "kind",
    "date",
    "date_text",
    "time",
    "location",
    "chairs",
    "topics",
    "hamlets",
    "published",
    "registration_deadline",
    "plan",
    "legal_basis",
    "participants",
    "attendance",
    "status",
    "extra",
    "supervision",
    "code",
    NULL,
};
static const char *const plan_keys[] = {"number", "issued", "issuer", "signer",
                                        NULL};
static const char *const signer_keys[] = {"name", "title", NULL};
static const char *const conclusion_keys[] = {"issued",     "number", "signer",
                                              "directives", "extra",  NULL};
static const char *const directive_keys[] = {
    "id",        "text",     "assigned_to", "due",
    "questions", "progress", "supervision", NULL};
static const char *const supervision_keys[] = {"date", "by", "note", NULL};
static const char *const escalation_keys[] = {"to",        "number", "sent",
                                              "reply_due", "reply",  NULL};
static const char *const reply_keys[] = {"number", "date", NULL};
static const char *const question_keys[] = {
    "hamlet",      "topic",      "channel", "received", "asked_by",
    "assigned_to", "due",        "answer",  "progress", "private",
    "extra",       "escalation", NULL,
};
static const char *const answer_keys[] = {"by", "date", NULL};
static const char *const progress_keys[] = {"date", "status", "note", NULL};
const char *const ck_load_channels[] = {"registered", "at_meeting", "written",
                                        "mttq",       "other",      NULL};
static const char *const kinds[] = {"conference", "hamlet_meeting", "reception",
                                    NULL};
static const char *const skip_private[] = {"private", NULL};

/* Paths the site itself uses: a free page may not take them. */
static const char *const reserved_slugs[] = {
    "doi-thoai", "linh-vuc", "thon", "trang-thai", "data",       "tim-kiem",
    "static",    "assets",   "404",  "index",      "chuyen-cap", NULL,
};

static void load_progress(ck_loader *l, ck_progress **out, size_t *nout,
                          ck_day since, const char *path,
                          const ck_yaml_node *root);
static void load_supervision(ck_loader *l, ck_supervision **out, size_t *nout,
                             const char *path, const ck_yaml_node *root);

static char *
join(ck_loader *l, const char *a, const char *b)
{
	return ck_arena_printf(l->a, "%s/%s", a, b);
}

/* What p is, under the containment rule; refusals are reported. */
static ck_fs_kind
kind_of(ck_loader *l, const char *p)
{
	return ck_load_kind(l, p, NULL, NULL, NULL);
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void
bad_slug(ck_loader *l, const char *path, const char *what, const char *slug)
{
	ck_diag(l->d, CK_ERROR, path, 0, 0,
	        "bad %s '%s' in the file name: use 1 to 64 of a-z, 0-9 and "
	        "'-', not starting or ending with '-' (it becomes a URL)",
	        what, slug);
}

/* Checks a value against a NULL-terminated list of words. */
static const char *
load_enum(ck_loader *l, const char *path, const ck_yaml_node *map,
          const char *key, const char *const *words, const char *dflt)
{
	const char *v = ck_load_str(l, path, map, key, dflt == NULL);
	const char *hint;
	size_t i, n = 0;

	if (v == NULL)
		return dflt;
	for (i = 0; words[i]; i++, n++)
		if (strcmp(words[i], v) == 0)
			return words[i];
	hint = ck_suggest(v, words, n);
	if (hint)
		ck_load_error(l, path, ck_yaml_get(map, key),
		              "unknown %s '%s' (did you mean '%s'?)", key, v,
		              hint);
	else
		ck_load_error(l, path, ck_yaml_get(map, key), "unknown %s '%s'",
		              key, v);
	return dflt;
}

static void
load_signer(ck_loader *l, const char *path, const ck_yaml_node *map,
            const char **name, const char **title)
{
	const ck_yaml_node *s = ck_load_map(l, path, map, "signer");

	if (s == NULL)
		return;
	ck_load_check_keys(l, path, s, signer_keys);
	*name = ck_load_str(l, path, s, "name", false);
	*title = ck_load_str(l, path, s, "title", false);
}

int
ck_load_pages(ck_loader *l)
{
	ck_model *m = l->m;
	const char *dir = join(l, m->content_dir, "pages");
	char **names, *slug;
	size_t n, i, j;
	ck_ptrvec v = {0};
	ck_source src;
	ck_page *p;
	int rc = 0, r;

	if (kind_of(l, dir) != CK_FS_DIR)
		return 0;
	names = ck_load_list_dir(l, dir, &n, NULL);
	for (i = 0; i < n; i++) {
		char *path = join(l, dir, names[i]);

		if (kind_of(l, path) != CK_FS_FILE ||
		    !ends_with(names[i], ".md"))
			continue;
		slug = ck_arena_strndup(l->a, names[i], strlen(names[i]) - 3);
		if (!ck_slug_valid(slug, strlen(slug))) {
			bad_slug(l, path, "page slug", slug);
			continue;
		}
		if (ck_load_scan_name(l, path, slug))
			continue;
		for (j = 0; reserved_slugs[j]; j++)
			if (strcmp(reserved_slugs[j], slug) == 0)
				ck_diag(l->d, CK_ERROR, path, 0, 0,
				        "page slug '%s' is used by the site "
				        "itself; rename the file",
				        slug);
		if ((r = ck_load_read(l, &src, path)) != 0) {
			rc = r == -3 ? -3 : rc;
			continue;
		}
		if (ck_load_frontmatter(l, &src) != 0)
			continue;
		ck_load_check_keys(l, path, src.root, page_keys);
		p = ck_arena_alloc(l->a, sizeof(*p));
		p->slug = slug;
		p->path = src.path;
		p->title = ck_load_str(l, path, src.root, "title", true);
		p->order = ck_load_int(l, path, src.root, "order", 0, -1000000);
		p->body_md = ck_arena_strndup(l->a, src.body, src.body_len);
		p->body_html = ck_load_md_html(l, src.body, src.body_len);
		p->extra = ck_yaml_get(src.root, "extra");
		ck_load_scan_tree(l, path, src.root, NULL);
		ck_load_scan_text(l, path, src.body, src.body_len,
		                  src.body_line, 1);
		ck_ptrvec_push(l->a, &v, p);
	}
	m->pages = (ck_page **)v.items;
	m->npages = v.len;
	return rc;
}

/* conclusion.md `directives`; their `questions` are resolved later, once
 * the dialogue's questions are loaded (resolve_directive_questions). */
static void
load_directives(ck_loader *l, ck_dialogue *dl, const char *path,
                const ck_yaml_node *root)
{
	const ck_yaml_node *seq =
	    ck_load_seq(l, path, root, "directives", false);
	const ck_yaml_node *item, *n, *idn;
	ck_directive *dv;
	const char *text;
	size_t i, j;

	if (seq == NULL)
		return;
	dl->directives = ck_arena_alloc(l->a, (seq->n + 1) * sizeof(*dv));
	for (i = 0; i < seq->n; i++) {
		item = seq->vals[i];
		if (item->kind != CK_YAML_MAP) {
			ck_load_error(l, path, item,
			              "a directive is {id, text, assigned_to, "
			              "due, questions, progress}");
			continue;
		}
		ck_load_check_keys(l, path, item, directive_keys);
		dv = &dl->directives[dl->ndirectives];
		memset(dv, 0, sizeof(*dv));
		dv->dialogue = dl;
		dv->id = ck_load_str(l, path, item, "id", true);
		idn = ck_yaml_get(item, "id");
		if (dv->id && !ck_slug_valid(dv->id, strlen(dv->id))) {
			ck_load_error(l, path, idn,
			              "bad directive id '%s': use 1 to 64 of "
			              "a-z, 0-9 and '-' (it becomes an anchor)",
			              dv->id);
			dv->id = NULL;
		}
		for (j = 0; dv->id && j < dl->ndirectives; j++)
			if (strcmp(dl->directives[j].id, dv->id) == 0) {
				ck_load_error(l, path, idn,
				              "duplicate directive id '%s'",
				              dv->id);
				dv->id = NULL;
			}
		text = ck_load_str(l, path, item, "text", true);
		if ((n = ck_yaml_get(item, "assigned_to")) &&
		    !ck_load_is_null(n))
			dv->assigned_to =
			    ck_load_lookup(l, path, n, l->m->departments,
			                   l->m->ndepartments, "department");
		dv->due = ck_load_date(l, path, item, "due", false);
		dv->due_at = ck_yaml_get(item, "due");
		load_progress(l, &dv->progress, &dv->nprogress, CK_NODAY, path,
		              item);
		load_supervision(l, &dv->supervision, &dv->nsupervision, path,
		                 item);
		ck_load_seq(l, path, item, "questions", false);
		if (dv->id == NULL || text == NULL)
			continue;
		dv->text_md = text;
		ck_load_md(l, &dv->text_html, &dv->text_text, text,
		           strlen(text));
		dl->ndirectives++;
	}
}

/*
 * Each directive's `questions`: ids of questions of the same dialogue,
 * checked with "did you mean". A question covered by two directives keeps
 * the first.
 */
static void
resolve_directive_questions(ck_loader *l, ck_dialogue *dl,
                            const ck_yaml_node *directives)
{
	const ck_yaml_node *item, *seq, *idn;
	const char **ids;
	const char *hint;
	ck_directive *dv;
	ck_question *q;
	size_t i, j, k, d = 0;

	if (directives == NULL || directives->kind != CK_YAML_SEQ)
		return;
	ids = ck_arena_alloc(l->a, (dl->nquestions + 1) * sizeof(*ids));
	for (k = 0; k < dl->nquestions; k++)
		ids[k] = dl->questions[k]->id;
	for (i = 0; i < directives->n && d < dl->ndirectives; i++) {
		item = directives->vals[i];
		if (item->kind != CK_YAML_MAP)
			continue;
		idn = ck_yaml_get(item, "id");
		dv = &dl->directives[d];
		/* Directives dropped for errors are not in dl->directives. */
		if (idn == NULL || idn->kind != CK_YAML_SCALAR ||
		    strcmp(idn->str, dv->id) != 0)
			continue;
		d++;
		seq = ck_yaml_get(item, "questions");
		if (seq == NULL || seq->kind != CK_YAML_SEQ)
			continue;
		dv->questions =
		    ck_arena_alloc(l->a, (seq->n + 1) * sizeof(*dv->questions));
		for (j = 0; j < seq->n; j++) {
			idn = seq->vals[j];
			if (idn->kind != CK_YAML_SCALAR) {
				ck_load_error(l, dl->conclusion_path, idn,
				              "expected a question id");
				continue;
			}
			for (k = 0; k < dl->nquestions; k++)
				if (strcmp(dl->questions[k]->id, idn->str) == 0)
					break;
			if (k == dl->nquestions) {
				hint =
				    ck_suggest(idn->str, ids, dl->nquestions);
				if (hint)
					ck_load_error(
					    l, dl->conclusion_path, idn,
					    "unknown question '%s' of this "
					    "dialogue (did you mean '%s'?)",
					    idn->str, hint);
				else
					ck_load_error(
					    l, dl->conclusion_path, idn,
					    "unknown question '%s' of this "
					    "dialogue",
					    idn->str);
				continue;
			}
			q = dl->questions[k];
			dv->questions[dv->nquestions++] = q;
			if (q->directive == NULL)
				q->directive = dv;
		}
	}
}

static const ck_yaml_node *
load_conclusion(ck_loader *l, ck_dialogue *dl, const char *path)
{
	ck_source src;

	if (ck_load_read(l, &src, path) != 0 ||
	    ck_load_frontmatter(l, &src) != 0)
		return NULL;
	ck_load_check_keys(l, path, src.root, conclusion_keys);
	dl->has_conclusion = true;
	dl->conclusion_path = src.path;
	dl->conclusion_issued = ck_load_date(l, path, src.root, "issued", true);
	dl->conclusion_issued_at = ck_yaml_get(src.root, "issued");
	dl->conclusion_number = ck_load_str(l, path, src.root, "number", false);
	load_signer(l, path, src.root, &dl->conclusion_signer_name,
	            &dl->conclusion_signer_title);
	dl->conclusion_md = ck_arena_strndup(l->a, src.body, src.body_len);
	dl->conclusion_html = ck_load_md_html(l, src.body, src.body_len);
	dl->conclusion_extra = ck_yaml_get(src.root, "extra");
	load_directives(l, dl, path, src.root);
	ck_load_scan_tree(l, path, src.root, NULL);
	ck_load_scan_text(l, path, src.body, src.body_len, src.body_line, 1);
	return ck_yaml_get(src.root, "directives");
}

static const ck_named **
load_idlist(ck_loader *l, const char *path, const ck_yaml_node *root,
            const char *key, const ck_named *list, size_t nlist,
            const char *what, size_t *n)
{
	const ck_yaml_node *seq = ck_load_seq(l, path, root, key, false);
	const ck_named **v, *x;
	size_t i;

	*n = 0;
	if (seq == NULL)
		return NULL;
	v = ck_arena_alloc(l->a, (seq->n + 1) * sizeof(*v));
	for (i = 0; i < seq->n; i++)
		if ((x = ck_load_lookup(l, path, seq->vals[i], list, nlist,
		                        what)) != NULL)
			v[(*n)++] = x;
	return v;
}

/*
 * A `progress` list (a question's or a directive's) into *out and *nout;
 * dates may not go backwards nor come before `since` (CK_NODAY: no bound).
 */
static void
load_progress(ck_loader *l, ck_progress **out, size_t *nout, ck_day since,
              const char *path, const ck_yaml_node *root)
{
	const ck_yaml_node *seq = ck_load_seq(l, path, root, "progress", false);
	const ck_yaml_node *item, *sn;
	ck_progress *p;
	const char *st, *note;
	ck_day prev = CK_NODAY;
	size_t i;
	int s;

	*out = NULL;
	*nout = 0;
	if (seq == NULL)
		return;
	*out = ck_arena_alloc(l->a, (seq->n + 1) * sizeof(*p));
	for (i = 0; i < seq->n; i++) {
		item = seq->vals[i];
		if (item->kind != CK_YAML_MAP) {
			ck_load_error(l, path, item,
			              "a progress entry is {date, status, "
			              "note}");
			continue;
		}
		ck_load_check_keys(l, path, item, progress_keys);
		p = &(*out)[*nout];
		p->date = ck_load_date(l, path, item, "date", true);
		st = ck_load_str(l, path, item, "status", true);
		note = ck_load_str(l, path, item, "note", false);
		if (p->date == CK_NODAY || st == NULL)
			continue;
		sn = ck_yaml_get(item, "status");
		if ((s = ck_status_parse(st)) < 0) {
			static const char *const names[] = {
			    "received", "in_progress", "escalated",
			    "answered", "resolved",    "declined"};
			const char *hint = ck_suggest(st, names, 6);

			if (hint)
				ck_load_error(l, path, sn,
				              "unknown status '%s' (did you "
				              "mean '%s'?)",
				              st, hint);
			else
				ck_load_error(l, path, sn,
				              "unknown status '%s' (received, "
				              "in_progress, escalated, "
				              "answered, resolved, declined)",
				              st);
			continue;
		}
		if (prev != CK_NODAY && p->date < prev) {
			char a[11], b[11];

			ck_day_iso(a, p->date);
			ck_day_iso(b, prev);
			ck_load_error(l, path, ck_yaml_get(item, "date"),
			              "progress goes backwards: %s comes after "
			              "%s; list entries oldest first",
			              a, b);
		}
		if (since != CK_NODAY && p->date < since)
			ck_load_error(l, path, ck_yaml_get(item, "date"),
			              "progress date is before the question "
			              "was received");
		prev = p->date;
		p->status = (ck_status)s;
		p->note_md = note ? note : "";
		ck_load_md(l, &p->note_html, &p->note_text, p->note_md,
		           strlen(p->note_md));
		(*nout)++;
	}
}

/* A `supervision` list: {date, by, note}, as listed. */
static void
load_supervision(ck_loader *l, ck_supervision **out, size_t *nout,
                 const char *path, const ck_yaml_node *root)
{
	const ck_yaml_node *seq =
	    ck_load_seq(l, path, root, "supervision", false);
	const ck_yaml_node *item;
	ck_supervision *s;
	const char *note;
	size_t i;

	*out = NULL;
	*nout = 0;
	if (seq == NULL)
		return;
	*out = ck_arena_alloc(l->a, (seq->n + 1) * sizeof(*s));
	for (i = 0; i < seq->n; i++) {
		item = seq->vals[i];
		if (item->kind != CK_YAML_MAP) {
			ck_load_error(l, path, item,
			              "a supervision entry is {date, by, "
			              "note}");
			continue;
		}
		ck_load_check_keys(l, path, item, supervision_keys);
		s = &(*out)[*nout];
		s->date = ck_load_date(l, path, item, "date", true);
		s->by = ck_load_str(l, path, item, "by", true);
		note = ck_load_str(l, path, item, "note", false);
		if (s->date == CK_NODAY || s->by == NULL)
			continue;
		s->note_md = note ? note : "";
		ck_load_md(l, &s->note_html, &s->note_text, s->note_md,
		           strlen(s->note_md));
		(*nout)++;
	}
}

/* A question's `escalation`: {to, number, sent, reply_due, reply}. */
static void
load_escalation(ck_loader *l, ck_question *q, const char *path,
                const ck_yaml_node *root)
{
	const ck_yaml_node *map = ck_load_map(l, path, root, "escalation");
	const ck_yaml_node *reply;
	ck_escalation *e;

	if (map == NULL)
		return;
	ck_load_check_keys(l, path, map, escalation_keys);
	e = ck_arena_alloc(l->a, sizeof(*e));
	e->to = ck_load_str(l, path, map, "to", true);
	e->number = ck_load_str(l, path, map, "number", false);
	e->sent = ck_load_date(l, path, map, "sent", true);
	e->reply_due = ck_load_date(l, path, map, "reply_due", false);
	e->reply_date = CK_NODAY;
	e->sent_at = ck_load_keep(l, ck_yaml_get(map, "sent"));
	e->reply_due_at = ck_load_keep(l, ck_yaml_get(map, "reply_due"));
	if ((reply = ck_load_map(l, path, map, "reply")) != NULL) {
		ck_load_check_keys(l, path, reply, reply_keys);
		e->replied = true;
		e->reply_number = ck_load_str(l, path, reply, "number", false);
		e->reply_date = ck_load_date(l, path, reply, "date", true);
		e->reply_date_at = ck_load_keep(l, ck_yaml_get(reply, "date"));
	}
	if (e->sent != CK_NODAY && q->received != CK_NODAY &&
	    e->sent < q->received)
		ck_load_error(l, path, e->sent_at,
		              "escalation sent before the question was "
		              "received");
	if (e->sent != CK_NODAY && e->reply_due != CK_NODAY &&
	    e->reply_due < e->sent)
		ck_load_error(l, path, e->reply_due_at,
		              "reply_due is before the escalation was sent");
	if (e->sent != CK_NODAY && e->reply_date != CK_NODAY &&
	    e->reply_date < e->sent)
		ck_load_error(l, path, e->reply_date_at,
		              "reply date is before the escalation was sent");
	if (e->to == NULL || e->sent == CK_NODAY ||
	    (e->replied && e->reply_date == CK_NODAY))
		return;
	q->escalation = e;
}

/*
 * Warnings about a question against its dialogue's plan: registered after
 * the registration deadline, or from a hamlet the dialogue does not cover.
 */
static void
check_against_dialogue(ck_loader *l, const ck_dialogue *dl,
                       const ck_question *q, const char *path,
                       const ck_yaml_node *root)
{
	char iso[11];
	size_t i;

	if (q->channel && strcmp(q->channel, "registered") == 0 &&
	    dl->registration_deadline != CK_NODAY && q->received != CK_NODAY &&
	    q->received > dl->registration_deadline) {
		ck_day_iso(iso, dl->registration_deadline);
		ck_load_warning(l, path, ck_yaml_get(root, "received"),
		                "registered after the dialogue's "
		                "registration_deadline %s; check 'channel' "
		                "and 'received'",
		                iso);
	}
	if (q->hamlet == NULL || dl->nhamlets == 0)
		return;
	for (i = 0; i < dl->nhamlets; i++)
		if (dl->hamlets[i] == q->hamlet)
			return;
	ck_load_warning(l, path, ck_yaml_get(root, "hamlet"),
	                "hamlet '%s' is not among the dialogue's hamlets",
	                q->hamlet->id);
}

ck_question *
ck_load_question_new(ck_loader *l, ck_dialogue *dl, const char *path,
                     const char *id)
{
	ck_question *q = ck_arena_alloc(l->a, sizeof(*q));

	q->id = id;
	q->gid = ck_arena_printf(l->a, "%s/%s", dl->slug, id);
	q->path = ck_arena_strdup(l->a, path);
	q->relpath =
	    ck_arena_printf(l->a, "dialogues/%s/questions/%s.md", dl->slug, id);
	q->dialogue = dl;
	q->due = CK_NODAY;
	q->answer_date = CK_NODAY;
	return q;
}

ck_question *
ck_load_question_file(ck_loader *l, ck_dialogue *dl, const char *path,
                      const char *id, struct stat *st)
{
	ck_model *m = l->m;
	ck_source src;
	ck_question *q;
	const ck_yaml_node *root, *ans, *n;
	size_t qlen, aoff;
	unsigned hline;
	int has_section;

	if (ck_load_read(l, &src, path) != 0 ||
	    ck_load_frontmatter(l, &src) != 0)
		return NULL;
	if (st != NULL)
		*st = src.st;
	root = src.root;
	ck_load_check_keys(l, path, root, question_keys);
	q = ck_load_question_new(l, dl, path, id);

	if ((n = ck_yaml_get(root, "hamlet")) && !ck_load_is_null(n))
		q->hamlet = ck_load_lookup(l, path, n, m->hamlets, m->nhamlets,
		                           "hamlet");
	else
		ck_load_str(l, path, root, "hamlet", true);
	if ((n = ck_yaml_get(root, "topic")) && !ck_load_is_null(n))
		q->topic =
		    ck_load_lookup(l, path, n, m->topics, m->ntopics, "topic");
	else
		ck_load_str(l, path, root, "topic", true);
	if ((n = ck_yaml_get(root, "assigned_to")) && !ck_load_is_null(n))
		q->assigned_to = ck_load_lookup(l, path, n, m->departments,
		                                m->ndepartments, "department");
	q->channel =
	    load_enum(l, path, root, "channel", ck_load_channels, NULL);
	q->received = ck_load_date(l, path, root, "received", true);
	q->asked_by = ck_load_str(l, path, root, "asked_by", false);
	q->due = ck_load_date(l, path, root, "due", false);
	q->received_at = ck_load_keep(l, ck_yaml_get(root, "received"));
	q->due_at = ck_load_keep(l, ck_yaml_get(root, "due"));
	q->extra = ck_load_keep_tree(l, ck_yaml_get(root, "extra"));

	if ((ans = ck_load_map(l, path, root, "answer")) != NULL) {
		ck_load_check_keys(l, path, ans, answer_keys);
		q->has_answer = true;
		q->answer_by = ck_load_str(l, path, ans, "by", true);
		q->answer_date = ck_load_date(l, path, ans, "date", true);
		if (q->answer_date != CK_NODAY && q->received != CK_NODAY &&
		    q->answer_date < q->received)
			ck_load_error(l, path, ck_yaml_get(ans, "date"),
			              "answer date is before the question was "
			              "received");
	}
	load_progress(l, &q->progress, &q->nprogress, q->received, path, root);
	load_escalation(l, q, path, root);
	q->answer_date_at = ans ? ck_load_keep(l, ck_yaml_get(ans, "date")) : NULL;
	check_against_dialogue(l, dl, q, path, root);

	has_section =
	    ck_md_split_answer(src.body, src.body_len, &qlen, &aoff, &hline);
	if (!has_section) {
		qlen = src.body_len;
		aoff = src.body_len;
	}
	if (has_section && ans == NULL)
		ck_diag(l->d, CK_ERROR, path, src.body_line + hline - 1, 1,
		        "answer section without 'answer: {by, date}' in the "
		        "front matter");
	if (!has_section && ans != NULL)
		ck_load_error(l, path, ck_load_keynode(root, "answer"),
		              "'answer' is set but the body has no '## Trả "
		              "lời' section");
	ck_load_md(l, &q->question_html, &q->question_text, src.body, qlen);
	if (has_section && ans != NULL) {
		ck_load_md(l, &q->answer_html, &q->answer_text, src.body + aoff,
		           src.body_len - aoff);
	}
	ck_load_scan_tree(l, path, root, skip_private);
	ck_load_scan_text(l, path, src.body, src.body_len, src.body_line, 1);
	return q;
}

static int
cmp_question_id(const void *a, const void *b)
{
	return strcmp((*(ck_question *const *)a)->id,
	              (*(ck_question *const *)b)->id);
}

/*
 * One file of a dialogue's questions folder: its question, or NULL when it
 * is not one or has errors (reported). Its text and tree go into the
 * scratch arena l->src_a, reset first. regular: the folder lists it as a
 * regular file (not a link), which needs no checking.
 */
static ck_question *
load_one(ck_loader *l, ck_load_cache *c, ck_buf *entry, ck_dialogue *dl,
         const char *dir, const char *name, bool regular)
{
	char *id, *path;
	ck_fs_kind k;

	ck_arena_reset(l->src_a);
	path = join(l, dir, name);
	k = regular ? CK_FS_FILE : kind_of(l, path);
	if (k == CK_FS_REFUSED)
		return NULL;
	if (!ends_with(name, ".md") || k != CK_FS_FILE) {
		ck_diag(l->d, CK_WARNING, path, 0, 0,
		        "ignored: question files end in .md");
		return NULL;
	}
	id = ck_arena_strndup(l->a, name, strlen(name) - 3);
	if (!ck_slug_valid(id, strlen(id))) {
		bad_slug(l, path, "question id", id);
		return NULL;
	}
	if (ck_load_scan_name(l, path, id))
		return NULL;
	return ck_load_cache_question(l, c, entry, dl, path, name, id);
}

/*
 * Records read on several threads: each worker takes the next item (a
 * question file, or a whole dialogue) and loads it with a loader of its
 * own (arenas, and the problems of each item apart); the results join the
 * run's in the items' order, so the model and the diagnostics are those
 * of one thread.
 */
typedef struct load_pool load_pool;
/* Loads item i of p with the worker's loader wl (wl->d is the item's). */
typedef void (*load_item_fn)(load_pool *p, ck_loader *wl, size_t i);

struct load_pool {
	load_item_fn fn;
	void *arg; /* what the items are, for fn */
	size_t n;
	size_t next;     /* the next item to take (atomic) */
	ck_diags **d;    /* each item's problems */
	bool *io_failed; /* each item's */
};

typedef struct {
	load_pool *p;
	ck_loader l; /* the run's, with arenas of its own */
	pthread_t tid;
	bool started;
} load_worker;

static void *
load_work(void *arg)
{
	load_worker *w = arg;
	load_pool *p = w->p;
	size_t i;

	while ((i = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED)) <
	       p->n) {
		w->l.d = p->d[i] = ck_diags_new();
		w->l.io_failed = false;
		p->fn(p, &w->l, i);
		p->io_failed[i] = w->l.io_failed;
	}
	return NULL;
}

/*
 * Runs p's items on the nw workers of w (their loaders set up; worker 0
 * is this thread, and one that cannot be started leaves its share), then
 * moves each item's problems into l's, in order.
 */
static void
load_pool_run(ck_loader *l, load_pool *p, load_worker *w, size_t nw)
{
	size_t i;

	p->next = 0;
	p->d = calloc(p->n ? p->n : 1, sizeof(*p->d));
	p->io_failed = calloc(p->n ? p->n : 1, sizeof(*p->io_failed));
	if (p->d == NULL || p->io_failed == NULL)
		err(3, "calloc");
	ck_md_ready();
	for (i = 0; i < nw; i++)
		w[i].p = p;
	for (i = 1; i < nw; i++)
		w[i].started =
		    pthread_create(&w[i].tid, NULL, load_work, &w[i]) == 0;
	load_work(&w[0]);
	for (i = 1; i < nw; i++)
		if (w[i].started)
			pthread_join(w[i].tid, NULL);
	for (i = 0; i < p->n; i++) {
		ck_diags_move(l->d, p->d[i]);
		ck_diags_free(p->d[i]);
		if (p->io_failed[i])
			l->io_failed = true;
	}
	free(p->d);
	free(p->io_failed);
}

/* Fewer files than this per thread are read on one. */
#define QLOAD_MIN_PER_THREAD 8

/* A dialogue's question files, and where each one's question goes. */
typedef struct {
	ck_dialogue *dl;
	const char *dir;
	char **names;
	bool *regular;
	ck_question **q;
	ck_load_cache *cache;
	ck_buf *entries; /* for the cache, each file's */
} qload_items;

static void
load_question_item(load_pool *p, ck_loader *wl, size_t i)
{
	qload_items *it = p->arg;

	it->q[i] = load_one(wl, it->cache, &it->entries[i], it->dl, it->dir,
	                    it->names[i], it->regular[i]);
}

/* Loads a dialogue's question files (items->names) into v on nw threads. */
static void
load_parallel(ck_loader *l, qload_items *items, size_t n, size_t nw,
              ck_ptrvec *v)
{
	load_pool p;
	load_worker *w;
	size_t i;

	memset(&p, 0, sizeof(p));
	p.fn = load_question_item;
	p.arg = items;
	p.n = n;
	w = calloc(nw, sizeof(*w));
	if (w == NULL)
		err(3, "calloc");
	if (l->job_a == NULL) {
		l->job_a = calloc((size_t)l->jobs, sizeof(*l->job_a));
		l->job_src_a = calloc((size_t)l->jobs, sizeof(*l->job_src_a));
		if (l->job_a == NULL || l->job_src_a == NULL)
			err(3, "calloc");
	}
	for (i = 0; i < nw; i++) {
		if (l->job_a[i] == NULL) {
			l->job_a[i] = ck_arena_new();
			l->job_src_a[i] = ck_arena_new();
		}
		w[i].l = *l;
		w[i].l.a = l->job_a[i];
		w[i].l.src_a = l->job_src_a[i];
	}
	load_pool_run(l, &p, w, nw);
	for (i = 0; i < n; i++)
		if (items->q[i] != NULL)
			ck_ptrvec_push(l->a, v, items->q[i]);
	free(w);
}

void
ck_load_questions_done(ck_loader *l)
{
	int i;

	if (l->job_a == NULL)
		return;
	for (i = 0; i < l->jobs; i++) {
		/* What the model keeps lives on in its arena. */
		ck_arena_adopt(l->a, l->job_a[i]);
		ck_arena_free(l->job_src_a[i]);
	}
	free(l->job_a);
	free(l->job_src_a);
	l->job_a = l->job_src_a = NULL;
}

static void
load_questions(ck_loader *l, ck_dialogue *dl, const char *dir)
{
	qload_items items = {dl, dir, NULL, NULL, NULL, NULL, NULL};
	size_t n, i, nw;
	ck_ptrvec v = {0};
	ck_question *q;

	items.names = ck_load_list_dir(l, dir, &n, &items.regular);
	items.cache = ck_load_cache_open(l, dl, dir);
	items.q = calloc(n ? n : 1, sizeof(*items.q));
	items.entries = calloc(n ? n : 1, sizeof(*items.entries));
	if (items.q == NULL || items.entries == NULL)
		err(3, "calloc");
	for (i = 0; i < n; i++)
		ck_buf_init(&items.entries[i]);
	nw = n / QLOAD_MIN_PER_THREAD;
	if (nw > (size_t)l->jobs)
		nw = (size_t)l->jobs;
	if (nw > 1) {
		load_parallel(l, &items, n, nw, &v);
	} else {
		/* A question's text and tree die with it: the model keeps
		 * copies. */
		l->src_a = ck_arena_new();
		for (i = 0; i < n; i++)
			if ((q = load_one(l, items.cache, &items.entries[i], dl,
			                  dir, items.names[i],
			                  items.regular[i])) != NULL)
				ck_ptrvec_push(l->a, &v, q);
		ck_arena_free(l->src_a);
		l->src_a = NULL;
	}
	ck_load_cache_close(items.cache, items.names, items.entries, n);
	for (i = 0; i < n; i++)
		ck_buf_free(&items.entries[i]);
	free(items.entries);
	free(items.q);
	if (v.len)
		qsort(v.items, v.len, sizeof(*v.items), cmp_question_id);
	dl->questions = (ck_question **)v.items;
	dl->nquestions = v.len;
}

/* Longest `code` a dialogue may set: it is read out on the phone. */
#define CODE_MAX 16

/*
 * The code made from a slug: each word's first letter, upper-cased, and
 * numbers whole, a dot between two numbers ("doi-thoai-quy-1-2027" ->
 * "DTQ1.2027"), a word's digits after its letter ("tx-q3" -> "TQ3"), short
 * enough to say on the phone or write in a letter.
 */
static const char *
slug_code(ck_loader *l, const char *slug)
{
	ck_buf b = CK_BUF_INIT;
	const char *p = slug, *r;

	while (*p) {
		size_t n = strcspn(p, "-"), k = 0;

		while (k < n && p[k] >= '0' && p[k] <= '9')
			k++;
		if (n > 0 && k == n) {
			if (b.size && b.ptr[b.size - 1] >= '0' &&
			    b.ptr[b.size - 1] <= '9')
				ck_buf_putc(&b, '.');
			ck_buf_put(&b, p, n);
		} else if (n > 0) {
			ck_buf_putc(&b, (char)(p[0] >= 'a' && p[0] <= 'z'
			                           ? p[0] - 'a' + 'A'
			                           : p[0]));
			/* A word's digits stay: "tx-q3" and "tx-q4" differ. */
			for (k = 1; k < n; k++)
				if (p[k] >= '0' && p[k] <= '9')
					ck_buf_putc(&b, p[k]);
		}
		p += n;
		if (*p == '-')
			p++;
	}
	r = ck_arena_strndup(l->a, b.ptr, b.size);
	ck_buf_free(&b);
	return r;
}

/* index.md `code`: 1..CODE_MAX letters, digits and inner dots; upper-cased. */
static const char *
load_code(ck_loader *l, const char *path, const ck_yaml_node *root)
{
	const char *s = ck_load_str(l, path, root, "code", false);
	char *c;
	size_t i, n;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') ||
		      (s[i] == '.' && i > 0 && i + 1 < n && s[i + 1] != '.')))
			break;
	if (n > CODE_MAX || i < n) {
		ck_load_error(l, path, ck_yaml_get(root, "code"),
		              "code '%s' must be 1 to %d letters (A-Z) or "
		              "digits, with dots between them",
		              s, CODE_MAX);
		return NULL;
	}
	c = ck_arena_strdup(l->a, s);
	for (i = 0; i < n; i++)
		if (c[i] >= 'a' && c[i] <= 'z')
			c[i] = (char)(c[i] - 'a' + 'A');
	return c;
}

static ck_dialogue *
load_dialogue(ck_loader *l, const char *dir, const char *slug)
{
	ck_model *m = l->m;
	ck_dialogue *dl;
	ck_source src;
	const ck_yaml_node *root, *plan, *n;
	const char *path = join(l, dir, "index.md"), *st;
	const ck_yaml_node *directives = NULL;
	char *sub;
	ck_fs_kind k;

	if ((k = kind_of(l, path)) == CK_FS_REFUSED)
		return NULL;
	if (k != CK_FS_FILE) {
		ck_diag(
		    l->d, CK_ERROR, path, 0, 0,
		    "missing index.md: every dialogue folder needs one with "
		    "the plan");
		return NULL;
	}
	if (ck_load_read(l, &src, path) != 0 ||
	    ck_load_frontmatter(l, &src) != 0)
		return NULL;
	root = src.root;
	ck_load_check_keys(l, path, root, dialogue_keys);
	dl = ck_arena_alloc(l->a, sizeof(*dl));
	dl->slug = slug;
	dl->path = src.path;
	dl->title = ck_load_str(l, path, root, "title", true);
	if ((dl->code = load_code(l, path, root)) != NULL) {
		dl->code_at = ck_yaml_get(root, "code");
	} else {
		dl->code = slug_code(l, slug);
		dl->code_at = root;
	}
	dl->kind = load_enum(l, path, root, "kind", kinds, "conference");
	dl->date_text = ck_load_str(l, path, root, "date_text", false);
	dl->date = ck_load_date(l, path, root, "date", dl->date_text == NULL);
	dl->date_at = ck_yaml_get(root, "date");
	dl->time = ck_load_str(l, path, root, "time", false);
	if (dl->time) {
		int minutes;

		if (ck_time_parse(&minutes, dl->time, strlen(dl->time)) != 0)
			ck_load_error(l, path, ck_yaml_get(root, "time"),
			              "'%s' is not a time (HH:MM)", dl->time);
		else
			dl->time = ck_arena_printf(l->a, "%02d:%02d",
			                           minutes / 60, minutes % 60);
	}
	dl->location = ck_load_str(l, path, root, "location", true);
	dl->chairs =
	    ck_load_strlist(l, path, root, "chairs", true, &dl->nchairs);
	dl->topics = load_idlist(l, path, root, "topics", m->topics, m->ntopics,
	                         "topic", &dl->ntopics);
	dl->hamlets = load_idlist(l, path, root, "hamlets", m->hamlets,
	                          m->nhamlets, "hamlet", &dl->nhamlets);
	dl->published = ck_load_date(l, path, root, "published", false);
	dl->registration_deadline =
	    ck_load_date(l, path, root, "registration_deadline", false);
	dl->plan_issued = CK_NODAY;
	if ((plan = ck_load_map(l, path, root, "plan")) != NULL) {
		ck_load_check_keys(l, path, plan, plan_keys);
		dl->has_plan = true;
		dl->plan_number = ck_load_str(l, path, plan, "number", false);
		dl->plan_issued = ck_load_date(l, path, plan, "issued", false);
		dl->plan_issuer = ck_load_str(l, path, plan, "issuer", false);
		load_signer(l, path, plan, &dl->plan_signer_name,
		            &dl->plan_signer_title);
	}
	dl->legal_basis = ck_load_strlist(l, path, root, "legal_basis", false,
	                                  &dl->nlegal_basis);
	dl->participants = ck_load_strlist(l, path, root, "participants", false,
	                                   &dl->nparticipants);
	dl->attendance = ck_load_int(l, path, root, "attendance", -1, 0);
	if ((st = ck_load_str(l, path, root, "status", false)) != NULL) {
		if (strcmp(st, "cancelled") == 0 ||
		    strcmp(st, "postponed") == 0)
			dl->status_set = st;
		else
			ck_load_error(l, path, ck_yaml_get(root, "status"),
			              "status may only be 'cancelled' or "
			              "'postponed' (the rest is derived)");
	}
	if ((n = ck_yaml_get(root, "extra")) != NULL)
		dl->extra = n;
	load_supervision(l, &dl->supervision, &dl->nsupervision, path, root);
	dl->body_md = ck_arena_strndup(l->a, src.body, src.body_len);
	dl->body_html = ck_load_md_html(l, src.body, src.body_len);
	ck_load_scan_tree(l, path, root, NULL);
	ck_load_scan_text(l, path, src.body, src.body_len, src.body_line, 1);

	if (dl->date != CK_NODAY && dl->published != CK_NODAY &&
	    dl->published > dl->date)
		ck_load_warning(l, path, ck_yaml_get(root, "published"),
		                "the plan was published after the dialogue; "
		                "check 'published' and 'date'");
	else if (dl->date != CK_NODAY && dl->published != CK_NODAY &&
	         dl->date - dl->published < m->notice_days)
		ck_load_warning(l, path, ck_yaml_get(root, "published"),
		                "the plan was published %d day(s) before the "
		                "dialogue; notice_days is %d",
		                dl->date - dl->published, m->notice_days);

	sub = join(l, dir, "conclusion.md");
	dl->conclusion_issued = CK_NODAY;
	if (kind_of(l, sub) == CK_FS_FILE)
		directives = load_conclusion(l, dl, sub);
	if (dl->has_conclusion && dl->date != CK_NODAY &&
	    dl->conclusion_issued != CK_NODAY &&
	    dl->conclusion_issued < dl->date)
		ck_load_error(l, dl->conclusion_path, dl->conclusion_issued_at,
		              "the conclusion is issued before the dialogue "
		              "is held; check 'issued' here and 'date' in "
		              "index.md");
	sub = join(l, dir, "questions");
	if (kind_of(l, sub) == CK_FS_DIR)
		load_questions(l, dl, sub);
	resolve_directive_questions(l, dl, directives);
	return dl;
}

static int
cmp_code(const void *x, const void *y)
{
	const ck_dialogue *a = *(const ck_dialogue *const *)x;
	const ck_dialogue *b = *(const ck_dialogue *const *)y;
	int c = strcmp(a->code, b->code);

	return c ? c : strcmp(a->slug, b->slug);
}

/*
 * A question's reference ("DT2025-001") names it in the whole site only if
 * no two dialogues share a code; the later folder of a pair is reported.
 */
static void
check_codes(ck_loader *l)
{
	const ck_model *m = l->m;
	ck_dialogue **by_code;
	size_t i;

	if (m->ndialogues < 2)
		return;
	by_code = ck_arena_alloc(l->a, m->ndialogues * sizeof(*by_code));
	memcpy(by_code, m->dialogues, m->ndialogues * sizeof(*by_code));
	qsort(by_code, m->ndialogues, sizeof(*by_code), cmp_code);
	for (i = 1; i < m->ndialogues; i++) {
		const ck_dialogue *a = by_code[i - 1], *b = by_code[i];

		if (strcmp(a->code, b->code) == 0)
			ck_load_error(
			    l, b->path, b->code_at,
			    "dialogue code '%s' is already used by %s; "
			    "give one of them a different 'code' "
			    "(question references are <code>-<id>)",
			    b->code, a->path);
	}
}

/*
 * A province's dialogues read on several threads (load_pool), each
 * dialogue whole (its plan, conclusion and questions) by one worker: with
 * thousands of dialogues of a few dozen questions, reading each
 * dialogue's questions on several threads left a core idle for the parts
 * between them (the plan, the folder's listing, starting the threads).
 */
struct dload_item {
	const char *name, *dir;
	ck_dialogue *dl;
};

/* Fewer dialogues than this per thread are read one after the other (each
 * one's questions on several threads): a commune's few dialogues. */
#define DLOAD_MIN_PER_THREAD 4

static void
load_dialogue_item(load_pool *p, ck_loader *wl, size_t i)
{
	struct dload_item *it = (struct dload_item *)p->arg + i;

	it->dl = load_dialogue(wl, it->dir, it->name);
}

/* Loads the n dialogues of items on nw threads (this one included). */
static void
dload_parallel(ck_loader *l, struct dload_item *items, size_t n, size_t nw)
{
	load_pool p;
	load_worker *w = calloc(nw, sizeof(*w));
	size_t i;

	if (w == NULL)
		err(3, "calloc");
	memset(&p, 0, sizeof(p));
	p.fn = load_dialogue_item;
	p.arg = items;
	p.n = n;
	for (i = 0; i < nw; i++) {
		w[i].l = *l;
		w[i].l.a = ck_arena_new();
		w[i].l.src_a = NULL;
		/* A dialogue's questions one after the other. */
		w[i].l.jobs = 1;
		w[i].l.job_a = w[i].l.job_src_a = NULL;
	}
	load_pool_run(l, &p, w, nw);
	/* What the model keeps lives on in its arena. */
	for (i = 0; i < nw; i++)
		ck_arena_adopt(l->a, w[i].l.a);
	free(w);
}

int
ck_load_dialogues(ck_loader *l)
{
	ck_model *m = l->m;
	const char *dir = join(l, m->content_dir, "dialogues");
	char **names, *sub;
	size_t n, i, nitems = 0, nw;
	ck_ptrvec v = {0};
	struct dload_item *items;

	if (kind_of(l, dir) != CK_FS_DIR)
		return 0;
	names = ck_load_list_dir(l, dir, &n, NULL);
	items = ck_arena_alloc(l->a, (n ? n : 1) * sizeof(*items));
	for (i = 0; i < n; i++) {
		sub = join(l, dir, names[i]);
		if (kind_of(l, sub) != CK_FS_DIR)
			continue;
		if (!ck_slug_valid(names[i], strlen(names[i]))) {
			bad_slug(l, sub, "dialogue slug", names[i]);
			continue;
		}
		if (ck_load_scan_name(l, sub, names[i]))
			continue;
		memset(&items[nitems], 0, sizeof(*items));
		items[nitems].name = names[i];
		items[nitems].dir = sub;
		nitems++;
	}
	nw = nitems / DLOAD_MIN_PER_THREAD;
	if (nw > (size_t)l->jobs)
		nw = (size_t)l->jobs;
	if (nw > 1) {
		dload_parallel(l, items, nitems, nw);
	} else {
		for (i = 0; i < nitems; i++)
			items[i].dl =
			    load_dialogue(l, items[i].dir, items[i].name);
	}
	for (i = 0; i < nitems; i++)
		if (items[i].dl != NULL)
			ck_ptrvec_push(l->a, &v, items[i].dl);
	m->dialogues = (ck_dialogue **)v.items;
	m->ndialogues = v.len;
	check_codes(l);
	return 0;
}

/* The folders being walked, to refuse a link back to one of them. */
typedef struct walk_level {
	dev_t dev;
	ino_t ino;
	const struct walk_level *up;
} walk_level;

static void
walk_static(ck_loader *l, const char *dir, const char *rel, ck_ptrvec *v,
            const char *root, const walk_level *up)
{
	char **names, *path, *r;
	size_t n, i;
	ck_static_file *f;
	ck_fs_kind k;
	struct stat st;
	const walk_level *a;
	walk_level here;

	names = ck_load_list_dir(l, dir, &n, NULL);
	for (i = 0; i < n; i++) {
		path = join(l, dir, names[i]);
		r = rel ? join(l, rel, names[i]) : names[i];
		k = ck_load_kind(l, path, root, "static folder", &st);
		if (k == CK_FS_REFUSED || k == CK_FS_MISSING)
			continue;
		/* Published as they are: the names become addresses too. */
		if (ck_load_scan_name(l, path, names[i]))
			continue;
		if (k == CK_FS_DIR) {
			for (a = up; a; a = a->up)
				if (a->dev == st.st_dev && a->ino == st.st_ino)
					break;
			if (a != NULL) {
				ck_diag(l->d, CK_ERROR, path, 0, 0,
				        "symbolic link loop: it leads back to "
				        "a folder that contains it");
				continue;
			}
			here.dev = st.st_dev;
			here.ino = st.st_ino;
			here.up = up;
			walk_static(l, path, r, v, root, &here);
		} else {
			f = ck_arena_alloc(l->a, sizeof(*f));
			f->relpath = r;
			f->path = path;
			ck_ptrvec_push(l->a, v, f);
		}
	}
}

int
ck_load_statics(ck_loader *l)
{
	ck_model *m = l->m;
	const char *dir = join(l, m->content_dir, "static");
	ck_ptrvec v = {0};
	struct stat st;
	walk_level top;
	char *root;
	size_t i;

	if (kind_of(l, dir) == CK_FS_DIR) {
		/* Static files may not point elsewhere in the content either:
		 * a link to a question would publish its private block. */
		if ((root = ck_fs_root(dir)) == NULL || stat(root, &st) != 0) {
			ck_diag(l->d, CK_ERROR, dir, 0, 0, "cannot read: %s",
			        strerror(errno));
			l->io_failed = true;
		} else {
			top.dev = st.st_dev;
			top.ino = st.st_ino;
			top.up = NULL;
			walk_static(l, dir, NULL, &v,
			            ck_arena_strdup(l->a, root), &top);
		}
		free(root);
	}
	m->statics = ck_arena_alloc(l->a, (v.len + 1) * sizeof(*m->statics));
	for (i = 0; i < v.len; i++)
		m->statics[i] = *(ck_static_file *)v.items[i];
	m->nstatics = v.len;
	return 0;
}
