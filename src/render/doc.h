/*
 * doc.h — an administrative document as PDF (cairo + pango), laid out
 * per Decree 30/2020: A4 pages, portrait or landscape, the margins, the
 * head (governing and issuing bodies and the number on the left, the
 * national motto with place and date on the right), paragraphs in
 * Liberation Serif (metric Times New Roman), tables, QR codes. Used by
 * generated e-results, the counter's forms, the register and the
 * reports. Any worker thread may draw: each document has its own font
 * map, freed with it, and one is drawn at a time (doc.c says why).
 */
#ifndef MC_RENDER_DOC_H
#define MC_RENDER_DOC_H

#include "core/compat.h"
#include "core/buf.h"
#include "core/err.h"

#define MC_MM(x) ((x) * 72.0 / 25.4)
#define MC_DOC_PAGE_W 595.276
#define MC_DOC_PAGE_H 841.890
#define MC_DOC_LEFT MC_MM(30)
#define MC_DOC_RIGHT MC_MM(15)
#define MC_DOC_TOP MC_MM(20)
#define MC_DOC_TEXT_W (MC_DOC_PAGE_W - MC_DOC_LEFT - MC_DOC_RIGHT)

enum mc_doc_align { MC_DOC_LEFT_ALIGN, MC_DOC_CENTER, MC_DOC_RIGHT_ALIGN,
		    MC_DOC_JUSTIFY };

struct mc_doc {
	void *surface, *cr, *fontmap, *ctx;	/* cairo, pango */
	double y;		/* where the next paragraph goes, points */
	bool qr_failed;
	bool pages;		/* may go on to more pages (mc_doc_pages) */
	int page;		/* the page drawn on, from 1 */
	double pw, ph;		/* the page's size, points */
};

/* The lowest a paragraph or table row may reach on a portrait page. */
#define MC_DOC_BOTTOM (MC_DOC_PAGE_H - MC_MM(20))

/*
 * Starts a page writing into 'out'; the PDF's metadata say 'title',
 * 'author' and the document's own date 'at' (not when it was drawn).
 * One document is drawn at a time in the process (see doc.c): every
 * mc_doc_begin must be followed by mc_doc_end on the same thread.
 */
void mc_doc_begin(struct mc_doc *d, struct mc_buf *out, int64_t at,
		  const char *title, const char *author);
/* Turns the page: A4 landscape (before anything is drawn). */
void mc_doc_landscape(struct mc_doc *d);
/* The width between the margins, points (portrait: MC_DOC_TEXT_W). */
double mc_doc_text_w(const struct mc_doc *d);

/*
 * Lets the document go on to more pages: a paragraph or table row that
 * would pass the bottom margin starts a new page, whose number is at the
 * top centre (Decree 30: from the second page); a table's header row is
 * drawn again there.
 */
void mc_doc_pages(struct mc_doc *d);
/* Goes on to a new page (with mc_doc_pages). */
void mc_doc_new_page(struct mc_doc *d);
/* A new sheet of its own, unnumbered: another copy of a one-page form. */
void mc_doc_new_sheet(struct mc_doc *d);
/*
 * Pango markup 'markup' as a paragraph at d->y, indented by 'indent'
 * points, 'size' points, then 'after' points (markup the caller made and
 * escaped).
 */
void mc_doc_markup(struct mc_doc *d, enum mc_doc_align align, double size,
		   double indent, double after, const char *markup);
/* Pango markup 'markup' drawn at (x, y), 'w' wide; its height. */
double mc_doc_show(struct mc_doc *d, const char *markup, double x,
		   double y, double w, enum mc_doc_align align, double size);
/* The height 'markup' would take, 'w' wide, in 'size' points. */
double mc_doc_measure(struct mc_doc *d, const char *markup, double w,
		      double size);
/* A new page first when 'h' points do not fit on this one. */
void mc_doc_fit(struct mc_doc *d, double h);
/* Room left on the page below d->y, in points. */
double mc_doc_room(const struct mc_doc *d);
/* The cairo context of the page, to draw on it (cairo_t *). */
void *mc_doc_cairo(struct mc_doc *d);

/*
 * The head of Decree 30/2020 ('governing' may be ""; 'number' "" leaves
 * "Số: ……"; 'place' "" leaves the date alone). Leaves y below it.
 */
void mc_doc_head(struct mc_doc *d, const char *governing,
		 const char *issuer, const char *number, const char *place,
		 int64_t at);
/*
 * Pango markup from 'fmt' (arguments escaped) at (x, y), 'w' wide, in
 * 'size' points; its height. y < 0 means d->y, which then moves below.
 */
double mc_doc_text(struct mc_doc *d, double x, double y, double w,
		   enum mc_doc_align align, double size, const char *fmt, ...);
/* A paragraph across the text width at d->y, then 'after' points. */
void mc_doc_para(struct mc_doc *d, enum mc_doc_align align, double size,
		 double after, const char *fmt, ...);
/*
 * A table across the text width at d->y: 'ncols' columns of 'widths'
 * (fractions summing to 1), a bold header row and 'nrows' rows of plain
 * text ('cells' row by row), thin borders, text wrapped in its cell.
 * d->y moves below it. Rows that would pass the bottom margin are cut
 * and the last row says so.
 */
void mc_doc_table(struct mc_doc *d, int ncols, const double *widths,
		  const char *const *header, int nrows,
		  const char *const *cells, double size);
/* The QR code of 'text', 'size' points square, at (x, y). */
void mc_doc_qr(struct mc_doc *d, const char *text, double x, double y,
	       double size);
/* Ends the page; 0, MC_ETOOBIG past the buffer's cap, or MC_EINVAL. */
int mc_doc_end(struct mc_doc *d, struct mc_err *err);

/* 's' in upper case (Vietnamese included), into 'out' of 'n' bytes. */
void mc_utf8_upper(const char *s, char *out, size_t n);

#endif /* MC_RENDER_DOC_H */
