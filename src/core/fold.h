/*
 * fold.h — Unicode normalization (NFC) and search folding of UTF-8 text
 * (utf8proc underneath).
 *
 * Vietnamese text arrives in two forms: precomposed ("ễ" as U+1EC5, what
 * most keyboards type) and decomposed ("e" + U+0302 + U+0303, what macOS
 * file names and some Telex/VNI setups produce). They look the same and
 * compare different, so text that is stored or compared is first put in
 * NFC with mc_text_nfc.
 *
 * Search needs more: a citizen types "cap phieu ly lich" and expects
 * "Cấp Phiếu lý lịch tư pháp". mc_text_fold makes the search key, an
 * accent-free lower-case form with single spaces, and mc_text_fold_match
 * compares two keys word by word.
 */
#ifndef MC_CORE_FOLD_H
#define MC_CORE_FOLD_H

#include "core/compat.h"

/*
 * A copy of s[0..len) in Unicode Normalization Form C, NUL-terminated.
 * Returns NULL when 's' is not valid UTF-8 or contains a NUL byte (which
 * the C string could not carry). The caller frees the result with mc_free.
 */
char *mc_text_nfc(const char *s, size_t len);

/*
 * The search key of s[0..len): compatibility decomposition (NFKD, so
 * full-width letters and ligatures become plain letters), combining marks
 * and default-ignorable characters (soft hyphen, zero-width space)
 * dropped, Unicode case folding, "đ"/"Đ" (and the look-alike "ð"/"Ð")
 * mapped to "d", other control characters dropped, every run of white
 * space (including tabs, line breaks, no-break and punctuation spaces)
 * turned into one ASCII space and none at either end:
 *
 *	"Nguyễn Văn Đức"			-> "nguyen van duc"
 *	"  Cấp  Phiếu lý lịch\ttư pháp "	-> "cap phieu ly lich tu phap"
 *
 * Punctuation is kept. Returns NULL when 's' is not valid UTF-8. The
 * caller frees the result with mc_free.
 */
char *mc_text_fold(const char *s, size_t len);

/*
 * Whether every space-separated word of 'folded_needle' occurs somewhere
 * in 'folded_haystack' as a substring, in any order: "cap phieu ly lich"
 * and "ly lich cap" both match "cap phieu ly lich tu phap". Both strings
 * must already be search keys (mc_text_fold). A needle without words
 * matches everything.
 */
bool mc_text_fold_match(const char *folded_haystack,
			const char *folded_needle);

#endif /* MC_CORE_FOLD_H */
