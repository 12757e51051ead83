/*
 * sms.h — the SMS gateway client: hands one message to the gateway over
 * HTTP (the protocol of docs/notifications.md "SMS gateway"). libcurl,
 * one handle per delivery thread.
 */
#ifndef MC_JOBS_SMS_H
#define MC_JOBS_SMS_H

#include "core/compat.h"
#include "store/outbox.h"

struct mc_sms;

struct mc_sms_opts {
	const char *url;		/* POST endpoint of the gateway */
	const char *token;		/* Authorization: Bearer, "" none */
	const char *sender;		/* brand name (sender id) */
	int64_t timeout_ms;		/* whole request */
};

struct mc_sms *mc_sms_new(const struct mc_sms_opts *o);
void mc_sms_free(struct mc_sms *s);

/* What happened to one attempt. */
struct mc_send_result {
	enum mc_outcome outcome;
	char provider_id[128];		/* the gateway's id, when sent */
	char error[512];		/* why not, otherwise */
	int64_t retry_after_s;		/* the gateway's Retry-After, or 0 */
};

/*
 * Sends 'm' (its recipient, body, idempotency key and priority). 2xx
 * with an id, or 409 (the key was seen: the same message) is sent; 400
 * and 422 (a bad number or text) are refused; anything else — 401, 403,
 * 404 (our configuration), 408, 429, 5xx, a timeout, a dropped
 * connection, an answer without an id — is to be retried.
 */
void mc_sms_send(struct mc_sms *s, const struct mc_message *m,
		 struct mc_send_result *out);

#endif /* MC_JOBS_SMS_H */
