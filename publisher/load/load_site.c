/* site.yaml: the unit, its lists, deadlines and calendar. */
#include <string.h>

#include "hash.h"
#include "load.h"
#include "text.h"

static const char *const site_keys[] = {
	"name",	       "unit_type",   "province", "base_url", "cname",
	"contact",     "hamlets",     "topics",	  "departments", "deadlines",
	"holidays",    "workdays",    "extra",	  "public_numbers",
	"source_url",  "source_kind", "coverage",	  NULL,
};
static const char *const contact_keys[] = {"address", "phone", "email", NULL};
static const char *const named_keys[] = {"id", "name", NULL};
static const char *const deadline_keys[] = {
	"notice_days", "answer_working_days", "conclusion_working_days",
	"stale_working_days", NULL};
static const char *const holiday_keys[] = {"date", "name", NULL};

/* A list of {id, name}; ids are slugs, unique within the list. */
static ck_named *
load_named_items(ck_loader *l, const char *path, const ck_yaml_node *root,
		 const char *key, bool required, size_t *n)
{
	const ck_yaml_node *seq = ck_load_seq(l, path, root, key, required);
	const ck_yaml_node *item, *idn;
	ck_named *v;
	const char *id, *name;
	size_t i, j, k = 0;

	*n = 0;
	if (seq == NULL)
		return NULL;
	v = ck_arena_alloc(l->a, (seq->n + 1) * sizeof(*v));
	for (i = 0; i < seq->n; i++) {
		item = seq->vals[i];
		if (item->kind != CK_YAML_MAP) {
			ck_load_error(l, path, item,
				      "items of '%s' must be {id, name}", key);
			continue;
		}
		ck_load_check_keys(l, path, item, named_keys);
		id = ck_load_str(l, path, item, "id", true);
		name = ck_load_str(l, path, item, "name", true);
		if (id == NULL || name == NULL)
			continue;
		idn = ck_yaml_get(item, "id");
		if (!ck_slug_valid(id, strlen(id))) {
			ck_load_error(l, path, idn,
				      "bad id '%s': use 1 to 64 of a-z, 0-9 and "
				      "'-', not starting or ending with '-'",
				      id);
			continue;
		}
		for (j = 0; j < k; j++)
			if (strcmp(v[j].id, id) == 0)
				break;
		if (j < k) {
			ck_load_error(l, path, idn, "duplicate id '%s' in '%s'",
				      id, key);
			continue;
		}
		v[k].id = id;
		v[k].name = name;
		k++;
	}
	if (required && k == 0 && seq->n == 0)
		ck_load_error(l, path, seq, "'%s' must not be empty", key);
	*n = k;
	return v;
}

/* The same, noting whether the list is unusable (see ck_loader). */
static ck_named *
load_named(ck_loader *l, const char *path, const ck_yaml_node *root,
	   const char *key, bool required, size_t *n, bool *failed)
{
	ck_named *v = load_named_items(l, path, root, key, required, n);

	/*
	 * Only a list that is missing or not a list at all silences the
	 * references to it: with one bad item, an unknown id is still worth
	 * telling.
	 */
	*failed = v == NULL && (required || ck_yaml_get(root, key) != NULL);
	return v;
}

static void
load_holidays(ck_loader *l, const char *path, const ck_yaml_node *root)
{
	const ck_yaml_node *seq = ck_load_seq(l, path, root, "holidays", false);
	const ck_yaml_node *item, *dn;
	const char *dots, *name;
	ck_day a, b, day;
	ck_date_status sa, sb;
	size_t i;

	for (i = 0; seq && i < seq->n; i++) {
		item = seq->vals[i];
		name = NULL;
		if (item->kind == CK_YAML_MAP) {
			ck_load_check_keys(l, path, item, holiday_keys);
			name = ck_load_str(l, path, item, "name", false);
			dn = ck_yaml_get(item, "date");
			if (dn == NULL || ck_load_is_null(dn)) {
				ck_load_error(l, path, item,
					      "missing required key 'date'");
				continue;
			}
			item = dn;
		}
		if (item->kind != CK_YAML_SCALAR) {
			ck_load_error(l, path, item,
				      "a holiday is a date, a range "
				      "DATE..DATE, or {date, name}");
			continue;
		}
		dots = strstr(item->str, "..");
		if (dots == NULL) {
			day = ck_load_date_node(l, path, item);
			if (day != CK_NODAY)
				ck_calendar_add_holiday(l->m->calendar, day,
							name);
			continue;
		}
		sa = ck_date_parse(&a, item->str, (size_t)(dots - item->str));
		sb = ck_date_parse(&b, dots + 2, strlen(dots + 2));
		if (sa == CK_DATE_IMPOSSIBLE || sb == CK_DATE_IMPOSSIBLE) {
			ck_load_error(l, path, item, "impossible date in '%s'",
				      item->str);
			continue;
		}
		if (sa != CK_DATE_OK || sb != CK_DATE_OK || b < a ||
		    b - a > 366) {
			ck_load_error(l, path, item,
				      "'%s' is not a range of days "
				      "(YYYY-MM-DD..YYYY-MM-DD)",
				      item->str);
			continue;
		}
		for (day = a; day <= b; day++)
			ck_calendar_add_holiday(l->m->calendar, day, name);
	}
}

static void
load_workdays(ck_loader *l, const char *path, const ck_yaml_node *root)
{
	const ck_yaml_node *seq = ck_load_seq(l, path, root, "workdays", false);
	ck_day day;
	size_t i;

	for (i = 0; seq && i < seq->n; i++) {
		day = ck_load_date_node(l, path, seq->vals[i]);
		if (day != CK_NODAY)
			ck_calendar_add_workday(l->m->calendar, day);
	}
}

/*
 * `public_numbers`: numbers that look like a citizen's phone or ID number
 * but are public (a bank account for donations, a business's tax code),
 * each written as staff like; matched digit for digit.
 */
static void
load_public_numbers(ck_loader *l, const char *path, const ck_yaml_node *root)
{
	const ck_yaml_node *seq =
	    ck_load_seq(l, path, root, "public_numbers", false);
	const char *digits;
	size_t i;

	if (seq == NULL)
		return;
	l->public_numbers =
	    ck_arena_alloc(l->a, (seq->n + 1) * sizeof(*l->public_numbers));
	for (i = 0; i < seq->n; i++) {
		const ck_yaml_node *v = seq->vals[i];

		if (v->kind != CK_YAML_SCALAR || ck_load_is_null(v)) {
			ck_load_error(l, path, v,
			              "items of 'public_numbers' must be text");
			continue;
		}
		digits = ck_load_number_digits(l, v->str);
		if (strlen(digits) < 9) {
			ck_load_error(l, path, v,
			              "'%s' in public_numbers has fewer than "
			              "9 digits: only numbers that look like a "
			              "phone or ID number need listing",
			              v->str);
			continue;
		}
		l->public_numbers[l->npublic_numbers++] = digits;
	}
}

static bool
base_url_ok(const char *u)
{
	size_t n = strlen(u);
	const char *host;

	if (strncmp(u, "https://", 8) == 0)
		host = u + 8;
	else if (strncmp(u, "http://", 7) == 0)
		host = u + 7;
	else
		return false;
	if (*host == '\0' || *host == '/' || u[n - 1] != '/')
		return false;
	for (; *host; host++)
		if (*host == ' ' || *host == '"' || *host == '<' ||
		    *host == '>' || *host == '\\')
			return false;
	return true;
}

/*
 * source_url: the records repository's web address, without a trailing
 * '/'; source_kind: how its forge names a file in a commit, given or
 * guessed from the host (GitHub, GitLab, else Gitea/Forgejo).
 */
static void
load_source(ck_loader *l, const char *path, const ck_yaml_node *root)
{
	ck_model *m = l->m;
	const char *u = ck_load_str(l, path, root, "source_url", false);
	const char *kind = ck_load_str(l, path, root, "source_kind", false);
	char *t;
	size_t n;

	if (kind && strcmp(kind, "github") && strcmp(kind, "gitlab") &&
	    strcmp(kind, "gitea")) {
		ck_load_error(l, path, ck_yaml_get(root, "source_kind"),
			      "unknown source_kind '%s' (github, gitlab or "
			      "gitea)",
			      kind);
		kind = NULL;
	}
	if (u == NULL)
		return;
	t = ck_arena_printf(l->a, "%s/", u);
	n = strlen(t);
	while (n > 1 && t[n - 2] == '/')
		t[--n] = '\0';
	if (!base_url_ok(t) || strchr(t, '?') || strchr(t, '#')) {
		ck_load_error(l, path, ck_yaml_get(root, "source_url"),
			      "source_url must be an http:// or https:// web "
			      "address such as https://github.com/owner/repo");
		return;
	}
	t[n - 1] = '\0';
	m->source_url = t;
	if (kind == NULL) {
		const char *host = strstr(t, "://") + 3;

		if (strncmp(host, "github.com/", 11) == 0)
			kind = "github";
		else if (strncmp(host, "gitlab", 6) == 0 ||
			 strstr(host, ".gitlab.") != NULL)
			kind = "gitlab";
		else
			kind = "gitea";
	}
	m->source_kind = kind;
}

int
ck_load_site(ck_loader *l, const char *path)
{
	static const char *const skip_scan[] = {"contact", "public_numbers",
	                                        NULL};
	ck_model *m = l->m;
	ck_source src;
	const ck_yaml_node *root, *contact, *dl, *n;
	const char *ut;
	int rc;

	m->site_path = ck_arena_strdup(l->a, path);
	if ((rc = ck_load_read(l, &src, path)) != 0)
		return rc;
	ck_hash128(l->site_fp, src.text, src.len);
	if (ck_load_yaml_file(l, &src) != 0)
		return -1;
	root = src.root;
	ck_load_check_keys(l, path, root, site_keys);

	m->name = ck_load_str(l, path, root, "name", true);
	ut = ck_load_str(l, path, root, "unit_type", false);
	m->unit_type = "xa";
	if (ut && strcmp(ut, "xa") && strcmp(ut, "phuong") &&
	    strcmp(ut, "dac-khu")) {
		ck_load_error(l, path, ck_yaml_get(root, "unit_type"),
			      "unknown unit_type '%s' (xa, phuong or dac-khu)",
			      ut);
	} else if (ut) {
		m->unit_type = ut;
	}
	m->province = ck_load_str(l, path, root, "province", false);
	m->base_url = ck_load_str(l, path, root, "base_url", true);
	if (m->base_url && !base_url_ok(m->base_url))
		ck_load_error(l, path, ck_yaml_get(root, "base_url"),
			      "base_url must be an absolute http:// or "
			      "https:// URL ending in '/'");
	m->cname = ck_load_str(l, path, root, "cname", false);
	if (m->cname && (strchr(m->cname, '/') || strchr(m->cname, ' ')))
		ck_load_error(l, path, ck_yaml_get(root, "cname"),
			      "cname must be a bare domain name such as "
			      "congkhai.example.vn");

	if ((contact = ck_load_map(l, path, root, "contact")) != NULL) {
		ck_load_check_keys(l, path, contact, contact_keys);
		m->contact_address =
		    ck_load_str(l, path, contact, "address", false);
		m->contact_phone = ck_load_str(l, path, contact, "phone", false);
		m->contact_email = ck_load_str(l, path, contact, "email", false);
	}
	m->hamlets = load_named(l, path, root, "hamlets", true, &m->nhamlets,
				&l->failed_hamlet);
	m->topics = load_named(l, path, root, "topics", true, &m->ntopics,
			       &l->failed_topic);
	m->departments = load_named(l, path, root, "departments", false,
				    &m->ndepartments, &l->failed_department);

	m->notice_days = 7;
	m->answer_working_days = 10;
	m->conclusion_working_days = 10;
	m->stale_working_days = 30;
	if ((dl = ck_load_map(l, path, root, "deadlines")) != NULL) {
		ck_load_check_keys(l, path, dl, deadline_keys);
		m->notice_days = (int)ck_load_int(l, path, dl, "notice_days",
						  7, 0);
		m->answer_working_days = (int)ck_load_int(
		    l, path, dl, "answer_working_days", 10, 0);
		m->conclusion_working_days = (int)ck_load_int(
		    l, path, dl, "conclusion_working_days", 10, 0);
		m->stale_working_days = (int)ck_load_int(
		    l, path, dl, "stale_working_days", 30, 1);
	}
	load_holidays(l, path, root);
	m->holidays_at = ck_load_keynode(root, "holidays");
	load_workdays(l, path, root);
	if ((n = ck_yaml_get(root, "extra")) != NULL)
		m->extra = n;
	load_public_numbers(l, path, root);
	load_source(l, path, root);
	ck_load_coverage(l, path, root);
	ck_load_scan_tree(l, path, root, skip_scan);
	return 0;
}
