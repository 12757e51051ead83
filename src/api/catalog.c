/*
 * catalog.c — units and procedures: GET|POST /api/v1/units,
 * GET /api/v1/units/{code}, GET|POST /api/v1/procedures,
 * GET /api/v1/procedures/{code}, POST /api/v1/procedures/{code}/publish.
 *
 * The procedure catalog is public (citizens read it); drafts and every
 * change need a staff token: units are the administrator's, procedures the
 * procedure-control officer's (and the administrator's).
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/fold.h"
#include "core/mem.h"
#include "core/parse.h"
#include "core/timeutil.h"
#include "api/api.h"
#include "api/util.h"
#include "app.h"
#include "domain/fees.h"
#include "domain/lifecycle.h"
#include "http/server.h"
#include "store/catalog.h"

#include <ctype.h>

#define ROLE(r) (1u << (r))

static const char *const unit_levels[] = {
	"province", "department", "center", "branch", "commune", "district",
	NULL
};

static int check_date(const char *field, const char *v, bool required,
		      struct mc_err *err)
{
	int32_t d;

	if (!*v)
		return required ? mc_err_field(err, field, "required", "give "
					       "a date YYYY-MM-DD") : 0;
	return mc_parse_date(field, v, &d, err);
}

json_t *mc_api_unit_json(const struct mc_unit *u)
{
	return json_pack("{s:s, s:o, s:s, s:o, s:s, s:o, s:s, s:o, s:o}",
			 "code", u->code, "admin_code",
			 mc_api_text(u->admin_code), "name", u->name,
			 "short_name", mc_api_text(u->short_name),
			 "level", u->level, "parent_code",
			 mc_api_text(u->parent_code), "valid_from",
			 u->valid_from, "valid_to", mc_api_text(u->valid_to),
			 "successor_code", mc_api_text(u->successor_code));
}

int mc_api_unit_parse(json_t *o, struct mc_unit *u, struct mc_err *err)
{
	static const char *const known[] = {
		"code", "admin_code", "name", "short_name", "level",
		"parent_code", "valid_from", "valid_to", "successor_code", NULL
	};
	int rc = 0;

	memset(u, 0, sizeof(*u));
	rc |= mc_api_known(o, "", known, err);
	rc |= mc_api_str(o, "", "code", true, MC_CODE_MAX - 1, u->code,
			 sizeof(u->code), err);
	rc |= mc_api_str(o, "", "admin_code", false, 15, u->admin_code,
			 sizeof(u->admin_code), err);
	rc |= mc_api_str(o, "", "name", true, 255, u->name, sizeof(u->name),
			 err);
	rc |= mc_api_str(o, "", "short_name", false, 100, u->short_name,
			 sizeof(u->short_name), err);
	rc |= mc_api_str(o, "", "level", true, 15, u->level, sizeof(u->level),
			 err);
	if (u->level[0] && !mc_api_one_of(u->level, unit_levels))
		rc |= mc_err_field(err, "level", "enum", "must be one of "
				   "province, department, center, branch, "
				   "commune, district");
	rc |= mc_api_str(o, "", "parent_code", false, MC_CODE_MAX - 1,
			 u->parent_code, sizeof(u->parent_code), err);
	rc |= mc_api_str(o, "", "successor_code", false, MC_CODE_MAX - 1,
			 u->successor_code, sizeof(u->successor_code), err);
	rc |= mc_api_str(o, "", "valid_from", true, 10, u->valid_from,
			 sizeof(u->valid_from), err);
	rc |= mc_api_str(o, "", "valid_to", false, 10, u->valid_to,
			 sizeof(u->valid_to), err);
	if (u->valid_from[0]) {
		int drc = check_date("valid_from", u->valid_from, true, err);

		drc |= check_date("valid_to", u->valid_to, false, err);
		if (!drc && u->valid_to[0] &&
		    strcmp(u->valid_to, u->valid_from) < 0)
			drc = mc_err_field(err, "valid_to", "after_from",
					   "must not be before valid_from");
		rc |= drc;
	}
	return rc ? MC_EINVAL : 0;
}

struct unit_list {
	json_t *items;
	int64_t last;
};

static void unit_item(const struct mc_unit *u, void *arg)
{
	struct unit_list *l = arg;

	json_array_append_new(l->items, mc_api_unit_json(u));
	l->last = u->id;
}

void api_units_list(struct mc_req *r)
{
	static const char *const allowed[] = { "q", "limit", "cursor", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct unit_list l = { NULL, 0 };
	struct mc_user me;
	const char *q, *cur;
	char *folded = NULL;
	long after = 0;
	int limit, n;

	if (mc_api_user(r, &me))
		return;
	if (mc_req_query_check(r, allowed, &err) ||
	    mc_api_limit(r, 100, 500, &limit, &err))
		goto bad;
	cur = mc_req_query(r, "cursor");
	if (cur && mc_parse_int("cursor", cur, 0, INT64_MAX, &after, &err))
		goto bad;
	q = mc_req_query(r, "q");
	if (q && strlen(q) > 200) {
		mc_err_field(&err, "q", "max_length", "at most 200 bytes");
		goto bad;
	}
	l.items = json_array();
	/* A unit code is looked up as it is; anything else by name. */
	if (q)
		n = mc_unit_list(mc_req_db(r), q, NULL, after, limit,
				 unit_item, &l, &err);
	else
		n = mc_unit_list(mc_req_db(r), NULL, NULL, after, limit,
				 unit_item, &l, &err);
	if (q && n == 0) {
		folded = mc_text_fold(q, strlen(q));
		n = mc_unit_list(mc_req_db(r), NULL, folded, after, limit,
				 unit_item, &l, &err);
		mc_free(folded);
	}
	if (n < 0) {
		json_decref(l.items);
		goto bad;
	}
	mc_api_page_after(r, l.items, n == limit, l.last);
	return;
bad:
	if (!mc_req_answered(r))
		mc_reply_err(r, &err);
}

void api_units_get(struct mc_req *r)
{
	static const char *const allowed[] = { NULL };
	struct mc_err err = MC_ERR_INIT;
	struct mc_user me;
	struct mc_unit u;

	if (mc_api_user(r, &me))
		return;
	if (mc_req_query_check(r, allowed, &err) ||
	    mc_unit_get(mc_req_db(r), mc_req_param(r, "code"), &u, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	mc_reply_json(r, 200, mc_api_unit_json(&u));
}

struct unit_write {
	struct mc_api_write aw;
	struct mc_unit in, out;
	struct mc_user me;
	int64_t now;
};

/* Whether unit path 'p' ("/1/", "/1/7/") is of a top unit. */
static bool is_root(const char *p)
{
	const char *end = strchr(p + 1, '/');

	return end && !end[1];
}

static int unit_fn(struct mc_conn *c, struct mc_api_write *aw,
		   struct mc_err *err)
{
	struct unit_write *uw = (struct unit_write *)aw;
	struct mc_unit parent;

	/*
	 * An administrator adds units inside their own, as they add
	 * accounts only there (docs/authorization.md); a new root only an
	 * administrator of a root (the province) may add.
	 */
	if (uw->in.parent_code[0] &&
	    !mc_unit_get(c, uw->in.parent_code, &parent, NULL) &&
	    !mc_unit_within(parent.path, uw->me.unit_path))
		return mc_error(err, MC_EFORBIDDEN, "unit %s is outside the "
				"units of %s", parent.code, uw->me.username);
	if (!uw->in.parent_code[0] && !is_root(uw->me.unit_path))
		return mc_error(err, MC_EFORBIDDEN, "only an administrator of "
				"a top unit may add a top unit");
	return mc_unit_create(c, &uw->in, uw->now, &uw->out, err);
}

static void unit_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct unit_write *uw = (struct unit_write *)aw;

	mc_reply_json(r, 201, mc_api_unit_json(&uw->out));
}

void api_units_create(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct unit_write *uw;
	struct mc_user me;
	json_t *body;

	if (mc_api_user(r, &me) ||
	    mc_api_require_role(r, &me, ROLE(MC_ROLE_ADMIN)))
		return;
	if (!(body = mc_api_body(r)))
		return;
	uw = mc_calloc(1, sizeof(*uw));
	if (mc_api_unit_parse(body, &uw->in, &err)) {
		json_decref(body);
		mc_free(uw);
		mc_reply_err(r, &err);
		return;
	}
	json_decref(body);
	uw->me = me;
	uw->now = mc_api_now(mc_req_app(r));
	uw->aw.fn = unit_fn;
	uw->aw.reply = unit_reply;
	mc_api_write_submit(r, &uw->aw);
}

/* Procedures. */

static bool valid_proc_code(const char *s)
{
	int i;

	if (strlen(s) != 8 || s[1] != '.' || !isdigit((unsigned char)s[0]))
		return false;
	for (i = 2; i < 8; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static const char *const period_keys[] = { "amount", "unit", NULL };

static int parse_period(json_t *o, const char *name, bool required,
			struct mc_period *out, bool *given, struct mc_err *err)
{
	json_t *v = json_object_get(o, name);
	char path[64], unit[24];
	int64_t amount;
	int u, rc = 0;

	*given = false;
	if (!v || json_is_null(v))
		return required ? mc_err_field(err, name, "required", "give "
					       "{\"amount\": N, \"unit\": "
					       "\"working_days\"}") : 0;
	if (!json_is_object(v))
		return mc_err_field(err, name, "type", "must be an object");
	snprintf(path, sizeof(path), "%s.", name);
	rc |= mc_api_known(v, path, period_keys, err);
	rc |= mc_api_str(v, path, "unit", true, 20, unit, sizeof(unit), err);
	u = mc_due_unit_parse(unit);
	if (!rc && u < 0) {
		snprintf(path, sizeof(path), "%s.unit", name);
		return mc_err_field(err, path, "enum", "must be working_days, "
				    "working_hours, days or months");
	}
	if (rc)
		return rc;
	rc = mc_api_int(v, path, "amount", true, 0,
			mc_due_unit_max((enum mc_due_unit)u), 0, &amount, err);
	if (rc)
		return rc;
	out->amount = (int32_t)amount;
	out->unit = (enum mc_due_unit)u;
	*given = true;
	return 0;
}

/* "fees[2]." + "kind" into 'buf'. */
static const char *sub(const char *path, const char *name, char *buf,
		       size_t n)
{
	snprintf(buf, n, "%s%s", path, name);
	return buf;
}

int mc_api_procedure_parse(json_t *o, struct mc_procedure *p,
			   struct mc_err *err)
{
	char fld[64];
	static const char *const known[] = {
		"code", "name", "field", "level", "unit_code",
		"processing_time", "service_target",
		"online_reduction_percent", "online_level", "on_the_spot",
		"pay_before_processing", "result", "fees", "components",
		"steps", "decision", NULL
	};
	static const char *const levels[] = { "province", "district",
					      "commune", NULL };
	static const char *const online[] = { "none", "partial", "full",
					      NULL };
	static const char *const kinds[] = { "fee", "charge", NULL };
	static const char *const forms[] = { "original", "copy",
		"certified_copy", "electronic", NULL };
	json_t *v, *item;
	int64_t n;
	size_t i;
	bool given;
	int rc = 0, share = 0;

	mc_procedure_release(p);
	memset(p, 0, sizeof(*p));
	rc |= mc_api_known(o, "", known, err);
	rc |= mc_api_str(o, "", "code", true, 16, p->code, sizeof(p->code),
			 err);
	if (p->code[0] && !valid_proc_code(p->code))
		rc |= mc_err_field(err, "code", "format", "a national "
				   "procedure code looks like 1.001234");
	rc |= mc_api_str(o, "", "name", true, 500, p->name, sizeof(p->name),
			 err);
	rc |= mc_api_str(o, "", "field", true, 200, p->field,
			 sizeof(p->field), err);
	rc |= mc_api_str(o, "", "level", true, 10, p->level, sizeof(p->level),
			 err);
	if (p->level[0] && !mc_api_one_of(p->level, levels))
		rc |= mc_err_field(err, "level", "enum", "must be province, "
				   "district (before July 2025) or commune");
	rc |= mc_api_str(o, "", "unit_code", true, MC_CODE_MAX - 1,
			 p->unit_code, sizeof(p->unit_code), err);
	rc |= parse_period(o, "processing_time", true, &p->time, &given, err);
	rc |= parse_period(o, "service_target", false, &p->target,
			   &p->has_target, err);
	rc |= mc_api_int(o, "", "online_reduction_percent", false, 0, 99, 0,
			 &n, err);
	p->online_reduction_percent = (int)n;
	rc |= mc_api_str(o, "", "online_level", false, 7, p->online_level,
			 sizeof(p->online_level), err);
	if (!p->online_level[0])
		snprintf(p->online_level, sizeof(p->online_level), "none");
	else if (!mc_api_one_of(p->online_level, online))
		rc |= mc_err_field(err, "online_level", "enum", "must be none, "
				   "partial or full");
	rc |= mc_api_bool(o, "", "on_the_spot", false, &p->on_the_spot, err);
	rc |= mc_api_bool(o, "", "pay_before_processing", false, &p->pay_first,
			  err);
	v = json_object_get(o, "result");
	if (!json_is_object(v)) {
		rc |= mc_err_field(err, "result", "required", "give {"
				   "\"document_type\", \"paper\", "
				   "\"electronic\"}");
	} else {
		static const char *const rk[] = { "document_type", "paper",
			"electronic", "retention_years", NULL };
		json_t *ry = json_object_get(v, "retention_years");

		rc |= mc_api_known(v, "result.", rk, err);
		rc |= mc_api_str(v, "result.", "document_type", true, 200,
				 p->result_type, sizeof(p->result_type), err);
		rc |= mc_api_bool(v, "result.", "paper", true,
				  &p->result_paper, err);
		rc |= mc_api_bool(v, "result.", "electronic", false,
				  &p->result_electronic, err);
		/* How long the records are kept: years, or null (for good). */
		if (ry && !json_is_null(ry)) {
			int64_t years;

			rc |= mc_api_int(v, "result.", "retention_years", true,
					 1, 100, 0, &years, err);
			p->retention_years = (int)years;
		}
	}
	n = mc_api_list(o, "fees", MC_PROC_MAX_FEES, &v, err);
	if (n < 0)
		rc |= MC_EINVAL;
	else if (n)
		p->fees = mc_calloc((size_t)n, sizeof(*p->fees));
	json_array_foreach(v, i, item) {
		static const char *const fk[] = { "name", "kind", "amount",
			"online_discount_percent", "per", "exempt", NULL };
		static const char *const pers[] = { "dossier", "copy", "page",
						    NULL };
		json_t *ex;
		struct mc_proc_fee *f = &p->fees[p->nfees++];
		char path[32];

		if (mc_api_item(item, "fees", i, path, sizeof(path), err)) {
			rc |= MC_EINVAL;
			continue;
		}
		rc |= mc_api_known(item, path, fk, err);
		rc |= mc_api_str(item, path, "name", true, 255, f->name,
				 sizeof(f->name), err);
		rc |= mc_api_str(item, path, "kind", true, 6, f->kind,
				 sizeof(f->kind), err);
		if (f->kind[0] && !mc_api_one_of(f->kind, kinds))
			rc |= mc_err_field(err, sub(path, "kind", fld,
						    sizeof(fld)), "enum",
					   "must be fee (phí) or charge (lệ "
					   "phí)");
		rc |= mc_api_int(item, path, "amount", true, 0,
				 1000000000000, 0, &f->amount, err);
		rc |= mc_api_int(item, path, "online_discount_percent", false,
				 0, 100, 0, &n, err);
		f->online_discount_percent = (int)n;
		rc |= mc_api_str(item, path, "per", false, 7, f->per,
				 sizeof(f->per), err);
		if (!f->per[0])
			snprintf(f->per, sizeof(f->per), "dossier");
		else if (!mc_api_one_of(f->per, pers))
			rc |= mc_err_field(err, sub(path, "per", fld,
						    sizeof(fld)), "enum",
					   "must be dossier, copy or page");
		ex = json_object_get(item, "exempt");
		if (ex && !json_is_array(ex)) {
			rc |= mc_err_field(err, sub(path, "exempt", fld,
						    sizeof(fld)), "type",
					   "a list of applicant categories");
		} else if (ex) {
			size_t k, len = 0;
			json_t *e;

			json_array_foreach(ex, k, e) {
				const char *c = json_string_value(e);

				if (!c || !mc_fee_category_label(c)) {
					rc |= mc_err_field(err, sub(path,
						"exempt", fld, sizeof(fld)),
						"one_of", "categories are %s",
						mc_fee_categories());
					break;
				}
				if (mc_fee_list_has(f->exempt, c))
					continue;
				len += (size_t)snprintf(f->exempt + len,
					sizeof(f->exempt) - len, "%s%s",
					len ? "," : "", c);
			}
		}
	}
	n = mc_api_list(o, "components", MC_PROC_MAX_COMPONENTS, &v, err);
	if (n < 0)
		rc |= MC_EINVAL;
	else if (n)
		p->components = mc_calloc((size_t)n, sizeof(*p->components));
	json_array_foreach(v, i, item) {
		static const char *const ck[] = { "code", "name",
			"document_type", "form", "quantity", "required", NULL };
		struct mc_proc_component *k =
			&p->components[p->ncomponents++];
		char path[40];
		int j;

		if (mc_api_item(item, "components", i, path, sizeof(path),
				err)) {
			rc |= MC_EINVAL;
			continue;
		}
		rc |= mc_api_known(item, path, ck, err);
		rc |= mc_api_str(item, path, "code", true, 31, k->code,
				 sizeof(k->code), err);
		rc |= mc_api_str(item, path, "name", true, 250, k->name,
				 sizeof(k->name), err);
		rc |= mc_api_str(item, path, "document_type", false, 63,
				 k->document_type, sizeof(k->document_type),
				 err);
		rc |= mc_api_str(item, path, "form", true, 15, k->form,
				 sizeof(k->form), err);
		if (k->form[0] && !mc_api_one_of(k->form, forms))
			rc |= mc_err_field(err, sub(path, "form", fld,
						    sizeof(fld)), "enum",
					   "must be original, copy, "
					   "certified_copy or electronic");
		rc |= mc_api_int(item, path, "quantity", false, 1, 100, 1, &n,
				 err);
		k->quantity = (int)n;
		rc |= mc_api_bool(item, path, "required", true, &k->required,
				  err);
		for (j = 0; j + 1 < p->ncomponents; j++)
			if (k->code[0] && strcmp(p->components[j].code,
						 k->code) == 0)
				rc |= mc_err_field(err, sub(path, "code", fld,
						   sizeof(fld)), "unique",
						   "component code %s appears "
						   "twice", k->code);
	}
	n = mc_api_list(o, "steps", MC_PROC_MAX_STEPS, &v, err);
	if (n == 0)
		rc |= mc_err_field(err, "steps", "required", "give the internal "
				   "workflow as a list of steps");
	else if (n < 0)
		rc |= MC_EINVAL;
	else {
		p->steps = mc_calloc((size_t)n, sizeof(*p->steps));
		json_array_foreach(v, i, item) {
			struct mc_proc_step *t = &p->steps[p->nsteps++];
			char path[32], role[24];
			int ro;

			static const char *const sk[] = { "name", "role",
				"unit_code", "share_percent", NULL };

			if (mc_api_item(item, "steps", i, path, sizeof(path),
					err)) {
				rc |= MC_EINVAL;
				continue;
			}
			rc |= mc_api_known(item, path, sk, err);
			rc |= mc_api_str(item, path, "name", true, 255,
					 t->name, sizeof(t->name), err);
			rc |= mc_api_str(item, path, "role", true, 20, role,
					 sizeof(role), err);
			ro = mc_role_parse(role);
			if (role[0] && ro != MC_ROLE_COUNTER_OFFICER &&
			    ro != MC_ROLE_SPECIALIST && ro != MC_ROLE_LEADER)
				rc |= mc_err_field(err, sub(path, "role", fld,
						   sizeof(fld)), "enum", "must "
						   "be counter_officer, "
						   "specialist or leader");
			t->role = ro < 0 ? MC_ROLE_SPECIALIST :
				  (enum mc_role)ro;
			rc |= mc_api_str(item, path, "unit_code", false,
					 MC_CODE_MAX - 1, t->unit_code,
					 sizeof(t->unit_code), err);
			rc |= mc_api_int(item, path, "share_percent", true, 0,
					 100, 0, &n, err);
			t->share_percent = (int)n;
			share += t->share_percent;
		}
		if (!rc && share != 100)
			rc |= mc_err_field(err, "steps", "shares", "the "
					   "share_percent of the steps must "
					   "add up to 100, not %d", share);
	}
	v = json_object_get(o, "decision");
	if (v && !json_is_null(v) && !json_is_object(v)) {
		rc |= mc_err_field(err, "decision", "type", "must be an object "
				   "{number, date}");
	} else if (json_is_object(v)) {
		static const char *const dk[] = { "number", "date", NULL };

		rc |= mc_api_known(v, "decision.", dk, err);
		rc |= mc_api_str(v, "decision.", "number", false, 63,
				 p->decision_number, sizeof(p->decision_number),
				 err);
		rc |= mc_api_str(v, "decision.", "date", false, 10,
				 p->decision_date, sizeof(p->decision_date),
				 err);
		rc |= check_date("decision.date", p->decision_date, false,
				 err);
	}
	return rc ? MC_EINVAL : 0;
}

json_t *mc_api_procedure_json(const struct mc_procedure *p)
{
	json_t *fees = json_array(), *comps = json_array(), *steps =
		json_array();
	int i;

	for (i = 0; i < p->nfees; i++)
		json_array_append_new(fees, json_pack("{s:s, s:s, s:I, s:s, "
			"s:o, s:i}", "name", p->fees[i].name, "kind",
			p->fees[i].kind, "amount", (json_int_t)p->fees[i].amount,
			"per", p->fees[i].per[0] ? p->fees[i].per : "dossier",
			"exempt", mc_api_list_of(p->fees[i].exempt),
			"online_discount_percent",
			p->fees[i].online_discount_percent));
	for (i = 0; i < p->ncomponents; i++) {
		const struct mc_proc_component *k = &p->components[i];

		json_array_append_new(comps, json_pack(
			"{s:s, s:s, s:s, s:s, s:i, s:b}", "code", k->code,
			"name", k->name, "document_type", k->document_type,
			"form", k->form, "quantity", k->quantity, "required",
			k->required));
	}
	for (i = 0; i < p->nsteps; i++)
		json_array_append_new(steps, json_pack("{s:s, s:s, s:o, s:i}",
			"name", p->steps[i].name, "role",
			mc_role_name(p->steps[i].role), "unit_code",
			mc_api_text(p->steps[i].unit_code), "share_percent",
			p->steps[i].share_percent));
	return json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:i, "
		"s:s, s:b, s:b, s:{s:s, s:b, s:b, s:o}, s:o, s:o, s:o, s:o, "
		"s:o, s:o, s:o}",
		"code", p->code, "version", p->version, "state", p->state,
		"name", p->name, "field", p->field, "level", p->level,
		"unit_code", p->unit_code,
		"processing_time", mc_api_period(p->time.amount, p->time.unit),
		"service_target", p->has_target ?
		mc_api_period(p->target.amount, p->target.unit) : json_null(),
		"online_reduction_percent", p->online_reduction_percent,
		"online_level", p->online_level, "on_the_spot", p->on_the_spot,
		"pay_before_processing", p->pay_first,
		"result", "document_type", p->result_type, "paper",
		p->result_paper, "electronic", p->result_electronic,
		"retention_years", p->retention_years ? json_integer(
		p->retention_years) : json_null(),
		"fees", fees, "components", comps, "steps", steps,
		"decision", p->decision_number[0] ? json_pack("{s:s, s:o}",
		"number", p->decision_number, "date",
		mc_api_text(p->decision_date)) : json_null(),
		"valid_from", mc_api_text(p->valid_from),
		"valid_to", mc_api_text(p->valid_to),
		"published_at", mc_api_time(mc_store_time_parse(
		p->published_at)));
}

struct proc_list {
	json_t *items;
	char last[MC_CODE_MAX];
};

static void proc_item(const struct mc_proc_brief *b, void *arg)
{
	struct proc_list *l = arg;

	json_array_append_new(l->items, json_pack(
		"{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o}",
		"code", b->code, "version", b->version, "state", b->state,
		"name", b->name, "field", b->field, "level", b->level,
		"unit_code", b->unit_code, "processing_time",
		mc_api_period(b->time.amount, b->time.unit), "online_level",
		b->online_level, "valid_from", mc_api_text(b->valid_from)));
	snprintf(l->last, sizeof(l->last), "%s", b->code);
}

void api_procedures_list(struct mc_req *r)
{
	static const char *const allowed[] = { "q", "field", "level", "limit",
		"cursor", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct proc_list l;
	const char *q, *level = mc_req_query(r, "level");
	char *folded = NULL;
	int limit, n;

	if (mc_req_query_check(r, allowed, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	if (mc_api_limit(r, 50, 500, &limit, &err))
		return;
	if (level && strcmp(level, "province") && strcmp(level, "district") &&
	    strcmp(level, "commune")) {
		mc_err_field(&err, "level", "enum", "must be province, "
			     "district or commune");
		mc_reply_err(r, &err);
		return;
	}
	q = mc_req_query(r, "q");
	if (q && strlen(q) > 200) {
		mc_err_field(&err, "q", "max_length", "at most 200 "
			     "characters");
		mc_reply_err(r, &err);
		return;
	}
	if (q)
		folded = mc_text_fold(q, strlen(q));
	l.items = json_array();
	l.last[0] = '\0';
	n = mc_procedure_list(mc_req_db(r), folded, mc_req_query(r, "field"),
			      level, mc_req_query(r, "cursor"), limit,
			      proc_item, &l, &err);
	mc_free(folded);
	if (n < 0) {
		json_decref(l.items);
		mc_reply_err(r, &err);
		return;
	}
	mc_api_page(r, l.items, n == limit ? l.last : NULL);
}

static void field_item(const char *field, int64_t procedures,
		       int64_t online, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:I, s:I}", "field",
		field, "procedures", (json_int_t)procedures, "online",
		(json_int_t)online));
}

/* GET /api/v1/procedure-fields: the catalog's fields, for the finder. */
void api_procedure_fields(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	json_t *items;

	if (mc_req_query_check(r, (const char *const[]){ NULL }, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	items = json_array();
	if (mc_procedure_fields(mc_req_db(r), field_item, items, &err) < 0) {
		json_decref(items);
		mc_reply_err(r, &err);
		return;
	}
	mc_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

struct centres {
	json_t *items;
	char today[11];
	int64_t last;
};

static void centre_item(const struct mc_unit *u, void *arg)
{
	struct centres *c = arg;

	c->last = u->id;
	if (strcmp(u->level, "center") != 0 ||
	    strcmp(u->valid_from, c->today) > 0 ||
	    (u->valid_to[0] && strcmp(u->valid_to, c->today) < 0))
		return;
	json_array_append_new(c->items, json_pack("{s:s, s:s, s:s}", "code",
		u->code, "name", u->name, "parent_code", u->parent_code));
}

/*
 * GET /api/v1/public/centres: the public-service centres in force today,
 * where a dossier may be handed in (the citizen portal asks where).
 */
void api_public_centres(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct centres c;
	int n;

	if (mc_req_query_check(r, (const char *const[]){ NULL }, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	c.items = json_array();
	c.last = 0;
	mc_date_format(mc_local_day(mc_api_now(mc_req_app(r))), c.today,
		      sizeof(c.today));
	do {
		int64_t before = c.last;

		n = mc_unit_list(mc_req_db(r), NULL, NULL, before, 500,
				 centre_item, &c, &err);
	} while (n == 500);
	if (n < 0) {
		json_decref(c.items);
		mc_reply_err(r, &err);
		return;
	}
	mc_reply_json(r, 200, json_pack("{s:o}", "items", c.items));
}

void api_procedures_get(struct mc_req *r)
{
	static const char *const allowed[] = { "version", "date", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct mc_procedure *p;
	const char *v = mc_req_query(r, "version");
	const char *d = mc_req_query(r, "date");
	int32_t day = mc_local_day(mc_api_now(mc_req_app(r)));
	long version = 0;
	int rc;

	if (mc_req_query_check(r, allowed, &err) ||
	    (v && mc_parse_int("version", v, 1, 1000000, &version, &err)) ||
	    (d && mc_parse_date("date", d, &day, &err))) {
		mc_reply_err(r, &err);
		return;
	}
	p = mc_calloc(1, sizeof(*p));
	rc = mc_procedure_get(mc_req_db(r), mc_req_param(r, "code"),
			      (int)version, day, p, &err);
	if (rc == MC_ENOTFOUND && !v && !d) {
		/* Nothing in force: staff may look at the latest draft. */
		mc_err_clear(&err);
		rc = mc_procedure_get(mc_req_db(r), mc_req_param(r, "code"),
				      0, -1, p, &err);
	}
	if (!rc && strcmp(p->state, "published") != 0) {
		struct mc_user me;

		if (!mc_req_header_get(r, "authorization")) {
			rc = mc_error(&err, MC_ENOTFOUND, "procedure %s has "
				      "no published version",
				      mc_req_param(r, "code"));
		} else if (mc_api_user(r, &me)) {
			mc_procedure_release(p);
			mc_free(p);
			return;
		}
	}
	if (rc)
		mc_reply_err(r, &err);
	else
		mc_reply_json(r, 200, mc_api_procedure_json(p));
	mc_procedure_release(p);
	mc_free(p);
}

struct proc_write {
	struct mc_api_write aw;
	struct mc_procedure p;
	int64_t now, user_id;
	/* publish */
	char code[MC_CODE_MAX];
	int32_t valid_from, date;
	char number[64];
};

static void proc_release(struct mc_api_write *aw)
{
	mc_procedure_release(&((struct proc_write *)aw)->p);
}

static int proc_create_fn(struct mc_conn *c, struct mc_api_write *aw,
			  struct mc_err *err)
{
	struct proc_write *pw = (struct proc_write *)aw;

	return mc_procedure_create(c, &pw->p, pw->now, pw->user_id, err);
}

static void proc_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct proc_write *pw = (struct proc_write *)aw;
	char loc[128];

	snprintf(loc, sizeof(loc), "/api/v1/procedures/%s?version=%d",
		 pw->p.code, pw->p.version);
	mc_req_header(r, "location", loc);
	mc_reply_json(r, 201, mc_api_procedure_json(&pw->p));
}

#define CATALOG_ROLES (ROLE(MC_ROLE_ADMIN) | ROLE(MC_ROLE_CONTROL_OFFICER))

void api_procedures_create(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct proc_write *pw;
	struct mc_user me;
	json_t *body;

	if (mc_api_user(r, &me) ||
	    mc_api_require_role(r, &me, CATALOG_ROLES))
		return;
	if (!(body = mc_api_body(r)))
		return;
	pw = mc_calloc(1, sizeof(*pw));
	if (mc_api_procedure_parse(body, &pw->p, &err)) {
		json_decref(body);
		mc_procedure_release(&pw->p);
		mc_free(pw);
		mc_reply_err(r, &err);
		return;
	}
	json_decref(body);
	pw->now = mc_api_now(mc_req_app(r));
	pw->user_id = me.id;
	pw->aw.fn = proc_create_fn;
	pw->aw.reply = proc_reply;
	pw->aw.release = proc_release;
	mc_api_write_submit(r, &pw->aw);
}

static int proc_publish_fn(struct mc_conn *c, struct mc_api_write *aw,
			   struct mc_err *err)
{
	struct proc_write *pw = (struct proc_write *)aw;
	int rc = mc_procedure_publish(c, pw->code, pw->valid_from, pw->number,
				      pw->date, pw->now, pw->user_id, err);

	if (rc)
		return rc;
	return mc_procedure_get(c, pw->code, 0, -1, &pw->p, err);
}

static void publish_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct proc_write *pw = (struct proc_write *)aw;

	mc_reply_json(r, 200, mc_api_procedure_json(&pw->p));
}

void api_procedures_publish(struct mc_req *r)
{
	static const char *const known[] = { "valid_from", "decision_number",
					     "decision_date", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct proc_write *pw;
	struct mc_user me;
	char from[16], date[16];
	json_t *body;
	int rc = 0;

	if (mc_api_user(r, &me) ||
	    mc_api_require_role(r, &me, CATALOG_ROLES))
		return;
	if (!(body = mc_api_body(r)))
		return;
	pw = mc_calloc(1, sizeof(*pw));
	rc |= mc_api_known(body, "", known, &err);
	rc |= mc_api_str(body, "", "valid_from", true, 10, from, sizeof(from),
			 &err);
	rc |= mc_api_str(body, "", "decision_number", true, 63, pw->number,
			 sizeof(pw->number), &err);
	rc |= mc_api_str(body, "", "decision_date", true, 10, date,
			 sizeof(date), &err);
	json_decref(body);
	if (!rc) {
		rc |= mc_parse_date("valid_from", from, &pw->valid_from, &err);
		rc |= mc_parse_date("decision_date", date, &pw->date, &err);
		if (!rc && pw->date > pw->valid_from)
			rc = mc_err_field(&err, "decision_date", "before_from",
					  "the decision cannot come after the "
					  "day it takes effect");
	}
	if (rc) {
		mc_free(pw);
		mc_reply_err(r, &err);
		return;
	}
	snprintf(pw->code, sizeof(pw->code), "%s", mc_req_param(r, "code"));
	pw->now = mc_api_now(mc_req_app(r));
	pw->user_id = me.id;
	pw->aw.fn = proc_publish_fn;
	pw->aw.reply = publish_reply;
	pw->aw.release = proc_release;
	mc_api_write_submit(r, &pw->aw);
}
