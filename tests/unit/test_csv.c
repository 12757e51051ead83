/*
 * test_csv.c — CSV records read in place (core/csv.c): quoting, doubled
 * quotes, line breaks inside quotes, CRLF, a byte order mark, empty
 * lines, and the errors with the line they are on.
 */
#include "core/compat.h"
#include "harness/harness.h"
#include "core/buf.h"
#include "core/csv.h"
#include "api/reports.h"

/* Reads 'text' (copied, with the byte after it) record by record. */
struct reader {
	char *copy;
	struct mc_csv csv;
	char *f[8];
};

static void open_text(struct reader *r, const char *text)
{
	size_t n = strlen(text);

	r->copy = malloc(n + 1);
	memcpy(r->copy, text, n + 1);
	mc_csv_init(&r->csv, r->copy, n);
}

static void test_records(void **state)
{
	struct reader r;

	(void)state;
	open_text(&r, "\xEF\xBB\xBFtransaction_id,reference,amount\r\n"
		  "GW-1,\"000.00.01.H51-260302-0001-1\",150000\r\n"
		  "\r\n"
		  "\"GW-2\",\"Nộp \"\"lệ phí\"\", hai dòng\nnữa\",75000\n"
		  "GW-3,,\n"
		  "GW-4,x,1");
	assert_int_equal(mc_csv_next(&r.csv, r.f, 8), 3);
	assert_int_equal(r.csv.line, 1);
	assert_string_equal(r.f[0], "transaction_id");
	assert_string_equal(r.f[2], "amount");
	assert_int_equal(mc_csv_next(&r.csv, r.f, 8), 3);
	assert_int_equal(r.csv.line, 2);
	assert_string_equal(r.f[1], "000.00.01.H51-260302-0001-1");
	assert_string_equal(r.f[2], "150000");
	assert_int_equal(mc_csv_next(&r.csv, r.f, 8), 3);
	assert_int_equal(r.csv.line, 4);	/* the empty line skipped */
	assert_string_equal(r.f[0], "GW-2");
	assert_string_equal(r.f[1], "Nộp \"lệ phí\", hai dòng\nnữa");
	assert_string_equal(r.f[2], "75000");
	assert_int_equal(mc_csv_next(&r.csv, r.f, 8), 3);
	assert_int_equal(r.csv.line, 6);	/* after the line in quotes */
	assert_string_equal(r.f[0], "GW-3");
	assert_string_equal(r.f[1], "");
	assert_string_equal(r.f[2], "");
	assert_int_equal(mc_csv_next(&r.csv, r.f, 8), 3);
	assert_string_equal(r.f[2], "1");	/* no line break at the end */
	assert_int_equal(mc_csv_next(&r.csv, r.f, 8), 0);
	assert_int_equal(mc_csv_next(&r.csv, r.f, 8), 0);
	free(r.copy);
}

static void test_errors(void **state)
{
	struct reader r;

	(void)state;
	open_text(&r, "a,b\n\"open,c\n");
	assert_int_equal(mc_csv_next(&r.csv, r.f, 8), 2);
	assert_int_equal(mc_csv_next(&r.csv, r.f, 8), -1);
	assert_int_equal(r.csv.line, 2);
	free(r.copy);
	open_text(&r, "\"closed\"x,b\n");
	assert_int_equal(mc_csv_next(&r.csv, r.f, 8), -1);
	free(r.copy);
	open_text(&r, "ba\"re,b\n");
	assert_int_equal(mc_csv_next(&r.csv, r.f, 8), -1);
	free(r.copy);
	open_text(&r, "1,2,3\n");
	assert_int_equal(mc_csv_next(&r.csv, r.f, 2), -2);
	free(r.copy);
	open_text(&r, "");
	assert_int_equal(mc_csv_next(&r.csv, r.f, 8), 0);
	free(r.copy);
}

/* The CSV the reports write: quoting, and no formula ever runs. */
static void test_report_fields(void **state)
{
	struct mc_buf b = MC_BUF_INIT(4096);

	(void)state;
	assert_int_equal(mc_report_csv_field(&b, "Tư pháp", false), 0);
	assert_int_equal(mc_report_csv_field(&b, "a, \"b\"", false), 0);
	assert_int_equal(mc_report_csv_field(&b, "-12", false), 0);
	assert_int_equal(mc_report_csv_field(&b, "+84.5", false), 0);
	assert_int_equal(mc_report_csv_field(&b, "=HYPERLINK(\"x\")", false),
			 0);
	assert_int_equal(mc_report_csv_field(&b, "@SUM(A1)", false), 0);
	assert_int_equal(mc_report_csv_field(&b, "-2+3", false), 0);
	assert_int_equal(mc_report_csv_field(&b, "", true), 0);
	assert_int_equal(mc_buf_addc(&b, '\0'), 0);
	assert_string_equal(b.buf, "Tư pháp,\"a, \"\"b\"\"\",-12,+84.5,"
			    "\"'=HYPERLINK(\"\"x\"\")\",\"'@SUM(A1)\","
			    "\"'-2+3\",\r\n");
	mc_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_report_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
