/*
 * portalsrv.c — the tests' national portal (see portalsrv.h). One thread
 * accepts connections on loopback and answers one request per
 * connection.
 */
#include "core/compat.h"
#include "harness/httpd.h"
#include "harness/portalsrv.h"

#include <assert.h>
#include <jansson.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_DOSSIERS 256
#define MAX_KEYS 4096

#define OK_ANSWER "{\"error_code\": \"0\", \"message\": \"Thành công\"}"

struct th_portal {
	int fd;
	char url[64];
	char client_id[64], secret[64];
	pthread_t thread;
	pthread_mutex_t lock;
	bool stop;
	enum th_portal_mode mode;
	char refuse[96];
	int ntokens;
	struct th_portal_counts counts;
	struct th_portal_dossier *dossiers;
	int ndossiers;
	struct {
		char key[160];
		int status;
		char answer[512];
	} *keys;		/* requests taken, by idempotency key */
	int nkeys;
	json_t *filed;		/* dossiers filed here, for motcua to take */
	struct {
		char name[64];
		int status, hits;
		size_t n;
		unsigned char *bytes;
	} files[8];		/* served at /tep/<name> */
	int nfiles;
	char buf[1 << 20];
	char answer[1 << 16];	/* the one being answered (one at a time) */
};

static struct th_portal_dossier *find(struct th_portal *p, const char *code)
{
	int i;

	for (i = 0; code && i < p->ndossiers; i++)
		if (!strcmp(p->dossiers[i].code, code))
			return &p->dossiers[i];
	return NULL;
}

/* A code field: a string of digits in [lo, hi], else -1. */
static int code_of(const json_t *o, const char *name, int lo, int hi)
{
	const char *s = json_string_value(json_object_get(o, name));
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	v = strtol(s, &end, 10);
	return *end || v < lo || v > hi ? -1 : (int)v;
}

/* An instant field: "" or 14 digits. */
static bool instant_ok(const json_t *o, const char *name, bool required)
{
	const char *s = json_string_value(json_object_get(o, name));

	if (!s)
		return false;
	if (!*s)
		return !required;
	return strlen(s) == 14 && strspn(s, "0123456789") == 14;
}

static void refused(char *answer, size_t n, const char *why)
{
	snprintf(answer, n, "{\"error_code\": \"-2\", \"message\": \"Dữ liệu "
		 "không hợp lệ: %s\"}", why);
}

/*
 * The lists a dossier may carry, as the portal checks them: each paper
 * with its component code and 0/1 flags, each fee with an amount, each
 * result with a link to fetch it.
 */
static bool flags_ok(const json_t *o)
{
	json_t *t;
	size_t i;

	json_array_foreach(json_object_get(o, "TaiLieuNop"), i, t)
		if (!json_string_length(json_object_get(t, "MaThanhPhanHoSo")) ||
		    code_of(t, "DuocSoHoa", 0, 1) < 0 ||
		    code_of(t, "DuocTaiSuDung", 0, 2) < 0 ||
		    code_of(t, "DuocLayTuKhoDMQG", 0, 1) < 0)
			return false;
	json_array_foreach(json_object_get(o, "DanhSachLePhi"), i, t)
		if (code_of(t, "Gia", 0, 1000000000) < 0)
			return false;
	json_array_foreach(json_object_get(o, "DanhSachGiayToKetQua"), i, t) {
		const char *link = json_string_value(json_object_get(t,
			"DuongDanTepTinKetQua"));

		if (!link || strncmp(link, "http", 4) ||
		    !json_string_length(json_object_get(t, "GiayToId")))
			return false;
	}
	return true;
}

/* themmoi / capnhat: an array of dossiers. Under the lock. */
static int dossiers(struct th_portal *p, json_t *arr, bool create,
		    char *answer, size_t n)
{
	size_t i;
	json_t *o;

	if (!json_is_array(arr) || !json_array_size(arr))
		return refused(answer, n, "cần một mảng hồ sơ"), 200;
	json_array_foreach(arr, i, o) {
		const char *code = json_string_value(json_object_get(o,
							"MaHoSo"));
		const char *proc = json_string_value(json_object_get(o,
							"MaTTHC"));
		struct th_portal_dossier *d = find(p, code);
		int st = code_of(o, "TrangThaiHoSo", 1, 10);
		int ch = code_of(o, "KenhThucHien", 1, 3);

		if (!code || !*code || !proc || !*proc || st < 0 || ch < 0 ||
		    code_of(o, "LoaiDoiTuong", 1, 4) < 0 ||
		    !instant_ok(o, "NgayTiepNhan", st >= 2 && st != 3) ||
		    !instant_ok(o, "NgayHenTra", false) ||
		    !instant_ok(o, "NgayKetThucXuLy", st >= 9))
			return refused(answer, n, "thiếu hoặc sai trường "
				       "bắt buộc"), 200;
		if (!flags_ok(o))
			return refused(answer, n, "danh sách giấy tờ, lệ phí "
				       "hoặc kết quả sai"), 200;
		if (p->refuse[0] && (!strcmp(p->refuse, code) ||
		    (json_string_value(json_object_get(o, "ChuHoSo")) &&
		     !strcmp(p->refuse, json_string_value(json_object_get(o,
			     "ChuHoSo"))))))
			return refused(answer, n, "mã thủ tục không có "
				       "trong CSDL"), 200;
		if (create && d) {
			snprintf(answer, n, "{\"error_code\": \"3\", "
				 "\"message\": \"Hồ sơ đã tồn tại\"}");
			return 200;
		}
		if (!create && !d) {
			snprintf(answer, n, "{\"error_code\": \"-1\", "
				 "\"message\": \"Hồ sơ không tồn tại\"}");
			return 200;
		}
		if (!d) {
			if (p->ndossiers == MAX_DOSSIERS)
				return refused(answer, n, "đầy"), 200;
			d = &p->dossiers[p->ndossiers++];
			memset(d, 0, sizeof(*d));
			snprintf(d->code, sizeof(d->code), "%s", code);
		}
		snprintf(d->procedure, sizeof(d->procedure), "%s", proc);
		d->status = st;
		d->channel = ch;
		snprintf(d->received, sizeof(d->received), "%s",
			 json_string_value(json_object_get(o, "NgayTiepNhan")));
		snprintf(d->due, sizeof(d->due), "%s",
			 json_string_value(json_object_get(o, "NgayHenTra")));
		d->writes++;
		d->papers = (int)json_array_size(json_object_get(o,
							"TaiLieuNop"));
		d->digitized = code_of(o, "HoSoCoThanhPhanSoHoa", 0, 1);
		d->paid_online = code_of(o, "DuocThanhToanTrucTuyen", 0, 3);
		d->fees = (int)json_array_size(json_object_get(o,
							"DanhSachLePhi"));
		d->results = (int)json_array_size(json_object_get(o,
			"DanhSachGiayToKetQua"));
		snprintf(d->result_link, sizeof(d->result_link), "%s",
			 d->results ? json_string_value(json_object_get(
			 json_array_get(json_object_get(o,
			 "DanhSachGiayToKetQua"), 0),
			 "DuongDanTepTinKetQua")) : "");
	}
	snprintf(answer, n, OK_ANSWER);
	return 200;
}

/* tiendo: an array of steps of known dossiers. Under the lock. */
static int steps(struct th_portal *p, json_t *arr, char *answer, size_t n)
{
	size_t i;
	json_t *o;

	if (!json_is_array(arr) || !json_array_size(arr) ||
	    json_array_size(arr) > 10)
		return refused(answer, n, "từ 1 đến 10 bước một lần"), 200;
	json_array_foreach(arr, i, o) {
		struct th_portal_dossier *d = find(p, json_string_value(
			json_object_get(o, "MaHoSo")));
		const char *by = json_string_value(json_object_get(o,
							"NguoiXuLy"));
		const char *what = json_string_value(json_object_get(o,
							  "NoiDungXuLy"));
		int st = code_of(o, "TrangThai", 1, 10);

		if (!d)
			return snprintf(answer, n, "{\"error_code\": \"-1\", "
					"\"message\": \"Hồ sơ không tồn "
					"tại\"}"), 200;
		if (!by || !*by || !what || st < 0 ||
		    !instant_ok(o, "ThoiDiemXuLy", true))
			return refused(answer, n, "bước xử lý thiếu người, "
				       "nội dung, trạng thái hoặc thời điểm"),
			       200;
		if (d->nsteps < (int)MC_ARRAY_SIZE(d->steps)) {
			d->steps[d->nsteps].status = st;
			snprintf(d->steps[d->nsteps].by,
				 sizeof(d->steps[0].by), "%s", by);
			snprintf(d->steps[d->nsteps].what,
				 sizeof(d->steps[0].what), "%s", what);
			snprintf(d->steps[d->nsteps].at,
				 sizeof(d->steps[0].at), "%s",
				 json_string_value(json_object_get(o,
						   "ThoiDiemXuLy")));
			d->nsteps++;
		}
	}
	snprintf(answer, n, OK_ANSWER);
	return 200;
}

/* tracuu: what the portal holds of one dossier. Under the lock. */
static int look_up(struct th_portal *p, json_t *q, char *answer, size_t n)
{
	struct th_portal_dossier *d = find(p, json_string_value(
		json_object_get(q, "MaHoSo")));

	if (!d)
		snprintf(answer, n, "{\"error_code\": \"0\", \"message\": "
			 "\"Thành công\", \"result\": []}");
	else
		snprintf(answer, n, "{\"error_code\": \"0\", \"message\": "
			 "\"Thành công\", \"result\": [{\"MaHoSo\": \"%s\", "
			 "\"TrangThaiHoSo\": \"%d\"}]}", d->code, d->status);
	return 200;
}

/* moi: the dossiers filed since TuNgay (inclusive). Under the lock. */
static int filed_since(struct th_portal *p, json_t *q, char *answer,
		       size_t n)
{
	const char *since = json_string_value(json_object_get(q, "TuNgay"));
	json_int_t max = json_integer_value(json_object_get(q, "SoLuong"));
	json_t *out = json_array(), *d, *all;
	char *text;
	size_t i;

	json_array_foreach(p->filed, i, d) {
		const char *at = json_string_value(json_object_get(d,
							"NgayNopHoSo"));

		if ((json_int_t)json_array_size(out) < (max > 0 ? max : 50) &&
		    (!since || !at || strcmp(at, since) >= 0))
			json_array_append(out, d);
	}
	all = json_pack("{s:s, s:s, s:o}", "error_code", "0", "message",
			"Thành công", "result", out);
	text = json_dumps(all, JSON_COMPACT);
	json_decref(all);
	if (text && strlen(text) < n)
		snprintf(answer, n, "%s", text);
	else
		snprintf(answer, n, "{\"error_code\": \"-9\"}");
	free(text);
	return 200;
}

/* The value of form field 'name' in 'body' (no escapes in the tests). */
static void form_field(const char *body, const char *name, char *out,
		       size_t n)
{
	size_t len = strlen(name);
	const char *p = body;

	out[0] = '\0';
	while (p && *p) {
		if (!strncmp(p, name, len) && p[len] == '=') {
			p += len + 1;
			snprintf(out, n, "%.*s", (int)strcspn(p, "&"), p);
			return;
		}
		p = strchr(p, '&');
		p = p ? p + 1 : NULL;
	}
}

/* Answers 200 with 'n' bytes of a file. */
static void serve_file(int fd, const unsigned char *bytes, size_t n)
{
	char head[256];
	int len = snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\n"
			   "Content-Type: application/octet-stream\r\n"
			   "Content-Length: %zu\r\nConnection: close\r\n"
			   "\r\n", n);

	if (send(fd, head, (size_t)len, MSG_NOSIGNAL) < 0)
		return;
	send(fd, bytes, n, MSG_NOSIGNAL);
}

static void handle(void *arg, int fd)
{
	struct th_portal *p = arg;
	char *buf = p->buf, *body, auth[256], key[160], want[160];
	char *answer = p->answer, field[128];
	size_t an = sizeof(p->answer);
	enum th_portal_mode mode;
	size_t blen;
	int status = 404, i;
	json_t *j;

	if (th_httpd_read(fd, buf, sizeof(p->buf), &body, &blen))
		return;
	pthread_mutex_lock(&p->lock);
	p->counts.requests++;
	mode = p->mode;
	if (mode == TH_PORTAL_DROP) {
		pthread_mutex_unlock(&p->lock);
		return;
	}
	if (mode == TH_PORTAL_DOWN || mode == TH_PORTAL_LIMIT) {
		pthread_mutex_unlock(&p->lock);
		th_httpd_reply(fd, mode == TH_PORTAL_DOWN ? 503 : 429,
			       mode == TH_PORTAL_LIMIT ? "Retry-After: 60\r\n" :
			       NULL, "{\"error_code\": \"-9\", \"message\": "
			       "\"Hệ thống đang bận\"}");
		return;
	}
	snprintf(answer, an, "{\"error\": \"no such path\"}");
	if (!strncmp(buf, "GET /tep/", 9)) {
		size_t len = strcspn(buf + 9, " ?");

		for (i = 0; i < p->nfiles; i++)
			if (strlen(p->files[i].name) == len &&
			    !strncmp(p->files[i].name, buf + 9, len))
				break;
		if (i < p->nfiles)
			p->files[i].hits++;
		if (i < p->nfiles && p->files[i].status / 100 == 3) {
			/* Moved: the bytes are where to. */
			char loc[700];

			snprintf(loc, sizeof(loc), "Location: %.*s\r\n",
				 (int)p->files[i].n, (const char *)
				 p->files[i].bytes);
			status = p->files[i].status;
			pthread_mutex_unlock(&p->lock);
			th_httpd_reply(fd, status, loc, "{}");
			return;
		}
		if (i == p->nfiles || p->files[i].status != 200) {
			status = i == p->nfiles ? 404 : p->files[i].status;
			snprintf(answer, an, "{\"error\": \"no file\"}");
			goto out;
		}
		serve_file(fd, p->files[i].bytes, p->files[i].n);
		pthread_mutex_unlock(&p->lock);
		return;
	}
	if (!strncmp(buf, "POST /token ", 12)) {
		char id[64], secret[64];

		form_field(body, "client_id", id, sizeof(id));
		form_field(body, "client_secret", secret, sizeof(secret));
		form_field(body, "grant_type", field, sizeof(field));
		if (strcmp(field, "client_credentials") ||
		    strcmp(id, p->client_id) || strcmp(secret, p->secret)) {
			status = 401;
			snprintf(answer, an, "{\"error\": "
				 "\"invalid_client\"}");
		} else {
			status = 200;
			p->ntokens++;
			p->counts.tokens++;
			snprintf(answer, an, "{\"access_token\": "
				 "\"tok-%d\", \"token_type\": \"Bearer\", "
				 "\"expires_in\": 3600}", p->ntokens);
		}
		goto out;
	}
	th_httpd_header(buf, "Authorization:", auth, sizeof(auth));
	snprintf(want, sizeof(want), "Bearer tok-%d", p->ntokens);
	if (!p->ntokens || strcmp(auth, want)) {
		status = 401;
		snprintf(answer, an, "{\"error\": "
			 "\"invalid_token\"}");
		goto out;
	}
	th_httpd_header(buf, "Idempotency-Key:", key, sizeof(key));
	for (i = 0; key[0] && i < p->nkeys; i++)
		if (!strcmp(p->keys[i].key, key)) {
			/* Seen: answered as before, recorded once. */
			p->counts.repeats++;
			status = p->keys[i].status;
			snprintf(answer, an, "%s",
				 p->keys[i].answer);
			goto out;
		}
	j = json_loadb(body, blen, 0, NULL);
	if (!strncmp(buf, "POST /hoso/themmoi ", 19))
		status = dossiers(p, j, true, answer, an);
	else if (!strncmp(buf, "POST /hoso/capnhat ", 19))
		status = dossiers(p, j, false, answer, an);
	else if (!strncmp(buf, "POST /hoso/tiendo ", 18))
		status = steps(p, j, answer, an);
	else if (!strncmp(buf, "POST /hoso/tracuu ", 18))
		status = look_up(p, j, answer, an);
	else if (!strncmp(buf, "POST /hoso/moi ", 15))
		status = filed_since(p, j, p->answer, sizeof(p->answer));
	json_decref(j);
	if (strstr(answer, "\"-2\""))
		p->counts.refused++;
	if (status == 200 && key[0] && p->nkeys < MAX_KEYS) {
		snprintf(p->keys[p->nkeys].key, sizeof(p->keys[0].key), "%s",
			 key);
		p->keys[p->nkeys].status = status;
		snprintf(p->keys[p->nkeys].answer, sizeof(p->keys[0].answer),
			 "%.511s", answer);
		p->nkeys++;
	}
out:
	pthread_mutex_unlock(&p->lock);
	th_httpd_reply(fd, status, NULL, answer);
}

static void *run(void *arg)
{
	struct th_portal *p = arg;

	th_httpd_serve(p->fd, &p->lock, &p->stop, handle, p);
	return NULL;
}

struct th_portal *th_portal_start(const char *client_id, const char *secret)
{
	struct th_portal *p = calloc(1, sizeof(*p));
	int port;

	p->dossiers = calloc(MAX_DOSSIERS, sizeof(*p->dossiers));
	p->keys = calloc(MAX_KEYS, sizeof(*p->keys));
	p->filed = json_array();
	snprintf(p->client_id, sizeof(p->client_id), "%s", client_id);
	snprintf(p->secret, sizeof(p->secret), "%s", secret);
	pthread_mutex_init(&p->lock, NULL);
	p->fd = th_httpd_listen(&port);
	snprintf(p->url, sizeof(p->url), "http://127.0.0.1:%d", port);
	pthread_create(&p->thread, NULL, run, p);
	return p;
}

const char *th_portal_url(const struct th_portal *p)
{
	return p->url;
}

void th_portal_mode(struct th_portal *p, enum th_portal_mode m)
{
	pthread_mutex_lock(&p->lock);
	p->mode = m;
	pthread_mutex_unlock(&p->lock);
}

void th_portal_refuse(struct th_portal *p, const char *code)
{
	pthread_mutex_lock(&p->lock);
	snprintf(p->refuse, sizeof(p->refuse), "%s", code ? code : "");
	pthread_mutex_unlock(&p->lock);
}

bool th_portal_dossier(struct th_portal *p, const char *code,
		       struct th_portal_dossier *out)
{
	struct th_portal_dossier *d;

	pthread_mutex_lock(&p->lock);
	d = find(p, code);
	if (d)
		*out = *d;
	pthread_mutex_unlock(&p->lock);
	return d != NULL;
}

void th_portal_set_status(struct th_portal *p, const char *code, int status)
{
	struct th_portal_dossier *d;

	pthread_mutex_lock(&p->lock);
	if ((d = find(p, code)))
		d->status = status;
	pthread_mutex_unlock(&p->lock);
}

void th_portal_forget(struct th_portal *p, const char *code)
{
	struct th_portal_dossier *d;

	pthread_mutex_lock(&p->lock);
	if ((d = find(p, code)))
		*d = p->dossiers[--p->ndossiers];
	pthread_mutex_unlock(&p->lock);
}

void th_portal_file(struct th_portal *p, const char *hoso)
{
	json_t *d = json_loads(hoso, 0, NULL);

	if (!d) {
		fprintf(stderr, "portalsrv: not JSON: %s\n", hoso);
		abort();
	}
	pthread_mutex_lock(&p->lock);
	json_array_append_new(p->filed, d);
	pthread_mutex_unlock(&p->lock);
}

void th_portal_counts(struct th_portal *p, struct th_portal_counts *out)
{
	pthread_mutex_lock(&p->lock);
	*out = p->counts;
	pthread_mutex_unlock(&p->lock);
}

void th_portal_stop(struct th_portal *p)
{
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	close(p->fd);
	pthread_mutex_destroy(&p->lock);
	free(p->dossiers);
	free(p->keys);
	json_decref(p->filed);
	for (int i = 0; i < p->nfiles; i++)
		free(p->files[i].bytes);
	free(p);
}

void th_portal_put_file(struct th_portal *p, const char *name,
			const void *bytes, size_t n, int status)
{
	int i;

	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->nfiles; i++)
		if (!strcmp(p->files[i].name, name))
			break;
	if (i == p->nfiles) {
		assert(p->nfiles < (int)(sizeof(p->files) /
					 sizeof(p->files[0])));
		p->nfiles++;
		snprintf(p->files[i].name, sizeof(p->files[i].name), "%s",
			 name);
	}
	free(p->files[i].bytes);
	p->files[i].bytes = malloc(n ? n : 1);
	memcpy(p->files[i].bytes, bytes, n);
	p->files[i].n = n;
	p->files[i].status = status;
	pthread_mutex_unlock(&p->lock);
}

int th_portal_file_hits(struct th_portal *p, const char *name)
{
	int i, n = 0;

	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->nfiles; i++)
		if (!strcmp(p->files[i].name, name))
			n = p->files[i].hits;
	pthread_mutex_unlock(&p->lock);
	return n;
}
