/*
 * test_http.c — the real motcua binary serving on loopback: health,
 * readiness and metrics, the OpenAPI document against the routing table,
 * the calendar endpoints and their problem documents, the web root, the
 * start-up checks on the database, and a clean stop on SIGTERM.
 */
#include "core/compat.h"
#include "harness/harness.h"
#include "api/api.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

static struct th_server srv;
static char db[600];

static int setup(void **state)
{
	char web[700];

	(void)state;
	th_make_db(db, sizeof(db), "http");
	snprintf(web, sizeof(web), "%s/web", MC_SOURCE_DIR);
	th_serve(&srv, (const char *[]){ "--db", db, "--web-root", web,
					 "--threads", "2", NULL });
	return 0;
}

static int teardown(void **state)
{
	char *log;

	(void)state;
	assert_int_equal(th_serve_stop(&srv), 0);
	log = th_serve_log(&srv);
	assert_non_null(strstr(log, "\"msg\":\"stopped\""));
	free(log);
	return 0;
}

static json_t *get_json(const char *path, long want_status)
{
	struct th_resp r;
	char url[400];
	json_t *j;

	snprintf(url, sizeof(url), "%s%s", srv.base, path);
	th_get(url, &r);
	if (r.status != want_status)
		fail_msg("GET %s: %ld, wanted %ld: %s", path, r.status,
			 want_status, r.body);
	j = th_json(&r);
	th_resp_free(&r);
	return j;
}

/* Checks a 400 problem naming 'field' with 'rule'. */
static void bad(const char *path, const char *field, const char *rule)
{
	json_t *j = get_json(path, 400), *errs = json_object_get(j, "errors");
	size_t i;

	assert_string_equal(th_str(j, "type"), "/api/v1/problems/invalid-input");
	assert_string_equal(th_str(j, "title"), "Dữ liệu không hợp lệ");
	for (i = 0; i < json_array_size(errs); i++) {
		json_t *e = json_array_get(errs, i);

		if (!strcmp(th_str(e, "field"), field) &&
		    !strcmp(th_str(e, "rule"), rule)) {
			json_decref(j);
			return;
		}
	}
	fail_msg("%s: no error for %s/%s", path, field, rule);
}

static void test_health(void **state)
{
	struct th_resp r;
	char url[200];
	json_t *j;
	int i;

	(void)state;
	j = get_json("/healthz", 200);
	assert_string_equal(th_str(j, "status"), "ok");
	json_decref(j);
	j = get_json("/readyz", 200);
	assert_string_equal(th_str(j, "status"), "ready");
	assert_string_equal(th_str(j, "database"), th_pg() ? "postgresql" :
			    "sqlite");
	json_decref(j);
	/*
	 * A request is counted when h2o is done with it, just after its
	 * answer left: the count may trail the answer by a moment.
	 */
	snprintf(url, sizeof(url), "%s/metrics", srv.base);
	for (i = 0; i < 200; i++) {
		th_get(url, &r);
		assert_int_equal(r.status, 200);
		if (strstr(r.body, "motcua_http_requests_total{route="
			   "\"readyz\",status=\"200\"} 1\n"))
			break;
		th_resp_free(&r);
		usleep(10000);
	}
	assert_true(i < 200);
	assert_non_null(strstr(r.body, "# TYPE motcua_http_request_duration_"
			       "seconds histogram"));
	assert_non_null(strstr(r.body, "motcua_db_seconds_total "));
	assert_non_null(strstr(r.body, "motcua_write_batches_total "));
	assert_non_null(strstr(r.body, "motcua_process_resident_memory_"
			       "bytes "));
	assert_non_null(strstr(r.body, "motcua_build_info{version=\""
			       MC_VERSION "\"} 1"));
	th_resp_free(&r);
}

/*
 * The alert rules (packaging/motcua-alerts.yml) name only metrics that a
 * motcua with every background job on exports: each motcua_* name in an
 * expression has its "# TYPE" line in /metrics.
 */
static void test_alert_rules(void **state)
{
	struct th_server s2;
	struct th_resp r;
	char path[600], url[160], bk[600], name[128];
	char *rules, *p;
	int n = 0;

	(void)state;
	th_path(bk, sizeof(bk), "alerts-backups");
	th_serve(&s2, (const char *[]){ "--db", db, "--backup-dir", bk,
		 "--backup-interval", "168h", "--portal-url",
		 "http://127.0.0.1:9/", "--portal-client-id", "x",
		 "--portal-client-secret", "y", "--sms-url",
		 "http://127.0.0.1:9/sms", NULL });
	snprintf(url, sizeof(url), "%s/metrics", s2.base);
	th_get(url, &r);
	assert_int_equal(r.status, 200);
	snprintf(path, sizeof(path), "%s/packaging/motcua-alerts.yml",
		 MC_SOURCE_DIR);
	rules = th_read_file(path, NULL);
	assert_non_null(rules);
	for (p = rules; (p = strstr(p, "motcua_")); ) {
		char type[160];
		size_t k = 0;

		while ((islower((unsigned char)p[k]) || p[k] == '_') &&
		       k < sizeof(name) - 1)
			k++;
		memcpy(name, p, k);
		name[k] = '\0';
		p += k;
		snprintf(type, sizeof(type), "# TYPE %s ", name);
		if (!strstr(r.body, type))
			fail_msg("packaging/motcua-alerts.yml: %s is not "
				 "in /metrics", name);
		n++;
	}
	assert_true(n >= 12);
	free(rules);
	th_resp_free(&r);
	assert_int_equal(th_serve_stop(&s2), 0);
}

/* A failed public look-up from 'xff' (NULL: no header); the status. */
static long lookup_from(const struct th_server *s, const char *xff)
{
	char url[200], h[120];
	const char *hs[] = { h, NULL };
	struct th_resp r;
	long st;

	snprintf(url, sizeof(url), "%s/api/v1/public/dossiers/000.00.01.H51-"
		 "260101-9999?phone_last4=0000", s->base);
	snprintf(h, sizeof(h), "X-Forwarded-For: %s", xff ? xff : "");
	assert_int_equal(th_http("GET", url, xff ? hs : NULL, NULL, 0, &r),
			 0);
	st = r.status;
	th_resp_free(&r);
	return st;
}

/*
 * Behind a trusted proxy each client has its own limit (the rightmost
 * address of X-Forwarded-For the proxy did not add itself); from anyone
 * else the header changes nothing, so it cannot dodge a limit.
 */
static void test_trusted_proxies(void **state)
{
	struct th_server s2;
	char *err = NULL;
	int i;

	(void)state;
	th_serve(&s2, (const char *[]){ "--db", db, "--trusted-proxies",
		 "10.0.0.0/8, 127.0.0.1", "--lookup-max-failures", "3", NULL });
	for (i = 0; i < 3; i++)
		assert_int_not_equal(lookup_from(&s2, "203.0.113.7"), 429);
	assert_int_equal(lookup_from(&s2, "203.0.113.7"), 429);
	/* What the client wrote in front is not believed. */
	assert_int_equal(lookup_from(&s2, "198.51.100.1, 203.0.113.7"), 429);
	assert_int_equal(lookup_from(&s2, "203.0.113.7, 10.1.2.3"), 429);
	/* Another citizen behind the same proxy is not held up. */
	assert_int_not_equal(lookup_from(&s2, "203.0.113.8"), 429);
	assert_int_equal(th_serve_stop(&s2), 0);

	th_serve(&s2, (const char *[]){ "--db", db, "--lookup-max-failures",
		 "3", NULL });
	assert_int_not_equal(lookup_from(&s2, "203.0.113.1"), 429);
	assert_int_not_equal(lookup_from(&s2, "203.0.113.2"), 429);
	assert_int_not_equal(lookup_from(&s2, NULL), 429);
	assert_int_equal(lookup_from(&s2, "203.0.113.4"), 429);
	assert_int_equal(th_serve_stop(&s2), 0);

	/*
	 * Many addresses guessing at one dossier together get no more
	 * tries than lookup_max_per_code; another dossier is not held up.
	 */
	th_serve(&s2, (const char *[]){ "--db", db, "--trusted-proxies",
		 "127.0.0.1", "--lookup-max-failures", "100",
		 "--lookup-max-per-code", "3", NULL });
	assert_int_not_equal(lookup_from(&s2, "203.0.113.21"), 429);
	assert_int_not_equal(lookup_from(&s2, "203.0.113.22"), 429);
	assert_int_not_equal(lookup_from(&s2, "203.0.113.23"), 429);
	assert_int_equal(lookup_from(&s2, "203.0.113.24"), 429);
	{
		char url[200];
		struct th_resp r;

		snprintf(url, sizeof(url), "%s/api/v1/public/dossiers/000.00."
			 "01.H51-260101-9998?phone_last4=0000", s2.base);
		th_get(url, &r);
		assert_int_equal(r.status, 404);
		th_resp_free(&r);
	}
	assert_int_equal(th_serve_stop(&s2), 0);

	assert_int_equal(th_motcua((const char *[]){ "serve", "--db", db,
		"--listen", "127.0.0.1:0", "--trusted-proxies", "10.0.0.0/33",
		NULL }, NULL, NULL, &err), 1);
	assert_non_null(strstr(err, "trusted_proxies"));
	assert_non_null(strstr(err, "10.0.0.0/33"));
	free(err);
}

/* A loopback connection to 'addr' ("127.0.0.1:PORT") with 'send' sent. */
static int stall(const char *addr, const char *send_text)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)strtol(strchr(addr, ':') + 1, NULL, 10));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(send(fd, send_text, strlen(send_text), 0),
			 (ssize_t)strlen(send_text));
	return fd;
}

/* Whether the server closes 'fd' within 'ms' (what it sent is skipped). */
static bool closed_within(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[512];

	while (poll(&p, 1, ms) == 1) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n <= 0)
			return true;
	}
	return false;
}

/*
 * A client that stalls — headers never finished, a body never sent — is
 * cut off after io_timeout and holds nothing up meanwhile (slowloris).
 */
static void test_slow_clients(void **state)
{
	struct th_server s2;
	struct th_resp r;
	char url[160];
	int head, body;

	(void)state;
	th_serve(&s2, (const char *[]){ "--db", db, "--io-timeout", "1s",
		 NULL });
	head = stall(s2.addr, "GET /healthz HTTP/1.1\r\nHost: x\r\n");
	body = stall(s2.addr, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x"
		     "\r\nContent-Type: application/json\r\nContent-Length: "
		     "100\r\n\r\n{\"username\"");
	/* Held open while within io_timeout… */
	assert_false(closed_within(head, 300));
	/* …everyone else served while they stall… */
	snprintf(url, sizeof(url), "%s/healthz", s2.base);
	th_get(url, &r);
	assert_int_equal(r.status, 200);
	th_resp_free(&r);
	/* …and then cut off. */
	assert_true(closed_within(head, 5000));
	assert_true(closed_within(body, 5000));
	close(head);
	close(body);
	assert_int_equal(th_serve_stop(&s2), 0);
}

/* The OpenAPI document and the routing table describe the same API. */
static void test_openapi_matches_routes(void **state)
{
	json_t *doc = get_json("/api/v1/openapi.json", 200);
	json_t *paths = json_object_get(doc, "paths"), *item;
	const char *path;
	size_t i, ops = 0;

	(void)state;
	assert_true(!strncmp(th_str(doc, "openapi"), "3.", 2));
	for (i = 0; i < mc_api_nroutes; i++) {
		const struct mc_route *rt = &mc_api_routes[i];
		char method[16];
		json_t *op;
		size_t k;

		for (k = 0; rt->method[k] && k + 1 < sizeof(method); k++)
			method[k] = (char)(rt->method[k] | 0x20);
		method[k] = '\0';
		op = json_object_get(json_object_get(paths, rt->pattern),
				     method);
		if (!op)
			fail_msg("route %s %s is not in openapi.json",
				 rt->method, rt->pattern);
		if (strcmp(th_str(op, "operationId"), rt->name))
			fail_msg("%s %s: operationId %s, route name %s",
				 rt->method, rt->pattern,
				 th_str(op, "operationId"), rt->name);
		assert_non_null(json_object_get(op, "responses"));
	}
	json_object_foreach(paths, path, item) {
		const char *method;
		json_t *op;

		json_object_foreach(item, method, op) {
			bool found = false;

			for (i = 0; i < mc_api_nroutes; i++)
				if (!strcmp(mc_api_routes[i].pattern, path) &&
				    !strcasecmp(mc_api_routes[i].method,
						method))
					found = true;
			if (!found)
				fail_msg("openapi.json has %s %s, which no "
					 "route serves", method, path);
			ops++;
		}
	}
	assert_int_equal(ops, mc_api_nroutes);
	json_decref(doc);
}

static void test_calendar_endpoints(void **state)
{
	json_t *j, *d;

	(void)state;
	j = get_json("/api/v1/calendar/due?start=2026-02-13T10:00:00%2B07:00"
		     "&working_days=3", 200);
	assert_string_equal(th_str(j, "due"), "2026-02-25T17:00:00+07:00");
	assert_string_equal(th_str(j, "received"), "2026-02-13T10:00:00+07:00");
	assert_string_equal(th_str(j, "unit"), "working_days");
	json_decref(j);
	j = get_json("/api/v1/calendar/due?start=2026-03-02T07:00:00Z"
		     "&working_hours=10&pause=2026-03-03T00:00:00%2B07:00/"
		     "2026-03-04T00:00:00%2B07:00", 200);
	/* Monday 14:00 + 10 h, Tuesday paused: Monday 3 h, Wednesday
	 * 07:30–11:30 and 13:30–16:30. */
	assert_string_equal(th_str(j, "received"), "2026-03-02T14:00:00+07:00");
	assert_string_equal(th_str(j, "due"), "2026-03-04T16:30:00+07:00");
	assert_int_equal(json_array_size(json_object_get(j, "pauses")), 1);
	json_decref(j);

	j = get_json("/api/v1/calendar/holidays?year=2025", 200);
	d = json_array_get(json_object_get(j, "days"), 1);
	assert_string_equal(th_str(d, "date"), "2025-01-27");
	assert_string_equal(th_str(d, "kind"), "holiday");
	assert_string_equal(th_str(d, "reason"), "Tết Nguyên đán");
	assert_non_null(strstr(th_str(d, "source"), "6150/TB-BLĐTBXH"));
	json_decref(j);

	j = get_json("/api/v1/calendar/lunar?date=2026-02-17", 200);
	assert_string_equal(th_str(j, "text"), "2026-01-01");
	assert_string_equal(th_str(j, "year_name"), "Bính Ngọ");
	json_decref(j);
	j = get_json("/api/v1/calendar/solar?date=2025-06-01&leap=true", 200);
	assert_string_equal(th_str(j, "solar"), "2025-07-25");
	assert_true(json_boolean_value(json_object_get(
		json_object_get(j, "lunar"), "leap")));
	json_decref(j);
	j = get_json("/api/v1/calendar/elapsed?from=2026-02-13T10:00:00%2B07:00"
		     "&to=2026-02-26T08:00:00%2B07:00"
		     "&due=2026-02-25T17:00:00%2B07:00", 200);
	assert_string_equal(th_str(j, "timeliness"), "late");
	assert_int_equal(json_integer_value(json_object_get(j,
		"working_seconds")), (5 * 60 + 3 * 450 + 30) * 60);
	json_decref(j);

	bad("/api/v1/calendar/due?start=2026-02-13T10:00:00%2B07:00"
	    "&working_days=-1", "working_days", "min");
	bad("/api/v1/calendar/due?working_days=3", "start", "required");
	bad("/api/v1/calendar/due?start=2026-02-30T10:00:00Z&days=1", "start",
	    "datetime");
	bad("/api/v1/calendar/due?start=2026-02-13T10:00:00Z", "working_days",
	    "required");
	bad("/api/v1/calendar/due?start=2026-02-13T10:00:00Z&days=1&months=1",
	    "months", "exclusive");
	bad("/api/v1/calendar/due?start=2026-02-13T10:00:00Z&days=1&dayz=2",
	    "dayz", "unknown");
	bad("/api/v1/calendar/due?start=2299-02-13T10:00:00Z&days=1", "start",
	    "range");
	bad("/api/v1/calendar/holidays", "year", "required");
	bad("/api/v1/calendar/holidays?year=1899", "year", "min");
	bad("/api/v1/calendar/lunar?date=2026-2-1", "date", "date");
	bad("/api/v1/calendar/solar?date=2026-06-01&leap=true", "date", "date");
	bad("/api/v1/calendar/elapsed?from=x", "to", "required");
	bad("/api/v1/calendar/due?start=2026-02-13T10:00:00Z&working_days="
	    "-99999999999999999999", "working_days", "min");
	bad("/api/v1/calendar/due?start=2026-02-13T10:00:00Z&days=9000",
	    "days", "max");
	/* A message quoting 40 bytes of input may cut a character: the
	 * answer is still JSON. */
	bad("/api/v1/calendar/lunar?date=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "%E1%BB%85", "date", "date");
}

static void test_web_root(void **state)
{
	struct th_resp r;
	char url[200], h[128];

	(void)state;
	snprintf(url, sizeof(url), "%s/", srv.base);
	th_get(url, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(th_header(&r, "content-type", h, sizeof(h)),
			    "text/html; charset=utf-8");
	assert_non_null(strstr(r.body, "Tra cứu hồ sơ"));
	/* Every answer carries the security headers (docs/security.md). */
	assert_non_null(strstr(th_header(&r, "content-security-policy", h,
					 sizeof(h)), "script-src 'self'"));
	assert_string_equal(th_header(&r, "x-content-type-options", h,
				      sizeof(h)), "nosniff");
	assert_string_equal(th_header(&r, "referrer-policy", h, sizeof(h)),
			    "no-referrer");
	assert_string_equal(th_header(&r, "x-frame-options", h, sizeof(h)),
			    "DENY");
	th_resp_free(&r);
	/*
	 * The receipt's QR code: /tra-cuu/CODE is the look-up page, through
	 * our handler (its request id), whatever follows the prefix.
	 */
	snprintf(url, sizeof(url), "%s/tra-cuu/000.00.01.H51-260302-0001",
		 srv.base);
	th_get(url, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(th_header(&r, "content-type", h, sizeof(h)),
			    "text/html; charset=utf-8");
	assert_non_null(strstr(r.body, "4 số cuối điện thoại"));
	assert_true(th_header(&r, "x-request-id", h, sizeof(h))[0] != '\0');
	th_resp_free(&r);
	snprintf(url, sizeof(url), "%s/js/staff/main.js", srv.base);
	th_get(url, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(th_header(&r, "content-type", h, sizeof(h)),
			    "text/javascript; charset=utf-8");
	th_resp_free(&r);
	snprintf(url, sizeof(url), "%s/api/v1/calendar", srv.base);
	th_get(url, &r);
	assert_int_equal(r.status, 404);
	assert_string_equal(th_header(&r, "x-content-type-options", h,
				      sizeof(h)), "nosniff");
	assert_string_equal(th_header(&r, "content-type", h, sizeof(h)),
			    "application/problem+json");
	th_resp_free(&r);
}

/* serve refuses a database it cannot trust, saying why. */
static void test_startup_checks(void **state)
{
	char path[600], *err = NULL;
	int rc;

	(void)state;
	/* A second server on the port in use is refused, not let share it. */
	rc = th_motcua((const char *[]){ "serve", "--db", db, "--listen",
					 srv.addr, NULL }, NULL, NULL, &err);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(err, "is another motcua serving there?"));
	free(err);
	/* No such database (a file, or a database on the server). */
	if (th_pg()) {
		th_db(path, sizeof(path), "none");
		snprintf(strrchr(path, '/') + 1, sizeof(path) -
			 (size_t)(strrchr(path, '/') + 1 - path),
			 "no_such_database");
	} else {
		th_path(path, sizeof(path), "none.db");
	}
	rc = th_motcua((const char *[]){ "serve", "--db", path, "--listen",
					 "127.0.0.1:0", NULL }, NULL, NULL,
		       &err);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(err, "does not exist"));
	free(err);

	/* An empty database, never migrated. */
	if (th_pg()) {
		th_db(path, sizeof(path), "empty");
	} else {
		th_path(path, sizeof(path), "empty.db");
		th_write_file(path, "");
	}
	rc = th_motcua((const char *[]){ "serve", "--db", path, "--listen",
					 "127.0.0.1:0", NULL }, NULL, NULL,
		       &err);
	assert_int_equal(rc, 1);
	{
		static char names[64][96];
		char want[64];

		snprintf(want, sizeof(want), "needs %zu migrations",
			 th_migrations(names, 64));
		assert_non_null(strstr(err, want));
	}
	free(err);

	/* An applied migration edited afterwards. */
	th_make_db(path, sizeof(path), "edited");
	assert_int_equal(th_db_exec(path, "UPDATE schema_migrations SET "
				    "checksum = '0' || substr(checksum, 2)",
				    "UPDATE schema_migrations SET checksum = "
				    "'0' || substr(checksum, 2)"), 0);
	rc = th_motcua((const char *[]){ "serve", "--db", path, "--listen",
					 "127.0.0.1:0", NULL }, NULL, NULL,
		       &err);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(err, "0001_init was edited"));
	free(err);
	rc = th_motcua((const char *[]){ "migrate", "--db", path, NULL }, NULL,
		       NULL, &err);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(err, "never edit an applied migration"));
	free(err);
}

/* Every line of the log is a JSON object with ts, level and msg. */
static void test_log_lines(void **state)
{
	char *log, *line, *save = NULL, url[200];
	struct th_resp r;
	int n = 0;

	(void)state;
	/*
	 * A personal ID in a path is logged with its last 3 digits only; a
	 * query string not at all.
	 */
	snprintf(url, sizeof(url), "%s/api/v1/registry/persons/051090001234"
		 "?purpose=x", srv.base);
	th_get(url, &r);
	th_resp_free(&r);
	usleep(200 * 1000);
	log = th_serve_log(&srv);
	assert_non_null(strstr(log, "\"path\":\"/api/v1/registry/persons/"
			       "*********234\""));
	assert_null(strstr(log, "051090001234"));
	assert_null(strstr(log, "purpose=x"));
	for (line = strtok_r(log, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		json_error_t e;
		json_t *j = json_loads(line, 0, &e);

		if (!j)
			fail_msg("log line is not JSON: %s", line);
		th_str(j, "ts");
		th_str(j, "level");
		th_str(j, "msg");
		json_decref(j);
		n++;
	}
	assert_true(n > 10);
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_health),
		cmocka_unit_test(test_openapi_matches_routes),
		cmocka_unit_test(test_alert_rules),
		cmocka_unit_test(test_trusted_proxies),
		cmocka_unit_test(test_slow_clients),
		cmocka_unit_test(test_calendar_endpoints),
		cmocka_unit_test(test_web_root),
		cmocka_unit_test(test_startup_checks),
		cmocka_unit_test(test_log_lines),
	};

	if (chdir(th_tmpdir()) != 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
