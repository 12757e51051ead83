/*
 * cmd_audit.c — 'motcua audit verify': recomputes the SHA-256 chain of
 * every dossier's event log and names the first broken link of each
 * broken chain, and re-hashes every closed report. Exit status 0 when
 * everything is intact, 1 otherwise.
 */
#include "core/compat.h"
#include "core/err.h"
#include "cli/cli.h"
#include "store/dossiers.h"
#include "store/reports.h"
#include "store/store.h"

static const char help[] =
	"usage: motcua audit verify [--db PATH]\n"
	"\n"
	"Checks the hash chain of every dossier's event log: each event's hash\n"
	"must match its content and the hash of the event before it. Prints\n"
	"the first broken link of each broken chain. Every closed report\n"
	"(docs/reports.md) must still have its SHA-256. Exits 1 if anything\n"
	"fails.\n";

static void report(const char *code, int64_t seq, const char *why, void *arg)
{
	(void)arg;
	printf("broken: dossier %s, event %" PRId64 ": %s\n", code, seq, why);
}

static void altered(const struct mc_snapshot *s, void *arg)
{
	(void)arg;
	printf("altered: closed report %s %s – %s (#%" PRId64 ") no longer "
	       "has its hash\n", s->kind, s->first, s->last, s->id);
}

int mc_cmd_audit(struct mc_app *app, int argc, char **argv, char **envp)
{
	static const struct mc_opt opts[] = { { NULL, false, false } };
	struct mc_err err = MC_ERR_INIT;
	struct mc_conn *c = NULL;
	struct mc_args a;
	int64_t events = 0, reports = 0;
	int rc, bad = 0;

	rc = mc_cli_parse("audit", argc, argv, opts, true, &a);
	if (rc)
		return rc;
	if (a.help || a.npos == 0) {
		fputs(help, a.help ? stdout : stderr);
		return a.help ? 0 : 2;
	}
	if (a.npos != 1 || strcmp(a.pos[0], "verify") != 0)
		return fprintf(stderr, "motcua audit: unknown subcommand '%s' "
			       "(expected: verify)\n", a.pos[0]), 2;
	rc = mc_cli_config("audit", app, &a, envp);
	if (rc)
		return rc;
	if (mc_cli_store("audit", app, false, &c))
		return 1;
	rc = mc_audit_verify(c, report, NULL, &events, &err);
	if (rc >= 0)
		bad = mc_snapshot_verify(c, altered, NULL, &reports, &err);
	mc_cli_store_close(app, c);
	if (rc < 0 || bad < 0)
		return mc_cli_fail("audit", &err, 1);
	printf("%" PRId64 " events checked, %d broken chain%s\n", events, rc,
	       rc == 1 ? "" : "s");
	printf("%" PRId64 " closed report%s checked, %d altered\n", reports,
	       reports == 1 ? "" : "s", bad);
	return rc || bad ? 1 : 0;
}
