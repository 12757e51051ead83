/*
 * util.h — what every resource handler shares: reading a JSON body and
 * its fields with errors that name the field and the rule, the signed-in
 * staff user, writes through the writer, the clock and time formats.
 */
#ifndef MC_API_UTIL_H
#define MC_API_UTIL_H

#include "core/compat.h"
#include "core/err.h"
#include "http/server.h"
#include "store/catalog.h"
#include "store/store.h"
#include "store/writer.h"

#include <jansson.h>

struct mc_app;

/* "Now" for the application (the test clock when one is set). */
int64_t mc_api_now(const struct mc_app *app);

/*
 * Parses the request body as a JSON object. Returns it (caller decrefs)
 * or NULL after answering 400/415/422 itself.
 */
json_t *mc_api_body(struct mc_req *r);

/*
 * Reads string field 'name' of 'obj' into 'dst' (NFC-normalized): MC_EINVAL
 * with a field error when it is not a string, is missing while 'required',
 * is longer than 'max' characters or does not fit 'dst'. An absent
 * optional field gives "". 'path' prefixes the field name in errors
 * ("applicant.") and may be "".
 */
int mc_api_str(json_t *obj, const char *path, const char *name,
	       bool required, size_t max, char *dst, size_t dstlen,
	       struct mc_err *err);
/* An integer field within [min, max]; absent → 'def' unless required. */
int mc_api_int(json_t *obj, const char *path, const char *name,
	       bool required, int64_t min, int64_t max, int64_t def,
	       int64_t *out, struct mc_err *err);
int mc_api_bool(json_t *obj, const char *path, const char *name,
		bool def, bool *out, struct mc_err *err);
/*
 * The list field 'name' of 'obj': its length (0 when absent, with '*out'
 * NULL), or -1 after a field error ("type": not a list; "max_items": more
 * than 'max'), with '*out' NULL so that a loop over it does nothing.
 */
int mc_api_list(json_t *obj, const char *name, size_t max, json_t **out,
		struct mc_err *err);
/*
 * Element 'i' of list 'name' must be an object: writes its field prefix
 * "name[i]." into 'path' and returns 0, or adds the error ("name[i]",
 * "type") and returns MC_EINVAL.
 */
int mc_api_item(json_t *item, const char *name, size_t i, char *path,
		size_t n, struct mc_err *err);
/* Whether 'v' is one of 'set' (NULL-terminated). */
bool mc_api_one_of(const char *v, const char *const *set);

/* Fails for a key of 'obj' that is not in 'known' (NULL-terminated). */
int mc_api_known(json_t *obj, const char *path, const char *const *known,
		 struct mc_err *err);

/*
 * The signed-in staff user (Authorization: Bearer TOKEN), read on the
 * loop's connection. Returns 0, or answers 401 itself and returns -1.
 */
int mc_api_user(struct mc_req *r, struct mc_user *out);
/* Answers 403 naming the roles allowed unless 'u' has one of them
 * (bit set of 1 << enum mc_role); returns 0 when allowed. */
int mc_api_require_role(struct mc_req *r, const struct mc_user *u,
			unsigned roles);

/*
 * A write through the writer for a request. The caller allocates a struct
 * that starts with struct mc_api_write (mc_calloc), fills 'fn' and
 * 'reply', and calls mc_api_write_submit: 'fn' runs on the writer in the
 * batch transaction; then 'reply' runs on the loop with 'rc' (0: durable),
 * and must answer; the struct is freed after it with 'release' (may be
 * NULL) and mc_free.
 */
struct mc_api_write {
	struct mc_write w;		/* must be first */
	struct mc_req *req;
	int rc;
	int (*fn)(struct mc_conn *c, struct mc_api_write *aw,
		  struct mc_err *err);
	void (*reply)(struct mc_req *r, struct mc_api_write *aw);
	void (*release)(struct mc_api_write *aw);
	/* Private: the session to mark as having written, and when. */
	char session[72];
	int64_t now;
};
void mc_api_write_submit(struct mc_req *r, struct mc_api_write *aw);

/*
 * Per client address limits (core/ratelimit.h): whether the address is
 * over 'lim' — then answered 429 "too many <what> from this address",
 * with 'title' and Retry-After — and a failure counted against it. A
 * NULL limit never limits.
 */
struct mc_ratelimit;
bool mc_api_limited(struct mc_req *r, struct mc_ratelimit *lim,
		    const char *what, const char *title);
void mc_api_limit_fail(struct mc_req *r, struct mc_ratelimit *lim);
/* The same for another key than the address ("too many <what> for
 * this <whose>"): a dossier code, say. */
bool mc_api_limited_key(struct mc_req *r, struct mc_ratelimit *lim,
			const char *key, const char *whose, const char *what,
			const char *title);
void mc_api_limit_fail_key(struct mc_ratelimit *lim, const char *key);

/* Instants in answers: "YYYY-MM-DDTHH:MM:SS+07:00", or JSON null. */
json_t *mc_api_time(int64_t t);
/* A comma-separated list "a,b" as ["a", "b"] ("" as []). */
json_t *mc_api_list_of(const char *list);
/* A string or JSON null when empty. */
json_t *mc_api_text(const char *s);
/* A figure kept in hundredths (points, percent) as a number; null if < 0. */
json_t *mc_api_hundredths(int64_t v);
/* part / whole in percent with two decimals (half up); null if whole is 0. */
json_t *mc_api_percent(int64_t part, int64_t whole);
/* A period as {"amount": N, "unit": "working_days"}. */
json_t *mc_api_period(int32_t amount, int unit);

/*
 * Answers 200 with one page of a listing: {"items": [...], "next_cursor":
 * next or null}. Takes 'items'. mc_api_page_after() is the same with a
 * numeric cursor, given only when 'more' (the page was full).
 */
void mc_api_page(struct mc_req *r, json_t *items, const char *next);
void mc_api_page_after(struct mc_req *r, json_t *items, bool more,
		       int64_t last);

/* Parses "limit" (1..max, default 'def') and answers 422 itself on error. */
int mc_api_limit(struct mc_req *r, int def, int max, int *out,
		 struct mc_err *err);

#endif /* MC_API_UTIL_H */
