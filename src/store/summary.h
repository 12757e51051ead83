/*
 * summary.h — the figures of a period's report on the one-stop shop
 * (docs/reports.md "The half-year report"): what the province's
 * half-year report states in words, counted from the records. Dossiers
 * by the level of their competent unit (sở, ngành; huyện; xã), on-time,
 * online and digitization rates, on-the-spot and postal service, SMS,
 * ratings, feedback by channel, payments, reuse.
 */
#ifndef MC_STORE_SUMMARY_H
#define MC_STORE_SUMMARY_H

#include "core/compat.h"
#include "core/err.h"
#include "store/index766.h"
#include "store/store.h"

/* The levels of competent units: province-wide bodies, district, commune. */
enum { MC_SUM_PROVINCE, MC_SUM_DISTRICT, MC_SUM_COMMUNE, MC_SUM_LEVELS };

struct mc_sum_level {
	int64_t received;	/* received in the period */
	int64_t online;		/* of which online */
	int64_t resolved;	/* resolved in the period (Biểu 06) */
	int64_t on_time;	/* of which early or on time */
	int64_t digitized;	/* received, every component digitized */
	int64_t agencies;	/* competent units with dossiers received */
};

struct mc_summary {
	struct mc_sum_level level[MC_SUM_LEVELS], total;
	/* Received at the unit's own centres (of which it is the parent). */
	struct mc_sum_level centre;
	int64_t decisions;		/* announcement decisions */
	int64_t announced;		/* procedure versions they announced */
	int64_t on_the_spot;		/* result the day of receipt */
	int64_t postal_in, postal_out;	/* received, returned by post */
	int64_t reused, asked_again;
	int64_t sms;			/* SMS sent about the dossiers */
	int64_t ratings, satisfied;
	int64_t feedback, feedback_channel[5];	/* mc_sum_channels order */
	int64_t paid_platform, paid_platform_amount;
	int64_t paid_transfer, paid_transfer_amount;
	int64_t paid_counter, paid_counter_amount;	/* cash, card */
	/* By the month they were resolved in (mc_summary_trend). */
	int nmonths;
	struct mc_sum_month {
		int year, month;
		int64_t resolved, on_time;
	} months[13];
};

/* "portal", "letter", "hotline", "counter", "web". */
extern const char *const mc_sum_channels[5];
/* "province", "district", "commune". */
extern const char *const mc_sum_levels[MC_SUM_LEVELS];

/*
 * Counts the figures of 's': of the dossiers of procedures of its level
 * and field (NULL: all), except feedback, which is counted for the whole
 * unit. 0 or an error.
 */
int mc_summary_count(struct mc_conn *c, const struct mc_ix_scope *s,
		     struct mc_summary *out, struct mc_err *err);

/*
 * The dossiers of 's' resolved in the period, by the local month they
 * were resolved in (at most 13 months: longer periods keep the first
 * 13), into out->months. 0 or an error.
 */
int mc_summary_trend(struct mc_conn *c, const struct mc_ix_scope *s,
		     struct mc_summary *out, struct mc_err *err);

#endif /* MC_STORE_SUMMARY_H */
