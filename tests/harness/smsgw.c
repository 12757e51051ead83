/*
 * smsgw.c — the tests' SMS gateway (see smsgw.h). One thread accepts
 * connections on loopback and answers one request per connection.
 */
#include "core/compat.h"
#include "harness/smsgw.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_SMS 4096

struct th_smsgw {
	int fd;
	char url[96];
	char token[128];
	pthread_t thread;
	pthread_mutex_t lock;
	bool stop;
	enum th_gw_mode mode;
	int delay_ms;
	struct th_sms *sms;
	int nsms, posts;
	char buf[65536];
};

static void reply(int fd, int status, const char *reason, const char *body)
{
	char head[256];
	int n = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\nContent-Type: "
			 "application/json\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n", status, reason,
			 strlen(body));

	/* The client may be gone (killed): no SIGPIPE for the test. */
	if (send(fd, head, (size_t)n, MSG_NOSIGNAL) < 0 ||
	    send(fd, body, strlen(body), MSG_NOSIGNAL) < 0)
		return;
}

/* Reads one request: headers and Content-Length body. */
static int read_request(int fd, char *buf, size_t cap, char **body,
			size_t *blen)
{
	size_t len = 0, need = 0;
	char *end = NULL;

	for (;;) {
		ssize_t n = read(fd, buf + len, cap - 1 - len);

		if (n <= 0)
			return -1;
		len += (size_t)n;
		buf[len] = '\0';
		if (!end && (end = strstr(buf, "\r\n\r\n"))) {
			const char *cl = strcasestr(buf, "content-length:");

			need = (size_t)(end + 4 - buf) +
			       (cl ? strtoul(cl + 15, NULL, 10) : 0);
		}
		if (end && len >= need)
			break;
		if (len + 1 >= cap)
			return -1;
	}
	*body = end + 4;
	*blen = need - (size_t)(end + 4 - buf);
	return 0;
}

static void handle(struct th_smsgw *g, int fd)
{
	char *buf = g->buf;	/* one per gateway: gateways run at once */
	char auth[160], *body, out[128];
	size_t blen;
	json_t *j;
	const char *key, *to, *text, *prio;
	enum th_gw_mode mode;
	int delay, i;

	if (read_request(fd, buf, sizeof(g->buf), &body, &blen))
		return;
	pthread_mutex_lock(&g->lock);
	g->posts++;
	mode = g->mode;
	delay = g->delay_ms;
	pthread_mutex_unlock(&g->lock);
	if (delay)
		usleep((useconds_t)delay * 1000);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s\r\n", g->token);
	if (strncmp(buf, "POST /sms ", 10) != 0) {
		reply(fd, 404, "Not Found", "{\"error\": \"no such path\"}");
		return;
	}
	if (!strcasestr(buf, auth)) {
		reply(fd, 401, "Unauthorized", "{\"error\": \"bad token\"}");
		return;
	}
	if (mode == TH_GW_FAIL) {
		reply(fd, 503, "Service Unavailable",
		      "{\"error\": \"try later\"}");
		return;
	}
	if (mode == TH_GW_DROP)
		return;
	j = json_loadb(body, blen, 0, NULL);
	key = json_string_value(json_object_get(j, "idempotency_key"));
	to = json_string_value(json_object_get(j, "to"));
	text = json_string_value(json_object_get(j, "text"));
	prio = json_string_value(json_object_get(j, "priority"));
	if (!key || !to || !text) {
		json_decref(j);
		reply(fd, 400, "Bad Request", "{\"error\": \"to, text and "
		      "idempotency_key are required\"}");
		return;
	}
	if (mode == TH_GW_REFUSE) {
		json_decref(j);
		reply(fd, 422, "Unprocessable Content",
		      "{\"error\": \"invalid number\"}");
		return;
	}
	pthread_mutex_lock(&g->lock);
	for (i = 0; i < g->nsms; i++)
		if (!strcmp(g->sms[i].key, key))
			break;
	if (i < g->nsms) {
		/* Seen: the same message, not sent again. */
		g->sms[i].posts++;
		snprintf(out, sizeof(out), "{\"id\": \"%s\", \"status\": "
			 "\"accepted\"}", g->sms[i].id);
		pthread_mutex_unlock(&g->lock);
		json_decref(j);
		if (mode != TH_GW_DROP_AFTER)
			reply(fd, 409, "Conflict", out);
		return;
	}
	if (g->nsms < MAX_SMS) {
		struct th_sms *s = &g->sms[g->nsms++];

		snprintf(s->key, sizeof(s->key), "%s", key);
		snprintf(s->to, sizeof(s->to), "%s", to);
		snprintf(s->text, sizeof(s->text), "%s", text);
		snprintf(s->priority, sizeof(s->priority), "%s",
			 prio ? prio : "");
		snprintf(s->id, sizeof(s->id), "gw-%d", g->nsms);
		s->sends = 1;
		s->posts = 1;
		snprintf(out, sizeof(out), "{\"id\": \"%s\", \"status\": "
			 "\"accepted\"}", s->id);
	}
	pthread_mutex_unlock(&g->lock);
	json_decref(j);
	if (mode != TH_GW_DROP_AFTER)
		reply(fd, 201, "Created", out);
}

static void *run(void *arg)
{
	struct th_smsgw *g = arg;

	for (;;) {
		struct pollfd p = { g->fd, POLLIN, 0 };
		int c;
		bool stop;

		pthread_mutex_lock(&g->lock);
		stop = g->stop;
		pthread_mutex_unlock(&g->lock);
		if (stop)
			break;
		if (poll(&p, 1, 50) <= 0)
			continue;
		c = accept(g->fd, NULL, NULL);
		if (c < 0)
			continue;
		handle(g, c);
		close(c);
	}
	return NULL;
}

struct th_smsgw *th_smsgw_start(const char *token)
{
	struct th_smsgw *g = calloc(1, sizeof(*g));
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	int one = 1;

	g->sms = calloc(MAX_SMS, sizeof(*g->sms));
	snprintf(g->token, sizeof(g->token), "%s", token);
	pthread_mutex_init(&g->lock, NULL);
	g->fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(g->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(g->fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(g->fd, 64) ||
	    getsockname(g->fd, (struct sockaddr *)&a, &al)) {
		fprintf(stderr, "smsgw: cannot listen\n");
		abort();
	}
	snprintf(g->url, sizeof(g->url), "http://127.0.0.1:%d/sms",
		 ntohs(a.sin_port));
	pthread_create(&g->thread, NULL, run, g);
	return g;
}

const char *th_smsgw_url(const struct th_smsgw *g)
{
	return g->url;
}

void th_smsgw_mode(struct th_smsgw *g, enum th_gw_mode m, int delay_ms)
{
	pthread_mutex_lock(&g->lock);
	g->mode = m;
	g->delay_ms = delay_ms;
	pthread_mutex_unlock(&g->lock);
}

int th_smsgw_count(struct th_smsgw *g, int *posts)
{
	int n;

	pthread_mutex_lock(&g->lock);
	n = g->nsms;
	if (posts)
		*posts = g->posts;
	pthread_mutex_unlock(&g->lock);
	return n;
}

bool th_smsgw_find(struct th_smsgw *g, const char *key, struct th_sms *out)
{
	bool found = false;
	int i;

	pthread_mutex_lock(&g->lock);
	for (i = 0; i < g->nsms && !found; i++)
		if (!strcmp(g->sms[i].key, key)) {
			*out = g->sms[i];
			found = true;
		}
	pthread_mutex_unlock(&g->lock);
	return found;
}

bool th_smsgw_get(struct th_smsgw *g, int i, struct th_sms *out)
{
	bool found;

	pthread_mutex_lock(&g->lock);
	found = i >= 0 && i < g->nsms;
	if (found)
		*out = g->sms[i];
	pthread_mutex_unlock(&g->lock);
	return found;
}

void th_smsgw_stop(struct th_smsgw *g)
{
	pthread_mutex_lock(&g->lock);
	g->stop = true;
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->thread, NULL);
	close(g->fd);
	pthread_mutex_destroy(&g->lock);
	free(g->sms);
	free(g);
}
