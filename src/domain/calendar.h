/*
 * calendar.h — the working-time calendar every legal deadline is computed
 * from (DOMAIN.md §7).
 *
 * A calendar is described by a spec (struct mc_cal_spec): the working week
 * and hours, the receipt cut-off, public-holiday rules (Labour Code 2019
 * Art. 112 and any rule added later, each effective from a year) and the
 * yearly official announcements for state agencies (the days a holiday
 * actually falls on, extra days off, Saturdays worked in exchange). Specs
 * are read from calendar files (calfile.c, format in docs/calendar.md);
 * motcua ships data/calendar/vn.cal and a province layers its own files on
 * top.
 *
 * mc_cal_build() turns a spec into an immutable struct mc_calendar holding
 * an index of every day from 1900-01-01 to 2199-12-31: whether it is a
 * working day, the count of working days and of working seconds before it,
 * and the list of working days. Every computation below is then O(1), or
 * O(log n) for working hours, whatever the span. A built calendar is
 * read-only and may be shared by any number of threads.
 *
 * Rules of computation (BLDS 2015 Art. 147–148, ND 45/2020, DOMAIN.md §7):
 * - Receipt: a dossier received outside working hours, or after the
 *   cut-off, counts as received at the start of the next working period
 *   (the next working day for the cut-off). See mc_cal_receipt().
 * - N working days: the day of receipt is not counted; due at the close of
 *   the Nth working day after it (N = 0: the close of the receipt day).
 * - N working hours: from the (normalized) moment of receipt, counting
 *   only working hours.
 * - N calendar days / N months: the due day is N days / N months after the
 *   receipt day (the same day of the month, or the month's last day when it
 *   has none); a due day that is not a working day moves to the next
 *   working day. Due at the close of that day.
 * - Pauses (e.g. waiting for a supplement) extend the deadline by the
 *   working time they cover (working days and hours), or by their length
 *   in days, rounded up (calendar days and months).
 */
#ifndef MC_DOMAIN_CALENDAR_H
#define MC_DOMAIN_CALENDAR_H

#include "core/compat.h"
#include "core/err.h"

#define MC_CAL_FIRST_YEAR 1900
#define MC_CAL_LAST_YEAR 2199
#define MC_CAL_MAX_INTERVALS 4		/* working periods in one day */

/* Kind of a day in a built calendar. */
enum mc_day_kind {
	MC_DAY_WORKING = 0,	/* an ordinary working day */
	MC_DAY_REST,		/* weekly rest day (Saturday, Sunday) */
	MC_DAY_HOLIDAY,		/* public holiday (rule or announcement) */
	MC_DAY_COMPENSATORY,	/* nghỉ bù for a holiday on a rest day */
	MC_DAY_OFF,		/* announced extra day off (e.g. swapped) */
	MC_DAY_WORKING_EXTRA	/* announced working day (e.g. a Saturday) */
};

/* Where a holiday rule anchors in the year. */
enum mc_anchor {
	MC_ANCHOR_SOLAR,	/* a fixed solar date MM-DD */
	MC_ANCHOR_LUNAR,	/* a fixed lunar date MM-DD (not leap) */
	MC_ANCHOR_LUNAR_NEW_YEAR	/* Tết: lunar 01-01 */
};

struct mc_cal_rule {
	char name[32];		/* identifier, e.g. "tet" */
	char label[96];		/* Vietnamese name, e.g. "Tết Nguyên đán" */
	enum mc_anchor anchor;
	int month, day;		/* anchor date (not used for Tết) */
	int before;		/* days off before the anchor */
	int days;		/* days off in all, >= 1 */
	int from, until;	/* years in force, inclusive (0 = open) */
	bool compensate;	/* Art. 111(3): nghỉ bù when on a rest day */
};

/* An announced fact about one day. */
enum mc_cal_entry_kind {
	MC_ENTRY_HOLIDAY_DAY,	/* this year's day of holiday 'rule' */
	MC_ENTRY_OFF,		/* extra day off */
	MC_ENTRY_WORK		/* working day */
};

struct mc_cal_entry {
	enum mc_cal_entry_kind kind;
	int32_t day;		/* day number */
	char rule[32];		/* for MC_ENTRY_HOLIDAY_DAY */
	char reason[128];	/* for off and work; may be empty */
	int source;		/* index into spec sources, -1 if none */
};

/* A working period within a day, in seconds from local midnight. */
struct mc_interval_s {
	int32_t from, to;
};

struct mc_schedule {
	int n;					/* periods, 0 = not working */
	struct mc_interval_s p[MC_CAL_MAX_INTERVALS];	/* sorted, disjoint */
};

struct mc_cal_spec {
	struct mc_schedule hours;	/* default working hours */
	struct mc_schedule weekday[8];	/* [1..7] Mon..Sun; n < 0: default */
	bool working_weekday[8];	/* [1..7] is the weekday worked */
	int32_t cutoff;			/* seconds from midnight, -1: none */
	struct mc_cal_rule *rules;	/* holiday rules (owned) */
	size_t nrules;
	struct mc_cal_entry *entries;	/* announcements (owned) */
	size_t nentries;
	char **sources;			/* announcement sources (owned) */
	size_t nsources;
};

/* Sets the spec to no holidays, Mon–Fri 07:30–11:30 13:30–17:00, 15:00. */
void mc_cal_spec_init(struct mc_cal_spec *spec);
void mc_cal_spec_release(struct mc_cal_spec *spec);

/*
 * Reads calendar text (a file's content) into 'spec', on top of what it
 * holds; 'name' labels errors ("vn.cal:12: ..."). Returns 0 or MC_EINVAL
 * with the line and the rule in 'err'; on error 'spec' may hold part of
 * the text.
 */
int mc_cal_spec_parse(struct mc_cal_spec *spec, const char *name,
		      const char *text, size_t len, struct mc_err *err);

/* Reads a calendar file (at most 1 MiB) as mc_cal_spec_parse does. */
int mc_cal_spec_load(struct mc_cal_spec *spec, const char *path,
		     struct mc_err *err);

/* Reads the calendar shipped in the binary (data/calendar/vn.cal). */
int mc_cal_spec_load_builtin(struct mc_cal_spec *spec, struct mc_err *err);

struct mc_calendar;

/*
 * Builds the day index of 'spec' (which may be released afterwards).
 * Returns 0 and a calendar to free with mc_cal_free, or MC_EINVAL.
 */
int mc_cal_build(const struct mc_cal_spec *spec, struct mc_calendar **out,
		 struct mc_err *err);
void mc_cal_free(struct mc_calendar *cal);

/* First and last day numbers the calendar covers. */
int32_t mc_cal_first_day(const struct mc_calendar *cal);
int32_t mc_cal_last_day(const struct mc_calendar *cal);

struct mc_cal_day {
	int32_t day;			/* day number */
	enum mc_day_kind kind;
	const char *reason;		/* Vietnamese, borrowed; "" if none */
	const char *source;		/* announcement, borrowed; "" if none */
};

/* Facts about one day; MC_ERANGE outside the calendar. */
int mc_cal_day_info(const struct mc_calendar *cal, int32_t day,
		    struct mc_cal_day *out);
bool mc_cal_is_working_day(const struct mc_calendar *cal, int32_t day);
/* The working days in (a, b]: 0 when b <= a. O(1). */
int32_t mc_cal_working_days_between(const struct mc_calendar *cal, int32_t a,
				    int32_t b);
/*
 * The n-th working day after 'day' (n > 0) or the −n-th before it (n < 0);
 * 'day' itself for 0. Past the calendar's ends, its last or first day.
 * O(1).
 */
int32_t mc_cal_shift_working_days(const struct mc_calendar *cal, int32_t day,
				  int n);

/*
 * The days of 'year' that are not ordinary: holidays (also those falling on
 * a rest day), compensatory days, extra days off and extra working days,
 * in date order. Writes at most 'max' into 'out' and returns how many
 * there are (which may exceed 'max'), or MC_ERANGE.
 */
int mc_cal_year_days(const struct mc_calendar *cal, int year,
		     struct mc_cal_day *out, size_t max);

/* An interval of time [from, to) between two instants. */
struct mc_pause {
	int64_t from, to;
};

enum mc_due_unit {
	MC_DUE_WORKING_DAYS,
	MC_DUE_WORKING_HOURS,
	MC_DUE_DAYS,
	MC_DUE_MONTHS
};

struct mc_due_req {
	int64_t start;			/* instant of receipt */
	enum mc_due_unit unit;
	int32_t amount;			/* N >= 0 */
	const struct mc_pause *pauses;	/* may be NULL */
	size_t npauses;
};

/* Largest N accepted, per unit (keeps results inside the calendar). */
#define MC_DUE_MAX_WORKING_DAYS 5000
#define MC_DUE_MAX_WORKING_HOURS 40000
#define MC_DUE_MAX_DAYS 7300
#define MC_DUE_MAX_MONTHS 240
#define MC_DUE_MAX_PAUSES 64

/* The unit's name as a field ("working_days"), and its largest N. */
const char *mc_due_unit_name(enum mc_due_unit unit);
int32_t mc_due_unit_max(enum mc_due_unit unit);

/*
 * The instant from which a period counts: 't' itself when it is inside
 * working hours (and not after the cut-off), otherwise the start of the
 * next working period. MC_ERANGE when 't' is outside the calendar.
 */
int mc_cal_receipt(const struct mc_calendar *cal, int64_t t, int64_t *out,
		   struct mc_err *err);

/*
 * Due instant of a period; optionally the normalized receipt instant in
 * 'received' (may be NULL). Returns 0, MC_EINVAL (negative or too large
 * N, bad pause) or MC_ERANGE, with 'err' naming the field.
 */
int mc_cal_due(const struct mc_calendar *cal, const struct mc_due_req *req,
	       int64_t *due, int64_t *received, struct mc_err *err);

/*
 * Working seconds from 'a' to 'b' (negative when b < a), minus the working
 * time covered by the pauses (the first MC_DUE_MAX_PAUSES are taken; the
 * caller validates). Times outside working hours count as the next working
 * moment. Instants outside the calendar are clamped.
 */
int64_t mc_cal_working_seconds(const struct mc_calendar *cal, int64_t a,
			       int64_t b, const struct mc_pause *pauses,
			       size_t npauses);

/*
 * The instant at which 'secs' (>= 0) working seconds have passed since 't'
 * (a period that ends exactly at a close ends there, not at the next
 * opening). 't' itself, normalized forward, for 0 seconds. MC_ERANGE past
 * the calendar.
 */
int mc_cal_add_working(const struct mc_calendar *cal, int64_t t, int64_t secs,
		       int64_t *out, struct mc_err *err);

/* Seconds of working time in a normal working day (default hours). */
int32_t mc_cal_day_seconds(const struct mc_calendar *cal);

enum mc_timeliness {
	MC_EARLY = 1,		/* finished before the due day */
	MC_ON_TIME,		/* finished on the due day, by the due time */
	MC_LATE			/* finished after the due instant */
};

/* Classifies a finish instant against a due instant (local days). */
enum mc_timeliness mc_cal_classify(int64_t finish, int64_t due);
const char *mc_timeliness_name(enum mc_timeliness t);

#endif /* MC_DOMAIN_CALENDAR_H */
