/*
 * router.h — the routing table: method and path pattern to handler.
 *
 * Patterns are absolute paths whose segments are literal or "{name}",
 * which matches one non-empty segment and captures it. The table is a
 * static const array defined by the API layer (api/routes.c); the same
 * table is what the OpenAPI document is checked against.
 */
#ifndef MC_HTTP_ROUTER_H
#define MC_HTTP_ROUTER_H

#include "core/compat.h"

struct mc_req;

typedef void mc_handler_fn(struct mc_req *r);

#define MC_ROUTE_MAX_PARAMS 4

struct mc_route {
	const char *method;		/* "GET", "POST", … */
	const char *pattern;		/* "/api/v1/calendar/due" */
	const char *name;		/* metrics label, e.g. "calendar_due" */
	mc_handler_fn *handler;
	const char *summary;		/* one line, for docs and tests */
};

struct mc_route_match {
	const struct mc_route *route;	/* NULL when nothing matched */
	bool path_matched;		/* a route has the path, not the method */
	int nparams;
	struct {
		const char *name;	/* borrowed from the pattern */
		size_t name_len;
		const char *value;	/* borrowed from the path */
		size_t value_len;
	} params[MC_ROUTE_MAX_PARAMS];
};

/*
 * Finds the route for 'method' and 'path' (path without the query) among
 * routes[0..n). Fills 'm'; m->route is NULL when none matches, with
 * m->path_matched telling 405 from 404.
 */
void mc_route_find(const struct mc_route *routes, size_t n,
		   const char *method, size_t method_len, const char *path,
		   size_t path_len, struct mc_route_match *m);

/*
 * Writes into 'out' the methods allowed on 'path' ("GET, POST"); returns
 * 'out'.
 */
char *mc_route_allow(const struct mc_route *routes, size_t n,
		     const char *path, size_t path_len, char *out,
		     size_t outlen);

#endif /* MC_HTTP_ROUTER_H */
