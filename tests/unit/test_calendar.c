/*
 * test_calendar.c — tests of the working-time calendar (domain/calendar.c)
 * and of calendar files (domain/calfile.c).
 *
 * The national calendar is built from the shipped data (vn.cal) and
 * checked against the official announcements of 2024–2026 day by day (what
 * is off and why), and against the Labour Code rules for years without an
 * announcement (2027, 2030: Tết = last day of the lunar year + four days,
 * nghỉ bù for a holiday on a weekly rest day, Quốc khánh 2/9 + 3/9, ...).
 * Deadline arithmetic is checked on hand-computed cases: the CLI example,
 * receipt on a weekend, a holiday, after the 15:00 cut-off, before opening
 * and at lunch; N working days across Tết, a compensatory day and swapped
 * days; working hours across lunch and days; calendar days and months
 * (month ends, a due day on a day off); pauses; elapsed and remaining
 * working time; early / on time / late. Bad input must be rejected with
 * the field and the rule named. Province files layered on vn.cal (extra
 * day off, Saturday mornings, other cut-offs, a new holiday rule from a
 * given year) and parse errors naming file:line and rule complete it.
 *
 * Every expected value below was worked out by hand from the
 * announcements, the rules of calendar.h and a paper calendar.
 */
#include "core/compat.h"
#include "harness/harness.h"

#include <sys/mman.h>
#include <unistd.h>

#include "core/err.h"
#include "core/timeutil.h"
#include "domain/calendar.h"

#define WD MC_DUE_WORKING_DAYS
#define WH MC_DUE_WORKING_HOURS
#define DAYS MC_DUE_DAYS
#define MONTHS MC_DUE_MONTHS

/* Helpers. */

/* Instant of an ISO 8601 text with offset (asserts it parses). */
static int64_t at(const char *s)
{
	char why[128];
	int64_t t = 0;

	if (mc_instant_parse(s, strlen(s), &t, why, sizeof(why)) != 0) {
		print_error("bad instant in test: %s: %s\n", s, why);
		fail();
	}
	return t;
}

/* Day number of "YYYY-MM-DD" (asserts it parses). */
static int32_t day_of(const char *s)
{
	int32_t d = 0;

	assert_int_equal(mc_date_parse(s, strlen(s), &d, NULL, 0), 0);
	return d;
}

/* "YYYY-MM-DDTHH:MM:SS+07:00" of an instant. */
static const char *local(int64_t t, char *buf, size_t n)
{
	return mc_time_format_local(t, buf, n);
}

/* Builds a calendar from vn.cal, then 'extra' as "prov.cal" (or NULL). */
static struct mc_calendar *build_vn(const char *extra)
{
	struct mc_cal_spec spec;
	struct mc_calendar *cal = NULL;
	struct mc_err err = MC_ERR_INIT;

	mc_cal_spec_init(&spec);
	if (mc_cal_spec_load_builtin(&spec, &err) != 0) {
		print_error("vn.cal: %s\n", err.message);
		fail();
	}
	if (extra && mc_cal_spec_parse(&spec, "prov.cal", extra, strlen(extra),
				       &err) != 0) {
		print_error("prov.cal: %s\n", err.message);
		fail();
	}
	assert_int_equal(mc_cal_build(&spec, &cal, &err), 0);
	mc_cal_spec_release(&spec);
	assert_non_null(cal);
	return cal;
}

/* Builds a calendar from 'text' alone, on the defaults of spec_init. */
static struct mc_calendar *build_text(const char *text)
{
	struct mc_cal_spec spec;
	struct mc_calendar *cal = NULL;
	struct mc_err err = MC_ERR_INIT;

	mc_cal_spec_init(&spec);
	if (mc_cal_spec_parse(&spec, "test.cal", text, strlen(text), &err)) {
		print_error("test.cal: %s\n", err.message);
		fail();
	}
	assert_int_equal(mc_cal_build(&spec, &cal, &err), 0);
	mc_cal_spec_release(&spec);
	return cal;
}

/* A pause written as two instants. */
struct pz {
	const char *from, *to;
};

static const char *const unit_name[] = {
	[WD] = "working days", [WH] = "working hours", [DAYS] = "days",
	[MONTHS] = "months"
};

/*
 * Asserts that a period of 'n' 'unit' received at 'start', with pauses,
 * is due at 'expect'. 'line' is the caller's, for the message.
 */
static void check_due(const struct mc_calendar *cal, int line,
		      const char *start, enum mc_due_unit unit, int32_t n,
		      const struct pz *pz, size_t np, const char *expect)
{
	struct mc_pause p[MC_DUE_MAX_PAUSES];
	struct mc_due_req req = { at(start), unit, n, p, np };
	struct mc_err err = MC_ERR_INIT;
	int64_t due = 0;
	char buf[32];
	size_t i;
	int rc;

	assert_true(np <= MC_DUE_MAX_PAUSES);
	for (i = 0; i < np; i++)
		p[i] = (struct mc_pause){ at(pz[i].from), at(pz[i].to) };
	rc = mc_cal_due(cal, &req, &due, NULL, &err);
	if (rc != 0) {
		print_error("line %d: %s + %d %s: error %d %s\n", line, start,
			    (int)n, unit_name[unit], rc, err.message);
		fail();
	}
	if (strcmp(local(due, buf, sizeof(buf)), expect) != 0) {
		print_error("line %d: %s + %d %s (%zu pauses): due %s, "
			    "expected %s\n", line, start, (int)n,
			    unit_name[unit], np, buf, expect);
		fail();
	}
}

#define DUE(cal, start, unit, n, expect) \
	check_due(cal, __LINE__, start, unit, n, NULL, 0, expect)
#define DUE_P(cal, start, unit, n, pauses, expect) \
	check_due(cal, __LINE__, start, unit, n, pauses, \
		  MC_ARRAY_SIZE(pauses), expect)

/* Asserts that a dossier received at 't' counts from 'expect'. */
static void check_receipt(const struct mc_calendar *cal, int line,
			  const char *t, const char *expect)
{
	struct mc_err err = MC_ERR_INIT;
	int64_t r = 0;
	char buf[32];

	assert_int_equal(mc_cal_receipt(cal, at(t), &r, &err), 0);
	if (strcmp(local(r, buf, sizeof(buf)), expect) != 0) {
		print_error("line %d: received %s counts from %s, expected "
			    "%s\n", line, t, buf, expect);
		fail();
	}
}

#define RECEIPT(cal, t, expect) check_receipt(cal, __LINE__, t, expect)

/* One expected non-ordinary day of a year. */
struct want {
	const char *date;
	enum mc_day_kind kind;
	const char *reason;	/* exact reason, or NULL */
	const char *mentions;	/* text the reason holds, or NULL */
};

#define HOL(d, label) { d, MC_DAY_HOLIDAY, label, NULL }
#define BU(d, label) { d, MC_DAY_COMPENSATORY, "Nghỉ bù " label, NULL }
#define OFF(d, other) { d, MC_DAY_OFF, NULL, other }
#define WORK(d, other) { d, MC_DAY_WORKING_EXTRA, NULL, other }

#define L_NEWYEAR "Tết Dương lịch"
#define L_TET "Tết Nguyên đán"
#define L_HUNG "Giỗ Tổ Hùng Vương"
#define L_VICTORY "Ngày Chiến thắng"
#define L_LABOUR "Ngày Quốc tế Lao động"
#define L_NATIONAL "Quốc khánh"
#define L_CULTURE "Ngày Văn hóa Việt Nam"

static const char *const kind_name[] = {
	"working", "rest", "holiday", "compensatory", "off", "working-extra"
};

/*
 * Asserts that the non-ordinary days of 'year' are exactly 'w', and that
 * every other day is an ordinary working day (Mon–Fri) or rest day.
 */
static void check_year(const struct mc_calendar *cal, int year,
		       const struct want *w, size_t n)
{
	struct mc_cal_day got[64];
	int count = mc_cal_year_days(cal, year, got, MC_ARRAY_SIZE(got));
	bool ok = count == (int)n;
	int32_t d, first, last;
	size_t i, k;
	char buf[16];

	assert_in_range(count, 0, (int)MC_ARRAY_SIZE(got));
	for (i = 0; ok && i < n; i++) {
		if (got[i].day != day_of(w[i].date) ||
		    got[i].kind != w[i].kind ||
		    (w[i].reason && strcmp(got[i].reason, w[i].reason)) ||
		    (w[i].mentions && !strstr(got[i].reason, w[i].mentions)))
			ok = false;
	}
	if (!ok) {
		print_error("%d: expected %zu days:\n", year, n);
		for (i = 0; i < n; i++)
			print_error("  %s %s %s\n", w[i].date,
				    kind_name[w[i].kind],
				    w[i].reason ? w[i].reason : w[i].mentions);
		print_error("got %d:\n", count);
		for (k = 0; k < (size_t)count; k++)
			print_error("  %s %s %s\n",
				    mc_date_format(got[k].day, buf,
						   sizeof(buf)),
				    kind_name[got[k].kind], got[k].reason);
		fail();
	}
	/* Every other day of the year is ordinary; day_info agrees. */
	first = mc_days_from_ymd(year, 1, 1);
	last = mc_days_from_ymd(year, 12, 31);
	for (d = first, k = 0; d <= last; d++) {
		struct mc_cal_day info;

		assert_int_equal(mc_cal_day_info(cal, d, &info), 0);
		assert_int_equal(info.day, d);
		if (k < n && d == got[k].day) {
			assert_int_equal(info.kind, got[k].kind);
			assert_string_equal(info.reason, got[k].reason);
			assert_string_equal(info.source, got[k].source);
			k++;
		} else {
			assert_int_equal(info.kind, mc_weekday(d) <= 5 ?
					 MC_DAY_WORKING : MC_DAY_REST);
			assert_string_equal(info.reason, "");
		}
		assert_int_equal(mc_cal_is_working_day(cal, d),
				 info.kind == MC_DAY_WORKING ||
				 info.kind == MC_DAY_WORKING_EXTRA);
	}
	assert_int_equal(k, n);
}

#define CHECK_YEAR(cal, year, w) check_year(cal, year, w, MC_ARRAY_SIZE(w))

/* Kind and reason of one day. */
static void check_day(const struct mc_calendar *cal, int line,
		      const char *date, enum mc_day_kind kind,
		      const char *reason)
{
	struct mc_cal_day info;

	assert_int_equal(mc_cal_day_info(cal, day_of(date), &info), 0);
	if (info.kind != kind || (reason && strcmp(info.reason, reason))) {
		print_error("line %d: %s is %s '%s', expected %s '%s'\n",
			    line, date, kind_name[info.kind], info.reason,
			    kind_name[kind], reason ? reason : "");
		fail();
	}
}

#define DAY(cal, date, kind, reason) \
	check_day(cal, __LINE__, date, kind, reason)

/* Source of the announcement behind a day. */
static const char *source_of(const struct mc_calendar *cal, const char *d)
{
	struct mc_cal_day info;

	assert_int_equal(mc_cal_day_info(cal, day_of(d), &info), 0);
	return info.source;
}

/* Fixture: the national calendar, built once. */

static int group_setup(void **state)
{
	struct mc_cal_spec spec;
	struct mc_calendar *cal = NULL;
	struct mc_err err = MC_ERR_INIT;

	mc_cal_spec_init(&spec);
	if (mc_cal_spec_load_builtin(&spec, &err) != 0 ||
	    mc_cal_build(&spec, &cal, &err) != 0) {
		fprintf(stderr, "vn.cal: %s\n", err.message);
		mc_cal_spec_release(&spec);
		return -1;
	}
	mc_cal_spec_release(&spec);
	*state = cal;
	return 0;
}

static int group_teardown(void **state)
{
	mc_cal_free(*state);
	return 0;
}

/* Holiday sets. */

/*
 * 2024 (Thông báo 5015/TB-LĐTBXH, Công văn 2450/VPCP-KGVX): Tết off
 * Thu 08/02 – Wed 14/02, 08–12 the five Tết days and 13–14 nghỉ bù for
 * Sat 10 / Sun 11; Giỗ Tổ Thu 18/04; Mon 29/04 off, worked Sat 04/05;
 * Quốc khánh Mon 02/09 + Tue 03/09.
 */
static void test_holidays_2024(void **state)
{
	const struct mc_calendar *cal = *state;
	static const struct want w[] = {
		HOL("2024-01-01", L_NEWYEAR),
		HOL("2024-02-08", L_TET),
		HOL("2024-02-09", L_TET),
		HOL("2024-02-10", L_TET),
		HOL("2024-02-11", L_TET),
		HOL("2024-02-12", L_TET),
		BU("2024-02-13", L_TET),
		BU("2024-02-14", L_TET),
		HOL("2024-04-18", L_HUNG),
		OFF("2024-04-29", "04/05/2024"),
		HOL("2024-04-30", L_VICTORY),
		HOL("2024-05-01", L_LABOUR),
		WORK("2024-05-04", "29/04/2024"),
		HOL("2024-09-02", L_NATIONAL),
		HOL("2024-09-03", L_NATIONAL),
	};

	CHECK_YEAR(cal, 2024, w);
	assert_non_null(strstr(source_of(cal, "2024-02-08"),
			       "5015/TB-LĐTBXH"));
	assert_non_null(strstr(source_of(cal, "2024-02-14"),
			       "5015/TB-LĐTBXH"));
	assert_non_null(strstr(source_of(cal, "2024-04-29"),
			       "2450/VPCP-KGVX"));
	assert_non_null(strstr(source_of(cal, "2024-05-04"),
			       "2450/VPCP-KGVX"));
	assert_string_equal(source_of(cal, "2024-04-18"), "");
	assert_string_equal(source_of(cal, "2024-03-01"), "");
}

/*
 * 2025 (Thông báo 6150/TB-BLĐTBXH): Tết Mon 27/01 – Fri 31/01 (no nghỉ
 * bù); Giỗ Tổ Mon 07/04; Fri 02/05 off, worked Sat 26/04; Quốc khánh
 * Mon 01/09 + Tue 02/09.
 */
static void test_holidays_2025(void **state)
{
	const struct mc_calendar *cal = *state;
	static const struct want w[] = {
		HOL("2025-01-01", L_NEWYEAR),
		HOL("2025-01-27", L_TET),
		HOL("2025-01-28", L_TET),
		HOL("2025-01-29", L_TET),
		HOL("2025-01-30", L_TET),
		HOL("2025-01-31", L_TET),
		HOL("2025-04-07", L_HUNG),
		WORK("2025-04-26", "02/05/2025"),
		HOL("2025-04-30", L_VICTORY),
		HOL("2025-05-01", L_LABOUR),
		OFF("2025-05-02", "26/04/2025"),
		HOL("2025-09-01", L_NATIONAL),
		HOL("2025-09-02", L_NATIONAL),
	};

	CHECK_YEAR(cal, 2025, w);
	assert_non_null(strstr(source_of(cal, "2025-01-27"),
			       "6150/TB-BLĐTBXH"));
	assert_non_null(strstr(source_of(cal, "2025-09-01"),
			       "6150/TB-BLĐTBXH"));
}

/*
 * 2026 (Công văn 12729/VPCP-KGVX, Thông báo 9441/TB-BNV): Fri 02/01 off,
 * worked Sat 10/01; Tết Mon 16/02 – Fri 20/02; Giỗ Tổ on Sun 26/04 with
 * nghỉ bù Mon 27/04; 30/4 Thu, 1/5 Fri; Mon 31/08 off, worked Sat 22/08;
 * Quốc khánh Tue 01/09 + Wed 02/09; Ngày Văn hóa Việt Nam Tue 24/11.
 */
static void test_holidays_2026(void **state)
{
	const struct mc_calendar *cal = *state;
	static const struct want w[] = {
		HOL("2026-01-01", L_NEWYEAR),
		OFF("2026-01-02", "10/01/2026"),
		WORK("2026-01-10", "02/01/2026"),
		HOL("2026-02-16", L_TET),
		HOL("2026-02-17", L_TET),
		HOL("2026-02-18", L_TET),
		HOL("2026-02-19", L_TET),
		HOL("2026-02-20", L_TET),
		HOL("2026-04-26", L_HUNG),
		BU("2026-04-27", L_HUNG),
		HOL("2026-04-30", L_VICTORY),
		HOL("2026-05-01", L_LABOUR),
		WORK("2026-08-22", "31/08/2026"),
		OFF("2026-08-31", "22/08/2026"),
		HOL("2026-09-01", L_NATIONAL),
		HOL("2026-09-02", L_NATIONAL),
		HOL("2026-11-24", L_CULTURE),
	};

	CHECK_YEAR(cal, 2026, w);
	assert_non_null(strstr(source_of(cal, "2026-01-02"),
			       "12729/VPCP-KGVX"));
	assert_non_null(strstr(source_of(cal, "2026-02-16"), "9441/TB-BNV"));
	assert_non_null(strstr(source_of(cal, "2026-08-31"), "9441/TB-BNV"));
	/* Derived from the rules, not announced. */
	assert_string_equal(source_of(cal, "2026-04-26"), "");
	assert_string_equal(source_of(cal, "2026-04-27"), "");
}

/*
 * 2027, no announcement: Tết Sat 06/02 → Fri 05/02 (last day of the
 * lunar year) to Tue 09/02, nghỉ bù Wed 10 and Thu 11 for Sat 6 and
 * Sun 7; Giỗ Tổ (10/3 lunar) Fri 16/04; 30/4 Fri; 1/5 Sat → nghỉ bù Mon
 * 03/05; Quốc khánh Thu 02/09 + Fri 03/09; 24/11 Wed.
 */
static void test_holidays_2027_rules(void **state)
{
	const struct mc_calendar *cal = *state;
	static const struct want w[] = {
		HOL("2027-01-01", L_NEWYEAR),
		HOL("2027-02-05", L_TET),
		HOL("2027-02-06", L_TET),
		HOL("2027-02-07", L_TET),
		HOL("2027-02-08", L_TET),
		HOL("2027-02-09", L_TET),
		BU("2027-02-10", L_TET),
		BU("2027-02-11", L_TET),
		HOL("2027-04-16", L_HUNG),
		HOL("2027-04-30", L_VICTORY),
		HOL("2027-05-01", L_LABOUR),
		BU("2027-05-03", L_LABOUR),
		HOL("2027-09-02", L_NATIONAL),
		HOL("2027-09-03", L_NATIONAL),
		HOL("2027-11-24", L_CULTURE),
	};

	CHECK_YEAR(cal, 2027, w);
	assert_string_equal(source_of(cal, "2027-02-05"), "");
}

/*
 * 2030, no announcement: Tết Sat 02/02 → Fri 01/02 to Tue 05/02, nghỉ bù
 * Wed 06 and Thu 07; Giỗ Tổ Fri 12/04; 30/4 Tue, 1/5 Wed; Quốc khánh
 * Mon 02/09 + Tue 03/09; 24/11 Sun → nghỉ bù Mon 25/11.
 */
static void test_holidays_2030_rules(void **state)
{
	const struct mc_calendar *cal = *state;
	static const struct want w[] = {
		HOL("2030-01-01", L_NEWYEAR),
		HOL("2030-02-01", L_TET),
		HOL("2030-02-02", L_TET),
		HOL("2030-02-03", L_TET),
		HOL("2030-02-04", L_TET),
		HOL("2030-02-05", L_TET),
		BU("2030-02-06", L_TET),
		BU("2030-02-07", L_TET),
		HOL("2030-04-12", L_HUNG),
		HOL("2030-04-30", L_VICTORY),
		HOL("2030-05-01", L_LABOUR),
		HOL("2030-09-02", L_NATIONAL),
		HOL("2030-09-03", L_NATIONAL),
		HOL("2030-11-24", L_CULTURE),
		BU("2030-11-25", L_CULTURE),
	};

	CHECK_YEAR(cal, 2030, w);
}

/* Spot checks of the rules in other years. */
static void test_holiday_rules_other_years(void **state)
{
	const struct mc_calendar *cal = *state;

	/* 1/1/2028 is a Saturday: nghỉ bù Mon 03/01. */
	DAY(cal, "2028-01-01", MC_DAY_HOLIDAY, L_NEWYEAR);
	DAY(cal, "2028-01-03", MC_DAY_COMPENSATORY, "Nghỉ bù " L_NEWYEAR);
	/* Tết 2028 Wed 26/01: Tue 25 – Sat 29, nghỉ bù Mon 31/01. */
	DAY(cal, "2028-01-25", MC_DAY_HOLIDAY, L_TET);
	DAY(cal, "2028-01-29", MC_DAY_HOLIDAY, L_TET);
	DAY(cal, "2028-01-30", MC_DAY_REST, "");
	DAY(cal, "2028-01-31", MC_DAY_COMPENSATORY, "Nghỉ bù " L_TET);
	DAY(cal, "2028-02-01", MC_DAY_WORKING, "");
	/*
	 * 2023: Giỗ Tổ on Sat 29/04, 30/4 on Sunday, 1/5 Monday: nghỉ bù
	 * Tue 02/05 and Wed 03/05 (the next days that are not holidays).
	 */
	DAY(cal, "2023-04-29", MC_DAY_HOLIDAY, L_HUNG);
	DAY(cal, "2023-04-30", MC_DAY_HOLIDAY, L_VICTORY);
	DAY(cal, "2023-05-01", MC_DAY_HOLIDAY, L_LABOUR);
	DAY(cal, "2023-05-02", MC_DAY_COMPENSATORY, "Nghỉ bù " L_HUNG);
	DAY(cal, "2023-05-03", MC_DAY_COMPENSATORY, "Nghỉ bù " L_VICTORY);
	DAY(cal, "2023-05-04", MC_DAY_WORKING, "");
	/* 2/9/2029 is a Sunday, 3/9 a Monday: nghỉ bù Tue 04/09. */
	DAY(cal, "2029-09-02", MC_DAY_HOLIDAY, L_NATIONAL);
	DAY(cal, "2029-09-03", MC_DAY_HOLIDAY, L_NATIONAL);
	DAY(cal, "2029-09-04", MC_DAY_COMPENSATORY, "Nghỉ bù " L_NATIONAL);
	/* Quốc khánh: one day until 2020, two from 2021 (BLLĐ 2019). */
	DAY(cal, "2020-09-02", MC_DAY_HOLIDAY, L_NATIONAL);
	DAY(cal, "2020-09-03", MC_DAY_WORKING, "");
	DAY(cal, "2021-09-02", MC_DAY_HOLIDAY, L_NATIONAL);
	DAY(cal, "2021-09-03", MC_DAY_HOLIDAY, L_NATIONAL);
	/* Ngày Văn hóa Việt Nam only from 2026. */
	DAY(cal, "2025-11-24", MC_DAY_WORKING, "");
	/* The range of the calendar and of year_days. */
	{
		struct mc_cal_day info, few[3];

		assert_int_equal(mc_cal_first_day(cal), day_of("1900-01-01"));
		assert_int_equal(mc_cal_last_day(cal), day_of("2199-12-31"));
		assert_int_equal(mc_cal_day_info(cal, day_of("1899-12-31"),
						 &info), MC_ERANGE);
		assert_int_equal(mc_cal_day_info(cal, day_of("2200-01-01"),
						 &info), MC_ERANGE);
		assert_false(mc_cal_is_working_day(cal, day_of("1899-12-29")));
		assert_false(mc_cal_is_working_day(cal, day_of("2200-01-01")));
		assert_true(mc_cal_is_working_day(cal, day_of("2199-12-31")) ==
			    (mc_weekday(day_of("2199-12-31")) <= 5));
		assert_int_equal(mc_cal_year_days(cal, 1899, few, 3),
				 MC_ERANGE);
		assert_int_equal(mc_cal_year_days(cal, 2200, few, 3),
				 MC_ERANGE);
		/* 'max' limits what is written, not the count. */
		assert_int_equal(mc_cal_year_days(cal, 2026, few, 3), 17);
		assert_int_equal(few[2].day, day_of("2026-01-10"));
		assert_int_equal(mc_cal_year_days(cal, 2026, NULL, 0), 17);
		assert_int_equal(mc_cal_day_seconds(cal), 7 * 3600 + 1800);
	}
}

/* Receipt. */

static void test_receipt(void **state)
{
	const struct mc_calendar *cal = *state;

	/* Inside working hours: itself, whatever the offset written. */
	RECEIPT(cal, "2026-03-04T10:00:00+07:00", "2026-03-04T10:00:00+07:00");
	RECEIPT(cal, "2026-03-04T03:00:00Z", "2026-03-04T10:00:00+07:00");
	RECEIPT(cal, "2026-03-04T07:30:00+07:00", "2026-03-04T07:30:00+07:00");
	RECEIPT(cal, "2026-03-04T13:30:00+07:00", "2026-03-04T13:30:00+07:00");
	RECEIPT(cal, "2026-03-04T11:29:59+07:00", "2026-03-04T11:29:59+07:00");
	/* Before opening and at lunch: the same day's next period. */
	RECEIPT(cal, "2026-03-04T00:00:00+07:00", "2026-03-04T07:30:00+07:00");
	RECEIPT(cal, "2026-03-04T06:00:00+07:00", "2026-03-04T07:30:00+07:00");
	RECEIPT(cal, "2026-03-04T11:30:00+07:00", "2026-03-04T13:30:00+07:00");
	RECEIPT(cal, "2026-03-04T12:00:00+07:00", "2026-03-04T13:30:00+07:00");
	/* The 15:00 cut-off: at 15:00 still today, after it tomorrow. */
	RECEIPT(cal, "2026-03-04T15:00:00+07:00", "2026-03-04T15:00:00+07:00");
	RECEIPT(cal, "2026-03-04T15:00:01+07:00", "2026-03-05T07:30:00+07:00");
	RECEIPT(cal, "2026-03-04T15:30:00+07:00", "2026-03-05T07:30:00+07:00");
	RECEIPT(cal, "2026-03-04T22:00:00+07:00", "2026-03-05T07:30:00+07:00");
	RECEIPT(cal, "2026-03-06T16:00:00+07:00", "2026-03-09T07:30:00+07:00");
	/* Weekend. */
	RECEIPT(cal, "2026-03-07T10:00:00+07:00", "2026-03-09T07:30:00+07:00");
	RECEIPT(cal, "2026-03-08T23:59:59+07:00", "2026-03-09T07:30:00+07:00");
	/* Holidays, Tết, a compensatory day. */
	RECEIPT(cal, "2026-04-30T09:00:00+07:00", "2026-05-04T07:30:00+07:00");
	RECEIPT(cal, "2026-02-16T08:00:00+07:00", "2026-02-23T07:30:00+07:00");
	RECEIPT(cal, "2026-02-13T15:30:00+07:00", "2026-02-23T07:30:00+07:00");
	RECEIPT(cal, "2026-04-27T09:00:00+07:00", "2026-04-28T07:30:00+07:00");
	RECEIPT(cal, "2026-11-24T09:00:00+07:00", "2026-11-25T07:30:00+07:00");
	/* A swapped Saturday is worked; the swapped Friday is not. */
	RECEIPT(cal, "2026-01-10T09:00:00+07:00", "2026-01-10T09:00:00+07:00");
	RECEIPT(cal, "2026-01-02T09:00:00+07:00", "2026-01-05T07:30:00+07:00");
	RECEIPT(cal, "2026-01-09T16:00:00+07:00", "2026-01-10T07:30:00+07:00");
	RECEIPT(cal, "2025-12-31T15:30:00+07:00", "2026-01-05T07:30:00+07:00");
}

/* Deadlines in working days. */

static void test_due_cli_example(void **state)
{
	const struct mc_calendar *cal = *state;
	struct mc_due_req req = { at("2026-02-13T10:00:00+07:00"), WD, 3,
				  NULL, 0 };
	struct mc_err err = MC_ERR_INIT;
	int64_t due = 0, received = 0;
	char buf[32];

	/* Fri 13/02 + 3: Tết 16–20/02, then Mon 23, Tue 24, Wed 25. */
	assert_int_equal(mc_cal_due(cal, &req, &due, &received, &err), 0);
	assert_string_equal(local(due, buf, sizeof(buf)),
			    "2026-02-25T17:00:00+07:00");
	assert_string_equal(local(received, buf, sizeof(buf)),
			    "2026-02-13T10:00:00+07:00");
	assert_int_equal(err.code, 0);
	/* The same instant written in UTC. */
	DUE(cal, "2026-02-13T03:00:00Z", WD, 3, "2026-02-25T17:00:00+07:00");
	/* 'received' holds the normalized receipt. */
	req.start = at("2026-01-31T10:00:00+07:00");
	req.unit = MONTHS;
	req.amount = 1;
	assert_int_equal(mc_cal_due(cal, &req, &due, &received, &err), 0);
	assert_string_equal(local(received, buf, sizeof(buf)),
			    "2026-02-02T07:30:00+07:00");
}

/*
 * Counting and shifting by working days from the calendar's index agree
 * with walking day by day, across Tết 2026 and its announced days.
 */
static void test_working_day_counts(void **state)
{
	const struct mc_calendar *cal = *state;
	int32_t a, b, d, first = day_of("2026-01-20"), n;
	int k, left;

	for (a = first; a < first + 60; a++) {
		for (n = 0, b = a; b < a + 40; b++) {
			if (b > a && mc_cal_is_working_day(cal, b))
				n++;
			assert_int_equal(mc_cal_working_days_between(cal, a, b),
					 n);
		}
		assert_int_equal(mc_cal_working_days_between(cal, a, a - 3),
				 0);
		for (k = -7; k <= 7; k++) {
			for (d = a, left = k < 0 ? -k : k; left > 0;) {
				d += k < 0 ? -1 : 1;
				left -= mc_cal_is_working_day(cal, d);
			}
			assert_int_equal(mc_cal_shift_working_days(cal, a, k), d);
		}
	}
	/* Tết 2026 takes 16–20/02: five working days after Friday 13/02
	 * are 23–27/02. */
	assert_int_equal(mc_cal_shift_working_days(cal, day_of("2026-02-13"),
						   5), day_of("2026-02-27"));
	/* Past the calendar's ends: its ends. */
	assert_int_equal(mc_cal_shift_working_days(cal, mc_cal_last_day(cal),
						   1), mc_cal_last_day(cal));
	assert_int_equal(mc_cal_shift_working_days(cal, mc_cal_first_day(cal),
						   -1), mc_cal_first_day(cal));
}

static void test_due_working_days(void **state)
{
	const struct mc_calendar *cal = *state;

	/* Ordinary week: the day of receipt is not counted. */
	DUE(cal, "2026-03-04T10:00:00+07:00", WD, 1,
	    "2026-03-05T17:00:00+07:00");
	DUE(cal, "2026-03-04T10:00:00+07:00", WD, 2,
	    "2026-03-06T17:00:00+07:00");
	DUE(cal, "2026-03-04T10:00:00+07:00", WD, 3,
	    "2026-03-09T17:00:00+07:00");
	DUE(cal, "2026-03-04T10:00:00+07:00", WD, 20,
	    "2026-04-01T17:00:00+07:00");
	/* 0 days: the close of the (normalized) receipt day. */
	DUE(cal, "2026-03-04T10:00:00+07:00", WD, 0,
	    "2026-03-04T17:00:00+07:00");
	DUE(cal, "2026-03-04T16:00:00+07:00", WD, 0,
	    "2026-03-05T17:00:00+07:00");
	DUE(cal, "2026-03-07T10:00:00+07:00", WD, 0,
	    "2026-03-09T17:00:00+07:00");
	/* Received on a weekend: counts from Monday, Monday not counted. */
	DUE(cal, "2026-03-07T10:00:00+07:00", WD, 1,
	    "2026-03-10T17:00:00+07:00");
	DUE(cal, "2026-03-08T20:00:00+07:00", WD, 2,
	    "2026-03-11T17:00:00+07:00");
	/* Received on a holiday (30/4): counts from Mon 04/05. */
	DUE(cal, "2026-04-30T09:00:00+07:00", WD, 2,
	    "2026-05-06T17:00:00+07:00");
	/* After the cut-off: received the next working day. */
	DUE(cal, "2026-03-04T14:59:00+07:00", WD, 1,
	    "2026-03-05T17:00:00+07:00");
	DUE(cal, "2026-03-04T15:30:00+07:00", WD, 1,
	    "2026-03-06T17:00:00+07:00");
	DUE(cal, "2026-03-06T15:30:00+07:00", WD, 1,
	    "2026-03-10T17:00:00+07:00");
	/* Before opening and at lunch: the same day. */
	DUE(cal, "2026-03-04T06:00:00+07:00", WD, 1,
	    "2026-03-05T17:00:00+07:00");
	DUE(cal, "2026-03-04T12:00:00+07:00", WD, 1,
	    "2026-03-05T17:00:00+07:00");
	/* Across Tết 2025 (27–31/01) and Tết 2024 (08–14/02). */
	DUE(cal, "2025-01-24T10:00:00+07:00", WD, 1,
	    "2025-02-03T17:00:00+07:00");
	DUE(cal, "2024-02-07T10:00:00+07:00", WD, 1,
	    "2024-02-15T17:00:00+07:00");
	DUE(cal, "2024-02-07T10:00:00+07:00", WD, 5,
	    "2024-02-21T17:00:00+07:00");
	/* Nghỉ bù Mon 27/04/2026 for Giỗ Tổ on Sunday. */
	DUE(cal, "2026-04-24T10:00:00+07:00", WD, 1,
	    "2026-04-28T17:00:00+07:00");
	DUE(cal, "2026-04-24T10:00:00+07:00", WD, 2,
	    "2026-04-29T17:00:00+07:00");
	DUE(cal, "2026-04-24T10:00:00+07:00", WD, 3,
	    "2026-05-04T17:00:00+07:00");
	/* Swapped Saturday 10/01/2026 is a working day ... */
	DUE(cal, "2026-01-09T10:00:00+07:00", WD, 1,
	    "2026-01-10T17:00:00+07:00");
	DUE(cal, "2026-01-08T10:00:00+07:00", WD, 2,
	    "2026-01-10T17:00:00+07:00");
	DUE(cal, "2026-01-08T10:00:00+07:00", WD, 3,
	    "2026-01-12T17:00:00+07:00");
	/* ... and the swapped Friday 02/01/2026 is not. */
	DUE(cal, "2025-12-31T10:00:00+07:00", WD, 1,
	    "2026-01-05T17:00:00+07:00");
	/* 2024: Mon 29/04 off, Sat 04/05 worked. */
	DUE(cal, "2024-04-26T10:00:00+07:00", WD, 1,
	    "2024-05-02T17:00:00+07:00");
	DUE(cal, "2024-05-03T10:00:00+07:00", WD, 1,
	    "2024-05-04T17:00:00+07:00");
	/* Across the new year. */
	DUE(cal, "2026-12-31T10:00:00+07:00", WD, 1,
	    "2027-01-04T17:00:00+07:00");
}

/* Deadlines in working hours (07:30–11:30, 13:30–17:00 = 7.5 h). */
static void test_due_working_hours(void **state)
{
	const struct mc_calendar *cal = *state;

	DUE(cal, "2026-03-04T10:00:00+07:00", WH, 1,
	    "2026-03-04T11:00:00+07:00");
	/* Across lunch: 1.5 h in the morning, 0.5 h after 13:30. */
	DUE(cal, "2026-03-04T10:00:00+07:00", WH, 2,
	    "2026-03-04T14:00:00+07:00");
	/* Ending at the close of a period: 11:30, not 13:30. */
	DUE(cal, "2026-03-04T07:30:00+07:00", WH, 4,
	    "2026-03-04T11:30:00+07:00");
	DUE(cal, "2026-03-04T07:30:00+07:00", WH, 7,
	    "2026-03-04T16:30:00+07:00");
	/* Across days: 5 h on Wednesday, 3 h on Thursday. */
	DUE(cal, "2026-03-04T10:00:00+07:00", WH, 8,
	    "2026-03-05T10:30:00+07:00");
	DUE(cal, "2026-03-04T13:30:00+07:00", WH, 7,
	    "2026-03-05T11:00:00+07:00");
	/* Two whole days end at the close of the second. */
	DUE(cal, "2026-03-04T07:30:00+07:00", WH, 15,
	    "2026-03-05T17:00:00+07:00");
	/* Across a weekend. */
	DUE(cal, "2026-03-06T14:00:00+07:00", WH, 2,
	    "2026-03-06T16:00:00+07:00");
	DUE(cal, "2026-03-06T14:00:00+07:00", WH, 4,
	    "2026-03-09T08:30:00+07:00");
	/* After the cut-off the hours count from the next working day. */
	DUE(cal, "2026-03-06T16:00:00+07:00", WH, 2,
	    "2026-03-09T09:30:00+07:00");
	/* At lunch, and 0 hours (the normalized receipt). */
	DUE(cal, "2026-03-04T12:00:00+07:00", WH, 1,
	    "2026-03-04T14:30:00+07:00");
	DUE(cal, "2026-03-04T10:00:00+07:00", WH, 0,
	    "2026-03-04T10:00:00+07:00");
	DUE(cal, "2026-03-04T12:00:00+07:00", WH, 0,
	    "2026-03-04T13:30:00+07:00");
	DUE(cal, "2026-03-07T12:00:00+07:00", WH, 0,
	    "2026-03-09T07:30:00+07:00");
	/* Across Tết 2026 and onto a swapped Saturday. */
	DUE(cal, "2026-02-13T14:00:00+07:00", WH, 4,
	    "2026-02-23T08:30:00+07:00");
	DUE(cal, "2026-01-09T16:00:00+07:00", WH, 1,
	    "2026-01-10T08:30:00+07:00");
	/* 40 h from Monday 07:30: five days of 7.5 h = 37.5, then 2.5 h. */
	DUE(cal, "2026-03-02T07:30:00+07:00", WH, 40,
	    "2026-03-09T10:00:00+07:00");
}

/* Deadlines in calendar days and months (BLDS 2015 Art. 147–148). */
static void test_due_days_and_months(void **state)
{
	const struct mc_calendar *cal = *state;

	DUE(cal, "2026-03-04T10:00:00+07:00", DAYS, 0,
	    "2026-03-04T17:00:00+07:00");
	DUE(cal, "2026-03-04T10:00:00+07:00", DAYS, 2,
	    "2026-03-06T17:00:00+07:00");
	/* Due on Saturday 14/03: the next working day, Monday 16/03. */
	DUE(cal, "2026-03-04T10:00:00+07:00", DAYS, 10,
	    "2026-03-16T17:00:00+07:00");
	/* After the cut-off the receipt day is Thursday. */
	DUE(cal, "2026-03-04T15:30:00+07:00", DAYS, 1,
	    "2026-03-06T17:00:00+07:00");
	DUE(cal, "2026-03-04T15:30:00+07:00", DAYS, 2,
	    "2026-03-09T17:00:00+07:00");
	/* Due on 30/4 (holiday), 1/5 holiday, weekend: Monday 04/05. */
	DUE(cal, "2026-04-20T10:00:00+07:00", DAYS, 10,
	    "2026-05-04T17:00:00+07:00");
	/* Due in Tết 2026: Monday 23/02. */
	DUE(cal, "2026-02-06T10:00:00+07:00", DAYS, 10,
	    "2026-02-23T17:00:00+07:00");
	/* Due on the compensatory Monday 27/04/2026: Tuesday. */
	DUE(cal, "2026-04-17T10:00:00+07:00", DAYS, 10,
	    "2026-04-28T17:00:00+07:00");
	/* Due on the swapped Saturday 10/01/2026: a working day. */
	DUE(cal, "2025-12-31T10:00:00+07:00", DAYS, 10,
	    "2026-01-10T17:00:00+07:00");
	/* Due on the swapped Friday 02/01/2026: Monday 05/01. */
	DUE(cal, "2025-12-23T10:00:00+07:00", DAYS, 10,
	    "2026-01-05T17:00:00+07:00");

	/*
	 * 31/01/2026 (a Saturday) + 1 month: 28/02 is a Saturday, so the
	 * close of Monday 02/03 (also from the normalized receipt 02/02).
	 */
	DUE(cal, "2026-01-31T10:00:00+07:00", MONTHS, 1,
	    "2026-03-02T17:00:00+07:00");
	/* Month ends: 31/01/2023 (Tue) → 28/02/2023 (Tue). */
	DUE(cal, "2023-01-31T10:00:00+07:00", MONTHS, 1,
	    "2023-02-28T17:00:00+07:00");
	/* 31/01/2025 is a Tết day: received Mon 03/02, due Mon 03/03. */
	DUE(cal, "2025-01-31T10:00:00+07:00", MONTHS, 1,
	    "2025-03-03T17:00:00+07:00");
	/* Leap year: 31/01/2024 → 29/02/2024 (Thu). */
	DUE(cal, "2024-01-31T10:00:00+07:00", MONTHS, 1,
	    "2024-02-29T17:00:00+07:00");
	/* 31/03 → 30/04/2026, a holiday: Monday 04/05. */
	DUE(cal, "2026-03-31T10:00:00+07:00", MONTHS, 1,
	    "2026-05-04T17:00:00+07:00");
	/* 29/08/2025 + 6 months → 28/02/2026 (Sat) → Monday 02/03. */
	DUE(cal, "2025-08-29T10:00:00+07:00", MONTHS, 6,
	    "2026-03-02T17:00:00+07:00");
	/* 15/01/2026 + 1 → Sun 15/02, then Tết: Monday 23/02. */
	DUE(cal, "2026-01-15T10:00:00+07:00", MONTHS, 1,
	    "2026-02-23T17:00:00+07:00");
	DUE(cal, "2026-03-04T10:00:00+07:00", MONTHS, 12,
	    "2027-03-04T17:00:00+07:00");
	DUE(cal, "2026-03-04T10:00:00+07:00", MONTHS, 0,
	    "2026-03-04T17:00:00+07:00");
	/* Sunday 31/12/2023 counts from Tue 02/01/2024: due Fri 02/02. */
	DUE(cal, "2023-12-31T10:00:00+07:00", MONTHS, 1,
	    "2024-02-02T17:00:00+07:00");
}

/* Pauses. */
static void test_due_pauses(void **state)
{
	const struct mc_calendar *cal = *state;
	/* Base: Wed 04/03/2026 10:00 + 3 working days = Mon 09/03 17:00. */
	static const struct pz full_thu[] = {
		{ "2026-03-05T07:30:00+07:00", "2026-03-06T07:30:00+07:00" },
	};
	static const struct pz full_thu_closed[] = {	/* same hours */
		{ "2026-03-04T17:00:00+07:00", "2026-03-06T07:00:00+07:00" },
	};
	static const struct pz half_thu[] = {
		{ "2026-03-05T13:30:00+07:00", "2026-03-05T17:00:00+07:00" },
	};
	static const struct pz overlap[] = {
		{ "2026-03-05T10:00:00+07:00", "2026-03-05T17:00:00+07:00" },
		{ "2026-03-05T07:30:00+07:00", "2026-03-05T12:00:00+07:00" },
		{ "2026-03-05T08:00:00+07:00", "2026-03-05T09:00:00+07:00" },
	};
	static const struct pz after_due[] = {
		{ "2026-03-10T08:00:00+07:00", "2026-03-11T17:00:00+07:00" },
	};
	static const struct pz at_due[] = {
		{ "2026-03-09T17:00:00+07:00", "2026-03-12T17:00:00+07:00" },
	};
	static const struct pz across_due[] = {	/* 1 h + 4 h */
		{ "2026-03-09T16:00:00+07:00", "2026-03-10T12:00:00+07:00" },
	};
	static const struct pz chained[] = {
		/* Falls after the first due but before the extended one. */
		{ "2026-03-10T08:00:00+07:00", "2026-03-10T09:00:00+07:00" },
		{ "2026-03-05T07:30:00+07:00", "2026-03-06T07:30:00+07:00" },
	};
	static const struct pz before_receipt[] = {
		{ "2026-03-01T08:00:00+07:00", "2026-03-04T10:00:00+07:00" },
	};
	static const struct pz from_before_receipt[] = {	/* 5 h */
		{ "2026-03-03T08:00:00+07:00", "2026-03-05T07:30:00+07:00" },
	};
	static const struct pz empty[] = {
		{ "2026-03-05T09:00:00+07:00", "2026-03-05T09:00:00+07:00" },
	};
	/* Wed 11/02/2026 + 3 = Mon 23/02 (Thu 12, Fri 13, Tết, Mon 23). */
	static const struct pz over_tet[] = {	/* only Fri 13 counts */
		{ "2026-02-13T07:30:00+07:00", "2026-02-23T07:30:00+07:00" },
	};
	static const struct pz over_tet2[] = {	/* 2 h + 1.5 h */
		{ "2026-02-13T15:00:00+07:00", "2026-02-23T09:00:00+07:00" },
	};
	static const struct pz hours[] = {
		{ "2026-03-04T10:30:00+07:00", "2026-03-04T11:00:00+07:00" },
	};
	/* Calendar days: whole days, and a part of a day rounded up. */
	static const struct pz three_days[] = {
		{ "2026-03-05T00:00:00+07:00", "2026-03-08T00:00:00+07:00" },
	};
	static const struct pz two_hours[] = {
		{ "2026-03-05T09:00:00+07:00", "2026-03-05T11:00:00+07:00" },
	};
	static const struct pz days_after_due[] = {
		{ "2026-03-20T09:00:00+07:00", "2026-03-25T09:00:00+07:00" },
	};
	static const struct pz four_days_feb[] = {
		{ "2023-02-10T08:00:00+07:00", "2023-02-14T08:00:00+07:00" },
	};

	DUE(cal, "2026-03-04T10:00:00+07:00", WD, 3,
	    "2026-03-09T17:00:00+07:00");
	DUE_P(cal, "2026-03-04T10:00:00+07:00", WD, 3, full_thu,
	      "2026-03-10T17:00:00+07:00");
	DUE_P(cal, "2026-03-04T10:00:00+07:00", WD, 3, full_thu_closed,
	      "2026-03-10T17:00:00+07:00");
	DUE_P(cal, "2026-03-04T10:00:00+07:00", WD, 3, half_thu,
	      "2026-03-10T11:00:00+07:00");
	DUE_P(cal, "2026-03-04T10:00:00+07:00", WD, 3, overlap,
	      "2026-03-10T17:00:00+07:00");
	DUE_P(cal, "2026-03-04T10:00:00+07:00", WD, 3, after_due,
	      "2026-03-09T17:00:00+07:00");
	DUE_P(cal, "2026-03-04T10:00:00+07:00", WD, 3, at_due,
	      "2026-03-09T17:00:00+07:00");
	DUE_P(cal, "2026-03-04T10:00:00+07:00", WD, 3, across_due,
	      "2026-03-10T14:30:00+07:00");
	DUE_P(cal, "2026-03-04T10:00:00+07:00", WD, 3, chained,
	      "2026-03-11T08:30:00+07:00");
	DUE_P(cal, "2026-03-04T10:00:00+07:00", WD, 3, before_receipt,
	      "2026-03-09T17:00:00+07:00");
	DUE_P(cal, "2026-03-04T10:00:00+07:00", WD, 3, from_before_receipt,
	      "2026-03-10T14:30:00+07:00");
	DUE_P(cal, "2026-03-04T10:00:00+07:00", WD, 3, empty,
	      "2026-03-09T17:00:00+07:00");
	/* A pause spanning Tết moves the due by its working time only. */
	DUE(cal, "2026-02-11T10:00:00+07:00", WD, 3,
	    "2026-02-23T17:00:00+07:00");
	DUE_P(cal, "2026-02-11T10:00:00+07:00", WD, 3, over_tet,
	      "2026-02-24T17:00:00+07:00");
	DUE_P(cal, "2026-02-11T10:00:00+07:00", WD, 3, over_tet2,
	      "2026-02-24T11:00:00+07:00");
	/* Working hours. */
	DUE_P(cal, "2026-03-04T10:00:00+07:00", WH, 2, hours,
	      "2026-03-04T14:30:00+07:00");
	DUE_P(cal, "2026-03-04T10:00:00+07:00", WH, 0, hours,
	      "2026-03-04T10:00:00+07:00");
	/* Calendar days: Sat 14/03 + 3 days = Tue 17/03. */
	DUE_P(cal, "2026-03-04T10:00:00+07:00", DAYS, 10, three_days,
	      "2026-03-17T17:00:00+07:00");
	/* Fri 06/03 + 1 day = Sat 07/03 → Monday 09/03. */
	DUE_P(cal, "2026-03-04T10:00:00+07:00", DAYS, 2, two_hours,
	      "2026-03-09T17:00:00+07:00");
	DUE_P(cal, "2026-03-04T10:00:00+07:00", DAYS, 10, days_after_due,
	      "2026-03-16T17:00:00+07:00");
	/* Months: 28/02/2023 + 4 days = Sat 04/03 → Monday 06/03. */
	DUE_P(cal, "2023-01-31T10:00:00+07:00", MONTHS, 1, four_days_feb,
	      "2023-03-06T17:00:00+07:00");
}

/* Working time elapsed and remaining. */
static void test_working_seconds(void **state)
{
	const struct mc_calendar *cal = *state;
	const struct mc_pause one[] = {
		{ at("2026-03-04T10:00:00+07:00"),
		  at("2026-03-04T11:00:00+07:00") },
	};
	const struct mc_pause past_end[] = {
		{ at("2026-03-04T13:00:00+07:00"),
		  at("2026-03-04T15:00:00+07:00") },
	};
	const struct mc_pause overlapping[] = {
		{ at("2026-03-04T10:30:00+07:00"),
		  at("2026-03-04T11:30:00+07:00") },
		{ at("2026-03-04T10:00:00+07:00"),
		  at("2026-03-04T11:00:00+07:00") },
	};
	const struct mc_pause outside[] = {
		{ at("2026-03-03T10:00:00+07:00"),
		  at("2026-03-04T09:00:00+07:00") },
		{ at("2026-03-04T15:00:00+07:00"),
		  at("2026-03-05T15:00:00+07:00") },
	};
	int64_t a = at("2026-03-04T10:00:00+07:00");
	int64_t b = at("2026-03-04T14:00:00+07:00");
	int64_t r = at("2026-02-13T10:00:00+07:00");
	int64_t due = at("2026-02-25T17:00:00+07:00");
	int64_t now = at("2026-02-24T12:00:00+07:00");

	/* 10:00–11:30 and 13:30–14:00. */
	assert_int_equal(mc_cal_working_seconds(cal, a, b, NULL, 0), 7200);
	assert_int_equal(mc_cal_working_seconds(cal, b, a, NULL, 0), -7200);
	assert_int_equal(mc_cal_working_seconds(cal, a, a, NULL, 0), 0);
	assert_int_equal(mc_cal_working_seconds(cal, a,
			 at("2026-03-05T10:00:00+07:00"), NULL, 0), 27000);
	/* A whole working week: 5 × 7.5 h. */
	assert_int_equal(mc_cal_working_seconds(cal,
			 at("2026-03-02T00:00:00+07:00"),
			 at("2026-03-07T00:00:00+07:00"), NULL, 0),
			 5 * 27000);
	/* Fri 16:00 → Mon 08:00: 1 h + 0.5 h; a weekend is empty. */
	assert_int_equal(mc_cal_working_seconds(cal,
			 at("2026-03-06T16:00:00+07:00"),
			 at("2026-03-09T08:00:00+07:00"), NULL, 0), 5400);
	assert_int_equal(mc_cal_working_seconds(cal,
			 at("2026-03-07T08:00:00+07:00"),
			 at("2026-03-08T20:00:00+07:00"), NULL, 0), 0);
	/* Over 30/4–1/5: Wed 29/04 5 h, Mon 04/05 2.5 h. */
	assert_int_equal(mc_cal_working_seconds(cal,
			 at("2026-04-29T10:00:00+07:00"),
			 at("2026-05-04T10:00:00+07:00"), NULL, 0), 27000);
	/* Over Tết 2026: Friday 13/02 only. */
	assert_int_equal(mc_cal_working_seconds(cal,
			 at("2026-02-13T07:30:00+07:00"),
			 at("2026-02-23T07:30:00+07:00"), NULL, 0), 27000);
	/* Pauses. */
	assert_int_equal(mc_cal_working_seconds(cal, a, b, one, 1), 3600);
	assert_int_equal(mc_cal_working_seconds(cal, b, a, one, 1), -3600);
	assert_int_equal(mc_cal_working_seconds(cal, a, b, past_end, 1),
			 5400);
	assert_int_equal(mc_cal_working_seconds(cal, a, b, overlapping, 2),
			 1800);
	assert_int_equal(mc_cal_working_seconds(cal, b, a, overlapping, 2),
			 -1800);
	assert_int_equal(mc_cal_working_seconds(cal, a, b, outside, 2), 7200);
	/*
	 * The CLI example: received Fri 13/02 10:00, due Wed 25/02 17:00 =
	 * 5 + 3 × 7.5 = 27.5 h. At Tue 24/02 12:00, 16.5 h elapsed and 11 h
	 * remain; on Thu 26/02 09:00 it is 1.5 h overdue.
	 */
	assert_int_equal(mc_cal_working_seconds(cal, r, due, NULL, 0), 99000);
	assert_int_equal(mc_cal_working_seconds(cal, r, now, NULL, 0), 59400);
	assert_int_equal(mc_cal_working_seconds(cal, now, due, NULL, 0),
			 39600);
	assert_int_equal(mc_cal_working_seconds(cal,
			 at("2026-02-26T09:00:00+07:00"), due, NULL, 0),
			 -5400);
	/* Outside the calendar: clamped, no crash. */
	assert_true(mc_cal_working_seconds(cal,
		    at("1800-01-01T00:00:00Z"), at("1900-01-02T00:00:00Z"),
		    NULL, 0) == 0);
	assert_true(mc_cal_working_seconds(cal, a,
		    at("2300-01-01T00:00:00Z"), NULL, 0) > 0);
}

/*
 * Properties over many deadlines: a working-days due is the close of a
 * working day, with exactly N full days of working time after the rest
 * of the receipt day; a working-hours due is exactly N hours of working
 * time after the receipt.
 */
static void test_due_properties(void **state)
{
	const struct mc_calendar *cal = *state;
	int64_t lo = at("2024-01-01T00:00:00+07:00");
	int64_t hi = at("2031-01-01T00:00:00+07:00");
	uint64_t x = 0x9e3779b97f4a7c15u;
	int i;

	for (i = 0; i < 3000; i++) {
		struct mc_due_req req = { 0, WD, 0, NULL, 0 };
		struct mc_err err = MC_ERR_INIT;
		int64_t due, rec, close;
		int32_t rd;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		req.start = lo + (int64_t)(x % (uint64_t)(hi - lo));
		req.amount = (int32_t)(x >> 40) % 60;
		assert_int_equal(mc_cal_due(cal, &req, &due, &rec, &err), 0);
		rd = mc_local_day(rec);
		assert_true(mc_cal_is_working_day(cal, rd));
		assert_true(mc_cal_is_working_day(cal, mc_local_day(due)));
		assert_int_equal(due - mc_local_day_start(mc_local_day(due)),
				 17 * 3600);
		assert_true(rec >= req.start);
		close = mc_local_day_start(rd) + 17 * 3600;
		assert_int_equal(mc_cal_working_seconds(cal, rec, due, NULL,
							0),
				 mc_cal_working_seconds(cal, rec, close, NULL,
							0) +
				 (int64_t)req.amount * 27000);
		req.unit = WH;
		assert_int_equal(mc_cal_due(cal, &req, &due, &rec, &err), 0);
		assert_int_equal(mc_cal_working_seconds(cal, rec, due, NULL,
							0),
				 (int64_t)req.amount * 3600);
		/* At most 15:00–17:00 lies before a receipt moved. */
		assert_in_range(mc_cal_working_seconds(cal, req.start, rec,
						       NULL, 0), 0, 7200);
	}
}

/* Early, on time, late. */
static void test_classify(void **state)
{
	int64_t due = at("2026-02-25T17:00:00+07:00");
	int64_t mid = at("2026-03-04T14:00:00+07:00");

	(void)state;
	assert_int_equal(mc_cal_classify(due, due), MC_ON_TIME);
	assert_int_equal(mc_cal_classify(due + 1, due), MC_LATE);
	assert_int_equal(mc_cal_classify(due - 1, due), MC_ON_TIME);
	assert_int_equal(mc_cal_classify(at("2026-02-25T00:00:00+07:00"), due),
			 MC_ON_TIME);
	assert_int_equal(mc_cal_classify(at("2026-02-24T23:59:59+07:00"), due),
			 MC_EARLY);
	assert_int_equal(mc_cal_classify(at("2026-02-20T10:00:00+07:00"), due),
			 MC_EARLY);
	assert_int_equal(mc_cal_classify(at("2026-02-26T08:00:00+07:00"), due),
			 MC_LATE);
	/* Local days, not UTC days. */
	assert_int_equal(mc_cal_classify(at("2026-02-24T17:30:00Z"), due),
			 MC_ON_TIME);
	assert_int_equal(mc_cal_classify(at("2026-02-24T16:59:59Z"), due),
			 MC_EARLY);
	/* A due in the middle of the day: later the same day is late. */
	assert_int_equal(mc_cal_classify(at("2026-03-04T14:30:00+07:00"), mid),
			 MC_LATE);
	assert_int_equal(mc_cal_classify(at("2026-03-04T09:00:00+07:00"), mid),
			 MC_ON_TIME);
	assert_int_equal(mc_cal_classify(at("2026-03-03T16:00:00+07:00"), mid),
			 MC_EARLY);
	assert_string_equal(mc_timeliness_name(MC_EARLY), "early");
	assert_string_equal(mc_timeliness_name(MC_ON_TIME), "on_time");
	assert_string_equal(mc_timeliness_name(MC_LATE), "late");
}

/* Bad input. */

/* Asserts that a request fails with 'code' naming 'field' and 'rule'. */
static void check_rejected(const struct mc_calendar *cal, int line,
			   const struct mc_due_req *req, int code,
			   const char *field, const char *rule)
{
	struct mc_err err = MC_ERR_INIT;
	int64_t due = 42, rec = 42;
	int rc = mc_cal_due(cal, req, &due, &rec, &err);

	if (rc != code || err.code != code || err.nfields < 1 ||
	    strcmp(err.fields[0].field, field) != 0 ||
	    strcmp(err.fields[0].rule, rule) != 0 || !err.message[0] ||
	    !err.fields[0].message[0]) {
		print_error("line %d: expected %d %s/%s, got %d (code %d) "
			    "%s/%s: %s\n", line, code, field, rule, rc,
			    err.code, err.nfields ? err.fields[0].field : "",
			    err.nfields ? err.fields[0].rule : "",
			    err.message);
		fail();
	}
	assert_int_equal(due, 42);
}

#define REJECTED(cal, req, code, field, rule) \
	check_rejected(cal, __LINE__, req, code, field, rule)

static void test_bad_input(void **state)
{
	const struct mc_calendar *cal = *state;
	int64_t t = at("2026-03-04T10:00:00+07:00");
	struct mc_pause many[MC_DUE_MAX_PAUSES + 1];
	struct mc_pause backwards[2] = {
		{ t, t + 3600 }, { t + 7200, t + 3600 }
	};
	struct mc_due_req r;
	struct mc_err err = MC_ERR_INIT;
	int64_t due;
	size_t i;

	for (i = 0; i < MC_ARRAY_SIZE(many); i++)
		many[i] = (struct mc_pause){ t + (int64_t)i * 60,
					     t + (int64_t)i * 60 + 30 };
	/* Negative and too large N, per unit. */
	r = (struct mc_due_req){ t, WD, -1, NULL, 0 };
	REJECTED(cal, &r, MC_EINVAL, "working_days", "min");
	r = (struct mc_due_req){ t, WD, MC_DUE_MAX_WORKING_DAYS + 1, NULL, 0 };
	REJECTED(cal, &r, MC_EINVAL, "working_days", "max");
	r = (struct mc_due_req){ t, WD, INT32_MIN, NULL, 0 };
	REJECTED(cal, &r, MC_EINVAL, "working_days", "min");
	r = (struct mc_due_req){ t, WH, -3, NULL, 0 };
	REJECTED(cal, &r, MC_EINVAL, "working_hours", "min");
	r = (struct mc_due_req){ t, WH, MC_DUE_MAX_WORKING_HOURS + 1, NULL,
				 0 };
	REJECTED(cal, &r, MC_EINVAL, "working_hours", "max");
	r = (struct mc_due_req){ t, DAYS, -1, NULL, 0 };
	REJECTED(cal, &r, MC_EINVAL, "days", "min");
	r = (struct mc_due_req){ t, DAYS, MC_DUE_MAX_DAYS + 1, NULL, 0 };
	REJECTED(cal, &r, MC_EINVAL, "days", "max");
	r = (struct mc_due_req){ t, MONTHS, -1, NULL, 0 };
	REJECTED(cal, &r, MC_EINVAL, "months", "min");
	r = (struct mc_due_req){ t, MONTHS, INT32_MAX, NULL, 0 };
	REJECTED(cal, &r, MC_EINVAL, "months", "max");
	/* The largest N of each unit is accepted. */
	r = (struct mc_due_req){ t, WD, MC_DUE_MAX_WORKING_DAYS, NULL, 0 };
	assert_int_equal(mc_cal_due(cal, &r, &due, NULL, &err), 0);
	r = (struct mc_due_req){ t, WH, MC_DUE_MAX_WORKING_HOURS, NULL, 0 };
	assert_int_equal(mc_cal_due(cal, &r, &due, NULL, &err), 0);
	r = (struct mc_due_req){ t, DAYS, MC_DUE_MAX_DAYS, NULL, 0 };
	assert_int_equal(mc_cal_due(cal, &r, &due, NULL, &err), 0);
	r = (struct mc_due_req){ t, MONTHS, MC_DUE_MAX_MONTHS, NULL, 0 };
	assert_int_equal(mc_cal_due(cal, &r, &due, NULL, &err), 0);
	/* Pauses: one ending before it starts, too many. */
	r = (struct mc_due_req){ t, WD, 3, backwards, 2 };
	REJECTED(cal, &r, MC_EINVAL, "pause", "order");
	{
		struct mc_err e = MC_ERR_INIT;

		assert_int_equal(mc_cal_due(cal, &r, &due, NULL, &e),
				 MC_EINVAL);
		assert_non_null(strstr(e.fields[0].message, "pause 2"));
	}
	r = (struct mc_due_req){ t, WD, 3, many, MC_DUE_MAX_PAUSES + 1 };
	REJECTED(cal, &r, MC_EINVAL, "pause", "max_items");
	r = (struct mc_due_req){ t, WD, 3, many, MC_DUE_MAX_PAUSES };
	assert_int_equal(mc_cal_due(cal, &r, &due, NULL, &err), 0);
	/* An unknown unit. */
	r = (struct mc_due_req){ t, (enum mc_due_unit)42, 1, NULL, 0 };
	{
		struct mc_err e = MC_ERR_INIT;

		assert_int_equal(mc_cal_due(cal, &r, &due, NULL, &e),
				 MC_EINVAL);
		assert_true(e.message[0] != '\0');
	}
	/* Start outside the calendar. */
	r = (struct mc_due_req){ at("2300-01-01T10:00:00+07:00"), WD, 1, NULL,
				 0 };
	REJECTED(cal, &r, MC_ERANGE, "start", "range");
	r = (struct mc_due_req){ at("1899-12-31T10:00:00+07:00"), DAYS, 1,
				 NULL, 0 };
	REJECTED(cal, &r, MC_ERANGE, "start", "range");
	{
		struct mc_err e = MC_ERR_INIT;
		int64_t out = 0;

		assert_int_equal(mc_cal_receipt(cal,
				 at("2300-01-01T10:00:00+07:00"), &out, &e),
				 MC_ERANGE);
		assert_string_equal(e.fields[0].field, "start");
	}
	/* A due beyond the end of the calendar. */
	r = (struct mc_due_req){ at("2199-06-02T10:00:00+07:00"), WD,
				 MC_DUE_MAX_WORKING_DAYS, NULL, 0 };
	REJECTED(cal, &r, MC_ERANGE, "working_days", "range");
	r = (struct mc_due_req){ at("2199-06-02T10:00:00+07:00"), WH,
				 MC_DUE_MAX_WORKING_HOURS, NULL, 0 };
	REJECTED(cal, &r, MC_ERANGE, "working_hours", "range");
	r = (struct mc_due_req){ at("2199-06-02T10:00:00+07:00"), DAYS,
				 MC_DUE_MAX_DAYS, NULL, 0 };
	REJECTED(cal, &r, MC_ERANGE, "days", "range");
	r = (struct mc_due_req){ at("2199-06-02T10:00:00+07:00"), MONTHS,
				 MC_DUE_MAX_MONTHS, NULL, 0 };
	REJECTED(cal, &r, MC_ERANGE, "months", "range");
	/* A pause outside the calendar (to the year 9999) is refused. */
	{
		struct mc_pause endless = { t + 3600,
					    at("9999-12-31T00:00:00Z") };

		r = (struct mc_due_req){ t, WD, 3, &endless, 1 };
		REJECTED(cal, &r, MC_ERANGE, "pause", "range");
		r = (struct mc_due_req){ t, DAYS, 3, &endless, 1 };
		REJECTED(cal, &r, MC_ERANGE, "pause", "range");
	}
}

/* Calendar files. */

/*
 * A province file on top of vn.cal: its own day off, Saturday mornings
 * worked, and its own announcement for 2027.
 */
static void test_province_override(void **state)
{
	static const char prov[] =
		"# Tỉnh X: lịch làm việc riêng\n"
		"source \"Quyết định 12/QĐ-UBND\"\n"
		"off 2026-03-10 \"Ngày giải phóng tỉnh\"\n"
		"hours sat 07:30-11:30\n"
		"days national-day 2027-09-01..2027-09-02\n";
	struct mc_calendar *cal = build_vn(prov);
	struct mc_cal_day info;

	(void)state;
	DAY(cal, "2026-03-10", MC_DAY_OFF, "Ngày giải phóng tỉnh");
	assert_int_equal(mc_cal_day_info(cal, day_of("2026-03-10"), &info), 0);
	assert_string_equal(info.source, "Quyết định 12/QĐ-UBND");
	assert_int_equal(mc_cal_year_days(cal, 2026, NULL, 0), 18);
	DUE(cal, "2026-03-09T10:00:00+07:00", WD, 1,
	    "2026-03-11T17:00:00+07:00");
	/* Saturday mornings are working time; Sunday is not. */
	DAY(cal, "2026-03-07", MC_DAY_WORKING, "");
	DAY(cal, "2026-03-08", MC_DAY_REST, "");
	RECEIPT(cal, "2026-03-07T10:00:00+07:00", "2026-03-07T10:00:00+07:00");
	RECEIPT(cal, "2026-03-07T12:00:00+07:00", "2026-03-09T07:30:00+07:00");
	RECEIPT(cal, "2026-03-06T16:00:00+07:00", "2026-03-07T07:30:00+07:00");
	DUE(cal, "2026-03-06T10:00:00+07:00", WD, 1,
	    "2026-03-07T11:30:00+07:00");
	DUE(cal, "2026-03-06T10:00:00+07:00", WD, 2,
	    "2026-03-09T17:00:00+07:00");
	DUE(cal, "2026-03-06T16:00:00+07:00", WH, 2,
	    "2026-03-07T09:30:00+07:00");
	DUE(cal, "2026-03-06T14:00:00+07:00", WH, 7,
	    "2026-03-07T11:30:00+07:00");
	assert_int_equal(mc_cal_working_seconds(cal,
			 at("2026-03-06T10:00:00+07:00"),
			 at("2026-03-09T10:00:00+07:00"), NULL, 0), 41400);
	assert_int_equal(mc_cal_day_seconds(cal), 27000);
	/* A holiday on a worked Saturday gives no nghỉ bù (Art. 111(3)). */
	DAY(cal, "2027-05-01", MC_DAY_HOLIDAY, L_LABOUR);
	DAY(cal, "2027-05-03", MC_DAY_WORKING, "");
	/* The announced Saturday make-up day is a full working day. */
	DUE(cal, "2026-01-09T10:00:00+07:00", WD, 1,
	    "2026-01-10T17:00:00+07:00");
	/* The province's 2027 announcement replaces 2/9 + 3/9. */
	DAY(cal, "2027-09-01", MC_DAY_HOLIDAY, L_NATIONAL);
	DAY(cal, "2027-09-02", MC_DAY_HOLIDAY, L_NATIONAL);
	DAY(cal, "2027-09-03", MC_DAY_WORKING, "");
	/* The national calendar is unchanged. */
	DAY((const struct mc_calendar *)*state, "2026-03-10", MC_DAY_WORKING,
	    "");
	DAY((const struct mc_calendar *)*state, "2026-03-07", MC_DAY_REST, "");
	mc_cal_free(cal);
}

static void test_cutoff_settings(void **state)
{
	struct mc_calendar *none = build_vn("cutoff none\n");
	struct mc_calendar *four = build_vn("cutoff 16:00\n");

	(void)state;
	RECEIPT(none, "2026-03-04T16:00:00+07:00", "2026-03-04T16:00:00+07:00");
	RECEIPT(none, "2026-03-04T16:59:59+07:00", "2026-03-04T16:59:59+07:00");
	RECEIPT(none, "2026-03-04T17:00:00+07:00", "2026-03-05T07:30:00+07:00");
	RECEIPT(none, "2026-03-04T12:00:00+07:00", "2026-03-04T13:30:00+07:00");
	DUE(none, "2026-03-04T16:00:00+07:00", WD, 0,
	    "2026-03-04T17:00:00+07:00");
	DUE(none, "2026-03-04T16:00:00+07:00", WD, 1,
	    "2026-03-05T17:00:00+07:00");
	DUE(none, "2026-03-06T16:00:00+07:00", WH, 2,
	    "2026-03-09T08:30:00+07:00");
	RECEIPT(four, "2026-03-04T15:30:00+07:00", "2026-03-04T15:30:00+07:00");
	RECEIPT(four, "2026-03-04T16:00:00+07:00", "2026-03-04T16:00:00+07:00");
	RECEIPT(four, "2026-03-04T16:30:00+07:00", "2026-03-05T07:30:00+07:00");
	DUE(four, "2026-03-04T15:30:00+07:00", WD, 1,
	    "2026-03-05T17:00:00+07:00");
	DUE(four, "2026-03-04T16:30:00+07:00", WD, 1,
	    "2026-03-06T17:00:00+07:00");
	mc_cal_free(none);
	mc_cal_free(four);
}

/* Holiday rules added by configuration, each from the year it applies. */
static void test_new_holiday_rules(void **state)
{
	static const char prov[] =
		"holiday founding solar 10-10 from=2027 \"Ngày thành lập "
		"tỉnh\"\n"
		"holiday fair solar 03-15 from=2026 until=2026 compensate=no "
		"\"Hội chợ\"\n"
		"holiday lantern lunar 01-15 from=2026 \"Tết Nguyên tiêu\"\n"
		"holiday feast solar 12-25 before=1 days=3 from=2026 "
		"compensate=no \"Lễ hội\"\n";
	struct mc_calendar *cal = build_vn(prov);

	(void)state;
	/* Not yet in 2026 (10/10/2026 is an ordinary Saturday). */
	DAY(cal, "2026-10-10", MC_DAY_REST, "");
	DAY(cal, "2026-10-12", MC_DAY_WORKING, "");
	/* 10/10/2027 is a Sunday: nghỉ bù Monday 11/10. */
	DAY(cal, "2027-10-10", MC_DAY_HOLIDAY, "Ngày thành lập tỉnh");
	DAY(cal, "2027-10-11", MC_DAY_COMPENSATORY,
	    "Nghỉ bù Ngày thành lập tỉnh");
	DAY(cal, "2028-10-10", MC_DAY_HOLIDAY, "Ngày thành lập tỉnh");
	DAY(cal, "2028-10-11", MC_DAY_WORKING, "");
	/* Sunday 15/03/2026 without nghỉ bù; not in 2027. */
	DAY(cal, "2026-03-15", MC_DAY_HOLIDAY, "Hội chợ");
	DAY(cal, "2026-03-16", MC_DAY_WORKING, "");
	DAY(cal, "2027-03-15", MC_DAY_WORKING, "");
	/* Lunar 15/1/2026 = Tết 17/02 + 14 days = Tuesday 03/03/2026. */
	DAY(cal, "2026-03-03", MC_DAY_HOLIDAY, "Tết Nguyên tiêu");
	DAY(cal, "2025-02-12", MC_DAY_WORKING, "");	/* 15/1/2025 */
	/* 24–26/12/2026, Thursday to Saturday. */
	DAY(cal, "2026-12-23", MC_DAY_WORKING, "");
	DAY(cal, "2026-12-24", MC_DAY_HOLIDAY, "Lễ hội");
	DAY(cal, "2026-12-26", MC_DAY_HOLIDAY, "Lễ hội");
	DAY(cal, "2026-12-28", MC_DAY_WORKING, "");
	DUE(cal, "2026-12-23T10:00:00+07:00", WD, 1,
	    "2026-12-28T17:00:00+07:00");
	/*
	 * 2027: the 15 national days, 10–11/10, lunar 15/1 on Sat 20/02
	 * with nghỉ bù Mon 22/02, and 24–26/12 without.
	 */
	assert_int_equal(mc_cal_year_days(cal, 2027, NULL, 0), 22);
	DAY(cal, "2027-02-20", MC_DAY_HOLIDAY, "Tết Nguyên tiêu");
	DAY(cal, "2027-02-22", MC_DAY_COMPENSATORY, "Nghỉ bù Tết Nguyên tiêu");
	mc_cal_free(cal);

	/* Rules of one name for disjoint years are allowed. */
	cal = build_text("holiday x solar 01-05 until=2020 \"Cũ\"\n"
			 "holiday x solar 01-06 from=2021 \"Mới\"\n"
			 "days x 2022-01-07\n");
	/* 05/01/2020 is a Sunday. */
	DAY(cal, "2020-01-05", MC_DAY_HOLIDAY, "Cũ");
	DAY(cal, "2020-01-06", MC_DAY_COMPENSATORY, "Nghỉ bù Cũ");
	DAY(cal, "2021-01-05", MC_DAY_WORKING, "");	/* Tuesday */
	DAY(cal, "2021-01-06", MC_DAY_HOLIDAY, "Mới");
	DAY(cal, "2022-01-07", MC_DAY_HOLIDAY, "Mới");
	DAY(cal, "2022-01-06", MC_DAY_WORKING, "");
	DAY(cal, "2023-01-06", MC_DAY_HOLIDAY, "Mới");
	DAY(cal, "2020-01-03", MC_DAY_WORKING, "");
	mc_cal_free(cal);
}

/* Other directives: week, work, swap, per-day hours, files on disk. */
static void test_other_directives(void **state)
{
	struct mc_calendar *cal;
	struct mc_cal_spec spec;
	struct mc_err err = MC_ERR_INIT;
	char path[512];

	(void)state;
	cal = build_text("week mon tue wed thu fri sat\n"
			 "hours 08:00-12:00 13:00-17:00\n"
			 "hours fri 08:00-12:00\n"
			 "cutoff none\n"
			 "work 2026-03-08 \"Chủ nhật làm việc\"\n"
			 "swap 2026-03-10 2026-03-15\n");
	assert_int_equal(mc_cal_day_seconds(cal), 8 * 3600);
	DAY(cal, "2026-03-07", MC_DAY_WORKING, "");	/* Saturday */
	DAY(cal, "2026-03-08", MC_DAY_WORKING_EXTRA, "Chủ nhật làm việc");
	DAY(cal, "2026-03-10", MC_DAY_OFF, NULL);
	DAY(cal, "2026-03-15", MC_DAY_WORKING_EXTRA, NULL);
	RECEIPT(cal, "2026-03-06T12:30:00+07:00", "2026-03-07T08:00:00+07:00");
	DUE(cal, "2026-03-05T10:00:00+07:00", WD, 1,
	    "2026-03-06T12:00:00+07:00");
	DUE(cal, "2026-03-05T10:00:00+07:00", WD, 3,
	    "2026-03-08T17:00:00+07:00");
	DUE(cal, "2026-03-09T10:00:00+07:00", WD, 1,
	    "2026-03-11T17:00:00+07:00");
	DUE(cal, "2026-03-05T16:00:00+07:00", WH, 2,
	    "2026-03-06T09:00:00+07:00");
	mc_cal_free(cal);

	/* mc_cal_spec_load reads a file; errors name its path. */
	th_path(path, sizeof(path), "prov.cal");
	assert_int_equal(th_write_file(path, "off 2026-03-10 \"Lễ tỉnh\"\n"
				       "\n# comment\nhours 7:30-11:30\n"), 0);
	mc_cal_spec_init(&spec);
	assert_int_equal(mc_cal_spec_load(&spec, path, &err), MC_EINVAL);
	assert_non_null(strstr(err.fields[0].field, "prov.cal:4"));
	assert_non_null(strstr(err.message, "prov.cal:4"));
	mc_cal_spec_release(&spec);
	mc_err_clear(&err);
	assert_int_equal(th_write_file(path, "off 2026-03-10 \"Lễ tỉnh\""), 0);
	mc_cal_spec_init(&spec);
	assert_int_equal(mc_cal_spec_load(&spec, path, &err), 0);
	assert_int_equal(mc_cal_build(&spec, &cal, &err), 0);
	DAY(cal, "2026-03-10", MC_DAY_OFF, "Lễ tỉnh");
	mc_cal_free(cal);
	mc_cal_spec_release(&spec);
	mc_err_clear(&err);
	th_path(path, sizeof(path), "missing.cal");
	mc_cal_spec_init(&spec);
	assert_true(mc_cal_spec_load(&spec, path, &err) < 0);
	assert_non_null(strstr(err.message, "missing.cal"));
	mc_cal_spec_release(&spec);
}

/*
 * A day off announced on the day a compensatory day would take moves the
 * nghỉ bù on to the next ordinary working day (Art. 111(3)); it is not
 * lost. Giỗ Tổ 2026 falls on Sunday 26/04.
 */
static void test_compensatory_moves(void **state)
{
	struct mc_calendar *cal;

	(void)state;
	cal = build_vn("off 2026-04-27 \"Nghỉ theo quyết định của tỉnh\"\n");
	DAY(cal, "2026-04-26", MC_DAY_HOLIDAY, L_HUNG);
	DAY(cal, "2026-04-27", MC_DAY_OFF, "Nghỉ theo quyết định của tỉnh");
	DAY(cal, "2026-04-28", MC_DAY_COMPENSATORY, "Nghỉ bù " L_HUNG);
	DAY(cal, "2026-04-29", MC_DAY_WORKING, "");
	mc_cal_free(cal);
	/* A province holiday on Saturday 02/05/2026 with Monday 04/05 off:
	 * its nghỉ bù is Tuesday 05/05. */
	cal = build_vn("holiday founding solar 05-02 from=2026 \"Ngày thành "
		       "lập tỉnh\"\n"
		       "off 2026-05-04 \"Nghỉ theo quyết định của tỉnh\"\n");
	DAY(cal, "2026-05-02", MC_DAY_HOLIDAY, "Ngày thành lập tỉnh");
	DAY(cal, "2026-05-04", MC_DAY_OFF, "Nghỉ theo quyết định của tỉnh");
	DAY(cal, "2026-05-05", MC_DAY_COMPENSATORY,
	    "Nghỉ bù Ngày thành lập tỉnh");
	mc_cal_free(cal);
}

/*
 * Parses 'text' as "prov.cal" (on vn.cal when 'on_vn') and asserts it
 * fails at 'where' ("prov.cal:N") with 'rule' and a message holding
 * 'fragment'.
 */
static void check_parse_error(int line, bool on_vn, const char *text,
			      const char *where, const char *rule,
			      const char *fragment)
{
	struct mc_cal_spec spec;
	struct mc_err err = MC_ERR_INIT;
	int rc;

	mc_cal_spec_init(&spec);
	if (on_vn)
		assert_int_equal(mc_cal_spec_load_builtin(&spec, &err), 0);
	rc = mc_cal_spec_parse(&spec, "prov.cal", text, strlen(text), &err);
	mc_cal_spec_release(&spec);
	if (rc != MC_EINVAL || err.code != MC_EINVAL || err.nfields != 1 ||
	    strcmp(err.fields[0].field, where) != 0 ||
	    strcmp(err.fields[0].rule, rule) != 0 ||
	    !strstr(err.fields[0].message, fragment) ||
	    strncmp(err.message, where, strlen(where)) != 0) {
		print_error("line %d: expected %s %s '%s', got %d %s %s: "
			    "%s\n", line, where, rule, fragment, rc,
			    err.nfields ? err.fields[0].field : "-",
			    err.nfields ? err.fields[0].rule : "-",
			    err.message);
		fail();
	}
}

#define PARSE_ERROR(on_vn, text, where, rule, fragment) \
	check_parse_error(__LINE__, on_vn, text, where, rule, fragment)

static void test_parse_errors(void **state)
{
	(void)state;
	PARSE_ERROR(false, "# ok\n\nfrobnicate 2026-01-01\n", "prov.cal:3",
		    "syntax", "unknown directive 'frobnicate'");
	PARSE_ERROR(false, "off 2026-01-05 \"a\"\noff 2026-02-30 \"Nghỉ\"\n",
		    "prov.cal:2", "date", "2026-02-30");
	PARSE_ERROR(false, "off 2026-03-10..2026-03-01 \"Nghỉ\"\n",
		    "prov.cal:1", "date", "ends before it starts");
	PARSE_ERROR(false, "off 2026-01-01..2026-03-10 \"Nghỉ\"\n",
		    "prov.cal:1", "date", "longer than");
	PARSE_ERROR(false, "off 2026-13-01 \"Nghỉ\"\n", "prov.cal:1", "date",
		    "2026-13-01");
	PARSE_ERROR(false, "off 2300-01-01 \"Nghỉ\"\n", "prov.cal:1", "date",
		    "outside the calendar");
	PARSE_ERROR(false, "off 26-03-10 \"Nghỉ\"\n", "prov.cal:1", "date",
		    "YYYY-MM-DD");
	PARSE_ERROR(false, "off 2026-03-10 Nghỉ\n", "prov.cal:1", "off",
		    "expected");
	PARSE_ERROR(false, "swap 2026-03-10 2026-03-10\n", "prov.cal:1", "swap",
		    "differ");
	PARSE_ERROR(true, "\ndays foo 2026-01-01\n", "prov.cal:2", "days",
		    "'foo'");
	PARSE_ERROR(true, "days tet 2026-02-31\n", "prov.cal:1", "date",
		    "2026-02-31");
	PARSE_ERROR(true, "holiday tet lunar-new-year days=3 from=2030 "
		    "\"Tết\"\n", "prov.cal:1", "holiday", "already defined");
	PARSE_ERROR(false, "holiday x solar 01-05 until=2020 \"a\"\n"
		    "holiday x solar 01-06 from=2020 until=2021 \"b\"\n",
		    "prov.cal:2", "holiday", "already defined");
	PARSE_ERROR(false, "holiday x solar 02-30 \"a\"\n", "prov.cal:1",
		    "holiday", "02-30");
	PARSE_ERROR(false, "holiday x solar +1-05 \"a\"\n", "prov.cal:1",
		    "holiday", "+1-05");
	PARSE_ERROR(false, "holiday x lunar 01-31 \"a\"\n", "prov.cal:1",
		    "holiday", "01-31");
	PARSE_ERROR(false, "holiday x solar 01-05 days=0 \"a\"\n",
		    "prov.cal:1", "holiday", "days=0");
	PARSE_ERROR(false, "holiday x solar 01-05\n", "prov.cal:1",
		    "holiday", "in quotes");
	PARSE_ERROR(false, "holiday x weekly 01-05 \"a\"\n", "prov.cal:1",
		    "holiday", "unknown kind");
	PARSE_ERROR(false, "holiday x solar 01-05 from=2022 until=2021 "
		    "\"a\"\n", "prov.cal:1", "holiday", "until=2021");
	PARSE_ERROR(false, "hours 07:30-11:30 13:00-12:00\n", "prov.cal:1",
		    "hours", "13:00-12:00");
	PARSE_ERROR(false, "hours 07:30-12:00 11:00-17:00\n", "prov.cal:1",
		    "hours", "overlap");
	PARSE_ERROR(false, "hours 7:30-11:30\n", "prov.cal:1", "hours",
		    "7:30-11:30");
	PARSE_ERROR(false, "hours 25:00-26:00\n", "prov.cal:1", "hours",
		    "25:00-26:00");
	PARSE_ERROR(false, "hours sat\n", "prov.cal:1", "hours", "periods");
	PARSE_ERROR(false, "cutoff 15h\n", "prov.cal:1", "cutoff", "HH:MM");
	PARSE_ERROR(false, "week mon funday\n", "prov.cal:1", "week",
		    "funday");
	PARSE_ERROR(false, "source \"a\"\noff 2026-03-10 \"Ngày giải phóng\n",
		    "prov.cal:2", "syntax", "not closed");
	PARSE_ERROR(false, "off 2026-03-10 \"Nghỉ\" \"b\"\n", "prov.cal:1",
		    "off", "expected");
	PARSE_ERROR(false, "off 2026-03-10 \"\xff\xfe\"\n", "prov.cal:1",
		    "off", "expected");
}

/*
 * The text handed to mc_cal_spec_parse is a (pointer, length) pair, not a
 * C string: the parser must not read past it. The text is put at the very
 * end of a readable page, followed by an inaccessible one.
 */
static void test_parse_reads_only_its_text(void **state)
{
	static const char text[] = "holiday x solar 01-05 \"Lễ\"\n"
				   "hours 07:30-11:30\n"
				   "holiday y solar 02-06";
	long page = sysconf(_SC_PAGESIZE);
	char *mem;
	struct mc_cal_spec spec;
	struct mc_err err = MC_ERR_INIT;
	size_t len = MC_STRLEN(text);
	int rc;

	(void)state;
	mem = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(mem != MAP_FAILED);
	assert_int_equal(mprotect(mem + page, (size_t)page, PROT_NONE), 0);
	memcpy(mem + page - len, text, len);
	mc_cal_spec_init(&spec);
	rc = mc_cal_spec_parse(&spec, "edge.cal", mem + page - len, len, &err);
	/* The last line lacks its label. */
	assert_int_equal(rc, MC_EINVAL);
	assert_string_equal(err.fields[0].field, "edge.cal:3");
	assert_int_equal(spec.nrules, 1);
	mc_cal_spec_release(&spec);
	munmap(mem, (size_t)page * 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holidays_2024),
		cmocka_unit_test(test_holidays_2025),
		cmocka_unit_test(test_holidays_2026),
		cmocka_unit_test(test_holidays_2027_rules),
		cmocka_unit_test(test_holidays_2030_rules),
		cmocka_unit_test(test_holiday_rules_other_years),
		cmocka_unit_test(test_receipt),
		cmocka_unit_test(test_due_cli_example),
		cmocka_unit_test(test_working_day_counts),
		cmocka_unit_test(test_due_working_days),
		cmocka_unit_test(test_due_working_hours),
		cmocka_unit_test(test_due_days_and_months),
		cmocka_unit_test(test_due_pauses),
		cmocka_unit_test(test_working_seconds),
		cmocka_unit_test(test_due_properties),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_province_override),
		cmocka_unit_test(test_cutoff_settings),
		cmocka_unit_test(test_new_holiday_rules),
		cmocka_unit_test(test_other_directives),
		cmocka_unit_test(test_compensatory_moves),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_reads_only_its_text),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
