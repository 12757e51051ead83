/*
 * reports.c — reporting periods and Biểu 06 (see reports.h).
 */
#include "core/compat.h"
#include "core/timeutil.h"
#include "domain/reports.h"

int mc_period_kind_parse(const char *s)
{
	static const char *const names[] = { "month", "quarter", "half",
					     "year" };
	size_t i;

	for (i = 0; s && i < MC_ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i]))
			return (int)i;
	return -1;
}

int mc_period_days(enum mc_period_kind kind, int year, int index, int cutoff,
		   int32_t *first, int32_t *last, struct mc_err *err)
{
	static const int months[] = { 1, 3, 6, 12 };
	int span, fm, lm, py, pm;

	if (year < 2000 || year > 2100)
		return mc_err_field(err, "year", "range", "a year from 2000 "
				    "to 2100");
	if (cutoff != 0 && (cutoff < 2 || cutoff > 28))
		return mc_err_field(err, "cutoff", "range", "0 for calendar "
				    "periods, or a cut-off day from 2 to 28");
	span = months[kind];
	if (kind == MC_PERIOD_YEAR)
		index = 1;
	if (index < 1 || index > 12 / span)
		return mc_err_field(err, "index", "range", "1 to %d for this "
				    "period", 12 / span);
	fm = (index - 1) * span + 1;
	lm = fm + span - 1;
	if (!cutoff) {
		*first = mc_days_from_ymd(year, fm, 1);
		*last = mc_days_from_ymd(year, lm, mc_days_in_month(year, lm));
		return 0;
	}
	/* From the cut-off day of the month before, to the day before the
	 * cut-off in the last month. */
	py = fm == 1 ? year - 1 : year;
	pm = fm == 1 ? 12 : fm - 1;
	*first = mc_days_from_ymd(py, pm, cutoff);
	*last = mc_days_from_ymd(year, lm, cutoff - 1);
	return 0;
}

int64_t mc_b06_received(const struct mc_b06 *r)
{
	return r->carried_over + r->online + r->direct_postal;
}

int64_t mc_b06_resolved(const struct mc_b06 *r)
{
	return r->early + r->on_time + r->late;
}

int64_t mc_b06_in_progress(const struct mc_b06 *r)
{
	return r->within_deadline + r->overdue;
}

void mc_b06_add(struct mc_b06 *sum, const struct mc_b06 *r)
{
	sum->carried_over += r->carried_over;
	sum->online += r->online;
	sum->direct_postal += r->direct_postal;
	sum->early += r->early;
	sum->on_time += r->on_time;
	sum->late += r->late;
	sum->returned += r->returned;
	sum->within_deadline += r->within_deadline;
	sum->overdue += r->overdue;
}

int mc_b06_check(const struct mc_b06 *r, struct mc_err *err)
{
	int64_t rec = mc_b06_received(r), res = mc_b06_resolved(r);
	int64_t prog = mc_b06_in_progress(r);

	if (rec != res + prog)
		return mc_error(err, MC_EINTERNAL, "received %" PRId64 " is not "
				"resolved %" PRId64 " + in progress %" PRId64,
				rec, res, prog);
	if (r->returned > res)
		return mc_error(err, MC_EINTERNAL, "returned %" PRId64 " is "
				"more than resolved %" PRId64, r->returned,
				res);
	return 0;
}

int mc_b06_on_time_bp(const struct mc_b06 *r)
{
	return (int)mc_ratio(r->early + r->on_time, mc_b06_resolved(r), 10000);
}
