/*
 * ops.h — the figures an operator watches (docs/operations.md
 * "Metrics"): what waits in the outboxes and for how long. Each is read
 * through a partial index of the open rows only, so a scrape costs the
 * same with ten thousand dossiers as with ten million.
 */
#ifndef MC_STORE_OPS_H
#define MC_STORE_OPS_H

#include "core/compat.h"
#include "core/err.h"
#include "store/store.h"

struct mc_ops_stats {
	int64_t messages_waiting;	/* SMS, e-mail, Zalo, webhooks to
					 * hand over (created, sending) */
	int64_t messages_oldest_at;	/* queued, the oldest of them;
					 * MC_NO_TIME when none */
	int64_t portal_waiting;		/* events the national portal has
					 * not taken yet */
	int64_t portal_oldest_at;	/* queued, the oldest; MC_NO_TIME */
};

/* Read: the figures, now. */
int mc_ops_stats(struct mc_conn *c, struct mc_ops_stats *out,
		 struct mc_err *err);

#endif /* MC_STORE_OPS_H */
