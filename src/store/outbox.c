/*
 * outbox.c — the outbox of messages (see outbox.h).
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "store/catalog.h"
#include "store/dossiers.h"
#include "store/outbox.h"
#include "store/portal.h"
#include "store/store.h"

/* "17:00 ngày 09/03/2026" and "09/03/2026": instants for people. */
static void local_when(int64_t t, char *buf, size_t n, bool with_time)
{
	int32_t day = mc_local_day(t);
	struct mc_ymd d = mc_ymd_from_days(day);
	int64_t secs = t - mc_local_day_start(day);

	if (with_time)
		snprintf(buf, n, "%02d:%02d ngày %02d/%02d/%04d",
			 (int)(secs / 3600), (int)(secs / 60 % 60), d.day,
			 d.month, d.year);
	else
		snprintf(buf, n, "%02d/%02d/%04d", d.day, d.month, d.year);
}

struct tpl {
	int64_t id;
	int version;
	char subject[MC_MSG_SUBJECT_MAX];
	char body[MC_MSG_BODY_MAX];
};

/* The newest active template of 'ev' on 'ch': 1, 0 if none, or error. */
static int template_of(struct mc_conn *c, enum mc_msg_event ev,
		       enum mc_msg_channel ch, struct tpl *t,
		       struct mc_err *err)
{
	static const char sql[] = "SELECT id, version, subject, body FROM "
		"message_templates WHERE event = ?1 AND channel = ?2 AND "
		"active = 1 ORDER BY version DESC LIMIT 1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, mc_msg_event_name(ev));
	mc_sql_text(s, 2, mc_msg_channel_name(ch));
	rc = mc_sql_step(s, err);
	if (rc != 1)
		return rc;
	t->id = mc_sql_col_int(s, 0);
	t->version = (int)mc_sql_col_int(s, 1);
	mc_sql_col_copy(s, 2, t->subject, sizeof(t->subject));
	mc_sql_col_copy(s, 3, t->body, sizeof(t->body));
	mc_sql_reset(s);
	return 1;
}

/*
 * Event 'ev' to phone 'to' by Zalo, when a ZNS template for it is active:
 * its parameters filled from 'vals' (each rendered, then encoded: a value
 * may hold quotes), the SMS text 'sms' kept to send instead if Zalo
 * cannot. 1 queued, 0 no template, or an error.
 */
static int queue_zalo(struct mc_conn *c, const struct mc_notify *n,
		      const char *province_code, int64_t dossier_id,
		      enum mc_msg_event ev, const char *to,
		      const struct mc_msg_values *vals, const char *key,
		      const char *sms, int64_t now, struct mc_err *err)
{
	static const char tpl[] = "SELECT template_id, params FROM "
		"zalo_templates WHERE event = ?1 AND active = 1 ORDER BY "
		"version DESC LIMIT 1";
	static const char ins[] = "INSERT INTO messages (province_code, "
		"dossier_id, event, channel, recipient, subject, body, "
		"priority, status, idempotency_key, next_attempt_at, "
		"expires_at, created_at, updated_at, fallback_body) VALUES (?1, "
		"?2, ?3, 'zalo', ?4, ?5, ?6, ?7, 'created', ?8, ?9, ?10, ?9, "
		"?9, ?11) ON CONFLICT (idempotency_key) DO NOTHING";
	struct mc_buf v = MC_BUF_INIT(MC_MSG_BODY_MAX - 1);
	struct mc_stmt *st = mc_sql(c, tpl, err);
	char id[64], zkey[200], *data = NULL;
	json_t *params, *out, *val;
	const char *name;
	int rc;

	if (!st)
		return MC_EDB;
	mc_sql_text(st, 1, mc_msg_event_name(ev));
	if ((rc = mc_sql_step(st, err)) != 1)
		return rc;
	mc_sql_col_copy(st, 0, id, sizeof(id));
	params = json_loads(mc_sql_col_text(st, 1) ? mc_sql_col_text(st, 1) :
			    "", 0, NULL);
	mc_sql_reset(st);
	out = json_object();
	json_object_foreach(params, name, val) {
		if (!json_is_string(val))
			continue;	/* checked when made: not seen */
		v.len = 0;
		if (mc_msg_render(json_string_value(val), vals, &v)) {
			rc = mc_error(err, MC_ETOOBIG, "the zalo message of "
				      "%s is too long", mc_msg_event_name(ev));
			goto out;
		}
		json_object_set_new(out, name, json_stringn(v.buf ? v.buf : "",
							    v.len));
	}
	data = mc_portal_json(out, JSON_SORT_KEYS);
	snprintf(zkey, sizeof(zkey), "%s/zalo", key);
	if (!data || !(st = mc_sql(c, ins, err))) {
		rc = data ? MC_EDB : mc_error(err, MC_ENOMEM, "zalo: the "
					      "template data");
		goto out;
	}
	mc_sql_text(st, 1, province_code);
	mc_sql_id(st, 2, dossier_id);
	mc_sql_text(st, 3, mc_msg_event_name(ev));
	mc_sql_text(st, 4, to);
	mc_sql_text(st, 5, id);
	mc_sql_text(st, 6, data);
	mc_sql_int(st, 7, mc_msg_event_priority(ev));
	mc_sql_text(st, 8, zkey);
	mc_sql_time(st, 9, now);
	mc_sql_time(st, 10, now + n->window_s);
	mc_sql_text_opt(st, 11, sms);
	rc = mc_sql_exec(st, err);
	if (!rc)
		rc = 1;
out:
	json_decref(params);
	json_decref(out);
	mc_free(data);
	mc_buf_release(&v);
	return rc;
}

int mc_outbox_replaced(struct mc_conn *c, const struct mc_notify *n,
		       const struct mc_dossier *d, enum mc_msg_channel ch,
		       const char *old, int64_t now, struct mc_err *err)
{
	struct mc_msg_values v;
	struct mc_unit unit;
	char key[160], date[16];

	memset(&v, 0, sizeof(v));
	if (mc_unit_get_id(c, d->unit_id, &unit, NULL) == 0)
		v.v[MC_PH_AGENCY] = unit.name;
	v.v[MC_PH_CODE] = d->code;
	local_when(now, date, sizeof(date), false);
	v.v[MC_PH_DATE] = date;
	snprintf(key, sizeof(key), "%s/contact/%s", d->code,
		 mc_msg_channel_name(ch));
	return mc_outbox_queue(c, n, d->province_code, d->id,
			       MC_EV_CONTACT_CHANGED, ch, old, &v, key, now,
			       err);
}

int mc_outbox_queue(struct mc_conn *c, const struct mc_notify *n,
		    const char *province_code, int64_t dossier_id,
		    enum mc_msg_event ev, enum mc_msg_channel ch,
		    const char *to, const struct mc_msg_values *vals,
		    const char *key, int64_t now, struct mc_err *err)
{
	static const char sql[] = "INSERT INTO messages (province_code, "
		"dossier_id, event, channel, recipient, template_id, "
		"template_version, subject, body, priority, status, "
		"idempotency_key, next_attempt_at, expires_at, created_at, "
		"updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
		"'created', ?11, ?12, ?13, ?12, ?12) ON CONFLICT "
		"(idempotency_key) DO NOTHING";
	struct mc_buf subject = MC_BUF_INIT(MC_MSG_SUBJECT_MAX - 1),
		      body = MC_BUF_INIT(MC_MSG_BODY_MAX - 1);
	struct mc_stmt *s;
	struct tpl *t;
	int rc;

	if (!n || !n->channel[ch] || !to || !to[0])
		return 0;
	t = mc_calloc(1, sizeof(*t));
	rc = template_of(c, ev, ch, t, err);
	if (rc <= 0)
		goto out;		/* no template: nothing to send */
	if (mc_msg_render(t->body, vals, &body) ||
	    mc_msg_render(t->subject, vals, &subject)) {
		rc = mc_error(err, MC_ETOOBIG, "the %s message of %s is too "
			      "long", mc_msg_channel_name(ch),
			      mc_msg_event_name(ev));
		goto out;
	}
	/*
	 * Zalo first where it is on and has a template for the event (not
	 * one-time codes): the SMS goes only if Zalo cannot deliver.
	 */
	if (ch == MC_MSG_SMS && n->channel[MC_MSG_ZALO] && ev != MC_EV_OTP &&
	    (rc = queue_zalo(c, n, province_code, dossier_id, ev, to, vals,
			     key, body.buf ? body.buf : "", now, err)) != 0)
		goto out;
	if (!(s = mc_sql(c, sql, err))) {
		rc = MC_EDB;
		goto out;
	}
	mc_sql_text(s, 1, province_code);
	mc_sql_id(s, 2, dossier_id);
	mc_sql_text(s, 3, mc_msg_event_name(ev));
	mc_sql_text(s, 4, mc_msg_channel_name(ch));
	mc_sql_text(s, 5, to);
	mc_sql_int(s, 6, t->id);
	mc_sql_int(s, 7, t->version);
	mc_sql_text_opt(s, 8, subject.len ? subject.buf : "");
	mc_sql_text(s, 9, body.buf ? body.buf : "");
	mc_sql_int(s, 10, mc_msg_event_priority(ev));
	mc_sql_text(s, 11, key);
	mc_sql_time(s, 12, now);
	mc_sql_time(s, 13, now + n->window_s);
	rc = mc_sql_exec(s, err);
	if (!rc)
		rc = 1;
out:
	mc_buf_release(&subject);
	mc_buf_release(&body);
	mc_free(t);
	return rc;
}

int mc_outbox_dossier(struct mc_conn *c, const struct mc_notify *n,
		      const struct mc_dossier *d, enum mc_msg_event ev,
		      const char *reason, int64_t now, struct mc_err *err)
{
	struct mc_msg_values v;
	struct mc_unit unit;
	char due[40], date[16], link[512], key[160], money[48];
	int ch, rc = 0;

	if (!n || !((n->channel[MC_MSG_SMS] && d->applicant_phone[0]) ||
		    (n->channel[MC_MSG_EMAIL] && d->applicant_email[0])))
		return 0;
	memset(&v, 0, sizeof(v));
	if (mc_unit_get_id(c, d->unit_id, &unit, NULL) == 0)
		v.v[MC_PH_AGENCY] = unit.name;
	v.v[MC_PH_CODE] = d->code;
	v.v[MC_PH_PROCEDURE] = d->procedure_name;
	if (d->due_at != MC_NO_TIME) {
		local_when(d->due_at, due, sizeof(due), true);
		v.v[MC_PH_DUE] = due;
	}
	local_when(now, date, sizeof(date), false);
	v.v[MC_PH_DATE] = date;
	v.v[MC_PH_REASON] = reason;
	snprintf(link, sizeof(link), "%s/tra-cuu/%s", n->public_url, d->code);
	v.v[MC_PH_LINK] = link;
	if (ev == MC_EV_PAYMENT_DUE) {
		static const char owed[] = "SELECT (SELECT COALESCE(SUM("
			"amount), 0) FROM dossier_fees WHERE dossier_id = ?1) "
			"- (SELECT COALESCE(SUM(amount), 0) FROM payments "
			"WHERE dossier_id = ?1)";
		struct mc_stmt *s = mc_sql(c, owed, err);

		if (!s)
			return MC_EDB;
		mc_sql_int(s, 1, d->id);
		if ((rc = mc_sql_step(s, err)) != 1)
			return rc < 0 ? rc : MC_EDB;
		mc_msg_amount(mc_sql_col_int(s, 0), money, sizeof(money));
		mc_sql_reset(s);
		v.v[MC_PH_AMOUNT] = money;
		rc = 0;
	}
	for (ch = 0; rc >= 0 && ch <= MC_MSG_EMAIL; ch++) {
		snprintf(key, sizeof(key), "%s/%" PRId64 "/%s", d->code,
			 d->row_version, mc_msg_channel_name(ch));
		rc = mc_outbox_queue(c, n, d->province_code, d->id,
				     ev, (enum mc_msg_channel)ch,
				     ch == MC_MSG_SMS ? d->applicant_phone :
				     d->applicant_email, &v, key, now, err);
	}
	return rc < 0 ? rc : 0;
}

#define MSG_COLS "m.id, COALESCE(d.code, ''), m.event, m.channel, " \
	"m.recipient, m.template_id, m.template_version, m.subject, m.body, " \
	"m.priority, m.status, m.idempotency_key, m.attempts, " \
	"m.next_attempt_at, m.expires_at, m.created_at, m.sent_at, " \
	"m.done_at, m.provider_id, m.last_error, m.webhook_id FROM messages " \
	"m LEFT JOIN dossiers d ON d.id = m.dossier_id "

static void message_row(struct mc_stmt *s, struct mc_message *m)
{
	char buf[32];
	int v;

	memset(m, 0, sizeof(*m));
	m->id = mc_sql_col_int(s, 0);
	mc_sql_col_copy(s, 1, m->dossier_code, sizeof(m->dossier_code));
	mc_sql_col_copy(s, 2, buf, sizeof(buf));
	v = mc_msg_event_parse(buf);
	m->event = v < 0 ? MC_EV_RECEIVED : (enum mc_msg_event)v;
	mc_sql_col_copy(s, 3, buf, sizeof(buf));
	v = mc_msg_channel_parse(buf);
	m->channel = v < 0 ? MC_MSG_SMS : (enum mc_msg_channel)v;
	mc_sql_col_copy(s, 4, m->recipient, sizeof(m->recipient));
	m->template_id = mc_sql_col_int(s, 5);
	m->template_version = (int)mc_sql_col_int(s, 6);
	mc_sql_col_copy(s, 7, m->subject, sizeof(m->subject));
	mc_sql_col_copy(s, 8, m->body, sizeof(m->body));
	m->priority = (int)mc_sql_col_int(s, 9);
	mc_sql_col_copy(s, 10, m->status, sizeof(m->status));
	mc_sql_col_copy(s, 11, m->key, sizeof(m->key));
	m->attempts = (int)mc_sql_col_int(s, 12);
	m->next_attempt_at = mc_sql_col_time(s, 13);
	m->expires_at = mc_sql_col_time(s, 14);
	m->created_at = mc_sql_col_time(s, 15);
	m->sent_at = mc_sql_col_time(s, 16);
	m->done_at = mc_sql_col_time(s, 17);
	mc_sql_col_copy(s, 18, m->provider_id, sizeof(m->provider_id));
	mc_sql_col_copy(s, 19, m->last_error, sizeof(m->last_error));
	m->webhook_id = mc_sql_col_int(s, 20);
}

#define CLAIM_SQL "SELECT m.id FROM messages m WHERE m.status IN " \
	"('created', 'sending') AND m.priority <= ?2 AND ((m.status = " \
	"'created' AND m.next_attempt_at <= ?1) OR (m.status = 'sending' " \
	"AND m.locked_until <= ?1)) ORDER BY m.priority, m.next_attempt_at " \
	"LIMIT ?3"

int mc_outbox_claim(struct mc_conn *c, int64_t now, int64_t lease_s,
		    int max_priority, struct mc_message *out, int n,
		    struct mc_err *err)
{
	static const char sql[] = CLAIM_SQL;
	static const char sql_locked[] = CLAIM_SQL " FOR UPDATE SKIP LOCKED";
	static const char take[] = "UPDATE messages SET status = 'sending', "
		"locked_until = ?2, attempts = attempts + 1, updated_at = ?3 "
		"WHERE id = ?1";
	static const char get[] = "SELECT " MSG_COLS "WHERE m.id = ?1";
	struct mc_stmt *s;
	int64_t *ids = mc_calloc((size_t)(n > 0 ? n : 1), sizeof(*ids));
	int k = 0, i, rc = 0;

	s = mc_sql(c, mc_store_concurrent_writers(mc_conn_store(c)) ?
		   sql_locked : sql, err);
	if (!s) {
		mc_free(ids);
		return MC_EDB;
	}
	mc_sql_time(s, 1, now);
	mc_sql_int(s, 2, max_priority);
	mc_sql_int(s, 3, n);
	while (k < n && (rc = mc_sql_step(s, err)) == 1)
		ids[k++] = mc_sql_col_int(s, 0);
	if (rc == 1)
		mc_sql_reset(s);
	rc = rc < 0 ? rc : 0;
	for (i = 0; !rc && i < k; i++) {
		if (!(s = mc_sql(c, take, err))) {
			rc = MC_EDB;
			break;
		}
		mc_sql_int(s, 1, ids[i]);
		mc_sql_time(s, 2, now + lease_s);
		mc_sql_time(s, 3, now);
		rc = mc_sql_exec(s, err);
		if (rc)
			break;
		if (!(s = mc_sql(c, get, err))) {
			rc = MC_EDB;
			break;
		}
		mc_sql_int(s, 1, ids[i]);
		rc = mc_sql_step(s, err);
		if (rc == 1) {
			message_row(s, &out[i]);
			mc_sql_reset(s);
			rc = 0;
		} else if (rc == 0) {
			rc = mc_error(err, MC_EINTERNAL, "claimed message %"
				      PRId64 " vanished", ids[i]);
		}
	}
	mc_free(ids);
	return rc ? rc : k;
}

int mc_outbox_done(struct mc_conn *c, int64_t id, enum mc_outcome o,
		   const char *provider_id, const char *error, int64_t now,
		   int64_t next_at, struct mc_err *err)
{
	/*
	 * A one-time code is not kept once its message is done with (sent,
	 * refused, or expired unsent): the text goes, the record stays
	 * (docs/personal-data.md). Only the keyed hash in citizen_otps can
	 * check a code.
	 */
#define FORGET_CODE(done) "body = CASE WHEN event = 'otp' AND " done \
	" THEN '" MC_OTP_FORGOTTEN "' ELSE body END, fallback_body = CASE " \
	"WHEN event = 'otp' AND " done " THEN NULL ELSE fallback_body END, "
	static const char sent[] = "UPDATE messages SET status = 'sent', "
		FORGET_CODE("1 = 1") "provider_id = ?2, sent_at = ?3, "
		"locked_until = NULL, last_error = NULL, updated_at = ?3 WHERE "
		"id = ?1 AND status = 'sending'";
	static const char refused[] = "UPDATE messages SET status = "
		"'permanent_failure', " FORGET_CODE("1 = 1") "last_error = ?2, "
		"done_at = ?3, locked_until = NULL, handed_at = NULL, "
		"updated_at = ?3 WHERE id = ?1 AND status = 'sending'";
	static const char retry[] = "UPDATE messages SET status = CASE WHEN "
		"?4 >= expires_at THEN 'technical_failure' ELSE 'created' END, "
		FORGET_CODE("?4 >= expires_at")
		"done_at = CASE WHEN ?4 >= expires_at THEN ?3 END, "
		"next_attempt_at = ?4, last_error = ?2, locked_until = NULL, "
		"handed_at = NULL, updated_at = ?3 WHERE id = ?1 AND status = "
		"'sending'";
#undef FORGET_CODE
	struct mc_stmt *s;

	s = mc_sql(c, o == MC_OUT_SENT ? sent : o == MC_OUT_REFUSED ? refused :
		   retry, err);
	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	mc_sql_text(s, 2, o == MC_OUT_SENT ? provider_id : error);
	mc_sql_time(s, 3, now);
	if (o == MC_OUT_RETRY)
		mc_sql_time(s, 4, next_at);
	return mc_sql_exec(s, err);
}

int mc_outbox_later(struct mc_conn *c, int64_t id, int64_t next_at,
		    int64_t expires_at, const char *why, int64_t now,
		    struct mc_err *err)
{
	static const char sql[] = "UPDATE messages SET status = 'created', "
		"attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 "
		"END, next_attempt_at = ?2, expires_at = ?3, last_error = ?4, "
		"locked_until = NULL, handed_at = NULL, updated_at = ?5 WHERE "
		"id = ?1 AND status = 'sending'";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	mc_sql_time(s, 2, next_at);
	mc_sql_time(s, 3, expires_at);
	mc_sql_text(s, 4, why);
	mc_sql_time(s, 5, now);
	return mc_sql_exec(s, err);
}

int mc_outbox_reserve(struct mc_conn *c, const struct mc_message *m,
		      int64_t since, int limit, int64_t now, int64_t *first,
		      struct mc_err *err)
{
	static const char lock[] = "SELECT pg_advisory_xact_lock(hashtext(?1 "
		"|| ':' || ?2))";
	static const char count[] = "SELECT COUNT(*), MIN(handed_at) FROM "
		"messages WHERE channel = ?1 AND recipient = ?2 AND handed_at "
		">= ?3 AND id <> ?4";
	static const char mark[] = "UPDATE messages SET handed_at = ?2 WHERE "
		"id = ?1";
	const char *ch = mc_msg_channel_name(m->channel);
	struct mc_stmt *s;
	int64_t n;
	int rc;

	if (mc_store_concurrent_writers(mc_conn_store(c))) {
		if (!(s = mc_sql(c, lock, err)))
			return MC_EDB;
		mc_sql_text(s, 1, ch);
		mc_sql_text(s, 2, m->recipient);
		if ((rc = mc_sql_step(s, err)) != 1)
			return rc < 0 ? rc : MC_EDB;
		mc_sql_reset(s);
	}
	if (!(s = mc_sql(c, count, err)))
		return MC_EDB;
	mc_sql_text(s, 1, ch);
	mc_sql_text(s, 2, m->recipient);
	mc_sql_time(s, 3, since);
	mc_sql_int(s, 4, m->id);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : MC_EDB;
	n = mc_sql_col_int(s, 0);
	*first = mc_sql_col_time(s, 1);
	mc_sql_reset(s);
	if (n >= limit)
		return 0;
	if (!(s = mc_sql(c, mark, err)))
		return MC_EDB;
	mc_sql_int(s, 1, m->id);
	mc_sql_time(s, 2, now);
	rc = mc_sql_exec(s, err);
	return rc ? rc : 1;
}

int mc_outbox_receipt(struct mc_conn *c, enum mc_msg_channel ch,
		      const char *provider_id, const char *status,
		      int64_t at, struct mc_err *err)
{
	static const char sql[] = "UPDATE messages SET status = ?3, done_at = "
		"?4, updated_at = ?4 WHERE channel = ?1 AND provider_id = ?2 "
		"AND status IN ('sending', 'sent')";
	static const char known[] = "SELECT 1 FROM messages WHERE channel = "
		"?1 AND provider_id = ?2";
	struct mc_stmt *s;
	int rc;

	if (strcmp(status, "delivered") && strcmp(status, "temporary_failure")
	    && strcmp(status, "permanent_failure"))
		return mc_err_field(err, "status", "one_of", "one of "
				    "delivered, temporary_failure, "
				    "permanent_failure");
	if (!(s = mc_sql(c, known, err)))
		return MC_EDB;
	mc_sql_text(s, 1, mc_msg_channel_name(ch));
	mc_sql_text(s, 2, provider_id);
	rc = mc_sql_step(s, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return mc_error(err, MC_ENOTFOUND, "no message has the gateway "
				"id %s", provider_id);
	mc_sql_reset(s);
	if (!(s = mc_sql(c, sql, err)))
		return MC_EDB;
	mc_sql_text(s, 1, mc_msg_channel_name(ch));
	mc_sql_text(s, 2, provider_id);
	mc_sql_text(s, 3, status);
	mc_sql_time(s, 4, at);
	return mc_sql_exec(s, err);
}

#define FAILED "m.status IN ('temporary_failure', 'permanent_failure', " \
	"'technical_failure')"
#define GROUP "(CASE WHEN " FAILED " THEN 0 ELSE 1 END)"

int mc_outbox_list(struct mc_conn *c, const struct mc_message_filter *f,
		   mc_message_fn *fn, void *arg, struct mc_err *err)
{
	static const char list[] = "SELECT " MSG_COLS "LEFT JOIN units u ON "
		"u.id = d.unit_id WHERE (?1 = 0 OR m.dossier_id = ?1) AND "
		"(CAST(?2 AS TEXT) IS NULL OR m.status = ?2) AND (?3 < 0 OR "
		GROUP " > ?3 OR (" GROUP " = ?3 AND m.id < ?4)) AND "
		"(CAST(?6 AS TEXT) IS NULL OR substr(u.path, 1, "
		"length(CAST(?6 AS TEXT))) = ?6) ORDER BY " GROUP ", m.id DESC "
		"LIMIT ?5";
	struct mc_message *m = mc_malloc(sizeof(*m));
	struct mc_stmt *s = mc_sql(c, list, err);
	int n = 0, rc;

	if (!s) {
		mc_free(m);
		return MC_EDB;
	}
	mc_sql_int(s, 1, f->dossier_id);
	mc_sql_text(s, 2, f->status);
	mc_sql_int(s, 3, f->after_group);
	mc_sql_int(s, 4, f->after_id);
	mc_sql_int(s, 5, f->limit);
	mc_sql_text(s, 6, f->scope_path);
	while ((rc = mc_sql_step(s, err)) == 1) {
		message_row(s, m);
		fn(m, arg);
		n++;
	}
	mc_free(m);
	return rc < 0 ? rc : n;
}

#define TPL_COLS "id, event, channel, version, subject, body, active, " \
	"created_at FROM message_templates "

static void template_row(struct mc_stmt *s, struct mc_template *t)
{
	char buf[32];
	int v;

	memset(t, 0, sizeof(*t));
	t->id = mc_sql_col_int(s, 0);
	mc_sql_col_copy(s, 1, buf, sizeof(buf));
	v = mc_msg_event_parse(buf);
	t->event = v < 0 ? MC_EV_RECEIVED : (enum mc_msg_event)v;
	mc_sql_col_copy(s, 2, buf, sizeof(buf));
	v = mc_msg_channel_parse(buf);
	t->channel = v < 0 ? MC_MSG_SMS : (enum mc_msg_channel)v;
	t->version = (int)mc_sql_col_int(s, 3);
	mc_sql_col_copy(s, 4, t->subject, sizeof(t->subject));
	mc_sql_col_copy(s, 5, t->body, sizeof(t->body));
	t->active = mc_sql_col_int(s, 6) != 0;
	t->created_at = mc_sql_col_time(s, 7);
}

int mc_template_create(struct mc_conn *c, enum mc_msg_event ev,
		       enum mc_msg_channel ch, const char *subject,
		       const char *body, int64_t now, struct mc_template *t,
		       struct mc_err *err)
{
	static const char ins[] = "INSERT INTO message_templates (event, "
		"channel, version, subject, body, active, created_at) SELECT "
		"?1, ?2, COALESCE(MAX(version), 0) + 1, ?3, ?4, 1, ?5 FROM "
		"message_templates WHERE event = ?1 AND channel = ?2 RETURNING "
		"id";
	static const char get[] = "SELECT " TPL_COLS "WHERE id = ?1";
	struct mc_stmt *s = mc_sql(c, ins, err);
	int64_t id;
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, mc_msg_event_name(ev));
	mc_sql_text(s, 2, mc_msg_channel_name(ch));
	mc_sql_text_opt(s, 3, subject);
	mc_sql_text(s, 4, body);
	mc_sql_time(s, 5, now);
	rc = mc_sql_step(s, err);
	if (rc != 1)
		return rc < 0 ? rc : MC_EDB;
	id = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	if (!(s = mc_sql(c, get, err)))
		return MC_EDB;
	mc_sql_int(s, 1, id);
	rc = mc_sql_step(s, err);
	if (rc != 1)
		return rc < 0 ? rc : MC_EDB;
	template_row(s, t);
	mc_sql_reset(s);
	return 0;
}

int mc_template_list(struct mc_conn *c, int event, int channel,
		     mc_template_fn *fn, void *arg, struct mc_err *err)
{
	static const char sql[] = "SELECT " TPL_COLS "WHERE (CAST(?1 AS TEXT) "
		"IS NULL OR event = ?1) AND (CAST(?2 AS TEXT) IS NULL OR "
		"channel = ?2) ORDER BY event, channel, version DESC";
	struct mc_template *t = mc_malloc(sizeof(*t));
	struct mc_stmt *s = mc_sql(c, sql, err);
	int n = 0, rc;

	if (!s) {
		mc_free(t);
		return MC_EDB;
	}
	mc_sql_text(s, 1, event < 0 ? NULL :
		    mc_msg_event_name((enum mc_msg_event)event));
	mc_sql_text(s, 2, channel < 0 ? NULL :
		    mc_msg_channel_name((enum mc_msg_channel)channel));
	while ((rc = mc_sql_step(s, err)) == 1) {
		template_row(s, t);
		fn(t, arg);
		n++;
	}
	mc_free(t);
	return rc < 0 ? rc : n;
}

/* Webhooks. */

int mc_outbox_webhooks(struct mc_conn *c, const struct mc_notify *n,
		       const struct mc_dossier *d, const char *action,
		       int64_t now, struct mc_err *err)
{
	static const char subs[] = "SELECT id, url FROM webhooks WHERE active "
		"= 1 AND (events = '*' OR ',' || events || ',' LIKE '%,' || ?1 "
		"|| ',%')";
	/* The lifecycle action goes in 'subject' (no template's event). */
	static const char ins[] = "INSERT INTO messages (province_code, "
		"dossier_id, event, channel, recipient, subject, body, "
		"priority, status, idempotency_key, next_attempt_at, "
		"expires_at, created_at, updated_at, webhook_id) VALUES (?1, "
		"?2, 'webhook', 'webhook', ?4, ?3, ?5, 1, 'created', ?6, ?7, "
		"?8, ?7, ?7, ?9) ON CONFLICT (idempotency_key) DO NOTHING";
	struct hook {
		int64_t id;
		char url[512];
	} *hooks = NULL;
	char body[1024], at[24], due[24], key[200];
	struct mc_stmt *s;
	int nh = 0, cap = 0, rc, i;

	if (!n)
		return 0;
	if (!(s = mc_sql(c, subs, err)))
		return MC_EDB;
	mc_sql_text(s, 1, action);
	while ((rc = mc_sql_step(s, err)) == 1) {
		if (nh == cap) {
			cap = cap ? cap * 2 : 4;
			hooks = mc_realloc(hooks, (size_t)cap *
					   sizeof(*hooks));
		}
		hooks[nh].id = mc_sql_col_int(s, 0);
		mc_sql_col_copy(s, 1, hooks[nh].url, sizeof(hooks[nh].url));
		nh++;
	}
	/* Codes, statuses and instants are plain ASCII: no escaping. */
	snprintf(body, sizeof(body), "{\"event\": \"%s\", \"seq\": %" PRId64
		 ", \"at\": \"%s\", \"dossier\": {\"code\": \"%s\", "
		 "\"status\": \"%s\", \"procedure_code\": \"%s\", "
		 "\"unit_code\": \"%s\", \"due_at\": %s%s%s}}", action,
		 d->row_version, mc_store_time(now, at), d->code,
		 mc_status_name(d->status), d->procedure_code, d->unit_code,
		 d->due_at == MC_NO_TIME ? "" : "\"",
		 d->due_at == MC_NO_TIME ? "null" : mc_store_time(d->due_at, due),
		 d->due_at == MC_NO_TIME ? "" : "\"");
	for (i = 0; rc >= 0 && i < nh; i++) {
		if (!(s = mc_sql(c, ins, err))) {
			rc = MC_EDB;
			break;
		}
		snprintf(key, sizeof(key), "%s/%" PRId64 "/webhook/%" PRId64,
			 d->code, d->row_version, hooks[i].id);
		mc_sql_text(s, 1, d->province_code);
		mc_sql_int(s, 2, d->id);
		mc_sql_text(s, 3, action);
		mc_sql_text(s, 4, hooks[i].url);
		mc_sql_text(s, 5, body);
		mc_sql_text(s, 6, key);
		mc_sql_time(s, 7, now);
		mc_sql_time(s, 8, now + n->window_s);
		mc_sql_int(s, 9, hooks[i].id);
		rc = mc_sql_exec(s, err);
	}
	mc_free(hooks);
	return rc < 0 ? rc : 0;
}

int mc_webhook_secret(struct mc_conn *c, int64_t id, char *out, size_t n,
		      struct mc_err *err)
{
	static const char sql[] = "SELECT secret FROM webhooks WHERE id = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	rc = mc_sql_step(s, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return mc_error(err, MC_ENOTFOUND, "no webhook %" PRId64, id);
	mc_sql_col_copy(s, 0, out, n);
	mc_sql_reset(s);
	return 0;
}

int mc_webhook_create(struct mc_conn *c, const char *url, const char *events,
		      const char *secret, int64_t user_id, int64_t now,
		      int64_t *id, struct mc_err *err)
{
	static const char sql[] = "INSERT INTO webhooks (url, secret, events, "
		"created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING "
		"id";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, url);
	mc_sql_text(s, 2, secret);
	mc_sql_text(s, 3, events);
	mc_sql_id(s, 4, user_id);
	mc_sql_time(s, 5, now);
	rc = mc_sql_step(s, err);
	if (rc != 1)
		return rc < 0 ? rc : MC_EDB;
	*id = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	return 0;
}

int mc_webhook_deactivate(struct mc_conn *c, int64_t id, struct mc_err *err)
{
	static const char sql[] = "UPDATE webhooks SET active = 0 WHERE id = "
		"?1 AND active = 1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	rc = mc_sql_exec(s, err);
	if (!rc && mc_sql_changes(c) != 1)
		rc = mc_error(err, MC_ENOTFOUND, "no active webhook %" PRId64,
			      id);
	return rc;
}

int mc_webhook_list(struct mc_conn *c, mc_webhook_fn *fn, void *arg,
		    struct mc_err *err)
{
	static const char sql[] = "SELECT id, url, events, active, created_at "
		"FROM webhooks ORDER BY id";
	struct mc_stmt *s = mc_sql(c, sql, err);
	char url[512], events[512];
	int rc, n = 0;

	if (!s)
		return MC_EDB;
	while ((rc = mc_sql_step(s, err)) == 1) {
		mc_sql_col_copy(s, 1, url, sizeof(url));
		mc_sql_col_copy(s, 2, events, sizeof(events));
		fn(mc_sql_col_int(s, 0), url, events, mc_sql_col_int(s, 3) != 0,
		   mc_sql_col_time(s, 4), arg);
		n++;
	}
	return rc < 0 ? rc : n;
}

int mc_outbox_fallback(struct mc_conn *c, int64_t id, const char *error,
		       int64_t now, int64_t window_s, bool *queued,
		       struct mc_err *err)
{
	static const char read[] = "SELECT province_code, dossier_id, event, "
		"recipient, priority, idempotency_key, fallback_body FROM "
		"messages WHERE id = ?1 AND status = 'sending' AND channel = "
		"'zalo'";
	static const char end[] = "UPDATE messages SET status = "
		"'permanent_failure', last_error = ?2, done_at = ?3, "
		"locked_until = NULL, handed_at = NULL, updated_at = ?3 WHERE "
		"id = ?1 AND status = 'sending'";
	static const char sms[] = "INSERT INTO messages (province_code, "
		"dossier_id, event, channel, recipient, body, priority, status, "
		"idempotency_key, next_attempt_at, expires_at, created_at, "
		"updated_at) VALUES (?1, ?2, ?3, 'sms', ?4, ?5, ?6, 'created', "
		"?7, ?8, ?9, ?8, ?8) ON CONFLICT (idempotency_key) DO NOTHING";
	char province[16], event[32], to[256], key[200], why[600];
	char *body = NULL;
	int64_t dossier;
	size_t klen;
	int prio, rc;
	struct mc_stmt *s = mc_sql(c, read, err);

	*queued = false;
	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : 0;		/* not ours any more */
	mc_sql_col_copy(s, 0, province, sizeof(province));
	dossier = mc_sql_col_int(s, 1);
	mc_sql_col_copy(s, 2, event, sizeof(event));
	mc_sql_col_copy(s, 3, to, sizeof(to));
	prio = (int)mc_sql_col_int(s, 4);
	mc_sql_col_copy(s, 5, key, sizeof(key));
	if (mc_sql_col_text(s, 6))
		body = mc_strdup(mc_sql_col_text(s, 6));
	mc_sql_reset(s);
	/* "<key>/zalo" was the SMS's "<key>": the same, queued once. */
	klen = strlen(key);
	if (klen > 5 && !strcmp(key + klen - 5, "/zalo"))
		key[klen - 5] = '\0';
	snprintf(why, sizeof(why), "%.480s%s", error, body ?
		 "; gửi bằng SMS thay thế" : "");
	if (!(s = mc_sql(c, end, err))) {
		rc = MC_EDB;
		goto out;
	}
	mc_sql_int(s, 1, id);
	mc_sql_text(s, 2, why);
	mc_sql_time(s, 3, now);
	if ((rc = mc_sql_exec(s, err)) || !body)
		goto out;
	if (!(s = mc_sql(c, sms, err))) {
		rc = MC_EDB;
		goto out;
	}
	mc_sql_text(s, 1, province);
	mc_sql_id(s, 2, dossier);
	mc_sql_text(s, 3, event);
	mc_sql_text(s, 4, to);
	mc_sql_text(s, 5, body);
	mc_sql_int(s, 6, prio);
	mc_sql_text(s, 7, key);
	mc_sql_time(s, 8, now);
	mc_sql_time(s, 9, now + window_s);
	if (!(rc = mc_sql_exec(s, err)))
		*queued = true;
out:
	mc_free(body);
	return rc;
}

int mc_zalo_template_create(struct mc_conn *c, enum mc_msg_event ev,
			    const char *template_id, const char *params,
			    int64_t now, int *version, struct mc_err *err)
{
	static const char next[] = "SELECT COALESCE(MAX(version), 0) + 1 FROM "
		"zalo_templates WHERE event = ?1";
	static const char ins[] = "INSERT INTO zalo_templates (event, version, "
		"template_id, params, active, created_at) VALUES (?1, ?2, ?3, "
		"?4, 1, ?5)";
	struct mc_stmt *s = mc_sql(c, next, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, mc_msg_event_name(ev));
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : MC_EDB;
	*version = (int)mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	if (!(s = mc_sql(c, ins, err)))
		return MC_EDB;
	mc_sql_text(s, 1, mc_msg_event_name(ev));
	mc_sql_int(s, 2, *version);
	mc_sql_text(s, 3, template_id);
	mc_sql_text(s, 4, params);
	mc_sql_time(s, 5, now);
	return mc_sql_exec(s, err);
}

int mc_zalo_template_list(struct mc_conn *c, mc_zalo_template_fn *fn,
			  void *arg, struct mc_err *err)
{
	static const char sql[] = "SELECT event, version, template_id, "
		"params, active, created_at FROM zalo_templates ORDER BY event, "
		"version DESC LIMIT 500";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	while ((rc = mc_sql_step(s, err)) == 1)
		fn(mc_sql_col_text(s, 0), (int)mc_sql_col_int(s, 1),
		   mc_sql_col_text(s, 2), mc_sql_col_text(s, 3),
		   mc_sql_col_int(s, 4) != 0, mc_sql_col_time(s, 5), arg);
	return rc < 0 ? rc : 0;
}
