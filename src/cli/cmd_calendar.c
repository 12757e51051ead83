/*
 * cmd_calendar.c — 'motcua calendar': the working calendar on the command
 * line. Each subcommand prints one line, or with --json what the HTTP API
 * answers for the same question.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/parse.h"
#include "core/timeutil.h"
#include "api/api.h"
#include "api/calendar.h"
#include "cli/cli.h"
#include "domain/calendar.h"
#include "domain/lunar.h"

static const char help[] =
	"usage: motcua calendar <subcommand> [options]\n"
	"\n"
	"  lunar DATE                 lunar date of a solar date:\n"
	"                             'lunar 2026-02-17' prints 2026-01-01\n"
	"                             (' leap' follows for a leap month)\n"
	"  solar DATE [--leap]        solar date of a lunar date:\n"
	"                             'solar 2026-01-01' prints 2026-02-17\n"
	"  holidays YEAR [--json]     each day off of the year with its "
	"reason\n"
	"  due --start TIME (--working-days N | --working-hours N | --days N |\n"
	"      --months N) [--pause FROM/TO]...\n"
	"                             the due instant of a period; e.g.\n"
	"                             'due --start 2026-02-13T10:00:00+07:00\n"
	"                             --working-days 3' prints "
	"2026-02-25T17:00:00+07:00\n"
	"  elapsed --from TIME --to TIME [--due TIME] [--pause FROM/TO]...\n"
	"                             working hours between two instants, and\n"
	"                             early / on_time / late against --due\n"
	"\n"
	"options of every subcommand:\n"
	"  --calendar FILE   read a calendar file on top of the built-in one\n"
	"                    (repeatable; format in docs/calendar.md)\n"
	"  --json            print the answer as JSON (as the HTTP API does)\n"
	"Times are ISO 8601 with a zone, e.g. 2026-02-13T10:00:00+07:00.\n";

enum { O_CALENDAR, O_JSON, O_LEAP, O_START, O_WD, O_WH, O_DAYS, O_MONTHS,
       O_PAUSE, O_FROM, O_TO, O_DUE };

static const struct mc_opt opts[] = {
	[O_CALENDAR] = { "calendar", true, true },
	[O_JSON] = { "json", false, false },
	[O_LEAP] = { "leap", false, false },
	[O_START] = { "start", true, false },
	[O_WD] = { "working-days", true, false },
	[O_WH] = { "working-hours", true, false },
	[O_DAYS] = { "days", true, false },
	[O_MONTHS] = { "months", true, false },
	[O_PAUSE] = { "pause", true, true },
	[O_FROM] = { "from", true, false },
	[O_TO] = { "to", true, false },
	[O_DUE] = { "due", true, false },
	{ NULL, false, false },
};

static void print_json(json_t *o)
{
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(o);
}

/* Options allowed per subcommand, besides --calendar and --json. */
static int check_opts(const char *sub, const struct mc_args *a,
		      const int *allowed, size_t n)
{
	size_t i, k;

	for (i = O_LEAP; i <= O_DUE; i++) {
		if (!a->nvalues[i])
			continue;
		for (k = 0; k < n; k++)
			if (allowed[k] == (int)i)
				break;
		if (k == n) {
			fprintf(stderr, "motcua calendar %s: option --%s does "
				"not apply here (see 'motcua calendar "
				"--help')\n", sub, opts[i].name);
			return 2;
		}
	}
	return 0;
}

static int need_pos(const char *sub, const struct mc_args *a, size_t n,
		    const char *what)
{
	if (a->npos != n + 1) {
		fprintf(stderr, "motcua calendar %s: expected %s (see 'motcua "
			"calendar --help')\n", sub, what);
		return 2;
	}
	return 0;
}

static int do_lunar(const struct mc_args *a, bool json)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_lunar_date ld;
	int32_t day;
	int rc = need_pos("lunar", a, 1, "one solar date YYYY-MM-DD");

	if (rc)
		return rc;
	if (mc_api_solar_date("date", a->pos[1], &day, &ld, &err))
		return mc_cli_fail("calendar lunar", &err, 2);
	if (json)
		print_json(mc_api_lunar_json(day, &ld));
	else
		printf("%04d-%02d-%02d%s\n", ld.year, ld.month, ld.day,
		       ld.leap ? " leap" : "");
	return 0;
}

static int do_solar(const struct mc_args *a, bool json)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_lunar_date ld;
	int32_t day;
	char d[16];
	int rc = need_pos("solar", a, 1, "one lunar date YYYY-MM-DD");

	if (rc)
		return rc;
	if (mc_api_lunar_date("date", a->pos[1], a->nvalues[O_LEAP] > 0, &ld,
			      &day, &err))
		return mc_cli_fail("calendar solar", &err, 2);
	if (json)
		print_json(mc_api_lunar_json(day, &ld));
	else
		printf("%s\n", mc_date_format(day, d, sizeof(d)));
	return 0;
}

static int do_holidays(struct mc_app *app, const struct mc_args *a,
		       bool json)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_cal_day *days;
	long year;
	int n, i, rc = need_pos("holidays", a, 1, "one year, e.g. 2026");

	if (rc)
		return rc;
	if (mc_parse_int("year", a->pos[1], MC_CAL_FIRST_YEAR,
			 MC_CAL_LAST_YEAR, &year, &err))
		return mc_cli_fail("calendar holidays", &err, 2);
	if (json) {
		print_json(mc_api_calendar_year(app->cal, (int)year));
		return 0;
	}
	n = mc_cal_year_days(app->cal, (int)year, NULL, 0);
	days = mc_calloc((size_t)n + 1, sizeof(*days));
	mc_cal_year_days(app->cal, (int)year, days, (size_t)n);
	for (i = 0; i < n; i++) {
		char d[16];

		if (mc_cal_is_working_day(app->cal, days[i].day))
			continue;
		printf("%s %s\n", mc_date_format(days[i].day, d, sizeof(d)),
		       days[i].reason);
	}
	mc_free(days);
	return 0;
}

static int do_due(struct mc_app *app, const struct mc_args *a, bool json)
{
	struct mc_pause pbuf[MC_DUE_MAX_PAUSES];
	struct mc_api_due_text in;
	struct mc_due_req req;
	struct mc_err err = MC_ERR_INIT;
	int64_t due, received;
	char d[32];
	int rc = need_pos("due", a, 0, "options only");

	if (rc)
		return rc;
	memset(&in, 0, sizeof(in));
	in.start = mc_cli_value(a, O_START);
	in.working_days = mc_cli_value(a, O_WD);
	in.working_hours = mc_cli_value(a, O_WH);
	in.days = mc_cli_value(a, O_DAYS);
	in.months = mc_cli_value(a, O_MONTHS);
	in.pauses = a->values[O_PAUSE];
	in.npauses = a->nvalues[O_PAUSE];
	if (mc_api_due_parse(&in, &req, pbuf, &err) ||
	    mc_cal_due(app->cal, &req, &due, &received, &err))
		return mc_cli_fail("calendar due", &err, 2);
	if (json)
		print_json(mc_api_due_json(&req, received, due));
	else
		printf("%s\n", mc_time_format_local(due, d, sizeof(d)));
	return 0;
}

static int do_elapsed(struct mc_app *app, const struct mc_args *a, bool json)
{
	struct mc_api_elapsed_text in;
	struct mc_api_elapsed q;
	struct mc_err err = MC_ERR_INIT;
	int64_t ws;
	int rc = need_pos("elapsed", a, 0, "options only");

	if (rc)
		return rc;
	in.from = mc_cli_value(a, O_FROM);
	in.to = mc_cli_value(a, O_TO);
	in.due = mc_cli_value(a, O_DUE);
	in.pauses = a->values[O_PAUSE];
	in.npauses = a->nvalues[O_PAUSE];
	if (mc_api_elapsed_parse(&in, &q, &err))
		return mc_cli_fail("calendar elapsed", &err, 2);
	if (json) {
		print_json(mc_api_elapsed_json(app->cal, &q));
		return 0;
	}
	ws = mc_cal_working_seconds(app->cal, q.from, q.to, q.pauses,
				    q.npauses);
	printf("%.2f working hours%s%s\n", (double)ws / 3600.0,
	       q.has_due ? ", " : "", q.has_due ?
	       mc_timeliness_name(mc_cal_classify(q.to, q.due)) : "");
	return 0;
}

int mc_cmd_calendar(struct mc_app *app, int argc, char **argv, char **envp)
{
	static const int lunar_ok[] = { 0 }, solar_ok[] = { O_LEAP };
	static const int due_ok[] = { O_START, O_WD, O_WH, O_DAYS, O_MONTHS,
				      O_PAUSE };
	static const int elapsed_ok[] = { O_FROM, O_TO, O_DUE, O_PAUSE };
	struct mc_args a;
	const char *sub;
	bool json;
	int rc;

	rc = mc_cli_parse("calendar", argc, argv, opts, true, &a);
	if (rc)
		return rc;
	if (a.help || a.npos == 0) {
		fputs(help, a.help ? stdout : stderr);
		return a.help ? 0 : 2;
	}
	sub = a.pos[0];
	json = a.nvalues[O_JSON] > 0;
	if (strcmp(sub, "lunar") == 0)
		rc = check_opts(sub, &a, lunar_ok, 0);
	else if (strcmp(sub, "solar") == 0)
		rc = check_opts(sub, &a, solar_ok, 1);
	else if (strcmp(sub, "holidays") == 0)
		rc = check_opts(sub, &a, lunar_ok, 0);
	else if (strcmp(sub, "due") == 0)
		rc = check_opts(sub, &a, due_ok, MC_ARRAY_SIZE(due_ok));
	else if (strcmp(sub, "elapsed") == 0)
		rc = check_opts(sub, &a, elapsed_ok,
				MC_ARRAY_SIZE(elapsed_ok));
	else {
		fprintf(stderr, "motcua calendar: unknown subcommand '%s' "
			"(lunar, solar, holidays, due, elapsed)\n", sub);
		return 2;
	}
	if (rc)
		return rc;
	rc = mc_cli_config("calendar", app, &a, envp);
	if (rc)
		return rc;
	if (strcmp(sub, "lunar") == 0)
		return do_lunar(&a, json);
	if (strcmp(sub, "solar") == 0)
		return do_solar(&a, json);
	rc = mc_cli_calendar("calendar", app, a.values[O_CALENDAR],
			     a.nvalues[O_CALENDAR]);
	if (rc)
		return rc;
	if (strcmp(sub, "holidays") == 0)
		return do_holidays(app, &a, json);
	if (strcmp(sub, "due") == 0)
		return do_due(app, &a, json);
	return do_elapsed(app, &a, json);
}
