/*
 * cmd_report.c — 'motcua report': the reports of docs/reports.md from the
 * command line, computed by the same code as the API.
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "api/api.h"
#include "api/reports.h"
#include "cli/cli.h"
#include "store/catalog.h"
#include "store/store.h"

static const char help[] =
	"usage: motcua report bieu06 (--period KIND --year Y [--index N]\n"
	"                            | --from YYYY-MM-DD --to YYYY-MM-DD)\n"
	"                            [--unit CODE] [--cutoff D]\n"
	"                            [--format json|csv|xlsx]\n"
	"\n"
	"Biểu số 06/VPCP/KSTT (TT 01/2020/TT-VPCP): dossiers received\n"
	"(online, direct or by post, carried over), resolved (early, on time,\n"
	"late) and in progress (within the deadline, overdue), by level and\n"
	"field, for the procedures of a unit (default: the root) and below.\n"
	"\n"
	"KIND is month, quarter, half or year, N its number in the year. The\n"
	"periods are the official ones, from the cut-off day (report_cutoff,\n"
	"default 15) of the month before; --cutoff 0 gives calendar periods.\n"
	"The output is CSV with the official headings by default (UTF-8);\n"
	"xlsx writes the official form as a spreadsheet to standard output\n"
	"(motcua report bieu06 … --format xlsx > bieu06.xlsx).\n"
	"\n"
	"usage: motcua report index766 (--period KIND --year Y [--index N]\n"
	"                              | --from YYYY-MM-DD --to YYYY-MM-DD)\n"
	"                              [--unit CODE] [--level province|commune]\n"
	"                              [--field NAME] [--cutoff D]\n"
	"                              [--format json|csv]\n"
	"\n"
	"The service-quality index of Decision 766/QĐ-TTg: every indicator's\n"
	"counts, rate and points (weights from the configuration key\n"
	"index766), by group, and the total on a scale of 100. CSV by\n"
	"default.\n"
	"\n"
	"usage: motcua report half-year --year Y --half 1|2 [--unit CODE]\n"
	"                               [--cutoff D] [--template FILE]\n"
	"                               [--format md|json]\n"
	"\n"
	"The report on the one-stop shop for a half-year (by default the\n"
	"official period, 15/12 to 14/06 for the first half): the figures\n"
	"counted from the records written into the template (built in, or\n"
	"FILE: Markdown with {{figure}} placeholders, docs/reports.md), or the\n"
	"figures as JSON.\n";

/* The 766 index of 'unit', to standard output. */
static int index766(struct mc_app *app, struct mc_conn *c,
		    const struct mc_args *a, int32_t first, int32_t last,
		    const struct mc_unit *unit, const char *fmt,
		    struct mc_err *err)
{
	struct mc_ix_report *rep = mc_calloc(1, sizeof(*rep));
	struct mc_ix_scope scope;
	const char *level = mc_cli_value(a, 8), *field = mc_cli_value(a, 9);
	int rc = 0;

	if (level && strcmp(level, "province") && strcmp(level, "commune"))
		rc = mc_err_field(err, "level", "enum", "must be province or "
				  "commune");
	else if (field && (!*field || strlen(field) >= sizeof(rep->field)))
		rc = mc_err_field(err, "field", "length", "a field's name, up "
				  "to 255 characters");
	else if (!app->cal && mc_cli_calendar("report", app, NULL, 0))
		rc = mc_error(err, MC_EINVAL, "no working calendar");
	if (rc) {
		mc_free(rep);
		return rc;
	}
	rep->unit = *unit;
	rep->first = first;
	rep->last = last;
	snprintf(rep->level, sizeof(rep->level), "%s", level ? level : "");
	snprintf(rep->field, sizeof(rep->field), "%s", field ? field : "");
	mc_ix_setup(app, mc_time_now_ms() / 1000, rep, &scope);
	rc = mc_ix_build(c, &scope, rep, err);
	if (!rc && fmt && !strcmp(fmt, "json")) {
		json_t *j = mc_ix_json(rep);

		json_dumpf(j, stdout, JSON_INDENT(1) |
			   JSON_REAL_PRECISION(15));
		fputc('\n', stdout);
		json_decref(j);
	} else if (!rc) {
		struct mc_buf b = MC_BUF_INIT(SIZE_MAX);

		if (mc_ix_csv(rep, &b))
			rc = mc_error(err, MC_ETOOBIG, "too large");
		else
			fwrite(b.buf, 1, b.len, stdout);
		mc_buf_release(&b);
	}
	mc_free(rep);
	return rc;
}

/*
 * The half-year report of 'unit': its figures in the template (--template,
 * else the built-in data/reports/half-year.md) as Markdown, or as JSON.
 */
static int half_year(struct mc_app *app, struct mc_conn *c,
		     const struct mc_args *a, int32_t first, int32_t last,
		     const struct mc_unit *unit, const char *fmt,
		     struct mc_err *err)
{
	struct mc_sum_report *rep = mc_calloc(1, sizeof(*rep));
	struct mc_buf t = MC_BUF_INIT(1 << 20), out = MC_BUF_INIT(4 << 20);
	const char *path = mc_cli_value(a, 11);
	const struct mc_embed_file *builtin;
	struct mc_ix_scope scope;
	int rc = 0;

	memset(&scope, 0, sizeof(scope));
	if (path && mc_buf_read_file(&t, path))
		rc = mc_err_field(err, "template", "read", "cannot read %s: %s",
				  path, strerror(errno));
	else if (!path && ((builtin = mc_embed_find("reports/half-year.md"))
			   == NULL || mc_buf_add(&t, builtin->data,
						 builtin->len)))
		rc = mc_error(err, MC_EINTERNAL, "no built-in template");
	else if (mc_buf_addc(&t, '\0'))
		rc = mc_err_field(err, "template", "size", "at most 1 MB");
	else if (!app->cal && mc_cli_calendar("report", app, NULL, 0))
		rc = mc_error(err, MC_EINVAL, "no working calendar");
	if (!rc) {
		rep->ix.unit = *unit;
		rep->ix.first = first;
		rep->ix.last = last;
		snprintf(rep->title, sizeof(rep->title), "6 tháng %s năm %s",
			 !strcmp(mc_cli_value(a, 10), "1") ? "đầu" : "cuối",
			 mc_cli_value(a, 1));
		mc_ix_setup(app, mc_time_now_ms() / 1000, &rep->ix, &scope);
		rc = mc_sum_build(c, &scope, rep, err);
	}
	if (!rc && fmt && !strcmp(fmt, "json")) {
		json_t *j = mc_sum_json(rep);

		json_dumpf(j, stdout, JSON_INDENT(1) |
			   JSON_REAL_PRECISION(15));
		fputc('\n', stdout);
		json_decref(j);
	} else if (!rc && !(rc = mc_sum_render(rep, t.buf, scope.now, &out,
					       err))) {
		fwrite(out.buf, 1, out.len, stdout);
	}
	mc_buf_release(&t);
	mc_buf_release(&out);
	mc_free(rep);
	return rc;
}

int mc_cmd_report(struct mc_app *app, int argc, char **argv, char **envp)
{
	static const struct mc_opt opts[] = {
		{ "period", true, false }, { "year", true, false },
		{ "index", true, false }, { "from", true, false },
		{ "to", true, false }, { "unit", true, false },
		{ "cutoff", true, false }, { "format", true, false },
		{ "level", true, false }, { "field", true, false },
		{ "half", true, false }, { "template", true, false },
		{ NULL, false, false }
	};
	struct mc_err err = MC_ERR_INIT;
	struct mc_b06_report rep;
	struct mc_conn *c = NULL;
	struct mc_unit unit;
	struct mc_args a;
	const char *fmt, *code;
	int32_t first = 0, last = 0;
	bool ix, hy;
	int rc;

	memset(&rep, 0, sizeof(rep));
	rc = mc_cli_parse("report", argc, argv, opts, true, &a);
	if (rc)
		return rc;
	if (a.help || a.npos != 1) {
		fputs(help, a.help ? stdout : stderr);
		return a.help ? 0 : 2;
	}
	ix = !strcmp(a.pos[0], "index766");
	hy = !strcmp(a.pos[0], "half-year");
	if (strcmp(a.pos[0], "bieu06") && !ix && !hy)
		return fprintf(stderr, "motcua report: unknown report '%s' "
			       "(expected: bieu06, index766 or half-year)\n",
			       a.pos[0]), 2;
	if (hy != (mc_cli_value(&a, 10) != NULL) ||
	    (hy && (mc_cli_value(&a, 0) || mc_cli_value(&a, 2) ||
		    mc_cli_value(&a, 3) || mc_cli_value(&a, 4))))
		return fprintf(stderr, "motcua report: half-year takes --year "
			       "and --half (1 or 2), and only it takes "
			       "--half\n"), 2;
	if (!hy && mc_cli_value(&a, 11))
		return fprintf(stderr, "motcua report: --template is for "
			       "half-year\n"), 2;
	if (!ix && (mc_cli_value(&a, 8) || mc_cli_value(&a, 9)))
		return fprintf(stderr, "motcua report: --level and --field "
			       "are for index766\n"), 2;
	rc = mc_cli_config("report", app, &a, envp);
	if (rc)
		return rc;
	fmt = mc_cli_value(&a, 7);
	if (hy ? fmt && strcmp(fmt, "md") && strcmp(fmt, "json") :
	    fmt && strcmp(fmt, "csv") && strcmp(fmt, "json") &&
	    (ix || strcmp(fmt, "xlsx")))
		return fprintf(stderr, "motcua report: --format: must be %s\n",
			       hy ? "md or json" : ix ? "csv or json" :
			       "csv, json or xlsx"), 2;
	if (mc_api_report_period(mc_cli_value(&a, 3), mc_cli_value(&a, 4),
				 hy ? "half" : mc_cli_value(&a, 0),
				 mc_cli_value(&a, 1), hy ? mc_cli_value(&a, 10)
				 : mc_cli_value(&a, 2), mc_cli_value(&a, 6),
				 app->cfg.report_cutoff, &first, &last, &err))
		return mc_cli_fail("report", &err, 2);
	if (mc_cli_store("report", app, false, &c))
		return 1;
	code = mc_cli_value(&a, 5);
	if (code)
		rc = mc_unit_get(c, code, &unit, &err);
	else
		rc = mc_unit_root(c, &unit, &err);
	if (rc == MC_ENOTFOUND) {
		mc_err_clear(&err);
		rc = mc_err_field(&err, "unit", "exists", "no unit %s",
				  code ? code : "(root)");
	}
	if (!rc && hy) {
		rc = half_year(app, c, &a, first, last, &unit, fmt, &err);
		mc_cli_store_close(app, c);
		return rc ? mc_cli_fail("report", &err, rc == MC_EINVAL ? 2 :
					1) : 0;
	}
	if (!rc && ix) {
		rc = index766(app, c, &a, first, last, &unit, fmt, &err);
		mc_cli_store_close(app, c);
		return rc ? mc_cli_fail("report", &err, rc == MC_EINVAL ? 2 :
					1) : 0;
	}
	if (!rc)
		rc = mc_b06_build(c, first, last, &unit, &rep, &err);
	mc_cli_store_close(app, c);
	if (rc) {
		mc_b06_release(&rep);
		return mc_cli_fail("report", &err, rc == MC_EINVAL ? 2 : 1);
	}
	if (fmt && !strcmp(fmt, "json")) {
		json_t *j = mc_b06_json(&rep);

		json_dumpf(j, stdout, JSON_INDENT(1) |
			   JSON_REAL_PRECISION(15));
		fputc('\n', stdout);
		json_decref(j);
	} else {
		struct mc_buf b = MC_BUF_INIT(SIZE_MAX);

		if (fmt && !strcmp(fmt, "xlsx"))
			rc = mc_b06_xlsx(&rep, &b, &err);
		else if (mc_b06_csv(&rep, &b))
			rc = mc_error(&err, MC_ETOOBIG, "the table is too "
				      "large");
		if (!rc)
			fwrite(b.buf, 1, b.len, stdout);
		mc_buf_release(&b);
	}
	mc_b06_release(&rep);
	return rc ? mc_cli_fail("report", &err, 1) : 0;
}
