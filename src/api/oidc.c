/*
 * oidc.c — citizens signed in with VNeID (docs/citizens.md "VNeID"):
 *
 *   GET  /api/v1/citizen/oidc/start?return_to=/path
 *	302 to the provider, with state, nonce and a PKCE challenge; the
 *	sign-in is kept (store/citizens.h) and bound to this browser by a
 *	cookie.
 *   GET  /api/v1/citizen/oidc/callback?code&state
 *	the provider's answer: the code traded, the ID token verified,
 *	the person read (jobs/oidc.h); 302 back to return_to with
 *	"login=<ticket>", or "login_error=<why>".
 *   POST /api/v1/citizen/oidc/session {"ticket"}
 *	the ticket (one use, a minute) traded for a session token, as
 *	POST /api/v1/citizen/login gives: the token never travels in a URL.
 */
#include "core/compat.h"
#include "core/jwt.h"
#include "core/mem.h"
#include "core/sha256.h"
#include "api/api.h"
#include "api/util.h"
#include "app.h"
#include "jobs/oidc.h"
#include "store/citizens.h"

#include <sodium.h>

#define COOKIE "mc_oidc"
#define COOKIE_PATH "/api/v1/citizen/oidc"
#define LOGIN_TTL_S 600			/* from start to callback */
#define TICKET_TTL_S 60			/* from callback to session */

/* 'n' random bytes as base64url into 'out'. */
static void random_b64(size_t n, char *out, size_t cap)
{
	unsigned char raw[48];

	randombytes_buf(raw, n);
	mc_b64url(raw, n, out, cap);
	sodium_memzero(raw, sizeof(raw));
}

static bool configured(struct mc_req *r)
{
	if (mc_req_app(r)->oidc)
		return true;
	mc_reply_problem(r, 404, "not-found", "Chưa cấu hình đăng nhập bằng "
			 "VNeID", "oidc_issuer is not set", NULL);
	return false;
}

/* "; Secure" when citizens come back over https. */
static const char *secure(const struct mc_app *app)
{
	return strncmp(app->cfg.oidc_redirect_uri, "https://", 8) ? "" :
	       "; Secure";
}

/* GET .../start */

struct start {
	struct mc_api_write aw;
	struct mc_oidc *oidc;
	struct mc_oidc_login l;
	char state[64], browser[64], challenge[64];
	char url[4096];
	int rc;
	struct mc_err err;
};

static void start_release(struct mc_api_write *aw)
{
	struct start *s = (struct start *)aw;

	sodium_memzero(&s->l, sizeof(s->l));
	sodium_memzero(s->state, sizeof(s->state));
	sodium_memzero(s->browser, sizeof(s->browser));
}

static int start_fn(struct mc_conn *c, struct mc_api_write *aw,
		    struct mc_err *err)
{
	struct start *s = (struct start *)aw;

	return mc_oidc_login_open(c, &s->l, s->aw.now, LOGIN_TTL_S, err);
}

static void start_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct start *s = (struct start *)aw;
	char cookie[256];

	snprintf(cookie, sizeof(cookie), COOKIE "=%s; Path=" COOKIE_PATH
		 "; Max-Age=%d; HttpOnly; SameSite=Lax%s", s->browser,
		 LOGIN_TTL_S, secure(mc_req_app(r)));
	mc_req_header(r, "set-cookie", cookie);
	mc_req_header(r, "location", s->url);
	mc_req_header(r, "cache-control", "no-store");
	mc_reply_bytes(r, 302, "text/plain; charset=utf-8", "", 0);
	sodium_memzero(cookie, sizeof(cookie));
}

/* On a worker: the provider's authorization URL (discovery may ask). */
static void start_url(struct mc_conn *db, void *arg)
{
	struct start *s = arg;

	(void)db;
	s->rc = mc_oidc_auth_url(s->oidc, s->state, s->l.nonce, s->challenge,
				 s->url, sizeof(s->url), &s->err);
}

/* The provider could not be asked: say so, in Vietnamese. */
static void unavailable(struct mc_req *r, int rc, const struct mc_err *err)
{
	mc_reply_problem(r, rc == MC_ETIMEOUT ? 504 : 502,
			 "signin-unavailable", "Hệ thống đăng nhập VNeID chưa "
			 "trả lời; vui lòng thử lại sau hoặc đăng nhập bằng mã "
			 "xác thực gửi qua tin nhắn", err->message, NULL);
}

static void start_done(struct mc_req *r, void *arg)
{
	struct start *s = arg;

	if (mc_req_answered(r) || s->rc) {
		if (!mc_req_answered(r))
			unavailable(r, s->rc, &s->err);
		start_release(&s->aw);
		mc_free(s);
		return;
	}
	s->aw.fn = start_fn;
	s->aw.reply = start_reply;
	s->aw.release = start_release;
	mc_api_write_submit(r, &s->aw);
}

/* A path of this site to come back to: "/…", never "//…" or "/\…". */
static bool local_path(const char *p)
{
	const char *q;
	size_t i;

	if (!p || p[0] != '/' || p[1] == '/' || p[1] == '\\' ||
	    strlen(p) >= 400)
		return false;
	for (i = 0; p[i]; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f ||
		    p[i] == '\\' || p[i] == '#')
			return false;
	/* Its query may not carry a ticket of someone else's making. */
	for (q = strchr(p, '?'); q; q = strchr(q + 1, '&'))
		if (!strncmp(q + 1, "login=", 6) ||
		    !strncmp(q + 1, "login_error=", 12))
			return false;
	return true;
}

void api_citizen_oidc_start(struct mc_req *r)
{
	static const char *const allowed[] = { "return_to", NULL };
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	const char *back;
	unsigned char digest[32];
	struct start *s;

	/* Each start keeps a row for ten minutes: limited per address. */
	if (!configured(r) || mc_api_citizen_limited(r))
		return;
	if (mc_req_query_check(r, allowed, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	back = mc_req_query(r, "return_to");
	if (back && !local_path(back)) {
		mc_err_field(&err, "return_to", "path", "a path of this site, "
			     "beginning with one /");
		mc_reply_err(r, &err);
		return;
	}
	s = mc_calloc(1, sizeof(*s));
	s->oidc = app->oidc;
	snprintf(s->l.return_to, sizeof(s->l.return_to), "%s",
		 back ? back : "/");
	random_b64(32, s->state, sizeof(s->state));
	random_b64(32, s->browser, sizeof(s->browser));
	random_b64(16, s->l.nonce, sizeof(s->l.nonce));
	random_b64(32, s->l.verifier, sizeof(s->l.verifier));
	crypto_hash_sha256(digest, (const unsigned char *)s->l.verifier,
			   strlen(s->l.verifier));
	mc_b64url(digest, sizeof(digest), s->challenge, sizeof(s->challenge));
	mc_sha256_hex(s->state, strlen(s->state), s->l.state_hash);
	mc_sha256_hex(s->browser, strlen(s->browser), s->l.browser_hash);
	mc_req_defer(r, start_url, start_done, s);
}

/* GET .../callback */

struct back {
	struct mc_api_write aw;
	struct mc_oidc *oidc;
	char state_hash[65], browser_hash[65];
	char code[1024], error[64];
	int64_t now;
	struct mc_oidc_login l;
	struct mc_oidc_who who;
	char ticket[64], ticket_hash[65];
	int rc;				/* of the login's reading */
	int finish;			/* of the provider's answer */
	bool gone;			/* ended meanwhile (a second answer) */
	struct mc_err err;
};

static void back_release(struct mc_api_write *aw)
{
	struct back *b = (struct back *)aw;

	sodium_memzero(b, sizeof(*b));
}

/* Forgets this browser's binding. */
static void cookie_clear(struct mc_req *r)
{
	mc_req_header(r, "set-cookie", COOKIE "=; Path=" COOKIE_PATH
		      "; Max-Age=0; HttpOnly; SameSite=Lax");
}

/*
 * 302 to where the sign-in began, "login…=value" added to its query. The
 * browser's binding stays for the ticket's trade, else it is spent.
 */
static void send_back(struct mc_req *r, const char *return_to,
		      const char *name, const char *value)
{
	char url[1024];

	/* 'value' is base64url or a word: nothing to escape. */
	snprintf(url, sizeof(url), "%s%s%s=%s", return_to,
		 strchr(return_to, '?') ? "&" : "?", name, value);
	if (strcmp(name, "login"))
		cookie_clear(r);
	mc_req_header(r, "location", url);
	mc_req_header(r, "cache-control", "no-store");
	mc_reply_bytes(r, 302, "text/plain; charset=utf-8", "", 0);
	sodium_memzero(url, sizeof(url));
}

static int back_fn(struct mc_conn *c, struct mc_api_write *aw,
		   struct mc_err *err)
{
	struct back *b = (struct back *)aw;
	int rc = mc_oidc_login_done(c, b->state_hash, b->who.id_number,
				    b->who.name, b->who.phone, b->who.email,
				    b->who.sub, b->ticket_hash, b->aw.now,
				    TICKET_TTL_S, err);

	/* Nothing was written: answered below, not as an error. */
	if ((b->gone = rc == MC_ENOTFOUND))
		mc_err_clear(err);
	return b->gone ? 0 : rc;
}

static void back_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct back *b = (struct back *)aw;

	if (b->gone) {
		mc_reply_problem(r, 400, "signin-expired", "Phiên đăng nhập "
				 "đã hết hạn hoặc đã dùng; vui lòng đăng nhập "
				 "lại", "the sign-in was ended or has expired",
				 NULL);
		return;
	}
	send_back(r, b->l.return_to, "login", b->ticket);
}

/* On a worker: the sign-in read, then the provider's answer checked. */
static void back_check(struct mc_conn *db, void *arg)
{
	struct back *b = arg;

	if ((b->rc = mc_oidc_login_get(db, b->state_hash, b->now, &b->l,
				       &b->err)))
		return;
	/* Begun in another browser: a forged or stolen answer. */
	if (sodium_memcmp(b->l.browser_hash, b->browser_hash, 64)) {
		b->rc = mc_error(&b->err, MC_EFORBIDDEN, "the sign-in was "
				 "begun in another browser");
		return;
	}
	if (b->error[0])
		return;			/* the provider said no */
	b->finish = mc_oidc_finish(b->oidc, b->code, b->l.verifier,
				   b->l.nonce, b->now, &b->who, &b->err);
}

static void back_done(struct mc_req *r, void *arg)
{
	struct back *b = arg;
	const char *why = NULL;
	bool suspect = true;		/* counted against the address */

	if (mc_req_answered(r))
		goto out;
	if (b->rc == MC_ENOTFOUND || b->rc == MC_EFORBIDDEN) {
		mc_api_citizen_failed(r);
		mc_reply_problem(r, 400, b->rc == MC_ENOTFOUND ?
				 "signin-expired" : "signin-forged",
				 "Phiên đăng nhập không hợp lệ hoặc đã hết "
				 "hạn; vui lòng đăng nhập lại", b->err.message,
				 NULL);
		goto out;
	}
	if (b->rc) {
		mc_reply_err(r, &b->err);
		goto out;
	}
	/* Back where it began, saying why it did not sign them in. */
	if (b->error[0] && !strcmp(b->error, "access_denied")) {
		why = "access_denied";	/* the citizen said no */
		suspect = false;
	} else if (b->error[0]) {
		why = "refused";
	} else if (b->finish == MC_EIO || b->finish == MC_ETIMEOUT) {
		why = "unavailable";
		suspect = false;
	} else if (b->finish && b->err.nfields &&
		   !strcmp(b->err.fields[0].field, "claims")) {
		why = "no_id_number";
	} else if (b->finish) {
		why = "invalid";
	}
	if (why) {
		mc_req_log(r, MC_LOG_WARN, "VNeID sign-in failed", json_pack(
			"{s:s, s:s}", "why", why, "error", b->error[0] ?
			b->error : b->err.message));
		if (suspect)
			mc_api_citizen_failed(r);
		send_back(r, b->l.return_to, "login_error", why);
		goto out;
	}
	random_b64(32, b->ticket, sizeof(b->ticket));
	mc_sha256_hex(b->ticket, strlen(b->ticket), b->ticket_hash);
	b->aw.fn = back_fn;
	b->aw.reply = back_reply;
	b->aw.release = back_release;
	mc_api_write_submit(r, &b->aw);
	return;
out:
	back_release(&b->aw);
	mc_free(b);
}

/* The value of cookie 'name' of the request into 'out', or "". */
static void cookie_of(struct mc_req *r, const char *name, char *out, size_t n)
{
	const char *h = mc_req_header_get(r, "cookie"), *p = h;
	size_t len = strlen(name);

	out[0] = '\0';
	while (p && *p) {
		while (*p == ' ' || *p == ';')
			p++;
		if (!strncmp(p, name, len) && p[len] == '=') {
			p += len + 1;
			snprintf(out, n, "%.*s", (int)strcspn(p, ";"), p);
			return;
		}
		p = strchr(p, ';');
	}
}

void api_citizen_oidc_callback(struct mc_req *r)
{
	static const char *const allowed[] = { "code", "state", "iss",
		"session_state", "error", "error_description", "error_uri",
		NULL };
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	const char *state, *code, *error;
	char browser[128];
	struct back *b;
	size_t i;

	if (!configured(r) || mc_api_citizen_limited(r))
		return;
	if (mc_req_query_check(r, allowed, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	state = mc_req_query(r, "state");
	code = mc_req_query(r, "code");
	error = mc_req_query(r, "error");
	cookie_of(r, COOKIE, browser, sizeof(browser));
	if (!state || !*state || strlen(state) > 128)
		mc_err_field(&err, "state", "required", "the state of the "
			     "sign-in");
	if (!error && (!code || !*code || strlen(code) >= 1024))
		mc_err_field(&err, "code", "required", "the provider's code, "
			     "or its error");
	if (!browser[0])
		mc_err_field(&err, COOKIE, "required", "the sign-in was not "
			     "begun in this browser (its cookie is missing)");
	if (err.nfields) {
		mc_api_citizen_failed(r);
		mc_reply_problem(r, 400, "bad-request", "Phiên đăng nhập không "
				 "hợp lệ; vui lòng đăng nhập lại",
				 err.message, &err);
		return;
	}
	b = mc_calloc(1, sizeof(*b));
	b->oidc = app->oidc;
	b->now = mc_api_now(app);
	mc_sha256_hex(state, strlen(state), b->state_hash);
	mc_sha256_hex(browser, strlen(browser), b->browser_hash);
	sodium_memzero(browser, sizeof(browser));
	if (error) {
		/* Kept to what an error code may be: it goes into a URL. */
		for (i = 0; error[i] && i + 1 < sizeof(b->error); i++)
			b->error[i] = (error[i] >= 'a' && error[i] <= 'z') ||
				      error[i] == '_' ? error[i] : '_';
		b->error[i] = '\0';
	} else {
		snprintf(b->code, sizeof(b->code), "%s", code);
	}
	mc_req_defer(r, back_check, back_done, b);
}

/* POST .../session */

struct session {
	struct mc_api_write aw;
	char ticket_hash[65], browser_hash[65], token[64], token_hash[65];
	int64_t expires;
	bool gone;			/* used, or expired */
	struct mc_citizen who;
};

static int session_fn(struct mc_conn *c, struct mc_api_write *aw,
		      struct mc_err *err)
{
	struct session *s = (struct session *)aw;
	int rc = mc_oidc_ticket_take(c, s->ticket_hash, s->browser_hash,
				     s->token_hash, s->aw.now,
				     s->expires - s->aw.now, &s->who, err);

	/* Nothing was written: answered below, not as an error. */
	if ((s->gone = rc == MC_ENOTFOUND))
		mc_err_clear(err);
	return s->gone ? 0 : rc;
}

static void session_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct session *s = (struct session *)aw;

	if (s->gone) {
		mc_api_citizen_failed(r);
		mc_reply_problem(r, 401, "unauthenticated", "Phiên đăng nhập "
				 "đã hết hạn hoặc đã dùng; vui lòng đăng nhập "
				 "lại", "the ticket was used or has expired",
				 NULL);
	} else {
		cookie_clear(r);	/* the sign-in is done */
		mc_reply_json(r, 200, json_pack("{s:s, s:o, s:o, s:s}",
			"token", s->token, "expires_at",
			mc_api_time(s->expires), "citizen",
			mc_api_citizen_json(&s->who), "signed_in_with",
			"vneid"));
	}
	sodium_memzero(s->token, sizeof(s->token));
}

/* The token, not left in freed memory whatever happened. */
static void session_release(struct mc_api_write *aw)
{
	sodium_memzero(((struct session *)aw)->token,
		       sizeof(((struct session *)aw)->token));
}

void api_citizen_oidc_session(struct mc_req *r)
{
	static const char *const known[] = { "ticket", NULL };
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	char ticket[64] = "", browser[128];
	struct session *s;
	json_t *body;
	int bad = 0;

	if (!configured(r) || mc_api_citizen_limited(r) ||
	    !(body = mc_api_body(r)))
		return;
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "ticket", true, sizeof(ticket) - 1, ticket,
			  sizeof(ticket), &err);
	json_decref(body);
	/* Traded only in the browser that began the sign-in. */
	cookie_of(r, COOKIE, browser, sizeof(browser));
	if (!bad && !browser[0])
		bad |= mc_err_field(&err, COOKIE, "required", "the sign-in was "
				    "not begun in this browser (its cookie is "
				    "missing)");
	if (bad) {
		mc_reply_err(r, &err);
		return;
	}
	s = mc_calloc(1, sizeof(*s));
	mc_sha256_hex(browser, strlen(browser), s->browser_hash);
	sodium_memzero(browser, sizeof(browser));
	mc_sha256_hex(ticket, strlen(ticket), s->ticket_hash);
	sodium_memzero(ticket, sizeof(ticket));
	mc_api_citizen_token(s->token, s->token_hash);
	s->expires = mc_api_now(app) + app->cfg.citizen_session_ttl_ms / 1000;
	s->aw.fn = session_fn;
	s->aw.reply = session_reply;
	s->aw.release = session_release;
	mc_api_write_submit(r, &s->aw);
}
