/*
 * err.h — error codes and error reports.
 *
 * Functions return 0 on success or a negative MC_E* code (libuv). Where the
 * caller needs to know more, it passes a 'struct mc_err' that the failing
 * function fills and returns its code in the same statement (git's
 * 'return error(...)'):
 *
 *	if (n < 0)
 *		return mc_err_field(err, "working_days", "min",
 *				    "must be 0 or more, got %d", n);
 *
 * Messages follow git's rules: lower case, no full stop, what failed first.
 * A report holds one general message and up to MC_ERR_MAX_FIELDS field
 * errors (field, rule, message), which the HTTP layer turns into an RFC 9457
 * problem document with an 'errors' array.
 */
#ifndef MC_CORE_ERR_H
#define MC_CORE_ERR_H

#include "core/compat.h"

enum mc_errcode {
	MC_OK = 0,
	MC_EINVAL = -1,		/* bad input: names a field and a rule */
	MC_ENOTFOUND = -2,	/* no such thing */
	MC_ECONFLICT = -3,	/* state changed under the caller */
	MC_EDB = -4,		/* database failure */
	MC_ENOMEM = -5,		/* out of memory where that is survivable */
	MC_ETOOBIG = -6,	/* a size limit was reached */
	MC_EIO = -7,		/* file or socket failure */
	MC_ERANGE = -8,		/* outside the supported range */
	MC_EFORBIDDEN = -9,	/* not allowed */
	MC_EBUSY = -10,		/* try again later: overloaded or shutting down */
	MC_ETIMEOUT = -11,	/* a time limit was reached */
	MC_EINTERNAL = -12,	/* a bug */
	MC_ESTORAGE = -13	/* nothing can be written now: disk full,
				 * read-only database or file system */
};

/* Short English description of a code ("invalid input"). */
const char *mc_strerror(int code);

#define MC_ERR_MAX_FIELDS 8

struct mc_field_err {
	char field[64];		/* name of the input field, e.g. "start" */
	char rule[32];		/* rule broken, e.g. "format", "min" */
	char message[192];	/* what is wrong, for people */
};

struct mc_err {
	int code;		/* MC_E*, 0 when no error was reported */
	char message[256];	/* general message */
	int nfields;		/* entries used in fields[] */
	struct mc_field_err fields[MC_ERR_MAX_FIELDS];
};

#define MC_ERR_INIT { 0, "", 0, { { "", "", "" } } }

void mc_err_clear(struct mc_err *err);

/* Sets code and message; returns 'code'. 'err' may be NULL. */
int mc_error(struct mc_err *err, int code, const char *fmt, ...)
	MC_PRINTF(3, 4);

/*
 * Adds a field error and sets the code to MC_EINVAL (and the general
 * message, if none yet, to the field message); returns MC_EINVAL.
 */
int mc_err_field(struct mc_err *err, const char *field, const char *rule,
		 const char *fmt, ...) MC_PRINTF(4, 5);

/*
 * Like mc_err_field, with another code: a conflict (MC_ECONFLICT) or a
 * denial that names the rule it enforces. Returns 'code'.
 */
int mc_err_rule(struct mc_err *err, int code, const char *field,
		const char *rule, const char *fmt, ...) MC_PRINTF(5, 6);

/*
 * Copies the message of 'err' with field errors as "field: message; ..."
 * into 'out' (at most 'n' bytes), for the command line. Returns 'out'.
 */
const char *mc_err_text(const struct mc_err *err, char *out, size_t n);

#endif /* MC_CORE_ERR_H */
