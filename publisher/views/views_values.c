/*
 * The values every view is rendered from, built once: for each question
 * the open-data record (json) and, sharing the very same entries, the
 * template view (view) that adds labels, date parts and links; for each
 * dialogue the same pair. Days, labels and {id, name} pairs are made once
 * and shared, so a province-sized model costs a few maps per question.
 * Strings are the model's own, borrowed (ck_value_str_ref), not copied:
 * the model must outlive the views.
 * (The list pages' groups: views_groups.c.)
 */
#include <stdint.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "views_int.h"

ck_value *
vw_yaml_value(ck_arena *a, const ck_yaml_node *n)
{
	ck_value *v;
	size_t i;

	if (n == NULL)
		return ck_value_null(a);
	switch (n->kind) {
	case CK_YAML_SCALAR:
		if (n->plain) {
			static const char *const nulls[] = {"~", "null", "Null",
			                                    "NULL", ""};
			static const char *const trues[] = {"true", "True",
			                                    "TRUE"};
			static const char *const falses[] = {"false", "False",
			                                     "FALSE"};
			for (i = 0; i < sizeof(nulls) / sizeof(*nulls); i++)
				if (strcmp(n->str, nulls[i]) == 0)
					return ck_value_null(a);
			for (i = 0; i < 3; i++) {
				if (strcmp(n->str, trues[i]) == 0)
					return ck_value_bool(a, true);
				if (strcmp(n->str, falses[i]) == 0)
					return ck_value_bool(a, false);
			}
		}
		return ck_value_strn(a, n->str, n->len);
	case CK_YAML_SEQ:
		v = ck_value_list(a);
		for (i = 0; i < n->n; i++)
			ck_value_push(v, vw_yaml_value(a, n->vals[i]));
		return v;
	case CK_YAML_MAP:
		v = ck_value_map(a);
		/* The YAML keys are distinct already: no search per key. */
		for (i = 0; i < n->n; i++)
			ck_value_append(v, n->keys[i]->str,
			                vw_yaml_value(a, n->vals[i]));
		return v;
	}
	return ck_value_null(a);
}

ck_value *
vw_label(ck_views *v, const char *category, const char *code)
{
	ck_value *cat = ck_value_get(v->labels, category);
	ck_value *s = ck_value_get(cat, code ? code : "");

	if (ck_value_kind(s) == CK_VSTRING)
		return s;
	return ck_value_str_ref(v->a, code);
}

/* Days. */

static size_t
day_hash(ck_day day)
{
	return (size_t)((uint32_t)day * 2654435761u);
}

/* Fills slot with day's two shapes, made in a. */
static void
make_day(ck_views *v, ck_arena *a, vw_day_slot *slot, ck_day day)
{
	char iso[11];
	int y, mo, d, wd;
	ck_value *map = ck_value_map(a);
	ck_value *wds = ck_value_get(v->labels, "weekdays");

	ck_day_iso(iso, day);
	ck_day_to_ymd(day, &y, &mo, &d);
	wd = ck_day_weekday(day);
	slot->day = day;
	slot->iso = ck_value_str(a, iso);
	ck_value_set(map, "iso", slot->iso);
	ck_value_set_int(map, "day", d);
	ck_value_set_int(map, "month", mo);
	ck_value_set_int(map, "year", y);
	ck_value_set(map, "dd", ck_value_str(a, iso + 8));
	ck_value_set(map, "mm", ck_value_strn(a, iso + 5, 2));
	ck_value_set(map, "vn",
	             ck_value_str_ref(
	                 a, ck_arena_printf(a, "%.2s/%.2s/%.4s",
	                                       iso + 8, iso + 5, iso)));
	ck_value_set_int(map, "weekday", wd);
	ck_value_set(map, "weekday_text",
	             ck_value_at(wds, (size_t)wd)
	                 ? ck_value_at(wds, (size_t)wd)
	                 : v->vnull);
	/* Against as_of, not today: a page must not change by
	 * itself overnight. */
	ck_value_set_bool(map, "is_past", day < v->as_of);
	ck_value_set_bool(map, "is_today", day == v->as_of);
	slot->map = map;
}

static vw_day_slot *
day_slot(ck_views *v, ck_day day)
{
	size_t i, mask;
	vw_day_slot *slot;

	if (v->frozen) {
		/* Read only (workers share the table); else made apart. */
		if (v->days_cap > 0) {
			mask = v->days_cap - 1;
			for (i = day_hash(day) & mask; v->days[i].day != CK_NODAY;
			     i = (i + 1) & mask)
				if (v->days[i].day == day)
					return &v->days[i];
		}
		slot = ck_arena_alloc(v->a, sizeof(*slot));
		make_day(v, v->a, slot, day);
		return slot;
	}
	if (v->days_len * 2 >= v->days_cap) {
		size_t ncap = v->days_cap ? v->days_cap * 2 : 256;
		vw_day_slot *nd =
		    ck_arena_alloc(v->build_a, ncap * sizeof(*nd));

		for (i = 0; i < ncap; i++)
			nd[i].day = CK_NODAY;
		for (i = 0; i < v->days_cap; i++) {
			size_t j;

			if (v->days[i].day == CK_NODAY)
				continue;
			j = day_hash(v->days[i].day) & (ncap - 1);
			while (nd[j].day != CK_NODAY)
				j = (j + 1) & (ncap - 1);
			nd[j] = v->days[i];
		}
		v->days = nd;
		v->days_cap = ncap;
	}
	mask = v->days_cap - 1;
	i = day_hash(day) & mask;
	while (v->days[i].day != CK_NODAY && v->days[i].day != day)
		i = (i + 1) & mask;
	if (v->days[i].day == CK_NODAY) {
		make_day(v, v->build_a, &v->days[i], day);
		v->days_len++;
	}
	return &v->days[i];
}

ck_value *
vw_day_iso(ck_views *v, ck_day day)
{
	return day == CK_NODAY ? v->vnull : day_slot(v, day)->iso;
}

ck_value *
vw_day_map(ck_views *v, ck_day day)
{
	return day == CK_NODAY ? v->vnull : day_slot(v, day)->map;
}

/* Small helpers. */

static ck_value *
str_or_null(ck_views *v, const char *s)
{
	return s ? ck_value_str_ref(v->a, s) : v->vnull;
}

/* Sets key in both the record and its view: one value, two places. */
static void
put2(ck_value *json, ck_value *view, const char *key, ck_value *val)
{
	ck_value_set(json, key, val);
	ck_value_set(view, key, val);
}

static ck_value *
str_list(ck_views *v, const char **s, size_t n)
{
	ck_value *l = ck_value_list(v->a);
	size_t i;

	for (i = 0; i < n; i++)
		ck_value_push(l, ck_value_str_ref(v->a, s[i]));
	return l;
}

/* A list, and has_<key>: an empty list's wrapper needs a test. */
static void
set_list(ck_views *v, ck_value *map, const char *key, ck_value *list)
{
	ck_value_set(map, key, list);
	ck_value_set(map, ck_arena_printf(v->a, "has_%s", key),
	             vw_bool(v, ck_value_len(list) > 0));
}

static ck_value **
named_values(ck_views *v, const ck_named *list, size_t n)
{
	ck_value **out = ck_arena_alloc(v->a, (n + 1) * sizeof(*out));
	size_t i;

	for (i = 0; i < n; i++) {
		out[i] = ck_value_map(v->a);
		ck_value_set_str(out[i], "id", list[i].id);
		ck_value_set_str(out[i], "name", list[i].name);
	}
	return out;
}

/* The shared {id, name} of an entry of a site list, or a fresh one. */
static ck_value *
named_of(ck_views *v, ck_value **vals, const ck_named *list, size_t n,
         const ck_named *x)
{
	size_t i;
	ck_value *map;

	if (x == NULL)
		return v->vnull;
	if (n > 0 && (uintptr_t)x >= (uintptr_t)list &&
	    (uintptr_t)x < (uintptr_t)(list + n))
		return vals[x - list];
	for (i = 0; i < n; i++)
		if (strcmp(list[i].id, x->id) == 0)
			return vals[i];
	map = ck_value_map(v->a);
	ck_value_set_str(map, "id", x->id);
	ck_value_set_str(map, "name", x->name);
	return map;
}

/*
 * A one-line excerpt of plain text: blanks collapsed, cut at a word
 * boundary (never inside a UTF-8 sequence) near max bytes, "…" appended
 * when cut.
 */
ck_value *
vw_excerpt(ck_arena *a, const char *s, size_t max)
{
	/*
	 * Written straight into the arena: at most max bytes, the rest of a
	 * character begun before max (3 more) and the ellipsis (3).
	 */
	char *out = ck_arena_alloc(a, max + 8);
	size_t n = 0, i, lastsp = 0;
	bool space = false, cut = false;

	for (i = 0; s && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = n > 0;
			continue;
		}
		if (space) {
			if (n + 1 > max) {
				lastsp = n; /* the last word is whole */
				cut = true;
				break;
			}
			lastsp = n;
			out[n++] = ' ';
			space = false;
		}
		/* (Text is checked UTF-8; the bound holds even if not.) */
		if (n >= max && ((c & 0xC0) != 0x80 || n >= max + 3)) {
			cut = true;
			break;
		}
		out[n++] = (char)c;
	}
	if (cut) {
		if (lastsp > max / 2) {
			n = lastsp;
		} else {
			/* One long word: cut at a character boundary. */
			while (n > 0 && ((unsigned char)out[n] & 0xC0) == 0x80)
				n--;
		}
		while (n > 0 && strchr(" ,;:.-", out[n - 1]))
			n--;
		memcpy(out + n, "…", 3);
		n += 3;
	}
	out[n] = '\0';
	return ck_value_str_ref(a, out);
}

const char *
vw_excerpt_text(ck_arena *a, const char *s, size_t max)
{
	size_t i;

	if (s == NULL)
		return "";
	for (i = 0; s[i]; i++) {
		if (i >= max || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ||
		    (s[i] == ' ' && (i == 0 || s[i + 1] == ' ' || !s[i + 1])))
			return ck_value_get_str(vw_excerpt(a, s, max), NULL);
	}
	return s;
}

/* Site. */

/* "0210 3812 345" -> "02103812345"; null for no number. */
static ck_value *
tel_digits(ck_views *v, const char *phone)
{
	ck_buf b = CK_BUF_INIT;
	ck_value *r;

	if (phone == NULL)
		return v->vnull;
	for (; *phone; phone++)
		if ((*phone >= '0' && *phone <= '9') ||
		    (*phone == '+' && b.size == 0))
			ck_buf_putc(&b, *phone);
	r = ck_value_strn(v->a, b.ptr, b.size);
	ck_buf_free(&b);
	return r;
}

/* s with its spaces made no-break (U+00A0); null for none. */
static ck_value *
nbsp_text(ck_views *v, const char *s)
{
	ck_buf b = CK_BUF_INIT;
	ck_value *r;

	if (s == NULL)
		return v->vnull;
	for (; *s; s++)
		if (*s == ' ')
			ck_buf_puts(&b, "\xc2\xa0");
		else
			ck_buf_putc(&b, *s);
	r = ck_value_strn(v->a, b.ptr, b.size);
	ck_buf_free(&b);
	return r;
}

static void
build_site(ck_views *v)
{
	const ck_model *m = v->m;
	ck_value *j = ck_value_map(v->a), *w = ck_value_map(v->a);
	ck_value *l, *contact;
	size_t i;

	v->hamlet_v = named_values(v, m->hamlets, m->nhamlets);
	v->topic_v = named_values(v, m->topics, m->ntopics);
	v->dept_v = named_values(v, m->departments, m->ndepartments);

	put2(j, w, "name", ck_value_str_ref(v->a, m->name));
	put2(j, w, "unit_type", ck_value_str_ref(v->a, m->unit_type));
	put2(j, w, "province", str_or_null(v, m->province));
	put2(j, w, "base_url", ck_value_str_ref(v->a, m->base_url));
	if (m->contact_address || m->contact_phone || m->contact_email) {
		ck_value *cj = ck_value_map(v->a);

		ck_value_set(cj, "address", str_or_null(v, m->contact_address));
		ck_value_set(cj, "phone", str_or_null(v, m->contact_phone));
		ck_value_set(cj, "email", str_or_null(v, m->contact_email));
		ck_value_set(j, "contact", cj);
		/* The page's copy adds the number as tel: links want it. */
		contact = ck_value_map(v->a);
		for (i = 0; i < ck_value_len(cj); i++)
			ck_value_set(contact, ck_value_key_at(cj, i),
			             ck_value_val_at(cj, i));
		ck_value_set(contact, "phone_tel",
		             tel_digits(v, m->contact_phone));
		/* Shown with no-break spaces: a number is never split. */
		ck_value_set(contact, "phone_nb",
		             nbsp_text(v, m->contact_phone));
		ck_value_set(w, "contact", contact);
	} else {
		put2(j, w, "contact", v->vnull);
	}
	l = ck_value_list(v->a);
	for (i = 0; i < m->nhamlets; i++)
		ck_value_push(l, v->hamlet_v[i]);
	put2(j, w, "hamlets", l);
	l = ck_value_list(v->a);
	for (i = 0; i < m->ntopics; i++)
		ck_value_push(l, v->topic_v[i]);
	put2(j, w, "topics", l);
	l = ck_value_list(v->a);
	for (i = 0; i < m->ndepartments; i++)
		ck_value_push(l, v->dept_v[i]);
	put2(j, w, "departments", l);

	ck_value_set(w, "unit_type_text",
	             vw_label(v, "unit_type", m->unit_type));
	ck_value_set(w, "unit_scope_text",
	             vw_label(v, "unit_scope", m->unit_type));
	ck_value_set(w, "extra", vw_yaml_value(v->a, m->extra));
	v->site_json = j;
	v->site_view = w;

	l = ck_value_list(v->a);
	for (i = 0; i < m->npages; i++) {
		const ck_page *p = m->pages[i];
		ck_value *pm = ck_value_map(v->a);

		ck_value_set_str(pm, "slug", p->slug);
		ck_value_set_str(pm, "title", p->title);
		ck_value_set(
		    pm, "path",
		    ck_value_str_ref(
		        v->a, ck_arena_printf(v->a, "%s/index.html", p->slug)));
		ck_value_push(l, pm);
	}
	v->nav_pages = l;
	v->today_d = vw_day_map(v, v->as_of);
}

/* Dialogues. */

static ck_value *
dialogue_values(ck_views *v, const ck_dialogue *dl, ck_value **jout)
{
	ck_arena *a = v->a;
	const ck_model *m = v->m;
	ck_value *j = ck_value_map(a), *w = ck_value_map(a), *x, *l;
	const char *st = ck_dialogue_status_name(dl->status);
	char *path = ck_arena_printf(a, "doi-thoai/%s/index.html", dl->slug);
	size_t i, open = 0;

	put2(j, w, "slug", ck_value_str_ref(a, dl->slug));
	put2(j, w, "code", str_or_null(v, dl->code));
	put2(j, w, "title", ck_value_str_ref(a, dl->title));
	put2(j, w, "kind", ck_value_str_ref(a, dl->kind));
	put2(j, w, "date", vw_day_iso(v, dl->date));
	put2(j, w, "date_text", str_or_null(v, dl->date_text));
	put2(j, w, "location", str_or_null(v, dl->location));
	put2(j, w, "status", ck_value_str_ref(a, st));
	put2(j, w, "registration_deadline",
	     vw_day_iso(v, dl->registration_deadline));
	put2(j, w, "conclusion_due", vw_day_iso(v, dl->conclusion_due));
	put2(j, w, "conclusion_issued",
	     dl->has_conclusion ? vw_day_iso(v, dl->conclusion_issued)
	                        : v->vnull);
	put2(j, w, "conclusion_overdue", vw_bool(v, dl->conclusion_overdue));
	put2(j, w, "url",
	     ck_value_str_ref(a, ck_arena_printf(a, "%sdoi-thoai/%s/",
	                                         m->base_url, dl->slug)));
	put2(j, w, "path", ck_value_str_ref(a, path));
	/* Its own open data (views_data.c), linked from its page. */
	ck_value_set(w, "data_path",
	             ck_value_str_ref(a, ck_arena_printf(a,
	                                                 "data/doi-thoai/%s.json",
	                                                 dl->slug)));
	put2(j, w, "question_count",
	     ck_value_int(a, (long long)dl->nquestions));
	x = ck_value_map(a);
	for (i = 0; i < CK_ST_COUNT; i++) {
		ck_value_set_int(x, ck_status_name((ck_status)i),
		                 (long long)dl->by_status[i]);
		if (ck_status_open((ck_status)i))
			open += dl->by_status[i];
	}
	put2(j, w, "by_status", x);

	/* What only the pages need. */
	ck_value_set(w, "kind_text", vw_label(v, "kind", dl->kind));
	ck_value_set(w, "status_text", vw_label(v, "dialogue_status", st));
	ck_value_set(w, "is_planned", vw_bool(v, dl->status == CK_DLG_PLANNED));
	ck_value_set(w, "is_held", vw_bool(v, dl->status == CK_DLG_HELD));
	ck_value_set(w, "is_concluded",
	             vw_bool(v, dl->status == CK_DLG_CONCLUDED));
	ck_value_set(w, "is_cancelled",
	             vw_bool(v, dl->status == CK_DLG_CANCELLED));
	ck_value_set(w, "is_postponed",
	             vw_bool(v, dl->status == CK_DLG_POSTPONED));
	ck_value_set(w, "date_d", vw_day_map(v, dl->date));
	ck_value_set(w, "time", str_or_null(v, dl->time));
	if (dl->time && strlen(dl->time) == 5) {
		ck_value_set_int(w, "time_hour", atoi(dl->time));
		ck_value_set(w, "time_minute",
		             ck_value_str_ref(a, dl->time + 3));
	} else {
		ck_value_set(w, "time_hour", v->vnull);
		ck_value_set(w, "time_minute", v->vnull);
	}
	ck_value_set(w, "published_d", vw_day_map(v, dl->published));
	ck_value_set(w, "registration_deadline_d",
	             vw_day_map(v, dl->registration_deadline));
	ck_value_set(w, "registration_open",
	             vw_bool(v, dl->status == CK_DLG_PLANNED &&
	                            dl->registration_deadline != CK_NODAY &&
	                            m->today <= dl->registration_deadline));
	ck_value_set(w, "conclusion_due_d", vw_day_map(v, dl->conclusion_due));
	ck_value_set(w, "has_conclusion", vw_bool(v, dl->has_conclusion));
	ck_value_set(w, "conclusion_late", vw_bool(v, dl->conclusion_late));
	/* A conclusion is awaited once the dialogue has been held. */
	ck_value_set(w, "conclusion_awaited",
	             vw_bool(v, dl->status == CK_DLG_HELD));
	if (dl->has_conclusion) {
		x = ck_value_map(a);
		ck_value_set(x, "number",
		             str_or_null(v, dl->conclusion_number));
		ck_value_set(x, "issued_d",
		             vw_day_map(v, dl->conclusion_issued));
		ck_value_set(x, "signer_name",
		             str_or_null(v, dl->conclusion_signer_name));
		ck_value_set(x, "signer_title",
		             str_or_null(v, dl->conclusion_signer_title));
		ck_value_set(x, "html", str_or_null(v, dl->conclusion_html));
		ck_value_set(x, "late", vw_bool(v, dl->conclusion_late));
		ck_value_set(x, "extra",
		             vw_yaml_value(a, dl->conclusion_extra));
		ck_value_set(w, "conclusion", x);
	} else {
		ck_value_set(w, "conclusion", v->vnull);
	}
	if (dl->has_plan) {
		x = ck_value_map(a);
		ck_value_set(x, "number", str_or_null(v, dl->plan_number));
		ck_value_set(x, "issued_d", vw_day_map(v, dl->plan_issued));
		ck_value_set(x, "issuer", str_or_null(v, dl->plan_issuer));
		ck_value_set(x, "signer_name",
		             str_or_null(v, dl->plan_signer_name));
		ck_value_set(x, "signer_title",
		             str_or_null(v, dl->plan_signer_title));
		ck_value_set(w, "plan", x);
	} else {
		ck_value_set(w, "plan", v->vnull);
	}
	set_list(v, w, "chairs", str_list(v, dl->chairs, dl->nchairs));
	set_list(v, w, "legal_basis",
	         str_list(v, dl->legal_basis, dl->nlegal_basis));
	set_list(v, w, "participants",
	         str_list(v, dl->participants, dl->nparticipants));
	l = ck_value_list(a);
	for (i = 0; i < dl->ntopics; i++)
		ck_value_push(l, named_of(v, v->topic_v, m->topics, m->ntopics,
		                          dl->topics[i]));
	set_list(v, w, "topics_v", l);
	l = ck_value_list(a);
	for (i = 0; i < dl->nhamlets; i++)
		ck_value_push(l, named_of(v, v->hamlet_v, m->hamlets,
		                          m->nhamlets, dl->hamlets[i]));
	set_list(v, w, "hamlets_v", l);
	ck_value_set(w, "all_hamlets", vw_bool(v, dl->nhamlets == 0));
	ck_value_set(w, "attendance",
	             dl->attendance >= 0 ? ck_value_int(a, dl->attendance)
	                                 : v->vnull);
	ck_value_set(w, "body_html", str_or_null(v, dl->body_html));
	ck_value_set(w, "extra", vw_yaml_value(a, dl->extra));

	l = ck_value_list(a);
	for (i = 0; i < CK_ST_COUNT; i++) {
		x = ck_value_map(a);
		ck_value_set(x, "status", v->st_name[i]);
		ck_value_set(x, "slug", v->st_slug[i]);
		ck_value_set(x, "text", v->st_text[i]);
		ck_value_set_int(x, "count", (long long)dl->by_status[i]);
		ck_value_set(x, "nonzero", vw_bool(v, dl->by_status[i] > 0));
		ck_value_push(l, x);
	}
	ck_value_set(w, "by_status_v", l);
	ck_value_set_int(w, "open_count", (long long)open);
	ck_value_set(w, "has_open", vw_bool(v, open > 0));
	ck_value_set_int(w, "closed_count", (long long)(dl->nquestions - open));
	ck_value_set(w, "has_closed", vw_bool(v, dl->nquestions > open));
	ck_value_set(w, "has_questions", vw_bool(v, dl->nquestions > 0));
	vw_followup_dialogue(v, dl, j, w);
	/* questions and late_count are set once the questions are built. */
	*jout = j;
	return w;
}

/* Revisions. */

/* The forge's page of the file as it was in revision r, or null. */
static ck_value *
revision_url(ck_views *v, const ck_revision *r)
{
	static const char hex[] = "0123456789ABCDEF";
	const ck_model *m = v->m;
	const char *p, *form;
	ck_buf b = CK_BUF_INIT;
	ck_value *u;

	size_t bad, start, end, len;

	if (m->source_url == NULL || r->path == NULL || r->full[0] == '\0')
		return v->vnull;
	/*
	 * An older name of the file was never checked as today's are: one
	 * that is not text, or holds what looks like a phone number, gets no
	 * link rather than publishing it.
	 */
	len = strlen(r->path);
	if (ck_utf8_check(r->path, len, &bad) != 0 ||
	    ck_pd_find(r->path, len, 0, &start, &end) != CK_PD_NONE)
		return v->vnull;
	if (strcmp(m->source_kind, "gitlab") == 0)
		form = "/-/blob/";
	else if (strcmp(m->source_kind, "github") == 0)
		form = "/blob/";
	else
		form = "/src/commit/";
	ck_buf_puts(&b, m->source_url);
	ck_buf_puts(&b, form);
	ck_buf_puts(&b, r->full);
	ck_buf_putc(&b, '/');
	/* Each segment percent-encoded; the '/' between them kept. */
	for (p = r->path; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c)) {
			ck_buf_putc(&b, (char)c);
		} else {
			ck_buf_putc(&b, '%');
			ck_buf_putc(&b, hex[c >> 4]);
			ck_buf_putc(&b, hex[c & 15]);
		}
	}
	u = ck_value_strn(v->a, b.ptr, b.size);
	ck_buf_free(&b);
	return u;
}

/*
 * What revision r changed: the codes (the open data; null when it could
 * not be told) and, for the page, {code, text, is_status, from, to}.
 */
static void
revision_changes(ck_views *v, const ck_revision *r, ck_value **codes,
                 ck_value **texts)
{
	static const struct {
		unsigned bit;
		const char *code;
	} kinds[] = {
	    {CK_CHANGE_CREATED, "created"},
	    {CK_CHANGE_QUESTION, "question_changed"},
	    {CK_CHANGE_ANSWER_ADDED, "answer_added"},
	    {CK_CHANGE_ANSWER, "answer_changed"},
	    {CK_CHANGE_ANSWER_REMOVED, "answer_removed"},
	    {CK_CHANGE_STATUS, "status_changed"},
	    {CK_CHANGE_PROGRESS, "progress_added"},
	    {CK_CHANGE_DUE, "due_changed"},
	};
	size_t i;

	*texts = ck_value_list(v->a);
	if (!r->described) {
		*codes = v->vnull;
		return;
	}
	*codes = ck_value_list(v->a);
	for (i = 0; i < sizeof(kinds) / sizeof(*kinds); i++) {
		ck_value *t;
		bool st = kinds[i].bit == CK_CHANGE_STATUS;

		if (!(r->changes & kinds[i].bit))
			continue;
		ck_value_push(*codes, ck_value_str_ref(v->a, kinds[i].code));
		t = ck_value_map(v->a);
		ck_value_set_str(t, "code", kinds[i].code);
		ck_value_set(t, "text", vw_label(v, "change", kinds[i].code));
		ck_value_set(t, "is_status", vw_bool(v, st));
		ck_value_set(t, "from",
		             st ? vw_label(v, "status", r->status_from)
		                : v->vnull);
		ck_value_set(t, "to",
		             st ? vw_label(v, "status", r->status_to)
		                : v->vnull);
		ck_value_push(*texts, t);
	}
}

/* Questions. */

const char *
vw_question_ref(ck_arena *a, const ck_question *q)
{
	/* Unique in the site: load checks the codes. */
	return ck_arena_cat(a,
	                    q->dialogue->code ? q->dialogue->code
	                                      : q->dialogue->slug,
	                    "-", q->id, (char *)NULL);
}

const char *
vw_question_url(ck_views *v, const ck_question *q)
{
	return ck_arena_cat(v->a, v->m->base_url, "doi-thoai/",
	                    q->dialogue->slug, "/", q->id, "/", (char *)NULL);
}

const char *
vw_question_path(ck_arena *a, const ck_question *q)
{
	return ck_arena_cat(a, "doi-thoai/", q->dialogue->slug, "/", q->id,
	                    "/index.html", (char *)NULL);
}

/*
 * The keys of a question's row, interned once: a row is made for every
 * list that shows the question, a dozen of them, and each key was
 * hashed, looked for and compared as it was set.
 */
enum {
	RK_PATH, RK_NUMBER, RK_REF, RK_SUMMARY, RK_DLG, RK_STATUS,
	RK_STATUS_TEXT, RK_OPEN, RK_ANSWER_OVERDUE, RK_OVERDUE, RK_STALE,
	RK_ANSWERED_LATE, RK_LATE_DAYS, RK_HAMLET, RK_TOPIC, RK_ASSIGNED_TO,
	RK_RECEIVED_D, RK_ANSWERED_D, RK_ANSWER_DUE_D, RK_DUE_D, RK_COUNT
};
static const char *const row_key_names[RK_COUNT] = {
    "path", "number", "ref", "summary", "dlg", "status", "status_text",
    "open", "answer_overdue", "overdue", "stale", "answered_late",
    "late_days", "hamlet", "topic", "assigned_to", "received_d",
    "answered_d", "answer_due_d", "due_d",
};
static struct {
	const char *key;
	uint32_t hash;
} row_keys[RK_COUNT];
static pthread_once_t row_keys_once = PTHREAD_ONCE_INIT;

static void
row_keys_make(void)
{
	size_t i;

	for (i = 0; i < RK_COUNT; i++) {
		row_keys[i].hash = ck_value_key_hash(row_key_names[i]);
		row_keys[i].key =
		    ck_value_intern(row_key_names[i], row_keys[i].hash);
	}
}

/* Sets a key the map does not have yet (a row's, in order). */
static void
row_put(ck_value *row, int k, ck_value *val)
{
	ck_value_append_interned(row, row_keys[k].key, row_keys[k].hash, val);
}

/* The question's hamlet, topic and department ({id, name} or null). */
static void
put_places(ck_views *v, ck_value *map, const ck_question *q)
{
	const ck_model *m = v->m;

	pthread_once(&row_keys_once, row_keys_make);
	row_put(map, RK_HAMLET,
	        named_of(v, v->hamlet_v, m->hamlets, m->nhamlets, q->hamlet));
	row_put(map, RK_TOPIC,
	        named_of(v, v->topic_v, m->topics, m->ntopics, q->topic));
	row_put(map, RK_ASSIGNED_TO,
	        named_of(v, v->dept_v, m->departments, m->ndepartments,
	                 q->assigned_to));
}

/*
 * What a question's row in a list shows (partials question-row and
 * late-row), made alone for the lists (cheaper than its whole view, and
 * made for every list page that shows it), and read through its view.
 * Lookups that miss go on to proto (its record in a view; NULL alone).
 */
static ck_value *
question_row(ck_views *v, const vw_qref *r, const ck_value *proto)
{
	const ck_question *q = r->q;
	ck_arena *a = v->a;
	ck_value *row = ck_value_map_proto(a, proto, v->qrow_keys);
	long late = vw_late_days(v, q);

	pthread_once(&row_keys_once, row_keys_make);
	row_put(row, RK_PATH, ck_value_str_ref(a, vw_question_path(a, q)));
	row_put(row, RK_NUMBER, ck_value_str_ref(a, q->id));
	row_put(row, RK_REF, ck_value_str_ref(a, vw_question_ref(a, q)));
	row_put(row, RK_SUMMARY, ck_value_str_ref(a, r->summary));
	row_put(row, RK_DLG, r->dview);
	row_put(row, RK_STATUS, v->st_name[q->status]);
	row_put(row, RK_STATUS_TEXT, v->st_text[q->status]);
	row_put(row, RK_OPEN, vw_bool(v, q->open));
	row_put(row, RK_ANSWER_OVERDUE, vw_bool(v, q->answer_overdue));
	row_put(row, RK_OVERDUE, vw_bool(v, q->overdue));
	row_put(row, RK_STALE, vw_bool(v, q->stale));
	row_put(row, RK_ANSWERED_LATE, vw_bool(v, q->answered_late));
	row_put(row, RK_LATE_DAYS,
	        late > 0 ? ck_value_int(a, late) : v->vnull);
	put_places(v, row, q);
	row_put(row, RK_RECEIVED_D, vw_day_map(v, q->received));
	row_put(row, RK_ANSWERED_D, vw_day_map(v, q->answer_date));
	row_put(row, RK_ANSWER_DUE_D, vw_day_map(v, q->answer_due));
	row_put(row, RK_DUE_D, vw_day_map(v, q->due));
	if (!v->frozen && ck_value_len(row) > v->qrow_keys)
		v->qrow_keys = ck_value_len(row);
	return row;
}

static void
question_values(ck_views *v, const vw_qref *r, ck_value **jout,
                ck_value **wout)
{
	const ck_question *q = r->q;
	ck_value *dview = r->dview;
	ck_arena *a = v->a;
	/*
	 * The record (the open data); the view adds what only the pages need
	 * and reads the record's entries through it (ck_value_map_proto).
	 */
	ck_value *j = ck_value_map_sized(a, v->qjson_keys);
	ck_value *w = NULL, *pj, *pw = NULL, *rj, *rw = NULL, *x, *y;
	const char *path = vw_question_path(a, q);
	/* Without a view (the open data), none of its parts is made. */
	bool view = wout != NULL;
	size_t i;

	ck_value_set(j, "id", ck_value_str_ref(a, q->gid));
	/* What a citizen quotes. */
	ck_value_set(j, "ref", ck_value_str_ref(a, vw_question_ref(a, q)));
	ck_value_set(j, "dialogue", ck_value_str_ref(a, q->dialogue->slug));
	ck_value_set(j, "url", ck_value_str_ref(a, vw_question_url(v, q)));
	ck_value_set(j, "path", ck_value_str_ref(a, path));
	ck_value_set(j, "asked_by", str_or_null(v, q->asked_by));
	put_places(v, j, q);
	ck_value_set(j, "channel", ck_value_str_ref(a, q->channel));
	ck_value_set(j, "received", vw_day_iso(v, q->received));
	ck_value_set(j, "status", v->st_name[q->status]);
	ck_value_set(j, "status_label", v->st_label[q->status]);
	ck_value_set(j, "open", vw_bool(v, q->open));
	ck_value_set(j, "answered", vw_day_iso(v, q->answer_date));
	ck_value_set(j, "answer_due", vw_day_iso(v, q->answer_due));
	ck_value_set(j, "answer_overdue", vw_bool(v, q->answer_overdue));
	ck_value_set(j, "due", vw_day_iso(v, q->due));
	ck_value_set(j, "overdue", vw_bool(v, q->overdue));
	ck_value_set(j, "updated", vw_day_iso(v, q->updated));
	pj = ck_value_list(a);
	if (view)
		pw = ck_value_list(a);
	for (i = 0; i < q->nprogress; i++) {
		const ck_progress *p = &q->progress[i];

		x = ck_value_map(a);
		ck_value_set(x, "date", vw_day_iso(v, p->date));
		ck_value_set(x, "status", v->st_name[p->status]);
		ck_value_set(
		    x, "note_html",
		    ck_value_str_ref(a, p->note_html ? p->note_html : ""));
		ck_value_push(pj, x);
		if (!view)
			continue;
		y = ck_value_map(a);
		ck_value_set(y, "date", ck_value_get(x, "date"));
		ck_value_set(y, "status", v->st_name[p->status]);
		ck_value_set(y, "note_html", ck_value_get(x, "note_html"));
		ck_value_set(y, "date_d", vw_day_map(v, p->date));
		ck_value_set(y, "status_slug", v->st_slug[p->status]);
		ck_value_set(y, "status_text", v->st_text[p->status]);
		ck_value_set(y, "last", vw_bool(v, i + 1 == q->nprogress));
		ck_value_push(pw, y);
	}
	ck_value_set(j, "progress", pj);
	ck_value_set(j, "question_html",
	     ck_value_str_ref(a, q->question_html ? q->question_html : ""));
	ck_value_set(j, "answer_html",
	     q->has_answer
	         ? ck_value_str_ref(a, q->answer_html ? q->answer_html : "")
	         : v->vnull);
	rj = ck_value_list(a);
	if (view)
		rw = ck_value_list(a);
	for (i = 0; i < q->nrevisions; i++) {
		const ck_revision *r = &q->revisions[i];
		ck_value *codes, *texts;
		ck_day day;

		revision_changes(v, r, &codes, &texts);
		x = ck_value_map(a);
		ck_value_set_str(x, "date", r->date);
		ck_value_set_str(x, "commit", r->commit);
		ck_value_set(x, "changes", codes);
		ck_value_push(rj, x);
		if (!view)
			continue;
		y = ck_value_map(a);
		ck_value_set(y, "date", ck_value_get(x, "date"));
		ck_value_set(y, "commit", ck_value_get(x, "commit"));
		ck_value_set(y, "url", revision_url(v, r));
		set_list(v, y, "changes_v", texts);
		ck_value_set(y, "date_d",
		             ck_date_parse(&day, r->date, strlen(r->date)) ==
		                     CK_DATE_OK
		                 ? vw_day_map(v, day)
		                 : v->vnull);
		ck_value_set(y, "first", vw_bool(v, i == 0));
		ck_value_push(rw, y);
	}
	ck_value_set(j, "revisions", rj);

	if (!view) {
		vw_followup_question(v, q, dview, j, NULL);
		if (!v->frozen && ck_value_len(j) > v->qjson_keys)
			v->qjson_keys = ck_value_len(j);
		*jout = j;
		return;
	}
	/* The view: what only its page needs, over its row, over j. */
	w = ck_value_map_proto(a, question_row(v, r, j), v->qview_keys);
	ck_value_set(w, "status_slug", v->st_slug[q->status]);
	ck_value_set(w, "channel_text", vw_label(v, "channel", q->channel));
	ck_value_set(w, "updated_d", vw_day_map(v, q->updated));
	ck_value_set(w, "has_answer", vw_bool(v, q->has_answer));
	ck_value_set(w, "any_overdue",
	             vw_bool(v, q->overdue || q->answer_overdue));
	set_list(v, w, "progress_v", pw);
	set_list(v, w, "revisions_v", rw);
	ck_value_set(w, "short", vw_excerpt(a, q->question_text, VW_SHORT_MAX));
	ck_value_set(w, "extra", vw_yaml_value(a, q->extra));
	vw_followup_question(v, q, dview, j, w);

	/* The next question's maps are made this size at once. */
	if (!v->frozen && ck_value_len(j) > v->qjson_keys)
		v->qjson_keys = ck_value_len(j);
	if (!v->frozen && ck_value_len(w) > v->qview_keys)
		v->qview_keys = ck_value_len(w);
	*jout = j;
	*wout = w;
}

void
vw_question_values(ck_views *v, const vw_qref *r, ck_value **json,
                   ck_value **view)
{
	ck_value *j, *w;

	question_values(v, r, &j, view ? &w : NULL);
	if (json)
		*json = j;
	if (view)
		*view = w;
}

ck_value *
vw_question_view(ck_views *v, const vw_qref *r)
{
	ck_value *w;

	vw_question_values(v, r, NULL, &w);
	return w;
}

ck_value *
vw_question_row(ck_views *v, const vw_qref *r)
{
	return question_row(v, r, NULL);
}

/* A list of what make gives for each of the n questions, in v->a. */
static ck_value *
list_of(ck_views *v, const vw_qref *const *refs, size_t n,
        ck_value *(*make)(ck_views *, const vw_qref *))
{
	ck_value *list = ck_value_list(v->a);
	size_t i;

	for (i = 0; i < n; i++)
		ck_value_push(list, make(v, refs[i]));
	return list;
}

ck_value *
vw_question_rows(ck_views *v, const vw_qref *const *refs, size_t n)
{
	return list_of(v, refs, n, vw_question_row);
}

ck_value *
vw_question_views(ck_views *v, const vw_qref *const *refs, size_t n)
{
	return list_of(v, refs, n, vw_question_view);
}

void
vw_refs_reserve(ck_arena *a, vw_refs *refs, size_t n)
{
	const vw_qref **grown;

	if (n <= refs->cap)
		return;
	grown = ck_arena_alloc(a, n * sizeof(*grown));
	if (refs->len)
		memcpy(grown, refs->v, refs->len * sizeof(*grown));
	refs->v = grown;
	refs->cap = n;
}

void
vw_refs_push(ck_arena *a, vw_refs *refs, const vw_qref *r)
{
	if (refs->len == refs->cap)
		vw_refs_reserve(a, refs, refs->cap ? refs->cap * 2 : 8);
	refs->v[refs->len++] = r;
}

/*
 * A dialogue's questions as its page lists them: all of them, then grouped
 * by status, the open statuses' groups (anchored #chua-xong) apart from
 * the closed ones (#da-xong), each group anchored #tt-<status>, and the
 * overdue ones worst first (#qua-han): every count of the dialogue links
 * to a list of exactly what it counts. Made in v->a, for the page only.
 */
ck_value *
vw_dialogue_page_view(ck_views *v, size_t di)
{
	const ck_dialogue *dl = v->m->dialogues[di];
	ck_value *dview = ck_value_map_proto(v->a, v->dview[di], 8);
	ck_value *all = ck_value_list(v->a), *open = ck_value_list(v->a);
	ck_value *closed = ck_value_list(v->a);
	const vw_qref **refs, **lv;
	size_t i, k, nlate = 0;

	refs = ck_arena_alloc(v->a, (dl->nquestions + 1) * sizeof(*refs));
	lv = ck_arena_alloc(v->a, (dl->nquestions + 1) * sizeof(*lv));
	for (k = 0; k < dl->nquestions; k++) {
		refs[k] = vw_qref_find(v, dl->questions[k]);
		ck_value_push(all, vw_question_row(v, refs[k]));
		if (refs[k]->q->overdue || refs[k]->q->answer_overdue)
			lv[nlate++] = refs[k];
	}
	ck_value_set(dview, "questions", all);
	for (i = 0; i < CK_ST_COUNT; i++) {
		ck_value *g, *qs;

		if (dl->by_status[i] == 0)
			continue;
		g = ck_value_map(v->a);
		qs = ck_value_list(v->a);
		for (k = 0; k < dl->nquestions; k++)
			if (refs[k]->q->status == (ck_status)i)
				ck_value_push(qs, ck_value_at(all, k));
		ck_value_set(g, "status", v->st_name[i]);
		ck_value_set(g, "slug", v->st_slug[i]);
		ck_value_set(g, "text", v->st_text[i]);
		ck_value_set_int(g, "count", (long long)ck_value_len(qs));
		ck_value_set(g, "questions", qs);
		ck_value_push(ck_status_open((ck_status)i) ? open : closed, g);
	}
	ck_value_set(dview, "open_groups", open);
	ck_value_set(dview, "has_open_groups", vw_bool(v, ck_value_len(open)));
	ck_value_set(dview, "closed_groups", closed);
	ck_value_set(dview, "has_closed_groups",
	             vw_bool(v, ck_value_len(closed)));
	vw_sort_late(v, lv, nlate);
	ck_value_set(dview, "late_questions", vw_question_rows(v, lv, nlate));
	return dview;
}

static int
cmp_qref_ptr(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)((const vw_qref *)x)->q;
	uintptr_t b = (uintptr_t)((const vw_qref *)y)->q;

	return a < b ? -1 : a > b;
}

const vw_qref *
vw_qref_find(const ck_views *v, const ck_question *q)
{
	vw_qref key = {q, NULL, NULL};

	if (v->nq == 0)
		return NULL;
	return bsearch(&key, v->qsorted, v->nq, sizeof(*v->qsorted),
	               cmp_qref_ptr);
}

static int
cmp_newest(const void *x, const void *y)
{
	const ck_dialogue *a = ((const vw_dref *)x)->d;
	const ck_dialogue *b = ((const vw_dref *)y)->d;

	/* Undated (date not fixed yet, so still to come) first. */
	if ((a->date == CK_NODAY) != (b->date == CK_NODAY))
		return a->date == CK_NODAY ? -1 : 1;
	if (a->date != b->date)
		return a->date > b->date ? -1 : 1;
	return strcmp(a->slug, b->slug);
}

/*
 * Questions whose values are made (and dropped) before the pages, to learn
 * the maps' sizes: every question's have the same keys, so a few tell.
 */
#define VALUES_SIZE_SAMPLE 32

static void
enter_day(ck_views *v, ck_day day)
{
	if (day != CK_NODAY)
		(void)day_slot(v, day);
}

/*
 * Enters the days q's values show into the table (read only once frozen),
 * without making the values: a day missed here is only made apart where
 * it is shown.
 */
static void
enter_question_days(ck_views *v, const ck_question *q)
{
	const ck_escalation *e = q->escalation;
	ck_day day;
	size_t i;

	enter_day(v, q->received);
	enter_day(v, q->answer_date);
	enter_day(v, q->answer_due);
	enter_day(v, q->due);
	enter_day(v, q->updated);
	for (i = 0; i < q->nprogress; i++)
		enter_day(v, q->progress[i].date);
	if (e != NULL) {
		enter_day(v, e->sent);
		enter_day(v, e->reply_due);
		enter_day(v, e->reply_date);
	}
	for (i = 0; i < q->nrevisions; i++)
		if (ck_date_parse(&day, q->revisions[i].date,
		                  strlen(q->revisions[i].date)) == CK_DATE_OK)
			enter_day(v, day);
}

int
vw_build_values(ck_views *v)
{
	const ck_model *m = v->m;
	vw_qref *tmp;
	ck_arena *scratch;
	size_t i, k, n = 0;

	v->as_of = ck_model_as_of(m);
	v->vnull = ck_value_null(v->a);
	v->vtrue = ck_value_bool(v->a, true);
	v->vfalse = ck_value_bool(v->a, false);
	v->root[0] = ck_value_str_ref(v->a, "");
	v->root[1] = ck_value_str_ref(v->a, "../");
	v->root[2] = ck_value_str_ref(v->a, "../../");
	v->root[3] = ck_value_str_ref(v->a, "../../../");
	v->root[4] = ck_value_str_ref(v->a, "../../../../");
	for (i = 0; i < CK_ST_COUNT; i++) {
		v->st_name[i] =
		    ck_value_str_ref(v->a, ck_status_name((ck_status)i));
		v->st_label[i] =
		    ck_value_str_ref(v->a, ck_status_label((ck_status)i));
		v->st_slug[i] =
		    ck_value_str_ref(v->a, ck_status_slug((ck_status)i));
		v->st_text[i] =
		    vw_label(v, "status", ck_status_name((ck_status)i));
	}
	build_site(v);

	v->djson =
	    ck_arena_alloc(v->a, (m->ndialogues + 1) * sizeof(ck_value *));
	v->dview =
	    ck_arena_alloc(v->a, (m->ndialogues + 1) * sizeof(ck_value *));
	for (i = 0; i < m->ndialogues; i++)
		n += m->dialogues[i]->nquestions;
	tmp = ck_arena_alloc(v->a, (n + 1) * sizeof(*tmp));
	n = 0;
	/*
	 * Every question's days enter the table, and a few questions' values
	 * are made and dropped to learn the maps' sizes (making every one's
	 * was a tenth of a province's no-change rebuild). Pages and data
	 * files make values as they need them.
	 */
	scratch = ck_arena_new();
	for (i = 0; i < m->ndialogues; i++) {
		const ck_dialogue *dl = m->dialogues[i];
		long late = 0;

		v->dview[i] = dialogue_values(v, dl, &v->djson[i]);
		for (k = 0; k < dl->nquestions; k++) {
			ck_arena *keep = v->a;
			ck_value *j, *w;

			tmp[n].q = dl->questions[k];
			tmp[n].dview = v->dview[i];
			/* Kept: a question shows in a dozen lists. */
			tmp[n].summary = vw_excerpt_text(
			    v->a, tmp[n].q->question_text, VW_SUMMARY_MAX);
			if (n < VALUES_SIZE_SAMPLE) {
				v->a = scratch;
				/* The view's row teaches the rows' size too. */
				question_values(v, &tmp[n], &j, &w);
				v->a = keep;
				ck_arena_reset(scratch);
			}
			enter_question_days(v, tmp[n].q);
			if (tmp[n].q->overdue || tmp[n].q->answer_overdue)
				late++;
			n++;
		}
		ck_value_set_int(v->dview[i], "late_count", late);
		ck_value_set(v->dview[i], "has_late", vw_bool(v, late > 0));
	}
	ck_arena_free(scratch);
	v->nq = n;
	v->qsorted = tmp;
	qsort(v->qsorted, n, sizeof(*tmp), cmp_qref_ptr);

	/* The open data's order: the model's (dialogue date, dialogue, id). */
	v->qrefs = ck_arena_alloc(v->a, (m->nquestions + 1) * sizeof(vw_qref));
	for (i = 0, k = 0; i < m->nquestions; i++) {
		const vw_qref *r = vw_qref_find(v, m->questions[i]);

		if (r)
			v->qrefs[k++] = *r;
	}
	v->nqrefs = k;

	v->dnewest =
	    ck_arena_alloc(v->a, (m->ndialogues + 1) * sizeof(*v->dnewest));
	for (i = 0; i < m->ndialogues; i++) {
		v->dnewest[i].d = m->dialogues[i];
		v->dnewest[i].view = v->dview[i];
	}
	qsort(v->dnewest, m->ndialogues, sizeof(*v->dnewest), cmp_newest);
	vw_build_groups(v);
	/* From here on pages on several threads make question values. */
	v->frozen = true;
	return 0;
}
