/*
 * fuzz_vietqr.c — VietQR payloads (EMVCo merchant-presented QR) read
 * back by domain/vietqr.c mc_vietqr_parse, as `motcua vietqr decode`
 * and the payment tests do, and the dossier code looked for in a bank
 * transfer's description (mc_vietqr_find_code, run on the bank's
 * statements and callbacks). A payload that parses must build again into
 * one that parses to the same fields.
 */
#include "fuzz.h"
#include "core/err.h"
#include "domain/vietqr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_vietqr q, again;
	char *s = fz_str(data, size), out[MC_VIETQR_MAX], code[32];

	memset(&q, 0, sizeof(q));
	if (mc_vietqr_parse(s, &q, &err) == 0 &&
	    mc_vietqr_build(&q, out, sizeof(out), &err) == 0) {
		memset(&again, 0, sizeof(again));
		FZ_CHECK(mc_vietqr_parse(out, &again, &err) == 0);
		FZ_CHECK(strcmp(q.bin, again.bin) == 0);
		FZ_CHECK(strcmp(q.account, again.account) == 0);
		FZ_CHECK(q.amount == again.amount);
		FZ_CHECK(strcmp(q.purpose, again.purpose) == 0);
	}
	if (mc_vietqr_find_code(s, code))
		FZ_CHECK(strlen(code) == 25);
	mc_vietqr_purpose(s, code);
	FZ_CHECK(strlen(code) <= 25);
	(void)mc_crc16_ccitt(data, size);
	mc_free(s);
	return 0;
}
