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
 * still open at 'to' was overdue then is judged from its appointment as
 * it stands now (an apology's new date is not the appointment: the 766
 * rules count from the original one). How many rows, or an error.
 */
int mc_report_b06(struct mc_conn *c, int64_t from, int64_t to,
		  const char *unit_path, mc_b06_fn *fn, void *arg,
		  struct mc_err *err);

#endif /* MC_STORE_REPORTS_H */
