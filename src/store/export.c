/*
 * export.c — everything held about one person, as JSON; see export.h.
 *
 * The export is a list of sections, each one statement and the names and
 * kinds of its columns, so that what a person receives can be read here
 * at a glance, and a table that gains a personal column gains a line.
 */
#include "core/compat.h"
#include "core/timeutil.h"
#include "store/export.h"

#include <jansson.h>

/* A column: its key in the export and its kind. */
struct col {
	const char *key;
	char kind;	/* 't' text, 'i' integer, 'b' flag, 'T' instant */
};

struct section {
	const char *name;
	const char *sql;	/* ?1 the ID number, ?2 the citizen's id;
				 * for a dossier's record ?1 its id */
	const struct col *cols;
	bool one;		/* one row, an object (else an array) */
};

/* The person's dossiers, by which every dossier section is selected. */
#define MINE "SELECT id FROM dossiers WHERE applicant_id_number = ?1 " \
	"AND " P2
/*
 * Every statement names both parameters (SQLite binds only those a
 * statement has); these say nothing, typed so PostgreSQL knows them.
 */
#define P1 "CAST(?1 AS TEXT) IS NOT NULL"
#define P2 "CAST(?2 AS BIGINT) IS NOT NULL"

static const struct col subject_cols[] = {
	{ "kind", 't' }, { "id_number", 't' }, { "name", 't' },
	{ "phone", 't' }, { "email", 't' }, { "province_code", 't' },
	{ "created_at", 'T' }, { "updated_at", 'T' }, { NULL, 0 }
};

static const struct col dossier_cols[] = {
	{ "code", 't' }, { "procedure_code", 't' }, { "procedure_name", 't' },
	{ "unit_code", 't' }, { "channel", 't' }, { "return_channel", 't' },
	{ "status", 't' }, { "applicant_kind", 't' },
	{ "applicant_id_number", 't' }, { "applicant_name", 't' },
	{ "applicant_phone", 't' }, { "applicant_email", 't' },
	{ "applicant_address", 't' }, { "applicant_verified", 'b' },
	{ "applicant_vneid", 'b' }, { "submitted_at", 'T' },
	{ "received_at", 'T' }, { "due_at", 'T' }, { "finished_at", 'T' },
	{ "returned_at", 'T' }, { NULL, 0 }
};

static const struct col component_cols[] = {
	{ "dossier", 't' }, { "ordinal", 'i' }, { "code", 't' },
	{ "name", 't' }, { "form", 't' }, { "provided", 'b' },
	{ "file_sha256", 't' }, { "reused", 'b' },
	{ "asked_again_reason", 't' }, { NULL, 0 }
};

static const struct col event_cols[] = {
	{ "dossier", 't' }, { "seq", 'i' }, { "at", 'T' }, { "actor", 't' },
	{ "action", 't' }, { "from_status", 't' }, { "to_status", 't' },
	{ "note", 't' }, { NULL, 0 }
};

static const struct col payment_cols[] = {
	{ "dossier", 't' }, { "method", 't' }, { "platform", 't' },
	{ "amount", 'i' }, { "receipt_no", 't' }, { "transaction_id", 't' },
	{ "payer_name", 't' }, { "paid_at", 'T' }, { NULL, 0 }
};

static const struct col rating_cols[] = {
	{ "dossier", 't' }, { "level", 't' }, { "criteria", 't' },
	{ "comment", 't' }, { "source", 't' }, { "created_at", 'T' },
	{ "updated_at", 'T' }, { NULL, 0 }
};

static const struct col message_cols[] = {
	{ "dossier", 't' }, { "event", 't' }, { "channel", 't' },
	{ "recipient", 't' }, { "subject", 't' }, { "body", 't' },
	{ "status", 't' }, { "created_at", 'T' }, { "sent_at", 'T' },
	{ NULL, 0 }
};

static const struct col feedback_cols[] = {
	{ "code", 't' }, { "channel", 't' }, { "kind", 't' },
	{ "title", 't' }, { "content", 't' }, { "sender_name", 't' },
	{ "sender_phone", 't' }, { "sender_email", 't' },
	{ "sender_address", 't' }, { "dossier", 't' }, { "status", 't' },
	{ "received_at", 'T' }, { "answered_at", 'T' }, { "answer", 't' },
	{ NULL, 0 }
};

static const struct col document_cols[] = {
	{ "id", 'i' }, { "type_code", 't' }, { "number", 't' },
	{ "issuer", 't' }, { "issued_on", 't' }, { "valid_until", 't' },
	{ "status", 't' }, { "source", 't' }, { "source_dossier", 't' },
	{ "file_sha256", 't' }, { "verified", 'b' }, { "created_at", 'T' },
	{ NULL, 0 }
};

static const struct col access_cols[] = {
	{ "at", 'T' }, { "actor", 't' }, { "actor_unit", 't' },
	{ "action", 't' }, { "document_id", 'i' }, { "purpose", 't' },
	{ NULL, 0 }
};

static const struct col session_cols[] = {
	{ "created_at", 'T' }, { "expires_at", 'T' }, { "revoked_at", 'T' },
	{ "vneid", 'b' }, { NULL, 0 }
};

static const struct col otp_cols[] = {
	{ "channel", 't' }, { "created_at", 'T' }, { "expires_at", 'T' },
	{ "attempts", 'i' }, { "used_at", 'T' }, { NULL, 0 }
};

static const struct col ticket_cols[] = {
	{ "dossier", 't' }, { "number", 't' }, { "issued_at", 'T' },
	{ "called_at", 'T' }, { "finished_at", 'T' }, { "rating", 't' },
	{ NULL, 0 }
};

/*
 * The statements both an export and a dossier's record make, for the
 * dossiers 'where' picks, in 'order'.
 */
#define DOSSIER_FROM "FROM dossiers d JOIN procedure_versions v ON v.id = " \
	"d.version_id JOIN procedures p ON p.id = v.procedure_id JOIN units " \
	"u ON u.id = d.unit_id WHERE "
#define COMPONENTS(where, order) "SELECT d.code, c.ordinal, c.code, " \
	"c.name, c.form, c.provided, c.file_sha256, c.reused, " \
	"c.asked_again_reason FROM dossier_components c JOIN dossiers d ON " \
	"d.id = c.dossier_id WHERE " where " ORDER BY " order
#define EVENTS(where, order) "SELECT d.code, e.seq, e.at, e.actor, " \
	"e.action, e.from_status, e.to_status, e.note FROM dossier_events e " \
	"JOIN dossiers d ON d.id = e.dossier_id WHERE " where " ORDER BY " order
#define PAYMENTS(where, order) "SELECT d.code, p.method, p.platform, " \
	"p.amount, p.receipt_no, p.transaction_id, p.payer_name, p.paid_at " \
	"FROM payments p JOIN dossiers d ON d.id = p.dossier_id WHERE " \
	where " ORDER BY " order
#define RATINGS(where, order) "SELECT d.code, r.level, r.criteria, " \
	"r.comment, r.source, r.created_at, r.updated_at FROM ratings r JOIN " \
	"dossiers d ON d.id = r.dossier_id WHERE " where " ORDER BY " order

static const struct section sections[] = {
	{ "subject", "SELECT kind, id_number, name, phone, email, "
	  "province_code, created_at, updated_at FROM citizens WHERE "
	  "id_number = ?1 AND id = ?2", subject_cols, true },
	{ "dossiers", "SELECT d.code, p.code, v.name, u.code, d.channel, "
	  "d.return_channel, d.status, d.applicant_kind, "
	  "d.applicant_id_number, d.applicant_name, d.applicant_phone, "
	  "d.applicant_email, d.applicant_address, d.applicant_verified, "
	  "d.applicant_vneid, d.submitted_at, d.received_at, d.due_at, "
	  "d.finished_at, d.returned_at " DOSSIER_FROM "d.id IN (" MINE ") "
	  "ORDER BY d.id", dossier_cols, false },
	{ "components", COMPONENTS("d.id IN (" MINE ")", "d.id, c.ordinal"),
	  component_cols, false },
	{ "events", EVENTS("d.id IN (" MINE ")", "d.id, e.seq"), event_cols,
	  false },
	{ "payments", PAYMENTS("d.id IN (" MINE ")", "p.paid_at, p.id"),
	  payment_cols, false },
	{ "ratings", RATINGS("d.id IN (" MINE ")", "r.id"), rating_cols,
	  false },
	/* About their dossiers, and sent to them without one (sign-in
	 * codes, whose text is left out: a code is not to be kept). */
	{ "messages", "SELECT d.code, m.event, m.channel, m.recipient, "
	  "m.subject, CASE WHEN m.event = 'otp' THEN NULL ELSE m.body END, "
	  "m.status, m.created_at, m.sent_at FROM messages m LEFT JOIN "
	  "dossiers d ON d.id = m.dossier_id WHERE m.channel <> 'webhook' "
	  "AND (m.dossier_id IN (" MINE ") OR (m.dossier_id IS NULL AND "
	  "m.recipient IN (SELECT phone FROM citizens WHERE id = ?2 AND "
	  "phone IS NOT NULL UNION SELECT email FROM citizens WHERE id = ?2 "
	  "AND email IS NOT NULL))) ORDER BY m.id", message_cols, false },
	{ "feedback", "SELECT f.code, f.channel, f.kind, f.title, f.content, "
	  "f.sender_name, f.sender_phone, f.sender_email, f.sender_address, "
	  "d.code, f.status, f.received_at, f.answered_at, f.answer FROM "
	  "feedback f LEFT JOIN dossiers d ON d.id = f.dossier_id WHERE "
	  "f.citizen_id = ?2 AND " P1 " ORDER BY f.id", feedback_cols,
	  false },
	{ "documents", "SELECT o.id, o.type_code, o.number, o.issuer, "
	  "o.issued_on, o.valid_until, o.status, o.source, d.code, "
	  "o.file_sha256, o.verified, o.created_at FROM documents o LEFT "
	  "JOIN dossiers d ON d.id = o.source_dossier_id WHERE o.owner_id = "
	  "?1 AND " P2 " ORDER BY o.id", document_cols, false },
	{ "access_log", "SELECT at, actor, actor_unit, action, document_id, "
	  "purpose FROM access_log WHERE owner_id = ?1 AND " P2 " ORDER BY "
	  "at, id", access_cols, false },
	{ "sign_ins", "SELECT created_at, expires_at, revoked_at, vneid FROM "
	  "citizen_sessions WHERE citizen_id = ?2 AND " P1 " ORDER BY "
	  "created_at", session_cols, false },
	{ "sign_in_codes", "SELECT channel, created_at, expires_at, "
	  "attempts, used_at FROM citizen_otps WHERE citizen_id = ?2 AND " P1
	  " ORDER BY id", otp_cols, false },
	{ "floor_tickets", "SELECT d.code, t.number, t.issued_at, "
	  "t.called_at, t.finished_at, t.rating FROM queue_tickets t JOIN "
	  "dossiers d ON d.id = t.dossier_id WHERE d.id IN (" MINE ") ORDER "
	  "BY t.id", ticket_cols, false },
};

/*
 * One dossier's record, as handed over to the archive before its purge
 * (store/purge.h): the dossier as filed and what became of it.
 */
static const struct col record_cols[] = {
	{ "code", 't' }, { "procedure_code", 't' }, { "procedure_name", 't' },
	{ "unit_code", 't' }, { "channel", 't' }, { "return_channel", 't' },
	{ "status", 't' }, { "applicant_kind", 't' },
	{ "applicant_id_number", 't' }, { "applicant_name", 't' },
	{ "applicant_phone", 't' }, { "applicant_email", 't' },
	{ "applicant_address", 't' }, { "applicant_categories", 't' },
	{ "submitted_at", 'T' }, { "received_at", 'T' }, { "due_at", 'T' },
	{ "finished_at", 'T' }, { "returned_at", 'T' }, { NULL, 0 }
};

static const struct col result_cols[] = {
	{ "dossier", 't' }, { "code", 't' }, { "number", 't' },
	{ "file_sha256", 't' }, { "signer", 't' }, { "signed_at", 'T' },
	{ NULL, 0 }
};

#define THIS "d.id = ?1"

static const struct section record[] = {
	{ "dossier", "SELECT d.code, p.code, v.name, u.code, d.channel, "
	  "d.return_channel, d.status, d.applicant_kind, "
	  "d.applicant_id_number, d.applicant_name, d.applicant_phone, "
	  "d.applicant_email, d.applicant_address, d.applicant_categories, "
	  "d.submitted_at, d.received_at, d.due_at, d.finished_at, "
	  "d.returned_at " DOSSIER_FROM THIS, record_cols, true },
	{ "components", COMPONENTS(THIS, "c.ordinal"), component_cols, false },
	{ "events", EVENTS(THIS, "e.seq"), event_cols, false },
	{ "payments", PAYMENTS(THIS, "p.id"), payment_cols, false },
	{ "ratings", RATINGS(THIS, "r.id"), rating_cols, false },
	{ "messages", "SELECT d.code, m.event, m.channel, m.recipient, "
	  "m.subject, m.body, m.status, m.created_at, m.sent_at FROM messages "
	  "m JOIN dossiers d ON d.id = m.dossier_id WHERE " THIS " AND "
	  "m.channel <> 'webhook' ORDER BY m.id", message_cols, false },
	{ "results", "SELECT d.code, r.code, r.number, r.file_sha256, "
	  "r.signer, r.signed_at FROM results r JOIN dossiers d ON d.id = "
	  "r.dossier_id WHERE " THIS " ORDER BY r.id", result_cols, false },
};

static json_t *row_json(struct mc_stmt *s, const struct col *cols)
{
	json_t *o = json_object();
	char buf[40];
	int i;

	for (i = 0; cols[i].key; i++) {
		json_t *v;

		if (mc_sql_col_null(s, i))
			v = json_null();
		else if (cols[i].kind == 'i')
			v = json_integer(mc_sql_col_int(s, i));
		else if (cols[i].kind == 'b')
			v = json_boolean(mc_sql_col_int(s, i) != 0);
		else if (cols[i].kind == 'T')
			v = json_string(mc_time_format_local(
				mc_sql_col_time(s, i), buf, sizeof(buf)));
		else
			v = json_string(mc_sql_col_text(s, i));
		json_object_set_new(o, cols[i].key, v ? v : json_null());
	}
	return o;
}

/* Writes the JSON text of 'j' (stolen); -1 when 'out' fails. */
static int put(FILE *out, json_t *j)
{
	int rc = json_dumpf(j, out, JSON_COMPACT);

	json_decref(j);
	return rc;
}

/* A section; 'id_number' NULL: a dossier's record, 'id' its id. */
static int section_out(struct mc_conn *c, const struct section *sec,
		       const char *id_number, int64_t id, bool first,
		       FILE *out, struct mc_err *err)
{
	struct mc_stmt *s = mc_sql(c, sec->sql, err);
	int rc, n = 0;

	if (!s)
		return err && err->code ? err->code : MC_EDB;
	if (id_number) {
		mc_sql_text(s, 1, id_number);
		mc_sql_int(s, 2, id);
	} else {
		mc_sql_int(s, 1, id);
	}
	if (fprintf(out, "%s\"%s\":%s", first ? "" : ",", sec->name,
		    sec->one ? "" : "[") < 0)
		goto io;
	while ((rc = mc_sql_step(s, err)) == 1) {
		if ((n++ && fputc(',', out) == EOF) ||
		    put(out, row_json(s, sec->cols))) {
			mc_sql_reset(s);
			goto io;
		}
		if (sec->one) {
			mc_sql_reset(s);
			rc = 0;
			break;
		}
	}
	if (rc < 0)
		return rc;
	if (sec->one ? (!n && fputs("null", out) == EOF) :
	    fputc(']', out) == EOF)
		goto io;
	return 0;
io:
	return mc_error(err, MC_EIO, "the export could not be written: %s",
			strerror(errno));
}

int mc_export_person(struct mc_conn *c, const char *id_number, int64_t now,
		     FILE *out, struct mc_err *err)
{
	static const char who[] = "SELECT id FROM citizens WHERE id_number = "
		"?1";
	struct mc_stmt *s = mc_sql(c, who, err);
	int64_t citizen;
	char at[40];
	size_t i;
	int rc;

	if (!s)
		return err && err->code ? err->code : MC_EDB;
	mc_sql_text(s, 1, id_number);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_ENOTFOUND, "no citizen "
					      "has this ID number");
	citizen = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	if (fprintf(out, "{\"format\":\"motcua-personal-data/1\","
		    "\"generated_at\":\"%s\"", mc_time_format_local(now, at,
		    sizeof(at))) < 0)
		return mc_error(err, MC_EIO, "the export could not be written: "
				"%s", strerror(errno));
	for (i = 0; i < MC_ARRAY_SIZE(sections); i++)
		if ((rc = section_out(c, &sections[i], id_number, citizen,
				      false, out, err)))
			return rc;
	if (fputs("}\n", out) == EOF || fflush(out))
		return mc_error(err, MC_EIO, "the export could not be written: "
				"%s", strerror(errno));
	return 0;
}

int mc_export_dossier(struct mc_conn *c, int64_t id, FILE *out,
		      struct mc_err *err)
{
	size_t i;
	int rc;

	if (fputc('{', out) == EOF)
		return mc_error(err, MC_EIO, "the record could not be written: "
				"%s", strerror(errno));
	for (i = 0; i < MC_ARRAY_SIZE(record); i++)
		if ((rc = section_out(c, &record[i], NULL, id, i == 0, out,
				      err)))
			return rc;
	if (fputs("}\n", out) == EOF)
		return mc_error(err, MC_EIO, "the record could not be written: "
				"%s", strerror(errno));
	return 0;
}

static int32_t day_of(struct mc_stmt *s, int col)
{
	int64_t t = mc_sql_col_time(s, col);

	return t == MC_NO_TIME ? -1 : mc_local_day(t);
}

int64_t mc_extract_dossiers(struct mc_conn *c, const char *scope_path,
			    int32_t first, int32_t last, mc_extract_fn *fn,
			    void *arg, struct mc_err *err)
{
	/* Through dossiers_received; a page at a time by id. */
	static const char sql[] = "SELECT d.id, d.applicant_id_number, "
		"d.applicant_kind, p.code, v.field, v.level, u.code, d.channel, "
		"d.status, d.received_at, COALESCE(d.original_due_at, "
		"d.due_at), d.finished_at, d.rep_scanned, d.rep_reused, "
		"d.rep_paid_online FROM dossiers d JOIN procedure_versions v ON "
		"v.id = d.version_id JOIN procedures p ON p.id = v.procedure_id "
		"JOIN units u ON u.id = d.unit_id WHERE d.received_at >= ?1 AND "
		"d.received_at < ?2 AND substr(u.path, 1, length(CAST(?3 AS "
		"TEXT))) = ?3 AND "
		"d.id > ?4 ORDER BY d.id LIMIT 1000";
	struct mc_extract_row r;
	int64_t after = 0, n = 0, got;
	int rc;

	do {
		struct mc_stmt *s = mc_sql(c, sql, err);

		if (!s)
			return err && err->code ? err->code : MC_EDB;
		mc_sql_time(s, 1, mc_local_day_start(first));
		mc_sql_time(s, 2, mc_local_day_start(last + 1));
		mc_sql_text(s, 3, scope_path);
		mc_sql_int(s, 4, after);
		got = 0;
		while ((rc = mc_sql_step(s, err)) == 1) {
			memset(&r, 0, sizeof(r));
			after = mc_sql_col_int(s, 0);
			mc_sql_col_copy(s, 1, r.id_number, sizeof(r.id_number));
			mc_sql_col_copy(s, 2, r.applicant_kind,
					sizeof(r.applicant_kind));
			mc_sql_col_copy(s, 3, r.procedure_code,
					sizeof(r.procedure_code));
			mc_sql_col_copy(s, 4, r.field, sizeof(r.field));
			mc_sql_col_copy(s, 5, r.level, sizeof(r.level));
			mc_sql_col_copy(s, 6, r.unit_code, sizeof(r.unit_code));
			mc_sql_col_copy(s, 7, r.channel, sizeof(r.channel));
			mc_sql_col_copy(s, 8, r.status, sizeof(r.status));
			r.received_on = day_of(s, 9);
			r.due_on = day_of(s, 10);
			r.finished_on = day_of(s, 11);
			r.digitized = mc_sql_col_int(s, 12) != 0;
			r.reused = mc_sql_col_int(s, 13) != 0;
			r.paid_online = mc_sql_col_int(s, 14) != 0;
			got++;
			n++;
			if ((rc = fn(&r, arg))) {
				mc_sql_reset(s);
				return rc;
			}
		}
		if (rc < 0)
			return rc;
	} while (got == 1000);
	return n;
}
