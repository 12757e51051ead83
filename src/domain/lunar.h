/*
 * lunar.h — the Vietnamese lunisolar calendar (âm lịch).
 *
 * Computed astronomically for the meridian of 105°E (UTC+7), as Vietnam has
 * done since 1968: a month starts on the local day of a new moon; month 11
 * is the month holding the winter solstice; in a year with 13 months the
 * first month after month 11 without a principal solar term is the leap
 * month and repeats the number of the month before it. The Chinese calendar
 * computes the same rules at UTC+8, so Tết can differ by a day or a month
 * (1985, 2007, 2030): never substitute a Chinese table.
 *
 * New moons follow Meeus, Astronomical Algorithms, ch. 49; the Sun's
 * apparent longitude ch. 25 with the main nutation terms; dynamical time is
 * turned into UT with the Espenak–Meeus ΔT polynomials. Supported: lunar
 * years 1900–2199, i.e. solar days from the lunar new year of 1900
 * (1900-01-31) to 2199-12-31. For the years before 1968 the result is the
 * UTC+7 computation, not the UTC+8 calendar then used in the South.
 *
 * The functions are pure and thread-safe.
 */
#ifndef MC_DOMAIN_LUNAR_H
#define MC_DOMAIN_LUNAR_H

#include "core/compat.h"

#define MC_LUNAR_FIRST_YEAR 1900
#define MC_LUNAR_LAST_YEAR 2199

struct mc_lunar_date {
	int year;		/* lunar year, named by its solar year of Tết */
	int month;		/* 1..12 */
	int day;		/* 1..30 */
	bool leap;		/* in the leap (nhuận) month */
};

/*
 * Lunar date of solar day number 'day' (see core/timeutil.h). Returns 0 or
 * MC_ERANGE outside the supported range.
 */
int mc_lunar_from_solar(int32_t day, struct mc_lunar_date *out);

/*
 * Solar day number of a lunar date. Returns 0; MC_EINVAL when the date does
 * not exist (day 30 of a 29-day month, a leap month the year has not);
 * MC_ERANGE outside the supported range.
 */
int mc_lunar_to_solar(const struct mc_lunar_date *ld, int32_t *day);

/* The leap month of a lunar year (1..12), or 0 when it has none. */
int mc_lunar_leap_month(int lyear);

/* Days (29 or 30) in a month, or 0 when the month does not exist. */
int mc_lunar_month_length(int lyear, int month, bool leap);

/*
 * The Vietnamese name of a lunar year in the sexagenary cycle ("Bính Ngọ"
 * for 2026) into 'buf'; returns 'buf'.
 */
char *mc_lunar_year_name(int lyear, char *buf, size_t n);

#endif /* MC_DOMAIN_LUNAR_H */
