/*
 * hooksrv.c — the tests' webhook receiver (see hooksrv.h).
 */
#include "core/compat.h"
#include "harness/hooksrv.h"
#include "harness/httpd.h"

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

static void handle(void *arg, int fd)
{
	struct th_hooksrv *h = arg;
	char *buf = h->buf;	/* one per server: servers run at once */
	struct th_hook_call c;
	char *body;
	size_t blen;
	int status;

	if (th_httpd_read(fd, buf, sizeof(h->buf), &body, &blen))
		return;
	memset(&c, 0, sizeof(c));
	th_httpd_header(buf, "x-motcua-delivery:", c.delivery,
			sizeof(c.delivery));
	th_httpd_header(buf, "x-motcua-event:", c.event, sizeof(c.event));
	th_httpd_header(buf, "x-motcua-timestamp:", c.timestamp,
			sizeof(c.timestamp));
	th_httpd_header(buf, "x-motcua-signature:", c.signature,
			sizeof(c.signature));
	snprintf(c.body, sizeof(c.body), "%.*s", (int)blen, body);
	pthread_mutex_lock(&h->lock);
	status = h->status;
	if (h->ncalls < MAX_CALLS)
		h->calls[h->ncalls++] = c;
	pthread_mutex_unlock(&h->lock);
	th_httpd_reply(fd, status, NULL, "");
}

static void *run(void *arg)
{
	struct th_hooksrv *h = arg;

	th_httpd_serve(h->fd, &h->lock, &h->stop, handle, h);
	return NULL;
}

struct th_hooksrv *th_hooksrv_start(void)
{
	struct th_hooksrv *h = calloc(1, sizeof(*h));
	int port;

	h->calls = calloc(MAX_CALLS, sizeof(*h->calls));
	h->status = 200;
	pthread_mutex_init(&h->lock, NULL);
	h->fd = th_httpd_listen(&port);
	snprintf(h->url, sizeof(h->url), "http://127.0.0.1:%d/hook", port);
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
