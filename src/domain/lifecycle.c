/*
 * lifecycle.c — the dossier state machine, the rule sets, deadlines and
 * timeliness (see lifecycle.h and docs/lifecycle.md).
 *
 * The table 'moves' is the whole state machine: for each action, the
 * statuses it may start from, the status it leads to, the roles that may
 * take it and the unit the actor must belong to. Rules that depend on time
 * (the supplement window, the apology window) are checked after it.
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/sha256.h"
#include "core/timeutil.h"
#include "domain/calendar.h"
#include "domain/lifecycle.h"

static const char *const status_names[MC_ST_COUNT] = {
	"submitted", "received", "processing", "awaiting_supplement",
	"result_ready", "returned", "refused", "withdrawn", "stopped",
	"awaiting_payment"
};

static const char *const status_labels[MC_ST_COUNT] = {
	"Chờ tiếp nhận", "Đã tiếp nhận", "Đang xử lý", "Chờ bổ sung hồ sơ",
	"Đã xử lý xong", "Đã trả kết quả", "Từ chối giải quyết",
	"Công dân rút hồ sơ", "Dừng xử lý", "Chờ nộp phí, lệ phí"
};

static const char *const action_names[MC_ACT_COUNT] = {
	"accept", "refuse", "request_supplement", "submit_supplement",
	"assign", "forward", "apologize", "complete", "return_result",
	"withdraw", "stop"
};

static const char *const role_names[MC_ROLE_COUNT] = {
	"admin", "control_officer", "counter_officer", "specialist", "leader"
};

static const char *const channel_names[MC_CH_COUNT] = {
	"direct", "online", "postal"
};

static const char *const tl_names[MC_TL_COUNT] = {
	"none", "early", "on_time", "late", "within_deadline", "overdue"
};

static int find_name(const char *const *names, int n, const char *s)
{
	int i;

	if (!s)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *mc_status_name(enum mc_status s)
{
	return (unsigned)s < MC_ST_COUNT ? status_names[s] : "?";
}

int mc_status_parse(const char *s)
{
	return find_name(status_names, MC_ST_COUNT, s);
}

const char *mc_status_label(enum mc_status s)
{
	return (unsigned)s < MC_ST_COUNT ? status_labels[s] : "?";
}

const char *mc_action_name(enum mc_action a)
{
	return (unsigned)a < MC_ACT_COUNT ? action_names[a] : "?";
}

int mc_action_parse(const char *s)
{
	return find_name(action_names, MC_ACT_COUNT, s);
}

const char *mc_role_name(enum mc_role r)
{
	return (unsigned)r < MC_ROLE_COUNT ? role_names[r] : "?";
}

int mc_role_parse(const char *s)
{
	return find_name(role_names, MC_ROLE_COUNT, s);
}

const char *mc_channel_name(enum mc_channel c)
{
	return (unsigned)c < MC_CH_COUNT ? channel_names[c] : "?";
}

int mc_channel_parse(const char *s)
{
	return find_name(channel_names, MC_CH_COUNT, s);
}

const char *mc_tl_name(enum mc_tl t)
{
	return (unsigned)t < MC_TL_COUNT ? tl_names[t] : "?";
}

int mc_tl_parse(const char *s)
{
	return find_name(tl_names, MC_TL_COUNT, s);
}

bool mc_status_final(enum mc_status s)
{
	return s == MC_ST_RETURNED || s == MC_ST_REFUSED ||
	       s == MC_ST_WITHDRAWN || s == MC_ST_STOPPED;
}

/*
 * Rule sets, newest last. ND 61/2018 took effect on 21/08/2018; ND
 * 107/2021 (06/12/2021) added "one supplement request, one re-appointment";
 * ND 118/2025 replaced both from 01/07/2025 and carries those rules on.
 * The windows (3 working days, 1 working day) are [R] in DOMAIN.md.
 */
static const struct mc_rules rules[] = {
	{ "nd61_2018", "Nghị định 61/2018/NĐ-CP", 0, 0, 3, 0, 1 },
	{ "nd107_2021", "Nghị định 61/2018/NĐ-CP, sửa đổi bởi Nghị định "
	  "107/2021/NĐ-CP", 0, 1, 3, 1, 1 },
	{ "nd118_2025", "Nghị định 118/2025/NĐ-CP", 0, 1, 3, 1, 1 },
};

static const int rules_from[][3] = {
	{ 2018, 8, 21 }, { 2021, 12, 6 }, { 2025, 7, 1 }
};

const struct mc_rules *mc_rules_for(int32_t day)
{
	size_t i = MC_ARRAY_SIZE(rules);

	while (i-- > 1)
		if (day >= mc_days_from_ymd(rules_from[i][0], rules_from[i][1],
					    rules_from[i][2]))
			return &rules[i];
	return &rules[0];
}

const struct mc_rules *mc_rules_find(const char *name)
{
	size_t i;

	for (i = 0; i < MC_ARRAY_SIZE(rules); i++)
		if (strcmp(rules[i].name, name) == 0)
			return &rules[i];
	return NULL;
}

#define ST(s) (1u << (s))
#define R(r) (1u << (r))

/* One row per way an action can be taken. */
struct move {
	enum mc_action action;
	unsigned from;			/* statuses, bit set */
	int to;				/* status, or -1: back to where it was */
	unsigned roles;			/* bit set */
	enum mc_scope scope;
	bool counts_supplement;
};

static const struct move moves[] = {
	{ MC_ACT_ACCEPT, ST(MC_ST_SUBMITTED), MC_ST_RECEIVED,
	  R(MC_ROLE_COUNTER_OFFICER), MC_SCOPE_RECEIVING, false },
	{ MC_ACT_REFUSE, ST(MC_ST_SUBMITTED) | ST(MC_ST_RECEIVED) |
	  ST(MC_ST_AWAITING_PAYMENT), MC_ST_REFUSED,
	  R(MC_ROLE_COUNTER_OFFICER), MC_SCOPE_RECEIVING, false },
	{ MC_ACT_REFUSE, ST(MC_ST_RECEIVED) | ST(MC_ST_PROCESSING),
	  MC_ST_REFUSED, R(MC_ROLE_SPECIALIST) | R(MC_ROLE_LEADER),
	  MC_SCOPE_CURRENT, false },
	{ MC_ACT_REQUEST_SUPPLEMENT, ST(MC_ST_SUBMITTED),
	  MC_ST_AWAITING_SUPPLEMENT, R(MC_ROLE_COUNTER_OFFICER),
	  MC_SCOPE_RECEIVING, false },
	{ MC_ACT_REQUEST_SUPPLEMENT, ST(MC_ST_RECEIVED),
	  MC_ST_AWAITING_SUPPLEMENT, R(MC_ROLE_COUNTER_OFFICER),
	  MC_SCOPE_RECEIVING, true },
	{ MC_ACT_REQUEST_SUPPLEMENT, ST(MC_ST_RECEIVED) | ST(MC_ST_PROCESSING),
	  MC_ST_AWAITING_SUPPLEMENT, R(MC_ROLE_SPECIALIST) | R(MC_ROLE_LEADER),
	  MC_SCOPE_CURRENT, true },
	{ MC_ACT_SUBMIT_SUPPLEMENT, ST(MC_ST_AWAITING_SUPPLEMENT), -1,
	  R(MC_ROLE_COUNTER_OFFICER), MC_SCOPE_RECEIVING, false },
	{ MC_ACT_ASSIGN, ST(MC_ST_RECEIVED) | ST(MC_ST_PROCESSING),
	  MC_ST_PROCESSING, R(MC_ROLE_LEADER), MC_SCOPE_CURRENT, false },
	{ MC_ACT_FORWARD, ST(MC_ST_RECEIVED), MC_ST_PROCESSING,
	  R(MC_ROLE_COUNTER_OFFICER), MC_SCOPE_RECEIVING, false },
	{ MC_ACT_FORWARD, ST(MC_ST_RECEIVED) | ST(MC_ST_PROCESSING),
	  MC_ST_PROCESSING, R(MC_ROLE_SPECIALIST) | R(MC_ROLE_LEADER),
	  MC_SCOPE_CURRENT, false },
	{ MC_ACT_APOLOGIZE, ST(MC_ST_RECEIVED) | ST(MC_ST_PROCESSING), -1,
	  R(MC_ROLE_LEADER), MC_SCOPE_CURRENT, false },
	{ MC_ACT_COMPLETE, ST(MC_ST_PROCESSING), MC_ST_RESULT_READY,
	  R(MC_ROLE_LEADER), MC_SCOPE_CURRENT, false },
	{ MC_ACT_COMPLETE, ST(MC_ST_RECEIVED), MC_ST_RESULT_READY,
	  R(MC_ROLE_COUNTER_OFFICER), MC_SCOPE_RECEIVING, false },
	{ MC_ACT_RETURN_RESULT, ST(MC_ST_RESULT_READY), MC_ST_RETURNED,
	  R(MC_ROLE_COUNTER_OFFICER), MC_SCOPE_RECEIVING, false },
	{ MC_ACT_WITHDRAW, ST(MC_ST_SUBMITTED) | ST(MC_ST_RECEIVED) |
	  ST(MC_ST_PROCESSING) | ST(MC_ST_AWAITING_SUPPLEMENT) |
	  ST(MC_ST_AWAITING_PAYMENT),
	  MC_ST_WITHDRAWN, R(MC_ROLE_COUNTER_OFFICER), MC_SCOPE_RECEIVING,
	  false },
	{ MC_ACT_STOP, ST(MC_ST_RECEIVED) | ST(MC_ST_PROCESSING) |
	  ST(MC_ST_AWAITING_SUPPLEMENT), MC_ST_STOPPED, R(MC_ROLE_LEADER),
	  MC_SCOPE_CURRENT, false },
};

bool mc_lc_role_may(enum mc_role role, enum mc_action action)
{
	size_t i;

	for (i = 0; i < MC_ARRAY_SIZE(moves); i++)
		if (moves[i].action == action && (moves[i].roles & R(role)))
			return true;
	return false;
}

#define conflict(err, rule, ...) \
	mc_err_rule((err), MC_ECONFLICT, "action", (rule), __VA_ARGS__)

/* Working seconds in 'wd' working days of the calendar. */
static int64_t wd_seconds(const struct mc_calendar *cal, int wd)
{
	return (int64_t)wd * mc_cal_day_seconds(cal);
}

static int check_rules(const struct mc_lc_state *s, const struct move *m,
		       const struct mc_calendar *cal, int64_t now,
		       int64_t new_due, struct mc_err *err)
{
	const struct mc_rules *r = s->rules;
	char when[32];

	switch (m->action) {
	case MC_ACT_REQUEST_SUPPLEMENT:
		if (!m->counts_supplement)
			return 0;
		if (r->supplement_max && s->supplements >= r->supplement_max)
			return conflict(err, "supplement_once", "a supplement "
					"may be requested only once during "
					"processing (%s)", r->basis);
		if (s->received_at != MC_NO_TIME &&
		    mc_cal_working_seconds(cal, s->received_at, now, NULL,
					   0) >
		    wd_seconds(cal, r->supplement_within_wd))
			return conflict(err, "supplement_window", "a "
					"supplement must be requested within "
					"%d working days of receipt (%s)",
					r->supplement_within_wd, r->basis);
		return 0;
	case MC_ACT_APOLOGIZE:
		if (r->apology_max && s->apologies >= r->apology_max)
			return conflict(err, "apology_once", "a new date may "
					"be given only once (%s)", r->basis);
		if (s->due_at == MC_NO_TIME ||
		    mc_cal_working_seconds(cal, now, s->due_at, NULL, 0) <
		    wd_seconds(cal, r->apology_min_wd_before))
			return conflict(err, "apology_window", "the apology "
					"must be made at least %d working day "
					"before the due date %s (%s)",
					r->apology_min_wd_before,
					s->due_at == MC_NO_TIME ? "" :
					mc_time_format_local(s->due_at, when,
							     sizeof(when)),
					r->basis);
		if (new_due == MC_NO_TIME)
			return mc_err_field(err, "new_due_at", "required",
					    "give the new date of return");
		if (new_due <= s->due_at)
			return mc_err_field(err, "new_due_at", "after_due",
					    "must be after the current due "
					    "date %s", mc_time_format_local(
					    s->due_at, when, sizeof(when)));
		return 0;
	case MC_ACT_FORWARD:
		/* Checked by the caller with the target unit known. */
		return 0;
	default:
		return 0;
	}
}

int mc_lc_decide(const struct mc_lc_state *s, enum mc_action action,
		 enum mc_role role, unsigned in, const struct mc_calendar *cal,
		 int64_t now, int64_t new_due, struct mc_lc_decision *out,
		 struct mc_err *err)
{
	const struct move *m = NULL;
	bool status_ok = false;
	size_t i;
	int rc;

	if ((unsigned)action >= MC_ACT_COUNT || (unsigned)role >= MC_ROLE_COUNT)
		return mc_err_field(err, "action", "enum", "unknown action");
	if (!mc_lc_role_may(role, action))
		return mc_error(err, MC_EFORBIDDEN, "the role %s may not %s a "
				"dossier", mc_role_name(role),
				mc_action_name(action));
	for (i = 0; i < MC_ARRAY_SIZE(moves); i++) {
		if (moves[i].action != action ||
		    !(moves[i].from & ST(s->status)))
			continue;
		status_ok = true;
		if (moves[i].roles & R(role)) {
			m = &moves[i];
			break;
		}
	}
	if (!status_ok)
		return conflict(err, "status", "%s is not allowed when the "
				"dossier is %s", mc_action_name(action),
				mc_status_name(s->status));
	if (!m)
		return mc_error(err, MC_EFORBIDDEN, "the role %s may not %s a "
				"dossier that is %s", mc_role_name(role),
				mc_action_name(action),
				mc_status_name(s->status));
	if (!(in & (1u << m->scope)))
		return mc_err_rule(err, MC_EFORBIDDEN, "unit", "scope", "only "
				   "the %s unit (or one above it) may %s this "
				   "dossier", m->scope == MC_SCOPE_RECEIVING ?
				   "receiving" : "handling",
				   mc_action_name(action));
	if (action == MC_ACT_COMPLETE && s->status == MC_ST_RECEIVED &&
	    !s->on_the_spot)
		return conflict(err, "on_the_spot", "only a procedure resolved "
				"on the spot may be completed at the counter; "
				"forward the dossier for processing");
	rc = check_rules(s, m, cal, now, new_due, err);
	if (rc)
		return rc;
	out->to = m->to >= 0 ? (enum mc_status)m->to : s->status;
	out->scope = m->scope;
	out->counts_supplement = m->counts_supplement;
	return 0;
}

struct mc_period mc_lc_period(struct mc_period p, int reduction,
			      enum mc_channel channel,
			      const struct mc_calendar *cal)
{
	struct mc_period q = p;
	int64_t scaled;

	if (channel != MC_CH_ONLINE || reduction <= 0 || reduction >= 100)
		return p;
	scaled = (int64_t)p.amount * (100 - reduction);
	if (scaled % 100 == 0) {
		q.amount = (int32_t)(scaled / 100);
		return q;
	}
	switch (p.unit) {
	case MC_DUE_WORKING_DAYS:
		q.unit = MC_DUE_WORKING_HOURS;
		q.amount = (int32_t)((scaled * mc_cal_day_seconds(cal) +
				      360000 - 1) / 360000);
		break;
	case MC_DUE_MONTHS:
		q.unit = MC_DUE_DAYS;
		q.amount = (int32_t)((scaled * 30 + 99) / 100);
		break;
	default:
		q.amount = (int32_t)((scaled + 99) / 100);
		break;
	}
	return q;
}

int mc_lc_due(const struct mc_calendar *cal, struct mc_period p, int64_t at,
	      int64_t *received, int64_t *due, struct mc_err *err)
{
	struct mc_due_req req = { at, p.unit, p.amount, NULL, 0 };

	return mc_cal_due(cal, &req, due, received, err);
}

int mc_lc_step_dues(const struct mc_calendar *cal, int64_t received,
		    int64_t due, const int *shares, int n, int64_t *out,
		    struct mc_err *err)
{
	int64_t total = mc_cal_working_seconds(cal, received, due, NULL, 0);
	int64_t cum = 0;
	int k, rc;

	for (k = 0; k < n; k++) {
		cum += shares[k];
		if (k == n - 1 || cum >= 100) {
			out[k] = due;
			continue;
		}
		rc = mc_cal_add_working(cal, received, total * cum / 100,
					&out[k], err);
		if (rc)
			return rc;
		if (out[k] > due)
			out[k] = due;
	}
	return 0;
}

enum mc_tl mc_lc_timeliness(const struct mc_tl_facts *f, int64_t now)
{
	int64_t end = f->finished;

	if (f->status == MC_ST_SUBMITTED || f->due == MC_NO_TIME)
		return MC_TL_NONE;
	if (f->status == MC_ST_AWAITING_SUPPLEMENT &&
	    f->supplement_requested != MC_NO_TIME)
		return f->supplements > 1 || f->supplement_requested > f->due ?
		       MC_TL_OVERDUE : MC_TL_WITHIN;
	if (end == MC_NO_TIME)
		return f->supplements > 1 || now > f->due ? MC_TL_OVERDUE :
		       MC_TL_WITHIN;
	if (f->supplements > 1)
		return MC_TL_LATE;
	switch (mc_cal_classify(end, f->due)) {
	case MC_EARLY:
		return MC_TL_EARLY;
	case MC_ON_TIME:
		return MC_TL_ON_TIME;
	default:
		return MC_TL_LATE;
	}
}

const char mc_event_genesis[65] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static int add_field(struct mc_buf *b, const char *s)
{
	if (!s)
		s = "";
	return mc_buf_printf(b, "%zu:", strlen(s)) || mc_buf_adds(b, s);
}

void mc_event_hash(const char *prev_hex, const struct mc_event_fields *e,
		   char out[65])
{
	struct mc_buf b = MC_BUF_INIT(1u << 20);
	char seq[24];
	int rc = 0;

	snprintf(seq, sizeof(seq), "%" PRId64, e->seq);
	rc |= add_field(&b, "motcua-event-v1");
	rc |= add_field(&b, prev_hex);
	rc |= add_field(&b, e->dossier_code);
	rc |= add_field(&b, seq);
	rc |= add_field(&b, e->at);
	rc |= add_field(&b, e->actor);
	rc |= add_field(&b, e->action);
	rc |= add_field(&b, e->from_status);
	rc |= add_field(&b, e->to_status);
	rc |= add_field(&b, e->note);
	rc |= add_field(&b, e->detail);
	if (rc)		/* fields are capped far below 1 MiB by the API */
		memset(out, 'f', 64), out[64] = '\0';
	else
		mc_sha256_hex(b.buf, b.len, out);
	mc_buf_release(&b);
}
