/*
 * certify.c — the key that certifies scans (see certify.h).
 */
#include "core/compat.h"
#include "core/timeutil.h"
#include "files/certify.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_key(const char *path, struct mc_certify_key *k,
		    struct mc_err *err)
{
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? 1 : mc_error(err, MC_EIO,
			"cannot open %s: %s", path, strerror(errno));
	got = read(fd, k->sk, sizeof(k->sk));
	close(fd);
	if (got != (ssize_t)sizeof(k->sk))
		return mc_error(err, MC_EIO, "%s is not a key", path);
	crypto_sign_ed25519_sk_to_pk(k->pk, k->sk);
	return 0;
}

/*
 * Several processes may start at once on one files_dir (a cluster on one
 * machine): the key is written whole under a private name and linked
 * into place, so a reader never sees half a key and exactly one maker
 * wins; the others read the winner's.
 */
int mc_certify_key_load(const char *files_dir, struct mc_certify_key *k,
			struct mc_err *err)
{
	char dir[600], path[640], tmp[700];
	int fd, rc, e;

	snprintf(dir, sizeof(dir), "%s/keys", files_dir);
	snprintf(path, sizeof(path), "%s/scan.key", dir);
	if (mkdir(dir, 0700) && errno != EEXIST)
		return mc_error(err, MC_EIO, "cannot create %s: %s", dir,
				strerror(errno));
	if ((rc = read_key(path, k, err)) <= 0)
		return rc;
	snprintf(tmp, sizeof(tmp), "%s/.scan.key.%ld", dir, (long)getpid());
	crypto_sign_keypair(k->pk, k->sk);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, k->sk, sizeof(k->sk)) != (ssize_t)sizeof(k->sk)
	    || fsync(fd)) {
		e = errno;
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		return mc_error(err, MC_EIO, "cannot write %s: %s", tmp,
				strerror(e));
	}
	close(fd);
	rc = link(tmp, path);
	e = errno;
	unlink(tmp);
	if (rc == 0)
		return 0;
	if (e != EEXIST)
		return mc_error(err, MC_EIO, "cannot write %s: %s", path,
				strerror(e));
	rc = read_key(path, k, err);
	return rc > 0 ? mc_error(err, MC_EIO, "%s vanished", path) : rc;
}

int mc_certify_message(char *out, size_t n, const char *sha256,
		       const char *dossier, const char *component,
		       const char *officer, int64_t at)
{
	char when[24];

	mc_time_format_utc(at, when, sizeof(when));
	return snprintf(out, n, "motcua-scan-v1\n%s\n%s\n%s\n%s\n%s", sha256,
			dossier, component, officer, when);
}

void mc_certify_sign(const struct mc_certify_key *k, const char *msg,
		     char out[MC_CERTIFY_SIG_B64])
{
	unsigned char sig[crypto_sign_BYTES];

	crypto_sign_detached(sig, NULL, (const unsigned char *)msg,
			     strlen(msg), k->sk);
	sodium_bin2base64(out, MC_CERTIFY_SIG_B64, sig, sizeof(sig),
			  sodium_base64_VARIANT_ORIGINAL);
}
