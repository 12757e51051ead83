/*
 * smsgw.c — the tests' SMS gateway (see smsgw.h). One thread accepts
 * connections on loopback and answers one request per connection.
 */
#include "core/compat.h"
#include "harness/httpd.h"
#include "harness/smsgw.h"

#include <jansson.h>
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

static void handle(void *arg, int fd)
{
	struct th_smsgw *g = arg;
	char *buf = g->buf;	/* one per gateway: gateways run at once */
	char auth[160], *body, out[128];
	size_t blen;
	json_t *j;
	const char *key, *to, *text, *prio;
	enum th_gw_mode mode;
	int delay, i;

	if (th_httpd_read(fd, buf, sizeof(g->buf), &body, &blen))
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
		th_httpd_reply(fd, 404, NULL, "{\"error\": \"no such path\"}");
		return;
	}
	if (!strcasestr(buf, auth)) {
		th_httpd_reply(fd, 401, NULL, "{\"error\": \"bad token\"}");
		return;
	}
	if (mode == TH_GW_FAIL) {
		th_httpd_reply(fd, 503, NULL, "{\"error\": \"try later\"}");
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
		th_httpd_reply(fd, 400, NULL, "{\"error\": \"to, text and "
		      "idempotency_key are required\"}");
		return;
	}
	if (mode == TH_GW_REFUSE) {
		json_decref(j);
		th_httpd_reply(fd, 422, NULL, "{\"error\": \"invalid number\"}");
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
			th_httpd_reply(fd, 409, NULL, out);
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
		th_httpd_reply(fd, 201, NULL, out);
}

static void *run(void *arg)
{
	struct th_smsgw *g = arg;

	th_httpd_serve(g->fd, &g->lock, &g->stop, handle, g);
	return NULL;
}

struct th_smsgw *th_smsgw_start(const char *token)
{
	struct th_smsgw *g = calloc(1, sizeof(*g));
	int port;

	g->sms = calloc(MAX_SMS, sizeof(*g->sms));
	snprintf(g->token, sizeof(g->token), "%s", token);
	pthread_mutex_init(&g->lock, NULL);
	g->fd = th_httpd_listen(&port);
	snprintf(g->url, sizeof(g->url), "http://127.0.0.1:%d/sms", port);
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
