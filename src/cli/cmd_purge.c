/*
 * cmd_purge.c — 'motcua purge' (docs/personal-data.md "Retention and
 * purge"): the finished dossiers whose retention period is over are
 * handed over to the archive — their whole record, one JSON line each,
 * and their papers' files, in ARCHIVE-DIR, written and synced first —
 * and then stripped of their personal data, each in its own transaction
 * (store/purge.h), the purge logged in purges and in the dossier's event
 * chain. Files nothing refers to any more are removed. With --dry-run it
 * only lists what is due, as of today or of --as-of.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "cli/cli.h"
#include "files/blobs.h"
#include "store/export.h"
#include "store/purge.h"
#include "store/store.h"

#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char help[] =
	"usage: motcua purge --archive-dir DIR [--by NAME] [--db PATH]\n"
	"       motcua purge --dry-run [--as-of YYYY-MM-DD] [--db PATH]\n"
	"\n"
	"Finds the finished dossiers whose procedure's retention period\n"
	"(result.retention_years, counted in whole years from the year the\n"
	"dossier finished) is over, writes each one's record and papers to\n"
	"DIR/motcua-archive-YYYYMMDDTHHMMSSZ.jsonl and DIR/files (synced),\n"
	"then removes their personal data, logging each purge. --dry-run\n"
	"lists what is due (today, or on --as-of) and changes nothing.\n";

#define BATCH 200

/* The papers' files of dossier 'id' into 'dir'/files, by content. */
static int archive_files(struct mc_app *app, struct mc_conn *c, int64_t id,
			 const char *dir, struct mc_err *err)
{
	char shas[MC_PURGE_MAX_FILES][MC_SHA256_HEX], base[700];
	int n = mc_purge_files(c, id, shas, err), i, rc = 0;

	snprintf(base, sizeof(base), "%.690s/files", dir);
	for (i = 0; !rc && i < n; i++) {
		char from[MC_BLOB_PATH_MAX], to[MC_BLOB_PATH_MAX];
		struct stat st;

		mc_blob_path(app->cfg.files_dir, shas[i], from, sizeof(from));
		mc_blob_path(base, shas[i], to, sizeof(to));
		if (stat(to, &st) == 0)
			continue;	/* another dossier's, archived */
		if (!(rc = mc_cli_make_parent(to, err)))
			rc = mc_cli_copy_file(from, to, 0640, err);
	}
	return n < 0 ? n : rc;
}

static int dry_run(struct mc_conn *c, int64_t now)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_purge_due *due = mc_calloc(BATCH, sizeof(*due));
	int64_t after = 0, next, total = 0;
	int n, i;

	do {
		n = mc_purge_due(c, after, now, BATCH, due, &next, &err);
		for (i = 0; i < n; i++) {
			char fin[40], from[40];

			printf("due: %s (%s), finished %s, kept %d years: since "
			       "%s\n", due[i].code, due[i].procedure_code,
			       mc_time_format_local(due[i].finished_at, fin,
						    sizeof(fin)),
			       due[i].retention_years, mc_time_format_local(
			       mc_purge_due_from(due[i].finished_at,
						 due[i].retention_years), from,
			       sizeof(from)));
			total++;
		}
		after = next;
	} while (n >= 0 && next);
	mc_free(due);
	if (n < 0)
		return mc_cli_fail("purge", &err, 1);
	printf("%" PRId64 " dossier%s due; nothing was changed\n", total,
	       total == 1 ? "" : "s");
	return 0;
}

static int purge(struct mc_app *app, struct mc_conn *c, const char *dir,
		 const char *by, int64_t now)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_purge_due *due = mc_calloc(BATCH, sizeof(*due));
	struct mc_purge_result res;
	char name[64], path[800];
	int64_t after = 0, next, total = 0, removed = 0;
	time_t t = time(NULL);
	FILE *f = NULL;
	struct tm tm;
	int n = 0, i, rc = 0;

	gmtime_r(&t, &tm);
	strftime(name, sizeof(name), "motcua-archive-%Y%m%dT%H%M%SZ.jsonl",
		 &tm);
	snprintf(path, sizeof(path), "%.700s/%s", dir, name);
	if (mkdir(dir, 0750) && errno != EEXIST) {
		rc = mc_error(&err, MC_EIO, "%s: %s", dir, strerror(errno));
		goto out;
	}
	do {
		n = mc_purge_due(c, after, now, BATCH, due, &next, &err);
		if (n < 0) {
			rc = n;
			break;
		}
		/* Archived first, and on disk, before anything goes. */
		for (i = 0; !rc && i < n; i++) {
			if (!f && !(f = fopen(path, "a")))
				rc = mc_error(&err, MC_EIO, "%s: %s", path,
					      strerror(errno));
			if (!rc)
				rc = mc_export_dossier(c, due[i].id, f, &err);
			if (!rc)
				rc = archive_files(app, c, due[i].id, dir,
						   &err);
		}
		if (!rc && f && (fflush(f) || fsync(fileno(f))))
			rc = mc_error(&err, MC_EIO, "%s: %s", path,
				      strerror(errno));
		for (i = 0; !rc && i < n; i++) {
			int k;

			if ((rc = mc_conn_begin(c, &err)))
				break;
			rc = mc_purge_dossier(c, &due[i], name, by, now, &res,
					      &err);
			if (!rc)
				rc = mc_conn_commit(c, &err);
			if (rc) {
				mc_conn_rollback(c);
				break;
			}
			total += res.done;
			/* The bytes of files no row names any more. */
			for (k = 0; k < res.ngone && !rc; k++) {
				bool gone;

				rc = mc_blob_remove(app->cfg.files_dir,
						    res.gone[k],
						    app->cfg.upload_ttl_ms /
						    1000, &gone, &err);
				removed += gone;
			}
		}
		after = next;
	} while (!rc && next);
out:
	if (f && fclose(f) && !rc)
		rc = mc_error(&err, MC_EIO, "%s: %s", path, strerror(errno));
	mc_free(due);
	if (rc)
		return mc_cli_fail("purge", &err, 1);
	if (total)
		printf("%s\n", path);
	fprintf(stderr, "purge: %" PRId64 " dossier%s archived and purged, "
		"%" PRId64 " file%s removed\n", total, total == 1 ? "" : "s",
		removed, removed == 1 ? "" : "s");
	return 0;
}

int mc_cmd_purge(struct mc_app *app, int argc, char **argv, char **envp)
{
	static const struct mc_opt opts[] = {
		{ "archive-dir", true, false }, { "dry-run", false, false },
		{ "as-of", true, false }, { "by", true, false },
		{ NULL, false, false } };
	struct mc_conn *c = NULL;
	struct mc_args a;
	const char *dir, *asof, *by;
	int64_t now = mc_time_now_ms() / 1000;
	bool dry;
	int rc = mc_cli_parse("purge", argc, argv, opts, true, &a);

	if (rc)
		return rc;
	if (a.help) {
		fputs(help, stdout);
		return 0;
	}
	dir = mc_cli_value(&a, 0);
	dry = mc_cli_value(&a, 1) != NULL;
	asof = mc_cli_value(&a, 2);
	by = mc_cli_value(&a, 3);
	if (a.npos || (!dry && !dir) || (asof && !dry)) {
		fprintf(stderr, "motcua purge: %s (see 'motcua purge "
			"--help')\n", asof && !dry ? "--as-of only with "
			"--dry-run: nothing is purged before its time" :
			"give --archive-dir DIR, or --dry-run");
		return 2;
	}
	if (asof) {
		int32_t day;
		char why[128];

		if (mc_date_parse(asof, strlen(asof), &day, why, sizeof(why))) {
			fprintf(stderr, "motcua purge: --as-of: %s\n", why);
			return 2;
		}
		now = mc_local_day_start(day);
	}
	if ((rc = mc_cli_config("purge", app, &a, envp)))
		return rc;
	if (mc_cli_store("purge", app, false, &c))
		return 1;
	if (dry)
		rc = dry_run(c, now);
	else
		rc = purge(app, c, dir, by ? by : (getenv("USER") ?
			   getenv("USER") : "motcua"), now);
	mc_cli_store_close(app, c);
	return rc;
}
