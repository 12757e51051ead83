/*
 * paysig.h — signatures between motcua and the payment platforms
 * (docs/payments.md "Payment platforms"): HMAC-SHA256 under the
 * platform's shared key, written as 64 lower-case hex digits.
 *
 *   callback: HMAC(key, timestamp "." nonce "." body), sent as
 *             X-Motcua-Signature: sha256=<hex>
 *   link:     HMAC(key, the query string before "&signature=")
 */
#ifndef MC_DOMAIN_PAYSIG_H
#define MC_DOMAIN_PAYSIG_H

#include "core/compat.h"

#define MC_PAYSIG_HEX 65		/* 64 hex digits and the NUL */

void mc_paysig_callback(const char *key, const char *timestamp,
			const char *nonce, const char *body, size_t len,
			char out[MC_PAYSIG_HEX]);
void mc_paysig_link(const char *key, const char *query,
		    char out[MC_PAYSIG_HEX]);
/* Whether 'given' is the hex signature 'want', in constant time. */
bool mc_paysig_equal(const char *given, const char want[MC_PAYSIG_HEX]);

#endif /* MC_DOMAIN_PAYSIG_H */
