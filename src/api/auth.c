/*
 * auth.c — staff sign-in: POST /api/v1/auth/login, /logout and GET
 * /api/v1/auth/me.
 *
 * Passwords are argon2id hashes (libsodium); checking one takes tens of
 * milliseconds and tens of megabytes on purpose, so it runs on a worker
 * thread, never on the loop. A login returns a random 256-bit token; the
 * database keeps only its SHA-256. After login_max_failures failures in a
 * row the account is locked for login_lockout, during which even the right
 * password gets 423. An unknown user and a wrong password get the same
 * answer.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/fold.h"
#include "core/mem.h"
#include "core/sha256.h"
#include "core/timeutil.h"
#include "api/api.h"
#include "api/util.h"
#include "app.h"
#include "domain/lifecycle.h"
#include "http/server.h"
#include "store/catalog.h"
#include "store/writer.h"

#include <sodium.h>

enum login_outcome { LOGIN_OK, LOGIN_BAD, LOGIN_LOCKED, LOGIN_ERROR };

struct login {
	struct mc_app *app;
	char username[64];
	char password[256];
	enum login_outcome outcome;
	struct mc_user user;
	char token[64];
	char hash[MC_SHA256_HEX];
	int64_t now, expires, locked_until;
	struct mc_err err;
};

static int write_failed(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct login *l = arg;
	bool locked;

	return mc_user_login_failed(c, l->user.id,
				    l->app->cfg.login_max_failures,
				    l->locked_until, &locked, err);
}

static int write_session(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct login *l = arg;

	return mc_session_create(c, l->user.id, l->hash, l->now, l->expires,
				 err);
}

/* On a worker: check the password and record the outcome. */
static void login_run(struct mc_conn *db, void *arg)
{
	struct login *l = arg;
	const struct mc_config *cfg = &l->app->cfg;
	unsigned char raw[32];
	int rc;

	l->now = mc_api_now(l->app);
	rc = mc_user_get(db, l->username, &l->user, &l->err);
	if (rc == MC_ENOTFOUND || (rc == 0 && !l->user.active)) {
		/* As slow as a wrong password: no telling who exists. */
		if (l->app->password_dummy[0] &&
		    crypto_pwhash_str_verify(l->app->password_dummy,
					     l->password,
					     strlen(l->password)) == 0)
			l->outcome = LOGIN_BAD;	/* cannot match: no one's */
		l->outcome = LOGIN_BAD;
		goto out;
	}
	if (rc) {
		l->outcome = LOGIN_ERROR;
		goto out;
	}
	if (l->user.locked_until != MC_NO_TIME &&
	    l->user.locked_until > l->now) {
		l->locked_until = l->user.locked_until;
		l->outcome = LOGIN_LOCKED;
		goto out;
	}
	if (crypto_pwhash_str_verify(l->user.password_hash, l->password,
				     strlen(l->password)) != 0) {
		/* The writer counts and decides on the lock, atomically. */
		l->outcome = LOGIN_BAD;
		l->locked_until = l->now + cfg->login_lockout_ms / 1000;
		if (mc_writer_run(l->app->writer, write_failed, l, &l->err))
			l->outcome = LOGIN_ERROR;
		goto out;
	}
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(l->token, sizeof(l->token), raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	mc_sha256_hex(l->token, strlen(l->token), l->hash);
	l->expires = l->now + cfg->session_ttl_ms / 1000;
	rc = mc_writer_run(l->app->writer, write_session, l, &l->err);
	if (rc == MC_EFORBIDDEN) {
		/* Parallel failures locked the account meanwhile. */
		l->locked_until = l->now + cfg->login_lockout_ms / 1000;
		l->outcome = LOGIN_LOCKED;
	} else {
		l->outcome = rc ? LOGIN_ERROR : LOGIN_OK;
	}
out:
	sodium_memzero(l->password, sizeof(l->password));
}

int mc_api_password_hash(const struct mc_config *cfg, const char *pw,
			 char *out, size_t n, struct mc_err *err)
{
	char *nfc = mc_text_nfc(pw, strlen(pw));
	size_t len, chars = 0, i;
	int rc = 0;

	if (n < crypto_pwhash_STRBYTES)
		return mc_error(err, MC_EINTERNAL, "hash buffer too small");
	if (!nfc)
		return mc_err_field(err, "password", "utf8", "is not valid "
				    "UTF-8 text");
	len = strlen(nfc);
	for (i = 0; i < len; i++)
		if (((unsigned char)nfc[i] & 0xc0) != 0x80)
			chars++;
	if (chars < 10)
		rc = mc_err_field(err, "password", "min_length", "at least "
				  "10 characters");
	else if (len > 255)
		rc = mc_err_field(err, "password", "max_length", "at most "
				  "255 bytes");
	else if (sodium_init() < 0)
		rc = mc_error(err, MC_EINTERNAL, "libsodium cannot start");
	else if (crypto_pwhash_str(out, nfc, len,
				   (unsigned long long)cfg->password_ops,
				   (size_t)cfg->password_memory) != 0)
		rc = mc_error(err, MC_ENOMEM, "not enough memory to hash the "
			      "password");
	sodium_memzero(nfc, len);
	mc_free(nfc);
	return rc;
}

json_t *mc_api_user_json(const struct mc_user *u)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "username", u->username,
			 "full_name", u->full_name, "role",
			 mc_role_name(u->role), "unit_code", u->unit_code,
			 "unit_name", u->unit_name);
}

static void login_done(struct mc_req *r, void *arg)
{
	struct login *l = arg;
	char detail[160], when[32];

	if (mc_req_answered(r))
		goto out;
	switch (l->outcome) {
	case LOGIN_OK:
		mc_reply_json(r, 200, json_pack("{s:s, s:s, s:o, s:o}",
			"token", l->token, "token_type", "Bearer",
			"expires_at", mc_api_time(l->expires),
			"user", mc_api_user_json(&l->user)));
		break;
	case LOGIN_BAD:
		/* Counted per address too: guessing across accounts. */
		mc_api_limit_fail(r, l->app->login_limit);
		mc_reply_problem(r, 401, "invalid-credentials", "Tên đăng nhập "
				 "hoặc mật khẩu không đúng", "the username or "
				 "the password is wrong", NULL);
		break;
	case LOGIN_LOCKED:
		snprintf(detail, sizeof(detail), "too many failed logins; the "
			 "account is locked until %s", mc_time_format_local(
			 l->locked_until, when, sizeof(when)));
		mc_reply_problem(r, 423, "locked", "Tài khoản tạm khóa do đăng "
				 "nhập sai nhiều lần", detail, NULL);
		break;
	default:
		mc_reply_err(r, &l->err);
		break;
	}
out:
	mc_free(l);
}

/*
 * The password as typed: not trimmed, only brought to NFC, as
 * mc_api_password_hash does, so that one password always has one form.
 */
static int read_password(json_t *body, char *out, size_t n,
			   struct mc_err *err)
{
	json_t *v = json_object_get(body, "password");
	char *nfc;

	out[0] = '\0';
	if (!json_is_string(v) || json_string_length(v) == 0)
		return mc_err_field(err, "password", "required", "give the "
				    "password");
	nfc = mc_text_nfc(json_string_value(v), json_string_length(v));
	if (!nfc)
		return mc_err_field(err, "password", "utf8", "is not valid "
				    "text");
	if (strlen(nfc) >= n) {
		sodium_memzero(nfc, strlen(nfc));
		mc_free(nfc);
		return mc_err_field(err, "password", "max_length", "at most "
				    "%zu bytes", n - 1);
	}
	memcpy(out, nfc, strlen(nfc) + 1);
	sodium_memzero(nfc, strlen(nfc));
	mc_free(nfc);
	return 0;
}

void api_auth_login(struct mc_req *r)
{
	static const char *const known[] = { "username", "password", NULL };
	struct mc_err err = MC_ERR_INIT;
	json_t *body = mc_api_body(r);
	struct login *l;

	if (!body)
		return;
	/*
	 * An address past login_max_per_address failures in the window
	 * waits it out, whichever account it tries.
	 */
	if (mc_api_limited(r, mc_req_app(r)->login_limit, "failed sign-ins",
			   "Đăng nhập sai quá nhiều lần từ máy này, vui lòng "
			   "thử lại sau")) {
		json_decref(body);
		return;
	}
	l = mc_calloc(1, sizeof(*l));
	l->app = mc_req_app(r);
	mc_api_known(body, "", known, &err);
	mc_api_str(body, "", "username", true, 63, l->username,
		   sizeof(l->username), &err);
	read_password(body, l->password, sizeof(l->password), &err);
	json_decref(body);
	if (err.code) {
		sodium_memzero(l->password, sizeof(l->password));
		mc_free(l);
		mc_reply_err(r, &err);
		return;
	}
	mc_err_clear(&l->err);
	mc_req_defer(r, login_run, login_done, l);
}

struct logout {
	struct mc_api_write aw;
	char hash[MC_SHA256_HEX];
	int64_t now;
};

static int logout_fn(struct mc_conn *c, struct mc_api_write *aw,
		     struct mc_err *err)
{
	struct logout *lo = (struct logout *)aw;

	return mc_session_revoke(c, lo->hash, lo->now, err);
}

static void logout_reply(struct mc_req *r, struct mc_api_write *aw)
{
	(void)aw;
	mc_reply_json(r, 200, json_pack("{s:b}", "revoked", 1));
}

void api_auth_logout(struct mc_req *r)
{
	struct mc_user u;
	struct logout *lo;
	const char *h;

	if (mc_api_user(r, &u))
		return;
	h = mc_req_header_get(r, "authorization");
	lo = mc_calloc(1, sizeof(*lo));
	mc_sha256_hex(h + 7, strlen(h + 7), lo->hash);
	lo->now = mc_api_now(mc_req_app(r));
	lo->aw.fn = logout_fn;
	lo->aw.reply = logout_reply;
	mc_api_write_submit(r, &lo->aw);
}

void api_auth_me(struct mc_req *r)
{
	static const char *const none[] = { NULL };
	struct mc_err err = MC_ERR_INIT;
	struct mc_user u;

	if (mc_api_user(r, &u))
		return;
	if (mc_req_query_check(r, none, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	mc_reply_json(r, 200, mc_api_user_json(&u));
}
