/*
 * feedback.h — feedback and petitions (phản ánh, kiến nghị; DOMAIN.md §6,
 * ND 20/2008 as amended): statuses, the actions that move them, and the
 * deadlines in working days the 766 index scores (docs/feedback.md).
 * Pure: the store keeps them, the API takes them in.
 *
 *   received ─accept─▶ accepted ─answer─▶ answered ─publish─▶ published
 *      │                 │  ▲
 *      │        request_info  supply_info
 *      │                 ▼  │
 *      ├─request_info─▶ info_requested
 *      ├─reject──▶ rejected
 *      └─forward─▶ forwarded (to a body outside the system)
 *   route: hands it to another unit of the system, status unchanged.
 */
#ifndef MC_DOMAIN_FEEDBACK_H
#define MC_DOMAIN_FEEDBACK_H

#include "core/compat.h"
#include "core/err.h"
#include "domain/calendar.h"

enum mc_fb_status {
	MC_FB_RECEIVED,			/* in the register, not classified */
	MC_FB_ACCEPTED,			/* own competence: being handled */
	MC_FB_INFO_REQUESTED,		/* waiting for the sender (paused) */
	MC_FB_ANSWERED,			/* answered, to be published */
	MC_FB_PUBLISHED,
	MC_FB_REJECTED,			/* not accepted */
	MC_FB_FORWARDED,		/* outside competence: sent on */
	MC_FB_STATUS_COUNT
};

enum mc_fb_action {
	MC_FBA_ACCEPT,
	MC_FBA_REJECT,
	MC_FBA_FORWARD,
	MC_FBA_ROUTE,
	MC_FBA_REQUEST_INFO,
	MC_FBA_SUPPLY_INFO,
	MC_FBA_ANSWER,
	MC_FBA_PUBLISH,
	MC_FBA_COUNT
};

const char *mc_fb_status_name(enum mc_fb_status s);
int mc_fb_status_parse(const char *s);
/* "Đã tiếp nhận", "Đang xử lý", … */
const char *mc_fb_status_label(enum mc_fb_status s);
const char *mc_fb_action_name(enum mc_fb_action a);
int mc_fb_action_parse(const char *s);
bool mc_fb_final(enum mc_fb_status s);

/* Working days allowed for each step (configuration; DOMAIN.md §6). */
struct mc_fb_limits {
	int reject_wd;			/* from receipt: 2 */
	int forward_wd;			/* from receipt: 5 */
	int request_info_wd;		/* from receipt: 5 */
	int handle_wd;			/* from receipt (or new info): 15 */
	int publish_wd;			/* from the answer: 2 */
};

/*
 * Where 'action' leads from 's' ('*to'), or MC_ECONFLICT (rule "status")
 * when it cannot be taken in that status.
 */
int mc_fb_next(enum mc_fb_status s, enum mc_fb_action action,
	       enum mc_fb_status *to, struct mc_err *err);

/*
 * The deadline of 'action' (working days from the instant it counts
 * from: receipt, the sender's new information, the answer) as an
 * instant, by the calendar; MC_NO_TIME for actions without one.
 */
int mc_fb_deadline(const struct mc_calendar *cal,
		   const struct mc_fb_limits *lim, enum mc_fb_action action,
		   int64_t from, int64_t *due, struct mc_err *err);

/*
 * The instant the feedback is due next in status 's': classification
 * (forward or request information) from receipt, the answer from
 * receipt or the last new information, publication from the answer;
 * MC_NO_TIME when waiting for the sender or closed.
 */
int mc_fb_due(const struct mc_calendar *cal, const struct mc_fb_limits *lim,
	      enum mc_fb_status s, int64_t received, int64_t restarted,
	      int64_t answered, int64_t *due, struct mc_err *err);

#endif /* MC_DOMAIN_FEEDBACK_H */
