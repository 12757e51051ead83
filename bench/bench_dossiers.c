/*
 * bench_dossiers.c — dossier throughput of a running motcua over HTTP
 * (bench/dossiers.sh starts the server and prepares the database):
 *
 *   intake     POST /api/v1/dossiers from C clients, durable (group commit);
 *   lifecycle  per dossier: intake, forward, assign, forward, complete,
 *              return_result — six requests, each a durable write.
 *
 * Each client is a thread with its own keep-alive connection (libcurl).
 * Prints requests and dossiers per second, median of R runs.
 *
 * usage: bench_dossiers URL PROCEDURE [--clients N] [--seconds S] [--runs R]
 */
#include "core/compat.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <time.h>

struct tokens {
	char counter[128], leader[128], specialist[128];
};

struct bench {
	const char *base, *proc;
	struct tokens tok;
	int seconds;
	bool lifecycle;
};

struct worker {
	pthread_t th;
	const struct bench *b;
	long dossiers, requests, errors;
	char last_error[256];
};

struct sink {
	char buf[65536];
	size_t len;
};

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t add = size * n;

	if (s->len + add >= sizeof(s->buf))
		add = sizeof(s->buf) - 1 - s->len;
	memcpy(s->buf + s->len, p, add);
	s->len += add;
	s->buf[s->len] = '\0';
	return size * n;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* POSTs 'body' to 'path' with 'token'; returns the status, body in 's'. */
static long post(CURL *c, const struct bench *b, const char *path,
		 const char *token, const char *body, struct sink *s)
{
	struct curl_slist *h = NULL;
	char url[512], auth[200];
	long status = 0;

	snprintf(url, sizeof(url), "%s%s", b->base, path);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, auth);
	s->len = 0;
	s->buf[0] = '\0';
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	return status;
}

static void *run(void *arg)
{
	static const char intake[] = "{\"procedure_code\": \"%s\", "
		"\"channel\": \"direct\", \"applicant\": {\"kind\": \"person\", "
		"\"id_number\": \"051095012345\", \"name\": \"Nguyễn Văn An\", "
		"\"phone\": \"0912345678\"}, \"components\": [{\"code\": "
		"\"TK\", \"provided\": true}]}";
	struct worker *w = arg;
	const struct bench *b = w->b;
	struct sink *s = malloc(sizeof(*s));
	CURL *c = curl_easy_init();
	double end = now_s() + b->seconds;
	char body[1024], path[256], code[128];

	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	while (now_s() < end) {
		static const struct {
			int who;	/* 0 counter, 1 leader, 2 specialist */
			const char *body;
		} steps[] = {
			{ 0, "{\"action\": \"forward\"}" },
			{ 1, "{\"action\": \"assign\", \"assignee\": "
			     "\"chuyenvien\"}" },
			{ 2, "{\"action\": \"forward\"}" },
			{ 1, "{\"action\": \"complete\"}" },
			{ 0, "{\"action\": \"return_result\"}" },
		};
		json_t *j;
		size_t i;
		long st;

		snprintf(body, sizeof(body), intake, b->proc);
		st = post(c, b, "/api/v1/dossiers", b->tok.counter, body, s);
		w->requests++;
		if (st != 201) {
			w->errors++;
			snprintf(w->last_error, sizeof(w->last_error),
				 "intake %ld %.200s", st, s->buf);
			continue;
		}
		if (!b->lifecycle) {
			w->dossiers++;
			continue;
		}
		j = json_loads(s->buf, 0, NULL);
		snprintf(code, sizeof(code), "%s", json_string_value(
			 json_object_get(j, "code")));
		json_decref(j);
		snprintf(path, sizeof(path), "/api/v1/dossiers/%s/actions",
			 code);
		for (i = 0; i < MC_ARRAY_SIZE(steps); i++) {
			const char *tok = steps[i].who == 0 ? b->tok.counter :
				steps[i].who == 1 ? b->tok.leader :
				b->tok.specialist;

			st = post(c, b, path, tok, steps[i].body, s);
			w->requests++;
			if (st != 200) {
				w->errors++;
				snprintf(w->last_error, sizeof(w->last_error),
					 "%s %ld %.200s", steps[i].body, st,
					 s->buf);
				break;
			}
		}
		if (i == MC_ARRAY_SIZE(steps))
			w->dossiers++;
	}
	curl_easy_cleanup(c);
	free(s);
	return NULL;
}

static int login(const char *base, const char *user, char *token, size_t n)
{
	CURL *c = curl_easy_init();
	struct sink *s = malloc(sizeof(*s));
	struct bench b = { base, NULL, { "", "", "" }, 0, false };
	char body[256];
	json_t *j;
	long st;

	snprintf(body, sizeof(body), "{\"username\": \"%s\", \"password\": "
		 "\"motcua-demo\"}", user);
	st = post(c, &b, "/api/v1/auth/login", "", body, s);
	j = json_loads(s->buf, 0, NULL);
	if (st == 200)
		snprintf(token, n, "%s", json_string_value(json_object_get(
			 j, "token")));
	json_decref(j);
	free(s);
	curl_easy_cleanup(c);
	return st == 200 ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* One timed run; fills dossiers/s and requests/s. */
static int run_once(struct bench *b, int clients, double *dps, double *rps)
{
	struct worker *w = calloc((size_t)clients, sizeof(*w));
	long d = 0, r = 0, e = 0;
	double t0 = now_s(), dt;
	int i;

	for (i = 0; i < clients; i++) {
		w[i].b = b;
		pthread_create(&w[i].th, NULL, run, &w[i]);
	}
	for (i = 0; i < clients; i++) {
		pthread_join(w[i].th, NULL);
		d += w[i].dossiers;
		r += w[i].requests;
		e += w[i].errors;
		if (w[i].errors)
			fprintf(stderr, "client %d: %ld errors, last: %s\n", i,
				w[i].errors, w[i].last_error);
	}
	dt = now_s() - t0;
	free(w);
	*dps = (double)d / dt;
	*rps = (double)r / dt;
	return e ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct bench b;
	int clients = 32, runs = 3, i, m;
	double dps[2][16], rps[2][16];
	const char *names[2] = { "intake (1 request per dossier)",
				 "lifecycle (intake + 5 actions)" };

	if (argc < 3) {
		fprintf(stderr, "usage: bench_dossiers URL PROCEDURE "
			"[--clients N] [--seconds S] [--runs R]\n");
		return 2;
	}
	memset(&b, 0, sizeof(b));
	b.base = argv[1];
	b.proc = argv[2];
	b.seconds = 5;
	for (i = 3; i + 1 < argc; i += 2) {
		long v = strtol(argv[i + 1], NULL, 10);

		if (!strcmp(argv[i], "--clients"))
			clients = (int)v;
		else if (!strcmp(argv[i], "--seconds"))
			b.seconds = (int)v;
		else if (!strcmp(argv[i], "--runs"))
			runs = (int)v;
	}
	if (clients < 1 || runs < 1 || runs > 16 || b.seconds < 1)
		return fprintf(stderr, "bad option\n"), 2;
	curl_global_init(CURL_GLOBAL_ALL);
	if (login(b.base, "tiepnhan", b.tok.counter, sizeof(b.tok.counter)) ||
	    login(b.base, "lanhdao", b.tok.leader, sizeof(b.tok.leader)) ||
	    login(b.base, "chuyenvien", b.tok.specialist,
		  sizeof(b.tok.specialist)))
		return fprintf(stderr, "cannot sign in\n"), 1;
	for (m = 0; m < 2; m++) {
		b.lifecycle = m == 1;
		for (i = 0; i < runs; i++)
			if (run_once(&b, clients, &dps[m][i], &rps[m][i]))
				return 1;
		qsort(dps[m], (size_t)runs, sizeof(double), cmp_double);
		qsort(rps[m], (size_t)runs, sizeof(double), cmp_double);
	}
	printf("dossiers over HTTP, %d clients, %d s, median of %d runs:\n",
	       clients, b.seconds, runs);
	for (m = 0; m < 2; m++)
		printf("  %-34s %8.0f dossiers/s  %8.0f requests/s\n",
		       names[m], dps[m][runs / 2], rps[m][runs / 2]);
	curl_global_cleanup();
	return 0;
}
