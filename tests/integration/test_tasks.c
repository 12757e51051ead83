/*
 * test_tasks.c — GET /api/v1/tasks, the work list of the processing
 * screen, on the server's test clock: what waits at the user's unit, the
 * nearest due first; a specialist sees their own and the unassigned, a
 * leader all; each marked overdue, due soon (less than a working day
 * left) or normal; a dossier sent on leaves the list of the unit that
 * sent it, and one waiting at the counter to be returned is the counter's.
 */
#include "core/compat.h"
#include "harness/harness.h"
#include "core/parse.h"
#include "core/timeutil.h"

#define PROC "9.900701"

static struct th_server srv;
static char db[600], clock_file[600], counter[128], cv[128], cv2[128],
	    leader[128], control[128];

static void login(void)
{
	th_login(srv.base, "tiepnhan", "motcua-demo", counter,
		 sizeof(counter));
	th_login(srv.base, "chuyenvien", "motcua-demo", cv, sizeof(cv));
	th_login(srv.base, "cv.000.00.04.H51", "motcua-demo", cv2,
		 sizeof(cv2));
	th_login(srv.base, "lanhdao", "motcua-demo", leader, sizeof(leader));
	th_login(srv.base, "kiemsoat", "motcua-demo", control,
		 sizeof(control));
}

static void set_clock(const char *iso)
{
	assert_int_equal(th_write_file(clock_file, iso), 0);
	if (srv.base[0])
		login();
}

/* A procedure of the Department of Justice: 3 working days. */
static void procedure(void)
{
	json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, "
		"s:{s:s, s:b, s:b}, s:[{s:s, s:s, s:s, s:b}], s:[{s:s, s:s, "
		"s:i}, {s:s, s:s, s:i}, {s:s, s:s, s:i}]}", "code", PROC, "name",
		"Thủ tục thử danh sách việc", "field", "Thử nghiệm", "level",
		"province", "unit_code", "000.00.04.H51", "processing_time",
		"amount", 3, "unit", "working_days", "result", "document_type",
		"Giấy", "paper", 1, "electronic", 0, "components", "code", "TK",
		"name", "Tờ khai", "form", "original", "required", 1, "steps",
		"name", "Tiếp nhận", "role", "counter_officer", "share_percent",
		10, "name", "Thẩm định", "role", "specialist", "share_percent",
		60, "name", "Phê duyệt", "role", "leader", "share_percent", 30);

	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures",
				control, p, NULL), 201);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures/" PROC
		"/publish", control, json_pack("{s:s, s:s, s:s}", "valid_from",
		"2024-01-01", "decision_number", "7/QĐ", "decision_date",
		"2023-12-20"), NULL), 200);
}

static int setup(void **state)
{
	(void)state;
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	setenv("MOTCUA_WATCH_INTERVAL", "0", 1);
	th_path(clock_file, sizeof(clock_file), "clock");
	set_clock("2024-03-04T09:00:00+07:00");	/* a Monday */
	setenv("MOTCUA_TEST_CLOCK", clock_file, 1);
	th_demo_db(db, sizeof(db), "tasks");
	th_serve(&srv, (const char *[]){ "--db", db, NULL });
	login();
	procedure();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(th_serve_stop(&srv), 0);
	unsetenv("MOTCUA_TEST_CLOCK");
	return 0;
}

/* The codes of 'token''s work list, in order, space-separated. */
static void tasks(const char *token, char *out, size_t n, json_t **items)
{
	json_t *j, *d;
	size_t i, len = 0;

	assert_int_equal(th_api(srv.base, "GET", "/api/v1/tasks", token, NULL,
				&j), 200);
	assert_true(json_is_false(json_object_get(j, "more")));
	out[0] = '\0';
	json_array_foreach(json_object_get(j, "items"), i, d)
		len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%s",
					len ? " " : "", th_str(d, "code"));
	if (items)
		*items = json_incref(json_object_get(j, "items"));
	json_decref(j);
}

static const char *urgency(json_t *items, const char *code)
{
	size_t i;
	json_t *d;

	json_array_foreach(items, i, d)
		if (!strcmp(th_str(d, "code"), code))
			return th_str(d, "urgency");
	return "";
}

static void forward(const char *code, const char *assignee)
{
	json_t *b = json_pack("{s:s}", "action", "forward");

	if (assignee)
		json_object_set_new(b, "assignee", json_string(assignee));
	th_act(srv.base, counter, code, b);
}

static void work_list(void **state)
{
	char *a, *b, *c, want[400], got[400];
	json_t *items;

	(void)state;
	/*
	 * A on Monday, B and C on Tuesday: three working days end at the
	 * close of Thursday and of Friday; A is due first.
	 */
	a = th_intake(srv.base, counter, PROC, "direct", "051200001234",
		      "Lê Văn Một", "0905111222");
	set_clock("2024-03-05T10:00:00+07:00");
	b = th_intake(srv.base, counter, PROC, "direct", "051200001235",
		      "Lê Văn Hai", "0905111223");
	c = th_intake(srv.base, counter, PROC, "direct", "051200001236",
		      "Lê Văn Ba", "0905111224");
	/* At the counter all three wait to be sent on; none at the agency. */
	tasks(counter, got, sizeof(got), NULL);
	snprintf(want, sizeof(want), "%s %s %s", a, b, c);
	assert_string_equal(got, want);
	tasks(cv, got, sizeof(got), NULL);
	assert_string_equal(got, "");
	/* A to chuyenvien, B to no one, C to the other specialist. */
	forward(a, "chuyenvien");
	forward(b, NULL);
	forward(c, "cv.000.00.04.H51");
	tasks(counter, got, sizeof(got), NULL);
	assert_string_equal(got, "");
	tasks(cv, got, sizeof(got), NULL);
	snprintf(want, sizeof(want), "%s %s", a, b);
	assert_string_equal(got, want);
	tasks(cv2, got, sizeof(got), NULL);
	snprintf(want, sizeof(want), "%s %s", b, c);
	assert_string_equal(got, want);
	tasks(leader, got, sizeof(got), &items);
	snprintf(want, sizeof(want), "%s %s %s", a, b, c);
	assert_string_equal(got, want);
	assert_string_equal(urgency(items, a), "normal");
	assert_string_equal(urgency(items, c), "normal");
	/*
	 * Two hours before A's due instant A is due soon, B and C (a day
	 * later) not yet; half an hour after it A is overdue.
	 */
	{
		char when[40];
		int64_t due;

		assert_int_equal(mc_parse_instant("due_at", th_str(
			json_array_get(items, 0), "due_at"), &due, NULL), 0);
		json_decref(items);
		set_clock(mc_time_format_local(due - 7200, when,
					       sizeof(when)));
		tasks(leader, got, sizeof(got), &items);
		assert_string_equal(urgency(items, a), "due_soon");
		assert_string_equal(urgency(items, b), "normal");
		assert_string_equal(urgency(items, c), "normal");
		json_decref(items);
		set_clock(mc_time_format_local(due + 1800, when,
					       sizeof(when)));
	}
	tasks(leader, got, sizeof(got), &items);
	assert_string_equal(urgency(items, a), "overdue");
	/* After Thursday's close only Friday is left of B: a day at most. */
	assert_string_equal(urgency(items, b), "due_soon");
	assert_string_equal(th_str(json_array_get(items, 0), "timeliness"),
			    "overdue");
	json_decref(items);
	/* Completed: back at the counter, to be returned. */
	th_act(srv.base, cv, a, json_pack("{s:s}", "action", "forward"));
	th_act(srv.base, leader, a, json_pack("{s:s}", "action", "complete"));
	tasks(counter, got, sizeof(got), &items);
	assert_string_equal(got, a);
	assert_string_equal(urgency(items, a), "normal");
	assert_string_equal(th_str(json_array_get(items, 0), "status_label"),
			    "Đã xử lý xong");
	json_decref(items);
	tasks(leader, got, sizeof(got), NULL);
	snprintf(want, sizeof(want), "%s %s", b, c);
	assert_string_equal(got, want);
	/* Bad input: named. */
	{
		json_t *j;

		assert_int_equal(th_api(srv.base, "GET", "/api/v1/tasks?limit="
					"0", cv, NULL, &j), 400);
		json_decref(j);
		assert_int_equal(th_api(srv.base, "GET", "/api/v1/tasks?sort="
					"due", cv, NULL, &j), 400);
		json_decref(j);
		assert_int_equal(th_api(srv.base, "GET", "/api/v1/tasks", NULL,
					NULL, &j), 401);
		json_decref(j);
	}
	free(a);
	free(b);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(work_list),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
