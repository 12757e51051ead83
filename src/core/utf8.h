/*
 * utf8.h — UTF-8 checks for text that crosses a boundary: what comes from
 * clients (paths, query strings, headers) and what goes out in JSON
 * (which must be valid UTF-8, or jansson refuses the whole document).
 */
#ifndef MC_CORE_UTF8_H
#define MC_CORE_UTF8_H

#include "core/compat.h"
#include "core/mem.h"

/* Whether s[0..n) is valid UTF-8 (shortest forms, no surrogates). */
bool mc_utf8_valid(const char *s, size_t n);

/*
 * A copy of s[0..n) in the arena with every invalid byte replaced by
 * U+FFFD, at most 'max' bytes long (cut at a character boundary) and
 * NUL-terminated. Arena-owned.
 */
char *mc_utf8_clean(struct mc_arena *a, const char *s, size_t n, size_t max);

/*
 * Shortens the NUL-terminated 's' in place so that it does not end in the
 * middle of a character (after a byte-wise truncation). Returns 's'.
 */
char *mc_utf8_trim_partial(char *s);

#endif /* MC_CORE_UTF8_H */
