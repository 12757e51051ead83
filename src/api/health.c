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
#include "store/store.h"
#include "store/writer.h"

#include <stdatomic.h>
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
