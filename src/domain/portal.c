/*
 * portal.c — the national portal's codes (see portal.h).
 */
#include "core/compat.h"
#include "domain/portal.h"

enum mc_portal_status mc_portal_status(enum mc_status s)
{
	switch (s) {
	case MC_ST_SUBMITTED:
		return MC_PS_NEW;
	case MC_ST_RECEIVED:
		return MC_PS_RECEIVED;
	case MC_ST_AWAITING_SUPPLEMENT:
		return MC_PS_SUPPLEMENT;
	case MC_ST_AWAITING_PAYMENT:
		return MC_PS_PAYMENT;
	case MC_ST_RESULT_READY:
		return MC_PS_DONE;
	case MC_ST_RETURNED:
		return MC_PS_RETURNED;
	case MC_ST_REFUSED:
		return MC_PS_NOT_RECEIVED;
	case MC_ST_WITHDRAWN:
		return MC_PS_WITHDRAWN;
	case MC_ST_STOPPED:
		return MC_PS_STOPPED;
	case MC_ST_PROCESSING:
	case MC_ST_COUNT:
		break;
	}
	return MC_PS_PROCESSING;
}

const char *mc_portal_status_label(int code)
{
	static const char *const labels[] = { "", "Mới đăng ký",
		"Được tiếp nhận", "Không được tiếp nhận", "Đang xử lý",
		"Yêu cầu bổ sung giấy tờ",
		"Yêu cầu thực hiện nghĩa vụ tài chính",
		"Công dân yêu cầu rút hồ sơ", "Dừng xử lý", "Đã xử lý xong",
		"Đã trả kết quả" };

	return code >= 1 && code <= 10 ? labels[code] : "";
}

int mc_portal_channel(enum mc_channel c)
{
	return c == MC_CH_ONLINE ? 2 : c == MC_CH_POSTAL ? 3 : 1;
}

int mc_portal_applicant(const char *applicant_kind)
{
	return applicant_kind && !strcmp(applicant_kind, "organization") ? 2 :
	       1;
}

int mc_portal_return(const char *return_channel)
{
	return return_channel && !strcmp(return_channel, "postal") ? 1 : 0;
}

/* 'v' as 'n' digits at 'out', the leftmost dropped. */
static char *digits(char *out, int v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--, v /= 10)
		out[i] = (char)('0' + v % 10);
	return out + n;
}

void mc_portal_time(int64_t t, char out[15])
{
	struct mc_ymd d = mc_ymd_from_days(mc_local_day(t));
	int64_t s = t + MC_TZ_OFFSET;
	int sec = (int)(((s % 86400) + 86400) % 86400);
	char *p = out;

	p = digits(p, d.year, 4);
	p = digits(p, d.month, 2);
	p = digits(p, d.day, 2);
	p = digits(p, sec / 3600, 2);
	p = digits(p, sec / 60 % 60, 2);
	p = digits(p, sec % 60, 2);
	*p = '\0';
}

int64_t mc_portal_time_parse(const char *s)
{
	static const int width[] = { 4, 2, 2, 2, 2, 2 };
	int v[6], i, k;
	int32_t day;

	if (!s || strlen(s) != 14)
		return MC_NO_TIME;
	for (i = 0; i < 6; i++) {
		v[i] = 0;
		for (k = 0; k < width[i]; k++, s++) {
			if (*s < '0' || *s > '9')
				return MC_NO_TIME;
			v[i] = v[i] * 10 + (*s - '0');
		}
	}
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 ||
	    v[4] > 59 || v[5] > 59)
		return MC_NO_TIME;
	day = mc_days_from_ymd(v[0], v[1], v[2]);
	if (mc_ymd_from_days(day).day != v[2])
		return MC_NO_TIME;	/* 31/02 */
	return mc_local_day_start(day) + v[3] * 3600 + v[4] * 60 + v[5];
}
