/*
 * scope_sql.h — which units a report covers, as SQL text to paste into
 * the reports' statements (store/reports.c, store/report_sql.h).
 */
#ifndef MC_STORE_SCOPE_SQL_H
#define MC_STORE_SCOPE_SQL_H

/*
 * Unit 'u' is in the report's scope ?3: at or below the path ?3, or, for
 * "~" and a path (history mapped onto today's units, migration 0031),
 * at or below it once merged units hang under their successors.
 */
#define IN_SCOPE(u) "substr(CASE WHEN substr(CAST(?3 AS TEXT), 1, 1) = " \
	"'~' THEN '~' || " u ".mapped_path ELSE " u ".path END, 1, " \
	"length(CAST(?3 AS TEXT))) = ?3"

#endif /* MC_STORE_SCOPE_SQL_H */
