/*
 * bench_portalsrv.c — the national portal as fast as loopback allows,
 * for bench/portal.sh: it gives a token, takes every dossier and step
 * (error_code "0"), and checks that each dossier's events come in order
 * (the version in the idempotency key "<code>/<version>" never goes
 * back). A thread per connection, each request answered after
 * --delay-ms (the portal's round trip; 0: at once). It prints its port,
 * then, on SIGTERM, what it took.
 *
 *	bench_portalsrv [--delay-ms N]
 */
#include "core/compat.h"
#include "harness/httpd.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#define SLOTS (1 << 17)			/* dossiers it can follow */

static struct {
	char code[96];
	long version;
} seen[SLOTS];
static long requests, events, out_of_order, untracked;
static volatile sig_atomic_t stop;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int delay_ms;

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

/* One connection: its one request, answered after delay_ms. */
static void *handle(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char *buf = malloc(1 << 20), *body, key[200];
	size_t blen;

	if (!buf || th_httpd_read(fd, buf, 1 << 20, &body, &blen)) {
		free(buf);
		close(fd);
		return NULL;
	}
	if (delay_ms)
		usleep((useconds_t)delay_ms * 1000);
	pthread_mutex_lock(&lock);
	requests++;
	th_httpd_header(buf, "Idempotency-Key:", key, sizeof(key));
	/* The step follows its dossier's HoSo: counted once, by its step. */
	if (!strncmp(buf, "POST /hoso/tiendo ", 18))
		note(key);
	pthread_mutex_unlock(&lock);
	if (!strncmp(buf, "POST /token ", 12))
		th_httpd_reply(fd, 200, NULL, "{\"access_token\": \"bench\", "
			       "\"token_type\": \"Bearer\", \"expires_in\": "
			       "3600}");
	else
		th_httpd_reply(fd, 200, NULL, "{\"error_code\": \"0\", "
			       "\"message\": \"Thành công\"}");
	free(buf);
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	pthread_attr_t at;
	int port, fd = th_httpd_listen(&port);

	if (argc == 3 && !strcmp(argv[1], "--delay-ms"))
		delay_ms = (int)strtol(argv[2], NULL, 10);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	printf("%d\n", port);
	fflush(stdout);
	while (!stop) {
		struct pollfd pf = { fd, POLLIN, 0 };
		pthread_t t;
		int c;

		if (poll(&pf, 1, 50) <= 0 || (c = accept(fd, NULL, NULL)) < 0)
			continue;
		if (pthread_create(&t, &at, handle, (void *)(intptr_t)c))
			close(c);
	}
	usleep(200 * 1000);		/* the last answers */
	pthread_mutex_lock(&lock);
	printf("requests %ld events %ld out_of_order %ld untracked %ld\n",
	       requests, events, out_of_order, untracked);
	pthread_mutex_unlock(&lock);
	return 0;
}
