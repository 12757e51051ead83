/*
 * webhook.c — the webhook client (see webhook.h).
 */
#include "core/compat.h"
#include "core/mem.h"
#include "core/net.h"
#include "jobs/webhook.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>

#define ALLOW_MAX 32

struct mc_hook {
	CURL *curl;
	int64_t timeout_ms;
	struct mc_net allow[ALLOW_MAX];	/* private blocks allowed */
	size_t nallow;
	char refused[INET6_ADDRSTRLEN];	/* the address last refused */
};

struct mc_hook *mc_hook_new(int64_t timeout_ms, const char *allow)
{
	struct mc_hook *h = mc_calloc(1, sizeof(*h));

	h->curl = curl_easy_init();
	h->timeout_ms = timeout_ms;
	/* Checked at start (cmd_serve.c); a bad entry allows nothing. */
	if (mc_nets_parse(allow, "webhook_allow", h->allow, ALLOW_MAX,
			  &h->nallow, NULL) || h->nallow > ALLOW_MAX)
		h->nallow = 0;
	return h;
}

void mc_hook_free(struct mc_hook *h)
{
	if (!h)
		return;
	curl_easy_cleanup(h->curl);
	mc_free(h);
}

/* Every connection a delivery makes: a private address only if allowed. */
static curl_socket_t open_checked(void *arg, curlsocktype purpose,
				  struct curl_sockaddr *sa)
{
	struct mc_hook *h = arg;
	const unsigned char *a = NULL;

	(void)purpose;
	if (sa->family == AF_INET)
		a = (const unsigned char *)&((struct sockaddr_in *)
					     &sa->addr)->sin_addr;
	else if (sa->family == AF_INET6)
		a = (const unsigned char *)&((struct sockaddr_in6 *)
					     &sa->addr)->sin6_addr;
	if (!a || (mc_addr_private(sa->family, a) &&
		   !mc_nets_match(h->allow, h->nallow, sa->family, a))) {
		if (a)
			inet_ntop(sa->family, a, h->refused,
				  sizeof(h->refused));
		else
			snprintf(h->refused, sizeof(h->refused), "?");
		return CURL_SOCKET_BAD;
	}
	return socket(sa->family, sa->socktype, sa->protocol);
}

void mc_hook_sign(const char *secret, int64_t ts, const char *body,
		  char out[72])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char prefix[32];

	snprintf(prefix, sizeof(prefix), "%" PRId64 ".", ts);
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret,
				    strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)prefix,
				      strlen(prefix));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body,
				      strlen(body));
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, 65, mac, sizeof(mac));
}

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

void mc_hook_send(struct mc_hook *h, const struct mc_message *m,
		  const char *secret, int64_t now, struct mc_send_result *out)
{
	struct curl_slist *hd = NULL;
	char line[256], sig[72], errbuf[CURL_ERROR_SIZE] = "";
	long status = 0;
	CURLcode cc;

	memset(out, 0, sizeof(*out));
	mc_hook_sign(secret, now, m->body, sig);
	hd = curl_slist_append(hd, "Content-Type: application/json");
	snprintf(line, sizeof(line), "X-Motcua-Event: %.200s",
		 m->subject[0] ? m->subject : "dossier");
	hd = curl_slist_append(hd, line);
	snprintf(line, sizeof(line), "X-Motcua-Delivery: %.200s", m->key);
	hd = curl_slist_append(hd, line);
	snprintf(line, sizeof(line), "X-Motcua-Timestamp: %" PRId64, now);
	hd = curl_slist_append(hd, line);
	snprintf(line, sizeof(line), "X-Motcua-Signature: %s", sig);
	hd = curl_slist_append(hd, line);
	curl_easy_reset(h->curl);
	curl_easy_setopt(h->curl, CURLOPT_URL, m->recipient);
	curl_easy_setopt(h->curl, CURLOPT_OPENSOCKETFUNCTION, open_checked);
	curl_easy_setopt(h->curl, CURLOPT_OPENSOCKETDATA, h);
	h->refused[0] = '\0';
	curl_easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, m->body);
	curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, (long)h->timeout_ms);
	curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, errbuf);
	cc = curl_easy_perform(h->curl);
	curl_slist_free_all(hd);
	if (cc != CURLE_OK && h->refused[0]) {
		/* A private address not allowed: never, whenever tried. */
		out->outcome = MC_OUT_REFUSED;
		snprintf(out->error, sizeof(out->error), "webhook: %s is a "
			 "private address, not in webhook_allow", h->refused);
		return;
	}
	if (cc != CURLE_OK) {
		out->outcome = MC_OUT_RETRY;
		snprintf(out->error, sizeof(out->error), "webhook: %s",
			 errbuf[0] ? errbuf : curl_easy_strerror(cc));
		return;
	}
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status >= 200 && status < 300) {
		out->outcome = MC_OUT_SENT;
		snprintf(out->provider_id, sizeof(out->provider_id), "%.127s",
			 m->key);
		return;
	}
	out->outcome = status >= 400 && status < 500 && status != 408 &&
		       status != 429 ? MC_OUT_REFUSED : MC_OUT_RETRY;
	snprintf(out->error, sizeof(out->error), "webhook: HTTP %ld", status);
}
