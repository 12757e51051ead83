/*
 * fuzz_text.c — Unicode text from requests (core/utf8.c mc_utf8_valid,
 * mc_utf8_clean, mc_utf8_trim_partial; core/fold.c mc_text_nfc,
 * mc_text_fold, mc_text_fold_match: every stored name and every search
 * goes through them). The input is split at its first NUL into a
 * haystack and a needle.
 */
#include "fuzz.h"
#include "core/fold.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mc_arena a = MC_ARENA_INIT;
	const uint8_t *nul = memchr(data, 0, size);
	size_t n1 = nul ? (size_t)(nul - data) : size;
	const char *s2 = nul ? (const char *)nul + 1 : "";
	size_t n2 = nul ? size - n1 - 1 : 0;
	char *copy, *clean, *nfc, *f1, *f2, *ff;
	bool valid = mc_utf8_valid((const char *)data, n1);

	clean = mc_utf8_clean(&a, (const char *)data, n1, 64);
	FZ_CHECK(strlen(clean) <= 64);
	FZ_CHECK(mc_utf8_valid(clean, strlen(clean)));
	copy = mc_arena_strndup(&a, (const char *)data, n1);
	(void)mc_utf8_trim_partial(copy);
	nfc = mc_text_nfc((const char *)data, n1);
	if (valid)
		FZ_CHECK(nfc != NULL);
	f1 = mc_text_fold((const char *)data, n1);
	f2 = mc_text_fold(s2, n2);
	if (f1 && f2) {
		(void)mc_text_fold_match(f1, f2);
		/* Folding is idempotent, and a key finds itself. */
		ff = mc_text_fold(f1, strlen(f1));
		FZ_CHECK(ff && strcmp(ff, f1) == 0);
		FZ_CHECK(mc_text_fold_match(f1, f1));
		mc_free(ff);
	}
	mc_free(nfc);
	mc_free(f1);
	mc_free(f2);
	mc_arena_release(&a);
	return 0;
}
