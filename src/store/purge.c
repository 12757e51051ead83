/*
 * purge.c — retention and purge; see purge.h.
 */
#include "core/compat.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "store/catalog.h"
#include "store/dossiers.h"
#include "store/purge.h"

int64_t mc_purge_due_from(int64_t finished_at, int retention_years)
{
	struct mc_ymd y = mc_ymd_from_days(mc_local_day(finished_at));

	return mc_local_day_start(mc_days_from_ymd(y.year + retention_years +
						   1, 1, 1));
}

int mc_purge_due(struct mc_conn *c, int64_t after, int64_t now, int max,
		 struct mc_purge_due *out, int64_t *next, struct mc_err *err)
{
	/*
	 * Candidates finished before 1 January of last year at the latest
	 * (a period is one year at least), through dossiers_report's
	 * finished_at; whether each one's own period is over is decided
	 * here, in whole years.
	 */
	static const char sql[] = "SELECT d.id, d.code, p.code, d.finished_at, "
		"v.retention_years FROM dossiers d JOIN procedure_versions v "
		"ON v.id = d.version_id JOIN procedures p ON p.id = "
		"v.procedure_id WHERE d.id > ?1 AND d.finished_at < ?2 AND "
		"d.purged_at IS NULL AND v.retention_years IS NOT NULL AND "
		"d.status IN ('returned', 'refused', 'withdrawn', 'stopped') "
		"ORDER BY d.id LIMIT ?3";
	struct mc_ymd y = mc_ymd_from_days(mc_local_day(now));
	struct mc_stmt *s = mc_sql(c, sql, err);
	int n = 0, seen = 0, rc;

	*next = 0;
	if (!s)
		return err && err->code ? err->code : MC_EDB;
	mc_sql_int(s, 1, after);
	mc_sql_time(s, 2, mc_local_day_start(mc_days_from_ymd(y.year - 1, 1,
							      1)));
	mc_sql_int(s, 3, max);
	while ((rc = mc_sql_step(s, err)) == 1) {
		struct mc_purge_due *d = &out[n];

		seen++;
		*next = mc_sql_col_int(s, 0);
		d->id = *next;
		mc_sql_col_copy(s, 1, d->code, sizeof(d->code));
		mc_sql_col_copy(s, 2, d->procedure_code,
				sizeof(d->procedure_code));
		d->finished_at = mc_sql_col_time(s, 3);
		d->retention_years = (int)mc_sql_col_int(s, 4);
		if (now >= mc_purge_due_from(d->finished_at,
					     d->retention_years))
			n++;
	}
	if (rc < 0)
		return rc;
	if (seen < max)
		*next = 0;
	return n;
}

int mc_purge_files(struct mc_conn *c, int64_t id,
		   char out[][MC_SHA256_HEX], struct mc_err *err)
{
	static const char sql[] = "SELECT file_sha256 FROM "
		"dossier_components WHERE dossier_id = ?1 AND file_sha256 IS "
		"NOT NULL UNION SELECT file_sha256 FROM dossier_component_files "
		"WHERE dossier_id = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int n = 0, rc;

	if (!s)
		return err && err->code ? err->code : MC_EDB;
	mc_sql_int(s, 1, id);
	while ((rc = mc_sql_step(s, err)) == 1)
		if (n < MC_PURGE_MAX_FILES)
			mc_sql_col_copy(s, 0, out[n++], MC_SHA256_HEX);
	return rc < 0 ? rc : n;
}

/* Runs 'sql' with the dossier's id as ?1 (and 'text' as ?2 if given). */
static int run(struct mc_conn *c, const char *sql, int64_t id,
	       const char *text, struct mc_err *err)
{
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return err && err->code ? err->code : MC_EDB;
	mc_sql_int(s, 1, id);
	if (text)
		mc_sql_text(s, 2, text);
	return mc_sql_exec(s, err);
}

int mc_purge_dossier(struct mc_conn *c, const struct mc_purge_due *d,
		     const char *archive, const char *by, int64_t now,
		     struct mc_purge_result *out, struct mc_err *err)
{
	static const char mark[] = "UPDATE dossiers SET applicant_name = ?2, "
		"applicant_name_folded = '(da xoa)', applicant_id_number = '', "
		"applicant_phone = NULL, applicant_email = NULL, "
		"applicant_address = NULL, applicant_categories = '', "
		"purged_at = ?3 WHERE id = ?1 AND purged_at IS NULL";
	/* Everything personal the dossier's rows hold besides. */
	static const char *const strip[] = {
		"UPDATE dossier_components SET file_sha256 = NULL, "
		"scan_signature = NULL WHERE dossier_id = ?1",
		"DELETE FROM dossier_component_files WHERE dossier_id = ?1",
		"UPDATE payments SET payer_name = ?2 WHERE dossier_id = ?1",
		"UPDATE messages SET recipient = ?2, body = ?2, subject = NULL, "
		"fallback_body = NULL WHERE dossier_id = ?1",
		"UPDATE ratings SET comment = '' WHERE dossier_id = ?1",
		"UPDATE portal_outbox SET body = '{}' WHERE dossier_id = ?1",
		"UPDATE portal_inbound SET body = '{}' WHERE dossier_id = ?1",
	};
	/* A stored file goes once nothing at all refers to it. */
	static const char unref[] = "DELETE FROM files WHERE sha256 = ?2 AND "
		"CAST(?1 AS BIGINT) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dossier_components WHERE "
		"file_sha256 = ?2) AND NOT EXISTS (SELECT 1 FROM "
		"dossier_component_files WHERE file_sha256 = ?2) AND NOT EXISTS "
		"(SELECT 1 FROM documents WHERE file_sha256 = ?2) AND NOT "
		"EXISTS (SELECT 1 FROM results WHERE file_sha256 = ?2) AND NOT "
		"EXISTS (SELECT 1 FROM uploads WHERE sha256 = ?2)";
	static const char log[] = "INSERT INTO purges (dossier_id, "
		"dossier_code, procedure_code, finished_at, retention_years, "
		"archive, files_removed, purged_by, purged_at) VALUES (?1, ?2, "
		"?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	static const struct mc_user system = { .username = MC_SYSTEM_ACTOR };
	char shas[MC_PURGE_MAX_FILES][MC_SHA256_HEX], note[512], detail[512];
	struct mc_dossier *dos;
	struct mc_stmt *s;
	int nshas = 0, rc;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!(s = mc_sql(c, mark, err)))
		return err && err->code ? err->code : MC_EDB;
	mc_sql_int(s, 1, d->id);
	mc_sql_text(s, 2, MC_PURGED_NAME);
	mc_sql_time(s, 3, now);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	if (mc_sql_changes(c) != 1)
		return 0;		/* purged meanwhile */
	if ((nshas = mc_purge_files(c, d->id, shas, err)) < 0)
		return nshas;
	for (i = 0; i < MC_ARRAY_SIZE(strip); i++)
		if ((rc = run(c, strip[i], d->id, strstr(strip[i], "?2") ?
			      MC_PURGED_NAME : NULL, err)))
			return rc;
	for (i = 0; i < (size_t)nshas; i++) {
		if ((rc = run(c, unref, d->id, shas[i], err)))
			return rc;
		if (mc_sql_changes(c) == 1)
			memcpy(out->gone[out->ngone++], shas[i],
			       MC_SHA256_HEX);
	}
	if (!(s = mc_sql(c, log, err)))
		return err && err->code ? err->code : MC_EDB;
	mc_sql_int(s, 1, d->id);
	mc_sql_text(s, 2, d->code);
	mc_sql_text(s, 3, d->procedure_code);
	mc_sql_time(s, 4, d->finished_at);
	mc_sql_int(s, 5, d->retention_years);
	mc_sql_text(s, 6, archive);
	mc_sql_int(s, 7, out->ngone);
	mc_sql_text(s, 8, by);
	mc_sql_time(s, 9, now);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	/* The purge in the dossier's own chain. */
	dos = mc_calloc(1, sizeof(*dos));
	rc = mc_dossier_get(c, d->code, dos, err);
	if (!rc) {
		snprintf(note, sizeof(note), "Đã hết thời hạn lưu trữ %d năm: "
			 "hồ sơ đã nộp lưu, dữ liệu cá nhân đã được xoá",
			 d->retention_years);
		snprintf(detail, sizeof(detail), "archive=%s by=%s files=%d",
			 archive, by, out->ngone);
		rc = mc_dossier_event_add(c, dos, &system, "purge", note,
					  detail, now, err);
	}
	mc_dossier_release(dos);
	mc_free(dos);
	out->done = rc == 0;
	return rc;
}
