/*
 * summary.c — the figures of a period's report on the one-stop shop and
 * the half-year report written from them (docs/reports.md): JSON over
 * the API, and a Markdown document from a template the province may
 * edit, for the CLI.
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/embed.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "api/api.h"
#include "api/reports.h"
#include "api/util.h"
#include "app.h"
#include "domain/index766.h"
#include "render/chart.h"
#include "render/report_pdf.h"

#include <stddef.h>

int mc_sum_build(struct mc_conn *c, struct mc_ix_scope *scope,
		 struct mc_sum_report *rep, struct mc_err *err)
{
	int rc;

	if ((rc = mc_ix_build(c, scope, &rep->ix, err)) ||
	    (rc = mc_summary_count(c, scope, &rep->s, err)))
		return rc;
	return mc_unit_heading(c, rep->ix.unit.id, &rep->heading, err);
}

static json_t *level_json(const struct mc_sum_level *l)
{
	return json_pack("{s:I, s:I, s:o, s:I, s:I, s:o, s:I, s:o, s:I}",
		"received", (json_int_t)l->received, "online",
		(json_int_t)l->online, "online_rate",
		mc_api_percent(l->online, l->received), "resolved",
		(json_int_t)l->resolved, "on_time", (json_int_t)l->on_time,
		"on_time_rate", mc_api_percent(l->on_time, l->resolved),
		"digitized", (json_int_t)l->digitized, "digitized_rate",
		mc_api_percent(l->digitized, l->received), "agencies",
		(json_int_t)l->agencies);
}

json_t *mc_sum_json(const struct mc_sum_report *rep)
{
	const struct mc_summary *s = &rep->s;
	json_t *levels = json_object(), *fb = json_object(), *ix, *o;
	char f[11], l[11];
	size_t k;

	for (k = 0; k < MC_SUM_LEVELS; k++)
		json_object_set_new(levels, mc_sum_levels[k],
				    level_json(&s->level[k]));
	for (k = 0; k < MC_ARRAY_SIZE(mc_sum_channels); k++)
		json_object_set_new(fb, mc_sum_channels[k], json_integer(
			(json_int_t)s->feedback_channel[k]));
	json_object_set_new(fb, "total", json_integer((json_int_t)s->feedback));
	ix = mc_ix_json(&rep->ix);
	o = json_pack("{s:{s:s, s:s}, s:s, s:s, s:{s:I, s:I}, s:o, s:o, s:o, "
		"s:{s:I, s:I, s:I, s:I, s:o, s:I}, s:{s:I}, s:{s:I, s:I, "
		"s:o}, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I}, s:O}",
		"unit", "code", rep->ix.unit.code, "name", rep->ix.unit.name,
		"from", mc_date_format(rep->ix.first, f, sizeof(f)), "to",
		mc_date_format(rep->ix.last, l, sizeof(l)), "catalog",
		"decisions", (json_int_t)s->decisions, "announced",
		(json_int_t)s->announced, "dossiers", level_json(&s->total),
		"levels", levels, "centre", level_json(&s->centre), "service", "on_the_spot",
		(json_int_t)s->on_the_spot, "postal_in",
		(json_int_t)s->postal_in, "postal_out",
		(json_int_t)s->postal_out, "reused", (json_int_t)s->reused,
		"reuse_rate", mc_api_percent(s->reused, s->total.received),
		"asked_again", (json_int_t)s->asked_again, "messages",
		"sms_sent", (json_int_t)s->sms, "ratings", "total",
		(json_int_t)s->ratings, "satisfied", (json_int_t)s->satisfied,
		"satisfaction_rate", mc_api_percent(s->satisfied, s->ratings),
		"feedback", fb, "payments", "platform_count",
		(json_int_t)s->paid_platform, "platform_amount",
		(json_int_t)s->paid_platform_amount, "transfer_count",
		(json_int_t)s->paid_transfer, "transfer_amount",
		(json_int_t)s->paid_transfer_amount, "counter_count",
		(json_int_t)s->paid_counter, "counter_amount",
		(json_int_t)s->paid_counter_amount, "index766",
		json_object_get(ix, "total"));
	json_decref(ix);
	return o;
}

/* Vietnamese numbers: 58.000; 99,95%; 40.123.000 đồng. */

static const char *count_vi(int64_t v, char *buf, size_t n)
{
	char digits[24], *o = buf;
	size_t len, i;

	snprintf(digits, sizeof(digits), "%" PRId64, v < 0 ? -v : v);
	len = strlen(digits);
	if (v < 0 && (size_t)(o - buf) + 1 < n)
		*o++ = '-';
	for (i = 0; i < len && (size_t)(o - buf) + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			*o++ = '.';
		*o++ = digits[i];
	}
	*o = '\0';
	return buf;
}

static const char *pct_vi(int64_t part, int64_t whole, char *buf, size_t n)
{
	int64_t v = mc_ratio(part, whole, 10000);

	if (v < 0)
		snprintf(buf, n, "— (không phát sinh)");
	else
		snprintf(buf, n, "%" PRId64 ",%02d%%", v / 100,
			 (int)(v % 100));
	return buf;
}

static const char *money_vi(int64_t v, char *buf, size_t n)
{
	char num[40];

	snprintf(buf, n, "%s đồng", count_vi(v, num, sizeof(num)));
	return buf;
}

static const char *points_vi(int v, char *buf, size_t n)
{
	if (v < 0)
		snprintf(buf, n, "—");
	else
		snprintf(buf, n, "%d,%02d", v / 100, v % 100);
	return buf;
}

/*
 * The figures a template may name, as offsets of int64_t counts: in
 * struct mc_summary (FIG_*), or in one struct mc_sum_level of the level
 * its prefix names (LEV_*). 'b' is the second operand: subtracted (LESS),
 * added (PLUS, MONEY), or the whole (RATE); NONE when there is none.
 */
enum fig_kind { COUNT, LESS, PLUS, RATE, MONEY };

struct figure {
	const char *key;
	enum fig_kind kind;
	size_t a, b;
};

#define NONE SIZE_MAX
#define S(f) offsetof(struct mc_summary, f)
#define L(f) offsetof(struct mc_sum_level, f)

static const struct figure summary_figures[] = {
	{ "catalog.decisions", COUNT, S(decisions), NONE },
	{ "catalog.announced", COUNT, S(announced), NONE },
	{ "feedback.total", COUNT, S(feedback), NONE },
	{ "feedback.portal", COUNT, S(feedback_channel[0]), NONE },
	{ "feedback.letter", COUNT, S(feedback_channel[1]), NONE },
	{ "feedback.hotline", COUNT, S(feedback_channel[2]), NONE },
	{ "feedback.counter", COUNT, S(feedback_channel[3]), NONE },
	{ "feedback.web", COUNT, S(feedback_channel[4]), NONE },
	{ "feedback.other", LESS, S(feedback), S(feedback_channel[0]) },
	{ "dossiers.on_the_spot", COUNT, S(on_the_spot), NONE },
	{ "dossiers.postal_in", COUNT, S(postal_in), NONE },
	{ "dossiers.postal_out", COUNT, S(postal_out), NONE },
	{ "ratings.total", COUNT, S(ratings), NONE },
	{ "ratings.satisfaction_rate", RATE, S(satisfied), S(ratings) },
	{ "sms.sent", COUNT, S(sms), NONE },
	{ "payments.online_count", PLUS, S(paid_platform), S(paid_transfer) },
	{ "payments.online_amount", MONEY, S(paid_platform_amount),
	  S(paid_transfer_amount) },
	{ "payments.platform_count", COUNT, S(paid_platform), NONE },
	{ "payments.platform_amount", MONEY, S(paid_platform_amount), NONE },
	{ "payments.transfer_count", COUNT, S(paid_transfer), NONE },
	{ "payments.transfer_amount", MONEY, S(paid_transfer_amount), NONE },
	{ "reuse.dossiers", COUNT, S(reused), NONE },
	{ "reuse.rate", RATE, S(reused), S(total.received) },
	{ "reuse.asked_again", COUNT, S(asked_again), NONE },
};

/*
 * After "dossiers." (the total), "centre.", "province.", "district.",
 * "commune.".
 */
static const struct figure level_figures[] = {
	{ "received", COUNT, L(received), NONE },
	{ "online", COUNT, L(online), NONE },
	{ "resolved", COUNT, L(resolved), NONE },
	{ "agencies", COUNT, L(agencies), NONE },
	{ "on_time_rate", RATE, L(on_time), L(resolved) },
	{ "online_rate", RATE, L(online), L(received) },
	{ "digitized_rate", RATE, L(digitized), L(received) },
};

#undef S
#undef L

/* Figure 'f' of the counts at 'base', in Vietnamese, into 'buf'. */
static const char *figure_vi(const struct figure *f, const void *base,
			     char *buf, size_t n)
{
	const char *p = base;
	int64_t a, b;

	memcpy(&a, p + f->a, sizeof(a));
	b = 0;
	if (f->b != NONE)
		memcpy(&b, p + f->b, sizeof(b));
	switch (f->kind) {
	case LESS:
		return count_vi(a - b, buf, n);
	case PLUS:
		return count_vi(a + b, buf, n);
	case RATE:
		return pct_vi(a, b, buf, n);
	case MONEY:
		return money_vi(a + b, buf, n);
	case COUNT:
		break;
	}
	return count_vi(a, buf, n);
}

/* The value of placeholder 'key' into 'buf'; NULL if there is none. */
static const char *value(const struct mc_sum_report *rep, const char *key,
			 int64_t today, char *buf, size_t n)
{
	const struct mc_summary *s = &rep->s;
	const struct mc_sum_level *l = NULL;
	const char *dot = strchr(key, '.');
	struct mc_ymd t = mc_ymd_from_days(mc_local_day(today)), f;
	size_t k;

	for (k = 0; k < MC_ARRAY_SIZE(summary_figures); k++)
		if (!strcmp(key, summary_figures[k].key))
			return figure_vi(&summary_figures[k], s, buf, n);
	if (dot && (size_t)(dot - key) == 8 && !strncmp(key, "dossiers", 8))
		l = &s->total;
	if (dot && (size_t)(dot - key) == 6 && !strncmp(key, "centre", 6))
		l = &s->centre;
	for (k = 0; dot && k < MC_SUM_LEVELS; k++)
		if ((size_t)(dot - key) == strlen(mc_sum_levels[k]) &&
		    !strncmp(key, mc_sum_levels[k], (size_t)(dot - key)))
			l = &s->level[k];
	for (k = 0; l && k < MC_ARRAY_SIZE(level_figures); k++)
		if (!strcmp(dot + 1, level_figures[k].key))
			return figure_vi(&level_figures[k], l, buf, n);
	if (!strcmp(key, "place"))
		return snprintf(buf, n, "%s", rep->heading.place[0] ?
				rep->heading.place : "…"), buf;
	if (!strcmp(key, "today.day"))
		return snprintf(buf, n, "%02d", t.day), buf;
	if (!strcmp(key, "today.month"))
		return snprintf(buf, n, "%d", t.month), buf;
	if (!strcmp(key, "today.year"))
		return snprintf(buf, n, "%d", t.year), buf;
	if (!strcmp(key, "unit.name"))
		return rep->heading.issuer[0] ? rep->heading.issuer :
			rep->ix.unit.name;
	if (!strcmp(key, "unit.governing"))
		return rep->heading.governing;
	if (!strcmp(key, "period.title"))
		return rep->title;
	if (!strcmp(key, "period.from") || !strcmp(key, "period.to")) {
		f = mc_ymd_from_days(key[7] == 'f' ? rep->ix.first :
				     rep->ix.last);
		return snprintf(buf, n, "%02d/%02d/%d", f.day, f.month,
				f.year), buf;
	}
	if (!strcmp(key, "index766.points"))
		return points_vi(rep->ix.points, buf, n);
	if (!strcmp(key, "index766.max"))
		return points_vi(rep->ix.max, buf, n);
	if (!strcmp(key, "index766.score"))
		return points_vi(rep->ix.score, buf, n);
	return NULL;
}

int mc_sum_render(const struct mc_sum_report *rep, const char *tmpl,
		  int64_t today, struct mc_buf *out, struct mc_err *err)
{
	const char *p = tmpl, *open, *close;
	char key[64], buf[256];
	const char *v;
	int line = 1;

	while ((open = strstr(p, "{{"))) {
		if (mc_buf_add(out, p, (size_t)(open - p)))
			return mc_error(err, MC_ETOOBIG, "too large");
		for (; p < open; p++)
			line += *p == '\n';
		close = strstr(open + 2, "}}");
		if (!close || (size_t)(close - open - 2) >= sizeof(key))
			return mc_err_field(err, "template", "syntax", "line "
					    "%d: \"{{\" without its \"}}\"",
					    line);
		memcpy(key, open + 2, (size_t)(close - open - 2));
		key[close - open - 2] = '\0';
		if (!(v = value(rep, key, today, buf, sizeof(buf))))
			return mc_err_field(err, "template", "unknown", "line "
					    "%d: no figure called \"%s\" "
					    "(docs/reports.md lists them)",
					    line, key);
		if (mc_buf_adds(out, v))
			return mc_error(err, MC_ETOOBIG, "too large");
		p = close + 2;
	}
	return mc_buf_adds(out, p) ? mc_error(err, MC_ETOOBIG, "too large")
		: 0;
}

const char *const mc_sum_chart_names[] = { "online_by_level",
	"on_time_by_level", "digitized_by_level", "index766", NULL };

/* A rate bar of level 'l': 'part' of 'whole' (offsets in it). */
static void rate_bar(struct mc_chart *c, const char *label,
		     const struct mc_sum_level *l, size_t part, size_t whole)
{
	const char *p = (const char *)l;
	int64_t a, b;
	char text[48];

	memcpy(&a, p + part, sizeof(a));
	memcpy(&b, p + whole, sizeof(b));
	pct_vi(a, b, text, sizeof(text));
	if (b <= 0)
		snprintf(text, sizeof(text), "—");
	mc_chart_add(c, label, b > 0 ? (double)a / (double)b : -1, 1, text);
}

bool mc_sum_chart(const struct mc_sum_report *rep, const char *name,
		  struct mc_chart *out)
{
	static const char *const level_names[MC_SUM_LEVELS] = {
		"Cấp tỉnh", "Cấp huyện", "Cấp xã" };
	const struct mc_summary *s = &rep->s;
	size_t part, whole;
	char text[48];
	int k;

	memset(out, 0, sizeof(*out));
	if (!strcmp(name, "index766")) {
		snprintf(out->title, sizeof(out->title), "Bộ chỉ số 766: điểm "
			 "theo nhóm chỉ số (trên điểm tối đa tính được)");
		for (k = 0; k < MC_IX_GROUPS; k++) {
			char p[16], m[16];

			snprintf(text, sizeof(text), "%s/%s",
				 points_vi(rep->ix.group_points[k], p,
					   sizeof(p)),
				 points_vi(rep->ix.group_max[k], m, sizeof(m)));
			mc_chart_add(out, mc_ix_groups[k].name,
				     rep->ix.group_max[k] > 0 ?
				     rep->ix.group_points[k] : -1,
				     rep->ix.group_max[k], text);
		}
		points_vi(rep->ix.score, text, sizeof(text));
		mc_chart_add(out, "Tổng điểm (thang 100)", rep->ix.score, 10000,
			     text);
		return true;
	}
	if (!strcmp(name, "online_by_level")) {
		snprintf(out->title, sizeof(out->title), "Tỷ lệ hồ sơ tiếp "
			 "nhận trực tuyến");
		part = offsetof(struct mc_sum_level, online);
		whole = offsetof(struct mc_sum_level, received);
	} else if (!strcmp(name, "on_time_by_level")) {
		snprintf(out->title, sizeof(out->title), "Tỷ lệ hồ sơ giải "
			 "quyết trước hạn và đúng hạn");
		part = offsetof(struct mc_sum_level, on_time);
		whole = offsetof(struct mc_sum_level, resolved);
	} else if (!strcmp(name, "digitized_by_level")) {
		snprintf(out->title, sizeof(out->title), "Tỷ lệ hồ sơ được số "
			 "hóa thành phần hồ sơ, kết quả giải quyết");
		part = offsetof(struct mc_sum_level, digitized);
		whole = offsetof(struct mc_sum_level, received);
	} else {
		return false;
	}
	if (s->centre.received)
		rate_bar(out, "Trung tâm Phục vụ HCC", &s->centre, part, whole);
	for (k = 0; k < MC_SUM_LEVELS; k++)
		if (s->level[k].received)
			rate_bar(out, level_names[k], &s->level[k], part,
				 whole);
	rate_bar(out, "Chung", &s->total, part, whole);
	return true;
}

static bool chart_of(const char *name, struct mc_chart *out, void *arg)
{
	return mc_sum_chart(arg, name, out);
}

int mc_sum_pdf(const struct mc_sum_report *rep, const char *tmpl,
	       int64_t today, struct mc_buf *out, struct mc_err *err)
{
	struct mc_buf md = MC_BUF_INIT(4 << 20);
	struct mc_report_pdf r;
	char title[256];
	int rc;

	if ((rc = mc_sum_render(rep, tmpl, today, &md, err)))
		goto out;
	if (mc_buf_addc(&md, '\0')) {
		rc = mc_error(err, MC_ETOOBIG, "too large");
		goto out;
	}
	snprintf(title, sizeof(title), "Báo cáo %s", rep->title);
	memset(&r, 0, sizeof(r));
	r.governing = rep->heading.governing;
	r.issuer = rep->heading.issuer[0] ? rep->heading.issuer :
		   rep->ix.unit.name;
	r.number = "/BC";
	r.place = rep->heading.place;
	r.at = today;
	r.title = title;
	r.markdown = md.buf;
	r.chart = chart_of;
	r.arg = (void *)(uintptr_t)rep;
	rc = mc_report_pdf(&r, out, err);
out:
	mc_buf_release(&md);
	return rc;
}
