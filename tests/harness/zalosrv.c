/*
 * zalosrv.c — the tests' Zalo Notification Service (see zalosrv.h).
 */
#include "core/compat.h"
#include "harness/httpd.h"
#include "harness/zalosrv.h"

#include <jansson.h>
#include <pthread.h>
#include <unistd.h>

#define MAX_SENT 64

struct th_zalo {
	int fd;
	char url[80], token[128], template_id[32], params[256];
	char no_account[8][24];
	int nno;
	bool down, stop;
	pthread_t thread;
	pthread_mutex_t lock;
	struct th_zns sent[MAX_SENT];
	int nsent, requests;
	char buf[65536];
};

/* Whether every approved parameter, and no other, is in 'data'. */
static bool params_ok(const struct th_zalo *z, const json_t *data)
{
	char list[256], *save = NULL, *p;
	size_t n = 0;

	snprintf(list, sizeof(list), "%s", z->params);
	for (p = strtok_r(list, ",", &save); p; p = strtok_r(NULL, ",", &save))
		if (!json_is_string(json_object_get(data, p)))
			return false;
		else
			n++;
	return n == json_object_size(data);
}

static void handle(void *arg, int fd)
{
	struct th_zalo *z = arg;
	char *body, token[160], answer[512];
	const char *phone, *tpl;
	json_t *j = NULL, *data;
	size_t blen;
	int i, code = 0;

	if (th_httpd_read(fd, z->buf, sizeof(z->buf), &body, &blen))
		return;
	pthread_mutex_lock(&z->lock);
	z->requests++;
	if (z->down) {
		pthread_mutex_unlock(&z->lock);
		th_httpd_reply(fd, 503, NULL, "{\"error\": -100}");
		return;
	}
	th_httpd_header(z->buf, "access_token:", token, sizeof(token));
	j = json_loadb(body, blen, 0, NULL);
	phone = json_string_value(json_object_get(j, "phone"));
	tpl = json_string_value(json_object_get(j, "template_id"));
	data = json_object_get(j, "template_data");
	if (strncmp(z->buf, "POST /message/template ", 23))
		code = -106;				/* method */
	else if (strcmp(token, z->token))
		code = -124;				/* token */
	else if (!phone || strlen(phone) != 11 || strncmp(phone, "84", 2))
		code = -108;				/* phone */
	else if (!tpl || strcmp(tpl, z->template_id))
		code = -109;				/* template */
	else if (!json_is_object(data) || !params_ok(z, data))
		code = -112;				/* its data */
	for (i = 0; !code && i < z->nno; i++)
		if (!strcmp(phone, z->no_account[i]))
			code = -118;
	if (!code && z->nsent < MAX_SENT) {
		struct th_zns *m = &z->sent[z->nsent++];
		char *d = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);

		snprintf(m->phone, sizeof(m->phone), "%s", phone);
		snprintf(m->template_id, sizeof(m->template_id), "%s", tpl);
		snprintf(m->data, sizeof(m->data), "%s", d ? d : "");
		snprintf(m->tracking_id, sizeof(m->tracking_id), "%s",
			 json_string_value(json_object_get(j,
				"tracking_id")) ? json_string_value(
				json_object_get(j, "tracking_id")) : "");
		free(d);
		snprintf(answer, sizeof(answer), "{\"error\": 0, \"message\": "
			 "\"Success\", \"data\": {\"msg_id\": \"zns-%d\", "
			 "\"sent_time\": \"1719800000000\"}}", z->nsent);
	} else if (code) {
		snprintf(answer, sizeof(answer), "{\"error\": %d, \"message\": "
			 "\"%s\"}", code, code == -118 ? "Zalo account not "
			 "existed" : "invalid request");
	} else {
		snprintf(answer, sizeof(answer), "{\"error\": -100}");
	}
	pthread_mutex_unlock(&z->lock);
	json_decref(j);
	/* ZNS says 200 even when it refuses: "error" tells. */
	th_httpd_reply(fd, 200, NULL, answer);
}

static void *run(void *arg)
{
	struct th_zalo *z = arg;

	th_httpd_serve(z->fd, &z->lock, &z->stop, handle, z);
	return NULL;
}

struct th_zalo *th_zalo_start(const char *token, const char *template_id,
			      const char *params)
{
	struct th_zalo *z = calloc(1, sizeof(*z));
	int port;

	snprintf(z->token, sizeof(z->token), "%s", token);
	snprintf(z->template_id, sizeof(z->template_id), "%s", template_id);
	snprintf(z->params, sizeof(z->params), "%s", params);
	pthread_mutex_init(&z->lock, NULL);
	z->fd = th_httpd_listen(&port);
	snprintf(z->url, sizeof(z->url),
		 "http://127.0.0.1:%d/message/template", port);
	pthread_create(&z->thread, NULL, run, z);
	return z;
}

const char *th_zalo_url(const struct th_zalo *z)
{
	return z->url;
}

void th_zalo_no_account(struct th_zalo *z, const char *phone)
{
	pthread_mutex_lock(&z->lock);
	if (z->nno < 8)
		snprintf(z->no_account[z->nno++], sizeof(z->no_account[0]),
			 "%s", phone);
	pthread_mutex_unlock(&z->lock);
}

void th_zalo_down(struct th_zalo *z, bool down)
{
	pthread_mutex_lock(&z->lock);
	z->down = down;
	pthread_mutex_unlock(&z->lock);
}

int th_zalo_count(struct th_zalo *z, int *requests)
{
	int n;

	pthread_mutex_lock(&z->lock);
	n = z->nsent;
	if (requests)
		*requests = z->requests;
	pthread_mutex_unlock(&z->lock);
	return n;
}

bool th_zalo_get(struct th_zalo *z, int i, struct th_zns *out)
{
	bool ok;

	pthread_mutex_lock(&z->lock);
	ok = i >= 0 && i < z->nsent;
	if (ok)
		*out = z->sent[i];
	pthread_mutex_unlock(&z->lock);
	return ok;
}

void th_zalo_stop(struct th_zalo *z)
{
	pthread_mutex_lock(&z->lock);
	z->stop = true;
	pthread_mutex_unlock(&z->lock);
	pthread_join(z->thread, NULL);
	close(z->fd);
	pthread_mutex_destroy(&z->lock);
	free(z);
}
