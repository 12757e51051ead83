/*
 * mem.c — the only file allowed to call malloc and free. See mem.h for the
 * contract: allocation failure aborts, except through mc_trymalloc.
 *
 * The arena is a list of chunks; small allocations are carved from the
 * newest chunk, large ones get a chunk of their own. Alignment is that of
 * max_align_t so any type can live in an arena.
 */
#include "core/compat.h"
#include "core/mem.h"

#include <stdalign.h>

void mc_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("motcua: fatal: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

static void *oom(size_t n)
{
	mc_panic("out of memory allocating %zu bytes", n);
}

void *mc_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	return p ? p : oom(n);
}

void *mc_calloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	return p ? p : oom(count * size);
}

void *mc_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	return q ? q : oom(n);
}

void *mc_trymalloc(size_t n)
{
	return malloc(n ? n : 1);
}

char *mc_strdup(const char *s)
{
	return mc_strndup(s, strlen(s));
}

char *mc_strndup(const char *s, size_t n)
{
	char *p = mc_malloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void mc_free(void *p)
{
	free(p);
}

/* Arena. */

#define ARENA_CHUNK 8192
#define ALIGN alignof(max_align_t)

struct mc_arena_chunk {
	struct mc_arena_chunk *next;
	size_t size;			/* usable bytes in data[] */
	size_t used;			/* bytes handed out from data[] */
	alignas(max_align_t) unsigned char data[];
};

void mc_arena_init(struct mc_arena *a)
{
	a->head = NULL;
	a->total = 0;
}

void mc_arena_release(struct mc_arena *a)
{
	struct mc_arena_chunk *c = a->head;

	while (c) {
		struct mc_arena_chunk *next = c->next;

		free(c);
		c = next;
	}
	mc_arena_init(a);
}

static struct mc_arena_chunk *new_chunk(size_t size)
{
	struct mc_arena_chunk *c = mc_malloc(sizeof(*c) + size);

	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

void *mc_arena_alloc(struct mc_arena *a, size_t n)
{
	struct mc_arena_chunk *c = a->head;
	size_t need;

	if (n > SIZE_MAX - ALIGN - sizeof(*c))
		oom(n);
	need = (n + ALIGN - 1) & ~(ALIGN - 1);
	if (need == 0)
		need = ALIGN;
	a->total += need;
	if (need > ARENA_CHUNK / 4) {
		/* Big: a chunk of its own, kept behind the current head. */
		struct mc_arena_chunk *big = new_chunk(need);

		big->used = need;
		if (c) {
			big->next = c->next;
			c->next = big;
		} else {
			a->head = big;
		}
		return big->data;
	}
	if (!c || c->size - c->used < need) {
		c = new_chunk(ARENA_CHUNK);
		c->next = a->head;
		a->head = c;
	}
	c->used += need;
	return c->data + c->used - need;
}

void *mc_arena_calloc(struct mc_arena *a, size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / size)
		mc_panic("arena allocation overflow");
	p = mc_arena_alloc(a, count * size);
	memset(p, 0, count * size);
	return p;
}

char *mc_arena_strndup(struct mc_arena *a, const char *s, size_t n)
{
	char *p = mc_arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *mc_arena_strdup(struct mc_arena *a, const char *s)
{
	return mc_arena_strndup(a, s, strlen(s));
}

char *mc_arena_printf(struct mc_arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	int n;
	char *p;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		mc_panic("bad format string '%s'", fmt);
	p = mc_arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

void *mc_grow(void *p, int n, int *cap, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 8;
	p = mc_realloc(p, (size_t)*cap * size);
	memset((char *)p + (size_t)n * size, 0, (size_t)(*cap - n) * size);
	return p;
}
