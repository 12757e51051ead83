/*
 * app.h — the one application object, built in main() and passed down
 * explicitly (no mutable globals, STYLE.md §12). Each member is owned by
 * the app and released by the command that set it up.
 */
#ifndef MC_APP_H
#define MC_APP_H

#include "core/compat.h"
#include "core/config.h"
#include "core/log.h"
#include "domain/index766.h"

struct mc_calendar;
struct mc_certify_key;
struct mc_jobs;
struct mc_notify;
struct mc_outbox;
struct mc_watch;
struct mc_oidc;
struct mc_ratelimit;
struct mc_server;
struct mc_store;
struct mc_writer;

struct mc_app {
	struct mc_config cfg;		/* effective configuration */
	struct mc_log log;
	struct mc_store *store;		/* NULL until opened */
	struct mc_store *replica;	/* read replica (db_replica), or NULL */
	struct mc_calendar *cal;	/* the working calendar */
	struct mc_ix_weights ix_weights;	/* the 766 index's, in force */
	struct mc_writer *writer;	/* the single writer */
	struct mc_jobs *jobs;		/* worker threads */
	struct mc_watch *watch;		/* the deadline watch, NULL if off */
	struct mc_outbox *outbox;	/* delivery threads, NULL if none */
	struct mc_portal *portal;	/* the national portal's sender, or NULL */
	struct mc_registry *registry;	/* the population database, or NULL */
	struct mc_oidc *oidc;		/* VNeID sign-in's provider, or NULL */
	/* Messages writes queue (channels, links); NULL: none. */
	struct mc_notify *notify;
	struct mc_server *server;
	struct mc_ratelimit *lookup_limit;	/* failed public look-ups */
	struct mc_ratelimit *lookup_code_limit;	/* the same, per code */
	struct mc_ratelimit *login_limit;	/* failed staff sign-ins */
	struct mc_ratelimit *citizen_limit;	/* code requests, wrong codes */
	struct mc_certify_key *scan_key;	/* certifies scans; NULL: none */
	/* A hash of no one's password, checked for unknown users so that a
	 * login takes as long whether the user exists or not. */
	char password_dummy[160];
	int64_t started_ms;		/* wall clock at start */
	/* The scheduled backups so far (backup_dir), for /metrics. */
	_Atomic int64_t backup_made, backup_failures;
	_Atomic int64_t backup_last_at;	/* wall clock, seconds; 0: none */
	_Atomic int64_t backup_last_ms;	/* how long the last one took */
	/*
	 * Tests only: a file holding the instant the server takes as "now"
	 * ($MOTCUA_TEST_CLOCK), re-read at each use; "" for the real clock.
	 */
	char clock_file[512];
};

#endif /* MC_APP_H */
