/*
 * test_server.c — src/http/server.c in process, over real HTTP on
 * loopback: request ids, routing and problem documents, query parsing,
 * body and time limits, deferred work on the workers, static files (types,
 * ETag, traversal), access log and metrics, and graceful shutdown with a
 * request in flight and idle keep-alive connections.
 */
#include "core/compat.h"
#include "harness/harness.h"

#include "app.h"
#include "core/buf.h"
#include "core/log.h"
#include "http/jobs.h"
#include "http/server.h"

#include <curl/curl.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void t_hello(struct mc_req *r)
{
	mc_reply_json(r, 200, json_pack("{s:s}", "hello", "xin chào"));
}

static void t_item(struct mc_req *r)
{
	const char *q[8];
	size_t n = mc_req_query_all(r, "q", q, 8), i;
	json_t *list = json_array();

	for (i = 0; i < n && i < 8; i++)
		json_array_append_new(list, json_string(q[i]));
	mc_reply_json(r, 200, json_pack("{s:s, s:o}", "id",
					mc_req_param(r, "id"), "q", list));
}

static void t_echo(struct mc_req *r)
{
	mc_reply_json(r, 200, json_pack("{s:s}", "id", mc_req_id(r)));
}

struct slow {
	long ms;
	int ran;
};

static void slow_run(struct mc_conn *db, void *arg)
{
	struct slow *s = arg;

	(void)db;
	usleep((useconds_t)s->ms * 1000);
	s->ran = 1;
}

static void slow_done(struct mc_req *r, void *arg)
{
	struct slow *s = arg;

	mc_reply_json(r, 200, json_pack("{s:i, s:i}", "slept", (int)s->ms,
					"ran", s->ran));
}

static void t_slow(struct mc_req *r)
{
	const char *ms = mc_req_query(r, "ms");
	struct slow *s = mc_arena_alloc(mc_req_arena(r), sizeof(*s));

	s->ms = ms ? strtol(ms, NULL, 10) : 100;
	s->ran = 0;
	mc_req_defer(r, slow_run, slow_done, s);
}

static const struct mc_route routes[] = {
	{ "GET", "/t/hello", "t_hello", t_hello, "" },
	{ "GET", "/t/items/{id}", "t_item", t_item, "" },
	{ "POST", "/t/echo", "t_echo", t_echo, "" },
	{ "GET", "/t/slow", "t_slow", t_slow, "" },
	{ "GET", "/api/v1/known", "known", t_hello, "" },
};

struct fixture {
	struct mc_app app;
	struct mc_log log;
	struct mc_jobs *jobs;
	struct mc_server *srv;
	char base[96];
	char logpath[600];
	char web[600];
};

static void make_web(struct fixture *f)
{
	char p[700];

	th_path(f->web, sizeof(f->web), "web");
	mkdir(f->web, 0755);
	snprintf(p, sizeof(p), "%s/index.html", f->web);
	th_write_file(p, "<!doctype html><meta charset=utf-8><title>Một cửa"
		      "</title>\n");
	snprintf(p, sizeof(p), "%s/app.mjs", f->web);
	th_write_file(p, "export const x = 1;\n");
	snprintf(p, sizeof(p), "%s/style.css", f->web);
	th_write_file(p, "body { margin: 0 }\n");
	th_path(p, sizeof(p), "secret.txt");
	th_write_file(p, "secret\n");
}

static struct fixture *start_with(int64_t request_timeout_ms,
				  uint64_t max_body, int64_t io_timeout_ms,
				  int64_t shutdown_timeout_ms)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct mc_server_opts o;
	struct mc_err err = MC_ERR_INIT;

	make_web(f);
	th_path(f->logpath, sizeof(f->logpath), "access.log");
	f->log.fd = open(f->logpath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND,
			 0644);
	f->log.level = MC_LOG_INFO;
	assert_int_equal(mc_jobs_start(NULL, 2, &f->jobs, &err), 0);
	memset(&o, 0, sizeof(o));
	o.log = &f->log;
	o.jobs = f->jobs;
	o.listen = "127.0.0.1:0";
	o.threads = 2;
	o.web_root = f->web;
	o.max_body = max_body;
	o.request_timeout_ms = request_timeout_ms;
	o.io_timeout_ms = io_timeout_ms;
	o.shutdown_timeout_ms = shutdown_timeout_ms;
	o.access_log = true;
	o.routes = routes;
	o.nroutes = MC_ARRAY_SIZE(routes);
	if (mc_server_start(&f->app, &o, &f->srv, &err))
		fail_msg("server: %s", err.message);
	f->app.server = f->srv;
	snprintf(f->base, sizeof(f->base), "http://%s",
		 mc_server_address(f->srv));
	return f;
}

static struct fixture *start(int64_t request_timeout_ms, uint64_t max_body,
			     int64_t io_timeout_ms)
{
	return start_with(request_timeout_ms, max_body, io_timeout_ms, 10000);
}

static void stop(struct fixture *f)
{
	mc_server_stop(f->srv);
	mc_jobs_stop(f->jobs);
	close(f->log.fd);
	free(f);
}

static char *url(const struct fixture *f, const char *path, char *buf,
		 size_t n)
{
	snprintf(buf, n, "%s%s", f->base, path);
	return buf;
}

/*
 * The access log of the last fixture as a JSON array of its lines; fails
 * the test if a line is not a JSON object. The caller decrefs it.
 */
static json_t *access_log(char **raw)
{
	char path[600], *log, *line, *save = NULL;
	json_t *lines = json_array();

	th_path(path, sizeof(path), "access.log");
	log = th_read_file(path, NULL);
	assert_non_null(log);
	if (raw)
		*raw = strdup(log);
	for (line = strtok_r(log, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		json_error_t e;
		json_t *j = json_loads(line, 0, &e);

		if (!json_is_object(j))
			fail_msg("log line is not a JSON object: %s", line);
		json_array_append_new(lines, j);
	}
	free(log);
	return lines;
}

/* Sends raw bytes as a request; returns the whole answer (malloc'd). */
static char *raw_request(const struct fixture *f, const char *req, size_t n)
{
	const char *colon = strrchr(f->base, ':');
	struct sockaddr_in sa;
	char *out = calloc(1, 65536);
	size_t got = 0;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)strtol(colon + 1, NULL, 10));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(write(fd, req, n), (ssize_t)n);
	for (;;) {
		ssize_t r = read(fd, out + got, 65535 - got);

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	return out;
}

/* The JSON body after the header block of a raw answer. */
static json_t *raw_json(const char *answer)
{
	const char *body = strstr(answer, "\r\n\r\n");
	json_error_t e;
	json_t *j;

	assert_non_null(body);
	j = json_loads(body + 4, 0, &e);
	if (!j)
		fail_msg("not JSON (%s): %s", e.text, body + 4);
	return j;
}

/* Bytes that are not UTF-8 never make an answer or a log line invalid. */
static void test_invalid_utf8(void **state)
{
	struct fixture *f = start(5000, 1 << 20, 30000);
	static const char req1[] = "GET /api/\xff\xfe HTTP/1.1\r\nHost: x\r\n"
				   "Connection: close\r\n\r\n";
	static const char req2[] = "GET /t/items/\xc3 HTTP/1.1\r\nHost: x\r\n"
				   "Connection: close\r\n\r\n";
	struct th_resp r;
	char u[200], *ans;
	json_t *j, *e, *log;
	size_t i;
	int lines = 0;

	(void)state;
	ans = raw_request(f, req1, sizeof(req1) - 1);
	assert_non_null(strstr(ans, " 404 "));
	j = raw_json(ans);
	assert_int_equal(json_integer_value(json_object_get(j, "status")),
			 404);
	assert_true(json_string_length(json_object_get(j, "instance")) > 0);
	json_decref(j);
	free(ans);
	ans = raw_request(f, req2, sizeof(req2) - 1);
	assert_non_null(strstr(ans, " 400 "));
	j = raw_json(ans);
	e = json_array_get(json_object_get(j, "errors"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "field")),
			    "path");
	json_decref(j);
	free(ans);
	/* %FF decodes to a byte that is not UTF-8: refused, as JSON. */
	th_get(url(f, "/t/items/1?%ff=1", u, sizeof(u)), &r);
	assert_int_equal(r.status, 400);
	j = th_json(&r);
	e = json_array_get(json_object_get(j, "errors"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "field")),
			    "query");
	json_decref(j);
	th_resp_free(&r);
	stop(f);
	/* Each of the three requests has its whole log line. */
	log = access_log(NULL);
	json_array_foreach(log, i, j) {
		if (json_object_get(j, "status")) {
			assert_non_null(json_object_get(j, "request_id"));
			assert_non_null(json_object_get(j, "path"));
			lines++;
		}
	}
	assert_int_equal(lines, 3);
	json_decref(log);
}

static void test_json_and_ids(void **state)
{
	struct fixture *f = start(5000, 1 << 20, 30000);
	static const char *const hid[] = { "X-Request-Id: abc-123.X_y", NULL };
	static const char *const bad[] = { "X-Request-Id: has space", NULL };
	struct th_resp r;
	char u[200], h[128];
	json_t *j;

	(void)state;
	th_get(url(f, "/t/hello", u, sizeof(u)), &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(th_header(&r, "content-type", h, sizeof(h)),
			    "application/json");
	assert_string_equal(th_header(&r, "cache-control", h, sizeof(h)),
			    "no-store");
	assert_int_equal(strlen(th_header(&r, "x-request-id", h, sizeof(h))),
			 16);
	assert_string_equal(th_header(&r, "content-length", h, sizeof(h)),
			    "21");
	j = th_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "hello")),
			    "xin chào");
	json_decref(j);
	th_resp_free(&r);

	/* The server's own id is answered; a client's is only logged. */
	assert_int_equal(th_http("POST", url(f, "/t/echo", u, sizeof(u)), hid,
				 "", 0, &r), 0);
	assert_int_equal(strlen(th_header(&r, "x-request-id", h, sizeof(h))),
			 16);
	j = th_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "id")), h);
	json_decref(j);
	th_resp_free(&r);
	assert_int_equal(th_http("POST", url(f, "/t/echo", u, sizeof(u)), bad,
				 "", 0, &r), 0);
	assert_int_equal(r.status, 200);
	th_resp_free(&r);

	assert_int_equal(th_http("HEAD", url(f, "/t/hello", u, sizeof(u)),
				 NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, 0);
	th_resp_free(&r);
	stop(f);
}

static void test_params_query_errors(void **state)
{
	struct fixture *f = start(5000, 1 << 20, 30000);
	struct th_resp r;
	char u[200], h[128];
	json_t *j, *e;

	(void)state;
	th_get(url(f, "/t/items/42?q=a%20b&q=c+d&q=%C4%91", u, sizeof(u)),
	       &r);
	assert_int_equal(r.status, 200);
	j = th_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "id")), "42");
	assert_string_equal(json_string_value(json_array_get(
		json_object_get(j, "q"), 0)), "a b");
	assert_string_equal(json_string_value(json_array_get(
		json_object_get(j, "q"), 1)), "c d");
	assert_string_equal(json_string_value(json_array_get(
		json_object_get(j, "q"), 2)), "đ");
	json_decref(j);
	th_resp_free(&r);

	/* Bad percent-encoding: a problem naming the query. */
	th_get(url(f, "/t/items/1?q=%zz", u, sizeof(u)), &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(th_header(&r, "content-type", h, sizeof(h)),
			    "application/problem+json");
	j = th_json(&r);
	assert_int_equal(json_integer_value(json_object_get(j, "status")),
			 400);
	assert_string_equal(json_string_value(json_object_get(j, "type")),
			    "/api/v1/problems/invalid-input");
	assert_non_null(json_object_get(j, "title"));
	assert_non_null(json_object_get(j, "detail"));
	assert_string_equal(json_string_value(json_object_get(j, "instance")),
			    "/t/items/1");
	e = json_array_get(json_object_get(j, "errors"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "field")),
			    "query");
	assert_string_equal(json_string_value(json_object_get(e, "rule")),
			    "format");
	json_decref(j);
	th_resp_free(&r);

	/* Unknown API path: 404 problem; wrong method: 405 with Allow. */
	th_get(url(f, "/api/v1/unknown", u, sizeof(u)), &r);
	assert_int_equal(r.status, 404);
	assert_string_equal(th_header(&r, "content-type", h, sizeof(h)),
			    "application/problem+json");
	th_resp_free(&r);
	assert_int_equal(th_http("DELETE", url(f, "/t/hello", u, sizeof(u)),
				 NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 405);
	assert_string_equal(th_header(&r, "allow", h, sizeof(h)), "GET");
	th_resp_free(&r);
	stop(f);
}

static void test_body_limit(void **state)
{
	struct fixture *f = start(5000, 1024, 30000);
	char *big = malloc(4096), u[200];
	struct th_resp r;

	(void)state;
	memset(big, 'x', 4096);
	assert_int_equal(th_http("POST", url(f, "/t/echo", u, sizeof(u)),
				 NULL, big, 1000, &r), 0);
	assert_int_equal(r.status, 200);
	th_resp_free(&r);
	assert_int_equal(th_http("POST", url(f, "/t/echo", u, sizeof(u)),
				 NULL, big, 4096, &r), 0);
	assert_int_equal(r.status, 413);
	th_resp_free(&r);
	/* The server is still fine. */
	th_get(url(f, "/t/hello", u, sizeof(u)), &r);
	assert_int_equal(r.status, 200);
	th_resp_free(&r);
	free(big);
	stop(f);
}

static void test_deferred_and_timeout(void **state)
{
	struct fixture *f = start(300, 1 << 20, 30000);
	struct th_resp r;
	char u[200];
	json_t *j;

	(void)state;
	th_get(url(f, "/t/slow?ms=20", u, sizeof(u)), &r);
	assert_int_equal(r.status, 200);
	j = th_json(&r);
	assert_int_equal(json_integer_value(json_object_get(j, "ran")), 1);
	json_decref(j);
	th_resp_free(&r);

	/* Past request_timeout the client gets 503 "timeout". */
	th_get(url(f, "/t/slow?ms=1200", u, sizeof(u)), &r);
	assert_int_equal(r.status, 503);
	j = th_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "type")),
			    "/api/v1/problems/timeout");
	json_decref(j);
	th_resp_free(&r);
	th_get(url(f, "/t/hello", u, sizeof(u)), &r);
	assert_int_equal(r.status, 200);
	th_resp_free(&r);
	/* Stopping waits for the late job to come back. */
	stop(f);
}

static void test_static_files(void **state)
{
	struct fixture *f = start(5000, 1 << 20, 30000);
	struct th_resp r;
	char u[200], h[128], etag[128], inm[160];
	const char *hdr[2] = { inm, NULL };

	(void)state;
	th_get(url(f, "/", u, sizeof(u)), &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(th_header(&r, "content-type", h, sizeof(h)),
			    "text/html; charset=utf-8");
	assert_non_null(strstr(r.body, "Một cửa"));
	assert_non_null(th_header(&r, "etag", etag, sizeof(etag)));
	assert_non_null(th_header(&r, "x-request-id", h, sizeof(h)));
	th_resp_free(&r);

	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	assert_int_equal(th_http("GET", url(f, "/index.html", u, sizeof(u)),
				 hdr, NULL, 0, &r), 0);
	assert_int_equal(r.status, 304);
	assert_int_equal(r.len, 0);
	th_resp_free(&r);

	th_get(url(f, "/app.mjs", u, sizeof(u)), &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(th_header(&r, "content-type", h, sizeof(h)),
			    "text/javascript; charset=utf-8");
	th_resp_free(&r);
	th_get(url(f, "/style.css", u, sizeof(u)), &r);
	assert_string_equal(th_header(&r, "content-type", h, sizeof(h)),
			    "text/css; charset=utf-8");
	th_resp_free(&r);

	/* Nothing outside web_root, however the path is spelled. */
	th_get(url(f, "/../secret.txt", u, sizeof(u)), &r);
	assert_null(strstr(r.body, "secret"));
	th_resp_free(&r);
	th_get(url(f, "/%2e%2e/secret.txt", u, sizeof(u)), &r);
	assert_null(strstr(r.body, "secret"));
	th_resp_free(&r);
	th_get(url(f, "/a/../../secret.txt", u, sizeof(u)), &r);
	assert_null(strstr(r.body, "secret"));
	th_resp_free(&r);
	th_get(url(f, "/missing.html", u, sizeof(u)), &r);
	assert_int_equal(r.status, 404);
	th_resp_free(&r);
	stop(f);
}

static void test_log_and_metrics(void **state)
{
	struct fixture *f = start(5000, 1 << 20, 30000);
	struct mc_buf b = MC_BUF_INIT(1 << 20);
	struct th_resp r;
	char u[200], *raw;
	json_t *lines, *j;
	size_t k;
	int i, found = 0;

	(void)state;
	for (i = 0; i < 3; i++) {
		static const char *const cid[] = { "X-Request-Id: client-7",
						   NULL };

		assert_int_equal(th_http("GET", url(f, "/t/hello?secret="
					 "123456789012", u, sizeof(u)), cid,
					 NULL, 0, &r), 0);
		th_resp_free(&r);
	}
	th_get(url(f, "/api/v1/nope", u, sizeof(u)), &r);
	th_resp_free(&r);
	/* Counted when h2o is done with a request, a moment after its
	 * answer: wait for the last one. */
	for (i = 0; i < 200; i++) {
		mc_buf_reset(&b);
		assert_int_equal(mc_server_metrics(f->srv, &b), 0);
		if (strstr(b.buf, "motcua_http_requests_in_flight 0\n") &&
		    strstr(b.buf, "route=\"not_found\",status=\"404\"} 1"))
			break;
		usleep(10000);
	}
	assert_non_null(strstr(b.buf, "motcua_http_requests_total{route="
			       "\"t_hello\",status=\"200\"} 3\n"));
	assert_non_null(strstr(b.buf, "motcua_http_requests_total{route="
			       "\"not_found\",status=\"404\"} 1\n"));
	assert_non_null(strstr(b.buf, "motcua_http_request_duration_seconds_"
			       "count{route=\"t_hello\"} 3\n"));
	assert_non_null(strstr(b.buf, "motcua_http_requests_in_flight 0\n"));
	mc_buf_release(&b);
	stop(f);

	/* One JSON line per request, without the query string. */
	lines = access_log(&raw);
	assert_null(strstr(raw, "123456789012"));
	free(raw);
	json_array_foreach(lines, k, j) {
		if (!strcmp(json_string_value(json_object_get(j, "msg")),
			    "request") &&
		    !strcmp(json_string_value(json_object_get(j, "route")),
			    "t_hello")) {
			found++;
			assert_string_equal(json_string_value(
				json_object_get(j, "path")), "/t/hello");
			assert_int_equal(json_integer_value(
				json_object_get(j, "status")), 200);
			assert_non_null(json_object_get(j, "request_id"));
			assert_string_equal(json_string_value(json_object_get(
				j, "client_request_id")), "client-7");
			assert_non_null(json_object_get(j, "ms"));
			assert_non_null(json_object_get(j, "ts"));
		}
	}
	assert_int_equal(found, 3);
	json_decref(lines);
}

struct client {
	char url[200];
	struct th_resp r;
	int rc;
};

static void *client_main(void *arg)
{
	struct client *c = arg;

	c->rc = th_http("GET", c->url, NULL, NULL, 0, &c->r);
	return NULL;
}

static void test_graceful_shutdown(void **state)
{
	struct fixture *f = start(10000, 1 << 20, 60000);
	struct client c;
	pthread_t th;
	CURL *idle = curl_easy_init();
	char u[200];
	json_t *j;
	time_t t0;

	(void)state;
	/* An idle keep-alive connection must not hold the shutdown back. */
	curl_easy_setopt(idle, CURLOPT_URL, url(f, "/t/hello", u, sizeof(u)));
	curl_easy_setopt(idle, CURLOPT_WRITEFUNCTION, fwrite);
	curl_easy_setopt(idle, CURLOPT_WRITEDATA, fopen("/dev/null", "w"));
	assert_int_equal(curl_easy_perform(idle), CURLE_OK);

	memset(&c, 0, sizeof(c));
	url(f, "/t/slow?ms=600", c.url, sizeof(c.url));
	pthread_create(&th, NULL, client_main, &c);
	usleep(200000);			/* the request is on a worker now */
	t0 = time(NULL);
	stop(f);			/* returns when it is answered */
	pthread_join(th, NULL);
	assert_int_equal(c.rc, 0);
	assert_int_equal(c.r.status, 200);
	j = th_json(&c.r);
	assert_int_equal(json_integer_value(json_object_get(j, "ran")), 1);
	json_decref(j);
	th_resp_free(&c.r);
	/* Well before the 60 s idle timeout. */
	assert_true(time(NULL) - t0 < 10);
	/* Nobody listens any more. */
	{
		struct th_resp r;

		assert_int_equal(th_http("GET", u, NULL, NULL, 0, &r), -1);
		th_resp_free(&r);
	}
	{
		FILE *fp = NULL;

		curl_easy_getinfo(idle, CURLINFO_PRIVATE, &fp);
		curl_easy_cleanup(idle);
	}
}

/*
 * Work on a worker that outlives the shutdown timeout is still waited for:
 * its result comes back to its loop, which must still exist (under
 * valgrind, freeing it first shows as an invalid read in libh2o).
 */
static void test_shutdown_waits_for_workers(void **state)
{
	struct fixture *f = start_with(10000, 1 << 20, 60000, 100);
	struct client c;
	pthread_t th;
	json_t *j;

	(void)state;
	memset(&c, 0, sizeof(c));
	url(f, "/t/slow?ms=700", c.url, sizeof(c.url));
	pthread_create(&th, NULL, client_main, &c);
	usleep(150000);
	stop(f);
	pthread_join(th, NULL);
	assert_int_equal(c.rc, 0);
	assert_int_equal(c.r.status, 200);
	j = th_json(&c.r);
	assert_int_equal(json_integer_value(json_object_get(j, "ran")), 1);
	json_decref(j);
	th_resp_free(&c.r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_and_ids),
		cmocka_unit_test(test_params_query_errors),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_body_limit),
		cmocka_unit_test(test_deferred_and_timeout),
		cmocka_unit_test(test_static_files),
		cmocka_unit_test(test_log_and_metrics),
		cmocka_unit_test(test_graceful_shutdown),
		cmocka_unit_test(test_shutdown_waits_for_workers),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
