/*
 * dossiers.h — dossiers as stored, and the two writes that change them:
 * intake and actions. Each write loads the dossier, asks the lifecycle
 * (domain/lifecycle.h) whether the change is allowed and what it does,
 * and writes the change and its hash-chained event in the same
 * transaction. Writes run inside the writer (writer.h); reads take any
 * connection.
 */
#ifndef MC_STORE_DOSSIERS_H
#define MC_STORE_DOSSIERS_H

#include "core/compat.h"
#include "core/err.h"
#include "domain/calendar.h"
#include "domain/lifecycle.h"
#include "store/catalog.h"
#include "store/outbox.h"
#include "store/store.h"

#define MC_DOSSIER_CODE_MAX 96
#define MC_DOSSIER_MAX_STEPS 64
#define MC_SUPPLEMENT_MAX_ITEMS 32
#define MC_EVENT_DETAIL_MAX 8192	/* an event's detail, bytes */

struct mc_dossier_component {
	char code[32];
	char name[MC_NAME_MAX];
	char form[16];
	int quantity;
	bool required, provided;
	/* Its scan (DuocSoHoa), when digitized: "" otherwise. */
	char file_sha256[65];
	char media_type[32];
	int64_t file_size;
	char scanned_by[64];
	int64_t scanned_at;
	char scan_signature[92];
	bool reused;			/* DuocLayTuKhoDMQG */
	int64_t source_document_id;	/* the stored document reused */
	char asked_again[256];		/* why a stored paper was asked */
};

struct mc_dossier_step {
	int plan_step;			/* index in the workflow plan */
	char name[MC_NAME_MAX];
	int64_t unit_id;
	char unit_code[MC_CODE_MAX];
	char unit_path[MC_PATH_MAX];
	int64_t assignee_id;		/* 0 if none */
	char assignee[64];		/* username, "" if none */
	int64_t started_at, due_at, finished_at;	/* MC_NO_TIME if none */
};

struct mc_dossier_pause {
	int64_t from, to;
	char reason[MC_TEXT_MAX];
};

struct mc_dossier {
	int64_t id;
	char code[MC_DOSSIER_CODE_MAX];
	char province_code[16];
	int64_t version_id;
	char procedure_code[MC_CODE_MAX];
	int procedure_version;
	char procedure_name[MC_LONG_NAME_MAX];
	int nplan;			/* steps of the procedure's workflow */
	bool on_the_spot;
	int64_t unit_id;		/* received by */
	char unit_code[MC_CODE_MAX];
	char unit_path[MC_PATH_MAX];
	int64_t current_unit_id;	/* handled by now */
	char current_unit_code[MC_CODE_MAX];
	char current_unit_path[MC_PATH_MAX];
	int64_t assignee_id;
	char assignee[64];
	enum mc_status status;
	enum mc_channel channel;
	char return_channel[16];
	char applicant_kind[16];	/* person, organization */
	char applicant_id[24];
	char applicant_name[MC_NAME_MAX];
	char applicant_phone[16];
	char applicant_email[256];
	char applicant_address[MC_NAME_MAX];
	char applicant_categories[160];	/* exemption categories, "a,b" */
	char fee_quantities[256];	/* counted fee items, "item:qty,..." */
	bool applicant_verified;	/* matched the population database */
	bool applicant_vneid;		/* signed in with a VNeID account */
	/*
	 * The commune (district) the counter named to resolve it, when not
	 * the receiving unit's own: 0 and "" otherwise.
	 */
	int64_t agency_id;
	char agency_code[MC_CODE_MAX];
	char rules[24];
	struct mc_period time;		/* period that applies (after reduction) */
	int64_t submitted_at;		/* handed in */
	int64_t received_at;		/* receipt: the clock first started */
	int64_t period_started_at;	/* the period counts from (restarts
					 * after a supplement) */
	int64_t due_at, original_due_at;
	int64_t finished_at, returned_at, supplement_requested_at;
	enum mc_status supplement_from;
	enum mc_tl final_tl;		/* fixed when finished, else NONE */
	int current_step, supplements, apologies;
	char result_number[256];
	char result_summary[MC_TEXT_MAX];
	char reason[MC_TEXT_MAX];
	int64_t row_version;
	/* Lists, owned: released by mc_dossier_release(). */
	int ncomponents, capcomponents;
	struct mc_dossier_component *components;
	int nsteps, capsteps;
	struct mc_dossier_step *steps;
	int npauses, cappauses;
	struct mc_dossier_pause *pauses;
};

/*
 * Frees the lists of 'd' and empties them; the struct itself stays. A
 * dossier filled by a read or a write must be released; reading into a
 * filled struct releases it first. Start from a zeroed struct. NULL does
 * nothing.
 */
void mc_dossier_release(struct mc_dossier *d);

/* What the counter (or the portal) hands in. */
struct mc_intake {
	char procedure_code[MC_CODE_MAX];
	enum mc_channel channel;
	char return_channel[16];
	char unit_code[MC_CODE_MAX];	/* receiving unit; "" = actor's */
	char applicant_kind[16];
	char applicant_id[24];
	char applicant_name[MC_NAME_MAX];
	char applicant_phone[16];
	char applicant_email[256];
	char applicant_address[MC_NAME_MAX];
	char applicant_categories[160];	/* exemption categories, "a,b" */
	char fee_quantities[256];	/* counted fee items, "item:qty,..." */
	int ncomponents;
	struct {
		char code[32];
		bool provided;
		int64_t document_id;	/* reused from the data store; 0 */
		char asked_again[256];	/* why a stored paper was asked */
		/* Its file, already stored (the portal's): "" none. */
		char file_sha256[65];
	} components[MC_PROC_MAX_COMPONENTS];
	const struct mc_notify *notify;	/* messages to queue; NULL: none */
	char portal_code[96];		/* filed on the national portal: its
					 * MaHoSo; "" otherwise */
	bool verify;			/* check the applicant against the
					 * population database first (API) */
	bool verified;			/* it matched */
	bool vneid;			/* signed in with a VNeID account: the
					 * citizen's session, or the portal */
	/*
	 * Idempotency-Key: with a key, mc_dossier_intake_once answers a
	 * repeat of the same request by 'idem_actor' with the dossier the
	 * first made. "" for none.
	 */
	char idem_key[72];
	char idem_actor[48];
	char idem_hash[65];		/* SHA-256 of the request body */
	/* A commune- or district-level procedure: the one to resolve it
	 * (intake regardless of boundary); "": the receiving unit's own. */
	char competent_unit[MC_CODE_MAX];
};

struct mc_result_sig;

/*
 * A system that takes dossiers in as the counter does, for every unit
 * (the national portal, the linked-procedure stages): 'username' and
 * 'full_name' as the events record it; 'unit_code' its default unit.
 */
void mc_system_intake_actor(struct mc_user *u, const char *username,
			    const char *full_name, const char *unit_code);

/* An action with its parameters (those it does not use are ignored). */
struct mc_act {
	enum mc_action action;
	char reason[MC_TEXT_MAX];
	char note[MC_TEXT_MAX];
	int nitems;
	char items[MC_SUPPLEMENT_MAX_ITEMS][1024];
	char assignee[64];
	char unit_code[MC_CODE_MAX];
	int64_t new_due_at;		/* MC_NO_TIME if not given */
	char result_number[256];
	char result_summary[MC_TEXT_MAX];
	char result_file[65];		/* complete: the e-result's upload */
	bool result_generate;		/* complete: motcua draws the result */
	/* complete: the e-result signed by the actor's unit; NULL: none */
	const struct mc_result_sig *esig;
	char channel[16];		/* return channel */
	int64_t expect_version;		/* 0: do not check */
	const struct mc_notify *notify;	/* messages to queue; NULL: none */
};

/*
 * The next number of the daily sequence 'agency' (dossier codes by
 * agency; "PAKN-<province>" for feedback) on 'day' ("YYMMDD"). Never
 * repeats; on PostgreSQL it is taken on a side connection that commits
 * at once, so a write that fails after taking it leaves a gap.
 */
int mc_sequence_next(struct mc_conn *c, const char *agency, const char *day,
		     int64_t *out, struct mc_err *err);

/*
 * Write: takes in a dossier at 'now' for 'actor'. Direct and postal
 * dossiers are received at once; online ones start as submitted. Fills
 * 'out'. MC_EINVAL naming the field (no such procedure in force, a
 * required component missing, an unknown component), MC_EFORBIDDEN when
 * the actor may not receive for the unit.
 */
int mc_dossier_intake(struct mc_conn *c, const struct mc_calendar *cal,
		      const struct mc_user *actor, const struct mc_intake *in,
		      int64_t now, struct mc_dossier *out, struct mc_err *err);

/* The officer who received dossier 'id' (its first step to received). */
int mc_dossier_receiver(struct mc_conn *c, int64_t id, struct mc_user *out);

/*
 * Write: appends event 'action' by 'actor' to the hash chain of dossier
 * 'd' (its status unchanged), with 'note' and 'detail'.
 */
int mc_dossier_event_add(struct mc_conn *c, const struct mc_dossier *d,
			 const struct mc_user *actor, const char *action,
			 const char *note, const char *detail, int64_t now,
			 struct mc_err *err);

/*
 * Write: component 'component' of dossier 'code' was scanned: file
 * 'sha256' (which 'actor' uploaded), checked against the original and
 * certified by 'actor' at 'now' with 'signature'. Counter officers of the
 * receiving unit, while the dossier is open; a component scanned again
 * takes the new scan. The event "scan" is logged. Field errors for an
 * unknown component ("component") or file ("sha256").
 */
int mc_dossier_scan(struct mc_conn *c, const char *code,
		    const char *component, const struct mc_user *actor,
		    const char *sha256, const char *signature, int64_t now,
		    struct mc_err *err);

/*
 * Write: receives dossier 'code' if it was awaiting payment — the
 * payment that settled its fees was just recorded by 'actor' (an
 * officer, or the system for a platform's payment): its period starts
 * now, its first step opens, the event "paid" is logged, and the
 * received message (with the appointment) and webhooks are queued. Does
 * nothing for a dossier in any other status.
 */
int mc_dossier_settle(struct mc_conn *c, const struct mc_calendar *cal,
		      const struct mc_user *actor, const char *code,
		      const struct mc_notify *n, int64_t now,
		      struct mc_err *err);

/*
 * Write: takes action 'a' on dossier 'code' at 'now'. Fills 'out' with the
 * dossier after it. MC_ENOTFOUND when the dossier does not exist or the
 * actor may not see it; MC_EFORBIDDEN when the role or unit may not;
 * MC_ECONFLICT naming the rule, or "changed" when a->expect_version is
 * not the dossier's; MC_EINVAL for bad parameters. Nothing changes on
 * error.
 */
int mc_dossier_act(struct mc_conn *c, const struct mc_calendar *cal,
		   const struct mc_user *actor, const char *code,
		   const struct mc_act *a, int64_t now, struct mc_dossier *out,
		   struct mc_err *err);

/* Reads a whole dossier; MC_ENOTFOUND. */
int mc_dossier_get(struct mc_conn *c, const char *code,
		   struct mc_dossier *out, struct mc_err *err);
/*
 * Reads what the citizen's public look-up shows (code, status, procedure,
 * applicant's name and phone, receipt, due and end instants and what
 * timeliness needs) and nothing else: the hottest read of all.
 */
int mc_dossier_get_public(struct mc_conn *c, const char *code,
			  struct mc_dossier *out, struct mc_err *err);
/* Reads a dossier without its lists (components, steps, pauses). */
int mc_dossier_get_head(struct mc_conn *c, const char *code,
			struct mc_dossier *out, struct mc_err *err);

/* Whether 'actor' may see 'd': its unit received it, handles it or had a
 * step of it (or is above such a unit). */
bool mc_dossier_visible(const struct mc_dossier *d, const struct mc_user *actor);

/*
 * Whether 'actor' may take 'action' on 'd' at 'now' (mc_lc_decide with
 * the dossier's state, rule set and the actor's units); 'new_due' is an
 * apology's new date. The one place both the actions and the list of
 * allowed actions ask.
 */
int mc_dossier_decide(const struct mc_dossier *d, const struct mc_user *actor,
		      enum mc_action action, const struct mc_calendar *cal,
		      int64_t now, int64_t new_due, struct mc_lc_decision *out,
		      struct mc_err *err);

/* Timeliness of 'd' at 'now'. */
enum mc_tl mc_dossier_timeliness(const struct mc_dossier *d, int64_t now);

struct mc_event {
	int64_t seq;
	char at[24];
	char actor[64];
	char action[32];
	char from_status[32];
	char to_status[32];
	char note[MC_TEXT_MAX];
	char detail[MC_EVENT_DETAIL_MAX];
	char prev_hash[65];
	char hash[65];
};
typedef void mc_event_fn(const struct mc_event *e, void *arg);
/* Calls 'fn' for each event of dossier 'id' in order; returns how many. */
int mc_dossier_events(struct mc_conn *c, int64_t id, mc_event_fn *fn,
		      void *arg, struct mc_err *err);

/* Filters of a dossier listing; empty strings and 0 mean "any". */
struct mc_dossier_filter {
	const char *scope_path;		/* the actor's unit path */
	int status;			/* -1: any */
	const char *unit_code;		/* receiving or handling unit */
	const char *procedure_code;
	int tl;				/* enum mc_tl, -1: any */
	const char *received_from;	/* UTC text bounds of received_at */
	const char *received_to;
	const char *q;			/* code or ID number, exact */
	const char *q_folded;		/* applicant name words */
	int64_t before_id;		/* keyset cursor: ids below it */
	int limit;
	int64_t now;
};
/* A listing line (the dossier without its lists). */
typedef void mc_dossier_fn(const struct mc_dossier *d, void *arg);
/* Lists dossiers, newest first; returns how many or an error. */
int mc_dossier_list(struct mc_conn *c, const struct mc_dossier_filter *f,
		    mc_dossier_fn *fn, void *arg, struct mc_err *err);

/*
 * The work waiting at a user's units: open dossiers whose current unit is
 * within 'scope_path' and that someone there must act on (received,
 * processing, result_ready), the nearest due instant first (none last).
 * 'assignee_id' > 0 keeps those assigned to that user or to no one.
 * Returns how many (at most 'limit') or an error.
 */
int mc_dossier_tasks(struct mc_conn *c, const char *scope_path,
		     int64_t assignee_id, int limit, mc_dossier_fn *fn,
		     void *arg, struct mc_err *err);

/*
 * Write: mc_dossier_intake, once per Idempotency-Key (in->idem_key; none:
 * just the intake). The key is taken in the same transaction as the
 * dossier; the same key again with the same request hash fills 'out' with
 * the first dossier and sets '*replayed'; with another request it is
 * MC_ECONFLICT (rule "idempotency" on "Idempotency-Key").
 */
int mc_dossier_intake_once(struct mc_conn *c, const struct mc_calendar *cal,
			   const struct mc_user *actor,
			   const struct mc_intake *in, int64_t now,
			   struct mc_dossier *out, bool *replayed,
			   struct mc_err *err);

/*
 * Write: forgets up to 'max' Idempotency-Keys taken before 'before' (a
 * request repeated later than that is a new one); '*n' how many.
 */
int mc_idempotency_forget(struct mc_conn *c, int64_t before, int max,
			  int *n, struct mc_err *err);

/* A fee or charge as assessed at receipt (docs/payments.md). */
struct mc_dossier_fee {
	char name[MC_NAME_MAX];
	char kind[8];			/* fee, charge */
	int64_t base_amount;		/* VND: the procedure's × quantity */
	int discount_percent;		/* online discount applied */
	int64_t amount;			/* VND due */
	int quantity;			/* copies or pages; 1 per dossier */
	char exempt_category[32];	/* "" unless exempted */
};
typedef void mc_fee_fn(const struct mc_dossier_fee *f, void *arg);
/* The fees of dossier 'id', in the procedure's order; how many. */
int mc_dossier_fees(struct mc_conn *c, int64_t id, mc_fee_fn *fn, void *arg,
		    struct mc_err *err);

/*
 * The deadline watch (docs/lifecycle.md "Deadline watch"): one batch.
 * Takes up to 'limit' open dossiers whose clock runs (received,
 * processing) and whose due instant is at or before 'soon' (less than a
 * working day away) without the warning their state calls for, and
 * records it once per due instant: a "due_soon" event, or an "overdue"
 * event once the due instant is at or before 'now'. Each warning is an
 * event of the dossier's chain by the actor "system" and bumps the
 * dossier's version, like any change.
 *
 * Runs inside a write transaction (the writer's). On a backend that
 * several instances share, the batch's dossiers are taken with FOR UPDATE
 * SKIP LOCKED, so instances running the watch at once share the work and
 * each warning is recorded once.
 */
struct mc_watch_batch {
	int64_t now;			/* in: the instant of the run */
	int64_t soon;			/* in: due at or before: due soon */
	int limit;			/* in: most dossiers in the batch */
	int taken;			/* out: dossiers taken */
	int due_soon, overdue;		/* out: warnings recorded */
};
int mc_dossier_watch(struct mc_conn *c, struct mc_watch_batch *b,
		     struct mc_err *err);

/*
 * Checks every dossier's event chain. Calls 'bad' (may be NULL) for the
 * first broken link of each broken chain with the dossier code, the seq
 * and why. Returns the number of broken chains (0: all intact) or an
 * error; '*events' gets the number of events checked.
 */
typedef void mc_audit_fn(const char *code, int64_t seq, const char *why,
			 void *arg);
int mc_audit_verify(struct mc_conn *c, mc_audit_fn *bad, void *arg,
		    int64_t *events, struct mc_err *err);

#endif /* MC_STORE_DOSSIERS_H */
