/*
 * timeutil.h — dates, instants and their text forms.
 *
 * An instant is an int64 count of seconds since 1970-01-01T00:00:00Z. A
 * date is a day number: days since 1970-01-01 (negative before). Local time
 * is Asia/Ho_Chi_Minh, a fixed UTC+07:00 with no daylight saving
 * (MC_TZ_OFFSET); instants are stored in UTC and shown in local time.
 *
 * The Gregorian conversions are exact for every year from 1 to 9999.
 */
#ifndef MC_CORE_TIMEUTIL_H
#define MC_CORE_TIMEUTIL_H

#include "core/compat.h"

#define MC_TZ_OFFSET (7 * 3600)		/* seconds east of UTC */
#define MC_DAY_SECONDS 86400

struct mc_ymd {
	int year, month, day;		/* Gregorian, month and day from 1 */
};

/* "No instant", where an instant may be absent. */
#define MC_NO_TIME INT64_MIN

/* Milliseconds since the epoch, wall clock. */
int64_t mc_time_now_ms(void);
/* Nanoseconds on a monotonic clock, for durations. */
int64_t mc_time_mono_ns(void);

bool mc_is_leap_year(int year);
/* 28..31, or 0 for a month outside 1..12. */
int mc_days_in_month(int year, int month);
bool mc_ymd_valid(int year, int month, int day);
/* Day number of a valid date. */
int32_t mc_days_from_ymd(int year, int month, int day);
struct mc_ymd mc_ymd_from_days(int32_t days);
/* ISO weekday of a day number: 1 = Monday … 7 = Sunday. */
int mc_weekday(int32_t days);

/* Local day number of an instant, and the instant a local day starts. */
int32_t mc_local_day(int64_t t);
int64_t mc_local_day_start(int32_t day);

/*
 * The value of exactly 'n' decimal digits at 's' (n <= 9), or -1 when any
 * of them is not a digit. For fixed-width fields: "2026", "07", "30".
 */
int mc_digits(const char *s, int n);

/*
 * Parses exactly "YYYY-MM-DD" (the whole of the 'n' bytes). Returns 0 or
 * MC_EINVAL; 'why' (may be NULL) gets a short reason such as
 * "2026-02-30 is not a date: February 2026 has 28 days".
 */
int mc_date_parse(const char *s, size_t n, int32_t *day, char *why,
		  size_t whylen);

/*
 * Parses an ISO 8601 / RFC 3339 instant: "YYYY-MM-DDTHH:MM[:SS[.frac]]"
 * followed by "Z" or "±HH:MM". The offset is required: a time without one
 * is ambiguous. Fractions of a second are dropped. Returns 0 or MC_EINVAL
 * with a reason in 'why'.
 */
int mc_instant_parse(const char *s, size_t n, int64_t *t, char *why,
		     size_t whylen);

/* "YYYY-MM-DD" of a day number; 'buf' needs 11 bytes. Returns 'buf'. */
char *mc_date_format(int32_t day, char *buf, size_t n);
/* "YYYY-MM-DDTHH:MM:SS+07:00"; 'buf' needs 26 bytes. Returns 'buf'. */
char *mc_time_format_local(int64_t t, char *buf, size_t n);
/* "YYYY-MM-DDTHH:MM:SSZ"; 'buf' needs 21 bytes. Returns 'buf'. */
char *mc_time_format_utc(int64_t t, char *buf, size_t n);
/* "YYYY-MM-DDTHH:MM:SS.mmmZ" of milliseconds; 'buf' needs 25 bytes. */
char *mc_time_format_utc_ms(int64_t ms, char *buf, size_t n);

/*
 * Parses a duration such as "30s", "1500ms", "5m", "2h" or a bare number of
 * seconds into milliseconds. Returns 0 or MC_EINVAL.
 */
int mc_duration_parse(const char *s, int64_t *ms);
/* Parses a size such as "1048576", "64k", "1m" into bytes. */
int mc_size_parse(const char *s, uint64_t *bytes);

#endif /* MC_CORE_TIMEUTIL_H */
