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
	o = json_pack("{s:{s:s, s:s}, s:s, s:s, s:{s:I, s:I}, s:o, s:o, "
		"s:{s:I, s:I, s:I, s:I, s:o, s:I}, s:{s:I}, s:{s:I, s:I, "
		"s:o}, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I}, s:O}",
		"unit", "code", rep->ix.unit.code, "name", rep->ix.unit.name,
		"from", mc_date_format(rep->ix.first, f, sizeof(f)), "to",
		mc_date_format(rep->ix.last, l, sizeof(l)), "catalog",
		"decisions", (json_int_t)s->decisions, "announced",
		(json_int_t)s->announced, "dossiers", level_json(&s->total),
		"levels", levels, "service", "on_the_spot",
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

/* The value of placeholder 'key' into 'buf'; NULL if there is none. */
static const char *value(const struct mc_sum_report *rep, const char *key,
			 int64_t today, char *buf, size_t n)
{
	const struct mc_summary *s = &rep->s;
	const struct mc_sum_level *l = NULL;
	const char *dot = strchr(key, '.');
	struct mc_ymd t = mc_ymd_from_days(mc_local_day(today)), f;
	size_t k;

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
	if (!strcmp(key, "catalog.decisions"))
		return count_vi(s->decisions, buf, n);
	if (!strcmp(key, "catalog.announced"))
		return count_vi(s->announced, buf, n);
	if (!strcmp(key, "feedback.total"))
		return count_vi(s->feedback, buf, n);
	if (!strcmp(key, "feedback.other"))
		return count_vi(s->feedback - s->feedback_channel[0], buf, n);
	for (k = 0; k < MC_ARRAY_SIZE(mc_sum_channels); k++)
		if (!strncmp(key, "feedback.", 9) &&
		    !strcmp(key + 9, mc_sum_channels[k]))
			return count_vi(s->feedback_channel[k], buf, n);
	if (dot && !strncmp(key, "dossiers.", 9)) {
		if (!strcmp(dot + 1, "on_the_spot"))
			return count_vi(s->on_the_spot, buf, n);
		if (!strcmp(dot + 1, "postal_in"))
			return count_vi(s->postal_in, buf, n);
		if (!strcmp(dot + 1, "postal_out"))
			return count_vi(s->postal_out, buf, n);
		l = &s->total;
	}
	for (k = 0; dot && k < MC_SUM_LEVELS; k++)
		if ((size_t)(dot - key) == strlen(mc_sum_levels[k]) &&
		    !strncmp(key, mc_sum_levels[k], (size_t)(dot - key)))
			l = &s->level[k];
	if (l) {
		dot++;
		if (!strcmp(dot, "received"))
			return count_vi(l->received, buf, n);
		if (!strcmp(dot, "online"))
			return count_vi(l->online, buf, n);
		if (!strcmp(dot, "resolved"))
			return count_vi(l->resolved, buf, n);
		if (!strcmp(dot, "agencies"))
			return count_vi(l->agencies, buf, n);
		if (!strcmp(dot, "on_time_rate"))
			return pct_vi(l->on_time, l->resolved, buf, n);
		if (!strcmp(dot, "online_rate"))
			return pct_vi(l->online, l->received, buf, n);
		if (!strcmp(dot, "digitized_rate"))
			return pct_vi(l->digitized, l->received, buf, n);
		return NULL;
	}
	if (!strcmp(key, "ratings.total"))
		return count_vi(s->ratings, buf, n);
	if (!strcmp(key, "ratings.satisfaction_rate"))
		return pct_vi(s->satisfied, s->ratings, buf, n);
	if (!strcmp(key, "sms.sent"))
		return count_vi(s->sms, buf, n);
	if (!strcmp(key, "payments.online_count"))
		return count_vi(s->paid_platform + s->paid_transfer, buf, n);
	if (!strcmp(key, "payments.online_amount"))
		return money_vi(s->paid_platform_amount +
				s->paid_transfer_amount, buf, n);
	if (!strcmp(key, "payments.platform_count"))
		return count_vi(s->paid_platform, buf, n);
	if (!strcmp(key, "payments.platform_amount"))
		return money_vi(s->paid_platform_amount, buf, n);
	if (!strcmp(key, "payments.transfer_count"))
		return count_vi(s->paid_transfer, buf, n);
	if (!strcmp(key, "payments.transfer_amount"))
		return money_vi(s->paid_transfer_amount, buf, n);
	if (!strcmp(key, "reuse.dossiers"))
		return count_vi(s->reused, buf, n);
	if (!strcmp(key, "reuse.rate"))
		return pct_vi(s->reused, s->total.received, buf, n);
	if (!strcmp(key, "reuse.asked_again"))
		return count_vi(s->asked_again, buf, n);
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
