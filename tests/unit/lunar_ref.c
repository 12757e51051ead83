/*
 * lunar_ref.c - independent reference computation of the Vietnamese
 * lunisolar calendar (time zone UTC+7), for cross-checking the production
 * implementation in unit tests.
 *
 * Method.  Nothing here uses a ready-made new-moon formula.  Instead:
 *
 *  - The Sun's apparent geocentric ecliptic longitude comes from a
 *    truncated VSOP87 series for the Earth's heliocentric longitude
 *    (the abridged terms printed in Meeus, "Astronomical Algorithms",
 *    2nd ed., ch. 25 / appendix III), plus the FK5 correction, the main
 *    nutation terms (ch. 22) and the annual aberration.  Error about 1
 *    arcsecond, i.e. under half a minute in the time of a solar term.
 *  - The Moon's ecliptic longitude comes from the periodic terms of
 *    Meeus ch. 47 (table 47.A, longitude column, with the A1/A2 and
 *    L'-F additive terms).  Error about 10 arcseconds, i.e. well under a
 *    minute in the time of a new moon.
 *  - Each new moon is found by root-finding (secant method) the
 *    elongation Moon - Sun = 0 (mod 360 deg), starting from the mean
 *    lunation.  Each winter solstice is found the same way on the Sun's
 *    longitude = 270 deg.  Whether a month contains a principal term
 *    (Sun longitude a multiple of 30 deg) is decided by comparing the
 *    Sun's longitude at the local midnights that open and close the month,
 *    which is exactly equivalent to comparing local dates; the margin
 *    diagnostic root-finds the principal terms themselves.
 *  - Dynamical time is converted to UT with the Espenak-Meeus polynomial
 *    expressions for Delta T (valid well over 1899-2201).
 *
 * Calendar rules (local dates at UTC+7):
 *  - a lunar month starts on the local date of a new moon;
 *  - month 11 is the month containing the winter solstice;
 *  - if 13 months start between one month 11 (inclusive) and the next
 *    (exclusive), the first month after month 11 that contains no
 *    principal term is a leap month carrying the preceding number;
 *  - Tet (lunar new year) is the start of month 1.
 *
 * Checked against the Swiss Ephemeris (Moshier theories) over 1899-2201:
 * new moons agree within 0.3 min, principal terms within 0.5 min (both in
 * TT).  In UT the error is then dominated by Delta T, which is known to a
 * few seconds up to the present but may be off by minutes by 2200.
 *
 * Nothing is kept between calls (each call keeps the new moons it has
 * computed in a small table on its own stack), so the functions are pure
 * and thread-safe.  A call costs about 0.05 ms.  Supported lunar years
 * 1899-2200 and Gregorian years 1899-2200; outside, -1 is returned.
 */
#include "lunar_ref.h"

#include <math.h>

#define LR_PI 3.14159265358979323846
#define LR_DEG (LR_PI / 180.0)
#define LR_J2000 2451545.0
#define LR_TZ (7.0 / 24.0)
#define LR_SYNODIC 29.530588861
#define LR_NM_EPOCH 2451550.09766
#define LR_MIN_YEAR 1899
#define LR_MAX_YEAR 2200

/*
 * Earth's heliocentric longitude, truncated VSOP87: rows are
 * { A (1e-8 rad), B (rad), C (rad per Julian millennium) }, term value
 * A cos(B + C tau), L = L0 + L1 tau + L2 tau^2 + L3 tau^3.  Since
 * |tau| <= 0.2 over 1899-2201, the small L1 terms, most of L2/L3 and all
 * of L4/L5 are dropped (together well under 0.1 arcsecond).
 */
static const double vsop_l0[][3] = {
	{ 175347046.0, 0.0, 0.0 },
	{ 3341656.0, 4.6692568, 6283.0758500 },
	{ 34894.0, 4.62610, 12566.15170 },
	{ 3497.0, 2.7441, 5753.3849 },
	{ 3418.0, 2.8289, 3.5231 },
	{ 3136.0, 3.6277, 77713.7715 },
	{ 2676.0, 4.4181, 7860.4194 },
	{ 2343.0, 6.1352, 3930.2097 },
	{ 1324.0, 0.7425, 11506.7698 },
	{ 1273.0, 2.0371, 529.6910 },
	{ 1199.0, 1.1096, 1577.3435 },
	{ 990.0, 5.233, 5884.927 },
	{ 902.0, 2.045, 26.298 },
	{ 857.0, 3.508, 398.149 },
	{ 780.0, 1.179, 5223.694 },
	{ 753.0, 2.533, 5507.553 },
	{ 505.0, 4.583, 18849.228 },
	{ 492.0, 4.205, 775.523 },
	{ 357.0, 2.920, 0.067 },
	{ 317.0, 5.849, 11790.629 },
	{ 284.0, 1.899, 796.298 },
	{ 271.0, 0.315, 10977.079 },
	{ 243.0, 0.345, 5486.778 },
	{ 206.0, 4.806, 2544.314 },
	{ 205.0, 1.869, 5573.143 },
	{ 202.0, 2.458, 6069.777 },
	{ 156.0, 0.833, 213.299 },
	{ 132.0, 3.411, 2942.463 },
	{ 126.0, 1.083, 20.775 },
	{ 115.0, 0.645, 0.980 },
	{ 103.0, 0.636, 4694.003 },
	{ 102.0, 0.976, 15720.839 },
	{ 102.0, 4.267, 7.114 },
	{ 99.0, 6.21, 2146.17 },
	{ 98.0, 0.68, 155.42 },
	{ 86.0, 5.98, 161000.69 },
	{ 85.0, 1.30, 6275.96 },
	{ 85.0, 3.67, 71430.70 },
	{ 80.0, 1.81, 17260.15 },
	{ 79.0, 3.04, 12036.46 },
	{ 75.0, 1.76, 5088.63 },
	{ 74.0, 3.50, 3154.69 },
	{ 74.0, 4.68, 801.82 },
	{ 70.0, 0.83, 9437.76 },
	{ 62.0, 3.98, 8827.39 },
	{ 61.0, 1.82, 7084.90 },
	{ 57.0, 2.78, 6286.60 },
	{ 56.0, 4.39, 14143.50 },
	{ 56.0, 3.47, 6279.55 },
	{ 52.0, 0.19, 12139.55 },
	{ 52.0, 1.33, 1748.02 },
	{ 51.0, 0.28, 5856.48 },
	{ 49.0, 0.49, 1194.45 },
	{ 41.0, 5.37, 8429.24 },
	{ 41.0, 2.40, 19651.05 },
	{ 39.0, 6.17, 10447.39 },
	{ 37.0, 6.04, 10213.29 },
	{ 37.0, 2.57, 1059.38 },
	{ 36.0, 1.71, 2352.87 },
	{ 36.0, 1.78, 6812.77 },
	{ 33.0, 0.59, 17789.85 },
	{ 30.0, 0.44, 83996.85 },
	{ 30.0, 2.74, 1349.87 },
	{ 25.0, 3.16, 4690.48 }
};

static const double vsop_l1[][3] = {
	{ 628331966747.0, 0.0, 0.0 },
	{ 206059.0, 2.678235, 6283.075850 },
	{ 4303.0, 2.6351, 12566.1517 },
	{ 425.0, 1.590, 3.523 },
	{ 119.0, 5.796, 26.298 },
	{ 109.0, 2.966, 1577.344 },
	{ 93.0, 2.59, 18849.23 },
	{ 72.0, 1.14, 529.69 },
	{ 68.0, 1.87, 398.15 },
	{ 67.0, 4.41, 5507.55 },
	{ 59.0, 2.89, 5223.69 },
	{ 56.0, 2.17, 155.42 },
	{ 45.0, 0.40, 796.30 },
	{ 36.0, 0.47, 775.52 },
	{ 29.0, 2.65, 7.11 },
	{ 21.0, 5.34, 0.98 }
};

static const double vsop_l2[][3] = {
	{ 52919.0, 0.0, 0.0 },
	{ 8720.0, 1.0721, 6283.0758 },
	{ 309.0, 0.867, 12566.152 }
};

static const double vsop_l3[][3] = {
	{ 289.0, 5.844, 6283.076 },
	{ 35.0, 0.0, 0.0 }
};

/* Earth-Sun distance, only needed for the aberration (1e-8 AU). */
static const double vsop_r0[][3] = {
	{ 100013989.0, 0.0, 0.0 },
	{ 1670700.0, 3.0984635, 6283.0758500 },
	{ 13956.0, 3.05525, 12566.15170 },
	{ 3084.0, 5.1985, 77713.7715 },
	{ 1628.0, 1.1739, 5753.3849 },
	{ 1576.0, 2.8469, 7860.4194 }
};

static const double vsop_r1[][3] = {
	{ 103019.0, 1.107490, 6283.075850 },
	{ 1721.0, 1.0644, 12566.1517 },
	{ 702.0, 3.142, 0.0 }
};

/*
 * Moon's longitude, periodic terms: multiples of D, M, M', F and the
 * coefficient of the sine in 1e-6 degree.  Terms containing M are
 * multiplied by E (|M| = 1) or E^2 (|M| = 2).
 */
static const int moon_terms[][5] = {
	{ 0, 0, 1, 0, 6288774 },
	{ 2, 0, -1, 0, 1274027 },
	{ 2, 0, 0, 0, 658314 },
	{ 0, 0, 2, 0, 213618 },
	{ 0, 1, 0, 0, -185116 },
	{ 0, 0, 0, 2, -114332 },
	{ 2, 0, -2, 0, 58793 },
	{ 2, -1, -1, 0, 57066 },
	{ 2, 0, 1, 0, 53322 },
	{ 2, -1, 0, 0, 45758 },
	{ 0, 1, -1, 0, -40923 },
	{ 1, 0, 0, 0, -34720 },
	{ 0, 1, 1, 0, -30383 },
	{ 2, 0, 0, -2, 15327 },
	{ 0, 0, 1, 2, -12528 },
	{ 0, 0, 1, -2, 10980 },
	{ 4, 0, -1, 0, 10675 },
	{ 0, 0, 3, 0, 10034 },
	{ 4, 0, -2, 0, 8548 },
	{ 2, 1, -1, 0, -7888 },
	{ 2, 1, 0, 0, -6766 },
	{ 1, 0, -1, 0, -5163 },
	{ 1, 1, 0, 0, 4987 },
	{ 2, -1, 1, 0, 4036 },
	{ 2, 0, 2, 0, 3994 },
	{ 4, 0, 0, 0, 3861 },
	{ 2, 0, -3, 0, 3665 },
	{ 0, 1, -2, 0, -2689 },
	{ 2, 0, -1, 2, -2602 },
	{ 2, -1, -2, 0, 2390 },
	{ 1, 0, 1, 0, -2348 },
	{ 2, -2, 0, 0, 2236 },
	{ 0, 1, 2, 0, -2120 },
	{ 0, 2, 0, 0, -2069 },
	{ 2, -2, -1, 0, 2048 },
	{ 2, 0, 1, -2, -1773 },
	{ 2, 0, 0, 2, -1595 },
	{ 4, -1, -1, 0, 1215 },
	{ 0, 0, 2, 2, -1110 },
	{ 3, 0, -1, 0, -892 },
	{ 2, 1, 1, 0, -810 },
	{ 4, -1, -2, 0, 759 },
	{ 0, 2, -1, 0, -713 },
	{ 2, 2, -1, 0, -700 },
	{ 2, 1, -2, 0, 691 },
	{ 2, -1, 0, -2, 596 },
	{ 4, 0, 1, 0, 549 },
	{ 0, 0, 4, 0, 537 },
	{ 4, -1, 0, 0, 520 },
	{ 1, 0, -2, 0, -487 },
	{ 2, 1, 0, -2, -399 },
	{ 0, 0, 2, -2, -381 },
	{ 1, 1, 1, 0, 351 },
	{ 3, 0, -2, 0, -340 },
	{ 4, 0, -3, 0, 330 },
	{ 2, -1, 2, 0, 327 },
	{ 0, 2, 1, 0, -323 },
	{ 1, 1, -1, 0, 299 },
	{ 2, 0, 3, 0, 294 }
};

#define LR_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Reduce an angle in degrees to [0, 360). */
static double norm360(double x)
{
	x = fmod(x, 360.0);
	if (x < 0.0)
		x += 360.0;
	return x;
}

/* Reduce an angle in degrees to [-180, 180). */
static double norm180(double x)
{
	return norm360(x + 180.0) - 180.0;
}

static double vsop_sum(const double (*t)[3], int n, double tau)
{
	double s = 0.0;
	int i;

	for (i = 0; i < n; i++)
		s += t[i][0] * cos(t[i][1] + t[i][2] * tau);
	return s;
}

/* Nutation in longitude, degrees (Meeus ch. 22, 0.5" accuracy). */
static double nutation_lon(double t)
{
	double om = (125.04452 - 1934.136261 * t) * LR_DEG;
	double ls = (280.4665 + 36000.7698 * t) * LR_DEG;
	double lm = (218.3165 + 481267.8813 * t) * LR_DEG;

	return (-17.20 * sin(om) - 1.32 * sin(2.0 * ls)
		- 0.23 * sin(2.0 * lm) + 0.21 * sin(2.0 * om)) / 3600.0;
}

/*
 * Sun's geocentric longitude referred to the mean equinox of date,
 * including aberration but not nutation, in degrees.  t in Julian
 * centuries of TT from J2000.
 */
static double sun_lon_no_nut(double t)
{
	double tau = t / 10.0;
	double l, r;

	l = vsop_sum(vsop_l3, LR_COUNT(vsop_l3), tau);
	l = l * tau + vsop_sum(vsop_l2, LR_COUNT(vsop_l2), tau);
	l = l * tau + vsop_sum(vsop_l1, LR_COUNT(vsop_l1), tau);
	l = l * tau + vsop_sum(vsop_l0, LR_COUNT(vsop_l0), tau);
	l = l / 1e8 / LR_DEG + 180.0;
	r = vsop_sum(vsop_r1, LR_COUNT(vsop_r1), tau) * tau
		+ vsop_sum(vsop_r0, LR_COUNT(vsop_r0), tau);
	r /= 1e8;
	/* FK5 frame correction and annual aberration. */
	return l - 0.09033 / 3600.0 - 20.4898 / 3600.0 / r;
}

/* Julian centuries of TT from J2000. */
static double centuries(double jde)
{
	return (jde - LR_J2000) / 36525.0;
}

/* Sun's apparent longitude in degrees, [0, 360), at Julian Ephemeris Day. */
static double sun_apparent(double jde)
{
	double t = centuries(jde);

	return norm360(sun_lon_no_nut(t) + nutation_lon(t));
}

/* cos(n x) and sin(n x) for n = 0..nmax, by repeated rotation. */
static void harmonics(double x, int nmax, double *c, double *s)
{
	int n;

	c[0] = 1.0;
	s[0] = 0.0;
	c[1] = cos(x);
	s[1] = sin(x);
	for (n = 2; n <= nmax; n++) {
		c[n] = c[n - 1] * c[1] - s[n - 1] * s[1];
		s[n] = s[n - 1] * c[1] + c[n - 1] * s[1];
	}
}

/*
 * Moon's geocentric longitude (mean equinox of date), degrees, from the
 * first nterms terms of the table.  The sine of each argument is built from
 * harmonics of D, M, M' and F instead of calling sin() per term.
 */
static double moon_lon(double t, int nterms)
{
	double t2 = t * t, t3 = t2 * t, t4 = t3 * t;
	double lp, f, a1, a2, e, s, term, zc, zs, cn, sn, rc;
	double hc[4][5], hs[4][5];
	int i, j, n;

	lp = norm360(218.3164477 + 481267.88123421 * t - 0.0015786 * t2
		+ t3 / 538841.0 - t4 / 65194000.0);
	harmonics(norm360(297.8501921 + 445267.1114034 * t
		- 0.0018819 * t2 + t3 / 545868.0 - t4 / 113065000.0)
		* LR_DEG, 4, hc[0], hs[0]);
	harmonics(norm360(357.5291092 + 35999.0502909 * t
		- 0.0001536 * t2 + t3 / 24490000.0) * LR_DEG, 2,
		hc[1], hs[1]);
	harmonics(norm360(134.9633964 + 477198.8675055 * t
		+ 0.0087414 * t2 + t3 / 69699.0 - t4 / 14712000.0)
		* LR_DEG, 4, hc[2], hs[2]);
	f = norm360(93.2720950 + 483202.0175233 * t - 0.0036539 * t2
		- t3 / 3526000.0 + t4 / 863310000.0);
	harmonics(f * LR_DEG, 2, hc[3], hs[3]);
	a1 = norm360(119.75 + 131.849 * t);
	a2 = norm360(53.09 + 479264.290 * t);
	e = 1.0 - 0.002516 * t - 0.0000074 * t2;

	s = 0.0;
	for (i = 0; i < nterms; i++) {
		/* exp(i (j1 D + j2 M + j3 M' + j4 F)), one factor at a time */
		zc = 1.0;
		zs = 0.0;
		for (j = 0; j < 4; j++) {
			n = moon_terms[i][j];
			if (n == 0)
				continue;
			cn = hc[j][n < 0 ? -n : n];
			sn = n < 0 ? -hs[j][-n] : hs[j][n];
			rc = zc * cn - zs * sn;
			zs = zc * sn + zs * cn;
			zc = rc;
		}
		term = moon_terms[i][4] * zs;
		n = moon_terms[i][1];
		if (n == 1 || n == -1)
			term *= e;
		else if (n == 2 || n == -2)
			term *= e * e;
		s += term;
	}
	s += 3958.0 * sin(a1 * LR_DEG) + 1962.0 * sin((lp - f) * LR_DEG)
		+ 318.0 * sin(a2 * LR_DEG);
	return lp + s / 1e6;
}

/* Full-accuracy Moon longitude. */
static double moon_lon_no_nut(double t)
{
	return moon_lon(t, LR_COUNT(moon_terms));
}

/*
 * Low-accuracy elongation (about 0.1 deg), used only to get near a new
 * moon cheaply: the 13 largest lunar terms, and the Sun from its mean
 * longitude and equation of the centre.
 */
static double elongation_rough(double t)
{
	double m = (357.52911 + 35999.05029 * t) * LR_DEG;
	double sun = 280.46646 + 36000.76983 * t + 1.914602 * sin(m)
		+ 0.019993 * sin(2.0 * m) - 0.00569;

	return norm180(moon_lon(t, 13) - sun);
}

/*
 * Rate of the Sun's longitude in degrees per day, from the mean motion and
 * the derivative of the equation of the centre (good to ~1e-4 deg/day).
 */
static double sun_rate(double t)
{
	double m = (357.52911 + 35999.05029 * t) * LR_DEG;

	return 0.98564736 + (1.914602 * cos(m) + 0.039986 * cos(2.0 * m))
		* 0.98560028 * LR_DEG;
}

/* Delta T = TT - UT in seconds (Espenak & Meeus polynomials). */
static double delta_t(double year)
{
	double t, u;

	if (year < 1900.0) {
		t = year - 1860.0;
		return 7.62 + t * (0.5737 + t * (-0.251754 + t * (0.01680668
			+ t * (-0.0004473624 + t / 233174.0))));
	}
	if (year < 1920.0) {
		t = year - 1900.0;
		return -2.79 + t * (1.494119 + t * (-0.0598939
			+ t * (0.0061966 - 0.000197 * t)));
	}
	if (year < 1941.0) {
		t = year - 1920.0;
		return 21.20 + t * (0.84493 + t * (-0.076100
			+ 0.0020936 * t));
	}
	if (year < 1961.0) {
		t = year - 1950.0;
		return 29.07 + t * (0.407 + t * (-1.0 / 233.0
			+ t / 2547.0));
	}
	if (year < 1986.0) {
		t = year - 1975.0;
		return 45.45 + t * (1.067 + t * (-1.0 / 260.0
			- t / 718.0));
	}
	if (year < 2005.0) {
		t = year - 2000.0;
		return 63.86 + t * (0.3345 + t * (-0.060374 + t * (0.0017275
			+ t * (0.000651814 + 0.00002373599 * t))));
	}
	if (year < 2050.0) {
		t = year - 2000.0;
		return 62.92 + t * (0.32217 + 0.005589 * t);
	}
	u = (year - 1820.0) / 100.0;
	if (year < 2150.0)
		return -20.0 + 32.0 * u * u - 0.5628 * (2150.0 - year);
	return -20.0 + 32.0 * u * u;
}

static double jd_year(double jd)
{
	return 2000.0 + (jd - LR_J2000) / 365.25;
}

static double tt_to_ut(double jde)
{
	return jde - delta_t(jd_year(jde)) / 86400.0;
}

static double ut_to_tt(double jd)
{
	return jd + delta_t(jd_year(jd)) / 86400.0;
}

/* Local (UTC+7) civil date, as a Julian Day Number, of a UT instant. */
static long local_jdn(double jd_ut)
{
	return (long)floor(jd_ut + 0.5 + LR_TZ);
}

/* UT instant of the local midnight that opens local day jdn. */
static double local_midnight_ut(long jdn)
{
	return (double)jdn - 0.5 - LR_TZ;
}

/* Julian Day Number of a proleptic Gregorian date. */
static long ymd_to_jdn(int y, int m, int d)
{
	long a = (14 - m) / 12;
	long yy = (long)y + 4800 - a;
	long mm = (long)m + 12 * a - 3;

	return d + (153 * mm + 2) / 5 + 365 * yy + yy / 4 - yy / 100
		+ yy / 400 - 32045;
}

static void jdn_to_ymd(long jdn, int *y, int *m, int *d)
{
	long a = jdn + 32044;
	long b = (4 * a + 3) / 146097;
	long c = a - 146097 * b / 4;
	long e = (4 * c + 3) / 1461;
	long f = c - 1461 * e / 4;
	long g = (5 * f + 2) / 153;

	*d = (int)(f - (153 * g + 2) / 5 + 1);
	*m = (int)(g + 3 - 12 * (g / 10));
	*y = (int)(100 * b + e - 4800 + g / 10);
}

/*
 * New moon number k (k = 0 near 2000-01-06), as a JDE.  Secant iteration
 * on a rough elongation from the mean lunation gets within about ten
 * minutes; two secant steps with the full series finish it.  Over those
 * few minutes the Sun is taken as linear in time (full longitude at the
 * rough root, rate from the equation of the centre), which costs under
 * 0.01 arcsecond.
 */
static double new_moon_tt(long k)
{
	double t0 = LR_NM_EPOCH + LR_SYNODIC * (double)k;
	double f0 = elongation_rough(centuries(t0));
	double t1 = t0 - f0 / 12.19;
	double f1, t2, ta, sa, rate;
	int i;

	for (i = 0; i < 12; i++) {
		f1 = elongation_rough(centuries(t1));
		if (f1 == f0)
			break;
		t2 = t1 - f1 * (t1 - t0) / (f1 - f0);
		t0 = t1;
		f0 = f1;
		t1 = t2;
		if (fabs(t1 - t0) < 1e-4)
			break;
	}
	ta = t1;
	sa = sun_lon_no_nut(centuries(ta));
	rate = sun_rate(centuries(ta));
	t0 = ta;
	f0 = norm180(moon_lon_no_nut(centuries(t0)) - sa);
	t1 = t0 - f0 / 12.19;
	f1 = norm180(moon_lon_no_nut(centuries(t1)) - sa - rate * (t1 - ta));
	if (f1 == f0)
		return t1;
	return t1 - f1 * (t1 - t0) / (f1 - f0);
}

/* JDE at which the Sun's apparent longitude equals lon, near jde. */
static double solar_term_tt(double lon, double jde)
{
	double t0 = jde;
	double f0 = norm180(sun_apparent(t0) - lon);
	double t1 = t0 - f0 / 0.98565;
	double f1, t2;
	int i;

	for (i = 0; i < 12; i++) {
		f1 = norm180(sun_apparent(t1) - lon);
		if (f1 == f0)
			break;
		t2 = t1 - f1 * (t1 - t0) / (f1 - f0);
		t0 = t1;
		f0 = f1;
		t1 = t2;
		if (fabs(t1 - t0) < 1e-6)
			break;
	}
	return t1;
}

/* UT instant of the winter solstice of Gregorian year g. */
static double solstice_ut(int g)
{
	double guess = (double)ymd_to_jdn(g, 12, 21);

	return tt_to_ut(solar_term_tt(270.0, guess));
}

/* Sun's apparent longitude at the local midnight opening local day jdn. */
static double sun_at_midnight(long jdn)
{
	return sun_apparent(ut_to_tt(local_midnight_ut(jdn)));
}

/*
 * New moons computed during one public call, indexed by lunation number
 * relative to the first one asked for.  Lives on the caller's stack.
 */
#define LR_CACHE 64

struct lr_moons {
	long base;
	int ready;
	unsigned char have[LR_CACHE];
	double ut[LR_CACHE];
};

static void moons_init(struct lr_moons *c)
{
	int i;

	c->base = 0;
	c->ready = 0;
	for (i = 0; i < LR_CACHE; i++)
		c->have[i] = 0;
}

/* UT instant of new moon k. */
static double new_moon_ut(struct lr_moons *c, long k)
{
	long i;

	if (!c->ready) {
		c->base = k - LR_CACHE / 2;
		c->ready = 1;
	}
	i = k - c->base;
	if (i < 0 || i >= LR_CACHE)
		return tt_to_ut(new_moon_tt(k));
	if (!c->have[i]) {
		c->ut[i] = tt_to_ut(new_moon_tt(k));
		c->have[i] = 1;
	}
	return c->ut[i];
}

/*
 * One "sui": the months from the month 11 that contains the winter
 * solstice of Gregorian year g up to (excluding) the next month 11.
 */
struct lr_sui {
	int g;
	int n;			/* 12 or 13 months */
	int leap_at;		/* index of the leap month, 0 if none */
	long k0;		/* new moon number opening month 11 */
	long start[14];		/* local JDN of month starts, [n] next */
	double nm_ut[14];	/* UT instant of each opening new moon */
	int num[13];		/* month number 1..12 */
	int is_leap[13];
	int lyear[13];		/* lunar year each month belongs to */
};

/*
 * Find the new moon number opening the month that contains the winter
 * solstice of year g.  Returns the solstice instant in *sol_ut.
 */
static long find_month11(int g, struct lr_moons *c, double *sol_ut)
{
	double sol = solstice_ut(g);
	long sd = local_jdn(sol);
	long k = (long)floor((ut_to_tt(sol) - LR_NM_EPOCH) / LR_SYNODIC);
	int i;

	for (i = 0; i < 4; i++) {
		if (local_jdn(new_moon_ut(c, k)) > sd)
			k--;
		else if (local_jdn(new_moon_ut(c, k + 1)) <= sd)
			k++;
		else
			break;
	}
	*sol_ut = sol;
	return k;
}

static int build_sui(int g, struct lr_sui *s, struct lr_moons *c)
{
	double sol0, sol1, a, b;
	long k1;
	int i, number;

	s->g = g;
	s->k0 = find_month11(g, c, &sol0);
	k1 = find_month11(g + 1, c, &sol1);
	s->n = (int)(k1 - s->k0);
	if (s->n != 12 && s->n != 13)
		return -1;
	for (i = 0; i <= s->n; i++) {
		s->nm_ut[i] = new_moon_ut(c, s->k0 + i);
		s->start[i] = local_jdn(s->nm_ut[i]);
	}
	s->leap_at = 0;
	if (s->n == 13) {
		/*
		 * A month [start[i], start[i+1]) holds a principal term iff
		 * the Sun crosses a multiple of 30 deg between the two local
		 * midnights.
		 */
		b = sun_at_midnight(s->start[1]);
		for (i = 1; i < 13; i++) {
			a = b;
			b = sun_at_midnight(s->start[i + 1]);
			if (floor(a / 30.0) == floor(b / 30.0)) {
				s->leap_at = i;
				break;
			}
		}
		if (s->leap_at == 0)
			return -1;
	}
	for (i = 0; i < s->n; i++) {
		number = 11 + i;
		if (s->leap_at != 0 && i >= s->leap_at)
			number--;
		number = (number - 1) % 12 + 1;
		s->num[i] = number;
		s->is_leap[i] = (s->leap_at != 0 && i == s->leap_at);
		s->lyear[i] = number >= 11 ? g : g + 1;
	}
	return 0;
}

int ref_lunar_to_solar(int lyear, int lmonth, int lday, int leap, int *y,
	int *m, int *d)
{
	struct lr_moons c;
	struct lr_sui s;
	int i, want_leap = leap != 0;

	if (lyear < LR_MIN_YEAR || lyear > LR_MAX_YEAR || lmonth < 1
		|| lmonth > 12 || lday < 1 || lday > 30)
		return -1;
	moons_init(&c);
	if (build_sui(lmonth >= 11 ? lyear : lyear - 1, &s, &c) != 0)
		return -1;
	for (i = 0; i < s.n; i++) {
		if (s.num[i] != lmonth || s.is_leap[i] != want_leap)
			continue;
		if (lday > s.start[i + 1] - s.start[i])
			return -1;
		jdn_to_ymd(s.start[i] + lday - 1, y, m, d);
		return 0;
	}
	return -1;
}

int ref_solar_to_lunar(int y, int m, int d, int *lyear, int *lmonth,
	int *lday, int *leap)
{
	struct lr_moons c;
	struct lr_sui s;
	double sol;
	long jdn, k;
	int g, i, cy, cm, cd;

	if (y < LR_MIN_YEAR || y > LR_MAX_YEAR)
		return -1;
	jdn = ymd_to_jdn(y, m, d);
	jdn_to_ymd(jdn, &cy, &cm, &cd);
	if (cy != y || cm != m || cd != d)
		return -1;
	moons_init(&c);
	g = y;
	k = find_month11(g, &c, &sol);
	if (jdn < local_jdn(new_moon_ut(&c, k)))
		g--;
	if (build_sui(g, &s, &c) != 0)
		return -1;
	for (i = 0; i < s.n; i++) {
		if (jdn >= s.start[i] && jdn < s.start[i + 1]) {
			*lyear = s.lyear[i];
			*lmonth = s.num[i];
			*lday = (int)(jdn - s.start[i]) + 1;
			*leap = s.is_leap[i];
			return 0;
		}
	}
	return -1;
}

/* Minutes from UT instant x to the local midnight opening local day jdn. */
static double minutes_from_midnight(double x, long jdn)
{
	return fabs(x - local_midnight_ut(jdn)) * 1440.0;
}

/*
 * How close the question "is the term at instant tu in the month whose
 * opening new moon is at nu?" comes to flipping, in minutes.  Only
 * matters when the two local dates are equal or the term falls on the
 * day before; otherwise a shift of under a day changes nothing.
 */
static double pair_margin(double tu, double nu)
{
	long td = local_jdn(tu), nd = local_jdn(nu);
	double a, b;

	if (td == nd) {
		a = minutes_from_midnight(tu, td);
		b = minutes_from_midnight(nu, nd + 1);
	} else if (td == nd - 1) {
		a = minutes_from_midnight(tu, nd);
		b = minutes_from_midnight(nu, nd);
	} else {
		return 1e9;
	}
	return a < b ? a : b;
}

/*
 * Margin contributed by the principal terms of a sui against its month
 * boundaries 0..last (and, when last is n, the new moon extra_nm that
 * follows the sui's last month).  Only the solstice matters unless the
 * sui has a leap month.
 */
static double sui_term_margin(const struct lr_sui *s, int last,
	double extra_nm)
{
	double best = 1e9, tu, t11, v;
	int j, i, nterms;

	t11 = ut_to_tt(s->nm_ut[0]);
	nterms = s->n == 13 ? 12 : 1;
	for (j = 0; j < nterms; j++) {
		tu = tt_to_ut(solar_term_tt(norm360(270.0 + 30.0 * j),
			t11 + 15.0 + 30.44 * j));
		for (i = 0; i <= s->n && i <= last; i++) {
			v = pair_margin(tu, s->nm_ut[i]);
			if (v < best)
				best = v;
		}
		if (last >= s->n) {
			v = pair_margin(tu, extra_nm);
			if (v < best)
				best = v;
		}
	}
	return best;
}

/* Distance in minutes from UT instant x to the nearest local midnight. */
static double midnight_margin(double x)
{
	double v = minutes_from_midnight(x, local_jdn(x));

	return v > 720.0 ? 1440.0 - v : v;
}

int ref_year_margin_minutes(int lyear)
{
	struct lr_moons c;
	struct lr_sui a, b;
	double best = 1e9, v, sol, after;
	long k;
	int i;

	if (lyear < LR_MIN_YEAR + 1 || lyear > LR_MAX_YEAR - 1)
		return -1;
	moons_init(&c);
	if (build_sui(lyear - 1, &a, &c) != 0
		|| build_sui(lyear, &b, &c) != 0)
		return -1;
	/* New moons opening the months of this lunar year... */
	for (i = 0; i < a.n; i++) {
		v = midnight_margin(a.nm_ut[i]);
		if (a.lyear[i] == lyear && v < best)
			best = v;
	}
	/* ...its months 11 and 12 (and any leap among them), next Tet. */
	for (i = 0; i < b.n; i++) {
		v = midnight_margin(b.nm_ut[i]);
		if ((b.lyear[i] == lyear
			|| (i > 0 && b.lyear[i - 1] == lyear)) && v < best)
			best = v;
	}
	/*
	 * Principal terms against month boundaries: all of the previous sui
	 * (it holds months 1-10), but in this year's sui only those that
	 * could make month 11 or 12 leap.
	 */
	v = sui_term_margin(&a, a.n, b.nm_ut[1]);
	if (v < best)
		best = v;
	v = sui_term_margin(&b, 3, 0.0);
	if (v < best)
		best = v;
	k = find_month11(lyear + 1, &c, &sol);
	after = new_moon_ut(&c, k + 1);
	/* The next solstice decides whether this year's sui has a leap. */
	v = pair_margin(sol, b.nm_ut[b.n]);
	if (v < best)
		best = v;
	v = pair_margin(sol, after);
	if (v < best)
		best = v;
	return (int)floor(best);
}
