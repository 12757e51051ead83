/*
 * log.h — structured logs: one JSON object per line on a file descriptor
 * (standard error by default), written with a single write(2) so lines from
 * different threads never interleave. Every line has "ts" (UTC, ISO 8601
 * with milliseconds), "level" and "msg"; callers add fields as a jansson
 * object, which the call consumes (steals).
 */
#ifndef MC_CORE_LOG_H
#define MC_CORE_LOG_H

#include "core/compat.h"

#include <jansson.h>

enum mc_log_level {
	MC_LOG_DEBUG = 0,
	MC_LOG_INFO,
	MC_LOG_WARN,
	MC_LOG_ERROR
};

struct mc_log {
	int fd;				/* where lines go */
	enum mc_log_level level;	/* lines below it are dropped */
};

#define MC_LOG_INIT { 2, MC_LOG_INFO }

/* Parses "debug", "info", "warn" or "error"; returns 0 or MC_EINVAL. */
int mc_log_level_parse(const char *s, enum mc_log_level *out);
const char *mc_log_level_name(enum mc_log_level level);

/*
 * Writes one line if 'level' is enabled. 'fields' (may be NULL) is an
 * object whose members are added to the line; the reference is stolen.
 */
void mc_log_json(const struct mc_log *lg, enum mc_log_level level,
		 const char *msg, json_t *fields);

/* Shorthand: a line with only a message (printf-style). */
void mc_logf(const struct mc_log *lg, enum mc_log_level level,
	     const char *fmt, ...) MC_PRINTF(3, 4);

#endif /* MC_CORE_LOG_H */
