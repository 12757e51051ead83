/*
 * hooksrv.c — the tests' webhook receiver (see hooksrv.h).
 */
#include "core/compat.h"
#include "harness/hooksrv.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CALLS 1024

struct th_hooksrv {
	int fd;
	char url[96];
	pthread_t thread;
	pthread_mutex_t lock;
	bool stop;
	int status;
	struct th_hook_call *calls;
	int ncalls;
	char buf[65536];
};

static void header(const char *req, const char *name, char *out, size_t n)
{
	const char *p = strcasestr(req, name);

	out[0] = '\0';
	if (p) {
		p += strlen(name);
		while (*p == ' ')
			p++;
		snprintf(out, n, "%.*s", (int)strcspn(p, "\r\n"), p);
	}
}

static void handle(struct th_hooksrv *h, int fd)
{
	char *buf = h->buf;	/* one per server: servers run at once */
	size_t len = 0, need = 0;
	char *end = NULL, reply[160];
	struct th_hook_call c;
	int status;

	for (;;) {
		ssize_t got = read(fd, buf + len, sizeof(h->buf) - 1 - len);

		if (got <= 0)
			return;
		len += (size_t)got;
		buf[len] = '\0';
		if (!end && (end = strstr(buf, "\r\n\r\n"))) {
			const char *cl = strcasestr(buf, "content-length:");

			need = (size_t)(end + 4 - buf) +
			       (cl ? strtoul(cl + 15, NULL, 10) : 0);
		}
		if (end && len >= need)
			break;
		if (len + 1 >= sizeof(h->buf))
			return;
	}
	memset(&c, 0, sizeof(c));
	header(buf, "x-motcua-delivery:", c.delivery, sizeof(c.delivery));
	header(buf, "x-motcua-event:", c.event, sizeof(c.event));
	header(buf, "x-motcua-timestamp:", c.timestamp, sizeof(c.timestamp));
	header(buf, "x-motcua-signature:", c.signature, sizeof(c.signature));
	snprintf(c.body, sizeof(c.body), "%.*s", (int)(need - (size_t)(end + 4 -
		 buf)), end + 4);
	pthread_mutex_lock(&h->lock);
	status = h->status;
	if (h->ncalls < MAX_CALLS)
		h->calls[h->ncalls++] = c;
	pthread_mutex_unlock(&h->lock);
	snprintf(reply, sizeof(reply), "HTTP/1.1 %d X\r\nContent-Length: 0\r\n"
		 "Connection: close\r\n\r\n", status);
	if (send(fd, reply, strlen(reply), MSG_NOSIGNAL) < 0)
		return;
}

static void *run(void *arg)
{
	struct th_hooksrv *h = arg;

	for (;;) {
		struct pollfd p = { h->fd, POLLIN, 0 };
		bool stop;
		int c;

		pthread_mutex_lock(&h->lock);
		stop = h->stop;
		pthread_mutex_unlock(&h->lock);
		if (stop)
			break;
		if (poll(&p, 1, 50) <= 0)
			continue;
		c = accept(h->fd, NULL, NULL);
		if (c < 0)
			continue;
		handle(h, c);
		close(c);
	}
	return NULL;
}

struct th_hooksrv *th_hooksrv_start(void)
{
	struct th_hooksrv *h = calloc(1, sizeof(*h));
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	int one = 1;

	h->calls = calloc(MAX_CALLS, sizeof(*h->calls));
	h->status = 200;
	pthread_mutex_init(&h->lock, NULL);
	h->fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(h->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(h->fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(h->fd, 64) ||
	    getsockname(h->fd, (struct sockaddr *)&a, &al)) {
		fprintf(stderr, "hooksrv: cannot listen\n");
		abort();
	}
	snprintf(h->url, sizeof(h->url), "http://127.0.0.1:%d/hook",
		 ntohs(a.sin_port));
	pthread_create(&h->thread, NULL, run, h);
	return h;
}

const char *th_hooksrv_url(const struct th_hooksrv *h)
{
	return h->url;
}

void th_hooksrv_status(struct th_hooksrv *h, int status)
{
	pthread_mutex_lock(&h->lock);
	h->status = status;
	pthread_mutex_unlock(&h->lock);
}

int th_hooksrv_count(struct th_hooksrv *h)
{
	int n;

	pthread_mutex_lock(&h->lock);
	n = h->ncalls;
	pthread_mutex_unlock(&h->lock);
	return n;
}

bool th_hooksrv_get(struct th_hooksrv *h, int i, struct th_hook_call *out)
{
	bool ok;

	pthread_mutex_lock(&h->lock);
	ok = i >= 0 && i < h->ncalls;
	if (ok)
		*out = h->calls[i];
	pthread_mutex_unlock(&h->lock);
	return ok;
}

void th_hooksrv_stop(struct th_hooksrv *h)
{
	pthread_mutex_lock(&h->lock);
	h->stop = true;
	pthread_mutex_unlock(&h->lock);
	pthread_join(h->thread, NULL);
	close(h->fd);
	pthread_mutex_destroy(&h->lock);
	free(h->calls);
	free(h);
}
