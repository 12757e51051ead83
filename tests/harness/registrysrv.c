/*
 * registrysrv.c — the tests' population database (see registrysrv.h).
 * One thread answers one request per connection.
 */
#include "core/compat.h"
#include "harness/httpd.h"
#include "harness/registrysrv.h"

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_PEOPLE 32

struct person {
	char id[16], ho[64], dem[64], ten[64], born[16], sex[4];
	char address[256], head[128], relation[32];
};

struct business {
	char tax[24], name[256], type[128], founded[16], address[256];
	char rep[128];
};

struct th_registry {
	int fd;
	char url[64], burl[64], token[128];
	struct business businesses[8];
	int nbusinesses;
	pthread_t thread;
	pthread_mutex_t lock;
	bool stop;
	enum th_registry_mode mode;
	struct person people[MAX_PEOPLE];
	int npeople, requests;
	char officer[64], service[64];
	char buf[65536], answer[16384];
};

/* The text of element 'name' (namespace http://dancuquocgia.bca). */
static void field(xmlNode *n, const char *name, char *out, size_t size)
{
	out[0] = '\0';
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && n->ns &&
		    !strcmp((const char *)n->ns->href, "http://dancuquocgia.bca")
		    && !strcmp((const char *)n->name, name)) {
			xmlChar *t = xmlNodeGetContent(n);

			snprintf(out, size, "%s", t ? (const char *)t : "");
			xmlFree(t);
			return;
		}
		field(n->children, name, out, size);
		if (out[0])
			return;
	}
}

/* ChiTietDoanhNghiep {msdn}: Data {MainInformation, HOAdress, …}. */
static void business(struct th_registry *g, int fd, const char *body,
		     size_t blen)
{
	json_t *q = json_loadb(body, blen, 0, NULL), *a;
	const char *tax = json_string_value(json_object_get(q, "msdn"));
	const char *type = json_string_value(json_object_get(q, "type"));
	char *text;
	int i;

	if (!tax || !type || strcmp(type, "ChiTietDoanhNghiep")) {
		json_decref(q);
		th_httpd_reply(fd, 400, NULL, "{}");
		return;
	}
	pthread_mutex_lock(&g->lock);
	g->requests++;
	for (i = 0; i < g->nbusinesses && strcmp(g->businesses[i].tax, tax);
	     i++)
		;
	if (i == g->nbusinesses) {
		a = json_pack("{s:n}", "Data");
	} else {
		const struct business *b = &g->businesses[i];

		a = json_pack("{s:{s:{s:s, s:s, s:s, s:s, s:s}, s:{s:s}, "
			"s:{s:s}}}", "Data", "MainInformation", "NAME",
			b->name, "ENTERPRISE_GDT_CODE", b->tax,
			"ENTERPRISE_TYPE_NAME", b->type,
			"ENTERPRISE_STATUS_NAME", "Đang hoạt động",
			"FOUNDING_DATE", b->founded, "HOAdress",
			"AddressFullText", b->address, "Representatives",
			"FULL_NAME", b->rep);
	}
	pthread_mutex_unlock(&g->lock);
	text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	json_decref(q);
	th_httpd_reply(fd, 200, NULL, text ? text : "{}");
	free(text);
}

static void handle(void *arg, int fd)
{
	struct th_registry *g = arg;
	char *body, auth[256], want[200], id[32], code[16], officer[64];
	char service[64], reqid[64];
	enum th_registry_mode mode;
	xmlDoc *doc;
	size_t blen;
	int i;

	if (th_httpd_read(fd, g->buf, sizeof(g->buf), &body, &blen))
		return;
	pthread_mutex_lock(&g->lock);
	mode = g->mode;
	pthread_mutex_unlock(&g->lock);
	if (mode == TH_REGISTRY_SLOW)
		sleep(2);
	if (mode == TH_REGISTRY_FAIL) {
		th_httpd_reply(fd, 500, NULL, "{}");
		return;
	}
	th_httpd_header(g->buf, "Authorization:", auth, sizeof(auth));
	snprintf(want, sizeof(want), "Bearer %s", g->token);
	if (strcmp(auth, want)) {
		th_httpd_reply(fd, 401, NULL, "{}");
		return;
	}
	if (!strncmp(g->buf, "POST /dkkd ", 11)) {
		business(g, fd, body, blen);
		return;
	}
	if (strncmp(g->buf, "POST /dancu ", 12)) {
		th_httpd_reply(fd, 404, NULL, "{}");
		return;
	}
	doc = xmlReadMemory(body, (int)blen, "q.xml", NULL, XML_PARSE_NONET |
			    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc) {
		th_httpd_reply(fd, 400, NULL, "{}");
		return;
	}
	field(xmlDocGetRootElement(doc), "SoDinhDanh", id, sizeof(id));
	field(xmlDocGetRootElement(doc), "MaTichHop", code, sizeof(code));
	field(xmlDocGetRootElement(doc), "MaCanBo", officer, sizeof(officer));
	field(xmlDocGetRootElement(doc), "MaDVC", service, sizeof(service));
	field(xmlDocGetRootElement(doc), "MaYeuCau", reqid, sizeof(reqid));
	xmlFreeDoc(doc);
	/* What the database requires of every request. */
	if (strcmp(code, "037") || !officer[0] || !reqid[0] || !id[0]) {
		th_httpd_reply(fd, 400, NULL, "{}");
		return;
	}
	pthread_mutex_lock(&g->lock);
	g->requests++;
	snprintf(g->officer, sizeof(g->officer), "%s", officer);
	snprintf(g->service, sizeof(g->service), "%s", service);
	for (i = 0; i < g->npeople && strcmp(g->people[i].id, id); i++)
		;
	if (i == g->npeople) {
		snprintf(g->answer, sizeof(g->answer), "<?xml version=\"1.0\"?>"
			 "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/"
			 "soap/envelope/\"><s:Body><CongdanCollection "
			 "xmlns=\"http://dancuquocgia.bca\"/></s:Body>"
			 "</s:Envelope>");
	} else {
		const struct person *p = &g->people[i];

		snprintf(g->answer, sizeof(g->answer), "<?xml version=\"1.0\"?>"
			 "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/"
			 "soap/envelope/\"><s:Body><CongdanCollection "
			 "xmlns=\"http://dancuquocgia.bca\"><CongDan>"
			 "<SoDinhDanh>%s</SoDinhDanh><HoVaTen><Ho>%s</Ho>"
			 "<ChuDem>%s</ChuDem><Ten>%s</Ten></HoVaTen>"
			 "<GioiTinh>%s</GioiTinh><NgayThangNamSinh>"
			 "<NgayThangNam>%s</NgayThangNam></NgayThangNamSinh>"
			 "<ThuongTru><MaTinhThanh>51</MaTinhThanh><ChiTiet>%s"
			 "</ChiTiet></ThuongTru><ChuHo><QuanHe>%s</QuanHe>"
			 "<HoVaTen><Ho>%s</Ho><ChuDem></ChuDem><Ten></Ten>"
			 "</HoVaTen></ChuHo></CongDan></CongdanCollection>"
			 "</s:Body></s:Envelope>", p->id, p->ho, p->dem,
			 p->ten, p->sex, p->born, p->address, p->relation,
			 p->head);
	}
	pthread_mutex_unlock(&g->lock);
	th_httpd_reply(fd, 200, NULL, g->answer);
}

static void *run(void *arg)
{
	struct th_registry *g = arg;

	th_httpd_serve(g->fd, &g->lock, &g->stop, handle, g);
	return NULL;
}

struct th_registry *th_registry_start(const char *token)
{
	struct th_registry *g = calloc(1, sizeof(*g));
	int port;

	snprintf(g->token, sizeof(g->token), "%s", token);
	pthread_mutex_init(&g->lock, NULL);
	g->fd = th_httpd_listen(&port);
	snprintf(g->url, sizeof(g->url), "http://127.0.0.1:%d/dancu", port);
	snprintf(g->burl, sizeof(g->burl), "http://127.0.0.1:%d/dkkd", port);
	pthread_create(&g->thread, NULL, run, g);
	return g;
}

const char *th_registry_url(const struct th_registry *g)
{
	return g->url;
}

const char *th_registry_business_url(const struct th_registry *g)
{
	return g->burl;
}

void th_registry_add_business(struct th_registry *g, const char *tax,
			      const char *name, const char *type,
			      const char *founded, const char *address,
			      const char *representative)
{
	struct business *b;

	pthread_mutex_lock(&g->lock);
	if (g->nbusinesses < (int)MC_ARRAY_SIZE(g->businesses)) {
		b = &g->businesses[g->nbusinesses++];
		snprintf(b->tax, sizeof(b->tax), "%s", tax);
		snprintf(b->name, sizeof(b->name), "%s", name);
		snprintf(b->type, sizeof(b->type), "%s", type);
		snprintf(b->founded, sizeof(b->founded), "%s", founded);
		snprintf(b->address, sizeof(b->address), "%s", address);
		snprintf(b->rep, sizeof(b->rep), "%s", representative);
	}
	pthread_mutex_unlock(&g->lock);
}

void th_registry_mode(struct th_registry *g, enum th_registry_mode m)
{
	pthread_mutex_lock(&g->lock);
	g->mode = m;
	pthread_mutex_unlock(&g->lock);
}

void th_registry_add(struct th_registry *g, const char *id, const char *ho,
		     const char *dem, const char *ten, const char *born,
		     const char *sex, const char *address, const char *head,
		     const char *relation)
{
	struct person *p;

	pthread_mutex_lock(&g->lock);
	if (g->npeople < MAX_PEOPLE) {
		p = &g->people[g->npeople++];
		snprintf(p->id, sizeof(p->id), "%s", id);
		snprintf(p->ho, sizeof(p->ho), "%s", ho);
		snprintf(p->dem, sizeof(p->dem), "%s", dem);
		snprintf(p->ten, sizeof(p->ten), "%s", ten);
		snprintf(p->born, sizeof(p->born), "%s", born);
		snprintf(p->sex, sizeof(p->sex), "%s", sex);
		snprintf(p->address, sizeof(p->address), "%s", address);
		snprintf(p->head, sizeof(p->head), "%s", head);
		snprintf(p->relation, sizeof(p->relation), "%s", relation);
	}
	pthread_mutex_unlock(&g->lock);
}

int th_registry_requests(struct th_registry *g, char *officer, char *service)
{
	int n;

	pthread_mutex_lock(&g->lock);
	n = g->requests;
	if (officer)
		snprintf(officer, 64, "%s", g->officer);
	if (service)
		snprintf(service, 64, "%s", g->service);
	pthread_mutex_unlock(&g->lock);
	return n;
}

void th_registry_stop(struct th_registry *g)
{
	pthread_mutex_lock(&g->lock);
	g->stop = true;
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->thread, NULL);
	close(g->fd);
	pthread_mutex_destroy(&g->lock);
	free(g);
}
