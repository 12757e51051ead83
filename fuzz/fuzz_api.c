/*
 * fuzz_api.c — whole HTTP requests to the real API, in process: the
 * request line, the query string (http/server.c parse_query), the routing
 * (http/router.c), the headers the handlers read (tus Upload-Offset,
 * Upload-Length and Upload-Metadata in api/files.c; X-Motcua-Signature
 * and its timestamp and nonce in api/payments.c; Idempotency-Key,
 * Authorization) and the body: JSON through mc_api_body and each
 * endpoint's validation (the handlers of src/api), Open311's form-encoded requests
 * (api/open311.c), CSV statements (api/payments.c).
 *
 * At the first input the harness makes a demo database (`motcua demo`,
 * 20 dossiers, under a fixed test clock) in a temporary directory and
 * starts `motcua serve` on a loopback port in a thread of its own. Each
 * input is a request written as HTTP/1.1 without Host and Content-Length:
 *
 *   POST /api/v1/dossiers?x=1
 *   Authorization: Bearer @admin
 *   Content-Type: application/json
 *
 *   {"procedure_code": "1.000656", ...}
 *
 * Lines end with LF; bytes that cannot be sent are percent-encoded (in
 * the target) or dropped (in headers); "@admin", "@staff", "@counter"
 * and "@citizen" (the applicant of dossier FZ_DOSSIER, signed in with a
 * one-time code) in a header value become those users' bearer tokens, and
 * "X-Motcua-Signature: @sign" the payment platform's signature of the
 * body under the X-Motcua-Timestamp and X-Motcua-Nonce given (the key of
 * the platform "dvcqg" when the target names it, else "gateway"). The answer
 * must not be a 500, and a JSON answer must parse.
 */
#include "fuzz.h"
#include "cli/cli.h"
#include "domain/paysig.h"

#include <errno.h>
#include <ftw.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

/* The harness's fixed "now" (MOTCUA_TEST_CLOCK), a Monday. */
#define FZ_CLOCK "2026-03-02T10:00:00+07:00\n"

static char dir[512];
static char db[600];
static char listen_on[64];
static int port;
static pthread_t server;
static bool started;
static bool ready;		/* answered /readyz: stopping now is a finding */
static bool exited;		/* the serve thread returned (atomic) */
/* Bearer tokens: admin, staff (chuyenvien), counter (tiepnhan), citizen. */
static char tokens[4][160];

/* The demo dossier whose applicant signs in as @citizen. */
#define FZ_DOSSIER "000.00.01.H51-260210-0002"

/* The configuration of both commands: small, quiet and deterministic. */
static const char *const settings[] = {
	"MOTCUA_PASSWORD_MEMORY=8k", "MOTCUA_PASSWORD_OPS=1",
	"MOTCUA_ACCESS_LOG=off", "MOTCUA_LOG_LEVEL=error",
	"MOTCUA_THREADS=1", "MOTCUA_WORKERS=2", "MOTCUA_OUTBOX_WORKERS=0",
	"MOTCUA_WATCH_INTERVAL=0", "MOTCUA_PORTAL_INBOUND=0",
	"MOTCUA_LOGIN_MAX_FAILURES=1000",
	"MOTCUA_LOGIN_MAX_PER_ADDRESS=100000",
	"MOTCUA_LOOKUP_MAX_FAILURES=100000",
	"MOTCUA_OTP_MAX_PER_ADDRESS=100000", "MOTCUA_OTP_MAX_PER_ID=100",
	"MOTCUA_PAYMENT_GATEWAY_SECRET=fuzz-gateway-secret",
	"MOTCUA_PAYMENT_DVCQG_SECRET=fuzz-dvcqg-secret",
	"MOTCUA_PAYMENT_GATEWAY_URL=http://127.0.0.1:9/gateway",
	"MOTCUA_PAYMENT_DVCQG_URL=http://127.0.0.1:9/dvcqg",
	"MOTCUA_PAYMENT_BANK_BIN=970436",
	"MOTCUA_PAYMENT_ACCOUNT=0000123456789",
	"MOTCUA_PAYMENT_ACCOUNT_NAME=TAI KHOAN DEMO MOTCUA",
	"MOTCUA_UPLOAD_MAX=1m", "MOTCUA_REQUEST_TIMEOUT=20s",
};

/* settings[] and the paths below the temporary directory, writable. */
static char *env[MC_ARRAY_SIZE(settings) + 4];

static int run_cli(const char *const *args)
{
	char *argv[16];
	int argc = 0;

	while (args[argc] && argc < 15) {
		argv[argc] = (char *)(uintptr_t)args[argc];
		argc++;
	}
	argv[argc] = NULL;
	return mc_cli_main(argc, argv, env);
}

static void *serve_main(void *arg)
{
	const char *args[] = { "motcua", "serve", "--db", db, "--listen",
			       listen_on, NULL };
	int rc;

	(void)arg;
	rc = run_cli(args);
	if (__atomic_load_n(&ready, __ATOMIC_SEQ_CST) && rc != 0) {
		fprintf(stderr, "fuzz_api: motcua serve stopped: %d\n", rc);
		abort();
	}
	__atomic_store_n(&exited, true, __ATOMIC_SEQ_CST);
	return NULL;
}

static int free_port(void)
{
	struct sockaddr_in a;
	socklen_t n = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), p;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	FZ_CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0);
	FZ_CHECK(getsockname(fd, (struct sockaddr *)&a, &n) == 0);
	p = ntohs(a.sin_port);
	close(fd);
	return p;
}

/*
 * Sends 'req' (len bytes, a whole request) and reads the answer into
 * 'out' (mc_free'd by the caller). Returns the status, or -1 when no
 * answer came.
 */
static int exchange(const char *req, size_t len, char **out, size_t *outlen)
{
	struct sockaddr_in a;
	struct timeval tv = { 30, 0 };
	size_t cap = 65536, n = 0, off = 0;
	char *buf = mc_malloc(cap + 1);
	int fd = socket(AF_INET, SOCK_STREAM, 0), status = -1;
	ssize_t k;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0)
		goto out;
	while (off < len) {
		k = send(fd, req + off, len - off, MSG_NOSIGNAL);
		if (k <= 0)
			break;	/* the server may answer early (413) */
		off += (size_t)k;
	}
	/*
	 * No shutdown(SHUT_WR): h2o may take the half-close for a client gone
	 * and drop the answer. Connection: close ends the exchange.
	 */
	for (;;) {
		if (n == cap) {
			cap *= 2;
			buf = mc_realloc(buf, cap + 1);
		}
		k = recv(fd, buf + n, cap - n, 0);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	buf[n] = '\0';
	if (n > 12 && strncmp(buf, "HTTP/1.", 7) == 0)
		status = (int)strtol(buf + 9, NULL, 10);
out:
	if (fd >= 0)
		close(fd);
	*out = buf;
	*outlen = n;
	return status;
}

static const char *body_of(const char *resp)
{
	const char *p = strstr(resp, "\r\n\r\n");

	return p ? p + 4 : "";
}

/* POSTs JSON 'body' to 'path'; the answer's "token" into 'token'. */
static bool post_token(const char *path, const char *body, char *token,
		       size_t n)
{
	char req[1024], *resp;
	size_t rlen;
	json_t *doc;
	const char *t;
	int len, st;

	len = snprintf(req, sizeof(req), "POST %s HTTP/1.1\r\n"
		       "Host: fuzz\r\nConnection: close\r\n"
		       "Content-Type: application/json\r\n"
		       "Content-Length: %zu\r\n\r\n%s", path, strlen(body),
		       body);
	st = exchange(req, (size_t)len, &resp, &rlen);
	doc = st == 200 ? json_loads(body_of(resp), 0, NULL) : NULL;
	t = json_string_value(json_object_get(doc, "token"));
	if (t)
		snprintf(token, n, "%s", t);
	else if (token)
		fprintf(stderr, "fuzz_api: %s: %s\n", path, resp);
	json_decref(doc);
	mc_free(resp);
	return t != NULL;
}

static bool login(const char *user, char *token, size_t n)
{
	char body[128];

	snprintf(body, sizeof(body), "{\"username\": \"%s\", \"password\": "
		 "\"motcua-demo\"}", user);
	return post_token("/api/v1/auth/login", body, token, n);
}

/* A text column of the first row of 'sql' (one text parameter), or "". */
static void db_text(const char *sql, const char *param, char *out, size_t n)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;

	*out = '\0';
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(h);
}

/*
 * The applicant of FZ_DOSSIER signs in as a citizen: a one-time code is
 * asked for, read from the message queued for it (no message is sent:
 * the harness runs no delivery), and given back.
 */
static bool citizen_login(char *token, size_t n)
{
	char id[32], body[256], text[512], code[8] = "";
	const char *p;

	db_text("SELECT applicant_id_number FROM dossiers WHERE code = ?1",
		FZ_DOSSIER, id, sizeof(id));
	snprintf(body, sizeof(body), "{\"id_number\": \"%s\"}", id);
	post_token("/api/v1/citizen/otp", body, NULL, 0);
	db_text("SELECT body FROM messages WHERE event = ?1 ORDER BY id DESC",
		"otp", text, sizeof(text));
	for (p = text; *p; p++)
		if (strspn(p, "0123456789") == 6) {
			memcpy(code, p, 6);
			code[6] = '\0';
			break;
		}
	snprintf(body, sizeof(body), "{\"id_number\": \"%s\", \"code\": "
		 "\"%s\"}", id, code);
	return post_token("/api/v1/citizen/login", body, token, n);
}

/* Signs the four users in (again, after an input signed one out). */
static bool login_all(void)
{
	int ok = 0;	/* all three tried, whatever the first gives */

	ok += login("admin", tokens[0], sizeof(tokens[0]));
	ok += login("chuyenvien", tokens[1], sizeof(tokens[1]));
	ok += login("tiepnhan", tokens[2], sizeof(tokens[2]));
	ok += citizen_login(tokens[3], sizeof(tokens[3]));
	return ok == 4;
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* At exit: stops the server and removes the temporary directory. */
static void stop_server(void)
{
	if (!started)
		return;
	started = false;
	pthread_kill(server, SIGTERM);
	pthread_join(server, NULL);
	if (!getenv("FUZZ_API_KEEP"))
		nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup(void)
{
	const char *tmp = getenv("MOTCUA_TEST_TMP");
	char path[700], files[600], web[600], sms[600], clock[600];
	const char *demo[] = { "motcua", "demo", "--db", db, "--dossiers",
			       "20", NULL };
	char *resp;
	size_t rlen, i;
	int tries;
	FILE *f;

	if (!tmp || !*tmp)
		tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	mkdir(tmp, 0755);
	snprintf(dir, sizeof(dir), "%s/fuzz-api-XXXXXX", tmp);
	FZ_CHECK(mkdtemp(dir) != NULL);
	snprintf(db, sizeof(db), "%s/motcua.db", dir);
	snprintf(files, sizeof(files), "MOTCUA_FILES_DIR=%s/files", dir);
	snprintf(web, sizeof(web), "MOTCUA_WEB_ROOT=%s/web", dir);
	snprintf(sms, sizeof(sms), "MOTCUA_SMS_URL=file:%s/sms.log", dir);
	snprintf(path, sizeof(path), "%s/web", dir);
	mkdir(path, 0755);
	for (i = 0; i < MC_ARRAY_SIZE(settings); i++)
		env[i] = mc_strdup(settings[i]);
	env[i++] = mc_strdup(files);
	env[i++] = mc_strdup(web);
	env[i] = mc_strdup(sms);
	snprintf(clock, sizeof(clock), "%s/clock", dir);
	f = fopen(clock, "w");
	FZ_CHECK(f && fputs(FZ_CLOCK, f) >= 0 && fclose(f) == 0);
	setenv("MOTCUA_TEST_CLOCK", clock, 1);
	FZ_CHECK(run_cli(demo) == 0);

	/*
	 * The port was free a moment ago; another process may take it first,
	 * and then the server stops at once: try another.
	 */
	for (tries = 0; tries < 5 && !__atomic_load_n(&ready, __ATOMIC_SEQ_CST);
	     tries++) {
		port = free_port();
		snprintf(listen_on, sizeof(listen_on), "127.0.0.1:%d", port);
		__atomic_store_n(&exited, false, __ATOMIC_SEQ_CST);
		FZ_CHECK(pthread_create(&server, NULL, serve_main, NULL) == 0);
		for (i = 0; i < 600; i++) {
			static const char req[] = "GET /readyz HTTP/1.1\r\n"
				"Host: fuzz\r\nConnection: close\r\n\r\n";
			int st;

			if (__atomic_load_n(&exited, __ATOMIC_SEQ_CST))
				break;
			st = exchange(req, sizeof(req) - 1, &resp, &rlen);
			mc_free(resp);
			if (st == 200 && !__atomic_load_n(&exited,
							  __ATOMIC_SEQ_CST)) {
				__atomic_store_n(&ready, true,
						 __ATOMIC_SEQ_CST);
				break;
			}
			usleep(50000);
		}
		if (!__atomic_load_n(&ready, __ATOMIC_SEQ_CST)) {
			FZ_CHECK(__atomic_load_n(&exited, __ATOMIC_SEQ_CST));
			pthread_join(server, NULL);
		}
	}
	FZ_CHECK(ready);
	started = true;
	FZ_CHECK(login_all());
	atexit(stop_server);
}

static bool tchar(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* The headers the harness writes itself. */
static bool own_header(const char *name, size_t n)
{
	static const char *const own[] = {
		"host", "content-length", "transfer-encoding", "connection",
		"expect", "upgrade", "te", "keep-alive", "http2-settings",
		"trailer",
	};
	size_t i;

	for (i = 0; i < MC_ARRAY_SIZE(own); i++)
		if (strlen(own[i]) == n && strncasecmp(name, own[i], n) == 0)
			return true;
	return false;
}

static void put(char **out, size_t *len, size_t *cap, const void *p,
		size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*out = mc_realloc(*out, *cap);
	}
	memcpy(*out + *len, p, n);
	*len += n;
	(*out)[*len] = '\0';
}

static void puts_(char **out, size_t *len, size_t *cap, const char *s)
{
	put(out, len, cap, s, strlen(s));
}

/* A header value with the tokens of "@admin" and the others put in. */
static void put_value(char **out, size_t *len, size_t *cap, const char *v,
		      size_t n)
{
	static const char *const who[] = { "@admin", "@staff", "@counter",
					   "@citizen" };
	size_t i, k, w;

	for (i = 0; i < n; i++) {
		uint8_t c = (uint8_t)v[i];

		if (c == '@') {
			for (w = 0; w < MC_ARRAY_SIZE(who); w++) {
				k = strlen(who[w]);
				if (n - i >= k && !memcmp(v + i, who[w], k)) {
					puts_(out, len, cap, tokens[w]);
					i += k - 1;
					break;
				}
			}
			if (w < MC_ARRAY_SIZE(who))
				continue;
		}
		if (c != '\r' && c != '\n' && c != '\0')
			put(out, len, cap, &v[i], 1);
	}
}

/*
 * Whether header 'name' (n bytes) is "X-Motcua-Signature: @sign", the
 * harness's to write; sets '*sign' then.
 */
static bool wants_signature(const uint8_t *name, size_t n,
			    const uint8_t *v, const uint8_t *eol, bool *sign)
{
	while (v < eol && (*v == ' ' || *v == '\t'))
		v++;
	if (n != 18 || strncasecmp((const char *)name, "x-motcua-signature",
				   n) || eol - v < 5 || memcmp(v, "@sign", 5))
		return false;
	*sign = true;
	return true;
}

/* A header value as it is sent (trimmed, CR, LF and NUL dropped). */
static const char *keep(char **slot, const uint8_t *v, const uint8_t *eol)
{
	char *s, *o;

	while (v < eol && (*v == ' ' || *v == '\t'))
		v++;
	s = o = mc_malloc((size_t)(eol - v) + 1);
	for (; v < eol; v++)
		if (*v != '\r' && *v != '\0')
			*o++ = (char)*v;
	while (o > s && (o[-1] == ' ' || o[-1] == '\t'))
		o--;
	*o = '\0';
	mc_free(*slot);
	*slot = s;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size, *eol, *colon;
	char *req = NULL, *resp, num[32];
	size_t len = 0, cap = 0, rlen, i;
	char *sig_ts = NULL, *sig_nonce = NULL;
	const char *ts = "", *nonce = "";
	bool sign = false;
	int status;

	if (!started)
		setup();
	/* Method: a token, up to the first space. */
	for (i = 0; p + i < end && tchar(p[i]) && i < 16; i++)
		;
	if (i == 0 || p + i >= end || p[i] != ' ')
		return 0;
	put(&req, &len, &cap, p, i);
	puts_(&req, &len, &cap, " ");
	p += i + 1;
	/* Target: up to the end of the line, what cannot go percent-encoded. */
	eol = memchr(p, '\n', (size_t)(end - p));
	if (!eol)
		eol = end;
	if (p == eol || *p != '/')
		puts_(&req, &len, &cap, "/");
	for (; p < eol; p++) {
		if (*p > 0x20 && *p < 0x7f) {
			put(&req, &len, &cap, p, 1);
		} else {
			snprintf(num, sizeof(num), "%%%02X", *p);
			puts_(&req, &len, &cap, num);
		}
	}
	puts_(&req, &len, &cap, " HTTP/1.1\r\nHost: fuzz\r\n"
	      "Connection: close\r\n");
	p = eol < end ? eol + 1 : end;
	/* Headers, up to an empty line. */
	while (p < end && *p != '\n') {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		colon = memchr(p, ':', (size_t)(eol - p));
		for (i = 0; colon && p + i < colon && tchar(p[i]); i++)
			;
		if (colon && i > 0 && p + i == colon &&
		    !own_header((const char *)p, i) &&
		    !wants_signature(p, i, colon + 1, eol, &sign)) {
			if (i == 18 && !strncasecmp((const char *)p,
						    "x-motcua-timestamp", i))
				ts = keep(&sig_ts, colon + 1, eol);
			else if (i == 14 && !strncasecmp((const char *)p,
							 "x-motcua-nonce", i))
				nonce = keep(&sig_nonce, colon + 1, eol);
			put(&req, &len, &cap, p, i + 1);
			p = colon + 1;
			while (p < eol && (*p == ' ' || *p == '\t'))
				p++;
			puts_(&req, &len, &cap, " ");
			put_value(&req, &len, &cap, (const char *)p,
				  (size_t)(eol - p));
			puts_(&req, &len, &cap, "\r\n");
		}
		p = eol < end ? eol + 1 : end;
	}
	if (p < end)
		p++;
	if (sign) {
		char want[MC_PAYSIG_HEX];

		mc_paysig_callback(strstr(req, "/callbacks/dvcqg") ?
				   "fuzz-dvcqg-secret" : "fuzz-gateway-secret",
				   ts, nonce, (const char *)p,
				   (size_t)(end - p), want);
		puts_(&req, &len, &cap, "X-Motcua-Signature: sha256=");
		puts_(&req, &len, &cap, want);
		puts_(&req, &len, &cap, "\r\n");
	}
	mc_free(sig_ts);
	mc_free(sig_nonce);
	snprintf(num, sizeof(num), "%zu", (size_t)(end - p));
	puts_(&req, &len, &cap, "Content-Length: ");
	puts_(&req, &len, &cap, num);
	puts_(&req, &len, &cap, "\r\n\r\n");
	put(&req, &len, &cap, p, (size_t)(end - p));

	status = exchange(req, len, &resp, &rlen);
	if (status == -1) {
		/* Once more: a lost answer must be lost again to count. */
		fprintf(stderr, "fuzz_api: no answer, trying again\n");
		mc_free(resp);
		status = exchange(req, len, &resp, &rlen);
	}
	if (getenv("FUZZ_API_SHOW"))	/* to look at what seeds reach */
		fprintf(stderr, "fuzz_api: %.*s -> %.*s %.400s\n",
			(int)strcspn(req, "\r"), req, (int)strcspn(resp,
			"\r"), resp, body_of(resp));
	if (status == -1 || status >= 500) {
		fprintf(stderr, "fuzz_api: answer %d to:\n%.*s\n--- answer:\n"
			"%.*s\n", status, (int)(len > 4000 ? 4000 : len), req,
			(int)(rlen > 4000 ? 4000 : rlen), resp);
		/* 503: the request time limit, not a finding in itself. */
		FZ_CHECK(status != -1 && status != 500 && status != 502);
	}
	/* A JSON answer parses (HEAD has the headers only). */
	if (strncmp(req, "HEAD ", 5) != 0 &&
	    (strstr(resp, "\r\nContent-Type: application/json") ||
	    strstr(resp, "\r\ncontent-type: application/json") ||
	     strstr(resp, "\r\ncontent-type: application/problem+json"))) {
		json_t *doc = json_loads(body_of(resp), JSON_DECODE_ANY, NULL);

		FZ_CHECK(doc != NULL);
		json_decref(doc);
	}
	/* The next inputs keep their sessions (a lockout keeps the old). */
	if (strstr(req, "citizen/logout"))
		(void)citizen_login(tokens[3], sizeof(tokens[3]));
	else if (strstr(req, "logout"))
		(void)login_all();
	mc_free(resp);
	mc_free(req);
	return 0;
}
