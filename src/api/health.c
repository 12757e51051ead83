/*
 * health.c — /healthz (the process answers), /readyz (it can serve: the
 * database answers) and /metrics (Prometheus text format).
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "api/api.h"
#include "app.h"
#include "http/server.h"
#include "jobs/outbox.h"
#include "jobs/portal.h"
#include "jobs/watch.h"
#include "store/ops.h"
#include "store/store.h"
#include "store/writer.h"

#include <stdatomic.h>
#include <sys/statvfs.h>
#include <unistd.h>

void api_healthz(struct mc_req *r)
{
	mc_reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

void api_readyz(struct mc_req *r)
{
	/* Ready when the primary, which takes the writes, answers. */
	struct mc_conn *db = mc_req_db_primary(r);
	struct mc_err err = MC_ERR_INIT;

	if (!db || mc_conn_ping(db, &err)) {
		/* The cause goes to the log, not to anonymous clients. */
		mc_req_log(r, MC_LOG_ERROR, "not ready", json_pack("{s:s}",
			   "error", db ? err.message : "no database"));
		mc_reply_problem(r, 503, "not-ready", "Hệ thống chưa sẵn sàng",
				 "the database does not answer", NULL);
		return;
	}
	mc_reply_json(r, 200, json_pack("{s:s, s:s}", "status", "ready",
					"database", mc_store_backend(
						mc_conn_store(db))));
}

/* Resident set size in bytes, from /proc/self/statm. */
static uint64_t rss_bytes(void)
{
	unsigned long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

/* Seconds since 't' (0 when MC_NO_TIME: nothing waits). */
static int64_t age(int64_t t, int64_t now)
{
	return t == MC_NO_TIME || t > now ? 0 : now - t;
}

/*
 * Free space where the SQLite database and the stored files live: a full
 * disk refuses every write (503 "storage").
 */
static int disk_metrics(struct mc_app *app, struct mc_buf *b)
{
	const char *paths[2] = { NULL, app->cfg.files_dir };
	const char *names[2] = { "db", "files" };
	char dir[512];
	int rc = 0, i;

	if (strncmp(app->cfg.db, "postgres", 8)) {
		char *slash;

		snprintf(dir, sizeof(dir), "%s", app->cfg.db);
		slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		paths[0] = slash ? (dir[0] ? dir : "/") : ".";
	}
	rc |= mc_buf_adds(b,
		"# HELP motcua_disk_free_bytes Free space for motcua's data.\n"
		"# TYPE motcua_disk_free_bytes gauge\n"
		"# HELP motcua_disk_free_ratio Free share of that disk.\n"
		"# TYPE motcua_disk_free_ratio gauge\n");
	for (i = 0; i < 2; i++) {
		struct statvfs v;

		if (!paths[i] || !paths[i][0] || statvfs(paths[i], &v) ||
		    !v.f_blocks)
			continue;
		rc |= mc_buf_printf(b,
			"motcua_disk_free_bytes{path=\"%s\"} %" PRIu64 "\n"
			"motcua_disk_free_ratio{path=\"%s\"} %.4f\n",
			names[i], (uint64_t)v.f_bavail * v.f_frsize,
			names[i], (double)v.f_bavail / (double)v.f_blocks);
	}
	return rc;
}

/*
 * What waits and the background work (docs/operations.md "Metrics"):
 * the outboxes' depths and oldest ages, the deadline watch, the portal's
 * sender, the backups. The alert rules (packaging/motcua-alerts.yml)
 * are written against these names.
 */
static int jobs_metrics(struct mc_req *r, struct mc_app *app,
			struct mc_buf *b)
{
	struct mc_conn *db = mc_req_db(r);
	struct mc_ops_stats os;
	struct mc_watch_stats ws;
	struct mc_err err = MC_ERR_INIT;
	int64_t now = mc_time_now_ms() / 1000;
	int rc = 0;

	if (db && mc_ops_stats(db, &os, &err) == 0)
		rc |= mc_buf_printf(b,
			"# HELP motcua_outbox_messages Messages (SMS, e-mail, "
			"Zalo, webhooks) not yet handed over.\n"
			"# TYPE motcua_outbox_messages gauge\n"
			"motcua_outbox_messages %" PRId64 "\n"
			"# HELP motcua_outbox_oldest_seconds Age of the oldest "
			"of them.\n"
			"# TYPE motcua_outbox_oldest_seconds gauge\n"
			"motcua_outbox_oldest_seconds %" PRId64 "\n"
			"# HELP motcua_portal_events Events the national "
			"portal has not taken yet.\n"
			"# TYPE motcua_portal_events gauge\n"
			"motcua_portal_events %" PRId64 "\n"
			"# HELP motcua_portal_lag_seconds Age of the oldest of "
			"them: how far the portal is behind.\n"
			"# TYPE motcua_portal_lag_seconds gauge\n"
			"motcua_portal_lag_seconds %" PRId64 "\n",
			os.messages_waiting, age(os.messages_oldest_at, now),
			os.portal_waiting, age(os.portal_oldest_at, now));
	else
		mc_req_log(r, MC_LOG_WARN, "metrics: outboxes not read",
			   json_pack("{s:s}", "error", db ? err.message :
				     "no database"));
	if (app->watch) {
		mc_watch_stats(app->watch, &ws);
		rc |= mc_buf_printf(b,
			"# HELP motcua_watch_runs_total Whole runs of the "
			"deadline watch.\n"
			"# TYPE motcua_watch_runs_total counter\n"
			"motcua_watch_runs_total %" PRId64 "\n"
			"# HELP motcua_watch_failures_total Runs that failed.\n"
			"# TYPE motcua_watch_failures_total counter\n"
			"motcua_watch_failures_total %" PRId64 "\n"
			"# HELP motcua_watch_last_run_timestamp_seconds End of "
			"the last whole run, Unix seconds.\n"
			"# TYPE motcua_watch_last_run_timestamp_seconds gauge\n"
			"motcua_watch_last_run_timestamp_seconds %" PRId64 "\n"
			"# HELP motcua_watch_warnings_total Due-soon and overdue "
			"warnings recorded.\n"
			"# TYPE motcua_watch_warnings_total counter\n"
			"motcua_watch_warnings_total{kind=\"due_soon\"} %"
			PRId64 "\n"
			"motcua_watch_warnings_total{kind=\"overdue\"} %"
			PRId64 "\n",
			ws.runs, ws.failures, ws.last_run_at, ws.due_soon,
			ws.overdue);
	}
	if (app->outbox) {
		struct mc_outbox_stats st;

		mc_outbox_stats(app->outbox, &st);
		rc |= mc_buf_printf(b,
			"# HELP motcua_outbox_attempts_total Hand-overs of "
			"messages, by outcome.\n"
			"# TYPE motcua_outbox_attempts_total counter\n"
			"motcua_outbox_attempts_total{outcome=\"sent\"} %"
			PRId64 "\n"
			"motcua_outbox_attempts_total{outcome=\"retried\"} %"
			PRId64 "\n"
			"motcua_outbox_attempts_total{outcome=\"refused\"} %"
			PRId64 "\n", st.sent, st.retried, st.refused);
	}
	if (app->portal) {
		struct mc_portal_counts pc;
		int64_t open_until;

		mc_portal_state(app->portal, &pc, &open_until);
		rc |= mc_buf_printf(b,
			"# HELP motcua_portal_sent_total Events sent to the "
			"national portal, by outcome.\n"
			"# TYPE motcua_portal_sent_total counter\n"
			"motcua_portal_sent_total{outcome=\"synced\"} %" PRId64
			"\n"
			"motcua_portal_sent_total{outcome=\"retried\"} %"
			PRId64 "\n"
			"motcua_portal_sent_total{outcome=\"rejected\"} %"
			PRId64 "\n"
			"# HELP motcua_portal_paused Whether sending is paused "
			"(the portal is down: circuit open).\n"
			"# TYPE motcua_portal_paused gauge\n"
			"motcua_portal_paused %d\n"
			"# HELP motcua_portal_drifted_total Dossiers the "
			"reconciliation found different on the portal.\n"
			"# TYPE motcua_portal_drifted_total counter\n"
			"motcua_portal_drifted_total %" PRId64 "\n"
			"# HELP motcua_portal_inbound_failed_total Dossiers "
			"filed on the portal not taken in.\n"
			"# TYPE motcua_portal_inbound_failed_total counter\n"
			"motcua_portal_inbound_failed_total %" PRId64 "\n",
			pc.synced, pc.retried, pc.rejected, open_until > 0,
			pc.drifted, pc.not_taken);
	}
	rc |= disk_metrics(app, b);
	if (app->cfg.backup_dir[0])
		rc |= mc_buf_printf(b,
			"# HELP motcua_backups_total Scheduled backups made.\n"
			"# TYPE motcua_backups_total counter\n"
			"motcua_backups_total %" PRId64 "\n"
			"# HELP motcua_backup_failures_total Scheduled backups "
			"that failed.\n"
			"# TYPE motcua_backup_failures_total counter\n"
			"motcua_backup_failures_total %" PRId64 "\n"
			"# HELP motcua_backup_last_success_timestamp_seconds "
			"When the last one was made, Unix seconds (0: none "
			"by this process).\n"
			"# TYPE motcua_backup_last_success_timestamp_seconds "
			"gauge\n"
			"motcua_backup_last_success_timestamp_seconds %" PRId64
			"\n"
			"# HELP motcua_backup_last_duration_seconds How long "
			"it took.\n"
			"# TYPE motcua_backup_last_duration_seconds gauge\n"
			"motcua_backup_last_duration_seconds %.3f\n",
			atomic_load(&app->backup_made),
			atomic_load(&app->backup_failures),
			atomic_load(&app->backup_last_at),
			(double)atomic_load(&app->backup_last_ms) / 1000);
	return rc;
}

void api_metrics(struct mc_req *r)
{
	struct mc_app *app = mc_req_app(r);
	struct mc_buf b = MC_BUF_INIT(4 << 20);
	int rc = 0;

	/* Not app->server: a request may come before main() has set it. */
	rc |= mc_server_metrics(mc_req_server(r), &b);
	if (app->store) {
		rc |= mc_buf_printf(&b,
			"# HELP motcua_db_seconds_total Time spent in "
			"database calls.\n"
			"# TYPE motcua_db_seconds_total counter\n"
			"motcua_db_seconds_total %.6f\n"
			"# HELP motcua_db_calls_total Database calls.\n"
			"# TYPE motcua_db_calls_total counter\n"
			"motcua_db_calls_total %" PRIu64 "\n",
			(double)atomic_load(&app->store->db_ns) / 1e9,
			atomic_load(&app->store->db_calls));
	}
	if (app->writer) {
		struct mc_writer_stats ws;

		mc_writer_stats(app->writer, &ws);
		rc |= mc_buf_printf(&b,
			"# HELP motcua_writes_total Writes done by the writer.\n"
			"# TYPE motcua_writes_total counter\n"
			"motcua_writes_total %" PRIu64 "\n"
			"# HELP motcua_write_batches_total Group commits.\n"
			"# TYPE motcua_write_batches_total counter\n"
			"motcua_write_batches_total %" PRIu64 "\n"
			"# HELP motcua_writes_failed_total Writes that failed.\n"
			"# TYPE motcua_writes_failed_total counter\n"
			"motcua_writes_failed_total %" PRIu64 "\n"
			"# HELP motcua_writes_queued Writes waiting now.\n"
			"# TYPE motcua_writes_queued gauge\n"
			"motcua_writes_queued %" PRIu64 "\n",
			ws.writes, ws.batches, ws.failed, ws.queued);
	}
	rc |= jobs_metrics(r, app, &b);
	rc |= mc_buf_printf(&b,
		"# HELP motcua_process_resident_memory_bytes Resident memory.\n"
		"# TYPE motcua_process_resident_memory_bytes gauge\n"
		"motcua_process_resident_memory_bytes %" PRIu64 "\n"
		"# HELP motcua_process_start_time_seconds Start time, Unix "
		"seconds.\n"
		"# TYPE motcua_process_start_time_seconds gauge\n"
		"motcua_process_start_time_seconds %" PRId64 "\n"
		"# HELP motcua_build_info Version of this motcua.\n"
		"# TYPE motcua_build_info gauge\n"
		"motcua_build_info{version=\"%s\"} 1\n",
		rss_bytes(), app->started_ms / 1000, MC_VERSION);
	if (rc) {
		struct mc_err err = MC_ERR_INIT;

		mc_error(&err, MC_EINTERNAL, "metrics larger than 4 MiB");
		mc_reply_err(r, &err);
	} else {
		mc_reply_bytes(r, 200, "text/plain; version=0.0.4; "
			       "charset=utf-8", b.buf, b.len);
	}
	mc_buf_release(&b);
}
