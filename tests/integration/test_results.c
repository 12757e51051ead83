/*
 * test_results.c — electronic results against the real server
 * (docs/e-results.md), on SQLite and PostgreSQL:
 *
 * - a birth registration completed with an uploaded PDF: signed by the
 *   unit's certificate from the demo CA, a result code, the public
 *   verification (no personal data), and 'openssl cms -verify' accepting
 *   the signature with the file and refusing a tampered file;
 * - the e-result in its owner's data store, reused by a later procedure
 *   of the same citizen with no new upload;
 * - revoking one: not offered any more, not reusable, the verification
 *   says so; replacing one: the new code valid, the old pointing at it;
 * - every refusal changes nothing.
 */
#include "core/compat.h"
#include "harness/harness.h"

#include <sodium.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

static struct th_server srv;
static char db[600], counter[128], leader[128], control[128];
static char files_dir[600];

#define PROC_KS "9.900801"	/* birth registration: result "Giấy khai sinh" */
#define PROC_USE "9.900802"	/* a later one that needs the birth certificate */
#define PID "051201009999"
#define NAME "Lê Thị Kết Quả"

static void publish(const char *code, const char *name, const char *result,
		    json_t *components)
{
	char path[100];

	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures", control,
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:{s:s, s:b, "
		"s:b}, s:o, s:[{s:s, s:s, s:i}, {s:s, s:s, s:i}]}", "code",
		code, "name", name, "field", "Hộ tịch", "level", "province",
		"unit_code", "000.00.04.H51", "processing_time", "amount", 3,
		"unit", "working_days", "result", "document_type", result,
		"paper", 1, "electronic", 1, "components", components, "steps",
		"name", "Tiếp nhận", "role", "counter_officer", "share_percent",
		10, "name", "Giải quyết", "role", "leader", "share_percent",
		90), NULL), 201);
	snprintf(path, sizeof(path), "/api/v1/procedures/%s/publish", code);
	assert_int_equal(th_api(srv.base, "POST", path, control, json_pack(
		"{s:s, s:s, s:s}", "valid_from", "2025-01-01", "decision_number",
		"8/QĐ", "decision_date", "2025-01-01"), NULL), 200);
}

static int setup(void **state)
{
	(void)state;
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	setenv("MOTCUA_WATCH_INTERVAL", "0", 1);
	th_demo_db(db, sizeof(db), "results");
	th_serve(&srv, (const char *[]){ "--db", db, "--public-url",
		 "https://dichvucong.quangngai.gov.vn", NULL });
	th_path(files_dir, sizeof(files_dir), "files");
	th_login(srv.base, "tiepnhan", "motcua-demo", counter,
		 sizeof(counter));
	th_login(srv.base, "lanhdao", "motcua-demo", leader, sizeof(leader));
	th_login(srv.base, "kiemsoat", "motcua-demo", control,
		 sizeof(control));
	publish(PROC_KS, "Thủ tục đăng ký khai sinh (thử)", "Giấy khai sinh",
		json_pack("[{s:s, s:s, s:s, s:b}]", "code", "TK", "name",
			  "Tờ khai đăng ký khai sinh", "form", "original",
			  "required", 1));
	publish(PROC_USE, "Thủ tục cần giấy khai sinh (thử)", "Giấy xác nhận",
		json_pack("[{s:s, s:s, s:s, s:s, s:b}]", "code", "GKS", "name",
			  "Giấy khai sinh", "document_type", "GKS", "form",
			  "copy", "required", 1));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(th_serve_stop(&srv), 0);
	return 0;
}

/* Uploads 'n' bytes by tus in one request as 'tok'; fills 'sha'. */
static void upload(const char *tok, const void *p, size_t n, char sha[65])
{
	char url[300], auth[200], len[64], loc[160];
	struct th_resp r;

	snprintf(url, sizeof(url), "%s/api/v1/uploads", srv.base);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", tok);
	snprintf(len, sizeof(len), "Upload-Length: %zu", n);
	assert_int_equal(th_http("POST", url, (const char *[]){ auth,
		"Tus-Resumable: 1.0.0", len, NULL }, NULL, 0, &r), 0);
	assert_int_equal(r.status, 201);
	assert_non_null(th_header(&r, "location", loc, sizeof(loc)));
	th_resp_free(&r);
	snprintf(url, sizeof(url), "%s%s", srv.base, loc);
	assert_int_equal(th_http("PATCH", url, (const char *[]){ auth,
		"Tus-Resumable: 1.0.0", "Upload-Offset: 0", "Content-Type: "
		"application/offset+octet-stream", NULL }, p, n, &r), 0);
	assert_int_equal(r.status, 204);
	assert_non_null(th_header(&r, "upload-sha256", sha, 65));
	th_resp_free(&r);
}

/* A small PDF whose text says 'what'. */
static size_t pdf(char *buf, size_t n, const char *what)
{
	return (size_t)snprintf(buf, n, "%%PDF-1.4\n%% %s\n%%%%EOF\n", what);
}

static long act(const char *tok, const char *code, json_t *body,
		json_t **out)
{
	char path[200];

	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/actions", code);
	return th_api(srv.base, "POST", path, tok, body, out);
}

/* A birth registration for PID, received and with the leader; its code. */
static char *birth_dossier(void)
{
	json_t *j;
	char *code;

	assert_int_equal(th_api(srv.base, "POST", "/api/v1/dossiers", counter,
		json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:[{s:s, s:b}]}",
		"procedure_code", PROC_KS, "channel", "direct", "applicant",
		"kind", "person", "id_number", PID, "name", NAME, "phone",
		"0912000111", "components", "code", "TK", "provided", 1), &j),
		201);
	code = strdup(th_str(j, "code"));
	json_decref(j);
	assert_int_equal(act(counter, code, json_pack("{s:s, s:s}", "action",
		"forward", "unit_code", "000.00.04.H51"), NULL), 200);
	return code;
}

static const char *first_error(json_t *j, const char *what)
{
	return th_str(json_array_get(json_object_get(j, "errors"), 0), what);
}

static int sh(const char *cmd)
{
	int rc = system(cmd);

	return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

/* The offers of PROC_USE for PID: how many documents, the first's id. */
static size_t offers(json_int_t *first)
{
	json_t *j, *docs;
	size_t n;

	assert_int_equal(th_api(srv.base, "GET", "/api/v1/people/" PID
		"/offers?procedure=" PROC_USE, counter, NULL, &j), 200);
	docs = json_object_get(json_array_get(json_object_get(j, "items"), 0),
			       "documents");
	n = json_array_size(docs);
	if (n && first)
		*first = json_integer_value(json_object_get(
			json_array_get(docs, 0), "id"));
	json_decref(j);
	return n;
}

static long intake_use(json_int_t doc, json_t **out)
{
	return th_api(srv.base, "POST", "/api/v1/dossiers", counter,
		json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:[{s:s, s:b, "
		"s:I}]}", "procedure_code", PROC_USE, "channel", "direct",
		"applicant", "kind", "person", "id_number", PID, "name", NAME,
		"phone", "0912000111", "components", "code", "GKS", "provided",
		1, "document_id", doc), out);
}

static void test_issue_verify_reuse(void **state)
{
	char buf[200], sha[65], other[65], path[300], cmd[4000], *code, *rc;
	char sig[700], doc[700], crt[700], key[700], hidden[720];
	struct th_resp r;
	json_t *j, *it;
	json_int_t doc_id;
	size_t n;

	(void)state;
	code = birth_dossier();
	n = pdf(buf, sizeof(buf), "Giay khai sinh so 12/GKS");
	upload(leader, buf, n, sha);
	/* Someone else's upload, a bad hash, no certificate: refused. */
	{
		char b2[200], foreign[65];
		size_t n2 = pdf(b2, sizeof(b2), "not the leader's");

		upload(counter, b2, n2, foreign);
		assert_int_equal(act(leader, code, json_pack("{s:s, s:{s:s}}",
			"action", "complete", "result", "file", foreign), &j),
			400);
		assert_string_equal(first_error(j, "field"), "result.file");
		assert_string_equal(first_error(j, "rule"), "uploaded");
		json_decref(j);
	}
	assert_int_equal(act(leader, code, json_pack("{s:s, s:{s:s}}",
		"action", "complete", "result", "file", "abc"), &j), 400);
	assert_string_equal(first_error(j, "rule"), "format");
	json_decref(j);
	snprintf(crt, sizeof(crt), "%s/keys/units/000.00.04.H51.crt",
		 files_dir);
	snprintf(hidden, sizeof(hidden), "%s.away", crt);
	assert_int_equal(rename(crt, hidden), 0);
	assert_int_equal(act(leader, code, json_pack("{s:s, s:{s:s}}",
		"action", "complete", "result", "file", sha), &j), 409);
	assert_string_equal(first_error(j, "rule"), "certificate");
	json_decref(j);
	assert_int_equal(rename(hidden, crt), 0);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/results", code);
	assert_int_equal(th_api(srv.base, "GET", path, leader, NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
	json_decref(j);
	assert_int_equal(offers(NULL), 0);

	/* Completed with the e-result. */
	assert_int_equal(act(leader, code, json_pack("{s:s, s:{s:s, s:s}}",
		"action", "complete", "result", "number", "12/GKS", "file",
		sha), &j), 200);
	assert_string_equal(th_str(j, "status"), "result_ready");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", path, leader, NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	it = json_array_get(json_object_get(j, "items"), 0);
	rc = strdup(th_str(it, "code"));
	assert_int_equal(strlen(rc), 22);
	assert_true(!strncmp(rc, "KQ-", 3));
	assert_string_equal(th_str(it, "status"), "valid");
	assert_string_equal(th_str(it, "sha256"), sha);
	assert_string_equal(th_str(it, "number"), "12/GKS");
	assert_string_equal(th_str(it, "signed_by"), "lanhdao");
	assert_non_null(strstr(th_str(it, "signer"), "OU=000.00.04.H51"));
	snprintf(path, sizeof(path), "https://dichvucong.quangngai.gov.vn/"
		 "verify/%s", rc);
	assert_string_equal(th_str(it, "verify_url"), path);
	json_decref(j);
	/* The chain records it. */
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/events", code);
	assert_int_equal(th_api(srv.base, "GET", path, leader, NULL, &j), 200);
	{
		json_t *ev = json_object_get(j, "items");

		it = json_array_get(ev, json_array_size(ev) - 1);
		assert_string_equal(th_str(it, "action"), "e_result");
		assert_non_null(strstr(th_str(it, "detail"), rc));
	}
	json_decref(j);

	/* Anyone verifies by the code, and learns nothing personal. */
	snprintf(path, sizeof(path), "/api/v1/verify/%s", rc);
	assert_int_equal(th_api(srv.base, "GET", path, NULL, NULL, &j), 200);
	assert_string_equal(th_str(j, "status"), "valid");
	assert_string_equal(th_str(j, "status_text"), "Còn hiệu lực");
	assert_true(json_is_true(json_object_get(j, "signature_valid")));
	assert_string_equal(th_str(j, "sha256"), sha);
	assert_string_equal(th_str(j, "unit_code"), "000.00.04.H51");
	assert_string_equal(th_str(j, "procedure_code"), PROC_KS);
	assert_null(json_object_get(j, "file_matches"));
	{
		char *text = json_dumps(j, 0);

		assert_null(strstr(text, PID));
		assert_null(strstr(text, "Kết Quả"));
		assert_null(strstr(text, code));
		assert_null(strstr(text, "0912000111"));
		free(text);
	}
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/verify/%s?sha256=%s", rc, sha);
	assert_int_equal(th_api(srv.base, "GET", path, NULL, NULL, &j), 200);
	assert_true(json_is_true(json_object_get(j, "file_matches")));
	json_decref(j);
	memset(other, 'e', 64);
	other[64] = 0;
	snprintf(path, sizeof(path), "/api/v1/verify/%s?sha256=%s", rc, other);
	assert_int_equal(th_api(srv.base, "GET", path, NULL, NULL, &j), 200);
	assert_true(json_is_false(json_object_get(j, "file_matches")));
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/verify/"
		"KQ-0000-0000-0000-0000", NULL, NULL, NULL), 404);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/verify/nonsense",
				NULL, NULL, NULL), 404);
	snprintf(path, sizeof(path), "%s/verify/%s", srv.base, rc);
	th_get(path, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Còn hiệu lực"));
	assert_non_null(strstr(r.body, sha));
	assert_null(strstr(r.body, PID));
	/* Its one inline style is allowed by its hash, nothing else is. */
	{
		const char *a = strstr(r.body, "<style>") + 7;
		const char *z = strstr(a, "</style>");
		unsigned char d[32];
		char b64[64], want[96], csp[600];

		crypto_hash_sha256(d, (const unsigned char *)a,
				   (unsigned long long)(z - a));
		sodium_bin2base64(b64, sizeof(b64), d, sizeof(d),
				  sodium_base64_VARIANT_ORIGINAL);
		snprintf(want, sizeof(want), "style-src 'self' 'sha256-%s';",
			 b64);
		assert_non_null(th_header(&r, "content-security-policy", csp,
					  sizeof(csp)));
		assert_non_null(strstr(csp, want));
		assert_non_null(strstr(csp, "frame-ancestors 'none'"));
	}
	th_resp_free(&r);
	snprintf(path, sizeof(path), "%s/api/v1/verify/%s/qr.svg", srv.base,
		 rc);
	th_get(path, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<svg"));
	th_resp_free(&r);

	/* openssl cms -verify: the signature and certificate as served. */
	snprintf(sig, sizeof(sig), "%s/result.p7s", th_tmpdir());
	snprintf(doc, sizeof(doc), "%s/result.pdf", th_tmpdir());
	snprintf(key, sizeof(key), "%s/unit.pem", th_tmpdir());
	snprintf(path, sizeof(path), "%s/api/v1/verify/%s/signature", srv.base,
		 rc);
	th_get(path, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(th_write_bytes(sig, r.body, r.len), 0);
	th_resp_free(&r);
	snprintf(path, sizeof(path), "%s/api/v1/verify/%s/certificate",
		 srv.base, rc);
	th_get(path, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "-----BEGIN CERTIFICATE-----"));
	assert_int_equal(th_write_file(key, r.body), 0);
	th_resp_free(&r);
	/* The file as the citizen's store serves it. */
	snprintf(path, sizeof(path), "%s/api/v1/files/%s", srv.base, sha);
	{
		char auth[200];

		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
			 leader);
		assert_int_equal(th_http("GET", path, (const char *[]){ auth,
				 NULL }, NULL, 0, &r), 0);
	}
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, n);
	assert_memory_equal(r.body, buf, n);
	th_resp_free(&r);
	assert_int_equal(th_write_file(doc, buf), 0);
	snprintf(cmd, sizeof(cmd), "openssl cms -verify -binary -inform DER "
		 "-in '%s' -content '%s' -CAfile '%s/keys/ca.crt' -out "
		 "/dev/null 2>/dev/null", sig, doc, files_dir);
	assert_int_equal(sh(cmd), 0);
	/* With only the served certificate as the trust anchor, too. */
	snprintf(cmd, sizeof(cmd), "openssl cms -verify -binary -inform DER "
		 "-in '%s' -content '%s' -certfile '%s' -CAfile "
		 "'%s/keys/ca.crt' -out /dev/null 2>/dev/null", sig, doc, key,
		 files_dir);
	assert_int_equal(sh(cmd), 0);
	buf[12] ^= 1;			/* a tampered file */
	assert_int_equal(th_write_file(doc, buf), 0);
	buf[12] ^= 1;
	snprintf(cmd, sizeof(cmd), "openssl cms -verify -binary -inform DER "
		 "-in '%s' -content '%s' -CAfile '%s/keys/ca.crt' -out "
		 "/dev/null 2>/dev/null", sig, doc, files_dir);
	assert_int_not_equal(sh(cmd), 0);

	/* In the owner's store, and reused without a new paper. */
	assert_int_equal(offers(&doc_id), 1);
	assert_int_equal(intake_use(doc_id, &j), 201);
	it = json_array_get(json_object_get(j, "components"), 0);
	assert_true(json_is_true(json_object_get(it, "reused")));
	assert_string_equal(th_str(json_object_get(it, "file"), "sha256"),
			    sha);
	assert_int_equal(json_integer_value(json_object_get(it,
			 "source_document_id")), doc_id);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/people/" PID "/documents?"
		 "purpose=%s", code);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, &j),
			 200);
	it = json_array_get(json_object_get(j, "items"), 0);
	assert_string_equal(th_str(it, "type_code"), "GKS");
	assert_string_equal(th_str(it, "source"), "result");
	assert_string_equal(th_str(it, "number"), "12/GKS");
	assert_string_equal(th_str(it, "status"), "valid");
	assert_string_equal(th_str(it, "source_dossier"), code);
	assert_string_equal(th_str(it, "source_procedure"), PROC_KS);
	assert_string_equal(th_str(it, "result_code"), rc);
	assert_non_null(strstr(th_str(it, "signer"), "OU=000.00.04.H51"));
	assert_string_equal(th_str(it, "certified_by"), "lanhdao");
	json_decref(j);

	/* Revoked: refusals first, then for real. */
	snprintf(path, sizeof(path), "/api/v1/results/%s/revoke", rc);
	assert_int_equal(th_api(srv.base, "POST", path, leader, json_pack(
		"{s:s}", "reason", ""), &j), 400);
	assert_string_equal(first_error(j, "field"), "reason");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", path, control, json_pack(
		"{s:s}", "reason", "Cấp sai"), &j), 403);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", path, leader, json_pack(
		"{s:s}", "reason", "Cấp sai họ tên"), &j), 200);
	assert_string_equal(th_str(j, "status"), "revoked");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", path, leader, json_pack(
		"{s:s}", "reason", "again"), &j), 409);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/verify/%s", rc);
	assert_int_equal(th_api(srv.base, "GET", path, NULL, NULL, &j), 200);
	assert_string_equal(th_str(j, "status"), "revoked");
	assert_string_equal(th_str(j, "status_text"), "Đã bị thu hồi");
	{
		char *text = json_dumps(j, 0);

		assert_null(strstr(text, "họ tên"));	/* no reason shown */
		free(text);
	}
	json_decref(j);
	assert_int_equal(offers(NULL), 0);
	assert_int_equal(intake_use(doc_id, &j), 400);
	assert_string_equal(first_error(j, "rule"), "reusable");
	json_decref(j);
	free(rc);
	free(code);
}

static void test_replace(void **state)
{
	char buf[200], sha1[65], sha2[65], path[300], *code, *old, *new_;
	char *online;
	json_t *j;
	json_int_t doc_id;
	size_t n;

	(void)state;
	code = birth_dossier();
	n = pdf(buf, sizeof(buf), "ban dau");
	upload(leader, buf, n, sha1);
	assert_int_equal(act(leader, code, json_pack("{s:s, s:{s:s, s:s}}",
		"action", "complete", "result", "number", "13/GKS", "file",
		sha1), NULL), 200);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/results", code);
	assert_int_equal(th_api(srv.base, "GET", path, leader, NULL, &j), 200);
	old = strdup(th_str(json_array_get(json_object_get(j, "items"), 0),
			    "code"));
	json_decref(j);
	assert_int_equal(offers(&doc_id), 1);
	/* Submitted online with the stored result, not yet accepted. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/dossiers", counter,
		json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:[{s:s, s:b, "
		"s:I}]}", "procedure_code", PROC_USE, "channel", "online",
		"applicant", "kind", "person", "id_number", PID, "name", NAME,
		"phone", "0912000111", "components", "code", "GKS", "provided",
		1, "document_id", doc_id), &j), 201);
	assert_string_equal(th_str(j, "status"), "submitted");
	online = strdup(th_str(j, "code"));
	json_decref(j);
	n = pdf(buf, sizeof(buf), "dinh chinh");
	upload(leader, buf, n, sha2);
	snprintf(path, sizeof(path), "/api/v1/results/%s/replace", old);
	/* A file is required; the counter of another unit sees nothing. */
	assert_int_equal(th_api(srv.base, "POST", path, leader, json_pack(
		"{s:s}", "reason", "Đính chính"), &j), 400);
	assert_string_equal(first_error(j, "field"), "file");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", path, counter, json_pack(
		"{s:s, s:s}", "reason", "Đính chính", "file", sha2), &j), 404);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", path, leader, json_pack(
		"{s:s, s:s, s:s}", "reason", "Đính chính ngày sinh", "file",
		sha2, "number", "13a/GKS"), &j), 201);
	new_ = strdup(th_str(j, "code"));
	assert_string_equal(th_str(j, "status"), "valid");
	assert_string_equal(th_str(j, "replaces"), old);
	assert_string_equal(th_str(j, "sha256"), sha2);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/verify/%s", old);
	assert_int_equal(th_api(srv.base, "GET", path, NULL, NULL, &j), 200);
	assert_string_equal(th_str(j, "status"), "replaced");
	assert_string_equal(th_str(j, "replaced_by"), new_);
	json_decref(j);
	/* The store offers the new document only. */
	{
		json_int_t now_id;

		assert_int_equal(offers(&now_id), 1);
		assert_true(now_id != doc_id);
	}
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/results", code);
	assert_int_equal(th_api(srv.base, "GET", path, leader, NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 2);
	json_decref(j);
	/* Checked again at acceptance: the linked document was replaced. */
	assert_int_equal(act(counter, online, json_pack("{s:s}", "action",
		"accept"), &j), 409);
	assert_string_equal(first_error(j, "field"), "components[GKS]");
	assert_string_equal(first_error(j, "rule"), "reusable");
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", online);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, &j), 200);
	assert_string_equal(th_str(j, "status"), "submitted");
	json_decref(j);
	free(online);
	free(old);
	free(new_);
	free(code);
}

/* A result motcua draws itself: a signed PDF like an uploaded one. */
static void test_generated(void **state)
{
	char path[300], sig[700], doc[700], cmd[4000], *code, *rc;
	struct th_resp r;
	json_t *j, *it;

	(void)state;
	code = birth_dossier();
	assert_int_equal(act(leader, code, json_pack("{s:s, s:{s:b, s:s}}",
		"action", "complete", "result", "generate", 1, "file",
		"0000000000000000000000000000000000000000000000000000000000000000"),
		&j), 400);
	assert_string_equal(first_error(j, "field"), "result.generate");
	json_decref(j);
	assert_int_equal(act(counter, code, json_pack("{s:s, s:{s:b}}",
		"action", "forward", "result", "generate", 1), &j), 400);
	json_decref(j);
	assert_int_equal(act(leader, code, json_pack("{s:s, s:{s:s, s:s, s:b}}",
		"action", "complete", "result", "number", "14/GKS", "summary",
		"Khai sinh cho cháu Lê Minh An, sinh ngày 01/11/2026",
		"generate", 1), &j), 200);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/results", code);
	assert_int_equal(th_api(srv.base, "GET", path, leader, NULL, &j), 200);
	it = json_array_get(json_object_get(j, "items"), 0);
	rc = strdup(th_str(it, "code"));
	assert_string_equal(th_str(it, "media_type"), "application/pdf");
	assert_true(json_integer_value(json_object_get(it, "size")) > 5000);
	snprintf(path, sizeof(path), "%s/api/v1/files/%s", srv.base,
		 th_str(it, "sha256"));
	json_decref(j);
	{
		char auth[200];

		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
			 leader);
		assert_int_equal(th_http("GET", path, (const char *[]){ auth,
				 NULL }, NULL, 0, &r), 0);
	}
	assert_int_equal(r.status, 200);
	assert_true(!memcmp(r.body, "%PDF-", 5));
	snprintf(doc, sizeof(doc), "%s/generated.pdf", th_tmpdir());
	assert_int_equal(th_write_bytes(doc, r.body, r.len), 0);
	th_resp_free(&r);
	snprintf(path, sizeof(path), "%s/api/v1/verify/%s/signature", srv.base,
		 rc);
	th_get(path, &r);
	assert_int_equal(r.status, 200);
	snprintf(sig, sizeof(sig), "%s/generated.p7s", th_tmpdir());
	assert_int_equal(th_write_bytes(sig, r.body, r.len), 0);
	th_resp_free(&r);
	snprintf(cmd, sizeof(cmd), "openssl cms -verify -binary -inform DER "
		 "-in '%s' -content '%s' -CAfile '%s/keys/ca.crt' -out "
		 "/dev/null 2>/dev/null", sig, doc, files_dir);
	assert_int_equal(sh(cmd), 0);
	/* It carries its own verification link, which the QR code holds;
	 * the PDF's text is in embedded font subsets, its metadata is not. */
	snprintf(path, sizeof(path), "/api/v1/verify/%s", rc);
	assert_int_equal(th_api(srv.base, "GET", path, NULL, NULL, &j), 200);
	assert_true(json_is_true(json_object_get(j, "signature_valid")));
	assert_string_equal(th_str(j, "number"), "14/GKS");
	json_decref(j);
	free(rc);
	free(code);
}

/* The figures item of 'proc' in a /stats/reuse answer. */
static json_t *stats_of(json_t *j, const char *proc)
{
	json_t *it;
	size_t i;

	json_array_foreach(json_object_get(j, "items"), i, it)
		if (!strcmp(th_str(it, "procedure_code"), proc))
			return it;
	fail_msg("no figures for %s", proc);
	return NULL;
}

static json_int_t num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* The figures behind the index (DOMAIN.md §4, 4.1–4.3) for what ran above. */
static void test_stats(void **state)
{
	char path[300], from[11], to[11];
	time_t t = time(NULL) + 7 * 3600;
	json_t *j, *it;
	struct tm tm;

	(void)state;
	/* A stored paper asked for again, with its reason. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/dossiers", counter,
		json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:[{s:s, s:b, "
		"s:s}]}", "procedure_code", PROC_USE, "channel", "direct",
		"applicant", "kind", "person", "id_number", PID, "name", NAME,
		"phone", "0912000111", "components", "code", "GKS", "provided",
		1, "asked_again_reason", "Bản lưu bị mờ"), NULL), 201);
	/* Received after hours counts from the next working day: a period
	 * from yesterday to a fortnight ahead holds them all. */
	t -= 86400;
	gmtime_r(&t, &tm);
	strftime(from, sizeof(from), "%Y-%m-%d", &tm);
	t += 15 * 86400;
	gmtime_r(&t, &tm);
	strftime(to, sizeof(to), "%Y-%m-%d", &tm);
	snprintf(path, sizeof(path), "/api/v1/stats/reuse?from=%s&to=%s&"
		 "unit_code=000.00.04.H51", from, to);
	assert_int_equal(th_api(srv.base, "GET", path, control, NULL, &j),
			 200);
	/* Two birth registrations: one e-result revoked, one replaced. */
	it = stats_of(j, PROC_KS);
	assert_int_equal(num(it, "received"), 2);
	assert_int_equal(num(it, "reused"), 0);
	assert_int_equal(num(it, "paper_result"), 2);
	assert_int_equal(num(it, "e_result"), 1);
	assert_true(json_real_value(json_object_get(it, "e_result_rate")) ==
		    50.0);
	/* Two later dossiers: one reused the e-result, one asked again. */
	it = stats_of(j, PROC_USE);
	assert_int_equal(num(it, "received"), 2);
	assert_int_equal(num(it, "reused"), 1);
	assert_int_equal(num(it, "digitized"), 1);
	assert_int_equal(num(it, "asked_again"), 1);
	assert_true(json_real_value(json_object_get(it, "reuse_rate")) ==
		    50.0);
	it = json_object_get(j, "total");
	assert_int_equal(num(it, "received"), 4);
	assert_true(json_real_value(json_object_get(it, "reuse_rate")) ==
		    25.0);
	json_decref(j);
	/* A department sees the dossiers that reached it only. */
	assert_int_equal(th_api(srv.base, "GET", path, leader, NULL, &j), 200);
	assert_int_equal(num(json_object_get(j, "total"), "received"), 2);
	json_decref(j);
	/* Bad periods. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/stats/reuse?to="
		"2026-01-01", control, NULL, &j), 400);
	assert_string_equal(first_error(j, "field"), "from");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/stats/reuse?from="
		"2026-02-01&to=2026-01-01", control, NULL, &j), 400);
	assert_string_equal(first_error(j, "rule"), "min");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/stats/reuse?from="
		"2020-01-01&to=2026-01-01", control, NULL, &j), 400);
	assert_string_equal(first_error(j, "rule"), "max");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/stats/reuse?from="
		"2026-01-01&to=2026-01-02&x=1", control, NULL, &j), 400);
	json_decref(j);
}

/* Every event chain holds: e-result events count as changes too. */
static void test_audit(void **state)
{
	char *out = NULL, *err = NULL;

	(void)state;
	assert_int_equal(th_motcua((const char *[]){ "audit", "verify", "--db",
		db, NULL }, NULL, &out, &err), 0);
	assert_non_null(strstr(out, ", 0 broken chains"));
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_verify_reuse),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_generated),
		cmocka_unit_test(test_audit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
