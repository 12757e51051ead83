/*
 * test_vietqr.c — VietQR payloads (domain/vietqr.c): the CRC's published
 * check value, a real bank payload's CRC, building and reading back, and
 * the errors that name the field.
 */
#include "core/compat.h"
#include "harness/harness.h"

#include "domain/vietqr.h"

static void test_crc(void **state)
{
	/* CRC-16/CCITT-FALSE's check value, and a real payload (DOMAIN §10). */
	static const char real[] = "00020101021238530010A0000007270123000697"
		"043201091290057180208QRIBFTTA53037045802VN5920NGUYEN PHAM THUY "
		"LAN62390835Thanh toan don hang cho Bean Bakery6304";

	(void)state;
	assert_int_equal(mc_crc16_ccitt("123456789", 9), 0x29B1);
	assert_int_equal(mc_crc16_ccitt(real, strlen(real)), 0x3AA2);
}

static void test_build_and_read(void **state)
{
	struct mc_vietqr q, back;
	struct mc_err err = MC_ERR_INIT;
	char out[MC_VIETQR_MAX];

	(void)state;
	memset(&q, 0, sizeof(q));
	snprintf(q.bin, sizeof(q.bin), "970436");
	snprintf(q.account, sizeof(q.account), "0011001234567");
	q.amount = 150000;
	mc_vietqr_purpose("000.00.01.H51-260302-0001", q.purpose);
	assert_string_equal(q.purpose, "000.00.01.H51-260302-0001");
	snprintf(q.name, sizeof(q.name), "TRUNG TAM PVHCC QUANG NGAI");
	assert_int_equal(mc_vietqr_build(&q, out, sizeof(out), &err),
			 MC_EINVAL);	/* the name is 26 characters */
	assert_string_equal(err.fields[0].field, "name");
	mc_err_clear(&err);
	snprintf(q.name, sizeof(q.name), "TT PVHCC QUANG NGAI");
	assert_int_equal(mc_vietqr_build(&q, out, sizeof(out), &err), 0);
	/* Dynamic (12), the account under 38, VND, the amount, VN. */
	assert_true(!strncmp(out, "000201010212", 12));
	assert_non_null(strstr(out, "38570010A0000007270127000697043601130011"
			       "0012345670208QRIBFTTA"));
	assert_non_null(strstr(out, "5303704540615000058" "02VN"));
	assert_non_null(strstr(out, "62290825000.00.01.H51-260302-0001"));
	assert_int_equal(mc_vietqr_parse(out, &back, &err), 0);
	assert_string_equal(back.bin, "970436");
	assert_string_equal(back.account, "0011001234567");
	assert_int_equal(back.amount, 150000);
	assert_string_equal(back.purpose, q.purpose);
	assert_string_equal(back.name, "TT PVHCC QUANG NGAI");
	/* A changed character breaks the CRC. */
	out[40] = out[40] == '1' ? '2' : '1';
	assert_int_equal(mc_vietqr_parse(out, &back, &err), MC_EINVAL);
	assert_string_equal(err.fields[0].rule, "crc");
	mc_err_clear(&err);
	/* Static: no amount. */
	q.amount = 0;
	assert_int_equal(mc_vietqr_build(&q, out, sizeof(out), &err), 0);
	assert_true(!strncmp(out, "000201010211", 12));
	assert_null(strstr(out, "5406"));
}

static void test_errors(void **state)
{
	struct mc_vietqr q;
	struct mc_err err = MC_ERR_INIT;
	char out[MC_VIETQR_MAX];

	(void)state;
	memset(&q, 0, sizeof(q));
	snprintf(q.bin, sizeof(q.bin), "97043");
	snprintf(q.account, sizeof(q.account), "12 34");
	snprintf(q.purpose, sizeof(q.purpose), "Lệ phí");
	q.amount = -1;
	assert_int_equal(mc_vietqr_build(&q, out, sizeof(out), &err),
			 MC_EINVAL);
	assert_int_equal(err.nfields, 4);
	assert_int_equal(mc_vietqr_parse("hello", &q, &err), MC_EINVAL);
}

/* Dossier codes in bank statements' descriptions, however mangled. */
static void test_find_code(void **state)
{
	static const struct {
		const char *text, *code;
	} cases[] = {
		{ "000.00.01.H51-260302-0001", "000.00.01.H51-260302-0001" },
		{ "CT 000.00.01.H51-260302-0001 NGUYEN VAN A CHUYEN TIEN",
		  "000.00.01.H51-260302-0001" },
		{ "MBVCB.123.0000001H512603020042.tt le phi",
		  "000.00.01.H51-260302-0042" },		/* glued */
		{ "000 00 01 h51 260302 0007", "000.00.01.H51-260302-0007" },
		{ "0000001H51260302001", NULL },		/* 11 after */
		{ "000000H512603020001", NULL },		/* 6 before */
		{ "nop phi ho so", NULL },
		{ "", NULL },
	};
	char out[32];
	size_t i;

	(void)state;
	for (i = 0; i < MC_ARRAY_SIZE(cases); i++) {
		bool found = mc_vietqr_find_code(cases[i].text, out);

		if (found != (cases[i].code != NULL) ||
		    (found && strcmp(out, cases[i].code)))
			fail_msg("\"%s\": got %s", cases[i].text,
				 found ? out : "nothing");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc),
		cmocka_unit_test(test_build_and_read),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_find_code),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
