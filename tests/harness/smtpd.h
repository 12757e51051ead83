/*
 * smtpd.h — a local SMTP server for the tests: a real server on loopback
 * speaking enough of RFC 5321 (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
 * QUIT) for the production client (src/jobs/mail.c, libcurl). It keeps
 * the mails it accepts, counts repeats by Message-ID, and can be told to
 * refuse a recipient, fail for now, or drop the line after the data.
 */
#ifndef MC_TESTS_SMTPD_H
#define MC_TESTS_SMTPD_H

#include <stdbool.h>

enum th_smtp_mode {
	TH_SMTP_OK,		/* 250 after the data */
	TH_SMTP_TEMPFAIL,	/* 451 after the data: try again later */
	TH_SMTP_REJECT,		/* 550 to RCPT: no such mailbox */
	TH_SMTP_DROP_AFTER	/* keeps the mail, closes before the 250 */
};

struct th_mail {
	char from[256];
	char to[256];
	char message_id[256];
	char subject[512];	/* decoded from RFC 2047 */
	char body[8192];	/* decoded from base64 */
	int copies;		/* mails received with this Message-ID */
};

struct th_smtpd;

struct th_smtpd *th_smtpd_start(void);
/* "smtp://127.0.0.1:PORT" */
const char *th_smtpd_url(const struct th_smtpd *s);
void th_smtpd_mode(struct th_smtpd *s, enum th_smtp_mode m);
/* Distinct mails (by Message-ID) so far. */
int th_smtpd_count(struct th_smtpd *s);
/* The mail whose Message-ID contains 'part', or false. */
bool th_smtpd_find(struct th_smtpd *s, const char *part, struct th_mail *out);
void th_smtpd_stop(struct th_smtpd *s);

#endif /* MC_TESTS_SMTPD_H */
