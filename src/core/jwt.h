/*
 * jwt.h — the ID tokens of OpenID Connect (RFC 7519, 7515, 7517, 7518):
 * a compact JWS signed RS256 or ES256 by a key of the provider's JWKS,
 * checked in full before a single claim is believed. Pure: the keys and
 * the time are the caller's.
 */
#ifndef MC_CORE_JWT_H
#define MC_CORE_JWT_H

#include "core/compat.h"
#include "core/err.h"

struct json_t;

/* What an ID token must say, besides being signed. */
struct mc_jwt_check {
	const char *issuer;		/* "iss", exactly */
	const char *audience;		/* "aud": it, or an array with it */
	const char *nonce;		/* "nonce", exactly; NULL: none asked */
	int64_t now;			/* seconds */
	int64_t leeway_s;		/* clocks' disagreement allowed */
};

/*
 * Verifies 'token': its header names RS256 or ES256 (never "none", never
 * a MAC) and a key of 'jwks' ({"keys": [...]}) by "kid" (without one:
 * the only key of its type); the signature over its first two parts is
 * that key's; then "iss", "aud" (and "azp", when given or with several
 * audiences), "exp" (not past), "iat" and "nbf" (not ahead) and "nonce"
 * as 'ck' says. 0 with the claims in '*claims'
 * (caller decrefs); MC_ENOTFOUND when no key of 'jwks' has its "kid"
 * (the provider may have rotated its keys: ask again); MC_EINVAL, field
 * "id_token", naming what failed.
 */
int mc_jwt_verify(const char *token, const struct json_t *jwks,
		  const struct mc_jwt_check *ck, struct json_t **claims,
		  struct mc_err *err);

/* Writes p[0..n) base64url without padding into 'out' (NUL-ended). */
void mc_b64url(const void *p, size_t n, char *out, size_t cap);

#endif /* MC_CORE_JWT_H */
