/*
 * fuzz_paysig.c — the signatures of the payment platforms' callbacks and
 * payment links (domain/paysig.c mc_paysig_callback, mc_paysig_link,
 * mc_paysig_equal, as api/payments.c checks X-Motcua-Signature). The
 * input is "key\ntimestamp\nnonce\ngiven\nbody": the signature given is
 * compared with the one computed, and the one computed must compare
 * equal to itself and to no truncation of it.
 */
#include "fuzz.h"
#include "domain/paysig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fz_str(data, size), *key = s, *ts, *nonce, *given, *body;
	char want[MC_PAYSIG_HEX], link[MC_PAYSIG_HEX], cut[MC_PAYSIG_HEX];
	bool eq;

	ts = fz_split(key, '\n');
	nonce = fz_split(ts, '\n');
	given = fz_split(nonce, '\n');
	body = fz_split(given, '\n');
	mc_paysig_callback(key, ts, nonce, body, strlen(body), want);
	FZ_CHECK(strlen(want) == MC_PAYSIG_HEX - 1);
	FZ_CHECK(mc_paysig_equal(want, want));
	memcpy(cut, want, sizeof(cut));
	cut[MC_PAYSIG_HEX - 2] = '\0';
	FZ_CHECK(!mc_paysig_equal(cut, want));
	eq = mc_paysig_equal(given, want);
	FZ_CHECK(eq == (strcmp(given, want) == 0));
	mc_paysig_link(key, body, link);
	FZ_CHECK(strlen(link) == MC_PAYSIG_HEX - 1);
	(void)mc_paysig_equal(given, link);
	mc_free(s);
	return 0;
}
