/*
 * timeutil.c — Gregorian day arithmetic and ISO 8601 text; see timeutil.h.
 *
 * Day numbers use the usual shift of the year to start in March, so that
 * the leap day is the last day of a shifted year and every 400-year era has
 * the same 146097 days.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/timeutil.h"

#include <time.h>

int64_t mc_time_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t mc_time_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

bool mc_is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int mc_days_in_month(int year, int month)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				     30, 31 };

	if (month < 1 || month > 12)
		return 0;
	return month == 2 && mc_is_leap_year(year) ? 29 : dim[month - 1];
}

bool mc_ymd_valid(int year, int month, int day)
{
	return year >= 1 && year <= 9999 && day >= 1 &&
	       day <= mc_days_in_month(year, month);
}

int32_t mc_days_from_ymd(int year, int month, int day)
{
	int y = month <= 2 ? year - 1 : year;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;			/* 0..399 */
	int mp = (month + 9) % 12;			/* March = 0 */
	int doy = (153 * mp + 2) / 5 + day - 1;		/* 0..365 */
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	/* 0..146096 */

	return era * 146097 + doe - 719468;
}

struct mc_ymd mc_ymd_from_days(int32_t days)
{
	int32_t z = days + 719468;
	int32_t era = (z >= 0 ? z : z - 146096) / 146097;
	int32_t doe = z - era * 146097;
	int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int32_t mp = (5 * doy + 2) / 153;
	struct mc_ymd r;

	r.day = doy - (153 * mp + 2) / 5 + 1;
	r.month = mp < 10 ? mp + 3 : mp - 9;
	r.year = yoe + era * 400 + (r.month <= 2);
	return r;
}

int mc_weekday(int32_t days)
{
	/* 1970-01-01 was a Thursday (4). */
	int w = (int)((days % 7 + 7) % 7);

	return (w + 3) % 7 + 1;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int32_t mc_local_day(int64_t t)
{
	return (int32_t)floor_div(t + MC_TZ_OFFSET, MC_DAY_SECONDS);
}

int64_t mc_local_day_start(int32_t day)
{
	return (int64_t)day * MC_DAY_SECONDS - MC_TZ_OFFSET;
}

int mc_digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static const char *const month_en[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

static int why(char *buf, size_t n, const char *fmt, ...) MC_PRINTF(3, 4);
static int why(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (buf && n) {
		va_start(ap, fmt);
		vsnprintf(buf, n, fmt, ap);
		va_end(ap);
	}
	return MC_EINVAL;
}

/* Checks y-m-d and explains what is wrong. */
static int check_ymd(int y, int m, int d, char *w, size_t wn)
{
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return why(w, wn, "%04d-%02d-%02d is not a date", y, m, d);
	if (d > mc_days_in_month(y, m))
		return why(w, wn, "%04d-%02d-%02d is not a date: %s %d has %d "
			   "days", y, m, d, month_en[m - 1], y,
			   mc_days_in_month(y, m));
	return 0;
}

int mc_date_parse(const char *s, size_t n, int32_t *day, char *w, size_t wn)
{
	int y, m, d, rc;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return why(w, wn, "expected a date as YYYY-MM-DD, got '%.*s'",
			   (int)(n > 40 ? 40 : n), s);
	y = mc_digits(s, 4);
	m = mc_digits(s + 5, 2);
	d = mc_digits(s + 8, 2);
	if (y < 0 || m < 0 || d < 0)
		return why(w, wn, "expected a date as YYYY-MM-DD, got '%.*s'",
			   (int)n, s);
	rc = check_ymd(y, m, d, w, wn);
	if (rc)
		return rc;
	*day = mc_days_from_ymd(y, m, d);
	return 0;
}

int mc_instant_parse(const char *s, size_t n, int64_t *t, char *w,
		     size_t wn)
{
	const char *p = s, *end = s + n;
	int32_t day;
	int hh, mi, ss = 0, off = 0, rc, y;

	if (n < 16 || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
		goto bad;
	rc = mc_date_parse(s, 10, &day, w, wn);
	if (rc)
		return rc;
	p = s + 11;
	hh = mc_digits(p, 2);
	if (hh < 0 || p[2] != ':')
		goto bad;
	mi = mc_digits(p + 3, 2);
	if (mi < 0)
		goto bad;
	p += 5;
	if (p < end && *p == ':') {
		if (end - p < 3 || (ss = mc_digits(p + 1, 2)) < 0)
			goto bad;
		p += 3;
		if (p < end && (*p == '.' || *p == ',')) {
			p++;
			if (p >= end || *p < '0' || *p > '9')
				goto bad;
			while (p < end && *p >= '0' && *p <= '9')
				p++;
		}
	}
	if (hh > 23 || mi > 59 || ss > 59)
		return why(w, wn, "'%.*s' has no such time of day", (int)n, s);
	if (p < end && (*p == 'Z' || *p == 'z')) {
		p++;
	} else if (p < end && (*p == '+' || *p == '-')) {
		int oh, om;

		if (end - p != 6 || p[3] != ':')
			goto bad;
		oh = mc_digits(p + 1, 2);
		om = mc_digits(p + 4, 2);
		if (oh < 0 || om < 0 || oh > 23 || om > 59)
			goto bad;
		off = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
		p += 6;
	} else if (p == end) {
		return why(w, wn, "'%.*s' has no time zone: add Z or an "
			   "offset such as +07:00", (int)n, s);
	}
	if (p != end)
		goto bad;
	*t = (int64_t)day * MC_DAY_SECONDS + hh * 3600 + mi * 60 + ss - off;
	/* Shown in local time, it must still have a four-digit year. */
	y = mc_ymd_from_days(mc_local_day(*t)).year;
	if (y > 9999 || y < 1)
		return why(w, wn, "'%.*s' is outside the years 0001–9999",
			   (int)n, s);
	return 0;
bad:
	return why(w, wn, "expected a time as YYYY-MM-DDTHH:MM:SS+07:00, got "
		   "'%.*s'", (int)(n > 60 ? 60 : n), s);
}

char *mc_date_format(int32_t day, char *buf, size_t n)
{
	struct mc_ymd d = mc_ymd_from_days(day);

	snprintf(buf, n, "%04d-%02d-%02d", d.year, d.month, d.day);
	return buf;
}

static char *format_at(int64_t t, int offset, const char *suffix,
		       char *buf, size_t n)
{
	int64_t lt = t + offset;
	int32_t day = (int32_t)floor_div(lt, MC_DAY_SECONDS);
	int64_t sod = lt - (int64_t)day * MC_DAY_SECONDS;
	struct mc_ymd d = mc_ymd_from_days(day);
	size_t sl = strlen(suffix);

	/* Hot (every time in every answer): digits by hand, no printf. */
	if (d.year >= 0 && d.year <= 9999 && n >= 20 + sl) {
		const int f[6] = { d.year, d.month, d.day, (int)(sod / 3600),
				   (int)(sod / 60 % 60), (int)(sod % 60) };
		char *p = buf;
		int i;

		*p++ = (char)('0' + f[0] / 1000);
		*p++ = (char)('0' + f[0] / 100 % 10);
		*p++ = (char)('0' + f[0] / 10 % 10);
		*p++ = (char)('0' + f[0] % 10);
		for (i = 1; i < 6; i++) {
			*p++ = "--T::"[i - 1];
			*p++ = (char)('0' + f[i] / 10);
			*p++ = (char)('0' + f[i] % 10);
		}
		memcpy(p, suffix, sl + 1);
		return buf;
	}
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d%s", d.year, d.month,
		 d.day, (int)(sod / 3600), (int)(sod / 60 % 60),
		 (int)(sod % 60), suffix);
	return buf;
}

char *mc_time_format_local(int64_t t, char *buf, size_t n)
{
	return format_at(t, MC_TZ_OFFSET, "+07:00", buf, n);
}

char *mc_time_format_utc(int64_t t, char *buf, size_t n)
{
	return format_at(t, 0, "Z", buf, n);
}

char *mc_time_format_utc_ms(int64_t ms, char *buf, size_t n)
{
	char frac[8];

	snprintf(frac, sizeof(frac), ".%03dZ", (int)(ms - floor_div(ms, 1000)
						     * 1000));
	return format_at(floor_div(ms, 1000), 0, frac, buf, n);
}

/* Parses a non-negative decimal prefix; returns the end or NULL. */
static const char *number(const char *s, uint64_t *v)
{
	uint64_t x = 0;

	if (*s < '0' || *s > '9')
		return NULL;
	while (*s >= '0' && *s <= '9') {
		if (x > (UINT64_MAX - 9) / 10)
			return NULL;
		x = x * 10 + (uint64_t)(*s++ - '0');
	}
	*v = x;
	return s;
}

int mc_duration_parse(const char *s, int64_t *ms)
{
	uint64_t v, mult;
	const char *p = number(s, &v);

	if (!p)
		return MC_EINVAL;
	if (strcmp(p, "") == 0 || strcmp(p, "s") == 0)
		mult = 1000;
	else if (strcmp(p, "ms") == 0)
		mult = 1;
	else if (strcmp(p, "m") == 0 || strcmp(p, "min") == 0)
		mult = 60000;
	else if (strcmp(p, "h") == 0)
		mult = 3600000;
	else
		return MC_EINVAL;
	if (v > (uint64_t)INT64_MAX / mult)
		return MC_EINVAL;
	*ms = (int64_t)(v * mult);
	return 0;
}

int mc_size_parse(const char *s, uint64_t *bytes)
{
	uint64_t v, mult;
	const char *p = number(s, &v);

	if (!p)
		return MC_EINVAL;
	if (strcmp(p, "") == 0 || strcmp(p, "b") == 0)
		mult = 1;
	else if (strcmp(p, "k") == 0 || strcmp(p, "K") == 0)
		mult = 1024;
	else if (strcmp(p, "m") == 0 || strcmp(p, "M") == 0)
		mult = 1024 * 1024;
	else if (strcmp(p, "g") == 0 || strcmp(p, "G") == 0)
		mult = 1024 * 1024 * 1024;
	else
		return MC_EINVAL;
	if (v > UINT64_MAX / mult)
		return MC_EINVAL;
	*bytes = v * mult;
	return 0;
}
