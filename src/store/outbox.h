/*
 * outbox.h — messages to citizens as stored (docs/notifications.md): the
 * outbox a dossier write fills in its own transaction, and what the
 * delivery workers (src/jobs/outbox.c) take from it and record back.
 */
#ifndef MC_STORE_OUTBOX_H
#define MC_STORE_OUTBOX_H

#include "core/compat.h"
#include "core/err.h"
#include "domain/message.h"
#include "store/store.h"

struct mc_dossier;

/* What a write needs to queue messages (NULL: queue none). */
struct mc_notify {
	bool channel[MC_MSG_CHANNEL_COUNT];	/* configured channels */
	char public_url[256];		/* base of look-up links */
	int64_t window_s;		/* how long delivery is tried */
	bool portal;			/* events queued for the national
					 * portal (store/portal.h) */
};

#define MC_MSG_BODY_MAX 8192
#define MC_MSG_SUBJECT_MAX 512

/*
 * Write, inside the dossier write's transaction: queues the messages of
 * event 'ev' of dossier 'd' (after the change, at version d->row_version,
 * whose event it is), one per configured channel the applicant has a
 * contact for, made from the newest active template of the event and
 * channel. 'reason' fills {reason} (may be ""). The idempotency key is
 * "<code>/<event seq>/<channel>", so an event never queues a message
 * twice.
 */
int mc_outbox_dossier(struct mc_conn *c, const struct mc_notify *n,
		      const struct mc_dossier *d, enum mc_msg_event ev,
		      const char *reason, int64_t now, struct mc_err *err);

/*
 * Write: queues one message made from the newest active template of
 * 'ev' on 'ch' with 'vals', to 'to', under 'key' (a key already queued
 * queues nothing). 'dossier_id' may be 0. 1 when queued, 0 when there is
 * no template or the channel is off in 'n', or an error.
 */
/*
 * Write: tells 'old', the phone or e-mail (channel 'ch') a citizen's
 * sign-in codes went to, that dossier 'd''s contact replaces it
 * (contact_changed: so that a dossier filed under someone's ID with
 * another contact cannot take their sign-ins unnoticed). Messages
 * queued, or an error.
 */
int mc_outbox_replaced(struct mc_conn *c, const struct mc_notify *n,
		       const struct mc_dossier *d, enum mc_msg_channel ch,
		       const char *old, int64_t now, struct mc_err *err);

int mc_outbox_queue(struct mc_conn *c, const struct mc_notify *n,
		    const char *province_code, int64_t dossier_id,
		    enum mc_msg_event ev, enum mc_msg_channel ch,
		    const char *to, const struct mc_msg_values *vals,
		    const char *key, int64_t now, struct mc_err *err);

/*
 * Write: Zalo could not deliver message 'id' (being sent; 'error' says
 * why): it ends as permanent_failure, and the SMS text kept with it is
 * queued to the same phone under the key the SMS would have had, to
 * expire after window_s ('*queued'; none kept: nothing queued). 0, or an
 * error.
 */
int mc_outbox_fallback(struct mc_conn *c, int64_t id, const char *error,
		       int64_t now, int64_t window_s, bool *queued,
		       struct mc_err *err);

/*
 * Write: the next version of the ZNS template of event 'ev': Zalo's
 * 'template_id' and 'params' (a JSON object: parameter name to text with
 * placeholders, checked by the caller). The newest is the one used.
 */
int mc_zalo_template_create(struct mc_conn *c, enum mc_msg_event ev,
			    const char *template_id, const char *params,
			    int64_t now, int *version, struct mc_err *err);
typedef void mc_zalo_template_fn(const char *event, int version,
				 const char *template_id, const char *params,
				 bool active, int64_t created_at, void *arg);
/* Every ZNS template version, by event, newest first. */
int mc_zalo_template_list(struct mc_conn *c, mc_zalo_template_fn *fn,
			  void *arg, struct mc_err *err);

/* A template version. */
struct mc_template {
	int64_t id;
	enum mc_msg_event event;
	enum mc_msg_channel channel;
	int version;
	char subject[MC_MSG_SUBJECT_MAX];
	char body[MC_MSG_BODY_MAX];
	bool active;
	int64_t created_at;
};

/*
 * Write: adds the next version of the template of 'ev' on 'ch' (the
 * newest active version is the one used from now on). Fills 't'.
 */
int mc_template_create(struct mc_conn *c, enum mc_msg_event ev,
		       enum mc_msg_channel ch, const char *subject,
		       const char *body, int64_t now, struct mc_template *t,
		       struct mc_err *err);

/* Template versions, by event, channel and newest version first. */
typedef void mc_template_fn(const struct mc_template *t, void *arg);
int mc_template_list(struct mc_conn *c, int event, int channel,
		     mc_template_fn *fn, void *arg, struct mc_err *err);

/* A message as the workers and the API see it. */
struct mc_message {
	int64_t id;
	char dossier_code[96];		/* "" if none */
	enum mc_msg_event event;
	enum mc_msg_channel channel;
	char recipient[256];
	int64_t template_id;
	int template_version;
	char subject[MC_MSG_SUBJECT_MAX];
	char body[MC_MSG_BODY_MAX];
	int priority;
	char status[24];
	char key[160];			/* idempotency key */
	int attempts;
	int64_t next_attempt_at, expires_at, created_at, sent_at, done_at;
	char provider_id[128];
	char last_error[512];
	int64_t webhook_id;		/* the subscription, for webhooks */
};

/*
 * Write: takes up to 'n' messages due at 'now' with priority at most
 * 'max_priority', most urgent first: waiting ones, and ones whose worker
 * did not come back before its lease ran out. Marks them sending until
 * now + lease_s and counts the attempt. On PostgreSQL the rows are taken
 * with FOR UPDATE SKIP LOCKED, so workers of all instances share them.
 * Returns how many, or an error.
 */
int mc_outbox_claim(struct mc_conn *c, int64_t now, int64_t lease_s,
		    int max_priority, struct mc_message *out, int n,
		    struct mc_err *err);

/* The outcome of one attempt to hand a message over. */
enum mc_outcome {
	MC_OUT_SENT,			/* the gateway took it */
	MC_OUT_RETRY,			/* try again at 'next_at' */
	MC_OUT_REFUSED			/* refused for good */
};

/* What a one-time code's message says once it is done with. */
#define MC_OTP_FORGOTTEN "[Mã đăng nhập một lần: không lưu lại sau khi gửi]"

/*
 * Write: records the outcome of message 'id''s attempt. A retry due at
 * or after the message's expires_at ends it as technical_failure.
 */
int mc_outbox_done(struct mc_conn *c, int64_t id, enum mc_outcome o,
		   const char *provider_id, const char *error, int64_t now,
		   int64_t next_at, struct mc_err *err);

/*
 * Write: puts message 'id' (taken, not tried) off to 'next_at' without
 * counting the attempt, and moves its window's end to 'expires_at' (quiet
 * hours, a recipient's limit, a stopping worker). 'why' is recorded.
 */
int mc_outbox_later(struct mc_conn *c, int64_t id, int64_t next_at,
		    int64_t expires_at, const char *why, int64_t now,
		    struct mc_err *err);

/*
 * Write: reserves a handover of message 'm' for its recipient, unless
 * 'limit' messages on its channel to the same recipient were handed over
 * (or are being, by any worker) since 'since'. Atomic across workers and
 * instances (PostgreSQL: an advisory lock on the recipient for the
 * transaction; SQLite: one writer at a time). 1 when reserved, 0 when
 * not, with '*first' the first handover counted; or an error.
 */
int mc_outbox_reserve(struct mc_conn *c, const struct mc_message *m,
		      int64_t since, int limit, int64_t now, int64_t *first,
		      struct mc_err *err);

/*
 * Write: a delivery receipt from the gateway for its message
 * 'provider_id': 'status' is delivered, temporary_failure or
 * permanent_failure. MC_ENOTFOUND when no message has that id; MC_EINVAL
 * for another status. A receipt for a message already ended changes
 * nothing (receipts may come twice).
 */
int mc_outbox_receipt(struct mc_conn *c, enum mc_msg_channel ch,
		      const char *provider_id, const char *status,
		      int64_t at, struct mc_err *err);

/*
 * A listing: failed messages (the three failure statuses) first, each
 * group newest first. The keyset cursor is the last line's group (0:
 * failed, 1: the others) and id.
 */
struct mc_message_filter {
	int64_t dossier_id;		/* 0: any */
	const char *scope_path;		/* messages of dossiers received
					 * within this unit path; NULL: any */
	const char *status;		/* NULL: any */
	int after_group;		/* cursor: -1 for the first page */
	int64_t after_id;
	int limit;
};
typedef void mc_message_fn(const struct mc_message *m, void *arg);
/* Lists messages; returns how many, or an error. */
int mc_outbox_list(struct mc_conn *c, const struct mc_message_filter *f,
		   mc_message_fn *fn, void *arg, struct mc_err *err);

/*
 * Webhooks (docs/notifications.md "Webhooks"). mc_outbox_webhooks queues,
 * in the dossier write's transaction, one message per active subscription
 * to 'action' (or to "*"): a small JSON body naming the event, the event's
 * seq and the dossier (code, status, procedure, unit, due), signed when
 * delivered. Keys "<code>/<seq>/webhook/<subscription>".
 */
int mc_outbox_webhooks(struct mc_conn *c, const struct mc_notify *n,
		       const struct mc_dossier *d, const char *action,
		       int64_t now, struct mc_err *err);
/* The signing secret of subscription 'id'. */
int mc_webhook_secret(struct mc_conn *c, int64_t id, char *out, size_t n,
		      struct mc_err *err);
/* Write: a subscription of 'url' to 'events' ("accept,complete", "*"). */
int mc_webhook_create(struct mc_conn *c, const char *url, const char *events,
		      const char *secret, int64_t user_id, int64_t now,
		      int64_t *id, struct mc_err *err);
/* Write: ends a subscription; MC_ENOTFOUND if none is active. */
int mc_webhook_deactivate(struct mc_conn *c, int64_t id, struct mc_err *err);
typedef void mc_webhook_fn(int64_t id, const char *url, const char *events,
			   bool active, int64_t created_at, void *arg);
int mc_webhook_list(struct mc_conn *c, mc_webhook_fn *fn, void *arg,
		    struct mc_err *err);

#endif /* MC_STORE_OUTBOX_H */
