/*
 * lunar.c — the Vietnamese lunisolar calendar; see lunar.h for the rules.
 *
 * Everything is derived from two astronomical quantities: the instant of
 * the k-th new moon (k = 0 is the new moon of 2000-01-06, Meeus' lunation
 * numbering) and the Sun's apparent ecliptic longitude. Both are computed
 * in dynamical time (TT) and converted to UT with ΔT; days are local days
 * at UTC+7. A lunar year is laid out from the start of its month 11 (the
 * "a11" of the previous solar year) to the next month 11 ("b11").
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "domain/lunar.h"

#include <math.h>

#define PI 3.14159265358979323846
#define RAD (PI / 180.0)
#define SYNODIC 29.530588861		/* mean synodic month, days */
#define JD_UNIX 2440587.5		/* Julian date of 1970-01-01T00:00Z */
#define TZ_DAYS (7.0 / 24.0)

/* Solar days covered: lunar new year 1900 … 2199-12-31. */
#define DAY_MIN (-25537)		/* 1900-01-31 */
#define DAY_MAX 84005			/* 2199-12-31 */

static double sin_deg(double d)
{
	return sin(fmod(d, 360.0) * RAD);
}

/*
 * ΔT = TT − UT in seconds for a decimal year (Espenak & Meeus, NASA
 * eclipse web site polynomials, 1900 onwards).
 */
static double delta_t(double y)
{
	double t, u;

	if (y < 1920) {
		t = y - 1900;
		return -2.79 + 1.494119 * t - 0.0598939 * t * t +
		       0.0061966 * t * t * t - 0.000197 * t * t * t * t;
	}
	if (y < 1941) {
		t = y - 1920;
		return 21.20 + 0.84493 * t - 0.076100 * t * t +
		       0.0020936 * t * t * t;
	}
	if (y < 1961) {
		t = y - 1950;
		return 29.07 + 0.407 * t - t * t / 233 + t * t * t / 2547;
	}
	if (y < 1986) {
		t = y - 1975;
		return 45.45 + 1.067 * t - t * t / 260 - t * t * t / 718;
	}
	if (y < 2005) {
		t = y - 2000;
		return 63.86 + 0.3345 * t - 0.060374 * t * t +
		       0.0017275 * t * t * t + 0.000651814 * pow(t, 4) +
		       0.00002373599 * pow(t, 5);
	}
	if (y < 2050) {
		t = y - 2000;
		return 62.92 + 0.32217 * t + 0.005589 * t * t;
	}
	u = (y - 1820) / 100;
	if (y < 2150)
		return -20 + 32 * u * u - 0.5628 * (2150 - y);
	return -20 + 32 * u * u;
}

static double jd_year(double jd)
{
	return 2000.0 + (jd - 2451545.0) / 365.25;
}

/* Julian ephemeris day of the true new moon of lunation k (Meeus ch. 49). */
static double new_moon_jde(int k)
{
	static const double pa[14][3] = {	/* planetary arguments */
		{ 299.77, 0.107408, 0.000325 }, { 251.88, 0.016321, 0.000165 },
		{ 251.83, 26.651886, 0.000164 }, { 349.42, 36.412478, 0.000126 },
		{ 84.66, 18.206239, 0.000110 }, { 141.74, 53.303771, 0.000062 },
		{ 207.14, 2.453732, 0.000060 }, { 154.84, 7.306860, 0.000056 },
		{ 34.52, 27.261239, 0.000047 }, { 207.19, 0.121824, 0.000042 },
		{ 291.34, 1.844379, 0.000040 }, { 161.72, 24.198154, 0.000037 },
		{ 239.56, 25.513099, 0.000035 }, { 331.55, 3.592518, 0.000023 },
	};
	double T = k / 1236.85, T2 = T * T, T3 = T2 * T, T4 = T3 * T;
	double jde = 2451550.09766 + SYNODIC * k + 0.00015437 * T2 -
		     0.000000150 * T3 + 0.00000000073 * T4;
	double E = 1 - 0.002516 * T - 0.0000074 * T2;
	double M = 2.5534 + 29.10535670 * k - 0.0000014 * T2 -
		   0.00000011 * T3;
	double Mp = 201.5643 + 385.81693528 * k + 0.0107582 * T2 +
		    0.00001238 * T3 - 0.000000058 * T4;
	double F = 160.7108 + 390.67050284 * k - 0.0016118 * T2 -
		   0.00000227 * T3 + 0.000000011 * T4;
	double Om = 124.7746 - 1.56375588 * k + 0.0020672 * T2 +
		    0.00000215 * T3;
	double c = 0;
	int i;

	c += -0.40720 * sin_deg(Mp);
	c += 0.17241 * E * sin_deg(M);
	c += 0.01608 * sin_deg(2 * Mp);
	c += 0.01039 * sin_deg(2 * F);
	c += 0.00739 * E * sin_deg(Mp - M);
	c += -0.00514 * E * sin_deg(Mp + M);
	c += 0.00208 * E * E * sin_deg(2 * M);
	c += -0.00111 * sin_deg(Mp - 2 * F);
	c += -0.00057 * sin_deg(Mp + 2 * F);
	c += 0.00056 * E * sin_deg(2 * Mp + M);
	c += -0.00042 * sin_deg(3 * Mp);
	c += 0.00042 * E * sin_deg(M + 2 * F);
	c += 0.00038 * E * sin_deg(M - 2 * F);
	c += -0.00024 * E * sin_deg(2 * Mp - M);
	c += -0.00017 * sin_deg(Om);
	c += -0.00007 * sin_deg(Mp + 2 * M);
	c += 0.00004 * sin_deg(2 * Mp - 2 * F);
	c += 0.00004 * sin_deg(3 * M);
	c += 0.00003 * sin_deg(Mp + M - 2 * F);
	c += 0.00003 * sin_deg(2 * Mp + 2 * F);
	c += -0.00003 * sin_deg(Mp + M + 2 * F);
	c += 0.00003 * sin_deg(Mp - M + 2 * F);
	c += -0.00002 * sin_deg(Mp - M - 2 * F);
	c += -0.00002 * sin_deg(3 * Mp + M);
	c += 0.00002 * sin_deg(4 * Mp);
	for (i = 0; i < 14; i++) {
		double a = pa[i][0] + pa[i][1] * k;

		if (i == 0)
			a -= 0.009173 * T2;
		c += pa[i][2] * sin_deg(a);
	}
	return jde + c;
}

/* Local (UTC+7) day number on which lunation k begins. */
static int32_t new_moon_day(int k)
{
	double jde = new_moon_jde(k);
	double jd = jde - delta_t(jd_year(jde)) / 86400.0;

	return (int32_t)floor(jd - JD_UNIX + TZ_DAYS);
}

/* Apparent geometric longitude of the Sun in degrees (Meeus ch. 25). */
static double sun_longitude(double jde)
{
	double T = (jde - 2451545.0) / 36525.0, T2 = T * T;
	double L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T2;
	double M = 357.52911 + 35999.05029 * T - 0.0001537 * T2;
	double Lm = 218.3165 + 481267.8813 * T;	/* Moon's mean longitude */
	double Om = 125.04452 - 1934.136261 * T;
	double C = (1.914602 - 0.004817 * T - 0.000014 * T2) * sin_deg(M) +
		   (0.019993 - 0.000101 * T) * sin_deg(2 * M) +
		   0.000289 * sin_deg(3 * M);
	double e = 0.016708634 - 0.000042037 * T - 0.0000001267 * T2;
	double v = M + C;
	double R = 1.000001018 * (1 - e * e) / (1 + e * cos(fmod(v, 360.0) *
							   RAD));
	/* Nutation in longitude (main terms, arc seconds) and aberration. */
	double dpsi = -17.20 * sin_deg(Om) - 1.32 * sin_deg(2 * L0) -
		      0.23 * sin_deg(2 * Lm) + 0.21 * sin_deg(2 * Om);
	double lambda = L0 + C + dpsi / 3600.0 - 20.4898 / 3600.0 / R;

	lambda = fmod(lambda, 360.0);
	return lambda < 0 ? lambda + 360.0 : lambda;
}

/* Principal-term sector (0..11) of the Sun at the local start of 'day'. */
static int sun_sector(int32_t day)
{
	double jd = day + JD_UNIX - TZ_DAYS;
	double jde = jd + delta_t(jd_year(jd)) / 86400.0;

	return (int)(sun_longitude(jde) / 30.0);
}

/* Lunation whose local day is the last new moon day on or before 'day'. */
static int lunation_at(int32_t day)
{
	/* 10957 = day number of 2000-01-01; lunation 0 is 2000-01-06. */
	int k = (int)floor((day - 10962.1) / SYNODIC);

	while (new_moon_day(k + 1) <= day)
		k++;
	while (new_moon_day(k) > day)
		k--;
	return k;
}

/* Lunation that begins month 11 of solar year 'y' (holds the solstice). */
static int month11(int y)
{
	int k = lunation_at(mc_days_from_ymd(y, 12, 31));

	if (sun_sector(new_moon_day(k)) >= 9)
		k--;
	return k;
}

/*
 * Layout of the lunar months from month 11 of solar year y-1 ('a11') up to
 * month 11 of year y: 12 months, or 13 with 'leap' the index (1..12) of
 * the leap month counted from a11. Index i has number num(i).
 */
struct layout {
	int a11;			/* lunation of month 11, year y-1 */
	int months;			/* 12 or 13 */
	int leap;			/* index of the leap month, 0 if none */
};

static struct layout layout_of(int y)
{
	struct layout L;
	int i;

	L.a11 = month11(y - 1);
	L.months = month11(y) - L.a11;
	L.leap = 0;
	if (L.months == 13) {
		for (i = 1; i <= 12; i++) {
			if (sun_sector(new_moon_day(L.a11 + i)) ==
			    sun_sector(new_moon_day(L.a11 + i + 1))) {
				L.leap = i;
				break;
			}
		}
		if (!L.leap)	/* cannot happen with 13 months */
			L.leap = 12;
	}
	return L;
}

/* Month number (1..12) of index i in a layout, and whether it is leap. */
static int month_number(const struct layout *L, int i, bool *leap)
{
	int j = i;

	*leap = L->leap && i == L->leap;
	if (L->leap && i >= L->leap)
		j--;
	return (10 + j) % 12 + 1;
}

int mc_lunar_from_solar(int32_t day, struct mc_lunar_date *out)
{
	struct mc_ymd s;
	struct layout L;
	int k, i, y;

	if (day < DAY_MIN || day > DAY_MAX)
		return MC_ERANGE;
	k = lunation_at(day);
	s = mc_ymd_from_days(day);
	/* The layout of solar year y covers a11(y-1) .. a11(y). */
	y = s.year;
	if (k >= month11(y))
		y++;
	L = layout_of(y);
	i = k - L.a11;
	out->month = month_number(&L, i, &out->leap);
	out->day = day - new_moon_day(k) + 1;
	/*
	 * Months 11 and 12 before month 1 (and a leap 11 or 12 among them)
	 * belong to lunar year y-1.
	 */
	out->year = i < 2 + (L.leap && L.leap <= 2) ? y - 1 : y;
	return 0;
}

/*
 * Lunation that begins the given lunar month. Returns 0, MC_EINVAL for a
 * month that does not exist or MC_ERANGE.
 */
static int locate(int lyear, int month, bool leap, int *k)
{
	struct layout L;
	int i;

	if (lyear < MC_LUNAR_FIRST_YEAR || lyear > MC_LUNAR_LAST_YEAR)
		return MC_ERANGE;
	if (month < 1 || month > 12)
		return MC_EINVAL;
	/* Months 11 and 12 of lunar year Y start in solar year Y. */
	L = layout_of(month >= 11 ? lyear + 1 : lyear);
	i = month >= 11 ? month - 11 : month + 1;
	if (L.leap) {
		if (leap && i + 1 != L.leap)
			return MC_EINVAL;
		if (leap || i >= L.leap)
			i++;
	} else if (leap) {
		return MC_EINVAL;
	}
	*k = L.a11 + i;
	return 0;
}

int mc_lunar_to_solar(const struct mc_lunar_date *ld, int32_t *day)
{
	int k, rc;
	int32_t start;

	rc = locate(ld->year, ld->month, ld->leap, &k);
	if (rc)
		return rc;
	if (ld->day < 1)
		return MC_EINVAL;
	start = new_moon_day(k);
	if (ld->day > new_moon_day(k + 1) - start)
		return MC_EINVAL;
	*day = start + ld->day - 1;
	if (*day > DAY_MAX)
		return MC_ERANGE;
	return 0;
}

int mc_lunar_leap_month(int lyear)
{
	struct layout L;
	bool leap;

	if (lyear < MC_LUNAR_FIRST_YEAR || lyear > MC_LUNAR_LAST_YEAR)
		return 0;
	/* A leap month among months 1..10 lies in the layout of the year, */
	L = layout_of(lyear);
	if (L.leap >= 3)
		return month_number(&L, L.leap, &leap);
	/* a leap 11 or 12 in that of the next. */
	L = layout_of(lyear + 1);
	if (L.leap && L.leap <= 2)
		return month_number(&L, L.leap, &leap);
	return 0;
}

int mc_lunar_month_length(int lyear, int month, bool leap)
{
	int k;

	if (locate(lyear, month, leap, &k))
		return 0;
	return new_moon_day(k + 1) - new_moon_day(k);
}

char *mc_lunar_year_name(int lyear, char *buf, size_t n)
{
	static const char *const can[10] = {
		"Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân",
		"Nhâm", "Quý"
	};
	static const char *const chi[12] = {
		"Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân",
		"Dậu", "Tuất", "Hợi"
	};
	int y = lyear % 60 + 60;	/* non-negative */

	snprintf(buf, n, "%s %s", can[(y + 6) % 10], chi[(y + 8) % 12]);
	return buf;
}
