/*
 * test_crash.c — kill -9 during concurrent intake (issue 11, "Crashes and
 * faults"): eight counter officers take dossiers in over HTTP; the server
 * is killed without warning mid-stream and started again on the same
 * database. Every dossier whose 201 came back is there, once, with its
 * intake event; nothing is half-written: every event chain is unbroken
 * and every dossier has its first event. Dossiers in flight when it died
 * may be there too (committed, answer lost) — and then whole.
 *
 * Then kill -9 while the outbox is delivering SMS to a gateway that
 * honours idempotency keys: after the restart every queued message
 * reaches it, and each is sent to a phone exactly once (a send cut off
 * by the kill goes again under its key and is answered, not resent).
 */
#include "core/compat.h"
#include "harness/harness.h"
#include "harness/smsgw.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <unistd.h>

#define CLIENTS 8
#define MAX_EACH 4000

static struct th_server srv;
static char db[600], token[128], base[96];
static atomic_bool dead;

struct client {
	pthread_t thread;
	int n;
	char (*codes)[40];
};

static int setup(void **state)
{
	(void)state;
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	th_demo_db(db, sizeof(db), "crash");
	th_serve(&srv, (const char *[]){ "--db", db, "--durability", "full",
		 NULL });
	th_procedure(srv.base, "9.900901", "Thủ tục thử sự cố");
	th_login(srv.base, "tiepnhan", "motcua-demo", token, sizeof(token));
	snprintf(base, sizeof(base), "%s", srv.base);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (srv.pid > 0)
		assert_int_equal(th_serve_stop(&srv), 0);
	return 0;
}

/*
 * Takes dossiers in until the server is gone; keeps every 201's code.
 * (th_http, not th_api: a request the kill cuts off is expected here.)
 */
static void *run(void *arg)
{
	static const char body[] = "{\"procedure_code\": \"9.900901\", "
		"\"channel\": \"direct\", \"applicant\": {\"kind\": "
		"\"person\", \"id_number\": \"051090006666\", \"name\": "
		"\"Lò Văn Sự Cố\", \"phone\": \"0905666666\"}, "
		"\"components\": [{\"code\": \"TK\", \"provided\": true}]}";
	struct client *c = arg;
	char url[160], auth[200];
	const char *h[] = { auth, "Content-Type: application/json", NULL };

	snprintf(url, sizeof(url), "%s/api/v1/dossiers", base);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	while (c->n < MAX_EACH) {
		struct th_resp r;
		long st = 0;

		if (th_http("POST", url, h, body, strlen(body), &r) == 0) {
			st = r.status;
			if (st == 201) {
				json_t *j = th_json(&r);

				snprintf(c->codes[c->n++], 40, "%s",
					 th_str(j, "code"));
				json_decref(j);
			}
		}
		th_resp_free(&r);	/* filled either way */
		if (st != 201 && atomic_load(&dead))
			break;
	}
	return NULL;
}

static void killed_mid_intake(void **state)
{
	struct client cl[CLIENTS];
	int i, k, acked = 0;
	int64_t held;
	char *out = NULL, *err = NULL;

	(void)state;
	for (i = 0; i < CLIENTS; i++) {
		cl[i].n = 0;
		cl[i].codes = calloc(MAX_EACH, sizeof(*cl[i].codes));
		assert_int_equal(pthread_create(&cl[i].thread, NULL, run,
						&cl[i]), 0);
	}
	/* Let them get going, then no warning at all. */
	while (th_db_int(db, "SELECT COUNT(*) FROM dossiers", NULL) < 200)
		usleep(20 * 1000);
	atomic_store(&dead, true);
	assert_int_equal(th_serve_kill(&srv), 128 + SIGKILL);
	for (i = 0; i < CLIENTS; i++) {
		pthread_join(cl[i].thread, NULL);
		acked += cl[i].n;
	}
	assert_true(acked >= 100);
	/* Again, on the same database. */
	th_serve(&srv, (const char *[]){ "--db", db, "--durability", "full",
		 NULL });
	th_login(srv.base, "tiepnhan", "motcua-demo", token, sizeof(token));
	held = th_db_int(db, "SELECT COUNT(*) FROM dossiers", NULL);
	assert_true(held >= acked);
	/* Every acknowledged dossier, once, with its intake event. */
	for (i = 0; i < CLIENTS; i++) {
		for (k = 0; k < cl[i].n; k++) {
			const char *p[] = { cl[i].codes[k], NULL };

			if (th_db_int(db, "SELECT COUNT(*) FROM dossiers d JOIN "
				      "dossier_events e ON e.dossier_id = d.id "
				      "AND e.seq = 1 AND e.action = 'intake' "
				      "WHERE d.code = ?1", p) != 1)
				fail_msg("acknowledged %s is not whole",
					 cl[i].codes[k]);
		}
		free(cl[i].codes);
	}
	/* Nothing half-written: every dossier has its first event. */
	assert_int_equal(th_db_int(db, "SELECT COUNT(*) FROM dossiers d "
		"WHERE NOT EXISTS (SELECT 1 FROM dossier_events e WHERE "
		"e.dossier_id = d.id AND e.seq = 1)", NULL), 0);
	assert_int_equal(th_motcua((const char *[]){ "audit", "verify", "--db",
		db, NULL }, NULL, &out, &err), 0);
	assert_non_null(strstr(out, ", 0 broken chains"));
	free(out);
	free(err);
	/* And it takes dossiers in again. */
	{
		char *code = th_intake(srv.base, token, "9.900901", "direct",
				       "051090006667", "Lò Thị Sau", "0905666667");

		free(code);
	}
}

static void killed_mid_delivery(void **state)
{
	struct th_smsgw *gw = th_smsgw_start("bi-mat-sms");
	struct th_server s2;
	char db2[600], tok[128], url[200];
	/* A killed worker's messages are taken again after the lease. */
	const char *args[] = { "--db", db2, "--sms-url", url, "--sms-token",
			       "bi-mat-sms", "--outbox-poll", "20ms",
			       "--outbox-lease", "2s", "--outbox-retry-min",
			       "1s", NULL };
	int64_t total, sent = 0;
	int i, n, posts;

	(void)state;
	snprintf(url, sizeof(url), "%s", th_smsgw_url(gw));
	th_demo_db(db2, sizeof(db2), "crash-outbox");
	/* Slow: the kill finds deliveries under way. */
	th_smsgw_mode(gw, TH_GW_OK, 40);
	th_serve(&s2, args);
	th_procedure(s2.base, "9.900901", "Thủ tục thử sự cố");
	th_login(s2.base, "tiepnhan", "motcua-demo", tok, sizeof(tok));
	for (i = 0; i < 40; i++) {
		char id[32], phone[32], *code;

		/* One phone each: a phone's own limit is not what is tested. */
		snprintf(id, sizeof(id), "0510900077%02d", i % 100);
		snprintf(phone, sizeof(phone), "09057770%02d", i % 100);
		code = th_intake(s2.base, tok, "9.900901", "direct", id,
				 "Hà Thị Tin Nhắn", phone);
		free(code);
	}
	for (i = 0; i < 1000 && th_smsgw_count(gw, &posts) < 5; i++)
		usleep(10 * 1000);
	assert_int_equal(th_serve_kill(&s2), 128 + SIGKILL);
	assert_true(th_smsgw_count(gw, &posts) < 40);
	th_serve(&s2, args);
	total = th_db_int(db2, "SELECT COUNT(*) FROM messages WHERE channel = "
			  "'sms'", NULL);
	assert_true(total >= 40);
	for (i = 0; i < 1500 && sent < total; i++) {
		sent = th_db_int(db2, "SELECT COUNT(*) FROM messages WHERE "
				 "channel = 'sms' AND status IN ('sent', "
				 "'delivered')", NULL);
		usleep(20 * 1000);
	}
	if (sent != total)
		fail_msg("%lld of %lld sent; %lld sending, %lld created, %lld "
			 "failed for now", (long long)sent, (long long)total,
			 (long long)th_db_int(db2, "SELECT COUNT(*) FROM "
			 "messages WHERE status = 'sending'", NULL),
			 (long long)th_db_int(db2, "SELECT COUNT(*) FROM "
			 "messages WHERE status = 'created'", NULL),
			 (long long)th_db_int(db2, "SELECT COUNT(*) FROM "
			 "messages WHERE status = 'temporary_failure'", NULL));
	n = th_smsgw_count(gw, &posts);
	assert_int_equal(n, total);
	for (i = 0; i < n; i++) {
		struct th_sms m;

		assert_true(th_smsgw_get(gw, i, &m));
		if (m.sends != 1)
			fail_msg("%s sent %d times", m.key, m.sends);
	}
	assert_int_equal(th_serve_stop(&s2), 0);
	th_smsgw_stop(gw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(killed_mid_intake),
		cmocka_unit_test(killed_mid_delivery),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
