/*
 * utf8.c — UTF-8 validation and cleaning; see utf8.h.
 */
#include "core/compat.h"
#include "core/mem.h"
#include "core/utf8.h"

/* Length of the valid sequence at s[0..n), or 0 when it is invalid. */
static size_t seq_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, k;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

bool mc_utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t l = seq_len(u + i, n - i);

		if (!l)
			return false;
		i += l;
	}
	return true;
}

char *mc_utf8_clean(struct mc_arena *a, const char *s, size_t n, size_t max)
{
	static const char repl[] = "\xef\xbf\xbd";	/* U+FFFD */
	const unsigned char *u = (const unsigned char *)s;
	char *out = mc_arena_alloc(a, (n < max ? n : max) * 3 + 1);
	size_t i = 0, o = 0;

	while (i < n) {
		size_t l = seq_len(u + i, n - i);

		if (!l) {
			if (o + 3 > max)
				break;
			memcpy(out + o, repl, 3);
			o += 3;
			i++;
			continue;
		}
		if (o + l > max)
			break;
		memcpy(out + o, s + i, l);
		o += l;
		i += l;
	}
	out[o] = '\0';
	return out;
}

char *mc_utf8_trim_partial(char *s)
{
	size_t n = strlen(s), i = n;

	/* Back over the continuation bytes at the end (at most three). */
	while (i > 0 && n - i < 3 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0)
		return s;
	i--;			/* the lead byte, or the last byte */
	if ((unsigned char)s[i] >= 0x80 &&
	    seq_len((const unsigned char *)s + i, n - i) != n - i)
		s[i] = '\0';
	return s;
}
