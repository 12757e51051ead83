/*
 * migrate.c — forward-only numbered migrations, shared by the backends.
 *
 * The migrations of a backend are the embedded files "<dir>/NNNN_name.sql"
 * (migrations/<dir>/ in the source tree). Each is applied once, in its own
 * transaction, and recorded in schema_migrations with its SHA-256. A
 * recorded migration whose text has changed since stops everything:
 * history is never rewritten, a fix is a new migration.
 *
 * Expand, then contract (docs/operations.md "Upgrades"): from 0046 on,
 * each migration says in its first lines "-- phase: expand" (it only
 * adds: the previous release still runs on the database) or "-- phase:
 * contract" (it takes away what only the previous release used). The
 * phase is recorded; a database a newer motcua migrated is served by
 * this one as long as every migration it does not know is an expansion.
 */
#include "core/compat.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/sha256.h"
#include "core/timeutil.h"
#include "store/store.h"
#include "store/store_impl.h"

/* An applied migration, as recorded in the database. */
struct mc_migration_row {
	int version;
	char name[96];
	char checksum[65];
	char applied_at[32];
};

#define MAX_MIGRATIONS 1000
/* The first migration recorded with its phase (0046_migration_phase). */
#define PHASE_FROM 46

struct known {
	int version;
	char name[96];			/* "0001_init" */
	const struct mc_embed_file *file;
};

/* Lists the binary's migrations for the backend, sorted by version. */
static int known_migrations(const char *dir, struct known *out, size_t max,
			    size_t *n, struct mc_err *err)
{
	const struct mc_embed_file *f;
	size_t dl = strlen(dir), i, j;

	*n = 0;
	for (f = mc__embedded; f->name; f++) {
		const char *base = f->name + dl + 1;
		const char *dot;
		int v = 0, k;

		if (strncmp(f->name, dir, dl) != 0 || f->name[dl] != '/')
			continue;
		for (k = 0; k < 4; k++) {
			if (base[k] < '0' || base[k] > '9')
				return mc_error(err, MC_EINTERNAL, "migration "
						"%s is not named NNNN_name.sql",
						f->name);
			v = v * 10 + base[k] - '0';
		}
		dot = strrchr(base, '.');
		if (base[4] != '_' || !dot || strcmp(dot, ".sql") != 0 ||
		    *n == max)
			return mc_error(err, MC_EINTERNAL, "migration %s is "
					"not named NNNN_name.sql", f->name);
		out[*n].version = v;
		snprintf(out[*n].name, sizeof(out[*n].name), "%.*s",
			 (int)(dot - base), base);
		out[*n].file = f;
		(*n)++;
	}
	/* Few files: insertion sort, then no two with one version. */
	for (i = 1; i < *n; i++) {
		struct known t = out[i];

		for (j = i; j > 0 && out[j - 1].version > t.version; j--)
			out[j] = out[j - 1];
		out[j] = t;
	}
	for (i = 0; i < *n; i++) {
		if ((i > 0 && out[i].version == out[i - 1].version) ||
		    out[i].version != (int)i + 1)
			return mc_error(err, MC_EINTERNAL, "migrations must be "
					"numbered 1, 2, 3… without gaps (%s)",
					out[i].name);
	}
	return 0;
}

struct state {
	struct known known[MAX_MIGRATIONS];
	size_t nknown;
	struct mc_migration_row rows[MAX_MIGRATIONS];
	size_t nrows;
};

/*
 * The record of applied migrations: one table, the same on every backend,
 * read and written through the statement interface.
 */
static int ensure_table(struct mc_conn *c, struct mc_err *err)
{
	return mc_conn_exec(c, "CREATE TABLE IF NOT EXISTS schema_migrations ("
			    " version INTEGER PRIMARY KEY,"
			    " name TEXT NOT NULL,"
			    " checksum TEXT NOT NULL,"
			    " applied_at TEXT NOT NULL)", err);
}

static int list_applied(struct mc_conn *c, struct mc_migration_row *rows,
			size_t max, size_t *n, struct mc_err *err)
{
	static const char sql[] = "SELECT version, name, checksum, "
		"applied_at FROM schema_migrations ORDER BY version";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	*n = 0;
	if (!s)
		return MC_EDB;
	while ((rc = mc_sql_step(s, err)) == 1) {
		if (*n == max) {
			mc_sql_reset(s);
			return mc_error(err, MC_ETOOBIG, "more than %zu "
					"migrations recorded", max);
		}
		rows[*n].version = (int)mc_sql_col_int(s, 0);
		mc_sql_col_copy(s, 1, rows[*n].name, sizeof(rows[*n].name));
		mc_sql_col_copy(s, 2, rows[*n].checksum,
				sizeof(rows[*n].checksum));
		mc_sql_col_copy(s, 3, rows[*n].applied_at,
				sizeof(rows[*n].applied_at));
		(*n)++;
	}
	return rc < 0 ? rc : 0;
}

/* "expand" or "contract", from the migration's first lines. */
static const char *phase_of(const struct known *k)
{
	const char *p = (const char *)k->file->data;
	size_t n = k->file->len < 1024 ? k->file->len : 1024;

	if (memmem(p, n, "-- phase: expand\n", 17))
		return "expand";
	return "contract";
}

static int record_applied(struct mc_conn *c,
			  const struct mc_migration_row *row,
			  const char *phase, struct mc_err *err)
{
	static const char sql[] = "INSERT INTO schema_migrations (version, "
		"name, checksum, applied_at) VALUES (?1, ?2, ?3, ?4)";
	static const char with_phase[] = "INSERT INTO schema_migrations "
		"(version, name, checksum, applied_at, phase) VALUES (?1, ?2, "
		"?3, ?4, ?5)";
	struct mc_stmt *s = mc_sql(c, row->version >= PHASE_FROM ? with_phase :
				   sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, row->version);
	mc_sql_text(s, 2, row->name);
	mc_sql_text(s, 3, row->checksum);
	mc_sql_text(s, 4, row->applied_at);
	if (row->version >= PHASE_FROM)
		mc_sql_text(s, 5, phase);
	return mc_sql_exec(s, err);
}

/* The recorded phase of applied migration 'version' into 'out'. */
static int recorded_phase(struct mc_conn *c, int version, char *out,
			  size_t n, struct mc_err *err)
{
	static const char sql[] = "SELECT phase FROM schema_migrations WHERE "
		"version = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	snprintf(out, n, "contract");
	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, version);
	if ((rc = mc_sql_step(s, err)) == 1) {
		mc_sql_col_copy(s, 0, out, n);
		mc_sql_reset(s);
	}
	return rc < 0 ? rc : 0;
}

static int load_state(struct mc_conn *c, struct state *s,
		      struct mc_migrate_status *status, struct mc_err *err)
{
	const struct mc_store_ops *ops = c->st->ops;
	size_t i;
	int rc;

	rc = known_migrations(ops->migration_dir, s->known, MAX_MIGRATIONS,
			      &s->nknown, err);
	if (rc)
		return rc;
	rc = ensure_table(c, err);
	if (rc)
		return rc;
	rc = list_applied(c, s->rows, MAX_MIGRATIONS, &s->nrows, err);
	if (rc)
		return rc;
	for (i = 0; i < s->nrows; i++) {
		const struct mc_migration_row *r = &s->rows[i];
		char sum[MC_SHA256_HEX], phase[16];

		if (r->version != (int)i + 1)
			return mc_error(err, MC_ECONFLICT, "the database's "
					"migrations have a gap before %04d "
					"(%s): it was changed by hand",
					r->version, r->name);
		if ((size_t)r->version > s->nknown) {
			/*
			 * A newer motcua migrated the database: this one
			 * still serves it while all it added only expands.
			 */
			if ((rc = recorded_phase(c, r->version, phase,
						 sizeof(phase), err)))
				return rc;
			if (strcmp(phase, "expand"))
				return mc_error(err, MC_ECONFLICT, "the "
						"database has migration %04d "
						"(%s), a contraction by a newer "
						"motcua: this version cannot "
						"run on it any more; install "
						"the newer one", r->version,
						r->name);
			continue;
		}
		mc_sha256_hex(s->known[r->version - 1].file->data,
			      s->known[r->version - 1].file->len, sum);
		if (strcmp(sum, r->checksum) != 0)
			return mc_error(err, MC_ECONFLICT, "migration %s was "
					"edited after it was applied (recorded "
					"sha256 %.12s…, now %.12s…): never edit "
					"an applied migration, add a new one",
					r->name, r->checksum, sum);
	}
	if (status) {
		status->applied = (int)(s->nrows < s->nknown ? s->nrows :
					s->nknown);
		status->pending = (int)(s->nknown - (size_t)status->applied);
		status->ahead = (int)(s->nrows - (size_t)status->applied);
		status->latest = (int)s->nknown;
	}
	return 0;
}

int mc_migrate_check(struct mc_conn *c, struct mc_migrate_status *status,
		     struct mc_err *err)
{
	struct state *s = mc_calloc(1, sizeof(*s));
	int rc = load_state(c, s, status, err);

	mc_free(s);
	return rc;
}

int mc_migrate_apply(struct mc_conn *c, FILE *progress, struct mc_err *err)
{
	struct state *s = mc_calloc(1, sizeof(*s));
	size_t i;
	int rc;

	rc = load_state(c, s, NULL, err);
	for (i = s->nrows; !rc && i < s->nknown; i++) {
		const struct known *k = &s->known[i];
		struct mc_migration_row row;

		memset(&row, 0, sizeof(row));
		row.version = k->version;
		snprintf(row.name, sizeof(row.name), "%s", k->name);
		mc_sha256_hex(k->file->data, k->file->len, row.checksum);
		mc_time_format_utc(mc_time_now_ms() / 1000, row.applied_at,
				   sizeof(row.applied_at));
		rc = mc_conn_begin(c, err);
		if (rc)
			break;
		rc = mc_conn_exec(c, (const char *)k->file->data, err);
		if (!rc)
			rc = record_applied(c, &row, phase_of(k), err);
		if (!rc)
			rc = mc_conn_commit(c, err);
		if (rc) {
			char msg[256];

			mc_conn_rollback(c);
			snprintf(msg, sizeof(msg), "%s", err ? err->message :
				 "");
			rc = mc_error(err, rc, "migration %s failed, nothing of "
				      "it was applied: %s", k->name, msg);
			break;
		}
		if (progress)
			fprintf(progress, "applied %s\n", k->name);
	}
	mc_free(s);
	return rc;
}

int mc_migrate_dry_run(struct mc_conn *c, FILE *out, int *would,
		       struct mc_err *err)
{
	struct state *s = mc_calloc(1, sizeof(*s));
	size_t i;
	int rc;

	*would = 0;
	/* One transaction for it all, the bookkeeping table included. */
	rc = mc_conn_begin(c, err);
	if (!rc)
		rc = load_state(c, s, NULL, err);
	for (i = s->nrows; !rc && i < s->nknown; i++) {
		const struct known *k = &s->known[i];
		struct mc_migration_row row;

		memset(&row, 0, sizeof(row));
		row.version = k->version;
		snprintf(row.name, sizeof(row.name), "%s", k->name);
		mc_sha256_hex(k->file->data, k->file->len, row.checksum);
		mc_time_format_utc(mc_time_now_ms() / 1000, row.applied_at,
				   sizeof(row.applied_at));
		rc = mc_conn_exec(c, (const char *)k->file->data, err);
		if (!rc)
			rc = record_applied(c, &row, phase_of(k), err);
		if (rc) {
			char msg[256];

			snprintf(msg, sizeof(msg), "%s", err ? err->message :
				 "");
			rc = mc_error(err, rc, "migration %s would fail: %s",
				      k->name, msg);
			break;
		}
		(*would)++;
		if (out)
			fprintf(out, "would apply %s\n", k->name);
	}
	mc_conn_rollback(c);
	mc_free(s);
	return rc;
}
