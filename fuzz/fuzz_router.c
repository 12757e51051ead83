/*
 * fuzz_router.c — the routing of a request line (http/router.c
 * mc_route_find and mc_route_allow) over the real table of the API
 * (api/routes.c mc_api_routes). The first byte chooses the method, the
 * rest is the path. A match must be of the method asked (or GET for
 * HEAD) and capture parameters that lie inside the path.
 */
#include "fuzz.h"
#include "api/api.h"
#include "http/router.h"

static const char *const methods[] = {
	"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "BREW",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mc_route_match m;
	const char *method;
	char allow[256], *path;
	size_t n;
	int i;

	if (size < 1)
		return 0;
	method = methods[data[0] % MC_ARRAY_SIZE(methods)];
	/* The path is not NUL-terminated: the router must keep to its length. */
	path = mc_malloc(size - 1 ? size - 1 : 1);
	n = size - 1;
	memcpy(path, data + 1, n);
	memset(&m, 0, sizeof(m));
	mc_route_find(mc_api_routes, mc_api_nroutes, method, strlen(method),
		      path, n, &m);
	if (m.route) {
		/* HEAD is served by the GET handler. */
		FZ_CHECK(strcmp(m.route->method, method) == 0 ||
			 (!strcmp(method, "HEAD") &&
			  !strcmp(m.route->method, "GET")));
		for (i = 0; i < m.nparams; i++) {
			FZ_CHECK(m.params[i].value >= path);
			FZ_CHECK(m.params[i].value + m.params[i].value_len <=
				 path + n);
			FZ_CHECK(strstr(m.route->pattern, "{") != NULL);
		}
	}
	(void)mc_route_allow(mc_api_routes, mc_api_nroutes, path, n, allow,
			     sizeof(allow));
	FZ_CHECK(strlen(allow) < sizeof(allow));
	mc_free(path);
	return 0;
}
