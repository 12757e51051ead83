/*
 * fuzz.h — what the harnesses share (docs/fuzzing.md). Each fuzz_<name>.c
 * defines LLVMFuzzerTestOneInput; it is linked with libFuzzer in the
 * MC_FUZZ build and with replay.c in every other build.
 */
#ifndef MC_FUZZ_FUZZ_H
#define MC_FUZZ_FUZZ_H

#include "core/compat.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of data[0..n) (caller mc_frees). */
static inline char *fz_str(const uint8_t *data, size_t n)
{
	char *s = mc_malloc(n + 1);

	if (n)
		memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

/*
 * Splits s at the first 'sep' byte: writes a NUL there and returns what
 * follows, or "" (the end of s) when there is none.
 */
static inline char *fz_split(char *s, char sep)
{
	char *p = strchr(s, sep);

	if (!p)
		return s + strlen(s);
	*p = '\0';
	return p + 1;
}

/* An invariant the code under test broke: report and abort (a finding). */
#define FZ_CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz: %s:%d: check failed: %s\n", \
			__FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

#endif /* MC_FUZZ_FUZZ_H */
