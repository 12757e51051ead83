/*
 * chart.c — bar charts as SVG and on a document page (see chart.h).
 */
#include "core/compat.h"
#include "core/err.h"
#include "render/chart.h"

#include <cairo.h>

/* The SVG's geometry, in pixels; the page's is scaled from it. */
#define W 640.0
#define LABEL_W 250.0
#define BAR_H 18.0
#define ROW_H 28.0
#define TITLE_H 34.0
#define VALUE_W 100.0

void mc_chart_add(struct mc_chart *c, const char *label, double value,
		  double max, const char *text)
{
	struct mc_chart_bar *b;

	if (c->n >= MC_CHART_MAX_BARS)
		return;
	b = &c->bars[c->n++];
	snprintf(b->label, sizeof(b->label), "%s", label);
	b->value = value;
	b->max = max > 0 ? max : 1;
	snprintf(b->text, sizeof(b->text), "%s", text);
}

/* The share of its scale a bar fills, in [0, 1]. */
static double fill(const struct mc_chart_bar *b)
{
	double f = b->value / b->max;

	return b->value < 0 ? 0 : f > 1 ? 1 : f;
}

/* 's' escaped for XML text and attributes. */
static int add_escaped(struct mc_buf *out, const char *s)
{
	int rc = 0;

	for (; *s && !rc; s++)
		switch (*s) {
		case '&':
			rc = mc_buf_adds(out, "&amp;");
			break;
		case '<':
			rc = mc_buf_adds(out, "&lt;");
			break;
		case '>':
			rc = mc_buf_adds(out, "&gt;");
			break;
		case '"':
			rc = mc_buf_adds(out, "&quot;");
			break;
		default:
			rc = mc_buf_addc(out, *s);
		}
	return rc;
}

int mc_chart_svg(const struct mc_chart *c, struct mc_buf *out)
{
	double h = TITLE_H + ROW_H * c->n + 8, bw = W - LABEL_W - VALUE_W;
	int i, rc;

	rc = mc_buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
			 "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f "
			 "%.0f\" role=\"img\" aria-labelledby=\"t\" "
			 "font-family=\"Liberation Serif, Times New Roman, "
			 "serif\" font-size=\"14\">\n<title id=\"t\">", W, h,
			 W, h);
	rc = rc ? rc : add_escaped(out, c->title);
	rc = rc ? rc : mc_buf_adds(out, "</title>\n<text x=\"0\" y=\"20\" "
				   "font-weight=\"bold\" font-size=\"15\">");
	rc = rc ? rc : add_escaped(out, c->title);
	rc = rc ? rc : mc_buf_adds(out, "</text>\n");
	for (i = 0; i < c->n && !rc; i++) {
		const struct mc_chart_bar *b = &c->bars[i];
		double y = TITLE_H + ROW_H * i;

		rc = mc_buf_printf(out, "<text x=\"%.0f\" y=\"%.1f\" "
				 "text-anchor=\"end\">", LABEL_W - 8,
				 y + BAR_H - 4);
		rc = rc ? rc : add_escaped(out, b->label);
		rc = rc ? rc : mc_buf_printf(out, "</text>\n<rect x=\"%.0f\" "
			"y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" "
			"fill=\"#e8e8e8\"/>\n<rect x=\"%.0f\" y=\"%.1f\" "
			"width=\"%.1f\" height=\"%.0f\" fill=\"#1f4e79\"/>\n"
			"<text x=\"%.1f\" y=\"%.1f\">", LABEL_W, y, bw, BAR_H,
			LABEL_W, y, bw * fill(b), BAR_H, LABEL_W + bw + 6,
			y + BAR_H - 4);
		rc = rc ? rc : add_escaped(out, b->text);
		rc = rc ? rc : mc_buf_adds(out, "</text>\n");
	}
	rc = rc ? rc : mc_buf_adds(out, "</svg>\n");
	return rc ? MC_ETOOBIG : 0;
}

void mc_chart_draw(struct mc_doc *d, const struct mc_chart *c)
{
	const double k = mc_doc_text_w(d) / W;	/* pixels to points */
	double h = (TITLE_H + ROW_H * c->n) * k, bw = (W - LABEL_W - VALUE_W) *
		   k;
	cairo_t *cr;
	int i;

	if (mc_doc_room(d) < h)
		mc_doc_new_page(d);
	cr = mc_doc_cairo(d);
	mc_doc_text(d, MC_DOC_LEFT, d->y, mc_doc_text_w(d), MC_DOC_LEFT_ALIGN,
		    12,
		    "<b>%s</b>", c->title);
	for (i = 0; i < c->n; i++) {
		const struct mc_chart_bar *b = &c->bars[i];
		double y = d->y + (TITLE_H + ROW_H * i) * k;

		mc_doc_text(d, MC_DOC_LEFT, y, LABEL_W * k - 6,
			    MC_DOC_RIGHT_ALIGN, 11, "%s", b->label);
		cairo_set_source_rgb(cr, 0.91, 0.91, 0.91);
		cairo_rectangle(cr, MC_DOC_LEFT + LABEL_W * k, y, bw,
				BAR_H * k);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0.12, 0.31, 0.47);
		cairo_rectangle(cr, MC_DOC_LEFT + LABEL_W * k, y, bw * fill(b),
				BAR_H * k);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		mc_doc_text(d, MC_DOC_LEFT + LABEL_W * k + bw + 4, y, VALUE_W *
			    k, MC_DOC_LEFT_ALIGN, 11, "%s", b->text);
	}
	d->y += h + MC_MM(4);
}
