/*
 * fold.c — NFC normalization and search keys; see fold.h.
 *
 * utf8proc_map() would do the work in one call, but it returns memory from
 * the C library allocator, which code outside mem.c must not release (see
 * mem.h). So this module drives the two steps underneath it itself, into
 * buffers from mc_malloc: utf8proc_decompose() turns UTF-8 into an array
 * of code points (decomposed, case-folded, marks stripped, as the options
 * ask), called once to learn the length and once to fill the array; then
 * either utf8proc_reencode() composes and writes UTF-8 back in place
 * (NFC), or the code points are walked here (search keys).
 */
#include "core/compat.h"
#include "core/fold.h"
#include "core/mem.h"

#include <utf8proc.h>

#define NFC_OPTS (UTF8PROC_STABLE | UTF8PROC_COMPOSE)
#define FOLD_OPTS (UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | \
		   UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE)

/*
 * Decomposes s[0..len) with 'opts' into a new array of code points, stored
 * in '*n'. The array has room for the UTF-8 form of its code points and a
 * NUL (four bytes each, plus one), as utf8proc_reencode() needs. Returns
 * NULL when 's' is not valid UTF-8.
 */
static utf8proc_int32_t *decompose(const char *s, size_t len, int opts,
				   size_t *n)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	utf8proc_option_t o = (utf8proc_option_t)opts;
	utf8proc_int32_t *cp;
	utf8proc_ssize_t count, again;

	if (len > PTRDIFF_MAX)
		return NULL;
	count = utf8proc_decompose(u, (utf8proc_ssize_t)len, NULL, 0, o);
	if (count < 0)
		return NULL;
	if ((size_t)count > (SIZE_MAX - 1) / sizeof(*cp))
		mc_panic("text too long to normalize: %zu code points",
			 (size_t)count);
	cp = mc_malloc((size_t)count * sizeof(*cp) + 1);
	again = utf8proc_decompose(u, (utf8proc_ssize_t)len, cp, count, o);
	if (again != count)
		mc_panic("utf8proc_decompose changed its mind: %td then %td",
			 (ptrdiff_t)count, (ptrdiff_t)again);
	*n = (size_t)count;
	return cp;
}

char *mc_text_nfc(const char *s, size_t len)
{
	utf8proc_int32_t *cp;
	utf8proc_ssize_t bytes;
	size_t n;

	if (memchr(s, '\0', len))
		return NULL;
	cp = decompose(s, len, NFC_OPTS, &n);
	if (!cp)
		return NULL;
	/* Composes, then writes the UTF-8 and a NUL over the array. */
	bytes = utf8proc_reencode(cp, (utf8proc_ssize_t)n, NFC_OPTS);
	if (bytes < 0)
		mc_panic("utf8proc_reencode failed: %s",
			 utf8proc_errmsg(bytes));
	return mc_realloc(cp, (size_t)bytes + 1);
}

/* White space of any kind, which folds to one ASCII space. */
static bool is_space(utf8proc_int32_t c)
{
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return true;
	default:
		return (c >= 0x09 && c <= 0x0d) || c == 0x85;
	}
}

char *mc_text_fold(const char *s, size_t len)
{
	utf8proc_int32_t *cp;
	utf8proc_uint8_t *out;
	size_t n, i, o = 0;
	bool space = false;	/* a space is due before the next letter */

	cp = decompose(s, len, FOLD_OPTS, &n);
	if (!cp)
		return NULL;
	out = mc_malloc(n * 4 + 1);
	for (i = 0; i < n; i++) {
		utf8proc_int32_t c = cp[i];

		if (is_space(c)) {
			space = o > 0;
			continue;
		}
		if (utf8proc_category(c) == UTF8PROC_CATEGORY_CC)
			continue;
		/*
		 * Case folding leaves đ (U+0111), which has no decomposition;
		 * ð (U+00F0, from Ð U+00D0) is its look-alike in some fonts
		 * and older input methods.
		 */
		if (c == 0x0111 || c == 0x00f0)
			c = 'd';
		if (space) {
			out[o++] = ' ';
			space = false;
		}
		o += (size_t)utf8proc_encode_char(c, out + o);
	}
	out[o] = '\0';
	mc_free(cp);
	return mc_realloc(out, o + 1);
}

bool mc_text_fold_match(const char *folded_haystack,
			const char *folded_needle)
{
	size_t hlen = strlen(folded_haystack);
	const char *p = folded_needle;

	for (;;) {
		const char *word;

		while (*p == ' ')
			p++;
		if (!*p)
			return true;
		word = p;
		while (*p && *p != ' ')
			p++;
		if (!memmem(folded_haystack, hlen, word, (size_t)(p - word)))
			return false;
	}
}
