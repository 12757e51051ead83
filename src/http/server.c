/*
 * server.c — the HTTP server: listeners, event loops, request dispatch,
 * deferred work, access log, metrics and graceful shutdown; see server.h.
 *
 * Life of a request. h2o parses it (bounded by max_request_entity_size and
 * the io timeouts) and calls on_req() on the loop thread. on_req() gives
 * it an id and a struct mc_req (refcounted; one reference belongs to h2o's
 * request pool and is dropped when h2o disposes of the request), finds the
 * route and calls the handler, which answers inline or defers to a worker.
 * Paths outside /api/ that match no route fall through to h2o's file
 * handler (web_root). When h2o is done with the request it calls our
 * logger (access log line and metrics), then clears the pool.
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/net.h"
#include "core/timeutil.h"
#include "http/jobs.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "http/server_impl.h"
#include "core/utf8.h"
#include <h2o/http2.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_QUERY_PARAMS 64
#define ACCEPT_BATCH 64

struct req_map_slot {
	h2o_req_t *key;
	struct mc_req *val;
};

struct mc_loop {
	struct mc_server *srv;
	int index;
	pthread_t thread;
	int fd;				/* listening socket */
	h2o_context_t ctx;
	h2o_accept_ctx_t accept_ctx;
	h2o_socket_t *listener;
	h2o_multithread_receiver_t jobs_done;
	h2o_timeout_t req_limit;	/* request_timeout for deferred work */
	struct mc_conn *db;		/* read connection to the primary */
	struct mc_conn *replica;	/* to the read replica, or NULL */
	bool replica_fresh;		/* it may serve reads */
	int64_t replica_checked_ms;	/* when that was last asked */
	uint64_t next_id;		/* request counter */
	_Atomic uint64_t inflight;	/* requests not yet disposed */
	uint64_t deferred;		/* jobs out on workers */
	struct req_map_slot *map;	/* h2o_req_t -> mc_req */
	size_t map_cap, map_len;
	bool started_ok;
};

struct mc_server {
	struct mc_app *app;
	struct mc_server_opts opts;
	h2o_globalconf_t conf;
	struct mc_loop *loops;
	int nloops;
	char address[160];
	const char **route_names;	/* routes, then the extra labels */
	size_t nlabels;
	size_t label_static, label_not_found, label_not_allowed;
	size_t label_other;
	struct mc_metrics *metrics;
	uint32_t id_prefix;		/* random per process */
	atomic_bool stopping;
	h2o_barrier_t started;
	SSL_CTX *ssl_ctx;		/* TLS served directly, or NULL */
	struct mc_net *proxies;		/* trusted_proxies, parsed */
	size_t nproxies;
};

struct mc_handler {
	h2o_handler_t super;
	struct mc_server *srv;
};

struct mc_logger {
	h2o_logger_t super;
	struct mc_server *srv;
};

static struct mc_loop *loop_of(h2o_req_t *req)
{
	return H2O_STRUCT_FROM_MEMBER(struct mc_loop, ctx, req->conn->ctx);
}

/* The loop's map from h2o requests to ours (open addressing). */

static size_t map_hash(const h2o_req_t *key, size_t cap)
{
	uintptr_t x = (uintptr_t)key;

	x ^= x >> 17;
	x *= UINT64_C(0x9e3779b97f4a7c15);
	return (size_t)(x >> 20) & (cap - 1);
}

static void map_put(struct mc_loop *lp, h2o_req_t *key, struct mc_req *val);

static void map_grow(struct mc_loop *lp)
{
	struct req_map_slot *old = lp->map;
	size_t oldcap = lp->map_cap, i;

	lp->map_cap = oldcap ? oldcap * 2 : 256;
	lp->map = mc_calloc(lp->map_cap, sizeof(*lp->map));
	lp->map_len = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i].key)
			map_put(lp, old[i].key, old[i].val);
	mc_free(old);
}

static void map_put(struct mc_loop *lp, h2o_req_t *key, struct mc_req *val)
{
	size_t i;

	if ((lp->map_len + 1) * 2 > lp->map_cap)
		map_grow(lp);
	for (i = map_hash(key, lp->map_cap); lp->map[i].key;
	     i = (i + 1) & (lp->map_cap - 1))
		if (lp->map[i].key == key)
			break;
	if (!lp->map[i].key)
		lp->map_len++;
	lp->map[i].key = key;
	lp->map[i].val = val;
}

static struct mc_req *map_get(struct mc_loop *lp, const h2o_req_t *key)
{
	size_t i;

	if (!lp->map_cap)
		return NULL;
	for (i = map_hash(key, lp->map_cap); lp->map[i].key;
	     i = (i + 1) & (lp->map_cap - 1))
		if (lp->map[i].key == key)
			return lp->map[i].val;
	return NULL;
}

static void map_del(struct mc_loop *lp, const h2o_req_t *key)
{
	size_t i, j;

	if (!lp->map_cap)
		return;
	for (i = map_hash(key, lp->map_cap); lp->map[i].key;
	     i = (i + 1) & (lp->map_cap - 1))
		if (lp->map[i].key == key)
			break;
	if (!lp->map[i].key)
		return;
	/* Backward-shift deletion keeps probe chains intact. */
	lp->map[i].key = NULL;
	lp->map_len--;
	for (j = (i + 1) & (lp->map_cap - 1); lp->map[j].key;
	     j = (j + 1) & (lp->map_cap - 1)) {
		struct req_map_slot s = lp->map[j];

		lp->map[j].key = NULL;
		lp->map_len--;
		map_put(lp, s.key, s.val);
	}
}

/* Request contexts. */

static void req_unref(struct mc_req *r)
{
	if (--r->refs > 0)
		return;
	mc_arena_release(&r->arena);
	mc_free(r);
}

/* h2o clears the request's pool: the request is over for h2o. */
static void on_pool_dispose(void *p)
{
	struct mc_req *r = *(struct mc_req **)p;
	struct mc_loop *lp = r->loop;

	map_del(lp, r->req);
	r->req = NULL;
	r->answered = true;
	atomic_fetch_sub_explicit(&lp->inflight, 1, memory_order_relaxed);
	req_unref(r);
}

static bool valid_request_id(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 36)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		      c == '.'))
			return false;
	}
	return true;
}

static void make_id(struct mc_loop *lp, char *out, size_t n)
{
	snprintf(out, n, "%06" PRIx32 "%02x%08" PRIx64,
		 lp->srv->id_prefix & 0xffffff, (unsigned)lp->index & 0xff,
		 ++lp->next_id);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes a query component (+ and %XX) into the arena; NULL if bad. */
static char *url_decode(struct mc_arena *a, const char *s, size_t n)
{
	char *out = mc_arena_alloc(a, n + 1), *o = out;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '+') {
			*o++ = ' ';
		} else if (s[i] == '%') {
			int h, l;

			if (i + 2 >= n)
				return NULL;
			h = hexval(s[i + 1]);
			l = hexval(s[i + 2]);
			if (h < 0 || l < 0 || (h == 0 && l == 0))
				return NULL;
			*o++ = (char)(h * 16 + l);
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

/* Parses the query string; returns 0 or MC_EINVAL naming "query". */
static int parse_pairs(struct mc_req *r, const char *q, const char *end,
		       struct mc_err *err);

static int parse_query(struct mc_req *r, struct mc_err *err)
{
	h2o_req_t *req = r->req;

	if (req->query_at == SIZE_MAX)
		return 0;
	return parse_pairs(r, req->path.base + req->query_at + 1,
			   req->path.base + req->path.len, err);
}

int mc_req_form(struct mc_req *r, struct mc_err *err)
{
	size_t len;
	const char *body = mc_req_body(r, &len);

	return body && len ? parse_pairs(r, body, body + len, err) : 0;
}

/* "k=v&k2=v2" into the request's parameters (after those there are). */
static int parse_pairs(struct mc_req *r, const char *q, const char *end,
		       struct mc_err *err)
{
	if (!r->query)
		r->query = mc_arena_calloc(&r->arena, MAX_QUERY_PARAMS,
					   sizeof(*r->query));
	while (q < end) {
		const char *amp = memchr(q, '&', (size_t)(end - q));
		const char *pe = amp ? amp : end;
		const char *eq = memchr(q, '=', (size_t)(pe - q));
		char *k, *v;

		if (pe == q) {
			q = pe + 1;
			continue;
		}
		if (r->nquery == MAX_QUERY_PARAMS)
			return mc_err_field(err, "query", "format", "too many "
					    "query parameters (at most %d)",
					    MAX_QUERY_PARAMS);
		k = url_decode(&r->arena, q, (size_t)((eq ? eq : pe) - q));
		v = eq ? url_decode(&r->arena, eq + 1, (size_t)(pe - eq - 1)) :
		    mc_arena_strdup(&r->arena, "");
		if (!k || !v)
			return mc_err_field(err, "query", "format", "bad "
					    "percent-encoding in the query "
					    "string");
		if (!mc_utf8_valid(k, strlen(k)) || !mc_utf8_valid(v, strlen(v)))
			return mc_err_field(err, "query", "format", "the query "
					    "string is not valid UTF-8");
		r->query[r->nquery].key = k;
		r->query[r->nquery].value = v;
		r->nquery++;
		q = pe + (pe < end);
	}
	return 0;
}

/*
 * Copies the path parameters out of h2o's buffers into the arena: a
 * deferred handler may read them after h2o has freed the request.
 */
static int copy_params(struct mc_req *r, struct mc_err *err)
{
	int i;

	for (i = 0; i < r->match.nparams; i++) {
		const char *v = r->match.params[i].value;
		size_t n = r->match.params[i].value_len;

		if (!mc_utf8_valid(v, n))
			return mc_err_field(err, "path", "format", "the path is "
					    "not valid UTF-8");
		r->match.params[i].value = mc_arena_strndup(&r->arena, v, n);
	}
	return 0;
}

/* Adds header 'name' to the answer, or with 'replace' sets it. */
static void put_header(struct mc_req *r, const char *name, const char *value,
		       bool replace)
{
	h2o_req_t *req = r->req;
	size_t nl = strlen(name), vl = strlen(value);
	char *n = h2o_mem_alloc_pool(&req->pool, nl + 1);
	char *v = h2o_mem_alloc_pool(&req->pool, vl + 1);

	memcpy(n, name, nl + 1);
	memcpy(v, value, vl + 1);
	if (replace)
		h2o_set_header_by_str(&req->pool, &req->res.headers, n, nl, 1,
				      v, vl, 1);
	else
		h2o_add_header_by_str(&req->pool, &req->res.headers, n, nl, 1,
				      NULL, v, vl);
}

static void add_header(struct mc_req *r, const char *name, const char *value)
{
	put_header(r, name, value, false);
}

/*
 * On every answer, API and files alike (docs/security.md): the web pages
 * load only this site's scripts, styles and fonts (no inline code),
 * images also from blob: (the VietQR codes, drawn by the API) and data:,
 * and may not be framed; nothing is sniffed; no Referer leaves (a look-up
 * address holds a dossier code).
 */
static void security_headers(struct mc_req *r)
{
	add_header(r, "content-security-policy", MC_CSP_HEAD MC_CSP_TAIL);
	add_header(r, "x-content-type-options", "nosniff");
	add_header(r, "x-frame-options", "DENY");
	add_header(r, "referrer-policy", "no-referrer");
	add_header(r, "permissions-policy", "camera=(), microphone=(), "
		   "geolocation=(), payment=()");
	add_header(r, "cross-origin-opener-policy", "same-origin");
	/* Served over TLS here: browsers keep to HTTPS for a year. */
	if (r->srv->ssl_ctx)
		add_header(r, "strict-transport-security", "max-age=31536000; "
			   "includeSubDomains");
}

/*
 * The logged path without personal numbers: every run of 9 or more digits
 * (a personal ID, a tax code, a phone number in a path such as
 * /api/v1/people/{id}/documents) keeps only its last 3 (docs/security.md).
 * The query string is never logged. In place; returns 's'.
 */
static char *mask_numbers(char *s)
{
	char *p = s;

	while (p && *p) {
		size_t n = strspn(p, "0123456789");

		if (n >= 9)
			memset(p, '*', n - 3);
		p += n ? n : 1;
	}
	return s;
}

/* Database time of the loop's connections so far. */
static uint64_t loop_db_ns(const struct mc_loop *lp)
{
	const struct mc_db_hooks *db = lp->srv->opts.db;
	uint64_t ns = 0;

	if (lp->db)
		ns += db->busy_ns(lp->db);
	if (lp->replica)
		ns += db->busy_ns(lp->replica);
	return ns;
}

/*
 * Asks, at most every MC_REPLICA_CHECK_MS, whether the loop's replica may
 * serve reads; (re)connects a missing or broken one.
 */
static void check_replica(struct mc_loop *lp)
{
	const struct mc_db_hooks *db = lp->srv->opts.db;
	int64_t now = mc_time_mono_ns() / 1000000;
	int state;

	if (!db || !db->connect_replica ||
	    now - lp->replica_checked_ms < MC_REPLICA_CHECK_MS)
		return;
	lp->replica_checked_ms = now;
	if (!lp->replica) {
		struct mc_err err = MC_ERR_INIT;

		if (db->connect_replica(db->arg, &lp->replica, &err)) {
			lp->replica = NULL;
			lp->replica_fresh = false;
			return;
		}
	}
	state = db->replica_state(db->arg, lp->replica);
	if ((state == MC_REPLICA_FRESH) != lp->replica_fresh)
		mc_log_json(lp->srv->opts.log, MC_LOG_INFO, state ==
			    MC_REPLICA_FRESH ? "reading from the replica" :
			    "reading from the primary only", json_pack(
			    "{s:i, s:s}", "loop", lp->index, "replica",
			    state == MC_REPLICA_STALE ? "behind" : state ==
			    MC_REPLICA_BROKEN ? "not answering" : "fresh"));
	lp->replica_fresh = state == MC_REPLICA_FRESH;
	if (state == MC_REPLICA_BROKEN) {
		db->close(lp->replica);
		lp->replica = NULL;
	}
}

static int on_req(h2o_handler_t *self, h2o_req_t *req)
{
	struct mc_server *srv = ((struct mc_handler *)self)->srv;
	struct mc_loop *lp = loop_of(req);
	struct mc_req *r, **slot;
	const char *path = req->path_normalized.base;
	size_t plen = req->path_normalized.len;
	ssize_t hi;
	struct mc_err err = MC_ERR_INIT;

	r = mc_calloc(1, sizeof(*r));
	r->req = req;
	r->loop = lp;
	r->srv = srv;
	r->refs = 1;
	mc_arena_init(&r->arena);
	/* Our own id always; a client's is logged beside it. */
	make_id(lp, r->id, sizeof(r->id));
	hi = h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-request-id"),
				    -1);
	if (hi >= 0 && valid_request_id(req->headers.entries[hi].value.base,
					req->headers.entries[hi].value.len))
		snprintf(r->client_id, sizeof(r->client_id), "%.*s",
			 (int)req->headers.entries[hi].value.len,
			 req->headers.entries[hi].value.base);
	slot = h2o_mem_alloc_shared(&req->pool, sizeof(*slot),
				    on_pool_dispose);
	*slot = r;
	map_put(lp, req, r);
	atomic_fetch_add_explicit(&lp->inflight, 1, memory_order_relaxed);
	add_header(r, "x-request-id", r->id);
	security_headers(r);

	mc_route_find(srv->opts.routes, srv->opts.nroutes, req->method.base,
		      req->method.len, path, plen, &r->match);
	if (!r->match.route) {
		bool api = plen >= 4 && memcmp(path, "/api", 4) == 0 &&
			   (plen == 4 || path[4] == '/');
		char allow[128];

		if (!api && !r->match.path_matched) {
			r->route_index = srv->label_static;
			return -1;	/* on to the static files */
		}
		r->route_index = srv->label_not_found;
		if (r->match.path_matched) {
			r->route_index = srv->label_not_allowed;
			mc_route_allow(srv->opts.routes, srv->opts.nroutes,
				       path, plen, allow, sizeof(allow));
			add_header(r, "allow", allow);
			mc_reply_problem(r, 405, "method-not-allowed",
					 "Phương thức không được hỗ trợ",
					 "this resource does not support the "
					 "method", NULL);
		} else {
			mc_reply_problem(r, 404, "not-found",
					 "Không tìm thấy",
					 "no such resource", NULL);
		}
		return 0;
	}
	r->route_index = (size_t)(r->match.route - srv->opts.routes);
	if (copy_params(r, &err) || parse_query(r, &err)) {
		mc_reply_err(r, &err);
		return 0;
	}
	{
		uint64_t db0 = loop_db_ns(lp);

		r->refs++;	/* h2o may finish the request inside */
		r->primary_only = !h2o_memis(req->method.base, req->method.len,
					     H2O_STRLIT("GET")) &&
				  !h2o_memis(req->method.base, req->method.len,
					     H2O_STRLIT("HEAD"));
		check_replica(lp);
		r->match.route->handler(r);
		r->db_ns += loop_db_ns(lp) - db0;
		req_unref(r);
	}
	return 0;
}

/* Access log and metrics, once per request, before its pool is cleared. */
static void on_log(h2o_logger_t *self, h2o_req_t *req)
{
	struct mc_server *srv = ((struct mc_logger *)self)->srv;
	struct mc_loop *lp = loop_of(req);
	struct mc_req *r = map_get(lp, req);
	struct timeval now, *begin = &req->timestamps.request_begin_at;
	int64_t ns;
	size_t label = r ? r->route_index : srv->label_other;
	/* 0: the client went away before an answer (counted as 499). */
	int status = req->res.status ? req->res.status : 499;

	gettimeofday(&now, NULL);
	ns = ((int64_t)now.tv_sec - begin->tv_sec) * 1000000000 +
	     ((int64_t)now.tv_usec - begin->tv_usec) * 1000;
	if (begin->tv_sec == 0)
		ns = 0;
	mc_metrics_observe(srv->metrics, lp->index, label, status, ns);
	if (!srv->opts.access_log)
		return;
	{
		struct mc_arena a = MC_ARENA_INIT;
		char id[40];
		size_t plen = req->input.path.len;
		const char *q = memchr(req->input.path.base, '?', plen);
		json_t *f;

		if (r)
			snprintf(id, sizeof(id), "%s", r->id);
		else
			make_id(lp, id, sizeof(id));
		if (q)
			plen = (size_t)(q - req->input.path.base);
		/* Client bytes go through mc_utf8_clean: JSON must be UTF-8. */
		f = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:f, s:f}",
			      "request_id", id,
			      "method", mc_utf8_clean(&a, req->input.method.base,
						      req->input.method.len, 32),
			      "path", mask_numbers(mc_utf8_clean(&a,
				      req->input.path.base, plen, 1024)),
			      "route", srv->route_names[label],
			      "status", status,
			      "bytes", (json_int_t)req->bytes_sent,
			      "ms", (double)ns / 1e6,
			      "db_ms", r ? (double)r->db_ns / 1e6 : 0.0);
		/* Which database the request read: "replica" or "primary". */
		if (f && r && (r->snap_replica || r->snap_db))
			json_object_set_new(f, "read_from", json_string(
				r->snap_replica && r->snap_db ? "both" :
				r->snap_replica ? "replica" : "primary"));
		if (f && r && r->client_id[0])
			json_object_set_new(f, "client_request_id",
					    json_string(r->client_id));
		if (!f)		/* cannot happen; never lose the line */
			f = json_pack("{s:s, s:i}", "request_id", id, "status",
				      status);
		mc_log_json(srv->opts.log, MC_LOG_INFO, "request", f);
		mc_arena_release(&a);
	}
}

/* Deferred work. */

/* On a worker: touches only the job's own fields (run, arg, job_db_ns). */
static void job_run(struct mc_job *job, struct mc_conn *db)
{
	struct mc_req *r = H2O_STRUCT_FROM_MEMBER(struct mc_req, job, job);
	const struct mc_db_hooks *hooks = r->db_hooks;
	uint64_t db0 = db ? hooks->busy_ns(db) : 0;

	r->run(db, r->arg);
	if (db)
		r->job_db_ns = hooks->busy_ns(db) - db0;
}

static void job_done(struct mc_job *job)
{
	struct mc_req *r = H2O_STRUCT_FROM_MEMBER(struct mc_req, job, job);

	r->loop->deferred--;
	r->db_ns += r->job_db_ns;
	if (h2o_timeout_is_linked(&r->timer))
		h2o_timeout_unlink(&r->timer);
	r->done(r, r->arg);
	req_unref(r);
}

static void on_req_timeout(h2o_timeout_entry_t *entry)
{
	struct mc_req *r = H2O_STRUCT_FROM_MEMBER(struct mc_req, timer, entry);
	char detail[160];

	snprintf(detail, sizeof(detail), "the request took longer than %"
		 PRId64 " ms; its outcome is unknown, look it up before "
		 "repeating it", r->srv->opts.request_timeout_ms);
	mc_reply_problem(r, 503, "timeout", "Yêu cầu xử lý quá thời gian",
			 detail, NULL);
}

void mc_req_defer(struct mc_req *r, mc_defer_run_fn *run,
		  mc_defer_done_fn *done, void *arg)
{
	struct mc_loop *lp = r->loop;

	r->run = run;
	r->done = done;
	r->arg = arg;
	r->job.run = job_run;
	r->job.done = job_done;
	r->db_hooks = r->srv->opts.db;
	r->job.reply_to = &lp->jobs_done;
	if (!r->srv->opts.jobs || mc_jobs_submit(r->srv->opts.jobs, &r->job)) {
		mc_reply_problem(r, 503, "unavailable", "Hệ thống đang bận",
				 "the server is shutting down or has no "
				 "workers", NULL);
		done(r, arg);
		return;
	}
	r->refs++;
	lp->deferred++;
	r->timer.cb = on_req_timeout;
	h2o_timeout_link(lp->ctx.loop, &lp->req_limit, &r->timer);
}

void mc_req_async(struct mc_req *r, mc_defer_done_fn *done, void *arg)
{
	struct mc_loop *lp = r->loop;

	r->run = NULL;
	r->done = done;
	r->arg = arg;
	r->job_db_ns = 0;
	r->job.run = NULL;
	r->job.done = job_done;
	r->job.reply_to = &lp->jobs_done;
	r->refs++;
	lp->deferred++;
	r->timer.cb = on_req_timeout;
	h2o_timeout_link(lp->ctx.loop, &lp->req_limit, &r->timer);
}

void mc_req_resume(struct mc_req *r)
{
	h2o_multithread_send_message(r->job.reply_to, &r->job.msg);
}

/* Accessors. */

struct mc_app *mc_req_app(const struct mc_req *r)
{
	return r->srv->app;
}

struct mc_server *mc_req_server(const struct mc_req *r)
{
	return r->srv;
}

struct mc_arena *mc_req_arena(struct mc_req *r)
{
	return &r->arena;
}

/* Begins the request's snapshot on 'c' at its first use. */
static struct mc_conn *req_conn(struct mc_req *r, struct mc_conn *c,
				bool *begun)
{
	const struct mc_db_hooks *db = r->srv->opts.db;

	if (c && !*begun) {
		*begun = true;
		if (db->read_begin)
			db->read_begin(db->arg, c);
	}
	return c;
}

static bool reads_replica(const struct mc_req *r)
{
	return r->loop->replica && r->loop->replica_fresh && !r->primary_only;
}

struct mc_conn *mc_req_db(struct mc_req *r)
{
	if (reads_replica(r))
		return req_conn(r, r->loop->replica, &r->snap_replica);
	return mc_req_db_primary(r);
}

struct mc_conn *mc_req_db_primary(struct mc_req *r)
{
	return req_conn(r, r->loop->db, &r->snap_db);
}

struct mc_conn *mc_req_db_replica(struct mc_req *r)
{
	return reads_replica(r) && !r->snap_replica ? r->loop->replica : NULL;
}

void mc_req_db_pin(struct mc_req *r)
{
	r->primary_only = true;
}

void mc_req_set_session(struct mc_req *r, const char *id)
{
	snprintf(r->session, sizeof(r->session), "%s", id);
}

const char *mc_req_session(const struct mc_req *r)
{
	return r->session;
}

const char *mc_req_id(const struct mc_req *r)
{
	return r->id;
}

bool mc_req_answered(const struct mc_req *r)
{
	return r->answered || !r->req;
}

void mc_req_log(const struct mc_req *r, enum mc_log_level level,
		const char *msg, json_t *fields)
{
	if (!fields)
		fields = json_object();
	json_object_set_new(fields, "request_id", json_string(r->id));
	mc_log_json(r->srv->opts.log, level, msg, fields);
}

const char *mc_req_query(struct mc_req *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->nquery; i++)
		if (strcmp(r->query[i].key, key) == 0)
			return r->query[i].value;
	return NULL;
}

size_t mc_req_query_all(struct mc_req *r, const char *key,
			const char **vals, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < r->nquery; i++) {
		if (strcmp(r->query[i].key, key) != 0)
			continue;
		if (n < max)
			vals[n] = r->query[i].value;
		n++;
	}
	return n;
}

int mc_req_query_check(struct mc_req *r, const char *const *allowed,
		       struct mc_err *err)
{
	size_t i, k;
	int rc = 0;

	for (i = 0; i < r->nquery; i++) {
		for (k = 0; allowed[k]; k++)
			if (strcmp(r->query[i].key, allowed[k]) == 0)
				break;
		if (!allowed[k])
			rc = mc_err_field(err, r->query[i].key, "unknown",
					  "unknown query parameter");
	}
	return rc;
}

const char *mc_req_header_get(struct mc_req *r, const char *name)
{
	ssize_t i;
	const h2o_header_t *h;

	if (!r->req)
		return NULL;
	i = h2o_find_header_by_str(&r->req->headers, name, strlen(name), -1);
	if (i < 0)
		return NULL;
	h = &r->req->headers.entries[i];
	return mc_arena_strndup(&r->arena, h->value.base, h->value.len);
}

/* Whether address 'a' (of 'family') is one of the trusted proxies. */
static bool trusted(const struct mc_server *srv, int family,
		    const unsigned char *a)
{
	return mc_nets_match(srv->proxies, srv->nproxies, family, a);
}

/*
 * The client behind trusted proxies: the rightmost address of
 * X-Forwarded-For that is not a trusted proxy, into 'buf'; false when
 * the header gives none that reads as an address.
 */
static bool forwarded_for(struct mc_req *r, char *buf, size_t n)
{
	ssize_t i = h2o_find_header_by_str(&r->req->headers,
					   H2O_STRLIT("x-forwarded-for"), -1);
	const char *v, *end;

	if (i < 0)
		return false;
	v = r->req->headers.entries[i].value.base;
	end = v + r->req->headers.entries[i].value.len;
	while (end > v) {
		const char *start = end;
		unsigned char a[16];
		char one[INET6_ADDRSTRLEN];
		size_t k;
		int fam;

		while (start > v && start[-1] != ',')
			start--;
		k = (size_t)(end - start);
		end = start > v ? start - 1 : v;
		while (k && (*start == ' ' || *start == '\t'))
			start++, k--;
		while (k && (start[k - 1] == ' ' || start[k - 1] == '\t'))
			k--;
		if (!k || k >= sizeof(one))
			return false;
		memcpy(one, start, k);
		one[k] = '\0';
		if (inet_pton(AF_INET, one, a) == 1)
			fam = AF_INET;
		else if (inet_pton(AF_INET6, one, a) == 1)
			fam = AF_INET6;
		else
			return false;
		if (!trusted(r->srv, fam, a)) {
			snprintf(buf, n, "%s", one);
			return true;
		}
	}
	return false;
}

const char *mc_req_peer(struct mc_req *r)
{
	struct sockaddr_storage ss;
	char buf[INET6_ADDRSTRLEN];
	const unsigned char *a;
	socklen_t n;

	if (!r->req || !r->req->conn->callbacks->get_peername)
		return "";
	n = r->req->conn->callbacks->get_peername(r->req->conn,
						  (struct sockaddr *)&ss);
	if (n == 0)
		return "";
	if (ss.ss_family == AF_INET)
		a = (const unsigned char *)&((struct sockaddr_in *)&ss)->sin_addr;
	else if (ss.ss_family == AF_INET6)
		a = (const unsigned char *)
		    &((struct sockaddr_in6 *)&ss)->sin6_addr;
	else
		return "";
	/* Through a trusted proxy: the client it names. */
	if (r->srv->nproxies && trusted(r->srv, ss.ss_family, a) &&
	    forwarded_for(r, buf, sizeof(buf)))
		return mc_arena_strndup(&r->arena, buf, strlen(buf));
	inet_ntop(ss.ss_family, a, buf, sizeof(buf));
	return mc_arena_strndup(&r->arena, buf, strlen(buf));
}

const char *mc_req_body(struct mc_req *r, size_t *len)
{
	if (!r->req || !r->req->entity.base) {
		*len = 0;
		return NULL;
	}
	*len = r->req->entity.len;
	return r->req->entity.base;
}

const char *mc_req_param(struct mc_req *r, const char *name)
{
	size_t n = strlen(name);
	int i;

	for (i = 0; i < r->match.nparams; i++)
		if (r->match.params[i].name_len == n &&
		    memcmp(r->match.params[i].name, name, n) == 0)
			return mc_arena_strndup(&r->arena,
						r->match.params[i].value,
						r->match.params[i].value_len);
	return NULL;
}

void mc_req_header(struct mc_req *r, const char *name, const char *value)
{
	if (r->req && !r->answered)
		add_header(r, name, value);
}

void mc_req_header_set(struct mc_req *r, const char *name, const char *value)
{
	if (r->req && !r->answered)
		put_header(r, name, value, true);
}

/* Listeners and loops. */

static void on_accept(h2o_socket_t *listener, const char *err)
{
	struct mc_loop *lp = listener->data;
	int i;

	if (err)
		return;
	for (i = 0; i < ACCEPT_BATCH; i++) {
		h2o_socket_t *sock = h2o_evloop_socket_accept(listener);

		if (!sock)
			break;
		h2o_accept(&lp->accept_ctx, sock);
	}
}

static bool connections_open(struct mc_loop *lp)
{
	return !h2o_linklist_is_empty(&lp->ctx.http1._conns) ||
	       !h2o_linklist_is_empty(&lp->ctx.http2._conns);
}

/*
 * Frees this thread's cache of socket buffers (h2o keeps one per thread
 * and 2.2 has no call to release it): popping a cached chunk returns it
 * without allocating.
 */
static void drain_buffer_recycler(void)
{
	h2o_mem_recycle_t *r = &h2o_socket_buffer_prototype.allocator;

	while (r->cnt > 0)
		mc_free(h2o_mem_alloc_recycle(r, 1));
}

static void *loop_main(void *arg)
{
	struct mc_loop *lp = arg;
	struct mc_server *srv = lp->srv;
	struct mc_err err = MC_ERR_INIT;
	int64_t deadline = 0;
	bool clean = true;

	h2o_context_init(&lp->ctx, h2o_evloop_create(), &srv->conf);
	lp->accept_ctx.ctx = &lp->ctx;
	lp->accept_ctx.hosts = srv->conf.hosts;
	lp->accept_ctx.ssl_ctx = srv->ssl_ctx;
	h2o_multithread_register_receiver(lp->ctx.queue, &lp->jobs_done,
					  mc_jobs_on_done);
	h2o_timeout_init(lp->ctx.loop, &lp->req_limit,
			 (uint64_t)srv->opts.request_timeout_ms);
	lp->started_ok = true;
	if (srv->opts.db && srv->opts.db->connect(srv->opts.db->arg, &lp->db,
						  &err)) {
		mc_log_json(srv->opts.log, MC_LOG_ERROR, "loop cannot open "
			    "the database", json_pack("{s:s}", "error",
						      err.message));
		lp->started_ok = false;
	}
	lp->listener = h2o_evloop_socket_create(lp->ctx.loop, lp->fd,
						H2O_SOCKET_FLAG_DONT_READ);
	lp->listener->data = lp;
	h2o_socket_read_start(lp->listener, on_accept);
	h2o_barrier_wait(&srv->started);

	for (;;) {
		h2o_evloop_run(lp->ctx.loop, 100);
		if (lp->db && srv->opts.db->read_idle)
			srv->opts.db->read_idle(srv->opts.db->arg, lp->db);
		if (lp->replica && srv->opts.db->read_idle)
			srv->opts.db->read_idle(srv->opts.db->arg,
						lp->replica);
		if (!atomic_load(&srv->stopping))
			continue;
		if (lp->listener) {
			h2o_socket_read_stop(lp->listener);
			h2o_socket_close(lp->listener);
			lp->listener = NULL;
			h2o_context_request_shutdown(&lp->ctx);
			/*
			 * Idle keep-alive connections wait on h2o's request
			 * timeout: shorten it so they close within a second
			 * (a client still sending a request gets that long).
			 */
			lp->ctx.http1.req_timeout.timeout = 1000;
			deadline = mc_time_now_ms() +
				   srv->opts.shutdown_timeout_ms;
		}
		if (atomic_load(&lp->inflight) == 0 && lp->deferred == 0 &&
		    !connections_open(lp))
			break;
		/*
		 * Past the deadline (and the second idle connections need to
		 * close), stop waiting for clients, but never for work out on
		 * the workers: its result comes back to this loop, which must
		 * outlive it.
		 */
		if (mc_time_now_ms() > deadline + 2500 && lp->deferred == 0) {
			clean = !connections_open(lp);
			mc_log_json(srv->opts.log, MC_LOG_WARN, "shutdown "
				    "timeout: closing with requests in flight",
				    json_pack("{s:i, s:I}", "loop", lp->index,
					      "in_flight", (json_int_t)
					      atomic_load(&lp->inflight)));
			break;
		}
	}
	if (clean) {
		/* HTTP/2's graceful-shutdown timer outlives its connections. */
		if (h2o_timeout_is_linked(
			    &lp->ctx.http2._graceful_shutdown_timeout))
			h2o_timeout_unlink(
				&lp->ctx.http2._graceful_shutdown_timeout);
		h2o_timeout_dispose(lp->ctx.loop, &lp->req_limit);
		h2o_multithread_unregister_receiver(lp->ctx.queue,
						    &lp->jobs_done);
		{
			h2o_loop_t *loop = lp->ctx.loop;

			/* Sockets closed by the dispose go on the next turn. */
			h2o_context_dispose(&lp->ctx);
			h2o_evloop_run(loop, 0);
			h2o_evloop_destroy(loop);
		}
		drain_buffer_recycler();
	}
	if (lp->db)
		srv->opts.db->close(lp->db);
	lp->db = NULL;
	if (lp->replica)
		srv->opts.db->close(lp->replica);
	lp->replica = NULL;
	return NULL;
}

/* Splits "host:port" / "[v6]:port"; returns 0 or -1. */
static int split_hostport(const char *s, char *host, size_t hn, char *port,
			  size_t pn)
{
	const char *colon;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return -1;
		snprintf(host, hn, "%.*s", (int)(close - s - 1), s + 1);
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return -1;
		snprintf(host, hn, "%.*s", (int)(colon - s), s);
	}
	if (!colon[1] || strlen(colon + 1) >= pn)
		return -1;
	snprintf(port, pn, "%s", colon + 1);
	return 0;
}

static int open_listeners(struct mc_server *srv, struct mc_err *err)
{
	struct addrinfo hints, *ai = NULL;
	char host[128], port[16];
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int i, on = 1, rc;

	if (split_hostport(srv->opts.listen, host, sizeof(host), port,
			   sizeof(port)))
		return mc_err_field(err, "listen", "format", "'%s' is not "
				    "host:port", srv->opts.listen);
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &ai);
	if (rc)
		return mc_err_field(err, "listen", "address", "cannot resolve "
				    "'%s': %s", srv->opts.listen,
				    gai_strerror(rc));
	memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
	sl = ai->ai_addrlen;
	freeaddrinfo(ai);
	/*
	 * SO_REUSEPORT would let a second motcua (or anything else that sets
	 * it) share the port, and split the clients between two processes:
	 * first make sure nothing listens there, with a socket that does not
	 * share.
	 */
	if (strcmp(port, "0") != 0) {
		int probe = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int busy;

		if (probe < 0)
			return mc_error(err, MC_EIO, "cannot listen on %s: %s",
					srv->opts.listen, strerror(errno));
		busy = setsockopt(probe, SOL_SOCKET, SO_REUSEADDR, &on,
				  sizeof(on)) ||
		       bind(probe, (struct sockaddr *)&ss, sl);
		rc = errno;
		close(probe);
		if (busy)
			return mc_error(err, MC_EIO, "cannot listen on %s: %s%s",
					srv->opts.listen, strerror(rc),
					rc == EADDRINUSE ? " (is another motcua "
					"serving there?)" : "");
	}
	for (i = 0; i < srv->nloops; i++) {
		int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
				SOCK_CLOEXEC, 0);

		srv->loops[i].fd = fd;
		if (fd < 0 ||
		    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on,
			       sizeof(on)) ||
		    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on,
			       sizeof(on)) ||
		    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on,
			       sizeof(on)) ||
		    bind(fd, (struct sockaddr *)&ss, sl) ||
		    listen(fd, 1024))
			return mc_error(err, MC_EIO, "cannot listen on %s: %s",
					srv->opts.listen, strerror(errno));
		if (i == 0) {
			/* Port 0: the others take the port the first got. */
			sl = sizeof(ss);
			getsockname(fd, (struct sockaddr *)&ss, &sl);
		}
	}
	{
		char h[INET6_ADDRSTRLEN + 2], p[8];

		getnameinfo((struct sockaddr *)&ss, sl, h, sizeof(h), p,
			    sizeof(p), NI_NUMERICHOST | NI_NUMERICSERV);
		snprintf(srv->address, sizeof(srv->address),
			 ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", h, p);
	}
	return 0;
}

static void define_types(h2o_pathconf_t *pc)
{
	static const char *const types[][2] = {
		{ "html", "text/html; charset=utf-8" },
		{ "htm", "text/html; charset=utf-8" },
		{ "css", "text/css; charset=utf-8" },
		{ "js", "text/javascript; charset=utf-8" },
		{ "mjs", "text/javascript; charset=utf-8" },
		{ "json", "application/json" },
		{ "svg", "image/svg+xml" },
		{ "png", "image/png" },
		{ "jpg", "image/jpeg" },
		{ "ico", "image/x-icon" },
		{ "webmanifest", "application/manifest+json" },
		{ "woff2", "font/woff2" },
		{ "txt", "text/plain; charset=utf-8" },
	};
	size_t i;

	/* Defining does not replace h2o's own entry: remove it first. */
	for (i = 0; i < MC_ARRAY_SIZE(types); i++) {
		h2o_mimemap_remove_type(pc->mimemap, types[i][0]);
		h2o_mimemap_define_mimetype(pc->mimemap, types[i][0],
					    types[i][1], NULL);
	}
}

/*
 * Pages whose every path below them is the one page (it reads the rest
 * of the path itself): the public look-up /tra-cuu/CODE, the address the
 * QR code on a receipt carries.
 */
static const char *const deep_links[][2] = {
	{ "/tra-cuu", "tra-cuu/index.html" },
};

static void mount_page(struct mc_server *srv, h2o_hostconf_t *host,
		       const char *root, const char *prefix, const char *file)
{
	h2o_pathconf_t *pc = h2o_config_register_path(host, prefix, 0);
	struct mc_handler *h = (struct mc_handler *)h2o_create_handler(pc,
								      sizeof(*h));
	struct mc_logger *lg;
	char real[4096];

	h->super.on_req = on_req;
	h->srv = srv;
	define_types(pc);
	snprintf(real, sizeof(real), "%s/%s", root, file);
	h2o_file_register_file(pc, real, h2o_mimemap_get_type_by_extension(
			       pc->mimemap, h2o_iovec_init(H2O_STRLIT(
			       "html"))), 0);
	lg = (struct mc_logger *)h2o_create_logger(pc, sizeof(*lg));
	lg->super.log_access = on_log;
	lg->srv = srv;
}

/*
 * The TLS context (docs/security.md "TLS"): TLS 1.2 and 1.3 only, for
 * 1.2 only forward-secret AEAD suites (ECDHE with AES-GCM or
 * ChaCha20-Poly1305, as Mozilla's "intermediate" profile), no
 * compression, no renegotiation, session tickets keyed per process;
 * HTTP/2 or HTTP/1.1 by ALPN.
 */
static int tls_context(const char *cert, const char *key, SSL_CTX **out,
		       struct mc_err *err)
{
	static const char ciphers12[] = "ECDHE-ECDSA-AES128-GCM-SHA256:"
		"ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
		"ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
		"ECDHE-RSA-CHACHA20-POLY1305";
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	char why[256];

	*out = NULL;
	if (!ctx)
		return mc_error(err, MC_EINTERNAL, "cannot make a TLS context");
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION |
			    SSL_OP_NO_RENEGOTIATION);
	if (SSL_CTX_set_cipher_list(ctx, ciphers12) != 1) {
		SSL_CTX_free(ctx);
		return mc_error(err, MC_EINTERNAL, "no TLS 1.2 cipher suite "
				"available");
	}
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
		ERR_error_string_n(ERR_get_error(), why, sizeof(why));
		SSL_CTX_free(ctx);
		return mc_err_field(err, "tls_cert", "certificate", "%s: %s",
				    cert, why);
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		ERR_error_string_n(ERR_get_error(), why, sizeof(why));
		SSL_CTX_free(ctx);
		return mc_err_field(err, "tls_key", "key", "%s: %s (it must "
				    "be the key of tls_cert)", key, why);
	}
	h2o_ssl_register_alpn_protocols(ctx, h2o_http2_alpn_protocols);
	*out = ctx;
	return 0;
}

int mc_server_start(struct mc_app *app, const struct mc_server_opts *opts,
		    struct mc_server **out, struct mc_err *err)
{
	static const char *index_files[] = { "index.html", NULL };
	struct mc_server *srv = mc_calloc(1, sizeof(*srv));
	h2o_hostconf_t *host;
	h2o_pathconf_t *path;
	struct mc_handler *h;
	struct mc_logger *lg;
	size_t i;
	int rc;

	srv->app = app;
	srv->opts = *opts;
	srv->nloops = opts->threads > 0 ? opts->threads : 1;
	srv->loops = mc_calloc((size_t)srv->nloops, sizeof(*srv->loops));
	atomic_init(&srv->stopping, false);
	for (i = 0; i < (size_t)srv->nloops; i++) {
		srv->loops[i].srv = srv;
		srv->loops[i].index = (int)i;
		srv->loops[i].fd = -1;
		atomic_init(&srv->loops[i].inflight, 0);
	}
	if (getrandom(&srv->id_prefix, sizeof(srv->id_prefix), 0) !=
	    sizeof(srv->id_prefix))
		srv->id_prefix = (uint32_t)getpid();

	/* Route labels for the metrics: the routes and four more. */
	srv->nlabels = opts->nroutes + 4;
	srv->route_names = mc_calloc(srv->nlabels, sizeof(char *));
	for (i = 0; i < opts->nroutes; i++)
		srv->route_names[i] = opts->routes[i].name;
	srv->label_static = opts->nroutes;
	srv->label_not_found = opts->nroutes + 1;
	srv->label_not_allowed = opts->nroutes + 2;
	srv->label_other = opts->nroutes + 3;
	srv->route_names[srv->label_static] = "static";
	srv->route_names[srv->label_not_found] = "not_found";
	srv->route_names[srv->label_not_allowed] = "method_not_allowed";
	srv->route_names[srv->label_other] = "other";
	srv->metrics = mc_metrics_new(srv->route_names, srv->nlabels,
				      srv->nloops);

	if ((rc = mc_nets_parse(opts->trusted_proxies, "trusted_proxies", NULL,
				0, &srv->nproxies, err)))
		goto fail;
	if (srv->nproxies) {
		srv->proxies = mc_calloc(srv->nproxies, sizeof(*srv->proxies));
		mc_nets_parse(opts->trusted_proxies, "trusted_proxies",
			      srv->proxies, srv->nproxies, &srv->nproxies, err);
	}
	if (opts->tls_cert && opts->tls_cert[0] &&
	    (rc = tls_context(opts->tls_cert, opts->tls_key ? opts->tls_key :
			      "", &srv->ssl_ctx, err)))
		goto fail;
	rc = open_listeners(srv, err);
	if (rc)
		goto fail;

	h2o_config_init(&srv->conf);
	srv->conf.server_name = h2o_iovec_init(H2O_STRLIT("motcua"));
	srv->conf.max_request_entity_size = (size_t)opts->max_body;
	srv->conf.http1.req_timeout = (uint64_t)opts->io_timeout_ms;
	srv->conf.http2.idle_timeout = (uint64_t)opts->io_timeout_ms;
	srv->conf.proxy.io_timeout = (uint64_t)opts->io_timeout_ms;
	srv->conf.http2.graceful_shutdown_timeout =
		(uint64_t)opts->shutdown_timeout_ms;
	host = h2o_config_register_host(&srv->conf,
					h2o_iovec_init(H2O_STRLIT("default")),
					65535);
	/* h2o takes the first path that matches: the deep links first. */
	for (i = 0; opts->web_root && i < MC_ARRAY_SIZE(deep_links); i++)
		mount_page(srv, host, opts->web_root, deep_links[i][0],
			   deep_links[i][1]);
	path = h2o_config_register_path(host, "/", 0);
	h = (struct mc_handler *)h2o_create_handler(path, sizeof(*h));
	h->super.on_req = on_req;
	h->srv = srv;
	define_types(path);
	if (opts->web_root)
		h2o_file_register(path, opts->web_root, index_files,
				  path->mimemap, 0);
	lg = (struct mc_logger *)h2o_create_logger(path, sizeof(*lg));
	lg->super.log_access = on_log;
	lg->srv = srv;
	lg = (struct mc_logger *)h2o_create_logger(&host->fallback_path,
						   sizeof(*lg));
	lg->super.log_access = on_log;
	lg->srv = srv;

	h2o_barrier_init(&srv->started, (size_t)srv->nloops + 1);
	for (i = 0; i < (size_t)srv->nloops; i++)
		h2o_multithread_create_thread(&srv->loops[i].thread, NULL,
					      loop_main, &srv->loops[i]);
	h2o_barrier_wait(&srv->started);
	for (i = 0; i < (size_t)srv->nloops; i++) {
		if (!srv->loops[i].started_ok) {
			rc = mc_error(err, MC_EDB, "an event loop could not "
				      "open the database");
			mc_server_stop(srv);
			return rc;
		}
	}
	*out = srv;
	return 0;
fail:
	for (i = 0; i < (size_t)srv->nloops; i++)
		if (srv->loops[i].fd >= 0)
			close(srv->loops[i].fd);
	if (srv->ssl_ctx)
		SSL_CTX_free(srv->ssl_ctx);
	mc_free(srv->proxies);
	mc_metrics_free(srv->metrics);
	mc_free(srv->route_names);
	mc_free(srv->loops);
	mc_free(srv);
	return rc;
}

const char *mc_server_address(const struct mc_server *srv)
{
	return srv->address;
}

int mc_server_metrics(struct mc_server *srv, struct mc_buf *out)
{
	uint64_t inflight = 0;
	int i, rc;

	for (i = 0; i < srv->nloops; i++)
		inflight += atomic_load_explicit(&srv->loops[i].inflight,
						 memory_order_relaxed);
	rc = mc_metrics_render(srv->metrics, out);
	rc |= mc_buf_printf(out,
		"# HELP motcua_http_requests_in_flight Requests being "
		"handled now.\n"
		"# TYPE motcua_http_requests_in_flight gauge\n"
		"motcua_http_requests_in_flight %" PRIu64 "\n", inflight);
	return rc ? MC_ETOOBIG : 0;
}

void mc_server_stop(struct mc_server *srv)
{
	int i;

	if (!srv)
		return;
	atomic_store(&srv->stopping, true);
	for (i = 0; i < srv->nloops; i++)
		pthread_join(srv->loops[i].thread, NULL);
	for (i = 0; i < srv->nloops; i++)
		mc_free(srv->loops[i].map);
	h2o_config_dispose(&srv->conf);
	if (srv->ssl_ctx)
		SSL_CTX_free(srv->ssl_ctx);
	mc_free(srv->proxies);
	mc_metrics_free(srv->metrics);
	mc_free(srv->route_names);
	mc_free(srv->loops);
	mc_free(srv);
}
