/*
 * httpd.c — the tests' small HTTP servers' pieces (see httpd.h).
 */
#include "core/compat.h"
#include "harness/httpd.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

int th_httpd_listen(int *port)
{
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(fd, 64) || getsockname(fd, (struct sockaddr *)&a, &al)) {
		fprintf(stderr, "httpd: cannot listen\n");
		abort();
	}
	*port = ntohs(a.sin_port);
	return fd;
}

int th_httpd_read(int fd, char *buf, size_t cap, char **body, size_t *blen)
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

void th_httpd_header(const char *req, const char *name, char *out, size_t n)
{
	const char *end = strstr(req, "\r\n\r\n");
	const char *p = strcasestr(req, name);

	out[0] = '\0';
	if (p && (!end || p < end)) {
		p += strlen(name);
		while (*p == ' ')
			p++;
		snprintf(out, n, "%.*s", (int)strcspn(p, "\r\n"), p);
	}
}

void th_httpd_reply(int fd, int status, const char *extra, const char *body)
{
	char head[512];
	int n = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\nContent-Type: "
			 "application/json; charset=utf-8\r\nContent-Length: "
			 "%zu\r\nConnection: close\r\n%s\r\n", status,
			 status < 300 ? "OK" : status < 500 ? "Client Error" :
			 "Server Error", strlen(body), extra ? extra : "");

	/* The client may be gone (killed): no SIGPIPE for the test. */
	if (send(fd, head, (size_t)n, MSG_NOSIGNAL) < 0 ||
	    send(fd, body, strlen(body), MSG_NOSIGNAL) < 0)
		return;
}

void th_httpd_serve(int fd, pthread_mutex_t *lock, const bool *stop,
		    void (*handle)(void *arg, int fd), void *arg)
{
	for (;;) {
		struct pollfd pf = { fd, POLLIN, 0 };
		bool done;
		int c;

		pthread_mutex_lock(lock);
		done = *stop;
		pthread_mutex_unlock(lock);
		if (done)
			return;
		if (poll(&pf, 1, 50) <= 0)
			continue;
		c = accept(fd, NULL, NULL);
		if (c < 0)
			continue;
		handle(arg, c);
		close(c);
	}
}
