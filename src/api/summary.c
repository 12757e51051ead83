/*
 * summary.c — the figures of a period's report on the one-stop shop and
 * the half-year report written from them (docs/reports.md): JSON over
 * the API, and a Markdown document from a template the province may
 * edit, for the CLI.
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/embed.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "api/api.h"
#include "api/reports.h"
#include "api/util.h"
#include "app.h"
#include "domain/index766.h"
#include "render/chart.h"
#include "render/report_pdf.h"

#include <stddef.h>
#include <xlsxwriter.h>

int mc_sum_build(struct mc_conn *c, struct mc_ix_scope *scope,
		 struct mc_sum_report *rep, struct mc_err *err)
{
	int rc;

	if ((rc = mc_ix_build(c, scope, &rep->ix, err)) ||
	    (rc = mc_summary_count(c, scope, &rep->s, err)) ||
	    (rep->trend && (rc = mc_summary_trend(c, scope, &rep->s, err))))
		return rc;
	return mc_unit_heading(c, rep->ix.unit.id, &rep->heading, err);
}

static json_t *level_json(const struct mc_sum_level *l)
{
	return json_pack("{s:I, s:I, s:o, s:I, s:I, s:o, s:I, s:o, s:I}",
		"received", (json_int_t)l->received, "online",
		(json_int_t)l->online, "online_rate",
		mc_api_percent(l->online, l->received), "resolved",
		(json_int_t)l->resolved, "on_time", (json_int_t)l->on_time,
		"on_time_rate", mc_api_percent(l->on_time, l->resolved),
		"digitized", (json_int_t)l->digitized, "digitized_rate",
		mc_api_percent(l->digitized, l->received), "agencies",
		(json_int_t)l->agencies);
}

json_t *mc_sum_json(const struct mc_sum_report *rep)
{
	const struct mc_summary *s = &rep->s;
	json_t *levels = json_object(), *fb = json_object(), *ix, *o;
	char f[11], l[11];
	size_t k;

	for (k = 0; k < MC_SUM_LEVELS; k++)
		json_object_set_new(levels, mc_sum_levels[k],
				    level_json(&s->level[k]));
	for (k = 0; k < MC_ARRAY_SIZE(mc_sum_channels); k++)
		json_object_set_new(fb, mc_sum_channels[k], json_integer(
			(json_int_t)s->feedback_channel[k]));
	json_object_set_new(fb, "total", json_integer((json_int_t)s->feedback));
	ix = mc_ix_json(&rep->ix);
	o = json_pack("{s:{s:s, s:s}, s:s, s:s, s:{s:I, s:I}, s:o, s:o, s:o, "
		"s:{s:I, s:I, s:I, s:I, s:o, s:I}, s:{s:I}, s:{s:I, s:I, "
		"s:o}, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I}, s:O}",
		"unit", "code", rep->ix.unit.code, "name", rep->ix.unit.name,
		"from", mc_date_format(rep->ix.first, f, sizeof(f)), "to",
		mc_date_format(rep->ix.last, l, sizeof(l)), "catalog",
		"decisions", (json_int_t)s->decisions, "announced",
		(json_int_t)s->announced, "dossiers", level_json(&s->total),
		"levels", levels, "centre", level_json(&s->centre), "service", "on_the_spot",
		(json_int_t)s->on_the_spot, "postal_in",
		(json_int_t)s->postal_in, "postal_out",
		(json_int_t)s->postal_out, "reused", (json_int_t)s->reused,
		"reuse_rate", mc_api_percent(s->reused, s->total.received),
		"asked_again", (json_int_t)s->asked_again, "messages",
		"sms_sent", (json_int_t)s->sms, "ratings", "total",
		(json_int_t)s->ratings, "satisfied", (json_int_t)s->satisfied,
		"satisfaction_rate", mc_api_percent(s->satisfied, s->ratings),
		"feedback", fb, "payments", "platform_count",
		(json_int_t)s->paid_platform, "platform_amount",
		(json_int_t)s->paid_platform_amount, "transfer_count",
		(json_int_t)s->paid_transfer, "transfer_amount",
		(json_int_t)s->paid_transfer_amount, "counter_count",
		(json_int_t)s->paid_counter, "counter_amount",
		(json_int_t)s->paid_counter_amount, "index766",
		json_object_get(ix, "total"));
	json_decref(ix);
	return o;
}

/* Vietnamese numbers: 58.000; 99,95%; 40.123.000 đồng. */

static const char *count_vi(int64_t v, char *buf, size_t n)
{
	char digits[24], *o = buf;
	size_t len, i;

	snprintf(digits, sizeof(digits), "%" PRId64, v < 0 ? -v : v);
	len = strlen(digits);
	if (v < 0 && (size_t)(o - buf) + 1 < n)
		*o++ = '-';
	for (i = 0; i < len && (size_t)(o - buf) + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			*o++ = '.';
		*o++ = digits[i];
	}
	*o = '\0';
	return buf;
}

static const char *pct_vi(int64_t part, int64_t whole, char *buf, size_t n)
{
	int64_t v = mc_ratio(part, whole, 10000);

	if (v < 0)
		snprintf(buf, n, "— (không phát sinh)");
	else
		snprintf(buf, n, "%" PRId64 ",%02d%%", v / 100,
			 (int)(v % 100));
	return buf;
}

static const char *money_vi(int64_t v, char *buf, size_t n)
{
	char num[40];

	snprintf(buf, n, "%s đồng", count_vi(v, num, sizeof(num)));
	return buf;
}

static const char *points_vi(int v, char *buf, size_t n)
{
	if (v < 0)
		snprintf(buf, n, "—");
	else
		snprintf(buf, n, "%d,%02d", v / 100, v % 100);
	return buf;
}

/*
 * The figures a template may name, as offsets of int64_t counts: in
 * struct mc_summary (FIG_*), or in one struct mc_sum_level of the level
 * its prefix names (LEV_*). 'b' is the second operand: subtracted (LESS),
 * added (PLUS, MONEY), or the whole (RATE); NONE when there is none.
 */
enum fig_kind { COUNT, LESS, PLUS, RATE, MONEY };

struct figure {
	const char *key;
	enum fig_kind kind;
	size_t a, b;
	const char *label;	/* in Vietnamese, for CSV and XLSX */
};

#define NONE SIZE_MAX
#define S(f) offsetof(struct mc_summary, f)
#define L(f) offsetof(struct mc_sum_level, f)

static const struct figure summary_figures[] = {
	{ "catalog.decisions", COUNT, S(decisions), NONE,
	  "Quyết định công bố danh mục TTHC" },
	{ "catalog.announced", COUNT, S(announced), NONE,
	  "TTHC được công bố" },
	{ "feedback.total", COUNT, S(feedback), NONE,
	  "Phản ánh, kiến nghị tiếp nhận" },
	{ "feedback.portal", COUNT, S(feedback_channel[0]), NONE,
	  "PAKN trên Hệ thống PAKN của Cổng DVCQG" },
	{ "feedback.letter", COUNT, S(feedback_channel[1]), NONE,
	  "PAKN qua đơn thư" },
	{ "feedback.hotline", COUNT, S(feedback_channel[2]), NONE,
	  "PAKN qua đường dây nóng" },
	{ "feedback.counter", COUNT, S(feedback_channel[3]), NONE,
	  "PAKN trực tiếp tại Bộ phận Một cửa" },
	{ "feedback.web", COUNT, S(feedback_channel[4]), NONE,
	  "PAKN trên Cổng dịch vụ công của tỉnh" },
	{ "feedback.other", LESS, S(feedback), S(feedback_channel[0]),
	  "PAKN qua các kênh khác (ngoài Cổng DVCQG)" },
	{ "dossiers.on_the_spot", COUNT, S(on_the_spot), NONE,
	  "Hồ sơ tiếp nhận, trả kết quả ngay tại chỗ" },
	{ "dossiers.postal_in", COUNT, S(postal_in), NONE,
	  "Hồ sơ nộp qua bưu chính" },
	{ "dossiers.postal_out", COUNT, S(postal_out), NONE,
	  "Hồ sơ trả kết quả qua bưu chính" },
	{ "ratings.total", COUNT, S(ratings), NONE,
	  "Lượt đánh giá mức độ hài lòng" },
	{ "ratings.satisfaction_rate", RATE, S(satisfied), S(ratings),
	  "Tỷ lệ hài lòng" },
	{ "sms.sent", COUNT, S(sms), NONE,
	  "Tin nhắn SMS đã gửi" },
	{ "payments.online_count", PLUS, S(paid_platform), S(paid_transfer),
	  "Giao dịch thanh toán trực tuyến" },
	{ "payments.online_amount", MONEY, S(paid_platform_amount),
	  S(paid_transfer_amount),
	  "Số tiền thanh toán trực tuyến" },
	{ "payments.platform_count", COUNT, S(paid_platform), NONE,
	  "Giao dịch qua nền tảng thanh toán" },
	{ "payments.platform_amount", MONEY, S(paid_platform_amount), NONE,
	  "Số tiền qua nền tảng thanh toán" },
	{ "payments.transfer_count", COUNT, S(paid_transfer), NONE,
	  "Giao dịch chuyển khoản VietQR" },
	{ "payments.transfer_amount", MONEY, S(paid_transfer_amount), NONE,
	  "Số tiền chuyển khoản VietQR" },
	{ "reuse.dossiers", COUNT, S(reused), NONE,
	  "Hồ sơ tái sử dụng dữ liệu đã số hóa" },
	{ "reuse.rate", RATE, S(reused), S(total.received),
	  "Tỷ lệ hồ sơ tái sử dụng dữ liệu" },
	{ "reuse.asked_again", COUNT, S(asked_again), NONE,
	  "Lần yêu cầu nộp lại giấy tờ đã có trong kho" },
};

/*
 * After "dossiers." (the total), "centre.", "province.", "district.",
 * "commune.".
 */
static const struct figure level_figures[] = {
	{ "received", COUNT, L(received), NONE,
	  "hồ sơ tiếp nhận" },
	{ "online", COUNT, L(online), NONE,
	  "hồ sơ tiếp nhận trực tuyến" },
	{ "resolved", COUNT, L(resolved), NONE,
	  "hồ sơ đã giải quyết" },
	{ "agencies", COUNT, L(agencies), NONE,
	  "cơ quan, đơn vị có hồ sơ" },
	{ "on_time_rate", RATE, L(on_time), L(resolved),
	  "tỷ lệ giải quyết trước hạn, đúng hạn" },
	{ "online_rate", RATE, L(online), L(received),
	  "tỷ lệ tiếp nhận trực tuyến" },
	{ "digitized_rate", RATE, L(digitized), L(received),
	  "tỷ lệ hồ sơ được số hóa" },
};

#undef S
#undef L

/* Figure 'f' of the counts at 'base', in Vietnamese, into 'buf'. */
static const char *figure_vi(const struct figure *f, const void *base,
			     char *buf, size_t n)
{
	const char *p = base;
	int64_t a, b;

	memcpy(&a, p + f->a, sizeof(a));
	b = 0;
	if (f->b != NONE)
		memcpy(&b, p + f->b, sizeof(b));
	switch (f->kind) {
	case LESS:
		return count_vi(a - b, buf, n);
	case PLUS:
		return count_vi(a + b, buf, n);
	case RATE:
		return pct_vi(a, b, buf, n);
	case MONEY:
		return money_vi(a + b, buf, n);
	case COUNT:
		break;
	}
	return count_vi(a, buf, n);
}

/*
 * Who signs for unit 'name' (Decree 30, Appendix I): for a people's
 * committee, "TM. ỦY BAN NHÂN DÂN" over "CHỦ TỊCH" (collective and head),
 * for another body its head's title by the kind of body its name begins
 * with (Sở, Trung tâm, Công an: GIÁM ĐỐC). The province edits its own
 * template where the one who signs is a deputy.
 */
static const char *signer(const char *name, bool collective)
{
	static const struct {
		const char *prefix, *collective, *head;
	} kinds[] = {
		{ "Ủy ban nhân dân", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH" },
		{ "Chi cục", "", "CHI CỤC TRƯỞNG" },
		{ "Cục", "", "CỤC TRƯỞNG" },
		{ "Ban", "", "TRƯỞNG BAN" },
		{ "Văn phòng", "", "CHÁNH VĂN PHÒNG" },
		{ "Thanh tra", "", "CHÁNH THANH TRA" },
	};
	size_t k;

	for (k = 0; k < MC_ARRAY_SIZE(kinds); k++)
		if (!strncmp(name, kinds[k].prefix, strlen(kinds[k].prefix)))
			return collective ? kinds[k].collective :
			       kinds[k].head;
	return collective ? "" : "GIÁM ĐỐC";
}

/* The value of placeholder 'key' into 'buf'; NULL if there is none. */
static const char *value(const struct mc_sum_report *rep, const char *key,
			 int64_t today, char *buf, size_t n)
{
	const struct mc_summary *s = &rep->s;
	const struct mc_sum_level *l = NULL;
	const char *dot = strchr(key, '.');
	struct mc_ymd t = mc_ymd_from_days(mc_local_day(today)), f;
	size_t k;

	for (k = 0; k < MC_ARRAY_SIZE(summary_figures); k++)
		if (!strcmp(key, summary_figures[k].key))
			return figure_vi(&summary_figures[k], s, buf, n);
	if (dot && (size_t)(dot - key) == 8 && !strncmp(key, "dossiers", 8))
		l = &s->total;
	if (dot && (size_t)(dot - key) == 6 && !strncmp(key, "centre", 6))
		l = &s->centre;
	for (k = 0; dot && k < MC_SUM_LEVELS; k++)
		if ((size_t)(dot - key) == strlen(mc_sum_levels[k]) &&
		    !strncmp(key, mc_sum_levels[k], (size_t)(dot - key)))
			l = &s->level[k];
	for (k = 0; l && k < MC_ARRAY_SIZE(level_figures); k++)
		if (!strcmp(dot + 1, level_figures[k].key))
			return figure_vi(&level_figures[k], l, buf, n);
	if (!strcmp(key, "place"))
		return snprintf(buf, n, "%s", rep->heading.place[0] ?
				rep->heading.place : "…"), buf;
	if (!strcmp(key, "today.day"))
		return snprintf(buf, n, "%02d", t.day), buf;
	if (!strcmp(key, "today.month"))
		return snprintf(buf, n, "%d", t.month), buf;
	if (!strcmp(key, "today.year"))
		return snprintf(buf, n, "%d", t.year), buf;
	if (!strcmp(key, "unit.name"))
		return rep->heading.issuer[0] ? rep->heading.issuer :
			rep->ix.unit.name;
	if (!strcmp(key, "unit.governing"))
		return rep->heading.governing;
	if (!strcmp(key, "unit.collective") || !strcmp(key, "unit.head"))
		return signer(rep->heading.issuer[0] ? rep->heading.issuer :
			      rep->ix.unit.name, key[5] == 'c');
	if (!strcmp(key, "period.title"))
		return rep->title;
	if (!strcmp(key, "period.from") || !strcmp(key, "period.to")) {
		f = mc_ymd_from_days(key[7] == 'f' ? rep->ix.first :
				     rep->ix.last);
		return snprintf(buf, n, "%02d/%02d/%d", f.day, f.month,
				f.year), buf;
	}
	if (!strcmp(key, "index766.points"))
		return points_vi(rep->ix.points, buf, n);
	if (!strcmp(key, "index766.max"))
		return points_vi(rep->ix.max, buf, n);
	if (!strcmp(key, "index766.score"))
		return points_vi(rep->ix.score, buf, n);
	return NULL;
}

int mc_sum_render(const struct mc_sum_report *rep, const char *tmpl,
		  int64_t today, struct mc_buf *out, struct mc_err *err)
{
	const char *p = tmpl, *open, *close;
	char key[64], buf[256];
	const char *v;
	int line = 1;

	while ((open = strstr(p, "{{"))) {
		if (mc_buf_add(out, p, (size_t)(open - p)))
			return mc_error(err, MC_ETOOBIG, "too large");
		for (; p < open; p++)
			line += *p == '\n';
		close = strstr(open + 2, "}}");
		if (!close || (size_t)(close - open - 2) >= sizeof(key))
			return mc_err_field(err, "template", "syntax", "line "
					    "%d: \"{{\" without its \"}}\"",
					    line);
		memcpy(key, open + 2, (size_t)(close - open - 2));
		key[close - open - 2] = '\0';
		if (!(v = value(rep, key, today, buf, sizeof(buf))))
			return mc_err_field(err, "template", "unknown", "line "
					    "%d: no figure called \"%s\" "
					    "(docs/reports.md lists them)",
					    line, key);
		if (mc_buf_adds(out, v))
			return mc_error(err, MC_ETOOBIG, "too large");
		p = close + 2;
	}
	return mc_buf_adds(out, p) ? mc_error(err, MC_ETOOBIG, "too large")
		: 0;
}

const char *const mc_sum_chart_names[] = { "online_by_level",
	"on_time_by_level", "digitized_by_level", "on_time_trend",
	"index766", NULL };

/* A rate bar of level 'l': 'part' of 'whole' (offsets in it). */
static void rate_bar(struct mc_chart *c, const char *label,
		     const struct mc_sum_level *l, size_t part, size_t whole)
{
	const char *p = (const char *)l;
	int64_t a, b;
	char text[48];

	memcpy(&a, p + part, sizeof(a));
	memcpy(&b, p + whole, sizeof(b));
	pct_vi(a, b, text, sizeof(text));
	if (b <= 0)
		snprintf(text, sizeof(text), "—");
	mc_chart_add(c, label, b > 0 ? (double)a / (double)b : -1, 1, text);
}

bool mc_sum_chart(const struct mc_sum_report *rep, const char *name,
		  struct mc_chart *out)
{
	static const char *const level_names[MC_SUM_LEVELS] = {
		"Cấp tỉnh", "Cấp huyện", "Cấp xã" };
	const struct mc_summary *s = &rep->s;
	size_t part, whole;
	char text[48];
	int k;

	memset(out, 0, sizeof(*out));
	if (!strcmp(name, "on_time_trend")) {
		snprintf(out->title, sizeof(out->title), "Tỷ lệ hồ sơ giải "
			 "quyết trước hạn và đúng hạn theo tháng");
		for (k = 0; k < s->nmonths; k++) {
			const struct mc_sum_month *m = &s->months[k];
			char label[32];

			snprintf(label, sizeof(label), "Tháng %02d/%d", m->month,
				 m->year);
			pct_vi(m->on_time, m->resolved, text, sizeof(text));
			if (!m->resolved)
				snprintf(text, sizeof(text), "—");
			mc_chart_add(out, label, m->resolved ? (double)
				     m->on_time / (double)m->resolved : -1, 1,
				     text);
		}
		return true;
	}
	if (!strcmp(name, "index766")) {
		snprintf(out->title, sizeof(out->title), "Bộ chỉ số 766: điểm "
			 "theo nhóm chỉ số (trên điểm tối đa tính được)");
		for (k = 0; k < MC_IX_GROUPS; k++) {
			char p[16], m[16];

			snprintf(text, sizeof(text), "%s/%s",
				 points_vi(rep->ix.group_points[k], p,
					   sizeof(p)),
				 points_vi(rep->ix.group_max[k], m, sizeof(m)));
			mc_chart_add(out, mc_ix_groups[k].name,
				     rep->ix.group_max[k] > 0 ?
				     rep->ix.group_points[k] : -1,
				     rep->ix.group_max[k], text);
		}
		points_vi(rep->ix.score, text, sizeof(text));
		mc_chart_add(out, "Tổng điểm (thang 100)", rep->ix.score, 10000,
			     text);
		return true;
	}
	if (!strcmp(name, "online_by_level")) {
		snprintf(out->title, sizeof(out->title), "Tỷ lệ hồ sơ tiếp "
			 "nhận trực tuyến");
		part = offsetof(struct mc_sum_level, online);
		whole = offsetof(struct mc_sum_level, received);
	} else if (!strcmp(name, "on_time_by_level")) {
		snprintf(out->title, sizeof(out->title), "Tỷ lệ hồ sơ giải "
			 "quyết trước hạn và đúng hạn");
		part = offsetof(struct mc_sum_level, on_time);
		whole = offsetof(struct mc_sum_level, resolved);
	} else if (!strcmp(name, "digitized_by_level")) {
		snprintf(out->title, sizeof(out->title), "Tỷ lệ hồ sơ được số "
			 "hóa thành phần hồ sơ, kết quả giải quyết");
		part = offsetof(struct mc_sum_level, digitized);
		whole = offsetof(struct mc_sum_level, received);
	} else {
		return false;
	}
	if (s->centre.received)
		rate_bar(out, "Trung tâm Phục vụ HCC", &s->centre, part, whole);
	for (k = 0; k < MC_SUM_LEVELS; k++)
		if (s->level[k].received)
			rate_bar(out, level_names[k], &s->level[k], part,
				 whole);
	rate_bar(out, "Chung", &s->total, part, whole);
	return true;
}

static bool chart_of(const char *name, struct mc_chart *out, void *arg)
{
	return mc_sum_chart(arg, name, out);
}

int mc_sum_pdf(const struct mc_sum_report *rep, const char *tmpl,
	       int64_t today, struct mc_buf *out, struct mc_err *err)
{
	struct mc_buf md = MC_BUF_INIT(4 << 20);
	struct mc_report_pdf r;
	char title[256];
	int rc;

	if ((rc = mc_sum_render(rep, tmpl, today, &md, err)))
		goto out;
	if (mc_buf_addc(&md, '\0')) {
		rc = mc_error(err, MC_ETOOBIG, "too large");
		goto out;
	}
	snprintf(title, sizeof(title), "Báo cáo %s", rep->title);
	memset(&r, 0, sizeof(r));
	r.governing = rep->heading.governing;
	r.issuer = rep->heading.issuer[0] ? rep->heading.issuer :
		   rep->ix.unit.name;
	r.number = "/BC";
	r.place = rep->heading.place;
	r.at = today;
	r.title = title;
	r.markdown = md.buf;
	r.chart = chart_of;
	r.arg = (void *)(uintptr_t)rep;
	rc = mc_report_pdf(&r, out, err);
out:
	mc_buf_release(&md);
	return rc;
}

/* The levels' figures, in the order they are listed, and their names. */
static const struct {
	const char *prefix, *name;
} sections[] = {
	{ "dossiers", "Toàn bộ" },
	{ "centre", "Tại Trung tâm Phục vụ hành chính công" },
	{ "province", "Cấp tỉnh" },
	{ "district", "Cấp huyện" },
	{ "commune", "Cấp xã" },
};

/* One figure's row: its code, label, value and unit. */
struct fig_row {
	char code[64], label[256];
	bool none;		/* a rate of nothing */
	bool rate;		/* 'v' in hundredths */
	int64_t v;
	const char *unit;
};

static void fig_row(const struct figure *f, const void *base,
		    const char *prefix, const char *section,
		    struct fig_row *r)
{
	const char *p = base;
	int64_t a, b = 0;

	memcpy(&a, p + f->a, sizeof(a));
	if (f->b != NONE)
		memcpy(&b, p + f->b, sizeof(b));
	snprintf(r->code, sizeof(r->code), "%s%s%s", prefix ? prefix : "",
		 prefix ? "." : "", f->key);
	snprintf(r->label, sizeof(r->label), "%s%s%s", section ? section : "",
		 section ? ": " : "", f->label);
	r->none = false;
	r->rate = f->kind == RATE;
	r->unit = f->kind == RATE ? "%" : f->kind == MONEY ? "đồng" : "";
	switch (f->kind) {
	case LESS:
		r->v = a - b;
		break;
	case PLUS:
	case MONEY:
		r->v = a + b;
		break;
	case RATE:
		r->v = mc_ratio(a, b, 10000);
		r->none = r->v < 0;
		break;
	case COUNT:
		r->v = a;
		break;
	}
}

/* Calls 'fn' with every figure's row, the levels' first. */
static int each_figure(const struct mc_sum_report *rep,
		       int (*fn)(const struct fig_row *r, void *arg),
		       void *arg)
{
	const struct mc_summary *s = &rep->s;
	struct fig_row r;
	size_t i, k;
	int rc = 0;

	for (i = 0; i < MC_ARRAY_SIZE(sections) && !rc; i++) {
		const struct mc_sum_level *l = i == 0 ? &s->total : i == 1 ?
			&s->centre : &s->level[i - 2];

		for (k = 0; k < MC_ARRAY_SIZE(level_figures) && !rc; k++) {
			fig_row(&level_figures[k], l, sections[i].prefix,
				sections[i].name, &r);
			rc = fn(&r, arg);
		}
	}
	for (k = 0; k < MC_ARRAY_SIZE(summary_figures) && !rc; k++) {
		fig_row(&summary_figures[k], s, NULL, NULL, &r);
		rc = fn(&r, arg);
	}
	return rc;
}

static int csv_row(const struct fig_row *r, void *arg)
{
	struct mc_buf *b = arg;
	char v[32] = "";

	if (r->rate && !r->none)
		snprintf(v, sizeof(v), "%" PRId64 ",%02d", r->v / 100,
			 (int)(r->v % 100));
	else if (!r->rate)
		snprintf(v, sizeof(v), "%" PRId64, r->v);
	return mc_report_csv_field(b, r->code, false) |
	       mc_report_csv_field(b, r->label, false) |
	       mc_report_csv_field(b, v, false) |
	       mc_report_csv_field(b, r->unit, true);
}

int mc_sum_csv(const struct mc_sum_report *rep, struct mc_buf *out)
{
	return mc_buf_adds(out, "\xEF\xBB\xBF") |
	       mc_report_csv_field(out, "Mã", false) |
	       mc_report_csv_field(out, "Chỉ tiêu", false) |
	       mc_report_csv_field(out, "Giá trị", false) |
	       mc_report_csv_field(out, "Đơn vị", true) |
	       each_figure(rep, csv_row, out);
}

struct sheet {
	lxw_worksheet *ws;
	lxw_format *text, *count, *rate;
	int row;
};

static int sheet_row(const struct fig_row *r, void *arg)
{
	struct sheet *x = arg;

	worksheet_write_string(x->ws, x->row, 0, r->code, x->text);
	worksheet_write_string(x->ws, x->row, 1, r->label, x->text);
	if (r->none)
		worksheet_write_blank(x->ws, x->row, 2, x->rate);
	else
		worksheet_write_number(x->ws, x->row, 2, r->rate ?
			(double)r->v / 100 : (double)r->v, r->rate ? x->rate :
			x->count);
	worksheet_write_string(x->ws, x->row, 3, r->unit, x->text);
	x->row++;
	return 0;
}

static lxw_format *sheet_format(lxw_workbook *wb, bool bold,
				const char *num)
{
	lxw_format *f = workbook_add_format(wb);

	format_set_font_name(f, "Times New Roman");
	format_set_font_size(f, 12);
	format_set_border(f, LXW_BORDER_THIN);
	format_set_text_wrap(f);
	if (bold)
		format_set_bold(f);
	if (num)
		format_set_num_format(f, num);
	return f;
}

static int sum_sheet(const void *arg, const char *path)
{
	const struct mc_sum_report *rep = arg;
	lxw_workbook *wb = workbook_new(path);
	struct sheet x;
	char title[300], f[16], l[16];
	struct mc_ymd a, b;
	lxw_format *head;

	if (!wb)
		return -1;
	x.ws = workbook_add_worksheet(wb, "Số liệu 6 tháng");
	x.text = sheet_format(wb, false, NULL);
	x.count = sheet_format(wb, false, "#,##0");
	x.rate = sheet_format(wb, false, "0.00");
	head = sheet_format(wb, true, NULL);
	worksheet_set_column(x.ws, 0, 0, 30, NULL);
	worksheet_set_column(x.ws, 1, 1, 60, NULL);
	worksheet_set_column(x.ws, 2, 2, 16, NULL);
	worksheet_set_column(x.ws, 3, 3, 8, NULL);
	snprintf(title, sizeof(title), "Số liệu báo cáo %s", rep->title);
	worksheet_write_string(x.ws, 0, 0, title, NULL);
	worksheet_write_string(x.ws, 1, 0, rep->ix.unit.name, NULL);
	a = mc_ymd_from_days(rep->ix.first);
	b = mc_ymd_from_days(rep->ix.last);
	snprintf(f, sizeof(f), "%02d/%02d/%d", a.day, a.month, a.year);
	snprintf(l, sizeof(l), "%02d/%02d/%d", b.day, b.month, b.year);
	snprintf(title, sizeof(title), "Từ ngày %s đến ngày %s", f, l);
	worksheet_write_string(x.ws, 2, 0, title, NULL);
	worksheet_write_string(x.ws, 4, 0, "Mã", head);
	worksheet_write_string(x.ws, 4, 1, "Chỉ tiêu", head);
	worksheet_write_string(x.ws, 4, 2, "Giá trị", head);
	worksheet_write_string(x.ws, 4, 3, "Đơn vị", head);
	x.row = 5;
	each_figure(rep, sheet_row, &x);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

int mc_sum_xlsx(const struct mc_sum_report *rep, struct mc_buf *out,
		struct mc_err *err)
{
	return mc_api_xlsx(sum_sheet, rep, out, err);
}

void mc_sum_title(struct mc_sum_report *rep)
{
	struct mc_ymd f = mc_ymd_from_days(rep->ix.first),
		      l = mc_ymd_from_days(rep->ix.last);
	int32_t days = rep->ix.last - rep->ix.first + 1;

	/* A half, official (15/12 to 14/06) or calendar. */
	if (days >= 181 && days <= 185)
		snprintf(rep->title, sizeof(rep->title), "6 tháng %s năm %d",
			 l.month <= 6 ? "đầu" : "cuối", l.year);
	else
		snprintf(rep->title, sizeof(rep->title), "từ ngày "
			 "%02d/%02d/%d đến ngày %02d/%02d/%d", f.day, f.month,
			 f.year, l.day, l.month, l.year);
}

int mc_sum_template(const char *path, struct mc_buf *t, struct mc_err *err)
{
	const struct mc_embed_file *builtin;

	if (path && !*path)
		path = NULL;

	if (path && mc_buf_read_file(t, path))
		return mc_err_field(err, "template", "read", "cannot read %s: "
				    "%s", path, strerror(errno));
	if (!path && (!(builtin = mc_embed_find("reports/half-year.md")) ||
		      mc_buf_add(t, builtin->data, builtin->len)))
		return mc_error(err, MC_EINTERNAL, "no built-in template");
	if (mc_buf_addc(t, '\0'))
		return mc_err_field(err, "template", "size", "at most 1 MB");
	return 0;
}

int mc_sum_template_check(const char *path, struct mc_err *err)
{
	struct mc_buf t = MC_BUF_INIT(1 << 20), pdf = MC_BUF_INIT(16 << 20);
	struct mc_sum_report *rep = mc_calloc(1, sizeof(*rep));
	int rc;

	/* An empty report: every figure named, every chart drawn. */
	snprintf(rep->title, sizeof(rep->title), "6 tháng đầu năm 2024");
	rc = mc_sum_template(path, &t, err);
	if (!rc)
		rc = mc_sum_pdf(rep, t.buf, 0, &pdf, err);
	mc_buf_release(&t);
	mc_buf_release(&pdf);
	mc_free(rep);
	return rc;
}
