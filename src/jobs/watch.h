/*
 * watch.h — the deadline watch: background work that finds the dossiers
 * whose due instant is less than a working day away, or has passed, and
 * records the warning in each one's event chain ("due_soon", "overdue";
 * docs/lifecycle.md "Deadline watch"). It runs inside 'motcua serve' and
 * 'motcua worker', every 'watch_interval', in batches of 'watch_batch'
 * dossiers, each batch one transaction through the writer.
 *
 * Each run also keeps house: documents of the data store past their
 * valid_until become 'expired', unfinished uploads past upload_ttl are
 * forgotten with their part files (docs/files.md), and Idempotency-Keys
 * older than idempotency_ttl are forgotten (docs/api.md).
 *
 * Several instances on one PostgreSQL database may run it at once: each
 * batch takes its dossiers with FOR UPDATE SKIP LOCKED, so the instances
 * share the dossiers and each warning is recorded once
 * (store/dossiers.h, mc_dossier_watch).
 */
#ifndef MC_JOBS_WATCH_H
#define MC_JOBS_WATCH_H

#include "core/compat.h"
#include "core/err.h"
#include "core/log.h"

struct mc_calendar;
struct mc_writer;

struct mc_watch_opts {
	struct mc_writer *writer;	/* borrowed; outlives the watch */
	const struct mc_calendar *cal;	/* borrowed */
	const struct mc_log *log;	/* borrowed; NULL: no log lines */
	int64_t interval_ms;		/* between runs; 0: never runs */
	int batch;			/* dossiers per transaction */
	const char *files_dir;		/* uploads' home; NULL: no sweep */
	int64_t idempotency_ttl_s;	/* keys kept; 0: for good */
	/* The instant taken as now, in seconds (the test clock). */
	int64_t (*now)(void *arg);
	void *now_arg;
};

struct mc_watch_stats {
	int64_t runs;			/* whole runs */
	int64_t batches;		/* transactions */
	int64_t due_soon, overdue;	/* warnings recorded */
	int64_t expired_documents;	/* housekeeping */
	int64_t expired_uploads;
	int64_t forgotten_keys;		/* Idempotency-Keys past their time */
	/* The watch's thread only (mc_watch_stats): */
	int64_t failures;		/* runs that failed */
	int64_t last_run_at;		/* wall clock, seconds, of the last
					 * whole run; 0: none yet */
};

/*
 * One whole run at 'now' (seconds): batches until one comes back short,
 * or 'max_batches' have run (0: no limit). Adds to 'st'. Returns 0 or an
 * error (MC_EBUSY once the writer is stopping).
 */
int mc_watch_run(const struct mc_watch_opts *o, int64_t now, int max_batches,
		 struct mc_watch_stats *st, struct mc_err *err);

struct mc_watch;

/*
 * Starts a thread that runs the watch at once and then every
 * 'interval_ms' until mc_watch_stop. An interval of 0 starts nothing and
 * returns 0 with '*out' NULL. A failed run is logged and retried at the
 * next interval.
 */
int mc_watch_start(const struct mc_watch_opts *o, struct mc_watch **out,
		   struct mc_err *err);
/* Counts so far (thread-safe); zeros for NULL. */
void mc_watch_stats(struct mc_watch *w, struct mc_watch_stats *out);
/* Stops the thread after its current batch and frees it. NULL: nothing. */
void mc_watch_stop(struct mc_watch *w);

#endif /* MC_JOBS_WATCH_H */
