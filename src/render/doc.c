/*
 * doc.c — a page of an administrative document (see doc.h).
 */
#include "core/compat.h"
#include "core/timeutil.h"
#include "render/doc.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdarg.h>
#include <utf8proc.h>

#define FONT "Liberation Serif"
#define CR(d) ((cairo_t *)(d)->cr)
#define PC(d) ((PangoContext *)(d)->ctx)
#define TEXT_W(d) ((d)->pw - MC_DOC_LEFT - MC_DOC_RIGHT)
#define BOTTOM(d) ((d)->ph - MC_MM(20))

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

static cairo_status_t sink(void *closure, const unsigned char *data,
			   unsigned int len)
{
	return mc_buf_add(closure, data, len) ? CAIRO_STATUS_WRITE_ERROR :
		CAIRO_STATUS_SUCCESS;
}

/*
 * One document is drawn at a time in the process. cairo keeps its scaled
 * fonts in one process-wide cache whose lock and each font's own are
 * taken in both orders: measuring text takes the font's, then the
 * cache's; finishing a PDF (font subsets) the cache's, then a font's.
 * ThreadSanitizer reported the cycle when a report's PDF was finished on
 * one worker while an e-result was measured on another; two such threads
 * could wait for each other for ever. Drawing a page takes milliseconds.
 */
static pthread_mutex_t drawing = PTHREAD_MUTEX_INITIALIZER;

void mc_doc_begin(struct mc_doc *d, struct mc_buf *out, int64_t at,
		  const char *title, const char *author)
{
	cairo_surface_t *s;
	char iso[40];

	pthread_mutex_lock(&drawing);
	memset(d, 0, sizeof(*d));
	s = cairo_pdf_surface_create_for_stream(sink, out, MC_DOC_PAGE_W,
						MC_DOC_PAGE_H);
	mc_time_format_utc(at, iso, sizeof(iso));
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, iso);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, iso);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, author);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
				       "motcua");
	d->surface = s;
	d->cr = cairo_create(s);
	cairo_set_source_rgb(CR(d), 0, 0, 0);
	/*
	 * A font map of this page's own rather than pango's per-thread
	 * default: everything it caches is freed with it, whichever worker
	 * thread drew (about 1 ms a page).
	 */
	d->fontmap = pango_cairo_font_map_new();
	d->ctx = pango_font_map_create_context(d->fontmap);
	pango_cairo_update_context(CR(d), PC(d));
	d->y = MC_DOC_TOP;
	d->page = 1;
	d->pw = MC_DOC_PAGE_W;
	d->ph = MC_DOC_PAGE_H;
}

void mc_doc_landscape(struct mc_doc *d)
{
	d->pw = MC_DOC_PAGE_H;
	d->ph = MC_DOC_PAGE_W;
	cairo_pdf_surface_set_size(d->surface, d->pw, d->ph);
}

double mc_doc_text_w(const struct mc_doc *d)
{
	return TEXT_W(d);
}

/* The laid-out text 'markup', 'w' wide; free with g_object_unref. */
static PangoLayout *layout(struct mc_doc *d, const char *markup, double w,
			   enum mc_doc_align align, double size)
{
	static const PangoAlignment pa[] = { PANGO_ALIGN_LEFT,
		PANGO_ALIGN_CENTER, PANGO_ALIGN_RIGHT, PANGO_ALIGN_LEFT };
	PangoLayout *l = pango_layout_new(PC(d));
	PangoFontDescription *f = pango_font_description_from_string(FONT);

	pango_font_description_set_absolute_size(f, size * PANGO_SCALE);
	pango_layout_set_font_description(l, f);
	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, pa[align]);
	pango_layout_set_justify(l, align == MC_DOC_JUSTIFY);
	pango_layout_set_markup(l, markup, -1);
	pango_font_description_free(f);
	return l;
}

static double show(struct mc_doc *d, const char *markup, double x, double y,
		   double w, enum mc_doc_align align, double size)
{
	PangoLayout *l = layout(d, markup, w, align, size);
	int pw = 0, ph = 0;

	cairo_move_to(CR(d), x, y);
	pango_cairo_show_layout(CR(d), l);
	pango_layout_get_pixel_size(l, &pw, &ph);
	g_object_unref(l);
	return ph;
}

double mc_doc_show(struct mc_doc *d, const char *markup, double x,
		   double y, double w, enum mc_doc_align align, double size)
{
	return show(d, markup, x, y, w, align, size);
}

double mc_doc_measure(struct mc_doc *d, const char *markup, double w,
		      double size)
{
	PangoLayout *l = layout(d, markup, w, MC_DOC_LEFT_ALIGN, size);
	int pw = 0, ph = 0;

	pango_layout_get_pixel_size(l, &pw, &ph);
	g_object_unref(l);
	return ph;
}

void mc_doc_pages(struct mc_doc *d)
{
	d->pages = true;
}

void mc_doc_new_page(struct mc_doc *d)
{
	char num[16];

	cairo_show_page(CR(d));
	d->page++;
	snprintf(num, sizeof(num), "%d", d->page);
	show(d, num, MC_DOC_LEFT, MC_MM(10), TEXT_W(d), MC_DOC_CENTER, 13);
	d->y = MC_DOC_TOP;
}

void mc_doc_new_sheet(struct mc_doc *d)
{
	cairo_show_page(CR(d));
	d->y = MC_DOC_TOP;
}

double mc_doc_room(const struct mc_doc *d)
{
	return BOTTOM(d) - d->y;
}

void *mc_doc_cairo(struct mc_doc *d)
{
	return d->cr;
}

void mc_doc_fit(struct mc_doc *d, double h)
{
	if (d->pages && d->y + h > BOTTOM(d) && d->y > MC_DOC_TOP)
		mc_doc_new_page(d);
}

void mc_doc_markup(struct mc_doc *d, enum mc_doc_align align, double size,
		   double indent, double after, const char *markup)
{
	/* Laid out once: measured to fit the page, then drawn. */
	PangoLayout *l = layout(d, markup, TEXT_W(d) - indent, align, size);
	int pw = 0, ph = 0;

	pango_layout_get_pixel_size(l, &pw, &ph);
	mc_doc_fit(d, ph);
	cairo_move_to(CR(d), MC_DOC_LEFT + indent, d->y);
	pango_cairo_show_layout(CR(d), l);
	g_object_unref(l);
	d->y += ph + after;
}

double mc_doc_text(struct mc_doc *d, double x, double y, double w,
		   enum mc_doc_align align, double size, const char *fmt, ...)
{
	va_list ap;
	gchar *m;
	double h;

	va_start(ap, fmt);
	m = g_markup_vprintf_escaped(fmt, ap);
	va_end(ap);
	h = show(d, m, x, y < 0 ? d->y : y, w, align, size);
	if (y < 0)
		d->y += h;
	g_free(m);
	return h;
}

void mc_doc_para(struct mc_doc *d, enum mc_doc_align align, double size,
		 double after, const char *fmt, ...)
{
	va_list ap;
	gchar *m;

	va_start(ap, fmt);
	m = g_markup_vprintf_escaped(fmt, ap);
	va_end(ap);
	mc_doc_markup(d, align, size, 0, after, m);
	g_free(m);
}

/* A horizontal rule centred in [x, x + w], 'len' long. */
static void rule(struct mc_doc *d, double x, double w, double y, double len)
{
	cairo_set_line_width(CR(d), 0.6);
	cairo_move_to(CR(d), x + (w - len) / 2, y);
	cairo_line_to(CR(d), x + (w + len) / 2, y);
	cairo_stroke(CR(d));
}

void mc_doc_head(struct mc_doc *d, const char *governing,
		 const char *issuer, const char *number, const char *place,
		 int64_t at)
{
	/* Two columns: the left one reaches into the margin, as on paper. */
	const double col = MC_MM(90), lx = MC_DOC_LEFT - MC_MM(15);
	const double rx = lx + col - MC_MM(2);
	const double rw = d->pw - MC_DOC_RIGHT + MC_MM(5) - rx;
	struct mc_ymd ymd = mc_ymd_from_days(mc_local_day(at));
	char up[1024];
	double yl = MC_DOC_TOP, yr = MC_DOC_TOP;

	if (governing[0]) {
		mc_utf8_upper(governing, up, sizeof(up));
		yl += mc_doc_text(d, lx, yl, col, MC_DOC_CENTER, 12, "%s", up);
	}
	mc_utf8_upper(issuer, up, sizeof(up));
	yl += mc_doc_text(d, lx, yl, col, MC_DOC_CENTER, 12.5, "<b>%s</b>",
			  up);
	rule(d, lx, col, yl + 2, MC_MM(25));
	yl += MC_MM(4);
	yl += mc_doc_text(d, lx, yl, col, MC_DOC_CENTER, 13, "Số: %s",
			  number[0] ? number : "……………");
	yr += mc_doc_text(d, rx, yr, rw, MC_DOC_CENTER, 12.5,
			  "<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>");
	yr += mc_doc_text(d, rx, yr, rw, MC_DOC_CENTER, 13.5,
			  "<b>Độc lập - Tự do - Hạnh phúc</b>");
	rule(d, rx, rw, yr + 1, MC_MM(58));
	yr += MC_MM(5);
	yr += mc_doc_text(d, rx, yr, rw, MC_DOC_CENTER, 13,
			  "<i>%s%sngày %02d tháng %02d năm %d</i>", place,
			  place[0] ? ", " : "", ymd.day, ymd.month, ymd.year);
	d->y = (yl > yr ? yl : yr) + MC_MM(10);
}

/* One row of a table: each cell's text, then the borders around it. */
static double table_row(struct mc_doc *d, int ncols, const double *widths,
			const char *const *cells, double size, bool bold)
{
	const double pad = 3;
	double x = MC_DOC_LEFT, h = 0, hi;
	int i;

	for (i = 0; i < ncols; i++) {
		hi = mc_doc_text(d, x + pad, d->y + pad, widths[i] *
				 TEXT_W(d) - 2 * pad, bold ?
				 MC_DOC_CENTER : MC_DOC_LEFT_ALIGN, size,
				 bold ? "<b>%s</b>" : "%s", cells[i]);
		if (hi > h)
			h = hi;
		x += widths[i] * TEXT_W(d);
	}
	h += 2 * pad;
	cairo_set_line_width(CR(d), 0.5);
	for (x = MC_DOC_LEFT, i = 0; i < ncols; i++) {
		cairo_rectangle(CR(d), x, d->y, widths[i] * TEXT_W(d), h);
		x += widths[i] * TEXT_W(d);
	}
	cairo_stroke(CR(d));
	d->y += h;
	return h;
}

void mc_doc_table(struct mc_doc *d, int ncols, const double *widths,
		  const char *const *header, int nrows,
		  const char *const *cells, double size)
{
	const double bottom = d->ph - MC_MM(35);
	int r;

	table_row(d, ncols, widths, header, size, true);
	for (r = 0; r < nrows; r++) {
		if (d->pages && d->y > BOTTOM(d) - 3 * size) {
			mc_doc_new_page(d);
			table_row(d, ncols, widths, header, size, true);
		} else if (!d->pages && d->y > bottom) {
			mc_doc_para(d, MC_DOC_LEFT_ALIGN, size, 0, "<i>(còn %d "
				    "dòng không in hết trên trang này)</i>",
				    nrows - r);
			return;
		}
		table_row(d, ncols, widths, cells + (size_t)r * (size_t)ncols,
			  size, false);
	}
}

void mc_doc_qr(struct mc_doc *d, const char *text, double x, double y,
	       double size)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	double m;
	int i, j;

	if (!q) {
		d->qr_failed = true;
		return;
	}
	m = size / q->width;
	for (i = 0; i < q->width; i++)
		for (j = 0; j < q->width; j++)
			if (q->data[i * q->width + j] & 1)
				cairo_rectangle(CR(d), x + j * m, y + i * m, m,
						m);
	cairo_fill(CR(d));
	QRcode_free(q);
}

int mc_doc_end(struct mc_doc *d, struct mc_err *err)
{
	cairo_status_t st;

	g_object_unref(d->ctx);
	g_object_unref(d->fontmap);
	cairo_destroy(CR(d));
	cairo_surface_finish(d->surface);
	st = cairo_surface_status(d->surface);
	cairo_surface_destroy(d->surface);
	pthread_mutex_unlock(&drawing);
	if (d->qr_failed)
		return mc_error(err, MC_EINVAL, "a link cannot be a QR code");
	if (st != CAIRO_STATUS_SUCCESS)
		return mc_error(err, st == CAIRO_STATUS_WRITE_ERROR ?
				MC_ETOOBIG : MC_EINTERNAL, "cannot draw the "
				"page: %s", cairo_status_to_string(st));
	return 0;
}
