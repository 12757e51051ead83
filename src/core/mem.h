/*
 * mem.h — memory allocation. Running out of memory aborts the process
 * (redis zmalloc, h2o h2o_mem_alloc): mc_malloc and friends never return
 * NULL, so callers carry no out-of-memory branches. Where failure is an
 * expected outcome (a huge upload), use mc_trymalloc. Raw malloc/free are
 * banned outside mem.c (scripts/checksrc.sh).
 *
 * An arena (struct mc_arena) hands out memory that is freed all at once
 * when the arena is released: use one per request, per command, per parse.
 */
#ifndef MC_CORE_MEM_H
#define MC_CORE_MEM_H

#include "core/compat.h"

void *mc_malloc(size_t n);
void *mc_calloc(size_t count, size_t size);
void *mc_realloc(void *p, size_t n);
/* Returns NULL when memory is short; the caller must check. */
void *mc_trymalloc(size_t n);
char *mc_strdup(const char *s);
char *mc_strndup(const char *s, size_t n);
/*
 * Room for one more element in an array 'p' of 'n' elements of 'size'
 * bytes with capacity '*cap': returns 'p', or a larger copy (doubling,
 * new room zeroed) and updates '*cap'.
 */
void *mc_grow(void *p, int n, int *cap, size_t size);
/* Frees memory from the functions above; mc_free(NULL) does nothing. */
void mc_free(void *p);

/* Prints 'what' and aborts: for states that cannot happen. */
MC_NORETURN void mc_panic(const char *fmt, ...) MC_PRINTF(1, 2);

struct mc_arena_chunk;

struct mc_arena {
	struct mc_arena_chunk *head;	/* most recent chunk, NULL if none */
	size_t total;			/* bytes handed out, for limits */
};

#define MC_ARENA_INIT { NULL, 0 }

void mc_arena_init(struct mc_arena *a);
/* Frees everything allocated from 'a'; 'a' may be reused after. */
void mc_arena_release(struct mc_arena *a);
/* Memory aligned for any type, owned by the arena. Never NULL. */
void *mc_arena_alloc(struct mc_arena *a, size_t n);
void *mc_arena_calloc(struct mc_arena *a, size_t count, size_t size);
char *mc_arena_strdup(struct mc_arena *a, const char *s);
char *mc_arena_strndup(struct mc_arena *a, const char *s, size_t n);
char *mc_arena_printf(struct mc_arena *a, const char *fmt, ...)
	MC_PRINTF(2, 3);

#endif /* MC_CORE_MEM_H */
