/*
 * buf.c — size-capped growable buffers; see buf.h.
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/mem.h"

#include <fcntl.h>
#include <unistd.h>

void mc_buf_init(struct mc_buf *b, size_t max)
{
	b->buf = NULL;
	b->len = 0;
	b->alloc = 0;
	b->max = max;
}

void mc_buf_release(struct mc_buf *b)
{
	mc_free(b->buf);
	mc_buf_init(b, b->max);
}

void mc_buf_reset(struct mc_buf *b)
{
	b->len = 0;
	if (b->buf)
		b->buf[0] = '\0';
}

/* Makes room for 'n' more bytes plus the NUL. */
static int grow(struct mc_buf *b, size_t n)
{
	size_t want, a;

	if (n > b->max || b->len > b->max - n)
		return MC_ETOOBIG;
	want = b->len + n + 1;
	if (want <= b->alloc)
		return 0;
	a = b->alloc ? b->alloc : 64;
	while (a < want)
		a = a > SIZE_MAX / 2 ? want : a * 2;
	if (b->max < SIZE_MAX && a > b->max + 1)
		a = b->max + 1;
	b->buf = mc_realloc(b->buf, a);
	b->alloc = a;
	return 0;
}

int mc_buf_add(struct mc_buf *b, const void *p, size_t n)
{
	int rc = grow(b, n);

	if (rc)
		return rc;
	if (n)
		memcpy(b->buf + b->len, p, n);
	b->len += n;
	b->buf[b->len] = '\0';
	return 0;
}

int mc_buf_adds(struct mc_buf *b, const char *s)
{
	return mc_buf_add(b, s, strlen(s));
}

int mc_buf_addc(struct mc_buf *b, char c)
{
	return mc_buf_add(b, &c, 1);
}

int mc_buf_vprintf(struct mc_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n, rc;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		mc_panic("bad format string '%s'", fmt);
	rc = grow(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int mc_buf_printf(struct mc_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = mc_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *mc_buf_detach(struct mc_buf *b, size_t *len)
{
	char *p = b->buf ? b->buf : mc_strdup("");

	if (len)
		*len = b->len;
	mc_buf_init(b, b->max);
	return p;
}

int mc_buf_read_file(struct mc_buf *b, const char *path)
{
	char chunk[16384];
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0, saved;
	size_t start = b->len;

	if (fd < 0)
		return MC_EIO;
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = MC_EIO;
			break;
		}
		if (n == 0)
			break;
		rc = mc_buf_add(b, chunk, (size_t)n);
		if (rc)
			break;
	}
	saved = errno;
	close(fd);
	if (rc) {
		b->len = start;
		if (b->buf)
			b->buf[start] = '\0';
	}
	errno = saved;
	return rc;
}
