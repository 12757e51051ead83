/*
 * test_bundles.c — a linked-procedure bundle (Nghị định 63/2024): birth
 * registration, then permanent residence and the child's health
 * insurance card, at three agencies, from one application at the
 * counter; the children spawned stage by stage, each with its own
 * deadline, and the application following them to its end. On the
 * server's test clock, SQLite and PostgreSQL.
 */
#include "core/compat.h"
#include "harness/harness.h"

#define KS "9.963001"		/* Đăng ký khai sinh (Sở Tư pháp) */
#define TT "9.963002"		/* Đăng ký thường trú (Sở Y tế here) */
#define BHYT "9.963003"		/* Cấp thẻ BHYT (Sở Xây dựng here) */
#define BUNDLE "LT-KS-TT-BHYT"

static struct th_server srv;
static char db[600], clock_file[600], counter[128], control[128];

/* Moves the server's clock; sessions do not outlive days: sign in. */
static void set_clock(const char *iso)
{
	assert_int_equal(th_write_file(clock_file, iso), 0);
	if (!srv.base[0])
		return;
	th_login(srv.base, "tiepnhan", "motcua-demo", counter,
		 sizeof(counter));
	th_login(srv.base, "kiemsoat", "motcua-demo", control,
		 sizeof(control));
}

/*
 * Procedure 'code' of 'unit', taking 'days' working days: received at
 * the counter, resolved by the unit's leader. The components "TK"
 * (required) and "GT" (not).
 */
static void procedure(const char *code, const char *name, const char *unit,
		      int days)
{
	char path[128];

	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures",
		control, json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, "
		"s:{s:s, s:b, s:b}, s:[{s:s, s:s, s:s, s:b}, {s:s, s:s, s:s, "
		"s:b}], s:[{s:s, s:s, s:i}, {s:s, s:s, s:i}]}", "code", code,
		"name", name, "field", "Hộ tịch", "level", "province",
		"unit_code", unit, "processing_time", "amount", days, "unit",
		"working_days", "result", "document_type", "Giấy", "paper", 1,
		"electronic", 0, "components", "code", "TK", "name", "Tờ khai",
		"form", "original", "required", 1, "code", "GT", "name",
		"Giấy tờ khác", "form", "copy", "required", 0, "steps", "name",
		"Tiếp nhận", "role", "counter_officer", "share_percent", 10,
		"name", "Giải quyết", "role", "leader", "share_percent", 90),
		NULL), 201);
	snprintf(path, sizeof(path), "/api/v1/procedures/%s/publish", code);
	assert_int_equal(th_api(srv.base, "POST", path, control, json_pack(
		"{s:s, s:s, s:s}", "valid_from", "2024-01-01",
		"decision_number", "296/QĐ-VPCP", "decision_date",
		"2023-12-20"), NULL), 200);
}

static int setup(void **state)
{
	(void)state;
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	setenv("MOTCUA_WATCH_INTERVAL", "0", 1);
	th_path(clock_file, sizeof(clock_file), "clock");
	set_clock("2024-07-01T08:00:00+07:00");	/* a Monday */
	setenv("MOTCUA_TEST_CLOCK", clock_file, 1);
	th_demo_db(db, sizeof(db), "bundles");
	th_serve(&srv, (const char *[]){ "--db", db, NULL });
	th_login(srv.base, "tiepnhan", "motcua-demo", counter,
		 sizeof(counter));
	th_login(srv.base, "kiemsoat", "motcua-demo", control,
		 sizeof(control));
	procedure(KS, "Đăng ký khai sinh", "000.00.04.H51", 1);
	procedure(TT, "Đăng ký thường trú", "000.00.08.H51", 3);
	procedure(BHYT, "Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
		  "000.00.05.H51", 2);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(th_serve_stop(&srv), 0);
	unsetenv("MOTCUA_TEST_CLOCK");
	return 0;
}

static json_t *define(json_t *members)
{
	json_t *j = NULL;

	th_api(srv.base, "PUT", "/api/v1/bundles/" BUNDLE, control,
	       json_pack("{s:s, s:s, s:o}", "name", "Liên thông đăng ký khai "
			 "sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho "
			 "trẻ em dưới 6 tuổi", "legal_basis", "Nghị định "
			 "63/2024/NĐ-CP", "members", members), &j);
	return j;
}

/* The application body: the applicant, and each member's papers. */
static json_t *application(bool bhyt_form)
{
	return json_pack("{s:s, s:{s:s, s:s, s:s, s:s}, s:{s:[{s:s, s:b}], "
		"s:[{s:s, s:b}], s:[{s:s, s:b}]}}", "channel", "direct",
		"applicant", "kind", "person", "id_number", "051190001111",
		"name", "Phạm Thị Mẹ", "phone", "0905777888", "components",
		KS, "code", "TK", "provided", 1, TT, "code", "TK", "provided",
		1, BHYT, "code", "TK", "provided", bhyt_form);
}

static json_t *get(const char *code)
{
	char path[200];
	json_t *j = NULL;

	snprintf(path, sizeof(path), "/api/v1/bundle-applications/%s", code);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, &j),
			 200);
	return j;
}

static json_t *child(json_t *app, const char *procedure)
{
	json_t *k;
	size_t i;

	json_array_foreach(json_object_get(app, "children"), i, k)
		if (!strcmp(th_str(k, "procedure_code"), procedure))
			return k;
	fail_msg("no child of %s", procedure);
	return NULL;
}

/* Child 'code' forwarded to 'unit' and resolved by its leader. */
static void resolve(const char *code, const char *unit)
{
	char user[64], tok[128];

	th_act(srv.base, counter, code, json_pack("{s:s, s:s}", "action",
		"forward", "unit_code", unit));
	snprintf(user, sizeof(user), "ld.%s", unit);
	th_login(srv.base, user, "motcua-demo", tok, sizeof(tok));
	th_act(srv.base, tok, code, json_pack("{s:s, s:{s:s}}", "action",
		"complete", "result", "number", "1/LT"));
}

static void defined(void **state)
{
	json_t *j;

	(void)state;
	/* Stages with a gap, an unknown procedure, one member: refused. */
	j = define(json_pack("[{s:s, s:i}, {s:s, s:i}]", "procedure_code", KS,
			     "stage", 1, "procedure_code", TT, "stage", 3));
	assert_string_equal(th_str(json_array_get(json_object_get(j, "errors"),
						  0), "rule"), "stages");
	json_decref(j);
	j = define(json_pack("[{s:s, s:i}, {s:s, s:i}]", "procedure_code", KS,
			     "stage", 1, "procedure_code", "9.999998",
			     "stage", 2));
	assert_string_equal(th_str(json_array_get(json_object_get(j, "errors"),
		0), "field"), "members[1].procedure_code");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "PUT", "/api/v1/bundles/" BUNDLE,
		counter, json_pack("{s:s, s:s, s:[]}", "name", "x",
		"legal_basis", "y", "members"), NULL), 403);
	/* Birth first; then residence and the card, side by side. */
	j = define(json_pack("[{s:s, s:i}, {s:s, s:i}, {s:s, s:i}]",
			     "procedure_code", KS, "stage", 1,
			     "procedure_code", TT, "stage", 2,
			     "procedure_code", BHYT, "stage", 2));
	assert_string_equal(th_str(j, "code"), BUNDLE);
	assert_int_equal(json_array_size(json_object_get(j, "members")), 3);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
		"members"), 2), "procedure_name"), "Cấp thẻ bảo hiểm y tế cho "
		"trẻ em dưới 6 tuổi");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/bundles", counter,
				NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	json_decref(j);
}

static void spawned_and_closed(void **state)
{
	json_t *j, *k;
	char code[128], ks[128], tt[128], bhyt[128];

	(void)state;
	/* A paper of the third missing: nothing is taken in at all. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/bundles/" BUNDLE
		"/applications", counter, application(false), &j), 400);
	assert_string_equal(th_str(json_array_get(json_object_get(j, "errors"),
		0), "field"), "components." BHYT);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/dossiers?"
		"procedure_code=" KS, counter, NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
	json_decref(j);
	/* One application: the first stage's dossier, received now. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/bundles/" BUNDLE
		"/applications", counter, application(true), &j), 201);
	snprintf(code, sizeof(code), "%s", th_str(j, "code"));
	assert_true(!strncmp(code, "LT-000.00.01.H51-240701-", 24));
	assert_string_equal(th_str(j, "status"), "processing");
	assert_int_equal(json_integer_value(json_object_get(j, "stage")), 1);
	assert_int_equal(json_integer_value(json_object_get(j, "stages")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "children")), 1);
	k = child(j, KS);
	snprintf(ks, sizeof(ks), "%s", th_str(k, "code"));
	assert_string_equal(th_str(k, "status"), "received");
	/*
	 * Its own deadline: one working day, to the end of Tuesday; the
	 * application's, the second stage's longest (three working days)
	 * counted from then: Wednesday's receipt, so to Monday's end.
	 */
	assert_string_equal(th_str(k, "due_at"), "2024-07-02T17:00:00+07:00");
	assert_string_equal(th_str(j, "due_at"), "2024-07-08T17:00:00+07:00");
	json_decref(j);
	/* Birth registered on the Monday: the next stage begins. */
	set_clock("2024-07-01T15:00:00+07:00");
	resolve(ks, "000.00.04.H51");
	j = get(code);
	assert_int_equal(json_integer_value(json_object_get(j, "stage")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "children")), 3);
	assert_string_equal(th_str(child(j, KS), "timeliness"), "early");
	k = child(j, TT);
	snprintf(tt, sizeof(tt), "%s", th_str(k, "code"));
	assert_string_equal(th_str(k, "status"), "received");
	assert_int_equal(json_integer_value(json_object_get(k, "stage")), 2);
	assert_string_equal(th_str(k, "due_at"), "2024-07-04T17:00:00+07:00");
	k = child(j, BHYT);
	snprintf(bhyt, sizeof(bhyt), "%s", th_str(k, "code"));
	assert_string_equal(th_str(k, "due_at"), "2024-07-03T17:00:00+07:00");
	/* Now the latest of its children's. */
	assert_string_equal(th_str(j, "due_at"), "2024-07-04T17:00:00+07:00");
	assert_string_equal(th_str(j, "status"), "processing");
	json_decref(j);
	/* The card is late; residence on its day: late, as its worst. */
	set_clock("2024-07-04T09:00:00+07:00");
	resolve(bhyt, "000.00.05.H51");
	j = get(code);
	assert_string_equal(th_str(j, "status"), "processing");
	json_decref(j);
	resolve(tt, "000.00.08.H51");
	j = get(code);
	assert_string_equal(th_str(j, "status"), "completed");
	assert_string_equal(th_str(j, "finished_at"),
			    "2024-07-04T09:00:00+07:00");
	assert_string_equal(th_str(j, "timeliness"), "late");
	assert_string_equal(th_str(child(j, BHYT), "timeliness"), "late");
	assert_string_equal(th_str(child(j, TT), "timeliness"), "on_time");
	json_decref(j);
	/* Every result handed over: returned. */
	th_act(srv.base, counter, ks, json_pack("{s:s}", "action",
		"return_result"));
	th_act(srv.base, counter, tt, json_pack("{s:s}", "action",
		"return_result"));
	j = get(code);
	assert_string_equal(th_str(j, "status"), "completed");
	json_decref(j);
	th_act(srv.base, counter, bhyt, json_pack("{s:s}", "action",
		"return_result"));
	j = get(code);
	assert_string_equal(th_str(j, "status"), "returned");
	json_decref(j);
	/* A child's code finds its application too. */
	j = get(tt);
	assert_string_equal(th_str(j, "code"), code);
	json_decref(j);
}

static void ended(void **state)
{
	json_t *j;
	char code[128], ks[128];

	(void)state;
	set_clock("2024-07-08T08:00:00+07:00");
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/bundles/" BUNDLE
		"/applications", counter, application(true), &j), 201);
	snprintf(code, sizeof(code), "%s", th_str(j, "code"));
	snprintf(ks, sizeof(ks), "%s", th_str(child(j, KS), "code"));
	json_decref(j);
	/* The birth cannot be registered: nothing further is taken in. */
	th_act(srv.base, counter, ks, json_pack("{s:s, s:s}", "action", "refuse",
		"reason", "Người yêu cầu không đủ điều kiện"));
	j = get(code);
	assert_string_equal(th_str(j, "status"), "ended");
	assert_int_equal(json_array_size(json_object_get(j, "children")), 1);
	assert_string_equal(th_str(j, "finished_at"),
			    "2024-07-08T08:00:00+07:00");
	json_decref(j);
	/* Unknown bundle, unknown application; staff only. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/bundles/KHONG-CO/"
		"applications", counter, application(true), &j), 404);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/bundle-"
		"applications/LT-0", counter, NULL, &j), 404);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/bundles", NULL,
				NULL, &j), 401);
	json_decref(j);
}

/* A new version of TT from 'from', asking for "XN" too or not. */
static void tt_version(bool xn, const char *from)
{
	json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, "
		"s:{s:s, s:b, s:b}, s:[{s:s, s:s, s:s, s:b}], s:[{s:s, s:s, "
		"s:i}, {s:s, s:s, s:i}]}", "code", TT, "name", "Đăng ký thường "
		"trú", "field", "Hộ tịch", "level", "province", "unit_code",
		"000.00.08.H51", "processing_time", "amount", 3, "unit",
		"working_days", "result", "document_type", "Giấy", "paper", 1,
		"electronic", 0, "components", "code", "TK", "name", "Tờ khai",
		"form", "original", "required", 1, "steps", "name",
		"Tiếp nhận", "role", "counter_officer", "share_percent", 10,
		"name", "Giải quyết", "role", "leader", "share_percent", 90);

	if (xn)
		json_array_append_new(json_object_get(p, "components"),
			json_pack("{s:s, s:s, s:s, s:b}", "code", "XN", "name",
			"Giấy xác nhận nơi ở", "form", "original", "required",
			1));
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures",
				control, p, NULL), 201);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures/" TT
		"/publish", control, json_pack("{s:s, s:s, s:s}", "valid_from",
		from, "decision_number", "300/QĐ", "decision_date", from),
		NULL), 200);
}

static void blocked(void **state)
{
	json_t *j;
	char code[128], ks[128], path[200], tok[128];

	(void)state;
	set_clock("2024-07-09T08:00:00+07:00");
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/bundles/" BUNDLE
		"/applications", counter, application(true), &j), 201);
	snprintf(code, sizeof(code), "%s", th_str(j, "code"));
	snprintf(ks, sizeof(ks), "%s", th_str(child(j, KS), "code"));
	json_decref(j);
	/* Residence now asks for a paper the citizen did not hand in. */
	tt_version(true, "2024-07-09");
	/* The birth registered all the same; the application waits. */
	resolve(ks, "000.00.04.H51");
	j = get(code);
	assert_string_equal(th_str(j, "status"), "blocked");
	assert_non_null(strstr(th_str(j, "note"), "XN"));
	assert_int_equal(json_array_size(json_object_get(j, "children")), 1);
	assert_string_equal(th_str(child(j, KS), "status"), "result_ready");
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/bundle-applications/%s/resume",
		 code);
	assert_int_equal(th_api(srv.base, "POST", path, counter, NULL, &j),
			 200);
	assert_string_equal(th_str(j, "status"), "blocked");
	json_decref(j);
	/* Put right the next day: resumed, the second stage taken in. */
	set_clock("2024-07-10T08:00:00+07:00");
	tt_version(false, "2024-07-10");
	assert_int_equal(th_api(srv.base, "POST", path, counter, NULL, &j),
			 200);
	assert_string_equal(th_str(j, "status"), "processing");
	assert_true(json_is_null(json_object_get(j, "note")));
	assert_int_equal(json_integer_value(json_object_get(j, "stage")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "children")), 3);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", path, counter, NULL, &j),
			 409);
	json_decref(j);
	/* Defined anew, side by side: applications made keep theirs. */
	json_decref(define(json_pack("[{s:s, s:i}, {s:s, s:i}, {s:s, s:i}]",
		"procedure_code", KS, "stage", 1, "procedure_code", TT,
		"stage", 1, "procedure_code", BHYT, "stage", 1)));
	j = get(code);
	assert_int_equal(json_integer_value(json_object_get(j, "stages")), 2);
	json_decref(j);
	/* Only for those with a hand in it. */
	th_login(srv.base, "tn.001.05.50.H51", "motcua-demo", tok,
		 sizeof(tok));
	snprintf(path, sizeof(path), "/api/v1/bundle-applications/%s", code);
	assert_int_equal(th_api(srv.base, "GET", path, tok, NULL, &j), 404);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defined),
		cmocka_unit_test(spawned_and_closed),
		cmocka_unit_test(ended),
		cmocka_unit_test(blocked),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
