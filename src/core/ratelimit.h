/*
 * ratelimit.h — counts failures per key (a client address) in fixed time
 * windows, to slow down guessing: the citizen's dossier look-up answers
 * 429 once a client has failed too often.
 *
 * The table has a fixed number of slots (memory never grows with the
 * number of clients); when it is full, the slot whose window is oldest
 * among a key's candidates is taken over, so a flood of new addresses can
 * only make the limiter forget, never grow. Thread-safe (one mutex).
 */
#ifndef MC_CORE_RATELIMIT_H
#define MC_CORE_RATELIMIT_H

#include "core/compat.h"

struct mc_ratelimit;

/*
 * A limiter allowing 'max' failures per key in each window of
 * 'window_ms', with 'slots' keys remembered. Free with mc_ratelimit_free.
 */
struct mc_ratelimit *mc_ratelimit_new(size_t slots, int max,
				      int64_t window_ms);
void mc_ratelimit_free(struct mc_ratelimit *rl);

/*
 * Whether 'key' has used up its failures in the current window at
 * 'now_ms'; if so '*retry_ms' (may be NULL) gets the time until the window
 * ends.
 */
bool mc_ratelimit_blocked(struct mc_ratelimit *rl, const char *key,
			  int64_t now_ms, int64_t *retry_ms);

/* Counts one failure of 'key' at 'now_ms'. */
void mc_ratelimit_fail(struct mc_ratelimit *rl, const char *key,
		       int64_t now_ms);

#endif /* MC_CORE_RATELIMIT_H */
