/*
 * queue.c — the centre's floor as stored (see queue.h, docs/queue.md).
 */
#include "core/compat.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "store/queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mc_queue_config_put(struct mc_conn *c, int64_t unit_id,
			const struct mc_queue_config *cfg,
			struct mc_err *err)
{
	static const char del_s[] = "DELETE FROM queue_services WHERE "
		"unit_id = ?1";
	static const char del_c[] = "DELETE FROM queue_counters WHERE "
		"unit_id = ?1";
	static const char ins_s[] = "INSERT INTO queue_services (unit_id, "
		"code, name, ordinal) VALUES (?1, ?2, ?3, ?4)";
	static const char ins_c[] = "INSERT INTO queue_counters (unit_id, "
		"number, name, services) VALUES (?1, ?2, ?3, ?4)";
	struct mc_stmt *s;
	int i, rc = 0;

	/* Every counter serves groups the centre has. */
	for (i = 0; i < cfg->ncounters; i++) {
		const char *p = cfg->counters[i].services;

		while (*p) {
			int k;

			for (k = 0; k < cfg->nservices; k++)
				if (cfg->services[k].code[0] == *p)
					break;
			if (k == cfg->nservices) {
				char field[48];

				snprintf(field, sizeof(field),
					 "counters[%d].services", i);
				rc = mc_err_field(err, field, "exists", "no "
						  "service group %c", *p);
			}
			p += p[1] == ',' ? 2 : 1;
		}
	}
	if (rc)
		return rc;
	if (!(s = mc_sql(c, del_s, err)))
		return MC_EDB;
	mc_sql_int(s, 1, unit_id);
	if ((rc = mc_sql_exec(s, err)) || !(s = mc_sql(c, del_c, err)))
		return rc ? rc : MC_EDB;
	mc_sql_int(s, 1, unit_id);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	for (i = 0; i < cfg->nservices; i++) {
		if (!(s = mc_sql(c, ins_s, err)))
			return MC_EDB;
		mc_sql_int(s, 1, unit_id);
		mc_sql_text(s, 2, cfg->services[i].code);
		mc_sql_text(s, 3, cfg->services[i].name);
		mc_sql_int(s, 4, i);
		if ((rc = mc_sql_exec(s, err)))
			return rc;
	}
	for (i = 0; i < cfg->ncounters; i++) {
		if (!(s = mc_sql(c, ins_c, err)))
			return MC_EDB;
		mc_sql_int(s, 1, unit_id);
		mc_sql_int(s, 2, cfg->counters[i].number);
		mc_sql_text(s, 3, cfg->counters[i].name);
		mc_sql_text(s, 4, cfg->counters[i].services);
		if ((rc = mc_sql_exec(s, err)))
			return rc;
	}
	return 0;
}

int mc_queue_config_get(struct mc_conn *c, int64_t unit_id,
			struct mc_queue_config *cfg, struct mc_err *err)
{
	static const char sel_s[] = "SELECT code, name FROM queue_services "
		"WHERE unit_id = ?1 ORDER BY ordinal";
	static const char sel_c[] = "SELECT number, name, services FROM "
		"queue_counters WHERE unit_id = ?1 ORDER BY number";
	struct mc_stmt *s;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	if (!(s = mc_sql(c, sel_s, err)))
		return MC_EDB;
	mc_sql_int(s, 1, unit_id);
	while ((rc = mc_sql_step(s, err)) == 1 &&
	       cfg->nservices < MC_QUEUE_MAX_SERVICES) {
		struct mc_queue_service *v = &cfg->services[cfg->nservices++];

		mc_sql_col_copy(s, 0, v->code, sizeof(v->code));
		mc_sql_col_copy(s, 1, v->name, sizeof(v->name));
	}
	if (rc < 0)
		return rc;
	mc_sql_reset(s);
	if (!(s = mc_sql(c, sel_c, err)))
		return MC_EDB;
	mc_sql_int(s, 1, unit_id);
	while ((rc = mc_sql_step(s, err)) == 1 &&
	       cfg->ncounters < MC_QUEUE_MAX_COUNTERS) {
		struct mc_queue_counter *k = &cfg->counters[cfg->ncounters++];

		k->number = (int)mc_sql_col_int(s, 0);
		mc_sql_col_copy(s, 1, k->name, sizeof(k->name));
		mc_sql_col_copy(s, 2, k->services, sizeof(k->services));
	}
	if (rc >= 0)
		mc_sql_reset(s);
	return rc < 0 ? rc : 0;
}

#define TICKET_COLS "t.id, t.number, t.service, COALESCE(s.name, ''), " \
	"t.status, t.issued_at, t.called_at, t.finished_at, " \
	"COALESCE(t.counter, 0), COALESCE(us.username, ''), " \
	"COALESCE(d.code, ''), COALESCE(t.rating, ''), u.path " \
	"FROM queue_tickets t JOIN units u ON u.id = t.unit_id LEFT JOIN " \
	"queue_services s ON s.unit_id = t.unit_id AND s.code = t.service " \
	"LEFT JOIN users us ON us.id = t.officer_id LEFT JOIN dossiers d " \
	"ON d.id = t.dossier_id "

static void ticket_row(struct mc_stmt *s, struct mc_queue_ticket *t)
{
	memset(t, 0, sizeof(*t));
	t->id = mc_sql_col_int(s, 0);
	mc_sql_col_copy(s, 1, t->number, sizeof(t->number));
	mc_sql_col_copy(s, 2, t->service, sizeof(t->service));
	mc_sql_col_copy(s, 3, t->service_name, sizeof(t->service_name));
	mc_sql_col_copy(s, 4, t->status, sizeof(t->status));
	t->issued_at = mc_sql_col_time(s, 5);
	t->called_at = mc_sql_col_time(s, 6);
	t->finished_at = mc_sql_col_time(s, 7);
	t->counter = (int)mc_sql_col_int(s, 8);
	mc_sql_col_copy(s, 9, t->officer, sizeof(t->officer));
	mc_sql_col_copy(s, 10, t->dossier_code, sizeof(t->dossier_code));
	mc_sql_col_copy(s, 11, t->rating, sizeof(t->rating));
}

/*
 * Ticket 'id' into 'out'; with 'scope_path', only one of a centre within
 * it (else MC_ENOTFOUND, as for no ticket at all).
 */
static int ticket_get(struct mc_conn *c, int64_t id, const char *scope_path,
		      struct mc_queue_ticket *out, struct mc_err *err)
{
	static const char sql[] = "SELECT " TICKET_COLS "WHERE t.id = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	if ((rc = mc_sql_step(s, err)) < 0)
		return rc;
	if (rc == 0 || (scope_path &&
			!mc_unit_within(mc_sql_col_text(s, 12), scope_path))) {
		mc_sql_reset(s);
		return mc_error(err, MC_ENOTFOUND, "ticket %" PRId64 " not "
				"found", id);
	}
	ticket_row(s, out);
	mc_sql_reset(s);
	return 0;
}

int mc_queue_issue(struct mc_conn *c, int64_t unit_id, const char *service,
		   int64_t now, struct mc_queue_ticket *out, int *ahead,
		   struct mc_err *err)
{
	static const char known[] = "SELECT 1 FROM queue_services WHERE "
		"unit_id = ?1 AND code = ?2";
	static const char next[] = "INSERT INTO queue_sequences (unit_id, "
		"day, service, last) VALUES (?1, ?2, ?3, 1) ON CONFLICT "
		"(unit_id, day, service) DO UPDATE SET last = "
		"queue_sequences.last + 1 RETURNING last";
	static const char ins[] = "INSERT INTO queue_tickets (unit_id, day, "
		"service, seq, number, status, issued_at) VALUES (?1, ?2, ?3, "
		"?4, ?5, 'waiting', ?6) RETURNING id";
	static const char before[] = "SELECT COUNT(*) FROM queue_tickets "
		"WHERE unit_id = ?1 AND day = ?2 AND status = 'waiting' AND "
		"service = ?3 AND id < ?4";
	int32_t day = mc_local_day(now);
	char number[8];
	struct mc_stmt *s;
	int64_t seq, id;
	int rc;

	if (!(s = mc_sql(c, known, err)))
		return MC_EDB;
	mc_sql_int(s, 1, unit_id);
	mc_sql_text(s, 2, service);
	if ((rc = mc_sql_step(s, err)) < 0)
		return rc;
	mc_sql_reset(s);
	if (rc == 0)
		return mc_err_field(err, "service", "exists", "the centre has "
				    "no service group %.8s", service);
	if (!(s = mc_sql(c, next, err)))
		return MC_EDB;
	mc_sql_int(s, 1, unit_id);
	mc_sql_int(s, 2, day);
	mc_sql_text(s, 3, service);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_EDB, "no sequence");
	seq = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	if (seq > MC_QUEUE_MAX_PER_DAY)
		return mc_err_rule(err, MC_ECONFLICT, "service", "full",
				   "group %.8s has given out its %d numbers "
				   "of the day", service, MC_QUEUE_MAX_PER_DAY);
	snprintf(number, sizeof(number), "%.1s%03d", service, (int)seq);
	if (!(s = mc_sql(c, ins, err)))
		return MC_EDB;
	mc_sql_int(s, 1, unit_id);
	mc_sql_int(s, 2, day);
	mc_sql_text(s, 3, service);
	mc_sql_int(s, 4, seq);
	mc_sql_text(s, 5, number);
	mc_sql_time(s, 6, now);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_EDB, "no ticket id");
	id = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	if (!(s = mc_sql(c, before, err)))
		return MC_EDB;
	mc_sql_int(s, 1, unit_id);
	mc_sql_int(s, 2, day);
	mc_sql_text(s, 3, service);
	mc_sql_int(s, 4, id);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_EDB, "no count");
	*ahead = (int)mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	return ticket_get(c, id, NULL, out, err);
}

int mc_queue_call(struct mc_conn *c, int64_t unit_id, int counter,
		  int64_t officer_id, int64_t now, struct mc_queue_ticket *out,
		  struct mc_err *err)
{
	static const char groups[] = "SELECT services FROM queue_counters "
		"WHERE unit_id = ?1 AND number = ?2";
	static const char done[] = "UPDATE queue_tickets SET status = "
		"'done', finished_at = ?3 WHERE unit_id = ?1 AND counter = ?2 "
		"AND status = 'called'";
	static const char oldest[] = "SELECT id FROM queue_tickets WHERE "
		"unit_id = ?1 AND day = ?2 AND status = 'waiting' AND "
		"(',' || ?3 || ',') LIKE ('%,' || service || ',%') ORDER BY id "
		"LIMIT 1";
	static const char take[] = "UPDATE queue_tickets SET status = "
		"'called', called_at = ?2, counter = ?3, officer_id = ?4 WHERE "
		"id = ?1 AND status = 'waiting'";
	char services[MC_QUEUE_MAX_SERVICES * 2];
	struct mc_stmt *s;
	int rc, tries;

	memset(out, 0, sizeof(*out));
	if (!(s = mc_sql(c, groups, err)))
		return MC_EDB;
	mc_sql_int(s, 1, unit_id);
	mc_sql_int(s, 2, counter);
	if ((rc = mc_sql_step(s, err)) < 0)
		return rc;
	if (rc == 0) {
		mc_sql_reset(s);
		return mc_err_field(err, "counter", "exists", "the centre has "
				    "no counter %d", counter);
	}
	mc_sql_col_copy(s, 0, services, sizeof(services));
	mc_sql_reset(s);
	if (!(s = mc_sql(c, done, err)))
		return MC_EDB;
	mc_sql_int(s, 1, unit_id);
	mc_sql_int(s, 2, counter);
	mc_sql_time(s, 3, now);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	/* Another counter may take the same one first (PostgreSQL). */
	for (tries = 0; tries < 8; tries++) {
		int64_t id;

		if (!(s = mc_sql(c, oldest, err)))
			return MC_EDB;
		mc_sql_int(s, 1, unit_id);
		mc_sql_int(s, 2, mc_local_day(now));
		mc_sql_text(s, 3, services);
		if ((rc = mc_sql_step(s, err)) <= 0) {
			mc_sql_reset(s);
			return rc;	/* nobody waits: out->id 0 */
		}
		id = mc_sql_col_int(s, 0);
		mc_sql_reset(s);
		if (!(s = mc_sql(c, take, err)))
			return MC_EDB;
		mc_sql_int(s, 1, id);
		mc_sql_time(s, 2, now);
		mc_sql_int(s, 3, counter);
		mc_sql_id(s, 4, officer_id);
		if ((rc = mc_sql_exec(s, err)))
			return rc;
		if (mc_sql_changes(c) == 1)
			return ticket_get(c, id, NULL, out, err);
	}
	return mc_error(err, MC_EBUSY, "the queue is busy; call again");
}

int mc_queue_finish(struct mc_conn *c, int64_t id, const char *scope_path,
		    bool missed, const char *dossier_code, int64_t now,
		    struct mc_queue_ticket *out, struct mc_err *err)
{
	static const char find[] = "SELECT id FROM dossiers WHERE code = ?1";
	static const char end[] = "UPDATE queue_tickets SET status = ?2, "
		"finished_at = ?3, dossier_id = COALESCE(?4, dossier_id) "
		"WHERE id = ?1 AND status = 'called'";
	int64_t dossier_id = 0;
	struct mc_stmt *s;
	int rc;

	if ((rc = ticket_get(c, id, scope_path, out, err)))
		return rc;
	if (strcmp(out->status, "called") != 0)
		return mc_err_rule(err, MC_ECONFLICT, "status", "status",
				   "ticket %s is %s, not called", out->number,
				   out->status);
	if (dossier_code && *dossier_code) {
		if (!(s = mc_sql(c, find, err)))
			return MC_EDB;
		mc_sql_text(s, 1, dossier_code);
		if ((rc = mc_sql_step(s, err)) < 0)
			return rc;
		if (rc == 1)
			dossier_id = mc_sql_col_int(s, 0);
		mc_sql_reset(s);
		if (!dossier_id)
			return mc_err_field(err, "dossier_code", "exists",
					    "no dossier %.60s", dossier_code);
	}
	if (!(s = mc_sql(c, end, err)))
		return MC_EDB;
	mc_sql_int(s, 1, id);
	mc_sql_text(s, 2, missed ? "missed" : "done");
	mc_sql_time(s, 3, now);
	mc_sql_id(s, 4, dossier_id);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	return ticket_get(c, id, NULL, out, err);
}

int mc_queue_rate(struct mc_conn *c, int64_t id, const char *scope_path,
		  const char *level, int64_t now, struct mc_queue_ticket *out,
		  struct mc_err *err)
{
	static const char set[] = "UPDATE queue_tickets SET rating = ?2, "
		"rated_at = ?3 WHERE id = ?1";
	struct mc_stmt *s;
	int rc;

	if ((rc = ticket_get(c, id, scope_path, out, err)))
		return rc;
	if (strcmp(out->status, "called") != 0 &&
	    strcmp(out->status, "done") != 0)
		return mc_err_rule(err, MC_ECONFLICT, "status", "status",
				   "ticket %s was not served", out->number);
	if (!(s = mc_sql(c, set, err)))
		return MC_EDB;
	mc_sql_int(s, 1, id);
	mc_sql_text(s, 2, level);
	mc_sql_time(s, 3, now);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	return ticket_get(c, id, NULL, out, err);
}

int mc_queue_board_get(struct mc_conn *c, int64_t unit_id, int32_t day,
		       struct mc_queue_board *out, struct mc_err *err)
{
	static const char serving[] = "SELECT " TICKET_COLS "WHERE "
		"t.unit_id = ?1 AND t.day = ?2 AND t.status = 'called' ORDER "
		"BY t.counter, t.id";
	static const char waiting[] = "SELECT service, COUNT(*), MIN(number) "
		"FROM queue_tickets WHERE unit_id = ?1 AND day = ?2 AND status "
		"= 'waiting' GROUP BY service";
	struct mc_queue_config *cfg = mc_calloc(1, sizeof(*cfg));
	struct mc_stmt *s;
	int rc, i;

	memset(out, 0, sizeof(*out));
	if ((rc = mc_queue_config_get(c, unit_id, cfg, err)))
		goto done;
	for (i = 0; i < cfg->nservices; i++) {
		memcpy(out->waiting[i].service, cfg->services[i].code, 2);
		snprintf(out->waiting[i].name, sizeof(out->waiting[i].name),
			 "%s", cfg->services[i].name);
	}
	out->nwaiting = cfg->nservices;
	rc = MC_EDB;
	if (!(s = mc_sql(c, serving, err)))
		goto done;
	mc_sql_int(s, 1, unit_id);
	mc_sql_int(s, 2, day);
	while ((rc = mc_sql_step(s, err)) == 1 &&
	       out->nserving < MC_QUEUE_MAX_COUNTERS)
		ticket_row(s, &out->serving[out->nserving++]);
	if (rc < 0)
		goto done;
	mc_sql_reset(s);
	rc = MC_EDB;
	if (!(s = mc_sql(c, waiting, err)))
		goto done;
	mc_sql_int(s, 1, unit_id);
	mc_sql_int(s, 2, day);
	while ((rc = mc_sql_step(s, err)) == 1)
		for (i = 0; i < out->nwaiting; i++)
			if (!strcmp(out->waiting[i].service,
				    mc_sql_col_text(s, 0))) {
				out->waiting[i].waiting =
					(int)mc_sql_col_int(s, 1);
				mc_sql_col_copy(s, 2, out->waiting[i].next,
						sizeof(out->waiting[i].next));
			}
	rc = rc < 0 ? rc : 0;
done:
	mc_free(cfg);
	return rc;
}

/* Durations of one key, to take their median. */
struct spans {
	int64_t *v;
	size_t n, cap;
};

static void span_add(struct spans *s, int64_t v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = mc_realloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = v;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int64_t span_median(struct spans *s)
{
	int64_t m;

	if (!s->n)
		return 0;
	qsort(s->v, s->n, sizeof(*s->v), cmp_i64);
	m = s->n % 2 ? s->v[s->n / 2] :
	    (s->v[s->n / 2 - 1] + s->v[s->n / 2]) / 2;
	mc_free(s->v);
	memset(s, 0, sizeof(*s));
	return m;
}

/* One ticket counted into 'f' (and its durations into 'w', 'sv'). */
static void count(struct mc_queue_figures *f, struct spans *w,
		  struct spans *sv, const char *status, int64_t issued,
		  int64_t called, int64_t finished, const char *rating)
{
	f->issued++;
	if (!strcmp(status, "waiting"))
		f->waiting_now++;
	if (!strcmp(status, "missed"))
		f->missed++;
	if (called != MC_NO_TIME && called >= issued) {
		f->wait_s_total += called - issued;
		f->wait_n++;
		span_add(w, called - issued);
	}
	if (!strcmp(status, "done")) {
		f->served++;
		if (called != MC_NO_TIME && finished != MC_NO_TIME &&
		    finished >= called) {
			f->serve_s_total += finished - called;
			f->serve_n++;
			span_add(sv, finished - called);
		}
	}
	if (!strcmp(rating, "very_satisfied"))
		f->ratings[0]++;
	else if (!strcmp(rating, "satisfied"))
		f->ratings[1]++;
	else if (!strcmp(rating, "not_satisfied"))
		f->ratings[2]++;
}

int mc_queue_stats_get(struct mc_conn *c, int64_t unit_id, int32_t from,
		       int32_t to, struct mc_queue_stats *out,
		       struct mc_err *err)
{
	static const char sql[] = "SELECT COALESCE(counter, 0), service, "
		"status, issued_at, called_at, finished_at, COALESCE(rating, "
		"'') FROM queue_tickets WHERE unit_id = ?1 AND day BETWEEN ?2 "
		"AND ?3";
	struct mc_queue_config *cfg = mc_calloc(1, sizeof(*cfg));
	/* Spans: [0] all, [1 + counter index], [1 + 99 + service index]. */
	struct spans *w = mc_calloc(1 + MC_QUEUE_MAX_COUNTERS +
				    MC_QUEUE_MAX_SERVICES, sizeof(*w));
	struct spans *sv = mc_calloc(1 + MC_QUEUE_MAX_COUNTERS +
				     MC_QUEUE_MAX_SERVICES, sizeof(*sv));
	struct mc_stmt *s;
	int rc, i;

	memset(out, 0, sizeof(*out));
	if ((rc = mc_queue_config_get(c, unit_id, cfg, err)))
		goto done;
	snprintf(out->all.key, sizeof(out->all.key), "all");
	out->ncounters = cfg->ncounters;
	for (i = 0; i < cfg->ncounters; i++) {
		snprintf(out->counters[i].key, sizeof(out->counters[i].key),
			 "%d", cfg->counters[i].number);
		snprintf(out->counters[i].name, sizeof(out->counters[i].name),
			 "%s", cfg->counters[i].name);
	}
	out->nservices = cfg->nservices;
	for (i = 0; i < cfg->nservices; i++) {
		memcpy(out->services[i].key, cfg->services[i].code, 2);
		snprintf(out->services[i].name, sizeof(out->services[i].name),
			 "%s", cfg->services[i].name);
	}
	rc = MC_EDB;
	if (!(s = mc_sql(c, sql, err)))
		goto done;
	mc_sql_int(s, 1, unit_id);
	mc_sql_int(s, 2, from);
	mc_sql_int(s, 3, to);
	while ((rc = mc_sql_step(s, err)) == 1) {
		int counter = (int)mc_sql_col_int(s, 0);
		const char *service = mc_sql_col_text(s, 1);
		char status[8], rating[16];
		int64_t issued = mc_sql_col_time(s, 3);
		int64_t called = mc_sql_col_time(s, 4);
		int64_t finished = mc_sql_col_time(s, 5);

		mc_sql_col_copy(s, 2, status, sizeof(status));
		mc_sql_col_copy(s, 6, rating, sizeof(rating));
		count(&out->all, &w[0], &sv[0], status, issued, called,
		      finished, rating);
		for (i = 0; counter && i < out->ncounters; i++)
			if (cfg->counters[i].number == counter)
				count(&out->counters[i], &w[1 + i],
				      &sv[1 + i], status, issued, called,
				      finished, rating);
		for (i = 0; i < out->nservices; i++)
			if (!strcmp(out->services[i].key, service))
				count(&out->services[i],
				      &w[1 + MC_QUEUE_MAX_COUNTERS + i],
				      &sv[1 + MC_QUEUE_MAX_COUNTERS + i],
				      status, issued, called, finished,
				      rating);
	}
	rc = rc < 0 ? rc : 0;
done:
	out->all.wait_s_median = span_median(&w[0]);
	out->all.serve_s_median = span_median(&sv[0]);
	for (i = 0; i < MC_QUEUE_MAX_COUNTERS; i++) {
		out->counters[i].wait_s_median = span_median(&w[1 + i]);
		out->counters[i].serve_s_median = span_median(&sv[1 + i]);
	}
	for (i = 0; i < MC_QUEUE_MAX_SERVICES; i++) {
		out->services[i].wait_s_median =
			span_median(&w[1 + MC_QUEUE_MAX_COUNTERS + i]);
		out->services[i].serve_s_median =
			span_median(&sv[1 + MC_QUEUE_MAX_COUNTERS + i]);
	}
	mc_free(w);
	mc_free(sv);
	mc_free(cfg);
	return rc;
}
