/*
 * queue.h — the centre's floor (docs/queue.md): service groups and
 * counters of a centre, numbered tickets taken at the kiosk, called to a
 * counter, finished or missed, rated; the board; the figures of waiting
 * and serving by counter and by group.
 */
#ifndef MC_STORE_QUEUE_H
#define MC_STORE_QUEUE_H

#include "core/err.h"
#include "store/catalog.h"
#include "store/store.h"

#include <stdbool.h>
#include <stdint.h>

#define MC_QUEUE_MAX_SERVICES 26	/* one letter each */
#define MC_QUEUE_MAX_COUNTERS 99
#define MC_QUEUE_MAX_PER_DAY 999	/* tickets of a group a day: A999 */

struct mc_queue_service {
	char code[2];			/* "A" … "Z" */
	char name[256];
};

struct mc_queue_counter {
	int number;			/* 1 … 99 */
	char name[128];
	char services[MC_QUEUE_MAX_SERVICES * 2];	/* "A,B" */
};

struct mc_queue_config {
	int nservices, ncounters;
	struct mc_queue_service services[MC_QUEUE_MAX_SERVICES];
	struct mc_queue_counter counters[MC_QUEUE_MAX_COUNTERS];
};

/*
 * Write: the floor of centre 'unit_id' becomes 'cfg' (the groups and
 * counters before it are replaced; tickets keep their group's letter).
 * Every counter's groups must be among cfg's (MC_EINVAL, rule "exists"
 * on counters[N].services).
 */
int mc_queue_config_put(struct mc_conn *c, int64_t unit_id,
			const struct mc_queue_config *cfg,
			struct mc_err *err);
/* The floor of centre 'unit_id' (nothing configured: all zero). */
int mc_queue_config_get(struct mc_conn *c, int64_t unit_id,
			struct mc_queue_config *cfg, struct mc_err *err);

struct mc_queue_ticket {
	int64_t id;
	char number[8];			/* "A012" */
	char service[2];
	char service_name[256];
	char status[8];			/* waiting, called, done, missed */
	int64_t issued_at, called_at, finished_at;	/* MC_NO_TIME: not */
	int counter;			/* 0: not called */
	char officer[64];		/* username; "" */
	char dossier_code[64];		/* "" */
	char rating[16];		/* "" */
};

/*
 * Write: a ticket of group 'service' at centre 'unit_id', numbered on
 * the local day of 'now'; '*ahead' is how many of the group wait before
 * it. MC_EINVAL rule "exists" on "service" for a group the centre does
 * not have; MC_ECONFLICT rule "full" past MC_QUEUE_MAX_PER_DAY.
 */
int mc_queue_issue(struct mc_conn *c, int64_t unit_id, const char *service,
		   int64_t now, struct mc_queue_ticket *out, int *ahead,
		   struct mc_err *err);

/*
 * Write: counter 'counter' of centre 'unit_id' calls the next ticket it
 * serves (the oldest waiting of its groups, today), for 'officer_id';
 * the ticket it was serving, if any, is done first. out->id 0: nobody
 * waits. MC_EINVAL rule "exists" on "counter" for a counter the centre
 * does not have.
 */
int mc_queue_call(struct mc_conn *c, int64_t unit_id, int counter,
		  int64_t officer_id, int64_t now, struct mc_queue_ticket *out,
		  struct mc_err *err);

/*
 * Write: ticket 'id' of a centre within 'scope_path' ends: 'done' (with
 * dossier 'dossier_code' handled, may be NULL) or 'missed' (called and
 * not come). Only a called ticket (MC_ECONFLICT rule "status"); another
 * centre's is MC_ENOTFOUND.
 */
int mc_queue_finish(struct mc_conn *c, int64_t id, const char *scope_path,
		    bool missed, const char *dossier_code, int64_t now,
		    struct mc_queue_ticket *out, struct mc_err *err);

/*
 * Write: the visit of ticket 'id' (called or done) rated 'level'
 * (very_satisfied, satisfied, not_satisfied) at the counter's tablet;
 * a second rating replaces the first.
 */
int mc_queue_rate(struct mc_conn *c, int64_t id, const char *scope_path,
		  const char *level, int64_t now, struct mc_queue_ticket *out,
		  struct mc_err *err);

/* The board of centre 'unit_id' on day 'day'. */
struct mc_queue_board {
	int nserving;
	struct mc_queue_ticket serving[MC_QUEUE_MAX_COUNTERS];	/* by
							 * counter */
	int nwaiting;
	struct {
		char service[2];
		char name[256];
		int waiting;
		char next[8];		/* the next number to be called */
	} waiting[MC_QUEUE_MAX_SERVICES];
};
int mc_queue_board_get(struct mc_conn *c, int64_t unit_id, int32_t day,
		       struct mc_queue_board *out, struct mc_err *err);

/* The floor's figures over days [from, to] of a centre. */
struct mc_queue_figures {
	char key[8];			/* a counter's number, or a group */
	char name[256];
	int64_t issued, served, missed, waiting_now;
	int64_t wait_s_total, wait_n;	/* issued → called, of the called */
	int64_t serve_s_total, serve_n;	/* called → done */
	int64_t wait_s_median, serve_s_median;
	int64_t ratings[3];		/* very_satisfied, satisfied, not */
};
struct mc_queue_stats {
	struct mc_queue_figures all;
	int ncounters, nservices;
	struct mc_queue_figures counters[MC_QUEUE_MAX_COUNTERS];
	struct mc_queue_figures services[MC_QUEUE_MAX_SERVICES];
};
int mc_queue_stats_get(struct mc_conn *c, int64_t unit_id, int32_t from,
		       int32_t to, struct mc_queue_stats *out,
		       struct mc_err *err);

#endif /* MC_STORE_QUEUE_H */
