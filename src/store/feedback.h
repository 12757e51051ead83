/*
 * feedback.h — feedback and petitions as stored (docs/feedback.md): the
 * register, its steps with their deadlines, listings, and the sender's
 * reaction to the published answer.
 */
#ifndef MC_STORE_FEEDBACK_H
#define MC_STORE_FEEDBACK_H

#include "core/compat.h"
#include "core/err.h"
#include "domain/feedback.h"
#include "store/catalog.h"
#include "store/store.h"

#define MC_FB_TEXT_MAX 8192

struct mc_feedback {
	int64_t id;
	char code[48];
	char province_code[16];
	char channel[16];		/* portal, letter, hotline, counter, web */
	char kind[16];			/* reflection, recommendation */
	char subject[16];		/* regulation, procedure, conduct, "" */
	char title[512];
	char content[MC_FB_TEXT_MAX];
	char sender_name[MC_NAME_MAX];
	char sender_phone[16];
	char sender_email[256];
	char sender_address[MC_NAME_MAX];
	int64_t citizen_id;
	char dossier_code[96];
	char external_id[128];
	int64_t unit_id;
	char unit_code[MC_CODE_MAX];
	char unit_name[MC_NAME_MAX];
	char unit_path[MC_PATH_MAX];
	enum mc_fb_status status;
	int64_t received_at, restarted_at, answered_at, closed_at, due_at;
	char answer[MC_FB_TEXT_MAX];
	char reason[MC_TEXT_MAX];
	char forwarded_to[512];
	char reaction[16];
	int64_t row_version;
};

/* What comes in (the caller has checked the fields). */
struct mc_feedback_in {
	const char *channel, *kind, *subject;	/* subject may be "" */
	const char *title, *content;
	const char *sender_name, *sender_phone, *sender_email,
		   *sender_address;
	int64_t citizen_id;		/* signed-in sender, or 0 */
	const char *dossier_code;	/* "" if none */
	const char *external_id;	/* the portal's id, or "" */
	const char *unit_code;		/* "" → 'default_unit' */
	const char *default_unit;	/* the unit that takes feedback in */
	const struct mc_user *actor;	/* staff taking it in, or NULL */
	const struct mc_calendar *cal;
	const struct mc_fb_limits *lim;
	int64_t now;
};

/*
 * Write: registers feedback ("PAKN-YYMMDD-NNNN"), due for classification.
 * The same external_id twice gives the first feedback ('*created' false).
 * MC_EINVAL naming unit_code or dossier_code when they do not exist.
 */
int mc_feedback_create(struct mc_conn *c, const struct mc_feedback_in *in,
		       struct mc_feedback *out, bool *created,
		       struct mc_err *err);

int mc_feedback_get(struct mc_conn *c, const char *code,
		    struct mc_feedback *out, struct mc_err *err);

/* A step on feedback. */
struct mc_feedback_act {
	enum mc_fb_action action;
	const char *reason;		/* reject, forward, request_info */
	const char *answer;		/* answer */
	const char *subject;		/* accept: if not classified yet */
	const char *unit_code;		/* route */
	const char *forwarded_to;	/* forward: the competent body */
	int64_t expect_version;		/* 0: do not check */
	const struct mc_user *actor;
	const struct mc_calendar *cal;
	const struct mc_fb_limits *lim;
	int64_t now;
};

/*
 * Write: takes a step. The actor must be in (or above) the handling
 * unit. MC_ENOTFOUND, MC_ECONFLICT (rule "status", or "changed" for a
 * stale expect_version), MC_EINVAL naming a missing or bad field.
 * Records whether the step kept its deadline.
 */
int mc_feedback_act(struct mc_conn *c, const char *code,
		    const struct mc_feedback_act *a, struct mc_feedback *out,
		    struct mc_err *err);

struct mc_feedback_event {
	int64_t seq, at;
	char actor[64], action[24], from[24], to[24];
	char note[MC_TEXT_MAX];
	int on_time;			/* 1, 0, or -1 when no deadline */
};
typedef void mc_feedback_event_fn(const struct mc_feedback_event *e,
				  void *arg);
int mc_feedback_events(struct mc_conn *c, int64_t id,
		       mc_feedback_event_fn *fn, void *arg,
		       struct mc_err *err);

struct mc_feedback_filter {
	const char *scope_path;		/* handling unit within; NULL: any */
	int status;			/* -1: any */
	bool open_only;			/* not closed */
	bool published_only;
	bool overdue_only;		/* open and due before 'now' */
	const char *subject;		/* NULL: any */
	int64_t citizen_id;		/* 0: any */
	int64_t before_id;
	int limit;
	int64_t now;
};
typedef void mc_feedback_fn(const struct mc_feedback *f, void *arg);
int mc_feedback_list(struct mc_conn *c, const struct mc_feedback_filter *f,
		     mc_feedback_fn *fn, void *arg, struct mc_err *err);

/*
 * Write: the sender's like or dislike of the published answer (a signed-
 * in citizen who sent it). MC_ENOTFOUND for someone else's; MC_ECONFLICT
 * rule "status" before publication.
 */
int mc_feedback_react(struct mc_conn *c, const char *code,
		      int64_t citizen_id, const char *reaction, int64_t now,
		      struct mc_err *err);

#endif /* MC_STORE_FEEDBACK_H */
