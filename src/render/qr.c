/*
 * qr.c — QR codes as SVG (see qr.h).
 */
#include "core/compat.h"
#include "render/qr.h"

#include <qrencode.h>

int mc_qr_svg(const char *text, int module_px, struct mc_buf *out,
	      struct mc_err *err)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	int x, y, size, rc = 0;

	if (!q)
		return mc_error(err, MC_EINVAL, "the text cannot be made a QR "
				"code (too long?)");
	size = (q->width + 8) * module_px;
	rc |= mc_buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
			    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
			    "shape-rendering=\"crispEdges\"><rect width=\"%d\" "
			    "height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" "
			    "d=\"", size, size, q->width + 8, q->width + 8,
			    q->width + 8, q->width + 8);
	/* One horizontal run of dark modules per path segment. */
	for (y = 0; !rc && y < q->width; y++) {
		for (x = 0; !rc && x < q->width; x++) {
			int run = 0;

			while (x + run < q->width &&
			       (q->data[y * q->width + x + run] & 1))
				run++;
			if (run) {
				rc |= mc_buf_printf(out, "M%d %dh%dv1h-%dz",
						    x + 4, y + 4, run, run);
				x += run - 1;
			}
		}
	}
	rc |= mc_buf_adds(out, "\"/></svg>");
	QRcode_free(q);
	return rc ? mc_error(err, MC_ETOOBIG, "the QR code is too large") : 0;
}
