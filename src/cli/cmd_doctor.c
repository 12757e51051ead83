/*
 * cmd_doctor.c — 'motcua doctor' (docs/operations.md "motcua doctor"):
 * looks at an installation the way its operator would on a bad morning —
 * the configuration, the database, the disks, the signing keys and
 * certificates, the clock, what waits in the outboxes and for the
 * national portal, the backups, the deadline watch — and says, for each
 * thing wrong, what it is and what to do. Exit 0 when nothing fails
 * (warnings allowed), 1 when something does, 2 for bad usage or a
 * configuration that does not even load.
 *
 * It reads only: it never migrates, repairs or writes anything.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "cli/cli.h"
#include "files/sign.h"
#include "store/ops.h"
#include "store/portal.h"
#include "store/store.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/timex.h>
#include <unistd.h>

static const char help[] =
	"usage: motcua doctor [--config FILE] [--<key> VALUE]...\n"
	"\n"
	"Checks an installation and says what to fix: the configuration, the\n"
	"database (reachable, migrated, intact), free disk space, the signing\n"
	"keys and certificates, the clock, messages and portal events\n"
	"waiting, backups and the deadline watch. It changes nothing.\n"
	"Exit status: 0 nothing failed (warnings may be printed), 1 something\n"
	"failed, 2 bad usage or a configuration that does not load.\n";

enum level { OK, WARN, FAIL };

struct doctor {
	int warns, fails;
	struct mc_app *app;
	struct mc_conn *c;	/* NULL when the database cannot be opened */
	int64_t now;
};

/*
 * One finding: 'what' is the check's area, the text says what was found
 * and 'fix' (NULL for OK) what to do about it.
 */
static void say(struct doctor *d, enum level l, const char *what,
		const char *fix, const char *fmt, ...) MC_PRINTF(5, 6);
static void say(struct doctor *d, enum level l, const char *what,
		const char *fix, const char *fmt, ...)
{
	static const char *const tag[] = { "ok  ", "WARN", "FAIL" };
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	printf("%s  %-12s %s\n", tag[l], what, text);
	if (fix && l != OK)
		printf("      %-12s fix: %s\n", "", fix);
	d->warns += l == WARN;
	d->fails += l == FAIL;
}

static bool is_pg(const struct mc_app *app)
{
	return !strncmp(app->cfg.db, "postgres", 8);
}

/* The directory holding SQLite file 'path' into 'out'. */
static void dir_of(const char *path, char *out, size_t n)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(out, n, ".");
	else if (slash == path)
		snprintf(out, n, "/");
	else
		snprintf(out, n, "%.*s", (int)(slash - path), path);
}

/* The certificate at 'path', 'who' for people: expired or soon. */
static void check_cert(struct doctor *d, const char *who, const char *path,
		       int *ok)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_cert_info ci;
	char when[40];

	if (mc_keys_cert_info(path, &ci, &err)) {
		say(d, FAIL, "keys", "issue it again: motcua keys issue",
		    "%s: %s", who, err.message);
		return;
	}
	mc_time_format_utc(ci.not_after, when, sizeof(when));
	if (ci.not_after <= d->now)
		say(d, FAIL, "keys", "renew it: motcua keys issue (or import "
		    "the CA-issued one: motcua keys import)", "%s: the "
		    "certificate expired at %s: e-results cannot be signed",
		    who, when);
	else if (ci.not_after - d->now < 30 * 86400)
		say(d, WARN, "keys", "renew it within the month: motcua keys "
		    "issue", "%s: the certificate expires at %s", who, when);
	else
		(*ok)++;
}

static void check_config(struct doctor *d)
{
	const struct mc_config *cfg = &d->app->cfg;
	char path[600];
	struct stat st;

	if (!strncmp(cfg->sms_url, "file:", 5))
		say(d, WARN, "config", "set sms_url to the SMS gateway "
		    "(docs/notifications.md)", "sms_url writes every SMS, "
		    "one-time codes included, to %s: for demonstrations only",
		    cfg->sms_url + 5);
	else if (!cfg->sms_url[0])
		say(d, WARN, "config", "set sms_url (docs/notifications.md)",
		    "no SMS gateway: citizens get no SMS and cannot sign in "
		    "with a one-time code");
	if (cfg->tls_cert[0]) {
		int ok = 0;

		check_cert(d, "tls_cert", cfg->tls_cert, &ok);
	}
	if (!strncmp(cfg->public_url, "http://", 7) &&
	    strncmp(cfg->public_url, "http://127.", 11) &&
	    strncmp(cfg->public_url, "http://localhost", 16))
		say(d, WARN, "config", "serve citizens over HTTPS: a TLS proxy "
		    "in front, and public_url = https://…",
		    "public_url %s is plain HTTP: look-up links and sign-ins "
		    "would travel unencrypted", cfg->public_url);
	if (cfg->web_root[0]) {
		snprintf(path, sizeof(path), "%.500s/index.html",
			 cfg->web_root);
		if (access(path, R_OK))
			say(d, FAIL, "config", "point web_root at the web/ "
			    "directory of this release", "web_root %s has no "
			    "index.html: the web application is not served",
			    cfg->web_root);
	}
	/* Secrets belong in the environment (secrets.env), not in a file
	 * everyone may read. */
	if (d->app->cfg.file[0] &&
	    stat(d->app->cfg.file, &st) == 0 &&
	    (st.st_mode & S_IROTH) &&
	    (cfg->portal_client_secret[0] || cfg->oidc_client_secret[0] ||
	     cfg->sms_token[0] || cfg->smtp_password[0] ||
	     cfg->zalo_access_token[0])) {
		say(d, WARN, "config", "chmod o-r the file, or move the "
		    "secrets to /etc/motcua/secrets.env (docs/operations.md)",
		    "%s is readable by every user and a secret is set",
		    d->app->cfg.file);
	}
	if (!d->warns && !d->fails)
		say(d, OK, "config", NULL, "%s", cfg->file[0] ?
		    cfg->file : "defaults, environment and flags");
}

/* The database: reachable, migrated, intact; 'd->c' opened on success. */
static void check_database(struct doctor *d)
{
	struct mc_app *app = d->app;
	struct mc_store_opts so;
	struct mc_migrate_status ms;
	struct mc_err err = MC_ERR_INIT;
	struct mc_stmt *s;
	char fix[700];

	if (!is_pg(app) && access(app->cfg.db, F_OK)) {
		snprintf(fix, sizeof(fix), "set db to the installation's "
			 "database, or create it: motcua migrate --db %.500s",
			 app->cfg.db);
		say(d, FAIL, "database", fix, "%s does not exist",
		    app->cfg.db);
		return;
	}
	memset(&so, 0, sizeof(so));
	so.url = app->cfg.db;
	so.durability = app->cfg.durability;
	so.busy_timeout_ms = app->cfg.busy_timeout_ms;
	if (mc_store_open(&so, &app->store, &err) ||
	    mc_store_connect(app->store, &d->c, &err)) {
		say(d, FAIL, "database", is_pg(app) ? "start PostgreSQL, or "
		    "correct db (user, password, host, database)" :
		    "check the file's owner and permissions", "cannot open: "
		    "%s", err.message);
		d->c = NULL;
		return;
	}
	if (mc_migrate_check(d->c, &ms, &err)) {
		say(d, FAIL, "database", "install the motcua release that "
		    "made this database, or restore a backup", "%s",
		    err.message);
		return;
	}
	if (ms.pending) {
		say(d, FAIL, "database", "motcua migrate --dry-run, then "
		    "motcua migrate (docs/operations.md \"Upgrades\")",
		    "%d migration%s of this release not applied (%d applied): "
		    "motcua serve refuses to start", ms.pending,
		    ms.pending == 1 ? "" : "s", ms.applied);
		return;
	}
	if (!is_pg(app)) {
		/* Bounded: quick_check reads each page once, no index
		 * cross-checks. */
		s = mc_sql(d->c, "PRAGMA quick_check", &err);
		if (!s || mc_sql_step(s, &err) != 1) {
			say(d, FAIL, "database", "restore the newest backup "
			    "(motcua restore)", "cannot be checked: %s",
			    err.message);
			return;
		}
		if (strcmp(mc_sql_col_text(s, 0), "ok")) {
			say(d, FAIL, "database", "stop motcua and restore the "
			    "newest backup (motcua backup verify, motcua "
			    "restore)", "damaged: %s", mc_sql_col_text(s, 0));
			mc_sql_reset(s);
			return;
		}
		mc_sql_reset(s);
	}
	say(d, OK, "database", NULL, "%s (%s), %d migrations applied%s",
	    app->cfg.db[0] && is_pg(app) ? "PostgreSQL" : app->cfg.db,
	    mc_store_backend(app->store), ms.applied,
	    is_pg(app) ? "" : ", intact");
}

/* Free space where 'path' lives; 'what' names it for people. */
static void check_space(struct doctor *d, const char *what, const char *path)
{
	struct statvfs v;
	double free_ratio, gib;

	if (statvfs(path, &v) || !v.f_blocks) {
		say(d, FAIL, "disk", "create it, or correct the setting",
		    "%s %s: %s", what, path, strerror(errno));
		return;
	}
	free_ratio = (double)v.f_bavail / (double)v.f_blocks;
	gib = (double)v.f_bavail * (double)v.f_frsize / (1 << 30);
	if (access(path, W_OK))
		say(d, FAIL, "disk", "give the motcua user write access",
		    "%s %s is not writable", what, path);
	else if (free_ratio < 0.05)
		say(d, FAIL, "disk", "free space or grow the disk now: at 0 "
		    "every write is refused (503)", "%s %s: %.1f%% free, "
		    "%.1f GiB", what, path, free_ratio * 100, gib);
	else if (free_ratio < 0.10)
		say(d, WARN, "disk", "plan more space: scans fill disks "
		    "steadily", "%s %s: %.1f%% free, %.1f GiB", what, path,
		    free_ratio * 100, gib);
	else
		say(d, OK, "disk", NULL, "%s %s: %.0f%% free, %.1f GiB", what,
		    path, free_ratio * 100, gib);
}

static void check_keys(struct doctor *d)
{
	const char *files = d->app->cfg.files_dir;
	char path[800];
	struct dirent *e;
	int ok = 0, n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "%.700s/keys/ca.crt", files);
	if (access(path, F_OK)) {
		say(d, WARN, "keys", "motcua keys issue (docs/e-results.md)",
		    "no installation CA under %s/keys: e-results cannot be "
		    "signed", files);
		return;
	}
	check_cert(d, "installation CA", path, &ok);
	n++;
	snprintf(path, sizeof(path), "%.700s/keys/units", files);
	if ((dir = opendir(path))) {
		while ((e = readdir(dir))) {
			size_t len = strlen(e->d_name);
			char crt[1100], who[300];

			if (len < 5 || strcmp(e->d_name + len - 4, ".crt"))
				continue;
			snprintf(crt, sizeof(crt), "%s/%s", path, e->d_name);
			snprintf(who, sizeof(who), "unit %.*s", (int)(len - 4),
				 e->d_name);
			check_cert(d, who, crt, &ok);
			n++;
		}
		closedir(dir);
	}
	if (ok == n)
		say(d, OK, "keys", NULL, "%d certificate%s valid for 30 days "
		    "or more", n, n == 1 ? "" : "s");
}

static void check_clock(struct doctor *d)
{
	struct timex tx;
	struct mc_err err = MC_ERR_INIT;
	struct mc_stmt *s;
	int state;

	memset(&tx, 0, sizeof(tx));
	state = adjtimex(&tx);
	if (state == TIME_ERROR || (tx.status & STA_UNSYNC))
		say(d, WARN, "clock", "enable time synchronisation "
		    "(timedatectl set-ntp true, or chrony)", "not "
		    "synchronised: deadlines and the legal times on receipts "
		    "follow this clock");
	else
		say(d, OK, "clock", NULL, "synchronised (maximum error %ld "
		    "µs)", tx.maxerror);
	if (!d->c)
		return;
	/* The newest dossier written after now: the clock went back. */
	s = mc_sql(d->c, "SELECT created_at FROM dossiers WHERE id = "
		   "(SELECT MAX(id) FROM dossiers)", &err);
	if (s && mc_sql_step(s, &err) == 1) {
		int64_t t = mc_sql_col_time(s, 0);
		char when[40];

		if (t != MC_NO_TIME && t > d->now + 300) {
			mc_time_format_utc(t, when, sizeof(when));
			say(d, FAIL, "clock", "set the clock right before "
			    "serving: due dates would be computed from the "
			    "past", "behind the records: the newest dossier "
			    "was made at %s", when);
		}
		mc_sql_reset(s);
	}
}

static void check_queues(struct doctor *d)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_ops_stats os;
	struct mc_portal_stats *ps;

	if (!d->c)
		return;
	if (mc_ops_stats(d->c, &os, &err)) {
		say(d, FAIL, "outbox", NULL, "cannot be read: %s", err.message);
		return;
	}
	if (os.messages_waiting && d->now - os.messages_oldest_at > 1800)
		say(d, WARN, "outbox", "check the gateway (sms_url, smtp_host, "
		    "zalo_*) and the log's 'message not sent' lines",
		    "%" PRId64 " message%s waiting, the oldest for %" PRId64
		    " minutes", os.messages_waiting, os.messages_waiting == 1 ?
		    "" : "s", (d->now - os.messages_oldest_at) / 60);
	else
		say(d, OK, "outbox", NULL, "%" PRId64 " message%s waiting",
		    os.messages_waiting, os.messages_waiting == 1 ? "" : "s");
	if (!d->app->cfg.portal_url[0])
		return;
	ps = mc_calloc(1, sizeof(*ps));
	if (mc_portal_stats(d->c, ps, &err)) {
		say(d, FAIL, "portal", NULL, "cannot be read: %s", err.message);
	} else if (ps->pending && d->now - ps->oldest_pending_at > 3600) {
		say(d, WARN, "portal", "GET /api/v1/portal/sync shows the "
		    "causes; check portal_url and its credentials", "%" PRId64
		    " event%s not taken by the national portal, the oldest "
		    "for %" PRId64 " minutes", ps->pending, ps->pending == 1 ?
		    "" : "s", (d->now - ps->oldest_pending_at) / 60);
	} else if (ps->rejected || ps->inbound_failed) {
		say(d, WARN, "portal", "fix them from the sync page "
		    "(#/quan-tri/dong-bo) and retry", "%" PRId64 " event%s "
		    "refused by the portal, %" PRId64 " dossier%s filed there "
		    "not taken in", ps->rejected, ps->rejected == 1 ? "" : "s",
		    ps->inbound_failed, ps->inbound_failed == 1 ? "" : "s");
	} else {
		say(d, OK, "portal", NULL, "%" PRId64 " event%s waiting",
		    ps->pending, ps->pending == 1 ? "" : "s");
	}
	mc_free(ps);
}

static void check_backups(struct doctor *d)
{
	const struct mc_config *cfg = &d->app->cfg;
	struct mc_err err = MC_ERR_INIT;
	char name[300];
	int64_t at, limit = 2 * cfg->backup_interval_ms / 1000;

	if (is_pg(d->app)) {
		struct mc_stmt *s = d->c ? mc_sql(d->c, "SELECT setting FROM "
			"pg_settings WHERE name = 'archive_mode'", &err) : NULL;

		if (s && mc_sql_step(s, &err) == 1) {
			if (!strcmp(mc_sql_col_text(s, 0), "off"))
				say(d, WARN, "backups", "set up pg_basebackup "
				    "and WAL archiving (docs/operations.md "
				    "\"Backups (PostgreSQL)\")", "archive_mode "
				    "is off: no point-in-time recovery");
			else
				say(d, OK, "backups", NULL, "PostgreSQL "
				    "archive_mode %s", mc_sql_col_text(s, 0));
			mc_sql_reset(s);
		}
		return;
	}
	if (!cfg->backup_dir[0]) {
		say(d, WARN, "backups", "set backup_dir (docs/operations.md "
		    "\"Scheduled backups\") or run motcua backup --to DIR "
		    "from cron", "no scheduled backups (backup_dir is empty)");
		return;
	}
	at = mc_cli_backup_newest(cfg->backup_dir, name, sizeof(name));
	if (!at)
		say(d, WARN, "backups", "start motcua serve, or run motcua "
		    "backup --to the directory once", "none whole yet in %s",
		    cfg->backup_dir);
	else if (d->now - at > limit)
		say(d, FAIL, "backups", "read the log's 'scheduled backup "
		    "failed' lines; run motcua backup --to by hand", "the "
		    "newest, %s, is %" PRId64 " hours old", name,
		    (d->now - at) / 3600);
	else
		say(d, OK, "backups", NULL, "newest %s/%s", cfg->backup_dir,
		    name);
}

static void check_watch(struct doctor *d)
{
	if (d->app->cfg.watch_interval_ms == 0)
		say(d, WARN, "watch", "fine if another instance runs it; "
		    "otherwise set watch_interval (e.g. 1m)", "the deadline "
		    "watch is off in this configuration: nothing records "
		    "due-soon and overdue dossiers");
	else
		say(d, OK, "watch", NULL, "deadline watch every %" PRId64 " s",
		    d->app->cfg.watch_interval_ms / 1000);
}

int mc_cmd_doctor(struct mc_app *app, int argc, char **argv, char **envp)
{
	static const struct mc_opt opts[] = { { NULL, false, false } };
	struct doctor d;
	struct mc_args a;
	char dir[512];
	int rc = mc_cli_parse("doctor", argc, argv, opts, true, &a);

	if (rc)
		return rc;
	if (a.help) {
		fputs(help, stdout);
		return 0;
	}
	if (a.npos) {
		fputs(help, stderr);
		return 2;
	}
	if ((rc = mc_cli_config("doctor", app, &a, envp)))
		return rc;
	memset(&d, 0, sizeof(d));
	d.app = app;
	d.now = mc_time_now_ms() / 1000;
	check_config(&d);
	check_database(&d);
	if (!is_pg(app)) {
		dir_of(app->cfg.db, dir, sizeof(dir));
		check_space(&d, "database", dir);
	}
	check_space(&d, "files", app->cfg.files_dir);
	check_keys(&d);
	check_clock(&d);
	check_queues(&d);
	check_backups(&d);
	check_watch(&d);
	if (d.c)
		mc_conn_close(d.c);
	if (app->store) {
		mc_store_close(app->store);
		app->store = NULL;
	}
	printf("%d failure%s, %d warning%s\n", d.fails, d.fails == 1 ? "" :
	       "s", d.warns, d.warns == 1 ? "" : "s");
	return d.fails ? 1 : 0;
}
