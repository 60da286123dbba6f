/*
 * congkhai new: a new record (dialogue, question or conclusion) written
 * from the theme's archetype (themes/<t>/archetypes/<kind>.md, a Mustache
 * template, as Hugo's archetypes), valid as written: every required key
 * filled in, the optional ones in comments. It never overwrites a file.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "cmd.h"
#include "fileio.h"
#include "frontmatter.h"
#include "fsguard.h"
#include "model.h"
#include "mustache.h"
#include "text.h"

#ifndef CK_INSTALLED_THEME
#define CK_INSTALLED_THEME "/usr/local/share/congkhai/themes/default"
#endif

static const char *const kinds[] = {"dialogue", "question", "conclusion"};
static const char *const channels[] = {"registered", "at_meeting", "written",
                                       "mttq", "other"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void
help(FILE *f)
{
	fprintf(
	    f, "usage: congkhai new dialogue SLUG [-C DIR] [--theme DIR] "
	       "[--today DATE]\n"
	       "       congkhai new question DIALOGUE [--hamlet ID] "
	       "[--topic ID]\n"
	       "                    [--channel C] [-C DIR] [--theme DIR] "
	       "[--today DATE]\n"
	       "       congkhai new conclusion DIALOGUE [-C DIR] [--theme DIR] "
	       "[--today DATE]\n\n"
	       "Writes a new record from the theme's archetypes/<kind>.md and "
	       "prints its\n"
	       "path: dialogues/SLUG/index.md, the next free "
	       "dialogues/DIALOGUE/questions/NNN.md,\n"
	       "or dialogues/DIALOGUE/conclusion.md. An existing file is "
	       "never overwritten.\n\n"
	       "  -C DIR        the content folder (default: content)\n"
	       "  --theme DIR   the theme whose archetypes to use (default: "
	       "themes/default)\n"
	       "  --today DATE  the date to write (default: today in "
	       "UTC+7)\n"
	       "  --hamlet ID   the question's hamlet (default: the first in "
	       "site.yaml)\n"
	       "  --topic ID    the question's topic (default: the first in "
	       "site.yaml)\n"
	       "  --channel C   registered (default), at_meeting, written, "
	       "mttq or other\n");
}

/*
 * The id in list named by the option opt, or NULL after a usage error
 * with the closest id as a suggestion.
 */
static const ck_named *
find_named(const char *opt, const char *what, const char *id,
           const ck_named *list, size_t n, const char *site_path)
{
	const char **ids;
	const char *hint;
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i].id, id) == 0)
			return &list[i];
	if ((ids = calloc(n + 1, sizeof(*ids))) == NULL)
		err(3, "calloc");
	for (i = 0; i < n; i++)
		ids[i] = list[i].id;
	hint = ck_suggest(id, ids, n);
	if (hint != NULL)
		ck_cli_usage_error("new",
		                   "%s: unknown %s '%s' (did you mean '%s'?); "
		                   "the %ss are listed in %s",
		                   opt, what, id, hint, what, site_path);
	else
		ck_cli_usage_error(
		    "new", "%s: unknown %s '%s'; the %ss are listed in %s", opt,
		    what, id, what, site_path);
	free(ids);
	return NULL;
}

/* Names of the entries of dir (no dot files) into the arena; 0 or -1. */
static int
list_dir(char ***out, size_t *n, ck_arena *a, const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	size_t cap = 16;
	char **v;

	*n = 0;
	*out = NULL;
	if (dp == NULL)
		return errno == ENOENT ? 0 : -1;
	v = ck_arena_alloc(a, cap * sizeof(*v));
	while ((errno = 0, e = readdir(dp)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (*n + 1 == cap) {
			char **nv = ck_arena_alloc(a, 2 * cap * sizeof(*nv));

			memcpy(nv, v, *n * sizeof(*v));
			v = nv;
			cap *= 2;
		}
		v[(*n)++] = ck_arena_strdup(a, e->d_name);
	}
	if (errno != 0) {
		closedir(dp);
		return -1;
	}
	closedir(dp);
	v[*n] = NULL;
	*out = v;
	return 0;
}

/*
 * The dialogue named on the command line must exist (its index.md).
 * Returns 0, or the exit status after a message.
 */
static int
check_dialogue(ck_model *m, const char *slug)
{
	const char *dir, *index, *hint;
	char **names;
	struct stat st;
	size_t n;

	if (!ck_slug_valid(slug, strlen(slug)))
		return ck_cli_usage_error(
		    "new", "'%s' is not a dialogue's folder name", slug);
	index = ck_arena_printf(m->arena, "%s/dialogues/%s/index.md",
	                        m->content_dir, slug);
	if (stat(index, &st) == 0 && S_ISREG(st.st_mode))
		return 0;
	dir = ck_arena_printf(m->arena, "%s/dialogues", m->content_dir);
	if (list_dir(&names, &n, m->arena, dir) != 0) {
		warn("%s", dir);
		return CK_EXIT_IO;
	}
	hint = ck_suggest(slug, (const char *const *)names, n);
	if (hint != NULL)
		return ck_cli_usage_error(
		    "new",
		    "no dialogue '%s' in %s (did you mean "
		    "'%s'?)",
		    slug, dir, hint);
	return ck_cli_usage_error("new", "no dialogue '%s' in %s", slug, dir);
}

/*
 * The date in the dialogue's index.md, or CK_NODAY when it has none (or
 * it cannot be read: check will say why, and new needs it only to date a
 * conclusion no earlier than the dialogue).
 */
static ck_day
dialogue_date(ck_model *m, const char *slug)
{
	const char *index = ck_arena_printf(
	    m->arena, "%s/dialogues/%s/index.md", m->content_dir, slug);
	ck_buf text = CK_BUF_INIT;
	ck_diags *quiet = ck_diags_new();
	ck_yaml_node *root = NULL;
	const ck_yaml_node *date;
	ck_frontmatter fm;
	ck_day day = CK_NODAY;

	if (ck_fd_slurp(&text, ck_fs_open_regular(index)) == 0 &&
	    ck_frontmatter_split(&fm, text.ptr, text.size) == 0 &&
	    ck_yaml_parse(&root, m->arena, index, fm.yaml, fm.yaml_len,
	                  fm.yaml_line, quiet) == 0 &&
	    (date = ck_yaml_get(root, "date")) != NULL &&
	    date->kind == CK_YAML_SCALAR &&
	    ck_date_parse(&day, date->str, date->len) != CK_DATE_OK)
		day = CK_NODAY;
	ck_diags_free(quiet);
	ck_buf_free(&text);
	return day;
}

/*
 * The next free question id of a dialogue: one more than the greatest
 * all-digit id, as wide as the widest of them and at least 3 digits
 * ("001"). Returns 0 or -1 (errno set).
 */
static int
next_question_id(char **out, ck_model *m, const char *dialogue)
{
	const char *dir = ck_arena_printf(m->arena, "%s/dialogues/%s/questions",
	                                  m->content_dir, dialogue);
	unsigned long long max = 0, v;
	int width = 3;
	char **names;
	size_t i, n, len;

	if (list_dir(&names, &n, m->arena, dir) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		len = strlen(names[i]);
		if (len < 4 || len > 3 + 18 ||
		    strcmp(names[i] + len - 3, ".md") != 0 ||
		    strspn(names[i], "0123456789") != len - 3)
			continue;
		v = strtoull(names[i], NULL, 10);
		if (v > max)
			max = v;
		if ((int)(len - 3) > width)
			width = (int)(len - 3);
	}
	*out = ck_arena_printf(m->arena, "%0*llu", width, max + 1);
	return 0;
}

/*
 * The archetype for kind: the theme's, else the default theme's (a theme
 * need not have archetypes). Sets path to it and *theme to the theme
 * folder it is in; 0, or -1 when neither has one.
 */
static int
find_archetype(ck_buf *path, const char **theme, const char *theme_dir,
               const char *kind)
{
	const char *dirs[] = {theme_dir, CK_DEFAULT_THEME, CK_INSTALLED_THEME};
	struct stat st;
	size_t i;

	for (i = 0; i < NELEM(dirs); i++) {
		ck_buf_clear(path);
		ck_buf_printf(path, "%s/archetypes/%s.md", dirs[i], kind);
		if (stat(path->ptr, &st) == 0 && S_ISREG(st.st_mode)) {
			*theme = dirs[i];
			return 0;
		}
	}
	ck_buf_clear(path);
	ck_buf_printf(path, "%s/archetypes/%s.md", theme_dir, kind);
	return -1;
}

/*
 * Reads the archetype at path, which must lie inside its theme folder
 * (a link out of it is refused, as for templates).
 */
static int
read_archetype(ck_buf *src, const char *path, const char *theme)
{
	char *root = NULL, *real = NULL;
	int rc = -1;

	if ((root = ck_fs_root(theme)) == NULL ||
	    (real = realpath(path, NULL)) == NULL) {
		warn("%s", path);
		goto done;
	}
	if (!ck_fs_inside(real, root)) {
		warnx("%s: refused: it leads outside the theme folder", path);
		goto done;
	}
	if (ck_fd_slurp(src, ck_fs_open_regular(path)) != 0) {
		warn("%s", path);
		goto done;
	}
	rc = 0;
done:
	free(root);
	free(real);
	return rc;
}

/*
 * s on one line (control characters as spaces), for a YAML comment that
 * a name with a line break must not end.
 */
static const char *
one_line(ck_arena *a, const char *s)
{
	char *copy = ck_arena_strdup(a, s ? s : ""), *p;

	for (p = copy; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return copy;
}

/* "a, b, c": the ids of a list, for an archetype's comments. */
static const char *
joined_ids(ck_arena *a, const ck_named *v, size_t n)
{
	ck_buf b = CK_BUF_INIT;
	const char *s;
	size_t i;

	for (i = 0; i < n; i++)
		ck_buf_printf(&b, "%s%s", i ? ", " : "", v[i].id);
	s = ck_arena_strdup(a, b.ptr);
	ck_buf_free(&b);
	return s;
}

static ck_value *
named_list(ck_arena *a, const ck_named *v, size_t n)
{
	ck_value *list = ck_value_list(a), *item;
	size_t i;

	for (i = 0; i < n; i++) {
		item = ck_value_map(a);
		ck_value_set_str(item, "id", v[i].id);
		ck_value_set_str(item, "name", v[i].name);
		ck_value_push(list, item);
	}
	return list;
}

int
cmd_new(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"theme", required_argument, NULL, 't'},
	    {"today", required_argument, NULL, 'd'},
	    {"hamlet", required_argument, NULL, 'H'},
	    {"topic", required_argument, NULL, 'T'},
	    {"channel", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	ck_build_opts opts = {.content_dir = "content",
	                      .theme_dir = CK_DEFAULT_THEME,
	                      .today = CK_NODAY,
	                      .render = false};
	const char *hamlet_id = NULL, *topic_id = NULL, *channel = NULL;
	const char *kind, *name, *rel, *shown, *theme, *id = NULL;
	const ck_named *hamlet = NULL, *topic = NULL;
	ck_buf archetype = CK_BUF_INIT, src = CK_BUF_INIT, text = CK_BUF_INIT;
	ck_buf failed = CK_BUF_INIT;
	ck_tmpl_set *tmpl = NULL;
	ck_diags *d = NULL;
	ck_model *m = NULL;
	ck_value *ctx;
	struct stat st;
	char iso[11], *root = NULL, *real = NULL;
	size_t i, start, end;
	ck_day today;
	int c, rc, y, mo, dd;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":C:h", longopts, NULL)) != -1) {
		if ((rc = ck_cli_build_option(&opts, c, optarg)) != 0) {
			if (rc < 0)
				return CK_EXIT_USAGE;
		} else if (c == 'H') {
			hamlet_id = optarg;
		} else if (c == 'T') {
			topic_id = optarg;
		} else if (c == 'c') {
			channel = optarg;
		} else if (c == 'h') {
			help(stdout);
			return CK_EXIT_OK;
		} else {
			return ck_cli_bad_option("new", c, argv);
		}
	}
	if (argc - optind < 2)
		return ck_cli_usage_error("new",
		                          "say what to make: dialogue SLUG, "
		                          "question DIALOGUE or conclusion "
		                          "DIALOGUE");
	if (argc - optind > 2)
		return ck_cli_usage_error("new", "unexpected argument '%s'",
		                          argv[optind + 2]);
	kind = argv[optind];
	name = argv[optind + 1];
	for (i = 0; i < NELEM(kinds); i++)
		if (strcmp(kind, kinds[i]) == 0)
			break;
	if (i == NELEM(kinds))
		return ck_cli_usage_error("new",
		                          "'%s' is not a kind of record "
		                          "(dialogue, question or conclusion)",
		                          kind);
	if (strcmp(kind, "question") != 0 && (hamlet_id || topic_id || channel))
		return ck_cli_usage_error("new",
		                          "--hamlet, --topic and --channel are "
		                          "for a question");
	if (channel != NULL) {
		for (i = 0; i < NELEM(channels); i++)
			if (strcmp(channel, channels[i]) == 0)
				break;
		if (i == NELEM(channels)) {
			const char *hint =
			    ck_suggest(channel, channels, NELEM(channels));

			return ck_cli_usage_error(
			    "new",
			    "--channel: unknown channel '%s'%s%s%s "
			    "(registered, "
			    "at_meeting, written, mttq or other)",
			    channel, hint ? " (did you mean '" : "",
			    hint ? hint : "", hint ? "'?)" : "");
		}
	}
	if (strcmp(kind, "dialogue") == 0) {
		if (!ck_slug_valid(name, strlen(name)))
			return ck_cli_usage_error(
			    "new",
			    "bad dialogue name '%s': use 1 to 64 of a-z, 0-9 "
			    "and '-', not starting or ending with '-' (it "
			    "becomes a web address)",
			    name);
		/* The name becomes a URL and a commit line: never a phone. */
		if (ck_pd_find(name, strlen(name), 0, &start, &end) !=
		    CK_PD_NONE)
			return ck_cli_usage_error(
			    "new", "the dialogue name '%s' holds a %s", name,
			    ck_pd_name(ck_pd_find(name, strlen(name), 0, &start,
			                          &end)));
	}
	if (ck_cli_check_build_paths("new", &opts) != 0)
		return CK_EXIT_USAGE;
	if (stat(opts.content_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "congkhai: content folder '%s' not found\n",
		        opts.content_dir);
		return CK_EXIT_USAGE;
	}
	if (strcmp(opts.theme_dir, CK_DEFAULT_THEME) == 0 &&
	    stat(opts.theme_dir, &st) != 0)
		opts.theme_dir = CK_INSTALLED_THEME;

	/* The lists to check against, and the calendar: site.yaml only. */
	d = ck_diags_new();
	rc = ck_model_load_site(&m, opts.content_dir, d);
	ck_diags_print(d, stderr);
	if (rc != 0) {
		rc = rc == -1   ? CK_EXIT_CONTENT
		     : rc == -2 ? CK_EXIT_USAGE
		                : CK_EXIT_IO;
		goto done;
	}
	today = opts.today != CK_NODAY ? opts.today : ck_day_today();

	if (strcmp(kind, "dialogue") == 0) {
		rel = ck_arena_printf(m->arena, "dialogues/%s/index.md", name);
	} else {
		if ((rc = check_dialogue(m, name)) != 0)
			goto done;
		if (strcmp(kind, "conclusion") == 0) {
			rel = ck_arena_printf(
			    m->arena, "dialogues/%s/conclusion.md", name);
		} else {
			char *qid;

			hamlet = hamlet_id
			             ? find_named("--hamlet", "hamlet",
			                          hamlet_id, m->hamlets,
			                          m->nhamlets, m->site_path)
			             : m->hamlets;
			topic = topic_id ? find_named("--topic", "topic",
			                              topic_id, m->topics,
			                              m->ntopics, m->site_path)
			                 : m->topics;
			if (hamlet == NULL || topic == NULL) {
				rc = CK_EXIT_USAGE;
				goto done;
			}
			if (next_question_id(&qid, m, name) != 0) {
				warn("%s/dialogues/%s/questions",
				     m->content_dir, name);
				rc = CK_EXIT_IO;
				goto done;
			}
			id = qid;
			rel = ck_arena_printf(
			    m->arena, "dialogues/%s/questions/%s.md", name, id);
		}
	}
	shown = ck_arena_printf(m->arena, "%s/%s", m->content_dir, rel);
	if (lstat(shown, &st) == 0) {
		fprintf(stderr,
		        "%s:1:1: error: already exists: congkhai new never "
		        "overwrites a record (edit it, or choose another "
		        "name)\n",
		        shown);
		rc = CK_EXIT_CONTENT;
		goto done;
	}

	/* The archetype's context: what the record needs, and the lists. */
	ctx = ck_value_map(m->arena);
	ck_day_iso(iso, today);
	ck_value_set_str(ctx, "today", iso);
	ck_buf_clear(&text);
	ck_day_put_vn(&text, today);
	ck_value_set_str(ctx, "today_vn", text.ptr);
	/* A conclusion is issued on the dialogue's day at the earliest. */
	if (strcmp(kind, "conclusion") == 0) {
		ck_day held = dialogue_date(m, name);

		ck_day_iso(iso,
		           held != CK_NODAY && held > today ? held : today);
		ck_value_set_str(ctx, "issued", iso);
		ck_day_iso(iso, today);
	}
	ck_day_to_ymd(today, &y, &mo, &dd);
	ck_value_set_int(ctx, "year", y);
	ck_value_set_str(ctx, "site_name", one_line(m->arena, m->name));
	ck_value_set_str(ctx, "kind", kind);
	if (strcmp(kind, "dialogue") == 0)
		ck_value_set_str(ctx, "slug", name);
	else
		ck_value_set_str(ctx, "dialogue", name);
	if (id != NULL)
		ck_value_set_str(ctx, "id", id);
	if (hamlet != NULL) {
		ck_value_set_str(ctx, "hamlet", hamlet->id);
		ck_value_set_str(ctx, "hamlet_name",
		                 one_line(m->arena, hamlet->name));
		ck_value_set_str(ctx, "topic", topic->id);
		ck_value_set_str(ctx, "topic_name",
		                 one_line(m->arena, topic->name));
		ck_value_set_str(ctx, "channel",
		                 channel ? channel : "registered");
	}
	ck_value_set(ctx, "hamlets",
	             named_list(m->arena, m->hamlets, m->nhamlets));
	ck_value_set(ctx, "topics",
	             named_list(m->arena, m->topics, m->ntopics));
	ck_value_set(ctx, "departments",
	             named_list(m->arena, m->departments, m->ndepartments));
	ck_value_set_str(ctx, "hamlet_ids",
	                 joined_ids(m->arena, m->hamlets, m->nhamlets));
	ck_value_set_str(ctx, "topic_ids",
	                 joined_ids(m->arena, m->topics, m->ntopics));
	ck_value_set_str(ctx, "department_ids",
	                 joined_ids(m->arena, m->departments, m->ndepartments));
	ck_value_set_str(ctx, "first_hamlet",
	                 m->nhamlets ? m->hamlets[0].id : "");
	ck_value_set_str(ctx, "first_topic", m->ntopics ? m->topics[0].id : "");
	ck_value_set_str(ctx, "first_department",
	                 m->ndepartments ? m->departments[0].id : "");

	if (find_archetype(&archetype, &theme, opts.theme_dir, kind) != 0) {
		fprintf(stderr,
		        "congkhai new: no archetype for a %s: %s is missing\n",
		        kind, archetype.ptr);
		rc = CK_EXIT_USAGE;
		goto done;
	}
	if (read_archetype(&src, archetype.ptr, theme) != 0) {
		rc = CK_EXIT_IO;
		goto done;
	}
	/* Only the archetype's own errors from here on. */
	ck_diags_free(d);
	d = ck_diags_new();
	tmpl = ck_tmpl_set_new();
	ck_buf_clear(&text);
	if (ck_tmpl_add(tmpl, kind, src.ptr, src.size, archetype.ptr, d) != 0 ||
	    ck_tmpl_render(&text, tmpl, kind, ctx) != 0) {
		ck_diags_print(d, stderr);
		rc = CK_EXIT_CONTENT;
		goto done;
	}

	/* Written only inside the content folder, never over a file. */
	if (ck_file_make_parents(m->content_dir, rel, &failed) != 0) {
		warn("%s", failed.ptr);
		rc = CK_EXIT_IO;
		goto done;
	}
	ck_buf_clear(&src);
	ck_buf_put(&src, shown, strrchr(shown, '/') - shown);
	if ((root = ck_fs_root(m->content_dir)) == NULL ||
	    (real = realpath(src.ptr, NULL)) == NULL) {
		warn("%s", src.ptr);
		rc = CK_EXIT_IO;
		goto done;
	}
	if (!ck_fs_inside(real, root)) {
		fprintf(stderr,
		        "%s:1:1: error: refused: the folder leads outside the "
		        "content folder\n",
		        shown);
		rc = CK_EXIT_CONTENT;
		goto done;
	}
	if (ck_file_write(shown, text.ptr, text.size, true) != 0) {
		rc = CK_EXIT_IO;
		goto done;
	}
	printf("%s\n", shown);
	rc = fflush(stdout) == 0 ? CK_EXIT_OK : CK_EXIT_IO;
done:
	free(root);
	free(real);
	ck_buf_free(&archetype);
	ck_buf_free(&src);
	ck_buf_free(&text);
	ck_buf_free(&failed);
	ck_tmpl_set_free(tmpl);
	ck_model_free(m);
	ck_diags_free(d);
	return rc;
}
