/*
 * op.h — a real OpenID provider for the tests (tests/fixtures/op: panva's
 * oidc-provider on Node.js, installed by the setup), standing in for the
 * national portal's single sign-on; and a browser of sorts (libcurl with
 * its cookie engine, following redirects) to walk a sign-in through it
 * as a person would.
 */
#ifndef MC_TESTS_OP_H
#define MC_TESTS_OP_H

#include <stddef.h>
#include <sys/types.h>

/* A free port of 127.0.0.1 (bound, read and let go). */
int th_free_port(void);

/*
 * Starts the provider on 'port' for client 'client_id' with 'secret',
 * which may send people back only to 'redirect_uri'; waits until it
 * answers (the test fails if it does not in 30 s). Its pid.
 */
pid_t th_op_start(int port, const char *client_id, const char *secret,
		  const char *redirect_uri);
void th_op_stop(pid_t pid);

struct th_browser;

struct th_browser *th_browser_new(void);
void th_browser_free(struct th_browser *b);
/*
 * GETs 'url' (or POSTs form 'form' when not NULL), following redirects
 * with the browser's cookies; the final status, the final URL into 'at'
 * and the page (malloc'd, may be NULL) into '*page'.
 */
long th_browse(struct th_browser *b, const char *url, const char *form,
	       char *at, size_t n, char **page);
/*
 * POSTs JSON 'json' to 'url' with the browser's cookies (as a page's
 * script would, same origin); the status, the answer into '*page'.
 */
long th_browse_json(struct th_browser *b, const char *url, const char *json,
		    char **page);
/* The same without following: the Location into 'at' ("" none). */
long th_browse_once(struct th_browser *b, const char *url, char *at,
		    size_t n);

#endif /* MC_TESTS_OP_H */
