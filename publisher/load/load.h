/*
 * Internals of the loader (load_*.c, derive.c): the state of one load and
 * the helpers that read typed values out of front matter with positions.
 * Not a public interface: use ck_model_load (model.h).
 */
#ifndef CK_LOAD_H
#define CK_LOAD_H

#include <stdint.h>
#include <sys/stat.h>

#include "fsguard.h"
#include "model.h"

typedef struct {
	ck_model *m;
	ck_arena *a; /* the model's: what the model keeps */
	/*
	 * Where a source's text and front-matter tree go: NULL for the
	 * model's arena, or a scratch arena reset after each question (at a
	 * province's scale the questions' trees were a third of the model).
	 * While it is set, what the model keeps is copied out of the tree
	 * (ck_load_str, ck_load_strlist, ck_load_keep, ck_yaml_copy).
	 */
	ck_arena *src_a;
	ck_diags *d;
	/*
	 * The site.yaml lists that are missing or unusable (not a list):
	 * references to them are not reported as unknown ids, since the
	 * cause is already on the screen.
	 */
	bool failed_hamlet, failed_topic, failed_department;
	/* The resolved content folder: everything read must lie inside. */
	const char *root;
	/* Set by any I/O failure: the run ends with exit 3, writing nothing. */
	bool io_failed;
	/*
	 * site.yaml `public_numbers`, canonical digits ("0301234567"):
	 * numbers that look like a citizen's but are public (a bank account,
	 * a business's tax code). Each use is a note in the output.
	 */
	const char **public_numbers;
	size_t npublic_numbers;
	/* Threads reading a dialogue's questions (load_records.c). */
	int jobs;
	/*
	 * Their arenas, kept from one dialogue to the next (a dialogue's
	 * share of a fresh arena would leave most of a block unused), and
	 * each one's scratch arena; ck_load_questions_done hands the first
	 * to the model.
	 */
	ck_arena **job_a, **job_src_a;
	/* ck_hash128 of site.yaml's bytes (NFC), for the record cache. */
	uint64_t site_fp[2];
	/* The record cache's run (load_cache.c), or NULL: none. */
	struct ck_load_cache_run *cache;
} ck_loader;

/* One source file, read, checked as UTF-8 and normalised to NFC. */
typedef struct {
	const char *path; /* as given, for diagnostics */
	const char *text; /* NFC, NUL-terminated, in the source arena */
	size_t len;
	ck_yaml_node *root;  /* the front matter (or whole YAML file) map */
	const char *body;    /* Markdown after the front matter */
	size_t body_len;
	unsigned body_line;
	struct stat st; /* the file read, while the record cache is on */
} ck_source;

/*
 * Reads path into src. Returns 0, -1 when the file is not valid UTF-8
 * (reported into d) or -3 on an I/O failure (reported into d as well, since
 * an unreadable record is something staff must fix).
 */
int ck_load_read(ck_loader *l, ck_source *src, const char *path);
/* Parses src as a whole YAML file (site.yaml); root must be a map. 0/-1. */
int ck_load_yaml_file(ck_loader *l, ck_source *src);
/* Splits and parses the front matter of a Markdown file. 0/-1. */
int ck_load_frontmatter(ck_loader *l, ck_source *src);

/*
 * A node the model keeps for its position (warnings after the load): n
 * itself, or while sources are transient (l->src_a) a copy in the model's
 * arena without its children. NULL gives NULL.
 */
const ck_yaml_node *ck_load_keep(ck_loader *l, const ck_yaml_node *n);
/* A subtree the model keeps whole (`extra`): n, or a deep copy likewise. */
const ck_yaml_node *ck_load_keep_tree(ck_loader *l, const ck_yaml_node *n);

void ck_load_error(ck_loader *l, const char *path, const ck_yaml_node *at,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void ck_load_warning(ck_loader *l, const char *path, const ck_yaml_node *at,
		     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Reports every key of map that is not in `allowed` (NULL-terminated), with
 * a suggestion when one is close. `what` names the record ("question").
 */
void ck_load_check_keys(ck_loader *l, const char *path, const ck_yaml_node *map,
			const char *const *allowed);

/* Value getters. Each reports a wrong type or a missing required value. */
/* A string scalar (NULL when absent or empty). */
const char *ck_load_str(ck_loader *l, const char *path, const ck_yaml_node *map,
			const char *key, bool required);
/* A date in either notation (CK_NODAY when absent or wrong). */
ck_day ck_load_date(ck_loader *l, const char *path, const ck_yaml_node *map,
		    const char *key, bool required);
ck_day ck_load_date_node(ck_loader *l, const char *path,
			 const ck_yaml_node *n);
/* A whole number >= min (`dflt` when absent). */
long ck_load_int(ck_loader *l, const char *path, const ck_yaml_node *map,
		 const char *key, long dflt, long min);
/* A list of strings; *n its length (0 and NULL when absent). */
const char **ck_load_strlist(ck_loader *l, const char *path,
			     const ck_yaml_node *map, const char *key,
			     bool required, size_t *n);
/* A map (NULL when absent; reported when present but not a map). */
const ck_yaml_node *ck_load_map(ck_loader *l, const char *path,
				const ck_yaml_node *map, const char *key);
/* A sequence (NULL when absent; reported when present but not a list). */
const ck_yaml_node *ck_load_seq(ck_loader *l, const char *path,
				const ck_yaml_node *map, const char *key,
				bool required);
/* The key node of `key` in map (to point at a key, not its value), or NULL. */
const ck_yaml_node *ck_load_keynode(const ck_yaml_node *map, const char *key);
/* True when the scalar is empty or YAML null (`~`, `null`). */
bool ck_load_is_null(const ck_yaml_node *n);

/* Looks id up in a site list; reports "unknown <what> 'x' (did you mean)". */
const ck_named *ck_load_lookup(ck_loader *l, const char *path,
			       const ck_yaml_node *at, const ck_named *list,
			       size_t n, const char *what);

/*
 * Reports personal data found in the published parts of a front matter
 * (everything but the keys in `skip`, NULL-terminated) and in a Markdown
 * body.
 */
void ck_load_scan_tree(ck_loader *l, const char *path, const ck_yaml_node *root,
		       const char *const *skip);
void ck_load_scan_text(ck_loader *l, const char *path, const char *text,
		       size_t len, unsigned line, unsigned col);

/* The canonical digits of a number written in site.yaml; in the arena. */
const char *ck_load_number_digits(ck_loader *l, const char *s);
/* Markdown to the model's arena: its html. */
const char *ck_load_md_html(ck_loader *l, const char *md, size_t len);
/* Its html and plain text from one parse; either may be NULL. */
void ck_load_md(ck_loader *l, const char **html, const char **text,
                const char *md, size_t len);

/* The parts of the load (load_site.c, load_records.c, derive.c). */
int ck_load_site(ck_loader *l, const char *path);
/* site.yaml `coverage` (coverage.c). */
void ck_load_coverage(ck_loader *l, const char *path,
		      const ck_yaml_node *root);
int ck_load_pages(ck_loader *l);
int ck_load_dialogues(ck_loader *l);
int ck_load_statics(ck_loader *l);
void ck_model_derive(ck_model *m);

/*
 * Sorted names of the entries of dir (no dot files), in the arena; on a
 * failure to read it, reports `dir: cannot read` as an I/O failure and
 * returns no names. With regular, also which of them the folder lists as
 * regular files (readdir's d_type; false when it does not say): those
 * need no lstat(2) to be known as such (a province's hundred thousand).
 */
char **ck_load_list_dir(ck_loader *l, const char *dir, size_t *n,
                        bool **regular);

/*
 * What path is under the containment rule (fsguard.h) relative to root
 * (l->root unless given), root_name naming it in messages. A refused path
 * is reported into l (as an I/O failure too when it cannot be examined) and
 * comes back as CK_FS_REFUSED. *st (may be NULL) as in ck_fs_check.
 */
ck_fs_kind ck_load_kind(ck_loader *l, const char *path, const char *root,
                        const char *root_name, struct stat *st);

/*
 * Reports personal data in a file or folder name (it becomes a URL, an id,
 * a CSV cell and a commit line). Returns true when there was some.
 */
bool ck_load_scan_name(ck_loader *l, const char *path, const char *name);

/*
 * Ends the questions' load (load_records.c): what the threads made joins
 * the model's arena. Call once every dialogue is loaded, before the model
 * is used or freed.
 */
void ck_load_questions_done(ck_loader *l);

/* A question's channels (`channel`), NULL-terminated: q->channel is one. */
extern const char *const ck_load_channels[];

/*
 * A question of dl in the model's arena with only what its file name gives
 * (id, paths, dialogue) set; the record cache or the file fills the rest.
 */
ck_question *ck_load_question_new(ck_loader *l, ck_dialogue *dl,
                                  const char *path, const char *id);
/*
 * Reads the question file at path (its name checked), or NULL when it has
 * errors (reported). st (may be NULL): the file read, when the record cache
 * is on.
 */
ck_question *ck_load_question_file(ck_loader *l, ck_dialogue *dl,
                                   const char *path, const char *id,
                                   struct stat *st);

/*
 * The record cache (load_cache.c). ck_load_cache_start turns it on for
 * the run, after site.yaml loaded without errors (site_fp: ck_hash128 of
 * its bytes); off when there is no cache folder or CONGKHAI_NO_KEEP is set.
 * Without `write` the cache is only read: no file of it is written.
 */
typedef struct ck_load_cache_run ck_load_cache_run;
void ck_load_cache_start(ck_loader *l, const uint64_t site_fp[2], bool write);
/* How many question files the run read from the cache, of how many. */
void ck_load_cache_stats(const ck_loader *l, size_t *hits, size_t *files);

/* One dialogue's cache file, for its questions folder dir: NULL while the
 * cache is off. */
typedef struct ck_load_cache ck_load_cache;
ck_load_cache *ck_load_cache_open(ck_loader *l, const ck_dialogue *dl,
                                  const char *dir);
/*
 * The question of the file name of dl's questions folder (at path, id its
 * name without .md): from c when the file is unchanged, else read
 * (ck_load_question_file). Its problems go to l->d either way. *entry
 * (cleared) receives what the new cache file is to hold for it when it was
 * read; workers may call it at once on different files.
 */
ck_question *ck_load_cache_question(ck_loader *l, ck_load_cache *c,
                                    ck_buf *entry, ck_dialogue *dl,
                                    const char *path, const char *name,
                                    const char *id);
/*
 * Writes c's file anew when it changed (entries[i]: what
 * ck_load_cache_question gave for names[i], in name order) and frees c.
 * NULL is accepted.
 */
void ck_load_cache_close(ck_load_cache *c, char *const *names,
                         const ck_buf *entries, size_t n);

#endif
