/*
 * certify.h — the key that certifies scans (docs/files.md
 * "Digitization"): an Ed25519 key of this installation, made on first
 * start under files_dir/keys, with which the officer's certification of
 * a scan is signed. The public key is published for anyone to verify.
 */
#ifndef MC_FILES_CERTIFY_H
#define MC_FILES_CERTIFY_H

#include "core/compat.h"
#include "core/err.h"

#define MC_CERTIFY_SIG_B64 89		/* base64 of 64 bytes, and the NUL */

struct mc_certify_key {
	unsigned char sk[64];
	unsigned char pk[32];
};

/* Loads files_dir/keys/scan.key, making it (mode 0600) if missing. */
int mc_certify_key_load(const char *files_dir, struct mc_certify_key *k,
			struct mc_err *err);

/*
 * The message certified for a scan, one item a line: "motcua-scan-v1",
 * the file's SHA-256, the dossier code, the component code, the
 * officer's username, the instant (UTC, as stored).
 */
int mc_certify_message(char *out, size_t n, const char *sha256,
		       const char *dossier, const char *component,
		       const char *officer, int64_t at);

/* The detached signature of 'msg', as base64. */
void mc_certify_sign(const struct mc_certify_key *k, const char *msg,
		     char out[MC_CERTIFY_SIG_B64]);

#endif /* MC_FILES_CERTIFY_H */
