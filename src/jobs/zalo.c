/*
 * zalo.c — the ZNS client (see zalo.h).
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/mem.h"
#include "jobs/zalo.h"

#include <curl/curl.h>
#include <jansson.h>

struct mc_zalo {
	struct mc_zalo_opts o;
	char url[512], token[600];
	CURL *curl;
};

struct mc_zalo *mc_zalo_new(const struct mc_zalo_opts *o)
{
	struct mc_zalo *z = mc_calloc(1, sizeof(*z));

	z->o = *o;
	snprintf(z->url, sizeof(z->url), "%s", o->url ? o->url : "");
	snprintf(z->token, sizeof(z->token), "%s", o->token ? o->token : "");
	z->curl = curl_easy_init();
	return z;
}

void mc_zalo_free(struct mc_zalo *z)
{
	if (!z)
		return;
	curl_easy_cleanup(z->curl);
	mc_free(z);
}

bool mc_zalo_phone(const char *in, char *out, size_t n)
{
	char d[24];
	size_t k = 0;

	for (; *in && k + 1 < sizeof(d); in++)
		if (*in >= '0' && *in <= '9')
			d[k++] = *in;
		else if (*in != ' ' && *in != '.' && *in != '-' && *in != '+')
			return false;
	d[k] = '\0';
	/* 0xxxxxxxxx (10 digits) or 84xxxxxxxxx (11). */
	/* Mobile numbers begin 03, 05, 07, 08, 09 (84 3…, 84 5…, …). */
	if (k == 10 && d[0] == '0' && strchr("35789", d[1]))
		snprintf(out, n, "84%s", d + 1);
	else if (k == 11 && !strncmp(d, "84", 2) && strchr("35789", d[2]))
		snprintf(out, n, "%s", d);
	else
		return false;
	return true;
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	return mc_buf_add(arg, p, size * n) ? 0 : size * n;
}

/* The ZNS errors that concern the message itself, not the service. */
static bool refused(long code)
{
	static const long codes[] = { -108, -109, -111, -112, -118, -119 };
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i] == code)
			return true;
	return false;
}

void mc_zalo_send(struct mc_zalo *z, const struct mc_message *m,
		  struct mc_send_result *out)
{
	struct mc_buf body = MC_BUF_INIT(65536);
	struct curl_slist *h = NULL;
	char hdr[700], phone[24], errbuf[CURL_ERROR_SIZE] = "", *text;
	json_t *req, *data, *ans;
	long status = 0;
	CURLcode cc;

	memset(out, 0, sizeof(*out));
	if (!mc_zalo_phone(m->recipient, phone, sizeof(phone))) {
		out->outcome = MC_OUT_REFUSED;
		snprintf(out->error, sizeof(out->error), "zalo: %s is not a "
			 "Vietnamese mobile number", m->recipient);
		return;
	}
	if (!(data = json_loads(m->body, 0, NULL)) || !json_is_object(data)) {
		json_decref(data);
		out->outcome = MC_OUT_REFUSED;
		snprintf(out->error, sizeof(out->error), "zalo: the template "
			 "data is not a JSON object");
		return;
	}
	req = json_pack("{s:s, s:s, s:o, s:s}", "phone", phone, "template_id",
			m->subject, "template_data", data, "tracking_id",
			m->key);
	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	h = curl_slist_append(h, "Content-Type: application/json");
	snprintf(hdr, sizeof(hdr), "access_token: %s", z->token);
	h = curl_slist_append(h, hdr);
	curl_easy_reset(z->curl);
	curl_easy_setopt(z->curl, CURLOPT_URL, z->url);
	curl_easy_setopt(z->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(z->curl, CURLOPT_POSTFIELDS, text);
	curl_easy_setopt(z->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(z->curl, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(z->curl, CURLOPT_TIMEOUT_MS, (long)z->o.timeout_ms);
	curl_easy_setopt(z->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(z->curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(z->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	cc = curl_easy_perform(z->curl);
	curl_slist_free_all(h);
	mc_free(text);
	if (cc != CURLE_OK) {
		out->outcome = MC_OUT_RETRY;
		snprintf(out->error, sizeof(out->error), "zalo: %s",
			 errbuf[0] ? errbuf : curl_easy_strerror(cc));
		mc_buf_release(&body);
		return;
	}
	curl_easy_getinfo(z->curl, CURLINFO_RESPONSE_CODE, &status);
	ans = body.len ? json_loadb(body.buf, body.len, 0, NULL) : NULL;
	if (status == 200 && json_is_integer(json_object_get(ans, "error"))) {
		long code = (long)json_integer_value(json_object_get(ans,
								     "error"));
		const char *msg = json_string_value(json_object_get(ans,
								    "message"));
		const char *id = json_string_value(json_object_get(
			json_object_get(ans, "data"), "msg_id"));

		if (code == 0) {
			/* Taken: an id is kept when it gives one. */
			out->outcome = MC_OUT_SENT;
			snprintf(out->provider_id, sizeof(out->provider_id),
				 "%s", id ? id : "");
		} else {
			out->outcome = refused(code) ? MC_OUT_REFUSED :
				       MC_OUT_RETRY;
			snprintf(out->error, sizeof(out->error), "zalo: error "
				 "%ld%s%.400s", code, msg ? ": " : "",
				 msg ? msg : "");
		}
	} else {
		/* The service, not the message: again later. */
		out->outcome = MC_OUT_RETRY;
		snprintf(out->error, sizeof(out->error), "zalo: HTTP %ld",
			 status);
	}
	json_decref(ans);
	mc_buf_release(&body);
}
