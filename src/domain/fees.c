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
