/*
 * test_files.c — files over HTTP against the real server (docs/files.md):
 *
 * - a 200 MB scan uploaded by tus in 1 MB requests, cut off halfway in
 *   the middle of a request and resumed from HEAD's offset, arrives
 *   intact (its SHA-256 computed here as it was sent), while the server's
 *   peak memory stays bounded;
 * - downloads with Range; the stored file re-checked on every read, so a
 *   damaged one is refused;
 * - files stored once by content; a file that is not PDF, JPEG or PNG
 *   (by its bytes, whatever its name), or over the limits, is refused with
 *   nothing stored; tus's offsets, versions and termination;
 * - nobody but the uploader reads an upload or its file.
 */
#include "core/compat.h"
#include "harness/harness.h"
#include "harness/smsgw.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <dirent.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BIG (200u * 1000 * 1000)	/* the scan, bytes */
#define CHUNK (1000u * 1000)		/* one PATCH, under max_body 1m */

static struct th_server srv;
static struct th_smsgw *gw;
static char db[600], counter[128], other[128], files_dir[600];

static int setup(void **state)
{
	(void)state;
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	setenv("MOTCUA_WATCH_INTERVAL", "0", 1);
	gw = th_smsgw_start("gw");
	th_demo_db(db, sizeof(db), "files");
	th_serve(&srv, (const char *[]){ "--db", db, "--threads", "2",
		 "--upload-max", "256m", "--sms-url", th_smsgw_url(gw),
		 "--sms-token", "gw", "--outbox-poll", "50ms", NULL });
	th_path(files_dir, sizeof(files_dir), "files");
	th_login(srv.base, "tiepnhan", "motcua-demo", counter,
		 sizeof(counter));
	th_login(srv.base, "chuyenvien", "motcua-demo", other, sizeof(other));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(th_serve_stop(&srv), 0);
	th_smsgw_stop(gw);
	return 0;
}

/* Byte 'i' of the scan: "%PDF-1.7\n", then bytes a generator makes. */
static unsigned char scan_byte(uint64_t i)
{
	static const char head[] = "%PDF-1.7\n";
	uint64_t x = i * 0x9E3779B97F4A7C15ull;

	if (i < sizeof(head) - 1)
		return (unsigned char)head[i];
	x ^= x >> 29;
	x *= 0xBF58476D1CE4E5B9ull;
	return (unsigned char)(x >> 32);
}

static void scan_bytes(uint64_t from, size_t n, unsigned char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = scan_byte(from + i);
}

/* One request with 'tok' and the tus headers given; the status. */
static long tus(const char *method, const char *path, const char *tok,
		const char *const *extra, const void *body, size_t len,
		struct th_resp *out)
{
	char url[300], auth[200];
	const char *h[12];
	size_t n = 0, i;

	snprintf(url, sizeof(url), "%s%s", srv.base, path);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", tok);
	h[n++] = auth;
	h[n++] = "Tus-Resumable: 1.0.0";
	for (i = 0; extra && extra[i] && n + 1 < MC_ARRAY_SIZE(h); i++)
		h[n++] = extra[i];
	h[n] = NULL;
	assert_int_equal(th_http(method, url, h, body, len, out), 0);
	return out->status;
}

/* Begins an upload of 'length' bytes; its path (static buffer). */
static const char *create(const char *tok, uint64_t length,
			  const char *filename)
{
	static char path[128];
	char hl[64], hm[400], b64[300], loc[128];
	struct th_resp r;

	snprintf(hl, sizeof(hl), "Upload-Length: %" PRIu64, length);
	sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)filename,
			  strlen(filename), sodium_base64_VARIANT_ORIGINAL);
	snprintf(hm, sizeof(hm), "Upload-Metadata: filename %s,filetype "
		 "YXBwbGljYXRpb24vcGRm", b64);
	assert_int_equal(tus("POST", "/api/v1/uploads", tok,
			     (const char *[]){ hl, hm, NULL }, NULL, 0, &r),
			 201);
	assert_non_null(th_header(&r, "location", loc, sizeof(loc)));
	snprintf(path, sizeof(path), "%s", loc);
	th_resp_free(&r);
	return path;
}

static long patch(const char *path, const char *tok, uint64_t offset,
		  const void *p, size_t n, struct th_resp *out)
{
	char ho[64];

	snprintf(ho, sizeof(ho), "Upload-Offset: %" PRIu64, offset);
	return tus("PATCH", path, tok, (const char *[]){ ho, "Content-Type: "
		   "application/offset+octet-stream", NULL }, p, n, out);
}

static int64_t header_int(struct th_resp *r, const char *name)
{
	char v[64];

	assert_non_null(th_header(r, name, v, sizeof(v)));
	return strtoll(v, NULL, 10);
}

/* The offset HEAD says. */
static int64_t head_offset(const char *path)
{
	struct th_resp r;
	int64_t v;

	assert_int_equal(tus("HEAD", path, counter, NULL, NULL, 0, &r), 200);
	v = header_int(&r, "upload-offset");
	assert_int_equal(header_int(&r, "upload-length") > 0, 1);
	th_resp_free(&r);
	return v;
}

/*
 * Sends the headers of a PATCH of CHUNK bytes at 'offset' and only 'sent'
 * of them, then drops the line: a rural connection that gives up.
 */
static void patch_cut(const char *path, uint64_t offset, size_t sent)
{
	struct sockaddr_in a;
	unsigned char *buf = malloc(sent);
	char head[600];
	int fd, port, n;

	sscanf(strrchr(srv.addr, ':') + 1, "%d", &port);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	n = snprintf(head, sizeof(head), "PATCH %s HTTP/1.1\r\nHost: x\r\n"
		     "Authorization: Bearer %s\r\nTus-Resumable: 1.0.0\r\n"
		     "Upload-Offset: %" PRIu64 "\r\nContent-Type: application/"
		     "offset+octet-stream\r\nContent-Length: %u\r\n\r\n", path,
		     counter, offset, CHUNK);
	assert_int_equal(write(fd, head, (size_t)n), n);
	scan_bytes(offset, sent, buf);
	assert_int_equal(write(fd, buf, sent), (ssize_t)sent);
	usleep(100 * 1000);
	close(fd);
	free(buf);
}

/* The server's peak resident memory (VmHWM), in kB. */
static long peak_kb(void)
{
	char path[64], *s, *p;
	long kb = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)srv.pid);
	s = th_read_file(path, NULL);
	assert_non_null(s);
	if ((p = strstr(s, "VmHWM:")))
		kb = strtol(p + 6, NULL, 10);
	free(s);
	return kb;
}

struct sink {
	EVP_MD_CTX *md;
	uint64_t n;
};

static size_t sink_write(char *p, size_t size, size_t nmemb, void *arg)
{
	struct sink *k = arg;

	EVP_DigestUpdate(k->md, p, size * nmemb);
	k->n += size * nmemb;
	return size * nmemb;
}

/* GETs 'path' hashing the body as it comes; the status. */
static long download_hash(const char *path, char hex[65], uint64_t *n)
{
	char url[300], auth[200];
	struct curl_slist *h = NULL;
	struct sink k = { EVP_MD_CTX_new(), 0 };
	unsigned char md[32];
	unsigned int mdlen;
	long status = 0;
	CURL *c = curl_easy_init();

	snprintf(url, sizeof(url), "%s%s", srv.base, path);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", counter);
	h = curl_slist_append(h, auth);
	EVP_DigestInit_ex(k.md, EVP_sha256(), NULL);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &k);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	EVP_DigestFinal_ex(k.md, md, &mdlen);
	sodium_bin2hex(hex, 65, md, sizeof(md));
	*n = k.n;
	EVP_MD_CTX_free(k.md);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return status;
}

/* A 200 MB scan, cut off halfway and resumed, arrives intact. */
static void test_big_resumable(void **state)
{
	unsigned char *buf = malloc(CHUNK);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char dig[32];
	unsigned int dlen;
	char want[65], got[65], path[128], fpath[800], range[64];
	struct th_resp r;
	uint64_t off = 0, n;
	long before, after;
	int cut = 0;

	(void)state;
	assert_int_equal(tus("OPTIONS", "/api/v1/uploads", counter, NULL,
			     NULL, 0, &r), 204);
	assert_string_equal(th_header(&r, "tus-version", range, sizeof(range)),
			    "1.0.0");
	assert_int_equal(header_int(&r, "tus-max-size"), 256 << 20);
	th_resp_free(&r);
	snprintf(path, sizeof(path), "%s", create(counter, BIG,
						   "Bản chụp CCCD.pdf"));
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	before = peak_kb();
	while (off < BIG) {
		size_t len = BIG - off < CHUNK ? BIG - off : CHUNK;

		if (!cut && off >= BIG / 2) {
			/* Halfway the line drops in the middle of a request. */
			patch_cut(path, off, CHUNK / 3);
			cut = 1;
			off = (uint64_t)head_offset(path);
			continue;
		}
		scan_bytes(off, len, buf);
		if (patch(path, counter, off, buf, len, &r) != 204)
			fail_msg("PATCH at %" PRIu64 ": %ld %s", off, r.status,
				 r.body);
		EVP_DigestUpdate(md, buf, len);
		off += len;
		assert_int_equal(header_int(&r, "upload-offset"), off);
		if (off == BIG)
			assert_non_null(th_header(&r, "upload-sha256", got,
						  sizeof(got)));
		th_resp_free(&r);
	}
	after = peak_kb();
	EVP_DigestFinal_ex(md, dig, &dlen);
	sodium_bin2hex(want, sizeof(want), dig, sizeof(dig));
	assert_string_equal(got, want);
	/* 200 MB went through; the server's peak grew by far less. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	/* The sanitizers keep freed memory in quarantine for a while. */
	if (after - before > 400 * 1024)
#else
	if (after - before > 48 * 1024)
#endif
		fail_msg("peak memory grew from %ld kB to %ld kB", before,
			 after);
	print_message("200 MB upload: server peak %ld kB -> %ld kB\n", before,
		      after);
	assert_int_equal(tus("GET", path, counter, NULL, NULL, 0, &r), 200);
	{
		json_t *j = json_loads(r.body, 0, NULL);

		assert_string_equal(th_str(j, "status"), "complete");
		assert_string_equal(th_str(j, "filename"), "Bản chụp CCCD.pdf");
		assert_string_equal(th_str(j, "media_type"),
				    "application/pdf");
		assert_string_equal(th_str(j, "sha256"), want);
		json_decref(j);
	}
	th_resp_free(&r);
	/* Stored under its hash, its part file gone once recorded; the
	 * download is the same bytes. */
	snprintf(fpath, sizeof(fpath), "%s/uploads/%s.part", files_dir,
		 strrchr(path, '/') + 1);
	assert_int_equal(access(fpath, F_OK), -1);
	snprintf(fpath, sizeof(fpath), "%s/%.2s/%.2s/%s", files_dir, want,
		 want + 2, want);
	assert_int_equal(access(fpath, R_OK), 0);
	snprintf(path, sizeof(path), "/api/v1/files/%s", want);
	assert_int_equal(download_hash(path, got, &n), 200);
	assert_int_equal(n, BIG);
	assert_string_equal(got, want);
	/* Sent as read: the download did not raise the peak either. */
	if (peak_kb() - before > (after - before) + 48 * 1024)
		fail_msg("peak memory after the download: %ld kB", peak_kb());
	/* A range of it. */
	snprintf(range, sizeof(range), "Range: bytes=%u-%u", BIG / 2 - 5,
		 BIG / 2 + 4);
	assert_int_equal(tus("GET", path, counter, (const char *[]){ range,
			     NULL }, NULL, 0, &r), 206);
	assert_int_equal(r.len, 10);
	scan_bytes(BIG / 2 - 5, 10, buf);
	assert_memory_equal(r.body, buf, 10);
	th_resp_free(&r);
	assert_int_equal(tus("GET", path, counter, (const char *[]){
			     "Range: bytes=-3", NULL }, NULL, 0, &r), 206);
	assert_int_equal(r.len, 3);
	scan_bytes(BIG - 3, 3, buf);
	assert_memory_equal(r.body, buf, 3);
	th_resp_free(&r);
	snprintf(range, sizeof(range), "Range: bytes=%u-", BIG);
	assert_int_equal(tus("GET", path, counter, (const char *[]){ range,
			     NULL }, NULL, 0, &r), 416);
	th_resp_free(&r);
	/* Nobody else reads it. */
	assert_int_equal(tus("GET", path, other, NULL, NULL, 0, &r), 404);
	th_resp_free(&r);
	EVP_MD_CTX_free(md);
	free(buf);
}

/* A small PNG's bytes (its signature, then anything). */
static void small_png(unsigned char *p, size_t n, unsigned char seed)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
					      0x1a, '\n' };
	size_t i;

	memcpy(p, sig, 8);
	for (i = 8; i < n; i++)
		p[i] = (unsigned char)(i * 7 + seed);
}

/* Uploads 'p' whole in one PATCH; the file's hash. */
static void upload_whole(const unsigned char *p, size_t n, char sha[65])
{
	char path[128];
	struct th_resp r;

	snprintf(path, sizeof(path), "%s", create(counter, n, "anh.png"));
	assert_int_equal(patch(path, counter, 0, p, n, &r), 204);
	assert_non_null(th_header(&r, "upload-sha256", sha, 65));
	th_resp_free(&r);
}

/* How many stored files (not uploads) are on disk. */
static int stored_files(void)
{
	char cmd[700], line[64];
	FILE *f;
	int n = 0;

	snprintf(cmd, sizeof(cmd), "find '%s' -type f -not -path '*/uploads/*'"
		 " | wc -l", files_dir);
	f = popen(cmd, "r");
	assert_non_null(f);
	if (fgets(line, sizeof(line), f))
		n = (int)strtol(line, NULL, 10);
	pclose(f);
	return n;
}

/* Stored once by content; re-checked on read; refused when damaged. */
static void test_dedupe_and_integrity(void **state)
{
	unsigned char png[5000];
	char a[65], b[65], path[128], fpath[800];
	struct th_resp r;
	int files;
	FILE *f;

	(void)state;
	small_png(png, sizeof(png), 1);
	files = stored_files();
	upload_whole(png, sizeof(png), a);
	upload_whole(png, sizeof(png), b);
	assert_string_equal(a, b);
	assert_int_equal(stored_files(), files + 1);
	snprintf(path, sizeof(path), "/api/v1/files/%s", a);
	assert_int_equal(tus("GET", path, counter, NULL, NULL, 0, &r), 200);
	assert_int_equal(r.len, sizeof(png));
	assert_memory_equal(r.body, png, sizeof(png));
	assert_non_null(strstr(r.headers, "image/png"));
	th_resp_free(&r);
	/* A byte flipped on disk: the file is refused, not served. */
	snprintf(fpath, sizeof(fpath), "%s/%.2s/%.2s/%s", files_dir, a, a + 2,
		 a);
	f = fopen(fpath, "r+b");
	assert_non_null(f);
	fseek(f, 1000, SEEK_SET);
	fputc(png[1000] ^ 0xff, f);
	fclose(f);
	assert_int_equal(tus("GET", path, counter, NULL, NULL, 0, &r), 500);
	assert_non_null(strstr(r.body, "damaged"));
	th_resp_free(&r);
	/* No such file, or not a hash: 404 alike. */
	assert_int_equal(tus("GET", "/api/v1/files/../../etc/passwd", counter,
			     NULL, NULL, 0, &r), 404);
	th_resp_free(&r);
	assert_int_equal(tus("GET", "/api/v1/files/0000000000000000000000000"
			     "000000000000000000000000000000000000000", counter,
			     NULL, NULL, 0, &r), 404);
	th_resp_free(&r);
}

/* What is refused, with nothing stored. */
static void test_refusals(void **state)
{
	unsigned char zip[4000], png[3000];
	char path[128], hl[64], dir[700];
	struct th_resp r;
	DIR *d;
	struct dirent *e;
	int parts = 0, files;

	(void)state;
	/* A Word file named .pdf: its bytes say ZIP. */
	memset(zip, 'x', sizeof(zip));
	memcpy(zip, "PK\x03\x04", 4);
	files = stored_files();
	snprintf(path, sizeof(path), "%s", create(counter, sizeof(zip),
						   "don.pdf"));
	assert_int_equal(patch(path, counter, 0, zip, sizeof(zip), &r), 415);
	th_resp_free(&r);
	assert_int_equal(tus("HEAD", path, counter, NULL, NULL, 0, &r), 404);
	th_resp_free(&r);
	assert_int_equal(stored_files(), files);
	snprintf(dir, sizeof(dir), "%s/uploads", files_dir);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)))
		if (strstr(e->d_name, path + strlen("/api/v1/uploads/")))
			parts++;
	closedir(d);
	assert_int_equal(parts, 0);
	/* Over upload_max, declared. */
	snprintf(hl, sizeof(hl), "Upload-Length: %d", (256 << 20) + 1);
	assert_int_equal(tus("POST", "/api/v1/uploads", counter,
			     (const char *[]){ hl, NULL }, NULL, 0, &r), 413);
	th_resp_free(&r);
	/* No length; no tus version; a bad file name. */
	assert_int_equal(tus("POST", "/api/v1/uploads", counter, NULL, NULL, 0,
			     &r), 400);
	assert_non_null(strstr(r.body, "Upload-Length"));
	th_resp_free(&r);
	{
		char url[300], auth[200];

		snprintf(url, sizeof(url), "%s/api/v1/uploads", srv.base);
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
			 counter);
		assert_int_equal(th_http("POST", url, (const char *[]){ auth,
				 "Upload-Length: 10", NULL }, NULL, 0, &r), 0);
		assert_int_equal(r.status, 412);
		th_resp_free(&r);
	}
	assert_int_equal(tus("POST", "/api/v1/uploads", counter,
			     (const char *[]){ "Upload-Length: 10",
			     "Upload-Metadata: filename !!notbase64", NULL },
			     NULL, 0, &r), 400);
	th_resp_free(&r);
	/* More than declared; the wrong offset; the wrong content type. */
	small_png(png, sizeof(png), 2);
	snprintf(path, sizeof(path), "%s", create(counter, 2000, "a.png"));
	assert_int_equal(patch(path, counter, 0, png, sizeof(png), &r), 413);
	th_resp_free(&r);
	assert_int_equal(patch(path, counter, 0, png, 1000, &r), 204);
	th_resp_free(&r);
	assert_int_equal(patch(path, counter, 500, png, 1000, &r), 409);
	assert_int_equal(header_int(&r, "upload-offset"), 1000);
	th_resp_free(&r);
	assert_int_equal(tus("PATCH", path, counter, (const char *[]){
			     "Upload-Offset: 1000", "Content-Type: "
			     "application/json", NULL }, "{}", 2, &r), 415);
	th_resp_free(&r);
	/* An id that is not ours in shape: 404, and no slot is kept. */
	assert_int_equal(patch("/api/v1/uploads/0123456789abcdef0123456789abcdef"
			       "0123", counter, 0, png, 1000, &r), 404);
	th_resp_free(&r);
	/* Another user sees no such upload; nobody unsigned does. */
	assert_int_equal(tus("HEAD", path, other, NULL, NULL, 0, &r), 404);
	th_resp_free(&r);
	assert_int_equal(patch(path, other, 1000, png, 1000, &r), 404);
	th_resp_free(&r);
	assert_int_equal(tus("HEAD", path, "nope", NULL, NULL, 0, &r), 401);
	th_resp_free(&r);
	/* Given up: gone, part file and all. */
	assert_int_equal(tus("DELETE", path, counter, NULL, NULL, 0, &r), 204);
	th_resp_free(&r);
	assert_int_equal(tus("HEAD", path, counter, NULL, NULL, 0, &r), 404);
	th_resp_free(&r);
	assert_int_equal(stored_files(), files);
}

#define PROC "9.900701"
#define PID "051095071234"

/* A procedure of two steps: the counter, then the department. */
static void publish(void)
{
	char tok[128];

	th_login(srv.base, "kiemsoat", "motcua-demo", tok, sizeof(tok));
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures", tok,
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:{s:s, "
		"s:b}, s:[{s:s, s:s, s:s, s:b}], s:[{s:s, s:s, s:i}, {s:s, s:s, "
		"s:i}]}", "code", PROC, "name", "Thủ tục thử số hóa", "field",
		"Thử", "level", "province", "unit_code", "000.00.04.H51",
		"processing_time", "amount", 5, "unit", "working_days",
		"result", "document_type", "Giấy", "paper", 1, "components",
		"code", "TK", "name", "Tờ khai", "form", "original", "required",
		1, "steps", "name", "Tiếp nhận", "role", "counter_officer",
		"share_percent", 10, "name", "Thẩm định", "role", "specialist",
		"share_percent", 90), NULL), 201);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures/" PROC
		"/publish", tok, json_pack("{s:s, s:s, s:s}", "valid_from",
		"2025-01-01", "decision_number", "12/QĐ", "decision_date",
		"2025-01-01"), NULL), 200);
}

static long scan(const char *tok, const char *code, const char *comp,
		 const char *sha, int matches, json_t **out)
{
	char path[200];

	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/components/%s/scan",
		 code, comp);
	return th_api(srv.base, "PUT", path, tok, json_pack("{s:s, s:b}",
		      "sha256", sha, "matches_original", matches), out);
}

/* "2026-03-02T09:00:00+07:00" as the UTC text the message names. */
static void utc_of(const char *local, char out[24])
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	assert_int_equal(sscanf(local, "%d-%d-%dT%d:%d:%d", &tm.tm_year,
				&tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
				&tm.tm_min, &tm.tm_sec), 6);
	assert_non_null(strstr(local, "+07:00"));
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm) - 7 * 3600;
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
}

/* A component digitized at the counter, certified, readable by its staff. */
static void test_digitization(void **state)
{
	unsigned char pdf[3000], pk[32], sig[64];
	char sha[65], foreign[65], msg[600], when[24], path[200], *code;
	const char *v;
	struct th_resp r;
	json_t *j, *k;
	size_t n;

	(void)state;
	publish();
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/dossiers", counter,
		json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:[{s:s, s:b}]}",
		"procedure_code", PROC, "channel", "direct", "applicant",
		"kind", "person", "id_number", PID, "name", "Hà Văn Số",
		"phone", "0911222333", "components", "code", "TK", "provided",
		1), &j), 201);
	code = strdup(th_str(j, "code"));
	json_decref(j);
	memset(pdf, 'a', sizeof(pdf));
	memcpy(pdf, "%PDF-1.4\n", 9);
	{
		char p2[128];

		snprintf(p2, sizeof(p2), "%s", create(counter, sizeof(pdf),
						       "to-khai.pdf"));
		assert_int_equal(patch(p2, counter, 0, pdf, sizeof(pdf), &r),
				 204);
		assert_non_null(th_header(&r, "upload-sha256", sha,
					  sizeof(sha)));
		th_resp_free(&r);
		/* A file someone else uploaded. */
		pdf[100] = 'b';
		snprintf(p2, sizeof(p2), "%s", create(other, sizeof(pdf),
						       "khac.pdf"));
		assert_int_equal(patch(p2, other, 0, pdf, sizeof(pdf), &r),
				 204);
		assert_non_null(th_header(&r, "upload-sha256", foreign,
					  sizeof(foreign)));
		th_resp_free(&r);
	}
	/* Refused: not checked, a bad hash, someone else's file, no such
	 * component, not the counter. Nothing changes. */
	assert_int_equal(scan(counter, code, "TK", sha, 0, &j), 400);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "field"), "matches_original");
	json_decref(j);
	assert_int_equal(scan(counter, code, "TK", "abc", 1, &j), 400);
	json_decref(j);
	assert_int_equal(scan(counter, code, "TK", foreign, 1, &j), 400);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "rule"), "uploaded");
	json_decref(j);
	assert_int_equal(scan(counter, code, "XX", sha, 1, &j), 400);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "field"), "component");
	json_decref(j);
	assert_int_equal(scan(other, code, "TK", foreign, 1, &j), 403);
	json_decref(j);
	/* Certified. */
	assert_int_equal(scan(counter, code, "TK", sha, 1, &j), 200);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", code);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, &j),
			 200);
	assert_true(json_is_true(json_object_get(j,
				 "has_digitized_component")));
	k = json_array_get(json_object_get(j, "components"), 0);
	assert_true(json_is_true(json_object_get(k, "digitized")));
	assert_true(json_is_false(json_object_get(k, "reused")));
	assert_string_equal(th_str(json_object_get(k, "file"), "sha256"), sha);
	assert_string_equal(th_str(json_object_get(k, "file"), "media_type"),
			    "application/pdf");
	k = json_object_get(k, "scan");
	assert_string_equal(th_str(k, "scanned_by"), "tiepnhan");
	/* The signature verifies with the published key, computed here. */
	utc_of(th_str(k, "scanned_at"), when);
	snprintf(msg, sizeof(msg), "motcua-scan-v1\n%s\n%s\nTK\ntiepnhan\n%s",
		 sha, code, when);
	v = th_str(k, "signature");
	assert_int_equal(sodium_base642bin(sig, sizeof(sig), v, strlen(v),
		NULL, &n, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
	assert_int_equal(n, 64);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/keys/scan", NULL,
				NULL, &j), 200);
	v = th_str(j, "public_key");
	assert_int_equal(sodium_base642bin(pk, sizeof(pk), v, strlen(v), NULL,
		&n, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
	json_decref(j);
	assert_int_equal(crypto_sign_verify_detached(sig,
		(const unsigned char *)msg, strlen(msg), pk), 0);
	msg[20] ^= 1;			/* another file's hash */
	assert_int_not_equal(crypto_sign_verify_detached(sig,
		(const unsigned char *)msg, strlen(msg), pk), 0);
	/* The department reads the scan once the dossier reaches it. */
	snprintf(path, sizeof(path), "/api/v1/files/%s", sha);
	assert_int_equal(tus("GET", path, other, NULL, NULL, 0, &r), 404);
	th_resp_free(&r);
	{
		char act[200];

		snprintf(act, sizeof(act), "/api/v1/dossiers/%s/actions", code);
		assert_int_equal(th_api(srv.base, "POST", act, counter,
			json_pack("{s:s}", "action", "forward"), NULL), 200);
	}
	assert_int_equal(tus("GET", path, other, NULL, NULL, 0, &r), 200);
	assert_int_equal(r.len, sizeof(pdf));
	th_resp_free(&r);
	free(code);
}

/* Signs citizen 'pid' in with the code sent to 'phone'; their token. */
static void citizen_login(const char *pid, const char *phone, char *tok,
			  size_t n)
{
	char code[8] = "";
	struct th_sms sms;
	json_t *j;
	int i, k, before;

	/* Only a message sent after asking: an earlier code is spent. */
	for (before = 0; th_smsgw_get(gw, before, &sms); before++)
		;
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/citizen/otp", NULL,
		json_pack("{s:s}", "id_number", pid), NULL), 202);
	for (i = 0; i < 200 && !code[0]; i++) {
		const char *p;

		for (k = before; th_smsgw_get(gw, k, &sms); k++)
			if (!strcmp(sms.to, phone) && !strncmp(sms.key, "otp/", 4)
			    && (p = strstr(sms.text, " là ")))
				snprintf(code, sizeof(code), "%.6s",
					 p + strlen(" là "));
		if (!code[0])
			usleep(50 * 1000);
	}
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/citizen/login",
		NULL, json_pack("{s:s, s:s}", "id_number", pid, "code", code),
		&j), 200);
	snprintf(tok, n, "%s", th_str(j, "token"));
	json_decref(j);
}

#define PROC_GKS "9.900702"
#define PID2 "051195072345"

/* A dossier of PROC_GKS for PID2 with component 'comp'. */
static long intake_gks(json_t *comp, json_t **out)
{
	return th_api(srv.base, "POST", "/api/v1/dossiers", counter,
		json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:[o]}",
		"procedure_code", PROC_GKS, "channel", "direct", "applicant",
		"kind", "person", "id_number", PID2, "name", "Mai Thị Kho",
		"phone", "0933444555", "components", comp), out);
}

/*
 * A certified birth certificate enters its owner's store; staff read it
 * only for a dossier of theirs, each read logged where the owner sees it.
 */
static void test_data_store(void **state)
{
	unsigned char pdf[2500], png[1200];
	char tok[128], citizen[160], sha[65], mine[65], path[200], *code;
	char *stranger;
	struct th_resp r;
	json_t *j, *d;
	int64_t id, unverified;

	(void)state;
	th_login(srv.base, "kiemsoat", "motcua-demo", tok, sizeof(tok));
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures", tok,
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:{s:s, "
		"s:b}, s:[{s:s, s:s, s:s, s:s, s:b}], s:[{s:s, s:s, s:i}, "
		"{s:s, s:s, s:i}]}", "code", PROC_GKS, "name", "Thủ tục thử "
		"kho dữ liệu", "field", "Thử", "level", "province", "unit_code",
		"000.00.04.H51", "processing_time", "amount", 5, "unit",
		"working_days", "result", "document_type", "Giấy", "paper", 1,
		"components", "code", "GKS", "name", "Giấy khai sinh",
		"document_type", "GKS", "form", "copy", "required", 1, "steps",
		"name", "Tiếp nhận", "role", "counter_officer", "share_percent",
		10, "name", "Thẩm định", "role", "specialist", "share_percent",
		90), NULL), 201);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures/"
		PROC_GKS "/publish", tok, json_pack("{s:s, s:s, s:s}",
		"valid_from", "2025-01-01", "decision_number", "13/QĐ",
		"decision_date", "2025-01-01"), NULL), 200);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/dossiers", counter,
		json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:[{s:s, s:b}]}",
		"procedure_code", PROC_GKS, "channel", "direct", "applicant",
		"kind", "person", "id_number", PID2, "name", "Mai Thị Kho",
		"phone", "0933444555", "components", "code", "GKS", "provided",
		1), &j), 201);
	code = strdup(th_str(j, "code"));
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/dossiers", counter,
		json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:[{s:s, s:b}]}",
		"procedure_code", PROC_GKS, "channel", "direct", "applicant",
		"kind", "person", "id_number", PID, "name", "Hà Văn Số",
		"phone", "0911222333", "components", "code", "GKS", "provided",
		1), &j), 201);
	stranger = strdup(th_str(j, "code"));
	json_decref(j);
	memset(pdf, 'k', sizeof(pdf));
	memcpy(pdf, "%PDF-1.5\n", 9);
	snprintf(path, sizeof(path), "%s", create(counter, sizeof(pdf),
						   "gks.pdf"));
	assert_int_equal(patch(path, counter, 0, pdf, sizeof(pdf), &r), 204);
	assert_non_null(th_header(&r, "upload-sha256", sha, sizeof(sha)));
	th_resp_free(&r);
	assert_int_equal(scan(counter, code, "GKS", sha, 1, &j), 200);
	json_decref(j);

	/* Staff: only with a purpose, and only a dossier of this person. */
	snprintf(path, sizeof(path), "/api/v1/people/%s/documents", PID2);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, &j),
			 400);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/people/%s/documents?purpose=%s",
		 PID2, stranger);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, &j),
			 403);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/people/%s/documents?purpose=%s",
		 PID2, code);
	assert_int_equal(th_api(srv.base, "GET", path, other, NULL, &j), 403);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, &j),
			 200);
	d = json_array_get(json_object_get(j, "items"), 0);
	assert_string_equal(th_str(d, "type_code"), "GKS");
	assert_string_equal(th_str(d, "type_name"), "Giấy khai sinh");
	assert_string_equal(th_str(d, "source"), "scan");
	assert_string_equal(th_str(d, "source_dossier"), code);
	assert_true(json_is_true(json_object_get(d, "verified")));
	assert_string_equal(th_str(d, "certified_by"), "tiepnhan");
	id = json_integer_value(json_object_get(d, "id"));
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/documents/%" PRId64 "/file?"
		 "purpose=%s", id, code);
	assert_int_equal(tus("GET", path, counter, NULL, NULL, 0, &r), 200);
	assert_int_equal(r.len, sizeof(pdf));
	assert_memory_equal(r.body, pdf, sizeof(pdf));
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/documents/%" PRId64 "/file?"
		 "purpose=%s", id, stranger);
	assert_int_equal(tus("GET", path, counter, NULL, NULL, 0, &r), 403);
	th_resp_free(&r);

	/* The owner sees the store, the file, and who read it. */
	citizen_login(PID2, "0933444555", citizen, sizeof(citizen));
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/citizen/documents",
				citizen, NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/files/%s", sha);
	assert_int_equal(tus("GET", path, citizen, NULL, NULL, 0, &r), 200);
	th_resp_free(&r);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/me/access-log",
				citizen, NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 2);
	d = json_array_get(json_object_get(j, "items"), 0);
	assert_string_equal(th_str(d, "action"), "read");
	assert_string_equal(th_str(d, "actor"), "tiepnhan");
	assert_string_equal(th_str(d, "actor_unit"), "000.00.01.H51");
	assert_string_equal(th_str(d, "purpose"), code);
	assert_string_equal(th_str(d, "document_type"), "Giấy khai sinh");
	d = json_array_get(json_object_get(j, "items"), 1);
	assert_string_equal(th_str(d, "action"), "list");
	json_decref(j);
	/* The refused reads were not answered, and are not in the log. */

	/* The owner adds their own scan: unverified. */
	small_png(png, sizeof(png), 9);
	snprintf(path, sizeof(path), "%s", create(citizen, sizeof(png),
						   "cccd.png"));
	assert_int_equal(patch(path, citizen, 0, png, sizeof(png), &r), 204);
	assert_non_null(th_header(&r, "upload-sha256", mine, sizeof(mine)));
	th_resp_free(&r);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/citizen/documents",
		citizen, json_pack("{s:s, s:s}", "type_code", "XYZ", "sha256",
		mine), &j), 400);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/citizen/documents",
		citizen, json_pack("{s:s, s:s}", "type_code", "CCCD", "sha256",
		sha), &j), 400);			/* not their upload */
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/citizen/documents",
		citizen, json_pack("{s:s, s:s, s:s}", "type_code", "CCCD",
		"sha256", mine, "valid_until", "2040-13-01"), &j), 400);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/citizen/documents",
		citizen, json_pack("{s:s, s:s, s:s, s:s}", "type_code", "CCCD",
		"sha256", mine, "number", "051195072345", "valid_until",
		"2040-01-01"), &j), 201);
	assert_true(json_is_false(json_object_get(j, "verified")));
	unverified = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/citizen/documents",
				citizen, NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 2);
	json_decref(j);

	/* Next time: offered, reused without a new paper. */
	snprintf(path, sizeof(path), "/api/v1/people/%s/offers?procedure="
		 PROC_GKS, PID2);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, &j),
			 200);
	d = json_array_get(json_object_get(j, "items"), 0);
	assert_string_equal(th_str(d, "component"), "GKS");
	assert_int_equal(json_array_size(json_object_get(d, "documents")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
		json_object_get(d, "documents"), 0), "id")), id);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/citizen/offers?"
		"procedure=" PROC_GKS, citizen, NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(json_array_get(
		json_object_get(j, "items"), 0), "documents")), 1);
	json_decref(j);
	/* The paper again needs a reason; an unverified one is no reuse. */
	assert_int_equal(intake_gks(json_pack("{s:s, s:b}", "code", "GKS",
		"provided", 1), &j), 400);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "rule"), "reuse");
	json_decref(j);
	assert_int_equal(intake_gks(json_pack("{s:s, s:b, s:I}", "code",
		"GKS", "provided", 1, "document_id", (json_int_t)unverified),
		&j), 400);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "rule"), "reusable");
	json_decref(j);
	assert_int_equal(intake_gks(json_pack("{s:s, s:b, s:s}", "code", "GKS",
		"provided", 1, "asked_again_reason", "Bản lưu bị mờ"), &j),
		201);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
		"components"), 0), "asked_again_reason"), "Bản lưu bị mờ");
	json_decref(j);
	assert_int_equal(intake_gks(json_pack("{s:s, s:b, s:I}", "code",
		"GKS", "provided", 1, "document_id", (json_int_t)id), &j), 201);
	d = json_array_get(json_object_get(j, "components"), 0);
	assert_true(json_is_true(json_object_get(d, "reused")));
	assert_true(json_is_true(json_object_get(d, "digitized")));
	assert_string_equal(th_str(json_object_get(d, "file"), "sha256"), sha);
	assert_int_equal(json_integer_value(json_object_get(d,
			 "source_document_id")), id);
	free(code);
	code = strdup(th_str(j, "code"));
	json_decref(j);
	/* Both the offer and the reuse are in the owner's log. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/me/access-log",
				citizen, NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 4);
	d = json_array_get(json_object_get(j, "items"), 0);
	assert_string_equal(th_str(d, "action"), "read");
	assert_string_equal(th_str(d, "purpose"), code);
	d = json_array_get(json_object_get(j, "items"), 1);
	assert_string_equal(th_str(d, "action"), "list");
	assert_string_equal(th_str(d, "purpose"), "intake " PROC_GKS);
	json_decref(j);
	/* Opening the dossier is a read of the owner's data too: logged,
	 * once however often the officer opens it within minutes. */
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", code);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, NULL),
			 200);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, NULL),
			 200);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/me/access-log",
				citizen, NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 5);
	d = json_array_get(json_object_get(j, "items"), 0);
	assert_string_equal(th_str(d, "action"), "dossier");
	assert_string_equal(th_str(d, "purpose"), code);
	assert_string_equal(th_str(d, "actor"), "tiepnhan");
	json_decref(j);

	/* The owner's own birth certificates, certified at the counter
	 * against the originals: one still valid, one expired long ago. */
	{
		json_int_t ids[2];
		char url[160], osha[65];
		int k;

		for (k = 0; k < 2; k++) {
			small_png(png, sizeof(png), 20 + k);
			snprintf(path, sizeof(path), "%s", create(citizen,
				 sizeof(png), "gks.png"));
			assert_int_equal(patch(path, citizen, 0, png,
					       sizeof(png), &r), 204);
			assert_non_null(th_header(&r, "upload-sha256", osha,
						  sizeof(osha)));
			th_resp_free(&r);
			assert_int_equal(th_api(srv.base, "POST",
				"/api/v1/citizen/documents", citizen, json_pack(
				"{s:s, s:s, s:s}", "type_code", "GKS", "sha256",
				osha, "valid_until", k ? "2020-01-01" :
				"2045-01-01"), &j), 201);
			ids[k] = json_integer_value(json_object_get(j, "id"));
			json_decref(j);
		}
		snprintf(url, sizeof(url), "/api/v1/documents/%lld/certify",
			 (long long)ids[0]);
		/* Not checked, no purpose, someone else's dossier: refused. */
		assert_int_equal(th_api(srv.base, "POST", url, counter,
			json_pack("{s:s, s:b}", "purpose", code,
			"matches_original", 0), &j), 400);
		json_decref(j);
		assert_int_equal(th_api(srv.base, "POST", url, counter,
			json_pack("{s:b}", "matches_original", 1), &j), 400);
		json_decref(j);
		assert_int_equal(th_api(srv.base, "POST", url, other,
			json_pack("{s:s, s:b}", "purpose", code,
			"matches_original", 1), &j), 403);
		json_decref(j);
		assert_int_equal(th_api(srv.base, "POST", url, counter,
			json_pack("{s:s, s:b}", "purpose", code,
			"matches_original", 1), &j), 200);
		assert_true(json_is_true(json_object_get(j, "verified")));
		assert_string_equal(th_str(j, "certified_by"), "tiepnhan");
		json_decref(j);
		assert_int_equal(th_api(srv.base, "POST", url, counter,
			json_pack("{s:s, s:b}", "purpose", code,
			"matches_original", 1), &j), 409);
		json_decref(j);
		snprintf(url, sizeof(url), "/api/v1/documents/%lld/certify",
			 (long long)ids[1]);
		assert_int_equal(th_api(srv.base, "POST", url, counter,
			json_pack("{s:s, s:b}", "purpose", code,
			"matches_original", 1), &j), 200);
		json_decref(j);
		/* Offered: the scan and the valid one, never the expired. */
		snprintf(path, sizeof(path), "/api/v1/people/%s/offers?"
			 "procedure=" PROC_GKS, PID2);
		assert_int_equal(th_api(srv.base, "GET", path, counter, NULL,
					&j), 200);
		d = json_object_get(json_array_get(json_object_get(j, "items"),
						   0), "documents");
		assert_int_equal(json_array_size(d), 2);
		for (k = 0; k < 2; k++)
			assert_true(json_integer_value(json_object_get(
				json_array_get(d, (size_t)k), "id")) !=
				ids[1]);
		json_decref(j);
		assert_int_equal(intake_gks(json_pack("{s:s, s:b, s:I}",
			"code", "GKS", "provided", 1, "document_id", ids[1]),
			&j), 400);
		assert_string_equal(th_str(json_array_get(json_object_get(j,
				    "errors"), 0), "rule"), "reusable");
		json_decref(j);
	}
	free(code);
	free(stranger);
}

/* Runs 'motcua worker --once' at 'iso' on the test's database. */
static char *worker_once(const char *iso)
{
	char clock[600], *out = NULL, *err = NULL;

	th_path(clock, sizeof(clock), "worker-clock");
	assert_int_equal(th_write_file(clock, iso), 0);
	setenv("MOTCUA_TEST_CLOCK", clock, 1);
	if (th_motcua((const char *[]){ "worker", "--once", "--db", db,
		      "--files-dir", files_dir, "--sms-url", th_smsgw_url(gw),
		      "--sms-token", "gw", NULL }, NULL, &out, &err) != 0)
		fail_msg("worker --once: %s", err ? err : "");
	unsetenv("MOTCUA_TEST_CLOCK");
	free(err);
	return out;
}

/*
 * Housekeeping: an upload left unfinished past upload_ttl is refused
 * (410), then forgotten with its part file; a stored document past its
 * valid_until becomes 'expired', once.
 */
static void test_housekeeping(void **state)
{
	char path[128], part[800], clock[600], id[40], *out;
	struct th_server late;
	struct th_resp r;

	(void)state;
	snprintf(path, sizeof(path), "%s", create(counter, 5000, "bo-do.pdf"));
	assert_int_equal(patch(path, counter, 0, "%PDF-1.4\n", 9, &r), 204);
	th_resp_free(&r);
	assert_int_equal(tus("HEAD", path, counter, NULL, NULL, 0, &r), 200);
	assert_non_null(th_header(&r, "upload-expires", id, sizeof(id)));
	assert_non_null(strstr(id, " GMT"));
	th_resp_free(&r);
	snprintf(id, sizeof(id), "%s", strrchr(path, '/') + 1);
	snprintf(part, sizeof(part), "%s/uploads/%s.part", files_dir, id);
	assert_int_equal(access(part, F_OK), 0);
	/* Another instance holds it (its hold in the database): a PATCH here
	 * writes nothing and says busy; once let go, it goes on. */
	{
		char sql[300];
		struct stat st;

		snprintf(sql, sizeof(sql), "UPDATE uploads SET lease_until = "
			 "'2099-01-01T00:00:00Z' WHERE id = '%s'", id);
		assert_int_equal(th_db_exec(db, sql, sql), 0);
		assert_int_equal(patch(path, counter, 9, "more", 4, &r), 409);
		th_resp_free(&r);
		assert_int_equal(head_offset(path), 9);
		assert_int_equal(stat(part, &st), 0);
		assert_int_equal(st.st_size, 9);
		snprintf(sql, sizeof(sql), "UPDATE uploads SET lease_until = "
			 "NULL WHERE id = '%s'", id);
		assert_int_equal(th_db_exec(db, sql, sql), 0);
		assert_int_equal(patch(path, counter, 9, "more", 4, &r), 204);
		th_resp_free(&r);
		assert_int_equal(head_offset(path), 13);
	}
	/* A server whose clock is past the expiry refuses to go on. */
	th_path(clock, sizeof(clock), "late-clock");
	assert_int_equal(th_write_file(clock, "2099-01-01T09:00:00+07:00"),
			 0);
	setenv("MOTCUA_TEST_CLOCK", clock, 1);
	th_serve(&late, (const char *[]){ "--db", db, NULL });
	unsetenv("MOTCUA_TEST_CLOCK");
	{
		char tok[128], url[300], auth[200];

		th_login(late.base, "tiepnhan", "motcua-demo", tok,
			 sizeof(tok));
		snprintf(url, sizeof(url), "%s%s", late.base, path);
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", tok);
		assert_int_equal(th_http("HEAD", url, (const char *[]){ auth,
			"Tus-Resumable: 1.0.0", NULL }, NULL, 0, &r), 0);
		assert_int_equal(r.status, 410);
		th_resp_free(&r);
	}
	assert_int_equal(th_serve_stop(&late), 0);
	/* Before its expiry the housekeeping leaves it. */
	out = worker_once("2026-01-01T09:00:00+07:00");
	assert_non_null(strstr(out, "0 unfinished uploads removed"));
	free(out);
	assert_int_equal(access(part, F_OK), 0);
	out = worker_once("2039-12-31T09:00:00+07:00");
	assert_non_null(strstr(out, "0 documents expired"));
	assert_non_null(strstr(out, "1 unfinished uploads removed"));
	free(out);
	assert_int_equal(access(part, F_OK), -1);
	assert_int_equal(tus("HEAD", path, counter, NULL, NULL, 0, &r), 404);
	th_resp_free(&r);
	/* The citizen's identity card, valid until 2040-01-01. */
	out = worker_once("2040-01-02T09:00:00+07:00");
	assert_non_null(strstr(out, "1 documents expired"));
	free(out);
	out = worker_once("2040-01-03T09:00:00+07:00");
	assert_non_null(strstr(out, "0 documents expired"));
	free(out);
	/* The scans' events kept every chain whole. */
	{
		char *err = NULL;

		assert_int_equal(th_motcua((const char *[]){ "audit", "verify",
			"--db", db, NULL }, NULL, &out, &err), 0);
		assert_non_null(strstr(out, ", 0 broken chains"));
		free(out);
		free(err);
	}
}

#define PROC_ONL "9.900703"

/*
 * Online, the citizen sends the paper as a file of their own upload: it
 * is the component's file, readable by the counter; someone else's
 * upload, or no SHA-256 at all, is refused naming the component.
 */
static void test_online_files(void **state)
{
	unsigned char png[900];
	char tok[128], citizen[160], mine[65], theirs[65], path[200];
	struct th_resp r;
	json_t *j, *k;

	(void)state;
	th_login(srv.base, "kiemsoat", "motcua-demo", tok, sizeof(tok));
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures", tok,
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:{s:s, "
		"s:b}, s:[{s:s, s:s, s:s, s:b}], s:[{s:s, s:s, s:i}, "
		"{s:s, s:s, s:i}]}", "code", PROC_ONL, "name", "Thủ tục thử "
		"nộp trực tuyến", "field", "Thử", "level", "province",
		"unit_code", "000.00.04.H51", "online_level", "full",
		"processing_time", "amount", 5, "unit", "working_days",
		"result", "document_type", "Giấy", "paper", 1, "components",
		"code", "DON", "name", "Đơn đề nghị", "form", "original",
		"required", 1, "steps", "name", "Tiếp nhận", "role",
		"counter_officer", "share_percent", 10, "name", "Thẩm định",
		"role", "specialist", "share_percent", 90), NULL), 201);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures/"
		PROC_ONL "/publish", tok, json_pack("{s:s, s:s, s:s}",
		"valid_from", "2025-01-01", "decision_number", "14/QĐ",
		"decision_date", "2025-01-01"), NULL), 200);
	citizen_login(PID2, "0933444555", citizen, sizeof(citizen));
	small_png(png, sizeof(png), 21);
	snprintf(path, sizeof(path), "%s", create(citizen, sizeof(png),
						   "don.png"));
	assert_int_equal(patch(path, citizen, 0, png, sizeof(png), &r), 204);
	assert_non_null(th_header(&r, "upload-sha256", mine, sizeof(mine)));
	th_resp_free(&r);
	small_png(png, sizeof(png), 22);
	snprintf(path, sizeof(path), "%s", create(counter, sizeof(png),
						   "khac.png"));
	assert_int_equal(patch(path, counter, 0, png, sizeof(png), &r), 204);
	assert_non_null(th_header(&r, "upload-sha256", theirs,
				  sizeof(theirs)));
	th_resp_free(&r);
	/* Not theirs; not a SHA-256: refused, naming the component. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/citizen/dossiers",
		citizen, json_pack("{s:s, s:s, s:[{s:s, s:s}]}",
		"procedure_code", PROC_ONL, "unit_code", "000.00.01.H51",
		"components", "code", "DON", "file", theirs), &j), 400);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "field"), "components[0].file");
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "rule"), "uploaded");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/citizen/dossiers",
		citizen, json_pack("{s:s, s:s, s:[{s:s, s:s}]}",
		"procedure_code", PROC_ONL, "unit_code", "000.00.01.H51",
		"components", "code", "DON", "file", "ABC"), &j), 400);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "rule"), "format");
	json_decref(j);
	/* Their own: the component handed in, as that file. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/citizen/dossiers",
		citizen, json_pack("{s:s, s:s, s:[{s:s, s:s}]}",
		"procedure_code", PROC_ONL, "unit_code", "000.00.01.H51",
		"components", "code", "DON", "file", mine), &j), 201);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", th_str(j,
		 "code"));
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, &j),
			 200);
	k = json_array_get(json_object_get(j, "components"), 0);
	assert_true(json_is_true(json_object_get(k, "provided")));
	assert_string_equal(th_str(json_object_get(k, "file"), "sha256"), mine);
	assert_string_equal(th_str(json_object_get(k, "file"), "media_type"),
			    "image/png");
	json_decref(j);
	/* The counter reads it, to check it before accepting. */
	snprintf(path, sizeof(path), "/api/v1/files/%s", mine);
	assert_int_equal(tus("GET", path, counter, NULL, NULL, 0, &r), 200);
	assert_int_equal(r.len, sizeof(png));
	th_resp_free(&r);
	/* Sent twice with its Idempotency-Key (a phone resending): one. */
	{
		char url[160], auth[220], first[96], body[300], again[8];
		const char *h[] = { auth, "Content-Type: application/json",
				    "Idempotency-Key: dien-thoai-gui-lai",
				    NULL };
		int n;

		snprintf(url, sizeof(url), "%s/api/v1/citizen/dossiers",
			 srv.base);
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
			 citizen);
		snprintf(body, sizeof(body), "{\"procedure_code\": \""
			 PROC_ONL "\", \"unit_code\": \"000.00.01.H51\", "
			 "\"components\": [{\"code\": \"DON\", \"file\": "
			 "\"%s\"}]}", mine);
		for (n = 0; n < 2; n++) {
			assert_int_equal(th_http("POST", url, h, body,
						 strlen(body), &r), 0);
			assert_int_equal(r.status, 201);
			j = th_json(&r);
			if (n == 0) {
				snprintf(first, sizeof(first), "%s",
					 th_str(j, "code"));
			} else {
				assert_string_equal(th_str(j, "code"), first);
				assert_string_equal(th_header(&r,
					"idempotent-replayed", again,
					sizeof(again)), "true");
			}
			json_decref(j);
			th_resp_free(&r);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_big_resumable),
		cmocka_unit_test(test_dedupe_and_integrity),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_digitization),
		cmocka_unit_test(test_data_store),
		cmocka_unit_test(test_online_files),
		cmocka_unit_test(test_housekeeping),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
