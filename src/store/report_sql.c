/*
 * report_sql.c — statements over the parts of a period, put together at
 * run time (see report_sql.h).
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/mem.h"
#include "store/report_sql.h"

#include <pthread.h>
#include <stdatomic.h>

static pthread_mutex_t parts_lock = PTHREAD_MUTEX_INITIALIZER;

const char *mc_parts_sql(struct mc_parts_sql *q)
{
	static const char *const parts[] = { D_DONE_IN, D_DONE_AFTER,
					     D_OPEN_NOW };
	struct mc_buf b;
	size_t k;
	int rc;

	if (atomic_load_explicit(&q->ready, memory_order_acquire))
		return q->text;
	pthread_mutex_lock(&parts_lock);
	if (!atomic_load_explicit(&q->ready, memory_order_relaxed)) {
		mc_buf_init(&b, sizeof(q->text) - 1);
		rc = mc_buf_adds(&b, q->head);
		for (k = 0; !rc && k < MC_ARRAY_SIZE(parts); k++)
			rc = mc_buf_printf(&b, "%s" D_PART("%s", "%s", "%s"),
					   k ? " UNION ALL " : "", q->sel,
					   parts[k], q->tail);
		if (rc || (rc = mc_buf_adds(&b, q->foot)))
			mc_panic("a report statement is longer than %zu "
				 "bytes", sizeof(q->text) - 1);
		memcpy(q->text, b.buf, b.len);
		q->text[b.len] = '\0';
		mc_buf_release(&b);
		atomic_store_explicit(&q->ready, 1, memory_order_release);
	}
	pthread_mutex_unlock(&parts_lock);
	return q->text;
}
