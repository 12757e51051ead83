/*
 * fees.c — amounts of fees (see fees.h).
 */
#include "core/compat.h"
#include "domain/fees.h"

int64_t mc_fee_discounted(int64_t amount, int percent)
{
	if (percent <= 0)
		return amount;
	if (percent >= 100)
		return 0;
	return (amount * (100 - percent) + 50) / 100;
}

static const char *const digits[] = { "không", "một", "hai", "ba", "bốn",
	"năm", "sáu", "bảy", "tám", "chín" };

/*
 * Words of a group of three digits 'g' (0..999). 'full': a group after a
 * higher one, which reads its hundreds and "lẻ" ("không trăm lẻ năm").
 */
static void group(int g, bool full, char *out, size_t n)
{
	int h = g / 100, t = g / 10 % 10, u = g % 10;
	size_t k = 0;

	out[0] = '\0';
	if (h || full)
		k += (size_t)snprintf(out + k, n - k, "%s trăm", digits[h]);
	if (t == 0 && u == 0)
		return;
	if (t == 0) {
		if (h || full)
			k += (size_t)snprintf(out + k, n - k, " lẻ");
	} else if (t == 1) {
		k += (size_t)snprintf(out + k, n - k, "%smười", k ? " " : "");
	} else {
		k += (size_t)snprintf(out + k, n - k, "%s%s mươi", k ? " " : "",
				      digits[t]);
	}
	if (u == 0)
		return;
	/* "mốt" after mươi, "lăm" after ten, "tư" after mươi. */
	if (u == 1 && t > 1)
		snprintf(out + k, n - k, " mốt");
	else if (u == 5 && t > 0)
		snprintf(out + k, n - k, " lăm");
	else if (u == 4 && t > 1)
		snprintf(out + k, n - k, " tư");
	else
		snprintf(out + k, n - k, "%s%s", k ? " " : "", digits[u]);
}

char *mc_fee_words(int64_t amount, char *buf, size_t n)
{
	static const char *const scales[] = { "", " nghìn", " triệu", " tỷ",
					      " nghìn tỷ" };
	int groups[5], ng = 0, i;
	size_t k = 0;

	if (amount <= 0) {
		snprintf(buf, n, "Không đồng");
		return buf;
	}
	while (amount > 0 && ng < 5) {
		groups[ng++] = (int)(amount % 1000);
		amount /= 1000;
	}
	buf[0] = '\0';
	for (i = ng - 1; i >= 0; i--) {
		char g[96];

		if (!groups[i])
			continue;
		group(groups[i], i < ng - 1, g, sizeof(g));
		k += (size_t)snprintf(buf + k, k < n ? n - k : 0, "%s%s%s",
				      k ? " " : "", g, scales[i]);
	}
	snprintf(buf + k, k < n ? n - k : 0, " đồng");
	/* Capital first letter: every first word here is ASCII or "một". */
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
	return buf;
}

static const struct {
	const char *name, *label;
} categories[] = {
	{ "poor_household", "Hộ nghèo" },
	{ "near_poor_household", "Hộ cận nghèo" },
	{ "meritorious", "Người có công với cách mạng" },
	{ "ethnic_minority", "Đồng bào dân tộc thiểu số ở vùng có điều kiện "
	  "kinh tế - xã hội đặc biệt khó khăn" },
	{ "disabled", "Người khuyết tật" },
	{ "elderly", "Người cao tuổi" },
	{ "child", "Trẻ em" },
};

const char *mc_fee_category_label(const char *name)
{
	size_t i;

	for (i = 0; name && i < MC_ARRAY_SIZE(categories); i++)
		if (!strcmp(categories[i].name, name))
			return categories[i].label;
	return NULL;
}

const char *mc_fee_categories(void)
{
	return "poor_household, near_poor_household, meritorious, "
	       "ethnic_minority, disabled, elderly, child";
}

bool mc_fee_list_has(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	if (!n)
		return false;
	while ((p = strstr(p, name))) {
		if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

bool mc_fee_exemption(const char *exempt, const char *applicant, char *out,
		      size_t n)
{
	const char *p = applicant;

	out[0] = '\0';
	while (p && *p) {
		const char *e = strchr(p, ',');
		size_t k = e ? (size_t)(e - p) : strlen(p);
		char one[64];

		if (k && k < sizeof(one)) {
			memcpy(one, p, k);
			one[k] = '\0';
			if (mc_fee_list_has(exempt, one)) {
				snprintf(out, n, "%s", one);
				return true;
			}
		}
		p = e ? e + 1 : NULL;
	}
	return false;
}

int mc_fee_quantity(const char *quantities, int item)
{
	const char *p = quantities;

	while (p && *p) {
		char *end;
		long i = strtol(p, &end, 10), q;

		if (*end != ':')
			break;
		q = strtol(end + 1, &end, 10);
		if (i == item && q > 0 && q <= INT_MAX)
			return (int)q;
		p = *end == ',' ? end + 1 : NULL;
	}
	return 1;
}
