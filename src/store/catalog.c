/*
 * catalog.c — units, users, sessions and procedures in the database (see
 * catalog.h). Portable SQL with numbered parameters only (store.h).
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/fold.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "store/catalog.h"
#include "store/store.h"

char *mc_like_escape(const char *s)
{
	size_t n, i, k = 0;
	char *out;

	if (!s)
		return NULL;
	n = strlen(s);
	out = mc_malloc(2 * n + 1);
	for (i = 0; i < n; i++) {
		if (s[i] == '\\' || s[i] == '%' || s[i] == '_')
			out[k++] = '\\';
		out[k++] = s[i];
	}
	out[k] = '\0';
	return out;
}

bool mc_unit_within(const char *path, const char *scope_path)
{
	size_t n = strlen(scope_path);

	return n > 0 && strncmp(path, scope_path, n) == 0;
}

/* Units. */

#define UNIT_COLS "u.id, u.code, u.admin_code, u.name, u.short_name, " \
	"u.level, u.parent_id, p.code, u.path, u.valid_from, u.valid_to, " \
	"u.successor_id, s.code, u.mapped_path FROM units u LEFT JOIN " \
	"units p ON p.id = " \
	"u.parent_id LEFT JOIN units s ON s.id = u.successor_id "

static void unit_row(struct mc_stmt *s, struct mc_unit *u)
{
	memset(u, 0, sizeof(*u));
	u->id = mc_sql_col_int(s, 0);
	mc_sql_col_copy(s, 1, u->code, sizeof(u->code));
	mc_sql_col_copy(s, 2, u->admin_code, sizeof(u->admin_code));
	mc_sql_col_copy(s, 3, u->name, sizeof(u->name));
	mc_sql_col_copy(s, 4, u->short_name, sizeof(u->short_name));
	mc_sql_col_copy(s, 5, u->level, sizeof(u->level));
	u->parent_id = mc_sql_col_int(s, 6);
	mc_sql_col_copy(s, 7, u->parent_code, sizeof(u->parent_code));
	mc_sql_col_copy(s, 8, u->path, sizeof(u->path));
	mc_sql_col_copy(s, 9, u->valid_from, sizeof(u->valid_from));
	mc_sql_col_copy(s, 10, u->valid_to, sizeof(u->valid_to));
	u->successor_id = mc_sql_col_int(s, 11);
	mc_sql_col_copy(s, 12, u->successor_code, sizeof(u->successor_code));
	mc_sql_col_copy(s, 13, u->mapped_path, sizeof(u->mapped_path));
}

static int unit_one(struct mc_stmt *s, struct mc_unit *out, const char *what,
		    struct mc_err *err)
{
	int rc = mc_sql_step(s, err);

	if (rc < 0)
		return rc;
	if (rc == 0)
		return mc_error(err, MC_ENOTFOUND, "unit %s not found", what);
	unit_row(s, out);
	mc_sql_reset(s);
	return 0;
}

int mc_unit_get(struct mc_conn *c, const char *code, struct mc_unit *out,
		struct mc_err *err)
{
	static const char sql[] = "SELECT " UNIT_COLS "WHERE u.code = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, code);
	return unit_one(s, out, code, err);
}

int mc_unit_root(struct mc_conn *c, struct mc_unit *out, struct mc_err *err)
{
	static const char sql[] = "SELECT " UNIT_COLS "WHERE u.parent_id IS "
		"NULL AND u.valid_to IS NULL ORDER BY u.id LIMIT 1";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	return unit_one(s, out, "(root)", err);
}

/* The province: its root unit's name after "tỉnh" or "thành phố". */
static void place_of(const char *root, char *out, size_t n)
{
	static const char *const marks[] = { "thành phố ", "tỉnh " };
	const char *p, *best = NULL;
	size_t i;

	out[0] = 0;
	for (i = 0; i < MC_ARRAY_SIZE(marks); i++)
		if ((p = strstr(root, marks[i])) && (!best || p > best))
			best = p + strlen(marks[i]);
	if (best)
		snprintf(out, n, "%s", best);
}

int mc_unit_heading(struct mc_conn *c, int64_t unit_id,
		    struct mc_unit_heading *out, struct mc_err *err)
{
	static const char sql[] = "SELECT me.name, COALESCE(pu.name, ''), "
		"COALESCE((SELECT r.name FROM units r WHERE r.parent_id IS NULL "
		"AND substr(me.path, 1, length(r.path)) = r.path ORDER BY r.id "
		"LIMIT 1), '') FROM units me LEFT JOIN units pu ON pu.id = "
		"me.parent_id WHERE me.id = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	char root[MC_NAME_MAX];
	int rc;

	memset(out, 0, sizeof(*out));
	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, unit_id);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_ENOTFOUND, "no unit #%"
					      PRId64, unit_id);
	mc_sql_col_copy(s, 0, out->issuer, sizeof(out->issuer));
	mc_sql_col_copy(s, 1, out->governing, sizeof(out->governing));
	mc_sql_col_copy(s, 2, root, sizeof(root));
	mc_sql_reset(s);
	place_of(root, out->place, sizeof(out->place));
	return 0;
}

int mc_unit_get_id(struct mc_conn *c, int64_t id, struct mc_unit *out,
		   struct mc_err *err)
{
	static const char sql[] = "SELECT " UNIT_COLS "WHERE u.id = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	char what[24];

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	snprintf(what, sizeof(what), "#%" PRId64, id);
	return unit_one(s, out, what, err);
}

int mc_unit_create(struct mc_conn *c, const struct mc_unit *in,
		   int64_t now, struct mc_unit *out, struct mc_err *err)
{
	static const char ins[] = "INSERT INTO units (code, admin_code, name, "
		"name_folded, short_name, level, parent_id, path, valid_from, "
		"valid_to, successor_id, created_at) VALUES (?1, ?2, ?3, ?4, "
		"?5, ?6, ?7, '', ?8, ?9, ?10, ?11) RETURNING id";
	/* Under its successor if it has one, else its parent (0031). */
	static const char upd[] = "UPDATE units SET path = ?2, mapped_path = "
		"COALESCE((SELECT s.mapped_path FROM units s WHERE s.id = ?3), "
		"(SELECT p.mapped_path FROM units p WHERE p.id = ?4), '/') || "
		"?5 WHERE id = ?1";
	char me[32];
	struct mc_unit parent, succ;
	struct mc_stmt *s;
	char ts[24], path[MC_PATH_MAX];
	char *folded = NULL;
	int64_t id;
	int rc;

	parent.id = succ.id = 0;
	parent.path[0] = '\0';
	if (in->parent_code[0] &&
	    mc_unit_get(c, in->parent_code, &parent, NULL))
		return mc_err_field(err, "parent_code", "exists", "no unit has "
				    "the code %s", in->parent_code);
	if (in->successor_code[0] &&
	    mc_unit_get(c, in->successor_code, &succ, NULL))
		return mc_err_field(err, "successor_code", "exists", "no unit "
				    "has the code %s", in->successor_code);
	s = mc_sql(c, ins, err);
	if (!s)
		return MC_EDB;
	folded = mc_text_fold(in->name, strlen(in->name));
	mc_sql_text(s, 1, in->code);
	mc_sql_text_opt(s, 2, in->admin_code);
	mc_sql_text(s, 3, in->name);
	mc_sql_text(s, 4, folded ? folded : "");
	mc_sql_text_opt(s, 5, in->short_name);
	mc_sql_text(s, 6, in->level);
	mc_sql_id(s, 7, parent.id);
	mc_sql_text(s, 8, in->valid_from);
	mc_sql_text_opt(s, 9, in->valid_to);
	mc_sql_id(s, 10, succ.id);
	mc_sql_text(s, 11, mc_store_time(now, ts));
	mc_free(folded);
	rc = mc_sql_step(s, err);
	if (rc == MC_ECONFLICT)
		return mc_err_rule(err, MC_ECONFLICT, "code", "unique", "a "
				   "unit with the code %s exists", in->code);
	if (rc < 0)
		return rc;
	id = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	if (snprintf(path, sizeof(path), "%s%s%" PRId64 "/", parent.path,
		     parent.id ? "" : "/", id) >= (int)sizeof(path))
		return mc_err_field(err, "parent_code", "depth", "the unit "
				    "tree is too deep under %s",
				    in->parent_code);
	s = mc_sql(c, upd, err);
	if (!s)
		return MC_EDB;
	snprintf(me, sizeof(me), "%" PRId64 "/", id);
	mc_sql_int(s, 1, id);
	mc_sql_text(s, 2, path);
	mc_sql_id(s, 3, succ.id);
	mc_sql_id(s, 4, parent.id);
	mc_sql_text(s, 5, me);
	rc = mc_sql_exec(s, err);
	if (rc)
		return rc;
	return mc_unit_get_id(c, id, out, err);
}

int mc_unit_list(struct mc_conn *c, const char *code, const char *q,
		 int64_t after, int max, mc_unit_fn *fn, void *arg,
		 struct mc_err *err)
{
	static const char sql[] = "SELECT " UNIT_COLS "WHERE u.id > ?1 AND "
		"(CAST(?2 AS TEXT) IS NULL OR u.code = ?2) AND "
		"(CAST(?3 AS TEXT) IS NULL OR u.name_folded LIKE '%' || ?3 || "
		"'%' ESCAPE '\\') ORDER BY u.id LIMIT ?4";
	struct mc_stmt *s = mc_sql(c, sql, err);
	char *like = mc_like_escape(q && *q ? q : NULL);
	struct mc_unit u;
	int n = 0, rc;

	if (!s) {
		mc_free(like);
		return MC_EDB;
	}
	mc_sql_int(s, 1, after);
	mc_sql_text_opt(s, 2, code);
	mc_sql_text(s, 3, like);
	mc_sql_int(s, 4, max);
	while ((rc = mc_sql_step(s, err)) == 1) {
		unit_row(s, &u);
		fn(&u, arg);
		n++;
	}
	mc_free(like);
	return rc < 0 ? rc : n;
}

/* Users and sessions. */

#define USER_FIELDS "u.id, u.username, u.full_name, u.role, u.unit_id, " \
	"n.code, n.name, n.path, u.password_hash, u.failed_logins, " \
	"u.locked_until, u.active"
#define USER_NFIELDS 12
#define USER_COLS USER_FIELDS " FROM users u JOIN units n ON n.id = " \
	"u.unit_id "

static void user_row(struct mc_stmt *s, struct mc_user *u)
{
	char role[24];
	int r;

	memset(u, 0, sizeof(*u));
	u->id = mc_sql_col_int(s, 0);
	mc_sql_col_copy(s, 1, u->username, sizeof(u->username));
	mc_sql_col_copy(s, 2, u->full_name, sizeof(u->full_name));
	mc_sql_col_copy(s, 3, role, sizeof(role));
	r = mc_role_parse(role);
	u->role = r < 0 ? MC_ROLE_COUNTER_OFFICER : (enum mc_role)r;
	u->unit_id = mc_sql_col_int(s, 4);
	mc_sql_col_copy(s, 5, u->unit_code, sizeof(u->unit_code));
	mc_sql_col_copy(s, 6, u->unit_name, sizeof(u->unit_name));
	mc_sql_col_copy(s, 7, u->unit_path, sizeof(u->unit_path));
	mc_sql_col_copy(s, 8, u->password_hash, sizeof(u->password_hash));
	u->failed_logins = (int)mc_sql_col_int(s, 9);
	u->locked_until = mc_store_time_parse(mc_sql_col_text(s, 10));
	u->active = mc_sql_col_int(s, 11) != 0;
}

static int user_one(struct mc_stmt *s, struct mc_user *out, const char *what,
		    struct mc_err *err)
{
	int rc = mc_sql_step(s, err);

	if (rc < 0)
		return rc;
	if (rc == 0)
		return mc_error(err, MC_ENOTFOUND, "user %s not found", what);
	user_row(s, out);
	mc_sql_reset(s);
	return 0;
}

int mc_user_get(struct mc_conn *c, const char *username,
		struct mc_user *out, struct mc_err *err)
{
	static const char sql[] = "SELECT " USER_COLS "WHERE u.username = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, username);
	return user_one(s, out, username, err);
}

int mc_user_get_id(struct mc_conn *c, int64_t id, struct mc_user *out,
		   struct mc_err *err)
{
	static const char sql[] = "SELECT " USER_COLS "WHERE u.id = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	return user_one(s, out, "by id", err);
}

int mc_user_list(struct mc_conn *c, const char *scope_path,
		 const char *unit_code, int role, int64_t after, int max,
		 mc_user_fn *fn, void *arg, struct mc_err *err)
{
	static const char sql[] = "SELECT " USER_COLS "WHERE u.id > ?1 AND "
		"substr(n.path, 1, length(CAST(?2 AS TEXT))) = ?2 AND "
		"(CAST(?3 AS TEXT) IS NULL OR n.code = ?3) AND "
		"(CAST(?4 AS TEXT) IS NULL OR u.role = ?4) ORDER BY u.id LIMIT ?5";
	struct mc_stmt *s = mc_sql(c, sql, err);
	struct mc_user u;
	int n = 0, rc;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, after);
	mc_sql_text(s, 2, scope_path);
	mc_sql_text_opt(s, 3, unit_code);
	mc_sql_text(s, 4, role >= 0 ? mc_role_name((enum mc_role)role) : NULL);
	mc_sql_int(s, 5, max);
	while ((rc = mc_sql_step(s, err)) == 1) {
		user_row(s, &u);
		fn(&u, arg);
		n++;
	}
	return rc < 0 ? rc : n;
}

int mc_user_create(struct mc_conn *c, struct mc_user *u, int64_t now,
		   struct mc_err *err)
{
	static const char sql[] = "INSERT INTO users (username, full_name, "
		"role, unit_id, password_hash, created_at) VALUES (?1, ?2, ?3, "
		"?4, ?5, ?6) RETURNING id";
	struct mc_unit unit;
	struct mc_stmt *s;
	char ts[24];
	int rc;

	if (!strcasecmp(u->username, MC_SYSTEM_ACTOR) ||
	    !strcasecmp(u->username, MC_CITIZEN_ACTOR))
		return mc_err_field(err, "username", "reserved", "the username "
				    "%s is reserved for what the system "
				    "records itself", u->username);
	if (mc_unit_get(c, u->unit_code, &unit, NULL))
		return mc_err_field(err, "unit", "exists", "no unit has the "
				    "code %s", u->unit_code);
	s = mc_sql(c, sql, err);
	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, u->username);
	mc_sql_text(s, 2, u->full_name);
	mc_sql_text(s, 3, mc_role_name(u->role));
	mc_sql_int(s, 4, unit.id);
	mc_sql_text(s, 5, u->password_hash);
	mc_sql_text(s, 6, mc_store_time(now, ts));
	rc = mc_sql_step(s, err);
	if (rc == MC_ECONFLICT)
		return mc_err_field(err, "username", "unique", "the username "
				    "%s is taken", u->username);
	if (rc < 0)
		return rc;
	u->id = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	u->unit_id = unit.id;
	snprintf(u->unit_path, sizeof(u->unit_path), "%s", unit.path);
	snprintf(u->unit_name, sizeof(u->unit_name), "%s", unit.name);
	u->active = true;
	u->failed_logins = 0;
	u->locked_until = MC_NO_TIME;
	return 0;
}

int mc_user_login_failed(struct mc_conn *c, int64_t user_id, int max,
			 int64_t lock_until, bool *locked, struct mc_err *err)
{
	static const char sql[] = "UPDATE users SET "
		"locked_until = CASE WHEN failed_logins + 1 >= ?2 THEN ?3 "
		"ELSE locked_until END, "
		"failed_logins = CASE WHEN failed_logins + 1 >= ?2 THEN 0 "
		"ELSE failed_logins + 1 END WHERE id = ?1 "
		"RETURNING failed_logins, locked_until = ?3";
	struct mc_stmt *s = mc_sql(c, sql, err);
	char ts[24];
	int rc;

	*locked = false;
	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, user_id);
	mc_sql_int(s, 2, max);
	mc_sql_text(s, 3, mc_store_time(lock_until, ts));
	rc = mc_sql_step(s, err);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		*locked = mc_sql_col_int(s, 0) == 0 &&
			  mc_sql_col_int(s, 1) == 1;
		mc_sql_reset(s);
	}
	return 0;
}

int mc_session_create(struct mc_conn *c, int64_t user_id,
		      const char *token_hash, int64_t now, int64_t expires,
		      struct mc_err *err)
{
	static const char clear[] = "UPDATE users SET failed_logins = 0, "
		"locked_until = NULL WHERE id = ?1 AND (locked_until IS NULL "
		"OR locked_until <= ?2)";
	static const char ins[] = "INSERT INTO sessions (token_hash, user_id, "
		"created_at, expires_at) VALUES (?1, ?2, ?3, ?4)";
	struct mc_stmt *s = mc_sql(c, clear, err);
	char t1[24], t2[24];
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, user_id);
	mc_sql_text(s, 2, mc_store_time(now, t1));
	rc = mc_sql_exec(s, err);
	if (rc)
		return rc;
	if (mc_sql_changes(c) == 0)
		return mc_error(err, MC_EFORBIDDEN, "the account is locked");
	s = mc_sql(c, ins, err);
	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, token_hash);
	mc_sql_int(s, 2, user_id);
	mc_sql_text(s, 3, mc_store_time(now, t1));
	mc_sql_text(s, 4, mc_store_time(expires, t2));
	return mc_sql_exec(s, err);
}

int mc_session_revoke(struct mc_conn *c, const char *token_hash,
		      int64_t now, struct mc_err *err)
{
	static const char sql[] = "UPDATE sessions SET revoked_at = ?2 WHERE "
		"token_hash = ?1 AND revoked_at IS NULL";
	struct mc_stmt *s = mc_sql(c, sql, err);
	char ts[24];
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, token_hash);
	mc_sql_text(s, 2, mc_store_time(now, ts));
	rc = mc_sql_exec(s, err);
	if (rc)
		return rc;
	if (mc_sql_changes(c) == 0)
		return mc_error(err, MC_ENOTFOUND, "no open session");
	return 0;
}

int mc_session_user(struct mc_conn *c, const char *token_hash, int64_t now,
		    struct mc_user *out, int64_t *expires, int64_t *wrote_at,
		    struct mc_err *err)
{
	static const char sql[] = "SELECT " USER_FIELDS ", x.expires_at, "
		"x.wrote_at FROM users u JOIN units n ON n.id = u.unit_id, "
		"sessions x WHERE x.token_hash = ?1 AND x.user_id = u.id AND "
		"x.revoked_at IS NULL AND x.expires_at > ?2 AND u.active = 1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	char ts[24];
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, token_hash);
	mc_sql_text(s, 2, mc_store_time(now, ts));
	rc = mc_sql_step(s, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return mc_error(err, MC_ENOTFOUND, "user of the session not "
				"found");
	user_row(s, out);
	*expires = mc_sql_col_time(s, USER_NFIELDS);
	*wrote_at = mc_sql_col_time(s, USER_NFIELDS + 1);
	mc_sql_reset(s);
	return 0;
}

int mc_session_wrote(struct mc_conn *c, const char *token_hash, int64_t now,
		     struct mc_err *err)
{
	static const char sql[] = "UPDATE sessions SET wrote_at = ?2 WHERE "
		"token_hash = ?1 AND (wrote_at IS NULL OR wrote_at <> ?2)";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, token_hash);
	mc_sql_time(s, 2, now);
	return mc_sql_exec(s, err);
}

/* Procedures. */

void mc_procedure_release(struct mc_procedure *p)
{
	if (!p)
		return;
	mc_free(p->fees);
	mc_free(p->components);
	mc_free(p->steps);
	p->fees = NULL;
	p->components = NULL;
	p->steps = NULL;
	p->nfees = p->ncomponents = p->nsteps = 0;
}

int mc_due_unit_parse(const char *s)
{
	int u;

	for (u = MC_DUE_WORKING_DAYS; u <= MC_DUE_MONTHS; u++)
		if (s && strcmp(s, mc_due_unit_name((enum mc_due_unit)u)) == 0)
			return u;
	return -1;
}

static int ensure_procedure(struct mc_conn *c, const char *code, int64_t now,
			    int64_t *id, struct mc_err *err)
{
	static const char sel[] = "SELECT id FROM procedures WHERE code = ?1";
	static const char ins[] = "INSERT INTO procedures (code, created_at) "
		"VALUES (?1, ?2) RETURNING id";
	struct mc_stmt *s = mc_sql(c, sel, err);
	char ts[24];
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, code);
	rc = mc_sql_step(s, err);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		s = mc_sql(c, ins, err);
		if (!s)
			return MC_EDB;
		mc_sql_text(s, 1, code);
		mc_sql_text(s, 2, mc_store_time(now, ts));
		rc = mc_sql_step(s, err);
		if (rc <= 0)
			return rc < 0 ? rc : MC_EDB;
	}
	*id = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	return 0;
}

int mc_procedure_create(struct mc_conn *c, struct mc_procedure *p,
			int64_t now, int64_t user_id, struct mc_err *err)
{
	static const char next[] = "SELECT COALESCE(MAX(version), 0) + 1 FROM "
		"procedure_versions WHERE procedure_id = ?1";
	static const char ins[] = "INSERT INTO procedure_versions "
		"(procedure_id, version, state, name, name_folded, field, "
		"level, unit_id, time_amount, time_unit, target_amount, "
		"target_unit, online_reduction_percent, online_level, "
		"on_the_spot, result_type, result_paper, result_electronic, "
		"created_at, created_by, decision_number, decision_date, "
		"pay_first, retention_years) VALUES (?1, ?2, 'draft', ?3, ?4, "
		"?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
		"?18, ?19, ?20, ?21, ?22, ?23) RETURNING id";
	static const char fee[] = "INSERT INTO procedure_fees (version_id, "
		"ordinal, name, kind, amount, online_discount_percent, per, "
		"exempt) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	static const char comp[] = "INSERT INTO procedure_components "
		"(version_id, ordinal, code, name, document_type, form, "
		"quantity, required) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	static const char step[] = "INSERT INTO procedure_steps (version_id, "
		"ordinal, name, role, unit_id, share_percent) VALUES (?1, ?2, "
		"?3, ?4, ?5, ?6)";
	struct mc_unit unit;
	struct mc_stmt *s;
	char ts[24];
	char *folded;
	int rc, i;

	if (mc_unit_get(c, p->unit_code, &unit, NULL))
		return mc_err_field(err, "unit_code", "exists", "no unit has "
				    "the code %s", p->unit_code);
	p->unit_id = unit.id;
	for (i = 0; i < p->nsteps; i++) {
		struct mc_unit su;
		char field[48];

		if (!p->steps[i].unit_code[0])
			continue;
		snprintf(field, sizeof(field), "steps[%d].unit_code", i);
		if (mc_unit_get(c, p->steps[i].unit_code, &su, NULL))
			return mc_err_field(err, field, "exists", "no unit "
					    "has the code %s",
					    p->steps[i].unit_code);
		p->steps[i].unit_id = su.id;
	}
	rc = ensure_procedure(c, p->code, now, &p->procedure_id, err);
	if (rc)
		return rc;
	s = mc_sql(c, next, err);
	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, p->procedure_id);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : MC_EDB;
	p->version = (int)mc_sql_col_int(s, 0);
	mc_sql_reset(s);

	s = mc_sql(c, ins, err);
	if (!s)
		return MC_EDB;
	folded = mc_text_fold(p->name, strlen(p->name));
	mc_sql_int(s, 1, p->procedure_id);
	mc_sql_int(s, 2, p->version);
	mc_sql_text(s, 3, p->name);
	mc_sql_text(s, 4, folded ? folded : "");
	mc_free(folded);
	mc_sql_text(s, 5, p->field);
	mc_sql_text(s, 6, p->level);
	mc_sql_int(s, 7, p->unit_id);
	mc_sql_int(s, 8, p->time.amount);
	mc_sql_text(s, 9, mc_due_unit_name(p->time.unit));
	if (p->has_target) {
		mc_sql_int(s, 10, p->target.amount);
		mc_sql_text(s, 11, mc_due_unit_name(p->target.unit));
	} else {
		mc_sql_null(s, 10);
		mc_sql_null(s, 11);
	}
	mc_sql_int(s, 12, p->online_reduction_percent);
	mc_sql_text(s, 13, p->online_level);
	mc_sql_int(s, 14, p->on_the_spot);
	mc_sql_text(s, 15, p->result_type);
	mc_sql_int(s, 16, p->result_paper);
	mc_sql_int(s, 17, p->result_electronic);
	mc_sql_text(s, 18, mc_store_time(now, ts));
	mc_sql_id(s, 19, user_id);
	mc_sql_text_opt(s, 20, p->decision_number);
	mc_sql_text_opt(s, 21, p->decision_date);
	mc_sql_int(s, 22, p->pay_first);
	if (p->retention_years > 0)
		mc_sql_int(s, 23, p->retention_years);
	else
		mc_sql_null(s, 23);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : MC_EDB;
	p->id = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	snprintf(p->state, sizeof(p->state), "draft");

	for (i = 0; i < p->nfees; i++) {
		if (!(s = mc_sql(c, fee, err)))
			return MC_EDB;
		mc_sql_int(s, 1, p->id);
		mc_sql_int(s, 2, i);
		mc_sql_text(s, 3, p->fees[i].name);
		mc_sql_text(s, 4, p->fees[i].kind);
		mc_sql_int(s, 5, p->fees[i].amount);
		mc_sql_int(s, 6, p->fees[i].online_discount_percent);
		mc_sql_text(s, 7, p->fees[i].per[0] ? p->fees[i].per :
			    "dossier");
		mc_sql_text(s, 8, p->fees[i].exempt);
		if ((rc = mc_sql_exec(s, err)))
			return rc;
	}
	for (i = 0; i < p->ncomponents; i++) {
		const struct mc_proc_component *k = &p->components[i];

		if (!(s = mc_sql(c, comp, err)))
			return MC_EDB;
		mc_sql_int(s, 1, p->id);
		mc_sql_int(s, 2, i);
		mc_sql_text(s, 3, k->code);
		mc_sql_text(s, 4, k->name);
		mc_sql_text(s, 5, k->document_type);
		mc_sql_text(s, 6, k->form);
		mc_sql_int(s, 7, k->quantity);
		mc_sql_int(s, 8, k->required);
		if ((rc = mc_sql_exec(s, err)))
			return rc == MC_ECONFLICT ? mc_err_field(err,
				"components", "unique", "component code %s "
				"appears twice", k->code) : rc;
	}
	for (i = 0; i < p->nsteps; i++) {
		if (!(s = mc_sql(c, step, err)))
			return MC_EDB;
		mc_sql_int(s, 1, p->id);
		mc_sql_int(s, 2, i);
		mc_sql_text(s, 3, p->steps[i].name);
		mc_sql_text(s, 4, mc_role_name(p->steps[i].role));
		mc_sql_id(s, 5, p->steps[i].unit_id);
		mc_sql_int(s, 6, p->steps[i].share_percent);
		if ((rc = mc_sql_exec(s, err)))
			return rc;
	}
	return 0;
}

int mc_procedure_publish(struct mc_conn *c, const char *code,
			 int32_t valid_from, const char *number,
			 int32_t date, int64_t now, int64_t user_id,
			 struct mc_err *err)
{
	static const char draft[] = "SELECT v.id FROM procedure_versions v "
		"JOIN procedures p ON p.id = v.procedure_id WHERE p.code = ?1 "
		"AND v.state = 'draft' ORDER BY v.version DESC LIMIT 1";
	static const char prev[] = "SELECT v.id, v.valid_from FROM "
		"procedure_versions v JOIN procedures p ON p.id = "
		"v.procedure_id WHERE p.code = ?1 AND v.state = 'published' "
		"AND v.valid_to IS NULL";
	static const char end[] = "UPDATE procedure_versions SET valid_to = ?2 "
		"WHERE id = ?1";
	static const char pub[] = "UPDATE procedure_versions SET state = "
		"'published', valid_from = ?2, decision_number = ?3, "
		"decision_date = ?4, published_at = ?5, published_by = ?6 "
		"WHERE id = ?1";
	struct mc_stmt *s = mc_sql(c, draft, err);
	char from[11], day_before[11], dd[11], ts[24], pfrom[11];
	int64_t id, prev_id = 0;
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, code);
	rc = mc_sql_step(s, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return mc_error(err, MC_ENOTFOUND, "procedure %s has no draft "
				"to publish", code);
	id = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	mc_date_format(valid_from, from, sizeof(from));
	mc_date_format(valid_from - 1, day_before, sizeof(day_before));
	s = mc_sql(c, prev, err);
	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, code);
	rc = mc_sql_step(s, err);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		prev_id = mc_sql_col_int(s, 0);
		mc_sql_col_copy(s, 1, pfrom, sizeof(pfrom));
		mc_sql_reset(s);
		if (strcmp(pfrom, from) >= 0)
			return mc_err_field(err, "valid_from", "after_current",
					    "must be after %s, when the "
					    "version in force began", pfrom);
		s = mc_sql(c, end, err);
		if (!s)
			return MC_EDB;
		mc_sql_int(s, 1, prev_id);
		mc_sql_text(s, 2, day_before);
		if ((rc = mc_sql_exec(s, err)))
			return rc;
	}
	s = mc_sql(c, pub, err);
	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	mc_sql_text(s, 2, from);
	mc_sql_text_opt(s, 3, number);
	mc_sql_text(s, 4, date >= 0 ? mc_date_format(date, dd, sizeof(dd)) :
		    NULL);
	mc_sql_text(s, 5, mc_store_time(now, ts));
	mc_sql_id(s, 6, user_id);
	return mc_sql_exec(s, err);
}

#define PROC_COLS "v.id, v.procedure_id, p.code, v.version, v.state, " \
	"v.name, v.field, v.level, v.unit_id, u.code, v.time_amount, " \
	"v.time_unit, v.target_amount, v.target_unit, " \
	"v.online_reduction_percent, v.online_level, v.on_the_spot, " \
	"v.result_type, v.result_paper, v.result_electronic, " \
	"v.decision_number, v.decision_date, v.valid_from, v.valid_to, " \
	"v.created_at, v.published_at, v.pay_first, " \
	"COALESCE(v.retention_years, 0) FROM procedure_versions " \
	"v JOIN " \
	"procedures p ON p.id = v.procedure_id JOIN units u ON u.id = " \
	"v.unit_id "

static void proc_row(struct mc_stmt *s, struct mc_procedure *p)
{
	char unit[24];
	int u;

	p->id = mc_sql_col_int(s, 0);
	p->procedure_id = mc_sql_col_int(s, 1);
	mc_sql_col_copy(s, 2, p->code, sizeof(p->code));
	p->version = (int)mc_sql_col_int(s, 3);
	mc_sql_col_copy(s, 4, p->state, sizeof(p->state));
	mc_sql_col_copy(s, 5, p->name, sizeof(p->name));
	mc_sql_col_copy(s, 6, p->field, sizeof(p->field));
	mc_sql_col_copy(s, 7, p->level, sizeof(p->level));
	p->unit_id = mc_sql_col_int(s, 8);
	mc_sql_col_copy(s, 9, p->unit_code, sizeof(p->unit_code));
	p->time.amount = (int32_t)mc_sql_col_int(s, 10);
	mc_sql_col_copy(s, 11, unit, sizeof(unit));
	u = mc_due_unit_parse(unit);
	p->time.unit = u < 0 ? MC_DUE_WORKING_DAYS : (enum mc_due_unit)u;
	p->has_target = !mc_sql_col_null(s, 12);
	p->target.amount = (int32_t)mc_sql_col_int(s, 12);
	mc_sql_col_copy(s, 13, unit, sizeof(unit));
	u = mc_due_unit_parse(unit);
	p->target.unit = u < 0 ? MC_DUE_WORKING_DAYS : (enum mc_due_unit)u;
	p->online_reduction_percent = (int)mc_sql_col_int(s, 14);
	mc_sql_col_copy(s, 15, p->online_level, sizeof(p->online_level));
	p->on_the_spot = mc_sql_col_int(s, 16) != 0;
	mc_sql_col_copy(s, 17, p->result_type, sizeof(p->result_type));
	p->result_paper = mc_sql_col_int(s, 18) != 0;
	p->result_electronic = mc_sql_col_int(s, 19) != 0;
	mc_sql_col_copy(s, 20, p->decision_number, sizeof(p->decision_number));
	mc_sql_col_copy(s, 21, p->decision_date, sizeof(p->decision_date));
	mc_sql_col_copy(s, 22, p->valid_from, sizeof(p->valid_from));
	mc_sql_col_copy(s, 23, p->valid_to, sizeof(p->valid_to));
	mc_sql_col_copy(s, 24, p->created_at, sizeof(p->created_at));
	mc_sql_col_copy(s, 25, p->published_at, sizeof(p->published_at));
	p->pay_first = mc_sql_col_int(s, 26) != 0;
	p->retention_years = (int)mc_sql_col_int(s, 27);
}

/* Reads fees, components and steps of version p->id. */
static int proc_children(struct mc_conn *c, struct mc_procedure *p,
			 bool plan_only, struct mc_err *err)
{
	static const char fees[] = "SELECT name, kind, amount, "
		"online_discount_percent, per, exempt FROM procedure_fees "
		"WHERE version_id = ?1 ORDER BY ordinal";
	static const char comps[] = "SELECT code, name, document_type, form, "
		"quantity, required FROM procedure_components WHERE "
		"version_id = ?1 ORDER BY ordinal";
	static const char steps[] = "SELECT s.name, s.role, s.unit_id, u.code, "
		"s.share_percent FROM procedure_steps s LEFT JOIN units u ON "
		"u.id = s.unit_id WHERE s.version_id = ?1 ORDER BY s.ordinal";
	struct mc_stmt *s;
	int rc, cap;

	mc_procedure_release(p);
	if (plan_only)
		goto steps;
	if (!(s = mc_sql(c, fees, err)))
		return MC_EDB;
	mc_sql_int(s, 1, p->id);
	cap = 0;
	while ((rc = mc_sql_step(s, err)) == 1) {
		struct mc_proc_fee *f;

		p->fees = mc_grow(p->fees, p->nfees, &cap, sizeof(*p->fees));
		f = &p->fees[p->nfees++];
		mc_sql_col_copy(s, 0, f->name, sizeof(f->name));
		mc_sql_col_copy(s, 1, f->kind, sizeof(f->kind));
		f->amount = mc_sql_col_int(s, 2);
		f->online_discount_percent = (int)mc_sql_col_int(s, 3);
		mc_sql_col_copy(s, 4, f->per, sizeof(f->per));
		mc_sql_col_copy(s, 5, f->exempt, sizeof(f->exempt));
	}
	if (rc < 0)
		return rc;
	if (!(s = mc_sql(c, comps, err)))
		return MC_EDB;
	mc_sql_int(s, 1, p->id);
	cap = 0;
	while ((rc = mc_sql_step(s, err)) == 1) {
		struct mc_proc_component *k;

		p->components = mc_grow(p->components, p->ncomponents, &cap,
				     sizeof(*p->components));
		k = &p->components[p->ncomponents++];
		mc_sql_col_copy(s, 0, k->code, sizeof(k->code));
		mc_sql_col_copy(s, 1, k->name, sizeof(k->name));
		mc_sql_col_copy(s, 2, k->document_type, sizeof(k->document_type));
		mc_sql_col_copy(s, 3, k->form, sizeof(k->form));
		k->quantity = (int)mc_sql_col_int(s, 4);
		k->required = mc_sql_col_int(s, 5) != 0;
	}
	if (rc < 0)
		return rc;
steps:
	if (!(s = mc_sql(c, steps, err)))
		return MC_EDB;
	mc_sql_int(s, 1, p->id);
	cap = 0;
	while ((rc = mc_sql_step(s, err)) == 1) {
		struct mc_proc_step *t;
		char role[24];
		int r;

		p->steps = mc_grow(p->steps, p->nsteps, &cap, sizeof(*p->steps));
		t = &p->steps[p->nsteps++];
		mc_sql_col_copy(s, 0, t->name, sizeof(t->name));
		mc_sql_col_copy(s, 1, role, sizeof(role));
		r = mc_role_parse(role);
		t->role = r < 0 ? MC_ROLE_SPECIALIST : (enum mc_role)r;
		t->unit_id = mc_sql_col_int(s, 2);
		mc_sql_col_copy(s, 3, t->unit_code, sizeof(t->unit_code));
		t->share_percent = (int)mc_sql_col_int(s, 4);
	}
	return rc < 0 ? rc : 0;
}

static int proc_one(struct mc_conn *c, struct mc_stmt *s,
		    struct mc_procedure *out, const char *what,
		    bool plan_only, struct mc_err *err)
{
	int rc = mc_sql_step(s, err);

	if (rc < 0)
		return rc;
	if (rc == 0)
		return mc_error(err, MC_ENOTFOUND, "procedure %s not found",
				what);
	mc_procedure_release(out);
	memset(out, 0, sizeof(*out));
	proc_row(s, out);
	mc_sql_reset(s);
	return proc_children(c, out, plan_only, err);
}

int mc_procedure_get(struct mc_conn *c, const char *code, int version,
		     int32_t day, struct mc_procedure *out,
		     struct mc_err *err)
{
	static const char by_version[] = "SELECT " PROC_COLS "WHERE p.code = "
		"?1 AND v.version = ?2";
	static const char latest[] = "SELECT " PROC_COLS "WHERE p.code = ?1 "
		"ORDER BY v.version DESC LIMIT 1";
	static const char in_force[] = "SELECT " PROC_COLS "WHERE p.code = ?1 "
		"AND v.state = 'published' AND v.valid_from <= ?2 AND "
		"(v.valid_to IS NULL OR v.valid_to >= ?2) ORDER BY v.version "
		"DESC LIMIT 1";
	struct mc_stmt *s;
	char d[11];

	if (version > 0) {
		if (!(s = mc_sql(c, by_version, err)))
			return MC_EDB;
		mc_sql_int(s, 2, version);
	} else if (day < 0) {
		if (!(s = mc_sql(c, latest, err)))
			return MC_EDB;
	} else {
		if (!(s = mc_sql(c, in_force, err)))
			return MC_EDB;
		mc_sql_text(s, 2, mc_date_format(day, d, sizeof(d)));
	}
	mc_sql_text(s, 1, code);
	return proc_one(c, s, out, code, false, err);
}

int mc_procedure_get_plan(struct mc_conn *c, int64_t version_id,
			  struct mc_procedure *out, struct mc_err *err)
{
	static const char sql[] = "SELECT " PROC_COLS "WHERE v.id = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, version_id);
	return proc_one(c, s, out, "by id", true, err);
}

int mc_procedure_get_version(struct mc_conn *c, int64_t version_id,
			     struct mc_procedure *out, struct mc_err *err)
{
	static const char sql[] = "SELECT " PROC_COLS "WHERE v.id = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, version_id);
	return proc_one(c, s, out, "by id", false, err);
}

int mc_procedure_list(struct mc_conn *c, const char *q, const char *field,
		      const char *level, const char *after, int max,
		      mc_proc_fn *fn, void *arg, struct mc_err *err)
{
	static const char sql[] = "SELECT p.code, v.version, v.state, v.name, "
		"v.field, v.level, u.code, v.time_amount, v.time_unit, "
		"v.online_level, v.valid_from, v.name_folded FROM procedures p "
		"JOIN procedure_versions v ON v.procedure_id = p.id AND "
		"v.version = (SELECT MAX(version) FROM procedure_versions w "
		"WHERE w.procedure_id = p.id AND w.state = 'published') JOIN "
		"units u ON u.id = v.unit_id "
		"WHERE p.code > ?1 AND (CAST(?2 AS TEXT) IS NULL OR v.field = "
		"?2) AND (CAST(?3 AS TEXT) IS NULL OR v.level = ?3) "
		"ORDER BY p.code";
	struct mc_stmt *s = mc_sql(c, sql, err);
	struct mc_proc_brief b;
	int n = 0, rc = 0;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, after ? after : "");
	mc_sql_text_opt(s, 2, field);
	mc_sql_text_opt(s, 3, level);
	while (n < max && (rc = mc_sql_step(s, err)) == 1) {
		char unit[24];
		int u;

		if (q && *q && !mc_text_fold_match(mc_sql_col_text(s, 11), q))
			continue;
		memset(&b, 0, sizeof(b));
		mc_sql_col_copy(s, 0, b.code, sizeof(b.code));
		b.version = (int)mc_sql_col_int(s, 1);
		mc_sql_col_copy(s, 2, b.state, sizeof(b.state));
		mc_sql_col_copy(s, 3, b.name, sizeof(b.name));
		mc_sql_col_copy(s, 4, b.field, sizeof(b.field));
		mc_sql_col_copy(s, 5, b.level, sizeof(b.level));
		mc_sql_col_copy(s, 6, b.unit_code, sizeof(b.unit_code));
		b.time.amount = (int32_t)mc_sql_col_int(s, 7);
		mc_sql_col_copy(s, 8, unit, sizeof(unit));
		u = mc_due_unit_parse(unit);
		b.time.unit = u < 0 ? MC_DUE_WORKING_DAYS : (enum mc_due_unit)u;
		mc_sql_col_copy(s, 9, b.online_level, sizeof(b.online_level));
		mc_sql_col_copy(s, 10, b.valid_from, sizeof(b.valid_from));
		fn(&b, arg);
		n++;
	}
	if (n == max)
		mc_sql_reset(s);
	else if (rc < 0)
		return rc;
	return n;
}

struct field_count {
	char *field;
	int64_t procedures, online;
};

static int field_cmp(const void *a, const void *b)
{
	return strcmp(((const struct field_count *)a)->field,
		      ((const struct field_count *)b)->field);
}

int mc_procedure_fields(struct mc_conn *c, mc_field_fn *fn, void *arg,
			struct mc_err *err)
{
	static const char sql[] = "SELECT v.field, COUNT(*), SUM(CASE WHEN "
		"v.online_level <> 'none' THEN 1 ELSE 0 END) FROM procedures p "
		"JOIN procedure_versions v ON v.procedure_id = p.id AND "
		"v.version = (SELECT MAX(version) FROM procedure_versions w "
		"WHERE w.procedure_id = p.id AND w.state = 'published') "
		"GROUP BY v.field";
	struct mc_stmt *s = mc_sql(c, sql, err);
	struct field_count *f = NULL;
	size_t n = 0, cap = 0, i;
	int rc;

	if (!s)
		return MC_EDB;
	while ((rc = mc_sql_step(s, err)) == 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			f = mc_realloc(f, cap * sizeof(*f));
		}
		f[n].field = mc_strdup(mc_sql_col_text(s, 0));
		f[n].procedures = mc_sql_col_int(s, 1);
		f[n++].online = mc_sql_col_int(s, 2);
	}
	/* By the bytes of the name: the same order on either backend. */
	if (rc >= 0 && n)
		qsort(f, n, sizeof(*f), field_cmp);
	for (i = 0; i < n; i++) {
		if (rc >= 0)
			fn(f[i].field, f[i].procedures, f[i].online, arg);
		mc_free(f[i].field);
	}
	mc_free(f);
	return rc < 0 ? rc : (int)n;
}
