/*
 * portal.h — the sender to the national portal (docs/national-portal.md):
 * a thread that takes the queued events of dossiers (store/portal.h), one
 * dossier's in order, and hands each over — the dossier created or
 * updated (HoSo), then its step (TienDo) — with a bearer token from the
 * portal's token endpoint and an idempotency key per request, at least
 * once, until the portal takes it.
 *
 * Failures back off exponentially per event. When the portal fails
 * several times running (no answer, 5xx), the circuit opens: nothing is
 * sent until a pause has passed, then one event tries it; the pause
 * doubles while it stays down. Events are not tried while it is open,
 * so an outage of hours leaves them due, not pushed back: when the
 * portal returns they go at once, in order.
 *
 * Every inbound_every_s it asks the portal for the dossiers filed on it
 * since the last it saw, and takes each in as submitted online, once
 * (store/portal.h, mc_portal_take_in); one it cannot take in is kept,
 * with the reason, for the catalog or the data to be put right.
 *
 * Every reconcile_every_s, when nothing waits, it compares the status the
 * portal holds of each dossier it has got — open, or finished in the last
 * reconcile_days — with motcua's, and queues the dossier again where they
 * differ (store/portal.h, mc_portal_checked).
 */
#ifndef MC_JOBS_PORTAL_H
#define MC_JOBS_PORTAL_H

#include "core/compat.h"
#include "core/err.h"
#include "core/log.h"

struct mc_calendar;
struct mc_notify;
struct mc_portal_filed;
struct mc_writer;

struct mc_portal_opts {
	struct mc_writer *writer;	/* borrowed */
	const struct mc_log *log;	/* borrowed; NULL: no log lines */
	const char *url;		/* the portal's base; "": off */
	const char *client_id, *client_secret;
	/*
	 * The gateway's paths, after url: the token, a dossier created,
	 * updated, its steps, one looked up, those filed since.
	 */
	const char *path_token, *path_create, *path_update, *path_steps,
		   *path_lookup, *path_filed;
	int64_t timeout_ms;		/* each request */
	int batch;			/* events taken at once */
	int64_t poll_ms;		/* pause when nothing is due */
	int64_t lease_s;		/* a taken event's lease */
	int64_t retry_min_s, retry_max_s;	/* back-off per event */
	int breaker_failures;		/* failures running that open it */
	int64_t breaker_min_s, breaker_max_s;	/* its pause, doubling */
	int64_t inbound_every_s;	/* ask for dossiers filed; 0: never */
	const struct mc_calendar *cal;	/* for those taken in */
	const struct mc_notify *notify;	/* what their intake queues */
	int64_t reconcile_every_s;	/* compare with the portal; 0: never */
	int64_t reconcile_days;		/* finished dossiers checked back */
	const char *files_dir;		/* where the papers' files go */
	int64_t file_max;		/* the largest file fetched */
	/* Hosts the papers' files may come from (comma-separated); "":
	 * url's host only. */
	const char *file_hosts;
	int64_t (*now)(void *arg);	/* seconds (the test clock) */
	void *now_arg;
};

/*
 * Fetches the files of the papers of dossier 'f' filed on the portal
 * (their public links; redirects followed, http(s) only), each at most
 * 'max' bytes within 'timeout_ms', and stores each by content under
 * 'files_dir' (files/blobs.h), filling its hash into its component and
 * its size and type into 'f'. 0; MC_EINVAL naming the paper's link
 * (TaiLieuNop[i].DuongDanTaiTepTin) when the portal says it has no such
 * file (HTTP 4xx), or what came is empty, too large, or not a PDF, JPEG
 * or PNG; MC_EIO or MC_ETIMEOUT when it did not answer, or failed (5xx,
 * 429): again later.
  *
 * A link (or a redirect) to a host other than 'portal_url''s or those of
 * 'file_hosts' (comma-separated) is not followed: the file is refused,
 * rule "host" (no request is made for the portal to internal hosts).
 */
int mc_portal_fetch(const char *files_dir, int64_t max, int64_t timeout_ms,
		    const char *portal_url, const char *file_hosts,
		    struct mc_portal_filed *f, struct mc_err *err);

struct mc_portal_counts {
	int64_t synced, retried, rejected;	/* events, by outcome */
	int64_t opened;				/* times the circuit opened */
	int64_t checked, drifted;		/* the reconciliation's */
	int64_t taken_in, not_taken;		/* dossiers filed there */
};

/*
 * Sends what is due now, in this thread, until nothing is due or the
 * circuit opens, then reconciles once if reconcile_every_s is set and
 * nothing waits. Adds to 'st'. 0 or an error.
 */
int mc_portal_run(const struct mc_portal_opts *o, struct mc_portal_counts *st,
		  struct mc_err *err);

struct mc_portal;

/* Starts the thread; none (and '*out' NULL) when o->url is "". */
int mc_portal_start(const struct mc_portal_opts *o, struct mc_portal **out,
		    struct mc_err *err);
/*
 * The counts so far, whether the circuit is open, and until when
 * (seconds; 0 when closed).
 */
void mc_portal_state(struct mc_portal *p, struct mc_portal_counts *out,
		     int64_t *open_until);
/* Stops it after the event it is sending. NULL does nothing. */
void mc_portal_stop(struct mc_portal *p);

#endif /* MC_JOBS_PORTAL_H */
