/*
 * files.h — stored files and uploads as recorded (docs/files.md): the
 * rows behind files/blobs.c.
 */
#ifndef MC_STORE_FILES_H
#define MC_STORE_FILES_H

#include "core/compat.h"
#include "core/err.h"
#include "core/sha256.h"
#include "store/store.h"

#define MC_UPLOAD_ID 33			/* 32 hex digits and the NUL */

struct mc_upload {
	char id[MC_UPLOAD_ID];
	char owner[40];			/* u:<user id>, c:<personal ID> */
	int64_t length, received;
	char filename[256];
	char media_type[32];
	char sha256[MC_SHA256_HEX];	/* "" until complete */
	bool complete;
	int64_t created_at, expires_at;
};

/* Write: records new upload 'u' (id, owner, length, filename, times). */
int mc_upload_create(struct mc_conn *c, const struct mc_upload *u,
		     struct mc_err *err);
/* Upload 'id' of 'owner'; MC_ENOTFOUND for anyone else's. */
int mc_upload_get(struct mc_conn *c, const char *id, const char *owner,
		  struct mc_upload *out, struct mc_err *err);
/*
 * Write: 'n' more bytes of upload 'id' arrived after 'from' (and, from 0,
 * its type is 'media_type'). MC_ECONFLICT rule "offset" when it is no
 * longer at 'from'.
 */
int mc_upload_advance(struct mc_conn *c, const char *id, int64_t from,
		      int64_t n, const char *media_type, int64_t now,
		      struct mc_err *err);
/*
 * Write: upload 'id' became file 'sha256' ('size' bytes of 'media_type'),
 * recorded once however many uploads it came from.
 */
int mc_upload_complete(struct mc_conn *c, const char *id,
		       const char *sha256, int64_t size,
		       const char *media_type, int64_t now,
		       struct mc_err *err);
/*
 * Write: takes upload 'id' for one PATCH until 'until' (seconds), if it is
 * still at offset 'from' and nobody holds it at 'now': MC_ECONFLICT (rule
 * "busy") otherwise. 'until' 0 lets go of it. mc_upload_advance lets go
 * too. With several instances on one database, this is what keeps two
 * writers from writing one upload's bytes at once.
 */
int mc_upload_lease(struct mc_conn *c, const char *id, int64_t from,
		    int64_t now, int64_t until, struct mc_err *err);
/*
 * Whether one of 'owner''s uploads (u:<user id>, c:<personal ID>) became
 * file 'sha256': 0, or a field error on 'field' (rule "uploaded").
 */
int mc_upload_owned(struct mc_conn *c, const char *sha256, const char *owner,
		    const char *field, struct mc_err *err);
/* Write: records stored file 'sha256' once, however often it comes. */
int mc_file_add(struct mc_conn *c, const char *sha256, int64_t size,
		const char *media_type, int64_t now, struct mc_err *err);
/* Write: forgets upload 'id' (terminated, or refused). */
int mc_upload_delete(struct mc_conn *c, const char *id, struct mc_err *err);
/*
 * Write: forgets at most 'max' unfinished uploads that expired before
 * 'now' (upload_ttl after they began), writing their ids into 'ids' and
 * their number into '*n'; the caller removes their part files.
 */
int mc_upload_sweep(struct mc_conn *c, int64_t now, int max,
		    char (*ids)[MC_UPLOAD_ID], int *n, struct mc_err *err);

/*
 * Write: file 'sha256' (stored) is the 'ordinal'-th of component 'code'
 * of dossier 'dossier_id', named 'name' by its sender (may be "").
 */
int mc_component_file_add(struct mc_conn *c, int64_t dossier_id,
			  const char *code, int ordinal, const char *sha256,
			  const char *name, struct mc_err *err);
typedef void mc_component_file_fn(const char *code, const char *sha256,
				  const char *media_type, int64_t size,
				  const char *name, void *arg);
/* The files of dossier 'dossier_id''s components, by component, in order. */
int mc_component_files(struct mc_conn *c, int64_t dossier_id,
		       mc_component_file_fn *fn, void *arg,
		       struct mc_err *err);

struct mc_file {
	char sha256[MC_SHA256_HEX];
	int64_t size;
	char media_type[32];
	char filename[256];		/* the reader's upload's, or "" */
};

/* Who reads a file. */
struct mc_file_reader {
	char owner[40];			/* u:<user id>, c:<personal ID> */
	const char *unit_path;		/* staff: their unit's; else "" */
	const char *id_number;		/* citizen: theirs; else "" */
};

/*
 * File 'sha256' as 'rd' may read it: one of their uploads became it; or
 * it is the scan of a component or an e-result of a dossier their unit
 * has a hand in (staff), the scan of a component of a dossier that is
 * theirs (citizen), or a document in their own data store (citizen). Staff read other people's stored documents through
 * the data store, with a purpose that is logged. MC_ENOTFOUND otherwise
 * (there is no such file, as far as they know).
 */
int mc_file_readable(struct mc_conn *c, const char *sha256,
		     const struct mc_file_reader *rd, struct mc_file *out,
		     struct mc_err *err);

#endif /* MC_STORE_FILES_H */
