/*
 * export.h — everything motcua holds about one person, for the person
 * (docs/personal-data.md "Your data, exported"; GET /api/v1/me/export):
 * the citizen record, every dossier filed as applicant with its
 * components, events, payments and rating, the messages sent to them,
 * their feedback, the documents of their data store, who read them (the
 * access log), their sign-ins and one-time codes, their floor tickets.
 * Secrets (token and code hashes) and other people's data (officers are
 * named as the events name them, nothing more) are left out.
 */
#ifndef MC_STORE_EXPORT_H
#define MC_STORE_EXPORT_H

#include "core/compat.h"
#include "core/err.h"
#include "store/store.h"

#include <stdio.h>

/*
 * Read: writes the export of the citizen with 'id_number' as one JSON
 * document to 'out', a row at a time (memory does not grow with the
 * number of dossiers); 'now' is stated in it. 0, MC_ENOTFOUND when no
 * citizen has that number, or an error (MC_EIO when 'out' fails).
 */
int mc_export_person(struct mc_conn *c, const char *id_number, int64_t now,
		     FILE *out, struct mc_err *err);

/*
 * Read: the record of dossier 'id' — the dossier as filed (applicant
 * included), its papers, events, payments, rating, messages and results
 * — as one line of JSON, for the archive it is handed over to before its
 * personal data is purged (store/purge.h).
 */
int mc_export_dossier(struct mc_conn *c, int64_t id, FILE *out,
		      struct mc_err *err);

/*
 * A dossier as the statistics extract shows it (docs/personal-data.md
 * "Statistics extracts"): nothing that names the applicant but their ID
 * number, for the caller to turn into a pseudonym and forget, and days
 * rather than instants.
 */
struct mc_extract_row {
	char id_number[24];		/* "" once purged */
	char applicant_kind[16];
	char procedure_code[16];
	char field[256];
	char level[16];
	char unit_code[64];		/* the receiving unit */
	char channel[16];
	char status[32];
	int32_t received_on, due_on, finished_on;	/* days; -1: none */
	bool digitized, reused, paid_online;
};
typedef int mc_extract_fn(const struct mc_extract_row *r, void *arg);

/*
 * Read: the dossiers received from local day 'first' to 'last' by the
 * unit at 'scope_path' or below, in id order, one call of 'fn' each
 * (which stops it by returning non-zero: that is returned). How many, or
 * an error.
 */
int64_t mc_extract_dossiers(struct mc_conn *c, const char *scope_path,
			    int32_t first, int32_t last, mc_extract_fn *fn,
			    void *arg, struct mc_err *err);

#endif /* MC_STORE_EXPORT_H */
