/*
 * index766.h — the counts behind the 766 index (docs/reports.md): each
 * indicator's numerator and denominator for a unit, level, field and
 * period, and the records behind any of them, from the same predicates so
 * that a number and its list never disagree.
 */
#ifndef MC_STORE_INDEX766_H
#define MC_STORE_INDEX766_H

#include "core/compat.h"
#include "core/err.h"
#include "domain/calendar.h"
#include "domain/index766.h"
#include "store/catalog.h"
#include "store/dossiers.h"
#include "store/store.h"

/* What the index is counted over. */
struct mc_ix_scope {
	int32_t first, last;	/* days of the period, both included */
	int64_t now;		/* open records are judged at the period's
				 * end, or now if that is sooner */
	const char *unit_path;	/* competent (handling) unit and below */
	const char *level;	/* procedure level, or NULL for all */
	const char *field;	/* procedure field, or NULL for all */
	const struct mc_calendar *cal;
	/*
	 * The province collects fees online whatever the unit (a collecting
	 * account or a payment platform is configured): every procedure
	 * with fees counts as integrated for TTTT-a.
	 */
	bool province_collects;
	/* The national portal is connected (portal_url): 1.4 counts. */
	bool portal;
};

/*
 * Whether indicator 'i' can be counted: not one that needs a national
 * system motcua lacks, nor 1.4 without the portal.
 */
bool mc_ix_available(int i, const struct mc_ix_scope *s);

/*
 * Counts every indicator into 'out' (one query per kind of record: the
 * catalog, dossiers, feedback). 0 or an error.
 */
/*
 * Binds the scope of the reports' statements (report_sql.h): the
 * period's instants ?1 and ?2, the unit ?3, the level ?4 and field ?5
 * (NULL for all), and with 'judge' the instant ?6 open records are
 * judged at.
 */
void mc_ix_bind(struct mc_stmt *st, const struct mc_ix_scope *s, bool judge);
int mc_ix_count_all(struct mc_conn *c, const struct mc_ix_scope *s,
		    struct mc_ix_count out[MC_IX_COUNT], struct mc_err *err);

/* One record behind a number. */
struct mc_ix_item {
	enum mc_ix_base kind;
	char code[MC_DOSSIER_CODE_MAX];		/* dossier, procedure or
						 * feedback code */
	char procedure_code[MC_CODE_MAX];
	char name[MC_LONG_NAME_MAX];		/* procedure name (procedures) */
	char status[24];
	int version;		/* procedures: the version counted */
	int64_t at;		/* received (dossiers, feedback), or
				 * published (procedures) */
	int64_t finished_at;	/* dossiers; MC_NO_TIME if open */
};
typedef void mc_ix_item_fn(const struct mc_ix_item *it, void *arg);

/*
 * The records behind indicator 'i''s 'part' ("denominator", "numerator"
 * or one of its parts), ordered by code, 'limit' from 'offset'. The
 * number of them all (what the index shows), or an error: MC_EINVAL
 * naming "part" when the indicator has no such part, "indicator" when
 * it has no records behind it (not available).
 */
int64_t mc_ix_list(struct mc_conn *c, const struct mc_ix_scope *s, int i,
		   const char *part, int64_t offset, int limit,
		   mc_ix_item_fn *fn, void *arg, struct mc_err *err);

#endif /* MC_STORE_INDEX766_H */
