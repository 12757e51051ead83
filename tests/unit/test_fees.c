/*
 * test_fees.c — amounts of fees (domain/fees.c): the online discount to
 * the dong, and amounts in Vietnamese words as a receipt writes them.
 */
#include "core/compat.h"
#include "harness/harness.h"

#include "domain/fees.h"

static void test_discount(void **state)
{
	(void)state;
	assert_int_equal(mc_fee_discounted(150000, 50), 75000);
	assert_int_equal(mc_fee_discounted(25001, 50), 12501);
	assert_int_equal(mc_fee_discounted(100000, 0), 100000);
	assert_int_equal(mc_fee_discounted(100000, 100), 0);
	assert_int_equal(mc_fee_discounted(33333, 30), 23333);
}

static void test_words(void **state)
{
	static const struct {
		int64_t v;
		const char *words;
	} cases[] = {
		{ 0, "Không đồng" },
		{ 5, "Năm đồng" },
		{ 10, "Mười đồng" },
		{ 15, "Mười lăm đồng" },
		{ 21, "Hai mươi mốt đồng" },
		{ 24, "Hai mươi tư đồng" },
		{ 11, "Mười một đồng" },
		{ 25, "Hai mươi lăm đồng" },
		{ 101, "Một trăm lẻ một đồng" },
		{ 105, "Một trăm lẻ năm đồng" },
		{ 1010, "Một nghìn không trăm mười đồng" },
		{ 1000001, "Một triệu không trăm lẻ một đồng" },
		{ 1000000000, "Một tỷ đồng" },
		{ 1000000000000LL, "Một nghìn tỷ đồng" },
		{ 999999999999999LL, "Chín trăm chín mươi chín nghìn tỷ chín "
		  "trăm chín mươi chín tỷ chín trăm chín mươi chín triệu chín "
		  "trăm chín mươi chín nghìn chín trăm chín mươi chín đồng" },
		{ 1005, "Một nghìn không trăm lẻ năm đồng" },
		{ 150000, "Một trăm năm mươi nghìn đồng" },
		{ 1000000, "Một triệu đồng" },
		{ 1250000, "Một triệu hai trăm năm mươi nghìn đồng" },
		{ 40000000000LL, "Bốn mươi tỷ đồng" },
		{ 2000005000LL, "Hai tỷ không trăm lẻ năm nghìn đồng" },
	};
	char buf[256];
	size_t i;

	(void)state;
	for (i = 0; i < MC_ARRAY_SIZE(cases); i++)
		assert_string_equal(mc_fee_words(cases[i].v, buf, sizeof(buf)),
				    cases[i].words);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_discount),
		cmocka_unit_test(test_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
