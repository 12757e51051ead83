/*
 * jobs.h — the worker threads that run blocking work for the event loops
 * (DESIGN.md "Concurrency"): a loop submits a job; a worker runs it with
 * its own database connection; the result is posted back to the loop's
 * queue (h2o's multithread queue), where 'done' runs on the loop thread.
 */
#ifndef MC_HTTP_JOBS_H
#define MC_HTTP_JOBS_H

#include "core/compat.h"
#include "core/err.h"

#include <h2o.h>

struct mc_conn;
struct mc_job;

/*
 * How a thread opens its own database connection. The command that starts
 * the server supplies these (over the store), so that src/http knows
 * nothing of storage; NULL hooks mean no database.
 */
struct mc_db_hooks {
	void *arg;
	/* Opens a connection (caller closes it with 'close'). */
	int (*connect)(void *arg, struct mc_conn **out, struct mc_err *err);
	void (*close)(struct mc_conn *c);
	/* Nanoseconds the connection has spent in the database. */
	uint64_t (*busy_ns)(const struct mc_conn *c);
	/*
	 * Read snapshots of a loop's connection (may be NULL): read_begin
	 * before each handler run inline, so that all its reads see one
	 * committed state; read_idle between turns of the loop, to let go
	 * of a snapshot that is no longer needed.
	 */
	void (*read_begin)(void *arg, struct mc_conn *c);
	void (*read_idle)(void *arg, struct mc_conn *c);
	/*
	 * A read replica (NULL: none). connect_replica opens a loop's
	 * connection to it; replica_state says whether it may serve reads
	 * now (MC_REPLICA_*), and is asked at most every
	 * MC_REPLICA_CHECK_MS.
	 */
	int (*connect_replica)(void *arg, struct mc_conn **out,
			       struct mc_err *err);
	int (*replica_state)(void *arg, struct mc_conn *c);
};

enum {
	MC_REPLICA_FRESH,		/* caught up enough: read from it */
	MC_REPLICA_STALE,		/* lagging: read the primary */
	MC_REPLICA_BROKEN		/* failing: reconnect, read the primary */
};
#define MC_REPLICA_CHECK_MS 250

/* Runs on a worker thread; 'db' is the worker's connection (or NULL). */
typedef void mc_job_run_fn(struct mc_job *job, struct mc_conn *db);
/* Runs on the loop that submitted the job, after 'run'. */
typedef void mc_job_done_fn(struct mc_job *job);

struct mc_job {
	h2o_multithread_message_t msg;	/* link in the loop's queue */
	mc_job_run_fn *run;
	mc_job_done_fn *done;
	h2o_multithread_receiver_t *reply_to;	/* the loop's receiver */
	struct mc_job *next;		/* private: the workers' queue */
};

struct mc_jobs;

/*
 * Starts 'n' worker threads, each with its own connection from 'db' (NULL
 * for no database; borrowed, must outlive the pool). Returns 0 and a pool
 * to stop with mc_jobs_stop, or an error.
 */
int mc_jobs_start(const struct mc_db_hooks *db, int n, struct mc_jobs **out,
		  struct mc_err *err);

/* Queues a job; MC_EBUSY once stopping (the job is then not run). */
int mc_jobs_submit(struct mc_jobs *jobs, struct mc_job *job);

/* Receiver callback to register on a loop's queue for finished jobs. */
void mc_jobs_on_done(h2o_multithread_receiver_t *receiver,
		     h2o_linklist_t *messages);

/* Runs every queued job, stops the threads, frees. NULL does nothing. */
void mc_jobs_stop(struct mc_jobs *jobs);

#endif /* MC_HTTP_JOBS_H */
