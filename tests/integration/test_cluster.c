/*
 * test_cluster.c — motcua scaled out (label "cluster": make test-cluster).
 * scripts/cluster-up starts a PostgreSQL primary and streaming replica,
 * two motcua processes reading from the replica, and HAProxy, on
 * loopback.
 *
 * A process killed while it takes in dossiers: 8 clients post intakes
 * through HAProxy for 8 seconds while one motcua is killed with SIGKILL
 * and started again. Afterwards:
 *
 * - the clients saw only answers a client may retry (502/503/504 from
 *   HAProxy, or a dropped connection), never a wrong one;
 * - every acknowledged dossier (201) is in the database exactly once;
 * - every event chain is complete ('motcua audit verify');
 * - both processes serve again.
 *
 * Reads from the replica, made to replay 3 seconds late: a GET by someone
 * who did not write reads the replica (and misses a dossier just taken
 * in), while the officer who took it in reads it at once from the primary
 * (read-your-own-writes); a server whose replica_max_lag the delay
 * exceeds reads the primary; once the replica has replayed, everyone
 * reads it there.
 */
#include "core/compat.h"
#include "harness/harness.h"

#include "core/err.h"
#include "store/store.h"

#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#define CLIENTS 8
#define SECONDS 8

static char dir[600], base[128], dburl[256], replica[256], app1[64],
	    bin[600];
static char token[128];

struct client {
	pthread_t th;
	char (*codes)[64];
	int ok, retriable, wrong, cap;
	char wrong_what[256];
};

static size_t sink(char *p, size_t size, size_t n, void *arg)
{
	char *buf = arg;
	size_t len = strlen(buf), add = size * n;

	if (len + add >= 4096)
		add = 4095 - len;
	memcpy(buf + len, p, add);
	buf[len + add] = '\0';
	return size * n;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *run_client(void *arg)
{
	static const char body[] = "{\"procedure_code\": \"9.900301\", "
		"\"channel\": \"direct\", \"applicant\": {\"kind\": \"person\", "
		"\"id_number\": \"051095012345\", \"name\": \"Trần Văn Bình\", "
		"\"phone\": \"0912345678\"}, \"components\": [{\"code\": \"TK\", "
		"\"provided\": true}]}";
	struct client *c = arg;
	struct curl_slist *h = NULL;
	char url[200], auth[200];
	double end = now_s() + SECONDS;
	CURL *cu = curl_easy_init();

	snprintf(url, sizeof(url), "%s/api/v1/dossiers", base);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, auth);
	curl_easy_setopt(cu, CURLOPT_URL, url);
	curl_easy_setopt(cu, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(cu, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(cu, CURLOPT_TIMEOUT, 20L);
	while (now_s() < end) {
		char buf[4096] = "";
		long st = 0;
		json_t *j;

		curl_easy_setopt(cu, CURLOPT_WRITEDATA, buf);
		if (curl_easy_perform(cu) != CURLE_OK) {
			c->retriable++;		/* the connection dropped */
			continue;
		}
		curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &st);
		if (st == 502 || st == 503 || st == 504) {
			c->retriable++;
			continue;
		}
		j = json_loads(buf, 0, NULL);
		if (st == 201 && json_is_string(json_object_get(j, "code")) &&
		    c->ok < c->cap) {
			snprintf(c->codes[c->ok++], 64, "%s", json_string_value(
				 json_object_get(j, "code")));
		} else {
			c->wrong++;
			snprintf(c->wrong_what, sizeof(c->wrong_what),
				 "%ld %.200s", st, buf);
		}
		json_decref(j);
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(cu);
	return NULL;
}

/* Reads KEY=VALUE from cluster.env into 'out'. */
static void env_value(const char *text, const char *key, char *out, size_t n)
{
	const char *p = strstr(text, key);
	size_t len;

	if (!p)
		fail_msg("cluster.env has no %s", key);
	p += strlen(key) + 1;
	len = strcspn(p, "\n");
	snprintf(out, n, "%.*s", (int)len, p);
}

static int teardown(void **state);

static int setup(void **state)
{
	char cmd[2048], envf[700], *text, clock_tok[128];
	int rc;

	(void)state;
	/* Under /tmp: PostgreSQL runs as its own user and must reach it. */
	snprintf(dir, sizeof(dir), "/tmp/motcua-fault-%ld", (long)getpid());
	snprintf(cmd, sizeof(cmd), "CLUSTER_PORT=%s CLUSTER_DOSSIERS=0 "
		 "CLUSTER_BIN=%s MOTCUA_PASSWORD_MEMORY=64k %s/scripts/"
		 "cluster-up %s >%s.out 2>&1",
		 getenv("CLUSTER_PORT") ? getenv("CLUSTER_PORT") : "18190",
		 MC_BINARY, MC_SOURCE_DIR, dir, dir);
	rc = system(cmd);
	if (rc != 0) {
		snprintf(envf, sizeof(envf), "%s.out", dir);
		text = th_read_file(envf, NULL);
		teardown(NULL);
		fail_msg("cluster-up failed: %s", text ? text : "");
	}
	snprintf(envf, sizeof(envf), "%s/cluster.env", dir);
	text = th_read_file(envf, NULL);
	assert_non_null(text);
	env_value(text, "CLUSTER_URL", base, sizeof(base));
	env_value(text, "CLUSTER_DB", dburl, sizeof(dburl));
	env_value(text, "CLUSTER_REPLICA", replica, sizeof(replica));
	env_value(text, "CLUSTER_APP1", app1, sizeof(app1));
	env_value(text, "CLUSTER_BIN", bin, sizeof(bin));
	free(text);
	/* A procedure to take in, through the load balancer. */
	th_login(base, "kiemsoat", "motcua-demo", clock_tok, sizeof(clock_tok));
	assert_int_equal(th_api(base, "POST", "/api/v1/procedures", clock_tok,
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, "
		"s:{s:s, s:b}, s:[{s:s, s:s, s:s, s:b}], "
		"s:[{s:s, s:s, s:i}]}", "code", "9.900301", "name",
		"Thủ tục thử sự cố", "field", "Thử", "level", "province",
		"unit_code", "000.00.04.H51", "processing_time", "amount", 5,
		"unit", "working_days", "result", "document_type", "Giấy",
		"paper", 1, "components", "code", "TK", "name", "Tờ khai",
		"form", "original", "required", 1, "steps", "name", "Xử lý",
		"role", "specialist", "share_percent", 100), NULL), 201);
	assert_int_equal(th_api(base, "POST", "/api/v1/procedures/9.900301/"
		"publish", clock_tok, json_pack("{s:s, s:s, s:s}",
		"valid_from", "2025-07-01", "decision_number", "9/QĐ",
		"decision_date", "2025-07-01"), NULL), 200);
	th_login(base, "tiepnhan", "motcua-demo", token, sizeof(token));
	return 0;
}

static int teardown(void **state)
{
	char cmd[2048];

	(void)state;
	snprintf(cmd, sizeof(cmd), "%s/scripts/cluster-down %s; rm -f %s.out",
		 MC_SOURCE_DIR, dir, dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_kill_during_intake(void **state)
{
	struct client cl[CLIENTS];
	char pidf[700], *pid, cmd[4096], *out = NULL, *err = NULL;
	int i, k, ok = 0, retriable = 0, rc;
	struct mc_store_opts o;
	struct mc_store *st = NULL;
	struct mc_conn *c = NULL;
	struct mc_err e = MC_ERR_INIT;

	(void)state;
	memset(cl, 0, sizeof(cl));
	for (i = 0; i < CLIENTS; i++) {
		cl[i].cap = 20000;
		cl[i].codes = calloc((size_t)cl[i].cap, 64);
		pthread_create(&cl[i].th, NULL, run_client, &cl[i]);
	}
	/* Two and a half seconds in, SIGKILL one process; start it again. */
	usleep(2500000);
	snprintf(pidf, sizeof(pidf), "%s/motcua1.pid", dir);
	pid = th_read_file(pidf, NULL);
	assert_non_null(pid);
	assert_int_equal(kill((pid_t)strtol(pid, NULL, 10), SIGKILL), 0);
	free(pid);
	usleep(1000000);
	if (snprintf(cmd, sizeof(cmd), "(%s serve --db '%s' --db-replica '%s' "
		     "--listen %s >/dev/null 2>>%s/motcua1.log & echo $! "
		     ">%s/motcua1.pid)", bin, dburl, replica, app1, dir,
		     dir) >= (int)sizeof(cmd))
		fail_msg("command too long");
	assert_int_equal(system(cmd), 0);
	for (i = 0; i < CLIENTS; i++) {
		pthread_join(cl[i].th, NULL);
		if (cl[i].wrong)
			fail_msg("client %d got %d wrong answers, last: %s", i,
				 cl[i].wrong, cl[i].wrong_what);
		ok += cl[i].ok;
		retriable += cl[i].retriable;
	}
	print_message("fault test: %d dossiers acknowledged, %d retriable "
		      "failures\n", ok, retriable);
	assert_true(ok > 100);

	/* Every acknowledged dossier is there, exactly once. */
	memset(&o, 0, sizeof(o));
	o.url = dburl;
	o.busy_timeout_ms = 10000;
	assert_int_equal(mc_store_open(&o, &st, &e), 0);
	assert_int_equal(mc_store_connect(st, &c, &e), 0);
	for (i = 0; i < CLIENTS; i++) {
		for (k = 0; k < cl[i].ok; k++) {
			static const char sql[] = "SELECT COUNT(*) FROM "
				"dossiers WHERE code = ?1";
			struct mc_stmt *s = mc_sql(c, sql, &e);

			mc_sql_text(s, 1, cl[i].codes[k]);
			assert_int_equal(mc_sql_step(s, &e), 1);
			if (mc_sql_col_int(s, 0) != 1)
				fail_msg("acknowledged %s: %" PRId64 " rows",
					 cl[i].codes[k], mc_sql_col_int(s, 0));
			mc_sql_reset(s);
		}
		free(cl[i].codes);
	}
	mc_conn_close(c);
	mc_store_close(st);

	/* Every chain complete; the restarted process serves again. */
	rc = th_motcua((const char *[]){ "audit", "verify", "--db", dburl,
					 NULL }, NULL, &out, &err);
	if (rc)
		fail_msg("audit: %d %s %s", rc, out, err);
	assert_non_null(strstr(out, ", 0 broken chains"));
	free(out);
	free(err);
	for (i = 0; i < 50; i++) {
		struct th_resp r;
		char url[128];

		snprintf(url, sizeof(url), "http://%s/readyz", app1);
		if (th_http("GET", url, NULL, NULL, 0, &r) == 0 &&
		    r.status == 200) {
			th_resp_free(&r);
			break;
		}
		usleep(100000);
	}
	assert_true(i < 50);
}

/* Runs one statement on the database at 'url' (outside a transaction). */
static void sql_on(const char *url, const char *sql)
{
	struct mc_err e = MC_ERR_INIT;
	struct mc_store_opts o;
	struct mc_store *st = NULL;
	struct mc_conn *c = NULL;

	memset(&o, 0, sizeof(o));
	o.url = url;
	o.busy_timeout_ms = 10000;
	if (mc_store_open(&o, &st, &e) || mc_store_connect(st, &c, &e) ||
	    mc_conn_exec(c, sql, &e))
		fail_msg("%s: %s", sql, e.message);
	mc_conn_close(c);
	mc_store_close(st);
}

/*
 * GET 'path' on 'srv' with 'token' (may be NULL) under the request id
 * 'rid'; returns the status and, from the server's log, where the
 * request read ("replica", "primary", "both").
 */
static long get_read(const struct th_server *srv, const char *path,
		     const char *tok, const char *rid, char *from, size_t n)
{
	char url[300], auth[200], idh[80], *log, *line, *save = NULL;
	const char *hdrs[3] = { idh, NULL, NULL };
	struct th_resp r;
	long st;
	int i;

	snprintf(url, sizeof(url), "%s%s", srv->base, path);
	snprintf(idh, sizeof(idh), "X-Request-Id: %s", rid);
	if (tok) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", tok);
		hdrs[1] = auth;
	}
	assert_int_equal(th_http("GET", url, hdrs, NULL, 0, &r), 0);
	st = r.status;
	th_resp_free(&r);
	snprintf(from, n, "?");
	/* The access-log line is written as the request ends. */
	for (i = 0; i < 50 && from[0] == '?'; i++) {
		log = th_serve_log(srv);
		for (line = strtok_r(log, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			json_t *j = json_loads(line, 0, NULL);
			const char *c = json_string_value(json_object_get(j,
						"client_request_id"));

			if (c && !strcmp(c, rid))
				snprintf(from, n, "%s", json_string_value(
					 json_object_get(j, "read_from")) ?
					 json_string_value(json_object_get(j,
					 "read_from")) : "none");
			json_decref(j);
		}
		free(log);
		if (from[0] == '?')
			usleep(20 * 1000);
	}
	return st;
}

struct burster {
	pthread_t th;
	const struct th_server *srv;
	const char *token;
	int ok, n;
	char last[300];
};

static void *burst_run(void *arg)
{
	struct burster *b = arg;
	int i;

	for (i = 0; i < b->n; i++) {
		json_t *j = NULL;
		long st = th_api(b->srv->base, "POST", "/api/v1/dossiers",
			b->token, json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, "
			"s:[{s:s, s:b}]}", "procedure_code", "9.900301",
			"channel", "direct", "applicant", "kind", "person",
			"id_number", "051095012345", "name", "Phạm Thị Lan",
			"phone", "0912345678", "components", "code", "TK",
			"provided", 1), &j);

		if (st == 201)
			b->ok++;
		else
			snprintf(b->last, sizeof(b->last), "%ld %.200s", st,
				 j ? json_string_value(json_object_get(j,
				 "detail")) : "");
		json_decref(j);
	}
	return NULL;
}

/*
 * Writes of two sessions from eight clients at once, through the writer
 * lanes: marking each session as having written must not make batches
 * wait for each other (it once deadlocked: the session rows were
 * updated inside the batches, in any order).
 */
static void burst(const struct th_server *srv, const char *t1,
		  const char *t2)
{
	struct burster b[8];
	int i;

	memset(b, 0, sizeof(b));
	for (i = 0; i < 8; i++) {
		b[i].srv = srv;
		b[i].token = i % 2 ? t2 : t1;
		b[i].n = 60;
		pthread_create(&b[i].th, NULL, burst_run, &b[i]);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(b[i].th, NULL);
		if (b[i].ok != b[i].n)
			fail_msg("client %d: %d of %d, last: %s", i, b[i].ok,
				 b[i].n, b[i].last);
	}
}

static void test_replica_reads(void **state)
{
	struct th_server lax, strict;
	char writer[128], other[128], code[64], path[160], pub[200],
	     from[16], rid[32];
	json_t *j;
	long st;
	int i;

	(void)state;
	/* Both on the cluster's primary and replica; lax trusts it longer. */
	th_serve(&lax, (const char *[]){ "--db", dburl, "--db-replica",
		 replica, "--replica-max-lag", "10m", "--threads", "1",
		 "--lookup-max-failures", "10000", "--lookup-max-per-code",
		 "10000", NULL });
	th_serve(&strict, (const char *[]){ "--db", dburl, "--db-replica",
		 replica, "--replica-max-lag", "200ms", "--threads", "1",
		 NULL });
	th_login(lax.base, "tiepnhan", "motcua-demo", writer, sizeof(writer));
	th_login(lax.base, "tiepnhan", "motcua-demo", other, sizeof(other));
	/* Caught up, the replica serves the anonymous and the signed-in. */
	for (i = 0; i < 100; i++) {
		snprintf(rid, sizeof(rid), "warm-%d", i);
		if (get_read(&lax, "/api/v1/dossiers?limit=1", other, rid,
			     from, sizeof(from)) == 200 &&
		    !strcmp(from, "both"))
			break;
		usleep(100 * 1000);
	}
	assert_string_equal(from, "both");

	/* From now on the replica replays each commit 3 seconds late. */
	sql_on(replica, "ALTER SYSTEM SET recovery_min_apply_delay = '3s'");
	sql_on(replica, "SELECT pg_reload_conf()");
	usleep(300 * 1000);
	assert_int_equal(th_api(lax.base, "POST", "/api/v1/dossiers", writer,
		json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:[{s:s, s:b}]}",
		"procedure_code", "9.900301", "channel", "direct", "applicant",
		"kind", "person", "id_number", "051095012345", "name",
		"Phạm Thị Lan", "phone", "0912345678", "components", "code",
		"TK", "provided", 1), &j), 201);
	snprintf(code, sizeof(code), "%s", th_str(j, "code"));
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", code);
	snprintf(pub, sizeof(pub), "/api/v1/public/dossiers/%s?phone_last4="
		 "5678", code);
	/* The officer who wrote reads it at once, from the primary. */
	assert_int_equal(get_read(&lax, path, writer, "ryw-1", from,
				  sizeof(from)), 200);
	assert_string_equal(from, "primary");
	/* Another session and anonymous look-ups read the replica: not yet. */
	assert_int_equal(get_read(&lax, path, other, "other-1", from,
				  sizeof(from)), 404);
	assert_string_equal(from, "both");
	assert_int_equal(get_read(&lax, pub, NULL, "anon-1", from,
				  sizeof(from)), 404);
	assert_string_equal(from, "replica");
	/* A server that allows 200 ms of lag reads the primary meanwhile. */
	usleep(500 * 1000);
	assert_int_equal(get_read(&strict, pub, NULL, "strict-1", from,
				  sizeof(from)), 200);
	assert_string_equal(from, "primary");
	/* Replayed: everyone reads it from the replica, the writer too. */
	for (i = 0, st = 0; i < 100 && st != 200; i++) {
		usleep(100 * 1000);
		snprintf(rid, sizeof(rid), "anon-wait-%d", i);
		st = get_read(&lax, pub, NULL, rid, from, sizeof(from));
	}
	assert_int_equal(st, 200);
	assert_string_equal(from, "replica");
	assert_int_equal(get_read(&lax, path, other, "other-2", from,
				  sizeof(from)), 200);
	assert_string_equal(from, "both");
	/* (Once the replica has replayed whatever the primary wrote since.) */
	for (i = 0; i < 100; i++) {
		snprintf(rid, sizeof(rid), "ryw-wait-%d", i);
		assert_int_equal(get_read(&lax, path, writer, rid, from,
					  sizeof(from)), 200);
		if (!strcmp(from, "both"))
			break;
		usleep(100 * 1000);
	}
	assert_string_equal(from, "both");

	sql_on(replica, "ALTER SYSTEM RESET recovery_min_apply_delay");
	sql_on(replica, "SELECT pg_reload_conf()");
	burst(&lax, writer, other);
	assert_int_equal(th_serve_stop(&lax), 0);
	assert_int_equal(th_serve_stop(&strict), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill_during_intake),
		cmocka_unit_test(test_replica_reads),
	};

	curl_global_init(CURL_GLOBAL_ALL);
	return cmocka_run_group_tests(tests, setup, teardown);
}
