/*
 * httpd.h — the pieces of the tests' small HTTP servers (portalsrv.c,
 * registrysrv.c, smsgw.c, hooksrv.c):
 * a loopback listener, one request read whole, an answer written.
 */
#ifndef MC_TESTS_HTTPD_H
#define MC_TESTS_HTTPD_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* Listens on 127.0.0.1, any port: the socket, its port into '*port'. */
int th_httpd_listen(int *port);
/*
 * Reads one request into 'buf' (NUL-ended): the head and a body of its
 * Content-Length, which '*body' and '*blen' point at. 0, or -1.
 */
int th_httpd_read(int fd, char *buf, size_t cap, char **body, size_t *blen);
/* Header 'name' ("Authorization:") of request 'req' into 'out', or "". */
void th_httpd_header(const char *req, const char *name, char *out, size_t n);
/* Answers 'status' with 'body' (JSON) and extra header lines 'extra'. */
void th_httpd_reply(int fd, int status, const char *extra, const char *body);
/*
 * A server's thread: accepts connections on 'fd' one at a time, hands
 * each to 'handle' and closes it, until '*stop' (read under 'lock').
 */
void th_httpd_serve(int fd, pthread_mutex_t *lock, const bool *stop,
		    void (*handle)(void *arg, int fd), void *arg);

#endif /* MC_TESTS_HTTPD_H */
