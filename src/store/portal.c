/*
 * portal.c — the national portal's queue (see portal.h).
 */
#include "core/compat.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "domain/portal.h"
#include "store/catalog.h"
#include "store/dossiers.h"
#include "store/files.h"
#include "store/payments.h"
#include "store/portal.h"

#include <jansson.h>

/* What a step says, in the portal's words (NoiDungXuLy). */
static const char *step_words(const char *event)
{
	static const struct {
		const char *event, *words;
	} words[] = {
		{ "intake", "Tiếp nhận hồ sơ" },
		{ "submit", "Nộp hồ sơ trực tuyến" },
		{ "accept", "Tiếp nhận hồ sơ" },
		{ "refuse", "Từ chối tiếp nhận hồ sơ" },
		{ "request_supplement", "Yêu cầu bổ sung hồ sơ" },
		{ "submit_supplement", "Tiếp nhận hồ sơ bổ sung" },
		{ "assign", "Phân công xử lý" },
		{ "forward", "Chuyển xử lý" },
		{ "apologize", "Xin lỗi và hẹn lại ngày trả kết quả" },
		{ "complete", "Hoàn thành giải quyết" },
		{ "return_result", "Trả kết quả" },
		{ "withdraw", "Rút hồ sơ theo yêu cầu của người nộp" },
		{ "stop", "Dừng xử lý hồ sơ" },
		{ "paid", "Đã thực hiện nghĩa vụ tài chính" },
		{ "reconcile", "Đồng bộ lại trạng thái hồ sơ" },
	};
	size_t k;

	for (k = 0; k < MC_ARRAY_SIZE(words); k++)
		if (!strcmp(words[k].event, event))
			return words[k].words;
	return "Xử lý hồ sơ";
}

/* 't' as the portal writes it, "" when none. */
static json_t *when(int64_t t)
{
	char s[15];

	if (t == MC_NO_TIME)
		return json_string("");
	mc_portal_time(t, s);
	return json_string(s);
}

static json_t *code_str(int v)
{
	char s[8];

	snprintf(s, sizeof(s), "%d", v);
	return json_string(s);
}

char *mc_portal_json(const json_t *j, size_t flags)
{
	size_t n = j ? json_dumpb(j, NULL, 0, JSON_COMPACT | flags) : 0;
	char *s;

	if (!n)
		return NULL;
	s = mc_malloc(n + 1);
	json_dumpb(j, s, n, JSON_COMPACT | flags);
	s[n] = '\0';
	return s;
}

/*
 * What the 766 index reads of a dossier on the portal (DOMAIN.md §4),
 * added to 'hoso': the papers handed in and whether each is digitized or
 * reused (TaiLieuNop, HoSoCoThanhPhanSoHoa), the fees (DanhSachLePhi),
 * whether they were paid online and where (DuocThanhToanTrucTuyen: 1 on
 * the portal's platform, 2 on the province's gateway, 0 not), and the
 * valid e-results with the public link that verifies each
 * (DanhSachGiayToKetQua).
 */
static int papers(struct mc_conn *c, const struct mc_dossier *d,
		  const char *public_url, json_t *hoso, struct mc_err *err)
{
	static const char fees[] = "SELECT ordinal, name, kind, amount FROM "
		"dossier_fees WHERE dossier_id = ?1 ORDER BY ordinal";
	static const char paid[] = "SELECT MIN(CASE platform WHEN 'dvcqg' "
		"THEN 1 WHEN 'gateway' THEN 2 END) FROM payments WHERE "
		"dossier_id = ?1 AND method = 'platform'";
	static const char results[] = "SELECT code, COALESCE(number, '') FROM "
		"results WHERE dossier_id = ?1 AND status = 'valid' ORDER BY id";
	json_t *docs = json_array(), *list = json_array(), *res = json_array();
	struct mc_stmt *s;
	bool digitized = false;
	char url[512];
	int i, rc, online = 0;

	for (i = 0; i < d->ncomponents; i++) {
		const struct mc_dossier_component *k = &d->components[i];

		if (!k->provided)
			continue;
		digitized |= k->file_sha256[0] != '\0';
		json_array_append_new(docs, json_pack("{s:s, s:s, s:s, s:s, "
			"s:s, s:s}", "MaThanhPhanHoSo", k->code,
			"TenTepDinhKem", k->name, "DuocSoHoa",
			k->file_sha256[0] ? "1" : "0", "DuocTaiSuDung",
			k->reused ? "1" : "0", "DuocLayTuKhoDMQG", "0",
			"IsDeleted", "0"));
	}
	if (!(s = mc_sql(c, fees, err))) {
		rc = MC_EDB;
		goto out;
	}
	mc_sql_int(s, 1, d->id);
	while ((rc = mc_sql_step(s, err)) == 1) {
		const char *kind = mc_sql_col_text(s, 2);
		char ord[16], gia[24];

		snprintf(ord, sizeof(ord), "%" PRId64, mc_sql_col_int(s, 0));
		snprintf(gia, sizeof(gia), "%" PRId64, mc_sql_col_int(s, 3));
		/* 1 phí (a charge), 2 lệ phí (a fee). */
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}",
			"MaPhiLePhi", ord, "TenPhiLePhi",
			mc_sql_col_text(s, 1) ? mc_sql_col_text(s, 1) : "",
			"Gia", gia, "LoaiPhiLePhi", kind && !strcmp(kind,
			"fee") ? "2" : "1"));
	}
	if (rc < 0 || !(s = mc_sql(c, paid, err))) {
		rc = rc < 0 ? rc : MC_EDB;
		goto out;
	}
	mc_sql_int(s, 1, d->id);
	if ((rc = mc_sql_step(s, err)) == 1) {
		online = (int)mc_sql_col_int(s, 0);
		mc_sql_reset(s);
	}
	if (rc < 0 || !(s = mc_sql(c, results, err))) {
		rc = rc < 0 ? rc : MC_EDB;
		goto out;
	}
	mc_sql_int(s, 1, d->id);
	while ((rc = mc_sql_step(s, err)) == 1) {
		const char *rcode = mc_sql_col_text(s, 0);

		snprintf(url, sizeof(url), "%s/verify/%s", public_url ?
			 public_url : "", rcode ? rcode : "");
		json_array_append_new(res, json_pack("{s:s, s:s, s:s, s:s}",
			"GiayToId", rcode ? rcode : "", "MaGiayToKetQua",
			mc_sql_col_text(s, 1) ? mc_sql_col_text(s, 1) : "",
			"TenGiayTo", d->procedure_name, "DuongDanTepTinKetQua",
			url));
	}
	if (rc < 0)
		goto out;
	rc = 0;
	json_object_set(hoso, "TaiLieuNop", docs);
	json_object_set_new(hoso, "HoSoCoThanhPhanSoHoa",
			    json_string(digitized ? "1" : "0"));
	json_object_set(hoso, "DanhSachLePhi", list);
	json_object_set_new(hoso, "DuocThanhToanTrucTuyen", code_str(online));
	/* The 766 index's 4.5: signed in with a VNeID account. */
	json_object_set_new(hoso, "TaiKhoanDuocXacThucVoiVNeID",
			    json_string(d->applicant_vneid ? "1" : "0"));
	/* 1: the population database, which verified the applicant. */
	json_object_set_new(hoso, "DSKetNoiCSDL", d->applicant_verified ?
			    json_pack("[{s:s}]", "MaCSDL", "1") : json_array());
	json_object_set(hoso, "DanhSachGiayToKetQua", res);
out:
	json_decref(docs);
	json_decref(list);
	json_decref(res);
	return rc;
}

/* The body of the event: the dossier (HoSo) and the step (TienDo). */
static int event_body(struct mc_conn *c, const struct mc_dossier *d,
		      const char *code, const struct mc_portal_step *step,
		      int64_t now, char **out, struct mc_err *err)
{
	int ps = (int)mc_portal_status(d->status);
	bool done = d->finished_at != MC_NO_TIME;
	char note[MC_TEXT_MAX + 256];
	json_t *hoso, *tiendo, *body;
	int rc;

	*out = NULL;
	/* 12 digits: a personal identity number; else the old 9. */
	hoso = json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:s, s:[{s:o, s:s}], "
		"s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, "
		"s:s, s:s, s:o}",
		"MaHoSo", code,
		"MaTTHC", d->procedure_code,
		"TenTTHC", d->procedure_name,
		"KenhThucHien", code_str(mc_portal_channel(d->channel)),
		"ChuHoSo", d->applicant_name,
		"LoaiDoiTuong", code_str(mc_portal_applicant(
			d->applicant_kind)),
		"SoGiayToChuHoSo", d->applicant_id,
		"DinhDanhCHS", "LoaiDinhDanh", code_str(strlen(
			d->applicant_id) == 12 ? 1 : 2), "SoDinhDanh",
			d->applicant_id,
		"SoDienThoai", d->applicant_phone,
		"Email", d->applicant_email,
		"ThongTinKhac", d->applicant_address,
		"TrichYeuHoSo", d->procedure_name,
		"NgayNopHoSo", when(d->submitted_at),
		"NgayTiepNhan", when(d->received_at),
		"NgayHenTra", when(d->due_at),
		"TrangThaiHoSo", code_str(ps),
		"NgayKetThucXuLy", when(done ? d->finished_at : MC_NO_TIME),
		"NgayTra", when(d->returned_at),
		"HinhThuc", code_str(mc_portal_return(d->return_channel)),
		"MaDonVi", d->unit_code,
		"MaDonViXuLy", d->current_unit_code,
		"GhiChu", d->reason,
		"NgayTuChoi", when(d->status == MC_ST_REFUSED ? d->finished_at :
				   MC_NO_TIME));
	snprintf(note, sizeof(note), "%s%s%s", step_words(step->event),
		 step->note && *step->note ? ": " : "",
		 step->note ? step->note : "");
	tiendo = json_pack("[{s:s, s:s, s:s, s:o, s:s, s:s, s:o, s:o, s:o}]",
		"MaHoSo", code,
		"NguoiXuLy", step->by,
		"ChucDanh", step->title ? step->title : "",
		"ThoiDiemXuLy", when(now),
		"PhongBanXuLy", step->unit ? step->unit : "",
		"NoiDungXuLy", note,
		"TrangThai", code_str(ps),
		"NgayBatDau", when(now),
		"NgayKetThucTheoQuyDinh", when(d->due_at));
	if ((rc = papers(c, d, step->public_url, hoso, err))) {
		json_decref(hoso);
		json_decref(tiendo);
		return rc;
	}
	body = json_pack("{s:o, s:o}", "HoSo", hoso, "TienDo", tiendo);
	*out = mc_portal_json(body, JSON_SORT_KEYS);
	json_decref(body);
	return *out ? 0 : mc_error(err, MC_ENOMEM, "portal: cannot encode "
				   "%s", code);
}

int mc_portal_enqueue(struct mc_conn *c, const struct mc_dossier *d,
		      const struct mc_portal_step *step, int64_t now,
		      struct mc_err *err)
{
	static const char sql[] = "INSERT INTO portal_outbox (dossier_id, "
		"seq, event, portal_status, body, idempotency_key, "
		"next_attempt_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
		"?7, ?7) ON CONFLICT (idempotency_key) DO NOTHING";
	static const char code_sql[] = "SELECT portal_code FROM "
		"portal_dossiers WHERE dossier_id = ?1";
	struct mc_stmt *s;
	char key[128], code[96];
	char *body;
	int rc;

	/* Filed on the portal: its MaHoSo, not ours. */
	if (!(s = mc_sql(c, code_sql, err)))
		return MC_EDB;
	mc_sql_int(s, 1, d->id);
	if ((rc = mc_sql_step(s, err)) < 0)
		return rc;
	snprintf(code, sizeof(code), "%s", rc == 1 ? mc_sql_col_text(s, 0) :
		 d->code);
	if (rc == 1)
		mc_sql_reset(s);
	if ((rc = event_body(c, d, code, step, now, &body, err)))
		return rc;
	if (!(s = mc_sql(c, sql, err))) {
		mc_free(body);
		return MC_EDB;
	}
	snprintf(key, sizeof(key), "%s/%" PRId64 "%s%s", code,
		 d->row_version, step->tag ? "/" : "", step->tag ? step->tag :
		 "");
	mc_sql_int(s, 1, d->id);
	mc_sql_int(s, 2, d->row_version);
	mc_sql_text(s, 3, step->event);
	mc_sql_int(s, 4, (int64_t)mc_portal_status(d->status));
	mc_sql_text(s, 5, body);
	mc_sql_text(s, 6, key);
	mc_sql_time(s, 7, now);
	rc = mc_sql_exec(s, err);
	mc_free(body);
	return rc;
}

void mc_portal_item_release(struct mc_portal_item *it)
{
	mc_free(it->body);
	it->body = NULL;
}

/* Due: waiting and due, or taken by a sender whose lease ran out. */
#define DUE(t) "((" t "status = 'pending' AND " t "next_attempt_at <= ?1) " \
	"OR (" t "status = 'sending' AND " t "locked_until <= ?1))"

/* Takes event 'id' for a lease until 'until': 1, 0 (taken), or an error. */
static int take(struct mc_conn *c, int64_t id, int64_t now, int64_t until,
		struct mc_err *err)
{
	static const char sql[] = "UPDATE portal_outbox SET status = "
		"'sending', locked_until = ?2, attempts = attempts + 1 WHERE "
		"id = ?3 AND " DUE("");
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_time(s, 1, now);
	mc_sql_time(s, 2, until);
	mc_sql_int(s, 3, id);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	return mc_sql_changes(c) == 1;
}

/* Reads event 'id' into 'it'. */
static int item_read(struct mc_conn *c, int64_t id, struct mc_portal_item *it,
		     struct mc_err *err)
{
	static const char sql[] = "SELECT p.id, p.dossier_id, p.seq, "
		"COALESCE(pd.portal_code, d.code), p.idempotency_key, p.event, "
		"p.portal_status, p.attempts, p.body FROM portal_outbox p JOIN "
		"dossiers d ON d.id = p.dossier_id LEFT JOIN portal_dossiers pd "
		"ON pd.dossier_id = d.id WHERE p.id = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	const char *body;
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_EINTERNAL, "portal event "
					      "%" PRId64 " is gone", id);
	memset(it, 0, sizeof(*it));
	it->id = mc_sql_col_int(s, 0);
	it->dossier_id = mc_sql_col_int(s, 1);
	it->seq = mc_sql_col_int(s, 2);
	mc_sql_col_copy(s, 3, it->code, sizeof(it->code));
	mc_sql_col_copy(s, 4, it->key, sizeof(it->key));
	mc_sql_col_copy(s, 5, it->event, sizeof(it->event));
	it->portal_status = (int)mc_sql_col_int(s, 6);
	it->attempts = (int)mc_sql_col_int(s, 7);
	body = mc_sql_col_text(s, 8);
	it->body = mc_strdup(body ? body : "{}");
	mc_sql_reset(s);
	return 0;
}

int mc_portal_claim(struct mc_conn *c, int64_t now, int64_t lease_s, int max,
		    struct mc_portal_item *out, struct mc_err *err)
{
	/*
	 * The first event of its dossier the portal has not taken, walked
	 * in order on the open events alone (0042's partial index).
	 */
	static const char heads[] = "SELECT p.id FROM portal_outbox p WHERE "
		"p.status IN ('pending', 'sending') AND " DUE("p.")
		" AND NOT EXISTS (SELECT 1 FROM portal_outbox q WHERE "
		"q.dossier_id = p.dossier_id AND q.id < p.id AND q.status <> "
		"'synced') ORDER BY p.id LIMIT ?2";
	int64_t *ids = mc_calloc((size_t)max, sizeof(*ids));
	struct mc_stmt *s = mc_sql(c, heads, err);
	int n = 0, got = 0, i, rc = 0;

	if (!s) {
		mc_free(ids);
		return MC_EDB;
	}
	mc_sql_time(s, 1, now);
	mc_sql_int(s, 2, max);
	while (n < max && (rc = mc_sql_step(s, err)) == 1)
		ids[n++] = mc_sql_col_int(s, 0);
	if (rc == 1)
		mc_sql_reset(s);
	rc = rc < 0 ? rc : 0;
	for (i = 0; !rc && i < n; i++) {
		/* 0: another sender took it meanwhile. */
		if ((rc = take(c, ids[i], now, now + lease_s, err)) == 1 &&
		    !(rc = item_read(c, ids[i], &out[got], err)))
			out[got++].lease = now + lease_s;
		rc = rc < 0 ? rc : 0;
	}
	mc_free(ids);
	if (rc) {
		for (i = 0; i < got; i++)
			mc_portal_item_release(&out[i]);
		return rc;
	}
	return got;
}

int mc_portal_done(struct mc_conn *c, const struct mc_portal_item *it,
		   enum mc_portal_outcome o, int64_t next_at,
		   const char *cause, const char *error, int64_t now,
		   struct mc_err *err)
{
	/* Each only while the event is still this sender's (its lease). */
	static const char synced[] = "UPDATE portal_outbox SET status = "
		"'synced', synced_at = ?2, locked_until = NULL, cause = NULL, "
		"last_error = NULL WHERE id = ?1 AND status = 'sending' AND "
		"locked_until = ?3";
	static const char held[] = "INSERT INTO portal_dossiers (dossier_id, "
		"portal_code, synced_status, first_synced_at, synced_at) VALUES "
		"(?1, ?2, ?3, ?4, ?4) ON CONFLICT (dossier_id) DO UPDATE SET "
		"synced_status = excluded.synced_status, synced_at = "
		"excluded.synced_at, first_synced_at = COALESCE("
		"portal_dossiers.first_synced_at, excluded.first_synced_at)";
	/* 1.4 of the 766 index reads it from the reports' index (0034). */
	static const char flag[] = "UPDATE dossiers SET rep_synced = 1 WHERE "
		"id = ?1 AND rep_synced = 0";
	static const char retry[] = "UPDATE portal_outbox SET status = "
		"'pending', next_attempt_at = ?2, locked_until = NULL, cause = "
		"?3, last_error = ?4 WHERE id = ?1 AND status = 'sending' AND "
		"locked_until = ?5";
	static const char rejected[] = "UPDATE portal_outbox SET status = "
		"'rejected', locked_until = NULL, cause = ?2, last_error = ?3 "
		"WHERE id = ?1 AND status = 'sending' AND locked_until = ?4";
	static const char back[] = "UPDATE portal_outbox SET status = "
		"'pending', locked_until = NULL, attempts = attempts - 1 WHERE "
		"id = ?1 AND status = 'sending' AND locked_until = ?2";
	struct mc_stmt *s;
	int rc;

	switch (o) {
	case MC_PORTAL_SYNCED:
		if (!(s = mc_sql(c, synced, err)))
			return MC_EDB;
		mc_sql_int(s, 1, it->id);
		mc_sql_time(s, 2, now);
		mc_sql_time(s, 3, it->lease);
		if ((rc = mc_sql_exec(s, err)) || mc_sql_changes(c) != 1)
			return rc;	/* another sender's now */
		if (!(s = mc_sql(c, held, err)))
			return MC_EDB;
		mc_sql_int(s, 1, it->dossier_id);
		mc_sql_text(s, 2, it->code);
		mc_sql_int(s, 3, it->portal_status);
		mc_sql_time(s, 4, now);
		if ((rc = mc_sql_exec(s, err)) || !(s = mc_sql(c, flag, err)))
			return rc ? rc : MC_EDB;
		mc_sql_int(s, 1, it->dossier_id);
		return mc_sql_exec(s, err);
	case MC_PORTAL_RETRY:
	case MC_PORTAL_REJECTED:
		if (!(s = mc_sql(c, o == MC_PORTAL_RETRY ? retry : rejected,
				 err)))
			return MC_EDB;
		mc_sql_int(s, 1, it->id);
		if (o == MC_PORTAL_RETRY)
			mc_sql_time(s, 2, next_at);
		mc_sql_text(s, o == MC_PORTAL_RETRY ? 3 : 2,
			    cause ? cause : "");
		mc_sql_text(s, o == MC_PORTAL_RETRY ? 4 : 3,
			    error ? error : "");
		mc_sql_time(s, o == MC_PORTAL_RETRY ? 5 : 4, it->lease);
		return mc_sql_exec(s, err);
	case MC_PORTAL_PUT_BACK:
		if (!(s = mc_sql(c, back, err)))
			return MC_EDB;
		mc_sql_int(s, 1, it->id);
		mc_sql_time(s, 2, it->lease);
		return mc_sql_exec(s, err);
	}
	return mc_error(err, MC_EINTERNAL, "portal: no such outcome");
}

int mc_portal_stats(struct mc_conn *c, struct mc_portal_stats *out,
		    struct mc_err *err)
{
	/* The counts, in one row. */
	static const char counts[] = "SELECT SUM(CASE WHEN status IN "
		"('pending', 'sending') THEN 1 ELSE 0 END), SUM(CASE WHEN "
		"status = 'rejected' THEN 1 ELSE 0 END), SUM(CASE WHEN status = "
		"'synced' THEN 1 ELSE 0 END), MIN(CASE WHEN status IN "
		"('pending', 'sending') THEN created_at END), MAX(synced_at), "
		"(SELECT COUNT(DISTINCT p.dossier_id) FROM portal_outbox p "
		"WHERE NOT EXISTS (SELECT 1 FROM portal_dossiers pd WHERE "
		"pd.dossier_id = p.dossier_id)), (SELECT MAX(checked_at) FROM "
		"portal_dossiers), (SELECT COUNT(*) FROM portal_dossiers WHERE "
		"drift IS NOT NULL), (SELECT COUNT(*) FROM portal_inbound WHERE "
		"status = 'taken'), (SELECT COUNT(*) FROM portal_inbound WHERE "
		"status = 'failed') FROM portal_outbox";
	static const char failed[] = "SELECT portal_code, error, updated_at "
		"FROM portal_inbound WHERE status = 'failed' ORDER BY "
		"updated_at DESC, portal_code LIMIT 10";
	static const char causes[] = "SELECT cause, COUNT(*) FROM "
		"portal_outbox WHERE status <> 'synced' AND cause IS NOT NULL "
		"AND cause <> '' GROUP BY cause ORDER BY 2 DESC, 1 LIMIT 8";
	struct mc_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!(s = mc_sql(c, counts, err)))
		return MC_EDB;
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : MC_EDB;
	out->pending = mc_sql_col_int(s, 0);
	out->rejected = mc_sql_col_int(s, 1);
	out->synced = mc_sql_col_int(s, 2);
	out->oldest_pending_at = mc_sql_col_time(s, 3);
	out->last_synced_at = mc_sql_col_time(s, 4);
	out->never_synced = mc_sql_col_int(s, 5);
	out->checked_at = mc_sql_col_time(s, 6);
	out->drifted = mc_sql_col_int(s, 7);
	out->inbound_taken = mc_sql_col_int(s, 8);
	out->inbound_failed = mc_sql_col_int(s, 9);
	mc_sql_reset(s);
	if (!(s = mc_sql(c, failed, err)))
		return MC_EDB;
	while ((rc = mc_sql_step(s, err)) == 1 &&
	       out->nnot_taken < (int)MC_ARRAY_SIZE(out->not_taken)) {
		mc_sql_col_copy(s, 0, out->not_taken[out->nnot_taken].code,
				sizeof(out->not_taken[0].code));
		mc_sql_col_copy(s, 1, out->not_taken[out->nnot_taken].error,
				sizeof(out->not_taken[0].error));
		out->not_taken[out->nnot_taken++].at = mc_sql_col_time(s, 2);
	}
	if (rc < 0)
		return rc;
	if (rc == 1)
		mc_sql_reset(s);
	if (!(s = mc_sql(c, causes, err)))
		return MC_EDB;
	while ((rc = mc_sql_step(s, err)) == 1 &&
	       out->ncauses < (int)MC_ARRAY_SIZE(out->causes)) {
		mc_sql_col_copy(s, 0, out->causes[out->ncauses].cause,
				sizeof(out->causes[0].cause));
		out->causes[out->ncauses++].n = mc_sql_col_int(s, 1);
	}
	if (rc == 1)
		mc_sql_reset(s);
	return rc < 0 ? rc : 0;
}

int mc_portal_to_check(struct mc_conn *c, int64_t since, int64_t after,
		       int max, struct mc_portal_check *out,
		       struct mc_err *err)
{
	static const char sql[] = "SELECT d.id, pd.portal_code, d.status, "
		"d.code FROM portal_dossiers pd JOIN dossiers d ON d.id = "
		"pd.dossier_id "
		"WHERE pd.dossier_id > ?1 AND (d.finished_at IS NULL OR "
		"d.finished_at >= ?2) AND NOT EXISTS (SELECT 1 FROM "
		"portal_outbox p WHERE p.dossier_id = d.id AND p.status <> "
		"'synced') ORDER BY pd.dossier_id LIMIT ?3";
	struct mc_stmt *s = mc_sql(c, sql, err);
	char status[32];
	int n = 0, rc = 0, st;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, after);
	mc_sql_time(s, 2, since);
	mc_sql_int(s, 3, max);
	while (n < max && (rc = mc_sql_step(s, err)) == 1) {
		out[n].dossier_id = mc_sql_col_int(s, 0);
		mc_sql_col_copy(s, 1, out[n].code, sizeof(out[n].code));
		mc_sql_col_copy(s, 2, status, sizeof(status));
		mc_sql_col_copy(s, 3, out[n].dossier_code,
				sizeof(out[n].dossier_code));
		st = mc_status_parse(status);
		out[n].portal_status = (int)mc_portal_status(st < 0 ?
			MC_ST_PROCESSING : (enum mc_status)st);
		n++;
	}
	if (rc == 1)
		mc_sql_reset(s);
	return rc < 0 ? rc : n;
}

int mc_portal_checked(struct mc_conn *c, const struct mc_portal_check *ck,
		      const char *drift, const char *public_url, int64_t now,
		      struct mc_err *err)
{
	static const char sql[] = "UPDATE portal_dossiers SET checked_at = "
		"?2, drift = ?3 WHERE dossier_id = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	struct mc_portal_step step;
	struct mc_dossier d;
	struct mc_ymd day;
	char tag[16];
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, ck->dossier_id);
	mc_sql_time(s, 2, now);
	mc_sql_text(s, 3, drift);
	if ((rc = mc_sql_exec(s, err)) || !drift)
		return rc;
	memset(&d, 0, sizeof(d));
	if ((rc = mc_dossier_get(c, ck->dossier_code, &d, err)))
		return rc;
	day = mc_ymd_from_days(mc_local_day(now));
	snprintf(tag, sizeof(tag), "re-%04d%02d%02d", day.year % 10000,
		 day.month % 100, day.day % 100);
	memset(&step, 0, sizeof(step));
	step.event = "reconcile";
	step.by = "Hệ thống";
	step.title = "";
	step.unit = "";
	step.note = drift;
	step.tag = tag;
	step.public_url = public_url;
	rc = mc_portal_enqueue(c, &d, &step, now, err);
	mc_dossier_release(&d);
	return rc;
}

int mc_portal_code(struct mc_conn *c, int64_t dossier_id,
		   const char *portal_code, struct mc_err *err)
{
	static const char sql[] = "INSERT INTO portal_dossiers (dossier_id, "
		"portal_code) VALUES (?1, ?2) ON CONFLICT DO NOTHING";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, dossier_id);
	mc_sql_text(s, 2, portal_code);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	return mc_sql_changes(c) == 1 ? 0 :
	       mc_err_field(err, "MaHoSo", "unique", "the portal's dossier %s "
			    "is another dossier already", portal_code);
}

/* A string field of the portal's dossier into 'out'; false if absent. */
static bool field(const json_t *o, const char *name, char *out, size_t n)
{
	const char *v = json_string_value(json_object_get(o, name));

	snprintf(out, n, "%s", v ? v : "");
	return v && *v && strlen(v) < n;
}

/* A flag of the portal's, "1" or 1 (or true): set. */
static bool flag(const json_t *o, const char *name)
{
	const json_t *v = json_object_get(o, name);

	return json_is_true(v) || (json_is_integer(v) &&
	       json_integer_value(v) == 1) || (json_is_string(v) &&
	       !strcmp(json_string_value(v), "1"));
}

/*
 * What the applicant paid on a platform before the dossier came
 * (DuocThanhToanTrucTuyen 1: the portal's, 2: the province's gateway):
 * the fees' Gia, summed, with when and the transaction.
 */
static int paid_of(const json_t *hoso, struct mc_portal_filed *f,
		   struct mc_err *err)
{
	char how[8], when[32];
	size_t i;
	json_t *fee;
	int bad = 0;

	field(hoso, "DuocThanhToanTrucTuyen", how, sizeof(how));
	if (strcmp(how, "1") && strcmp(how, "2"))
		return 0;		/* not paid online (0, 3, none) */
	json_array_foreach(json_object_get(hoso, "DanhSachLePhi"), i, fee) {
		const json_t *g = json_object_get(fee, "Gia");
		long long v = -1;
		char *end = NULL;

		if (json_is_integer(g))
			v = json_integer_value(g);
		else if (json_is_string(g) && *json_string_value(g))
			v = strtoll(json_string_value(g), &end, 10);
		if (v < 0 || v > 1000000000000LL || (end && *end)) {
			char name[48];

			snprintf(name, sizeof(name), "DanhSachLePhi[%zu].Gia",
				 i);
			bad |= mc_err_field(err, name, "amount", "the fee's "
					    "amount in đồng, a whole number "
					    "from 0");
			continue;
		}
		f->paid += v;
	}
	if (bad || !f->paid)
		return bad ? MC_EINVAL : 0;	/* nothing was owed */
	snprintf(f->paid_on, sizeof(f->paid_on), "%s", !strcmp(how, "1") ?
		 "dvcqg" : "gateway");
	if (!field(hoso, "NgayThanhToan", when, sizeof(when)))
		field(hoso, "NgayNopHoSo", when, sizeof(when));
	f->paid_at = mc_portal_time_parse(when);
	if (f->paid_at == MC_NO_TIME)
		return mc_err_field(err, "NgayThanhToan", "instant", "when it "
				    "was paid (or NgayNopHoSo), "
				    "yyyyMMddHHmmss");
	if (!field(hoso, "MaGiaoDich", f->transaction,
		   sizeof(f->transaction)))
		snprintf(f->transaction, sizeof(f->transaction), "%.71s",
			 f->in.portal_code);
	return 0;
}

int mc_portal_intake_of(const json_t *hoso, struct mc_portal_filed *f,
			struct mc_err *err)
{
	struct mc_intake *in = &f->in;
	char kind[8];
	size_t i;
	json_t *t;
	int bad = 0;

	memset(f, 0, sizeof(*f));
	f->paid_at = MC_NO_TIME;
	in->channel = MC_CH_ONLINE;
	snprintf(in->return_channel, sizeof(in->return_channel), "%s",
		 json_is_string(json_object_get(hoso, "HinhThuc")) &&
		 !strcmp(json_string_value(json_object_get(hoso, "HinhThuc")),
			 "1") ? "postal" : "counter");
	if (!field(hoso, "MaHoSo", in->portal_code, sizeof(in->portal_code)))
		bad |= mc_err_field(err, "MaHoSo", "required", "the portal's "
				    "code of the dossier");
	if (!field(hoso, "MaTTHC", in->procedure_code,
		   sizeof(in->procedure_code)))
		bad |= mc_err_field(err, "MaTTHC", "required", "the "
				    "procedure's national code");
	if (!field(hoso, "MaDonViTiepNhan", in->unit_code,
		   sizeof(in->unit_code)))
		bad |= mc_err_field(err, "MaDonViTiepNhan", "required", "the "
				    "unit the dossier is filed with");
	if (!field(hoso, "ChuHoSo", in->applicant_name,
		   sizeof(in->applicant_name)))
		bad |= mc_err_field(err, "ChuHoSo", "required", "the "
				    "applicant's name");
	if (!field(hoso, "SoGiayToChuHoSo", in->applicant_id,
		   sizeof(in->applicant_id)))
		bad |= mc_err_field(err, "SoGiayToChuHoSo", "required", "the "
				    "applicant's identity number");
	field(hoso, "LoaiDoiTuong", kind, sizeof(kind));
	snprintf(in->applicant_kind, sizeof(in->applicant_kind), "%s",
		 !strcmp(kind, "2") || !strcmp(kind, "4") ? "organization" :
		 "person");
	field(hoso, "SoDienThoai", in->applicant_phone,
	      sizeof(in->applicant_phone));
	field(hoso, "Email", in->applicant_email, sizeof(in->applicant_email));
	field(hoso, "DiaChi", in->applicant_address,
	      sizeof(in->applicant_address));
	/*
	 * Signed in with a VNeID account of level 2: the identity the
	 * population database holds, checked by the police's VNeID.
	 */
	in->verified = in->vneid = flag(hoso, "TaiKhoanDuocXacThucVoiVNeID");
	field(hoso, "MaDoiTuong", f->tech_id, sizeof(f->tech_id));
	/* The papers handed in, by the procedure's component codes. */
	json_array_foreach(json_object_get(hoso, "TaiLieuNop"), i, t) {
		char name[64];

		if (flag(t, "IsDeleted"))
			continue;	/* withdrawn by the applicant */
		if ((size_t)in->ncomponents >= MC_ARRAY_SIZE(in->components))
			break;
		if (!field(t, "MaThanhPhanHoSo",
			   in->components[in->ncomponents].code,
			   sizeof(in->components[0].code))) {
			bad |= mc_err_field(err, "TaiLieuNop", "required",
					    "paper %zu has no MaThanhPhanHoSo",
					    i + 1);
			continue;
		}
		in->components[in->ncomponents].provided = true;
		/* Its file, to fetch: a public link of the portal's. */
		if (json_is_string(json_object_get(t, "DuongDanTaiTepTin")) &&
		    *json_string_value(json_object_get(t,
						       "DuongDanTaiTepTin"))) {
			const char *url = json_string_value(json_object_get(t,
				"DuongDanTaiTepTin"));

			snprintf(name, sizeof(name), "TaiLieuNop[%zu]."
				 "DuongDanTaiTepTin", i);
			if (strlen(url) >= MC_PORTAL_URL_MAX ||
			    (strncmp(url, "https://", 8) &&
			     strncmp(url, "http://", 7)))
				bad |= mc_err_field(err, name, "url", "an "
						    "http(s) link of fewer "
						    "than %d bytes",
						    MC_PORTAL_URL_MAX);
			else {
				snprintf(f->files[f->nfiles].url,
					 sizeof(f->files[0].url), "%s", url);
				field(t, "TenTepDinhKem",
				      f->files[f->nfiles].name,
				      sizeof(f->files[0].name));
				f->files[f->nfiles].component =
					in->ncomponents;
				f->files[f->nfiles++].paper = (int)i;
			}
		}
		in->ncomponents++;
	}
	bad |= paid_of(hoso, f, err) != 0;
	return bad ? MC_EINVAL : 0;
}

int mc_portal_take_in(struct mc_conn *c, const struct mc_calendar *cal,
		      const struct mc_portal_filed *f, const char *body,
		      int64_t now, struct mc_dossier *out, struct mc_err *err)
{
	static const char seen[] = "SELECT status FROM portal_inbound WHERE "
		"portal_code = ?1";
	static const char keep[] = "INSERT INTO portal_inbound (portal_code, "
		"body, status, dossier_id, received_at, updated_at) VALUES (?1, "
		"?2, 'taken', ?3, ?4, ?4) ON CONFLICT (portal_code) DO UPDATE "
		"SET status = 'taken', error = NULL, dossier_id = "
		"excluded.dossier_id, updated_at = excluded.updated_at";
	const struct mc_intake *in = &f->in;
	struct mc_user actor;
	struct mc_stmt *s;
	const char *st;
	int rc, i;

	if (!(s = mc_sql(c, seen, err)))
		return MC_EDB;
	mc_sql_text(s, 1, in->portal_code);
	if ((rc = mc_sql_step(s, err)) < 0)
		return rc;
	st = rc == 1 ? mc_sql_col_text(s, 0) : NULL;
	if (st && !strcmp(st, "taken")) {
		mc_sql_reset(s);
		return 1;		/* the same dossier again: one dossier */
	}
	if (rc == 1)
		mc_sql_reset(s);
	/* The portal's actor: it receives for every unit, as the counter. */
	mc_system_intake_actor(&actor, "dvcqg", "Cổng Dịch vụ công quốc gia",
			       "");
	/* The papers' files, fetched and stored by content. */
	for (i = 0; i < f->nfiles; i++) {
		const char *sha = in->components[f->files[i].component]
				  .file_sha256;

		if (!sha[0])
			return mc_error(err, MC_EINTERNAL, "portal: the file "
					"of paper %d was not fetched",
					f->files[i].paper + 1);
		if ((rc = mc_file_add(c, sha, f->files[i].size,
				      f->files[i].media_type, now, err)))
			return rc;
	}
	if ((rc = mc_dossier_intake(c, cal, &actor, in, now, out, err)))
		return rc;
	/* Every file, in order (the component holds the first). */
	for (i = 0; i < f->nfiles; i++)
		if ((rc = mc_component_file_add(c, out->id,
				in->components[f->files[i].component].code, i,
				in->components[f->files[i].component]
				.file_sha256, f->files[i].name, err)))
			return rc;
	if (f->paid_on[0]) {
		struct mc_payment p;

		memset(&p, 0, sizeof(p));
		snprintf(p.method, sizeof(p.method), "platform");
		snprintf(p.platform, sizeof(p.platform), "%s", f->paid_on);
		snprintf(p.transaction_id, sizeof(p.transaction_id), "%s",
			 f->transaction);
		p.amount = f->paid;
		p.paid_at = f->paid_at;
		if ((rc = mc_payment_carried(c, cal, out->code, in->notify,
					     now, &p, err)))
			return rc;
	}
	if (!(s = mc_sql(c, keep, err)))
		return MC_EDB;
	mc_sql_text(s, 1, in->portal_code);
	mc_sql_text(s, 2, body);
	mc_sql_int(s, 3, out->id);
	mc_sql_time(s, 4, now);
	return mc_sql_exec(s, err);
}

int mc_portal_inbound_failed(struct mc_conn *c, const char *portal_code,
			     const char *body, const char *error, int64_t now,
			     struct mc_err *err)
{
	static const char sql[] = "INSERT INTO portal_inbound (portal_code, "
		"body, status, error, received_at, updated_at) VALUES (?1, ?2, "
		"'failed', ?3, ?4, ?4) ON CONFLICT (portal_code) DO UPDATE SET "
		"error = excluded.error, updated_at = excluded.updated_at WHERE "
		"portal_inbound.status = 'failed'";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, portal_code);
	mc_sql_text(s, 2, body);
	mc_sql_text(s, 3, error);
	mc_sql_time(s, 4, now);
	return mc_sql_exec(s, err);
}

int mc_portal_state_get(struct mc_conn *c, const char *name, char *out,
			size_t n, struct mc_err *err)
{
	static const char sql[] = "SELECT value FROM portal_state WHERE name "
		"= ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	out[0] = '\0';
	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, name);
	if ((rc = mc_sql_step(s, err)) == 1) {
		mc_sql_col_copy(s, 0, out, n);
		mc_sql_reset(s);
	}
	return rc < 0 ? rc : 0;
}

int mc_portal_state_set(struct mc_conn *c, const char *name,
			const char *value, struct mc_err *err)
{
	static const char sql[] = "INSERT INTO portal_state (name, value) "
		"VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET value = "
		"excluded.value";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, name);
	mc_sql_text(s, 2, value);
	return mc_sql_exec(s, err);
}

/* Queues again the refused events of dossier 'id' ('d'), fresh HoSo. */
static int requeue(struct mc_conn *c, const struct mc_dossier *d,
		   const char *code, const char *public_url, int64_t now,
		   int *events, struct mc_err *err)
{
	/* The refused events, and those waiting behind them. */
	static const char list[] = "SELECT id, body, status, idempotency_key "
		"FROM portal_outbox WHERE dossier_id = ?1 AND status IN "
		"('rejected', 'pending') ORDER BY id";
	/*
	 * A refused one goes again with new content under a new key: under
	 * the old one the portal would answer what it answered before.
	 */
	static const char again[] = "UPDATE portal_outbox SET status = "
		"'pending', body = ?2, next_attempt_at = ?3, cause = NULL, "
		"last_error = NULL, idempotency_key = ?4 WHERE id = ?1";
	/* One waiting is only brought up to date. */
	static const char fresher[] = "UPDATE portal_outbox SET body = ?2 "
		"WHERE id = ?1 AND status = 'pending'";
	struct mc_portal_step step = { "", "", "", "", NULL, NULL, NULL };
	struct {
		int64_t id;
		char *body;
		bool refused;
		char key[256];
	} ev[64];
	char stamp[15], key[300], *fresh = NULL;
	json_t *fj, *now_hoso;
	struct mc_stmt *s;
	int n = 0, i, rc = 0;

	if (!(s = mc_sql(c, list, err)))
		return MC_EDB;
	mc_sql_int(s, 1, d->id);
	while (n < 64 && (rc = mc_sql_step(s, err)) == 1) {
		const char *b = mc_sql_col_text(s, 1);
		const char *st = mc_sql_col_text(s, 2);

		ev[n].id = mc_sql_col_int(s, 0);
		ev[n].body = mc_strdup(b ? b : "{}");
		ev[n].refused = st && !strcmp(st, "rejected");
		mc_sql_col_copy(s, 3, ev[n].key, sizeof(ev[n].key));
		n++;
	}
	if (rc == 1)
		mc_sql_reset(s);
	rc = rc < 0 ? rc : 0;
	step.public_url = public_url;
	if (!rc)
		rc = event_body(c, d, code, &step, now, &fresh, err);
	fj = json_loads(fresh ? fresh : "{}", 0, NULL);
	now_hoso = json_object_get(fj, "HoSo");
	mc_portal_time(now, stamp);
	for (i = 0; !rc && i < n; i++) {
		json_t *b = json_loads(ev[i].body, 0, NULL);
		char *text, *re;

		/* The step as it was; the dossier as it is. */
		if (now_hoso)
			json_object_set(b, "HoSo", now_hoso);
		text = mc_portal_json(b, JSON_SORT_KEYS);
		json_decref(b);
		/* The key as queued, and this retry's: "/re-<instant>". */
		if ((re = strstr(ev[i].key, "/re-")))
			*re = '\0';
		snprintf(key, sizeof(key), "%s/re-%s", ev[i].key, stamp);
		if (!text || !(s = mc_sql(c, ev[i].refused ? again : fresher,
					  err))) {
			rc = text ? MC_EDB : MC_ENOMEM;
		} else {
			mc_sql_int(s, 1, ev[i].id);
			mc_sql_text(s, 2, text);
			if (ev[i].refused) {
				mc_sql_time(s, 3, now);
				mc_sql_text(s, 4, key);
			}
			rc = mc_sql_exec(s, err);
			*events += !rc && ev[i].refused;
		}
		mc_free(text);
	}
	for (i = 0; i < n; i++)
		mc_free(ev[i].body);
	json_decref(fj);
	mc_free(fresh);
	return rc;
}

int mc_portal_not_taken(struct mc_conn *c, const char *code, char **body,
			struct mc_err *err)
{
	static const char sql[] = "SELECT body FROM portal_inbound WHERE "
		"portal_code = ?1 AND status = 'failed'";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	*body = NULL;
	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, code);
	if ((rc = mc_sql_step(s, err)) == 1) {
		const char *b = mc_sql_col_text(s, 0);

		*body = mc_strdup(b ? b : "{}");
		mc_sql_reset(s);
	}
	return rc < 0 ? rc : 0;
}

int mc_portal_retry(struct mc_conn *c, const struct mc_calendar *cal,
		    const struct mc_notify *n, const char *code,
		    const struct mc_portal_filed *filed, const char *body,
		    int64_t now, int *events, bool *taken, struct mc_err *err)
{
	static const char which[] = "SELECT d.code, COALESCE(pd.portal_code, "
		"d.code) FROM dossiers d LEFT JOIN portal_dossiers pd ON "
		"pd.dossier_id = d.id WHERE d.code = ?1 OR pd.portal_code = ?1";
	char mine[96] = "", theirs[96] = "";
	struct mc_dossier d;
	struct mc_stmt *s;
	int rc;

	*events = 0;
	*taken = false;
	if (!(s = mc_sql(c, which, err)))
		return MC_EDB;
	mc_sql_text(s, 1, code);
	if ((rc = mc_sql_step(s, err)) == 1) {
		mc_sql_col_copy(s, 0, mine, sizeof(mine));
		mc_sql_col_copy(s, 1, theirs, sizeof(theirs));
		mc_sql_reset(s);
	} else if (rc < 0) {
		return rc;
	}
	if (mine[0]) {
		memset(&d, 0, sizeof(d));
		if ((rc = mc_dossier_get(c, mine, &d, err)))
			return rc;
		rc = requeue(c, &d, theirs, n ? n->public_url : "", now,
			     events, err);
		mc_dossier_release(&d);
		if (rc)
			return rc;
	}
	/* Filed there and not taken in: now, as the caller fetched it. */
	if (filed && !mine[0]) {
		struct mc_portal_filed *f = mc_malloc(sizeof(*f));

		*f = *filed;
		f->in.notify = n;
		memset(&d, 0, sizeof(d));
		rc = mc_portal_take_in(c, cal, f, body, now, &d, err);
		*taken = rc == 0;
		rc = rc == 1 ? 0 : rc;
		mc_dossier_release(&d);
		mc_free(f);
		if (rc)
			return rc;
	}
	if (!*events && !*taken)
		return mc_error(err, MC_ENOTFOUND, "nothing of %s waits to be "
				"sent again or taken in", code);
	return 0;
}
