/*
 * calfile.c — reading calendar files into a struct mc_cal_spec.
 *
 * A calendar file is UTF-8 text, one directive per line; '#' starts a
 * comment and "double quotes" make one argument of text with spaces. The
 * directives (docs/calendar.md has the full reference):
 *
 *	week mon tue wed thu fri
 *	hours 07:30-11:30 13:30-17:00
 *	hours sat 07:30-11:30 | hours sat none
 *	cutoff 15:00 | cutoff none
 *	holiday NAME solar|lunar MM-DD [options] "Label"
 *	holiday NAME lunar-new-year [options] "Label"
 *	    options: before=N days=N from=YYYY until=YYYY compensate=yes|no
 *	source "Citation" [URL]
 *	days NAME DATE[..DATE] ...	this year's days of holiday NAME
 *	off DATE[..DATE] "Reason"	extra days off
 *	work DATE[..DATE] "Reason"	working days
 *	swap OFF-DATE WORK-DATE	a day off worked back on another day
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "domain/calendar.h"

#define MAX_TOKENS 16
#define MAX_RANGE_DAYS 62		/* longest DATE..DATE accepted */

struct parser {
	struct mc_cal_spec *spec;
	const char *name;		/* file name for messages */
	int line;
	int source;			/* current source index, -1 none */
	struct mc_err *err;
	char where[96];			/* "name:line" */
	size_t cap_rules, cap_entries, cap_sources;
};

struct token {
	const char *s;
	size_t n;
	bool quoted;
};

static int fail(struct parser *p, const char *rule, const char *fmt, ...)
	MC_PRINTF(3, 4);
static int fail(struct parser *p, const char *rule, const char *fmt, ...)
{
	char msg[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return mc_err_field(p->err, p->where, rule, "%s", msg);
}

static bool tok_is(const struct token *t, const char *s)
{
	return !t->quoted && t->n == strlen(s) && memcmp(t->s, s, t->n) == 0;
}

/* Copies a token into 'dst' (size n); false when it does not fit. */
static bool tok_copy(const struct token *t, char *dst, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < t->n; i++) {
		char ch = t->s[i];

		if (t->quoted && ch == '\\' && i + 1 < t->n)
			ch = t->s[++i];
		if (o + 1 >= n)
			return false;
		dst[o++] = ch;
	}
	dst[o] = '\0';
	return true;
}

/* Whether s[0..n) is valid UTF-8 without control characters. */
static bool valid_text(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t')
			return false;
	return mc_utf8_valid(s, n);
}

/* Splits a line into tokens; returns the count or -1 after fail(). */
static int tokenize(struct parser *p, const char *s, size_t n,
		    struct token *t)
{
	size_t i = 0;
	int count = 0;

	while (i < n) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r') {
			i++;
			continue;
		}
		if (s[i] == '#')
			break;
		if (count == MAX_TOKENS) {
			fail(p, "syntax", "too many words on one line (at "
			     "most %d)", MAX_TOKENS);
			return -1;
		}
		if (s[i] == '"') {
			size_t start = ++i;

			while (i < n && s[i] != '"') {
				if (s[i] == '\\' && i + 1 < n)
					i++;
				i++;
			}
			if (i >= n) {
				fail(p, "syntax", "text in quotes is not "
				     "closed");
				return -1;
			}
			t[count++] = (struct token){ s + start, i - start,
						     true };
			i++;
			continue;
		}
		{
			size_t start = i;

			while (i < n && s[i] != ' ' && s[i] != '\t' &&
			       s[i] != '\r' && s[i] != '#' && s[i] != '"')
				i++;
			t[count++] = (struct token){ s + start, i - start,
						     false };
		}
	}
	return count;
}

static int parse_hhmm(const struct token *t, int32_t *sec)
{
	int h, m;

	if (t->n != 5 || t->s[2] != ':' || (h = mc_digits(t->s, 2)) < 0 ||
	    (m = mc_digits(t->s + 3, 2)) < 0)
		return MC_EINVAL;
	if (h > 24 || m > 59 || (h == 24 && m))
		return MC_EINVAL;
	*sec = h * 3600 + m * 60;
	return 0;
}

static const char *const weekday_names[8] = {
	"", "mon", "tue", "wed", "thu", "fri", "sat", "sun"
};

static int weekday_of(const struct token *t)
{
	int d;

	for (d = 1; d <= 7; d++)
		if (tok_is(t, weekday_names[d]))
			return d;
	return 0;
}

/* Parses "HH:MM-HH:MM" periods t[0..n) into a schedule. */
static int parse_periods(struct parser *p, const struct token *t, int n,
			 struct mc_schedule *out)
{
	int i;

	if (n < 1 || n > MC_CAL_MAX_INTERVALS)
		return fail(p, "hours", "give 1 to %d periods such as "
			    "07:30-11:30", MC_CAL_MAX_INTERVALS);
	out->n = 0;
	for (i = 0; i < n; i++) {
		struct token a = { t[i].s, 5, false };
		struct token b = { t[i].s + 6, 5, false };
		struct mc_interval_s iv;

		if (t[i].quoted || t[i].n != 11 || t[i].s[5] != '-' ||
		    parse_hhmm(&a, &iv.from) || parse_hhmm(&b, &iv.to))
			return fail(p, "hours", "'%.*s' is not a period such "
				    "as 07:30-11:30", (int)t[i].n, t[i].s);
		if (iv.to <= iv.from)
			return fail(p, "hours", "period '%.*s' ends before it "
				    "starts", (int)t[i].n, t[i].s);
		if (i > 0 && iv.from < out->p[i - 1].to)
			return fail(p, "hours", "periods must be in order and "
				    "not overlap ('%.*s')", (int)t[i].n,
				    t[i].s);
		out->p[out->n++] = iv;
	}
	return 0;
}

static int parse_date(struct parser *p, const struct token *t, int32_t *day)
{
	char why[128];

	if (t->quoted || mc_date_parse(t->s, t->n, day, why, sizeof(why)))
		return fail(p, "date", "%s", t->quoted ?
			    "a date must not be quoted" : why);
	if (mc_ymd_from_days(*day).year < MC_CAL_FIRST_YEAR ||
	    mc_ymd_from_days(*day).year > MC_CAL_LAST_YEAR)
		return fail(p, "date", "%.*s is outside the calendar (years "
			    "%d–%d)", (int)t->n, t->s, MC_CAL_FIRST_YEAR,
			    MC_CAL_LAST_YEAR);
	return 0;
}

/* Parses DATE or DATE..DATE. */
static int parse_range(struct parser *p, const struct token *t,
		       int32_t *from, int32_t *to)
{
	const char *dots = t->quoted ? NULL : memchr(t->s, '.', t->n);
	struct token a = *t, b;
	int rc;

	if (!dots) {
		rc = parse_date(p, t, from);
		*to = *from;
		return rc;
	}
	a.n = (size_t)(dots - t->s);
	if (t->n < a.n + 2 || dots[1] != '.')
		return fail(p, "date", "'%.*s' is not a date or a range "
			    "DATE..DATE", (int)t->n, t->s);
	b = (struct token){ dots + 2, t->n - a.n - 2, false };
	rc = parse_date(p, &a, from);
	if (!rc)
		rc = parse_date(p, &b, to);
	if (rc)
		return rc;
	if (*to < *from)
		return fail(p, "date", "range '%.*s' ends before it starts",
			    (int)t->n, t->s);
	if (*to - *from >= MAX_RANGE_DAYS)
		return fail(p, "date", "range '%.*s' is longer than %d days",
			    (int)t->n, t->s, MAX_RANGE_DAYS);
	return 0;
}

static void add_entry(struct parser *p, enum mc_cal_entry_kind kind,
		      int32_t day, const char *rule, const char *reason)
{
	struct mc_cal_spec *s = p->spec;
	struct mc_cal_entry *e;

	if (s->nentries == p->cap_entries) {
		p->cap_entries = p->cap_entries ? p->cap_entries * 2 : 64;
		s->entries = mc_realloc(s->entries, p->cap_entries *
					sizeof(*s->entries));
	}
	e = &s->entries[s->nentries++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->day = day;
	e->source = p->source;
	snprintf(e->rule, sizeof(e->rule), "%s", rule);
	snprintf(e->reason, sizeof(e->reason), "%s", reason);
}

static bool rule_exists(const struct mc_cal_spec *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nrules; i++)
		if (strcmp(s->rules[i].name, name) == 0)
			return true;
	return false;
}

static int parse_int(const struct token *t, const char *prefix, int lo,
		     int hi, int *out)
{
	size_t k = strlen(prefix), i;
	long v = 0;

	if (t->quoted || t->n <= k || memcmp(t->s, prefix, k) != 0 ||
	    t->n - k > 6)
		return MC_EINVAL;
	for (i = k; i < t->n; i++) {
		if (t->s[i] < '0' || t->s[i] > '9')
			return MC_EINVAL;
		v = v * 10 + (t->s[i] - '0');
	}
	if (v < lo || v > hi)
		return MC_EINVAL;
	*out = (int)v;
	return 0;
}

static bool valid_name(const struct token *t)
{
	size_t i;

	if (t->quoted || t->n == 0 || t->n >= 32)
		return false;
	for (i = 0; i < t->n; i++) {
		char c = t->s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

static int do_holiday(struct parser *p, const struct token *t, int n)
{
	struct mc_cal_spec *s = p->spec;
	struct mc_cal_rule r;
	int i = 3, v;
	size_t k;

	memset(&r, 0, sizeof(r));
	r.days = 1;
	r.compensate = true;
	if (n < 4 || !valid_name(&t[1]))
		return fail(p, "holiday", "expected: holiday NAME solar|lunar "
			    "MM-DD [options] \"Label\" (NAME in a-z, 0-9, "
			    "'-')");
	tok_copy(&t[1], r.name, sizeof(r.name));
	if (tok_is(&t[2], "lunar-new-year")) {
		r.anchor = MC_ANCHOR_LUNAR_NEW_YEAR;
		i = 3;
	} else if (tok_is(&t[2], "solar") || tok_is(&t[2], "lunar")) {
		r.anchor = tok_is(&t[2], "solar") ? MC_ANCHOR_SOLAR :
			   MC_ANCHOR_LUNAR;
		if (t[3].quoted || t[3].n != 5 || t[3].s[2] != '-' ||
		    (r.month = mc_digits(t[3].s, 2)) < 0 ||
		    (r.day = mc_digits(t[3].s + 3, 2)) < 0 ||
		    r.month < 1 || r.month > 12 || r.day < 1 ||
		    r.day > (r.anchor == MC_ANCHOR_SOLAR ?
			     mc_days_in_month(2000, r.month) : 30))
			return fail(p, "holiday", "'%.*s' is not a month and "
				    "day MM-DD", (int)t[3].n, t[3].s);
		i = 4;
	} else {
		return fail(p, "holiday", "unknown kind '%.*s' (expected "
			    "solar, lunar or lunar-new-year)", (int)t[2].n,
			    t[2].s);
	}
	for (; i < n - 1; i++) {
		if (parse_int(&t[i], "before=", 0, 10, &v) == 0)
			r.before = v;
		else if (parse_int(&t[i], "days=", 1, 15, &v) == 0)
			r.days = v;
		else if (parse_int(&t[i], "from=", MC_CAL_FIRST_YEAR,
				   MC_CAL_LAST_YEAR, &v) == 0)
			r.from = v;
		else if (parse_int(&t[i], "until=", MC_CAL_FIRST_YEAR,
				   MC_CAL_LAST_YEAR, &v) == 0)
			r.until = v;
		else if (tok_is(&t[i], "compensate=yes"))
			r.compensate = true;
		else if (tok_is(&t[i], "compensate=no"))
			r.compensate = false;
		else
			return fail(p, "holiday", "bad option '%.*s' (expected "
				    "before=0..10, days=1..15, from=YEAR, "
				    "until=YEAR, compensate=yes|no)",
				    (int)t[i].n, t[i].s);
	}
	if (!t[n - 1].quoted || t[n - 1].n == 0)
		return fail(p, "holiday", "the last word must be the holiday's "
			    "name in quotes, e.g. \"Tết Dương lịch\"");
	if (!tok_copy(&t[n - 1], r.label, sizeof(r.label)) ||
	    !valid_text(r.label, strlen(r.label)))
		return fail(p, "holiday", "label must be UTF-8 text of at "
			    "most %zu bytes", sizeof(r.label) - 1);
	if (r.from && r.until && r.until < r.from)
		return fail(p, "holiday", "until=%d is before from=%d",
			    r.until, r.from);
	for (k = 0; k < s->nrules; k++) {
		const struct mc_cal_rule *o = &s->rules[k];

		if (strcmp(o->name, r.name) != 0)
			continue;
		if ((!o->until || !r.from || r.from <= o->until) &&
		    (!r.until || !o->from || o->from <= r.until))
			return fail(p, "holiday", "holiday '%s' is already "
				    "defined for some of these years; bound "
				    "them with from= and until=", r.name);
	}
	if (s->nrules == p->cap_rules) {
		p->cap_rules = p->cap_rules ? p->cap_rules * 2 : 16;
		s->rules = mc_realloc(s->rules, p->cap_rules *
				      sizeof(*s->rules));
	}
	s->rules[s->nrules++] = r;
	return 0;
}

static void format_dmy(int32_t day, char *buf, size_t n)
{
	static const char *const wd[8] = { "", "thứ Hai", "thứ Ba", "thứ Tư",
		"thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật" };
	struct mc_ymd d = mc_ymd_from_days(day);

	snprintf(buf, n, "%s %02d/%02d/%04d", wd[mc_weekday(day)], d.day,
		 d.month, d.year);
}

static int do_line(struct parser *p, struct token *t, int n)
{
	struct mc_cal_spec *s = p->spec;
	int i, rc;

	if (tok_is(&t[0], "week")) {
		bool days[8] = { false };

		if (n < 2)
			return fail(p, "week", "name the working weekdays, "
				    "e.g. week mon tue wed thu fri");
		for (i = 1; i < n; i++) {
			int d = weekday_of(&t[i]);

			if (!d)
				return fail(p, "week", "'%.*s' is not a weekday "
					    "(mon tue wed thu fri sat sun)",
					    (int)t[i].n, t[i].s);
			days[d] = true;
		}
		memcpy(s->working_weekday, days, sizeof(days));
		return 0;
	}
	if (tok_is(&t[0], "hours")) {
		int d = n > 1 ? weekday_of(&t[1]) : 0;
		struct mc_schedule sc;

		if (d && n == 3 && tok_is(&t[2], "none")) {
			s->weekday[d].n = 0;
			s->working_weekday[d] = false;
			return 0;
		}
		rc = parse_periods(p, t + 1 + (d > 0), n - 1 - (d > 0), &sc);
		if (rc)
			return rc;
		if (d) {
			s->weekday[d] = sc;
			s->working_weekday[d] = true;
		} else {
			s->hours = sc;
		}
		return 0;
	}
	if (tok_is(&t[0], "cutoff")) {
		if (n == 2 && tok_is(&t[1], "none")) {
			s->cutoff = -1;
			return 0;
		}
		if (n != 2 || parse_hhmm(&t[1], &s->cutoff))
			return fail(p, "cutoff", "expected: cutoff HH:MM or "
				    "cutoff none");
		return 0;
	}
	if (tok_is(&t[0], "holiday"))
		return do_holiday(p, t, n);
	if (tok_is(&t[0], "source")) {
		char text[512];
		size_t len;

		if (n < 2 || n > 3 || !t[1].quoted ||
		    !tok_copy(&t[1], text, sizeof(text)) ||
		    !valid_text(text, strlen(text)))
			return fail(p, "source", "expected: source \"Citation\" "
				    "[URL], citation at most 511 bytes");
		if (n == 3) {
			len = strlen(text);
			snprintf(text + len, sizeof(text) - len, " (%.*s)",
				 (int)t[2].n, t[2].s);
		}
		if (s->nsources == p->cap_sources) {
			p->cap_sources = p->cap_sources ?
					 p->cap_sources * 2 : 8;
			s->sources = mc_realloc(s->sources, p->cap_sources *
						sizeof(*s->sources));
		}
		s->sources[s->nsources] = mc_strdup(text);
		p->source = (int)s->nsources++;
		return 0;
	}
	if (tok_is(&t[0], "days")) {
		char name[32];

		if (n < 3 || !valid_name(&t[1]))
			return fail(p, "days", "expected: days HOLIDAY "
				    "DATE[..DATE] ...");
		tok_copy(&t[1], name, sizeof(name));
		if (!rule_exists(s, name))
			return fail(p, "days", "no holiday called '%s' is "
				    "defined above", name);
		for (i = 2; i < n; i++) {
			int32_t a, b, d;

			rc = parse_range(p, &t[i], &a, &b);
			if (rc)
				return rc;
			for (d = a; d <= b; d++)
				add_entry(p, MC_ENTRY_HOLIDAY_DAY, d, name, "");
		}
		return 0;
	}
	if (tok_is(&t[0], "off") || tok_is(&t[0], "work")) {
		bool off = tok_is(&t[0], "off");
		char reason[128];
		int32_t a, b, d;

		if (n != 3 || !t[2].quoted ||
		    !tok_copy(&t[2], reason, sizeof(reason)) ||
		    !valid_text(reason, strlen(reason)) || !reason[0])
			return fail(p, off ? "off" : "work", "expected: %s "
				    "DATE[..DATE] \"Reason\" (reason at most "
				    "127 bytes)", off ? "off" : "work");
		rc = parse_range(p, &t[1], &a, &b);
		if (rc)
			return rc;
		for (d = a; d <= b; d++)
			add_entry(p, off ? MC_ENTRY_OFF : MC_ENTRY_WORK, d, "",
				  reason);
		return 0;
	}
	if (tok_is(&t[0], "swap")) {
		int32_t off, work;
		char a[40], b[40], reason[128];

		if (n != 3)
			return fail(p, "swap", "expected: swap OFF-DATE "
				    "WORK-DATE");
		rc = parse_date(p, &t[1], &off);
		if (!rc)
			rc = parse_date(p, &t[2], &work);
		if (rc)
			return rc;
		if (off == work)
			return fail(p, "swap", "the day off and the day worked "
				    "must differ");
		format_dmy(off, a, sizeof(a));
		format_dmy(work, b, sizeof(b));
		snprintf(reason, sizeof(reason), "Nghỉ hoán đổi, làm bù vào "
			 "%s", b);
		add_entry(p, MC_ENTRY_OFF, off, "", reason);
		snprintf(reason, sizeof(reason), "Làm bù cho ngày nghỉ %s", a);
		add_entry(p, MC_ENTRY_WORK, work, "", reason);
		return 0;
	}
	return fail(p, "syntax", "unknown directive '%.*s' (expected week, "
		    "hours, cutoff, holiday, source, days, off, work or "
		    "swap)", (int)t[0].n, t[0].s);
}

int mc_cal_spec_parse(struct mc_cal_spec *spec, const char *name,
		      const char *text, size_t len, struct mc_err *err)
{
	struct parser p;
	const char *s = text, *end = text + len;
	struct token t[MAX_TOKENS];

	memset(&p, 0, sizeof(p));
	p.spec = spec;
	p.name = name;
	p.err = err;
	p.source = -1;
	p.cap_rules = spec->nrules;
	p.cap_entries = spec->nentries;
	p.cap_sources = spec->nsources;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *eol = nl ? nl : end;
		int n, rc;

		p.line++;
		snprintf(p.where, sizeof(p.where), "%s:%d", name, p.line);
		if (memchr(s, '\0', (size_t)(eol - s)))
			return fail(&p, "syntax", "line holds a NUL byte");
		n = tokenize(&p, s, (size_t)(eol - s), t);
		if (n < 0)
			return MC_EINVAL;
		if (n > 0) {
			rc = do_line(&p, t, n);
			if (rc)
				return rc;
		}
		s = nl ? nl + 1 : end;
	}
	return 0;
}

int mc_cal_spec_load(struct mc_cal_spec *spec, const char *path,
		     struct mc_err *err)
{
	struct mc_buf b = MC_BUF_INIT(1 << 20);
	int rc = mc_buf_read_file(&b, path);

	if (rc == MC_ETOOBIG)
		rc = mc_error(err, rc, "calendar file %s is larger than 1 MiB",
			      path);
	else if (rc)
		rc = mc_error(err, rc, "cannot read calendar file %s: %s",
			      path, strerror(errno));
	else
		rc = mc_cal_spec_parse(spec, path, b.buf ? b.buf : "", b.len,
				       err);
	mc_buf_release(&b);
	return rc;
}

int mc_cal_spec_load_builtin(struct mc_cal_spec *spec, struct mc_err *err)
{
	const struct mc_embed_file *f = mc_embed_find("calendar/vn.cal");

	if (!f)
		return mc_error(err, MC_EINTERNAL, "built-in calendar missing");
	return mc_cal_spec_parse(spec, "vn.cal", (const char *)f->data,
				 f->len, err);
}
