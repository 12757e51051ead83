/*
 * server_impl.h — private to src/http: the structures behind struct
 * mc_req and the per-loop state, shared by server.c and reply.c.
 */
#ifndef MC_HTTP_SERVER_IMPL_H
#define MC_HTTP_SERVER_IMPL_H

#include "core/compat.h"
#include "core/mem.h"
#include "http/jobs.h"
#include "http/router.h"
#include "http/server.h"

#include <h2o.h>
#include <stdatomic.h>

struct mc_loop;

struct qparam {
	const char *key;		/* decoded, arena-owned */
	const char *value;
};

struct mc_req {
	h2o_req_t *req;			/* NULL once h2o disposed of it */
	struct mc_loop *loop;
	struct mc_server *srv;
	size_t route_index;		/* into the metrics' route labels */
	struct mc_route_match match;
	char id[40];			/* request id, ours */
	char client_id[40];		/* the client's X-Request-Id, or "" */
	struct mc_arena arena;
	int refs;			/* h2o's pool + a deferred job */
	bool answered;
	int status;			/* status answered */
	struct qparam *query;		/* parsed query */
	size_t nquery;
	uint64_t db_ns;			/* database time of this request */
	/* Reads: snapshots begun in this request; primary only. */
	bool snap_db, snap_replica, primary_only;
	char session[72];		/* mc_req_set_session, or "" */
	/* Deferred work. */
	struct mc_job job;
	const struct mc_db_hooks *db_hooks;	/* for the worker */
	uint64_t job_db_ns;		/* written by the worker only */
	mc_defer_run_fn *run;
	mc_defer_done_fn *done;
	void *arg;
	h2o_timeout_entry_t timer;
};

/* Sends a response prepared in r->req->res with 'body'. */
void mc__reply_send(struct mc_req *r, int status, const char *content_type,
		    const char *body, size_t len);

/* The reason phrase of a status ("OK", "Not Found"). */
const char *mc__http_reason(int status);

#endif /* MC_HTTP_SERVER_IMPL_H */
