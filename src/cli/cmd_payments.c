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
	"usage: motcua payments reconcile FILE [--platform gateway|dvcqg|bank]\n"
	"                                      [--date YYYY-MM-DD] [--db PATH]\n"
	"       motcua payments transfers FILE [--record] [--db PATH]\n"
	"\n"
	"Compares a payment platform's statement with the payments motcua took\n"
	"from it, transaction by transaction, and prints what matched, amounts\n"
	"that differ, and transactions on one side only. The statement is CSV\n"
	"with a header naming at least the columns transaction_id, reference,\n"
	"amount (whole đồng) and paid_at (an instant with its offset). The days\n"
	"compared are --date, or the days the statement covers. The platform is\n"
	"the province's gateway unless --platform says dvcqg, or bank: the\n"
	"bank's statement (its column description instead of reference)\n"
	"against the transfers taken from it. Exits 0 when all matched, 1\n"
	"when something differs, 2 for a bad statement.\n"
	"\n"
	"transfers reads the bank's statement of the collecting account (CSV\n"
	"with transaction_id, description, amount, paid_at), finds a dossier\n"
	"code in each description and says whether the transfer is what the\n"
	"dossier owes; with --record it records those as payments by transfer,\n"
	"with receipts and messages. Lines taken before are reported once more\n"
	"and left alone. Exits 0 when every line is a dossier's payment, 1 when\n"
	"some need a person, 2 for a bad statement.\n";

/*
 * Reads the statement at 'path' into 't', its second column named
 * 'second' (reference, description); 0, or 2 after printing.
 */
static int read_statement(const char *path, const char *second,
			  struct mc_txns *t)
{
	struct mc_buf b = MC_BUF_INIT(STATEMENT_MAX);
	char why[200];
	int line = 0;

	if (mc_buf_read_file(&b, path) || mc_buf_addc(&b, '\0')) {
		fprintf(stderr, "motcua payments: %s: %s\n", path,
			b.len >= STATEMENT_MAX ? "larger than 64 MiB" :
			strerror(errno));
		mc_buf_release(&b);
		return 2;
	}
	if (mc_statement_parse(b.buf, b.len - 1, second, t, &line, why,
			       sizeof(why))) {
		fprintf(stderr, "motcua payments: %s:%d: %s\n", path, line,
			why);
		mc_buf_release(&b);
		return 2;
	}
	mc_buf_release(&b);
	return 0;
}

/* The comparison as it goes: its lines, and the counts for its head. */
struct recon {
	struct mc_buf lines;
	size_t matched, motcua;
	int64_t sum;
};

static void print_recon(enum mc_recon k, const struct mc_txn *st,
			const struct mc_txn *mc, void *arg)
{
	struct recon *r = arg;
	int rc = 0;

	r->motcua += mc != NULL;
	switch (k) {
	case MC_RECON_MATCHED:
		r->matched++;
		r->sum += st->amount;
		break;
	case MC_RECON_AMOUNT:
		rc = mc_buf_printf(&r->lines, "amount differs     %s  statement "
			"%" PRId64 " VND, motcua %" PRId64 " VND  receipt %s  "
			"(line %d)\n", st->id, st->amount, mc->amount,
			mc->receipt, st->line);
		break;
	case MC_RECON_NOT_IN_MOTCUA:
		rc = mc_buf_printf(&r->lines, "not in motcua      %s  %" PRId64
			" VND  reference %s  (line %d)\n", st->id, st->amount,
			st->text, st->line);
		break;
	case MC_RECON_NOT_IN_STATEMENT:
		rc = mc_buf_printf(&r->lines, "not in statement   %s  %" PRId64
			" VND  receipt %s  dossier %s\n", mc->id, mc->amount,
			mc->receipt, mc->dossier);
		break;
	}
	/* Four times the statement's size holds any report of it. */
	(void)rc;
}

/* Takes line 't' of a bank statement; whether it is a dossier's payment. */
static bool transfer(struct mc_app *app, struct mc_conn *c,
		     const struct mc_txn *t, bool record, int64_t now)
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
	if (!mc_vietqr_find_code(t->text, tr.code)) {
		printf("no dossier code   %s  %" PRId64 " VND  \"%s\"  (line "
		       "%d)\n", t->id, t->amount, t->text, t->line);
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
	struct mc_txns st = { 0 };
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
		mc_txns_free(&st);
		return rc;
	}
	mc_cli_notify(app);
	now = mc_api_now(app);
	mc_txns_sort_line(&st);
	for (i = 0; i < st.n; i++)
		taken += transfer(app, c, &st.v[i], record, now);
	printf("%zu line%s, %zu %s, %zu for a person to look at\n", st.n,
	       st.n == 1 ? "" : "s", taken, record ? "taken" : "matching",
	       st.n - taken);
	rc = taken == st.n ? 0 : 1;
	mc_cli_notify_free(app);
	mc_cli_store_close(app, c);
	mc_txns_free(&st);
	return rc;
}

int mc_cmd_payments(struct mc_app *app, int argc, char **argv, char **envp)
{
	static const struct mc_opt opts[] = {
		{ "platform", true, false }, { "date", true, false },
		{ "record", false, false }, { NULL, false, false }
	};
	struct mc_err err = MC_ERR_INIT;
	struct mc_txns st = { 0 };
	struct mc_conn *c = NULL;
	struct mc_args a;
	const char *platform, *date;
	struct recon r = { MC_BUF_INIT(4 * STATEMENT_MAX), 0, 0, 0 };
	char d1[16], d2[16], why[160];
	int32_t day = 0, first, last;
	int rc, line;

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
	if (strcmp(platform, "gateway") && strcmp(platform, "dvcqg") &&
	    strcmp(platform, "bank"))
		return fprintf(stderr, "motcua payments: --platform: gateway, "
			       "dvcqg or bank\n"), 2;
	date = mc_cli_value(&a, 1);
	if (date && mc_date_parse(date, strlen(date), &day, NULL, 0))
		return fprintf(stderr, "motcua payments: --date: a day as "
			       "YYYY-MM-DD\n"), 2;
	rc = mc_cli_config("payments", app, &a, envp);
	if (!rc)
		rc = read_statement(a.pos[1], strcmp(platform, "bank") ?
				    "reference" : "description", &st);
	if (!rc && mc_statement_days(&st, date != NULL, day, &first, &last,
				     &line, why, sizeof(why))) {
		fprintf(stderr, "motcua payments: %s:%d: %s\n", a.pos[1], line,
			why);
		rc = 2;
	}
	if (!rc && mc_cli_store("payments", app, false, &c))
		rc = 1;
	if (!rc) {
		int diff = mc_payment_reconcile(c, platform, NULL, &st,
			mc_local_day_start(first), mc_local_day_start(last + 1),
			print_recon, &r, &err);

		mc_cli_store_close(app, c);
		if (diff < 0) {
			rc = mc_cli_fail("payments", &err, 1);
		} else {
			printf("%s, %s to %s: %zu in the statement, %zu in "
			       "motcua\n", platform, mc_date_format(first, d1,
			       sizeof(d1)), mc_date_format(last, d2,
			       sizeof(d2)), st.n, r.motcua);
			fwrite(r.lines.buf ? r.lines.buf : "", 1, r.lines.len,
			       stdout);
			printf("matched %zu (%" PRId64 " VND), %d difference%s\n",
			       r.matched, r.sum, diff, diff == 1 ? "" : "s");
			rc = diff ? 1 : 0;
		}
	}
	mc_buf_release(&r.lines);
	mc_txns_free(&st);
	return rc;
}
