/*
 * embed.c — lookup of the data files compiled into the binary.
 */
#include "core/compat.h"
#include "core/embed.h"

const struct mc_embed_file *mc_embed_find(const char *name)
{
	const struct mc_embed_file *f;

	for (f = mc__embedded; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}
