/*
 * The model: one commune's records, loaded, validated and derived. Every
 * view (pages, JSON, CSV) is rendered from this one structure, so they can
 * never disagree. Everything here lives in the model's arena and is
 * read-only once ck_model_load has returned.
 */
#ifndef CK_MODEL_H
#define CK_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "calendar.h"
#include "date.h"
#include "diag.h"
#include "frontmatter.h"
#include "revisions.h"

/* An entry of site.yaml's hamlets, topics or departments lists. */
typedef struct {
	const char *id;
	const char *name;
} ck_named;

typedef enum {
	CK_ST_RECEIVED,
	CK_ST_IN_PROGRESS,
	CK_ST_ESCALATED,
	CK_ST_ANSWERED,
	CK_ST_RESOLVED,
	CK_ST_DECLINED,
	CK_ST_COUNT
} ck_status;

/* "received", ... and the spec's labels "Đã tiếp nhận", ... */
const char *ck_status_name(ck_status s);
const char *ck_status_label(ck_status s);
bool ck_status_open(ck_status s);
/* The folder of a status page (trang-thai/<it>/): the status's own name. */
const char *ck_status_slug(ck_status s);
/* -1 when name is not a status. */
int ck_status_parse(const char *name);

typedef enum {
	CK_DLG_PLANNED,
	CK_DLG_HELD,
	CK_DLG_CONCLUDED,
	CK_DLG_CANCELLED,
	CK_DLG_POSTPONED
} ck_dialogue_status;

const char *ck_dialogue_status_name(ck_dialogue_status s);

typedef struct {
	ck_day date;
	ck_status status;
	const char *note_md;   /* may be "" */
	const char *note_html; /* rendered */
	const char *note_text; /* plain */
} ck_progress;

typedef struct ck_dialogue ck_dialogue;
typedef struct ck_directive ck_directive;

/* An entry of `supervision`: the Fatherland Front's (MTTQ) supervision of a
 * dialogue or of a directive. */
typedef struct {
	ck_day date;
	const char *by;
	const char *note_md;   /* may be "" */
	const char *note_html; /* rendered */
	const char *note_text; /* plain */
} ck_supervision;

/* A question's `escalation`: reported to a higher authority. */
typedef struct {
	const char *to;          /* the higher authority, text */
	const char *number;      /* the document sent, or NULL */
	ck_day sent;
	ck_day reply_due;        /* or CK_NODAY */
	bool replied;            /* `reply` is given */
	const char *reply_number; /* or NULL */
	ck_day reply_date;       /* or CK_NODAY */
	/* Where sent and reply_due are written, for check's warnings. */
	const ck_yaml_node *sent_at, *reply_due_at, *reply_date_at;

	/* Derived. */
	int working_days;  /* working days from sent to the reply, or today */
	bool reply_late;   /* reply after reply_due, or none and today > it */
	int days_past_due; /* calendar days past reply_due (to the reply or
			      today); 0 when not late */
} ck_escalation;

typedef struct {
	const char *id;       /* file id: "014" */
	const char *gid;      /* "<dialogue slug>/<id>" */
	const char *path;     /* source file as given ("content/dialogues/...") */
	const char *relpath;  /* relative to the content folder */
	ck_dialogue *dialogue;
	const ck_named *hamlet;
	const ck_named *topic;
	const ck_named *assigned_to; /* or NULL */
	const char *channel;         /* registered, at_meeting, ... */
	const char *asked_by;        /* as published (default filled in) */
	ck_day received;
	ck_day due;                  /* or CK_NODAY */
	bool has_answer;
	const char *answer_by;       /* or NULL */
	ck_day answer_date;          /* or CK_NODAY */
	/* The body's Markdown is not kept: pages and data use these. */
	const char *question_html, *question_text;
	const char *answer_html, *answer_text; /* NULL: none */
	ck_progress *progress;       /* oldest first */
	size_t nprogress;
	const ck_yaml_node *extra;   /* or NULL; passed to themes */
	ck_escalation *escalation;   /* or NULL */
	/* Where received and due are written, for check's warnings. */
	const ck_yaml_node *received_at, *due_at, *answer_date_at;

	/* Derived (content-format.md "Derived"). */
	ck_status status;
	bool open;
	ck_day answer_due;     /* CK_NODAY while the dialogue has no date */
	bool answer_overdue;
	bool answered_late;    /* answer.date > answer_due */
	bool overdue;
	ck_day updated;
	bool stale;            /* open, updated + stale_working_days < today */
	/* The conclusion's directive that lists this question, or NULL. */
	const ck_directive *directive;
	const ck_revision *revisions; /* oldest first */
	size_t nrevisions;
} ck_question;

/* A directive of the conclusion (conclusion.md `directives`). */
struct ck_directive {
	const char *id;
	const char *text_md, *text_html, *text_text;
	const ck_named *assigned_to;   /* or NULL */
	ck_day due;                    /* or CK_NODAY */
	ck_question **questions;       /* of the same dialogue, as listed */
	size_t nquestions;
	ck_progress *progress;         /* oldest first */
	size_t nprogress;
	ck_supervision *supervision;
	size_t nsupervision;
	ck_dialogue *dialogue;
	const ck_yaml_node *due_at;

	/* Derived, as for a question: the last progress status, else
	 * `received`. */
	ck_status status;
	bool done;    /* status closed (answered, resolved, declined) */
	bool overdue; /* not done, has due, today > due */
	ck_day updated;
};

struct ck_dialogue {
	const char *slug;
	/*
	 * The short code citizens quote ("DT2025"): index.md `code`, or made
	 * from the slug; unique in the site. A question's reference is
	 * "<code>-<id>".
	 */
	const char *code;
	const char *path;    /* index.md as given */
	const char *title;
	const char *kind;    /* conference, hamlet_meeting, reception */
	ck_day date;         /* or CK_NODAY */
	const char *date_text; /* or NULL */
	const char *time;    /* "HH:MM" or NULL */
	const char *location;
	const char **chairs;
	size_t nchairs;
	const ck_named **topics;
	size_t ntopics;
	const ck_named **hamlets; /* NULL/0: all hamlets */
	size_t nhamlets;
	ck_day published;              /* or CK_NODAY */
	ck_day registration_deadline;  /* or CK_NODAY */
	bool has_plan;
	const char *plan_number, *plan_issuer; /* or NULL */
	ck_day plan_issued;                    /* or CK_NODAY */
	const char *plan_signer_name, *plan_signer_title;
	const char **legal_basis;
	size_t nlegal_basis;
	const char **participants;
	size_t nparticipants;
	long attendance;            /* -1: not given */
	const char *status_set;     /* "cancelled", "postponed" or NULL */
	const char *body_md, *body_html;
	const ck_yaml_node *extra;

	bool has_conclusion;
	const char *conclusion_path;
	ck_day conclusion_issued;
	const char *conclusion_number; /* or NULL */
	const char *conclusion_signer_name, *conclusion_signer_title;
	const char *conclusion_md, *conclusion_html;
	const ck_yaml_node *conclusion_extra;
	/* Where date and the conclusion's issued are written (warnings). */
	const ck_yaml_node *date_at, *conclusion_issued_at;
	ck_directive *directives; /* as listed in conclusion.md */
	size_t ndirectives;
	ck_supervision *supervision; /* index.md `supervision`, as listed */
	size_t nsupervision;
	/* Where code is written, or the front matter when it is made. */
	const ck_yaml_node *code_at;

	ck_question **questions; /* sorted by id */
	size_t nquestions;

	/* Derived. */
	ck_dialogue_status status;
	ck_day conclusion_due;  /* date + conclusion_working_days, or CK_NODAY */
	bool conclusion_overdue; /* missing and today > conclusion_due */
	bool conclusion_late;    /* issued after conclusion_due */
	size_t by_status[CK_ST_COUNT];
	size_t ndirectives_done;
};

typedef struct {
	const char *slug;
	const char *path;
	const char *title;
	long order; /* menu order; pages sort by order, then slug */
	const char *body_md, *body_html;
	const ck_yaml_node *extra;
} ck_page;

/* A file of content/static, copied verbatim to static/<relpath>. */
typedef struct {
	const char *relpath; /* below static/ */
	const char *path;    /* to read it from */
} ck_static_file;

typedef struct {
	ck_arena *arena;
	const char *content_dir;
	ck_day today;

	/* site.yaml */
	const char *site_path;
	const char *name;
	const char *unit_type; /* xa, phuong, dac-khu */
	const char *province;  /* or NULL */
	const char *base_url;  /* ends in '/' */
	const char *cname;     /* or NULL */
	const char *contact_address, *contact_phone, *contact_email;
	/* The records repository's web address (no trailing '/') or NULL,
	 * and its forge's kind: "github", "gitlab" or "gitea". */
	const char *source_url, *source_kind;
	ck_named *hamlets;
	size_t nhamlets;
	ck_named *topics;
	size_t ntopics;
	ck_named *departments;
	size_t ndepartments;
	int notice_days, answer_working_days, conclusion_working_days;
	int stale_working_days; /* deadlines.stale_working_days, default 30 */
	const ck_yaml_node *extra;
	ck_calendar *calendar;
	const ck_yaml_node *holidays_at; /* site.yaml 'holidays' key, or NULL */
	/*
	 * site.yaml `coverage` (load/coverage.c): the unit meets every hamlet
	 * each quarter; counted from coverage_from (or the first meeting).
	 */
	bool coverage;
	ck_day coverage_from; /* or CK_NODAY */
	const ck_yaml_node *coverage_at;

	ck_dialogue **dialogues; /* by date (undated last), then slug */
	size_t ndialogues;
	ck_question **questions; /* by dialogue date, then dialogue, then id */
	size_t nquestions;
	ck_page **pages;         /* by order, then slug */
	size_t npages;
	ck_static_file *statics; /* by relpath */
	size_t nstatics;
} ck_model;

/*
 * Loads content_dir, validates it and derives every field against `today`,
 * reading the questions on `jobs` threads (ck_jobs; the model and the
 * problems found are the same whatever their number). Problems go into d.
 * Questions unchanged since they were read are taken from the record cache
 * (load/load_cache.c); with `remember` the questions read are recorded in
 * it too (build, publish, serve; `check` writes nothing).
 * Returns 0 with *out set (free with ck_model_free), -1 when the content
 * has errors (*out NULL), -2 when content_dir is not a folder, -3 on an
 * I/O or git failure (message printed).
 */
int ck_model_load(ck_model **out, const char *content_dir, ck_day today,
                  int jobs, bool remember, ck_diags *d);
void ck_model_free(ck_model *m); /* accepts NULL */
/*
 * Loads only content_dir/site.yaml (its lists and calendar), for the staff
 * commands that need no records (`new`, `calendar`). Returns as
 * ck_model_load; free *out with ck_model_free.
 */
int ck_model_load_site(ck_model **out, const char *content_dir, ck_diags *d);

/*
 * Adds the warnings `check` reports about the state of the work: answers
 * overdue, promised dates passed, conclusions missing past their due day or
 * issued late.
 */
void ck_model_report_status(const ck_model *m, ck_diags *d);
/*
 * Warns when today's year, or the year of a computed due date, has no
 * site.yaml holidays around Tết (status_holidays.c).
 */
void ck_model_report_holidays(const ck_model *m, ck_diags *d);

/* Quarters, numbered year * 4 + (quarter - 1). */
int ck_quarter_of(ck_day day);
ck_day ck_quarter_first(int quarter);
ck_day ck_quarter_last(int quarter);

typedef enum { CK_COV_MET, CK_COV_NOT_YET, CK_COV_MISSED } ck_cov_state;

/*
 * The hamlet x quarter coverage table: cells[h * nquarters + k] for
 * m->hamlets[h] and quarter first + k; met_by the same shape, the first
 * meeting that covered it (or NULL). Allocated in the arena given.
 */
typedef struct {
	int first;
	size_t nquarters;
	ck_cov_state *cells;
	const ck_dialogue **met_by;
} ck_coverage;

/*
 * Fills *out in a (load/coverage.c). Returns 0, or 1 (*out zeroed) when the
 * unit has no coverage commitment or nothing to count from yet.
 */
int ck_coverage_compute(ck_coverage *out, ck_arena *a, const ck_model *m);
/* Warns, at site.yaml's coverage key, of each hamlet missed in a finished
 * quarter. */
void ck_model_report_coverage(const ck_model *m, ck_diags *d);

/*
 * The day the citizen-visible facts last changed (load/asof.c): the latest
 * day <= today on which a record's date falls or a flag that depends on
 * the day (overdue, held, registration closed, a quarter missed) turned;
 * today when there is none. Pages and open data say "as of" this day, so
 * publishing unchanged records on a quiet day changes no byte.
 */
ck_day ck_model_as_of(const ck_model *m);

#endif
