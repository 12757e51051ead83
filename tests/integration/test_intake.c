/*
 * test_intake.c — concurrent intake: 32 clients over keep-alive HTTP take
 * in 10,000 dossiers at one counter on one day (durability full). Every
 * request must succeed, every code must be distinct, the per-agency daily
 * sequence must run 0001..10000 without a gap, and the database must hold
 * exactly those dossiers, each with its first event. Under valgrind the
 * count is cut to 1,000 (the checks are the same).
 */
#include "core/compat.h"
#include "harness/harness.h"

#include <curl/curl.h>
#include <pthread.h>
#include <unistd.h>
#include "store/store.h"

#define CLIENTS 32

static struct th_server srv;
static char db[600], token[128];
static int total;

struct client {
	pthread_t thread;
	int from, n;		/* requests to send */
	int *seqs;		/* sequence number of each code received */
	int ok, failed;
	char last_error[512];
};

struct sink {
	char buf[16384];
	size_t len;
};

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t add = size * n;

	if (s->len + add >= sizeof(s->buf))
		add = sizeof(s->buf) - 1 - s->len;
	memcpy(s->buf + s->len, p, add);
	s->len += add;
	s->buf[s->len] = '\0';
	return size * n;
}

static void *run_client(void *arg)
{
	struct client *cl = arg;
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	char url[200], auth[200];
	int i;

	snprintf(url, sizeof(url), "%s/api/v1/dossiers", srv.base);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, auth);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	for (i = 0; i < cl->n; i++) {
		struct sink s = { "", 0 };
		char body[512];
		long status = 0;
		json_t *j;

		snprintf(body, sizeof(body), "{\"procedure_code\": \"9.900101\", "
			 "\"channel\": \"direct\", \"applicant\": {\"kind\": "
			 "\"person\", \"id_number\": \"0510950%05d\", \"name\": "
			 "\"Trần Thị Hồng %d\", \"phone\": \"09%08d\"}, "
			 "\"components\": [{\"code\": \"TK\", \"provided\": "
			 "true}]}", cl->from + i, cl->from + i, cl->from + i);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
		if (curl_easy_perform(c) != CURLE_OK) {
			cl->failed++;
			snprintf(cl->last_error, sizeof(cl->last_error),
				 "no response");
			continue;
		}
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		j = json_loadb(s.buf, s.len, 0, NULL);
		if (status != 201 || !json_is_string(json_object_get(j,
								    "code"))) {
			cl->failed++;
			snprintf(cl->last_error, sizeof(cl->last_error),
				 "%ld %.400s", status, s.buf);
		} else {
			const char *code = json_string_value(
				json_object_get(j, "code"));

			/* "000.00.01.H51-260302-NNNN" */
			cl->seqs[cl->ok++] = (int)strtol(strrchr(code, '-') + 1,
							 NULL, 10);
		}
		json_decref(j);
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return NULL;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static char clock_file[600];

static int setup(void **state)
{
	(void)state;
	total = getenv("MOTCUA_TEST_VALGRIND") ? 1000 : 10000;
	th_path(clock_file, sizeof(clock_file), "clock");
	th_write_file(clock_file, "2026-03-02T09:00:00+07:00");
	setenv("MOTCUA_TEST_CLOCK", clock_file, 1);
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	th_demo_db(db, sizeof(db), "intake");
	th_serve(&srv, (const char *[]){ "--db", db, "--threads", "2",
					 "--durability", "full", NULL });
	th_procedure(srv.base, "9.900101", "Thủ tục thử tải");
	th_login(srv.base, "tiepnhan", "motcua-demo", token, sizeof(token));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(th_serve_stop(&srv), 0);
	return 0;
}

static void test_concurrent_intake(void **state)
{
	struct client cl[CLIENTS];
	int *all = calloc((size_t)total, sizeof(int)), n = 0, i, k;

	(void)state;
	memset(cl, 0, sizeof(cl));
	for (i = 0; i < CLIENTS; i++) {
		cl[i].n = total / CLIENTS + (i < total % CLIENTS);
		cl[i].from = i ? cl[i - 1].from + cl[i - 1].n : 0;
		cl[i].seqs = calloc((size_t)cl[i].n, sizeof(int));
		assert_int_equal(pthread_create(&cl[i].thread, NULL,
						run_client, &cl[i]), 0);
	}
	for (i = 0; i < CLIENTS; i++) {
		pthread_join(cl[i].thread, NULL);
		if (cl[i].failed)
			fail_msg("client %d: %d failed, last: %s", i,
				 cl[i].failed, cl[i].last_error);
		for (k = 0; k < cl[i].ok; k++)
			all[n++] = cl[i].seqs[k];
		free(cl[i].seqs);
	}
	assert_int_equal(n, total);
	/* Distinct, and exactly 1..total: the sequence never repeats. */
	qsort(all, (size_t)n, sizeof(int), cmp_int);
	for (i = 0; i < n; i++)
		if (all[i] != i + 1)
			fail_msg("sequence %d at position %d", all[i], i);
	free(all);

	{
		static const char sql[] = "SELECT COUNT(*), COUNT(DISTINCT "
			"code), (SELECT COUNT(*) FROM dossier_events WHERE seq "
			"= 1 AND action = 'intake') FROM dossiers";
		struct mc_store_opts o;
		struct mc_store *st = NULL;
		struct mc_conn *c = NULL;
		struct mc_stmt *s;
		struct mc_err err = MC_ERR_INIT;

		memset(&o, 0, sizeof(o));
		o.url = db;
		o.busy_timeout_ms = 5000;
		assert_int_equal(mc_store_open(&o, &st, &err), 0);
		assert_int_equal(mc_store_connect(st, &c, &err), 0);
		s = mc_sql(c, sql, &err);
		assert_non_null(s);
		assert_int_equal(mc_sql_step(s, &err), 1);
		assert_int_equal(mc_sql_col_int(s, 0), total);
		assert_int_equal(mc_sql_col_int(s, 1), total);
		assert_int_equal(mc_sql_col_int(s, 2), total);
		mc_sql_reset(s);
		mc_conn_close(c);
		mc_store_close(st);
	}
}

/* POST /api/v1/dossiers with 'key' as Idempotency-Key; the answer. */
static long keyed(const char *key, const char *name, struct th_resp *out)
{
	char url[160], auth[200], hk[120], body[600];
	const char *h[] = { auth, "Content-Type: application/json", hk, NULL };

	snprintf(url, sizeof(url), "%s/api/v1/dossiers", srv.base);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	snprintf(hk, sizeof(hk), "Idempotency-Key: %s", key);
	snprintf(body, sizeof(body), "{\"procedure_code\": \"9.900101\", "
		 "\"channel\": \"direct\", \"applicant\": {\"kind\": "
		 "\"person\", \"id_number\": \"051090007777\", \"name\": "
		 "\"%s\", \"phone\": \"0905777777\"}, \"components\": "
		 "[{\"code\": \"TK\", \"provided\": true}]}", name);
	assert_int_equal(th_http("POST", url, h, body, strlen(body), out), 0);
	return out->status;
}

static const char *rule_of(const struct th_resp *r, char *buf, size_t n)
{
	json_t *j = th_json(r);

	snprintf(buf, n, "%s", th_str(json_array_get(json_object_get(j,
		 "errors"), 0), "rule"));
	json_decref(j);
	return buf;
}

struct resend {
	pthread_t thread;
	char code[96];
};

static void *resend_run(void *arg)
{
	struct resend *rs = arg;
	struct th_resp r;
	int i;

	/* A busy answer (the first still committing) is sent again. */
	for (i = 0; i < 20; i++) {
		long st = keyed("mat-ket-noi-2", "Lê Thị Gửi Lại", &r);

		if (st == 201) {
			json_t *j = th_json(&r);

			snprintf(rs->code, sizeof(rs->code), "%s",
				 th_str(j, "code"));
			json_decref(j);
			th_resp_free(&r);
			break;
		}
		th_resp_free(&r);
		usleep(20 * 1000);
	}
	return NULL;
}

/*
 * An intake sent again with its Idempotency-Key (the answer lost on a
 * dropped line) is the first dossier, never a second; the same key for
 * another request is refused; eight copies at once make one dossier.
 */
static void test_idempotent_intake(void **state)
{
	struct resend rs[8];
	struct th_resp r;
	char code[96], buf[64];
	json_t *j;
	int i;

	(void)state;
	assert_int_equal(keyed("mat-ket-noi-1", "Lê Văn Một Lần", &r), 201);
	assert_null(th_header(&r, "idempotent-replayed", buf, sizeof(buf)));
	j = th_json(&r);
	snprintf(code, sizeof(code), "%s", th_str(j, "code"));
	json_decref(j);
	th_resp_free(&r);
	assert_int_equal(keyed("mat-ket-noi-1", "Lê Văn Một Lần", &r), 201);
	assert_string_equal(th_header(&r, "idempotent-replayed", buf,
				      sizeof(buf)), "true");
	j = th_json(&r);
	assert_string_equal(th_str(j, "code"), code);
	json_decref(j);
	th_resp_free(&r);
	assert_int_equal(keyed("mat-ket-noi-1", "Người Khác", &r), 409);
	assert_string_equal(rule_of(&r, buf, sizeof(buf)), "idempotency");
	th_resp_free(&r);
	assert_int_equal(keyed("co dau cach", "Lê Văn Một Lần", &r), 400);
	assert_string_equal(rule_of(&r, buf, sizeof(buf)), "format");
	th_resp_free(&r);
	for (i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&rs[i].thread, NULL,
						resend_run, &rs[i]), 0);
	for (i = 0; i < 8; i++) {
		pthread_join(rs[i].thread, NULL);
		assert_true(rs[i].code[0] != '\0');
		assert_string_equal(rs[i].code, rs[0].code);
	}
	assert_string_not_equal(rs[0].code, code);
	/* Two dossiers more than the load test made, no more. */
	assert_int_equal(th_db_int(db, "SELECT COUNT(*) FROM dossiers", NULL),
			 total + 2);

	/*
	 * Past idempotency_ttl the deadline watch forgets the keys: the same
	 * key is then a new request (a week later, nobody is retrying).
	 */
	{
		struct th_server s2;

		th_write_file(clock_file, "2026-03-10T09:00:00+07:00");
		th_serve(&s2, (const char *[]){ "--db", db, "--threads", "1",
			 "--watch-interval", "100ms", "--idempotency-ttl",
			 "168h", NULL });
		for (i = 0; i < 200 && th_db_int(db, "SELECT COUNT(*) FROM "
		     "idempotency_keys", NULL) > 0; i++)
			usleep(50 * 1000);
		assert_int_equal(th_db_int(db, "SELECT COUNT(*) FROM "
					   "idempotency_keys", NULL), 0);
		assert_int_equal(th_serve_stop(&s2), 0);
		th_login(srv.base, "tiepnhan", "motcua-demo", token,
			 sizeof(token));
		assert_int_equal(keyed("mat-ket-noi-1", "Người Khác", &r), 201);
		th_resp_free(&r);
		th_write_file(clock_file, "2026-03-02T09:00:00+07:00");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concurrent_intake),
		cmocka_unit_test(test_idempotent_intake),
	};

	curl_global_init(CURL_GLOBAL_ALL);
	return cmocka_run_group_tests(tests, setup, teardown);
}
