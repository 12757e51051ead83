/*
 * cmd_payments.c — statements against motcua's payments
 * (docs/payments.md "Reconciliation", "Bank transfers"):
 *
 * - 'motcua payments reconcile FILE' compares a payment platform's
 *   statement (CSV) with the payments motcua recorded from that platform
 *   over the same days, by transaction;
 * - 'motcua payments transfers FILE [--record]' finds the dossier code in
 *   each line of the bank's statement and takes the transfer as the
 *   dossier's payment when it is what the dossier owes.
 *
 * Exit status 0 when everything matches, 1 when something differs or
 * needs a person, 2 for a bad statement or bad usage.
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "api/util.h"
#include "cli/cli.h"
#include "domain/vietqr.h"
#include "store/payments.h"

#define STATEMENT_MAX (64u << 20)	/* bytes of a statement file */
#define STATEMENT_ROWS 1000000		/* lines of a statement */

static const char help[] =
	"usage: motcua payments reconcile FILE [--platform gateway|dvcqg]\n"
	"                                      [--date YYYY-MM-DD] [--db PATH]\n"
	"       motcua payments transfers FILE [--record] [--db PATH]\n"
	"\n"
	"Compares a payment platform's statement with the payments motcua took\n"
	"from it, transaction by transaction, and prints what matched, amounts\n"
	"that differ, and transactions on one side only. The statement is CSV\n"
	"with a header naming at least the columns transaction_id, reference,\n"
	"amount (whole đồng) and paid_at (an instant with its offset). The days\n"
	"compared are --date, or the days the statement covers. The platform is\n"
	"the province's gateway unless --platform says dvcqg. Exits 0 when all\n"
	"matched, 1 when something differs, 2 for a bad statement.\n"
	"\n"
	"transfers reads the bank's statement of the collecting account (CSV\n"
	"with transaction_id, description, amount, paid_at), finds a dossier\n"
	"code in each description and says whether the transfer is what the\n"
	"dossier owes; with --record it records those as payments by transfer,\n"
	"with receipts and messages. Lines taken before are reported once more\n"
	"and left alone. Exits 0 when every line is a dossier's payment, 1 when\n"
	"some need a person, 2 for a bad statement.\n";

/* One transaction, from the statement or from motcua. */
struct txn {
	char id[72];
	char reference[256];		/* or a transfer's description */
	int64_t amount, paid_at;
	int line;			/* statement: its line */
	char receipt[64];		/* motcua: the receipt number */
};

struct side {
	struct txn *v;
	size_t n, cap;
};

static struct txn *side_add(struct side *s)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = mc_realloc(s->v, s->cap * sizeof(*s->v));
	}
	memset(&s->v[s->n], 0, sizeof(s->v[0]));
	return &s->v[s->n++];
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct txn *)a)->id, ((const struct txn *)b)->id);
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

/*
 * Reads the statement at 'path' into 's', its second column named
 * 'second' (reference, description); 0, or 2 after printing.
 */
static int read_statement(const char *path, const char *second,
			  struct side *s)
{
	const char *const names[] = { "transaction_id", second, "amount",
				       "paid_at" };
	struct mc_buf b = MC_BUF_INIT(STATEMENT_MAX);
	struct mc_csv csv;
	char *f[64], why[160];
	int col[4], n, i, rc = 0;

	if (mc_buf_read_file(&b, path) || mc_buf_addc(&b, '\0')) {
		fprintf(stderr, "motcua payments: %s: %s\n", path,
			b.len >= STATEMENT_MAX ? "larger than 64 MiB" :
			strerror(errno));
		mc_buf_release(&b);
		return 2;
	}
	mc_csv_init(&csv, b.buf, b.len - 1);
	n = mc_csv_next(&csv, f, 64);
	for (i = 0; n > 0 && i < 4; i++)
		if ((col[i] = column(f, n, names[i])) < 0)
			break;
	if (n <= 0 || i < 4) {
		fprintf(stderr, "motcua payments: %s:1: the header must name "
			"the columns transaction_id, %s, amount and paid_at\n",
			path, second);
		mc_buf_release(&b);
		return 2;
	}
	while (!rc && (n = mc_csv_next(&csv, f, 64)) != 0) {
		struct txn *t;
		const char *bad = NULL;
		char *end;

		if (n < 0 || s->n >= STATEMENT_ROWS) {
			bad = n == -1 ? "a quote is not closed or text follows "
			      "it" : n == -2 ? "more than 64 columns" :
			      "more than a million lines";
			fprintf(stderr, "motcua payments: %s:%d: %s\n", path,
				csv.line, bad);
			rc = 2;
			break;
		}
		t = side_add(s);
		t->line = csv.line;
		for (i = 0; i < 4; i++)
			if (col[i] >= n)
				bad = "fewer columns than the header";
		if (!bad) {
			const char *v = f[col[0]];

			if (!*v || strlen(v) >= sizeof(t->id))
				bad = "transaction_id: 1 to 64 characters";
			else
				snprintf(t->id, sizeof(t->id), "%s", v);
		}
		if (!bad) {
			snprintf(t->reference, sizeof(t->reference), "%s",
				 f[col[1]]);
			errno = 0;
			t->amount = strtoll(f[col[2]], &end, 10);
			if (!*f[col[2]] || *end || errno || t->amount <= 0 ||
			    strspn(f[col[2]], "0123456789") != strlen(f[col[2]]))
				bad = "amount: a whole number of đồng, more "
				      "than 0";
		}
		if (!bad && mc_instant_parse(f[col[3]], strlen(f[col[3]]),
					     &t->paid_at, why, sizeof(why)))
			bad = "paid_at: an instant with its offset, e.g. "
			      "2026-03-02T09:00:00+07:00";
		if (bad) {
			fprintf(stderr, "motcua payments: %s:%d: %s\n", path,
				t->line, bad);
			rc = 2;
		}
	}
	mc_buf_release(&b);
	if (rc)
		return rc;
	qsort(s->v, s->n, sizeof(*s->v), by_id);
	for (i = 1; (size_t)i < s->n; i++)
		if (!strcmp(s->v[i].id, s->v[i - 1].id)) {
			fprintf(stderr, "motcua payments: %s:%d: transaction %s "
				"is also on line %d\n", path, s->v[i].line,
				s->v[i].id, s->v[i - 1].line);
			return 2;
		}
	return 0;
}

static void recorded(const struct mc_payment *p, void *arg)
{
	struct txn *t = side_add(arg);

	snprintf(t->id, sizeof(t->id), "%s", p->transaction_id);
	snprintf(t->reference, sizeof(t->reference), "%s", p->dossier_code);
	snprintf(t->receipt, sizeof(t->receipt), "%s", p->receipt_no);
	t->amount = p->amount;
	t->paid_at = p->paid_at;
}

/* Prints the comparison of the sorted sides; the number of differences. */
static int compare(const struct side *st, const struct side *mc)
{
	size_t i = 0, j = 0, matched = 0;
	int64_t sum = 0;
	int diff = 0;

	while (i < st->n || j < mc->n) {
		int c = i == st->n ? 1 : j == mc->n ? -1 :
			strcmp(st->v[i].id, mc->v[j].id);

		if (c < 0) {
			printf("not in motcua      %s  %" PRId64 " VND  "
			       "reference %s  (line %d)\n", st->v[i].id,
			       st->v[i].amount, st->v[i].reference,
			       st->v[i].line);
			i++;
			diff++;
		} else if (c > 0) {
			printf("not in statement   %s  %" PRId64 " VND  "
			       "receipt %s  dossier %s\n", mc->v[j].id,
			       mc->v[j].amount, mc->v[j].receipt,
			       mc->v[j].reference);
			j++;
			diff++;
		} else {
			if (st->v[i].amount != mc->v[j].amount) {
				printf("amount differs     %s  statement %"
				       PRId64 " VND, motcua %" PRId64 " VND  "
				       "receipt %s  (line %d)\n", st->v[i].id,
				       st->v[i].amount, mc->v[j].amount,
				       mc->v[j].receipt, st->v[i].line);
				diff++;
			} else {
				matched++;
				sum += st->v[i].amount;
			}
			i++;
			j++;
		}
	}
	printf("matched %zu (%" PRId64 " VND), %d difference%s\n", matched, sum,
	       diff, diff == 1 ? "" : "s");
	return diff;
}

static int by_line(const void *a, const void *b)
{
	return ((const struct txn *)a)->line - ((const struct txn *)b)->line;
}

/* Takes line 't' of a bank statement; whether it is a dossier's payment. */
static bool transfer(struct mc_app *app, struct mc_conn *c,
		     const struct txn *t, bool record, int64_t now)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_transfer tr;
	struct mc_payment p;
	int64_t owed;
	int rc;

	memset(&tr, 0, sizeof(tr));
	snprintf(tr.transaction_id, sizeof(tr.transaction_id), "%s", t->id);
	tr.amount = t->amount;
	tr.paid_at = t->paid_at;
	if (!mc_vietqr_find_code(t->reference, tr.code)) {
		printf("no dossier code   %s  %" PRId64 " VND  \"%s\"  (line "
		       "%d)\n", t->id, t->amount, t->reference, t->line);
		return false;
	}
	rc = mc_conn_begin(c, &err);
	if (!rc)
		rc = mc_payment_transfer(c, app->cal, &tr, record,
					 app->notify, now, &owed, &p, &err);
	if (rc >= 0 && record) {
		int crc = mc_conn_commit(c, &err);

		rc = crc ? crc : rc;
	}
	if (rc < 0 || !record)
		mc_conn_rollback(c);
	switch (rc) {
	case MC_TR_RECORDED:
	case MC_TR_ALREADY:
		printf("%s %s  %" PRId64 " VND  dossier %s  receipt %s  (line "
		       "%d)\n", rc == MC_TR_RECORDED ? "recorded         " :
		       "recorded before  ", t->id, t->amount, p.dossier_code,
		       p.receipt_no, t->line);
		return true;
	case MC_TR_MATCHES:
		printf("matches          %s  %" PRId64 " VND  dossier %s  (line "
		       "%d)\n", t->id, t->amount, tr.code, t->line);
		return true;
	case MC_ENOTFOUND:
		printf("no such dossier  %s  %" PRId64 " VND  %s  (line %d)\n",
		       t->id, t->amount, tr.code, t->line);
		return false;
	case MC_EINVAL:
		printf("amount differs   %s  paid %" PRId64 " VND, owed %"
		       PRId64 " VND  dossier %s  (line %d)\n", t->id,
		       t->amount, owed, tr.code, t->line);
		return false;
	default:
		printf("failed           %s  %s  (line %d)\n", t->id,
		       err.message, t->line);
		return false;
	}
}

/* motcua payments transfers FILE [--record] */
static int transfers(struct mc_app *app, const struct mc_args *a,
		     char **envp)
{
	struct side st = { 0 };
	struct mc_conn *c = NULL;
	bool record = a->nvalues[2] > 0;
	size_t i, taken = 0;
	int64_t now;
	int rc;

	rc = mc_cli_config("payments", app, a, envp);
	if (rc)
		return rc;
	if (getenv("MOTCUA_TEST_CLOCK"))
		snprintf(app->clock_file, sizeof(app->clock_file), "%s",
			 getenv("MOTCUA_TEST_CLOCK"));
	rc = read_statement(a->pos[1], "description", &st);
	if (!rc && mc_cli_calendar("payments", app, NULL, 0))
		rc = 2;
	if (!rc && mc_cli_store("payments", app, false, &c))
		rc = 1;
	if (rc) {
		mc_free(st.v);
		return rc;
	}
	mc_cli_notify(app);
	now = mc_api_now(app);
	qsort(st.v, st.n, sizeof(*st.v), by_line);
	for (i = 0; i < st.n; i++)
		taken += transfer(app, c, &st.v[i], record, now);
	printf("%zu line%s, %zu %s, %zu for a person to look at\n", st.n,
	       st.n == 1 ? "" : "s", taken, record ? "taken" : "matching",
	       st.n - taken);
	mc_cli_notify_free(app);
	mc_cli_store_close(app, c);
	mc_free(st.v);
	return taken == st.n ? 0 : 1;
}

int mc_cmd_payments(struct mc_app *app, int argc, char **argv, char **envp)
{
	static const struct mc_opt opts[] = {
		{ "platform", true, false }, { "date", true, false },
		{ "record", false, false }, { NULL, false, false }
	};
	struct mc_err err = MC_ERR_INIT;
	struct side st = { 0 }, mc = { 0 };
	struct mc_conn *c = NULL;
	struct mc_args a;
	const char *platform, *date;
	char d1[16], d2[16];
	int32_t first = 0, last = 0;
	size_t i;
	int rc;

	rc = mc_cli_parse("payments", argc, argv, opts, true, &a);
	if (rc)
		return rc;
	if (a.help || a.npos == 0) {
		fputs(help, a.help ? stdout : stderr);
		return a.help ? 0 : 2;
	}
	if (a.npos == 2 && !strcmp(a.pos[0], "transfers"))
		return transfers(app, &a, envp);
	if (strcmp(a.pos[0], "reconcile") != 0 || a.npos != 2)
		return fprintf(stderr, "motcua payments: expected: reconcile "
			       "FILE, or transfers FILE\n"), 2;
	platform = mc_cli_value(&a, 0);
	if (!platform)
		platform = "gateway";
	if (strcmp(platform, "gateway") && strcmp(platform, "dvcqg"))
		return fprintf(stderr, "motcua payments: --platform: gateway "
			       "or dvcqg\n"), 2;
	date = mc_cli_value(&a, 1);
	if (date && mc_date_parse(date, strlen(date), &first, NULL, 0))
		return fprintf(stderr, "motcua payments: --date: a day as "
			       "YYYY-MM-DD\n"), 2;
	last = first;
	rc = mc_cli_config("payments", app, &a, envp);
	if (!rc)
		rc = read_statement(a.pos[1], "reference", &st);
	if (!rc && !date) {
		if (!st.n) {
			fprintf(stderr, "motcua payments: %s: no transaction; "
				"say which day with --date\n", a.pos[1]);
			rc = 2;
		}
		for (i = 0; !rc && i < st.n; i++) {
			int32_t d = mc_local_day(st.v[i].paid_at);

			first = i == 0 || d < first ? d : first;
			last = i == 0 || d > last ? d : last;
		}
	}
	for (i = 0; !rc && date && i < st.n; i++)
		if (mc_local_day(st.v[i].paid_at) != first) {
			fprintf(stderr, "motcua payments: %s:%d: paid_at is not "
				"on %s\n", a.pos[1], st.v[i].line, date);
			rc = 2;
		}
	if (!rc && mc_cli_store("payments", app, false, &c))
		rc = 1;
	if (!rc) {
		rc = mc_payment_platform_list(c, platform,
			mc_local_day_start(first), mc_local_day_start(last + 1),
			recorded, &mc, &err);
		mc_cli_store_close(app, c);
		rc = rc < 0 ? mc_cli_fail("payments", &err, 1) : 0;
	}
	if (!rc) {
		qsort(mc.v, mc.n, sizeof(*mc.v), by_id);
		printf("%s, %s to %s: %zu in the statement, %zu in motcua\n",
		       platform, mc_date_format(first, d1, sizeof(d1)),
		       mc_date_format(last, d2, sizeof(d2)), st.n, mc.n);
		rc = compare(&st, &mc) ? 1 : 0;
	}
	mc_free(st.v);
	mc_free(mc.v);
	return rc;
}
