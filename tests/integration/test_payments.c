/*
 * test_payments.c — paying fees online and getting money back, over HTTP
 * against the real server (docs/payments.md):
 *
 * - a signed-in citizen asks to pay on the province's gateway and gets a
 *   link signed with the platform's key (checked here with libsodium);
 * - the platform's callbacks: signature, timestamp and nonce checked,
 *   a replay refused, a transaction taken once however often it comes,
 *   the reference and the amount checked, a failure recorded; a payment
 *   gets its receipt and the payment-received SMS, and the dossier's
 *   DuocThanhToanTrucTuyen flag;
 * - money taken twice (counter and platform) is refundable at once; a
 *   withdrawn dossier's fee is refundable whole; refunds are numbered and
 *   never exceed what was kept.
 */
#include "core/compat.h"
#include "harness/harness.h"
#include "harness/smsgw.h"

#include <sodium.h>
#include <time.h>
#include <unistd.h>

#define PROC "9.900601"
#define PROC_FIRST "9.900602"		/* fees paid before processing */
#define PROC_RULES "9.900603"		/* counted fees, exemptions */
#define PID_A "051095061234"
#define PID_B "051195061235"
#define CENTER "000.00.01.H51"
#define GW_KEY "khoa-bi-mat-cong-thanh-toan-tinh"
#define GW_URL "https://thanhtoan.tinh.example/pay"
#define NOW_ISO "2026-03-02T09:00:00+07:00"

static struct th_server srv;
static struct th_smsgw *gw;
static char db[600], clock_file[600], counter[128], leader[128];
static char specialist[128], citizen[160];
static int64_t now_ts;			/* NOW_ISO as Unix time */
static unsigned nonce_seq;

static char *intake_of(const char *proc, const char *channel,
			const char *pid, const char *phone)
{
	json_t *j;
	char *code;
	long st = th_api(srv.base, "POST", "/api/v1/dossiers", counter,
		json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:[{s:s, s:b}]}",
		"procedure_code", proc, "channel", channel, "applicant",
		"kind", "person", "id_number", pid, "name", "Đặng Thị Thu",
		"phone", phone, "components", "code", "TK", "provided", 1), &j);

	if (st != 201)
		fail_msg("intake: %ld %s", st, j ? json_dumps(j, 0) : "");
	code = strdup(th_str(j, "code"));
	json_decref(j);
	return code;
}

static char *intake(const char *pid, const char *phone)
{
	return intake_of(PROC, "direct", pid, phone);
}

/* The newest one-time code sent to 'phone', or fails. */
static void sms_code(const char *phone, char out[8])
{
	int i, k;

	out[0] = 0;
	for (i = 0; i < 200 && !out[0]; i++) {
		struct th_sms sms;
		const char *p;

		for (k = 0; th_smsgw_get(gw, k, &sms); k++)
			if (!strcmp(sms.to, phone) && !strncmp(sms.key, "otp/", 4) &&
			    (p = strstr(sms.text, " là ")))
				snprintf(out, 8, "%.6s", p + strlen(" là "));
		if (!out[0])
			usleep(50 * 1000);
	}
	if (!out[0])
		fail_msg("no one-time code reached %s", phone);
}

static int setup(void **state)
{
	char tok[128], code[8];
	json_t *j;
	struct tm tm = { .tm_year = 126, .tm_mon = 2, .tm_mday = 2,
			 .tm_hour = 2 };

	(void)state;
	assert_true(sodium_init() >= 0);
	now_ts = (int64_t)timegm(&tm);
	th_path(clock_file, sizeof(clock_file), "clock");
	assert_int_equal(th_write_file(clock_file, NOW_ISO), 0);
	setenv("MOTCUA_TEST_CLOCK", clock_file, 1);
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	setenv("MOTCUA_WATCH_INTERVAL", "0", 1);
	gw = th_smsgw_start("gw");
	th_demo_db(db, sizeof(db), "payments");
	th_serve(&srv, (const char *[]){ "--db", db, "--threads", "2",
		 "--sms-url", th_smsgw_url(gw), "--sms-token", "gw",
		 "--outbox-poll", "50ms", "--message-recipient-hour", "0",
		 "--payment-gateway-url", GW_URL,
		 "--payment-gateway-secret", GW_KEY,
		 "--payment-dvcqg-url", "https://dichvucong.example/tt",
		 "--payment-dvcqg-secret", "khoa-cua-cong-quoc-gia", NULL });
	th_login(srv.base, "kiemsoat", "motcua-demo", tok, sizeof(tok));
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:{s:s, s:b}, "
		"s:[{s:s, s:s, s:i, s:i}], s:[{s:s, s:s, s:s, s:b}], "
		"s:[{s:s, s:s, s:i}]}", "code", PROC, "name",
		"Thủ tục thử thanh toán", "field", "Thử", "level", "province",
		"unit_code", "000.00.04.H51", "processing_time", "amount", 5,
		"unit", "working_days", "result", "document_type", "Giấy",
		"paper", 1, "fees", "name", "Lệ phí", "kind", "charge",
		"amount", 150000, "online_discount_percent", 50, "components",
		"code", "TK", "name", "Tờ khai", "form", "original", "required",
		1, "steps", "name", "Xử lý", "role", "specialist",
		"share_percent", 100);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures", tok, j,
				NULL), 201);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures/" PROC
		"/publish", tok, json_pack("{s:s, s:s, s:s}", "valid_from",
		"2025-01-01", "decision_number", "9/QĐ", "decision_date",
		"2025-01-01"), NULL), 200);
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:b, s:{s:s, "
		"s:b}, s:[{s:s, s:s, s:i, s:i}], s:[{s:s, s:s, s:s, s:b}], "
		"s:[{s:s, s:s, s:i}]}", "code", PROC_FIRST, "name",
		"Thủ tục thử nộp phí trước", "field", "Thử", "level",
		"province", "unit_code", "000.00.04.H51", "processing_time",
		"amount", 5, "unit", "working_days", "pay_before_processing", 1,
		"result", "document_type", "Giấy", "paper", 1, "fees", "name",
		"Lệ phí", "kind", "charge", "amount", 150000,
		"online_discount_percent", 50, "components", "code", "TK",
		"name", "Tờ khai", "form", "original", "required", 1, "steps",
		"name", "Xử lý", "role", "specialist", "share_percent", 100);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures", tok, j,
				&j), 201);
	assert_true(json_is_true(json_object_get(j, "pay_before_processing")));
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures/"
		PROC_FIRST "/publish", tok, json_pack("{s:s, s:s, s:s}",
		"valid_from", "2025-01-01", "decision_number", "10/QĐ",
		"decision_date", "2025-01-01"), NULL), 200);
	th_login(srv.base, "tiepnhan", "motcua-demo", counter,
		 sizeof(counter));
	th_login(srv.base, "lanhdao", "motcua-demo", leader, sizeof(leader));
	th_login(srv.base, "chuyenvien", "motcua-demo", specialist,
		 sizeof(specialist));
	free(intake(PID_A, "0912345678"));
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/citizen/otp", NULL,
		json_pack("{s:s}", "id_number", PID_A), NULL), 202);
	sms_code("0912345678", code);
	if (th_api(srv.base, "POST", "/api/v1/citizen/login", NULL,
		   json_pack("{s:s, s:s}", "id_number", PID_A, "code", code),
		   &j) != 200)
		fail_msg("sign-in with '%s': %s", code, json_dumps(j, 0));
	snprintf(citizen, sizeof(citizen), "%s", th_str(j, "token"));
	json_decref(j);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(th_serve_stop(&srv), 0);
	th_smsgw_stop(gw);
	return 0;
}

static const char *rule_of(json_t *j)
{
	return json_string_value(json_object_get(json_array_get(
		json_object_get(j, "errors"), 0), "rule"));
}

static const char *field_of(json_t *j)
{
	return json_string_value(json_object_get(json_array_get(
		json_object_get(j, "errors"), 0), "field"));
}

/* HMAC-SHA256 of the parts joined by '.', as lower-case hex. */
static void hmac_hex(const char *key, const char *const *parts,
		     char out[65])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[32];
	int i;

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key,
				    strlen(key));
	for (i = 0; parts[i]; i++) {
		if (i)
			crypto_auth_hmacsha256_update(&st,
				(const unsigned char *)".", 1);
		crypto_auth_hmacsha256_update(&st,
			(const unsigned char *)parts[i], strlen(parts[i]));
	}
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, 65, mac, sizeof(mac));
}

struct cb {
	const char *platform, *key, *body;
	int64_t ts;
	char nonce[40];
	const char *sig;		/* NULL: the right one */
};

/* Sends callback 'c' as the platform does; the status, the answer. */
static long send_cb(const struct cb *c, json_t **out)
{
	char url[300], ts[24], h_ts[64], h_nonce[80], h_sig[120], sig[65];
	const char *h[5] = { "Content-Type: application/json", h_ts, h_nonce,
			     h_sig, NULL };
	struct th_resp r;
	json_error_t je;
	long st;

	snprintf(ts, sizeof(ts), "%" PRId64, c->ts);
	hmac_hex(c->key, (const char *[]){ ts, c->nonce, c->body, NULL },
		 sig);
	snprintf(url, sizeof(url), "%s/api/v1/payments/callbacks/%s",
		 srv.base, c->platform);
	snprintf(h_ts, sizeof(h_ts), "X-Motcua-Timestamp: %s", ts);
	snprintf(h_nonce, sizeof(h_nonce), "X-Motcua-Nonce: %s", c->nonce);
	snprintf(h_sig, sizeof(h_sig), "X-Motcua-Signature: sha256=%s",
		 c->sig ? c->sig : sig);
	assert_int_equal(th_http("POST", url, h, c->body, strlen(c->body),
				 &r), 0);
	st = r.status;
	*out = json_loads(r.body ? r.body : "null", JSON_DECODE_ANY, &je);
	th_resp_free(&r);
	return st;
}

/* A fresh callback from the gateway carrying 'body'. */
static struct cb gw_cb(const char *body)
{
	struct cb c = { "gateway", GW_KEY, body, 0, "", NULL };

	c.ts = now_ts;
	snprintf(c.nonce, sizeof(c.nonce), "nonce-%016u-abcdef", ++nonce_seq);
	return c;
}

static char *cb_body(const char *tx, const char *ref, int64_t amount,
		     const char *status)
{
	json_t *j = json_pack("{s:s, s:s, s:I, s:s}", "transaction_id", tx,
			      "reference", ref, "amount", (json_int_t)amount,
			      "status", status);
	char *s = json_dumps(j, JSON_COMPACT);

	json_decref(j);
	return s;
}

static long request_pay(const char *tok, const char *code,
			const char *platform, json_t **out)
{
	char path[200];

	snprintf(path, sizeof(path), "/api/v1/citizen/dossiers/%s/"
		 "payment-requests", code);
	return th_api(srv.base, "POST", path, tok, platform ?
		      json_pack("{s:s}", "platform", platform) :
		      json_object(), out);
}

static json_t *fees(const char *code)
{
	char path[200];
	json_t *j;

	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/fees", code);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, &j),
			 200);
	return j;
}

static int64_t num(json_t *j, const char *k)
{
	return json_integer_value(json_object_get(j, k));
}

/* Paying on the province's gateway, and what its callbacks may do. */
static void test_gateway(void **state)
{
	char *code, *body, ref[160], query[320], want[65], path[200];
	const char *link;
	struct th_sms sms;
	struct cb c;
	json_t *j, *p;
	int i;

	(void)state;
	code = intake(PID_A, "0912345678");
	/* The request, and its link signed with the gateway's key. */
	assert_int_equal(request_pay(citizen, code, "gateway", &j), 200);
	snprintf(ref, sizeof(ref), "%s-1", code);
	assert_string_equal(th_str(j, "reference"), ref);
	assert_int_equal(num(j, "amount"), 150000);
	assert_string_equal(th_str(j, "status"), "pending");
	snprintf(query, sizeof(query), "reference=%s&amount=150000&timestamp=%"
		 PRId64, ref, now_ts);
	hmac_hex(GW_KEY, (const char *[]){ query, NULL }, want);
	link = th_str(j, "redirect_url");
	{
		char expect[512];

		snprintf(expect, sizeof(expect), GW_URL "?%s&signature=%s",
			 query, want);
		assert_string_equal(link, expect);
	}
	json_decref(j);
	/* The same again is the same request. */
	assert_int_equal(request_pay(citizen, code, "gateway", &j), 200);
	assert_string_equal(th_str(j, "reference"), ref);
	json_decref(j);
	/* Bad requests change nothing. */
	assert_int_equal(request_pay(citizen, code, "momo", &j), 400);
	assert_string_equal(rule_of(j), "one_of");
	json_decref(j);
	assert_int_equal(request_pay(citizen, code, NULL, &j), 400);
	assert_string_equal(rule_of(j), "required");
	json_decref(j);
	assert_int_equal(request_pay(counter, code, "gateway", &j), 401);
	json_decref(j);
	{
		char *other = intake(PID_B, "0987654321");

		assert_int_equal(request_pay(citizen, other, "gateway", &j),
				 404);
		json_decref(j);
		free(other);
	}

	/* Callbacks that are not the gateway's are refused. */
	body = cb_body("GW-0001", ref, 150000, "failed");
	c = gw_cb(body);
	c.sig = "0000000000000000000000000000000000000000000000000000000000000000";
	assert_int_equal(send_cb(&c, &j), 401);
	json_decref(j);
	c = gw_cb(body);
	c.key = "khoa-sai";
	assert_int_equal(send_cb(&c, &j), 401);
	json_decref(j);
	c = gw_cb(body);
	c.ts = now_ts - 3600;		/* an old one, signed right */
	assert_int_equal(send_cb(&c, &j), 401);
	assert_non_null(strstr(th_str(j, "detail"), "Timestamp"));
	json_decref(j);
	c = gw_cb(body);
	snprintf(c.nonce, sizeof(c.nonce), "short");
	assert_int_equal(send_cb(&c, &j), 401);
	json_decref(j);
	c = gw_cb(body);
	c.platform = "momo";
	assert_int_equal(send_cb(&c, &j), 404);
	json_decref(j);
	/* The dossier's platform is not another's to confirm. */
	c = gw_cb(body);
	c.platform = "dvcqg";
	c.key = "khoa-cua-cong-quoc-gia";
	assert_int_equal(send_cb(&c, &j), 400);
	assert_string_equal(rule_of(j), "platform");
	json_decref(j);
	free(body);
	body = cb_body("GW-0002", "000.00.01.H51-260302-9999-1", 150000,
		       "paid");
	c = gw_cb(body);
	assert_int_equal(send_cb(&c, &j), 400);
	assert_string_equal(field_of(j), "reference");
	assert_string_equal(rule_of(j), "known");
	json_decref(j);
	free(body);
	body = cb_body("GW-0003", ref, 15000, "paid");
	c = gw_cb(body);
	assert_int_equal(send_cb(&c, &j), 400);
	assert_string_equal(field_of(j), "amount");
	assert_string_equal(rule_of(j), "requested");
	json_decref(j);
	free(body);

	/* The refused callbacks changed nothing. */
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/payments", code);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, &j),
			 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "requests"), 0), "status"), "pending");
	json_decref(j);
	j = fees(code);
	assert_int_equal(num(j, "paid"), 0);
	json_decref(j);

	/* A failure is recorded on the request; a new one is made after. */
	body = cb_body("GW-0004", ref, 150000, "failed");
	c = gw_cb(body);
	assert_int_equal(send_cb(&c, &j), 200);
	assert_string_equal(th_str(j, "result"), "failed");
	json_decref(j);
	free(body);
	assert_int_equal(request_pay(citizen, code, "gateway", &j), 200);
	snprintf(ref, sizeof(ref), "%s-2", code);
	assert_string_equal(th_str(j, "reference"), ref);
	json_decref(j);

	/* Paid: a receipt, once, however often the gateway says so. */
	body = cb_body("GW-0005", ref, 150000, "paid");
	c = gw_cb(body);
	assert_int_equal(send_cb(&c, &j), 200);
	assert_string_equal(th_str(j, "result"), "paid");
	p = json_object_get(j, "payment");
	assert_string_equal(th_str(p, "receipt_no"), "BL-" CENTER
			    "-2026-000001");
	assert_string_equal(th_str(p, "method"), "platform");
	assert_string_equal(th_str(p, "platform"), "gateway");
	assert_string_equal(th_str(p, "transaction_id"), "GW-0005");
	assert_string_equal(th_str(p, "payer"), "Đặng Thị Thu");
	json_decref(j);
	assert_int_equal(send_cb(&c, &j), 409);		/* replayed */
	assert_string_equal(rule_of(j), "replay");
	json_decref(j);
	c = gw_cb(body);				/* sent again */
	assert_int_equal(send_cb(&c, &j), 200);
	assert_string_equal(th_str(j, "result"), "duplicate");
	assert_string_equal(th_str(json_object_get(j, "payment"),
			    "receipt_no"), "BL-" CENTER "-2026-000001");
	json_decref(j);
	free(body);

	j = fees(code);
	assert_int_equal(num(j, "paid"), 150000);
	assert_int_equal(num(j, "outstanding"), 0);
	assert_int_equal(num(j, "online_payment"), 2);
	assert_true(json_is_null(json_object_get(j, "payment")));
	json_decref(j);
	assert_int_equal(request_pay(citizen, code, "dvcqg", &j), 409);
	assert_string_equal(rule_of(j), "nothing_due");
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/payments", code);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, &j),
			 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	p = json_object_get(j, "requests");
	assert_int_equal(json_array_size(p), 2);
	assert_string_equal(th_str(json_array_get(p, 0), "status"), "failed");
	assert_string_equal(th_str(json_array_get(p, 1), "status"), "paid");
	json_decref(j);

	/* The receipt, for the unit and for the citizen. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/receipts/BL-" CENTER
				"-2026-000001", counter, NULL, &j), 200);
	assert_string_equal(th_str(j, "title"), "BIÊN LAI THU PHÍ, LỆ PHÍ");
	assert_string_equal(th_str(json_object_get(j, "unit"), "name"),
			    "Trung tâm Phục vụ hành chính công tỉnh Quảng Ngãi");
	assert_string_equal(th_str(json_object_get(j, "dossier"), "code"),
			    code);
	assert_string_equal(th_str(json_array_get(json_object_get(j, "items"),
			    0), "name"), "Lệ phí");
	assert_string_equal(th_str(j, "amount_words"),
			    "Một trăm năm mươi nghìn đồng");
	assert_string_equal(th_str(j, "payer_id_number"), PID_A);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/citizen/receipts/BL-"
				CENTER "-2026-000001", citizen, NULL, &j), 200);
	assert_string_equal(th_str(j, "transaction_id"), "GW-0005");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/receipts/BL-" CENTER
				"-2026-999999", counter, NULL, &j), 404);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/citizen/receipts/BL-"
				CENTER "-2026-000001", counter, NULL, &j), 401);
	json_decref(j);

	/* The applicant is told, through the gateway's SMS. */
	snprintf(query, sizeof(query), "%s/payment/BL-" CENTER
		 "-2026-000001/sms", code);
	for (i = 0; i < 400 && !th_smsgw_find(gw, query, &sms); i++)
		usleep(50 * 1000);
	assert_true(th_smsgw_find(gw, query, &sms));
	assert_string_equal(sms.to, "0912345678");
	assert_non_null(strstr(sms.text, "150.000"));
	free(code);
}

static long refund(const char *tok, const char *code, json_t *body,
		   json_t **out)
{
	char path[200];

	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/refunds", code);
	return th_api(srv.base, "POST", path, tok, body, out);
}

static long pay_counter(const char *code, int64_t amount, json_t **out)
{
	char path[200];

	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/payments", code);
	return th_api(srv.base, "POST", path, counter, json_pack("{s:s, s:I}",
		      "method", "cash", "amount", (json_int_t)amount), out);
}

/* Money taken twice, and a withdrawn dossier's fee, go back. */
static void test_refunds(void **state)
{
	char *code, *body, ref[160], path[200];
	struct cb c;
	json_t *j;

	(void)state;
	/* Paid at the counter while the gateway was paying too. */
	code = intake(PID_A, "0912345678");
	assert_int_equal(request_pay(citizen, code, "gateway", &j), 200);
	snprintf(ref, sizeof(ref), "%s", th_str(j, "reference"));
	json_decref(j);
	assert_int_equal(pay_counter(code, 150000, &j), 201);
	json_decref(j);
	body = cb_body("GW-0100", ref, 150000, "paid");
	c = gw_cb(body);
	assert_int_equal(send_cb(&c, &j), 200);	/* the money is kept */
	assert_string_equal(th_str(j, "result"), "paid");
	json_decref(j);
	free(body);
	j = fees(code);
	assert_int_equal(num(j, "paid"), 300000);
	assert_int_equal(num(j, "outstanding"), 0);
	assert_int_equal(num(j, "refundable"), 150000);
	json_decref(j);
	/* Bad refunds change nothing. */
	assert_int_equal(refund(counter, code, json_pack("{s:I, s:s, s:s}",
		"amount", (json_int_t)200000, "method", "transfer", "reason",
		"Nộp hai lần"), &j), 400);
	assert_string_equal(rule_of(j), "refundable");
	json_decref(j);
	assert_int_equal(refund(counter, code, json_pack("{s:I, s:s, s:s}",
		"amount", (json_int_t)150000, "method", "cheque", "reason",
		"Nộp hai lần"), &j), 400);
	assert_string_equal(field_of(j), "method");
	json_decref(j);
	assert_int_equal(refund(counter, code, json_pack("{s:I, s:s}",
		"amount", (json_int_t)150000, "method", "transfer"), &j), 400);
	assert_string_equal(field_of(j), "reason");
	json_decref(j);
	assert_int_equal(refund(specialist, code, json_pack("{s:I, s:s, s:s}",
		"amount", (json_int_t)150000, "method", "transfer", "reason",
		"x"), &j), 403);
	json_decref(j);
	assert_int_equal(refund(counter, code, json_pack("{s:I, s:s, s:s}",
		"amount", (json_int_t)150000, "method", "transfer", "reason",
		"Nộp hai lần"), &j), 201);
	assert_string_equal(th_str(j, "refund_no"), "HT-" CENTER
			    "-2026-000001");
	assert_string_equal(th_str(j, "amount_words"),
			    "Một trăm năm mươi nghìn đồng");
	json_decref(j);
	assert_int_equal(refund(counter, code, json_pack("{s:I, s:s, s:s}",
		"amount", (json_int_t)1, "method", "cash", "reason", "x"), &j),
		409);
	assert_string_equal(rule_of(j), "nothing_to_refund");
	json_decref(j);
	j = fees(code);
	assert_int_equal(num(j, "refunded"), 150000);
	assert_int_equal(num(j, "refundable"), 0);
	assert_int_equal(num(j, "outstanding"), 0);
	json_decref(j);
	free(code);

	/* Withdrawn after payment: the whole fee goes back, once. */
	code = intake(PID_A, "0912345678");
	/* Money goes back where it was taken: the receiving unit. */
	assert_int_equal(refund(leader, code, json_pack("{s:I, s:s, s:s}",
		"amount", (json_int_t)1, "method", "cash", "reason", "x"), &j),
		404);
	json_decref(j);
	assert_int_equal(refund(counter, code, json_pack("{s:I, s:s, s:s}",
		"amount", (json_int_t)1, "method", "cash", "reason", "x"), &j),
		409);
	json_decref(j);
	assert_int_equal(pay_counter(code, 150000, &j), 201);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/actions", code);
	assert_int_equal(th_api(srv.base, "POST", path, counter,
		json_pack("{s:s, s:s}", "action", "withdraw", "reason",
		"Công dân xin rút hồ sơ"), &j), 200);
	json_decref(j);
	j = fees(code);
	assert_int_equal(num(j, "refundable"), 150000);
	assert_int_equal(num(j, "outstanding"), 0);
	json_decref(j);
	assert_int_equal(refund(counter, code, json_pack("{s:I, s:s, s:s}",
		"amount", (json_int_t)150000, "method", "cash", "reason",
		"Hồ sơ đã rút"), &j), 201);
	assert_string_equal(th_str(j, "refund_no"), "HT-" CENTER
			    "-2026-000002");
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/payments", code);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, &j),
			 200);
	assert_int_equal(json_array_size(json_object_get(j, "refunds")), 1);
	json_decref(j);
	free(code);
}

static json_t *dossier(const char *code)
{
	char path[200];
	json_t *j;

	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", code);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, &j),
			 200);
	return j;
}

/* The last event of 'code' (caller decrefs). */
static json_t *last_event(const char *code)
{
	char path[200];
	json_t *j, *e;

	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/events", code);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, &j),
			 200);
	e = json_object_get(j, "items");
	e = json_incref(json_array_get(e, json_array_size(e) - 1));
	json_decref(j);
	return e;
}

/* The SMS under 'key', waited for up to 20 s. */
static void wait_sms(const char *key, struct th_sms *sms)
{
	int i;

	for (i = 0; i < 400 && !th_smsgw_find(gw, key, sms); i++)
		usleep(50 * 1000);
	if (!th_smsgw_find(gw, key, sms))
		fail_msg("no SMS %s", key);
}

/* A procedure paid first: received when the fees are paid. */
static void test_pay_first(void **state)
{
	char *code, *body, key[200], path[200];
	struct th_sms sms;
	struct cb c;
	json_t *j, *e;

	(void)state;
	/* At the counter: waits for the money, with no period running. */
	code = intake_of(PROC_FIRST, "direct", PID_A, "0912345678");
	j = dossier(code);
	assert_string_equal(th_str(j, "status"), "awaiting_payment");
	assert_true(json_is_null(json_object_get(j, "received_at")));
	assert_true(json_is_null(json_object_get(j, "due_at")));
	json_decref(j);
	snprintf(key, sizeof(key), "%s/1/sms", code);
	wait_sms(key, &sms);
	assert_non_null(strstr(sms.text, "vui lòng nộp phí, lệ phí 150.000"));
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/actions", code);
	assert_int_equal(th_api(srv.base, "POST", path, counter,
		json_pack("{s:s}", "action", "forward"), &j), 409);
	assert_string_equal(rule_of(j), "status");
	json_decref(j);
	j = fees(code);
	assert_int_equal(num(j, "outstanding"), 150000);
	json_decref(j);
	/* Paid: received now, the appointment counted from the payment. */
	assert_int_equal(pay_counter(code, 150000, &j), 201);
	json_decref(j);
	j = dossier(code);
	assert_string_equal(th_str(j, "status"), "received");
	assert_string_equal(th_str(j, "received_at"), NOW_ISO);
	assert_string_equal(th_str(j, "due_at"), "2026-03-09T17:00:00+07:00");
	json_decref(j);
	e = last_event(code);
	assert_string_equal(th_str(e, "action"), "paid");
	assert_string_equal(th_str(e, "from_status"), "awaiting_payment");
	assert_string_equal(th_str(e, "to_status"), "received");
	assert_string_equal(th_str(e, "actor"), "tiepnhan");
	json_decref(e);
	snprintf(key, sizeof(key), "%s/2/sms", code);
	wait_sms(key, &sms);
	assert_non_null(strstr(sms.text, "đã được tiếp nhận"));
	assert_non_null(strstr(sms.text, "09/03/2026"));
	free(code);

	/* Online, accepted: half the fee, paid on the gateway. */
	code = intake_of(PROC_FIRST, "online", PID_A, "0912345678");
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/actions", code);
	assert_int_equal(th_api(srv.base, "POST", path, counter,
		json_pack("{s:s}", "action", "accept"), &j), 200);
	assert_string_equal(th_str(j, "status"), "awaiting_payment");
	json_decref(j);
	assert_int_equal(request_pay(citizen, code, "gateway", &j), 200);
	assert_int_equal(num(j, "amount"), 75000);
	body = cb_body("GW-0200", th_str(j, "reference"), 75000, "paid");
	json_decref(j);
	c = gw_cb(body);
	assert_int_equal(send_cb(&c, &j), 200);
	assert_string_equal(th_str(j, "result"), "paid");
	json_decref(j);
	free(body);
	j = dossier(code);
	assert_string_equal(th_str(j, "status"), "received");
	assert_false(json_is_null(json_object_get(j, "due_at")));
	json_decref(j);
	e = last_event(code);
	assert_string_equal(th_str(e, "action"), "paid");
	assert_string_equal(th_str(e, "actor"), "system");
	json_decref(e);
	free(code);

	/* Never paid: the counter may refuse it; nothing is owed then. */
	code = intake_of(PROC_FIRST, "direct", PID_A, "0912345678");
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/actions", code);
	assert_int_equal(th_api(srv.base, "POST", path, counter,
		json_pack("{s:s, s:s}", "action", "refuse", "reason",
		"Không nộp lệ phí"), &j), 200);
	assert_string_equal(th_str(j, "status"), "refused");
	json_decref(j);
	j = fees(code);
	assert_int_equal(num(j, "outstanding"), 0);
	assert_int_equal(num(j, "refundable"), 0);
	json_decref(j);
	free(code);
}

static json_t *rules_procedure(const char *code, const char *per,
				const char *exempt)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:{s:s, "
		"s:b}, s:[{s:s, s:s, s:i, s:s, s:[s]}, {s:s, s:s, s:i, "
		"s:[s]}, {s:s, s:s, s:i, s:s, s:i}], s:[{s:s, s:s, s:s, s:b}], "
		"s:[{s:s, s:s, s:i}]}", "code", code, "name",
		"Thủ tục thử miễn giảm", "field", "Thử", "level", "province",
		"unit_code", "000.00.04.H51", "processing_time", "amount", 5,
		"unit", "working_days", "result", "document_type", "Giấy",
		"paper", 1, "fees",
		"name", "Lệ phí cấp bản sao", "kind", "charge", "amount", 5000,
		"per", per, "exempt", exempt,
		"name", "Phí thẩm định", "kind", "fee", "amount", 100000,
		"exempt", "meritorious",
		"name", "Phí chứng thực", "kind", "fee", "amount", 2000, "per",
		"page", "online_discount_percent", 50,
		"components", "code", "TK", "name", "Tờ khai", "form",
		"original", "required", 1, "steps", "name", "Xử lý", "role",
		"specialist", "share_percent", 100);
}

static long intake_rules(json_t *categories, json_t *quantities,
			 json_t **out)
{
	return th_api(srv.base, "POST", "/api/v1/dossiers", counter,
		json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s, s:o}, "
		"s:[{s:s, s:b}], s:o}", "procedure_code", PROC_RULES,
		"channel", "direct", "applicant", "kind", "person",
		"id_number", PID_B, "name", "Lò Văn Pá", "phone", "0987654321",
		"categories", categories, "components", "code", "TK",
		"provided", 1, "fee_quantities", quantities), out);
}

/* Fees per copy and per page, and the categories a fee exempts. */
static void test_exemptions_and_quantities(void **state)
{
	char tok[128], path[200];
	json_t *j, *it;

	(void)state;
	th_login(srv.base, "kiemsoat", "motcua-demo", tok, sizeof(tok));
	/* Bad procedures change nothing. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures", tok,
		rules_procedure(PROC_RULES, "copy", "rich"), &j), 400);
	assert_string_equal(field_of(j), "fees[0].exempt");
	assert_string_equal(rule_of(j), "one_of");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures", tok,
		rules_procedure(PROC_RULES, "kg", "poor_household"), &j), 400);
	assert_string_equal(field_of(j), "fees[0].per");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures", tok,
		rules_procedure(PROC_RULES, "copy", "poor_household"), &j),
		201);
	it = json_array_get(json_object_get(j, "fees"), 0);
	assert_string_equal(th_str(it, "per"), "copy");
	assert_string_equal(json_string_value(json_array_get(
			    json_object_get(it, "exempt"), 0)),
			    "poor_household");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures/"
		PROC_RULES "/publish", tok, json_pack("{s:s, s:s, s:s}",
		"valid_from", "2025-01-01", "decision_number", "11/QĐ",
		"decision_date", "2025-01-01"), NULL), 200);

	/* Bad intakes change nothing. */
	assert_int_equal(intake_rules(json_pack("[s]", "rich"), json_array(),
				      &j), 400);
	assert_string_equal(field_of(j), "applicant.categories");
	json_decref(j);
	assert_int_equal(intake_rules(json_array(), json_pack("[{s:i, s:i}]",
		"item", 1, "quantity", 2), &j), 400);
	assert_string_equal(field_of(j), "fee_quantities");
	assert_string_equal(rule_of(j), "counted");
	json_decref(j);
	assert_int_equal(intake_rules(json_array(), json_pack("[{s:i, s:i}, "
		"{s:i, s:i}]", "item", 0, "quantity", 2, "item", 0, "quantity",
		3), &j), 400);
	assert_string_equal(rule_of(j), "unique");
	json_decref(j);
	assert_int_equal(intake_rules(json_array(), json_pack("[{s:i, s:i}]",
		"item", 0, "quantity", 0), &j), 400);
	assert_string_equal(field_of(j), "fee_quantities[0].quantity");
	json_decref(j);

	/* A poor household: three copies free, ten pages paid. */
	assert_int_equal(intake_rules(json_pack("[s]", "poor_household"),
		json_pack("[{s:i, s:i}, {s:i, s:i}]", "item", 0, "quantity", 3,
		"item", 2, "quantity", 10), &j), 201);
	snprintf(path, sizeof(path), "%s", th_str(j, "code"));
	assert_string_equal(json_string_value(json_array_get(json_object_get(
		json_object_get(j, "applicant"), "categories"), 0)),
		"poor_household");
	json_decref(j);
	j = fees(path);
	it = json_object_get(j, "items");
	assert_int_equal(num(json_array_get(it, 0), "quantity"), 3);
	assert_int_equal(num(json_array_get(it, 0), "base_amount"), 15000);
	assert_int_equal(num(json_array_get(it, 0), "amount"), 0);
	assert_string_equal(th_str(json_array_get(it, 0), "exempt_label"),
			    "Hộ nghèo");
	assert_int_equal(num(json_array_get(it, 1), "quantity"), 1);
	assert_int_equal(num(json_array_get(it, 1), "amount"), 100000);
	assert_true(json_is_null(json_object_get(json_array_get(it, 1),
						 "exempt_category")));
	assert_int_equal(num(json_array_get(it, 2), "base_amount"), 20000);
	assert_int_equal(num(json_array_get(it, 2), "amount"), 20000);
	assert_int_equal(num(j, "total"), 120000);
	assert_string_equal(th_str(j, "total_words"),
			    "Một trăm hai mươi nghìn đồng");
	json_decref(j);
}

static long put_account(const char *tok, const char *unit, const char *bin,
			const char *account, const char *name, json_t **out)
{
	char path[200];

	snprintf(path, sizeof(path), "/api/v1/units/%s/payment-account", unit);
	return th_api(srv.base, "PUT", path, tok, json_pack("{s:s, s:s, s:s}",
		      "bank_bin", bin, "account", account, "account_name",
		      name), out);
}

/*
 * GETs image 'path' with 'tok', checks its type, and returns what zbarimg
 * (zbar-tools) reads in it, a QR decoder of its own (caller frees).
 */
static char *qr_read(const char *path, const char *tok, const char *type)
{
	char url[300], auth[200], file[600], cmd[700], line[1024];
	const char *h[2] = { auth, NULL };
	struct th_resp r;
	FILE *f;
	size_t n;

	snprintf(url, sizeof(url), "%s%s", srv.base, path);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", tok);
	assert_int_equal(th_http("GET", url, h, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.headers, type));
	th_path(file, sizeof(file), strstr(type, "png") ? "qr.png" : "qr.svg");
	assert_int_equal(th_write_bytes(file, r.body, r.len), 0);
	th_resp_free(&r);
	if (!strstr(type, "png"))
		return strdup("");
	snprintf(cmd, sizeof(cmd), "zbarimg --raw -q '%s'", file);
	f = popen(cmd, "r");
	assert_non_null(f);
	line[0] = '\0';
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	if (pclose(f) != 0)
		fail_msg("zbarimg could not read %s (is zbar-tools installed? "
			 "scripts/setup.sh)", file);
	n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return strdup(line);
}

/* Each unit collects into its own account, or the one above it. */
static void test_accounts(void **state)
{
	char admin[128], *code, path[200];
	const char *v;
	json_t *j, *p;

	(void)state;
	th_login(srv.base, "admin", "motcua-demo", admin, sizeof(admin));
	snprintf(path, sizeof(path), "/api/v1/units/%s/payment-account",
		 CENTER);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, &j),
			 404);
	json_decref(j);
	code = intake(PID_A, "0912345678");
	j = fees(code);
	assert_true(json_is_null(json_object_get(j, "payment")));
	json_decref(j);
	/* Bad accounts change nothing. */
	assert_int_equal(put_account(admin, CENTER, "97043", "0123456789",
				     "TRUNG TAM", &j), 400);
	assert_string_equal(field_of(j), "bank_bin");
	json_decref(j);
	assert_int_equal(put_account(admin, CENTER, "970436", "0123-456",
				     "TRUNG TAM", &j), 400);
	assert_string_equal(field_of(j), "account");
	json_decref(j);
	assert_int_equal(put_account(admin, CENTER, "970436", "0123456789",
				     "Trung tâm", &j), 400);
	assert_string_equal(field_of(j), "account_name");
	json_decref(j);
	assert_int_equal(put_account(counter, CENTER, "970436", "0123456789",
				     "TRUNG TAM", &j), 403);
	json_decref(j);
	/* The province's account serves the units below it... */
	if (put_account(admin, "000.00.00.H51", "970415", "113000006100",
			"VAN PHONG UBND TINH", &j) != 200)
		fail_msg("%s", json_dumps(j, 0));
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, &j),
			 200);
	assert_string_equal(th_str(j, "unit_code"), "000.00.00.H51");
	json_decref(j);
	j = fees(code);
	p = json_object_get(j, "payment");
	assert_string_equal(th_str(p, "bank_bin"), "970415");
	json_decref(j);
	/* ... until a unit has its own. */
	assert_int_equal(put_account(admin, CENTER, "970436", "0123456789",
				     "TRUNG TAM PVHCC QNGAI", &j), 200);
	json_decref(j);
	j = fees(code);
	p = json_object_get(j, "payment");
	assert_string_equal(th_str(p, "account"), "0123456789");
	v = th_str(p, "vietqr");
	assert_non_null(strstr(v, "0006970436011001234567890208QRIBFTTA"));
	assert_non_null(strstr(v, "5406150000"));
	/* The images say exactly that, read back by another decoder. */
	{
		char *read;

		snprintf(path, sizeof(path), "/api/v1/dossiers/%s/"
			 "payment-qr.png", code);
		read = qr_read(path, counter, "image/png");
		assert_string_equal(read, v);
		free(read);
		snprintf(path, sizeof(path), "/api/v1/citizen/dossiers/%s/"
			 "payment-qr.png", code);
		read = qr_read(path, citizen, "image/png");
		assert_string_equal(read, v);
		free(read);
		snprintf(path, sizeof(path), "/api/v1/citizen/dossiers/%s/"
			 "payment-qr.svg", code);
		free(qr_read(path, citizen, "image/svg+xml"));
	}
	json_decref(j);
	free(code);
}

/* Runs 'motcua payments reconcile' on 'csv'; its status, what it said. */
static int reconcile(const char *csv, const char *date, char **out,
		     char **err)
{
	char path[600];
	const char *args[] = { "payments", "reconcile", path, "--db", db,
			       date ? "--date" : NULL, date, NULL };

	th_path(path, sizeof(path), "statement.csv");
	assert_int_equal(th_write_file(path, csv), 0);
	return th_motcua(args, NULL, out, err);
}

/* The gateway's statement against what motcua took from it. */
static void test_reconcile(void **state)
{
	char *out, *err;

	(void)state;
	assert_int_equal(reconcile("transaction_id,reference,amount,paid_at\r\n"
		"GW-0005,r1,150000,2026-03-02T09:00:05+07:00\r\n"
		"GW-0100,r2,100000,2026-03-02T09:01:00+07:00\r\n"
		"GW-9999,\"r3, by hand\",50000,2026-03-02T10:00:00+07:00\r\n",
		NULL, &out, &err), 1);
	assert_non_null(strstr(out, "gateway, 2026-03-02 to 2026-03-02: 3 in "
			       "the statement, 2 in motcua"));
	assert_non_null(strstr(out, "amount differs     GW-0100  statement "
			       "100000 VND, motcua 150000 VND"));
	assert_non_null(strstr(out, "not in motcua      GW-9999  50000 VND  "
			       "reference r3, by hand  (line 4)"));
	assert_non_null(strstr(out, "matched 1 (150000 VND), 2 differences"));
	free(out);
	free(err);
	assert_int_equal(reconcile("paid_at,amount,transaction_id,reference\n"
		"2026-03-02T02:00:00Z,150000,GW-0005,r1\n"
		"2026-03-02T02:01:00Z,150000,GW-0100,r2\n", NULL, &out, &err),
		0);
	assert_non_null(strstr(out, "matched 2 (300000 VND), 0 differences"));
	free(out);
	free(err);
	/* A day's statement that lacks one of motcua's payments. */
	assert_int_equal(reconcile("transaction_id,reference,amount,paid_at\n"
		"GW-0005,r1,150000,2026-03-02T09:00:05+07:00\n", "2026-03-02",
		&out, &err), 1);
	assert_non_null(strstr(out, "not in statement   GW-0100  150000 VND"));
	free(out);
	free(err);
	/* The same over HTTP, for the web application. */
	{
		static const char csv[] = "transaction_id,reference,amount,"
			"paid_at\r\nGW-0005,r1,150000,2026-03-02T09:00:05+07:00\r\n"
			"GW-0100,r2,100000,2026-03-02T09:01:00+07:00\r\n";
		char url[300], auth[200], admin[128];
		const char *h[3] = { "Content-Type: text/csv", auth, NULL };
		struct th_resp r;
		json_error_t je;
		json_t *j, *d;

		th_login(srv.base, "admin", "motcua-demo", admin,
			 sizeof(admin));
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", admin);
		snprintf(url, sizeof(url), "%s/api/v1/payments/reconciliation"
			 "?platform=gateway", srv.base);
		assert_int_equal(th_http("POST", url, h, csv, strlen(csv), &r),
				 0);
		assert_int_equal(r.status, 200);
		j = json_loads(r.body, 0, &je);
		th_resp_free(&r);
		assert_int_equal(num(json_object_get(j, "matched"), "count"),
				 1);
		assert_string_equal(th_str(j, "from"), "2026-03-02");
		d = json_array_get(json_object_get(j, "differences"), 0);
		assert_string_equal(th_str(d, "kind"), "amount_differs");
		assert_int_equal(num(d, "statement_amount"), 100000);
		assert_int_equal(num(d, "motcua_amount"), 150000);
		assert_int_equal(num(d, "line"), 3);
		assert_int_equal(json_array_size(json_object_get(j,
				 "differences")), 1);
		json_decref(j);
		{
			static const char bad[] = "transaction_id,reference,"
				"amount,paid_at\nX,r,1O,2026-03-02T09:00:05Z\n";

			assert_int_equal(th_http("POST", url, h, bad,
						 strlen(bad), &r), 0);
		}
		assert_int_equal(r.status, 400);
		assert_non_null(strstr(r.body, "line 2: amount"));
		th_resp_free(&r);
		h[0] = "Content-Type: application/json";
		assert_int_equal(th_http("POST", url, h, csv, strlen(csv), &r),
				 0);
		assert_int_equal(r.status, 415);
		th_resp_free(&r);
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
			 counter);
		h[0] = "Content-Type: text/csv";
		assert_int_equal(th_http("POST", url, h, csv, strlen(csv), &r),
				 0);
		assert_int_equal(r.status, 403);
		th_resp_free(&r);
		/* An administrator of another unit (the department) sees
		 * none of the centre's receipts: both lines are simply not
		 * among the payments of its dossiers. */
		assert_int_equal(th_api(srv.base, "POST", "/api/v1/users",
			admin, json_pack("{s:s, s:s, s:s, s:s, s:s}", "username",
			"qt.so", "full_name", "Quản trị Sở", "role", "admin",
			"unit_code", "000.00.04.H51", "password",
			"mat-khau-du-dai-1"), NULL), 201);
		th_login(srv.base, "qt.so", "mat-khau-du-dai-1", admin,
			 sizeof(admin));
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", admin);
		assert_int_equal(th_http("POST", url, h, csv, strlen(csv), &r),
				 0);
		assert_int_equal(r.status, 200);
		assert_null(strstr(r.body, "amount_differs"));
		assert_null(strstr(r.body, "not_in_statement"));
		j = json_loads(r.body, 0, &je);
		th_resp_free(&r);
		assert_int_equal(num(json_object_get(j, "matched"), "count"),
				 0);
		assert_int_equal(json_array_size(json_object_get(j,
				 "differences")), 2);
		json_decref(j);
	}
	/* Bad statements: the line and the column, and nothing compared. */
	assert_int_equal(reconcile("transaction_id,reference,amount,paid_at\n"
		"GW-0005,r1,15O000,2026-03-02T09:00:05+07:00\n", NULL, &out,
		&err), 2);
	assert_non_null(strstr(err, "statement.csv:2: amount: a whole "
			       "number"));
	free(out);
	free(err);
	assert_int_equal(reconcile("transaction_id,reference,amount\n", NULL,
				   &out, &err), 2);
	assert_non_null(strstr(err, ":1: the header must name"));
	free(out);
	free(err);
	assert_int_equal(reconcile("transaction_id,reference,amount,paid_at\n"
		"GW-0005,r1,150000,2026-03-02T09:00:05\n", NULL, &out, &err),
		2);
	assert_non_null(strstr(err, ":2: paid_at"));
	free(out);
	free(err);
	assert_int_equal(reconcile("transaction_id,reference,amount,paid_at\n"
		"GW-0005,r1,150000,2026-03-02T09:00:05+07:00\n", "2026-03-03",
		&out, &err), 2);
	assert_non_null(strstr(err, ":2: paid_at is not on 2026-03-03"));
	free(out);
	free(err);
	assert_int_equal(reconcile("transaction_id,reference,amount,paid_at\n"
		"GW-1,r1,1,2026-03-02T09:00:05+07:00\n"
		"GW-1,r1,1,2026-03-02T09:00:05+07:00\n", NULL, &out, &err), 2);
	assert_non_null(strstr(err, ":3: transaction GW-1 is also on line 2"));
	free(out);
	free(err);
}

/* Runs 'motcua payments transfers' on 'csv'; its status, what it said. */
static int transfers(const char *csv, bool record, char **out, char **err)
{
	char path[600];
	int rc;
	const char *args[] = { "payments", "transfers", path, "--db", db,
			       record ? "--record" : NULL, NULL };

	th_path(path, sizeof(path), "bank.csv");
	assert_int_equal(th_write_file(path, csv), 0);
	rc = th_motcua(args, NULL, out, err);
	/*
	 * Written by another process: the server's loops see it once their
	 * read snapshot is older than 100 ms (src/cli/cmd_serve.c,
	 * SNAPSHOT_MAX_AGE_MS), so a read straight after may not yet.
	 */
	usleep(150 * 1000);
	return rc;
}

/* The bank's statement: transfers found by the code they carry. */
static void test_transfers(void **state)
{
	char *paid, *first, glued[32], csv[2048], line[256];
	char *out, *err;
	const char *p;
	json_t *j;
	size_t k = 0;

	(void)state;
	paid = intake(PID_A, "0912345678");
	first = intake_of(PROC_FIRST, "direct", PID_A, "0912345678");
	/* The second as some banks pass it on: no dots, no hyphens. */
	for (p = first; *p; p++)
		if (*p != '.' && *p != '-')
			glued[k++] = *p;
	glued[k] = '\0';
	snprintf(csv, sizeof(csv), "transaction_id,description,amount,paid_at\n"
		 "VCB-1,\"CT %s NOP LE PHI\",150000,2026-03-02T10:00:00+07:00\n"
		 "VCB-2,MBVCB.99.%s.tt le phi,150000,2026-03-02T10:05:00+07:00\n"
		 "VCB-3,%s,100000,2026-03-02T10:10:00+07:00\n"
		 "VCB-4,chuyen tien,50000,2026-03-02T10:15:00+07:00\n"
		 "VCB-5,000.00.01.H51-260302-9999,150000,"
		 "2026-03-02T10:20:00+07:00\n", paid, glued, paid);
	/* Without --record: what would be taken, and nothing taken. */
	assert_int_equal(transfers(csv, false, &out, &err), 1);
	snprintf(line, sizeof(line), "matches          VCB-1  150000 VND  "
		 "dossier %s  (line 2)", paid);
	assert_non_null(strstr(out, line));
	snprintf(line, sizeof(line), "matches          VCB-2  150000 VND  "
		 "dossier %s  (line 3)", first);
	assert_non_null(strstr(out, line));
	snprintf(line, sizeof(line), "amount differs   VCB-3  paid 100000 "
		 "VND, owed 150000 VND  dossier %s", paid);
	assert_non_null(strstr(out, line));
	assert_non_null(strstr(out, "no dossier code   VCB-4  50000 VND  "
			       "\"chuyen tien\"  (line 5)"));
	assert_non_null(strstr(out, "no such dossier  VCB-5"));
	assert_non_null(strstr(out, "5 lines, 2 matching, 3 for a person"));
	free(out);
	free(err);
	j = fees(paid);
	assert_int_equal(num(j, "paid"), 0);
	json_decref(j);
	/* With it: both paid, the one that waited received. */
	assert_int_equal(transfers(csv, true, &out, &err), 1);
	assert_non_null(strstr(out, "recorded          VCB-1  150000 VND"));
	assert_non_null(strstr(out, "recorded          VCB-2  150000 VND"));
	snprintf(line, sizeof(line), "amount differs   VCB-3  paid 100000 "
		 "VND, owed 0 VND  dossier %s", paid);
	assert_non_null(strstr(out, line));
	free(out);
	free(err);
	j = fees(paid);
	assert_int_equal(num(j, "paid"), 150000);
	json_decref(j);
	j = dossier(first);
	assert_string_equal(th_str(j, "status"), "received");
	json_decref(j);
	snprintf(line, sizeof(line), "/api/v1/dossiers/%s/payments", paid);
	assert_int_equal(th_api(srv.base, "GET", line, counter, NULL, &j),
			 200);
	{
		json_t *it = json_array_get(json_object_get(j, "items"), 0);

		assert_string_equal(th_str(it, "method"), "transfer");
		assert_string_equal(th_str(it, "transaction_id"), "VCB-1");
		assert_string_equal(th_str(it, "paid_at"),
				    "2026-03-02T10:00:00+07:00");
	}
	json_decref(j);
	/* Again: taken once. */
	snprintf(csv, sizeof(csv), "transaction_id,description,amount,paid_at\n"
		 "VCB-1,\"CT %s NOP LE PHI\",150000,2026-03-02T10:00:00+07:00\n",
		 paid);
	assert_int_equal(transfers(csv, true, &out, &err), 0);
	assert_non_null(strstr(out, "recorded before   VCB-1"));
	free(out);
	free(err);
	j = fees(paid);
	assert_int_equal(num(j, "paid"), 150000);
	json_decref(j);
	/* The bank's statement against the transfers taken from it. */
	{
		char path[600];
		const char *args[] = { "payments", "reconcile", path,
				       "--platform", "bank", "--db", db, NULL };

		th_path(path, sizeof(path), "bank.csv");
		assert_int_equal(th_write_file(path, "transaction_id,"
			"description,amount,paid_at\n"
			"VCB-1,x,150000,2026-03-02T10:00:00+07:00\n"
			"VCB-4,chuyen tien,50000,2026-03-02T10:15:00+07:00\n"),
			0);
		assert_int_equal(th_motcua(args, NULL, &out, &err), 1);
		assert_non_null(strstr(out, "bank, 2026-03-02 to 2026-03-02: "
				       "2 in the statement, 2 in motcua"));
		assert_non_null(strstr(out, "not in motcua      VCB-4"));
		assert_non_null(strstr(out, "not in statement   VCB-2  150000 "
				       "VND"));
		assert_non_null(strstr(out, "matched 1 (150000 VND), 2 "
				       "differences"));
		free(out);
		free(err);
	}
	free(paid);
	free(first);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gateway),
		cmocka_unit_test(test_refunds),
		cmocka_unit_test(test_reconcile),
		cmocka_unit_test(test_pay_first),
		cmocka_unit_test(test_exemptions_and_quantities),
		cmocka_unit_test(test_accounts),
		cmocka_unit_test(test_transfers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
