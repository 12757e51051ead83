/*
 * watch.c — the deadline watch's thread and runs (see watch.h).
 */
#include "core/compat.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "domain/calendar.h"
#include "jobs/watch.h"
#include "files/blobs.h"
#include "store/documents.h"
#include "store/dossiers.h"
#include "store/files.h"
#include "store/writer.h"

#include <pthread.h>
#include <time.h>
#include <unistd.h>

static int watch_write(struct mc_conn *c, void *arg, struct mc_err *err)
{
	return mc_dossier_watch(c, arg, err);
}

struct housekeeping {
	int64_t now;
	int64_t keys_ttl_s;		/* Idempotency-Keys kept */
	int max, n;
	char (*ids)[MC_UPLOAD_ID];
};

static int expire_write(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct housekeeping *h = arg;

	return mc_document_expire(c, mc_local_day(h->now), h->now, &h->n,
				  err);
}

static int forget_write(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct housekeeping *h = arg;

	return mc_idempotency_forget(c, h->now - h->keys_ttl_s, h->max, &h->n,
				     err);
}

static int sweep_write(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct housekeeping *h = arg;

	return mc_upload_sweep(c, h->now, h->max, h->ids, &h->n, err);
}

/*
 * Expired documents, then expired uploads in batches: each batch's rows
 * are deleted (committed) before their part files, so a part file may
 * outlive its row after a crash, never the other way round.
 */
static int keep_house(const struct mc_watch_opts *o, int64_t now,
		      struct mc_watch_stats *st, struct mc_err *err)
{
	struct housekeeping h;
	char path[MC_BLOB_PATH_MAX];
	int rc, i;

	memset(&h, 0, sizeof(h));
	h.now = now;
	if ((rc = mc_writer_run(o->writer, expire_write, &h, err)))
		return rc;
	st->expired_documents += h.n;
	h.max = o->batch > 0 ? o->batch : 100;
	/* Idempotency-Keys past their time, a batch at a time. */
	h.keys_ttl_s = o->idempotency_ttl_s;
	while (h.keys_ttl_s) {
		h.n = 0;
		if ((rc = mc_writer_run(o->writer, forget_write, &h, err)))
			return rc;
		st->forgotten_keys += h.n;
		if (h.n < h.max)
			break;
	}
	if (!o->files_dir)
		return 0;
	h.ids = mc_calloc((size_t)h.max, sizeof(*h.ids));
	do {
		h.n = 0;
		if ((rc = mc_writer_run(o->writer, sweep_write, &h, err)))
			break;
		for (i = 0; i < h.n; i++) {
			mc_blob_part_path(o->files_dir, h.ids[i], path,
					  sizeof(path));
			if (unlink(path) && errno != ENOENT && o->log)
				mc_log_json(o->log, MC_LOG_WARN, "expired upload "
					    "not removed", json_pack("{s:s, "
					    "s:s}", "path", path, "error",
					    strerror(errno)));
		}
		st->expired_uploads += h.n;
	} while (h.n == h.max);
	mc_free(h.ids);
	return rc;
}

int mc_watch_run(const struct mc_watch_opts *o, int64_t now, int max_batches,
		 struct mc_watch_stats *st, struct mc_err *err)
{
	struct mc_watch_batch b;
	int64_t soon;
	int rc, n;

	/* Due soon: less than one normal working day of working time. */
	rc = mc_cal_add_working(o->cal, now, mc_cal_day_seconds(o->cal), &soon,
				err);
	if (rc)
		return rc;
	for (n = 0; !max_batches || n < max_batches; n++) {
		memset(&b, 0, sizeof(b));
		b.now = now;
		b.soon = soon;
		b.limit = o->batch;
		rc = mc_writer_run(o->writer, watch_write, &b, err);
		if (rc)
			return rc;
		st->batches++;
		st->due_soon += b.due_soon;
		st->overdue += b.overdue;
		if (b.taken < b.limit)
			break;
	}
	if ((rc = keep_house(o, now, st, err)))
		return rc;
	st->runs++;
	return 0;
}

struct mc_watch {
	struct mc_watch_opts o;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
	struct mc_watch_stats st;	/* under 'lock' */
};

static void *watch_main(void *arg)
{
	struct mc_watch *w = arg;
	struct timespec until;

	pthread_mutex_lock(&w->lock);
	while (!w->stopping) {
		struct mc_watch_stats st = { 0 };
		struct mc_err err = MC_ERR_INIT;
		int64_t now = w->o.now(w->o.now_arg);
		int rc;

		pthread_mutex_unlock(&w->lock);
		rc = mc_watch_run(&w->o, now, 0, &st, &err);
		if (rc && rc != MC_EBUSY && w->o.log)
			mc_log_json(w->o.log, MC_LOG_ERROR, "deadline watch "
				    "failed", json_pack("{s:s}", "error",
							err.message));
		else if ((st.due_soon || st.overdue || st.expired_documents ||
			  st.expired_uploads) && w->o.log)
			mc_log_json(w->o.log, MC_LOG_INFO, "deadline watch",
				    json_pack("{s:I, s:I, s:I, s:I, s:I}",
					      "due_soon", (json_int_t)st.due_soon,
					      "overdue", (json_int_t)st.overdue,
					      "batches", (json_int_t)st.batches,
					      "expired_documents",
					      (json_int_t)st.expired_documents,
					      "expired_uploads",
					      (json_int_t)st.expired_uploads));
		pthread_mutex_lock(&w->lock);
		if (rc && rc != MC_EBUSY)
			w->st.failures++;
		else if (!rc)
			w->st.last_run_at = mc_time_now_ms() / 1000;
		w->st.runs += st.runs;
		w->st.batches += st.batches;
		w->st.due_soon += st.due_soon;
		w->st.overdue += st.overdue;
		w->st.expired_documents += st.expired_documents;
		w->st.expired_uploads += st.expired_uploads;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += w->o.interval_ms / 1000;
		until.tv_nsec += w->o.interval_ms % 1000 * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		while (!w->stopping &&
		       pthread_cond_timedwait(&w->wake, &w->lock, &until) == 0)
			;
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int mc_watch_start(const struct mc_watch_opts *o, struct mc_watch **out,
		   struct mc_err *err)
{
	pthread_condattr_t ca;
	struct mc_watch *w;

	*out = NULL;
	if (o->interval_ms <= 0)
		return 0;
	w = mc_calloc(1, sizeof(*w));
	w->o = *o;
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&w->thread, NULL, watch_main, w) != 0) {
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->wake);
		mc_free(w);
		return mc_error(err, MC_EINTERNAL, "cannot start the deadline "
				"watch thread");
	}
	*out = w;
	return 0;
}

void mc_watch_stats(struct mc_watch *w, struct mc_watch_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	*out = w->st;
	pthread_mutex_unlock(&w->lock);
}

void mc_watch_stop(struct mc_watch *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	mc_free(w);
}
