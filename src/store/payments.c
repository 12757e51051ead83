/*
 * payments.c — payments of fees (see payments.h).
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "domain/message.h"
#include "store/dossiers.h"
#include "store/payments.h"

int mc_payment_due(struct mc_conn *c, int64_t id, struct mc_money *out,
		   struct mc_err *err)
{
	static const char sql[] = "SELECT (SELECT COALESCE(SUM(amount), 0) "
		"FROM dossier_fees WHERE dossier_id = ?1), (SELECT "
		"COALESCE(SUM(amount), 0) FROM payments WHERE dossier_id = ?1), "
		"(SELECT COALESCE(SUM(amount), 0) FROM refunds WHERE "
		"dossier_id = ?1), (SELECT COALESCE(MIN(CASE platform WHEN "
		"'dvcqg' THEN 1 WHEN 'gateway' THEN 2 END), 0) FROM payments "
		"WHERE dossier_id = ?1 AND method = 'platform')";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	rc = mc_sql_step(s, err);
	if (rc != 1)
		return rc < 0 ? rc : MC_EDB;
	out->total = mc_sql_col_int(s, 0);
	out->paid = mc_sql_col_int(s, 1);
	out->refunded = mc_sql_col_int(s, 2);
	out->online_flag = (int)mc_sql_col_int(s, 3);
	mc_sql_reset(s);
	return 0;
}

/* Whether a dossier ended without a result: its fees are not kept. */
static bool ended_unresolved(enum mc_status s)
{
	return s == MC_ST_REFUSED || s == MC_ST_WITHDRAWN || s == MC_ST_STOPPED;
}

int64_t mc_money_outstanding(const struct mc_money *m, enum mc_status s)
{
	int64_t owed = m->total - (m->paid - m->refunded);

	return ended_unresolved(s) || owed < 0 ? 0 : owed;
}

int64_t mc_money_refundable(const struct mc_money *m, enum mc_status s)
{
	int64_t kept = m->paid - m->refunded;

	if (ended_unresolved(s))
		return kept;
	return kept > m->total ? kept - m->total : 0;
}

/* The next number of 'series' (BL, HT) of 'd''s unit for the year. */
static int number_next(struct mc_conn *c, const char *series,
		       const struct mc_dossier *d, int64_t now, char *out,
		       size_t n, struct mc_err *err)
{
	char year[8], key[80];
	int64_t seq;
	int rc;

	snprintf(year, sizeof(year), "%04d",
		 mc_ymd_from_days(mc_local_day(now)).year);
	snprintf(key, sizeof(key), "%s-%s", series, d->unit_code);
	rc = mc_sequence_next(c, key, year, &seq, err);
	if (!rc)
		snprintf(out, n, "%s-%.32s-%s-%06" PRId64, series, d->unit_code,
			 year, seq);
	return rc;
}

/*
 * Records a payment of 'd' as 'p' says (method, platform, transaction,
 * amount, payer), numbers its receipt, and queues the payment-received
 * message; fills the rest of 'p'.
 */
static int record_payment(struct mc_conn *c, const struct mc_dossier *d,
			  const struct mc_calendar *cal,
			  const struct mc_user *actor,
			  const struct mc_notify *n, int64_t now,
			  struct mc_payment *p, struct mc_err *err)
{
	static const char ins[] = "INSERT INTO payments (province_code, "
		"dossier_id, method, platform, transaction_id, amount, "
		"receipt_no, payer_name, recorded_by, paid_at, created_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
		"RETURNING id";
	struct mc_msg_values v;
	struct mc_stmt *s;
	char key[200], money[48];
	int rc;

	rc = number_next(c, "BL", d, now, p->receipt_no,
			 sizeof(p->receipt_no), err);
	if (rc)
		return rc;
	if (!(s = mc_sql(c, ins, err)))
		return MC_EDB;
	if (!p->payer_name[0])
		snprintf(p->payer_name, sizeof(p->payer_name), "%s",
			 d->applicant_name);
	if (p->paid_at == MC_NO_TIME)
		p->paid_at = now;
	mc_sql_text(s, 1, d->province_code);
	mc_sql_int(s, 2, d->id);
	mc_sql_text(s, 3, p->method);
	mc_sql_text_opt(s, 4, p->platform);
	mc_sql_text_opt(s, 5, p->transaction_id);
	mc_sql_int(s, 6, p->amount);
	mc_sql_text(s, 7, p->receipt_no);
	mc_sql_text(s, 8, p->payer_name);
	mc_sql_id(s, 9, actor->id);
	mc_sql_time(s, 10, p->paid_at);
	mc_sql_time(s, 11, now);
	rc = mc_sql_step(s, err);
	if (rc != 1)
		return rc < 0 ? rc : MC_EDB;
	p->id = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	snprintf(p->dossier_code, sizeof(p->dossier_code), "%s", d->code);
	/* Payment received: the same transaction, one message per channel. */
	memset(&v, 0, sizeof(v));
	mc_msg_amount(p->amount, money, sizeof(money));
	v.v[MC_PH_AMOUNT] = money;
	v.v[MC_PH_CODE] = d->code;
	v.v[MC_PH_PROCEDURE] = d->procedure_name;
	snprintf(key, sizeof(key), "%s/payment/%s/sms", d->code,
		 p->receipt_no);
	rc = mc_outbox_queue(c, n, d->province_code, d->id,
			     MC_EV_PAYMENT_RECEIVED, MC_MSG_SMS,
			     d->applicant_phone, &v, key, now, err);
	if (rc >= 0) {
		snprintf(key, sizeof(key), "%s/payment/%s/email", d->code,
			 p->receipt_no);
		rc = mc_outbox_queue(c, n, d->province_code, d->id,
				     MC_EV_PAYMENT_RECEIVED, MC_MSG_EMAIL,
				     d->applicant_email, &v, key, now, err);
	}
	if (rc < 0)
		return rc;
	/* Paid in full, a dossier that waited for it is received now. */
	if (d->status == MC_ST_AWAITING_PAYMENT) {
		struct mc_money m;

		rc = mc_payment_due(c, d->id, &m, err);
		if (!rc && mc_money_outstanding(&m, d->status) == 0)
			rc = mc_dossier_settle(c, cal, actor, d->code, n, now,
					       err);
	}
	return rc;
}

int mc_payment_counter(struct mc_conn *c, const struct mc_calendar *cal,
		       const char *code, const struct mc_user *actor,
		       const char *method,
		       int64_t amount, const struct mc_notify *n, int64_t now,
		       struct mc_payment *out, struct mc_err *err)
{
	struct mc_dossier *d = mc_calloc(1, sizeof(*d));
	struct mc_money m;
	int64_t owed = 0;
	int rc;

	rc = mc_dossier_get_head(c, code, d, err);
	if (!rc && !mc_unit_within(d->unit_path, actor->unit_path))
		rc = mc_error(err, MC_ENOTFOUND, "dossier %s not found", code);
	if (!rc)
		rc = mc_payment_due(c, d->id, &m, err);
	if (!rc && (owed = mc_money_outstanding(&m, d->status)) <= 0)
		rc = mc_err_rule(err, MC_ECONFLICT, "amount", "nothing_due",
				 "nothing is due for dossier %s", code);
	if (!rc && amount != owed)
		rc = mc_err_field(err, "amount", "outstanding", "the amount due "
				  "is %" PRId64 " VND", owed);
	if (!rc) {
		memset(out, 0, sizeof(*out));
		snprintf(out->method, sizeof(out->method), "%s", method);
		out->amount = amount;
		out->paid_at = MC_NO_TIME;
		snprintf(out->recorded_by, sizeof(out->recorded_by), "%s",
			 actor->username);
		rc = record_payment(c, d, cal, actor, n, now, out, err);
	}
	mc_dossier_release(d);
	mc_free(d);
	return rc;
}

#define PAYMENT_COLS "p.id, p.method, COALESCE(p.platform, ''), " \
	"COALESCE(p.transaction_id, ''), p.amount, p.receipt_no, " \
	"p.payer_name, COALESCE(u.username, ''), d.code, p.paid_at " \
	"FROM payments p JOIN dossiers d ON d.id = p.dossier_id " \
	"LEFT JOIN users u ON u.id = p.recorded_by "

static void payment_row(struct mc_stmt *s, struct mc_payment *p)
{
	memset(p, 0, sizeof(*p));
	p->id = mc_sql_col_int(s, 0);
	mc_sql_col_copy(s, 1, p->method, sizeof(p->method));
	mc_sql_col_copy(s, 2, p->platform, sizeof(p->platform));
	mc_sql_col_copy(s, 3, p->transaction_id, sizeof(p->transaction_id));
	p->amount = mc_sql_col_int(s, 4);
	mc_sql_col_copy(s, 5, p->receipt_no, sizeof(p->receipt_no));
	mc_sql_col_copy(s, 6, p->payer_name, sizeof(p->payer_name));
	mc_sql_col_copy(s, 7, p->recorded_by, sizeof(p->recorded_by));
	mc_sql_col_copy(s, 8, p->dossier_code, sizeof(p->dossier_code));
	p->paid_at = mc_sql_col_time(s, 9);
}

/* Calls 'fn' for each row of 's' (bound); how many, or an error. */
static int payment_rows(struct mc_stmt *s, mc_payment_fn *fn, void *arg,
			struct mc_err *err)
{
	struct mc_payment p;
	int rc, n = 0;

	while ((rc = mc_sql_step(s, err)) == 1) {
		payment_row(s, &p);
		fn(&p, arg);
		n++;
	}
	return rc < 0 ? rc : n;
}

int mc_payment_list(struct mc_conn *c, int64_t dossier_id,
		    mc_payment_fn *fn, void *arg, struct mc_err *err)
{
	static const char sql[] = "SELECT " PAYMENT_COLS
		"WHERE p.dossier_id = ?1 ORDER BY p.id";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, dossier_id);
	return payment_rows(s, fn, arg, err);
}

int mc_payment_get(struct mc_conn *c, const char *receipt_no,
		   struct mc_payment *out, struct mc_err *err)
{
	static const char sql[] = "SELECT " PAYMENT_COLS
		"WHERE p.receipt_no = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, receipt_no);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_ENOTFOUND, "no receipt "
					      "%s", receipt_no);
	payment_row(s, out);
	mc_sql_reset(s);
	return 0;
}

int mc_payment_platform_list(struct mc_conn *c, const char *platform,
			     const char *scope_path, int64_t from, int64_t to,
			     mc_payment_fn *fn, void *arg, struct mc_err *err)
{
	/* Dossiers received within the scope ?4 (NULL: all). */
#define RECON_SCOPE "AND (CAST(?4 AS TEXT) IS NULL OR EXISTS (SELECT 1 " \
	"FROM units ru WHERE ru.id = d.unit_id AND substr(ru.path, 1, " \
	"length(CAST(?4 AS TEXT))) = ?4)) "
	static const char sql[] = "SELECT " PAYMENT_COLS
		"WHERE p.method = 'platform' AND p.platform = ?1 AND "
		"p.paid_at >= ?2 AND p.paid_at < ?3 " RECON_SCOPE
		"ORDER BY p.paid_at, p.id";
	static const char bank[] = "SELECT " PAYMENT_COLS
		"WHERE p.method = 'transfer' AND p.paid_at >= ?2 AND "
		"p.paid_at < ?3 AND ?1 = 'bank' " RECON_SCOPE
		"ORDER BY p.paid_at, p.id";
#undef RECON_SCOPE
	struct mc_stmt *s = mc_sql(c, strcmp(platform, "bank") ? sql : bank,
				   err);

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, platform);
	mc_sql_time(s, 2, from);
	mc_sql_time(s, 3, to);
	mc_sql_text(s, 4, scope_path);
	return payment_rows(s, fn, arg, err);
}

static void recorded(const struct mc_payment *p, void *arg)
{
	struct mc_txn *t = mc_txns_add(arg);

	snprintf(t->id, sizeof(t->id), "%s", p->transaction_id);
	snprintf(t->dossier, sizeof(t->dossier), "%s", p->dossier_code);
	snprintf(t->receipt, sizeof(t->receipt), "%s", p->receipt_no);
	t->amount = p->amount;
	t->paid_at = p->paid_at;
}

int mc_payment_reconcile(struct mc_conn *c, const char *platform,
			 const char *scope_path, const struct mc_txns *st,
			 int64_t from, int64_t to, mc_recon_fn *fn, void *arg,
			 struct mc_err *err)
{
	struct mc_txns mc = { 0 };
	int rc = mc_payment_platform_list(c, platform, scope_path, from, to,
					  recorded, &mc, err);

	if (rc >= 0) {
		mc_txns_sort_id(&mc);
		rc = mc_statement_compare(st, &mc, fn, arg);
	}
	mc_txns_free(&mc);
	return rc;
}

/* Payment requests. */

#define REQUEST_COLS "r.id, r.reference, r.platform, r.amount, r.status, " \
	"COALESCE(r.last_error, ''), d.code, r.created_at " \
	"FROM payment_requests r JOIN dossiers d ON d.id = r.dossier_id "

static void request_row(struct mc_stmt *s, struct mc_payment_request *q)
{
	memset(q, 0, sizeof(*q));
	q->id = mc_sql_col_int(s, 0);
	mc_sql_col_copy(s, 1, q->reference, sizeof(q->reference));
	mc_sql_col_copy(s, 2, q->platform, sizeof(q->platform));
	q->amount = mc_sql_col_int(s, 3);
	mc_sql_col_copy(s, 4, q->status, sizeof(q->status));
	mc_sql_col_copy(s, 5, q->last_error, sizeof(q->last_error));
	mc_sql_col_copy(s, 6, q->dossier_code, sizeof(q->dossier_code));
	q->created_at = mc_sql_col_time(s, 7);
}

int mc_payment_request_open(struct mc_conn *c, const char *code,
			    const char *id_number, const char *platform,
			    int64_t now, struct mc_payment_request *out,
			    struct mc_err *err)
{
	static const char pending[] = "SELECT " REQUEST_COLS
		"WHERE r.dossier_id = ?1 AND r.platform = ?2 AND r.amount = ?3 "
		"AND r.status = 'pending' ORDER BY r.id DESC LIMIT 1";
	static const char count[] = "SELECT COUNT(*) FROM payment_requests "
		"WHERE dossier_id = ?1";
	static const char ins[] = "INSERT INTO payment_requests (dossier_id, "
		"reference, platform, amount, status, created_at, updated_at) "
		"VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?5) RETURNING id";
	struct mc_dossier *d = mc_calloc(1, sizeof(*d));
	struct mc_stmt *s;
	struct mc_money m;
	int64_t owed = 0, k;
	int rc;

	rc = mc_dossier_get_head(c, code, d, err);
	if (!rc && strcmp(d->applicant_id, id_number) != 0)
		rc = mc_error(err, MC_ENOTFOUND, "no dossier of yours has code "
			      "%s", code);
	if (!rc)
		rc = mc_payment_due(c, d->id, &m, err);
	if (!rc && (owed = mc_money_outstanding(&m, d->status)) <= 0)
		rc = mc_err_rule(err, MC_ECONFLICT, "platform", "nothing_due",
				 "nothing is due for dossier %s", code);
	if (rc)
		goto out;
	if (!(s = mc_sql(c, pending, err))) {
		rc = MC_EDB;
		goto out;
	}
	mc_sql_int(s, 1, d->id);
	mc_sql_text(s, 2, platform);
	mc_sql_int(s, 3, owed);
	if ((rc = mc_sql_step(s, err)) == 1) {
		request_row(s, out);
		mc_sql_reset(s);
		rc = 0;
		goto out;
	}
	if (rc < 0 || !(s = mc_sql(c, count, err))) {
		rc = rc < 0 ? rc : MC_EDB;
		goto out;
	}
	mc_sql_int(s, 1, d->id);
	if ((rc = mc_sql_step(s, err)) != 1) {
		rc = rc < 0 ? rc : MC_EDB;
		goto out;
	}
	k = mc_sql_col_int(s, 0) + 1;
	mc_sql_reset(s);
	memset(out, 0, sizeof(*out));
	snprintf(out->reference, sizeof(out->reference), "%s-%" PRId64,
		 d->code, k);
	snprintf(out->platform, sizeof(out->platform), "%s", platform);
	snprintf(out->status, sizeof(out->status), "pending");
	snprintf(out->dossier_code, sizeof(out->dossier_code), "%s", d->code);
	out->amount = owed;
	out->created_at = now;
	if (!(s = mc_sql(c, ins, err))) {
		rc = MC_EDB;
		goto out;
	}
	mc_sql_int(s, 1, d->id);
	mc_sql_text(s, 2, out->reference);
	mc_sql_text(s, 3, platform);
	mc_sql_int(s, 4, owed);
	mc_sql_time(s, 5, now);
	if ((rc = mc_sql_step(s, err)) != 1) {
		rc = rc < 0 ? rc : MC_EDB;
		goto out;
	}
	out->id = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	rc = 0;
out:
	mc_dossier_release(d);
	mc_free(d);
	return rc;
}

int mc_payment_request_list(struct mc_conn *c, int64_t dossier_id,
			    mc_payment_request_fn *fn, void *arg,
			    struct mc_err *err)
{
	static const char sql[] = "SELECT " REQUEST_COLS
		"WHERE r.dossier_id = ?1 ORDER BY r.id";
	struct mc_payment_request q;
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc, n = 0;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, dossier_id);
	while ((rc = mc_sql_step(s, err)) == 1) {
		request_row(s, &q);
		fn(&q, arg);
		n++;
	}
	return rc < 0 ? rc : n;
}

/* Callbacks. */

/* Remembers 'cb''s nonce, forgetting old ones; MC_ECONFLICT if seen. */
static int nonce_take(struct mc_conn *c, const struct mc_pay_callback *cb,
		      int64_t now, struct mc_err *err)
{
	static const char forget[] = "DELETE FROM payment_nonces WHERE "
		"seen_at < ?1";
	static const char take[] = "INSERT INTO payment_nonces (platform, "
		"nonce, seen_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING "
		"RETURNING 1";
	struct mc_stmt *s = mc_sql(c, forget, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_time(s, 1, now - cb->nonce_keep_s);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	if (!(s = mc_sql(c, take, err)))
		return MC_EDB;
	mc_sql_text(s, 1, cb->platform);
	mc_sql_text(s, 2, cb->nonce);
	mc_sql_time(s, 3, now);
	rc = mc_sql_step(s, err);
	if (rc == 1) {
		mc_sql_reset(s);
		return 0;
	}
	return rc < 0 ? rc : mc_err_rule(err, MC_ECONFLICT, "nonce", "replay",
					 "this callback was taken before");
}

int mc_payment_carried(struct mc_conn *c, const struct mc_calendar *cal,
		       const char *code, const struct mc_notify *n,
		       int64_t now, struct mc_payment *p, struct mc_err *err)
{
	static const struct mc_user system = { .username = MC_SYSTEM_ACTOR };
	static const char seen[] = "SELECT 1 FROM payments WHERE "
		"transaction_id = ?1 AND platform = ?2";
	struct mc_dossier *d;
	struct mc_stmt *s;
	int rc;

	if (!(s = mc_sql(c, seen, err)))
		return MC_EDB;
	mc_sql_text(s, 1, p->transaction_id);
	mc_sql_text(s, 2, p->platform);
	if ((rc = mc_sql_step(s, err)) == 1) {
		mc_sql_reset(s);
		return mc_err_rule(err, MC_ECONFLICT, "transaction_id",
				   "unique", "transaction %s of %s was "
				   "recorded before", p->transaction_id,
				   p->platform);
	}
	if (rc < 0)
		return rc;
	d = mc_calloc(1, sizeof(*d));
	rc = mc_dossier_get_head(c, code, d, err);
	if (!rc)
		rc = record_payment(c, d, cal, &system, n, now, p, err);
	mc_dossier_release(d);
	mc_free(d);
	return rc;
}

int mc_payment_callback(struct mc_conn *c, const struct mc_calendar *cal,
			const struct mc_pay_callback *cb,
			const struct mc_notify *n, int64_t now,
			struct mc_payment *out, struct mc_err *err)
{
	static const struct mc_user system = { .username = MC_SYSTEM_ACTOR };
	static const char seen[] = "SELECT " PAYMENT_COLS
		"WHERE p.transaction_id = ?1 AND p.platform = ?2";
	static const char req[] = "SELECT " REQUEST_COLS
		"WHERE r.reference = ?1";
	static const char failed[] = "UPDATE payment_requests SET status = "
		"'failed', last_error = ?2, updated_at = ?3 WHERE id = ?1 AND "
		"status = 'pending'";
	static const char paid[] = "UPDATE payment_requests SET status = "
		"'paid', payment_id = ?2, last_error = NULL, updated_at = ?3 "
		"WHERE id = ?1";
	struct mc_payment_request q;
	struct mc_dossier *d;
	struct mc_stmt *s;
	int rc;

	if ((rc = nonce_take(c, cb, now, err)))
		return rc;
	if (!(s = mc_sql(c, seen, err)))
		return MC_EDB;
	mc_sql_text(s, 1, cb->transaction_id);
	mc_sql_text(s, 2, cb->platform);
	if ((rc = mc_sql_step(s, err)) == 1) {
		payment_row(s, out);
		mc_sql_reset(s);
		return MC_CB_DUPLICATE;
	}
	if (rc < 0 || !(s = mc_sql(c, req, err)))
		return rc < 0 ? rc : MC_EDB;
	mc_sql_text(s, 1, cb->reference);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_err_field(err, "reference", "known",
			"no payment request has reference %s", cb->reference);
	request_row(s, &q);
	mc_sql_reset(s);
	if (strcmp(q.platform, cb->platform) != 0)
		return mc_err_field(err, "reference", "platform", "payment "
				    "request %s was made for %s", q.reference,
				    q.platform);
	if (!cb->paid) {
		if (!(s = mc_sql(c, failed, err)))
			return MC_EDB;
		mc_sql_int(s, 1, q.id);
		mc_sql_text(s, 2, cb->reason[0] ? cb->reason : "failed");
		mc_sql_time(s, 3, now);
		rc = mc_sql_exec(s, err);
		return rc ? rc : MC_CB_FAILED;
	}
	if (cb->amount != q.amount)
		return mc_err_field(err, "amount", "requested", "payment request "
				    "%s is for %" PRId64 " VND", q.reference,
				    q.amount);
	d = mc_calloc(1, sizeof(*d));
	rc = mc_dossier_get_head(c, q.dossier_code, d, err);
	if (!rc) {
		memset(out, 0, sizeof(*out));
		snprintf(out->method, sizeof(out->method), "platform");
		snprintf(out->platform, sizeof(out->platform), "%s",
			 cb->platform);
		snprintf(out->transaction_id, sizeof(out->transaction_id), "%s",
			 cb->transaction_id);
		snprintf(out->payer_name, sizeof(out->payer_name), "%s",
			 cb->payer);
		out->amount = cb->amount;
		out->paid_at = cb->paid_at;
		rc = record_payment(c, d, cal, &system, n, now, out, err);
	}
	mc_dossier_release(d);
	mc_free(d);
	if (rc)
		return rc;
	if (!(s = mc_sql(c, paid, err)))
		return MC_EDB;
	mc_sql_int(s, 1, q.id);
	mc_sql_int(s, 2, out->id);
	mc_sql_time(s, 3, now);
	rc = mc_sql_exec(s, err);
	return rc ? rc : MC_CB_PAID;
}

int mc_payment_transfer(struct mc_conn *c, const struct mc_calendar *cal,
			const struct mc_transfer *t, bool record,
			const struct mc_notify *n, int64_t now, int64_t *owed,
			struct mc_payment *out, struct mc_err *err)
{
	static const struct mc_user system = { .username = MC_SYSTEM_ACTOR };
	static const char seen[] = "SELECT " PAYMENT_COLS
		"WHERE p.transaction_id = ?1 AND p.method = 'transfer'";
	struct mc_dossier *d;
	struct mc_stmt *s;
	struct mc_money m;
	int rc;

	*owed = 0;
	if (!(s = mc_sql(c, seen, err)))
		return MC_EDB;
	mc_sql_text(s, 1, t->transaction_id);
	if ((rc = mc_sql_step(s, err)) == 1) {
		payment_row(s, out);
		mc_sql_reset(s);
		return MC_TR_ALREADY;
	}
	if (rc < 0)
		return rc;
	d = mc_calloc(1, sizeof(*d));
	rc = mc_dossier_get_head(c, t->code, d, err);
	if (!rc)
		rc = mc_payment_due(c, d->id, &m, err);
	if (!rc && (*owed = mc_money_outstanding(&m, d->status)) != t->amount)
		rc = mc_err_field(err, "amount", "outstanding", "dossier %s "
				  "owes %" PRId64 " VND", d->code, *owed);
	if (!rc) {
		memset(out, 0, sizeof(*out));
		snprintf(out->method, sizeof(out->method), "transfer");
		snprintf(out->transaction_id, sizeof(out->transaction_id), "%s",
			 t->transaction_id);
		snprintf(out->dossier_code, sizeof(out->dossier_code), "%s",
			 d->code);
		out->amount = t->amount;
		out->paid_at = t->paid_at;
		rc = record ? record_payment(c, d, cal, &system, n, now, out,
					     err) : 0;
		if (!rc)
			rc = record ? MC_TR_RECORDED : MC_TR_MATCHES;
	}
	mc_dossier_release(d);
	mc_free(d);
	return rc;
}

/* Refunds. */

int mc_refund_record(struct mc_conn *c, const char *code,
		     const struct mc_user *actor, int64_t amount,
		     const char *method, const char *reason, int64_t now,
		     struct mc_refund *out, struct mc_err *err)
{
	static const char ins[] = "INSERT INTO refunds (province_code, "
		"dossier_id, refund_no, amount, method, reason, recorded_by, "
		"refunded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
		"RETURNING id";
	struct mc_dossier *d = mc_calloc(1, sizeof(*d));
	struct mc_stmt *s;
	struct mc_money m;
	int64_t can = 0;
	int rc;

	rc = mc_dossier_get_head(c, code, d, err);
	if (!rc && !mc_unit_within(d->unit_path, actor->unit_path))
		rc = mc_error(err, MC_ENOTFOUND, "dossier %s not found", code);
	if (!rc)
		rc = mc_payment_due(c, d->id, &m, err);
	if (!rc && (can = mc_money_refundable(&m, d->status)) <= 0)
		rc = mc_err_rule(err, MC_ECONFLICT, "amount",
				 "nothing_to_refund", "nothing paid for "
				 "dossier %s may be paid back", code);
	if (!rc && amount > can)
		rc = mc_err_field(err, "amount", "refundable", "at most %"
				  PRId64 " VND may be paid back", can);
	if (rc)
		goto out;
	memset(out, 0, sizeof(*out));
	rc = number_next(c, "HT", d, now, out->refund_no,
			 sizeof(out->refund_no), err);
	if (rc)
		goto out;
	if (!(s = mc_sql(c, ins, err))) {
		rc = MC_EDB;
		goto out;
	}
	mc_sql_text(s, 1, d->province_code);
	mc_sql_int(s, 2, d->id);
	mc_sql_text(s, 3, out->refund_no);
	mc_sql_int(s, 4, amount);
	mc_sql_text(s, 5, method);
	mc_sql_text(s, 6, reason);
	mc_sql_id(s, 7, actor->id);
	mc_sql_time(s, 8, now);
	if ((rc = mc_sql_step(s, err)) != 1) {
		rc = rc < 0 ? rc : MC_EDB;
		goto out;
	}
	out->id = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	rc = 0;
	out->amount = amount;
	snprintf(out->method, sizeof(out->method), "%s", method);
	snprintf(out->reason, sizeof(out->reason), "%s", reason);
	snprintf(out->recorded_by, sizeof(out->recorded_by), "%s",
		 actor->username);
	out->refunded_at = now;
out:
	mc_dossier_release(d);
	mc_free(d);
	return rc;
}

int mc_refund_list(struct mc_conn *c, int64_t dossier_id, mc_refund_fn *fn,
		   void *arg, struct mc_err *err)
{
	static const char sql[] = "SELECT f.id, f.refund_no, f.amount, "
		"f.method, f.reason, COALESCE(u.username, ''), f.refunded_at "
		"FROM refunds f LEFT JOIN users u ON u.id = f.recorded_by "
		"WHERE f.dossier_id = ?1 ORDER BY f.id";
	struct mc_refund f;
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc, n = 0;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, dossier_id);
	while ((rc = mc_sql_step(s, err)) == 1) {
		memset(&f, 0, sizeof(f));
		f.id = mc_sql_col_int(s, 0);
		mc_sql_col_copy(s, 1, f.refund_no, sizeof(f.refund_no));
		f.amount = mc_sql_col_int(s, 2);
		mc_sql_col_copy(s, 3, f.method, sizeof(f.method));
		mc_sql_col_copy(s, 4, f.reason, sizeof(f.reason));
		mc_sql_col_copy(s, 5, f.recorded_by, sizeof(f.recorded_by));
		f.refunded_at = mc_sql_col_time(s, 6);
		fn(&f, arg);
		n++;
	}
	return rc < 0 ? rc : n;
}

/* Collecting accounts. */

int mc_unit_account_set(struct mc_conn *c, const char *unit_code,
			const struct mc_user *actor,
			const struct mc_unit_account *a, int64_t now,
			struct mc_err *err)
{
	static const char sql[] = "INSERT INTO unit_accounts (unit_id, "
		"bank_bin, account, account_name, updated_at, updated_by) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (unit_id) DO "
		"UPDATE SET bank_bin = excluded.bank_bin, account = "
		"excluded.account, account_name = excluded.account_name, "
		"updated_at = excluded.updated_at, updated_by = "
		"excluded.updated_by";
	struct mc_unit u;
	struct mc_stmt *s;

	if (mc_unit_get(c, unit_code, &u, NULL) ||
	    !mc_unit_within(u.path, actor->unit_path))
		return mc_error(err, MC_ENOTFOUND, "no unit %s in your units",
				unit_code);
	if (!(s = mc_sql(c, sql, err)))
		return MC_EDB;
	mc_sql_int(s, 1, u.id);
	mc_sql_text(s, 2, a->bank_bin);
	mc_sql_text(s, 3, a->account);
	mc_sql_text(s, 4, a->account_name);
	mc_sql_time(s, 5, now);
	mc_sql_id(s, 6, actor->id);
	return mc_sql_exec(s, err);
}

int mc_unit_account_for(struct mc_conn *c, const char *unit_path,
			struct mc_unit_account *out, struct mc_err *err)
{
	static const char sql[] = "SELECT u.code, a.bank_bin, a.account, "
		"a.account_name, a.updated_at FROM unit_accounts a JOIN units u "
		"ON u.id = a.unit_id WHERE substr(CAST(?1 AS TEXT), 1, "
		"length(u.path)) = u.path ORDER BY length(u.path) DESC LIMIT 1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, unit_path);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : MC_ENOTFOUND;
	memset(out, 0, sizeof(*out));
	mc_sql_col_copy(s, 0, out->unit_code, sizeof(out->unit_code));
	mc_sql_col_copy(s, 1, out->bank_bin, sizeof(out->bank_bin));
	mc_sql_col_copy(s, 2, out->account, sizeof(out->account));
	mc_sql_col_copy(s, 3, out->account_name, sizeof(out->account_name));
	out->updated_at = mc_sql_col_time(s, 4);
	mc_sql_reset(s);
	return 0;
}
