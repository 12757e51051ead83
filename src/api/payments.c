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

	json_array_append_new(l->items, json_pack("{s:s, s:s, s:I, s:i, s:I}",
		"name", f->name, "kind", f->kind, "base_amount",
		(json_int_t)f->base_amount, "discount_percent",
		f->discount_percent, "amount", (json_int_t)f->amount));
	l->total += f->amount;
}

/* The VietQR payload for paying 'total' of dossier 'code', or 0. */
static int payment_of(const struct mc_app *app, const char *code,
		      int64_t total, struct mc_vietqr *q, char *payload,
		      size_t n)
{
	memset(q, 0, sizeof(*q));
	if (!app->cfg.payment_bank_bin[0] || !app->cfg.payment_account[0] ||
	    total <= 0)
		return 0;
	snprintf(q->bin, sizeof(q->bin), "%s", app->cfg.payment_bank_bin);
	snprintf(q->account, sizeof(q->account), "%s",
		 app->cfg.payment_account);
	snprintf(q->name, sizeof(q->name), "%s",
		 app->cfg.payment_account_name);
	q->amount = total;
	mc_vietqr_purpose(code, q->purpose);
	return mc_vietqr_build(q, payload, n, NULL) == 0;
}

/* The fees of 'd' as JSON, with the payment when there is one. */
static json_t *fees_json(struct mc_req *r, const struct mc_dossier *d,
			 struct mc_err *err)
{
	struct fees l = { json_array(), 0 };
	struct mc_vietqr q;
	char words[512], payload[MC_VIETQR_MAX];
	int64_t total, paid;

	if (mc_dossier_fees(mc_req_db(r), d->id, fee_item, &l, err) < 0) {
		json_decref(l.items);
		return NULL;
	}
	if (mc_payment_due(mc_req_db(r), d->id, &total, &paid, err)) {
		json_decref(l.items);
		return NULL;
	}
	return json_pack("{s:s, s:o, s:I, s:s, s:I, s:I, s:s, s:o}", "code",
		d->code, "items", l.items, "total", (json_int_t)l.total,
		"total_words", mc_fee_words(l.total, words, sizeof(words)),
		"paid", (json_int_t)paid, "outstanding",
		(json_int_t)(l.total - paid), "currency", "VND",
		"payment", payment_of(mc_req_app(r), d->code, l.total - paid,
				      &q, payload, sizeof(payload)) ?
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

void api_citizen_fees(struct mc_req *r)
{
	struct mc_dossier *d;
	struct mc_citizen cz;
	char hash[MC_SHA256_HEX];

	if (mc_api_citizen(r, &cz, hash))
		return;
	d = mc_calloc(1, sizeof(*d));
	if (mc_dossier_get(mc_req_db(r), mc_req_param(r, "code"), d, NULL) ||
	    strcmp(d->applicant_id, cz.id_number) != 0) {
		mc_dossier_release(d);
		mc_free(d);
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy hồ sơ",
				 "no dossier of yours has this code", NULL);
		return;
	}
	answer_fees(r, d);
}

void api_dossiers_payment_qr(struct mc_req *r)
{
	struct mc_dossier *d = staff_dossier(r);
	struct mc_buf svg = MC_BUF_INIT(1 << 20);
	struct fees l;
	struct mc_err err = MC_ERR_INIT;
	struct mc_vietqr q;
	char payload[MC_VIETQR_MAX];

	if (!d)
		return;
	l.items = json_array();
	l.total = 0;
	if (mc_dossier_fees(mc_req_db(r), d->id, fee_item, &l, &err) < 0 ||
	    !payment_of(mc_req_app(r), d->code, l.total, &q, payload,
			sizeof(payload)) ||
	    mc_qr_svg(payload, 4, &svg, &err)) {
		if (err.code)
			mc_reply_err(r, &err);
		else
			mc_reply_problem(r, 404, "not-found", "Không có khoản "
					 "phải nộp", "nothing to pay for this "
					 "dossier, or no collecting account "
					 "is configured", NULL);
	} else {
		mc_reply_bytes(r, 200, "image/svg+xml", svg.buf, svg.len);
	}
	json_decref(l.items);
	mc_buf_release(&svg);
	mc_dossier_release(d);
	mc_free(d);
}

/* Payments at the counter, and the receipts they give. */

static json_t *payment_json(const struct mc_payment *p)
{
	char words[512];

	return json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:o}", "receipt_no",
		p->receipt_no, "method", p->method, "amount",
		(json_int_t)p->amount, "amount_words",
		mc_fee_words(p->amount, words, sizeof(words)), "payer",
		p->payer_name, "recorded_by", p->recorded_by, "paid_at",
		mc_api_time(p->paid_at));
}

static void payment_item(const struct mc_payment *p, void *arg)
{
	json_array_append_new(arg, payment_json(p));
}

void api_dossiers_payments(struct mc_req *r)
{
	struct mc_dossier *d = staff_dossier(r);
	struct mc_err err = MC_ERR_INIT;
	json_t *items;

	if (!d)
		return;
	items = json_array();
	if (mc_payment_list(mc_req_db(r), d->id, payment_item, items,
			    &err) < 0) {
		json_decref(items);
		mc_reply_err(r, &err);
	} else {
		mc_reply_json(r, 200, json_pack("{s:s, s:o}", "code", d->code,
						"items", items));
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
	struct mc_payment out;
};

static int pay_fn(struct mc_conn *c, struct mc_api_write *aw,
		  struct mc_err *err)
{
	struct pay *w = (struct pay *)aw;

	return mc_payment_counter(c, w->code, &w->actor, w->method, w->amount,
				  w->notify, w->now, &w->out, err);
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
	w->aw.fn = pay_fn;
	w->aw.reply = pay_reply;
	mc_api_write_submit(r, &w->aw);
}
