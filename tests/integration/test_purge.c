/*
 * test_purge.c — retention and purge (docs/personal-data.md): finished
 * dossiers whose procedure keeps its records five years, finished in
 * 2019, are due from 1 January 2025; 'motcua purge --dry-run' names them
 * and changes nothing; 'motcua purge' hands each one's record and papers
 * to the archive, then removes their personal data, logs each purge (in
 * purges and as the last event of its chain, which still verifies), and
 * removes the stored files nothing refers to any more — not one another
 * dossier still names. A dossier not due is untouched. And the
 * statistics extract names nobody: pseudonyms only, the same for one
 * person under one key. SQLite and PostgreSQL.
 */
#include "core/compat.h"
#include "harness/harness.h"
#include "files/blobs.h"
#include "store/purge.h"

#include <sys/stat.h>
#include <time.h>
#include <utime.h>

static char db[600], files[700], archive[700];

static int setup(void **state)
{
	char *out = NULL, *err = NULL;

	(void)state;
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	th_db(db, sizeof(db), "purge");
	snprintf(files, sizeof(files), "%s/files", th_tmpdir());
	snprintf(archive, sizeof(archive), "%s/archive", th_tmpdir());
	if (th_motcua((const char *[]){ "migrate", "--db", db, NULL }, NULL,
		      NULL, NULL) ||
	    th_motcua((const char *[]){ "demo", "--db", db, "--dossiers", "60",
		      "--files-dir", files, NULL }, NULL, &out, &err))
		fail_msg("demo: %s %s", out, err);
	free(out);
	free(err);
	return 0;
}

/* A stored file of 'n' bytes (a PDF), its row, its bytes made old. */
static void stored(const char *tag, char sha[MC_SHA256_HEX])
{
	struct mc_err err = MC_ERR_INIT;
	struct utimbuf old = { 1500000000, 1500000000 };
	char pdf[200], path[MC_BLOB_PATH_MAX], sql[400];
	int n = snprintf(pdf, sizeof(pdf), "%%PDF-1.4\n%% %s\n%%%%EOF\n", tag);

	assert_int_equal(mc_blob_put(files, pdf, (size_t)n, sha, &err), 0);
	mc_blob_path(files, sha, path, sizeof(path));
	assert_int_equal(utime(path, &old), 0);
	snprintf(sql, sizeof(sql), "INSERT INTO files (sha256, size, "
		 "media_type, created_at) VALUES ('%s', %d, 'application/pdf', "
		 "'2019-05-01T02:00:00Z')", sha, n);
	assert_int_equal(th_db_exec(db, sql, sql), 0);
}

static void attach(const char *code, const char *sha)
{
	char sql[400];

	snprintf(sql, sizeof(sql), "UPDATE dossier_components SET file_sha256 "
		 "= '%s' WHERE ordinal = 0 AND dossier_id = (SELECT id FROM "
		 "dossiers WHERE code = '%s')", sha, code);
	assert_int_equal(th_db_exec(db, sql, sql), 0);
}

static int64_t count(const char *sql, const char *param)
{
	return th_db_int(db, sql, (const char *[]){ param, NULL });
}

static bool blob_there(const char *sha)
{
	char path[MC_BLOB_PATH_MAX];
	struct stat st;

	mc_blob_path(files, sha, path, sizeof(path));
	return stat(path, &st) == 0;
}

static void purged(void **state)
{
	char due1[96], due2[96], kept[96], a[MC_SHA256_HEX], b[MC_SHA256_HEX];
	char path[900], *out = NULL, *err = NULL, *text;
	const char *p;
	int64_t ndue, lines = 0;

	(void)state;
	/*
	 * The finished dossiers of the procedure with the most of them keep
	 * five years and finished in 2019, but one left as it is.
	 */
	assert_int_equal(th_db_exec(db, "CREATE TABLE t_pick AS SELECT v.id "
		"AS version_id FROM dossiers d JOIN procedure_versions v ON v.id "
		"= d.version_id WHERE d.status IN ('returned', 'refused', "
		"'withdrawn', 'stopped') GROUP BY v.id ORDER BY COUNT(*) DESC, "
		"v.id LIMIT 1", "CREATE TABLE t_pick AS SELECT v.id AS "
		"version_id FROM dossiers d JOIN procedure_versions v ON v.id = "
		"d.version_id WHERE d.status IN ('returned', 'refused', "
		"'withdrawn', 'stopped') GROUP BY v.id ORDER BY COUNT(*) DESC, "
		"v.id LIMIT 1"), 0);
	assert_int_equal(th_db_exec(db, "UPDATE procedure_versions SET "
		"retention_years = 5 WHERE id IN (SELECT version_id FROM t_pick)",
		"UPDATE procedure_versions SET retention_years = 5 WHERE id IN "
		"(SELECT version_id FROM t_pick)"), 0);
	assert_int_equal(th_db_exec(db, "UPDATE dossiers SET finished_at = "
		"'2019-06-01T02:00:00Z' WHERE version_id IN (SELECT version_id "
		"FROM t_pick) AND status IN ('returned', 'refused', 'withdrawn', "
		"'stopped') AND id > (SELECT MIN(d.id) FROM dossiers d WHERE "
		"d.version_id IN (SELECT version_id FROM t_pick) AND d.status IN "
		"('returned', 'refused', 'withdrawn', 'stopped'))", "UPDATE "
		"dossiers SET finished_at = '2019-06-01T02:00:00Z' WHERE "
		"version_id IN (SELECT version_id FROM t_pick) AND status IN "
		"('returned', 'refused', 'withdrawn', 'stopped') AND id > (SELECT "
		"MIN(d.id) FROM dossiers d WHERE d.version_id IN (SELECT "
		"version_id FROM t_pick) AND d.status IN ('returned', "
		"'refused', 'withdrawn', 'stopped'))"), 0);
	ndue = count("SELECT COUNT(*) FROM dossiers WHERE finished_at = ?1",
		     "2019-06-01T02:00:00Z");
	assert_true(ndue >= 2);
	/* Two due dossiers and one kept one, by their codes. */
	{
		struct mc_err e = MC_ERR_INIT;
		struct mc_store_opts so = { .url = db };
		struct mc_store *st = NULL;
		struct mc_conn *c = NULL;
		struct mc_stmt *s;

		assert_int_equal(mc_store_open(&so, &st, &e), 0);
		assert_int_equal(mc_store_connect(st, &c, &e), 0);
		s = mc_sql(c, "SELECT code FROM dossiers WHERE finished_at = "
			   "'2019-06-01T02:00:00Z' ORDER BY id", &e);
		assert_int_equal(mc_sql_step(s, &e), 1);
		mc_sql_col_copy(s, 0, due1, sizeof(due1));
		assert_int_equal(mc_sql_step(s, &e), 1);
		mc_sql_col_copy(s, 0, due2, sizeof(due2));
		mc_sql_reset(s);
		s = mc_sql(c, "SELECT code FROM dossiers WHERE finished_at IS "
			   "NOT NULL AND finished_at <> '2019-06-01T02:00:00Z' "
			   "ORDER BY id", &e);
		assert_int_equal(mc_sql_step(s, &e), 1);
		mc_sql_col_copy(s, 0, kept, sizeof(kept));
		mc_sql_reset(s);
		mc_conn_close(c);
		mc_store_close(st);
	}
	/* A's only dossier is due; B is also a paper of one that is not. */
	stored("rieng", a);
	stored("chung", b);
	attach(due1, a);
	attach(due2, b);
	attach(kept, b);

	/* Named, and nothing changed. */
	assert_int_equal(th_motcua((const char *[]){ "purge", "--dry-run",
		"--db", db, NULL }, NULL, &out, &err), 0);
	assert_non_null(strstr(out, due1));
	assert_non_null(strstr(out, due2));
	assert_null(strstr(out, kept));
	assert_non_null(strstr(out, "kept 5 years: since "
			       "2025-01-01T00:00:00+07:00"));
	free(out);
	free(err);
	assert_int_equal(count("SELECT COUNT(*) FROM dossiers WHERE "
			       "applicant_name = ?1", MC_PURGED_NAME), 0);
	/* Before its time, nothing: --as-of is for looking only. */
	assert_int_equal(th_motcua((const char *[]){ "purge", "--archive-dir",
		archive, "--as-of", "2031-01-01", "--db", db, NULL }, NULL,
		NULL, NULL), 2);
	assert_int_equal(th_motcua((const char *[]){ "purge", "--dry-run",
		"--as-of", "2024-12-31", "--db", db, NULL }, NULL, &out, NULL),
		0);
	assert_non_null(strstr(out, "0 dossiers due"));
	free(out);

	/* Archived, then purged. */
	assert_int_equal(th_motcua((const char *[]){ "purge", "--archive-dir",
		archive, "--by", "van-thu", "--db", db, "--files-dir", files,
		NULL }, NULL, &out, &err), 0);
	out[strcspn(out, "\n")] = '\0';
	snprintf(path, sizeof(path), "%s", out);
	assert_non_null(strstr(err, "file removed"));
	free(out);
	free(err);
	text = th_read_file(path, NULL);
	assert_non_null(text);
	for (p = text; (p = strchr(p, '\n')); p++)
		lines++;
	assert_int_equal(lines, ndue);
	assert_non_null(strstr(text, due1));
	assert_non_null(strstr(text, "\"applicant_id_number\":\"05"));
	assert_null(strstr(text, kept));
	free(text);
	/* The archive holds both papers' files. */
	{
		char adir[800], ap[MC_BLOB_PATH_MAX];
		struct stat st;

		snprintf(adir, sizeof(adir), "%s/files", archive);
		mc_blob_path(adir, a, ap, sizeof(ap));
		assert_int_equal(stat(ap, &st), 0);
		mc_blob_path(adir, b, ap, sizeof(ap));
		assert_int_equal(stat(ap, &st), 0);
	}
	/* Nothing personal left of the due ones; statistics as they were. */
	assert_int_equal(count("SELECT COUNT(*) FROM dossiers WHERE "
			       "applicant_name = ?1 AND applicant_phone IS NULL "
			       "AND applicant_address IS NULL AND "
			       "applicant_id_number = '' AND purged_at IS NOT "
			       "NULL", MC_PURGED_NAME), ndue);
	assert_int_equal(count("SELECT COUNT(*) FROM dossiers WHERE "
			       "finished_at = ?1 AND status IN ('returned', "
			       "'refused', 'withdrawn', 'stopped')",
			       "2019-06-01T02:00:00Z"), ndue);
	assert_int_equal(count("SELECT COUNT(*) FROM payments p JOIN dossiers "
			       "d ON d.id = p.dossier_id WHERE d.purged_at IS "
			       "NOT NULL AND p.payer_name <> ?1",
			       MC_PURGED_NAME), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM messages m JOIN dossiers "
			       "d ON d.id = m.dossier_id WHERE d.purged_at IS "
			       "NOT NULL AND m.recipient <> ?1",
			       MC_PURGED_NAME), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM dossiers WHERE code = ?1 "
			       "AND applicant_name <> '(đã xoá)' AND purged_at "
			       "IS NULL", kept), 1);
	/* Logged: who, when, where it went, in purges and in the chain. */
	assert_int_equal(count("SELECT COUNT(*) FROM purges WHERE purged_by = "
			       "?1 AND retention_years = 5", "van-thu"), ndue);
	assert_int_equal(count("SELECT COUNT(*) FROM dossier_events e JOIN "
			       "dossiers d ON d.id = e.dossier_id WHERE d.code "
			       "= ?1 AND e.action = 'purge' AND e.seq = (SELECT "
			       "MAX(seq) FROM dossier_events WHERE dossier_id = "
			       "d.id)", due1), 1);
	assert_int_equal(th_motcua((const char *[]){ "audit", "verify", "--db",
				   db, NULL }, NULL, NULL, NULL), 0);
	/* A's bytes and row gone; B's kept, another dossier names it. */
	assert_int_equal(count("SELECT COUNT(*) FROM files WHERE sha256 = ?1",
			       a), 0);
	assert_false(blob_there(a));
	assert_int_equal(count("SELECT COUNT(*) FROM files WHERE sha256 = ?1",
			       b), 1);
	assert_true(blob_there(b));
	/* Done once: nothing is due any more. */
	assert_int_equal(th_motcua((const char *[]){ "purge", "--dry-run",
		"--db", db, NULL }, NULL, &out, NULL), 0);
	assert_non_null(strstr(out, "0 dossiers due"));
	free(out);
}

/* One column 'col' (0-based) of CSV line 'line' (no quotes in it). */
static void column(const char *line, int col, char *out, size_t n)
{
	int i;

	for (i = 0; i < col && line; i++)
		line = strchr(line, ',') ? strchr(line, ',') + 1 : NULL;
	snprintf(out, n, "%.*s", line ? (int)strcspn(line, ",\r\n") : 0,
		 line ? line : "");
}

/*
 * 'motcua report dossiers': a line per dossier received, the applicant a
 * pseudonym keyed by pseudonym_key — the same for one person in every
 * extract with that key, another with another key — and nothing else
 * that names them.
 */
static void extract(void **state)
{
	/* The demo's dossiers are of the last few months: all of them. */
	char from[16], to[16];
	const char *args[] = { "report", "dossiers", "--from", from, "--to",
		to, "--db", db, "--pseudonym-key", "k1", NULL };
	char *one = NULL, *two = NULL, *other = NULL, *line, *save = NULL;
	char sql[300], p1[40], p2[40], name[200], id[40];
	int64_t lines = 0;
	time_t now = time(NULL), t;
	struct tm tm;

	(void)state;
	t = now - 1000 * 86400;
	strftime(from, sizeof(from), "%Y-%m-%d", gmtime_r(&t, &tm));
	t = now + 30 * 86400;
	strftime(to, sizeof(to), "%Y-%m-%d", gmtime_r(&t, &tm));
	assert_int_equal(th_motcua(args, NULL, &one, NULL), 0);
	assert_int_equal(th_motcua(args, NULL, &two, NULL), 0);
	assert_string_equal(one, two);
	args[9] = "k2";
	assert_int_equal(th_motcua(args, NULL, &other, NULL), 0);
	assert_string_not_equal(one, other);
	/* One person's two dossiers: one pseudonym; no name, no number. */
	{
		struct mc_err e = MC_ERR_INIT;
		struct mc_store_opts so = { .url = db };
		struct mc_store *st = NULL;
		struct mc_conn *c = NULL;
		struct mc_stmt *s;

		assert_int_equal(mc_store_open(&so, &st, &e), 0);
		assert_int_equal(mc_store_connect(st, &c, &e), 0);
		s = mc_sql(c, "SELECT applicant_name, applicant_id_number FROM "
			   "dossiers WHERE applicant_id_number <> '' ORDER BY "
			   "id", &e);
		while (mc_sql_step(s, &e) == 1) {
			mc_sql_col_copy(s, 0, name, sizeof(name));
			mc_sql_col_copy(s, 1, id, sizeof(id));
			assert_null(strstr(one, name));
			assert_null(strstr(one, id));
		}
		mc_conn_close(c);
		mc_store_close(st);
	}
	snprintf(sql, sizeof(sql), "UPDATE dossiers SET applicant_id_number = "
		 "(SELECT applicant_id_number FROM dossiers WHERE "
		 "applicant_id_number <> '' ORDER BY id LIMIT 1) WHERE id = "
		 "(SELECT MAX(id) FROM dossiers)");
	assert_int_equal(th_db_exec(db, sql, sql), 0);
	free(two);
	args[9] = "k1";
	assert_int_equal(th_motcua(args, NULL, &two, NULL), 0);
	for (line = strtok_r(two, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (lines++ == 0)
			continue;
		column(line, 0, p2, sizeof(p2));
		if (lines == 2)
			snprintf(p1, sizeof(p1), "%s", p2);
		assert_true(strlen(p2) == 32 || strlen(p2) == 0);
	}
	/* The first dossier and the last, now of the same person. */
	assert_string_equal(p1, p2);
	assert_int_equal(lines - 1, th_db_int(db, "SELECT COUNT(*) FROM "
		"dossiers WHERE received_at IS NOT NULL", NULL));
	free(one);
	free(two);
	free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(purged),
		cmocka_unit_test(extract),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
