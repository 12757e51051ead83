/*
 * test_lifecycle.c — dossiers end to end over real HTTP against the real
 * motcua binary and a real SQLite file: sign-in, the catalog, intake, every
 * path of the lifecycle (accept, assign, forward across two agencies,
 * supplement, complete, return; refuse; withdraw; stop; late with an
 * apology), the rules that refuse an action (409 naming the rule), the
 * table of every action in every status for every role, events and their
 * hash chain (and 'motcua audit verify' finding a tampered one), listings,
 * the public look-up, and sign-in lockout.
 *
 * Time is the server's test clock ($MOTCUA_TEST_CLOCK), a file this test
 * writes, so deadlines are exact: the test procedure takes 5 working days.
 */
#include "core/compat.h"
#include "harness/harness.h"

#include <curl/curl.h>
#include <unistd.h>

static struct th_server srv;
static char db[600], clock_file[600];

enum { ADMIN, CONTROL, COUNTER, SPECIALIST, LEADER, SPECIALIST2, LEADER2,
       NUSERS };
static const char *const usernames[NUSERS] = {
	"admin", "kiemsoat", "tiepnhan", "chuyenvien", "lanhdao",
	"cv.000.00.05.H51", "ld.000.00.05.H51"
};
static const char *const roles[NUSERS] = {
	"admin", "control_officer", "counter_officer", "specialist", "leader",
	"specialist", "leader"
};
static char tokens[NUSERS][128];

#define CENTER "000.00.01.H51"		/* provincial public-service centre */
#define JUSTICE "000.00.04.H51"		/* Sở Tư pháp: handles the procedure */
#define BUILDING "000.00.05.H51"	/* Sở Xây dựng: a second agency */
#define PROC "9.900001"			/* 5 working days */
#define SPOT "9.900002"			/* resolved on the spot */

static void set_clock(const char *iso)
{
	assert_int_equal(th_write_file(clock_file, iso), 0);
}

static long call(int user, const char *method, const char *path,
		 json_t *body, json_t **out)
{
	return th_api(srv.base, method, path, user < 0 ? NULL : tokens[user],
		      body, out);
}

/* Asserts a problem with 'status' whose errors name 'field' and 'rule'. */
static void problem(long got, json_t *j, long status, const char *field,
		    const char *rule)
{
	json_t *errs = json_object_get(j, "errors");
	size_t i;

	if (got != status)
		fail_msg("status %ld, wanted %ld: %s", got, status,
			 j ? json_dumps(j, 0) : "(no body)");
	if (!field)
		return;
	for (i = 0; i < json_array_size(errs); i++) {
		json_t *e = json_array_get(errs, i);

		if (!strcmp(th_str(e, "field"), field) &&
		    !strcmp(th_str(e, "rule"), rule))
			return;
	}
	fail_msg("no error %s/%s in %s", field, rule, json_dumps(j, 0));
}

/* Evaluates the call before reading the answer it stored in 'j'. */
#define PROBLEM(call_expr, j, ...) do {				\
	long st_ = (call_expr);					\
	problem(st_, (j), __VA_ARGS__);				\
} while (0)

static json_t *intake_body(const char *proc, const char *channel)
{
	return json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:[{s:s, s:b}]}",
		"procedure_code", proc, "channel", channel,
		"applicant", "kind", "person", "id_number", "051095012345",
		"name", "Nguyễn Văn Đức", "phone", "0912 345 678",
		"components", "code", "TK", "provided", 1);
}

/* Takes in a dossier as the counter officer; returns its code. */
static char *intake(const char *proc, const char *channel)
{
	json_t *j;
	long st = call(COUNTER, "POST", "/api/v1/dossiers",
		       intake_body(proc, channel), &j);
	char *code;

	if (st != 201)
		fail_msg("intake: %ld %s", st, json_dumps(j, 0));
	code = strdup(th_str(j, "code"));
	json_decref(j);
	return code;
}

/* Takes an action; returns the status and the answer in *out. */
static long act(int user, const char *code, json_t *body, json_t **out)
{
	char path[200];

	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/actions", code);
	return call(user, "POST", path, body, out);
}

/* An action that must succeed; returns the dossier after it. */
static json_t *ok(int user, const char *code, json_t *body)
{
	json_t *j;
	long st = act(user, code, body, &j);

	if (st != 200)
		fail_msg("%s on %s: %ld %s", usernames[user], code, st,
			 json_dumps(j, 0));
	return j;
}

static json_t *get(int user, const char *code)
{
	char path[200];
	json_t *j;
	long st;

	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", code);
	st = call(user, "GET", path, NULL, &j);
	if (st != 200)
		fail_msg("GET %s: %ld", code, st);
	return j;
}

static int setup(void **state)
{
	json_t *j;
	int i;

	(void)state;
	th_path(clock_file, sizeof(clock_file), "clock");
	set_clock("2026-03-02T09:00:00+07:00\n");
	setenv("MOTCUA_TEST_CLOCK", clock_file, 1);
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	/* The watch runs when a test says so ('motcua worker --once'). */
	setenv("MOTCUA_WATCH_INTERVAL", "0", 1);
	th_demo_db(db, sizeof(db), "life");
	th_serve(&srv, (const char *[]){ "--db", db, "--threads", "2",
					 "--login-max-failures", "3",
					 "--session-ttl", "720h",
					 "--lookup-max-failures", "6",
					 "--payment-bank-bin", "970436",
					 "--payment-account", "0011001234567",
					 "--payment-account-name",
					 "TT PVHCC QUANG NGAI", NULL });
	for (i = 0; i < NUSERS; i++) {
		long st = th_api(srv.base, "POST", "/api/v1/auth/login", NULL,
				 json_pack("{s:s, s:s}", "username",
					   usernames[i], "password",
					   "motcua-demo"), &j);

		if (st != 200)
			fail_msg("login %s: %ld", usernames[i], st);
		assert_string_equal(th_str(json_object_get(j, "user"), "role"),
				    roles[i]);
		snprintf(tokens[i], sizeof(tokens[i]), "%s", th_str(j, "token"));
		json_decref(j);
	}
	/* The test procedures, created and published by procedure control. */
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:s, "
		"s:{s:s, s:b, s:b}, s:[{s:s, s:s, s:i, s:i}], "
		"s:[{s:s, s:s, s:s, s:b}, {s:s, s:s, s:s, s:b}], "
		"s:[{s:s, s:s, s:i}, {s:s, s:s, s:i}, {s:s, s:s, s:i}, "
		"{s:s, s:s, s:i}]}",
		"code", PROC, "name", "Cấp Giấy phép thử nghiệm của Sở Tư pháp",
		"field", "Thử nghiệm", "level", "province", "unit_code", JUSTICE,
		"processing_time", "amount", 5, "unit", "working_days",
		"online_level", "full",
		"result", "document_type", "Giấy phép", "paper", 1,
		"electronic", 1,
		"fees", "name", "Lệ phí cấp giấy phép", "kind", "charge",
		"amount", 150000, "online_discount_percent", 50,
		"components", "code", "TK", "name", "Tờ khai", "form",
		"original", "required", 1, "code", "CC", "name",
		"Bản sao giấy tờ tùy thân", "form", "copy", "required", 0,
		"steps", "name", "Tiếp nhận hồ sơ", "role", "counter_officer",
		"share_percent", 10, "name", "Thẩm định hồ sơ", "role",
		"specialist", "share_percent", 60, "name", "Phê duyệt kết quả",
		"role", "leader", "share_percent", 20, "name", "Trả kết quả",
		"role", "counter_officer", "share_percent", 10);
	if (call(CONTROL, "POST", "/api/v1/procedures", j, &j) != 201)
		fail_msg("procedure: %s", json_dumps(j, 0));
	assert_string_equal(th_str(j, "state"), "draft");
	json_decref(j);
	if (call(CONTROL, "POST", "/api/v1/procedures/" PROC "/publish",
		 json_pack("{s:s, s:s, s:s}", "valid_from", "2026-01-01",
			   "decision_number", "15/QĐ-UBND", "decision_date",
			   "2025-12-15"), &j) != 200)
		fail_msg("publish: %s", json_dumps(j, 0));
	assert_string_equal(th_str(j, "state"), "published");
	json_decref(j);
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:b, "
		"s:{s:s, s:b}, s:[{s:s, s:s, s:s, s:b}], s:[{s:s, s:s, s:i}]}",
		"code", SPOT, "name", "Chứng thực thử nghiệm", "field",
		"Chứng thực", "level", "province", "unit_code", CENTER,
		"processing_time", "amount", 4, "unit", "working_hours",
		"on_the_spot", 1, "result", "document_type", "Bản sao",
		"paper", 1, "components", "code", "TK", "name", "Bản chính",
		"form", "original", "required", 1, "steps", "name",
		"Chứng thực tại quầy", "role", "counter_officer",
		"share_percent", 100);
	assert_int_equal(call(CONTROL, "POST", "/api/v1/procedures", j, NULL),
			 201);
	assert_int_equal(call(ADMIN, "POST", "/api/v1/procedures/" SPOT
			      "/publish", json_pack("{s:s, s:s, s:s}",
			      "valid_from", "2026-01-01", "decision_number",
			      "16/QĐ-UBND", "decision_date", "2025-12-15"),
			      NULL), 200);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(th_serve_stop(&srv), 0);
	return 0;
}

/* The whole main path, with the due dates and events at each step. */
static void test_main_path(void **state)
{
	json_t *d, *steps, *e;
	char *code;
	char path[200];

	(void)state;
	set_clock("2026-03-02T09:00:00+07:00");
	code = intake(PROC, "direct");
	assert_true(strncmp(code, CENTER "-260302-", 21) == 0);
	d = get(COUNTER, code);
	assert_string_equal(th_str(d, "status"), "received");
	assert_string_equal(th_str(d, "received_at"), "2026-03-02T09:00:00+07:00");
	/* Tue, Wed, Thu, Fri, Mon: due at the close of Monday 9 March. */
	assert_string_equal(th_str(d, "due_at"), "2026-03-09T17:00:00+07:00");
	assert_string_equal(th_str(d, "original_due_at"),
			    "2026-03-09T17:00:00+07:00");
	assert_string_equal(th_str(d, "timeliness"), "within_deadline");
	assert_string_equal(th_str(d, "rules"), "nd118_2025");
	steps = json_object_get(d, "steps");
	assert_int_equal(json_array_size(steps), 1);
	assert_string_equal(th_str(json_array_get(steps, 0), "unit_code"), CENTER);
	/*
	 * The first step has 10 % of the working time up to the due instant:
	 * 43 h 30 min (7 h 30 a day), so 4 h 21 min from 09:00: 15:21.
	 */
	assert_string_equal(th_str(json_array_get(steps, 0), "due_at"),
			    "2026-03-02T15:21:00+07:00");
	json_decref(d);

	/* The counter hands it to the agency of the next step. */
	set_clock("2026-03-02T10:00:00+07:00");
	d = ok(COUNTER, code, json_pack("{s:s}", "action", "forward"));
	assert_string_equal(th_str(d, "status"), "processing");
	assert_string_equal(th_str(d, "current_unit_code"), JUSTICE);
	json_decref(d);
	/* The agency's leader assigns a specialist. */
	d = ok(LEADER, code, json_pack("{s:s, s:s}", "action", "assign",
				       "assignee", "chuyenvien"));
	assert_string_equal(th_str(d, "assignee"), "chuyenvien");
	json_decref(d);

	/* The specialist asks for a supplement on day 2 (within 3 WD). */
	set_clock("2026-03-03T10:00:00+07:00");
	d = ok(SPECIALIST, code, json_pack("{s:s, s:s, s:[s, s]}", "action",
		"request_supplement", "reason", "Thiếu giấy tờ", "items",
		"Bản sao Căn cước", "Giấy xác nhận cư trú"));
	assert_string_equal(th_str(d, "status"), "awaiting_supplement");
	assert_int_equal(json_integer_value(json_object_get(d, "supplements")),
			 1);
	json_decref(d);
	/* Nobody can complete or forward it while it waits. */
	PROBLEM(act(LEADER, code, json_pack("{s:s}", "action", "complete"),
		    &e), e, 409, "action", "status");
	json_decref(e);

	/* Supplemented on Thursday: the period starts again. */
	set_clock("2026-03-05T09:00:00+07:00");
	d = ok(COUNTER, code, json_pack("{s:s}", "action",
					"submit_supplement"));
	assert_string_equal(th_str(d, "status"), "processing");
	/* The receipt stays; the period counts again from Thursday. */
	assert_string_equal(th_str(d, "received_at"),
			    "2026-03-02T09:00:00+07:00");
	assert_string_equal(th_str(d, "period_started_at"),
			    "2026-03-05T09:00:00+07:00");
	assert_string_equal(th_str(d, "due_at"), "2026-03-12T17:00:00+07:00");
	/* The open step's due moved with it (70 % of 43 h 30 min). */
	steps = json_object_get(d, "steps");
	assert_string_equal(th_str(json_array_get(steps, json_array_size(steps) -
					       1), "due_at"),
			    "2026-03-11T09:27:00+07:00");
	assert_int_equal(json_array_size(json_object_get(d, "pauses")), 1);
	assert_string_equal(th_str(json_array_get(json_object_get(d, "pauses"),
					       0), "from"),
			    "2026-03-03T10:00:00+07:00");
	json_decref(d);
	/* A second request is refused (ND 107/2021, ND 118/2025). */
	PROBLEM(act(SPECIALIST, code, json_pack("{s:s, s:s, s:[s]}", "action",
		"request_supplement", "reason", "Lại thiếu", "items", "X"),
		&e), e, 409, "action", "supplement_once");
	json_decref(e);

	/* One-stop liên thông: to a second agency and back. */
	set_clock("2026-03-06T09:00:00+07:00");
	d = ok(SPECIALIST, code, json_pack("{s:s, s:s}", "action", "forward",
					   "unit_code", BUILDING));
	assert_string_equal(th_str(d, "current_unit_code"), BUILDING);
	json_decref(d);
	/* The first agency no longer handles it: its leader may not act. */
	PROBLEM(act(LEADER, code, json_pack("{s:s}", "action", "complete"),
		    &e), e, 403, NULL, NULL);
	json_decref(e);
	set_clock("2026-03-09T09:00:00+07:00");
	d = ok(SPECIALIST2, code, json_pack("{s:s}", "action", "forward"));
	assert_string_equal(th_str(d, "current_unit_code"), JUSTICE);
	json_decref(d);

	/* The last step returns the result: it is reached by complete. */
	PROBLEM(act(LEADER, code, json_pack("{s:s}", "action", "forward"), &e),
		e, 409, "action", "last_step");
	json_decref(e);

	/* Completed early, returned at the counter. */
	set_clock("2026-03-10T15:00:00+07:00");
	d = ok(LEADER, code, json_pack("{s:s, s:{s:s, s:s}}", "action",
		"complete", "result", "number", "12/GP", "summary",
		"Cấp giấy phép"));
	assert_string_equal(th_str(d, "status"), "result_ready");
	assert_string_equal(th_str(d, "finished_at"), "2026-03-10T15:00:00+07:00");
	assert_string_equal(th_str(d, "timeliness"), "early");
	assert_string_equal(th_str(d, "current_unit_code"), CENTER);
	json_decref(d);
	set_clock("2026-03-11T08:00:00+07:00");
	d = ok(COUNTER, code, json_pack("{s:s, s:s}", "action", "return_result",
					"channel", "counter"));
	assert_string_equal(th_str(d, "status"), "returned");
	assert_string_equal(th_str(d, "timeliness"), "early");
	steps = json_object_get(d, "steps");
	assert_int_equal(json_array_size(steps), 4);
	assert_string_equal(th_str(json_array_get(steps, 2), "unit_code"),
			    BUILDING);
	json_decref(d);
	/* A finished dossier takes no more actions. */
	PROBLEM(act(COUNTER, code, json_pack("{s:s, s:s}", "action",
		    "withdraw", "reason", "x"), &e), e, 409, "action",
		"status");
	json_decref(e);

	/* The event log: one event per change, chained by hashes. */
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/events", code);
	assert_int_equal(call(COUNTER, "GET", path, NULL, &e), 200);
	{
		static const char *const want[] = {
			"intake", "forward", "assign", "request_supplement",
			"submit_supplement", "forward", "forward", "complete",
			"return_result"
		};
		json_t *items = json_object_get(e, "items");
		size_t i;

		assert_int_equal(json_array_size(items), MC_ARRAY_SIZE(want));
		for (i = 0; i < MC_ARRAY_SIZE(want); i++) {
			json_t *ev = json_array_get(items, i);

			assert_string_equal(th_str(ev, "action"), want[i]);
			assert_int_equal(json_integer_value(json_object_get(
				ev, "seq")), (json_int_t)i + 1);
			if (i)
				assert_string_equal(th_str(ev, "prev_hash"),
					th_str(json_array_get(items, i - 1),
					    "hash"));
		}
		assert_string_equal(th_str(json_array_get(items, 3), "to_status"),
				    "awaiting_supplement");
		assert_string_equal(th_str(json_array_get(items, 3), "actor"),
				    "chuyenvien");
	}
	json_decref(e);
	free(code);
}

static void test_refuse_withdraw_stop(void **state)
{
	json_t *d, *e;
	char *code;

	(void)state;
	set_clock("2026-03-02T09:30:00+07:00");
	/* Online submissions wait for the counter, which may refuse. */
	code = intake(PROC, "online");
	d = get(COUNTER, code);
	assert_string_equal(th_str(d, "status"), "submitted");
	assert_true(json_is_null(json_object_get(d, "due_at")));
	json_decref(d);
	PROBLEM(act(COUNTER, code, json_pack("{s:s}", "action", "refuse"), &e),
		e, 400, "reason", "required");
	json_decref(e);
	d = ok(COUNTER, code, json_pack("{s:s, s:s}", "action", "refuse",
					"reason", "Không thuộc thẩm quyền"));
	assert_string_equal(th_str(d, "status"), "refused");
	assert_string_equal(th_str(d, "reason"), "Không thuộc thẩm quyền");
	assert_false(json_is_null(json_object_get(d, "finished_at")));
	json_decref(d);
	free(code);

	/* Accepted online: counted from the acceptance. */
	code = intake(PROC, "online");
	set_clock("2026-03-02T16:30:00+07:00");
	d = ok(COUNTER, code, json_pack("{s:s}", "action", "accept"));
	assert_string_equal(th_str(d, "status"), "received");
	/* 16:30 is after the 15:00 cut-off: counted from Tuesday 07:30. */
	assert_string_equal(th_str(d, "received_at"), "2026-03-03T07:30:00+07:00");
	assert_string_equal(th_str(d, "due_at"), "2026-03-10T17:00:00+07:00");
	json_decref(d);
	d = ok(COUNTER, code, json_pack("{s:s, s:s}", "action", "withdraw",
					"reason", "Công dân xin rút hồ sơ"));
	assert_string_equal(th_str(d, "status"), "withdrawn");
	json_decref(d);
	free(code);

	code = intake(PROC, "direct");
	json_decref(ok(COUNTER, code, json_pack("{s:s}", "action", "forward")));
	/* A specialist may not stop a dossier; the leader may. */
	PROBLEM(act(SPECIALIST, code, json_pack("{s:s, s:s}", "action", "stop",
		    "reason", "x"), &e), e, 403, NULL, NULL);
	json_decref(e);
	d = ok(LEADER, code, json_pack("{s:s, s:s}", "action", "stop",
				       "reason", "Dừng theo đề nghị"));
	assert_string_equal(th_str(d, "status"), "stopped");
	json_decref(d);
	free(code);

	/*
	 * The applicant never comes back after a supplement request: the
	 * dossier is judged at the request, not when it is withdrawn.
	 */
	set_clock("2026-03-02T09:00:00+07:00");
	code = intake(PROC, "direct");
	json_decref(ok(COUNTER, code, json_pack("{s:s}", "action", "forward")));
	set_clock("2026-03-03T09:00:00+07:00");
	json_decref(ok(SPECIALIST, code, json_pack("{s:s, s:s, s:[s]}",
		"action", "request_supplement", "reason", "Thiếu giấy tờ",
		"items", "Bản sao sổ hộ khẩu")));
	set_clock("2026-03-25T09:00:00+07:00");
	d = get(COUNTER, code);
	assert_string_equal(th_str(d, "timeliness"), "within_deadline");
	json_decref(d);
	d = ok(COUNTER, code, json_pack("{s:s, s:s}", "action", "withdraw",
					"reason", "Quá hạn bổ sung"));
	assert_string_equal(th_str(d, "status"), "withdrawn");
	assert_string_equal(th_str(d, "timeliness"), "early");
	assert_int_equal(json_array_size(json_object_get(d, "pauses")), 1);
	json_decref(d);
	free(code);

	/* On-the-spot procedures are completed at the counter. */
	set_clock("2026-03-04T08:00:00+07:00");
	code = intake(SPOT, "direct");
	d = ok(COUNTER, code, json_pack("{s:s}", "action", "complete"));
	assert_string_equal(th_str(d, "status"), "result_ready");
	assert_string_equal(th_str(d, "timeliness"), "on_time");
	json_decref(d);
	free(code);
	/* Others may not be. */
	code = intake(PROC, "direct");
	PROBLEM(act(COUNTER, code, json_pack("{s:s}", "action", "complete"),
		    &e), e, 409, "action", "on_the_spot");
	json_decref(e);
	free(code);
}

static void test_late_with_apology(void **state)
{
	json_t *d, *e, *list;
	char *code, *code2;
	char path[300];

	(void)state;
	set_clock("2026-03-02T09:00:00+07:00");
	code = intake(PROC, "direct");
	code2 = intake(PROC, "direct");
	json_decref(ok(COUNTER, code, json_pack("{s:s}", "action", "forward")));
	json_decref(ok(COUNTER, code2, json_pack("{s:s}", "action",
						 "forward")));
	/* Too late for a supplement: more than 3 working days. */
	set_clock("2026-03-06T10:00:00+07:00");
	PROBLEM(act(SPECIALIST, code, json_pack("{s:s, s:s, s:[s]}", "action",
		"request_supplement", "reason", "Thiếu", "items", "X"), &e), e,
		409, "action", "supplement_window");
	json_decref(e);
	/* The apology needs a later date. */
	PROBLEM(act(LEADER, code, json_pack("{s:s, s:s, s:s}", "action",
		"apologize", "reason", "Cần xác minh",
		"new_due_at", "2026-03-09T10:00:00+07:00"), &e), e, 400,
		"new_due_at", "after_due");
	json_decref(e);
	/* Friday: more than one working day before Monday's due. */
	d = ok(LEADER, code, json_pack("{s:s, s:s, s:s}", "action",
		"apologize", "reason", "Cần xác minh thêm tại cơ quan khác",
		"new_due_at", "2026-03-13T17:00:00+07:00"));
	assert_string_equal(th_str(d, "due_at"), "2026-03-13T17:00:00+07:00");
	assert_string_equal(th_str(d, "original_due_at"),
			    "2026-03-09T17:00:00+07:00");
	assert_int_equal(json_integer_value(json_object_get(d, "apologies")),
			 1);
	json_decref(d);
	PROBLEM(act(LEADER, code, json_pack("{s:s, s:s, s:s}", "action",
		"apologize", "reason", "Lại chậm",
		"new_due_at", "2026-03-20T17:00:00+07:00"), &e), e, 409,
		"action", "apology_once");
	json_decref(e);
	/* On the due day itself an apology is too late. */
	set_clock("2026-03-09T09:00:00+07:00");
	PROBLEM(act(LEADER, code2, json_pack("{s:s, s:s, s:s}", "action",
		"apologize", "reason", "Chậm", "new_due_at",
		"2026-03-13T17:00:00+07:00"), &e), e, 409, "action",
		"apology_window");
	json_decref(e);

	/* Past the legal due date the open dossier is overdue. */
	set_clock("2026-03-10T09:00:00+07:00");
	d = get(LEADER, code);
	assert_string_equal(th_str(d, "timeliness"), "overdue");
	json_decref(d);
	snprintf(path, sizeof(path), "/api/v1/dossiers?timeliness=overdue&"
		 "procedure_code=%s&limit=500", PROC);
	assert_int_equal(call(LEADER, "GET", path, NULL, &list), 200);
	{
		json_t *items = json_object_get(list, "items"), *it;
		size_t i;
		bool found = false;

		json_array_foreach(items, i, it) {
			assert_string_equal(th_str(it, "timeliness"), "overdue");
			if (!strcmp(th_str(it, "code"), code))
				found = true;
		}
		assert_true(found);
	}
	json_decref(list);
	/* Finished after the legal due date: late, apology or not. */
	set_clock("2026-03-12T10:00:00+07:00");
	d = ok(LEADER, code, json_pack("{s:s}", "action", "complete"));
	assert_string_equal(th_str(d, "timeliness"), "late");
	json_decref(d);
	free(code);
	free(code2);
}

/*
 * The rule table, written out again from the spec (docs/lifecycle.md), to
 * check the server against: for each action, the statuses it starts from
 * and, per status, the roles that may take it and the unit that counts
 * (R: receiving unit, C: the unit handling the dossier now).
 */
struct rule {
	const char *action;
	const char *from;		/* space-separated statuses */
	const char *roles;		/* space-separated roles */
	char scope;			/* 'R' or 'C' */
};

static const struct rule table[] = {
	{ "accept", "submitted", "counter_officer", 'R' },
	{ "refuse", "submitted received", "counter_officer", 'R' },
	{ "refuse", "received processing", "specialist leader", 'C' },
	{ "request_supplement", "submitted received", "counter_officer", 'R' },
	{ "request_supplement", "received processing", "specialist leader",
	  'C' },
	{ "submit_supplement", "awaiting_supplement", "counter_officer", 'R' },
	{ "assign", "received processing", "leader", 'C' },
	{ "forward", "received", "counter_officer", 'R' },
	{ "forward", "received processing", "specialist leader", 'C' },
	{ "apologize", "received processing", "leader", 'C' },
	{ "complete", "processing", "leader", 'C' },
	{ "complete", "received", "counter_officer", 'R' },
	{ "return_result", "result_ready", "counter_officer", 'R' },
	{ "withdraw", "submitted received processing awaiting_supplement",
	  "counter_officer", 'R' },
	{ "stop", "received processing awaiting_supplement", "leader", 'C' },
};

static const char *const actions[] = {
	"accept", "refuse", "request_supplement", "submit_supplement",
	"assign", "forward", "apologize", "complete", "return_result",
	"withdraw", "stop"
};

static bool word_in(const char *word, const char *list)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word))) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

/* The unit of each test user, and where a dossier sits. */
static const char *const user_unit[NUSERS] = {
	"P", "P", CENTER, JUSTICE, JUSTICE, BUILDING, BUILDING
};

static bool within(int user, const char *unit)
{
	return !strcmp(user_unit[user], "P") || !strcmp(user_unit[user], unit);
}

/*
 * Expected status of 'action' by 'user' on a dossier in 'status' received
 * at CENTER and handled at 'current' (the receiving unit or JUSTICE), that
 * went through JUSTICE when 'visited', of a procedure not resolved on the
 * spot.
 */
static long expected(int user, const char *action, const char *status,
		     const char *current, bool visited)
{
	bool role_ever = false, status_ok = false;
	size_t i;

	if (!within(user, CENTER) && !within(user, current) &&
	    !(visited && within(user, JUSTICE)))
		return 404;
	for (i = 0; i < MC_ARRAY_SIZE(table); i++)
		if (!strcmp(table[i].action, action) &&
		    word_in(roles[user], table[i].roles))
			role_ever = true;
	if (!role_ever)
		return 403;
	for (i = 0; i < MC_ARRAY_SIZE(table); i++) {
		if (strcmp(table[i].action, action) ||
		    !word_in(status, table[i].from))
			continue;
		status_ok = true;
		if (!word_in(roles[user], table[i].roles))
			continue;
		if (!strcmp(action, "complete") && !strcmp(status, "received"))
			return 409;	/* on_the_spot */
		return within(user, table[i].scope == 'R' ? CENTER : current) ?
		       200 : 403;
	}
	return status_ok ? 403 : 409;
}

/* Puts a fresh dossier in 'status'; returns its code. */
static char *dossier_in(const char *status)
{
	char *code = intake(PROC, !strcmp(status, "submitted") ? "online" :
			    "direct");

	if (!strcmp(status, "submitted") || !strcmp(status, "received"))
		return code;
	if (!strcmp(status, "refused")) {
		json_decref(ok(COUNTER, code, json_pack("{s:s, s:s}", "action",
			"refuse", "reason", "x")));
		return code;
	}
	if (!strcmp(status, "withdrawn")) {
		json_decref(ok(COUNTER, code, json_pack("{s:s, s:s}", "action",
			"withdraw", "reason", "x")));
		return code;
	}
	json_decref(ok(COUNTER, code, json_pack("{s:s}", "action", "forward")));
	if (!strcmp(status, "awaiting_supplement"))
		json_decref(ok(SPECIALIST, code, json_pack("{s:s, s:s, s:[s]}",
			"action", "request_supplement", "reason", "x",
			"items", "y")));
	else if (!strcmp(status, "stopped"))
		json_decref(ok(LEADER, code, json_pack("{s:s, s:s}", "action",
			"stop", "reason", "x")));
	else if (!strcmp(status, "result_ready") ||
		 !strcmp(status, "returned"))
		json_decref(ok(LEADER, code, json_pack("{s:s}", "action",
						       "complete")));
	if (!strcmp(status, "returned"))
		json_decref(ok(COUNTER, code, json_pack("{s:s}", "action",
							"return_result")));
	return code;
}

/* Every action in every status by every role: allowed, 409 or 403/404. */
static void test_action_table(void **state)
{
	static const char *const statuses[] = {
		"submitted", "received", "processing", "awaiting_supplement",
		"result_ready", "returned", "refused", "withdrawn", "stopped"
	};
	size_t s, a;
	int u, checked = 0;

	(void)state;
	set_clock("2026-03-02T09:00:00+07:00");
	for (s = 0; s < MC_ARRAY_SIZE(statuses); s++) {
		char *code = dossier_in(statuses[s]);
		json_t *d = get(ADMIN, code), *acts;
		json_int_t version = json_integer_value(json_object_get(d,
							"version"));
		char current[64];

		assert_string_equal(th_str(d, "status"), statuses[s]);
		snprintf(current, sizeof(current), "%s",
			 th_str(d, "current_unit_code"));
		json_decref(d);
		for (u = 0; u < NUSERS; u++) {
			char path[200];

			snprintf(path, sizeof(path), "/api/v1/dossiers/%s",
				 code);
			d = NULL;
			if (call(u, "GET", path, NULL, &d) == 404) {
				json_decref(d);
				d = NULL;
			}
			acts = d ? json_object_get(d, "actions") : NULL;
			for (a = 0; a < MC_ARRAY_SIZE(actions); a++) {
				long want = expected(u, actions[a],
						     statuses[s], current,
						     s >= 2 && s != 6 &&
						     s != 7);
				bool listed = false;
				size_t k;
				json_t *e;

				for (k = 0; k < json_array_size(acts); k++)
					if (!strcmp(json_string_value(
						json_array_get(acts, k)),
						actions[a]))
						listed = true;
				if (want == 200) {
					/* Allowed: offered, not taken here. */
					if (!listed)
						fail_msg("%s may %s a %s "
							 "dossier, not offered",
							 usernames[u],
							 actions[a],
							 statuses[s]);
					continue;
				}
				if (listed)
					fail_msg("%s offered %s on %s",
						 usernames[u], actions[a],
						 statuses[s]);
				/* Valid parameters, so only the rule can
				 * refuse. */
				e = NULL;
				{
					long got = act(u, code, json_pack(
						"{s:s, s:s, s:[s], s:s, s:s}",
						"action", actions[a], "reason",
						"Lý do", "items", "Giấy tờ",
						"assignee", "chuyenvien",
						"new_due_at",
						"2026-04-30T17:00:00+07:00"),
						&e);

					if (got != want)
						fail_msg("%s %s on %s: %ld, "
							 "wanted %ld: %s",
							 usernames[u],
							 actions[a],
							 statuses[s], got,
							 want, e ? json_dumps(
							 e, 0) : "");
				}
				json_decref(e);
				checked++;
			}
			json_decref(d);
		}
		/* Nothing refused changed the dossier. */
		d = get(ADMIN, code);
		assert_int_equal(json_integer_value(json_object_get(d,
			"version")), version);
		json_decref(d);
		free(code);
	}
	assert_true(checked > 300);
}

static void test_validation_and_auth(void **state)
{
	json_t *j, *b;

	(void)state;
	set_clock("2026-03-02T09:00:00+07:00");
	/* No token, a bad token. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/dossiers", NULL,
				NULL, NULL), 401);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/dossiers", "nope",
				NULL, NULL), 401);
	/* Only the counter takes in dossiers. */
	PROBLEM(call(SPECIALIST, "POST", "/api/v1/dossiers",
		     intake_body(PROC, "direct"), &j), j, 403, NULL, NULL);
	json_decref(j);
	/* Every bad field is named, and nothing is created. */
	b = json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s}, s:[], s:i}",
		"procedure_code", PROC, "channel", "fax", "applicant", "kind",
		"person", "id_number", "003095012345", "name", "", "phone",
		"0112345678", "email", "a@b", "components", "extra", 1);
	PROBLEM(call(COUNTER, "POST", "/api/v1/dossiers", b, &j), j, 400,
		"channel", "enum");
	problem(400, j, 400, "applicant.id_number", "province");
	problem(400, j, 400, "applicant.name", "required");
	problem(400, j, 400, "applicant.phone", "prefix");
	problem(400, j, 400, "applicant.email", "format");
	problem(400, j, 400, "extra", "unknown");
	json_decref(j);
	/* A required component missing. */
	b = json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:[]}",
		"procedure_code", PROC, "channel", "direct", "applicant",
		"kind", "organization", "id_number", "0100109106", "name",
		"Công ty TNHH Thử", "phone", "0912345678", "components");
	PROBLEM(call(COUNTER, "POST", "/api/v1/dossiers", b, &j), j, 400,
		"components", "required");
	json_decref(j);
	/* A procedure not in force. */
	b = intake_body("1.999999", "direct");
	PROBLEM(call(COUNTER, "POST", "/api/v1/dossiers", b, &j), j, 400,
		"procedure_code", "in_force");
	json_decref(j);
	/* Bad JSON, an unknown action. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/dossiers/x/actions",
				tokens[COUNTER], NULL, &j), 400);
	json_decref(j);
	PROBLEM(act(COUNTER, "000.00.01.H51-260302-0001", json_pack("{s:s}",
		"action", "fly"), &j), j, 400, "action", "enum");
	json_decref(j);
	/* A stale version is a conflict that says the dossier changed. */
	{
		char *code = intake(PROC, "direct");

		PROBLEM(act(COUNTER, code, json_pack("{s:s, s:i}", "action",
			"forward", "version", 7), &j), j, 409, "version",
			"changed");
		json_decref(j);
		json_decref(ok(COUNTER, code, json_pack("{s:s, s:i}",
			"action", "forward", "version", 1)));
		free(code);
	}
	/* Role checks on the catalog. */
	PROBLEM(call(COUNTER, "POST", "/api/v1/units", json_pack("{s:s}",
		"code", "x"), &j), j, 403, NULL, NULL);
	json_decref(j);
	PROBLEM(call(ADMIN, "POST", "/api/v1/units", json_pack("{s:s, s:s, "
		"s:s, s:s, s:s}", "code", "999.00.00.H51", "name", "Xã Thử",
		"level", "village", "parent_code", "nope", "valid_from",
		"2026-02-30"), &j), j, 400, "level", "enum");
	problem(400, j, 400, "valid_from", "date");
	json_decref(j);
	PROBLEM(call(ADMIN, "POST", "/api/v1/units", json_pack("{s:s, s:s, "
		"s:s, s:s, s:s}", "code", "999.00.00.H51", "name", "Xã Thử",
		"level", "commune", "parent_code", "nope", "valid_from",
		"2026-01-01"), &j), j, 400, "parent_code", "exists");
	json_decref(j);
}

static void test_catalog_and_lists(void **state)
{
	json_t *j, *items, *d;
	size_t i;
	char path[300];
	char *code;

	(void)state;
	/* Folded search: no diacritics, any order of words. */
	assert_int_equal(call(-1, "GET", "/api/v1/procedures?q=cap%20phieu%20"
			      "ly%20lich", NULL, &j), 200);
	items = json_object_get(j, "items");
	assert_true(json_array_size(items) >= 1);
	assert_non_null(strstr(th_str(json_array_get(items, 0), "name"),
			       "Phiếu lý lịch tư pháp"));
	json_decref(j);
	assert_int_equal(call(-1, "GET", "/api/v1/procedures/" PROC, NULL, &j),
			 200);
	assert_string_equal(th_str(j, "valid_from"), "2026-01-01");
	assert_int_equal(json_array_size(json_object_get(j, "steps")), 4);
	json_decref(j);
	/*
	 * The finder's fields, in the order of their bytes, each with its
	 * published procedures; a field and a level filter the listing.
	 */
	assert_int_equal(call(-1, "GET", "/api/v1/procedure-fields", NULL, &j),
			 200);
	{
		json_t *f, *l;
		const char *prev = "";
		char url[300], *enc;
		json_int_t hotich = -1;

		json_array_foreach(json_object_get(j, "items"), i, f) {
			assert_true(strcmp(prev, th_str(f, "field")) < 0);
			prev = th_str(f, "field");
			assert_true(json_integer_value(json_object_get(f,
				"online")) <= json_integer_value(
				json_object_get(f, "procedures")));
			if (!strcmp(prev, "Hộ tịch"))
				hotich = json_integer_value(json_object_get(f,
					"procedures"));
		}
		assert_true(hotich > 1);
		enc = curl_easy_escape(NULL, "Hộ tịch", 0);
		snprintf(url, sizeof(url), "/api/v1/procedures?field=%s", enc);
		curl_free(enc);
		assert_int_equal(call(-1, "GET", url, NULL, &l), 200);
		assert_int_equal((json_int_t)json_array_size(json_object_get(l,
				 "items")), hotich);
		json_array_foreach(json_object_get(l, "items"), i, f)
			assert_string_equal(th_str(f, "field"), "Hộ tịch");
		json_decref(l);
		snprintf(url + strlen(url), sizeof(url) - strlen(url),
			 "&level=province");
		assert_int_equal(call(-1, "GET", url, NULL, &l), 200);
		json_array_foreach(json_object_get(l, "items"), i, f)
			assert_string_equal(th_str(f, "level"), "province");
		assert_true((json_int_t)json_array_size(json_object_get(l,
			    "items")) < hotich);
		json_decref(l);
	}
	json_decref(j);
	PROBLEM(call(-1, "GET", "/api/v1/procedures?level=village", NULL, &j),
		j, 400, "level", "enum");
	json_decref(j);
	/* Whom a leader of Sở Tư pháp may assign: its officers, no admin. */
	assert_int_equal(call(LEADER, "GET", "/api/v1/units/" JUSTICE "/staff",
			      NULL, &j), 200);
	{
		bool cv = false;

		json_array_foreach(json_object_get(j, "items"), i, d) {
			assert_string_not_equal(th_str(d, "role"), "admin");
			cv |= !strcmp(th_str(d, "username"), "chuyenvien") &&
			      !strcmp(th_str(d, "role"), "specialist");
		}
		assert_true(cv);
	}
	json_decref(j);
	/* The centre's counter officer is not of Sở Tư pháp: not found. */
	assert_int_equal(call(COUNTER, "GET", "/api/v1/units/" JUSTICE
			      "/staff", NULL, &j), 404);
	json_decref(j);
	/* Where a citizen may hand in: the centres in force, no one else. */
	assert_int_equal(call(-1, "GET", "/api/v1/public/centres", NULL, &j),
			 200);
	items = json_object_get(j, "items");
	assert_true(json_array_size(items) >= 2);
	assert_string_equal(th_str(json_array_get(items, 0), "code"),
			    "000.00.01.H51");
	assert_string_equal(th_str(json_array_get(items, 0), "parent_code"),
			    "000.00.00.H51");
	json_array_foreach(items, i, d)
		assert_non_null(strstr(th_str(d, "name"), "Trung tâm"));
	json_decref(j);
	/*
	 * A new draft changes nothing the public sees until it is published;
	 * staff may read it by version.
	 */
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, "
		"s:{s:s, s:b, s:i}, s:[{s:s, s:s, s:i}]}", "code", PROC, "name",
		"Bản nháp thay thế", "field", "Thử nghiệm", "level", "province",
		"unit_code", JUSTICE, "processing_time", "amount", 3, "unit",
		"working_days", "result", "document_type", "Giấy phép", "paper",
		1, "retention_years", 20, "steps", "name", "Xử lý", "role",
		"specialist", "share_percent", 100);
	assert_int_equal(call(CONTROL, "POST", "/api/v1/procedures", j, &j),
			 201);
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 2);
	json_decref(j);
	assert_int_equal(call(-1, "GET", "/api/v1/procedures?q=thu%20nghiem%20"
			      "so%20tu%20phap", NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	assert_string_equal(th_str(json_array_get(json_object_get(j, "items"), 0),
				"name"), "Cấp Giấy phép thử nghiệm của Sở Tư "
			    "pháp");
	json_decref(j);
	assert_int_equal(call(-1, "GET", "/api/v1/procedures/" PROC "?version=2",
			      NULL, NULL), 404);
	assert_int_equal(call(CONTROL, "GET", "/api/v1/procedures/" PROC
			      "?version=2", NULL, &j), 200);
	assert_string_equal(th_str(j, "state"), "draft");
	/* Its records are kept 20 years (the version in force: for good). */
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j,
			 "result"), "retention_years")), 20);
	json_decref(j);
	assert_int_equal(call(-1, "GET", "/api/v1/procedures/" PROC, NULL, &j),
			 200);
	assert_true(json_is_null(json_object_get(json_object_get(j, "result"),
						 "retention_years")));
	json_decref(j);
	PROBLEM(call(CONTROL, "POST", "/api/v1/procedures", json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:{s:s, s:b, s:i}, "
		"s:[{s:s, s:s, s:i}]}", "code", "9.900004", "name", "X",
		"field", "X", "level", "province", "unit_code", JUSTICE,
		"processing_time", "amount", 3, "unit", "working_days",
		"result", "document_type", "X", "paper", 1, "retention_years",
		0, "steps", "name", "X", "role", "leader", "share_percent",
		100), &j), j, 400, "result.retention_years", "range");
	json_decref(j);
	/* Unknown fields are refused at every depth. */
	PROBLEM(call(CONTROL, "POST", "/api/v1/procedures", json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s, s:i}, s:{s:s, s:b}, "
		"s:[{s:s, s:s, s:i, s:b}]}", "code", "9.900003", "name", "X",
		"field", "X", "level", "province", "unit_code", JUSTICE,
		"processing_time", "amount", 3, "unit", "working_days",
		"hours", 2, "result", "document_type", "X", "paper", 1,
		"steps", "name", "X", "role", "leader", "share_percent", 100,
		"signed", 1), &j), j, 400, "processing_time.hours", "unknown");
	problem(400, j, 400, "steps[0].signed", "unknown");
	json_decref(j);

	/* Keyset pages cover the catalog once. */
	{
		int seen = 0, pages = 0;
		char cursor[64] = "";

		do {
			snprintf(path, sizeof(path), "/api/v1/procedures?"
				 "limit=7%s%s", cursor[0] ? "&cursor=" : "",
				 cursor);
			assert_int_equal(call(-1, "GET", path, NULL, &j), 200);
			seen += (int)json_array_size(json_object_get(j,
								"items"));
			pages++;
			cursor[0] = '\0';
			if (json_is_string(json_object_get(j, "next_cursor")))
				snprintf(cursor, sizeof(cursor), "%s",
					 th_str(j, "next_cursor"));
			json_decref(j);
		} while (cursor[0] && pages < 100);
		assert_true(seen >= 40);
	}
	/* Listings are scoped to the user's units; q finds folded names. */
	set_clock("2026-03-02T11:00:00+07:00");
	code = intake(PROC, "direct");
	assert_int_equal(call(COUNTER, "GET", "/api/v1/dossiers?q=nguyen%20"
			      "van%20duc&limit=500", NULL, &j), 200);
	items = json_object_get(j, "items");
	assert_true(json_array_size(items) >= 1);
	for (i = 0; i < json_array_size(items); i++)
		assert_string_equal(th_str(json_array_get(items, i),
					"applicant_name"), "Nguyễn Văn Đức");
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", code);
	/* A specialist of another agency does not see it at all. */
	assert_int_equal(call(SPECIALIST2, "GET", path, NULL, NULL), 404);
	snprintf(path, sizeof(path), "/api/v1/dossiers?q=%s", code);
	assert_int_equal(call(SPECIALIST2, "GET", path, NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
	json_decref(j);

	/* The citizen's look-up needs the phone's last four digits. */
	snprintf(path, sizeof(path), "/api/v1/public/dossiers/%s?"
		 "phone_last4=5678", code);
	assert_int_equal(call(-1, "GET", path, NULL, &j), 200);
	assert_string_equal(th_str(j, "status"), "received");
	assert_string_equal(th_str(j, "applicant_name"), "N*** V*** Đức");
	assert_null(json_object_get(j, "applicant"));
	json_decref(j);
	{
		json_t *wrong, *none;

		snprintf(path, sizeof(path), "/api/v1/public/dossiers/%s?"
			 "phone_last4=0000", code);
		assert_int_equal(call(-1, "GET", path, NULL, &wrong), 404);
		assert_int_equal(call(-1, "GET", "/api/v1/public/dossiers/"
				      "NOPE-1?phone_last4=5678", NULL, &none),
				 404);
		/* The same answer: nothing tells the two apart. */
		json_object_del(wrong, "instance");
		json_object_del(none, "instance");
		json_object_del(wrong, "request_id");
		json_object_del(none, "request_id");
		assert_true(json_equal(wrong, none));
		json_decref(wrong);
		json_decref(none);
	}
	free(code);
}

/*
 * A commune-level procedure is resolved by the commune that received the
 * dossier, whichever commune the catalog names.
 */
static void test_commune_procedure(void **state)
{
	json_t *j, *d;
	char tok[128], *code;
	long st;

	(void)state;
	set_clock("2026-03-02T09:00:00+07:00");
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:{s:s, s:b}, "
		"s:[{s:s, s:s, s:s, s:b}], s:[{s:s, s:s, s:i}, {s:s, s:s, "
		"s:i}]}", "code", "9.900004", "name", "Thủ tục cấp xã thử",
		"field", "Hộ tịch", "level", "commune", "unit_code",
		"000.01.50.H51", "processing_time", "amount", 3, "unit",
		"working_days", "result", "document_type", "Trích lục",
		"paper", 1, "components", "code", "TK", "name", "Tờ khai",
		"form", "original", "required", 1, "steps", "name",
		"Tiếp nhận", "role", "counter_officer", "share_percent", 20,
		"name", "Giải quyết", "role", "specialist", "share_percent",
		80);
	assert_int_equal(call(CONTROL, "POST", "/api/v1/procedures", j, NULL),
			 201);
	assert_int_equal(call(CONTROL, "POST", "/api/v1/procedures/9.900004/"
			      "publish", json_pack("{s:s, s:s, s:s}",
			      "valid_from", "2026-01-01", "decision_number",
			      "20/QĐ", "decision_date", "2026-01-01"), NULL),
			 200);
	th_login(srv.base, "tn.001.02.50.H51", "motcua-demo", tok,
		 sizeof(tok));
	/* Received at phường Nghĩa Lộ's centre … */
	st = th_api(srv.base, "POST", "/api/v1/dossiers", tok,
		    intake_body("9.900004", "direct"), &d);
	if (st != 201)
		fail_msg("intake: %ld %s", st, json_dumps(d, 0));
	assert_string_equal(th_str(d, "unit_code"), "001.02.50.H51");
	code = strdup(th_str(d, "code"));
	json_decref(d);
	/* … and resolved by phường Nghĩa Lộ, not phường Cẩm Thành. */
	{
		char path[200];

		snprintf(path, sizeof(path), "/api/v1/dossiers/%s/actions",
			 code);
		assert_int_equal(th_api(srv.base, "POST", path, tok,
					json_pack("{s:s}", "action",
						  "forward"), &d), 200);
	}
	assert_string_equal(th_str(d, "current_unit_code"), "000.02.50.H51");
	assert_true(json_is_null(json_object_get(d, "competent_unit_code")));
	json_decref(d);
	free(code);
	/*
	 * Regardless of boundary: a citizen of xã Bình Sơn served at phường
	 * Nghĩa Lộ's centre; Bình Sơn resolves it, the result comes back
	 * to the centre that received it.
	 */
	j = intake_body("9.900004", "direct");
	json_object_set_new(j, "competent_unit_code",
			    json_string("000.05.50.H51"));
	st = th_api(srv.base, "POST", "/api/v1/dossiers", tok, j, &d);
	if (st != 201)
		fail_msg("intake: %ld %s", st, json_dumps(d, 0));
	assert_string_equal(th_str(d, "unit_code"), "001.02.50.H51");
	assert_string_equal(th_str(d, "competent_unit_code"), "000.05.50.H51");
	code = strdup(th_str(d, "code"));
	json_decref(d);
	{
		char path[200], other[128];

		snprintf(path, sizeof(path), "/api/v1/dossiers/%s/actions",
			 code);
		assert_int_equal(th_api(srv.base, "POST", path, tok,
					json_pack("{s:s}", "action",
						  "forward"), &d), 200);
		assert_string_equal(th_str(d, "current_unit_code"),
				    "000.05.50.H51");
		json_decref(d);
		/* Bình Sơn's leader completes it … */
		th_login(srv.base, "ld.000.05.50.H51", "motcua-demo", other,
			 sizeof(other));
		assert_int_equal(th_api(srv.base, "POST", path, other,
					json_pack("{s:s, s:{s:s}}", "action",
						  "complete", "result",
						  "number", "5/BS"), &d), 200);
		assert_string_equal(th_str(d, "current_unit_code"),
				    "001.02.50.H51");
		json_decref(d);
		/* … and Nghĩa Lộ's counter hands the result over. */
		assert_int_equal(th_api(srv.base, "POST", path, tok,
					json_pack("{s:s}", "action",
						  "return_result"), &d), 200);
		assert_string_equal(th_str(d, "status"), "returned");
		json_decref(d);
	}
	free(code);
	/* A unit of another level, or another province's, or unknown. */
	j = intake_body("9.900004", "direct");
	json_object_set_new(j, "competent_unit_code",
			    json_string(JUSTICE));
	PROBLEM(th_api(srv.base, "POST", "/api/v1/dossiers", tok, j, &d), d,
		400, "competent_unit_code", "level");
	json_decref(d);
	j = intake_body("9.900004", "direct");
	json_object_set_new(j, "competent_unit_code",
			    json_string("000.99.50.H99"));
	PROBLEM(th_api(srv.base, "POST", "/api/v1/dossiers", tok, j, &d), d,
		400, "competent_unit_code", "exists");
	json_decref(d);
}

/* Administrators manage the accounts of their own units only. */
static void test_users(void **state)
{
	json_t *j, *items;
	char tok[128];
	size_t i;

	(void)state;
	set_clock("2026-03-02T09:00:00+07:00");
	PROBLEM(call(COUNTER, "GET", "/api/v1/users", NULL, &j), j, 403, NULL,
		NULL);
	json_decref(j);
	assert_int_equal(call(ADMIN, "GET", "/api/v1/users?unit_code="
			      JUSTICE "&role=leader", NULL, &j), 200);
	items = json_object_get(j, "items");
	assert_true(json_array_size(items) >= 1);
	for (i = 0; i < json_array_size(items); i++) {
		assert_string_equal(th_str(json_array_get(items, i), "role"),
				    "leader");
		assert_string_equal(th_str(json_array_get(items, i),
					"unit_code"), JUSTICE);
	}
	json_decref(j);
	/* A commune's administrator, created by the province's. */
	PROBLEM(call(ADMIN, "POST", "/api/v1/users", json_pack("{s:s, s:s, "
		"s:s, s:s, s:s}", "username", "qt.camthanh", "full_name",
		"Quản trị phường Cẩm Thành", "role", "admin", "unit_code",
		"000.01.50.H51", "password", "ngắn"), &j), j, 400, "password",
		"min_length");
	json_decref(j);
	assert_int_equal(call(ADMIN, "POST", "/api/v1/users", json_pack("{s:s, "
		"s:s, s:s, s:s, s:s}", "username", "qt.camthanh", "full_name",
		"Quản trị phường Cẩm Thành", "role", "admin", "unit_code",
		"000.01.50.H51", "password", "mật khẩu đủ dài"), &j), 201);
	assert_true(json_is_true(json_object_get(j, "active")));
	assert_true(json_is_null(json_object_get(j, "locked_until")));
	json_decref(j);
	PROBLEM(call(ADMIN, "POST", "/api/v1/users", json_pack("{s:s, s:s, "
		"s:s, s:s, s:s}", "username", "qt.camthanh", "full_name", "X",
		"role", "admin", "unit_code", "000.01.50.H51", "password",
		"mật khẩu đủ dài"), &j), j, 400, "username", "unique");
	json_decref(j);
	/* The deadline watch's name in the event log is no one's. */
	PROBLEM(call(ADMIN, "POST", "/api/v1/users", json_pack("{s:s, s:s, "
		"s:s, s:s, s:s}", "username", "System", "full_name", "X",
		"role", "admin", "unit_code", "000.01.50.H51", "password",
		"mật khẩu đủ dài"), &j), j, 400, "username", "reserved");
	json_decref(j);
	/* The new password works as typed (NFC). */
	th_login(srv.base, "qt.camthanh", "mật khẩu đủ dài", tok,
		 sizeof(tok));
	/* The commune's administrator sees and manages only the commune. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/users?limit=500",
				tok, NULL, &j), 200);
	items = json_object_get(j, "items");
	for (i = 0; i < json_array_size(items); i++)
		assert_non_null(strstr(th_str(json_array_get(items, i),
					   "unit_code"), ".01.50.H51"));
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/users", tok,
				json_pack("{s:s, s:s, s:s, s:s, s:s}",
					  "username", "tn.khac", "full_name",
					  "Cán bộ khác", "role",
					  "counter_officer", "unit_code",
					  "001.02.50.H51", "password",
					  "mật khẩu đủ dài"), &j), 403);
	json_decref(j);
}

/* Guessing the phone digits is cut short per client address. */
static void test_lookup_limit(void **state)
{
	char path[200], *code, buf[32];
	struct th_resp r;
	int i, first = -1;

	(void)state;
	set_clock("2026-03-02T09:00:00+07:00");
	code = intake(PROC, "direct");
	for (i = 0; i < 10 && first < 0; i++) {
		snprintf(path, sizeof(path), "%s/api/v1/public/dossiers/%s?"
			 "phone_last4=%04d", srv.base, code, 1000 + i);
		th_get(path, &r);
		if (r.status == 429)
			first = i;
		else
			assert_int_equal(r.status, 404);
		th_resp_free(&r);
	}
	/* Two failures came earlier (test_catalog_and_lists): 6 in all. */
	assert_int_equal(first, 4);
	/* Now even the right digits wait for the window to end. */
	snprintf(path, sizeof(path), "%s/api/v1/public/dossiers/%s?"
		 "phone_last4=5678", srv.base, code);
	th_get(path, &r);
	assert_int_equal(r.status, 429);
	assert_non_null(th_header(&r, "retry-after", buf, sizeof(buf)));
	assert_true(strtol(buf, NULL, 10) > 500);
	th_resp_free(&r);
	free(code);
}

/* Tampering with an event is found by 'motcua audit verify'. */
static void test_audit(void **state)
{
	char *out = NULL, *err = NULL;
	int rc;

	(void)state;
	rc = th_motcua((const char *[]){ "audit", "verify", "--db", db, NULL },
		       NULL, &out, &err);
	if (rc)
		fail_msg("audit: %d %s %s", rc, out, err);
	assert_non_null(strstr(out, ", 0 broken chains"));
	free(out);
	free(err);
	/* The same over HTTP, for administrators only. */
	{
		json_t *j;

		/* An earlier test moved the clock on: March's sign-in is over. */
		th_login(srv.base, usernames[ADMIN], "motcua-demo",
			 tokens[ADMIN], sizeof(tokens[ADMIN]));
		th_login(srv.base, usernames[COUNTER], "motcua-demo",
			 tokens[COUNTER], sizeof(tokens[COUNTER]));

		assert_int_equal(call(ADMIN, "GET", "/api/v1/audit", NULL, &j),
				 200);
		assert_true(json_is_true(json_object_get(j, "intact")));
		assert_true(json_integer_value(json_object_get(j, "events")) >
			    10);
		json_decref(j);
		assert_int_equal(call(COUNTER, "GET", "/api/v1/audit", NULL,
				      &j), 403);
		json_decref(j);
	}
	/* An attacker with the database: triggers dropped, a note edited. */
	assert_int_equal(th_db_exec(db, "DROP TRIGGER dossier_events_no_update; "
		"UPDATE dossier_events SET note = 'sửa trộm' WHERE seq = 2 AND "
		"dossier_id = (SELECT MIN(dossier_id) FROM dossier_events)",
		"DROP TRIGGER dossier_events_no_update ON dossier_events; "
		"UPDATE dossier_events SET note = 'sửa trộm' WHERE seq = 2 AND "
		"dossier_id = (SELECT MIN(dossier_id) FROM dossier_events)"), 0);
	/* A chain cut short (its last event deleted) is found too. */
#define VICTIM "CREATE TEMP TABLE victim AS SELECT dossier_id AS id, " \
	"MAX(seq) AS seq FROM dossier_events GROUP BY dossier_id HAVING " \
	"COUNT(*) >= 3 ORDER BY dossier_id DESC LIMIT 1; DELETE FROM " \
	"dossier_events WHERE (dossier_id, seq) IN (SELECT id, seq FROM " \
	"victim)"
	assert_int_equal(th_db_exec(db, "DROP TRIGGER dossier_events_no_delete; "
		VICTIM, "DROP TRIGGER dossier_events_no_delete ON "
		"dossier_events; " VICTIM), 0);
#undef VICTIM
	rc = th_motcua((const char *[]){ "audit", "verify", "--db", db, NULL },
		       NULL, &out, &err);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(out, "event 2: the event's content does not "
			       "match its hash"));
	if (!strstr(out, "the chain ends at event"))
		fail_msg("audit said: %s", out);
	assert_non_null(strstr(out, ", 2 broken chains\n"));
	free(out);
	free(err);
	{
		json_t *j = NULL;
		int i;

		/* Another process wrote: the server's reads catch up. */
		for (i = 0; i < 50; i++) {
			json_decref(j);
			assert_int_equal(call(ADMIN, "GET", "/api/v1/audit",
					      NULL, &j), 200);
			if (json_integer_value(json_object_get(j, "broken")))
				break;
			usleep(50 * 1000);
		}
		assert_true(json_is_false(json_object_get(j, "intact")));
		assert_int_equal(json_integer_value(json_object_get(j,
				 "broken")), 2);
		assert_int_equal(json_array_size(json_object_get(j, "chains")),
				 2);
		json_decref(j);
	}
}

/* The actions of a dossier's events, space-separated ("intake overdue"). */
static char *actions_of(const char *code)
{
	char path[200], *out = calloc(1, 4096);
	size_t i, n = 0;
	json_t *e, *it;

	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/events", code);
	assert_int_equal(call(COUNTER, "GET", path, NULL, &e), 200);
	json_array_foreach(json_object_get(e, "items"), i, it)
		n += (size_t)snprintf(out + n, n < 4096 ? 4096 - n : 0, "%s%s",
				      i ? " " : "", th_str(it, "action"));
	json_decref(e);
	return out;
}

/* 'motcua worker --once' at the test clock; returns what it printed. */
static char *watch_once(void)
{
	char *out = NULL, *err = NULL;
	int rc = th_motcua((const char *[]){ "worker", "--once", "--db", db,
					     NULL }, NULL, &out, &err);

	if (rc)
		fail_msg("worker --once: %d %s %s", rc, out, err);
	free(err);
	/*
	 * The server sees another process's commits within 100 ms (its read
	 * snapshot's age limit, cmd_serve.c).
	 */
	usleep(150 * 1000);
	return out;
}

static void assert_actions(const char *code, const char *want)
{
	char *got = actions_of(code);

	if (strcmp(got, want) != 0)
		fail_msg("%s: events \"%s\", wanted \"%s\"", code, got, want);
	free(got);
}

/*
 * The deadline watch: a warning a working day before the due instant and
 * one when it passes, each recorded once in the chain by "system"; a new
 * appointment (apology) is watched afresh; a paused or finished dossier
 * is left alone.
 */
static void test_deadline_watch(void **state)
{
	char *a, *b, *c, *out, path[200];
	json_t *d, *e, *last;

	(void)state;
	/* Due Monday 9 March 2026, 17:00 (5 working days). */
	set_clock("2026-03-02T09:00:00+07:00");
	a = intake(PROC, "direct");
	b = intake(PROC, "direct");
	c = intake(PROC, "direct");
	json_decref(ok(COUNTER, a, json_pack("{s:s}", "action", "forward")));
	json_decref(ok(COUNTER, b, json_pack("{s:s}", "action", "forward")));
	/* A: a new appointment on Friday the 13th. */
	set_clock("2026-03-05T09:00:00+07:00");
	json_decref(ok(LEADER, a, json_pack("{s:s, s:s, s:s}", "action",
		"apologize", "reason", "Cần xác minh thêm",
		"new_due_at", "2026-03-13T17:00:00+07:00")));
	/* C waits for a supplement: the clock stops, and so does the watch. */
	json_decref(ok(COUNTER, c, json_pack("{s:s, s:s, s:[s]}", "action",
		"request_supplement", "reason", "Thiếu bản sao", "items",
		"Bản sao giấy tờ tùy thân")));
	/* Thursday: still more than a working day to go. */
	free(watch_once());
	assert_actions(b, "intake forward");
	/* Monday 9:00: less than one working day until 17:00. */
	set_clock("2026-03-09T09:00:00+07:00");
	out = watch_once();
	assert_non_null(strstr(out, "deadline watch: "));
	free(out);
	assert_actions(a, "intake forward apologize");
	assert_actions(b, "intake forward due_soon");
	assert_actions(c, "intake request_supplement");
	/* Tuesday: B is overdue, once, however often the watch runs. */
	set_clock("2026-03-10T09:00:00+07:00");
	free(watch_once());
	free(watch_once());
	assert_actions(a, "intake forward apologize");
	assert_actions(b, "intake forward due_soon overdue");
	assert_actions(c, "intake request_supplement");
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/events", b);
	assert_int_equal(call(LEADER, "GET", path, NULL, &e), 200);
	last = json_array_get(json_object_get(e, "items"), 3);
	assert_string_equal(th_str(last, "actor"), "system");
	assert_string_equal(th_str(last, "from_status"), "processing");
	assert_string_equal(th_str(last, "to_status"), "processing");
	assert_string_equal(th_str(last, "note"), "Hồ sơ đã quá hạn giải "
			    "quyết (hạn 17:00 ngày 09/03/2026)");
	json_decref(e);
	/* The warning is a change like any other: the version moved on. */
	d = get(LEADER, b);
	assert_int_equal(json_integer_value(json_object_get(d, "version")), 4);
	assert_string_equal(th_str(d, "timeliness"), "overdue");
	json_decref(d);
	/* A's new appointment: due soon on Friday, overdue on Monday. */
	set_clock("2026-03-13T09:00:00+07:00");
	free(watch_once());
	assert_actions(a, "intake forward apologize due_soon");
	set_clock("2026-03-16T08:00:00+07:00");
	free(watch_once());
	assert_actions(a, "intake forward apologize due_soon overdue");
	/* Finished dossiers are not watched. */
	json_decref(ok(COUNTER, a, json_pack("{s:s, s:s}", "action", "withdraw",
					     "reason", "Công dân rút hồ sơ")));
	set_clock("2026-03-25T08:00:00+07:00");
	free(watch_once());
	assert_actions(a, "intake forward apologize due_soon overdue "
		       "withdraw");
	free(a);
	free(b);
	free(c);
}

/*
 * Several workers at once, as several instances would run the watch: each
 * overdue dossier gets its warning exactly once, and the counts the
 * workers report add up to the dossiers there were.
 */
static void test_deadline_watch_shared(void **state)
{
	enum { N = 60, WORKERS = 4 };
	char *codes[N], outp[WORKERS][600], name[32];
	pid_t pid[WORKERS];
	long total = 0;
	int i;

	(void)state;
	set_clock("2026-05-04T09:00:00+07:00");
	/* The tokens of March have expired by May. */
	th_login(srv.base, usernames[COUNTER], "motcua-demo", tokens[COUNTER],
		 sizeof(tokens[COUNTER]));
	th_login(srv.base, usernames[LEADER], "motcua-demo", tokens[LEADER],
		 sizeof(tokens[LEADER]));
	for (i = 0; i < N; i++)
		codes[i] = intake(PROC, "direct");
	/* Warn about the other tests' dossiers first, on their own. */
	free(watch_once());
	/* Due Monday 11 May, 17:00: overdue on Tuesday. */
	set_clock("2026-05-12T09:00:00+07:00");
	for (i = 0; i < WORKERS; i++) {
		snprintf(name, sizeof(name), "worker%d.out", i);
		th_path(outp[i], sizeof(outp[i]), name);
		pid[i] = th_motcua_spawn((const char *[]){ "worker", "--once",
			"--db", db, "--watch-batch", "3", NULL }, outp[i]);
	}
	for (i = 0; i < WORKERS; i++) {
		char *out;
		long soon = -1, over = -1;

		assert_int_equal(th_wait(pid[i]), 0);
		out = th_read_file(outp[i], NULL);
		if (!out || sscanf(out, "deadline watch: %ld due soon, %ld "
				   "overdue", &soon, &over) != 2)
			fail_msg("worker %d said: %s", i, out ? out : "");
		total += over;
		free(out);
	}
	assert_int_equal(total, N);
	for (i = 0; i < N; i++) {
		assert_actions(codes[i], "intake overdue");
		free(codes[i]);
	}
}

/* Fees assessed at receipt, the online discount, the VietQR code. */
static void test_fees(void **state)
{
	char *code, *online, path[200];
	struct th_resp r;
	json_t *f, *it;

	(void)state;
	set_clock("2026-03-02T09:00:00+07:00");
	code = intake(PROC, "direct");
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/fees", code);
	assert_int_equal(call(COUNTER, "GET", path, NULL, &f), 200);
	it = json_array_get(json_object_get(f, "items"), 0);
	assert_string_equal(th_str(it, "kind"), "charge");
	assert_int_equal(json_integer_value(json_object_get(it, "amount")),
			 150000);
	assert_int_equal(json_integer_value(json_object_get(f, "total")),
			 150000);
	assert_string_equal(th_str(f, "total_words"),
			    "Một trăm năm mươi nghìn đồng");
	{
		json_t *p = json_object_get(f, "payment");
		const char *v = th_str(p, "vietqr");

		assert_string_equal(th_str(p, "purpose"), code);
		assert_true(!strncmp(v, "000201010212", 12));
		assert_non_null(strstr(v, "5406150000"));
		assert_non_null(strstr(v, code));
	}
	json_decref(f);
	/* The code as an image. */
	{
		char url[300];

		snprintf(url, sizeof(url), "%s/api/v1/dossiers/%s/payment-qr."
			 "svg", srv.base, code);
		assert_int_equal(th_http("GET", url, (const char *[]){
			"Authorization: Bearer ", NULL }, NULL, 0, &r), 0);
		assert_int_equal(r.status, 401);
		th_resp_free(&r);
	}
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/payment-qr.svg",
		 code);
	{
		char url[300], auth[200];

		snprintf(url, sizeof(url), "%s%s", srv.base, path);
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
			 tokens[COUNTER]);
		assert_int_equal(th_http("GET", url, (const char *[]){ auth,
				 NULL }, NULL, 0, &r), 0);
		assert_int_equal(r.status, 200);
		assert_true(!strncmp(r.body, "<svg ", 5));
		assert_non_null(strstr(r.headers, "image/svg+xml"));
		th_resp_free(&r);
	}
	/* Paid at the counter: the whole amount, one receipt. */
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/payments", code);
	PROBLEM(call(COUNTER, "POST", path, json_pack("{s:s, s:i}", "method",
		"cash", "amount", 100000), &f), f, 400, "amount",
		"outstanding");
	json_decref(f);
	PROBLEM(call(COUNTER, "POST", path, json_pack("{s:s, s:i}", "method",
		"cheque", "amount", 150000), &f), f, 400, "method", "one_of");
	json_decref(f);
	assert_int_equal(call(COUNTER, "POST", path, json_pack("{s:s, s:i}",
			 "method", "cash", "amount", 150000), &f), 201);
	assert_string_equal(th_str(f, "receipt_no"),
			    "BL-" CENTER "-2026-000001");
	assert_string_equal(th_str(f, "amount_words"),
			    "Một trăm năm mươi nghìn đồng");
	assert_string_equal(th_str(f, "payer"), "Nguyễn Văn Đức");
	json_decref(f);
	PROBLEM(call(COUNTER, "POST", path, json_pack("{s:s, s:i}", "method",
		"card", "amount", 150000), &f), f, 409, "amount",
		"nothing_due");
	json_decref(f);
	assert_int_equal(call(COUNTER, "GET", path, NULL, &f), 200);
	assert_int_equal(json_array_size(json_object_get(f, "items")), 1);
	json_decref(f);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/fees", code);
	assert_int_equal(call(COUNTER, "GET", path, NULL, &f), 200);
	assert_int_equal(json_integer_value(json_object_get(f, "paid")),
			 150000);
	assert_int_equal(json_integer_value(json_object_get(f,
			 "outstanding")), 0);
	assert_true(json_is_null(json_object_get(f, "payment")));
	json_decref(f);
	/* Online: half the charge (its online discount), once received. */
	online = intake(PROC, "online");
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/fees", online);
	assert_int_equal(call(COUNTER, "GET", path, NULL, &f), 200);
	assert_int_equal(json_array_size(json_object_get(f, "items")), 0);
	json_decref(f);
	json_decref(ok(COUNTER, online, json_pack("{s:s}", "action",
						  "accept")));
	assert_int_equal(call(COUNTER, "GET", path, NULL, &f), 200);
	it = json_array_get(json_object_get(f, "items"), 0);
	assert_int_equal(json_integer_value(json_object_get(it,
			 "discount_percent")), 50);
	assert_int_equal(json_integer_value(json_object_get(f, "total")),
			 75000);
	assert_string_equal(th_str(f, "total_words"),
			    "Bảy mươi lăm nghìn đồng");
	json_decref(f);
	free(code);
	free(online);
}

/*
 * One address guessing across accounts: past login_max_per_address
 * failures it waits, even with a right password, whichever account.
 */
static void test_login_per_address(void **state)
{
	static const char *const who[] = { "admin", "kiemsoat", "lanhdao" };
	struct th_server s2;
	char url[160], buf[32];
	struct th_resp r;
	json_t *j;
	size_t i;

	(void)state;
	th_serve(&s2, (const char *[]){ "--db", db, "--login-max-per-address",
		 "3", "--login-window", "1h", NULL });
	for (i = 0; i < MC_ARRAY_SIZE(who); i++) {
		assert_int_equal(th_api(s2.base, "POST", "/api/v1/auth/login",
			NULL, json_pack("{s:s, s:s}", "username", who[i],
			"password", "doan-mo"), &j), 401);
		json_decref(j);
	}
	snprintf(url, sizeof(url), "%s/api/v1/auth/login", s2.base);
	{
		static const char body[] = "{\"username\": \"tiepnhan\", "
			"\"password\": \"motcua-demo\"}";
		const char *h[] = { "Content-Type: application/json", NULL };

		assert_int_equal(th_http("POST", url, h, body, strlen(body),
					 &r), 0);
	}
	assert_int_equal(r.status, 429);
	assert_non_null(th_header(&r, "retry-after", buf, sizeof(buf)));
	assert_true(strtol(buf, NULL, 10) > 60);
	th_resp_free(&r);
	assert_int_equal(th_serve_stop(&s2), 0);
}

/* Repeated failures lock an account; logout revokes a token. */
static void test_login_lockout(void **state)
{
	json_t *j;
	int i;

	(void)state;
	set_clock("2026-03-02T09:00:00+07:00");
	for (i = 0; i < 3; i++) {
		assert_int_equal(th_api(srv.base, "POST", "/api/v1/auth/login",
					NULL, json_pack("{s:s, s:s}",
					"username", "tn.001.01.50.H51",
					"password", "wrong-password"), &j),
				 401);
		json_decref(j);
	}
	/* Locked: even the right password is refused for a while. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/auth/login", NULL,
				json_pack("{s:s, s:s}", "username",
					  "tn.001.01.50.H51", "password",
					  "motcua-demo"), &j), 423);
	json_decref(j);
	set_clock("2026-03-02T09:16:00+07:00");
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/auth/login", NULL,
				json_pack("{s:s, s:s}", "username",
					  "tn.001.01.50.H51", "password",
					  "motcua-demo"), &j), 200);
	{
		char tok[128];

		snprintf(tok, sizeof(tok), "%s", th_str(j, "token"));
		json_decref(j);
		assert_int_equal(th_api(srv.base, "GET", "/api/v1/auth/me",
					tok, NULL, NULL), 200);
		assert_int_equal(th_api(srv.base, "POST",
					"/api/v1/auth/logout", tok, NULL,
					NULL), 200);
		assert_int_equal(th_api(srv.base, "GET", "/api/v1/auth/me",
					tok, NULL, NULL), 401);
	}
	/* Unknown user: the same answer as a wrong password. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/auth/login", NULL,
				json_pack("{s:s, s:s}", "username", "nobody",
					  "password", "whatever-123"), NULL),
			 401);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_main_path),
		cmocka_unit_test(test_fees),
		cmocka_unit_test(test_refuse_withdraw_stop),
		cmocka_unit_test(test_late_with_apology),
		cmocka_unit_test(test_action_table),
		cmocka_unit_test(test_validation_and_auth),
		cmocka_unit_test(test_catalog_and_lists),
		cmocka_unit_test(test_login_lockout),
		cmocka_unit_test(test_login_per_address),
		cmocka_unit_test(test_commune_procedure),
		cmocka_unit_test(test_lookup_limit),
		cmocka_unit_test(test_users),
		cmocka_unit_test(test_deadline_watch),
		cmocka_unit_test(test_deadline_watch_shared),
		cmocka_unit_test(test_audit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
