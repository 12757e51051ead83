/*
 * reports.c — reports over HTTP and for the CLI (docs/reports.md):
 * Biểu số 06/VPCP/KSTT as JSON and as CSV with the official headings.
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/parse.h"
#include "core/sha256.h"
#include "core/timeutil.h"
#include "api/api.h"
#include "api/reports.h"
#include "api/util.h"
#include "app.h"
#include "domain/lifecycle.h"
#include "render/doc.h"
#include "render/forms.h"
#include "store/catalog.h"
#include "store/reports.h"

#include <errno.h>
#include <unistd.h>
#include <xlsxwriter.h>

static void collect(const struct mc_b06_row *row, void *arg)
{
	struct mc_b06_report *rep = arg;

	rep->rows = mc_grow(rep->rows, rep->n, &rep->cap, sizeof(*rep->rows));
	rep->rows[rep->n++] = *row;
}

int mc_b06_build(struct mc_conn *c, int32_t first, int32_t last,
		 const struct mc_unit *unit, bool mapped, int64_t now,
		 struct mc_b06_report *rep, struct mc_err *err)
{
	char scope[MC_PATH_MAX + 2];
	int64_t to = mc_local_day_start(last + 1);
	int rc, i;

	memset(rep, 0, sizeof(*rep));
	rep->first = first;
	rep->last = last;
	rep->unit = *unit;
	rc = mc_report_b06(c, mc_local_day_start(first), to, now < to ? now :
			   to, mc_report_scope(unit, mapped, scope,
			   sizeof(scope)), collect, rep, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < rep->n; i++) {
		if ((rc = mc_b06_check(&rep->rows[i].n, err)))
			return rc;
		mc_b06_add(&rep->total, &rep->rows[i].n);
	}
	return 0;
}

void mc_b06_release(struct mc_b06_report *rep)
{
	mc_free(rep->rows);
	rep->rows = NULL;
	rep->n = rep->cap = 0;
}

const char *mc_b06_level_name(const char *level)
{
	if (!strcmp(level, "province"))
		return "Cấp tỉnh";
	if (!strcmp(level, "district"))
		return "Cấp huyện";
	if (!strcmp(level, "commune"))
		return "Cấp xã";
	return level;
}

static json_t *figures(const struct mc_b06 *n)
{
	int bp = mc_b06_on_time_bp(n);

	return json_pack("{s:{s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I, "
		"s:I}, s:{s:I, s:I, s:I}, s:o}", "received", "total",
		(json_int_t)mc_b06_received(n), "online",
		(json_int_t)n->online, "direct_postal",
		(json_int_t)n->direct_postal, "carried_over",
		(json_int_t)n->carried_over, "resolved", "total",
		(json_int_t)mc_b06_resolved(n), "early", (json_int_t)n->early,
		"on_time", (json_int_t)n->on_time, "late", (json_int_t)n->late,
		"returned", (json_int_t)n->returned, "in_progress", "total",
		(json_int_t)mc_b06_in_progress(n), "within_deadline",
		(json_int_t)n->within_deadline, "overdue",
		(json_int_t)n->overdue, "on_time_rate", mc_api_hundredths(bp));
}

json_t *mc_b06_json(const struct mc_b06_report *rep)
{
	json_t *rows = json_array(), *levels = json_array(), *o;
	struct mc_b06 sub;
	char f[11], l[11];
	int i, start;

	for (i = 0; i < rep->n; i++) {
		o = figures(&rep->rows[i].n);
		json_object_set_new(o, "level",
				    json_string(rep->rows[i].level));
		json_object_set_new(o, "field",
				    json_string(rep->rows[i].field));
		json_array_append_new(rows, o);
	}
	/* The rows come by level: a subtotal for each. */
	for (start = 0; start < rep->n; start = i) {
		memset(&sub, 0, sizeof(sub));
		for (i = start; i < rep->n &&
		     !strcmp(rep->rows[i].level, rep->rows[start].level); i++)
			mc_b06_add(&sub, &rep->rows[i].n);
		o = figures(&sub);
		json_object_set_new(o, "level",
				    json_string(rep->rows[start].level));
		json_object_set_new(o, "name", json_string(mc_b06_level_name(
			rep->rows[start].level)));
		json_array_append_new(levels, o);
	}
	return json_pack("{s:s, s:{s:s, s:s}, s:s, s:s, s:o, s:o, s:o}",
		"form", "Biểu số 06/VPCP/KSTT", "unit", "code",
		rep->unit.code, "name", rep->unit.name, "from",
		mc_date_format(rep->first, f, sizeof(f)), "to",
		mc_date_format(rep->last, l, sizeof(l)), "rows", rows,
		"levels", levels, "total", figures(&rep->total));
}

/*
 * Whether a spreadsheet opening the CSV would take cell 's' for a formula
 * (=, +, -, @, a tab or a return first; OWASP "CSV injection"): a number
 * such as "-5" or "+84" is not one.
 */
static bool formula_like(const char *s)
{
	char *end;

	if (!*s || !strchr("=+-@\t\r", *s))
		return false;
	errno = 0;
	(void)strtod(s, &end);
	return errno || *end || end == s;
}

int mc_report_csv_field(struct mc_buf *b, const char *s, bool last)
{
	int rc = 0;

	/* Text a person typed (a procedure's name, say) never runs. */
	if (formula_like(s)) {
		rc |= mc_buf_adds(b, "\"'");
		for (; *s && !rc; s++)
			rc |= *s == '"' ? mc_buf_adds(b, "\"\"") :
				mc_buf_addc(b, *s);
		rc |= mc_buf_addc(b, '"');
	} else if (strpbrk(s, ",\"\r\n")) {
		rc |= mc_buf_addc(b, '"');
		for (; *s && !rc; s++)
			rc |= *s == '"' ? mc_buf_adds(b, "\"\"") :
				mc_buf_addc(b, *s);
		rc |= mc_buf_addc(b, '"');
	} else {
		rc |= mc_buf_adds(b, s);
	}
	rc |= last ? mc_buf_adds(b, "\r\n") : mc_buf_addc(b, ',');
	return rc ? MC_ETOOBIG : 0;
}

/* The twelve counts of a line of the form, in its columns' order. */
enum { B06_VALUES = 12 };

static void b06_values(const struct mc_b06 *n, int64_t v[B06_VALUES])
{
	const int64_t w[B06_VALUES] = { mc_b06_received(n), n->online,
		n->direct_postal, n->carried_over, mc_b06_resolved(n),
		n->early, n->on_time, n->late, n->returned,
		mc_b06_in_progress(n), n->within_deadline, n->overdue };

	memcpy(v, w, sizeof(w));
}

/*
 * The lines of the official form in order: each level (I, II, …, in
 * bold) with its subtotal, then its fields numbered from 1; then the
 * total, in bold.
 */
typedef void b06_line_fn(const char *stt, const char *label,
			 const struct mc_b06 *n, bool bold, void *arg);

static void b06_lines(const struct mc_b06_report *rep, b06_line_fn *fn,
		      void *arg)
{
	static const char *const roman[] = { "I", "II", "III", "IV", "V" };
	struct mc_b06 subt;
	char num[16];
	int start, i, k, lv = 0;

	for (start = 0; start < rep->n; start = i) {
		memset(&subt, 0, sizeof(subt));
		for (i = start; i < rep->n &&
		     !strcmp(rep->rows[i].level, rep->rows[start].level); i++)
			mc_b06_add(&subt, &rep->rows[i].n);
		fn(lv < 5 ? roman[lv] : "",
		   mc_b06_level_name(rep->rows[start].level), &subt, true, arg);
		lv++;
		for (k = start; k < i; k++) {
			snprintf(num, sizeof(num), "%d", k - start + 1);
			fn(num, rep->rows[k].field, &rep->rows[k].n, false,
			   arg);
		}
	}
	fn("", "Tổng cộng", &rep->total, true, arg);
}

static int csv_row(struct mc_buf *b, const char *stt, const char *level,
		   const char *field, const struct mc_b06 *n)
{
	int64_t v[B06_VALUES];
	char num[24];
	size_t i;
	int rc = mc_report_csv_field(b, stt, false) |
		mc_report_csv_field(b, level, false) |
		mc_report_csv_field(b, field, false);

	b06_values(n, v);
	for (i = 0; i < MC_ARRAY_SIZE(v); i++) {
		snprintf(num, sizeof(num), "%" PRId64, v[i]);
		rc |= mc_report_csv_field(b, num, i + 1 == MC_ARRAY_SIZE(v));
	}
	return rc ? MC_ETOOBIG : 0;
}

int mc_b06_csv(const struct mc_b06_report *rep, struct mc_buf *b)
{
	static const char *const head[] = {
		"STT", "Cấp", "Lĩnh vực",
		"Nhận giải quyết: Tổng số", "Trong đó: Trực tuyến",
		"Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước",
		"Đã giải quyết: Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn",
		"Trong đó: trả lại, dừng, rút",
		"Đang giải quyết: Tổng số", "Trong hạn", "Quá hạn"
	};
	char stt[16];
	size_t k;
	int i, rc = 0;

	/* UTF-8 with its mark, so that spreadsheets read the diacritics. */
	rc |= mc_buf_adds(b, "\xEF\xBB\xBF");
	for (k = 0; k < MC_ARRAY_SIZE(head); k++)
		rc |= mc_report_csv_field(b, head[k],
					  k + 1 == MC_ARRAY_SIZE(head));
	for (i = 0; i < rep->n && !rc; i++) {
		snprintf(stt, sizeof(stt), "%d", i + 1);
		rc |= csv_row(b, stt, mc_b06_level_name(rep->rows[i].level),
			      rep->rows[i].field, &rep->rows[i].n);
	}
	if (!rc)
		rc |= csv_row(b, "", "Tổng cộng", "", &rep->total);
	return rc ? MC_ETOOBIG : 0;
}

/* The table as the official form, in a spreadsheet. */

struct xf {
	lxw_format *title, *italic, *head, *num, *text, *bold_num, *bold_text;
};

static lxw_format *xfmt(lxw_workbook *wb, bool bold, bool italic,
			bool border, bool center, bool wrap)
{
	lxw_format *f = workbook_add_format(wb);

	format_set_font_name(f, "Times New Roman");
	format_set_font_size(f, 12);
	if (bold)
		format_set_bold(f);
	if (italic)
		format_set_italic(f);
	if (border)
		format_set_border(f, LXW_BORDER_THIN);
	if (center) {
		format_set_align(f, LXW_ALIGN_CENTER);
		format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	}
	if (wrap)
		format_set_text_wrap(f);
	return f;
}

/* A line of the form on the sheet's next row. */
struct xlines {
	lxw_worksheet *ws;
	const struct xf *x;
	int row;
};

static void xrow(const char *stt, const char *label, const struct mc_b06 *n,
		 bool bold, void *arg)
{
	struct xlines *xl = arg;
	const struct xf *x = xl->x;
	int64_t v[B06_VALUES];
	size_t i;

	b06_values(n, v);
	worksheet_write_string(xl->ws, xl->row, 0, stt, bold ? x->bold_text :
			       x->text);
	worksheet_write_string(xl->ws, xl->row, 1, label, bold ?
			       x->bold_text : x->text);
	for (i = 0; i < MC_ARRAY_SIZE(v); i++)
		worksheet_write_number(xl->ws, xl->row, (lxw_col_t)(i + 2),
				       (double)v[i], bold ? x->bold_num :
				       x->num);
	xl->row++;
}

static int b06_sheet(const struct mc_b06_report *rep, const char *path)
{
	static const char *const sub[] = {
		"Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước",
		"Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn",
		"Trong đó: trả lại, dừng, rút", "Tổng số", "Trong hạn",
		"Quá hạn"
	};
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws;
	struct xlines xl;
	struct xf x;
	char text[1200], f[16], l[16], num[16];
	struct mc_ymd a, b;
	int k;

	if (!wb)
		return -1;
	ws = workbook_add_worksheet(wb, "Biểu 06");
	x.title = xfmt(wb, true, false, false, true, true);
	x.italic = xfmt(wb, false, true, false, true, false);
	x.head = xfmt(wb, true, false, true, true, true);
	x.num = xfmt(wb, false, false, true, true, false);
	x.text = xfmt(wb, false, false, true, false, true);
	x.bold_num = xfmt(wb, true, false, true, true, false);
	x.bold_text = xfmt(wb, true, false, true, false, true);
	worksheet_set_column(ws, 0, 0, 6, NULL);
	worksheet_set_column(ws, 1, 1, 38, NULL);
	worksheet_set_column(ws, 2, 13, 11, NULL);
	worksheet_write_string(ws, 0, 0, "Biểu số 06/VPCP/KSTT", x.italic);
	worksheet_merge_range(ws, 0, 9, 0, 13, "Ban hành theo Thông tư số "
			      "01/2020/TT-VPCP ngày 21/10/2020", x.italic);
	worksheet_merge_range(ws, 2, 0, 2, 13, "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT "
			      "THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC "
			      "TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", x.title);
	a = mc_ymd_from_days(rep->first);
	b = mc_ymd_from_days(rep->last);
	snprintf(f, sizeof(f), "%02d/%02d/%04d", a.day, a.month, a.year);
	snprintf(l, sizeof(l), "%02d/%02d/%04d", b.day, b.month, b.year);
	snprintf(text, sizeof(text), "Kỳ báo cáo: từ ngày %s đến ngày %s", f,
		 l);
	worksheet_merge_range(ws, 3, 0, 3, 13, text, x.italic);
	snprintf(text, sizeof(text), "Đơn vị báo cáo: %s", rep->unit.name);
	worksheet_merge_range(ws, 4, 0, 4, 13, text, x.italic);
	worksheet_merge_range(ws, 5, 9, 5, 13, "Đơn vị tính: Số hồ sơ TTHC",
			      x.italic);
	/* Three rows of headings, merged as on the form. */
	worksheet_merge_range(ws, 6, 0, 8, 0, "STT", x.head);
	worksheet_merge_range(ws, 6, 1, 8, 1, "Lĩnh vực, công việc giải quyết "
			      "theo cấp", x.head);
	worksheet_merge_range(ws, 6, 2, 6, 5, "Số hồ sơ nhận giải quyết",
			      x.head);
	worksheet_merge_range(ws, 6, 6, 6, 13, "Kết quả giải quyết", x.head);
	worksheet_merge_range(ws, 7, 2, 8, 2, "Tổng số", x.head);
	worksheet_merge_range(ws, 7, 3, 7, 5, "Trong đó", x.head);
	worksheet_merge_range(ws, 7, 6, 7, 10, "Số hồ sơ đã giải quyết",
			      x.head);
	worksheet_merge_range(ws, 7, 11, 7, 13, "Số hồ sơ đang giải quyết",
			      x.head);
	for (k = 0; k < (int)MC_ARRAY_SIZE(sub); k++)
		worksheet_write_string(ws, 8, (lxw_col_t)(k + 3), sub[k],
				       x.head);
	for (k = 0; k < 14; k++) {
		snprintf(num, sizeof(num), "(%d)", k + 1);
		worksheet_write_string(ws, 9, (lxw_col_t)k, num, x.head);
	}
	xl.ws = ws;
	xl.x = &x;
	xl.row = 10;
	b06_lines(rep, xrow, &xl);
	worksheet_freeze_panes(ws, 10, 2);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);		/* A4 */
	worksheet_fit_to_pages(ws, 1, 0);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

/* The table as the official form on A4 landscape pages. */
enum { B06_COLS = B06_VALUES + 2 };

/* The lines of the table as text, for a page. */
struct pdf_lines {
	struct {
		char num[B06_VALUES][24];
		char stt[8], label[MC_NAME_MAX];
	} *text;
	const char **cells;
	int n;
};

static void pdf_line(const char *stt, const char *label,
		     const struct mc_b06 *n, bool bold, void *arg)
{
	struct pdf_lines *pl = arg;
	const char **c = pl->cells + (size_t)pl->n * B06_COLS;
	int64_t v[B06_VALUES];
	int k;

	b06_values(n, v);
	snprintf(pl->text[pl->n].stt, sizeof(pl->text[0].stt), "%s", stt);
	/* Levels and the total in capitals: the page has no bold rows. */
	if (bold)
		mc_utf8_upper(label, pl->text[pl->n].label,
			      sizeof(pl->text[0].label));
	else
		snprintf(pl->text[pl->n].label, sizeof(pl->text[0].label),
			 "%s", label);
	c[0] = pl->text[pl->n].stt;
	c[1] = pl->text[pl->n].label;
	for (k = 0; k < B06_VALUES; k++) {
		snprintf(pl->text[pl->n].num[k], sizeof(pl->text[0].num[k]),
			 "%" PRId64, v[k]);
		c[k + 2] = pl->text[pl->n].num[k];
	}
	pl->n++;
}

int mc_b06_pdf(const struct mc_b06_report *rep, int64_t at,
	       struct mc_buf *out, struct mc_err *err)
{
	static const char *const head[B06_COLS] = {
		"STT", "Lĩnh vực, công việc giải quyết theo cấp",
		"Nhận giải quyết: tổng số", "Trong đó: trực tuyến",
		"Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước",
		"Đã giải quyết: tổng số", "Trước hạn", "Đúng hạn", "Quá hạn",
		"Trong đó: trả lại, dừng, rút", "Đang giải quyết: tổng số",
		"Trong hạn", "Quá hạn"
	};
	static const double widths[B06_COLS] = { 0.04, 0.2, 0.064, 0.064,
		0.064, 0.064, 0.064, 0.064, 0.064, 0.064, 0.064, 0.064, 0.064,
		0.064 };
	struct pdf_lines pl;
	struct mc_ymd a = mc_ymd_from_days(rep->first),
		      b = mc_ymd_from_days(rep->last),
		      t = mc_ymd_from_days(mc_local_day(at));
	struct mc_doc d;
	double w;
	int rc;

	pl.n = 0;
	pl.text = mc_calloc((size_t)rep->n + 6, sizeof(*pl.text));
	pl.cells = mc_calloc(((size_t)rep->n + 6) * B06_COLS,
			     sizeof(*pl.cells));
	b06_lines(rep, pdf_line, &pl);
	mc_doc_begin(&d, out, at, "Biểu số 06/VPCP/KSTT", rep->unit.name);
	mc_doc_landscape(&d);
	mc_doc_pages(&d);
	w = mc_doc_text_w(&d);
	mc_doc_text(&d, MC_DOC_LEFT, d.y, w / 2, MC_DOC_LEFT_ALIGN, 11,
		    "<i>Biểu số 06/VPCP/KSTT</i>");
	mc_doc_text(&d, MC_DOC_LEFT + w / 2, d.y, w / 2, MC_DOC_RIGHT_ALIGN,
		    11, "<i>Ban hành theo Thông tư số 01/2020/TT-VPCP ngày "
		    "21/10/2020</i>");
	d.y += MC_MM(8);
	mc_doc_para(&d, MC_DOC_CENTER, 13, 2, "<b>TÌNH HÌNH, KẾT QUẢ GIẢI "
		    "QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP "
		    "GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH</b>");
	mc_doc_para(&d, MC_DOC_CENTER, 12, 2, "<i>Kỳ báo cáo: từ ngày "
		    "%02d/%02d/%04d đến ngày %02d/%02d/%04d</i>", a.day,
		    a.month, a.year, b.day, b.month, b.year);
	mc_doc_para(&d, MC_DOC_CENTER, 12, 2, "<i>Đơn vị báo cáo: %s</i>",
		    rep->unit.name);
	mc_doc_para(&d, MC_DOC_RIGHT_ALIGN, 11, 4, "<i>Đơn vị tính: Số hồ sơ "
		    "TTHC</i>");
	mc_doc_table(&d, B06_COLS, widths, head, pl.n, pl.cells, 9);
	d.y += MC_MM(4);
	mc_doc_para(&d, MC_DOC_RIGHT_ALIGN, 12, 2, "<i>ngày %02d tháng %02d "
		    "năm %d</i>", t.day, t.month, t.year);
	mc_doc_para(&d, MC_DOC_RIGHT_ALIGN, 12, 0, "<b>THỦ TRƯỞNG CƠ QUAN, "
		    "ĐƠN VỊ</b>");
	rc = mc_doc_end(&d, err);
	mc_free(pl.text);
	mc_free(pl.cells);
	return rc;
}

int mc_api_xlsx(int (*sheet)(const void *arg, const char *path),
		const void *arg, struct mc_buf *out, struct mc_err *err)
{
	const char *tmp = getenv("TMPDIR");
	char path[512];
	int fd, rc;

	/* libxlsxwriter writes a file: a private one, read back, removed. */
	snprintf(path, sizeof(path), "%s/motcua-xlsx-XXXXXX.xlsx",
		 tmp && *tmp ? tmp : "/tmp");
	fd = mkstemps(path, 5);
	if (fd < 0)
		return mc_error(err, MC_EIO, "cannot make a temporary file: %s",
				strerror(errno));
	close(fd);
	rc = sheet(arg, path) ? mc_error(err, MC_EIO, "cannot write the "
		"spreadsheet") : 0;
	if (!rc && mc_buf_read_file(out, path))
		rc = mc_error(err, MC_EIO, "cannot read the spreadsheet back");
	unlink(path);
	return rc;
}

static int b06_sheet_of(const void *arg, const char *path)
{
	return b06_sheet(arg, path);
}

int mc_b06_xlsx(const struct mc_b06_report *rep, struct mc_buf *out,
		struct mc_err *err)
{
	return mc_api_xlsx(b06_sheet_of, rep, out, err);
}

/*
 * The period of a request: from=&to= (days), or period=&year=[&index=]
 * [&cutoff=] (docs/reports.md). 0, or MC_EINVAL naming the parameter.
 */
int mc_api_report_period(const char *from, const char *to,
			 const char *kind, const char *year,
			 const char *index, const char *cutoff,
			 int dflt_cutoff, int32_t *first, int32_t *last,
			 struct mc_err *err)
{
	long y = 0, i = 1, c = dflt_cutoff;
	int k;

	if (kind) {
		if (from || to)
			return mc_err_field(err, "period", "exclusive", "give "
					    "either period, year and index, or "
					    "from and to");
		if ((k = mc_period_kind_parse(kind)) < 0)
			return mc_err_field(err, "period", "enum", "must be "
					    "month, quarter, half or year");
		if (!year)
			return mc_err_field(err, "year", "required", "the "
					    "period's year");
		if (mc_parse_int("year", year, 2000, 2100, &y, err) ||
		    (index && mc_parse_int("index", index, 1, 12, &i, err)) ||
		    (cutoff && mc_parse_int("cutoff", cutoff, 0, 28, &c, err)))
			return MC_EINVAL;
		if (!index && k != MC_PERIOD_YEAR)
			return mc_err_field(err, "index", "required", "which "
					    "month, quarter or half");
		return mc_period_days((enum mc_period_kind)k, (int)y, (int)i,
				      (int)c, first, last, err);
	}
	if (!from || !to)
		return mc_err_field(err, from ? "to" : "from", "required",
				    "give from and to (YYYY-MM-DD), or period "
				    "and year");
	if (mc_parse_date("from", from, first, err) ||
	    mc_parse_date("to", to, last, err))
		return MC_EINVAL;
	if (*last < *first)
		return mc_err_field(err, "to", "min", "the period ends before "
				    "it begins");
	if (*last - *first >= MC_REPORT_MAX_DAYS)
		return mc_err_field(err, "to", "max", "at most %d days",
				    MC_REPORT_MAX_DAYS);
	return 0;
}

/* A report read back from its closed JSON (for the CSV of a closed one). */
static void figures_back(json_t *o, struct mc_b06 *n)
{
	json_t *rc = json_object_get(o, "received");
	json_t *rs = json_object_get(o, "resolved");
	json_t *ip = json_object_get(o, "in_progress");

#define NUM(g, k) json_integer_value(json_object_get(g, k))
	n->carried_over = NUM(rc, "carried_over");
	n->online = NUM(rc, "online");
	n->direct_postal = NUM(rc, "direct_postal");
	n->early = NUM(rs, "early");
	n->on_time = NUM(rs, "on_time");
	n->late = NUM(rs, "late");
	n->returned = NUM(rs, "returned");
	n->within_deadline = NUM(ip, "within_deadline");
	n->overdue = NUM(ip, "overdue");
#undef NUM
}

static void b06_from_json(json_t *j, struct mc_b06_report *rep)
{
	json_t *row;
	size_t i;

	rep->n = 0;
	json_array_foreach(json_object_get(j, "rows"), i, row) {
		struct mc_b06_row r;
		const char *lv = json_string_value(json_object_get(row,
								   "level"));
		const char *fd = json_string_value(json_object_get(row,
								   "field"));

		memset(&r, 0, sizeof(r));
		snprintf(r.level, sizeof(r.level), "%s", lv ? lv : "");
		snprintf(r.field, sizeof(r.field), "%s", fd ? fd : "");
		figures_back(row, &r.n);
		collect(&r, rep);
	}
	memset(&rep->total, 0, sizeof(rep->total));
	figures_back(json_object_get(j, "total"), &rep->total);
}

/* Figures compared between a closed table and the live one. */
static const char *const figure_names[] = {
	"received.carried_over", "received.online", "received.direct_postal",
	"resolved.early", "resolved.on_time", "resolved.late",
	"resolved.returned", "in_progress.within_deadline",
	"in_progress.overdue"
};

static void figure_values(const struct mc_b06 *n, int64_t v[9])
{
	v[0] = n->carried_over;
	v[1] = n->online;
	v[2] = n->direct_postal;
	v[3] = n->early;
	v[4] = n->on_time;
	v[5] = n->late;
	v[6] = n->returned;
	v[7] = n->within_deadline;
	v[8] = n->overdue;
}

static const struct mc_b06 *row_of(const struct mc_b06_report *rep,
				   const char *level, const char *field)
{
	int i;

	for (i = 0; i < rep->n; i++)
		if (!strcmp(rep->rows[i].level, level) &&
		    !strcmp(rep->rows[i].field, field))
			return &rep->rows[i].n;
	return NULL;
}

/* What changed in the records since the table was closed. */
static json_t *differences(const struct mc_b06_report *closed,
			   const struct mc_b06_report *live)
{
	static const struct mc_b06 none;
	const struct mc_b06_report *sides[2] = { closed, live };
	json_t *out = json_array();
	int side, i, k;

	for (side = 0; side < 2; side++) {
		for (i = 0; i < sides[side]->n; i++) {
			const struct mc_b06_row *row = &sides[side]->rows[i];
			const struct mc_b06 *a, *b;
			int64_t va[9], vb[9];

			/* A row of both sides is compared once. */
			if (side == 1 && row_of(closed, row->level, row->field))
				continue;
			a = row_of(closed, row->level, row->field);
			b = row_of(live, row->level, row->field);
			figure_values(a ? a : &none, va);
			figure_values(b ? b : &none, vb);
			for (k = 0; k < 9; k++)
				if (va[k] != vb[k])
					json_array_append_new(out, json_pack(
						"{s:s, s:s, s:s, s:I, s:I}",
						"level", row->level, "field",
						row->field, "figure",
						figure_names[k], "closed",
						(json_int_t)va[k], "now",
						(json_int_t)vb[k]));
		}
	}
	return out;
}

/*
 * Work for a worker: the table, the closed one if there is one, and the
 * answer built (JSON, CSV or XLSX): the loop only sends it.
 */
struct b06_job {
	struct mc_user me;
	struct mc_unit unit;
	int32_t first, last;
	bool csv, xlsx, pdf, close, ran;
	bool mapped;			/* history mapped (no snapshots) */
	int64_t now;
	struct mc_b06_report rep;	/* live */
	struct mc_snapshot snap;	/* closed, or body NULL */
	char *body;			/* close: the canonical JSON */
	char sha256[MC_SHA256_HEX];
	json_t *json;			/* the answer, as JSON */
	struct mc_buf bytes;		/* or as CSV or XLSX */
	int rc;
	struct mc_err err;
};

static void b06_free(struct b06_job *q)
{
	mc_b06_release(&q->rep);
	mc_snapshot_release(&q->snap);
	mc_free(q->body);
	json_decref(q->json);
	mc_buf_release(&q->bytes);
	mc_free(q);
}

/* The answer of a GET, from the live table or the closed one. */
static int b06_answer(struct b06_job *q)
{
	struct mc_b06_report closed;
	const struct mc_b06_report *t = &q->rep;
	json_t *j = NULL;
	int rc = 0;

	memset(&closed, 0, sizeof(closed));
	if (q->snap.body) {
		char hex[MC_SHA256_HEX];

		if (!(j = json_loads(q->snap.body, 0, NULL)))
			return mc_error(&q->err, MC_EINTERNAL, "the closed "
					"report cannot be read");
		closed = q->rep;
		closed.rows = NULL;
		closed.n = closed.cap = 0;
		b06_from_json(j, &closed);
		mc_sha256_hex(q->snap.body, strlen(q->snap.body), hex);
		json_object_set_new(j, "closed", json_pack("{s:o, s:s, s:s, "
			"s:b}", "at", mc_api_time(q->snap.closed_at), "by",
			q->snap.closed_by, "sha256", q->snap.sha256, "intact",
			!strcmp(hex, q->snap.sha256)));
		json_object_set_new(j, "changes_since_closed",
				    differences(&closed, &q->rep));
		t = &closed;
	}
	mc_buf_init(&q->bytes, 64 << 20);
	if (q->xlsx)
		rc = mc_b06_xlsx(t, &q->bytes, &q->err);
	else if (q->pdf)
		rc = mc_b06_pdf(t, q->now, &q->bytes, &q->err);
	else if (q->csv && mc_b06_csv(t, &q->bytes))
		rc = mc_err_rule(&q->err, MC_ETOOBIG, "format", "size", "the "
				 "table is larger than 64 MB");
	else if (!q->csv)
		q->json = j ? json_incref(j) : mc_b06_json(&q->rep);
	json_decref(j);
	mc_b06_release(&closed);
	return rc;
}

static void b06_run(struct mc_conn *db, void *arg)
{
	struct b06_job *q = arg;
	char f[11], l[11];
	int rc;

	q->ran = true;
	q->rc = mc_b06_build(db, q->first, q->last, &q->unit, q->mapped,
			     q->now, &q->rep, &q->err);
	if (q->rc)
		return;
	if (q->close) {
		const size_t fl = JSON_COMPACT | JSON_SORT_KEYS;
		json_t *j = mc_b06_json(&q->rep);
		size_t n = json_dumpb(j, NULL, 0, fl);

		/* The canonical text: compact, keys sorted. */
		q->body = mc_malloc(n + 1);
		json_dumpb(j, q->body, n, fl);
		q->body[n] = '\0';
		json_decref(j);
		mc_sha256_hex(q->body, strlen(q->body), q->sha256);
		return;
	}
	/* A closed table is of the units as they were. */
	rc = q->mapped ? MC_ENOTFOUND : mc_snapshot_get(db, "bieu06",
							q->unit.id,
			     mc_date_format(q->first, f, sizeof(f)),
			     mc_date_format(q->last, l, sizeof(l)), &q->snap,
			     &q->err);
	if (rc == MC_ENOTFOUND) {
		mc_err_clear(&q->err);
		rc = 0;
	}
	q->rc = rc ? rc : b06_answer(q);
}

static void b06_done(struct mc_req *r, void *arg)
{
	struct b06_job *q = arg;

	if (!q->ran) {			/* answered 503 already */
		b06_free(q);
		return;
	}
	if (q->rc) {
		mc_reply_err(r, &q->err);
	} else if (q->json) {
		mc_reply_json(r, 200, q->json);
		q->json = NULL;
	} else {
		mc_api_report_file(r, "bieu06", &q->unit, q->first, q->last,
				   q->xlsx ? "xlsx" : q->pdf ? "pdf" : "csv",
				   &q->bytes);
	}
	b06_free(q);
}

void mc_api_report_file(struct mc_req *r, const char *name,
			const struct mc_unit *unit, int32_t first,
			int32_t last, const char *ext, const struct mc_buf *b)
{
	char disp[200], f[11], l[11];

	snprintf(disp, sizeof(disp), "attachment; filename=\"%s_%s_%s_%s.%s\"",
		 name, unit->code, mc_date_format(first, f, sizeof(f)),
		 mc_date_format(last, l, sizeof(l)), ext);
	mc_req_header(r, "content-disposition", disp);
	mc_reply_bytes(r, 200, !strcmp(ext, "xlsx") ? "application/vnd."
		       "openxmlformats-officedocument.spreadsheetml.sheet" :
		       !strcmp(ext, "pdf") ? "application/pdf" :
		       "text/csv; charset=utf-8", b->buf, b->len);
}

/*
 * The request's period and unit into 'q': the unit at or below the
 * user's. 0, or -1 (answered).
 */
static int b06_request(struct mc_req *r, json_t *body, struct b06_job *q)
{
	static const char *const allowed[] = { "from", "to", "period", "year",
		"index", "cutoff", "unit_code", "format", "history", NULL };
	struct mc_err err = MC_ERR_INIT;
	const char *v[9];
	char nums[7][32];
	size_t i;

	if (mc_api_user(r, &q->me))
		return -1;
	if (body) {
		if (mc_api_known(body, "", allowed, &err)) {
			mc_reply_err(r, &err);
			return -1;
		}
		for (i = 0; i < 7; i++) {
			json_t *x = json_object_get(body, allowed[i]);

			/* "2024" or 2024 alike. */
			if (json_is_integer(x)) {
				snprintf(nums[i], sizeof(nums[i]),
					 "%" JSON_INTEGER_FORMAT,
					 json_integer_value(x));
				v[i] = nums[i];
			} else {
				v[i] = json_string_value(x);
			}
		}
		v[7] = NULL;
		v[8] = json_string_value(json_object_get(body, "history"));
		if (v[8] && strcmp(v[8], "as_was")) {
			mc_err_field(&err, "history", "as_was", "a period is "
				     "closed for the units as they were");
			mc_reply_err(r, &err);
			return -1;
		}
	} else {
		if (mc_req_query_check(r, allowed, &err)) {
			mc_reply_err(r, &err);
			return -1;
		}
		for (i = 0; i < 9; i++)
			v[i] = mc_req_query(r, allowed[i]);
	}
	if (mc_api_report_period(v[0], v[1], v[2], v[3], v[4], v[5],
				 mc_req_app(r)->cfg.report_cutoff, &q->first,
				 &q->last, &err) ||
	    (v[7] && strcmp(v[7], "json") && strcmp(v[7], "csv") &&
	     strcmp(v[7], "xlsx") && strcmp(v[7], "pdf") &&
	     mc_err_field(&err, "format", "enum", "must be json, csv, xlsx "
			  "or pdf"))) {
		mc_reply_err(r, &err);
		return -1;
	}
	if (v[8] && strcmp(v[8], "as_was") && strcmp(v[8], "mapped")) {
		mc_err_field(&err, "history", "enum", "must be as_was or "
			     "mapped");
		mc_reply_err(r, &err);
		return -1;
	}
	q->mapped = v[8] && !strcmp(v[8], "mapped");
	q->csv = v[7] && !strcmp(v[7], "csv");
	q->xlsx = v[7] && !strcmp(v[7], "xlsx");
	q->pdf = v[7] && !strcmp(v[7], "pdf");
	q->now = mc_api_now(mc_req_app(r));
	return mc_api_report_unit(r, &q->me, v[6], &q->unit);
}

int mc_api_report_unit(struct mc_req *r, const struct mc_user *me,
		       const char *code, struct mc_unit *unit)
{
	struct mc_err err = MC_ERR_INIT;

	if (mc_unit_get(mc_req_db(r), code ? code : me->unit_code, unit,
			&err) || !mc_unit_within(unit->path, me->unit_path)) {
		mc_err_clear(&err);
		mc_err_field(&err, "unit_code", "scope", "no unit %s at or "
			     "below yours", code ? code : me->unit_code);
		mc_reply_err(r, &err);
		return -1;
	}
	return 0;
}

/*
 * GET /api/v1/reports/bieu06?(from&to | period&year[&index][&cutoff])
 * [&unit_code][&format=json|csv]: Biểu 06 for the user's unit or one
 * below it; the closed table if the period was closed, with what has
 * changed in the records since. Counted on a worker.
 */
void api_reports_bieu06(struct mc_req *r)
{
	struct b06_job *q = mc_calloc(1, sizeof(*q));

	if (b06_request(r, NULL, q)) {
		mc_free(q);
		return;
	}
	mc_req_defer(r, b06_run, b06_done, q);
}

/* Closing: the table counted on a worker, then written once. */

struct close_write {
	struct mc_api_write aw;
	struct b06_job *q;
};

static int close_fn(struct mc_conn *c, struct mc_api_write *aw,
		    struct mc_err *err)
{
	struct b06_job *q = ((struct close_write *)aw)->q;
	char f[11], l[11];

	return mc_snapshot_add(c, "bieu06", q->unit.id,
			       mc_date_format(q->first, f, sizeof(f)),
			       mc_date_format(q->last, l, sizeof(l)), q->body,
			       q->sha256, q->me.id, aw->now, err);
}

static void close_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct b06_job *q = ((struct close_write *)aw)->q;
	json_t *j = json_loads(q->body, 0, NULL);

	json_object_set_new(j, "closed", json_pack("{s:o, s:s, s:s, s:b}",
		"at", mc_api_time(aw->now), "by", q->me.username, "sha256",
		q->sha256, "intact", 1));
	mc_reply_json(r, 201, j);
}

static void close_release(struct mc_api_write *aw)
{
	b06_free(((struct close_write *)aw)->q);
}

static void close_counted(struct mc_req *r, void *arg)
{
	struct b06_job *q = arg;
	struct close_write *w;

	if (!q->ran) {			/* answered 503 already */
		b06_free(q);
		return;
	}
	if (q->rc) {
		mc_reply_err(r, &q->err);
		b06_free(q);
		return;
	}
	w = mc_calloc(1, sizeof(*w));
	w->q = q;
	w->aw.fn = close_fn;
	w->aw.reply = close_reply;
	w->aw.release = close_release;
	mc_api_write_submit(r, &w->aw);
}

/*
 * POST /api/v1/reports/bieu06/close {period…|from, to; unit_code}: closes
 * the period's table (chốt số liệu): leaders, control officers and
 * administrators, for their unit or one below it.
 */
void api_reports_bieu06_close(struct mc_req *r)
{
	struct b06_job *q = mc_calloc(1, sizeof(*q));
	json_t *body;

	if (mc_api_user(r, &q->me) ||
	    mc_api_require_role(r, &q->me, 1u << MC_ROLE_LEADER |
				1u << MC_ROLE_CONTROL_OFFICER |
				1u << MC_ROLE_ADMIN) ||
	    !(body = mc_api_body(r))) {
		mc_free(q);
		return;
	}
	if (b06_request(r, body, q)) {
		json_decref(body);
		mc_free(q);
		return;
	}
	json_decref(body);
	/* A period still running is not closed: its figures would freeze
	 * half-made, for good. */
	if (q->last >= mc_local_day(mc_api_now(mc_req_app(r)))) {
		struct mc_err err = MC_ERR_INIT;
		char l[11];

		mc_err_rule(&err, MC_ECONFLICT, "period", "running", "the "
			    "period runs until %s: close it after",
			    mc_date_format(q->last, l, sizeof(l)));
		mc_reply_err(r, &err);
		mc_free(q);
		return;
	}
	q->close = true;
	mc_req_defer(r, b06_run, close_counted, q);
}

/* The register: its lines gathered, then drawn. */

struct register_lines {
	struct mc_register_line *lines;
	struct mc_register_row *rows;
	int n, cap;
};

static void register_row(const struct mc_register_row *row, void *arg)
{
	struct register_lines *g = arg;

	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->rows = mc_realloc(g->rows, (size_t)g->cap * sizeof(*g->rows));
	}
	g->rows[g->n++] = *row;
}

/* What the register notes of a dossier. */
static const char *register_note(const struct mc_register_row *x)
{
	if (!strcmp(x->status, "refused"))
		return "Từ chối giải quyết";
	if (!strcmp(x->status, "withdrawn"))
		return "Rút hồ sơ";
	if (!strcmp(x->status, "stopped"))
		return "Dừng giải quyết";
	if (!strcmp(x->status, "awaiting_supplement"))
		return "Chờ bổ sung";
	if (x->finished_at != MC_NO_TIME && x->due_at != MC_NO_TIME &&
	    x->finished_at > x->due_at)
		return "Trễ hạn";
	if (!strcmp(x->return_channel, "postal"))
		return "Trả qua bưu chính";
	return "";
}

int mc_register_pdf(struct mc_conn *c, const struct mc_unit *unit,
		    int32_t first, int32_t last, int64_t now,
		    struct mc_buf *out, struct mc_err *err)
{
	struct register_lines g = { NULL, NULL, 0, 0 };
	struct mc_unit_heading head;
	struct mc_register_doc doc;
	char (*contact)[MC_NAME_MAX + 40];
	int64_t n;
	int i, rc;

	if (strcmp(unit->level, "center"))
		return mc_err_field(err, "unit_code", "center", "%s is not a "
				    "one-stop centre: the register is kept by "
				    "the centre that receives", unit->code);
	if ((rc = mc_unit_heading(c, unit->id, &head, err)))
		return rc;
	n = mc_register_list(c, unit->id, first, last, MC_REGISTER_MAX,
			     register_row, &g, err);
	if (n < 0) {
		mc_free(g.rows);
		return (int)n;
	}
	g.lines = mc_calloc((size_t)g.n + 1, sizeof(*g.lines));
	contact = mc_calloc((size_t)g.n + 1, sizeof(*contact));
	for (i = 0; i < g.n; i++) {
		const struct mc_register_row *x = &g.rows[i];

		snprintf(contact[i], sizeof(contact[i]), "%s%s%s", x->address,
			 x->address[0] && x->phone[0] ? "; " : "", x->phone);
		g.lines[i].code = x->code;
		g.lines[i].procedure = x->procedure;
		g.lines[i].applicant = x->applicant;
		g.lines[i].contact = contact[i];
		g.lines[i].agency = x->agency;
		g.lines[i].received_at = x->received_at;
		g.lines[i].due_at = x->due_at;
		g.lines[i].forwarded_at = x->forwarded_at;
		g.lines[i].finished_at = x->finished_at;
		g.lines[i].returned_at = x->returned_at;
		g.lines[i].note = register_note(x);
	}
	memset(&doc, 0, sizeof(doc));
	/* The forms of TT 03/2025 from 1 July 2025 (ND 118/2025). */
	doc.set_2025 = last >= mc_days_from_ymd(2025, 7, 1);
	doc.governing = head.governing;
	doc.issuer = head.issuer[0] ? head.issuer : unit->name;
	doc.place = head.place;
	doc.at = now;
	doc.first = first;
	doc.last = last;
	doc.nlines = g.n;
	doc.lines = g.lines;
	rc = mc_render_register(&doc, out, err);
	mc_free(contact);
	mc_free(g.lines);
	mc_free(g.rows);
	return rc;
}

struct register_job {
	struct mc_user me;
	struct mc_unit unit;
	int32_t first, last;
	int64_t now;
	bool ran;
	struct mc_buf pdf;
	int rc;
	struct mc_err err;
};

static void register_run(struct mc_conn *db, void *arg)
{
	struct register_job *q = arg;

	q->ran = true;
	mc_buf_init(&q->pdf, 256 << 20);
	q->rc = mc_register_pdf(db, &q->unit, q->first, q->last, q->now,
				&q->pdf, &q->err);
}

static void register_done(struct mc_req *r, void *arg)
{
	struct register_job *q = arg;

	if (q->ran && q->rc)
		mc_reply_err(r, &q->err);
	else if (q->ran)
		mc_api_report_file(r, "so-theo-doi", &q->unit, q->first,
				   q->last, "pdf", &q->pdf);
	mc_buf_release(&q->pdf);
	mc_free(q);
}

/*
 * GET /api/v1/reports/register.pdf?(from&to | period&year[&index]
 * [&cutoff])[&unit_code]: Sổ theo dõi hồ sơ of a one-stop centre at or
 * below the user's unit (default: the user's), drawn on a worker.
 */
void api_reports_register(struct mc_req *r)
{
	static const char *const allowed[] = { "from", "to", "period", "year",
		"index", "cutoff", "unit_code", NULL };
	struct register_job *q = mc_calloc(1, sizeof(*q));
	struct mc_err err = MC_ERR_INIT;
	const char *v[7];
	size_t i;

	if (mc_api_user(r, &q->me)) {
		mc_free(q);
		return;
	}
	if (mc_req_query_check(r, allowed, &err)) {
		mc_reply_err(r, &err);
		mc_free(q);
		return;
	}
	for (i = 0; i < 7; i++)
		v[i] = mc_req_query(r, allowed[i]);
	if (mc_api_report_period(v[0], v[1], v[2], v[3], v[4], v[5],
				 mc_req_app(r)->cfg.report_cutoff, &q->first,
				 &q->last, &err)) {
		mc_reply_err(r, &err);
		mc_free(q);
		return;
	}
	if (mc_api_report_unit(r, &q->me, v[6], &q->unit)) {
		mc_free(q);
		return;
	}
	q->now = mc_api_now(mc_req_app(r));
	mc_req_defer(r, register_run, register_done, q);
}
