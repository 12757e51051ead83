/*
 * fuzz_ident.c — the identifiers an applicant types, as the intake and
 * citizen handlers check them (domain/ident.c): personal ID
 * (mc_pid_check), tax code (mc_tax_code_check), phone number
 * (mc_phone_check, whose normal form must check again to itself) and
 * e-mail address (mc_email_check). The first byte chooses.
 */
#include "fuzz.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "domain/ident.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_pid_info info;
	char *s, norm[MC_PHONE_NORM_SIZE], again[MC_PHONE_NORM_SIZE];

	if (size < 1)
		return 0;
	s = fz_str(data + 1, size - 1);
	switch (data[0] % 4) {
	case 0:
		if (mc_pid_check("id_number", s, mc_days_from_ymd(2026, 3, 2),
				 &info, &err) == 0)
			FZ_CHECK(strlen(s) == 12 && info.birth_year <= 2026);
		break;
	case 1:
		(void)mc_tax_code_check("tax_code", s, &err);
		break;
	case 2:
		if (mc_phone_check("phone", s, norm, sizeof(norm), &err) == 0) {
			FZ_CHECK(norm[0] == '0');
			FZ_CHECK(mc_phone_check("phone", norm, again,
						sizeof(again), &err) == 0);
			FZ_CHECK(strcmp(norm, again) == 0);
		}
		break;
	default:
		if (mc_email_check("email", s, &err) == 0)
			FZ_CHECK(strlen(s) <= 254 && strchr(s, '@'));
		break;
	}
	mc_free(s);
	return 0;
}
