/*
 * test_scaleout.c — two motcua instances on one PostgreSQL database, as
 * behind a load balancer (runs in make test-pg; skipped on SQLite, which
 * one process serves alone):
 *
 * - a token from one instance is good on the other (sessions live in the
 *   database, the processes are stateless);
 * - concurrent intake through both gives distinct codes, one daily
 *   sequence without a gap;
 * - two officers acting on one dossier at once through the two instances:
 *   one wins, the other gets 409 "changed", and nothing is lost;
 * - the deadline watch, running in both instances at once, records each
 *   overdue dossier's warning exactly once, the two sharing the work;
 * - every database connection of both instances cut at once (as in a
 *   server restart or a fail-over): the next requests succeed, each
 *   connection opened again;
 * - every event chain stays linear ('motcua audit verify').
 */
#include "core/compat.h"
#include "harness/harness.h"

#include "core/err.h"
#include "store/store.h"

#include <pthread.h>
#include <unistd.h>

static struct th_server a, b;
static char db[600], counter[128], leader[128], clock_file[600];
static bool on;

static json_t *intake_body(void)
{
	return json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:[{s:s, s:b}]}",
		"procedure_code", "9.900201", "channel", "direct",
		"applicant", "kind", "person", "id_number", "051095012345",
		"name", "Lê Thị Hoa", "phone", "0912345678",
		"components", "code", "TK", "provided", 1);
}

static int setup(void **state)
{
	char tok[128];
	json_t *j;

	(void)state;
	on = th_pg();
	if (!on)
		return 0;
	th_path(clock_file, sizeof(clock_file), "clock");
	th_write_file(clock_file, "2026-03-02T09:00:00+07:00");
	setenv("MOTCUA_TEST_CLOCK", clock_file, 1);
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	th_demo_db(db, sizeof(db), "scaleout");
	th_serve(&a, (const char *[]){ "--db", db, "--threads", "2",
		 "--watch-interval", "100ms", "--watch-batch", "50", NULL });
	th_serve(&b, (const char *[]){ "--db", db, "--threads", "2",
		 "--watch-interval", "100ms", "--watch-batch", "50", NULL });
	th_login(a.base, "kiemsoat", "motcua-demo", tok, sizeof(tok));
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:{s:s, s:b}, "
		"s:[{s:s, s:s, s:s, s:b}], s:[{s:s, s:s, s:i}, {s:s, s:s, "
		"s:i}, {s:s, s:s, s:i}]}", "code", "9.900201", "name",
		"Thủ tục thử nhiều máy chủ", "field", "Thử", "level",
		"province", "unit_code", "000.00.04.H51", "processing_time",
		"amount", 5, "unit", "working_days", "result",
		"document_type", "Giấy", "paper", 1, "components", "code", "TK",
		"name", "Tờ khai", "form", "original", "required", 1, "steps",
		"name", "Tiếp nhận", "role", "counter_officer", "share_percent",
		10, "name", "Xử lý", "role", "specialist", "share_percent", 80,
		"name", "Duyệt", "role", "leader", "share_percent", 10);
	assert_int_equal(th_api(a.base, "POST", "/api/v1/procedures", tok, j,
				NULL), 201);
	/* Published through the other instance. */
	assert_int_equal(th_api(b.base, "POST", "/api/v1/procedures/9.900201/"
				"publish", tok, json_pack("{s:s, s:s, s:s}",
				"valid_from", "2026-01-01", "decision_number",
				"5/QĐ", "decision_date", "2026-01-01"), NULL),
			 200);
	th_login(a.base, "tiepnhan", "motcua-demo", counter, sizeof(counter));
	th_login(b.base, "lanhdao", "motcua-demo", leader, sizeof(leader));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (!on)
		return 0;
	assert_int_equal(th_serve_stop(&a), 0);
	assert_int_equal(th_serve_stop(&b), 0);
	return 0;
}

struct client {
	pthread_t th;
	int n, ok;
	int seqs[200];
	char err[256];
	const struct th_server *srv;
};

static void *run_client(void *arg)
{
	struct client *c = arg;
	int i;

	for (i = 0; i < c->n; i++) {
		json_t *j = NULL;
		long st = th_api(c->srv->base, "POST", "/api/v1/dossiers",
				 counter, intake_body(), &j);

		if (st == 201)
			c->seqs[c->ok++] = (int)strtol(strrchr(th_str(j, "code"),
							       '-') + 1, NULL,
						      10);
		else
			snprintf(c->err, sizeof(c->err), "%ld", st);
		json_decref(j);
	}
	return NULL;
}

static int cmp_int(const void *x, const void *y)
{
	return *(const int *)x - *(const int *)y;
}

static void test_intake_through_both(void **state)
{
	struct client cl[8];
	int all[1600], n = 0, i, k;

	(void)state;
	if (!on)
		skip();
	memset(cl, 0, sizeof(cl));
	for (i = 0; i < 8; i++) {
		cl[i].n = 200;
		cl[i].srv = i % 2 ? &b : &a;
		pthread_create(&cl[i].th, NULL, run_client, &cl[i]);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(cl[i].th, NULL);
		if (cl[i].ok != cl[i].n)
			fail_msg("client %d: %d of %d, last error %s", i,
				 cl[i].ok, cl[i].n, cl[i].err);
		for (k = 0; k < cl[i].ok; k++)
			all[n++] = cl[i].seqs[k];
	}
	qsort(all, (size_t)n, sizeof(int), cmp_int);
	for (i = 0; i < n; i++)
		if (all[i] != i + 1)
			fail_msg("code number %d at %d: repeated or lost",
				 all[i], i);
}

struct race {
	pthread_t th;
	const struct th_server *srv;
	const char *path;
	json_int_t version;
	long status;
	char rule[32];
};

static void *run_race(void *arg)
{
	struct race *r = arg;
	json_t *j = NULL;

	r->status = th_api(r->srv->base, "POST", r->path, leader,
			   json_pack("{s:s, s:s, s:I}", "action", "assign",
				     "assignee", "chuyenvien", "version",
				     r->version), &j);
	if (r->status == 409)
		snprintf(r->rule, sizeof(r->rule), "%s", json_string_value(
			 json_object_get(json_array_get(json_object_get(j,
			 "errors"), 0), "rule")));
	json_decref(j);
	return NULL;
}

static void test_no_lost_update(void **state)
{
	char path[200];
	int round, wins = 0;

	(void)state;
	if (!on)
		skip();
	for (round = 0; round < 10; round++) {
		struct race r[2];
		json_t *d;
		json_int_t v;
		int i;

		assert_int_equal(th_api(a.base, "POST", "/api/v1/dossiers",
					counter, intake_body(), &d), 201);
		snprintf(path, sizeof(path), "/api/v1/dossiers/%s/actions",
			 th_str(d, "code"));
		json_decref(d);
		assert_int_equal(th_api(a.base, "POST", path, counter,
					json_pack("{s:s}", "action",
						  "forward"), &d), 200);
		v = json_integer_value(json_object_get(d, "version"));
		json_decref(d);
		/* Both officers saw version v and act at once. */
		for (i = 0; i < 2; i++) {
			r[i].srv = i ? &b : &a;
			r[i].path = path;
			r[i].version = v;
			r[i].rule[0] = '\0';
			pthread_create(&r[i].th, NULL, run_race, &r[i]);
		}
		for (i = 0; i < 2; i++)
			pthread_join(r[i].th, NULL);
		if (!((r[0].status == 200 && r[1].status == 409) ||
		      (r[0].status == 409 && r[1].status == 200)))
			fail_msg("round %d: %ld and %ld", round, r[0].status,
				 r[1].status);
		assert_string_equal(r[r[0].status == 409 ? 0 : 1].rule,
				    "changed");
		wins++;
	}
	assert_int_equal(wins, 10);
}

/* Overdue warnings an instance has logged ("deadline watch" lines). */
static long logged_overdue(const struct th_server *srv)
{
	char *log = th_serve_log(srv), *line, *save = NULL;
	long n = 0;

	for (line = strtok_r(log, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		json_t *j = json_loads(line, 0, NULL);

		if (j && !strcmp(json_string_value(json_object_get(j, "msg")) ?
				 json_string_value(json_object_get(j, "msg")) :
				 "", "deadline watch"))
			n += (long)json_integer_value(json_object_get(j,
								      "overdue"));
		json_decref(j);
	}
	free(log);
	return n;
}

static void test_watch_in_both(void **state)
{
	/* Every dossier taken in above: 8 × 200 + 10. */
	enum { N = 1610 };
	long na = 0, nb = 0;
	char *out = NULL;
	int i;

	(void)state;
	if (!on)
		skip();
	/* All were due on 9 March. */
	th_write_file(clock_file, "2026-03-20T09:00:00+07:00");
	for (i = 0; i < 300 && na + nb < N; i++) {
		usleep(100 * 1000);
		na = logged_overdue(&a);
		nb = logged_overdue(&b);
	}
	if (na + nb != N)
		fail_msg("%ld + %ld overdue warnings, wanted %d", na, nb, N);
	/* Both did some of the work. */
	assert_true(na > 0 && nb > 0);
	/* Nothing is left, and nothing is recorded twice. */
	assert_int_equal(th_motcua((const char *[]){ "worker", "--once",
			 "--db", db, NULL }, NULL, &out, NULL), 0);
	assert_non_null(strstr(out, "deadline watch: 0 due soon, 0 overdue\n"));
	free(out);
	usleep(300 * 1000);
	assert_int_equal(logged_overdue(&a) + logged_overdue(&b), N);
}

static void test_connections_lost(void **state)
{
	struct mc_store_opts o;
	struct mc_store *st = NULL;
	struct mc_conn *c = NULL;
	struct mc_err err = MC_ERR_INIT;
	char tok[128];
	int i;

	(void)state;
	if (!on)
		skip();
	th_write_file(clock_file, "2026-03-02T09:00:00+07:00");
	/* The morning's tokens, after the clock went to the 20th and back. */
	th_login(a.base, "tiepnhan", "motcua-demo", tok, sizeof(tok));
	memset(&o, 0, sizeof(o));
	o.url = db;
	o.busy_timeout_ms = 10000;
	assert_int_equal(mc_store_open(&o, &st, &err), 0);
	assert_int_equal(mc_store_connect(st, &c, &err), 0);
	/* Both instances answer, so each has its connections open. */
	for (i = 0; i < 4; i++)
		assert_int_equal(th_api(i % 2 ? b.base : a.base, "POST",
					"/api/v1/dossiers", tok, intake_body(),
					NULL), 201);
	assert_int_equal(mc_conn_exec(c, "SELECT pg_terminate_backend(pid) "
		"FROM pg_stat_activity WHERE datname = current_database() AND "
		"pid <> pg_backend_pid()", &err), 0);
	usleep(200 * 1000);
	/* Reads, writes (the writer, the code sequence), through both. */
	for (i = 0; i < 20; i++) {
		const struct th_server *srv = i % 2 ? &b : &a;
		json_t *j = NULL;
		char path[160];
		long st1 = th_api(srv->base, "POST", "/api/v1/dossiers", tok,
				  intake_body(), &j);

		if (st1 != 201) {
			char *log = th_serve_log(srv);

			fprintf(stderr, "%s", log ? log : "");
			fail_msg("intake %d after the cut: %ld %s", i, st1,
				 j ? json_dumps(j, 0) : "");
		}
		snprintf(path, sizeof(path), "/api/v1/dossiers/%s",
			 th_str(j, "code"));
		json_decref(j);
		assert_int_equal(th_api(srv->base, "GET", path, tok, NULL,
					NULL), 200);
	}
	mc_conn_close(c);
	mc_store_close(st);
}

static void test_chains_linear(void **state)
{
	char *out = NULL, *err = NULL;
	int rc;

	(void)state;
	if (!on)
		skip();
	rc = th_motcua((const char *[]){ "audit", "verify", "--db", db, NULL },
		       NULL, &out, &err);
	if (rc)
		fail_msg("audit: %d %s %s", rc, out, err);
	assert_non_null(strstr(out, ", 0 broken chains"));
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intake_through_both),
		cmocka_unit_test(test_no_lost_update),
		cmocka_unit_test(test_watch_in_both),
		cmocka_unit_test(test_connections_lost),
		cmocka_unit_test(test_chains_linear),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
