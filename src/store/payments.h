/*
 * payments.h — payments of a dossier's fees as stored (docs/payments.md):
 * what is due and paid; payments at the counter and through the payment
 * platforms, each with its receipt number and the payment-received
 * message in the same transaction; payment requests and the platforms'
 * callbacks (replay refused, idempotent per transaction); refunds.
 */
#ifndef MC_STORE_PAYMENTS_H
#define MC_STORE_PAYMENTS_H

#include "core/compat.h"
#include "core/err.h"
#include "domain/lifecycle.h"
#include "domain/statement.h"
#include "store/catalog.h"
#include "store/dossiers.h"
#include "store/outbox.h"
#include "store/store.h"

struct mc_payment {
	int64_t id;
	char method[16];		/* cash, card, transfer, platform */
	char platform[16];		/* platform: dvcqg, gateway */
	char transaction_id[72];	/* the platform's */
	int64_t amount;
	char receipt_no[64];		/* BL-<unit>-<year>-NNNNNN */
	char payer_name[MC_NAME_MAX];
	char recorded_by[64];
	char dossier_code[MC_DOSSIER_CODE_MAX];
	int64_t paid_at;
};

/* What a dossier owes and was paid. */
struct mc_money {
	int64_t total;			/* assessed at receipt */
	int64_t paid;			/* all payments */
	int64_t refunded;		/* all refunds */
	int online_flag;		/* DuocThanhToanTrucTuyen: 0, 1 paid
					 * on dvcqg, 2 on the gateway */
};

/* What dossier 'id' owes: its assessed total, payments and refunds. */
int mc_payment_due(struct mc_conn *c, int64_t id, struct mc_money *out,
		   struct mc_err *err);
/*
 * What is still to pay: nothing once a dossier ended refused, withdrawn
 * or stopped; else the total less what was paid and kept.
 */
int64_t mc_money_outstanding(const struct mc_money *m, enum mc_status s);
/*
 * What may be paid back: all that was kept once a dossier ended refused,
 * withdrawn or stopped; else what was paid beyond the total.
 */
int64_t mc_money_refundable(const struct mc_money *m, enum mc_status s);

/*
 * Write: records that 'actor' at the counter took the whole outstanding
 * amount of dossier 'code' by 'method' (cash or card). 'amount' must be
 * that amount (rule "outstanding"); MC_ECONFLICT rule "nothing_due" when
 * nothing is. Numbers the receipt in the receiving unit's series for the
 * year and queues the payment-received message; a dossier awaiting
 * payment is received when paid in full (mc_dossier_settle, 'cal').
 * Fills 'out'.
 */
int mc_payment_counter(struct mc_conn *c, const struct mc_calendar *cal,
		       const char *code, const struct mc_user *actor,
		       const char *method,
		       int64_t amount, const struct mc_notify *n, int64_t now,
		       struct mc_payment *out, struct mc_err *err);

/*
 * Write: records payment 'p' (method platform, its platform, transaction,
 * amount and paid_at) that the applicant made on a payment platform
 * before dossier 'code' came to motcua (a dossier filed on the national
 * portal, paid there): numbered and messaged as a callback's payment. A
 * transaction recorded before is MC_ECONFLICT rule "unique" on
 * "transaction_id". Fills the rest of 'p'.
 */
int mc_payment_carried(struct mc_conn *c, const struct mc_calendar *cal,
		       const char *code, const struct mc_notify *n,
		       int64_t now, struct mc_payment *p, struct mc_err *err);

/* The payment with receipt 'receipt_no' and its dossier's code. */
int mc_payment_get(struct mc_conn *c, const char *receipt_no,
		   struct mc_payment *out, struct mc_err *err);

typedef void mc_payment_fn(const struct mc_payment *p, void *arg);
int mc_payment_list(struct mc_conn *c, int64_t dossier_id,
		    mc_payment_fn *fn, void *arg, struct mc_err *err);
/*
 * The payments 'platform' took with paid_at in [from, to), oldest first
 * (for reconciliation), of dossiers received within unit path
 * 'scope_path' (NULL: all); "bank": the transfers taken from the bank's
 * statement. Returns how many, or an error.
 */
int mc_payment_platform_list(struct mc_conn *c, const char *platform,
			     const char *scope_path, int64_t from, int64_t to,
			     mc_payment_fn *fn, void *arg, struct mc_err *err);

/*
 * Compares statement 'st' (sorted by id) of 'platform' with the payments
 * motcua took from it with paid_at in [from, to) for dossiers received
 * within 'scope_path' (NULL: all): 'fn' for each transaction
 * (domain/statement.h). Returns the differences, or an error.
 */
int mc_payment_reconcile(struct mc_conn *c, const char *platform,
			 const char *scope_path, const struct mc_txns *st,
			 int64_t from, int64_t to, mc_recon_fn *fn, void *arg,
			 struct mc_err *err);

/* A request to pay a dossier on a payment platform. */
struct mc_payment_request {
	int64_t id;
	char reference[128];		/* <dossier code>-<n> */
	char platform[16];		/* dvcqg, gateway */
	int64_t amount;
	char status[16];		/* pending, paid, failed */
	char last_error[256];
	char dossier_code[MC_DOSSIER_CODE_MAX];
	int64_t created_at;
};

/*
 * Write: a request for the applicant 'id_number' to pay what dossier
 * 'code' owes on 'platform'. A pending request for the same platform and
 * amount is given again; else a new one. MC_ENOTFOUND when the dossier is
 * not the applicant's; MC_ECONFLICT rule "nothing_due".
 */
int mc_payment_request_open(struct mc_conn *c, const char *code,
			    const char *id_number, const char *platform,
			    int64_t now, struct mc_payment_request *out,
			    struct mc_err *err);
typedef void mc_payment_request_fn(const struct mc_payment_request *q,
				   void *arg);
int mc_payment_request_list(struct mc_conn *c, int64_t dossier_id,
			    mc_payment_request_fn *fn, void *arg,
			    struct mc_err *err);

/* A payment platform's callback, its signature already checked. */
struct mc_pay_callback {
	char platform[16];
	char nonce[72];
	char transaction_id[72];
	char reference[128];
	int64_t amount;
	bool paid;			/* else: failed */
	char reason[256];		/* failed: the platform's reason */
	char payer[MC_NAME_MAX];	/* "": the applicant */
	int64_t paid_at;
	int64_t nonce_keep_s;		/* how long nonces are remembered */
};

enum mc_cb_result { MC_CB_PAID, MC_CB_DUPLICATE, MC_CB_FAILED };

/*
 * Write: takes callback 'cb'. A nonce seen before is refused (MC_ECONFLICT
 * rule "replay"). A transaction taken before is MC_CB_DUPLICATE with its
 * payment in 'out'. The reference must be a request of this platform and
 * a payment must be for its amount (field errors). A payment is recorded
 * with its receipt and the payment-received message (MC_CB_PAID), even
 * when the dossier was paid meanwhile (it is then refundable); a failure
 * marks the request failed (MC_CB_FAILED). As at the counter, a dossier
 * awaiting payment is received when paid in full.
 */
int mc_payment_callback(struct mc_conn *c, const struct mc_calendar *cal,
			const struct mc_pay_callback *cb,
			const struct mc_notify *n, int64_t now,
			struct mc_payment *out, struct mc_err *err);

/* A bank transfer as a bank statement line gives it. */
struct mc_transfer {
	char transaction_id[72];	/* the bank's */
	char code[MC_DOSSIER_CODE_MAX];	/* found in the description */
	int64_t amount, paid_at;
};

enum mc_transfer_result { MC_TR_RECORDED, MC_TR_MATCHES, MC_TR_ALREADY };

/*
 * Write: takes bank transfer 't' as the payment of its dossier: the
 * amount must be what the dossier owes ('*owed' says it; else MC_EINVAL
 * field "amount" rule "outstanding"); MC_ENOTFOUND when no dossier has
 * the code. A transfer recorded before is MC_TR_ALREADY with its payment
 * in 'out'. With 'record' it is recorded as a payment by transfer with
 * its receipt and message, settling a dossier awaiting payment
 * (MC_TR_RECORDED); without, nothing is written (MC_TR_MATCHES).
 */
int mc_payment_transfer(struct mc_conn *c, const struct mc_calendar *cal,
			const struct mc_transfer *t, bool record,
			const struct mc_notify *n, int64_t now, int64_t *owed,
			struct mc_payment *out, struct mc_err *err);

/* Money paid back. */
struct mc_refund {
	int64_t id;
	char refund_no[64];		/* HT-<unit>-<year>-NNNNNN */
	int64_t amount;
	char method[16];		/* cash, transfer */
	char reason[MC_TEXT_MAX];
	char recorded_by[64];
	int64_t refunded_at;
};

/*
 * Write: 'actor' pays back 'amount' of dossier 'code' by 'method'. It may
 * not exceed what is refundable (rule "refundable"); MC_ECONFLICT rule
 * "nothing_to_refund" when nothing is. Numbered in the receiving unit's
 * yearly series. Fills 'out'.
 */
int mc_refund_record(struct mc_conn *c, const char *code,
		     const struct mc_user *actor, int64_t amount,
		     const char *method, const char *reason, int64_t now,
		     struct mc_refund *out, struct mc_err *err);
typedef void mc_refund_fn(const struct mc_refund *f, void *arg);
int mc_refund_list(struct mc_conn *c, int64_t dossier_id, mc_refund_fn *fn,
		   void *arg, struct mc_err *err);

/* The account a unit takes fees into (VietQR). */
struct mc_unit_account {
	char unit_code[MC_CODE_MAX];	/* whose it is */
	char bank_bin[8];
	char account[24];
	char account_name[32];		/* ASCII, as the bank has it */
	int64_t updated_at;
};

/*
 * Write: sets unit 'unit_code''s account, by 'actor' (whose unit must
 * contain it: else MC_ENOTFOUND). Fields are checked by the caller.
 */
int mc_unit_account_set(struct mc_conn *c, const char *unit_code,
			const struct mc_user *actor,
			const struct mc_unit_account *a, int64_t now,
			struct mc_err *err);
/*
 * The account of the unit at 'unit_path' or, failing that, of the
 * nearest unit above it that has one. MC_ENOTFOUND when none has.
 */
int mc_unit_account_for(struct mc_conn *c, const char *unit_path,
			struct mc_unit_account *out, struct mc_err *err);

#endif /* MC_STORE_PAYMENTS_H */
