/*
 * store_sqlite.h — private to src/store: helpers for code that talks to a
 * SQLite connection directly (the SQLite halves of store functions).
 */
#ifndef MC_STORE_STORE_SQLITE_H
#define MC_STORE_STORE_SQLITE_H

#include "core/compat.h"
#include "core/err.h"
#include "store/store.h"

#include <sqlite3.h>

/* The connection's handle. */
sqlite3 *mc__sqlite_db(struct mc_conn *c);

/*
 * The prepared statement for 'sql', which must be a string constant (its
 * address is the cache key); reset and with bindings cleared. Borrowed:
 * the connection owns it for its whole life. It is reset again the next
 * time the same SQL is asked for on this connection, so one statement is
 * never used for two things at once (no nesting of one SQL constant). The
 * caller resets it when done. NULL with 'err' filled on failure.
 */
sqlite3_stmt *mc__sqlite_stmt(struct mc_conn *c, const char *sql,
			      struct mc_err *err);

/* Fills 'err' from a SQLite result code; returns the MC_E* code. */
int mc__sqlite_error(struct mc_conn *c, int rc, const char *what,
		     struct mc_err *err);

#endif /* MC_STORE_STORE_SQLITE_H */
