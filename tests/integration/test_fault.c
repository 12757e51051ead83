/*
 * test_fault.c — a motcua process killed while it takes in dossiers
 * (label "cluster": make test-cluster). scripts/cluster-up starts a
 * PostgreSQL primary and replica, two motcua processes and HAProxy on
 * loopback; 8 clients post intakes through HAProxy for 8 seconds while
 * one motcua is killed with SIGKILL and started again. Afterwards:
 *
 * - the clients saw only answers a client may retry (502/503/504 from
 *   HAProxy, or a dropped connection), never a wrong one;
 * - every acknowledged dossier (201) is in the database exactly once;
 * - every event chain is complete ('motcua audit verify');
 * - both processes serve again.
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

static char dir[600], base[128], dburl[256], app1[64], bin[600];
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
	if (snprintf(cmd, sizeof(cmd), "(%s serve --db '%s' --listen %s "
		     ">/dev/null 2>>%s/motcua1.log & echo $! >%s/motcua1.pid)",
		     bin, dburl, app1, dir, dir) >= (int)sizeof(cmd))
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill_during_intake),
	};

	curl_global_init(CURL_GLOBAL_ALL);
	return cmocka_run_group_tests(tests, setup, teardown);
}
