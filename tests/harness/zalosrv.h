/*
 * zalosrv.h — a local Zalo Notification Service for the tests: a real
 * HTTP server on loopback speaking ZNS's "send a template message"
 * (POST /message/template, docs/notifications.md "Zalo"), which the
 * production client (src/jobs/zalo.c) talks to. It checks the
 * access_token header, the phone (84…), the template (known, its
 * parameters those approved), answers {"error": 0, "data": {"msg_id"}},
 * and -118 for a phone with no Zalo account; it can be told to be down.
 */
#ifndef MC_TESTS_ZALOSRV_H
#define MC_TESTS_ZALOSRV_H

#include <stdbool.h>

struct th_zalo;

/*
 * Starts the service for access token 'token', with template
 * 'template_id' approved with the parameters 'params' (comma-separated).
 */
struct th_zalo *th_zalo_start(const char *token, const char *template_id,
			      const char *params);
/* "http://127.0.0.1:PORT/message/template" */
const char *th_zalo_url(const struct th_zalo *z);
/* Phone 'phone' (84…) has no Zalo account: -118 for it. */
void th_zalo_no_account(struct th_zalo *z, const char *phone);
/* 503 to everything while 'down'. */
void th_zalo_down(struct th_zalo *z, bool down);

struct th_zns {
	char phone[24];
	char template_id[32];
	char data[1024];	/* template_data, as JSON */
	char tracking_id[200];
};

/* Messages taken so far; requests received. */
int th_zalo_count(struct th_zalo *z, int *requests);
/* The i-th message taken, or false. */
bool th_zalo_get(struct th_zalo *z, int i, struct th_zns *out);
void th_zalo_stop(struct th_zalo *z);

#endif /* MC_TESTS_ZALOSRV_H */
