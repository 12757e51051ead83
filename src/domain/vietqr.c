/*
 * vietqr.c — VietQR payloads (see vietqr.h).
 */
#include "core/compat.h"
#include "domain/vietqr.h"

#include <ctype.h>

uint16_t mc_crc16_ccitt(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint16_t crc = 0xFFFF;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		crc ^= (uint16_t)(b[i] << 8);
		for (k = 0; k < 8; k++)
			crc = crc & 0x8000 ? (uint16_t)(crc << 1 ^ 0x1021) :
			      (uint16_t)(crc << 1);
	}
	return crc;
}

/* Appends tag 'tag' with 'v' to 'out' (length 'len'); -1 if no room. */
static int tlv(char *out, size_t n, size_t *len, const char *tag,
	       const char *v)
{
	size_t vl = strlen(v);
	int k;

	if (vl > 99)
		return -1;
	k = snprintf(out + *len, n - *len, "%s%02zu%s", tag, vl, v);
	if (k < 0 || (size_t)k >= n - *len)
		return -1;
	*len += (size_t)k;
	return 0;
}

static bool printable(const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return false;
	return i <= max;
}

int mc_vietqr_build(const struct mc_vietqr *q, char *out, size_t n,
		    struct mc_err *err)
{
	char acct[128], add[64], amount[24];
	size_t len = 0, i, al = strlen(q->account);
	int rc = 0;

	if (strlen(q->bin) != 6 || strspn(q->bin, "0123456789") != 6)
		rc |= mc_err_field(err, "bin", "format", "the bank's 6-digit "
				   "BIN, e.g. 970436");
	for (i = 0; i < al; i++)
		if (!isalnum((unsigned char)q->account[i]))
			break;
	if (al < 1 || al > 19 || i < al)
		rc |= mc_err_field(err, "account", "format", "1 to 19 letters "
				   "or digits");
	if (q->amount < 0 || q->amount > 9999999999999LL)
		rc |= mc_err_field(err, "amount", "range", "0 to "
				   "9,999,999,999,999 VND");
	if (!printable(q->purpose, 25))
		rc |= mc_err_field(err, "purpose", "ascii", "at most 25 "
				   "printable ASCII characters");
	if (!printable(q->name, 25) || !printable(q->city, 15))
		rc |= mc_err_field(err, "name", "ascii", "at most 25 printable "
				   "ASCII characters (the city 15)");
	if (rc)
		return MC_EINVAL;
	/* 38: NAPAS's GUID, the beneficiary (BIN, account), the service. */
	{
		char ben[64];
		size_t bl = 0, l2 = 0;

		tlv(ben, sizeof(ben), &bl, "00", q->bin);
		tlv(ben, sizeof(ben), &bl, "01", q->account);
		tlv(acct, sizeof(acct), &l2, "00", "A000000727");
		tlv(acct, sizeof(acct), &l2, "01", ben);
		tlv(acct, sizeof(acct), &l2, "02", "QRIBFTTA");
	}
	if (tlv(out, n, &len, "00", "01") ||
	    tlv(out, n, &len, "01", q->amount > 0 ? "12" : "11") ||
	    tlv(out, n, &len, "38", acct) ||
	    tlv(out, n, &len, "53", "704"))
		return mc_error(err, MC_ETOOBIG, "the payload is too long");
	if (q->amount > 0) {
		snprintf(amount, sizeof(amount), "%" PRId64, q->amount);
		if (tlv(out, n, &len, "54", amount))
			return mc_error(err, MC_ETOOBIG, "the payload is too "
					"long");
	}
	if (tlv(out, n, &len, "58", "VN") ||
	    (q->name[0] && tlv(out, n, &len, "59", q->name)) ||
	    (q->city[0] && tlv(out, n, &len, "60", q->city)))
		return mc_error(err, MC_ETOOBIG, "the payload is too long");
	if (q->purpose[0]) {
		size_t l3 = 0;

		tlv(add, sizeof(add), &l3, "08", q->purpose);
		if (tlv(out, n, &len, "62", add))
			return mc_error(err, MC_ETOOBIG, "the payload is too "
					"long");
	}
	if (len + 9 > n)
		return mc_error(err, MC_ETOOBIG, "the payload is too long");
	memcpy(out + len, "6304", 5);
	snprintf(out + len + 4, n - len - 4, "%04X",
		 mc_crc16_ccitt(out, len + 4));
	return 0;
}

/* Walks the TLVs of s[0..n): calls 'fn' for each; -1 on a bad one. */
static int walk(const char *s, size_t n,
		void (*fn)(const char *tag, const char *v, size_t vl,
			   void *arg), void *arg)
{
	size_t i = 0;

	while (i < n) {
		size_t vl;

		if (i + 4 > n || !isdigit((unsigned char)s[i + 2]) ||
		    !isdigit((unsigned char)s[i + 3]))
			return -1;
		vl = (size_t)((s[i + 2] - '0') * 10 + (s[i + 3] - '0'));
		if (i + 4 + vl > n)
			return -1;
		if (fn)
			fn(s + i, s + i + 4, vl, arg);
		i += 4 + vl;
	}
	return 0;
}

static void copy(char *dst, size_t dn, const char *v, size_t vl)
{
	snprintf(dst, dn, "%.*s", (int)(vl < dn ? vl : dn - 1), v);
}

static void ben_tag(const char *tag, const char *v, size_t vl, void *arg)
{
	struct mc_vietqr *q = arg;

	if (!strncmp(tag, "00", 2))
		copy(q->bin, sizeof(q->bin), v, vl);
	else if (!strncmp(tag, "01", 2))
		copy(q->account, sizeof(q->account), v, vl);
}

static void acct_tag(const char *tag, const char *v, size_t vl, void *arg)
{
	if (!strncmp(tag, "01", 2))
		walk(v, vl, ben_tag, arg);
}

static void add_tag(const char *tag, const char *v, size_t vl, void *arg)
{
	struct mc_vietqr *q = arg;

	if (!strncmp(tag, "08", 2))
		copy(q->purpose, sizeof(q->purpose), v, vl);
}

static void top_tag(const char *tag, const char *v, size_t vl, void *arg)
{
	struct mc_vietqr *q = arg;
	char buf[24];

	if (!strncmp(tag, "38", 2)) {
		walk(v, vl, acct_tag, q);
	} else if (!strncmp(tag, "54", 2)) {
		copy(buf, sizeof(buf), v, vl);
		q->amount = strtoll(buf, NULL, 10);
	} else if (!strncmp(tag, "59", 2)) {
		copy(q->name, sizeof(q->name), v, vl);
	} else if (!strncmp(tag, "60", 2)) {
		copy(q->city, sizeof(q->city), v, vl);
	} else if (!strncmp(tag, "62", 2)) {
		walk(v, vl, add_tag, q);
	}
}

int mc_vietqr_parse(const char *s, struct mc_vietqr *q, struct mc_err *err)
{
	size_t n = strlen(s);
	char want[8];

	memset(q, 0, sizeof(*q));
	if (n < 12 || n > MC_VIETQR_MAX || strncmp(s + n - 8, "6304", 4) ||
	    walk(s, n, NULL, NULL))
		return mc_err_field(err, "payload", "format", "not a VietQR "
				    "payload (TLV ending in 6304 and a CRC)");
	snprintf(want, sizeof(want), "%04X", mc_crc16_ccitt(s, n - 4));
	if (strcmp(want, s + n - 4) != 0)
		return mc_err_field(err, "payload", "crc", "the CRC is %s, "
				    "the content's is %s", s + n - 4, want);
	walk(s, n - 8, top_tag, q);
	if (!q->bin[0] || !q->account[0])
		return mc_err_field(err, "payload", "tag", "no beneficiary "
				    "(tag 38) in the payload");
	return 0;
}

void mc_vietqr_purpose(const char *code, char out[32])
{
	size_t k = 0;

	for (; *code && k < 25; code++)
		if (isalnum((unsigned char)*code) || *code == '.' ||
		    *code == '-')
			out[k++] = *code;
	out[k] = '\0';
}

bool mc_vietqr_find_code(const char *text, char out[32])
{
	char a[256];
	size_t n = 0, i, k;

	/* The letters and digits, in upper case; other characters vanish. */
	for (; *text && n < sizeof(a) - 1; text++)
		if (isalnum((unsigned char)*text))
			a[n++] = (char)toupper((unsigned char)*text);
	a[n] = '\0';
	for (i = 0; i + 20 <= n; i++) {
		bool ok = true;

		for (k = 0; ok && k < 20; k++)
			ok = k == 7 ? isupper((unsigned char)a[i + k]) != 0 :
				      isdigit((unsigned char)a[i + k]) != 0;
		/*
		 * Banks glue their own references to the description, so
		 * digits may touch the code on either side: the letter
		 * anchors it, and the dossier must then exist.
		 */
		if (ok) {
			snprintf(out, 32, "%.3s.%.2s.%.2s.%.3s-%.6s-%.4s",
				 a + i, a + i + 3, a + i + 5, a + i + 7,
				 a + i + 10, a + i + 16);
			return true;
		}
	}
	out[0] = '\0';
	return false;
}
