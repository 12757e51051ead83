/*
 * qr.c — QR codes as SVG and PNG (see qr.h).
 */
#include "core/compat.h"
#include "core/mem.h"
#include "render/qr.h"

#include <png.h>
#include <qrencode.h>
#include <setjmp.h>

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

/* libpng's writes go to the buffer; a full buffer stops the image. */
struct png_out {
	struct mc_buf *buf;
	bool full;
};

static void png_write(png_structp png, png_bytep data, size_t n)
{
	struct png_out *o = png_get_io_ptr(png);

	if (!o->full && mc_buf_add(o->buf, data, n))
		o->full = true;
}

static void png_flush(png_structp png)
{
	(void)png;
}

int mc_qr_png(const char *text, int module_px, struct mc_buf *out,
	      struct mc_err *err)
{
	QRcode *q;
	png_structp png = NULL;
	png_infop info = NULL;
	struct png_out o = { out, false };
	unsigned char *volatile row = NULL;
	volatile int rc = 0;
	int size, x, y, k;

	if (module_px < 1 || module_px > 32)
		return mc_error(err, MC_EINVAL, "module size %d is not 1 to 32",
				module_px);
	q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return mc_error(err, MC_EINVAL, "the text cannot be made a QR "
				"code (too long?)");
	size = (q->width + 8) * module_px;
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	if (png)
		info = png_create_info_struct(png);
	if (!png || !info) {
		rc = mc_error(err, MC_ENOMEM, "libpng could not start");
		goto out;
	}
	if (setjmp(png_jmpbuf(png))) {
		rc = mc_error(err, MC_EINTERNAL, "libpng failed");
		goto out;
	}
	png_set_write_fn(png, &o, png_write, png_flush);
	png_set_IHDR(png, info, (png_uint_32)size, (png_uint_32)size, 1,
		     PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	row = mc_calloc(1, (size_t)(size + 7) / 8);
	for (y = 0; y < size; y++) {
		int my = y / module_px - 4;

		/* 1 bit per pixel, most significant first; 1 is white. */
		memset(row, 0xff, (size_t)(size + 7) / 8);
		for (x = 0; my >= 0 && my < q->width && x < q->width; x++) {
			if (!(q->data[my * q->width + x] & 1))
				continue;
			for (k = 0; k < module_px; k++) {
				int px = (x + 4) * module_px + k;

				row[px / 8] &= (unsigned char)~(0x80 >> (px % 8));
			}
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	if (o.full)
		rc = mc_error(err, MC_ETOOBIG, "the QR code is too large");
out:
	png_destroy_write_struct(&png, &info);
	mc_free(row);
	QRcode_free(q);
	return rc;
}
