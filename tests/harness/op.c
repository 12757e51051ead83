/*
 * op.c — the tests' OpenID provider and browser (see op.h).
 */
#include "core/compat.h"
#include "harness/harness.h"
#include "harness/op.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int th_free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

pid_t th_op_start(int port, const char *client_id, const char *secret,
		  const char *redirect_uri)
{
	char log[600], ports[16], *text = NULL;
	pid_t pid;
	int i;

	snprintf(log, sizeof(log), "%s/op-%d.log", th_tmpdir(), port);
	snprintf(ports, sizeof(ports), "%d", port);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fo = creat(log, 0644);

		/* It goes when the test goes, however the test ends. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(fo, 1);
		dup2(fo, 2);
		execlp("node", "node", MC_SOURCE_DIR "/tests/fixtures/op/op.mjs",
		       ports, client_id, secret, redirect_uri, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 600; i++) {
		free(text);
		text = th_read_file(log, NULL);
		if (text && strstr(text, "listening "))
			break;
		if (waitpid(pid, NULL, WNOHANG) == pid)
			fail_msg("the OpenID provider stopped: %s (installed "
				 "by scripts/setup-npm.sh?)", text ? text : "");
		usleep(50 * 1000);
	}
	if (!text || !strstr(text, "listening "))
		fail_msg("the OpenID provider did not start: %s",
			 text ? text : "");
	free(text);
	return pid;
}

void th_op_stop(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

struct th_browser {
	CURL *curl;
};

struct th_browser *th_browser_new(void)
{
	struct th_browser *b = calloc(1, sizeof(*b));

	b->curl = curl_easy_init();
	/* The cookie engine on, with no file: this browser's own jar. */
	curl_easy_setopt(b->curl, CURLOPT_COOKIEFILE, "");
	return b;
}

void th_browser_free(struct th_browser *b)
{
	curl_easy_cleanup(b->curl);
	free(b);
}

static size_t keep(char *p, size_t size, size_t n, void *arg)
{
	char **buf = arg;
	size_t old = *buf ? strlen(*buf) : 0;

	*buf = realloc(*buf, old + size * n + 1);
	memcpy(*buf + old, p, size * n);
	(*buf)[old + size * n] = '\0';
	return size * n;
}

static long go(struct th_browser *b, const char *url, const char *form,
	       bool follow, char *at, size_t n, char **page)
{
	char *body = NULL, *where = NULL;
	long status = 0;

	curl_easy_setopt(b->curl, CURLOPT_URL, url);
	curl_easy_setopt(b->curl, CURLOPT_HTTPGET, 1L);
	if (form)
		curl_easy_setopt(b->curl, CURLOPT_POSTFIELDS, form);
	curl_easy_setopt(b->curl, CURLOPT_FOLLOWLOCATION, follow ? 1L : 0L);
	/* After a POST, a 302 or 303 is followed with a GET, as browsers. */
	curl_easy_setopt(b->curl, CURLOPT_POSTREDIR, 0L);
	curl_easy_setopt(b->curl, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(b->curl, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(b->curl, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(b->curl, CURLOPT_TIMEOUT, 30L);
	assert_int_equal(curl_easy_perform(b->curl), CURLE_OK);
	curl_easy_getinfo(b->curl, CURLINFO_RESPONSE_CODE, &status);
	if (follow)
		curl_easy_getinfo(b->curl, CURLINFO_EFFECTIVE_URL, &where);
	else
		curl_easy_getinfo(b->curl, CURLINFO_REDIRECT_URL, &where);
	snprintf(at, n, "%s", where ? where : "");
	if (page)
		*page = body;
	else
		free(body);
	return status;
}

long th_browse(struct th_browser *b, const char *url, const char *form,
	       char *at, size_t n, char **page)
{
	return go(b, url, form, true, at, n, page);
}

long th_browse_once(struct th_browser *b, const char *url, char *at,
		    size_t n)
{
	return go(b, url, NULL, false, at, n, NULL);
}

long th_browse_json(struct th_browser *b, const char *url, const char *json,
		    char **page)
{
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: "
						 "application/json");
	char *body = NULL;
	long status = 0;

	curl_easy_setopt(b->curl, CURLOPT_URL, url);
	curl_easy_setopt(b->curl, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(b->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(b->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(b->curl, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(b->curl, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(b->curl, CURLOPT_TIMEOUT, 30L);
	assert_int_equal(curl_easy_perform(b->curl), CURLE_OK);
	curl_easy_getinfo(b->curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_setopt(b->curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(h);
	if (page)
		*page = body;
	else
		free(body);
	return status;
}
