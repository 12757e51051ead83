/*
 * util.c — shared pieces of the resource handlers (see util.h).
 */
#include "core/compat.h"
#include "core/ratelimit.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fold.h"
#include "core/mem.h"
#include "core/parse.h"
#include "core/sha256.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "api/util.h"
#include "app.h"
#include "domain/lifecycle.h"
#include "http/server.h"
#include "store/catalog.h"
#include "store/writer.h"

#include <arpa/inet.h>

int64_t mc_api_now(const struct mc_app *app)
{
	struct mc_buf b = MC_BUF_INIT(256);
	int64_t t = mc_time_now_ms() / 1000, v;

	if (!app->clock_file[0])
		return t;
	if (mc_buf_read_file(&b, app->clock_file) == 0) {
		while (b.len && (b.buf[b.len - 1] == '\n' ||
				 b.buf[b.len - 1] == ' '))
			b.buf[--b.len] = '\0';
		if (b.len && mc_instant_parse(b.buf, b.len, &v, NULL, 0) == 0)
			t = v;
	}
	mc_buf_release(&b);
	return t;
}

json_t *mc_api_body(struct mc_req *r)
{
	const char *ct = mc_req_header_get(r, "content-type");
	size_t len;
	const char *body = mc_req_body(r, &len);
	json_error_t je;
	json_t *doc;
	struct mc_err err = MC_ERR_INIT;

	if (ct && (strncasecmp(ct, "application/json", 16) != 0 ||
		   (ct[16] && ct[16] != ';' && ct[16] != ' '))) {
		mc_reply_problem(r, 415, "unsupported-media-type",
				 "Định dạng dữ liệu không được hỗ trợ",
				 "send the body as application/json", NULL);
		return NULL;
	}
	if (!body || !len) {
		mc_err_field(&err, "body", "required", "send a JSON object");
		mc_reply_err(r, &err);
		return NULL;
	}
	if (!mc_utf8_valid(body, len)) {
		mc_err_field(&err, "body", "utf8", "the body is not valid "
			     "UTF-8");
		mc_reply_err(r, &err);
		return NULL;
	}
	doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		mc_err_field(&err, "body", "json", "line %d column %d: %s",
			     je.line, je.column, je.text);
		mc_reply_err(r, &err);
		return NULL;
	}
	if (!json_is_object(doc)) {
		json_decref(doc);
		mc_err_field(&err, "body", "object", "send a JSON object");
		mc_reply_err(r, &err);
		return NULL;
	}
	return doc;
}

int mc_api_str(json_t *obj, const char *path, const char *name,
	       bool required, size_t max, char *dst, size_t dstlen,
	       struct mc_err *err)
{
	json_t *v = json_object_get(obj, name);
	char field[96];
	char *nfc;
	size_t chars = 0, i, n;

	snprintf(field, sizeof(field), "%s%s", path, name);
	dst[0] = '\0';
	if (!v || json_is_null(v)) {
		if (required)
			return mc_err_field(err, field, "required", "give %s",
					    field);
		return 0;
	}
	if (!json_is_string(v))
		return mc_err_field(err, field, "type", "must be a string");
	nfc = mc_text_nfc(json_string_value(v), json_string_length(v));
	if (!nfc)
		return mc_err_field(err, field, "utf8", "is not valid text");
	n = strlen(nfc);
	for (i = 0; i < n; i++)
		if (((unsigned char)nfc[i] & 0xc0) != 0x80)
			chars++;
	/* Trim surrounding spaces: people paste them. */
	{
		size_t a = 0, b = n;

		while (a < b && (nfc[a] == ' ' || nfc[a] == '\t'))
			a++;
		while (b > a && (nfc[b - 1] == ' ' || nfc[b - 1] == '\t' ||
				 nfc[b - 1] == '\n' || nfc[b - 1] == '\r'))
			b--;
		memmove(nfc, nfc + a, b - a);
		nfc[b - a] = '\0';
		n = b - a;
	}
	if (required && n == 0) {
		mc_free(nfc);
		return mc_err_field(err, field, "required", "must not be "
				    "empty");
	}
	if (chars > max || n >= dstlen) {
		mc_free(nfc);
		return mc_err_field(err, field, "max_length", "at most %zu "
				    "characters", max);
	}
	for (i = 0; i < n; i++) {
		if ((unsigned char)nfc[i] < 0x20 && nfc[i] != '\n' &&
		    nfc[i] != '\t') {
			mc_free(nfc);
			return mc_err_field(err, field, "control", "must not "
					    "hold control characters");
		}
	}
	memcpy(dst, nfc, n + 1);
	mc_free(nfc);
	return 0;
}

int mc_api_int(json_t *obj, const char *path, const char *name,
	       bool required, int64_t min, int64_t max, int64_t def,
	       int64_t *out, struct mc_err *err)
{
	json_t *v = json_object_get(obj, name);
	char field[96];
	int64_t x;

	snprintf(field, sizeof(field), "%s%s", path, name);
	*out = def;
	if (!v || json_is_null(v))
		return required ? mc_err_field(err, field, "required", "give "
					       "%s", field) : 0;
	if (!json_is_integer(v))
		return mc_err_field(err, field, "type", "must be an integer");
	x = json_integer_value(v);
	if (x < min || x > max)
		return mc_err_field(err, field, "range", "must be between %"
				    PRId64 " and %" PRId64, min, max);
	*out = x;
	return 0;
}

int mc_api_bool(json_t *obj, const char *path, const char *name,
		bool def, bool *out, struct mc_err *err)
{
	json_t *v = json_object_get(obj, name);
	char field[96];

	snprintf(field, sizeof(field), "%s%s", path, name);
	*out = def;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return mc_err_field(err, field, "type", "must be true or "
				    "false");
	*out = json_is_true(v);
	return 0;
}

int mc_api_list(json_t *obj, const char *name, size_t max, json_t **out,
		struct mc_err *err)
{
	json_t *v = json_object_get(obj, name);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v)) {
		mc_err_field(err, name, "type", "must be a list");
		return -1;
	}
	if (json_array_size(v) > max) {
		mc_err_field(err, name, "max_items", "at most %zu", max);
		return -1;
	}
	*out = v;
	return (int)json_array_size(v);
}

int mc_api_item(json_t *item, const char *name, size_t i, char *path,
		size_t n, struct mc_err *err)
{
	if (json_is_object(item)) {
		snprintf(path, n, "%s[%zu].", name, i);
		return 0;
	}
	snprintf(path, n, "%s[%zu]", name, i);
	return mc_err_field(err, path, "type", "must be an object");
}

bool mc_api_one_of(const char *v, const char *const *set)
{
	size_t i;

	for (i = 0; set[i]; i++)
		if (strcmp(v, set[i]) == 0)
			return true;
	return false;
}

int mc_api_known(json_t *obj, const char *path, const char *const *known,
		 struct mc_err *err)
{
	const char *key;
	json_t *v;
	int rc = 0;

	json_object_foreach(obj, key, v) {
		size_t i;
		bool ok = false;

		(void)v;
		for (i = 0; known[i]; i++)
			if (strcmp(known[i], key) == 0)
				ok = true;
		if (!ok) {
			char field[96];

			snprintf(field, sizeof(field), "%s%.60s", path, key);
			rc = mc_err_field(err, field, "unknown", "no such "
					  "field");
		}
	}
	return rc;
}

/*
 * How long after a write a session checks that the replica has it: past
 * replica_max_lag (+ 1 s for the commit after wrote_at and the 250 ms
 * between lag checks) a fresh replica has it anyway.
 */
static int64_t ryw_window_s(const struct mc_app *app)
{
	return (app->cfg.replica_max_lag_ms + 999) / 1000 + 1;
}

/*
 * Read-your-own-writes: a session that wrote lately reads from the
 * replica only once the replica has replayed the primary's WAL position
 * as of now, which is past the commit of every write it was answered.
 */
static void read_own_writes(struct mc_req *r)
{
	struct mc_conn *rep = mc_req_db_replica(r);
	char pos[32];

	if (!rep)
		return;
	if (mc_conn_wal_position(mc_req_db_primary(r), pos, sizeof(pos),
				 NULL) ||
	    mc_conn_replayed(rep, pos, NULL) != 1)
		mc_req_db_pin(r);
}

int mc_api_user(struct mc_req *r, struct mc_user *out)
{
	const char *h = mc_req_header_get(r, "authorization");
	struct mc_app *app = mc_req_app(r);
	int64_t now = mc_api_now(app), expires, wrote_at;
	struct mc_err err = MC_ERR_INIT;
	char hash[MC_SHA256_HEX];
	int rc;

	if (!h || strncasecmp(h, "Bearer ", 7) != 0 || !h[7]) {
		mc_req_header(r, "www-authenticate", "Bearer");
		mc_reply_problem(r, 401, "unauthenticated", "Chưa đăng nhập",
				 "sign in with POST /api/v1/auth/login and send "
				 "Authorization: Bearer TOKEN", NULL);
		return -1;
	}
	mc_sha256_hex(h + 7, strlen(h + 7), hash);
	/* On the primary: a revoked token is refused at once. */
	rc = mc_session_user(mc_req_db_primary(r), hash, now, out, &expires,
			     &wrote_at, &err);
	if (rc == MC_ENOTFOUND) {
		mc_req_header(r, "www-authenticate", "Bearer error=\"invalid_"
			      "token\"");
		mc_reply_problem(r, 401, "unauthenticated", "Phiên đăng nhập "
				 "không hợp lệ hoặc đã hết hạn", "the token is "
				 "unknown, revoked or expired; sign in again",
				 NULL);
		return -1;
	}
	if (rc) {
		mc_reply_err(r, &err);
		return -1;
	}
	mc_req_set_session(r, hash);
	if (wrote_at != MC_NO_TIME && now - wrote_at <= ryw_window_s(app))
		read_own_writes(r);
	return 0;
}

int mc_api_require_role(struct mc_req *r, const struct mc_user *u,
			unsigned roles)
{
	char detail[256];
	size_t len;
	int i;

	if (roles & (1u << u->role))
		return 0;
	len = (size_t)snprintf(detail, sizeof(detail), "the role %s may not "
			       "do this; allowed:", mc_role_name(u->role));
	for (i = 0; i < MC_ROLE_COUNT && len < sizeof(detail); i++)
		if (roles & (1u << i))
			len += (size_t)snprintf(detail + len,
						sizeof(detail) - len, " %s",
						mc_role_name((enum mc_role)i));
	mc_reply_problem(r, 403, "forbidden", "Không có quyền thực hiện",
			 detail, NULL);
	return -1;
}

static int write_run(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct mc_api_write *aw = arg;

	return aw->fn(c, aw, err);
}

/*
 * With a replica, after the commit and before the answer: the session
 * now reads its writes (mc_api_user). Outside the batch's transaction:
 * a session row locked by every batch with one of its writes would make
 * the batches of the writer lanes wait for each other, and deadlock.
 */
static int write_after(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct mc_api_write *aw = arg;

	return mc_session_wrote(c, aw->session, aw->now, err);
}

/* On the writer thread, after the commit: hand back to the loop. */
static void write_done(struct mc_write *w, int rc)
{
	struct mc_api_write *aw = (struct mc_api_write *)w;

	aw->rc = rc;
	mc_req_resume(aw->req);
}

static void write_reply(struct mc_req *r, void *arg)
{
	struct mc_api_write *aw = arg;

	if (!mc_req_answered(r)) {
		if (aw->rc)
			mc_reply_err(r, &aw->w.err);
		else
			aw->reply(r, aw);
	}
	if (aw->release)
		aw->release(aw);
	mc_free(aw);
}

void mc_api_write_submit(struct mc_req *r, struct mc_api_write *aw)
{
	struct mc_app *app = mc_req_app(r);

	aw->req = r;
	if (app->replica)
		snprintf(aw->session, sizeof(aw->session), "%s",
			 mc_req_session(r));
	aw->now = mc_api_now(app);
	aw->w.fn = write_run;
	aw->w.after = aw->session[0] ? write_after : NULL;
	aw->w.arg = aw;
	aw->w.done = write_done;
	mc_err_clear(&aw->w.err);
	mc_req_async(r, write_reply, aw);
	if (!app->writer || mc_writer_submit(app->writer, &aw->w)) {
		aw->rc = mc_error(&aw->w.err, MC_EBUSY, "the server is "
				  "shutting down");
		mc_req_resume(r);
	}
}

/*
 * Whom a per-address limit counts: the client's address, an IPv6 one by
 * its /64 (one subscriber's whole network: a phone has all of it, so
 * hopping addresses within it gains nothing).
 */
static const char *limit_key(struct mc_req *r, char *buf, size_t n)
{
	const char *peer = mc_req_peer(r);
	unsigned char a[16];

	if (!strchr(peer, ':') || inet_pton(AF_INET6, peer, a) != 1)
		return peer;
	memset(a + 8, 0, 8);
	if (!inet_ntop(AF_INET6, a, buf, (socklen_t)(n - 4)))
		return peer;
	snprintf(buf + strlen(buf), n - strlen(buf), "/64");
	return buf;
}

bool mc_api_limited_key(struct mc_req *r, struct mc_ratelimit *lim,
			const char *key, const char *whose, const char *what,
			const char *title)
{
	char secs[24], detail[200];
	int64_t retry;

	if (!lim || !mc_ratelimit_blocked(lim, key, mc_time_mono_ns() /
					  1000000, &retry))
		return false;
	snprintf(secs, sizeof(secs), "%" PRId64, retry / 1000 + 1);
	snprintf(detail, sizeof(detail), "too many %s %s this %s; try again "
		 "in %s s", what, strcmp(whose, "address") ? "for" : "from",
		 whose, secs);
	mc_req_header(r, "retry-after", secs);
	mc_reply_problem(r, 429, "too-many-requests", title, detail, NULL);
	return true;
}

bool mc_api_limited(struct mc_req *r, struct mc_ratelimit *lim,
		    const char *what, const char *title)
{
	char key[INET6_ADDRSTRLEN + 4];

	return lim && mc_api_limited_key(r, lim, limit_key(r, key, sizeof(key)),
					 "address", what, title);
}

void mc_api_limit_fail_key(struct mc_ratelimit *lim, const char *key)
{
	if (lim)
		mc_ratelimit_fail(lim, key, mc_time_mono_ns() / 1000000);
}

void mc_api_limit_fail(struct mc_req *r, struct mc_ratelimit *lim)
{
	char key[INET6_ADDRSTRLEN + 4];

	if (lim)
		mc_api_limit_fail_key(lim, limit_key(r, key, sizeof(key)));
}

json_t *mc_api_time(int64_t t)
{
	char buf[32];

	if (t == MC_NO_TIME)
		return json_null();
	return json_string(mc_time_format_local(t, buf, sizeof(buf)));
}

json_t *mc_api_list_of(const char *list)
{
	json_t *a = json_array();
	const char *p = list;

	while (p && *p) {
		const char *e = strchr(p, ',');
		size_t k = e ? (size_t)(e - p) : strlen(p);

		json_array_append_new(a, json_stringn(p, k));
		p = e ? e + 1 : NULL;
	}
	return a;
}

json_t *mc_api_text(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

json_t *mc_api_hundredths(int64_t v)
{
	return v < 0 ? json_null() : json_real((double)v / 100.0);
}

json_t *mc_api_percent(int64_t part, int64_t whole)
{
	return mc_api_hundredths(mc_ratio(part, whole, 10000));
}

json_t *mc_api_period(int32_t amount, int unit)
{
	return json_pack("{s:i, s:s}", "amount", (int)amount, "unit",
			 mc_due_unit_name((enum mc_due_unit)unit));
}

void mc_api_page(struct mc_req *r, json_t *items, const char *next)
{
	mc_reply_json(r, 200, json_pack("{s:o, s:o}", "items", items,
		"next_cursor", next ? json_string(next) : json_null()));
}

void mc_api_page_after(struct mc_req *r, json_t *items, bool more,
		       int64_t last)
{
	char next[24];

	snprintf(next, sizeof(next), "%" PRId64, last);
	mc_api_page(r, items, more ? next : NULL);
}

int mc_api_limit(struct mc_req *r, int def, int max, int *out,
		 struct mc_err *err)
{
	const char *v = mc_req_query(r, "limit");
	long n;

	*out = def;
	if (!v)
		return 0;
	if (mc_parse_int("limit", v, 1, max, &n, err)) {
		mc_reply_err(r, err);
		return -1;
	}
	*out = (int)n;
	return 0;
}
