/*
 * blobs.h — files on disk, named by content (docs/files.md): under the
 * files directory, "ab/cd/abcd…" is the file whose SHA-256 is "abcd…";
 * "uploads/<id>.part" is an upload on its way in. Memory is bounded by
 * the buffer of one read or write, whatever the file's size.
 */
#ifndef MC_FILES_BLOBS_H
#define MC_FILES_BLOBS_H

#include "core/compat.h"
#include "core/err.h"
#include "core/sha256.h"

#define MC_BLOB_PATH_MAX 1024

/*
 * The media type the first bytes of a file say: "application/pdf"
 * ("%PDF-"), "image/jpeg" (FF D8 FF), "image/png" (its 8-byte
 * signature); NULL for anything else.
 */
const char *mc_media_sniff(const void *head, size_t n);

/*
 * The SHA-256 (hex) of the file at 'path' and its size, read 1 MiB at a
 * time. MC_ENOTFOUND when missing.
 */
int mc_file_sha256(const char *path, char out[MC_SHA256_HEX], int64_t *size,
		   struct mc_err *err);

/* Creates the directory tree of 'dir' if missing. */
int mc_blob_init(const char *dir, struct mc_err *err);

/* The path of upload 'id''s part file, and of file 'sha256'. */
void mc_blob_part_path(const char *dir, const char *id, char *out, size_t n);
void mc_blob_path(const char *dir, const char *sha256, char *out, size_t n);

/*
 * Writes p[0..n) at 'offset' of upload 'id''s part file and makes it
 * durable (fsync). The part file is created at offset 0.
 */
int mc_blob_write(const char *dir, const char *id, int64_t offset,
		  const void *p, size_t n, struct mc_err *err);

/*
 * Makes upload 'id''s part file (of 'length' bytes) a stored file: hashes
 * it, gives it its hash's name too (unless that file is already there)
 * and makes that durable. Fills 'sha256'. The part file stays: the
 * caller drops it once the completion is recorded, so that a repeated
 * last request can finish again.
 */
int mc_blob_finish(const char *dir, const char *id, int64_t length,
		   char sha256[MC_SHA256_HEX], struct mc_err *err);

/*
 * Stores p[0..n) (made here, not uploaded) as a file, durably; fills
 * 'sha256'.
 */
int mc_blob_put(const char *dir, const void *p, size_t n,
		char sha256[MC_SHA256_HEX], struct mc_err *err);

/* Removes upload 'id''s part file, if any. */
void mc_blob_drop_part(const char *dir, const char *id);

/*
 * Checks that file 'sha256' is there, of 'size' bytes, and still hashes
 * to its name. MC_ENOTFOUND when missing; MC_EIO naming the damage.
 */
int mc_blob_verify(const char *dir, const char *sha256, int64_t size,
		   struct mc_err *err);

/*
 * Removes the stored file 'sha256' that no row names any more (a purge,
 * store/purge.h), unless it was stored or stored again in the last
 * 'min_age_s' seconds (an upload of the same content about to name it:
 * mc_blob_finish touches it). '*removed' says whether it went. 0 or
 * MC_EIO.
 */
int mc_blob_remove(const char *dir, const char *sha256, int64_t min_age_s,
		   bool *removed, struct mc_err *err);

#endif /* MC_FILES_BLOBS_H */
