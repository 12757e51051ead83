/*
 * cmd_user.c — 'motcua user add': creates a staff account. The password is
 * read from standard input (--password-stdin), never from the command line
 * where other users of the machine could see it, and stored as an argon2id
 * hash.
 */
#include "core/compat.h"
#include "core/err.h"
#include "api/api.h"
#include "cli/cli.h"
#include "domain/lifecycle.h"
#include "store/catalog.h"
#include "store/store.h"

#include <sodium.h>
#include <time.h>

static const char help[] =
	"usage: motcua user add --username U --role ROLE --unit CODE\n"
	"                       [--name \"Full name\"] --password-stdin\n"
	"\n"
	"Creates a staff account bound to a unit. ROLE is one of admin,\n"
	"control_officer, counter_officer, specialist, leader. The password\n"
	"(at least 10 characters) is the first line of standard input:\n"
	"\n"
	"  printf '%s\\n' \"$PASSWORD\" | motcua user add --username an.nv \\\n"
	"      --role counter_officer --unit 000.00.01.H51 --password-stdin\n";

int mc_cmd_user(struct mc_app *app, int argc, char **argv, char **envp)
{
	static const struct mc_opt opts[] = {
		{ "username", true, false }, { "role", true, false },
		{ "unit", true, false }, { "name", true, false },
		{ "password-stdin", false, false }, { NULL, false, false }
	};
	struct mc_err err = MC_ERR_INIT;
	struct mc_conn *c = NULL;
	struct mc_user u;
	struct mc_args a;
	char pw[512];
	const char *v;
	int rc, role;

	rc = mc_cli_parse("user", argc, argv, opts, true, &a);
	if (rc)
		return rc;
	if (a.help || a.npos == 0) {
		fputs(help, a.help ? stdout : stderr);
		return a.help ? 0 : 2;
	}
	if (a.npos != 1 || strcmp(a.pos[0], "add") != 0)
		return fprintf(stderr, "motcua user: unknown subcommand '%s' "
			       "(expected: add)\n", a.pos[0]), 2;
	rc = mc_cli_config("user", app, &a, envp);
	if (rc)
		return rc;
	memset(&u, 0, sizeof(u));
	v = mc_cli_value(&a, 0);
	if (!v || !*v || strlen(v) >= sizeof(u.username))
		return fprintf(stderr, "motcua user: --username: give a "
			       "username of 1 to 63 characters\n"), 2;
	snprintf(u.username, sizeof(u.username), "%s", v);
	role = mc_role_parse(mc_cli_value(&a, 1));
	if (role < 0)
		return fprintf(stderr, "motcua user: --role: must be admin, "
			       "control_officer, counter_officer, specialist "
			       "or leader\n"), 2;
	u.role = (enum mc_role)role;
	v = mc_cli_value(&a, 2);
	if (!v || !*v)
		return fprintf(stderr, "motcua user: --unit: give the code of "
			       "the user's unit\n"), 2;
	snprintf(u.unit_code, sizeof(u.unit_code), "%s", v);
	v = mc_cli_value(&a, 3);
	if (v && strlen(v) >= sizeof(u.full_name))
		return fprintf(stderr, "motcua user: --name: at most %zu "
			       "bytes\n", sizeof(u.full_name) - 1), 2;
	snprintf(u.full_name, sizeof(u.full_name), "%s", v ? v : u.username);
	if (!mc_cli_value(&a, 4))
		return fprintf(stderr, "motcua user: --password-stdin is "
			       "required: the password is read from standard "
			       "input\n"), 2;
	if (!fgets(pw, sizeof(pw), stdin))
		return fprintf(stderr, "motcua user: no password on standard "
			       "input\n"), 2;
	pw[strcspn(pw, "\r\n")] = '\0';
	if (mc_api_password_hash(&app->cfg, pw, u.password_hash,
				 sizeof(u.password_hash), &err)) {
		sodium_memzero(pw, sizeof(pw));
		return mc_cli_fail("user", &err, 2);
	}
	sodium_memzero(pw, sizeof(pw));
	if (mc_cli_store("user", app, false, &c))
		return 1;
	rc = mc_conn_begin(c, &err);
	if (!rc)
		rc = mc_user_create(c, &u, time(NULL), &err);
	if (!rc)
		rc = mc_conn_commit(c, &err);
	if (rc)
		mc_conn_rollback(c);
	mc_cli_store_close(app, c);
	if (rc)
		return mc_cli_fail("user", &err, rc == MC_EINVAL ? 2 : 1);
	printf("user %s (%s) added to unit %s\n", u.username,
	       mc_role_name(u.role), u.unit_code);
	return 0;
}
