/*
 * portal.c — the sender to the national portal (see portal.h).
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/utf8.h"
#include "domain/portal.h"
#include "files/blobs.h"
#include "jobs/portal.h"
#include "core/timeutil.h"
#include "store/dossiers.h"
#include "store/outbox.h"
#include "store/portal.h"
#include "store/writer.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

/* Where an attempt ended. */
enum verdict {
	V_OK,
	V_EXISTS,		/* create: the portal has it already */
	V_MISSING,		/* update: the portal has not got it */
	V_DOWN,			/* no answer, or 5xx: counts for the circuit */
	V_LIMITED,		/* 429: wait as told */
	V_AUTH,			/* 401/403 with a fresh token */
	V_REFUSED		/* 4xx, or an error code: the data is wrong */
};

struct client {
	const struct mc_portal_opts *o;
	const _Atomic bool *stop;	/* NULL: run to the end */
	CURL *curl;
	char token[1024];
	int64_t token_until;	/* seconds; 0: none */
	struct mc_buf answer;
	long status;
	int64_t retry_after_s;
	char error[512];
};

static size_t gather(char *p, size_t size, size_t n, void *arg)
{
	struct client *cl = arg;

	return mc_buf_add(&cl->answer, p, size * n) ? 0 : size * n;
}

static size_t header_seen(char *p, size_t size, size_t n, void *arg)
{
	struct client *cl = arg;
	size_t len = size * n;

	if (len > 12 && !strncasecmp(p, "retry-after:", 12))
		cl->retry_after_s = strtoll(p + 12, NULL, 10);
	return len;
}

/*
 * POSTs 'body' (of 'type') to the portal's 'path' with 'headers' (may be
 * NULL): 0 with cl->status and cl->answer, or -1 when no answer came.
 */
static int post(struct client *cl, const char *path, const char *type,
		const char *body, struct curl_slist *headers)
{
	char url[1024], line[128], errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *hd = NULL, *h;
	CURLcode cc;

	snprintf(url, sizeof(url), "%s%s", cl->o->url, path);
	snprintf(line, sizeof(line), "Content-Type: %s", type);
	hd = curl_slist_append(hd, line);
	for (h = headers; h; h = h->next)
		hd = curl_slist_append(hd, h->data);
	cl->answer.len = 0;
	cl->status = 0;
	cl->retry_after_s = 0;
	curl_easy_reset(cl->curl);
	curl_easy_setopt(cl->curl, CURLOPT_URL, url);
	curl_easy_setopt(cl->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(cl->curl, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(cl->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(cl->curl, CURLOPT_WRITEFUNCTION, gather);
	curl_easy_setopt(cl->curl, CURLOPT_WRITEDATA, cl);
	curl_easy_setopt(cl->curl, CURLOPT_HEADERFUNCTION, header_seen);
	curl_easy_setopt(cl->curl, CURLOPT_HEADERDATA, cl);
	curl_easy_setopt(cl->curl, CURLOPT_TIMEOUT_MS,
			 (long)(cl->o->timeout_ms > 0 ? cl->o->timeout_ms :
				10000));
	curl_easy_setopt(cl->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(cl->curl, CURLOPT_ERRORBUFFER, errbuf);
	cc = curl_easy_perform(cl->curl);
	curl_slist_free_all(hd);
	if (cc != CURLE_OK) {
		snprintf(cl->error, sizeof(cl->error), "%s: %s", path,
			 errbuf[0] ? errbuf : curl_easy_strerror(cc));
		return -1;
	}
	curl_easy_getinfo(cl->curl, CURLINFO_RESPONSE_CODE, &cl->status);
	if (mc_buf_addc(&cl->answer, '\0'))
		cl->answer.len = 0;
	else
		cl->answer.len--;
	return 0;
}

/* A token from the portal's token endpoint (client credentials). */
static enum verdict token(struct client *cl, int64_t now)
{
	char *id, *secret, body[1024];
	json_t *j;
	const char *t;

	if (cl->token_until > now)
		return V_OK;
	id = curl_easy_escape(NULL, cl->o->client_id, 0);
	secret = curl_easy_escape(NULL, cl->o->client_secret, 0);
	snprintf(body, sizeof(body), "grant_type=client_credentials&"
		 "client_id=%s&client_secret=%s", id ? id : "",
		 secret ? secret : "");
	curl_free(id);
	curl_free(secret);
	if (post(cl, cl->o->path_token, "application/x-www-form-urlencoded",
		 body, NULL)) {
		sodium_memzero(body, sizeof(body));
		return V_DOWN;
	}
	sodium_memzero(body, sizeof(body));
	if (cl->status >= 500 || cl->status == 429) {
		snprintf(cl->error, sizeof(cl->error), "/token: HTTP %ld",
			 cl->status);
		return cl->status == 429 ? V_LIMITED : V_DOWN;
	}
	j = json_loads(cl->answer.buf ? cl->answer.buf : "", 0, NULL);
	t = json_string_value(json_object_get(j, "access_token"));
	if (cl->status != 200 || !t || strlen(t) >= sizeof(cl->token)) {
		snprintf(cl->error, sizeof(cl->error), "/token: HTTP %ld, no "
			 "token (client_id or secret wrong?)", cl->status);
		json_decref(j);
		return V_AUTH;
	}
	snprintf(cl->token, sizeof(cl->token), "%s", t);
	/* Renewed a minute before it ends, at the latest. */
	cl->token_until = now + json_integer_value(json_object_get(j,
						   "expires_in")) - 60;
	json_decref(j);
	return V_OK;
}

/* Whether the answer's "message" contains 'words' (any case). */
static bool says(const json_t *j, const char *words)
{
	const char *m = json_string_value(json_object_get(j, "message"));

	return m && strcasestr(m, words);
}

/*
 * One request of an event: 'body' to 'path' under idempotency key 'key'.
 * Answers {"error_code": "0", "message": …} mean taken.
 */
static enum verdict request(struct client *cl, const char *path,
			    const char *body, const char *key, int64_t now)
{
	struct curl_slist *hd = NULL;
	char line[1200];
	enum verdict v;
	const char *code;
	json_t *j;
	int tries;

	for (tries = 0; tries < 2; tries++) {
		if ((v = token(cl, now)) != V_OK)
			return v;
		snprintf(line, sizeof(line), "Authorization: Bearer %s",
			 cl->token);
		hd = curl_slist_append(NULL, line);
		if (key[0]) {
			snprintf(line, sizeof(line), "Idempotency-Key: %s",
				 key);
			hd = curl_slist_append(hd, line);
		}
		v = post(cl, path, "application/json", body, hd) ? V_DOWN :
		    V_OK;
		curl_slist_free_all(hd);
		sodium_memzero(line, sizeof(line));
		if (v != V_OK)
			return v;
		if (cl->status != 401)
			break;
		cl->token_until = 0;	/* ended early: a new one, once */
	}
	if (cl->status >= 500 || cl->status == 408) {
		snprintf(cl->error, sizeof(cl->error), "%s: HTTP %ld", path,
			 cl->status);
		return V_DOWN;
	}
	if (cl->status == 429) {
		snprintf(cl->error, sizeof(cl->error), "%s: HTTP 429", path);
		return V_LIMITED;
	}
	if (cl->status == 401 || cl->status == 403) {
		snprintf(cl->error, sizeof(cl->error), "%s: HTTP %ld", path,
			 cl->status);
		return V_AUTH;
	}
	j = json_loads(cl->answer.buf ? cl->answer.buf : "", 0, NULL);
	code = json_string_value(json_object_get(j, "error_code"));
	if (cl->status >= 200 && cl->status < 300 && code &&
	    !strcmp(code, "0")) {
		v = V_OK;
	} else if (says(j, "đã tồn tại") || says(j, "không tồn tại")) {
		v = says(j, "đã tồn tại") ? V_EXISTS : V_MISSING;
		snprintf(cl->error, sizeof(cl->error), "%s: %s", path,
			 json_string_value(json_object_get(j, "message")));
	} else {
		const char *m = json_string_value(json_object_get(j,
								  "message"));

		snprintf(cl->error, sizeof(cl->error), "%s: HTTP %ld, %s%s%s",
			 path, cl->status, code ? code : "no error_code",
			 m ? ": " : "", m ? m : "");
		v = V_REFUSED;
	}
	json_decref(j);
	return v;
}

/*
 * Hands event 'it' over: the dossier (created with its first event,
 * updated after; either way round when the portal says so), then the
 * step.
 */
static enum verdict send_event(struct client *cl,
			       const struct mc_portal_item *it, int64_t now)
{
	json_t *b = json_loads(it->body, 0, NULL);
	json_t *hoso = json_object_get(b, "HoSo");
	json_t *tiendo = json_object_get(b, "TienDo"), *one;
	const struct mc_portal_opts *o = cl->o;
	bool first = !strcmp(it->event, "intake") ||
		     !strcmp(it->event, "submit");
	char key[300], *dossier = NULL, *steps = NULL;
	enum verdict v = V_REFUSED;

	if (!hoso || !json_is_array(tiendo)) {
		snprintf(cl->error, sizeof(cl->error), "event %" PRId64 " has "
			 "no HoSo or TienDo", it->id);
		goto out;
	}
	one = json_pack("[O]", hoso);
	dossier = mc_portal_json(one, JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(one);
	steps = mc_portal_json(tiendo, JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	/* Two different requests: two keys. */
	snprintf(key, sizeof(key), "%s/%s", it->key, first ? "themmoi" :
		 "capnhat");
	v = request(cl, first ? o->path_create : o->path_update, dossier,
		    key, now);
	if (v == V_EXISTS || v == V_MISSING) {
		snprintf(key, sizeof(key), "%s/%s", it->key, first ?
			 "capnhat" : "themmoi");
		v = request(cl, first ? o->path_update : o->path_create,
			    dossier, key, now);
	}
	if (v != V_OK)
		goto out;
	snprintf(key, sizeof(key), "%s/tiendo", it->key);
	v = request(cl, o->path_steps, steps, key, now);
out:
	mc_free(dossier);
	mc_free(steps);
	json_decref(b);
	return v;
}

/*
 * What the portal holds of 'code': its TrangThaiHoSo into '*status' (0
 * when it has not got the dossier).
 */
static enum verdict look_up(struct client *cl, const char *code,
			    int64_t now, int *status)
{
	json_t *q = json_pack("{s:s}", "MaHoSo", code), *j, *r;
	char *body = mc_portal_json(q, JSON_ENSURE_ASCII);
	enum verdict v;
	const char *st;

	json_decref(q);
	*status = 0;
	v = request(cl, cl->o->path_lookup, body ? body : "{}", "", now);
	mc_free(body);
	if (v != V_OK)
		return v;
	j = json_loads(cl->answer.buf ? cl->answer.buf : "", 0, NULL);
	r = json_array_get(json_object_get(j, "result"), 0);
	st = json_string_value(json_object_get(r, "TrangThaiHoSo"));
	*status = st ? (int)strtol(st, NULL, 10) : 0;
	json_decref(j);
	return V_OK;
}

/* The circuit: shared by the process's sender. */
struct circuit {
	int failures;		/* running */
	int64_t open_until;	/* seconds; 0: closed */
	int64_t pause;		/* the next opening's */
};

struct done {
	const struct mc_portal_item *it;
	enum mc_portal_outcome o;
	int64_t next_at, now;
	const char *cause, *error;
};

static int done_write(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct done *d = arg;

	return mc_portal_done(c, d->it, d->o, d->next_at, d->cause, d->error,
			      d->now, err);
}

struct claim {
	int64_t now, lease_s;
	int max, got;
	struct mc_portal_item *items;
};

static int claim_write(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct claim *cl = arg;
	int rc = mc_portal_claim(c, cl->now, cl->lease_s, cl->max, cl->items,
				 err);

	cl->got = rc < 0 ? 0 : rc;
	return rc < 0 ? rc : 0;
}

static int64_t backoff(const struct mc_portal_opts *o, int attempts)
{
	int64_t d = o->retry_min_s > 0 ? o->retry_min_s : 1;
	int i;

	for (i = 1; i < attempts && d < o->retry_max_s; i++)
		d *= 2;
	return d < o->retry_max_s ? d : o->retry_max_s;
}

/* Records what 'v' makes of 'it', and moves the circuit. */
static int settle(struct client *cl, struct circuit *cc,
		  const struct mc_portal_item *it, enum verdict v,
		  struct mc_portal_counts *st, struct mc_err *err)
{
	const struct mc_portal_opts *o = cl->o;
	/* Exists and missing both ways round: the portal contradicts itself. */
	static const char *const causes[] = { "", "conflict", "conflict",
					      "unavailable", "rate_limited",
					      "auth", "rejected" };
	struct done d = { it, MC_PORTAL_SYNCED, 0, o->now(o->now_arg), NULL,
			  NULL };

	mc_utf8_trim_partial(cl->error);	/* cut within a character */
	if (v != V_DOWN) {
		/* It answered: the circuit closes, whatever it said. */
		cc->failures = 0;
		cc->open_until = 0;
		cc->pause = o->breaker_min_s;
	}
	if (v == V_OK) {
		st->synced++;
	} else {
		d.cause = causes[v];
		d.error = cl->error;
		if (v == V_DOWN && !strstr(cl->error, "HTTP"))
			d.cause = "transport";
		if (v == V_REFUSED) {
			d.o = MC_PORTAL_REJECTED;
			st->rejected++;
		} else {
			d.o = MC_PORTAL_RETRY;
			d.next_at = d.now + (v == V_LIMITED &&
					     cl->retry_after_s > 0 ?
					     cl->retry_after_s :
					     backoff(o, it->attempts));
			st->retried++;
		}
		/* Running failures open it; a probe that fails, at once. */
		if (v == V_DOWN && (cc->open_until ||
				    ++cc->failures >= o->breaker_failures)) {
			cc->open_until = d.now + cc->pause;
			cc->pause = cc->pause * 2 < o->breaker_max_s ?
				    cc->pause * 2 : o->breaker_max_s;
			cc->failures = 0;
			st->opened++;
			/* The event that tried it is due when it closes. */
			d.next_at = cc->open_until;
			if (o->log)
				mc_log_json(o->log, MC_LOG_WARN, "portal down: "
					    "sending paused", json_pack(
					    "{s:I, s:s}", "seconds",
					    (json_int_t)(cc->open_until -
							 d.now), "error",
					    cl->error));
		}
		if (o->log)
			mc_log_json(o->log, MC_LOG_WARN, "portal event not "
				    "taken", json_pack("{s:s, s:i, s:s}",
				    "key", it->key, "attempts", it->attempts,
				    "error", cl->error));
	}
	return mc_writer_run(o->writer, done_write, &d, err);
}

struct check {
	const struct mc_portal_opts *o;
	int64_t since, after, now;
	int max, got;
	struct mc_portal_check *list;
	const char *drift;
};

static int check_read(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct check *k = arg;
	int rc = mc_portal_to_check(c, k->since, k->after, k->max, k->list,
				    err);

	k->got = rc < 0 ? 0 : rc;
	return rc < 0 ? rc : 0;
}

static int checked_write(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct check *k = arg;

	return mc_portal_checked(c, k->list, k->drift, k->o->notify ?
				 k->o->notify->public_url : "", k->now, err);
}

/*
 * Compares the portal's status of each dossier it has got (open, or
 * finished within reconcile_days) with motcua's, 64 at a time; where
 * they differ, records it and queues the dossier again. 0; 1 when the
 * portal failed on the way (the pass stops there); or an error.
 */
static int reconcile(struct client *cl, struct mc_portal_counts *st,
		     struct mc_err *err)
{
	const struct mc_portal_opts *o = cl->o;
	struct mc_portal_check list[64];
	struct check k;
	char drift[256];
	enum verdict v;
	int i, rc, remote;

	memset(&k, 0, sizeof(k));
	k.o = o;
	k.now = o->now(o->now_arg);
	k.since = k.now - o->reconcile_days * 86400;
	k.max = (int)MC_ARRAY_SIZE(list);
	k.list = list;
	do {
		if ((rc = mc_writer_run(o->writer, check_read, &k, err)))
			return rc;
		for (i = 0; i < k.got; i++) {
			struct check one = k;

			if (cl->stop && atomic_load(cl->stop))
				return 0;	/* stopping: the next pass */

			v = look_up(cl, list[i].code, k.now, &remote);
			/* Down, limited, refused us: the pass ends here. */
			if (v == V_DOWN || v == V_LIMITED || v == V_AUTH)
				return 1;
			if (v == V_REFUSED) {
				/* This one it will not say: the next. */
				if (o->log)
					mc_log_json(o->log, MC_LOG_WARN,
						    "portal look-up refused",
						    json_pack("{s:s, s:s}",
						    "MaHoSo", list[i].code,
						    "error", cl->error));
				continue;
			}
			/* "Không tồn tại": it has not got the dossier. */
			if (v == V_MISSING)
				remote = 0;
			if (!remote)
				snprintf(drift, sizeof(drift), "cổng không có "
					 "hồ sơ, hệ thống ghi «%s»",
					 mc_portal_status_label(
					 list[i].portal_status));
			else if (remote != list[i].portal_status)
				snprintf(drift, sizeof(drift), "cổng ghi «%s», "
					 "hệ thống ghi «%s»",
					 mc_portal_status_label(remote),
					 mc_portal_status_label(
					 list[i].portal_status));
			one.list = &list[i];
			one.drift = remote == list[i].portal_status ? NULL :
				    drift;
			if ((rc = mc_writer_run(o->writer, checked_write, &one,
						err)))
				return rc;
			st->checked++;
			st->drifted += one.drift != NULL;
		}
		if (k.got)
			k.after = list[k.got - 1].dossier_id;
	} while (k.got == k.max);
	return 0;
}

struct inbound {
	const struct mc_portal_opts *o;
	struct mc_portal_filed *f;
	const char *body, *error, *name;
	char value[32];
	int64_t now;
	int taken;			/* mc_portal_take_in's 0 or 1 */
	struct mc_dossier d;
};

static int take_in_write(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct inbound *b = arg;
	int rc = mc_portal_take_in(c, b->o->cal, b->f, b->body, b->now,
				   &b->d, err);

	b->taken = rc;
	return rc < 0 ? rc : 0;
}

static int failed_write(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct inbound *b = arg;

	return mc_portal_inbound_failed(c, b->f->in.portal_code, b->body,
					b->error, b->now, err);
}

static int state_read(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct inbound *b = arg;

	return mc_portal_state_get(c, b->name, b->value, sizeof(b->value),
				   err);
}

static int state_write(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct inbound *b = arg;

	return mc_portal_state_set(c, b->name, b->value, err);
}

/* A file of a paper on its way in: into its part file, counted. */
struct fetch {
	int fd;
	int64_t got, max;
	unsigned char head[8];		/* its first bytes: what it is */
	bool too_big, failed;
};

static size_t fetch_write(char *p, size_t size, size_t n, void *arg)
{
	struct fetch *w = arg;
	size_t len = size * n, done = 0;

	if (w->got + (int64_t)len > w->max) {
		w->too_big = true;
		return 0;		/* curl stops: CURLE_WRITE_ERROR */
	}
	if (w->got < (int64_t)sizeof(w->head)) {
		size_t room = sizeof(w->head) - (size_t)w->got;

		memcpy(w->head + w->got, p, len < room ? len : room);
	}
	while (done < len) {
		ssize_t k = write(w->fd, p + done, len - done);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			w->failed = true;
			return 0;
		}
		done += (size_t)k;
	}
	w->got += (int64_t)len;
	return len;
}

/* File 'i' of 'f' into the store; see mc_portal_fetch. */
/* The host of 'url' into 'out' (lower case), or false. */
static bool url_host(const char *url, char *out, size_t n)
{
	CURLU *u = curl_url();
	char *host = NULL;
	bool ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
		  curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
		  strlen(host) < n;
	size_t i;

	if (ok) {
		for (i = 0; host[i]; i++)
			out[i] = (char)tolower((unsigned char)host[i]);
		out[i] = '\0';
	}
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

/* Whether the portal's files may be fetched from 'url' (see portal.h). */
static bool host_allowed(const char *url, const char *portal_url,
			 const char *hosts)
{
	char host[256], own[256];
	const char *p = hosts;

	if (!url_host(url, host, sizeof(host)))
		return false;
	if (portal_url && url_host(portal_url, own, sizeof(own)) &&
	    !strcmp(host, own))
		return true;
	while (p && *p) {
		size_t k = strcspn(p, ",");

		while (k && p[k - 1] == ' ')
			k--;
		if (k == strlen(host) && !strncasecmp(p, host, k))
			return true;
		p += strcspn(p, ",");
		p += strspn(p, ", ");
	}
	return false;
}

#define FETCH_REDIRECTS 3

static int fetch_one(CURL *curl, const char *dir, int64_t max,
		     int64_t timeout_ms, const char *portal_url,
		     const char *hosts, struct mc_portal_filed *f, int i,
		     struct mc_err *err)
{
	char url[MC_PORTAL_URL_MAX];
	int hops = 0;
	char id[40], part[MC_BLOB_PATH_MAX], field[64];
	char errbuf[CURL_ERROR_SIZE] = "";
	struct fetch w = { -1, 0, max, { 0 }, false, false };
	unsigned char rnd[8];
	const char *type;
	long status = 0;
	CURLcode cc;
	int rc;

	randombytes_buf(rnd, sizeof(rnd));
	memcpy(id, "portal-", 7);
	sodium_bin2hex(id + 7, sizeof(id) - 7, rnd, sizeof(rnd));
	snprintf(field, sizeof(field), "TaiLieuNop[%d].DuongDanTaiTepTin",
		 f->files[i].paper);
	mc_blob_part_path(dir, id, part, sizeof(part));
	if ((w.fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			 0600)) < 0)
		return mc_error(err, MC_EIO, "%s: %s", part, strerror(errno));
	snprintf(url, sizeof(url), "%s", f->files[i].url);
again:
	/* Each hop's host checked before it is asked: only the portal's. */
	if (!host_allowed(url, portal_url, hosts)) {
		close(w.fd);
		mc_blob_drop_part(dir, id);
		return mc_err_field(err, field, "host", "%s is not the "
				    "portal's host nor in portal_file_hosts",
				    url);
	}
	curl_easy_reset(curl);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, fetch_write);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &w);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
			 (long)(timeout_ms > 0 ? timeout_ms : 10000));
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	cc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	if (cc == CURLE_OK && status >= 300 && status < 400 && status != 304) {
		char *next = NULL;

		curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &next);
		if (next && ++hops <= FETCH_REDIRECTS &&
		    strlen(next) < sizeof(url)) {
			snprintf(url, sizeof(url), "%s", next);
			/* Whatever the redirect said is not the file. */
			if (ftruncate(w.fd, 0) || lseek(w.fd, 0, SEEK_SET))
				w.failed = true;
			w.got = 0;
			w.too_big = false;
			memset(w.head, 0, sizeof(w.head));
			if (!w.failed)
				goto again;
		}
	}
	if (cc == CURLE_OK && status == 200 && fsync(w.fd))
		w.failed = true;
	close(w.fd);
	if (w.failed)
		rc = mc_error(err, MC_EIO, "%s: cannot be written", part);
	else if (w.too_big || cc == CURLE_FILESIZE_EXCEEDED)
		rc = mc_err_field(err, field, "size", "the file is larger "
				  "than %" PRId64 " bytes (upload_max)", max);
	else if (cc == CURLE_OPERATION_TIMEDOUT)
		rc = mc_error(err, MC_ETIMEOUT, "%s: no answer in %" PRId64
			      " ms", f->files[i].url, timeout_ms);
	else if (cc != CURLE_OK)
		rc = mc_error(err, MC_EIO, "%s: %s", f->files[i].url,
			      errbuf[0] ? errbuf : curl_easy_strerror(cc));
	else if (status >= 500 || status == 429 || status == 408)
		rc = mc_error(err, MC_EIO, "%s: HTTP %ld", f->files[i].url,
			      status);
	else if (status != 200)
		rc = mc_err_field(err, field, "fetched", "the portal gave "
				  "HTTP %ld for the file", status);
	else if (!w.got)
		rc = mc_err_field(err, field, "fetched", "the file is empty");
	else if (!(type = mc_media_sniff(w.head, w.got < 8 ?
					 (size_t)w.got : 8)))
		rc = mc_err_field(err, field, "media_type", "the file is not "
				  "a PDF, JPEG or PNG");
	else if (!(rc = mc_blob_finish(dir, id, w.got,
				       f->in.components[f->files[i].component]
				       .file_sha256, err))) {
		f->files[i].size = w.got;
		snprintf(f->files[i].media_type,
			 sizeof(f->files[i].media_type), "%s", type);
	}
	mc_blob_drop_part(dir, id);
	return rc;
}

int mc_portal_fetch(const char *files_dir, int64_t max, int64_t timeout_ms,
		    const char *portal_url, const char *file_hosts,
		    struct mc_portal_filed *f, struct mc_err *err)
{
	CURL *curl;
	int i, rc = 0;

	if (!f->nfiles)
		return 0;
	if (!(curl = curl_easy_init()))
		return mc_error(err, MC_ENOMEM, "portal: no HTTP client");
	for (i = 0; !rc && i < f->nfiles; i++)
		rc = fetch_one(curl, files_dir, max, timeout_ms, portal_url,
			       file_hosts, f, i, err);
	curl_easy_cleanup(curl);
	return rc;
}

/*
 * One dossier filed on the portal: taken in with the files of its
 * papers, or kept as not taken. 1 when a file could not be fetched now
 * (the portal's fault for a while: asked again next time).
 */
static int take_one(const struct mc_portal_opts *o, json_t *hoso,
		    struct mc_portal_counts *st, struct mc_err *err)
{
	struct mc_portal_filed *f = mc_calloc(1, sizeof(*f));
	struct mc_err why = MC_ERR_INIT;
	struct inbound b;
	char text[1024], *json;
	int rc;

	memset(&b, 0, sizeof(b));
	b.o = o;
	b.f = f;
	b.now = o->now(o->now_arg);
	b.body = json = mc_portal_json(hoso, JSON_SORT_KEYS);
	if (!json) {
		mc_free(f);
		return mc_error(err, MC_ENOMEM, "portal: a dossier filed "
				"cannot be kept");
	}
	rc = mc_portal_intake_of(hoso, f, &why);
	f->in.notify = o->notify;
	if (!f->in.portal_code[0]) {
		rc = 0;		/* nothing to keep it under: the portal's fault */
		goto out;
	}
	if (!rc && (rc = mc_portal_fetch(o->files_dir, o->file_max,
					 o->timeout_ms, o->url, o->file_hosts,
					 f, &why)) &&
	    rc != MC_EINVAL) {
		if (o->log)
			mc_log_json(o->log, MC_LOG_WARN, "portal file not "
				    "fetched", json_pack("{s:s, s:s}", "MaHoSo",
				    f->in.portal_code, "error", why.message));
		rc = 1;		/* later, from this dossier on */
		goto out;
	}
	if (!rc)
		rc = mc_writer_run(o->writer, take_in_write, &b, &why);
	mc_dossier_release(&b.d);
	if (!rc) {
		st->taken_in += b.taken == 0;
		goto out;
	}
	if (rc == MC_EDB || rc == MC_EBUSY || rc == MC_EIO ||
	    rc == MC_ETIMEOUT) {
		*err = why;	/* the database, not the dossier: again later */
		goto out;
	}
	b.error = mc_err_text(&why, text, sizeof(text));
	rc = mc_writer_run(o->writer, failed_write, &b, err);
	st->not_taken++;
	if (o->log)
		mc_log_json(o->log, MC_LOG_WARN, "portal dossier not taken in",
			    json_pack("{s:s, s:s}", "MaHoSo",
				      f->in.portal_code, "error", text));
out:
	mc_free(json);
	mc_free(f);
	return rc;
}

/*
 * Asks the portal for the dossiers filed since the last seen
 * (portal_state "inbound_since"), 50 at a time, and takes them in. 0; 1
 * when the portal failed on the way; or an error.
 */
static int take_in(struct client *cl, struct mc_portal_counts *st,
		   struct mc_err *err)
{
	const struct mc_portal_opts *o = cl->o;
	struct inbound b;
	char since[32], *q;
	json_t *j, *hoso;
	size_t i, n;
	int rc = 0;

	memset(&b, 0, sizeof(b));
	b.o = o;
	b.name = "inbound_since";
	if ((rc = mc_writer_run(o->writer, state_read, &b, err)))
		return rc;
	snprintf(since, sizeof(since), "%s", b.value);
	do {
		json_t *ask = json_pack("{s:s, s:i}", "TuNgay", since,
					"SoLuong", 50);

		q = mc_portal_json(ask, JSON_ENSURE_ASCII);
		json_decref(ask);
		rc = request(cl, o->path_filed, q ? q : "{}", "",
			     o->now(o->now_arg)) == V_OK ? 0 : 1;
		mc_free(q);
		if (rc)
			return 1;
		j = json_loads(cl->answer.buf ? cl->answer.buf : "", 0, NULL);
		n = json_array_size(json_object_get(j, "result"));
		json_array_foreach(json_object_get(j, "result"), i, hoso) {
			if (cl->stop && atomic_load(cl->stop))
				break;	/* the rest when it runs again */
			const char *filed = json_string_value(json_object_get(
				hoso, "NgayNopHoSo"));

			if ((rc = take_one(o, hoso, st, err)))
				break;
			/* Filed at the same instant may come again: once. */
			if (filed && strcmp(filed, since) > 0)
				snprintf(since, sizeof(since), "%s", filed);
		}
		json_decref(j);
		/* A full page filed at one instant: no further to go. */
		if (!rc && !strcmp(since, b.value))
			break;
		if (!rc) {
			snprintf(b.value, sizeof(b.value), "%s", since);
			rc = mc_writer_run(o->writer, state_write, &b, err);
		}
	} while (!rc && n == 50);
	return rc;
}

/* Puts back, untried, events taken and not sent. */
static void put_back(const struct mc_portal_opts *o,
		     const struct mc_portal_item *items, int n)
{
	struct mc_err err = MC_ERR_INIT;
	int i;

	for (i = 0; i < n; i++) {
		struct done d = { &items[i], MC_PORTAL_PUT_BACK, 0,
				  o->now(o->now_arg), NULL, NULL };

		mc_writer_run(o->writer, done_write, &d, &err);
	}
}

/*
 * Takes a batch (one event while the circuit is half open) and sends it.
 * How many were taken (0 while it is open), or an error.
 */
static int one_batch(struct client *cl, struct circuit *cc,
		     struct mc_portal_item *items, const _Atomic bool *stop,
		     struct mc_portal_counts *st, struct mc_err *err)
{
	const struct mc_portal_opts *o = cl->o;
	struct claim c;
	int i, rc = 0;

	c.now = o->now(o->now_arg);
	if (cc->open_until > c.now)
		return 0;
	c.lease_s = o->lease_s;
	c.max = cc->open_until ? 1 : o->batch;
	c.items = items;
	c.got = 0;
	if ((rc = mc_writer_run(o->writer, claim_write, &c, err))) {
		for (i = 0; i < c.got; i++)	/* taken, then rolled back */
			mc_portal_item_release(&items[i]);
		return rc;
	}
	for (i = 0; !rc && i < c.got; i++) {
		if ((stop && atomic_load(stop)) ||
		    cc->open_until > o->now(o->now_arg)) {
			put_back(o, items + i, c.got - i);
			break;
		}
		rc = settle(cl, cc, &items[i], send_event(cl, &items[i],
			    o->now(o->now_arg)), st, err);
		if (rc)
			put_back(o, items + i + 1, c.got - i - 1);
	}
	for (i = 0; i < c.got; i++)
		mc_portal_item_release(&items[i]);
	return rc ? rc : c.got;
}

static void client_open(const struct mc_portal_opts *o, struct client *cl,
			struct circuit *cc)
{
	memset(cl, 0, sizeof(*cl));
	cl->o = o;
	cl->curl = curl_easy_init();
	mc_buf_init(&cl->answer, 1 << 20);
	memset(cc, 0, sizeof(*cc));
	cc->pause = o->breaker_min_s > 0 ? o->breaker_min_s : 30;
}

static void client_close(struct client *cl)
{
	curl_easy_cleanup(cl->curl);
	mc_buf_release(&cl->answer);
	sodium_memzero(cl->token, sizeof(cl->token));
}

int mc_portal_run(const struct mc_portal_opts *o, struct mc_portal_counts *st,
		  struct mc_err *err)
{
	struct mc_portal_item *items = mc_calloc((size_t)o->batch,
						 sizeof(*items));
	struct circuit cc;
	struct client cl;
	int rc;

	client_open(o, &cl, &cc);
	while ((rc = one_batch(&cl, &cc, items, NULL, st, err)) > 0)
		;
	if (!rc && o->inbound_every_s > 0 &&
	    cc.open_until <= o->now(o->now_arg))
		rc = take_in(&cl, st, err);
	rc = rc == 1 ? 0 : rc;
	if (!rc && o->reconcile_every_s > 0 &&
	    cc.open_until <= o->now(o->now_arg))
		rc = reconcile(&cl, st, err);
	client_close(&cl);
	mc_free(items);
	return rc < 0 ? rc : 0;
}

struct mc_portal {
	struct mc_portal_opts o;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	_Atomic bool stopping;
	struct mc_portal_counts st;	/* under lock */
	int64_t open_until;		/* under lock */
};

static void *sender_main(void *arg)
{
	struct mc_portal *p = arg;
	struct mc_portal_item *items = mc_calloc((size_t)p->o.batch,
						 sizeof(*items));
	struct circuit cc;
	struct client cl;
	int64_t next_check = p->o.now(p->o.now_arg), next_ask = 0;
	int64_t next_ask_ns = 0, retry_ns = 0;

	client_open(&p->o, &cl, &cc);
	cl.stop = &p->stopping;
	while (!atomic_load(&p->stopping)) {
		struct mc_portal_counts st = { 0 };
		struct mc_err err = MC_ERR_INIT;
		struct timespec until;
		int64_t now = p->o.now(p->o.now_arg);
		int rc = one_batch(&cl, &cc, items, &p->stopping, &st, &err);

		/*
		 * Dossiers filed on the portal: asked for every
		 * inbound_every_s of the clock, or of real time (a test's
		 * clock may stand still).
		 */
		if (rc >= 0 && p->o.inbound_every_s > 0 &&
		    cc.open_until <= now &&
		    (now >= next_ask || mc_time_mono_ns() >= next_ask_ns)) {
			int in = take_in(&cl, &st, &err);

			next_ask = now + p->o.inbound_every_s;
			next_ask_ns = mc_time_mono_ns() +
				      p->o.inbound_every_s * 1000000000LL;
			rc = in < 0 ? in : rc;
		}
		/*
		 * Nothing waits, the portal answers: time to compare? A pass
		 * the portal broke off goes again after retry_min of real
		 * time (a test's clock may stand still).
		 */
		if (!rc && p->o.reconcile_every_s > 0 &&
		    cc.open_until <= now &&
		    now >= next_check && mc_time_mono_ns() >= retry_ns) {
			rc = reconcile(&cl, &st, &err);
			if (rc == 1)
				retry_ns = mc_time_mono_ns() +
					   p->o.retry_min_s * 1000000000LL;
			else
				next_check = now + p->o.reconcile_every_s;
			rc = rc == 1 ? 0 : rc;
		}

		pthread_mutex_lock(&p->lock);
		p->st.synced += st.synced;
		p->st.retried += st.retried;
		p->st.rejected += st.rejected;
		p->st.opened += st.opened;
		p->st.checked += st.checked;
		p->st.drifted += st.drifted;
		p->st.taken_in += st.taken_in;
		p->st.not_taken += st.not_taken;
		p->open_until = cc.open_until;
		if (rc < 0 && rc != MC_EBUSY && p->o.log)
			mc_log_json(p->o.log, MC_LOG_ERROR, "portal sender "
				    "failed", json_pack("{s:s}", "error",
				    err.message));
		if (rc <= 0 && !atomic_load(&p->stopping)) {
			clock_gettime(CLOCK_MONOTONIC, &until);
			until.tv_sec += p->o.poll_ms / 1000;
			until.tv_nsec += p->o.poll_ms % 1000 * 1000000;
			if (until.tv_nsec >= 1000000000) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&p->wake, &p->lock, &until);
		}
		pthread_mutex_unlock(&p->lock);
	}
	client_close(&cl);
	mc_free(items);
	return NULL;
}

int mc_portal_start(const struct mc_portal_opts *o, struct mc_portal **out,
		    struct mc_err *err)
{
	pthread_condattr_t ca;
	struct mc_portal *p;

	*out = NULL;
	if (!o->url || !o->url[0])
		return 0;
	p = mc_calloc(1, sizeof(*p));
	p->o = *o;
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&p->thread, NULL, sender_main, p) != 0) {
		pthread_mutex_destroy(&p->lock);
		pthread_cond_destroy(&p->wake);
		mc_free(p);
		return mc_error(err, MC_EINTERNAL, "cannot start the portal "
				"sender");
	}
	*out = p;
	return 0;
}

void mc_portal_state(struct mc_portal *p, struct mc_portal_counts *out,
		     int64_t *open_until)
{
	memset(out, 0, sizeof(*out));
	*open_until = 0;
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	*out = p->st;
	*open_until = p->open_until;
	pthread_mutex_unlock(&p->lock);
}

void mc_portal_stop(struct mc_portal *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	atomic_store(&p->stopping, true);
	pthread_cond_broadcast(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->wake);
	mc_free(p);
}
