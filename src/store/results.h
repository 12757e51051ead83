/*
 * results.h — electronic results (docs/e-results.md): issued when a
 * dossier is completed with a result file, signed by the issuing unit,
 * entered into the owner's data store, verified by anyone with the code,
 * revoked or replaced by the unit later.
 */
#ifndef MC_STORE_RESULTS_H
#define MC_STORE_RESULTS_H

#include "core/compat.h"
#include "core/err.h"
#include "core/sha256.h"
#include "store/catalog.h"
#include "store/dossiers.h"
#include "store/store.h"

#define MC_RESULT_CODE_MAX 24		/* "KQ-XXXX-XXXX-XXXX-XXXX" */
#define MC_RESULT_SIG_MAX 16384		/* base64 of the CMS */
#define MC_RESULT_CERT_MAX 12288	/* PEM, certificate and chain */

/* A result file signed by a unit, as the API layer signed it. */
struct mc_result_sig {
	char code[MC_RESULT_CODE_MAX];	/* MaKetQua, fresh */
	char file_sha256[MC_SHA256_HEX];
	char number[64];		/* the result's number; "" */
	char signature[MC_RESULT_SIG_MAX];
	char certificate[MC_RESULT_CERT_MAX];
	char cert_sha256[MC_SHA256_HEX];
	char signer[256], cert_issuer[256];
	char unit_code[MC_CODE_MAX];	/* the unit that signed */
	int64_t signed_at;
	/* Made by motcua (render/result_pdf.h) rather than uploaded: a PDF
	 * of 'size' bytes already in the content store. */
	bool generated;
	int64_t size;
};

/* What a generated result says, read from the dossier and the units. */
struct mc_result_ctx {
	char dossier_code[MC_DOSSIER_CODE_MAX];
	char procedure_name[MC_LONG_NAME_MAX];
	char result_type[MC_NAME_MAX];	/* "Giấy khai sinh" */
	char applicant_name[MC_NAME_MAX];
	char governing[MC_NAME_MAX];	/* the issuer's parent; "" */
	char issuer[MC_NAME_MAX];	/* the actor's unit */
	char place[128];		/* from the province's name; "" */
};

struct mc_result {
	int64_t id;
	struct mc_result_sig sig;
	char dossier_code[MC_DOSSIER_CODE_MAX];
	char applicant_id[24];
	char procedure_code[MC_CODE_MAX];
	char procedure_name[MC_LONG_NAME_MAX];
	char unit_name[MC_NAME_MAX];
	char unit_path[MC_PATH_MAX];
	char media_type[32];
	int64_t size;
	char signed_by[64];
	char status[16];		/* valid, revoked, replaced */
	int64_t status_at;
	char status_reason[MC_TEXT_MAX];
	char replaces[MC_RESULT_CODE_MAX];	/* "" */
	char replaced_by[MC_RESULT_CODE_MAX];	/* "" */
	int64_t document_id;
};

/* A fresh result code: "KQ-" and 16 letters and digits (80 bits). */
void mc_result_code_new(char out[MC_RESULT_CODE_MAX]);
/* Whether 'code' has the shape of a result code. */
bool mc_result_code_ok(const char *code);

/*
 * Write, inside the completion of dossier 'd' by 'actor': records the
 * e-result 'sig' (the file must be one 'actor' uploaded: else a field
 * error on "result.file"; or one motcua generated, which is recorded), logs the event "e_result" and enters the
 * result into the applicant's data store under the document type named
 * like the procedure's result (else KQTTHC), verified, signed.
 */
int mc_result_issue(struct mc_conn *c, const struct mc_dossier *d,
		    const struct mc_user *actor,
		    const struct mc_result_sig *sig, int64_t now,
		    struct mc_err *err);

/*
 * What a result of dossier 'code' issued by 'actor''s unit would say.
 * MC_ENOTFOUND when the dossier is not one 'actor' may see.
 */
int mc_result_context(struct mc_conn *c, const char *code,
		      const struct mc_user *actor, struct mc_result_ctx *out,
		      struct mc_err *err);

/* Result 'code' (MC_ENOTFOUND). */
int mc_result_get(struct mc_conn *c, const char *code, struct mc_result *out,
		  struct mc_err *err);

typedef void mc_result_fn(const struct mc_result *r, void *arg);
/* The results of dossier 'dossier_id', oldest first; how many. */
int mc_result_list(struct mc_conn *c, int64_t dossier_id, mc_result_fn *fn,
		   void *arg, struct mc_err *err);

/*
 * Write: 'actor' (a role that may complete, in the issuing unit or above
 * it) revokes result 'code' for 'reason', or replaces it by 'next' (a new
 * result of the same dossier, signed by the actor's unit). The result's
 * stored document follows (revoked, or replaced by the new one's); the
 * dossier's event chain records it. MC_ECONFLICT if it is no longer valid.
 */
int mc_result_revoke(struct mc_conn *c, const char *code,
		     const struct mc_user *actor, const char *reason,
		     int64_t now, struct mc_err *err);
int mc_result_replace(struct mc_conn *c, const char *code,
		      const struct mc_user *actor, const char *reason,
		      const struct mc_result_sig *next, int64_t now,
		      struct mc_err *err);

#endif /* MC_STORE_RESULTS_H */
