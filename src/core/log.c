/*
 * log.c — structured JSON log lines; see log.h.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeutil.h"

#include <unistd.h>

static const char *const names[] = { "debug", "info", "warn", "error" };

int mc_log_level_parse(const char *s, enum mc_log_level *out)
{
	size_t i;

	for (i = 0; i < MC_ARRAY_SIZE(names); i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum mc_log_level)i;
			return 0;
		}
	}
	return MC_EINVAL;
}

const char *mc_log_level_name(enum mc_log_level level)
{
	return (size_t)level < MC_ARRAY_SIZE(names) ? names[level] : "?";
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return;		/* nowhere left to report it */
		}
		p += w;
		n -= (size_t)w;
	}
}

void mc_log_json(const struct mc_log *lg, enum mc_log_level level,
		 const char *msg, json_t *fields)
{
	char ts[40];
	const size_t flags = JSON_COMPACT | JSON_PRESERVE_ORDER |
			     JSON_REAL_PRECISION(6);
	char small[4096];
	json_t *line;
	size_t n;

	if (!lg || level < lg->level) {
		json_decref(fields);
		return;
	}
	mc_time_format_utc_ms(mc_time_now_ms(), ts, sizeof(ts));
	line = json_pack("{s:s, s:s, s:s}", "ts", ts, "level",
			 mc_log_level_name(level), "msg", msg);
	if (!line) {
		json_decref(fields);
		return;
	}
	if (fields && json_is_object(fields))
		json_object_update_missing(line, fields);
	json_decref(fields);
	n = json_dumpb(line, small, sizeof(small) - 1, flags);
	if (n == 0) {
		json_decref(line);
		return;
	}
	if (n < sizeof(small)) {
		small[n] = '\n';
		write_all(lg->fd, small, n + 1);
	} else {
		char *big = mc_malloc(n + 1);

		json_dumpb(line, big, n, flags);
		big[n] = '\n';
		write_all(lg->fd, big, n + 1);
		mc_free(big);
	}
	json_decref(line);
}

void mc_logf(const struct mc_log *lg, enum mc_log_level level,
	     const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!lg || level < lg->level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	mc_log_json(lg, level, msg, NULL);
}
