/*
 * smsgw.h — a local SMS gateway for the tests: a real HTTP server on
 * loopback speaking the gateway protocol of docs/notifications.md ("SMS
 * gateway"), which the production client (src/jobs/sms.c) talks to. It
 * honours idempotency keys (a key seen before is answered 409 with the
 * same id and not sent again) and can be told to fail, refuse, slow down
 * or drop connections.
 */
#ifndef MC_TESTS_SMSGW_H
#define MC_TESTS_SMSGW_H

#include <stdbool.h>
#include <stddef.h>

enum th_gw_mode {
	TH_GW_OK,		/* 201 {"id": …} */
	TH_GW_FAIL,		/* 503, nothing sent */
	TH_GW_REFUSE,		/* 422 {"error": "invalid number"} */
	TH_GW_DROP,		/* closes the connection, nothing sent */
	TH_GW_DROP_AFTER	/* sends, then closes without answering */
};

struct th_smsgw;

/* Starts a gateway that expects 'token' as its bearer token. */
struct th_smsgw *th_smsgw_start(const char *token);
/* "http://127.0.0.1:PORT/sms" */
const char *th_smsgw_url(const struct th_smsgw *g);
/* Mode from now on, and a delay before each answer (ms, 0: none). */
void th_smsgw_mode(struct th_smsgw *g, enum th_gw_mode m, int delay_ms);

struct th_sms {
	char key[160];
	char to[64];
	char text[2048];
	char priority[16];
	char id[32];
	int sends;		/* times it was sent to the phone: must be 1 */
	int posts;		/* requests that carried its key */
};

/* Messages sent so far (distinct keys), and the requests received. */
int th_smsgw_count(struct th_smsgw *g, int *posts);
/* The message with key 'key' (copied into 'out'), or false. */
bool th_smsgw_find(struct th_smsgw *g, const char *key, struct th_sms *out);
/* The i-th message sent (in order), or false. */
bool th_smsgw_get(struct th_smsgw *g, int i, struct th_sms *out);
void th_smsgw_stop(struct th_smsgw *g);

#endif /* MC_TESTS_SMSGW_H */
