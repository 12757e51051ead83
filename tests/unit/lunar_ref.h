/*
 * lunar_ref.h - independent reference for the Vietnamese lunisolar
 * calendar (UTC+7), computed from compact solar and lunar theories.
 * Used only by unit tests to cross-check the production implementation.
 * All functions are pure and thread-safe.
 */
#ifndef MC_TESTS_LUNAR_REF_H
#define MC_TESTS_LUNAR_REF_H
/*
 * Gregorian date of lunar (year, month, day, leap) at UTC+7; returns 0 on
 * success, -1 if it does not exist.
 */
int ref_lunar_to_solar(int lyear, int lmonth, int lday, int leap, int *y,
	int *m, int *d);
/* Lunar date of a Gregorian date at UTC+7; returns 0 on success. */
int ref_solar_to_lunar(int y, int m, int d, int *lyear, int *lmonth,
	int *lday, int *leap);
/*
 * Minutes between the decisive astronomical event (new moon or principal
 * term) nearest to a local midnight that affects the given lunar year's
 * month boundaries, for diagnostics; optional, may return -1.
 */
int ref_year_margin_minutes(int lyear);
#endif
