/*
 * config.h — motcua's configuration: every key, its type, its default and
 * its documentation in one table (config.c), read in this order, each
 * overriding the one before:
 *
 *	1. the defaults in the table;
 *	2. the configuration file: --config PATH, else $MOTCUA_CONFIG, else
 *	   ./motcua.conf when it exists ("key = value" lines, '#' comments);
 *	3. the environment: MOTCUA_<KEY> (upper case), e.g. MOTCUA_DB;
 *	4. command-line flags: --key VALUE or --key=VALUE ('_' or '-').
 *
 * An unknown key, in any of the three sources, or a bad value is an error
 * that names the key, where it came from and the rule it broke.
 */
#ifndef MC_CORE_CONFIG_H
#define MC_CORE_CONFIG_H

#include "core/compat.h"
#include "core/err.h"
#include "core/log.h"

enum mc_durability {
	MC_DURABILITY_FULL,	/* fsync on commit: survives power loss */
	MC_DURABILITY_NORMAL	/* survives a process crash, not power loss */
};

struct mc_config {
	char config_path[512];		/* file read, "" if none */
	char file[512];			/* the file it was read from; "" */
	char db[512];			/* database: a SQLite file path */
	char db_replica[512];		/* PostgreSQL read replica, or "" */
	int64_t replica_max_lag_ms;	/* staler than this: not read */
	char listen[128];		/* host:port */
	int threads;			/* event loops; 0 = one per core */
	int workers;			/* blocking-work threads; 0 = auto */
	char web_root[512];		/* static files */
	uint64_t max_body;		/* request body limit, bytes */
	int64_t request_timeout_ms;	/* limit on handling one request */
	int64_t io_timeout_ms;		/* idle socket limit */
	int64_t shutdown_timeout_ms;	/* grace period on SIGTERM */
	enum mc_durability durability;
	int64_t busy_timeout_ms;	/* SQLite lock wait */
	int write_batch;		/* writes per group commit, at most */
	int writers;			/* writer lanes; 0 = by backend */
	enum mc_log_level log_level;
	bool access_log;		/* log every request */
	char calendar_files[1024];	/* extra calendar files, space-separated */
	int64_t session_ttl_ms;		/* life of a staff login token */
	int login_max_failures;		/* failed logins before a lock */
	int64_t login_lockout_ms;	/* how long the lock lasts */
	uint64_t password_memory;	/* argon2id memory per hash, bytes */
	int password_ops;		/* argon2id passes */
	int login_max_per_address;	/* failed staff sign-ins per window */
	int64_t login_window_ms;	/* the window, per client address */
	int lookup_max_failures;	/* failed public look-ups per window */
	int lookup_max_per_code;	/* the same for one dossier code */
	int64_t lookup_window_ms;	/* the window, per client address */
	int64_t watch_interval_ms;	/* deadline watch period; 0: off */
	int watch_batch;		/* dossiers per watch transaction */
	int64_t idempotency_ttl_ms;	/* keys remembered */
	char backup_dir[512];		/* scheduled backups; "": none */
	int64_t backup_interval_ms;	/* between them */
	int backup_keep;		/* how many are kept */
	char trusted_proxies[512];	/* whose X-Forwarded-For counts */
	char webhook_allow[512];	/* private nets webhooks may reach */
	char pseudonym_key[256];	/* statistics extracts; "": random */
	char tls_cert[512];		/* TLS served directly; "": none */
	char tls_key[512];
	char public_url[256];		/* base of links in messages */
	char sms_url[512];		/* SMS gateway; "": no SMS */
	char sms_token[256];		/* our token at the gateway */
	char sms_sender[32];		/* brand name shown as sender */
	char sms_receipt_token[256];	/* the gateway's for receipts */
	int64_t sms_timeout_ms;
	int64_t message_window_ms;	/* how long delivery is tried */
	char smtp_url[512];		/* SMTP server; "": no e-mail */
	char smtp_user[256];
	char smtp_password[256];
	char mail_from[256];		/* sender address */
	char mail_from_name[256];	/* sender name */
	int64_t smtp_timeout_ms;
	int outbox_workers;		/* delivery threads; 0: none here */
	int outbox_batch;
	int64_t outbox_poll_ms;
	int64_t outbox_lease_ms;
	int64_t outbox_retry_min_ms;
	int64_t outbox_retry_max_ms;
	char sms_quiet_hours[16];	/* "21:00-07:00", "" none */
	int message_recipient_hour;	/* per recipient and hour; 0: any */
	int message_rate;		/* per second and process; 0: any */
	int64_t otp_ttl_ms;		/* life of a one-time code */
	int otp_max_per_id;		/* codes per ID per window */
	int otp_max_per_address;	/* requests per address per window */
	int64_t otp_window_ms;
	int otp_attempts;		/* wrong tries that end a code */
	int64_t citizen_session_ttl_ms;
	int64_t rating_change_window_ms; /* a rating may change this long */
	int rating_followup_days;	/* working days to follow up */
	char feedback_unit[64];		/* takes in feedback; "": the root */
	int feedback_reject_days;	/* working-day limits of the steps */
	int feedback_forward_days;
	int feedback_info_days;
	int feedback_handle_days;
	int feedback_publish_days;
	char payment_bank_bin[8];	/* the collecting account's bank */
	char payment_account[24];
	char payment_account_name[32];	/* ASCII, as the bank has it */
	char payment_dvcqg_url[512];	/* the national portal's platform */
	char payment_dvcqg_secret[256];
	char payment_gateway_url[512];	/* the province's own gateway */
	char payment_gateway_secret[256];
	int64_t payment_callback_skew_ms; /* callback clocks may differ */
	char files_dir[512];		/* stored files and uploads */
	uint64_t upload_max;		/* largest upload, bytes */
	int64_t upload_ttl_ms;		/* an unfinished upload lasts */
	int report_cutoff;		/* reporting periods' first day */
	char index766[512];		/* the 766 index's weights */
	char report_template[512];	/* the half-year report's; "": built in */
	char portal_url[512];		/* the national portal; "": off */
	char portal_file_hosts[512];	/* files may also come from */
	char portal_client_id[128];
	char portal_client_secret[256];
	char portal_path_token[128];	/* the gateway's paths */
	char portal_path_create[128];
	char portal_path_update[128];
	char portal_path_steps[128];
	char portal_path_lookup[128];
	char portal_path_filed[128];
	int64_t portal_timeout_ms;
	int64_t portal_retry_min_ms;	/* back-off per event */
	int64_t portal_retry_max_ms;
	int portal_breaker_failures;	/* failures running that pause it */
	int64_t portal_breaker_pause_ms;	/* the first pause; doubles */
	int64_t portal_breaker_max_ms;
	int64_t portal_inbound_ms;	/* ask for dossiers filed; 0: never */
	int64_t portal_reconcile_ms;	/* compare with the portal; 0: never */
	int portal_reconcile_days;
	char registry_population_url[512];	/* CSDLQG về dân cư; "": off */
	char registry_population_token[512];
	char registry_business_url[512];	/* đăng ký doanh nghiệp; "": off */
	char registry_business_token[512];
	int64_t registry_timeout_ms;	/* a look-up's limit */
	int64_t registry_cache_ms;	/* an answer is kept this long */
	char oidc_issuer[512];		/* VNeID sign-in's provider; "": off */
	char oidc_client_id[256];
	char oidc_client_secret[512];
	char oidc_redirect_uri[512];	/* "": public_url + the callback */
	char oidc_scopes[256];
	char oidc_acr_values[64];
	char oidc_claim_id[64];		/* the personal ID's claim */
	char oidc_claim_name[64];	/* the full name's claim */
	int64_t oidc_timeout_ms;	/* each request to the provider */
	char zalo_url[512];		/* ZNS send endpoint; "": no Zalo */
	char zalo_access_token[600];	/* the Official Account's */
	int64_t zalo_timeout_ms;
	int zalo_attempts;		/* then by SMS instead */
	char zalo_app_id[64];		/* its webhook's signature: */
	char zalo_oa_secret_key[256];
};

/* Fills 'cfg' with the defaults. */
void mc_config_defaults(struct mc_config *cfg);

/*
 * Applies the file, then the environment ('envp' as from main, may be
 * NULL). 'path' is the --config flag or NULL. Returns 0 or MC_EINVAL /
 * MC_EIO with 'err' naming the key and the source.
 */
int mc_config_load(struct mc_config *cfg, const char *path,
		   char *const *envp, struct mc_err *err);

/*
 * Sets one key from a flag or other source named 'origin' (for messages).
 * 'key' may use '-' for '_'. Returns 0, MC_ENOTFOUND when no such key, or
 * MC_EINVAL for a bad value.
 */
int mc_config_set(struct mc_config *cfg, const char *key, const char *value,
		  const char *origin, struct mc_err *err);

/* Whether 'key' ('-' or '_') is a configuration key. */
bool mc_config_has_key(const char *key);

/*
 * Documentation of the keys: for i = 0, 1, … fills name, default text and
 * help; returns false past the last key.
 */
bool mc_config_key_doc(size_t i, const char **name, const char **def,
		       const char **help);

/* Writes the effective configuration as "key = value" lines. */
void mc_config_dump(const struct mc_config *cfg, FILE *out);

/*
 * 'url' (a database address) fit to be shown or logged: the password of
 * a "postgres://user:password@host/db" URL, and of a "password=…" key
 * of a keyword string, replaced by "***"; a SQLite path as it is.
 * Returns 'out'.
 */
char *mc_config_redact(const char *url, char *out, size_t n);

#endif /* MC_CORE_CONFIG_H */
