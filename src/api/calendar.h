/*
 * calendar.h — pieces of the calendar resource shared with the command
 * line ('motcua calendar …' prints what the API answers).
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
json_t *mc_api_elapsed_json(const struct mc_calendar *cal, int64_t from,
			    int64_t to, const struct mc_pause *pauses,
			    size_t npauses, const int64_t *due);
json_t *mc_api_lunar_json(int32_t day, const struct mc_lunar_date *ld);
/* "YYYY-MM-DD" as a lunar date (leap left as is). */
int mc_api_parse_lunar(const char *field, const char *s,
		       struct mc_lunar_date *ld, struct mc_err *err);
/* mc_lunar_to_solar with an error that explains. */
int mc_api_lunar_to_solar(const char *field, const struct mc_lunar_date *ld,
			  int32_t *day, struct mc_err *err);

#endif /* MC_API_CALENDAR_H */
