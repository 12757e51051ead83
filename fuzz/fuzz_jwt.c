/*
 * fuzz_jwt.c — OpenID Connect ID tokens (core/jwt.c mc_jwt_verify, run by
 * the VNeID sign-in's callback on what the provider's token endpoint
 * answers). The first byte chooses the mode:
 *   0  the rest is a token, checked against a JWKS of one RSA and one EC
 *      key made at start;
 *   1  the rest is "header\0claims": both base64url-encoded as they are
 *      and signed ES256 by the EC key, so that the claims are reached;
 *   2  the same signed RS256 by the RSA key;
 *   3  the rest is "jwks\0token": the provider's key set is fuzzed too.
 */
#include "fuzz.h"
#include "core/err.h"
#include "core/jwt.h"

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

static EVP_PKEY *rsa, *ec;
static json_t *jwks;

static json_t *b64_bn(const BIGNUM *bn, int width)
{
	unsigned char buf[512];
	char out[800];
	int n = width ? width : BN_num_bytes(bn);

	BN_bn2binpad(bn, buf, n);
	mc_b64url(buf, (size_t)n, out, sizeof(out));
	return json_string(out);
}

static void setup(void)
{
	BIGNUM *n = NULL, *e = NULL, *x = NULL, *y = NULL;

	rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	FZ_CHECK(rsa && ec);
	EVP_PKEY_get_bn_param(rsa, OSSL_PKEY_PARAM_RSA_N, &n);
	EVP_PKEY_get_bn_param(rsa, OSSL_PKEY_PARAM_RSA_E, &e);
	EVP_PKEY_get_bn_param(ec, OSSL_PKEY_PARAM_EC_PUB_X, &x);
	EVP_PKEY_get_bn_param(ec, OSSL_PKEY_PARAM_EC_PUB_Y, &y);
	jwks = json_pack("{s:[{s:s, s:s, s:s, s:s, s:o, s:o},"
			 " {s:s, s:s, s:s, s:o, s:o}]}", "keys",
			 "kty", "RSA", "use", "sig", "kid", "rsa1", "alg",
			 "RS256", "n", b64_bn(n, 0), "e", b64_bn(e, 0),
			 "kty", "EC", "crv", "P-256", "kid", "ec1",
			 "x", b64_bn(x, 32), "y", b64_bn(y, 32));
	FZ_CHECK(jwks != NULL);
	BN_free(n);
	BN_free(e);
	BN_free(x);
	BN_free(y);
}

/* "b64(head).b64(claims).b64(signature)" into a new string. */
static char *sign(EVP_PKEY *key, bool es256, const uint8_t *head,
		  size_t hn, const uint8_t *claims, size_t cn)
{
	size_t cap = 4 * (hn + cn) / 3 + 1024, slen;
	char *out = mc_malloc(cap);
	unsigned char sig[512], raw[64];
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	size_t len;

	mc_b64url(head, hn, out, cap);
	len = strlen(out);
	out[len++] = '.';
	mc_b64url(claims, cn, out + len, cap - len);
	len = strlen(out);
	slen = sizeof(sig);
	FZ_CHECK(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) == 1);
	FZ_CHECK(EVP_DigestSign(md, sig, &slen, (const unsigned char *)out,
				len) == 1);
	EVP_MD_CTX_free(md);
	if (es256) {
		/* DER to JOSE's r || s. */
		const unsigned char *p = sig;
		ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)slen);

		BN_bn2binpad(ECDSA_SIG_get0_r(es), raw, 32);
		BN_bn2binpad(ECDSA_SIG_get0_s(es), raw + 32, 32);
		ECDSA_SIG_free(es);
		memcpy(sig, raw, 64);
		slen = 64;
	}
	out[len++] = '.';
	mc_b64url(sig, slen, out + len, cap - len);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct mc_jwt_check ck = {
		"https://sso.example.vn", "motcua", "n-123", 1772409600, 60,
	};
	struct mc_err err = MC_ERR_INIT;
	json_t *claims = NULL, *keys;
	const uint8_t *rest = data + 1, *nul;
	size_t n = size ? size - 1 : 0;
	char *token;
	int rc;

	if (!rsa)
		setup();
	keys = jwks;
	if (size < 1)
		return 0;
	nul = memchr(rest, 0, n);
	switch (data[0] % 4) {
	case 1:
	case 2:
		if (!nul)
			return 0;
		token = data[0] % 4 == 1 ?
			sign(ec, true, rest, (size_t)(nul - rest), nul + 1,
			     n - (size_t)(nul - rest) - 1) :
			sign(rsa, false, rest, (size_t)(nul - rest), nul + 1,
			     n - (size_t)(nul - rest) - 1);
		break;
	case 3:
		if (!nul)
			return 0;
		keys = json_loadb((const char *)rest, (size_t)(nul - rest), 0,
				  NULL);
		if (!keys)
			return 0;
		token = fz_str(nul + 1, n - (size_t)(nul - rest) - 1);
		break;
	default:
		token = fz_str(rest, n);
		break;
	}
	rc = mc_jwt_verify(token, keys, &ck, &claims, &err);
	if (getenv("FUZZ_SHOW"))	/* what a seed reaches */
		fprintf(stderr, "fuzz_jwt: %d %s\n", rc, err.message);
	if (rc == 0) {
		FZ_CHECK(json_is_object(claims));
		json_decref(claims);
	}
	if (keys != jwks)
		json_decref(keys);
	mc_free(token);
	return 0;
}
