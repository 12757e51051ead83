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

int mc_payment_due(struct mc_conn *c, int64_t id, int64_t *total,
		   int64_t *paid, struct mc_err *err)
{
	static const char sql[] = "SELECT (SELECT COALESCE(SUM(amount), 0) "
		"FROM dossier_fees WHERE dossier_id = ?1), (SELECT "
		"COALESCE(SUM(amount), 0) FROM payments WHERE dossier_id = ?1)";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	rc = mc_sql_step(s, err);
	if (rc != 1)
		return rc < 0 ? rc : MC_EDB;
	*total = mc_sql_col_int(s, 0);
	*paid = mc_sql_col_int(s, 1);
	mc_sql_reset(s);
	return 0;
}

int mc_payment_counter(struct mc_conn *c, const char *code,
		       const struct mc_user *actor, const char *method,
		       int64_t amount, const struct mc_notify *n, int64_t now,
		       struct mc_payment *out, struct mc_err *err)
{
	static const char ins[] = "INSERT INTO payments (province_code, "
		"dossier_id, method, amount, receipt_no, payer_name, "
		"recorded_by, paid_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, "
		"?6, ?7, ?8, ?8) RETURNING id";
	struct mc_dossier *d = mc_calloc(1, sizeof(*d));
	struct mc_msg_values v;
	struct mc_stmt *s;
	char year[8], key[200], money[48];
	int64_t total, paid, seq;
	int rc;

	rc = mc_dossier_get_head(c, code, d, err);
	if (!rc && !mc_unit_within(d->unit_path, actor->unit_path))
		rc = mc_error(err, MC_ENOTFOUND, "dossier %s not found", code);
	if (!rc)
		rc = mc_payment_due(c, d->id, &total, &paid, err);
	if (rc)
		goto out;
	if (total - paid <= 0) {
		rc = mc_err_rule(err, MC_ECONFLICT, "amount", "nothing_due",
				 "nothing is due for dossier %s", code);
		goto out;
	}
	if (amount != total - paid) {
		rc = mc_err_field(err, "amount", "outstanding", "the amount due "
				  "is %" PRId64 " VND", total - paid);
		goto out;
	}
	snprintf(year, sizeof(year), "%04d",
		 mc_ymd_from_days(mc_local_day(now)).year);
	snprintf(key, sizeof(key), "BL-%s", d->unit_code);
	rc = mc_sequence_next(c, key, year, &seq, err);
	if (rc)
		goto out;
	memset(out, 0, sizeof(*out));
	snprintf(out->receipt_no, sizeof(out->receipt_no), "BL-%.32s-%s-%06"
		 PRId64, d->unit_code, year, seq);
	if (!(s = mc_sql(c, ins, err))) {
		rc = MC_EDB;
		goto out;
	}
	mc_sql_text(s, 1, d->province_code);
	mc_sql_int(s, 2, d->id);
	mc_sql_text(s, 3, method);
	mc_sql_int(s, 4, amount);
	mc_sql_text(s, 5, out->receipt_no);
	mc_sql_text(s, 6, d->applicant_name);
	mc_sql_int(s, 7, actor->id);
	mc_sql_time(s, 8, now);
	rc = mc_sql_step(s, err);
	if (rc != 1) {
		rc = rc < 0 ? rc : MC_EDB;
		goto out;
	}
	out->id = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	snprintf(out->method, sizeof(out->method), "%s", method);
	out->amount = amount;
	snprintf(out->payer_name, sizeof(out->payer_name), "%s",
		 d->applicant_name);
	snprintf(out->recorded_by, sizeof(out->recorded_by), "%s",
		 actor->username);
	out->paid_at = now;
	/* Payment received: the same transaction, one message per channel. */
	memset(&v, 0, sizeof(v));
	mc_msg_amount(amount, money, sizeof(money));
	v.v[MC_PH_AMOUNT] = money;
	v.v[MC_PH_CODE] = d->code;
	v.v[MC_PH_PROCEDURE] = d->procedure_name;
	rc = 0;
	snprintf(key, sizeof(key), "%s/payment/%s/sms", d->code,
		 out->receipt_no);
	rc = mc_outbox_queue(c, n, d->province_code, d->id,
			     MC_EV_PAYMENT_RECEIVED, MC_MSG_SMS,
			     d->applicant_phone, &v, key, now, err);
	if (rc >= 0) {
		snprintf(key, sizeof(key), "%s/payment/%s/email", d->code,
			 out->receipt_no);
		rc = mc_outbox_queue(c, n, d->province_code, d->id,
				     MC_EV_PAYMENT_RECEIVED, MC_MSG_EMAIL,
				     d->applicant_email, &v, key, now, err);
	}
	rc = rc < 0 ? rc : 0;
out:
	mc_dossier_release(d);
	mc_free(d);
	return rc;
}

int mc_payment_list(struct mc_conn *c, int64_t dossier_id,
		    mc_payment_fn *fn, void *arg, struct mc_err *err)
{
	static const char sql[] = "SELECT p.id, p.method, p.amount, "
		"p.receipt_no, p.payer_name, COALESCE(u.username, ''), "
		"p.paid_at FROM payments p LEFT JOIN users u ON u.id = "
		"p.recorded_by WHERE p.dossier_id = ?1 ORDER BY p.id";
	struct mc_payment p;
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc, n = 0;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, dossier_id);
	while ((rc = mc_sql_step(s, err)) == 1) {
		memset(&p, 0, sizeof(p));
		p.id = mc_sql_col_int(s, 0);
		mc_sql_col_copy(s, 1, p.method, sizeof(p.method));
		p.amount = mc_sql_col_int(s, 2);
		mc_sql_col_copy(s, 3, p.receipt_no, sizeof(p.receipt_no));
		mc_sql_col_copy(s, 4, p.payer_name, sizeof(p.payer_name));
		mc_sql_col_copy(s, 5, p.recorded_by, sizeof(p.recorded_by));
		p.paid_at = mc_sql_col_time(s, 6);
		fn(&p, arg);
		n++;
	}
	return rc < 0 ? rc : n;
}
