/*
 * test_messages.c — messages to citizens end to end: the real motcua
 * binary queues them in the same transaction as the dossier's events and
 * its delivery workers hand them to a local SMS gateway (harness/smsgw.c)
 * that speaks the documented protocol, can fail, refuse, slow down and
 * drop connections, and honours idempotency keys.
 *
 * - each lifecycle event that concerns the applicant sends its SMS, made
 *   from the template with the dossier's code, appointment and reasons;
 * - statuses: sent, then delivered by the gateway's receipt; a gateway
 *   that fails is retried until it takes the message; one that refuses
 *   makes a permanent failure; one that never answers within the
 *   message's window makes a technical failure;
 * - a connection dropped after the gateway sent the message: the retry
 *   carries the same key, and the phone gets it once;
 * - a 'motcua worker' killed (SIGKILL) while delivering: after a restart
 *   every message is delivered, none twice;
 * - receipts need the gateway's token; bad ones are refused;
 * - e-mail through a local SMTP server: the same events as mail with a
 *   Vietnamese subject and body; a refused mailbox fails for good, a
 *   server that fails for now is retried.
 */
#include "core/compat.h"
#include "harness/harness.h"
#include "harness/smsgw.h"
#include "harness/smtpd.h"
#include "harness/hooksrv.h"

#include <sodium.h>

#include <signal.h>
#include <time.h>
#include <unistd.h>

#define GW_TOKEN "gw-secret"
#define RECEIPT_TOKEN "receipt-secret"
#define PROC "9.900401"

static struct th_server srv;
static struct th_smsgw *gw;
static struct th_smtpd *smtpd;
static char db[600], counter[128], leader[128], specialist[128];

static const char *const serve_args[] = {
	"--threads", "2", "--outbox-workers", "2", "--outbox-poll", "50ms",
	"--outbox-retry-min", "1s", "--outbox-retry-max", "1s",
	"--outbox-lease", "2s", "--sms-token", GW_TOKEN,
	"--sms-receipt-token", RECEIPT_TOKEN, "--sms-timeout", "2s",
	"--public-url", "https://dichvucong.example.vn",
	"--message-recipient-hour", "0",
	/* The test receivers listen on loopback: a private address. */
	"--webhook-allow", "127.0.0.1", NULL
};

/* serve_args with the database and the gateway, and 'extra'. */
static void start(struct th_server *s, const char *dbpath,
		  const char *const *extra)
{
	const char *args[64];
	size_t n = 0, i;

	args[n++] = "--db";
	args[n++] = dbpath;
	args[n++] = "--sms-url";
	args[n++] = th_smsgw_url(gw);
	args[n++] = "--smtp-url";
	args[n++] = th_smtpd_url(smtpd);
	for (i = 0; serve_args[i]; i++)
		args[n++] = serve_args[i];
	for (i = 0; extra && extra[i]; i++)
		args[n++] = extra[i];
	args[n] = NULL;
	th_serve(s, args);
}

static void publish(const char *base, const char *tok)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, "
		"s:{s:s, s:b}, s:[{s:s, s:s, s:s, s:b}], s:[{s:s, s:s, s:i}, "
		"{s:s, s:s, s:i}, {s:s, s:s, s:i}]}", "code", PROC, "name",
		"Cấp giấy phép thử tin nhắn", "field", "Thử", "level",
		"province", "unit_code", "000.00.04.H51", "processing_time",
		"amount", 5, "unit", "working_days", "result",
		"document_type", "Giấy phép", "paper", 1, "components", "code",
		"TK", "name", "Tờ khai", "form", "original", "required", 1,
		"steps", "name", "Tiếp nhận", "role", "counter_officer",
		"share_percent", 10, "name", "Thẩm định", "role", "specialist",
		"share_percent", 70, "name", "Phê duyệt", "role", "leader",
		"share_percent", 20);

	assert_int_equal(th_api(base, "POST", "/api/v1/procedures", tok, j,
				NULL), 201);
	assert_int_equal(th_api(base, "POST", "/api/v1/procedures/" PROC
		"/publish", tok, json_pack("{s:s, s:s, s:s}", "valid_from",
		"2025-01-01", "decision_number", "7/QĐ", "decision_date",
		"2025-01-01"), NULL), 200);
}

static int setup(void **state)
{
	char tok[128];

	(void)state;
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	setenv("MOTCUA_WATCH_INTERVAL", "0", 1);
	gw = th_smsgw_start(GW_TOKEN);
	smtpd = th_smtpd_start();
	th_demo_db(db, sizeof(db), "messages");
	start(&srv, db, NULL);
	th_login(srv.base, "kiemsoat", "motcua-demo", tok, sizeof(tok));
	publish(srv.base, tok);
	th_login(srv.base, "tiepnhan", "motcua-demo", counter,
		 sizeof(counter));
	th_login(srv.base, "lanhdao", "motcua-demo", leader, sizeof(leader));
	th_login(srv.base, "chuyenvien", "motcua-demo", specialist,
		 sizeof(specialist));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(th_serve_stop(&srv), 0);
	th_smsgw_stop(gw);
	th_smtpd_stop(smtpd);
	return 0;
}

/* Takes in a dossier for an applicant with 'phone' and 'email' ("": none). */
static char *intake_with(const char *base, const char *phone,
			 const char *email)
{
	json_t *j, *applicant = json_pack("{s:s, s:s, s:s}", "kind",
		"person", "id_number", "051095012345", "name", "Đặng Thị Thu");
	char *code;
	long st;

	if (phone[0])
		json_object_set_new(applicant, "phone", json_string(phone));
	if (email[0])
		json_object_set_new(applicant, "email", json_string(email));
	st = th_api(base, "POST", "/api/v1/dossiers", counter,
		json_pack("{s:s, s:s, s:o, s:[{s:s, s:b}]}", "procedure_code",
		PROC, "channel", "direct", "applicant", applicant, "components",
		"code", "TK", "provided", 1), &j);

	if (st != 201)
		fail_msg("intake: %ld %s", st, j ? json_dumps(j, 0) : "");
	code = strdup(th_str(j, "code"));
	json_decref(j);
	return code;
}

static char *intake_on(const char *base, const char *phone)
{
	return intake_with(base, phone, "");
}

/* An action that must succeed, on this test's server. */
static void act(const char *tok, const char *code, json_t *body)
{
	th_act(srv.base, tok, code, body);
}

/* Waits (up to 10 s) for the gateway to have the message 'key'. */
static void wait_sms(const char *key, struct th_sms *out)
{
	int i;

	for (i = 0; i < 200; i++) {
		if (th_smsgw_find(gw, key, out))
			return;
		usleep(50 * 1000);
	}
	fail_msg("the gateway never got %s", key);
}

/*
 * The dossier's messages (caller decrefs). Through another server than
 * the one that took the dossier in, it may be 100 ms before it is seen
 * (SQLite: a server sees another process's commits within 100 ms): then
 * an empty list.
 */
static json_t *messages(const char *base, const char *code)
{
	char path[200];
	json_t *j;
	long st;

	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/messages", code);
	st = th_api(base, "GET", path, counter, NULL, &j);
	if (st == 404) {
		json_decref(j);
		return json_pack("{s:[]}", "items");
	}
	assert_int_equal(st, 200);
	return j;
}

/*
 * Waits (up to 30 s: sanitized runs beside other tests are slow) for
 * message 'key' of 'code' to reach 'status'; on failure shows what the
 * dossier's messages were last.
 */
static json_t *wait_status(const char *base, const char *code,
			   const char *key, const char *status)
{
	json_t *j = NULL;
	char *seen;
	int i;

	for (i = 0; i < 600; i++) {
		json_t *m;
		size_t k;

		json_decref(j);
		j = messages(base, code);
		json_array_foreach(json_object_get(j, "items"), k, m) {
			if (!strcmp(th_str(m, "idempotency_key"), key) &&
			    !strcmp(th_str(m, "status"), status)) {
				json_t *copy = json_deep_copy(m);

				json_decref(j);
				return copy;
			}
		}
		usleep(50 * 1000);
	}
	seen = json_dumps(j, JSON_COMPACT);
	print_error("last seen: %s\n", seen ? seen : "");
	free(seen);
	json_decref(j);
	fail_msg("%s never became %s", key, status);
	return NULL;
}

static long receipt(const char *token, json_t *body)
{
	char auth[160];
	const char *h[3] = { "Content-Type: application/json", auth, NULL };
	struct th_resp r;
	char url[200], *text = json_dumps(body, 0);
	long st;

	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	snprintf(url, sizeof(url), "%s/api/v1/messages/receipts/sms",
		 srv.base);
	assert_int_equal(th_http("POST", url, h, text, strlen(text), &r), 0);
	st = r.status;
	th_resp_free(&r);
	free(text);
	json_decref(body);
	return st;
}

/* The messages of one dossier's life, their text, statuses, receipts. */
static void test_lifecycle_messages(void **state)
{
	struct th_sms sms;
	char key[160];
	json_t *m, *j;
	char *code;

	(void)state;
	code = intake_on(srv.base, "0912345678");
	snprintf(key, sizeof(key), "%s/1/sms", code);
	wait_sms(key, &sms);
	assert_string_equal(sms.to, "0912345678");
	assert_string_equal(sms.priority, "normal");
	assert_non_null(strstr(sms.text, code));
	assert_non_null(strstr(sms.text, "đã được tiếp nhận tại "
			       "Trung tâm"));
	assert_non_null(strstr(sms.text, "Hẹn trả kết quả: 17:00 ngày"));
	assert_non_null(strstr(sms.text, "https://dichvucong.example.vn/"
			       "tra-cuu/"));
	m = wait_status(srv.base, code, key, "sent");
	assert_string_equal(th_str(m, "provider_id"), sms.id);
	assert_string_equal(th_str(m, "event"), "received");
	assert_string_equal(th_str(m, "body"), sms.text);
	assert_int_equal(json_integer_value(json_object_get(
		json_object_get(m, "template"), "version")), 1);
	json_decref(m);

	/* The gateway's receipt: needs its token, a known id, a status. */
	assert_int_equal(receipt("wrong", json_pack("{s:s, s:s}", "id", sms.id,
		"status", "delivered")), 401);
	assert_int_equal(receipt(RECEIPT_TOKEN, json_pack("{s:s, s:s}", "id",
		"gw-none", "status", "delivered")), 404);
	assert_int_equal(receipt(RECEIPT_TOKEN, json_pack("{s:s, s:s}", "id",
		sms.id, "status", "read")), 400);
	assert_int_equal(receipt(RECEIPT_TOKEN, json_pack("{s:s, s:s, s:s}",
		"id", sms.id, "status", "delivered", "at",
		"2026-03-02T09:05:00+07:00")), 200);
	m = wait_status(srv.base, code, key, "delivered");
	assert_string_equal(th_str(m, "done_at"), "2026-03-02T09:05:00+07:00");
	json_decref(m);
	/* Twice is harmless; a later contrary one changes nothing. */
	assert_int_equal(receipt(RECEIPT_TOKEN, json_pack("{s:s, s:s}", "id",
		sms.id, "status", "permanent_failure")), 200);
	json_decref(wait_status(srv.base, code, key, "delivered"));

	/* Forward (no message), a supplement request (one, with reasons). */
	act(counter, code, json_pack("{s:s}", "action", "forward"));
	act(specialist, code, json_pack("{s:s, s:s, s:[s, s]}", "action",
		"request_supplement", "reason", "Hồ sơ chưa đầy đủ", "items",
		"Bản sao sổ hộ khẩu", "Ảnh 4x6"));
	snprintf(key, sizeof(key), "%s/3/sms", code);
	wait_sms(key, &sms);
	assert_non_null(strstr(sms.text, "cần bổ sung, hoàn thiện: Hồ sơ chưa "
			       "đầy đủ: Bản sao sổ hộ khẩu; Ảnh 4x6"));
	act(counter, code, json_pack("{s:s}", "action", "submit_supplement"));
	act(specialist, code, json_pack("{s:s}", "action", "forward"));
	act(leader, code, json_pack("{s:s, s:{s:s}}", "action", "complete",
		"result", "number", "12/GP"));
	snprintf(key, sizeof(key), "%s/6/sms", code);
	wait_sms(key, &sms);
	assert_non_null(strstr(sms.text, "đã có kết quả"));
	act(counter, code, json_pack("{s:s}", "action", "return_result"));
	snprintf(key, sizeof(key), "%s/7/sms", code);
	wait_sms(key, &sms);
	assert_non_null(strstr(sms.text, "đã được trả kết quả ngày"));
	assert_non_null(strstr(sms.text, "đánh giá mức độ hài lòng"));
	json_decref(wait_status(srv.base, code, key, "sent"));
	/* Four messages for this dossier: one per event that concerns the
	 * applicant, none for the hand-overs. */
	j = messages(srv.base, code);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 4);
	json_decref(j);
	free(code);
}

/* A gateway that fails, refuses, or drops the line after sending. */
static void test_gateway_faults(void **state)
{
	struct th_sms sms;
	char key[160];
	json_t *m;
	char *code;
	int posts0, posts;

	(void)state;
	/* Failing: retried (1 s back-off) until it takes the message. */
	th_smsgw_mode(gw, TH_GW_FAIL, 0);
	code = intake_on(srv.base, "0987654321");
	snprintf(key, sizeof(key), "%s/1/sms", code);
	m = wait_status(srv.base, code, key, "created");
	while (json_integer_value(json_object_get(m, "attempts")) < 1) {
		json_decref(m);
		m = wait_status(srv.base, code, key, "created");
	}
	assert_non_null(strstr(th_str(m, "last_error"), "HTTP 503"));
	json_decref(m);
	th_smsgw_mode(gw, TH_GW_OK, 0);
	wait_sms(key, &sms);
	json_decref(wait_status(srv.base, code, key, "sent"));
	free(code);

	/* Refusing (a bad number): a permanent failure, not retried. */
	th_smsgw_mode(gw, TH_GW_REFUSE, 0);
	code = intake_on(srv.base, "0900000000");
	snprintf(key, sizeof(key), "%s/1/sms", code);
	m = wait_status(srv.base, code, key, "permanent_failure");
	assert_non_null(strstr(th_str(m, "last_error"), "invalid number"));
	assert_int_equal(json_integer_value(json_object_get(m, "attempts")), 1);
	json_decref(m);
	th_smsgw_mode(gw, TH_GW_OK, 0);
	/* The administrators' list puts it first. */
	{
		char tok[128];

		th_login(srv.base, "admin", "motcua-demo", tok, sizeof(tok));
		assert_int_equal(th_api(srv.base, "GET", "/api/v1/messages?"
					"limit=1", tok, NULL, &m), 200);
		assert_string_equal(th_str(json_array_get(json_object_get(m,
				    "items"), 0), "idempotency_key"), key);
		assert_true(json_is_string(json_object_get(m,
							   "next_cursor")));
		json_decref(m);
		assert_int_equal(th_api(srv.base, "GET", "/api/v1/messages?"
					"status=sending&cursor=x", tok, NULL,
					&m), 400);
		json_decref(m);
		assert_int_equal(th_api(srv.base, "GET", "/api/v1/messages",
					counter, NULL, &m), 403);
		json_decref(m);
	}
	free(code);

	/* Sent, then the line dropped: the retry's key finds it sent. */
	th_smsgw_count(gw, &posts0);
	th_smsgw_mode(gw, TH_GW_DROP_AFTER, 0);
	code = intake_on(srv.base, "0911111111");
	snprintf(key, sizeof(key), "%s/1/sms", code);
	wait_sms(key, &sms);
	do {
		usleep(50 * 1000);
		th_smsgw_find(gw, key, &sms);
	} while (sms.posts < 2);
	th_smsgw_mode(gw, TH_GW_OK, 0);
	m = wait_status(srv.base, code, key, "sent");
	assert_string_equal(th_str(m, "provider_id"), sms.id);
	json_decref(m);
	th_smsgw_find(gw, key, &sms);
	assert_int_equal(sms.sends, 1);
	th_smsgw_count(gw, &posts);
	assert_true(posts - posts0 >= 3);
	free(code);
}

/* A gateway that never takes it within the window: technical failure. */
static void test_window_ends(void **state)
{
	static const char *const extra[] = { "--message-window", "2s",
					     "--outbox-workers", "0", NULL };
	struct th_server s2;
	char key[160];
	json_t *m;
	char *code;

	(void)state;
	start(&s2, db, extra);
	th_smsgw_mode(gw, TH_GW_FAIL, 0);
	code = intake_on(s2.base, "0922222222");
	snprintf(key, sizeof(key), "%s/1/sms", code);
	m = wait_status(srv.base, code, key, "technical_failure");
	assert_non_null(strstr(th_str(m, "last_error"), "HTTP 503"));
	/* At least one attempt (more when the machine is quick). */
	assert_true(json_integer_value(json_object_get(m, "attempts")) >= 1);
	json_decref(m);
	th_smsgw_mode(gw, TH_GW_OK, 0);
	assert_int_equal(th_serve_stop(&s2), 0);
	free(code);
}

/*
 * 'motcua worker' killed while it delivers, then started again: every
 * message reaches the phone exactly once.
 */
static void test_worker_killed(void **state)
{
	enum { N = 30 };
	static const char *const quiet[] = { "--outbox-workers", "0", NULL };
	struct th_smsgw *gw2, *saved;
	struct th_server s2;
	char db2[600], *codes[N], key[160], logp[600];
	const char *wargs[40];
	size_t n = 0, i;
	pid_t pid;
	int k, sent0;

	(void)state;
	/*
	 * A gateway of its own: the demo province of another database
	 * gives the same dossier codes, hence the same keys.
	 */
	saved = gw;
	gw = gw2 = th_smsgw_start(GW_TOKEN);
	th_demo_db(db2, sizeof(db2), "killed");
	/* A server that queues but does not deliver. */
	start(&s2, db2, quiet);
	{
		char tok[128];

		th_login(s2.base, "kiemsoat", "motcua-demo", tok, sizeof(tok));
		publish(s2.base, tok);
		th_login(s2.base, "tiepnhan", "motcua-demo", counter,
			 sizeof(counter));
	}
	for (k = 0; k < N; k++)
		codes[k] = intake_on(s2.base, "0933333333");
	sent0 = th_smsgw_count(gw2, NULL);
	/* Slow gateway: the kill lands while messages are being sent. */
	th_smsgw_mode(gw2, TH_GW_OK, 100);
	wargs[n++] = "worker";
	wargs[n++] = "--db";
	wargs[n++] = db2;
	wargs[n++] = "--sms-url";
	wargs[n++] = th_smsgw_url(gw2);
	for (i = 2; serve_args[i]; i++)	/* all but --threads 2 */
		wargs[n++] = serve_args[i];
	wargs[n] = NULL;
	th_path(logp, sizeof(logp), "worker1.log");
	pid = th_motcua_spawn(wargs, logp);
	usleep(800 * 1000);
	assert_int_equal(kill(pid, SIGKILL), 0);
	th_wait(pid);
	k = th_smsgw_count(gw2, NULL) - sent0;
	print_message("worker killed after %d of %d messages\n", k, N);
	assert_true(k < N);
	th_smsgw_mode(gw2, TH_GW_OK, 0);
	th_path(logp, sizeof(logp), "worker2.log");
	pid = th_motcua_spawn(wargs, logp);
	for (k = 0; k < N; k++) {
		struct th_sms sms;

		snprintf(key, sizeof(key), "%s/1/sms", codes[k]);
		wait_sms(key, &sms);
		assert_int_equal(sms.sends, 1);
		json_decref(wait_status(s2.base, codes[k], key, "sent"));
		free(codes[k]);
	}
	assert_int_equal(th_smsgw_count(gw2, NULL) - sent0, N);
	assert_int_equal(kill(pid, SIGTERM), 0);
	assert_int_equal(th_wait(pid), 0);
	assert_int_equal(th_serve_stop(&s2), 0);
	th_smsgw_stop(gw2);
	gw = saved;
}

/* Waits (up to 10 s) for the mail whose Message-ID has 'part'. */
static void wait_mail(const char *part, struct th_mail *out)
{
	int i;

	for (i = 0; i < 200; i++) {
		if (th_smtpd_find(smtpd, part, out))
			return;
		usleep(50 * 1000);
	}
	fail_msg("the SMTP server never got %s", part);
}

static void test_email(void **state)
{
	struct th_mail mail;
	char key[160], want[200];
	json_t *m;
	char *code;

	(void)state;
	code = intake_with(srv.base, "0944444444", "thu.dang@example.vn");
	snprintf(key, sizeof(key), "%s/1/email", code);
	wait_mail(key, &mail);
	assert_string_equal(mail.to, "<thu.dang@example.vn>");
	assert_string_equal(mail.from, "<noreply@dichvucong.example.vn>");
	snprintf(want, sizeof(want), "Hồ sơ %s đã được tiếp nhận", code);
	assert_string_equal(mail.subject, want);
	assert_non_null(strstr(mail.body, "Kính gửi ông/bà,"));
	assert_non_null(strstr(mail.body, "Thời gian hẹn trả kết quả: 17:00 "
			       "ngày"));
	snprintf(want, sizeof(want), "<%s@motcua>", key);
	assert_string_equal(mail.message_id, want);
	assert_int_equal(mail.copies, 1);
	json_decref(wait_status(srv.base, code, key, "sent"));
	/* The SMS of the same event went too. */
	snprintf(key, sizeof(key), "%s/1/sms", code);
	json_decref(wait_status(srv.base, code, key, "sent"));
	free(code);

	/* No such mailbox: a permanent failure after one attempt. */
	th_smtpd_mode(smtpd, TH_SMTP_REJECT);
	code = intake_with(srv.base, "0955555555", "nobody@example.vn");
	snprintf(key, sizeof(key), "%s/1/email", code);
	m = wait_status(srv.base, code, key, "permanent_failure");
	assert_non_null(strstr(th_str(m, "last_error"), "550"));
	assert_int_equal(json_integer_value(json_object_get(m, "attempts")), 1);
	json_decref(m);
	free(code);

	/* Failing for now (451): tried again until it takes the mail. */
	th_smtpd_mode(smtpd, TH_SMTP_TEMPFAIL);
	code = intake_with(srv.base, "0966666666", "later@example.vn");
	snprintf(key, sizeof(key), "%s/1/email", code);
	m = wait_status(srv.base, code, key, "created");
	while (json_integer_value(json_object_get(m, "attempts")) < 1) {
		json_decref(m);
		m = wait_status(srv.base, code, key, "created");
	}
	assert_non_null(strstr(th_str(m, "last_error"), "451"));
	json_decref(m);
	th_smtpd_mode(smtpd, TH_SMTP_OK);
	wait_mail(key, &mail);
	json_decref(wait_status(srv.base, code, key, "sent"));
	free(code);
}

/*
 * Quiet hours put SMS that are not urgent off to their end, without
 * counting an attempt; a recipient gets at most message_recipient_hour
 * an hour.
 */
static void test_limits(void **state)
{
	struct th_server s2, s3;
	char db2[600], hours[16], key[160], *codes[3];
	time_t now = time(NULL) + 7 * 3600;	/* local time of day */
	int i;
	int64_t from = (int64_t)(now % 86400) / 60 * 60 - 60;
	json_t *m;
	int k;

	(void)state;
	if (from < 0)
		from += 86400;
	/* A period around now, e.g. 14:31-14:34. */
	snprintf(hours, sizeof(hours), "%02d:%02d-%02d:%02d",
		 (int)(from / 3600), (int)(from / 60 % 60),
		 (int)((from + 180) % 86400 / 3600),
		 (int)((from + 180) / 60 % 60));
	th_demo_db(db2, sizeof(db2), "limits");
	start(&s2, db2, (const char *[]){ "--sms-quiet-hours", hours,
	      "--message-recipient-hour", "2", NULL });
	{
		char tok[128];

		th_login(s2.base, "kiemsoat", "motcua-demo", tok, sizeof(tok));
		publish(s2.base, tok);
		th_login(s2.base, "tiepnhan", "motcua-demo", counter,
			 sizeof(counter));
	}
	codes[0] = intake_on(s2.base, "0944000111");
	snprintf(key, sizeof(key), "%s/1/sms", codes[0]);
	m = wait_status(s2.base, codes[0], key, "created");
	while (!json_is_string(json_object_get(m, "last_error"))) {
		json_decref(m);
		m = wait_status(s2.base, codes[0], key, "created");
	}
	assert_string_equal(th_str(m, "last_error"), "quiet hours");
	assert_int_equal(json_integer_value(json_object_get(m, "attempts")), 0);
	json_decref(m);
	free(codes[0]);
	assert_int_equal(th_serve_stop(&s2), 0);

	/*
	 * Without quiet hours: two an hour to one phone, the third waits.
	 * Two delivery threads take them at once, so which two go first is
	 * not fixed; that no more than two go is.
	 */
	start(&s3, db2, (const char *[]){ "--message-recipient-hour", "2",
	      NULL });
	for (k = 0; k < 3; k++)
		codes[k] = intake_on(s3.base, "0944000222");
	for (i = 0; i < 600; i++) {
		int sent = 0, held = 0;

		for (k = 0; k < 3; k++) {
			json_t *j = messages(s3.base, codes[k]);

			m = json_array_get(json_object_get(j, "items"), 0);
			if (m && !strcmp(th_str(m, "status"), "sent"))
				sent++;
			else if (m && !strcmp(th_str(m, "status"), "created") &&
				 json_is_string(json_object_get(m,
							 "last_error")) &&
				 !strcmp(th_str(m, "last_error"), "the "
					 "recipient's limit per hour"))
				held++;
			json_decref(j);
		}
		assert_true(sent <= 2);
		if (sent == 2 && held == 1)
			break;
		usleep(50 * 1000);
	}
	if (i == 600)
		fail_msg("two messages to 0944000222 were never sent with the "
			 "third held");
	for (k = 0; k < 3; k++)
		free(codes[k]);
	assert_int_equal(th_serve_stop(&s3), 0);
}

/* A new wording is a new version; messages say which they were made from. */
static void test_templates(void **state)
{
	char tok[128], key[160];
	struct th_sms sms;
	json_t *j, *m;
	char *code;

	(void)state;
	th_login(srv.base, "kiemsoat", "motcua-demo", tok, sizeof(tok));
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/message-templates",
		tok, json_pack("{s:s, s:s, s:s}", "event", "received",
		"channel", "sms", "body", "Hồ sơ {code} gọi {phone}"), &j),
		400);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "rule"), "placeholder");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/message-templates",
		tok, json_pack("{s:s, s:s, s:s}", "event", "received",
		"channel", "email", "body", "x"), &j), 400);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/message-templates",
		counter, json_pack("{s:s, s:s, s:s}", "event", "received",
		"channel", "sms", "body", "x"), &j), 403);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/message-templates",
		tok, json_pack("{s:s, s:s, s:s}", "event", "received",
		"channel", "sms", "body", "{agency} đã nhận hồ sơ {code}. Hẹn "
		"trả: {due}."), &j), 201);
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 2);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/message-templates?"
		"event=received&channel=sms", tok, NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 2);
	json_decref(j);
	code = intake_on(srv.base, "0955000111");
	snprintf(key, sizeof(key), "%s/1/sms", code);
	wait_sms(key, &sms);
	assert_non_null(strstr(sms.text, " đã nhận hồ sơ "));
	m = wait_status(srv.base, code, key, "sent");
	assert_int_equal(json_integer_value(json_object_get(
		json_object_get(m, "template"), "version")), 2);
	json_decref(m);
	free(code);
}

/* The signature a receiver expects, computed here independently. */
static void expect_sig(const char *secret, const struct th_hook_call *c,
		       char out[72])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[32];

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret,
				    strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)c->timestamp,
				      strlen(c->timestamp));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)c->body,
				      strlen(c->body));
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, 65, mac, sizeof(mac));
}

static void test_webhooks(void **state)
{
	struct th_hooksrv *h1 = th_hooksrv_start(), *h2 = th_hooksrv_start();
	char admin[128], secret[64], key[200];
	char sig[72], path[120];
	struct th_hook_call call;
	json_t *j, *m;
	char *code;
	int id1, i;

	(void)state;
	th_login(srv.base, "admin", "motcua-demo", admin, sizeof(admin));
	/* Bad subscriptions; only administrators. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/webhooks", admin,
		json_pack("{s:s, s:[s]}", "url", "ftp://x", "events", "born"),
		&j), 400);
	assert_int_equal(json_array_size(json_object_get(j, "errors")), 2);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/webhooks", counter,
		json_pack("{s:s, s:[s]}", "url", th_hooksrv_url(h1), "events",
		"*"), &j), 403);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/webhooks", admin,
		json_pack("{s:s, s:[s, s]}", "url", th_hooksrv_url(h1),
		"events", "accept", "complete"), &j), 201);
	snprintf(secret, sizeof(secret), "%s", th_str(j, "secret"));
	id1 = (int)json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	/* A receiver that refuses for good (410). */
	th_hooksrv_status(h2, 410);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/webhooks", admin,
		json_pack("{s:s, s:[s]}", "url", th_hooksrv_url(h2), "events",
		"*"), NULL), 201);

	code = intake_on(srv.base, "0955000222");
	act(counter, code, json_pack("{s:s}", "action", "forward"));
	act(specialist, code, json_pack("{s:s}", "action", "forward"));
	act(leader, code, json_pack("{s:s, s:{s:s}}", "action", "complete",
		"result", "number", "3/GP"));
	/* h1: only "complete" (it took no intake or forward). */
	for (i = 0; i < 200 && th_hooksrv_count(h1) < 1; i++)
		usleep(50 * 1000);
	assert_true(th_hooksrv_get(h1, 0, &call));
	snprintf(key, sizeof(key), "%s/4/webhook/%d", code, id1);
	assert_string_equal(call.delivery, key);
	assert_string_equal(call.event, "complete");
	assert_non_null(strstr(call.body, "\"event\": \"complete\""));
	assert_non_null(strstr(call.body, code));
	assert_non_null(strstr(call.body, "\"status\": \"result_ready\""));
	/* Personal data is not sent. */
	assert_null(strstr(call.body, "0955000222"));
	expect_sig(secret, &call, sig);
	assert_string_equal(call.signature, sig);
	m = wait_status(srv.base, code, key, "sent");
	json_decref(m);
	/* h2 refused every one of its four: permanent failures. */
	snprintf(key, sizeof(key), "%s/1/webhook/%d", code, id1 + 1);
	m = wait_status(srv.base, code, key, "permanent_failure");
	assert_string_equal(th_str(m, "last_error"), "webhook: HTTP 410");
	assert_string_equal(th_str(m, "event"), "intake");
	json_decref(m);
	/* Ended: no more deliveries. */
	snprintf(path, sizeof(path), "/api/v1/webhooks/%d/deactivate", id1);
	assert_int_equal(th_api(srv.base, "POST", path, admin, NULL, NULL),
			 200);
	assert_int_equal(th_api(srv.base, "POST", path, admin, NULL, NULL),
			 404);
	act(counter, code, json_pack("{s:s}", "action", "return_result"));
	usleep(500 * 1000);
	assert_int_equal(th_hooksrv_count(h1), 1);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/webhooks", admin,
				NULL, &j), 200);
	{
		char *text = json_dumps(j, 0);

		assert_null(strstr(text, secret));
		free(text);
	}
	json_decref(j);
	free(code);
	th_hooksrv_stop(h1);
	th_hooksrv_stop(h2);
}

/*
 * Webhooks reach private addresses only inside webhook_allow: an address
 * is refused when registered, a name when it is connected to (whatever it
 * resolves to then), for good, and nothing is sent.
 */
static void test_webhook_private(void **state)
{
	struct th_hooksrv *h = th_hooksrv_start();
	struct th_server s2;
	char admin[128], tok[128], url[200], key[200], path[120], db2[600];
	const char *port;
	json_t *j, *m;
	char *code;
	int id;

	(void)state;
	/* A database of its own: this test's server alone delivers. */
	th_demo_db(db2, sizeof(db2), "webhook-private");
	start(&s2, db2, (const char *[]){ "--webhook-allow", "10.9.9.9",
	      NULL });
	th_login(s2.base, "kiemsoat", "motcua-demo", tok, sizeof(tok));
	publish(s2.base, tok);
	th_login(s2.base, "admin", "motcua-demo", admin, sizeof(admin));
	th_login(s2.base, "tiepnhan", "motcua-demo", counter,
		 sizeof(counter));
	assert_int_equal(th_api(s2.base, "POST", "/api/v1/webhooks", admin,
		json_pack("{s:s, s:[s]}", "url", "http://127.0.0.1:9/x",
		"events", "*"), &j), 400);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "rule"), "host");
	json_decref(j);
	assert_int_equal(th_api(s2.base, "POST", "/api/v1/webhooks", admin,
		json_pack("{s:s, s:[s]}", "url", "http://[::ffff:10.0.0.1]/x",
		"events", "*"), NULL), 400);
	/* A name for the same receiver: taken, but never connected to. */
	port = strrchr(th_hooksrv_url(h), ':');
	snprintf(url, sizeof(url), "http://localhost%s", port);
	assert_int_equal(th_api(s2.base, "POST", "/api/v1/webhooks", admin,
		json_pack("{s:s, s:[s]}", "url", url, "events", "intake"),
		&j), 201);
	id = (int)json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	code = intake_on(s2.base, "0955000333");
	snprintf(key, sizeof(key), "%s/1/webhook/%d", code, id);
	m = wait_status(s2.base, code, key, "permanent_failure");
	assert_non_null(strstr(th_str(m, "last_error"), "private address, "
			       "not in webhook_allow"));
	json_decref(m);
	assert_int_equal(th_hooksrv_count(h), 0);
	snprintf(path, sizeof(path), "/api/v1/webhooks/%d/deactivate", id);
	assert_int_equal(th_api(s2.base, "POST", path, admin, NULL, NULL),
			 200);
	free(code);
	assert_int_equal(th_serve_stop(&s2), 0);
	th_hooksrv_stop(h);
}

/* The other events that concern the applicant, each with its SMS. */
static void test_every_event(void **state)
{
	struct {
		const char *phone, *want;
	} cases[] = {
		{ "0966100001", "không được giải quyết. Lý do: Hồ sơ không "
		  "thuộc thẩm quyền" },
		{ "0966100002", "đã được rút theo đề nghị của ông/bà ngày" },
		{ "0966100003", "đã dừng xử lý. Lý do: Người nộp đã chết" },
		{ "0966100004", "xin lỗi vì hồ sơ" },
	};
	char *codes[4], key[160], due[40];
	struct th_sms sms;
	json_t *d;
	int i;

	(void)state;
	for (i = 0; i < 4; i++)
		codes[i] = intake_on(srv.base, cases[i].phone);
	act(counter, codes[0], json_pack("{s:s, s:s}", "action", "refuse",
		"reason", "Hồ sơ không thuộc thẩm quyền"));
	act(counter, codes[1], json_pack("{s:s, s:s}", "action", "withdraw",
		"reason", "Công dân rút hồ sơ"));
	act(counter, codes[2], json_pack("{s:s}", "action", "forward"));
	act(leader, codes[2], json_pack("{s:s, s:s}", "action", "stop",
		"reason", "Người nộp đã chết"));
	act(counter, codes[3], json_pack("{s:s}", "action", "forward"));
	/* A new appointment two days after the due one. */
	{
		char path[200];

		snprintf(path, sizeof(path), "/api/v1/dossiers/%s", codes[3]);
		assert_int_equal(th_api(srv.base, "GET", path, counter, NULL,
					&d), 200);
		snprintf(due, sizeof(due), "%.10sT17:00:00+07:00",
			 th_str(d, "due_at"));
		json_decref(d);
	}
	{
		/* The due day plus two days (within any month: ≤ 28 → +2). */
		int day = (due[8] - '0') * 10 + (due[9] - '0');

		if (day <= 26) {
			day += 2;
			due[8] = (char)('0' + day / 10);
			due[9] = (char)('0' + day % 10);
		} else {
			/* Late in the month: the 2nd of the next one. */
			int month = (due[5] - '0') * 10 + (due[6] - '0');

			month = month % 12 + 1;
			due[5] = (char)('0' + month / 10);
			due[6] = (char)('0' + month % 10);
			due[8] = '0';
			due[9] = '2';
			if (month == 1) {
				int y = (due[2] - '0') * 10 + (due[3] - '0') + 1;

				due[2] = (char)('0' + y / 10);
				due[3] = (char)('0' + y % 10);
			}
		}
	}
	act(leader, codes[3], json_pack("{s:s, s:s, s:s}", "action",
		"apologize", "reason", "Cần xác minh thêm", "new_due_at",
		due));
	for (i = 0; i < 4; i++) {
		snprintf(key, sizeof(key), "%s/%d/sms", codes[i],
			 i == 0 || i == 1 ? 2 : 3);
		wait_sms(key, &sms);
		if (!strstr(sms.text, cases[i].want))
			fail_msg("%s: \"%s\" lacks \"%s\"", key, sms.text,
				 cases[i].want);
		free(codes[i]);
	}
}

/* Each test starts with the counter officer signed in on the main server. */
static int sign_in(void **state)
{
	(void)state;
	th_login(srv.base, "tiepnhan", "motcua-demo", counter,
		 sizeof(counter));
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_lifecycle_messages, sign_in),
		cmocka_unit_test_setup(test_every_event, sign_in),
		cmocka_unit_test_setup(test_gateway_faults, sign_in),
		cmocka_unit_test_setup(test_email, sign_in),
		cmocka_unit_test_setup(test_window_ends, sign_in),
		cmocka_unit_test_setup(test_worker_killed, sign_in),
		cmocka_unit_test_setup(test_limits, sign_in),
		cmocka_unit_test_setup(test_templates, sign_in),
		cmocka_unit_test_setup(test_webhooks, sign_in),
		cmocka_unit_test_setup(test_webhook_private, sign_in),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
