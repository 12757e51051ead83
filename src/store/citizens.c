/*
 * citizens.c — citizens, one-time codes and sessions (see citizens.h).
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "domain/message.h"
#include "store/citizens.h"
#include "store/dossiers.h"
#include "store/outbox.h"
#include "store/store.h"

#include <sodium.h>

int mc_citizen_note(struct mc_conn *c, const struct mc_notify *n,
		    const struct mc_dossier *d, int64_t now,
		    struct mc_err *err)
{
	static const char sql[] = "INSERT INTO citizens (kind, id_number, "
		"name, phone, email, province_code, created_at, updated_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) ON CONFLICT "
		"(id_number) DO UPDATE SET name = excluded.name, phone = "
		"excluded.phone, email = excluded.email, updated_at = "
		"excluded.updated_at";
	static const char same[] = "SELECT name = ?2 AND COALESCE(phone, '') = "
		"?3 AND COALESCE(email, '') = ?4, COALESCE(phone, ''), "
		"COALESCE(email, '') FROM citizens WHERE id_number = ?1";
	struct mc_stmt *s = mc_sql(c, same, err);
	char old_phone[32] = "", old_email[256] = "";
	int rc;

	/*
	 * Nothing new about them: no write, so no lock on their row that
	 * every batch with one of their dossiers would wait for.
	 */
	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, d->applicant_id);
	mc_sql_text(s, 2, d->applicant_name);
	mc_sql_text(s, 3, d->applicant_phone);
	mc_sql_text(s, 4, d->applicant_email);
	rc = mc_sql_step(s, err);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		bool unchanged = mc_sql_col_int(s, 0) != 0;

		mc_sql_col_copy(s, 1, old_phone, sizeof(old_phone));
		mc_sql_col_copy(s, 2, old_email, sizeof(old_email));
		mc_sql_reset(s);
		if (unchanged)
			return 0;
	}
	/* The contact replaced is told, on its own channel (a count of
	 * messages queued, or an error). */
	if (old_phone[0] && d->applicant_phone[0] &&
	    strcmp(old_phone, d->applicant_phone) &&
	    (rc = mc_outbox_replaced(c, n, d, MC_MSG_SMS, old_phone, now,
				     err)) < 0)
		return rc;
	if (old_email[0] && d->applicant_email[0] &&
	    strcmp(old_email, d->applicant_email) &&
	    (rc = mc_outbox_replaced(c, n, d, MC_MSG_EMAIL, old_email,
				     now, err)) < 0)
		return rc;
	if (!(s = mc_sql(c, sql, err)))
		return MC_EDB;
	mc_sql_text(s, 1, d->applicant_kind);
	mc_sql_text(s, 2, d->applicant_id);
	mc_sql_text(s, 3, d->applicant_name);
	mc_sql_text_opt(s, 4, d->applicant_phone);
	mc_sql_text_opt(s, 5, d->applicant_email);
	mc_sql_text(s, 6, d->province_code);
	mc_sql_time(s, 7, now);
	return mc_sql_exec(s, err);
}

#define CITIZEN_COLS "c.id, c.kind, c.id_number, c.name, c.phone, c.email, " \
	"c.province_code FROM citizens c "

static void citizen_row(struct mc_stmt *s, struct mc_citizen *out)
{
	memset(out, 0, sizeof(*out));
	out->id = mc_sql_col_int(s, 0);
	mc_sql_col_copy(s, 1, out->kind, sizeof(out->kind));
	mc_sql_col_copy(s, 2, out->id_number, sizeof(out->id_number));
	mc_sql_col_copy(s, 3, out->name, sizeof(out->name));
	mc_sql_col_copy(s, 4, out->phone, sizeof(out->phone));
	mc_sql_col_copy(s, 5, out->email, sizeof(out->email));
	mc_sql_col_copy(s, 6, out->province_code, sizeof(out->province_code));
}

int mc_citizen_get(struct mc_conn *c, const char *id_number,
		   struct mc_citizen *out, struct mc_err *err)
{
	static const char sql[] = "SELECT " CITIZEN_COLS "WHERE c.id_number = "
		"?1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, id_number);
	rc = mc_sql_step(s, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return mc_error(err, MC_ENOTFOUND, "no citizen %s", id_number);
	citizen_row(s, out);
	mc_sql_reset(s);
	return 0;
}

/* The keyed hash of a code, in hex: BLAKE2b keyed with the salt. */
static void code_hash(const unsigned char salt[16], const char *code,
		      char out[65])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)code,
			   strlen(code), salt, 16);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

int mc_otp_issue(struct mc_conn *c, const struct mc_otp_req *r,
		 int64_t *retry_s, struct mc_err *err)
{
	static const char recent[] = "SELECT COUNT(*), MIN(created_at) FROM "
		"citizen_otps WHERE citizen_id = ?1 AND created_at > ?2";
	static const char ins[] = "INSERT INTO citizen_otps (citizen_id, "
		"channel, salt, code_hash, peer, created_at, expires_at) VALUES "
		"(?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
	struct mc_citizen cz;
	struct mc_msg_values v;
	struct mc_stmt *s;
	unsigned char salt[16];
	char code[8], hash[65], salt_hex[33], key[64], minutes[24];
	const char *to;
	int64_t id;
	int rc;

	*retry_s = 0;
	rc = mc_citizen_get(c, r->id_number, &cz, err);
	if (rc)
		return rc;
	to = r->channel == MC_MSG_SMS ? cz.phone : cz.email;
	if (!to[0] || !r->notify || !r->notify->channel[r->channel])
		return mc_error(err, MC_ENOTFOUND, "no %s contact on record",
				mc_msg_channel_name(r->channel));
	if (!(s = mc_sql(c, recent, err)))
		return MC_EDB;
	mc_sql_int(s, 1, cz.id);
	mc_sql_time(s, 2, r->now - r->window_s);
	rc = mc_sql_step(s, err);
	if (rc != 1)
		return rc < 0 ? rc : MC_EDB;
	if (mc_sql_col_int(s, 0) >= r->max_per_window) {
		*retry_s = mc_sql_col_time(s, 1) + r->window_s - r->now;
		if (*retry_s < 1)
			*retry_s = 1;
		mc_sql_reset(s);
		return mc_error(err, MC_EBUSY, "too many codes asked for; ask "
				"again in %" PRId64 " s", *retry_s);
	}
	mc_sql_reset(s);
	snprintf(code, sizeof(code), "%06u", randombytes_uniform(1000000));
	randombytes_buf(salt, sizeof(salt));
	sodium_bin2hex(salt_hex, sizeof(salt_hex), salt, sizeof(salt));
	code_hash(salt, code, hash);
	if (!(s = mc_sql(c, ins, err)))
		return MC_EDB;
	mc_sql_int(s, 1, cz.id);
	mc_sql_text(s, 2, mc_msg_channel_name(r->channel));
	mc_sql_text(s, 3, salt_hex);
	mc_sql_text(s, 4, hash);
	mc_sql_text(s, 5, r->peer ? r->peer : "");
	mc_sql_time(s, 6, r->now);
	mc_sql_time(s, 7, r->now + r->ttl_s);
	rc = mc_sql_step(s, err);
	if (rc != 1)
		return rc < 0 ? rc : MC_EDB;
	id = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	memset(&v, 0, sizeof(v));
	v.v[MC_PH_OTP] = code;
	snprintf(minutes, sizeof(minutes), "%" PRId64, (r->ttl_s + 59) / 60);
	v.v[MC_PH_MINUTES] = minutes;
	snprintf(key, sizeof(key), "otp/%" PRId64 "/%s", id,
		 mc_msg_channel_name(r->channel));
	rc = mc_outbox_queue(c, r->notify, cz.province_code, 0, MC_EV_OTP,
			     r->channel, to, &v, key, r->now, err);
	sodium_memzero(code, sizeof(code));
	return rc < 0 ? rc : 0;
}

/* Opens session 'token_hash' of citizen 'id' until now + ttl_s. */
static int session_open(struct mc_conn *c, const char *token_hash,
			int64_t id, int64_t now, int64_t ttl_s, bool vneid,
			struct mc_err *err)
{
	static const char sql[] = "INSERT INTO citizen_sessions (token_hash, "
		"citizen_id, created_at, expires_at, vneid) VALUES (?1, ?2, ?3, "
		"?4, ?5)";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, token_hash);
	mc_sql_int(s, 2, id);
	mc_sql_time(s, 3, now);
	mc_sql_time(s, 4, now + ttl_s);
	mc_sql_int(s, 5, vneid);
	return mc_sql_exec(s, err);
}

int mc_otp_verify(struct mc_conn *c, const char *id_number, const char *code,
		  int max_attempts, const char *token_hash, int64_t now,
		  int64_t session_ttl_s, enum mc_otp_result *result,
		  struct mc_citizen *out, struct mc_err *err)
{
	static const char live[] = "SELECT id, salt, code_hash FROM "
		"citizen_otps WHERE citizen_id = ?1 AND used_at IS NULL AND "
		"expires_at > ?2 ORDER BY id DESC LIMIT 1";
	/*
	 * Each try is counted before the code is compared, in one
	 * statement that takes the row's lock: tries made side by side (the
	 * parallel writers of PostgreSQL) cannot all slip under the limit.
	 */
	static const char count[] = "UPDATE citizen_otps SET attempts = "
		"attempts + 1 WHERE id = ?1 AND attempts < ?2 AND used_at IS "
		"NULL RETURNING attempts";
	static const char use[] = "UPDATE citizen_otps SET used_at = ?2 WHERE "
		"id = ?1 AND used_at IS NULL";
	struct mc_stmt *s;
	unsigned char salt[16];
	char salt_hex[40], stored[80], got[65];
	int64_t id;
	int attempts, rc;

	*result = MC_OTP_NONE;
	if (mc_citizen_get(c, id_number, out, NULL))
		return 0;
	if (!(s = mc_sql(c, live, err)))
		return MC_EDB;
	mc_sql_int(s, 1, out->id);
	mc_sql_time(s, 2, now);
	rc = mc_sql_step(s, err);
	if (rc <= 0)
		return rc;
	id = mc_sql_col_int(s, 0);
	mc_sql_col_copy(s, 1, salt_hex, sizeof(salt_hex));
	mc_sql_col_copy(s, 2, stored, sizeof(stored));
	mc_sql_reset(s);
	if (!(s = mc_sql(c, count, err)))
		return MC_EDB;
	mc_sql_int(s, 1, id);
	mc_sql_int(s, 2, max_attempts);
	if ((rc = mc_sql_step(s, err)) < 0)
		return rc;
	if (rc == 0) {
		*result = MC_OTP_SPENT;	/* no try left, or used meanwhile */
		return 0;
	}
	attempts = (int)mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	if (sodium_hex2bin(salt, sizeof(salt), salt_hex, strlen(salt_hex),
			   NULL, NULL, NULL))
		return mc_error(err, MC_EINTERNAL, "a stored code's salt is "
				"damaged");
	code_hash(salt, code, got);
	if (strlen(stored) != 64 || sodium_memcmp(got, stored, 64) != 0) {
		*result = attempts >= max_attempts ? MC_OTP_SPENT :
			  MC_OTP_WRONG;
		return 0;
	}
	if (!(s = mc_sql(c, use, err)))
		return MC_EDB;
	mc_sql_int(s, 1, id);
	mc_sql_time(s, 2, now);
	rc = mc_sql_exec(s, err);
	if (rc)
		return rc;
	if (mc_sql_changes(c) != 1)
		return 0;		/* used meanwhile: MC_OTP_NONE */
	rc = session_open(c, token_hash, out->id, now, session_ttl_s, false,
			  err);
	if (!rc)
		*result = MC_OTP_OK;
	return rc;
}

int mc_citizen_session(struct mc_conn *c, const char *token_hash, int64_t now,
		       struct mc_citizen *out, int64_t *expires,
		       struct mc_err *err)
{
	static const char sql[] = "SELECT " CITIZEN_COLS ", citizen_sessions x "
		"WHERE x.token_hash = ?1 AND x.citizen_id = c.id AND "
		"x.revoked_at IS NULL AND x.expires_at > ?2";
	static const char exp[] = "SELECT expires_at, vneid FROM "
		"citizen_sessions WHERE token_hash = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, token_hash);
	mc_sql_time(s, 2, now);
	rc = mc_sql_step(s, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return mc_error(err, MC_ENOTFOUND, "no such session");
	citizen_row(s, out);
	mc_sql_reset(s);
	if (!(s = mc_sql(c, exp, err)))
		return MC_EDB;
	mc_sql_text(s, 1, token_hash);
	rc = mc_sql_step(s, err);
	if (rc < 0)
		return rc;
	*expires = rc ? mc_sql_col_time(s, 0) : now;
	out->vneid = rc && mc_sql_col_int(s, 1) != 0;
	if (rc)
		mc_sql_reset(s);
	return 0;
}

int mc_citizen_logout(struct mc_conn *c, const char *token_hash, int64_t now,
		      struct mc_err *err)
{
	static const char sql[] = "UPDATE citizen_sessions SET revoked_at = "
		"?2 WHERE token_hash = ?1 AND revoked_at IS NULL";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, token_hash);
	mc_sql_time(s, 2, now);
	rc = mc_sql_exec(s, err);
	if (!rc && mc_sql_changes(c) != 1)
		rc = mc_error(err, MC_ENOTFOUND, "no open session");
	return rc;
}

int mc_oidc_login_open(struct mc_conn *c, const struct mc_oidc_login *l,
		       int64_t now, int64_t ttl_s, struct mc_err *err)
{
	static const char gone[] = "DELETE FROM citizen_oidc_logins WHERE "
		"expires_at <= ?1";
	static const char gone_tickets[] = "DELETE FROM citizen_oidc_tickets "
		"WHERE expires_at <= ?1";
	static const char ins[] = "INSERT INTO citizen_oidc_logins "
		"(state_hash, browser_hash, nonce, verifier, return_to, "
		"created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	struct mc_stmt *s;
	int rc;

	if (!(s = mc_sql(c, gone, err)))
		return MC_EDB;
	mc_sql_time(s, 1, now);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	if (!(s = mc_sql(c, gone_tickets, err)))
		return MC_EDB;
	mc_sql_time(s, 1, now);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	if (!(s = mc_sql(c, ins, err)))
		return MC_EDB;
	mc_sql_text(s, 1, l->state_hash);
	mc_sql_text(s, 2, l->browser_hash);
	mc_sql_text(s, 3, l->nonce);
	mc_sql_text(s, 4, l->verifier);
	mc_sql_text(s, 5, l->return_to);
	mc_sql_time(s, 6, now);
	mc_sql_time(s, 7, now + ttl_s);
	return mc_sql_exec(s, err);
}

int mc_oidc_login_get(struct mc_conn *c, const char *state_hash, int64_t now,
		      struct mc_oidc_login *out, struct mc_err *err)
{
	static const char sql[] = "SELECT browser_hash, nonce, verifier, "
		"return_to FROM citizen_oidc_logins WHERE state_hash = ?1 AND "
		"expires_at > ?2";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, state_hash);
	mc_sql_time(s, 2, now);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_ENOTFOUND, "no sign-in "
					      "with this state is on its way");
	snprintf(out->state_hash, sizeof(out->state_hash), "%s", state_hash);
	mc_sql_col_copy(s, 0, out->browser_hash, sizeof(out->browser_hash));
	mc_sql_col_copy(s, 1, out->nonce, sizeof(out->nonce));
	mc_sql_col_copy(s, 2, out->verifier, sizeof(out->verifier));
	mc_sql_col_copy(s, 3, out->return_to, sizeof(out->return_to));
	mc_sql_reset(s);
	return 0;
}

int mc_oidc_login_done(struct mc_conn *c, const char *state_hash,
		       const char *id_number, const char *name,
		       const char *phone, const char *email,
		       const char *sub, const char *ticket_hash, int64_t now,
		       int64_t ticket_ttl_s, struct mc_err *err)
{
	static const char end[] = "DELETE FROM citizen_oidc_logins WHERE "
		"state_hash = ?1 AND expires_at > ?2 RETURNING browser_hash";
	/* The province: the root of the units' tree. */
	static const char add[] = "INSERT INTO citizens (kind, id_number, "
		"name, province_code, created_at, updated_at) SELECT 'person', "
		"?1, ?2, COALESCE((SELECT admin_code FROM units WHERE parent_id "
		"IS NULL ORDER BY id LIMIT 1), ''), ?3, ?3 "
		"ON CONFLICT (id_number) DO NOTHING";
	/* A contact where none is on record yet. */
	static const char contact[] = "UPDATE citizens SET phone = "
		"COALESCE(phone, CAST(?2 AS TEXT)), email = COALESCE(email, "
		"CAST(?3 AS TEXT)) WHERE id_number = ?1 AND ((phone IS NULL AND "
		"CAST(?2 AS TEXT) IS NOT NULL) OR (email IS NULL AND CAST(?3 AS "
		"TEXT) IS NOT NULL))";
	/* The ticket is the browser's that began it, as the sign-in was. */
	static const char ticket[] = "INSERT INTO citizen_oidc_tickets "
		"(ticket_hash, citizen_id, subject, created_at, expires_at, "
		"browser_hash) SELECT ?1, id, ?2, ?3, ?4, ?6 FROM citizens "
		"WHERE id_number = ?5";
	char browser[65];
	struct mc_stmt *s;
	int rc;

	if (!(s = mc_sql(c, end, err)))
		return MC_EDB;
	mc_sql_text(s, 1, state_hash);
	mc_sql_time(s, 2, now);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_ENOTFOUND, "this "
					      "sign-in was ended or has "
					      "expired");
	mc_sql_col_copy(s, 0, browser, sizeof(browser));
	mc_sql_reset(s);
	if (!(s = mc_sql(c, add, err)))
		return MC_EDB;
	mc_sql_text(s, 1, id_number);
	mc_sql_text(s, 2, name);
	mc_sql_time(s, 3, now);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	if (!(s = mc_sql(c, contact, err)))
		return MC_EDB;
	mc_sql_text(s, 1, id_number);
	mc_sql_text_opt(s, 2, phone);
	mc_sql_text_opt(s, 3, email);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	if (!(s = mc_sql(c, ticket, err)))
		return MC_EDB;
	mc_sql_text(s, 1, ticket_hash);
	mc_sql_text(s, 2, sub);
	mc_sql_time(s, 3, now);
	mc_sql_time(s, 4, now + ticket_ttl_s);
	mc_sql_text(s, 5, id_number);
	mc_sql_text(s, 6, browser);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	return mc_sql_changes(c) == 1 ? 0 : mc_error(err, MC_EINTERNAL,
		"citizen %s was not recorded", id_number);
}

int mc_oidc_ticket_take(struct mc_conn *c, const char *ticket_hash,
			const char *browser_hash, const char *token_hash,
			int64_t now, int64_t session_ttl_s,
			struct mc_citizen *out, struct mc_err *err)
{
	static const char take[] = "DELETE FROM citizen_oidc_tickets WHERE "
		"ticket_hash = ?1 AND expires_at > ?2 AND browser_hash = ?3 "
		"RETURNING citizen_id";
	static const char who[] = "SELECT " CITIZEN_COLS "WHERE c.id = ?1";
	struct mc_stmt *s;
	int64_t id;
	int rc;

	if (!(s = mc_sql(c, take, err)))
		return MC_EDB;
	mc_sql_text(s, 1, ticket_hash);
	mc_sql_time(s, 2, now);
	mc_sql_text(s, 3, browser_hash);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_ENOTFOUND, "the ticket "
					      "was used, has expired, or is "
					      "another browser's");
	id = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	if (!(s = mc_sql(c, who, err)))
		return MC_EDB;
	mc_sql_int(s, 1, id);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_EDB, "the ticket's "
					      "citizen is gone");
	citizen_row(s, out);
	out->vneid = true;
	mc_sql_reset(s);
	return session_open(c, token_hash, id, now, session_ttl_s, true, err);
}
