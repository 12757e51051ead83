/*
 * index766.c — the 766 index over HTTP and for the CLI (docs/reports.md):
 * every indicator with its counts, rate and points, the groups and the
 * total, and the records behind any number.
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/parse.h"
#include "core/timeutil.h"
#include "api/api.h"
#include "api/reports.h"
#include "api/util.h"
#include "app.h"
#include "render/chart.h"

void mc_ix_setup(const struct mc_app *app, int64_t now,
		 struct mc_ix_report *rep, struct mc_ix_scope *scope)
{
	const struct mc_config *cfg = &app->cfg;

	memset(scope, 0, sizeof(*scope));
	rep->w = app->ix_weights;
	scope->cal = app->cal;
	scope->now = now;
	/* A collecting account or a payment platform (TTTT-a). */
	scope->province_collects = cfg->payment_account[0] ||
		cfg->payment_dvcqg_url[0] || cfg->payment_gateway_url[0];
	scope->portal = cfg->portal_url[0] != '\0';
}

int mc_ix_narrow(struct mc_ix_report *rep, const char *level,
		 const char *field, struct mc_err *err)
{
	if (level && strcmp(level, "province") && strcmp(level, "district") &&
	    strcmp(level, "commune"))
		return mc_err_field(err, "level", "enum", "must be province, "
				    "district or commune");
	if (field && (!*field || strlen(field) >= sizeof(rep->field)))
		return mc_err_field(err, "field", "length", "a field's name, "
				    "up to 255 characters");
	snprintf(rep->level, sizeof(rep->level), "%s", level ? level : "");
	snprintf(rep->field, sizeof(rep->field), "%s", field ? field : "");
	return 0;
}

int mc_ix_history(struct mc_ix_report *rep, const char *history,
		  struct mc_err *err)
{
	if (history && strcmp(history, "as_was") && strcmp(history, "mapped"))
		return mc_err_field(err, "history", "enum", "must be as_was "
				    "(units as they were) or mapped (merged "
				    "units counted in their successors)");
	rep->mapped = history && !strcmp(history, "mapped");
	return 0;
}

const char *mc_report_scope(const struct mc_unit *unit, bool mapped,
			    char *out, size_t n)
{
	snprintf(out, n, "%s%s", mapped ? "~" : "", mapped ?
		 unit->mapped_path : unit->path);
	return out;
}

/* What the store counts: the report's days, unit, level and field. */
static void scope_of(struct mc_ix_report *rep, struct mc_ix_scope *s)
{
	s->first = rep->first;
	s->last = rep->last;
	s->unit_path = mc_report_scope(&rep->unit, rep->mapped, rep->scope,
				       sizeof(rep->scope));
	s->level = rep->level[0] ? rep->level : NULL;
	s->field = rep->field[0] ? rep->field : NULL;
}

int mc_ix_build(struct mc_conn *c, struct mc_ix_scope *scope,
		struct mc_ix_report *rep, struct mc_err *err)
{
	int i, g, rc;

	scope_of(rep, scope);
	if ((rc = mc_ix_count_all(c, scope, rep->n, err)))
		return rc;
	rep->points = rep->max = 0;
	memset(rep->group_points, 0, sizeof(rep->group_points));
	memset(rep->group_max, 0, sizeof(rep->group_max));
	for (i = 0; i < MC_IX_COUNT; i++) {
		mc_ix_score(i, &rep->n[i], &rep->w, &rep->sc[i]);
		if (rep->sc[i].points < 0)
			continue;
		for (g = 0; g < MC_IX_GROUPS; g++)
			if (!strcmp(mc_ix_groups[g].id, mc_ix_defs[i].group))
				break;
		rep->group_points[g] += rep->sc[i].points;
		rep->group_max[g] += rep->sc[i].max;
		rep->points += rep->sc[i].points;
		rep->max += rep->sc[i].max;
	}
	rep->score = (int)mc_ratio(rep->points, rep->max, 10000);
	return 0;
}

json_t *mc_ix_json(const struct mc_ix_report *rep)
{
	json_t *inds = json_array(), *groups = json_array(), *o, *parts;
	char f[11], l[11];
	int i, g, k;

	for (i = 0; i < MC_IX_COUNT; i++) {
		const struct mc_ix_def *d = &mc_ix_defs[i];
		const struct mc_ix_score *s = &rep->sc[i];

		o = json_pack("{s:s, s:s, s:s, s:b, s:I, s:I, s:o, s:o, s:o, "
			      "s:o, s:o}", "id", d->id, "group", d->group,
			      "name", d->name, "available",
			      rep->n[i].available, "denominator",
			      (json_int_t)rep->n[i].denominator, "numerator",
			      (json_int_t)s->numerator, "rate",
			      mc_api_hundredths(s->rate), "threshold",
			      mc_api_hundredths(rep->w.threshold[i]), "weight",
			      mc_api_hundredths(rep->w.weight[i]), "points",
			      mc_api_hundredths(s->points), "max",
			      mc_api_hundredths(s->points < 0 ? -1 : s->max));
		if (d->form == MC_IX_LESS) {
			parts = json_array();
			for (k = 0; k < MC_IX_MAX_PARTS && d->parts[k]; k++)
				json_array_append_new(parts, json_pack(
					"{s:s, s:s, s:I}", "id", d->parts[k],
					"name", d->part_names[k], "count",
					(json_int_t)rep->n[i].parts[k]));
			json_object_set_new(o, "parts", parts);
		}
		if (d->form == MC_IX_AVERAGE) {
			json_object_set_new(o, "average_working_days",
					    mc_api_hundredths(s->average));
			json_object_set_new(o, "numerator", json_integer(
				(json_int_t)rep->n[i].numerator));
		}
		if (!rep->n[i].available)
			json_object_set_new(o, "note", json_string(
				"Cần kết nối hệ thống quốc gia (Cổng DVCQG, "
				"CSDLQG về dân cư) để tính chỉ số này."));
		json_array_append_new(inds, o);
	}
	for (g = 0; g < MC_IX_GROUPS; g++)
		json_array_append_new(groups, json_pack("{s:s, s:s, s:o, s:o, "
			"s:o}", "id", mc_ix_groups[g].id, "name",
			mc_ix_groups[g].name, "national_points",
			mc_api_hundredths(mc_ix_groups[g].points), "points",
			mc_api_hundredths(rep->group_points[g]), "max",
			mc_api_hundredths(rep->group_max[g])));
	return json_pack("{s:s, s:{s:s, s:s}, s:o, s:o, s:s, s:s, s:o, s:o, "
		"s:{s:o, s:o, s:o}}", "index", "Bộ chỉ số phục vụ người dân, "
		"doanh nghiệp (Quyết định 766/QĐ-TTg)", "unit", "code",
		rep->unit.code, "name", rep->unit.name, "level",
		mc_api_text(rep->level), "field", mc_api_text(rep->field),
		"from", mc_date_format(rep->first, f, sizeof(f)), "to",
		mc_date_format(rep->last, l, sizeof(l)), "groups", groups,
		"indicators", inds, "total", "points",
		mc_api_hundredths(rep->points), "max",
		mc_api_hundredths(rep->max), "score",
		mc_api_hundredths(rep->score));
}

/* A figure in hundredths as "12,34" (Vietnamese decimal comma), or "". */
static const char *decimal(int64_t v, char buf[32])
{
	if (v < 0)
		buf[0] = '\0';
	else
		snprintf(buf, 32, "%" PRId64 ",%02d", v / 100, (int)(v % 100));
	return buf;
}

int mc_ix_csv(const struct mc_ix_report *rep, struct mc_buf *b)
{
	static const char *const head[] = {
		"Mã", "Nhóm", "Chỉ số", "Mẫu số", "Tử số", "Tỷ lệ (%)",
		"Ngưỡng đạt điểm tối đa (%)", "Điểm tối đa", "Điểm"
	};
	char den[24], num[24], rate[32], thr[32], max[32], pts[32];
	size_t k;
	int i, g, rc = 0;

	rc |= mc_buf_adds(b, "\xEF\xBB\xBF");
	for (k = 0; k < MC_ARRAY_SIZE(head); k++)
		rc |= mc_report_csv_field(b, head[k],
					  k + 1 == MC_ARRAY_SIZE(head));
	for (i = 0; i < MC_IX_COUNT && !rc; i++) {
		const struct mc_ix_score *s = &rep->sc[i];
		bool avg = mc_ix_defs[i].form == MC_IX_AVERAGE;

		snprintf(den, sizeof(den), "%" PRId64, rep->n[i].denominator);
		snprintf(num, sizeof(num), "%" PRId64, s->numerator);
		rc |= mc_report_csv_field(b, mc_ix_defs[i].id, false) |
			mc_report_csv_field(b, mc_ix_defs[i].group, false) |
			mc_report_csv_field(b, mc_ix_defs[i].name, false) |
			mc_report_csv_field(b, rep->n[i].available ? den : "",
					    false) |
			mc_report_csv_field(b, rep->n[i].available ? num : "",
					    false) |
			mc_report_csv_field(b, decimal(avg ? s->average :
						       s->rate, rate), false) |
			mc_report_csv_field(b, avg ? "" : decimal(
					    rep->w.threshold[i], thr), false) |
			mc_report_csv_field(b, decimal(rep->w.weight[i], max),
					    false) |
			mc_report_csv_field(b, decimal(s->points, pts), true);
	}
	for (g = 0; g < MC_IX_GROUPS && !rc; g++)
		rc |= mc_report_csv_field(b, mc_ix_groups[g].id, false) |
			mc_report_csv_field(b, "", false) |
			mc_report_csv_field(b, mc_ix_groups[g].name, false) |
			mc_buf_adds(b, ",,,,") |
			mc_report_csv_field(b, decimal(rep->group_max[g], max),
					    false) |
			mc_report_csv_field(b, decimal(rep->group_points[g],
						       pts), true);
	if (!rc)
		rc |= mc_report_csv_field(b, "", false) |
			mc_report_csv_field(b, "", false) |
			mc_report_csv_field(b, "Tổng điểm (quy về thang 100: "
					    "điểm / điểm tối đa của các chỉ số "
					    "tính được)", false) |
			mc_buf_adds(b, ",,") |
			mc_report_csv_field(b, decimal(rep->score, rate),
					    false) |
			mc_buf_adds(b, ",") |
			mc_report_csv_field(b, decimal(rep->max, max), false) |
			mc_report_csv_field(b, decimal(rep->points, pts), true);
	return rc ? MC_ETOOBIG : 0;
}

/* Over HTTP: the request, counted on a worker. */

struct ix_job {
	struct mc_user me;
	struct mc_ix_report rep;
	struct mc_ix_scope scope;
	bool csv, ran;
	bool svg;			/* the summary: chart 'part' as SVG */
	/* The records behind a number: which, and the page. */
	int indicator;
	char part[24];
	int64_t cursor;
	int limit;
	int64_t total;
	json_t *items;
	struct mc_sum_report *sum;	/* the summary: its figures */
	const char *tmpl;		/* its template (report_template) */
	struct mc_buf bytes;
	int rc;
	struct mc_err err;
};

static void ix_free(struct ix_job *q)
{
	mc_free(q->sum);
	json_decref(q->items);
	mc_buf_release(&q->bytes);
	mc_free(q);
}

/*
 * The period, unit, level and field of a request into 'q' (the unit at
 * or below the user's), and the rest of 'names' into 'v' in their order.
 * 0, or -1 (answered).
 */
static int ix_request(struct mc_req *r, struct ix_job *q,
		      const char *const *allowed, const char **v)
{
	const struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	const char *unit, *level, *field;
	size_t i;

	if (mc_api_user(r, &q->me))
		return -1;
	if (mc_req_query_check(r, allowed, &err)) {
		mc_reply_err(r, &err);
		return -1;
	}
	for (i = 0; allowed[i]; i++)
		v[i] = mc_req_query(r, allowed[i]);
	/* from, to, period, year, index, cutoff, unit_code, level, field. */
	unit = v[6];
	level = v[7];
	field = v[8];
	if (mc_api_report_period(v[0], v[1], v[2], v[3], v[4], v[5],
				 app->cfg.report_cutoff, &q->rep.first,
				 &q->rep.last, &err) ||
	    mc_ix_narrow(&q->rep, level, field, &err) ||
	    mc_ix_history(&q->rep, mc_req_query(r, "history"), &err)) {
		mc_reply_err(r, &err);
		return -1;
	}
	if (mc_api_report_unit(r, &q->me, unit, &q->rep.unit))
		return -1;
	mc_ix_setup(app, mc_api_now(app), &q->rep, &q->scope);
	return 0;
}

static void ix_run(struct mc_conn *db, void *arg)
{
	struct ix_job *q = arg;

	q->ran = true;
	q->rc = mc_ix_build(db, &q->scope, &q->rep, &q->err);
	if (!q->rc && q->csv) {
		mc_buf_init(&q->bytes, 1 << 20);
		if (mc_ix_csv(&q->rep, &q->bytes))
			q->rc = mc_error(&q->err, MC_ETOOBIG, "too large");
	}
}

static void ix_done(struct mc_req *r, void *arg)
{
	struct ix_job *q = arg;

	if (!q->ran) {			/* answered 503 already */
		ix_free(q);
		return;
	}
	if (q->rc) {
		mc_reply_err(r, &q->err);
	} else if (q->csv) {
		mc_api_report_file(r, "chiso766", &q->rep.unit, q->rep.first,
				   q->rep.last, "csv", &q->bytes);
	} else {
		mc_reply_json(r, 200, mc_ix_json(&q->rep));
	}
	ix_free(q);
}

/*
 * GET /api/v1/reports/index766?(from&to | period&year[&index][&cutoff])
 * [&unit_code][&level][&field][&format=json|csv]: the index for the
 * user's unit or one below it.
 */
void api_reports_index766(struct mc_req *r)
{
	static const char *const allowed[] = { "from", "to", "period", "year",
		"index", "cutoff", "unit_code", "level", "field", "format",
		"history", NULL };
	struct ix_job *q = mc_calloc(1, sizeof(*q));
	struct mc_err err = MC_ERR_INIT;
	const char *v[11];

	if (ix_request(r, q, allowed, v)) {
		ix_free(q);
		return;
	}
	if (v[9] && strcmp(v[9], "json") && strcmp(v[9], "csv")) {
		mc_err_field(&err, "format", "enum", "must be json or csv");
		mc_reply_err(r, &err);
		ix_free(q);
		return;
	}
	q->csv = v[9] && !strcmp(v[9], "csv");
	mc_req_defer(r, ix_run, ix_done, q);
}

static void record_item(const struct mc_ix_item *it, void *arg)
{
	struct ix_job *q = arg;
	json_t *o;

	if (it->kind == MC_IX_PROCEDURES)
		o = json_pack("{s:s, s:s, s:i, s:o}", "code", it->code, "name",
			      it->name, "version", it->version, "published_at",
			      mc_api_time(it->at));
	else if (it->kind == MC_IX_DOSSIERS)
		o = json_pack("{s:s, s:s, s:s, s:o, s:o}", "code", it->code,
			      "procedure_code", it->procedure_code, "status",
			      it->status, "received_at", mc_api_time(it->at),
			      "finished_at", mc_api_time(it->finished_at));
	else
		o = json_pack("{s:s, s:s, s:o, s:o}", "code", it->code,
			      "status", it->status, "received_at",
			      mc_api_time(it->at), "closed_at",
			      mc_api_time(it->finished_at));
	json_array_append_new(q->items, o);
}

static void records_run(struct mc_conn *db, void *arg)
{
	struct ix_job *q = arg;

	q->ran = true;
	scope_of(&q->rep, &q->scope);
	q->items = json_array();
	q->total = mc_ix_list(db, &q->scope, q->indicator, q->part, q->cursor,
			      q->limit, record_item, q, &q->err);
	if (q->total < 0)
		q->rc = (int)q->total;
}

static void records_done(struct mc_req *r, void *arg)
{
	struct ix_job *q = arg;
	static const char *const kinds[] = { "procedure", "dossier",
					     "feedback", "" };
	int64_t next = q->cursor + (int64_t)json_array_size(q->items);

	if (!q->ran) {
		ix_free(q);
		return;
	}
	if (q->rc)
		mc_reply_err(r, &q->err);
	else
		mc_reply_json(r, 200, json_pack("{s:s, s:s, s:s, s:I, s:O, "
			"s:o}", "indicator", mc_ix_defs[q->indicator].id,
			"part", q->part, "kind",
			kinds[mc_ix_defs[q->indicator].base], "total",
			(json_int_t)q->total, "items", q->items,
			"next_cursor", next < q->total ? json_integer(next) :
			json_null()));
	ix_free(q);
}

/*
 * GET /api/v1/reports/index766/records?indicator=&part=[…the index's
 * parameters][&limit][&cursor]: the procedures, dossiers or feedback
 * behind one number of the index, by code, with how many there are.
 */
void api_reports_index766_records(struct mc_req *r)
{
	static const char *const allowed[] = { "from", "to", "period", "year",
		"index", "cutoff", "unit_code", "level", "field", "indicator",
		"part", "limit", "cursor", "history", NULL };
	struct ix_job *q = mc_calloc(1, sizeof(*q));
	struct mc_err err = MC_ERR_INIT;
	const char *v[14];
	long n;

	if (ix_request(r, q, allowed, v)) {
		ix_free(q);
		return;
	}
	q->limit = 100;
	if (!v[9])
		mc_err_field(&err, "indicator", "required", "an indicator of "
			     "the index, such as 2.1 or TTTT-b");
	else if ((q->indicator = mc_ix_find(v[9])) < 0)
		mc_err_field(&err, "indicator", "enum", "no indicator \"%s\" "
			     "in the 766 index", v[9]);
	else if (v[10] && strcmp(v[10], "denominator") &&
		 strcmp(v[10], "numerator") &&
		 mc_ix_part_find(q->indicator, v[10]) < 0)
		mc_err_field(&err, "part", "enum", "denominator, numerator or "
			     "one of the indicator's parts");
	else if (v[11] && !mc_parse_int("limit", v[11], 1, 1000, &n, &err))
		q->limit = (int)n;
	if (!err.code && v[12] &&
	    !mc_parse_int("cursor", v[12], 0, INT32_MAX, &n, &err))
		q->cursor = n;
	if (err.code) {
		mc_reply_err(r, &err);
		ix_free(q);
		return;
	}
	snprintf(q->part, sizeof(q->part), "%s",
		 v[10] ? v[10] : "numerator");
	mc_req_defer(r, records_run, records_done, q);
}

/*
 * The summary: its figures as JSON, CSV or XLSX, the report as PDF from
 * the built-in template, or (svg) chart 'part'; 'part' names which.
 */
static void sum_run(struct mc_conn *db, void *arg)
{
	struct ix_job *q = arg;
	struct mc_buf t = MC_BUF_INIT(1 << 20);
	struct mc_chart *c;

	q->ran = true;
	q->sum->ix = q->rep;
	mc_sum_title(q->sum);
	q->sum->trend = q->svg ? !strcmp(q->part, "on_time_trend") :
		!strcmp(q->part, "pdf");
	if ((q->rc = mc_sum_build(db, &q->scope, q->sum, &q->err)) ||
	    (!q->svg && !strcmp(q->part, "json")))
		return;
	mc_buf_init(&q->bytes, 16 << 20);
	if (q->svg) {
		c = mc_calloc(1, sizeof(*c));
		if (!mc_sum_chart(q->sum, q->part, c) ||
		    mc_chart_svg(c, &q->bytes))
			q->rc = mc_error(&q->err, MC_ETOOBIG, "too large");
		mc_free(c);
	} else if (!strcmp(q->part, "csv")) {
		if (mc_sum_csv(q->sum, &q->bytes))
			q->rc = mc_error(&q->err, MC_ETOOBIG, "too large");
	} else if (!strcmp(q->part, "xlsx")) {
		q->rc = mc_sum_xlsx(q->sum, &q->bytes, &q->err);
	} else if (!(q->rc = mc_sum_template(q->tmpl, &t, &q->err))) {
		q->rc = mc_sum_pdf(q->sum, t.buf, q->scope.now, &q->bytes,
				   &q->err);
	}
	mc_buf_release(&t);
}

static void sum_done(struct mc_req *r, void *arg)
{
	struct ix_job *q = arg;

	if (!q->ran) {
		;			/* answered 503 already */
	} else if (q->rc) {
		mc_reply_err(r, &q->err);
	} else if (q->svg) {
		mc_req_header(r, "cache-control", "private, max-age=60");
		mc_reply_bytes(r, 200, "image/svg+xml; charset=utf-8",
			       q->bytes.buf, q->bytes.len);
	} else if (!strcmp(q->part, "json")) {
		mc_reply_json(r, 200, mc_sum_json(q->sum));
	} else {
		mc_api_report_file(r, "bao-cao-6-thang", &q->rep.unit,
				   q->rep.first, q->rep.last, q->part,
				   &q->bytes);
	}
	ix_free(q);
}

/*
 * GET /api/v1/reports/summary?(from&to | period&year[&index][&cutoff])
 * [&unit_code][&level][&field][&history][&format=json|csv|xlsx|pdf]: the
 * figures of the half-year report for the user's unit or one below it,
 * or the report itself from the province's template (pdf; report_template,
 * else the built-in one).
 */
void api_reports_summary(struct mc_req *r)
{
	static const char *const allowed[] = { "from", "to", "period", "year",
		"index", "cutoff", "unit_code", "level", "field", "history",
		"format", NULL };
	static const char *const formats[] = { "json", "csv", "xlsx", "pdf",
					       NULL };
	struct ix_job *q = mc_calloc(1, sizeof(*q));
	const char *v[11];

	if (ix_request(r, q, allowed, v)) {
		ix_free(q);
		return;
	}
	if (v[10] && !mc_api_one_of(v[10], formats)) {
		struct mc_err err = MC_ERR_INIT;

		mc_err_field(&err, "format", "enum", "must be json, csv, xlsx "
			     "or pdf");
		mc_reply_err(r, &err);
		ix_free(q);
		return;
	}
	snprintf(q->part, sizeof(q->part), "%s", v[10] ? v[10] : "json");
	q->sum = mc_calloc(1, sizeof(*q->sum));
	q->tmpl = mc_req_app(r)->cfg.report_template;
	mc_req_defer(r, sum_run, sum_done, q);
}

/*
 * GET /api/v1/reports/charts/{name}?(from&to | period&year[&index]
 * [&cutoff])[&unit_code][&level][&field]: a chart of the half-year
 * figures as SVG (docs/reports.md "Charts").
 */
void api_reports_chart(struct mc_req *r)
{
	static const char *const allowed[] = { "from", "to", "period", "year",
		"index", "cutoff", "unit_code", "level", "field", "history",
		NULL };
	const char *name = mc_req_param(r, "name");
	struct ix_job *q;
	const char *v[10];
	size_t k;

	for (k = 0; mc_sum_chart_names[k]; k++)
		if (!strcmp(name, mc_sum_chart_names[k]))
			break;
	if (!mc_sum_chart_names[k]) {
		struct mc_err err = MC_ERR_INIT;

		mc_error(&err, MC_ENOTFOUND, "no chart %s: online_by_level, on_time_trend, "
			 "on_time_by_level, digitized_by_level or index766",
			 name);
		mc_reply_err(r, &err);
		return;
	}
	q = mc_calloc(1, sizeof(*q));
	if (ix_request(r, q, allowed, v)) {
		ix_free(q);
		return;
	}
	snprintf(q->part, sizeof(q->part), "%s", name);
	q->svg = true;
	q->sum = mc_calloc(1, sizeof(*q->sum));
	mc_req_defer(r, sum_run, sum_done, q);
}
