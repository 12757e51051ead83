/*
 * mail.h — the e-mail client: hands one message to an SMTP server
 * (libcurl; smtp:// with STARTTLS, or smtps://), as a UTF-8
 * plain-text mail with its subject encoded per RFC 2047 and a Message-ID
 * made from the message's idempotency key, so that a receiver can tell a
 * repeat (docs/notifications.md "E-mail").
 */
#ifndef MC_JOBS_MAIL_H
#define MC_JOBS_MAIL_H

#include "core/compat.h"
#include "jobs/sms.h"
#include "store/outbox.h"

struct mc_mail;

struct mc_mail_opts {
	const char *url;		/* smtp://host:port, smtps://… */
	const char *user;		/* "" for none */
	const char *password;
	const char *from;		/* address: noreply@example.vn */
	const char *from_name;		/* "Dịch vụ công tỉnh Quảng Ngãi" */
	int64_t timeout_ms;
};

/*
 * Whether mail to 'url' must go encrypted: smtps:// always is; smtp://
 * must then upgrade with STARTTLS (a server that does not offer it gets
 * nothing: no password or code crosses the network in clear), except to
 * a relay on this machine (127.0.0.0/8, ::1, localhost), where it is
 * used when offered.
 */
bool mc_mail_tls_required(const char *url);

struct mc_mail *mc_mail_new(const struct mc_mail_opts *o);
void mc_mail_free(struct mc_mail *m);

/*
 * Sends 'msg'. Accepted (250 after DATA) is sent; a permanent refusal
 * (5xx, e.g. 550 no such mailbox) is refused; anything else — a 4xx, no
 * connection, a timeout — is to be retried.
 */
void mc_mail_send(struct mc_mail *m, const struct mc_message *msg,
		  int64_t now, struct mc_send_result *out);

/*
 * The mail as sent (headers and base64 body) into 'out', for tests and
 * the client itself. 0 or MC_ETOOBIG.
 */
int mc_mail_format(const struct mc_mail_opts *o, const struct mc_message *msg,
		   int64_t now, struct mc_buf *out);

#endif /* MC_JOBS_MAIL_H */
