/*
 * csv.c — CSV records read in place (see csv.h).
 */
#include "core/compat.h"
#include "core/csv.h"

void mc_csv_init(struct mc_csv *c, char *text, size_t len)
{
	c->p = text;
	c->end = text + len;
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		c->p += 3;
	c->line = 0;
	c->next_line = 1;
}

/* Reads one field at c->p into place; 1 at the record's end, 0 at a comma. */
static int field(struct mc_csv *c, char **out)
{
	char *w = c->p;

	*out = w;
	if (c->p < c->end && *c->p == '"') {
		c->p++;
		for (;;) {
			if (c->p >= c->end)
				return -1;	/* the quote never closes */
			if (*c->p == '"') {
				if (c->p + 1 < c->end && c->p[1] == '"') {
					*w++ = '"';
					c->p += 2;
					continue;
				}
				c->p++;
				break;
			}
			if (*c->p == '\n')
				c->next_line++;
			*w++ = *c->p++;
		}
		if (c->p < c->end && *c->p != ',' && *c->p != '\n' &&
		    !(*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n'))
			return -1;	/* text after the closing quote */
	} else {
		while (c->p < c->end && *c->p != ',' && *c->p != '\n' &&
		       !(*c->p == '\r' && c->p + 1 < c->end &&
			 c->p[1] == '\n')) {
			if (*c->p == '"')
				return -1;	/* a quote inside a bare field */
			w++;
			c->p++;
		}
	}
	if (c->p < c->end && *c->p == ',') {
		*w = '\0';
		c->p++;
		return 0;
	}
	if (c->p < c->end && *c->p == '\r')
		c->p++;
	if (c->p < c->end)
		c->p++;			/* the line feed */
	*w = '\0';
	c->next_line++;
	return 1;
}

int mc_csv_next(struct mc_csv *c, char **f, int max)
{
	int n = 0, rc;

	for (;;) {
		if (c->p >= c->end)
			return 0;
		if (*c->p == '\n' || (*c->p == '\r' && c->p + 1 < c->end &&
				      c->p[1] == '\n')) {
			c->p += *c->p == '\r' ? 2 : 1;	/* an empty line */
			c->next_line++;
			continue;
		}
		break;
	}
	c->line = c->next_line;
	do {
		char *v;

		rc = field(c, &v);
		if (rc < 0)
			return -1;
		if (n == max)
			return -2;
		f[n++] = v;
	} while (rc == 0);
	return n;
}
