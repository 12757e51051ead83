/*
 * cmd_demo.c — 'motcua demo': seeds a believable province into a database
 * (docs/demo-data.md): the units of the new Quảng Ngãi and its historical
 * districts, about forty real procedures, staff accounts for every role,
 * and dossiers in every status, some overdue, spread over the last weeks.
 *
 * Everything goes through the same store functions as the API (intake and
 * actions decided by the lifecycle), at simulated instants, so the demo
 * data obeys every rule and has intact event chains. Names and ID numbers
 * are synthetic but well-formed; the sequence is deterministic (--seed).
 */
#include "core/compat.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/parse.h"
#include "core/timeutil.h"
#include "api/api.h"
#include "api/util.h"
#include "cli/cli.h"
#include "domain/calendar.h"
#include "domain/lifecycle.h"
#include "store/catalog.h"
#include "store/dossiers.h"
#include "store/queue.h"
#include "store/results.h"
#include "store/store.h"

#include <jansson.h>
#include <time.h>

static const char help[] =
	"usage: motcua demo [--dossiers N] [--seed N] [--db PATH]\n"
	"\n"
	"Creates the database if needed and seeds a demo province: units,\n"
	"procedures, one account per role (printed) and N dossiers (default\n"
	"300) in every status, and gives every unit a signing key and a\n"
	"certificate from a demo CA under files_dir/keys (motcua keys). Does\n"
	"nothing but print the accounts (and make missing keys) when the\n"
	"database already has units.\n";

#define DEMO_PASSWORD "motcua-demo"

/* The accounts printed for people to sign in with. */
static const struct {
	const char *username, *name, *unit;
	enum mc_role role;
} people[] = {
	{ "admin", "Quản trị hệ thống", "000.00.00.H51", MC_ROLE_ADMIN },
	{ "kiemsoat", "Trần Thị Kiểm Soát", "000.00.00.H51",
	  MC_ROLE_CONTROL_OFFICER },
	{ "tiepnhan", "Nguyễn Văn Tiếp", "000.00.01.H51",
	  MC_ROLE_COUNTER_OFFICER },
	{ "chuyenvien", "Lê Thị Chuyên", "000.00.04.H51", MC_ROLE_SPECIALIST },
	{ "lanhdao", "Phạm Văn Lãnh", "000.00.04.H51", MC_ROLE_LEADER },
};

static const char *const family[] = {
	"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi",
	"Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương"
};
static const char *const middle_m[] = { "Văn", "Minh", "Hữu", "Đức",
					"Quốc", "Thanh" };
static const char *const middle_f[] = { "Thị", "Ngọc", "Thu", "Thanh",
					"Kim", "Mỹ" };
static const char *const given_m[] = {
	"An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khang", "Long", "Nam",
	"Phong", "Quân", "Sơn", "Tài", "Tuấn", "Việt"
};
static const char *const given_f[] = {
	"Anh", "Hà", "Hạnh", "Hoa", "Lan", "Linh", "Mai", "Nga", "Phương",
	"Tâm", "Thảo", "Trang", "Uyên", "Vy", "Yến"
};
static const char *const streets[] = {
	"Quang Trung", "Hùng Vương", "Phan Đình Phùng", "Lê Lợi",
	"Nguyễn Nghiêm", "Trần Hưng Đạo", "Bà Triệu", "Phạm Văn Đồng"
};

/* A small deterministic generator (xorshift64*). */
uint64_t mc_cli_rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

int mc_cli_pick(uint64_t *s, int n)
{
	return (int)(mc_cli_rnd(s) % (uint64_t)n);
}

#define pick mc_cli_pick

void mc_cli_person(uint64_t *s, int year_now, struct mc_intake *in)
{
	bool female = pick(s, 2);
	int age = 18 + pick(s, 60), year = year_now - age;

	snprintf(in->applicant_kind, sizeof(in->applicant_kind), "person");
	snprintf(in->applicant_id, sizeof(in->applicant_id), "%s%d%02d%06d",
		 pick(s, 3) ? "051" : "062",
		 (year >= 2000 ? 2 : 0) + (female ? 1 : 0), year % 100,
		 pick(s, 1000000));
	snprintf(in->applicant_name, sizeof(in->applicant_name), "%s %s %s",
		 family[pick(s, MC_ARRAY_SIZE(family))],
		 female ? middle_f[pick(s, MC_ARRAY_SIZE(middle_f))] :
		 middle_m[pick(s, MC_ARRAY_SIZE(middle_m))],
		 female ? given_f[pick(s, MC_ARRAY_SIZE(given_f))] :
		 given_m[pick(s, MC_ARRAY_SIZE(given_m))]);
	snprintf(in->applicant_phone, sizeof(in->applicant_phone), "09%08d",
		 pick(s, 100000000));
	snprintf(in->applicant_address, sizeof(in->applicant_address),
		 "%d %s, tỉnh Quảng Ngãi", 1 + pick(s, 300),
		 streets[pick(s, MC_ARRAY_SIZE(streets))]);
}

static json_t *load_json(const char *name, struct mc_err *err)
{
	const struct mc_embed_file *f = mc_embed_find(name);
	json_error_t je;
	json_t *doc;

	if (!f) {
		mc_error(err, MC_ENOTFOUND, "%s is not in the binary", name);
		return NULL;
	}
	doc = json_loadb((const char *)f->data, f->len, 0, &je);
	if (!doc || !json_is_array(doc)) {
		json_decref(doc);
		mc_error(err, MC_EINVAL, "%s:%d: %s", name, je.line, je.text);
		return NULL;
	}
	return doc;
}

static int add_user(struct mc_conn *c, const char *username,
		    const char *name, const char *unit, enum mc_role role,
		    const char *hash, int64_t now, struct mc_err *err)
{
	struct mc_user u;

	memset(&u, 0, sizeof(u));
	snprintf(u.username, sizeof(u.username), "%s", username);
	snprintf(u.full_name, sizeof(u.full_name), "%s", name);
	snprintf(u.unit_code, sizeof(u.unit_code), "%s", unit);
	snprintf(u.password_hash, sizeof(u.password_hash), "%s", hash);
	u.role = role;
	return mc_user_create(c, &u, now, err);
}

/*
 * Units 'units' (with staff for every unit in force: tn.<centre> at
 * centres, cv. and ld.<unit> elsewhere but the province, password
 * 'password_hash') and procedures 'procs', each published under its
 * decision, in force from its date but not before day 'not_before'.
 * Items name their index in errors.
 */
int mc_cli_catalog(struct mc_conn *c, json_t *units, json_t *procs,
		   const char *password_hash, int32_t not_before, int64_t now,
		   struct mc_err *err)
{
	struct mc_procedure *p = mc_calloc(1, sizeof(*p));
	struct mc_unit u, out;
	char name[64], text[512];
	json_t *item;
	size_t i;
	int rc = 0;

	json_array_foreach(units, i, item) {
		if ((rc = mc_api_unit_parse(item, &u, err)) ||
		    (rc = mc_unit_create(c, &u, now, &out, err))) {
			mc_error(err, rc, "units item %zu: %s", i,
				 mc_err_text(err, text, sizeof(text)));
			goto out;
		}
		/* Staff for every current unit: counters, handlers. */
		if (u.valid_to[0])
			continue;
		if (strcmp(u.level, "center") == 0) {
			snprintf(name, sizeof(name), "tn.%s", u.code);
			rc = add_user(c, name, "Cán bộ tiếp nhận", u.code,
				      MC_ROLE_COUNTER_OFFICER, password_hash,
				      now, err);
		} else if (strcmp(u.level, "province") != 0) {
			snprintf(name, sizeof(name), "cv.%s", u.code);
			rc = add_user(c, name, "Chuyên viên", u.code,
				      MC_ROLE_SPECIALIST, password_hash, now,
				      err);
			snprintf(name, sizeof(name), "ld.%s", u.code);
			if (!rc)
				rc = add_user(c, name, "Lãnh đạo", u.code,
					      MC_ROLE_LEADER, password_hash,
					      now, err);
		}
		if (rc)
			goto out;
	}
	json_array_foreach(procs, i, item) {
		int32_t from = not_before, date = from;

		if ((rc = mc_api_procedure_parse(item, p, err)) ||
		    (rc = mc_procedure_create(c, p, now, 0, err))) {
			mc_error(err, rc, "procedures item %zu (%s): %s", i,
				 p->code, mc_err_text(err, text, sizeof(text)));
			goto out;
		}
		if (p->decision_date[0])
			mc_date_parse(p->decision_date, 10, &date, NULL, 0);
		if (date > from)
			from = date;
		rc = mc_procedure_publish(c, p->code, from, p->decision_number,
					  date, now, 0, err);
		if (rc)
			goto out;
	}
out:
	mc_procedure_release(p);
	mc_free(p);
	return rc;
}

/* Units, procedures (published) and staff. */
/* The provincial centre's floor (docs/queue.md): four groups, counters. */
static int seed_floor(struct mc_conn *c, struct mc_err *err)
{
	static const char *const groups[][2] = {
		{ "A", "Tư pháp – Hộ tịch – Chứng thực" },
		{ "B", "Đất đai – Xây dựng – Môi trường" },
		{ "C", "Đầu tư – Kinh doanh – Công Thương" },
		{ "D", "Các lĩnh vực khác" },
	};
	static const char *const serves[] = { "A", "A,B", "B", "C", "C,D",
		"A,B,C,D" };
	struct mc_queue_config *cfg = mc_calloc(1, sizeof(*cfg));
	struct mc_unit u;
	size_t i;
	int rc = mc_unit_get(c, "000.00.01.H51", &u, err);

	for (i = 0; !rc && i < MC_ARRAY_SIZE(groups); i++) {
		snprintf(cfg->services[i].code, sizeof(cfg->services[i].code),
			 "%s", groups[i][0]);
		snprintf(cfg->services[i].name, sizeof(cfg->services[i].name),
			 "%s", groups[i][1]);
		cfg->nservices++;
	}
	for (i = 0; !rc && i < MC_ARRAY_SIZE(serves); i++) {
		cfg->counters[i].number = (int)i + 1;
		snprintf(cfg->counters[i].name, sizeof(cfg->counters[i].name),
			 "Quầy %d", (int)i + 1);
		snprintf(cfg->counters[i].services,
			 sizeof(cfg->counters[i].services), "%s", serves[i]);
		cfg->ncounters++;
	}
	if (!rc)
		rc = mc_queue_config_put(c, u.id, cfg, err);
	mc_free(cfg);
	return rc;
}

static int seed_catalog(struct mc_app *app, struct mc_conn *c, int64_t now,
			struct mc_err *err)
{
	json_t *units = NULL, *procs = NULL;
	char hash[160];
	size_t i;
	int rc;

	rc = mc_api_password_hash(&app->cfg, DEMO_PASSWORD, hash, sizeof(hash),
				  err);
	if (rc)
		return rc;
	units = load_json("demo/units.json", err);
	procs = load_json("demo/procedures.json", err);
	if (!units || !procs)
		rc = MC_EINVAL;
	if (!rc)
		rc = mc_cli_catalog(c, units, procs, hash,
				    mc_days_from_ymd(2025, 7, 1), now, err);
	for (i = 0; !rc && i < MC_ARRAY_SIZE(people); i++)
		rc = add_user(c, people[i].username, people[i].name,
			      people[i].unit, people[i].role, hash, now, err);
	if (!rc)
		rc = seed_floor(c, err);
	json_decref(units);
	json_decref(procs);
	return rc;
}

/* A working instant 'days' working days before 'now', at a random hour. */
static int64_t past_instant(const struct mc_calendar *cal, int64_t now,
			    int days, uint64_t *s)
{
	int32_t d = mc_local_day(now);
	int n = 0;

	while (n < days) {
		d--;
		if (mc_cal_is_working_day(cal, d))
			n++;
	}
	while (!mc_cal_is_working_day(cal, d))
		d--;
	return mc_local_day_start(d) + 7 * 3600 + 45 * 60 +
	       (int64_t)pick(s, 8 * 3600);
}

struct demo_ctx {
	struct mc_conn *c;
	const struct mc_calendar *cal;
	uint64_t seed;
	int64_t now;
	int done, failed;
	const struct mc_app *app;
	int e_results;
};

/*
 * The e-result of dossier 'd' completed by 'username' at 'at', drawn and
 * signed with the unit's demo key (docs/e-results.md); NULL when it
 * cannot be (no key), and the dossier completes with a paper result.
 */
static struct mc_result_sig *demo_result(struct demo_ctx *x,
					 const char *username,
					 const struct mc_dossier *d,
					 const char *number, int64_t at)
{
	struct mc_result_sig *sig = mc_calloc(1, sizeof(*sig));
	struct mc_result_ctx *rc = mc_calloc(1, sizeof(*rc));
	struct mc_err err = MC_ERR_INIT;
	struct mc_user u;

	if (mc_user_get(x->c, username, &u, &err) ||
	    mc_result_context(x->c, d->code, &u, rc, &err) ||
	    mc_api_result_generate(x->app, &u, rc, number, "", at, sig,
				   &err)) {
		mc_free(sig);
		sig = NULL;
	}
	mc_free(rc);
	return sig;
}

/* Runs one action in its own savepoint; a refusal by the rules is kept
 * out and the dossier stays where it was. */
static int act(struct demo_ctx *x, const char *username, const char *code,
	       struct mc_act *a, int64_t at, struct mc_dossier *d)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_user u;
	int rc;

	if (at > x->now)
		return -1;
	if (mc_user_get(x->c, username, &u, &err))
		return -1;
	if (mc_conn_savepoint(x->c, &err))
		return -1;
	rc = mc_dossier_act(x->c, x->cal, &u, code, a, at, d, &err);
	if (rc) {
		mc_conn_rollback_to(x->c, NULL);
		x->failed++;
		return rc;
	}
	mc_conn_release(x->c, NULL);
	return 0;
}

static void act_init(struct mc_act *a, enum mc_action action)
{
	memset(a, 0, sizeof(*a));
	a->action = action;
	a->new_due_at = MC_NO_TIME;
}

/* One dossier, taken as far as 'target' along its usual path. */
static void demo_dossier(struct demo_ctx *x, const struct mc_procedure *p,
			 const char *center, const char *agency, int target,
			 struct mc_dossier *d)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_result_sig *sig = NULL;
	struct mc_intake in;
	struct mc_user counter;
	struct mc_act a;
	int rc;
	char counter_name[64], cv[64], ld[64], unit[MC_CODE_MAX];
	int i, back;
	int64_t t;

	memset(&in, 0, sizeof(in));
	snprintf(in.procedure_code, sizeof(in.procedure_code), "%s", p->code);
	in.channel = (enum mc_channel)(pick(&x->seed, 10) < 4 ? MC_CH_ONLINE :
		     pick(&x->seed, 10) < 1 ? MC_CH_POSTAL : MC_CH_DIRECT);
	snprintf(in.return_channel, sizeof(in.return_channel), "%s",
		 in.channel == MC_CH_POSTAL ? "postal" : "counter");
	snprintf(in.unit_code, sizeof(in.unit_code), "%s", center);
	mc_cli_person(&x->seed, mc_ymd_from_days(mc_local_day(x->now)).year,
		      &in);
	for (i = 0; i < p->ncomponents; i++) {
		snprintf(in.components[i].code, sizeof(in.components[i].code),
			 "%s", p->components[i].code);
		in.components[i].provided = true;
	}
	in.ncomponents = p->ncomponents;
	snprintf(counter_name, sizeof(counter_name), "tn.%s", center);
	snprintf(unit, sizeof(unit), "%s", agency);
	snprintf(cv, sizeof(cv), "cv.%s", unit);
	snprintf(ld, sizeof(ld), "ld.%s", unit);
	if (mc_user_get(x->c, counter_name, &counter, &err))
		return;
	/* Older dossiers are further along; a few very old ones lag. */
	back = target >= MC_ST_RESULT_READY ? 5 + pick(&x->seed, 40) :
	       pick(&x->seed, 12) + (pick(&x->seed, 6) == 0 ? 25 : 0);
	t = past_instant(x->cal, x->now, back, &x->seed);
	if (t > x->now)
		t = x->now - 60;	/* never after the seeding's "now" */
	if (mc_conn_savepoint(x->c, &err))
		return;
	if (mc_dossier_intake(x->c, x->cal, &counter, &in, t, d, &err)) {
		mc_conn_rollback_to(x->c, NULL);
		x->failed++;
		return;
	}
	mc_conn_release(x->c, NULL);
	x->done++;
	if (target == MC_ST_SUBMITTED)
		return;
	t += 1800 + pick(&x->seed, 7200);
	if (d->status == MC_ST_SUBMITTED) {
		act_init(&a, MC_ACT_ACCEPT);
		if (act(x, counter_name, d->code, &a, t, d))
			return;
	}
	if (target == MC_ST_RECEIVED)
		return;
	if (target == MC_ST_REFUSED && pick(&x->seed, 2)) {
		act_init(&a, MC_ACT_REFUSE);
		snprintf(a.reason, sizeof(a.reason), "Hồ sơ không thuộc thẩm "
			 "quyền giải quyết của cơ quan");
		act(x, counter_name, d->code, &a, t + 600, d);
		return;
	}
	if (target == MC_ST_WITHDRAWN) {
		act_init(&a, MC_ACT_WITHDRAW);
		snprintf(a.reason, sizeof(a.reason), "Công dân có đơn xin rút "
			 "hồ sơ");
		act(x, counter_name, d->code, &a, t + 3600 * 24, d);
		return;
	}
	/* To the agency, then to a handler. */
	t += 3600;
	act_init(&a, MC_ACT_FORWARD);
	if (act(x, counter_name, d->code, &a, t, d))
		return;
	t += 1800;
	act_init(&a, MC_ACT_ASSIGN);
	snprintf(a.assignee, sizeof(a.assignee), "%s", cv);
	act(x, ld, d->code, &a, t, d);
	if (target == MC_ST_AWAITING_SUPPLEMENT || pick(&x->seed, 8) == 0) {
		act_init(&a, MC_ACT_REQUEST_SUPPLEMENT);
		snprintf(a.reason, sizeof(a.reason), "Thành phần hồ sơ chưa "
			 "đầy đủ, cần bổ sung");
		a.nitems = 1;
		snprintf(a.items[0], sizeof(a.items[0]), "Bản sao Căn cước có "
			 "chứng thực");
		t += 3600 * 5;
		act(x, cv, d->code, &a, t, d);
		if (target == MC_ST_AWAITING_SUPPLEMENT)
			return;
		act_init(&a, MC_ACT_SUBMIT_SUPPLEMENT);
		t += 3600 * 24 * (1 + pick(&x->seed, 3));
		act(x, counter_name, d->code, &a, t, d);
	}
	if (target == MC_ST_PROCESSING)
		return;
	if (target == MC_ST_STOPPED) {
		act_init(&a, MC_ACT_STOP);
		snprintf(a.reason, sizeof(a.reason), "Dừng xử lý theo đề nghị "
			 "của cơ quan phối hợp");
		act(x, ld, d->code, &a, t + 3600 * 24, d);
		return;
	}
	if (target == MC_ST_REFUSED) {
		act_init(&a, MC_ACT_REFUSE);
		snprintf(a.reason, sizeof(a.reason), "Không đủ điều kiện theo "
			 "quy định sau khi thẩm định");
		act(x, ld, d->code, &a, t + 3600 * 24, d);
		return;
	}
	/* Through the workflow, with a late one now and then. */
	while (d->current_step + 1 < d->nplan - 1) {
		t += 3600 * (4 + pick(&x->seed, 20));
		act_init(&a, MC_ACT_FORWARD);
		if (act(x, d->current_step == 1 ? cv : ld, d->code, &a, t, d) &&
		    act(x, ld, d->code, &a, t, d))
			break;
	}
	act_init(&a, MC_ACT_COMPLETE);
	snprintf(a.result_number, sizeof(a.result_number), "%d/KQ",
		 1000 + x->done);
	t = d->due_at == MC_NO_TIME ? t : pick(&x->seed, 6) == 0 ?
	    d->due_at + 3600 * 24 : t + 3600 * 2;
	if (p->result_electronic && t <= x->now)
		sig = demo_result(x, ld, d, a.result_number, t);
	a.esig = sig;
	rc = act(x, ld, d->code, &a, t, d);
	if (!rc && sig)
		x->e_results++;
	mc_free(sig);
	if (rc || target == MC_ST_RESULT_READY)
		return;
	act_init(&a, MC_ACT_RETURN_RESULT);
	act(x, counter_name, d->code, &a, t + 3600 * (2 + pick(&x->seed, 30)),
	    d);
}

/*
 * The counter that receives a procedure and the agency that resolves it:
 * for a commune-level procedure any commune's centre and that commune
 * (each commune resolves its own), else the province's centre and the
 * procedure's unit.
 */
static void center_of(struct mc_conn *c, const struct mc_procedure *p,
		      uint64_t *seed, char *center, char *agency, size_t n)
{
	static const char sql[] = "SELECT u.code, p.code FROM units u JOIN "
		"units p ON p.id = u.parent_id WHERE p.level = 'commune' AND "
		"u.level = 'center' AND u.valid_to IS NULL ORDER BY u.code";
	struct mc_stmt *s = mc_sql(c, sql, NULL);
	int k, i = 0;

	snprintf(center, n, "000.00.01.H51");
	snprintf(agency, n, "%s", p->unit_code);
	if (!s || strcmp(p->level, "commune") != 0)
		return;
	k = pick(seed, 12);
	while (mc_sql_step(s, NULL) == 1) {
		if (i++ < k)
			continue;
		snprintf(center, n, "%s", mc_sql_col_text(s, 0));
		snprintf(agency, n, "%s", mc_sql_col_text(s, 1));
		mc_sql_reset(s);
		break;
	}
}

static int seed_dossiers(struct mc_app *app, struct mc_conn *c, int n,
			 uint64_t seed, int64_t now, int *done, int *e_results)
{
	static const char sql[] = "SELECT p.code FROM procedures p ORDER BY "
		"p.code";
	static const int targets[] = {
		MC_ST_SUBMITTED, MC_ST_RECEIVED, MC_ST_PROCESSING,
		MC_ST_PROCESSING, MC_ST_PROCESSING, MC_ST_AWAITING_SUPPLEMENT,
		MC_ST_RESULT_READY, MC_ST_RETURNED, MC_ST_RETURNED,
		MC_ST_RETURNED, MC_ST_RETURNED, MC_ST_REFUSED, MC_ST_WITHDRAWN,
		MC_ST_STOPPED
	};
	struct demo_ctx x = { c, app->cal, seed | 1, now, 0, 0, app, 0 };
	struct mc_procedure *procs;
	struct mc_dossier *d = mc_calloc(1, sizeof(*d));
	struct mc_stmt *s = mc_sql(c, sql, NULL);
	char codes[64][MC_CODE_MAX];
	int np = 0, i;

	while (s && np < 64 && mc_sql_step(s, NULL) == 1)
		snprintf(codes[np++], MC_CODE_MAX, "%s",
			 mc_sql_col_text(s, 0));
	if (s)
		mc_sql_reset(s);
	procs = mc_calloc((size_t)np + 1, sizeof(*procs));
	for (i = 0; i < np; i++)
		mc_procedure_get(c, codes[i], 0, -1, &procs[i], NULL);
	for (i = 0; np && i < n; i++) {
		const struct mc_procedure *p = &procs[pick(&x.seed, np)];
		char center[MC_CODE_MAX], agency[MC_CODE_MAX];

		center_of(c, p, &x.seed, center, agency, sizeof(center));
		demo_dossier(&x, p, center, agency,
			     targets[pick(&x.seed, MC_ARRAY_SIZE(targets))], d);
	}
	for (i = 0; i < np; i++)
		mc_procedure_release(&procs[i]);
	mc_free(procs);
	mc_dossier_release(d);
	mc_free(d);
	*done = x.done;
	*e_results = x.e_results;
	return 0;
}

static void print_accounts(void)
{
	size_t i;

	printf("demo accounts (password: %s):\n", DEMO_PASSWORD);
	for (i = 0; i < MC_ARRAY_SIZE(people); i++)
		printf("  %-11s %-16s %s\n", people[i].username,
		       mc_role_name(people[i].role), people[i].unit);
	printf("  and for every unit: tn.<centre code> (counter), "
	       "cv.<unit code> (specialist), ld.<unit code> (leader)\n");
}

int mc_cmd_demo(struct mc_app *app, int argc, char **argv, char **envp)
{
	static const struct mc_opt opts[] = {
		{ "dossiers", true, false }, { "seed", true, false },
		{ NULL, false, false }
	};
	static const char count_sql[] = "SELECT COUNT(*) FROM units";
	struct mc_err err = MC_ERR_INIT;
	struct mc_conn *c = NULL;
	struct mc_stmt *s;
	struct mc_args a;
	long n = 300, seed = 2025;
	int64_t now = time(NULL);
	int rc, done = 0, e_results = 0;

	rc = mc_cli_parse("demo", argc, argv, opts, true, &a);
	if (rc)
		return rc;
	if (a.help) {
		fputs(help, stdout);
		return 0;
	}
	if (a.npos)
		return fprintf(stderr, "motcua demo: unexpected argument "
			       "'%s'\n", a.pos[0]), 2;
	if ((mc_cli_value(&a, 0) && mc_parse_int("dossiers",
		mc_cli_value(&a, 0), 0, 1000000, &n, &err)) ||
	    (mc_cli_value(&a, 1) && mc_parse_int("seed", mc_cli_value(&a, 1),
		0, LONG_MAX, &seed, &err)))
		return mc_cli_fail("demo", &err, 2);
	rc = mc_cli_config("demo", app, &a, envp);
	if (rc)
		return rc;
	if (getenv("MOTCUA_TEST_CLOCK")) {
		snprintf(app->clock_file, sizeof(app->clock_file), "%s",
			 getenv("MOTCUA_TEST_CLOCK"));
		now = mc_api_now(app);
	}
	if (mc_cli_calendar("demo", app, NULL, 0))
		return 2;
	if (mc_cli_store("demo", app, true, &c))
		return 1;
	s = mc_sql(c, count_sql, &err);
	rc = s ? mc_sql_step(s, &err) : MC_EDB;
	if (rc == 1 && mc_sql_col_int(s, 0) > 0) {
		mc_sql_reset(s);
		rc = mc_cli_keys_demo(app, c, &err);
		mc_cli_store_close(app, c);
		if (rc)
			return mc_cli_fail("demo", &err, 1);
		printf("database %s already has data: nothing seeded\n",
		       app->cfg.db);
		print_accounts();
		return 0;
	}
	if (rc == 1)
		mc_sql_reset(s);
	rc = mc_conn_begin(c, &err);
	if (!rc)
		rc = seed_catalog(app, c, now, &err);
	/* The units sign e-results with certificates of a demo CA. */
	if (!rc)
		rc = mc_cli_keys_demo(app, c, &err);
	if (!rc)
		rc = seed_dossiers(app, c, (int)n, (uint64_t)seed, now, &done,
				   &e_results);
	if (!rc)
		rc = mc_conn_commit(c, &err);
	if (rc)
		mc_conn_rollback(c);
	mc_cli_store_close(app, c);
	if (rc)
		return mc_cli_fail("demo", &err, 1);
	printf("seeded %s: demo province, %d dossiers, %d signed e-results; "
	       "units' signing keys under %s/keys\n", app->cfg.db, done,
	       e_results, app->cfg.files_dir);
	print_accounts();
	return 0;
}
