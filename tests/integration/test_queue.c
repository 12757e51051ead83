/*
 * test_queue.c — the centre's floor over HTTP on the server's test clock
 * (docs/queue.md): the groups and counters set up, refused when they do
 * not fit; the kiosk's numbers, per group and day; counters calling the
 * oldest number of the groups they serve, finishing the one before; the
 * board; finish with a dossier, no-show, the visit's rating; another
 * centre's officer kept out; waiting and serving times and ratings by
 * counter and by group, to the second.
 */
#include "core/compat.h"
#include "harness/harness.h"

#define CENTRE "000.00.01.H51"

static struct th_server srv;
static char db[600], clock_file[600], admin[128], counter[128],
	    other[128], cv[128];

static void login(void)
{
	th_login(srv.base, "admin", "motcua-demo", admin, sizeof(admin));
	th_login(srv.base, "tiepnhan", "motcua-demo", counter,
		 sizeof(counter));
	th_login(srv.base, "tn.001.01.50.H51", "motcua-demo", other,
		 sizeof(other));
	th_login(srv.base, "chuyenvien", "motcua-demo", cv, sizeof(cv));
}

static void set_clock(const char *iso)
{
	assert_int_equal(th_write_file(clock_file, iso), 0);
}

static int setup(void **state)
{
	(void)state;
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	setenv("MOTCUA_WATCH_INTERVAL", "0", 1);
	th_path(clock_file, sizeof(clock_file), "clock");
	set_clock("2026-03-02T07:30:00+07:00");
	setenv("MOTCUA_TEST_CLOCK", clock_file, 1);
	th_demo_db(db, sizeof(db), "queue");
	th_serve(&srv, (const char *[]){ "--db", db, NULL });
	login();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(th_serve_stop(&srv), 0);
	unsetenv("MOTCUA_TEST_CLOCK");
	return 0;
}

/* The first error's field and rule of a 4xx answer 'j'. */
static void rule_is(json_t *j, const char *field, const char *rule)
{
	json_t *e = json_array_get(json_object_get(j, "errors"), 0);

	assert_string_equal(th_str(e, "field"), field);
	assert_string_equal(th_str(e, "rule"), rule);
}

static json_t *floor_config(const char *counter3)
{
	return json_pack("{s:[{s:s, s:s}, {s:s, s:s}], s:[{s:i, s:s, s:[s]}, "
		"{s:i, s:s, s:[s, s]}, {s:i, s:s, s:[s]}]}", "services", "code",
		"A", "name", "Tư pháp – Hộ tịch", "code", "B", "name",
		"Đất đai", "counters", "number", 1, "name", "Quầy 1",
		"services", "A", "number", 2, "name", "Quầy 2", "services",
		"A", "B", "number", 3, "name", "Quầy 3", "services", counter3);
}

static void set_up_floor(void **state)
{
	json_t *j;

	(void)state;
	/* A counter serving a group the centre has not: named. */
	assert_int_equal(th_api(srv.base, "PUT", "/api/v1/units/" CENTRE
		"/queue", admin, floor_config("C"), &j), 400);
	rule_is(j, "counters[2].services", "exists");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "PUT", "/api/v1/units/" CENTRE
		"/queue", admin, json_pack("{s:[{s:s, s:s}, {s:s, s:s}]}",
		"services", "code", "A", "name", "X", "code", "A", "name",
		"Y"), &j), 400);
	rule_is(j, "services[].code", "unique");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "PUT", "/api/v1/units/" CENTRE
		"/queue", admin, json_pack("{s:[{s:s, s:s}]}", "services",
		"code", "a1", "name", "X"), &j), 400);
	json_decref(j);
	/* Only administrators and control officers set it up. */
	assert_int_equal(th_api(srv.base, "PUT", "/api/v1/units/" CENTRE
		"/queue", counter, floor_config("B"), &j), 403);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "PUT", "/api/v1/units/" CENTRE
		"/queue", admin, floor_config("B"), &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "counters")), 3);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/units/" CENTRE
		"/queue", counter, NULL, &j), 200);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
		"services"), 1), "name"), "Đất đai");
	assert_string_equal(json_string_value(json_array_get(json_object_get(
		json_array_get(json_object_get(j, "counters"), 1), "services"),
		1)), "B");
	json_decref(j);
}

/* The kiosk's number of group 'service' (201), its 'ahead'. */
static void take(const char *service, const char *want, int ahead)
{
	json_t *j;

	assert_int_equal(th_api(srv.base, "POST", "/api/v1/public/queue/"
		CENTRE "/tickets", NULL, json_pack("{s:s}", "service",
		service), &j), 201);
	assert_string_equal(th_str(j, "number"), want);
	assert_int_equal(json_integer_value(json_object_get(j, "ahead")),
			 ahead);
	assert_string_equal(th_str(j, "status"), "waiting");
	json_decref(j);
}

/* Counter 'n' calls: the number it is given ("" for none), its id. */
static json_int_t call(int n, const char *want)
{
	json_t *j, *t;
	json_int_t id = 0;

	assert_int_equal(th_api(srv.base, "POST", "/api/v1/queue/call",
		counter, json_pack("{s:i}", "counter", n), &j), 200);
	t = json_object_get(j, "ticket");
	if (!want[0]) {
		assert_true(json_is_null(t));
	} else {
		assert_string_equal(th_str(t, "number"), want);
		assert_int_equal(json_integer_value(json_object_get(t,
				 "counter")), n);
		assert_string_equal(th_str(t, "officer"), "tiepnhan");
		id = json_integer_value(json_object_get(t, "id"));
	}
	json_decref(j);
	return id;
}

static long ticket_post(const char *token, json_int_t id, const char *what,
			json_t *body, json_t **out)
{
	char path[96];

	snprintf(path, sizeof(path), "/api/v1/queue/tickets/%lld/%s",
		 (long long)id, what);
	return th_api(srv.base, "POST", path, token, body, out);
}

/* A dossier of 3.000333 taken in at the counter, every paper handed in. */
static char *intake(void)
{
	json_t *p, *k, *comps = json_array(), *j;
	size_t i;
	char *code;

	assert_int_equal(th_api(srv.base, "GET", "/api/v1/procedures/3.000333",
				NULL, NULL, &p), 200);
	json_array_foreach(json_object_get(p, "components"), i, k)
		json_array_append_new(comps, json_pack("{s:s, s:b}", "code",
					th_str(k, "code"), "provided", 1));
	json_decref(p);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/dossiers", counter,
		json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:o}",
		"procedure_code", "3.000333", "channel", "direct", "applicant",
		"kind", "person", "id_number", "051090001111", "name",
		"Phan Văn Xếp Hàng", "phone", "0905000111", "components",
		comps), &j), 201);
	code = strdup(th_str(j, "code"));
	json_decref(j);
	return code;
}

static json_t *figures(json_t *list, const char *key)
{
	size_t i;
	json_t *f;

	json_array_foreach(list, i, f)
		if (!strcmp(th_str(f, "key"), key))
			return f;
	fail_msg("no figures for %s", key);
	return NULL;
}

static json_int_t num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static void a_morning(void **state)
{
	json_int_t a1, a2, b1;
	char *code;
	json_t *j, *s;

	(void)state;
	set_clock("2026-03-02T08:00:00+07:00");
	take("A", "A001", 0);
	set_clock("2026-03-02T08:01:00+07:00");
	take("A", "A002", 1);
	set_clock("2026-03-02T08:02:00+07:00");
	take("B", "B001", 0);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/public/queue/"
		CENTRE "/tickets", NULL, json_pack("{s:s}", "service", "Z"),
		&j), 400);
	rule_is(j, "service", "exists");
	json_decref(j);
	/* The board: two waiting for A, the next A001; nobody served. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/public/queue/"
		CENTRE, NULL, NULL, &j), 200);
	s = json_array_get(json_object_get(j, "services"), 0);
	assert_int_equal(num(s, "waiting"), 2);
	assert_string_equal(th_str(s, "next"), "A001");
	assert_int_equal(json_array_size(json_object_get(j, "serving")), 0);
	json_decref(j);
	/* Each counter the oldest of its groups. */
	set_clock("2026-03-02T08:10:00+07:00");
	a1 = call(1, "A001");
	set_clock("2026-03-02T08:12:00+07:00");
	b1 = call(3, "B001");
	set_clock("2026-03-02T08:15:00+07:00");
	a2 = call(2, "A002");
	/* Counter 1 again: A001 is done, and nobody else waits for A. */
	set_clock("2026-03-02T08:20:00+07:00");
	assert_int_equal(call(1, ""), 0);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/public/queue/"
		CENTRE, NULL, NULL, &j), 200);
	s = json_object_get(j, "serving");
	assert_int_equal(json_array_size(s), 2);
	assert_int_equal(num(json_array_get(s, 0), "counter"), 2);
	assert_string_equal(th_str(json_array_get(s, 0), "number"), "A002");
	assert_string_equal(th_str(json_array_get(s, 0), "counter_name"),
			    "Quầy 2");
	assert_string_equal(th_str(json_array_get(s, 1), "number"), "B001");
	json_decref(j);
	/* B001's visit was for a dossier; the dossier must exist. */
	code = intake();
	set_clock("2026-03-02T08:25:00+07:00");
	assert_int_equal(ticket_post(counter, b1, "finish", json_pack("{s:s}",
		"dossier_code", "000.00.01.H51-000000-0000"), &j), 400);
	rule_is(j, "dossier_code", "exists");
	json_decref(j);
	/* Another centre's officer does not see it. */
	assert_int_equal(ticket_post(other, b1, "finish", json_pack("{}"),
				     &j), 404);
	json_decref(j);
	assert_int_equal(ticket_post(counter, b1, "finish", json_pack("{s:s}",
		"dossier_code", code), &j), 200);
	assert_string_equal(th_str(j, "status"), "done");
	assert_string_equal(th_str(j, "dossier_code"), code);
	json_decref(j);
	assert_int_equal(ticket_post(counter, b1, "finish", json_pack("{}"),
				     &j), 409);
	json_decref(j);
	set_clock("2026-03-02T08:26:00+07:00");
	assert_int_equal(ticket_post(counter, a2, "missed", NULL, &j), 200);
	assert_string_equal(th_str(j, "status"), "missed");
	json_decref(j);
	/* The tablet: A001's visit rated; a rating needs a visit. */
	assert_int_equal(ticket_post(counter, a1, "rating", json_pack("{s:s}",
		"level", "very_satisfied"), &j), 200);
	assert_string_equal(th_str(j, "rating"), "very_satisfied");
	json_decref(j);
	assert_int_equal(ticket_post(counter, a1, "rating", json_pack("{s:s}",
		"level", "happy"), &j), 400);
	rule_is(j, "level", "enum");
	json_decref(j);
	assert_int_equal(ticket_post(counter, a2, "rating", json_pack("{s:s}",
		"level", "satisfied"), &j), 409);
	json_decref(j);
	/* Who may call. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/queue/call", cv,
		json_pack("{s:i}", "counter", 1), &j), 403);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/queue/call",
		counter, json_pack("{s:i}", "counter", 9), &j), 400);
	rule_is(j, "counter", "exists");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/queue/call",
		counter, json_pack("{s:i, s:s}", "counter", 1, "unit_code",
		"001.01.50.H51"), &j), 404);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/queue/call", NULL,
		json_pack("{s:i}", "counter", 1), &j), 401);
	json_decref(j);

	/*
	 * The figures, to the second: waits 600, 600, 840; serving 600
	 * (A001, 08:10–08:20) and 780 (B001, 08:12–08:25).
	 */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/queue/stats?from="
		"2026-03-02&to=2026-03-02", counter, NULL, &j), 200);
	s = json_object_get(j, "all");
	assert_int_equal(num(s, "issued"), 3);
	assert_int_equal(num(s, "served"), 2);
	assert_int_equal(num(s, "missed"), 1);
	assert_int_equal(num(s, "wait_seconds_avg"), 680);
	assert_int_equal(num(s, "wait_seconds_median"), 600);
	assert_int_equal(num(s, "serve_seconds_avg"), 690);
	assert_int_equal(num(s, "serve_seconds_median"), 690);
	s = figures(json_object_get(j, "counters"), "1");
	assert_string_equal(th_str(s, "name"), "Quầy 1");
	assert_int_equal(num(s, "served"), 1);
	assert_int_equal(num(s, "serve_seconds_avg"), 600);
	assert_int_equal(num(json_object_get(s, "ratings"), "very_satisfied"),
			 1);
	assert_true(json_real_value(json_object_get(s, "satisfaction_rate")) ==
		    100.0);
	s = figures(json_object_get(j, "counters"), "2");
	assert_int_equal(num(s, "missed"), 1);
	assert_int_equal(num(s, "wait_seconds_avg"), 840);
	s = figures(json_object_get(j, "services"), "B");
	assert_int_equal(num(s, "issued"), 1);
	assert_int_equal(num(s, "serve_seconds_median"), 780);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/queue/stats?from="
		"2026-03-03&to=2026-03-01", counter, NULL, &j), 400);
	json_decref(j);

	/* The next morning the numbers start again. */
	set_clock("2026-03-03T07:45:00+07:00");
	login();
	take("A", "A001", 0);
	free(code);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(set_up_floor),
		cmocka_unit_test(a_morning),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
