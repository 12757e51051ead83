/*
 * store.c — the storage interface: picks the backend for a URL and times
 * each operation of the interface, adding it to the connection's and the
 * store's database time (for /metrics and the access log). Store functions
 * added later go through the same accounting.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "store/store.h"
#include "store/store_impl.h"

int mc_store_open(const struct mc_store_opts *opts, struct mc_store **out,
		  struct mc_err *err)
{
	struct mc_store *st;
	int rc;

	if (!opts->url || !*opts->url)
		return mc_err_field(err, "db", "required", "no database given");
	bool pg = strncmp(opts->url, "postgres://", 11) == 0 ||
		  strncmp(opts->url, "postgresql://", 13) == 0;

#ifndef MC_WITH_POSTGRES
	if (pg)
		return mc_err_field(err, "db", "backend", "this build has no "
				    "PostgreSQL backend (MC_WITH_POSTGRES=OFF); "
				    "give a SQLite file path");
#endif
	st = mc_calloc(1, sizeof(*st));
	st->ops = &mc__store_sqlite_ops;
#ifdef MC_WITH_POSTGRES
	if (pg)
		st->ops = &mc__store_pg_ops;
#endif
	st->opts = *opts;
	snprintf(st->url, sizeof(st->url), "%s", opts->url);
	st->opts.url = st->url;
	atomic_init(&st->db_ns, 0);
	atomic_init(&st->db_calls, 0);
	rc = st->ops->open(st, err);
	if (rc) {
		mc_free(st);
		return rc;
	}
	*out = st;
	return 0;
}

void mc_store_close(struct mc_store *st)
{
	if (!st)
		return;
	st->ops->close(st);
	mc_free(st);
}

const char *mc_store_backend(const struct mc_store *st)
{
	return st->ops->name;
}

bool mc_store_concurrent_writers(const struct mc_store *st)
{
	return st->ops->concurrent_writers;
}

bool mc_store_has_replicas(const struct mc_store *st)
{
	return st->ops->replicas;
}

int mc_store_connect(struct mc_store *st, struct mc_conn **out,
		     struct mc_err *err)
{
	return st->ops->connect(st, out, err);
}

void mc_conn_close(struct mc_conn *c)
{
	if (!c)
		return;
	mc_conn_snapshot_end(c);
	mc_conn_close(c->side);
	c->st->ops->disconnect(c);
}

struct mc_conn *mc_conn_side(struct mc_conn *c)
{
	if (!mc_store_concurrent_writers(c->st))
		return NULL;
	if (!c->side && c->st->ops->connect(c->st, &c->side, NULL))
		c->side = NULL;
	return c->side;
}

struct mc_store *mc_conn_store(const struct mc_conn *c)
{
	return c->st;
}

uint64_t mc_conn_db_ns(const struct mc_conn *c)
{
	return c->db_ns;
}

/* Accounts the time since 't0' to the connection and the store. */
static void account(struct mc_conn *c, int64_t t0)
{
	uint64_t dt = (uint64_t)(mc_time_mono_ns() - t0);

	c->db_ns += dt;
	atomic_fetch_add_explicit(&c->st->db_ns, dt, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->st->db_calls, 1, memory_order_relaxed);
}

#define TIMED(c, call) do {			\
	int64_t t0_ = mc_time_mono_ns();	\
	rc = (call);				\
	account((c), t0_);			\
} while (0)

int mc_conn_ping(struct mc_conn *c, struct mc_err *err)
{
	int rc;

	TIMED(c, c->st->ops->ping(c, err));
	return rc;
}

int mc_conn_exec(struct mc_conn *c, const char *sql, struct mc_err *err)
{
	int rc;

	TIMED(c, c->st->ops->exec(c, sql, err));
	return rc;
}

void mc_conn_snapshot(struct mc_conn *c, uint64_t generation, int64_t now_ms,
		      int64_t max_age_ms)
{
	int rc;

	if (c->snap_open && c->st->ops->reuse_snapshots &&
	    c->snap_gen == generation && now_ms - c->snap_at_ms < max_age_ms)
		return;
	/*
	 * 'generation' was read before this begins, and SQLite takes the
	 * snapshot at the first read after it: never older than that count.
	 */
	if (c->snap_open && c->st->ops->read_renew) {
		TIMED(c, c->st->ops->read_renew(c));	/* one round trip */
	} else {
		mc_conn_snapshot_end(c);
		TIMED(c, c->st->ops->read_begin(c));
	}
	c->snap_open = rc == 0;
	c->snap_gen = generation;
	c->snap_at_ms = now_ms;
}

void mc_conn_snapshot_idle(struct mc_conn *c, int64_t now_ms,
			   int64_t max_age_ms)
{
	if (c->snap_open && now_ms - c->snap_at_ms >= max_age_ms)
		mc_conn_snapshot_end(c);
}

void mc_conn_snapshot_end(struct mc_conn *c)
{
	int rc = 0;

	if (!c->snap_open)
		return;
	TIMED(c, (c->st->ops->read_end(c), 0));
	(void)rc;
	c->snap_open = false;
}

int mc_conn_begin(struct mc_conn *c, struct mc_err *err)
{
	int rc;

	TIMED(c, c->st->ops->begin(c, err));
	return rc;
}

int mc_conn_commit(struct mc_conn *c, struct mc_err *err)
{
	int rc;

	TIMED(c, c->st->ops->commit(c, err));
	return rc;
}

void mc_conn_rollback(struct mc_conn *c)
{
	int rc;

	TIMED(c, c->st->ops->rollback(c));
	(void)rc;
}

int mc_conn_savepoint(struct mc_conn *c, struct mc_err *err)
{
	int rc;

	TIMED(c, c->st->ops->savepoint(c, err));
	return rc;
}

int mc_conn_release(struct mc_conn *c, struct mc_err *err)
{
	int rc;

	TIMED(c, c->st->ops->release(c, err));
	return rc;
}

int mc_conn_rollback_to(struct mc_conn *c, struct mc_err *err)
{
	int rc;

	TIMED(c, c->st->ops->rollback_to(c, err));
	return rc;
}

/* Statements: time is accounted on each step. */

struct mc_stmt *mc_sql(struct mc_conn *c, const char *sql, struct mc_err *err)
{
	return c->st->ops->stmt(c, sql, err);
}

void mc_sql_int(struct mc_stmt *s, int i, int64_t v)
{
	s->conn->st->ops->bind_int(s, i, v);
}

void mc_sql_text(struct mc_stmt *s, int i, const char *v)
{
	if (v)
		s->conn->st->ops->bind_text(s, i, v, strlen(v));
	else
		s->conn->st->ops->bind_null(s, i);
}

void mc_sql_textn(struct mc_stmt *s, int i, const char *v, size_t n)
{
	s->conn->st->ops->bind_text(s, i, v, n);
}

void mc_sql_null(struct mc_stmt *s, int i)
{
	s->conn->st->ops->bind_null(s, i);
}

int mc_sql_step(struct mc_stmt *s, struct mc_err *err)
{
	int rc;

	TIMED(s->conn, s->conn->st->ops->step(s, err));
	return rc;
}

int mc_sql_exec(struct mc_stmt *s, struct mc_err *err)
{
	int rc = mc_sql_step(s, err);

	if (rc == 1) {
		mc_sql_reset(s);
		return 0;
	}
	return rc;
}

int64_t mc_sql_col_int(struct mc_stmt *s, int col)
{
	return s->conn->st->ops->col_int(s, col);
}

const char *mc_sql_col_text(struct mc_stmt *s, int col)
{
	return s->conn->st->ops->col_text(s, col);
}

bool mc_sql_col_null(struct mc_stmt *s, int col)
{
	return s->conn->st->ops->col_null(s, col);
}

void mc_sql_reset(struct mc_stmt *s)
{
	s->conn->st->ops->reset(s);
}

int64_t mc_sql_changes(struct mc_conn *c)
{
	return c->st->ops->changes(c);
}

void mc_sql_text_opt(struct mc_stmt *s, int i, const char *v)
{
	mc_sql_text(s, i, v && *v ? v : NULL);
}

void mc_sql_id(struct mc_stmt *s, int i, int64_t id)
{
	if (id)
		mc_sql_int(s, i, id);
	else
		mc_sql_null(s, i);
}

void mc_sql_time(struct mc_stmt *s, int i, int64_t t)
{
	char ts[24];

	mc_sql_text(s, i, mc_store_time(t, ts));
}

void mc_sql_col_copy(struct mc_stmt *s, int col, char *dst, size_t n)
{
	const char *t = mc_sql_col_text(s, col);
	size_t len = t ? strlen(t) : 0;

	if (len >= n) {
		len = n - 1;
		while (len && ((unsigned char)t[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(dst, t ? t : "", len);
	dst[len] = '\0';
}

int64_t mc_sql_col_time(struct mc_stmt *s, int col)
{
	return mc_store_time_parse(mc_sql_col_text(s, col));
}

const char *mc_store_time(int64_t t, char buf[24])
{
	if (t == MC_NO_TIME)
		return NULL;
	return mc_time_format_utc(t, buf, 24);
}

int64_t mc_store_time_parse(const char *s)
{
	int64_t t;

	if (!s || !*s || mc_instant_parse(s, strlen(s), &t, NULL, 0))
		return MC_NO_TIME;
	return t;
}

static int no_replicas(struct mc_conn *c, struct mc_err *err)
{
	return mc_error(err, MC_EINVAL, "the %s backend has no read "
			"replicas", c->st->ops->name);
}

int64_t mc_conn_replica_lag_ms(struct mc_conn *c)
{
	static const char sql[] = "SELECT CASE WHEN NOT pg_is_in_recovery() "
		"THEN -1 WHEN pg_last_wal_receive_lsn() = "
		"pg_last_wal_replay_lsn() THEN 0 ELSE COALESCE(CAST(EXTRACT("
		"EPOCH FROM clock_timestamp() - "
		"pg_last_xact_replay_timestamp()) * 1000 AS BIGINT), "
		"86400000) END";
	struct mc_stmt *s;
	int64_t lag;
	int rc;

	if (!c->st->ops->replicas)
		return no_replicas(c, NULL);
	mc_conn_snapshot_end(c);
	if (!(s = mc_sql(c, sql, NULL)))
		return MC_EDB;
	rc = mc_sql_step(s, NULL);
	if (rc != 1)
		return rc < 0 && rc != -1 ? rc : MC_EDB;
	lag = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	return lag < 0 ? -1 : lag;
}

int mc_conn_wal_position(struct mc_conn *c, char *pos, size_t n,
			 struct mc_err *err)
{
	static const char sql[] = "SELECT CAST(pg_current_wal_lsn() AS TEXT)";
	struct mc_stmt *s;
	int rc;

	if (!c->st->ops->replicas)
		return no_replicas(c, err);
	if (!(s = mc_sql(c, sql, err)))
		return MC_EDB;
	rc = mc_sql_step(s, err);
	if (rc != 1)
		return rc < 0 ? rc : MC_EDB;
	mc_sql_col_copy(s, 0, pos, n);
	mc_sql_reset(s);
	return 0;
}

int mc_conn_replayed(struct mc_conn *c, const char *pos, struct mc_err *err)
{
	static const char sql[] = "SELECT CASE WHEN pg_last_wal_replay_lsn() "
		">= CAST(?1 AS pg_lsn) THEN 1 ELSE 0 END";
	struct mc_stmt *s;
	int rc;

	if (!c->st->ops->replicas)
		return no_replicas(c, err);
	mc_conn_snapshot_end(c);
	if (!(s = mc_sql(c, sql, err)))
		return MC_EDB;
	mc_sql_text(s, 1, pos);
	rc = mc_sql_step(s, err);
	if (rc != 1)
		return rc < 0 ? rc : MC_EDB;
	rc = mc_sql_col_int(s, 0) == 1;
	mc_sql_reset(s);
	return rc;
}
