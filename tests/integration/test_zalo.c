/*
 * test_zalo.c — Zalo Official Account messages (ZNS) beside SMS: a case
 * message goes by Zalo where a template is approved for its event, by
 * SMS when the phone has no Zalo or Zalo fails, and by SMS as before
 * where no Zalo template is set; against a local ZNS (zalosrv.c) and the
 * local SMS gateway, through the real outbox workers.
 */
#include "core/compat.h"
#include "harness/harness.h"
#include "harness/smsgw.h"
#include "harness/zalosrv.h"
#include "core/sha256.h"

#include <unistd.h>

#define GW_TOKEN "gw-token-zalo"
#define OA_TOKEN "oa-access-token-quang-ngai"
#define TEMPLATE "231456"
#define PROC "9.900471"
#define APP_ID "4306190071325617"
#define OA_SECRET "bi-mat-oa-quang-ngai"

static struct th_server srv;
static struct th_smsgw *gw;
static struct th_zalo *zns;
static char db[600], counter[128], control[128];

static int setup(void **state)
{
	json_t *j;

	(void)state;
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	setenv("MOTCUA_WATCH_INTERVAL", "0", 1);
	gw = th_smsgw_start(GW_TOKEN);
	zns = th_zalo_start(OA_TOKEN, TEMPLATE, "ma_ho_so,ten_thu_tuc,"
			    "ngay_hen");
	th_zalo_no_account(zns, "84905999000");
	th_demo_db(db, sizeof(db), "zalo");
	th_serve(&srv, (const char *[]){ "--db", db, "--sms-url",
		 th_smsgw_url(gw), "--sms-token", GW_TOKEN, "--zalo-url",
		 th_zalo_url(zns), "--zalo-access-token", OA_TOKEN,
		 "--zalo-attempts", "2", "--zalo-app-id", APP_ID,
		 "--zalo-oa-secret-key", OA_SECRET, "--outbox-workers", "2",
		 "--outbox-poll", "50ms", "--outbox-retry-min", "1s",
		 "--outbox-retry-max", "1s", "--sms-quiet-hours", "",
		 "--message-recipient-hour", "0", NULL });
	th_login(srv.base, "tiepnhan", "motcua-demo", counter,
		 sizeof(counter));
	th_login(srv.base, "kiemsoat", "motcua-demo", control,
		 sizeof(control));
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:{s:s, s:b}, "
		"s:[{s:s, s:s, s:s, s:b}], s:[{s:s, s:s, s:i}, {s:s, s:s, "
		"s:i}]}", "code", PROC, "name", "Cấp giấy phép thử Zalo",
		"field", "Thử", "level", "province", "unit_code",
		"000.00.04.H51", "processing_time", "amount", 5, "unit",
		"working_days", "result", "document_type", "Giấy phép",
		"paper", 1, "components", "code", "TK", "name", "Tờ khai",
		"form", "original", "required", 1, "steps", "name",
		"Tiếp nhận", "role", "counter_officer", "share_percent", 10,
		"name", "Giải quyết", "role", "leader", "share_percent", 90);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures",
				control, j, NULL), 201);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures/" PROC
		"/publish", control, json_pack("{s:s, s:s, s:s}",
		"valid_from", "2024-01-01", "decision_number", "8/QĐ",
		"decision_date", "2024-01-01"), NULL), 200);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(th_serve_stop(&srv), 0);
	th_zalo_stop(zns);
	th_smsgw_stop(gw);
	return 0;
}

static char *intake(const char *phone)
{
	json_t *j;
	char *code;

	assert_int_equal(th_api(srv.base, "POST", "/api/v1/dossiers", counter,
		json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:[{s:s, s:b}]}",
		"procedure_code", PROC, "channel", "direct", "applicant",
		"kind", "person", "id_number", "051095044444", "name",
		"Hồ Thị Zalo", "phone", phone, "components", "code", "TK",
		"provided", 1), &j), 201);
	code = strdup(th_str(j, "code"));
	json_decref(j);
	return code;
}

/* The dossier's message on 'channel', once its status is 'status'. */
static json_t *message(const char *code, const char *channel,
		       const char *status)
{
	char path[200];
	json_t *j = NULL, *m;
	size_t i, k;

	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/messages", code);
	for (i = 0; i < 600; i++) {
		json_decref(j);
		assert_int_equal(th_api(srv.base, "GET", path, counter, NULL,
					&j), 200);
		json_array_foreach(json_object_get(j, "items"), k, m)
			/* (Not the notice to a phone an intake replaced.) */
			if (!strcmp(th_str(m, "channel"), channel) &&
			    !strcmp(th_str(m, "status"), status) &&
			    strcmp(th_str(m, "event"), "contact_changed")) {
				json_incref(m);
				json_decref(j);
				return m;
			}
		usleep(50 * 1000);
	}
	fail_msg("no %s message of %s is %s: %s", channel, code, status,
		 json_dumps(j, 0));
	return NULL;
}

/*
 * Zalo's webhook as Zalo sends it: the event for 'msg_id', signed "mac="
 * SHA-256(app id + body + timestamp + secret) with 'secret'. The status.
 */
static long webhook(const char *msg_id, const char *secret)
{
	char body[512], joined[1024], sig[MC_SHA256_HEX], hdr[100];
	char url[200];
	const char *hd[] = { hdr, "Content-Type: application/json", NULL };
	struct th_resp resp;
	long st;

	snprintf(body, sizeof(body), "{\"app_id\": \"" APP_ID "\", "
		 "\"event_name\": \"user_received_message\", \"sender\": "
		 "{\"id\": \"oa-1\"}, \"recipient\": {\"id\": \"u-9\"}, "
		 "\"message\": {\"msg_id\": \"%s\", \"delivery_time\": "
		 "\"1719802800000\"}, \"timestamp\": \"1719802801000\"}",
		 msg_id);
	snprintf(joined, sizeof(joined), "%s%s%s%s", APP_ID, body,
		 "1719802801000", secret);
	mc_sha256_hex(joined, strlen(joined), sig);
	snprintf(hdr, sizeof(hdr), "X-ZEvent-Signature: mac=%s", sig);
	snprintf(url, sizeof(url), "%s/api/v1/messages/receipts/zalo",
		 srv.base);
	assert_int_equal(th_http("POST", url, hd, body, strlen(body), &resp),
			 0);
	st = resp.status;
	th_resp_free(&resp);
	return st;
}

static void templates(void **state)
{
	json_t *j;

	(void)state;
	/* The template Zalo approved for "received", and what fills it. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/zalo-templates",
		control, json_pack("{s:s, s:s, s:{s:s, s:s, s:s}}", "event",
		"received", "template_id", TEMPLATE, "params", "ma_ho_so",
		"{code}", "ten_thu_tuc", "{procedure}", "ngay_hen", "{due}"),
		&j), 201);
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 1);
	json_decref(j);
	/* Not digits; one-time codes; an unknown placeholder; no counter. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/zalo-templates",
		control, json_pack("{s:s, s:s, s:{s:s}}", "event", "received",
		"template_id", "abc", "params", "a", "{code}"), &j), 400);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/zalo-templates",
		control, json_pack("{s:s, s:s, s:{s:s}}", "event", "otp",
		"template_id", "1", "params", "a", "{otp}"), &j), 400);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/zalo-templates",
		control, json_pack("{s:s, s:s, s:{s:s}}", "event", "received",
		"template_id", "1", "params", "a", "{khong_co}"), &j), 400);
	assert_string_equal(th_str(json_array_get(json_object_get(j, "errors"),
		0), "field"), "params.a");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/zalo-templates",
		counter, json_pack("{s:s, s:s, s:{s:s}}", "event", "received",
		"template_id", "1", "params", "a", "{code}"), NULL), 403);
	/* SMS templates stay SMS and e-mail. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/message-templates",
		control, json_pack("{s:s, s:s, s:s}", "event", "received",
		"channel", "zalo", "body", "x"), &j), 400);
	json_decref(j);
}

static void by_zalo(void **state)
{
	struct th_zns z;
	json_t *m, *data;
	char key[200], *code;

	(void)state;
	code = intake("0905 111 222");
	m = message(code, "zalo", "sent");
	assert_string_equal(th_str(m, "subject"), TEMPLATE);
	json_decref(m);
	assert_int_equal(th_zalo_count(zns, NULL), 1);
	assert_true(th_zalo_get(zns, 0, &z));
	assert_string_equal(z.phone, "84905111222");
	assert_string_equal(z.template_id, TEMPLATE);
	snprintf(key, sizeof(key), "%s/1/sms/zalo", code);
	assert_string_equal(z.tracking_id, key);
	data = json_loads(z.data, 0, NULL);
	assert_string_equal(th_str(data, "ma_ho_so"), code);
	assert_string_equal(th_str(data, "ten_thu_tuc"),
			    "Cấp giấy phép thử Zalo");
	assert_non_null(strstr(th_str(data, "ngay_hen"), "17:00 ngày "));
	json_decref(data);
	/* Not by SMS too. */
	snprintf(key, sizeof(key), "%s/1/sms", code);
	assert_false(th_smsgw_find(gw, key, NULL));
	/* Zalo says it reached the phone: delivered. Forged: refused. */
	assert_int_equal(webhook("zns-1", "not-the-secret"), 401);
	assert_int_equal(webhook("zns-1", OA_SECRET), 200);
	json_decref(message(code, "zalo", "delivered"));
	assert_int_equal(webhook("zns-of-another-system", OA_SECRET), 200);
	/* Refused: no Zalo template for it, so by SMS as before. */
	th_act(srv.base, counter, code, json_pack("{s:s, s:s}", "action",
		"refuse", "reason", "Hồ sơ không thuộc thẩm quyền"));
	m = message(code, "sms", "sent");
	assert_string_equal(th_str(m, "event"), "refused");
	json_decref(m);
	assert_int_equal(th_zalo_count(zns, NULL), 1);
	free(code);
}

static void by_sms_instead(void **state)
{
	struct th_sms sms;
	json_t *m;
	char key[200], *code;
	int before, requests;

	(void)state;
	/* A phone with no Zalo: refused at once, the SMS goes. */
	code = intake("0905999000");
	m = message(code, "zalo", "permanent_failure");
	assert_non_null(strstr(th_str(m, "last_error"), "-118"));
	assert_non_null(strstr(th_str(m, "last_error"), "SMS thay thế"));
	json_decref(m);
	m = message(code, "sms", "sent");
	json_decref(m);
	snprintf(key, sizeof(key), "%s/1/sms", code);
	assert_true(th_smsgw_find(gw, key, &sms));
	assert_string_equal(sms.to, "0905999000");
	assert_non_null(strstr(sms.text, code));
	assert_int_equal(sms.sends, 1);
	free(code);
	/* Zalo down: two attempts, then the SMS. */
	before = th_zalo_count(zns, NULL);
	th_zalo_down(zns, true);
	code = intake("0905333444");
	m = message(code, "sms", "sent");
	json_decref(m);
	m = message(code, "zalo", "permanent_failure");
	assert_int_equal(json_integer_value(json_object_get(m, "attempts")),
			 2);
	assert_non_null(strstr(th_str(m, "last_error"), "HTTP 503"));
	json_decref(m);
	th_zalo_count(zns, &requests);
	assert_true(requests >= 2);
	assert_int_equal(th_zalo_count(zns, NULL), before);
	th_zalo_down(zns, false);
	free(code);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(templates),
		cmocka_unit_test(by_zalo),
		cmocka_unit_test(by_sms_instead),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
