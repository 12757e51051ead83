/*
 * smtpd.c — the tests' SMTP server (see smtpd.h). One thread, one
 * session at a time.
 */
#include "core/compat.h"
#include "harness/smtpd.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_MAILS 1024

struct th_smtpd {
	int fd;
	char url[64];
	pthread_t thread;
	pthread_mutex_t lock;
	bool stop;
	enum th_smtp_mode mode;
	struct th_mail *mails;
	int nmails;
	int sessions;		/* session threads still running */
};

static void say(int fd, const char *line)
{
	if (send(fd, line, strlen(line), MSG_NOSIGNAL) < 0)
		return;
}

static bool stopping(struct th_smtpd *s)
{
	bool stop;

	pthread_mutex_lock(&s->lock);
	stop = s->stop;
	pthread_mutex_unlock(&s->lock);
	return stop;
}

/*
 * Reads one CRLF line into 'line' (without it); -1 at the end of the
 * session or when the server stops.
 */
static int read_line(struct th_smtpd *s, int fd, char *buf, size_t *have,
		     char *line, size_t n)
{
	for (;;) {
		char *eol = memmem(buf, *have, "\r\n", 2);
		ssize_t got;

		if (eol) {
			size_t len = (size_t)(eol - buf);

			snprintf(line, n, "%.*s", (int)len, buf);
			memmove(buf, eol + 2, *have - len - 2);
			*have -= len + 2;
			return 0;
		}
		if (*have >= 65535)
			return -1;
		{
			struct pollfd p = { fd, POLLIN, 0 };

			if (poll(&p, 1, 50) == 0) {
				if (stopping(s))
					return -1;
				continue;
			}
		}
		got = read(fd, buf + *have, 65535 - *have);
		if (got <= 0)
			return -1;
		*have += (size_t)got;
	}
}

/* Decodes "=?UTF-8?B?...?=" words of a header value. */
static void decode_words(const char *in, char *out, size_t n)
{
	size_t k = 0;

	while (*in && k + 1 < n) {
		const char *end;
		unsigned char bin[512];
		size_t blen = 0;

		if (!strncmp(in, "=?UTF-8?B?", 10) &&
		    (end = strstr(in + 10, "?=")) &&
		    sodium_base642bin(bin, sizeof(bin), in + 10,
				      (size_t)(end - in - 10), NULL, &blen,
				      NULL, sodium_base64_VARIANT_ORIGINAL) ==
		    0) {
			if (k + blen >= n)
				blen = n - k - 1;
			memcpy(out + k, bin, blen);
			k += blen;
			in = end + 2;
			continue;
		}
		out[k++] = *in++;
	}
	out[k] = '\0';
}

static void keep(struct th_smtpd *s, const char *from, const char *to,
		 const char *data)
{
	struct th_mail m;
	const char *h, *body = strstr(data, "\r\n\r\n");
	char b64[12000];
	size_t k = 0, blen = 0;
	int i;

	memset(&m, 0, sizeof(m));
	snprintf(m.from, sizeof(m.from), "%s", from);
	snprintf(m.to, sizeof(m.to), "%s", to);
	if ((h = strstr(data, "Message-ID: ")))
		snprintf(m.message_id, sizeof(m.message_id), "%.*s",
			 (int)strcspn(h + 12, "\r\n"), h + 12);
	if ((h = strstr(data, "Subject: "))) {
		char raw[1024];

		snprintf(raw, sizeof(raw), "%.*s", (int)strcspn(h + 9, "\r\n"),
			 h + 9);
		decode_words(raw, m.subject, sizeof(m.subject));
	}
	for (h = body ? body + 4 : ""; *h && k + 1 < sizeof(b64); h++)
		if (*h != '\r' && *h != '\n')
			b64[k++] = *h;
	b64[k] = '\0';
	sodium_base642bin((unsigned char *)m.body, sizeof(m.body) - 1, b64, k,
			  NULL, &blen, NULL, sodium_base64_VARIANT_ORIGINAL);
	m.body[blen] = '\0';
	pthread_mutex_lock(&s->lock);
	for (i = 0; i < s->nmails; i++)
		if (!strcmp(s->mails[i].message_id, m.message_id))
			break;
	if (i < s->nmails) {
		s->mails[i].copies++;
	} else if (s->nmails < MAX_MAILS) {
		m.copies = 1;
		s->mails[s->nmails++] = m;
	}
	pthread_mutex_unlock(&s->lock);
}

static void session(struct th_smtpd *s, int fd)
{
	char *buf = malloc(65536), *data = malloc(65536), line[4096];
	char from[256] = "", to[256] = "";
	size_t have = 0, dlen;
	enum th_smtp_mode mode;

	say(fd, "220 motcua-test ESMTP\r\n");
	while (read_line(s, fd, buf, &have, line, sizeof(line)) == 0) {
		/* Per command: a client keeps its connection between mails. */
		pthread_mutex_lock(&s->lock);
		mode = s->mode;
		pthread_mutex_unlock(&s->lock);
		if (!strncasecmp(line, "EHLO", 4)) {
			say(fd, "250-motcua-test\r\n250 8BITMIME\r\n");
		} else if (!strncasecmp(line, "HELO", 4) ||
			   !strncasecmp(line, "NOOP", 4)) {
			say(fd, "250 OK\r\n");
		} else if (!strncasecmp(line, "RSET", 4)) {
			from[0] = to[0] = '\0';
			say(fd, "250 OK\r\n");
		} else if (!strncasecmp(line, "MAIL FROM:", 10)) {
			snprintf(from, sizeof(from), "%.255s", line + 10);
			say(fd, "250 OK\r\n");
		} else if (!strncasecmp(line, "RCPT TO:", 8)) {
			if (mode == TH_SMTP_REJECT) {
				say(fd, "550 5.1.1 no such mailbox\r\n");
				continue;
			}
			snprintf(to, sizeof(to), "%.255s", line + 8);
			say(fd, "250 OK\r\n");
		} else if (!strncasecmp(line, "DATA", 4)) {
			if (!to[0]) {
				say(fd, "503 no recipient\r\n");
				continue;
			}
			say(fd, "354 go ahead\r\n");
			dlen = 0;
			while (read_line(s, fd, buf, &have, line,
					 sizeof(line)) == 0 &&
			       strcmp(line, ".") != 0) {
				const char *l = line[0] == '.' ? line + 1 :
						line;

				dlen += (size_t)snprintf(data + dlen,
					65536 - dlen, "%s\r\n", l);
				if (dlen >= 65536)
					dlen = 65535;
			}
			data[dlen] = '\0';
			if (mode == TH_SMTP_TEMPFAIL) {
				say(fd, "451 4.3.0 try again later\r\n");
				continue;
			}
			keep(s, from, to, data);
			if (mode == TH_SMTP_DROP_AFTER)
				break;
			say(fd, "250 2.0.0 queued\r\n");
		} else if (!strncasecmp(line, "QUIT", 4)) {
			say(fd, "221 bye\r\n");
			break;
		} else {
			say(fd, "502 not implemented\r\n");
		}
	}
	free(buf);
	free(data);
}

struct conn {
	struct th_smtpd *s;
	int fd;
};

/* One session per thread: a client keeps its connection between mails. */
static void *session_main(void *arg)
{
	struct conn *c = arg;

	session(c->s, c->fd);
	close(c->fd);
	pthread_mutex_lock(&c->s->lock);
	c->s->sessions--;
	pthread_mutex_unlock(&c->s->lock);
	free(c);
	return NULL;
}

static void *run(void *arg)
{
	struct th_smtpd *s = arg;

	for (;;) {
		struct pollfd p = { s->fd, POLLIN, 0 };
		bool stop;
		int c;

		pthread_mutex_lock(&s->lock);
		stop = s->stop;
		pthread_mutex_unlock(&s->lock);
		if (stop)
			break;
		if (poll(&p, 1, 50) <= 0)
			continue;
		c = accept(s->fd, NULL, NULL);
		if (c < 0)
			continue;
		{
			struct conn *cn = calloc(1, sizeof(*cn));
			pthread_t t;

			cn->s = s;
			cn->fd = c;
			pthread_mutex_lock(&s->lock);
			s->sessions++;
			pthread_mutex_unlock(&s->lock);
			pthread_create(&t, NULL, session_main, cn);
			pthread_detach(t);
		}
	}
	return NULL;
}

struct th_smtpd *th_smtpd_start(void)
{
	struct th_smtpd *s = calloc(1, sizeof(*s));
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	int one = 1;

	s->mails = calloc(MAX_MAILS, sizeof(*s->mails));
	pthread_mutex_init(&s->lock, NULL);
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s->fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(s->fd, 64) ||
	    getsockname(s->fd, (struct sockaddr *)&a, &al)) {
		fprintf(stderr, "smtpd: cannot listen\n");
		abort();
	}
	snprintf(s->url, sizeof(s->url), "smtp://127.0.0.1:%d",
		 ntohs(a.sin_port));
	pthread_create(&s->thread, NULL, run, s);
	return s;
}

const char *th_smtpd_url(const struct th_smtpd *s)
{
	return s->url;
}

void th_smtpd_mode(struct th_smtpd *s, enum th_smtp_mode m)
{
	pthread_mutex_lock(&s->lock);
	s->mode = m;
	pthread_mutex_unlock(&s->lock);
}

int th_smtpd_count(struct th_smtpd *s)
{
	int n;

	pthread_mutex_lock(&s->lock);
	n = s->nmails;
	pthread_mutex_unlock(&s->lock);
	return n;
}

bool th_smtpd_find(struct th_smtpd *s, const char *part, struct th_mail *out)
{
	bool found = false;
	int i;

	pthread_mutex_lock(&s->lock);
	for (i = 0; i < s->nmails && !found; i++)
		if (strstr(s->mails[i].message_id, part)) {
			*out = s->mails[i];
			found = true;
		}
	pthread_mutex_unlock(&s->lock);
	return found;
}

void th_smtpd_stop(struct th_smtpd *s)
{
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	/* The sessions see the flag within 50 ms and end. */
	for (;;) {
		int n;

		pthread_mutex_lock(&s->lock);
		n = s->sessions;
		pthread_mutex_unlock(&s->lock);
		if (!n)
			break;
		usleep(10 * 1000);
	}
	close(s->fd);
	pthread_mutex_destroy(&s->lock);
	free(s->mails);
	free(s);
}
