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

#endif /* MC_STORE_EXPORT_H */
