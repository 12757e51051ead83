/*
 * parse.h — reading values from text (query strings, flags, files) with
 * errors that name the field and the rule broken.
 */
#ifndef MC_CORE_PARSE_H
#define MC_CORE_PARSE_H

#include "core/compat.h"
#include "core/err.h"

/* A whole decimal number in [min, max]; rules "integer", "min", "max". */
int mc_parse_int(const char *field, const char *s, long min, long max,
		 long *out, struct mc_err *err);

/* A date YYYY-MM-DD into a day number; rule "date". */
int mc_parse_date(const char *field, const char *s, int32_t *day,
		  struct mc_err *err);

/* An instant with time zone (ISO 8601); rule "datetime". */
int mc_parse_instant(const char *field, const char *s, int64_t *t,
		     struct mc_err *err);

/* "FROM/TO", two instants; rules "datetime", "order". */
int mc_parse_interval(const char *field, const char *s, int64_t *from,
		      int64_t *to, struct mc_err *err);

/* "true"/"false"/"1"/"0"; rule "boolean". */
int mc_parse_bool(const char *field, const char *s, bool *out,
		  struct mc_err *err);

/*
 * "HH:MM-HH:MM", a daily period (the end may be the next day), into
 * seconds from midnight; "" is none (both 0). Rule "format".
 */
int mc_parse_hours(const char *field, const char *s, int32_t *start,
		   int32_t *end, struct mc_err *err);

#endif /* MC_CORE_PARSE_H */
