/*
 * portal.h — the national public-service portal's words for a dossier
 * (Cổng Dịch vụ công quốc gia, docs/national-portal.md): its status codes
 * (TrangThaiHoSo), channels (KenhThucHien), applicant kinds
 * (LoaiDoiTuong) and instants (yyyyMMddHHmmss, Vietnam time). Pure.
 */
#ifndef MC_DOMAIN_PORTAL_H
#define MC_DOMAIN_PORTAL_H

#include "core/compat.h"
#include "domain/lifecycle.h"

/* TrangThaiHoSo, 1 to 10, as the portal defines them. */
enum mc_portal_status {
	MC_PS_NEW = 1,			/* Mới đăng ký */
	MC_PS_RECEIVED = 2,		/* Được tiếp nhận */
	MC_PS_NOT_RECEIVED = 3,		/* Không được tiếp nhận */
	MC_PS_PROCESSING = 4,		/* Đang xử lý */
	MC_PS_SUPPLEMENT = 5,		/* Yêu cầu bổ sung giấy tờ */
	MC_PS_PAYMENT = 6,		/* Yêu cầu thực hiện nghĩa vụ tài chính */
	MC_PS_WITHDRAWN = 7,		/* Công dân yêu cầu rút hồ sơ */
	MC_PS_STOPPED = 8,		/* Dừng xử lý */
	MC_PS_DONE = 9,			/* Đã xử lý xong */
	MC_PS_RETURNED = 10		/* Đã trả kết quả */
};

/* The portal's status of a dossier in status 's'. */
enum mc_portal_status mc_portal_status(enum mc_status s);
/* Its Vietnamese label ("Đang xử lý"); "" outside 1–10. */
const char *mc_portal_status_label(int code);
/* KenhThucHien: 1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích. */
int mc_portal_channel(enum mc_channel c);
/* LoaiDoiTuong: 1 công dân, 2 doanh nghiệp (an organization). */
int mc_portal_applicant(const char *applicant_kind);
/* HinhThuc (how the result goes back): 0 at the counter, 1 by post. */
int mc_portal_return(const char *return_channel);

/* Instant 't' as the portal writes it: "20240103090000" (UTC+7). */
void mc_portal_time(int64_t t, char out[15]);
/* The instant of such a text, or MC_NO_TIME. */
int64_t mc_portal_time_parse(const char *s);

#endif /* MC_DOMAIN_PORTAL_H */
