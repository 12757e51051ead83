/*
 * results.c — electronic results over HTTP (docs/e-results.md): signing
 * at completion, the dossier's results, revoking and replacing them, and
 * the public verification by result code, which shows no personal data.
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/sha256.h"
#include "api/api.h"
#include "api/util.h"
#include "app.h"
#include "files/blobs.h"
#include "files/sign.h"
#include "render/qr.h"
#include "render/result_pdf.h"
#include "store/dossiers.h"
#include "store/results.h"

#include <sodium.h>

/* Signing, on a worker (it reads the unit's key from disk). */

int mc_api_result_sign(const struct mc_app *app, const struct mc_user *actor,
		       const char *sha256, const char *number,
		       const char *code, int64_t now,
		       struct mc_result_sig *out, struct mc_err *err)
{
	unsigned char digest[32], *der = NULL;
	const struct mc_cert_info *ci;
	struct mc_signer *s = NULL;
	size_t n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!mc_sha256_hex_ok(sha256) ||
	    sodium_hex2bin(digest, sizeof(digest), sha256, 64, NULL, NULL,
			   NULL))
		return mc_err_field(err, "result.file", "format", "give the "
				    "SHA-256 of your upload, 64 lower-case "
				    "hex digits");
	rc = mc_signer_load(app->cfg.files_dir, actor->unit_code, &s, err);
	if (rc == MC_ENOTFOUND) {
		mc_err_clear(err);
		return mc_err_rule(err, MC_ECONFLICT, "result.file",
				   "certificate", "unit %s has no signing "
				   "certificate (motcua keys issue --unit %s, "
				   "or keys import)", actor->unit_code,
				   actor->unit_code);
	}
	if (rc)
		return rc;
	ci = mc_signer_info(s);
	if (ci->not_after < now || ci->not_before > now) {
		mc_signer_free(s);
		return mc_err_rule(err, MC_ECONFLICT, "result.file",
				   "certificate", "the certificate of unit %s "
				   "is not valid now", actor->unit_code);
	}
	rc = mc_sign_digest(s, digest, now, &der, &n, err);
	if (!rc && (sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL)
		    > sizeof(out->signature) ||
		    strlen(mc_signer_pem(s)) >= sizeof(out->certificate)))
		rc = mc_err_rule(err, MC_ECONFLICT, "result.file",
				 "certificate", "the certificate chain of unit "
				 "%s is too long to keep (at most %d bytes)",
				 actor->unit_code, MC_RESULT_CERT_MAX - 1);
	if (!rc) {
		if (code)
			snprintf(out->code, sizeof(out->code), "%s", code);
		else
			mc_result_code_new(out->code);
		snprintf(out->file_sha256, sizeof(out->file_sha256), "%s",
			 sha256);
		snprintf(out->number, sizeof(out->number), "%s", number);
		sodium_bin2base64(out->signature, sizeof(out->signature), der,
				  n, sodium_base64_VARIANT_ORIGINAL);
		snprintf(out->certificate, sizeof(out->certificate), "%s",
			 mc_signer_pem(s));
		snprintf(out->cert_sha256, sizeof(out->cert_sha256), "%s",
			 ci->sha256);
		snprintf(out->signer, sizeof(out->signer), "%s", ci->subject);
		snprintf(out->cert_issuer, sizeof(out->cert_issuer), "%s",
			 ci->issuer);
		snprintf(out->unit_code, sizeof(out->unit_code), "%s",
			 actor->unit_code);
		out->signed_at = now;
	}
	mc_free(der);
	mc_signer_free(s);
	return rc;
}

void mc_api_verify_url(const struct mc_app *app, const char *code, char *out,
		       size_t n)
{
	snprintf(out, n, "%s/verify/%s", app->cfg.public_url, code);
}

json_t *mc_api_result_json(const struct mc_app *app,
			   const struct mc_result *r)
{
	char url[400];

	mc_api_verify_url(app, r->sig.code, url, sizeof(url));
	return json_pack("{s:s, s:s, s:o, s:s, s:s, s:I, s:s, s:s, s:s, s:s, "
		"s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:I}",
		"code", r->sig.code, "status", r->status, "number",
		mc_api_text(r->sig.number), "sha256", r->sig.file_sha256,
		"media_type", r->media_type, "size", (json_int_t)r->size,
		"unit_code", r->sig.unit_code, "signer", r->sig.signer,
		"cert_issuer", r->sig.cert_issuer, "cert_sha256",
		r->sig.cert_sha256, "signed_at", mc_api_time(r->sig.signed_at),
		"signed_by", r->signed_by, "dossier_code", r->dossier_code,
		"status_at", mc_api_time(r->status_at), "status_reason",
		mc_api_text(r->status_reason), "replaces",
		mc_api_text(r->replaces), "replaced_by",
		mc_api_text(r->replaced_by), "verify_url", url, "document_id",
		(json_int_t)r->document_id);
}

int mc_api_result_generate(const struct mc_app *app,
			   const struct mc_user *actor,
			   const struct mc_result_ctx *ctx, const char *number,
			   const char *summary, int64_t now,
			   struct mc_result_sig *out, struct mc_err *err)
{
	struct mc_buf pdf = MC_BUF_INIT(MC_RESULT_PDF_MAX);
	struct mc_result_doc doc;
	char code[MC_RESULT_CODE_MAX], url[400], sha[MC_SHA256_HEX];
	int rc;

	mc_result_code_new(code);
	mc_api_verify_url(app, code, url, sizeof(url));
	memset(&doc, 0, sizeof(doc));
	doc.governing = ctx->governing;
	doc.issuer = ctx->issuer;
	doc.number = number;
	doc.place = ctx->place;
	doc.at = now;
	doc.title = ctx->result_type;
	doc.procedure = ctx->procedure_name;
	doc.dossier_code = ctx->dossier_code;
	doc.applicant = ctx->applicant_name;
	doc.summary = summary;
	doc.signer = actor->full_name;
	doc.result_code = code;
	doc.verify_url = url;
	rc = mc_render_result_pdf(&doc, &pdf, err);
	if (!rc)
		rc = mc_blob_put(app->cfg.files_dir, pdf.buf, pdf.len, sha, err);
	if (!rc)
		rc = mc_api_result_sign(app, actor, sha, number, code, now, out,
					err);
	if (!rc) {
		out->generated = true;
		out->size = (int64_t)pdf.len;
	}
	mc_buf_release(&pdf);
	return rc;
}

/* Public verification. */

static struct mc_result *load_public(struct mc_req *r)
{
	const char *code = mc_req_param(r, "code");
	struct mc_result *res = mc_calloc(1, sizeof(*res));
	struct mc_err err = MC_ERR_INIT;
	int rc = MC_ENOTFOUND;

	if (mc_result_code_ok(code))
		rc = mc_result_get(mc_req_db(r), code, res, &err);
	if (rc) {
		mc_free(res);
		if (rc == MC_ENOTFOUND)
			mc_reply_problem(r, 404, "not-found", "Không tìm thấy "
					 "kết quả", "no result has this code",
					 NULL);
		else
			mc_reply_err(r, &err);
		return NULL;
	}
	return res;
}

/* Whether the stored signature holds for the stored hash, and whose. */
static bool signature_holds(const struct mc_result *res,
			    struct mc_cert_info *ci)
{
	unsigned char digest[32], *der = mc_malloc(MC_RESULT_SIG_MAX);
	size_t n = 0;
	bool ok;

	ok = !sodium_hex2bin(digest, sizeof(digest), res->sig.file_sha256, 64,
			     NULL, NULL, NULL) &&
		!sodium_base642bin(der, MC_RESULT_SIG_MAX, res->sig.signature,
				   strlen(res->sig.signature), NULL, &n, NULL,
				   sodium_base64_VARIANT_ORIGINAL) &&
		!mc_sign_check(der, n, digest, ci, NULL);
	mc_free(der);
	return ok;
}

static const char *status_vi(const char *status)
{
	if (!strcmp(status, "valid"))
		return "Còn hiệu lực";
	if (!strcmp(status, "revoked"))
		return "Đã bị thu hồi";
	return "Đã được thay thế";
}

static json_t *public_json(const struct mc_app *app,
			   const struct mc_result *res, const char *sha256,
			   bool holds, const struct mc_cert_info *ci)
{
	char url[400], base[420];
	json_t *o;

	mc_api_verify_url(app, res->sig.code, url, sizeof(url));
	snprintf(base, sizeof(base), "/api/v1/verify/%s", res->sig.code);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, "
		"s:I, s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:o, s:s}",
		"code", res->sig.code, "status", res->status, "status_text",
		status_vi(res->status), "issuer", res->unit_name, "unit_code",
		res->sig.unit_code, "procedure_code", res->procedure_code,
		"procedure_name", res->procedure_name, "number",
		mc_api_text(res->sig.number), "signed_at",
		mc_api_time(res->sig.signed_at), "sha256", res->sig.file_sha256,
		"size", (json_int_t)res->size, "media_type", res->media_type,
		"signer", res->sig.signer, "cert_issuer", res->sig.cert_issuer,
		"cert_sha256", res->sig.cert_sha256, "signature_valid", holds,
		"status_at", mc_api_time(res->status_at), "replaced_by",
		mc_api_text(res->replaced_by), "replaces",
		mc_api_text(res->replaces), "verify_url", url);
	if (holds)
		json_object_set_new(o, "cert_valid_until",
				    mc_api_time(ci->not_after));
	json_object_set_new(o, "links", json_pack("{s:s+, s:s+, s:s+}",
		"signature", base, "/signature", "certificate", base,
		"/certificate", "qr", base, "/qr.svg"));
	if (sha256)
		json_object_set_new(o, "file_matches",
				    json_boolean(!strcmp(sha256,
							 res->sig.file_sha256)));
	return o;
}

/* GET /api/v1/verify/{code}[?sha256=]: what anyone may know of a result. */
void api_verify(struct mc_req *r)
{
	static const char *const allowed[] = { "sha256", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct mc_result *res;
	struct mc_cert_info ci;
	const char *sha;
	bool holds;

	if (mc_req_query_check(r, allowed, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	sha = mc_req_query(r, "sha256");
	if (sha && !mc_sha256_hex_ok(sha)) {
		mc_err_field(&err, "sha256", "format", "64 lower-case hex "
			     "digits");
		mc_reply_err(r, &err);
		return;
	}
	if (!(res = load_public(r)))
		return;
	holds = signature_holds(res, &ci);
	mc_reply_json(r, 200, public_json(mc_req_app(r), res, sha, holds,
					  &ci));
	mc_free(res);
}

/* GET /api/v1/verify/{code}/signature: the CMS, DER (code.p7s). */
void api_verify_signature(struct mc_req *r)
{
	unsigned char *der;
	struct mc_result *res;
	char disp[80];
	size_t n = 0;

	if (!(res = load_public(r)))
		return;
	der = mc_malloc(MC_RESULT_SIG_MAX);
	if (sodium_base642bin(der, MC_RESULT_SIG_MAX, res->sig.signature,
			      strlen(res->sig.signature), NULL, &n, NULL,
			      sodium_base64_VARIANT_ORIGINAL)) {
		mc_reply_problem(r, 500, "damaged", "Chữ ký lưu trữ bị hỏng",
				 "the stored signature cannot be read", NULL);
	} else {
		snprintf(disp, sizeof(disp), "attachment; filename=\"%s.p7s\"",
			 res->sig.code);
		mc_req_header(r, "content-disposition", disp);
		mc_reply_bytes(r, 200, "application/pkcs7-signature", der, n);
	}
	mc_free(der);
	mc_free(res);
}

/* GET /api/v1/verify/{code}/certificate: the signer's chain, PEM. */
void api_verify_certificate(struct mc_req *r)
{
	struct mc_result *res;

	if (!(res = load_public(r)))
		return;
	mc_reply_bytes(r, 200, "application/x-pem-file", res->sig.certificate,
		       strlen(res->sig.certificate));
	mc_free(res);
}

/* GET /api/v1/verify/{code}/qr.svg: the verification link as a QR code. */
void api_verify_qr(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_result *res;
	struct mc_buf img = MC_BUF_INIT(1 << 20);
	char url[400];

	if (!(res = load_public(r)))
		return;
	mc_api_verify_url(mc_req_app(r), res->sig.code, url, sizeof(url));
	if (mc_qr_svg(url, 4, &img, &err))
		mc_reply_err(r, &err);
	else
		mc_reply_bytes(r, 200, "image/svg+xml", img.buf, img.len);
	mc_buf_release(&img);
	mc_free(res);
}

/*
 * The page is a few kilobytes of bounded fields under a 64 KiB cap: an
 * append that would pass it cannot happen, and would only cut the page.
 */
static void puts_(struct mc_buf *b, const char *s)
{
	if (mc_buf_adds(b, s))
		return;
}

/* Text for HTML, escaped. */
static void html_text(struct mc_buf *b, const char *s)
{
	char one[2] = { 0, 0 };

	for (; *s; s++) {
		switch (*s) {
		case '<': puts_(b, "&lt;"); break;
		case '>': puts_(b, "&gt;"); break;
		case '&': puts_(b, "&amp;"); break;
		case '"': puts_(b, "&quot;"); break;
		case '\'': puts_(b, "&#39;"); break;
		default: one[0] = *s; puts_(b, one); break;
		}
	}
}

static void html_row(struct mc_buf *b, const char *label, const char *value)
{
	puts_(b, "<tr><th scope=\"row\">");
	html_text(b, label);
	puts_(b, "</th><td>");
	html_text(b, value);
	puts_(b, "</td></tr>\n");
}


/* The verification page's own style, the one inline style allowed. */
static const char verify_style[] = "body{font:16px/1.5 sans-serif;"
	"max-width:40em;margin:1em auto;padding:0 1em}th{text-align:left;"
	"padding-right:1em;vertical-align:top}td{word-break:break-all}"
	".ok{color:#0a6b2d}.bad{color:#a4161a}";

/* The site's policy, with the hash of that style (nothing else inline). */
static void verify_csp(struct mc_req *r)
{
	unsigned char d[32];
	char b64[64], csp[400];

	crypto_hash_sha256(d, (const unsigned char *)verify_style,
			   strlen(verify_style));
	sodium_bin2base64(b64, sizeof(b64), d, sizeof(d),
			  sodium_base64_VARIANT_ORIGINAL);
	snprintf(csp, sizeof(csp), MC_CSP_HEAD " 'sha256-%s'" MC_CSP_TAIL, b64);
	mc_req_header_set(r, "content-security-policy", csp);
}

/*
 * GET /verify/{code}: the page the QR code on a paper result opens, in
 * Vietnamese, without scripts: the same facts as the API.
 */
void api_verify_page(struct mc_req *r)
{
	struct mc_buf b = MC_BUF_INIT(1 << 16);
	struct mc_result *res;
	struct mc_cert_info ci;
	char when[40], base[80];
	bool holds;

	if (!(res = load_public(r)))
		return;
	holds = signature_holds(res, &ci);
	snprintf(base, sizeof(base), "/api/v1/verify/%s", res->sig.code);
	puts_(&b, "<!doctype html>\n<html lang=\"vi\"><head><meta "
		    "charset=\"utf-8\"><meta name=\"viewport\" content=\""
		    "width=device-width, initial-scale=1\"><title>Xác thực "
		    "kết quả ");
	html_text(&b, res->sig.code);
	puts_(&b, "</title><style>");
	puts_(&b, verify_style);
	puts_(&b, "</style></head><body>\n<h1>Xác thực kết quả giải quyết "
		    "thủ tục hành chính</h1>\n<p class=\"");
	verify_csp(r);
	puts_(&b, holds && !strcmp(res->status, "valid") ? "ok" : "bad");
	puts_(&b, "\"><strong>");
	if (!holds)
		puts_(&b, "Chữ ký số không hợp lệ");
	else
		html_text(&b, status_vi(res->status));
	puts_(&b, "</strong></p>\n<table>\n");
	html_row(&b, "Mã kết quả", res->sig.code);
	html_row(&b, "Cơ quan cấp", res->unit_name);
	html_row(&b, "Thủ tục", res->procedure_name);
	if (res->sig.number[0])
		html_row(&b, "Số", res->sig.number);
	mc_time_format_local(res->sig.signed_at, when, sizeof(when));
	html_row(&b, "Thời điểm ký", when);
	html_row(&b, "Người ký (chứng thư số)", res->sig.signer);
	html_row(&b, "Tổ chức cấp chứng thư", res->sig.cert_issuer);
	html_row(&b, "Mã băm SHA-256 của tệp", res->sig.file_sha256);
	if (res->replaced_by[0])
		html_row(&b, "Được thay thế bằng", res->replaced_by);
	puts_(&b, "</table>\n<p>So sánh mã băm SHA-256 của tệp bạn có "
		    "với mã trên. Tải <a href=\"");
	html_text(&b, base);
	puts_(&b, "/signature\">chữ ký số (.p7s)</a> và <a href=\"");
	html_text(&b, base);
	puts_(&b, "/certificate\">chứng thư số</a> để tự kiểm tra.</p>"
		    "\n</body></html>\n");
	mc_reply_bytes(r, 200, "text/html; charset=utf-8", b.buf, b.len);
	mc_buf_release(&b);
	mc_free(res);
}

/* Revoking and replacing (staff). */

struct change {
	struct mc_api_write aw;
	struct mc_user actor;
	char code[MC_RESULT_CODE_MAX];
	char reason[MC_TEXT_MAX];
	char file[MC_SHA256_HEX];
	char number[64];
	bool replace, ran;
	const struct mc_app *app;
	struct mc_result_sig next;
	int rc;
	struct mc_err err;
	struct mc_result out;
};

static int change_fn(struct mc_conn *c, struct mc_api_write *aw,
		     struct mc_err *err)
{
	struct change *w = (struct change *)aw;
	int rc;

	rc = w->replace ? mc_result_replace(c, w->code, &w->actor, w->reason,
					    &w->next, aw->now, err)
		: mc_result_revoke(c, w->code, &w->actor, w->reason, aw->now,
				   err);
	if (!rc)
		rc = mc_result_get(c, w->replace ? w->next.code : w->code,
				   &w->out, err);
	return rc;
}

static void change_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct change *w = (struct change *)aw;

	mc_reply_json(r, w->replace ? 201 : 200,
		      mc_api_result_json(mc_req_app(r), &w->out));
}

static void sign_run(struct mc_conn *db, void *arg)
{
	struct change *w = arg;

	(void)db;
	w->ran = true;
	w->rc = mc_api_result_sign(w->app, &w->actor, w->file,
				   w->number, NULL, w->aw.now, &w->next,
				   &w->err);
}

static void sign_done(struct mc_req *r, void *arg)
{
	struct change *w = arg;

	if (!w->ran) {			/* answered 503 already */
		mc_free(w);
		return;
	}
	if (w->rc) {
		mc_reply_err(r, &w->err);
		mc_free(w);
		return;
	}
	mc_api_write_submit(r, &w->aw);
}

static void change(struct mc_req *r, bool replace)
{
	static const char *const known[] = { "reason", "file", "number",
					     NULL };
	struct mc_err err = MC_ERR_INIT;
	struct change *w;
	json_t *body;
	int rc = 0;

	w = mc_calloc(1, sizeof(*w));
	if (mc_api_user(r, &w->actor) || !(body = mc_api_body(r))) {
		mc_free(w);
		return;
	}
	w->replace = replace;
	rc |= mc_api_known(body, "", known, &err);
	rc |= mc_api_str(body, "", "reason", true, 1000, w->reason,
			 sizeof(w->reason), &err);
	rc |= mc_api_str(body, "", "file", replace, 64, w->file,
			 sizeof(w->file), &err);
	rc |= mc_api_str(body, "", "number", false, 63, w->number,
			 sizeof(w->number), &err);
	if (!replace && (w->file[0] || w->number[0]))
		rc |= mc_err_field(&err, "file", "unknown", "a revocation "
				   "takes only a reason");
	json_decref(body);
	if (rc) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	snprintf(w->code, sizeof(w->code), "%s", mc_req_param(r, "code"));
	w->aw.fn = change_fn;
	w->aw.reply = change_reply;
	if (!replace) {
		mc_api_write_submit(r, &w->aw);
		return;
	}
	w->aw.now = mc_api_now(mc_req_app(r));
	w->app = mc_req_app(r);
	mc_req_defer(r, sign_run, sign_done, w);
}

/* POST /api/v1/results/{code}/revoke {reason} */
void api_results_revoke(struct mc_req *r)
{
	change(r, false);
}

/* POST /api/v1/results/{code}/replace {file, number, reason} */
void api_results_replace(struct mc_req *r)
{
	change(r, true);
}
