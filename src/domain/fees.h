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

/*
 * Applicant categories a fee item may exempt (docs/payments.md
 * "Exemptions"): "poor_household", "near_poor_household", "meritorious",
 * "ethnic_minority", "disabled", "elderly", "child". The label in
 * Vietnamese, or NULL for a name not in the list.
 */
const char *mc_fee_category_label(const char *name);
/* The names, comma-separated, for error messages. */
const char *mc_fee_categories(void);

/*
 * Whether comma-separated list 'list' holds 'name' ("a,b" holds "b").
 */
bool mc_fee_list_has(const char *list, const char *name);

/*
 * The first category of 'applicant' (comma-separated) that 'exempt'
 * (comma-separated) exempts, copied into 'out' ("" when none). Returns
 * whether there was one.
 */
bool mc_fee_exemption(const char *exempt, const char *applicant, char *out,
		      size_t n);

/*
 * The quantity of fee item 'item' in 'quantities' ("1:3,4:2": item 1
 * three copies, item 4 two pages), or 1 when it is not there.
 */
int mc_fee_quantity(const char *quantities, int item);

#endif /* MC_DOMAIN_FEES_H */
