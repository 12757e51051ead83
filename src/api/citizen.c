/*
 * citizen.c — citizens over HTTP (docs/citizens.md): sign-in with a
 * one-time code sent to the contact on record, and the signed-in
 * citizen's own dossiers, and nobody else's.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/parse.h"
#include "core/sha256.h"
#include "core/timeutil.h"
#include "api/api.h"
#include "api/util.h"
#include "app.h"
#include "domain/ident.h"
#include "store/citizens.h"
#include "store/dossiers.h"
#include "store/files.h"

#include <sodium.h>

/*
 * Requests for codes and wrong codes are counted per client address; past
 * otp_max_per_address in a window the address gets 429.
 */
bool mc_api_citizen_limited(struct mc_req *r)
{
	return mc_api_limited(r, mc_req_app(r)->citizen_limit, "sign-in "
			      "attempts", "Thao tác quá nhiều lần, vui lòng "
			      "thử lại sau");
}

void mc_api_citizen_failed(struct mc_req *r)
{
	mc_api_limit_fail(r, mc_req_app(r)->citizen_limit);
}

/* A personal ID (12 digits) or a tax code, in 'field'. */
static int id_number_check(const char *field, const char *s, int64_t now,
			   struct mc_err *err)
{
	struct mc_err e1 = MC_ERR_INIT, e2 = MC_ERR_INIT;

	if (mc_pid_check(field, s, mc_local_day(now), NULL, &e1) == 0 ||
	    mc_tax_code_check(field, s, &e2) == 0)
		return 0;
	return mc_err_field(err, field, "format", "a 12-digit personal ID "
			    "number or a tax code");
}

/* POST /api/v1/citizen/otp */

struct otp {
	struct mc_api_write aw;
	struct mc_otp_req req;
	char id_number[24];
	char peer[64];
	int rc;				/* of mc_otp_issue */
	int64_t retry_s;
};

static int otp_fn(struct mc_conn *c, struct mc_api_write *aw,
		  struct mc_err *err)
{
	struct otp *o = (struct otp *)aw;

	o->rc = mc_otp_issue(c, &o->req, &o->retry_s, err);
	/* Not on record, or no contact: answered like a code sent. */
	if (o->rc == MC_ENOTFOUND || o->rc == MC_EBUSY) {
		mc_err_clear(err);
		return 0;
	}
	return o->rc;
}

static void otp_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct otp *o = (struct otp *)aw;
	struct mc_app *app = mc_req_app(r);

	if (o->rc == MC_EBUSY) {
		char secs[24], detail[160];

		snprintf(secs, sizeof(secs), "%" PRId64, o->retry_s);
		snprintf(detail, sizeof(detail), "enough codes were sent for "
			 "this ID lately; ask again in %s s", secs);
		mc_req_header(r, "retry-after", secs);
		mc_reply_problem(r, 429, "too-many-requests", "Đã gửi quá "
				 "nhiều mã xác thực, vui lòng thử lại sau",
				 detail, NULL);
		return;
	}
	mc_reply_json(r, 202, json_pack("{s:s, s:I, s:s}", "channel",
		mc_msg_channel_name(o->req.channel), "expires_in",
		(json_int_t)(app->cfg.otp_ttl_ms / 1000), "detail",
		"Nếu số định danh có trong hệ thống, mã xác thực đã được gửi "
		"tới số điện thoại hoặc thư điện tử đã đăng ký."));
}

/*
 * GET /api/v1/citizen/signin: how a citizen may sign in here — a one-time
 * code by SMS or e-mail (a channel configured), VNeID (a provider
 * configured) — so that a page offers only what works.
 */
void api_citizen_signin_methods(struct mc_req *r)
{
	const struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;

	if (mc_req_query_check(r, (const char *const[]){ NULL }, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	mc_reply_json(r, 200, json_pack("{s:{s:b, s:b}, s:b}", "otp", "sms",
		app->cfg.sms_url[0] != '\0', "email",
		app->cfg.smtp_url[0] != '\0', "vneid",
		app->cfg.oidc_issuer[0] != '\0'));
}

void api_citizen_otp(struct mc_req *r)
{
	static const char *const known[] = { "id_number", "channel", NULL };
	static const char *const channels[] = { "sms", "email", NULL };
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	char channel[16];
	struct otp *o;
	json_t *body;
	int bad = 0;

	if (mc_api_citizen_limited(r) || !(body = mc_api_body(r)))
		return;
	o = mc_calloc(1, sizeof(*o));
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "id_number", true, 14, o->id_number,
			  sizeof(o->id_number), &err);
	bad |= mc_api_str(body, "", "channel", false, 8, channel,
			  sizeof(channel), &err);
	json_decref(body);
	if (!bad && o->id_number[0])
		bad |= id_number_check("id_number", o->id_number,
				       mc_api_now(app), &err);
	if (!channel[0])
		snprintf(channel, sizeof(channel), "sms");
	if (!mc_api_one_of(channel, channels))
		bad |= mc_err_field(&err, "channel", "one_of", "sms or email");
	if (bad) {
		mc_free(o);
		mc_reply_err(r, &err);
		return;
	}
	mc_api_citizen_failed(r);
	snprintf(o->peer, sizeof(o->peer), "%s", mc_req_peer(r));
	o->req.id_number = o->id_number;
	o->req.channel = (enum mc_msg_channel)mc_msg_channel_parse(channel);
	o->req.peer = o->peer;
	o->req.now = mc_api_now(app);
	o->req.ttl_s = app->cfg.otp_ttl_ms / 1000;
	o->req.max_per_window = app->cfg.otp_max_per_id;
	o->req.window_s = app->cfg.otp_window_ms / 1000;
	o->req.notify = app->notify;
	o->aw.fn = otp_fn;
	o->aw.reply = otp_reply;
	mc_api_write_submit(r, &o->aw);
}

/* POST /api/v1/citizen/login */

struct login {
	struct mc_api_write aw;
	char id_number[24];
	char code[16];
	char token[64];
	char hash[MC_SHA256_HEX];
	int64_t now, expires;
	int max_attempts;
	enum mc_otp_result result;
	struct mc_citizen who;
};

static int login_fn(struct mc_conn *c, struct mc_api_write *aw,
		    struct mc_err *err)
{
	struct login *l = (struct login *)aw;

	return mc_otp_verify(c, l->id_number, l->code, l->max_attempts,
			     l->hash, l->now, l->expires - l->now, &l->result,
			     &l->who, err);
}

json_t *mc_api_citizen_json(const struct mc_citizen *cz)
{
	return json_pack("{s:s, s:s, s:s}", "kind", cz->kind, "id_number",
			 cz->id_number, "name", cz->name);
}

static void login_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct login *l = (struct login *)aw;
	struct mc_err err = MC_ERR_INIT;

	if (l->result == MC_OTP_OK) {
		mc_reply_json(r, 200, json_pack("{s:s, s:o, s:o}", "token",
			l->token, "expires_at", mc_api_time(l->expires),
			"citizen", mc_api_citizen_json(&l->who)));
	} else {
		mc_api_citizen_failed(r);
		if (l->result == MC_OTP_SPENT)
			mc_err_field(&err, "code", "attempts", "too many wrong "
				     "codes; ask for a new one");
		else
			mc_err_field(&err, "code", "invalid", "the code is "
				     "wrong, used or expired");
		mc_reply_problem(r, 401, "unauthenticated", "Mã xác thực "
				 "không đúng hoặc đã hết hạn", err.fields[0].
				 message, &err);
	}
	sodium_memzero(l->token, sizeof(l->token));
	sodium_memzero(l->code, sizeof(l->code));
}

void mc_api_citizen_token(char token[64], char hash[MC_SHA256_HEX])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	/* "c." marks a citizen's token, apart from the staff's. */
	memcpy(token, "c.", 2);
	sodium_bin2base64(token + 2, 62, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	mc_sha256_hex(token, strlen(token), hash);
	sodium_memzero(raw, sizeof(raw));
}

void api_citizen_login(struct mc_req *r)
{
	static const char *const known[] = { "id_number", "code", NULL };
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	struct login *l;
	json_t *body;
	size_t i;
	int bad = 0;

	if (mc_api_citizen_limited(r) || !(body = mc_api_body(r)))
		return;
	l = mc_calloc(1, sizeof(*l));
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "id_number", true, 14, l->id_number,
			  sizeof(l->id_number), &err);
	bad |= mc_api_str(body, "", "code", true, 6, l->code,
			  sizeof(l->code), &err);
	json_decref(body);
	for (i = 0; l->code[i]; i++)
		if (l->code[i] < '0' || l->code[i] > '9')
			break;
	if (!bad && (i != 6 || l->code[i]))
		bad |= mc_err_field(&err, "code", "format", "the 6 digits "
				    "sent to you");
	if (bad) {
		mc_free(l);
		mc_reply_err(r, &err);
		return;
	}
	mc_api_citizen_token(l->token, l->hash);
	l->now = mc_api_now(app);
	l->expires = l->now + app->cfg.citizen_session_ttl_ms / 1000;
	l->max_attempts = app->cfg.otp_attempts;
	l->aw.fn = login_fn;
	l->aw.reply = login_reply;
	mc_api_write_submit(r, &l->aw);
}

int mc_api_citizen(struct mc_req *r, struct mc_citizen *out,
		   char *hash)
{
	const char *h = mc_req_header_get(r, "authorization");
	struct mc_err err = MC_ERR_INIT;
	int64_t expires;
	int rc;

	if (!h || strncasecmp(h, "Bearer c.", 9) != 0) {
		mc_req_header(r, "www-authenticate", "Bearer");
		mc_reply_problem(r, 401, "unauthenticated", "Chưa đăng nhập",
				 "sign in with POST /api/v1/citizen/otp and "
				 "POST /api/v1/citizen/login", NULL);
		return -1;
	}
	mc_sha256_hex(h + 7, strlen(h + 7), hash);
	rc = mc_citizen_session(mc_req_db_primary(r), hash,
				mc_api_now(mc_req_app(r)), out, &expires, &err);
	if (rc == MC_ENOTFOUND) {
		mc_req_header(r, "www-authenticate", "Bearer error=\""
			      "invalid_token\"");
		mc_reply_problem(r, 401, "unauthenticated", "Phiên đăng nhập "
				 "không hợp lệ hoặc đã hết hạn", "the token is "
				 "unknown, ended or expired; sign in again",
				 NULL);
		return -1;
	}
	if (rc) {
		mc_reply_err(r, &err);
		return -1;
	}
	return 0;
}

void api_citizen_me(struct mc_req *r)
{
	struct mc_citizen cz;
	char hash[MC_SHA256_HEX];

	if (mc_api_citizen(r, &cz, hash))
		return;
	mc_reply_json(r, 200, mc_api_citizen_json(&cz));
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

	return mc_citizen_logout(c, lo->hash, lo->now, err);
}

static void logout_reply(struct mc_req *r, struct mc_api_write *aw)
{
	(void)aw;
	mc_reply_bytes(r, 204, "text/plain", "", 0);
}

void api_citizen_logout(struct mc_req *r)
{
	struct logout *lo = mc_calloc(1, sizeof(*lo));
	struct mc_citizen cz;

	if (mc_api_citizen(r, &cz, lo->hash)) {
		mc_free(lo);
		return;
	}
	lo->now = mc_api_now(mc_req_app(r));
	lo->aw.fn = logout_fn;
	lo->aw.reply = logout_reply;
	mc_api_write_submit(r, &lo->aw);
}

/* A dossier as its applicant sees it. */
static json_t *own_json(const struct mc_dossier *d, int64_t now)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s}",
		"code", d->code, "procedure_code", d->procedure_code,
		"procedure_name", d->procedure_name, "status",
		mc_status_name(d->status), "status_label",
		mc_status_label(d->status), "received_at",
		mc_api_time(d->received_at), "due_at", mc_api_time(d->due_at),
		"finished_at", mc_api_time(d->finished_at), "timeliness",
		mc_tl_name(mc_dossier_timeliness(d, now)));
}

struct own_list {
	json_t *items;
	int64_t last, now;
};

static void own_item(const struct mc_dossier *d, void *arg)
{
	struct own_list *l = arg;

	json_array_append_new(l->items, own_json(d, l->now));
	l->last = d->id;
}

void api_citizen_dossiers(struct mc_req *r)
{
	static const char *const allowed[] = { "limit", "cursor", NULL };
	struct mc_dossier_filter f;
	struct mc_err err = MC_ERR_INIT;
	struct own_list l;
	struct mc_citizen cz;
	char hash[MC_SHA256_HEX];
	const char *v;
	long cursor = 0;
	int n;

	if (mc_api_citizen(r, &cz, hash))
		return;
	memset(&f, 0, sizeof(f));
	if (mc_req_query_check(r, allowed, &err) ||
	    mc_api_limit(r, 20, 100, &f.limit, &err) ||
	    ((v = mc_req_query(r, "cursor")) &&
	     mc_parse_int("cursor", v, 1, LONG_MAX, &cursor, &err))) {
		if (err.code)
			mc_reply_err(r, &err);
		return;
	}
	/* Every unit's dossiers ("/0/" is a root), of this applicant only. */
	f.scope_path = "/0/";
	f.status = -1;
	f.tl = -1;
	f.q = cz.id_number;
	f.before_id = cursor;
	l.now = f.now = mc_api_now(mc_req_app(r));
	l.items = json_array();
	l.last = 0;
	n = mc_dossier_list(mc_req_db(r), &f, own_item, &l, &err);
	if (n < 0) {
		json_decref(l.items);
		mc_reply_err(r, &err);
		return;
	}
	mc_api_page_after(r, l.items, n == f.limit, l.last);
}

void api_citizen_dossier(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_dossier *d;
	struct mc_citizen cz;
	char hash[MC_SHA256_HEX];
	json_t *o, *comps;
	int i;

	if (mc_api_citizen(r, &cz, hash))
		return;
	d = mc_calloc(1, sizeof(*d));
	/* Someone else's dossier is as unknown as none at all. */
	if (mc_dossier_get(mc_req_db(r), mc_req_param(r, "code"), d, &err) ||
	    strcmp(d->applicant_id, cz.id_number) != 0) {
		mc_dossier_release(d);
		mc_free(d);
		if (err.code && err.code != MC_ENOTFOUND) {
			mc_reply_err(r, &err);
			return;
		}
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy hồ sơ",
				 "no dossier of yours has this code", NULL);
		return;
	}
	o = own_json(d, mc_api_now(mc_req_app(r)));
	comps = json_array();
	for (i = 0; i < d->ncomponents; i++)
		json_array_append_new(comps, json_pack("{s:s, s:s, s:b, s:b}",
			"code", d->components[i].code, "name",
			d->components[i].name, "required",
			d->components[i].required, "provided",
			d->components[i].provided));
	json_object_set_new(o, "components", comps);
	json_object_set_new(o, "reason", mc_api_text(d->reason));
	json_object_set_new(o, "supplement_requested_at",
			    mc_api_time(d->supplement_requested_at));
	mc_reply_json(r, 200, o);
	mc_dossier_release(d);
	mc_free(d);
}

/*
 * The actor of what a citizen does online, in the dossier's events:
 * "citizen", a name no staff account may take, with the rights of the
 * counter for what a citizen may do (hand in, answer a supplement
 * request) and over every unit.
 */
static void citizen_actor(struct mc_user *u)
{
	memset(u, 0, sizeof(*u));
	snprintf(u->username, sizeof(u->username), "%s", MC_CITIZEN_ACTOR);
	u->role = MC_ROLE_COUNTER_OFFICER;
	snprintf(u->unit_path, sizeof(u->unit_path), "/");
	u->active = true;
}

struct submit {
	struct mc_api_write aw;
	struct mc_intake in;
	struct mc_user actor;
	const struct mc_calendar *cal;
	int64_t now;
	char owner[40];			/* "c:<ID number>": their uploads */
	struct mc_dossier out;
	bool replayed;
};

static int submit_fn(struct mc_conn *c, struct mc_api_write *aw,
		     struct mc_err *err)
{
	struct submit *w = (struct submit *)aw;
	int i, rc = 0;

	/* A component's file must be one of the citizen's own uploads. */
	for (i = 0; i < w->in.ncomponents; i++) {
		char field[48];

		if (!w->in.components[i].file_sha256[0])
			continue;
		snprintf(field, sizeof(field), "components[%d].file", i);
		rc |= mc_upload_owned(c, w->in.components[i].file_sha256,
				      w->owner, field, err);
	}
	if (rc)
		return MC_EINVAL;
	return mc_dossier_intake_once(c, w->cal, &w->actor, &w->in, w->now,
				      &w->out, &w->replayed, err);
}

/*
 * Takes each components[N].file (the SHA-256 of one of the citizen's
 * uploads, the paper as a file) out of 'body' into 'files'; the shared
 * intake parser knows the rest. Returns non-zero with field errors.
 */
static int take_files(json_t *body, char files[][65], struct mc_err *err)
{
	json_t *item;
	size_t i;
	int bad = 0;

	json_array_foreach(json_object_get(body, "components"), i, item) {
		json_t *f = json_is_object(item) ?
			    json_object_get(item, "file") : NULL;
		const char *v = json_string_value(f);

		if (i >= MC_PROC_MAX_COMPONENTS || !f)
			continue;
		if (!v || !mc_sha256_hex_ok(v)) {
			char field[48];

			snprintf(field, sizeof(field), "components[%zu].file",
				 i);
			bad |= mc_err_field(err, field, "format", "must be a "
					    "SHA-256 (64 lowercase hex "
					    "digits)");
			continue;
		}
		memcpy(files[i], v, 65);
		json_object_del(item, "file");
	}
	return bad;
}

static void submit_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct submit *w = (struct submit *)aw;

	if (w->replayed)
		mc_req_header(r, "idempotent-replayed", "true");
	mc_reply_json(r, 201, own_json(&w->out, w->now));
}

static void submit_release(struct mc_api_write *aw)
{
	mc_dossier_release(&((struct submit *)aw)->out);
}

/* POST /api/v1/citizen/dossiers: an online dossier, as submitted. */
void api_citizen_submit(struct mc_req *r)
{
	static const char *const known[] = { "procedure_code", "unit_code",
		"return_channel", "components", "phone", "email", NULL };
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	struct submit *w = mc_calloc(1, sizeof(*w));
	json_t *phone, *email;
	struct mc_procedure *p = mc_calloc(1, sizeof(*p));
	struct mc_citizen cz;
	char hash[MC_SHA256_HEX];
	json_t *body, *a;
	int bad = 0;

	if (mc_api_citizen(r, &cz, hash) || !(body = mc_api_body(r))) {
		mc_free(p);
		mc_free(w);
		return;
	}
	bad |= mc_api_known(body, "", known, &err);
	if (!json_is_string(json_object_get(body, "unit_code")))
		bad |= mc_err_field(&err, "unit_code", "required", "the centre "
				    "or unit the dossier is handed in to");
	/*
	 * Who applies is who is signed in; the contact, on record or given
	 * for this dossier (one signed in with VNeID may have none yet).
	 */
	a = json_pack("{s:s, s:s, s:s}", "kind", cz.kind, "id_number",
		      cz.id_number, "name", cz.name);
	phone = json_object_get(body, "phone");
	email = json_object_get(body, "email");
	if (phone)
		json_object_set(a, "phone", phone);
	else if (cz.phone[0])
		json_object_set_new(a, "phone", json_string(cz.phone));
	if (email)
		json_object_set(a, "email", email);
	else if (cz.email[0])
		json_object_set_new(a, "email", json_string(cz.email));
	json_object_del(body, "phone");
	json_object_del(body, "email");
	json_object_set_new(body, "applicant", a);
	json_object_set_new(body, "channel", json_string("online"));
	w->now = mc_api_now(app);
	snprintf(w->owner, sizeof(w->owner), "c:%s", cz.id_number);
	{
		char (*files)[65] = mc_calloc(MC_PROC_MAX_COMPONENTS,
					      sizeof(*files));
		int i;

		bad |= take_files(body, files, &err);
		if (!bad && mc_api_intake_parse(body, w->now, &w->in, &err))
			bad = -1;
		for (i = 0; !bad && i < w->in.ncomponents; i++)
			if (files[i][0]) {
				memcpy(w->in.components[i].file_sha256,
				       files[i], 65);
				/* A paper sent as a file is handed in. */
				w->in.components[i].provided = true;
			}
		mc_free(files);
	}
	/* After the parse, which clears 'in'. */
	if (!bad)
		bad |= mc_api_idempotency(r, w->owner, &w->in, &err);
	json_decref(body);
	/* Only a procedure offered online. */
	if (!bad && mc_procedure_get(mc_req_db_primary(r),
				     w->in.procedure_code, 0,
				     mc_local_day(w->now), p, NULL) == 0 &&
	    !strcmp(p->online_level, "none"))
		bad = mc_err_field(&err, "procedure_code", "online", "%s is "
				   "not offered online; hand it in at the "
				   "counter", w->in.procedure_code);
	mc_procedure_release(p);
	mc_free(p);
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	citizen_actor(&w->actor);
	/* Signed in with VNeID: the applicant's identity, the police's. */
	w->in.vneid = cz.vneid;
	w->in.notify = app->notify;
	w->cal = app->cal;
	w->aw.fn = submit_fn;
	w->aw.reply = submit_reply;
	w->aw.release = submit_release;
	mc_api_write_submit(r, &w->aw);
}

struct supply {
	struct mc_api_write aw;
	struct mc_act act;
	struct mc_user actor;
	char code[96], id_number[24];
	const struct mc_calendar *cal;
	int64_t now;
	struct mc_dossier out;
};

static int supply_fn(struct mc_conn *c, struct mc_api_write *aw,
		     struct mc_err *err)
{
	struct supply *w = (struct supply *)aw;
	struct mc_dossier *d = &w->out;
	int rc = mc_dossier_get_head(c, w->code, d, err);

	/* Someone else's dossier is as unknown as none at all. */
	if (!rc && strcmp(d->applicant_id, w->id_number) != 0)
		rc = mc_error(err, MC_ENOTFOUND, "dossier %s not found",
			      w->code);
	if (!rc)
		rc = mc_dossier_act(c, w->cal, &w->actor, w->code, &w->act,
				    w->now, d, err);
	return rc;
}

static void supply_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct supply *w = (struct supply *)aw;

	mc_reply_json(r, 200, own_json(&w->out, w->now));
}

static void supply_release(struct mc_api_write *aw)
{
	mc_dossier_release(&((struct supply *)aw)->out);
}

/* POST /api/v1/citizen/dossiers/{code}/supplement {"note": …} */
void api_citizen_supplement(struct mc_req *r)
{
	static const char *const known[] = { "note", NULL };
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	struct supply *w = mc_calloc(1, sizeof(*w));
	struct mc_citizen cz;
	char hash[MC_SHA256_HEX];
	json_t *body;
	int bad = 0;

	if (mc_api_citizen(r, &cz, hash) || !(body = mc_api_body(r))) {
		mc_free(w);
		return;
	}
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "note", true, 1000, w->act.note,
			  sizeof(w->act.note), &err);
	json_decref(body);
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	snprintf(w->code, sizeof(w->code), "%s", mc_req_param(r, "code"));
	snprintf(w->id_number, sizeof(w->id_number), "%s", cz.id_number);
	citizen_actor(&w->actor);
	w->act.action = MC_ACT_SUBMIT_SUPPLEMENT;
	w->act.notify = app->notify;
	w->cal = app->cal;
	w->now = mc_api_now(app);
	w->aw.fn = supply_fn;
	w->aw.reply = supply_reply;
	w->aw.release = supply_release;
	mc_api_write_submit(r, &w->aw);
}
