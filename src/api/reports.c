/*
 * reports.c — reports over HTTP and for the CLI (docs/reports.md):
 * Biểu số 06/VPCP/KSTT as JSON and as CSV with the official headings.
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
#include "store/catalog.h"
#include "store/reports.h"

static void collect(const struct mc_b06_row *row, void *arg)
{
	struct mc_b06_report *rep = arg;

	rep->rows = mc_grow(rep->rows, rep->n, &rep->cap, sizeof(*rep->rows));
	rep->rows[rep->n++] = *row;
}

int mc_b06_build(struct mc_conn *c, int32_t first, int32_t last,
		 const struct mc_unit *unit, struct mc_b06_report *rep,
		 struct mc_err *err)
{
	int rc, i;

	memset(rep, 0, sizeof(*rep));
	rep->first = first;
	rep->last = last;
	rep->unit = *unit;
	rc = mc_report_b06(c, mc_local_day_start(first),
			   mc_local_day_start(last + 1), unit->path, collect,
			   rep, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < rep->n; i++) {
		if ((rc = mc_b06_check(&rep->rows[i].n, err)))
			return rc;
		mc_b06_add(&rep->total, &rep->rows[i].n);
	}
	return 0;
}

void mc_b06_release(struct mc_b06_report *rep)
{
	mc_free(rep->rows);
	rep->rows = NULL;
	rep->n = rep->cap = 0;
}

const char *mc_b06_level_name(const char *level)
{
	if (!strcmp(level, "province"))
		return "Cấp tỉnh";
	if (!strcmp(level, "commune"))
		return "Cấp xã";
	return level;
}

static json_t *figures(const struct mc_b06 *n)
{
	int bp = mc_b06_on_time_bp(n);

	return json_pack("{s:{s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I, "
		"s:I}, s:{s:I, s:I, s:I}, s:o}", "received", "total",
		(json_int_t)mc_b06_received(n), "online",
		(json_int_t)n->online, "direct_postal",
		(json_int_t)n->direct_postal, "carried_over",
		(json_int_t)n->carried_over, "resolved", "total",
		(json_int_t)mc_b06_resolved(n), "early", (json_int_t)n->early,
		"on_time", (json_int_t)n->on_time, "late", (json_int_t)n->late,
		"returned", (json_int_t)n->returned, "in_progress", "total",
		(json_int_t)mc_b06_in_progress(n), "within_deadline",
		(json_int_t)n->within_deadline, "overdue",
		(json_int_t)n->overdue, "on_time_rate", bp < 0 ? json_null() :
		json_real(bp / 100.0));
}

json_t *mc_b06_json(const struct mc_b06_report *rep)
{
	json_t *rows = json_array(), *levels = json_array(), *o;
	struct mc_b06 sub;
	char f[11], l[11];
	int i, start;

	for (i = 0; i < rep->n; i++) {
		o = figures(&rep->rows[i].n);
		json_object_set_new(o, "level",
				    json_string(rep->rows[i].level));
		json_object_set_new(o, "field",
				    json_string(rep->rows[i].field));
		json_array_append_new(rows, o);
	}
	/* The rows come by level: a subtotal for each. */
	for (start = 0; start < rep->n; start = i) {
		memset(&sub, 0, sizeof(sub));
		for (i = start; i < rep->n &&
		     !strcmp(rep->rows[i].level, rep->rows[start].level); i++)
			mc_b06_add(&sub, &rep->rows[i].n);
		o = figures(&sub);
		json_object_set_new(o, "level",
				    json_string(rep->rows[start].level));
		json_object_set_new(o, "name", json_string(mc_b06_level_name(
			rep->rows[start].level)));
		json_array_append_new(levels, o);
	}
	return json_pack("{s:s, s:{s:s, s:s}, s:s, s:s, s:o, s:o, s:o}",
		"form", "Biểu số 06/VPCP/KSTT", "unit", "code",
		rep->unit.code, "name", rep->unit.name, "from",
		mc_date_format(rep->first, f, sizeof(f)), "to",
		mc_date_format(rep->last, l, sizeof(l)), "rows", rows,
		"levels", levels, "total", figures(&rep->total));
}

/* One CSV field, quoted when it must be (RFC 4180). */
static int csv_field(struct mc_buf *b, const char *s, bool last)
{
	int rc = 0;

	if (strpbrk(s, ",\"\r\n")) {
		rc |= mc_buf_addc(b, '"');
		for (; *s && !rc; s++)
			rc |= *s == '"' ? mc_buf_adds(b, "\"\"") :
				mc_buf_addc(b, *s);
		rc |= mc_buf_addc(b, '"');
	} else {
		rc |= mc_buf_adds(b, s);
	}
	rc |= last ? mc_buf_adds(b, "\r\n") : mc_buf_addc(b, ',');
	return rc ? MC_ETOOBIG : 0;
}

static int csv_row(struct mc_buf *b, const char *stt, const char *level,
		   const char *field, const struct mc_b06 *n)
{
	int64_t v[] = { mc_b06_received(n), n->online, n->direct_postal,
			n->carried_over, mc_b06_resolved(n), n->early,
			n->on_time, n->late, n->returned,
			mc_b06_in_progress(n), n->within_deadline, n->overdue };
	char num[24];
	size_t i;
	int rc = csv_field(b, stt, false) | csv_field(b, level, false) |
		csv_field(b, field, false);

	for (i = 0; i < MC_ARRAY_SIZE(v); i++) {
		snprintf(num, sizeof(num), "%" PRId64, v[i]);
		rc |= csv_field(b, num, i + 1 == MC_ARRAY_SIZE(v));
	}
	return rc ? MC_ETOOBIG : 0;
}

int mc_b06_csv(const struct mc_b06_report *rep, struct mc_buf *b)
{
	static const char *const head[] = {
		"STT", "Cấp", "Lĩnh vực",
		"Nhận giải quyết: Tổng số", "Trong đó: Trực tuyến",
		"Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước",
		"Đã giải quyết: Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn",
		"Trong đó: trả lại, dừng, rút",
		"Đang giải quyết: Tổng số", "Trong hạn", "Quá hạn"
	};
	char stt[16];
	size_t k;
	int i, rc = 0;

	/* UTF-8 with its mark, so that spreadsheets read the diacritics. */
	rc |= mc_buf_adds(b, "\xEF\xBB\xBF");
	for (k = 0; k < MC_ARRAY_SIZE(head); k++)
		rc |= csv_field(b, head[k], k + 1 == MC_ARRAY_SIZE(head));
	for (i = 0; i < rep->n && !rc; i++) {
		snprintf(stt, sizeof(stt), "%d", i + 1);
		rc |= csv_row(b, stt, mc_b06_level_name(rep->rows[i].level),
			      rep->rows[i].field, &rep->rows[i].n);
	}
	if (!rc)
		rc |= csv_row(b, "", "Tổng cộng", "", &rep->total);
	return rc ? MC_ETOOBIG : 0;
}

/*
 * The period of a request: from=&to= (days), or period=&year=[&index=]
 * [&cutoff=] (docs/reports.md). 0, or MC_EINVAL naming the parameter.
 */
int mc_api_report_period(const char *from, const char *to,
			 const char *kind, const char *year,
			 const char *index, const char *cutoff,
			 int dflt_cutoff, int32_t *first, int32_t *last,
			 struct mc_err *err)
{
	long y = 0, i = 1, c = dflt_cutoff;
	int k;

	if (kind) {
		if (from || to)
			return mc_err_field(err, "period", "exclusive", "give "
					    "either period, year and index, or "
					    "from and to");
		if ((k = mc_period_kind_parse(kind)) < 0)
			return mc_err_field(err, "period", "enum", "must be "
					    "month, quarter, half or year");
		if (!year)
			return mc_err_field(err, "year", "required", "the "
					    "period's year");
		if (mc_parse_int("year", year, 2000, 2100, &y, err) ||
		    (index && mc_parse_int("index", index, 1, 12, &i, err)) ||
		    (cutoff && mc_parse_int("cutoff", cutoff, 0, 28, &c, err)))
			return MC_EINVAL;
		if (!index && k != MC_PERIOD_YEAR)
			return mc_err_field(err, "index", "required", "which "
					    "month, quarter or half");
		return mc_period_days((enum mc_period_kind)k, (int)y, (int)i,
				      (int)c, first, last, err);
	}
	if (!from || !to)
		return mc_err_field(err, from ? "to" : "from", "required",
				    "give from and to (YYYY-MM-DD), or period "
				    "and year");
	if (mc_parse_date("from", from, first, err) ||
	    mc_parse_date("to", to, last, err))
		return MC_EINVAL;
	if (*last < *first)
		return mc_err_field(err, "to", "min", "the period ends before "
				    "it begins");
	if (*last - *first >= MC_REPORT_MAX_DAYS)
		return mc_err_field(err, "to", "max", "at most %d days",
				    MC_REPORT_MAX_DAYS);
	return 0;
}

/*
 * GET /api/v1/reports/bieu06?(from&to | period&year[&index][&cutoff])
 * [&unit_code][&format=json|csv]: Biểu 06 for the user's unit or one
 * below it.
 */
void api_reports_bieu06(struct mc_req *r)
{
	static const char *const allowed[] = { "from", "to", "period", "year",
		"index", "cutoff", "unit_code", "format", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct mc_b06_report rep;
	struct mc_unit unit;
	struct mc_user me;
	const char *fmt, *code;
	int32_t first = 0, last = 0;

	if (mc_api_user(r, &me))
		return;
	fmt = mc_req_query(r, "format");
	code = mc_req_query(r, "unit_code");
	if (mc_req_query_check(r, allowed, &err) ||
	    mc_api_report_period(mc_req_query(r, "from"), mc_req_query(r, "to"),
			  mc_req_query(r, "period"), mc_req_query(r, "year"),
			  mc_req_query(r, "index"), mc_req_query(r, "cutoff"),
			  mc_req_app(r)->cfg.report_cutoff, &first, &last,
			  &err) ||
	    (fmt && strcmp(fmt, "json") && strcmp(fmt, "csv") &&
	     mc_err_field(&err, "format", "enum", "must be json or csv"))) {
		mc_reply_err(r, &err);
		return;
	}
	if (mc_unit_get(mc_req_db(r), code ? code : me.unit_code, &unit,
			&err) || !mc_unit_within(unit.path, me.unit_path)) {
		mc_err_clear(&err);
		mc_err_field(&err, "unit_code", "scope", "no unit %s at or "
			     "below yours", code ? code : me.unit_code);
		mc_reply_err(r, &err);
		return;
	}
	if (mc_b06_build(mc_req_db(r), first, last, &unit, &rep, &err)) {
		mc_b06_release(&rep);
		mc_reply_err(r, &err);
		return;
	}
	if (fmt && !strcmp(fmt, "csv")) {
		struct mc_buf b = MC_BUF_INIT(64 << 20);
		char disp[120], f[11], l[11];

		if (mc_b06_csv(&rep, &b)) {
			mc_err_rule(&err, MC_ETOOBIG, "format", "size", "the "
				    "table is larger than 64 MB");
			mc_reply_err(r, &err);
		} else {
			snprintf(disp, sizeof(disp), "attachment; filename=\""
				 "bieu06_%s_%s_%s.csv\"", unit.code,
				 mc_date_format(first, f, sizeof(f)),
				 mc_date_format(last, l, sizeof(l)));
			mc_req_header(r, "content-disposition", disp);
			mc_reply_bytes(r, 200, "text/csv; charset=utf-8", b.buf,
				       b.len);
		}
		mc_buf_release(&b);
	} else {
		mc_reply_json(r, 200, mc_b06_json(&rep));
	}
	mc_b06_release(&rep);
}
