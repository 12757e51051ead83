/*
 * statement.c — statements read and compared (see statement.h).
 */
#include "core/compat.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "domain/statement.h"

struct mc_txn *mc_txns_add(struct mc_txns *t)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->v = mc_realloc(t->v, t->cap * sizeof(*t->v));
	}
	memset(&t->v[t->n], 0, sizeof(t->v[0]));
	return &t->v[t->n++];
}

void mc_txns_free(struct mc_txns *t)
{
	mc_free(t->v);
	memset(t, 0, sizeof(*t));
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct mc_txn *)a)->id,
		      ((const struct mc_txn *)b)->id);
}

static int by_line(const void *a, const void *b)
{
	return ((const struct mc_txn *)a)->line -
	       ((const struct mc_txn *)b)->line;
}

void mc_txns_sort_id(struct mc_txns *t)
{
	if (t->n)
		qsort(t->v, t->n, sizeof(*t->v), by_id);
}

void mc_txns_sort_line(struct mc_txns *t)
{
	if (t->n)
		qsort(t->v, t->n, sizeof(*t->v), by_line);
}

int mc_statement_days(const struct mc_txns *t, bool have_day, int32_t day,
		      int32_t *first, int32_t *last, int *line, char *why,
		      size_t n)
{
	char d[16];
	size_t i;

	*first = *last = day;
	*line = 0;
	if (!have_day && !t->n) {
		snprintf(why, n, "no transaction: say which day");
		return MC_EINVAL;
	}
	for (i = 0; i < t->n; i++) {
		int32_t k = mc_local_day(t->v[i].paid_at);

		if (have_day && k != day) {
			*line = t->v[i].line;
			snprintf(why, n, "paid_at is not on %s",
				 mc_date_format(day, d, sizeof(d)));
			return MC_EINVAL;
		}
		*first = i == 0 || k < *first ? k : *first;
		*last = i == 0 || k > *last ? k : *last;
	}
	return 0;
}

/* The column of 'name' in the header, or -1. */
static int column(char **h, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(h[i], name))
			return i;
	return -1;
}

/* Reads one statement line 'f' (n fields) into 't'; NULL or why not. */
static const char *one_line(char **f, int n, const int col[4],
			    struct mc_txn *t)
{
	const char *amount = f[col[2]], *at = f[col[3]];
	char *end;
	int i;

	for (i = 0; i < 4; i++)
		if (col[i] >= n)
			return "fewer columns than the header";
	if (!*f[col[0]] || strlen(f[col[0]]) >= sizeof(t->id))
		return "transaction_id: 1 to 64 characters";
	snprintf(t->id, sizeof(t->id), "%s", f[col[0]]);
	snprintf(t->text, sizeof(t->text), "%s", f[col[1]]);
	errno = 0;
	t->amount = strtoll(amount, &end, 10);
	if (!*amount || *end || errno || t->amount <= 0 ||
	    strspn(amount, "0123456789") != strlen(amount))
		return "amount: a whole number of đồng, more than 0";
	if (mc_instant_parse(at, strlen(at), &t->paid_at, NULL, 0))
		return "paid_at: an instant with its offset, e.g. "
		       "2026-03-02T09:00:00+07:00";
	return NULL;
}

int mc_statement_parse(char *text, size_t len, const char *second,
		       struct mc_txns *t, int *line, char *why, size_t n)
{
	const char *const names[] = { "transaction_id", second, "amount",
				       "paid_at" };
	struct mc_csv csv;
	char *f[64];
	int col[4], k, i;
	size_t j;

	mc_csv_init(&csv, text, len);
	k = mc_csv_next(&csv, f, 64);
	for (i = 0; k > 0 && i < 4; i++)
		if ((col[i] = column(f, k, names[i])) < 0)
			break;
	if (k <= 0 || i < 4) {
		*line = 1;
		snprintf(why, n, "the header must name the columns "
			 "transaction_id, %s, amount and paid_at", second);
		return MC_EINVAL;
	}
	while ((k = mc_csv_next(&csv, f, 64)) != 0) {
		struct mc_txn *x;
		const char *bad;

		*line = csv.line;
		if (k < 0 || t->n >= MC_STATEMENT_ROWS) {
			snprintf(why, n, "%s", k == -1 ? "a quote is not "
				 "closed or text follows it" : k == -2 ?
				 "more than 64 columns" : "more than a "
				 "million lines");
			return MC_EINVAL;
		}
		x = mc_txns_add(t);
		x->line = csv.line;
		if ((bad = one_line(f, k, col, x))) {
			snprintf(why, n, "%s", bad);
			return MC_EINVAL;
		}
	}
	mc_txns_sort_id(t);
	for (j = 1; j < t->n; j++)
		if (!strcmp(t->v[j].id, t->v[j - 1].id)) {
			const struct mc_txn *a = &t->v[j], *b = &t->v[j - 1];

			*line = a->line > b->line ? a->line : b->line;
			snprintf(why, n, "transaction %s is also on line %d",
				 a->id, a->line > b->line ? b->line : a->line);
			return MC_EINVAL;
		}
	return 0;
}

int mc_statement_compare(const struct mc_txns *st, const struct mc_txns *mc,
			 mc_recon_fn *fn, void *arg)
{
	size_t i = 0, j = 0;
	int diff = 0;

	while (i < st->n || j < mc->n) {
		int c = i == st->n ? 1 : j == mc->n ? -1 :
			strcmp(st->v[i].id, mc->v[j].id);

		if (c < 0) {
			fn(MC_RECON_NOT_IN_MOTCUA, &st->v[i++], NULL, arg);
			diff++;
		} else if (c > 0) {
			fn(MC_RECON_NOT_IN_STATEMENT, NULL, &mc->v[j++], arg);
			diff++;
		} else {
			bool same = st->v[i].amount == mc->v[j].amount;

			fn(same ? MC_RECON_MATCHED : MC_RECON_AMOUNT,
			   &st->v[i], &mc->v[j], arg);
			diff += !same;
			i++;
			j++;
		}
	}
	return diff;
}
