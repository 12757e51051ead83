/*
 * reports.h — reporting periods and the figures of Biểu số 06/VPCP/KSTT
 * (TT 01/2020/TT-VPCP, DOMAIN.md §5; docs/reports.md): pure rules, no
 * SQL. The store counts; this says what the counts mean and checks that
 * they add up.
 */
#ifndef MC_DOMAIN_REPORTS_H
#define MC_DOMAIN_REPORTS_H

#include "core/compat.h"
#include "core/err.h"

enum mc_period_kind {
	MC_PERIOD_MONTH,	/* index 1–12 */
	MC_PERIOD_QUARTER,	/* 1–4 */
	MC_PERIOD_HALF,		/* 1–2 */
	MC_PERIOD_YEAR		/* index ignored */
};

/* "month", "quarter", "half", "year" → the kind; -1 if none. */
int mc_period_kind_parse(const char *s);

/*
 * The days [first, last] (days since 1970-01-01, both included) of period
 * 'index' of 'kind' in 'year'. With 'cutoff' 0 they are calendar periods
 * (the first half of 2024 is 01/01–30/06). With a cut-off day (1–28) they
 * are the official reporting periods of ND 09/2019 used by TT 01/2020: a
 * period ends on day cutoff − 1 of its last month and begins on day
 * 'cutoff' of the month before its first (cut-off 15: the first half of
 * 2024 is 15/12/2023–14/06/2024, the year 15/12/2023–14/12/2024).
 * MC_EINVAL naming "index", "year" or "cutoff".
 */
int mc_period_days(enum mc_period_kind kind, int year, int index, int cutoff,
		   int32_t *first, int32_t *last, struct mc_err *err);

/*
 * One row of Biểu 06, in dossiers. A dossier belongs to the period if it
 * was received before its end and not finished before its start:
 *
 *   received  = carried_over + online + direct_postal
 *   received  = resolved + in_progress
 *   resolved  = early + on_time + late
 *   in_progress = within_deadline + overdue
 *
 * 'returned' counts the resolved dossiers that ended without a result
 * (refused after receipt, stopped, withdrawn at the applicant's request):
 * they are in 'resolved' and classed early, on time or late by their end
 * (the 766 end-state rules, DOMAIN.md §1), and shown apart.
 */
struct mc_b06 {
	int64_t carried_over;	/* Từ kỳ trước */
	int64_t online;		/* Trực tuyến */
	int64_t direct_postal;	/* Trực tiếp, dịch vụ bưu chính */
	int64_t early, on_time, late;	/* Đã giải quyết */
	int64_t returned;	/* of which: refused, stopped, withdrawn */
	int64_t within_deadline, overdue;	/* Đang giải quyết */
};

int64_t mc_b06_received(const struct mc_b06 *r);
int64_t mc_b06_resolved(const struct mc_b06 *r);
int64_t mc_b06_in_progress(const struct mc_b06 *r);
/* Adds 'r' into 'sum'. */
void mc_b06_add(struct mc_b06 *sum, const struct mc_b06 *r);
/*
 * Checks the identities above; MC_EINTERNAL saying which fails (the
 * counts come from one query: a failure is a bug, never bad input).
 */
int mc_b06_check(const struct mc_b06 *r, struct mc_err *err);
/*
 * Tỷ lệ giải quyết trước hạn, đúng hạn: (early + on_time) / resolved, in
 * hundredths of a percent, rounded half up; -1 when nothing was resolved.
 */
int mc_b06_on_time_bp(const struct mc_b06 *r);

#endif /* MC_DOMAIN_REPORTS_H */
