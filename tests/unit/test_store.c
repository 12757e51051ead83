/*
 * test_store.c — src/store through its interface: opening, migrations and
 * their checksums, and the group-committing writer under concurrent load,
 * on a real SQLite file or, with $MOTCUA_TEST_DB (make test-pg), on a
 * real PostgreSQL database; and what is SQLite's own (pragmas, snapshots
 * kept across requests), whose PostgreSQL counterparts are in test_pg.
 */
#include "core/compat.h"
#include "harness/harness.h"

#include "core/err.h"
#include "store/store.h"
#include "store/store_sqlite.h"
#include "store/writer.h"

#include <pthread.h>

static struct mc_store *open_db(const char *name, bool create,
				enum mc_durability dur)
{
	static char paths[16][600];
	static int next;
	struct mc_store_opts o;
	struct mc_store *st = NULL;
	struct mc_err err = MC_ERR_INIT;
	char *path = paths[next++ % 16];

	memset(&o, 0, sizeof(o));
	if (th_pg()) {
		char base[64];

		/* One fresh database per name; a reopening keeps it. */
		snprintf(base, sizeof(base), "%.*s", (int)strcspn(name, "."),
			 name);
		for (size_t i = 0; base[i]; i++)
			if (base[i] == '/')
				base[i] = '_';
		if (create)
			th_db(path, sizeof(paths[0]), base);
		else
			fail_msg("reopen %s on PostgreSQL", name);
		o.url = path;
	} else {
		o.url = th_path(path, sizeof(paths[0]), name);
	}
	o.create = create;
	o.durability = dur;
	o.busy_timeout_ms = 5000;
	if (mc_store_open(&o, &st, &err))
		fail_msg("open %s: %s", name, err.message);
	return st;
}

/* The one integer a query returns. */
static int64_t scalar(struct mc_conn *c, const char *sql)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_stmt *s = mc_sql(c, sql, &err);
	int64_t v;

	if (!s)
		fail_msg("%s: %s", sql, err.message);
	assert_int_equal(mc_sql_step(s, &err), 1);
	v = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	return v;
}

static void exec_ok(struct mc_conn *c, const char *sql)
{
	struct mc_err err = MC_ERR_INIT;

	if (mc_conn_exec(c, sql, &err))
		fail_msg("%s: %s", sql, err.message);
}

static int pragma_int(struct mc_conn *c, const char *sql)
{
	sqlite3_stmt *s;
	int v = -1;

	assert_int_equal(sqlite3_prepare_v2(mc__sqlite_db(c), sql, -1, &s,
					    NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void test_open_missing(void **state)
{
	struct mc_store_opts o;
	struct mc_store *st = NULL;
	struct mc_err err = MC_ERR_INIT;
	char path[600];

	(void)state;
	if (th_pg())
		skip();		/* SQLite's files; PostgreSQL's below */
	memset(&o, 0, sizeof(o));
	o.url = th_path(path, sizeof(path), "missing.db");
	assert_int_equal(mc_store_open(&o, &st, &err), MC_ENOTFOUND);
	assert_non_null(strstr(err.message, "does not exist"));
	assert_non_null(strstr(err.message, "motcua migrate"));
	mc_err_clear(&err);
	/* A PostgreSQL server that does not answer: a clear error. */
	o.url = "postgres://motcua@127.0.0.1:1/motcua";
	assert_int_equal(mc_store_open(&o, &st, &err), 0);
	{
		struct mc_conn *c = NULL;

		assert_int_equal(mc_store_connect(st, &c, &err), MC_EDB);
		assert_non_null(strstr(err.message, "cannot connect to "
				       "PostgreSQL"));
		assert_null(c);
	}
	mc_store_close(st);
	st = NULL;
	mc_err_clear(&err);
	o.url = "";
	assert_int_equal(mc_store_open(&o, &st, &err), MC_EINVAL);
}

static void test_pragmas(void **state)
{
	struct mc_store *st, *st2;
	struct mc_conn *c = NULL;
	struct mc_err err = MC_ERR_INIT;

	(void)state;
	if (th_pg())
		skip();
	st = open_db("sub/dir/p.db", true, MC_DURABILITY_FULL);
	assert_int_equal(mc_store_connect(st, &c, &err), 0);
	assert_int_equal(mc_conn_ping(c, &err), 0);
	assert_int_equal(pragma_int(c, "PRAGMA synchronous"), 2);	/* FULL */
	assert_int_equal(pragma_int(c, "PRAGMA foreign_keys"), 1);
	assert_string_equal(mc_store_backend(st), "sqlite");
	mc_conn_close(c);
	mc_store_close(st);

	st2 = open_db("sub/dir/p.db", false, MC_DURABILITY_NORMAL);
	assert_int_equal(mc_store_connect(st2, &c, &err), 0);
	assert_int_equal(pragma_int(c, "PRAGMA synchronous"), 1);	/* NORMAL */
	{
		sqlite3_stmt *s;

		sqlite3_prepare_v2(mc__sqlite_db(c), "PRAGMA journal_mode", -1,
				   &s, NULL);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(s, 0),
				    "wal");
		sqlite3_finalize(s);
	}
	assert_int_equal(mc_conn_ping(c, &err), 0);
	assert_true(mc_conn_db_ns(c) > 0);
	mc_conn_close(c);
	mc_store_close(st2);
}

static void test_migrations(void **state)
{
	static const char get_sum[] = "SELECT checksum FROM schema_migrations "
		"WHERE version = 1";
	static const char set_sum[] = "UPDATE schema_migrations SET checksum "
		"= ?1 WHERE version = 1";
	struct mc_stmt *s;
	char sum[80];
	struct mc_store *st = open_db("m.db", true, MC_DURABILITY_FULL);
	struct mc_migrate_status ms;
	struct mc_err err = MC_ERR_INIT;
	struct mc_conn *c = NULL;

	(void)state;
	assert_int_equal(mc_store_connect(st, &c, &err), 0);
	assert_int_equal(mc_migrate_check(c, &ms, &err), 0);
	assert_int_equal(ms.applied, 0);
	assert_true(ms.pending >= 1);
	assert_int_equal(mc_migrate_apply(c, NULL, &err), 0);
	assert_int_equal(mc_migrate_check(c, &ms, &err), 0);
	assert_int_equal(ms.pending, 0);
	assert_int_equal(ms.applied, ms.latest);
	/* Applying again does nothing. */
	assert_int_equal(mc_migrate_apply(c, NULL, &err), 0);
	assert_int_equal(scalar(c, "SELECT count(*) FROM instance"), 1);

	/* An applied migration whose text changed is refused. */
	s = mc_sql(c, get_sum, &err);
	assert_int_equal(mc_sql_step(s, &err), 1);
	mc_sql_col_copy(s, 0, sum, sizeof(sum));
	mc_sql_reset(s);
	exec_ok(c, "UPDATE schema_migrations SET checksum = 'x' || "
		"substr(checksum, 2) WHERE version = 1");
	assert_int_equal(mc_migrate_check(c, &ms, &err), MC_ECONFLICT);
	assert_non_null(strstr(err.message, "0001_init was edited"));
	mc_err_clear(&err);
	assert_int_equal(mc_migrate_apply(c, NULL, &err), MC_ECONFLICT);
	mc_err_clear(&err);
	s = mc_sql(c, set_sum, &err);
	mc_sql_text(s, 1, sum);
	assert_int_equal(mc_sql_exec(s, &err), 0);
	assert_int_equal(mc_migrate_check(c, &ms, &err), 0);

	/* A gap in the recorded versions: changed by hand. */
	exec_ok(c, "UPDATE schema_migrations SET version = 0 WHERE "
		"version = 1");
	assert_int_equal(mc_migrate_check(c, &ms, &err), MC_ECONFLICT);
	mc_err_clear(&err);
	exec_ok(c, "UPDATE schema_migrations SET version = 1 WHERE "
		"version = 0");
	assert_int_equal(mc_migrate_check(c, &ms, &err), 0);

	/*
	 * Migrations this binary does not know: a newer motcua's. Expansions
	 * leave it serving (expand, then contract); a contraction does not.
	 */
	exec_ok(c, "INSERT INTO schema_migrations (version, name, checksum, "
		"applied_at, phase) SELECT MAX(version) + 1, 'future_expand', "
		"'00', '2030-01-01T00:00:00Z', 'expand' FROM schema_migrations");
	assert_int_equal(mc_migrate_check(c, &ms, &err), 0);
	assert_int_equal(ms.ahead, 1);
	assert_int_equal(ms.pending, 0);
	assert_int_equal(ms.applied, ms.latest);
	assert_int_equal(mc_migrate_apply(c, NULL, &err), 0);
	exec_ok(c, "INSERT INTO schema_migrations (version, name, checksum, "
		"applied_at, phase) SELECT MAX(version) + 1, 'future_contract', "
		"'00', '2030-01-01T00:00:00Z', 'contract' FROM "
		"schema_migrations");
	assert_int_equal(mc_migrate_check(c, &ms, &err), MC_ECONFLICT);
	assert_non_null(strstr(err.message, "a contraction by a newer motcua"));
	mc_err_clear(&err);
	/* Every migration from 0046 on has its phase recorded. */
	assert_int_equal(scalar(c, "SELECT COUNT(*) FROM schema_migrations "
		"WHERE version = 46 AND phase = 'expand'"), 1);
	mc_conn_close(c);
	mc_store_close(st);
}

/* Writer. */

struct ins {
	struct mc_write w;
	char value[32];
	int rc;
	int *done_count;
	pthread_mutex_t *lock;
	pthread_cond_t *cv;
};

static int insert_fn(struct mc_conn *c, void *arg, struct mc_err *err)
{
	static const char sql[] = "INSERT INTO t (v) VALUES (?1)";
	struct ins *in = arg;
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, in->value);
	return mc_sql_exec(s, err);
}

static void insert_done(struct mc_write *w, int rc)
{
	struct ins *in = (struct ins *)w;

	pthread_mutex_lock(in->lock);
	in->rc = rc;
	(*in->done_count)++;
	pthread_cond_broadcast(in->cv);
	pthread_mutex_unlock(in->lock);
}

static int create_table(struct mc_conn *c, void *arg, struct mc_err *err)
{
	(void)arg;
	return mc_conn_exec(c, th_pg() ? "CREATE TABLE t (id BIGINT "
			    "GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v "
			    "TEXT NOT NULL UNIQUE)" : "CREATE TABLE t (id "
			    "INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)",
			    err);
}

#define THREADS 8
#define PER_THREAD 400

struct producer {
	struct mc_writer *w;
	int index;
	struct ins *ins;
	int done;
	pthread_mutex_t lock;
	pthread_cond_t cv;
};

static void *produce(void *arg)
{
	struct producer *p = arg;
	int i;

	for (i = 0; i < PER_THREAD; i++) {
		struct ins *in = &p->ins[i];

		snprintf(in->value, sizeof(in->value), "v-%d-%d", p->index, i);
		in->w.fn = insert_fn;
		in->w.arg = in;
		in->w.done = insert_done;
		in->done_count = &p->done;
		in->lock = &p->lock;
		in->cv = &p->cv;
		if (mc_writer_submit(p->w, &in->w))
			return NULL;
	}
	pthread_mutex_lock(&p->lock);
	while (p->done < PER_THREAD)
		pthread_cond_wait(&p->cv, &p->lock);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static void test_writer_group_commit(void **state)
{
	struct mc_store *st = open_db("w.db", true, MC_DURABILITY_FULL);
	struct producer p[THREADS];
	pthread_t th[THREADS];
	struct mc_writer *w = NULL;
	struct mc_writer_stats ws;
	struct mc_err err = MC_ERR_INIT;
	struct mc_conn *c = NULL;
	int i, j;

	(void)state;
	assert_int_equal(mc_writer_start(st, 512, &w, &err), 0);
	assert_int_equal(mc_writer_run(w, create_table, NULL, &err), 0);
	for (i = 0; i < THREADS; i++) {
		p[i].w = w;
		p[i].index = i;
		p[i].done = 0;
		p[i].ins = calloc(PER_THREAD, sizeof(struct ins));
		pthread_mutex_init(&p[i].lock, NULL);
		pthread_cond_init(&p[i].cv, NULL);
		pthread_create(&th[i], NULL, produce, &p[i]);
	}
	for (i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	mc_writer_stats(w, &ws);
	for (i = 0; i < THREADS; i++) {
		for (j = 0; j < PER_THREAD; j++)
			assert_int_equal(p[i].ins[j].rc, 0);
		free(p[i].ins);
		pthread_mutex_destroy(&p[i].lock);
		pthread_cond_destroy(&p[i].cv);
	}
	/* 1 table + 3200 rows, in far fewer transactions than writes. */
	assert_int_equal(ws.writes, 1 + THREADS * PER_THREAD);
	assert_int_equal(ws.failed, 0);
	assert_int_equal(ws.queued, 0);
	print_message("group commit: %" PRIu64 " writes in %" PRIu64
		      " transactions\n", ws.writes, ws.batches);
	assert_true(ws.batches < ws.writes);
	mc_writer_stop(w);

	/* Everything acknowledged is in the file, seen by a new connection. */
	assert_int_equal(mc_store_connect(st, &c, &err), 0);
	assert_int_equal(scalar(c, "SELECT count(*) FROM t"),
			 THREADS * PER_THREAD);
	mc_conn_close(c);
	mc_store_close(st);
}

static void test_writer_failure_isolated(void **state)
{
	struct mc_store *st = open_db("f.db", true, MC_DURABILITY_NORMAL);
	struct mc_writer *w = NULL;
	struct mc_err err = MC_ERR_INIT;
	struct mc_conn *c = NULL;
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
	struct ins in[3];
	int done = 0, i;

	(void)state;
	assert_int_equal(mc_writer_start(st, 16, &w, &err), 0);
	assert_int_equal(mc_writer_run(w, create_table, NULL, &err), 0);
	memset(in, 0, sizeof(in));
	snprintf(in[0].value, sizeof(in[0].value), "a");
	snprintf(in[1].value, sizeof(in[1].value), "a");	/* duplicate */
	snprintf(in[2].value, sizeof(in[2].value), "b");
	for (i = 0; i < 3; i++) {
		in[i].w.fn = insert_fn;
		in[i].w.arg = &in[i];
		in[i].w.done = insert_done;
		in[i].done_count = &done;
		in[i].lock = &lock;
		in[i].cv = &cv;
		assert_int_equal(mc_writer_submit(w, &in[i].w), 0);
	}
	pthread_mutex_lock(&lock);
	while (done < 3)
		pthread_cond_wait(&cv, &lock);
	pthread_mutex_unlock(&lock);
	assert_int_equal(in[0].rc, 0);
	assert_int_equal(in[1].rc, MC_ECONFLICT);
	assert_non_null(strcasestr(in[1].w.err.message, "unique"));
	assert_int_equal(in[2].rc, 0);
	mc_writer_stop(w);
	assert_int_equal(mc_store_connect(st, &c, &err), 0);
	assert_int_equal(scalar(c, "SELECT count(*) FROM t"), 2);
	mc_conn_close(c);
	mc_store_close(st);
}

static int64_t count_rows(struct mc_conn *c)
{
	static const char sql[] = "SELECT COUNT(*) FROM t";
	struct mc_stmt *s = mc_sql(c, sql, NULL);
	int64_t n;

	assert_non_null(s);
	assert_int_equal(mc_sql_step(s, NULL), 1);
	n = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	return n;
}

/* Statements: numbered parameters, NULLs, text, conflicts. */
static void test_statements(void **state)
{
	static const char ins[] = "INSERT INTO t (id, name) VALUES (?1, ?2) "
		"RETURNING id * 10";
	static const char sel[] = "SELECT id, name FROM t WHERE id = ?1";
	struct mc_store *st;
	struct mc_err err = MC_ERR_INIT;
	struct mc_conn *c = NULL;
	struct mc_stmt *s;

	(void)state;
	if (th_pg())
		skip();		/* test_pg has PostgreSQL's */
	st = open_db("stmt.db", true, MC_DURABILITY_NORMAL);
	assert_int_equal(mc_store_connect(st, &c, &err), 0);
	assert_int_equal(mc_conn_exec(c, "CREATE TABLE t (id INTEGER PRIMARY "
				      "KEY, name TEXT)", &err), 0);
	s = mc_sql(c, ins, &err);
	mc_sql_int(s, 1, 7);
	mc_sql_text(s, 2, "Đức");
	assert_int_equal(mc_sql_step(s, &err), 1);
	assert_int_equal(mc_sql_col_int(s, 0), 70);
	mc_sql_reset(s);
	assert_int_equal(mc_sql_changes(c), 1);
	/* The same constant gives the same, reset statement. */
	assert_ptr_equal(mc_sql(c, ins, &err), s);
	mc_sql_int(s, 1, 8);
	mc_sql_text(s, 2, NULL);
	assert_int_equal(mc_sql_step(s, &err), 1);
	mc_sql_reset(s);
	/* A duplicate key is a conflict, and leaves the statement usable. */
	s = mc_sql(c, ins, &err);
	mc_sql_int(s, 1, 7);
	mc_sql_text(s, 2, "x");
	assert_int_equal(mc_sql_step(s, &err), MC_ECONFLICT);
	s = mc_sql(c, sel, &err);
	mc_sql_int(s, 1, 8);
	assert_int_equal(mc_sql_step(s, &err), 1);
	assert_true(mc_sql_col_null(s, 1));
	assert_null(mc_sql_col_text(s, 1));
	assert_int_equal(mc_sql_step(s, &err), 0);
	s = mc_sql(c, sel, &err);
	mc_sql_int(s, 1, 7);
	assert_int_equal(mc_sql_step(s, &err), 1);
	assert_string_equal(mc_sql_col_text(s, 1), "Đức");
	mc_sql_reset(s);
	/* Bad SQL does not prepare. */
	assert_null(mc_sql(c, "SELEKT 1", &err));
	assert_int_equal(err.code, MC_EDB);
	mc_conn_close(c);
	mc_store_close(st);
}

/*
 * A reader's snapshot holds until the writer's generation moves or it
 * ages; then the reader sees the new commits.
 */
static void test_snapshots(void **state)
{
	struct mc_store *st;
	struct mc_err err = MC_ERR_INIT;
	struct mc_conn *r = NULL, *w = NULL;

	(void)state;
	if (th_pg())
		skip();		/* test_pg: each request reads afresh */
	st = open_db("snap.db", true, MC_DURABILITY_NORMAL);
	assert_int_equal(mc_store_connect(st, &w, &err), 0);
	assert_int_equal(mc_store_connect(st, &r, &err), 0);
	assert_int_equal(mc_conn_exec(w, "CREATE TABLE t (id INTEGER PRIMARY "
				      "KEY, name TEXT)", &err), 0);
	mc_conn_snapshot(r, 1, 1000, 100);
	assert_int_equal(count_rows(r), 0);
	assert_int_equal(mc_conn_exec(w, "INSERT INTO t (id) VALUES (1)",
				      &err), 0);
	/* Same generation, young snapshot: the reader keeps its view. */
	mc_conn_snapshot(r, 1, 1050, 100);
	assert_int_equal(count_rows(r), 0);
	/* A new generation: the reader sees the commit at once. */
	mc_conn_snapshot(r, 2, 1060, 100);
	assert_int_equal(count_rows(r), 1);
	assert_int_equal(mc_conn_exec(w, "INSERT INTO t (id) VALUES (2)",
				      &err), 0);
	/* Old enough: renewed even without a new generation. */
	mc_conn_snapshot(r, 2, 1160, 100);
	assert_int_equal(count_rows(r), 2);
	/* Idle and old: let go, so the writer can checkpoint past it. */
	mc_conn_snapshot_idle(r, 1200, 100);
	mc_conn_snapshot_idle(r, 1300, 100);
	assert_int_equal(mc_conn_exec(w, "INSERT INTO t (id) VALUES (3)",
				      &err), 0);
	assert_int_equal(count_rows(r), 3);
	assert_int_equal(pragma_int(w, "PRAGMA wal_checkpoint(TRUNCATE)"), 0);
	mc_conn_close(r);
	mc_conn_close(w);
	mc_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_missing),
		cmocka_unit_test(test_pragmas),
		cmocka_unit_test(test_migrations),
		cmocka_unit_test(test_writer_group_commit),
		cmocka_unit_test(test_writer_failure_isolated),
		cmocka_unit_test(test_statements),
		cmocka_unit_test(test_snapshots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
