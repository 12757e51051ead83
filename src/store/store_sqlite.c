/*
 * store_sqlite.c — the SQLite backend of the storage interface.
 *
 * One file, WAL journal (readers never block the writer), foreign keys on,
 * a busy timeout, and the durability of the configuration: synchronous=FULL
 * makes every commit reach the disk before it is acknowledged, so it
 * survives power loss; NORMAL survives a crash of the process only. Each
 * connection caches its prepared statements for its whole life, keyed by
 * the address of the SQL text (always a string constant), and binds every
 * value.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "store/store.h"
#include "store/store_impl.h"
#include "store/store_sqlite.h"

#include <sqlite3.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

struct stmt_slot {
	const char *sql;		/* key: address of the SQL constant */
	struct mc_stmt *stmt;		/* handle: the sqlite3_stmt */
};

struct sqlite_conn {
	struct mc_conn base;		/* must be first */
	sqlite3 *db;
	struct stmt_slot *cache;	/* one per SQL constant used */
	size_t ncache, capcache;
};

static int db_error(struct mc_err *err, sqlite3 *db, int rc,
		    const char *what)
{
	int code = MC_EDB;
	const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		code = MC_EBUSY;
		break;
	case SQLITE_FULL:
		code = MC_ESTORAGE;
		msg = "the disk is full";
		break;
	case SQLITE_READONLY:
		code = MC_ESTORAGE;
		msg = "the database is read-only";
		break;
	case SQLITE_IOERR:
		/* A write the file system refused (a size limit, a device
		 * gone read-only): the transaction is rolled back whole. */
		code = MC_ESTORAGE;
		break;
	case SQLITE_CONSTRAINT:
		code = MC_ECONFLICT;
		break;
	default:
		break;
	}
	return mc_error(err, code, "%s: %s", what, msg);
}

/* Creates the parent directories of 'path' (like mkdir -p). */
static int make_parents(const char *path)
{
	char dir[512];
	size_t i;

	snprintf(dir, sizeof(dir), "%s", path);
	for (i = 1; dir[i]; i++) {
		if (dir[i] != '/')
			continue;
		dir[i] = '\0';
		if (mkdir(dir, 0750) && errno != EEXIST)
			return -1;
		dir[i] = '/';
	}
	return 0;
}

static int sq_open(struct mc_store *st, struct mc_err *err)
{
	if (strcmp(st->url, ":memory:") == 0)
		return mc_err_field(err, "db", "format", "an in-memory "
				    "database cannot be shared between "
				    "connections; give a file path");
	if (!st->opts.create && access(st->url, F_OK) != 0)
		return mc_error(err, MC_ENOTFOUND, "database %s does not "
				"exist: create it with 'motcua migrate --db "
				"%s'", st->url, st->url);
	if (st->opts.create && make_parents(st->url))
		return mc_error(err, MC_EIO, "cannot create the directory of "
				"%s: %s", st->url, strerror(errno));
	/*
	 * The database will hold personal data: create it readable by its
	 * owner only (SQLite gives the -wal and -shm files the same mode).
	 */
	if (st->opts.create) {
		int fd = open(st->url, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			      0600);

		if (fd >= 0)
			close(fd);
		else if (errno != EEXIST)
			return mc_error(err, MC_EIO, "cannot create %s: %s",
					st->url, strerror(errno));
	}
	/*
	 * No global memory statistics: they take a process-wide mutex on
	 * every allocation. Allowed only before SQLite initializes; later
	 * calls fail harmlessly.
	 */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (sqlite3_threadsafe() == 0)
		return mc_error(err, MC_EDB, "SQLite was built without thread "
				"support");
	return 0;
}

static void sq_close(struct mc_store *st)
{
	(void)st;
}

static int exec_plain(sqlite3 *db, const char *sql, struct mc_err *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		int code = db_error(err, db, rc, "SQL failed");

		if (msg && err)
			snprintf(err->message, sizeof(err->message), "SQL "
				 "failed: %s", msg);
		sqlite3_free(msg);
		return code;
	}
	return 0;
}

static void sq_disconnect(struct mc_conn *base)
{
	struct sqlite_conn *c = (struct sqlite_conn *)base;
	size_t i;

	for (i = 0; i < c->ncache; i++) {
		sqlite3_finalize(c->cache[i].stmt->handle);
		mc_free(c->cache[i].stmt);
	}
	mc_free(c->cache);
	/* Last connection out checkpoints the WAL into the main file. */
	sqlite3_close(c->db);
	mc_free(c);
}

static int sq_connect(struct mc_store *st, struct mc_conn **out,
		      struct mc_err *err)
{
	struct sqlite_conn *c = mc_calloc(1, sizeof(*c));
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	sqlite3_stmt *s = NULL;
	int rc;

	if (st->opts.create)
		flags |= SQLITE_OPEN_CREATE;
	c->base.st = st;
	rc = sqlite3_open_v2(st->url, &c->db, flags, NULL);
	if (rc != SQLITE_OK) {
		rc = db_error(err, c->db, rc, "cannot open database");
		goto fail;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, (int)st->opts.busy_timeout_ms);
	/* journal_mode answers with the mode in force. */
	rc = sqlite3_prepare_v2(c->db, "PRAGMA journal_mode=WAL", -1, &s,
				NULL);
	if (rc != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(s, 0), "wal") != 0) {
		rc = mc_error(err, MC_EDB, "cannot switch %s to WAL mode: %s",
			      st->url, sqlite3_errmsg(c->db));
		sqlite3_finalize(s);
		goto fail;
	}
	sqlite3_finalize(s);
	rc = exec_plain(c->db, st->opts.durability == MC_DURABILITY_FULL ?
			"PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;" :
			"PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
			err);
	if (rc)
		goto fail;
	*out = &c->base;
	return 0;
fail:
	sqlite3_close(c->db);
	mc_free(c);
	return rc;
}

sqlite3 *mc__sqlite_db(struct mc_conn *base)
{
	return ((struct sqlite_conn *)base)->db;
}

static struct mc_stmt *sq_stmt(struct mc_conn *base, const char *sql,
			       struct mc_err *err)
{
	struct sqlite_conn *c = (struct sqlite_conn *)base;
	sqlite3_stmt *s = NULL;
	size_t i;
	int rc;

	for (i = 0; i < c->ncache; i++) {
		if (c->cache[i].sql == sql) {
			sqlite3_stmt *h = c->cache[i].stmt->handle;

			sqlite3_reset(h);
			sqlite3_clear_bindings(h);
			return c->cache[i].stmt;
		}
	}
	rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s,
				NULL);
	if (rc != SQLITE_OK) {
		db_error(err, c->db, rc, "cannot prepare statement");
		return NULL;
	}
	/* Never evicted: the program has a fixed set of SQL constants. */
	if (c->ncache == c->capcache) {
		c->capcache = c->capcache ? c->capcache * 2 : 32;
		c->cache = mc_realloc(c->cache, c->capcache *
				      sizeof(*c->cache));
	}
	c->cache[c->ncache].sql = sql;
	c->cache[c->ncache].stmt = mc_calloc(1, sizeof(struct mc_stmt));
	c->cache[c->ncache].stmt->conn = base;
	c->cache[c->ncache].stmt->handle = s;
	return c->cache[c->ncache++].stmt;
}

sqlite3_stmt *mc__sqlite_stmt(struct mc_conn *base, const char *sql,
			      struct mc_err *err)
{
	struct mc_stmt *s = sq_stmt(base, sql, err);

	return s ? s->handle : NULL;
}

#define H(s) ((sqlite3_stmt *)(s)->handle)

static void sq_bind_int(struct mc_stmt *s, int i, int64_t v)
{
	sqlite3_bind_int64(H(s), i, v);
}

static void sq_bind_text(struct mc_stmt *s, int i, const char *v, size_t n)
{
	sqlite3_bind_text64(H(s), i, v, n, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static void sq_bind_null(struct mc_stmt *s, int i)
{
	sqlite3_bind_null(H(s), i);
}

static int sq_step(struct mc_stmt *s, struct mc_err *err)
{
	int rc = sqlite3_step(H(s));

	if (rc == SQLITE_ROW)
		return 1;
	sqlite3_reset(H(s));
	if (rc == SQLITE_DONE)
		return 0;
	return mc__sqlite_error(s->conn, rc, "statement failed", err);
}

static int64_t sq_col_int(struct mc_stmt *s, int col)
{
	return sqlite3_column_int64(H(s), col);
}

static const char *sq_col_text(struct mc_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(H(s), col);
}

static bool sq_col_null(struct mc_stmt *s, int col)
{
	return sqlite3_column_type(H(s), col) == SQLITE_NULL;
}

static void sq_reset(struct mc_stmt *s)
{
	sqlite3_reset(H(s));
}

static int64_t sq_changes(struct mc_conn *base)
{
	return sqlite3_changes64(mc__sqlite_db(base));
}

int mc__sqlite_error(struct mc_conn *base, int rc, const char *what,
		     struct mc_err *err)
{
	return db_error(err, mc__sqlite_db(base), rc, what);
}

static int sq_ping(struct mc_conn *base, struct mc_err *err)
{
	static const char sql[] = "SELECT count(*) FROM sqlite_schema";
	sqlite3_stmt *s = mc__sqlite_stmt(base, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return mc__sqlite_error(base, rc, "database not readable",
					err);
	return 0;
}

static int sq_exec(struct mc_conn *base, const char *sql, struct mc_err *err)
{
	return exec_plain(mc__sqlite_db(base), sql, err);
}

/* The writer's statements run thousands of times a second: cached. */
static int run_cached_err(struct mc_conn *base, const char *sql,
			  struct mc_err *err)
{
	sqlite3_stmt *s = mc__sqlite_stmt(base, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_error(err, mc__sqlite_db(base), rc, sql);
	return 0;
}

static int sq_begin(struct mc_conn *base, struct mc_err *err)
{
	static const char sql[] = "BEGIN IMMEDIATE";

	return run_cached_err(base, sql, err);
}

/* Runs a cached statement without parameters or rows. */
static int run_cached(struct mc_conn *base, const char *sql)
{
	sqlite3_stmt *s = mc__sqlite_stmt(base, sql, NULL);
	int rc;

	if (!s)
		return MC_EDB;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : MC_EDB;
}

static int sq_read_begin(struct mc_conn *base)
{
	static const char sql[] = "BEGIN";

	return run_cached(base, sql);
}

static void sq_read_end(struct mc_conn *base)
{
	static const char sql[] = "COMMIT";

	if (!sqlite3_get_autocommit(mc__sqlite_db(base)))
		run_cached(base, sql);
}

static int sq_commit(struct mc_conn *base, struct mc_err *err)
{
	static const char sql[] = "COMMIT";

	return run_cached_err(base, sql, err);
}

static int sq_rollback(struct mc_conn *base)
{
	sqlite3 *db = mc__sqlite_db(base);

	if (sqlite3_get_autocommit(db))
		return 0;		/* SQLite already rolled back */
	return exec_plain(db, "ROLLBACK", NULL);
}

static int sq_savepoint(struct mc_conn *base, struct mc_err *err)
{
	static const char sql[] = "SAVEPOINT w";

	return run_cached_err(base, sql, err);
}

static int sq_release(struct mc_conn *base, struct mc_err *err)
{
	static const char sql[] = "RELEASE w";

	return run_cached_err(base, sql, err);
}

static int sq_rollback_to(struct mc_conn *base, struct mc_err *err)
{
	static const char back[] = "ROLLBACK TO w";
	static const char release[] = "RELEASE w";
	int rc = run_cached_err(base, back, err);

	return rc ? rc : run_cached_err(base, release, err);
}

const struct mc_store_ops mc__store_sqlite_ops = {
	.name = "sqlite",
	.migration_dir = "sqlite",
	.reuse_snapshots = true,
	.open = sq_open,
	.close = sq_close,
	.connect = sq_connect,
	.disconnect = sq_disconnect,
	.ping = sq_ping,
	.exec = sq_exec,
	.begin = sq_begin,
	.read_begin = sq_read_begin,
	.read_end = sq_read_end,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.savepoint = sq_savepoint,
	.release = sq_release,
	.rollback_to = sq_rollback_to,
	.stmt = sq_stmt,
	.bind_int = sq_bind_int,
	.bind_text = sq_bind_text,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.col_null = sq_col_null,
	.reset = sq_reset,
	.changes = sq_changes,
};
