/*
 * oidc.h — citizens signed in with VNeID (docs/citizens.md "VNeID"): the
 * relying party of an OpenID Connect provider — the national portal's
 * single sign-on, which federates VNeID, or VNeID itself — by the
 * authorization code flow with PKCE (S256), the client authenticated by
 * its secret in the token request (client_secret_post) when it has one.
 *
 * The provider's endpoints come from its discovery document
 * ({issuer}/.well-known/openid-configuration), kept an hour; its keys
 * (jwks_uri) until a token names one it does not know. Every call may
 * block for the provider (timeout_ms each request): run them off the
 * event loops. Thread-safe.
 */
#ifndef MC_JOBS_OIDC_H
#define MC_JOBS_OIDC_H

#include "core/compat.h"
#include "core/err.h"

struct mc_oidc_opts {
	const char *issuer;		/* exactly as the provider says it */
	const char *client_id;
	const char *client_secret;	/* "": a public client (PKCE only) */
	const char *redirect_uri;	/* .../api/v1/citizen/oidc/callback */
	const char *scopes;		/* "openid" and any more */
	const char *acr_values;		/* "": not asked (DVCQG: "LoA1") */
	const char *claim_id;		/* the personal ID's claim */
	const char *claim_name;		/* the full name's claim */
	int64_t timeout_ms;		/* each request to the provider */
};

struct mc_oidc;

/* Who the provider vouched for. */
struct mc_oidc_who {
	char sub[256];			/* its subject */
	char id_number[24];		/* claim_id: the personal ID */
	char name[256];			/* claim_name */
	char phone[16];			/* SoDienThoai, if any */
	char email[256];		/* ThuDienTu, if any */
};

/* A relying party for 'o' (its strings borrowed); asks nothing yet. */
struct mc_oidc *mc_oidc_new(const struct mc_oidc_opts *o);
void mc_oidc_free(struct mc_oidc *p);

/*
 * The provider's authorization URL for a sign-in with 'state', 'nonce'
 * and PKCE 'challenge' (base64url SHA-256 of the verifier) into 'out'.
 * MC_EIO / MC_ETIMEOUT when the provider could not be asked (discovery);
 * MC_EINVAL when its discovery document is wrong.
 */
int mc_oidc_auth_url(struct mc_oidc *p, const char *state, const char *nonce,
		     const char *challenge, char *out, size_t n,
		     struct mc_err *err);

/*
 * Finishes a sign-in: trades 'code' (with 'verifier') for tokens,
 * verifies the ID token (signature, issuer, audience, expiry, 'nonce')
 * at 'now', asks userinfo with the access token (the same subject), and
 * reads the person from the claims (userinfo's, else the ID token's).
 * 0 with 'out'; MC_EINVAL naming what was wrong (field "code": the
 * provider refused the code; "id_token"; "claims": no personal ID of 12
 * digits); MC_EIO / MC_ETIMEOUT when the provider did not answer.
 */
int mc_oidc_finish(struct mc_oidc *p, const char *code, const char *verifier,
		   const char *nonce, int64_t now, struct mc_oidc_who *out,
		   struct mc_err *err);

#endif /* MC_JOBS_OIDC_H */
