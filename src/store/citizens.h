/*
 * citizens.h — citizens and organizations as stored (docs/citizens.md):
 * who they are and their contact on record (from their latest dossier),
 * one-time sign-in codes, and their sessions.
 */
#ifndef MC_STORE_CITIZENS_H
#define MC_STORE_CITIZENS_H

#include "core/compat.h"
#include "core/err.h"
#include "store/catalog.h"
#include "store/outbox.h"
#include "store/store.h"

struct mc_dossier;

struct mc_citizen {
	int64_t id;
	char kind[16];			/* person, organization */
	char id_number[24];		/* 12-digit ID or tax code */
	char name[MC_NAME_MAX];
	char phone[16];
	char email[256];
	char province_code[16];
	bool vneid;			/* the session: signed in with VNeID */
};

/*
 * Write, inside the intake's transaction: records the dossier's applicant
 * as a citizen; the contact given with the latest dossier becomes the one
 * on record, and a phone or e-mail it replaces is told so through 'n'
 * (event contact_changed: the one-time codes go elsewhere from now on).
 */
struct mc_notify;
int mc_citizen_note(struct mc_conn *c, const struct mc_notify *n,
		    const struct mc_dossier *d, int64_t now,
		    struct mc_err *err);

/* The citizen with 'id_number': 0 or MC_ENOTFOUND. */
int mc_citizen_get(struct mc_conn *c, const char *id_number,
		   struct mc_citizen *out, struct mc_err *err);

/* A request for a one-time sign-in code. */
struct mc_otp_req {
	const char *id_number;
	enum mc_msg_channel channel;
	const char *peer;		/* the client's address, kept */
	int64_t now;
	int64_t ttl_s;			/* the code's life */
	int max_per_window;		/* codes per citizen per window */
	int64_t window_s;
	const struct mc_notify *notify;	/* how the code is sent */
};

/*
 * Write: issues a 6-digit code to the citizen's contact on record for
 * the channel, stored as a keyed hash, and queues it (urgent) in the same
 * transaction. Returns 0; MC_ENOTFOUND when there is no such citizen or
 * no contact on that channel (the caller answers as for 0, so the answer
 * tells no one who is on record); MC_EBUSY when the citizen has had
 * max_per_window codes in the window ('*retry_s' says how long until
 * another may be asked for).
 */
int mc_otp_issue(struct mc_conn *c, const struct mc_otp_req *r,
		 int64_t *retry_s, struct mc_err *err);

enum mc_otp_result {
	MC_OTP_OK,			/* signed in: session created */
	MC_OTP_WRONG,			/* wrong code: one attempt used */
	MC_OTP_NONE,			/* no live code (expired, used, none) */
	MC_OTP_SPENT			/* too many wrong attempts */
};

/*
 * Write: checks 'code' against the citizen's newest live code (in
 * constant time); a wrong one uses up an attempt (recorded: the write
 * succeeds), 'max_attempts' of them end the code. A right one is used up
 * and a session 'token_hash' created until now + session_ttl_s. Returns 0
 * with '*result' (and 'out' on MC_OTP_OK), or an error.
 */
int mc_otp_verify(struct mc_conn *c, const char *id_number, const char *code,
		  int max_attempts, const char *token_hash, int64_t now,
		  int64_t session_ttl_s, enum mc_otp_result *result,
		  struct mc_citizen *out, struct mc_err *err);

/* The citizen of a live session: 0 or MC_ENOTFOUND. */
int mc_citizen_session(struct mc_conn *c, const char *token_hash, int64_t now,
		       struct mc_citizen *out, int64_t *expires,
		       struct mc_err *err);

/* Write: ends a session; MC_ENOTFOUND if none is open. */
int mc_citizen_logout(struct mc_conn *c, const char *token_hash, int64_t now,
		      struct mc_err *err);

/* A sign-in with the provider (OpenID Connect), on its way. */
struct mc_oidc_login {
	char state_hash[65];		/* SHA-256 hex of the state */
	char browser_hash[65];		/* of the cookie that began it */
	char nonce[64];
	char verifier[96];		/* PKCE code_verifier */
	char return_to[512];		/* a path of this site */
};

/*
 * Write: keeps sign-in 'l' until now + ttl_s, and forgets those whose
 * time has passed.
 */
int mc_oidc_login_open(struct mc_conn *c, const struct mc_oidc_login *l,
		       int64_t now, int64_t ttl_s, struct mc_err *err);
/* Sign-in 'state_hash' if it is still on its way: 0 or MC_ENOTFOUND. */
int mc_oidc_login_get(struct mc_conn *c, const char *state_hash, int64_t now,
		      struct mc_oidc_login *out, struct mc_err *err);
/*
 * Write: ends sign-in 'state_hash' (once: MC_ENOTFOUND when it was ended
 * or has expired) for the person the provider vouched for — 'id_number'
 * (a 12-digit personal ID), 'name', its subject 'sub' — recorded as a
 * citizen if motcua did not know them (their name as the provider has
 * it; the contact on record stays what their dossiers gave), and keeps a
 * one-time ticket 'ticket_hash' for them until now + ticket_ttl_s.
 */
int mc_oidc_login_done(struct mc_conn *c, const char *state_hash,
		       const char *id_number, const char *name,
		       const char *phone, const char *email,
		       const char *sub, const char *ticket_hash, int64_t now,
		       int64_t ticket_ttl_s, struct mc_err *err);
/*
 * Write: trades ticket 'ticket_hash' (once, before it expires, in the
 * browser 'browser_hash' that began the sign-in; else MC_ENOTFOUND) for
 * a session 'token_hash' until now + session_ttl_s; the citizen into
 * 'out'.
 */
int mc_oidc_ticket_take(struct mc_conn *c, const char *ticket_hash,
			const char *browser_hash, const char *token_hash,
			int64_t now, int64_t session_ttl_s,
			struct mc_citizen *out, struct mc_err *err);

#endif /* MC_STORE_CITIZENS_H */
