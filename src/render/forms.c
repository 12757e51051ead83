/*
 * forms.c — the counter's printed forms (see forms.h).
 */
#include "core/compat.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "render/doc.h"
#include "render/forms.h"

/* "09 giờ 30 phút, ngày 03/01/2024" */
static void when(int64_t t, char *out, size_t n)
{
	struct mc_ymd d;
	int64_t local;
	int secs;

	if (t == MC_NO_TIME) {
		snprintf(out, n, "……");
		return;
	}
	d = mc_ymd_from_days(mc_local_day(t));
	local = t - mc_local_day_start(mc_local_day(t));
	secs = (int)local;
	snprintf(out, n, "%02d giờ %02d phút, ngày %02d/%02d/%04d",
		 secs / 3600, secs / 60 % 60, d.day, d.month, d.year);
}

static const char *form_vi(const char *form)
{
	if (!strcmp(form, "original"))
		return "Bản chính";
	if (!strcmp(form, "copy"))
		return "Bản sao";
	if (!strcmp(form, "certified_copy"))
		return "Bản sao chứng thực";
	if (!strcmp(form, "electronic"))
		return "Bản điện tử";
	return form;
}

static const char *channel_vi(const char *ch)
{
	if (!strcmp(ch, "postal"))
		return "Qua dịch vụ bưu chính công ích";
	if (!strcmp(ch, "online"))
		return "Trực tuyến (bản điện tử)";
	return "Tại Bộ phận Một cửa";
}

static const char *receipt_title(const struct mc_receipt_doc *doc)
{
	return doc->set_2025 ? "GIẤY TIẾP NHẬN VÀ HẸN TRẢ KẾT QUẢ" :
		"GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ";
}

/* One copy of the slip, on a page of its own; 'copy' says which. */
static void receipt_page(struct mc_doc *dp, const struct mc_receipt_doc *doc,
			 const char *copy)
{
	const double half = MC_DOC_TEXT_W / 2, x2 = MC_DOC_LEFT + half;
	struct mc_doc d = *dp;
	char got[64], due[64];
	double y, h;
	int i;

	mc_doc_head(&d, doc->governing, doc->issuer, "", doc->place,
		    doc->received_at);
	mc_doc_para(&d, MC_DOC_CENTER, 14, 0, "<b>%s</b>", receipt_title(doc));
	mc_doc_para(&d, MC_DOC_CENTER, 13, 0, "Mã hồ sơ: <b>%s</b>",
		    doc->dossier_code);
	mc_doc_para(&d, MC_DOC_CENTER, 12, MC_MM(5), "<i>(%s)</i>", copy);
	mc_doc_para(&d, MC_DOC_JUSTIFY, 13, MC_MM(1.5), "%s tiếp nhận hồ sơ "
		    "của: <b>%s</b>", doc->issuer, doc->applicant);
	mc_doc_para(&d, MC_DOC_LEFT_ALIGN, 13, MC_MM(1.5), "Địa chỉ: %s",
		    doc->address[0] ? doc->address : "……");
	mc_doc_para(&d, MC_DOC_LEFT_ALIGN, 13, MC_MM(1.5), "Số điện thoại: %s"
		    "          Email: %s", doc->phone[0] ? doc->phone : "……",
		    doc->email[0] ? doc->email : "……");
	mc_doc_para(&d, MC_DOC_JUSTIFY, 13, MC_MM(1.5), "Nội dung yêu cầu giải "
		    "quyết: %s", doc->procedure);
	mc_doc_para(&d, MC_DOC_LEFT_ALIGN, 13, MC_MM(1), "Thành phần hồ sơ "
		    "nộp gồm:");
	for (i = 0; i < doc->nitems; i++)
		mc_doc_para(&d, MC_DOC_JUSTIFY, 13, MC_MM(1), "%d. %s (%s; số "
			    "lượng: %02d)%s", i + 1, doc->items[i].name,
			    form_vi(doc->items[i].form),
			    doc->items[i].quantity, doc->items[i].reused ?
			    " — lấy từ kho dữ liệu, không nộp lại giấy" : "");
	mc_doc_para(&d, MC_DOC_LEFT_ALIGN, 13, MC_MM(1.5), "Số lượng hồ sơ: "
		    "01 (bộ)");
	mc_doc_para(&d, MC_DOC_LEFT_ALIGN, 13, MC_MM(1.5), "Thời gian giải "
		    "quyết hồ sơ theo quy định là: %s", doc->period);
	when(doc->received_at, got, sizeof(got));
	when(doc->due_at, due, sizeof(due));
	mc_doc_para(&d, MC_DOC_LEFT_ALIGN, 13, MC_MM(1.5), "Thời gian nhận hồ "
		    "sơ: %s", got);
	mc_doc_para(&d, MC_DOC_LEFT_ALIGN, 13, MC_MM(1.5), "Thời gian trả kết "
		    "quả giải quyết hồ sơ: <b>%s</b>", due);
	mc_doc_para(&d, MC_DOC_LEFT_ALIGN, 13, MC_MM(1.5), "Nhận kết quả: %s",
		    channel_vi(doc->return_channel));
	mc_doc_para(&d, MC_DOC_JUSTIFY, 13, 0, "Vào Sổ theo dõi hồ sơ: mã hồ sơ "
		    "%s.", doc->dossier_code);

	/* The two who sign. */
	y = d.y + MC_MM(8);
	h = mc_doc_text(&d, MC_DOC_LEFT, y, half, MC_DOC_CENTER, 13,
			"<b>NGƯỜI NỘP HỒ SƠ</b>\n<i>(Ký và ghi rõ họ tên)</i>");
	mc_doc_text(&d, x2, y, half, MC_DOC_CENTER, 13, "<b>NGƯỜI TIẾP NHẬN HỒ "
		    "SƠ</b>\n<i>(Ký và ghi rõ họ tên)</i>");
	mc_doc_text(&d, MC_DOC_LEFT, y + h + MC_MM(18), half, MC_DOC_CENTER, 13,
		    "%s", doc->applicant);
	mc_doc_text(&d, x2, y + h + MC_MM(18), half, MC_DOC_CENTER, 13, "%s",
		    doc->officer);

	/* At the foot: where to look the dossier up, and on what basis. */
	y = MC_DOC_PAGE_H - MC_MM(20) - MC_MM(24);
	mc_doc_qr(&d, doc->lookup_url, MC_DOC_LEFT, y, MC_MM(24));
	mc_doc_text(&d, MC_DOC_LEFT + MC_MM(28), y, MC_DOC_TEXT_W - MC_MM(28),
		    MC_DOC_LEFT_ALIGN, 10.5, "Tra cứu tình trạng hồ sơ: quét mã "
		    "QR hoặc vào %s (mã hồ sơ và 4 số cuối điện thoại).\n<i>%s"
		    "</i>", doc->lookup_url, doc->set_2025 ?
		    "Mẫu số 01, Phụ lục I, Thông tư số 03/2025/TT-VPCP" :
		    "Mẫu số 01, Thông tư số 01/2018/TT-VPCP");
	*dp = d;
}

int mc_render_receipt(const struct mc_receipt_doc *doc, struct mc_buf *out,
		      struct mc_err *err)
{
	struct mc_doc d;

	mc_doc_begin(&d, out, doc->received_at, receipt_title(doc),
		     doc->issuer);
	if (doc->file_copy) {
		receipt_page(&d, doc, "Liên 1: lưu tại Bộ phận Một cửa");
		mc_doc_new_sheet(&d);
		receipt_page(&d, doc, "Liên 2: giao người nộp hồ sơ");
	} else {
		receipt_page(&d, doc, "Liên: giao người nộp hồ sơ");
	}
	return mc_doc_end(&d, err);
}

/* "ngày 03 tháng 01 năm 2024" */
static void day_words(int64_t t, char *out, size_t n)
{
	struct mc_ymd d = mc_ymd_from_days(mc_local_day(t));

	snprintf(out, n, "ngày %02d tháng %02d năm %d", d.day, d.month,
		 d.year);
}

int mc_render_notice(const struct mc_notice_doc *doc, struct mc_buf *out,
		     struct mc_err *err)
{
	static const char *const titles[][2] = {
		{ "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
		  "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" },
		{ "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
		  "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" },
		{ "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
		  "VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" },
		{ "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
		  "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" },
	};
	static const char *const basis[][2] = {
		{ "Mẫu số 02, Thông tư số 01/2018/TT-VPCP",
		  "Mẫu số 02, Phụ lục I, Thông tư số 03/2025/TT-VPCP" },
		{ "Mẫu số 03, Thông tư số 01/2018/TT-VPCP",
		  "Mẫu số 03, Phụ lục I, Thông tư số 03/2025/TT-VPCP" },
		{ "Mẫu số 04, Thông tư số 01/2018/TT-VPCP",
		  "Mẫu số 04, Phụ lục I, Thông tư số 03/2025/TT-VPCP" },
		{ "Theo Nghị định số 118/2025/NĐ-CP",
		  "Mẫu số 05, Phụ lục I, Thông tư số 03/2025/TT-VPCP" },
	};
	const double half = MC_DOC_TEXT_W / 2, x2 = MC_DOC_LEFT + half;
	const char *title = titles[doc->kind][doc->set_2025];
	char got[64], a[64], b[64], item[600];
	const char *p, *e;
	struct mc_doc d;
	double y, h;
	int i;

	mc_doc_begin(&d, out, doc->at, title, doc->issuer);
	mc_doc_head(&d, doc->governing, doc->issuer, "", doc->place, doc->at);
	mc_doc_para(&d, MC_DOC_CENTER, 14, MC_MM(5), "<b>%s</b>", title);
	mc_doc_para(&d, MC_DOC_CENTER, 13, MC_MM(4), "Kính gửi: <b>%s</b>",
		    doc->applicant);
	day_words(doc->received_at, got, sizeof(got));
	mc_doc_para(&d, MC_DOC_JUSTIFY, 13, MC_MM(1.5), "Ngày %s, %s tiếp "
		    "nhận hồ sơ của Ông/Bà, mã hồ sơ <b>%s</b>.",
		    got + strlen("ngày "), doc->issuer, doc->dossier_code);
	mc_doc_para(&d, MC_DOC_JUSTIFY, 13, MC_MM(1.5), "Nội dung yêu cầu "
		    "giải quyết: %s", doc->procedure);
	switch (doc->kind) {
	case MC_NOTICE_SUPPLEMENT:
		mc_doc_para(&d, MC_DOC_JUSTIFY, 13, MC_MM(1.5), "Sau khi xem "
			    "xét, đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm "
			    "những nội dung sau:");
		/* The items, one numbered line each ("a; b; c"). */
		for (i = 1, p = doc->items; p && *p; i++) {
			e = strstr(p, "; ");
			snprintf(item, sizeof(item), "%.*s",
				 (int)(e ? e - p : (long)strlen(p)), p);
			mc_doc_para(&d, MC_DOC_JUSTIFY, 13, MC_MM(1), "%d. %s",
				    i, item);
			p = e ? e + 2 : NULL;
		}
		mc_doc_para(&d, MC_DOC_JUSTIFY, 13, MC_MM(1.5), "Lý do: %s",
			    doc->reason);
		mc_doc_para(&d, MC_DOC_JUSTIFY, 13, MC_MM(1.5), "Trong quá "
			    "trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà "
			    "liên hệ %s để được hướng dẫn.", doc->contact);
		break;
	case MC_NOTICE_REFUSAL:
		mc_doc_para(&d, MC_DOC_JUSTIFY, 13, MC_MM(1.5), "Qua xem xét, "
			    "%s thông báo không tiếp nhận, giải quyết hồ sơ "
			    "này với lý do cụ thể như sau: %s", doc->issuer,
			    doc->reason);
		mc_doc_para(&d, MC_DOC_JUSTIFY, 13, MC_MM(1.5), "Xin thông báo "
			    "để Ông/Bà được biết và thực hiện.");
		break;
	case MC_NOTICE_APOLOGY:
		day_words(doc->old_due, a, sizeof(a));
		day_words(doc->new_due, b, sizeof(b));
		mc_doc_para(&d, MC_DOC_JUSTIFY, 13, MC_MM(1.5), "Thời hạn giải "
			    "quyết hồ sơ theo quy định là %s. Tuy nhiên đến "
			    "nay, %s chưa trả kết quả giải quyết hồ sơ cho "
			    "Ông/Bà.", a, doc->issuer);
		mc_doc_para(&d, MC_DOC_JUSTIFY, 13, MC_MM(1.5), "Lý do: %s",
			    doc->reason);
		mc_doc_para(&d, MC_DOC_JUSTIFY, 13, MC_MM(1.5), "Sự chậm trễ "
			    "này đã gây phiền hà cho Ông/Bà. %s xin lỗi Ông/Bà "
			    "và hẹn lại thời gian trả kết quả vào <b>%s</b>.",
			    doc->issuer, b);
		break;
	case MC_NOTICE_STOP:
		mc_doc_para(&d, MC_DOC_JUSTIFY, 13, MC_MM(1.5), "%s thông báo "
			    "dừng giải quyết hồ sơ nêu trên. Lý do: %s",
			    doc->issuer, doc->reason);
		mc_doc_para(&d, MC_DOC_JUSTIFY, 13, MC_MM(1.5), "Phí, lệ phí "
			    "đã nộp (nếu có) được xử lý theo quy định.");
		break;
	}
	y = d.y + MC_MM(8);
	mc_utf8_upper(doc->issuer, item, sizeof(item));
	h = mc_doc_text(&d, x2, y, half, MC_DOC_CENTER, 13, "<b>%s</b>\n"
			"<i>(Ký và ghi rõ họ tên)</i>", item);
	mc_doc_text(&d, x2, y + h + MC_MM(18), half, MC_DOC_CENTER, 13, "%s",
		    doc->signer);
	mc_doc_text(&d, MC_DOC_LEFT, MC_DOC_PAGE_H - MC_MM(20) - MC_MM(6),
		    MC_DOC_TEXT_W, MC_DOC_LEFT_ALIGN, 10.5, "<i>%s</i>",
		    basis[doc->kind][doc->set_2025]);
	return mc_doc_end(&d, err);
}

/* A step's result against its share of the time: before, on or past. */
static const char *step_result(const struct mc_control_row *r)
{
	int64_t end = r->done_at;

	if (end == MC_NO_TIME)
		return "Đang xử lý";
	if (r->due_at == MC_NO_TIME)
		return "Đã xong";
	/* Within the same minute of the due instant is on time. */
	if (end < r->due_at - 60)
		return "Trước hạn";
	return end <= r->due_at ? "Đúng hạn" : "Quá hạn";
}

int mc_render_control_sheet(const struct mc_control_doc *doc,
			    struct mc_buf *out, struct mc_err *err)
{
	static const char *const head[] = {
		"Tên cơ quan", "Bước, người xử lý",
		"Thời gian giao, nhận hồ sơ", "Kết quả giải quyết (trước, "
		"đúng, quá hạn)", "Hạn của bước"
	};
	static const double widths[] = { 0.24, 0.22, 0.2, 0.17, 0.17 };
	const char *title = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ";
	char (*text)[2][160] = mc_calloc((size_t)doc->nrows + 1,
					 sizeof(*text));
	const char **cells = mc_calloc((size_t)doc->nrows * 5 + 1,
				       sizeof(*cells));
	char got[64], due[64];
	struct mc_doc d;
	int i, rc;

	mc_doc_begin(&d, out, doc->at, title, doc->issuer);
	mc_doc_head(&d, doc->governing, doc->issuer, "", doc->place, doc->at);
	mc_doc_para(&d, MC_DOC_CENTER, 14, 0, "<b>%s</b>", title);
	mc_doc_para(&d, MC_DOC_CENTER, 13, MC_MM(5), "Mã hồ sơ: <b>%s</b>",
		    doc->dossier_code);
	mc_doc_para(&d, MC_DOC_JUSTIFY, 13, MC_MM(1.5), "Thủ tục: %s",
		    doc->procedure);
	mc_doc_para(&d, MC_DOC_LEFT_ALIGN, 13, MC_MM(1.5), "Tổ chức, cá "
		    "nhân: %s", doc->applicant);
	mc_doc_para(&d, MC_DOC_LEFT_ALIGN, 13, MC_MM(1.5), "Cơ quan chủ trì "
		    "giải quyết: %s", doc->lead_unit);
	when(doc->received_at, got, sizeof(got));
	when(doc->due_at, due, sizeof(due));
	mc_doc_para(&d, MC_DOC_LEFT_ALIGN, 13, MC_MM(1.5), "Nhận hồ sơ: %s; "
		    "hẹn trả: %s", got, due);
	d.y += MC_MM(2);
	for (i = 0; i < doc->nrows; i++) {
		char a[64], b[64];

		when(doc->rows[i].given_at, a, sizeof(a));
		when(doc->rows[i].done_at, b, sizeof(b));
		snprintf(text[i][0], sizeof(text[i][0]), "Nhận: %s\nGiao: %s",
			 a, b);
		when(doc->rows[i].due_at, text[i][1], sizeof(text[i][1]));
		cells[i * 5] = doc->rows[i].unit;
		cells[i * 5 + 1] = doc->rows[i].step;
		cells[i * 5 + 2] = text[i][0];
		cells[i * 5 + 3] = step_result(&doc->rows[i]);
		cells[i * 5 + 4] = text[i][1];
	}
	mc_doc_table(&d, 5, widths, head, doc->nrows, cells, 11);
	mc_doc_text(&d, MC_DOC_LEFT, MC_DOC_PAGE_H - MC_MM(20) - MC_MM(6),
		    MC_DOC_TEXT_W, MC_DOC_LEFT_ALIGN, 10.5, "<i>%s</i>",
		    doc->set_2025 ? "Mẫu số 06, Phụ lục I, Thông tư số "
		    "03/2025/TT-VPCP" : "Mẫu số 05, Thông tư số "
		    "01/2018/TT-VPCP");
	rc = mc_doc_end(&d, err);
	mc_free(text);
	mc_free(cells);
	return rc;
}

/* "14/06/2024 09:30", or "" when there is no instant. */
static void short_when(int64_t t, char *out, size_t n)
{
	struct mc_ymd d;
	int secs;

	if (t == MC_NO_TIME) {
		out[0] = '\0';
		return;
	}
	d = mc_ymd_from_days(mc_local_day(t));
	secs = (int)(t - mc_local_day_start(mc_local_day(t)));
	snprintf(out, n, "%02d/%02d/%04d %02d:%02d", d.day, d.month, d.year,
		 secs / 3600, secs / 60 % 60);
}

int mc_render_register(const struct mc_register_doc *doc, struct mc_buf *out,
		       struct mc_err *err)
{
	enum { COLS = 14 };
	static const char *const head[COLS] = {
		"STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số lượng hồ sơ "
		"(bộ)", "Tên cá nhân, tổ chức", "Địa chỉ, số điện thoại",
		"Cơ quan chủ trì giải quyết", "Nhận hồ sơ", "Hẹn trả kết quả",
		"Chuyển hồ sơ đến cơ quan giải quyết", "Nhận kết quả từ cơ quan "
		"giải quyết", "Trả kết quả", "Ký nhận", "Ghi chú"
	};
	static const double widths[COLS] = { 0.035, 0.1, 0.14, 0.045, 0.08,
		0.09, 0.09, 0.06, 0.06, 0.06, 0.06, 0.06, 0.05, 0.07 };
	char (*text)[6][24] = mc_calloc((size_t)doc->nlines + 1,
					sizeof(*text));
	const char **cells = mc_calloc((size_t)doc->nlines * COLS + 1,
				       sizeof(*cells));
	const char *title = "SỔ THEO DÕI HỒ SƠ";
	struct mc_ymd f = mc_ymd_from_days(doc->first),
		      l = mc_ymd_from_days(doc->last);
	struct mc_doc d;
	int i, rc;

	mc_doc_begin(&d, out, doc->at, title, doc->issuer);
	mc_doc_landscape(&d);
	mc_doc_pages(&d);
	mc_doc_head(&d, doc->governing, doc->issuer, "", doc->place, doc->at);
	mc_doc_para(&d, MC_DOC_CENTER, 14, 0, "<b>%s</b>", title);
	mc_doc_para(&d, MC_DOC_CENTER, 13, MC_MM(4), "<i>Từ ngày %02d/%02d/%d "
		    "đến ngày %02d/%02d/%d (%d hồ sơ)</i>", f.day, f.month,
		    f.year, l.day, l.month, l.year, doc->nlines);
	for (i = 0; i < doc->nlines; i++) {
		const struct mc_register_line *x = &doc->lines[i];
		const char **c = cells + (size_t)i * COLS;

		snprintf(text[i][0], sizeof(text[i][0]), "%d", i + 1);
		short_when(x->received_at, text[i][1], sizeof(text[i][1]));
		short_when(x->due_at, text[i][2], sizeof(text[i][2]));
		short_when(x->forwarded_at, text[i][3], sizeof(text[i][3]));
		short_when(x->finished_at, text[i][4], sizeof(text[i][4]));
		short_when(x->returned_at, text[i][5], sizeof(text[i][5]));
		c[0] = text[i][0];
		c[1] = x->code;
		c[2] = x->procedure;
		c[3] = "01";
		c[4] = x->applicant;
		c[5] = x->contact;
		c[6] = x->agency;
		c[7] = text[i][1];
		c[8] = text[i][2];
		c[9] = text[i][3];
		c[10] = text[i][4];
		c[11] = text[i][5];
		c[12] = "";
		c[13] = x->note;
	}
	mc_doc_table(&d, COLS, widths, head, doc->nlines, cells, 7.5);
	d.y += MC_MM(3);
	mc_doc_para(&d, MC_DOC_LEFT_ALIGN, 10.5, 0, "<i>%s</i>",
		    doc->set_2025 ? "Mẫu số 07, Phụ lục I, Thông tư số "
		    "03/2025/TT-VPCP" : "Mẫu số 06, Thông tư số "
		    "01/2018/TT-VPCP");
	rc = mc_doc_end(&d, err);
	mc_free(text);
	mc_free(cells);
	return rc;
}
