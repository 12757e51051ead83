/*
 * bench_calendar.c — deadline computations per second on one core.
 *
 * Builds the national calendar, draws random receipt instants in
 * 2020–2030 (all times of day, weekends and holidays included) and random
 * periods, then times mc_cal_due() for each unit, mc_cal_working_seconds()
 * and mc_cal_receipt(). Every run repeats the same inputs; the median of
 * the runs is reported, with the spread. Usage:
 *
 *	bench_calendar [--iterations N] [--runs R]
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "domain/calendar.h"

#include <time.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

enum kind { K_WDAYS, K_WHOURS, K_DAYS, K_MONTHS, K_PAUSED, K_ELAPSED,
	    K_RECEIPT, NKIND };

static const char *const names[NKIND] = {
	"due, working days (0–60)", "due, working hours (0–200)",
	"due, calendar days (0–90)", "due, months (0–12)",
	"due, working days + 2 pauses", "working time between two instants",
	"receipt normalization"
};

int main(int argc, char **argv)
{
	struct mc_cal_spec spec;
	struct mc_calendar *cal;
	struct mc_err err = MC_ERR_INIT;
	long iterations = 2000000, runs = 7, i;
	int64_t *starts, lo, hi, sink = 0;
	int32_t *amounts;
	uint64_t seed = 0x9e3779b97f4a7c15u;
	double *rates;
	int a, k;

	for (a = 1; a + 1 < argc; a += 2) {
		if (!strcmp(argv[a], "--iterations"))
			iterations = strtol(argv[a + 1], NULL, 10);
		else if (!strcmp(argv[a], "--runs"))
			runs = strtol(argv[a + 1], NULL, 10);
	}
	if (iterations < 1 || runs < 1) {
		fputs("usage: bench_calendar [--iterations N] [--runs R]\n",
		      stderr);
		return 2;
	}
	mc_cal_spec_init(&spec);
	if (mc_cal_spec_load_builtin(&spec, &err) ||
	    mc_cal_build(&spec, &cal, &err)) {
		fprintf(stderr, "bench_calendar: %s\n", err.message);
		return 1;
	}
	mc_cal_spec_release(&spec);
	starts = mc_malloc((size_t)iterations * sizeof(*starts));
	amounts = mc_malloc((size_t)iterations * sizeof(*amounts));
	rates = mc_malloc((size_t)runs * sizeof(*rates));
	lo = mc_local_day_start(mc_days_from_ymd(2020, 1, 1));
	hi = mc_local_day_start(mc_days_from_ymd(2030, 1, 1));
	for (i = 0; i < iterations; i++) {
		starts[i] = lo + (int64_t)(rng(&seed) % (uint64_t)(hi - lo));
		amounts[i] = (int32_t)(rng(&seed) % 1000);
	}
	printf("calendar benchmark: %ld computations per run, %ld runs, "
	       "median (min–max) on one core\n", iterations, runs);
	for (k = 0; k < NKIND; k++) {
		int r;

		for (r = 0; r < runs; r++) {
			double t0 = now_s();

			for (i = 0; i < iterations; i++) {
				struct mc_pause pz[2];
				struct mc_due_req q;
				int64_t due = 0;

				memset(&q, 0, sizeof(q));
				q.start = starts[i];
				switch (k) {
				case K_WDAYS:
					q.unit = MC_DUE_WORKING_DAYS;
					q.amount = amounts[i] % 61;
					break;
				case K_WHOURS:
					q.unit = MC_DUE_WORKING_HOURS;
					q.amount = amounts[i] % 201;
					break;
				case K_DAYS:
					q.unit = MC_DUE_DAYS;
					q.amount = amounts[i] % 91;
					break;
				case K_MONTHS:
					q.unit = MC_DUE_MONTHS;
					q.amount = amounts[i] % 13;
					break;
				case K_PAUSED:
					q.unit = MC_DUE_WORKING_DAYS;
					q.amount = amounts[i] % 61;
					pz[0].from = starts[i] + 86400;
					pz[0].to = starts[i] + 3 * 86400;
					pz[1].from = starts[i] + 5 * 86400;
					pz[1].to = starts[i] + 6 * 86400;
					q.pauses = pz;
					q.npauses = 2;
					break;
				case K_ELAPSED:
					sink += mc_cal_working_seconds(cal,
						starts[i], starts[i] +
						amounts[i] * 3600, NULL, 0);
					continue;
				case K_RECEIPT:
					mc_cal_receipt(cal, starts[i], &due,
						       NULL);
					sink += due;
					continue;
				}
				if (mc_cal_due(cal, &q, &due, NULL, NULL))
					return 1;
				sink += due;
			}
			rates[r] = (double)iterations / (now_s() - t0);
		}
		qsort(rates, (size_t)runs, sizeof(*rates), cmp_double);
		printf("  %-36s %8.2f M/s  (%.2f–%.2f)\n", names[k],
		       rates[runs / 2] / 1e6, rates[0] / 1e6,
		       rates[runs - 1] / 1e6);
	}
	printf("(checksum %" PRId64 ")\n", sink);
	mc_free(starts);
	mc_free(amounts);
	mc_free(rates);
	mc_cal_free(cal);
	return 0;
}
