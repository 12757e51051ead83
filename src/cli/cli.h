/*
 * cli.h — the command line: 'motcua <command> [options]'. Each command is
 * one cmd_<name>.c with a help text and a function returning the exit
 * status: 0 success, 1 failure, 2 bad usage or bad input (the message
 * names the option and the rule).
 */
#ifndef MC_CLI_CLI_H
#define MC_CLI_CLI_H

#include "core/compat.h"
#include "core/err.h"
#include "app.h"
#include "store/store.h"

#include <sys/types.h>

#define MC_CLI_MAX_OPTS 24
#define MC_CLI_MAX_VALUES 64
#define MC_CLI_MAX_POS 8

/* An option a command takes: --name VALUE, or --name for a flag. */
struct mc_opt {
	const char *name;
	bool has_arg;
	bool repeat;		/* may be given several times */
};

struct mc_args {
	const char *values[MC_CLI_MAX_OPTS][MC_CLI_MAX_VALUES];
	size_t nvalues[MC_CLI_MAX_OPTS];
	const char *pos[MC_CLI_MAX_POS];	/* positional arguments */
	size_t npos;
	bool help;
	const char *config;		/* --config PATH */
	/* Configuration keys given as flags, applied after file and env. */
	const char *cfg_keys[MC_CLI_MAX_VALUES];
	const char *cfg_vals[MC_CLI_MAX_VALUES];
	size_t ncfg;
};

/*
 * Parses argv[0..argc) (after the command words) against 'opts'
 * (NULL-terminated by name). With 'config_flags', any configuration key is
 * also accepted as --key VALUE. Returns 0 or 2 after printing the error
 * for 'cmd' on stderr.
 */
int mc_cli_parse(const char *cmd, int argc, char **argv,
		 const struct mc_opt *opts, bool config_flags,
		 struct mc_args *out);

/* The last value of option number 'i' in 'opts', or NULL. */
const char *mc_cli_value(const struct mc_args *a, size_t i);

/*
 * Builds app->cfg from defaults, the file, the environment and the flags
 * collected in 'a'; sets the log level. Returns 0 or 2 after printing.
 */
int mc_cli_config(const char *cmd, struct mc_app *app,
		  const struct mc_args *a, char **envp);

/*
 * Builds app->cal from the built-in calendar, the configured
 * calendar_files and 'extra' files. Returns 0 or 2 after printing.
 */
int mc_cli_calendar(const char *cmd, struct mc_app *app,
		    const char *const *extra, size_t nextra);

/*
 * Opens app->store (app->cfg.db) and a connection to it in '*c'. With
 * 'migrate' the database is created if missing and migrated; otherwise it
 * must exist with no migration pending. Returns 0 or 1 after printing.
 * The caller closes with mc_cli_store_close.
 */
int mc_cli_store(const char *cmd, struct mc_app *app, bool migrate,
		 struct mc_conn **c);
void mc_cli_store_close(struct mc_app *app, struct mc_conn *c);

/*
 * The deadline watch's options from app->cfg, over app->writer and
 * app->cal, with the server's clock (cmd_serve.c).
 */
struct mc_watch_opts;
void mc_cli_watch_opts(struct mc_app *app, struct mc_watch_opts *o);

/*
 * Messages: app->notify from the configuration (NULL when no channel is
 * configured), freed by mc_cli_notify_free; and the delivery workers'
 * options over app->writer (cmd_serve.c).
 */
struct mc_outbox_opts;
void mc_cli_notify(struct mc_app *app);
void mc_cli_notify_free(struct mc_app *app);
int mc_cli_outbox_opts(struct mc_app *app, struct mc_outbox_opts *o,
		       struct mc_err *err);
/* The national portal's sender's options over app->writer (cmd_serve.c). */
struct mc_portal_opts;
void mc_cli_portal_opts(struct mc_app *app, struct mc_portal_opts *o);

/* Prints "motcua <cmd>: <error>" on stderr; returns 'status'. */
int mc_cli_fail(const char *cmd, const struct mc_err *err, int status);

/* Entry point: dispatches to the commands. */
int mc_cli_main(int argc, char **argv, char **envp);

int mc_cmd_serve(struct mc_app *app, int argc, char **argv, char **envp);
int mc_cmd_migrate(struct mc_app *app, int argc, char **argv, char **envp);
int mc_cmd_calendar(struct mc_app *app, int argc, char **argv, char **envp);
int mc_cmd_version(struct mc_app *app, int argc, char **argv, char **envp);
int mc_cmd_user(struct mc_app *app, int argc, char **argv, char **envp);
int mc_cmd_audit(struct mc_app *app, int argc, char **argv, char **envp);
int mc_cmd_backup(struct mc_app *app, int argc, char **argv, char **envp);
int mc_cmd_restore(struct mc_app *app, int argc, char **argv, char **envp);
int mc_cmd_doctor(struct mc_app *app, int argc, char **argv, char **envp);
int mc_cmd_purge(struct mc_app *app, int argc, char **argv, char **envp);
int mc_cmd_payments(struct mc_app *app, int argc, char **argv, char **envp);
int mc_cmd_vietqr(struct mc_app *app, int argc, char **argv, char **envp);
int mc_cmd_words(struct mc_app *app, int argc, char **argv, char **envp);
int mc_cmd_demo(struct mc_app *app, int argc, char **argv, char **envp);
int mc_cmd_worker(struct mc_app *app, int argc, char **argv, char **envp);
int mc_cmd_keys(struct mc_app *app, int argc, char **argv, char **envp);
int mc_cmd_report(struct mc_app *app, int argc, char **argv, char **envp);

/*
 * Issues every unit in force that has no certificate one from the
 * installation's CA ('days' of validity from 'from', 0: now) under
 * app->cfg.files_dir.
 */
int mc_cli_keys_issue_all(struct mc_app *app, struct mc_conn *c,
			  int64_t from, int days, bool quiet, struct mc_err *err);
/* The demo's keys: the installation's CA if missing, and every unit's. */
int mc_cli_keys_demo(struct mc_app *app, struct mc_conn *c,
		     struct mc_err *err);

/*
 * What 'demo' and 'seed' share (cmd_demo.c): a small deterministic
 * generator (xorshift64*), a synthetic applicant (a well-formed personal
 * ID of Quảng Ngãi or Kon Tum, a name, a phone, an address) written into
 * an intake, and the catalog from JSON arrays (see mc_cli_catalog).
 */
struct mc_intake;
struct json_t;
uint64_t mc_cli_rnd(uint64_t *s);
int mc_cli_pick(uint64_t *s, int n);
void mc_cli_person(uint64_t *s, int year_now, struct mc_intake *in);
int mc_cli_catalog(struct mc_conn *c, struct json_t *units,
		   struct json_t *procs, const char *password_hash,
		   int32_t not_before, int64_t now, struct mc_err *err);

int mc_cmd_seed(struct mc_app *app, int argc, char **argv, char **envp);

/*
 * Files as backups and archives copy them (cmd_backup.c): 'from' to 'to'
 * (created, never overwritten, mode 'mode'), synced; and mkdir -p of the
 * directory that will hold 'path'. 0 or MC_EIO naming the file.
 */
int mc_cli_copy_file(const char *from, const char *to, mode_t mode,
		     struct mc_err *err);
int mc_cli_make_parent(const char *path, struct mc_err *err);

/*
 * Scheduled backups (cmd_backup.c; docs/operations.md): with backup_dir
 * set on a SQLite installation, a thread that makes a backup every
 * backup_interval (the first at once when the newest in backup_dir is
 * older), keeps the newest backup_keep and counts into app->backup_*.
 * '*out' stays NULL when there is nothing to schedule.
 */
struct mc_backups;
int mc_cli_backups_start(struct mc_app *app, struct mc_backups **out,
			 struct mc_err *err);
void mc_cli_backups_stop(struct mc_backups *b);
/*
 * Removes from 'dir' the whole backups beyond the newest 'keep', and
 * the unfinished ones older than the newest whole one; counts them.
 */
int mc_cli_backup_prune(const char *dir, int keep, int64_t *removed,
			struct mc_err *err);
/*
 * When the newest whole backup in 'dir' was made (Unix seconds, from its
 * name), or 0 when there is none; its name into 'name' (len > 0).
 */
int64_t mc_cli_backup_newest(const char *dir, char *name, size_t len);

#endif /* MC_CLI_CLI_H */
