/*
 * bench_portalsrv.c — the national portal as fast as loopback allows,
 * for bench/portal.sh: it gives a token, takes every dossier and step
 * (error_code "0"), and checks that each dossier's events come in order
 * (the version in the idempotency key "<code>/<version>" never goes
 * back). One connection at a time, as the tests' portal. It prints its
 * port, then, on SIGTERM, what it took.
 *
 *	bench_portalsrv
 */
#include "core/compat.h"
#include "harness/httpd.h"

#include <pthread.h>
#include <signal.h>

#define SLOTS (1 << 17)			/* dossiers it can follow */

static struct {
	char code[96];
	long version;
} seen[SLOTS];
static long requests, events, out_of_order, untracked;
static bool stop;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char buf[1 << 20];

static void on_term(int sig)
{
	(void)sig;
	stop = true;
}

/*
 * A step's key "<code>/<version>/tiendo" (a repair, "…/re-…/tiendo", is
 * not an event in order).
 */
static void note(const char *step_key)
{
	char key[200];
	const char *slash;
	unsigned long h = 5381;
	size_t n, i, k;
	long v;

	snprintf(key, sizeof(key), "%s", step_key);
	if ((n = strlen(key)) > 7 && !strcmp(key + n - 7, "/tiendo"))
		key[n - 7] = '\0';
	slash = strrchr(key, '/');
	if (!slash || slash[1] < '0' || slash[1] > '9')
		return;
	n = (size_t)(slash - key);
	v = strtol(slash + 1, NULL, 10);
	for (i = 0; i < n; i++)
		h = h * 33 + (unsigned char)key[i];
	for (k = 0; k < SLOTS; k++) {
		size_t j = (h + k) % SLOTS;

		if (!seen[j].code[0] && n < sizeof(seen[j].code)) {
			memcpy(seen[j].code, key, n);
			seen[j].version = v;
			events++;
			return;
		}
		if (strlen(seen[j].code) == n &&
		    !strncmp(seen[j].code, key, n)) {
			out_of_order += v < seen[j].version;
			if (v > seen[j].version)
				events++;
			seen[j].version = v > seen[j].version ? v :
					  seen[j].version;
			return;
		}
	}
	untracked++;
}

static void handle(void *arg, int fd)
{
	char *body, key[200];
	size_t blen;

	(void)arg;
	if (th_httpd_read(fd, buf, sizeof(buf), &body, &blen))
		return;
	requests++;
	if (!strncmp(buf, "POST /token ", 12)) {
		th_httpd_reply(fd, 200, NULL, "{\"access_token\": \"bench\", "
			       "\"token_type\": \"Bearer\", \"expires_in\": "
			       "3600}");
		return;
	}
	th_httpd_header(buf, "Idempotency-Key:", key, sizeof(key));
	/* The step follows its dossier's HoSo: counted once, by its step. */
	if (!strncmp(buf, "POST /hoso/tiendo ", 18))
		note(key);
	th_httpd_reply(fd, 200, NULL, "{\"error_code\": \"0\", \"message\": "
		       "\"Thành công\"}");
}

int main(void)
{
	struct sigaction sa;
	int port, fd = th_httpd_listen(&port);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	printf("%d\n", port);
	fflush(stdout);
	th_httpd_serve(fd, &lock, &stop, handle, NULL);
	printf("requests %ld events %ld out_of_order %ld untracked %ld\n",
	       requests, events, out_of_order, untracked);
	return 0;
}
