/*
 * writer.c — the group-committing writer; see writer.h.
 *
 * The queue is a singly linked FIFO under a mutex. Each lane (a thread and
 * its connection; one for SQLite, several for PostgreSQL) sleeps on a
 * condition variable while the queue is empty and takes a batch when
 * there is one; while it commits, the next batch accumulates, so the more
 * load, the larger the batches and the fewer fsyncs per write.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "store/store.h"
#include "store/writer.h"

#include <pthread.h>

#define MAX_LANES 64

/* One writing thread and its connection. */
struct lane {
	struct mc_writer *w;
	pthread_t thread;
	struct mc_conn *conn;
};

struct mc_writer {
	int max_batch;
	int nlanes;
	struct lane lanes[MAX_LANES];
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct mc_write *head, *tail;	/* queue, under lock */
	bool stopping;			/* under lock */
	struct mc_writer_stats stats;	/* under lock */
	_Atomic uint64_t commits;	/* transactions committed */
};

/* Runs one batch: all writes share a transaction, each a savepoint. */
/* Runs of a write that lost a race with another client, at most. */
#define WRITE_RETRIES 3

static void run_batch(struct mc_writer *w, struct mc_conn *conn,
		      struct mc_write *batch)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_write *wr;
	uint64_t n = 0, failed = 0;
	int rc;

	rc = mc_conn_begin(conn, &err);
	for (wr = batch; !rc && wr; wr = wr->next) {
		int wrc, attempt = 0;

		/*
		 * A write that lost a race with another database client
		 * (a deadlock, a serialization failure: MC_EBUSY) is undone
		 * to its savepoint and safe to run again: it has done nothing
		 * outside the database.
		 */
		do {
			mc_err_clear(&wr->err);
			wrc = mc_conn_savepoint(conn, &wr->err);
			if (!wrc) {
				wrc = wr->fn(conn, wr->arg, &wr->err);
				if (wrc) {
					/* Undo this write alone; if even that
					 * fails the transaction is lost: fail
					 * the batch. A write the storage or
					 * the connection refused took the
					 * transaction with it (SQLite rolls
					 * back on a failed write to disk):
					 * that is the batch's cause, and each
					 * of its writes is told so. */
					rc = mc_conn_rollback_to(conn, &err);
					if (rc && (wr->err.code == MC_ESTORAGE
						   || wr->err.code == MC_EIO)) {
						err = wr->err;
						rc = wrc = err.code;
					}
				} else {
					wrc = mc_conn_release(conn,
							      &wr->err);
					if (wrc)
						rc = wrc;
				}
			}
		} while (wrc == MC_EBUSY && !rc && ++attempt < WRITE_RETRIES);
		if (wrc && !wr->err.code)
			mc_error(&wr->err, wrc, "write failed");
	}
	if (!rc)
		rc = mc_conn_commit(conn, &err);
	if (rc)
		mc_conn_rollback(conn);
	for (wr = batch; wr; wr = wr->next) {
		if (rc) {
			if (!wr->err.code)
				wr->err = err;
			wr->err.code = rc;
		}
		n++;
		failed += wr->err.code != 0;
	}
	/* Count before anyone is told, so the stats never trail a 'done'. */
	pthread_mutex_lock(&w->lock);
	w->stats.writes += n;
	w->stats.failed += failed;
	w->stats.batches += rc == 0;
	pthread_mutex_unlock(&w->lock);
	if (rc == 0)
		atomic_fetch_add_explicit(&w->commits, 1,
					  memory_order_release);
	for (wr = batch; !rc && wr; wr = wr->next) {
		struct mc_err aerr = MC_ERR_INIT;

		if (wr->after && !wr->err.code)
			wr->after(conn, wr->arg, &aerr);
	}
	for (wr = batch; wr;) {
		struct mc_write *next = wr->next;

		wr->next = NULL;
		wr->done(wr, wr->err.code);	/* may free wr */
		wr = next;
	}
}

static void *writer_main(void *arg)
{
	struct lane *ln = arg;
	struct mc_writer *w = ln->w;

	for (;;) {
		struct mc_write *batch, *last;
		int n = 1;

		pthread_mutex_lock(&w->lock);
		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->wake, &w->lock);
		if (!w->head) {
			pthread_mutex_unlock(&w->lock);
			break;		/* stopping and drained */
		}
		batch = last = w->head;
		while (last->next && n < w->max_batch) {
			last = last->next;
			n++;
		}
		w->head = last->next;
		if (!w->head)
			w->tail = NULL;
		last->next = NULL;
		w->stats.queued -= (uint64_t)n;
		pthread_mutex_unlock(&w->lock);
		run_batch(w, ln->conn, batch);
	}
	return NULL;
}

int mc_writer_start(struct mc_store *st, int max_batch,
		    struct mc_writer **out, struct mc_err *err)
{
	return mc_writer_start_lanes(st, max_batch, 1, out, err);
}

int mc_writer_start_lanes(struct mc_store *st, int max_batch, int lanes,
			  struct mc_writer **out, struct mc_err *err)
{
	struct mc_writer *w = mc_calloc(1, sizeof(*w));
	int rc = 0, i;

	w->max_batch = max_batch > 0 ? max_batch : 1;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	if (lanes < 1)
		lanes = 1;
	if (lanes > MAX_LANES)
		lanes = MAX_LANES;
	for (i = 0; i < lanes && !rc; i++) {
		struct lane *ln = &w->lanes[i];

		ln->w = w;
		rc = mc_store_connect(st, &ln->conn, err);
		if (rc)
			break;
		if (pthread_create(&ln->thread, NULL, writer_main, ln) != 0) {
			mc_conn_close(ln->conn);
			ln->conn = NULL;
			rc = mc_error(err, MC_EINTERNAL, "cannot start the "
				      "writer thread");
			break;
		}
		w->nlanes++;
	}
	if (rc) {
		mc_writer_stop(w);
		return rc;
	}
	*out = w;
	return 0;
}

int mc_writer_submit(struct mc_writer *w, struct mc_write *wr)
{
	pthread_mutex_lock(&w->lock);
	if (w->stopping) {
		pthread_mutex_unlock(&w->lock);
		return MC_EBUSY;
	}
	wr->next = NULL;
	if (w->tail)
		w->tail->next = wr;
	else
		w->head = wr;
	w->tail = wr;
	w->stats.queued++;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

struct sync_write {
	struct mc_write wr;
	pthread_mutex_t lock;
	pthread_cond_t done_cv;
	bool done;
	int rc;
};

static void sync_done(struct mc_write *wr, int rc)
{
	struct sync_write *s = (struct sync_write *)wr;

	pthread_mutex_lock(&s->lock);
	s->done = true;
	s->rc = rc;
	pthread_cond_signal(&s->done_cv);
	pthread_mutex_unlock(&s->lock);
}

int mc_writer_run(struct mc_writer *w, mc_write_fn *fn, void *arg,
		  struct mc_err *err)
{
	struct sync_write s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.wr.fn = fn;
	s.wr.arg = arg;
	s.wr.done = sync_done;
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.done_cv, NULL);
	rc = mc_writer_submit(w, &s.wr);
	if (rc) {
		mc_error(err, rc, "the writer is stopping");
	} else {
		pthread_mutex_lock(&s.lock);
		while (!s.done)
			pthread_cond_wait(&s.done_cv, &s.lock);
		pthread_mutex_unlock(&s.lock);
		rc = s.rc;
		if (rc && err)
			*err = s.wr.err;
	}
	pthread_mutex_destroy(&s.lock);
	pthread_cond_destroy(&s.done_cv);
	return rc;
}

uint64_t mc_writer_commits(struct mc_writer *w)
{
	return atomic_load_explicit(&w->commits, memory_order_acquire);
}

void mc_writer_stats(struct mc_writer *w, struct mc_writer_stats *out)
{
	pthread_mutex_lock(&w->lock);
	*out = w->stats;
	pthread_mutex_unlock(&w->lock);
}

void mc_writer_stop(struct mc_writer *w)
{
	if (!w)
		return;
	int i;

	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->lock);
	for (i = 0; i < w->nlanes; i++) {
		pthread_join(w->lanes[i].thread, NULL);
		mc_conn_close(w->lanes[i].conn);
	}
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	mc_free(w);
}
