/*
 * ident.c — checks of personal IDs, tax codes, phone numbers and e-mail
 * addresses; see ident.h. Pure functions: no I/O, no allocation.
 *
 * The rules come from DOMAIN.md §9. The personal ID has no check digit, so
 * its checks are structural: the province code against the official list
 * and the year of birth against today. The tax code has a mod-11 check
 * digit, verified against real codes in the tests.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "domain/ident.h"

/*
 * The 63 provinces and cities of the list before the 2025 merger (Thông tư
 * 07/2016/TT-BCA, Thông tư 59/2021/TT-BCA), which are the first three
 * digits of a personal ID. Codes are not remapped after the merger: an ID
 * keeps the province where the birth was registered.
 */
static const unsigned char provinces[] = {
	1,	/* Hà Nội */
	2,	/* Hà Giang */
	4,	/* Cao Bằng */
	6,	/* Bắc Kạn */
	8,	/* Tuyên Quang */
	10,	/* Lào Cai */
	11,	/* Điện Biên */
	12,	/* Lai Châu */
	14,	/* Sơn La */
	15,	/* Yên Bái */
	17,	/* Hòa Bình */
	19,	/* Thái Nguyên */
	20,	/* Lạng Sơn */
	22,	/* Quảng Ninh */
	24,	/* Bắc Giang */
	25,	/* Phú Thọ */
	26,	/* Vĩnh Phúc */
	27,	/* Bắc Ninh */
	30,	/* Hải Dương */
	31,	/* Hải Phòng */
	33,	/* Hưng Yên */
	34,	/* Thái Bình */
	35,	/* Hà Nam */
	36,	/* Nam Định */
	37,	/* Ninh Bình */
	38,	/* Thanh Hóa */
	40,	/* Nghệ An */
	42,	/* Hà Tĩnh */
	44,	/* Quảng Bình */
	45,	/* Quảng Trị */
	46,	/* Thừa Thiên Huế */
	48,	/* Đà Nẵng */
	49,	/* Quảng Nam */
	51,	/* Quảng Ngãi */
	52,	/* Bình Định */
	54,	/* Phú Yên */
	56,	/* Khánh Hòa */
	58,	/* Ninh Thuận */
	60,	/* Bình Thuận */
	62,	/* Kon Tum */
	64,	/* Gia Lai */
	66,	/* Đắk Lắk */
	67,	/* Đắk Nông */
	68,	/* Lâm Đồng */
	70,	/* Bình Phước */
	72,	/* Tây Ninh */
	74,	/* Bình Dương */
	75,	/* Đồng Nai */
	77,	/* Bà Rịa - Vũng Tàu */
	79,	/* Thành phố Hồ Chí Minh */
	80,	/* Long An */
	82,	/* Tiền Giang */
	83,	/* Bến Tre */
	84,	/* Trà Vinh */
	86,	/* Vĩnh Long */
	87,	/* Đồng Tháp */
	89,	/* An Giang */
	91,	/* Kiên Giang */
	92,	/* Cần Thơ */
	93,	/* Hậu Giang */
	94,	/* Sóc Trăng */
	95,	/* Bạc Liêu */
	96,	/* Cà Mau */
};

/* Weights of the first nine digits of a tax code. */
static const int tax_weights[9] = { 31, 29, 23, 19, 17, 13, 7, 5, 3 };

/* Whether s[0..n) are all ASCII digits. */
static bool digits(const char *s, size_t n)
{
	return strspn(s, "0123456789") >= n;
}

static bool known_province(int code)
{
	size_t i;

	for (i = 0; i < MC_ARRAY_SIZE(provinces); i++)
		if (provinces[i] == code)
			return true;
	return false;
}

int mc_pid_check(const char *field, const char *s, int32_t today,
		 struct mc_pid_info *info, struct mc_err *err)
{
	int province, century_sex, year, this_year;

	if (strlen(s) != 12 || !digits(s, 12))
		return mc_err_field(err, field, "format", "must be exactly 12 "
				    "digits");
	province = mc_digits(s, 3);
	if (!known_province(province))
		return mc_err_field(err, field, "province", "starts with %03d, "
				    "which is not a province code (IDs "
				    "registered abroad are not supported)",
				    province);
	/*
	 * 0/1: 1900s, male/female; 2/3: 2000s; ... 8/9: 2300s. The year
	 * therefore cannot be before 1900.
	 */
	century_sex = s[3] - '0';
	year = 1900 + century_sex / 2 * 100 + mc_digits(s + 4, 2);
	this_year = mc_ymd_from_days(today).year;
	if (year > this_year)
		return mc_err_field(err, field, "birth_year", "gives the year "
				    "of birth %d, after the current year %d",
				    year, this_year);
	if (info) {
		info->birth_year = year;
		info->sex = century_sex % 2 ? 'F' : 'M';
		info->province = province;
	}
	return 0;
}

/* Checks the check digit of the 10-digit tax code at 's'. */
static int tax_check10(const char *field, const char *s, struct mc_err *err)
{
	int sum = 0, r, i;

	for (i = 0; i < 9; i++)
		sum += (s[i] - '0') * tax_weights[i];
	/*
	 * N10 = 10 - (sum mod 11), which is 0 for a remainder of 10. A
	 * remainder of 0 would need a check digit of 10: no such code is
	 * issued.
	 */
	r = sum % 11;
	if (r == 0)
		return mc_err_field(err, field, "check_digit", "is not a tax "
				    "code: its first nine digits admit no "
				    "check digit");
	if (s[9] - '0' != 10 - r)
		return mc_err_field(err, field, "check_digit", "check digit "
				    "does not match; look for a typing error");
	return 0;
}

int mc_tax_code_check(const char *field, const char *s, struct mc_err *err)
{
	size_t len = strlen(s);

	if (len == 10 && digits(s, 10))
		return tax_check10(field, s, err);
	if (len == 14 && digits(s, 10) && s[10] == '-' && digits(s + 11, 3)) {
		if (mc_digits(s + 11, 3) == 0)
			return mc_err_field(err, field, "format", "dependent "
					    "unit number must be 001 to 999");
		return tax_check10(field, s, err);
	}
	if (len == 12 && digits(s, 12)) {
		int province = mc_digits(s, 3);

		if (!known_province(province))
			return mc_err_field(err, field, "format", "a 12-digit "
					    "tax code is a personal ID, and "
					    "%03d is not a province code",
					    province);
		return 0;
	}
	return mc_err_field(err, field, "format", "must be 10 digits, 10 "
			    "digits then -NNN, or a 12-digit personal ID");
}

int mc_phone_check(const char *field, const char *s, char *norm,
		   size_t normlen, struct mc_err *err)
{
	char d[MC_PHONE_NORM_SIZE + 2], nat[MC_PHONE_NORM_SIZE + 2];
	const char *p, *rest;
	size_t n = 0, nn;
	bool plus = false;

	if (norm && normlen)
		norm[0] = '\0';
	if (norm && normlen < MC_PHONE_NORM_SIZE)
		return mc_error(err, MC_ETOOBIG, "phone number buffer of %zu "
				"bytes is too small", normlen);
	/* The digits alone, and whether a '+' came before them. */
	for (p = s; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n >= sizeof(d) - 1)
				return mc_err_field(err, field, "format", "has "
						    "too many digits");
			d[n++] = *p;
		} else if (*p == '+' && n == 0 && !plus) {
			plus = true;
		} else if (!strchr(" .-()", *p)) {
			return mc_err_field(err, field, "format", "may only "
					    "have digits, spaces, dots, "
					    "dashes, parentheses and a "
					    "leading +");
		}
	}
	d[n] = '\0';
	if (n == 0)
		return mc_err_field(err, field, "format", "has no digits");
	/* International form: +84 or 84, then the number with or without 0. */
	if (plus && (n < 2 || d[0] != '8' || d[1] != '4'))
		return mc_err_field(err, field, "prefix", "only Vietnamese "
				    "numbers (+84) are accepted");
	rest = d;
	if (plus || ((n == 11 || n == 12) && d[0] == '8' && d[1] == '4'))
		rest = d + 2;
	nn = 0;
	if (rest != d && rest[0] != '0')
		nat[nn++] = '0';
	memcpy(nat + nn, rest, (size_t)(d + n - rest) + 1);
	nn += (size_t)(d + n - rest);
	if (nat[0] != '0')
		return mc_err_field(err, field, "format", "must start with 0 "
				    "or +84");
	if (nn < 2)
		return mc_err_field(err, field, "format", "is too short");
	switch (nat[1]) {
	case '2':
		if (nn != 11)
			return mc_err_field(err, field, "format", "a landline "
					    "number (02...) has 11 digits, "
					    "not %zu", nn);
		break;
	case '3':
	case '5':
	case '7':
	case '8':
	case '9':
		if (nn != 10)
			return mc_err_field(err, field, "format", "a mobile "
					    "number has 10 digits, not %zu",
					    nn);
		break;
	default:
		return mc_err_field(err, field, "prefix", "no network uses "
				    "numbers starting 0%c", nat[1]);
	}
	if (norm)
		memcpy(norm, nat, nn + 1);
	return 0;
}

/* Whether 'c' may appear in a domain name (non-ASCII for IDN in UTF-8). */
static bool domain_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c >= 0x80;
}

int mc_email_check(const char *field, const char *s, struct mc_err *err)
{
	size_t len = strlen(s), dlen, i;
	const char *at = strchr(s, '@'), *domain;

	if (len == 0)
		return mc_err_field(err, field, "format", "must not be empty");
	if (len > 254)
		return mc_err_field(err, field, "format", "must be at most "
				    "254 bytes, not %zu", len);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return mc_err_field(err, field, "format", "must not "
					    "have spaces or control "
					    "characters");
	if (!at)
		return mc_err_field(err, field, "format", "must have an '@'");
	if (strchr(at + 1, '@'))
		return mc_err_field(err, field, "format", "must have only one "
				    "'@'");
	if (at == s)
		return mc_err_field(err, field, "format", "has nothing before "
				    "the '@'");
	if (at - s > 64)
		return mc_err_field(err, field, "format", "must have at most "
				    "64 bytes before the '@'");
	domain = at + 1;
	dlen = strlen(domain);
	for (i = 0; i < dlen; i++)
		if (!domain_char((unsigned char)domain[i]))
			return mc_err_field(err, field, "format", "domain may "
					    "only have letters, digits, dashes "
					    "and dots");
	if (!strchr(domain, '.'))
		return mc_err_field(err, field, "format", "domain must have a "
				    "dot, as in example.vn");
	if (domain[0] == '.' || domain[dlen - 1] == '.' ||
	    strstr(domain, ".."))
		return mc_err_field(err, field, "format", "domain has an empty "
				    "part between dots");
	return 0;
}
