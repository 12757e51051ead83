/*
 * webhook.h — the webhook client: POSTs a message's JSON body to a
 * subscribed system's URL, signed with the subscription's secret
 * (docs/notifications.md "Webhooks"): X-Motcua-Signature is "sha256=" and
 * the hex HMAC-SHA256 of "<timestamp>.<body>" under the secret, with the
 * timestamp in X-Motcua-Timestamp (seconds since 1970), so a receiver can
 * refuse old or replayed deliveries; X-Motcua-Delivery is the idempotency
 * key.
 */
#ifndef MC_JOBS_WEBHOOK_H
#define MC_JOBS_WEBHOOK_H

#include "core/compat.h"
#include "jobs/sms.h"
#include "store/outbox.h"

struct mc_hook;

/*
 * A client with a time limit per delivery. A webhook reaches a private
 * address (loopback, RFC 1918, link-local, …: mc_addr_private) only
 * inside 'allow' (webhook_allow, comma-separated CIDR blocks; NULL or
 * "": none): the address is checked as the connection is made, whatever
 * the name resolved to, so a name cannot point it inside afterwards.
 */
struct mc_hook *mc_hook_new(int64_t timeout_ms, const char *allow);
void mc_hook_free(struct mc_hook *h);

/* The signature header's value for 'body' at 'ts' under 'secret'. */
void mc_hook_sign(const char *secret, int64_t ts, const char *body,
		  char out[72]);

/*
 * Delivers 'm' with 'secret' at 'now': 2xx is sent; 4xx other than 408
 * and 429 is refused for good (the receiver will not take it); anything
 * else is to be retried.
 */
void mc_hook_send(struct mc_hook *h, const struct mc_message *m,
		  const char *secret, int64_t now, struct mc_send_result *out);

#endif /* MC_JOBS_WEBHOOK_H */
