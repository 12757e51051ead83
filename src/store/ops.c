/*
 * ops.c — the figures an operator watches; see ops.h.
 */
#include "core/compat.h"
#include "core/timeutil.h"
#include "store/ops.h"
#include "store/store.h"

int mc_ops_stats(struct mc_conn *c, struct mc_ops_stats *out,
		 struct mc_err *err)
{
	/*
	 * Both through the partial indexes of the open rows (messages_due,
	 * portal_outbox_open): the oldest portal event is the lowest id,
	 * ids being handed out in queue order.
	 */
	static const char sql[] = "SELECT (SELECT COUNT(*) FROM messages "
		"WHERE status IN ('created', 'sending')), (SELECT "
		"MIN(created_at) FROM messages WHERE status IN ('created', "
		"'sending')), (SELECT COUNT(*) FROM portal_outbox WHERE status "
		"IN ('pending', 'sending')), (SELECT created_at FROM "
		"portal_outbox WHERE status IN ('pending', 'sending') ORDER BY "
		"id LIMIT 1)";
	struct mc_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!(s = mc_sql(c, sql, err)))
		return err && err->code ? err->code : MC_EDB;
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : MC_EDB;
	out->messages_waiting = mc_sql_col_int(s, 0);
	out->messages_oldest_at = mc_sql_col_time(s, 1);
	out->portal_waiting = mc_sql_col_int(s, 2);
	out->portal_oldest_at = mc_sql_col_time(s, 3);
	mc_sql_reset(s);
	return 0;
}
