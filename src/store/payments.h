/*
 * payments.h — payments of a dossier's fees as stored (docs/payments.md):
 * what is due and paid, payments at the counter with their receipt
 * numbers, and the payment-received message in the same transaction.
 */
#ifndef MC_STORE_PAYMENTS_H
#define MC_STORE_PAYMENTS_H

#include "core/compat.h"
#include "core/err.h"
#include "store/catalog.h"
#include "store/outbox.h"
#include "store/store.h"

struct mc_payment {
	int64_t id;
	char method[16];		/* cash, card, transfer, platform */
	int64_t amount;
	char receipt_no[64];		/* BL-<unit>-<year>-NNNNNN */
	char payer_name[MC_NAME_MAX];
	char recorded_by[64];
	int64_t paid_at;
};

/* What dossier 'id' owes: its assessed total and what was paid. */
int mc_payment_due(struct mc_conn *c, int64_t id, int64_t *total,
		   int64_t *paid, struct mc_err *err);

/*
 * Write: records that 'actor' at the counter took the whole outstanding
 * amount of dossier 'code' by 'method' (cash or card). 'amount' must be
 * that amount (rule "outstanding"); MC_ECONFLICT rule "nothing_due" when
 * nothing is. Numbers the receipt in the receiving unit's series for the
 * year and queues the payment-received message. Fills 'out'.
 */
int mc_payment_counter(struct mc_conn *c, const char *code,
		       const struct mc_user *actor, const char *method,
		       int64_t amount, const struct mc_notify *n, int64_t now,
		       struct mc_payment *out, struct mc_err *err);

typedef void mc_payment_fn(const struct mc_payment *p, void *arg);
int mc_payment_list(struct mc_conn *c, int64_t dossier_id,
		    mc_payment_fn *fn, void *arg, struct mc_err *err);

#endif /* MC_STORE_PAYMENTS_H */
