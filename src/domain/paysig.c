/*
 * paysig.c — payment platform signatures (see paysig.h).
 */
#include "core/compat.h"
#include "domain/paysig.h"

#include <sodium.h>

static void hex_of(crypto_auth_hmacsha256_state *st, char out[MC_PAYSIG_HEX])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_final(st, mac);
	sodium_bin2hex(out, MC_PAYSIG_HEX, mac, sizeof(mac));
	sodium_memzero(mac, sizeof(mac));
}

void mc_paysig_callback(const char *key, const char *timestamp,
			const char *nonce, const char *body, size_t len,
			char out[MC_PAYSIG_HEX])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key,
				    strlen(key));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)timestamp,
				      strlen(timestamp));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)nonce,
				      strlen(nonce));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	hex_of(&st, out);
}

void mc_paysig_link(const char *key, const char *query,
		    char out[MC_PAYSIG_HEX])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key,
				    strlen(key));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)query,
				      strlen(query));
	hex_of(&st, out);
}

bool mc_paysig_equal(const char *given, const char want[MC_PAYSIG_HEX])
{
	char g[MC_PAYSIG_HEX];
	size_t n = strlen(given);

	/* Lengths are public; only equal-length strings are compared. */
	if (n != MC_PAYSIG_HEX - 1)
		return false;
	memcpy(g, given, MC_PAYSIG_HEX);
	return sodium_memcmp(g, want, MC_PAYSIG_HEX - 1) == 0;
}
