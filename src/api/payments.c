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

	if (mc_dossier_fees(mc_req_db(r), d->id, fee_item, &l, err) < 0) {
		json_decref(l.items);
		return NULL;
	}
	return json_pack("{s:s, s:o, s:I, s:s, s:s, s:o}", "code", d->code,
		"items", l.items, "total", (json_int_t)l.total, "total_words",
		mc_fee_words(l.total, words, sizeof(words)), "currency", "VND",
		"payment", payment_of(mc_req_app(r), d->code, l.total, &q,
				      payload, sizeof(payload)) ?
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
