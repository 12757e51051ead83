/*
 * test_cli.c — the motcua binary's command line: the exact forms the
 * calendar commands print, their JSON, bad input rejected with exit
 * status 2 and a message naming the field and the rule, --help on every
 * command, version and migrate.
 */
#include "core/compat.h"
#include "harness/harness.h"
#include "domain/vietqr.h"

#include <unistd.h>

/* Runs motcua; checks the exit status; returns stdout (caller frees). */
static char *run(int want, const char *const *args, char **err_out)
{
	char *out = NULL, *err = NULL;
	int rc = th_motcua(args, NULL, &out, &err);

	if (rc != want)
		fail_msg("motcua %s %s: exit %d, wanted %d; stderr: %s",
			 args[0], args[1] ? args[1] : "", rc, want,
			 err ? err : "");
	if (err_out)
		*err_out = err;
	else
		free(err);
	return out;
}

static void expect(const char *const *args, const char *want)
{
	char *out = run(0, args, NULL);

	assert_string_equal(out, want);
	free(out);
}

/* Runs a command that must fail with 2 and mention every 'needles'. */
static void expect_bad(const char *const *args, const char *const *needles)
{
	char *err = NULL, *out = run(2, args, &err);

	assert_string_equal(out, "");
	for (; *needles; needles++)
		if (!strstr(err, *needles))
			fail_msg("stderr lacks '%s': %s", *needles, err);
	free(out);
	free(err);
}

static void test_lunar_solar(void **state)
{
	(void)state;
	expect((const char *[]){ "calendar", "lunar", "2026-02-17", NULL },
	       "2026-01-01\n");
	expect((const char *[]){ "calendar", "lunar", "2026-02-16", NULL },
	       "2025-12-29\n");
	/* 2025 has a leap 6th month, starting 2025-07-25. */
	expect((const char *[]){ "calendar", "lunar", "2025-07-25", NULL },
	       "2025-06-01 leap\n");
	expect((const char *[]){ "calendar", "solar", "2026-01-01", NULL },
	       "2026-02-17\n");
	expect((const char *[]){ "calendar", "solar", "2025-06-01", "--leap",
				 NULL }, "2025-07-25\n");
	expect((const char *[]){ "calendar", "solar", "2025-06-01", NULL },
	       "2025-06-25\n");
	expect_bad((const char *[]){ "calendar", "lunar", "2026-02-30", NULL },
		   (const char *[]){ "date", "February 2026 has 28 days",
				     NULL });
	expect_bad((const char *[]){ "calendar", "solar", "2026-06-01",
				     "--leap", NULL },
		   (const char *[]){ "no leap month", NULL });
	/* Month 2 of Bính Ngọ has 29 days (19/03 to 16/04/2026). */
	expect_bad((const char *[]){ "calendar", "solar", "2026-02-30", NULL },
		   (const char *[]){ "not a lunar date", "29 days", NULL });
	expect_bad((const char *[]){ "calendar", "lunar", "1800-01-01", NULL },
		   (const char *[]){ "range", NULL });
	expect_bad((const char *[]){ "calendar", "lunar", NULL },
		   (const char *[]){ "expected one solar date", NULL });
	expect_bad((const char *[]){ "calendar", "solar", "2026-+1-01", NULL },
		   (const char *[]){ "expected a lunar date", NULL });
	expect_bad((const char *[]){ "calendar", "solar", "2026-13-01", NULL },
		   (const char *[]){ "months are 1–12", NULL });
}

static void test_holidays(void **state)
{
	char *out;
	json_t *j;
	json_error_t e;

	(void)state;
	expect((const char *[]){ "calendar", "holidays", "2026", NULL },
	       "2026-01-01 Tết Dương lịch\n"
	       "2026-01-02 Nghỉ hoán đổi, làm bù vào thứ Bảy 10/01/2026\n"
	       "2026-02-16 Tết Nguyên đán\n"
	       "2026-02-17 Tết Nguyên đán\n"
	       "2026-02-18 Tết Nguyên đán\n"
	       "2026-02-19 Tết Nguyên đán\n"
	       "2026-02-20 Tết Nguyên đán\n"
	       "2026-04-26 Giỗ Tổ Hùng Vương\n"
	       "2026-04-27 Nghỉ bù Giỗ Tổ Hùng Vương\n"
	       "2026-04-30 Ngày Chiến thắng\n"
	       "2026-05-01 Ngày Quốc tế Lao động\n"
	       "2026-08-31 Nghỉ hoán đổi, làm bù vào thứ Bảy 22/08/2026\n"
	       "2026-09-01 Quốc khánh\n"
	       "2026-09-02 Quốc khánh\n"
	       "2026-11-24 Ngày Văn hóa Việt Nam\n");
	out = run(0, (const char *[]){ "calendar", "holidays", "2026",
				       "--json", NULL }, NULL);
	j = json_loads(out, 0, &e);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "year")), 2026);
	/* 15 days off and the 2 Saturdays worked. */
	assert_int_equal(json_array_size(json_object_get(j, "days")), 17);
	{
		json_t *d = json_array_get(json_object_get(j, "days"), 2);

		assert_string_equal(json_string_value(json_object_get(d,
			"date")), "2026-01-10");
		assert_string_equal(json_string_value(json_object_get(d,
			"kind")), "working_day");
		assert_false(json_boolean_value(json_object_get(d, "off")));
		assert_non_null(strstr(json_string_value(json_object_get(d,
			"source")), "12729/VPCP-KGVX"));
	}
	json_decref(j);
	free(out);
	expect_bad((const char *[]){ "calendar", "holidays", "2300", NULL },
		   (const char *[]){ "year", "2199", "max", NULL });
	expect_bad((const char *[]){ "calendar", "holidays", "twenty", NULL },
		   (const char *[]){ "year", "integer", NULL });
}

static void test_due(void **state)
{
	char path[600], *out;
	json_t *j;
	json_error_t e;

	(void)state;
	expect((const char *[]){ "calendar", "due", "--start",
				 "2026-02-13T10:00:00+07:00", "--working-days",
				 "3", NULL }, "2026-02-25T17:00:00+07:00\n");
	/* After the 15:00 cut-off: counts from Monday 16/02 → Tết → 26/02. */
	expect((const char *[]){ "calendar", "due", "--start",
				 "2026-02-13T15:30:00+07:00", "--working-days",
				 "3", NULL }, "2026-02-26T17:00:00+07:00\n");
	/* 4 working hours from 10:00: 1.5 h to lunch, 2.5 h after it. */
	expect((const char *[]){ "calendar", "due", "--start",
				 "2026-03-03T10:00:00+07:00", "--working-hours",
				 "4", NULL }, "2026-03-03T16:00:00+07:00\n");
	/* 31/01 + 1 month = 28/02 (Saturday) → Monday 02/03. */
	expect((const char *[]){ "calendar", "due", "--start",
				 "2026-01-30T09:00:00+07:00", "--months", "1",
				 NULL }, "2026-03-02T17:00:00+07:00\n");
	expect((const char *[]){ "calendar", "due", "--start",
				 "2026-03-02T09:00:00+07:00", "--days", "5",
				 NULL }, "2026-03-09T17:00:00+07:00\n");
	/* A pause of two working days moves it two working days. */
	expect((const char *[]){ "calendar", "due", "--start",
				 "2026-03-02T09:00:00+07:00", "--working-days",
				 "3", "--pause", "2026-03-03T07:30:00+07:00/"
				 "2026-03-05T07:30:00+07:00", NULL },
	       "2026-03-09T17:00:00+07:00\n");
	out = run(0, (const char *[]){ "calendar", "due", "--start",
				       "2026-02-14T09:00:00+07:00",
				       "--working-days", "0", "--json", NULL },
		  NULL);
	j = json_loads(out, 0, &e);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "received")),
			    "2026-02-23T07:30:00+07:00");
	assert_string_equal(json_string_value(json_object_get(j, "due")),
			    "2026-02-23T17:00:00+07:00");
	json_decref(j);
	free(out);

	/* A province's own file: an extra day off on Monday 02/03/2026. */
	th_path(path, sizeof(path), "province.cal");
	th_write_file(path, "source \"Quyết định 1/QĐ-UBND (thử)\"\n"
		      "off 2026-03-02 \"Nghỉ theo quyết định của tỉnh\"\n");
	expect((const char *[]){ "calendar", "due", "--calendar", path,
				 "--start", "2026-02-27T09:00:00+07:00",
				 "--working-days", "1", NULL },
	       "2026-03-03T17:00:00+07:00\n");
	expect((const char *[]){ "calendar", "due", "--start",
				 "2026-02-27T09:00:00+07:00",
				 "--working-days", "1", NULL },
	       "2026-03-02T17:00:00+07:00\n");

	expect_bad((const char *[]){ "calendar", "due", "--start",
				     "2026-02-13T10:00:00+07:00",
				     "--working-days", "-1", NULL },
		   (const char *[]){ "working_days", "min", NULL });
	expect_bad((const char *[]){ "calendar", "due", "--working-days", "3",
				     NULL },
		   (const char *[]){ "start", "required", NULL });
	expect_bad((const char *[]){ "calendar", "due", "--start",
				     "2026-02-30T10:00:00+07:00",
				     "--working-days", "3", NULL },
		   (const char *[]){ "start", "February 2026 has 28 days",
				     NULL });
	expect_bad((const char *[]){ "calendar", "due", "--start",
				     "2026-02-13T10:00:00", "--days", "3",
				     NULL },
		   (const char *[]){ "start", "time zone", NULL });
	expect_bad((const char *[]){ "calendar", "due", "--start",
				     "2026-02-13T10:00:00+07:00",
				     "--days", "3", "--months", "1", NULL },
		   (const char *[]){ "months", "exclusive", NULL });
	expect_bad((const char *[]){ "calendar", "due", "--start",
				     "2026-02-13T10:00:00+07:00", "--days",
				     "3", "--pause", "2026-02-16T00:00:00Z",
				     NULL },
		   (const char *[]){ "pause", "FROM/TO", NULL });
	expect_bad((const char *[]){ "calendar", "due", "--start",
				     "2026-02-13T10:00:00+07:00", "--days",
				     "3", "--frobnicate", NULL },
		   (const char *[]){ "unknown option --frobnicate", NULL });
	th_write_file(path, "off 2026-02-30 \"x\"\n");
	expect_bad((const char *[]){ "calendar", "holidays", "2026",
				     "--calendar", path, NULL },
		   (const char *[]){ "province.cal:1", "February 2026 has 28 "
				     "days", NULL });
}

static void test_elapsed(void **state)
{
	(void)state;
	/* Friday 13/02 10:00 → Monday 23/02 10:00 over Tết: 5 h + 2.5 h;
	 * to Wednesday 25/02 17:00: 5 h + 3 × 7.5 h. */
	expect((const char *[]){ "calendar", "elapsed", "--from",
				 "2026-02-13T10:00:00+07:00", "--to",
				 "2026-02-23T10:00:00+07:00", "--due",
				 "2026-02-25T17:00:00+07:00", NULL },
	       "7.50 working hours, early\n");
	expect((const char *[]){ "calendar", "elapsed", "--from",
				 "2026-02-13T10:00:00+07:00", "--to",
				 "2026-02-25T17:00:00+07:00", "--due",
				 "2026-02-25T17:00:00+07:00", NULL },
	       "27.50 working hours, on_time\n");
	expect_bad((const char *[]){ "calendar", "elapsed", "--from",
				     "2026-02-13T10:00:00+07:00", NULL },
		   (const char *[]){ "to", "required", NULL });
}

static void test_help_and_usage(void **state)
{
	static const char *const cmds[] = { "serve", "migrate", "calendar",
					    "version" };
	size_t i;
	char *out;

	(void)state;
	for (i = 0; i < MC_ARRAY_SIZE(cmds); i++) {
		out = run(0, (const char *[]){ cmds[i], "--help", NULL }, NULL);
		if (strncmp(out, "usage: motcua ", 14) != 0)
			fail_msg("%s --help: %s", cmds[i], out);
		free(out);
	}
	out = run(0, (const char *[]){ "--help", NULL }, NULL);
	assert_non_null(strstr(out, "calendar"));
	free(out);
	out = run(0, (const char *[]){ "serve", "--help", NULL }, NULL);
	assert_non_null(strstr(out, "--request_timeout"));
	assert_non_null(strstr(out, "(default: 30s)"));
	free(out);
	expect_bad((const char *[]){ "frobnicate", NULL },
		   (const char *[]){ "unknown command 'frobnicate'", NULL });
	expect_bad((const char *[]){ "calendar", "moon", NULL },
		   (const char *[]){ "unknown subcommand 'moon'", NULL });
	expect_bad((const char *[]){ "calendar", "lunar", "2026-02-17",
				     "--start", "x", NULL },
		   (const char *[]){ "--start does not apply", NULL });
	out = run(0, (const char *[]){ "version", NULL }, NULL);
	assert_true(strncmp(out, "motcua " MC_VERSION " (h2o 2.2.5",
			    strlen("motcua " MC_VERSION " (h2o 2.2.5")) == 0);
	free(out);
}

static void test_migrate(void **state)
{
	static char names[64][96];
	char db[600], want[160], *out, *err;
	size_t nm, i;

	(void)state;
	/* A SQLite file in directories that do not exist yet, or a fresh
	 * PostgreSQL database (make test-pg). */
	if (th_pg())
		th_db(db, sizeof(db), "climigrate");
	else
		th_path(db, sizeof(db), "new/dir/m.db");
	nm = th_migrations(names, 64);
	assert_true(nm >= 4);
	/*
	 * --dry-run on a database with nothing yet (PostgreSQL's fresh one,
	 * an empty SQLite file): every migration would apply, none does.
	 */
	{
		char dry[600];

		if (th_pg()) {
			snprintf(dry, sizeof(dry), "%s", db);
		} else {
			th_path(dry, sizeof(dry), "dry.db");
			assert_int_equal(th_write_file(dry, ""), 0);
		}
		out = run(0, (const char *[]){ "migrate", "--dry-run", "--db",
					       dry, NULL }, NULL);
		for (i = 0; i < nm; i++) {
			snprintf(want, sizeof(want), "would apply %.96s\n",
				 names[i]);
			if (!strstr(out, want))
				fail_msg("no '%s' in: %s", want, out);
		}
		snprintf(want, sizeof(want), "%zu migrations would apply "
			 "cleanly; nothing was changed", nm);
		assert_non_null(strstr(out, want));
		snprintf(want, sizeof(want), "0 applied, %zu pending", nm);
		assert_non_null(strstr(out, want));
		free(out);
	}
	out = run(0, (const char *[]){ "migrate", "--db", db, NULL }, NULL);
	for (i = 0; i < nm; i++) {
		snprintf(want, sizeof(want), "applied %.96s\n", names[i]);
		if (!strstr(out, want))
			fail_msg("no '%s' in: %s", want, out);
	}
	assert_non_null(strstr(out, "0 pending"));
	free(out);
	out = run(0, (const char *[]){ "migrate", "--db", db, NULL }, NULL);
	assert_null(strstr(out, "applied 0001"));
	free(out);
	out = run(0, (const char *[]){ "migrate", "--dry-run", "--db", db,
				       NULL }, NULL);
	assert_non_null(strstr(out, "0 migrations would apply cleanly"));
	free(out);
	out = run(0, (const char *[]){ "migrate", "--status", "--db", db,
				       NULL }, NULL);
	snprintf(want, sizeof(want), "%zu applied, 0 pending, latest %.4s",
		 nm, names[nm - 1]);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, th_pg() ? "(postgresql)" : "(sqlite)"));
	free(out);
	/* --key=value with a long value. */
	{
		char flag[700];

		th_path(db, sizeof(db), "a/rather/long/directory/name/for/the/"
			"database/file/of/the/province.db");
		snprintf(flag, sizeof(flag), "--db=%s", db);
		out = run(0, (const char *[]){ "migrate", flag, NULL }, NULL);
		assert_non_null(strstr(out, "0 pending"));
		free(out);
	}
	th_path(db, sizeof(db), "absent.db");
	out = run(1, (const char *[]){ "migrate", "--status", "--db", db,
				       NULL }, &err);
	assert_non_null(strstr(err, "does not exist"));
	free(out);
	free(err);
}

static void test_config_errors(void **state)
{
	char *out, *err;

	(void)state;
	setenv("MOTCUA_LISTN", "127.0.0.1:1", 1);
	out = run(2, (const char *[]){ "serve", NULL }, &err);
	assert_non_null(strstr(err, "MOTCUA_LISTN"));
	free(out);
	free(err);
	unsetenv("MOTCUA_LISTN");
	out = run(2, (const char *[]){ "serve", "--max-body", "lots", NULL },
		  &err);
	assert_non_null(strstr(err, "max_body"));
	assert_non_null(strstr(err, "--max-body"));
	free(out);
	free(err);
	out = run(2, (const char *[]){ "serve", "--config", "/nonexistent.conf",
				       NULL }, &err);
	assert_non_null(strstr(err, "/nonexistent.conf"));
	free(out);
	free(err);
}

/* Staff accounts from the command line, and the audit of the chains. */
static void test_user_and_audit(void **state)
{
	char db[600], files[600], *out, *err = NULL;

	(void)state;
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	th_db(db, sizeof(db), "cliuser");
	th_path(files, sizeof(files), "clifiles");
	out = run(0, (const char *[]){ "demo", "--db", db, "--dossiers", "20",
				       "--files-dir", files, NULL }, NULL);
	assert_non_null(strstr(out, "seeded"));
	free(out);
	/* The demo gave every unit in force a certificate of its CA. */
	out = run(0, (const char *[]){ "keys", "list", "--files-dir", files,
				       NULL }, NULL);
	assert_non_null(strstr(out, "installation CA"));
	assert_non_null(strstr(out, "000.00.05.H51\n  subject  CN="));
	assert_non_null(strstr(out, "issuer   CN=motcua CA (thử nghiệm)"));
	free(out);
	assert_int_equal(th_motcua((const char *[]){ "keys", "issue", "--db",
		db, "--files-dir", files, "--unit", "000.00.05.H51", NULL },
		NULL, &out, &err), 2);
	assert_non_null(strstr(err, "has a certificate"));
	free(out);
	free(err);
	assert_int_equal(th_motcua((const char *[]){ "keys", "issue", "--db",
		db, "--files-dir", files, "--unit", "000.00.99.H51", NULL },
		NULL, &out, &err), 2);
	assert_non_null(strstr(err, "no unit 000.00.99.H51"));
	free(out);
	free(err);
	out = run(0, (const char *[]){ "keys", "issue", "--db", db,
				       "--files-dir", files, "--unit",
				       "000.00.05.H51", "--renew", NULL },
		  NULL);
	assert_non_null(strstr(out, "000.00.05.H51: CN="));
	free(out);
	assert_int_equal(th_motcua((const char *[]){ "keys", "ca",
		"--files-dir", files, NULL }, NULL, &out, &err), 2);
	assert_non_null(strstr(err, "exists"));
	free(out);
	free(err);
	assert_int_equal(th_motcua((const char *[]){ "user", "add", "--db", db,
		"--username", "an.nv", "--role", "specialist", "--unit",
		"000.00.05.H51", "--name", "Nguyễn Văn An", "--password-stdin",
		NULL }, "mật khẩu đủ dài\n", &out, NULL), 0);
	assert_non_null(strstr(out, "user an.nv (specialist) added"));
	free(out);
	/* The password comes from standard input, and must be long enough. */
	{
		int rc = th_motcua((const char *[]){ "user", "add", "--db", db,
			"--username", "b", "--role", "leader", "--unit",
			"000.00.05.H51", "--password-stdin", NULL },
			"short\n", &out, &err);

		assert_int_equal(rc, 2);
		assert_non_null(strstr(err, "password: at least 10"));
		free(out);
		free(err);
		rc = th_motcua((const char *[]){ "user", "add", "--db", db,
			"--username", "an.nv", "--role", "leader", "--unit",
			"000.00.05.H51", "--password-stdin", NULL },
			"mật khẩu đủ dài\n", &out, &err);
		assert_int_equal(rc, 2);
		assert_non_null(strstr(err, "username: the username an.nv is "
				       "taken"));
		free(out);
		free(err);
		rc = th_motcua((const char *[]){ "user", "add", "--db", db,
			"--username", "c", "--role", "chief", "--unit",
			"000.00.05.H51", "--password-stdin", NULL },
			"mật khẩu đủ dài\n", &out, &err);
		assert_int_equal(rc, 2);
		assert_non_null(strstr(err, "--role"));
		free(out);
		free(err);
	}
	out = run(0, (const char *[]){ "audit", "verify", "--db", db, NULL },
		  NULL);
	assert_non_null(strstr(out, ", 0 broken chains"));
	free(out);
	/* Biểu 06 of the demo's dossiers: headings, rows, a total. */
	out = run(0, (const char *[]){ "report", "bieu06", "--db", db,
				       "--from", "2020-01-01", "--to",
				       "2022-12-31", NULL }, NULL);
	assert_non_null(strstr(out, "STT,Cấp,Lĩnh vực,Nhận giải quyết: Tổng "
			       "số"));
	assert_non_null(strstr(out, "\r\n,Tổng cộng,,0,0,0,0,0,0,0,0,0,0,0,"
			       "0\r\n"));
	free(out);
	out = run(0, (const char *[]){ "report", "bieu06", "--db", db,
				       "--period", "year", "--year", "2026",
				       "--cutoff", "0", "--format", "json",
				       NULL }, NULL);
	assert_non_null(strstr(out, "\"from\": \"2026-01-01\""));
	assert_non_null(strstr(out, "\"form\": \"Biểu số 06/VPCP/KSTT\""));
	free(out);
	out = run(0, (const char *[]){ "report", "bieu06", "--db", db,
				       "--period", "year", "--year", "2026",
				       "--format", "xlsx", NULL }, NULL);
	assert_memory_equal(out, "PK\x03\x04", 4);	/* a zip: the workbook */
	free(out);
	assert_int_equal(th_motcua((const char *[]){ "report", "bieu06",
		"--db", db, "--period", "half", "--year", "2026", NULL }, NULL,
		&out, &err), 2);
	assert_non_null(strstr(err, "index"));
	free(out);
	free(err);
	assert_int_equal(th_motcua((const char *[]){ "report", "bieu07",
		"--db", db, NULL }, NULL, &out, &err), 2);
	free(out);
	free(err);
	/* A second demo finds the data and seeds nothing. */
	out = run(0, (const char *[]){ "demo", "--db", db, "--files-dir",
				       files, NULL }, NULL);
	assert_non_null(strstr(out, "already has data"));
	free(out);
}

/* The fee tools: a VietQR payload, an amount in words. */
static void test_vietqr_and_words(void **state)
{
	struct mc_vietqr q;
	char *out = NULL, *err = NULL;
	size_t n;

	(void)state;
	assert_int_equal(th_motcua((const char *[]){ "vietqr", "--bin",
		"970436", "--account", "0123456789", "--amount", "150000",
		"--purpose", "000.00.01.H51-260302-0001", NULL }, NULL, &out,
		&err), 0);
	n = strlen(out);
	assert_true(n > 8 && out[n - 1] == '\n');
	out[n - 1] = '\0';
	assert_true(!strncmp(out, "000201010212", 12));
	/* Read back: the CRC checks, and the fields are what was asked. */
	assert_int_equal(mc_vietqr_parse(out, &q, NULL), 0);
	assert_string_equal(q.bin, "970436");
	assert_string_equal(q.account, "0123456789");
	assert_int_equal(q.amount, 150000);
	assert_string_equal(q.purpose, "000.00.01.H51-260302-0001");
	free(out);
	free(err);
	assert_int_equal(th_motcua((const char *[]){ "vietqr", "--bin",
		"97043", "--account", "1", NULL }, NULL, &out, &err), 2);
	assert_non_null(strstr(err, "--bin"));
	free(out);
	free(err);
	assert_int_equal(th_motcua((const char *[]){ "words", "1005", NULL },
				   NULL, &out, &err), 0);
	assert_string_equal(out, "Một nghìn không trăm lẻ năm đồng\n");
	free(out);
	free(err);
	assert_int_equal(th_motcua((const char *[]){ "words", "-5", NULL },
				   NULL, &out, &err), 2);
	assert_non_null(strstr(err, "a whole number of đồng"));
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lunar_solar),
		cmocka_unit_test(test_holidays),
		cmocka_unit_test(test_due),
		cmocka_unit_test(test_elapsed),
		cmocka_unit_test(test_help_and_usage),
		cmocka_unit_test(test_migrate),
		cmocka_unit_test(test_user_and_audit),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_vietqr_and_words),
	};

	/* The commands must not pick up a motcua.conf from the tree. */
	if (chdir(th_tmpdir()) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
