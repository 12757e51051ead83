/*
 * users.c — staff accounts: GET|POST /api/v1/users, for administrators,
 * within their own unit and the units below it. A new account's password
 * is hashed (argon2id, deliberately slow) on a worker thread, then the
 * account is written through the writer.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/parse.h"
#include "api/api.h"
#include "api/util.h"
#include "app.h"
#include "domain/lifecycle.h"
#include "http/server.h"
#include "store/catalog.h"
#include "store/writer.h"

#include <sodium.h>

json_t *mc_api_user_full_json(const struct mc_user *u)
{
	json_t *o = mc_api_user_json(u);

	json_object_set_new(o, "active", json_boolean(u->active));
	json_object_set_new(o, "locked_until", mc_api_time(u->locked_until));
	return o;
}

struct user_list {
	json_t *items;
	int64_t last;
};

static void user_item(const struct mc_user *u, void *arg)
{
	struct user_list *l = arg;

	json_array_append_new(l->items, mc_api_user_full_json(u));
	l->last = u->id;
}

void api_users_list(struct mc_req *r)
{
	static const char *const allowed[] = { "unit_code", "role", "limit",
					       "cursor", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct user_list l = { NULL, 0 };
	struct mc_user me;
	const char *v;
	long after = 0;
	int limit, role = -1, n;

	if (mc_api_user(r, &me) ||
	    mc_api_require_role(r, &me, 1u << MC_ROLE_ADMIN))
		return;
	if (mc_req_query_check(r, allowed, &err) ||
	    mc_api_limit(r, 100, 500, &limit, &err))
		goto bad;
	if ((v = mc_req_query(r, "role")) && (role = mc_role_parse(v)) < 0) {
		mc_err_field(&err, "role", "enum", "must be admin, "
			     "control_officer, counter_officer, specialist or "
			     "leader");
		goto bad;
	}
	if ((v = mc_req_query(r, "cursor")) &&
	    mc_parse_int("cursor", v, 0, INT64_MAX, &after, &err))
		goto bad;
	l.items = json_array();
	n = mc_user_list(mc_req_db(r), me.unit_path, mc_req_query(r,
			 "unit_code"), role, after, limit, user_item, &l, &err);
	if (n < 0) {
		json_decref(l.items);
		goto bad;
	}
	mc_api_page_after(r, l.items, n == limit, l.last);
	return;
bad:
	if (!mc_req_answered(r))
		mc_reply_err(r, &err);
}

static void staff_item(const struct mc_user *u, json_t *items)
{
	if (u->active && u->role != MC_ROLE_ADMIN &&
	    u->role != MC_ROLE_CONTROL_OFFICER)
		json_array_append_new(items, json_pack("{s:s, s:s, s:s}",
			"username", u->username, "full_name", u->full_name,
			"role", mc_role_name(u->role)));
}

static void staff_item_last(const struct mc_user *u, void *arg)
{
	struct user_list *l = arg;

	staff_item(u, l->items);
	l->last = u->id;
}

/*
 * GET /api/v1/units/{code}/staff: the active officers of one unit (counter
 * officers, specialists, leaders), for staff of that unit or one above —
 * whom a leader may assign a dossier to, whom a dossier is forwarded to.
 */
void api_unit_staff(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_user me;
	struct mc_unit u;
	json_t *items;
	int64_t after = 0;
	int n;

	if (mc_api_user(r, &me))
		return;
	if (mc_req_query_check(r, (const char *const[]){ NULL }, &err))
		goto bad;
	if (mc_unit_get(mc_req_db(r), mc_req_param(r, "code"), &u, &err))
		goto bad;
	if (!mc_unit_within(u.path, me.unit_path)) {
		mc_error(&err, MC_ENOTFOUND, "no unit %s in your units",
			 u.code);
		goto bad;
	}
	items = json_array();
	do {
		struct user_list l = { items, after };

		n = mc_user_list(mc_req_db(r), u.path, u.code, -1, after, 500,
				 staff_item_last, &l, &err);
		after = l.last;
	} while (n == 500);
	if (n < 0) {
		json_decref(items);
		goto bad;
	}
	mc_reply_json(r, 200, json_pack("{s:{s:s, s:s}, s:o}", "unit", "code",
					u.code, "name", u.name, "items", items));
	return;
bad:
	mc_reply_err(r, &err);
}

struct user_new {
	struct mc_app *app;
	struct mc_user admin;		/* who creates it */
	struct mc_user u;
	char password[256];
	int64_t now;
	int rc;
	struct mc_err err;
};

static int create_fn(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct user_new *n = arg;
	struct mc_unit unit;
	int rc = mc_unit_get(c, n->u.unit_code, &unit, NULL);

	if (rc)
		return mc_err_field(err, "unit_code", "exists", "no unit has "
				    "the code %s", n->u.unit_code);
	if (!mc_unit_within(unit.path, n->admin.unit_path))
		return mc_error(err, MC_EFORBIDDEN, "unit %s is outside the "
				"units of %s", unit.code, n->admin.username);
	if (unit.valid_to[0])
		return mc_err_field(err, "unit_code", "in_force", "unit %s "
				    "ended on %s", unit.code, unit.valid_to);
	return mc_user_create(c, &n->u, n->now, err);
}

/* On a worker: the slow hash, then the write. */
static void create_run(struct mc_conn *db, void *arg)
{
	struct user_new *n = arg;

	(void)db;
	n->rc = mc_api_password_hash(&n->app->cfg, n->password,
				     n->u.password_hash,
				     sizeof(n->u.password_hash), &n->err);
	sodium_memzero(n->password, sizeof(n->password));
	if (!n->rc)
		n->rc = mc_writer_run(n->app->writer, create_fn, n, &n->err);
}

static void create_done(struct mc_req *r, void *arg)
{
	struct user_new *n = arg;

	if (!mc_req_answered(r)) {
		if (n->rc) {
			mc_reply_err(r, &n->err);
		} else {
			char loc[160];

			snprintf(loc, sizeof(loc), "/api/v1/users?unit_code=%s",
				 n->u.unit_code);
			mc_req_header(r, "location", loc);
			mc_reply_json(r, 201, mc_api_user_full_json(&n->u));
		}
	}
	mc_free(n);
}

void api_users_create(struct mc_req *r)
{
	static const char *const known[] = { "username", "full_name", "role",
		"unit_code", "password", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct user_new *n;
	char role[32];
	json_t *body, *pw;
	int rc = 0, ro;
	size_t i;

	n = mc_calloc(1, sizeof(*n));
	if (mc_api_user(r, &n->admin) ||
	    mc_api_require_role(r, &n->admin, 1u << MC_ROLE_ADMIN) ||
	    !(body = mc_api_body(r))) {
		mc_free(n);
		return;
	}
	rc |= mc_api_known(body, "", known, &err);
	rc |= mc_api_str(body, "", "username", true, 63, n->u.username,
			 sizeof(n->u.username), &err);
	for (i = 0; n->u.username[i]; i++) {
		char ch = n->u.username[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
		      ch == '-')) {
			rc |= mc_err_field(&err, "username", "format", "use "
					   "letters without diacritics, digits "
					   "and . _ - only");
			break;
		}
	}
	rc |= mc_api_str(body, "", "full_name", true, 100, n->u.full_name,
			 sizeof(n->u.full_name), &err);
	rc |= mc_api_str(body, "", "role", true, 31, role, sizeof(role), &err);
	ro = mc_role_parse(role);
	if (role[0] && ro < 0)
		rc |= mc_err_field(&err, "role", "enum", "must be admin, "
				   "control_officer, counter_officer, "
				   "specialist or leader");
	n->u.role = ro < 0 ? MC_ROLE_COUNTER_OFFICER : (enum mc_role)ro;
	rc |= mc_api_str(body, "", "unit_code", true, MC_CODE_MAX - 1,
			 n->u.unit_code, sizeof(n->u.unit_code), &err);
	/* The password as typed (not trimmed); its rules are checked with
	 * the hash. */
	pw = json_object_get(body, "password");
	if (!json_is_string(pw) || json_string_length(pw) == 0)
		rc |= mc_err_field(&err, "password", "required", "give an "
				   "initial password of at least 10 "
				   "characters");
	else if (json_string_length(pw) >= sizeof(n->password))
		rc |= mc_err_field(&err, "password", "max_length", "at most "
				   "255 bytes");
	else if (strlen(json_string_value(pw)) != json_string_length(pw))
		rc |= mc_err_field(&err, "password", "control", "must not "
				   "hold a NUL character");
	else
		memcpy(n->password, json_string_value(pw),
		       json_string_length(pw) + 1);
	json_decref(body);
	if (rc) {
		sodium_memzero(n->password, sizeof(n->password));
		mc_free(n);
		mc_reply_err(r, &err);
		return;
	}
	n->app = mc_req_app(r);
	n->now = mc_api_now(n->app);
	mc_err_clear(&n->err);
	mc_req_defer(r, create_run, create_done, n);
}
