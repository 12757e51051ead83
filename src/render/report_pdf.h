/*
 * report_pdf.h — a report written in Markdown (the half-year report's
 * filled template) as an A4 document of Decree 30/2020: the head (the
 * governing and issuing bodies, the number, the national motto, place
 * and date) drawn from the report's heading when the text marks where
 * its body begins, then the body over as many pages as it takes, pages
 * numbered from the second, in Liberation Serif.
 *
 * The Markdown understood is what a province's template needs: "# " and
 * "## " headings, paragraphs (lines joined), "- " and "+ " list items
 * nested by their indentation, **bold** and *italic*, a line
 * "![caption](chart:NAME)" where chart NAME is drawn, and the closing.
 */
#ifndef MC_RENDER_REPORT_PDF_H
#define MC_RENDER_REPORT_PDF_H

#include "core/compat.h"
#include "core/buf.h"
#include "core/err.h"
#include "render/chart.h"

/* The line that ends the heading part of a template. */
#define MC_REPORT_BODY_MARK "<!-- body -->"
/*
 * The line that ends the body: below it, the recipients ("Nơi nhận:" and
 * a line each), then from MC_REPORT_SIGN_MARK who signs (the authority,
 * the title, a blank line for the signature, the name), drawn side by
 * side as Decree 30 lays them out.
 */
#define MC_REPORT_CLOSING_MARK "<!-- closing -->"
#define MC_REPORT_SIGN_MARK "<!-- sign -->"

/* Fills 'out' with chart 'name'; false when there is no such chart. */
typedef bool mc_report_chart_fn(const char *name, struct mc_chart *out,
				void *arg);

struct mc_report_pdf {
	const char *governing, *issuer;	/* "" when none */
	const char *number;		/* "/BC"; "" leaves "Số: ……" */
	const char *place;
	int64_t at;			/* the report's date */
	const char *title;		/* the PDF's title */
	const char *markdown;		/* NUL-ended */
	mc_report_chart_fn *chart;
	void *arg;
};

/*
 * Writes the PDF to 'out'. MC_EINVAL naming "template" with the line of
 * a chart that does not exist; MC_ETOOBIG past the buffer's cap.
 */
int mc_report_pdf(const struct mc_report_pdf *r, struct mc_buf *out,
		  struct mc_err *err);

#endif /* MC_RENDER_REPORT_PDF_H */
