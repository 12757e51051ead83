/*
 * jwt.c — ID tokens checked (see jwt.h), with OpenSSL 3's EVP.
 */
#include "core/compat.h"
#include "core/jwt.h"
#include "core/mem.h"

#include <jansson.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>

#define MAX_TOKEN 16384

static int bad(struct mc_err *err, const char *rule, const char *what)
{
	return mc_err_field(err, "id_token", rule, "%s", what);
}

void mc_b64url(const void *p, size_t n, char *out, size_t cap)
{
	sodium_bin2base64(out, cap, p, n,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* Decodes base64url 's' (of 'len' chars) into 'out'; its length or -1. */
static long unb64(const char *s, size_t len, unsigned char *out, size_t cap)
{
	size_t n = 0;

	if (sodium_base642bin(out, cap, s, len, NULL, &n, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		return -1;
	return (long)n;
}

/* A JSON object from base64url 's' of 'len' chars, or NULL. */
static json_t *part_json(const char *s, size_t len)
{
	unsigned char *buf = mc_malloc(len + 1);
	long n = unb64(s, len, buf, len + 1);
	json_t *j = n < 0 ? NULL : json_loadb((const char *)buf, (size_t)n,
					      JSON_REJECT_DUPLICATES, NULL);

	mc_free(buf);
	if (j && !json_is_object(j)) {
		json_decref(j);
		j = NULL;
	}
	return j;
}

/* A big-endian integer member 'name' of JWK 'k' into 'out'. */
static long member_bin(const json_t *k, const char *name, unsigned char *out,
		       size_t cap)
{
	const char *v = json_string_value(json_object_get(k, name));

	return v ? unb64(v, strlen(v), out, cap) : -1;
}

/* An RSA public key from JWK 'k' (n, e). */
static EVP_PKEY *rsa_key(const json_t *k)
{
	unsigned char n[1024], e[16];
	long nn = member_bin(k, "n", n, sizeof(n)),
	     en = member_bin(k, "e", e, sizeof(e));
	OSSL_PARAM_BLD *b;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	BIGNUM *bn = NULL, *be = NULL;

	/*
	 * 2048 bits at least (counted on the key made, not the bytes given:
	 * leading zeros do not count); an exponent odd and at least 3.
	 */
	if (nn < 256 || en < 1 || !(e[en - 1] & 1) ||
	    (en == 1 && e[0] < 3))
		return NULL;
	bn = BN_bin2bn(n, (int)nn, NULL);
	be = BN_bin2bn(e, (int)en, NULL);
	if (!(b = OSSL_PARAM_BLD_new()))
		goto out;
	if (bn && be && OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_N, bn) &&
	    OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_E, be))
		params = OSSL_PARAM_BLD_to_param(b);
	OSSL_PARAM_BLD_free(b);
	if (params && (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) &&
	    EVP_PKEY_fromdata_init(ctx) == 1)
		EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
	if (key && EVP_PKEY_get_bits(key) < 2048) {
		EVP_PKEY_free(key);
		key = NULL;
	}
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	BN_free(bn);
	BN_free(be);
	return key;
}

/* A P-256 public key from JWK 'k' (crv, x, y). */
static EVP_PKEY *ec_key(const json_t *k)
{
	const char *crv = json_string_value(json_object_get(k, "crv"));
	unsigned char pt[65], x[40], y[40];
	long xn = member_bin(k, "x", x, sizeof(x)),
	     yn = member_bin(k, "y", y, sizeof(y));
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *key = NULL;
	char group[] = "prime256v1";

	if (!crv || strcmp(crv, "P-256") || xn != 32 || yn != 32)
		return NULL;
	pt[0] = 0x04;			/* uncompressed: x then y */
	memcpy(pt + 1, x, 32);
	memcpy(pt + 33, y, 32);
	params[0] = OSSL_PARAM_construct_utf8_string(
		OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(
		OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof(pt));
	params[2] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) &&
	    EVP_PKEY_fromdata_init(ctx) == 1)
		EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
	EVP_PKEY_CTX_free(ctx);
	return key;
}

/*
 * The key of 'jwks' for 'kid' (NULL: the only one of type 'kty'), usable
 * for signatures; NULL when there is none (or more than one without kid).
 */
static const json_t *find_key(const json_t *jwks, const char *kid,
			      const char *kty)
{
	const json_t *found = NULL, *k;
	size_t i;
	int n = 0;

	json_array_foreach(json_object_get(jwks, "keys"), i, k) {
		const char *t = json_string_value(json_object_get(k, "kty"));
		const char *id = json_string_value(json_object_get(k, "kid"));
		const char *use = json_string_value(json_object_get(k, "use"));

		if (!t || strcmp(t, kty) || (use && strcmp(use, "sig")))
			continue;
		if (kid && (!id || strcmp(id, kid)))
			continue;
		found = k;
		n++;
	}
	return n == 1 ? found : NULL;
}

/* ES256's raw r || s as the DER ECDSA-Sig-Value OpenSSL verifies. */
static int ecdsa_der(const unsigned char *raw, unsigned char **der)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(raw, 32, NULL), *s = BN_bin2bn(raw + 32, 32,
							      NULL);
	int n = -1;

	if (sig && r && s && ECDSA_SIG_set0(sig, r, s) == 1) {
		r = s = NULL;		/* the signature's now */
		n = i2d_ECDSA_SIG(sig, der);
	}
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(sig);
	return n;
}

/* Whether 'sig' of 'data' verifies with 'key' (SHA-256). */
static bool sig_ok(EVP_PKEY *key, const unsigned char *sig, size_t slen,
		   const char *data, size_t dlen)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	bool ok = md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL,
					     key) == 1 &&
		  EVP_DigestVerify(md, sig, slen, (const unsigned char *)data,
				   dlen) == 1;

	EVP_MD_CTX_free(md);
	return ok;
}

/* A NumericDate claim; false when absent (or not a number). */
static bool date_of(const json_t *claims, const char *name, int64_t *out)
{
	const json_t *v = json_object_get(claims, name);

	/* Seconds as an integer, within what a date can be. */
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > ((json_int_t)1 << 40))
		return false;
	*out = json_integer_value(v);
	return true;
}

/* The claims of a verified token, checked against 'ck'. */
static int claims_ok(const json_t *c, const struct mc_jwt_check *ck,
		     struct mc_err *err)
{
	const char *iss = json_string_value(json_object_get(c, "iss"));
	const char *nonce = json_string_value(json_object_get(c, "nonce"));
	const json_t *aud = json_object_get(c, "aud"), *a;
	int64_t exp, t;
	bool for_us = false;
	size_t i;

	if (!iss || strcmp(iss, ck->issuer))
		return bad(err, "issuer", "the token was not issued by the "
			   "configured provider");
	if (json_is_string(aud))
		for_us = !strcmp(json_string_value(aud), ck->audience);
	json_array_foreach(aud, i, a)
		for_us |= json_is_string(a) &&
			  !strcmp(json_string_value(a), ck->audience);
	if (!for_us)
		return bad(err, "audience", "the token is not for this client");
	/*
	 * OpenID Connect Core 3.1.3.7: the party it was issued to, when
	 * named (and it must be with several audiences), is this client.
	 */
	{
		const char *azp = json_string_value(json_object_get(c, "azp"));

		if ((azp && strcmp(azp, ck->audience)) ||
		    (!azp && json_array_size(aud) > 1))
			return bad(err, "azp", "the token was issued to "
				   "another party");
	}
	if (!date_of(c, "exp", &exp) || exp + ck->leeway_s <= ck->now)
		return bad(err, "expired", "the token has expired");
	if ((date_of(c, "iat", &t) && t - ck->leeway_s > ck->now) ||
	    (date_of(c, "nbf", &t) && t - ck->leeway_s > ck->now))
		return bad(err, "not_yet", "the token is from the future");
	if (ck->nonce && (!nonce || strcmp(nonce, ck->nonce)))
		return bad(err, "nonce", "the token is not the answer to this "
			   "sign-in");
	if (!json_is_string(json_object_get(c, "sub")) ||
	    !*json_string_value(json_object_get(c, "sub")))
		return bad(err, "sub", "the token names no subject");
	return 0;
}

int mc_jwt_verify(const char *token, const json_t *jwks,
		  const struct mc_jwt_check *ck, json_t **claims,
		  struct mc_err *err)
{
	const char *d1, *d2, *alg, *kid;
	unsigned char sig[1100], *der = NULL;
	json_t *head = NULL, *body = NULL;
	const json_t *k;
	EVP_PKEY *key = NULL;
	long slen;
	int rc, dlen = 0;
	bool es;

	*claims = NULL;
	if (!token || strlen(token) > MAX_TOKEN || !(d1 = strchr(token, '.')) ||
	    !(d2 = strchr(d1 + 1, '.')) || strchr(d2 + 1, '.'))
		return bad(err, "format", "not a signed JWT (three parts)");
	if (!(head = part_json(token, (size_t)(d1 - token))) ||
	    !(body = part_json(d1 + 1, (size_t)(d2 - d1 - 1)))) {
		rc = bad(err, "format", "a part of the token is not JSON");
		goto out;
	}
	alg = json_string_value(json_object_get(head, "alg"));
	kid = json_string_value(json_object_get(head, "kid"));
	/* Only what a provider signs with: never "none", never a MAC. */
	if (!alg || (strcmp(alg, "RS256") && strcmp(alg, "ES256"))) {
		rc = bad(err, "alg", "the token is not signed RS256 or ES256");
		goto out;
	}
	if (json_object_get(head, "crit")) {
		rc = bad(err, "crit", "the token asks for extensions");
		goto out;
	}
	es = !strcmp(alg, "ES256");
	if (!(k = find_key(jwks, kid, es ? "EC" : "RSA"))) {
		rc = mc_error(err, MC_ENOTFOUND, "no key of the provider "
			      "signed the token (kid %s)", kid ? kid : "none");
		goto out;
	}
	if (!(key = es ? ec_key(k) : rsa_key(k))) {
		rc = bad(err, "key", "the provider's key is not usable");
		goto out;
	}
	slen = unb64(d2 + 1, strlen(d2 + 1), sig, sizeof(sig));
	if (es) {
		if (slen != 64 || (dlen = ecdsa_der(sig, &der)) <= 0) {
			rc = bad(err, "signature", "the signature is "
				 "malformed");
			goto out;
		}
	}
	if (slen <= 0 || !(es ? sig_ok(key, der, (size_t)dlen, token,
				       (size_t)(d2 - token)) :
			   sig_ok(key, sig, (size_t)slen, token,
				  (size_t)(d2 - token)))) {
		rc = bad(err, "signature", "the signature does not verify");
		goto out;
	}
	if (!(rc = claims_ok(body, ck, err))) {
		*claims = body;
		body = NULL;
	}
out:
	OPENSSL_free(der);
	EVP_PKEY_free(key);
	json_decref(head);
	json_decref(body);
	return rc;
}
