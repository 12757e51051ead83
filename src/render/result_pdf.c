/*
 * result_pdf.c — a generated e-result as PDF (see result_pdf.h).
 */
#include "core/compat.h"
#include "render/doc.h"
#include "render/result_pdf.h"

int mc_render_result_pdf(const struct mc_result_doc *doc, struct mc_buf *out,
			 struct mc_err *err)
{
	const double half = MC_DOC_TEXT_W / 2, x2 = MC_DOC_LEFT + half;
	struct mc_doc d;
	char up[1024];
	double y, h;

	mc_doc_begin(&d, out, doc->at, doc->title, doc->issuer);
	mc_doc_head(&d, doc->governing, doc->issuer, doc->number, doc->place,
		    doc->at);

	/* The title and what the result is. */
	d.y += MC_MM(4);
	mc_utf8_upper(doc->title, up, sizeof(up));
	mc_doc_para(&d, MC_DOC_CENTER, 14, 0, "<b>%s</b>", up);
	mc_doc_para(&d, MC_DOC_CENTER, 13, MC_MM(8),
		    "<i>Kết quả giải quyết thủ tục hành chính</i>");
	mc_doc_para(&d, MC_DOC_LEFT_ALIGN, 13, MC_MM(2), "<b>Thủ tục:</b> %s",
		    doc->procedure);
	mc_doc_para(&d, MC_DOC_LEFT_ALIGN, 13, MC_MM(2),
		    "<b>Mã hồ sơ:</b> %s", doc->dossier_code);
	mc_doc_para(&d, MC_DOC_LEFT_ALIGN, 13, MC_MM(2),
		    "<b>Tổ chức, cá nhân:</b> %s", doc->applicant);
	if (doc->summary[0])
		mc_doc_para(&d, MC_DOC_LEFT_ALIGN, 13, MC_MM(2),
			    "<b>Nội dung:</b> %s", doc->summary);

	/* The signer, on the right. */
	y = d.y + MC_MM(10);
	mc_utf8_upper(doc->issuer, up, sizeof(up));
	h = mc_doc_text(&d, x2, y, half, MC_DOC_CENTER, 13, "<b>%s</b>", up);
	h += mc_doc_text(&d, x2, y + h, half, MC_DOC_CENTER, 13,
			 "<i>(Đã ký số)</i>");
	mc_doc_text(&d, x2, y + h + MC_MM(14), half, MC_DOC_CENTER, 13,
		    "<b>%s</b>", doc->signer);

	/* At the foot: the code, the link and its QR code. */
	y = MC_DOC_PAGE_H - MC_MM(20) - MC_MM(26);
	mc_doc_qr(&d, doc->verify_url, MC_DOC_LEFT, y, MC_MM(26));
	mc_doc_text(&d, MC_DOC_LEFT + MC_MM(30), y, MC_DOC_TEXT_W - MC_MM(30),
		    MC_DOC_LEFT_ALIGN, 10.5, "Mã kết quả: <b>%s</b>\n"
		    "Xác thực tại: %s\n<i>Văn bản điện tử được ký số; tệp gốc, "
		    "chữ ký số và chứng thư số kiểm tra tại địa chỉ trên.</i>",
		    doc->result_code, doc->verify_url);
	return mc_doc_end(&d, err);
}
