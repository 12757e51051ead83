/*
 * cmd_serve.c — 'motcua serve': opens the database (which must be
 * migrated), builds the working calendar, starts the writer, the worker
 * threads, the deadline watch and the event loops, and serves until
 * SIGTERM or SIGINT; then stops in order so that nothing acknowledged is
 * lost: the loops finish their requests, the workers their jobs, the
 * watch its batch, the writer its queue.
 */
#include "core/compat.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/net.h"
#include "core/parse.h"
#include "core/ratelimit.h"
#include "core/timeutil.h"
#include "api/api.h"
#include "api/reports.h"
#include "api/util.h"
#include "cli/cli.h"
#include "files/blobs.h"
#include "files/certify.h"
#include "domain/calendar.h"
#include "http/jobs.h"
#include "http/server.h"
#include "jobs/outbox.h"
#include "jobs/portal.h"
#include "jobs/oidc.h"
#include "jobs/registry.h"
#include "jobs/watch.h"
#include "store/outbox.h"
#include "store/store.h"
#include "store/writer.h"

#include <signal.h>
#include <sodium.h>
#include <unistd.h>

static const char help[] =
	"usage: motcua serve [--db PATH] [--listen HOST:PORT] [--config FILE]\n"
	"                    [--<key> VALUE]...\n"
	"\n"
	"Serves the HTTP API under /api/v1, /healthz, /readyz, /metrics and the\n"
	"web application from web_root. Stops gracefully on SIGTERM or SIGINT.\n"
	"The database must exist and be migrated ('motcua migrate').\n"
	"\n"
	"Every configuration key can be given as a flag (--key VALUE); the\n"
	"keys, with their defaults:\n";

static void print_help(void)
{
	const char *name, *def, *text;
	size_t i;

	fputs(help, stdout);
	for (i = 0; mc_config_key_doc(i, &name, &def, &text); i++)
		printf("  --%-18s %s (default: %s)\n", name, text,
		       *def ? def : "none");
}

/* The store as src/http sees it: a way to open per-thread connections. */
static int db_connect(void *arg, struct mc_conn **out, struct mc_err *err)
{
	return mc_store_connect(((struct mc_app *)arg)->store, out, err);
}

/*
 * A loop's read snapshot lives until the writer commits or 100 ms pass:
 * readers see this process's writes at once (read-your-writes), another
 * process's (motcua user add, a restore) within 100 ms, and take the
 * database's locks once per snapshot rather than per statement.
 */
#define SNAPSHOT_MAX_AGE_MS 100

static void db_read_begin(void *arg, struct mc_conn *c)
{
	struct mc_app *app = arg;

	mc_conn_snapshot(c, mc_writer_commits(app->writer), mc_time_mono_ns() /
			 1000000, SNAPSHOT_MAX_AGE_MS);
}

static void db_read_idle(void *arg, struct mc_conn *c)
{
	(void)arg;
	mc_conn_snapshot_idle(c, mc_time_mono_ns() / 1000000,
			      SNAPSHOT_MAX_AGE_MS);
}

static int replica_connect(void *arg, struct mc_conn **out,
			   struct mc_err *err)
{
	return mc_store_connect(((struct mc_app *)arg)->replica, out, err);
}

/*
 * Whether the replica may serve reads: in recovery and no further behind
 * than replica_max_lag.
 */
static int replica_state(void *arg, struct mc_conn *c)
{
	struct mc_app *app = arg;
	int64_t lag = mc_conn_replica_lag_ms(c);

	if (lag < -1)
		return MC_REPLICA_BROKEN;
	if (lag < 0 || lag > app->cfg.replica_max_lag_ms)
		return MC_REPLICA_STALE;
	return MC_REPLICA_FRESH;
}

static uint64_t db_busy_ns(const struct mc_conn *c)
{
	return mc_conn_db_ns(c);
}

static int64_t app_now(void *arg)
{
	return mc_api_now(arg);
}

void mc_cli_watch_opts(struct mc_app *app, struct mc_watch_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->writer = app->writer;
	o->cal = app->cal;
	o->log = &app->log;
	o->interval_ms = app->cfg.watch_interval_ms;
	o->idempotency_ttl_s = app->cfg.idempotency_ttl_ms / 1000;
	o->batch = app->cfg.watch_batch;
	o->files_dir = app->cfg.files_dir;
	o->now = app_now;
	o->now_arg = app;
}

void mc_cli_notify(struct mc_app *app)
{
	struct mc_notify *n;

	mc_cli_notify_free(app);
	/* Webhooks need no channel configured: always a notify. */
	n = mc_calloc(1, sizeof(*n));
	n->channel[MC_MSG_SMS] = app->cfg.sms_url[0] != '\0';
	n->channel[MC_MSG_EMAIL] = app->cfg.smtp_url[0] != '\0';
	/* Zalo beside SMS: its fallback. */
	n->channel[MC_MSG_ZALO] = app->cfg.zalo_url[0] != '\0' &&
				  app->cfg.sms_url[0] != '\0';
	snprintf(n->public_url, sizeof(n->public_url), "%s",
		 app->cfg.public_url);
	n->window_s = app->cfg.message_window_ms / 1000;
	n->portal = app->cfg.portal_url[0] != '\0';
	app->notify = n;
}

void mc_cli_notify_free(struct mc_app *app)
{
	mc_free(app->notify);
	app->notify = NULL;
}

int mc_cli_outbox_opts(struct mc_app *app, struct mc_outbox_opts *o,
		       struct mc_err *err)
{
	memset(o, 0, sizeof(*o));
	o->writer = app->writer;
	o->log = &app->log;
	o->threads = app->cfg.outbox_workers;
	o->batch = app->cfg.outbox_batch;
	o->poll_ms = app->cfg.outbox_poll_ms;
	o->lease_s = (app->cfg.outbox_lease_ms + 999) / 1000;
	o->retry_min_s = (app->cfg.outbox_retry_min_ms + 999) / 1000;
	o->retry_max_s = (app->cfg.outbox_retry_max_ms + 999) / 1000;
	o->sms.url = app->cfg.sms_url;
	o->sms.token = app->cfg.sms_token;
	o->sms.sender = app->cfg.sms_sender;
	o->sms.timeout_ms = app->cfg.sms_timeout_ms;
	o->mail.url = app->cfg.smtp_url;
	o->mail.user = app->cfg.smtp_user;
	o->mail.password = app->cfg.smtp_password;
	o->mail.from = app->cfg.mail_from;
	o->mail.from_name = app->cfg.mail_from_name;
	o->mail.timeout_ms = app->cfg.smtp_timeout_ms;
	o->zalo.url = app->cfg.zalo_url;
	o->zalo.token = app->cfg.zalo_access_token;
	o->zalo.timeout_ms = app->cfg.zalo_timeout_ms;
	o->zalo_attempts = app->cfg.zalo_attempts;
	o->window_s = app->cfg.message_window_ms / 1000;
	o->per_recipient_hour = app->cfg.message_recipient_hour;
	o->rate_per_s = app->cfg.message_rate;
	o->webhook_allow = app->cfg.webhook_allow;
	o->now = app_now;
	o->now_arg = app;
	{
		size_t n;

		if (mc_nets_parse(app->cfg.webhook_allow, "webhook_allow",
				  NULL, 0, &n, err))
			return MC_EINVAL;
	}
	return mc_parse_hours("sms_quiet_hours", app->cfg.sms_quiet_hours,
			      &o->quiet_start, &o->quiet_end, err);
}

void mc_cli_portal_opts(struct mc_app *app, struct mc_portal_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->writer = app->writer;
	o->log = &app->log;
	o->url = app->cfg.portal_url;
	o->client_id = app->cfg.portal_client_id;
	o->client_secret = app->cfg.portal_client_secret;
	o->path_token = app->cfg.portal_path_token;
	o->path_create = app->cfg.portal_path_create;
	o->path_update = app->cfg.portal_path_update;
	o->path_steps = app->cfg.portal_path_steps;
	o->path_lookup = app->cfg.portal_path_lookup;
	o->path_filed = app->cfg.portal_path_filed;
	o->timeout_ms = app->cfg.portal_timeout_ms;
	o->batch = app->cfg.outbox_batch;
	o->poll_ms = app->cfg.outbox_poll_ms;
	/*
	 * Long enough for a whole batch to be sent, three requests an
	 * event at most, each up to portal_timeout: a lease that ends
	 * while its sender still works would let another send it too.
	 */
	o->lease_s = (app->cfg.outbox_lease_ms + 999) / 1000;
	if (o->lease_s < o->batch * 3 * (app->cfg.portal_timeout_ms + 999) /
	    1000 + 60)
		o->lease_s = o->batch * 3 * (app->cfg.portal_timeout_ms +
					     999) / 1000 + 60;
	o->retry_min_s = (app->cfg.portal_retry_min_ms + 999) / 1000;
	o->retry_max_s = (app->cfg.portal_retry_max_ms + 999) / 1000;
	o->breaker_failures = app->cfg.portal_breaker_failures;
	o->breaker_min_s = (app->cfg.portal_breaker_pause_ms + 999) / 1000;
	o->breaker_max_s = (app->cfg.portal_breaker_max_ms + 999) / 1000;
	o->inbound_every_s = (app->cfg.portal_inbound_ms + 999) / 1000;
	o->cal = app->cal;
	o->notify = app->notify;
	o->reconcile_every_s = (app->cfg.portal_reconcile_ms + 999) / 1000;
	o->reconcile_days = app->cfg.portal_reconcile_days;
	o->files_dir = app->cfg.files_dir;
	o->file_max = app->cfg.upload_max;
	o->file_hosts = app->cfg.portal_file_hosts;
	o->now = app_now;
	o->now_arg = app;
}

static int cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

int mc_cmd_serve(struct mc_app *app, int argc, char **argv, char **envp)
{
	struct mc_server_opts so;
	struct mc_watch_opts wo;
	struct mc_backups *backups = NULL;
	char db_shown[512], replica_shown[512];
	struct mc_outbox_opts oo;
	struct mc_portal_opts po;
	struct mc_db_hooks hooks;
	struct mc_store_opts sto;
	struct mc_migrate_status ms;
	struct mc_err err = MC_ERR_INIT;
	struct mc_conn *c = NULL;
	struct mc_args a;
	sigset_t sigs;
	char url[200];
	int rc, sig = 0, status = 1, threads, workers, lanes;

	rc = mc_cli_parse("serve", argc, argv, NULL, true, &a);
	if (rc)
		return rc;
	if (a.help) {
		print_help();
		return 0;
	}
	if (a.npos)
		return fprintf(stderr, "motcua serve: unexpected argument '%s'\n",
			       a.pos[0]), 2;
	rc = mc_cli_config("serve", app, &a, envp);
	if (rc)
		return rc;
	app->started_ms = mc_time_now_ms();
	if (getenv("MOTCUA_TEST_CLOCK"))
		snprintf(app->clock_file, sizeof(app->clock_file), "%s",
			 getenv("MOTCUA_TEST_CLOCK"));

	/* Signals are taken by sigwait() below, in this thread only. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* A file size limit reached is a failed write (EFBIG: 503 and the
	 * write rolled back), not the end of the process. */
	signal(SIGXFSZ, SIG_IGN);

	memset(&sto, 0, sizeof(sto));
	sto.url = app->cfg.db;
	sto.durability = app->cfg.durability;
	sto.busy_timeout_ms = app->cfg.busy_timeout_ms;
	rc = mc_store_open(&sto, &app->store, &err);
	if (!rc)
		rc = mc_store_connect(app->store, &c, &err);
	if (!rc)
		rc = mc_migrate_check(c, &ms, &err);
	mc_conn_close(c);
	c = NULL;
	if (!rc && app->cfg.db_replica[0]) {
		sto.url = app->cfg.db_replica;
		rc = mc_store_open(&sto, &app->replica, &err);
		if (!rc && !mc_store_has_replicas(app->replica))
			rc = mc_error(&err, MC_EINVAL, "db_replica: the %s "
				      "backend has no read replicas; give a "
				      "PostgreSQL replica of a PostgreSQL db",
				      mc_store_backend(app->replica));
		if (!rc && strcmp(mc_store_backend(app->store),
				  mc_store_backend(app->replica)) != 0)
			rc = mc_error(&err, MC_EINVAL, "db_replica: a %s "
				      "replica of a %s db",
				      mc_store_backend(app->replica),
				      mc_store_backend(app->store));
	}
	if (rc) {
		status = mc_cli_fail("serve", &err, 1);
		goto out;
	}
	if (ms.pending) {
		mc_config_redact(app->cfg.db, db_shown, sizeof(db_shown));
		fprintf(stderr, "motcua serve: database %s needs %d migration%s: "
			"run 'motcua migrate --db %s'\n", db_shown,
			ms.pending, ms.pending > 1 ? "s" : "", db_shown);
		goto out;
	}
	if (mc_cli_calendar("serve", app, NULL, 0))
		goto out;
	/* A province's template found broken now, not at the first report. */
	if (app->cfg.report_template[0] &&
	    mc_sum_template_check(app->cfg.report_template, &err)) {
		char text[1024];

		fprintf(stderr, "motcua serve: report_template %s: %s\n",
			app->cfg.report_template,
			mc_err_text(&err, text, sizeof(text)));
		status = 1;
		goto out;
	}

	threads = app->cfg.threads ? app->cfg.threads : cores();
	workers = app->cfg.workers ? app->cfg.workers :
		  (2 * cores() > 4 ? 2 * cores() : 4);
	hooks.arg = app;
	hooks.connect = db_connect;
	hooks.close = mc_conn_close;
	hooks.busy_ns = db_busy_ns;
	hooks.read_begin = db_read_begin;
	hooks.read_idle = db_read_idle;
	hooks.connect_replica = app->replica ? replica_connect : NULL;
	hooks.replica_state = replica_state;
	if (mc_api_password_hash(&app->cfg, "motcua: no one's password",
				 app->password_dummy,
				 sizeof(app->password_dummy), &err)) {
		status = mc_cli_fail("serve", &err, 1);
		goto out;
	}
	app->lookup_limit = mc_ratelimit_new(16384,
					     app->cfg.lookup_max_failures,
					     app->cfg.lookup_window_ms);
	app->lookup_code_limit = mc_ratelimit_new(16384,
						  app->cfg.lookup_max_per_code,
						  app->cfg.lookup_window_ms);
	app->citizen_limit = mc_ratelimit_new(16384,
					      app->cfg.otp_max_per_address,
					      app->cfg.otp_window_ms);
	app->login_limit = mc_ratelimit_new(16384,
					    app->cfg.login_max_per_address,
					    app->cfg.login_window_ms);
	app->scan_key = mc_calloc(1, sizeof(*app->scan_key));
	if (mc_blob_init(app->cfg.files_dir, &err) ||
	    mc_certify_key_load(app->cfg.files_dir, app->scan_key, &err)) {
		status = mc_cli_fail("serve", &err, 1);
		goto out;
	}
	lanes = app->cfg.writers ? app->cfg.writers :
		mc_store_concurrent_writers(app->store) ? 8 : 1;
	if (mc_writer_start_lanes(app->store, app->cfg.write_batch, lanes,
				  &app->writer, &err) ||
	    mc_jobs_start(&hooks, workers, &app->jobs, &err)) {
		status = mc_cli_fail("serve", &err, 1);
		goto out;
	}
	mc_cli_watch_opts(app, &wo);
	mc_cli_notify(app);
	mc_cli_portal_opts(app, &po);
	{
		struct mc_registry_opts ro = {
			.url = app->cfg.registry_population_url,
			.token = app->cfg.registry_population_token,
			.business_url = app->cfg.registry_business_url,
			.business_token = app->cfg.registry_business_token,
			.timeout_ms = app->cfg.registry_timeout_ms,
			.cache_s = app->cfg.registry_cache_ms / 1000,
			.cache_max = 4096,
			.now = app_now,
			.now_arg = app,
		};

		app->registry = mc_registry_new(&ro);
	}
	if (app->cfg.oidc_issuer[0]) {
		struct mc_oidc_opts op = {
			.issuer = app->cfg.oidc_issuer,
			.client_id = app->cfg.oidc_client_id,
			.client_secret = app->cfg.oidc_client_secret,
			.redirect_uri = app->cfg.oidc_redirect_uri,
			.scopes = app->cfg.oidc_scopes,
			.acr_values = app->cfg.oidc_acr_values,
			.claim_id = app->cfg.oidc_claim_id,
			.claim_name = app->cfg.oidc_claim_name,
			.timeout_ms = app->cfg.oidc_timeout_ms,
		};

		if (!app->cfg.oidc_redirect_uri[0])
			snprintf(app->cfg.oidc_redirect_uri,
				 sizeof(app->cfg.oidc_redirect_uri),
				 "%s/api/v1/citizen/oidc/callback",
				 app->cfg.public_url);
		app->oidc = mc_oidc_new(&op);
	}
	if (mc_cli_outbox_opts(app, &oo, &err) ||
	    mc_watch_start(&wo, &app->watch, &err) ||
	    mc_outbox_start(&oo, &app->outbox, &err) ||
	    mc_portal_start(&po, &app->portal, &err) ||
	    mc_cli_backups_start(app, &backups, &err)) {
		status = mc_cli_fail("serve", &err, 1);
		goto out;
	}
	memset(&so, 0, sizeof(so));
	so.log = &app->log;
	so.db = &hooks;
	so.jobs = app->jobs;
	so.listen = app->cfg.listen;
	so.threads = threads;
	so.web_root = app->cfg.web_root[0] ? app->cfg.web_root : NULL;
	so.max_body = app->cfg.max_body;
	so.request_timeout_ms = app->cfg.request_timeout_ms;
	so.io_timeout_ms = app->cfg.io_timeout_ms;
	so.shutdown_timeout_ms = app->cfg.shutdown_timeout_ms;
	so.access_log = app->cfg.access_log;
	so.routes = mc_api_routes;
	so.nroutes = mc_api_nroutes;
	so.trusted_proxies = app->cfg.trusted_proxies;
	so.tls_cert = app->cfg.tls_cert;
	so.tls_key = app->cfg.tls_key;
	if (mc_server_start(app, &so, &app->server, &err)) {
		status = mc_cli_fail("serve", &err, 1);
		goto out;
	}
	snprintf(url, sizeof(url), "%s://%s/", app->cfg.tls_cert[0] ?
		 "https" : "http",
		 mc_server_address(app->server));
	/* Never a database password in the log. */
	mc_log_json(&app->log, MC_LOG_INFO, "listening", json_pack(
		"{s:s, s:s, s:s, s:s, s:i, s:i, s:s}",
		"address", mc_server_address(app->server),
		"url", url, "db", mc_config_redact(app->cfg.db, db_shown,
		sizeof(db_shown)), "db_replica", mc_config_redact(
		app->cfg.db_replica, replica_shown, sizeof(replica_shown)),
		"threads", threads, "workers", workers, "version",
		MC_VERSION));
	if (!strncmp(app->cfg.sms_url, "file:", 5))
		mc_log_json(&app->log, MC_LOG_WARN, "SMS written to a file, "
			    "one-time codes included: for development and "
			    "demonstrations only", json_pack("{s:s}", "file",
			    app->cfg.sms_url + 5));
	while (sigwait(&sigs, &sig) != 0)
		;
	mc_log_json(&app->log, MC_LOG_INFO, "stopping", json_pack(
		"{s:s}", "signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"));
	status = 0;
out:
	mc_server_stop(app->server);
	app->server = NULL;
	mc_jobs_stop(app->jobs);
	app->jobs = NULL;
	mc_cli_backups_stop(backups);
	mc_watch_stop(app->watch);
	app->watch = NULL;
	mc_outbox_stop(app->outbox);
	app->outbox = NULL;
	mc_portal_stop(app->portal);
	app->portal = NULL;
	mc_registry_free(app->registry);
	app->registry = NULL;
	mc_oidc_free(app->oidc);
	app->oidc = NULL;
	mc_cli_notify_free(app);
	mc_writer_stop(app->writer);
	app->writer = NULL;
	mc_ratelimit_free(app->lookup_limit);
	app->lookup_limit = NULL;
	mc_ratelimit_free(app->lookup_code_limit);
	app->lookup_code_limit = NULL;
	mc_ratelimit_free(app->citizen_limit);
	app->citizen_limit = NULL;
	mc_ratelimit_free(app->login_limit);
	app->login_limit = NULL;
	if (app->scan_key)
		sodium_memzero(app->scan_key, sizeof(*app->scan_key));
	mc_free(app->scan_key);
	app->scan_key = NULL;
	mc_store_close(app->replica);
	app->replica = NULL;
	mc_store_close(app->store);
	app->store = NULL;
	if (status == 0)
		mc_log_json(&app->log, MC_LOG_INFO, "stopped", NULL);
	return status;
}
