/*
 * bundles.h — linked-procedure bundles as stored (docs/bundles.md;
 * Nghị định 63/2024/NĐ-CP): the province's definitions, and the
 * applications for them, each spawning one child dossier per member
 * procedure at the agency concerned, stage by stage, with its own
 * deadline; the application's status, stage, deadline and timeliness
 * follow its children.
 */
#ifndef MC_STORE_BUNDLES_H
#define MC_STORE_BUNDLES_H

#include "core/compat.h"
#include "core/err.h"
#include "store/dossiers.h"
#include "store/store.h"

#define MC_BUNDLE_MAX_MEMBERS 8
#define MC_BUNDLE_MAX_STAGES 8

struct mc_bundle {
	char code[32];
	char name[MC_NAME_MAX];
	char legal_basis[256];
	int nmembers;
	struct {
		char procedure_code[MC_CODE_MAX];
		int stage;			/* 1..MC_BUNDLE_MAX_STAGES */
		char procedure_name[MC_NAME_MAX];	/* read only */
	} members[MC_BUNDLE_MAX_MEMBERS];
};

/*
 * Write: defines bundle 'b' (or defines it anew: applications already
 * made keep the members they were made with). Each member must be a
 * procedure of the catalog, once; stages from 1 without a gap.
 * MC_EINVAL naming the field otherwise.
 */
int mc_bundle_put(struct mc_conn *c, const struct mc_bundle *b, int64_t now,
		  struct mc_err *err);
/* Bundle 'code', with its members' names: 0 or MC_ENOTFOUND. */
int mc_bundle_get(struct mc_conn *c, const char *code, struct mc_bundle *out,
		  struct mc_err *err);
typedef void mc_bundle_fn(const struct mc_bundle *b, void *arg);
/* Every bundle, by code. */
int mc_bundle_list(struct mc_conn *c, mc_bundle_fn *fn, void *arg,
		   struct mc_err *err);

/* An application for a bundle, with its children. */
struct mc_bundle_dossier {
	int64_t id;
	char code[MC_DOSSIER_CODE_MAX];
	char bundle_code[32];
	char bundle_name[MC_NAME_MAX];
	char unit_code[MC_CODE_MAX];	/* where it was received */
	char status[16];		/* processing, blocked, completed,
					 * returned, ended */
	char note[600];			/* blocked: why */
	char unit_path[MC_PATH_MAX];	/* of the receiving unit */
	int stage;			/* the stage under way (or last) */
	int stages;			/* how many the bundle has */
	char applicant_id[24];
	char applicant_name[MC_NAME_MAX];
	int64_t received_at, due_at, finished_at;
	char timeliness[16];		/* early, on_time, late; "" open */
	int nchildren;
	struct {
		char code[MC_DOSSIER_CODE_MAX];
		char procedure_code[MC_CODE_MAX];
		char procedure_name[MC_NAME_MAX];
		int stage;
		char status[32];
		char unit_code[MC_CODE_MAX];	/* where it is now */
		char unit_path[MC_PATH_MAX];
		int64_t due_at, finished_at;
		char timeliness[16];
	} children[MC_BUNDLE_MAX_MEMBERS];
};

/*
 * Write: the application 'application' (JSON text: "channel",
 * "return_channel", "applicant" {kind, id_number, name, phone, email,
 * address}, "components" {"<procedure code>": [{"code", "provided"}]})
 * for bundle 'bundle_code', received by 'actor' at their unit: checked
 * whole first — every member's procedure in force, its required
 * components handed in — then kept, and the children of the first stage
 * taken in as dossiers of their own. Fills 'out'. MC_EINVAL naming the
 * field (e.g. "components.1.001193") when it cannot be; nothing is
 * written then.
 */
int mc_bundle_intake(struct mc_conn *c, const struct mc_calendar *cal,
		     const struct mc_user *actor, const char *bundle_code,
		     const char *application, const struct mc_notify *n,
		     int64_t now, struct mc_bundle_dossier *out,
		     struct mc_err *err);

/*
 * Write, in the transaction of an action on dossier 'dossier_id': if it
 * is a child of an application, the application follows — the next
 * stage's children taken in when every child of this one has its result;
 * completed when the last has, returned when all were returned, ended
 * when one was refused, withdrawn or stopped (no later stage is taken
 * in), blocked when the next stage cannot be taken in (the action itself
 * stands); its deadline the latest of its children's and, for stages not
 * yet begun, of their procedures' periods after it. The members are the
 * bundle's as they were when the application was made.
 */
int mc_bundle_follow(struct mc_conn *c, const struct mc_calendar *cal,
		     const struct mc_notify *n, int64_t dossier_id, int64_t now,
		     struct mc_err *err);

/*
 * Write: application 'app' (as mc_bundle_dossier_get read it), blocked
 * (its next stage could not be taken in: a procedure changed since),
 * judged again once the catalog is put right: the stage taken in, or
 * still blocked with why; 'app' read again. MC_ECONFLICT rule "blocked"
 * when it is not blocked.
 */
int mc_bundle_resume(struct mc_conn *c, const struct mc_calendar *cal,
		     const struct mc_notify *n, int64_t now,
		     struct mc_bundle_dossier *app, struct mc_err *err);

/* Application 'code' (or the one child dossier 'code' belongs to). */
int mc_bundle_dossier_get(struct mc_conn *c, const char *code,
			  struct mc_bundle_dossier *out, struct mc_err *err);

#endif /* MC_STORE_BUNDLES_H */
