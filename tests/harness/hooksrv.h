/*
 * hooksrv.h — a system subscribed to motcua's webhooks, for the tests: a
 * real HTTP server on loopback that records each POST (its delivery key,
 * timestamp, signature and body) and answers with the status it is told.
 */
#ifndef MC_TESTS_HOOKSRV_H
#define MC_TESTS_HOOKSRV_H

#include <stdbool.h>

struct th_hook_call {
	char delivery[200];
	char event[64];
	char timestamp[32];
	char signature[80];
	char body[2048];
};

struct th_hooksrv;

struct th_hooksrv *th_hooksrv_start(void);
/* "http://127.0.0.1:PORT/hook" */
const char *th_hooksrv_url(const struct th_hooksrv *h);
/* The status it answers from now on (default 200). */
void th_hooksrv_status(struct th_hooksrv *h, int status);
/* Calls received so far; the i-th into 'out'. */
int th_hooksrv_count(struct th_hooksrv *h);
bool th_hooksrv_get(struct th_hooksrv *h, int i, struct th_hook_call *out);
void th_hooksrv_stop(struct th_hooksrv *h);

#endif /* MC_TESTS_HOOKSRV_H */
