/*
 * test_smsfile.c — sms_url "file:PATH" (development and demonstrations,
 * what make run uses): the messages of a dossier and a citizen's one-time
 * code are appended to the file as the gateway's JSON lines, taken as
 * sent, and the code read there signs the citizen in; the server warns.
 */
#include "core/compat.h"
#include "harness/harness.h"

#include <unistd.h>

static struct th_server srv;
static char db[600], sms[600];

static int setup(void **state)
{
	char url[620];

	(void)state;
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	th_path(sms, sizeof(sms), "sms.log");
	snprintf(url, sizeof(url), "file:%s", sms);
	th_demo_db(db, sizeof(db), "smsfile");
	th_serve(&srv, (const char *[]){ "--db", db, "--sms-url", url,
		 "--outbox-poll", "50ms", NULL });
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(th_serve_stop(&srv), 0);
	return 0;
}

/* Waits (up to 10 s) for a line of the file containing 'what'. */
static char *line_with(const char *what)
{
	int i;

	for (i = 0; i < 200; i++) {
		char *text = th_read_file(sms, NULL), *p;

		if (text && (p = strstr(text, what))) {
			char *start = p, *end = strchr(p, '\n');

			while (start > text && start[-1] != '\n')
				start--;
			*end = '\0';
			p = strdup(start);
			free(text);
			return p;
		}
		free(text);
		usleep(50 * 1000);
	}
	fail_msg("no line with %s in %s", what, sms);
	return NULL;
}

static void codes_in_a_file(void **state)
{
	char counter[128], *code, *line, otp[8];
	json_t *j, *m;
	const char *p;
	int i;

	(void)state;
	th_login(srv.base, "tiepnhan", "motcua-demo", counter, sizeof(counter));
	/* A dossier taken in: its received message, in the file. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/dossiers", counter,
		json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:[{s:s, s:b}, "
		"{s:s, s:b}, {s:s, s:b}]}", "procedure_code", "9.000016",
		"channel", "direct", "applicant", "kind", "person", "id_number",
		"051090002468", "name", "Đoàn Văn Tệp", "phone", "0905246802",
		"components", "code", "TP01", "provided", 1, "code", "TP02",
		"provided", 1, "code", "TP03", "provided", 1), &j), 201);
	code = strdup(th_str(j, "code"));
	json_decref(j);
	line = line_with("\"to\":\"0905246802\"");
	m = json_loads(line, 0, NULL);
	assert_non_null(m);
	assert_string_equal(th_str(m, "sender"), "DICHVUCONG");
	assert_non_null(strstr(th_str(m, "text"), code));
	json_decref(m);
	free(line);
	free(code);
	/* The citizen's code: there too, and it signs them in. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/citizen/otp", NULL,
		json_pack("{s:s}", "id_number", "051090002468"), NULL), 202);
	line = line_with("\"idempotency_key\":\"otp/");
	m = json_loads(line, 0, NULL);
	p = th_str(m, "text");
	for (i = 0; p[i] && !(p[i] >= '0' && p[i] <= '9' && p[i + 5] &&
			       strspn(p + i, "0123456789") == 6); i++)
		;
	assert_true(p[i] != '\0');
	snprintf(otp, sizeof(otp), "%.6s", p + i);
	assert_string_equal(th_str(m, "priority"), "high");
	json_decref(m);
	free(line);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/citizen/login",
		NULL, json_pack("{s:s, s:s}", "id_number", "051090002468",
		"code", otp), &j), 200);
	json_decref(j);
	/* Taken as sent; and the server said what it does with them. */
	line = th_serve_log(&srv);
	assert_non_null(strstr(line, "SMS written to a file"));
	free(line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(codes_in_a_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
