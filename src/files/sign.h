/*
 * sign.h — the units' signing keys and X.509 certificates, and the CMS
 * (PKCS#7) detached signatures of e-results (docs/e-results.md).
 *
 * Keys live beside the scan key under files_dir/keys:
 *
 *	ca.key, ca.crt			the installation's own CA (the demo
 *					one of 'motcua demo'; absent when
 *					units hold certificates of a
 *					licensed CA)
 *	units/<unit code>.key		the unit's private key (0600, PEM)
 *	units/<unit code>.crt		its certificate, then any chain (PEM)
 *
 * A signature is made over the SHA-256 the file is stored under (the
 * content store re-checks it on every read), so signing costs the same
 * for a 1 KB and a 100 MB result: the CMS SignedData carries the
 * content-type, signing-time and message-digest attributes, the signer's
 * certificate and chain, and no content. 'openssl cms -verify -binary
 * -content FILE' checks it against the file itself.
 */
#ifndef MC_FILES_SIGN_H
#define MC_FILES_SIGN_H

#include "core/compat.h"
#include "core/err.h"

/* A unit's key and certificate, loaded. */
struct mc_signer;

/* What a certificate says, for people and for the record. */
struct mc_cert_info {
	char subject[256];		/* one line, RFC 2253 */
	char issuer[256];
	char sha256[65];		/* fingerprint of the DER, hex */
	int64_t not_before, not_after;	/* Unix seconds */
	char serial[80];		/* hex */
};

/*
 * Loads unit 'unit_code''s key and certificate from files_dir/keys/units.
 * MC_ENOTFOUND when the unit has none; MC_EIO naming the file when one is
 * unreadable or the key does not belong to the certificate.
 */
int mc_signer_load(const char *files_dir, const char *unit_code,
		   struct mc_signer **out, struct mc_err *err);
void mc_signer_free(struct mc_signer *s);
const struct mc_cert_info *mc_signer_info(const struct mc_signer *s);
/* The certificate (and chain), PEM; owned by 's'. */
const char *mc_signer_pem(const struct mc_signer *s);

/*
 * The DER of a detached CMS signature by 's' over content whose SHA-256
 * is 'digest', signed at 'at'; '*der' is mc_malloc'd.
 */
int mc_sign_digest(const struct mc_signer *s, const unsigned char digest[32],
		   int64_t at, unsigned char **der, size_t *n,
		   struct mc_err *err);

/*
 * Checks a detached CMS signature against content whose SHA-256 is
 * 'digest': the message digest it carries is that one and the signer's
 * signature over its attributes holds with the certificate it carries.
 * It does not judge the certificate (its chain and dates); fills 'info'
 * with it when not NULL. 0, or MC_EINVAL saying what failed.
 */
int mc_sign_check(const unsigned char *der, size_t n,
		  const unsigned char digest[32], struct mc_cert_info *info,
		  struct mc_err *err);

/*
 * Key management (motcua keys). Certificates are valid for 'days' from
 * 'from' (Unix seconds; 0: five minutes ago).
 */

/* Whether 'code' may name a key file: letters, digits, '.', '-', '_'. */
bool mc_keys_unit_code_ok(const char *code);

/* Makes the installation's CA, "CN=<name>"; MC_ECONFLICT if one exists. */
int mc_keys_make_ca(const char *files_dir, const char *name, int64_t from,
		    int days, struct mc_err *err);
/*
 * Issues unit 'code' a key and a certificate from the installation's CA:
 * "CN=<name>, OU=<code>, O=<org>, C=VN", for signing documents.
 * MC_ENOTFOUND without a CA; MC_ECONFLICT if the unit has a certificate
 * and 'renew' is false.
 */
int mc_keys_issue(const char *files_dir, const char *code, const char *name,
		  const char *org, int64_t from, int days, bool renew,
		  struct mc_err *err);
/*
 * Installs a key and certificate made elsewhere (a licensed CA) for unit
 * 'code' after checking that they belong together; 'chain' may be NULL.
 */
int mc_keys_import(const char *files_dir, const char *code,
		   const char *key_file, const char *cert_file,
		   const char *chain_file, struct mc_err *err);
/* Reads the certificate in PEM file 'path'. */
int mc_keys_cert_info(const char *path, struct mc_cert_info *out,
		      struct mc_err *err);

#endif /* MC_FILES_SIGN_H */
