/*
 * parse.c — reading values from text; see parse.h.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/parse.h"
#include "core/timeutil.h"

int mc_parse_int(const char *field, const char *s, long min, long max,
		 long *out, struct mc_err *err)
{
	const char *p = s;
	long v = 0;
	bool neg = false;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (!*p)
		return mc_err_field(err, field, "integer", "'%.40s' is not a "
				    "whole number", s);
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return mc_err_field(err, field, "integer", "'%.40s' is "
					    "not a whole number", s);
		if (v > (LONG_MAX - 9) / 10)
			return neg ? mc_err_field(err, field, "min", "must be "
						  "%ld or more", min) :
				     mc_err_field(err, field, "max", "must be "
						  "at most %ld", max);
		v = v * 10 + (*p - '0');
	}
	if (neg)
		v = -v;
	if (v < min)
		return mc_err_field(err, field, "min", "must be %ld or more, "
				    "got %ld", min, v);
	if (v > max)
		return mc_err_field(err, field, "max", "must be at most %ld, "
				    "got %ld", max, v);
	*out = v;
	return 0;
}

int mc_parse_date(const char *field, const char *s, int32_t *day,
		  struct mc_err *err)
{
	char why[160];

	if (mc_date_parse(s, strlen(s), day, why, sizeof(why)))
		return mc_err_field(err, field, "date", "%s", why);
	return 0;
}

int mc_parse_instant(const char *field, const char *s, int64_t *t,
		     struct mc_err *err)
{
	char why[160];

	if (mc_instant_parse(s, strlen(s), t, why, sizeof(why)))
		return mc_err_field(err, field, "datetime", "%s", why);
	return 0;
}

int mc_parse_interval(const char *field, const char *s, int64_t *from,
		      int64_t *to, struct mc_err *err)
{
	const char *slash = strchr(s, '/');
	char why[160];

	if (!slash)
		return mc_err_field(err, field, "interval", "expected FROM/TO "
				    "(two times such as 2026-03-02T08:00:00"
				    "+07:00), got '%.60s'", s);
	if (mc_instant_parse(s, (size_t)(slash - s), from, why, sizeof(why)) ||
	    mc_instant_parse(slash + 1, strlen(slash + 1), to, why,
			     sizeof(why)))
		return mc_err_field(err, field, "datetime", "%s", why);
	if (*to < *from)
		return mc_err_field(err, field, "order", "'%.60s' ends before "
				    "it starts", s);
	return 0;
}

int mc_parse_bool(const char *field, const char *s, bool *out,
		  struct mc_err *err)
{
	if (!strcmp(s, "true") || !strcmp(s, "1")) {
		*out = true;
		return 0;
	}
	if (!strcmp(s, "false") || !strcmp(s, "0")) {
		*out = false;
		return 0;
	}
	return mc_err_field(err, field, "boolean", "'%.20s' is not true or "
			    "false", s);
}

static int hhmm(const char *s, int32_t *out)
{
	int h, m;

	if (mc_digits(s, 2) < 0 || s[2] != ':' || mc_digits(s + 3, 2) < 0)
		return -1;
	h = mc_digits(s, 2);
	m = mc_digits(s + 3, 2);
	if (h > 23 || m > 59)
		return -1;
	*out = h * 3600 + m * 60;
	return 0;
}

int mc_parse_hours(const char *field, const char *s, int32_t *start,
		   int32_t *end, struct mc_err *err)
{
	*start = *end = 0;
	if (!s || !*s)
		return 0;
	if (strlen(s) != 11 || s[5] != '-' || hhmm(s, start) ||
	    hhmm(s + 6, end))
		return mc_err_field(err, field, "format", "HH:MM-HH:MM, e.g. "
				    "21:00-07:00, got '%.40s'", s);
	return 0;
}
