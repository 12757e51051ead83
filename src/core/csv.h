/*
 * csv.h — reading CSV (RFC 4180) in place: fields separated by commas,
 * records by CRLF or LF, fields in double quotes may hold commas, line
 * breaks and doubled quotes. A UTF-8 byte order mark at the start is
 * skipped. Used for bank and platform statements.
 */
#ifndef MC_CORE_CSV_H
#define MC_CORE_CSV_H

#include "core/compat.h"

struct mc_csv {
	char *p, *end;
	int line;			/* where the last record began, from 1 */
	int next_line;
};

/*
 * Reads 'text' (modified in place): it needs one writable byte after
 * 'len' (a NUL, say).
 */
void mc_csv_init(struct mc_csv *c, char *text, size_t len);

/*
 * The next record: its fields as NUL-terminated strings in 'f' (pointers
 * into the text, unquoted). Returns how many (an empty line is skipped),
 * 0 at the end, -1 for a quote left open or text after a closing quote,
 * -2 for more than 'max' fields. 'c->line' is the record's first line.
 */
int mc_csv_next(struct mc_csv *c, char **f, int max);

#endif /* MC_CORE_CSV_H */
