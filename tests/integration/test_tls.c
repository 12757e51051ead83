/*
 * test_tls.c — TLS served directly (docs/security.md "TLS"): with
 * tls_cert and tls_key motcua speaks HTTPS only, HTTP/2 or HTTP/1.1 by
 * ALPN, TLS 1.2 and 1.3 only, and every answer carries
 * Strict-Transport-Security; a key that is not the certificate's stops
 * it at start with the setting named. The certificate is made here with
 * the openssl command (a throw-away one for 127.0.0.1).
 */
#include "core/compat.h"
#include "harness/harness.h"

#include <curl/curl.h>
#include <unistd.h>

static char cert[600], key[600], other[600], db[600];

static int setup(void **state)
{
	char cmd[4000];

	(void)state;
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	th_path(cert, sizeof(cert), "cert.pem");
	th_path(key, sizeof(key), "key.pem");
	th_path(other, sizeof(other), "other.pem");
	snprintf(cmd, sizeof(cmd), "openssl req -x509 -newkey ec -pkeyopt "
		 "ec_paramgen_curve:P-256 -nodes -keyout '%s' -out '%s' -days "
		 "2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 "
		 "2>/dev/null && openssl genpkey -algorithm EC -pkeyopt "
		 "ec_paramgen_curve:P-256 -out '%s' 2>/dev/null", key, cert,
		 other);
	assert_int_equal(system(cmd), 0);
	th_demo_db(db, sizeof(db), "tls");
	return 0;
}

static size_t keep(char *p, size_t size, size_t n, void *arg)
{
	struct th_resp *r = arg;
	size_t len = size * n;
	char *b = realloc(r->body, r->len + len + 1);

	if (!b)
		return 0;
	memcpy(b + r->len, p, len);
	r->body = b;
	r->len += len;
	r->body[r->len] = '\0';
	return len;
}

static size_t keep_header(char *p, size_t size, size_t n, void *arg)
{
	struct th_resp *r = arg;
	size_t len = size * n, have = r->headers ? strlen(r->headers) : 0;
	char *b = realloc(r->headers, have + len + 1);

	if (!b)
		return 0;
	memcpy(b + have, p, len);
	b[have + len] = '\0';
	r->headers = b;
	return len;
}

/*
 * One request over HTTPS trusting only the test certificate; 'tls' is
 * CURL_SSLVERSION_* with a maximum; the CURLcode, the answer in 'out'
 * and the HTTP version used in '*version'.
 */
static CURLcode https(const char *url, const char *method, const char *body,
		      const char *auth, long tls, long *version,
		      struct th_resp *out)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	char a[200];
	CURLcode rc;

	memset(out, 0, sizeof(*out));
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, cert);
	curl_easy_setopt(c, CURLOPT_SSLVERSION, tls);
	curl_easy_setopt(c, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, keep_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	if (body) {
		h = curl_slist_append(h, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	}
	if (auth) {
		snprintf(a, sizeof(a), "Authorization: Bearer %s", auth);
		h = curl_slist_append(h, a);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	curl_easy_getinfo(c, CURLINFO_HTTP_VERSION, version);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return rc;
}

static void served(void **state)
{
	struct th_server srv;
	struct th_resp r;
	char url[200], hsts[120], tok[200];
	long version = 0;
	json_t *j;

	(void)state;
	th_serve(&srv, (const char *[]){ "--db", db, "--tls-cert", cert,
		 "--tls-key", key, NULL });
	/* HTTP/2 by ALPN, with HSTS, on TLS 1.2 at least. */
	snprintf(url, sizeof(url), "https://%s/healthz", srv.addr);
	assert_int_equal(https(url, "GET", NULL, NULL,
			       CURL_SSLVERSION_TLSv1_2, &version, &r),
			 CURLE_OK);
	assert_int_equal(r.status, 200);
	assert_int_equal(version, CURL_HTTP_VERSION_2_0);
	assert_non_null(th_header(&r, "strict-transport-security", hsts,
				  sizeof(hsts)));
	assert_string_equal(hsts, "max-age=31536000; includeSubDomains");
	th_resp_free(&r);
	/* A sign-in (a body) and a large answer over HTTP/2. */
	snprintf(url, sizeof(url), "https://%s/api/v1/auth/login", srv.addr);
	assert_int_equal(https(url, "POST", "{\"username\": \"tiepnhan\", "
			       "\"password\": \"motcua-demo\"}", NULL,
			       CURL_SSLVERSION_TLSv1_2, &version, &r),
			 CURLE_OK);
	assert_int_equal(r.status, 200);
	j = th_json(&r);
	snprintf(tok, sizeof(tok), "%s", th_str(j, "token"));
	json_decref(j);
	th_resp_free(&r);
	snprintf(url, sizeof(url), "https://%s/api/v1/procedures?limit=100",
		 srv.addr);
	assert_int_equal(https(url, "GET", NULL, tok, CURL_SSLVERSION_TLSv1_3,
			       &version, &r), CURLE_OK);
	assert_int_equal(r.status, 200);
	assert_true(r.len > 10000);
	th_resp_free(&r);
	/* TLS 1.1 and below: no handshake. */
	snprintf(url, sizeof(url), "https://%s/healthz", srv.addr);
	assert_int_not_equal(https(url, "GET", NULL, NULL,
				   CURL_SSLVERSION_TLSv1_0 |
				   CURL_SSLVERSION_MAX_TLSv1_1, &version, &r),
			     CURLE_OK);
	th_resp_free(&r);
	/* Plain HTTP on the TLS port gets nothing. */
	snprintf(url, sizeof(url), "http://%s/healthz", srv.addr);
	assert_true(th_http("GET", url, NULL, NULL, 0, &r) != 0 ||
		    r.status != 200);
	th_resp_free(&r);
	assert_int_equal(th_serve_stop(&srv), 0);
}

/* A key that is not the certificate's: refused at start, named. */
static void wrong_key(void **state)
{
	char *out = NULL, *err = NULL;

	(void)state;
	assert_int_equal(th_motcua((const char *[]){ "serve", "--db", db,
		"--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key",
		other, NULL }, NULL, &out, &err), 1);
	assert_non_null(strstr(err, "tls_key"));
	assert_non_null(strstr(err, "it must be the key of tls_cert"));
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(served),
		cmocka_unit_test(wrong_key),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
