/*
 * vietqr.h — the VietQR payload (NAPAS's EMVCo merchant-presented QR,
 * DOMAIN.md §10) a citizen scans with any Vietnamese bank's app to pay a
 * dossier's fees by transfer: the collecting unit's bank (BIN) and
 * account, the amount in VND, and the dossier code as the transfer's
 * purpose, so that the bank statement says which dossier was paid.
 * Pure: builds and reads the text; rendering it as a QR is elsewhere.
 *
 * The text is TLV: a two-digit tag, a two-digit decimal length, the
 * value. It ends with tag 63, the CRC-16/CCITT-FALSE of everything before
 * the CRC's own value, "6304" included.
 */
#ifndef MC_DOMAIN_VIETQR_H
#define MC_DOMAIN_VIETQR_H

#include "core/compat.h"
#include "core/err.h"

#define MC_VIETQR_MAX 512

struct mc_vietqr {
	char bin[8];			/* the bank's 6-digit BIN, 970436 */
	char account[24];		/* account number, up to 19 */
	int64_t amount;			/* VND; 0: the payer types it */
	char purpose[32];		/* up to 25 ASCII characters */
	char name[32];			/* beneficiary, up to 25, optional */
	char city[16];			/* optional */
};

/* CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection. */
uint16_t mc_crc16_ccitt(const void *p, size_t n);

/*
 * Builds the payload of 'q' into 'out' (MC_VIETQR_MAX bytes): dynamic
 * (the amount locked) when q->amount > 0, static otherwise. MC_EINVAL
 * naming the field ("bin": 6 digits; "account": 1 to 19 letters or
 * digits; "purpose", "name": printable ASCII, no more than 25; "amount":
 * 0 to 9,999,999,999,999).
 */
int mc_vietqr_build(const struct mc_vietqr *q, char *out, size_t n,
		    struct mc_err *err);

/*
 * Reads a payload: checks its TLV structure and its CRC, and fills 'q'.
 * MC_EINVAL naming the rule ("format", "crc", "tag") on a bad one.
 */
int mc_vietqr_parse(const char *s, struct mc_vietqr *q, struct mc_err *err);

/*
 * The transfer purpose for a dossier code: its ASCII letters, digits and
 * '.', '-', cut to 25 (a code is "000.00.01.H51-260302-0001": 25 exactly).
 */
void mc_vietqr_purpose(const char *code, char out[32]);

/*
 * Finds a dossier code in a transfer's description as a bank statement
 * gives it, whatever became of the dots, hyphens and case on the way
 * ("TT 000.00.01.H51-260302-0001", "00000001H512603020001 nop le phi"):
 * the first run of 7 digits, a letter, 12 digits among its letters and
 * digits (other digits may touch it), written back as
 * "000.00.01.H51-260302-0001". Returns whether one was found.
 */
bool mc_vietqr_find_code(const char *text, char out[32]);

#endif /* MC_DOMAIN_VIETQR_H */
