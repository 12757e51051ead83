/*
 * feedback.c — statuses, actions and deadlines of feedback (feedback.h).
 */
#include "core/compat.h"
#include "core/timeutil.h"
#include "domain/feedback.h"
#include "domain/lifecycle.h"

static const char *const status_names[MC_FB_STATUS_COUNT] = {
	"received", "accepted", "info_requested", "answered", "published",
	"rejected", "forwarded"
};

static const char *const status_labels[MC_FB_STATUS_COUNT] = {
	"Đã tiếp nhận", "Đang xử lý", "Chờ bổ sung thông tin",
	"Chờ công khai", "Đã công khai", "Từ chối tiếp nhận",
	"Chuyển cơ quan có thẩm quyền"
};

static const char *const action_names[MC_FBA_COUNT] = {
	"accept", "reject", "forward", "route", "request_info", "supply_info",
	"answer", "publish"
};

const char *mc_fb_status_name(enum mc_fb_status s)
{
	return (unsigned)s < MC_FB_STATUS_COUNT ? status_names[s] : "?";
}

const char *mc_fb_status_label(enum mc_fb_status s)
{
	return (unsigned)s < MC_FB_STATUS_COUNT ? status_labels[s] : "?";
}

int mc_fb_status_parse(const char *s)
{
	int i;

	for (i = 0; s && i < MC_FB_STATUS_COUNT; i++)
		if (!strcmp(s, status_names[i]))
			return i;
	return -1;
}

const char *mc_fb_action_name(enum mc_fb_action a)
{
	return (unsigned)a < MC_FBA_COUNT ? action_names[a] : "?";
}

int mc_fb_action_parse(const char *s)
{
	int i;

	for (i = 0; s && i < MC_FBA_COUNT; i++)
		if (!strcmp(s, action_names[i]))
			return i;
	return -1;
}

bool mc_fb_final(enum mc_fb_status s)
{
	return s == MC_FB_PUBLISHED || s == MC_FB_REJECTED ||
	       s == MC_FB_FORWARDED;
}

int mc_fb_next(enum mc_fb_status s, enum mc_fb_action action,
	       enum mc_fb_status *to, struct mc_err *err)
{
	static const struct {
		enum mc_fb_action a;
		unsigned from;		/* bit set of statuses */
		int to;			/* -1: unchanged */
	} moves[] = {
		{ MC_FBA_ACCEPT, 1u << MC_FB_RECEIVED, MC_FB_ACCEPTED },
		{ MC_FBA_REJECT, 1u << MC_FB_RECEIVED, MC_FB_REJECTED },
		{ MC_FBA_FORWARD, 1u << MC_FB_RECEIVED, MC_FB_FORWARDED },
		{ MC_FBA_ROUTE, 1u << MC_FB_RECEIVED | 1u << MC_FB_ACCEPTED,
		  -1 },
		{ MC_FBA_REQUEST_INFO, 1u << MC_FB_RECEIVED |
		  1u << MC_FB_ACCEPTED, MC_FB_INFO_REQUESTED },
		{ MC_FBA_SUPPLY_INFO, 1u << MC_FB_INFO_REQUESTED,
		  MC_FB_ACCEPTED },
		{ MC_FBA_ANSWER, 1u << MC_FB_ACCEPTED, MC_FB_ANSWERED },
		{ MC_FBA_PUBLISH, 1u << MC_FB_ANSWERED, MC_FB_PUBLISHED },
	};
	size_t i;

	for (i = 0; i < MC_ARRAY_SIZE(moves); i++) {
		if (moves[i].a != action)
			continue;
		if (!(moves[i].from & (1u << s)))
			break;
		*to = moves[i].to < 0 ? s : (enum mc_fb_status)moves[i].to;
		return 0;
	}
	return mc_err_rule(err, MC_ECONFLICT, "action", "status", "%s cannot "
			   "be taken on feedback that is %s",
			   mc_fb_action_name(action), mc_fb_status_name(s));
}

static int add_wd(const struct mc_calendar *cal, int wd, int64_t from,
		  int64_t *due, struct mc_err *err)
{
	struct mc_period p = { wd, MC_DUE_WORKING_DAYS };
	int64_t received;

	return mc_lc_due(cal, p, from, &received, due, err);
}

int mc_fb_deadline(const struct mc_calendar *cal,
		   const struct mc_fb_limits *lim, enum mc_fb_action action,
		   int64_t from, int64_t *due, struct mc_err *err)
{
	int wd;

	switch (action) {
	case MC_FBA_REJECT:
		wd = lim->reject_wd;
		break;
	case MC_FBA_FORWARD:
		wd = lim->forward_wd;
		break;
	case MC_FBA_REQUEST_INFO:
		wd = lim->request_info_wd;
		break;
	case MC_FBA_ANSWER:
		wd = lim->handle_wd;
		break;
	case MC_FBA_PUBLISH:
		wd = lim->publish_wd;
		break;
	default:
		*due = MC_NO_TIME;
		return 0;
	}
	return add_wd(cal, wd, from, due, err);
}

int mc_fb_due(const struct mc_calendar *cal, const struct mc_fb_limits *lim,
	      enum mc_fb_status s, int64_t received, int64_t restarted,
	      int64_t answered, int64_t *due, struct mc_err *err)
{
	switch (s) {
	case MC_FB_RECEIVED:
		return add_wd(cal, lim->forward_wd > lim->request_info_wd ?
			      lim->forward_wd : lim->request_info_wd,
			      received, due, err);
	case MC_FB_ACCEPTED:
		return add_wd(cal, lim->handle_wd, restarted != MC_NO_TIME ?
			      restarted : received, due, err);
	case MC_FB_ANSWERED:
		return add_wd(cal, lim->publish_wd, answered, due, err);
	default:
		*due = MC_NO_TIME;
		return 0;
	}
}
