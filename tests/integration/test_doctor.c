/*
 * test_doctor.c — 'motcua doctor' on a healthy installation and on a
 * broken one (issue 11, "Operating it"): on the healthy one nothing
 * fails and each area says so; on the broken one — a migration of this
 * release not applied, a stale backup, a certificate about to expire,
 * secrets in a configuration file everyone may read, a files directory
 * that does not exist — each is named with what to do, and the exit
 * status is 1. Runs on SQLite and PostgreSQL.
 */
#include "core/compat.h"
#include "harness/harness.h"

#include <sys/stat.h>
#include <unistd.h>

static char db[600], files[700], backups[700], web[700];

static int setup(void **state)
{
	char *err = NULL;

	(void)state;
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	th_demo_db(db, sizeof(db), "doctor");
	snprintf(files, sizeof(files), "%s/files", th_tmpdir());
	snprintf(backups, sizeof(backups), "%s/backups", th_tmpdir());
	snprintf(web, sizeof(web), "%s/web", MC_SOURCE_DIR);
	if (!th_pg() && th_motcua((const char *[]){ "backup", "--to", backups,
				  "--db", db, "--files-dir", files, NULL },
				  NULL, NULL, &err))
		fail_msg("backup: %s", err);
	free(err);
	return 0;
}

/* Runs motcua doctor with 'extra' arguments; its status and output. */
static int doctor(const char *const *extra, char **out)
{
	const char *args[32] = { "doctor", "--db", db, "--files-dir", files,
		"--web-root", web, "--sms-url", "http://127.0.0.1:9/sms",
		"--public-url", "https://dichvucong.quangngai.gov.vn",
		"--backup-dir", backups };
	size_t n = 13, i;
	char *err = NULL;
	int rc;

	for (i = 0; extra && extra[i] && n < 31; i++)
		args[n++] = extra[i];
	args[n] = NULL;
	rc = th_motcua(args, NULL, out, &err);
	if (err && *err)
		fprintf(stderr, "%s", err);
	free(err);
	fprintf(stderr, "%s", *out);
	return rc;
}

/*
 * A finding of 'tag' in 'area' whose line, or the fix under it, says
 * 'text'.
 */
static void assert_says(const char *out, const char *tag, const char *area,
			const char *text)
{
	char head[64];
	const char *p = out;

	snprintf(head, sizeof(head), "%-4s  %-12s", tag, area);
	while (p && *p) {
		const char *end = strchr(p, '\n');

		if (!strncmp(p, head, strlen(head))) {
			/* The finding's line and its fix line. */
			if (end && !strncmp(end + 1, "      ", 6))
				end = strchr(end + 1, '\n');
			if (memmem(p, end ? (size_t)(end - p) : strlen(p), text,
				   strlen(text)))
				return;
		}
		p = end ? end + 1 : NULL;
	}
	fail_msg("no '%s %s' finding says '%s'", tag, area, text);
}

static void healthy(void **state)
{
	char *out = NULL;

	(void)state;
	assert_int_equal(doctor(NULL, &out), 0);
	assert_non_null(strstr(out, "0 failures"));
	assert_says(out, "ok", "config", "");
	assert_says(out, "ok", "database", "migrations applied");
	assert_says(out, "ok", "disk", "files");
	assert_says(out, "ok", "keys", "certificates valid");
	assert_says(out, "ok", "outbox", "0 messages waiting");
	assert_says(out, "ok", "watch", "every 60 s");
	if (th_pg())
		/* The test cluster archives no WAL: said, not failed. */
		assert_says(out, "WARN", "backups", "archive_mode is off");
	else
		assert_says(out, "ok", "backups", "motcua-");
	free(out);
}

static void broken(void **state)
{
	char *out = NULL, conf[700], stale[2600], *err = NULL;
	char missing[700];

	(void)state;
	/* A unit's certificate expires in ten days. */
	if (th_motcua((const char *[]){ "keys", "issue", "--unit",
		      "000.00.04.H51", "--days", "10", "--renew", "--db", db,
		      "--files-dir", files, NULL }, NULL, NULL, &err))
		fail_msg("keys issue: %s", err);
	free(err);
	/* A database one migration behind this release. */
	assert_int_equal(th_db_exec(db, "DELETE FROM schema_migrations WHERE "
		"version = (SELECT MAX(version) FROM schema_migrations)",
		"DELETE FROM schema_migrations WHERE version = (SELECT "
		"MAX(version) FROM schema_migrations)"), 0);
	/* The newest backup is from 2020 (the fresh one goes). */
	snprintf(stale, sizeof(stale), "rm -rf '%s' && mkdir -p '%s/"
		 "motcua-20200101T000000Z' && echo '{}' > '%s/motcua-"
		 "20200101T000000Z/manifest.json'", backups, backups, backups);
	assert_int_equal(system(stale), 0);
	/* Secrets in a file everyone may read. */
	th_path(conf, sizeof(conf), "motcua.conf");
	assert_int_equal(th_write_file(conf, "portal_client_secret = "
				       "bi-mat\n"), 0);
	assert_int_equal(chmod(conf, 0644), 0);

	assert_int_equal(doctor((const char *[]){ "--config", conf, NULL },
				&out), 1);
	assert_says(out, "FAIL", "database", "1 migration of this release "
		    "not applied");
	assert_says(out, "FAIL", "database", "motcua migrate --dry-run");
	assert_says(out, "WARN", "keys", "unit 000.00.04.H51: the "
		    "certificate expires");
	assert_says(out, "WARN", "config", "is readable by every user and "
		    "a secret is set");
	if (!th_pg()) {
		assert_says(out, "FAIL", "backups", "motcua-20200101T000000Z,"
			    " is");
		assert_says(out, "FAIL", "backups", "scheduled backup failed");
	}
	free(out);

	/* A files directory that is not there, on top. */
	snprintf(missing, sizeof(missing), "%s/nowhere", th_tmpdir());
	assert_int_equal(doctor((const char *[]){ "--files-dir", missing,
				NULL }, &out), 1);
	assert_says(out, "FAIL", "disk", "No such file or directory");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(healthy),
		cmocka_unit_test(broken),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
