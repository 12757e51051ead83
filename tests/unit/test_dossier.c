/*
 * test_dossier.c — the lifecycle's pure rules (domain/lifecycle.c) with the
 * shipped calendar: every action in every status for every role, the rule
 * sets by date of receipt, the windows for supplements and apologies,
 * shortened online periods, step due times, timeliness by the index rules
 * and the event hash.
 */
#include "core/compat.h"
#include "core/timeutil.h"
#include "domain/calendar.h"
#include "domain/lifecycle.h"
#include "harness/harness.h"

static struct mc_calendar *cal;

static int64_t at(const char *s)
{
	int64_t t;

	if (mc_instant_parse(s, strlen(s), &t, NULL, 0) != 0)
		fail_msg("bad instant in test: %s", s);
	return t;
}

static const char *local(int64_t t)
{
	static char buf[32];

	return mc_time_format_local(t, buf, sizeof(buf));
}

static int setup(void **state)
{
	struct mc_cal_spec spec;
	struct mc_err err = MC_ERR_INIT;

	(void)state;
	mc_cal_spec_init(&spec);
	assert_int_equal(mc_cal_spec_load_builtin(&spec, &err), 0);
	assert_int_equal(mc_cal_build(&spec, &cal, &err), 0);
	mc_cal_spec_release(&spec);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mc_cal_free(cal);
	return 0;
}

/* A dossier received Monday 2 March 2026 09:00, due Monday 9 at 17:00. */
static struct mc_lc_state state_in(enum mc_status s)
{
	struct mc_lc_state st;

	memset(&st, 0, sizeof(st));
	st.status = s;
	st.rules = mc_rules_find("nd118_2025");
	st.received_at = at("2026-03-02T09:00:00+07:00");
	st.due_at = at("2026-03-09T17:00:00+07:00");
	return st;
}

/*
 * The spec of docs/lifecycle.md, written out independently of the
 * implementation's table: statuses an action starts from, per role.
 */
static bool spec_allows(enum mc_action a, enum mc_status s, enum mc_role r)
{
	bool counter = r == MC_ROLE_COUNTER_OFFICER;
	bool handler = r == MC_ROLE_SPECIALIST || r == MC_ROLE_LEADER;
	bool leader = r == MC_ROLE_LEADER;

	switch (a) {
	case MC_ACT_ACCEPT:
		return counter && s == MC_ST_SUBMITTED;
	case MC_ACT_REFUSE:
		/* Awaiting payment: not received yet, still the counter's. */
		return (counter && (s == MC_ST_SUBMITTED ||
				    s == MC_ST_RECEIVED ||
				    s == MC_ST_AWAITING_PAYMENT)) ||
		       (handler && (s == MC_ST_RECEIVED ||
				    s == MC_ST_PROCESSING));
	case MC_ACT_REQUEST_SUPPLEMENT:
		return (counter && (s == MC_ST_SUBMITTED ||
				    s == MC_ST_RECEIVED)) ||
		       (handler && (s == MC_ST_RECEIVED ||
				    s == MC_ST_PROCESSING));
	case MC_ACT_SUBMIT_SUPPLEMENT:
		return counter && s == MC_ST_AWAITING_SUPPLEMENT;
	case MC_ACT_ASSIGN:
		return leader && (s == MC_ST_RECEIVED ||
				  s == MC_ST_PROCESSING);
	case MC_ACT_FORWARD:
		return (counter && s == MC_ST_RECEIVED) ||
		       (handler && (s == MC_ST_RECEIVED ||
				    s == MC_ST_PROCESSING));
	case MC_ACT_APOLOGIZE:
		return leader && (s == MC_ST_RECEIVED ||
				  s == MC_ST_PROCESSING);
	case MC_ACT_COMPLETE:
		/* At the counter only when resolved on the spot. */
		return leader && s == MC_ST_PROCESSING;
	case MC_ACT_RETURN_RESULT:
		return counter && s == MC_ST_RESULT_READY;
	case MC_ACT_WITHDRAW:
		return counter && (s == MC_ST_SUBMITTED || s == MC_ST_RECEIVED ||
				   s == MC_ST_PROCESSING ||
				   s == MC_ST_AWAITING_SUPPLEMENT ||
				   s == MC_ST_AWAITING_PAYMENT);
	case MC_ACT_STOP:
		return leader && (s == MC_ST_RECEIVED ||
				  s == MC_ST_PROCESSING ||
				  s == MC_ST_AWAITING_SUPPLEMENT);
	default:
		return false;
	}
}

/* Some role may take the action from this status. */
static bool spec_status(enum mc_action a, enum mc_status s)
{
	int r;

	for (r = 0; r < MC_ROLE_COUNT; r++)
		if (spec_allows(a, s, (enum mc_role)r))
			return true;
	return a == MC_ACT_COMPLETE && s == MC_ST_RECEIVED;
}

static void test_table(void **state)
{
	int a, s, r, allowed = 0;

	(void)state;
	for (a = 0; a < MC_ACT_COUNT; a++)
	for (s = 0; s < MC_ST_COUNT; s++)
	for (r = 0; r < MC_ROLE_COUNT; r++) {
		struct mc_lc_state st = state_in((enum mc_status)s);
		struct mc_lc_decision d;
		struct mc_err err = MC_ERR_INIT;
		int rc = mc_lc_decide(&st, (enum mc_action)a, (enum mc_role)r,
				      MC_IN_RECEIVING | MC_IN_CURRENT, cal,
				      at("2026-03-03T09:00:00+07:00"),
				      at("2026-03-12T17:00:00+07:00"), &d,
				      &err);
		int want;

		if (spec_allows((enum mc_action)a, (enum mc_status)s,
				(enum mc_role)r))
			want = 0;
		else if (!spec_status((enum mc_action)a, (enum mc_status)s) &&
			 mc_lc_role_may((enum mc_role)r, (enum mc_action)a))
			want = MC_ECONFLICT;
		else if (a == MC_ACT_COMPLETE && s == MC_ST_RECEIVED &&
			 r == MC_ROLE_COUNTER_OFFICER)
			want = MC_ECONFLICT;
		else
			want = MC_EFORBIDDEN;
		if (rc != want)
			fail_msg("%s by %s when %s: %d, wanted %d (%s)",
				 mc_action_name((enum mc_action)a),
				 mc_role_name((enum mc_role)r),
				 mc_status_name((enum mc_status)s), rc, want,
				 err.message);
		if (rc == MC_ECONFLICT)
			assert_string_equal(err.fields[0].field, "action");
		if (!rc)
			allowed++;
	}
	assert_int_equal(allowed, 34);
	/* Administrators and procedure control never act on dossiers. */
	for (a = 0; a < MC_ACT_COUNT; a++) {
		assert_false(mc_lc_role_may(MC_ROLE_ADMIN, (enum mc_action)a));
		assert_false(mc_lc_role_may(MC_ROLE_CONTROL_OFFICER,
					    (enum mc_action)a));
	}
}

static void test_where_actions_lead(void **state)
{
	static const struct {
		enum mc_action a;
		enum mc_status from, to;
		enum mc_role role;
		enum mc_scope scope;
	} cases[] = {
		{ MC_ACT_ACCEPT, MC_ST_SUBMITTED, MC_ST_RECEIVED,
		  MC_ROLE_COUNTER_OFFICER, MC_SCOPE_RECEIVING },
		{ MC_ACT_FORWARD, MC_ST_RECEIVED, MC_ST_PROCESSING,
		  MC_ROLE_COUNTER_OFFICER, MC_SCOPE_RECEIVING },
		{ MC_ACT_FORWARD, MC_ST_PROCESSING, MC_ST_PROCESSING,
		  MC_ROLE_SPECIALIST, MC_SCOPE_CURRENT },
		{ MC_ACT_ASSIGN, MC_ST_RECEIVED, MC_ST_PROCESSING,
		  MC_ROLE_LEADER, MC_SCOPE_CURRENT },
		{ MC_ACT_REQUEST_SUPPLEMENT, MC_ST_PROCESSING,
		  MC_ST_AWAITING_SUPPLEMENT, MC_ROLE_SPECIALIST,
		  MC_SCOPE_CURRENT },
		{ MC_ACT_COMPLETE, MC_ST_PROCESSING, MC_ST_RESULT_READY,
		  MC_ROLE_LEADER, MC_SCOPE_CURRENT },
		{ MC_ACT_RETURN_RESULT, MC_ST_RESULT_READY, MC_ST_RETURNED,
		  MC_ROLE_COUNTER_OFFICER, MC_SCOPE_RECEIVING },
		{ MC_ACT_REFUSE, MC_ST_PROCESSING, MC_ST_REFUSED,
		  MC_ROLE_LEADER, MC_SCOPE_CURRENT },
		{ MC_ACT_REFUSE, MC_ST_SUBMITTED, MC_ST_REFUSED,
		  MC_ROLE_COUNTER_OFFICER, MC_SCOPE_RECEIVING },
		{ MC_ACT_WITHDRAW, MC_ST_AWAITING_SUPPLEMENT, MC_ST_WITHDRAWN,
		  MC_ROLE_COUNTER_OFFICER, MC_SCOPE_RECEIVING },
		{ MC_ACT_STOP, MC_ST_PROCESSING, MC_ST_STOPPED,
		  MC_ROLE_LEADER, MC_SCOPE_CURRENT },
		{ MC_ACT_APOLOGIZE, MC_ST_PROCESSING, MC_ST_PROCESSING,
		  MC_ROLE_LEADER, MC_SCOPE_CURRENT },
	};
	size_t i;

	(void)state;
	for (i = 0; i < MC_ARRAY_SIZE(cases); i++) {
		struct mc_lc_state st = state_in(cases[i].from);
		struct mc_lc_decision d;

		assert_int_equal(mc_lc_decide(&st, cases[i].a, cases[i].role,
			MC_IN_RECEIVING | MC_IN_CURRENT, cal,
			at("2026-03-03T09:00:00+07:00"),
			at("2026-03-12T17:00:00+07:00"), &d, NULL), 0);
		assert_int_equal(d.to, cases[i].to);
		assert_int_equal(d.scope, cases[i].scope);
	}
	/* Only requests after acceptance count toward "only once". */
	{
		struct mc_lc_state st = state_in(MC_ST_SUBMITTED);
		struct mc_lc_decision d;

		assert_int_equal(mc_lc_decide(&st, MC_ACT_REQUEST_SUPPLEMENT,
			MC_ROLE_COUNTER_OFFICER, MC_IN_RECEIVING, cal,
			st.received_at, 0, &d, NULL), 0);
		assert_false(d.counts_supplement);
		st = state_in(MC_ST_PROCESSING);
		assert_int_equal(mc_lc_decide(&st, MC_ACT_REQUEST_SUPPLEMENT,
			MC_ROLE_SPECIALIST, MC_IN_CURRENT, cal, st.received_at,
			0, &d, NULL), 0);
		assert_true(d.counts_supplement);
	}
	/*
	 * The unit is checked before the rules: a leader of another unit
	 * hears 403 (unit/scope), not which rule would refuse.
	 */
	{
		struct mc_lc_state st = state_in(MC_ST_PROCESSING);
		struct mc_lc_decision d;
		struct mc_err err = MC_ERR_INIT;

		st.apologies = 1;
		assert_int_equal(mc_lc_decide(&st, MC_ACT_APOLOGIZE,
			MC_ROLE_LEADER, MC_IN_RECEIVING, cal, st.received_at,
			at("2026-03-20T17:00:00+07:00"), &d, &err),
			MC_EFORBIDDEN);
		assert_string_equal(err.fields[0].rule, "scope");
		mc_err_clear(&err);
		assert_int_equal(mc_lc_decide(&st, MC_ACT_APOLOGIZE,
			MC_ROLE_LEADER, MC_IN_CURRENT, cal, st.received_at,
			at("2026-03-20T17:00:00+07:00"), &d, &err),
			MC_ECONFLICT);
		assert_string_equal(err.fields[0].rule, "apology_once");
	}
}

static void check_rule(struct mc_lc_state *st, enum mc_action a,
		       enum mc_role r, const char *now, const char *new_due,
		       int want, const char *rule)
{
	struct mc_lc_decision d;
	struct mc_err err = MC_ERR_INIT;
	int rc = mc_lc_decide(st, a, r, MC_IN_RECEIVING | MC_IN_CURRENT, cal,
			      at(now), new_due ? at(new_due) : MC_NO_TIME, &d,
			      &err);

	if (rc != want)
		fail_msg("%s at %s: %d, wanted %d (%s)", mc_action_name(a), now,
			 rc, want, err.message);
	if (rule)
		assert_string_equal(err.fields[0].rule, rule);
}

static void test_rules(void **state)
{
	struct mc_lc_state st = state_in(MC_ST_PROCESSING);

	(void)state;
	/* Which decree governs, by the day of receipt. */
	assert_string_equal(mc_rules_for(mc_days_from_ymd(2018, 8, 21))->name,
			    "nd61_2018");
	assert_string_equal(mc_rules_for(mc_days_from_ymd(2021, 12, 5))->name,
			    "nd61_2018");
	assert_string_equal(mc_rules_for(mc_days_from_ymd(2021, 12, 6))->name,
			    "nd107_2021");
	assert_string_equal(mc_rules_for(mc_days_from_ymd(2025, 6, 30))->name,
			    "nd107_2021");
	assert_string_equal(mc_rules_for(mc_days_from_ymd(2025, 7, 1))->name,
			    "nd118_2025");
	assert_null(mc_rules_find("nd999"));

	/* Supplement: within 3 working days of receipt (22 h 30 min). */
	check_rule(&st, MC_ACT_REQUEST_SUPPLEMENT, MC_ROLE_SPECIALIST,
		   "2026-03-05T09:00:00+07:00", NULL, 0, NULL);
	check_rule(&st, MC_ACT_REQUEST_SUPPLEMENT, MC_ROLE_SPECIALIST,
		   "2026-03-05T10:30:00+07:00", NULL, MC_ECONFLICT,
		   "supplement_window");
	/* The weekend does not count: Friday receipt, Wednesday request. */
	st.received_at = at("2026-03-06T09:00:00+07:00");
	check_rule(&st, MC_ACT_REQUEST_SUPPLEMENT, MC_ROLE_SPECIALIST,
		   "2026-03-11T09:00:00+07:00", NULL, 0, NULL);
	st.supplements = 1;
	check_rule(&st, MC_ACT_REQUEST_SUPPLEMENT, MC_ROLE_SPECIALIST,
		   "2026-03-06T10:00:00+07:00", NULL, MC_ECONFLICT,
		   "supplement_once");
	/* Under ND 61/2018 alone there was no such limit. */
	st.rules = mc_rules_find("nd61_2018");
	check_rule(&st, MC_ACT_REQUEST_SUPPLEMENT, MC_ROLE_SPECIALIST,
		   "2026-03-06T10:00:00+07:00", NULL, 0, NULL);

	/* Apology: at least one working day before the due instant. */
	st = state_in(MC_ST_PROCESSING);
	check_rule(&st, MC_ACT_APOLOGIZE, MC_ROLE_LEADER,
		   "2026-03-06T17:00:00+07:00", "2026-03-13T17:00:00+07:00",
		   0, NULL);
	check_rule(&st, MC_ACT_APOLOGIZE, MC_ROLE_LEADER,
		   "2026-03-09T07:30:00+07:00", "2026-03-13T17:00:00+07:00",
		   0, NULL);
	check_rule(&st, MC_ACT_APOLOGIZE, MC_ROLE_LEADER,
		   "2026-03-09T07:31:00+07:00", "2026-03-13T17:00:00+07:00",
		   MC_ECONFLICT, "apology_window");
	check_rule(&st, MC_ACT_APOLOGIZE, MC_ROLE_LEADER,
		   "2026-03-04T09:00:00+07:00", "2026-03-09T16:00:00+07:00",
		   MC_EINVAL, "after_due");
	check_rule(&st, MC_ACT_APOLOGIZE, MC_ROLE_LEADER,
		   "2026-03-04T09:00:00+07:00", NULL, MC_EINVAL, "required");
	st.apologies = 1;
	check_rule(&st, MC_ACT_APOLOGIZE, MC_ROLE_LEADER,
		   "2026-03-04T09:00:00+07:00", "2026-03-13T17:00:00+07:00",
		   MC_ECONFLICT, "apology_once");
	/* On the spot: the counter completes a received dossier. */
	st = state_in(MC_ST_RECEIVED);
	check_rule(&st, MC_ACT_COMPLETE, MC_ROLE_COUNTER_OFFICER,
		   "2026-03-02T10:00:00+07:00", NULL, MC_ECONFLICT,
		   "on_the_spot");
	st.on_the_spot = true;
	check_rule(&st, MC_ACT_COMPLETE, MC_ROLE_COUNTER_OFFICER,
		   "2026-03-02T10:00:00+07:00", NULL, 0, NULL);
}

static void test_periods(void **state)
{
	struct mc_period p = { 10, MC_DUE_WORKING_DAYS }, q;
	int64_t received, due;
	struct mc_err err = MC_ERR_INIT;

	(void)state;
	q = mc_lc_period(p, 30, MC_CH_ONLINE, cal);
	assert_int_equal(q.unit, MC_DUE_WORKING_DAYS);
	assert_int_equal(q.amount, 7);
	/* At the counter the reduction does not apply. */
	q = mc_lc_period(p, 30, MC_CH_DIRECT, cal);
	assert_int_equal(q.amount, 10);
	/* Half of 3 working days is 11 h 15 min: 12 working hours. */
	p.amount = 3;
	q = mc_lc_period(p, 50, MC_CH_ONLINE, cal);
	assert_int_equal(q.unit, MC_DUE_WORKING_HOURS);
	assert_int_equal(q.amount, 12);
	p = (struct mc_period){ 1, MC_DUE_MONTHS };
	q = mc_lc_period(p, 20, MC_CH_ONLINE, cal);
	assert_int_equal(q.unit, MC_DUE_DAYS);
	assert_int_equal(q.amount, 24);
	p = (struct mc_period){ 15, MC_DUE_DAYS };
	q = mc_lc_period(p, 20, MC_CH_ONLINE, cal);
	assert_int_equal(q.amount, 12);

	/* Receipt after the 15:00 cut-off counts from the next morning. */
	p = (struct mc_period){ 5, MC_DUE_WORKING_DAYS };
	assert_int_equal(mc_lc_due(cal, p, at("2026-03-02T15:30:00+07:00"),
				   &received, &due, &err), 0);
	assert_string_equal(local(received), "2026-03-03T07:30:00+07:00");
	assert_string_equal(local(due), "2026-03-10T17:00:00+07:00");
	/* Across Reunification Day and Labour Day 2026 (Thu 30/4, Fri 1/5). */
	assert_int_equal(mc_lc_due(cal, p, at("2026-04-28T09:00:00+07:00"),
				   &received, &due, &err), 0);
	assert_string_equal(local(due), "2026-05-07T17:00:00+07:00");
}

static void test_step_dues(void **state)
{
	static const int shares[] = { 10, 60, 20, 10 };
	int64_t out[4];
	struct mc_err err = MC_ERR_INIT;
	int64_t r = at("2026-03-02T09:00:00+07:00");
	int64_t d = at("2026-03-09T17:00:00+07:00");

	(void)state;
	assert_int_equal(mc_lc_step_dues(cal, r, d, shares, 4, out, &err), 0);
	/* 43 h 30 min of working time: 10 % is 4 h 21 min. */
	assert_string_equal(local(out[0]), "2026-03-02T15:21:00+07:00");
	/* 70 % is 30 h 27 min: 6 h Monday, 22 h 30 min to Thursday's
	 * close, 1 h 57 min of Friday 6 March. */
	assert_string_equal(local(out[1]), "2026-03-06T09:27:00+07:00");
	assert_string_equal(local(out[3]), "2026-03-09T17:00:00+07:00");
	assert_true(out[0] < out[1] && out[1] < out[2] && out[2] < out[3]);
	assert_int_equal(mc_cal_working_seconds(cal, r, out[2], NULL, 0),
			 (43 * 3600 + 1800) * 90 / 100);
}

static void test_timeliness(void **state)
{
	struct mc_tl_facts f = {
		MC_ST_RESULT_READY, at("2026-03-09T17:00:00+07:00"),
		at("2026-03-06T10:00:00+07:00"), MC_NO_TIME, 0
	};
	int64_t now = at("2026-03-10T09:00:00+07:00");

	(void)state;
	assert_int_equal(mc_lc_timeliness(&f, now), MC_TL_EARLY);
	f.finished = at("2026-03-09T16:59:00+07:00");
	assert_int_equal(mc_lc_timeliness(&f, now), MC_TL_ON_TIME);
	f.finished = at("2026-03-09T17:00:01+07:00");
	assert_int_equal(mc_lc_timeliness(&f, now), MC_TL_LATE);
	/* A second supplement request makes a dossier late. */
	f.finished = at("2026-03-06T10:00:00+07:00");
	f.supplements = 2;
	assert_int_equal(mc_lc_timeliness(&f, now), MC_TL_LATE);
	/* Open dossiers, as of now. */
	f = (struct mc_tl_facts){ MC_ST_PROCESSING,
		at("2026-03-09T17:00:00+07:00"), MC_NO_TIME, MC_NO_TIME, 0 };
	assert_int_equal(mc_lc_timeliness(&f, at("2026-03-09T16:00:00+07:00")),
			 MC_TL_WITHIN);
	assert_int_equal(mc_lc_timeliness(&f, now), MC_TL_OVERDUE);
	/* Waiting for the applicant: judged at the request. */
	f.status = MC_ST_AWAITING_SUPPLEMENT;
	f.supplement_requested = at("2026-03-03T10:00:00+07:00");
	assert_int_equal(mc_lc_timeliness(&f, now), MC_TL_WITHIN);
	/* Not received yet: no timeliness. */
	f.status = MC_ST_SUBMITTED;
	assert_int_equal(mc_lc_timeliness(&f, now), MC_TL_NONE);
	assert_string_equal(mc_tl_name(MC_TL_WITHIN), "within_deadline");
	assert_int_equal(mc_tl_parse("overdue"), MC_TL_OVERDUE);
}

static void test_event_hash(void **state)
{
	struct mc_event_fields e = {
		"000.00.01.H51-260302-0001", 1, "2026-03-02T02:00:00Z",
		"tiepnhan", "intake", "", "received", "", "channel=direct"
	};
	char h1[65], h2[65], h3[65];

	(void)state;
	mc_event_hash(mc_event_genesis, &e, h1);
	assert_int_equal(strlen(h1), 64);
	mc_event_hash(mc_event_genesis, &e, h2);
	assert_string_equal(h1, h2);
	/* Every field and the previous hash count. */
	e.note = "x";
	mc_event_hash(mc_event_genesis, &e, h2);
	assert_string_not_equal(h1, h2);
	e.note = "";
	mc_event_hash(h1, &e, h3);
	assert_string_not_equal(h1, h3);
	/* Fields cannot run into each other: "ab"+"" is not "a"+"b". */
	e.note = "ab";
	e.detail = "";
	mc_event_hash(mc_event_genesis, &e, h2);
	e.note = "a";
	e.detail = "b";
	mc_event_hash(mc_event_genesis, &e, h3);
	assert_string_not_equal(h2, h3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_where_actions_lead),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_step_dues),
		cmocka_unit_test(test_timeliness),
		cmocka_unit_test(test_event_hash),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
