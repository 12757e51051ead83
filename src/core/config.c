/*
 * config.c — the configuration table and its sources; see config.h.
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/timeutil.h"

#include <unistd.h>

enum kind { K_STRING, K_INT, K_SIZE, K_DURATION, K_BOOL, K_DURABILITY,
	    K_LOGLEVEL };

struct key {
	const char *name;
	enum kind kind;
	size_t offset;
	size_t size;			/* for strings: capacity */
	long min, max;			/* for ints, sizes and durations */
	const char *def;
	const char *help;
};

#define S(f) K_STRING, offsetof(struct mc_config, f), \
	sizeof(((struct mc_config *)0)->f)
#define F(k, f) k, offsetof(struct mc_config, f), 0

static const struct key keys[] = {
	{ "db", S(db), 0, 0, "var/motcua.db",
	  "Database: the path of a SQLite file (created by 'motcua "
	  "migrate'), or a PostgreSQL URL postgres://user@host:port/name." },
	{ "db_replica", S(db_replica), 0, 0, "",
	  "A PostgreSQL streaming replica of db (postgres://…) that serves "
	  "look-ups, lists and reports; a user who just wrote reads from "
	  "the primary until the replica has the write." },
	{ "replica_max_lag", F(K_DURATION, replica_max_lag_ms), 0, 3600000,
	  "5s",
	  "A replica further behind than this serves no reads until it "
	  "catches up (ms, s, m or h)." },
	{ "listen", S(listen), 0, 0, "127.0.0.1:8080",
	  "Address and port to serve HTTP on (host:port; port 0 picks a "
	  "free one)." },
	{ "threads", F(K_INT, threads), 0, 256, "0",
	  "Event-loop threads; 0 means one per CPU core." },
	{ "workers", F(K_INT, workers), 0, 256, "0",
	  "Threads for blocking work (database writes, rendering, "
	  "outgoing calls); 0 means 2 per core, at least 4." },
	{ "web_root", S(web_root), 0, 0, "web",
	  "Directory of the web application's static files." },
	{ "max_body", F(K_SIZE, max_body), 0, 1L << 30, "1m",
	  "Largest request body accepted (bytes; suffix k, m or g)." },
	{ "request_timeout", F(K_DURATION, request_timeout_ms), 1,
	  3600000, "30s",
	  "Time limit for handling one request (ms, s, m or h); past it "
	  "the client gets 503." },
	{ "io_timeout", F(K_DURATION, io_timeout_ms), 100, 3600000, "30s",
	  "Time a connection may stay silent while a request or response "
	  "is under way." },
	{ "shutdown_timeout", F(K_DURATION, shutdown_timeout_ms), 0,
	  3600000, "10s",
	  "On SIGTERM or SIGINT, how long in-flight requests may take to "
	  "finish." },
	{ "durability", F(K_DURABILITY, durability), 0, 0, "full",
	  "full: a write is acknowledged only once it is on disk and "
	  "survives power loss; normal: it survives a crash of motcua but "
	  "the last writes may be lost on power loss." },
	{ "busy_timeout", F(K_DURATION, busy_timeout_ms), 0, 600000, "5s",
	  "How long a database connection waits for a lock." },
	{ "write_batch", F(K_INT, write_batch), 1, 100000, "512",
	  "Most writes committed together in one transaction (group "
	  "commit)." },
	{ "writers", F(K_INT, writers), 0, 64, "0",
	  "Writer threads, each committing its own batches; 0 means 1 on "
	  "SQLite (one writer at a time anyway) and 8 on PostgreSQL." },
	{ "log_level", F(K_LOGLEVEL, log_level), 0, 0, "info",
	  "Lowest level logged: debug, info, warn or error." },
	{ "access_log", F(K_BOOL, access_log), 0, 0, "on",
	  "Log one JSON line per HTTP request (on or off)." },
	{ "calendar_files", S(calendar_files), 0, 0, "",
	  "Calendar files read on top of the built-in national calendar, "
	  "separated by spaces (a province's own days off, hours)." },
	{ "session_ttl", F(K_DURATION, session_ttl_ms), 60000, 2592000000,
	  "12h",
	  "How long a staff login token stays valid (ms, s, m or h)." },
	{ "login_max_failures", F(K_INT, login_max_failures), 1, 1000, "5",
	  "Failed logins in a row after which an account is locked." },
	{ "login_lockout", F(K_DURATION, login_lockout_ms), 1000, 86400000,
	  "15m",
	  "How long an account stays locked after too many failed logins." },
	{ "password_memory", F(K_SIZE, password_memory), 8192, 1L << 30,
	  "64m",
	  "Memory of one argon2id password hash (bytes; suffix k, m or g): "
	  "more is slower to guess." },
	{ "password_ops", F(K_INT, password_ops), 1, 100, "2",
	  "Passes of one argon2id password hash." },
	{ "login_max_per_address", F(K_INT, login_max_per_address), 1,
	  100000, "30",
	  "Failed staff sign-ins a client address may make in one window "
	  "(any accounts) before it gets 429." },
	{ "login_window", F(K_DURATION, login_window_ms), 1000, 86400000,
	  "15m",
	  "The window of login_max_per_address (ms, s, m or h)." },
	{ "lookup_max_failures", F(K_INT, lookup_max_failures), 1, 100000,
	  "20",
	  "Failed public dossier look-ups a client address may make in one "
	  "window before it gets 429." },
	{ "lookup_max_per_code", F(K_INT, lookup_max_per_code), 1, 100000,
	  "10",
	  "Failed public look-ups of one dossier code in one window, from "
	  "any addresses together, before that code gets 429." },
	{ "lookup_window", F(K_DURATION, lookup_window_ms), 1000, 86400000,
	  "10m",
	  "The window of lookup_max_failures (ms, s, m or h)." },
	{ "watch_interval", F(K_DURATION, watch_interval_ms), 0, 86400000,
	  "1m",
	  "How often the deadline watch looks for dossiers due soon or "
	  "overdue (ms, s, m or h); 0 turns it off in this process." },
	{ "watch_batch", F(K_INT, watch_batch), 1, 10000, "200",
	  "Dossiers the deadline watch handles in one transaction." },
	{ "idempotency_ttl", F(K_DURATION, idempotency_ttl_ms), 3600000,
	  8760L * 3600000, "168h",
	  "How long an Idempotency-Key answers with the dossier it made "
	  "(1h to 8760h); older keys are forgotten by the deadline watch." },
	{ "backup_dir", S(backup_dir), 0, 0, "",
	  "Where motcua serve backs a SQLite installation up by itself, "
	  "every backup_interval (as motcua backup --to); empty: never." },
	{ "backup_interval", F(K_DURATION, backup_interval_ms), 1000,
	  604800000, "24h",
	  "How often the scheduled backup runs (s, m or h; 1s to 168h)." },
	{ "backup_keep", F(K_INT, backup_keep), 1, 1000, "7",
	  "Scheduled backups kept in backup_dir: older ones are removed "
	  "once a new one is whole." },
	{ "webhook_allow", S(webhook_allow), 0, 0, "",
	  "Private networks (loopback, RFC 1918, link-local …) webhooks may "
	  "be delivered to, comma-separated addresses or CIDR blocks; "
	  "empty: public addresses only." },
	{ "trusted_proxies", S(trusted_proxies), 0, 0, "",
	  "Proxies in front of motcua whose X-Forwarded-For names the "
	  "client (comma-separated addresses or CIDR blocks); empty: the "
	  "header is ignored and the socket's address is the client." },
	{ "pseudonym_key", S(pseudonym_key), 0, 0, "",
	  "The secret the statistics extract's pseudonyms are keyed with "
	  "(motcua report dossiers; better from the environment, "
	  "MOTCUA_PSEUDONYM_KEY); empty: a new one each time." },
	{ "tls_cert", S(tls_cert), 0, 0, "",
	  "TLS served directly: the certificate chain (PEM file, the "
	  "server's certificate first); empty: plain HTTP (behind a proxy "
	  "that terminates TLS)." },
	{ "tls_key", S(tls_key), 0, 0, "",
	  "The private key of tls_cert (PEM file, readable by motcua "
	  "only)." },
	{ "public_url", S(public_url), 0, 0, "http://127.0.0.1:8080",
	  "Where citizens reach this service: the base of the look-up links "
	  "in messages." },
	{ "sms_url", S(sms_url), 0, 0, "",
	  "The SMS gateway's endpoint (docs/notifications.md); empty: no "
	  "SMS is queued." },
	{ "sms_token", S(sms_token), 0, 0, "",
	  "The bearer token motcua sends to the SMS gateway." },
	{ "sms_sender", S(sms_sender), 0, 0, "DICHVUCONG",
	  "The brand name (sender id) SMS are sent under." },
	{ "sms_receipt_token", S(sms_receipt_token), 0, 0, "",
	  "The bearer token the gateway sends with delivery receipts; "
	  "empty: receipts are refused." },
	{ "sms_timeout", F(K_DURATION, sms_timeout_ms), 100, 600000, "10s",
	  "Time limit of one request to the SMS gateway." },
	{ "smtp_url", S(smtp_url), 0, 0, "",
	  "The SMTP server mail is sent through: smtp://host:port (STARTTLS "
	  "required, but to a relay on this machine) or smtps://host:port; "
	  "empty: no e-mail is queued." },
	{ "smtp_user", S(smtp_user), 0, 0, "",
	  "User name at the SMTP server; empty: no authentication." },
	{ "smtp_password", S(smtp_password), 0, 0, "",
	  "Password at the SMTP server." },
	{ "mail_from", S(mail_from), 0, 0, "noreply@dichvucong.example.vn",
	  "The address mail is sent from." },
	{ "mail_from_name", S(mail_from_name), 0, 0, "Dịch vụ công",
	  "The name mail is sent under." },
	{ "smtp_timeout", F(K_DURATION, smtp_timeout_ms), 100, 600000, "30s",
	  "Time limit of handing one mail to the SMTP server." },
	{ "message_window", F(K_DURATION, message_window_ms), 1000,
	  604800000, "4h",
	  "How long a message is retried before it fails for good." },
	{ "outbox_workers", F(K_INT, outbox_workers), 0, 64, "2",
	  "Delivery threads in this process; 0: it delivers no messages." },
	{ "outbox_batch", F(K_INT, outbox_batch), 1, 1000, "16",
	  "Messages a delivery thread takes at once." },
	{ "outbox_poll", F(K_DURATION, outbox_poll_ms), 10, 60000, "250ms",
	  "How long a delivery thread waits when nothing is due." },
	{ "outbox_lease", F(K_DURATION, outbox_lease_ms), 1000, 3600000,
	  "60s",
	  "How long a taken message is a worker's; if it has not come back "
	  "by then (killed), another worker sends it again." },
	{ "outbox_retry_min", F(K_DURATION, outbox_retry_min_ms), 1000,
	  3600000, "30s",
	  "First wait before a failed message is tried again; it doubles "
	  "with each attempt." },
	{ "outbox_retry_max", F(K_DURATION, outbox_retry_max_ms), 1000,
	  86400000, "30m",
	  "Longest wait between two attempts." },
	{ "sms_quiet_hours", S(sms_quiet_hours), 0, 0, "",
	  "Local hours no SMS but one-time codes are sent, HH:MM-HH:MM "
	  "(e.g. 21:00-07:00); empty: none." },
	{ "message_recipient_hour", F(K_INT, message_recipient_hour), 0,
	  10000, "10",
	  "Messages one recipient is sent in an hour at most (one-time "
	  "codes apart); 0: no limit." },
	{ "message_rate", F(K_INT, message_rate), 0, 100000, "50",
	  "Messages this process hands over per second at most; 0: no "
	  "limit." },
	{ "otp_ttl", F(K_DURATION, otp_ttl_ms), 60000, 3600000, "5m",
	  "How long a citizen's one-time sign-in code is good for." },
	{ "otp_max_per_id", F(K_INT, otp_max_per_id), 1, 100, "3",
	  "One-time codes sent for one ID number in one otp_window." },
	{ "otp_max_per_address", F(K_INT, otp_max_per_address), 1, 100000,
	  "20",
	  "Code requests and wrong codes from one client address in one "
	  "otp_window before it gets 429." },
	{ "otp_window", F(K_DURATION, otp_window_ms), 60000, 86400000, "15m",
	  "The window of otp_max_per_id and otp_max_per_address." },
	{ "otp_attempts", F(K_INT, otp_attempts), 1, 20, "5",
	  "Wrong tries after which a one-time code no longer works." },
	{ "citizen_session_ttl", F(K_DURATION, citizen_session_ttl_ms),
	  60000, 86400000, "2h",
	  "How long a citizen stays signed in." },
	{ "rating_change_window", F(K_DURATION, rating_change_window_ms), 0,
	  2592000000, "24h",
	  "How long after rating a dossier the rating may still be changed." },
	{ "rating_followup_days", F(K_INT, rating_followup_days), 1, 60, "5",
	  "Working days a leader has to follow up a \"not satisfied\" "
	  "rating." },
	{ "feedback_unit", S(feedback_unit), 0, 0, "",
	  "Code of the unit that takes in feedback from citizens and "
	  "Open311; empty: the root of the unit tree." },
	{ "feedback_reject_days", F(K_INT, feedback_reject_days), 1, 60, "2",
	  "Working days to refuse feedback, from its receipt." },
	{ "feedback_forward_days", F(K_INT, feedback_forward_days), 1, 60,
	  "5", "Working days to forward feedback outside one's competence." },
	{ "feedback_info_days", F(K_INT, feedback_info_days), 1, 60, "5",
	  "Working days to ask the sender for more information." },
	{ "feedback_handle_days", F(K_INT, feedback_handle_days), 1, 120,
	  "15", "Working days to answer feedback, from its receipt or the "
	  "sender's new information." },
	{ "feedback_publish_days", F(K_INT, feedback_publish_days), 1, 60,
	  "2", "Working days to publish an answer." },
	{ "payment_bank_bin", S(payment_bank_bin), 0, 0, "",
	  "The 6-digit BIN of the bank of the account fees are paid into; "
	  "empty: no VietQR payment code." },
	{ "payment_account", S(payment_account), 0, 0, "",
	  "The account fees are paid into (VietQR)." },
	{ "payment_account_name", S(payment_account_name), 0, 0, "",
	  "The account's name as the bank has it, ASCII (VietQR)." },
	{ "payment_dvcqg_url", S(payment_dvcqg_url), 0, 0, "",
	  "Where citizens pay on the national portal's payment platform "
	  "(DuocThanhToanTrucTuyen 1); empty: not offered." },
	{ "payment_dvcqg_secret", S(payment_dvcqg_secret), 0, 0, "",
	  "The key the national portal's platform signs callbacks and "
	  "motcua signs payment links with (HMAC-SHA256)." },
	{ "payment_gateway_url", S(payment_gateway_url), 0, 0, "",
	  "Where citizens pay on the province's own payment gateway "
	  "(DuocThanhToanTrucTuyen 2); empty: not offered." },
	{ "payment_gateway_secret", S(payment_gateway_secret), 0, 0, "",
	  "The key the province's gateway signs callbacks and motcua signs "
	  "payment links with (HMAC-SHA256)." },
	{ "payment_callback_skew", F(K_DURATION, payment_callback_skew_ms),
	  10000, 3600000, "5m",
	  "How far a callback's timestamp may be from motcua's clock; nonces "
	  "are remembered for twice that." },
	{ "files_dir", S(files_dir), 0, 0, "var/files",
	  "Where files are stored, by content (SHA-256), and uploads wait "
	  "until complete." },
	{ "upload_max", F(K_SIZE, upload_max), 1024, 1L << 33, "512m",
	  "Largest file an upload may bring (bytes; suffix k, m or g). "
	  "Each request brings at most max_body of it." },
	{ "upload_ttl", F(K_DURATION, upload_ttl_ms), 60000, 604800000,
	  "24h",
	  "How long an unfinished upload may be resumed." },
	{ "report_cutoff", F(K_INT, report_cutoff), 0, 28, "15",
	  "Day of the month the official reporting periods start on (ND "
	  "09/2019: the 15th; a period ends the day before); 0 for "
	  "calendar months." },
	{ "index766", S(index766), 0, 0, "",
	  "Points and thresholds of the 766 index's indicators, where they "
	  "differ from the defaults: space-separated ID=POINTS or "
	  "ID=POINTS:THRESHOLD_PERCENT (\"4.3=6:50 1.4=0\")." },
	{ "report_template", S(report_template), 0, 0, "",
	  "The province's template of the half-year report (Markdown with "
	  "{{figures}}), for the API and the command line; empty: the "
	  "built-in one. Checked when the server starts." },
	{ "portal_url", S(portal_url), 0, 0, "",
	  "Base URL of the national public-service portal's gateway "
	  "(docs/national-portal.md); empty: nothing is sent to it." },
	{ "portal_file_hosts", S(portal_file_hosts), 0, 0, "",
	  "Hosts besides portal_url's that the files of dossiers filed on "
	  "the portal may be fetched from (comma-separated); any other "
	  "link or redirect is refused." },
	{ "portal_client_id", S(portal_client_id), 0, 0, "",
	  "The client id motcua takes its portal token with." },
	{ "portal_client_secret", S(portal_client_secret), 0, 0, "",
	  "The client secret for the portal's token (better from the "
	  "environment, MOTCUA_PORTAL_CLIENT_SECRET)." },
	{ "portal_path_token", S(portal_path_token), 0, 0, "/token",
	  "The portal gateway's token path (client credentials)." },
	{ "portal_path_create", S(portal_path_create), 0, 0, "/hoso/themmoi",
	  "The path that creates a dossier on the portal." },
	{ "portal_path_update", S(portal_path_update), 0, 0, "/hoso/capnhat",
	  "The path that updates one." },
	{ "portal_path_steps", S(portal_path_steps), 0, 0, "/hoso/tiendo",
	  "The path that records a dossier's steps." },
	{ "portal_path_lookup", S(portal_path_lookup), 0, 0, "/hoso/tracuu",
	  "The path that says what the portal holds of a dossier." },
	{ "portal_path_filed", S(portal_path_filed), 0, 0, "/hoso/moi",
	  "The path that hands over the dossiers filed on the portal." },
	{ "portal_timeout", F(K_DURATION, portal_timeout_ms), 100, 600000,
	  "15s",
	  "How long one request to the portal may take." },
	{ "portal_retry_min", F(K_DURATION, portal_retry_min_ms), 1000,
	  3600000, "10s",
	  "First wait before an event the portal did not take is tried "
	  "again; it doubles with each attempt." },
	{ "portal_retry_max", F(K_DURATION, portal_retry_max_ms), 1000,
	  86400000, "10m",
	  "Longest wait between two attempts of an event." },
	{ "portal_breaker_failures", F(K_INT, portal_breaker_failures), 1,
	  1000, "5",
	  "Failures running (no answer, 5xx) after which nothing is sent to "
	  "the portal for a pause." },
	{ "portal_breaker_pause", F(K_DURATION, portal_breaker_pause_ms),
	  1000, 3600000, "30s",
	  "The first such pause; then one event tries the portal, and the "
	  "pause doubles while it is still down." },
	{ "portal_breaker_max", F(K_DURATION, portal_breaker_max_ms), 1000,
	  86400000, "5m",
	  "Longest pause." },
	{ "portal_inbound", F(K_DURATION, portal_inbound_ms), 0, 3600000,
	  "1m",
	  "How often the portal is asked for the dossiers filed on it since "
	  "the last it handed over; 0: never." },
	{ "portal_reconcile", F(K_DURATION, portal_reconcile_ms), 0,
	  604800000, "24h",
	  "How often the status the portal holds of each dossier is compared "
	  "with motcua's, and put right where it differs; 0: never." },
	{ "portal_reconcile_days", F(K_INT, portal_reconcile_days), 1, 3650,
	  "30",
	  "Finished dossiers are compared for this many days after they "
	  "finish (open ones always)." },
	{ "registry_population_url", S(registry_population_url), 0, 0, "",
	  "The province's gateway to the national population database "
	  "(SOAP TraCuuThongTinCongDan, docs/registries.md); empty: the "
	  "counter types applicants in." },
	{ "registry_population_token", S(registry_population_token), 0, 0,
	  "",
	  "The bearer token for that gateway (better from the environment, "
	  "MOTCUA_REGISTRY_POPULATION_TOKEN)." },
	{ "registry_business_url", S(registry_business_url), 0, 0, "",
	  "The province's gateway to the national business registration "
	  "database (JSON ChiTietDoanhNghiep, docs/registries.md); empty: "
	  "organizations are typed in." },
	{ "registry_business_token", S(registry_business_token), 0, 0, "",
	  "The bearer token for that gateway (better from the environment, "
	  "MOTCUA_REGISTRY_BUSINESS_TOKEN)." },
	{ "registry_timeout", F(K_DURATION, registry_timeout_ms), 100, 30000,
	  "3s",
	  "How long a look-up may take before the officer is told to type "
	  "the applicant in." },
	{ "registry_cache", F(K_DURATION, registry_cache_ms), 0, 3600000,
	  "10m",
	  "How long an answer is kept in memory (the same person asked for "
	  "again is not asked of the database); 0: not kept." },
	{ "oidc_issuer", S(oidc_issuer), 0, 0, "",
	  "The OpenID provider citizens sign in with VNeID through (the "
	  "national portal's single sign-on, docs/citizens.md), exactly as "
	  "its discovery document names itself; empty: no VNeID sign-in." },
	{ "oidc_client_id", S(oidc_client_id), 0, 0, "",
	  "motcua's client id at that provider." },
	{ "oidc_client_secret", S(oidc_client_secret), 0, 0, "",
	  "Its secret, sent in the token request (client_secret_post); empty: "
	  "a public client, PKCE alone (better from the environment, "
	  "MOTCUA_OIDC_CLIENT_SECRET)." },
	{ "oidc_redirect_uri", S(oidc_redirect_uri), 0, 0, "",
	  "Where the provider sends citizens back, as registered with it; "
	  "empty: public_url followed by /api/v1/citizen/oidc/callback." },
	{ "oidc_scopes", S(oidc_scopes), 0, 0, "openid",
	  "The scopes asked for, separated by spaces (openid first)." },
	{ "oidc_acr_values", S(oidc_acr_values), 0, 0, "",
	  "The assurance level asked for (acr_values, e.g. LoA1 on the "
	  "national portal); empty: not asked." },
	{ "oidc_claim_id", S(oidc_claim_id), 0, 0, "SoDinhDanh",
	  "The claim holding the citizen's 12-digit personal ID." },
	{ "oidc_claim_name", S(oidc_claim_name), 0, 0, "HoVaTen",
	  "The claim holding the citizen's full name." },
	{ "oidc_timeout", F(K_DURATION, oidc_timeout_ms), 100, 60000, "10s",
	  "How long one request to the provider may take." },
	{ "zalo_url", S(zalo_url), 0, 0, "",
	  "The Zalo Notification Service endpoint that sends a template "
	  "message of the province's Official Account to a phone "
	  "(https://business.openapi.zalo.me/message/template); empty: no "
	  "Zalo. Used only with sms_url: SMS is its fallback." },
	{ "zalo_access_token", S(zalo_access_token), 0, 0, "",
	  "The Official Account's access token (better from the "
	  "environment, MOTCUA_ZALO_ACCESS_TOKEN)." },
	{ "zalo_timeout", F(K_DURATION, zalo_timeout_ms), 100, 60000, "10s",
	  "How long one request to Zalo may take." },
	{ "zalo_attempts", F(K_INT, zalo_attempts), 1, 20, "3",
	  "Attempts of a message Zalo did not take (the service failing) "
	  "before it goes by SMS instead; one Zalo refuses (no Zalo on the "
	  "phone) goes by SMS at once." },
	{ "zalo_app_id", S(zalo_app_id), 0, 0, "",
	  "The Zalo app's id, which signs the Official Account's webhook "
	  "(POST /api/v1/messages/receipts/zalo); empty: the webhook is "
	  "off." },
	{ "zalo_oa_secret_key", S(zalo_oa_secret_key), 0, 0, "",
	  "The Official Account's secret key, which signs its webhook "
	  "(better from the environment, MOTCUA_ZALO_OA_SECRET_KEY)." },
};

#undef S
#undef F

static const struct key *find_key(const char *name)
{
	char norm[64];
	size_t i;

	for (i = 0; name[i] && i + 1 < sizeof(norm); i++)
		norm[i] = name[i] == '-' ? '_' : name[i];
	if (name[i])
		return NULL;
	norm[i] = '\0';
	for (i = 0; i < MC_ARRAY_SIZE(keys); i++)
		if (strcmp(keys[i].name, norm) == 0)
			return &keys[i];
	return NULL;
}

bool mc_config_has_key(const char *key)
{
	return find_key(key) != NULL;
}

bool mc_config_key_doc(size_t i, const char **name, const char **def,
		       const char **help)
{
	if (i >= MC_ARRAY_SIZE(keys))
		return false;
	*name = keys[i].name;
	*def = keys[i].def;
	*help = keys[i].help;
	return true;
}

static int parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true") ||
	    !strcmp(v, "1")) {
		*out = true;
		return 0;
	}
	if (!strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "false") ||
	    !strcmp(v, "0")) {
		*out = false;
		return 0;
	}
	return MC_EINVAL;
}

static int apply(struct mc_config *cfg, const struct key *k, const char *v,
		 const char *origin, struct mc_err *err)
{
	char *base = (char *)cfg + k->offset;
	uint64_t size;
	int64_t ms;
	long n;
	char *end;

	switch (k->kind) {
	case K_STRING:
		if (strlen(v) >= k->size)
			return mc_err_field(err, k->name, "max_length", "%s: "
					    "longer than %zu bytes", origin,
					    k->size - 1);
		memcpy(base, v, strlen(v) + 1);
		return 0;
	case K_INT:
		errno = 0;
		n = strtol(v, &end, 10);
		if (!*v || *end || errno || n < k->min || n > k->max)
			return mc_err_field(err, k->name, "range", "%s: '%s' "
					    "is not a whole number from %ld to "
					    "%ld", origin, v, k->min, k->max);
		*(int *)(void *)base = (int)n;
		return 0;
	case K_SIZE:
		if (mc_size_parse(v, &size) || size > (uint64_t)k->max)
			return mc_err_field(err, k->name, "size", "%s: '%s' is "
					    "not a size up to 1g (e.g. 512k, "
					    "1m)", origin, v);
		*(uint64_t *)(void *)base = size;
		return 0;
	case K_DURATION:
		if (mc_duration_parse(v, &ms) || ms < k->min || ms > k->max)
			return mc_err_field(err, k->name, "duration", "%s: "
					    "'%s' is not a duration from %ldms "
					    "to %lds (e.g. 500ms, 30s, 5m)",
					    origin, v, k->min, k->max / 1000);
		*(int64_t *)(void *)base = ms;
		return 0;
	case K_BOOL:
		if (parse_bool(v, (bool *)(void *)base))
			return mc_err_field(err, k->name, "bool", "%s: '%s' is "
					    "not on or off", origin, v);
		return 0;
	case K_DURABILITY:
		if (!strcmp(v, "full"))
			cfg->durability = MC_DURABILITY_FULL;
		else if (!strcmp(v, "normal"))
			cfg->durability = MC_DURABILITY_NORMAL;
		else
			return mc_err_field(err, k->name, "enum", "%s: '%s' is "
					    "not full or normal", origin, v);
		return 0;
	case K_LOGLEVEL:
		if (mc_log_level_parse(v, &cfg->log_level))
			return mc_err_field(err, k->name, "enum", "%s: '%s' is "
					    "not debug, info, warn or error",
					    origin, v);
		return 0;
	}
	return mc_error(err, MC_EINTERNAL, "bad key table");
}

void mc_config_defaults(struct mc_config *cfg)
{
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < MC_ARRAY_SIZE(keys); i++)
		if (apply(cfg, &keys[i], keys[i].def, "default", NULL))
			mc_panic("bad default for %s", keys[i].name);
}

int mc_config_set(struct mc_config *cfg, const char *key, const char *value,
		  const char *origin, struct mc_err *err)
{
	const struct key *k = find_key(key);

	if (!k) {
		mc_error(err, MC_ENOTFOUND, "%s: unknown configuration key "
			 "'%s'", origin, key);
		return MC_ENOTFOUND;
	}
	return apply(cfg, k, value, origin, err);
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int load_file(struct mc_config *cfg, const char *path,
		     struct mc_err *err)
{
	struct mc_buf b = MC_BUF_INIT(1 << 20);
	char origin[600];
	char *line, *next;
	int rc, lineno = 0;

	rc = mc_buf_read_file(&b, path);
	if (rc) {
		rc = mc_error(err, MC_EIO, "cannot read configuration file "
			      "%s: %s", path, rc == MC_ETOOBIG ?
			      "larger than 1 MiB" : strerror(errno));
		goto out;
	}
	snprintf(cfg->config_path, sizeof(cfg->config_path), "%s", path);
	for (line = b.buf; line && *line; line = next) {
		char *eq, *key, *val, *hash;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		snprintf(origin, sizeof(origin), "%s:%d", path, lineno);
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		line = trim(line);
		if (!*line)
			continue;
		eq = strchr(line, '=');
		if (!eq) {
			rc = mc_error(err, MC_EINVAL, "%s: expected 'key = "
				      "value', got '%s'", origin, line);
			goto out;
		}
		*eq = '\0';
		key = trim(line);
		val = trim(eq + 1);
		if (strlen(val) >= 2 && val[0] == '"' &&
		    val[strlen(val) - 1] == '"') {
			val[strlen(val) - 1] = '\0';
			val++;
		}
		rc = mc_config_set(cfg, key, val, origin, err);
		if (rc == MC_ENOTFOUND)
			rc = MC_EINVAL;
		if (rc)
			goto out;
	}
	rc = 0;
out:
	mc_buf_release(&b);
	return rc;
}

/* Environment variables that are not keys but are allowed. */
static bool env_allowed(const char *name)
{
	return strcmp(name, "MOTCUA_CONFIG") == 0 ||
	       strncmp(name, "MOTCUA_TEST_", 12) == 0;
}

int mc_config_load(struct mc_config *cfg, const char *path,
		   char *const *envp, struct mc_err *err)
{
	char *const *e;
	int rc;

	if (!path && envp) {
		for (e = envp; *e; e++)
			if (strncmp(*e, "MOTCUA_CONFIG=", 14) == 0)
				path = *e + 14;
	}
	if (path && *path) {
		rc = load_file(cfg, path, err);
		if (rc)
			return rc;
		snprintf(cfg->file, sizeof(cfg->file), "%s", path);
	} else if (access("motcua.conf", F_OK) == 0) {
		rc = load_file(cfg, "motcua.conf", err);
		if (rc)
			return rc;
		snprintf(cfg->file, sizeof(cfg->file), "motcua.conf");
	}
	for (e = envp; e && *e; e++) {
		char name[80], key[80];
		const char *eq = strchr(*e, '=');
		size_t n, i;

		if (strncmp(*e, "MOTCUA_", 7) != 0 || !eq)
			continue;
		n = (size_t)(eq - *e);
		if (n >= sizeof(name))
			return mc_error(err, MC_EINVAL, "environment: variable "
					"name too long: %.40s…", *e);
		memcpy(name, *e, n);
		name[n] = '\0';
		if (env_allowed(name))
			continue;
		for (i = 7; i <= n; i++)
			key[i - 7] = (char)(name[i] >= 'A' && name[i] <= 'Z' ?
					    name[i] - 'A' + 'a' : name[i]);
		rc = mc_config_set(cfg, key, eq + 1, name, err);
		if (rc == MC_ENOTFOUND)
			return mc_error(err, MC_EINVAL, "environment: %s is not "
					"a motcua setting (no key '%s')", name,
					key);
		if (rc)
			return rc;
	}
	return 0;
}

void mc_config_dump(const struct mc_config *cfg, FILE *out)
{
	char buf[64];
	size_t i;

	for (i = 0; i < MC_ARRAY_SIZE(keys); i++) {
		const struct key *k = &keys[i];
		const char *base = (const char *)cfg + k->offset;

		fprintf(out, "%s = ", k->name);
		switch (k->kind) {
		case K_STRING:
			fprintf(out, "%s\n", base);
			break;
		case K_INT:
			fprintf(out, "%d\n", *(const int *)(const void *)base);
			break;
		case K_SIZE:
			fprintf(out, "%" PRIu64 "\n",
				*(const uint64_t *)(const void *)base);
			break;
		case K_DURATION:
			fprintf(out, "%" PRId64 "ms\n",
				*(const int64_t *)(const void *)base);
			break;
		case K_BOOL:
			fprintf(out, "%s\n", *(const bool *)(const void *)base ?
				"on" : "off");
			break;
		case K_DURABILITY:
			fprintf(out, "%s\n", cfg->durability ==
				MC_DURABILITY_FULL ? "full" : "normal");
			break;
		case K_LOGLEVEL:
			snprintf(buf, sizeof(buf), "%s",
				 mc_log_level_name(cfg->log_level));
			fprintf(out, "%s\n", buf);
			break;
		}
	}
}

char *mc_config_redact(const char *url, char *out, size_t n)
{
	const char *scheme = strstr(url, "://"), *at, *colon, *pw;
	size_t k;

	if (scheme && (at = strchr(scheme + 3, '@')) &&
	    (colon = memchr(scheme + 3, ':', (size_t)(at - scheme - 3)))) {
		/* postgres://user:password@host… */
		snprintf(out, n, "%.*s***%s", (int)(colon + 1 - url), url, at);
		return out;
	}
	if ((pw = strstr(url, "password=")) &&
	    (pw == url || pw[-1] == ' ' || pw[-1] == '?' || pw[-1] == '&')) {
		/* keyword=value strings and URL parameters */
		k = strcspn(pw + 9, " &");
		snprintf(out, n, "%.*s***%s", (int)(pw + 9 - url), url,
			 pw + 9 + k);
		return out;
	}
	snprintf(out, n, "%s", url);
	return out;
}
