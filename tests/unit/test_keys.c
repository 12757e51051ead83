/*
 * test_keys.c — the installation's keys under files_dir/keys
 * (files/certify.c): made once, read back the same, and made safely by
 * several processes starting at the same instant on one directory.
 */
#include "core/compat.h"
#include "harness/harness.h"

#include "files/certify.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_key_race),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
