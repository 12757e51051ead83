/*
 * store.h — the storage interface. The domain and the API see only these
 * functions; each backend (store_sqlite.c now, PostgreSQL later) fills a
 * struct mc_store_ops (kore's PGSQL=1 / libuv's unix-win split).
 *
 * A struct mc_store is opened once per process. A struct mc_conn is one
 * database connection, used by one thread at a time: each event loop has
 * its own for short reads, each worker thread its own, and the writer one
 * (writer.h) through which every write goes, batched into group commits.
 * SQL is never built from input: only bound parameters.
 */
#ifndef MC_STORE_STORE_H
#define MC_STORE_STORE_H

#include "core/compat.h"
#include "core/config.h"
#include "core/err.h"

#include <stdatomic.h>

struct mc_store;
struct mc_conn;
struct mc_stmt;

struct mc_store_opts {
	const char *url;		/* SQLite: a file path */
	enum mc_durability durability;
	int64_t busy_timeout_ms;
	bool create;			/* create the database if missing */
};

struct mc_store_ops {
	const char *name;		/* "sqlite" */
	const char *migration_dir;	/* embedded folder, "sqlite" */
	bool concurrent_writers;	/* several connections may write */
	/*
	 * Whether a reader may keep its snapshot across requests until the
	 * generation moves (SQLite: one process writes, and a snapshot saves
	 * lock syscalls); otherwise each request reads a fresh snapshot, so
	 * that writes of other instances are seen at once (PostgreSQL).
	 */
	bool reuse_snapshots;
	/* Whether the engine has streaming read replicas (PostgreSQL). */
	bool replicas;
	int (*open)(struct mc_store *st, struct mc_err *err);
	void (*close)(struct mc_store *st);
	int (*connect)(struct mc_store *st, struct mc_conn **out,
		       struct mc_err *err);
	void (*disconnect)(struct mc_conn *c);
	int (*ping)(struct mc_conn *c, struct mc_err *err);
	/* Runs SQL text without parameters (migrations, pragmas). */
	int (*exec)(struct mc_conn *c, const char *sql, struct mc_err *err);
	int (*begin)(struct mc_conn *c, struct mc_err *err);
	int (*read_begin)(struct mc_conn *c);
	void (*read_end)(struct mc_conn *c);
	/* Ends the open snapshot and begins a new one (may be NULL). */
	int (*read_renew)(struct mc_conn *c);
	int (*commit)(struct mc_conn *c, struct mc_err *err);
	int (*rollback)(struct mc_conn *c);
	int (*savepoint)(struct mc_conn *c, struct mc_err *err);
	int (*release)(struct mc_conn *c, struct mc_err *err);
	int (*rollback_to)(struct mc_conn *c, struct mc_err *err);
	/* Statements (see mc_sql below). */
	struct mc_stmt *(*stmt)(struct mc_conn *c, const char *sql,
				struct mc_err *err);
	void (*bind_int)(struct mc_stmt *s, int i, int64_t v);
	void (*bind_text)(struct mc_stmt *s, int i, const char *v, size_t n);
	void (*bind_null)(struct mc_stmt *s, int i);
	int (*step)(struct mc_stmt *s, struct mc_err *err);
	int64_t (*col_int)(struct mc_stmt *s, int col);
	const char *(*col_text)(struct mc_stmt *s, int col);
	bool (*col_null)(struct mc_stmt *s, int col);
	void (*reset)(struct mc_stmt *s);
	int64_t (*changes)(struct mc_conn *c);
};

struct mc_store {
	const struct mc_store_ops *ops;
	struct mc_store_opts opts;
	char url[512];			/* copy of opts.url */
	void *backend;			/* backend's own state */
	_Atomic uint64_t db_ns;		/* time spent in database calls */
	_Atomic uint64_t db_calls;	/* database calls */
};

/*
 * Opens the store named by opts->url. A missing SQLite file is an error
 * unless opts->create. Returns 0 or MC_EDB / MC_ENOTFOUND with 'err'.
 */
int mc_store_open(const struct mc_store_opts *opts, struct mc_store **out,
		  struct mc_err *err);
void mc_store_close(struct mc_store *st);
const char *mc_store_backend(const struct mc_store *st);

/*
 * Opens a new connection for the calling thread; the caller closes it with
 * mc_conn_close (NULL does nothing). Returns 0 or an error.
 */
int mc_store_connect(struct mc_store *st, struct mc_conn **out,
		     struct mc_err *err);
void mc_conn_close(struct mc_conn *c);
/*
 * Whether several connections may write at once (PostgreSQL: yes; SQLite
 * writes one transaction at a time).
 */
bool mc_store_concurrent_writers(const struct mc_store *st);
/* Whether the engine has streaming read replicas (PostgreSQL). */
bool mc_store_has_replicas(const struct mc_store *st);

/* The store a connection belongs to (borrowed). */
struct mc_store *mc_conn_store(const struct mc_conn *c);

/*
 * A second connection to the same database beside 'c', for work that must
 * commit at once whatever 'c' is in the middle of (e.g. handing out the
 * next number of a sequence without holding its row until 'c' commits).
 * Opened on first use, closed with 'c'. NULL when the backend cannot
 * write from two connections at once (SQLite: the caller then uses 'c').
 */
struct mc_conn *mc_conn_side(struct mc_conn *c);

/* Nanoseconds this connection has spent in the database so far. */
uint64_t mc_conn_db_ns(const struct mc_conn *c);

/* Checks that the database answers a read. */
int mc_conn_ping(struct mc_conn *c, struct mc_err *err);
/* Runs SQL text without parameters (schema, pragmas): never with input. */
int mc_conn_exec(struct mc_conn *c, const char *sql, struct mc_err *err);
/*
 * Read snapshots, for a connection that only reads (an event loop's):
 * every read in a snapshot sees one committed state, and the connection
 * takes its locks once per snapshot instead of once per statement.
 *
 * mc_conn_snapshot() keeps the open snapshot while 'generation' (a count
 * of commits, e.g. mc_writer_commits) is the one it began with and it is
 * younger than 'max_age_ms'; otherwise it ends it and begins a new one.
 * So a reader sees every commit of this process at once, and those of
 * other processes within 'max_age_ms'. On a backend that several
 * instances share (PostgreSQL) every call begins a new snapshot, so that
 * a client whose next request reaches another instance reads its write. mc_conn_snapshot_idle() ends a
 * snapshot older than 'max_age_ms' (call it when the reader is idle, so
 * that no old snapshot holds back the WAL checkpoint).
 */
void mc_conn_snapshot(struct mc_conn *c, uint64_t generation, int64_t now_ms,
		      int64_t max_age_ms);
void mc_conn_snapshot_idle(struct mc_conn *c, int64_t now_ms,
			   int64_t max_age_ms);
void mc_conn_snapshot_end(struct mc_conn *c);
/* Opens a write transaction (SQLite: BEGIN IMMEDIATE). */
int mc_conn_begin(struct mc_conn *c, struct mc_err *err);
int mc_conn_commit(struct mc_conn *c, struct mc_err *err);
/* Rolls back the open transaction, if any; never fails visibly. */
void mc_conn_rollback(struct mc_conn *c);
/*
 * One nested savepoint (the writer's, around each write): open it, release
 * it (keep the write), or roll back to it and release it (drop the write).
 */
int mc_conn_savepoint(struct mc_conn *c, struct mc_err *err);
int mc_conn_release(struct mc_conn *c, struct mc_err *err);
int mc_conn_rollback_to(struct mc_conn *c, struct mc_err *err);

/*
 * Statements. SQL is written once for every backend: portable SQL with
 * numbered placeholders ?1, ?2, … (each backend maps them to its own) and
 * only bound values, never text built from input.
 *
 * mc_sql() returns the connection's prepared statement for 'sql', which
 * must be a string constant: its address is the key of the connection's
 * statement cache. The statement is borrowed, reset and unbound; it stays
 * valid until the connection closes, and is reset again the next time the
 * same SQL is asked for (so one SQL constant is never used for two things
 * at once). NULL with 'err' filled when the SQL does not prepare.
 */
struct mc_stmt *mc_sql(struct mc_conn *c, const char *sql,
		       struct mc_err *err);
/* Binds parameter ?i (from 1). Text is copied; NULL text binds NULL. */
void mc_sql_int(struct mc_stmt *s, int i, int64_t v);
void mc_sql_text(struct mc_stmt *s, int i, const char *v);
void mc_sql_textn(struct mc_stmt *s, int i, const char *v, size_t n);
void mc_sql_null(struct mc_stmt *s, int i);
/*
 * Runs the statement to its next row: 1 when a row is there, 0 when done
 * (the statement is then reset), or a negative MC_E* with 'err' (reset
 * too; a unique or foreign-key violation is MC_ECONFLICT).
 */
int mc_sql_step(struct mc_stmt *s, struct mc_err *err);
/* Runs a statement that returns no row; 0 or an error. */
int mc_sql_exec(struct mc_stmt *s, struct mc_err *err);
/* Column values of the current row (from 0). Text is borrowed until the
 * next step or reset; NULL reads as 0 / NULL. */
int64_t mc_sql_col_int(struct mc_stmt *s, int col);
const char *mc_sql_col_text(struct mc_stmt *s, int col);
bool mc_sql_col_null(struct mc_stmt *s, int col);
/* Ends a statement before its last row. */
void mc_sql_reset(struct mc_stmt *s);
/* Rows changed by the connection's last INSERT, UPDATE or DELETE. */
int64_t mc_sql_changes(struct mc_conn *c);

/*
 * Conveniences over the above. Binding: text where "" means NULL; an id
 * where 0 means NULL; an instant as stored (UTC text "YYYY-MM-DDTHH:MM:SSZ",
 * MC_NO_TIME binds NULL). Reading: a text column copied into 'dst' (cut to
 * fit on a character, "" for NULL); an instant column (MC_NO_TIME for
 * NULL).
 */
void mc_sql_text_opt(struct mc_stmt *s, int i, const char *v);
void mc_sql_id(struct mc_stmt *s, int i, int64_t id);
void mc_sql_time(struct mc_stmt *s, int i, int64_t t);
void mc_sql_col_copy(struct mc_stmt *s, int col, char *dst, size_t n);
int64_t mc_sql_col_time(struct mc_stmt *s, int col);

/* Instants as stored: UTC text (NULL for MC_NO_TIME), and back. */
const char *mc_store_time(int64_t t, char buf[24]);
int64_t mc_store_time_parse(const char *s);

/*
 * Read replicas (PostgreSQL streaming replication; docs/scale-out.md).
 * Each ends a read snapshot open on the connection first, so that the
 * next read begins a snapshot taken after the answer.
 *
 * mc_conn_replica_lag_ms(): how far replica 'c' is behind: 0 when it has
 * replayed all the WAL it received, else the age of the last transaction
 * it replayed (ms); -1 when 'c' is not a replica; a negative MC_E* (other
 * than -1) when it does not answer.
 *
 * mc_conn_wal_position(): the primary's WAL position now, as text.
 * mc_conn_replayed(): 1 when replica 'c' has replayed the WAL up to
 * 'pos', so that it sees every transaction committed before 'pos' was
 * read; 0 if not yet; or an error.
 *
 * On SQLite, which has no replicas, they fail with MC_EINVAL.
 */
int64_t mc_conn_replica_lag_ms(struct mc_conn *c);
int mc_conn_wal_position(struct mc_conn *c, char *pos, size_t n,
			 struct mc_err *err);
int mc_conn_replayed(struct mc_conn *c, const char *pos, struct mc_err *err);

/*
 * Migrations (migrate.c). The migrations of a backend are the embedded
 * files "<dir>/NNNN_name.sql", applied in order, each in its own
 * transaction, and recorded with their SHA-256.
 */
struct mc_migrate_status {
	int applied;			/* known to this binary and applied */
	int pending;			/* known to this binary, not applied */
	int ahead;			/* applied by a newer motcua, all of
					 * them expansions */
	int latest;			/* highest version known to the binary */
};

/*
 * Checks the recorded migrations against the binary's: MC_ECONFLICT when
 * an applied migration was edited since (checksum differs), or when the
 * database has one this binary does not know that is not an expansion (a
 * newer motcua contracted the schema). Fills 'status' (may be NULL).
 */
int mc_migrate_check(struct mc_conn *c, struct mc_migrate_status *status,
		     struct mc_err *err);

/*
 * Applies the pending migrations after checking as above. Prints a line
 * per migration applied to 'progress' (may be NULL). Returns 0 or an error.
 */
int mc_migrate_apply(struct mc_conn *c, FILE *progress, struct mc_err *err);
/*
 * Applies every pending migration in one transaction, on the data as it
 * is, and rolls it all back: whether they would apply. Prints "would
 * apply NAME" for each to 'out'; '*would' counts them. The migration
 * that would fail is the error, named. Nothing is changed either way.
 */
int mc_migrate_dry_run(struct mc_conn *c, FILE *out, int *would,
		       struct mc_err *err);

#endif /* MC_STORE_STORE_H */
