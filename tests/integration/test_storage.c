/*
 * test_storage.c — when nothing can be written (issue 11, "Crashes and
 * faults"): a full disk and a read-only database answer 503 with a clear
 * message and Retry-After, write nothing of the request, go on serving
 * reads, and take writes again, unchanged, once space returns.
 *
 * The disk fills for real on SQLite: the running server is given a file
 * size limit (prlimit RLIMIT_FSIZE), so every write past it fails in the
 * kernel as on a full disk (EFBIG, a short write). On PostgreSQL the
 * database becomes read-only (default_transaction_read_only, as on a
 * standby after a fail-over gone wrong) and then writable again.
 */
#include "core/compat.h"
#include "harness/harness.h"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

static struct th_server srv;
static char db[600], token[128];

static int setup(void **state)
{
	static int n;
	char name[32];

	(void)state;
	snprintf(name, sizeof(name), "storage-%d", ++n);
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	th_demo_db(db, sizeof(db), name);
	th_serve(&srv, (const char *[]){ "--db", db, "--durability", "full",
		 NULL });
	th_procedure(srv.base, "9.900902", "Thủ tục thử đĩa đầy");
	th_login(srv.base, "tiepnhan", "motcua-demo", token, sizeof(token));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (srv.pid > 0)
		assert_int_equal(th_serve_stop(&srv), 0);
	return 0;
}

/* The same intake each time (one applicant): its status and answer. */
static long intake(struct th_resp *r)
{
	static const char body[] = "{\"procedure_code\": \"9.900902\", "
		"\"channel\": \"direct\", \"applicant\": {\"kind\": "
		"\"person\", \"id_number\": \"051090001234\", \"name\": "
		"\"Nguyễn Văn Đầy\", "
		"\"phone\": \"0905000111\"}, \"components\": [{\"code\": "
		"\"TK\", \"provided\": true}]}";
	char url[160], auth[160];
	const char *h[] = { auth, "Content-Type: application/json", NULL };

	snprintf(url, sizeof(url), "%s/api/v1/dossiers", srv.base);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	assert_int_equal(th_http("POST", url, h, body, strlen(body), r), 0);
	return r->status;
}

/* A 503 that says nothing was stored and when to come back. */
static void assert_storage(struct th_resp *r)
{
	char ra[16];
	json_t *j;

	if (r->status != 503)
		fail_msg("expected 503, got %ld: %s", r->status, r->body);
	assert_non_null(th_header(r, "retry-after", ra, sizeof(ra)));
	assert_string_equal(ra, "60");
	j = th_json(r);
	assert_string_equal(th_str(j, "type"), "/api/v1/problems/storage");
	assert_non_null(strstr(th_str(j, "title"), "không ghi được"));
	json_decref(j);
}

static int64_t dossiers(void)
{
	return th_db_int(db, "SELECT COUNT(*) FROM dossiers WHERE "
			 "applicant_id_number = '051090001234'", NULL);
}

/* The soft limit only: lowered and raised again without privileges. */
static void set_fsize(rlim_t n)
{
	struct rlimit rl;

	assert_int_equal(prlimit(srv.pid, RLIMIT_FSIZE, NULL, &rl), 0);
	rl.rlim_cur = n == RLIM_INFINITY ? rl.rlim_max : n;
	assert_int_equal(prlimit(srv.pid, RLIMIT_FSIZE, &rl, NULL), 0);
}

/* The disk fills under the running server, then space returns. */
static void disk_full(void **state)
{
	struct th_resp r;
	char url[200];
	int i;

	(void)state;
	if (th_pg())
		skip();
	assert_int_equal(intake(&r), 201);
	th_resp_free(&r);
	assert_int_equal(dossiers(), 1);

	set_fsize(1);
	/* Every write fails whole; each answer says so; reads go on. */
	for (i = 0; i < 3; i++) {
		intake(&r);
		assert_storage(&r);
		th_resp_free(&r);
	}
	assert_int_equal(dossiers(), 1);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/dossiers?limit=5",
				token, NULL, NULL), 200);
	/* An upload's bytes find no room either. */
	{
		char auth[160];
		const char *h[] = { auth, "Tus-Resumable: 1.0.0",
			"Upload-Length: 20000", NULL };

		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
			 token);
		snprintf(url, sizeof(url), "%s/api/v1/uploads", srv.base);
		assert_int_equal(th_http("POST", url, h, NULL, 0, &r), 0);
		assert_storage(&r);
		th_resp_free(&r);
	}

	set_fsize(RLIM_INFINITY);
	/* Space is back: the same request is taken, once. */
	assert_int_equal(intake(&r), 201);
	th_resp_free(&r);
	assert_int_equal(dossiers(), 2);
	assert_int_equal(th_serve_stop(&srv), 0);
	srv.pid = 0;
	assert_int_equal(th_motcua((const char *[]){ "audit", "verify", "--db",
				   db, NULL }, NULL, NULL, NULL), 0);
}

/* Runs 'sql' on the test database and ends motcua's sessions, so that
 * they come back under the database's new defaults. */
static void pg_reset_sessions(const char *sql)
{
	assert_int_equal(th_db_exec(db, NULL, sql), 0);
	assert_int_equal(th_db_exec(db, NULL, "SELECT pg_terminate_backend("
		"pid) FROM pg_stat_activity WHERE datname = current_database() "
		"AND pid <> pg_backend_pid()"), 0);
}

/* The database turns read-only under the running server, then back. */
static void read_only(void **state)
{
	struct th_resp r;
	bool seen = false;
	int i;

	(void)state;
	if (!th_pg())
		skip();
	assert_int_equal(intake(&r), 201);
	th_resp_free(&r);

	pg_reset_sessions("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I "
		"SET default_transaction_read_only = on', current_database()); "
		"END $$");
	/* The first tries meet the lost sessions (503 "unavailable"), then
	 * every one the read-only database (503 "storage"). */
	for (i = 0; i < 20 && !seen; i++) {
		json_t *j;

		if (intake(&r) != 503) {
			char *log = th_serve_log(&srv);

			fprintf(stderr, "%s\n", log);
			fail_msg("expected 503, got %ld: %s", r.status,
				 r.body);
		}
		j = th_json(&r);
		if (!strcmp(th_str(j, "type"), "/api/v1/problems/storage")) {
			assert_storage(&r);
			seen = true;
		}
		json_decref(j);
		th_resp_free(&r);
	}
	assert_true(seen);
	assert_int_equal(dossiers(), 1);

	pg_reset_sessions("SET TRANSACTION READ WRITE; DO $$ BEGIN "
		"EXECUTE format('ALTER DATABASE %I RESET "
		"default_transaction_read_only', current_database()); END $$");
	for (i = 0; i < 20; i++) {
		long st = intake(&r);

		if (st != 201 && st != 503) {
			char *log = th_serve_log(&srv);

			fprintf(stderr, "%s\n", log);
			fail_msg("expected 201 or 503, got %ld: %s", st,
				 r.body);
		}
		th_resp_free(&r);
		if (st == 201)
			break;
	}
	assert_true(i < 20);
	assert_int_equal(dossiers(), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(disk_full, setup, teardown),
		cmocka_unit_test_setup_teardown(read_only, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
