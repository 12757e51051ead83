/*
 * portal.c — the national portal's sync as the staff see it
 * (docs/national-portal.md "Watching it").
 */
#include "core/compat.h"
#include "api/api.h"
#include "api/util.h"
#include "app.h"
#include "jobs/portal.h"
#include "store/portal.h"

/*
 * GET /api/v1/portal/sync: what waits for the portal and since when,
 * failures by cause, dossiers it has not got at all, whether sending is
 * paused, and this process's counts. Administrators and control officers.
 */
void api_portal_sync(struct mc_req *r)
{
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	struct mc_portal_counts pc;
	struct mc_portal_stats st;
	struct mc_user me;
	int64_t now = mc_api_now(app), until;
	json_t *causes, *j, *nt;
	int i;

	if (mc_api_user(r, &me) ||
	    mc_api_require_role(r, &me, 1u << MC_ROLE_ADMIN |
				1u << MC_ROLE_CONTROL_OFFICER))
		return;
	if (mc_portal_stats(mc_req_db(r), &st, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	mc_portal_state(app->portal, &pc, &until);
	causes = json_array();
	for (i = 0; i < st.ncauses; i++)
		json_array_append_new(causes, json_pack("{s:s, s:I}", "cause",
			st.causes[i].cause, "count",
			(json_int_t)st.causes[i].n));
	j = json_pack("{s:b, s:{s:b, s:o}, s:{s:I, s:I, "
		"s:I}, s:o, s:I, s:o, s:I, s:o, s:{s:I, s:I, s:I, s:I}}",
		"configured", app->cfg.portal_url[0] != '\0',
		"paused", "now", until > now, "until",
		until > now ? mc_api_time(until) : json_null(),
		"events", "pending", (json_int_t)st.pending, "rejected",
		(json_int_t)st.rejected, "synced", (json_int_t)st.synced,
		"oldest_pending_at", mc_api_time(st.oldest_pending_at),
		"lag_seconds", (json_int_t)(st.oldest_pending_at == MC_NO_TIME ?
			0 : now - st.oldest_pending_at),
		"last_synced_at", mc_api_time(st.last_synced_at),
		"never_synced", (json_int_t)st.never_synced,
		"failures", causes,
		"this_process", "synced", (json_int_t)pc.synced, "retried",
		(json_int_t)pc.retried, "rejected", (json_int_t)pc.rejected,
		"paused", (json_int_t)pc.opened);
	json_object_set_new(j, "reconciliation", json_pack("{s:o, s:I, s:I, "
		"s:I}", "last_at", mc_api_time(st.checked_at), "drifted",
		(json_int_t)st.drifted, "checked_here", (json_int_t)pc.checked,
		"drifted_here", (json_int_t)pc.drifted));
	nt = json_array();
	for (i = 0; i < st.nnot_taken; i++)
		json_array_append_new(nt, json_pack("{s:s, s:s, s:o}",
			"MaHoSo", st.not_taken[i].code, "error",
			st.not_taken[i].error, "at",
			mc_api_time(st.not_taken[i].at)));
	json_object_set_new(j, "inbound", json_pack("{s:I, s:I, s:I, s:I, "
		"s:o}", "taken", (json_int_t)st.inbound_taken, "failed",
		(json_int_t)st.inbound_failed, "taken_here",
		(json_int_t)pc.taken_in, "failed_here",
		(json_int_t)pc.not_taken, "not_taken", nt));
	mc_reply_json(r, 200, j);
}
