/*
 * bundles.c — linked-procedure bundles and their applications (see
 * bundles.h).
 */
#include "core/compat.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "domain/lifecycle.h"
#include "store/bundles.h"
#include "store/catalog.h"
#include "store/portal.h"

#include <jansson.h>

static bool finished_well(enum mc_status s)
{
	return s == MC_ST_RESULT_READY || s == MC_ST_RETURNED;
}

static bool ended(enum mc_status s)
{
	return s == MC_ST_REFUSED || s == MC_ST_WITHDRAWN ||
	       s == MC_ST_STOPPED;
}

int mc_bundle_put(struct mc_conn *c, const struct mc_bundle *b, int64_t now,
		  struct mc_err *err)
{
	static const char known[] = "SELECT 1 FROM procedures WHERE code = ?1";
	static const char put[] = "INSERT INTO bundles (code, name, "
		"legal_basis, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, "
		"?4) ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
		"legal_basis = excluded.legal_basis, updated_at = "
		"excluded.updated_at RETURNING id";
	static const char drop[] = "DELETE FROM bundle_members WHERE "
		"bundle_id = ?1";
	static const char add[] = "INSERT INTO bundle_members (bundle_id, "
		"ordinal, procedure_code, stage) VALUES (?1, ?2, ?3, ?4)";
	bool seen[MC_BUNDLE_MAX_STAGES + 1] = { false };
	struct mc_stmt *s;
	char field[64];
	int64_t id;
	int i, j, rc, bad = 0, top = 0;

	if (b->nmembers < 2)
		bad |= mc_err_field(err, "members", "count", "a bundle links "
				    "2 to %d procedures", MC_BUNDLE_MAX_MEMBERS);
	for (i = 0; i < b->nmembers; i++) {
		snprintf(field, sizeof(field), "members[%d].procedure_code", i);
		for (j = 0; j < i; j++)
			if (!strcmp(b->members[j].procedure_code,
				    b->members[i].procedure_code))
				bad |= mc_err_field(err, field, "unique",
					"procedure %s is in the bundle twice",
					b->members[i].procedure_code);
		if (!(s = mc_sql(c, known, err)))
			return MC_EDB;
		mc_sql_text(s, 1, b->members[i].procedure_code);
		if ((rc = mc_sql_step(s, err)) < 0)
			return rc;
		if (rc == 1)
			mc_sql_reset(s);
		else
			bad |= mc_err_field(err, field, "exists", "no procedure "
					    "has the code %s",
					    b->members[i].procedure_code);
		if (b->members[i].stage < 1 ||
		    b->members[i].stage > MC_BUNDLE_MAX_STAGES) {
			snprintf(field, sizeof(field), "members[%d].stage", i);
			bad |= mc_err_field(err, field, "range", "a stage from "
					    "1 to %d", MC_BUNDLE_MAX_STAGES);
			continue;
		}
		seen[b->members[i].stage] = true;
		if (b->members[i].stage > top)
			top = b->members[i].stage;
	}
	for (i = 1; i <= top; i++)
		if (!seen[i]) {
			bad |= mc_err_field(err, "members", "stages", "stage %d "
					    "has no procedure: stages go from "
					    "1 without a gap", i);
			break;
		}
	if (bad)
		return MC_EINVAL;
	if (!(s = mc_sql(c, put, err)))
		return MC_EDB;
	mc_sql_text(s, 1, b->code);
	mc_sql_text(s, 2, b->name);
	mc_sql_text(s, 3, b->legal_basis);
	mc_sql_time(s, 4, now);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : MC_EDB;
	id = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	if (!(s = mc_sql(c, drop, err)))
		return MC_EDB;
	mc_sql_int(s, 1, id);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	for (i = 0; i < b->nmembers; i++) {
		if (!(s = mc_sql(c, add, err)))
			return MC_EDB;
		mc_sql_int(s, 1, id);
		mc_sql_int(s, 2, i);
		mc_sql_text(s, 3, b->members[i].procedure_code);
		mc_sql_int(s, 4, b->members[i].stage);
		if ((rc = mc_sql_exec(s, err)))
			return rc;
	}
	return 0;
}

/* Bundle 'id' or 'code' (the other 0 / NULL) into 'out'; its id. */
static int bundle_read(struct mc_conn *c, int64_t id, const char *code,
		       struct mc_bundle *out, int64_t *id_out,
		       struct mc_err *err)
{
	static const char head[] = "SELECT id, code, name, legal_basis FROM "
		"bundles WHERE id = ?1 OR code = ?2";
	static const char members[] = "SELECT m.procedure_code, m.stage, "
		"COALESCE((SELECT v.name FROM procedures p JOIN "
		"procedure_versions v ON v.procedure_id = p.id WHERE p.code = "
		"m.procedure_code ORDER BY v.version DESC LIMIT 1), '') FROM "
		"bundle_members m WHERE m.bundle_id = ?1 ORDER BY m.ordinal";
	struct mc_stmt *s = mc_sql(c, head, err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	mc_sql_text(s, 2, code ? code : "");
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_ENOTFOUND, "no bundle "
					      "has the code %s",
					      code ? code : "");
	*id_out = mc_sql_col_int(s, 0);
	mc_sql_col_copy(s, 1, out->code, sizeof(out->code));
	mc_sql_col_copy(s, 2, out->name, sizeof(out->name));
	mc_sql_col_copy(s, 3, out->legal_basis, sizeof(out->legal_basis));
	mc_sql_reset(s);
	if (!(s = mc_sql(c, members, err)))
		return MC_EDB;
	mc_sql_int(s, 1, *id_out);
	while (out->nmembers < MC_BUNDLE_MAX_MEMBERS &&
	       (rc = mc_sql_step(s, err)) == 1) {
		int k = out->nmembers++;

		mc_sql_col_copy(s, 0, out->members[k].procedure_code,
				sizeof(out->members[k].procedure_code));
		out->members[k].stage = (int)mc_sql_col_int(s, 1);
		mc_sql_col_copy(s, 2, out->members[k].procedure_name,
				sizeof(out->members[k].procedure_name));
	}
	if (rc == 1)
		mc_sql_reset(s);
	return rc < 0 ? rc : 0;
}

int mc_bundle_get(struct mc_conn *c, const char *code, struct mc_bundle *out,
		  struct mc_err *err)
{
	int64_t id;

	return bundle_read(c, 0, code, out, &id, err);
}

int mc_bundle_list(struct mc_conn *c, mc_bundle_fn *fn, void *arg,
		   struct mc_err *err)
{
	static const char sql[] = "SELECT code FROM bundles ORDER BY code "
		"LIMIT 200";
	struct mc_stmt *s = mc_sql(c, sql, err);
	char (*codes)[32] = mc_calloc(200, sizeof(*codes));
	struct mc_bundle *b = mc_malloc(sizeof(*b));
	int n = 0, i, rc = 0;

	if (!s)
		rc = MC_EDB;
	while (!rc && n < 200 && (rc = mc_sql_step(s, err)) == 1)
		mc_sql_col_copy(s, 0, codes[n++], sizeof(codes[0]));
	if (rc == 1) {
		mc_sql_reset(s);
		rc = 0;
	}
	for (i = 0; !rc && i < n; i++)
		if (!(rc = mc_bundle_get(c, codes[i], b, err)))
			fn(b, arg);
	mc_free(b);
	mc_free(codes);
	return rc < 0 ? rc : 0;
}

static const char *jstr(const json_t *o, const char *name)
{
	const char *v = json_string_value(json_object_get(o, name));

	return v ? v : "";
}

/* The intake of member 'code' of application 'app' at unit 'unit'. */
static void intake_of(const json_t *app, const char *code, const char *unit,
		      const struct mc_notify *n, struct mc_intake *in)
{
	const json_t *who = json_object_get(app, "applicant"), *k;
	const char *ch = jstr(app, "channel");
	size_t i;

	memset(in, 0, sizeof(*in));
	snprintf(in->procedure_code, sizeof(in->procedure_code), "%s", code);
	in->channel = !strcmp(ch, "postal") ? MC_CH_POSTAL : MC_CH_DIRECT;
	snprintf(in->return_channel, sizeof(in->return_channel), "%s",
		 *jstr(app, "return_channel") ? jstr(app, "return_channel") :
		 "counter");
	snprintf(in->unit_code, sizeof(in->unit_code), "%s", unit);
	snprintf(in->applicant_kind, sizeof(in->applicant_kind), "%s",
		 *jstr(who, "kind") ? jstr(who, "kind") : "person");
	snprintf(in->applicant_id, sizeof(in->applicant_id), "%s",
		 jstr(who, "id_number"));
	snprintf(in->applicant_name, sizeof(in->applicant_name), "%s",
		 jstr(who, "name"));
	snprintf(in->applicant_phone, sizeof(in->applicant_phone), "%s",
		 jstr(who, "phone"));
	snprintf(in->applicant_email, sizeof(in->applicant_email), "%s",
		 jstr(who, "email"));
	snprintf(in->applicant_address, sizeof(in->applicant_address), "%s",
		 jstr(who, "address"));
	json_array_foreach(json_object_get(json_object_get(app, "components"),
					   code), i, k) {
		if ((size_t)in->ncomponents >= MC_ARRAY_SIZE(in->components))
			break;
		snprintf(in->components[in->ncomponents].code,
			 sizeof(in->components[0].code), "%s", jstr(k, "code"));
		in->components[in->ncomponents++].provided =
			json_is_true(json_object_get(k, "provided"));
	}
	in->notify = n;
}

/*
 * Whether member 'code' can be taken in today from 'app': its procedure
 * in force, every required component handed in, no unknown one.
 */
static int check_member(struct mc_conn *c, const json_t *app,
			const char *code, int32_t today, struct mc_err *err)
{
	struct mc_procedure *p = mc_calloc(1, sizeof(*p));
	const json_t *given = json_object_get(json_object_get(app,
						"components"), code), *k;
	char field[64];
	size_t i;
	int j, rc;

	snprintf(field, sizeof(field), "components.%s", code);
	if ((rc = mc_procedure_get(c, code, 0, today, p, NULL))) {
		rc = mc_err_field(err, field, "in_force", "no published "
				  "version of procedure %s is in force today",
				  code);
		goto out;
	}
	for (j = 0; j < p->ncomponents; j++) {
		bool have = false;

		json_array_foreach(given, i, k)
			have |= !strcmp(jstr(k, "code"), p->components[j].code) &&
				json_is_true(json_object_get(k, "provided"));
		if (p->components[j].required && !have)
			rc = mc_err_field(err, field, "required", "required "
					  "component %s (%s) of %s is missing",
					  p->components[j].code,
					  p->components[j].name, code);
	}
	json_array_foreach(given, i, k) {
		for (j = 0; j < p->ncomponents; j++)
			if (!strcmp(jstr(k, "code"), p->components[j].code))
				break;
		if (j == p->ncomponents)
			rc = mc_err_field(err, field, "exists", "procedure %s "
					  "has no component %s", code,
					  jstr(k, "code"));
	}
out:
	mc_procedure_release(p);
	mc_free(p);
	return rc;
}

/* The children of stage 'stage' taken in, tied to application 'parent'. */
static int spawn(struct mc_conn *c, const struct mc_calendar *cal,
		 const struct mc_user *actor, const struct mc_notify *n,
		 const struct mc_bundle *b, int64_t parent, const json_t *app,
		 const char *unit, int stage, int64_t now, struct mc_err *err)
{
	static const char tie[] = "UPDATE dossiers SET bundle_dossier_id = "
		"?2, bundle_stage = ?3 WHERE id = ?1";
	struct mc_intake *in = mc_malloc(sizeof(*in));
	struct mc_dossier d;
	struct mc_stmt *s;
	int i, rc = 0;

	memset(&d, 0, sizeof(d));
	for (i = 0; !rc && i < b->nmembers; i++) {
		if (b->members[i].stage != stage)
			continue;
		intake_of(app, b->members[i].procedure_code, unit, n, in);
		if ((rc = mc_dossier_intake(c, cal, actor, in, now, &d, err)))
			break;
		if (!(s = mc_sql(c, tie, err))) {
			rc = MC_EDB;
			break;
		}
		mc_sql_int(s, 1, d.id);
		mc_sql_int(s, 2, parent);
		mc_sql_int(s, 3, stage);
		rc = mc_sql_exec(s, err);
	}
	mc_dossier_release(&d);
	mc_free(in);
	return rc;
}

/* The period of procedure 'code' as a dossier by 'channel' would have. */
static int period_of(struct mc_conn *c, const struct mc_calendar *cal,
		     const char *code, enum mc_channel channel, int32_t today,
		     struct mc_period *out)
{
	struct mc_procedure *p = mc_calloc(1, sizeof(*p));
	int rc = mc_procedure_get(c, code, 0, today, p, NULL);

	if (!rc)
		*out = mc_lc_period(p->time, p->online_reduction_percent,
				    channel, cal);
	mc_procedure_release(p);
	mc_free(p);
	return rc;
}

struct child {
	enum mc_status status;
	int stage;
	int64_t due, finished;
	char timeliness[16];
};

/* What an application is: read with its children, then judged. */
struct app_state {
	int64_t id, bundle_id, unit_id;
	char code[MC_DOSSIER_CODE_MAX], status[16], unit_code[MC_CODE_MAX];
	char *application;
	char *members;			/* the bundle's, as at intake */
	int stage;
	int nchildren;
	struct child children[MC_BUNDLE_MAX_MEMBERS];
};

static int app_read(struct mc_conn *c, int64_t id, struct app_state *a,
		    struct mc_err *err)
{
	static const char head[] = "SELECT b.id, b.code, b.bundle_id, "
		"b.unit_id, b.status, b.stage, b.application, u.code, "
		"b.members FROM bundle_dossiers b JOIN units u ON u.id = "
		"b.unit_id WHERE b.id = ?1";
	static const char kids[] = "SELECT status, bundle_stage, due_at, "
		"finished_at, COALESCE(timeliness, '') FROM dossiers WHERE "
		"bundle_dossier_id = ?1 ORDER BY id";
	struct mc_stmt *s = mc_sql(c, head, err);
	char st[32];
	int rc;

	memset(a, 0, sizeof(*a));
	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_ENOTFOUND, "no such "
					      "application");
	a->id = mc_sql_col_int(s, 0);
	mc_sql_col_copy(s, 1, a->code, sizeof(a->code));
	a->bundle_id = mc_sql_col_int(s, 2);
	a->unit_id = mc_sql_col_int(s, 3);
	mc_sql_col_copy(s, 4, a->status, sizeof(a->status));
	a->stage = (int)mc_sql_col_int(s, 5);
	a->application = mc_strdup(mc_sql_col_text(s, 6) ?
				   mc_sql_col_text(s, 6) : "{}");
	mc_sql_col_copy(s, 7, a->unit_code, sizeof(a->unit_code));
	a->members = mc_strdup(mc_sql_col_text(s, 8) ? mc_sql_col_text(s, 8) :
			       "[]");
	mc_sql_reset(s);
	if (!(s = mc_sql(c, kids, err)))
		return MC_EDB;
	mc_sql_int(s, 1, id);
	while (a->nchildren < MC_BUNDLE_MAX_MEMBERS &&
	       (rc = mc_sql_step(s, err)) == 1) {
		struct child *k = &a->children[a->nchildren++];

		mc_sql_col_copy(s, 0, st, sizeof(st));
		k->status = (enum mc_status)mc_status_parse(st);
		k->stage = (int)mc_sql_col_int(s, 1);
		k->due = mc_sql_col_time(s, 2);
		k->finished = mc_sql_col_time(s, 3);
		mc_sql_col_copy(s, 4, k->timeliness, sizeof(k->timeliness));
	}
	if (rc == 1)
		mc_sql_reset(s);
	return rc < 0 ? rc : 0;
}

/* The members an application was made with (its snapshot) into 'b'. */
static void members_of(const char *text, struct mc_bundle *b)
{
	json_t *list = json_loads(text, 0, NULL), *m;
	size_t i;

	memset(b, 0, sizeof(*b));
	json_array_foreach(list, i, m) {
		if (b->nmembers >= MC_BUNDLE_MAX_MEMBERS)
			break;
		snprintf(b->members[b->nmembers].procedure_code,
			 sizeof(b->members[0].procedure_code), "%s",
			 jstr(m, "procedure_code"));
		b->members[b->nmembers++].stage = (int)json_integer_value(
			json_object_get(m, "stage"));
	}
	json_decref(list);
}

/* The members of 'b' as the snapshot an application keeps (mc_free). */
static char *members_text(const struct mc_bundle *b)
{
	json_t *list = json_array();
	char *text;
	int i;

	for (i = 0; i < b->nmembers; i++)
		json_array_append_new(list, json_pack("{s:s, s:i}",
			"procedure_code", b->members[i].procedure_code,
			"stage", b->members[i].stage));
	text = mc_portal_json(list, 0);
	json_decref(list);
	return text;
}

/*
 * The application's deadline: the latest of its children's, then, stage
 * by stage after the one under way, the latest of what its members'
 * periods would give counted from the stage before.
 */
static int deadline(struct mc_conn *c, const struct mc_calendar *cal,
		    const struct mc_bundle *b, const struct app_state *a,
		    enum mc_channel channel, int64_t now, int64_t *due,
		    struct mc_err *err)
{
	int32_t today = mc_local_day(now);
	int64_t last = MC_NO_TIME;
	int i, s, top = 0, rc;

	for (i = 0; i < a->nchildren; i++)
		if (a->children[i].due != MC_NO_TIME &&
		    (last == MC_NO_TIME || a->children[i].due > last))
			last = a->children[i].due;
	for (i = 0; i < b->nmembers; i++)
		top = b->members[i].stage > top ? b->members[i].stage : top;
	for (s = a->stage + 1; last != MC_NO_TIME && s <= top; s++) {
		int64_t stage_due = last;

		for (i = 0; i < b->nmembers; i++) {
			struct mc_period per;
			int64_t start, d;

			if (b->members[i].stage != s)
				continue;
			if (period_of(c, cal, b->members[i].procedure_code,
				      channel, today, &per))
				continue;	/* no longer in force */
			if ((rc = mc_lc_due(cal, per, last, &start, &d, err)))
				return rc;
			stage_due = d > stage_due ? d : stage_due;
		}
		last = stage_due;
	}
	*due = last;
	return 0;
}

/* The worst of the children's timeliness: late, on time, early. */
static const char *worst(const struct app_state *a)
{
	bool late = false, on_time = false;
	int i;

	for (i = 0; i < a->nchildren; i++) {
		late |= !strcmp(a->children[i].timeliness, "late");
		on_time |= !strcmp(a->children[i].timeliness, "on_time");
	}
	return late ? "late" : on_time ? "on_time" : "early";
}

/*
 * Judges application 'id' now: spawns, finishes, dates it. Its row is
 * locked first (PostgreSQL runs actions on sibling dossiers side by
 * side: the second waits, then sees what the first did).
 */
static int judge(struct mc_conn *c, const struct mc_calendar *cal,
		 const struct mc_notify *n, int64_t id, int64_t now,
		 struct mc_err *err)
{
	static const char lock[] = "UPDATE bundle_dossiers SET updated_at = "
		"?2 WHERE id = ?1";
	static const char save[] = "UPDATE bundle_dossiers SET status = ?2, "
		"stage = ?3, due_at = ?4, finished_at = ?5, timeliness = ?6, "
		"updated_at = ?7, note = ?8 WHERE id = ?1";
	struct app_state *a = mc_malloc(sizeof(*a));
	struct mc_bundle *b = mc_malloc(sizeof(*b));
	const char *status, *tl = NULL;
	int64_t due = MC_NO_TIME, finished = MC_NO_TIME;
	bool all_done = true, all_returned = true, any_ended = false;
	char note[600] = "";
	enum mc_channel channel;
	struct mc_stmt *s;
	json_t *app = NULL;
	int i, top = 0, rc;

	memset(a, 0, sizeof(*a));
	if (!(s = mc_sql(c, lock, err))) {
		rc = MC_EDB;
		goto out;
	}
	mc_sql_int(s, 1, id);
	mc_sql_time(s, 2, now);
	if ((rc = mc_sql_exec(s, err)) || (rc = app_read(c, id, a, err)))
		goto out;
	if (strcmp(a->status, "processing") && strcmp(a->status, "blocked") &&
	    strcmp(a->status, "completed"))
		goto out;		/* returned or ended: it stays so */
	members_of(a->members, b);
	app = json_loads(a->application, 0, NULL);
	channel = !strcmp(jstr(app, "channel"), "postal") ? MC_CH_POSTAL :
		  MC_CH_DIRECT;
	for (i = 0; i < b->nmembers; i++)
		top = b->members[i].stage > top ? b->members[i].stage : top;
	for (i = 0; i < a->nchildren; i++) {
		const struct child *k = &a->children[i];

		any_ended |= ended(k->status);
		all_returned &= k->status == MC_ST_RETURNED;
		if (k->stage == a->stage)
			all_done &= finished_well(k->status);
		if (k->finished != MC_NO_TIME &&
		    (finished == MC_NO_TIME || k->finished > finished))
			finished = k->finished;
	}
	/* Every child of this stage has its result: the next one begins. */
	if (!any_ended && all_done && a->stage < top) {
		struct mc_err why = MC_ERR_INIT;
		struct mc_user sys;
		int bad = 0;

		/*
		 * Whole first, as at intake: a procedure changed since (a
		 * paper more, no version in force) blocks the application,
		 * not the action that finished the stage.
		 */
		for (i = 0; i < b->nmembers; i++)
			if (b->members[i].stage == a->stage + 1)
				bad |= check_member(c, app,
					b->members[i].procedure_code,
					mc_local_day(now), &why) != 0;
		if (bad) {
			mc_err_text(&why, note, sizeof(note));
			all_done = false;
		} else {
			/* Taken in at the unit the application came to. */
			mc_system_intake_actor(&sys, "lienthong", "Hệ thống "
					       "liên thông", a->unit_code);
			if ((rc = spawn(c, cal, &sys, n, b, a->id, app,
					a->unit_code, a->stage + 1, now, err)))
				goto out;
			mc_free(a->application);
			mc_free(a->members);
			if ((rc = app_read(c, id, a, err)))
				goto out;
			a->stage++;
			all_done = false;
			all_returned = false;
		}
	}
	if (any_ended) {
		status = "ended";
		finished = now;
	} else if (note[0]) {
		status = "blocked";
		finished = MC_NO_TIME;
	} else if (all_done && all_returned) {
		status = "returned";
		tl = worst(a);
	} else if (all_done) {
		status = "completed";
		tl = worst(a);
	} else {
		status = "processing";
		finished = MC_NO_TIME;
	}
	if ((rc = deadline(c, cal, b, a, channel, now, &due, err)))
		goto out;
	if (!(s = mc_sql(c, save, err))) {
		rc = MC_EDB;
		goto out;
	}
	mc_sql_int(s, 1, a->id);
	mc_sql_text(s, 2, status);
	mc_sql_int(s, 3, a->stage);
	mc_sql_time(s, 4, due);
	mc_sql_time(s, 5, finished);
	mc_sql_text_opt(s, 6, tl ? tl : "");
	mc_sql_time(s, 7, now);
	mc_sql_text_opt(s, 8, note);
	rc = mc_sql_exec(s, err);
out:
	json_decref(app);
	mc_free(a->application);
	mc_free(a->members);
	mc_free(a);
	mc_free(b);
	return rc;
}

int mc_bundle_intake(struct mc_conn *c, const struct mc_calendar *cal,
		     const struct mc_user *actor, const char *bundle_code,
		     const char *application, const struct mc_notify *n,
		     int64_t now, struct mc_bundle_dossier *out,
		     struct mc_err *err)
{
	static const char ins[] = "INSERT INTO bundle_dossiers (code, "
		"bundle_id, unit_id, status, stage, applicant_id_number, "
		"applicant_name, application, received_at, created_by, "
		"created_at, updated_at, members) SELECT ?1, ?2, u.id, "
		"'processing', 1, ?3, ?4, ?5, ?6, ?7, ?6, ?6, ?9 FROM units u "
		"WHERE u.code = ?8 RETURNING id";
	struct mc_bundle *b = mc_malloc(sizeof(*b));
	json_t *app = json_loads(application, 0, NULL);
	const json_t *who = json_object_get(app, "applicant");
	const char *unit = actor->unit_code;
	int32_t today = mc_local_day(now);
	struct mc_ymd ymd = mc_ymd_from_days(today);
	char day[16], agency[80], code[MC_DOSSIER_CODE_MAX];
	char *members = NULL;
	struct mc_stmt *s;
	int64_t bid, seq, id;
	int i, rc, bad = 0;

	if ((rc = bundle_read(c, 0, bundle_code, b, &bid, err)))
		goto out;
	if (!json_is_object(app)) {
		rc = mc_error(err, MC_EINTERNAL, "bundle: the application is "
			      "not JSON");
		goto out;
	}
	/* Whole first: nothing is taken in unless every member can be. */
	for (i = 0; i < b->nmembers; i++)
		bad |= check_member(c, app, b->members[i].procedure_code,
				    today, err) != 0;
	{
		const char *k;
		json_t *v;

		json_object_foreach(json_object_get(app, "components"), k, v) {
			for (i = 0; i < b->nmembers; i++)
				if (!strcmp(b->members[i].procedure_code, k))
					break;
			if (i == b->nmembers)
				bad |= mc_err_field(err, "components", "member",
						    "procedure %s is not of "
						    "bundle %s", k, b->code);
		}
	}
	if (bad) {
		rc = MC_EINVAL;
		goto out;
	}
	snprintf(day, sizeof(day), "%02d%02d%02d", ymd.year % 100,
		 ymd.month % 100, ymd.day % 100);
	snprintf(agency, sizeof(agency), "LT-%s", unit);
	if ((rc = mc_sequence_next(c, agency, day, &seq, err)))
		goto out;
	snprintf(code, sizeof(code), "LT-%.60s-%s-%04" PRId64, unit, day, seq);
	if (!(s = mc_sql(c, ins, err))) {
		rc = MC_EDB;
		goto out;
	}
	mc_sql_text(s, 1, code);
	mc_sql_int(s, 2, bid);
	mc_sql_text(s, 3, jstr(who, "id_number"));
	mc_sql_text(s, 4, jstr(who, "name"));
	mc_sql_text(s, 5, application);
	mc_sql_time(s, 6, now);
	mc_sql_id(s, 7, actor->id);
	mc_sql_text(s, 8, unit);
	members = members_text(b);
	mc_sql_text(s, 9, members ? members : "[]");
	if ((rc = mc_sql_step(s, err)) != 1) {
		rc = rc < 0 ? rc : mc_err_field(err, "unit_code", "exists",
						"no unit has the code %s", unit);
		goto out;
	}
	id = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	if ((rc = spawn(c, cal, actor, n, b, id, app, unit, 1, now, err)) ||
	    (rc = judge(c, cal, n, id, now, err)))
		goto out;
	rc = mc_bundle_dossier_get(c, code, out, err);
out:
	json_decref(app);
	mc_free(members);
	mc_free(b);
	return rc;
}

int mc_bundle_follow(struct mc_conn *c, const struct mc_calendar *cal,
		     const struct mc_notify *n, int64_t dossier_id, int64_t now,
		     struct mc_err *err)
{
	static const char sql[] = "SELECT bundle_dossier_id FROM dossiers "
		"WHERE id = ?1 AND bundle_dossier_id IS NOT NULL";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int64_t parent;
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, dossier_id);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : 0;		/* not a child */
	parent = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	return judge(c, cal, n, parent, now, err);
}

int mc_bundle_resume(struct mc_conn *c, const struct mc_calendar *cal,
		     const struct mc_notify *n, int64_t now,
		     struct mc_bundle_dossier *out, struct mc_err *err)
{
	char again[MC_DOSSIER_CODE_MAX];
	int rc;

	if (strcmp(out->status, "blocked"))
		return mc_err_rule(err, MC_ECONFLICT, "status", "blocked",
				   "application %s is %s, not blocked",
				   out->code, out->status);
	if ((rc = judge(c, cal, n, out->id, now, err)))
		return rc;
	/* Read back: not from 'out', which the reading clears first. */
	snprintf(again, sizeof(again), "%s", out->code);
	return mc_bundle_dossier_get(c, again, out, err);
}

int mc_bundle_dossier_get(struct mc_conn *c, const char *code,
			  struct mc_bundle_dossier *out, struct mc_err *err)
{
	static const char head[] = "SELECT b.id, b.code, x.code, x.name, "
		"u.code, b.status, b.stage, b.applicant_id_number, "
		"b.applicant_name, b.received_at, b.due_at, b.finished_at, "
		"COALESCE(b.timeliness, ''), b.members, COALESCE(b.note, ''), "
		"u.path FROM "
		"bundle_dossiers b JOIN bundles x ON x.id = b.bundle_id JOIN "
		"units u ON u.id = b.unit_id WHERE b.code = ?1 OR b.id = "
		"(SELECT bundle_dossier_id FROM dossiers WHERE code = ?1)";
	static const char kids[] = "SELECT d.code, p.code, v.name, "
		"d.bundle_stage, d.status, u.code, d.due_at, d.finished_at, "
		"COALESCE(d.timeliness, ''), u.path FROM dossiers d JOIN "
		"procedure_versions v ON v.id = d.version_id JOIN procedures p "
		"ON p.id = v.procedure_id JOIN units u ON u.id = "
		"d.current_unit_id WHERE d.bundle_dossier_id = ?1 ORDER BY "
		"d.bundle_stage, d.id";
	struct mc_stmt *s = mc_sql(c, head, err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, code);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_ENOTFOUND, "no linked "
					      "application has the code %s",
					      code);
	out->id = mc_sql_col_int(s, 0);
	mc_sql_col_copy(s, 1, out->code, sizeof(out->code));
	mc_sql_col_copy(s, 2, out->bundle_code, sizeof(out->bundle_code));
	mc_sql_col_copy(s, 3, out->bundle_name, sizeof(out->bundle_name));
	mc_sql_col_copy(s, 4, out->unit_code, sizeof(out->unit_code));
	mc_sql_col_copy(s, 5, out->status, sizeof(out->status));
	out->stage = (int)mc_sql_col_int(s, 6);
	mc_sql_col_copy(s, 7, out->applicant_id, sizeof(out->applicant_id));
	mc_sql_col_copy(s, 8, out->applicant_name,
			sizeof(out->applicant_name));
	out->received_at = mc_sql_col_time(s, 9);
	out->due_at = mc_sql_col_time(s, 10);
	out->finished_at = mc_sql_col_time(s, 11);
	mc_sql_col_copy(s, 12, out->timeliness, sizeof(out->timeliness));
	{
		struct mc_bundle *m = mc_malloc(sizeof(*m));
		int i;

		members_of(mc_sql_col_text(s, 13) ? mc_sql_col_text(s, 13) :
			   "[]", m);
		for (i = 0; i < m->nmembers; i++)
			if (m->members[i].stage > out->stages)
				out->stages = m->members[i].stage;
		mc_free(m);
	}
	mc_sql_col_copy(s, 14, out->note, sizeof(out->note));
	mc_sql_col_copy(s, 15, out->unit_path, sizeof(out->unit_path));
	mc_sql_reset(s);
	if (!(s = mc_sql(c, kids, err)))
		return MC_EDB;
	mc_sql_int(s, 1, out->id);
	while (out->nchildren < MC_BUNDLE_MAX_MEMBERS &&
	       (rc = mc_sql_step(s, err)) == 1) {
		int k = out->nchildren++;

		mc_sql_col_copy(s, 0, out->children[k].code,
				sizeof(out->children[k].code));
		mc_sql_col_copy(s, 1, out->children[k].procedure_code,
				sizeof(out->children[k].procedure_code));
		mc_sql_col_copy(s, 2, out->children[k].procedure_name,
				sizeof(out->children[k].procedure_name));
		out->children[k].stage = (int)mc_sql_col_int(s, 3);
		mc_sql_col_copy(s, 4, out->children[k].status,
				sizeof(out->children[k].status));
		mc_sql_col_copy(s, 5, out->children[k].unit_code,
				sizeof(out->children[k].unit_code));
		out->children[k].due_at = mc_sql_col_time(s, 6);
		out->children[k].finished_at = mc_sql_col_time(s, 7);
		mc_sql_col_copy(s, 8, out->children[k].timeliness,
				sizeof(out->children[k].timeliness));
		mc_sql_col_copy(s, 9, out->children[k].unit_path,
				sizeof(out->children[k].unit_path));
	}
	if (rc == 1)
		mc_sql_reset(s);
	return rc < 0 ? rc : 0;
}
