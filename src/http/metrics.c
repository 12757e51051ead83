/*
 * metrics.c — per-loop request counters and histograms; see metrics.h.
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/mem.h"
#include "http/metrics.h"

#include <stdatomic.h>

/* Statuses counted one by one; anything else counts as its class. */
static const int statuses[] = {
	200, 201, 202, 204, 206, 301, 302, 304, 400, 401, 403, 404, 405,
	406, 408, 409, 410, 412, 413, 414, 415, 416, 422, 429, 431, 500,
	501, 502, 503, 504
};
#define NSTATUS (MC_ARRAY_SIZE(statuses) + 5)	/* + 1xx..5xx classes */

/* Histogram bucket upper bounds, seconds. */
static const double bounds[] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
	2.5, 5, 10, 30
};
#define NBUCKET (MC_ARRAY_SIZE(bounds) + 1)	/* + Inf */

struct route_stats {
	_Atomic uint64_t status[NSTATUS];
	_Atomic uint64_t bucket[NBUCKET];	/* not cumulative */
	_Atomic uint64_t sum_ns;
};

struct mc_metrics {
	const char *const *names;
	size_t nroutes;
	int nloops;
	uint8_t slot[600];			/* status -> index */
	struct route_stats *blocks;		/* [nloops][nroutes] */
};

struct mc_metrics *mc_metrics_new(const char *const *names, size_t nroutes,
				  int nloops)
{
	struct mc_metrics *m = mc_calloc(1, sizeof(*m));
	size_t i, k;
	int s;

	m->names = names;
	m->nroutes = nroutes;
	m->nloops = nloops;
	for (s = 0; s < 600; s++) {
		m->slot[s] = (uint8_t)(MC_ARRAY_SIZE(statuses) +
				       (s >= 100 ? (size_t)(s / 100 - 1) : 4));
		for (k = 0; k < MC_ARRAY_SIZE(statuses); k++)
			if (statuses[k] == s)
				m->slot[s] = (uint8_t)k;
	}
	m->blocks = mc_calloc((size_t)nloops * nroutes, sizeof(*m->blocks));
	for (i = 0; i < (size_t)nloops * nroutes; i++) {
		for (k = 0; k < NSTATUS; k++)
			atomic_init(&m->blocks[i].status[k], 0);
		for (k = 0; k < NBUCKET; k++)
			atomic_init(&m->blocks[i].bucket[k], 0);
		atomic_init(&m->blocks[i].sum_ns, 0);
	}
	return m;
}

void mc_metrics_free(struct mc_metrics *m)
{
	if (!m)
		return;
	mc_free(m->blocks);
	mc_free(m);
}

void mc_metrics_observe(struct mc_metrics *m, int loop, size_t route,
			int status, int64_t ns)
{
	struct route_stats *rs;
	double sec = (double)ns / 1e9;
	size_t b = 0;

	if (loop < 0 || loop >= m->nloops || route >= m->nroutes)
		return;
	rs = &m->blocks[(size_t)loop * m->nroutes + route];
	if (status < 100 || status > 599)
		status = 500;
	while (b < MC_ARRAY_SIZE(bounds) && sec > bounds[b])
		b++;
	atomic_fetch_add_explicit(&rs->status[m->slot[status]], 1,
				  memory_order_relaxed);
	atomic_fetch_add_explicit(&rs->bucket[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&rs->sum_ns, (uint64_t)(ns > 0 ? ns : 0),
				  memory_order_relaxed);
}

static uint64_t load(_Atomic uint64_t *p)
{
	return atomic_load_explicit(p, memory_order_relaxed);
}

int mc_metrics_render(struct mc_metrics *m, struct mc_buf *out)
{
	size_t r, k;
	int l, rc = 0;

	rc |= mc_buf_adds(out,
		"# HELP motcua_http_requests_total HTTP requests answered, by "
		"route and status.\n"
		"# TYPE motcua_http_requests_total counter\n");
	for (r = 0; r < m->nroutes; r++) {
		for (k = 0; k < NSTATUS; k++) {
			uint64_t n = 0;
			char st[8];

			for (l = 0; l < m->nloops; l++)
				n += load(&m->blocks[(size_t)l * m->nroutes +
						     r].status[k]);
			if (!n)
				continue;
			if (k < MC_ARRAY_SIZE(statuses))
				snprintf(st, sizeof(st), "%d", statuses[k]);
			else
				snprintf(st, sizeof(st), "%dxx",
					 (int)(k - MC_ARRAY_SIZE(statuses)) + 1);
			rc |= mc_buf_printf(out, "motcua_http_requests_total"
					    "{route=\"%s\",status=\"%s\"} %"
					    PRIu64 "\n", m->names[r], st, n);
		}
	}
	rc |= mc_buf_adds(out,
		"# HELP motcua_http_request_duration_seconds Time from the "
		"request's arrival to its response, by route.\n"
		"# TYPE motcua_http_request_duration_seconds histogram\n");
	for (r = 0; r < m->nroutes; r++) {
		uint64_t cum = 0, sum = 0;

		for (l = 0; l < m->nloops; l++)
			sum += load(&m->blocks[(size_t)l * m->nroutes +
					       r].sum_ns);
		for (k = 0; k < NBUCKET; k++) {
			uint64_t n = 0;

			for (l = 0; l < m->nloops; l++)
				n += load(&m->blocks[(size_t)l * m->nroutes +
						     r].bucket[k]);
			cum += n;
			if (k < MC_ARRAY_SIZE(bounds))
				rc |= mc_buf_printf(out, "motcua_http_request_"
						    "duration_seconds_bucket{"
						    "route=\"%s\",le=\"%g\"} %"
						    PRIu64 "\n", m->names[r],
						    bounds[k], cum);
			else
				rc |= mc_buf_printf(out, "motcua_http_request_"
						    "duration_seconds_bucket{"
						    "route=\"%s\",le=\"+Inf\"} "
						    "%" PRIu64 "\n",
						    m->names[r], cum);
		}
		rc |= mc_buf_printf(out, "motcua_http_request_duration_"
				    "seconds_sum{route=\"%s\"} %.6f\n"
				    "motcua_http_request_duration_seconds_"
				    "count{route=\"%s\"} %" PRIu64 "\n",
				    m->names[r], (double)sum / 1e9,
				    m->names[r], cum);
	}
	return rc ? MC_ETOOBIG : 0;
}
