/*
 * fees.h — fees and charges (phí, lệ phí) of a dossier (docs/payments.md):
 * integer VND only, the online discount applied per item, and the amount
 * in Vietnamese words for receipts.
 */
#ifndef MC_DOMAIN_FEES_H
#define MC_DOMAIN_FEES_H

#include "core/compat.h"

/*
 * An amount less 'percent' percent, to the nearest dong (a half dong up):
 * 150,000 less 50 % is 75,000; 25,001 less 50 % is 12,501.
 */
int64_t mc_fee_discounted(int64_t amount, int percent);

/*
 * An amount of VND in Vietnamese words, capitalized, ending in "đồng":
 * 150000 → "Một trăm năm mươi nghìn đồng", 0 → "Không đồng". Amounts up to
 * 999,999,999,999,999. Returns 'buf'.
 */
char *mc_fee_words(int64_t amount, char *buf, size_t n);

#endif /* MC_DOMAIN_FEES_H */
