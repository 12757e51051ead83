/*
 * reports.h — reports built for the API and the CLI alike
 * (docs/reports.md): Biểu số 06/VPCP/KSTT for a unit and a period, as
 * JSON or as CSV with the official headings.
 */
#ifndef MC_API_REPORTS_H
#define MC_API_REPORTS_H

#include "core/compat.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/catalog.h"
#include "store/index766.h"
#include "store/reports.h"
#include "store/summary.h"

#include <jansson.h>

struct mc_b06_report {
	struct mc_unit unit;		/* the competent unit and below */
	int32_t first, last;		/* the days, both included */
	int n, cap;
	struct mc_b06_row *rows;	/* by level, then field */
	struct mc_b06 total;
};

/*
 * Counts Biểu 06 of 'unit' for days [first, last] (local days) and checks
 * its identities (MC_EINTERNAL if one fails). Open dossiers are judged at
 * the period's end, or at 'now' if that is sooner (a period not over
 * yet). Release it after.
 */
int mc_b06_build(struct mc_conn *c, int32_t first, int32_t last,
		 const struct mc_unit *unit, bool mapped, int64_t now,
		 struct mc_b06_report *rep, struct mc_err *err);
void mc_b06_release(struct mc_b06_report *rep);
/* "Cấp tỉnh", "Cấp xã" for a procedure level. */
const char *mc_b06_level_name(const char *level);
/* The report as JSON: rows, a subtotal per level, the total. */
json_t *mc_b06_json(const struct mc_b06_report *rep);
/* The report as CSV (UTF-8 with BOM, CRLF), appended to 'b'. */
int mc_b06_csv(const struct mc_b06_report *rep, struct mc_buf *b);
/*
 * The report as the official form in an XLSX workbook (libxlsxwriter):
 * the form's number and title, the period and unit, three rows of merged
 * headings, the column numbers, each level with its subtotal and its
 * fields, the total; A4 landscape. Appended to 'out'.
 */
/* The official form as A4 landscape PDF, dated 'at'. */
int mc_b06_pdf(const struct mc_b06_report *rep, int64_t at,
	       struct mc_buf *out, struct mc_err *err);
int mc_b06_xlsx(const struct mc_b06_report *rep, struct mc_buf *out,
		struct mc_err *err);

/*
 * One CSV field (RFC 4180: quoted when it must be) and a comma, or CRLF
 * when 'last'; text a spreadsheet would take for a formula (=, +, -, @
 * first, and not a number) is written with a ' before it. MC_ETOOBIG
 * when 'b' is full.
 */
int mc_report_csv_field(struct mc_buf *b, const char *s, bool last);
/*
 * A spreadsheet that 'sheet' writes to a file at 'path' (libxlsxwriter
 * writes files; 0 or -1), read into 'out'.
 */
int mc_api_xlsx(int (*sheet)(const void *arg, const char *path),
		const void *arg, struct mc_buf *out, struct mc_err *err);
/*
 * Answers 200 with a report's file 'b' as an attachment named
 * NAME_UNIT_FIRST_LAST.EXT; 'ext' "csv" or "xlsx" gives the type.
 */
struct mc_req;
void mc_api_report_file(struct mc_req *r, const char *name,
			const struct mc_unit *unit, int32_t first,
			int32_t last, const char *ext, const struct mc_buf *b);

/* The 766 index of a unit, level, field and period (index766.c). */
struct mc_ix_report {
	struct mc_unit unit;
	int32_t first, last;
	char level[16];			/* "" for all */
	char field[MC_NAME_MAX];	/* "" for all */
	struct mc_ix_weights w;
	struct mc_ix_count n[MC_IX_COUNT];
	struct mc_ix_score sc[MC_IX_COUNT];
	int points, max;		/* hundredths */
	int score;			/* points / max on 100, in hundredths;
					 * -1 when nothing was scored */
	int group_points[MC_IX_GROUPS], group_max[MC_IX_GROUPS];
	/* History mapped onto today's units (mc_ix_history): the scope. */
	bool mapped;
	char scope[MC_PATH_MAX + 2];
};

/*
 * Counts and scores the index into 'rep' ('rep->unit', 'first', 'last',
 * 'level' and 'field' set by the caller, the rest by mc_ix_setup); fills
 * 'scope' with what it counted.
 */
int mc_ix_build(struct mc_conn *c, struct mc_ix_scope *scope,
		struct mc_ix_report *rep, struct mc_err *err);
json_t *mc_ix_json(const struct mc_ix_report *rep);
/* One row per indicator, then the groups and the total (UTF-8, BOM). */
int mc_ix_csv(const struct mc_ix_report *rep, struct mc_buf *b);
/*
 * From the configuration: 'rep''s weights, and the calendar, the instant
 * 'now' and the province's online collection of 'scope' (cleared first).
 */
struct mc_app;
/*
 * 'history' "as_was" (or NULL): units merged in 2025 count as they were;
 * "mapped": a unit's report also counts the dossiers of the units merged
 * into it (docs/reports.md "Units merged"). MC_EINVAL naming "history".
 */
int mc_ix_history(struct mc_ix_report *rep, const char *history,
		  struct mc_err *err);
/*
 * The scope path of the store's report queries for 'unit' into 'out':
 * its path, or with 'mapped' "~" and its path once merged units hang
 * under their successors (report_sql.h IN_SCOPE).
 */
const char *mc_report_scope(const struct mc_unit *unit, bool mapped,
			    char *out, size_t n);
/*
 * Narrows 'rep' to procedures of 'level' ("province", "commune") and
 * 'field' (either NULL for all). MC_EINVAL naming the one at fault.
 */
int mc_ix_narrow(struct mc_ix_report *rep, const char *level,
		 const char *field, struct mc_err *err);
void mc_ix_setup(const struct mc_app *app, int64_t now,
		 struct mc_ix_report *rep, struct mc_ix_scope *scope);

/*
 * A period's report on the one-stop shop (summary.c): the figures the
 * half-year report states, and the 766 index's total.
 */
struct mc_sum_report {
	struct mc_ix_report ix;		/* unit, days, weights: the caller's */
	bool trend;			/* count by month too (a chart) */
	struct mc_summary s;
	struct mc_unit_heading heading;
	char title[128];		/* "6 tháng đầu năm 2024" */
};
int mc_sum_build(struct mc_conn *c, struct mc_ix_scope *scope,
		 struct mc_sum_report *rep, struct mc_err *err);
json_t *mc_sum_json(const struct mc_sum_report *rep);
/*
 * Writes template 'tmpl' with each {{figure}} replaced by its value in
 * Vietnamese (58.000; 99,95%; 1.500.000 đồng) to 'out'. MC_EINVAL naming
 * "template" with the line for an unknown figure or an unclosed "{{".
 */
int mc_sum_render(const struct mc_sum_report *rep, const char *tmpl,
		  int64_t today, struct mc_buf *out, struct mc_err *err);
/* The most dossiers a register prints (about 200 landscape pages). */
#define MC_REGISTER_MAX 5000
/*
 * The register (Sổ theo dõi hồ sơ) of receiving centre 'unit' for days
 * first–last as a PDF printed at 'now' (docs/forms.md). MC_EINVAL naming
 * "unit_code" when the unit is not a centre, "to" past MC_REGISTER_MAX.
 */
int mc_register_pdf(struct mc_conn *c, const struct mc_unit *unit,
		    int32_t first, int32_t last, int64_t now,
		    struct mc_buf *out, struct mc_err *err);

/*
 * The template into 't' (made with a 1 MB cap), NUL-ended: file 'path'
 * (MC_EINVAL naming
 * "template" when it cannot be read or passes the buffer's cap), else
 * the built-in data/reports/half-year.md.
 */
int mc_sum_template(const char *path, struct mc_buf *t, struct mc_err *err);
/*
 * Whether template 'path' (NULL or "": the built-in one) makes a report:
 * it can be read, and every figure and chart it names exists. 0, or the
 * error mc_sum_template or mc_sum_pdf would give.
 */
int mc_sum_template_check(const char *path, struct mc_err *err);

/*
 * The report's title from its days: "6 tháng đầu năm 2024" for a half
 * (official or calendar), else "từ ngày … đến ngày …".
 */
void mc_sum_title(struct mc_sum_report *rep);

/*
 * Chart 'name' of the report's figures into 'out' (docs/reports.md
 * "Charts": online_by_level, on_time_by_level, digitized_by_level,
 * index766); false when there is no such chart.
 */
struct mc_chart;
bool mc_sum_chart(const struct mc_sum_report *rep, const char *name,
		  struct mc_chart *out);
/* The names of the charts, NULL-terminated. */
extern const char *const mc_sum_chart_names[];
/*
 * The report as a PDF (docs/reports.md): template 'tmpl' filled, drawn
 * as a Decree 30 document with its charts.
 */
int mc_sum_pdf(const struct mc_sum_report *rep, const char *tmpl,
	       int64_t today, struct mc_buf *out, struct mc_err *err);
/*
 * Every figure of the report, one a row (code, label in Vietnamese,
 * value, unit): CSV (UTF-8 with BOM, CRLF) or XLSX.
 */
int mc_sum_csv(const struct mc_sum_report *rep, struct mc_buf *out);
int mc_sum_xlsx(const struct mc_sum_report *rep, struct mc_buf *out,
		struct mc_err *err);

#endif /* MC_API_REPORTS_H */
