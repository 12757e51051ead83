/*
 * reports.h — the counts behind the reports (docs/reports.md): one query
 * per table, grouped in the database, so that a province's half-year is
 * counted without reading its dossiers one by one.
 */
#ifndef MC_STORE_REPORTS_H
#define MC_STORE_REPORTS_H

#include "core/compat.h"
#include "core/err.h"
#include "domain/reports.h"
#include "store/catalog.h"
#include "store/dossiers.h"
#include "store/store.h"

/* One row of Biểu 06: a level (province, commune) and a field. */
struct mc_b06_row {
	char level[16];
	char field[MC_NAME_MAX];
	struct mc_b06 n;
};

typedef void mc_b06_fn(const struct mc_b06_row *row, void *arg);

/*
 * Biểu 06 for the instants [from, to): the dossiers of procedures whose
 * competent unit is 'unit_path' or below it, received before 'to' and
 * not finished before 'from', by level and field (ordered). Whether one
 * still open at 'to' is overdue is judged at instant 'judged' (the end of
 * a past period, now for the current one) from its appointment as it
 * stands now (an apology's new date is not the appointment: the 766
 * rules count from the original one). How many rows, or an error.
 */
int mc_report_b06(struct mc_conn *c, int64_t from, int64_t to,
		  int64_t judged, const char *unit_path, mc_b06_fn *fn,
		  void *arg, struct mc_err *err);

/* A line of the register (Sổ theo dõi hồ sơ). */
struct mc_register_row {
	char code[MC_DOSSIER_CODE_MAX];
	char procedure[MC_LONG_NAME_MAX];
	char applicant[MC_NAME_MAX];
	char address[MC_NAME_MAX];
	char phone[32];
	char agency[MC_NAME_MAX];	/* the unit it went to */
	char status[24];
	char return_channel[16];
	int64_t received_at, due_at;	/* the original appointment */
	int64_t forwarded_at;		/* to the agency; MC_NO_TIME */
	int64_t finished_at, returned_at;	/* MC_NO_TIME if not */
};

typedef void mc_register_fn(const struct mc_register_row *row, void *arg);

/*
 * The register of receiving unit 'unit_id': the dossiers it received on
 * days first–last, in the order received, at most 'max' (MC_EINVAL
 * naming "to", with the count, past it). How many, or an error.
 */
int64_t mc_register_list(struct mc_conn *c, int64_t unit_id, int32_t first,
			 int32_t last, int max, mc_register_fn *fn, void *arg,
			 struct mc_err *err);

/* A report of a period, closed (chốt số liệu): never changed after. */
struct mc_snapshot {
	int64_t id;
	char kind[16];			/* "bieu06" */
	char first[11], last[11];	/* YYYY-MM-DD */
	char *body;			/* canonical JSON, mc_malloc'd */
	char sha256[65];		/* of 'body' when it was closed */
	int64_t closed_at;
	char closed_by[64];
};
void mc_snapshot_release(struct mc_snapshot *s);

/*
 * Write: closes report 'kind' of unit 'unit_id' for days first–last with
 * 'body' (and its 'sha256'), by user 'by' at 'now'. MC_ECONFLICT (rule
 * "closed") when that period is closed already.
 */
int mc_snapshot_add(struct mc_conn *c, const char *kind, int64_t unit_id,
		    const char *first, const char *last, const char *body,
		    const char *sha256, int64_t by, int64_t now,
		    struct mc_err *err);
/* The closed report, or MC_ENOTFOUND. */
int mc_snapshot_get(struct mc_conn *c, const char *kind, int64_t unit_id,
		    const char *first, const char *last,
		    struct mc_snapshot *out, struct mc_err *err);

typedef void mc_snapshot_bad_fn(const struct mc_snapshot *s, void *arg);
/*
 * Re-hashes every closed report; 'bad' hears of each whose body no longer
 * has its hash. How many are bad, or an error; '*checked' says how many
 * were read.
 */
int mc_snapshot_verify(struct mc_conn *c, mc_snapshot_bad_fn *bad, void *arg,
		       int64_t *checked, struct mc_err *err);

#endif /* MC_STORE_REPORTS_H */
