/*
 * documents.h — the personal data store (docs/data-store.md): each
 * person's and organization's documents, and the log of who read them.
 */
#ifndef MC_STORE_DOCUMENTS_H
#define MC_STORE_DOCUMENTS_H

#include "core/compat.h"
#include "core/err.h"
#include "core/sha256.h"
#include "store/catalog.h"
#include "store/dossiers.h"
#include "store/store.h"

struct mc_document {
	int64_t id;
	char owner_id[24];		/* personal ID or tax code */
	char type_code[16];
	char type_name[128];
	char number[64], issuer[256];
	char issued_on[11], valid_until[11];	/* YYYY-MM-DD or "" */
	char status[16];		/* valid, revoked, replaced, expired */
	char source[16];		/* scan, result, owner, registry */
	char source_dossier[MC_DOSSIER_CODE_MAX];
	char source_procedure[MC_CODE_MAX];	/* that dossier's; "" */
	char result_code[24];		/* an e-result's MaKetQua; "" */
	char signer[256];		/* an e-result's certificate subject */
	char file_sha256[MC_SHA256_HEX];
	char media_type[32];
	int64_t file_size;
	bool verified;
	char certified_by[64];
	int64_t created_at;
};

/* Whether 'code' is in the document-type catalog. */
int mc_document_type_known(struct mc_conn *c, const char *code,
			   struct mc_err *err);

/*
 * Write: adds 'd' (owner, type, number…, source, file, verified) to its
 * owner's store; 'source_dossier_id' and 'certified_by_id' may be 0.
 * Fills d->id.
 */
int mc_document_add(struct mc_conn *c, struct mc_document *d,
		    int64_t source_dossier_id, int64_t certified_by_id,
		    const char *signature, int64_t now, struct mc_err *err);

/*
 * Write: the owner's own document 'id' is certified by 'officer_id'
 * against the original: verified from now on, with 'signature'.
 * MC_ECONFLICT (rule "status") when it is verified already or not valid.
 */
int mc_document_certify(struct mc_conn *c, int64_t id, int64_t officer_id,
			const char *signature, int64_t now,
			struct mc_err *err);

/*
 * Whether 'd' may stand for a paper of type 'type' brought by 'owner' on
 * local day 'today': theirs, of that type, valid, verified, not expired.
 */
bool mc_document_reusable(const struct mc_document *d, const char *owner,
			  const char *type, int32_t today);

/*
 * Write: documents still 'valid' whose valid_until is before local day
 * 'today' become 'expired'; '*n' says how many.
 */
int mc_document_expire(struct mc_conn *c, int32_t today, int64_t now,
		       int *n, struct mc_err *err);

typedef void mc_document_fn(const struct mc_document *d, void *arg);
/* 'owner_id''s documents, newest first; how many, or an error. */
int mc_document_list(struct mc_conn *c, const char *owner_id,
		     mc_document_fn *fn, void *arg, struct mc_err *err);
/* Document 'id'; MC_ENOTFOUND when there is none. */
int mc_document_get(struct mc_conn *c, int64_t id, struct mc_document *out,
		    struct mc_err *err);

/* One read of someone's data. */
struct mc_access {
	int64_t at;
	char actor[64];
	char actor_unit[MC_CODE_MAX];
	char action[16];		/* list, read, dossier, registry */
	int64_t document_id;		/* 0: the list */
	char document_type[128];
	char purpose[128];		/* the dossier read for */
};

/* Write: logs that 'a' read 'owner_id''s data. */
int mc_access_log_add(struct mc_conn *c, const char *owner_id,
		      const struct mc_access *a, struct mc_err *err);
/*
 * Write: logs that 'actor' of unit 'unit' looked 'owner_id' up in a
 * national registry at 'at', for 'purpose' (action "registry").
 */
int mc_access_log_registry(struct mc_conn *c, const char *owner_id,
			   const char *actor, const char *unit,
			   const char *purpose, int64_t at,
			   struct mc_err *err);
/*
 * Whether 'owner_id''s log has a read like 'a' (actor, action, purpose)
 * at or after 'since': 1 yes, 0 no, or an error.
 */
int mc_access_log_recent(struct mc_conn *c, const char *owner_id,
			 const struct mc_access *a, int64_t since,
			 struct mc_err *err);
typedef void mc_access_fn(const struct mc_access *a, void *arg);
/* Who read 'owner_id''s data, newest first. */
int mc_access_log_list(struct mc_conn *c, const char *owner_id,
		       mc_access_fn *fn, void *arg, struct mc_err *err);

/*
 * Digitization and reuse figures (DOMAIN.md §4, 4.1–4.3) for dossiers
 * received in [from, to) that a unit of 'scope_path' has a hand in, per
 * competent unit and procedure; 'unit_code' and 'procedure_code' (may be
 * NULL) narrow them. A dossier belongs to the period of its receipt.
 */
struct mc_reuse_row {
	char unit_code[MC_CODE_MAX];
	char unit_name[MC_NAME_MAX];
	char procedure_code[MC_CODE_MAX];
	char procedure_name[MC_LONG_NAME_MAX];
	int64_t received;	/* dossiers received in the period */
	int64_t digitized;	/* with a component scanned or reused */
	int64_t reused;		/* with a component from the store (4.3) */
	int64_t asked_again;	/* components asked for though stored */
	int64_t paper_result;	/* of procedures returning paper (4.1) */
	int64_t e_result;	/* with an e-result not revoked */
};
typedef void mc_reuse_fn(const struct mc_reuse_row *row, void *arg);
int mc_reuse_stats(struct mc_conn *c, const char *scope_path, int64_t from,
		   int64_t to, const char *unit_code,
		   const char *procedure_code, mc_reuse_fn *fn, void *arg,
		   struct mc_err *err);

#endif /* MC_STORE_DOCUMENTS_H */
