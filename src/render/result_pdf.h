/*
 * result_pdf.h — the e-result a unit issues when it has no file of its
 * own to upload (docs/e-results.md "Generated results"): one A4 page laid
 * out as an administrative document of Decree 30/2020 (the governing and
 * issuing bodies, the number, the national motto, place and date, the
 * title, the content, the signer), in Liberation Serif (metrically Times
 * New Roman), with the result code and a QR code of its verification
 * link. cairo + pango; reentrant, so it runs on any worker thread.
 */
#ifndef MC_RENDER_RESULT_PDF_H
#define MC_RENDER_RESULT_PDF_H

#include "core/compat.h"
#include "core/buf.h"
#include "core/err.h"
#include "render/doc.h"

struct mc_result_doc {
	const char *governing;		/* cơ quan chủ quản; "" if none */
	const char *issuer;		/* the unit that issues */
	const char *number;		/* "12/GKS"; "" leaves "Số: ……" */
	const char *place;		/* "Quảng Ngãi"; "" if unknown */
	int64_t at;			/* issued at (Unix seconds) */
	const char *title;		/* the result: "Giấy khai sinh" */
	const char *procedure;		/* the procedure's name */
	const char *dossier_code;
	const char *applicant;		/* the applicant's name */
	const char *summary;		/* the result's content; "" */
	const char *signer;		/* the official's full name */
	const char *result_code;	/* MaKetQua */
	const char *verify_url;
};

/* Renders 'doc' as a PDF appended to 'out'. */
int mc_render_result_pdf(const struct mc_result_doc *doc, struct mc_buf *out,
			 struct mc_err *err);

#endif /* MC_RENDER_RESULT_PDF_H */
