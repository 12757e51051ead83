/*
 * reply.c — answering requests: JSON, bytes and RFC 9457 problem
 * documents. Every answer is sent once; later attempts (a deferred job
 * finishing after its request timed out, a client already gone) are
 * dropped.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/utf8.h"
#include "http/server.h"
#include "http/server_impl.h"

#include <fcntl.h>
#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>

const char *mc__http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return status < 400 ? "OK" : "Error";
	}
}

void mc__reply_send(struct mc_req *r, int status, const char *content_type,
		    const char *body, size_t len)
{
	h2o_req_t *req = r->req;

	if (mc_req_answered(r))
		return;
	r->answered = true;
	r->status = status;
	req->res.status = status;
	req->res.reason = mc__http_reason(status);
	req->res.content_length = len;
	h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE,
		       NULL, content_type, strlen(content_type));
	h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL,
		       NULL, H2O_STRLIT("no-store"));
	h2o_add_header_by_str(&req->pool, &req->res.headers,
			      H2O_STRLIT("x-content-type-options"), 0, NULL,
			      H2O_STRLIT("nosniff"));
	h2o_send_inline(req, body, len);
}

void mc_reply_empty(struct mc_req *r, int status)
{
	h2o_req_t *req = r->req;

	if (mc_req_answered(r))
		return;
	r->answered = true;
	r->status = status;
	req->res.status = status;
	req->res.reason = mc__http_reason(status);
	req->res.content_length = 0;
	h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL,
		       NULL, H2O_STRLIT("no-store"));
	h2o_send_inline(req, "", 0);
}

#define FILE_BUF 65536		/* bytes read and sent at a time */

/* A file sent as the client takes it: one buffer in memory at a time. */
struct file_gen {
	h2o_generator_t super;
	int fd;
	uint64_t off, left;
	char *buf;
};

static void file_close(struct file_gen *g)
{
	if (g->fd >= 0) {
		close(g->fd);
		g->fd = -1;
	}
}

static void file_proceed(h2o_generator_t *self, h2o_req_t *req)
{
	struct file_gen *g = (struct file_gen *)self;
	size_t n = g->left < FILE_BUF ? (size_t)g->left : FILE_BUF;
	h2o_iovec_t v;
	ssize_t got;

	do
		got = pread(g->fd, g->buf, n, (off_t)g->off);
	while (got < 0 && errno == EINTR);
	if (got <= 0) {
		file_close(g);
		h2o_send(req, NULL, 0, H2O_SEND_STATE_ERROR);
		return;
	}
	g->off += (uint64_t)got;
	g->left -= (uint64_t)got;
	v = h2o_iovec_init(g->buf, (size_t)got);
	if (!g->left)
		file_close(g);
	h2o_send(req, &v, 1, g->left ? H2O_SEND_STATE_IN_PROGRESS :
		 H2O_SEND_STATE_FINAL);
}

static void file_stop(h2o_generator_t *self, h2o_req_t *req)
{
	(void)req;
	file_close((struct file_gen *)self);
}

static void file_dispose(void *p)
{
	file_close(p);
}

/*
 * The one range of a Range header ("bytes=a-b", "bytes=a-", "bytes=-n")
 * within 'size': 1 with [*from, *to], 0 to send it all (no header, or
 * several ranges, or another unit), -1 when it cannot be satisfied.
 */
static int one_range(const char *v, size_t len, uint64_t size,
		     uint64_t *from, uint64_t *to)
{
	char buf[64], *dash, *end;
	unsigned long long a, b;

	if (len >= sizeof(buf) || len < 7 || memcmp(v, "bytes=", 6) != 0)
		return 0;
	memcpy(buf, v + 6, len - 6);
	buf[len - 6] = '\0';
	if (strchr(buf, ',') || !(dash = strchr(buf, '-')))
		return 0;
	*dash = '\0';
	if (!buf[0]) {			/* the last n bytes */
		b = strtoull(dash + 1, &end, 10);
		if (*end || !dash[1] || b == 0 || size == 0)
			return -1;
		*from = b >= size ? 0 : size - b;
		*to = size - 1;
		return 1;
	}
	a = strtoull(buf, &end, 10);
	if (*end || a >= size)
		return -1;
	b = dash[1] ? strtoull(dash + 1, &end, 10) : size - 1;
	if ((dash[1] && *end) || b < a)
		return -1;
	*from = a;
	*to = b >= size ? size - 1 : b;
	return 1;
}

int mc_reply_file(struct mc_req *r, const char *path,
		  const char *content_type)
{
	h2o_req_t *req = r->req;
	struct file_gen *g;
	struct stat st;
	uint64_t from = 0, to = 0;
	ssize_t hi;
	int fd, ranged = 0;
	char cr[96];

	if (mc_req_answered(r))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st)) {
		close(fd);
		return -1;
	}
	hi = h2o_find_header(&req->headers, H2O_TOKEN_RANGE, -1);
	if (hi >= 0)
		ranged = one_range(req->headers.entries[hi].value.base,
				   req->headers.entries[hi].value.len,
				   (uint64_t)st.st_size, &from, &to);
	if (ranged < 0) {
		close(fd);
		snprintf(cr, sizeof(cr), "bytes */%lld", (long long)st.st_size);
		h2o_add_header(&req->pool, &req->res.headers,
			       H2O_TOKEN_CONTENT_RANGE, NULL, cr, strlen(cr));
		mc_reply_problem(r, 416, "range-not-satisfiable", "Khoảng dữ "
				 "liệu không hợp lệ", "the range is outside "
				 "the file", NULL);
		return 0;
	}
	g = h2o_mem_alloc_shared(&req->pool, sizeof(*g), file_dispose);
	g->super.proceed = file_proceed;
	g->super.stop = file_stop;
	g->fd = fd;
	g->off = ranged ? from : 0;
	g->left = ranged ? to - from + 1 : (uint64_t)st.st_size;
	g->buf = h2o_mem_alloc_pool(&req->pool, FILE_BUF);
	r->answered = true;
	r->status = ranged ? 206 : 200;
	req->res.status = r->status;
	req->res.reason = mc__http_reason(r->status);
	req->res.content_length = g->left;
	h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE,
		       NULL, content_type, strlen(content_type));
	h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ACCEPT_RANGES,
		       NULL, H2O_STRLIT("bytes"));
	h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL,
		       NULL, H2O_STRLIT("private, no-store"));
	h2o_add_header_by_str(&req->pool, &req->res.headers,
			      H2O_STRLIT("x-content-type-options"), 0, NULL,
			      H2O_STRLIT("nosniff"));
	if (ranged) {
		snprintf(cr, sizeof(cr), "bytes %llu-%llu/%lld",
			 (unsigned long long)from, (unsigned long long)to,
			 (long long)st.st_size);
		h2o_add_header(&req->pool, &req->res.headers,
			       H2O_TOKEN_CONTENT_RANGE, NULL,
			       h2o_strdup(&req->pool, cr, SIZE_MAX).base,
			       strlen(cr));
	}
	h2o_start_response(req, &g->super);
	if (g->left == 0 || h2o_memis(req->method.base, req->method.len,
				      H2O_STRLIT("HEAD"))) {
		file_close(g);
		h2o_send(req, NULL, 0, H2O_SEND_STATE_FINAL);
		return 0;
	}
	file_proceed(&g->super, req);
	return 0;
}

static void send_json(struct mc_req *r, int status, const char *type,
		      json_t *body)
{
	size_t n;
	char *text;

	if (mc_req_answered(r)) {
		json_decref(body);
		return;
	}
	if (!body) {
		/* json_pack refused its input: a bug, but answer anyway. */
		static const char fallback[] = "{\"type\":\"/api/v1/problems/"
			"internal\",\"title\":\"Lỗi hệ thống\",\"status\":500,"
			"\"detail\":\"the server could not encode its answer\"}";

		mc_req_log(r, MC_LOG_ERROR, "answer could not be encoded",
			   NULL);
		mc__reply_send(r, 500, "application/problem+json", fallback,
			       sizeof(fallback) - 1);
		return;
	}
	/*
	 * One pass for the usual small answer, two for a large one. Reals
	 * with 15 digits: 40.92, not 40.920000000000002.
	 */
	text = h2o_mem_alloc_pool(&r->req->pool, 4096);
	n = json_dumpb(body, text, 4096, JSON_COMPACT | JSON_PRESERVE_ORDER |
			   JSON_REAL_PRECISION(15));
	if (n >= 4096) {
		text = h2o_mem_alloc_pool(&r->req->pool, n + 1);
		json_dumpb(body, text, n, JSON_COMPACT | JSON_PRESERVE_ORDER |
			   JSON_REAL_PRECISION(15));
	}
	text[n] = '\0';
	json_decref(body);
	mc__reply_send(r, status, type, text, n);
}

void mc_reply_json(struct mc_req *r, int status, json_t *body)
{
	send_json(r, status, "application/json", body);
}

void mc_reply_bytes(struct mc_req *r, int status, const char *content_type,
		    const void *body, size_t len)
{
	char *copy;

	if (mc_req_answered(r))
		return;
	copy = h2o_mem_alloc_pool(&r->req->pool, len + 1);
	memcpy(copy, body, len);
	copy[len] = '\0';
	mc__reply_send(r, status, content_type, copy, len);
}

void mc_reply_problem(struct mc_req *r, int status, const char *type,
		      const char *title, const char *detail,
		      const struct mc_err *err)
{
	struct mc_arena *a = mc_req_arena(r);
	json_t *doc;
	char uri[96];

	if (mc_req_answered(r))
		return;
	/* Messages may quote client bytes: clean them for JSON. */
#define CLEAN(s) mc_utf8_clean(a, (s), strlen(s), 1024)
	snprintf(uri, sizeof(uri), "/api/v1/problems/%s", type);
	doc = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}",
			"type", uri, "title", title, "status", status,
			"detail", CLEAN(detail),
			"instance", mc_utf8_clean(a, r->req->path_normalized.base,
						  r->req->path_normalized.len,
						  1024),
			"request_id", r->id);
	if (doc && err && err->nfields > 0) {
		json_t *list = json_array();
		int i;

		for (i = 0; i < err->nfields && i < MC_ERR_MAX_FIELDS; i++)
			json_array_append_new(list, json_pack(
				"{s:s, s:s, s:s}",
				"field", CLEAN(err->fields[i].field),
				"rule", CLEAN(err->fields[i].rule),
				"message", CLEAN(err->fields[i].message)));
		json_object_set_new(doc, "errors", list);
	}
#undef CLEAN
	send_json(r, status, "application/problem+json", doc);
}

void mc_reply_err(struct mc_req *r, const struct mc_err *err)
{
	switch (err->code) {
	case MC_EINVAL:
	case MC_ERANGE:
		mc_reply_problem(r, 400, "invalid-input",
				 "Dữ liệu không hợp lệ", err->message, err);
		return;
	case MC_ENOTFOUND:
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy",
				 err->message, err);
		return;
	case MC_ECONFLICT:
		if (err->nfields && strcmp(err->fields[0].rule, "changed") == 0)
			mc_reply_problem(r, 409, "changed", "Dữ liệu đã thay "
					 "đổi, vui lòng tải lại",
					 err->message, err);
		else
			mc_reply_problem(r, 409, "conflict", "Không thể thực "
					 "hiện trong tình trạng hiện tại",
					 err->message, err);
		return;
	case MC_ETOOBIG:
		mc_reply_problem(r, 413, "too-large", "Dữ liệu quá lớn",
				 err->message, err);
		return;
	case MC_EFORBIDDEN:
		mc_reply_problem(r, 403, "forbidden",
				 "Không có quyền thực hiện", err->message, err);
		return;
	case MC_EBUSY:
	case MC_ETIMEOUT:
		mc_reply_problem(r, 503, "unavailable", "Hệ thống đang bận",
				 err->message, err);
		return;
	case MC_ESTORAGE:
		/*
		 * Disk full, a read-only database or file system: nothing of
		 * the request was written (its transaction rolled back
		 * whole); the same request succeeds once space returns.
		 */
		mc_req_log(r, MC_LOG_ERROR, "storage unavailable",
			   json_pack("{s:s}", "error",
				     mc_utf8_clean(mc_req_arena(r), err->message,
						   strlen(err->message), 1024)));
		mc_req_header(r, "retry-after", "60");
		mc_reply_problem(r, 503, "storage", "Hệ thống tạm thời không "
				 "ghi được dữ liệu, xin thử lại sau ít phút",
				 "nothing could be written (the disk is full "
				 "or the database is read-only); nothing of "
				 "this request was saved: send it again later",
				 NULL);
		return;
	case MC_EIO:
		/* The database went away (restart, fail-over): try again. */
		mc_req_log(r, MC_LOG_ERROR, "request failed",
			   json_pack("{s:s, s:s}", "error",
				     mc_utf8_clean(mc_req_arena(r), err->message,
						   strlen(err->message), 1024),
				     "code", mc_strerror(err->code)));
		mc_reply_problem(r, 503, "unavailable", "Hệ thống đang bận",
				 "the database could not be reached; a write "
				 "may or may not have been made: look it up "
				 "before trying again", NULL);
		return;
	default:
		/* The cause goes to the log, not to the client. */
		mc_req_log(r, MC_LOG_ERROR, "request failed",
			   json_pack("{s:s, s:s}", "error",
				     mc_utf8_clean(mc_req_arena(r), err->message,
						   strlen(err->message), 1024),
				     "code", mc_strerror(err->code)));
		mc_reply_problem(r, 500, "internal", "Lỗi hệ thống",
				 "the server failed; the request id identifies "
				 "the failure in the server's log", NULL);
	}
}
