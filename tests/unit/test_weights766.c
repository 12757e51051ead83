/*
 * test_weights766.c — the 766 index's rules (domain/index766.c): the
 * defaults add up to the national group weights, the configuration is
 * read or refused whole, and scoring is linear up to the threshold.
 */
#include "core/compat.h"
#include "harness/harness.h"

#include "domain/index766.h"

static void test_defaults(void **state)
{
	struct mc_ix_weights w;
	int g, i, sum, all = 0;

	(void)state;
	mc_ix_weights_default(&w);
	/* Each group's indicators share exactly the group's points. */
	for (g = 0; g < MC_IX_GROUPS; g++) {
		for (sum = 0, i = 0; i < MC_IX_COUNT; i++)
			if (!strcmp(mc_ix_defs[i].group, mc_ix_groups[g].id))
				sum += w.weight[i];
		assert_int_equal(sum, mc_ix_groups[g].points);
		all += sum;
	}
	assert_int_equal(all, 10000);
	/* The thresholds DOMAIN.md §4 gives. */
	assert_int_equal(w.threshold[mc_ix_find("3.1")], 8000);
	assert_int_equal(w.threshold[mc_ix_find("3.3")], 5000);
	assert_int_equal(w.threshold[mc_ix_find("5.4")], 9000);
	assert_int_equal(w.threshold[mc_ix_find("4.3")], 8000);
	assert_int_equal(mc_ix_find("TTTT-b") >= 0, 1);
	assert_int_equal(mc_ix_find("6.1"), -1);
	assert_int_equal(mc_ix_part_find(mc_ix_find("5.3"), "repeated"), 2);
	assert_int_equal(mc_ix_part_find(mc_ix_find("5.3"), "numerator"), -1);
}

static void test_config(void **state)
{
	struct mc_ix_weights w, before;
	struct mc_err err = MC_ERR_INIT;
	const char *bad[] = { "4.3", "4.3=", "9.9=1", "4.3=101", "4.3=1.234",
			      "4.3=6:0", "4.3=6:100.5", "4.3=6x", "=4",
			      "4.3=6:50:1", "4.3=-1" };
	size_t k;

	(void)state;
	mc_ix_weights_default(&w);
	assert_int_equal(mc_ix_config_parse(&w, "index766", "", &err), 0);
	assert_int_equal(mc_ix_config_parse(&w, "index766",
		"  4.3=6:50 2.2=0   TTTT-a=2.5 1.4=0.05 ", &err), 0);
	assert_int_equal(w.weight[mc_ix_find("4.3")], 600);
	assert_int_equal(w.threshold[mc_ix_find("4.3")], 5000);
	assert_int_equal(w.weight[mc_ix_find("TTTT-a")], 250);
	assert_int_equal(w.threshold[mc_ix_find("TTTT-a")], 8000);
	assert_int_equal(w.weight[mc_ix_find("1.4")], 5);
	for (k = 0; k < MC_ARRAY_SIZE(bad); k++) {
		before = w;
		mc_err_clear(&err);
		if (mc_ix_config_parse(&w, "index766", bad[k], &err) !=
		    MC_EINVAL)
			fail_msg("accepted \"%s\"", bad[k]);
		assert_string_equal(err.fields[0].field, "index766");
		assert_memory_equal(&w, &before, sizeof(w));
	}
}

static struct mc_ix_score score(const char *id, int64_t num, int64_t den)
{
	struct mc_ix_weights w;
	struct mc_ix_count n = { true, den, num, { 0 } };
	struct mc_ix_score s;

	mc_ix_weights_default(&w);
	mc_ix_score(mc_ix_find(id), &n, &w, &s);
	return s;
}

static void test_score(void **state)
{
	struct mc_ix_weights w;
	struct mc_ix_count n;
	struct mc_ix_score s;

	(void)state;
	/* 3.1: 4 points, full from 80 %; 40 % gives half. */
	s = score("3.1", 2, 5);
	assert_int_equal(s.rate, 4000);
	assert_int_equal(s.points, 200);
	assert_int_equal(s.max, 400);
	s = score("3.1", 9, 10);
	assert_int_equal(s.points, 400);
	/* A third: 33.33 %; 2.1's 20 points × 1/3 = 6.67. */
	s = score("2.1", 1, 3);
	assert_int_equal(s.rate, 3333);
	assert_int_equal(s.points, 667);
	/* Nothing to count: not scored, out of the maximum. */
	s = score("2.1", 0, 0);
	assert_int_equal(s.rate, -1);
	assert_int_equal(s.points, -1);
	assert_int_equal(s.max, 0);
	/* 5.4: the denominator less its parts, never below 0. */
	mc_ix_weights_default(&w);
	memset(&n, 0, sizeof(n));
	n.available = true;
	n.denominator = 10;
	n.parts[0] = 1;
	n.parts[1] = 2;
	mc_ix_score(mc_ix_find("5.4"), &n, &w, &s);
	assert_int_equal(s.numerator, 7);
	assert_int_equal(s.rate, 7000);
	assert_int_equal(s.points, 467);	/* 6 × 70/90 */
	n.parts[0] = 9;
	mc_ix_score(mc_ix_find("5.4"), &n, &w, &s);
	assert_int_equal(s.numerator, 0);
	assert_int_equal(s.points, 0);
	/* Not available: no rate, no points, whatever the counts. */
	n.available = false;
	mc_ix_score(mc_ix_find("1.4"), &n, &w, &s);
	assert_int_equal(s.points, -1);
	/* 2.2 is an average: counted, never scored. */
	s = score("2.2", 30, 10);
	assert_int_equal(s.points, -1);
	assert_int_equal(s.numerator, 30);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_score),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
