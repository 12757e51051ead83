/*
 * index766.c — the 766 index's indicators and scoring (see index766.h).
 */
#include "core/compat.h"
#include "domain/index766.h"

const struct mc_ix_group mc_ix_groups[MC_IX_GROUPS] = {
	{ "CKMB", "Công khai, minh bạch", 1800 },
	{ "TDGQ", "Tiến độ, kết quả giải quyết", 2000 },
	{ "CLGQ", "Cung cấp dịch vụ công trực tuyến", 1200 },
	{ "TTTT", "Thanh toán trực tuyến", 1000 },
	{ "MDHL", "Mức độ hài lòng", 1800 },
	{ "MDSH", "Số hóa hồ sơ", 2200 },
};

#define R MC_IX_RATIO
#define P MC_IX_PROCEDURES
#define D MC_IX_DOSSIERS
#define F MC_IX_FEEDBACK

const struct mc_ix_def mc_ix_defs[MC_IX_COUNT] = {
	{ "1.1", "CKMB", "TTHC công bố đúng hạn", P, R, 400, 10000,
	  { NULL }, { NULL } },
	{ "1.2", "CKMB", "TTHC cập nhật, công khai đúng hạn", P, R, 400,
	  10000, { NULL }, { NULL } },
	{ "1.3", "CKMB", "TTHC công khai đầy đủ các bộ phận tạo thành", P, R,
	  400, 10000, { NULL }, { NULL } },
	{ "1.4", "CKMB", "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG", D, R, 600,
	  10000, { NULL }, { NULL } },
	{ "2.1", "TDGQ", "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn", D, R, 2000,
	  10000, { NULL }, { NULL } },
	{ "2.2", "TDGQ", "Thời gian giải quyết trung bình (ngày làm việc)", D,
	  MC_IX_AVERAGE, 0, 10000, { NULL }, { NULL } },
	{ "3.1", "CLGQ", "TTHC cung cấp dịch vụ công trực tuyến", P, R, 400,
	  8000, { NULL }, { NULL } },
	{ "3.2", "CLGQ", "Dịch vụ công trực tuyến có phát sinh hồ sơ", P, R,
	  400, 10000, { NULL }, { NULL } },
	{ "3.3", "CLGQ", "Tỷ lệ hồ sơ trực tuyến", D, R, 400, 5000, { NULL },
	  { NULL } },
	{ "TTTT-a", "TTTT", "TTHC có nghĩa vụ tài chính được tích hợp thanh "
	  "toán trực tuyến", P, R, 500, 8000, { NULL }, { NULL } },
	{ "TTTT-b", "TTTT", "Tỷ lệ hồ sơ thanh toán trực tuyến", D, R, 500,
	  10000, { NULL }, { NULL } },
	{ "5.1", "MDHL", "PAKN được phân loại", F, R, 300, 10000, { NULL },
	  { NULL } },
	{ "5.2", "MDHL", "Tiến độ xử lý PAKN", F, R, 300, 10000, { NULL },
	  { NULL } },
	{ "5.3", "MDHL", "Mức độ hài lòng về xử lý PAKN", F, MC_IX_LESS, 600,
	  10000, { "disliked", "overdue", "repeated" }, { "không hài lòng "
	  "với trả lời", "xử lý quá hạn", "phản ánh lặp lại" } },
	{ "5.4", "MDHL", "Mức độ hài lòng về tiếp nhận, giải quyết TTHC", D,
	  MC_IX_LESS, 600, 9000, { "overdue", "complained" }, { "quá hạn",
	  "có PAKN hoặc không hài lòng" } },
	{ "4.1", "MDSH", "Hồ sơ có kết quả điện tử", D, R, 500, 10000,
	  { NULL }, { NULL } },
	{ "4.2", "MDSH", "Hồ sơ được số hóa", D, R, 500, 8000, { NULL },
	  { NULL } },
	{ "4.3", "MDSH", "Tái sử dụng dữ liệu số hóa", D, R, 400, 8000,
	  { NULL }, { NULL } },
	{ "4.4", "MDSH", "Số hóa có kết nối kho dữ liệu cá nhân", D, R, 400,
	  10000, { NULL }, { NULL } },
	{ "4.5", "MDSH", "Sử dụng dữ liệu dân cư, tài khoản VNeID", D, R,
	  400, 10000, { NULL }, { NULL } },
};

#undef R
#undef P
#undef D
#undef F

int mc_ix_find(const char *id)
{
	int i;

	for (i = 0; id && i < MC_IX_COUNT; i++)
		if (!strcmp(mc_ix_defs[i].id, id))
			return i;
	return -1;
}

int mc_ix_part_find(int i, const char *part)
{
	int k;

	for (k = 0; part && k < MC_IX_MAX_PARTS && mc_ix_defs[i].parts[k]; k++)
		if (!strcmp(mc_ix_defs[i].parts[k], part))
			return k;
	return -1;
}

void mc_ix_weights_default(struct mc_ix_weights *w)
{
	int i;

	for (i = 0; i < MC_IX_COUNT; i++) {
		w->weight[i] = mc_ix_defs[i].weight;
		w->threshold[i] = mc_ix_defs[i].threshold;
	}
}

/*
 * A decimal with at most two places, "6", "6.5", "6.25", into hundredths
 * within [lo, hi]; the end of what was read, or NULL.
 */
static const char *hundredths(const char *s, int lo, int hi, int *out)
{
	int v = 0, d = 0, places = 0;

	if (*s < '0' || *s > '9')
		return NULL;
	while (*s >= '0' && *s <= '9' && d < 4) {
		v = v * 10 + (*s++ - '0');
		d++;
	}
	if (*s >= '0' && *s <= '9')
		return NULL;
	v *= 100;
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9' && places < 2)
			v += (*s++ - '0') * (places++ ? 1 : 10);
		if (!places || (*s >= '0' && *s <= '9'))
			return NULL;
	}
	if (v < lo || v > hi)
		return NULL;
	*out = v;
	return s;
}

int mc_ix_config_parse(struct mc_ix_weights *w, const char *key,
		       const char *s, struct mc_err *err)
{
	struct mc_ix_weights n = *w;
	const char *p = s, *e;
	char id[16];
	int i, v;

	while (p && *p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		e = strchr(p, '=');
		if (!e || e == p || (size_t)(e - p) >= sizeof(id))
			return mc_err_field(err, key, "format", "expected "
					    "ID=POINTS[:THRESHOLD%%] near "
					    "\"%.20s\"", p);
		memcpy(id, p, (size_t)(e - p));
		id[e - p] = '\0';
		if ((i = mc_ix_find(id)) < 0)
			return mc_err_field(err, key, "enum", "no indicator "
					    "\"%s\" in the 766 index", id);
		if (!(p = hundredths(e + 1, 0, 10000, &v)))
			return mc_err_field(err, key, "range", "the points of "
					    "%s: 0 to 100, two decimals at "
					    "most", id);
		n.weight[i] = v;
		if (*p == ':') {
			if (!(p = hundredths(p + 1, 100, 10000, &v)))
				return mc_err_field(err, key, "range", "the "
						    "threshold of %s: 1 to "
						    "100 (percent)", id);
			n.threshold[i] = v;
		}
		if (*p && *p != ' ')
			return mc_err_field(err, key, "format", "expected "
					    "ID=POINTS[:THRESHOLD%%] near "
					    "\"%.20s\"", e + 1);
	}
	*w = n;
	return 0;
}

void mc_ix_score(int i, const struct mc_ix_count *n,
		 const struct mc_ix_weights *w, struct mc_ix_score *out)
{
	const struct mc_ix_def *d = &mc_ix_defs[i];
	int64_t num = n->numerator, rate;
	int k;

	memset(out, 0, sizeof(*out));
	out->rate = out->points = -1;
	out->average = d->form == MC_IX_AVERAGE && n->available ?
		(int)mc_ratio(n->numerator, n->denominator, 100) : -1;
	if (d->form == MC_IX_LESS) {
		num = n->denominator;
		for (k = 0; k < MC_IX_MAX_PARTS; k++)
			num -= n->parts[k];
		if (num < 0)
			num = 0;
	}
	out->numerator = num;
	if (!n->available || n->denominator <= 0 || d->form == MC_IX_AVERAGE)
		return;
	if (num > n->denominator)	/* a bug upstream; never above 100 % */
		num = n->denominator;
	rate = mc_ratio(num, n->denominator, 10000);
	out->rate = (int)rate;
	out->max = w->weight[i];
	out->points = rate >= w->threshold[i] ? w->weight[i] :
		(int)mc_ratio(rate, w->threshold[i], w->weight[i]);
}
