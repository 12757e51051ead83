/*
 * outbox.c — the delivery workers (see outbox.h).
 */
#include "core/compat.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "jobs/outbox.h"
#include "jobs/webhook.h"
#include "store/outbox.h"
#include "store/writer.h"

#include <pthread.h>
#include <sodium.h>
#include <time.h>

int64_t mc_outbox_quiet_end(const struct mc_outbox_opts *o, int64_t now)
{
	int32_t day = mc_local_day(now);
	int64_t start = mc_local_day_start(day), secs = now - start;

	if (o->quiet_start == o->quiet_end)
		return now;
	if (o->quiet_start < o->quiet_end)	/* e.g. 12:00-13:30 */
		return secs >= o->quiet_start && secs < o->quiet_end ?
		       start + o->quiet_end : now;
	/* Across midnight, e.g. 21:00-07:00. */
	if (secs >= o->quiet_start)
		return mc_local_day_start(day + 1) + o->quiet_end;
	if (secs < o->quiet_end)
		return start + o->quiet_end;
	return now;
}

int64_t mc_outbox_backoff(const struct mc_outbox_opts *o, int attempts)
{
	int64_t d = o->retry_min_s > 0 ? o->retry_min_s : 1;
	int i;

	for (i = 1; i < attempts && d < o->retry_max_s; i++)
		d *= 2;
	return d < o->retry_max_s ? d : o->retry_max_s;
}

struct claim {
	int64_t now, lease_s;
	int max_priority, n, got;
	struct mc_message *msgs;
};

static int claim_write(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct claim *cl = arg;
	int rc = mc_outbox_claim(c, cl->now, cl->lease_s, cl->max_priority,
				 cl->msgs, cl->n, err);

	cl->got = rc < 0 ? 0 : rc;
	return rc < 0 ? rc : 0;
}

struct outcome {
	int64_t id, now, next_at;
	const struct mc_send_result *r;
};

static int outcome_write(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct outcome *oc = arg;

	return mc_outbox_done(c, oc->id, oc->r->outcome, oc->r->provider_id,
			      oc->r->error, oc->now, oc->next_at, err);
}

struct reserve {
	const struct mc_message *m;
	int64_t since, now, first;
	int limit, got;
};

struct fallback {
	int64_t id;
	const char *error;
	int64_t now, window_s;
	bool queued;
};

static int fallback_write(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct fallback *f = arg;

	return mc_outbox_fallback(c, f->id, f->error, f->now, f->window_s,
				  &f->queued, err);
}

static int reserve_write(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct reserve *q = arg;
	int rc = mc_outbox_reserve(c, q->m, q->since, q->limit, q->now,
				   &q->first, err);

	q->got = rc;
	return rc < 0 ? rc : 0;
}

struct secret {
	int64_t id;
	char secret[128];
};

static int secret_read(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct secret *q = arg;

	return mc_webhook_secret(c, q->id, q->secret, sizeof(q->secret), err);
}

struct later {
	int64_t id, next_at, expires_at, now;
	const char *why;
};

static int later_write(struct mc_conn *c, void *arg, struct mc_err *err)
{
	struct later *l = arg;

	return mc_outbox_later(c, l->id, l->next_at, l->expires_at, l->why,
			       l->now, err);
}

/* Puts 'm' off to 'next_at', its window moved by the delay. */
static int put_off(const struct mc_outbox_opts *o, const struct mc_message *m,
		   int64_t now, int64_t next_at, const char *why,
		   struct mc_err *err)
{
	struct later l;

	l.id = m->id;
	l.now = now;
	l.next_at = next_at;
	l.expires_at = m->expires_at + (next_at - now);
	l.why = why;
	return mc_writer_run(o->writer, later_write, &l, err);
}

/* Hand-overs per second in this process, shared by its threads. */
struct pace {
	pthread_mutex_t lock;
	int64_t next_ns;		/* the next hand-over's earliest slot */
};

/* Waits for this process's next slot (rate_per_s). */
static void pace_wait(const struct mc_outbox_opts *o, struct pace *p)
{
	int64_t now, at;

	if (o->rate_per_s <= 0 || !p)
		return;
	pthread_mutex_lock(&p->lock);
	now = mc_time_mono_ns();
	at = p->next_ns > now ? p->next_ns : now;
	p->next_ns = at + 1000000000 / o->rate_per_s;
	pthread_mutex_unlock(&p->lock);
	if (at > now) {
		struct timespec ts = { (time_t)((at - now) / 1000000000),
				       (long)((at - now) % 1000000000) };

		nanosleep(&ts, NULL);
	}
}

/* A delivery thread's clients, one per configured channel. */
struct clients {
	struct mc_sms *sms;
	struct mc_zalo *zalo;
	struct mc_mail *mail;
	struct mc_hook *hook;		/* webhooks: always */
	struct pace *pace;		/* shared; NULL: no pace */
};

/*
 * Whether 'm' must wait: an SMS that is not urgent in the quiet hours, or
 * a recipient who had their hour's worth. Puts it off and returns 1, or
 * returns 0 to send it now (or an error).
 */
static int must_wait(const struct mc_outbox_opts *o,
		     const struct mc_message *m, struct mc_err *err)
{
	int64_t now = o->now(o->now_arg), until, first;
	int rc;

	/* One-time codes have limits of their own; systems take all. */
	if (m->priority == MC_PRIO_URGENT || m->channel == MC_MSG_WEBHOOK)
		return 0;
	if (m->channel == MC_MSG_SMS &&
	    (until = mc_outbox_quiet_end(o, now)) > now) {
		rc = put_off(o, m, now, until, "quiet hours", err);
		return rc ? rc : 1;
	}
	if (o->per_recipient_hour <= 0)
		return 0;
	{
		struct reserve q = { m, now - 3600, now, MC_NO_TIME,
				     o->per_recipient_hour, 0 };

		rc = mc_writer_run(o->writer, reserve_write, &q, err);
		if (rc || q.got == 1)
			return rc;
		first = q.first != MC_NO_TIME ? q.first : now;
	}
	rc = put_off(o, m, now, first + 3600, "the recipient's limit per "
		     "hour", err);
	return rc ? rc : 1;
}

static void clients_open(const struct mc_outbox_opts *o, struct clients *c,
			 struct pace *pace)
{
	c->pace = pace;
	c->sms = o->sms.url && o->sms.url[0] ? mc_sms_new(&o->sms) : NULL;
	c->zalo = o->zalo.url && o->zalo.url[0] ? mc_zalo_new(&o->zalo) :
		  NULL;
	c->mail = o->mail.url && o->mail.url[0] ? mc_mail_new(&o->mail) :
		  NULL;
	c->hook = mc_hook_new(o->sms.timeout_ms > 0 ? o->sms.timeout_ms :
			      10000, o->webhook_allow);
}

static void clients_close(struct clients *c)
{
	mc_sms_free(c->sms);
	mc_zalo_free(c->zalo);
	mc_mail_free(c->mail);
	mc_hook_free(c->hook);
}

/* Hands 'm' over and records the outcome. */
static int deliver(const struct mc_outbox_opts *o, struct clients *cl,
		   const struct mc_message *m, struct mc_outbox_stats *st,
		   struct mc_err *err)
{
	struct mc_send_result r;
	struct outcome oc;
	int rc;

	memset(&r, 0, sizeof(r));
	rc = must_wait(o, m, err);
	if (rc)
		return rc < 0 ? rc : 0;
	pace_wait(o, cl->pace);
	if (m->channel == MC_MSG_SMS && cl->sms) {
		mc_sms_send(cl->sms, m, &r);
	} else if (m->channel == MC_MSG_ZALO && cl->zalo) {
		mc_zalo_send(cl->zalo, m, &r);
	} else if (m->channel == MC_MSG_EMAIL && cl->mail) {
		mc_mail_send(cl->mail, m, o->now(o->now_arg), &r);
	} else if (m->channel == MC_MSG_WEBHOOK) {
		struct secret q = { m->webhook_id, "" };

		rc = mc_writer_run(o->writer, secret_read, &q, err);
		if (rc == MC_ENOTFOUND) {
			r.outcome = MC_OUT_REFUSED;
			snprintf(r.error, sizeof(r.error), "the subscription "
				 "is gone");
		} else if (rc) {
			return rc;
		} else {
			mc_hook_send(cl->hook, m, q.secret,
				     o->now(o->now_arg), &r);
		}
		sodium_memzero(q.secret, sizeof(q.secret));
	} else {
		r.outcome = MC_OUT_RETRY;
		snprintf(r.error, sizeof(r.error), "the %s channel is not "
			 "configured", mc_msg_channel_name(m->channel));
	}
	oc.id = m->id;
	oc.now = o->now(o->now_arg);
	oc.r = &r;
	oc.next_at = oc.now + (r.retry_after_s > 0 ? r.retry_after_s :
			       mc_outbox_backoff(o, m->attempts));
	if (r.outcome == MC_OUT_SENT)
		st->sent++;
	else if (r.outcome == MC_OUT_REFUSED)
		st->refused++;
	else
		st->retried++;
	if (r.outcome != MC_OUT_SENT && o->log)
		mc_log_json(o->log, MC_LOG_WARN, "message not sent", json_pack(
			"{s:I, s:s, s:i, s:s}", "message", (json_int_t)m->id,
			"key", m->key, "attempts", m->attempts, "error",
			r.error));
	/*
	 * Zalo cannot deliver it (no Zalo on the phone, …), or has not
	 * after zalo_attempts or before its window ends: the SMS kept with
	 * it goes instead.
	 */
	if (m->channel == MC_MSG_ZALO && (r.outcome == MC_OUT_REFUSED ||
	    (r.outcome == MC_OUT_RETRY && (m->attempts >= o->zalo_attempts ||
					   oc.next_at >= m->expires_at)))) {
		struct fallback fb = { m->id, r.error, oc.now, o->window_s,
				       false };

		return mc_writer_run(o->writer, fallback_write, &fb, err);
	}
	return mc_writer_run(o->writer, outcome_write, &oc, err);
}

/* Puts back at once messages taken and not sent. */
static void put_back(const struct mc_outbox_opts *o,
		     const struct mc_message *msgs, int n, const char *why)
{
	struct mc_err err = MC_ERR_INIT;
	int64_t now = o->now(o->now_arg);
	int i;

	for (i = 0; i < n; i++)
		put_off(o, &msgs[i], now, now, why, &err);
}

/*
 * Takes a batch and delivers it, unless '*stop' turns true on the way.
 * Returns how many were taken, or an error.
 */
static int one_batch(const struct mc_outbox_opts *o, struct clients *clients,
		     int max_priority, struct mc_message *msgs,
		     const _Atomic bool *stop, struct mc_outbox_stats *st,
		     struct mc_err *err)
{
	struct claim cl;
	int i, rc;

	cl.now = o->now(o->now_arg);
	cl.lease_s = o->lease_s;
	cl.max_priority = max_priority;
	cl.n = o->batch;
	cl.got = 0;
	cl.msgs = msgs;
	rc = mc_writer_run(o->writer, claim_write, &cl, err);
	if (rc)
		return rc;
	for (i = 0; i < cl.got; i++) {
		if (stop && atomic_load(stop)) {
			put_back(o, msgs + i, cl.got - i,
				 "not sent: the worker stopped");
			break;
		}
		rc = deliver(o, clients, &msgs[i], st, err);
		if (rc) {
			/* The rest go back now rather than when the lease ends. */
			put_back(o, msgs + i + 1, cl.got - i - 1,
				 "not sent: the worker met an error");
			return rc;
		}
	}
	return cl.got;
}

int mc_outbox_run(const struct mc_outbox_opts *o, struct mc_outbox_stats *st,
		  struct mc_err *err)
{
	struct mc_message *msgs = mc_calloc((size_t)o->batch, sizeof(*msgs));
	struct pace pace = { PTHREAD_MUTEX_INITIALIZER, 0 };
	struct clients cl;
	int rc;

	clients_open(o, &cl, &pace);
	while ((rc = one_batch(o, &cl, MC_PRIO_BULK, msgs, NULL, st, err)) > 0)
		;
	clients_close(&cl);
	pthread_mutex_destroy(&pace.lock);
	mc_free(msgs);
	return rc < 0 ? rc : 0;
}

struct mc_outbox;

struct lane {
	struct mc_outbox *ob;
	pthread_t thread;
	int max_priority;
	struct mc_outbox_stats st;	/* under ob->lock */
};

struct mc_outbox {
	struct mc_outbox_opts o;
	struct lane *lanes;
	int nlanes;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	_Atomic bool stopping;
	struct pace pace;		/* shared by the lanes */
};

static void *lane_main(void *arg)
{
	struct lane *ln = arg;
	struct mc_outbox *ob = ln->ob;
	struct mc_message *msgs = mc_calloc((size_t)ob->o.batch,
					    sizeof(*msgs));
	struct clients cl;

	clients_open(&ob->o, &cl, &ob->pace);

	while (!atomic_load(&ob->stopping)) {
		struct mc_outbox_stats st = { 0 };
		struct mc_err err = MC_ERR_INIT;
		struct timespec until;
		int rc = one_batch(&ob->o, &cl, ln->max_priority, msgs,
				   &ob->stopping, &st, &err);

		pthread_mutex_lock(&ob->lock);
		ln->st.sent += st.sent;
		ln->st.retried += st.retried;
		ln->st.refused += st.refused;
		if (rc < 0 && rc != MC_EBUSY && ob->o.log)
			mc_log_json(ob->o.log, MC_LOG_ERROR, "outbox failed",
				    json_pack("{s:s}", "error", err.message));
		if (rc <= 0 && !atomic_load(&ob->stopping)) {
			clock_gettime(CLOCK_MONOTONIC, &until);
			until.tv_sec += ob->o.poll_ms / 1000;
			until.tv_nsec += ob->o.poll_ms % 1000 * 1000000;
			if (until.tv_nsec >= 1000000000) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&ob->wake, &ob->lock, &until);
		}
		pthread_mutex_unlock(&ob->lock);
	}
	clients_close(&cl);
	mc_free(msgs);
	return NULL;
}

int mc_outbox_start(const struct mc_outbox_opts *o, struct mc_outbox **out,
		    struct mc_err *err)
{
	pthread_condattr_t ca;
	struct mc_outbox *ob;
	int i;

	*out = NULL;
	if (o->threads <= 0)
		return 0;
	ob = mc_calloc(1, sizeof(*ob));
	ob->o = *o;
	pthread_mutex_init(&ob->lock, NULL);
	pthread_mutex_init(&ob->pace.lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&ob->wake, &ca);
	pthread_condattr_destroy(&ca);
	ob->lanes = mc_calloc((size_t)o->threads, sizeof(*ob->lanes));
	for (i = 0; i < o->threads; i++) {
		struct lane *ln = &ob->lanes[i];

		ln->ob = ob;
		/* The first of several never takes bulk sends. */
		ln->max_priority = i == 0 && o->threads > 1 ? MC_PRIO_CASE :
				   MC_PRIO_BULK;
		if (pthread_create(&ln->thread, NULL, lane_main, ln) != 0) {
			mc_outbox_stop(ob);
			return mc_error(err, MC_EINTERNAL, "cannot start "
					"delivery thread %d", i);
		}
		ob->nlanes = i + 1;
	}
	*out = ob;
	return 0;
}

void mc_outbox_stats(struct mc_outbox *ob, struct mc_outbox_stats *out)
{
	int i;

	memset(out, 0, sizeof(*out));
	if (!ob)
		return;
	pthread_mutex_lock(&ob->lock);
	for (i = 0; i < ob->nlanes; i++) {
		out->sent += ob->lanes[i].st.sent;
		out->retried += ob->lanes[i].st.retried;
		out->refused += ob->lanes[i].st.refused;
	}
	pthread_mutex_unlock(&ob->lock);
}

void mc_outbox_stop(struct mc_outbox *ob)
{
	int i;

	if (!ob)
		return;
	pthread_mutex_lock(&ob->lock);
	atomic_store(&ob->stopping, true);
	pthread_cond_broadcast(&ob->wake);
	pthread_mutex_unlock(&ob->lock);
	for (i = 0; i < ob->nlanes; i++)
		pthread_join(ob->lanes[i].thread, NULL);
	pthread_mutex_destroy(&ob->lock);
	pthread_mutex_destroy(&ob->pace.lock);
	pthread_cond_destroy(&ob->wake);
	mc_free(ob->lanes);
	mc_free(ob);
}
