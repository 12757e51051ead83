/*
 * store_impl.h — private to src/store: the part of a connection every
 * backend shares, and the backends' operation tables.
 */
#ifndef MC_STORE_STORE_IMPL_H
#define MC_STORE_STORE_IMPL_H

#include "core/compat.h"
#include "store/store.h"

struct mc_conn {
	struct mc_store *st;		/* owning store */
	uint64_t db_ns;			/* time in database calls (this thread) */
	bool snap_open;			/* a read snapshot is open */
	uint64_t snap_gen;		/* generation it began with */
	int64_t snap_at_ms;		/* when it began */
	struct mc_conn *side;		/* see mc_conn_side, or NULL */
};

/* A prepared statement: the backend's handle and its connection. */
struct mc_stmt {
	struct mc_conn *conn;
	void *handle;
};

extern const struct mc_store_ops mc__store_sqlite_ops;
#ifdef MC_WITH_POSTGRES
extern const struct mc_store_ops mc__store_pg_ops;
#endif

#endif /* MC_STORE_STORE_IMPL_H */
