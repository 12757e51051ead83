/*
 * test_vneid.c — citizens signed in with VNeID through a real OpenID
 * provider (tests/fixtures/op: oidc-provider, standing in for the
 * national portal's single sign-on, PKCE required, the Vietnamese claims
 * on userinfo): walked through as a browser does, with its cookies, from
 * motcua's start to the provider's login and consent pages and back.
 */
#include "core/compat.h"
#include "harness/harness.h"
#include "harness/op.h"

#define CLIENT "motcua-test"
#define SECRET "bi-mat-cua-tinh-2026"

static struct th_server srv;
static pid_t op;
static int op_port;
static char db[512], counter[256];

static int setup(void **state)
{
	char issuer[64], redirect[160], listen[64], base[64];
	int port = th_free_port();

	(void)state;
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	setenv("MOTCUA_WATCH_INTERVAL", "0", 1);
	/*
	 * Both ports first: motcua asks the provider nothing until used,
	 * and the provider sends people back to motcua's callback only.
	 */
	op_port = th_free_port();
	snprintf(issuer, sizeof(issuer), "http://127.0.0.1:%d", op_port);
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", port);
	snprintf(redirect, sizeof(redirect), "%s/api/v1/citizen/oidc/callback",
		 base);
	th_demo_db(db, sizeof(db), "vneid");
	th_serve(&srv, (const char *[]){ "--db", db, "--listen", listen,
		 "--public-url", base, "--oidc-issuer", issuer,
		 "--oidc-client-id", CLIENT, "--oidc-client-secret", SECRET,
		 "--oidc-timeout", "5s", NULL });
	op = th_op_start(op_port, CLIENT, SECRET, redirect);
	th_login(srv.base, "tiepnhan", "motcua-demo", counter,
		 sizeof(counter));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	th_op_stop(op);
	assert_int_equal(th_serve_stop(&srv), 0);
	return 0;
}

/* The value of query parameter 'name' in 'url' into 'out', or "". */
static void query_of(const char *url, const char *name, char *out, size_t n)
{
	const char *p = strchr(url, '?');
	size_t len = strlen(name);

	out[0] = '\0';
	while (p && *p) {
		p++;
		if (!strncmp(p, name, len) && p[len] == '=') {
			snprintf(out, n, "%.*s", (int)strcspn(p + len + 1, "&#"),
				 p + len + 1);
			return;
		}
		p = strchr(p, '&');
	}
}

/*
 * 'b' signs in at the provider as 'account' from a start at 'start' (a
 * motcua URL, or the provider's authorization URL): the login page, the
 * consent page, then back; where it ends into 'at', its status returned.
 */
static long sign_in(struct th_browser *b, const char *start,
		    const char *account, char *at, size_t n)
{
	char page_at[512], form[128];

	assert_int_equal(th_browse(b, start, NULL, page_at, sizeof(page_at),
				   NULL), 200);
	assert_non_null(strstr(page_at, "/interaction/"));
	snprintf(form, sizeof(form), "prompt=login&login=%s&password=x",
		 account);
	assert_int_equal(th_browse(b, page_at, form, page_at,
				   sizeof(page_at), NULL), 200);
	assert_non_null(strstr(page_at, "/interaction/"));
	return th_browse(b, page_at, "prompt=consent", at, n, NULL);
}

/*
 * 'b' trades 'ticket' for a session, as the page it came back to does:
 * the status; the token into 'token'.
 */
static long session(struct th_browser *b, const char *ticket, char *token,
		    size_t n, json_t **out)
{
	char url[200], body[200], *page = NULL;
	json_t *j;
	long st;

	snprintf(url, sizeof(url), "%s/api/v1/citizen/oidc/session",
		 srv.base);
	snprintf(body, sizeof(body), "{\"ticket\": \"%s\"}", ticket);
	st = th_browse_json(b, url, body, &page);
	j = json_loads(page ? page : "", 0, NULL);
	free(page);

	if (token)
		snprintf(token, n, "%s", st == 200 ? th_str(j, "token") : "");
	if (out)
		*out = j;
	else
		json_decref(j);
	return st;
}

static void signed_in(void **state)
{
	struct th_browser *b = th_browser_new();
	char start[256], at[1024], ticket[128], token[128];
	json_t *j;

	(void)state;
	snprintf(start, sizeof(start), "%s/api/v1/citizen/oidc/start?"
		 "return_to=/cong-dan/ho-so%%3Fxem%%3D1", srv.base);
	sign_in(b, start, "vneid-001", at, sizeof(at));
	/* Back where it began, with a ticket and nothing else secret. */
	assert_true(!strncmp(at, srv.base, strlen(srv.base)));
	assert_non_null(strstr(at, "/cong-dan/ho-so?xem=1&login="));
	assert_null(strstr(at, "c."));
	query_of(at, "login", ticket, sizeof(ticket));
	assert_true(strlen(ticket) > 40);
	/*
	 * Another browser — with no sign-in begun, or its own — cannot
	 * trade it: a ticket is the browser's that began the sign-in.
	 */
	{
		struct th_browser *o = th_browser_new();
		char other_at[512];

		assert_int_equal(session(o, ticket, NULL, 0, NULL), 400);
		assert_int_equal(th_browse_once(o, start, other_at,
						sizeof(other_at)), 302);
		assert_int_equal(session(o, ticket, NULL, 0, NULL), 401);
		th_browser_free(o);
	}
	assert_int_equal(session(b, ticket, token, sizeof(token), &j), 200);
	assert_string_equal(th_str(j, "signed_in_with"), "vneid");
	assert_string_equal(th_str(json_object_get(j, "citizen"),
				   "id_number"), "051090001234");
	assert_string_equal(th_str(json_object_get(j, "citizen"), "name"),
			    "Nguyễn Thị Định Danh");
	json_decref(j);
	/* The token is a citizen's session like a one-time code's. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/citizen/me", token,
				NULL, &j), 200);
	assert_string_equal(th_str(j, "id_number"), "051090001234");
	json_decref(j);
	/*
	 * Filed online while signed in with VNeID: the applicant's
	 * identity is VNeID's (TaiKhoanDuocXacThucVoiVNeID; the 766
	 * index's 4.5 counts it).
	 */
	if (th_api(srv.base, "POST", "/api/v1/citizen/dossiers", token,
		   json_pack("{s:s, s:s, s:[{s:s, s:b}]}", "procedure_code",
		   "3.000333", "unit_code", "000.00.01.H51", "components",
		   "code", "TP01", "provided", 1), &j) != 201)
		fail_msg("submit: %s", json_dumps(j, 0));
	{
		char path[200];

		snprintf(path, sizeof(path), "/api/v1/dossiers/%s",
			 th_str(j, "code"));
		json_decref(j);
		assert_int_equal(th_api(srv.base, "GET", path, counter, NULL,
					&j), 200);
		assert_true(json_is_true(json_object_get(json_object_get(j,
			"applicant"), "vneid")));
		json_decref(j);
	}
	/* A ticket is good once; the sign-in's cookie is gone with it. */
	assert_int_equal(session(b, ticket, NULL, 0, NULL), 400);
	/* The answer again (the provider's code, the state): refused. */
	assert_int_equal(th_browse(b, at, NULL, at, sizeof(at), NULL), 404);
	th_browser_free(b);
}

static void own_dossiers(void **state)
{
	struct th_browser *b = th_browser_new();
	char start[256], at[1024], ticket[128], token[128], *code;
	json_t *j;

	(void)state;
	/* Known from the counter: signed in, they see their dossier. */
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/dossiers", counter,
		json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:[{s:s, s:b}]}",
		"procedure_code", "3.000333", "channel", "direct", "applicant",
		"kind", "person", "id_number", "051095005678", "name",
		"Trần Văn Mức Một", "phone", "0905000111", "components",
		"code", "TP01", "provided", 1), &j), 201);
	code = strdup(th_str(j, "code"));
	json_decref(j);
	snprintf(start, sizeof(start), "%s/api/v1/citizen/oidc/start",
		 srv.base);
	sign_in(b, start, "vneid-002", at, sizeof(at));
	assert_non_null(strstr(at, "/?login="));
	query_of(at, "login", ticket, sizeof(ticket));
	assert_int_equal(session(b, ticket, token, sizeof(token), NULL), 200);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/citizen/dossiers",
				token, NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	json_decref(j);
	/* Taken in at the counter: not by VNeID. */
	{
		char path[200];

		snprintf(path, sizeof(path), "/api/v1/dossiers/%s", code);
		assert_int_equal(th_api(srv.base, "GET", path, counter, NULL,
					&j), 200);
		assert_true(json_is_false(json_object_get(json_object_get(j,
			"applicant"), "vneid")));
		json_decref(j);
	}
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/citizen/dossiers",
				token, NULL, &j), 200);
	assert_string_equal(th_str(json_array_get(json_object_get(j, "items"),
						  0), "code"), code);
	json_decref(j);
	free(code);
	th_browser_free(b);
}

static void not_signed_in(void **state)
{
	struct th_browser *b = th_browser_new(), *other = th_browser_new();
	char start[256], at[1024], auth[1100], why[64];
	json_t *j;

	(void)state;
	snprintf(start, sizeof(start), "%s/api/v1/citizen/oidc/start?"
		 "return_to=/cong-dan", srv.base);
	/* No personal ID among the claims: back, saying so. */
	sign_in(b, start, "vneid-003", at, sizeof(at));
	query_of(at, "login_error", why, sizeof(why));
	assert_string_equal(why, "no_id_number");
	assert_null(strstr(at, "login="));
	/*
	 * The citizen declines at the provider (in a new browser: in this
	 * one the provider remembers them, and asks nothing).
	 */
	th_browser_free(b);
	b = th_browser_new();
	assert_int_equal(th_browse(b, start, NULL, at, sizeof(at), NULL), 200);
	snprintf(auth, sizeof(auth), "%s/abort", at);
	th_browse(b, auth, NULL, at, sizeof(at), NULL);
	query_of(at, "login_error", why, sizeof(why));
	assert_string_equal(why, "access_denied");
	/*
	 * Begun in one browser, finished in another (a sign-in forced on
	 * someone): the answer is refused, nobody is signed in.
	 */
	th_browser_free(b);
	b = th_browser_new();
	assert_int_equal(th_browse_once(b, start, auth, sizeof(auth)), 302);
	assert_non_null(strstr(auth, "code_challenge="));
	/* The other has begun one of its own: a cookie, not this one's. */
	assert_int_equal(th_browse_once(other, start, at, sizeof(at)), 302);
	assert_int_equal(sign_in(other, auth, "vneid-001", at, sizeof(at)),
			 400);
	assert_non_null(strstr(at, "/api/v1/citizen/oidc/callback?"));
	/* And with no cookie at all. */
	th_browser_free(other);
	other = th_browser_new();
	assert_int_equal(th_browse_once(b, start, auth, sizeof(auth)), 302);
	assert_int_equal(sign_in(other, auth, "vneid-001", at, sizeof(at)),
			 400);
	/* Only paths of this site to come back to. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/citizen/oidc/start?"
		"return_to=//evil.example/x", NULL, NULL, &j), 400);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
		"errors"), 0), "field"), "return_to");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/citizen/oidc/start?"
		"return_to=https://evil.example/", NULL, NULL, &j), 400);
	json_decref(j);
	/* Nor one that brings a ticket back of someone else's making. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/citizen/oidc/start?"
		"return_to=/%3Fa%3D1%26login%3Dx", NULL, NULL, &j), 400);
	json_decref(j);
	/* A made-up ticket; a callback with no state. */
	assert_int_equal(th_browse_once(other, start, at, sizeof(at)), 302);
	assert_int_equal(session(other, "not-a-ticket", NULL, 0, NULL), 401);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/citizen/oidc/"
		"callback?code=x", NULL, NULL, &j), 400);
	json_decref(j);
	th_browser_free(b);
	th_browser_free(other);
}

static void provider_down(void **state)
{
	struct th_server down;
	char issuer[64], url[256];
	json_t *j;

	(void)state;
	/* Nobody at the issuer: the start says so, and what else to do. */
	snprintf(issuer, sizeof(issuer), "http://127.0.0.1:%d",
		 th_free_port());
	th_serve(&down, (const char *[]){ "--db", db, "--oidc-issuer", issuer,
		 "--oidc-client-id", CLIENT, NULL });
	/* The portal offers what is configured: VNeID here, no SMS. */
	assert_int_equal(th_api(down.base, "GET", "/api/v1/citizen/signin",
				NULL, NULL, &j), 200);
	assert_true(json_is_true(json_object_get(j, "vneid")));
	assert_true(json_is_false(json_object_get(json_object_get(j, "otp"),
						  "sms")));
	json_decref(j);
	snprintf(url, sizeof(url), "/api/v1/citizen/oidc/start");
	assert_int_equal(th_api(down.base, "GET", url, NULL, NULL, &j), 502);
	assert_non_null(strstr(th_str(j, "title"), "VNeID"));
	json_decref(j);
	assert_int_equal(th_serve_stop(&down), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(signed_in),
		cmocka_unit_test(own_dossiers),
		cmocka_unit_test(not_signed_in),
		cmocka_unit_test(provider_down),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
