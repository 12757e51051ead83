/*
 * test_router.c — src/http/router.c (matching, parameters, 405 versus
 * 404) and src/http/metrics.c (the Prometheus text).
 */
#include "core/compat.h"
#include "harness/harness.h"

#include "core/buf.h"
#include "http/metrics.h"
#include "http/router.h"

static void h(struct mc_req *r)
{
	(void)r;
}

static const struct mc_route routes[] = {
	{ "GET", "/healthz", "healthz", h, "" },
	{ "GET", "/api/v1/dossiers", "dossiers_list", h, "" },
	{ "POST", "/api/v1/dossiers", "dossiers_create", h, "" },
	{ "GET", "/api/v1/dossiers/{code}", "dossier_get", h, "" },
	{ "POST", "/api/v1/dossiers/{code}/events/{kind}", "dossier_event", h,
	  "" },
};

static void find(const char *method, const char *path,
		 struct mc_route_match *m)
{
	mc_route_find(routes, MC_ARRAY_SIZE(routes), method, strlen(method),
		      path, strlen(path), m);
}

static void test_literal_routes(void **state)
{
	struct mc_route_match m;

	(void)state;
	find("GET", "/healthz", &m);
	assert_non_null(m.route);
	assert_string_equal(m.route->name, "healthz");
	find("GET", "/api/v1/dossiers", &m);
	assert_string_equal(m.route->name, "dossiers_list");
	find("POST", "/api/v1/dossiers", &m);
	assert_string_equal(m.route->name, "dossiers_create");
	/* HEAD is answered by GET. */
	find("HEAD", "/healthz", &m);
	assert_string_equal(m.route->name, "healthz");
	/* No partial, trailing-slash or case-folded matches. */
	find("GET", "/healthz/", &m);
	assert_null(m.route);
	find("GET", "/health", &m);
	assert_null(m.route);
	find("GET", "/healthzz", &m);
	assert_null(m.route);
	find("GET", "/HEALTHZ", &m);
	assert_null(m.route);
	find("GET", "/", &m);
	assert_null(m.route);
	find("GET", "", &m);
	assert_null(m.route);
}

static void test_params(void **state)
{
	struct mc_route_match m;

	(void)state;
	find("GET", "/api/v1/dossiers/000.00.15.H48-250714-0001", &m);
	assert_non_null(m.route);
	assert_string_equal(m.route->name, "dossier_get");
	assert_int_equal(m.nparams, 1);
	assert_int_equal(m.params[0].name_len, 4);
	assert_memory_equal(m.params[0].name, "code", 4);
	assert_int_equal(m.params[0].value_len, 25);
	find("POST", "/api/v1/dossiers/X-1/events/receive", &m);
	assert_string_equal(m.route->name, "dossier_event");
	assert_int_equal(m.nparams, 2);
	assert_memory_equal(m.params[1].value, "receive", 7);
	/* An empty segment is not a parameter. */
	find("GET", "/api/v1/dossiers//", &m);
	assert_null(m.route);
	find("POST", "/api/v1/dossiers/X-1/events/", &m);
	assert_null(m.route);
}

static void test_method_not_allowed(void **state)
{
	struct mc_route_match m;
	char allow[64];

	(void)state;
	find("DELETE", "/api/v1/dossiers", &m);
	assert_null(m.route);
	assert_true(m.path_matched);
	mc_route_allow(routes, MC_ARRAY_SIZE(routes), "/api/v1/dossiers", 16,
		       allow, sizeof(allow));
	assert_string_equal(allow, "GET, POST");
	find("GET", "/api/v1/nothing", &m);
	assert_null(m.route);
	assert_false(m.path_matched);
}

static void test_metrics_text(void **state)
{
	static const char *const names[] = { "healthz", "calendar_due" };
	struct mc_metrics *m = mc_metrics_new(names, 2, 2);
	struct mc_buf b = MC_BUF_INIT(1 << 20);

	(void)state;
	mc_metrics_observe(m, 0, 0, 200, 200000);	/* 0.2 ms */
	mc_metrics_observe(m, 1, 0, 200, 3000000);	/* 3 ms */
	mc_metrics_observe(m, 1, 1, 400, 50000);
	mc_metrics_observe(m, 1, 1, 418, 50000);	/* counted as 4xx */
	mc_metrics_observe(m, 5, 1, 200, 1);		/* bad loop: ignored */
	assert_int_equal(mc_metrics_render(m, &b), 0);
	assert_non_null(strstr(b.buf, "# TYPE motcua_http_requests_total "
			       "counter\n"));
	assert_non_null(strstr(b.buf, "motcua_http_requests_total{route="
			       "\"healthz\",status=\"200\"} 2\n"));
	assert_non_null(strstr(b.buf, "motcua_http_requests_total{route="
			       "\"calendar_due\",status=\"400\"} 1\n"));
	assert_non_null(strstr(b.buf, "motcua_http_requests_total{route="
			       "\"calendar_due\",status=\"4xx\"} 1\n"));
	assert_non_null(strstr(b.buf, "motcua_http_request_duration_seconds_"
			       "bucket{route=\"healthz\",le=\"0.0005\"} 1\n"));
	assert_non_null(strstr(b.buf, "motcua_http_request_duration_seconds_"
			       "bucket{route=\"healthz\",le=\"0.0025\"} 1\n"));
	assert_non_null(strstr(b.buf, "motcua_http_request_duration_seconds_"
			       "bucket{route=\"healthz\",le=\"0.005\"} 2\n"));
	assert_non_null(strstr(b.buf, "motcua_http_request_duration_seconds_"
			       "bucket{route=\"healthz\",le=\"+Inf\"} 2\n"));
	assert_non_null(strstr(b.buf, "motcua_http_request_duration_seconds_"
			       "count{route=\"calendar_due\"} 2\n"));
	assert_non_null(strstr(b.buf, "motcua_http_request_duration_seconds_"
			       "sum{route=\"healthz\"} 0.003200\n"));
	mc_buf_release(&b);
	mc_metrics_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal_routes),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_method_not_allowed),
		cmocka_unit_test(test_metrics_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
