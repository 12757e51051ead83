/*
 * cmd_version.c — 'motcua version': this motcua and the libraries it runs
 * with.
 */
#include "core/compat.h"
#include "cli/cli.h"

#include <h2o.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <sqlite3.h>

static const char help[] =
	"usage: motcua version [--json]\n"
	"\n"
	"Prints the version of motcua and of the libraries it is running with.\n";

int mc_cmd_version(struct mc_app *app, int argc, char **argv, char **envp)
{
	static const struct mc_opt opts[] = { { "json", false, false },
					      { NULL, false, false } };
	struct mc_args a;
	int rc = mc_cli_parse("version", argc, argv, opts, false, &a);

	(void)app;
	(void)envp;
	if (rc)
		return rc;
	if (a.help) {
		fputs(help, stdout);
		return 0;
	}
	if (a.npos)
		return fprintf(stderr, "motcua version: unexpected argument "
			       "'%s'\n", a.pos[0]), 2;
	if (mc_cli_value(&a, 0)) {
		json_t *o = json_pack("{s:s, s:{s:s, s:s, s:s, s:s}}",
				      "motcua", MC_VERSION, "libraries",
				      "h2o", H2O_VERSION,
				      "sqlite", sqlite3_libversion(),
				      "jansson", jansson_version_str(),
				      "openssl", OpenSSL_version(
					      OPENSSL_VERSION));
		json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(o);
		return 0;
	}
	printf("motcua %s (h2o %s, SQLite %s, jansson %s, %s)\n", MC_VERSION,
	       H2O_VERSION, sqlite3_libversion(), jansson_version_str(),
	       OpenSSL_version(OPENSSL_VERSION));
	return 0;
}
