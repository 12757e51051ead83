/*
 * zalo.h — the Zalo Notification Service client (ZNS: template messages
 * of a Zalo Official Account to a phone number, docs/notifications.md
 * "Zalo"): POST {url} with the OA's access token in the header
 * "access_token", {"phone", "template_id", "template_data",
 * "tracking_id"}; the answer's "error" says what happened (0: taken).
 * libcurl, one handle per delivery thread.
 */
#ifndef MC_JOBS_ZALO_H
#define MC_JOBS_ZALO_H

#include "core/compat.h"
#include "jobs/sms.h"
#include "store/outbox.h"

struct mc_zalo;

struct mc_zalo_opts {
	const char *url;		/* .../message/template */
	const char *token;		/* the OA's access token */
	int64_t timeout_ms;		/* whole request */
};

struct mc_zalo *mc_zalo_new(const struct mc_zalo_opts *o);
void mc_zalo_free(struct mc_zalo *z);

/*
 * "0905 111 222", "+84905111222", "84905111222" as ZNS wants a phone:
 * "84905111222" into 'out'; false when it is not a Vietnamese mobile
 * number.
 */
bool mc_zalo_phone(const char *in, char *out, size_t n);

/*
 * Sends 'm' (its recipient, subject: the ZNS template id, body: the
 * template data as JSON, key as tracking id). Error 0 with a msg_id is
 * sent; the errors that concern this message — the phone (-108), no
 * Zalo account on it (-118), one that cannot take ZNS (-119), the
 * template or its data (-109, -111, -112) — are refused; anything else —
 * the token (-124), the OA's quota, an unknown error (-100), HTTP 5xx, a
 * timeout — is to be retried (and, after zalo_attempts, sent by SMS).
 */
void mc_zalo_send(struct mc_zalo *z, const struct mc_message *m,
		  struct mc_send_result *out);

#endif /* MC_JOBS_ZALO_H */
