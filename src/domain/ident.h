/*
 * ident.h — identifiers of people and organizations: the 12-digit personal
 * ID (số định danh cá nhân, printed on the CCCD card), the tax code (mã số
 * thuế), Vietnamese phone numbers and e-mail addresses (DOMAIN.md §9).
 *
 * Every check takes the name of the input field and fills 'err' with that
 * field and the rule broken. Messages never repeat the value itself: these
 * are personal data, and error messages end up in logs.
 */
#ifndef MC_DOMAIN_IDENT_H
#define MC_DOMAIN_IDENT_H

#include "core/compat.h"
#include "core/err.h"

/* What a personal ID says about its holder. */
struct mc_pid_info {
	int birth_year;		/* e.g. 1995 */
	char sex;		/* 'M' or 'F' */
	int province;		/* province of birth registration, 1..96 */
};

/*
 * Checks the personal ID 's' (số định danh cá nhân / CCCD): exactly 12
 * ASCII digits (rule "format"); digits 1-3 one of the 63 province codes of
 * the pre-2025 list, Thông tư 07/2016/TT-BCA as amended by 59/2021 (rule
 * "province"); digit 4 the century and sex and digits 5-6 the year of
 * birth, which must not be after the year of 'today', a day number
 * (rule "birth_year"). There is no check digit.
 *
 * IDs of people whose birth was registered abroad start with a country
 * code instead of a province code; they are not supported and fail the
 * "province" rule.
 *
 * Returns 0 and fills 'info' (may be NULL), or MC_EINVAL with 'err' filled.
 */
int mc_pid_check(const char *field, const char *s, int32_t today,
		 struct mc_pid_info *info, struct mc_err *err);

/*
 * Checks the tax code 's' (mã số thuế), one of:
 *  - 10 digits, the last a check digit over the first nine;
 *  - "NNNNNNNNNN-NNN", a dependent unit (branch) of the 10-digit code
 *    before the dash, numbered from 001;
 *  - 12 digits, a personal ID, which is the tax code of individuals and
 *    households from 01/07/2025 (TT 86/2024/TT-BTC); only its format and
 *    province code are checked.
 * Rules "format" and "check_digit". Returns 0 or MC_EINVAL.
 */
int mc_tax_code_check(const char *field, const char *s, struct mc_err *err);

/* Size of the buffer mc_phone_check needs: 11 digits and the NUL. */
#define MC_PHONE_NORM_SIZE 12

/*
 * Checks the Vietnamese phone number 's'. Spaces, dots, dashes and
 * parentheses are ignored; "+84..." and "84..." (11 or 12 digits in all)
 * become "0...", keeping a trunk 0 written after the country code
 * ("+84 (0)912..."). A mobile number has 10 digits and starts 03, 05, 07,
 * 08 or 09; a landline has 11 digits and starts 02. Service numbers
 * (1800..., 1900...) and foreign numbers are not accepted.
 *
 * Rules "format" (characters, length, not starting 0 or +84) and "prefix"
 * (no such network). On success writes the normalized form, "0" and
 * digits only, into 'norm' (may be NULL; else at least MC_PHONE_NORM_SIZE
 * bytes, or MC_ETOOBIG) and returns 0; otherwise 'norm' gets "".
 */
int mc_phone_check(const char *field, const char *s, char *norm,
		   size_t normlen, struct mc_err *err);

/*
 * Checks the e-mail address 's': exactly one '@', a local part of 1 to 64
 * bytes, a domain of dot-separated non-empty labels with at least one dot,
 * no white space or control characters, at most 254 bytes in all. Rule
 * "format". Returns 0 or MC_EINVAL. Whether the address receives mail is
 * for a confirmation message to find out.
 */
int mc_email_check(const char *field, const char *s, struct mc_err *err);

#endif /* MC_DOMAIN_IDENT_H */
