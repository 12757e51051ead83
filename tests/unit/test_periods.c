/*
 * test_periods.c — reporting periods (official cut-offs and calendar)
 * and the identities of Biểu 06 (domain/reports.c).
 */
#include "core/compat.h"
#include "harness/harness.h"

#include "core/timeutil.h"
#include "domain/reports.h"

static void expect(enum mc_period_kind k, int year, int index, int cutoff,
		   const char *first, const char *last)
{
	struct mc_err err = MC_ERR_INIT;
	int32_t f = 0, l = 0;
	char a[11], b[11];

	assert_int_equal(mc_period_days(k, year, index, cutoff, &f, &l, &err),
			 0);
	assert_string_equal(mc_date_format(f, a, sizeof(a)), first);
	assert_string_equal(mc_date_format(l, b, sizeof(b)), last);
}

static void test_periods(void **state)
{
	struct mc_err err = MC_ERR_INIT;
	int32_t f, l;

	(void)state;
	/* ND 09/2019: from the 15th of the month before to the 14th. */
	expect(MC_PERIOD_HALF, 2024, 1, 15, "2023-12-15", "2024-06-14");
	expect(MC_PERIOD_HALF, 2024, 2, 15, "2024-06-15", "2024-12-14");
	expect(MC_PERIOD_YEAR, 2024, 0, 15, "2023-12-15", "2024-12-14");
	expect(MC_PERIOD_QUARTER, 2024, 1, 15, "2023-12-15", "2024-03-14");
	expect(MC_PERIOD_QUARTER, 2024, 3, 15, "2024-06-15", "2024-09-14");
	expect(MC_PERIOD_MONTH, 2024, 3, 15, "2024-02-15", "2024-03-14");
	expect(MC_PERIOD_MONTH, 2024, 1, 15, "2023-12-15", "2024-01-14");
	/* Calendar periods, leap February included. */
	expect(MC_PERIOD_HALF, 2024, 1, 0, "2024-01-01", "2024-06-30");
	expect(MC_PERIOD_MONTH, 2024, 2, 0, "2024-02-01", "2024-02-29");
	expect(MC_PERIOD_MONTH, 2025, 2, 0, "2025-02-01", "2025-02-28");
	expect(MC_PERIOD_QUARTER, 2024, 4, 0, "2024-10-01", "2024-12-31");
	expect(MC_PERIOD_YEAR, 2024, 1, 0, "2024-01-01", "2024-12-31");
	/* Consecutive official periods meet without a gap or an overlap. */
	{
		int32_t f2, l1, i;

		for (i = 1; i < 12; i++) {
			assert_int_equal(mc_period_days(MC_PERIOD_MONTH, 2024, i,
				15, &f, &l1, &err), 0);
			assert_int_equal(mc_period_days(MC_PERIOD_MONTH, 2024,
				i + 1, 15, &f2, &l, &err), 0);
			assert_int_equal(f2, l1 + 1);
		}
	}
	/* Bad values name the field. */
	assert_int_equal(mc_period_days(MC_PERIOD_QUARTER, 2024, 5, 15, &f, &l,
					&err), MC_EINVAL);
	assert_string_equal(err.fields[0].field, "index");
	mc_err_clear(&err);
	assert_int_equal(mc_period_days(MC_PERIOD_HALF, 2024, 1, 1, &f, &l,
					&err), MC_EINVAL);
	assert_string_equal(err.fields[0].field, "cutoff");
	mc_err_clear(&err);
	assert_int_equal(mc_period_days(MC_PERIOD_YEAR, 1999, 1, 15, &f, &l,
					&err), MC_EINVAL);
	assert_string_equal(err.fields[0].field, "year");
	mc_err_clear(&err);
	assert_int_equal(mc_period_kind_parse("half"), MC_PERIOD_HALF);
	assert_int_equal(mc_period_kind_parse("week"), -1);
	assert_int_equal(mc_period_kind_parse(NULL), -1);
}

static void test_b06(void **state)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_b06 r = { .carried_over = 1, .online = 1,
			    .direct_postal = 4, .early = 2, .on_time = 1,
			    .late = 1, .returned = 1, .within_deadline = 1,
			    .overdue = 1 }, sum;

	(void)state;
	assert_int_equal(mc_b06_received(&r), 6);
	assert_int_equal(mc_b06_resolved(&r), 4);
	assert_int_equal(mc_b06_in_progress(&r), 2);
	assert_int_equal(mc_b06_check(&r, &err), 0);
	assert_int_equal(mc_b06_on_time_bp(&r), 7500);	/* 3 of 4 */
	memset(&sum, 0, sizeof(sum));
	mc_b06_add(&sum, &r);
	mc_b06_add(&sum, &r);
	assert_int_equal(mc_b06_received(&sum), 12);
	assert_int_equal(mc_b06_check(&sum, &err), 0);
	/* A count that does not add up is caught. */
	r.overdue = 2;
	assert_int_equal(mc_b06_check(&r, &err), MC_EINTERNAL);
	assert_non_null(strstr(err.message, "received 6"));
	mc_err_clear(&err);
	r.overdue = 1;
	r.returned = 5;
	assert_int_equal(mc_b06_check(&r, &err), MC_EINTERNAL);
	mc_err_clear(&err);
	/* Rates: two thirds, rounded; nothing resolved. */
	memset(&r, 0, sizeof(r));
	r.on_time = 2;
	r.late = 1;
	assert_int_equal(mc_b06_on_time_bp(&r), 6667);
	memset(&r, 0, sizeof(r));
	assert_int_equal(mc_b06_on_time_bp(&r), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_b06),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
