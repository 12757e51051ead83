/*
 * test_render.c — generated e-results (render/result_pdf.c): upper case
 * for Vietnamese headings, and a PDF that is one A4 page, embeds its
 * fonts, carries its metadata, and comes out the same for the same input.
 */
#include "core/compat.h"
#include "harness/harness.h"

#include "core/buf.h"
#include "render/result_pdf.h"

static void test_upper(void **state)
{
	char out[128];

	(void)state;
	mc_utf8_upper("Ủy ban nhân dân tỉnh Quảng Ngãi", out, sizeof(out));
	assert_string_equal(out, "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI");
	mc_utf8_upper("Sở Tư pháp; đường Hùng Vương", out, sizeof(out));
	assert_string_equal(out, "SỞ TƯ PHÁP; ĐƯỜNG HÙNG VƯƠNG");
	/* Cut on a character, never inside one. */
	mc_utf8_upper("ấấấ", out, 7);
	assert_string_equal(out, "ẤẤ");
	mc_utf8_upper("", out, sizeof(out));
	assert_string_equal(out, "");
}

static void render(const char *summary, struct mc_buf *b)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_result_doc d;

	memset(&d, 0, sizeof(d));
	d.governing = "Ủy ban nhân dân tỉnh Quảng Ngãi";
	d.issuer = "Sở Tư pháp tỉnh Quảng Ngãi";
	d.number = "14/GKS";
	d.place = "Quảng Ngãi";
	d.at = 1795000000;
	d.title = "Giấy khai sinh";
	d.procedure = "Thủ tục đăng ký khai sinh";
	d.dossier_code = "000.00.01.H51-261118-0003";
	d.applicant = "Lê Thị Kết Quả <&>";	/* markup is escaped */
	d.summary = summary;
	d.signer = "Phạm Văn Lãnh";
	d.result_code = "KQ-7F3M-Q2XA-9RTB-K4WD";
	d.verify_url = "https://dichvucong.quangngai.gov.vn/verify/"
		"KQ-7F3M-Q2XA-9RTB-K4WD";
	assert_int_equal(mc_render_result_pdf(&d, b, &err), 0);
}

static void test_result_pdf(void **state)
{
	struct mc_buf a = MC_BUF_INIT(4 << 20), b = MC_BUF_INIT(4 << 20);
	struct mc_buf c = MC_BUF_INIT(4 << 20), tiny = MC_BUF_INIT(1000);
	struct mc_err err = MC_ERR_INIT;
	struct mc_result_doc d;

	(void)state;
	render("Khai sinh cho cháu Lê Minh An", &a);
	assert_true(a.len > 5000);
	assert_memory_equal(a.buf, "%PDF-", 5);
	assert_non_null(memmem(a.buf, a.len, "/MediaBox [ 0 0 595.", 20));
	assert_non_null(memmem(a.buf, a.len, "/Type /Page", 11));
	assert_null(memmem(a.buf, a.len, "/Count 2", 8));	/* one page */
	assert_non_null(memmem(a.buf, a.len, "LiberationSerif", 15));
	assert_non_null(memmem(a.buf, a.len, "/Creator (motcua)", 17));
	/* The document's own date, not the time it was drawn. */
	assert_non_null(memmem(a.buf, a.len, "/CreationDate (20261118", 23));
	/* The same input, the same bytes; another summary, other bytes. */
	render("Khai sinh cho cháu Lê Minh An", &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.buf, b.buf, a.len);
	render("Khai sinh cho cháu Lê Minh Anh", &c);
	assert_true(c.len != a.len || memcmp(a.buf, c.buf, a.len));
	/* Its text, read back by poppler: diacritics, the escaped name. */
	{
		char file[600], cmd[2000], *text;

		th_path(file, sizeof(file), "result.pdf");
		assert_int_equal(th_write_bytes(file, a.buf, a.len), 0);
		snprintf(cmd, sizeof(cmd), "pdftotext '%s' '%s.txt'", file,
			 file);
		assert_int_equal(system(cmd), 0);
		snprintf(cmd, sizeof(cmd), "%s.txt", file);
		assert_non_null(text = th_read_file(cmd, NULL));
		assert_non_null(strstr(text, "GIẤY KHAI SINH"));
		assert_non_null(strstr(text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT "
				       "NAM"));
		assert_non_null(strstr(text, "Lê Thị Kết Quả <&>"));
		assert_non_null(strstr(text, "KQ-7F3M-Q2XA-9RTB-K4WD"));
		assert_non_null(strstr(text, "Quảng Ngãi, ngày 18 tháng 11 năm "
				       "2026"));
		free(text);
	}
	/* Past the cap: an error, not half a file. */
	memset(&d, 0, sizeof(d));
	d.governing = d.number = d.place = d.summary = "";
	d.issuer = d.title = d.procedure = d.dossier_code = d.applicant = "x";
	d.signer = d.result_code = d.verify_url = "x";
	assert_int_equal(mc_render_result_pdf(&d, &tiny, &err), MC_ETOOBIG);
	mc_buf_release(&a);
	mc_buf_release(&b);
	mc_buf_release(&c);
	mc_buf_release(&tiny);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upper),
		cmocka_unit_test(test_result_pdf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
