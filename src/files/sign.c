/*
 * sign.c — unit keys, certificates and CMS signatures (see sign.h).
 */
#include "core/compat.h"
#include "core/mem.h"
#include "core/utf8.h"
#include "files/blobs.h"
#include "files/sign.h"

#include <ctype.h>
#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct mc_signer {
	EVP_PKEY *key;
	X509 *cert;
	STACK_OF(X509) *chain;
	struct mc_cert_info info;
	char *pem;
};

/* The first error OpenSSL queued, as text, and the queue emptied. */
static const char *ssl_why(char *buf, size_t n)
{
	unsigned long e = ERR_get_error();

	if (!e)
		snprintf(buf, n, "unknown reason");
	else
		ERR_error_string_n(e, buf, n);
	ERR_clear_error();
	return buf;
}

static int ssl_error(struct mc_err *err, int code, const char *what)
{
	char why[200];

	return mc_error(err, code, "%s: %s", what, ssl_why(why, sizeof(why)));
}

static void name_line(const X509_NAME *name, char *out, size_t n)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	long len;

	out[0] = 0;
	if (!b)
		return;
	/* RFC 2253, with UTF-8 left as it is (Vietnamese names). */
	X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 &
			   ~ASN1_STRFLGS_ESC_MSB);
	len = BIO_get_mem_data(b, &p);
	if (len > 0) {
		snprintf(out, n, "%.*s", (int)len, p);
		/* A long name is cut on a character, never inside one. */
		mc_utf8_trim_partial(out);
	}
	BIO_free(b);
}

static int64_t asn1_time(const ASN1_TIME *t)
{
	struct tm tm;

	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return 0;
	return (int64_t)timegm(&tm);
}

static void cert_info(X509 *x, struct mc_cert_info *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;
	const ASN1_INTEGER *sn;
	BIGNUM *bn;

	memset(out, 0, sizeof(*out));
	name_line(X509_get_subject_name(x), out->subject, sizeof(out->subject));
	name_line(X509_get_issuer_name(x), out->issuer, sizeof(out->issuer));
	if (X509_digest(x, EVP_sha256(), md, &len))
		for (i = 0; i < len && i < 32; i++)
			snprintf(out->sha256 + 2 * i, 3, "%02x", md[i]);
	out->not_before = asn1_time(X509_get0_notBefore(x));
	out->not_after = asn1_time(X509_get0_notAfter(x));
	sn = X509_get0_serialNumber(x);
	if ((bn = ASN1_INTEGER_to_BN(sn, NULL))) {
		char *hex = BN_bn2hex(bn);

		if (hex)
			snprintf(out->serial, sizeof(out->serial), "%s", hex);
		OPENSSL_free(hex);
		BN_free(bn);
	}
}

static void key_paths(const char *files_dir, const char *code, char *key,
		      char *crt, size_t n)
{
	snprintf(key, n, "%s/keys/units/%s.key", files_dir, code);
	snprintf(crt, n, "%s/keys/units/%s.crt", files_dir, code);
}

bool mc_keys_unit_code_ok(const char *code)
{
	const char *p;

	if (!code[0] || code[0] == '.' || strlen(code) > 64)
		return false;
	for (p = code; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '.' || *p == '-' ||
		      *p == '_'))
			return false;
	return true;
}

/* Reads every certificate of PEM file 'path', the first apart. */
static int read_certs(const char *path, X509 **first, STACK_OF(X509) **rest,
		      struct mc_err *err)
{
	BIO *b = BIO_new_file(path, "r");
	X509 *x;

	*first = NULL;
	if (rest)
		*rest = NULL;
	if (!b)
		return errno == ENOENT ? mc_error(err, MC_ENOTFOUND, "no %s",
						  path)
			: mc_error(err, MC_EIO, "cannot read %s: %s", path,
				   strerror(errno));
	*first = PEM_read_bio_X509(b, NULL, NULL, NULL);
	if (!*first) {
		BIO_free(b);
		return ssl_error(err, MC_EIO, path);
	}
	if (rest) {
		*rest = sk_X509_new_null();
		while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)))
			sk_X509_push(*rest, x);
	}
	ERR_clear_error();	/* the end of the file */
	BIO_free(b);
	return 0;
}

static int read_key(const char *path, EVP_PKEY **out, struct mc_err *err)
{
	BIO *b = BIO_new_file(path, "r");

	if (!b)
		return errno == ENOENT ? mc_error(err, MC_ENOTFOUND, "no %s",
						  path)
			: mc_error(err, MC_EIO, "cannot read %s: %s", path,
				   strerror(errno));
	*out = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	return *out ? 0 : ssl_error(err, MC_EIO, path);
}

static char *file_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *t;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || n > 1 << 20 ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return NULL;
	}
	t = mc_malloc((size_t)n + 1);
	t[fread(t, 1, (size_t)n, f)] = 0;
	fclose(f);
	return t;
}

int mc_signer_load(const char *files_dir, const char *unit_code,
		   struct mc_signer **out, struct mc_err *err)
{
	char key[700], crt[700];
	struct mc_signer *s;
	int rc;

	*out = NULL;
	if (!mc_keys_unit_code_ok(unit_code))
		return mc_error(err, MC_ENOTFOUND, "no key for unit %s",
				unit_code);
	key_paths(files_dir, unit_code, key, crt, sizeof(key));
	s = mc_calloc(1, sizeof(*s));
	rc = read_certs(crt, &s->cert, &s->chain, err);
	if (!rc)
		rc = read_key(key, &s->key, err);
	if (!rc && X509_check_private_key(s->cert, s->key) != 1)
		rc = ssl_error(err, MC_EIO, "the key of unit does not belong "
			       "to its certificate");
	if (!rc && !(s->pem = file_text(crt)))
		rc = mc_error(err, MC_EIO, "cannot read %s", crt);
	if (rc) {
		mc_signer_free(s);
		return rc;
	}
	cert_info(s->cert, &s->info);
	*out = s;
	return 0;
}

void mc_signer_free(struct mc_signer *s)
{
	if (!s)
		return;
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	sk_X509_pop_free(s->chain, X509_free);
	mc_free(s->pem);
	mc_free(s);
}

const struct mc_cert_info *mc_signer_info(const struct mc_signer *s)
{
	return &s->info;
}

const char *mc_signer_pem(const struct mc_signer *s)
{
	return s->pem;
}

int mc_sign_digest(const struct mc_signer *s, const unsigned char digest[32],
		   int64_t at, unsigned char **der, size_t *n,
		   struct mc_err *err)
{
	const unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL |
		CMS_NOSMIMECAP;
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	ASN1_TIME *t = NULL;
	unsigned char *p = NULL;
	int len, i, rc = 0;

	*der = NULL;
	*n = 0;
	cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
	if (!cms)
		return ssl_error(err, MC_EINTERNAL, "cannot start a signature");
	/*
	 * The content is not at hand, its digest is: the attributes the
	 * signature covers are set here as CMS_final would set them.
	 */
	si = CMS_add1_signer(cms, s->cert, s->key, EVP_sha256(), flags);
	/*
	 * The chain, each certificate once: OpenSSL refuses one already
	 * there, and a chain file may repeat the signer's or an
	 * intermediate.
	 */
	for (i = 0; si && s->chain && i < sk_X509_num(s->chain); i++) {
		X509 *x = sk_X509_value(s->chain, i);
		int k;
		bool seen = X509_cmp(x, s->cert) == 0;

		for (k = 0; k < i && !seen; k++)
			seen = X509_cmp(x, sk_X509_value(s->chain, k)) == 0;
		if (!seen && !CMS_add1_cert(cms, x))
			si = NULL;
	}
	if (!si || !(t = ASN1_TIME_set(NULL, (time_t)at)) ||
	    !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType,
					 V_ASN1_OBJECT,
					 OBJ_nid2obj(NID_pkcs7_data), -1) ||
	    !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, t->type,
					 t, -1) ||
	    !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest,
					 V_ASN1_OCTET_STRING, digest, 32) ||
	    CMS_SignerInfo_sign(si) != 1 ||
	    (len = i2d_CMS_ContentInfo(cms, &p)) <= 0) {
		rc = ssl_error(err, MC_EINTERNAL, "cannot sign");
	} else {
		*der = mc_malloc((size_t)len);
		memcpy(*der, p, (size_t)len);
		*n = (size_t)len;
	}
	OPENSSL_free(p);
	ASN1_TIME_free(t);
	CMS_ContentInfo_free(cms);
	return rc;
}

int mc_sign_check(const unsigned char *der, size_t n,
		  const unsigned char digest[32], struct mc_cert_info *info,
		  struct mc_err *err)
{
	const unsigned char *p = der;
	CMS_ContentInfo *cms;
	STACK_OF(CMS_SignerInfo) *sis;
	CMS_SignerInfo *si;
	X509_ALGOR *dig = NULL;
	X509 *signer = NULL;
	X509_ATTRIBUTE *attr;
	ASN1_TYPE *md;
	int idx, rc = 0;

	if (n > LONG_MAX || !(cms = d2i_CMS_ContentInfo(NULL, &p, (long)n))) {
		ERR_clear_error();
		return mc_error(err, MC_EINVAL, "not a CMS signature");
	}
	sis = CMS_get0_SignerInfos(cms);
	if (!sis || sk_CMS_SignerInfo_num(sis) != 1) {
		rc = mc_error(err, MC_EINVAL, "not one signer");
		goto out;
	}
	si = sk_CMS_SignerInfo_value(sis, 0);
	if (CMS_set1_signers_certs(cms, NULL, 0) < 1) {
		rc = ssl_error(err, MC_EINVAL, "no signer's certificate");
		goto out;
	}
	CMS_SignerInfo_get0_algs(si, NULL, &signer, &dig, NULL);
	if (!signer || !dig || OBJ_obj2nid(dig->algorithm) != NID_sha256) {
		rc = mc_error(err, MC_EINVAL, "not a SHA-256 signature");
		goto out;
	}
	idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_messageDigest, -1);
	attr = idx < 0 ? NULL : CMS_signed_get_attr(si, idx);
	md = attr ? X509_ATTRIBUTE_get0_type(attr, 0) : NULL;
	if (!md || md->type != V_ASN1_OCTET_STRING ||
	    ASN1_STRING_length(md->value.octet_string) != 32 ||
	    memcmp(ASN1_STRING_get0_data(md->value.octet_string), digest,
		   32)) {
		rc = mc_error(err, MC_EINVAL, "the signature is over other "
			      "content");
		goto out;
	}
	if (CMS_SignerInfo_verify(si) != 1) {
		rc = ssl_error(err, MC_EINVAL, "the signature does not hold");
		goto out;
	}
	if (info)
		cert_info(signer, info);
out:
	ERR_clear_error();
	CMS_ContentInfo_free(cms);
	return rc;
}

/* Key management. */

/*
 * Writes 'what' (a key or certificates) whole to a private file, then
 * moves it to 'path': refused if 'path' exists and 'replace' is false.
 */
typedef int pem_writer(BIO *b, void *arg);

static int write_pem(const char *path, pem_writer *fn, void *arg,
		     bool replace, mode_t mode, struct mc_err *err)
{
	char tmp[800];
	BIO *b;
	FILE *f;
	int fd, rc;

	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return mc_error(err, MC_EIO, "cannot write %s: %s", tmp,
				strerror(errno));
	f = fdopen(fd, "w");
	b = f ? BIO_new_fp(f, BIO_NOCLOSE) : NULL;
	rc = b && fn(b, arg) && BIO_flush(b) == 1 ? 0 : -1;
	BIO_free(b);
	if (!rc && (fflush(f) || fsync(fd)))
		rc = -1;
	if (f)
		fclose(f);
	else
		close(fd);
	if (rc) {
		unlink(tmp);
		return ssl_error(err, MC_EIO, tmp);
	}
	rc = replace ? rename(tmp, path) : link(tmp, path);
	if (rc) {
		int e = errno;

		unlink(tmp);
		return e == EEXIST ? mc_error(err, MC_ECONFLICT, "%s exists",
					      path)
			: mc_error(err, MC_EIO, "cannot write %s: %s", path,
				   strerror(e));
	}
	if (!replace)
		unlink(tmp);
	return 0;
}

static int put_key(BIO *b, void *arg)
{
	return PEM_write_bio_PrivateKey(b, arg, NULL, NULL, 0, NULL, NULL);
}

static int put_cert(BIO *b, void *arg)
{
	return PEM_write_bio_X509(b, arg);
}

struct cert_and_chain {
	X509 *cert;
	STACK_OF(X509) *chain;
};

static int put_chain(BIO *b, void *arg)
{
	struct cert_and_chain *cc = arg;
	int i;

	if (!PEM_write_bio_X509(b, cc->cert))
		return 0;
	for (i = 0; cc->chain && i < sk_X509_num(cc->chain); i++)
		if (!PEM_write_bio_X509(b, sk_X509_value(cc->chain, i)))
			return 0;
	return 1;
}

static int make_dirs(const char *files_dir, struct mc_err *err)
{
	char path[700];

	if (mc_blob_init(files_dir, err))
		return MC_EIO;
	snprintf(path, sizeof(path), "%s/keys", files_dir);
	if (mkdir(path, 0700) && errno != EEXIST)
		return mc_error(err, MC_EIO, "cannot create %s: %s", path,
				strerror(errno));
	snprintf(path, sizeof(path), "%s/keys/units", files_dir);
	if (mkdir(path, 0700) && errno != EEXIST)
		return mc_error(err, MC_EIO, "cannot create %s: %s", path,
				strerror(errno));
	return 0;
}

static int add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return 0;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/*
 * A certificate for 'key' named 'name', signed by 'ca_key' as 'ca' (or by
 * itself when 'ca' is NULL).
 */
static X509 *make_cert(EVP_PKEY *key, X509_NAME *name, X509 *ca,
		       EVP_PKEY *ca_key, int64_t from, int days)
{
	unsigned char rnd[16];
	X509 *x = X509_new();
	time_t t0 = (time_t)from;
	BIGNUM *bn = NULL;
	bool ok;

	rnd[0] = 0;
	ok = x && RAND_bytes(rnd + 1, sizeof(rnd) - 1) == 1 &&
		(bn = BN_bin2bn(rnd, sizeof(rnd), NULL)) &&
		BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) &&
		X509_set_version(x, X509_VERSION_3) &&
		ASN1_TIME_set(X509_getm_notBefore(x), t0) &&
		X509_time_adj_ex(X509_getm_notAfter(x), days, 0, &t0) &&
		X509_set_pubkey(x, key) && X509_set_subject_name(x, name) &&
		X509_set_issuer_name(x, ca ? X509_get_subject_name(ca) : name);
	BN_free(bn);
	if (ok && !ca)
		ok = add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE") &&
			add_ext(x, x, NID_key_usage,
				"critical,keyCertSign,cRLSign") &&
			add_ext(x, x, NID_subject_key_identifier, "hash");
	else if (ok)
		ok = add_ext(x, ca, NID_basic_constraints,
			     "critical,CA:FALSE") &&
			add_ext(x, ca, NID_key_usage, "critical,"
				"digitalSignature,nonRepudiation") &&
			add_ext(x, ca, NID_subject_key_identifier, "hash") &&
			add_ext(x, ca, NID_authority_key_identifier,
				"keyid:always");
	if (ok)
		ok = X509_sign(x, ca ? ca_key : key, EVP_sha256()) > 0;
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	return x;
}

static bool name_add(X509_NAME *n, const char *field, const char *value)
{
	return X509_NAME_add_entry_by_txt(n, field, MBSTRING_UTF8,
					  (const unsigned char *)value, -1, -1,
					  0) == 1;
}

int mc_keys_make_ca(const char *files_dir, const char *name, int64_t from,
		    int days, struct mc_err *err)
{
	char kpath[700], cpath[700];
	EVP_PKEY *key = NULL;
	X509_NAME *n = NULL;
	X509 *x = NULL;
	int rc;

	if ((rc = make_dirs(files_dir, err)))
		return rc;
	snprintf(kpath, sizeof(kpath), "%s/keys/ca.key", files_dir);
	snprintf(cpath, sizeof(cpath), "%s/keys/ca.crt", files_dir);
	if (access(cpath, F_OK) == 0)
		return mc_error(err, MC_ECONFLICT, "%s exists", cpath);
	if (!(key = EVP_EC_gen("P-256")) || !(n = X509_NAME_new()) ||
	    !name_add(n, "C", "VN") || !name_add(n, "CN", name) ||
	    !(x = make_cert(key, n, NULL, NULL, from ? (time_t)from :
			    time(NULL) - 300, days))) {
		rc = ssl_error(err, MC_EINTERNAL, "cannot make the CA");
		goto out;
	}
	/* The key first: a certificate never lacks its key. */
	rc = write_pem(kpath, put_key, key, false, 0600, err);
	if (!rc)
		rc = write_pem(cpath, put_cert, x, false, 0644, err);
out:
	X509_NAME_free(n);
	X509_free(x);
	EVP_PKEY_free(key);
	return rc;
}

int mc_keys_issue(const char *files_dir, const char *code, const char *name,
		  const char *org, int64_t from, int days, bool renew,
		  struct mc_err *err)
{
	char kpath[700], cpath[700], ckey[700], ccrt[700];
	EVP_PKEY *key = NULL, *ca_key = NULL;
	X509 *ca = NULL, *x = NULL;
	X509_NAME *n = NULL;
	int rc;

	if (!mc_keys_unit_code_ok(code))
		return mc_err_field(err, "unit", "format", "a unit code has "
				    "letters, digits, '.', '-' and '_'");
	if ((rc = make_dirs(files_dir, err)))
		return rc;
	key_paths(files_dir, code, kpath, cpath, sizeof(kpath));
	if (!renew && access(cpath, F_OK) == 0)
		return mc_error(err, MC_ECONFLICT, "unit %s has a certificate "
				"(%s)", code, cpath);
	snprintf(ckey, sizeof(ckey), "%s/keys/ca.key", files_dir);
	snprintf(ccrt, sizeof(ccrt), "%s/keys/ca.crt", files_dir);
	if ((rc = read_certs(ccrt, &ca, NULL, err)) ||
	    (rc = read_key(ckey, &ca_key, err)))
		goto out;
	if (!(key = EVP_EC_gen("P-256")) || !(n = X509_NAME_new()) ||
	    !name_add(n, "C", "VN") || (org[0] && !name_add(n, "O", org)) ||
	    !name_add(n, "OU", code) || !name_add(n, "CN", name) ||
	    !(x = make_cert(key, n, ca, ca_key, from ? (time_t)from :
			    time(NULL) - 300, days))) {
		rc = ssl_error(err, MC_EINTERNAL, "cannot issue a certificate");
		goto out;
	}
	/*
	 * The key is written before the certificate (a key left without one
	 * by a crash is simply replaced): a signer loading in between finds
	 * them apart and says so, rather than signing with a key its
	 * certificate does not name.
	 */
	rc = write_pem(kpath, put_key, key, true, 0600, err);
	if (!rc) {
		struct cert_and_chain cc = { x, NULL };

		cc.chain = sk_X509_new_null();
		sk_X509_push(cc.chain, ca);
		rc = write_pem(cpath, put_chain, &cc, renew, 0644, err);
		sk_X509_free(cc.chain);
	}
out:
	X509_NAME_free(n);
	X509_free(x);
	X509_free(ca);
	EVP_PKEY_free(key);
	EVP_PKEY_free(ca_key);
	return rc;
}

int mc_keys_import(const char *files_dir, const char *code,
		   const char *key_file, const char *cert_file,
		   const char *chain_file, struct mc_err *err)
{
	char kpath[700], cpath[700];
	struct cert_and_chain cc = { NULL, NULL };
	STACK_OF(X509) *more = NULL;
	EVP_PKEY *key = NULL;
	X509 *first = NULL;
	int rc;

	if (!mc_keys_unit_code_ok(code))
		return mc_err_field(err, "unit", "format", "a unit code has "
				    "letters, digits, '.', '-' and '_'");
	if ((rc = read_key(key_file, &key, err)) ||
	    (rc = read_certs(cert_file, &cc.cert, &cc.chain, err)))
		goto out;
	if (X509_check_private_key(cc.cert, key) != 1) {
		ERR_clear_error();
		rc = mc_err_field(err, "key", "matches", "the key does not "
				  "belong to the certificate %s", cert_file);
		goto out;
	}
	if (chain_file) {
		if ((rc = read_certs(chain_file, &first, &more, err)))
			goto out;
		sk_X509_push(cc.chain, first);
		first = NULL;
		while (sk_X509_num(more) > 0)
			sk_X509_push(cc.chain, sk_X509_shift(more));
	}
	if ((rc = make_dirs(files_dir, err)))
		goto out;
	key_paths(files_dir, code, kpath, cpath, sizeof(kpath));
	rc = write_pem(kpath, put_key, key, true, 0600, err);
	if (!rc)
		rc = write_pem(cpath, put_chain, &cc, true, 0644, err);
out:
	sk_X509_pop_free(more, X509_free);
	X509_free(first);
	sk_X509_pop_free(cc.chain, X509_free);
	X509_free(cc.cert);
	EVP_PKEY_free(key);
	return rc;
}

int mc_keys_cert_info(const char *path, struct mc_cert_info *out,
		      struct mc_err *err)
{
	X509 *x;
	int rc = read_certs(path, &x, NULL, err);

	if (rc)
		return rc;
	cert_info(x, out);
	X509_free(x);
	return 0;
}
