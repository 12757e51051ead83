/*
 * sha256.c — SHA-256 through OpenSSL's EVP interface.
 */
#include "core/compat.h"
#include "core/mem.h"
#include "core/sha256.h"

#include <openssl/evp.h>

char *mc_sha256_hex(const void *p, size_t n, char out[MC_SHA256_HEX])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;

	if (!EVP_Digest(p, n, md, &len, EVP_sha256(), NULL))
		mc_panic("SHA-256 failed");
	for (i = 0; i < len && i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	return out;
}

bool mc_sha256_hex_ok(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}
