/*
 * dossiers.c — intake, actions, reads and the audit of dossiers (see
 * dossiers.h). The rules are the lifecycle's; this file loads, asks and
 * writes, always together with the event that records the change.
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fold.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "domain/fees.h"
#include "domain/lifecycle.h"
#include "store/catalog.h"
#include "store/citizens.h"
#include "store/documents.h"
#include "store/bundles.h"
#include "store/dossiers.h"
#include "store/files.h"
#include "store/portal.h"
#include "store/results.h"
#include "store/store.h"

void mc_dossier_release(struct mc_dossier *d)
{
	if (!d)
		return;
	mc_free(d->components);
	mc_free(d->steps);
	mc_free(d->pauses);
	d->components = NULL;
	d->steps = NULL;
	d->pauses = NULL;
	d->ncomponents = d->capcomponents = 0;
	d->nsteps = d->capsteps = 0;
	d->npauses = d->cappauses = 0;
}

#define PUSH(d, list, n, cap) \
	((d)->list = mc_grow((d)->list, (d)->n, &(d)->cap, \
			     sizeof(*(d)->list)), &(d)->list[(d)->n])

/* Reading. */

#define DOSSIER_COLS "d.id, d.code, d.province_code, d.version_id, p.code, " \
	"v.version, v.name, d.unit_id, u.code, u.path, d.current_unit_id, " \
	"cu.code, cu.path, d.assignee_id, a.username, d.status, d.channel, " \
	"d.return_channel, d.applicant_kind, d.applicant_id_number, " \
	"d.applicant_name, d.applicant_phone, d.applicant_email, " \
	"d.applicant_address, d.rules, d.time_amount, d.time_unit, " \
	"d.submitted_at, d.received_at, d.due_at, d.original_due_at, " \
	"d.finished_at, d.returned_at, d.supplement_requested_at, " \
	"d.supplement_from, d.timeliness, d.current_step, d.supplements, " \
	"d.apologies, d.result_number, d.result_summary, d.reason, " \
	"d.row_version, v.on_the_spot, (SELECT COUNT(*) FROM " \
	"procedure_steps ps WHERE ps.version_id = d.version_id), " \
	"d.period_started_at, d.applicant_categories, d.fee_quantities, " \
	"d.applicant_verified, d.agency_id, COALESCE((SELECT ag.code FROM " \
	"units ag WHERE ag.id = d.agency_id), ''), d.applicant_vneid " \
	"FROM dossiers d JOIN procedure_versions v ON v.id = d.version_id " \
	"JOIN procedures p ON p.id = v.procedure_id JOIN units u ON u.id = " \
	"d.unit_id JOIN units cu ON cu.id = d.current_unit_id LEFT JOIN " \
	"users a ON a.id = d.assignee_id "

/* Column 'i' as the enum 'parse' reads, or 'def' if it reads none. */
static int col_enum(struct mc_stmt *s, int i, int (*parse)(const char *),
		    int def)
{
	char buf[32];
	int v;

	mc_sql_col_copy(s, i, buf, sizeof(buf));
	v = parse(buf);
	return v < 0 ? def : v;
}

/*
 * Steps 's' (bound to look up dossier 'code') to its one row and makes
 * 'out' an empty dossier to read it into; the caller resets 's'.
 */
static int one_row(struct mc_stmt *s, const char *code,
		   struct mc_dossier *out, struct mc_err *err)
{
	int rc = mc_sql_step(s, err);

	if (rc < 0)
		return rc;
	if (rc == 0)
		return mc_error(err, MC_ENOTFOUND, "dossier %s not found",
				code);
	mc_dossier_release(out);
	memset(out, 0, sizeof(*out));
	return 0;
}

static void dossier_row(struct mc_stmt *s, struct mc_dossier *d)
{
	d->id = mc_sql_col_int(s, 0);
	mc_sql_col_copy(s, 1, d->code, sizeof(d->code));
	mc_sql_col_copy(s, 2, d->province_code, sizeof(d->province_code));
	d->version_id = mc_sql_col_int(s, 3);
	mc_sql_col_copy(s, 4, d->procedure_code, sizeof(d->procedure_code));
	d->procedure_version = (int)mc_sql_col_int(s, 5);
	mc_sql_col_copy(s, 6, d->procedure_name, sizeof(d->procedure_name));
	d->unit_id = mc_sql_col_int(s, 7);
	mc_sql_col_copy(s, 8, d->unit_code, sizeof(d->unit_code));
	mc_sql_col_copy(s, 9, d->unit_path, sizeof(d->unit_path));
	d->current_unit_id = mc_sql_col_int(s, 10);
	mc_sql_col_copy(s, 11, d->current_unit_code, sizeof(d->current_unit_code));
	mc_sql_col_copy(s, 12, d->current_unit_path, sizeof(d->current_unit_path));
	d->assignee_id = mc_sql_col_int(s, 13);
	mc_sql_col_copy(s, 14, d->assignee, sizeof(d->assignee));
	d->status = (enum mc_status)col_enum(s, 15, mc_status_parse,
					     MC_ST_SUBMITTED);
	d->channel = (enum mc_channel)col_enum(s, 16, mc_channel_parse,
					       MC_CH_DIRECT);
	mc_sql_col_copy(s, 17, d->return_channel, sizeof(d->return_channel));
	mc_sql_col_copy(s, 18, d->applicant_kind, sizeof(d->applicant_kind));
	mc_sql_col_copy(s, 19, d->applicant_id, sizeof(d->applicant_id));
	mc_sql_col_copy(s, 20, d->applicant_name, sizeof(d->applicant_name));
	mc_sql_col_copy(s, 21, d->applicant_phone, sizeof(d->applicant_phone));
	mc_sql_col_copy(s, 22, d->applicant_email, sizeof(d->applicant_email));
	mc_sql_col_copy(s, 23, d->applicant_address, sizeof(d->applicant_address));
	mc_sql_col_copy(s, 24, d->rules, sizeof(d->rules));
	d->time.amount = (int32_t)mc_sql_col_int(s, 25);
	d->time.unit = (enum mc_due_unit)col_enum(s, 26, mc_due_unit_parse,
						  MC_DUE_WORKING_DAYS);
	d->submitted_at = mc_sql_col_time(s, 27);
	d->received_at = mc_sql_col_time(s, 28);
	d->due_at = mc_sql_col_time(s, 29);
	d->original_due_at = mc_sql_col_time(s, 30);
	d->finished_at = mc_sql_col_time(s, 31);
	d->returned_at = mc_sql_col_time(s, 32);
	d->supplement_requested_at = mc_sql_col_time(s, 33);
	d->supplement_from = (enum mc_status)col_enum(s, 34, mc_status_parse,
						      MC_ST_RECEIVED);
	d->final_tl = (enum mc_tl)col_enum(s, 35, mc_tl_parse, MC_TL_NONE);
	d->current_step = (int)mc_sql_col_int(s, 36);
	d->supplements = (int)mc_sql_col_int(s, 37);
	d->apologies = (int)mc_sql_col_int(s, 38);
	mc_sql_col_copy(s, 39, d->result_number, sizeof(d->result_number));
	mc_sql_col_copy(s, 40, d->result_summary, sizeof(d->result_summary));
	mc_sql_col_copy(s, 41, d->reason, sizeof(d->reason));
	d->row_version = mc_sql_col_int(s, 42);
	d->on_the_spot = mc_sql_col_int(s, 43) != 0;
	d->nplan = (int)mc_sql_col_int(s, 44);
	d->period_started_at = mc_sql_col_time(s, 45);
	mc_sql_col_copy(s, 46, d->applicant_categories,
			sizeof(d->applicant_categories));
	mc_sql_col_copy(s, 47, d->fee_quantities, sizeof(d->fee_quantities));
	d->applicant_verified = mc_sql_col_int(s, 48) != 0;
	d->agency_id = mc_sql_col_int(s, 49);
	mc_sql_col_copy(s, 50, d->agency_code, sizeof(d->agency_code));
	d->applicant_vneid = mc_sql_col_int(s, 51) != 0;
}

static int load_lists(struct mc_conn *c, struct mc_dossier *d,
		      struct mc_err *err)
{
	static const char comps[] = "SELECT c.code, c.name, c.form, "
		"c.quantity, c.required, c.provided, COALESCE(c.file_sha256, "
		"''), COALESCE(f.media_type, ''), COALESCE(f.size, 0), "
		"COALESCE(u.username, ''), c.scanned_at, COALESCE("
		"c.scan_signature, ''), c.reused, COALESCE("
		"c.source_document_id, 0), COALESCE(c.asked_again_reason, '') "
		"FROM dossier_components c "
		"LEFT JOIN files f ON f.sha256 = c.file_sha256 LEFT JOIN users "
		"u ON u.id = c.scanned_by WHERE c.dossier_id = ?1 ORDER BY "
		"c.ordinal";
	static const char steps[] = "SELECT s.plan_step, s.name, s.unit_id, "
		"u.code, u.path, s.assignee_id, a.username, s.started_at, "
		"s.due_at, s.finished_at FROM dossier_steps s JOIN units u ON "
		"u.id = s.unit_id LEFT JOIN users a ON a.id = s.assignee_id "
		"WHERE s.dossier_id = ?1 ORDER BY s.ordinal";
	static const char pauses[] = "SELECT from_at, to_at, reason FROM "
		"dossier_pauses WHERE dossier_id = ?1 ORDER BY ordinal";
	struct mc_stmt *s;
	int rc;

	mc_dossier_release(d);
	if (!(s = mc_sql(c, comps, err)))
		return MC_EDB;
	mc_sql_int(s, 1, d->id);
	while ((rc = mc_sql_step(s, err)) == 1) {
		struct mc_dossier_component *k = PUSH(d, components,
						      ncomponents,
						      capcomponents);

		d->ncomponents++;
		mc_sql_col_copy(s, 0, k->code, sizeof(k->code));
		mc_sql_col_copy(s, 1, k->name, sizeof(k->name));
		mc_sql_col_copy(s, 2, k->form, sizeof(k->form));
		k->quantity = (int)mc_sql_col_int(s, 3);
		k->required = mc_sql_col_int(s, 4) != 0;
		k->provided = mc_sql_col_int(s, 5) != 0;
		mc_sql_col_copy(s, 6, k->file_sha256, sizeof(k->file_sha256));
		mc_sql_col_copy(s, 7, k->media_type, sizeof(k->media_type));
		k->file_size = mc_sql_col_int(s, 8);
		mc_sql_col_copy(s, 9, k->scanned_by, sizeof(k->scanned_by));
		k->scanned_at = mc_sql_col_time(s, 10);
		mc_sql_col_copy(s, 11, k->scan_signature,
				sizeof(k->scan_signature));
		k->reused = mc_sql_col_int(s, 12) != 0;
		k->source_document_id = mc_sql_col_int(s, 13);
		mc_sql_col_copy(s, 14, k->asked_again, sizeof(k->asked_again));
	}
	if (rc < 0)
		return rc;
	if (!(s = mc_sql(c, steps, err)))
		return MC_EDB;
	mc_sql_int(s, 1, d->id);
	while ((rc = mc_sql_step(s, err)) == 1) {
		struct mc_dossier_step *t = PUSH(d, steps, nsteps, capsteps);

		d->nsteps++;
		t->plan_step = (int)mc_sql_col_int(s, 0);
		mc_sql_col_copy(s, 1, t->name, sizeof(t->name));
		t->unit_id = mc_sql_col_int(s, 2);
		mc_sql_col_copy(s, 3, t->unit_code, sizeof(t->unit_code));
		mc_sql_col_copy(s, 4, t->unit_path, sizeof(t->unit_path));
		t->assignee_id = mc_sql_col_int(s, 5);
		mc_sql_col_copy(s, 6, t->assignee, sizeof(t->assignee));
		t->started_at = mc_sql_col_time(s, 7);
		t->due_at = mc_sql_col_time(s, 8);
		t->finished_at = mc_sql_col_time(s, 9);
	}
	if (rc < 0)
		return rc;
	if (!(s = mc_sql(c, pauses, err)))
		return MC_EDB;
	mc_sql_int(s, 1, d->id);
	while ((rc = mc_sql_step(s, err)) == 1) {
		struct mc_dossier_pause *p = PUSH(d, pauses, npauses,
						  cappauses);

		d->npauses++;
		p->from = mc_sql_col_time(s, 0);
		p->to = mc_sql_col_time(s, 1);
		mc_sql_col_copy(s, 2, p->reason, sizeof(p->reason));
	}
	return rc < 0 ? rc : 0;
}

int mc_dossier_get(struct mc_conn *c, const char *code,
		   struct mc_dossier *out, struct mc_err *err)
{
	int rc = mc_dossier_get_head(c, code, out, err);

	return rc ? rc : load_lists(c, out, err);
}

int mc_dossier_get_public(struct mc_conn *c, const char *code,
			  struct mc_dossier *out, struct mc_err *err)
{
	static const char sql[] = "SELECT d.code, d.status, p.code, v.name, "
		"d.applicant_name, d.applicant_phone, d.received_at, d.due_at, "
		"d.original_due_at, d.finished_at, d.supplement_requested_at, "
		"d.supplements, d.timeliness FROM dossiers d JOIN "
		"procedure_versions v ON v.id = d.version_id JOIN procedures p "
		"ON p.id = v.procedure_id WHERE d.code = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, code);
	if ((rc = one_row(s, code, out, err)))
		return rc;
	mc_sql_col_copy(s, 0, out->code, sizeof(out->code));
	out->status = (enum mc_status)col_enum(s, 1, mc_status_parse,
					       MC_ST_SUBMITTED);
	mc_sql_col_copy(s, 2, out->procedure_code, sizeof(out->procedure_code));
	mc_sql_col_copy(s, 3, out->procedure_name, sizeof(out->procedure_name));
	mc_sql_col_copy(s, 4, out->applicant_name, sizeof(out->applicant_name));
	mc_sql_col_copy(s, 5, out->applicant_phone, sizeof(out->applicant_phone));
	out->received_at = mc_sql_col_time(s, 6);
	out->due_at = mc_sql_col_time(s, 7);
	out->original_due_at = mc_sql_col_time(s, 8);
	out->finished_at = mc_sql_col_time(s, 9);
	out->supplement_requested_at = mc_sql_col_time(s, 10);
	out->supplements = (int)mc_sql_col_int(s, 11);
	out->final_tl = (enum mc_tl)col_enum(s, 12, mc_tl_parse, MC_TL_NONE);
	mc_sql_reset(s);
	return 0;
}

int mc_dossier_get_head(struct mc_conn *c, const char *code,
			struct mc_dossier *out, struct mc_err *err)
{
	static const char sql[] = "SELECT " DOSSIER_COLS "WHERE d.code = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, code);
	if ((rc = one_row(s, code, out, err)))
		return rc;
	dossier_row(s, out);
	mc_sql_reset(s);
	return 0;
}

bool mc_dossier_visible(const struct mc_dossier *d, const struct mc_user *actor)
{
	int i;

	if (mc_unit_within(d->unit_path, actor->unit_path) ||
	    mc_unit_within(d->current_unit_path, actor->unit_path))
		return true;
	for (i = 0; i < d->nsteps; i++)
		if (mc_unit_within(d->steps[i].unit_path, actor->unit_path))
			return true;
	return false;
}

enum mc_tl mc_dossier_timeliness(const struct mc_dossier *d, int64_t now)
{
	struct mc_tl_facts f = {
		d->status, d->original_due_at, d->finished_at,
		d->supplement_requested_at, d->supplements
	};

	if (d->final_tl != MC_TL_NONE)
		return d->final_tl;
	return mc_lc_timeliness(&f, now);
}

/* Writing. */

/*
 * The next number of the agency's daily sequence (never repeats). Where
 * the backend allows, it is taken on a side connection that commits at
 * once, so that concurrent intakes at one counter do not queue behind
 * each other's commits; a write that fails after taking a number leaves a
 * gap, never a repeat.
 */
int mc_sequence_next(struct mc_conn *c, const char *agency, const char *day,
		     int64_t *out, struct mc_err *err)
{
	static const char sql[] = "INSERT INTO dossier_sequences (agency_code, "
		"day, last) VALUES (?1, ?2, 1) ON CONFLICT (agency_code, day) "
		"DO UPDATE SET last = dossier_sequences.last + 1 RETURNING last";
	struct mc_conn *side = mc_conn_side(c);
	struct mc_stmt *s = mc_sql(side ? side : c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, agency);
	mc_sql_text(s, 2, day);
	rc = mc_sql_step(s, err);
	if (rc != 1)
		return rc < 0 ? rc : MC_EDB;
	*out = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	return 0;
}

/* The last event's seq, hash and instant of dossier 'id'. */
static int last_event(struct mc_conn *c, int64_t id, int64_t *seq,
		      char hash[65], int64_t *at, struct mc_err *err)
{
	static const char sql[] = "SELECT seq, hash, at FROM dossier_events "
		"WHERE dossier_id = ?1 ORDER BY seq DESC LIMIT 1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	rc = mc_sql_step(s, err);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		*seq = 0;
		memcpy(hash, mc_event_genesis, 65);
		*at = MC_NO_TIME;
		return 0;
	}
	*seq = mc_sql_col_int(s, 0);
	mc_sql_col_copy(s, 1, hash, 65);
	*at = mc_sql_col_time(s, 2);
	mc_sql_reset(s);
	return 0;
}

static int append_event(struct mc_conn *c, int64_t id, const char *code,
			const struct mc_user *actor, const char *action,
			const char *from, const char *to, const char *note,
			const char *detail, int64_t now, struct mc_err *err);

int mc_dossier_receiver(struct mc_conn *c, int64_t id, struct mc_user *out)
{
	static const char sql[] = "SELECT actor_id FROM dossier_events WHERE "
		"dossier_id = ?1 AND to_status = 'received' AND actor_id IS "
		"NOT NULL ORDER BY seq LIMIT 1";
	struct mc_stmt *s = mc_sql(c, sql, NULL);
	int64_t uid;

	if (!s)
		return MC_ENOTFOUND;
	mc_sql_int(s, 1, id);
	if (mc_sql_step(s, NULL) != 1)
		return MC_ENOTFOUND;
	uid = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	return mc_user_get_id(c, uid, out, NULL) ? MC_ENOTFOUND : 0;
}

int mc_dossier_event_add(struct mc_conn *c, const struct mc_dossier *d,
			 const struct mc_user *actor, const char *action,
			 const char *note, const char *detail, int64_t now,
			 struct mc_err *err)
{
	/* One event, one version (mc_audit_verify): the row is also what
	 * keeps two writers from appending to one chain at once. */
	static const char bump[] = "UPDATE dossiers SET row_version = "
		"row_version + 1, updated_at = ?2 WHERE id = ?1";
	const char *st = mc_status_name(d->status);
	struct mc_stmt *s = mc_sql(c, bump, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, d->id);
	mc_sql_time(s, 2, now);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	return append_event(c, d->id, d->code, actor, action, st, st, note,
			    detail, now, err);
}

static int append_event(struct mc_conn *c, int64_t id, const char *code,
			const struct mc_user *actor, const char *action,
			const char *from, const char *to, const char *note,
			const char *detail, int64_t now, struct mc_err *err)
{
	static const char sql[] = "INSERT INTO dossier_events (dossier_id, "
		"seq, at, actor_id, actor, action, from_status, to_status, "
		"note, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
		"?7, ?8, ?9, ?10, ?11, ?12)";
	struct mc_event_fields e;
	struct mc_stmt *s;
	char prev[65], hash[65], at[24];
	int64_t seq, last_at;
	int rc;

	rc = last_event(c, id, &seq, prev, &last_at, err);
	if (rc)
		return rc;
	/* Events of one dossier never go back in time. */
	if (last_at != MC_NO_TIME && now < last_at)
		now = last_at;
	mc_store_time(now, at);
	e.dossier_code = code;
	e.seq = seq + 1;
	e.at = at;
	e.actor = actor->username;
	e.action = action;
	e.from_status = from;
	e.to_status = to;
	e.note = note;
	e.detail = detail;
	mc_event_hash(prev, &e, hash);
	if (!(s = mc_sql(c, sql, err)))
		return MC_EDB;
	mc_sql_int(s, 1, id);
	mc_sql_int(s, 2, e.seq);
	mc_sql_text(s, 3, at);
	mc_sql_id(s, 4, actor->id);
	mc_sql_text(s, 5, actor->username);
	mc_sql_text(s, 6, action);
	mc_sql_text(s, 7, from);
	mc_sql_text(s, 8, to);
	mc_sql_text(s, 9, note);
	mc_sql_text(s, 10, detail);
	mc_sql_text(s, 11, prev);
	mc_sql_text(s, 12, hash);
	return mc_sql_exec(s, err);
}

/* Records that 'unit' has a hand in the dossier (who may see it). */
static int add_unit(struct mc_conn *c, int64_t dossier_id, int64_t unit,
		    struct mc_err *err)
{
	static const char sql[] = "INSERT INTO dossier_units (unit_id, "
		"dossier_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, unit);
	mc_sql_int(s, 2, dossier_id);
	return mc_sql_exec(s, err);
}

static int insert_step(struct mc_conn *c, int64_t dossier_id, int ordinal,
		       const struct mc_dossier_step *t, struct mc_err *err)
{
	int rc;

	static const char sql[] = "INSERT INTO dossier_steps (dossier_id, "
		"ordinal, plan_step, name, unit_id, assignee_id, started_at, "
		"due_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, dossier_id);
	mc_sql_int(s, 2, ordinal);
	mc_sql_int(s, 3, t->plan_step);
	mc_sql_text(s, 4, t->name);
	mc_sql_int(s, 5, t->unit_id);
	mc_sql_id(s, 6, t->assignee_id);
	mc_sql_time(s, 7, t->started_at);
	mc_sql_time(s, 8, t->due_at);
	rc = mc_sql_exec(s, err);
	return rc ? rc : add_unit(c, dossier_id, t->unit_id, err);
}

/* Writes the open step (the last one) as it stands in 'd'. */
static int save_step(struct mc_conn *c, const struct mc_dossier *d,
		     struct mc_err *err)
{
	static const char sql[] = "UPDATE dossier_steps SET assignee_id = ?3, "
		"due_at = ?4, finished_at = ?5 WHERE dossier_id = ?1 AND "
		"ordinal = ?2";
	const struct mc_dossier_step *t = &d->steps[d->nsteps - 1];
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, d->id);
	mc_sql_int(s, 2, d->nsteps - 1);
	mc_sql_id(s, 3, t->assignee_id);
	mc_sql_time(s, 4, t->due_at);
	mc_sql_time(s, 5, t->finished_at);
	return mc_sql_exec(s, err);
}

/* Ends the open step (the last one) at 'now'. */
static int close_step(struct mc_conn *c, struct mc_dossier *d, int64_t now,
		      struct mc_err *err)
{
	struct mc_dossier_step *t;

	if (d->nsteps == 0)
		return 0;
	t = &d->steps[d->nsteps - 1];
	if (t->finished_at == MC_NO_TIME)
		t->finished_at = now;
	return save_step(c, d, err);
}

/* Due instant of plan step 'k' for a dossier received at 'received'. */
static int plan_due(const struct mc_calendar *cal,
		    const struct mc_procedure *p, int k, int64_t received,
		    int64_t due, int64_t *out, struct mc_err *err)
{
	int shares[MC_PROC_MAX_STEPS];
	int64_t dues[MC_PROC_MAX_STEPS];
	int i, rc;

	if (p->nsteps == 0 || k >= p->nsteps || p->nsteps > MC_PROC_MAX_STEPS) {
		*out = due;
		return 0;
	}
	for (i = 0; i < p->nsteps; i++)
		shares[i] = p->steps[i].share_percent;
	rc = mc_lc_step_dues(cal, received, due, shares, p->nsteps, dues, err);
	if (rc)
		return rc;
	*out = dues[k];
	return 0;
}

/* Opens the first step at the receiving unit (on receipt or restart). */
static int open_first_step(struct mc_conn *c, const struct mc_calendar *cal,
			   const struct mc_procedure *p, struct mc_dossier *d,
			   const struct mc_user *actor, struct mc_err *err)
{
	struct mc_dossier_step *t;
	int rc;

	if (d->nsteps >= MC_DOSSIER_MAX_STEPS)
		return mc_err_rule(err, MC_ECONFLICT, "action", "max_steps",
				   "dossier %s has had %d hand-overs, the most "
				   "one dossier may have", d->code,
				   MC_DOSSIER_MAX_STEPS);
	t = PUSH(d, steps, nsteps, capsteps);
	memset(t, 0, sizeof(*t));
	t->plan_step = 0;
	snprintf(t->unit_code, sizeof(t->unit_code), "%s", d->unit_code);
	snprintf(t->unit_path, sizeof(t->unit_path), "%s", d->unit_path);
	snprintf(t->assignee, sizeof(t->assignee), "%s", actor->username);
	snprintf(t->name, sizeof(t->name), "%s", p->nsteps ? p->steps[0].name :
		 "Tiếp nhận hồ sơ");
	t->unit_id = d->unit_id;
	t->assignee_id = actor->id;
	t->started_at = d->received_at;
	t->finished_at = MC_NO_TIME;
	rc = plan_due(cal, p, 0, d->period_started_at, d->due_at,
		      &t->due_at, err);
	if (rc)
		return rc;
	rc = insert_step(c, d->id, d->nsteps, t, err);
	if (rc)
		return rc;
	d->nsteps++;
	d->current_step = 0;
	return 0;
}

static int receive(const struct mc_calendar *cal, const struct mc_procedure *p,
		   struct mc_dossier *d, int64_t now, struct mc_err *err)
{
	struct mc_period per = mc_lc_period(p->time,
					    p->online_reduction_percent,
					    d->channel, cal);
	int64_t start;
	int rc = mc_lc_due(cal, per, now, &start, &d->due_at, err);

	if (rc)
		return rc;
	/* The receipt is the first start; a supplement restarts the period. */
	if (d->received_at == MC_NO_TIME)
		d->received_at = start;
	d->period_started_at = start;
	d->time = per;
	d->original_due_at = d->due_at;
	return 0;
}

static int insert_dossier(struct mc_conn *c, struct mc_dossier *d,
			  const struct mc_user *actor, int64_t now,
			  struct mc_err *err)
{
	static const char sql[] = "INSERT INTO dossiers (code, province_code, "
		"version_id, unit_id, current_unit_id, status, channel, "
		"return_channel, applicant_kind, applicant_id_number, "
		"applicant_name, applicant_name_folded, applicant_phone, "
		"applicant_email, applicant_address, rules, time_amount, "
		"time_unit, submitted_at, received_at, due_at, original_due_at, "
		"created_by, created_at, updated_at, period_started_at, "
		"applicant_categories, fee_quantities, applicant_verified, "
		"agency_id, applicant_vneid, rep_resident) "
		"VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
		"?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?23, ?24, "
		"?25, ?26, ?27, ?28, ?29, ?30) RETURNING id";
	static const char comp[] = "INSERT INTO dossier_components "
		"(dossier_id, ordinal, code, name, form, quantity, required, "
		"provided, file_sha256, reused, source_document_id, "
		"asked_again_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
		"?9, ?10, ?11, ?12)";
	struct mc_stmt *s = mc_sql(c, sql, err);
	char *folded;
	int rc, i;

	if (!s)
		return MC_EDB;
	folded = mc_text_fold(d->applicant_name, strlen(d->applicant_name));
	mc_sql_text(s, 1, d->code);
	mc_sql_text(s, 2, d->province_code);
	mc_sql_int(s, 3, d->version_id);
	mc_sql_int(s, 4, d->unit_id);
	mc_sql_text(s, 5, mc_status_name(d->status));
	mc_sql_text(s, 6, mc_channel_name(d->channel));
	mc_sql_text(s, 7, d->return_channel);
	mc_sql_text(s, 8, d->applicant_kind);
	mc_sql_text(s, 9, d->applicant_id);
	mc_sql_text(s, 10, d->applicant_name);
	mc_sql_text(s, 11, folded ? folded : "");
	mc_free(folded);
	mc_sql_text_opt(s, 12, d->applicant_phone);
	mc_sql_text_opt(s, 13, d->applicant_email);
	mc_sql_text_opt(s, 14, d->applicant_address);
	mc_sql_text(s, 15, d->rules);
	mc_sql_int(s, 16, d->time.amount);
	mc_sql_text(s, 17, mc_due_unit_name(d->time.unit));
	mc_sql_time(s, 18, d->submitted_at);
	mc_sql_time(s, 19, d->received_at);
	mc_sql_time(s, 20, d->due_at);
	mc_sql_time(s, 21, d->original_due_at);
	mc_sql_id(s, 22, actor->id);
	mc_sql_time(s, 23, now);
	mc_sql_time(s, 24, d->period_started_at);
	mc_sql_text(s, 25, d->applicant_categories);
	mc_sql_text(s, 26, d->fee_quantities);
	mc_sql_int(s, 27, d->applicant_verified);
	mc_sql_id(s, 28, d->agency_id);
	mc_sql_int(s, 29, d->applicant_vneid);
	/* The 766 index's 4.5: a person, and whether their data was used. */
	mc_sql_int(s, 30, strcmp(d->applicant_kind, "person") ? 0 :
		   d->applicant_verified || d->applicant_vneid ? 2 : 1);
	rc = mc_sql_step(s, err);
	if (rc != 1)
		return rc < 0 ? rc : MC_EDB;
	d->id = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	for (i = 0; i < d->ncomponents; i++) {
		const struct mc_dossier_component *k = &d->components[i];

		if (!(s = mc_sql(c, comp, err)))
			return MC_EDB;
		mc_sql_int(s, 1, d->id);
		mc_sql_int(s, 2, i);
		mc_sql_text(s, 3, k->code);
		mc_sql_text(s, 4, k->name);
		mc_sql_text(s, 5, k->form);
		mc_sql_int(s, 6, k->quantity);
		mc_sql_int(s, 7, k->required);
		mc_sql_int(s, 8, k->provided);
		mc_sql_text_opt(s, 9, k->file_sha256);
		mc_sql_int(s, 10, k->reused);
		mc_sql_id(s, 11, k->source_document_id);
		mc_sql_text_opt(s, 12, k->asked_again);
		if ((rc = mc_sql_exec(s, err)))
			return rc;
	}
	return 0;
}

/* Matches the components handed in against the procedure's list. */
static int take_components(const struct mc_procedure *p,
			   const struct mc_intake *in, struct mc_dossier *d,
			   struct mc_err *err)
{
	int i, j, rc = 0;

	for (j = 0; j < in->ncomponents; j++) {
		for (i = 0; i < p->ncomponents; i++)
			if (strcmp(p->components[i].code,
				   in->components[j].code) == 0)
				break;
		if (i == p->ncomponents) {
			char field[48];

			snprintf(field, sizeof(field), "components[%d].code",
				 j);
			rc = mc_err_field(err, field, "exists", "procedure %s "
					  "has no component %s", p->code,
					  in->components[j].code);
		}
	}
	for (i = 0; i < p->ncomponents; i++) {
		struct mc_dossier_component *k = PUSH(d, components,
						      ncomponents,
						      capcomponents);
		const struct mc_proc_component *pc = &p->components[i];

		d->ncomponents++;
		memset(k, 0, sizeof(*k));
		snprintf(k->code, sizeof(k->code), "%s", pc->code);
		snprintf(k->name, sizeof(k->name), "%s", pc->name);
		snprintf(k->form, sizeof(k->form), "%s", pc->form);
		k->quantity = pc->quantity;
		k->required = pc->required;
		for (j = 0; j < in->ncomponents; j++) {
			if (strcmp(pc->code, in->components[j].code) != 0)
				continue;
			k->provided |= in->components[j].provided;
			k->source_document_id = in->components[j].document_id;
			if (in->components[j].file_sha256[0] &&
			    !k->file_sha256[0])
				snprintf(k->file_sha256,
					 sizeof(k->file_sha256), "%s",
					 in->components[j].file_sha256);
			snprintf(k->asked_again, sizeof(k->asked_again), "%s",
				 in->components[j].asked_again);
		}
		if (pc->required && !k->provided &&
		    d->channel != MC_CH_ONLINE)
			rc = mc_err_field(err, "components", "required",
					  "required component %s (%s) is "
					  "missing", pc->code, pc->name);
	}
	return rc;
}

/* Every quantity 'd' gives is for a fee item of 'p' counted per unit. */
static int check_quantities(const struct mc_procedure *p,
			    const struct mc_dossier *d, struct mc_err *err)
{
	const char *q = d->fee_quantities;

	while (q && *q) {
		/* "item:quantity", as the API made it. */
		long i = strtol(q, NULL, 10);

		if (i >= p->nfees || !p->fees[i].per[0] ||
		    !strcmp(p->fees[i].per, "dossier"))
			return mc_err_field(err, "fee_quantities", "counted",
					    "fee item %d of procedure %s is "
					    "not counted per copy or page", (int)i,
					    p->code);
		q = strchr(q, ',');
		q = q ? q + 1 : NULL;
	}
	return 0;
}

/*
 * Fee item 'i' of 'p' for dossier 'd': the amount per unit times the
 * quantity, nothing if the applicant's category is exempted, else less
 * the online discount for an online dossier.
 */
static void fee_line(const struct mc_procedure *p, int i,
		     const struct mc_dossier *d, struct mc_dossier_fee *out)
{
	const struct mc_proc_fee *f = &p->fees[i];
	bool counted = f->per[0] && strcmp(f->per, "dossier") != 0;

	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", f->name);
	snprintf(out->kind, sizeof(out->kind), "%s", f->kind);
	out->quantity = counted ? mc_fee_quantity(d->fee_quantities, i) : 1;
	out->base_amount = f->amount * out->quantity;
	out->discount_percent = d->channel == MC_CH_ONLINE ?
				f->online_discount_percent : 0;
	if (mc_fee_exemption(f->exempt, d->applicant_categories,
			     out->exempt_category, sizeof(out->exempt_category)))
		out->amount = 0;
	else
		out->amount = mc_fee_discounted(out->base_amount,
						out->discount_percent);
}

/* The fees of 'p' for dossier 'd' at its receipt, kept as assessed. */
static int assess_fees(struct mc_conn *c, const struct mc_procedure *p,
		       const struct mc_dossier *d, struct mc_err *err)
{
	static const char sql[] = "INSERT INTO dossier_fees (dossier_id, "
		"ordinal, name, kind, base_amount, discount_percent, amount, "
		"quantity, exempt_category) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
		"?8, ?9) ON CONFLICT DO NOTHING";
	struct mc_dossier_fee l;
	int i, rc = 0;

	for (i = 0; !rc && i < p->nfees; i++) {
		struct mc_stmt *s = mc_sql(c, sql, err);

		if (!s)
			return MC_EDB;
		fee_line(p, i, d, &l);
		mc_sql_int(s, 1, d->id);
		mc_sql_int(s, 2, i);
		mc_sql_text(s, 3, l.name);
		mc_sql_text(s, 4, l.kind);
		mc_sql_int(s, 5, l.base_amount);
		mc_sql_int(s, 6, l.discount_percent);
		mc_sql_int(s, 7, l.amount);
		mc_sql_int(s, 8, l.quantity);
		mc_sql_text_opt(s, 9, l.exempt_category);
		rc = mc_sql_exec(s, err);
	}
	return rc;
}

/*
 * Whether 'd' waits for its fees before it is received: its procedure
 * says they are paid first, and there is something to pay.
 */
static bool pays_first(const struct mc_procedure *p,
		       const struct mc_dossier *d)
{
	struct mc_dossier_fee l;
	int64_t total = 0;
	int i;

	if (!p->pay_first)
		return false;
	for (i = 0; i < p->nfees; i++) {
		fee_line(p, i, d, &l);
		total += l.amount;
	}
	return total > 0;
}

int mc_dossier_fees(struct mc_conn *c, int64_t id, mc_fee_fn *fn, void *arg,
		    struct mc_err *err)
{
	static const char sql[] = "SELECT name, kind, base_amount, "
		"discount_percent, amount, quantity, exempt_category FROM "
		"dossier_fees WHERE dossier_id = ?1 ORDER BY ordinal";
	struct mc_dossier_fee f;
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc, n = 0;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	while ((rc = mc_sql_step(s, err)) == 1) {
		memset(&f, 0, sizeof(f));
		mc_sql_col_copy(s, 0, f.name, sizeof(f.name));
		mc_sql_col_copy(s, 1, f.kind, sizeof(f.kind));
		f.base_amount = mc_sql_col_int(s, 2);
		f.discount_percent = (int)mc_sql_col_int(s, 3);
		f.amount = mc_sql_col_int(s, 4);
		f.quantity = (int)mc_sql_col_int(s, 5);
		mc_sql_col_copy(s, 6, f.exempt_category,
				sizeof(f.exempt_category));
		fn(&f, arg);
		n++;
	}
	return rc < 0 ? rc : n;
}

/* The applicant's first reusable document of 'type', or 0. */
static int64_t reusable_of(struct mc_conn *c, const char *owner,
			   const char *type, int32_t today, struct mc_err *err)
{
	static const char sql[] = "SELECT id FROM documents WHERE owner_id = "
		"?1 AND type_code = ?2 AND status = 'valid' AND verified = 1 "
		"AND (valid_until IS NULL OR valid_until >= ?3) ORDER BY id "
		"DESC LIMIT 1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	char day[16];
	int64_t id = 0;

	if (!s)
		return -1;
	mc_sql_text(s, 1, owner);
	mc_sql_text(s, 2, type);
	mc_sql_text(s, 3, mc_date_format(today, day, sizeof(day)));
	if (mc_sql_step(s, err) == 1) {
		id = mc_sql_col_int(s, 0);
		mc_sql_reset(s);
	}
	return id;
}

/*
 * Reuse (docs/data-store.md): a component given a stored document takes
 * it, if it is the applicant's, of the component's type, valid and
 * verified; a required paper brought although the store holds one needs
 * the reason it was asked for again.
 */
static int take_stored(struct mc_conn *c, const struct mc_procedure *p,
		       struct mc_dossier *d, int32_t today, struct mc_err *err)
{
	int i, rc = 0;

	for (i = 0; i < d->ncomponents && i < p->ncomponents; i++) {
		struct mc_dossier_component *k = &d->components[i];
		const char *type = p->components[i].document_type;
		char field[64];

		snprintf(field, sizeof(field), "components[%s]", k->code);
		if (k->source_document_id) {
			struct mc_document doc;

			if (mc_document_get(c, k->source_document_id, &doc,
					    NULL) ||
			    !mc_document_reusable(&doc, d->applicant_id, type,
						  today)) {
				rc = mc_err_field(err, field, "reusable",
					"document %" PRId64 " is not a valid, "
					"verified %s of the applicant",
					k->source_document_id,
					type[0] ? type : "document");
				continue;
			}
			k->reused = k->provided = true;
			snprintf(k->file_sha256, sizeof(k->file_sha256), "%s",
				 doc.file_sha256);
		} else if (k->provided && k->required && type[0] &&
			   !k->asked_again[0]) {
			int64_t id = reusable_of(c, d->applicant_id, type,
						 today, err);

			if (id < 0)
				return MC_EDB;
			if (id)
				rc = mc_err_field(err, field, "reuse", "the "
					"applicant's store holds %s (document "
					"%" PRId64 "): reuse it, or say why "
					"the paper was asked for again "
					"(asked_again_reason)", type, id);
		}
	}
	return rc;
}

/*
 * Queues for the national portal, when it is configured, the event that
 * 'actor' (NULL: the system) just made of 'd' (store/portal.h).
 */
static int portal_note(struct mc_conn *c, const struct mc_notify *n,
		       const struct mc_dossier *d, const struct mc_user *actor,
		       const char *event, const char *note, int64_t now,
		       struct mc_err *err)
{
	static const char *const titles[MC_ROLE_COUNT] = {
		[MC_ROLE_ADMIN] = "Quản trị hệ thống",
		[MC_ROLE_CONTROL_OFFICER] = "Cán bộ kiểm soát TTHC",
		[MC_ROLE_COUNTER_OFFICER] = "Cán bộ tiếp nhận",
		[MC_ROLE_SPECIALIST] = "Chuyên viên",
		[MC_ROLE_LEADER] = "Lãnh đạo",
	};
	struct mc_portal_step st;

	if (!n || !n->portal)
		return 0;
	memset(&st, 0, sizeof(st));
	st.event = event;
	st.by = !actor ? "Hệ thống" : actor->full_name[0] ?
		actor->full_name : actor->username;
	st.title = actor && (int)actor->role < MC_ROLE_COUNT ?
		   titles[actor->role] : "";
	st.unit = actor ? actor->unit_name : "";
	st.note = note;
	st.public_url = n->public_url;
	return mc_portal_enqueue(c, d, &st, now, err);
}

/* Logs that the counter read each document it reused for 'd'. */
static int log_reuse(struct mc_conn *c, const struct mc_dossier *d,
		     const struct mc_user *actor, int64_t now,
		     struct mc_err *err)
{
	int i, rc = 0;

	for (i = 0; !rc && i < d->ncomponents; i++) {
		struct mc_access a;

		if (!d->components[i].reused)
			continue;
		memset(&a, 0, sizeof(a));
		a.at = now;
		snprintf(a.actor, sizeof(a.actor), "%s", actor->username);
		snprintf(a.actor_unit, sizeof(a.actor_unit), "%s",
			 actor->unit_code);
		snprintf(a.action, sizeof(a.action), "read");
		a.document_id = d->components[i].source_document_id;
		snprintf(a.purpose, sizeof(a.purpose), "%s", d->code);
		rc = mc_access_log_add(c, d->applicant_id, &a, err);
	}
	return rc;
}

/*
 * The unit named to resolve a dossier received at 'at' (intake regardless
 * of administrative boundary): a commune (district) of the same province,
 * in force, for a procedure of that level.
 */
static int competent(struct mc_conn *c, const struct mc_procedure *p,
		     const struct mc_unit *at, const char *code,
		     struct mc_dossier *d, struct mc_err *err)
{
	struct mc_unit u;
	size_t root = strcspn(at->path + 1, "/") + 2;

	if (strcmp(p->level, "commune") && strcmp(p->level, "district"))
		return mc_err_field(err, "competent_unit_code", "level",
				    "procedure %s is of the %s level: its own "
				    "unit resolves it wherever it is received",
				    p->code, p->level);
	if (mc_unit_get(c, code, &u, NULL))
		return mc_err_field(err, "competent_unit_code", "exists", "no "
				    "unit has the code %s", code);
	if (u.valid_to[0])
		return mc_err_field(err, "competent_unit_code", "in_force",
				    "unit %s ended on %s; use its successor "
				    "%s", u.code, u.valid_to,
				    u.successor_code);
	if (strcmp(u.level, p->level))
		return mc_err_field(err, "competent_unit_code", "level",
				    "procedure %s is resolved by a %s; %s is "
				    "a %s", p->code, p->level, u.code, u.level);
	/* The same province: the same root of the units' tree. */
	if (strncmp(u.path, at->path, root))
		return mc_err_field(err, "competent_unit_code", "province",
				    "%s is not of the receiving unit's "
				    "province", u.code);
	d->agency_id = u.id;
	snprintf(d->agency_code, sizeof(d->agency_code), "%s", u.code);
	return 0;
}

void mc_system_intake_actor(struct mc_user *u, const char *username,
			    const char *full_name, const char *unit_code)
{
	memset(u, 0, sizeof(*u));
	snprintf(u->username, sizeof(u->username), "%s", username);
	snprintf(u->full_name, sizeof(u->full_name), "%s", full_name);
	u->role = MC_ROLE_COUNTER_OFFICER;
	snprintf(u->unit_code, sizeof(u->unit_code), "%s", unit_code);
	snprintf(u->unit_path, sizeof(u->unit_path), "/");
	u->active = true;
}

int mc_dossier_intake(struct mc_conn *c, const struct mc_calendar *cal,
		      const struct mc_user *actor, const struct mc_intake *in,
		      int64_t now, struct mc_dossier *out, struct mc_err *err)
{
	struct mc_procedure *p = mc_calloc(1, sizeof(*p));
	struct mc_dossier *d = out;
	struct mc_unit unit, province;
	struct mc_ymd ymd;
	char day[8], detail[256];
	int32_t today = mc_local_day(now);
	int64_t seq;
	int rc;

	mc_dossier_release(d);
	memset(d, 0, sizeof(*d));
	rc = mc_procedure_get(c, in->procedure_code, 0, today, p, NULL);
	if (rc) {
		rc = mc_err_field(err, "procedure_code", "in_force", "no "
				  "published version of procedure %s is in "
				  "force today", in->procedure_code);
		goto out;
	}
	rc = mc_unit_get(c, in->unit_code[0] ? in->unit_code :
			 actor->unit_code, &unit, NULL);
	if (rc) {
		rc = mc_err_field(err, "unit_code", "exists", "no unit has the "
				  "code %s", in->unit_code);
		goto out;
	}
	if (unit.valid_to[0]) {
		rc = mc_err_field(err, "unit_code", "in_force", "unit %s "
				  "ended on %s; use its successor %s",
				  unit.code, unit.valid_to,
				  unit.successor_code);
		goto out;
	}
	if (!mc_unit_within(unit.path, actor->unit_path)) {
		rc = mc_error(err, MC_EFORBIDDEN, "%s may not receive "
			      "dossiers for unit %s", actor->username,
			      unit.code);
		goto out;
	}
	d->version_id = p->id;
	snprintf(d->procedure_code, sizeof(d->procedure_code), "%s", p->code);
	d->procedure_version = p->version;
	snprintf(d->procedure_name, sizeof(d->procedure_name), "%s", p->name);
	d->nplan = p->nsteps;
	d->on_the_spot = p->on_the_spot;
	d->unit_id = d->current_unit_id = unit.id;
	snprintf(d->unit_code, sizeof(d->unit_code), "%s", unit.code);
	snprintf(d->unit_path, sizeof(d->unit_path), "%s", unit.path);
	snprintf(d->current_unit_code, sizeof(d->current_unit_code), "%s",
		 unit.code);
	snprintf(d->current_unit_path, sizeof(d->current_unit_path), "%s",
		 unit.path);
	d->channel = in->channel;
	snprintf(d->return_channel, sizeof(d->return_channel), "%s",
		 in->return_channel);
	snprintf(d->applicant_kind, sizeof(d->applicant_kind), "%s",
		 in->applicant_kind);
	snprintf(d->applicant_id, sizeof(d->applicant_id), "%s",
		 in->applicant_id);
	snprintf(d->applicant_name, sizeof(d->applicant_name), "%s",
		 in->applicant_name);
	snprintf(d->applicant_phone, sizeof(d->applicant_phone), "%s",
		 in->applicant_phone);
	snprintf(d->applicant_email, sizeof(d->applicant_email), "%s",
		 in->applicant_email);
	snprintf(d->applicant_address, sizeof(d->applicant_address), "%s",
		 in->applicant_address);
	snprintf(d->applicant_categories, sizeof(d->applicant_categories),
		 "%s", in->applicant_categories);
	snprintf(d->fee_quantities, sizeof(d->fee_quantities), "%s",
		 in->fee_quantities);
	d->applicant_verified = in->verified;
	d->applicant_vneid = in->vneid;
	if (in->competent_unit[0] &&
	    (rc = competent(c, p, &unit, in->competent_unit, d, err)))
		goto out;
	rc = take_components(p, in, d, err);
	if (!rc)
		rc = check_quantities(p, d, err);
	if (!rc)
		rc = take_stored(c, p, d, today, err);
	if (rc)
		goto out;
	/* The province is the root of the receiving unit's tree. */
	province.admin_code[0] = '\0';
	{
		int64_t root = strtoll(unit.path + 1, NULL, 10);

		if (mc_unit_get_id(c, root, &province, NULL) == 0)
			snprintf(d->province_code, sizeof(d->province_code),
				 "%s", province.admin_code);
	}
	snprintf(d->rules, sizeof(d->rules), "%s", mc_rules_for(today)->name);
	d->submitted_at = now;
	d->received_at = d->due_at = d->original_due_at = MC_NO_TIME;
	d->period_started_at = MC_NO_TIME;
	d->finished_at = d->returned_at = MC_NO_TIME;
	d->supplement_requested_at = MC_NO_TIME;
	d->time = p->time;
	if (in->channel == MC_CH_ONLINE) {
		d->status = MC_ST_SUBMITTED;
	} else if (pays_first(p, d)) {
		d->status = MC_ST_AWAITING_PAYMENT;
	} else {
		d->status = MC_ST_RECEIVED;
		rc = receive(cal, p, d, now, err);
		if (rc)
			goto out;
	}
	ymd = mc_ymd_from_days(today);
	snprintf(day, sizeof(day), "%02d%02d%02d", ymd.year % 100, ymd.month,
		 ymd.day);
	rc = mc_sequence_next(c, unit.code, day, &seq, err);
	if (rc)
		goto out;
	snprintf(d->code, sizeof(d->code), "%s-%s-%04" PRId64, unit.code, day,
		 seq);
	rc = insert_dossier(c, d, actor, now, err);
	if (!rc)
		rc = add_unit(c, d->id, d->unit_id, err);
	if (!rc)
		rc = log_reuse(c, d, actor, now, err);
	if (rc)
		goto out;
	if (d->status == MC_ST_RECEIVED)
		rc = open_first_step(c, cal, p, d, actor, err);
	if (!rc && d->status != MC_ST_SUBMITTED)
		rc = assess_fees(c, p, d, err);
	if (rc)
		goto out;
	snprintf(detail, sizeof(detail), "channel=%s procedure=%s version=%d",
		 mc_channel_name(d->channel), d->procedure_code,
		 d->procedure_version);
	rc = append_event(c, d->id, d->code, actor, "intake", "",
			  mc_status_name(d->status), "", detail, now, err);
	d->row_version = 1;
	d->assignee_id = 0;
	if (!rc)
		rc = mc_citizen_note(c, in->notify, d, now, err);
	if (!rc)
		rc = mc_outbox_webhooks(c, in->notify, d, "intake", now, err);
	if (!rc && in->portal_code[0])
		rc = mc_portal_code(c, d->id, in->portal_code, err);
	if (!rc)
		rc = portal_note(c, in->notify, d, actor, d->status ==
				 MC_ST_SUBMITTED ? "submit" : "intake", "", now,
				 err);
	if (!rc && d->status != MC_ST_SUBMITTED)
		rc = mc_outbox_dossier(c, in->notify, d, d->status ==
				       MC_ST_RECEIVED ? MC_EV_RECEIVED :
				       MC_EV_PAYMENT_DUE, "", now, err);
out:
	mc_procedure_release(p);
	mc_free(p);
	return rc;
}

static int update_dossier(struct mc_conn *c, struct mc_dossier *d,
			  int64_t old_version, int64_t now, struct mc_err *err)
{
	static const char sql[] = "UPDATE dossiers SET current_unit_id = ?3, "
		"assignee_id = ?4, status = ?5, received_at = ?6, due_at = ?7, "
		"original_due_at = ?8, finished_at = ?9, returned_at = ?10, "
		"supplement_requested_at = ?11, supplement_from = ?12, "
		"timeliness = ?13, current_step = ?14, supplements = ?15, "
		"apologies = ?16, result_number = ?17, result_summary = ?18, "
		"reason = ?19, return_channel = ?20, time_amount = ?21, "
		"time_unit = ?22, updated_at = ?23, period_started_at = ?24, "
		"watch_level = CASE WHEN due_at IS NOT DISTINCT FROM ?7 THEN "
		"watch_level ELSE 0 END, "
		"row_version = row_version + 1 WHERE id = ?1 AND row_version = "
		"?2";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, d->id);
	mc_sql_int(s, 2, old_version);
	mc_sql_int(s, 3, d->current_unit_id);
	mc_sql_id(s, 4, d->assignee_id);
	mc_sql_text(s, 5, mc_status_name(d->status));
	mc_sql_time(s, 6, d->received_at);
	mc_sql_time(s, 7, d->due_at);
	mc_sql_time(s, 8, d->original_due_at);
	mc_sql_time(s, 9, d->finished_at);
	mc_sql_time(s, 10, d->returned_at);
	mc_sql_time(s, 11, d->supplement_requested_at);
	mc_sql_text(s, 12, d->supplement_requested_at == MC_NO_TIME ? NULL :
		    mc_status_name(d->supplement_from));
	mc_sql_text(s, 13, d->final_tl == MC_TL_NONE ? NULL :
		    mc_tl_name(d->final_tl));
	mc_sql_int(s, 14, d->current_step);
	mc_sql_int(s, 15, d->supplements);
	mc_sql_int(s, 16, d->apologies);
	mc_sql_text_opt(s, 17, d->result_number);
	mc_sql_text_opt(s, 18, d->result_summary);
	mc_sql_text_opt(s, 19, d->reason);
	mc_sql_text(s, 20, d->return_channel);
	mc_sql_int(s, 21, d->time.amount);
	mc_sql_text(s, 22, mc_due_unit_name(d->time.unit));
	mc_sql_time(s, 23, now);
	mc_sql_time(s, 24, d->period_started_at);
	rc = mc_sql_exec(s, err);
	if (rc)
		return rc;
	if (mc_sql_changes(c) != 1)
		return mc_err_rule(err, MC_ECONFLICT, "version", "changed",
				   "the dossier changed meanwhile; reload it "
				   "and try again");
	d->row_version = old_version + 1;
	return 0;
}

static int add_pause(struct mc_conn *c, struct mc_dossier *d, int64_t from,
		     int64_t to, const char *reason, struct mc_err *err)
{
	static const char sql[] = "INSERT INTO dossier_pauses (dossier_id, "
		"ordinal, from_at, to_at, reason) VALUES (?1, ?2, ?3, ?4, ?5)";
	struct mc_stmt *s;

	if (d->npauses >= MC_DUE_MAX_PAUSES)
		return mc_err_rule(err, MC_ECONFLICT, "action", "max_pauses",
				   "dossier %s has been paused %d times, the "
				   "most one dossier may be", d->code,
				   MC_DUE_MAX_PAUSES);
	if (!(s = mc_sql(c, sql, err)))
		return MC_EDB;
	mc_sql_int(s, 1, d->id);
	mc_sql_int(s, 2, d->npauses);
	mc_sql_time(s, 3, from);
	mc_sql_time(s, 4, to);
	mc_sql_text(s, 5, reason);
	{
		struct mc_dossier_pause *p = PUSH(d, pauses, npauses,
						  cappauses);

		p->from = from;
		p->to = to;
		snprintf(p->reason, sizeof(p->reason), "%s", reason);
		d->npauses++;
	}
	return mc_sql_exec(s, err);
}

/*
 * The agency that resolves a dossier: for a commune-level procedure, the
 * commune the receiving unit belongs to (each commune resolves its own),
 * and likewise the district for a district-level one; otherwise, or when
 * the receiving unit is in no such unit, the procedure's implementing
 * unit.
 */
static int64_t agency_of(struct mc_conn *c, const struct mc_procedure *p,
			 const struct mc_dossier *d)
{
	static const char sql[] = "SELECT id FROM units WHERE level = ?2 "
		"AND valid_to IS NULL AND substr(CAST(?1 AS TEXT), 1, "
		"length(path)) = path ORDER BY length(path) DESC LIMIT 1";
	struct mc_stmt *s;
	int64_t id = p->unit_id;

	/* Named at intake: received elsewhere in the province. */
	if (d->agency_id)
		return d->agency_id;
	if ((strcmp(p->level, "commune") && strcmp(p->level, "district")) ||
	    !(s = mc_sql(c, sql, NULL)))
		return id;
	mc_sql_text(s, 1, d->unit_path);
	mc_sql_text(s, 2, p->level);
	if (mc_sql_step(s, NULL) == 1) {
		id = mc_sql_col_int(s, 0);
		mc_sql_reset(s);
	}
	return id;
}

/* Who handles plan step 'k': its unit, else by its role. */
static int64_t step_unit(struct mc_conn *c, const struct mc_procedure *p,
			 const struct mc_dossier *d, int k)
{
	if (k < p->nsteps && p->steps[k].unit_id)
		return p->steps[k].unit_id;
	if (k < p->nsteps && p->steps[k].role == MC_ROLE_COUNTER_OFFICER)
		return d->unit_id;
	return agency_of(c, p, d);
}

static int do_forward(struct mc_conn *c, const struct mc_calendar *cal,
		      const struct mc_procedure *p, struct mc_dossier *d,
		      const struct mc_act *a, const struct mc_user *assignee,
		      int64_t now, char *detail, size_t dlen,
		      struct mc_err *err)
{
	struct mc_dossier_step *t;
	struct mc_unit unit;
	int next = d->current_step + 1;
	int rc;

	if (a->unit_code[0]) {
		rc = mc_unit_get(c, a->unit_code, &unit, NULL);
		if (rc)
			return mc_err_field(err, "unit_code", "exists", "no "
					    "unit has the code %s",
					    a->unit_code);
		if (unit.valid_to[0])
			return mc_err_field(err, "unit_code", "in_force",
					    "unit %s ended on %s", unit.code,
					    unit.valid_to);
		/*
		 * To the unit of the next step, the workflow goes on; to any
		 * other unit, that unit coordinates (một cửa liên thông) and
		 * the workflow stays at its step until it sends it on.
		 */
		if (next >= p->nsteps || unit.id != step_unit(c, p, d, next))
			next = d->current_step;
	} else {
		/*
		 * A workflow that ends with a counter step ends it by
		 * complete and return_result, not by a hand-over.
		 */
		if (next >= p->nsteps ||
		    (next == p->nsteps - 1 &&
		     p->steps[next].role == MC_ROLE_COUNTER_OFFICER &&
		     !p->steps[next].unit_id))
			return mc_err_rule(err, MC_ECONFLICT, "action",
					   "last_step", "the dossier is at the "
					   "last processing step of its "
					   "workflow; complete it, or forward "
					   "it to a named unit");
		rc = mc_unit_get_id(c, step_unit(c, p, d, next), &unit, err);
		if (rc)
			return rc;
	}
	if (assignee && !mc_unit_within(assignee->unit_path, unit.path))
		return mc_err_field(err, "assignee", "unit", "%s is not in unit "
				    "%s", assignee->username, unit.code);
	if (assignee && assignee->role != MC_ROLE_SPECIALIST &&
	    assignee->role != MC_ROLE_LEADER)
		return mc_err_field(err, "assignee", "role", "%s is a %s; "
				    "assign a specialist or a leader",
				    assignee->username,
				    mc_role_name(assignee->role));
	if (d->nsteps >= MC_DOSSIER_MAX_STEPS)
		return mc_err_rule(err, MC_ECONFLICT, "action", "max_steps",
				   "dossier %s has had %d hand-overs, the most "
				   "one dossier may have", d->code,
				   MC_DOSSIER_MAX_STEPS);
	rc = close_step(c, d, now, err);
	if (rc)
		return rc;
	t = PUSH(d, steps, nsteps, capsteps);
	memset(t, 0, sizeof(*t));
	t->plan_step = next;
	if (assignee)
		snprintf(t->assignee, sizeof(t->assignee), "%s",
			 assignee->username);
	if (next != d->current_step)
		snprintf(t->name, sizeof(t->name), "%s", p->steps[next].name);
	else
	{
		/* Cut on a character if a long unit name does not fit. */
		if (snprintf(t->name, sizeof(t->name), "Phối hợp xử lý: %s",
			     unit.name) >= (int)sizeof(t->name))
			mc_utf8_trim_partial(t->name);
	}
	t->unit_id = unit.id;
	snprintf(t->unit_code, sizeof(t->unit_code), "%s", unit.code);
	snprintf(t->unit_path, sizeof(t->unit_path), "%s", unit.path);
	t->assignee_id = assignee ? assignee->id : 0;
	t->started_at = now;
	t->finished_at = MC_NO_TIME;
	rc = plan_due(cal, p, next, d->period_started_at, d->due_at,
		      &t->due_at, err);
	if (rc)
		return rc;
	rc = insert_step(c, d->id, d->nsteps, t, err);
	if (rc)
		return rc;
	d->nsteps++;
	d->current_step = next;
	d->current_unit_id = unit.id;
	snprintf(d->current_unit_code, sizeof(d->current_unit_code), "%s",
		 unit.code);
	snprintf(d->current_unit_path, sizeof(d->current_unit_path), "%s",
		 unit.path);
	d->assignee_id = t->assignee_id;
	snprintf(detail, dlen, "unit=%s step=%d%s%s", unit.code, next,
		 assignee ? " assignee=" : "", assignee ? assignee->username :
		 "");
	return 0;
}

/* Fixes the timeliness of a dossier that ended at 'end'. */
static void finish_at(struct mc_dossier *d, int64_t end)
{
	struct mc_tl_facts f;

	f.status = d->status;
	f.due = d->original_due_at;
	f.finished = end;
	f.supplement_requested = MC_NO_TIME;
	f.supplements = d->supplements;
	d->final_tl = d->original_due_at == MC_NO_TIME ? MC_TL_NONE :
		      mc_lc_timeliness(&f, end);
}

/* Finishes the dossier at 'now'. */
static void finish(struct mc_dossier *d, int64_t now)
{
	d->finished_at = now;
	finish_at(d, now);
}

/* Appends "; "-joined supplement items to 'detail'. */
static void join_items(const struct mc_act *a, char *detail, size_t n)
{
	size_t len = 0;
	int i;

	len = (size_t)snprintf(detail, n, "items=");
	for (i = 0; i < a->nitems && len < n; i++)
		len += (size_t)snprintf(detail + len, n - len, "%s%s",
					i ? "; " : "", a->items[i]);
	mc_utf8_trim_partial(detail);
}

int mc_dossier_decide(const struct mc_dossier *d, const struct mc_user *actor,
		      enum mc_action action, const struct mc_calendar *cal,
		      int64_t now, int64_t new_due, struct mc_lc_decision *out,
		      struct mc_err *err)
{
	const struct mc_rules *rules = mc_rules_find(d->rules);
	struct mc_lc_state st;
	unsigned in;

	memset(&st, 0, sizeof(st));
	st.status = d->status;
	st.rules = rules ? rules : mc_rules_for(mc_local_day(d->submitted_at));
	st.received_at = d->received_at;
	st.due_at = d->due_at;
	st.supplements = d->supplements;
	st.apologies = d->apologies;
	st.on_the_spot = d->on_the_spot;
	in = (mc_unit_within(d->unit_path, actor->unit_path) ?
	      MC_IN_RECEIVING : 0) |
	     (mc_unit_within(d->current_unit_path, actor->unit_path) ?
	      MC_IN_CURRENT : 0);
	return mc_lc_decide(&st, action, actor->role, in, cal, now, new_due,
			    out, err);
}

/* Queues the applicant's messages of the action just taken, if any. */
static int notify(struct mc_conn *c, const struct mc_act *a,
		  const struct mc_dossier *d, int64_t now, struct mc_err *err)
{
	int ev = mc_msg_event_for(mc_action_name(a->action),
				  mc_status_name(d->status));
	char reason[MC_TEXT_MAX + 1024];
	size_t n;
	int i;

	int rc = mc_outbox_webhooks(c, a->notify, d,
				    mc_action_name(a->action), now, err);

	if (rc || ev < 0 || !a->notify)
		return rc;
	n = (size_t)snprintf(reason, sizeof(reason), "%s", a->reason);
	for (i = 0; i < a->nitems && n < sizeof(reason); i++)
		n += (size_t)snprintf(reason + n, sizeof(reason) - n, "%s%s",
				      i ? "; " : n ? ": " : "", a->items[i]);
	return mc_outbox_dossier(c, a->notify, d, (enum mc_msg_event)ev,
				 reason, now, err);
}

/*
 * A dossier submitted online links stored documents for some components;
 * between its submission and its acceptance one may have been revoked,
 * replaced or have expired. It is checked again at acceptance: MC_ECONFLICT
 * naming the component (rule "reusable"), so that the counter asks for a
 * supplement instead.
 */
static int reuse_still_valid(struct mc_conn *c, const struct mc_dossier *d,
			     int64_t now, struct mc_err *err)
{
	static const char sql[] = "SELECT dc.code, doc.id, doc.status FROM "
		"dossier_components dc JOIN documents doc ON doc.id = "
		"dc.source_document_id WHERE dc.dossier_id = ?1 AND "
		"(doc.status <> 'valid' OR doc.valid_until < ?2) ORDER BY "
		"dc.ordinal LIMIT 1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	char code[32], status[16], field[48], day[11];
	int64_t id;
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, d->id);
	mc_sql_text(s, 2, mc_date_format(mc_local_day(now), day, sizeof(day)));
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc;
	mc_sql_col_copy(s, 0, code, sizeof(code));
	id = mc_sql_col_int(s, 1);
	mc_sql_col_copy(s, 2, status, sizeof(status));
	mc_sql_reset(s);
	snprintf(field, sizeof(field), "components[%s]", code);
	return mc_err_rule(err, MC_ECONFLICT, field, "reusable", "stored "
			   "document %" PRId64 " is %s now: ask for a "
			   "supplement", id, strcmp(status, "valid") ? status :
			   "expired");
}

int mc_dossier_act(struct mc_conn *c, const struct mc_calendar *cal,
		   const struct mc_user *actor, const char *code,
		   const struct mc_act *a, int64_t now, struct mc_dossier *out,
		   struct mc_err *err)
{
	struct mc_procedure *p = NULL;
	struct mc_dossier *d = out;
	struct mc_user assignee;
	struct mc_lc_decision dec;
	enum mc_status from;
	char detail[MC_EVENT_DETAIL_MAX] = "";
	const char *note;
	int64_t old_version;
	bool have_assignee = false;
	int rc;

	rc = mc_dossier_get(c, code, d, err);
	if (rc)
		return rc;
	if (!mc_dossier_visible(d, actor))
		return mc_error(err, MC_ENOTFOUND, "dossier %s not found",
				code);
	if (a->expect_version && a->expect_version != d->row_version)
		return mc_err_rule(err, MC_ECONFLICT, "version", "changed",
				   "the dossier changed since version %" PRId64
				   " (now %" PRId64 "); reload it and try "
				   "again", a->expect_version, d->row_version);
	rc = mc_dossier_decide(d, actor, a->action, cal, now, a->new_due_at,
			       &dec, err);
	if (rc)
		return rc;
	if (a->assignee[0]) {
		if (mc_user_get(c, a->assignee, &assignee, NULL) ||
		    !assignee.active)
			return mc_err_field(err, "assignee", "exists", "no "
					    "active user %s", a->assignee);
		have_assignee = true;
	}
	p = mc_calloc(1, sizeof(*p));
	rc = mc_procedure_get_plan(c, d->version_id, p, err);
	if (rc)
		goto out;
	from = d->status;
	old_version = d->row_version;
	note = a->reason[0] ? a->reason : a->note;

	switch (a->action) {
	case MC_ACT_ACCEPT: {
		/* The plan has no fees: the whole version has. */
		struct mc_procedure *full;

		if ((rc = reuse_still_valid(c, d, now, err)))
			break;
		full = mc_calloc(1, sizeof(*full));

		rc = mc_procedure_get_version(c, d->version_id, full, err);
		if (!rc && pays_first(full, d)) {
			dec.to = MC_ST_AWAITING_PAYMENT;
		} else if (!rc) {
			rc = receive(cal, p, d, now, err);
			if (!rc)
				rc = open_first_step(c, cal, p, d, actor, err);
		}
		if (!rc)
			rc = assess_fees(c, full, d, err);
		mc_procedure_release(full);
		mc_free(full);
		break;
	}
	case MC_ACT_REFUSE:
	case MC_ACT_WITHDRAW:
	case MC_ACT_STOP:
		if (!a->reason[0]) {
			rc = mc_err_field(err, "reason", "required", "give the "
					  "reason");
			break;
		}
		snprintf(d->reason, sizeof(d->reason), "%s", a->reason);
		d->status = dec.to;
		if (from == MC_ST_AWAITING_SUPPLEMENT &&
		    d->supplement_from != MC_ST_SUBMITTED &&
		    d->supplement_requested_at != MC_NO_TIME) {
			/*
			 * The applicant never came back: the clock stopped
			 * at the request, which is the end the index counts
			 * (DOMAIN.md §1); the wait is kept as a pause.
			 */
			int64_t asked = d->supplement_requested_at;

			rc = add_pause(c, d, asked, now, d->reason, err);
			if (!rc)
				rc = close_step(c, d, now, err);
			finish(d, now);
			finish_at(d, asked);
		} else {
			rc = close_step(c, d, now, err);
			finish(d, now);
		}
		d->supplement_requested_at = MC_NO_TIME;
		break;
	case MC_ACT_REQUEST_SUPPLEMENT:
		if (!a->reason[0] || a->nitems == 0) {
			rc = mc_err_field(err, a->reason[0] ? "items" :
					  "reason", "required", "give the "
					  "reason and every missing item at "
					  "once");
			break;
		}
		d->supplement_from = d->status;
		d->supplement_requested_at = now;
		if (dec.counts_supplement)
			d->supplements++;
		snprintf(d->reason, sizeof(d->reason), "%s", a->reason);
		join_items(a, detail, sizeof(detail));
		break;
	case MC_ACT_SUBMIT_SUPPLEMENT:
		dec.to = d->supplement_from;
		if (d->supplement_from != MC_ST_SUBMITTED) {
			rc = add_pause(c, d, d->supplement_requested_at, now,
				       d->reason, err);
			if (rc)
				break;
			/* The period counts again from the start. */
			rc = receive(cal, p, d, now, err);
			if (rc)
				break;
			if (d->nsteps) {
				struct mc_dossier_step *t =
					&d->steps[d->nsteps - 1];

				rc = plan_due(cal, p, t->plan_step,
					      d->period_started_at, d->due_at,
					      &t->due_at, err);
				if (!rc)
					rc = save_step(c, d, err);
			}
			if (rc)
				break;
			{
				char t1[24], t2[24];

				snprintf(detail, sizeof(detail), "paused_since=%s "
					 "due_at=%s", mc_store_time(
					 d->supplement_requested_at, t1),
					 mc_store_time(d->due_at, t2));
			}
		}
		d->supplement_requested_at = MC_NO_TIME;
		break;
	case MC_ACT_ASSIGN:
		if (!have_assignee) {
			rc = mc_err_field(err, "assignee", "required", "give "
					  "the username of the handler");
			break;
		}
		if (!mc_unit_within(assignee.unit_path, d->current_unit_path)) {
			rc = mc_err_field(err, "assignee", "unit", "%s is not "
					  "in unit %s", assignee.username,
					  d->current_unit_code);
			break;
		}
		if (assignee.role != MC_ROLE_SPECIALIST &&
		    assignee.role != MC_ROLE_LEADER) {
			rc = mc_err_field(err, "assignee", "role", "%s is a %s; "
					  "assign a specialist or a leader",
					  assignee.username,
					  mc_role_name(assignee.role));
			break;
		}
		d->assignee_id = assignee.id;
		if (d->nsteps) {
			d->steps[d->nsteps - 1].assignee_id = assignee.id;
			rc = save_step(c, d, err);
		}
		snprintf(detail, sizeof(detail), "assignee=%s",
			 assignee.username);
		break;
	case MC_ACT_FORWARD:
		rc = do_forward(c, cal, p, d, a, have_assignee ? &assignee :
				NULL, now, detail, sizeof(detail), err);
		break;
	case MC_ACT_APOLOGIZE:
		if (!a->reason[0]) {
			rc = mc_err_field(err, "reason", "required", "give the "
					  "reason for the delay");
			break;
		}
		{
			char t1[24], t2[24];

			snprintf(detail, sizeof(detail), "old_due_at=%s "
				 "new_due_at=%s", mc_store_time(d->due_at, t1),
				 mc_store_time(a->new_due_at, t2));
		}
		d->due_at = a->new_due_at;
		d->apologies++;
		snprintf(d->reason, sizeof(d->reason), "%s", a->reason);
		break;
	case MC_ACT_COMPLETE:
		snprintf(d->result_number, sizeof(d->result_number), "%s",
			 a->result_number);
		snprintf(d->result_summary, sizeof(d->result_summary), "%s",
			 a->result_summary);
		rc = close_step(c, d, now, err);
		d->status = dec.to;
		finish(d, now);
		/* The result goes back to the counter that received it. */
		d->current_unit_id = d->unit_id;
		snprintf(d->current_unit_code, sizeof(d->current_unit_code),
			 "%s", d->unit_code);
		snprintf(d->current_unit_path, sizeof(d->current_unit_path),
			 "%s", d->unit_path);
		d->assignee_id = 0;
		snprintf(detail, sizeof(detail), "result_number=%s",
			 a->result_number);
		break;
	case MC_ACT_RETURN_RESULT:
		d->returned_at = now;
		if (a->channel[0])
			snprintf(d->return_channel, sizeof(d->return_channel),
				 "%s", a->channel);
		snprintf(detail, sizeof(detail), "channel=%s",
			 d->return_channel);
		break;
	default:
		rc = mc_error(err, MC_EINTERNAL, "action not handled");
		break;
	}
	if (rc)
		goto out;
	d->status = dec.to;
	rc = update_dossier(c, d, old_version, now, err);
	if (rc)
		goto out;
	rc = append_event(c, d->id, d->code, actor,
			  mc_action_name(a->action),
			  mc_status_name(from), mc_status_name(d->status),
			  note, detail, now, err);
	if (!rc && a->action == MC_ACT_COMPLETE && a->esig)
		rc = mc_result_issue(c, d, actor, a->esig, now, err);
	if (rc)
		goto out;
	rc = mc_dossier_get(c, code, d, err);
	if (!rc)
		rc = notify(c, a, d, now, err);
	if (!rc)
		rc = portal_note(c, a->notify, d, actor,
				 mc_action_name(a->action), a->reason, now,
				 err);
	/* A child of a linked application: the application follows. */
	if (!rc)
		rc = mc_bundle_follow(c, cal, a->notify, d->id, now, err);
out:
	mc_procedure_release(p);
	mc_free(p);
	return rc;
}

/*
 * A certified scan of a component whose type is in the document catalog
 * enters the applicant's data store, verified, with its source.
 */
static int scan_to_store(struct mc_conn *c, const struct mc_dossier *d,
			 const char *component, const struct mc_user *actor,
			 const char *sha256, const char *signature,
			 int64_t now, struct mc_err *err)
{
	static const char sql[] = "SELECT COALESCE(document_type, '') FROM "
		"procedure_components WHERE version_id = ?1 AND code = ?2";
	static const char replaced[] = "UPDATE documents SET status = "
		"'replaced', updated_at = ?3 WHERE source = 'scan' AND "
		"source_dossier_id = ?1 AND type_code = ?2 AND status = 'valid'";
	struct mc_document doc;
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	memset(&doc, 0, sizeof(doc));
	mc_sql_int(s, 1, d->version_id);
	mc_sql_text(s, 2, component);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : 0;
	mc_sql_col_copy(s, 0, doc.type_code, sizeof(doc.type_code));
	mc_sql_reset(s);
	if (!doc.type_code[0])
		return 0;
	rc = mc_document_type_known(c, doc.type_code, err);
	if (rc)
		return rc == MC_ENOTFOUND ? 0 : rc;
	/* A component scanned again: its earlier scan is replaced. */
	if (!(s = mc_sql(c, replaced, err)))
		return MC_EDB;
	mc_sql_int(s, 1, d->id);
	mc_sql_text(s, 2, doc.type_code);
	mc_sql_time(s, 3, now);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	snprintf(doc.owner_id, sizeof(doc.owner_id), "%s", d->applicant_id);
	snprintf(doc.source, sizeof(doc.source), "scan");
	snprintf(doc.file_sha256, sizeof(doc.file_sha256), "%s", sha256);
	doc.verified = true;
	return mc_document_add(c, &doc, d->id, actor->id, signature, now,
			       err);
}

int mc_dossier_scan(struct mc_conn *c, const char *code,
		    const char *component, const struct mc_user *actor,
		    const char *sha256, const char *signature, int64_t now,
		    struct mc_err *err)
{
	static const char set[] = "UPDATE dossier_components SET file_sha256 "
		"= ?3, scanned_by = ?4, scanned_at = ?5, scan_signature = ?6, "
		"provided = 1 WHERE dossier_id = ?1 AND code = ?2";
	struct mc_dossier *d = mc_calloc(1, sizeof(*d));
	char owner[40], detail[160];
	struct mc_stmt *s;
	int rc;

	rc = mc_dossier_get_head(c, code, d, err);
	if (!rc && !mc_unit_within(d->unit_path, actor->unit_path))
		rc = mc_error(err, MC_ENOTFOUND, "dossier %s not found", code);
	if (!rc && d->finished_at != MC_NO_TIME)
		rc = mc_err_rule(err, MC_ECONFLICT, "code", "status", "dossier "
				 "%s has ended", code);
	if (rc)
		goto out;
	snprintf(owner, sizeof(owner), "u:%" PRId64, actor->id);
	if ((rc = mc_upload_owned(c, sha256, owner, "sha256", err)))
		goto out;
	if (!(s = mc_sql(c, set, err))) {
		rc = MC_EDB;
		goto out;
	}
	mc_sql_int(s, 1, d->id);
	mc_sql_text(s, 2, component);
	mc_sql_text(s, 3, sha256);
	mc_sql_int(s, 4, actor->id);
	mc_sql_time(s, 5, now);
	mc_sql_text(s, 6, signature);
	if ((rc = mc_sql_exec(s, err)))
		goto out;
	if (mc_sql_changes(c) != 1) {
		rc = mc_err_field(err, "component", "exists", "dossier %s has "
				  "no component %s", code, component);
		goto out;
	}
	snprintf(detail, sizeof(detail), "component=%s sha256=%s", component,
		 sha256);
	rc = mc_dossier_event_add(c, d, actor, "scan", "", detail, now, err);
	if (!rc)
		rc = scan_to_store(c, d, component, actor, sha256, signature,
				   now, err);
out:
	mc_dossier_release(d);
	mc_free(d);
	return rc;
}

int mc_dossier_settle(struct mc_conn *c, const struct mc_calendar *cal,
		      const struct mc_user *actor, const char *code,
		      const struct mc_notify *n, int64_t now,
		      struct mc_err *err)
{
	struct mc_dossier *d = mc_calloc(1, sizeof(*d));
	struct mc_procedure *p = NULL;
	int64_t old_version;
	int rc;

	rc = mc_dossier_get(c, code, d, err);
	if (rc || d->status != MC_ST_AWAITING_PAYMENT)
		goto out;
	p = mc_calloc(1, sizeof(*p));
	rc = mc_procedure_get_plan(c, d->version_id, p, err);
	if (!rc)
		rc = receive(cal, p, d, now, err);
	if (!rc)
		rc = open_first_step(c, cal, p, d, actor, err);
	if (rc)
		goto out;
	old_version = d->row_version;
	d->status = MC_ST_RECEIVED;
	rc = update_dossier(c, d, old_version, now, err);
	if (!rc)
		rc = append_event(c, d->id, d->code, actor, "paid",
				  mc_status_name(MC_ST_AWAITING_PAYMENT),
				  mc_status_name(d->status), "", "", now, err);
	if (!rc)
		rc = mc_dossier_get(c, code, d, err);
	if (!rc)
		rc = mc_outbox_webhooks(c, n, d, "paid", now, err);
	if (!rc)
		rc = portal_note(c, n, d, actor, "paid", "", now, err);
	if (!rc)
		rc = mc_outbox_dossier(c, n, d, MC_EV_RECEIVED, "", now, err);
	/* Received now, due from now: its application's date follows. */
	if (!rc)
		rc = mc_bundle_follow(c, cal, n, d->id, now, err);
out:
	if (p)
		mc_procedure_release(p);
	mc_free(p);
	mc_dossier_release(d);
	mc_free(d);
	return rc;
}

/* "14:30 ngày 05/03/2026": an instant for people, in local time. */
static void local_text(int64_t t, char *buf, size_t n)
{
	int32_t day = mc_local_day(t);
	struct mc_ymd d = mc_ymd_from_days(day);
	int64_t secs = t - mc_local_day_start(day);

	snprintf(buf, n, "%02d:%02d ngày %02d/%02d/%04d", (int)(secs / 3600),
		 (int)(secs / 60 % 60), d.day, d.month, d.year);
}

#define WATCH_SQL "SELECT id, code, status, due_at, row_version " \
	"FROM dossiers WHERE watch_level < 2 AND status IN " \
	"('received', 'processing') AND due_at <= ?1 AND (watch_level = 0 " \
	"OR due_at <= ?2) ORDER BY due_at LIMIT ?3"

struct watch_item {
	int64_t id, due, version;
	char code[MC_DOSSIER_CODE_MAX];
	char status[32];
};

static int watch_one(struct mc_conn *c, const struct watch_item *it,
		     struct mc_watch_batch *b, struct mc_err *err)
{
	static const char sql[] = "UPDATE dossiers SET watch_level = ?2, "
		"updated_at = ?3, row_version = row_version + 1 WHERE id = ?1 "
		"AND row_version = ?4";
	static const struct mc_user actor = { .username = MC_SYSTEM_ACTOR };
	bool overdue = it->due <= b->now;
	char note[160], detail[64], due[24], when[40];
	struct mc_stmt *s;
	int rc;

	if (!(s = mc_sql(c, sql, err)))
		return MC_EDB;
	mc_sql_int(s, 1, it->id);
	mc_sql_int(s, 2, overdue ? 2 : 1);
	mc_sql_time(s, 3, b->now);
	mc_sql_int(s, 4, it->version);
	rc = mc_sql_exec(s, err);
	if (rc)
		return rc;
	/* Changed since it was read: the next run looks at it again. */
	if (mc_sql_changes(c) != 1)
		return 0;
	local_text(it->due, when, sizeof(when));
	snprintf(note, sizeof(note), overdue ? "Hồ sơ đã quá hạn giải quyết "
		 "(hạn %s)" : "Hồ sơ sắp đến hạn giải quyết (hạn %s)", when);
	snprintf(detail, sizeof(detail), "due_at=%s",
		 mc_store_time(it->due, due));
	rc = append_event(c, it->id, it->code, &actor, overdue ? "overdue" :
			  "due_soon", it->status, it->status, note, detail,
			  b->now, err);
	if (rc)
		return rc;
	if (overdue)
		b->overdue++;
	else
		b->due_soon++;
	return 0;
}

int mc_dossier_watch(struct mc_conn *c, struct mc_watch_batch *b,
		     struct mc_err *err)
{
	static const char sql[] = WATCH_SQL;
	static const char sql_locked[] = WATCH_SQL " FOR UPDATE SKIP LOCKED";
	struct watch_item *items;
	struct mc_stmt *s;
	int n = 0, rc = 0, i;

	b->taken = b->due_soon = b->overdue = 0;
	if (b->limit < 1)
		return 0;
	s = mc_sql(c, mc_store_concurrent_writers(mc_conn_store(c)) ?
		   sql_locked : sql, err);
	if (!s)
		return MC_EDB;
	items = mc_calloc((size_t)b->limit, sizeof(*items));
	mc_sql_time(s, 1, b->soon > b->now ? b->soon : b->now);
	mc_sql_time(s, 2, b->now);
	mc_sql_int(s, 3, b->limit);
	/*
	 * Read the batch first: its rows leave the index being read as
	 * they are written.
	 */
	while (n < b->limit && (rc = mc_sql_step(s, err)) == 1) {
		struct watch_item *it = &items[n++];

		it->id = mc_sql_col_int(s, 0);
		mc_sql_col_copy(s, 1, it->code, sizeof(it->code));
		mc_sql_col_copy(s, 2, it->status, sizeof(it->status));
		it->due = mc_sql_col_time(s, 3);
		it->version = mc_sql_col_int(s, 4);
	}
	if (rc == 1)
		mc_sql_reset(s);
	if (rc >= 0)
		rc = 0;
	b->taken = n;
	for (i = 0; !rc && i < n; i++)
		rc = watch_one(c, &items[i], b, err);
	mc_free(items);
	return rc;
}

int mc_dossier_events(struct mc_conn *c, int64_t id, mc_event_fn *fn,
		      void *arg, struct mc_err *err)
{
	static const char sql[] = "SELECT seq, at, actor, action, from_status, "
		"to_status, note, detail, prev_hash, hash FROM dossier_events "
		"WHERE dossier_id = ?1 ORDER BY seq";
	struct mc_stmt *s = mc_sql(c, sql, err);
	struct mc_event *e;
	int n = 0, rc;

	if (!s)
		return MC_EDB;
	e = mc_malloc(sizeof(*e));
	mc_sql_int(s, 1, id);
	while ((rc = mc_sql_step(s, err)) == 1) {
		e->seq = mc_sql_col_int(s, 0);
		mc_sql_col_copy(s, 1, e->at, sizeof(e->at));
		mc_sql_col_copy(s, 2, e->actor, sizeof(e->actor));
		mc_sql_col_copy(s, 3, e->action, sizeof(e->action));
		mc_sql_col_copy(s, 4, e->from_status, sizeof(e->from_status));
		mc_sql_col_copy(s, 5, e->to_status, sizeof(e->to_status));
		mc_sql_col_copy(s, 6, e->note, sizeof(e->note));
		mc_sql_col_copy(s, 7, e->detail, sizeof(e->detail));
		mc_sql_col_copy(s, 8, e->prev_hash, sizeof(e->prev_hash));
		mc_sql_col_copy(s, 9, e->hash, sizeof(e->hash));
		fn(e, arg);
		n++;
	}
	mc_free(e);
	return rc < 0 ? rc : n;
}

/* Each row of 's' (DOSSIER_COLS) to 'fn'; how many, or an error. */
static int each_dossier(struct mc_stmt *s, mc_dossier_fn *fn, void *arg,
			struct mc_err *err)
{
	struct mc_dossier *d = mc_calloc(1, sizeof(*d));
	int n = 0, rc;

	while ((rc = mc_sql_step(s, err)) == 1) {
		memset(d, 0, sizeof(*d));
		dossier_row(s, d);
		fn(d, arg);
		n++;
	}
	mc_free(d);
	return rc < 0 ? rc : n;
}

/*
 * The listing's statement, in six shapes so that each can use its index:
 * the scope is every dossier (a province-wide user: the primary key in
 * order) or those a unit within the user's had a hand in (dossier_units);
 * 'q' is absent, an exact code or ID number (their indexes), or words of
 * the applicant's name (a scan within the other conditions). The other
 * filters are NULL when off. Timeliness: finished dossiers carry theirs;
 * open ones compare the legal due instant with now.
 */
#define LIST_SCOPED "AND d.id IN (SELECT du.dossier_id FROM dossier_units " \
	"du WHERE du.unit_id IN (SELECT su.id FROM units su WHERE " \
	"substr(su.path, 1, length(CAST(?2 AS TEXT))) = ?2)) "
#define LIST_ALL "AND CAST(?2 AS TEXT) IS NOT NULL "
#define LIST_Q_NONE "AND CAST(?8 AS TEXT) IS NULL AND " \
	"CAST(?9 AS TEXT) IS NOT NULL "
#define LIST_Q_EXACT "AND (d.code = ?8 OR d.applicant_id_number = ?8) " \
	"AND CAST(?9 AS TEXT) IS NOT NULL "
#define LIST_Q_NAME "AND CAST(?8 AS TEXT) IS NOT NULL AND " \
	"d.applicant_name_folded LIKE " \
	"'%' || ?9 || '%' ESCAPE '\\' "
#define LIST_SQL(scope, q) "SELECT " DOSSIER_COLS "WHERE d.id < ?1 " scope \
	"AND (CAST(?3 AS TEXT) IS NULL OR d.status = ?3) " \
	"AND (CAST(?4 AS TEXT) IS NULL OR u.code = ?4 OR cu.code = ?4) " \
	"AND (CAST(?5 AS TEXT) IS NULL OR p.code = ?5) " \
	"AND (CAST(?6 AS TEXT) IS NULL OR d.received_at >= ?6) " \
	"AND (CAST(?7 AS TEXT) IS NULL OR d.received_at < ?7) " q \
	"AND (CAST(?10 AS TEXT) IS NULL OR d.timeliness = ?10 OR " \
	"(d.timeliness IS " \
	"NULL AND d.status NOT IN ('submitted') AND d.original_due_at " \
	"IS NOT NULL AND CASE WHEN d.supplements > 1 OR " \
	"COALESCE(d.supplement_requested_at, ?11) > d.original_due_at " \
	"THEN 'overdue' ELSE 'within_deadline' END = ?10)) " \
	"ORDER BY d.id DESC LIMIT ?12"

static const char list_all_none[] = LIST_SQL(LIST_ALL, LIST_Q_NONE);
static const char list_all_exact[] = LIST_SQL(LIST_ALL, LIST_Q_EXACT);
static const char list_all_name[] = LIST_SQL(LIST_ALL, LIST_Q_NAME);
static const char list_scoped_none[] = LIST_SQL(LIST_SCOPED, LIST_Q_NONE);
static const char list_scoped_exact[] = LIST_SQL(LIST_SCOPED, LIST_Q_EXACT);
static const char list_scoped_name[] = LIST_SQL(LIST_SCOPED, LIST_Q_NAME);

/*
 * Whether 'q' is looked up exactly: a dossier code ("…H51-260302-0001")
 * or an ID number (digits, with a tax code's "-NNN"); else it is a name.
 */
static bool exact_q(const char *q)
{
	size_t i, n = strlen(q);
	int dashes = 0;

	if (strchr(q, '.') && strchr(q, '-'))
		return true;
	if (n < 9)
		return false;
	for (i = 0; i < n; i++) {
		if (q[i] == '-')
			dashes++;
		else if (q[i] < '0' || q[i] > '9')
			return false;
	}
	return dashes <= 1;
}

int mc_dossier_list(struct mc_conn *c, const struct mc_dossier_filter *f,
		    mc_dossier_fn *fn, void *arg, struct mc_err *err)
{
	/* A path with one id ("/1/") is a root: it sees every dossier. */
	bool all = strchr(f->scope_path + 1, '/') ==
		   f->scope_path + strlen(f->scope_path) - 1;
	int shape = !f->q || !*f->q ? 0 : exact_q(f->q) ? 1 : 2;
	static const char *const sqls[2][3] = {
		{ list_scoped_none, list_scoped_exact, list_scoped_name },
		{ list_all_none, list_all_exact, list_all_name },
	};
	const char *sql = sqls[all][shape];
	struct mc_stmt *s = mc_sql(c, sql, err);
	char now[24], *like;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, f->before_id > 0 ? f->before_id : INT64_MAX);
	mc_sql_text(s, 2, f->scope_path);
	mc_sql_text(s, 3, f->status >= 0 ?
		    mc_status_name((enum mc_status)f->status) : NULL);
	mc_sql_text_opt(s, 4, f->unit_code);
	mc_sql_text_opt(s, 5, f->procedure_code);
	mc_sql_text_opt(s, 6, f->received_from);
	mc_sql_text_opt(s, 7, f->received_to);
	mc_sql_text_opt(s, 8, f->q);
	like = mc_like_escape(f->q_folded && *f->q_folded ? f->q_folded :
			      "\x01");
	mc_sql_text(s, 9, like);
	mc_free(like);
	mc_sql_text(s, 10, f->tl >= 0 ? mc_tl_name((enum mc_tl)f->tl) : NULL);
	mc_sql_text(s, 11, mc_store_time(f->now, now));
	mc_sql_int(s, 12, f->limit);
	return each_dossier(s, fn, arg, err);
}

int mc_dossier_intake_once(struct mc_conn *c, const struct mc_calendar *cal,
			   const struct mc_user *actor,
			   const struct mc_intake *in, int64_t now,
			   struct mc_dossier *out, bool *replayed,
			   struct mc_err *err)
{
	static const char take[] = "INSERT INTO idempotency_keys (actor, key, "
		"request_hash, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT "
		"DO NOTHING";
	static const char seen[] = "SELECT request_hash, COALESCE((SELECT "
		"d.code FROM dossiers d WHERE d.id = k.dossier_id), '') FROM "
		"idempotency_keys k WHERE actor = ?1 AND key = ?2";
	static const char bind[] = "UPDATE idempotency_keys SET dossier_id = "
		"?3 WHERE actor = ?1 AND key = ?2";
	char hash[65], code[MC_DOSSIER_CODE_MAX];
	struct mc_stmt *s;
	int rc;

	*replayed = false;
	if (!in->idem_key[0])
		return mc_dossier_intake(c, cal, actor, in, now, out, err);
	if (!(s = mc_sql(c, take, err)))
		return MC_EDB;
	mc_sql_text(s, 1, in->idem_actor);
	mc_sql_text(s, 2, in->idem_key);
	mc_sql_text(s, 3, in->idem_hash);
	mc_sql_time(s, 4, now);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	if (mc_sql_changes(c) == 1) {
		if ((rc = mc_dossier_intake(c, cal, actor, in, now, out, err)))
			return rc;
		if (!(s = mc_sql(c, bind, err)))
			return MC_EDB;
		mc_sql_text(s, 1, in->idem_actor);
		mc_sql_text(s, 2, in->idem_key);
		mc_sql_int(s, 3, out->id);
		return mc_sql_exec(s, err);
	}
	/* Taken before: the same request gets the same dossier. */
	if (!(s = mc_sql(c, seen, err)))
		return MC_EDB;
	mc_sql_text(s, 1, in->idem_actor);
	mc_sql_text(s, 2, in->idem_key);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_EBUSY, "the key is being "
					      "used; send again");
	mc_sql_col_copy(s, 0, hash, sizeof(hash));
	mc_sql_col_copy(s, 1, code, sizeof(code));
	mc_sql_reset(s);
	if (strcmp(hash, in->idem_hash) != 0)
		return mc_err_rule(err, MC_ECONFLICT, "Idempotency-Key",
				   "idempotency", "the key was used for "
				   "another request");
	if (!code[0])
		return mc_error(err, MC_EBUSY, "the first request with this "
				"key is still being handled; send again");
	*replayed = true;
	return mc_dossier_get(c, code, out, err);
}

int mc_dossier_tasks(struct mc_conn *c, const char *scope_path,
		     int64_t assignee_id, int limit, mc_dossier_fn *fn,
		     void *arg, struct mc_err *err)
{
	/* dossiers_current (current_unit_id, status, due_at) serves it. */
	static const char sql[] = "SELECT " DOSSIER_COLS "WHERE "
		"d.current_unit_id IN (SELECT su.id FROM units su WHERE "
		"substr(su.path, 1, length(CAST(?1 AS TEXT))) = ?1) AND "
		"d.status IN ('received', 'processing', 'result_ready') AND "
		"(?2 = 0 OR d.assignee_id = ?2 OR d.assignee_id IS NULL) "
		"ORDER BY d.due_at IS NULL, d.due_at, d.id LIMIT ?3";
	struct mc_stmt *s = mc_sql(c, sql, err);

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, scope_path);
	mc_sql_int(s, 2, assignee_id > 0 ? assignee_id : 0);
	mc_sql_int(s, 3, limit);
	return each_dossier(s, fn, arg, err);
}

/* The end of one dossier's chain: it must reach the dossier's version. */
static bool chain_short(const char *code, int64_t last, int64_t version,
			mc_audit_fn *bad, void *arg)
{
	char why[160];

	if (last == version)
		return false;
	if (last == 0)
		snprintf(why, sizeof(why), "the dossier has no events");
	else
		snprintf(why, sizeof(why), "the chain ends at event %" PRId64
			 " but the dossier is at version %" PRId64, last,
			 version);
	if (bad)
		bad(code, last + 1, why, arg);
	return true;
}

int mc_audit_verify(struct mc_conn *c, mc_audit_fn *bad, void *arg,
		    int64_t *events, struct mc_err *err)
{
	/*
	 * Every dossier with its events: a dossier without any, or whose
	 * chain stops short of its version (one event per change), is
	 * broken too.
	 */
	static const char sql[] = "SELECT d.code, e.seq, e.at, e.actor, "
		"e.action, e.from_status, e.to_status, e.note, e.detail, "
		"e.prev_hash, e.hash, d.id, d.row_version FROM dossiers d "
		"LEFT JOIN dossier_events e ON e.dossier_id = d.id ORDER BY "
		"d.id, e.seq";
	struct mc_stmt *s = mc_sql(c, sql, err);
	char prev[65], hash[65], why[160], code[MC_DOSSIER_CODE_MAX] = "";
	int64_t cur = -1, expect = 0, version = 0;
	bool broken = false;
	int nbad = 0, rc;

	*events = 0;
	if (!s)
		return MC_EDB;
	while ((rc = mc_sql_step(s, err)) == 1) {
		struct mc_event_fields e;
		int64_t id = mc_sql_col_int(s, 11);
		const char *stored_prev = mc_sql_col_text(s, 9);
		const char *stored = mc_sql_col_text(s, 10);

		if (id != cur) {
			if (cur >= 0 && !broken &&
			    chain_short(code, expect - 1, version, bad, arg))
				nbad++;
			cur = id;
			expect = 1;
			broken = false;
			version = mc_sql_col_int(s, 12);
			mc_sql_col_copy(s, 0, code, sizeof(code));
			memcpy(prev, mc_event_genesis, 65);
		}
		if (mc_sql_col_null(s, 1) || broken)
			continue;
		(*events)++;
		e.dossier_code = code;
		e.seq = mc_sql_col_int(s, 1);
		e.at = mc_sql_col_text(s, 2);
		e.actor = mc_sql_col_text(s, 3);
		e.action = mc_sql_col_text(s, 4);
		e.from_status = mc_sql_col_text(s, 5);
		e.to_status = mc_sql_col_text(s, 6);
		e.note = mc_sql_col_text(s, 7);
		e.detail = mc_sql_col_text(s, 8);
		why[0] = '\0';
		if (e.seq != expect)
			snprintf(why, sizeof(why), "event %" PRId64 " is "
				 "missing", expect);
		else if (!stored_prev || strcmp(stored_prev, prev) != 0)
			snprintf(why, sizeof(why), "prev_hash does not match "
				 "the hash of the event before");
		else {
			mc_event_hash(prev, &e, hash);
			if (!stored || strcmp(stored, hash) != 0)
				snprintf(why, sizeof(why), "the event's content "
					 "does not match its hash");
		}
		if (why[0]) {
			broken = true;
			nbad++;
			if (bad)
				bad(code, e.seq != expect ? expect : e.seq, why,
				    arg);
			continue;
		}
		memcpy(prev, stored, 65);
		expect++;
	}
	if (rc < 0)
		return rc;
	if (cur >= 0 && !broken &&
	    chain_short(code, expect - 1, version, bad, arg))
		nbad++;
	return nbad;
}

int mc_idempotency_forget(struct mc_conn *c, int64_t before, int max,
			  int *n, struct mc_err *err)
{
	/* Through idempotency_created (migration 0048), oldest first. */
	static const char sql[] = "DELETE FROM idempotency_keys WHERE (actor, "
		"key) IN (SELECT actor, key FROM idempotency_keys WHERE "
		"created_at < ?1 ORDER BY created_at LIMIT ?2)";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	*n = 0;
	if (!s)
		return err && err->code ? err->code : MC_EDB;
	mc_sql_time(s, 1, before);
	mc_sql_int(s, 2, max);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	*n = (int)mc_sql_changes(c);
	return 0;
}
