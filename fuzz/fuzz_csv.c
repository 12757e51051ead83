/*
 * fuzz_csv.c — CSV (core/csv.c mc_csv_next) and the payment platforms'
 * and banks' statements read with it for reconciliation
 * (domain/statement.c mc_statement_parse and mc_statement_days, as
 * POST /api/v1/payments/reconciliation and `motcua payments reconcile`
 * run them). Bit 0 of the first byte: the platform's layout (a
 * "reference" column) or the bank's ("description").
 */
#include "fuzz.h"
#include "core/csv.h"
#include "domain/statement.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mc_txns st;
	char *text, why[200], *f[16];
	int32_t first, last;
	int line = 0, n;

	if (size < 1)
		return 0;
	/* Raw records first, with the one writable byte after the text. */
	text = fz_str(data + 1, size - 1);
	{
		struct mc_csv c;
		int records = 0;

		mc_csv_init(&c, text, size - 1);
		while ((n = mc_csv_next(&c, f, 16)) > 0 && records++ < 100000)
			FZ_CHECK(n <= 16);
	}
	mc_free(text);

	text = fz_str(data + 1, size - 1);
	memset(&st, 0, sizeof(st));
	if (mc_statement_parse(text, size - 1, (data[0] & 1) ? "description" :
			       "reference", &st, &line, why,
			       sizeof(why)) == 0)
		(void)mc_statement_days(&st, (data[0] & 2) != 0, 20514,
					&first, &last, &line, why,
					sizeof(why));
	mc_txns_free(&st);
	mc_free(text);
	return 0;
}
