/*
 * payments.c — a dossier's fees over HTTP (docs/payments.md): the items
 * assessed at receipt, the total in figures and in words, and the VietQR
 * payment code for the collecting account (as text and as an SVG image).
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/sha256.h"
#include "api/api.h"
#include "api/util.h"
#include "app.h"
#include "domain/fees.h"
#include "domain/paysig.h"
#include "domain/statement.h"
#include "domain/vietqr.h"
#include "render/qr.h"
#include "store/citizens.h"
#include "store/dossiers.h"
#include "store/payments.h"

struct fees {
	json_t *items;
	int64_t total;
};

static void fee_item(const struct mc_dossier_fee *f, void *arg)
{
	struct fees *l = arg;

	const char *label = mc_fee_category_label(f->exempt_category);

	json_array_append_new(l->items, json_pack("{s:s, s:s, s:i, s:I, s:i, "
		"s:o, s:o, s:I}", "name", f->name, "kind", f->kind, "quantity",
		f->quantity, "base_amount", (json_int_t)f->base_amount,
		"discount_percent", f->discount_percent, "exempt_category",
		mc_api_text(f->exempt_category), "exempt_label",
		label ? json_string(label) : json_null(), "amount",
		(json_int_t)f->amount));
	l->total += f->amount;
}

/*
 * The VietQR payload for paying 'total' of dossier 'd' into its receiving
 * unit's account (or the nearest above it with one, or the configured
 * one), or 0 when there is nothing to pay or no account.
 */
static int payment_of(struct mc_req *r, const struct mc_dossier *d,
		      int64_t total, struct mc_vietqr *q, char *payload,
		      size_t n)
{
	const struct mc_app *app = mc_req_app(r);
	struct mc_unit_account a;

	memset(q, 0, sizeof(*q));
	if (total <= 0)
		return 0;
	if (mc_unit_account_for(mc_req_db(r), d->unit_path, &a, NULL) == 0) {
		snprintf(q->bin, sizeof(q->bin), "%s", a.bank_bin);
		snprintf(q->account, sizeof(q->account), "%s", a.account);
		snprintf(q->name, sizeof(q->name), "%s", a.account_name);
	} else if (app->cfg.payment_bank_bin[0] &&
		   app->cfg.payment_account[0]) {
		snprintf(q->bin, sizeof(q->bin), "%s",
			 app->cfg.payment_bank_bin);
		snprintf(q->account, sizeof(q->account), "%s",
			 app->cfg.payment_account);
		snprintf(q->name, sizeof(q->name), "%s",
			 app->cfg.payment_account_name);
	} else {
		return 0;
	}
	q->amount = total;
	mc_vietqr_purpose(d->code, q->purpose);
	return mc_vietqr_build(q, payload, n, NULL) == 0;
}

/* The fees of 'd' as JSON, with the payment when there is one. */
static json_t *fees_json(struct mc_req *r, const struct mc_dossier *d,
			 struct mc_err *err)
{
	struct fees l = { json_array(), 0 };
	struct mc_vietqr q;
	struct mc_money m;
	char words[512], payload[MC_VIETQR_MAX];
	int64_t owed;

	if (mc_dossier_fees(mc_req_db(r), d->id, fee_item, &l, err) < 0 ||
	    mc_payment_due(mc_req_db(r), d->id, &m, err)) {
		json_decref(l.items);
		return NULL;
	}
	owed = mc_money_outstanding(&m, d->status);
	return json_pack("{s:s, s:o, s:I, s:s, s:I, s:I, s:I, s:I, s:i, s:s, "
		"s:o}", "code", d->code, "items", l.items, "total",
		(json_int_t)l.total, "total_words", mc_fee_words(l.total, words,
		sizeof(words)), "paid", (json_int_t)m.paid, "refunded",
		(json_int_t)m.refunded, "outstanding", (json_int_t)owed,
		"refundable", (json_int_t)mc_money_refundable(&m, d->status),
		"online_payment", m.online_flag, "currency", "VND",
		"payment", payment_of(r, d, owed, &q, payload,
				      sizeof(payload)) ?
		json_pack("{s:s, s:s, s:s, s:s, s:s}", "bank_bin", q.bin,
			  "account", q.account, "account_name", q.name,
			  "purpose", q.purpose, "vietqr", payload) :
		json_null());
}

/* The dossier 'code' for a staff user who may see it, or NULL (answered). */
static struct mc_dossier *staff_dossier(struct mc_req *r)
{
	struct mc_dossier *d = mc_calloc(1, sizeof(*d));
	struct mc_user me;

	if (mc_api_user(r, &me)) {
		mc_free(d);
		return NULL;
	}
	if (mc_dossier_get(mc_req_db(r), mc_req_param(r, "code"), d, NULL) ||
	    !mc_dossier_visible(d, &me)) {
		mc_dossier_release(d);
		mc_free(d);
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy",
				 "no such dossier in your units", NULL);
		return NULL;
	}
	return d;
}

static void answer_fees(struct mc_req *r, struct mc_dossier *d)
{
	struct mc_err err = MC_ERR_INIT;
	json_t *o = fees_json(r, d, &err);

	mc_dossier_release(d);
	mc_free(d);
	if (!o)
		mc_reply_err(r, &err);
	else
		mc_reply_json(r, 200, o);
}

void api_dossiers_fees(struct mc_req *r)
{
	struct mc_dossier *d = staff_dossier(r);

	if (d)
		answer_fees(r, d);
}

/* The signed-in citizen's dossier 'code', or NULL (answered). */
static struct mc_dossier *citizen_dossier(struct mc_req *r)
{
	struct mc_dossier *d;
	struct mc_citizen cz;
	char hash[MC_SHA256_HEX];

	if (mc_api_citizen(r, &cz, hash))
		return NULL;
	d = mc_calloc(1, sizeof(*d));
	if (mc_dossier_get(mc_req_db(r), mc_req_param(r, "code"), d, NULL) ||
	    strcmp(d->applicant_id, cz.id_number) != 0) {
		mc_dossier_release(d);
		mc_free(d);
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy hồ sơ",
				 "no dossier of yours has this code", NULL);
		return NULL;
	}
	return d;
}

void api_citizen_fees(struct mc_req *r)
{
	struct mc_dossier *d = citizen_dossier(r);

	if (d)
		answer_fees(r, d);
}

/* Answers the VietQR code of 'd' as an image, and frees 'd'. */
static void answer_qr(struct mc_req *r, struct mc_dossier *d, bool png)
{
	struct mc_buf img = MC_BUF_INIT(1 << 20);
	struct mc_err err = MC_ERR_INIT;
	struct mc_vietqr q;
	struct mc_money m;
	char payload[MC_VIETQR_MAX];

	if (mc_payment_due(mc_req_db(r), d->id, &m, &err) ||
	    !payment_of(r, d, mc_money_outstanding(&m, d->status), &q,
			payload, sizeof(payload)) ||
	    (png ? mc_qr_png(payload, 8, &img, &err) :
		   mc_qr_svg(payload, 4, &img, &err))) {
		if (err.code)
			mc_reply_err(r, &err);
		else
			mc_reply_problem(r, 404, "not-found", "Không có khoản "
					 "phải nộp", "nothing to pay for this "
					 "dossier, or no collecting account "
					 "is configured", NULL);
	} else {
		mc_reply_bytes(r, 200, png ? "image/png" : "image/svg+xml",
			       img.buf, img.len);
	}
	mc_buf_release(&img);
	mc_dossier_release(d);
	mc_free(d);
}

void api_dossiers_payment_qr(struct mc_req *r)
{
	struct mc_dossier *d = staff_dossier(r);

	if (d)
		answer_qr(r, d, false);
}

void api_dossiers_payment_qr_png(struct mc_req *r)
{
	struct mc_dossier *d = staff_dossier(r);

	if (d)
		answer_qr(r, d, true);
}

void api_citizen_payment_qr_png(struct mc_req *r)
{
	struct mc_dossier *d = citizen_dossier(r);

	if (d)
		answer_qr(r, d, true);
}

void api_citizen_payment_qr(struct mc_req *r)
{
	struct mc_dossier *d = citizen_dossier(r);

	if (d)
		answer_qr(r, d, false);
}

/* Payments at the counter, and the receipts they give. */

static json_t *payment_json(const struct mc_payment *p)
{
	char words[512];

	return json_pack("{s:s, s:s, s:o, s:o, s:I, s:s, s:s, s:o, s:o}",
		"receipt_no", p->receipt_no, "method", p->method, "platform",
		mc_api_text(p->platform), "transaction_id",
		mc_api_text(p->transaction_id), "amount", (json_int_t)p->amount,
		"amount_words", mc_fee_words(p->amount, words, sizeof(words)),
		"payer", p->payer_name, "recorded_by",
		mc_api_text(p->recorded_by), "paid_at", mc_api_time(p->paid_at));
}

static void payment_item(const struct mc_payment *p, void *arg)
{
	json_array_append_new(arg, payment_json(p));
}

static json_t *request_json(const struct mc_payment_request *q)
{
	return json_pack("{s:s, s:s, s:I, s:s, s:o, s:o}", "reference",
		q->reference, "platform", q->platform, "amount",
		(json_int_t)q->amount, "status", q->status, "last_error",
		mc_api_text(q->last_error), "created_at",
		mc_api_time(q->created_at));
}

static void request_item(const struct mc_payment_request *q, void *arg)
{
	json_array_append_new(arg, request_json(q));
}

static json_t *refund_json(const struct mc_refund *f)
{
	char words[512];

	return json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:o}", "refund_no",
		f->refund_no, "amount", (json_int_t)f->amount, "amount_words",
		mc_fee_words(f->amount, words, sizeof(words)), "method",
		f->method, "reason", f->reason, "recorded_by", f->recorded_by,
		"refunded_at", mc_api_time(f->refunded_at));
}

static void refund_item(const struct mc_refund *f, void *arg)
{
	json_array_append_new(arg, refund_json(f));
}

void api_dossiers_payments(struct mc_req *r)
{
	struct mc_dossier *d = staff_dossier(r);
	struct mc_err err = MC_ERR_INIT;
	json_t *items, *requests, *refunds;

	if (!d)
		return;
	items = json_array();
	requests = json_array();
	refunds = json_array();
	if (mc_payment_list(mc_req_db(r), d->id, payment_item, items,
			    &err) < 0 ||
	    mc_payment_request_list(mc_req_db(r), d->id, request_item,
				    requests, &err) < 0 ||
	    mc_refund_list(mc_req_db(r), d->id, refund_item, refunds,
			   &err) < 0) {
		json_decref(items);
		json_decref(requests);
		json_decref(refunds);
		mc_reply_err(r, &err);
	} else {
		mc_reply_json(r, 200, json_pack("{s:s, s:o, s:o, s:o}", "code",
			d->code, "items", items, "requests", requests,
			"refunds", refunds));
	}
	mc_dossier_release(d);
	mc_free(d);
}

struct pay {
	struct mc_api_write aw;
	struct mc_user actor;
	char code[96], method[16];
	int64_t amount, now;
	const struct mc_notify *notify;
	const struct mc_calendar *cal;
	struct mc_payment out;
};

static int pay_fn(struct mc_conn *c, struct mc_api_write *aw,
		  struct mc_err *err)
{
	struct pay *w = (struct pay *)aw;

	return mc_payment_counter(c, w->cal, w->code, &w->actor, w->method,
				  w->amount, w->notify, w->now, &w->out, err);
}

static void pay_reply(struct mc_req *r, struct mc_api_write *aw)
{
	mc_reply_json(r, 201, payment_json(&((struct pay *)aw)->out));
}

/* POST /api/v1/dossiers/{code}/payments {"method", "amount"} */
void api_dossiers_pay(struct mc_req *r)
{
	static const char *const known[] = { "method", "amount", NULL };
	static const char *const methods[] = { "cash", "card", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct pay *w = mc_calloc(1, sizeof(*w));
	json_t *body;
	int bad = 0;

	if (mc_api_user(r, &w->actor) ||
	    mc_api_require_role(r, &w->actor, 1u << MC_ROLE_COUNTER_OFFICER) ||
	    !(body = mc_api_body(r))) {
		mc_free(w);
		return;
	}
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "method", true, 15, w->method,
			  sizeof(w->method), &err);
	bad |= mc_api_int(body, "", "amount", true, 1, 9999999999999LL, 0,
			  &w->amount, &err);
	json_decref(body);
	if (w->method[0] && !mc_api_one_of(w->method, methods))
		bad |= mc_err_field(&err, "method", "one_of", "cash or card (at "
				    "the counter)");
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	snprintf(w->code, sizeof(w->code), "%s", mc_req_param(r, "code"));
	w->now = mc_api_now(mc_req_app(r));
	w->notify = mc_req_app(r)->notify;
	w->cal = mc_req_app(r)->cal;
	w->aw.fn = pay_fn;
	w->aw.reply = pay_reply;
	mc_api_write_submit(r, &w->aw);
}

/* Payment platforms: the national portal's (dvcqg) and the province's. */

/* The link and key of platform 'name', or false when it is not offered. */
static bool platform_of(const struct mc_app *app, const char *name,
			const char **url, const char **key)
{
	if (!strcmp(name, "dvcqg")) {
		*url = app->cfg.payment_dvcqg_url;
		*key = app->cfg.payment_dvcqg_secret;
	} else if (!strcmp(name, "gateway")) {
		*url = app->cfg.payment_gateway_url;
		*key = app->cfg.payment_gateway_secret;
	} else {
		return false;
	}
	return (*url)[0] && (*key)[0];
}

struct request {
	struct mc_api_write aw;
	char code[96], id_number[24], platform[16];
	int64_t now;
	struct mc_payment_request out;
};

static int request_fn(struct mc_conn *c, struct mc_api_write *aw,
		      struct mc_err *err)
{
	struct request *w = (struct request *)aw;

	return mc_payment_request_open(c, w->code, w->id_number, w->platform,
				       w->now, &w->out, err);
}

/* The request and the signed link that takes the citizen to pay it. */
static void request_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct request *w = (struct request *)aw;
	const char *url = "", *key = "";
	char query[320], sig[MC_PAYSIG_HEX], *link;
	json_t *o = request_json(&w->out);
	size_t n;

	platform_of(mc_req_app(r), w->platform, &url, &key);
	snprintf(query, sizeof(query), "reference=%s&amount=%" PRId64
		 "&timestamp=%" PRId64, w->out.reference, w->out.amount,
		 w->now);
	mc_paysig_link(key, query, sig);
	n = strlen(url) + strlen(query) + sizeof(sig) + 16;
	link = mc_malloc(n);
	snprintf(link, n, "%s%c%s&signature=%s", url, strchr(url, '?') ? '&' :
		 '?', query, sig);
	json_object_set_new(o, "redirect_url", json_string(link));
	mc_free(link);
	mc_reply_json(r, 200, o);
}

/* POST /api/v1/citizen/dossiers/{code}/payment-requests {"platform"} */
void api_citizen_payment_request(struct mc_req *r)
{
	static const char *const known[] = { "platform", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct mc_citizen cz;
	struct request *w;
	const char *url, *key;
	char hash[MC_SHA256_HEX];
	json_t *body;
	int bad = 0;

	if (mc_api_citizen(r, &cz, hash) || !(body = mc_api_body(r)))
		return;
	w = mc_calloc(1, sizeof(*w));
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "platform", true, 15, w->platform,
			  sizeof(w->platform), &err);
	json_decref(body);
	if (w->platform[0] && strcmp(w->platform, "dvcqg") != 0 &&
	    strcmp(w->platform, "gateway") != 0)
		bad |= mc_err_field(&err, "platform", "one_of", "dvcqg (the "
				    "national portal) or gateway (the "
				    "province's)");
	else if (w->platform[0] && !platform_of(mc_req_app(r), w->platform,
						&url, &key))
		bad |= mc_err_field(&err, "platform", "offered", "payment on "
				    "%s is not offered here", w->platform);
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	snprintf(w->code, sizeof(w->code), "%s", mc_req_param(r, "code"));
	snprintf(w->id_number, sizeof(w->id_number), "%s", cz.id_number);
	w->now = mc_api_now(mc_req_app(r));
	w->aw.fn = request_fn;
	w->aw.reply = request_reply;
	mc_api_write_submit(r, &w->aw);
}

struct callback {
	struct mc_api_write aw;
	struct mc_pay_callback cb;
	const struct mc_notify *notify;
	const struct mc_calendar *cal;
	int64_t now;
	int result;			/* enum mc_cb_result */
	struct mc_payment out;
};

static int callback_fn(struct mc_conn *c, struct mc_api_write *aw,
		       struct mc_err *err)
{
	struct callback *w = (struct callback *)aw;
	int rc = mc_payment_callback(c, w->cal, &w->cb, w->notify, w->now,
				     &w->out, err);

	if (rc < 0)
		return rc;
	w->result = rc;
	return 0;
}

static void callback_reply(struct mc_req *r, struct mc_api_write *aw)
{
	static const char *const results[] = { "paid", "duplicate", "failed" };
	struct callback *w = (struct callback *)aw;
	int res = w->result;

	mc_reply_json(r, 200, json_pack("{s:s, s:s, s:o}", "reference",
		w->cb.reference, "result", results[res], "payment",
		res == MC_CB_FAILED ? json_null() : payment_json(&w->out)));
}

/* Whether 'v' is 1..max characters of [A-Za-z0-9_-]. */
static bool token_chars(const char *v, size_t max)
{
	size_t n = v ? strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
			      "qrstuvwxyz0123456789_-") : 0;

	return n && n <= max && !v[n];
}

/*
 * Checks the callback's timestamp, nonce and signature; answers 401 and
 * returns false when one is wrong.
 */
static bool callback_signed(struct mc_req *r, const char *key,
			    struct mc_pay_callback *cb)
{
	const char *ts = mc_req_header_get(r, "x-motcua-timestamp");
	const char *nonce = mc_req_header_get(r, "x-motcua-nonce");
	const char *sig = mc_req_header_get(r, "x-motcua-signature");
	const char *why = NULL, *body;
	char want[MC_PAYSIG_HEX];
	int64_t t = 0, now = mc_api_now(mc_req_app(r));
	int64_t skew = mc_req_app(r)->cfg.payment_callback_skew_ms / 1000;
	size_t len;

	if (!ts || strspn(ts, "0123456789") != strlen(ts) || !ts[0] ||
	    strlen(ts) > 12)
		why = "X-Motcua-Timestamp must be the Unix time in seconds";
	else if (!token_chars(nonce, 64) || strlen(nonce) < 16)
		why = "X-Motcua-Nonce must be 16 to 64 characters of A-Z, a-z, "
		      "0-9, _ and -";
	else if (!sig || strncmp(sig, "sha256=", 7) != 0)
		why = "X-Motcua-Signature must be sha256= and 64 hex digits";
	if (!why) {
		t = strtoll(ts, NULL, 10);
		if (t < now - skew || t > now + skew)
			why = "X-Motcua-Timestamp is too far from now: check "
			      "the platform's clock";
	}
	if (!why) {
		body = mc_req_body(r, &len);
		mc_paysig_callback(key, ts, nonce, body ? body : "", len, want);
		if (!mc_paysig_equal(sig + 7, want))
			why = "X-Motcua-Signature does not match the body";
	}
	if (why) {
		mc_reply_problem(r, 401, "unauthenticated", "Chữ ký không hợp "
				 "lệ", why, NULL);
		return false;
	}
	snprintf(cb->nonce, sizeof(cb->nonce), "%s", nonce);
	cb->nonce_keep_s = 2 * skew;
	return true;
}

/* POST /api/v1/payments/callbacks/{platform}: a platform says what was paid. */
void api_payments_callback(struct mc_req *r)
{
	static const char *const known[] = { "transaction_id", "reference",
		"amount", "status", "paid_at", "payer", "reason", NULL };
	static const char *const statuses[] = { "paid", "failed", NULL };
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	struct callback *w;
	const char *url, *key, *platform = mc_req_param(r, "platform");
	char status[16], at[40];
	json_t *body;
	int bad = 0;

	if (!platform_of(app, platform, &url, &key)) {
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy",
				 "no such payment platform here", NULL);
		return;
	}
	w = mc_calloc(1, sizeof(*w));
	snprintf(w->cb.platform, sizeof(w->cb.platform), "%s", platform);
	if (!callback_signed(r, key, &w->cb) || !(body = mc_api_body(r))) {
		mc_free(w);
		return;
	}
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "transaction_id", true, 64,
			  w->cb.transaction_id, sizeof(w->cb.transaction_id),
			  &err);
	bad |= mc_api_str(body, "", "reference", true, 120, w->cb.reference,
			  sizeof(w->cb.reference), &err);
	bad |= mc_api_int(body, "", "amount", true, 1, 9999999999999LL, 0,
			  &w->cb.amount, &err);
	bad |= mc_api_str(body, "", "status", true, 15, status, sizeof(status),
			  &err);
	bad |= mc_api_str(body, "", "paid_at", false, 35, at, sizeof(at),
			  &err);
	bad |= mc_api_str(body, "", "payer", false, MC_NAME_MAX - 1,
			  w->cb.payer, sizeof(w->cb.payer), &err);
	bad |= mc_api_str(body, "", "reason", false, 250, w->cb.reason,
			  sizeof(w->cb.reason), &err);
	json_decref(body);
	if (status[0] && !mc_api_one_of(status, statuses))
		bad |= mc_err_field(&err, "status", "one_of", "paid or failed");
	w->cb.paid = !strcmp(status, "paid");
	w->cb.paid_at = MC_NO_TIME;
	if (at[0] && mc_instant_parse(at, strlen(at), &w->cb.paid_at, NULL,
				      0))
		bad |= mc_err_field(&err, "paid_at", "format", "an instant with "
				    "its offset, e.g. 2026-03-02T09:00:00+07:00");
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	w->now = mc_api_now(app);
	w->notify = app->notify;
	w->cal = app->cal;
	w->aw.fn = callback_fn;
	w->aw.reply = callback_reply;
	mc_api_write_submit(r, &w->aw);
}

/* Refunds. */

struct refund {
	struct mc_api_write aw;
	struct mc_user actor;
	char code[96], method[16], reason[MC_TEXT_MAX];
	int64_t amount, now;
	struct mc_refund out;
};

static int refund_fn(struct mc_conn *c, struct mc_api_write *aw,
		     struct mc_err *err)
{
	struct refund *w = (struct refund *)aw;

	return mc_refund_record(c, w->code, &w->actor, w->amount, w->method,
				w->reason, w->now, &w->out, err);
}

static void refund_reply(struct mc_req *r, struct mc_api_write *aw)
{
	mc_reply_json(r, 201, refund_json(&((struct refund *)aw)->out));
}

/* POST /api/v1/dossiers/{code}/refunds {"amount", "method", "reason"} */
void api_dossiers_refund(struct mc_req *r)
{
	static const char *const known[] = { "amount", "method", "reason",
					     NULL };
	static const char *const methods[] = { "cash", "transfer", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct refund *w = mc_calloc(1, sizeof(*w));
	json_t *body;
	int bad = 0;

	if (mc_api_user(r, &w->actor) ||
	    mc_api_require_role(r, &w->actor, 1u << MC_ROLE_COUNTER_OFFICER |
				1u << MC_ROLE_LEADER) ||
	    !(body = mc_api_body(r))) {
		mc_free(w);
		return;
	}
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_int(body, "", "amount", true, 1, 9999999999999LL, 0,
			  &w->amount, &err);
	bad |= mc_api_str(body, "", "method", true, 15, w->method,
			  sizeof(w->method), &err);
	bad |= mc_api_str(body, "", "reason", true, 1000, w->reason,
			  sizeof(w->reason), &err);
	json_decref(body);
	if (w->method[0] && !mc_api_one_of(w->method, methods))
		bad |= mc_err_field(&err, "method", "one_of", "cash or "
				    "transfer");
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	snprintf(w->code, sizeof(w->code), "%s", mc_req_param(r, "code"));
	w->now = mc_api_now(mc_req_app(r));
	w->aw.fn = refund_fn;
	w->aw.reply = refund_reply;
	mc_api_write_submit(r, &w->aw);
}

/* Receipts (biên lai): what was paid, for what, by whom, to which unit. */

/*
 * The receipt of payment 'p' of dossier 'd': the unit that issued it,
 * the fee items, the amount in figures and in words.
 */
static json_t *receipt_json(struct mc_req *r, const struct mc_dossier *d,
			    const struct mc_payment *p, struct mc_err *err)
{
	struct fees l = { json_array(), 0 };
	struct mc_unit unit;
	json_t *o;

	if (mc_dossier_fees(mc_req_db(r), d->id, fee_item, &l, err) < 0) {
		json_decref(l.items);
		return NULL;
	}
	if (mc_unit_get_id(mc_req_db(r), d->unit_id, &unit, NULL))
		snprintf(unit.name, sizeof(unit.name), "%s", d->unit_code);
	o = payment_json(p);
	json_object_set_new(o, "title", json_string("BIÊN LAI THU PHÍ, LỆ "
						     "PHÍ"));
	json_object_set_new(o, "unit", json_pack("{s:s, s:s}", "code",
						 d->unit_code, "name",
						 unit.name));
	json_object_set_new(o, "dossier", json_pack("{s:s, s:s, s:s}", "code",
		d->code, "procedure_code", d->procedure_code, "procedure_name",
		d->procedure_name));
	json_object_set_new(o, "payer_id_number",
			    json_string(d->applicant_id));
	json_object_set_new(o, "items", l.items);
	json_object_set_new(o, "currency", json_string("VND"));
	return o;
}

/*
 * Answers the receipt in the path for a reader that 'may' read the
 * dossier it is of (with 'arg'); else 404.
 */
static void answer_receipt(struct mc_req *r,
			   bool (*may)(const struct mc_dossier *d, void *arg),
			   void *arg)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_dossier *d = mc_calloc(1, sizeof(*d));
	struct mc_payment p;
	json_t *o = NULL;

	if (mc_payment_get(mc_req_db(r), mc_req_param(r, "number"), &p,
			   NULL) ||
	    mc_dossier_get(mc_req_db(r), p.dossier_code, d, NULL) ||
	    !may(d, arg)) {
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy biên lai",
				 "no receipt with this number that you may "
				 "read", NULL);
	} else if (!(o = receipt_json(r, d, &p, &err))) {
		mc_reply_err(r, &err);
	} else {
		mc_reply_json(r, 200, o);
	}
	mc_dossier_release(d);
	mc_free(d);
}

static bool staff_may(const struct mc_dossier *d, void *arg)
{
	return mc_dossier_visible(d, arg);
}

static bool citizen_may(const struct mc_dossier *d, void *arg)
{
	return !strcmp(d->applicant_id, arg);
}

/* GET /api/v1/receipts/{number} */
void api_receipts_get(struct mc_req *r)
{
	struct mc_user me;

	if (!mc_api_user(r, &me))
		answer_receipt(r, staff_may, &me);
}

/* GET /api/v1/citizen/receipts/{number} */
void api_citizen_receipt(struct mc_req *r)
{
	struct mc_citizen cz;
	char hash[MC_SHA256_HEX];

	if (!mc_api_citizen(r, &cz, hash))
		answer_receipt(r, citizen_may, cz.id_number);
}

/* Collecting accounts of units. */

static json_t *account_json(const struct mc_unit_account *a)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:o}", "unit_code", a->unit_code,
		"bank_bin", a->bank_bin, "account", a->account, "account_name",
		a->account_name, "updated_at", mc_api_time(a->updated_at));
}

/* GET /api/v1/units/{code}/payment-account: the account its fees go to. */
void api_units_account(struct mc_req *r)
{
	struct mc_unit_account a;
	struct mc_user me;
	struct mc_unit u;

	if (mc_api_user(r, &me))
		return;
	if (mc_unit_get(mc_req_db(r), mc_req_param(r, "code"), &u, NULL) ||
	    mc_unit_account_for(mc_req_db(r), u.path, &a, NULL)) {
		mc_reply_problem(r, 404, "not-found", "Chưa có tài khoản thu",
				 "neither this unit nor one above it has a "
				 "collecting account", NULL);
		return;
	}
	mc_reply_json(r, 200, account_json(&a));
}

struct account_write {
	struct mc_api_write aw;
	struct mc_user actor;
	char code[MC_CODE_MAX];
	struct mc_unit_account a;
	int64_t now;
};

static int account_fn(struct mc_conn *c, struct mc_api_write *aw,
		      struct mc_err *err)
{
	struct account_write *w = (struct account_write *)aw;

	return mc_unit_account_set(c, w->code, &w->actor, &w->a, w->now, err);
}

static void account_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct account_write *w = (struct account_write *)aw;

	snprintf(w->a.unit_code, sizeof(w->a.unit_code), "%s", w->code);
	w->a.updated_at = w->now;
	mc_reply_json(r, 200, account_json(&w->a));
}

/* Whether 's' is 1..max characters all in 'set'. */
static bool all_of(const char *s, size_t max, const char *set)
{
	size_t n = strlen(s);

	return n && n <= max && strspn(s, set) == n;
}

/* PUT /api/v1/units/{code}/payment-account {bank_bin, account, name} */
void api_units_account_set(struct mc_req *r)
{
	static const char *const known[] = { "bank_bin", "account",
					     "account_name", NULL };
	static const char digits[] = "0123456789";
	static const char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"abcdefghijklmnopqrstuvwxyz";
	struct mc_err err = MC_ERR_INIT;
	struct account_write *w = mc_calloc(1, sizeof(*w));
	json_t *body;
	int bad = 0;

	if (mc_api_user(r, &w->actor) ||
	    mc_api_require_role(r, &w->actor, 1u << MC_ROLE_ADMIN) ||
	    !(body = mc_api_body(r))) {
		mc_free(w);
		return;
	}
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "bank_bin", true, 6, w->a.bank_bin,
			  sizeof(w->a.bank_bin), &err);
	bad |= mc_api_str(body, "", "account", true, 19, w->a.account,
			  sizeof(w->a.account), &err);
	bad |= mc_api_str(body, "", "account_name", true, 25,
			  w->a.account_name, sizeof(w->a.account_name), &err);
	json_decref(body);
	if (w->a.bank_bin[0] && (strlen(w->a.bank_bin) != 6 ||
				 !all_of(w->a.bank_bin, 6, digits)))
		bad |= mc_err_field(&err, "bank_bin", "format", "the bank's "
				    "6-digit BIN (NAPAS), e.g. 970436");
	if (w->a.account[0] && !all_of(w->a.account, 19, alnum))
		bad |= mc_err_field(&err, "account", "format", "1 to 19 "
				    "letters or digits");
	if (w->a.account_name[0] && !all_of(w->a.account_name, 25,
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .-"))
		bad |= mc_err_field(&err, "account_name", "format", "as the "
				    "bank has it: capital letters without "
				    "diacritics, digits, spaces, '.' and '-'");
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	snprintf(w->code, sizeof(w->code), "%s", mc_req_param(r, "code"));
	w->now = mc_api_now(mc_req_app(r));
	w->aw.fn = account_fn;
	w->aw.reply = account_reply;
	mc_api_write_submit(r, &w->aw);
}

/* Reconciliation of a platform's statement, over HTTP. */

static void recon_item(enum mc_recon k, const struct mc_txn *st,
		       const struct mc_txn *mc, void *arg)
{
	static const char *const kinds[] = { "matched", "amount_differs",
		"not_in_motcua", "not_in_statement" };
	json_t *o = arg, *it;

	if (k == MC_RECON_MATCHED) {
		json_t *m = json_object_get(o, "matched");

		json_object_set_new(m, "count", json_integer(json_integer_value(
			json_object_get(m, "count")) + 1));
		json_object_set_new(m, "amount", json_integer(json_integer_value(
			json_object_get(m, "amount")) + st->amount));
		return;
	}
	it = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "kind",
		kinds[k], "transaction_id", st ? st->id : mc->id,
		"statement_amount", st ? json_integer(st->amount) : json_null(),
		"motcua_amount", mc ? json_integer(mc->amount) : json_null(),
		"line", st ? json_integer(st->line) : json_null(), "reference",
		st ? json_string(st->text) : json_null(), "receipt_no",
		mc ? json_string(mc->receipt) : json_null(), "dossier_code",
		mc ? json_string(mc->dossier) : json_null());
	json_array_append_new(json_object_get(o, "differences"), it);
}

/*
 * POST /api/v1/payments/reconciliation?platform=&date= with the statement
 * as text/csv: the comparison, as the CLI's.
 */
void api_payments_reconcile(struct mc_req *r)
{
	static const char *const allowed[] = { "platform", "date", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct mc_txns st = { 0 };
	struct mc_user me;
	const char *platform = mc_req_query(r, "platform");
	const char *date = mc_req_query(r, "date");
	const char *ct = mc_req_header_get(r, "content-type");
	const char *body;
	char *text, why[200], d1[16], d2[16];
	int32_t day = 0, first, last;
	int line = 0, diff;
	size_t len;
	json_t *o;

	if (mc_api_user(r, &me) ||
	    mc_api_require_role(r, &me, 1u << MC_ROLE_ADMIN |
				1u << MC_ROLE_LEADER))
		return;
	if (mc_req_query_check(r, allowed, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	if (!platform || (strcmp(platform, "gateway") &&
			  strcmp(platform, "dvcqg") && strcmp(platform, "bank"))) {
		mc_err_field(&err, "platform", "one_of", "gateway, dvcqg or "
			     "bank");
		mc_reply_err(r, &err);
		return;
	}
	if (date && mc_date_parse(date, strlen(date), &day, NULL, 0)) {
		mc_err_field(&err, "date", "format", "a day as YYYY-MM-DD");
		mc_reply_err(r, &err);
		return;
	}
	if (!ct || strncasecmp(ct, "text/csv", 8) != 0) {
		mc_reply_problem(r, 415, "unsupported-media-type", "Định dạng "
				 "dữ liệu không được hỗ trợ", "send the "
				 "statement as text/csv", NULL);
		return;
	}
	body = mc_req_body(r, &len);
	text = mc_malloc(len + 1);
	if (len)
		memcpy(text, body, len);
	text[len] = '\0';
	if (mc_statement_parse(text, len, strcmp(platform, "bank") ?
			       "reference" : "description", &st, &line, why,
			       sizeof(why)) ||
	    mc_statement_days(&st, date != NULL, day, &first, &last, &line,
			      why, sizeof(why))) {
		mc_err_field(&err, "body", "statement", "line %d: %s", line,
			     why);
		mc_reply_err(r, &err);
		goto out;
	}
	o = json_pack("{s:s, s:s, s:s, s:I, s:{s:i, s:I}, s:[]}", "platform",
		platform, "from", mc_date_format(first, d1, sizeof(d1)), "to",
		mc_date_format(last, d2, sizeof(d2)), "statement_count",
		(json_int_t)st.n, "matched", "count", 0, "amount",
		(json_int_t)0, "differences");
	/* Only the payments of dossiers the actor's units received. */
	diff = mc_payment_reconcile(mc_req_db(r), platform, me.unit_path, &st,
		mc_local_day_start(first), mc_local_day_start(last + 1),
		recon_item, o, &err);
	if (diff < 0) {
		json_decref(o);
		mc_reply_err(r, &err);
	} else {
		mc_reply_json(r, 200, o);
	}
out:
	mc_free(text);
	mc_txns_free(&st);
}
