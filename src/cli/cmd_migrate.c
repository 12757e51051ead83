/*
 * cmd_migrate.c — 'motcua migrate': creates the database when it does not
 * exist and applies the pending migrations; with --status only reports;
 * with --dry-run applies them in one transaction and rolls it back.
 */
#include "core/compat.h"
#include "cli/cli.h"
#include "store/store.h"

static const char help[] =
	"usage: motcua migrate [--status | --dry-run] [--db PATH] [--config "
	"FILE]\n"
	"\n"
	"Creates the database if it does not exist and applies, in order, the\n"
	"migrations it has not had yet, each in its own transaction. Refuses a\n"
	"database whose applied migration was edited since, or that a newer\n"
	"motcua migrated.\n"
	"\n"
	"  --status   only print the state: applied, pending, latest\n"
	"  --dry-run  apply the pending migrations to the data as it is, in\n"
	"             one transaction, and roll it back: whether they would\n"
	"             apply (before an upgrade); nothing is changed\n"
	"  --db PATH  the database (default from configuration: var/motcua.db)\n";

int mc_cmd_migrate(struct mc_app *app, int argc, char **argv, char **envp)
{
	static const struct mc_opt opts[] = { { "status", false, false },
					      { "dry-run", false, false },
					      { NULL, false, false } };
	struct mc_store_opts so;
	struct mc_migrate_status st;
	char shown[512];
	struct mc_err err = MC_ERR_INIT;
	struct mc_conn *c = NULL;
	struct mc_args a;
	bool status_only, dry;
	int rc;

	rc = mc_cli_parse("migrate", argc, argv, opts, true, &a);
	if (rc)
		return rc;
	if (a.help) {
		fputs(help, stdout);
		return 0;
	}
	if (a.npos)
		return fprintf(stderr, "motcua migrate: unexpected argument "
			       "'%s'\n", a.pos[0]), 2;
	rc = mc_cli_config("migrate", app, &a, envp);
	if (rc)
		return rc;
	dry = mc_cli_value(&a, 1) != NULL;
	status_only = mc_cli_value(&a, 0) != NULL || dry;
	memset(&so, 0, sizeof(so));
	so.url = app->cfg.db;
	so.durability = app->cfg.durability;
	so.busy_timeout_ms = app->cfg.busy_timeout_ms;
	so.create = !status_only;
	rc = mc_store_open(&so, &app->store, &err);
	if (!rc)
		rc = mc_store_connect(app->store, &c, &err);
	if (!rc && !status_only)
		rc = mc_migrate_apply(c, stdout, &err);
	if (!rc && dry) {
		int would = 0;

		rc = mc_migrate_dry_run(c, stdout, &would, &err);
		if (!rc)
			printf("%d migration%s would apply cleanly; nothing was "
			       "changed\n", would, would == 1 ? "" : "s");
	}
	if (!rc)
		rc = mc_migrate_check(c, &st, &err);
	if (!rc)
		printf("database %s (%s): %d applied, %d pending, latest %04d"
		       "%s\n", mc_config_redact(app->cfg.db, shown,
		       sizeof(shown)), mc_store_backend(app->store),
		       st.applied, st.pending, st.latest, st.ahead ?
		       "; and migrations of a newer motcua, all expansions: "
		       "this version still runs on it" : "");
	mc_conn_close(c);
	mc_store_close(app->store);
	app->store = NULL;
	if (rc)
		return mc_cli_fail("migrate", &err, 1);
	return 0;
}
