/*
 * buf.h — growable byte buffers with a size cap (curl's dynbuf: "toobig
 * must be set to the maximum size"). A buffer never grows past 'max'; the
 * operation that would fail returns MC_ETOOBIG and leaves the content as it
 * was. The content is always NUL-terminated, so 'buf' can be read as a C
 * string when it holds text.
 */
#ifndef MC_CORE_BUF_H
#define MC_CORE_BUF_H

#include "core/compat.h"

struct mc_buf {
	char *buf;		/* content, NUL-terminated; NULL until used */
	size_t len;		/* bytes of content */
	size_t alloc;		/* bytes allocated */
	size_t max;		/* largest content allowed */
};

#define MC_BUF_INIT(max) { NULL, 0, 0, (max) }

void mc_buf_init(struct mc_buf *b, size_t max);
/* Frees the content; the buffer may be reused after mc_buf_init. */
void mc_buf_release(struct mc_buf *b);
/* Empties the content, keeping the allocation. */
void mc_buf_reset(struct mc_buf *b);
/* Each returns 0, or MC_ETOOBIG leaving 'b' unchanged. */
int mc_buf_add(struct mc_buf *b, const void *p, size_t n) MC_NODISCARD;
int mc_buf_adds(struct mc_buf *b, const char *s) MC_NODISCARD;
int mc_buf_addc(struct mc_buf *b, char c) MC_NODISCARD;
int mc_buf_printf(struct mc_buf *b, const char *fmt, ...) MC_PRINTF(2, 3)
	MC_NODISCARD;
int mc_buf_vprintf(struct mc_buf *b, const char *fmt, va_list ap)
	MC_NODISCARD;
/*
 * Appends the content of the file at 'path'. Returns 0, MC_EIO (errno
 * tells why) or MC_ETOOBIG when the file would pass the cap.
 */
int mc_buf_read_file(struct mc_buf *b, const char *path) MC_NODISCARD;
/*
 * Hands the content to the caller, who frees it with mc_free, and resets
 * 'b' to empty. Returns an empty string when 'b' held nothing.
 */
char *mc_buf_detach(struct mc_buf *b, size_t *len);

#endif /* MC_CORE_BUF_H */
