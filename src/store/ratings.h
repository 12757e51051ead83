/*
 * ratings.h — satisfaction ratings as stored (docs/ratings.md): one per
 * dossier after its result was returned, changeable for a while, and the
 * leader's follow-up of a "not satisfied" one; rates by unit, procedure,
 * officer and period.
 */
#ifndef MC_STORE_RATINGS_H
#define MC_STORE_RATINGS_H

#include "core/compat.h"
#include "core/err.h"
#include "domain/calendar.h"
#include "store/catalog.h"
#include "store/store.h"

#define MC_RATING_CRITERIA_MAX 256
#define MC_RATING_COMMENT_MAX 2048

/* A rating to record. */
struct mc_rating_in {
	const char *code;		/* the dossier */
	const char *level;		/* very_satisfied, satisfied, … */
	const char *criteria;		/* comma-separated codes, or "" */
	const char *comment;
	int64_t citizen_id;		/* the applicant signed in, or 0 */
	const char *citizen_id_number;	/* must be the dossier's applicant */
	const struct mc_user *officer;	/* at the kiosk, or NULL */
	const struct mc_calendar *cal;
	int64_t now;
	int64_t change_window_s;	/* how long it may be changed */
	int followup_days;		/* working days for a follow-up */
};

struct mc_rating {
	int64_t id;
	char dossier_code[96];
	char unit_code[64];
	char level[24];
	char criteria[MC_RATING_CRITERIA_MAX];
	char comment[MC_RATING_COMMENT_MAX];
	char source[16];		/* citizen, kiosk */
	int64_t created_at, updated_at, changeable_until;
	int64_t followup_due_at, followup_done_at;	/* MC_NO_TIME if none */
	char followup_by[64];
	char followup_note[MC_RATING_COMMENT_MAX];
};

/*
 * Write: records (or, within its window, changes) the rating of dossier
 * in->code. MC_ENOTFOUND when there is no such dossier, or it is not
 * the citizen's; MC_ECONFLICT rule "status" before the result is
 * returned, "rating_window" once the rating can no longer change.
 * A "not satisfied" rating opens a follow-up due in followup_days working
 * days; changed to another level, its open follow-up is closed. Fills
 * 'out'; '*created' tells a new rating from a change.
 */
int mc_rating_put(struct mc_conn *c, const struct mc_rating_in *in,
		  struct mc_rating *out, bool *created, struct mc_err *err);

/* The rating of dossier 'code': 0 or MC_ENOTFOUND. */
int mc_rating_get(struct mc_conn *c, const char *code, struct mc_rating *out,
		  struct mc_err *err);

/*
 * Follow-ups of ratings of dossiers that a unit within 'scope_path'
 * received or handled, open ones (or done ones); keyset on the rating
 * id. Returns how many, or an error.
 */
typedef void mc_rating_fn(const struct mc_rating *r, void *arg);
int mc_rating_followups(struct mc_conn *c, const char *scope_path, bool open,
			int64_t after_id, int limit, mc_rating_fn *fn,
			void *arg, struct mc_err *err);

/*
 * Write: closes rating 'id''s follow-up with 'note' by 'leader', who must
 * be in (or above) a unit that received or handled the dossier.
 * MC_ENOTFOUND, or MC_ECONFLICT rule "followup" when there is no open
 * follow-up.
 */
int mc_rating_followup_done(struct mc_conn *c, int64_t id,
			    const struct mc_user *leader, const char *note,
			    int64_t now, struct mc_err *err);

/*
 * Rates over ratings given in [from, to) (UTC text) of dossiers a unit
 * within 'scope_path' received or handled, grouped by receiving unit,
 * procedure, or the officer who took the dossier in.
 */
enum mc_rating_group { MC_RG_UNIT, MC_RG_PROCEDURE, MC_RG_OFFICER };
struct mc_rating_row {
	char key[64];			/* unit code, procedure code, user */
	char name[512];
	int64_t very_satisfied, satisfied, not_satisfied;
};
typedef void mc_rating_row_fn(const struct mc_rating_row *r, void *arg);
int mc_rating_stats(struct mc_conn *c, const char *scope_path,
		    const char *from, const char *to, enum mc_rating_group g,
		    mc_rating_row_fn *fn, void *arg, struct mc_err *err);

#endif /* MC_STORE_RATINGS_H */
