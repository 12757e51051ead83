/*
 * err.c — error codes and reports; see err.h.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/utf8.h"

static const char *const errstr[] = {
	[0] = "success",
	[1] = "invalid input",
	[2] = "not found",
	[3] = "conflict",
	[4] = "database error",
	[5] = "out of memory",
	[6] = "too big",
	[7] = "input/output error",
	[8] = "out of range",
	[9] = "forbidden",
	[10] = "busy",
	[11] = "timed out",
	[12] = "internal error",
	[13] = "storage unavailable",
};

const char *mc_strerror(int code)
{
	int i = -code;

	if (i < 0 || (size_t)i >= MC_ARRAY_SIZE(errstr))
		return "unknown error";
	return errstr[i];
}

void mc_err_clear(struct mc_err *err)
{
	err->code = 0;
	err->message[0] = '\0';
	err->nfields = 0;
}

int mc_error(struct mc_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	mc_utf8_trim_partial(err->message);
	return code;
}

/* Copies as much of 'src' as fits in 'dst' (size n > 0), terminated. */
static void copy(char *dst, size_t n, const char *src)
{
	size_t len = strnlen(src, n - 1);

	memcpy(dst, src, len);
	dst[len] = '\0';
	mc_utf8_trim_partial(dst);
}

static int add_field(struct mc_err *err, int code, const char *field,
		     const char *rule, const char *fmt, va_list ap)
{
	struct mc_field_err *f;

	if (!err)
		return code;
	err->code = code;
	if (err->nfields >= MC_ERR_MAX_FIELDS)
		return code;
	f = &err->fields[err->nfields++];
	copy(f->field, sizeof(f->field), field);
	copy(f->rule, sizeof(f->rule), rule);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	mc_utf8_trim_partial(f->message);
	if (!err->message[0])
		snprintf(err->message, sizeof(err->message), "%.60s: %.190s",
			 f->field, f->message);
	return code;
}

int mc_err_field(struct mc_err *err, const char *field, const char *rule,
		 const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = add_field(err, MC_EINVAL, field, rule, fmt, ap);
	va_end(ap);
	return rc;
}

int mc_err_rule(struct mc_err *err, int code, const char *field,
		const char *rule, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = add_field(err, code, field, rule, fmt, ap);
	va_end(ap);
	return rc;
}

const char *mc_err_text(const struct mc_err *err, char *out, size_t n)
{
	size_t used = 0;
	int i;

	if (!n)
		return out;
	out[0] = '\0';
	if (err->nfields == 0) {
		snprintf(out, n, "%s", err->message[0] ? err->message :
			 mc_strerror(err->code));
		return out;
	}
	for (i = 0; i < err->nfields && i < MC_ERR_MAX_FIELDS; i++) {
		const struct mc_field_err *f = &err->fields[i];
		int w = snprintf(out + used, n - used, "%s%s: %s (%s)",
				 used ? "; " : "", f->field, f->message,
				 f->rule);

		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
	return out;
}
