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

#include <jansson.h>

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
	/* One pass for the usual small answer, two for a large one. */
	text = h2o_mem_alloc_pool(&r->req->pool, 4096);
	n = json_dumpb(body, text, 4096, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (n >= 4096) {
		text = h2o_mem_alloc_pool(&r->req->pool, n + 1);
		json_dumpb(body, text, n, JSON_COMPACT | JSON_PRESERVE_ORDER);
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
