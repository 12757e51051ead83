/*
 * index766.h — the service-quality index of Decision 766/QĐ-TTg
 * (DOMAIN.md §4; docs/reports.md): its indicators, their weights and
 * thresholds, and the linear scoring. Pure rules, no SQL: the store
 * counts each indicator's numerator and denominator, this turns them into
 * points.
 *
 * The group weights (100 points) are those the national portal uses; how
 * a group's points divide among its indicators is not published, so the
 * split below is a default the configuration key 'index766' overrides
 * ("4.3=6:50 2.2=0", see mc_ix_config_parse).
 */
#ifndef MC_DOMAIN_INDEX766_H
#define MC_DOMAIN_INDEX766_H

#include "core/compat.h"
#include "core/err.h"

/* What an indicator counts. */
enum mc_ix_base {
	MC_IX_PROCEDURES,	/* the catalog's procedures */
	MC_IX_DOSSIERS,		/* dossiers */
	MC_IX_FEEDBACK,		/* feedback and petitions (PAKN) */
	MC_IX_NOT_YET		/* needs a national system motcua lacks */
};

/* How the numerator is had: counted, or the denominator less parts. */
enum mc_ix_form {
	MC_IX_RATIO,		/* numerator / denominator */
	MC_IX_LESS,		/* (denominator − Σ parts) / denominator */
	MC_IX_AVERAGE		/* informational: an average, no points */
};

#define MC_IX_MAX_PARTS 3

struct mc_ix_def {
	const char *id;		/* "2.1", "TTTT-b" */
	const char *group;	/* "TDGQ" */
	const char *name;	/* Vietnamese, as the index names it */
	enum mc_ix_base base;
	enum mc_ix_form form;
	int weight;		/* default points, in hundredths */
	int threshold;		/* full points from this rate, in basis
				 * points (10000 = 100 %) */
	/* MC_IX_LESS: what is taken away (ids, and their Vietnamese). */
	const char *parts[MC_IX_MAX_PARTS];
	const char *part_names[MC_IX_MAX_PARTS];
};

struct mc_ix_group {
	const char *id;		/* "CKMB" */
	const char *name;
	int points;		/* the national weight, in hundredths */
};

#define MC_IX_COUNT 20
#define MC_IX_GROUPS 6

extern const struct mc_ix_def mc_ix_defs[MC_IX_COUNT];
extern const struct mc_ix_group mc_ix_groups[MC_IX_GROUPS];

/* The index of indicator 'id' in mc_ix_defs, or -1. */
int mc_ix_find(const char *id);
/* The index of part 'part' of indicator 'i', or -1. */
int mc_ix_part_find(int i, const char *part);

/* Weights and thresholds in force. */
struct mc_ix_weights {
	int weight[MC_IX_COUNT];	/* hundredths of a point */
	int threshold[MC_IX_COUNT];	/* basis points */
};

void mc_ix_weights_default(struct mc_ix_weights *w);
/*
 * Overrides from the configuration: space-separated "ID=WEIGHT" or
 * "ID=WEIGHT:THRESHOLD", the weight in points (up to two decimals, at
 * most 100) and the threshold in percent (1–100). MC_EINVAL naming
 * 'key' and the item at fault; 'w' is unchanged then.
 */
int mc_ix_config_parse(struct mc_ix_weights *w, const char *key,
		       const char *s, struct mc_err *err);

/* One indicator's counts, as the store found them. */
struct mc_ix_count {
	bool available;		/* false: MC_IX_NOT_YET */
	int64_t denominator;
	int64_t numerator;	/* MC_IX_RATIO, or the average's sum */
	int64_t parts[MC_IX_MAX_PARTS];	/* MC_IX_LESS */
};

/* An indicator's rate and points. */
struct mc_ix_score {
	int64_t numerator;	/* for MC_IX_LESS: denominator − Σ parts,
				 * at least 0 */
	int rate;		/* basis points; -1 when the denominator
				 * is 0 or the indicator is not available */
	int points;		/* hundredths; -1 when not scored */
	int max;		/* hundredths */
	int average;		/* MC_IX_AVERAGE: numerator / denominator
				 * in hundredths; -1 when none */
};

/*
 * Scores indicator 'i': rate = numerator / denominator, rounded half up
 * to a hundredth of a percent; points = weight × min(1, rate /
 * threshold), rounded half up to a hundredth. A denominator of 0 leaves
 * the indicator unscored (N/A, DOMAIN.md §4), as does an indicator not
 * available; both are left out of the maximum the total is read against.
 * An average (2.2) is never scored; 'average' holds it.
 */
void mc_ix_score(int i, const struct mc_ix_count *n,
		 const struct mc_ix_weights *w, struct mc_ix_score *out);

#endif /* MC_DOMAIN_INDEX766_H */
