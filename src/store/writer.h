/*
 * writer.h — the single writer: every write to the database goes through
 * it, and it commits many concurrent writes in one transaction (group
 * commit), so one fsync acknowledges a whole batch and durable intake
 * stays fast.
 *
 * A caller fills a struct mc_write and submits it; the writer thread takes
 * everything queued (up to the batch limit), opens a transaction, runs each
 * write's function inside its own savepoint (a failing write is rolled back
 * alone and does not harm the others), commits, and then calls each
 * write's 'done' on the writer thread with the write's result: 0 only when
 * the commit succeeded, so 'done' with 0 means durable. The write must stay
 * alive until 'done' is called.
 */
#ifndef MC_STORE_WRITER_H
#define MC_STORE_WRITER_H

#include "core/compat.h"
#include "core/err.h"
#include "store/store.h"

struct mc_write;

/* Runs inside the batch transaction on the writer's connection. */
typedef int mc_write_fn(struct mc_conn *c, void *arg, struct mc_err *err);
/* Called on the writer thread after the commit (or failure). */
typedef void mc_write_done_fn(struct mc_write *w, int rc);

struct mc_write {
	mc_write_fn *fn;
	void *arg;
	/*
	 * May be NULL: runs after the commit, on the writer's connection
	 * and outside any transaction, before 'done', with the same 'arg'
	 * (bookkeeping that must not hold locks in the batch: every write
	 * of a batch would wait for them). Its result is not the write's.
	 */
	mc_write_fn *after;
	mc_write_done_fn *done;
	struct mc_err err;		/* filled when the write fails */
	struct mc_write *next;		/* private to the writer */
};

struct mc_writer;

struct mc_writer_stats {
	uint64_t writes;		/* writes done (committed or failed) */
	uint64_t batches;		/* transactions committed */
	uint64_t failed;		/* writes that failed */
	uint64_t queued;		/* writes waiting now */
};

/*
 * Starts the writer thread with its own connection to 'st'. 'max_batch'
 * caps the writes in one transaction. Returns 0 or an error.
 */
int mc_writer_start(struct mc_store *st, int max_batch,
		    struct mc_writer **out, struct mc_err *err);

/*
 * The same with 'lanes' writing threads, each with its own connection,
 * taking batches from the one queue: for a server that commits many
 * transactions at once (PostgreSQL), where one lane would wait on network
 * round trips. Writes of different lanes commit in any order; each
 * write's own result is what its 'done' reports.
 */
int mc_writer_start_lanes(struct mc_store *st, int max_batch, int lanes,
			  struct mc_writer **out, struct mc_err *err);

/*
 * Queues a write. Returns 0, or MC_EBUSY once the writer is stopping (the
 * write is then not queued and 'done' is not called).
 */
int mc_writer_submit(struct mc_writer *w, struct mc_write *wr);

/*
 * Runs one write and waits for its commit: for command-line tools and
 * tests. Returns the write's result with 'err' filled.
 */
int mc_writer_run(struct mc_writer *w, mc_write_fn *fn, void *arg,
		  struct mc_err *err);

/*
 * How many transactions the writer has committed: it grows before any
 * write of a new commit is reported done (thread-safe, cheap).
 */
uint64_t mc_writer_commits(struct mc_writer *w);

/* Snapshot of the counters (thread-safe). */
void mc_writer_stats(struct mc_writer *w, struct mc_writer_stats *out);

/*
 * Stops accepting writes, commits everything already queued, stops the
 * thread and frees the writer. NULL does nothing.
 */
void mc_writer_stop(struct mc_writer *w);

#endif /* MC_STORE_WRITER_H */
