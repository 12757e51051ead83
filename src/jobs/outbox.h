/*
 * outbox.h — the delivery workers: threads that take due messages from
 * the outbox (store/outbox.h) and hand them to the SMS gateway (sms.h)
 * or the SMTP server (mail.h),
 * at least once, with the message's idempotency key, retrying with
 * exponential back-off until the message's window ends
 * (docs/notifications.md). They run inside 'motcua serve' and 'motcua
 * worker'; on PostgreSQL the workers of every instance share the
 * messages (FOR UPDATE SKIP LOCKED).
 *
 * Priorities: with two threads or more, the first takes only one-time
 * codes and case messages, so they never wait behind bulk sends.
 * A worker killed while sending leaves its messages 'sending' until
 * their lease ends; then any worker takes them again, and the gateway,
 * which honours the idempotency key, does not send them twice.
 */
#ifndef MC_JOBS_OUTBOX_H
#define MC_JOBS_OUTBOX_H

#include "core/compat.h"
#include "core/err.h"
#include "core/log.h"
#include "jobs/mail.h"
#include "jobs/sms.h"
#include "jobs/zalo.h"

struct mc_writer;

struct mc_outbox_opts {
	struct mc_writer *writer;	/* borrowed */
	const struct mc_log *log;	/* borrowed; NULL: no log lines */
	int threads;			/* delivery threads; 0: none */
	int batch;			/* messages taken at once */
	int64_t poll_ms;		/* pause when nothing is due */
	int64_t lease_s;		/* a taken message's lease */
	int64_t retry_min_s;		/* first back-off */
	int64_t retry_max_s;		/* longest back-off */
	struct mc_sms_opts sms;		/* url "": SMS is off */
	struct mc_mail_opts mail;	/* url "": e-mail is off */
	struct mc_zalo_opts zalo;	/* url "": Zalo is off */
	int zalo_attempts;		/* then the SMS instead */
	int64_t window_s;		/* a fallback SMS is tried this long */
	/*
	 * Quiet hours for SMS that are not urgent: seconds from local
	 * midnight, the start and the end (which may be the next day);
	 * start == end: none.
	 */
	int32_t quiet_start, quiet_end;
	int per_recipient_hour;		/* messages to one recipient per hour
					 * (urgent ones apart); 0: no limit */
	int rate_per_s;			/* hand-overs per second in this
					 * process; 0: no limit */
	/* Private networks webhooks may reach (jobs/webhook.h). */
	const char *webhook_allow;
	int64_t (*now)(void *arg);	/* seconds (the test clock) */
	void *now_arg;
};

struct mc_outbox_stats {
	int64_t sent, retried, refused;	/* attempts by outcome */
};

/*
 * When a message put off by the quiet hours may go, for one handed over
 * at 'now': 'now' itself outside them.
 */
int64_t mc_outbox_quiet_end(const struct mc_outbox_opts *o, int64_t now);

/* The back-off before attempt 'attempts' + 1: min · 2^(attempts-1), capped. */
int64_t mc_outbox_backoff(const struct mc_outbox_opts *o, int attempts);

/*
 * Delivers what is due now, in one thread, until nothing is due (the
 * messages put off to later stay). Adds to 'st'. 0 or an error.
 */
int mc_outbox_run(const struct mc_outbox_opts *o, struct mc_outbox_stats *st,
		  struct mc_err *err);

struct mc_outbox;

/* Starts the threads; none (and '*out' NULL) when o->threads is 0. */
int mc_outbox_start(const struct mc_outbox_opts *o, struct mc_outbox **out,
		    struct mc_err *err);
void mc_outbox_stats(struct mc_outbox *ob, struct mc_outbox_stats *out);
/*
 * Stops the threads after the message each is sending; the messages they
 * had taken and not sent are put back at once. NULL does nothing.
 */
void mc_outbox_stop(struct mc_outbox *ob);

#endif /* MC_JOBS_OUTBOX_H */
