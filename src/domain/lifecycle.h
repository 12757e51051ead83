/*
 * lifecycle.h — the dossier lifecycle (DOMAIN.md §1): statuses, actions,
 * who may do what, the rule sets of the decrees, deadlines and timeliness.
 *
 * Everything here is pure: it decides, from a dossier's state, an actor's
 * role and the calendar, whether an action is allowed and what it changes;
 * the store (store/dossiers.c) loads the state, asks, and writes the
 * answer with its event in one transaction. "Where does a dossier become
 * late?" — mc_lc_timeliness() below.
 *
 *   submitted ──accept──▶ received ──forward/assign──▶ processing
 *       │                    │  ▲                         │  ▲
 *       │        request_supplement / submit_supplement   │  │ forward,
 *       ▼                    ▼  │                         ▼  │ assign
 *   awaiting_supplement ◀────┴──┴─────────────────────────┘──┘
 *   processing ──complete──▶ result_ready ──return_result──▶ returned
 *   refuse / withdraw / stop end a dossier as refused / withdrawn / stopped.
 *
 * A procedure paid before processing (pay_first) with fees to pay puts
 * the dossier, when accepted or taken in, in awaiting_payment instead of
 * received; the payment that settles it receives it (store/payments.c).
 */
#ifndef MC_DOMAIN_LIFECYCLE_H
#define MC_DOMAIN_LIFECYCLE_H

#include "core/compat.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "domain/calendar.h"

enum mc_status {
	MC_ST_SUBMITTED,		/* online, waiting for the counter */
	MC_ST_RECEIVED,			/* accepted, appointment given */
	MC_ST_PROCESSING,		/* in an agency's workflow */
	MC_ST_AWAITING_SUPPLEMENT,	/* clock stopped for the applicant */
	MC_ST_RESULT_READY,		/* đã xử lý xong */
	MC_ST_RETURNED,			/* đã trả kết quả */
	MC_ST_REFUSED,
	MC_ST_WITHDRAWN,		/* at the applicant's request */
	MC_ST_STOPPED,			/* dừng xử lý */
	MC_ST_AWAITING_PAYMENT,		/* fees first: received when paid */
	MC_ST_COUNT
};

enum mc_action {
	MC_ACT_ACCEPT,
	MC_ACT_REFUSE,
	MC_ACT_REQUEST_SUPPLEMENT,
	MC_ACT_SUBMIT_SUPPLEMENT,
	MC_ACT_ASSIGN,
	MC_ACT_FORWARD,
	MC_ACT_APOLOGIZE,
	MC_ACT_COMPLETE,
	MC_ACT_RETURN_RESULT,
	MC_ACT_WITHDRAW,
	MC_ACT_STOP,
	MC_ACT_COUNT
};

enum mc_role {
	MC_ROLE_ADMIN,
	MC_ROLE_CONTROL_OFFICER,
	MC_ROLE_COUNTER_OFFICER,
	MC_ROLE_SPECIALIST,
	MC_ROLE_LEADER,
	MC_ROLE_COUNT
};

enum mc_channel { MC_CH_DIRECT, MC_CH_ONLINE, MC_CH_POSTAL, MC_CH_COUNT };

/* Timeliness by the index rules (DOMAIN.md §1 "end-state semantics"). */
enum mc_tl {
	MC_TL_NONE,		/* not received yet */
	MC_TL_EARLY,		/* finished before the due day */
	MC_TL_ON_TIME,		/* finished on the due day, in time */
	MC_TL_LATE,		/* finished after the due instant */
	MC_TL_WITHIN,		/* open, due instant not passed */
	MC_TL_OVERDUE,		/* open, due instant passed */
	MC_TL_COUNT
};

/* Names as in the API ("awaiting_supplement"), and back (-1: unknown). */
const char *mc_status_name(enum mc_status s);
int mc_status_parse(const char *s);
/* Vietnamese label of a status, for people ("Đang xử lý"). */
const char *mc_status_label(enum mc_status s);
const char *mc_action_name(enum mc_action a);
int mc_action_parse(const char *s);
const char *mc_role_name(enum mc_role r);
int mc_role_parse(const char *s);
const char *mc_channel_name(enum mc_channel c);
int mc_channel_parse(const char *s);
const char *mc_tl_name(enum mc_tl t);
int mc_tl_parse(const char *s);
/* Whether a status ends the dossier (returned, refused, …). */
bool mc_status_final(enum mc_status s);

/*
 * A rule set: the procedural rules in force for dossiers received from
 * 'from' (a day number) on. Values marked [R] in DOMAIN.md are defaults of
 * ours, documented in docs/lifecycle.md.
 */
struct mc_rules {
	const char *name;		/* "nd118_2025" */
	const char *basis;		/* legal basis, Vietnamese */
	int32_t from;			/* first day of receipt it governs */
	int supplement_max;		/* requests during processing; 0: any */
	int supplement_within_wd;	/* working days after receipt */
	int apology_max;		/* re-appointments; 0: any */
	int apology_min_wd_before;	/* working days before the due */
};

/* The rule set for a dossier received on local day 'day'. */
const struct mc_rules *mc_rules_for(int32_t day);
/* The rule set named 'name', or NULL. */
const struct mc_rules *mc_rules_find(const char *name);

/* What the lifecycle needs to know about a dossier to decide. */
struct mc_lc_state {
	enum mc_status status;
	const struct mc_rules *rules;
	int64_t received_at;		/* receipt, or MC_NO_TIME */
	int64_t due_at;			/* appointment now */
	int supplements;		/* requests made during processing */
	int apologies;
	bool on_the_spot;		/* may be resolved at the counter */
};

/* Which unit an actor must be in (or above) to take an action. */
enum mc_scope {
	MC_SCOPE_RECEIVING,		/* the unit that received the dossier */
	MC_SCOPE_CURRENT		/* the unit handling it now */
};

struct mc_lc_decision {
	enum mc_status to;		/* status after the action */
	enum mc_scope scope;		/* unit the actor must belong to */
	bool counts_supplement;		/* a request during processing */
};

/* The units an actor belongs to, as a bit set for mc_lc_decide. */
#define MC_IN_RECEIVING (1u << MC_SCOPE_RECEIVING)
#define MC_IN_CURRENT (1u << MC_SCOPE_CURRENT)

/*
 * Decides whether 'role' may take 'action' on a dossier in state 's' at
 * instant 'now', for an actor in the units 'in' (MC_IN_RECEIVING: the
 * actor's unit contains the receiving unit; MC_IN_CURRENT: the handling
 * unit). 'new_due' is the proposed date of an apology (else ignored).
 * Checks, in this order: the role at all, the status, the role in that
 * status, the unit, then the rules. Returns 0 and fills 'out';
 * MC_EFORBIDDEN when the role or the unit may not take the action;
 * MC_ECONFLICT when the status or a rule forbids
 * it now (the error names the rule: "status", "supplement_once",
 * "supplement_window", "apology_once", "apology_window", "on_the_spot";
 * the store adds "last_step" for forwarding, which needs the workflow);
 * MC_EINVAL for a bad 'new_due'.
 */
int mc_lc_decide(const struct mc_lc_state *s, enum mc_action action,
		 enum mc_role role, unsigned in, const struct mc_calendar *cal,
		 int64_t now, int64_t new_due, struct mc_lc_decision *out,
		 struct mc_err *err);

/* Whether 'role' may ever take 'action' (for listing allowed actions). */
bool mc_lc_role_may(enum mc_role role, enum mc_action action);

/* A legal processing time. */
struct mc_period {
	int32_t amount;
	enum mc_due_unit unit;
};

/*
 * The period that applies to a dossier: 'p' shortened by 'reduction'
 * percent for online dossiers (0 otherwise). A shortened period that is
 * not a whole number of its unit is counted in working hours (working
 * days) or whole days, rounded up (days, months).
 */
struct mc_period mc_lc_period(struct mc_period p, int reduction,
			      enum mc_channel channel,
			      const struct mc_calendar *cal);

/*
 * Receipt instant and due instant of a dossier handed in at 'at'.
 * Returns 0 or MC_ERANGE / MC_EINVAL with 'err'.
 */
int mc_lc_due(const struct mc_calendar *cal, struct mc_period p, int64_t at,
	      int64_t *received, int64_t *due, struct mc_err *err);

/*
 * Due instant of each workflow step: step k is due when the cumulative
 * share of steps 0..k of the working time from 'received' to 'due' has
 * passed (the last step at 'due'). 'shares' are percents summing to 100.
 */
int mc_lc_step_dues(const struct mc_calendar *cal, int64_t received,
		    int64_t due, const int *shares, int n, int64_t *out,
		    struct mc_err *err);

/* The facts timeliness depends on. */
struct mc_tl_facts {
	enum mc_status status;
	int64_t due;			/* legal due, MC_NO_TIME if none */
	int64_t finished;		/* end instant, MC_NO_TIME if open */
	int64_t supplement_requested;	/* open request, or MC_NO_TIME */
	int supplements;
};

/*
 * Timeliness as the index counts it: a finished dossier is early, on time
 * or late against its legal due; an open one within the deadline or
 * overdue as of 'now'. A dossier waiting for a supplement is judged at the
 * request instant; more than one request during processing makes it late
 * (or overdue).
 */
enum mc_tl mc_lc_timeliness(const struct mc_tl_facts *f, int64_t now);

/*
 * Hash of one event in a dossier's chain: SHA-256 over the previous hash
 * and every field, each written as its length, ':' and its bytes, in hex
 * (65 bytes with the NUL).
 */
struct mc_event_fields {
	const char *dossier_code;
	int64_t seq;
	const char *at;			/* UTC text */
	const char *actor;
	const char *action;
	const char *from_status;	/* "" for the first event */
	const char *to_status;
	const char *note;
	const char *detail;
};
void mc_event_hash(const char *prev_hex, const struct mc_event_fields *e,
		   char out[65]);

/* The hash before a dossier's first event: 64 zeros. */
extern const char mc_event_genesis[65];

#endif /* MC_DOMAIN_LIFECYCLE_H */
