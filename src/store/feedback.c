/*
 * feedback.c — feedback and petitions (see feedback.h).
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "store/dossiers.h"
#include "store/feedback.h"

#define FB_COLS "f.id, f.code, f.province_code, f.channel, f.kind, " \
	"COALESCE(f.subject, ''), f.title, f.content, f.sender_name, " \
	"f.sender_phone, f.sender_email, f.sender_address, f.citizen_id, " \
	"COALESCE(d.code, ''), f.external_id, f.unit_id, u.code, u.name, " \
	"u.path, f.status, f.received_at, f.restarted_at, f.answered_at, " \
	"f.closed_at, f.due_at, f.answer, f.reason, f.forwarded_to, " \
	"f.reaction, f.row_version FROM feedback f JOIN units u ON u.id = " \
	"f.unit_id LEFT JOIN dossiers d ON d.id = f.dossier_id "

static void fb_row(struct mc_stmt *s, struct mc_feedback *f)
{
	char st[24];
	int v;

	memset(f, 0, sizeof(*f));
	f->id = mc_sql_col_int(s, 0);
	mc_sql_col_copy(s, 1, f->code, sizeof(f->code));
	mc_sql_col_copy(s, 2, f->province_code, sizeof(f->province_code));
	mc_sql_col_copy(s, 3, f->channel, sizeof(f->channel));
	mc_sql_col_copy(s, 4, f->kind, sizeof(f->kind));
	mc_sql_col_copy(s, 5, f->subject, sizeof(f->subject));
	mc_sql_col_copy(s, 6, f->title, sizeof(f->title));
	mc_sql_col_copy(s, 7, f->content, sizeof(f->content));
	mc_sql_col_copy(s, 8, f->sender_name, sizeof(f->sender_name));
	mc_sql_col_copy(s, 9, f->sender_phone, sizeof(f->sender_phone));
	mc_sql_col_copy(s, 10, f->sender_email, sizeof(f->sender_email));
	mc_sql_col_copy(s, 11, f->sender_address, sizeof(f->sender_address));
	f->citizen_id = mc_sql_col_int(s, 12);
	mc_sql_col_copy(s, 13, f->dossier_code, sizeof(f->dossier_code));
	mc_sql_col_copy(s, 14, f->external_id, sizeof(f->external_id));
	f->unit_id = mc_sql_col_int(s, 15);
	mc_sql_col_copy(s, 16, f->unit_code, sizeof(f->unit_code));
	mc_sql_col_copy(s, 17, f->unit_name, sizeof(f->unit_name));
	mc_sql_col_copy(s, 18, f->unit_path, sizeof(f->unit_path));
	mc_sql_col_copy(s, 19, st, sizeof(st));
	v = mc_fb_status_parse(st);
	f->status = v < 0 ? MC_FB_RECEIVED : (enum mc_fb_status)v;
	f->received_at = mc_sql_col_time(s, 20);
	f->restarted_at = mc_sql_col_time(s, 21);
	f->answered_at = mc_sql_col_time(s, 22);
	f->closed_at = mc_sql_col_time(s, 23);
	f->due_at = mc_sql_col_time(s, 24);
	mc_sql_col_copy(s, 25, f->answer, sizeof(f->answer));
	mc_sql_col_copy(s, 26, f->reason, sizeof(f->reason));
	mc_sql_col_copy(s, 27, f->forwarded_to, sizeof(f->forwarded_to));
	mc_sql_col_copy(s, 28, f->reaction, sizeof(f->reaction));
	f->row_version = mc_sql_col_int(s, 29);
}

static int get_by(struct mc_conn *c, const char *sql, const char *key,
		  struct mc_feedback *out, struct mc_err *err)
{
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, key);
	rc = mc_sql_step(s, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return mc_error(err, MC_ENOTFOUND, "feedback %s not found",
				key);
	fb_row(s, out);
	mc_sql_reset(s);
	return 0;
}

int mc_feedback_get(struct mc_conn *c, const char *code,
		    struct mc_feedback *out, struct mc_err *err)
{
	static const char sql[] = "SELECT " FB_COLS "WHERE f.code = ?1";

	return get_by(c, sql, code, out, err);
}

static int add_event(struct mc_conn *c, int64_t id, int64_t seq,
		     const char *actor, const char *action, const char *from,
		     const char *to, const char *note, int on_time,
		     int64_t now, struct mc_err *err)
{
	static const char sql[] = "INSERT INTO feedback_events (feedback_id, "
		"seq, at, actor, action, from_status, to_status, note, "
		"on_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	mc_sql_int(s, 2, seq);
	mc_sql_time(s, 3, now);
	mc_sql_text(s, 4, actor);
	mc_sql_text(s, 5, action);
	mc_sql_text_opt(s, 6, from);
	mc_sql_text(s, 7, to);
	mc_sql_text(s, 8, note);
	if (on_time < 0)
		mc_sql_null(s, 9);
	else
		mc_sql_int(s, 9, on_time);
	return mc_sql_exec(s, err);
}

int mc_feedback_create(struct mc_conn *c, const struct mc_feedback_in *in,
		       struct mc_feedback *out, bool *created,
		       struct mc_err *err)
{
	static const char ext[] = "SELECT " FB_COLS "WHERE f.external_id = ?1";
	static const char root[] = "SELECT admin_code, code FROM units WHERE "
		"parent_id IS NULL ORDER BY id LIMIT 1";
	static const char did[] = "SELECT id FROM dossiers WHERE code = ?1";
	static const char ins[] = "INSERT INTO feedback (code, province_code, "
		"channel, kind, subject, title, content, sender_name, "
		"sender_phone, sender_email, sender_address, citizen_id, "
		"dossier_id, external_id, unit_id, status, received_at, due_at, "
		"created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, "
		"?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 'received', "
		"?16, ?17, ?18, ?16, ?16) RETURNING id";
	const char *uc = in->unit_code[0] ? in->unit_code :
			 in->actor ? in->actor->unit_code : in->default_unit;
	struct mc_unit unit;
	struct mc_stmt *s;
	struct mc_ymd ymd = mc_ymd_from_days(mc_local_day(in->now));
	char province[16] = "", root_code[MC_CODE_MAX] = "", seqname[48],
	     day[8], code[48];
	int64_t seq, dossier_id = 0, due, id;
	int rc;

	*created = false;
	if (in->external_id[0] &&
	    get_by(c, ext, in->external_id, out, NULL) == 0)
		return 0;
	/* The province: the root of the unit tree, which takes in by default. */
	if ((s = mc_sql(c, root, err)) && mc_sql_step(s, NULL) == 1) {
		mc_sql_col_copy(s, 0, province, sizeof(province));
		mc_sql_col_copy(s, 1, root_code, sizeof(root_code));
		mc_sql_reset(s);
	}
	if (!uc || !uc[0])
		uc = root_code;
	if (!uc[0] || mc_unit_get(c, uc, &unit, NULL))
		return mc_err_field(err, "unit_code", "exists", "no unit has "
				    "the code %s", uc ? uc : "");
	if (in->dossier_code[0]) {
		if (!(s = mc_sql(c, did, err)))
			return MC_EDB;
		mc_sql_text(s, 1, in->dossier_code);
		rc = mc_sql_step(s, err);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return mc_err_field(err, "dossier_code", "exists", "no "
					    "dossier %s", in->dossier_code);
		dossier_id = mc_sql_col_int(s, 0);
		mc_sql_reset(s);
	}
	snprintf(seqname, sizeof(seqname), "PAKN-%s", province);
	snprintf(day, sizeof(day), "%02d%02d%02d", ymd.year % 100, ymd.month,
		 ymd.day);
	rc = mc_sequence_next(c, seqname, day, &seq, err);
	if (rc)
		return rc;
	snprintf(code, sizeof(code), "PAKN-%s-%04" PRId64, day, seq);
	rc = mc_fb_due(in->cal, in->lim, MC_FB_RECEIVED, in->now, MC_NO_TIME,
		       MC_NO_TIME, &due, err);
	if (rc)
		return rc;
	if (!(s = mc_sql(c, ins, err)))
		return MC_EDB;
	mc_sql_text(s, 1, code);
	mc_sql_text(s, 2, province);
	mc_sql_text(s, 3, in->channel);
	mc_sql_text(s, 4, in->kind);
	mc_sql_text_opt(s, 5, in->subject);
	mc_sql_text(s, 6, in->title);
	mc_sql_text(s, 7, in->content);
	mc_sql_text(s, 8, in->sender_name);
	mc_sql_text_opt(s, 9, in->sender_phone);
	mc_sql_text_opt(s, 10, in->sender_email);
	mc_sql_text_opt(s, 11, in->sender_address);
	mc_sql_id(s, 12, in->citizen_id);
	mc_sql_id(s, 13, dossier_id);
	mc_sql_text_opt(s, 14, in->external_id);
	mc_sql_int(s, 15, unit.id);
	mc_sql_time(s, 16, in->now);
	mc_sql_time(s, 17, due);
	mc_sql_id(s, 18, in->actor ? in->actor->id : 0);
	rc = mc_sql_step(s, err);
	if (rc != 1)
		return rc < 0 ? rc : MC_EDB;
	id = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	rc = add_event(c, id, 1, in->actor ? in->actor->username : "citizen",
		       "receive", NULL, "received", in->channel, -1, in->now,
		       err);
	if (!rc)
		rc = mc_feedback_get(c, code, out, err);
	*created = rc == 0;
	return rc;
}

static int64_t last_seq(struct mc_conn *c, int64_t id, struct mc_err *err)
{
	static const char sql[] = "SELECT COALESCE(MAX(seq), 0) FROM "
		"feedback_events WHERE feedback_id = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int64_t v;

	if (!s)
		return -1;
	mc_sql_int(s, 1, id);
	if (mc_sql_step(s, err) != 1)
		return -1;
	v = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	return v;
}

int mc_feedback_act(struct mc_conn *c, const char *code,
		    const struct mc_feedback_act *a, struct mc_feedback *out,
		    struct mc_err *err)
{
	static const char upd[] = "UPDATE feedback SET status = ?3, subject = "
		"?4, unit_id = ?5, restarted_at = ?6, answered_at = ?7, "
		"closed_at = ?8, due_at = ?9, answer = ?10, reason = ?11, "
		"forwarded_to = ?12, updated_at = ?13, row_version = "
		"row_version + 1 WHERE id = ?1 AND row_version = ?2";
	struct mc_feedback *f = out;
	enum mc_fb_status from, to;
	struct mc_unit unit;
	struct mc_stmt *s;
	const char *note = "";
	int64_t deadline = MC_NO_TIME, seq;
	int on_time = -1, rc;

	rc = mc_feedback_get(c, code, f, err);
	if (rc)
		return rc;
	if (!mc_unit_within(f->unit_path, a->actor->unit_path))
		return mc_error(err, MC_ENOTFOUND, "feedback %s not found",
				code);
	if (a->expect_version && a->expect_version != f->row_version)
		return mc_err_rule(err, MC_ECONFLICT, "version", "changed",
				   "the feedback changed since version %"
				   PRId64 "; reload it", a->expect_version);
	from = f->status;
	rc = mc_fb_next(from, a->action, &to, err);
	if (rc)
		return rc;
	/* Whether the step keeps its deadline, and what it needs. */
	rc = mc_fb_deadline(a->cal, a->lim, a->action,
			    a->action == MC_FBA_PUBLISH ? f->answered_at :
			    a->action == MC_FBA_ANSWER &&
			    f->restarted_at != MC_NO_TIME ? f->restarted_at :
			    f->received_at, &deadline, err);
	if (rc)
		return rc;
	if (deadline != MC_NO_TIME)
		on_time = a->now <= deadline;
	switch (a->action) {
	case MC_FBA_ACCEPT:
		if (a->subject && a->subject[0])
			snprintf(f->subject, sizeof(f->subject), "%s",
				 a->subject);
		if (!f->subject[0])
			return mc_err_field(err, "subject", "required",
					    "classify it: regulation, "
					    "procedure or conduct");
		break;
	case MC_FBA_REJECT:
	case MC_FBA_REQUEST_INFO:
		if (!a->reason || !a->reason[0])
			return mc_err_field(err, "reason", "required", "give "
					    "the reason");
		snprintf(f->reason, sizeof(f->reason), "%s", a->reason);
		note = a->reason;
		break;
	case MC_FBA_FORWARD:
		if (!a->forwarded_to || !a->forwarded_to[0])
			return mc_err_field(err, "forwarded_to", "required",
					    "name the competent body");
		snprintf(f->forwarded_to, sizeof(f->forwarded_to), "%s",
			 a->forwarded_to);
		snprintf(f->reason, sizeof(f->reason), "%s",
			 a->reason ? a->reason : "");
		note = a->forwarded_to;
		break;
	case MC_FBA_ROUTE:
		if (!a->unit_code || mc_unit_get(c, a->unit_code, &unit,
						 NULL))
			return mc_err_field(err, "unit_code", "exists", "no "
					    "unit has the code %s",
					    a->unit_code ? a->unit_code : "");
		f->unit_id = unit.id;
		note = unit.code;
		break;
	case MC_FBA_SUPPLY_INFO:
		f->restarted_at = a->now;
		note = a->reason ? a->reason : "";
		break;
	case MC_FBA_ANSWER:
		if (!a->answer || !a->answer[0])
			return mc_err_field(err, "answer", "required", "give "
					    "the answer");
		snprintf(f->answer, sizeof(f->answer), "%s", a->answer);
		f->answered_at = a->now;
		break;
	default:
		break;
	}
	f->status = to;
	if (mc_fb_final(to))
		f->closed_at = a->now;
	rc = mc_fb_due(a->cal, a->lim, to, f->received_at, f->restarted_at,
		       f->answered_at, &f->due_at, err);
	if (rc)
		return rc;
	if (!(s = mc_sql(c, upd, err)))
		return MC_EDB;
	mc_sql_int(s, 1, f->id);
	mc_sql_int(s, 2, f->row_version);
	mc_sql_text(s, 3, mc_fb_status_name(to));
	mc_sql_text_opt(s, 4, f->subject);
	mc_sql_int(s, 5, f->unit_id);
	mc_sql_time(s, 6, f->restarted_at);
	mc_sql_time(s, 7, f->answered_at);
	mc_sql_time(s, 8, f->closed_at);
	mc_sql_time(s, 9, f->due_at);
	mc_sql_text_opt(s, 10, f->answer);
	mc_sql_text_opt(s, 11, f->reason);
	mc_sql_text_opt(s, 12, f->forwarded_to);
	mc_sql_time(s, 13, a->now);
	rc = mc_sql_exec(s, err);
	if (rc)
		return rc;
	if (mc_sql_changes(c) != 1)
		return mc_err_rule(err, MC_ECONFLICT, "version", "changed",
				   "the feedback changed meanwhile; reload it");
	if ((seq = last_seq(c, f->id, err)) < 0)
		return MC_EDB;
	rc = add_event(c, f->id, seq + 1, a->actor->username,
		       mc_fb_action_name(a->action), mc_fb_status_name(from),
		       mc_fb_status_name(to), note, on_time, a->now, err);
	return rc ? rc : mc_feedback_get(c, code, out, err);
}

int mc_feedback_events(struct mc_conn *c, int64_t id,
		       mc_feedback_event_fn *fn, void *arg,
		       struct mc_err *err)
{
	static const char sql[] = "SELECT seq, at, actor, action, "
		"COALESCE(from_status, ''), to_status, note, COALESCE(on_time, "
		"-1) FROM feedback_events WHERE feedback_id = ?1 ORDER BY seq";
	struct mc_feedback_event e;
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc, n = 0;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	while ((rc = mc_sql_step(s, err)) == 1) {
		memset(&e, 0, sizeof(e));
		e.seq = mc_sql_col_int(s, 0);
		e.at = mc_sql_col_time(s, 1);
		mc_sql_col_copy(s, 2, e.actor, sizeof(e.actor));
		mc_sql_col_copy(s, 3, e.action, sizeof(e.action));
		mc_sql_col_copy(s, 4, e.from, sizeof(e.from));
		mc_sql_col_copy(s, 5, e.to, sizeof(e.to));
		mc_sql_col_copy(s, 6, e.note, sizeof(e.note));
		e.on_time = (int)mc_sql_col_int(s, 7);
		fn(&e, arg);
		n++;
	}
	return rc < 0 ? rc : n;
}

int mc_feedback_list(struct mc_conn *c, const struct mc_feedback_filter *f,
		     mc_feedback_fn *fn, void *arg, struct mc_err *err)
{
	static const char sql[] = "SELECT " FB_COLS "WHERE f.id < ?1 AND "
		"(CAST(?2 AS TEXT) IS NULL OR substr(u.path, 1, length(CAST(?2 "
		"AS TEXT))) = ?2) AND (CAST(?3 AS TEXT) IS NULL OR f.status = "
		"?3) AND (?4 = 0 OR f.closed_at IS NULL) AND (?5 = 0 OR "
		"f.status = 'published') AND (?6 = 0 OR (f.closed_at IS NULL "
		"AND f.due_at < ?7)) AND (CAST(?8 AS TEXT) IS NULL OR f.subject "
		"= ?8) AND (?9 = 0 OR f.citizen_id = ?9) ORDER BY f.id DESC "
		"LIMIT ?10";
	struct mc_feedback *row = mc_malloc(sizeof(*row));
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc, n = 0;

	if (!s) {
		mc_free(row);
		return MC_EDB;
	}
	mc_sql_int(s, 1, f->before_id > 0 ? f->before_id : INT64_MAX);
	mc_sql_text(s, 2, f->scope_path);
	mc_sql_text(s, 3, f->status >= 0 ?
		    mc_fb_status_name((enum mc_fb_status)f->status) : NULL);
	mc_sql_int(s, 4, f->open_only);
	mc_sql_int(s, 5, f->published_only);
	mc_sql_int(s, 6, f->overdue_only);
	mc_sql_time(s, 7, f->now);
	mc_sql_text(s, 8, f->subject);
	mc_sql_int(s, 9, f->citizen_id);
	mc_sql_int(s, 10, f->limit);
	while ((rc = mc_sql_step(s, err)) == 1) {
		fb_row(s, row);
		fn(row, arg);
		n++;
	}
	mc_free(row);
	return rc < 0 ? rc : n;
}

int mc_feedback_react(struct mc_conn *c, const char *code,
		      int64_t citizen_id, const char *reaction, int64_t now,
		      struct mc_err *err)
{
	static const char sql[] = "UPDATE feedback SET reaction = ?2, "
		"reaction_at = ?3 WHERE id = ?1";
	struct mc_feedback *f = mc_malloc(sizeof(*f));
	struct mc_stmt *s;
	int rc = mc_feedback_get(c, code, f, err);

	if (!rc && f->citizen_id != citizen_id)
		rc = mc_error(err, MC_ENOTFOUND, "feedback %s not found",
			      code);
	if (!rc && f->status != MC_FB_PUBLISHED)
		rc = mc_err_rule(err, MC_ECONFLICT, "reaction", "status",
				 "the answer is not published yet");
	if (!rc && !(s = mc_sql(c, sql, err)))
		rc = MC_EDB;
	if (!rc) {
		mc_sql_int(s, 1, f->id);
		mc_sql_text(s, 2, reaction);
		mc_sql_time(s, 3, now);
		rc = mc_sql_exec(s, err);
	}
	mc_free(f);
	return rc;
}
