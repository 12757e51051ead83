/*
 * router.c — matching a request path against the route patterns.
 *
 * The table is small and matching is a linear scan comparing segment by
 * segment without copying: a few hundred nanoseconds for a few hundred
 * routes, which is not worth a trie yet.
 */
#include "core/compat.h"
#include "http/router.h"

/* Matches path against pattern, capturing {params} into m. */
static bool match(const char *pat, const char *path, size_t plen,
		  struct mc_route_match *m)
{
	const char *p = pat, *s = path, *end = path + plen;

	m->nparams = 0;
	while (*p && s < end) {
		if (*p != '/' || *s != '/')
			return false;
		p++;
		s++;
		if (*p == '{') {
			const char *close = strchr(p, '}');
			const char *seg = s;

			while (s < end && *s != '/')
				s++;
			if (!close || s == seg ||
			    m->nparams == MC_ROUTE_MAX_PARAMS)
				return false;
			m->params[m->nparams].name = p + 1;
			m->params[m->nparams].name_len = (size_t)(close - p - 1);
			m->params[m->nparams].value = seg;
			m->params[m->nparams].value_len = (size_t)(s - seg);
			m->nparams++;
			p = close + 1;
		} else {
			while (*p && *p != '/' && s < end && *s == *p) {
				p++;
				s++;
			}
			if ((*p && *p != '/') || (s < end && *s != '/'))
				return false;
		}
	}
	return !*p && s == end;
}

void mc_route_find(const struct mc_route *routes, size_t n,
		   const char *method, size_t method_len, const char *path,
		   size_t path_len, struct mc_route_match *m)
{
	struct mc_route_match tmp;
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++) {
		if (!match(routes[i].pattern, path, path_len, &tmp))
			continue;
		if (strlen(routes[i].method) == method_len &&
		    memcmp(routes[i].method, method, method_len) == 0) {
			*m = tmp;
			m->route = &routes[i];
			m->path_matched = true;
			return;
		}
		/* HEAD is served by the GET handler. */
		if (method_len == 4 && memcmp(method, "HEAD", 4) == 0 &&
		    strcmp(routes[i].method, "GET") == 0) {
			*m = tmp;
			m->route = &routes[i];
			m->path_matched = true;
			return;
		}
		m->path_matched = true;
	}
}

char *mc_route_allow(const struct mc_route *routes, size_t n,
		     const char *path, size_t path_len, char *out,
		     size_t outlen)
{
	struct mc_route_match tmp;
	size_t i, used = 0;

	if (outlen)
		out[0] = '\0';
	for (i = 0; i < n; i++) {
		int w;

		if (!match(routes[i].pattern, path, path_len, &tmp))
			continue;
		w = snprintf(out + used, outlen - used, "%s%s",
			     used ? ", " : "", routes[i].method);
		if (w < 0 || (size_t)w >= outlen - used)
			break;
		used += (size_t)w;
	}
	return out;
}
