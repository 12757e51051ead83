/*
 * cli.c — command dispatch and the option parser shared by the commands.
 */
#include "core/compat.h"
#include "core/config.h"
#include "core/err.h"
#include "core/mem.h"
#include "cli/cli.h"
#include "domain/calendar.h"
#include "domain/index766.h"

#include <curl/curl.h>
#include <libxml/parser.h>

static const char usage[] =
	"usage: motcua <command> [options]\n"
	"\n"
	"motcua runs a province's one-stop shop (một cửa) for administrative\n"
	"procedures.\n"
	"\n"
	"commands:\n"
	"  serve      serve the HTTP API and the web application\n"
	"  migrate    create the database or bring its schema up to date\n"
	"  calendar   lunar dates, holidays and deadlines of the working "
	"calendar\n"
	"  version    print the version of motcua and of its libraries\n"
	"  user       add staff accounts\n"
	"  keys       the units' signing keys and certificates for e-results\n"
	"  report     reports from the records: Biểu 06 (TT 01/2020)\n"
	"  demo       seed a demo province: units, procedures, staff, dossiers\n"
	"  seed       play a province's half-year from a profile (--profile)\n"
	"  audit      verify the hash chains of the dossier event logs\n"
	"  backup     a consistent copy while serving; backup verify checks one\n"
	"  restore    a verified backup into a new database and files directory\n"
	"  doctor     check an installation and say what to fix\n"
	"  purge      archive and purge dossiers past their retention period\n"
	"  payments   reconcile a payment platform's statement\n"
	"  vietqr     print a VietQR payment payload\n"
	"  words      print an amount of đồng in Vietnamese words\n"
	"  worker     run the background work (deadline watch) without HTTP\n"
	"\n"
	"Every command takes --help. Configuration: motcua.conf, MOTCUA_* and\n"
	"--key value flags (see 'motcua serve --help' and "
	"docs/configuration.md).\n";

int mc_cli_fail(const char *cmd, const struct mc_err *err, int status)
{
	char text[1024];

	fprintf(stderr, "motcua %s: %s\n", cmd,
		mc_err_text(err, text, sizeof(text)));
	return status;
}

static int usage_error(const char *cmd, const char *fmt, ...)
	MC_PRINTF(2, 3);
static int usage_error(const char *cmd, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "motcua %s: %s (see 'motcua %s --help')\n", cmd, msg,
		cmd);
	return 2;
}

int mc_cli_parse(const char *cmd, int argc, char **argv,
		 const struct mc_opt *opts, bool config_flags,
		 struct mc_args *out)
{
	int i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL, *eq;
		char name[64];
		size_t k;

		if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++) {
				if (out->npos == MC_CLI_MAX_POS)
					return usage_error(cmd, "too many "
							   "arguments");
				out->pos[out->npos++] = argv[i];
			}
			break;
		}
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			if (out->npos == MC_CLI_MAX_POS)
				return usage_error(cmd, "too many arguments");
			out->pos[out->npos++] = a;
			continue;
		}
		eq = strchr(a + 2, '=');
		if ((eq ? (size_t)(eq - a - 2) : strlen(a + 2)) >= sizeof(name))
			return usage_error(cmd, "unknown option %.40s…", a);
		snprintf(name, sizeof(name), "%.*s",
			 (int)(eq ? (size_t)(eq - a - 2) : strlen(a + 2)),
			 a + 2);
		if (eq)
			val = eq + 1;
		if (strcmp(name, "help") == 0 || strcmp(name, "h") == 0) {
			out->help = true;
			continue;
		}
		for (k = 0; opts && opts[k].name; k++)
			if (strcmp(opts[k].name, name) == 0)
				break;
		if (opts && opts[k].name) {
			if (opts[k].has_arg && !val) {
				if (i + 1 >= argc)
					return usage_error(cmd, "option --%s "
							   "needs a value",
							   name);
				val = argv[++i];
			} else if (!opts[k].has_arg && val) {
				return usage_error(cmd, "option --%s takes no "
						   "value", name);
			}
			if (out->nvalues[k] && !opts[k].repeat)
				return usage_error(cmd, "option --%s is given "
						   "twice", name);
			if (out->nvalues[k] == MC_CLI_MAX_VALUES)
				return usage_error(cmd, "option --%s is given "
						   "too often", name);
			out->values[k][out->nvalues[k]++] = val ? val : "1";
			continue;
		}
		if (config_flags && (strcmp(name, "config") == 0 ||
				     mc_config_has_key(name))) {
			if (!val) {
				if (i + 1 >= argc)
					return usage_error(cmd, "option --%s "
							   "needs a value",
							   name);
				val = argv[++i];
			}
			if (strcmp(name, "config") == 0) {
				out->config = val;
				continue;
			}
			if (out->ncfg == MC_CLI_MAX_VALUES)
				return usage_error(cmd, "too many options");
			out->cfg_keys[out->ncfg] = a + 2;
			out->cfg_vals[out->ncfg++] = val;
			continue;
		}
		return usage_error(cmd, "unknown option %s", a);
	}
	return 0;
}

const char *mc_cli_value(const struct mc_args *a, size_t i)
{
	return a->nvalues[i] ? a->values[i][a->nvalues[i] - 1] : NULL;
}

int mc_cli_config(const char *cmd, struct mc_app *app,
		  const struct mc_args *a, char **envp)
{
	struct mc_err err = MC_ERR_INIT;
	size_t i;

	mc_config_defaults(&app->cfg);
	if (mc_config_load(&app->cfg, a->config, envp, &err))
		return mc_cli_fail(cmd, &err, 2);
	for (i = 0; i < a->ncfg; i++) {
		char key[64], origin[80];
		const char *eq = strchr(a->cfg_keys[i], '=');

		snprintf(key, sizeof(key), "%.*s",
			 (int)(eq ? (size_t)(eq - a->cfg_keys[i]) :
			       strlen(a->cfg_keys[i])), a->cfg_keys[i]);
		snprintf(origin, sizeof(origin), "--%s", key);
		if (mc_config_set(&app->cfg, key, a->cfg_vals[i], origin,
				  &err))
			return mc_cli_fail(cmd, &err, 2);
	}
	mc_ix_weights_default(&app->ix_weights);
	if (mc_ix_config_parse(&app->ix_weights, "index766",
			       app->cfg.index766, &err))
		return mc_cli_fail(cmd, &err, 2);
	app->log.level = app->cfg.log_level;
	return 0;
}

int mc_cli_calendar(const char *cmd, struct mc_app *app,
		    const char *const *extra, size_t nextra)
{
	struct mc_cal_spec spec;
	struct mc_err err = MC_ERR_INIT;
	char files[sizeof(app->cfg.calendar_files)];
	char *tok, *save = NULL;
	size_t i;
	int rc;

	mc_cal_spec_init(&spec);
	rc = mc_cal_spec_load_builtin(&spec, &err);
	snprintf(files, sizeof(files), "%s", app->cfg.calendar_files);
	for (tok = strtok_r(files, " \t,", &save); !rc && tok;
	     tok = strtok_r(NULL, " \t,", &save))
		rc = mc_cal_spec_load(&spec, tok, &err);
	for (i = 0; !rc && i < nextra; i++)
		rc = mc_cal_spec_load(&spec, extra[i], &err);
	if (!rc)
		rc = mc_cal_build(&spec, &app->cal, &err);
	mc_cal_spec_release(&spec);
	if (rc)
		return mc_cli_fail(cmd, &err, 2);
	return 0;
}

int mc_cli_store(const char *cmd, struct mc_app *app, bool migrate,
		 struct mc_conn **c)
{
	struct mc_store_opts so;
	struct mc_migrate_status st;
	struct mc_err err = MC_ERR_INIT;
	int rc;

	*c = NULL;
	memset(&so, 0, sizeof(so));
	so.url = app->cfg.db;
	so.durability = app->cfg.durability;
	so.busy_timeout_ms = app->cfg.busy_timeout_ms;
	so.create = migrate;
	rc = mc_store_open(&so, &app->store, &err);
	if (!rc)
		rc = mc_store_connect(app->store, c, &err);
	if (!rc && migrate)
		rc = mc_migrate_apply(*c, NULL, &err);
	if (!rc)
		rc = mc_migrate_check(*c, &st, &err);
	if (!rc && st.pending) {
		char shown[512];

		mc_config_redact(app->cfg.db, shown, sizeof(shown));
		rc = mc_error(&err, MC_ECONFLICT, "database %s needs %d "
			      "migration(s): run 'motcua migrate --db %s'",
			      shown, st.pending, shown);
	}
	if (rc) {
		mc_cli_store_close(app, *c);
		*c = NULL;
		return mc_cli_fail(cmd, &err, 1);
	}
	return 0;
}

void mc_cli_store_close(struct mc_app *app, struct mc_conn *c)
{
	mc_conn_close(c);
	mc_store_close(app->store);
	app->store = NULL;
}

int mc_cli_main(int argc, char **argv, char **envp)
{
	static const struct {
		const char *name;
		int (*fn)(struct mc_app *, int, char **, char **);
	} cmds[] = {
		{ "serve", mc_cmd_serve },
		{ "migrate", mc_cmd_migrate },
		{ "calendar", mc_cmd_calendar },
		{ "version", mc_cmd_version },
		{ "user", mc_cmd_user },
		{ "keys", mc_cmd_keys },
		{ "report", mc_cmd_report },
		{ "audit", mc_cmd_audit },
		{ "backup", mc_cmd_backup },
		{ "doctor", mc_cmd_doctor },
		{ "purge", mc_cmd_purge },
		{ "restore", mc_cmd_restore },
		{ "payments", mc_cmd_payments },
		{ "vietqr", mc_cmd_vietqr },
		{ "words", mc_cmd_words },
		{ "demo", mc_cmd_demo },
		{ "seed", mc_cmd_seed },
		{ "worker", mc_cmd_worker },
	};
	struct mc_app app;
	const char *name;
	size_t i;
	int status;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	name = strcmp(argv[1], "--version") ? argv[1] : "version";
	for (i = 0; i < MC_ARRAY_SIZE(cmds); i++) {
		if (strcmp(name, cmds[i].name) != 0)
			continue;
		memset(&app, 0, sizeof(app));
		app.log = (struct mc_log)MC_LOG_INIT;
		mc_config_defaults(&app.cfg);
		/* Before any thread: libcurl's set-up is not thread-safe. */
		curl_global_init(CURL_GLOBAL_DEFAULT);
		/* libxml2 2.9 sets itself up unsafely on first use in threads. */
		xmlInitParser();
		status = cmds[i].fn(&app, argc - 2, argv + 2, envp);
		mc_cal_free(app.cal);
		curl_global_cleanup();
		return status;
	}
	fprintf(stderr, "motcua: unknown command '%s'\n\n%s", argv[1], usage);
	return 2;
}
