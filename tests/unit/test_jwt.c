/*
 * test_jwt.c — ID tokens: signed here with keys made for the test (RSA
 * 2048 and P-256, by OpenSSL), checked by mc_jwt_verify against the
 * keys' JWKS; every way a token can be wrong is refused, naming why.
 */
#include "core/compat.h"
#include "harness/harness.h"
#include "core/jwt.h"

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#define NOW 1700000000

static EVP_PKEY *rsa, *ec, *other;
static json_t *jwks;

/* A member of a JWK: big-endian 'bn' base64url, padded to 'width'. */
static json_t *b64_bn(const BIGNUM *bn, int width)
{
	unsigned char buf[512];
	char out[800];
	int n = width ? width : BN_num_bytes(bn);

	BN_bn2binpad(bn, buf, n);
	mc_b64url(buf, (size_t)n, out, sizeof(out));
	return json_string(out);
}

static json_t *rsa_jwk(EVP_PKEY *k, const char *kid)
{
	BIGNUM *n = NULL, *e = NULL;
	json_t *j;

	EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N, &n);
	EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &e);
	j = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "kty", "RSA", "use",
		      "sig", "kid", kid, "alg", "RS256", "n", b64_bn(n, 0),
		      "e", b64_bn(e, 0));
	BN_free(n);
	BN_free(e);
	return j;
}

static json_t *ec_jwk(EVP_PKEY *k, const char *kid)
{
	BIGNUM *x = NULL, *y = NULL;
	json_t *j;

	EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_EC_PUB_X, &x);
	EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_EC_PUB_Y, &y);
	j = json_pack("{s:s, s:s, s:s, s:o, s:o}", "kty", "EC", "crv",
		      "P-256", "kid", kid, "x", b64_bn(x, 32), "y",
		      b64_bn(y, 32));
	BN_free(x);
	BN_free(y);
	return j;
}

static int setup(void **state)
{
	(void)state;
	rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	other = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	jwks = json_pack("{s:[o, o]}", "keys", rsa_jwk(rsa, "r1"),
			 ec_jwk(ec, "e1"));
	return rsa && other && ec && jwks ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(other);
	EVP_PKEY_free(ec);
	json_decref(jwks);
	return 0;
}

/*
 * "<header>.<claims>.<signature>" by 'key' ('alg' in the header; "" no
 * signature at all), into 'out'.
 */
static void sign(EVP_PKEY *key, const char *alg, const char *kid,
		 json_t *claims, char *out, size_t cap)
{
	json_t *head = json_pack("{s:s, s:s}", "alg", alg, "typ", "JWT");
	char *h, *c, part[4096], *input;
	unsigned char sig[512], raw[64];
	size_t slen = sizeof(sig);
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	if (kid)
		json_object_set_new(head, "kid", json_string(kid));
	h = json_dumps(head, JSON_COMPACT);
	c = json_dumps(claims, JSON_COMPACT);
	json_decref(head);
	json_decref(claims);
	mc_b64url(h, strlen(h), part, sizeof(part));
	snprintf(out, cap, "%s.", part);
	mc_b64url(c, strlen(c), part, sizeof(part));
	snprintf(out + strlen(out), cap - strlen(out), "%s", part);
	free(h);
	free(c);
	input = strdup(out);
	snprintf(out + strlen(out), cap - strlen(out), ".");
	if (*alg && strcmp(alg, "none")) {
		assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(),
						    NULL, key), 1);
		assert_int_equal(EVP_DigestSign(md, sig, &slen,
			(const unsigned char *)input, strlen(input)), 1);
		if (!strcmp(alg, "ES256")) {
			/* DER to JOSE's r || s. */
			const unsigned char *p = sig;
			ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)slen);

			BN_bn2binpad(ECDSA_SIG_get0_r(es), raw, 32);
			BN_bn2binpad(ECDSA_SIG_get0_s(es), raw + 32, 32);
			ECDSA_SIG_free(es);
			memcpy(sig, raw, 64);
			slen = 64;
		}
		mc_b64url(sig, slen, part, sizeof(part));
		snprintf(out + strlen(out), cap - strlen(out), "%s", part);
	}
	EVP_MD_CTX_free(md);
	free(input);
}

static json_t *claims(void)
{
	return json_pack("{s:s, s:s, s:s, s:i, s:i, s:s}", "iss",
			 "https://sso.example.vn", "sub", "acc-1", "aud",
			 "motcua", "iat", NOW - 10, "exp", NOW + 300, "nonce",
			 "n-123");
}

static const struct mc_jwt_check check = {
	"https://sso.example.vn", "motcua", "n-123", NOW, 60
};

/* 0 or the rule the verification names. */
static const char *verify(const char *token, int *rc)
{
	static char rule[64];
	struct mc_err err = MC_ERR_INIT;
	json_t *c = NULL;

	*rc = mc_jwt_verify(token, jwks, &check, &c, &err);
	if (!*rc) {
		assert_string_equal(json_string_value(json_object_get(c,
					"sub")), "acc-1");
		json_decref(c);
		return "";
	}
	assert_null(c);
	snprintf(rule, sizeof(rule), "%s", err.nfields ? err.fields[0].rule :
		 "");
	if (err.nfields)
		assert_string_equal(err.fields[0].field, "id_token");
	return rule;
}

static void good(void **state)
{
	char t[8192];
	int rc;

	(void)state;
	sign(rsa, "RS256", "r1", claims(), t, sizeof(t));
	assert_string_equal(verify(t, &rc), "");
	sign(ec, "ES256", "e1", claims(), t, sizeof(t));
	assert_string_equal(verify(t, &rc), "");
	/* Without a kid: the only key of its type. */
	sign(rsa, "RS256", NULL, claims(), t, sizeof(t));
	assert_string_equal(verify(t, &rc), "");
	/* An audience among several, issued to us; the clocks a little
	 * apart. */
	{
		json_t *c = claims();

		json_object_set_new(c, "aud", json_pack("[s, s]", "other",
							"motcua"));
		json_object_set_new(c, "azp", json_string("motcua"));
		json_object_set_new(c, "iat", json_integer(NOW + 30));
		json_object_set_new(c, "exp", json_integer(NOW - 30));
		sign(rsa, "RS256", "r1", c, t, sizeof(t));
		assert_string_equal(verify(t, &rc), "");
	}
}

static void forged(void **state)
{
	char t[8192];
	size_t n;
	int rc;

	(void)state;
	/* Several audiences, and no word of whom it was issued to. */
	{
		json_t *c = claims();

		json_object_set_new(c, "aud", json_pack("[s, s]", "other",
							"motcua"));
		sign(rsa, "RS256", "r1", c, t, sizeof(t));
		assert_string_equal(verify(t, &rc), "azp");
	}
	/* Signed by a key that is not the provider's, under its kid. */
	sign(other, "RS256", "r1", claims(), t, sizeof(t));
	assert_string_equal(verify(t, &rc), "signature");
	/* One character of the claims changed after signing. */
	sign(rsa, "RS256", "r1", claims(), t, sizeof(t));
	n = (size_t)(strchr(t, '.') - t) + 5;
	t[n] = t[n] == 'A' ? 'B' : 'A';
	assert_int_not_equal(verify(t, &rc)[0], '\0');
	assert_int_equal(rc, MC_EINVAL);
	/* "none", a MAC, an unknown kid, two parts, garbage. */
	sign(rsa, "none", "r1", claims(), t, sizeof(t));
	assert_string_equal(verify(t, &rc), "alg");
	sign(rsa, "HS256", "r1", claims(), t, sizeof(t));
	assert_string_equal(verify(t, &rc), "alg");
	sign(rsa, "RS256", "r9", claims(), t, sizeof(t));
	verify(t, &rc);
	assert_int_equal(rc, MC_ENOTFOUND);
	assert_string_equal(verify("eyJhbGciOiJSUzI1NiJ9.e30", &rc),
			    "format");
	assert_string_equal(verify("a.b.c", &rc), "format");
	/* The EC key's signature under the RSA key's name. */
	sign(ec, "ES256", "r1", claims(), t, sizeof(t));
	verify(t, &rc);
	assert_int_equal(rc, MC_ENOTFOUND);
	/* A provider's key of 1024 bits, however padded: refused. */
	{
		EVP_PKEY *small = EVP_PKEY_Q_keygen(NULL, NULL, "RSA",
						    (size_t)1024);
		json_t *saved = jwks, *k = rsa_jwk(small, "s1");
		BIGNUM *bn = NULL;
		unsigned char pad[300];
		char b64[500];

		/* n given as 256 bytes: 128 leading zeros. */
		EVP_PKEY_get_bn_param(small, OSSL_PKEY_PARAM_RSA_N, &bn);
		BN_bn2binpad(bn, pad, 256);
		mc_b64url(pad, 256, b64, sizeof(b64));
		json_object_set_new(k, "n", json_string(b64));
		BN_free(bn);
		jwks = json_pack("{s:[o]}", "keys", k);
		sign(small, "RS256", "s1", claims(), t, sizeof(t));
		assert_string_equal(verify(t, &rc), "key");
		json_decref(jwks);
		jwks = saved;
		EVP_PKEY_free(small);
	}
}

static void wrong_claims(void **state)
{
	static const struct {
		const char *name;
		int value_kind;		/* 0 string, 1 integer, 2 remove */
		const char *s;
		long long i;
		const char *rule;
	} cases[] = {
		{ "iss", 0, "https://evil.example", 0, "issuer" },
		{ "aud", 0, "another-client", 0, "audience" },
		{ "exp", 1, NULL, NOW - 61, "expired" },
		{ "exp", 2, NULL, 0, "expired" },
		{ "iat", 1, NULL, NOW + 61, "not_yet" },
		{ "nbf", 1, NULL, NOW + 120, "not_yet" },
		{ "nonce", 0, "n-999", 0, "nonce" },
		{ "nonce", 2, NULL, 0, "nonce" },
		{ "sub", 0, "", 0, "sub" },
		{ "azp", 0, "another-client", 0, "azp" },
	};
	char t[8192];
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *c = claims();

		if (cases[i].value_kind == 0)
			json_object_set_new(c, cases[i].name,
					    json_string(cases[i].s));
		else if (cases[i].value_kind == 1)
			json_object_set_new(c, cases[i].name,
					    json_integer(cases[i].i));
		else
			json_object_del(c, cases[i].name);
		sign(rsa, "RS256", "r1", c, t, sizeof(t));
		assert_string_equal(verify(t, &rc), cases[i].rule);
		assert_int_equal(rc, MC_EINVAL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good),
		cmocka_unit_test(forged),
		cmocka_unit_test(wrong_claims),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
