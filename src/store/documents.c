/*
 * documents.c — the personal data store (see documents.h).
 */
#include "core/compat.h"
#include "core/timeutil.h"
#include "store/documents.h"

bool mc_document_reusable(const struct mc_document *d, const char *owner,
			  const char *type, int32_t today)
{
	char day[16];

	mc_date_format(today, day, sizeof(day));
	return !strcmp(d->owner_id, owner) && !strcmp(d->type_code, type) &&
	       !strcmp(d->status, "valid") && d->verified &&
	       (!d->valid_until[0] || strcmp(d->valid_until, day) >= 0);
}

int mc_document_type_known(struct mc_conn *c, const char *code,
			   struct mc_err *err)
{
	static const char sql[] = "SELECT 1 FROM document_types WHERE code "
		"= ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, code);
	rc = mc_sql_step(s, err);
	if (rc == 1)
		mc_sql_reset(s);
	return rc < 0 ? rc : rc == 1 ? 0 : MC_ENOTFOUND;
}

int mc_document_add(struct mc_conn *c, struct mc_document *d,
		    int64_t source_dossier_id, int64_t certified_by_id,
		    const char *signature, int64_t now, struct mc_err *err)
{
	static const char sql[] = "INSERT INTO documents (owner_id, "
		"type_code, number, issuer, issued_on, valid_until, status, "
		"source, source_dossier_id, file_sha256, verified, "
		"certified_by, signature, created_at, updated_at) VALUES (?1, "
		"?2, ?3, ?4, ?5, ?6, 'valid', ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
		"?13) RETURNING id";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, d->owner_id);
	mc_sql_text(s, 2, d->type_code);
	mc_sql_text_opt(s, 3, d->number);
	mc_sql_text_opt(s, 4, d->issuer);
	mc_sql_text_opt(s, 5, d->issued_on);
	mc_sql_text_opt(s, 6, d->valid_until);
	mc_sql_text(s, 7, d->source);
	mc_sql_id(s, 8, source_dossier_id);
	mc_sql_text(s, 9, d->file_sha256);
	mc_sql_int(s, 10, d->verified);
	mc_sql_id(s, 11, certified_by_id);
	mc_sql_text_opt(s, 12, signature);
	mc_sql_time(s, 13, now);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : MC_EDB;
	d->id = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	return 0;
}

#define DOC_COLS "d.id, d.owner_id, d.type_code, t.name, " \
	"COALESCE(d.number, ''), COALESCE(d.issuer, ''), " \
	"COALESCE(d.issued_on, ''), COALESCE(d.valid_until, ''), d.status, " \
	"d.source, COALESCE(x.code, ''), d.file_sha256, f.media_type, " \
	"d.verified, COALESCE(u.username, ''), d.created_at, f.size, " \
	"COALESCE((SELECT p.code FROM procedure_versions v JOIN procedures " \
	"p ON p.id = v.procedure_id WHERE v.id = x.version_id), ''), " \
	"COALESCE(r.code, ''), COALESCE(r.signer, '') FROM documents d " \
	"JOIN document_types t ON t.code = d.type_code JOIN files f ON " \
	"f.sha256 = d.file_sha256 LEFT JOIN dossiers x ON x.id = " \
	"d.source_dossier_id LEFT JOIN users u ON u.id = d.certified_by " \
	"LEFT JOIN results r ON r.document_id = d.id "

static void doc_row(struct mc_stmt *s, struct mc_document *d)
{
	memset(d, 0, sizeof(*d));
	d->id = mc_sql_col_int(s, 0);
	mc_sql_col_copy(s, 1, d->owner_id, sizeof(d->owner_id));
	mc_sql_col_copy(s, 2, d->type_code, sizeof(d->type_code));
	mc_sql_col_copy(s, 3, d->type_name, sizeof(d->type_name));
	mc_sql_col_copy(s, 4, d->number, sizeof(d->number));
	mc_sql_col_copy(s, 5, d->issuer, sizeof(d->issuer));
	mc_sql_col_copy(s, 6, d->issued_on, sizeof(d->issued_on));
	mc_sql_col_copy(s, 7, d->valid_until, sizeof(d->valid_until));
	mc_sql_col_copy(s, 8, d->status, sizeof(d->status));
	mc_sql_col_copy(s, 9, d->source, sizeof(d->source));
	mc_sql_col_copy(s, 10, d->source_dossier, sizeof(d->source_dossier));
	mc_sql_col_copy(s, 11, d->file_sha256, sizeof(d->file_sha256));
	mc_sql_col_copy(s, 12, d->media_type, sizeof(d->media_type));
	d->verified = mc_sql_col_int(s, 13) != 0;
	mc_sql_col_copy(s, 14, d->certified_by, sizeof(d->certified_by));
	d->created_at = mc_sql_col_time(s, 15);
	d->file_size = mc_sql_col_int(s, 16);
	mc_sql_col_copy(s, 17, d->source_procedure,
			sizeof(d->source_procedure));
	mc_sql_col_copy(s, 18, d->result_code, sizeof(d->result_code));
	mc_sql_col_copy(s, 19, d->signer, sizeof(d->signer));
}

int mc_document_list(struct mc_conn *c, const char *owner_id,
		     mc_document_fn *fn, void *arg, struct mc_err *err)
{
	static const char sql[] = "SELECT " DOC_COLS "WHERE d.owner_id = ?1 "
		"ORDER BY d.id DESC";
	struct mc_document d;
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc, n = 0;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, owner_id);
	while ((rc = mc_sql_step(s, err)) == 1) {
		doc_row(s, &d);
		fn(&d, arg);
		n++;
	}
	return rc < 0 ? rc : n;
}

int mc_document_get(struct mc_conn *c, int64_t id, struct mc_document *out,
		    struct mc_err *err)
{
	static const char sql[] = "SELECT " DOC_COLS "WHERE d.id = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_ENOTFOUND, "no document "
					      "%" PRId64, id);
	doc_row(s, out);
	mc_sql_reset(s);
	return 0;
}

int mc_access_log_add(struct mc_conn *c, const char *owner_id,
		      const struct mc_access *a, struct mc_err *err)
{
	static const char sql[] = "INSERT INTO access_log (owner_id, at, "
		"actor, actor_unit, action, document_id, purpose) VALUES (?1, "
		"?2, ?3, ?4, ?5, ?6, ?7)";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, owner_id);
	mc_sql_time(s, 2, a->at);
	mc_sql_text(s, 3, a->actor);
	mc_sql_text_opt(s, 4, a->actor_unit);
	mc_sql_text(s, 5, a->action);
	mc_sql_id(s, 6, a->document_id);
	mc_sql_text(s, 7, a->purpose);
	return mc_sql_exec(s, err);
}

int mc_access_log_registry(struct mc_conn *c, const char *owner_id,
			   const char *actor, const char *unit,
			   const char *purpose, int64_t at,
			   struct mc_err *err)
{
	struct mc_access a;

	memset(&a, 0, sizeof(a));
	a.at = at;
	snprintf(a.actor, sizeof(a.actor), "%s", actor);
	snprintf(a.actor_unit, sizeof(a.actor_unit), "%s", unit);
	snprintf(a.action, sizeof(a.action), "registry");
	snprintf(a.purpose, sizeof(a.purpose), "%s", purpose);
	return mc_access_log_add(c, owner_id, &a, err);
}

int mc_document_certify(struct mc_conn *c, int64_t id, int64_t officer_id,
			const char *signature, int64_t now,
			struct mc_err *err)
{
	static const char sql[] = "UPDATE documents SET verified = 1, "
		"certified_by = ?2, signature = ?3, updated_at = ?4 WHERE id = "
		"?1 AND verified = 0 AND status = 'valid'";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	mc_sql_int(s, 2, officer_id);
	mc_sql_text(s, 3, signature);
	mc_sql_time(s, 4, now);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	if (mc_sql_changes(c) != 1)
		return mc_err_rule(err, MC_ECONFLICT, "id", "status", "document "
				   "%" PRId64 " is verified already, or no "
				   "longer valid", id);
	return 0;
}

int mc_access_log_recent(struct mc_conn *c, const char *owner_id,
			 const struct mc_access *a, int64_t since,
			 struct mc_err *err)
{
	static const char sql[] = "SELECT 1 FROM access_log WHERE owner_id = "
		"?1 AND at >= ?2 AND actor = ?3 AND action = ?4 AND purpose = "
		"?5 LIMIT 1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, owner_id);
	mc_sql_time(s, 2, since);
	mc_sql_text(s, 3, a->actor);
	mc_sql_text(s, 4, a->action);
	mc_sql_text(s, 5, a->purpose);
	rc = mc_sql_step(s, err);
	mc_sql_reset(s);
	return rc;
}

int mc_access_log_list(struct mc_conn *c, const char *owner_id,
		       mc_access_fn *fn, void *arg, struct mc_err *err)
{
	static const char sql[] = "SELECT l.at, l.actor, COALESCE("
		"l.actor_unit, ''), l.action, COALESCE(l.document_id, 0), "
		"COALESCE(t.name, ''), l.purpose FROM access_log l LEFT JOIN "
		"documents d ON d.id = l.document_id LEFT JOIN document_types t "
		"ON t.code = d.type_code WHERE l.owner_id = ?1 ORDER BY l.id "
		"DESC";
	struct mc_access a;
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc, n = 0;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, owner_id);
	while ((rc = mc_sql_step(s, err)) == 1) {
		memset(&a, 0, sizeof(a));
		a.at = mc_sql_col_time(s, 0);
		mc_sql_col_copy(s, 1, a.actor, sizeof(a.actor));
		mc_sql_col_copy(s, 2, a.actor_unit, sizeof(a.actor_unit));
		mc_sql_col_copy(s, 3, a.action, sizeof(a.action));
		a.document_id = mc_sql_col_int(s, 4);
		mc_sql_col_copy(s, 5, a.document_type, sizeof(a.document_type));
		mc_sql_col_copy(s, 6, a.purpose, sizeof(a.purpose));
		fn(&a, arg);
		n++;
	}
	return rc < 0 ? rc : n;
}

int mc_document_expire(struct mc_conn *c, int32_t today, int64_t now,
		       int *n, struct mc_err *err)
{
	static const char sql[] = "UPDATE documents SET status = 'expired', "
		"updated_at = ?2 WHERE status = 'valid' AND valid_until < ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	char day[11];
	int rc;

	*n = 0;
	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, mc_date_format(today, day, sizeof(day)));
	mc_sql_time(s, 2, now);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	*n = (int)mc_sql_changes(c);
	return 0;
}

int mc_reuse_stats(struct mc_conn *c, const char *scope_path, int64_t from,
		   int64_t to, const char *unit_code,
		   const char *procedure_code, mc_reuse_fn *fn, void *arg,
		   struct mc_err *err)
{
	static const char sql[] = "SELECT u.code, u.name, p.code, MAX(v.name), "
		"COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM "
		"dossier_components dc WHERE dc.dossier_id = d.id AND "
		"dc.file_sha256 IS NOT NULL) THEN 1 ELSE 0 END), SUM(CASE WHEN "
		"EXISTS (SELECT 1 FROM dossier_components dc WHERE "
		"dc.dossier_id = d.id AND dc.reused = 1) THEN 1 ELSE 0 END), "
		"SUM((SELECT COUNT(*) FROM dossier_components dc WHERE "
		"dc.dossier_id = d.id AND dc.asked_again_reason IS NOT NULL)), "
		"SUM(v.result_paper), SUM(CASE WHEN EXISTS (SELECT 1 FROM "
		"results r WHERE r.dossier_id = d.id AND r.status <> 'revoked') "
		"THEN 1 ELSE 0 END) FROM dossiers d JOIN procedure_versions v "
		"ON v.id = d.version_id JOIN procedures p ON p.id = "
		"v.procedure_id JOIN units u ON u.id = v.unit_id WHERE "
		"d.received_at >= ?1 AND d.received_at < ?2 AND d.id IN (SELECT "
		"du.dossier_id FROM dossier_units du JOIN units su ON su.id = "
		"du.unit_id WHERE substr(su.path, 1, length(CAST(?3 AS TEXT))) "
		"= ?3) AND (CAST(?4 AS TEXT) IS NULL OR u.code = ?4) AND "
		"(CAST(?5 AS TEXT) IS NULL OR p.code = ?5) GROUP BY u.code, "
		"u.name, p.code ORDER BY u.code, p.code";
	struct mc_reuse_row row;
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc, n = 0;

	if (!s)
		return MC_EDB;
	mc_sql_time(s, 1, from);
	mc_sql_time(s, 2, to);
	mc_sql_text(s, 3, scope_path);
	mc_sql_text_opt(s, 4, unit_code ? unit_code : "");
	mc_sql_text_opt(s, 5, procedure_code ? procedure_code : "");
	while ((rc = mc_sql_step(s, err)) == 1) {
		memset(&row, 0, sizeof(row));
		mc_sql_col_copy(s, 0, row.unit_code, sizeof(row.unit_code));
		mc_sql_col_copy(s, 1, row.unit_name, sizeof(row.unit_name));
		mc_sql_col_copy(s, 2, row.procedure_code,
				sizeof(row.procedure_code));
		mc_sql_col_copy(s, 3, row.procedure_name,
				sizeof(row.procedure_name));
		row.received = mc_sql_col_int(s, 4);
		row.digitized = mc_sql_col_int(s, 5);
		row.reused = mc_sql_col_int(s, 6);
		row.asked_again = mc_sql_col_int(s, 7);
		row.paper_result = mc_sql_col_int(s, 8);
		row.e_result = mc_sql_col_int(s, 9);
		fn(&row, arg);
		n++;
	}
	mc_sql_reset(s);
	return rc < 0 ? rc : n;
}
