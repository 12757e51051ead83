/*
 * test_text.c — text and identifiers: NFC normalization and search keys
 * (src/core/fold.c), personal IDs, tax codes, phone numbers and e-mail
 * addresses (src/domain/ident.c).
 */
#include "core/compat.h"
#include "harness/harness.h"

#include "core/err.h"
#include "core/fold.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "domain/ident.h"
#include "jobs/mail.h"

/* Asserts that mc_text_nfc(s) is 'want' (NULL: rejected). */
static void check_nfc(int line, const char *s, size_t len, const char *want)
{
	char *got = mc_text_nfc(s, len);

	if (want && (!got || strcmp(got, want) != 0)) {
		print_error("line %d: nfc gave '%s', expected '%s'\n", line,
			    got ? got : "(null)", want);
		fail();
	}
	if (!want && got) {
		print_error("line %d: nfc gave '%s', expected NULL\n", line,
			    got);
		fail();
	}
	mc_free(got);
}

/* Asserts that mc_text_fold(s) is 'want' (NULL: rejected). */
static void check_fold(int line, const char *s, size_t len, const char *want)
{
	char *got = mc_text_fold(s, len);

	if (want && (!got || strcmp(got, want) != 0)) {
		print_error("line %d: fold gave '%s', expected '%s'\n", line,
			    got ? got : "(null)", want);
		fail();
	}
	if (!want && got) {
		print_error("line %d: fold gave '%s', expected NULL\n", line,
			    got);
		fail();
	}
	mc_free(got);
}

#define NFC(s, want) check_nfc(__LINE__, s, MC_STRLEN(s), want)
#define FOLD(s, want) check_fold(__LINE__, s, MC_STRLEN(s), want)

/*
 * Asserts that a check returned 'code' and filled 'err' with 'field' and
 * 'rule' and a message; then clears 'err' for the next check.
 */
static void check_rejected(int line, int rc, struct mc_err *err, int code,
			   const char *field, const char *rule)
{
	if (rc != code || err->code != code || err->nfields != 1 ||
	    strcmp(err->fields[0].field, field) != 0 ||
	    strcmp(err->fields[0].rule, rule) != 0 ||
	    !err->fields[0].message[0] || !err->message[0]) {
		print_error("line %d: expected %d %s/%s, got %d (code %d) "
			    "%s/%s: %s\n", line, code, field, rule, rc,
			    err->code, err->nfields ? err->fields[0].field : "",
			    err->nfields ? err->fields[0].rule : "",
			    err->message);
		fail();
	}
	mc_err_clear(err);
}

/* Asserts that a check passed and left 'err' untouched. */
static void check_accepted(int line, int rc, const struct mc_err *err)
{
	if (rc != 0 || err->code != 0 || err->nfields != 0) {
		print_error("line %d: expected success, got %d: %s\n", line,
			    rc, err->message);
		fail();
	}
}

#define REJECTED(rc, err, field, rule) \
	check_rejected(__LINE__, rc, err, MC_EINVAL, field, rule)
#define ACCEPTED(rc, err) check_accepted(__LINE__, rc, err)

static void test_nfc(void **state)
{
	(void)state;
	/* "Nguyễn" with ễ as e + U+0302 circumflex + U+0303 tilde. */
	NFC("Nguye\xcc\x82\xcc\x83n", "Nguyễn");
	/* Marks in the other canonical order compose the same way. */
	NFC("Vie\xcc\xa3\xcc\x82t", "Việt");
	NFC("Vie\xcc\x82\xcc\xa3t", "Việt");
	/* "Đức" with ư as u + U+031B horn and ́ as U+0301. */
	NFC("\xc4\x90u\xcc\x9b\xcc\x81" "c", "Đức");
	/* Already NFC: unchanged; compatibility forms are kept. */
	NFC("Thừa Thiên Huế", "Thừa Thiên Huế");
	NFC("\xef\xbc\xa8\xef\xbc\xa3\xef\xbc\xad", "ＨＣＭ");
	NFC("", "");
	/* Invalid UTF-8 and NUL bytes are refused. */
	NFC("\xff", NULL);
	NFC("ab\xc3", NULL);
	NFC("\xc0\x80", NULL);			/* overlong */
	NFC("\xed\xa0\x80", NULL);		/* surrogate */
	NFC("a\0b", NULL);
	/* Only 'len' bytes are read. */
	check_nfc(__LINE__, "Huế\xff", strlen("Huế"), "Huế");
}

static void test_fold(void **state)
{
	(void)state;
	FOLD("Nguyễn Văn Đức", "nguyen van duc");
	FOLD("  Cấp  Phiếu lý lịch\ttư pháp ", "cap phieu ly lich tu phap");
	FOLD("ĐỒNG", "dong");
	FOLD("Thừa Thiên Huế", "thua thien hue");
	FOLD("đường Ơ Ư ơ ư", "duong o u o u");
	/* Decomposed input gives the same key as precomposed. */
	FOLD("Nguye\xcc\x82\xcc\x83n Va\xcc\x86n \xc4\x90u\xcc\x9b\xcc\x81" "c",
	     "nguyen van duc");
	/* Ð (U+00D0, eth) typed for Đ. */
	FOLD("\xc3\x90\xe1\xbb\x93ng Nai", "dong nai");
	/* Line breaks, no-break, punctuation and ideographic spaces. */
	FOLD("a\r\n\xc2\xa0" "b\xe2\x80\x88" "c\xe3\x80\x80" "d\v", "a b c d");
	/* Full-width letters, soft hyphen, zero-width space, controls. */
	FOLD("\xef\xbc\xa8\xef\xbc\xa3\xef\xbc\xad", "hcm");
	FOLD("th\xc2\xad\xe1\xbb\xa7 t\xe1\xbb\xa5\xe2\x80\x8b" "c", "thu tuc");
	FOLD("a\x01" "b\0c", "abc");
	/* Punctuation stays. */
	FOLD("Số 12/2024/NĐ-CP", "so 12/2024/nd-cp");
	FOLD("", "");
	FOLD(" \t\n ", "");
	/* Invalid UTF-8. */
	FOLD("Hu\xe1\xbb", NULL);
	FOLD("\xff" "abc", NULL);
	FOLD("\xed\xa0\x80", NULL);
}

static void test_fold_match(void **state)
{
	const char *hay = "cap phieu ly lich tu phap";

	(void)state;
	assert_true(mc_text_fold_match(hay, "cap phieu ly lich"));
	assert_true(mc_text_fold_match(hay, "ly lich cap"));
	assert_true(mc_text_fold_match(hay, "phieu"));
	assert_true(mc_text_fold_match(hay, "phi"));	/* a prefix */
	assert_true(mc_text_fold_match(hay, "  tu   phap "));
	assert_true(mc_text_fold_match(hay, ""));
	assert_true(mc_text_fold_match(hay, "   "));
	assert_true(mc_text_fold_match(hay, hay));
	assert_false(mc_text_fold_match(hay, "cap phieu ly lich tu phap x"));
	assert_false(mc_text_fold_match(hay, "dang ky"));
	assert_false(mc_text_fold_match(hay, "cap giay"));
	assert_false(mc_text_fold_match(hay, "phapp"));
	assert_false(mc_text_fold_match("", "cap"));
	assert_true(mc_text_fold_match("", ""));
}

/* Folding a query and a title, then matching, end to end. */
static void test_fold_search(void **state)
{
	char *title = mc_text_fold("Cấp Phiếu lý lịch tư pháp",
				   strlen("Cấp Phiếu lý lịch tư pháp"));
	char *q1 = mc_text_fold("LÝ LỊCH", strlen("LÝ LỊCH"));
	char *q2 = mc_text_fold("ly lich  tu", strlen("ly lich  tu"));
	char *q3 = mc_text_fold("khai sinh", strlen("khai sinh"));

	(void)state;
	assert_true(mc_text_fold_match(title, q1));
	assert_true(mc_text_fold_match(title, q2));
	assert_false(mc_text_fold_match(title, q3));
	mc_free(title);
	mc_free(q1);
	mc_free(q2);
	mc_free(q3);
}

static void test_pid(void **state)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_pid_info info = { 0, 0, 0 };
	int32_t today = mc_days_from_ymd(2026, 1, 15);

	(void)state;
	ACCEPTED(mc_pid_check("id_number", "051095012345", today, &info,
			      &err), &err);
	assert_int_equal(info.birth_year, 1995);
	assert_int_equal(info.sex, 'M');
	assert_int_equal(info.province, 51);		/* Quảng Ngãi */
	ACCEPTED(mc_pid_check("id_number", "001195000001", today, &info,
			      &err), &err);
	assert_int_equal(info.birth_year, 1995);
	assert_int_equal(info.sex, 'F');
	assert_int_equal(info.province, 1);		/* Hà Nội */
	ACCEPTED(mc_pid_check("id_number", "079303001234", today, &info,
			      &err), &err);
	assert_int_equal(info.birth_year, 2003);
	assert_int_equal(info.sex, 'F');
	assert_int_equal(info.province, 79);		/* TP Hồ Chí Minh */
	ACCEPTED(mc_pid_check("id_number", "096200123456", today, &info,
			      &err), &err);
	assert_int_equal(info.birth_year, 2000);
	assert_int_equal(info.sex, 'M');
	/* Born this year; 'info' may be NULL. */
	ACCEPTED(mc_pid_check("id_number", "001226000001", today, NULL, &err),
		 &err);
	ACCEPTED(mc_pid_check("id_number", "001000000001", today, &info, &err),
		 &err);
	assert_int_equal(info.birth_year, 1900);

	/* Rule "format": 12 ASCII digits exactly. */
	REJECTED(mc_pid_check("id_number", "05109501234", today, NULL, &err),
		 &err, "id_number", "format");
	REJECTED(mc_pid_check("id_number", "0510950123456", today, NULL,
			      &err), &err, "id_number", "format");
	REJECTED(mc_pid_check("id_number", "05109501234a", today, NULL, &err),
		 &err, "id_number", "format");
	REJECTED(mc_pid_check("id_number", "051 95012345", today, NULL, &err),
		 &err, "id_number", "format");
	REJECTED(mc_pid_check("id_number", "", today, NULL, &err), &err,
		 "id_number", "format");
	/* Arabic-Indic digits are not ASCII digits. */
	REJECTED(mc_pid_check("id_number", "\xd9\xa0\xd9\xa5\xd9\xa1"
			      "095012345", today, NULL, &err), &err,
		 "id_number", "format");

	/* Rule "province": the 63 codes, nothing in between. */
	REJECTED(mc_pid_check("id_number", "003095012345", today, NULL, &err),
		 &err, "id_number", "province");
	REJECTED(mc_pid_check("id_number", "000095012345", today, NULL, &err),
		 &err, "id_number", "province");
	REJECTED(mc_pid_check("id_number", "097095012345", today, NULL, &err),
		 &err, "id_number", "province");
	REJECTED(mc_pid_check("id_number", "100095012345", today, NULL, &err),
		 &err, "id_number", "province");
	REJECTED(mc_pid_check("id_number", "050095012345", today, NULL, &err),
		 &err, "id_number", "province");

	/* Rule "birth_year": not after this year. */
	REJECTED(mc_pid_check("id_number", "001230012345", today, NULL, &err),
		 &err, "id_number", "birth_year");
	REJECTED(mc_pid_check("id_number", "001227012345", today, NULL, &err),
		 &err, "id_number", "birth_year");
	REJECTED(mc_pid_check("id_number", "001400012345", today, NULL, &err),
		 &err, "id_number", "birth_year");
	REJECTED(mc_pid_check("id_number", "001900012345", today, NULL, &err),
		 &err, "id_number", "birth_year");
	ACCEPTED(mc_pid_check("id_number", "001230012345",
			      mc_days_from_ymd(2030, 1, 1), &info, &err), &err);
	assert_int_equal(info.birth_year, 2030);
}

static void test_tax_code(void **state)
{
	struct mc_err err = MC_ERR_INIT;

	(void)state;
	/* Real codes. */
	ACCEPTED(mc_tax_code_check("tax_code", "0100109106", &err), &err);
	ACCEPTED(mc_tax_code_check("tax_code", "0100100079", &err), &err);
	ACCEPTED(mc_tax_code_check("tax_code", "0300588569", &err), &err);
	ACCEPTED(mc_tax_code_check("tax_code", "0100112437", &err), &err);
	/* Remainder 10 gives check digit 0 (a made-up code). */
	ACCEPTED(mc_tax_code_check("tax_code", "1001091040", &err), &err);
	/* Dependent units and personal IDs. */
	ACCEPTED(mc_tax_code_check("tax_code", "0100109106-001", &err), &err);
	ACCEPTED(mc_tax_code_check("tax_code", "0300588569-999", &err), &err);
	ACCEPTED(mc_tax_code_check("tax_code", "051095012345", &err), &err);

	/* Rule "check_digit". */
	REJECTED(mc_tax_code_check("tax_code", "0100109105", &err), &err,
		 "tax_code", "check_digit");
	REJECTED(mc_tax_code_check("tax_code", "0100109160", &err), &err,
		 "tax_code", "check_digit");
	REJECTED(mc_tax_code_check("tax_code", "0100109105-001", &err), &err,
		 "tax_code", "check_digit");
	/* Remainder 0: no check digit can be right. */
	REJECTED(mc_tax_code_check("tax_code", "1001091080", &err), &err,
		 "tax_code", "check_digit");
	REJECTED(mc_tax_code_check("tax_code", "1001091081", &err), &err,
		 "tax_code", "check_digit");

	/* Rule "format". */
	REJECTED(mc_tax_code_check("tax_code", "010010910", &err), &err,
		 "tax_code", "format");
	REJECTED(mc_tax_code_check("tax_code", "010010910A", &err), &err,
		 "tax_code", "format");
	REJECTED(mc_tax_code_check("tax_code", "0100109106001", &err), &err,
		 "tax_code", "format");
	REJECTED(mc_tax_code_check("tax_code", "0100109106-01", &err), &err,
		 "tax_code", "format");
	REJECTED(mc_tax_code_check("tax_code", "0100109106-000", &err), &err,
		 "tax_code", "format");
	REJECTED(mc_tax_code_check("tax_code", "0100109106_001", &err), &err,
		 "tax_code", "format");
	REJECTED(mc_tax_code_check("tax_code", "003095012345", &err), &err,
		 "tax_code", "format");
	REJECTED(mc_tax_code_check("tax_code", " 0100109106", &err), &err,
		 "tax_code", "format");
	REJECTED(mc_tax_code_check("tax_code", "", &err), &err, "tax_code",
		 "format");
}

/* Asserts that phone number 's' is accepted and normalized to 'want'. */
static void check_phone(int line, const char *s, const char *want)
{
	struct mc_err err = MC_ERR_INIT;
	char norm[MC_PHONE_NORM_SIZE];

	check_accepted(line, mc_phone_check("phone", s, norm, sizeof(norm),
					    &err), &err);
	if (strcmp(norm, want) != 0) {
		print_error("line %d: '%s' normalized to '%s', expected "
			    "'%s'\n", line, s, norm, want);
		fail();
	}
}

#define PHONE(s, want) check_phone(__LINE__, s, want)

static void test_phone(void **state)
{
	struct mc_err err = MC_ERR_INIT;
	char norm[MC_PHONE_NORM_SIZE] = "x";

	(void)state;
	PHONE("0912345678", "0912345678");
	PHONE("+84 912 345 678", "0912345678");
	PHONE("+84912345678", "0912345678");
	PHONE("84912345678", "0912345678");
	PHONE("+84 (0) 912.345.678", "0912345678");
	PHONE("0912-345-678", "0912345678");
	PHONE("0321 234 567", "0321234567");
	PHONE("056 123 4567", "0561234567");
	PHONE("0701234567", "0701234567");
	PHONE("0861234567", "0861234567");
	/* Landlines: 02 and ten more digits. */
	PHONE("(024) 3825 1234", "02438251234");
	PHONE("+84 24 3825 1234", "02438251234");
	PHONE("842438251234", "02438251234");
	PHONE("028.3829.1234", "02838291234");
	/* Validation alone. */
	ACCEPTED(mc_phone_check("phone", "0912345678", NULL, 0, &err), &err);

	/* Rule "format". */
	REJECTED(mc_phone_check("phone", "0212345678", norm, sizeof(norm),
				&err), &err, "phone", "format");
	assert_string_equal(norm, "");
	REJECTED(mc_phone_check("phone", "091234567", norm, sizeof(norm),
				&err), &err, "phone", "format");
	REJECTED(mc_phone_check("phone", "09123456789", norm, sizeof(norm),
				&err), &err, "phone", "format");
	REJECTED(mc_phone_check("phone", "912345678", norm, sizeof(norm),
				&err), &err, "phone", "format");
	REJECTED(mc_phone_check("phone", "0912x45678", norm, sizeof(norm),
				&err), &err, "phone", "format");
	REJECTED(mc_phone_check("phone", "0912+345678", norm, sizeof(norm),
				&err), &err, "phone", "format");
	REJECTED(mc_phone_check("phone", "", norm, sizeof(norm), &err), &err,
		 "phone", "format");
	REJECTED(mc_phone_check("phone", " - ", norm, sizeof(norm), &err),
		 &err, "phone", "format");
	REJECTED(mc_phone_check("phone", "0", norm, sizeof(norm), &err), &err,
		 "phone", "format");
	REJECTED(mc_phone_check("phone", "091234567890123456", norm,
				sizeof(norm), &err), &err, "phone", "format");
	REJECTED(mc_phone_check("phone", "1900 1234", norm, sizeof(norm),
				&err), &err, "phone", "format");

	/* Rule "prefix". */
	REJECTED(mc_phone_check("phone", "0112345678", norm, sizeof(norm),
				&err), &err, "phone", "prefix");
	REJECTED(mc_phone_check("phone", "0412345678", norm, sizeof(norm),
				&err), &err, "phone", "prefix");
	REJECTED(mc_phone_check("phone", "+1 202 555 0100", norm,
				sizeof(norm), &err), &err, "phone", "prefix");
	REJECTED(mc_phone_check("phone", "+8", norm, sizeof(norm), &err),
		 &err, "phone", "prefix");

	/* A buffer too small for the result is the caller's bug. */
	assert_int_equal(mc_phone_check("phone", "0912345678", norm, 11,
					&err), MC_ETOOBIG);
	assert_int_equal(err.code, MC_ETOOBIG);
	assert_int_equal(err.nfields, 0);
}

static void test_email(void **state)
{
	struct mc_err err = MC_ERR_INIT;
	char local[66], long_addr[260];

	(void)state;
	ACCEPTED(mc_email_check("email", "nguyen.van.a@gmail.com", &err),
		 &err);
	ACCEPTED(mc_email_check("email", "a@b.vn", &err), &err);
	ACCEPTED(mc_email_check("email", "vp.ubnd+mc@hanoi.gov.vn", &err),
		 &err);
	ACCEPTED(mc_email_check("email", "lan@bộ-tư-pháp.vn", &err), &err);

	memset(local, 'a', 64);
	local[64] = '\0';
	snprintf(long_addr, sizeof(long_addr), "%s@x.vn", local);
	ACCEPTED(mc_email_check("email", long_addr, &err), &err);
	local[64] = 'a';
	local[65] = '\0';
	snprintf(long_addr, sizeof(long_addr), "%s@x.vn", local);
	REJECTED(mc_email_check("email", long_addr, &err), &err, "email",
		 "format");
	/* 254 bytes in all is the most. */
	memset(long_addr, 'd', sizeof(long_addr));
	memcpy(long_addr, "a@", 2);
	memcpy(long_addr + 251, ".vn", 4);
	assert_int_equal(strlen(long_addr), 254);
	ACCEPTED(mc_email_check("email", long_addr, &err), &err);
	memset(long_addr, 'd', sizeof(long_addr));
	memcpy(long_addr, "a@", 2);
	memcpy(long_addr + 252, ".vn", 4);
	assert_int_equal(strlen(long_addr), 255);
	REJECTED(mc_email_check("email", long_addr, &err), &err, "email",
		 "format");

	REJECTED(mc_email_check("email", "", &err), &err, "email", "format");
	REJECTED(mc_email_check("email", "nobody", &err), &err, "email",
		 "format");
	REJECTED(mc_email_check("email", "a@b@c.vn", &err), &err, "email",
		 "format");
	REJECTED(mc_email_check("email", "@b.vn", &err), &err, "email",
		 "format");
	REJECTED(mc_email_check("email", "a@", &err), &err, "email",
		 "format");
	REJECTED(mc_email_check("email", "a@localhost", &err), &err, "email",
		 "format");
	REJECTED(mc_email_check("email", "nguyen van@b.vn", &err), &err,
		 "email", "format");
	REJECTED(mc_email_check("email", "a@b.vn ", &err), &err, "email",
		 "format");
	REJECTED(mc_email_check("email", "a\t@b.vn", &err), &err, "email",
		 "format");
	REJECTED(mc_email_check("email", "a@b..vn", &err), &err, "email",
		 "format");
	REJECTED(mc_email_check("email", "a@.b.vn", &err), &err, "email",
		 "format");
	REJECTED(mc_email_check("email", "a@b.vn.", &err), &err, "email",
		 "format");
	REJECTED(mc_email_check("email", "a@b_c.vn", &err), &err, "email",
		 "format");
	REJECTED(mc_email_check("email", "a@gmail,com", &err), &err, "email",
		 "format");
}

/* Mail crosses the network only encrypted (jobs/mail.c). */
static void test_mail_tls_required(void **state)
{
	(void)state;
	assert_true(mc_mail_tls_required("smtp://mail.quangngai.gov.vn:587"));
	assert_true(mc_mail_tls_required("smtps://mail.quangngai.gov.vn"));
	assert_true(mc_mail_tls_required("smtp://10.0.0.5:25"));
	assert_true(mc_mail_tls_required("smtp://user@mail.example.vn:25"));
	assert_true(mc_mail_tls_required("smtp://127.example.vn:25"));
	assert_true(mc_mail_tls_required("smtp://localhost.example.vn"));
	assert_false(mc_mail_tls_required("smtp://127.0.0.1:2525"));
	assert_false(mc_mail_tls_required("smtp://localhost:25"));
	assert_false(mc_mail_tls_required("smtp://[::1]:25"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_fold_match),
		cmocka_unit_test(test_fold_search),
		cmocka_unit_test(test_pid),
		cmocka_unit_test(test_tax_code),
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_mail_tls_required),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
