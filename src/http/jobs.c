/*
 * jobs.c — the worker pool; see jobs.h.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "http/jobs.h"

#include <pthread.h>

struct worker {
	struct mc_jobs *pool;
	pthread_t thread;
	struct mc_conn *db;
};

struct mc_jobs {
	const struct mc_db_hooks *db;	/* NULL: no database */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct mc_job *head, *tail;	/* under lock */
	bool stopping;			/* under lock */
	int n;
	struct worker *workers;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct mc_jobs *p = w->pool;

	for (;;) {
		struct mc_job *job;

		pthread_mutex_lock(&p->lock);
		while (!p->head && !p->stopping)
			pthread_cond_wait(&p->wake, &p->lock);
		job = p->head;
		if (!job) {
			pthread_mutex_unlock(&p->lock);
			break;
		}
		p->head = job->next;
		if (!p->head)
			p->tail = NULL;
		pthread_mutex_unlock(&p->lock);

		job->next = NULL;
		job->run(job, w->db);
		/* After this the job belongs to its loop again. */
		h2o_multithread_send_message(job->reply_to, &job->msg);
	}
	return NULL;
}

int mc_jobs_start(const struct mc_db_hooks *db, int n, struct mc_jobs **out,
		  struct mc_err *err)
{
	struct mc_jobs *p = mc_calloc(1, sizeof(*p));
	int i, rc = 0;

	p->db = db;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	p->workers = mc_calloc((size_t)n, sizeof(*p->workers));
	for (i = 0; i < n; i++) {
		p->workers[i].pool = p;
		if (db) {
			rc = db->connect(db->arg, &p->workers[i].db, err);
			if (rc)
				break;
		}
		if (pthread_create(&p->workers[i].thread, NULL, worker_main,
				   &p->workers[i]) != 0) {
			if (db)
				db->close(p->workers[i].db);
			rc = mc_error(err, MC_EINTERNAL, "cannot start worker "
				      "thread %d", i);
			break;
		}
		p->n = i + 1;
	}
	if (rc) {
		mc_jobs_stop(p);
		return rc;
	}
	*out = p;
	return 0;
}

int mc_jobs_submit(struct mc_jobs *p, struct mc_job *job)
{
	pthread_mutex_lock(&p->lock);
	if (p->stopping) {
		pthread_mutex_unlock(&p->lock);
		return MC_EBUSY;
	}
	job->next = NULL;
	if (p->tail)
		p->tail->next = job;
	else
		p->head = job;
	p->tail = job;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

void mc_jobs_on_done(h2o_multithread_receiver_t *receiver,
		     h2o_linklist_t *messages)
{
	(void)receiver;
	while (!h2o_linklist_is_empty(messages)) {
		h2o_multithread_message_t *msg = H2O_STRUCT_FROM_MEMBER(
			h2o_multithread_message_t, link, messages->next);
		struct mc_job *job = (struct mc_job *)(void *)msg;

		h2o_linklist_unlink(&msg->link);
		job->done(job);
	}
}

void mc_jobs_stop(struct mc_jobs *p)
{
	int i;

	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->wake);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->n; i++) {
		pthread_join(p->workers[i].thread, NULL);
		if (p->db)
			p->db->close(p->workers[i].db);
	}
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->wake);
	mc_free(p->workers);
	mc_free(p);
}
