/*
 * mail.c — the e-mail client (see mail.h).
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "jobs/mail.h"

#include <curl/curl.h>
#include <sodium.h>

struct mc_mail {
	struct mc_mail_opts o;
	char url[512], user[256], password[256], from[256], from_name[256];
	CURL *curl;
};

bool mc_mail_tls_required(const char *url)
{
	const char *host = strstr(url, "://");
	size_t n;

	if (!host)
		return true;
	host += 3;
	if (strchr(host, '@') && strchr(host, '@') < host + strcspn(host, "/"))
		host = strchr(host, '@') + 1;
	n = host[0] == '[' ? strcspn(host, "]") + 1 : strcspn(host, ":/");
	return !((n == 9 && !strncasecmp(host, "localhost", 9)) ||
		 (n == 5 && !strncmp(host, "[::1]", 5)) ||
		 (n > 4 && !strncmp(host, "127.", 4) &&
		  strspn(host, "0123456789.") == n));
}

struct mc_mail *mc_mail_new(const struct mc_mail_opts *o)
{
	struct mc_mail *m = mc_calloc(1, sizeof(*m));

	snprintf(m->url, sizeof(m->url), "%s", o->url ? o->url : "");
	snprintf(m->user, sizeof(m->user), "%s", o->user ? o->user : "");
	snprintf(m->password, sizeof(m->password), "%s",
		 o->password ? o->password : "");
	snprintf(m->from, sizeof(m->from), "%s", o->from ? o->from : "");
	snprintf(m->from_name, sizeof(m->from_name), "%s",
		 o->from_name ? o->from_name : "");
	m->o = *o;
	m->o.url = m->url;
	m->o.user = m->user;
	m->o.password = m->password;
	m->o.from = m->from;
	m->o.from_name = m->from_name;
	m->curl = curl_easy_init();
	return m;
}

void mc_mail_free(struct mc_mail *m)
{
	if (!m)
		return;
	curl_easy_cleanup(m->curl);
	mc_free(m);
}

/* Base64 of 'n' bytes, in lines of 76 characters (RFC 2045). */
static int add_base64(struct mc_buf *out, const char *p, size_t n,
		      bool lines)
{
	char line[80];
	size_t i, chunk = 57;		/* 57 bytes → 76 characters */

	for (i = 0; i < n || (i == 0 && n == 0); i += chunk) {
		size_t k = n - i < chunk ? n - i : chunk;

		sodium_bin2base64(line, sizeof(line),
				  (const unsigned char *)p + i, k,
				  sodium_base64_VARIANT_ORIGINAL);
		if (mc_buf_adds(out, line) ||
		    (lines && mc_buf_adds(out, "\r\n")))
			return MC_ETOOBIG;
		if (n == 0)
			break;
	}
	return 0;
}

/* An RFC 2047 encoded word for UTF-8 text (subject, display name). */
static int add_word(struct mc_buf *out, const char *s)
{
	if (mc_buf_adds(out, "=?UTF-8?B?") ||
	    add_base64(out, s, strlen(s), false) || mc_buf_adds(out, "?="))
		return MC_ETOOBIG;
	return 0;
}

int mc_mail_format(const struct mc_mail_opts *o, const struct mc_message *msg,
		   int64_t now, struct mc_buf *out)
{
	static const char *const days[] = { "Mon", "Tue", "Wed", "Thu",
		"Fri", "Sat", "Sun" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
		"May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int32_t day = (int32_t)(now >= 0 ? now / 86400 :
				-((-now + 86399) / 86400));
	struct mc_ymd d = mc_ymd_from_days(day);
	int64_t secs = now - (int64_t)day * 86400;
	char id[200];
	size_t i, k = 0;
	int rc = 0;

	/* Message-ID from the key: the same message, the same id. */
	for (i = 0; msg->key[i] && k + 1 < sizeof(id); i++)
		id[k++] = strchr("<>@ \"\\", msg->key[i]) ? '.' : msg->key[i];
	id[k] = '\0';
	rc |= mc_buf_printf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d "
			    "+0000\r\n", days[mc_weekday(day) - 1], d.day,
			    months[d.month - 1], d.year, (int)(secs / 3600),
			    (int)(secs / 60 % 60), (int)(secs % 60));
	rc |= mc_buf_adds(out, "From: ");
	if (o->from_name && o->from_name[0]) {
		rc |= add_word(out, o->from_name);
		rc |= mc_buf_adds(out, " ");
	}
	rc |= mc_buf_printf(out, "<%s>\r\nTo: <%s>\r\nSubject: ", o->from,
			    msg->recipient);
	rc |= add_word(out, msg->subject);
	rc |= mc_buf_printf(out, "\r\nMessage-ID: <%s@motcua>\r\n"
			    "MIME-Version: 1.0\r\nContent-Type: text/plain; "
			    "charset=UTF-8\r\nContent-Transfer-Encoding: "
			    "base64\r\n\r\n", id);
	rc |= add_base64(out, msg->body, strlen(msg->body), true);
	return rc ? MC_ETOOBIG : 0;
}

struct reader {
	const char *p;
	size_t left;
};

static size_t on_read(char *dst, size_t size, size_t n, void *arg)
{
	struct reader *r = arg;
	size_t k = size * n < r->left ? size * n : r->left;

	memcpy(dst, r->p, k);
	r->p += k;
	r->left -= k;
	return k;
}

void mc_mail_send(struct mc_mail *m, const struct mc_message *msg,
		  int64_t now, struct mc_send_result *out)
{
	struct mc_buf mail = MC_BUF_INIT(MC_MSG_BODY_MAX * 2 + 4096);
	struct curl_slist *rcpt = NULL;
	struct reader rd;
	char from[300], to[300], errbuf[CURL_ERROR_SIZE] = "";
	long code = 0;
	CURLcode cc;

	memset(out, 0, sizeof(*out));
	if (mc_mail_format(&m->o, msg, now, &mail)) {
		out->outcome = MC_OUT_REFUSED;
		snprintf(out->error, sizeof(out->error), "the mail is too "
			 "long");
		mc_buf_release(&mail);
		return;
	}
	snprintf(from, sizeof(from), "<%s>", m->from);
	snprintf(to, sizeof(to), "<%s>", msg->recipient);
	rcpt = curl_slist_append(rcpt, to);
	rd.p = mail.buf;
	rd.left = mail.len;
	curl_easy_reset(m->curl);
	curl_easy_setopt(m->curl, CURLOPT_URL, m->url);
	curl_easy_setopt(m->curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	if (m->user[0]) {
		curl_easy_setopt(m->curl, CURLOPT_USERNAME, m->user);
		curl_easy_setopt(m->curl, CURLOPT_PASSWORD, m->password);
	}
	curl_easy_setopt(m->curl, CURLOPT_USE_SSL, (long)(
			 mc_mail_tls_required(m->url) ? CURLUSESSL_ALL :
			 CURLUSESSL_TRY));
	curl_easy_setopt(m->curl, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(m->curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(m->curl, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(m->curl, CURLOPT_READDATA, &rd);
	curl_easy_setopt(m->curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(m->curl, CURLOPT_TIMEOUT_MS, (long)m->o.timeout_ms);
	curl_easy_setopt(m->curl, CURLOPT_CONNECTTIMEOUT_MS,
			 (long)(m->o.timeout_ms < 5000 ? m->o.timeout_ms :
				5000));
	curl_easy_setopt(m->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(m->curl, CURLOPT_ERRORBUFFER, errbuf);
	cc = curl_easy_perform(m->curl);
	curl_easy_getinfo(m->curl, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	mc_buf_release(&mail);
	if (cc == CURLE_OK) {
		out->outcome = MC_OUT_SENT;
		snprintf(out->provider_id, sizeof(out->provider_id), "%.127s",
			 msg->key);
		return;
	}
	/* 5xx: the server refuses for good (no such mailbox, …). */
	out->outcome = code >= 500 && code < 600 ? MC_OUT_REFUSED :
		       MC_OUT_RETRY;
	snprintf(out->error, sizeof(out->error), "smtp: %s (reply %ld)",
		 errbuf[0] ? errbuf : curl_easy_strerror(cc), code);
}
