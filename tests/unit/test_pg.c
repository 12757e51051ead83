/*
 * test_pg.c — the storage contract on PostgreSQL, and what keeps the two
 * backends in step.
 *
 * Always: both backends have the same migrations (numbers and names), so
 * that no feature lands on one side only. With $MOTCUA_TEST_DB (make
 * test-pg starts a throw-away PostgreSQL 15): statements with numbered
 * parameters, NULLs and text; unique violations as conflicts; read
 * snapshots that hold until renewed; a row version that refuses the second
 * of two concurrent updates; and one daily code sequence shared by several
 * writers (instances) without a repeat.
 */
#include "core/compat.h"
#include "harness/harness.h"

#include "core/embed.h"
#include "core/err.h"
#include "store/store.h"
#include "store/writer.h"

#include <pthread.h>

/* The "NNNN_name.sql" files of one backend's migrations, in order. */
static size_t migrations_of(const char *dir, char names[][96], size_t max)
{
	const struct mc_embed_file *f;
	size_t n = 0, len = strlen(dir);

	for (f = mc__embedded; f->name; f++)
		if (strncmp(f->name, dir, len) == 0 && f->name[len] == '/' &&
		    n < max)
			snprintf(names[n++], 96, "%s", f->name + len + 1);
	return n;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void test_migrations_in_step(void **state)
{
	static char sq[64][96], pg[64][96];
	size_t ns = migrations_of("sqlite", sq, 64), np;
	size_t i;

	(void)state;
	np = migrations_of("pg", pg, 64);
	qsort(sq, ns, sizeof(sq[0]), cmp_name);
	qsort(pg, np, sizeof(pg[0]), cmp_name);
	assert_true(ns >= 2);
	if (ns != np)
		fail_msg("sqlite has %zu migrations, pg %zu: add the missing "
			 "twin", ns, np);
	for (i = 0; i < ns; i++)
		if (strcmp(sq[i], pg[i]) != 0)
			fail_msg("migration %zu: sqlite %s, pg %s", i, sq[i],
				 pg[i]);
}

static struct mc_store *open_pg(const char *name, char *url, size_t n)
{
	struct mc_store_opts o;
	struct mc_store *st = NULL;
	struct mc_err err = MC_ERR_INIT;

	th_db(url, n, name);
	memset(&o, 0, sizeof(o));
	o.url = url;
	o.busy_timeout_ms = 10000;
	if (mc_store_open(&o, &st, &err))
		fail_msg("open %s: %s", url, err.message);
	return st;
}

static int64_t count_rows(struct mc_conn *c)
{
	static const char sql[] = "SELECT COUNT(*) FROM t";
	struct mc_stmt *s = mc_sql(c, sql, NULL);
	int64_t v;

	assert_non_null(s);
	assert_int_equal(mc_sql_step(s, NULL), 1);
	v = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	return v;
}

static void test_statements(void **state)
{
	static const char ins[] = "INSERT INTO t (id, name) VALUES (?1, ?2) "
		"RETURNING id * 10";
	static const char sel[] = "SELECT id, name, name IS NULL FROM t WHERE "
		"id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR name = ?2)";
	struct mc_err err = MC_ERR_INIT;
	struct mc_conn *c = NULL;
	struct mc_stmt *s;
	struct mc_store *st;
	char url[256];

	(void)state;
	if (!th_pg())
		skip();
	st = open_pg("stmt", url, sizeof(url));
	assert_int_equal(mc_store_connect(st, &c, &err), 0);
	assert_string_equal(mc_store_backend(st), "postgresql");
	assert_int_equal(mc_conn_exec(c, "CREATE TABLE t (id BIGINT PRIMARY "
				      "KEY, name TEXT)", &err), 0);
	s = mc_sql(c, ins, &err);
	assert_non_null(s);
	mc_sql_int(s, 1, 7);
	mc_sql_text(s, 2, "Đức");
	assert_int_equal(mc_sql_step(s, &err), 1);
	assert_int_equal(mc_sql_col_int(s, 0), 70);
	mc_sql_reset(s);
	assert_int_equal(mc_sql_changes(c), 1);
	s = mc_sql(c, ins, &err);
	mc_sql_int(s, 1, 8);
	mc_sql_text(s, 2, NULL);
	assert_int_equal(mc_sql_exec(s, &err), 0);
	/* A duplicate key is a conflict, and the connection goes on. */
	s = mc_sql(c, ins, &err);
	mc_sql_int(s, 1, 7);
	mc_sql_text(s, 2, "x");
	assert_int_equal(mc_sql_step(s, &err), MC_ECONFLICT);
	s = mc_sql(c, sel, &err);
	mc_sql_int(s, 1, 8);
	mc_sql_null(s, 2);
	assert_int_equal(mc_sql_step(s, &err), 1);
	assert_true(mc_sql_col_null(s, 1));
	assert_null(mc_sql_col_text(s, 1));
	assert_int_equal(mc_sql_col_int(s, 2), 1);	/* a boolean "t" */
	assert_int_equal(mc_sql_step(s, &err), 0);
	s = mc_sql(c, sel, &err);
	mc_sql_int(s, 1, 7);
	mc_sql_text(s, 2, "Đức");
	assert_int_equal(mc_sql_step(s, &err), 1);
	assert_string_equal(mc_sql_col_text(s, 1), "Đức");
	mc_sql_reset(s);
	assert_null(mc_sql(c, "SELEKT 1", &err));
	mc_conn_close(c);
	mc_store_close(st);
}

static void test_snapshots(void **state)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_conn *r = NULL, *w = NULL;
	struct mc_store *st;
	char url[256];

	(void)state;
	if (!th_pg())
		skip();
	st = open_pg("snap", url, sizeof(url));
	assert_int_equal(mc_store_connect(st, &w, &err), 0);
	assert_int_equal(mc_store_connect(st, &r, &err), 0);
	assert_int_equal(mc_conn_exec(w, "CREATE TABLE t (id BIGINT PRIMARY "
				      "KEY)", &err), 0);
	mc_conn_snapshot(r, 1, 1000, 100);
	assert_int_equal(count_rows(r), 0);
	assert_int_equal(mc_conn_exec(w, "INSERT INTO t VALUES (1)", &err), 0);
	/* Within one request the snapshot holds … */
	assert_int_equal(count_rows(r), 0);
	/* … and each request reads afresh, even with the same generation:
	 * the commit may be another instance's. */
	mc_conn_snapshot(r, 1, 1010, 100);
	assert_int_equal(count_rows(r), 1);
	/* A failed read ends the snapshot instead of poisoning it. */
	assert_null(mc_sql(r, "SELECT nope FROM t", &err));
	mc_conn_snapshot(r, 2, 1070, 100);
	assert_int_equal(count_rows(r), 1);
	mc_conn_close(r);
	mc_conn_close(w);
	mc_store_close(st);
}

/* Two connections update one row guarded by its version: one wins. */
static void test_lost_update(void **state)
{
	static const char upd[] = "UPDATE t SET v = v + 1 WHERE id = 1 AND "
		"v = ?1";
	struct mc_err err = MC_ERR_INIT;
	struct mc_conn *a = NULL, *b = NULL;
	struct mc_stmt *s;
	struct mc_store *st;
	char url[256];

	(void)state;
	if (!th_pg())
		skip();
	st = open_pg("lost", url, sizeof(url));
	assert_int_equal(mc_store_connect(st, &a, &err), 0);
	assert_int_equal(mc_store_connect(st, &b, &err), 0);
	assert_int_equal(mc_conn_exec(a, "CREATE TABLE t (id BIGINT PRIMARY "
				      "KEY, v BIGINT); INSERT INTO t VALUES "
				      "(1, 1)", &err), 0);
	assert_int_equal(mc_conn_begin(a, &err), 0);
	assert_int_equal(mc_conn_begin(b, &err), 0);
	s = mc_sql(a, upd, &err);
	mc_sql_int(s, 1, 1);
	assert_int_equal(mc_sql_exec(s, &err), 0);
	assert_int_equal(mc_sql_changes(a), 1);
	assert_int_equal(mc_conn_commit(a, &err), 0);
	/* b read version 1 too; after a's commit its update finds none. */
	s = mc_sql(b, upd, &err);
	mc_sql_int(s, 1, 1);
	assert_int_equal(mc_sql_exec(s, &err), 0);
	assert_int_equal(mc_sql_changes(b), 0);
	mc_conn_rollback(b);
	mc_conn_close(a);
	mc_conn_close(b);
	mc_store_close(st);
}

/* Several writers (as several instances would) share one sequence. */
struct seq_writer {
	pthread_t th;
	struct mc_writer *w;
	int n;
	int64_t got[200];
};

static int next_fn(struct mc_conn *c, void *arg, struct mc_err *err)
{
	static const char sql[] = "INSERT INTO seq (k, last) VALUES ('a', 1) "
		"ON CONFLICT (k) DO UPDATE SET last = seq.last + 1 "
		"RETURNING last";
	int64_t *out = arg;
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	rc = mc_sql_step(s, err);
	if (rc != 1)
		return rc < 0 ? rc : MC_EDB;
	*out = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	return 0;
}

static void *seq_run(void *arg)
{
	struct seq_writer *sw = arg;
	struct mc_err err = MC_ERR_INIT;
	int i;

	for (i = 0; i < sw->n; i++)
		if (mc_writer_run(sw->w, next_fn, &sw->got[i], &err))
			sw->got[i] = -1;
	return NULL;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void test_shared_sequence(void **state)
{
	struct seq_writer sw[4];
	struct mc_err err = MC_ERR_INIT;
	struct mc_store *st[4];
	struct mc_conn *c = NULL;
	int64_t all[800];
	char url[256];
	int i, k, n = 0;

	(void)state;
	if (!th_pg())
		skip();
	st[0] = open_pg("seq", url, sizeof(url));
	assert_int_equal(mc_store_connect(st[0], &c, &err), 0);
	assert_int_equal(mc_conn_exec(c, "CREATE TABLE seq (k TEXT PRIMARY "
				      "KEY, last BIGINT NOT NULL)", &err), 0);
	mc_conn_close(c);
	for (i = 0; i < 4; i++) {
		struct mc_store_opts o;

		if (i) {
			memset(&o, 0, sizeof(o));
			o.url = url;
			o.busy_timeout_ms = 10000;
			assert_int_equal(mc_store_open(&o, &st[i], &err), 0);
		}
		sw[i].n = 200;
		assert_int_equal(mc_writer_start(st[i], 64, &sw[i].w, &err),
				 0);
		pthread_create(&sw[i].th, NULL, seq_run, &sw[i]);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(sw[i].th, NULL);
		mc_writer_stop(sw[i].w);
		for (k = 0; k < sw[i].n; k++)
			all[n++] = sw[i].got[k];
	}
	qsort(all, (size_t)n, sizeof(all[0]), cmp_i64);
	for (i = 0; i < n; i++)
		if (all[i] != i + 1)
			fail_msg("sequence value %" PRId64 " at %d", all[i], i);
	for (i = 0; i < 4; i++)
		mc_store_close(st[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrations_in_step),
		cmocka_unit_test(test_statements),
		cmocka_unit_test(test_snapshots),
		cmocka_unit_test(test_lost_update),
		cmocka_unit_test(test_shared_sequence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
