/*
 * http.c — the tests' HTTP client, on libcurl; see harness.h.
 */
#include "core/compat.h"
#include "harness/harness.h"

#include <curl/curl.h>
#include <strings.h>

struct sink {
	char *buf;
	size_t len, cap;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t add = size * n;

	if (s->len + add + 1 > s->cap) {
		s->cap = (s->len + add + 1) * 2;
		s->buf = realloc(s->buf, s->cap);
		if (!s->buf)
			abort();
	}
	memcpy(s->buf + s->len, p, add);
	s->len += add;
	s->buf[s->len] = '\0';
	return add;
}

int th_http(const char *method, const char *url, const char *const *headers,
	    const char *body, size_t blen, struct th_resp *out)
{
	struct sink b = { NULL, 0, 0 }, h = { NULL, 0, 0 };
	struct curl_slist *hl = NULL;
	CURL *c = curl_easy_init();
	CURLcode rc;

	memset(out, 0, sizeof(*out));
	if (!c)
		return -1;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	while (headers && *headers)
		hl = curl_slist_append(hl, *headers++);
	if (hl)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)blen);
	}
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
	out->body = b.buf ? b.buf : strdup("");
	out->len = b.len;
	out->headers = h.buf ? h.buf : strdup("");
	return rc == CURLE_OK ? 0 : -1;
}

void th_get(const char *url, struct th_resp *out)
{
	if (th_http("GET", url, NULL, NULL, 0, out))
		fail_msg("GET %s: no response", url);
}

const char *th_header(const struct th_resp *r, const char *name, char *buf,
		      size_t n)
{
	size_t nl = strlen(name);
	const char *p = r->headers;

	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (len > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1;
			size_t vl;

			while (*v == ' ')
				v++;
			vl = (size_t)(p + len - v);
			while (vl && (v[vl - 1] == '\r' || v[vl - 1] == ' '))
				vl--;
			snprintf(buf, n, "%.*s", (int)vl, v);
			return buf;
		}
		p = eol ? eol + 1 : NULL;
	}
	return NULL;
}

json_t *th_json(const struct th_resp *r)
{
	json_error_t e;
	json_t *j = json_loadb(r->body, r->len, 0, &e);

	if (!j)
		fail_msg("response is not JSON (%s): %.200s", e.text, r->body);
	return j;
}

void th_resp_free(struct th_resp *r)
{
	free(r->body);
	free(r->headers);
	r->body = r->headers = NULL;
}

long th_api(const char *base, const char *method, const char *path,
	    const char *token, json_t *body, json_t **out)
{
	char url[1024], auth[256];
	const char *headers[3] = { "Content-Type: application/json", NULL,
				   NULL };
	struct th_resp r;
	char *text = NULL;
	long status;

	snprintf(url, sizeof(url), "%s%s", base, path);
	if (token) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
		headers[1] = auth;
	}
	if (body)
		text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (th_http(method, url, headers, text, text ? strlen(text) : 0, &r))
		fail_msg("%s %s: no response", method, path);
	free(text);
	status = r.status;
	if (out)
		*out = r.len ? json_loadb(r.body, r.len, 0, NULL) : NULL;
	th_resp_free(&r);
	return status;
}

const char *th_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	char *text;

	if (!s) {
		text = o ? json_dumps(o, 0) : NULL;
		fail_msg("no string '%s' in %s", key, text ? text : "(null)");
	}
	return s;
}

void th_act(const char *base, const char *token, const char *code,
	    json_t *body)
{
	char path[200];
	json_t *j = NULL;
	long st;

	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/actions", code);
	st = th_api(base, "POST", path, token, body, &j);
	if (st != 200)
		fail_msg("action on %s: %ld %s", code, st,
			 j ? json_dumps(j, 0) : "");
	json_decref(j);
}

char *th_intake(const char *base, const char *token, const char *procedure,
		const char *channel, const char *id_number, const char *name,
		const char *phone)
{
	json_t *j = NULL;
	char *code;
	long st;

	st = th_api(base, "POST", "/api/v1/dossiers", token, json_pack(
		"{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:[{s:s, s:b}]}",
		"procedure_code", procedure, "channel", channel, "applicant",
		"kind", "person", "id_number", id_number, "name", name, "phone",
		phone, "components", "code", "TK", "provided", 1), &j);
	if (st != 201)
		fail_msg("intake: %ld %s", st, j ? json_dumps(j, 0) : "");
	code = strdup(th_str(j, "code"));
	json_decref(j);
	return code;
}

void th_procedure(const char *base, const char *code, const char *name)
{
	char tok[128], path[160];
	json_t *j;

	th_login(base, "kiemsoat", "motcua-demo", tok, sizeof(tok));
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:{s:s, s:b}, "
		"s:[{s:s, s:s, s:s, s:b}], s:[{s:s, s:s, s:i}]}",
		"code", code, "name", name, "field", "Thử", "level",
		"province", "unit_code", "000.00.04.H51", "processing_time",
		"amount", 3, "unit", "working_days", "result", "document_type",
		"Giấy", "paper", 1, "components", "code", "TK", "name",
		"Tờ khai", "form", "original", "required", 1, "steps", "name",
		"Xử lý", "role", "specialist", "share_percent", 100);
	assert_int_equal(th_api(base, "POST", "/api/v1/procedures", tok, j,
				NULL), 201);
	snprintf(path, sizeof(path), "/api/v1/procedures/%s/publish", code);
	assert_int_equal(th_api(base, "POST", path, tok, json_pack("{s:s, s:s, "
		"s:s}", "valid_from", "2025-01-01", "decision_number", "9/QĐ",
		"decision_date", "2025-01-01"), NULL), 200);
}

void th_login(const char *base, const char *user, const char *password,
	      char *tok, size_t n)
{
	json_t *j;

	assert_int_equal(th_api(base, "POST", "/api/v1/auth/login", NULL,
				json_pack("{s:s, s:s}", "username", user,
					  "password", password), &j), 200);
	snprintf(tok, n, "%s", th_str(j, "token"));
	json_decref(j);
}
