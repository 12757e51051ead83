/*
 * blobs.c — files on disk, named by content (see blobs.h).
 */
#include "core/compat.h"
#include "core/mem.h"
#include "files/blobs.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define IO_BUF (1u << 20)		/* bytes read at once when hashing */

const char *mc_media_sniff(const void *head, size_t n)
{
	static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
					      0x1a, '\n' };
	const unsigned char *h = head;

	if (n >= 5 && !memcmp(h, "%PDF-", 5))
		return "application/pdf";
	if (n >= 3 && h[0] == 0xff && h[1] == 0xd8 && h[2] == 0xff)
		return "image/jpeg";
	if (n >= 8 && !memcmp(h, png, 8))
		return "image/png";
	return NULL;
}

/* The error code of a failed write: no space or a read-only file system
 * is MC_ESTORAGE (503, try again later), anything else MC_EIO. */
static int write_code(int e)
{
	return e == ENOSPC || e == EDQUOT || e == EROFS || e == EFBIG ?
	       MC_ESTORAGE : MC_EIO;
}

static int mkdir_one(const char *path, struct mc_err *err)
{
	if (mkdir(path, 0750) && errno != EEXIST)
		return mc_error(err, write_code(errno), "cannot create %s: %s",
				path, strerror(errno));
	return 0;
}

int mc_blob_init(const char *dir, struct mc_err *err)
{
	char path[MC_BLOB_PATH_MAX];
	const char *p;

	/* Each component of 'dir', then its uploads directory. */
	for (p = dir + 1; p && *p; p = strchr(p + 1, '/')) {
		const char *slash = strchr(p, '/');

		if (!slash)
			break;
		snprintf(path, sizeof(path), "%.*s", (int)(slash - dir), dir);
		if (mkdir_one(path, err))
			return err->code;
	}
	if (mkdir_one(dir, err))
		return err->code;
	snprintf(path, sizeof(path), "%s/uploads", dir);
	return mkdir_one(path, err);
}

void mc_blob_part_path(const char *dir, const char *id, char *out, size_t n)
{
	snprintf(out, n, "%s/uploads/%s.part", dir, id);
}

void mc_blob_path(const char *dir, const char *sha256, char *out, size_t n)
{
	snprintf(out, n, "%s/%.2s/%.2s/%s", dir, sha256, sha256 + 2, sha256);
}

/* fsyncs directory 'path' so that a rename or a new name in it lasts. */
static int sync_dir(const char *path, struct mc_err *err)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	if (fd < 0 || fsync(fd))
		rc = mc_error(err, write_code(errno), "cannot sync %s: %s",
			      path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return rc;
}

int mc_blob_write(const char *dir, const char *id, int64_t offset,
		  const void *p, size_t n, struct mc_err *err)
{
	char path[MC_BLOB_PATH_MAX];
	const char *c = p;
	bool created = offset == 0;
	int fd, rc = 0;

	mc_blob_part_path(dir, id, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CLOEXEC | (offset == 0 ? O_CREAT : 0),
		  0640);
	if (fd < 0)
		return mc_error(err, errno == ENOENT ? MC_ENOTFOUND :
				write_code(errno), "cannot open %s: %s", path,
				strerror(errno));
	while (n > 0) {
		ssize_t w = pwrite(fd, c, n, (off_t)offset);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = mc_error(err, w < 0 ? write_code(errno) :
				      MC_ESTORAGE, "cannot write %s: %s", path,
				      w < 0 ? strerror(errno) : "no space");
			break;
		}
		c += w;
		n -= (size_t)w;
		offset += w;
	}
	if (!rc && fdatasync(fd))
		rc = mc_error(err, write_code(errno), "cannot sync %s: %s",
			      path, strerror(errno));
	close(fd);
	if (!rc && created) {
		char up[MC_BLOB_PATH_MAX];

		/* A new part file: its name must last too. */
		snprintf(up, sizeof(up), "%s/uploads", dir);
		rc = sync_dir(up, err);
	}
	return rc;
}

int mc_file_sha256(const char *path, char out[MC_SHA256_HEX], int64_t *size,
		   struct mc_err *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	unsigned int mdlen = 0;
	unsigned char *buf;
	EVP_MD_CTX *ctx;
	int fd, rc = 0, i;
	ssize_t r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mc_error(err, errno == ENOENT ? MC_ENOTFOUND : MC_EIO,
				"cannot open %s: %s", path, strerror(errno));
	ctx = EVP_MD_CTX_new();
	buf = mc_malloc(IO_BUF);
	*size = 0;
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		rc = mc_error(err, MC_EINTERNAL, "SHA-256 is unavailable");
	while (!rc && (r = read(fd, buf, IO_BUF)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = mc_error(err, MC_EIO, "cannot read %s: %s", path,
				      strerror(errno));
			break;
		}
		EVP_DigestUpdate(ctx, buf, (size_t)r);
		*size += r;
	}
	if (!rc && !EVP_DigestFinal_ex(ctx, md, &mdlen))
		rc = mc_error(err, MC_EINTERNAL, "SHA-256 failed");
	for (i = 0; !rc && i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	if (!rc)
		out[64] = '\0';
	mc_free(buf);
	EVP_MD_CTX_free(ctx);
	close(fd);
	return rc;
}

int mc_blob_finish(const char *dir, const char *id, int64_t length,
		   char sha256[MC_SHA256_HEX], struct mc_err *err)
{
	char part[MC_BLOB_PATH_MAX], path[MC_BLOB_PATH_MAX];
	char d1[MC_BLOB_PATH_MAX], d2[MC_BLOB_PATH_MAX];
	struct stat st;
	int64_t size;
	int rc;

	mc_blob_part_path(dir, id, part, sizeof(part));
	rc = mc_file_sha256(part, sha256, &size, err);
	if (rc)
		return rc;
	if (size != length)
		return mc_error(err, MC_EIO, "upload %s has %" PRId64 " bytes, "
				"not %" PRId64, id, size, length);
	mc_blob_path(dir, sha256, path, sizeof(path));
	snprintf(d1, sizeof(d1), "%s/%.2s", dir, sha256);
	snprintf(d2, sizeof(d2), "%s/%.2s/%.2s", dir, sha256, sha256 + 2);
	if (mkdir_one(d1, err) || mkdir_one(d2, err))
		return err->code;
	if (stat(path, &st) == 0 && st.st_size == size) {
		/* Stored once: the same content. Touched, so that a purge
		 * removing it unreferenced (mc_blob_remove) leaves it to the
		 * row about to name it again. */
		utimensat(AT_FDCWD, path, NULL, 0);
		return 0;
	}
	/*
	 * A second name, not a move: the part file stays until the upload's
	 * completion is recorded, so that a PATCH repeated after a failed
	 * record finds its bytes (mc_blob_drop_part then).
	 */
	if (link(part, path) && errno != EEXIST)
		return mc_error(err, write_code(errno), "cannot store %s: %s",
				path, strerror(errno));
	return sync_dir(d2, err);
}

int mc_blob_put(const char *dir, const void *p, size_t n,
		char sha256[MC_SHA256_HEX], struct mc_err *err)
{
	unsigned char raw[16];
	char id[40];
	int rc;

	/* Through a part file of its own, like an upload in one piece. */
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(id, sizeof(id), raw, sizeof(raw));
	rc = mc_blob_write(dir, id, 0, p, n, err);
	if (!rc)
		rc = mc_blob_finish(dir, id, (int64_t)n, sha256, err);
	mc_blob_drop_part(dir, id);
	return rc;
}

void mc_blob_drop_part(const char *dir, const char *id)
{
	char part[MC_BLOB_PATH_MAX];

	mc_blob_part_path(dir, id, part, sizeof(part));
	unlink(part);
}

int mc_blob_verify(const char *dir, const char *sha256, int64_t size,
		   struct mc_err *err)
{
	char path[MC_BLOB_PATH_MAX], got[MC_SHA256_HEX];
	int64_t n;
	int rc;

	mc_blob_path(dir, sha256, path, sizeof(path));
	rc = mc_file_sha256(path, got, &n, err);
	if (rc)
		return rc;
	if (n != size || strcmp(got, sha256) != 0)
		return mc_error(err, MC_EIO, "file %s is damaged: %" PRId64
				" bytes hashing to %s", sha256, n, got);
	return 0;
}

int mc_blob_remove(const char *dir, const char *sha256, int64_t min_age_s,
		   bool *removed, struct mc_err *err)
{
	char path[MC_BLOB_PATH_MAX];
	struct stat st;

	*removed = false;
	mc_blob_path(dir, sha256, path, sizeof(path));
	if (stat(path, &st))
		return errno == ENOENT ? 0 : mc_error(err, MC_EIO, "%s: %s",
						      path, strerror(errno));
	if ((int64_t)time(NULL) - (int64_t)st.st_mtime < min_age_s)
		return 0;		/* stored again a moment ago */
	if (unlink(path) && errno != ENOENT)
		return mc_error(err, MC_EIO, "cannot remove %s: %s", path,
				strerror(errno));
	*removed = true;
	return 0;
}
