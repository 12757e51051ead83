/*
 * test_core.c — src/core: dates and instants, buffers and arenas, error
 * reports, value parsing, SHA-256 and the configuration sources.
 */
#include "core/compat.h"
#include "harness/harness.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/net.h"
#include "core/parse.h"
#include "core/ratelimit.h"
#include "core/sha256.h"
#include "core/timeutil.h"
#include "core/utf8.h"

#include <arpa/inet.h>

static void test_days_roundtrip(void **state)
{
	int32_t d;

	(void)state;
	assert_int_equal(mc_days_from_ymd(1970, 1, 1), 0);
	assert_int_equal(mc_days_from_ymd(2000, 3, 1), 11017);
	assert_int_equal(mc_days_from_ymd(1900, 1, 1), -25567);
	for (d = -30000; d < 90000; d++) {
		struct mc_ymd y = mc_ymd_from_days(d);

		assert_true(mc_ymd_valid(y.year, y.month, y.day));
		assert_int_equal(mc_days_from_ymd(y.year, y.month, y.day), d);
	}
	/* 1970-01-01 was a Thursday, 2026-02-17 a Tuesday. */
	assert_int_equal(mc_weekday(0), 4);
	assert_int_equal(mc_weekday(mc_days_from_ymd(2026, 2, 17)), 2);
	assert_int_equal(mc_weekday(mc_days_from_ymd(1900, 1, 1)), 1);
	assert_int_equal(mc_days_in_month(2024, 2), 29);
	assert_int_equal(mc_days_in_month(2100, 2), 28);
	assert_int_equal(mc_days_in_month(2000, 2), 29);
	assert_int_equal(mc_days_in_month(2026, 13), 0);
}

static void test_date_parse(void **state)
{
	char why[160];
	int32_t d;

	(void)state;
	assert_int_equal(mc_date_parse("2026-02-17", 10, &d, why,
				       sizeof(why)), 0);
	assert_int_equal(d, mc_days_from_ymd(2026, 2, 17));
	assert_int_equal(mc_date_parse("2026-02-30", 10, &d, why,
				       sizeof(why)), MC_EINVAL);
	assert_string_equal(why, "2026-02-30 is not a date: February 2026 "
			    "has 28 days");
	assert_int_equal(mc_date_parse("2026-13-01", 10, &d, why,
				       sizeof(why)), MC_EINVAL);
	assert_int_equal(mc_date_parse("2026-2-17", 9, &d, why, sizeof(why)),
			 MC_EINVAL);
	assert_int_equal(mc_date_parse("2026/02/17", 10, &d, why,
				       sizeof(why)), MC_EINVAL);
	assert_int_equal(mc_date_parse("2026-02-1x", 10, &d, NULL, 0),
			 MC_EINVAL);
	assert_int_equal(mc_date_parse("", 0, &d, NULL, 0), MC_EINVAL);
}

static void test_instants(void **state)
{
	char why[160], buf[40];
	int64_t t;

	(void)state;
	assert_int_equal(mc_instant_parse("2026-02-13T10:00:00+07:00", 25, &t,
					  why, sizeof(why)), 0);
	assert_string_equal(mc_time_format_utc(t, buf, sizeof(buf)),
			    "2026-02-13T03:00:00Z");
	assert_string_equal(mc_time_format_local(t, buf, sizeof(buf)),
			    "2026-02-13T10:00:00+07:00");
	assert_int_equal(mc_instant_parse("2026-02-13T03:00:00Z", 20, &t, why,
					  sizeof(why)), 0);
	assert_string_equal(mc_time_format_local(t, buf, sizeof(buf)),
			    "2026-02-13T10:00:00+07:00");
	/* Minutes only, fractions, other offsets. */
	assert_int_equal(mc_instant_parse("2026-02-13T10:00+07:00", 22, &t,
					  why, sizeof(why)), 0);
	assert_int_equal(mc_instant_parse("2026-02-13T10:00:00.250+07:00", 29,
					  &t, why, sizeof(why)), 0);
	assert_string_equal(mc_time_format_local(t, buf, sizeof(buf)),
			    "2026-02-13T10:00:00+07:00");
	assert_int_equal(mc_instant_parse("2026-02-12T22:00:00-05:00", 25, &t,
					  why, sizeof(why)), 0);
	assert_string_equal(mc_time_format_local(t, buf, sizeof(buf)),
			    "2026-02-13T10:00:00+07:00");
	/* No zone: rejected, saying so. */
	assert_int_equal(mc_instant_parse("2026-02-13T10:00:00", 19, &t, why,
					  sizeof(why)), MC_EINVAL);
	assert_non_null(strstr(why, "time zone"));
	assert_int_equal(mc_instant_parse("2026-02-30T10:00:00Z", 20, &t, why,
					  sizeof(why)), MC_EINVAL);
	assert_non_null(strstr(why, "February 2026 has 28 days"));
	assert_int_equal(mc_instant_parse("2026-02-13T24:00:00Z", 20, &t, why,
					  sizeof(why)), MC_EINVAL);
	assert_int_equal(mc_instant_parse("2026-02-13T10:00:00+7", 21, &t, why,
					  sizeof(why)), MC_EINVAL);
	assert_int_equal(mc_instant_parse("2026-02-13T10:00:00Zjunk", 24, &t,
					  why, sizeof(why)), MC_EINVAL);
	/* Shown at +07:00 it would be in the year 10000. */
	assert_int_equal(mc_instant_parse("9999-12-31T23:00:00Z", 20, &t, why,
					  sizeof(why)), MC_EINVAL);
	assert_non_null(strstr(why, "0001–9999"));
	/* Local days: 16:59:59Z is still the 13th in UTC+7? No: 23:59:59. */
	mc_instant_parse("2026-02-13T16:59:59Z", 20, &t, NULL, 0);
	assert_int_equal(mc_local_day(t), mc_days_from_ymd(2026, 2, 13));
	assert_int_equal(mc_local_day(t + 1), mc_days_from_ymd(2026, 2, 14));
	assert_int_equal(mc_local_day_start(mc_days_from_ymd(2026, 2, 14)),
			 t + 1);
	assert_string_equal(mc_time_format_utc_ms(1500, buf, sizeof(buf)),
			    "1970-01-01T00:00:01.500Z");
	assert_string_equal(mc_time_format_utc_ms(-1, buf, sizeof(buf)),
			    "1969-12-31T23:59:59.999Z");
}

static void test_durations_and_sizes(void **state)
{
	int64_t ms;
	uint64_t b;

	(void)state;
	assert_int_equal(mc_duration_parse("30s", &ms), 0);
	assert_int_equal(ms, 30000);
	assert_int_equal(mc_duration_parse("1500ms", &ms), 0);
	assert_int_equal(ms, 1500);
	assert_int_equal(mc_duration_parse("5m", &ms), 0);
	assert_int_equal(ms, 300000);
	assert_int_equal(mc_duration_parse("2h", &ms), 0);
	assert_int_equal(ms, 7200000);
	assert_int_equal(mc_duration_parse("10", &ms), 0);
	assert_int_equal(ms, 10000);
	assert_int_equal(mc_duration_parse("-1s", &ms), MC_EINVAL);
	assert_int_equal(mc_duration_parse("1d", &ms), MC_EINVAL);
	assert_int_equal(mc_duration_parse("", &ms), MC_EINVAL);
	assert_int_equal(mc_size_parse("1m", &b), 0);
	assert_int_equal(b, 1048576);
	assert_int_equal(mc_size_parse("64k", &b), 0);
	assert_int_equal(b, 65536);
	assert_int_equal(mc_size_parse("12", &b), 0);
	assert_int_equal(b, 12);
	assert_int_equal(mc_size_parse("1t", &b), MC_EINVAL);
	assert_int_equal(mc_size_parse("99999999999999999999", &b),
			 MC_EINVAL);
}

static void test_buf_cap(void **state)
{
	struct mc_buf b = MC_BUF_INIT(10);
	char *p;
	size_t n;

	(void)state;
	assert_int_equal(mc_buf_adds(&b, "hello"), 0);
	assert_int_equal(mc_buf_printf(&b, "%d", 1234), 0);
	assert_string_equal(b.buf, "hello1234");
	/* Over the cap: refused, content unchanged. */
	assert_int_equal(mc_buf_adds(&b, "xy"), MC_ETOOBIG);
	assert_string_equal(b.buf, "hello1234");
	assert_int_equal(mc_buf_printf(&b, "%s", "long text"), MC_ETOOBIG);
	assert_int_equal(b.len, 9);
	assert_int_equal(mc_buf_addc(&b, '!'), 0);
	assert_int_equal(b.len, 10);
	assert_int_equal(mc_buf_addc(&b, '!'), MC_ETOOBIG);
	p = mc_buf_detach(&b, &n);
	assert_int_equal(n, 10);
	assert_string_equal(p, "hello1234!");
	assert_null(b.buf);
	mc_free(p);
	mc_buf_release(&b);
}

/* A buffer without a cap (SIZE_MAX) grows like any other. */
static void test_buf_uncapped(void **state)
{
	struct mc_buf b = MC_BUF_INIT(SIZE_MAX);
	int i;

	(void)state;
	for (i = 0; i < 1000; i++)
		assert_int_equal(mc_buf_printf(&b, "%04d,", i), 0);
	assert_int_equal(b.len, 5000);
	assert_memory_equal(b.buf + 4995, "0999,", 5);
	mc_buf_release(&b);
}

static void test_buf_read_file(void **state)
{
	struct mc_buf b = MC_BUF_INIT(8);
	char path[600];

	(void)state;
	th_path(path, sizeof(path), "f.txt");
	th_write_file(path, "1234");
	assert_int_equal(mc_buf_read_file(&b, path), 0);
	assert_string_equal(b.buf, "1234");
	th_write_file(path, "123456789");
	mc_buf_reset(&b);
	assert_int_equal(mc_buf_read_file(&b, path), MC_ETOOBIG);
	assert_int_equal(b.len, 0);
	th_path(path, sizeof(path), "missing");
	assert_int_equal(mc_buf_read_file(&b, path), MC_EIO);
	assert_int_equal(errno, ENOENT);
	mc_buf_release(&b);
}

static void test_arena(void **state)
{
	struct mc_arena a = MC_ARENA_INIT;
	char *big, *s;
	int i;

	(void)state;
	for (i = 0; i < 10000; i++) {
		int *p = mc_arena_alloc(&a, sizeof(int) * (size_t)(i % 7 + 1));

		assert_true(((uintptr_t)p % _Alignof(max_align_t)) == 0);
		*p = i;
	}
	big = mc_arena_calloc(&a, 100000, 1);
	assert_int_equal(big[99999], 0);
	s = mc_arena_printf(&a, "%s-%d", "x", 42);
	assert_string_equal(s, "x-42");
	assert_string_equal(mc_arena_strndup(&a, "abcdef", 3), "abc");
	mc_arena_release(&a);
	assert_null(a.head);
	/* Reusable after release. */
	assert_string_equal(mc_arena_strdup(&a, "again"), "again");
	mc_arena_release(&a);
}

static void test_err_reports(void **state)
{
	struct mc_err err = MC_ERR_INIT;
	char text[512];
	int i;

	(void)state;
	assert_int_equal(mc_err_field(&err, "year", "max", "must be at most "
				      "%d", 2199), MC_EINVAL);
	assert_int_equal(err.code, MC_EINVAL);
	assert_string_equal(err.fields[0].field, "year");
	assert_string_equal(err.fields[0].rule, "max");
	assert_string_equal(err.message, "year: must be at most 2199");
	mc_err_field(&err, "start", "required", "give it");
	assert_string_equal(mc_err_text(&err, text, sizeof(text)),
			    "year: must be at most 2199 (max); start: give "
			    "it (required)");
	for (i = 0; i < 20; i++)
		mc_err_field(&err, "x", "y", "z");
	assert_int_equal(err.nfields, MC_ERR_MAX_FIELDS);
	mc_err_clear(&err);
	assert_int_equal(mc_error(&err, MC_ENOTFOUND, "dossier %s not found",
				  "A-1"), MC_ENOTFOUND);
	assert_string_equal(mc_err_text(&err, text, sizeof(text)),
			    "dossier A-1 not found");
	assert_string_equal(mc_strerror(MC_ECONFLICT), "conflict");
	assert_string_equal(mc_strerror(-999), "unknown error");
	assert_int_equal(mc_error(NULL, MC_EDB, "x"), MC_EDB);
}

static void test_parse_values(void **state)
{
	struct mc_err err = MC_ERR_INIT;
	int64_t a, b;
	long v;
	bool f;

	(void)state;
	assert_int_equal(mc_parse_int("n", "42", 0, 100, &v, &err), 0);
	assert_int_equal(v, 42);
	assert_int_equal(mc_parse_int("n", "-3", 0, 100, &v, &err), MC_EINVAL);
	assert_string_equal(err.fields[0].rule, "min");
	mc_err_clear(&err);
	assert_int_equal(mc_parse_int("n", "4x", 0, 100, &v, &err), MC_EINVAL);
	assert_string_equal(err.fields[0].rule, "integer");
	mc_err_clear(&err);
	assert_int_equal(mc_parse_int("n", "99999999999999999999999", 0, 100,
				      &v, &err), MC_EINVAL);
	assert_string_equal(err.fields[0].rule, "max");
	mc_err_clear(&err);
	assert_int_equal(mc_parse_int("n", "-99999999999999999999999", 0, 100,
				      &v, &err), MC_EINVAL);
	assert_string_equal(err.fields[0].rule, "min");
	mc_err_clear(&err);
	assert_int_equal(mc_parse_int("n", "", 0, 100, &v, &err), MC_EINVAL);
	mc_err_clear(&err);
	assert_int_equal(mc_parse_interval("pause", "2026-03-02T08:00:00+07:00"
					   "/2026-03-03T08:00:00+07:00", &a, &b,
					   &err), 0);
	assert_int_equal(b - a, 86400);
	assert_int_equal(mc_parse_interval("pause", "2026-03-03T08:00:00+07:00"
					   "/2026-03-02T08:00:00+07:00", &a, &b,
					   &err), MC_EINVAL);
	assert_string_equal(err.fields[0].rule, "order");
	mc_err_clear(&err);
	assert_int_equal(mc_parse_interval("pause", "2026-03-03", &a, &b,
					   &err), MC_EINVAL);
	assert_string_equal(err.fields[0].field, "pause");
	mc_err_clear(&err);
	assert_int_equal(mc_parse_bool("leap", "true", &f, &err), 0);
	assert_true(f);
	assert_int_equal(mc_parse_bool("leap", "yes", &f, &err), MC_EINVAL);
}

static void test_utf8(void **state)
{
	struct mc_arena a = MC_ARENA_INIT;
	char cut[] = "ngày \xe1\xbb", whole[] = "Đức", lone[] = "ab\xc3";

	(void)state;
	assert_true(mc_utf8_valid("Nguyễn Văn Đức", strlen("Nguyễn Văn Đức")));
	assert_false(mc_utf8_valid("\xff", 1));
	assert_false(mc_utf8_valid("\xc0\x80", 2));		/* overlong */
	assert_false(mc_utf8_valid("\xed\xa0\x80", 3));	/* surrogate */
	assert_string_equal(mc_utf8_clean(&a, "a\xff" "b", 3, 100),
			    "a\xef\xbf\xbd" "b");
	/* Cut at a character boundary, never inside one. */
	assert_string_equal(mc_utf8_clean(&a, "Đức", strlen("Đức"), 3),
			    "Đ");
	assert_string_equal(mc_utf8_trim_partial(cut), "ngày ");
	assert_string_equal(mc_utf8_trim_partial(whole), "Đức");
	assert_string_equal(mc_utf8_trim_partial(lone), "ab");
	mc_arena_release(&a);
}

static void test_sha256(void **state)
{
	char hex[MC_SHA256_HEX];

	(void)state;
	assert_string_equal(mc_sha256_hex("abc", 3, hex),
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9c"
			    "b410ff61f20015ad");
	assert_string_equal(mc_sha256_hex("", 0, hex),
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934c"
			    "a495991b7852b855");
}

static void test_config_sources(void **state)
{
	struct mc_config cfg;
	struct mc_err err = MC_ERR_INIT;
	char path[600];
	char e1[] = "MOTCUA_LISTEN=0.0.0.0:9000", e2[] = "PATH=/bin";
	char *env[] = { e1, e2, NULL };

	(void)state;
	mc_config_defaults(&cfg);
	assert_string_equal(cfg.db, "var/motcua.db");
	assert_string_equal(cfg.listen, "127.0.0.1:8080");
	assert_int_equal(cfg.max_body, 1048576);
	assert_int_equal(cfg.request_timeout_ms, 30000);
	assert_int_equal(cfg.durability, MC_DURABILITY_FULL);
	assert_true(cfg.access_log);

	th_path(path, sizeof(path), "motcua.conf");
	th_write_file(path, "# a comment\n"
		      "db = /srv/motcua/motcua.db   # trailing comment\n"
		      "listen = 127.0.0.1:9999\n"
		      "max_body = 64k\n"
		      "request_timeout = 1500ms\n"
		      "durability = normal\n"
		      "access_log = off\n"
		      "calendar_files = \"a.cal b.cal\"\n");
	assert_int_equal(mc_config_load(&cfg, path, env, &err), 0);
	assert_string_equal(cfg.db, "/srv/motcua/motcua.db");
	/* The environment overrides the file. */
	assert_string_equal(cfg.listen, "0.0.0.0:9000");
	assert_int_equal(cfg.max_body, 65536);
	assert_int_equal(cfg.request_timeout_ms, 1500);
	assert_int_equal(cfg.durability, MC_DURABILITY_NORMAL);
	assert_false(cfg.access_log);
	assert_string_equal(cfg.calendar_files, "a.cal b.cal");
	/* Flags override both. */
	assert_int_equal(mc_config_set(&cfg, "request-timeout", "2s", "--x",
				       &err), 0);
	assert_int_equal(cfg.request_timeout_ms, 2000);
}

static void test_config_errors(void **state)
{
	struct mc_config cfg;
	struct mc_err err = MC_ERR_INIT;
	char path[600];
	char e1[] = "MOTCUA_LISTN=x", e2[] = "MOTCUA_THREADS=lots";
	char *bad_env[] = { e1, NULL };
	char *bad_val[] = { e2, NULL };

	(void)state;
	mc_config_defaults(&cfg);
	th_path(path, sizeof(path), "bad.conf");
	th_write_file(path, "db = x.db\nlisten_port = 80\n");
	assert_int_equal(mc_config_load(&cfg, path, NULL, &err), MC_EINVAL);
	assert_non_null(strstr(err.message, "bad.conf:2"));
	assert_non_null(strstr(err.message, "listen_port"));

	mc_err_clear(&err);
	th_write_file(path, "max_body = huge\n");
	assert_int_equal(mc_config_load(&cfg, path, NULL, &err), MC_EINVAL);
	assert_string_equal(err.fields[0].field, "max_body");
	assert_non_null(strstr(err.fields[0].message, "bad.conf:1"));

	mc_err_clear(&err);
	th_write_file(path, "just words\n");
	assert_int_equal(mc_config_load(&cfg, path, NULL, &err), MC_EINVAL);
	assert_non_null(strstr(err.message, "key = value"));

	mc_err_clear(&err);
	assert_int_equal(mc_config_load(&cfg, "/nonexistent/motcua.conf", NULL,
					&err), MC_EIO);
	assert_non_null(strstr(err.message, "/nonexistent/motcua.conf"));

	mc_err_clear(&err);
	assert_int_equal(mc_config_load(&cfg, NULL, bad_env, &err), MC_EINVAL);
	assert_non_null(strstr(err.message, "MOTCUA_LISTN"));

	mc_err_clear(&err);
	assert_int_equal(mc_config_load(&cfg, NULL, bad_val, &err), MC_EINVAL);
	assert_string_equal(err.fields[0].field, "threads");
	assert_non_null(strstr(err.fields[0].message, "MOTCUA_THREADS"));

	mc_err_clear(&err);
	assert_int_equal(mc_config_set(&cfg, "durability", "sometimes", "--d",
				       &err), MC_EINVAL);
	assert_string_equal(err.fields[0].rule, "enum");
	assert_int_equal(mc_config_set(&cfg, "nope", "1", "--nope", &err),
			 MC_ENOTFOUND);
}

/* Every key is documented in motcua.conf and docs/configuration.md. */
static void test_config_documented(void **state)
{
	char *conf = th_read_file(MC_SOURCE_DIR "/motcua.conf", NULL);
	char *doc = th_read_file(MC_SOURCE_DIR "/docs/configuration.md", NULL);
	const char *name, *def, *help;
	size_t i;

	(void)state;
	assert_non_null(conf);
	assert_non_null(doc);
	for (i = 0; mc_config_key_doc(i, &name, &def, &help); i++) {
		char line[128];

		snprintf(line, sizeof(line), "# %s = %s\n", name, def);
		if (!strstr(conf, line))
			fail_msg("motcua.conf lacks the line '# %s = %s'", name,
				 def);
		snprintf(line, sizeof(line), "| `%s` |", name);
		if (!strstr(doc, line))
			fail_msg("docs/configuration.md lacks key %s", name);
	}
	free(conf);
	free(doc);
}

static void test_ratelimit(void **state)
{
	struct mc_ratelimit *rl = mc_ratelimit_new(64, 3, 60000);
	int64_t retry = 0;
	char key[32];
	int i;

	(void)state;
	assert_false(mc_ratelimit_blocked(rl, "10.0.0.1", 1000, NULL));
	for (i = 0; i < 3; i++) {
		assert_false(mc_ratelimit_blocked(rl, "10.0.0.1", 1000 + i,
						  NULL));
		mc_ratelimit_fail(rl, "10.0.0.1", 1000 + i);
	}
	assert_true(mc_ratelimit_blocked(rl, "10.0.0.1", 2000, &retry));
	assert_int_equal(retry, 59000);
	/* Another address has its own count. */
	assert_false(mc_ratelimit_blocked(rl, "10.0.0.2", 2000, NULL));
	/* A new window forgives. */
	assert_false(mc_ratelimit_blocked(rl, "10.0.0.1", 61000, NULL));
	mc_ratelimit_fail(rl, "10.0.0.1", 61000);
	assert_false(mc_ratelimit_blocked(rl, "10.0.0.1", 61001, NULL));
	/* A flood of addresses never grows the table; it keeps working. */
	for (i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "192.168.%d.%d", i / 256, i % 256);
		mc_ratelimit_fail(rl, key, 70000);
	}
	for (i = 0; i < 3; i++)
		mc_ratelimit_fail(rl, "10.0.0.9", 70000);
	assert_true(mc_ratelimit_blocked(rl, "10.0.0.9", 70001, NULL));
	mc_ratelimit_free(rl);
	mc_ratelimit_free(NULL);
}

/* A database address fit for the log: no password survives. */
static void test_config_redact(void **state)
{
	char out[256];

	(void)state;
	assert_string_equal(mc_config_redact("postgres://motcua:bi-mat@db1:"
		"5432/motcua?sslmode=require", out, sizeof(out)),
		"postgres://motcua:***@db1:5432/motcua?sslmode=require");
	assert_string_equal(mc_config_redact("postgresql://motcua@db1/m",
		out, sizeof(out)), "postgresql://motcua@db1/m");
	assert_string_equal(mc_config_redact("host=db1 password=bi-mat "
		"dbname=m", out, sizeof(out)), "host=db1 password=*** dbname=m");
	assert_string_equal(mc_config_redact("postgres://db1/m?user=u&"
		"password=bi-mat&sslmode=require", out, sizeof(out)),
		"postgres://db1/m?user=u&password=***&sslmode=require");
	assert_string_equal(mc_config_redact("/var/lib/motcua/motcua.db",
		out, sizeof(out)), "/var/lib/motcua/motcua.db");
}

/* Address blocks, and which addresses are not the public Internet's. */
static void test_net(void **state)
{
	struct mc_net nets[4];
	struct mc_err err = MC_ERR_INIT;
	unsigned char a[16];
	size_t n;

	(void)state;
	assert_int_equal(mc_nets_parse("10.0.0.0/8, 127.0.0.1 ,fd00::/8",
				       "x", nets, 4, &n, &err), 0);
	assert_int_equal(n, 3);
	inet_pton(AF_INET, "10.20.30.40", a);
	assert_true(mc_nets_match(nets, n, AF_INET, a));
	inet_pton(AF_INET, "11.0.0.1", a);
	assert_false(mc_nets_match(nets, n, AF_INET, a));
	inet_pton(AF_INET6, "fd12::1", a);
	assert_true(mc_nets_match(nets, n, AF_INET6, a));
	assert_int_equal(mc_nets_parse("10.0.0.0/33", "webhook_allow", NULL,
				       0, &n, &err), MC_EINVAL);
	assert_non_null(strstr(err.message, "10.0.0.0/33"));
	inet_pton(AF_INET, "192.168.1.9", a);
	assert_true(mc_addr_private(AF_INET, a));
	inet_pton(AF_INET, "169.254.169.254", a);
	assert_true(mc_addr_private(AF_INET, a));
	inet_pton(AF_INET, "100.100.1.1", a);
	assert_true(mc_addr_private(AF_INET, a));
	inet_pton(AF_INET, "203.113.131.1", a);
	assert_false(mc_addr_private(AF_INET, a));
	inet_pton(AF_INET6, "::1", a);
	assert_true(mc_addr_private(AF_INET6, a));
	inet_pton(AF_INET6, "::ffff:10.1.1.1", a);
	assert_true(mc_addr_private(AF_INET6, a));
	inet_pton(AF_INET6, "2001:ee0::1", a);
	assert_false(mc_addr_private(AF_INET6, a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days_roundtrip),
		cmocka_unit_test(test_date_parse),
		cmocka_unit_test(test_instants),
		cmocka_unit_test(test_durations_and_sizes),
		cmocka_unit_test(test_buf_cap),
		cmocka_unit_test(test_buf_uncapped),
		cmocka_unit_test(test_buf_read_file),
		cmocka_unit_test(test_arena),
		cmocka_unit_test(test_err_reports),
		cmocka_unit_test(test_parse_values),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_config_sources),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_config_documented),
		cmocka_unit_test(test_config_redact),
		cmocka_unit_test(test_net),
		cmocka_unit_test(test_ratelimit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
