/*
 * qr.h — QR codes as SVG and PNG (libqrencode, libpng): the payment QR
 * of a dossier's fees (VietQR), the look-up link on a receipt.
 */
#ifndef MC_RENDER_QR_H
#define MC_RENDER_QR_H

#include "core/compat.h"
#include "core/buf.h"
#include "core/err.h"

/*
 * Encodes 'text' (error correction M) as an SVG image of 'module_px'
 * pixels per module with a 4-module quiet zone, appended to 'out'.
 * 0, MC_EINVAL when the text cannot be encoded, or MC_ETOOBIG.
 */
int mc_qr_svg(const char *text, int module_px, struct mc_buf *out,
	      struct mc_err *err);

/*
 * The same as a PNG image: 1 bit per pixel, black on white, 'module_px'
 * pixels per module (1 to 32) with the quiet zone, appended to 'out'.
 */
int mc_qr_png(const char *text, int module_px, struct mc_buf *out,
	      struct mc_err *err);

#endif /* MC_RENDER_QR_H */
