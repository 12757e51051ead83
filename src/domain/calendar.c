/*
 * calendar.c — building the day index of a working calendar and computing
 * deadlines on it; see calendar.h for the rules.
 *
 * The index covers 1900-01-01 … 2199-12-31 (about 110,000 days). For day i
 * (counted from the first) it keeps the kind of day, its schedule, the
 * number of working days before it (wd_before[i]) and the working seconds
 * before it (ws_before[i]); wd_list[k] is the k-th working day. A moment is
 * mapped to its "position", the working seconds elapsed since the start of
 * the index, so adding working time is adding to a position and mapping it
 * back (a binary search over ws_before).
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "domain/calendar.h"
#include "domain/lunar.h"

struct special {
	int32_t day;
	uint32_t seq;			/* order of writing, for ties */
	enum mc_day_kind kind;
	const char *reason;		/* arena-owned */
	const char *source;		/* arena-owned */
};

struct mc_calendar {
	int32_t first;			/* day number of index 0 */
	int32_t ndays;
	uint8_t *kind;			/* enum mc_day_kind per day */
	uint8_t *sched;			/* index into schedules per day */
	int32_t *wd_before;		/* [ndays + 1] */
	int32_t *wd_list;		/* [nwd] day indexes */
	int32_t nwd;
	int64_t *ws_before;		/* [ndays + 1] */
	struct mc_schedule schedules[8];/* 0 default, 1..7 per weekday */
	int32_t sched_total[8];		/* working seconds per schedule */
	int32_t cutoff;			/* seconds from midnight, -1: none */
	struct special *specials;	/* sorted by day */
	size_t nspecials;
	struct mc_arena strings;
};

void mc_cal_spec_init(struct mc_cal_spec *spec)
{
	int d;

	memset(spec, 0, sizeof(*spec));
	spec->hours.n = 2;
	spec->hours.p[0] = (struct mc_interval_s){ 7 * 3600 + 1800,
						   11 * 3600 + 1800 };
	spec->hours.p[1] = (struct mc_interval_s){ 13 * 3600 + 1800,
						   17 * 3600 };
	for (d = 1; d <= 7; d++) {
		spec->weekday[d].n = -1;
		spec->working_weekday[d] = d <= 5;
	}
	spec->cutoff = 15 * 3600;
}

void mc_cal_spec_release(struct mc_cal_spec *spec)
{
	size_t i;

	mc_free(spec->rules);
	mc_free(spec->entries);
	for (i = 0; i < spec->nsources; i++)
		mc_free(spec->sources[i]);
	mc_free(spec->sources);
	mc_cal_spec_init(spec);
}

static bool is_working(const struct mc_calendar *c, int32_t i)
{
	return c->kind[i] == MC_DAY_WORKING ||
	       c->kind[i] == MC_DAY_WORKING_EXTRA;
}

static int32_t schedule_total(const struct mc_schedule *s)
{
	int32_t t = 0;
	int i;

	for (i = 0; i < s->n; i++)
		t += s->p[i].to - s->p[i].from;
	return t;
}

/* A holiday occurrence found while building. */
struct hday {
	int32_t day;
	size_t rule;
	int source;
};

static int cmp_hday(const void *a, const void *b)
{
	const struct hday *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

static int cmp_special(const void *a, const void *b)
{
	const struct special *x = a, *y = b;

	if (x->day != y->day)
		return (x->day > y->day) - (x->day < y->day);
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int cmp_special_day(const void *key, const void *elem)
{
	const struct special *x = key, *y = elem;

	return (x->day > y->day) - (x->day < y->day);
}

/* Index of the rule called 'name' in force in 'year', else any of them. */
static long find_rule(const struct mc_cal_spec *s, const char *name,
		      int year)
{
	long any = -1;
	size_t i;

	for (i = 0; i < s->nrules; i++) {
		const struct mc_cal_rule *r = &s->rules[i];

		if (strcmp(r->name, name) != 0)
			continue;
		if ((!r->from || year >= r->from) &&
		    (!r->until || year <= r->until))
			return (long)i;
		if (any < 0)
			any = (long)i;
	}
	return any;
}

/* Whether the announcements fix the days of holiday 'name' in 'year'. */
static bool announced(const struct mc_cal_spec *s, const char *name,
		      int year)
{
	size_t i;

	for (i = 0; i < s->nentries; i++) {
		const struct mc_cal_entry *e = &s->entries[i];

		if (e->kind == MC_ENTRY_HOLIDAY_DAY &&
		    strcmp(e->rule, name) == 0 &&
		    mc_ymd_from_days(e->day).year == year)
			return true;
	}
	return false;
}

/* Day number on which a rule is anchored in 'year'; false if none. */
static bool anchor_day(const struct mc_cal_rule *r, int year, int32_t *day)
{
	struct mc_lunar_date ld = { year, 1, 1, false };

	switch (r->anchor) {
	case MC_ANCHOR_SOLAR:
		if (!mc_ymd_valid(year, r->month, r->day))
			return false;	/* 29 February of a common year */
		*day = mc_days_from_ymd(year, r->month, r->day);
		return true;
	case MC_ANCHOR_LUNAR:
		ld.month = r->month;
		ld.day = r->day;
		return mc_lunar_to_solar(&ld, day) == 0;
	case MC_ANCHOR_LUNAR_NEW_YEAR:
		return mc_lunar_to_solar(&ld, day) == 0;
	}
	return false;
}

static const char *source_of(const struct mc_cal_spec *s, int i)
{
	return i >= 0 && (size_t)i < s->nsources ? s->sources[i] : "";
}

/* Collects every holiday occurrence of every year, sorted by day. */
static struct hday *collect_holidays(const struct mc_cal_spec *s,
				     const struct mc_calendar *c, size_t *n)
{
	size_t cap = 64, len = 0, i;
	struct hday *h = mc_malloc(cap * sizeof(*h));
	int y;

	for (y = MC_CAL_FIRST_YEAR; y <= MC_CAL_LAST_YEAR; y++) {
		for (i = 0; i < s->nrules; i++) {
			const struct mc_cal_rule *r = &s->rules[i];
			int32_t a, d;

			if ((r->from && y < r->from) ||
			    (r->until && y > r->until))
				continue;
			if (announced(s, r->name, y) || !anchor_day(r, y, &a))
				continue;
			for (d = a - r->before; d < a - r->before + r->days;
			     d++) {
				if (d < c->first || d >= c->first + c->ndays)
					continue;
				if (len == cap)
					h = mc_realloc(h, (cap *= 2) *
						       sizeof(*h));
				h[len++] = (struct hday){ d, i, -1 };
			}
		}
	}
	for (i = 0; i < s->nentries; i++) {
		const struct mc_cal_entry *e = &s->entries[i];
		long r;

		if (e->kind != MC_ENTRY_HOLIDAY_DAY)
			continue;
		r = find_rule(s, e->rule, mc_ymd_from_days(e->day).year);
		if (r < 0 || e->day < c->first ||
		    e->day >= c->first + c->ndays)
			continue;
		if (len == cap)
			h = mc_realloc(h, (cap *= 2) * sizeof(*h));
		h[len++] = (struct hday){ e->day, (size_t)r, e->source };
	}
	qsort(h, len, sizeof(*h), cmp_hday);
	*n = len;
	return h;
}

static void add_special(struct mc_calendar *c, size_t *cap, int32_t day,
			enum mc_day_kind kind, const char *reason,
			const char *source)
{
	if (c->nspecials == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		c->specials = mc_realloc(c->specials,
					 *cap * sizeof(*c->specials));
	}
	c->specials[c->nspecials] = (struct special){
		day, (uint32_t)c->nspecials, kind, mc_arena_strdup(&c->strings, reason),
		mc_arena_strdup(&c->strings, source)
	};
	c->nspecials++;
}

/* Sets the kind of day 'd' and records why. */
static void mark(struct mc_calendar *c, size_t *cap, int32_t d,
		 enum mc_day_kind kind, const char *reason, const char *source)
{
	c->kind[d - c->first] = (uint8_t)kind;
	add_special(c, cap, d, kind, reason, source);
}

int mc_cal_build(const struct mc_cal_spec *s, struct mc_calendar **out,
		 struct mc_err *err)
{
	struct mc_calendar *c = mc_calloc(1, sizeof(*c));
	struct hday *h;
	size_t nh, i, cap = 0;
	int32_t d, n, k;
	int64_t ws;
	int w;

	c->first = mc_days_from_ymd(MC_CAL_FIRST_YEAR, 1, 1);
	c->ndays = mc_days_from_ymd(MC_CAL_LAST_YEAR, 12, 31) - c->first + 1;
	c->cutoff = s->cutoff;
	mc_arena_init(&c->strings);
	c->schedules[0] = s->hours;
	for (w = 1; w <= 7; w++)
		c->schedules[w] = s->weekday[w].n >= 0 ? s->weekday[w] :
				  s->hours;
	for (w = 0; w < 8; w++)
		c->sched_total[w] = schedule_total(&c->schedules[w]);
	if (c->sched_total[0] <= 0) {
		mc_free(c);
		return mc_error(err, MC_EINVAL, "calendar has no working "
				"hours");
	}
	n = c->ndays;
	c->kind = mc_malloc((size_t)n);
	c->sched = mc_malloc((size_t)n);
	for (i = 0; i < (size_t)n; i++) {
		w = mc_weekday(c->first + (int32_t)i);
		c->sched[i] = s->weekday[w].n >= 0 ? (uint8_t)w : 0;
		c->kind[i] = s->working_weekday[w] && c->sched_total[w] > 0 ?
			     MC_DAY_WORKING : MC_DAY_REST;
	}

	/* Holidays; a day two rules share counts once. */
	h = collect_holidays(s, c, &nh);
	for (i = 0; i < nh; i++) {
		const struct mc_cal_rule *r = &s->rules[h[i].rule];

		if (c->kind[h[i].day - c->first] != MC_DAY_HOLIDAY)
			mark(c, &cap, h[i].day, MC_DAY_HOLIDAY, r->label,
			     source_of(s, h[i].source));
	}

	/* Announced days off and working days. */
	for (i = 0; i < s->nentries; i++) {
		const struct mc_cal_entry *e = &s->entries[i];
		int32_t x = e->day - c->first;

		if (x < 0 || x >= n || e->kind == MC_ENTRY_HOLIDAY_DAY)
			continue;
		if (e->kind == MC_ENTRY_OFF) {
			if (c->kind[x] != MC_DAY_HOLIDAY)
				mark(c, &cap, e->day, MC_DAY_OFF, e->reason,
				     source_of(s, e->source));
			continue;
		}
		/* A day announced as worked (a make-up Saturday) is a full
		 * working day, whatever that weekday's own hours. */
		c->sched[x] = 0;
		mark(c, &cap, e->day, MC_DAY_WORKING_EXTRA, e->reason,
		     source_of(s, e->source));
	}

	/*
	 * Art. 111(3): a holiday on a weekly rest day gives a compensatory
	 * day on the next ordinary working day (not a holiday, not an
	 * announced day off, not a Saturday worked), in date order.
	 */
	for (i = 0; i < nh; i++) {
		const struct mc_cal_rule *r = &s->rules[h[i].rule];
		int32_t x = h[i].day - c->first;
		char why[160];

		if (i > 0 && h[i - 1].day == h[i].day)
			continue;
		w = mc_weekday(h[i].day);
		if (!r->compensate || s->working_weekday[w] ||
		    c->kind[x] != MC_DAY_HOLIDAY)
			continue;
		for (k = x + 1; k < n && c->kind[k] != MC_DAY_WORKING; k++)
			;
		if (k == n)
			continue;
		snprintf(why, sizeof(why), "Nghỉ bù %s", r->label);
		mark(c, &cap, c->first + k, MC_DAY_COMPENSATORY, why,
		     source_of(s, h[i].source));
	}
	mc_free(h);

	/* Keep one record per day: the last one written wins. */
	if (c->nspecials)	/* qsort(NULL, 0, ...) is undefined */
		qsort(c->specials, c->nspecials, sizeof(*c->specials),
		      cmp_special);
	{
		size_t j = 0;

		for (i = 0; i < c->nspecials; i++) {
			if (j > 0 && c->specials[j - 1].day ==
			    c->specials[i].day)
				j--;
			c->specials[j] = c->specials[i];
			c->specials[j].kind = (enum mc_day_kind)
				c->kind[c->specials[j].day - c->first];
			j++;
		}
		c->nspecials = j;
	}

	/* The index. */
	c->wd_before = mc_malloc(((size_t)n + 1) * sizeof(int32_t));
	c->ws_before = mc_malloc(((size_t)n + 1) * sizeof(int64_t));
	c->wd_list = mc_malloc((size_t)n * sizeof(int32_t));
	ws = 0;
	c->nwd = 0;
	for (d = 0; d < n; d++) {
		c->wd_before[d] = c->nwd;
		c->ws_before[d] = ws;
		if (is_working(c, d)) {
			c->wd_list[c->nwd++] = d;
			ws += c->sched_total[c->sched[d]];
		}
	}
	c->wd_before[n] = c->nwd;
	c->ws_before[n] = ws;
	*out = c;
	return 0;
}

void mc_cal_free(struct mc_calendar *c)
{
	if (!c)
		return;
	mc_free(c->kind);
	mc_free(c->sched);
	mc_free(c->wd_before);
	mc_free(c->wd_list);
	mc_free(c->ws_before);
	mc_free(c->specials);
	mc_arena_release(&c->strings);
	mc_free(c);
}

int32_t mc_cal_first_day(const struct mc_calendar *c)
{
	return c->first;
}

int32_t mc_cal_last_day(const struct mc_calendar *c)
{
	return c->first + c->ndays - 1;
}

int32_t mc_cal_day_seconds(const struct mc_calendar *c)
{
	return c->sched_total[0];
}

static const struct special *find_special(const struct mc_calendar *c,
					  int32_t day)
{
	struct special key = { day, 0, MC_DAY_WORKING, NULL, NULL };

	if (!c->nspecials)	/* bsearch(..., NULL, 0, ...) is undefined */
		return NULL;
	return bsearch(&key, c->specials, c->nspecials, sizeof(key),
		       cmp_special_day);
}

int mc_cal_day_info(const struct mc_calendar *c, int32_t day,
		    struct mc_cal_day *out)
{
	const struct special *sp;

	if (day < c->first || day >= c->first + c->ndays)
		return MC_ERANGE;
	sp = find_special(c, day);
	out->day = day;
	out->kind = (enum mc_day_kind)c->kind[day - c->first];
	out->reason = sp ? sp->reason : "";
	out->source = sp ? sp->source : "";
	return 0;
}

bool mc_cal_is_working_day(const struct mc_calendar *c, int32_t day)
{
	if (day < c->first || day >= c->first + c->ndays)
		return false;
	return is_working(c, day - c->first);
}

/* The working days up to and including 'day' (clamped to the calendar). */
static int32_t wd_upto(const struct mc_calendar *c, int32_t day)
{
	int64_t i = (int64_t)day + 1 - c->first;

	return c->wd_before[i < 0 ? 0 : i > c->ndays ? c->ndays : i];
}

int32_t mc_cal_working_days_between(const struct mc_calendar *c, int32_t a,
				    int32_t b)
{
	return b <= a ? 0 : wd_upto(c, b) - wd_upto(c, a);
}

int32_t mc_cal_shift_working_days(const struct mc_calendar *c, int32_t day,
				  int n)
{
	int64_t k;

	if (n > 0) {
		k = (int64_t)wd_upto(c, day) + n - 1;
		return k < c->nwd ? c->first + c->wd_list[k] :
			mc_cal_last_day(c);
	}
	if (n < 0) {
		k = (int64_t)wd_upto(c, day - 1) + n;
		return k >= 0 ? c->first + c->wd_list[k] : c->first;
	}
	return day;
}

int mc_cal_year_days(const struct mc_calendar *c, int year,
		     struct mc_cal_day *out, size_t max)
{
	int32_t lo, hi;
	size_t i, lo_i = 0, count = 0;

	if (year < MC_CAL_FIRST_YEAR || year > MC_CAL_LAST_YEAR)
		return MC_ERANGE;
	lo = mc_days_from_ymd(year, 1, 1);
	hi = mc_days_from_ymd(year, 12, 31);
	/* First special on or after 'lo'. */
	{
		size_t a = 0, b = c->nspecials;

		while (a < b) {
			size_t m = a + (b - a) / 2;

			if (c->specials[m].day < lo)
				a = m + 1;
			else
				b = m;
		}
		lo_i = a;
	}
	for (i = lo_i; i < c->nspecials && c->specials[i].day <= hi; i++) {
		if (count < max) {
			out[count].day = c->specials[i].day;
			out[count].kind = c->specials[i].kind;
			out[count].reason = c->specials[i].reason;
			out[count].source = c->specials[i].source;
		}
		count++;
	}
	return (int)count;
}

/* Deadlines. */

static int64_t day_start(const struct mc_calendar *c, int32_t i)
{
	return mc_local_day_start(c->first + i);
}

static const struct mc_schedule *sched_of(const struct mc_calendar *c,
					  int32_t i)
{
	return &c->schedules[c->sched[i]];
}

/* Instant at which working day i closes. */
static int64_t day_close(const struct mc_calendar *c, int32_t i)
{
	const struct mc_schedule *s = sched_of(c, i);

	return day_start(c, i) + s->p[s->n - 1].to;
}

/* Index of the first working day at or after day index i, or -1. */
static int32_t next_working(const struct mc_calendar *c, int32_t i)
{
	int32_t k;

	if (i < 0)
		i = 0;
	if (i >= c->ndays)
		return -1;
	k = c->wd_before[i];
	return k < c->nwd ? c->wd_list[k] : -1;
}

static int range_error(struct mc_err *err, const char *field)
{
	mc_err_field(err, field, "range", "outside the calendar (years "
		     "%d–%d)", MC_CAL_FIRST_YEAR, MC_CAL_LAST_YEAR);
	if (err)
		err->code = MC_ERANGE;
	return MC_ERANGE;
}

int mc_cal_receipt(const struct mc_calendar *c, int64_t t, int64_t *out,
		   struct mc_err *err)
{
	int32_t i = mc_local_day(t) - c->first, j;
	int64_t sod;

	if (i < 0 || i >= c->ndays)
		return range_error(err, "start");
	sod = t - day_start(c, i);
	if (is_working(c, i) && (c->cutoff < 0 || sod <= c->cutoff)) {
		const struct mc_schedule *s = sched_of(c, i);
		int p;

		for (p = 0; p < s->n; p++) {
			if (sod < s->p[p].to) {
				*out = sod >= s->p[p].from ? t :
				       day_start(c, i) + s->p[p].from;
				return 0;
			}
		}
	}
	j = next_working(c, i + 1);
	if (j < 0)
		return range_error(err, "start");
	*out = day_start(c, j) + sched_of(c, j)->p[0].from;
	return 0;
}

/* Working seconds from the start of the index to instant t. */
static int64_t position(const struct mc_calendar *c, int64_t t)
{
	int32_t i = mc_local_day(t) - c->first;
	int64_t sod, pos;
	const struct mc_schedule *s;
	int p;

	if (i < 0)
		return 0;
	if (i >= c->ndays)
		return c->ws_before[c->ndays];
	pos = c->ws_before[i];
	if (!is_working(c, i))
		return pos;
	sod = t - day_start(c, i);
	s = sched_of(c, i);
	for (p = 0; p < s->n; p++) {
		if (sod >= s->p[p].to)
			pos += s->p[p].to - s->p[p].from;
		else if (sod > s->p[p].from)
			pos += sod - s->p[p].from;
	}
	return pos;
}

/*
 * Earliest instant whose position is 'pos' (> 0): the close of a period
 * rather than the opening of the next. -1 when past the index.
 */
static int64_t at_position(const struct mc_calendar *c, int64_t pos)
{
	int32_t lo = 0, hi = c->ndays, i;
	int64_t off;
	const struct mc_schedule *s;
	int p;

	if (pos > c->ws_before[c->ndays])
		return -1;
	/* Last day i with ws_before[i] < pos: it holds the position. */
	while (hi - lo > 1) {
		int32_t m = lo + (hi - lo) / 2;

		if (c->ws_before[m] < pos)
			lo = m;
		else
			hi = m;
	}
	i = lo;
	off = pos - c->ws_before[i];
	s = sched_of(c, i);
	for (p = 0; p < s->n; p++) {
		int64_t len = s->p[p].to - s->p[p].from;

		if (off <= len)
			return day_start(c, i) + s->p[p].from + off;
		off -= len;
	}
	return day_close(c, i);		/* not reached */
}

int mc_cal_add_working(const struct mc_calendar *c, int64_t t, int64_t secs,
		       int64_t *out, struct mc_err *err)
{
	int64_t pos;

	if (secs < 0)
		return mc_err_field(err, "seconds", "min", "must be 0 or more");
	if (secs == 0)
		return mc_cal_receipt(c, t, out, err);
	pos = position(c, t) + secs;
	*out = at_position(c, pos);
	if (*out < 0)
		return range_error(err, "start");
	return 0;
}

static int cmp_pause(const void *a, const void *b)
{
	const struct mc_pause *x = a, *y = b;

	return (x->from > y->from) - (x->from < y->from);
}

/*
 * Sorts and merges the pauses after 'start' into 'out' (room for n);
 * returns how many remain.
 */
static size_t merge_pauses(const struct mc_pause *in, size_t n,
			   int64_t start, struct mc_pause *out)
{
	size_t i, m = 0;

	for (i = 0; i < n; i++) {
		struct mc_pause p = in[i];

		if (p.from < start)
			p.from = start;
		if (p.to > p.from)
			out[m++] = p;
	}
	qsort(out, m, sizeof(*out), cmp_pause);
	n = m;
	m = 0;
	for (i = 0; i < n; i++) {
		if (m && out[i].from <= out[m - 1].to) {
			if (out[i].to > out[m - 1].to)
				out[m - 1].to = out[i].to;
		} else {
			out[m++] = out[i];
		}
	}
	return m;
}

static const char *const unit_field[] = {
	[MC_DUE_WORKING_DAYS] = "working_days",
	[MC_DUE_WORKING_HOURS] = "working_hours",
	[MC_DUE_DAYS] = "days",
	[MC_DUE_MONTHS] = "months",
};

static const int32_t unit_max[] = {
	[MC_DUE_WORKING_DAYS] = MC_DUE_MAX_WORKING_DAYS,
	[MC_DUE_WORKING_HOURS] = MC_DUE_MAX_WORKING_HOURS,
	[MC_DUE_DAYS] = MC_DUE_MAX_DAYS,
	[MC_DUE_MONTHS] = MC_DUE_MAX_MONTHS,
};

const char *mc_due_unit_name(enum mc_due_unit unit)
{
	return (unsigned)unit <= MC_DUE_MONTHS ? unit_field[unit] : "?";
}

int32_t mc_due_unit_max(enum mc_due_unit unit)
{
	return (unsigned)unit <= MC_DUE_MONTHS ? unit_max[unit] : 0;
}

/* Day index of the day 'months' months after day index i (BLDS 148). */
static int32_t add_months(const struct mc_calendar *c, int32_t i,
			  int32_t months)
{
	struct mc_ymd d = mc_ymd_from_days(c->first + i);
	int32_t m0 = d.year * 12 + (d.month - 1) + months;
	int y = m0 / 12, m = m0 % 12 + 1, dim = mc_days_in_month(y, m);

	if (y > MC_CAL_LAST_YEAR)
		return c->ndays;
	return mc_days_from_ymd(y, m, d.day > dim ? dim : d.day) - c->first;
}

int mc_cal_due(const struct mc_calendar *c, const struct mc_due_req *req,
	       int64_t *due, int64_t *received, struct mc_err *err)
{
	struct mc_pause pz[MC_DUE_MAX_PAUSES];
	const char *field;
	int64_t eff, t = 0;
	int32_t i, k;
	size_t np, p;
	int rc;

	if ((unsigned)req->unit > MC_DUE_MONTHS)
		return mc_error(err, MC_EINVAL, "unknown deadline unit");
	field = unit_field[req->unit];
	if (req->amount < 0)
		return mc_err_field(err, field, "min", "must be 0 or more, "
				    "got %" PRId32, req->amount);
	if (req->amount > unit_max[req->unit])
		return mc_err_field(err, field, "max", "must be at most %"
				    PRId32 ", got %" PRId32,
				    unit_max[req->unit], req->amount);
	if (req->npauses > MC_DUE_MAX_PAUSES)
		return mc_err_field(err, "pause", "max_items", "at most %d "
				    "pauses, got %zu", MC_DUE_MAX_PAUSES,
				    req->npauses);
	for (p = 0; p < req->npauses; p++) {
		const struct mc_pause *pz_in = &req->pauses[p];

		if (pz_in->to < pz_in->from)
			return mc_err_field(err, "pause", "order", "pause %zu "
					    "ends before it starts", p + 1);
		if (pz_in->from < day_start(c, 0) ||
		    pz_in->to > day_start(c, c->ndays))
			return range_error(err, "pause");
	}
	rc = mc_cal_receipt(c, req->start, &eff, err);
	if (rc)
		return rc;
	if (received)
		*received = eff;
	np = merge_pauses(req->pauses, req->npauses, eff, pz);
	i = mc_local_day(eff) - c->first;

	switch (req->unit) {
	case MC_DUE_WORKING_DAYS:
		k = c->wd_before[i] + req->amount;
		if (k >= c->nwd)
			return range_error(err, field);
		t = day_close(c, c->wd_list[k]);
		break;
	case MC_DUE_WORKING_HOURS:
		t = req->amount == 0 ? eff : at_position(c, position(c, eff) +
				(int64_t)req->amount * 3600);
		break;
	case MC_DUE_DAYS:
	case MC_DUE_MONTHS:
		k = req->unit == MC_DUE_DAYS ? i + req->amount :
		    add_months(c, i, req->amount);
		/* Pauses move the due day by the days they touch. */
		for (p = 0; p <= np; p++) {
			int32_t w = next_working(c, k);

			if (w < 0)
				return range_error(err, field);
			t = day_close(c, w);
			if (p == np || pz[p].from >= t)
				break;
			k += (int32_t)((pz[p].to - pz[p].from +
					MC_DAY_SECONDS - 1) / MC_DAY_SECONDS);
		}
		np = 0;		/* already applied */
		break;
	}
	/* Pauses move working-time deadlines by the working time in them. */
	for (p = 0; p < np && t >= 0; p++) {
		if (pz[p].from >= t)
			break;
		t = at_position(c, position(c, t) + position(c, pz[p].to) -
				position(c, pz[p].from));
	}
	if (t < 0)
		return range_error(err, field);
	*due = t;
	return 0;
}

int64_t mc_cal_working_seconds(const struct mc_calendar *c, int64_t a,
			       int64_t b, const struct mc_pause *pauses,
			       size_t npauses)
{
	struct mc_pause pz[MC_DUE_MAX_PAUSES];
	int64_t total;
	size_t np, p;

	if (b < a)
		return -mc_cal_working_seconds(c, b, a, pauses, npauses);
	if (npauses > MC_DUE_MAX_PAUSES)
		npauses = MC_DUE_MAX_PAUSES;
	total = position(c, b) - position(c, a);
	np = merge_pauses(pauses, npauses, a, pz);
	for (p = 0; p < np && pz[p].from < b; p++)
		total -= position(c, pz[p].to < b ? pz[p].to : b) -
			 position(c, pz[p].from);
	return total;
}

enum mc_timeliness mc_cal_classify(int64_t finish, int64_t due)
{
	if (finish > due)
		return MC_LATE;
	if (mc_local_day(finish) < mc_local_day(due))
		return MC_EARLY;
	return MC_ON_TIME;
}

const char *mc_timeliness_name(enum mc_timeliness t)
{
	switch (t) {
	case MC_EARLY:
		return "early";
	case MC_ON_TIME:
		return "on_time";
	case MC_LATE:
		return "late";
	}
	return "?";
}
