/*
 * test_feedback.c — feedback and petitions (phản ánh, kiến nghị) end to
 * end over HTTP, with the server's test clock so that working-day
 * deadlines are exact:
 *
 * - intake from the hotline, a letter, the national portal (the same
 *   portal id twice is one piece of feedback); bad input names the field;
 * - classification, routing to the competent unit, answer, publication,
 *   each step's deadline kept or missed; requesting and receiving more
 *   information restarts the handling time; forwarding out; refusing;
 * - the overdue flagged and listed;
 * - the public list of published answers shows no one's name or contact;
 * - Open311 GeoReport v2: services, filing by form, following a request.
 */
#include "core/compat.h"
#include "harness/harness.h"

static struct th_server srv;
static char db[600], clock_file[600], control[128], leader[128];

static void set_clock(const char *iso)
{
	assert_int_equal(th_write_file(clock_file, iso), 0);
}

static int setup(void **state)
{
	(void)state;
	th_path(clock_file, sizeof(clock_file), "clock");
	set_clock("2026-03-02T09:00:00+07:00");
	setenv("MOTCUA_TEST_CLOCK", clock_file, 1);
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	setenv("MOTCUA_WATCH_INTERVAL", "0", 1);
	th_demo_db(db, sizeof(db), "feedback");
	th_serve(&srv, (const char *[]){ "--db", db, "--threads", "2",
		 "--session-ttl", "720h", NULL });
	th_login(srv.base, "kiemsoat", "motcua-demo", control,
		 sizeof(control));
	th_login(srv.base, "lanhdao", "motcua-demo", leader, sizeof(leader));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(th_serve_stop(&srv), 0);
	return 0;
}

static const char *rule_of(json_t *j, const char *field)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(j, "errors"), i, e)
		if (!strcmp(th_str(e, "field"), field))
			return th_str(e, "rule");
	fail_msg("no error for %s in %s", field, json_dumps(j, 0));
	return NULL;
}

static json_t *intake(const char *channel, const char *title,
		      const char *external)
{
	json_t *body = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}}", "channel",
		channel, "title", title, "content", "Thủ tục cấp phép yêu cầu "
		"nộp lại giấy tờ đã có trong cơ sở dữ liệu.", "sender", "name",
		"Phan Văn Lợi", "phone", "0912 345 678"), *j;
	long st;

	if (external)
		json_object_set_new(body, "external_id", json_string(external));
	st = th_api(srv.base, "POST", "/api/v1/feedback", control, body, &j);
	if (st != 201 && st != 200)
		fail_msg("feedback: %ld %s", st, json_dumps(j, 0));
	return j;
}

static json_t *step(const char *tok, const char *code, json_t *body,
		    long want)
{
	char path[160];
	json_t *j;
	long st;

	snprintf(path, sizeof(path), "/api/v1/feedback/%s/actions", code);
	st = th_api(srv.base, "POST", path, tok, body, &j);
	if (st != want)
		fail_msg("%s: %ld, wanted %ld: %s", code, st, want,
			 json_dumps(j, 0));
	return j;
}

static void test_intake(void **state)
{
	json_t *j, *k;

	(void)state;
	j = intake("hotline", "Giấy tờ nộp nhiều lần", NULL);
	assert_string_equal(th_str(j, "code"), "PAKN-260302-0001");
	assert_string_equal(th_str(j, "status"), "received");
	assert_string_equal(th_str(j, "status_label"), "Đã tiếp nhận");
	/* Five working days to classify: Monday 9 March, 17:00. */
	assert_string_equal(th_str(j, "due_at"), "2026-03-09T17:00:00+07:00");
	assert_string_equal(th_str(json_object_get(j, "sender"), "phone"),
			    "0912345678");
	json_decref(j);
	/* The portal's id: twice is once. */
	j = intake("portal", "Từ Cổng DVCQG", "DVCQG-PA-7788");
	k = intake("portal", "Từ Cổng DVCQG", "DVCQG-PA-7788");
	assert_string_equal(th_str(j, "code"), th_str(k, "code"));
	json_decref(j);
	json_decref(k);
	/* Bad input names each field. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/feedback", control,
		json_pack("{s:s, s:s, s:{s:s, s:s}}", "channel", "fax",
		"content", "x", "sender", "name", "A", "phone", "123"), &j),
		400);
	assert_string_equal(rule_of(j, "channel"), "one_of");
	assert_string_equal(rule_of(j, "title"), "required");
	assert_string_equal(rule_of(j, "sender.phone"), "format");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/feedback", control,
		json_pack("{s:s, s:s, s:s, s:{s:s}}", "channel", "letter",
		"title", "t", "content", "c", "sender", "name", "A"), &j), 400);
	assert_string_equal(rule_of(j, "sender.phone"), "required");
	json_decref(j);
}

static void test_steps(void **state)
{
	json_t *j, *ev;
	char code[48], path[160];
	size_t i;

	(void)state;
	set_clock("2026-03-02T10:00:00+07:00");
	j = intake("letter", "Thời hạn giải quyết quá dài", NULL);
	snprintf(code, sizeof(code), "%s", th_str(j, "code"));
	json_decref(j);
	/* Accepting needs the classification. */
	j = step(control, code, json_pack("{s:s}", "action", "accept"), 400);
	assert_string_equal(rule_of(j, "subject"), "required");
	json_decref(j);
	j = step(control, code, json_pack("{s:s, s:s}", "action", "accept",
					  "subject", "procedure"), 200);
	assert_string_equal(th_str(j, "status"), "accepted");
	/* 15 working days from receipt (not counting it): Monday 23 March. */
	assert_string_equal(th_str(j, "due_at"), "2026-03-23T17:00:00+07:00");
	json_decref(j);
	/* Routed to the competent agency, whose leader handles it. */
	j = step(control, code, json_pack("{s:s, s:s}", "action", "route",
					  "unit_code", "000.00.04.H51"), 200);
	assert_string_equal(th_str(j, "unit_code"), "000.00.04.H51");
	json_decref(j);
	j = step(leader, code, json_pack("{s:s}", "action", "publish"), 409);
	json_decref(j);
	set_clock("2026-03-05T15:00:00+07:00");
	j = step(leader, code, json_pack("{s:s, s:s}", "action", "answer",
		"answer", "Sở đã rút ngắn thời hạn giải quyết còn 5 ngày làm "
		"việc."), 200);
	assert_string_equal(th_str(j, "due_at"), "2026-03-09T17:00:00+07:00");
	json_decref(j);
	/* Published late: 3 working days after the answer. */
	set_clock("2026-03-10T08:00:00+07:00");
	j = step(leader, code, json_pack("{s:s}", "action", "publish"), 200);
	assert_string_equal(th_str(j, "status"), "published");
	assert_true(json_is_null(json_object_get(j, "due_at")));
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/feedback/%s", code);
	assert_int_equal(th_api(srv.base, "GET", path, control, NULL, &j),
			 200);
	{
		static const char *const acts[] = { "receive", "accept",
			"route", "answer", "publish" };
		static const int on_time[] = { -1, -1, -1, 1, 0 };

		assert_int_equal(json_array_size(json_object_get(j, "events")),
				 5);
		json_array_foreach(json_object_get(j, "events"), i, ev) {
			json_t *ot = json_object_get(ev, "on_time");

			assert_string_equal(th_str(ev, "action"), acts[i]);
			if (on_time[i] < 0)
				assert_true(json_is_null(ot));
			else
				assert_int_equal(json_is_true(ot), on_time[i]);
		}
	}
	json_decref(j);
	/* The public list: the answer, no one's name or phone. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/public/feedback",
				NULL, NULL, &j), 200);
	{
		char *text = json_dumps(j, 0);

		assert_non_null(strstr(text, "rút ngắn thời hạn"));
		assert_null(strstr(text, "Phan Văn Lợi"));
		assert_null(strstr(text, "0912345678"));
		free(text);
	}
	json_decref(j);
}

static void test_info_forward_reject_overdue(void **state)
{
	char a[48], b[48], c[48], d[48];
	json_t *j, *items, *it;
	size_t i;
	bool found = false;

	(void)state;
	set_clock("2026-03-16T09:00:00+07:00");
	j = intake("counter", "Cần thêm thông tin", NULL);
	snprintf(a, sizeof(a), "%s", th_str(j, "code"));
	json_decref(j);
	j = intake("hotline", "Không thuộc thẩm quyền", NULL);
	snprintf(b, sizeof(b), "%s", th_str(j, "code"));
	json_decref(j);
	j = intake("letter", "Không đủ thông tin", NULL);
	snprintf(c, sizeof(c), "%s", th_str(j, "code"));
	json_decref(j);
	j = intake("letter", "Để quá hạn", NULL);
	snprintf(d, sizeof(d), "%s", th_str(j, "code"));
	json_decref(j);
	/* More information: the clock stops, and restarts on arrival. */
	json_decref(step(control, a, json_pack("{s:s, s:s}", "action",
		"accept", "subject", "regulation"), 200));
	j = step(control, a, json_pack("{s:s, s:s}", "action", "request_info",
		"reason", "Đề nghị nêu rõ văn bản quy định"), 200);
	assert_string_equal(th_str(j, "status"), "info_requested");
	assert_true(json_is_null(json_object_get(j, "due_at")));
	json_decref(j);
	set_clock("2026-03-20T09:00:00+07:00");
	j = step(control, a, json_pack("{s:s}", "action", "supply_info"), 200);
	assert_string_equal(th_str(j, "status"), "accepted");
	/* 15 working days from Friday 20 March. */
	assert_string_equal(th_str(j, "due_at"), "2026-04-10T17:00:00+07:00");
	json_decref(j);
	/* Forwarded out, within 5 working days. */
	j = step(control, b, json_pack("{s:s}", "action", "forward"), 400);
	assert_string_equal(rule_of(j, "forwarded_to"), "required");
	json_decref(j);
	j = step(control, b, json_pack("{s:s, s:s}", "action", "forward",
		"forwarded_to", "Thanh tra tỉnh"), 200);
	assert_string_equal(th_str(j, "status"), "forwarded");
	json_decref(j);
	/* Refused after 4 working days: the 2-day limit was missed. */
	j = step(control, c, json_pack("{s:s, s:s}", "action", "reject",
		"reason", "Không rõ nội dung"), 200);
	assert_string_equal(th_str(j, "status"), "rejected");
	json_decref(j);
	/* Not classified within 5 working days: overdue. */
	set_clock("2026-03-24T09:00:00+07:00");
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/feedback?overdue="
				"true", control, NULL, &j), 200);
	items = json_object_get(j, "items");
	json_array_foreach(items, i, it) {
		assert_true(json_is_true(json_object_get(it, "overdue")));
		if (!strcmp(th_str(it, "code"), d))
			found = true;
	}
	assert_true(found);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/feedback?status=x",
				control, NULL, &j), 400);
	json_decref(j);
}

static long form(const char *body, const char *ctype, json_t **out)
{
	char url[200], ct[120];
	const char *h[2] = { ct, NULL };
	struct th_resp r;
	long st;

	snprintf(url, sizeof(url), "%s/open311/v2/requests.json", srv.base);
	snprintf(ct, sizeof(ct), "Content-Type: %s", ctype);
	assert_int_equal(th_http("POST", url, h, body, strlen(body), &r), 0);
	st = r.status;
	*out = th_json(&r);
	th_resp_free(&r);
	return st;
}

static void test_open311(void **state)
{
	char id[48], url[200], path[300];
	struct th_resp r;
	json_t *j, *it;

	(void)state;
	set_clock("2026-03-25T09:00:00+07:00");
	snprintf(url, sizeof(url), "%s/open311/v2/services.json", srv.base);
	th_get(url, &r);
	j = th_json(&r);
	assert_int_equal(json_array_size(j), 3);
	assert_string_equal(th_str(json_array_get(j, 0), "service_code"),
			    "regulation");
	json_decref(j);
	th_resp_free(&r);
	/* Filing by form; bad ones get Open311's error shape. */
	assert_int_equal(form("service_code=procedure&description=Gi%E1%BA%A5y"
			      "+t%E1%BB%9D+th%E1%BB%ABa&first_name=Lan&last_"
			      "name=Tr%E1%BA%A7n&phone=0913000111",
			      "application/x-www-form-urlencoded", &j), 201);
	snprintf(id, sizeof(id), "%s", th_str(json_array_get(j, 0),
					      "service_request_id"));
	json_decref(j);
	assert_int_equal(form("service_code=weather&description=x&first_name="
			      "A&phone=0913000111",
			      "application/x-www-form-urlencoded", &j), 400);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(j,
			 0), "code")), 400);
	json_decref(j);
	assert_int_equal(form("service_code=procedure&description=x",
			      "application/x-www-form-urlencoded", &j), 400);
	json_decref(j);
	assert_int_equal(form("{}", "application/json", &j), 415);
	json_decref(j);
	/* Following it: open, nothing personal, no text yet. */
	snprintf(url, sizeof(url), "%s/open311/v2/requests/%s.json", srv.base,
		 id);
	th_get(url, &r);
	assert_int_equal(r.status, 200);
	j = th_json(&r);
	it = json_array_get(j, 0);
	assert_string_equal(th_str(it, "status"), "open");
	assert_string_equal(th_str(it, "service_code"), "procedure");
	assert_true(json_is_null(json_object_get(it, "description")));
	assert_null(strstr(r.body, "0913000111"));
	json_decref(j);
	th_resp_free(&r);
	/* Answered and published: closed, with the answer. */
	json_decref(step(control, id, json_pack("{s:s}", "action", "accept"),
			 200));
	json_decref(step(control, id, json_pack("{s:s, s:s}", "action",
		"answer", "answer", "Đã bỏ yêu cầu giấy tờ thừa."), 200));
	json_decref(step(control, id, json_pack("{s:s}", "action", "publish"),
			 200));
	snprintf(path, sizeof(path), "%s/open311/v2/requests.json?service_"
		 "request_id=%s", srv.base, id);
	th_get(path, &r);
	j = th_json(&r);
	it = json_array_get(j, 0);
	assert_string_equal(th_str(it, "status"), "closed");
	assert_non_null(strstr(th_str(it, "status_notes"), "Đã bỏ yêu cầu"));
	assert_string_equal(th_str(it, "description"), "Giấy tờ thừa");
	json_decref(j);
	th_resp_free(&r);
	snprintf(url, sizeof(url), "%s/open311/v2/requests/none.json",
		 srv.base);
	th_get(url, &r);
	assert_int_equal(r.status, 404);
	th_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intake),
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_info_forward_reject_overdue),
		cmocka_unit_test(test_open311),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
