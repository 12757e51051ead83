/*
 * test_index766.c — the 766 index against the real server on SQLite and
 * PostgreSQL (docs/reports.md). Two procedures of a field of their own
 * are announced and published, four dossiers and two pieces of feedback
 * go through January 2024 on the server's clock; the index of that
 * field and month must then give each indicator the counts worked out by
 * hand below, score them linearly against their thresholds, and list
 * behind every number exactly the records it counts.
 */
#include "core/compat.h"
#include "harness/harness.h"

#include <math.h>

static struct th_server srv;
static char db[600], clock_file[600], counter[128], leader[128],
	control[128];

#define P1 "9.976601"
#define P2 "9.976602"
#define FIELD "Thử nghiệm chỉ số 766"
#define UNIT "000.00.04.H51"
#define Q "from=2024-01-01&to=2024-01-31&unit_code=" UNIT \
	"&field=Th%E1%BB%AD%20nghi%E1%BB%87m%20ch%E1%BB%89%20s%E1%BB%91%20766"

static void set_clock(const char *iso)
{
	assert_int_equal(th_write_file(clock_file, iso), 0);
	if (srv.base[0]) {
		th_login(srv.base, "tiepnhan", "motcua-demo", counter,
			 sizeof(counter));
		th_login(srv.base, "lanhdao", "motcua-demo", leader,
			 sizeof(leader));
		th_login(srv.base, "kiemsoat", "motcua-demo", control,
			 sizeof(control));
	}
}

/* Creates and publishes a procedure of FIELD of 'level' at 'unit'. */
static void procedure_at(const char *code, const char *level,
			 const char *unit, const char *online, bool fees,
			 const char *valid_from, const char *decision_date)
{
	json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:s, "
		"s:{s:s, s:b, s:b}, s:[{s:s, s:s, s:s, s:b}], s:[{s:s, s:s, "
		"s:i}, {s:s, s:s, s:i}]}", "code", code, "name", "Thủ tục thử "
		"chỉ số 766", "field", FIELD, "level", level, "unit_code",
		unit, "processing_time", "amount", 3, "unit", "working_days",
		"online_level", online, "result", "document_type", "Giấy chứng "
		"nhận", "paper", 0, "electronic", 1, "components", "code", "TK",
		"name", "Tờ khai", "form", "original", "required", 1, "steps",
		"name", "Tiếp nhận", "role", "counter_officer",
		"share_percent", 10, "name", "Giải quyết", "role", "leader",
		"share_percent", 90);
	json_t *j = NULL;
	char path[120];

	if (fees)
		json_object_set_new(p, "fees", json_pack("[{s:s, s:s, s:i}]",
			"name", "Lệ phí", "kind", "charge", "amount", 50000));
	if (th_api(srv.base, "POST", "/api/v1/procedures", control, p, &j) !=
	    201)
		fail_msg("procedure %s: %s", code, json_dumps(j, 0));
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/procedures/%s/publish", code);
	if (th_api(srv.base, "POST", path, control, json_pack("{s:s, s:s, "
		   "s:s}", "valid_from", valid_from, "decision_number",
		   "766/QĐ-UBND", "decision_date", decision_date), &j) != 200)
		fail_msg("publish %s: %s", code, json_dumps(j, 0));
	json_decref(j);
}

/* A provincial procedure of FIELD at UNIT. */
static void procedure(const char *code, const char *online, bool fees,
		      const char *valid_from, const char *decision_date)
{
	procedure_at(code, "province", UNIT, online, fees, valid_from,
		     decision_date);
}

static int setup(void **state)
{
	(void)state;
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	setenv("MOTCUA_WATCH_INTERVAL", "0", 1);
	th_path(clock_file, sizeof(clock_file), "clock");
	set_clock("2024-01-03T09:00:00+07:00");
	setenv("MOTCUA_TEST_CLOCK", clock_file, 1);
	th_demo_db(db, sizeof(db), "index766");
	th_serve(&srv, (const char *[]){ "--db", db, NULL });
	set_clock("2024-01-03T09:00:00+07:00");
	/*
	 * P1: decided 02/01, in force from 15/01 (eight working days
	 * later), published 03/01: on time twice. Online, with a fee.
	 */
	procedure(P1, "partial", true, "2024-01-15", "2024-01-02");
	/*
	 * P2: decided 24/01 for 29/01 (three working days: late),
	 * published the next day (on time). Not online, no fee.
	 */
	set_clock("2024-01-25T09:00:00+07:00");
	procedure(P2, "none", false, "2024-01-29", "2024-01-24");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(th_serve_stop(&srv), 0);
	unsetenv("MOTCUA_TEST_CLOCK");
	return 0;
}

static char *intake(const char *channel, const char *name)
{
	return th_intake(srv.base, counter, P1, channel, "051200007661", name,
			 "0905766766");
}

/* An action that must succeed, on this test's server. */
static void act(const char *tok, const char *code, json_t *body)
{
	th_act(srv.base, tok, code, body);
}

static void resolve(const char *code)
{
	act(counter, code, json_pack("{s:s, s:s}", "action", "forward",
				     "unit_code", UNIT));
	act(leader, code, json_pack("{s:s, s:{s:s, s:b}}", "action",
				    "complete", "result", "number", "766/GCN",
				    "generate", 1));
}

static void feedback(const char *dossier, const char *subject)
{
	json_t *b = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:s}",
		"channel", "hotline", "title", "Hồ sơ chậm", "content", "Hồ sơ "
		"của tôi trả kết quả chậm.", "sender", "name", "Lê Thị Hoa",
		"phone", "0905766766", "dossier_code", dossier, "unit_code",
		UNIT), *j = NULL;

	if (subject)
		json_object_set_new(b, "subject", json_string(subject));
	if (th_api(srv.base, "POST", "/api/v1/feedback", control, b, &j) !=
	    201)
		fail_msg("feedback: %s", json_dumps(j, 0));
	json_decref(j);
}

static json_t *indicator(json_t *ix, const char *id)
{
	json_t *a = json_object_get(ix, "indicators"), *o;
	size_t i;

	json_array_foreach(a, i, o)
		if (!strcmp(th_str(o, "id"), id))
			return o;
	fail_msg("no indicator %s", id);
	return NULL;
}

static json_int_t num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static double real(json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

/* Asserts an indicator's counts and, when scored, its points. */
static void check(json_t *ix, const char *id, json_int_t den, json_int_t n,
		  double points)
{
	json_t *o = indicator(ix, id);

	if (num(o, "denominator") != den || num(o, "numerator") != n)
		fail_msg("%s: %lld / %lld, wanted %lld / %lld", id,
			 (long long)num(o, "numerator"),
			 (long long)num(o, "denominator"), (long long)n,
			 (long long)den);
	if (points < 0)
		assert_true(json_is_null(json_object_get(o, "points")));
	else if (fabs(real(o, "points") - points) > 0.001)
		fail_msg("%s: %.2f points, wanted %.2f", id,
			 real(o, "points"), points);
}

/* The codes behind indicator 'id''s 'part', all of them, sorted. */
static json_t *records(const char *id, const char *part, json_int_t *total)
{
	json_t *codes = json_array(), *j, *it;
	char path[600];
	long cursor = 0;
	size_t i;

	for (;;) {
		snprintf(path, sizeof(path), "/api/v1/reports/index766/records?"
			 "%s&indicator=%s&part=%s&limit=2&cursor=%ld", Q, id,
			 part, cursor);
		if (th_api(srv.base, "GET", path, leader, NULL, &j) != 200)
			fail_msg("%s: %s", path, json_dumps(j, 0));
		*total = num(j, "total");
		json_array_foreach(json_object_get(j, "items"), i, it)
			json_array_append_new(codes, json_string(th_str(it,
								  "code")));
		if (json_is_null(json_object_get(j, "next_cursor"))) {
			json_decref(j);
			return codes;
		}
		cursor = (long)num(j, "next_cursor");
		json_decref(j);
	}
}

static bool has(json_t *codes, const char *code)
{
	json_t *v;
	size_t i;

	json_array_foreach(codes, i, v)
		if (!strcmp(json_string_value(v), code))
			return true;
	return false;
}

static void test_index(void **state)
{
	char *a, *b, *c, *d;
	json_t *ix, *o, *r;
	json_int_t total;
	size_t i, k;
	char sql[300];

	(void)state;
	/* A: online, accepted and resolved the same day: early. */
	set_clock("2024-01-16T09:00:00+07:00");
	a = intake("online", "Hồ Sơ Một");
	act(counter, a, json_pack("{s:s}", "action", "accept"));
	resolve(a);
	/* B: at the counter, resolved on 30/01, ten working days on: late. */
	b = intake("direct", "Hồ Sơ Hai");
	/* C: open, due 22/01: overdue at the end of January. */
	set_clock("2024-01-17T09:00:00+07:00");
	c = intake("direct", "Hồ Sơ Ba");
	/* D: by post on 30/01, due in February: within its deadline. */
	set_clock("2024-01-30T09:00:00+07:00");
	resolve(b);
	d = intake("postal", "Hồ Sơ Bốn");
	/* Two pieces of feedback about B: the second repeats the first. */
	feedback(b, "procedure");
	set_clock("2024-01-30T10:00:00+07:00");
	feedback(b, NULL);
	/* A's fee paid through the national portal's platform. */
	snprintf(sql, sizeof(sql), "INSERT INTO payments (province_code, "
		 "dossier_id, method, platform, amount, receipt_no, payer_name, "
		 "paid_at, created_at) SELECT province_code, id, 'platform', "
		 "'dvcqg', 50000, 'BL-766', 'Hồ Sơ Một', received_at, "
		 "received_at FROM dossiers WHERE code = '%s'", a);
	assert_int_equal(th_db_exec(db, sql, sql), 0);

	set_clock("2024-02-05T09:00:00+07:00");
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/reports/index766?" Q,
				leader, NULL, &ix), 200);
	assert_string_equal(th_str(ix, "field"), FIELD);
	assert_string_equal(th_str(ix, "from"), "2024-01-01");
	/* The catalog: P1 and P2 announced in January, both in force. */
	check(ix, "1.1", 2, 1, 2.0);
	check(ix, "1.2", 2, 2, 4.0);
	check(ix, "1.3", 2, 2, 4.0);
	check(ix, "3.1", 2, 1, 2.5);		/* 50 % of the 80 % asked */
	check(ix, "3.2", 1, 1, 4.0);
	check(ix, "TTTT-a", 1, 0, 0.0);	/* no way to pay online */
	/* Dossiers: A early, B late, C overdue, D within its deadline. */
	check(ix, "2.1", 4, 2, 10.0);
	o = indicator(ix, "2.2");		/* 0 and 10 working days */
	assert_int_equal(num(o, "denominator"), 2);
	assert_true(fabs(real(o, "average_working_days") - 5.0) < 0.001);
	check(ix, "3.3", 4, 1, 2.0);		/* 25 % of the 50 % asked */
	check(ix, "TTTT-b", 4, 1, 1.25);
	/* 4 − 2 overdue − 1 with feedback = 1: 25 % of 90 %, of 6 points. */
	check(ix, "5.4", 4, 1, 1.67);
	check(ix, "4.1", 0, 0, -1);		/* no paper results */
	check(ix, "4.2", 4, 0, 0.0);
	check(ix, "4.3", 4, 0, 0.0);
	check(ix, "4.4", 4, 2, 2.0);		/* A's and B's e-results */
	/* Feedback: one classified, none late, the second repeated. */
	check(ix, "5.1", 2, 1, 1.5);
	check(ix, "5.2", 2, 2, 3.0);
	check(ix, "5.3", 2, 1, 3.0);
	/* Not available without the national portal: no points, no max. */
	assert_false(json_is_true(json_object_get(indicator(ix, "1.4"),
						  "available")));
	/* Four people, none checked against the population database nor
	 * signed in with VNeID. */
	check(ix, "4.5", 4, 0, 0.0);
	/* 40.92 points of the 89 that could be scored: 45.98 of 100. */
	o = json_object_get(ix, "total");
	assert_true(fabs(real(o, "points") - 40.92) < 0.001);
	assert_true(fabs(real(o, "max") - 89.0) < 0.001);
	assert_true(fabs(real(o, "score") - 45.98) < 0.001);

	/* Behind every number, exactly the records it counts. */
	json_array_foreach(json_object_get(ix, "indicators"), i, o) {
		const char *parts[5] = { "denominator", "numerator" };
		json_t *pa = json_object_get(o, "parts"), *p;
		json_int_t want;

		if (!json_is_true(json_object_get(o, "available")))
			continue;
		if (pa) {
			parts[1] = NULL;
			json_array_foreach(pa, k, p)
				parts[k + 1] = th_str(p, "id");
		}
		for (k = 0; k < 5 && parts[k]; k++) {
			if (!strcmp(th_str(o, "id"), "2.2") && k == 1)
				continue;	/* a sum of days */
			want = !strcmp(parts[k], "denominator") ?
				num(o, "denominator") : !strcmp(parts[k],
				"numerator") ? num(o, "numerator") : 0;
			if (pa && k > 0)
				want = num(json_array_get(pa, k - 1), "count");
			r = records(th_str(o, "id"), parts[k], &total);
			if (total != want ||
			    (json_int_t)json_array_size(r) != want)
				fail_msg("%s %s: %lld records, %zu listed, "
					 "counted %lld", th_str(o, "id"),
					 parts[k], (long long)total,
					 json_array_size(r), (long long)want);
			json_decref(r);
		}
	}
	r = records("2.1", "numerator", &total);
	assert_true(has(r, a) && has(r, d) && !has(r, b) && !has(r, c));
	json_decref(r);
	r = records("5.4", "overdue", &total);
	assert_true(has(r, b) && has(r, c) && total == 2);
	json_decref(r);
	r = records("1.1", "numerator", &total);
	assert_true(has(r, P1) && !has(r, P2));
	json_decref(r);
	json_decref(ix);

	/* Bad requests name the parameter. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/reports/index766/"
		"records?" Q "&indicator=9.9", leader, NULL, &ix), 400);
	assert_string_equal(th_str(json_array_get(json_object_get(ix,
			    "errors"), 0), "field"), "indicator");
	json_decref(ix);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/reports/index766/"
		"records?" Q "&indicator=5.4&part=disliked", leader, NULL,
		&ix), 400);
	json_decref(ix);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/reports/index766?"
		"from=2024-01-01&to=2024-01-31&level=hamlet", leader, NULL,
		&ix), 400);
	json_decref(ix);

	/* The configured weights are the ones scored, also on the CLI. */
	{
		char *out = NULL, *err = NULL;

		assert_int_equal(th_motcua((const char *[]){ "report",
			"index766", "--db", db, "--from", "2024-01-01", "--to",
			"2024-01-31", "--unit", UNIT, "--field", FIELD,
			"--index766", "2.1=10:40", NULL }, NULL, &out, &err),
			0);
		/* 50 % of the 40 % asked: full points, 10. */
		assert_non_null(strstr(out, "\r\n2.1,TDGQ,\"Tỷ lệ hồ sơ xử lý "
				       "trước hạn, đúng hạn\",4,2,\"50,00\","
				       "\"40,00\",\"10,00\",\"10,00\"\r\n"));
		free(out);
		free(err);
		assert_int_equal(th_motcua((const char *[]){ "report",
			"index766", "--db", db, "--from", "2024-01-01", "--to",
			"2024-01-31", "--index766", "2.1=ten", NULL }, NULL,
			&out, &err), 2);
		assert_non_null(strstr(err, "index766"));
		free(out);
		free(err);
	}
	free(a);
	free(b);
	free(c);
	free(d);
}

/* Received in January 2024 by a unit merged away in 2025. */
#define P3 "9.976603"
#define OLD "000.00.71.H51"	/* UBND TP Quảng Ngãi, until 30/06/2025 */
#define NEW "000.01.50.H51"	/* phường Cẩm Thành, its successor */

/* The received count of 'path' (a summary or Biểu 06 query). */
static json_int_t received(const char *path, const char *key)
{
	json_t *j = NULL;
	json_int_t n;

	if (th_api(srv.base, "GET", path, control, NULL, &j) != 200)
		fail_msg("%s: %s", path, j ? json_dumps(j, 0) : "");
	n = !strcmp(key, "summary") ? num(json_object_get(j, "dossiers"),
		"received") : json_integer_value(json_object_get(
		json_object_get(json_object_get(j, "total"), "received"),
		"total"));
	json_decref(j);
	return n;
}

/*
 * Units merged in 2025: a district's dossier of 2024 counts in the
 * district as it was, and in its successor only when history is mapped.
 */
static void history(void)
{
	json_t *j = NULL;
	char *out = NULL, *err = NULL;

	set_clock("2024-01-08T09:00:00+07:00");
	procedure_at(P3, "district", OLD, "none", false, "2024-01-08",
		     "2024-01-08");
	free(th_intake(srv.base, counter, P3, "direct", "051200007663",
		       "Hồ Sơ Huyện", "0905766763"));
	/* As they were: the district's; its successor had none. */
	assert_int_equal(received("/api/v1/reports/summary?from=2024-01-01&"
		"to=2024-01-31&unit_code=" OLD, "summary"), 1);
	assert_int_equal(received("/api/v1/reports/summary?from=2024-01-01&"
		"to=2024-01-31&unit_code=" NEW, "summary"), 0);
	/* Mapped: the successor counts it, in the summary and Biểu 06. */
	assert_int_equal(received("/api/v1/reports/summary?from=2024-01-01&"
		"to=2024-01-31&unit_code=" NEW "&history=mapped", "summary"),
		1);
	assert_int_equal(received("/api/v1/reports/bieu06?from=2024-01-01&"
		"to=2024-01-31&unit_code=" NEW "&history=mapped", "bieu06"), 1);
	assert_int_equal(received("/api/v1/reports/bieu06?from=2024-01-01&"
		"to=2024-01-31&unit_code=" NEW, "bieu06"), 0);
	/* And on the command line; a bad value names the option. */
	assert_int_equal(th_motcua((const char *[]){ "report", "half-year",
		"--db", db, "--year", "2024", "--half", "1", "--cutoff", "0",
		"--unit", NEW, "--history", "mapped", "--format", "json",
		NULL }, NULL, &out, &err), 0);
	j = json_loads(out, 0, NULL);
	assert_int_equal(num(json_object_get(json_object_get(j, "levels"),
			     "district"), "received"), 1);
	json_decref(j);
	free(out);
	free(err);
	assert_int_equal(th_motcua((const char *[]){ "report", "index766",
		"--db", db, "--from", "2024-01-01", "--to", "2024-01-31",
		"--unit", NEW, "--history", "merged", NULL }, NULL, &out,
		&err), 2);
	assert_non_null(strstr(err, "--history"));
	free(out);
	free(err);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/reports/index766?"
		"from=2024-01-01&to=2024-01-31&history=merged", control, NULL,
		&j), 400);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "field"), "history");
	json_decref(j);
}

/* The half-year report's figures, over the API and written out. */
/*
 * The province's template as configuration: the API's PDF and the
 * command line use it, with a closing of recipients and signature.
 */
static void province_template(const char *tmpl)
{
	struct th_server own;
	char url[512], auth[200], *text, *out = NULL, *err = NULL;

	assert_int_equal(th_write_file(tmpl, "{{unit.governing}}\n"
		"**{{unit.name}}**\n<!-- body -->\n**BÁO CÁO RIÊNG**\n\n"
		"Tổng: {{dossiers.received}} hồ sơ.\n\n"
		"![Trực tuyến](chart:online_by_level)\n"
		"<!-- closing -->\n*Nơi nhận:*\n- Văn phòng Chính phủ;\n"
		"- Lưu: VT, KSTT.\n<!-- sign -->\n**TM. ỦY BAN NHÂN DÂN**\n"
		"**CHỦ TỊCH**\n\n**Nguyễn Văn A**\n"), 0);
	assert_int_equal(th_motcua((const char *[]){ "report", "half-year",
		"--db", db, "--year", "2024", "--half", "1", "--cutoff", "0",
		"--unit", UNIT, "--report-template", tmpl, NULL }, NULL, &out,
		&err), 0);
	assert_non_null(strstr(out, "Tổng: 4 hồ sơ."));
	free(out);
	free(err);
	th_serve(&own, (const char *[]){ "--db", db, "--report-template",
		 tmpl, NULL });
	snprintf(url, sizeof(url), "%s/api/v1/reports/summary?from=2024-01-"
		 "01&to=2024-06-30&unit_code=%s&format=pdf", own.base, UNIT);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", leader);
	text = th_pdf_text(url, auth, "rieng.pdf", true, NULL, true);
	assert_non_null(strstr(text, "BÁO CÁO RIÊNG"));
	assert_non_null(strstr(text, "Tổng: 4 hồ sơ."));
	assert_null(strstr(text, "<!--"));
	/* Side by side: the recipients left, who signs right. */
	assert_non_null(strstr(text, "Nơi nhận:"));
	assert_true(strstr(text, "Nơi nhận:") < strstr(text, "CHỦ TỊCH"));
	assert_non_null(strstr(text, "- Văn phòng Chính phủ;"));
	assert_non_null(strstr(text, "Nguyễn Văn A"));
	{
		const char *l = strstr(text, "- Văn phòng Chính phủ;");
		const char *eol = strchr(l, '\n');

		/* On one line of the layout: the two columns. */
		assert_true(strstr(l, "TM. ỦY BAN NHÂN DÂN") < eol ||
			    strstr(l, "CHỦ TỊCH") < eol);
	}
	free(text);
	assert_int_equal(th_serve_stop(&own), 0);
}

static void test_summary(void **state)
{
	char tmpl[600], *out = NULL, *err = NULL;
	json_t *j, *o;

	(void)state;
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/reports/summary?"
		"from=2024-01-01&to=2024-01-31&unit_code=" UNIT, leader, NULL,
		&j), 200);
	o = json_object_get(j, "dossiers");
	assert_int_equal(num(o, "received"), 4);
	assert_int_equal(num(o, "online"), 1);
	assert_int_equal(num(o, "resolved"), 2);
	assert_true(fabs(real(o, "on_time_rate") - 50.0) < 0.001);
	assert_int_equal(num(o, "agencies"), 1);
	/* Sở Tư pháp is a province-wide body; no district, no commune. */
	o = json_object_get(json_object_get(j, "levels"), "province");
	assert_int_equal(num(o, "received"), 4);
	o = json_object_get(json_object_get(j, "levels"), "commune");
	assert_int_equal(num(o, "received"), 0);
	assert_true(json_is_null(json_object_get(o, "online_rate")));
	/* Narrowed to a level with none of them: nothing. */
	{
		json_t *k;

		assert_int_equal(th_api(srv.base, "GET", "/api/v1/reports/"
			"summary?from=2024-01-01&to=2024-01-31&unit_code="
			UNIT "&level=commune", leader, NULL, &k), 200);
		assert_int_equal(num(json_object_get(k, "dossiers"),
				     "received"), 0);
		json_decref(k);
	}
	/* The same figures as a chart: one bar per level with dossiers. */
	{
		char url[512], auth[200];
		struct th_resp r;
		char *svg;

		snprintf(url, sizeof(url), "%s/api/v1/reports/charts/"
			 "on_time_by_level?from=2024-01-01&to=2024-01-31&"
			 "unit_code=%s", srv.base, UNIT);
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
			 leader);
		assert_int_equal(th_http("GET", url, (const char *[]){ auth,
				 NULL }, NULL, 0, &r), 0);
		assert_int_equal(r.status, 200);
		svg = strndup(r.body, r.len);
		assert_non_null(strstr(svg, "<svg xmlns=\"http://www.w3.org/"
				       "2000/svg\""));
		assert_non_null(strstr(svg, "Tỷ lệ hồ sơ giải quyết trước hạn "
				       "và đúng hạn"));
		assert_non_null(strstr(svg, ">Cấp tỉnh</text>"));
		assert_non_null(strstr(svg, ">50,00%</text>"));
		assert_null(strstr(svg, "Cấp xã"));
		free(svg);
		th_resp_free(&r);
		/* The report itself, and its figures as CSV. */
		snprintf(url, sizeof(url), "%s/api/v1/reports/summary?"
			 "from=2024-01-01&to=2024-01-31&unit_code=%s&"
			 "format=pdf", srv.base, UNIT);
		assert_int_equal(th_http("GET", url, (const char *[]){ auth,
				 NULL }, NULL, 0, &r), 0);
		assert_int_equal(r.status, 200);
		assert_memory_equal(r.body, "%PDF-", 5);
		assert_non_null(strstr(r.headers, "application/pdf"));
		th_resp_free(&r);
		snprintf(url, sizeof(url), "%s/api/v1/reports/summary?"
			 "from=2024-01-01&to=2024-01-31&unit_code=%s&"
			 "format=csv", srv.base, UNIT);
		assert_int_equal(th_http("GET", url, (const char *[]){ auth,
				 NULL }, NULL, 0, &r), 0);
		assert_int_equal(r.status, 200);
		assert_non_null(strstr(r.body, "\r\ndossiers.received,Toàn "
				       "bộ: hồ sơ tiếp nhận,4,\r\n"));
		th_resp_free(&r);
		snprintf(url, sizeof(url), "%s/api/v1/reports/summary?"
			 "from=2024-01-01&to=2024-01-31&format=docx", srv.base);
		assert_int_equal(th_http("GET", url, (const char *[]){ auth,
				 NULL }, NULL, 0, &r), 0);
		assert_int_equal(r.status, 400);
		th_resp_free(&r);
		/* By month: January's two resolved, one late. */
		snprintf(url, sizeof(url), "%s/api/v1/reports/charts/"
			 "on_time_trend?from=2024-01-01&to=2024-01-31&"
			 "unit_code=%s", srv.base, UNIT);
		assert_int_equal(th_http("GET", url, (const char *[]){ auth,
				 NULL }, NULL, 0, &r), 0);
		assert_int_equal(r.status, 200);
		assert_non_null(strstr(r.body, ">Tháng 01/2024</text>"));
		assert_non_null(strstr(r.body, ">50,00%</text>"));
		th_resp_free(&r);
		snprintf(url, sizeof(url), "%s/api/v1/reports/charts/pie?"
			 "from=2024-01-01&to=2024-01-31", srv.base);
		assert_int_equal(th_http("GET", url, (const char *[]){ auth,
				 NULL }, NULL, 0, &r), 0);
		assert_int_equal(r.status, 404);
		th_resp_free(&r);
	}
	/* One decision announced both procedures. */
	o = json_object_get(j, "catalog");
	assert_int_equal(num(o, "decisions"), 1);
	assert_int_equal(num(o, "announced"), 2);
	/* A was resolved the day it came; D came, and goes back, by post. */
	o = json_object_get(j, "service");
	assert_int_equal(num(o, "on_the_spot"), 1);
	assert_int_equal(num(o, "postal_in"), 1);
	assert_int_equal(num(o, "postal_out"), 1);
	o = json_object_get(j, "feedback");
	assert_int_equal(num(o, "hotline"), 2);
	assert_int_equal(num(o, "total"), 2);
	o = json_object_get(j, "payments");
	assert_int_equal(num(o, "platform_count"), 1);
	assert_int_equal(num(o, "platform_amount"), 50000);
	assert_true(fabs(real(json_object_get(j, "index766"), "score") -
			 45.98) < 0.001);
	json_decref(j);

	/* The half-year report: the built-in template, filled. */
	assert_int_equal(th_motcua((const char *[]){ "report", "half-year",
		"--db", db, "--year", "2024", "--half", "1", "--cutoff", "0",
		"--unit", UNIT, NULL }, NULL, &out, &err), 0);
	assert_non_null(strstr(out, "6 tháng đầu năm 2024"));
	assert_non_null(strstr(out, "từ ngày 01/01/2024 đến ngày 30/06/2024"));
	assert_non_null(strstr(out, "Cấp tỉnh (sở, ngành): tiếp nhận 4 hồ sơ, "
			       "tỷ lệ\n    trước hạn và đúng hạn 50,00%."));
	assert_non_null(strstr(out, "cấp huyện đạt — (không phát sinh)"));
	assert_non_null(strstr(out, "Thanh toán trực tuyến: 1 giao dịch với số "
			       "tiền\n  50.000 đồng"));
	free(out);
	free(err);
	/* A province's own template; an unknown figure names its line. */
	th_path(tmpl, sizeof(tmpl), "bao-cao.md");
	assert_int_equal(th_write_file(tmpl, "Tổng: {{dossiers.received}} hồ "
		"sơ; đúng hạn {{dossiers.on_time_rate}}; PAKN qua đường dây "
		"nóng: {{feedback.hotline}}.\n"), 0);
	assert_int_equal(th_motcua((const char *[]){ "report", "half-year",
		"--db", db, "--year", "2024", "--half", "1", "--cutoff", "0",
		"--unit", UNIT, "--template", tmpl, NULL }, NULL, &out, &err),
		0);
	assert_string_equal(out, "Tổng: 4 hồ sơ; đúng hạn 50,00%; PAKN qua "
			    "đường dây nóng: 2.\n");
	free(out);
	free(err);
	assert_int_equal(th_write_file(tmpl, "Dòng một\n{{dossiers.recieved}}"
				       "\n"), 0);
	assert_int_equal(th_motcua((const char *[]){ "report", "half-year",
		"--db", db, "--year", "2024", "--half", "1", "--unit", UNIT,
		"--template", tmpl, NULL }, NULL, &out, &err), 2);
	assert_non_null(strstr(err, "line 2: no figure called "
			       "\"dossiers.recieved\""));
	free(out);
	free(err);
	/* As configuration, a broken template stops the server starting. */
	assert_int_equal(th_motcua((const char *[]){ "serve", "--db", db,
		"--listen", "127.0.0.1:0", "--report-template", tmpl, NULL },
		NULL, &out, &err), 1);
	assert_non_null(strstr(err, "report_template"));
	assert_non_null(strstr(err, "line 2: no figure called "
			       "\"dossiers.recieved\""));
	free(out);
	free(err);
	province_template(tmpl);
	history();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_summary),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
