/*
 * message.h — what a citizen is told, and when (docs/notifications.md):
 * the events that send a message, their priority, and the templates the
 * messages are made from ("Hồ sơ {code} đã có kết quả…"). Pure: the store
 * keeps templates and the outbox, src/jobs delivers.
 */
#ifndef MC_DOMAIN_MESSAGE_H
#define MC_DOMAIN_MESSAGE_H

#include "core/compat.h"
#include "core/buf.h"
#include "core/err.h"

/* Events that send a message to the applicant. */
enum mc_msg_event {
	MC_EV_RECEIVED,			/* accepted, with the appointment */
	MC_EV_SUPPLEMENT_REQUESTED,
	MC_EV_APOLOGY,			/* late: apology and new date */
	MC_EV_RESULT_READY,
	MC_EV_RETURNED,
	MC_EV_REFUSED,
	MC_EV_STOPPED,
	MC_EV_WITHDRAWN,
	MC_EV_PAYMENT_DUE,
	MC_EV_PAYMENT_RECEIVED,
	MC_EV_OTP,			/* a one-time sign-in code */
	MC_EV_CONTACT_CHANGED,		/* to the contact replaced */
	MC_EV_COUNT
};

enum mc_msg_channel {
	MC_MSG_SMS,
	MC_MSG_EMAIL,
	MC_MSG_WEBHOOK,			/* to a subscribed system */
	MC_MSG_ZALO,			/* ZNS, SMS when it cannot */
	MC_MSG_CHANNEL_COUNT
};

/* One-time codes first, then case messages, then bulk sends. */
enum mc_msg_priority { MC_PRIO_URGENT, MC_PRIO_CASE, MC_PRIO_BULK };

const char *mc_msg_event_name(enum mc_msg_event e);
int mc_msg_event_parse(const char *s);
const char *mc_msg_channel_name(enum mc_msg_channel c);
int mc_msg_channel_parse(const char *s);
enum mc_msg_priority mc_msg_event_priority(enum mc_msg_event e);

/*
 * The event a lifecycle action's outcome sends, by the action's name and
 * the status it led to ("accept" → received), or -1 for none (forward,
 * assign, an online dossier submitted but not yet received, …).
 */
int mc_msg_event_for(const char *action, const char *to_status);

/* Placeholders of templates, in braces: {code}. */
enum mc_placeholder {
	MC_PH_CODE,			/* dossier code */
	MC_PH_PROCEDURE,		/* procedure name */
	MC_PH_AGENCY,			/* receiving unit's name */
	MC_PH_DUE,			/* appointment: "17:00 ngày 09/03/2026" */
	MC_PH_DATE,			/* the event's day: "09/03/2026" */
	MC_PH_REASON,
	MC_PH_AMOUNT,			/* "150.000 đồng" */
	MC_PH_LINK,			/* public look-up link */
	MC_PH_OTP,
	MC_PH_MINUTES,
	MC_PH_COUNT
};
const char *mc_placeholder_name(enum mc_placeholder p);

struct mc_msg_values {
	const char *v[MC_PH_COUNT];	/* NULL renders as "" */
};

/*
 * Checks a template's text: every {name} is a known placeholder and
 * every brace is part of one. Returns 0, or MC_EINVAL naming 'field' and
 * the rule ("placeholder") with the offending name.
 */
int mc_msg_template_check(const char *text, const char *field,
			  struct mc_err *err);

/* Renders 'text' with 'vals' into 'out' (appended). 0 or MC_ETOOBIG. */
int mc_msg_render(const char *text, const struct mc_msg_values *vals,
		  struct mc_buf *out);

/* "150.000 đồng": an amount of VND with Vietnamese digit grouping. */
void mc_msg_amount(int64_t vnd, char *buf, size_t n);

#endif /* MC_DOMAIN_MESSAGE_H */
