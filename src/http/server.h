/*
 * server.h — the HTTP server and the request API the handlers use.
 *
 * One h2o event loop per thread, each with its own SO_REUSEPORT listener
 * and its own read connection to the database; short reads run inline on
 * the loop. Blocking work goes to the worker threads with mc_req_defer()
 * and its result comes back to the loop. Every request gets an id (taken
 * from a valid X-Request-Id header or made up), is limited in body size
 * (max_body) and in time (request_timeout), is answered with JSON or an
 * RFC 9457 problem document, and is logged as one JSON line and counted in
 * /metrics. SIGTERM/SIGINT stop accepting, let in-flight requests finish
 * (up to shutdown_timeout), then drain the workers and the writer.
 *
 * Everything a handler gets from a struct mc_req is borrowed and lives
 * until the request is answered; mc_req_arena() memory likewise.
 */
#ifndef MC_HTTP_SERVER_H
#define MC_HTTP_SERVER_H

#include "core/compat.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "http/router.h"

#include <jansson.h>

struct mc_app;
struct mc_conn;
struct mc_jobs;
struct mc_req;
struct mc_server;

struct mc_server_opts {
	const struct mc_log *log;	/* where lines go */
	const struct mc_db_hooks *db;	/* each loop's connection; NULL: none */
	struct mc_jobs *jobs;		/* worker threads for mc_req_defer */
	const char *listen;		/* host:port */
	int threads;			/* event loops, >= 1 */
	const char *web_root;		/* static files; NULL: none */
	uint64_t max_body;
	int64_t request_timeout_ms;
	int64_t io_timeout_ms;
	int64_t shutdown_timeout_ms;
	bool access_log;
	const struct mc_route *routes;	/* the routing table */
	size_t nroutes;
	/*
	 * TLS served directly (docs/security.md "TLS"): the certificate
	 * chain and the private key, PEM files; NULL or "": plain HTTP.
	 * With them every answer also carries Strict-Transport-Security.
	 */
	const char *tls_cert;
	const char *tls_key;
	/*
	 * Proxies whose X-Forwarded-For is believed (comma-separated
	 * addresses or CIDR blocks, IPv4 or IPv6; NULL or "": none): the
	 * client of a request that came through them is the rightmost
	 * address of that header that is not itself one of them
	 * (mc_req_peer). From anyone else the header is ignored.
	 */
	const char *trusted_proxies;
};

/*
 * Binds the listeners and starts the loops. 'app' is handed to handlers
 * (mc_req_app); 'opts' and what it points to are borrowed and must outlive
 * the server. Returns 0 and a server to stop with mc_server_stop, or
 * MC_EIO ("cannot listen on …") with 'err'; MC_EINVAL naming tls_cert,
 * tls_key or trusted_proxies when they cannot be used.
 */
int mc_server_start(struct mc_app *app, const struct mc_server_opts *opts,
		    struct mc_server **out, struct mc_err *err);

/* The address actually listened on ("127.0.0.1:8080"), borrowed. */
const char *mc_server_address(const struct mc_server *srv);

/* Appends the server's metrics (requests, latency, in flight) to 'out'. */
int mc_server_metrics(struct mc_server *srv, struct mc_buf *out);

/*
 * Graceful stop: stops accepting, waits for in-flight requests (up to the
 * shutdown timeout), closes connections, joins the loops and frees. Work
 * deferred to the worker threads is always waited for, past the timeout if
 * need be, so the workers may be stopped after this.
 */
void mc_server_stop(struct mc_server *srv);

/* Requests. */

struct mc_app *mc_req_app(const struct mc_req *r);
/* The server answering the request (borrowed). */
struct mc_server *mc_req_server(const struct mc_req *r);
struct mc_arena *mc_req_arena(struct mc_req *r);
/*
 * The connection a request reads through (NULL if the server has no
 * database): the loop's read replica when there is one, it is fresh and
 * the request is a GET or HEAD that has not been pinned to the primary;
 * else the loop's connection to the primary. Its read snapshot begins at
 * the first call in the request (jobs.h, read_begin).
 */
struct mc_conn *mc_req_db(struct mc_req *r);
/* The loop's connection to the primary, whatever the request. */
struct mc_conn *mc_req_db_primary(struct mc_req *r);
/*
 * The replica connection mc_req_db() would return, before the request
 * has read from it (its snapshot not begun), or NULL: for a check that
 * must precede the snapshot (read-your-writes, api/util.c).
 */
struct mc_conn *mc_req_db_replica(struct mc_req *r);
/* From now on the request reads the primary only. */
void mc_req_db_pin(struct mc_req *r);
/*
 * The session the request was authenticated with (a token hash the API
 * sets), or "" — so that its writes can be marked as the session's.
 */
void mc_req_set_session(struct mc_req *r, const char *id);
const char *mc_req_session(const struct mc_req *r);
/* The request's id (made by the server), borrowed. */
const char *mc_req_id(const struct mc_req *r);
/* Logs through the server's log with the request id attached. */
void mc_req_log(const struct mc_req *r, enum mc_log_level level,
		const char *msg, json_t *fields);

/*
 * The decoded value of query parameter 'key' (first occurrence), or NULL.
 * Arena-owned, NUL-terminated; '+' is a space, %XX is decoded.
 */
const char *mc_req_query(struct mc_req *r, const char *key);
/* All values of 'key', up to 'max'; returns how many there are. */
size_t mc_req_query_all(struct mc_req *r, const char *key,
			const char **vals, size_t max);
/*
 * Checks the query names against 'allowed' (NULL-terminated): an unknown
 * one is an error naming it. Returns 0 or MC_EINVAL with 'err' filled.
 */
int mc_req_query_check(struct mc_req *r, const char *const *allowed,
		       struct mc_err *err);
/*
 * Parses an application/x-www-form-urlencoded body into the parameters
 * mc_req_query() reads (after the query string's). 0 or MC_EINVAL.
 */
int mc_req_form(struct mc_req *r, struct mc_err *err);
/* A path parameter captured by {name}, or NULL. Arena-owned. */
const char *mc_req_param(struct mc_req *r, const char *name);

/*
 * The value of request header 'name' (lower case), NUL-terminated and
 * arena-owned, or NULL when absent.
 */
const char *mc_req_header_get(struct mc_req *r, const char *name);

/*
 * The client's address as text ("127.0.0.1", "::1"), arena-owned; "" when
 * unknown. Behind a reverse proxy this is the proxy's address.
 */
const char *mc_req_peer(struct mc_req *r);

/*
 * The request body (borrowed, not NUL-terminated), whole: h2o has read it
 * within max_body before the handler runs. NULL with *len 0 when empty.
 */
const char *mc_req_body(struct mc_req *r, size_t *len);

/* Adds a response header (name in lower case; both copied). */
void mc_req_header(struct mc_req *r, const char *name, const char *value);
/*
 * The Content-Security-Policy every answer carries (docs/security.md), in
 * two halves, so that a page may put a hash of its own inline style
 * between them: MC_CSP_HEAD " 'sha256-…'" MC_CSP_TAIL.
 */
#define MC_CSP_HEAD "default-src 'self'; script-src 'self'; style-src 'self'"
#define MC_CSP_TAIL "; img-src 'self' blob: data:; connect-src 'self'; " \
	"object-src 'none'; base-uri 'none'; form-action 'self'; " \
	"frame-ancestors 'none'"

/* The same, replacing a header of that name already set (e.g. the CSP). */
void mc_req_header_set(struct mc_req *r, const char *name, const char *value);

/* Answers with a JSON document (the reference is stolen). */
void mc_reply_json(struct mc_req *r, int status, json_t *body);
/* Answers with bytes of a content type (copied). */
void mc_reply_bytes(struct mc_req *r, int status, const char *content_type,
		    const void *body, size_t len);
/* Answers with no body (204, or HEAD's headers). */
void mc_reply_empty(struct mc_req *r, int status);
/*
 * Answers with the file at 'path' as 'content_type', read from disk as
 * the client takes it (64 KiB in memory at a time, whatever its size).
 * One Range "bytes=a-b", "a-" or "-n" gets 206 with Content-Range (416
 * outside the file); several ranges get the whole file. 0, or -1 when
 * the file cannot be opened (nothing answered).
 */
int mc_reply_file(struct mc_req *r, const char *path,
		  const char *content_type);
/*
 * Answers with an RFC 9457 problem document: 'type' is the short name of
 * the problem ("invalid-input"), 'title' the Vietnamese title, 'detail'
 * the English explanation; field errors of 'err' (may be NULL) become the
 * "errors" array.
 */
void mc_reply_problem(struct mc_req *r, int status, const char *type,
		      const char *title, const char *detail,
		      const struct mc_err *err);
/* Answers from an error report, choosing the status from its code. */
void mc_reply_err(struct mc_req *r, const struct mc_err *err);

/*
 * Runs 'run' on a worker thread with the worker's database connection,
 * then 'done' back on the loop, which must answer. 'arg' is passed to
 * both; 'run' must not touch the request (it belongs to the loop), only
 * 'arg'. If the request time limit passes first, the client gets 503 and
 * 'done' still runs (its answer is then dropped: see mc_req_answered()).
 */
typedef void mc_defer_run_fn(struct mc_conn *db, void *arg);
typedef void mc_defer_done_fn(struct mc_req *r, void *arg);
void mc_req_defer(struct mc_req *r, mc_defer_run_fn *run,
		  mc_defer_done_fn *done, void *arg);

/*
 * Waits for work the handler hands to another thread itself (e.g. the
 * writer): after mc_req_async(), that thread calls mc_req_resume() once,
 * from any thread, and 'done' then runs on the loop and must answer. The
 * request time limit applies as for mc_req_defer. Call mc_req_async()
 * before handing the work over.
 */
void mc_req_async(struct mc_req *r, mc_defer_done_fn *done, void *arg);
void mc_req_resume(struct mc_req *r);

/* Whether the request was already answered (or its client is gone). */
bool mc_req_answered(const struct mc_req *r);

#endif /* MC_HTTP_SERVER_H */
