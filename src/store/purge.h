/*
 * purge.h — retention and purge (docs/personal-data.md "Retention and
 * purge"): a finished dossier whose procedure keeps its records
 * retention_years is, from 1 January of the year after that many years
 * have passed since the year it finished (Circular 10/2022/TT-BNV counts
 * from the year the work ended), handed over to the archive and then
 * stripped of its personal data. What the statistics count stays (its
 * procedure, units, channels, status and times): reports of past periods
 * do not change. The event chain stays, the purge added to it.
 */
#ifndef MC_STORE_PURGE_H
#define MC_STORE_PURGE_H

#include "core/compat.h"
#include "core/err.h"
#include "core/sha256.h"
#include "store/store.h"

/* What the applicant's name reads once purged. */
#define MC_PURGED_NAME "(đã xoá)"

struct mc_purge_due {
	int64_t id;
	char code[96];
	char procedure_code[16];
	int64_t finished_at;
	int retention_years;
};

/*
 * Read: up to 'max' dossiers with id above 'after', in id order, that are
 * due at 'now' (finished, not purged, their period over). Returns how
 * many, or an error; '*next' gets the id to go on after (0: no more).
 */
int mc_purge_due(struct mc_conn *c, int64_t after, int64_t now, int max,
		 struct mc_purge_due *out, int64_t *next, struct mc_err *err);

/* The instant from which a dossier finished at 'finished_at' is due. */
int64_t mc_purge_due_from(int64_t finished_at, int retention_years);

#define MC_PURGE_MAX_FILES 64

/*
 * Read: the stored files dossier 'id''s papers name (at most
 * MC_PURGE_MAX_FILES) into 'out'; how many, or an error.
 */
int mc_purge_files(struct mc_conn *c, int64_t id,
		   char out[][MC_SHA256_HEX], struct mc_err *err);

struct mc_purge_result {
	bool done;			/* false: purged meanwhile, nothing */
	/* Stored files nothing refers to any more: their rows are gone,
	 * the caller removes the bytes. */
	char gone[MC_PURGE_MAX_FILES][MC_SHA256_HEX];
	int ngone;
};

/*
 * Write: removes dossier 'd''s personal data (the applicant block, its
 * papers' files, payers' names, the messages' recipients and texts,
 * rating comments, what was sent to or came from the national portal),
 * records the purge ('archive' names where the record was handed over;
 * 'by' who ran it) in purges and as a "purge" event of its chain.
 */
int mc_purge_dossier(struct mc_conn *c, const struct mc_purge_due *d,
		     const char *archive, const char *by, int64_t now,
		     struct mc_purge_result *out, struct mc_err *err);

#endif /* MC_STORE_PURGE_H */
