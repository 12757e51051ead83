/*
 * messages.c — the outbox over HTTP (docs/notifications.md): a dossier's
 * messages, the administrators' list with failures first, and the
 * gateway's delivery receipts.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/net.h"
#include "core/parse.h"
#include "core/timeutil.h"
#include "api/api.h"
#include "api/util.h"
#include "app.h"
#include "store/outbox.h"
#include "store/portal.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <sys/socket.h>

static const char *const priorities[] = { "urgent", "case", "bulk" };

void mc_api_message_item(const struct mc_message *m, void *arg)
{
	json_t *o = json_pack("{s:I, s:o, s:s, s:s, s:s, s:{s:I, s:i}, s:o, "
		"s:s, s:s, s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s}",
		"id", (json_int_t)m->id,
		"dossier_code", mc_api_text(m->dossier_code),
		"event", m->channel == MC_MSG_WEBHOOK ? m->subject :
			 mc_msg_event_name(m->event),
		"channel", mc_msg_channel_name(m->channel),
		"recipient", m->recipient,
		"template", "id", (json_int_t)m->template_id, "version",
		m->template_version,
		"subject", mc_api_text(m->subject),
		/* A one-time code is for its citizen's eyes only. */
		"body", m->event == MC_EV_OTP ? "(ẩn: mã xác thực)" : m->body,
		"priority", priorities[m->priority < 0 || m->priority > 2 ? 1 :
				       m->priority],
		"status", m->status,
		"attempts", m->attempts,
		"next_attempt_at", mc_api_time(m->next_attempt_at),
		"expires_at", mc_api_time(m->expires_at),
		"created_at", mc_api_time(m->created_at),
		"sent_at", mc_api_time(m->sent_at),
		"done_at", mc_api_time(m->done_at),
		"provider_id", mc_api_text(m->provider_id),
		"last_error", mc_api_text(m->last_error),
		"idempotency_key", m->key);

	json_array_append_new(arg, o);
}

static bool failed(const char *status)
{
	return !strcmp(status, "temporary_failure") ||
	       !strcmp(status, "permanent_failure") ||
	       !strcmp(status, "technical_failure");
}

struct list {
	json_t *items;
	int group;
	int64_t last;
};

static void list_item(const struct mc_message *m, void *arg)
{
	struct list *l = arg;

	mc_api_message_item(m, l->items);
	l->group = failed(m->status) ? 0 : 1;
	l->last = m->id;
}

void api_messages_list(struct mc_req *r)
{
	static const char *const allowed[] = { "status", "limit", "cursor",
					       NULL };
	static const char *const statuses[] = { "created", "sending", "sent",
		"delivered", "temporary_failure", "permanent_failure",
		"technical_failure", NULL };
	struct mc_message_filter f;
	struct mc_err err = MC_ERR_INIT;
	const char *cursor = mc_req_query(r, "cursor");
	struct list l = { NULL, 1, 0 };
	struct mc_user me;
	char next[48];
	int n;

	if (mc_api_user(r, &me) ||
	    mc_api_require_role(r, &me, 1u << MC_ROLE_ADMIN))
		return;
	memset(&f, 0, sizeof(f));
	f.after_group = -1;
	f.scope_path = me.unit_path;
	if (mc_req_query_check(r, allowed, &err) ||
	    mc_api_limit(r, 50, 500, &f.limit, &err)) {
		if (err.code)
			mc_reply_err(r, &err);
		return;
	}
	f.status = mc_req_query(r, "status");
	if (f.status && !mc_api_one_of(f.status, statuses)) {
		mc_err_field(&err, "status", "one_of", "one of created, "
			     "sending, sent, delivered, temporary_failure, "
			     "permanent_failure, technical_failure");
		mc_reply_err(r, &err);
		return;
	}
	if (cursor) {
		long id = 0;

		if ((cursor[0] != '0' && cursor[0] != '1') || cursor[1] != '.' ||
		    mc_parse_int("cursor", cursor + 2, 1, LONG_MAX, &id, NULL)) {
			mc_err_field(&err, "cursor", "format", "use the "
				     "next_cursor of the page before");
			mc_reply_err(r, &err);
			return;
		}
		f.after_group = cursor[0] - '0';
		f.after_id = id;
	}
	l.items = json_array();
	n = mc_outbox_list(mc_req_db(r), &f, list_item, &l, &err);
	if (n < 0) {
		json_decref(l.items);
		mc_reply_err(r, &err);
		return;
	}
	snprintf(next, sizeof(next), "%d.%" PRId64, l.group, l.last);
	mc_api_page(r, l.items, n == f.limit ? next : NULL);
}

/* Delivery receipts: the gateway tells what became of a message. */

struct receipt {
	struct mc_api_write aw;
	enum mc_msg_channel channel;	/* SMS; Zalo */
	char id[128];
	char status[32];
	int64_t at;
	bool unknown;			/* Zalo: no message of ours */
};

static int receipt_fn(struct mc_conn *c, struct mc_api_write *aw,
		      struct mc_err *err)
{
	struct receipt *rc = (struct receipt *)aw;
	int r = mc_outbox_receipt(c, rc->channel, rc->id, rc->status, rc->at,
				  err);

	/* Zalo tells of every message of the OA: not ours is no error. */
	if (r == MC_ENOTFOUND && rc->channel == MC_MSG_ZALO) {
		mc_err_clear(err);
		rc->unknown = true;
		return 0;
	}
	return r;
}

static void receipt_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct receipt *rc = (struct receipt *)aw;

	mc_reply_json(r, 200, json_pack("{s:s, s:s}", "id", rc->id, "status",
					rc->status));
}

/* Whether the request carries the gateway's token (constant time). */
static bool gateway_token(struct mc_req *r, const char *want)
{
	const char *h = mc_req_header_get(r, "authorization");
	unsigned char a[crypto_generichash_BYTES], b[crypto_generichash_BYTES];

	if (!want[0] || !h || strncasecmp(h, "Bearer ", 7) != 0)
		return false;
	/* Equal-length digests, so the comparison leaks nothing. */
	crypto_generichash(a, sizeof(a), (const unsigned char *)h + 7,
			   strlen(h + 7), NULL, 0);
	crypto_generichash(b, sizeof(b), (const unsigned char *)want,
			   strlen(want), NULL, 0);
	return sodium_memcmp(a, b, sizeof(a)) == 0;
}

void api_messages_receipt_sms(struct mc_req *r)
{
	static const char *const known[] = { "id", "status", "at", NULL };
	static const char *const statuses[] = { "delivered",
		"temporary_failure", "permanent_failure", NULL };
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	struct receipt *rc;
	char at[40];
	json_t *body;
	int bad = 0;

	if (!gateway_token(r, app->cfg.sms_receipt_token)) {
		mc_req_header(r, "www-authenticate", "Bearer");
		mc_reply_problem(r, 401, "unauthenticated", "Chưa xác thực",
				 "send the gateway's receipt token as "
				 "Authorization: Bearer TOKEN", NULL);
		return;
	}
	if (!(body = mc_api_body(r)))
		return;
	rc = mc_calloc(1, sizeof(*rc));
	rc->channel = MC_MSG_SMS;
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "id", true, 120, rc->id, sizeof(rc->id),
			  &err);
	bad |= mc_api_str(body, "", "status", true, 31, rc->status,
			  sizeof(rc->status), &err);
	bad |= mc_api_str(body, "", "at", false, 35, at, sizeof(at), &err);
	json_decref(body);
	if (!bad && !mc_api_one_of(rc->status, statuses))
		bad = mc_err_field(&err, "status", "one_of", "one of "
				   "delivered, temporary_failure, "
				   "permanent_failure");
	rc->at = mc_api_now(app);
	if (!bad && at[0] && mc_instant_parse(at, strlen(at), &rc->at, NULL,
					      0))
		bad = mc_err_field(&err, "at", "format", "an instant with its "
				   "offset, e.g. 2026-03-02T09:00:00+07:00");
	if (bad) {
		mc_free(rc);
		mc_reply_err(r, &err);
		return;
	}
	rc->aw.fn = receipt_fn;
	rc->aw.reply = receipt_reply;
	mc_api_write_submit(r, &rc->aw);
}

/*
 * Whether Zalo signed this event: X-ZEvent-Signature is "mac=" and the
 * SHA-256, in hex, of the app id, the body as sent, its "timestamp" and
 * the OA's secret key, one after the other.
 */
static bool zalo_signed(struct mc_req *r, const char *body, size_t len,
			const char *timestamp)
{
	const struct mc_config *cfg = &mc_req_app(r)->cfg;
	const char *h = mc_req_header_get(r, "x-zevent-signature");
	crypto_hash_sha256_state st;
	unsigned char d[32];
	char want[65];

	if (!h || !cfg->zalo_app_id[0] || !cfg->zalo_oa_secret_key[0])
		return false;
	if (!strncmp(h, "mac=", 4))
		h += 4;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)cfg->zalo_app_id,
				  strlen(cfg->zalo_app_id));
	crypto_hash_sha256_update(&st, (const unsigned char *)body, len);
	crypto_hash_sha256_update(&st, (const unsigned char *)timestamp,
				  strlen(timestamp));
	crypto_hash_sha256_update(&st, (const unsigned char *)
				  cfg->zalo_oa_secret_key,
				  strlen(cfg->zalo_oa_secret_key));
	crypto_hash_sha256_final(&st, d);
	sodium_bin2hex(want, sizeof(want), d, sizeof(d));
	return strlen(h) == 64 && sodium_memcmp(h, want, 64) == 0;
}

static void zalo_receipt_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct receipt *rc = (struct receipt *)aw;

	mc_reply_json(r, 200, json_pack("{s:s, s:b}", "msg_id", rc->id,
					"matched", !rc->unknown));
}

/*
 * POST /api/v1/messages/receipts/zalo: the Official Account's webhook
 * (docs/notifications.md "Zalo"). "user_received_message" with a msg_id
 * motcua sent marks it delivered; other events are taken and ignored.
 */
void api_messages_receipt_zalo(struct mc_req *r)
{
	struct mc_app *app = mc_req_app(r);
	size_t len;
	const char *raw = mc_req_body(r, &len);
	json_t *body = raw ? json_loadb(raw, len, 0, NULL) : NULL, *ts;
	char stamp[32] = "";
	const char *event, *id, *when;
	struct receipt *rc;

	ts = json_object_get(body, "timestamp");
	if (json_is_string(ts))
		snprintf(stamp, sizeof(stamp), "%s", json_string_value(ts));
	else if (json_is_integer(ts))
		snprintf(stamp, sizeof(stamp), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(ts));
	if (!app->cfg.zalo_app_id[0]) {
		json_decref(body);
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy",
				 "zalo_app_id is not configured", NULL);
		return;
	}
	if (!json_is_object(body) || !stamp[0] ||
	    !zalo_signed(r, raw, len, stamp)) {
		json_decref(body);
		mc_reply_problem(r, 401, "unauthenticated", "Chưa xác thực",
				 "X-ZEvent-Signature must be mac=SHA-256(app_id "
				 "+ body + timestamp + OA secret key)", NULL);
		return;
	}
	event = json_string_value(json_object_get(body, "event_name"));
	id = json_string_value(json_object_get(json_object_get(body,
						"message"), "msg_id"));
	if (!event || strcmp(event, "user_received_message") || !id ||
	    strlen(id) >= 120) {
		json_decref(body);
		mc_reply_json(r, 200, json_pack("{s:b}", "matched", 0));
		return;
	}
	rc = mc_calloc(1, sizeof(*rc));
	rc->channel = MC_MSG_ZALO;
	snprintf(rc->id, sizeof(rc->id), "%s", id);
	snprintf(rc->status, sizeof(rc->status), "delivered");
	/* Milliseconds: when it reached the phone, else the event's. */
	when = json_string_value(json_object_get(json_object_get(body,
						  "message"),
						  "delivery_time"));
	rc->at = (when ? strtoll(when, NULL, 10) : strtoll(stamp, NULL, 10)) /
		 1000;
	if (rc->at <= 0)
		rc->at = mc_api_now(app);
	json_decref(body);
	rc->aw.fn = receipt_fn;
	rc->aw.reply = zalo_receipt_reply;
	mc_api_write_submit(r, &rc->aw);
}

/* Templates. */

static json_t *template_json(const struct mc_template *t)
{
	return json_pack("{s:I, s:s, s:s, s:i, s:o, s:s, s:b, s:o}", "id",
		(json_int_t)t->id, "event", mc_msg_event_name(t->event),
		"channel", mc_msg_channel_name(t->channel), "version",
		t->version, "subject", mc_api_text(t->subject), "body", t->body,
		"active", t->active, "created_at", mc_api_time(t->created_at));
}

static void template_item(const struct mc_template *t, void *arg)
{
	json_array_append_new(arg, template_json(t));
}

static const unsigned tpl_roles = 1u << MC_ROLE_ADMIN |
	1u << MC_ROLE_CONTROL_OFFICER;

void api_templates_list(struct mc_req *r)
{
	static const char *const allowed[] = { "event", "channel", NULL };
	struct mc_err err = MC_ERR_INIT;
	const char *ev = mc_req_query(r, "event");
	const char *ch = mc_req_query(r, "channel");
	struct mc_user me;
	json_t *items;
	int e = -1, c = -1;

	if (mc_api_user(r, &me) || mc_api_require_role(r, &me, tpl_roles))
		return;
	if (mc_req_query_check(r, allowed, &err) ||
	    (ev && (e = mc_msg_event_parse(ev)) < 0 &&
	     mc_err_field(&err, "event", "one_of", "an event of "
			  "docs/notifications.md")) ||
	    (ch && (c = mc_msg_channel_parse(ch)) < 0 &&
	     mc_err_field(&err, "channel", "one_of", "sms or email"))) {
		mc_reply_err(r, &err);
		return;
	}
	items = json_array();
	if (mc_template_list(mc_req_db(r), e, c, template_item, items,
			     &err) < 0) {
		json_decref(items);
		mc_reply_err(r, &err);
		return;
	}
	mc_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

struct tpl_write {
	struct mc_api_write aw;
	enum mc_msg_event ev;
	enum mc_msg_channel ch;
	char subject[MC_MSG_SUBJECT_MAX];
	char body[MC_MSG_BODY_MAX];
	int64_t now;
	struct mc_template out;
};

static int tpl_fn(struct mc_conn *c, struct mc_api_write *aw,
		  struct mc_err *err)
{
	struct tpl_write *w = (struct tpl_write *)aw;

	return mc_template_create(c, w->ev, w->ch, w->subject, w->body,
				  w->now, &w->out, err);
}

static void tpl_reply(struct mc_req *r, struct mc_api_write *aw)
{
	mc_reply_json(r, 201, template_json(&((struct tpl_write *)aw)->out));
}

void api_templates_create(struct mc_req *r)
{
	static const char *const known[] = { "event", "channel", "subject",
					     "body", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct tpl_write *w = mc_calloc(1, sizeof(*w));
	struct mc_user me;
	char ev[32], ch[16];
	json_t *body;
	int bad = 0, e, c;

	if (mc_api_user(r, &me) || mc_api_require_role(r, &me, tpl_roles) ||
	    !(body = mc_api_body(r))) {
		mc_free(w);
		return;
	}
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "event", true, 31, ev, sizeof(ev), &err);
	bad |= mc_api_str(body, "", "channel", true, 15, ch, sizeof(ch),
			  &err);
	bad |= mc_api_str(body, "", "subject", false, 200, w->subject,
			  sizeof(w->subject), &err);
	bad |= mc_api_str(body, "", "body", true, 2000, w->body,
			  sizeof(w->body), &err);
	json_decref(body);
	e = mc_msg_event_parse(ev);
	c = mc_msg_channel_parse(ch);
	if (ev[0] && e < 0)
		bad |= mc_err_field(&err, "event", "one_of", "an event of "
				    "docs/notifications.md");
	/* Zalo's templates are ZNS's: POST /api/v1/zalo-templates. */
	if (ch[0] && c != MC_MSG_SMS && c != MC_MSG_EMAIL)
		bad |= mc_err_field(&err, "channel", "one_of", "sms or email");
	if (c == MC_MSG_EMAIL && !w->subject[0])
		bad |= mc_err_field(&err, "subject", "required", "an e-mail "
				    "needs a subject");
	if (w->body[0] && mc_msg_template_check(w->body, "body", &err))
		bad = -1;
	if (w->subject[0] && mc_msg_template_check(w->subject, "subject",
						   &err))
		bad = -1;
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	w->ev = (enum mc_msg_event)e;
	w->ch = (enum mc_msg_channel)c;
	w->now = mc_api_now(mc_req_app(r));
	w->aw.fn = tpl_fn;
	w->aw.reply = tpl_reply;
	mc_api_write_submit(r, &w->aw);
}

/* Webhooks: subscriptions of other systems (administrators). */

static void hook_item(int64_t id, const char *url, const char *events,
		      bool active, int64_t created_at, void *arg)
{
	json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:b, s:o}",
		"id", (json_int_t)id, "url", url, "events", events, "active",
		active, "created_at", mc_api_time(created_at)));
}

void api_webhooks_list(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_user me;
	json_t *items;

	if (mc_api_user(r, &me) ||
	    mc_api_require_role(r, &me, 1u << MC_ROLE_ADMIN))
		return;
	items = json_array();
	if (mc_webhook_list(mc_req_db(r), hook_item, items, &err) < 0) {
		json_decref(items);
		mc_reply_err(r, &err);
		return;
	}
	mc_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

struct hook_write {
	struct mc_api_write aw;
	char url[512], events[512], secret[64];
	int64_t user_id, now, id;
};

static int hook_fn(struct mc_conn *c, struct mc_api_write *aw,
		   struct mc_err *err)
{
	struct hook_write *w = (struct hook_write *)aw;

	return mc_webhook_create(c, w->url, w->events, w->secret, w->user_id,
				 w->now, &w->id, err);
}

static void hook_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct hook_write *w = (struct hook_write *)aw;

	/* The secret is shown this once. */
	mc_reply_json(r, 201, json_pack("{s:I, s:s, s:s, s:s, s:b}", "id",
		(json_int_t)w->id, "url", w->url, "events", w->events,
		"secret", w->secret, "active", 1));
	sodium_memzero(w->secret, sizeof(w->secret));
}

/*
 * Whether 'url' names a private address outright (an IP literal) outside
 * 'allow'. A name is checked when the delivery connects (jobs/webhook.c),
 * whatever it resolves to then.
 */
static bool private_host(const char *url, const char *allow)
{
	const char *host = strstr(url, "://") + 3, *end;
	struct mc_net nets[32];
	unsigned char a[16];
	char lit[64];
	size_t n = 0, k;
	int family;

	if (host[0] == '[') {
		host++;
		end = strchr(host, ']');
	} else {
		end = host + strcspn(host, ":/?#");
	}
	k = end ? (size_t)(end - host) : 0;
	if (!k || k >= sizeof(lit))
		return false;
	memcpy(lit, host, k);
	lit[k] = '\0';
	if (inet_pton(AF_INET, lit, a) == 1)
		family = AF_INET;
	else if (inet_pton(AF_INET6, lit, a) == 1)
		family = AF_INET6;
	else
		return false;
	mc_nets_parse(allow, "webhook_allow", nets, 32, &n, NULL);
	return mc_addr_private(family, a) &&
	       !mc_nets_match(nets, n < 32 ? n : 32, family, a);
}

void api_webhooks_create(struct mc_req *r)
{
	static const char *const known[] = { "url", "events", NULL };
	static const char *const actions[] = { "*", "intake", "accept",
		"refuse", "request_supplement", "submit_supplement", "assign",
		"forward", "apologize", "complete", "return_result",
		"withdraw", "stop", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct hook_write *w = mc_calloc(1, sizeof(*w));
	unsigned char raw[32];
	struct mc_user me;
	json_t *body, *list, *it;
	size_t i, n = 0;
	int bad = 0;

	if (mc_api_user(r, &me) ||
	    mc_api_require_role(r, &me, 1u << MC_ROLE_ADMIN) ||
	    !(body = mc_api_body(r))) {
		mc_free(w);
		return;
	}
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "url", true, 500, w->url, sizeof(w->url),
			  &err);
	if (w->url[0] && strncmp(w->url, "https://", 8) &&
	    strncmp(w->url, "http://", 7))
		bad |= mc_err_field(&err, "url", "format", "an http:// or "
				    "https:// URL");
	else if (w->url[0] && private_host(w->url,
					   mc_req_app(r)->cfg.webhook_allow))
		bad |= mc_err_field(&err, "url", "host", "a private address "
				    "(loopback, internal network) not in "
				    "webhook_allow");
	if (mc_api_list(body, "events", 16, &list, &err) < 0)
		bad = -1;
	else if (!list || !json_array_size(list))
		bad |= mc_err_field(&err, "events", "required", "the actions "
				    "to be told of, or [\"*\"] for all");
	json_array_foreach(list, i, it) {
		const char *v = json_string_value(it);
		char field[40];

		snprintf(field, sizeof(field), "events[%zu]", i);
		if (!v || !mc_api_one_of(v, actions)) {
			bad |= mc_err_field(&err, field, "one_of", "a lifecycle "
					    "action (intake, accept, …) or *");
			continue;
		}
		n += (size_t)snprintf(w->events + n, sizeof(w->events) - n,
				      "%s%s", n ? "," : "", v);
	}
	json_decref(body);
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	if (strstr(w->events, "*"))
		snprintf(w->events, sizeof(w->events), "*");
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(w->secret, sizeof(w->secret), raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	w->user_id = me.id;
	w->now = mc_api_now(mc_req_app(r));
	w->aw.fn = hook_fn;
	w->aw.reply = hook_reply;
	mc_api_write_submit(r, &w->aw);
}

struct unhook {
	struct mc_api_write aw;
	int64_t id;
};

static int unhook_fn(struct mc_conn *c, struct mc_api_write *aw,
		     struct mc_err *err)
{
	return mc_webhook_deactivate(c, ((struct unhook *)aw)->id, err);
}

static void unhook_reply(struct mc_req *r, struct mc_api_write *aw)
{
	mc_reply_json(r, 200, json_pack("{s:I, s:b}", "id", (json_int_t)
					((struct unhook *)aw)->id, "active",
					0));
}

void api_webhooks_deactivate(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct unhook *w = mc_calloc(1, sizeof(*w));
	struct mc_user me;
	long id = 0;

	if (mc_api_user(r, &me) ||
	    mc_api_require_role(r, &me, 1u << MC_ROLE_ADMIN)) {
		mc_free(w);
		return;
	}
	if (mc_parse_int("id", mc_req_param(r, "id"), 1, LONG_MAX, &id,
			 &err)) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	w->id = id;
	w->aw.fn = unhook_fn;
	w->aw.reply = unhook_reply;
	mc_api_write_submit(r, &w->aw);
}

/* ZNS templates (docs/notifications.md "Zalo"). */

static void zalo_item(const char *event, int version, const char *id,
		      const char *params, bool active, int64_t created_at,
		      void *arg)
{
	json_t *p = json_loads(params ? params : "", 0, NULL);

	json_array_append_new(arg, json_pack("{s:s, s:i, s:s, s:o, s:b, s:o}",
		"event", event ? event : "", "version", version,
		"template_id", id ? id : "", "params", p ? p : json_object(),
		"active", active, "created_at", mc_api_time(created_at)));
}

void api_zalo_templates_list(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_user me;
	json_t *items;

	if (mc_api_user(r, &me) || mc_api_require_role(r, &me, tpl_roles))
		return;
	items = json_array();
	if (mc_zalo_template_list(mc_req_db(r), zalo_item, items, &err)) {
		json_decref(items);
		mc_reply_err(r, &err);
		return;
	}
	mc_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

struct zalo_write {
	struct mc_api_write aw;
	enum mc_msg_event ev;
	char template_id[64];
	char *params;
	int version;
};

static int zalo_fn(struct mc_conn *c, struct mc_api_write *aw,
		   struct mc_err *err)
{
	struct zalo_write *w = (struct zalo_write *)aw;

	return mc_zalo_template_create(c, w->ev, w->template_id, w->params,
				       w->aw.now, &w->version, err);
}

static void zalo_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct zalo_write *w = (struct zalo_write *)aw;

	mc_reply_json(r, 201, json_pack("{s:s, s:i, s:s, s:o}", "event",
		mc_msg_event_name(w->ev), "version", w->version, "template_id",
		w->template_id, "params", json_loads(w->params, 0, NULL)));
}

static void zalo_release(struct mc_api_write *aw)
{
	mc_free(((struct zalo_write *)aw)->params);
}

/*
 * POST /api/v1/zalo-templates {"event", "template_id", "params"}: the
 * ZNS template Zalo approved for an event, and each of its parameters
 * as text with placeholders. One-time codes go by SMS only.
 */
void api_zalo_templates_create(struct mc_req *r)
{
	static const char *const known[] = { "event", "template_id", "params",
					     NULL };
	struct mc_err err = MC_ERR_INIT;
	struct zalo_write *w;
	struct mc_user me;
	char ev[32], field[96];
	json_t *body, *params, *v;
	const char *name;
	size_t i;
	int bad = 0, e;

	if (mc_api_user(r, &me) || mc_api_require_role(r, &me, tpl_roles) ||
	    !(body = mc_api_body(r)))
		return;
	w = mc_calloc(1, sizeof(*w));
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "event", true, 31, ev, sizeof(ev), &err);
	bad |= mc_api_str(body, "", "template_id", true, 32, w->template_id,
			  sizeof(w->template_id), &err);
	e = mc_msg_event_parse(ev);
	if (ev[0] && (e < 0 || e == MC_EV_OTP))
		bad |= mc_err_field(&err, "event", "one_of", "an event of "
				    "docs/notifications.md other than otp");
	for (i = 0; w->template_id[i]; i++)
		if (w->template_id[i] < '0' || w->template_id[i] > '9') {
			bad |= mc_err_field(&err, "template_id", "digits",
					    "the template's id at Zalo, digits");
			break;
		}
	params = json_object_get(body, "params");
	if (!json_is_object(params) || !json_object_size(params) ||
	    json_object_size(params) > 20)
		bad |= mc_err_field(&err, "params", "type", "an object of 1 "
				    "to 20 parameters: name to text");
	json_object_foreach(json_is_object(params) ? params : NULL, name, v) {
		snprintf(field, sizeof(field), "params.%.60s", name);
		if (!json_is_string(v) || json_string_length(v) > 400)
			bad |= mc_err_field(&err, field, "type", "text of at "
					    "most 400 bytes");
		else if (mc_msg_template_check(json_string_value(v), field,
						&err))
			bad = 1;
	}
	if (!bad && !(w->params = mc_portal_json(params, JSON_SORT_KEYS)))
		bad = mc_error(&err, MC_ENOMEM, "params cannot be kept");
	json_decref(body);
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	w->ev = (enum mc_msg_event)e;
	w->aw.fn = zalo_fn;
	w->aw.reply = zalo_reply;
	w->aw.release = zalo_release;
	mc_api_write_submit(r, &w->aw);
}
