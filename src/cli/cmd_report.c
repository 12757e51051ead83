/*
 * cmd_report.c — 'motcua report': the reports of docs/reports.md from the
 * command line, computed by the same code as the API.
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "api/api.h"
#include "api/reports.h"
#include "cli/cli.h"
#include "store/catalog.h"
#include "store/export.h"
#include "store/store.h"

#include <sodium.h>

static const char help[] =
	"usage: motcua report bieu06 (--period KIND --year Y [--index N]\n"
	"                            | --from YYYY-MM-DD --to YYYY-MM-DD)\n"
	"                            [--unit CODE] [--cutoff D]\n"
	"                            [--format json|csv|xlsx|pdf]\n"
	"\n"
	"Biểu số 06/VPCP/KSTT (TT 01/2020/TT-VPCP): dossiers received\n"
	"(online, direct or by post, carried over), resolved (early, on time,\n"
	"late) and in progress (within the deadline, overdue), by level and\n"
	"field, for the procedures of a unit (default: the root) and below.\n"
	"--history mapped (bieu06, index766, half-year) also counts, for a\n"
	"unit, the dossiers of the units merged into it (a district abolished\n"
	"in 2025 counts in its successor); as_was (default) as they were.\n"
	"\n"
	"KIND is month, quarter, half or year, N its number in the year. The\n"
	"periods are the official ones, from the cut-off day (report_cutoff,\n"
	"default 15) of the month before; --cutoff 0 gives calendar periods.\n"
	"The output is CSV with the official headings by default (UTF-8);\n"
	"xlsx writes the official form as a spreadsheet to standard output\n"
	"(motcua report bieu06 … --format xlsx > bieu06.xlsx), pdf as A4\n"
	"landscape pages.\n"
	"\n"
	"usage: motcua report index766 (--period KIND --year Y [--index N]\n"
	"                              | --from YYYY-MM-DD --to YYYY-MM-DD)\n"
	"                              [--unit CODE] [--level province|district|commune]\n"
	"                              [--field NAME] [--cutoff D]\n"
	"                              [--format json|csv]\n"
	"\n"
	"The service-quality index of Decision 766/QĐ-TTg: every indicator's\n"
	"counts, rate and points (weights from the configuration key\n"
	"index766), by group, and the total on a scale of 100. CSV by\n"
	"default.\n"
	"\n"
	"usage: motcua report half-year --year Y --half 1|2 [--unit CODE]\n"
	"                               [--level province|district|commune]\n"
	"                               [--field NAME] [--cutoff D]\n"
	"                               [--template FILE]\n"
	"                               [--format md|json|pdf|csv|xlsx]\n"
	"\n"
	"The report on the one-stop shop for a half-year (by default the\n"
	"official period, 15/12 to 14/06 for the first half): the figures\n"
	"counted from the records written into the template (FILE, else the\n"
	"configured report_template, else the built-in one: Markdown with\n"
	"{{figure}} placeholders, docs/reports.md), or the\n"
	"figures as JSON, or the report as a PDF laid out per Decree 30 with\n"
	"its charts (motcua report half-year … --format pdf > bao-cao.pdf).\n"
	"\n"
	"usage: motcua report dossiers (--period KIND --year Y [--index N]\n"
	"                              | --from D --to D) [--unit CODE]\n"
	"\n"
	"The statistics extract, pseudonymised: one CSV line per dossier\n"
	"received in the period by the unit and below — the applicant as a\n"
	"keyed pseudonym (pseudonym_key; the same person, the same pseudonym\n"
	"in every extract made with that key), the procedure, field, level,\n"
	"unit, channel, status, the days received, due and finished, and\n"
	"whether it was digitized, reused stored papers, was paid online.\n"
	"No name, number, contact or dossier code.\n"
	"\n"
	"usage: motcua report register --unit CODE (--period KIND --year Y\n"
	"                              [--index N] | --from D --to D)\n"
	"\n"
	"Sổ theo dõi hồ sơ: the register of a one-stop centre, one line per\n"
	"dossier it received in the period, as a PDF (A4 landscape) on\n"
	"standard output; at most 5,000 dossiers.\n";

enum { O_PERIOD, O_YEAR, O_INDEX, O_FROM, O_TO, O_UNIT, O_CUTOFF, O_FORMAT,
       O_LEVEL, O_FIELD, O_HALF, O_TEMPLATE, O_HISTORY };

static const struct mc_opt opts[] = {
	[O_PERIOD] = { "period", true, false },
	[O_YEAR] = { "year", true, false },
	[O_INDEX] = { "index", true, false },
	[O_FROM] = { "from", true, false },
	[O_TO] = { "to", true, false },
	[O_UNIT] = { "unit", true, false },
	[O_CUTOFF] = { "cutoff", true, false },
	[O_FORMAT] = { "format", true, false },
	[O_LEVEL] = { "level", true, false },
	[O_FIELD] = { "field", true, false },
	[O_HALF] = { "half", true, false },
	[O_TEMPLATE] = { "template", true, false },
	[O_HISTORY] = { "history", true, false },
	{ NULL, false, false }
};

/* What every report is given: the period, the unit, the format. */
struct report_args {
	const struct mc_args *a;
	int32_t first, last;
	struct mc_unit unit;
	const char *fmt;		/* NULL: the report's default */
	bool mapped;			/* --history mapped */
};

/* 'j' to standard output, indented; takes it. */
static void print_json(json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(15));
	fputc('\n', stdout);
	json_decref(j);
}

static bool is_json(const struct report_args *ra)
{
	return ra->fmt && !strcmp(ra->fmt, "json");
}

/* Biểu 06 as CSV, JSON or XLSX. */
static int bieu06(struct mc_app *app, struct mc_conn *c,
		  const struct report_args *ra, struct mc_err *err)
{
	struct mc_buf b = MC_BUF_INIT(SIZE_MAX);
	struct mc_b06_report rep;
	int rc;

	(void)app;
	if ((rc = mc_b06_build(c, ra->first, ra->last, &ra->unit, ra->mapped,
			       mc_time_now_ms() / 1000, &rep, err)))
		;
	else if (is_json(ra))
		print_json(mc_b06_json(&rep));
	else if (ra->fmt && !strcmp(ra->fmt, "xlsx"))
		rc = mc_b06_xlsx(&rep, &b, err);
	else if (ra->fmt && !strcmp(ra->fmt, "pdf"))
		rc = mc_b06_pdf(&rep, mc_time_now_ms() / 1000, &b, err);
	else if (mc_b06_csv(&rep, &b))
		rc = mc_error(err, MC_ETOOBIG, "the table is too large");
	if (!rc && b.len)
		fwrite(b.buf, 1, b.len, stdout);
	mc_buf_release(&b);
	mc_b06_release(&rep);
	return rc;
}

/* The 766 index as CSV or JSON. */
static int index766(struct mc_app *app, struct mc_conn *c,
		    const struct report_args *ra, struct mc_err *err)
{
	struct mc_ix_report *rep = mc_calloc(1, sizeof(*rep));
	struct mc_buf b = MC_BUF_INIT(SIZE_MAX);
	struct mc_ix_scope scope;
	int rc;

	rep->unit = ra->unit;
	rep->first = ra->first;
	rep->last = ra->last;
	mc_ix_setup(app, mc_time_now_ms() / 1000, rep, &scope);
	rep->mapped = ra->mapped;
	if ((rc = mc_ix_narrow(rep, mc_cli_value(ra->a, O_LEVEL),
			       mc_cli_value(ra->a, O_FIELD), err)) ||
	    (rc = mc_ix_build(c, &scope, rep, err)))
		;
	else if (is_json(ra))
		print_json(mc_ix_json(rep));
	else if (mc_ix_csv(rep, &b))
		rc = mc_error(err, MC_ETOOBIG, "too large");
	if (!rc && b.len)
		fwrite(b.buf, 1, b.len, stdout);
	mc_buf_release(&b);
	mc_free(rep);
	return rc;
}

/* The half-year report: its figures in the template as Markdown, or JSON. */
static int half_year(struct mc_app *app, struct mc_conn *c,
		     const struct report_args *ra, struct mc_err *err)
{
	struct mc_sum_report *rep = mc_calloc(1, sizeof(*rep));
	struct mc_buf t = MC_BUF_INIT(1 << 20), out = MC_BUF_INIT(4 << 20);
	const char *fmt = ra->fmt ? ra->fmt : "md";
	struct mc_ix_scope scope;
	int rc;

	rep->ix.unit = ra->unit;
	rep->ix.first = ra->first;
	rep->ix.last = ra->last;
	mc_sum_title(rep);
	mc_ix_setup(app, mc_time_now_ms() / 1000, &rep->ix, &scope);
	rep->ix.mapped = ra->mapped;
	rep->trend = !strcmp(fmt, "pdf");	/* for its chart */
	if ((rc = mc_ix_narrow(&rep->ix, mc_cli_value(ra->a, O_LEVEL),
			       mc_cli_value(ra->a, O_FIELD), err)) ||
	    (rc = mc_sum_template(mc_cli_value(ra->a, O_TEMPLATE) ?
				  mc_cli_value(ra->a, O_TEMPLATE) :
				  app->cfg.report_template, &t, err)) ||
	    (rc = mc_sum_build(c, &scope, rep, err)))
		;
	else if (is_json(ra))
		print_json(mc_sum_json(rep));
	else if (!strcmp(fmt, "csv"))
		rc = mc_sum_csv(rep, &out) ? mc_error(err, MC_ETOOBIG, "too "
						      "large") : 0;
	else if (!strcmp(fmt, "xlsx"))
		rc = mc_sum_xlsx(rep, &out, err);
	else if (!strcmp(fmt, "pdf"))
		rc = mc_sum_pdf(rep, t.buf, scope.now, &out, err);
	else
		rc = mc_sum_render(rep, t.buf, scope.now, &out, err);
	if (!rc && out.len)
		fwrite(out.buf, 1, out.len, stdout);
	mc_buf_release(&t);
	mc_buf_release(&out);
	mc_free(rep);
	return rc;
}

/* The register of a centre, as PDF. */
static int reg(struct mc_app *app, struct mc_conn *c,
	       const struct report_args *ra, struct mc_err *err)
{
	struct mc_buf b = MC_BUF_INIT(256 << 20);
	int rc;

	(void)app;
	rc = mc_register_pdf(c, &ra->unit, ra->first, ra->last,
			     mc_time_now_ms() / 1000, &b, err);
	if (!rc)
		fwrite(b.buf, 1, b.len, stdout);
	mc_buf_release(&b);
	return rc;
}

/* The extract's writer: the key of the pseudonyms, and the CSV. */
struct extract {
	unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
	struct mc_buf b;
};

static int extract_row(const struct mc_extract_row *r, void *arg)
{
	struct extract *x = arg;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char who[33] = "", d1[16], d2[16], d3[16];
	int rc = 0;

	/* A keyed hash of the ID: the same person, the same pseudonym, and
	 * no way back without the key. Purged dossiers have none. */
	if (r->id_number[0]) {
		crypto_auth_hmacsha256(mac, (const unsigned char *)r->id_number,
				       strlen(r->id_number), x->key);
		sodium_bin2hex(who, sizeof(who), mac, 16);
	}
	rc |= mc_report_csv_field(&x->b, who, false);
	rc |= mc_report_csv_field(&x->b, r->applicant_kind, false);
	rc |= mc_report_csv_field(&x->b, r->procedure_code, false);
	rc |= mc_report_csv_field(&x->b, r->field, false);
	rc |= mc_report_csv_field(&x->b, r->level, false);
	rc |= mc_report_csv_field(&x->b, r->unit_code, false);
	rc |= mc_report_csv_field(&x->b, r->channel, false);
	rc |= mc_report_csv_field(&x->b, r->status, false);
	rc |= mc_report_csv_field(&x->b, r->received_on < 0 ? "" :
				  mc_date_format(r->received_on, d1,
						 sizeof(d1)), false);
	rc |= mc_report_csv_field(&x->b, r->due_on < 0 ? "" :
				  mc_date_format(r->due_on, d2, sizeof(d2)),
				  false);
	rc |= mc_report_csv_field(&x->b, r->finished_on < 0 ? "" :
				  mc_date_format(r->finished_on, d3,
						 sizeof(d3)), false);
	rc |= mc_report_csv_field(&x->b, r->digitized ? "1" : "0", false);
	rc |= mc_report_csv_field(&x->b, r->reused ? "1" : "0", false);
	rc |= mc_report_csv_field(&x->b, r->paid_online ? "1" : "0", true);
	/* Written out as it goes: memory stays flat. */
	if (!rc && x->b.len > (1u << 20)) {
		fwrite(x->b.buf, 1, x->b.len, stdout);
		x->b.len = 0;
	}
	return rc ? MC_ETOOBIG : 0;
}

static int extract(struct mc_app *app, struct mc_conn *c,
		   const struct report_args *ra, struct mc_err *err)
{
	static const char head[] = "\xef\xbb\xbf" "applicant,applicant_kind,"
		"procedure_code,field,level,unit_code,channel,status,"
		"received_on,due_on,finished_on,digitized,reused,"
		"paid_online\r\n";
	struct extract *x = mc_calloc(1, sizeof(*x));
	int64_t n;

	if (app->cfg.pseudonym_key[0]) {
		crypto_generichash(x->key, sizeof(x->key),
				   (const unsigned char *)app->cfg.pseudonym_key,
				   strlen(app->cfg.pseudonym_key), NULL, 0);
	} else {
		randombytes_buf(x->key, sizeof(x->key));
		fprintf(stderr, "motcua report: no pseudonym_key: this "
			"extract's pseudonyms match no other's\n");
	}
	x->b = (struct mc_buf)MC_BUF_INIT(4 << 20);
	fputs(head, stdout);
	n = mc_extract_dossiers(c, ra->unit.path, ra->first, ra->last,
				extract_row, x, err);
	if (n >= 0)
		fwrite(x->b.buf, 1, x->b.len, stdout);
	mc_buf_release(&x->b);
	sodium_memzero(x->key, sizeof(x->key));
	mc_free(x);
	if (n < 0)
		return (int)n;
	fprintf(stderr, "report: %" PRId64 " dossiers\n", n);
	return 0;
}

int mc_cmd_report(struct mc_app *app, int argc, char **argv, char **envp)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_conn *c = NULL;
	struct report_args ra;
	struct mc_args a;
	const char *code;
	int (*run)(struct mc_app *, struct mc_conn *,
		   const struct report_args *, struct mc_err *);
	bool ix, hy, rg, dx;
	int rc;

	memset(&ra, 0, sizeof(ra));
	ra.a = &a;
	rc = mc_cli_parse("report", argc, argv, opts, true, &a);
	if (rc)
		return rc;
	if (a.help || a.npos != 1) {
		fputs(help, a.help ? stdout : stderr);
		return a.help ? 0 : 2;
	}
	ix = !strcmp(a.pos[0], "index766");
	hy = !strcmp(a.pos[0], "half-year");
	rg = !strcmp(a.pos[0], "register");
	dx = !strcmp(a.pos[0], "dossiers");
	if (strcmp(a.pos[0], "bieu06") && !ix && !hy && !rg && !dx)
		return fprintf(stderr, "motcua report: unknown report '%s' "
			       "(expected: bieu06, index766, half-year, "
			       "register or dossiers)\n", a.pos[0]), 2;
	if (dx && (mc_cli_value(&a, O_FORMAT) || mc_cli_value(&a, O_HISTORY)))
		return fprintf(stderr, "motcua report: dossiers is CSV, as the "
			       "dossiers were\n"), 2;
	if (mc_cli_value(&a, O_HISTORY)) {
		const char *h = mc_cli_value(&a, O_HISTORY);

		if (rg || (strcmp(h, "as_was") && strcmp(h, "mapped")))
			return fprintf(stderr, "motcua report: --history: "
				       "as_was or mapped, for bieu06, index766 "
				       "and half-year\n"), 2;
		ra.mapped = !strcmp(h, "mapped");
	}
	if (rg && (!mc_cli_value(&a, O_UNIT) || mc_cli_value(&a, O_FORMAT)))
		return fprintf(stderr, "motcua report: register takes --unit "
			       "(a one-stop centre) and prints a PDF\n"), 2;
	if (hy != (mc_cli_value(&a, O_HALF) != NULL) ||
	    (hy && (mc_cli_value(&a, O_PERIOD) || mc_cli_value(&a, O_INDEX) ||
		    mc_cli_value(&a, O_FROM) || mc_cli_value(&a, O_TO))))
		return fprintf(stderr, "motcua report: half-year takes --year "
			       "and --half (1 or 2), and only it takes "
			       "--half\n"), 2;
	if (!hy && mc_cli_value(&a, O_TEMPLATE))
		return fprintf(stderr, "motcua report: --template is for "
			       "half-year\n"), 2;
	if (!ix && !hy &&
	    (mc_cli_value(&a, O_LEVEL) || mc_cli_value(&a, O_FIELD)))
		return fprintf(stderr, "motcua report: --level and --field "
			       "are for index766 and half-year\n"), 2;
	rc = mc_cli_config("report", app, &a, envp);
	if (rc)
		return rc;
	ra.fmt = mc_cli_value(&a, O_FORMAT);
	if (hy ? ra.fmt && strcmp(ra.fmt, "md") && strcmp(ra.fmt, "json") &&
	    strcmp(ra.fmt, "pdf") && strcmp(ra.fmt, "csv") &&
	    strcmp(ra.fmt, "xlsx") :
	    ra.fmt && strcmp(ra.fmt, "csv") && strcmp(ra.fmt, "json") &&
	    (ix || (strcmp(ra.fmt, "xlsx") && strcmp(ra.fmt, "pdf"))))
		return fprintf(stderr, "motcua report: --format: must be %s\n",
			       hy ? "md, json, pdf, csv or xlsx" : ix ?
			       "csv or json" :
			       "csv, json, xlsx or pdf"), 2;
	if (mc_api_report_period(mc_cli_value(&a, O_FROM),
				 mc_cli_value(&a, O_TO),
				 hy ? "half" : mc_cli_value(&a, O_PERIOD),
				 mc_cli_value(&a, O_YEAR),
				 mc_cli_value(&a, hy ? O_HALF : O_INDEX),
				 mc_cli_value(&a, O_CUTOFF),
				 app->cfg.report_cutoff, &ra.first, &ra.last,
				 &err))
		return mc_cli_fail("report", &err, 2);
	/* The index and the half-year count working days. */
	if ((ix || hy) && mc_cli_calendar("report", app, NULL, 0))
		return 2;
	if (mc_cli_store("report", app, false, &c))
		return 1;
	code = mc_cli_value(&a, O_UNIT);
	if (code)
		rc = mc_unit_get(c, code, &ra.unit, &err);
	else
		rc = mc_unit_root(c, &ra.unit, &err);
	if (rc == MC_ENOTFOUND) {
		mc_err_clear(&err);
		rc = mc_err_field(&err, "unit", "exists", "no unit %s",
				  code ? code : "(root)");
	}
	run = dx ? extract : rg ? reg : hy ? half_year : ix ? index766 :
	      bieu06;
	if (!rc)
		rc = run(app, c, &ra, &err);
	mc_cli_store_close(app, c);
	return rc ? mc_cli_fail("report", &err, rc == MC_EINVAL ? 2 : 1) : 0;
}
