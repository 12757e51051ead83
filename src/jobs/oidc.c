/*
 * oidc.c — the relying party of VNeID sign-in (see oidc.h).
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/jwt.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "jobs/oidc.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>

#define DISCOVERY_TTL_NS (3600LL * 1000000000LL)
#define ANSWER_MAX (1 << 20)		/* a provider's answer, at most */
#define LEEWAY_S 120			/* its clock and ours */

struct mc_oidc {
	struct mc_oidc_opts o;
	pthread_mutex_t lock;
	json_t *meta;			/* discovery; under lock */
	int64_t meta_at_ns;
	json_t *jwks;			/* its keys; under lock */
};

struct mc_oidc *mc_oidc_new(const struct mc_oidc_opts *o)
{
	struct mc_oidc *p = mc_calloc(1, sizeof(*p));

	p->o = *o;
	pthread_mutex_init(&p->lock, NULL);
	return p;
}

void mc_oidc_free(struct mc_oidc *p)
{
	if (!p)
		return;
	json_decref(p->meta);
	json_decref(p->jwks);
	pthread_mutex_destroy(&p->lock);
	mc_free(p);
}

static size_t gather(char *p, size_t size, size_t n, void *arg)
{
	return mc_buf_add(arg, p, size * n) ? 0 : size * n;
}

/*
 * A request to the provider: GET 'url' (with 'bearer' if not NULL), or
 * POST form 'form'. 0 with the HTTP status in '*status' and the answer
 * as JSON in '*out' (NULL when it is not JSON); MC_EIO / MC_ETIMEOUT.
 */
static int ask(const struct mc_oidc *p, const char *url, const char *form,
	       const char *bearer, long *status, json_t **out,
	       struct mc_err *err)
{
	char errbuf[CURL_ERROR_SIZE] = "", auth[8300];
	struct curl_slist *hd = NULL;
	struct mc_buf b = MC_BUF_INIT(ANSWER_MAX);
	CURL *curl = curl_easy_init();
	CURLcode cc;
	int rc = 0;

	*out = NULL;
	*status = 0;
	if (!curl)
		return mc_error(err, MC_ENOMEM, "oidc: no HTTP client");
	hd = curl_slist_append(hd, "Accept: application/json");
	if (bearer) {
		if ((size_t)snprintf(auth, sizeof(auth), "Authorization: "
				     "Bearer %s", bearer) >= sizeof(auth)) {
			curl_slist_free_all(hd);
			curl_easy_cleanup(curl);
			return mc_error(err, MC_EIO, "the sign-in provider's "
					"access token is too long");
		}
		hd = curl_slist_append(hd, auth);
	}
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hd);
	if (form)
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, gather);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
			 (long)(p->o.timeout_ms > 0 ? p->o.timeout_ms : 10000));
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	cc = curl_easy_perform(curl);
	if (cc == CURLE_OPERATION_TIMEDOUT)
		rc = mc_error(err, MC_ETIMEOUT, "the sign-in provider did not "
			      "answer %s in %" PRId64 " ms", url,
			      p->o.timeout_ms);
	else if (cc != CURLE_OK)
		rc = mc_error(err, MC_EIO, "the sign-in provider: %s: %s", url,
			      errbuf[0] ? errbuf : curl_easy_strerror(cc));
	else {
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
		*out = json_loadb(b.buf ? b.buf : "", b.len, 0, NULL);
		if (*status >= 500)
			rc = mc_error(err, MC_EIO, "the sign-in provider: %s: "
				      "HTTP %ld", url, *status);
	}
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	sodium_memzero(auth, sizeof(auth));
	curl_slist_free_all(hd);
	curl_easy_cleanup(curl);
	mc_buf_release(&b);
	return rc;
}

/*
 * An endpoint of the discovery document, or NULL: https (plain http only
 * for a provider whose issuer itself is, as on loopback in the tests),
 * nothing that could break out of a header.
 */
static const char *meta_str(const json_t *meta, const char *name)
{
	const char *v = json_string_value(json_object_get(meta, name));
	const char *issuer = json_string_value(json_object_get(meta,
							       "issuer"));
	const char *p;

	if (!v || !issuer)
		return NULL;
	for (p = v; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return NULL;
	if (!strncmp(v, "https://", 8))
		return v;
	return !strncmp(v, "http://", 7) && !strncmp(issuer, "http://", 7) ?
	       v : NULL;
}

/* The discovery document (a reference: caller decrefs), asked if old. */
static int discover(struct mc_oidc *p, json_t **out, struct mc_err *err)
{
	char url[1024];
	json_t *meta;
	long status;
	int rc;

	pthread_mutex_lock(&p->lock);
	if (p->meta && mc_time_mono_ns() - p->meta_at_ns < DISCOVERY_TTL_NS) {
		*out = json_incref(p->meta);
		pthread_mutex_unlock(&p->lock);
		return 0;
	}
	pthread_mutex_unlock(&p->lock);
	snprintf(url, sizeof(url), "%s/.well-known/openid-configuration",
		 p->o.issuer);
	if ((rc = ask(p, url, NULL, NULL, &status, &meta, err))) {
		/* Kept while it cannot be asked again: sign-ins go on. */
		pthread_mutex_lock(&p->lock);
		if (p->meta) {
			*out = json_incref(p->meta);
			rc = 0;
		}
		pthread_mutex_unlock(&p->lock);
		return rc;
	}
	/* It must name itself as configured, and say where everything is. */
	if (status != 200 || !meta ||
	    !json_is_string(json_object_get(meta, "issuer")) ||
	    strcmp(json_string_value(json_object_get(meta, "issuer")),
		   p->o.issuer) ||
	    !meta_str(meta, "authorization_endpoint") ||
	    !meta_str(meta, "token_endpoint") ||
	    !meta_str(meta, "jwks_uri")) {
		json_decref(meta);
		return mc_error(err, MC_EIO, "the sign-in provider's discovery "
				"document (%s) is missing or not for issuer "
				"%s", url, p->o.issuer);
	}
	pthread_mutex_lock(&p->lock);
	json_decref(p->meta);
	p->meta = json_incref(meta);
	p->meta_at_ns = mc_time_mono_ns();
	pthread_mutex_unlock(&p->lock);
	*out = meta;
	return 0;
}

/* The provider's keys (caller decrefs); asked again when 'fresh'. */
static int keys(struct mc_oidc *p, const json_t *meta, bool fresh,
		json_t **out, struct mc_err *err)
{
	json_t *jwks;
	long status;
	int rc;

	pthread_mutex_lock(&p->lock);
	if (p->jwks && !fresh) {
		*out = json_incref(p->jwks);
		pthread_mutex_unlock(&p->lock);
		return 0;
	}
	pthread_mutex_unlock(&p->lock);
	if ((rc = ask(p, meta_str(meta, "jwks_uri"), NULL, NULL, &status,
		      &jwks, err)))
		return rc;
	if (status != 200 || !json_is_array(json_object_get(jwks, "keys"))) {
		json_decref(jwks);
		return mc_error(err, MC_EIO, "the sign-in provider's keys "
				"(%s) are missing", meta_str(meta, "jwks_uri"));
	}
	pthread_mutex_lock(&p->lock);
	json_decref(p->jwks);
	p->jwks = json_incref(jwks);
	pthread_mutex_unlock(&p->lock);
	*out = jwks;
	return 0;
}

/* Appends "&name=value" (value escaped) to 'out'. */
static void param(char *out, size_t n, const char *name, const char *value)
{
	char *v = curl_easy_escape(NULL, value, 0);
	size_t len = strlen(out);

	snprintf(out + len, n - len, "%s%s=%s", len && out[len - 1] != '?' ?
		 "&" : "", name, v ? v : "");
	curl_free(v);
}

int mc_oidc_auth_url(struct mc_oidc *p, const char *state, const char *nonce,
		     const char *challenge, char *out, size_t n,
		     struct mc_err *err)
{
	const char *ep;
	json_t *meta;
	int rc;

	if ((rc = discover(p, &meta, err)))
		return rc;
	ep = meta_str(meta, "authorization_endpoint");
	snprintf(out, n, "%s%s", ep, strchr(ep, '?') ? "&" : "?");
	param(out, n, "response_type", "code");
	param(out, n, "client_id", p->o.client_id);
	param(out, n, "redirect_uri", p->o.redirect_uri);
	param(out, n, "scope", p->o.scopes);
	param(out, n, "state", state);
	param(out, n, "nonce", nonce);
	param(out, n, "code_challenge", challenge);
	param(out, n, "code_challenge_method", "S256");
	if (p->o.acr_values && *p->o.acr_values)
		param(out, n, "acr_values", p->o.acr_values);
	json_decref(meta);
	if (strlen(out) + 1 >= n)
		return mc_error(err, MC_EINTERNAL, "oidc: the authorization "
				"URL is too long");
	return 0;
}

/*
 * A claim's text: of the signed ID token 'idt', else of userinfo 'ui'
 * (where the portal's single sign-on puts the person); "" when the two
 * disagree, which neither is believed on.
 */
static const char *claim(const json_t *ui, const json_t *idt,
			 const char *name)
{
	const char *a = json_string_value(json_object_get(idt, name));
	const char *b = json_string_value(json_object_get(ui, name));

	if (a && b && strcmp(a, b))
		return "";
	return a ? a : b;
}

/* The person the claims name, into 'out'. */
static int person(const struct mc_oidc *p, const json_t *ui,
		  const json_t *idt, struct mc_oidc_who *out,
		  struct mc_err *err)
{
	const char *id = claim(ui, idt, p->o.claim_id);
	const char *name = claim(ui, idt, p->o.claim_name), *v;
	size_t i;

	for (i = 0; id && id[i] >= '0' && id[i] <= '9'; i++)
		;
	if (!id || i != 12 || id[i])
		return mc_err_field(err, "claims", "id_number", "the provider "
				    "gave no personal ID of 12 digits "
				    "(claim %s)", p->o.claim_id);
	snprintf(out->id_number, sizeof(out->id_number), "%s", id);
	snprintf(out->name, sizeof(out->name), "%s", name ? name : "");
	/* The contact the portal's account holds, where it fits. */
	if ((v = claim(ui, idt, "SoDienThoai")) && strlen(v) < 16)
		snprintf(out->phone, sizeof(out->phone), "%s", v);
	if ((v = claim(ui, idt, "ThuDienTu")) && strlen(v) < 256)
		snprintf(out->email, sizeof(out->email), "%s", v);
	return 0;
}

int mc_oidc_finish(struct mc_oidc *p, const char *code, const char *verifier,
		   const char *nonce, int64_t now, struct mc_oidc_who *out,
		   struct mc_err *err)
{
	struct mc_jwt_check ck = { p->o.issuer, p->o.client_id, nonce, now,
				   LEEWAY_S };
	json_t *meta = NULL, *tok = NULL, *jwks = NULL, *idt = NULL;
	json_t *ui = NULL;
	const char *id_token, *access, *ue, *sub;
	char form[8192] = "";
	long status;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = discover(p, &meta, err)))
		return rc;
	param(form, sizeof(form), "grant_type", "authorization_code");
	param(form, sizeof(form), "code", code);
	param(form, sizeof(form), "redirect_uri", p->o.redirect_uri);
	param(form, sizeof(form), "code_verifier", verifier);
	param(form, sizeof(form), "client_id", p->o.client_id);
	if (p->o.client_secret && *p->o.client_secret)
		param(form, sizeof(form), "client_secret",
		      p->o.client_secret);
	/* Cut short, it would say something else: refused whole. */
	if (strlen(form) + 1 >= sizeof(form)) {
		sodium_memzero(form, sizeof(form));
		rc = mc_err_field(err, "code", "length", "the token request "
				  "is too long");
		goto out;
	}
	rc = ask(p, meta_str(meta, "token_endpoint"), form, NULL, &status,
		 &tok, err);
	sodium_memzero(form, sizeof(form));
	if (rc)
		goto out;
	id_token = json_string_value(json_object_get(tok, "id_token"));
	access = json_string_value(json_object_get(tok, "access_token"));
	if (status != 200 || !id_token || !access) {
		const char *e = json_string_value(json_object_get(tok,
							       "error"));
		const char *d = json_string_value(json_object_get(tok,
					"error_description"));

		rc = mc_err_field(err, "code", "grant", "the provider refused "
				  "the code (HTTP %ld%s%s%s%s)", status,
				  e ? ", " : "", e ? e : "", d ? ": " : "",
				  d ? d : "");
		goto out;
	}
	/* Its keys: asked again once when it names one not known. */
	if (!(rc = keys(p, meta, false, &jwks, err)) &&
	    (rc = mc_jwt_verify(id_token, jwks, &ck, &idt, err)) ==
	    MC_ENOTFOUND) {
		json_decref(jwks);
		jwks = NULL;
		*err = (struct mc_err)MC_ERR_INIT;
		if (!(rc = keys(p, meta, true, &jwks, err)))
			rc = mc_jwt_verify(id_token, jwks, &ck, &idt, err);
		if (rc == MC_ENOTFOUND)
			rc = mc_err_field(err, "id_token", "key", "no key of "
					  "the provider signed the token");
	}
	if (rc)
		goto out;
	sub = json_string_value(json_object_get(idt, "sub"));
	snprintf(out->sub, sizeof(out->sub), "%s", sub);
	/* Userinfo, where the portal's single sign-on puts the person. */
	if ((ue = meta_str(meta, "userinfo_endpoint"))) {
		if ((rc = ask(p, ue, NULL, access, &status, &ui, err)))
			goto out;
		if (status != 200 || !json_is_object(ui) ||
		    !json_is_string(json_object_get(ui, "sub")) ||
		    strcmp(json_string_value(json_object_get(ui, "sub")),
			   sub)) {
			rc = mc_err_field(err, "claims", "userinfo", "the "
					  "provider's userinfo (HTTP %ld) is "
					  "not of the signed-in subject",
					  status);
			goto out;
		}
	}
	rc = person(p, ui, idt, out, err);
out:
	json_decref(meta);
	json_decref(tok);
	json_decref(jwks);
	json_decref(idt);
	json_decref(ui);
	return rc;
}
