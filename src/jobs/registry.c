/*
 * registry.c — the population database's client (see registry.h).
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/utf8.h"
#include "jobs/registry.h"

#include <curl/curl.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <sodium.h>

#define NS "http://dancuquocgia.bca"

struct entry {
	struct mc_person p;
	int64_t at;			/* 0: free */
};

struct mc_registry {
	struct mc_registry_opts o;
	pthread_mutex_t lock;
	struct entry *cache;		/* o.cache_max entries */
};

struct mc_registry *mc_registry_new(const struct mc_registry_opts *o)
{
	struct mc_registry *r;

	if ((!o->url || !o->url[0]) && (!o->business_url ||
					!o->business_url[0]))
		return NULL;
	r = mc_calloc(1, sizeof(*r));
	r->o = *o;
	if (r->o.cache_max < 1)
		r->o.cache_max = 1;
	r->cache = mc_calloc((size_t)r->o.cache_max, sizeof(*r->cache));
	pthread_mutex_init(&r->lock, NULL);
	return r;
}

void mc_registry_free(struct mc_registry *r)
{
	if (!r)
		return;
	/* Personal data: gone from memory with the client. */
	sodium_memzero(r->cache, (size_t)r->o.cache_max * sizeof(*r->cache));
	mc_free(r->cache);
	pthread_mutex_destroy(&r->lock);
	mc_free(r);
}

/* A kept answer for 'id' younger than cache_s, into 'out'. */
static bool cached(struct mc_registry *r, const char *id, int64_t now,
		   struct mc_person *out)
{
	bool hit = false;
	int i;

	pthread_mutex_lock(&r->lock);
	for (i = 0; i < r->o.cache_max && !hit; i++) {
		struct entry *e = &r->cache[i];

		if (e->at && now - e->at < r->o.cache_s &&
		    !strcmp(e->p.id_number, id)) {
			*out = e->p;
			out->cached = true;
			hit = true;
		}
	}
	pthread_mutex_unlock(&r->lock);
	return hit;
}

/* Keeps 'p', in place of the oldest (or lapsed) answer. */
static void keep(struct mc_registry *r, const struct mc_person *p,
		 int64_t now)
{
	int i, oldest = 0;

	if (r->o.cache_s <= 0)
		return;
	pthread_mutex_lock(&r->lock);
	for (i = 0; i < r->o.cache_max; i++) {
		if (!strcmp(r->cache[i].p.id_number, p->id_number)) {
			oldest = i;
			break;
		}
		if (r->cache[i].at < r->cache[oldest].at)
			oldest = i;
	}
	r->cache[oldest].p = *p;
	r->cache[oldest].at = now;
	pthread_mutex_unlock(&r->lock);
}

static size_t gather(char *p, size_t size, size_t n, void *arg)
{
	return mc_buf_add(arg, p, size * n) ? 0 : size * n;
}

/* The first element named 'name' (any namespace) at or under 'n'. */
static xmlNode *find(xmlNode *n, const char *name)
{
	xmlNode *f;

	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp((const char *)n->name, name))
			return n;
		if ((f = find(n->children, name)))
			return f;
	}
	return NULL;
}

/* Child element 'name' of 'n' (any namespace), not deeper. */
static xmlNode *child(xmlNode *n, const char *name)
{
	xmlNode *c;

	for (c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    !strcmp((const char *)c->name, name))
			return c;
	return NULL;
}

/* The text of child 'name' of 'n' into 'out' ("" when none). */
static void text_of(xmlNode *n, const char *name, char *out, size_t size)
{
	xmlNode *c = child(n, name);
	xmlChar *t = c ? xmlNodeGetContent(c) : NULL;

	snprintf(out, size, "%s", t ? (const char *)t : "");
	mc_utf8_trim_partial(out);
	xmlFree(t);
}

/* HoVaTen {Ho, ChuDem, Ten} as one name. */
static void name_of(xmlNode *n, char *out, size_t size)
{
	char ho[80], dem[80], ten[80];
	xmlNode *h = child(n, "HoVaTen");

	text_of(h, "Ho", ho, sizeof(ho));
	text_of(h, "ChuDem", dem, sizeof(dem));
	text_of(h, "Ten", ten, sizeof(ten));
	snprintf(out, size, "%s%s%s%s%s", ho, *ho && (*dem || *ten) ? " " : "",
		 dem, *dem && *ten ? " " : "", ten);
	mc_utf8_trim_partial(out);
}

/* An address {ChiTiet, …} as its words. */
static void address_of(xmlNode *n, const char *name, char *out, size_t size)
{
	text_of(child(n, name), "ChiTiet", out, size);
}

/* The person of a TraCuuThongTinCongDan answer: 0, or MC_ENOTFOUND. */
static int person_of(const char *xml, size_t len, struct mc_person *p,
		     struct mc_err *err)
{
	xmlDoc *doc = xmlReadMemory(xml, (int)len, "answer.xml", NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
	xmlNode *cd = doc ? find(xmlDocGetRootElement(doc), "CongDan") : NULL;
	char ymd[16], sex[8];

	if (!doc)
		return mc_error(err, MC_EIO, "population database: the answer "
				"is not XML");
	if (!cd) {
		xmlFreeDoc(doc);
		return mc_error(err, MC_ENOTFOUND, "the population database "
				"has no such person");
	}
	text_of(cd, "SoDinhDanh", p->id_number, sizeof(p->id_number));
	name_of(cd, p->name, sizeof(p->name));
	text_of(child(cd, "NgayThangNamSinh"), "NgayThangNam", ymd,
		sizeof(ymd));
	if (strlen(ymd) == 8)
		snprintf(p->birth_date, sizeof(p->birth_date), "%.4s-%.2s-%.2s",
			 ymd, ymd + 4, ymd + 6);
	else
		text_of(child(cd, "NgayThangNamSinh"), "Nam", p->birth_date,
			sizeof(p->birth_date));
	text_of(cd, "GioiTinh", sex, sizeof(sex));
	snprintf(p->sex, sizeof(p->sex), "%s", !strcmp(sex, "1") ? "Nam" :
		 !strcmp(sex, "2") ? "Nữ" : "");
	address_of(cd, "ThuongTru", p->permanent_address,
		   sizeof(p->permanent_address));
	address_of(cd, "NoiOHienTai", p->current_address,
		   sizeof(p->current_address));
	address_of(cd, "QueQuan", p->hometown, sizeof(p->hometown));
	{
		xmlNode *head = child(cd, "ChuHo");

		name_of(head, p->head_name, sizeof(p->head_name));
		text_of(head, "QuanHe", p->head_relation,
			sizeof(p->head_relation));
	}
	xmlFreeDoc(doc);
	return 0;
}

/* 's' escaped for XML text into 'b'. */
static int xml_text(struct mc_buf *b, const char *s)
{
	int rc = 0;

	for (; *s && !rc; s++)
		rc = *s == '<' ? mc_buf_adds(b, "&lt;") : *s == '>' ?
		     mc_buf_adds(b, "&gt;") : *s == '&' ?
		     mc_buf_adds(b, "&amp;") : mc_buf_addc(b, *s);
	return rc;
}

/*
 * POSTs 'body' ('type') to 'url' with bearer 'token', within the time
 * limit: 0 with the answer in 'ans' (NUL-ended); MC_ETIMEOUT, or MC_EIO
 * for no answer or one not 200, naming 'what'.
 */
static int ask(struct mc_registry *r, const char *url, const char *token,
	       const char *type, const char *body, const char *what,
	       struct mc_buf *ans, struct mc_err *err)
{
	struct curl_slist *hd = NULL;
	char line[1200], errbuf[CURL_ERROR_SIZE] = "";
	CURL *curl = curl_easy_init();
	long status = 0;
	CURLcode cc;

	snprintf(line, sizeof(line), "Content-Type: %s", type);
	hd = curl_slist_append(hd, line);
	if (!strncmp(type, "text/xml", 8))
		hd = curl_slist_append(hd, "SOAPAction: \"\"");
	snprintf(line, sizeof(line), "Authorization: Bearer %s",
		 token ? token : "");
	hd = curl_slist_append(hd, line);
	sodium_memzero(line, sizeof(line));
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, gather);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, ans);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)(r->o.timeout_ms > 0 ?
			 r->o.timeout_ms : 3000));
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	cc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hd);
	curl_easy_cleanup(curl);
	if (cc == CURLE_OPERATION_TIMEDOUT)
		return mc_error(err, MC_ETIMEOUT, "%s did not answer within %"
				PRId64 " ms", what, r->o.timeout_ms);
	if (cc != CURLE_OK)
		return mc_error(err, MC_EIO, "%s: %s", what, errbuf[0] ?
				errbuf : curl_easy_strerror(cc));
	if (status != 200)
		return mc_error(err, MC_EIO, "%s: HTTP %ld", what, status);
	if (mc_buf_addc(ans, '\0'))
		return mc_error(err, MC_ETOOBIG, "%s: the answer is too large",
				what);
	ans->len--;
	return 0;
}

int mc_registry_person(struct mc_registry *r, const char *id_number,
		       const char *officer, const char *procedure,
		       struct mc_person *out, struct mc_err *err)
{
	struct mc_buf req = MC_BUF_INIT(16384), ans = MC_BUF_INIT(1 << 20);
	unsigned char raw[16];
	char reqid[40];
	int64_t now = r->o.now(r->o.now_arg);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!mc_registry_has_person(r))
		return mc_error(err, MC_ENOTFOUND, "no population database is "
				"configured");
	if (cached(r, id_number, now, out))
		return 0;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(reqid, sizeof(reqid), raw, sizeof(raw));
	rc = mc_buf_adds(&req, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		"<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/"
		"soap/envelope/\" xmlns:dc=\"" NS "\"><soapenv:Body>"
		"<dc:TraCuuThongTinCongDan><dc:MaYeuCau>");
	rc = rc ? rc : mc_buf_adds(&req, reqid);
	rc = rc ? rc : mc_buf_adds(&req, "</dc:MaYeuCau><dc:MaDVC>");
	rc = rc ? rc : xml_text(&req, procedure ? procedure : "");
	rc = rc ? rc : mc_buf_adds(&req, "</dc:MaDVC><dc:MaTichHop>037"
				   "</dc:MaTichHop><dc:MaCanBo>");
	rc = rc ? rc : xml_text(&req, officer);
	rc = rc ? rc : mc_buf_adds(&req, "</dc:MaCanBo><dc:SoDinhDanh>");
	rc = rc ? rc : xml_text(&req, id_number);
	rc = rc ? rc : mc_buf_adds(&req, "</dc:SoDinhDanh>"
		"</dc:TraCuuThongTinCongDan></soapenv:Body></soapenv:Envelope>");
	if (rc) {
		mc_buf_release(&req);
		return mc_error(err, MC_ETOOBIG, "population database: the "
				"request is too large");
	}
	rc = ask(r, r->o.url, r->o.token, "text/xml; charset=utf-8", req.buf,
		 "the population database", &ans, err);
	mc_buf_release(&req);
	if (!rc && !(rc = person_of(ans.buf ? ans.buf : "", ans.len, out,
				    err)))
		out->fetched_at = now;
	if (ans.buf)
		sodium_memzero(ans.buf, ans.len);
	mc_buf_release(&ans);
	if (!rc)
		keep(r, out, now);
	return rc;
}

bool mc_registry_has_person(const struct mc_registry *r)
{
	return r && r->o.url && r->o.url[0];
}

bool mc_registry_has_business(const struct mc_registry *r)
{
	return r && r->o.business_url && r->o.business_url[0];
}

/* A string field of 'o' into 'out' ("" when absent). */
static void jfield(const json_t *o, const char *name, char *out, size_t n)
{
	const char *v = json_string_value(json_object_get(o, name));

	snprintf(out, n, "%s", v ? v : "");
	mc_utf8_trim_partial(out);
}

/* The business of a ChiTietDoanhNghiep answer: 0, or MC_ENOTFOUND. */
static int business_of(const char *text, struct mc_business *b,
		       struct mc_err *err)
{
	json_t *j = json_loads(text, 0, NULL), *data, *main, *reps, *one;
	char founded[32];
	size_t i;

	if (!j)
		return mc_error(err, MC_EIO, "business database: the answer is "
				"not JSON");
	data = json_object_get(j, "Data");
	main = json_object_get(data, "MainInformation");
	if (!json_is_object(main) ||
	    !json_string_length(json_object_get(main, "ENTERPRISE_GDT_CODE"))) {
		json_decref(j);
		return mc_error(err, MC_ENOTFOUND, "the business registration "
				"database has no such business");
	}
	jfield(main, "ENTERPRISE_GDT_CODE", b->tax_code, sizeof(b->tax_code));
	jfield(main, "NAME", b->name, sizeof(b->name));
	jfield(main, "SHORT_NAME", b->short_name, sizeof(b->short_name));
	jfield(main, "NAME_F", b->foreign_name, sizeof(b->foreign_name));
	jfield(main, "ENTERPRISE_TYPE_NAME", b->type, sizeof(b->type));
	jfield(main, "ENTERPRISE_STATUS_NAME", b->status, sizeof(b->status));
	jfield(main, "FOUNDING_DATE", founded, sizeof(founded));
	/* "2010-05-04T00:00:00" or "2010-05-04": the day. */
	snprintf(b->founded, sizeof(b->founded), "%.10s", founded);
	jfield(json_object_get(data, "HOAdress"), "AddressFullText",
	       b->address, sizeof(b->address));
	/* Representatives: an object for one, an array for several. */
	reps = json_object_get(data, "Representatives");
	if (json_is_object(reps)) {
		jfield(reps, "FULL_NAME", b->representatives[0],
		       sizeof(b->representatives[0]));
		b->nrepresentatives = b->representatives[0][0] != '\0';
	}
	json_array_foreach(reps, i, one) {
		if (b->nrepresentatives == (int)MC_ARRAY_SIZE(
			    b->representatives))
			break;
		jfield(one, "FULL_NAME", b->representatives[b->nrepresentatives],
		       sizeof(b->representatives[0]));
		b->nrepresentatives++;
	}
	json_decref(j);
	return 0;
}

int mc_registry_business(struct mc_registry *r, const char *tax_code,
			 struct mc_business *out, struct mc_err *err)
{
	struct mc_buf ans = MC_BUF_INIT(1 << 20);
	char body[128];
	int rc;

	memset(out, 0, sizeof(*out));
	if (!mc_registry_has_business(r))
		return mc_error(err, MC_ENOTFOUND, "no business database is "
				"configured");
	/* A tax code is digits and one dash: nothing to escape. */
	snprintf(body, sizeof(body), "{\"type\": \"ChiTietDoanhNghiep\", "
		 "\"msdn\": \"%s\"}", tax_code);
	rc = ask(r, r->o.business_url, r->o.business_token,
		 "application/json", body, "the business database", &ans, err);
	if (!rc && !(rc = business_of(ans.buf, out, err)))
		out->fetched_at = r->o.now(r->o.now_arg);
	mc_buf_release(&ans);
	return rc;
}
