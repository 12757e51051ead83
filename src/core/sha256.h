/*
 * sha256.h — SHA-256 digests (OpenSSL), as lower-case hex.
 */
#ifndef MC_CORE_SHA256_H
#define MC_CORE_SHA256_H

#include "core/compat.h"

#define MC_SHA256_HEX 65		/* 64 hex digits and a NUL */

/* Writes the hex digest of p[0..n) into 'out'. Returns 'out'. */
char *mc_sha256_hex(const void *p, size_t n, char out[MC_SHA256_HEX]);

/* Whether 's' has the shape of such a digest: 64 lower-case hex digits. */
bool mc_sha256_hex_ok(const char *s);

#endif /* MC_CORE_SHA256_H */
