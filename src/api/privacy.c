/*
 * privacy.c — the data subject's rights over the API
 * (docs/personal-data.md): GET /api/v1/me/export, everything motcua holds
 * about the signed-in citizen as one machine-readable JSON document.
 * (Who read their data is GET /api/v1/me/access-log, documents.c.)
 */
#include "core/compat.h"
#include "core/mem.h"
#include "core/sha256.h"
#include "core/timeutil.h"
#include "api/api.h"
#include "api/util.h"
#include "app.h"
#include "http/server.h"
#include "store/citizens.h"
#include "store/export.h"

#include <errno.h>
#include <sodium.h>
#include <unistd.h>

struct export_job {
	char id_number[24];
	char path[700];		/* the export, written on a worker */
	int64_t now;
	int rc;
	struct mc_err err;
};

/*
 * On a worker: the export into a file of its own under files_dir, so that
 * a person with thousands of dossiers costs no more memory than one.
 */
static void export_run(struct mc_conn *db, void *arg)
{
	struct export_job *j = arg;
	FILE *f = fopen(j->path, "wx");

	if (!f) {
		j->rc = mc_error(&j->err, errno == ENOSPC ? MC_ESTORAGE :
				 MC_EIO, "cannot write %s: %s", j->path,
				 strerror(errno));
		return;
	}
	j->rc = mc_export_person(db, j->id_number, j->now, f, &j->err);
	if (fclose(f) && !j->rc)
		j->rc = mc_error(&j->err, MC_EIO, "cannot write %s: %s",
				 j->path, strerror(errno));
}

static void export_done(struct mc_req *r, void *arg)
{
	struct export_job *j = arg;
	char disp[128];

	if (!mc_req_answered(r)) {
		if (j->rc) {
			mc_reply_err(r, &j->err);
		} else {
			snprintf(disp, sizeof(disp), "attachment; filename="
				 "\"du-lieu-ca-nhan-%s.json\"", j->id_number);
			mc_req_header(r, "content-disposition", disp);
			mc_req_header(r, "cache-control", "no-store");
			if (mc_reply_file(r, j->path, "application/json; "
					  "charset=utf-8")) {
				struct mc_err err = MC_ERR_INIT;

				mc_error(&err, MC_EIO, "the export vanished");
				mc_reply_err(r, &err);
			}
		}
	}
	/* The answer holds the file open: its name can go now. */
	unlink(j->path);
	mc_free(j);
}

void api_me_export(struct mc_req *r)
{
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	struct export_job *j;
	struct mc_citizen cz;
	char hash[MC_SHA256_HEX];
	unsigned char raw[12];
	char hex[32];

	if (mc_api_citizen(r, &cz, hash))
		return;
	if (mc_req_query_check(r, (const char *const[]){ NULL }, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	j = mc_calloc(1, sizeof(*j));
	snprintf(j->id_number, sizeof(j->id_number), "%s", cz.id_number);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
	snprintf(j->path, sizeof(j->path), "%.600s/uploads/export-%s.json",
		 app->cfg.files_dir, hex);
	j->now = mc_api_now(app);
	mc_req_defer(r, export_run, export_done, j);
}
