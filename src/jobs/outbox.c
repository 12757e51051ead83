/*
 * outbox.c — the delivery workers (see outbox.h).
 */
#include "core/compat.h"
#include "core/mem.h"
#include "jobs/outbox.h"
#include "store/outbox.h"
#include "store/writer.h"

#include <pthread.h>
#include <time.h>

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

/* A delivery thread's clients, one per configured channel. */
struct clients {
	struct mc_sms *sms;
	struct mc_mail *mail;
};

static void clients_open(const struct mc_outbox_opts *o, struct clients *c)
{
	c->sms = o->sms.url && o->sms.url[0] ? mc_sms_new(&o->sms) : NULL;
	c->mail = o->mail.url && o->mail.url[0] ? mc_mail_new(&o->mail) :
		  NULL;
}

static void clients_close(struct clients *c)
{
	mc_sms_free(c->sms);
	mc_mail_free(c->mail);
}

/* Hands 'm' over and records the outcome. */
static int deliver(const struct mc_outbox_opts *o, struct clients *cl,
		   const struct mc_message *m, struct mc_outbox_stats *st,
		   struct mc_err *err)
{
	struct mc_send_result r;
	struct outcome oc;

	memset(&r, 0, sizeof(r));
	if (m->channel == MC_MSG_SMS && cl->sms) {
		mc_sms_send(cl->sms, m, &r);
	} else if (m->channel == MC_MSG_EMAIL && cl->mail) {
		mc_mail_send(cl->mail, m, o->now(o->now_arg), &r);
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
	return mc_writer_run(o->writer, outcome_write, &oc, err);
}

/* Puts back messages taken and not sent. */
static void put_back(const struct mc_outbox_opts *o,
		     const struct mc_message *msgs, int n)
{
	struct mc_send_result r;
	struct outcome oc;
	struct mc_err err = MC_ERR_INIT;
	int i;

	memset(&r, 0, sizeof(r));
	r.outcome = MC_OUT_RETRY;
	snprintf(r.error, sizeof(r.error), "not sent: the worker stopped");
	for (i = 0; i < n; i++) {
		oc.id = msgs[i].id;
		oc.now = oc.next_at = o->now(o->now_arg);
		oc.r = &r;
		mc_writer_run(o->writer, outcome_write, &oc, &err);
	}
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
			put_back(o, msgs + i, cl.got - i);
			break;
		}
		rc = deliver(o, clients, &msgs[i], st, err);
		if (rc)
			return rc;
	}
	return cl.got;
}

int mc_outbox_run(const struct mc_outbox_opts *o, struct mc_outbox_stats *st,
		  struct mc_err *err)
{
	struct mc_message *msgs = mc_calloc((size_t)o->batch, sizeof(*msgs));
	struct clients cl;
	int rc;

	clients_open(o, &cl);
	while ((rc = one_batch(o, &cl, MC_PRIO_BULK, msgs, NULL, st, err)) > 0)
		;
	clients_close(&cl);
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
};

static void *lane_main(void *arg)
{
	struct lane *ln = arg;
	struct mc_outbox *ob = ln->ob;
	struct mc_message *msgs = mc_calloc((size_t)ob->o.batch,
					    sizeof(*msgs));
	struct clients cl;

	clients_open(&ob->o, &cl);

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
	pthread_cond_destroy(&ob->wake);
	mc_free(ob->lanes);
	mc_free(ob);
}
