/*
 * test_keys.c — the installation's keys under files_dir/keys: the scan
 * key (files/certify.c) made once, read back the same, and made safely by
 * several processes starting at the same instant on one directory; the
 * units' X.509 keys and the CMS signatures of e-results (files/sign.c),
 * checked by our own code and by the openssl command.
 */
#include "core/compat.h"
#include "harness/harness.h"

#include "core/mem.h"
#include "core/sha256.h"
#include "files/certify.h"
#include "files/sign.h"

#include <openssl/sha.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_scan_key_race(void **state)
{
	enum { N = 8 };
	struct mc_certify_key k, again;
	struct mc_err err = MC_ERR_INIT;
	char dir[600], path[700];
	int fds[N][2], go[2], i, status;
	unsigned char pk[N][32];
	pid_t pid[N];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/race", th_tmpdir());
	assert_int_equal(mkdir(dir, 0700), 0);
	/* N processes, held at a pipe so that they start together. */
	assert_int_equal(pipe(go), 0);
	for (i = 0; i < N; i++) {
		assert_int_equal(pipe(fds[i]), 0);
		pid[i] = fork();
		assert_true(pid[i] >= 0);
		if (pid[i] == 0) {
			char c;

			close(go[1]);
			if (read(go[0], &c, 1) < 0)
				_exit(3);
			if (mc_certify_key_load(dir, &k, &err))
				_exit(1);
			_exit(write(fds[i][1], k.pk, 32) == 32 ? 0 : 2);
		}
		close(fds[i][1]);
	}
	close(go[0]);
	close(go[1]);	/* everyone reads EOF at once */
	for (i = 0; i < N; i++) {
		assert_int_equal(waitpid(pid[i], &status, 0), pid[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
		assert_int_equal(read(fds[i][0], pk[i], 32), 32);
		close(fds[i][0]);
	}
	for (i = 1; i < N; i++)
		assert_memory_equal(pk[0], pk[i], 32);
	/* Read back later: the same key; no temporary file left behind. */
	assert_int_equal(mc_certify_key_load(dir, &again, &err), 0);
	assert_memory_equal(again.pk, pk[0], 32);
	for (i = 0; i < N; i++) {
		snprintf(path, sizeof(path), "%s/keys/.scan.key.%ld", dir,
			 (long)pid[i]);
		assert_int_equal(access(path, F_OK), -1);
	}
	/* A damaged key is an error, not a silent new identity. */
	snprintf(path, sizeof(path), "%s/keys/scan.key", dir);
	assert_int_equal(truncate(path, 10), 0);
	assert_int_equal(mc_certify_key_load(dir, &again, &err), MC_EIO);
	assert_non_null(strstr(err.message, "is not a key"));
	mc_err_clear(&err);
}

/* Runs a shell command line; its exit status. */
static int sh(const char *fmt, ...) MC_PRINTF(1, 2);
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

static void test_unit_certificates(void **state)
{
	static const char content[] = "%PDF-1.4\nKết quả: Giấy khai sinh\n";
	struct mc_err err = MC_ERR_INIT;
	struct mc_signer *s = NULL;
	struct mc_cert_info info, ca;
	unsigned char digest[32], other[32], *der = NULL;
	char dir[400], path[600], sig[700], doc[700];
	const char *t = th_tmpdir();
	size_t n = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/pki", t);
	/* No CA, no unit key. */
	assert_int_equal(mc_signer_load(dir, "000.00.01.H55", &s, &err),
			 MC_ENOTFOUND);
	mc_err_clear(&err);
	assert_int_equal(mc_keys_issue(dir, "000.00.01.H55", "Sở Tư pháp",
				       "UBND tỉnh", 0, 30, false, &err),
			 MC_ENOTFOUND);
	mc_err_clear(&err);
	assert_int_equal(mc_keys_make_ca(dir, "CA thử nghiệm motcua", 0, 3650,
					 &err), 0);
	assert_int_equal(mc_keys_make_ca(dir, "again", 0, 10, &err),
			 MC_ECONFLICT);
	mc_err_clear(&err);
	assert_int_equal(mc_keys_issue(dir, "../x", "x", "", 0, 30, false, &err),
			 MC_EINVAL);
	mc_err_clear(&err);
	assert_int_equal(mc_keys_issue(dir, "000.00.01.H55", "Sở Tư pháp",
				       "UBND tỉnh Quảng Ngãi", 0, 730, false,
				       &err), 0);
	assert_int_equal(mc_keys_issue(dir, "000.00.01.H55", "Sở Tư pháp",
				       "", 0, 730, false, &err), MC_ECONFLICT);
	mc_err_clear(&err);
	/* The key is the unit's alone. */
	snprintf(path, sizeof(path), "%s/keys/units/000.00.01.H55.key", dir);
	{
		struct stat st;

		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
	}
	assert_int_equal(mc_signer_load(dir, "000.00.01.H55", &s, &err), 0);
	info = *mc_signer_info(s);
	assert_non_null(strstr(info.subject, "CN=Sở Tư pháp"));
	assert_non_null(strstr(info.subject, "OU=000.00.01.H55"));
	assert_non_null(strstr(info.issuer, "CN=CA thử nghiệm motcua"));
	assert_true(info.not_after - info.not_before > 729 * 86400);
	snprintf(path, sizeof(path), "%s/keys/ca.crt", dir);
	assert_int_equal(mc_keys_cert_info(path, &ca, &err), 0);
	assert_string_equal(ca.subject, info.issuer);

	/* Sign the digest of a file; check it ourselves. */
	SHA256((const unsigned char *)content, strlen(content), digest);
	assert_int_equal(mc_sign_digest(s, digest, 1782000000, &der, &n, &err),
			 0);
	assert_true(n > 300);
	assert_int_equal(mc_sign_check(der, n, digest, &info, &err), 0);
	assert_string_equal(info.sha256, mc_signer_info(s)->sha256);
	memcpy(other, digest, 32);
	other[7] ^= 1;
	assert_int_equal(mc_sign_check(der, n, other, NULL, &err), MC_EINVAL);
	assert_non_null(strstr(err.message, "other content"));
	mc_err_clear(&err);
	der[n - 5] ^= 0x40;	/* inside the signature value */
	assert_int_equal(mc_sign_check(der, n, digest, NULL, &err), MC_EINVAL);
	mc_err_clear(&err);
	der[n - 5] ^= 0x40;
	assert_int_equal(mc_sign_check((const unsigned char *)"junk", 4,
				       digest, NULL, &err), MC_EINVAL);
	mc_err_clear(&err);

	/* And the openssl command agrees, with the file itself. */
	snprintf(sig, sizeof(sig), "%s/result.p7s", t);
	snprintf(doc, sizeof(doc), "%s/result.pdf", t);
	assert_int_equal(th_write_file(doc, content), 0);
	assert_int_equal(th_write_bytes(sig, der, n), 0);
	assert_int_equal(sh("openssl cms -verify -binary -inform DER -in '%s' "
			    "-content '%s' -CAfile '%s/keys/ca.crt' "
			    "-out /dev/null 2>/dev/null", sig, doc, dir), 0);
	/* signingTime is the instant given. */
	assert_int_equal(sh("openssl cms -cmsout -print -inform DER -in '%s' "
			    "| grep -q 'UTCTIME:Jun 21 00:00:00 2026 GMT'",
			    sig), 0);
	/* A changed byte of the file, or another CA: refused. */
	assert_int_equal(th_write_file(doc, "%PDF-1.4\nKết quả: Giấy khai "
				       "tử\n"), 0);
	assert_int_not_equal(sh("openssl cms -verify -binary -inform DER -in "
				"'%s' -content '%s' -CAfile '%s/keys/ca.crt' "
				"-out /dev/null 2>/dev/null", sig, doc, dir),
			     0);
	assert_int_equal(th_write_file(doc, content), 0);
	snprintf(path, sizeof(path), "%s/other", t);
	assert_int_equal(mc_keys_make_ca(path, "Another CA", 0, 10, &err), 0);
	assert_int_not_equal(sh("openssl cms -verify -binary -inform DER -in "
				"'%s' -content '%s' -CAfile '%s/keys/ca.crt' "
				"-out /dev/null 2>/dev/null", sig, doc, path),
			     0);
	mc_free(der);
	mc_signer_free(s);

	/* Import: a key that is not the certificate's is refused. */
	assert_int_equal(mc_keys_issue(path, "U1", "Đơn vị 1", "", 0, 30, false,
				       &err), 0);
	{
		char k1[800], c0[800];

		snprintf(k1, sizeof(k1), "%s/keys/units/U1.key", path);
		snprintf(c0, sizeof(c0), "%s/keys/units/000.00.01.H55.crt",
			 dir);
		assert_int_equal(mc_keys_import(dir, "U2", k1, c0, NULL, &err),
				 MC_EINVAL);
		assert_string_equal(err.fields[0].field, "key");
		mc_err_clear(&err);
		snprintf(c0, sizeof(c0), "%s/keys/units/U1.crt", path);
		assert_int_equal(mc_keys_import(dir, "U2", k1, c0, NULL, &err),
				 0);
		assert_int_equal(mc_signer_load(dir, "U2", &s, &err), 0);
		assert_non_null(strstr(mc_signer_info(s)->subject,
				       "CN=Đơn vị 1"));
		mc_signer_free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_key_race),
		cmocka_unit_test(test_unit_certificates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
