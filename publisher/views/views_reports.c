/*
 * The reports for the higher level (issue #8 items 4 and 5): bao-cao/
 * lists the periods; bao-cao/<year>/ and bao-cao/<year>-q<n>/ give, for
 * every year and quarter that has a dialogue or a question up to today, the
 * figures a district or province asks for, each linked to the list of the
 * questions it counts (bao-cao/<period>/<figure>/); data/bao-cao/<period>
 * .json and .csv hold the same figures; bao-cao/thon-theo-quy/ is the
 * hamlet x quarter table of site.yaml's coverage commitment. Bars are
 * drawn by the theme from the percentages given here (no JavaScript).
 */
#include <string.h>

#include "json.h"
#include "views_int.h"

/*
 * The question figures: each counts the questions received in the period
 * that it describes, and has a list page of them.
 */
enum {
	F_RECEIVED,
	F_ON_TIME,
	F_LATE,
	F_NOT_ANSWERED,
	F_ANSWER_OVERDUE,
	F_RESOLVED,
	F_ESCALATED,
	F_ESC_REPLIED, /* an `escalation` the higher level has answered */
	F_OPEN,
	F_COUNT
};

static const struct {
	const char *key;   /* in the open data and labels.yaml `report` */
	const char *slug;  /* its list's folder */
	const char *label; /* the open data's fixed label */
} figures[F_COUNT] = {
    {"received", "tiep-nhan", "Câu hỏi, kiến nghị tiếp nhận"},
    {"answered_on_time", "da-tra-loi-dung-han", "Đã trả lời đúng hạn"},
    {"answered_late", "da-tra-loi-tre-han", "Đã trả lời quá hạn"},
    {"not_answered", "chua-tra-loi", "Chưa trả lời"},
    {"answer_overdue", "qua-han-tra-loi", "Quá hạn trả lời"},
    {"resolved", "da-giai-quyet", "Đã giải quyết"},
    {"escalated", "da-chuyen-cap-tren", "Đã chuyển cấp có thẩm quyền"},
    {"escalated_replied", "cap-tren-da-tra-loi",
     "Đã chuyển cấp trên và cấp trên đã trả lời"},
    {"open", "chua-xong", "Còn đang giải quyết"},
};

static const char *const channels[] = {"registered", "at_meeting", "written",
                                       "mttq", "other"};
#define NCHANNELS (sizeof(channels) / sizeof(*channels))
static const char *const channel_labels[] = {"Đăng ký trước", "Tại hội nghị",
                                             "Gửi văn bản",
                                             "Qua Mặt trận Tổ quốc", "Khác"};
static const char *const roman[] = {"I", "II", "III", "IV"};

/* The dialogue figures. */
enum {
	D_HELD,
	D_ATTENDANCE,
	D_CONCL_ON_TIME,
	D_CONCL_LATE,
	D_CONCL_OVERDUE,
	D_CONCL_AWAITED,
	D_DIRECTIVES,      /* the conclusions' directives */
	D_DIRECTIVES_DONE, /* of which done */
	D_COUNT
};
static const struct {
	const char *key, *label;
} dfigures[D_COUNT] = {
    {"held", "Cuộc đối thoại đã tổ chức"},
    {"attendance", "Lượt người dự"},
    {"conclusions_on_time", "Thông báo kết luận đúng hạn"},
    {"conclusions_late", "Thông báo kết luận quá hạn"},
    {"conclusions_overdue", "Quá hạn chưa có thông báo kết luận"},
    {"conclusions_awaited", "Chưa đến hạn thông báo kết luận"},
    {"directives", "Nhiệm vụ được giao trong thông báo kết luận"},
    {"directives_done", "Nhiệm vụ đã thực hiện xong"},
};

typedef struct {
	bool is_year;
	int num; /* the year, or the quarter (year * 4 + quarter - 1) */
	ck_day first, last;
	const char *id, *title;
	vw_group fig[F_COUNT];
	vw_group *by_channel, *by_topic, *by_hamlet;
	long dfig[D_COUNT];
	ck_value *dialogues; /* the views of the dialogues held */
} vw_period;

typedef struct {
	vw_period *v;
	size_t n;
	int qmin;         /* the first quarter; periods index from it */
	vw_period **by_q; /* quarter - qmin -> its period, or NULL */
	vw_period **by_y; /* year - qmin / 4 -> its period, or NULL */
	size_t nq, ny;
} vw_periods;

static void
group_init(ck_views *v, vw_group *g)
{
	memset(g, 0, sizeof(*g));
	g->map = ck_value_map(v->a);
}

/* sizing: only counts, so that the lists are then made at their size. */
static void
group_add(ck_views *v, vw_group *g, const vw_qref *r, bool sizing)
{
	if (sizing) {
		g->count++;
		return;
	}
	vw_refs_push(v->a, &g->refs, r);
	g->count++;
	if (r->q->open)
		g->open++;
	if (r->q->overdue || r->q->answer_overdue)
		g->late++;
}

static const char *
period_title(ck_views *v, bool is_year, int num)
{
	if (is_year)
		return ck_arena_printf(v->a, "Năm %d", num);
	return ck_arena_printf(v->a, "Quý %s/%d", roman[num % 4], num / 4);
}

/* A channel's slug: at_meeting -> at-meeting. */
static const char *
slugify(ck_views *v, const char *s)
{
	char *r = ck_arena_strdup(v->a, s), *p;

	for (p = r; *p; p++)
		if (*p == '_')
			*p = '-';
	return r;
}

static size_t
index_of(const ck_named *list, size_t n, const ck_named *x)
{
	uintptr_t at = (uintptr_t)x, lo = (uintptr_t)list;
	size_t i;

	/* The model's references point into its lists: no names compared. */
	if (x != NULL && at >= lo && at < lo + n * sizeof(*list) &&
	    (at - lo) % sizeof(*list) == 0)
		return (at - lo) / sizeof(*list);
	for (i = 0; x && i < n; i++)
		if (&list[i] == x || strcmp(list[i].id, x->id) == 0)
			return i;
	return n;
}

/* The periods: every quarter and year with a dialogue or question. */
static void
find_periods(ck_views *v, vw_periods *ps)
{
	const ck_model *m = v->m;
	int qmin = 0, qmax = -1, q;
	size_t i, k;
	bool *has;

	memset(ps, 0, sizeof(*ps));
	for (i = 0; i < m->ndialogues; i++) {
		ck_day d = m->dialogues[i]->date;

		if (d == CK_NODAY || d > m->today)
			continue;
		q = ck_quarter_of(d);
		if (qmax < qmin || q < qmin)
			qmin = q;
		if (q > qmax)
			qmax = q;
	}
	for (i = 0; i < m->nquestions; i++) {
		ck_day d = m->questions[i]->received;

		if (d > m->today)
			continue;
		q = ck_quarter_of(d);
		if (qmax < qmin || q < qmin)
			qmin = q;
		if (q > qmax)
			qmax = q;
	}
	if (qmax < qmin)
		return;
	ps->qmin = qmin;
	ps->nq = (size_t)(qmax - qmin + 1);
	ps->ny = (size_t)(qmax / 4 - qmin / 4 + 1);
	has = ck_arena_alloc(v->a, ps->nq * sizeof(*has));
	memset(has, 0, ps->nq * sizeof(*has));
	for (i = 0; i < m->ndialogues; i++) {
		ck_day d = m->dialogues[i]->date;

		if (d != CK_NODAY && d <= m->today)
			has[ck_quarter_of(d) - qmin] = true;
	}
	for (i = 0; i < m->nquestions; i++)
		if (m->questions[i]->received <= m->today)
			has[ck_quarter_of(m->questions[i]->received) - qmin] =
			    true;
	ps->by_q = ck_arena_alloc(v->a, ps->nq * sizeof(*ps->by_q));
	ps->by_y = ck_arena_alloc(v->a, ps->ny * sizeof(*ps->by_y));
	memset(ps->by_y, 0, ps->ny * sizeof(*ps->by_y));
	ps->v = ck_arena_alloc(v->a, (ps->nq + ps->ny) * sizeof(*ps->v));
	/* Newest first: a year, then its quarters, last quarter first. */
	for (k = ps->ny; k-- > 0;) {
		int year = qmin / 4 + (int)k, qq;
		vw_period *yp = NULL;

		for (qq = 3; qq >= 0; qq--) {
			int qi = year * 4 + qq;
			vw_period *p;

			if (qi < qmin || qi > qmax || !has[qi - qmin]) {
				if (qi >= qmin && qi <= qmax)
					ps->by_q[qi - qmin] = NULL;
				continue;
			}
			if (yp == NULL) {
				yp = &ps->v[ps->n++];
				memset(yp, 0, sizeof(*yp));
				yp->is_year = true;
				yp->num = year;
				yp->first = ck_day_from_ymd(year, 1, 1);
				yp->last = ck_day_from_ymd(year, 12, 31);
				yp->id = ck_arena_printf(v->a, "%d", year);
				ps->by_y[k] = yp;
			}
			p = &ps->v[ps->n++];
			memset(p, 0, sizeof(*p));
			p->num = qi;
			p->first = ck_quarter_first(qi);
			p->last = ck_quarter_last(qi);
			p->id = ck_arena_printf(v->a, "%d-q%d", year, qq + 1);
			ps->by_q[qi - qmin] = p;
		}
	}
	for (i = 0; i < ps->n; i++) {
		vw_period *p = &ps->v[i];

		p->title = period_title(v, p->is_year, p->num);
		for (k = 0; k < F_COUNT; k++)
			group_init(v, &p->fig[k]);
		p->by_channel =
		    ck_arena_alloc(v->a, NCHANNELS * sizeof(vw_group));
		for (k = 0; k < NCHANNELS; k++)
			group_init(v, &p->by_channel[k]);
		p->by_topic =
		    ck_arena_alloc(v->a, (m->ntopics + 1) * sizeof(vw_group));
		for (k = 0; k < m->ntopics; k++)
			group_init(v, &p->by_topic[k]);
		p->by_hamlet =
		    ck_arena_alloc(v->a, (m->nhamlets + 1) * sizeof(vw_group));
		for (k = 0; k < m->nhamlets; k++)
			group_init(v, &p->by_hamlet[k]);
		p->dialogues = ck_value_list(v->a);
	}
}

static void
count_question(ck_views *v, vw_period *p, const vw_qref *r, bool sizing)
{
	const ck_question *q = r->q;
	size_t k;

	group_add(v, &p->fig[F_RECEIVED], r, sizing);
	if (q->answer_date != CK_NODAY) {
		if (q->answer_due == CK_NODAY ||
		    q->answer_date <= q->answer_due)
			group_add(v, &p->fig[F_ON_TIME], r, sizing);
		else
			group_add(v, &p->fig[F_LATE], r, sizing);
	} else {
		group_add(v, &p->fig[F_NOT_ANSWERED], r, sizing);
		if (q->answer_overdue)
			group_add(v, &p->fig[F_ANSWER_OVERDUE], r, sizing);
	}
	if (q->status == CK_ST_RESOLVED)
		group_add(v, &p->fig[F_RESOLVED], r, sizing);
	if (q->status == CK_ST_ESCALATED)
		group_add(v, &p->fig[F_ESCALATED], r, sizing);
	if (q->escalation != NULL && q->escalation->replied)
		group_add(v, &p->fig[F_ESC_REPLIED], r, sizing);
	if (q->open)
		group_add(v, &p->fig[F_OPEN], r, sizing);
	for (k = 0; k < NCHANNELS; k++)
		if (strcmp(q->channel, channels[k]) == 0)
			group_add(v, &p->by_channel[k], r, sizing);
	k = index_of(v->m->topics, v->m->ntopics, q->topic);
	if (k < v->m->ntopics)
		group_add(v, &p->by_topic[k], r, sizing);
	k = index_of(v->m->hamlets, v->m->nhamlets, q->hamlet);
	if (k < v->m->nhamlets)
		group_add(v, &p->by_hamlet[k], r, sizing);
}

static void
count_dialogue(vw_period *p, const ck_dialogue *dl, ck_value *view)
{
	p->dfig[D_HELD]++;
	if (dl->attendance > 0)
		p->dfig[D_ATTENDANCE] += dl->attendance;
	if (dl->has_conclusion && !dl->conclusion_late)
		p->dfig[D_CONCL_ON_TIME]++;
	else if (dl->has_conclusion)
		p->dfig[D_CONCL_LATE]++;
	else if (dl->conclusion_overdue)
		p->dfig[D_CONCL_OVERDUE]++;
	else
		p->dfig[D_CONCL_AWAITED]++;
	p->dfig[D_DIRECTIVES] += (long)dl->ndirectives;
	p->dfig[D_DIRECTIVES_DONE] += (long)dl->ndirectives_done;
	ck_value_push(p->dialogues, view);
}

/* Makes every list of p exactly as long as the sizing pass counted. */
static void
reserve_lists(ck_views *v, vw_period *p)
{
	const ck_model *m = v->m;
	vw_group *sets[] = {p->fig, p->by_channel, p->by_topic, p->by_hamlet};
	size_t lens[] = {F_COUNT, NCHANNELS, m->ntopics, m->nhamlets};
	size_t s, k;

	for (s = 0; s < 4; s++)
		for (k = 0; k < lens[s]; k++) {
			vw_refs_reserve(v->a, &sets[s][k].refs,
			                (size_t)sets[s][k].count);
			sets[s][k].count = 0;
		}
}

/* Every question received by today, in the lists' order (dialogues
 * newest first, then by id), into its quarter and its year. */
static void
count_questions(ck_views *v, vw_periods *ps, bool sizing)
{
	const ck_model *m = v->m;
	size_t i, k;
	int q;

	for (i = 0; i < m->ndialogues; i++) {
		const ck_dialogue *dl = v->dnewest[i].d;

		for (k = 0; k < dl->nquestions; k++) {
			const vw_qref *r = vw_qref_find(v, dl->questions[k]);

			if (r == NULL || r->q->received > m->today)
				continue;
			q = ck_quarter_of(r->q->received) - ps->qmin;
			count_question(v, ps->by_q[q], r, sizing);
			count_question(
			    v, ps->by_y[(q + ps->qmin) / 4 - ps->qmin / 4], r,
			    sizing);
		}
	}
}

static void
count_all(ck_views *v, vw_periods *ps)
{
	const ck_model *m = v->m;
	size_t i;
	int q;

	for (i = 0; i < m->ndialogues; i++) {
		const ck_dialogue *dl = v->dnewest[i].d;

		if (dl->date != CK_NODAY && dl->date <= m->today &&
		    (dl->status == CK_DLG_HELD ||
		     dl->status == CK_DLG_CONCLUDED)) {
			q = ck_quarter_of(dl->date) - ps->qmin;
			count_dialogue(ps->by_q[q], dl, v->dnewest[i].view);
			count_dialogue(
			    ps->by_y[(q + ps->qmin) / 4 - ps->qmin / 4], dl,
			    v->dnewest[i].view);
		}
	}
	/*
	 * A province's reports list each question ~25 times: the lists are
	 * counted first and made at their size, then filled.
	 */
	count_questions(v, ps, true);
	for (i = 0; i < ps->n; i++)
		reserve_lists(v, &ps->v[i]);
	count_questions(v, ps, false);
}

/* Whole percent of part in whole, rounded; 0 when whole is 0. */
static long
percent(long part, long whole)
{
	return whole > 0 ? (part * 200 + whole) / (whole * 2) : 0;
}

/* The report's folder for p. */
static const char *
period_dir(ck_views *v, const vw_period *p)
{
	return ck_arena_printf(v->a, "bao-cao/%s", p->id);
}

/*
 * A figure's row: {key, label, count, path (its list, null when empty),
 * pct (of `whole`), bar (0..100, of `max`)}; sets up its list group.
 */
static ck_value *
figure_row(ck_views *v, const vw_period *p, vw_group *g, const char *key,
           ck_value *label, const char *slug, long whole, long max)
{
	ck_value *row = ck_value_map(v->a);
	const char *dir =
	    ck_arena_printf(v->a, "%s/%s", period_dir(v, p), slug);

	ck_value_set_str(row, "key", key);
	ck_value_set(row, "label", label);
	ck_value_set_int(row, "count", g->count);
	ck_value_set(
	    row, "path",
	    g->count ? ck_value_str(v->a,
	                            ck_arena_printf(v->a, "%s/index.html", dir))
	             : v->vnull);
	ck_value_set_int(row, "pct", percent(g->count, whole));
	ck_value_set_int(row, "bar", percent(g->count, max));
	/* The list page's group. */
	ck_value_set(g->map, "label", label);
	ck_value_set_str(g->map, "period_title", p->title);
	ck_value_set_str(
	    g->map, "period_path",
	    ck_arena_printf(v->a, "%s/index.html", period_dir(v, p)));
	ck_value_set_str(g->map, "dir", dir);
	ck_value_set_int(g->map, "count", g->count);
	ck_value_set_int(g->map, "open_count", g->open);
	ck_value_set_int(g->map, "closed_count", g->count - g->open);
	ck_value_set_int(g->map, "late_count", g->late);
	ck_value_set(g->map, "has_questions", vw_bool(v, g->count > 0));
	ck_value_set(g->map, "has_late", vw_bool(v, g->late > 0));
	return row;
}

/* The theme's label for a report figure, or the fixed one. */
static ck_value *
report_label(ck_views *v, const char *key, const char *fixed)
{
	ck_value *s = ck_value_get(ck_value_get(v->labels, "report"), key);

	return ck_value_kind(s) == CK_VSTRING ? s
	                                      : ck_value_str_ref(v->a, fixed);
}

static long
max_count(const vw_group *g, size_t n)
{
	long max = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (g[i].count > max)
			max = g[i].count;
	return max;
}

/* A breakdown (by channel, topic or hamlet): rows, largest bar full. */
static ck_value *
breakdown(ck_views *v, const vw_period *p, vw_group *g, size_t n,
          const char *prefix, const char *const *ids, ck_value **labels)
{
	ck_value *l = ck_value_list(v->a);
	long whole = p->fig[F_RECEIVED].count, max = max_count(g, n);
	size_t i;

	for (i = 0; i < n; i++) {
		ck_value *row = figure_row(
		    v, p, &g[i], ids[i], labels[i],
		    ck_arena_printf(v->a, "%s-%s", prefix, slugify(v, ids[i])),
		    whole, max);

		ck_value_set(row, "nonzero", vw_bool(v, g[i].count > 0));
		ck_value_push(l, row);
	}
	return l;
}

/* The page and data values of period p. */
static ck_value *
period_values(ck_views *v, const vw_periods *ps, vw_period *p)
{
	const ck_model *m = v->m;
	ck_value *r = ck_value_map(v->a), *l, **labels;
	const char **ids;
	long whole = p->fig[F_RECEIVED].count;
	size_t i, n;

	ck_value_set_str(r, "id", p->id);
	ck_value_set_str(r, "title", p->title);
	ck_value_set_str(r, "kind", p->is_year ? "year" : "quarter");
	ck_value_set(r, "is_year", vw_bool(v, p->is_year));
	ck_value_set(r, "first_d", vw_day_map(v, p->first));
	ck_value_set(r, "last_d", vw_day_map(v, p->last));
	ck_value_set(r, "complete", vw_bool(v, p->last < m->today));
	ck_value_set_str(
	    r, "path",
	    ck_arena_printf(v->a, "%s/index.html", period_dir(v, p)));
	ck_value_set_str(r, "json",
	                 ck_arena_printf(v->a, "data/bao-cao/%s.json", p->id));
	ck_value_set_str(r, "csv",
	                 ck_arena_printf(v->a, "data/bao-cao/%s.csv", p->id));

	l = ck_value_list(v->a);
	for (i = 0; i < F_COUNT; i++) {
		ck_value *row = figure_row(
		    v, p, &p->fig[i], figures[i].key,
		    report_label(v, figures[i].key, figures[i].label),
		    figures[i].slug, whole, whole);

		/* Parts of another figure are indented by the theme. */
		ck_value_set(
		    row, "sub",
		    vw_bool(v, i == F_ANSWER_OVERDUE || i == F_ESC_REPLIED));
		ck_value_push(l, row);
	}
	ck_value_set(r, "figures", l);

	labels = ck_arena_alloc(v->a, NCHANNELS * sizeof(*labels));
	for (i = 0; i < NCHANNELS; i++)
		labels[i] = vw_label(v, "channel", channels[i]);
	ck_value_set(r, "by_channel",
	             breakdown(v, p, p->by_channel, NCHANNELS, "kenh", channels,
	                       labels));
	n = m->ntopics > m->nhamlets ? m->ntopics : m->nhamlets;
	ids = ck_arena_alloc(v->a, (n + 1) * sizeof(*ids));
	labels = ck_arena_alloc(v->a, (n + 1) * sizeof(*labels));
	for (i = 0; i < m->ntopics; i++) {
		ids[i] = m->topics[i].id;
		labels[i] = ck_value_str_ref(v->a, m->topics[i].name);
	}
	ck_value_set(
	    r, "by_topic",
	    breakdown(v, p, p->by_topic, m->ntopics, "linh-vuc", ids, labels));
	for (i = 0; i < m->nhamlets; i++) {
		ids[i] = m->hamlets[i].id;
		labels[i] = ck_value_str_ref(v->a, m->hamlets[i].name);
	}
	ck_value_set(
	    r, "by_hamlet",
	    breakdown(v, p, p->by_hamlet, m->nhamlets, "thon", ids, labels));

	l = ck_value_list(v->a);
	for (i = 0; i < D_COUNT; i++) {
		ck_value *row = ck_value_map(v->a);

		ck_value_set_str(row, "key", dfigures[i].key);
		ck_value_set(
		    row, "label",
		    report_label(v, dfigures[i].key, dfigures[i].label));
		ck_value_set_int(row, "count", p->dfig[i]);
		/* Conclusions are shares of the dialogues held, directives
		 * done of the directives. */
		ck_value_set_int(
		    row, "pct",
		    i == D_DIRECTIVES_DONE
		        ? percent(p->dfig[i], p->dfig[D_DIRECTIVES])
		    : i >= D_CONCL_ON_TIME && i < D_DIRECTIVES
		        ? percent(p->dfig[i], p->dfig[D_HELD])
		        : 100);
		ck_value_set(
		    row, "is_conclusion",
		    vw_bool(v, i >= D_CONCL_ON_TIME && i < D_DIRECTIVES));
		ck_value_push(l, row);
	}
	ck_value_set(r, "dialogue_figures", l);
	ck_value_set(r, "dialogues", p->dialogues);
	ck_value_set(r, "has_dialogues",
	             vw_bool(v, ck_value_len(p->dialogues) > 0));

	/* A year's quarters, oldest first. */
	l = ck_value_list(v->a);
	for (i = 0; p->is_year && i < 4; i++) {
		int qi = p->num * 4 + (int)i;
		const vw_period *qp;
		ck_value *x;

		if (qi < ps->qmin || qi >= ps->qmin + (int)ps->nq ||
		    (qp = ps->by_q[qi - ps->qmin]) == NULL)
			continue;
		x = ck_value_map(v->a);
		ck_value_set_str(x, "title", qp->title);
		ck_value_set_str(
		    x, "path",
		    ck_arena_printf(v->a, "bao-cao/%s/index.html", qp->id));
		ck_value_set_int(x, "received", qp->fig[F_RECEIVED].count);
		ck_value_set_int(x, "held", qp->dfig[D_HELD]);
		ck_value_push(l, x);
	}
	ck_value_set(r, "quarters", l);
	ck_value_set(r, "has_quarters", vw_bool(v, ck_value_len(l) > 0));
	return r;
}

/* data/bao-cao/<id>.json: {as_of, period, dialogues, questions}. */
static void
write_json(ck_views *v, const vw_period *p)
{
	const ck_model *m = v->m;
	ck_value *root = ck_value_map(v->a), *x = ck_value_map(v->a), *l;
	ck_buf out = CK_BUF_INIT;
	size_t i;

	ck_value_set(root, "as_of", vw_day_iso(v, v->as_of));
	ck_value_set_str(x, "id", p->id);
	ck_value_set_str(x, "kind", p->is_year ? "year" : "quarter");
	ck_value_set_str(x, "title", p->title);
	ck_value_set(x, "first", vw_day_iso(v, p->first));
	ck_value_set(x, "last", vw_day_iso(v, p->last));
	ck_value_set(root, "period", x);
	x = ck_value_map(v->a);
	for (i = 0; i < D_COUNT; i++)
		ck_value_set_int(x, dfigures[i].key, p->dfig[i]);
	ck_value_set(root, "dialogues", x);
	x = ck_value_map(v->a);
	for (i = 0; i < F_COUNT; i++)
		ck_value_set_int(x, figures[i].key, p->fig[i].count);
	l = ck_value_list(v->a);
	for (i = 0; i < NCHANNELS; i++) {
		ck_value *y = ck_value_map(v->a);

		ck_value_set_str(y, "id", channels[i]);
		ck_value_set_str(y, "name", channel_labels[i]);
		ck_value_set_int(y, "count", p->by_channel[i].count);
		ck_value_push(l, y);
	}
	ck_value_set(x, "by_channel", l);
	l = ck_value_list(v->a);
	for (i = 0; i < m->ntopics; i++) {
		ck_value *y = ck_value_map(v->a);

		ck_value_set_str(y, "id", m->topics[i].id);
		ck_value_set_str(y, "name", m->topics[i].name);
		ck_value_set_int(y, "count", p->by_topic[i].count);
		ck_value_push(l, y);
	}
	ck_value_set(x, "by_topic", l);
	l = ck_value_list(v->a);
	for (i = 0; i < m->nhamlets; i++) {
		ck_value *y = ck_value_map(v->a);

		ck_value_set_str(y, "id", m->hamlets[i].id);
		ck_value_set_str(y, "name", m->hamlets[i].name);
		ck_value_set_int(y, "count", p->by_hamlet[i].count);
		ck_value_push(l, y);
	}
	ck_value_set(x, "by_hamlet", l);
	ck_value_set(root, "questions", x);
	ck_json_write(&out, root);
	ck_site_add_buf(v->site,
	                ck_arena_printf(v->a, "data/bao-cao/%s.json", p->id),
	                &out);
	ck_buf_free(&out);
}

static void
csv_row(ck_buf *out, const char *section, const char *id, const char *name,
        long count)
{
	vw_csv_field(out, section, strlen(section));
	ck_buf_putc(out, ',');
	vw_csv_field(out, id, strlen(id));
	ck_buf_putc(out, ',');
	vw_csv_field(out, name, strlen(name));
	ck_buf_printf(out, ",%ld\r\n", count);
}

/* data/bao-cao/<id>.csv: section,id,name,count; as questions.csv. */
static void
write_csv(ck_views *v, const vw_period *p)
{
	const ck_model *m = v->m;
	ck_buf out = CK_BUF_INIT;
	size_t i;

	ck_buf_puts(&out, "\xEF\xBB\xBFsection,id,name,count\r\n");
	for (i = 0; i < D_COUNT; i++)
		csv_row(&out, "dialogues", dfigures[i].key, dfigures[i].label,
		        p->dfig[i]);
	for (i = 0; i < F_COUNT; i++)
		csv_row(&out, "questions", figures[i].key, figures[i].label,
		        p->fig[i].count);
	for (i = 0; i < NCHANNELS; i++)
		csv_row(&out, "channel", channels[i], channel_labels[i],
		        p->by_channel[i].count);
	for (i = 0; i < m->ntopics; i++)
		csv_row(&out, "topic", m->topics[i].id, m->topics[i].name,
		        p->by_topic[i].count);
	for (i = 0; i < m->nhamlets; i++)
		csv_row(&out, "hamlet", m->hamlets[i].id, m->hamlets[i].name,
		        p->by_hamlet[i].count);
	ck_site_add_buf(
	    v->site, ck_arena_printf(v->a, "data/bao-cao/%s.csv", p->id), &out);
	ck_buf_free(&out);
}

/* The coverage table's values, or null without a commitment. */
static ck_value *
coverage_values(ck_views *v, const vw_periods *ps)
{
	const ck_model *m = v->m;
	ck_coverage c;
	ck_value *r, *quarters, *rows, *jroot, *jq, *jh, *jx;
	ck_buf out = CK_BUF_INIT;
	size_t h, k;
	long missed = 0;
	static const char *const states[] = {"met", "not_yet", "missed"};

	if (ck_coverage_compute(&c, v->a, m) != 0)
		return v->vnull;
	r = ck_value_map(v->a);
	quarters = ck_value_list(v->a);
	/* The open data's copy: data/bao-cao/thon-theo-quy.json. */
	jroot = ck_value_map(v->a);
	jq = ck_value_list(v->a);
	jh = ck_value_list(v->a);
	ck_value_set(jroot, "as_of", vw_day_iso(v, v->as_of));
	ck_value_set_str(jroot, "kind", "hamlet_meeting");
	ck_value_set_str(jroot, "per", "quarter");
	for (k = 0; k < c.nquarters; k++) {
		int qi = c.first + (int)k;
		ck_value *x = ck_value_map(v->a);
		const vw_period *qp =
		    qi >= ps->qmin && qi < ps->qmin + (int)ps->nq
		        ? ps->by_q[qi - ps->qmin]
		        : NULL;

		ck_value_set_str(x, "title", period_title(v, false, qi));
		jx = ck_value_map(v->a);
		ck_value_set_str(
		    jx, "id",
		    ck_arena_printf(v->a, "%d-q%d", qi / 4, qi % 4 + 1));
		ck_value_set(jx, "title", ck_value_get(x, "title"));
		ck_value_push(jq, jx);
		ck_value_set_str(
		    x, "short",
		    ck_arena_printf(v->a, "%s/%d", roman[qi % 4], qi / 4));
		ck_value_set_str(x, "roman", roman[qi % 4]);
		ck_value_set_int(x, "year", qi / 4);
		ck_value_set(
		    x, "path",
		    qp ? ck_value_str(
		             v->a, ck_arena_printf(
		                       v->a, "bao-cao/%s/index.html", qp->id))
		       : v->vnull);
		ck_value_push(quarters, x);
	}
	rows = ck_value_list(v->a);
	for (h = 0; h < m->nhamlets; h++) {
		ck_value *row = ck_value_map(v->a),
		         *cells = ck_value_list(v->a),
		         *jrow = ck_value_map(v->a),
		         *jcells = ck_value_list(v->a);
		long hm = 0;

		ck_value_set_str(row, "id", m->hamlets[h].id);
		ck_value_set_str(row, "name", m->hamlets[h].name);
		ck_value_set_str(row, "path",
		                 ck_arena_printf(v->a, "thon/%s/index.html",
		                                 m->hamlets[h].id));
		for (k = 0; k < c.nquarters; k++) {
			ck_cov_state st = c.cells[h * c.nquarters + k];
			const ck_dialogue *dl = c.met_by[h * c.nquarters + k];
			ck_value *x = ck_value_map(v->a);

			jx = ck_value_map(v->a);
			ck_value_set_str(
			    jx, "quarter",
			    ck_arena_printf(v->a, "%d-q%d",
			                    (c.first + (int)k) / 4,
			                    (c.first + (int)k) % 4 + 1));
			ck_value_set_str(jx, "state", states[st]);
			ck_value_set(jx, "dialogue",
			             dl ? ck_value_str_ref(v->a, dl->slug)
			                : v->vnull);
			ck_value_push(jcells, jx);
			ck_value_set(x, "is_met", vw_bool(v, st == CK_COV_MET));
			ck_value_set(x, "is_missed",
			             vw_bool(v, st == CK_COV_MISSED));
			ck_value_set(x, "is_not_yet",
			             vw_bool(v, st == CK_COV_NOT_YET));
			ck_value_set_str(
			    x, "quarter",
			    period_title(v, false, c.first + (int)k));
			if (dl) {
				ck_value *d = ck_value_map(v->a);

				ck_value_set_str(d, "title", dl->title);
				ck_value_set_str(
				    d, "path",
				    ck_arena_printf(v->a,
				                    "doi-thoai/%s/index.html",
				                    dl->slug));
				ck_value_set(d, "date_d",
				             vw_day_map(v, dl->date));
				ck_value_set(x, "dialogue", d);
			} else {
				ck_value_set(x, "dialogue", v->vnull);
			}
			if (st == CK_COV_MISSED)
				hm++;
			ck_value_push(cells, x);
		}
		ck_value_set(row, "cells", cells);
		ck_value_set_str(jrow, "id", m->hamlets[h].id);
		ck_value_set_str(jrow, "name", m->hamlets[h].name);
		ck_value_set_int(jrow, "missed", hm);
		ck_value_set(jrow, "quarters", jcells);
		ck_value_push(jh, jrow);
		ck_value_set_int(row, "missed", hm);
		ck_value_set(row, "has_missed", vw_bool(v, hm > 0));
		missed += hm;
		ck_value_push(rows, row);
	}
	ck_value_set(r, "quarters", quarters);
	ck_value_set(r, "rows", rows);
	ck_value_set_int(r, "missed", missed);
	ck_value_set(r, "has_missed", vw_bool(v, missed > 0));
	ck_value_set_str(r, "path", "bao-cao/thon-theo-quy/index.html");
	ck_value_set_str(r, "json", "data/bao-cao/thon-theo-quy.json");
	ck_value_set(jroot, "quarters", jq);
	ck_value_set(jroot, "hamlets", jh);
	ck_json_write(&out, jroot);
	ck_site_add_buf(v->site, "data/bao-cao/thon-theo-quy.json", &out);
	ck_buf_free(&out);
	return r;
}

typedef struct {
	vw_page *v;
	size_t n;
} vw_page_list;

/* Page i of arg (a vw_page_list; a vw_page_fn): made beforehand. */
static void
ready_page(ck_views *wv, size_t i, vw_page *page, const void *arg)
{
	*page = ((const vw_page_list *)arg)->v[i];
}

static void
add_page(ck_views *v, vw_page_list *pl, const char *tmpl, ck_value *ctx,
         const char *path)
{
	pl->v[pl->n].tmpl = tmpl;
	pl->v[pl->n].ctx = ctx;
	pl->v[pl->n].path = path;
	pl->n++;
}

static ck_value *
canonical(ck_views *v, const char *dir)
{
	return ck_value_str(
	    v->a, ck_arena_printf(v->a, "%s%s/", v->m->base_url, dir));
}

static int render_reports(ck_views *v);

/*
 * The reports' periods, figures and lists are made in an arena of their
 * own, freed once their pages are out: a province's lists hold every
 * question many times over, and nothing after the reports reads them.
 */
int
vw_render_reports(ck_views *v)
{
	ck_arena *build = v->a;
	int rc;

	v->a = ck_arena_new();
	rc = render_reports(v);
	ck_arena_free(v->a);
	v->a = build;
	return rc;
}

static int
render_reports(ck_views *v)
{
	const ck_model *m = v->m;
	vw_periods ps;
	vw_page_list pl;
	ck_value *index = ck_value_list(v->a), *years = NULL, *cov, *c;
	vw_group **groups;
	const char **dirs;
	size_t i, k, ng = 0, per;

	find_periods(v, &ps);
	if (ps.n > 0)
		count_all(v, &ps);
	cov = coverage_values(v, &ps);

	pl.v = ck_arena_alloc(v->a, (ps.n + 2) * sizeof(*pl.v));
	pl.n = 0;
	per = F_COUNT + NCHANNELS + m->ntopics + m->nhamlets;
	groups = ck_arena_alloc(v->a, (ps.n * per + 1) * sizeof(*groups));
	dirs = ck_arena_alloc(v->a, (ps.n * per + 1) * sizeof(*dirs));
	for (i = 0; i < ps.n; i++) {
		vw_period *p = &ps.v[i];
		ck_value *r = period_values(v, &ps, p), *x;

		c = vw_page_ctx(v, 2, "report", canonical(v, period_dir(v, p)));
		ck_value_set(c, "report", r);
		add_page(
		    v, &pl, "report", c,
		    ck_arena_printf(v->a, "%s/index.html", period_dir(v, p)));
		write_json(v, p);
		write_csv(v, p);

		/* The lists of the figures that count anything. */
		for (k = 0; k < per; k++) {
			vw_group *g =
			    k < F_COUNT ? &p->fig[k]
			    : k < F_COUNT + NCHANNELS
			        ? &p->by_channel[k - F_COUNT]
			    : k < F_COUNT + NCHANNELS + m->ntopics
			        ? &p->by_topic[k - F_COUNT - NCHANNELS]
			        : &p->by_hamlet[k - F_COUNT - NCHANNELS -
			                        m->ntopics];

			if (g->count == 0)
				continue;
			groups[ng] = g;
			dirs[ng] =
			    ck_value_get_str(ck_value_get(g->map, "dir"), NULL);
			ng++;
		}

		x = ck_value_map(v->a);
		ck_value_set_str(x, "title", p->title);
		ck_value_set_str(x, "id", p->id);
		ck_value_set(x, "path", ck_value_get(r, "path"));
		ck_value_set_int(x, "received", p->fig[F_RECEIVED].count);
		ck_value_set_int(x, "held", p->dfig[D_HELD]);
		if (p->is_year) {
			years = ck_value_list(v->a);
			ck_value_set(x, "quarters", years);
			ck_value_push(index, x);
		} else if (years) {
			ck_value_push(years, x);
		}
	}

	c = vw_page_ctx(v, 1, "reports", canonical(v, "bao-cao"));
	ck_value_set(c, "years", index);
	ck_value_set(c, "has_years", vw_bool(v, ck_value_len(index) > 0));
	ck_value_set(c, "coverage", cov);
	add_page(v, &pl, "reports", c, "bao-cao/index.html");
	if (ck_value_kind(cov) != CK_VNULL) {
		c = vw_page_ctx(v, 2, "coverage",
		                canonical(v, "bao-cao/thon-theo-quy"));
		ck_value_set(c, "coverage", cov);
		add_page(v, &pl, "coverage", c,
		         "bao-cao/thon-theo-quy/index.html");
	}
	if (vw_render_all(v, pl.n, ready_page, &pl) != 0)
		return -1;
	return vw_render_group_lists(v, "report_list", "report_list", groups,
	                             dirs, ng);
}
