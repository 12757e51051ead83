/*
 * embed.h — data files compiled into the binary (cmake/Embed.cmake):
 * the SQL migrations, the shipped working calendar and the OpenAPI
 * document, so that motcua runs from any directory.
 */
#ifndef MC_CORE_EMBED_H
#define MC_CORE_EMBED_H

#include "core/compat.h"

struct mc_embed_file {
	const char *name;		/* "<directory>/<file>", e.g. "sqlite/0001_init.sql" */
	const unsigned char *data;	/* bytes, followed by a NUL */
	size_t len;
};

/* Generated table, ending with a NULL name. */
extern const struct mc_embed_file mc__embedded[];

/* The embedded file called 'name', or NULL. */
const struct mc_embed_file *mc_embed_find(const char *name);

#endif /* MC_CORE_EMBED_H */
