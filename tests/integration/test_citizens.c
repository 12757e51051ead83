/*
 * test_citizens.c — a citizen signs in with a one-time code sent by SMS
 * (through the local gateway, harness/smsgw.c) to the phone of their
 * latest dossier, and sees their own dossiers and nobody else's:
 *
 * - the code is single-use, expires, and is compared as a keyed hash;
 *   wrong codes end it after otp_attempts;
 * - an unknown ID gets the same answer as a known one, and nothing sent;
 * - codes per ID and requests per address are limited (429, Retry-After);
 * - citizens' and staff's tokens do not open each other's doors;
 * - ratings: only a returned dossier, only one's own, changeable for a
 *   window; "not satisfied" opens a follow-up that a leader closes; the
 *   kiosk records one at the counter; rates by unit, procedure, officer;
 * - feedback sent by a signed-in citizen, their list, and their like or
 *   dislike of the published answer.
 */
#include "core/compat.h"
#include "harness/harness.h"
#include "store/outbox.h"
#include "harness/smsgw.h"

#include <pthread.h>
#include <unistd.h>

#define PROC "9.900501"
#define PID_A "051095012345"
#define PID_B "051195012346"

static struct th_server srv;
static struct th_smsgw *gw;
static char db[600], clock_file[600], counter[128];
static char *codes_a[2], *code_b;

static void set_clock(const char *iso)
{
	assert_int_equal(th_write_file(clock_file, iso), 0);
}

static char *intake(const char *pid, const char *name, const char *phone)
{
	json_t *j;
	char *code;
	long st = th_api(srv.base, "POST", "/api/v1/dossiers", counter,
		json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:[{s:s, s:b}]}",
		"procedure_code", PROC, "channel", "direct", "applicant",
		"kind", "person", "id_number", pid, "name", name, "phone",
		phone, "components", "code", "TK", "provided", 1), &j);

	if (st != 201)
		fail_msg("intake: %ld %s", st, j ? json_dumps(j, 0) : "");
	code = strdup(th_str(j, "code"));
	json_decref(j);
	return code;
}

static int setup(void **state)
{
	char tok[128];

	(void)state;
	th_path(clock_file, sizeof(clock_file), "clock");
	set_clock("2026-03-02T09:00:00+07:00");
	setenv("MOTCUA_TEST_CLOCK", clock_file, 1);
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	setenv("MOTCUA_WATCH_INTERVAL", "0", 1);
	gw = th_smsgw_start("gw");
	th_demo_db(db, sizeof(db), "citizens");
	th_serve(&srv, (const char *[]){ "--db", db, "--threads", "2",
		 "--sms-url", th_smsgw_url(gw), "--sms-token", "gw",
		 "--outbox-poll", "50ms", "--otp-max-per-address", "100",
		 NULL });
	th_login(srv.base, "kiemsoat", "motcua-demo", tok, sizeof(tok));
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures", tok,
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:{s:s, "
		"s:b}, s:[{s:s, s:s, s:s, s:b}], s:[{s:s, s:s, s:i}]}", "code",
		PROC, "name", "Thủ tục thử công dân", "field", "Thử", "level",
		"province", "unit_code", "000.00.04.H51", "processing_time",
		"amount", 5, "unit", "working_days", "result",
		"document_type", "Giấy", "paper", 1, "components", "code", "TK",
		"name", "Tờ khai", "form", "original", "required", 1, "steps",
		"name", "Xử lý", "role", "specialist", "share_percent", 100),
		NULL), 201);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures/" PROC
		"/publish", tok, json_pack("{s:s, s:s, s:s}", "valid_from",
		"2025-01-01", "decision_number", "8/QĐ", "decision_date",
		"2025-01-01"), NULL), 200);
	th_login(srv.base, "tiepnhan", "motcua-demo", counter,
		 sizeof(counter));
	/* A's second dossier gives the contact on record: 0977777777. */
	codes_a[0] = intake(PID_A, "Võ Văn An", "0966666666");
	codes_a[1] = intake(PID_A, "Võ Văn An", "0977777777");
	code_b = intake(PID_B, "Lý Thị Bình", "0988888888");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(th_serve_stop(&srv), 0);
	th_smsgw_stop(gw);
	free(codes_a[0]);
	free(codes_a[1]);
	free(code_b);
	return 0;
}

static long otp(const char *pid, json_t **out)
{
	return th_api(srv.base, "POST", "/api/v1/citizen/otp", NULL,
		      json_pack("{s:s}", "id_number", pid), out);
}

/*
 * Waits for the 'nth' code (from 1) sent to 'phone' and returns it; 0
 * when none comes within 2 s.
 */
static int wait_code(const char *phone, int nth, char out[8])
{
	int i, k;

	for (i = 0; i < 40; i++) {
		struct th_sms sms;
		int seen = 0;

		for (k = 0; th_smsgw_get(gw, k, &sms); k++) {
			const char *p;

			if (strcmp(sms.to, phone) || strncmp(sms.key, "otp/", 4))
				continue;
			if (++seen < nth)
				continue;
			p = strstr(sms.text, " là ");
			assert_non_null(p);
			assert_string_equal(sms.priority, "high");
			snprintf(out, 8, "%.6s", p + strlen(" là "));
			return 1;
		}
		usleep(50 * 1000);
	}
	return 0;
}

static long login(const char *pid, const char *code, json_t **out)
{
	return th_api(srv.base, "POST", "/api/v1/citizen/login", NULL,
		      json_pack("{s:s, s:s}", "id_number", pid, "code", code),
		      out);
}

static const char *rule_of(json_t *j)
{
	return json_string_value(json_object_get(json_array_get(
		json_object_get(j, "errors"), 0), "rule"));
}

static void test_sign_in_and_own_dossiers(void **state)
{
	char code[8], wrong[8], tok[160], path[200];
	json_t *j, *items;
	size_t i;
	int k;

	(void)state;
	/* Same answer for a known ID, an unknown one, and no SMS for it. */
	assert_int_equal(otp(PID_A, &j), 202);
	assert_string_equal(th_str(j, "channel"), "sms");
	json_decref(j);
	assert_int_equal(otp("051095099999", &j), 202);
	json_decref(j);
	assert_int_equal(wait_code("0977777777", 1, code), 1);
	/*
	 * The three "received" SMS, the notice to the phone A's second
	 * dossier replaced, and A's code; nothing for the unknown ID. (The
	 * code and the notice, urgent, may overtake the others.)
	 */
	for (k = 0; k < 40 && th_smsgw_count(gw, NULL) < 5; k++)
		usleep(50 * 1000);
	usleep(200 * 1000);
	assert_int_equal(th_smsgw_count(gw, NULL), 5);
	{
		struct th_sms m;
		int seen = 0;

		for (k = 0; th_smsgw_get(gw, k, &m); k++)
			if (!strcmp(m.to, "0966666666") &&
			    strstr(m.text, "không còn gửi đến số này") &&
			    strstr(m.text, codes_a[1]))
				seen++;
		assert_int_equal(seen, 1);
	}
	/* A wrong code uses an attempt; the right one signs in, once. */
	snprintf(wrong, sizeof(wrong), "%06d",
		 (int)((strtol(code, NULL, 10) + 1) % 1000000));
	assert_int_equal(login(PID_A, wrong, &j), 401);
	assert_string_equal(rule_of(j), "invalid");
	json_decref(j);
	assert_int_equal(login(PID_A, code, &j), 200);
	snprintf(tok, sizeof(tok), "%s", th_str(j, "token"));
	assert_true(!strncmp(tok, "c.", 2));
	assert_string_equal(th_str(json_object_get(j, "citizen"), "name"),
			    "Võ Văn An");
	json_decref(j);
	assert_int_equal(login(PID_A, code, &j), 401);
	json_decref(j);

	/* Their own dossiers, newest first; not B's. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/citizen/me", tok,
				NULL, &j), 200);
	assert_string_equal(th_str(j, "id_number"), PID_A);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/citizen/dossiers",
				tok, NULL, &j), 200);
	items = json_object_get(j, "items");
	assert_int_equal(json_array_size(items), 2);
	assert_string_equal(th_str(json_array_get(items, 0), "code"),
			    codes_a[1]);
	assert_string_equal(th_str(json_array_get(items, 0), "status_label"),
			    "Đã tiếp nhận");
	for (i = 0; i < json_array_size(items); i++)
		assert_string_not_equal(th_str(json_array_get(items, i),
					       "code"), code_b);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/citizen/dossiers/%s",
		 codes_a[0]);
	assert_int_equal(th_api(srv.base, "GET", path, tok, NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "components")), 1);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/citizen/dossiers/%s", code_b);
	assert_int_equal(th_api(srv.base, "GET", path, tok, NULL, &j), 404);
	json_decref(j);
	/* A citizen's token opens no staff door, and the other way round. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/dossiers", tok,
				NULL, &j), 401);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/citizen/me",
				counter, NULL, &j), 401);
	json_decref(j);
	/* Signed out, the token is dead. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/citizen/logout",
				tok, NULL, NULL), 204);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/citizen/me", tok,
				NULL, &j), 401);
	json_decref(j);
}

static void test_limits_and_expiry(void **state)
{
	char code[8], wrong[8];
	json_t *j;
	int i;

	(void)state;
	/* Bad input names the field. */
	assert_int_equal(otp("12345", &j), 400);
	assert_string_equal(rule_of(j), "format");
	json_decref(j);
	assert_int_equal(login(PID_B, "12ab56", &j), 400);
	json_decref(j);
	/* Wrong five times: the code is spent, even the right one fails. */
	assert_int_equal(otp(PID_B, &j), 202);
	json_decref(j);
	assert_int_equal(wait_code("0988888888", 1, code), 1);
	snprintf(wrong, sizeof(wrong), "%06d",
		 (int)((strtol(code, NULL, 10) + 7) % 1000000));
	for (i = 0; i < 5; i++) {
		assert_int_equal(login(PID_B, wrong, &j), 401);
		json_decref(j);
	}
	assert_int_equal(login(PID_B, code, &j), 401);
	assert_string_equal(rule_of(j), "attempts");
	json_decref(j);
	/* A new code, left to expire: 5 minutes. */
	assert_int_equal(otp(PID_B, &j), 202);
	json_decref(j);
	assert_int_equal(wait_code("0988888888", 2, code), 1);
	set_clock("2026-03-02T09:05:01+07:00");
	assert_int_equal(login(PID_B, code, &j), 401);
	assert_string_equal(rule_of(j), "invalid");
	json_decref(j);
	/* A third code within 15 minutes: the last one allowed. */
	assert_int_equal(otp(PID_B, &j), 202);
	json_decref(j);
	assert_int_equal(otp(PID_B, &j), 429);
	json_decref(j);
	/* After the window: allowed again, and it works. */
	set_clock("2026-03-02T09:20:00+07:00");
	assert_int_equal(otp(PID_B, &j), 202);
	json_decref(j);
	assert_int_equal(wait_code("0988888888", 4, code), 1);
	assert_int_equal(login(PID_B, code, &j), 200);
	json_decref(j);
}

/* An action that must succeed, on this test's server. */
static void act(const char *tok, const char *code, json_t *body)
{
	th_act(srv.base, tok, code, body);
}

/* Takes a received dossier through to its return. */
static void to_returned(const char *leader, const char *code)
{
	act(counter, code, json_pack("{s:s, s:s}", "action", "forward",
				     "unit_code", "000.00.04.H51"));
	act(leader, code, json_pack("{s:s, s:{s:s}}", "action", "complete",
				    "result", "number", "1/GP"));
	act(counter, code, json_pack("{s:s}", "action", "return_result"));
}

/* Signs 'pid' in through a code to 'phone' (its 'nth' code). */
static void sign_in(const char *pid, const char *phone, int nth, char *tok,
		    size_t n)
{
	char code[8];
	json_t *j;

	assert_int_equal(otp(pid, &j), 202);
	json_decref(j);
	assert_int_equal(wait_code(phone, nth, code), 1);
	assert_int_equal(login(pid, code, &j), 200);
	snprintf(tok, n, "%s", th_str(j, "token"));
	json_decref(j);
}

static long rate(const char *tok, bool citizen, const char *code,
		 json_t *body, json_t **out)
{
	char path[200];

	snprintf(path, sizeof(path), "/api/v1/%sdossiers/%s/rating",
		 citizen ? "citizen/" : "", code);
	return th_api(srv.base, "POST", path, tok, body, out);
}

static void test_ratings(void **state)
{
	char leader[128], a[160], b[160], path[200];
	json_t *j, *f, *items, *it;
	size_t i;
	int id;

	(void)state;
	th_login(srv.base, "lanhdao", "motcua-demo", leader, sizeof(leader));
	to_returned(leader, codes_a[0]);
	to_returned(leader, code_b);
	sign_in(PID_A, "0977777777", 2, a, sizeof(a));
	/* Not yet returned; bad input; someone else's. */
	assert_int_equal(rate(a, true, codes_a[1], json_pack("{s:s}", "level",
			 "satisfied"), &j), 409);
	assert_string_equal(rule_of(j), "status");
	json_decref(j);
	assert_int_equal(rate(a, true, codes_a[0], json_pack("{s:s, s:[s]}",
			 "level", "happy", "criteria", "speed"), &j), 400);
	assert_int_equal(json_array_size(json_object_get(j, "errors")), 2);
	json_decref(j);
	assert_int_equal(rate(a, true, code_b, json_pack("{s:s}", "level",
			 "satisfied"), &j), 404);
	json_decref(j);
	/* Not satisfied: a follow-up, due in 5 working days. */
	assert_int_equal(rate(a, true, codes_a[0], json_pack("{s:s, s:[s, s], "
			 "s:s}", "level", "not_satisfied", "criteria", "time",
			 "attitude", "comment", "Chờ lâu, hướng dẫn chưa rõ"),
			 &j), 201);
	assert_string_equal(th_str(j, "source"), "citizen");
	assert_int_equal(json_array_size(json_object_get(j, "criteria")), 2);
	f = json_object_get(j, "followup");
	/* Rated Monday 09:20: due at the close of the 5th working day. */
	assert_string_equal(th_str(f, "due_at"), "2026-03-09T17:00:00+07:00");
	assert_true(json_is_null(json_object_get(f, "done_at")));
	json_decref(j);
	/* Changed within the window: satisfied; the follow-up closes. */
	assert_int_equal(rate(a, true, codes_a[0], json_pack("{s:s}", "level",
			 "satisfied"), &j), 200);
	f = json_object_get(j, "followup");
	assert_true(json_is_string(json_object_get(f, "done_at")));
	assert_string_equal(th_str(f, "note"), "Công dân đã thay đổi đánh "
			    "giá");
	json_decref(j);
	/* And back: a fresh one. */
	assert_int_equal(rate(a, true, codes_a[0], json_pack("{s:s}", "level",
			 "not_satisfied"), &j), 200);
	f = json_object_get(j, "followup");
	assert_true(json_is_null(json_object_get(f, "done_at")));
	assert_true(json_is_null(json_object_get(f, "note")));
	id = (int)json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	/* The kiosk at the counter records B's. */
	assert_int_equal(rate(counter, false, code_b, json_pack("{s:s}",
			 "level", "very_satisfied"), &j), 201);
	assert_string_equal(th_str(j, "source"), "kiosk");
	json_decref(j);
	sign_in(PID_B, "0988888888", 5, b, sizeof(b));
	assert_int_equal(rate(b, true, code_b, json_pack("{s:s}", "level",
			 "satisfied"), &j), 200);
	json_decref(j);
	/* Staff see it; citizens cannot use the kiosk's door. */
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/rating", code_b);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, &j),
			 200);
	assert_string_equal(th_str(j, "level"), "satisfied");
	json_decref(j);
	assert_int_equal(rate(b, false, code_b, json_pack("{s:s}", "level",
			 "satisfied"), &j), 401);
	json_decref(j);

	/* The leader's follow-ups: A's is open; closing it. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/ratings/followups",
				leader, NULL, &j), 200);
	items = json_object_get(j, "items");
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(th_str(json_array_get(items, 0), "dossier_code"),
			    codes_a[0]);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/ratings/%d/followup", id);
	assert_int_equal(th_api(srv.base, "POST", path, counter,
		json_pack("{s:s}", "note", "x"), NULL), 403);
	assert_int_equal(th_api(srv.base, "POST", path, leader,
		json_pack("{s:s}", "note", "Đã gọi điện xin lỗi và giải thích "
		"với công dân"), &j), 200);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", path, leader,
		json_pack("{s:s}", "note", "lại"), &j), 409);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/ratings/followups?"
				"status=done", leader, NULL, &j), 200);
	it = json_array_get(json_object_get(j, "items"), 0);
	assert_string_equal(th_str(json_object_get(it, "followup"), "by"),
			    "lanhdao");
	json_decref(j);

	/* Rates: by procedure, by the officer who took them in. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/ratings/stats?"
				"from=2026-03-01&to=2026-03-31&group_by="
				"procedure", leader, NULL, &j), 200);
	items = json_object_get(j, "items");
	assert_int_equal(json_array_size(items), 1);
	it = json_array_get(items, 0);
	assert_string_equal(th_str(it, "key"), PROC);
	assert_int_equal(json_integer_value(json_object_get(it, "total")), 2);
	assert_int_equal(json_integer_value(json_object_get(it,
			 "not_satisfied")), 1);
	assert_true(json_real_value(json_object_get(it,
			"satisfaction_rate")) == 50.0);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/ratings/stats?"
				"from=2026-03-01&to=2026-03-31&group_by="
				"officer", leader, NULL, &j), 200);
	items = json_object_get(j, "items");
	json_array_foreach(items, i, it)
		assert_string_equal(th_str(it, "key"), "tiepnhan");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/ratings/stats?"
				"from=2026-03-31&to=2026-03-01", leader, NULL,
				&j), 400);
	assert_string_equal(rule_of(j), "order");
	json_decref(j);

	/* A day later the rating can no longer change. */
	set_clock("2026-03-03T10:00:00+07:00");
	sign_in(PID_A, "0977777777", 3, a, sizeof(a));
	assert_int_equal(rate(a, true, codes_a[0], json_pack("{s:s}", "level",
			 "satisfied"), &j), 409);
	assert_string_equal(rule_of(j), "rating_window");
	json_decref(j);
}

static void test_feedback(void **state)
{
	char a[160], b[160], code[48], path[200], control[128];
	json_t *j;

	(void)state;
	set_clock("2026-03-04T09:00:00+07:00");
	sign_in(PID_A, "0977777777", 4, a, sizeof(a));
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/citizen/feedback",
		a, json_pack("{s:s, s:s, s:s, s:s}", "kind", "recommendation",
		"subject", "procedure", "title", "Đề nghị bỏ bản sao",
		"content", "Đề nghị không yêu cầu nộp bản sao giấy tờ đã có "
		"trên hệ thống."), &j), 201);
	snprintf(code, sizeof(code), "%s", th_str(j, "code"));
	assert_string_equal(th_str(j, "channel"), "web");
	assert_string_equal(th_str(json_object_get(j, "sender"), "phone"),
			    "0977777777");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/citizen/feedback",
				a, NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	json_decref(j);
	/* Not published yet: no reaction. */
	snprintf(path, sizeof(path), "/api/v1/citizen/feedback/%s/reaction",
		 code);
	assert_int_equal(th_api(srv.base, "POST", path, a, json_pack("{s:s}",
			 "reaction", "like"), &j), 409);
	json_decref(j);
	th_login(srv.base, "kiemsoat", "motcua-demo", control,
		 sizeof(control));
	snprintf(path, sizeof(path), "/api/v1/feedback/%s/actions", code);
	assert_int_equal(th_api(srv.base, "POST", path, control,
		json_pack("{s:s}", "action", "accept"), NULL), 200);
	assert_int_equal(th_api(srv.base, "POST", path, control,
		json_pack("{s:s, s:s}", "action", "answer", "answer",
		"Tiếp thu, sẽ sửa đổi quy trình."), NULL), 200);
	assert_int_equal(th_api(srv.base, "POST", path, control,
		json_pack("{s:s}", "action", "publish"), NULL), 200);
	snprintf(path, sizeof(path), "/api/v1/citizen/feedback/%s/reaction",
		 code);
	assert_int_equal(th_api(srv.base, "POST", path, a, json_pack("{s:s}",
			 "reaction", "meh"), &j), 400);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", path, a, json_pack("{s:s}",
			 "reaction", "dislike"), NULL), 200);
	/* Someone else cannot react to it. */
	sign_in(PID_B, "0988888888", 6, b, sizeof(b));
	assert_int_equal(th_api(srv.base, "POST", path, b, json_pack("{s:s}",
			 "reaction", "like"), &j), 404);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/feedback/%s", code);
	assert_int_equal(th_api(srv.base, "GET", path, control, NULL, &j),
			 200);
	assert_string_equal(th_str(j, "reaction"), "dislike");
	json_decref(j);
}

/* Online: a citizen submits a dossier, and answers a supplement request. */
static void test_online(void **state)
{
	char a[160], b[160], tok[128], code[96], path[200];
	json_t *j, *ev;
	size_t n;

	(void)state;
	set_clock("2026-03-05T09:00:00+07:00");
	th_login(srv.base, "kiemsoat", "motcua-demo", tok, sizeof(tok));
	th_login(srv.base, "tiepnhan", "motcua-demo", counter,
		 sizeof(counter));
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures", tok,
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:s, "
		"s:{s:s, s:b}, s:[{s:s, s:s, s:s, s:b}], s:[{s:s, s:s, s:i}]}",
		"code", "9.900502", "name", "Thủ tục thử trực tuyến", "field",
		"Thử", "level", "province", "unit_code", "000.00.04.H51",
		"processing_time", "amount", 5, "unit", "working_days",
		"online_level", "full", "result", "document_type", "Giấy",
		"paper", 1, "components", "code", "TK", "name", "Tờ khai",
		"form", "electronic", "required", 1, "steps", "name", "Xử lý",
		"role", "specialist", "share_percent", 100), NULL), 201);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures/"
		"9.900502/publish", tok, json_pack("{s:s, s:s, s:s}",
		"valid_from", "2025-01-01", "decision_number", "9/QĐ",
		"decision_date", "2025-01-01"), NULL), 200);
	sign_in(PID_A, "0977777777", 5, a, sizeof(a));
	/* Not offered online: refused; offered: submitted. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/citizen/dossiers",
		a, json_pack("{s:s, s:s, s:[{s:s, s:b}]}", "procedure_code",
		PROC, "unit_code", "000.00.01.H51", "components", "code", "TK",
		"provided", 1), &j), 400);
	assert_string_equal(rule_of(j), "online");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/citizen/dossiers",
		a, json_pack("{s:s, s:s, s:[{s:s, s:b}]}", "procedure_code",
		"9.900502", "unit_code", "000.00.01.H51", "components", "code",
		"TK", "provided", 1), &j), 201);
	assert_string_equal(th_str(j, "status"), "submitted");
	snprintf(code, sizeof(code), "%s", th_str(j, "code"));
	json_decref(j);
	/* The counter accepts it, then asks for more. */
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/actions", code);
	assert_int_equal(th_api(srv.base, "POST", path, counter,
		json_pack("{s:s}", "action", "accept"), NULL), 200);
	assert_int_equal(th_api(srv.base, "POST", path, counter,
		json_pack("{s:s, s:s, s:[s]}", "action", "request_supplement",
		"reason", "Tờ khai thiếu chữ ký", "items", "Tờ khai có chữ ký"),
		NULL), 200);
	/* Someone else cannot answer it; the applicant does. */
	snprintf(path, sizeof(path), "/api/v1/citizen/dossiers/%s/supplement",
		 code);
	sign_in(PID_B, "0988888888", 7, b, sizeof(b));
	assert_int_equal(th_api(srv.base, "POST", path, b, json_pack("{s:s}",
			 "note", "x"), &j), 404);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", path, a, json_pack("{s:s}",
			 "note", "Đã ký tờ khai, gửi lại bản điện tử"), &j),
			 200);
	assert_string_equal(th_str(j, "status"), "received");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", path, a, json_pack("{s:s}",
			 "note", "lần hai"), &j), 409);
	json_decref(j);
	/* The chain says who did what. */
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/events", code);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, &j),
			 200);
	n = json_array_size(json_object_get(j, "items"));
	assert_int_equal(n, 4);
	ev = json_array_get(json_object_get(j, "items"), 0);
	assert_string_equal(th_str(ev, "actor"), "citizen");
	ev = json_array_get(json_object_get(j, "items"), 3);
	assert_string_equal(th_str(ev, "action"), "submit_supplement");
	assert_string_equal(th_str(ev, "actor"), "citizen");
	json_decref(j);
}

/* Requests from one address are limited too (per instance). */
/* The array 'name' of export 'j', and how many of its rows have
 * 'key' = 'value' (NULL: all rows). */
static size_t rows(json_t *j, const char *name, const char *key,
		   const char *value)
{
	json_t *a = json_object_get(j, name), *it;
	size_t i, n = 0;

	assert_true(json_is_array(a));
	json_array_foreach(a, i, it) {
		json_t *v = key ? json_object_get(it, key) : NULL;

		if (!key || (json_is_string(v) && !strcmp(json_string_value(v),
							  value)))
			n++;
	}
	return n;
}

/*
 * Everything held about a person, for the person (GET /api/v1/me/export):
 * all their dossiers with events, the messages sent to them (sign-in
 * codes without their text), their feedback and sign-ins, and nothing
 * of anyone else's, nor any secret.
 */
static void test_export(void **state)
{
	char a[160], url[200], auth[200], disp[160];
	const char *h[] = { auth, NULL };
	struct th_resp r;
	json_t *j, *sub, *m, *it;
	size_t i;

	(void)state;
	set_clock("2026-03-06T09:00:00+07:00");
	sign_in(PID_A, "0977777777", 6, a, sizeof(a));
	snprintf(url, sizeof(url), "%s/api/v1/me/export", srv.base);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", a);
	assert_int_equal(th_http("GET", url, h, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(th_header(&r, "content-disposition", disp,
				  sizeof(disp)));
	assert_non_null(strstr(disp, "attachment; filename=\"du-lieu-ca-nhan-"
			       PID_A ".json\""));
	/* No secret of any kind. */
	assert_null(strstr(r.body, "hash"));
	assert_null(strstr(r.body, "salt"));
	j = th_json(&r);
	if (getenv("TEST_EXPORT_PRINT"))
		fprintf(stderr, "%s\n", r.body);
	assert_string_equal(th_str(j, "format"), "motcua-personal-data/1");
	assert_string_equal(th_str(j, "generated_at"),
			    "2026-03-06T09:00:00+07:00");
	sub = json_object_get(j, "subject");
	assert_string_equal(th_str(sub, "id_number"), PID_A);
	assert_string_equal(th_str(sub, "name"), "Võ Văn An");
	/* Both of A's counter dossiers, none of B's. */
	assert_int_equal(rows(j, "dossiers", "code", codes_a[0]), 1);
	assert_int_equal(rows(j, "dossiers", "code", codes_a[1]), 1);
	assert_int_equal(rows(j, "dossiers", "code", code_b), 0);
	assert_int_equal(rows(j, "dossiers", "applicant_id_number", PID_B), 0);
	assert_true(rows(j, "events", "dossier", codes_a[0]) >= 1);
	assert_int_equal(rows(j, "events", "dossier", code_b), 0);
	assert_true(rows(j, "components", "dossier", codes_a[0]) == 1);
	/* The codes sent to A's phone, their text withheld. */
	assert_int_equal(rows(j, "messages", "event", "otp"), 6);
	json_array_foreach(json_object_get(j, "messages"), i, it) {
		m = json_object_get(it, "body");
		if (!strcmp(th_str(it, "event"), "otp"))
			assert_true(json_is_null(m));
		assert_string_not_equal(th_str(it, "recipient"), "0988888888");
	}
	assert_int_equal(rows(j, "sign_in_codes", NULL, NULL), 6);
	/*
	 * Nor does motcua keep them: a code's text goes once it is sent
	 * (the last one's outcome may be recorded a moment after the
	 * gateway took it).
	 */
	for (i = 0; i < 100 && th_db_int(db, "SELECT COUNT(*) FROM messages "
		"WHERE event = 'otp' AND status IN ('created', 'sending')",
		NULL); i++)
		usleep(50 * 1000);
	assert_true(th_db_int(db, "SELECT COUNT(*) FROM messages WHERE "
		"event = 'otp' AND recipient = '0977777777' AND status IN "
		"('sent', 'delivered')", NULL) >= 6);
	assert_int_equal(th_db_int(db, "SELECT COUNT(*) FROM messages WHERE "
		"event = 'otp' AND status IN ('sent', 'delivered') AND body "
		"<> ?1", (const char *[]){ MC_OTP_FORGOTTEN, NULL }), 0);
	assert_int_equal(rows(j, "sign_ins", NULL, NULL), 6);
	assert_int_equal(rows(j, "feedback", "title", "Đề nghị bỏ bản sao"), 1);
	assert_true(json_is_array(json_object_get(j, "access_log")));
	assert_true(json_is_array(json_object_get(j, "documents")));
	json_decref(j);
	th_resp_free(&r);
	/* Only with a citizen's token. */
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", counter);
	assert_int_equal(th_http("GET", url, h, NULL, 0, &r), 0);
	assert_int_equal(r.status, 401);
	th_resp_free(&r);
	assert_int_equal(th_http("GET", url, NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 401);
	th_resp_free(&r);
}

#define PID_C "051090012347"
#define TRIES 12

static void *wrong_try(void *arg)
{
	json_t *j = NULL;

	assert_int_equal(login(PID_C, arg, &j), 401);
	json_decref(j);
	return NULL;
}

/*
 * Wrong codes sent side by side (PostgreSQL's writers run them in
 * parallel) cannot all slip under otp_attempts: exactly five are
 * counted, and then even the right code is refused.
 */
static void test_parallel_tries(void **state)
{
	pthread_t t[TRIES];
	char code[8], wrong[8], *dossier;
	json_t *j;
	int i;

	(void)state;
	set_clock("2026-03-07T09:00:00+07:00");
	th_login(srv.base, "tiepnhan", "motcua-demo", counter,
		 sizeof(counter));
	dossier = intake(PID_C, "Đỗ Văn Song", "0944444444");
	free(dossier);
	assert_int_equal(otp(PID_C, &j), 202);
	json_decref(j);
	assert_int_equal(wait_code("0944444444", 1, code), 1);
	snprintf(wrong, sizeof(wrong), "%06d",
		 (int)((strtol(code, NULL, 10) + 11) % 1000000));
	for (i = 0; i < TRIES; i++)
		assert_int_equal(pthread_create(&t[i], NULL, wrong_try, wrong),
				 0);
	for (i = 0; i < TRIES; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(th_db_int(db, "SELECT o.attempts FROM citizen_otps o "
		"JOIN citizens c ON c.id = o.citizen_id WHERE c.id_number = ?1",
		(const char *[]){ PID_C, NULL }), 5);
	assert_int_equal(login(PID_C, code, &j), 401);
	assert_string_equal(rule_of(j), "attempts");
	json_decref(j);
	assert_int_equal(th_db_int(db, "SELECT COUNT(*) FROM citizen_sessions "
		"s JOIN citizens c ON c.id = s.citizen_id WHERE c.id_number = "
		"?1", (const char *[]){ PID_C, NULL }), 0);
}

static void test_address_limit(void **state)
{
	struct th_server s2;
	json_t *j;

	(void)state;
	th_serve(&s2, (const char *[]){ "--db", db, "--threads", "1",
		 "--otp-max-per-address", "2", NULL });
	assert_int_equal(th_api(s2.base, "POST", "/api/v1/citizen/otp", NULL,
		json_pack("{s:s}", "id_number", "051095088888"), NULL), 202);
	assert_int_equal(th_api(s2.base, "POST", "/api/v1/citizen/login",
		NULL, json_pack("{s:s, s:s}", "id_number", "051095088888",
		"code", "000000"), NULL), 401);
	assert_int_equal(th_api(s2.base, "POST", "/api/v1/citizen/otp", NULL,
		json_pack("{s:s}", "id_number", "051095088888"), &j), 429);
	json_decref(j);
	assert_int_equal(th_serve_stop(&s2), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_in_and_own_dossiers),
		cmocka_unit_test(test_limits_and_expiry),
		cmocka_unit_test(test_ratings),
		cmocka_unit_test(test_feedback),
		cmocka_unit_test(test_online),
		cmocka_unit_test(test_export),
		cmocka_unit_test(test_parallel_tries),
		cmocka_unit_test(test_address_limit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
