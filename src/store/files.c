/*
 * files.c — stored files and uploads as recorded (see files.h).
 */
#include "core/compat.h"
#include "store/files.h"

int mc_upload_create(struct mc_conn *c, const struct mc_upload *u,
		     struct mc_err *err)
{
	static const char sql[] = "INSERT INTO uploads (id, owner, length, "
		"received, filename, status, created_at, updated_at, "
		"expires_at) VALUES (?1, ?2, ?3, 0, ?4, 'receiving', ?5, ?5, ?6)";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, u->id);
	mc_sql_text(s, 2, u->owner);
	mc_sql_int(s, 3, u->length);
	mc_sql_text_opt(s, 4, u->filename);
	mc_sql_time(s, 5, u->created_at);
	mc_sql_time(s, 6, u->expires_at);
	return mc_sql_exec(s, err);
}

int mc_upload_get(struct mc_conn *c, const char *id, const char *owner,
		  struct mc_upload *out, struct mc_err *err)
{
	static const char sql[] = "SELECT id, owner, length, received, "
		"COALESCE(filename, ''), COALESCE(media_type, ''), "
		"COALESCE(sha256, ''), status, created_at, expires_at FROM "
		"uploads WHERE id = ?1 AND owner = ?2";
	struct mc_stmt *s = mc_sql(c, sql, err);
	char status[16];
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, id);
	mc_sql_text(s, 2, owner);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_ENOTFOUND, "no upload %s",
					      id);
	memset(out, 0, sizeof(*out));
	mc_sql_col_copy(s, 0, out->id, sizeof(out->id));
	mc_sql_col_copy(s, 1, out->owner, sizeof(out->owner));
	out->length = mc_sql_col_int(s, 2);
	out->received = mc_sql_col_int(s, 3);
	mc_sql_col_copy(s, 4, out->filename, sizeof(out->filename));
	mc_sql_col_copy(s, 5, out->media_type, sizeof(out->media_type));
	mc_sql_col_copy(s, 6, out->sha256, sizeof(out->sha256));
	mc_sql_col_copy(s, 7, status, sizeof(status));
	out->complete = !strcmp(status, "complete");
	out->created_at = mc_sql_col_time(s, 8);
	out->expires_at = mc_sql_col_time(s, 9);
	mc_sql_reset(s);
	return 0;
}

int mc_upload_advance(struct mc_conn *c, const char *id, int64_t from,
		      int64_t n, const char *media_type, int64_t now,
		      struct mc_err *err)
{
	static const char sql[] = "UPDATE uploads SET received = received + "
		"?3, media_type = COALESCE(media_type, ?4), updated_at = ?5, "
		"lease_until = NULL WHERE id = ?1 AND received = ?2 AND status "
		"= 'receiving'";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, id);
	mc_sql_int(s, 2, from);
	mc_sql_int(s, 3, n);
	mc_sql_text_opt(s, 4, media_type);
	mc_sql_time(s, 5, now);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	return mc_sql_changes(c) == 1 ? 0 :
	       mc_err_rule(err, MC_ECONFLICT, "Upload-Offset", "offset",
			   "the upload is no longer at offset %" PRId64, from);
}

int mc_upload_lease(struct mc_conn *c, const char *id, int64_t from,
		    int64_t now, int64_t until, struct mc_err *err)
{
	static const char take[] = "UPDATE uploads SET lease_until = ?4 WHERE "
		"id = ?1 AND received = ?2 AND status = 'receiving' AND "
		"(lease_until IS NULL OR lease_until < ?3)";
	static const char give[] = "UPDATE uploads SET lease_until = NULL "
		"WHERE id = ?1";
	struct mc_stmt *s = mc_sql(c, until ? take : give, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, id);
	if (until) {
		mc_sql_int(s, 2, from);
		mc_sql_time(s, 3, now);
		mc_sql_time(s, 4, until);
	}
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	return !until || mc_sql_changes(c) == 1 ? 0 :
	       mc_err_rule(err, MC_ECONFLICT, "Upload-Offset", "busy",
			   "another request is writing this upload, or it "
			   "moved on from offset %" PRId64, from);
}

int mc_upload_owned(struct mc_conn *c, const char *sha256, const char *owner,
		    const char *field, struct mc_err *err)
{
	static const char sql[] = "SELECT 1 FROM uploads WHERE sha256 = ?1 "
		"AND owner = ?2";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, sha256);
	mc_sql_text(s, 2, owner);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_err_field(err, field, "uploaded", "no "
						  "file you uploaded has this "
						  "hash");
	mc_sql_reset(s);
	return 0;
}

int mc_file_add(struct mc_conn *c, const char *sha256, int64_t size,
		const char *media_type, int64_t now, struct mc_err *err)
{
	static const char sql[] = "INSERT INTO files (sha256, size, "
		"media_type, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT "
		"DO NOTHING";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, sha256);
	mc_sql_int(s, 2, size);
	mc_sql_text(s, 3, media_type);
	mc_sql_time(s, 4, now);
	return mc_sql_exec(s, err);
}

int mc_upload_complete(struct mc_conn *c, const char *id,
		       const char *sha256, int64_t size,
		       const char *media_type, int64_t now,
		       struct mc_err *err)
{
	static const char up[] = "UPDATE uploads SET sha256 = ?2, status = "
		"'complete', updated_at = ?3 WHERE id = ?1";
	struct mc_stmt *s;
	int rc;

	if ((rc = mc_file_add(c, sha256, size, media_type, now, err)))
		return rc;
	if (!(s = mc_sql(c, up, err)))
		return MC_EDB;
	mc_sql_text(s, 1, id);
	mc_sql_text(s, 2, sha256);
	mc_sql_time(s, 3, now);
	return mc_sql_exec(s, err);
}

int mc_upload_delete(struct mc_conn *c, const char *id, struct mc_err *err)
{
	static const char sql[] = "DELETE FROM uploads WHERE id = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, id);
	return mc_sql_exec(s, err);
}

int mc_upload_sweep(struct mc_conn *c, int64_t now, int max,
		    char (*ids)[MC_UPLOAD_ID], int *n, struct mc_err *err)
{
	/* One statement: of two sweepers, each upload goes to one. */
	static const char sql[] = "DELETE FROM uploads WHERE id IN (SELECT id "
		"FROM uploads WHERE status = 'receiving' AND expires_at < ?1 "
		"ORDER BY expires_at LIMIT ?2) RETURNING id";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	*n = 0;
	if (!s)
		return MC_EDB;
	mc_sql_time(s, 1, now);
	mc_sql_int(s, 2, max);
	while ((rc = mc_sql_step(s, err)) == 1 && *n < max)
		mc_sql_col_copy(s, 0, ids[(*n)++], MC_UPLOAD_ID);
	mc_sql_reset(s);
	return rc < 0 ? rc : 0;
}

int mc_file_readable(struct mc_conn *c, const char *sha256,
		     const struct mc_file_reader *rd, struct mc_file *out,
		     struct mc_err *err)
{
	static const char sql[] = "SELECT f.sha256, f.size, f.media_type, "
		"COALESCE((SELECT u.filename FROM uploads u WHERE u.sha256 = "
		"f.sha256 AND u.owner = ?2 ORDER BY u.created_at DESC LIMIT 1), "
		"'') FROM files f WHERE f.sha256 = ?1 AND (EXISTS (SELECT 1 "
		"FROM uploads u WHERE u.sha256 = f.sha256 AND u.owner = ?2) OR "
		"(?3 <> '' AND EXISTS (SELECT 1 FROM dossier_components dc JOIN "
		"dossier_units du ON du.dossier_id = dc.dossier_id JOIN units n "
		"ON n.id = du.unit_id WHERE dc.file_sha256 = f.sha256 AND "
		"substr(n.path, 1, length(CAST(?3 AS TEXT))) = ?3)) OR (?4 <> "
		"'' AND EXISTS (SELECT 1 FROM dossier_components dc JOIN "
		"dossiers d ON d.id = dc.dossier_id WHERE dc.file_sha256 = "
		"f.sha256 AND d.applicant_id_number = ?4)) OR (?3 <> '' AND "
		"EXISTS (SELECT 1 FROM dossier_component_files cf JOIN "
		"dossier_units du ON du.dossier_id = cf.dossier_id JOIN units n "
		"ON n.id = du.unit_id WHERE cf.file_sha256 = f.sha256 AND "
		"substr(n.path, 1, length(CAST(?3 AS TEXT))) = ?3)) OR (?4 <> "
		"'' AND EXISTS (SELECT 1 FROM dossier_component_files cf JOIN "
		"dossiers d ON d.id = cf.dossier_id WHERE cf.file_sha256 = "
		"f.sha256 AND d.applicant_id_number = ?4)) OR (?4 <> '' AND "
		"EXISTS (SELECT 1 FROM documents dd WHERE dd.file_sha256 = "
		"f.sha256 AND dd.owner_id = ?4)) OR (?3 <> '' AND EXISTS "
		"(SELECT 1 FROM results rs JOIN dossier_units du ON "
		"du.dossier_id = rs.dossier_id JOIN units n ON n.id = "
		"du.unit_id WHERE rs.file_sha256 = f.sha256 AND substr(n.path, "
		"1, length(CAST(?3 AS TEXT))) = ?3)))";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, sha256);
	mc_sql_text(s, 2, rd->owner);
	mc_sql_text(s, 3, rd->unit_path ? rd->unit_path : "");
	mc_sql_text(s, 4, rd->id_number ? rd->id_number : "");
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_ENOTFOUND, "no file %s",
					      sha256);
	memset(out, 0, sizeof(*out));
	mc_sql_col_copy(s, 0, out->sha256, sizeof(out->sha256));
	out->size = mc_sql_col_int(s, 1);
	mc_sql_col_copy(s, 2, out->media_type, sizeof(out->media_type));
	mc_sql_col_copy(s, 3, out->filename, sizeof(out->filename));
	mc_sql_reset(s);
	return 0;
}

int mc_component_file_add(struct mc_conn *c, int64_t dossier_id,
			  const char *code, int ordinal, const char *sha256,
			  const char *name, struct mc_err *err)
{
	static const char sql[] = "INSERT INTO dossier_component_files "
		"(dossier_id, component_code, ordinal, file_sha256, file_name) "
		"VALUES (?1, ?2, ?3, ?4, ?5)";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, dossier_id);
	mc_sql_text(s, 2, code);
	mc_sql_int(s, 3, ordinal);
	mc_sql_text(s, 4, sha256);
	mc_sql_text_opt(s, 5, name);
	return mc_sql_exec(s, err);
}

int mc_component_files(struct mc_conn *c, int64_t dossier_id,
		       mc_component_file_fn *fn, void *arg,
		       struct mc_err *err)
{
	static const char sql[] = "SELECT cf.component_code, cf.file_sha256, "
		"f.media_type, f.size, COALESCE(cf.file_name, '') FROM "
		"dossier_component_files cf JOIN files f ON f.sha256 = "
		"cf.file_sha256 WHERE cf.dossier_id = ?1 ORDER BY "
		"cf.component_code, cf.ordinal";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, dossier_id);
	while ((rc = mc_sql_step(s, err)) == 1)
		fn(mc_sql_col_text(s, 0), mc_sql_col_text(s, 1),
		   mc_sql_col_text(s, 2), mc_sql_col_int(s, 3),
		   mc_sql_col_text(s, 4), arg);
	return rc < 0 ? rc : 0;
}
