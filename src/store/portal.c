/*
 * portal.c — the national portal's queue (see portal.h).
 */
#include "core/compat.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "domain/portal.h"
#include "store/dossiers.h"
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

/* The body of the event: the dossier (HoSo) and the step (TienDo). */
static char *event_body(const struct mc_dossier *d,
			const struct mc_portal_step *step, int64_t now)
{
	int ps = (int)mc_portal_status(d->status);
	bool done = d->finished_at != MC_NO_TIME;
	char note[MC_TEXT_MAX + 256];
	json_t *hoso, *tiendo, *body;
	char *s;

	/* 12 digits: a personal identity number; else the old 9. */
	hoso = json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:s, s:[{s:o, s:s}], "
		"s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, "
		"s:s, s:s, s:o}",
		"MaHoSo", d->code,
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
		"MaHoSo", d->code,
		"NguoiXuLy", step->by,
		"ChucDanh", step->title ? step->title : "",
		"ThoiDiemXuLy", when(now),
		"PhongBanXuLy", step->unit ? step->unit : "",
		"NoiDungXuLy", note,
		"TrangThai", code_str(ps),
		"NgayBatDau", when(now),
		"NgayKetThucTheoQuyDinh", when(d->due_at));
	body = json_pack("{s:o, s:o}", "HoSo", hoso, "TienDo", tiendo);
	s = mc_portal_json(body, JSON_SORT_KEYS);
	json_decref(body);
	return s;
}

int mc_portal_enqueue(struct mc_conn *c, const struct mc_dossier *d,
		      const struct mc_portal_step *step, int64_t now,
		      struct mc_err *err)
{
	static const char sql[] = "INSERT INTO portal_outbox (dossier_id, "
		"seq, event, portal_status, body, idempotency_key, "
		"next_attempt_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
		"?7, ?7) ON CONFLICT (idempotency_key) DO NOTHING";
	struct mc_stmt *s;
	char key[128];
	char *body = event_body(d, step, now);
	int rc;

	if (!body)
		return mc_error(err, MC_ENOMEM, "portal: cannot encode %s",
				d->code);
	if (!(s = mc_sql(c, sql, err))) {
		mc_free(body);
		return MC_EDB;
	}
	snprintf(key, sizeof(key), "%s/%" PRId64 "%s%s", d->code,
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
	static const char sql[] = "SELECT p.id, p.dossier_id, p.seq, d.code, "
		"p.idempotency_key, p.event, p.portal_status, p.attempts, "
		"p.body FROM portal_outbox p JOIN dossiers d ON d.id = "
		"p.dossier_id WHERE p.id = ?1";
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
	/* The first event of its dossier the portal has not taken. */
	static const char heads[] = "SELECT p.id FROM portal_outbox p WHERE "
		DUE("p.") " AND NOT EXISTS (SELECT 1 FROM portal_outbox q WHERE "
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
			got++;
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
	static const char synced[] = "UPDATE portal_outbox SET status = "
		"'synced', synced_at = ?2, locked_until = NULL, cause = NULL, "
		"last_error = NULL WHERE id = ?1";
	static const char held[] = "INSERT INTO portal_dossiers (dossier_id, "
		"portal_code, synced_status, first_synced_at, synced_at) VALUES "
		"(?1, ?2, ?3, ?4, ?4) ON CONFLICT (dossier_id) DO UPDATE SET "
		"synced_status = excluded.synced_status, synced_at = "
		"excluded.synced_at";
	static const char retry[] = "UPDATE portal_outbox SET status = "
		"'pending', next_attempt_at = ?2, locked_until = NULL, cause = "
		"?3, last_error = ?4 WHERE id = ?1";
	static const char rejected[] = "UPDATE portal_outbox SET status = "
		"'rejected', locked_until = NULL, cause = ?2, last_error = ?3 "
		"WHERE id = ?1";
	static const char back[] = "UPDATE portal_outbox SET status = "
		"'pending', locked_until = NULL, attempts = attempts - 1 WHERE "
		"id = ?1";
	struct mc_stmt *s;
	int rc;

	switch (o) {
	case MC_PORTAL_SYNCED:
		if (!(s = mc_sql(c, synced, err)))
			return MC_EDB;
		mc_sql_int(s, 1, it->id);
		mc_sql_time(s, 2, now);
		if ((rc = mc_sql_exec(s, err)))
			return rc;
		if (!(s = mc_sql(c, held, err)))
			return MC_EDB;
		mc_sql_int(s, 1, it->dossier_id);
		mc_sql_text(s, 2, it->code);
		mc_sql_int(s, 3, it->portal_status);
		mc_sql_time(s, 4, now);
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
		return mc_sql_exec(s, err);
	case MC_PORTAL_PUT_BACK:
		if (!(s = mc_sql(c, back, err)))
			return MC_EDB;
		mc_sql_int(s, 1, it->id);
		return mc_sql_exec(s, err);
	}
	return mc_error(err, MC_EINTERNAL, "portal: no such outcome");
}

int mc_portal_stats(struct mc_conn *c, struct mc_portal_stats *out,
		    struct mc_err *err)
{
	static const char counts[] = "SELECT SUM(CASE WHEN status IN "
		"('pending', 'sending') THEN 1 ELSE 0 END), SUM(CASE WHEN "
		"status = 'rejected' THEN 1 ELSE 0 END), SUM(CASE WHEN status = "
		"'synced' THEN 1 ELSE 0 END), MIN(CASE WHEN status IN "
		"('pending', 'sending') THEN created_at END), MAX(synced_at) "
		"FROM portal_outbox";
	static const char never[] = "SELECT COUNT(DISTINCT p.dossier_id) FROM "
		"portal_outbox p WHERE NOT EXISTS (SELECT 1 FROM portal_dossiers "
		"pd WHERE pd.dossier_id = p.dossier_id)";
	static const char checks[] = "SELECT MAX(checked_at), SUM(CASE WHEN "
		"drift IS NOT NULL THEN 1 ELSE 0 END) FROM portal_dossiers";
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
	mc_sql_reset(s);
	if (!(s = mc_sql(c, never, err)))
		return MC_EDB;
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : MC_EDB;
	out->never_synced = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	if (!(s = mc_sql(c, checks, err)))
		return MC_EDB;
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : MC_EDB;
	out->checked_at = mc_sql_col_time(s, 0);
	out->drifted = mc_sql_col_int(s, 1);
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
	static const char sql[] = "SELECT d.id, d.code, d.status FROM "
		"portal_dossiers pd JOIN dossiers d ON d.id = pd.dossier_id "
		"WHERE pd.dossier_id > ?1 AND (d.finished_at IS NULL OR "
		"d.finished_at >= ?2) AND NOT EXISTS (SELECT 1 FROM "
		"portal_outbox p WHERE p.dossier_id = d.id AND p.status <> "
		"'synced') ORDER BY pd.dossier_id LIMIT ?3";
	struct mc_stmt *s = mc_sql(c, sql, err);
	char status[32];
	int n = 0, rc, st;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, after);
	mc_sql_time(s, 2, since);
	mc_sql_int(s, 3, max);
	while (n < max && (rc = mc_sql_step(s, err)) == 1) {
		out[n].dossier_id = mc_sql_col_int(s, 0);
		mc_sql_col_copy(s, 1, out[n].code, sizeof(out[n].code));
		mc_sql_col_copy(s, 2, status, sizeof(status));
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
		      const char *drift, int64_t now, struct mc_err *err)
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
	if ((rc = mc_dossier_get(c, ck->code, &d, err)))
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
	rc = mc_portal_enqueue(c, &d, &step, now, err);
	mc_dossier_release(&d);
	return rc;
}
