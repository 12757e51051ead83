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

#include <jansson.h>

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
	/*
	 * The sender's state first: what it has counted or paused on, it
	 * wrote before, so the tables read next are at least as new.
	 */
	mc_portal_state(app->portal, &pc, &until);
	if (mc_portal_stats(mc_req_db(r), &st, &err)) {
		mc_reply_err(r, &err);
		return;
	}
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

struct retry_write {
	struct mc_api_write aw;
	char code[96];
	const struct mc_calendar *cal;
	const struct mc_notify *notify;
	const char *files_dir;
	int64_t file_max, timeout_ms;
	const char *portal_url, *file_hosts;	/* borrowed: app->cfg */
	/* A dossier filed on the portal, not taken in: fetched first. */
	char *body;
	struct mc_portal_filed *filed;
	int rc;				/* of the reading and fetching */
	struct mc_err err;
	int events;
	bool taken;
};

static int retry_fn(struct mc_conn *c, struct mc_api_write *aw,
		    struct mc_err *err)
{
	struct retry_write *w = (struct retry_write *)aw;

	return mc_portal_retry(c, w->cal, w->notify, w->code, w->filed,
			       w->body, w->aw.now, &w->events, &w->taken,
			       err);
}

static void retry_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct retry_write *w = (struct retry_write *)aw;

	mc_reply_json(r, 200, json_pack("{s:s, s:i, s:b}", "code", w->code,
		"events", w->events, "taken_in", w->taken));
}

static void retry_release(struct mc_api_write *aw)
{
	struct retry_write *w = (struct retry_write *)aw;

	mc_free(w->body);
	mc_free(w->filed);
}

/*
 * On a worker thread: a dossier of 'code' filed on the portal and not
 * taken in is read and the files of its papers fetched again, before the
 * write takes it in (the portal may be slow: not on the loop, and not
 * in the writer's transaction).
 */
static void retry_fetch(struct mc_conn *db, void *arg)
{
	struct retry_write *w = arg;
	json_t *hoso;

	if ((w->rc = mc_portal_not_taken(db, w->code, &w->body, &w->err)) ||
	    !w->body)
		return;
	hoso = json_loads(w->body, 0, NULL);
	w->filed = mc_calloc(1, sizeof(*w->filed));
	if (!(w->rc = mc_portal_intake_of(hoso, w->filed, &w->err)))
		w->rc = mc_portal_fetch(w->files_dir, w->file_max,
					w->timeout_ms, w->portal_url,
					w->file_hosts, w->filed, &w->err);
	json_decref(hoso);
}

static void retry_fetched(struct mc_req *r, void *arg)
{
	struct retry_write *w = arg;

	if (mc_req_answered(r)) {
		retry_release(&w->aw);
		mc_free(w);
		return;
	}
	if (w->rc == MC_EIO || w->rc == MC_ETIMEOUT) {
		mc_reply_problem(r, w->rc == MC_ETIMEOUT ? 504 : 502,
				 "portal-unavailable", "Cổng Dịch vụ công quốc "
				 "gia chưa trả tệp của hồ sơ; vui lòng thử lại "
				 "sau", w->err.message, NULL);
	} else if (w->rc) {
		mc_reply_err(r, &w->err);
	} else {
		mc_api_write_submit(r, &w->aw);
		return;
	}
	retry_release(&w->aw);
	mc_free(w);
}

/*
 * POST /api/v1/portal/retry {"code"}: once staff have put right what the
 * portal refused, the dossier's refused events go again with the dossier
 * as it now stands; a dossier filed on the portal and not taken in is
 * taken in now, its papers' files fetched again. Administrators and
 * control officers.
 */
void api_portal_retry(struct mc_req *r)
{
	static const char *const known[] = { "code", NULL };
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	struct retry_write *w;
	struct mc_user me;
	json_t *body;
	int bad = 0;

	if (mc_api_user(r, &me) ||
	    mc_api_require_role(r, &me, 1u << MC_ROLE_ADMIN |
				1u << MC_ROLE_CONTROL_OFFICER) ||
	    !(body = mc_api_body(r)))
		return;
	w = mc_calloc(1, sizeof(*w));
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "code", true, sizeof(w->code) - 1,
			  w->code, sizeof(w->code), &err);
	json_decref(body);
	if (bad) {
		mc_reply_err(r, &err);
		mc_free(w);
		return;
	}
	w->cal = app->cal;
	w->notify = app->notify;
	w->files_dir = app->cfg.files_dir;
	w->file_max = (int64_t)app->cfg.upload_max;
	w->timeout_ms = app->cfg.portal_timeout_ms;
	w->portal_url = app->cfg.portal_url;
	w->file_hosts = app->cfg.portal_file_hosts;
	w->aw.fn = retry_fn;
	w->aw.reply = retry_reply;
	w->aw.release = retry_release;
	mc_req_defer(r, retry_fetch, retry_fetched, w);
}
