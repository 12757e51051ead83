/*
 * test_portalcodes.c — the national portal's codes (domain/portal.c):
 * every motcua status has its TrangThaiHoSo, channels, applicant kinds,
 * and instants written and read back in Vietnam time, bad ones refused.
 */
#include "core/compat.h"
#include "harness/harness.h"

#include "core/timeutil.h"
#include "domain/portal.h"
#include "store/store.h"

static void test_statuses(void **state)
{
	static const int want[MC_ST_COUNT] = {
		[MC_ST_SUBMITTED] = 1, [MC_ST_RECEIVED] = 2,
		[MC_ST_PROCESSING] = 4, [MC_ST_AWAITING_SUPPLEMENT] = 5,
		[MC_ST_RESULT_READY] = 9, [MC_ST_RETURNED] = 10,
		[MC_ST_REFUSED] = 3, [MC_ST_WITHDRAWN] = 7,
		[MC_ST_STOPPED] = 8, [MC_ST_AWAITING_PAYMENT] = 6,
	};
	bool seen[11] = { false };
	int s;

	(void)state;
	for (s = 0; s < MC_ST_COUNT; s++) {
		int ps = (int)mc_portal_status((enum mc_status)s);

		assert_int_equal(ps, want[s]);
		assert_false(seen[ps]);	/* one portal status each */
		seen[ps] = true;
	}
	assert_string_equal(mc_portal_status_label(4), "Đang xử lý");
	assert_string_equal(mc_portal_status_label(10), "Đã trả kết quả");
	assert_string_equal(mc_portal_status_label(11), "");
	assert_int_equal(mc_portal_channel(MC_CH_DIRECT), 1);
	assert_int_equal(mc_portal_channel(MC_CH_ONLINE), 2);
	assert_int_equal(mc_portal_channel(MC_CH_POSTAL), 3);
	assert_int_equal(mc_portal_applicant("person"), 1);
	assert_int_equal(mc_portal_applicant("organization"), 2);
	assert_int_equal(mc_portal_return("postal"), 1);
	assert_int_equal(mc_portal_return("counter"), 0);
}

static void test_instants(void **state)
{
	char s[15];
	int64_t t;

	(void)state;
	/* 01:30 UTC on 1 January is 08:30 in Vietnam; 20:00 UTC the next day. */
	t = mc_store_time_parse("2024-01-01T01:30:05Z");
	mc_portal_time(t, s);
	assert_string_equal(s, "20240101083005");
	assert_int_equal(mc_portal_time_parse(s), t);
	t = mc_store_time_parse("2024-12-31T20:00:00Z");
	mc_portal_time(t, s);
	assert_string_equal(s, "20250101030000");
	assert_int_equal(mc_portal_time_parse(s), t);
	assert_int_equal(mc_portal_time_parse("20240230120000"), MC_NO_TIME);
	assert_int_equal(mc_portal_time_parse("2024010108300"), MC_NO_TIME);
	assert_int_equal(mc_portal_time_parse("20240101246000"), MC_NO_TIME);
	assert_int_equal(mc_portal_time_parse("2024-01-01T08"), MC_NO_TIME);
	assert_int_equal(mc_portal_time_parse(NULL), MC_NO_TIME);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_statuses),
		cmocka_unit_test(test_instants),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
