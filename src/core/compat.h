/*
 * compat.h — the first include of every .c file in motcua (git's
 * git-compat-util.h, curl's curl_setup.h). It pulls in the C library headers
 * every module uses and defines the few macros shared by all of them.
 */
#ifndef MC_CORE_COMPAT_H
#define MC_CORE_COMPAT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Number of elements of a true array (not a pointer). */
#define MC_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * part / whole × scale rounded half up (scale 10000: hundredths of a
 * percent), or -1 when whole is not positive. For 0 <= part, part ×
 * scale well inside int64 (counts up to 10¹², scale up to 10⁴).
 */
static inline int64_t mc_ratio(int64_t part, int64_t whole, int64_t scale)
{
	return whole > 0 ? (part * scale * 2 + whole) / (2 * whole) : -1;
}

/* Length of a string literal, without its terminating NUL. */
#define MC_STRLEN(s) (sizeof(s) - 1)

/* printf-style format checking. */
#define MC_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

/* Marks a function whose result must not be ignored. */
#define MC_NODISCARD __attribute__((warn_unused_result))

/* Marks a function that does not return. */
#define MC_NORETURN __attribute__((noreturn))

#endif /* MC_CORE_COMPAT_H */
