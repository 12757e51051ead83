/*
 * cmd_keys.c — 'motcua keys': the units' signing keys and certificates
 * under files_dir/keys (files/sign.h, docs/e-results.md). A province uses
 * certificates of a licensed CA (import); the demo and the tests use the
 * installation's own CA (ca, issue), which 'motcua demo' makes.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "api/util.h"
#include "cli/cli.h"
#include "files/sign.h"
#include "store/catalog.h"
#include "store/store.h"

#include <dirent.h>
#include <time.h>
#include <unistd.h>

static const char help[] =
	"usage: motcua keys ca [--name NAME] [--days N]\n"
	"       motcua keys issue (--unit CODE ... | --all) [--days N] "
	"[--renew]\n"
	"       motcua keys import --unit CODE --key FILE --cert FILE "
	"[--chain FILE]\n"
	"       motcua keys list\n"
	"\n"
	"The keys and X.509 certificates the units sign e-results with, kept\n"
	"under files_dir/keys (docs/e-results.md).\n"
	"\n"
	"  ca      make the installation's own CA (default name \"motcua CA\",\n"
	"          10 years): for a demo or a test, not for legal use\n"
	"  issue   give units a key and a certificate from that CA (default\n"
	"          2 years); --all: every unit in force that has none\n"
	"  import  install a key and certificate (and chain) from a licensed\n"
	"          CA for a unit, after checking that they belong together\n"
	"  list    the CA and every unit's certificate: subject, issuer,\n"
	"          validity, SHA-256 fingerprint\n";

enum { O_NAME, O_DAYS, O_UNIT, O_ALL, O_RENEW, O_KEY, O_CERT, O_CHAIN };

static int days_opt(const struct mc_args *a, int dflt, int *out)
{
	const char *v = mc_cli_value(a, O_DAYS);
	char *end;
	long n;

	*out = dflt;
	if (!v)
		return 0;
	n = strtol(v, &end, 10);
	if (*end || n < 1 || n > 36500)
		return fprintf(stderr, "motcua keys: --days: give a whole "
			       "number of days from 1 to 36500\n"), 2;
	*out = (int)n;
	return 0;
}

/* Units in force, read whole (a province has a few hundred). */
struct units {
	struct mc_unit *v;
	int n, cap;
};

static void unit_add(const struct mc_unit *u, void *arg)
{
	struct units *l = arg;

	l->v = mc_grow(l->v, l->n, &l->cap, sizeof(*l->v));
	l->v[l->n++] = *u;
}

static int read_units(struct mc_conn *c, struct units *l, struct mc_err *err)
{
	int64_t after = 0;
	int got;

	memset(l, 0, sizeof(*l));
	do {
		int before = l->n;

		got = mc_unit_list(c, NULL, NULL, after, 500, unit_add, l,
				   err);
		if (got < 0)
			return got;
		if (l->n > before)
			after = l->v[l->n - 1].id;
	} while (got == 500);
	return 0;
}

/* The root unit's name (the province), for the certificates' O=. */
static const char *org_of(const struct units *l, const struct mc_unit *u)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].parent_id == 0 &&
		    mc_unit_within(u->path, l->v[i].path))
			return l->v[i].name;
	return "";
}

int mc_cli_keys_issue_all(struct mc_app *app, struct mc_conn *c,
			  int64_t from, int days, bool quiet, struct mc_err *err)
{
	struct units l;
	char crt[800];
	int i, rc, made = 0;

	if ((rc = read_units(c, &l, err)))
		return rc;
	for (i = 0; i < l.n && !rc; i++) {
		const struct mc_unit *u = &l.v[i];

		if (u->valid_to[0] || !mc_keys_unit_code_ok(u->code))
			continue;
		snprintf(crt, sizeof(crt), "%s/keys/units/%s.crt",
			 app->cfg.files_dir, u->code);
		if (access(crt, F_OK) == 0)
			continue;
		rc = mc_keys_issue(app->cfg.files_dir, u->code, u->name,
				   org_of(&l, u), from, days, false, err);
		if (!rc)
			made++;
	}
	if (!rc && !quiet)
		printf("issued %d unit certificate%s under %s/keys/units\n",
		       made, made == 1 ? "" : "s", app->cfg.files_dir);
	mc_free(l.v);
	return rc;
}

int mc_cli_keys_demo(struct mc_app *app, struct mc_conn *c,
		     struct mc_err *err)
{
	char crt[700];
	int rc;

	/* Valid from a year back: the demo's dossiers span past weeks, and
	 * their e-results are signed when they were completed. (Back from
	 * the test clock when there is one.) */
	int64_t from = mc_api_now(app) - 366 * 86400;

	snprintf(crt, sizeof(crt), "%s/keys/ca.crt", app->cfg.files_dir);
	if (access(crt, F_OK) != 0 &&
	    (rc = mc_keys_make_ca(app->cfg.files_dir, "motcua CA (thử "
				  "nghiệm)", from, 3650, err)))
		return rc;
	return mc_cli_keys_issue_all(app, c, from, 1096, true, err);
}

static int issue(struct mc_app *app, const struct mc_args *a)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_conn *c = NULL;
	struct units l = { NULL, 0, 0 };
	int days, rc;
	size_t k;

	if ((rc = days_opt(a, 730, &days)))
		return rc;
	if (!a->nvalues[O_UNIT] == !mc_cli_value(a, O_ALL))
		return fprintf(stderr, "motcua keys issue: give --unit CODE "
			       "(one or more) or --all\n"), 2;
	if (mc_cli_store("keys", app, false, &c))
		return 1;
	if (mc_cli_value(a, O_ALL)) {
		rc = mc_cli_keys_issue_all(app, c, 0, days, false, &err);
		goto out;
	}
	if ((rc = read_units(c, &l, &err)))
		goto out;
	for (k = 0; k < a->nvalues[O_UNIT] && !rc; k++) {
		const char *code = a->values[O_UNIT][k];
		struct mc_unit u;
		char line[800];

		rc = mc_unit_get(c, code, &u, &err);
		if (rc == MC_ENOTFOUND)
			rc = mc_err_field(&err, "unit", "exists", "no unit %s",
					  code);
		if (!rc)
			rc = mc_keys_issue(app->cfg.files_dir, code, u.name,
					   org_of(&l, &u), 0, days,
					   mc_cli_value(a, O_RENEW) != NULL,
					   &err);
		if (!rc) {
			struct mc_cert_info ci;

			snprintf(line, sizeof(line), "%s/keys/units/%s.crt",
				 app->cfg.files_dir, code);
			if (!mc_keys_cert_info(line, &ci, &err))
				printf("%s: %s, SHA-256 %s\n", code,
				       ci.subject, ci.sha256);
		}
	}
out:
	mc_free(l.v);
	mc_cli_store_close(app, c);
	if (rc)
		return mc_cli_fail("keys", &err, rc == MC_EINVAL ||
				   rc == MC_ECONFLICT ? 2 : 1);
	return 0;
}

static void show(const char *label, const struct mc_cert_info *ci)
{
	char from[24], to[24];

	mc_time_format_utc(ci->not_before, from, sizeof(from));
	mc_time_format_utc(ci->not_after, to, sizeof(to));
	printf("%s\n  subject  %s\n  issuer   %s\n  valid    %.10s .. %.10s"
	       "%s\n  sha256   %s\n", label, ci->subject, ci->issuer, from, to,
	       ci->not_after < time(NULL) ? "  EXPIRED" : "", ci->sha256);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list(struct mc_app *app)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_cert_info ci;
	char path[800], **names = NULL;
	struct dirent *e;
	int n = 0, cap = 0, i;
	DIR *d;

	snprintf(path, sizeof(path), "%s/keys/ca.crt", app->cfg.files_dir);
	if (!mc_keys_cert_info(path, &ci, &err))
		show("installation CA (ca.crt)", &ci);
	mc_err_clear(&err);
	snprintf(path, sizeof(path), "%s/keys/units", app->cfg.files_dir);
	if (!(d = opendir(path))) {
		printf("no unit certificates under %s\n", path);
		return 0;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (len > 4 && !strcmp(e->d_name + len - 4, ".crt")) {
			names = mc_grow(names, n, &cap, sizeof(*names));
			names[n++] = mc_strndup(e->d_name, len - 4);
		}
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/keys/units/%s.crt",
			 app->cfg.files_dir, names[i]);
		if (!mc_keys_cert_info(path, &ci, &err))
			show(names[i], &ci);
		else
			printf("%s\n  unreadable: %s\n", names[i], err.message);
		mc_err_clear(&err);
		mc_free(names[i]);
	}
	mc_free(names);
	return 0;
}

int mc_cmd_keys(struct mc_app *app, int argc, char **argv, char **envp)
{
	static const struct mc_opt opts[] = {
		{ "name", true, false }, { "days", true, false },
		{ "unit", true, true }, { "all", false, false },
		{ "renew", false, false }, { "key", true, false },
		{ "cert", true, false }, { "chain", true, false },
		{ NULL, false, false }
	};
	struct mc_err err = MC_ERR_INIT;
	const char *sub;
	struct mc_args a;
	int rc, days;

	rc = mc_cli_parse("keys", argc, argv, opts, true, &a);
	if (rc)
		return rc;
	if (a.help || a.npos != 1) {
		fputs(help, a.help ? stdout : stderr);
		return a.help ? 0 : 2;
	}
	rc = mc_cli_config("keys", app, &a, envp);
	if (rc)
		return rc;
	sub = a.pos[0];
	if (!strcmp(sub, "ca")) {
		const char *name = mc_cli_value(&a, O_NAME);

		if ((rc = days_opt(&a, 3650, &days)))
			return rc;
		rc = mc_keys_make_ca(app->cfg.files_dir, name && *name ? name :
				     "motcua CA", 0, days, &err);
		if (rc)
			return mc_cli_fail("keys", &err, rc == MC_ECONFLICT ?
					   2 : 1);
		printf("made the CA %s/keys/ca.crt\n", app->cfg.files_dir);
		return 0;
	}
	if (!strcmp(sub, "issue"))
		return issue(app, &a);
	if (!strcmp(sub, "import")) {
		const char *key = mc_cli_value(&a, O_KEY);
		const char *cert = mc_cli_value(&a, O_CERT);

		if (a.nvalues[O_UNIT] != 1 || !key || !cert)
			return fprintf(stderr, "motcua keys import: give --unit "
				       "CODE, --key FILE and --cert FILE\n"),
				2;
		rc = mc_keys_import(app->cfg.files_dir, a.values[O_UNIT][0],
				    key, cert, mc_cli_value(&a, O_CHAIN),
				    &err);
		if (rc)
			return mc_cli_fail("keys", &err, rc == MC_EINVAL ? 2
					   : 1);
		printf("installed the key and certificate of unit %s\n",
		       a.values[O_UNIT][0]);
		return 0;
	}
	if (!strcmp(sub, "list"))
		return list(app);
	return fprintf(stderr, "motcua keys: unknown subcommand '%s' "
		       "(expected: ca, issue, import, list)\n", sub), 2;
}
