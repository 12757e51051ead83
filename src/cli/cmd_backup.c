/*
 * cmd_backup.c — 'motcua backup --to DIR', 'motcua backup verify BACKUP',
 * 'motcua restore BACKUP' (docs/operations.md "Backups"): a consistent
 * copy of a SQLite installation taken while it serves — the database by
 * SQLite's online backup API (one read snapshot, writers not stopped),
 * the stored files the copy refers to (by content; a file an earlier
 * backup in DIR already holds is hard-linked, not copied again), the
 * signing keys — with a manifest of checksums written last, so a backup
 * without one is unfinished. Verify re-hashes everything and checks the
 * database's integrity and every event chain; restore verifies, then
 * copies into a database and files directory that must not exist yet.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/sha256.h"
#include "core/timeutil.h"
#include "cli/cli.h"
#include "files/blobs.h"
#include "store/dossiers.h"
#include "store/store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char help[] =
	"usage: motcua backup --to DIR [--db PATH] [--files-dir DIR]\n"
	"       motcua backup verify BACKUP\n"
	"       motcua restore BACKUP --db NEW_PATH --files-dir NEW_DIR\n"
	"\n"
	"backup copies the SQLite database while motcua serves (one\n"
	"consistent snapshot), the stored files it refers to and the signing\n"
	"keys into DIR/motcua-YYYYMMDDTHHMMSSZ, with manifest.json written\n"
	"last. Files an earlier backup in DIR holds are hard-linked. verify\n"
	"re-hashes the database and every file against the manifest, checks\n"
	"the database's integrity and every event chain; exit 1 on any\n"
	"damage. restore verifies, then copies into a database and files\n"
	"directory that must not exist. PostgreSQL: see docs/operations.md.\n";

#define BACKUP_FORMAT 1

int mc_cli_copy_file(const char *from, const char *to, mode_t mode,
		     struct mc_err *err)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n = 0;
	int rc = 0;

	if (in < 0)
		return mc_error(err, MC_EIO, "%s: %s", from, strerror(errno));
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (out < 0) {
		close(in);
		return mc_error(err, MC_EIO, "%s: %s", to, strerror(errno));
	}
	while (!rc && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			rc = mc_error(err, MC_EIO, "%s: %s", to,
				      strerror(errno));
	if (!rc && n < 0)
		rc = mc_error(err, MC_EIO, "%s: %s", from, strerror(errno));
	if (!rc && fsync(out))
		rc = mc_error(err, MC_EIO, "%s: %s", to, strerror(errno));
	close(in);
	close(out);
	return rc;
}

int mc_cli_make_parent(const char *path, struct mc_err *err)
{
	char d[MC_BLOB_PATH_MAX], *p;

	snprintf(d, sizeof(d), "%s", path);
	if (!(p = strrchr(d, '/')))
		return 0;
	*p = '\0';
	for (p = d + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0750) && errno != EEXIST)
			return mc_error(err, MC_EIO, "%s: %s", d,
					strerror(errno));
		*p = '/';
	}
	if (mkdir(d, 0750) && errno != EEXIST)
		return mc_error(err, MC_EIO, "%s: %s", d, strerror(errno));
	return 0;
}

/*
 * The database copied by SQLite's online backup: one read snapshot for
 * the whole copy (WAL), so writers go on.
 */
static int copy_db(const char *from, const char *to, struct mc_err *err)
{
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_backup *b;
	int rc, tries = 0;

	rc = sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_open_v2(to, &dst, SQLITE_OPEN_READWRITE |
				     SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		mc_error(err, MC_EDB, "%s", sqlite3_errmsg(dst ? dst : src));
		goto out;
	}
	sqlite3_busy_timeout(src, 5000);
	if (!(b = sqlite3_backup_init(dst, "main", src, "main"))) {
		rc = mc_error(err, MC_EDB, "backup: %s", sqlite3_errmsg(dst));
		goto out;
	}
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY ||
	       rc == SQLITE_LOCKED) {
		if (++tries > 600)
			break;
		sqlite3_sleep(50);
	}
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		rc = mc_error(err, MC_EDB, "backup: %s", sqlite3_errstr(rc));
		goto out;
	}
	rc = 0;
out:
	sqlite3_close(src);
	sqlite3_close(dst);
	if (!rc && chmod(to, 0600))
		rc = mc_error(err, MC_EIO, "%s: %s", to, strerror(errno));
	return rc;
}

/* The newest other backup in 'dir' (for hard links), or "". */
static void previous(const char *dir, const char *self, char *out, size_t n)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	out[0] = '\0';
	while (d && (e = readdir(d))) {
		char m[MC_BLOB_PATH_MAX];

		if (strncmp(e->d_name, "motcua-", 7) ||
		    !strcmp(e->d_name, self))
			continue;
		snprintf(m, sizeof(m), "%s/%s/manifest.json", dir, e->d_name);
		if (access(m, R_OK) == 0 && strcmp(e->d_name, out) > 0 &&
		    strlen(e->d_name) < n)
			memcpy(out, e->d_name, strlen(e->d_name) + 1);
	}
	if (d)
		closedir(d);
}

/* One count of the copy (a single integer of 'sql'), or -1. */
static int64_t count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Copies the keys directory (flat: one unit's key and certificate each). */
static int copy_keys(const char *from, const char *to, json_t *list,
		     struct mc_err *err)
{
	DIR *d = opendir(from);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return 0;	/* no keys made yet */
	if (mkdir(to, 0700) && errno != EEXIST)
		rc = mc_error(err, MC_EIO, "%s: %s", to, strerror(errno));
	while (!rc && (e = readdir(d))) {
		char a[MC_BLOB_PATH_MAX + 256], b[MC_BLOB_PATH_MAX + 256];
		char hex[MC_SHA256_HEX];
		struct stat st;
		int64_t size;

		snprintf(a, sizeof(a), "%.1023s/%s", from, e->d_name);
		if (e->d_name[0] == '.' || stat(a, &st) || !S_ISREG(st.st_mode))
			continue;
		snprintf(b, sizeof(b), "%.1023s/%s", to, e->d_name);
		rc = mc_cli_copy_file(a, b, 0600, err);
		if (!rc)
			rc = mc_file_sha256(b, hex, &size, err);
		if (!rc)
			json_array_append_new(list, json_pack("{s:s, s:s, s:I}",
				"name", e->d_name, "sha256", hex,
				"size", (json_int_t)size));
	}
	closedir(d);
	return rc;
}

/*
 * One backup of app's installation into 'to' (see the file's comment):
 * its directory into 'made', the counts into 'copied' and 'linked'.
 */
static int backup_make(struct mc_app *app, const char *to, char *made,
		       size_t madelen, int64_t *copied_out,
		       int64_t *linked_out, char *prev_out, size_t prevlen,
		       struct mc_err *err_out)
{
	struct mc_err err = MC_ERR_INIT;
	char name[64], base[640], path[MC_BLOB_PATH_MAX];
	char prev[256], hex[MC_SHA256_HEX], now[40], tmp[MC_BLOB_PATH_MAX];
	json_t *files = json_array(), *keys = json_array(), *m;
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int64_t size, linked = 0, copied = 0;
	time_t t = time(NULL);
	struct tm tm;
	int rc;

	gmtime_r(&t, &tm);
	strftime(name, sizeof(name), "motcua-%Y%m%dT%H%M%SZ", &tm);
	snprintf(base, sizeof(base), "%s/%s", to, name);
	if ((rc = mc_cli_make_parent(base, &err)))
		goto fail;
	if (mkdir(base, 0750)) {
		rc = mc_error(&err, MC_EIO, "%s: %s", base, errno == EEXIST ?
			      "a backup of this second exists" :
			      strerror(errno));
		goto fail;
	}
	snprintf(path, sizeof(path), "%s/files/x", base);
	if ((rc = mc_cli_make_parent(path, &err)))
		goto fail;
	previous(to, name, prev, sizeof(prev));
	snprintf(path, sizeof(path), "%s/motcua.db", base);
	if ((rc = copy_db(app->cfg.db, path, &err)) ||
	    (rc = mc_file_sha256(path, hex, &size, &err)))
		goto fail;
	m = json_pack("{s:i, s:s, s:{s:s, s:s, s:I}}", "format",
		      BACKUP_FORMAT, "created_at",
		      mc_time_format_utc(mc_time_now_ms() / 1000, now,
					 sizeof(now)), "db", "file", "motcua.db",
		      "sha256", hex, "size", (json_int_t)size);
	/* The files the copy refers to: what it is consistent with. */
	/* Read as it is: immutable, so nothing is made beside it. */
	snprintf(tmp, sizeof(tmp), "file:%.1000s?immutable=1", path);
	if (sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
			    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT sha256, size FROM files ORDER BY "
			       "sha256", -1, &s, NULL) != SQLITE_OK) {
		rc = mc_error(&err, MC_EDB, "%s: %s", path,
			      db ? sqlite3_errmsg(db) : "cannot open");
		json_decref(m);
		goto fail;
	}
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		const char *sha = (const char *)sqlite3_column_text(s, 0);
		int64_t want = sqlite3_column_int64(s, 1);
		char from[MC_BLOB_PATH_MAX], dst[MC_BLOB_PATH_MAX];
		char old[MC_BLOB_PATH_MAX];

		mc_blob_path(app->cfg.files_dir, sha, from, sizeof(from));
		snprintf(tmp, sizeof(tmp), "%s/files", base);
		mc_blob_path(tmp, sha, dst, sizeof(dst));
		if ((rc = mc_cli_make_parent(dst, &err)))
			break;
		snprintf(tmp, sizeof(tmp), "%s/%s/files", to, prev);
		mc_blob_path(tmp, sha, old, sizeof(old));
		if (prev[0] && link(old, dst) == 0) {
			linked++;
		} else {
			/* Stored files are checked as they are copied. */
			if ((rc = mc_blob_verify(app->cfg.files_dir, sha, want,
						 &err)) ||
			    (rc = mc_cli_copy_file(from, dst, 0640, &err)))
				break;
			copied++;
		}
		json_array_append_new(files, json_pack("{s:s, s:I}", "sha256",
					  sha, "size", (json_int_t)want));
	}
	json_object_set_new(m, "counts", json_pack("{s:I, s:I, s:I, s:I}",
		"migrations", (json_int_t)count(db, "SELECT COUNT(*) FROM "
		"schema_migrations"), "dossiers", (json_int_t)count(db,
		"SELECT COUNT(*) FROM dossiers"), "events", (json_int_t)count(
		db, "SELECT COUNT(*) FROM dossier_events"), "files",
		(json_int_t)json_array_size(files)));
	sqlite3_finalize(s);
	sqlite3_close(db);
	snprintf(path, sizeof(path), "%s/keys", app->cfg.files_dir);
	snprintf(tmp, sizeof(tmp), "%s/keys", base);
	if (!rc)
		rc = copy_keys(path, tmp, keys, &err);
	json_object_set_new(m, "files", files);
	json_object_set_new(m, "keys", keys);
	files = keys = NULL;
	/* Written last, and whole: a backup without it is unfinished. */
	snprintf(path, sizeof(path), "%s/manifest.json", base);
	snprintf(tmp, sizeof(tmp), "%s/manifest.json.part", base);
	if (!rc && (json_dump_file(m, tmp, JSON_INDENT(1)) ||
		    rename(tmp, path)))
		rc = mc_error(&err, MC_EIO, "%s: cannot write", path);
	json_decref(m);
	if (rc)
		goto fail;
	snprintf(made, madelen, "%s", base);
	snprintf(prev_out, prevlen, "%s", prev[0] ? prev : "(none)");
	*copied_out = copied;
	*linked_out = linked;
	return 0;
fail:
	json_decref(files);
	json_decref(keys);
	*err_out = err;
	return rc ? rc : MC_EIO;
}

static int do_backup(struct mc_app *app, const char *to)
{
	struct mc_err err = MC_ERR_INIT;
	char made[700], prev[256];
	int64_t copied, linked;

	if (!strncmp(app->cfg.db, "postgres", 8)) {
		fprintf(stderr, "motcua backup: the database is PostgreSQL: "
			"back it up with pg_basebackup and WAL archiving "
			"(docs/operations.md)\n");
		return 2;
	}
	if (backup_make(app, to, made, sizeof(made), &copied, &linked, prev,
			sizeof(prev), &err))
		return mc_cli_fail("backup", &err, 1);
	printf("%s\n", made);
	fprintf(stderr, "backup: %" PRId64 " files copied, %" PRId64
		" linked from %s\n", copied, linked, prev);
	return 0;
}

/* Everything of backup 'dir' checked; prints what is wrong; 0 if all is. */
static int do_verify(const char *dir, json_t **manifest)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_store_opts o;
	struct mc_store *st = NULL;
	struct mc_conn *c = NULL;
	char path[MC_BLOB_PATH_MAX], hex[MC_SHA256_HEX], files[MC_BLOB_PATH_MAX];
	json_t *m, *f;
	sqlite3 *db = NULL;
	int64_t size, events = 0;
	size_t i;
	int bad = 0, chains;

	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	if (!(m = json_load_file(path, 0, NULL)) ||
	    json_integer_value(json_object_get(m, "format")) != BACKUP_FORMAT) {
		printf("damaged: %s is missing or not a backup's manifest (an "
		       "unfinished backup?)\n", path);
		json_decref(m);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/motcua.db", dir);
	if (mc_file_sha256(path, hex, &size, &err) ||
	    !json_string_value(json_object_get(json_object_get(m, "db"),
			"sha256")) ||
	    strcmp(hex, json_string_value(json_object_get(json_object_get(m,
		   "db"), "sha256")))) {
		printf("damaged: motcua.db does not have its checksum\n");
		bad++;
	}
	snprintf(files, sizeof(files), "file:%.1000s?immutable=1", path);
	if (!bad && sqlite3_open_v2(files, &db, SQLITE_OPEN_READONLY |
				    SQLITE_OPEN_URI, NULL) == SQLITE_OK) {
		sqlite3_stmt *s = NULL;

		if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s,
				       NULL) != SQLITE_OK ||
		    sqlite3_step(s) != SQLITE_ROW ||
		    strcmp((const char *)sqlite3_column_text(s, 0), "ok")) {
			printf("damaged: motcua.db fails its integrity check\n");
			bad++;
		}
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	snprintf(files, sizeof(files), "%s/files", dir);
	json_array_foreach(json_object_get(m, "files"), i, f) {
		const char *sha = json_string_value(json_object_get(f,
							"sha256"));

		if (!sha || mc_blob_verify(files, sha, json_integer_value(
		    json_object_get(f, "size")), &err)) {
			printf("damaged: file %s: %s\n", sha ? sha : "?",
			       err.message);
			mc_err_clear(&err);
			bad++;
		}
	}
	json_array_foreach(json_object_get(m, "keys"), i, f) {
		snprintf(path, sizeof(path), "%s/keys/%s", dir,
			 json_string_value(json_object_get(f, "name")));
		if (mc_file_sha256(path, hex, &size, &err) ||
		    strcmp(hex, json_string_value(json_object_get(f,
			   "sha256")))) {
			printf("damaged: key %s\n", path);
			mc_err_clear(&err);
			bad++;
		}
	}
	/* Every event chain of the copy, as motcua audit verify. */
	if (!bad) {
		memset(&o, 0, sizeof(o));
		snprintf(path, sizeof(path), "%s/motcua.db", dir);
		o.url = path;
		o.busy_timeout_ms = 5000;
		if (mc_store_open(&o, &st, &err) ||
		    mc_store_connect(st, &c, &err) ||
		    (chains = mc_audit_verify(c, NULL, NULL, &events, &err)) <
		    0) {
			printf("damaged: motcua.db: %s\n", err.message);
			bad++;
		} else if (chains) {
			printf("damaged: %d broken event chains\n", chains);
			bad++;
		}
		mc_conn_close(c);
		mc_store_close(st);
	}
	if (!bad)
		printf("%s: intact — database, %zu files, %zu keys, %" PRId64
		       " events in unbroken chains\n", dir,
		       json_array_size(json_object_get(m, "files")),
		       json_array_size(json_object_get(m, "keys")), events);
	if (manifest && !bad)
		*manifest = m;
	else
		json_decref(m);
	return bad ? 1 : 0;
}

static int do_restore(struct mc_app *app, const char *dir)
{
	struct mc_err err = MC_ERR_INIT;
	char from[MC_BLOB_PATH_MAX], to[MC_BLOB_PATH_MAX], tmp[MC_BLOB_PATH_MAX];
	json_t *m = NULL, *f;
	struct stat st;
	size_t i;
	int rc = 0;

	if (!strncmp(app->cfg.db, "postgres", 8)) {
		fprintf(stderr, "motcua restore: restores a SQLite backup; for "
			"PostgreSQL see docs/operations.md\n");
		return 2;
	}
	if (stat(app->cfg.db, &st) == 0 || stat(app->cfg.files_dir, &st) == 0) {
		fprintf(stderr, "motcua restore: %s or %s exists: restore "
			"into a new place, then point motcua at it\n",
			app->cfg.db, app->cfg.files_dir);
		return 2;
	}
	if (do_verify(dir, &m))
		return fprintf(stderr, "motcua restore: the backup is damaged; "
			       "nothing restored\n"), 1;
	snprintf(tmp, sizeof(tmp), "%s/x", app->cfg.files_dir);
	rc = mc_cli_make_parent(tmp, &err);
	json_array_foreach(rc ? NULL : json_object_get(m, "files"), i, f) {
		const char *sha = json_string_value(json_object_get(f,
							"sha256"));

		snprintf(tmp, sizeof(tmp), "%s/files", dir);
		mc_blob_path(tmp, sha, from, sizeof(from));
		mc_blob_path(app->cfg.files_dir, sha, to, sizeof(to));
		if ((rc = mc_cli_make_parent(to, &err)) ||
		    (rc = mc_cli_copy_file(from, to, 0640, &err)))
			break;
	}
	json_array_foreach(rc ? NULL : json_object_get(m, "keys"), i, f) {
		snprintf(from, sizeof(from), "%s/keys/%s", dir,
			 json_string_value(json_object_get(f, "name")));
		snprintf(to, sizeof(to), "%s/keys/%s", app->cfg.files_dir,
			 json_string_value(json_object_get(f, "name")));
		if ((rc = mc_cli_make_parent(to, &err)) ||
		    (rc = mc_cli_copy_file(from, to, 0600, &err)))
			break;
	}
	/* The database last, under its name only once whole. */
	snprintf(from, sizeof(from), "%s/motcua.db", dir);
	snprintf(tmp, sizeof(tmp), "%s.restoring", app->cfg.db);
	if (!rc && !(rc = mc_cli_make_parent(app->cfg.db, &err)) &&
	    !(rc = mc_cli_copy_file(from, tmp, 0600, &err)) &&
	    rename(tmp, app->cfg.db))
		rc = mc_error(&err, MC_EIO, "%s: %s", app->cfg.db,
			      strerror(errno));
	if (!rc)
		printf("restored %s into %s and %s: %" PRId64 " dossiers, %"
		       PRId64 " events, %zu files\n", dir, app->cfg.db,
		       app->cfg.files_dir, (int64_t)json_integer_value(
		       json_object_get(json_object_get(m, "counts"),
		       "dossiers")), (int64_t)json_integer_value(
		       json_object_get(json_object_get(m, "counts"),
		       "events")), json_array_size(json_object_get(m,
		       "files")));
	json_decref(m);
	return rc ? mc_cli_fail("restore", &err, 1) : 0;
}

static int rm_one(const char *p, const struct stat *sb, int flag,
		  struct FTW *f)
{
	(void)sb;
	(void)f;
	return (flag == FTW_DP ? rmdir(p) : unlink(p)) ? -1 : 0;
}

/* The backups' names in 'dir', newest first; whole ones have a manifest. */
struct backup_name {
	char name[64];
	bool whole;
};

static int by_name_desc(const void *a, const void *b)
{
	return strcmp(((const struct backup_name *)b)->name,
		      ((const struct backup_name *)a)->name);
}

static size_t backup_names(const char *dir, struct backup_name *out,
			   size_t max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	while (d && (e = readdir(d)) && n < max) {
		char m[MC_BLOB_PATH_MAX];

		size_t k = strlen(e->d_name);

		if (strncmp(e->d_name, "motcua-", 7) || k >= sizeof(out->name))
			continue;
		memcpy(out[n].name, e->d_name, k + 1);
		snprintf(m, sizeof(m), "%s/%s/manifest.json", dir, e->d_name);
		out[n++].whole = access(m, R_OK) == 0;
	}
	if (d)
		closedir(d);
	qsort(out, n, sizeof(*out), by_name_desc);
	return n;
}

#define BACKUPS_MAX 4096

int mc_cli_backup_prune(const char *dir, int keep, int64_t *removed,
			struct mc_err *err)
{
	struct backup_name *b = mc_calloc(BACKUPS_MAX, sizeof(*b));
	size_t n = backup_names(dir, b, BACKUPS_MAX), i;
	int whole = 0, rc = 0;

	*removed = 0;
	for (i = 0; i < n && !rc; i++) {
		char path[MC_BLOB_PATH_MAX];

		/*
		 * Unfinished ones newer than the newest whole backup may be
		 * in the making (motcua backup by hand): left alone. Older
		 * ones were cut off.
		 */
		if (b[i].whole ? ++whole <= keep : whole == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, b[i].name);
		if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS))
			rc = mc_error(err, MC_EIO, "cannot remove %s: %s", path,
				      strerror(errno));
		else
			(*removed)++;
	}
	mc_free(b);
	return rc;
}

int64_t mc_cli_backup_newest(const char *dir, char *name, size_t len)
{
	struct backup_name *b = mc_calloc(BACKUPS_MAX, sizeof(*b));
	size_t n = backup_names(dir, b, BACKUPS_MAX), i;
	int64_t at = 0;

	if (len)
		name[0] = '\0';
	for (i = 0; i < n && !at; i++) {
		struct tm tm;
		const char *end;

		memset(&tm, 0, sizeof(tm));
		if (b[i].whole && (end = strptime(b[i].name + 7,
						  "%Y%m%dT%H%M%SZ", &tm)) &&
		    !*end) {
			at = (int64_t)timegm(&tm);
			if (len)
				snprintf(name, len, "%s", b[i].name);
		}
	}
	mc_free(b);
	return at;
}

struct mc_backups {
	struct mc_app *app;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;		/* CLOCK_MONOTONIC */
	bool stopping;
};

/* One scheduled backup and its pruning, logged and counted. */
static bool scheduled_backup(struct mc_app *app)
{
	struct mc_err err = MC_ERR_INIT;
	char made[700], prev[256];
	int64_t copied = 0, linked = 0, removed = 0;
	int64_t t0 = mc_time_mono_ns(), ms;
	int rc;

	rc = backup_make(app, app->cfg.backup_dir, made, sizeof(made), &copied,
			 &linked, prev, sizeof(prev), &err);
	ms = (mc_time_mono_ns() - t0) / 1000000;
	if (rc) {
		atomic_fetch_add(&app->backup_failures, 1);
		mc_log_json(&app->log, MC_LOG_ERROR, "scheduled backup failed",
			    json_pack("{s:s, s:s}", "dir", app->cfg.backup_dir,
				      "error", err.message));
		return false;
	}
	atomic_fetch_add(&app->backup_made, 1);
	atomic_store(&app->backup_last_ms, ms);
	atomic_store(&app->backup_last_at, mc_time_now_ms() / 1000);
	if (mc_cli_backup_prune(app->cfg.backup_dir, app->cfg.backup_keep,
				&removed, &err))
		mc_log_json(&app->log, MC_LOG_ERROR, "old backups not removed",
			    json_pack("{s:s}", "error", err.message));
	mc_log_json(&app->log, MC_LOG_INFO, "scheduled backup", json_pack(
		    "{s:s, s:I, s:I, s:I, s:I}", "backup", made, "copied",
		    (json_int_t)copied, "linked", (json_int_t)linked, "removed",
		    (json_int_t)removed, "ms", (json_int_t)ms));
	return true;
}

/* A failed backup is tried again this much later, at most. */
#define BACKUP_RETRY_S 600

static void *backups_main(void *arg)
{
	struct mc_backups *b = arg;
	struct mc_app *app = b->app;
	int64_t interval = app->cfg.backup_interval_ms / 1000;
	int64_t next = mc_cli_backup_newest(app->cfg.backup_dir, NULL, 0) +
		       interval;

	pthread_mutex_lock(&b->lock);
	while (!b->stopping) {
		int64_t now = mc_time_now_ms() / 1000;
		struct timespec until;

		if (now >= next) {
			bool ok;

			pthread_mutex_unlock(&b->lock);
			ok = scheduled_backup(app);
			now = mc_time_now_ms() / 1000;
			next = now + (ok || interval < BACKUP_RETRY_S ?
				      interval : BACKUP_RETRY_S);
			pthread_mutex_lock(&b->lock);
			continue;
		}
		/* Waits on the monotonic clock, a minute at most, so a
		 * wall clock set forward is noticed. */
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += next - now < 60 ? next - now : 60;
		pthread_cond_timedwait(&b->wake, &b->lock, &until);
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

int mc_cli_backups_start(struct mc_app *app, struct mc_backups **out,
			 struct mc_err *err)
{
	struct mc_backups *b;
	pthread_condattr_t ca;

	*out = NULL;
	if (!app->cfg.backup_dir[0])
		return 0;
	if (!strncmp(app->cfg.db, "postgres", 8)) {
		mc_log_json(&app->log, MC_LOG_WARN, "backup_dir ignored: the "
			    "database is PostgreSQL (pg_basebackup and WAL "
			    "archiving, docs/operations.md)", NULL);
		return 0;
	}
	b = mc_calloc(1, sizeof(*b));
	b->app = app;
	pthread_mutex_init(&b->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&b->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&b->thread, NULL, backups_main, b)) {
		pthread_cond_destroy(&b->wake);
		pthread_mutex_destroy(&b->lock);
		mc_free(b);
		return mc_error(err, MC_EINTERNAL, "cannot start the scheduled "
				"backups' thread");
	}
	*out = b;
	return 0;
}

void mc_cli_backups_stop(struct mc_backups *b)
{
	if (!b)
		return;
	pthread_mutex_lock(&b->lock);
	b->stopping = true;
	pthread_cond_signal(&b->wake);
	pthread_mutex_unlock(&b->lock);
	pthread_join(b->thread, NULL);
	pthread_cond_destroy(&b->wake);
	pthread_mutex_destroy(&b->lock);
	mc_free(b);
}

int mc_cmd_backup(struct mc_app *app, int argc, char **argv, char **envp)
{
	static const struct mc_opt opts[] = { { "to", true, false },
					      { NULL, false, false } };
	struct mc_args a;
	const char *to;
	int rc = mc_cli_parse("backup", argc, argv, opts, true, &a);

	if (rc)
		return rc;
	if (a.help) {
		fputs(help, stdout);
		return 0;
	}
	if (a.npos == 2 && !strcmp(a.pos[0], "verify"))
		return do_verify(a.pos[1], NULL);
	if (a.npos != 0 || !(to = mc_cli_value(&a, 0))) {
		fputs(help, stderr);
		return 2;
	}
	if ((rc = mc_cli_config("backup", app, &a, envp)))
		return rc;
	return do_backup(app, to);
}

int mc_cmd_restore(struct mc_app *app, int argc, char **argv, char **envp)
{
	static const struct mc_opt opts[] = { { NULL, false, false } };
	struct mc_args a;
	int rc = mc_cli_parse("restore", argc, argv, opts, true, &a);

	if (rc)
		return rc;
	if (a.help || a.npos != 1) {
		fputs(help, a.help ? stdout : stderr);
		return a.help ? 0 : 2;
	}
	if ((rc = mc_cli_config("restore", app, &a, envp)))
		return rc;
	return do_restore(app, a.pos[0]);
}
