/*
 * calendar.h — pieces of the calendar resource shared with the command
 * line: 'motcua calendar …' reads the same inputs, with the same checks,
 * and prints (with --json) what the API answers.
 *
 * Functions returning json_t * return a new reference (never NULL unless
 * said); the caller owns it.
 */
#ifndef MC_API_CALENDAR_H
#define MC_API_CALENDAR_H

#include "core/compat.h"
#include "core/err.h"
#include "domain/calendar.h"
#include "domain/lunar.h"

#include <jansson.h>

/* A due request as text (query parameters or flags). */
struct mc_api_due_text {
	const char *start;
	const char *working_days;	/* exactly one of these four */
	const char *working_hours;
	const char *days;
	const char *months;
	const char *const *pauses;	/* "FROM/TO" */
	size_t npauses;
};

/*
 * Checks and converts 'in' into 'req' with the pauses in 'pbuf' (room for
 * MC_DUE_MAX_PAUSES). Returns 0 or MC_EINVAL naming each bad field.
 */
int mc_api_due_parse(const struct mc_api_due_text *in,
		     struct mc_due_req *req, struct mc_pause *pbuf,
		     struct mc_err *err);
json_t *mc_api_due_json(const struct mc_due_req *req, int64_t received,
			int64_t due);

/* An elapsed-time question as text. */
struct mc_api_elapsed_text {
	const char *from, *to;		/* required */
	const char *due;		/* may be NULL */
	const char *const *pauses;
	size_t npauses;
};

struct mc_api_elapsed {
	int64_t from, to, due;
	bool has_due;
	struct mc_pause pauses[MC_DUE_MAX_PAUSES];
	size_t npauses;
};

int mc_api_elapsed_parse(const struct mc_api_elapsed_text *in,
			 struct mc_api_elapsed *out, struct mc_err *err);
json_t *mc_api_elapsed_json(const struct mc_calendar *cal,
			    const struct mc_api_elapsed *q);

/*
 * The special days of 'year' as the API answers them (also printed by
 * 'motcua calendar holidays --json'); NULL when the year is outside the
 * calendar.
 */
json_t *mc_api_calendar_year(const struct mc_calendar *cal, int year);

/* Name of a day kind in the API ("holiday", "working_day", …). */
const char *mc_api_day_kind(int kind);

/* Lunar dates: checks that say what is wrong, naming 'field'. */
int mc_api_solar_date(const char *field, const char *s, int32_t *day,
		      struct mc_lunar_date *ld, struct mc_err *err);
int mc_api_lunar_date(const char *field, const char *s, bool leap,
		      struct mc_lunar_date *ld, int32_t *day,
		      struct mc_err *err);
json_t *mc_api_lunar_json(int32_t day, const struct mc_lunar_date *ld);

#endif /* MC_API_CALENDAR_H */
