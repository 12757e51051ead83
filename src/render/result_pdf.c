/*
 * result_pdf.c — a generated e-result as PDF (see result_pdf.h).
 */
#include "core/compat.h"
#include "core/timeutil.h"
#include "render/result_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <utf8proc.h>

/* A4 in points, and the margins of Decree 30/2020 (Annex I). */
#define PAGE_W 595.276
#define PAGE_H 841.890
#define MM(x) ((x) * 72.0 / 25.4)
#define LEFT MM(30)
#define RIGHT MM(15)
#define TOP MM(20)
#define TEXT_W (PAGE_W - LEFT - RIGHT)
#define FONT "Liberation Serif"

void mc_utf8_upper(const char *s, char *out, size_t n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	utf8proc_uint8_t enc[4];
	utf8proc_ssize_t k, e;
	size_t o = 0;

	if (!n)
		return;
	while (*p && (k = utf8proc_iterate(p, -1, &cp)) > 0) {
		e = utf8proc_encode_char(utf8proc_toupper(cp), enc);
		if (o + (size_t)e + 1 > n)
			break;
		memcpy(out + o, enc, (size_t)e);
		o += (size_t)e;
		p += k;
	}
	out[o] = 0;
}

/* Text laid out by pango from 'markup', at (x, y), 'w' wide; its height. */
static double show(cairo_t *cr, PangoContext *pc, const char *markup,
		   double x, double y, double w, PangoAlignment align,
		   double size)
{
	PangoLayout *l = pango_layout_new(pc);
	PangoFontDescription *f = pango_font_description_from_string(FONT);
	int pw = 0, ph = 0;

	pango_font_description_set_absolute_size(f, size * PANGO_SCALE);
	pango_layout_set_font_description(l, f);
	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, align);
	pango_layout_set_markup(l, markup, -1);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	pango_layout_get_pixel_size(l, &pw, &ph);
	pango_font_description_free(f);
	g_object_unref(l);
	return ph;
}

/* A horizontal rule centred in [x, x + w], 'len' long. */
static void rule(cairo_t *cr, double x, double w, double y, double len)
{
	cairo_set_line_width(cr, 0.6);
	cairo_move_to(cr, x + (w - len) / 2, y);
	cairo_line_to(cr, x + (w + len) / 2, y);
	cairo_stroke(cr);
}

/* The QR code of 'text', 'size' points square, at (x, y). */
static int qr(cairo_t *cr, const char *text, double x, double y, double size)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	double m;
	int i, j;

	if (!q)
		return -1;
	m = size / q->width;
	for (i = 0; i < q->width; i++)
		for (j = 0; j < q->width; j++)
			if (q->data[i * q->width + j] & 1)
				cairo_rectangle(cr, x + j * m, y + i * m, m, m);
	cairo_fill(cr);
	QRcode_free(q);
	return 0;
}

static cairo_status_t sink(void *closure, const unsigned char *data,
			   unsigned int len)
{
	return mc_buf_add(closure, data, len) ? CAIRO_STATUS_WRITE_ERROR :
		CAIRO_STATUS_SUCCESS;
}

int mc_render_result_pdf(const struct mc_result_doc *doc, struct mc_buf *out,
			 struct mc_err *err)
{
	const double col = MM(90);		/* the left header column */
	const double lx = LEFT - MM(15);	/* where it starts */
	const double rx = lx + col - MM(2), rw = PAGE_W - RIGHT + MM(5) - rx;
	char up[1024], date[160], iso[40];
	struct mc_ymd ymd = mc_ymd_from_days(mc_local_day(doc->at));
	cairo_surface_t *s;
	cairo_status_t st;
	PangoFontMap *fm;
	PangoContext *pc;
	cairo_t *cr;
	double y, h, yl, yr;
	gchar *m;
	int qr_rc;

	s = cairo_pdf_surface_create_for_stream(sink, out, PAGE_W, PAGE_H);
	/* The document's own date, not the moment it was drawn. */
	mc_time_format_utc(doc->at, iso, sizeof(iso));
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, iso);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, iso);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, doc->title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR,
				       doc->issuer);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
				       "motcua");
	cr = cairo_create(s);
	cairo_set_source_rgb(cr, 0, 0, 0);
	/*
	 * A font map of this drawing's own rather than pango's per-thread
	 * default: everything it caches is freed with it, whichever worker
	 * thread drew (a result is drawn seldom; the map costs ~1 ms).
	 */
	fm = pango_cairo_font_map_new();
	pc = pango_font_map_create_context(fm);
	pango_cairo_update_context(cr, pc);

	/* Left: the governing body, the issuing body in bold, the number. */
	yl = TOP;
	if (doc->governing[0]) {
		mc_utf8_upper(doc->governing, up, sizeof(up));
		m = g_markup_printf_escaped("%s", up);
		yl += show(cr, pc, m, lx, yl, col, PANGO_ALIGN_CENTER,
			   12);
		g_free(m);
	}
	mc_utf8_upper(doc->issuer, up, sizeof(up));
	m = g_markup_printf_escaped("<b>%s</b>", up);
	yl += show(cr, pc, m, lx, yl, col, PANGO_ALIGN_CENTER, 12.5);
	g_free(m);
	rule(cr, lx, col, yl + 2, MM(25));
	yl += MM(4);
	m = g_markup_printf_escaped("Số: %s", doc->number[0] ? doc->number :
				    "……………");
	yl += show(cr, pc, m, lx, yl, col, PANGO_ALIGN_CENTER, 13);
	g_free(m);

	/* Right: the national motto, then place and date. */
	yr = TOP;
	yr += show(cr, pc, "<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>", rx, yr, rw, PANGO_ALIGN_CENTER,
		   12.5);
	h = show(cr, pc, "<b>Độc lập - Tự do - Hạnh phúc</b>", rx, yr, rw, PANGO_ALIGN_CENTER, 13.5);
	yr += h;
	rule(cr, rx, rw, yr + 1, MM(58));
	yr += MM(5);
	snprintf(date, sizeof(date), "%s%sngày %02d tháng %02d năm %d",
		 doc->place, doc->place[0] ? ", " : "", ymd.day, ymd.month,
		 ymd.year);
	m = g_markup_printf_escaped("<i>%s</i>", date);
	yr += show(cr, pc, m, rx, yr, rw, PANGO_ALIGN_CENTER, 13);
	g_free(m);

	/* The title and what the result is. */
	y = (yl > yr ? yl : yr) + MM(14);
	mc_utf8_upper(doc->title, up, sizeof(up));
	m = g_markup_printf_escaped("<b>%s</b>", up);
	y += show(cr, pc, m, LEFT, y, TEXT_W, PANGO_ALIGN_CENTER, 14);
	g_free(m);
	y += show(cr, pc, "<i>Kết quả giải quyết thủ tục hành chính</i>", LEFT, y,
		  TEXT_W, PANGO_ALIGN_CENTER, 13);
	y += MM(8);
	m = g_markup_printf_escaped("<b>Thủ tục:</b> %s", doc->procedure);
	y += show(cr, pc, m, LEFT, y, TEXT_W, PANGO_ALIGN_LEFT, 13) + MM(2);
	g_free(m);
	m = g_markup_printf_escaped("<b>Mã hồ sơ:</b> %s", doc->dossier_code);
	y += show(cr, pc, m, LEFT, y, TEXT_W, PANGO_ALIGN_LEFT, 13) + MM(2);
	g_free(m);
	m = g_markup_printf_escaped("<b>Tổ chức, cá nhân:</b> %s",
				    doc->applicant);
	y += show(cr, pc, m, LEFT, y, TEXT_W, PANGO_ALIGN_LEFT, 13) + MM(2);
	g_free(m);
	if (doc->summary[0]) {
		m = g_markup_printf_escaped("<b>Nội dung:</b> %s",
					    doc->summary);
		y += show(cr, pc, m, LEFT, y, TEXT_W, PANGO_ALIGN_LEFT, 13) +
			MM(2);
		g_free(m);
	}

	/* The signer, on the right. */
	y += MM(10);
	mc_utf8_upper(doc->issuer, up, sizeof(up));
	m = g_markup_printf_escaped("<b>%s</b>", up);
	h = show(cr, pc, m, LEFT + TEXT_W / 2, y, TEXT_W / 2, PANGO_ALIGN_CENTER,
		 13);
	g_free(m);
	h += show(cr, pc, "<i>(Đã ký số)</i>", LEFT + TEXT_W / 2, y + h, TEXT_W / 2,
		  PANGO_ALIGN_CENTER, 13);
	m = g_markup_printf_escaped("<b>%s</b>", doc->signer);
	show(cr, pc, m, LEFT + TEXT_W / 2, y + h + MM(14), TEXT_W / 2,
	     PANGO_ALIGN_CENTER, 13);
	g_free(m);

	/* At the foot: the code, the link and its QR code. */
	y = PAGE_H - MM(20) - MM(26);
	qr_rc = qr(cr, doc->verify_url, LEFT, y, MM(26));
	m = g_markup_printf_escaped("Mã kết quả: <b>%s</b>\nXác thực tại: %s\n"
		"<i>Văn bản điện tử được ký số; tệp gốc, chữ ký số và chứng thư "
		"số kiểm tra tại địa chỉ trên.</i>", doc->result_code,
		doc->verify_url);
	show(cr, pc, m, LEFT + MM(30), y, TEXT_W - MM(30), PANGO_ALIGN_LEFT, 10.5);
	g_free(m);

	g_object_unref(pc);
	g_object_unref(fm);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (qr_rc)
		return mc_error(err, MC_EINVAL, "the link cannot be a QR code");
	if (st != CAIRO_STATUS_SUCCESS)
		return mc_error(err, st == CAIRO_STATUS_WRITE_ERROR ?
				MC_ETOOBIG : MC_EINTERNAL, "cannot draw the "
				"result: %s", cairo_status_to_string(st));
	return 0;
}
