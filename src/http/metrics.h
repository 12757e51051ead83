/*
 * metrics.h — request counters and latency histograms, rendered in the
 * Prometheus text format. Each event loop writes to its own block with
 * relaxed atomic adds (no contention, no data race); rendering sums the
 * blocks.
 */
#ifndef MC_HTTP_METRICS_H
#define MC_HTTP_METRICS_H

#include "core/compat.h"
#include "core/buf.h"

struct mc_metrics;

/*
 * 'names' are the route labels, 'nroutes' of them (borrowed: they must
 * outlive the metrics); 'nloops' blocks are kept. The caller frees the
 * result with mc_metrics_free.
 */
struct mc_metrics *mc_metrics_new(const char *const *names, size_t nroutes,
				  int nloops);
void mc_metrics_free(struct mc_metrics *m);

/* Counts one response of 'route' with 'status' that took 'ns'. */
void mc_metrics_observe(struct mc_metrics *m, int loop, size_t route,
			int status, int64_t ns);

/* Appends the request metrics to 'out'. */
int mc_metrics_render(struct mc_metrics *m, struct mc_buf *out);

#endif /* MC_HTTP_METRICS_H */
