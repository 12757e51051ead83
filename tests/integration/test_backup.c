/*
 * test_backup.c — the restore drill (docs/operations.md "Backups"): a
 * demo province with signed e-results (files and keys) is backed up while
 * counter officers keep taking dossiers in over HTTP; the backup verifies,
 * is restored into a new place, and the restored installation holds a
 * consistent moment — the manifest's counts, every file by its hash,
 * every event chain unbroken — that lies between the load's start and
 * end. A second backup links the files the first holds. A damaged file
 * is found and named; a restore never overwrites.
 */
#include "core/compat.h"
#include "harness/harness.h"
#include "files/blobs.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>

static struct th_server srv;
static char db[600], counter[128];
static atomic_bool stop;
static atomic_int taken;

static int setup(void **state)
{
	char *out = NULL, *err = NULL;

	(void)state;
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	th_path(db, sizeof(db), "drill.db");
	/* The demo's e-results: stored files, and the units' keys. */
	if (th_motcua((const char *[]){ "demo", "--db", db, "--dossiers",
				       "40", NULL }, NULL, &out, &err))
		fail_msg("demo: %s %s", out, err);
	free(out);
	free(err);
	th_serve(&srv, (const char *[]){ "--db", db, "--durability", "full",
		 NULL });
	th_login(srv.base, "tiepnhan", "motcua-demo", counter,
		 sizeof(counter));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(th_serve_stop(&srv), 0);
	return 0;
}

/* A counter officer taking dossiers in until told to stop. */
static void *load(void *arg)
{
	int i = 0;

	(void)arg;
	while (!atomic_load(&stop)) {
		char id[24], name[64];
		json_t *j = NULL;

		snprintf(id, sizeof(id), "0510900%05d", i % 100000);
		snprintf(name, sizeof(name), "Người Nộp Thứ %d", i++);
		if (th_api(srv.base, "POST", "/api/v1/dossiers", counter,
			   json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, "
			   "s:[{s:s, s:b}, {s:s, s:b}, {s:s, s:b}]}",
			   "procedure_code", "9.000016", "channel", "direct",
			   "applicant", "kind", "person", "id_number", id,
			   "name", name, "phone", "0905111000", "components",
			   "code", "TP01", "provided", 1, "code", "TP02",
			   "provided", 1, "code", "TP03", "provided", 1),
			   &j) == 201)
			atomic_fetch_add(&taken, 1);
		json_decref(j);
	}
	return NULL;
}

/* The one backup directory made under 'dir' after 'not' ("" none). */
static void newest(const char *dir, const char *not, char *out, size_t n)
{
	char cmd[800], *text;

	snprintf(cmd, sizeof(cmd), "ls -1 '%s' | grep '^motcua-' | grep -v "
		 "'^%s$' | tail -1 > '%s/newest.txt'", dir, not[0] ? not :
		 "-", th_tmpdir());
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/newest.txt", th_tmpdir());
	text = th_read_file(cmd, NULL);
	assert_non_null(text);
	text[strcspn(text, "\n")] = '\0';
	assert_true(text[0] != '\0');
	snprintf(out, n, "%s/%s", dir, text);
	free(text);
}

static void drill(void **state)
{
	char bk[700], first[800], second[800], target[700], tdb[760];
	char tfiles[760], path[900], *out = NULL, *err = NULL;
	int64_t before, after, counted, nfiles;
	pthread_t th;
	json_t *m, *f;
	size_t i;
	int rc;

	(void)state;
	th_path(bk, sizeof(bk), "backups");
	before = th_db_int(db, "SELECT COUNT(*) FROM dossiers", NULL);
	assert_true(th_db_int(db, "SELECT COUNT(*) FROM files", NULL) > 0);
	assert_int_equal(pthread_create(&th, NULL, load, NULL), 0);
	while (atomic_load(&taken) < 20)
		usleep(10 * 1000);
	/* While the counter works. */
	rc = th_motcua((const char *[]){ "backup", "--to", bk, "--db", db,
				       NULL }, NULL, &out, &err);
	if (rc)
		fail_msg("backup: %s %s", out, err);
	free(out);
	free(err);
	usleep(200 * 1000);
	atomic_store(&stop, true);
	pthread_join(th, NULL);
	after = th_db_int(db, "SELECT COUNT(*) FROM dossiers", NULL);
	assert_true(after > before + 20);
	newest(bk, "", first, sizeof(first));

	rc = th_motcua((const char *[]){ "backup", "verify", first, NULL },
		       NULL, &out, &err);
	if (rc)
		fail_msg("verify: %s %s", out, err);
	assert_non_null(strstr(out, ": intact"));
	free(out);
	free(err);

	/* The moment it holds: between the load's start and its end. */
	snprintf(path, sizeof(path), "%s/manifest.json", first);
	m = json_load_file(path, 0, NULL);
	assert_non_null(m);
	counted = json_integer_value(json_object_get(json_object_get(m,
				     "counts"), "dossiers"));
	assert_true(counted > before && counted <= after);
	nfiles = (int64_t)json_array_size(json_object_get(m, "files"));
	assert_true(nfiles > 0);
	assert_true(json_array_size(json_object_get(m, "keys")) > 0);

	/* Restored into a new place: the same moment, whole. */
	th_path(target, sizeof(target), "restored");
	snprintf(tdb, sizeof(tdb), "%s/motcua.db", target);
	snprintf(tfiles, sizeof(tfiles), "%s/files", target);
	rc = th_motcua((const char *[]){ "restore", first, "--db", tdb,
				       "--files-dir", tfiles, NULL }, NULL, &out,
		       &err);
	if (rc)
		fail_msg("restore: %s %s", out, err);
	free(out);
	free(err);
	assert_int_equal(th_db_int(tdb, "SELECT COUNT(*) FROM dossiers",
				   NULL), counted);
	assert_int_equal(th_db_int(tdb, "SELECT COUNT(*) FROM files", NULL),
			 nfiles);
	json_array_foreach(json_object_get(m, "files"), i, f) {
		struct mc_err e = MC_ERR_INIT;

		if (mc_blob_verify(tfiles, th_str(f, "sha256"),
				   json_integer_value(json_object_get(f,
				   "size")), &e))
			fail_msg("restored file: %s", e.message);
	}
	rc = th_motcua((const char *[]){ "audit", "verify", "--db", tdb,
				       NULL }, NULL, &out, &err);
	if (rc)
		fail_msg("audit of the restored: %s %s", out, err);
	assert_non_null(strstr(out, ", 0 broken chains"));
	free(out);
	free(err);
	/* Never over an installation. */
	assert_int_equal(th_motcua((const char *[]){ "restore", first, "--db",
		tdb, "--files-dir", tfiles, NULL }, NULL, NULL, NULL), 2);

	/* A second backup links what the first holds. */
	sleep(1);
	rc = th_motcua((const char *[]){ "backup", "--to", bk, "--db", db,
				       NULL }, NULL, &out, &err);
	if (rc)
		fail_msg("second backup: %s %s", out, err);
	assert_non_null(strstr(err, " linked from motcua-"));
	free(out);
	free(err);
	newest(bk, strrchr(first, '/') + 1, second, sizeof(second));
	{
		struct stat st;
		char one[MC_BLOB_PATH_MAX];

		snprintf(path, sizeof(path), "%s/files", second);
		mc_blob_path(path, th_str(json_array_get(json_object_get(m,
			     "files"), 0), "sha256"), one, sizeof(one));
		assert_int_equal(stat(one, &st), 0);
		assert_true(st.st_nlink >= 2);
	}

	/* A damaged file in the first backup: found, and named. */
	{
		char victim[MC_BLOB_PATH_MAX];
		const char *sha = th_str(json_array_get(json_object_get(m,
					 "files"), 0), "sha256");
		FILE *fp;

		snprintf(path, sizeof(path), "%s/files", first);
		mc_blob_path(path, sha, victim, sizeof(victim));
		fp = fopen(victim, "r+b");
		assert_non_null(fp);
		fputc('X', fp);
		fclose(fp);
		rc = th_motcua((const char *[]){ "backup", "verify", first,
					       NULL }, NULL, &out, &err);
		assert_int_equal(rc, 1);
		assert_non_null(strstr(out, "damaged: file"));
		assert_non_null(strstr(out, sha));
		free(out);
		free(err);
	}
	json_decref(m);
}

/* The value of metric 'name' in a /metrics text, or -1. */
static double metric(const char *text, const char *name)
{
	const char *p = text;
	size_t n = strlen(name);

	while ((p = strstr(p, name))) {
		if ((p == text || p[-1] == '\n') && p[n] == ' ')
			return strtod(p + n + 1, NULL);
		p += n;
	}
	return -1;
}

/* How many backups in 'dir' have a manifest ("whole"), and names of
 * those into 'names' (one a line). */
static int whole_backups(const char *dir, char *names, size_t n)
{
	char cmd[900], *text;
	int count = 0;
	char *line, *save = NULL;

	snprintf(cmd, sizeof(cmd), "cd '%s' && ls -1d motcua-*/manifest.json "
		 "2>/dev/null | cut -d/ -f1 > '%s/whole.txt'; true", dir,
		 th_tmpdir());
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/whole.txt", th_tmpdir());
	text = th_read_file(cmd, NULL);
	assert_non_null(text);
	snprintf(names, n, "%s", text);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		count++;
	free(text);
	return count;
}

/*
 * Scheduled backups: motcua serve makes one every backup_interval into
 * backup_dir, keeps the newest backup_keep, removes older ones and an
 * unfinished one older than the newest whole backup, says so in
 * /metrics; each backup it keeps verifies.
 */
static void scheduled(void **state)
{
	struct th_server s2;
	char dir[600], path[800], names[4096], url[160], sdb[600];
	struct th_resp r;
	double made = 0;
	char *line, *save = NULL;
	int i;

	(void)state;
	th_path(dir, sizeof(dir), "scheduled");
	/* Left by earlier days: a whole old backup, one cut off. */
	snprintf(path, sizeof(path), "%s/motcua-20200101T000000Z/files", dir);
	{
		char cmd[2600];

		snprintf(cmd, sizeof(cmd), "mkdir -p '%s' '%s/motcua-"
			 "20200102T000000Z' && echo '{}' > '%s/motcua-"
			 "20200102T000000Z/manifest.json'", path, dir, dir);
		assert_int_equal(system(cmd), 0);
	}
	/* Its own installation: the drill has damaged a file of its own. */
	th_demo_db(sdb, sizeof(sdb), "scheduled");
	th_serve(&s2, (const char *[]){ "--db", sdb, "--backup-dir", dir,
		 "--backup-interval", "2s", "--backup-keep", "2", NULL });
	snprintf(url, sizeof(url), "%s/metrics", s2.base);
	for (i = 0; i < 300 && made < 3; i++) {
		th_get(url, &r);
		made = metric(r.body, "motcua_backups_total");
		if (made < 3)
			usleep(100000);
		else {
			assert_int_equal((int)metric(r.body,
				"motcua_backup_failures_total"), 0);
			assert_true(metric(r.body, "motcua_backup_last_success_"
					   "timestamp_seconds") > 1.7e9);
		}
		th_resp_free(&r);
	}
	if (made < 3) {
		char *log = th_serve_log(&s2);

		fprintf(stderr, "%s\n", log);
		free(log);
		fail_msg("%g scheduled backups made, not 3", made);
	}
	assert_int_equal(th_serve_stop(&s2), 0);
	assert_int_equal(whole_backups(dir, names, sizeof(names)), 2);
	assert_null(strstr(names, "2020"));
	snprintf(path, sizeof(path), "%s/motcua-20200101T000000Z", dir);
	assert_int_equal(access(path, F_OK), -1);
	for (line = strtok_r(names, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		snprintf(path, sizeof(path), "%s/%s", dir, line);
		assert_int_equal(th_motcua((const char *[]){ "backup",
			"verify", path, NULL }, NULL, NULL, NULL), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(drill),
		cmocka_unit_test(scheduled),
	};

	if (th_pg())
		return 0;	/* PostgreSQL: pg_basebackup (operations.md) */
	return cmocka_run_group_tests(tests, setup, teardown);
}
