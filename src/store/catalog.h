/*
 * catalog.h — units, staff users, login sessions and the procedure
 * catalog, as stored (migrations/sqlite/0002_lifecycle.sql).
 *
 * Reads take any connection; functions marked "write" must run inside a
 * write (writer.h) on the writer's connection. Records are plain structs
 * with fixed-size text fields: the API checks lengths before they get
 * here (MC_*_MAX below), and text read back always fits.
 */
#ifndef MC_STORE_CATALOG_H
#define MC_STORE_CATALOG_H

#include "core/compat.h"
#include "core/err.h"
#include "domain/lifecycle.h"
#include "store/store.h"

#define MC_CODE_MAX 48			/* unit codes, procedure codes */
/*
 * Text fields hold at most a number of characters the API checks; their
 * buffers have 4 bytes per character (UTF-8) and the NUL.
 */
#define MC_NAME_MAX 1024		/* names: 255 characters */
#define MC_LONG_NAME_MAX 2048		/* procedure names: 500 characters */
#define MC_TEXT_MAX 4096		/* reasons, notes: 1000 characters */
#define MC_PATH_MAX 256			/* unit paths "/1/5/23/" */
#define MC_PROC_MAX_FEES 16
#define MC_PROC_MAX_COMPONENTS 64
#define MC_PROC_MAX_STEPS 32

struct mc_unit {
	int64_t id;
	char code[MC_CODE_MAX];
	char admin_code[16];		/* "" if none */
	char name[MC_NAME_MAX];
	char short_name[512];
	char level[16];			/* province, department, … */
	int64_t parent_id;		/* 0 for a root */
	char parent_code[MC_CODE_MAX];
	char path[MC_PATH_MAX];
	char valid_from[11];		/* YYYY-MM-DD */
	char valid_to[11];		/* "" while in force */
	int64_t successor_id;		/* 0 if none */
	char successor_code[MC_CODE_MAX];
	/* Its path once merged units hang under their successors (0031). */
	char mapped_path[MC_PATH_MAX];
};

/* Whether unit 'path' is 'scope_path' or below it. */
bool mc_unit_within(const char *path, const char *scope_path);

/* How a unit heads its documents (Decree 30/2020). */
struct mc_unit_heading {
	char governing[MC_NAME_MAX];	/* its parent's name; "" for a root */
	char issuer[MC_NAME_MAX];	/* its own */
	char place[128];		/* the province ("Quảng Ngãi"); "" */
};
int mc_unit_heading(struct mc_conn *c, int64_t unit_id,
		    struct mc_unit_heading *out, struct mc_err *err);
/* The first root unit in force (the province); MC_ENOTFOUND if none. */
int mc_unit_root(struct mc_conn *c, struct mc_unit *out, struct mc_err *err);
/* Reads a unit by code (MC_ENOTFOUND) or by id. */
int mc_unit_get(struct mc_conn *c, const char *code, struct mc_unit *out,
		struct mc_err *err);
int mc_unit_get_id(struct mc_conn *c, int64_t id, struct mc_unit *out,
		   struct mc_err *err);
/*
 * Write: creates a unit from 'in' (code, names, level, parent_code,
 * successor_code, dates; id and path are ignored) and fills 'out'.
 * MC_EINVAL naming the field for an unknown parent or successor;
 * MC_ECONFLICT when the code exists.
 */
int mc_unit_create(struct mc_conn *c, const struct mc_unit *in,
		   int64_t now, struct mc_unit *out, struct mc_err *err);
/*
 * Lists units after id 'after' (keyset), at most 'max'; with 'code' (may be
 * NULL) the unit of that code, with 'q' (folded, may be NULL) those whose
 * folded name holds it. Calls 'fn' for each; returns how many or an error.
 */
typedef void mc_unit_fn(const struct mc_unit *u, void *arg);
int mc_unit_list(struct mc_conn *c, const char *code, const char *q,
		 int64_t after, int max, mc_unit_fn *fn, void *arg,
		 struct mc_err *err);

/*
 * The actor of the events the system records itself (the deadline watch):
 * no user may take this name.
 */
#define MC_SYSTEM_ACTOR "system"
/* The actor of what a citizen does online: no user may take it either. */
#define MC_CITIZEN_ACTOR "citizen"

struct mc_user {
	int64_t id;
	char username[64];
	char full_name[512];
	enum mc_role role;
	int64_t unit_id;
	char unit_code[MC_CODE_MAX];
	char unit_name[MC_NAME_MAX];
	char unit_path[MC_PATH_MAX];
	char password_hash[160];	/* argon2id string */
	int failed_logins;
	int64_t locked_until;		/* MC_NO_TIME if not locked */
	bool active;
};

int mc_user_get(struct mc_conn *c, const char *username,
		struct mc_user *out, struct mc_err *err);
int mc_user_get_id(struct mc_conn *c, int64_t id, struct mc_user *out,
		   struct mc_err *err);
/* Write: creates a user (id, unit_id filled from unit_code). */
int mc_user_create(struct mc_conn *c, struct mc_user *u, int64_t now,
		   struct mc_err *err);
/*
 * Lists the users of units within 'scope_path' (optionally of one unit
 * and one role: NULL / -1 for any), by id after 'after', at most 'max'.
 * Returns how many or an error.
 */
typedef void mc_user_fn(const struct mc_user *u, void *arg);
int mc_user_list(struct mc_conn *c, const char *scope_path,
		 const char *unit_code, int role, int64_t after, int max,
		 mc_user_fn *fn, void *arg, struct mc_err *err);
/*
 * Write: records a failed login; the failure that reaches 'max' in a row
 * locks the account until 'lock_until' (and starts the count again).
 * Counting and deciding happen in one statement, so parallel failures
 * are all counted. Sets '*locked' when this failure locked it.
 */
int mc_user_login_failed(struct mc_conn *c, int64_t user_id, int max,
			 int64_t lock_until, bool *locked, struct mc_err *err);
/*
 * Write: a login succeeded: clears the failures and stores the session
 * (the SHA-256 of its token). MC_EFORBIDDEN when the account was locked
 * meanwhile (by parallel failures) and still is at 'now'.
 */
int mc_session_create(struct mc_conn *c, int64_t user_id,
		      const char *token_hash, int64_t now, int64_t expires,
		      struct mc_err *err);
/* Write: revokes a session; MC_ENOTFOUND if none is open. */
int mc_session_revoke(struct mc_conn *c, const char *token_hash,
		      int64_t now, struct mc_err *err);
/*
 * The user of a live session (not revoked, not expired at 'now', user
 * active): 0, or MC_ENOTFOUND. Fills 'expires' and 'wrote_at' (the last
 * write made with the session, MC_NO_TIME if none recorded).
 */
int mc_session_user(struct mc_conn *c, const char *token_hash, int64_t now,
		    struct mc_user *out, int64_t *expires, int64_t *wrote_at,
		    struct mc_err *err);
/*
 * Write: records that the session wrote at 'now' (read-your-writes with a
 * replica, api/util.c), after that write's commit.
 */
int mc_session_wrote(struct mc_conn *c, const char *token_hash, int64_t now,
		     struct mc_err *err);

struct mc_proc_fee {
	char name[MC_NAME_MAX];
	char kind[8];			/* fee (phí) or charge (lệ phí) */
	int64_t amount;			/* VND; per copy or page if counted */
	int online_discount_percent;
	char per[8];			/* dossier, copy, page */
	char exempt[160];		/* categories exempted, "a,b" */
};

struct mc_proc_component {
	char code[32];
	char name[MC_NAME_MAX];
	char document_type[256];
	char form[16];			/* original, copy, certified_copy, … */
	int quantity;
	bool required;
};

struct mc_proc_step {
	char name[MC_NAME_MAX];
	enum mc_role role;
	int64_t unit_id;		/* 0: decided by role (see lifecycle) */
	char unit_code[MC_CODE_MAX];
	int share_percent;
};

struct mc_procedure {
	int64_t id;			/* of the version */
	int64_t procedure_id;
	char code[MC_CODE_MAX];		/* national code, "1.001234" */
	int version;
	char state[12];			/* draft, published */
	char name[MC_LONG_NAME_MAX];
	char field[MC_NAME_MAX];
	char level[12];			/* province, commune */
	int64_t unit_id;
	char unit_code[MC_CODE_MAX];
	struct mc_period time;		/* legal processing time */
	bool has_target;
	struct mc_period target;	/* internal service target */
	int online_reduction_percent;
	char online_level[8];		/* none, partial, full */
	bool on_the_spot;
	bool pay_first;			/* fees paid before receipt */
	/* Years the dossier's records are kept after it is finished (its
	 * result's retention, Circular 10/2022/TT-BNV); 0: permanently. */
	int retention_years;
	char result_type[MC_NAME_MAX];
	bool result_paper, result_electronic;
	char decision_number[256];
	char decision_date[11];
	char valid_from[11];
	char valid_to[11];
	char created_at[24];
	char published_at[24];
	/* Lists, owned: released by mc_procedure_release(). */
	int nfees, ncomponents, nsteps;
	struct mc_proc_fee *fees;
	struct mc_proc_component *components;
	struct mc_proc_step *steps;
};

/*
 * Frees the lists of 'p' and empties them; the struct itself stays. A
 * struct filled by a read must be released; reading into a filled struct
 * releases it first. NULL does nothing.
 */
void mc_procedure_release(struct mc_procedure *p);

/* Due units by name ("working_days"): -1 when unknown. */
int mc_due_unit_parse(const char *s);

/*
 * Write: stores 'p' as a new draft version of procedure p->code (created
 * if new); fills id, procedure_id, version, unit ids. MC_EINVAL naming the
 * field for unknown units.
 */
int mc_procedure_create(struct mc_conn *c, struct mc_procedure *p,
			int64_t now, int64_t user_id, struct mc_err *err);
/*
 * Write: publishes the latest draft of 'code', in force from 'valid_from'
 * (a day number) under decision 'number' of 'date'; the version in force
 * before it ends the day before. MC_ENOTFOUND without a draft.
 */
int mc_procedure_publish(struct mc_conn *c, const char *code,
			 int32_t valid_from, const char *number,
			 int32_t date, int64_t now, int64_t user_id,
			 struct mc_err *err);
/*
 * Reads the version of 'code' in force on local day 'day' (published,
 * valid_from <= day, no valid_to or day <= valid_to); with 'version' > 0
 * that version instead, and with day < 0 the latest version of any state.
 */
int mc_procedure_get(struct mc_conn *c, const char *code, int version,
		     int32_t day, struct mc_procedure *out,
		     struct mc_err *err);
/* Reads version 'version_id' with its workflow steps only (no fees, no
 * components): what a dossier's actions need. */
int mc_procedure_get_plan(struct mc_conn *c, int64_t version_id,
			  struct mc_procedure *out, struct mc_err *err);
/* The whole version 'version_id' (fees and components too). */
int mc_procedure_get_version(struct mc_conn *c, int64_t version_id,
			     struct mc_procedure *out, struct mc_err *err);

/* A line of the catalog listing. */
struct mc_proc_brief {
	char code[MC_CODE_MAX];
	int version;
	char state[12];
	char name[MC_LONG_NAME_MAX];
	char field[MC_NAME_MAX];
	char level[12];
	char unit_code[MC_CODE_MAX];
	struct mc_period time;
	char online_level[8];
	char valid_from[11];
};
typedef void mc_proc_fn(const struct mc_proc_brief *p, void *arg);
/*
 * Lists the latest published version of each procedure (drafts are not
 * public), by code, after 'after'
 * (keyset, "" for the start), at most 'max'; 'q' is a folded search text
 * (every word must occur in the folded name), NULL for all; 'field' and
 * 'level', when not NULL, must be the version's.
 */
int mc_procedure_list(struct mc_conn *c, const char *q, const char *field,
		      const char *level, const char *after, int max,
		      mc_proc_fn *fn, void *arg, struct mc_err *err);

/* A field (lĩnh vực) of the catalog and its published procedures. */
typedef void mc_field_fn(const char *field, int64_t procedures,
			 int64_t online, void *arg);
/*
 * The fields of the latest published versions, by name, each with how
 * many procedures it has and how many of them are offered online;
 * returns how many fields, or an error.
 */
int mc_procedure_fields(struct mc_conn *c, mc_field_fn *fn, void *arg,
			struct mc_err *err);

/*
 * A copy of 's' with '\', '%' and '_' escaped by '\', for LIKE ... ESCAPE
 * '\' (caller frees with mc_free); NULL for NULL.
 */
char *mc_like_escape(const char *s);


#endif /* MC_STORE_CATALOG_H */
