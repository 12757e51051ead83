/*
 * forms.h — the counter's printed forms (DOMAIN.md §2; docs/forms.md),
 * one A4 page each, laid out per Decree 30/2020 (render/doc.h). The set
 * follows the dossier's rules: the forms of TT 01/2018/TT-VPCP for
 * dossiers received under ND 61/2018 and ND 107/2021, those of TT
 * 03/2025/TT-VPCP under ND 118/2025.
 */
#ifndef MC_RENDER_FORMS_H
#define MC_RENDER_FORMS_H

#include "core/compat.h"
#include "core/buf.h"
#include "core/err.h"

struct mc_receipt_item {
	const char *name;
	const char *form;		/* original, copy, … */
	int quantity;
	bool reused;			/* taken from the data store */
};

/* Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả. */
struct mc_receipt_doc {
	bool set_2025;			/* TT 03/2025 rather than TT 01/2018 */
	const char *governing, *issuer, *place;	/* the receiving unit's */
	const char *dossier_code;
	int64_t received_at, due_at;	/* due_at MC_NO_TIME: none */
	const char *applicant, *address, *phone, *email;
	const char *procedure;
	const char *period;		/* "03 ngày làm việc" */
	int nitems;
	const struct mc_receipt_item *items;
	const char *return_channel;	/* counter, postal, online */
	const char *officer;		/* the receiving officer */
	const char *lookup_url;		/* the QR code's link */
	bool file_copy;			/* also the copy kept (liên lưu) */
};

int mc_render_receipt(const struct mc_receipt_doc *doc, struct mc_buf *out,
		      struct mc_err *err);

/* The notices sent to the applicant after receipt. */
enum mc_notice_kind {
	MC_NOTICE_SUPPLEMENT,	/* Mẫu 02: yêu cầu bổ sung, hoàn thiện */
	MC_NOTICE_REFUSAL,	/* Mẫu 03: từ chối tiếp nhận, giải quyết */
	MC_NOTICE_APOLOGY,	/* Mẫu 04: xin lỗi và hẹn lại */
	MC_NOTICE_STOP		/* TT 03/2025 Mẫu 05: dừng giải quyết */
};

struct mc_notice_doc {
	enum mc_notice_kind kind;
	bool set_2025;
	const char *governing, *issuer, *place;	/* the issuing unit's */
	int64_t at;			/* when the notice was made */
	const char *applicant, *dossier_code, *procedure;
	int64_t received_at;
	const char *reason;
	const char *items;		/* supplement: "a; b; c" */
	int64_t old_due, new_due;	/* apology */
	const char *signer;		/* the official's name */
	const char *contact;		/* supplement: who guides, and phone */
};

int mc_render_notice(const struct mc_notice_doc *doc, struct mc_buf *out,
		     struct mc_err *err);

/* One hand-over on the process control sheet. */
struct mc_control_row {
	const char *unit;		/* the unit's name */
	const char *step;		/* the step, and who had it */
	int64_t given_at, done_at, due_at;	/* MC_NO_TIME if none */
};

/* Mẫu 05: Phiếu kiểm soát quá trình giải quyết hồ sơ. */
struct mc_control_doc {
	bool set_2025;
	const char *governing, *issuer, *place;	/* the receiving unit's */
	int64_t at;			/* printed at */
	const char *dossier_code, *procedure, *applicant;
	const char *lead_unit;		/* cơ quan chủ trì */
	int64_t received_at, due_at;
	int nrows;
	const struct mc_control_row *rows;
};

int mc_render_control_sheet(const struct mc_control_doc *doc,
			    struct mc_buf *out, struct mc_err *err);

/* A line of the register. */
struct mc_register_line {
	const char *code, *procedure, *applicant, *contact, *agency;
	int64_t received_at, due_at, forwarded_at, finished_at, returned_at;
	const char *note;		/* refused, late, by post…; "" */
};

/*
 * Mẫu 06 (TT 01/2018) or Mẫu 07 (TT 03/2025): Sổ theo dõi hồ sơ, the
 * receiving unit's register of the days first–last, A4 landscape, one
 * line a dossier over as many pages as it takes, the header row on each.
 */
struct mc_register_doc {
	bool set_2025;
	const char *governing, *issuer, *place;	/* the receiving unit's */
	int64_t at;			/* printed at */
	int32_t first, last;
	int nlines;
	const struct mc_register_line *lines;
};

int mc_render_register(const struct mc_register_doc *doc, struct mc_buf *out,
		       struct mc_err *err);

#endif /* MC_RENDER_FORMS_H */
