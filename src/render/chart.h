/*
 * chart.h — bar charts of report figures (docs/reports.md "Charts"): one
 * horizontal bar per item against its scale (100% for a rate, the
 * group's national points for the 766 index), with the label on the left
 * and the value in Vietnamese on the bar's right. The same chart is
 * written as SVG for the web and drawn into a document page for the PDF,
 * so both show the same thing.
 */
#ifndef MC_RENDER_CHART_H
#define MC_RENDER_CHART_H

#include "core/compat.h"
#include "core/buf.h"
#include "render/doc.h"

#define MC_CHART_MAX_BARS 12

struct mc_chart_bar {
	char label[128];
	double value, max;	/* max > 0; value < 0: no figure */
	char text[48];		/* the value as printed ("81,60%") */
};

struct mc_chart {
	char title[256];
	int n;
	struct mc_chart_bar bars[MC_CHART_MAX_BARS];
};

/* Adds a bar; ignored past MC_CHART_MAX_BARS. */
void mc_chart_add(struct mc_chart *c, const char *label, double value,
		  double max, const char *text);
/* The chart as an SVG document (UTF-8); 0 or MC_ETOOBIG. */
int mc_chart_svg(const struct mc_chart *c, struct mc_buf *out);
/* Draws the chart across the text width at d->y; d->y moves below it. */
void mc_chart_draw(struct mc_doc *d, const struct mc_chart *c);

#endif /* MC_RENDER_CHART_H */
