/*
 * site.yaml `coverage: {kind: hamlet_meeting, per: quarter}`: the unit
 * commits to meeting every hamlet each quarter. A hamlet is met in a
 * quarter when a dialogue of kind hamlet_meeting is held in it (dated, on
 * or before today, neither cancelled nor postponed) and lists the hamlet in
 * `hamlets`, or lists none (a meeting's hamlets default to all, as for any
 * dialogue). The table runs from the quarter of `from` (or of the first such
 * meeting) to today's quarter.
 */
#include <string.h>

#include "load.h"

static const char *const coverage_keys[] = {"kind", "per", "from", NULL};

void
ck_load_coverage(ck_loader *l, const char *path, const ck_yaml_node *root)
{
	const ck_yaml_node *cov = ck_load_map(l, path, root, "coverage");
	const char *kind, *per;
	bool ok = true;

	if (cov == NULL)
		return;
	ck_load_check_keys(l, path, cov, coverage_keys);
	kind = ck_load_str(l, path, cov, "kind", true);
	per = ck_load_str(l, path, cov, "per", true);
	if (kind && strcmp(kind, "hamlet_meeting") != 0) {
		ck_load_error(l, path, ck_yaml_get(cov, "kind"),
		              "unknown coverage kind '%s' (only "
		              "hamlet_meeting)",
		              kind);
		ok = false;
	}
	if (per && strcmp(per, "quarter") != 0) {
		ck_load_error(l, path, ck_yaml_get(cov, "per"),
		              "unknown coverage period '%s' (only quarter)",
		              per);
		ok = false;
	}
	l->m->coverage_from = ck_load_date(l, path, cov, "from", false);
	l->m->coverage_at = ck_load_keynode(root, "coverage");
	l->m->coverage = ok && kind && per;
}

int
ck_quarter_of(ck_day day)
{
	int y, mo, d;

	ck_day_to_ymd(day, &y, &mo, &d);
	return y * 4 + (mo - 1) / 3;
}

ck_day
ck_quarter_first(int quarter)
{
	return ck_day_from_ymd(quarter / 4, quarter % 4 * 3 + 1, 1);
}

ck_day
ck_quarter_last(int quarter)
{
	return ck_quarter_first(quarter + 1) - 1;
}

/* Whether dl is a hamlet meeting that has taken place by m->today. */
static bool
counts(const ck_model *m, const ck_dialogue *dl)
{
	return strcmp(dl->kind, "hamlet_meeting") == 0 &&
	       dl->date != CK_NODAY && dl->date <= m->today &&
	       dl->status != CK_DLG_CANCELLED && dl->status != CK_DLG_POSTPONED;
}

static size_t
hamlet_index(const ck_model *m, const ck_named *h)
{
	size_t i;

	for (i = 0; i < m->nhamlets; i++)
		if (&m->hamlets[i] == h || strcmp(m->hamlets[i].id, h->id) == 0)
			return i;
	return m->nhamlets;
}

int
ck_coverage_compute(ck_coverage *out, ck_arena *a, const ck_model *m)
{
	int first, last;
	size_t i, k, h, n;

	memset(out, 0, sizeof(*out));
	if (!m->coverage || m->nhamlets == 0)
		return 1;
	first =
	    m->coverage_from != CK_NODAY ? ck_quarter_of(m->coverage_from) : -1;
	for (i = 0; first < 0 && i < m->ndialogues; i++)
		if (counts(m, m->dialogues[i]))
			first = ck_quarter_of(m->dialogues[i]->date);
	last = ck_quarter_of(m->today);
	if (first < 0 || first > last)
		return 1;
	n = (size_t)(last - first + 1);
	out->first = first;
	out->nquarters = n;
	out->cells = ck_arena_alloc(a, m->nhamlets * n * sizeof(*out->cells));
	out->met_by = ck_arena_alloc(a, m->nhamlets * n * sizeof(*out->met_by));
	for (h = 0; h < m->nhamlets; h++)
		for (k = 0; k < n; k++) {
			out->met_by[h * n + k] = NULL;
			out->cells[h * n + k] =
			    ck_quarter_last(first + (int)k) < m->today
			        ? CK_COV_MISSED
			        : CK_COV_NOT_YET;
		}
	/* Dialogues are sorted by date: the first meeting is kept. */
	for (i = 0; i < m->ndialogues; i++) {
		const ck_dialogue *dl = m->dialogues[i];
		int q;

		if (!counts(m, dl))
			continue;
		q = ck_quarter_of(dl->date);
		if (q < first || q > last)
			continue;
		k = (size_t)(q - first);
		for (h = 0; h < m->nhamlets; h++) {
			size_t j;
			bool listed = dl->nhamlets == 0;

			for (j = 0; !listed && j < dl->nhamlets; j++)
				listed = hamlet_index(m, dl->hamlets[j]) == h;
			if (!listed || out->met_by[h * n + k] != NULL)
				continue;
			out->cells[h * n + k] = CK_COV_MET;
			out->met_by[h * n + k] = dl;
		}
	}
	return 0;
}

void
ck_model_report_coverage(const ck_model *m, ck_diags *d)
{
	ck_arena *a = ck_arena_new();
	ck_coverage c;
	size_t h, k;

	if (ck_coverage_compute(&c, a, m) == 0)
		for (h = 0; h < m->nhamlets; h++)
			for (k = 0; k < c.nquarters; k++) {
				int q = c.first + (int)k;

				if (c.cells[h * c.nquarters + k] !=
				    CK_COV_MISSED)
					continue;
				ck_diag(
				    d, CK_WARNING, m->site_path,
				    m->coverage_at ? m->coverage_at->line : 0,
				    m->coverage_at ? m->coverage_at->col : 0,
				    "no hamlet meeting in %s (%s) in "
				    "quarter %d/%d",
				    m->hamlets[h].name, m->hamlets[h].id,
				    q % 4 + 1, q / 4);
			}
	ck_arena_free(a);
}
