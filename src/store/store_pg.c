/*
 * store_pg.c — the PostgreSQL backend of the storage interface (libpq).
 *
 * The same SQL as SQLite's runs here: statements use numbered parameters
 * ?1, ?2, … which become $1, $2, … when a connection prepares them, once,
 * under a name of its own (cached by the address of the SQL constant, as
 * in store_sqlite.c). Every value is sent as text with its type left to
 * the server to infer from the statement; results are read whole and
 * walked row by row, like SQLite's.
 *
 * Transactions: the writer's BEGIN is READ COMMITTED (a dossier's row
 * version guards against lost updates between instances); a loop's read
 * snapshot is REPEATABLE READ READ ONLY. Each connection sets a statement
 * timeout (the busy_timeout setting) so no query can stall a thread for
 * ever. Errors map SQLSTATE classes to MC_E* codes: unique and foreign-key
 * violations are conflicts, serialization failures and deadlocks are
 * "busy" (retry), a cancelled statement a timeout, a lost connection an
 * I/O error.
 *
 * Lost connections (a server restart, a fail-over to another primary, an
 * administrator's pg_terminate_backend): the operation under way fails,
 * and the connection is opened again (PQreset, the same URL) at the next
 * BEGIN or at the next statement outside a transaction — never inside
 * one, whose earlier statements are gone. A statement outside a
 * transaction (a BEGIN among them) that finds the connection dead is run
 * once more on the new one, so a request that arrives after the server
 * came back succeeds.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "store/store.h"
#include "store/store_impl.h"

#include <libpq-fe.h>

#define MAX_PARAMS 32

struct pg_stmt {
	struct mc_stmt base;		/* must be first */
	const char *sql;		/* key: address of the SQL constant */
	char name[16];			/* server-side prepared statement */
	bool prepared;			/* on the current server session */
	int nparams;			/* highest ?N in the SQL */
	char *values[MAX_PARAMS];	/* bound text (owned) or NULL */
	PGresult *res;			/* rows of the last run */
	int row;			/* current row in 'res', -1 before */
};

struct pg_conn {
	struct mc_conn base;		/* must be first */
	PGconn *pg;
	struct pg_stmt **cache;
	size_t ncache, capcache;
	int64_t changes;		/* rows changed by the last command */
	bool in_tx;			/* between our BEGIN and its end */
};

static int pg_error(struct mc_err *err, const PGresult *res, PGconn *pg,
		    const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) :
			    NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(pg);
	int code = MC_EDB;
	char text[256];
	size_t n;

	snprintf(text, sizeof(text), "%s", msg && *msg ? msg : "no answer");
	n = strlen(text);
	while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
		text[--n] = '\0';
	if (state) {
		if (!strcmp(state, "23505") || !strcmp(state, "23503"))
			code = MC_ECONFLICT;
		else if (!strcmp(state, "40001") || !strcmp(state, "40P01") ||
			 !strcmp(state, "55P03"))
			code = MC_EBUSY;
		else if (!strcmp(state, "57014"))
			code = MC_ETIMEOUT;
		else if (!strncmp(state, "08", 2) ||
			 !strncmp(state, "57P0", 4))
			/* the connection, or the server ended it (an
			 * administrator, a crash, a restart) */
			code = MC_EIO;
		/* disk_full, out of space for WAL or files, a read-only
		 * transaction (a standby, default_transaction_read_only) */
		else if (!strcmp(state, "53100") ||
			 !strcmp(state, "25006") || !strcmp(state, "58030"))
			code = MC_ESTORAGE;
	}
	if (PQstatus(pg) == CONNECTION_BAD)
		code = MC_EIO;
	if (code == MC_EIO)
		return mc_error(err, code, "%s: the connection to PostgreSQL "
				"was lost: %s", what, text);
	return mc_error(err, code, "%s: %s", what, text);
}

static int pg_open(struct mc_store *st, struct mc_err *err)
{
	(void)st;
	(void)err;
	if (!PQisthreadsafe())
		return mc_error(err, MC_EDB, "libpq was built without thread "
				"support");
	return 0;
}

static void pg_close(struct mc_store *st)
{
	(void)st;
}

static void stmt_clear(struct pg_stmt *s)
{
	int i;

	for (i = 0; i < MAX_PARAMS; i++) {
		mc_free(s->values[i]);
		s->values[i] = NULL;
	}
	if (s->res)
		PQclear(s->res);
	s->res = NULL;
	s->row = -1;
}

static void pg_disconnect(struct mc_conn *base)
{
	struct pg_conn *c = (struct pg_conn *)base;
	size_t i;

	for (i = 0; i < c->ncache; i++) {
		stmt_clear(c->cache[i]);
		mc_free(c->cache[i]);
	}
	mc_free(c->cache);
	PQfinish(c->pg);
	mc_free(c);
}

/* Runs SQL text (several statements allowed), no rows wanted. */
static int exec_plain(struct pg_conn *c, const char *sql, struct mc_err *err)
{
	PGresult *res = PQexec(c->pg, sql);
	int rc = 0;

	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = pg_error(err, res, c->pg, "SQL failed");
	PQclear(res);
	return rc;
}

/*
 * UTC text instants, as SQLite keeps them; a limit on every statement;
 * commits acknowledged only once durable (or not, by the durability
 * setting, as with SQLite's synchronous).
 */
static int session_setup(struct pg_conn *c, struct mc_err *err)
{
	const struct mc_store *st = c->base.st;
	char sql[192];

	snprintf(sql, sizeof(sql), "SET TIME ZONE 'UTC'; SET "
		 "client_min_messages = warning; SET statement_timeout = %"
		 PRId64 "; SET synchronous_commit = %s",
		 st->opts.busy_timeout_ms > 0 ? st->opts.busy_timeout_ms :
		 30000, st->opts.durability == MC_DURABILITY_FULL ? "on" :
		 "off");
	return exec_plain(c, sql, err);
}

static int pg_connect(struct mc_store *st, struct mc_conn **out,
		      struct mc_err *err)
{
	struct pg_conn *c = mc_calloc(1, sizeof(*c));
	int rc;

	c->base.st = st;
	c->pg = PQconnectdb(st->url);
	if (PQstatus(c->pg) != CONNECTION_OK) {
		rc = mc_error(err, MC_EDB, "cannot connect to PostgreSQL: %s",
			      PQerrorMessage(c->pg));
		goto fail;
	}
	rc = session_setup(c, err);
	if (rc)
		goto fail;
	*out = &c->base;
	return 0;
fail:
	PQfinish(c->pg);
	mc_free(c);
	return rc;
}

/*
 * Opens a lost connection again, outside a transaction: the same URL, the
 * same settings; every cached statement is prepared again at its next
 * use. 0 when the connection is (again) good, else MC_EIO.
 */
static int revive(struct pg_conn *c, struct mc_err *err)
{
	size_t i;

	if (PQstatus(c->pg) == CONNECTION_OK || c->in_tx)
		return PQstatus(c->pg) == CONNECTION_OK ? 0 :
		       mc_error(err, MC_EIO, "the connection to PostgreSQL "
				"was lost in a transaction");
	PQreset(c->pg);
	c->base.snap_open = false;
	for (i = 0; i < c->ncache; i++)
		c->cache[i]->prepared = false;
	if (PQstatus(c->pg) != CONNECTION_OK)
		return mc_error(err, MC_EIO, "the connection to PostgreSQL "
				"was lost and cannot be opened again: %s",
				PQerrorMessage(c->pg));
	return session_setup(c, err);
}

/*
 * A failed statement aborts PostgreSQL's whole transaction; for a loop's
 * read snapshot that would fail every later read until it ends, so end it
 * now (the writer rolls back to its savepoint by itself).
 */
static void abort_snapshot(struct pg_conn *c)
{
	if (c->base.snap_open &&
	    (PQtransactionStatus(c->pg) == PQTRANS_INERROR ||
	     PQstatus(c->pg) == CONNECTION_BAD)) {
		if (PQstatus(c->pg) == CONNECTION_OK)
			PQclear(PQexec(c->pg, "ROLLBACK"));
		c->base.snap_open = false;
		c->in_tx = false;
	}
}

/* "?12" → "$12": the same numbering, PostgreSQL's sign. */
static char *translate(const char *sql, int *nparams)
{
	size_t n = strlen(sql), i, k = 0;
	char *out = mc_malloc(n + 1);
	bool quoted = false;

	*nparams = 0;
	for (i = 0; i < n; i++) {
		if (sql[i] == '\'')
			quoted = !quoted;
		if (sql[i] == '?' && !quoted) {
			int v = 0;

			out[k++] = '$';
			while (sql[i + 1] >= '0' && sql[i + 1] <= '9') {
				v = v * 10 + (sql[i + 1] - '0');
				out[k++] = sql[++i];
			}
			if (v > *nparams)
				*nparams = v;
			continue;
		}
		out[k++] = sql[i];
	}
	out[k] = '\0';
	return out;
}

/* Prepares 's' on the connection's current server session. */
static int prepare(struct pg_conn *c, struct pg_stmt *s, struct mc_err *err)
{
	PGresult *res;
	char *text;
	int rc = 0;

	if (PQstatus(c->pg) == CONNECTION_BAD && revive(c, err))
		return MC_EIO;
	text = translate(s->sql, &s->nparams);
	if (s->nparams > MAX_PARAMS) {
		mc_free(text);
		return mc_error(err, MC_EINTERNAL, "a statement has more than "
				"%d parameters", MAX_PARAMS);
	}
	res = PQprepare(c->pg, s->name, text, s->nparams, NULL);
	mc_free(text);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = pg_error(err, res, c->pg, "cannot prepare statement");
		abort_snapshot(c);
	} else {
		s->prepared = true;
	}
	PQclear(res);
	return rc;
}

static struct mc_stmt *pg_stmt(struct mc_conn *base, const char *sql,
			       struct mc_err *err)
{
	struct pg_conn *c = (struct pg_conn *)base;
	struct pg_stmt *s;
	size_t i;

	for (i = 0; i < c->ncache; i++) {
		if (c->cache[i]->sql == sql) {
			stmt_clear(c->cache[i]);
			return &c->cache[i]->base;
		}
	}
	s = mc_calloc(1, sizeof(*s));
	s->base.conn = base;
	s->base.handle = s;
	s->sql = sql;
	s->row = -1;
	snprintf(s->name, sizeof(s->name), "s%zu", c->ncache);
	if (prepare(c, s, err)) {
		mc_free(s);
		return NULL;
	}
	/* Never evicted: the program has a fixed set of SQL constants. */
	if (c->ncache == c->capcache) {
		c->capcache = c->capcache ? c->capcache * 2 : 32;
		c->cache = mc_realloc(c->cache, c->capcache *
				      sizeof(*c->cache));
	}
	c->cache[c->ncache++] = s;
	return &s->base;
}

#define S(st) ((struct pg_stmt *)(st)->handle)

static void set_value(struct mc_stmt *st, int i, char *v)
{
	struct pg_stmt *s = S(st);

	if (i < 1 || i > MAX_PARAMS) {
		mc_free(v);
		return;
	}
	mc_free(s->values[i - 1]);
	s->values[i - 1] = v;
}

static void pg_bind_int(struct mc_stmt *st, int i, int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	set_value(st, i, mc_strdup(buf));
}

static void pg_bind_text(struct mc_stmt *st, int i, const char *v, size_t n)
{
	set_value(st, i, mc_strndup(v, n));
}

static void pg_bind_null(struct mc_stmt *st, int i)
{
	set_value(st, i, NULL);
}

static int pg_step(struct mc_stmt *st, struct mc_err *err)
{
	struct pg_stmt *s = S(st);
	struct pg_conn *c = (struct pg_conn *)st->conn;

	if (!s->res) {
		const char *vals[MAX_PARAMS];
		bool idle;
		int i, rc;

		if ((!s->prepared || PQstatus(c->pg) == CONNECTION_BAD) &&
		    (rc = prepare(c, s, err)) != 0) {
			stmt_clear(s);
			return rc;
		}
		for (i = 0; i < s->nparams; i++)
			vals[i] = s->values[i];
		idle = !c->in_tx && PQtransactionStatus(c->pg) == PQTRANS_IDLE;
		s->res = PQexecPrepared(c->pg, s->name, s->nparams, vals, NULL,
					NULL, 0);
		/*
		 * Outside a transaction, a statement that found the
		 * connection lost runs once more on a new one. Such
		 * statements are reads, BEGINs, and the dossier-code
		 * sequence's increment on the side connection, which, if it
		 * had run, leaves a gap, never a repeat.
		 */
		if (idle && PQresultStatus(s->res) == PGRES_FATAL_ERROR &&
		    PQstatus(c->pg) == CONNECTION_BAD &&
		    revive(c, NULL) == 0 && prepare(c, s, NULL) == 0) {
			PQclear(s->res);
			s->res = PQexecPrepared(c->pg, s->name, s->nparams,
						vals, NULL, NULL, 0);
		}
		switch (PQresultStatus(s->res)) {
		case PGRES_TUPLES_OK:
		case PGRES_COMMAND_OK:
			c->changes = strtoll(PQcmdTuples(s->res), NULL, 10);
			break;
		default:
			rc = pg_error(err, s->res, c->pg, "statement failed");
			stmt_clear(s);
			abort_snapshot(c);
			return rc;
		}
		s->row = -1;
	}
	if (++s->row < PQntuples(s->res))
		return 1;
	stmt_clear(s);
	return 0;
}

static int64_t pg_col_int(struct mc_stmt *st, int col)
{
	struct pg_stmt *s = S(st);
	const char *v;

	if (!s->res || PQgetisnull(s->res, s->row, col))
		return 0;
	v = PQgetvalue(s->res, s->row, col);
	if (v[0] == 't' && !v[1])
		return 1;		/* booleans come as "t" / "f" */
	if (v[0] == 'f' && !v[1])
		return 0;
	return strtoll(v, NULL, 10);
}

static const char *pg_col_text(struct mc_stmt *st, int col)
{
	struct pg_stmt *s = S(st);

	if (!s->res || PQgetisnull(s->res, s->row, col))
		return NULL;
	return PQgetvalue(s->res, s->row, col);
}

static bool pg_col_null(struct mc_stmt *st, int col)
{
	struct pg_stmt *s = S(st);

	return !s->res || PQgetisnull(s->res, s->row, col);
}

static void pg_reset(struct mc_stmt *st)
{
	stmt_clear(S(st));
}

static int64_t pg_changes(struct mc_conn *base)
{
	return ((struct pg_conn *)base)->changes;
}

static int pg_ping(struct mc_conn *base, struct mc_err *err)
{
	static const char sql[] = "SELECT 1";
	struct mc_stmt *s = pg_stmt(base, sql, err);
	int rc;

	if (!s)		/* the connection lost is MC_EIO, not MC_EDB */
		return err && err->code ? err->code : MC_EDB;
	rc = pg_step(s, err);
	pg_reset(s);
	return rc == 1 ? 0 : rc < 0 ? rc : MC_EDB;
}

static int pg_exec(struct mc_conn *base, const char *sql, struct mc_err *err)
{
	return exec_plain((struct pg_conn *)base, sql, err);
}

/* Runs a cached statement without parameters or rows. */
static int run_cached(struct mc_conn *base, const char *sql,
		      struct mc_err *err)
{
	struct mc_stmt *s = pg_stmt(base, sql, err);
	int rc;

	if (!s)		/* the connection lost is MC_EIO, not MC_EDB */
		return err && err->code ? err->code : MC_EDB;
	rc = pg_step(s, err);
	pg_reset(s);
	return rc < 0 ? rc : 0;
}

/*
 * Opens a transaction with 'sql' (a BEGIN): on a connection found lost,
 * once more after opening it again (pg_step).
 */
static int begin_with(struct pg_conn *c, const char *sql, struct mc_err *err)
{
	int rc;

	c->in_tx = false;
	rc = run_cached(&c->base, sql, err);	/* retried by pg_step */
	c->in_tx = rc == 0;
	return rc;
}

static int pg_begin(struct mc_conn *base, struct mc_err *err)
{
	static const char sql[] = "BEGIN ISOLATION LEVEL READ COMMITTED";

	return begin_with((struct pg_conn *)base, sql, err);
}

static int pg_read_begin(struct mc_conn *base)
{
	static const char sql[] = "BEGIN ISOLATION LEVEL REPEATABLE READ "
		"READ ONLY";

	return begin_with((struct pg_conn *)base, sql, NULL);
}

static void pg_read_end(struct mc_conn *base)
{
	static const char sql[] = "COMMIT";
	struct pg_conn *c = (struct pg_conn *)base;

	if (PQstatus(c->pg) == CONNECTION_OK &&
	    PQtransactionStatus(c->pg) != PQTRANS_IDLE)
		run_cached(base, sql, NULL);
	c->in_tx = false;
}

/* COMMIT and BEGIN in one round trip (the simple query protocol). */
static int pg_read_renew(struct mc_conn *base)
{
	struct pg_conn *c = (struct pg_conn *)base;

	if (PQstatus(c->pg) == CONNECTION_OK &&
	    PQtransactionStatus(c->pg) != PQTRANS_IDLE &&
	    exec_plain(c, "COMMIT; BEGIN ISOLATION LEVEL REPEATABLE READ READ "
		       "ONLY", NULL) == 0 &&
	    PQtransactionStatus(c->pg) == PQTRANS_INTRANS) {
		c->in_tx = true;
		return 0;
	}
	pg_read_end(base);
	return pg_read_begin(base);
}

static int pg_commit(struct mc_conn *base, struct mc_err *err)
{
	static const char sql[] = "COMMIT";
	struct pg_conn *c = (struct pg_conn *)base;
	int rc = run_cached(base, sql, err);

	c->in_tx = false;
	return rc;
}

static int pg_rollback(struct mc_conn *base)
{
	struct pg_conn *c = (struct pg_conn *)base;

	c->in_tx = false;
	if (PQstatus(c->pg) != CONNECTION_OK ||
	    PQtransactionStatus(c->pg) == PQTRANS_IDLE)
		return 0;
	return exec_plain(c, "ROLLBACK", NULL);
}

static int pg_savepoint(struct mc_conn *base, struct mc_err *err)
{
	static const char sql[] = "SAVEPOINT w";

	return run_cached(base, sql, err);
}

static int pg_release(struct mc_conn *base, struct mc_err *err)
{
	static const char sql[] = "RELEASE SAVEPOINT w";

	return run_cached(base, sql, err);
}

static int pg_rollback_to(struct mc_conn *base, struct mc_err *err)
{
	static const char back[] = "ROLLBACK TO SAVEPOINT w";
	static const char release[] = "RELEASE SAVEPOINT w";
	int rc = run_cached(base, back, err);

	return rc ? rc : run_cached(base, release, err);
}

const struct mc_store_ops mc__store_pg_ops = {
	.name = "postgresql",
	.migration_dir = "pg",
	.concurrent_writers = true,
	.replicas = true,
	.open = pg_open,
	.close = pg_close,
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.ping = pg_ping,
	.exec = pg_exec,
	.begin = pg_begin,
	.read_begin = pg_read_begin,
	.read_end = pg_read_end,
	.read_renew = pg_read_renew,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.savepoint = pg_savepoint,
	.release = pg_release,
	.rollback_to = pg_rollback_to,
	.stmt = pg_stmt,
	.bind_int = pg_bind_int,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.col_null = pg_col_null,
	.reset = pg_reset,
	.changes = pg_changes,
};
