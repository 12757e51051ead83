/*
 * sms.c — the SMS gateway client (see sms.h).
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/mem.h"
#include "jobs/sms.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <unistd.h>

struct mc_sms {
	struct mc_sms_opts o;
	char url[512], token[256], sender[64];
	CURL *curl;
};

struct mc_sms *mc_sms_new(const struct mc_sms_opts *o)
{
	struct mc_sms *s = mc_calloc(1, sizeof(*s));

	snprintf(s->url, sizeof(s->url), "%s", o->url ? o->url : "");
	snprintf(s->token, sizeof(s->token), "%s", o->token ? o->token : "");
	snprintf(s->sender, sizeof(s->sender), "%s",
		 o->sender ? o->sender : "");
	s->o = *o;
	s->curl = curl_easy_init();
	return s;
}

void mc_sms_free(struct mc_sms *s)
{
	if (!s)
		return;
	curl_easy_cleanup(s->curl);
	mc_free(s);
}

/*
 * sms_url "file:PATH" (development and demonstrations only): the message
 * appended to PATH as one JSON line, as the gateway would be sent it, and
 * taken as sent. One-time codes are written there too, by design.
 */
static void to_file(const char *path, json_t *req,
		    const struct mc_message *m, struct mc_send_result *out)
{
	char *line = json_dumps(req, JSON_COMPACT);
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	size_t n = line ? strlen(line) : 0;
	bool ok = fd >= 0 && line;

	if (ok) {
		line[n] = '\n';	/* json_dumps left room: its NUL */
		ok = write(fd, line, n + 1) == (ssize_t)(n + 1);
		line[n] = '\0';
	}
	if (fd >= 0)
		close(fd);
	mc_free(line);
	if (!ok) {
		out->outcome = MC_OUT_RETRY;
		snprintf(out->error, sizeof(out->error), "file %.200s: %s",
			 path, strerror(errno));
		return;
	}
	out->outcome = MC_OUT_SENT;
	snprintf(out->provider_id, sizeof(out->provider_id), "file:%.100s",
		 m->key);
}

/* The answer's body, up to 64 KiB. */
static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct mc_buf *b = arg;

	if (mc_buf_add(b, p, size * n))
		return 0;
	return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	int64_t *retry_after = arg;
	size_t len = size * n;

	if (len > 12 && !strncasecmp(p, "Retry-After:", 12))
		*retry_after = strtoll(p + 12, NULL, 10);
	return len;
}

void mc_sms_send(struct mc_sms *s, const struct mc_message *m,
		 struct mc_send_result *out)
{
	static const char *const prio[] = { "high", "normal", "low" };
	struct mc_buf body = MC_BUF_INIT(65536);
	struct curl_slist *h = NULL;
	char auth[300], errbuf[CURL_ERROR_SIZE] = "";
	json_t *req, *ans;
	char *text;
	size_t len;
	long status = 0;
	CURLcode cc;

	memset(out, 0, sizeof(*out));
	req = json_pack("{s:s, s:s, s:s, s:s, s:s}", "to", m->recipient,
			"text", m->body, "idempotency_key", m->key, "priority",
			prio[m->priority < 0 || m->priority > 2 ? 1 :
			     m->priority], "sender", s->sender);
	if (!strncmp(s->url, "file:", 5)) {
		to_file(s->url + 5, req, m, out);
		json_decref(req);
		return;
	}
	len = json_dumpb(req, NULL, 0, JSON_COMPACT);
	text = mc_malloc(len + 1);
	json_dumpb(req, text, len, JSON_COMPACT);
	text[len] = '\0';
	json_decref(req);
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Accept: application/json");
	if (s->token[0]) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
			 s->token);
		h = curl_slist_append(h, auth);
	}
	curl_easy_reset(s->curl);
	curl_easy_setopt(s->curl, CURLOPT_URL, s->url);
	curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(s->curl, CURLOPT_POSTFIELDS, text);
	curl_easy_setopt(s->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(s->curl, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(s->curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(s->curl, CURLOPT_HEADERDATA, &out->retry_after_s);
	curl_easy_setopt(s->curl, CURLOPT_TIMEOUT_MS, (long)s->o.timeout_ms);
	curl_easy_setopt(s->curl, CURLOPT_CONNECTTIMEOUT_MS,
			 (long)(s->o.timeout_ms < 5000 ? s->o.timeout_ms :
				5000));
	curl_easy_setopt(s->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s->curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(s->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	cc = curl_easy_perform(s->curl);
	curl_slist_free_all(h);
	mc_free(text);
	if (cc != CURLE_OK) {
		out->outcome = MC_OUT_RETRY;
		snprintf(out->error, sizeof(out->error), "gateway: %s",
			 errbuf[0] ? errbuf : curl_easy_strerror(cc));
		mc_buf_release(&body);
		return;
	}
	curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &status);
	ans = body.len ? json_loadb(body.buf, body.len, 0, NULL) : NULL;
	if ((status >= 200 && status < 300) || status == 409) {
		const char *id = json_string_value(json_object_get(ans, "id"));

		if (id && *id) {
			out->outcome = MC_OUT_SENT;
			snprintf(out->provider_id, sizeof(out->provider_id),
				 "%s", id);
		} else {
			out->outcome = MC_OUT_RETRY;
			snprintf(out->error, sizeof(out->error), "gateway: "
				 "HTTP %ld without a message id", status);
		}
	} else {
		const char *why = json_string_value(json_object_get(ans,
								    "error"));

		out->outcome = status == 400 || status == 422 ?
			       MC_OUT_REFUSED : MC_OUT_RETRY;
		snprintf(out->error, sizeof(out->error), "gateway: HTTP %ld%s"
			 "%.400s", status, why ? ": " : "", why ? why : "");
	}
	json_decref(ans);
	mc_buf_release(&body);
}
