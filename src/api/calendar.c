/*
 * calendar.c — the working-calendar resource: days off of a year, due
 * instants, working time elapsed, lunar and solar dates. All answers are
 * computed inline on the event loop (microseconds, no database).
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/parse.h"
#include "core/timeutil.h"
#include "api/api.h"
#include "api/calendar.h"
#include "app.h"
#include "domain/calendar.h"
#include "domain/lunar.h"
#include "http/server.h"

const char *mc_api_day_kind(int kind)
{
	switch (kind) {
	case MC_DAY_WORKING:
		return "working";
	case MC_DAY_REST:
		return "rest";
	case MC_DAY_HOLIDAY:
		return "holiday";
	case MC_DAY_COMPENSATORY:
		return "compensatory";
	case MC_DAY_OFF:
		return "day_off";
	case MC_DAY_WORKING_EXTRA:
		return "working_day";
	}
	return "?";
}

json_t *mc_api_calendar_year(const struct mc_calendar *cal, int year)
{
	int n = mc_cal_year_days(cal, year, NULL, 0), i;
	struct mc_cal_day *days;
	json_t *list;

	if (n < 0)
		return NULL;
	days = mc_calloc((size_t)n + 1, sizeof(*days));
	mc_cal_year_days(cal, year, days, (size_t)n);
	list = json_array();
	for (i = 0; i < n; i++) {
		char d[16];

		json_array_append_new(list, json_pack(
			"{s:s, s:s, s:b, s:s, s:s}",
			"date", mc_date_format(days[i].day, d, sizeof(d)),
			"kind", mc_api_day_kind((int)days[i].kind),
			"off", !mc_cal_is_working_day(cal, days[i].day),
			"reason", days[i].reason,
			"source", days[i].source));
	}
	mc_free(days);
	return json_pack("{s:i, s:o}", "year", year, "days", list);
}

/* Parses up to MC_DUE_MAX_PAUSES "FROM/TO" texts into 'buf'. */
static int parse_pauses(const char *const *texts, size_t n,
			struct mc_pause *buf, size_t *count,
			struct mc_err *err)
{
	size_t i;
	int rc = 0;

	*count = 0;
	if (n > MC_DUE_MAX_PAUSES)
		return mc_err_field(err, "pause", "max_items", "at most %d "
				    "pauses, got %zu", MC_DUE_MAX_PAUSES, n);
	for (i = 0; i < n; i++)
		if (mc_parse_interval("pause", texts[i], &buf[i].from,
				      &buf[i].to, err))
			rc = MC_EINVAL;
	*count = n;
	return rc;
}

int mc_api_due_parse(const struct mc_api_due_text *in,
		     struct mc_due_req *req, struct mc_pause *pbuf,
		     struct mc_err *err)
{
	const char *const vals[] = { in->working_days, in->working_hours,
				     in->days, in->months };
	long n = 0;
	size_t i, np = 0;
	int given = 0, rc = 0;

	memset(req, 0, sizeof(*req));
	if (!in->start || !*in->start)
		rc = mc_err_field(err, "start", "required", "give the instant "
				  "of receipt, e.g. 2026-02-13T10:00:00+07:00");
	else
		rc = mc_parse_instant("start", in->start, &req->start, err);
	for (i = 0; i < MC_ARRAY_SIZE(vals); i++) {
		enum mc_due_unit u = (enum mc_due_unit)i;

		if (!vals[i])
			continue;
		if (given++) {
			rc = mc_err_field(err, mc_due_unit_name(u), "exclusive",
					  "give only one of working_days, "
					  "working_hours, days and months");
			continue;
		}
		req->unit = u;
		if (mc_parse_int(mc_due_unit_name(u), vals[i], 0,
				 mc_due_unit_max(u), &n, err))
			rc = MC_EINVAL;
		req->amount = (int32_t)n;
	}
	if (!given)
		rc = mc_err_field(err, "working_days", "required", "give one of "
				  "working_days, working_hours, days and "
				  "months");
	if (parse_pauses(in->pauses, in->npauses, pbuf, &np, err))
		rc = MC_EINVAL;
	req->pauses = pbuf;
	req->npauses = np;
	return rc ? MC_EINVAL : 0;
}

json_t *mc_api_due_json(const struct mc_due_req *req, int64_t received,
			int64_t due)
{
	char s[32], rcv[32], d[32];
	json_t *pauses = json_array();
	size_t i;

	for (i = 0; i < req->npauses; i++) {
		char a[32], b[32];

		json_array_append_new(pauses, json_pack("{s:s, s:s}",
			"from", mc_time_format_local(req->pauses[i].from, a,
						     sizeof(a)),
			"to", mc_time_format_local(req->pauses[i].to, b,
						   sizeof(b))));
	}
	return json_pack("{s:s, s:s, s:s, s:i, s:o, s:s}",
			 "start", mc_time_format_local(req->start, s, sizeof(s)),
			 "received", mc_time_format_local(received, rcv,
							  sizeof(rcv)),
			 "unit", mc_due_unit_name(req->unit),
			 "amount", (int)req->amount, "pauses", pauses,
			 "due", mc_time_format_local(due, d, sizeof(d)));
}

void api_calendar_due(struct mc_req *r)
{
	static const char *const allowed[] = { "start", "working_days",
		"working_hours", "days", "months", "pause", NULL };
	const struct mc_calendar *cal = mc_req_app(r)->cal;
	struct mc_pause pbuf[MC_DUE_MAX_PAUSES];
	const char *pauses[MC_DUE_MAX_PAUSES + 1];
	struct mc_api_due_text in;
	struct mc_due_req req;
	struct mc_err err = MC_ERR_INIT;
	int64_t due, received;

	memset(&in, 0, sizeof(in));
	in.start = mc_req_query(r, "start");
	in.working_days = mc_req_query(r, "working_days");
	in.working_hours = mc_req_query(r, "working_hours");
	in.days = mc_req_query(r, "days");
	in.months = mc_req_query(r, "months");
	in.pauses = pauses;
	in.npauses = mc_req_query_all(r, "pause", pauses,
				      MC_ARRAY_SIZE(pauses));
	if (mc_req_query_check(r, allowed, &err) ||
	    mc_api_due_parse(&in, &req, pbuf, &err) ||
	    mc_cal_due(cal, &req, &due, &received, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	mc_reply_json(r, 200, mc_api_due_json(&req, received, due));
}

void api_calendar_holidays(struct mc_req *r)
{
	static const char *const allowed[] = { "year", NULL };
	const char *y = mc_req_query(r, "year");
	struct mc_err err = MC_ERR_INIT;
	long year = 0;

	if (mc_req_query_check(r, allowed, &err))
		goto bad;
	if (!y) {
		mc_err_field(&err, "year", "required", "give the year, e.g. "
			     "year=2026");
		goto bad;
	}
	if (mc_parse_int("year", y, MC_CAL_FIRST_YEAR, MC_CAL_LAST_YEAR,
			 &year, &err))
		goto bad;
	mc_reply_json(r, 200, mc_api_calendar_year(mc_req_app(r)->cal,
						   (int)year));
	return;
bad:
	mc_reply_err(r, &err);
}

int mc_api_elapsed_parse(const struct mc_api_elapsed_text *in,
			 struct mc_api_elapsed *out, struct mc_err *err)
{
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!in->from)
		rc = mc_err_field(err, "from", "required", "give the start "
				  "instant");
	else if (mc_parse_instant("from", in->from, &out->from, err))
		rc = MC_EINVAL;
	if (!in->to)
		rc = mc_err_field(err, "to", "required", "give the end instant");
	else if (mc_parse_instant("to", in->to, &out->to, err))
		rc = MC_EINVAL;
	if (in->due) {
		out->has_due = true;
		if (mc_parse_instant("due", in->due, &out->due, err))
			rc = MC_EINVAL;
	}
	if (parse_pauses(in->pauses, in->npauses, out->pauses, &out->npauses,
			 err))
		rc = MC_EINVAL;
	return rc;
}

json_t *mc_api_elapsed_json(const struct mc_calendar *cal,
			    const struct mc_api_elapsed *q)
{
	int64_t ws = mc_cal_working_seconds(cal, q->from, q->to, q->pauses,
					    q->npauses);
	char a[32], b[32], d[32];
	json_t *o;

	o = json_pack("{s:s, s:s, s:I, s:f, s:f}",
		      "from", mc_time_format_local(q->from, a, sizeof(a)),
		      "to", mc_time_format_local(q->to, b, sizeof(b)),
		      "working_seconds", (json_int_t)ws,
		      "working_hours", (double)ws / 3600.0,
		      "working_days", (double)ws / mc_cal_day_seconds(cal));
	if (q->has_due) {
		json_object_set_new(o, "due", json_string(
			mc_time_format_local(q->due, d, sizeof(d))));
		json_object_set_new(o, "timeliness", json_string(
			mc_timeliness_name(mc_cal_classify(q->to, q->due))));
	}
	return o;
}

void api_calendar_elapsed(struct mc_req *r)
{
	static const char *const allowed[] = { "from", "to", "due", "pause",
					       NULL };
	const char *pz[MC_DUE_MAX_PAUSES + 1];
	struct mc_api_elapsed_text in;
	struct mc_api_elapsed q;
	struct mc_err err = MC_ERR_INIT;

	in.from = mc_req_query(r, "from");
	in.to = mc_req_query(r, "to");
	in.due = mc_req_query(r, "due");
	in.pauses = pz;
	in.npauses = mc_req_query_all(r, "pause", pz, MC_ARRAY_SIZE(pz));
	mc_req_query_check(r, allowed, &err);
	mc_api_elapsed_parse(&in, &q, &err);
	if (err.code) {
		mc_reply_err(r, &err);
		return;
	}
	mc_reply_json(r, 200, mc_api_elapsed_json(mc_req_app(r)->cal, &q));
}

json_t *mc_api_lunar_json(int32_t day, const struct mc_lunar_date *ld)
{
	char s[16], text[24], name[32];

	snprintf(text, sizeof(text), "%04d-%02d-%02d%s", ld->year, ld->month,
		 ld->day, ld->leap ? " leap" : "");
	return json_pack("{s:s, s:{s:i, s:i, s:i, s:b}, s:s, s:s}",
			 "solar", mc_date_format(day, s, sizeof(s)),
			 "lunar", "year", ld->year, "month", ld->month,
			 "day", ld->day, "leap", ld->leap,
			 "text", text,
			 "year_name", mc_lunar_year_name(ld->year, name,
							 sizeof(name)));
}

int mc_api_solar_date(const char *field, const char *s, int32_t *day,
		      struct mc_lunar_date *ld, struct mc_err *err)
{
	char a[16], b[16];
	struct mc_lunar_date first = { MC_LUNAR_FIRST_YEAR, 1, 1, false };
	int32_t lo = 0, hi = mc_days_from_ymd(MC_LUNAR_LAST_YEAR, 12, 31);

	if (mc_parse_date(field, s, day, err))
		return MC_EINVAL;
	if (mc_lunar_from_solar(*day, ld) == 0)
		return 0;
	mc_lunar_to_solar(&first, &lo);
	return mc_err_field(err, field, "range", "the lunar calendar covers "
			    "%s to %s", mc_date_format(lo, a, sizeof(a)),
			    mc_date_format(hi, b, sizeof(b)));
}

int mc_api_lunar_date(const char *field, const char *s, bool leap,
		      struct mc_lunar_date *ld, int32_t *day,
		      struct mc_err *err)
{
	int rc, lm;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    (ld->year = mc_digits(s, 4)) < 0 ||
	    (ld->month = mc_digits(s + 5, 2)) < 0 ||
	    (ld->day = mc_digits(s + 8, 2)) < 0)
		return mc_err_field(err, field, "date", "expected a lunar date "
				    "as YYYY-MM-DD, got '%.40s'", s);
	ld->leap = leap;
	if (ld->month < 1 || ld->month > 12 || ld->day < 1 || ld->day > 30)
		return mc_err_field(err, field, "date", "%s is not a lunar "
				    "date: months are 1–12 and days 1–30", s);
	rc = mc_lunar_to_solar(ld, day);
	if (rc == MC_ERANGE)
		return mc_err_field(err, field, "range", "the lunar calendar "
				    "covers lunar years %d–%d",
				    MC_LUNAR_FIRST_YEAR, MC_LUNAR_LAST_YEAR);
	if (rc == 0)
		return 0;
	lm = mc_lunar_leap_month(ld->year);
	if (ld->leap && lm != ld->month)
		return mc_err_field(err, field, "date", "lunar year %d has no "
				    "leap month %d%s", ld->year, ld->month,
				    lm ? "" : " (it has no leap month)");
	return mc_err_field(err, field, "date", "%04d-%02d-%02d%s is not a "
			    "lunar date: that month has %d days", ld->year,
			    ld->month, ld->day, ld->leap ? " leap" : "",
			    mc_lunar_month_length(ld->year, ld->month,
						  ld->leap));
}

void api_calendar_lunar(struct mc_req *r)
{
	static const char *const allowed[] = { "date", NULL };
	const char *date = mc_req_query(r, "date");
	struct mc_err err = MC_ERR_INIT;
	struct mc_lunar_date ld;
	int32_t day;

	if (mc_req_query_check(r, allowed, &err))
		goto bad;
	if (!date) {
		mc_err_field(&err, "date", "required", "give a solar date, e.g. "
			     "date=2026-02-17");
		goto bad;
	}
	if (mc_api_solar_date("date", date, &day, &ld, &err))
		goto bad;
	mc_reply_json(r, 200, mc_api_lunar_json(day, &ld));
	return;
bad:
	mc_reply_err(r, &err);
}

void api_calendar_solar(struct mc_req *r)
{
	static const char *const allowed[] = { "date", "leap", NULL };
	const char *date = mc_req_query(r, "date");
	const char *leap_text = mc_req_query(r, "leap");
	struct mc_err err = MC_ERR_INIT;
	struct mc_lunar_date ld;
	bool leap = false;
	int32_t day;

	if (mc_req_query_check(r, allowed, &err))
		goto bad;
	if (leap_text && mc_parse_bool("leap", leap_text, &leap, &err))
		goto bad;
	if (!date) {
		mc_err_field(&err, "date", "required", "give a lunar date, e.g. "
			     "date=2026-01-01");
		goto bad;
	}
	if (mc_api_lunar_date("date", date, leap, &ld, &day, &err))
		goto bad;
	mc_reply_json(r, 200, mc_api_lunar_json(day, &ld));
	return;
bad:
	mc_reply_err(r, &err);
}
