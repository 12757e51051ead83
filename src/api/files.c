/*
 * files.c — files over HTTP (docs/files.md): resumable uploads by the
 * tus 1.0 protocol (core, creation, termination) and downloads of stored
 * files, with Range, for whoever may read them.
 *
 * A PATCH brings at most max_body bytes, copied once; its write and fsync
 * (and, for the last one, the hashing of the whole file) run on a worker
 * thread; then the writer records the new offset. One PATCH at a time per
 * upload in a process (409 otherwise). The first bytes must say PDF, JPEG
 * or PNG, or the upload is refused and forgotten.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/sha256.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "api/api.h"
#include "api/util.h"
#include "app.h"
#include "files/blobs.h"
#include "files/certify.h"
#include "store/dossiers.h"
#include "store/citizens.h"
#include "store/files.h"

#include <pthread.h>
#include <sodium.h>
#include <time.h>

#define TUS_VERSION "1.0.0"
#define BUSY_MAX 256			/* uploads being written at once */

/* Uploads a PATCH of this process is writing now. */
static struct {
	pthread_mutex_t lock;
	char ids[BUSY_MAX][MC_UPLOAD_ID];
} busy = { PTHREAD_MUTEX_INITIALIZER, { "" } };

static bool busy_take(const char *id)
{
	int i, free_slot = -1;

	pthread_mutex_lock(&busy.lock);
	for (i = 0; i < BUSY_MAX; i++) {
		if (!strcmp(busy.ids[i], id)) {
			free_slot = -2;
			break;
		}
		if (!busy.ids[i][0] && free_slot == -1)
			free_slot = i;
	}
	if (free_slot >= 0)
		snprintf(busy.ids[free_slot], MC_UPLOAD_ID, "%s", id);
	pthread_mutex_unlock(&busy.lock);
	return free_slot >= 0;
}

static void busy_give(const char *id)
{
	int i;

	pthread_mutex_lock(&busy.lock);
	for (i = 0; i < BUSY_MAX; i++)
		if (!strcmp(busy.ids[i], id))
			busy.ids[i][0] = '\0';
	pthread_mutex_unlock(&busy.lock);
}

/* Who asks, as files see them. */
struct reader {
	char owner[40];			/* u:<user id>, c:<personal ID> */
	char unit_path[MC_PATH_MAX];	/* staff */
	char id_number[24];		/* citizen */
};

/*
 * Who asks: a staff user or a signed-in citizen. -1 when the request was
 * answered (401).
 */
static int reader_of(struct mc_req *r, struct reader *rd)
{
	const char *h = mc_req_header_get(r, "authorization");

	memset(rd, 0, sizeof(*rd));
	if (h && !strncasecmp(h, "Bearer c.", 9)) {
		struct mc_citizen cz;
		char hash[MC_SHA256_HEX];

		if (mc_api_citizen(r, &cz, hash))
			return -1;
		snprintf(rd->owner, sizeof(rd->owner), "c:%s", cz.id_number);
		snprintf(rd->id_number, sizeof(rd->id_number), "%s",
			 cz.id_number);
	} else {
		struct mc_user me;

		if (mc_api_user(r, &me))
			return -1;
		snprintf(rd->owner, sizeof(rd->owner), "u:%" PRId64, me.id);
		snprintf(rd->unit_path, sizeof(rd->unit_path), "%s",
			 me.unit_path);
	}
	return 0;
}

static int owner_of(struct mc_req *r, char out[40])
{
	struct reader rd;

	if (reader_of(r, &rd))
		return -1;
	snprintf(out, 40, "%s", rd.owner);
	return 0;
}

/* The tus version every request but OPTIONS must name; 412 otherwise. */
static int tus_checked(struct mc_req *r)
{
	const char *v = mc_req_header_get(r, "tus-resumable");

	mc_req_header(r, "tus-resumable", TUS_VERSION);
	if (v && !strcmp(v, TUS_VERSION))
		return 0;
	mc_req_header(r, "tus-version", TUS_VERSION);
	mc_reply_problem(r, 412, "precondition-failed", "Phiên bản giao thức "
			 "không được hỗ trợ", "send Tus-Resumable: 1.0.0",
			 NULL);
	return -1;
}

/* A header of digits as a number, or -1. */
static int64_t header_num(struct mc_req *r, const char *name)
{
	const char *v = mc_req_header_get(r, name);
	char *end;
	long long n;

	if (!v || !*v || strlen(v) > 15 || strspn(v, "0123456789") !=
	    strlen(v))
		return -1;
	n = strtoll(v, &end, 10);
	return (int64_t)n;
}

static void header_num_set(struct mc_req *r, const char *name, int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	mc_req_header(r, name, buf);
}

/* OPTIONS /api/v1/uploads: what this server's tus does. */
void api_uploads_options(struct mc_req *r)
{
	mc_req_header(r, "tus-resumable", TUS_VERSION);
	mc_req_header(r, "tus-version", TUS_VERSION);
	mc_req_header(r, "tus-extension", "creation,termination,expiration");
	header_num_set(r, "tus-max-size",
		       (int64_t)mc_req_app(r)->cfg.upload_max);
	mc_reply_empty(r, 204);
}

/*
 * The file name in Upload-Metadata ("filename <base64>,…"), decoded into
 * 'out'; "" when absent. -1 (answered 400) when it is not base64 of UTF-8
 * of at most 255 bytes.
 */
static int metadata_filename(struct mc_req *r, char out[256])
{
	const char *m = mc_req_header_get(r, "upload-metadata"), *p;
	struct mc_err err = MC_ERR_INIT;
	size_t n = 0;

	out[0] = '\0';
	for (p = m; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
		const char *v, *end;

		while (*p == ' ')
			p++;
		if (strncmp(p, "filename ", 9) != 0)
			continue;
		v = p + 9;
		end = strchr(v, ',');
		if (sodium_base642bin((unsigned char *)out, 255, v,
				      end ? (size_t)(end - v) : strlen(v),
				      NULL, &n, NULL,
				      sodium_base64_VARIANT_ORIGINAL) ||
		    !mc_utf8_valid(out, n)) {
			mc_err_field(&err, "Upload-Metadata", "format", "the "
				     "file name: base64 of UTF-8, at most 255 "
				     "bytes");
			mc_reply_err(r, &err);
			out[0] = '\0';
			return -1;
		}
		out[n] = '\0';
		break;
	}
	return 0;
}

/* tus's Upload-Expires: when an unfinished upload is forgotten. */
static void expires_header(struct mc_req *r, int64_t at)
{
	char buf[40];
	time_t t = (time_t)at;
	struct tm tm;

	if (gmtime_r(&t, &tm) &&
	    strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm))
		mc_req_header(r, "upload-expires", buf);
}

struct create {
	struct mc_api_write aw;
	struct mc_upload u;
};

static int create_fn(struct mc_conn *c, struct mc_api_write *aw,
		     struct mc_err *err)
{
	return mc_upload_create(c, &((struct create *)aw)->u, err);
}

static void create_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct create *w = (struct create *)aw;
	char loc[96];

	snprintf(loc, sizeof(loc), "/api/v1/uploads/%s", w->u.id);
	mc_req_header(r, "location", loc);
	expires_header(r, w->u.expires_at);
	mc_req_header(r, "tus-resumable", TUS_VERSION);
	mc_reply_json(r, 201, json_pack("{s:s, s:I, s:I}", "id", w->u.id,
		"length", (json_int_t)w->u.length, "offset", (json_int_t)0));
}

/* POST /api/v1/uploads: Upload-Length, Upload-Metadata (tus creation). */
void api_uploads_create(struct mc_req *r)
{
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	struct create *w;
	unsigned char raw[16];
	int64_t length;
	char owner[40];

	if (tus_checked(r) || owner_of(r, owner))
		return;
	length = header_num(r, "upload-length");
	if (length <= 0) {
		mc_err_field(&err, "Upload-Length", "required", "the file's "
			     "length in bytes (Upload-Defer-Length is not "
			     "supported)");
		mc_reply_err(r, &err);
		return;
	}
	if ((uint64_t)length > app->cfg.upload_max) {
		mc_err_field(&err, "Upload-Length", "max", "at most %" PRIu64
			     " bytes", app->cfg.upload_max);
		mc_reply_problem(r, 413, "too-large", "Tệp quá lớn", "the file "
				 "is larger than upload_max", &err);
		return;
	}
	w = mc_calloc(1, sizeof(*w));
	if (metadata_filename(r, w->u.filename)) {
		mc_free(w);
		return;
	}
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(w->u.id, sizeof(w->u.id), raw, sizeof(raw));
	snprintf(w->u.owner, sizeof(w->u.owner), "%s", owner);
	w->u.length = length;
	w->u.created_at = mc_api_now(app);
	w->u.expires_at = w->u.created_at + app->cfg.upload_ttl_ms / 1000;
	w->aw.fn = create_fn;
	w->aw.reply = create_reply;
	mc_api_write_submit(r, &w->aw);
}

/*
 * The caller's upload in the path, or -1: answered 404, or 410 when it
 * was left unfinished past upload_ttl (the housekeeping forgets it).
 */
static int upload_of(struct mc_req *r, const char *owner,
		     struct mc_upload *u)
{
	if (mc_upload_get(mc_req_db_primary(r), mc_req_param(r, "id"), owner,
			  u, NULL)) {
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy", "no "
				 "upload of yours has this id", NULL);
		return -1;
	}
	if (!u->complete && u->expires_at <= mc_api_now(mc_req_app(r))) {
		mc_reply_problem(r, 410, "expired", "Phiên tải lên đã hết hạn",
				 "the upload was left unfinished past its "
				 "expiry; start it again", NULL);
		return -1;
	}
	if (!u->complete)
		expires_header(r, u->expires_at);
	return 0;
}

/* HEAD /api/v1/uploads/{id}: how much has arrived. */
void api_uploads_head(struct mc_req *r)
{
	struct mc_upload u;
	char owner[40];

	if (tus_checked(r) || owner_of(r, owner) || upload_of(r, owner, &u))
		return;
	header_num_set(r, "upload-offset", u.received);
	header_num_set(r, "upload-length", u.length);
	mc_reply_empty(r, 200);
}

/* GET /api/v1/uploads/{id}: the upload, and the file it became. */
void api_uploads_get(struct mc_req *r)
{
	struct mc_upload u;
	char owner[40];

	if (owner_of(r, owner) || upload_of(r, owner, &u))
		return;
	mc_reply_json(r, 200, json_pack("{s:s, s:I, s:I, s:s, s:o, s:o, s:o, "
		"s:o, s:o}", "id", u.id, "length", (json_int_t)u.length,
		"offset", (json_int_t)u.received, "status", u.complete ?
		"complete" : "receiving", "filename", mc_api_text(u.filename),
		"media_type", mc_api_text(u.media_type), "sha256",
		mc_api_text(u.sha256), "created_at", mc_api_time(u.created_at),
		"expires_at", mc_api_time(u.expires_at)));
}

struct patch {
	struct mc_api_write aw;
	char id[MC_UPLOAD_ID];
	char dir[512];
	int64_t offset, length, now;
	size_t len;
	char *data;			/* the body, copied */
	const char *media_type;		/* sniffed from offset 0, or 'type' */
	char type[32];			/* the upload's, sniffed before */
	char sha256[MC_SHA256_HEX];	/* when this PATCH completed it */
	bool complete;
	bool given;			/* the upload's busy slot let go */
	bool ran;			/* the worker wrote (or failed to) */
	bool recorded;			/* patch_fn ran to its end */
	int rc;
	struct mc_err err;
};

/* Lets go of the upload, once: before the answer, so that the client's
 * next PATCH, sent on receiving it, finds the upload free. */
static void patch_give(struct patch *p)
{
	if (!p->given)
		busy_give(p->id);
	p->given = true;
}

static int patch_fn(struct mc_conn *c, struct mc_api_write *aw,
		    struct mc_err *err)
{
	struct patch *p = (struct patch *)aw;
	int rc = mc_upload_advance(c, p->id, p->offset, (int64_t)p->len,
				   p->media_type, p->now, err);

	if (!rc && p->complete)
		rc = mc_upload_complete(c, p->id, p->sha256, p->length,
					p->media_type ? p->media_type : "",
					p->now, err);
	p->recorded = rc == 0;
	return rc;
}

static void patch_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct patch *p = (struct patch *)aw;

	header_num_set(r, "upload-offset", p->offset + (int64_t)p->len);
	if (p->complete) {
		mc_req_header(r, "upload-sha256", p->sha256);
		/* Before the answer: a client that looks finds it gone. */
		mc_blob_drop_part(p->dir, p->id);
	}
	patch_give(p);
	mc_reply_empty(r, 204);
}

static void patch_release(struct mc_api_write *aw)
{
	struct patch *p = (struct patch *)aw;

	/*
	 * The completion committed: the stored file has its own name, the
	 * part may go (answered or not: patch_reply drops it first when it
	 * answers). Otherwise it stays for a retry, or for the housekeeping.
	 */
	if (p->complete && p->recorded && !aw->rc)
		mc_blob_drop_part(p->dir, p->id);
	patch_give(p);
	mc_free(p->data);
}

/* On a worker: the bytes to disk, and the whole file hashed at the end. */
static void patch_run(struct mc_conn *db, void *arg)
{
	struct patch *p = arg;

	(void)db;
	p->ran = true;
	p->rc = mc_blob_write(p->dir, p->id, p->offset, p->data, p->len,
			      &p->err);
	if (!p->rc && p->complete)
		p->rc = mc_blob_finish(p->dir, p->id, p->length, p->sha256,
				       &p->err);
}

/*
 * The database's hold on an upload (mc_upload_lease), taken before the
 * bytes are written and let go with the offset that records them, or by
 * itself after this long: a writer that died holding it stops nobody for
 * longer than a request may take, twice.
 */
struct lease {
	struct mc_api_write aw;
	struct patch *p;		/* taking: the PATCH to go on with */
	char id[MC_UPLOAD_ID];
	int64_t from, until;		/* until 0: letting go */
	bool busy;			/* taking: someone else holds it */
	struct mc_err err;		/* what to answer, if not going on */
};

static int lease_fn(struct mc_conn *c, struct mc_api_write *aw,
		    struct mc_err *err)
{
	struct lease *l = (struct lease *)aw;
	int rc = mc_upload_lease(c, l->id, l->from, aw->now, l->until, err);

	/*
	 * Held by another is an answer, not a failed write: it reaches
	 * lease_reply, which lets go of the process's slot before saying so
	 * (the client's next PATCH must not find it taken).
	 */
	if (rc == MC_ECONFLICT && l->until) {
		l->busy = true;
		l->err = *err;
		mc_err_clear(err);
		return 0;
	}
	return rc;
}

/* A write that failed never reaches lease_reply: the PATCH ends here. */
static void lease_release(struct mc_api_write *aw)
{
	struct lease *l = (struct lease *)aw;

	if (l->p) {
		patch_give(l->p);
		patch_release(&l->p->aw);
		mc_free(l->p);
	}
}

static void patch_run(struct mc_conn *db, void *arg);
static void patch_done(struct mc_req *r, void *arg);

static void lease_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct lease *l = (struct lease *)aw;
	struct patch *p = l->p;

	if (!l->until) {
		/* Let go after a failed write: now say what failed. */
		mc_reply_err(r, &l->err);
		return;
	}
	l->p = NULL;
	if (l->busy) {
		patch_give(p);
		mc_reply_err(r, &l->err);
		patch_release(&p->aw);
		mc_free(p);
		return;
	}
	mc_req_defer(r, patch_run, patch_done, p);
}

static void patch_done(struct mc_req *r, void *arg)
{
	struct patch *p = arg;

	/*
	 * No worker took it (the server is stopping: 503 is answered
	 * already): nothing was written, so nothing is recorded; the lease
	 * ends by itself.
	 */
	if (!p->ran) {
		patch_give(p);
		patch_release(&p->aw);
		mc_free(p);
		return;
	}
	if (p->rc) {
		struct lease *l = mc_calloc(1, sizeof(*l));

		mc_req_log(r, MC_LOG_ERROR, "upload not written", json_pack(
			"{s:s, s:s}", "upload", p->id, "error",
			p->err.message));
		snprintf(l->id, sizeof(l->id), "%s", p->id);
		l->err = p->err;
		l->aw.fn = lease_fn;
		l->aw.reply = lease_reply;
		patch_give(p);
		patch_release(&p->aw);
		mc_free(p);
		mc_api_write_submit(r, &l->aw);
		return;
	}
	mc_free(p->data);
	p->data = NULL;
	p->aw.fn = patch_fn;
	p->aw.reply = patch_reply;
	p->aw.release = patch_release;
	mc_api_write_submit(r, &p->aw);
}

struct refuse {
	struct mc_api_write aw;
	char id[MC_UPLOAD_ID];
	char dir[512];
	const char *why;
};

static int refuse_fn(struct mc_conn *c, struct mc_api_write *aw,
		     struct mc_err *err)
{
	return mc_upload_delete(c, ((struct refuse *)aw)->id, err);
}

static void refuse_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct refuse *w = (struct refuse *)aw;

	mc_blob_drop_part(w->dir, w->id);
	mc_reply_problem(r, 415, "unsupported-media-type", "Loại tệp không "
			 "được chấp nhận", w->why, NULL);
}

/* Forgets upload 'id' and answers 415 'why'. */
static void refuse_upload(struct mc_req *r, const char *id, const char *why)
{
	struct refuse *w = mc_calloc(1, sizeof(*w));

	snprintf(w->id, sizeof(w->id), "%s", id);
	snprintf(w->dir, sizeof(w->dir), "%s", mc_req_app(r)->cfg.files_dir);
	w->why = why;
	w->aw.fn = refuse_fn;
	w->aw.reply = refuse_reply;
	mc_api_write_submit(r, &w->aw);
}

/* PATCH /api/v1/uploads/{id}: the next bytes, at Upload-Offset. */
void api_uploads_patch(struct mc_req *r)
{
	const char *ct = mc_req_header_get(r, "content-type"), *body;
	struct mc_err err = MC_ERR_INIT;
	struct mc_upload u;
	struct patch *p;
	int64_t offset;
	char owner[40];
	size_t len;

	if (tus_checked(r) || owner_of(r, owner))
		return;
	if (!ct || strcmp(ct, "application/offset+octet-stream") != 0) {
		mc_reply_problem(r, 415, "unsupported-media-type", "Định dạng "
				 "dữ liệu không được hỗ trợ", "send the bytes "
				 "as application/offset+octet-stream", NULL);
		return;
	}
	offset = header_num(r, "upload-offset");
	if (offset < 0) {
		mc_err_field(&err, "Upload-Offset", "required", "the offset "
			     "these bytes start at");
		mc_reply_err(r, &err);
		return;
	}
	/*
	 * Only an id of the shape we make takes a slot: a longer one would
	 * be kept cut short and never given back.
	 */
	if (strlen(mc_req_param(r, "id")) != MC_UPLOAD_ID - 1 ||
	    strspn(mc_req_param(r, "id"), "0123456789abcdef") !=
	    MC_UPLOAD_ID - 1) {
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy", "no "
				 "upload of yours has this id", NULL);
		return;
	}
	/* Taken before the offset is read, so that it cannot move under us. */
	if (!busy_take(mc_req_param(r, "id"))) {
		mc_err_rule(&err, MC_ECONFLICT, "Upload-Offset", "busy",
			    "another request is writing this upload");
		mc_reply_err(r, &err);
		return;
	}
	/*
	 * From here every refusal lets go of the slot before it answers: a
	 * client may send its next PATCH the moment it reads the answer,
	 * and another event loop may take it before this one goes on.
	 */
	if (mc_upload_get(mc_req_db_primary(r), mc_req_param(r, "id"), owner,
			  &u, NULL)) {
		busy_give(mc_req_param(r, "id"));
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy", "no "
				 "upload of yours has this id", NULL);
		return;
	}
	if (!u.complete && u.expires_at <= mc_api_now(mc_req_app(r))) {
		busy_give(u.id);
		mc_reply_problem(r, 410, "expired", "Phiên tải lên đã hết hạn",
				 "the upload was left unfinished past its "
				 "expiry; start it again", NULL);
		return;
	}
	body = mc_req_body(r, &len);
	if (u.complete || offset != u.received) {
		busy_give(u.id);
		header_num_set(r, "upload-offset", u.received);
		mc_err_rule(&err, MC_ECONFLICT, "Upload-Offset", "offset",
			    "the upload is at offset %" PRId64, u.received);
		mc_reply_err(r, &err);
		return;
	}
	if ((int64_t)len > u.length - offset) {
		busy_give(u.id);
		mc_err_field(&err, "body", "max", "%zu bytes would pass the "
			     "upload's length %" PRId64, len, u.length);
		mc_reply_problem(r, 413, "too-large", "Quá độ dài đã khai báo",
				 "more bytes than Upload-Length", &err);
		return;
	}
	if (len == 0) {
		busy_give(u.id);
		header_num_set(r, "upload-offset", u.received);
		mc_reply_empty(r, 204);
		return;
	}
	p = mc_calloc(1, sizeof(*p));
	if (offset == 0) {
		/* What the bytes are, not what the name says. */
		p->media_type = mc_media_sniff(body, len);
		if (!p->media_type && (len >= 8 || (int64_t)len == u.length)) {
			mc_free(p);
			busy_give(u.id);
			refuse_upload(r, u.id, "the file is not a PDF, JPEG or "
				      "PNG image (by its content)");
			return;
		}
		if (!p->media_type) {
			mc_free(p);
			busy_give(u.id);
			mc_err_field(&err, "body", "min", "the first request "
				     "must bring at least 8 bytes");
			mc_reply_err(r, &err);
			return;
		}
	}
	if (offset > 0) {
		snprintf(p->type, sizeof(p->type), "%s", u.media_type);
		p->media_type = p->type;
	}
	snprintf(p->id, sizeof(p->id), "%s", u.id);
	snprintf(p->dir, sizeof(p->dir), "%s", mc_req_app(r)->cfg.files_dir);
	p->offset = offset;
	p->length = u.length;
	p->len = len;
	p->complete = offset + (int64_t)len == u.length;
	p->now = mc_api_now(mc_req_app(r));
	p->data = mc_malloc(len);
	memcpy(p->data, body, len);
	mc_err_clear(&p->err);
	{
		struct lease *l = mc_calloc(1, sizeof(*l));

		l->p = p;
		snprintf(l->id, sizeof(l->id), "%s", u.id);
		l->from = offset;
		l->until = p->now + 2 * (mc_req_app(r)->cfg.request_timeout_ms /
					 1000 + 1);
		l->aw.fn = lease_fn;
		l->aw.reply = lease_reply;
		l->aw.release = lease_release;
		mc_api_write_submit(r, &l->aw);
	}
}

struct terminate {
	struct mc_api_write aw;
	char id[MC_UPLOAD_ID];
	char dir[512];
};

static int terminate_fn(struct mc_conn *c, struct mc_api_write *aw,
			struct mc_err *err)
{
	return mc_upload_delete(c, ((struct terminate *)aw)->id, err);
}

static void terminate_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct terminate *w = (struct terminate *)aw;

	mc_blob_drop_part(w->dir, w->id);
	mc_reply_empty(r, 204);
}

/* DELETE /api/v1/uploads/{id}: an unfinished upload given up (tus). */
void api_uploads_delete(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct terminate *w;
	struct mc_upload u;
	char owner[40];

	if (tus_checked(r) || owner_of(r, owner) || upload_of(r, owner, &u))
		return;
	if (u.complete) {
		mc_err_rule(&err, MC_ECONFLICT, "id", "complete", "a complete "
			    "upload is a stored file; it is not deleted");
		mc_reply_err(r, &err);
		return;
	}
	w = mc_calloc(1, sizeof(*w));
	snprintf(w->id, sizeof(w->id), "%s", u.id);
	snprintf(w->dir, sizeof(w->dir), "%s", mc_req_app(r)->cfg.files_dir);
	w->aw.fn = terminate_fn;
	w->aw.reply = terminate_reply;
	mc_api_write_submit(r, &w->aw);
}

struct fetch {
	struct mc_file f;
	char dir[512];
	int rc;
	struct mc_err err;
};

/* On a worker: the file still hashes to its name. */
static void fetch_run(struct mc_conn *db, void *arg)
{
	struct fetch *q = arg;

	(void)db;
	q->rc = mc_blob_verify(q->dir, q->f.sha256, q->f.size, &q->err);
}

static void fetch_done(struct mc_req *r, void *arg)
{
	struct fetch *q = arg;
	char path[MC_BLOB_PATH_MAX];

	if (q->rc) {
		mc_req_log(r, MC_LOG_ERROR, "stored file failed its check",
			   json_pack("{s:s, s:s}", "sha256", q->f.sha256,
				     "error", q->err.message));
		mc_reply_problem(r, 500, "damaged", "Tệp lưu trữ bị hỏng",
				 "the stored file does not match its hash; "
				 "the administrators are told", NULL);
	} else {
		mc_blob_path(q->dir, q->f.sha256, path, sizeof(path));
		if (mc_reply_file(r, path, q->f.media_type))
			mc_reply_problem(r, 500, "damaged", "Tệp lưu trữ bị "
					 "hỏng", "the stored file cannot be "
					 "opened", NULL);
	}
	mc_free(q);
}

void mc_api_send_stored(struct mc_req *r, const char *sha256, int64_t size,
			const char *media_type)
{
	struct fetch *q = mc_calloc(1, sizeof(*q));

	snprintf(q->f.sha256, sizeof(q->f.sha256), "%s", sha256);
	q->f.size = size;
	snprintf(q->f.media_type, sizeof(q->f.media_type), "%s", media_type);
	snprintf(q->dir, sizeof(q->dir), "%s", mc_req_app(r)->cfg.files_dir);
	mc_err_clear(&q->err);
	mc_req_defer(r, fetch_run, fetch_done, q);
}

/* GET /api/v1/files/{sha256}: a stored file, for whoever may read it. */
void api_files_get(struct mc_req *r)
{
	const char *sha = mc_req_param(r, "sha256");
	struct mc_file_reader fr;
	struct reader rd;
	struct fetch *q;

	if (reader_of(r, &rd))
		return;
	memcpy(fr.owner, rd.owner, sizeof(fr.owner));
	fr.unit_path = rd.unit_path;
	fr.id_number = rd.id_number;
	q = mc_calloc(1, sizeof(*q));
	if (!mc_sha256_hex_ok(sha) || mc_file_readable(mc_req_db(r), sha, &fr, &q->f, NULL)) {
		mc_free(q);
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy tệp",
				 "no file you may read has this hash", NULL);
		return;
	}
	snprintf(q->dir, sizeof(q->dir), "%s", mc_req_app(r)->cfg.files_dir);
	mc_err_clear(&q->err);
	mc_req_defer(r, fetch_run, fetch_done, q);
}

/* Digitization: a component's scan, certified. */

struct scan {
	struct mc_api_write aw;
	struct mc_user actor;
	char code[96], component[32], sha256[MC_SHA256_HEX];
	char signature[MC_CERTIFY_SIG_B64];
	int64_t now;
};

static int scan_fn(struct mc_conn *c, struct mc_api_write *aw,
		   struct mc_err *err)
{
	struct scan *w = (struct scan *)aw;

	return mc_dossier_scan(c, w->code, w->component, &w->actor, w->sha256,
			       w->signature, w->now, err);
}

static void scan_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct scan *w = (struct scan *)aw;

	mc_reply_json(r, 200, json_pack("{s:s, s:s, s:s, s:s, s:o, s:s}",
		"code", w->code, "component", w->component, "sha256",
		w->sha256, "scanned_by", w->actor.username, "scanned_at",
		mc_api_time(w->now), "signature", w->signature));
}

/*
 * PUT /api/v1/dossiers/{code}/components/{component}/scan
 * {"sha256", "matches_original": true}: the officer attaches the scan,
 * says it matches the original, and certifies it (signed).
 */
void api_dossiers_scan(struct mc_req *r)
{
	static const char *const known[] = { "sha256", "matches_original",
					     NULL };
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	struct scan *w = mc_calloc(1, sizeof(*w));
	char msg[512];
	bool matches = false;
	json_t *body;
	int bad = 0;

	if (mc_api_user(r, &w->actor) ||
	    mc_api_require_role(r, &w->actor, 1u << MC_ROLE_COUNTER_OFFICER) ||
	    !(body = mc_api_body(r))) {
		mc_free(w);
		return;
	}
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "sha256", true, 64, w->sha256,
			  sizeof(w->sha256), &err);
	bad |= mc_api_bool(body, "", "matches_original", true, &matches, &err);
	json_decref(body);
	if (w->sha256[0] && !mc_sha256_hex_ok(w->sha256))
		bad |= mc_err_field(&err, "sha256", "format", "64 lower-case "
				    "hex digits");
	if (!bad && !matches)
		bad |= mc_err_field(&err, "matches_original", "true", "check "
				    "the scan against the original before "
				    "certifying it");
	if (!bad && !app->scan_key)
		bad |= mc_error(&err, MC_EINTERNAL, "no key to certify with");
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	snprintf(w->code, sizeof(w->code), "%s", mc_req_param(r, "code"));
	snprintf(w->component, sizeof(w->component), "%s",
		 mc_req_param(r, "component"));
	w->now = mc_api_now(app);
	mc_certify_message(msg, sizeof(msg), w->sha256, w->code, w->component,
			   w->actor.username, w->now);
	mc_certify_sign(app->scan_key, msg, w->signature);
	w->aw.fn = scan_fn;
	w->aw.reply = scan_reply;
	mc_api_write_submit(r, &w->aw);
}

/* GET /api/v1/keys/scan: the public key that verifies certified scans. */
void api_keys_scan(struct mc_req *r)
{
	const struct mc_app *app = mc_req_app(r);
	char b64[64];

	if (!app->scan_key) {
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy", "no "
				 "key", NULL);
		return;
	}
	sodium_bin2base64(b64, sizeof(b64), app->scan_key->pk,
			  sizeof(app->scan_key->pk),
			  sodium_base64_VARIANT_ORIGINAL);
	mc_reply_json(r, 200, json_pack("{s:s, s:s, s:s}", "algorithm",
		"Ed25519", "public_key", b64, "message", "motcua-scan-v1\n"
		"<sha256>\n<dossier code>\n<component code>\n<officer>\n"
		"<scanned_at, UTC YYYY-MM-DDTHH:MM:SSZ>"));
}
