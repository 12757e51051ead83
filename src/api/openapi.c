/*
 * openapi.c — serves docs/api/openapi.json, compiled into the binary.
 */
#include "core/compat.h"
#include "core/embed.h"
#include "api/api.h"
#include "http/server.h"

void api_openapi(struct mc_req *r)
{
	const struct mc_embed_file *f = mc_embed_find("api/openapi.json");

	if (!f) {
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy",
				 "this build has no OpenAPI document", NULL);
		return;
	}
	mc_reply_bytes(r, 200, "application/json", f->data, f->len);
}
