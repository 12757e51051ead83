/*
 * test_reports.c — Biểu 06 against the real server on SQLite and
 * PostgreSQL (docs/reports.md). The server's clock is moved through
 * December 2023 – February 2024 while dossiers are received, completed,
 * refused and left open; January 2024's table must then count each one
 * in its column, add up, and come out the same as CSV.
 */
#include "core/compat.h"
#include "harness/harness.h"

static struct th_server srv;
static char db[600], clock_file[600], counter[128], leader[128];

#define PROC "9.990601"
#define FIELD "Thử nghiệm báo cáo"

/* Moves the server's clock; sessions do not outlive days, so sign in. */
static void set_clock(const char *iso)
{
	assert_int_equal(th_write_file(clock_file, iso), 0);
	if (srv.base[0]) {
		th_login(srv.base, "tiepnhan", "motcua-demo", counter,
			 sizeof(counter));
		th_login(srv.base, "lanhdao", "motcua-demo", leader,
			 sizeof(leader));
	}
}

static int setup(void **state)
{
	char tok[128];

	(void)state;
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	setenv("MOTCUA_WATCH_INTERVAL", "0", 1);
	th_path(clock_file, sizeof(clock_file), "clock");
	set_clock("2023-12-01T09:00:00+07:00");
	setenv("MOTCUA_TEST_CLOCK", clock_file, 1);
	th_demo_db(db, sizeof(db), "reports");
	th_serve(&srv, (const char *[]){ "--db", db, NULL });
	th_login(srv.base, "tiepnhan", "motcua-demo", counter,
		 sizeof(counter));
	th_login(srv.base, "lanhdao", "motcua-demo", leader, sizeof(leader));
	th_login(srv.base, "kiemsoat", "motcua-demo", tok, sizeof(tok));
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures", tok,
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:{s:s, s:b}, "
		"s:[{s:s, s:s, s:s, s:b}], s:[{s:s, s:s, s:i}, {s:s, s:s, "
		"s:i}]}", "code", PROC, "name", "Thủ tục thử báo cáo", "field",
		FIELD, "level", "province", "unit_code", "000.00.04.H51",
		"processing_time", "amount", 3, "unit", "working_days",
		"result", "document_type", "Giấy", "paper", 1, "components",
		"code", "TK", "name", "Tờ khai", "form", "original", "required",
		1, "steps", "name", "Tiếp nhận", "role", "counter_officer",
		"share_percent", 10, "name", "Giải quyết", "role", "leader",
		"share_percent", 90), NULL), 201);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures/" PROC
		"/publish", tok, json_pack("{s:s, s:s, s:s}", "valid_from",
		"2023-12-01", "decision_number", "6/QĐ", "decision_date",
		"2023-11-20"), NULL), 200);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(th_serve_stop(&srv), 0);
	unsetenv("MOTCUA_TEST_CLOCK");
	return 0;
}

/* A dossier taken in now through 'channel'; its code (malloc'd). */
static char *intake(const char *channel, const char *name)
{
	return th_intake(srv.base, counter, PROC, channel, "051200001234",
			 name, "0905111222");
}

/* An action that must succeed, on this test's server. */
static void act(const char *tok, const char *code, json_t *body)
{
	th_act(srv.base, tok, code, body);
}

static void forward(const char *code)
{
	act(counter, code, json_pack("{s:s, s:s}", "action", "forward",
				     "unit_code", "000.00.04.H51"));
}

static void complete(const char *code)
{
	act(leader, code, json_pack("{s:s, s:{s:s}}", "action", "complete",
				    "result", "number", "1/TN"));
}

static json_int_t at(json_t *o, const char *group, const char *k)
{
	return json_integer_value(json_object_get(json_object_get(o, group),
						  k));
}

/* A4 landscape, as pdfinfo says it. */
#define LANDSCAPE "841.89 x 595.276"

static void test_bieu06(void **state)
{
	char *a, *b, *c, *d, *e, *f, *g, *h, *h2;
	struct th_resp r;
	char url[300];
	json_t *j, *row;

	(void)state;
	/* H: in and out in December: not January's. */
	set_clock("2023-12-20T09:00:00+07:00");
	h = intake("direct", "Hồ Sơ Tám");
	set_clock("2023-12-22T09:00:00+07:00");
	forward(h);
	complete(h);
	/* A: received in December, resolved in January: carried over. */
	set_clock("2023-12-28T09:00:00+07:00");
	a = intake("direct", "Hồ Sơ Một");
	set_clock("2024-01-03T09:00:00+07:00");
	forward(a);
	complete(a);
	/* B: online, resolved the same morning: early. */
	b = intake("online", "Hồ Sơ Hai");
	act(counter, b, json_pack("{s:s}", "action", "accept"));
	forward(b);
	complete(b);
	/* C: received now, resolved late. */
	c = intake("direct", "Hồ Sơ Ba");
	/* D: by post, refused after appraisal: resolved, without a result. */
	set_clock("2024-01-04T09:00:00+07:00");
	d = intake("postal", "Hồ Sơ Bốn");
	forward(d);
	act(leader, d, json_pack("{s:s, s:s}", "action", "refuse", "reason",
				 "Không đủ điều kiện"));
	/* E: received, never finished: overdue at the end of January. */
	set_clock("2024-01-05T09:00:00+07:00");
	e = intake("direct", "Hồ Sơ Năm");
	set_clock("2024-01-15T09:00:00+07:00");
	forward(c);
	complete(c);
	/* F: received at the end of January, due in February. */
	set_clock("2024-01-30T09:00:00+07:00");
	f = intake("direct", "Hồ Sơ Sáu");
	/* G: February's. */
	set_clock("2024-02-02T09:00:00+07:00");
	g = intake("direct", "Hồ Sơ Bảy");

	/* A's receipt slip, as printed at the counter (TT 01/2018 set). */
	{
		char auth[200], *text;

		snprintf(url, sizeof(url), "%s/api/v1/dossiers/%s/forms/"
			 "receipt.pdf", srv.base, a);
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
			 counter);
		text = th_pdf_text(url, auth, "receipt.pdf", true, NULL, true);
		assert_non_null(strstr(text, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ "
				       "KẾT QUẢ"));
		assert_non_null(strstr(text, a));
		assert_non_null(strstr(text, "Hồ Sơ Một"));
		assert_non_null(strstr(text, "Thủ tục thử báo cáo"));
		assert_non_null(strstr(text, "Tờ khai (Bản chính; số lượng: "
				       "01)"));
		assert_non_null(strstr(text, "09 giờ 00 phút, ngày "
				       "28/12/2023"));
		assert_non_null(strstr(text, "03 ngày làm việc"));
		assert_non_null(strstr(text, "Thông tư số 01/2018/TT-VPCP"));
		assert_non_null(strstr(text, "(Liên: giao người nộp hồ sơ)"));
		free(text);
		/* Two copies: the one the centre keeps, then the applicant's,
		 * each on a sheet of its own. */
		snprintf(url, sizeof(url), "%s/api/v1/dossiers/%s/forms/"
			 "receipt.pdf?copies=2", srv.base, a);
		text = th_pdf_text(url, auth, "receipt2.pdf", true,
				"^Pages: *2$", false);
		assert_true(strstr(text, "Liên 1: lưu tại Bộ phận Một cửa") <
			    strstr(text, "Liên 2: giao người nộp hồ sơ"));
		assert_non_null(strstr(text, "Liên 1: lưu"));
		free(text);
		snprintf(url, sizeof(url), "/api/v1/dossiers/%s/forms/"
			 "receipt.pdf?copies=3", a);
		assert_int_equal(th_api(srv.base, "GET", url, counter, NULL,
					&j), 400);
		json_decref(j);
		/* D's refusal notice, signed by the leader who refused. */
		snprintf(url, sizeof(url), "%s/api/v1/dossiers/%s/forms/"
			 "refusal.pdf", srv.base, d);
		text = th_pdf_text(url, auth, "refusal.pdf", false, NULL, false);
		assert_non_null(strstr(text, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI "
				       "QUYẾT HỒ SƠ"));
		assert_non_null(strstr(text, "Kính gửi: Hồ Sơ Bốn"));
		assert_non_null(strstr(text, "Không đủ điều kiện"));
		assert_non_null(strstr(text, "Phạm Văn Lãnh"));
		assert_non_null(strstr(text, "Ngày 04 tháng 01 năm 2024"));
		free(text);
		/* C's process control sheet: its two hand-overs, the second
		 * late (resolved on 15/01, due 08/01). */
		snprintf(url, sizeof(url), "%s/api/v1/dossiers/%s/forms/"
			 "control.pdf", srv.base, c);
		text = th_pdf_text(url, auth, "control.pdf", true, NULL, false);
		assert_non_null(strstr(text, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI "
				       "QUYẾT HỒ SƠ"));
		assert_non_null(strstr(text, "Tiếp nhận"));
		assert_non_null(strstr(text, "Giải quyết"));
		assert_non_null(strstr(text, "Quá hạn"));
		assert_non_null(strstr(text, "Mẫu số 05, Thông tư số "
				       "01/2018/TT-VPCP"));
		free(text);
		/* The centre's register of January: one line a dossier it
		 * received, in landscape, with what became of each. */
		snprintf(url, sizeof(url), "%s/api/v1/reports/register.pdf?"
			 "from=2024-01-01&to=2024-01-31&unit_code="
			 "000.00.01.H51", srv.base);
		text = th_pdf_text(url, auth, "register.pdf", true, LANDSCAPE,
				false);
		assert_non_null(strstr(text, "SỔ THEO DÕI HỒ SƠ"));
		assert_non_null(strstr(text, "Từ ngày 01/01/2024 đến ngày "
				       "31/01/2024"));
		assert_non_null(strstr(text, "(5 hồ sơ)"));
		assert_non_null(strstr(text, "Hồ Sơ Hai"));
		assert_non_null(strstr(text, "Hồ Sơ Sáu"));
		assert_null(strstr(text, "Hồ Sơ Bảy"));	/* February */
		/* C was resolved late; D refused after appraisal. */
		assert_non_null(strstr(text, "Trễ hạn"));
		assert_non_null(strstr(text, "Từ chối giải"));
		assert_non_null(strstr(text, "Mẫu số 06, Thông tư số "
				       "01/2018/TT-VPCP"));
		free(text);
		/* A department keeps no register: the centre does. */
		assert_int_equal(th_api(srv.base, "GET", "/api/v1/reports/"
			"register.pdf?from=2024-01-01&to=2024-01-31&"
			"unit_code=000.00.04.H51", counter, NULL, &j), 400);
		assert_string_equal(th_str(json_array_get(json_object_get(j,
				    "errors"), 0), "field"), "unit_code");
		json_decref(j);
		/* A had no supplement request: nothing to print. */
		snprintf(url, sizeof(url), "/api/v1/dossiers/%s/forms/"
			 "supplement.pdf", a);
		assert_int_equal(th_api(srv.base, "GET", url, counter, NULL,
					&j), 409);
		assert_string_equal(th_str(json_array_get(json_object_get(j,
				    "errors"), 0), "rule"), "notice");
		json_decref(j);
		/* Not received yet: no receipt. */
		h2 = intake("online", "Hồ Sơ Chín");
		snprintf(url, sizeof(url), "/api/v1/dossiers/%s/forms/"
			 "receipt.pdf", h2);
		assert_int_equal(th_api(srv.base, "GET", url, counter, NULL,
					&j), 409);
		assert_string_equal(th_str(json_array_get(json_object_get(j,
				    "errors"), 0), "rule"), "received");
		json_decref(j);
		act(counter, h2, json_pack("{s:s, s:s}", "action", "refuse",
					   "reason", "Thử"));
		free(h2);
	}

	assert_int_equal(th_api(srv.base, "GET", "/api/v1/reports/bieu06?"
		"from=2024-01-01&to=2024-01-31&unit_code=000.00.04.H51",
		leader, NULL, &j), 200);
	assert_string_equal(th_str(j, "form"), "Biểu số 06/VPCP/KSTT");
	assert_int_equal(json_array_size(json_object_get(j, "rows")), 1);
	row = json_array_get(json_object_get(j, "rows"), 0);
	assert_string_equal(th_str(row, "level"), "province");
	assert_string_equal(th_str(row, "field"), FIELD);
	assert_int_equal(at(row, "received", "total"), 6);
	assert_int_equal(at(row, "received", "carried_over"), 1);
	assert_int_equal(at(row, "received", "online"), 1);
	assert_int_equal(at(row, "received", "direct_postal"), 4);
	assert_int_equal(at(row, "resolved", "total"), 4);
	assert_int_equal(at(row, "resolved", "late"), 1);
	assert_int_equal(at(row, "resolved", "early") +
			 at(row, "resolved", "on_time"), 3);
	assert_int_equal(at(row, "resolved", "returned"), 1);
	assert_int_equal(at(row, "in_progress", "total"), 2);
	assert_int_equal(at(row, "in_progress", "overdue"), 1);
	assert_int_equal(at(row, "in_progress", "within_deadline"), 1);
	assert_true(json_real_value(json_object_get(row, "on_time_rate")) ==
		    75.0);
	assert_int_equal(at(json_object_get(j, "total"), "received", "total"),
			 6);
	assert_string_equal(th_str(json_array_get(json_object_get(j, "levels"),
				    0), "name"), "Cấp tỉnh");
	json_decref(j);

	/* The same as CSV, with the official headings. */
	snprintf(url, sizeof(url), "%s/api/v1/reports/bieu06?from=2024-01-01&"
		 "to=2024-01-31&unit_code=000.00.04.H51&format=csv", srv.base);
	{
		char auth[200];

		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
			 leader);
		assert_int_equal(th_http("GET", url, (const char *[]){ auth,
				 NULL }, NULL, 0, &r), 0);
	}
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Nhận giải quyết: Tổng số"));
	assert_non_null(strstr(r.body, "\r\n1,Cấp tỉnh," FIELD
			       ",6,1,4,1,4,"));
	assert_non_null(strstr(r.body, ",1,2,1,1\r\n"));
	assert_non_null(strstr(r.body, "\r\n,Tổng cộng,,6,1,4,1,4,"));
	th_resp_free(&r);

	/* The official form as a spreadsheet, read back by openpyxl. */
	snprintf(url, sizeof(url), "%s/api/v1/reports/bieu06?from=2024-01-01&"
		 "to=2024-01-31&unit_code=000.00.04.H51&format=xlsx", srv.base);
	{
		char auth[200], file[700], cmd[1600];

		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
			 leader);
		assert_int_equal(th_http("GET", url, (const char *[]){ auth,
				 NULL }, NULL, 0, &r), 0);
		assert_int_equal(r.status, 200);
		assert_memory_equal(r.body, "PK", 2);	/* a zip */
		th_path(file, sizeof(file), "bieu06.xlsx");
		assert_int_equal(th_write_bytes(file, r.body, r.len), 0);
		th_resp_free(&r);
		snprintf(cmd, sizeof(cmd), "/usr/bin/python3 -c '"
			"import openpyxl,sys\n"
			"ws = openpyxl.load_workbook(sys.argv[1]).active\n"
			"m = set(str(x) for x in ws.merged_cells.ranges)\n"
			"assert {\"A7:A9\", \"C7:F7\", \"G7:N7\", \"G8:K8\", "
			"\"L8:N8\"} <= m, m\n"
			"assert ws[\"A1\"].value == \"Biểu số 06/VPCP/KSTT\"\n"
			"assert ws[\"A4\"].value.endswith(\"từ ngày 01/01/2024 "
			"đến ngày 31/01/2024\"), ws[\"A4\"].value\n"
			"rows = [[c.value for c in r] for r in ws.iter_rows("
			"min_row=11)]\n"
			"assert rows[0][:6] == [\"I\", \"Cấp tỉnh\", 6, 1, 4, 1], "
			"rows[0]\n"
			"assert rows[1][1] == \"" FIELD "\" and rows[1][9] == 1\n"
			"assert rows[-1][1] == \"Tổng cộng\" and rows[-1][2] == 6 "
			"and rows[-1][11] == 2\n"
			"' '%s'", file);
		assert_int_equal(system(cmd), 0);
	}

	/* The official form on A4 landscape pages. */
	{
		char auth[200], *text;

		snprintf(url, sizeof(url), "%s/api/v1/reports/bieu06?from="
			 "2024-01-01&to=2024-01-31&unit_code=000.00.04.H51&"
			 "format=pdf", srv.base);
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
			 leader);
		text = th_pdf_text(url, auth, "bieu06.pdf", true, LANDSCAPE,
				false);
		assert_non_null(strstr(text, "Biểu số 06/VPCP/KSTT"));
		assert_non_null(strstr(text, "Kỳ báo cáo: từ ngày 01/01/2024 "
				       "đến ngày 31/01/2024"));
		assert_non_null(strstr(text, "CẤP TỈNH"));
		assert_non_null(strstr(text, FIELD));
		assert_non_null(strstr(text, "TỔNG CỘNG"));
		free(text);
	}

	/* February: E and F carried over, G new; A–D are done. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/reports/bieu06?"
		"from=2024-02-01&to=2024-02-29&unit_code=000.00.04.H51",
		leader, NULL, &j), 200);
	row = json_array_get(json_object_get(j, "rows"), 0);
	assert_int_equal(at(row, "received", "carried_over"), 2);
	assert_int_equal(at(row, "received", "total"), 3);
	assert_int_equal(at(row, "in_progress", "total"), 3);
	/*
	 * February is not over: judged now (02/02 09:00), only E is past
	 * its appointment; F (due at the end of today) and G are within
	 * theirs, as they would not be on 29/02.
	 */
	assert_int_equal(at(row, "in_progress", "overdue"), 1);
	assert_int_equal(at(row, "in_progress", "within_deadline"), 2);
	json_decref(j);

	/* An official period: the first half of 2024 runs 15/12–14/06. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/reports/bieu06?"
		"period=half&year=2024&index=1&unit_code=000.00.04.H51",
		leader, NULL, &j), 200);
	assert_string_equal(th_str(j, "from"), "2023-12-15");
	assert_string_equal(th_str(j, "to"), "2024-06-14");
	row = json_array_get(json_object_get(j, "rows"), 0);
	/* H was finished on 22/12, inside it; all eight counted. */
	assert_int_equal(at(row, "received", "total"), 8);
	assert_int_equal(at(row, "received", "carried_over"), 0);
	json_decref(j);

	/* Refusals: a bad period, a unit outside the user's. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/reports/bieu06?"
		"period=quarter&year=2024", leader, NULL, &j), 400);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "field"), "index");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/reports/bieu06?"
		"from=2024-01-01&to=2024-01-31&unit_code=000.00.01.H51",
		leader, NULL, &j), 400);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "rule"), "scope");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/reports/bieu06?"
		"from=2024-01-01&to=2024-01-31&format=xml", leader, NULL, &j),
		400);
	json_decref(j);
	free(a);
	free(b);
	free(c);
	free(d);
	free(e);
	free(f);
	free(g);
	free(h);
}

/*
 * Closing January: kept as it stood, while the records change; a second
 * close refused; a closed table altered in the database is caught.
 */
static void test_close(void **state)
{
	static const char jan[] = "{\"from\": \"2024-01-01\", \"to\": "
		"\"2024-01-31\", \"unit_code\": \"000.00.04.H51\"}";
	json_t *j, *row, *ch;
	char *out = NULL, *err = NULL;
	struct th_resp r;

	(void)state;
	/* Counter officers read, they do not close. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/reports/bieu06/"
		"close", counter, json_loads(jan, 0, NULL), &j), 403);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/reports/bieu06/"
		"close", leader, json_loads(jan, 0, NULL), &j), 201);
	assert_true(json_is_true(json_object_get(json_object_get(j, "closed"),
						 "intact")));
	assert_int_equal(strlen(th_str(json_object_get(j, "closed"),
				       "sha256")), 64);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/reports/bieu06/"
		"close", leader, json_loads(jan, 0, NULL), &j), 409);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "rule"), "closed");
	json_decref(j);
	/* February still runs (the clock says 02/02): not closed. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/reports/bieu06/"
		"close", leader, json_pack("{s:s, s:s, s:s}", "from",
		"2024-02-01", "to", "2024-02-29", "unit_code",
		"000.00.04.H51"), &j), 409);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "rule"), "running");
	json_decref(j);
	/* Numbers or strings alike: the official second half of 2023. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/reports/bieu06/"
		"close", leader, json_pack("{s:s, s:i, s:i, s:s}", "period",
		"half", "year", 2023, "index", 2, "unit_code",
		"000.00.04.H51"), &j), 201);
	assert_string_equal(th_str(j, "from"), "2023-06-15");
	json_decref(j);
	/* The records change under January: one dossier counted again. */
	assert_int_equal(th_db_exec(db, "UPDATE dossiers SET channel = "
		"'online' WHERE applicant_name = 'Hồ Sơ Ba'", "UPDATE dossiers "
		"SET channel = 'online' WHERE applicant_name = 'Hồ Sơ Ba'"), 0);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/reports/bieu06?"
		"from=2024-01-01&to=2024-01-31&unit_code=000.00.04.H51",
		leader, NULL, &j), 200);
	row = json_array_get(json_object_get(j, "rows"), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
		row, "received"), "online")), 1);	/* as closed */
	ch = json_object_get(j, "changes_since_closed");
	assert_int_equal(json_array_size(ch), 2);
	assert_string_equal(th_str(json_array_get(ch, 0), "figure"),
			    "received.online");
	assert_int_equal(json_integer_value(json_object_get(
		json_array_get(ch, 0), "now")), 2);
	assert_string_equal(th_str(json_object_get(j, "closed"), "by"),
			    "lanhdao");
	json_decref(j);
	/* The CSV of a closed period is the closed table. */
	{
		char url[300], auth[200];

		snprintf(url, sizeof(url), "%s/api/v1/reports/bieu06?from="
			 "2024-01-01&to=2024-01-31&unit_code=000.00.04.H51&"
			 "format=csv", srv.base);
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
			 leader);
		assert_int_equal(th_http("GET", url, (const char *[]){ auth,
				 NULL }, NULL, 0, &r), 0);
		assert_int_equal(r.status, 200);
		assert_non_null(strstr(r.body, "\r\n1,Cấp tỉnh," FIELD
				       ",6,1,4,1,"));
		th_resp_free(&r);
	}
	/* Altered in the database: the audit and the report both say so. */
	assert_int_equal(th_motcua((const char *[]){ "audit", "verify", "--db",
		db, NULL }, NULL, &out, &err), 0);
	assert_non_null(strstr(out, "2 closed reports checked, 0 altered"));
	free(out);
	free(err);
	assert_int_equal(th_db_exec(db, "UPDATE report_snapshots SET body = "
		"replace(body, '\"late\":1', '\"late\":0')", "UPDATE "
		"report_snapshots SET body = replace(body, '\"late\":1', "
		"'\"late\":0')"), 0);
	assert_int_equal(th_motcua((const char *[]){ "audit", "verify", "--db",
		db, NULL }, NULL, &out, &err), 1);
	assert_non_null(strstr(out, "altered: closed report bieu06 "
			       "2024-01-01 – 2024-01-31"));
	free(out);
	free(err);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/reports/bieu06?"
		"from=2024-01-01&to=2024-01-31&unit_code=000.00.04.H51",
		leader, NULL, &j), 200);
	assert_true(json_is_false(json_object_get(json_object_get(j, "closed"),
						  "intact")));
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bieu06),
		cmocka_unit_test(test_close),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
