/*
 * statement.h — a bank's or payment platform's statement against the
 * payments motcua recorded (docs/payments.md "Reconciliation"): the CSV
 * read into transactions, and the two sides compared by transaction.
 * Pure: the CLI (cmd_payments.c) and the API (api/payments.c) read the
 * files and the store around it.
 */
#ifndef MC_DOMAIN_STATEMENT_H
#define MC_DOMAIN_STATEMENT_H

#include "core/compat.h"

#define MC_STATEMENT_ROWS 1000000	/* lines of one statement */

/* One transaction, from a statement or from motcua. */
struct mc_txn {
	char id[72];
	char text[256];			/* reference, or a description */
	int64_t amount, paid_at;
	int line;			/* statement: its line */
	char receipt[64];		/* motcua: the receipt number */
	char dossier[96];		/* motcua: the dossier code */
};

struct mc_txns {
	struct mc_txn *v;
	size_t n, cap;
};

/* A new zeroed transaction at the end of 't'. */
struct mc_txn *mc_txns_add(struct mc_txns *t);
void mc_txns_free(struct mc_txns *t);
/* Sorts by transaction id, or by line. */
void mc_txns_sort_id(struct mc_txns *t);
void mc_txns_sort_line(struct mc_txns *t);
/*
 * The local days to compare: 'day' when 'have_day' (every transaction
 * must be of it), else the days the statement covers. MC_EINVAL with
 * '*line' and 'why' for a transaction of another day, or for a statement
 * with none and no day.
 */
int mc_statement_days(const struct mc_txns *t, bool have_day, int32_t day,
		      int32_t *first, int32_t *last, int *line, char *why,
		      size_t n);

/*
 * Reads CSV 'text' ('len' bytes, modified in place, with one writable
 * byte after it): a header naming at least transaction_id, 'second'
 * (reference, description), amount (whole đồng) and paid_at (an instant
 * with its offset), in any order; then one transaction a line, appended
 * to 't' sorted by id. A bad statement is MC_EINVAL with '*line' and
 * 'why' ("amount: a whole number of đồng, more than 0"; a transaction
 * listed twice).
 */
int mc_statement_parse(char *text, size_t len, const char *second,
		       struct mc_txns *t, int *line, char *why, size_t n);

enum mc_recon {
	MC_RECON_MATCHED,
	MC_RECON_AMOUNT,		/* both sides, amounts differ */
	MC_RECON_NOT_IN_MOTCUA,
	MC_RECON_NOT_IN_STATEMENT,
};

/*
 * Compares a statement with motcua's side, both sorted by id: 'fn' is
 * called for each transaction of either ('st' or 'mc' NULL when it is on
 * one side only). Returns the number of differences.
 */
typedef void mc_recon_fn(enum mc_recon k, const struct mc_txn *st,
			 const struct mc_txn *mc, void *arg);
int mc_statement_compare(const struct mc_txns *st, const struct mc_txns *mc,
			 mc_recon_fn *fn, void *arg);

#endif /* MC_DOMAIN_STATEMENT_H */
