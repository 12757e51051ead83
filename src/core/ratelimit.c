/*
 * ratelimit.c — failures per key in fixed windows, in a fixed-size table
 * (see ratelimit.h). Keys are hashed (FNV-1a, 64 bits) and looked for in
 * up to PROBES slots from their home slot; keys are kept in full, so two
 * clients never share a count by a hash collision.
 */
#include "core/compat.h"
#include "core/mem.h"
#include "core/ratelimit.h"

#include <pthread.h>

#define PROBES 8
#define KEY_MAX 64			/* an IPv6 address in text fits */

struct slot {
	char key[KEY_MAX];		/* "" when free */
	int64_t window_start;		/* ms */
	int count;			/* failures in the window */
};

struct mc_ratelimit {
	pthread_mutex_t lock;
	struct slot *slots;
	size_t nslots;
	int max;
	int64_t window_ms;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

struct mc_ratelimit *mc_ratelimit_new(size_t slots, int max,
				      int64_t window_ms)
{
	struct mc_ratelimit *rl = mc_calloc(1, sizeof(*rl));

	pthread_mutex_init(&rl->lock, NULL);
	rl->nslots = slots < PROBES ? PROBES : slots;
	rl->slots = mc_calloc(rl->nslots, sizeof(*rl->slots));
	rl->max = max;
	rl->window_ms = window_ms;
	return rl;
}

void mc_ratelimit_free(struct mc_ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->lock);
	mc_free(rl->slots);
	mc_free(rl);
}

/*
 * The slot of 'key', or, with 'take', a slot for it: a free or expired one
 * among its candidates, else the one with the oldest window. Under lock.
 */
static struct slot *find(struct mc_ratelimit *rl, const char *key,
			 int64_t now, bool take)
{
	size_t home = (size_t)(hash(key) % rl->nslots), i;
	struct slot *spare = NULL;

	for (i = 0; i < PROBES; i++) {
		struct slot *s = &rl->slots[(home + i) % rl->nslots];

		if (s->key[0] && strcmp(s->key, key) == 0)
			return s;
		if (!take)
			continue;
		if (!s->key[0] || now - s->window_start >= rl->window_ms) {
			if (!spare || spare->key[0])
				spare = s;
		} else if (!spare || (spare->key[0] &&
				      s->window_start < spare->window_start)) {
			spare = s;
		}
	}
	if (spare) {
		snprintf(spare->key, sizeof(spare->key), "%s", key);
		spare->window_start = now;
		spare->count = 0;
	}
	return spare;
}

bool mc_ratelimit_blocked(struct mc_ratelimit *rl, const char *key,
			  int64_t now_ms, int64_t *retry_ms)
{
	struct slot *s;
	bool blocked = false;
	char k[KEY_MAX];

	snprintf(k, sizeof(k), "%s", key);	/* keys are compared cut */
	key = k;
	pthread_mutex_lock(&rl->lock);
	s = find(rl, key, now_ms, false);
	if (s && now_ms - s->window_start < rl->window_ms &&
	    s->count >= rl->max) {
		blocked = true;
		if (retry_ms)
			*retry_ms = s->window_start + rl->window_ms - now_ms;
	}
	pthread_mutex_unlock(&rl->lock);
	return blocked;
}

void mc_ratelimit_fail(struct mc_ratelimit *rl, const char *key,
		       int64_t now_ms)
{
	struct slot *s;
	char k[KEY_MAX];

	snprintf(k, sizeof(k), "%s", key);
	key = k;
	pthread_mutex_lock(&rl->lock);
	s = find(rl, key, now_ms, true);
	if (now_ms - s->window_start >= rl->window_ms) {
		s->window_start = now_ms;
		s->count = 0;
	}
	s->count++;
	pthread_mutex_unlock(&rl->lock);
}
