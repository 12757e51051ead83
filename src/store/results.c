/*
 * results.c — electronic results (see results.h).
 */
#include "core/compat.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "domain/lifecycle.h"
#include "store/documents.h"
#include "store/files.h"
#include "store/results.h"

#include <sodium.h>

/* Crockford's base32: no I, L, O or U to misread. */
static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void mc_result_code_new(char out[MC_RESULT_CODE_MAX])
{
	unsigned char r[16];
	char *p = out + 2;
	int i;

	randombytes_buf(r, sizeof(r));
	out[0] = 'K';
	out[1] = 'Q';
	for (i = 0; i < 16; i++) {
		if (i % 4 == 0)
			*p++ = '-';
		*p++ = alphabet[r[i] & 31];
	}
	*p = 0;
}

bool mc_result_code_ok(const char *code)
{
	int i;

	if (strlen(code) != 22 || strncmp(code, "KQ", 2))
		return false;
	for (i = 2; i < 22; i++) {
		if ((i - 2) % 5 == 0) {
			if (code[i] != '-')
				return false;
		} else if (!code[i] || !strchr(alphabet, code[i])) {
			return false;
		}
	}
	return true;
}

/*
 * The stored document of an e-result: owned by the applicant, of the
 * catalog type named like the procedure's result, else KQTTHC.
 */
static int result_document(struct mc_conn *c, const struct mc_dossier *d,
			   const struct mc_user *actor,
			   const struct mc_result_sig *sig, int64_t now,
			   int64_t *doc_id, struct mc_err *err)
{
	static const char sql[] = "SELECT t.code FROM procedure_versions v "
		"JOIN document_types t ON t.name = v.result_type WHERE v.id = "
		"?1";
	struct mc_document doc;
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	memset(&doc, 0, sizeof(doc));
	mc_sql_int(s, 1, d->version_id);
	if ((rc = mc_sql_step(s, err)) < 0)
		return rc;
	if (rc == 1)
		mc_sql_col_copy(s, 0, doc.type_code, sizeof(doc.type_code));
	else
		snprintf(doc.type_code, sizeof(doc.type_code), "KQTTHC");
	mc_sql_reset(s);
	snprintf(doc.owner_id, sizeof(doc.owner_id), "%s", d->applicant_id);
	snprintf(doc.number, sizeof(doc.number), "%s", sig->number);
	snprintf(doc.issuer, sizeof(doc.issuer), "%.*s",
		 (int)sizeof(doc.issuer) - 1, actor->unit_name);
	mc_date_format(mc_local_day(now), doc.issued_on,
		       sizeof(doc.issued_on));
	snprintf(doc.source, sizeof(doc.source), "result");
	snprintf(doc.file_sha256, sizeof(doc.file_sha256), "%s",
		 sig->file_sha256);
	doc.verified = true;
	rc = mc_document_add(c, &doc, d->id, actor->id, sig->signature, now,
			     err);
	*doc_id = doc.id;
	return rc;
}

static int insert(struct mc_conn *c, const struct mc_dossier *d,
		  const struct mc_user *actor,
		  const struct mc_result_sig *sig, int64_t replaces_id,
		  int64_t now, struct mc_err *err)
{
	static const char sql[] = "INSERT INTO results (code, dossier_id, "
		"unit_id, number, file_sha256, signature, certificate, "
		"cert_sha256, signer, cert_issuer, signed_at, signed_by, "
		"status, replaces_id, document_id) VALUES (?1, ?2, ?3, ?4, ?5, "
		"?6, ?7, ?8, ?9, ?10, ?11, ?12, 'valid', ?13, ?14)";
	char owner[40], detail[MC_EVENT_DETAIL_MAX];
	struct mc_stmt *s;
	int64_t doc_id = 0;
	int rc;

	if (sig->generated) {
		rc = mc_file_add(c, sig->file_sha256, sig->size,
				 "application/pdf", now, err);
		if (rc)
			return rc;
	} else {
		snprintf(owner, sizeof(owner), "u:%" PRId64, actor->id);
		rc = mc_upload_owned(c, sig->file_sha256, owner, "result.file",
				     err);
		if (rc)
			return rc;
	}
	if ((rc = result_document(c, d, actor, sig, now, &doc_id, err)))
		return rc;
	if (!(s = mc_sql(c, sql, err)))
		return MC_EDB;
	mc_sql_text(s, 1, sig->code);
	mc_sql_int(s, 2, d->id);
	mc_sql_int(s, 3, actor->unit_id);
	mc_sql_text_opt(s, 4, sig->number);
	mc_sql_text(s, 5, sig->file_sha256);
	mc_sql_text(s, 6, sig->signature);
	mc_sql_text(s, 7, sig->certificate);
	mc_sql_text(s, 8, sig->cert_sha256);
	mc_sql_text(s, 9, sig->signer);
	mc_sql_text(s, 10, sig->cert_issuer);
	mc_sql_time(s, 11, sig->signed_at);
	mc_sql_int(s, 12, actor->id);
	mc_sql_id(s, 13, replaces_id);
	mc_sql_id(s, 14, doc_id);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	snprintf(detail, sizeof(detail), "code=%s sha256=%s cert=%s",
		 sig->code, sig->file_sha256, sig->cert_sha256);
	return mc_dossier_event_add(c, d, actor, "e_result", "", detail, now,
				    err);
}

int mc_result_issue(struct mc_conn *c, const struct mc_dossier *d,
		    const struct mc_user *actor,
		    const struct mc_result_sig *sig, int64_t now,
		    struct mc_err *err)
{
	return insert(c, d, actor, sig, 0, now, err);
}

int mc_result_context(struct mc_conn *c, const char *code,
		      const struct mc_user *actor, struct mc_result_ctx *out,
		      struct mc_err *err)
{
	static const char sql[] = "SELECT v.result_type FROM "
		"procedure_versions v WHERE v.id = ?1";
	struct mc_dossier *d = mc_calloc(1, sizeof(*d));
	struct mc_unit_heading h;
	struct mc_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = mc_dossier_get(c, code, d, err);
	if (!rc && !mc_dossier_visible(d, actor))
		rc = mc_error(err, MC_ENOTFOUND, "dossier %s not found", code);
	if (!rc)
		rc = mc_unit_heading(c, actor->unit_id, &h, err);
	if (rc)
		goto out;
	snprintf(out->dossier_code, sizeof(out->dossier_code), "%s", d->code);
	snprintf(out->procedure_name, sizeof(out->procedure_name), "%s",
		 d->procedure_name);
	snprintf(out->applicant_name, sizeof(out->applicant_name), "%s",
		 d->applicant_name);
	snprintf(out->issuer, sizeof(out->issuer), "%s", h.issuer);
	snprintf(out->governing, sizeof(out->governing), "%s", h.governing);
	snprintf(out->place, sizeof(out->place), "%s", h.place);
	if (!(s = mc_sql(c, sql, err))) {
		rc = MC_EDB;
		goto out;
	}
	mc_sql_int(s, 1, d->version_id);
	if ((rc = mc_sql_step(s, err)) == 1) {
		mc_sql_col_copy(s, 0, out->result_type,
				sizeof(out->result_type));
		rc = 0;
	}
	mc_sql_reset(s);
out:
	mc_dossier_release(d);
	mc_free(d);
	return rc < 0 ? rc : 0;
}

#define RESULT_COLS "r.id, r.code, x.code, x.applicant_id_number, p.code, " \
	"v.name, u.code, u.name, u.path, COALESCE(r.number, ''), " \
	"r.file_sha256, f.media_type, f.size, r.signature, r.certificate, " \
	"r.cert_sha256, r.signer, r.cert_issuer, r.signed_at, us.username, " \
	"r.status, r.status_at, COALESCE(r.status_reason, ''), " \
	"COALESCE(pr.code, ''), COALESCE((SELECT nx.code FROM results nx " \
	"WHERE nx.replaces_id = r.id), ''), COALESCE(r.document_id, 0) " \
	"FROM results r JOIN dossiers x ON x.id = r.dossier_id JOIN " \
	"procedure_versions v ON v.id = x.version_id JOIN procedures p ON " \
	"p.id = v.procedure_id JOIN units u ON u.id = r.unit_id JOIN files " \
	"f ON f.sha256 = r.file_sha256 JOIN users us ON us.id = " \
	"r.signed_by LEFT JOIN results pr ON pr.id = r.replaces_id "

static void result_row(struct mc_stmt *s, struct mc_result *r)
{
	memset(r, 0, sizeof(*r));
	r->id = mc_sql_col_int(s, 0);
	mc_sql_col_copy(s, 1, r->sig.code, sizeof(r->sig.code));
	mc_sql_col_copy(s, 2, r->dossier_code, sizeof(r->dossier_code));
	mc_sql_col_copy(s, 3, r->applicant_id, sizeof(r->applicant_id));
	mc_sql_col_copy(s, 4, r->procedure_code, sizeof(r->procedure_code));
	mc_sql_col_copy(s, 5, r->procedure_name, sizeof(r->procedure_name));
	mc_sql_col_copy(s, 6, r->sig.unit_code, sizeof(r->sig.unit_code));
	mc_sql_col_copy(s, 7, r->unit_name, sizeof(r->unit_name));
	mc_sql_col_copy(s, 8, r->unit_path, sizeof(r->unit_path));
	mc_sql_col_copy(s, 9, r->sig.number, sizeof(r->sig.number));
	mc_sql_col_copy(s, 10, r->sig.file_sha256,
			sizeof(r->sig.file_sha256));
	mc_sql_col_copy(s, 11, r->media_type, sizeof(r->media_type));
	r->size = mc_sql_col_int(s, 12);
	mc_sql_col_copy(s, 13, r->sig.signature, sizeof(r->sig.signature));
	mc_sql_col_copy(s, 14, r->sig.certificate,
			sizeof(r->sig.certificate));
	mc_sql_col_copy(s, 15, r->sig.cert_sha256,
			sizeof(r->sig.cert_sha256));
	mc_sql_col_copy(s, 16, r->sig.signer, sizeof(r->sig.signer));
	mc_sql_col_copy(s, 17, r->sig.cert_issuer,
			sizeof(r->sig.cert_issuer));
	r->sig.signed_at = mc_sql_col_time(s, 18);
	mc_sql_col_copy(s, 19, r->signed_by, sizeof(r->signed_by));
	mc_sql_col_copy(s, 20, r->status, sizeof(r->status));
	r->status_at = mc_sql_col_time(s, 21);
	mc_sql_col_copy(s, 22, r->status_reason, sizeof(r->status_reason));
	mc_sql_col_copy(s, 23, r->replaces, sizeof(r->replaces));
	mc_sql_col_copy(s, 24, r->replaced_by, sizeof(r->replaced_by));
	r->document_id = mc_sql_col_int(s, 25);
}

int mc_result_get(struct mc_conn *c, const char *code, struct mc_result *out,
		  struct mc_err *err)
{
	static const char sql[] = "SELECT " RESULT_COLS "WHERE r.code = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, code);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_ENOTFOUND, "no result "
					      "%s", code);
	result_row(s, out);
	mc_sql_reset(s);
	return 0;
}

int mc_result_list(struct mc_conn *c, int64_t dossier_id, mc_result_fn *fn,
		   void *arg, struct mc_err *err)
{
	static const char sql[] = "SELECT " RESULT_COLS "WHERE r.dossier_id "
		"= ?1 ORDER BY r.id";
	struct mc_result *r = mc_calloc(1, sizeof(*r));
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc, n = 0;

	if (!s) {
		mc_free(r);
		return MC_EDB;
	}
	mc_sql_int(s, 1, dossier_id);
	while ((rc = mc_sql_step(s, err)) == 1) {
		result_row(s, r);
		fn(r, arg);
		n++;
	}
	mc_sql_reset(s);
	mc_free(r);
	return rc < 0 ? rc : n;
}

/*
 * Result 'code' taken for a change of status by 'actor': it exists (for
 * them), they may issue results in its unit, and it is still valid. The
 * status is set in the same statement that checks it, so of two
 * concurrent changes one finds it no longer valid.
 */
static int take(struct mc_conn *c, const char *code,
		const struct mc_user *actor, const char *status,
		const char *reason, int64_t now, struct mc_result *r,
		struct mc_dossier *d, struct mc_err *err)
{
	static const char sql[] = "UPDATE results SET status = ?2, status_at "
		"= ?3, status_by = ?4, status_reason = ?5 WHERE id = ?1 AND "
		"status = 'valid'";
	static const char doc[] = "UPDATE documents SET status = ?2, "
		"updated_at = ?3 WHERE id = ?1";
	struct mc_stmt *s;
	int rc;

	if (!reason[0])
		return mc_err_field(err, "reason", "required", "give the "
				    "reason");
	rc = mc_result_get(c, code, r, err);
	if (!rc && !mc_unit_within(r->unit_path, actor->unit_path))
		rc = mc_error(err, MC_ENOTFOUND, "no result %s", code);
	if (rc)
		return rc;
	if (!mc_lc_role_may(actor->role, MC_ACT_COMPLETE))
		return mc_err_rule(err, MC_EFORBIDDEN, "role", "issues_results",
				   "only staff who may complete dossiers "
				   "change results");
	if (!(s = mc_sql(c, sql, err)))
		return MC_EDB;
	mc_sql_int(s, 1, r->id);
	mc_sql_text(s, 2, status);
	mc_sql_time(s, 3, now);
	mc_sql_int(s, 4, actor->id);
	mc_sql_text(s, 5, reason);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	if (mc_sql_changes(c) != 1)
		return mc_err_rule(err, MC_ECONFLICT, "code", "status", "result "
				   "%s is %s already", code, r->status);
	if (r->document_id) {
		if (!(s = mc_sql(c, doc, err)))
			return MC_EDB;
		mc_sql_int(s, 1, r->document_id);
		mc_sql_text(s, 2, status);
		mc_sql_time(s, 3, now);
		if ((rc = mc_sql_exec(s, err)))
			return rc;
	}
	return mc_dossier_get_head(c, r->dossier_code, d, err);
}

int mc_result_revoke(struct mc_conn *c, const char *code,
		     const struct mc_user *actor, const char *reason,
		     int64_t now, struct mc_err *err)
{
	struct mc_result *r = mc_calloc(1, sizeof(*r));
	struct mc_dossier *d = mc_calloc(1, sizeof(*d));
	char detail[MC_EVENT_DETAIL_MAX];
	int rc;

	rc = take(c, code, actor, "revoked", reason, now, r, d, err);
	if (!rc) {
		snprintf(detail, sizeof(detail), "code=%s", code);
		rc = mc_dossier_event_add(c, d, actor, "e_result_revoked",
					  reason, detail, now, err);
	}
	mc_dossier_release(d);
	mc_free(d);
	mc_free(r);
	return rc;
}

int mc_result_replace(struct mc_conn *c, const char *code,
		      const struct mc_user *actor, const char *reason,
		      const struct mc_result_sig *next, int64_t now,
		      struct mc_err *err)
{
	struct mc_result *r = mc_calloc(1, sizeof(*r));
	struct mc_dossier *d = mc_calloc(1, sizeof(*d));
	char detail[MC_EVENT_DETAIL_MAX];
	int rc;

	rc = take(c, code, actor, "replaced", reason, now, r, d, err);
	if (!rc) {
		snprintf(detail, sizeof(detail), "code=%s by=%s", code,
			 next->code);
		rc = mc_dossier_event_add(c, d, actor, "e_result_replaced",
					  reason, detail, now, err);
	}
	if (!rc)
		rc = insert(c, d, actor, next, r->id, now, err);
	mc_dossier_release(d);
	mc_free(d);
	mc_free(r);
	return rc;
}
