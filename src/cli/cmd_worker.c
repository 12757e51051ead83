/*
 * cmd_worker.c — 'motcua worker': the background work of 'motcua serve'
 * (the deadline watch, the delivery of messages) without the HTTP server,
 * for a host that only does background work, or from cron with --once.
 */
#include "core/compat.h"
#include "core/log.h"
#include "cli/cli.h"
#include "files/blobs.h"
#include "jobs/outbox.h"
#include "jobs/portal.h"
#include "jobs/watch.h"
#include "store/store.h"
#include "store/writer.h"

#include <signal.h>

static const char help[] =
	"usage: motcua worker [--once] [--db PATH] [--<key> VALUE]...\n"
	"\n"
	"Runs the background work of 'motcua serve' until SIGTERM or SIGINT:\n"
	"the deadline watch every watch_interval (a due_soon event for each\n"
	"open dossier due within one working day, an overdue event once its\n"
	"due instant has passed), outbox_workers threads delivering the\n"
	"messages to citizens (docs/notifications.md), and with portal_url\n"
	"the sender of dossiers' events to the national portal\n"
	"(docs/national-portal.md). Any number of workers\n"
	"and servers may run on one PostgreSQL database: each warning is\n"
	"recorded once, each message handed over once per attempt.\n"
	"\n"
	"  --once   run the watch once, deliver what is due now, print what\n"
	"           was done, and exit\n";

int mc_cmd_worker(struct mc_app *app, int argc, char **argv, char **envp)
{
	static const struct mc_opt opts[] = {
		{ "once", false, false },
		{ NULL, false, false }
	};
	struct mc_watch_stats st = { 0 };
	struct mc_outbox_stats os = { 0 };
	struct mc_err err = MC_ERR_INIT;
	struct mc_outbox_opts oo;
	struct mc_portal_counts ps = { 0 };
	struct mc_portal_opts po;
	struct mc_watch_opts wo;
	struct mc_conn *c = NULL;
	struct mc_args a;
	sigset_t sigs;
	int rc, sig, status = 1;

	rc = mc_cli_parse("worker", argc, argv, opts, true, &a);
	if (rc)
		return rc;
	if (a.help) {
		fputs(help, stdout);
		return 0;
	}
	if (a.npos)
		return fprintf(stderr, "motcua worker: unexpected argument "
			       "'%s'\n", a.pos[0]), 2;
	rc = mc_cli_config("worker", app, &a, envp);
	if (rc)
		return rc;
	if (getenv("MOTCUA_TEST_CLOCK"))
		snprintf(app->clock_file, sizeof(app->clock_file), "%s",
			 getenv("MOTCUA_TEST_CLOCK"));
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	if (mc_cli_store("worker", app, false, &c))
		return 1;
	mc_conn_close(c);
	if (mc_cli_calendar("worker", app, NULL, 0))
		goto out;
	if (mc_writer_start(app->store, app->cfg.write_batch, &app->writer,
			    &err)) {
		status = mc_cli_fail("worker", &err, 1);
		goto out;
	}
	mc_cli_watch_opts(app, &wo);
	if (mc_cli_outbox_opts(app, &oo, &err)) {
		status = mc_cli_fail("worker", &err, 2);
		goto out;
	}
	/* Dossiers taken in from the portal queue their messages here. */
	mc_cli_notify(app);
	mc_cli_portal_opts(app, &po);
	/* The papers of dossiers filed on the portal are stored here. */
	if (po.url[0] && mc_blob_init(app->cfg.files_dir, &err)) {
		status = mc_cli_fail("worker", &err, 1);
		goto out;
	}
	if (a.nvalues[0]) {
		if (mc_watch_run(&wo, wo.now(wo.now_arg), 0, &st, &err) ||
		    mc_outbox_run(&oo, &os, &err) ||
		    (po.url[0] && mc_portal_run(&po, &ps, &err))) {
			status = mc_cli_fail("worker", &err, 1);
			goto out;
		}
		printf("deadline watch: %" PRId64 " due soon, %" PRId64
		       " overdue\n", st.due_soon, st.overdue);
		printf("housekeeping: %" PRId64 " documents expired, %" PRId64
		       " unfinished uploads removed\n", st.expired_documents,
		       st.expired_uploads);
		printf("messages: %" PRId64 " sent, %" PRId64 " to retry, %"
		       PRId64 " refused\n", os.sent, os.retried, os.refused);
		if (po.url[0])
			printf("national portal: %" PRId64 " events taken, %"
			       PRId64 " to retry, %" PRId64 " refused; %"
			       PRId64 " dossiers taken in, %" PRId64 " not\n",
			       ps.synced, ps.retried, ps.rejected,
			       ps.taken_in, ps.not_taken);
		status = 0;
		goto out;
	}
	if (wo.interval_ms <= 0 && oo.threads <= 0 && !po.url[0]) {
		fprintf(stderr, "motcua worker: watch_interval and "
			"outbox_workers are 0, no portal_url: nothing to "
			"do\n");
		status = 2;
		goto out;
	}
	if (mc_watch_start(&wo, &app->watch, &err) ||
	    mc_outbox_start(&oo, &app->outbox, &err) ||
	    mc_portal_start(&po, &app->portal, &err)) {
		status = mc_cli_fail("worker", &err, 1);
		goto out;
	}
	mc_log_json(&app->log, MC_LOG_INFO, "worker started", json_pack(
		"{s:s, s:I, s:i}", "db", app->cfg.db, "watch_interval_ms",
		(json_int_t)wo.interval_ms, "outbox_workers", oo.threads));
	while (sigwait(&sigs, &sig) != 0)
		;
	status = 0;
out:
	mc_watch_stop(app->watch);
	app->watch = NULL;
	mc_outbox_stop(app->outbox);
	app->outbox = NULL;
	mc_portal_stop(app->portal);
	app->portal = NULL;
	mc_cli_notify_free(app);
	mc_writer_stop(app->writer);
	app->writer = NULL;
	mc_cli_store_close(app, NULL);
	return status;
}
