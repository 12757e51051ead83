/*
 * cmd_seed.c — 'motcua seed --profile NAME [--scale F]': a province's
 * half-year, simulated (docs/seed.md). A profile (data/seed/NAME.json)
 * holds the units and procedures of the time, the decisions announcing
 * procedures in the half-year, and streams of dossiers: which centres
 * receive them, for which procedures, how many, and what share is online,
 * by post, late, digitized, paid online, rated, asked to supplement, and
 * has a phone for SMS.
 *
 * Every dossier goes through the same store functions as the API, at
 * simulated instants on the profile's calendar: intake, acceptance,
 * certified scans, payment requests and the platform's callbacks,
 * forwarding, assignment, supplements, apologies, completion, return,
 * the citizen's rating; the SMS the actions queue are handed to the
 * gateway through the outbox as a worker would. The shares are spread by
 * quotas, not drawn, so a figure comes out the same at every scale, up to
 * rounding. What the half-year report then says emerges from those
 * events; the profile's seed_figures say what it should say.
 */
#include "core/compat.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/parse.h"
#include "core/sha256.h"
#include "core/timeutil.h"
#include "api/api.h"
#include "api/util.h"
#include "cli/cli.h"
#include "domain/calendar.h"
#include "domain/feedback.h"
#include "domain/lifecycle.h"
#include "files/blobs.h"
#include "files/certify.h"
#include "render/doc.h"
#include "store/catalog.h"
#include "store/documents.h"
#include "store/dossiers.h"
#include "store/feedback.h"
#include "store/files.h"
#include "store/outbox.h"
#include "store/payments.h"
#include "store/ratings.h"
#include "store/store.h"

#include <jansson.h>
#include <math.h>
#include <sodium.h>

static const char help[] =
	"usage: motcua seed --profile NAME [--scale F] [--db PATH]\n"
	"\n"
	"Creates the database if needed and plays a province's half-year into\n"
	"it (docs/seed.md): the units and procedures of the time, staff for\n"
	"every unit (password motcua-demo), and every dossier of the profile\n"
	"driven through intake, scans, payment, the workflow, return and\n"
	"rating on the calendar, with the SMS they cause sent. --scale (0 to\n"
	"1, default 1) shrinks every volume; shares stay. Profiles:\n"
	"quang-ngai-2024h1 (about 146,000 dossiers at scale 1). Refuses a\n"
	"database that already has units.\n";

#define SEED_PASSWORD "motcua-demo"
#define MAX_CENTRES 64
#define MAX_PROCS 64
#define MAX_STAFF 256
#define BATCH 1000		/* dossiers per transaction */

/* A share spread evenly: of every 1/p eligible items, one is taken. */
struct quota {
	double p, phase;
	int64_t k;
};

static bool take(struct quota *q)
{
	double a = floor((double)q->k * q->p + q->phase),
	       b = floor((double)(q->k + 1) * q->p + q->phase);

	q->k++;
	return b > a;
}

static void quota_set(struct quota *q, double p, int salt)
{
	q->p = p < 0 ? 0 : p > 1 ? 1 : p;
	q->phase = fmod(0.618033988749895 * (salt + 1), 1.0);
	q->k = 0;
}

struct sproc {
	char code[MC_CODE_MAX];
	int weight, current;	/* smooth weighted round robin */
	struct mc_procedure p;	/* in force when the half-year begins */
	bool owes;		/* has fees to pay */
	int typed;		/* a component of a stored type, or -1 */
};

struct stream {
	const char *name;
	const char *centres[MAX_CENTRES];
	int ncentres, nprocs, total_weight;
	struct sproc procs[MAX_PROCS];
	int64_t n;		/* dossiers at this scale */
	struct quota online, postal_in, postal_out, late, digitized, reused,
		     paid, rated, not_satisfied, supplement, phone;
};

struct seed_ctx {
	struct mc_app *app;
	struct mc_conn *c;
	const struct mc_calendar *cal;
	struct mc_certify_key key;
	struct mc_notify sms;
	uint64_t rnd;
	int64_t now;		/* the day the report is written, 17:00 */
	int32_t first, last;	/* the half-year's days */
	int32_t *days;		/* its working days */
	int ndays;
	struct mc_user staff[MAX_STAFF];
	int nstaff;
	struct {
		char key[96], sha256[MC_SHA256_HEX];
	} scans[MAX_STAFF * 4];
	int nscans;
	int64_t dossiers, failed, messages, serial;
};

static json_t *load_profile(const char *name, struct mc_err *err)
{
	const struct mc_embed_file *f;
	char path[128];
	json_error_t je;
	json_t *doc;

	snprintf(path, sizeof(path), "seed/%s.json", name);
	if (!(f = mc_embed_find(path))) {
		mc_err_field(err, "profile", "exists", "no profile %s (known: "
			     "quang-ngai-2024h1)", name);
		return NULL;
	}
	doc = json_loadb((const char *)f->data, f->len, 0, &je);
	if (!doc || !json_is_object(doc)) {
		json_decref(doc);
		mc_error(err, MC_EINVAL, "%s:%d: %s", path, je.line, je.text);
		return NULL;
	}
	return doc;
}

/* Staff account 'username', read once. */
static const struct mc_user *staff(struct seed_ctx *x, const char *username)
{
	int i;

	for (i = 0; i < x->nstaff; i++)
		if (!strcmp(x->staff[i].username, username))
			return &x->staff[i];
	if (x->nstaff == MAX_STAFF ||
	    mc_user_get(x->c, username, &x->staff[x->nstaff], NULL))
		return NULL;
	return &x->staff[x->nstaff++];
}

/*
 * The file a counter officer's scans of component 'comp' are: one page
 * saying what it stands for, stored and uploaded by the officer once.
 */
static const char *scan_file(struct seed_ctx *x, const struct mc_user *u,
			     const char *comp, const char *name, int64_t at)
{
	struct mc_buf pdf = MC_BUF_INIT(1 << 20);
	struct mc_upload up;
	struct mc_doc doc;
	char key[96], sha[MC_SHA256_HEX];
	int i;

	snprintf(key, sizeof(key), "%s/%s", u->username, comp);
	for (i = 0; i < x->nscans; i++)
		if (!strcmp(x->scans[i].key, key))
			return x->scans[i].sha256;
	if (x->nscans == (int)MC_ARRAY_SIZE(x->scans))
		return NULL;
	mc_doc_begin(&doc, &pdf, at, name, u->unit_name);
	mc_doc_para(&doc, MC_DOC_CENTER, 14, 12, "<b>%s</b>", name);
	mc_doc_para(&doc, MC_DOC_JUSTIFY, 12, 6, "Bản quét mô phỏng của "
		    "thành phần hồ sơ %s, do %s tiếp nhận (dữ liệu mô phỏng "
		    "của motcua seed).", comp, u->unit_name);
	memset(&up, 0, sizeof(up));
	if (mc_doc_end(&doc, NULL) ||
	    mc_blob_put(x->app->cfg.files_dir, pdf.buf, pdf.len, sha, NULL)) {
		mc_buf_release(&pdf);
		return NULL;
	}
	snprintf(up.id, sizeof(up.id), "%016" PRIx64 "%016" PRIx64,
		 mc_cli_rnd(&x->rnd), mc_cli_rnd(&x->rnd));
	snprintf(up.owner, sizeof(up.owner), "u:%" PRId64, u->id);
	up.length = up.received = (int64_t)pdf.len;
	snprintf(up.filename, sizeof(up.filename), "%s.pdf", comp);
	snprintf(up.media_type, sizeof(up.media_type), "application/pdf");
	up.created_at = at;
	up.expires_at = at + 86400;
	if (mc_upload_create(x->c, &up, NULL) ||
	    mc_upload_complete(x->c, up.id, sha, (int64_t)pdf.len,
			       "application/pdf", at, NULL)) {
		mc_buf_release(&pdf);
		return NULL;
	}
	mc_buf_release(&pdf);
	snprintf(x->scans[x->nscans].key, sizeof(x->scans[0].key), "%s", key);
	snprintf(x->scans[x->nscans].sha256, MC_SHA256_HEX, "%s", sha);
	return x->scans[x->nscans++].sha256;
}

/*
 * Hands the queued messages to the gateway at 'at', as the outbox worker
 * does when the gateway takes them at once.
 */
static void deliver(struct seed_ctx *x, int64_t at)
{
	struct mc_message m[4];
	int n, i;

	while ((n = mc_outbox_claim(x->c, at, 60, MC_PRIO_BULK, m, 4,
				    NULL)) > 0)
		for (i = 0; i < n; i++)
			if (!mc_outbox_done(x->c, m[i].id, MC_OUT_SENT, "seed",
					    NULL, at, 0, NULL))
				x->messages++;
}

/* One action in its own savepoint; false when refused (nothing kept). */
static bool act(struct seed_ctx *x, const char *username, struct mc_act *a,
		int64_t at, struct mc_dossier *d)
{
	const struct mc_user *u = staff(x, username);
	char code[MC_DOSSIER_CODE_MAX];

	if (at > x->now || !u || mc_conn_savepoint(x->c, NULL))
		return false;
	snprintf(code, sizeof(code), "%s", d->code);
	if (mc_dossier_act(x->c, x->cal, u, code, a, at, d, NULL)) {
		mc_conn_rollback_to(x->c, NULL);
		x->failed++;
		return false;
	}
	mc_conn_release(x->c, NULL);
	if (a->notify)
		deliver(x, at + 30);
	return true;
}

static void act_init(struct mc_act *a, enum mc_action action)
{
	memset(a, 0, sizeof(*a));
	a->action = action;
	a->new_due_at = MC_NO_TIME;
}

/* Working day 'd' at 'minutes' after midnight. */
static int64_t at_day(int32_t d, int minutes)
{
	return mc_local_day_start(d) + (int64_t)minutes * 60;
}

/* The next instant in working hours at or after 't' (the calendar's). */
static int64_t working(const struct seed_ctx *x, int64_t t)
{
	int64_t w;

	return mc_cal_receipt(x->cal, t, &w, NULL) ? t : w;
}

/* A stored, certified copy of the applicant's paper for reuse. */
static int64_t stored_document(struct seed_ctx *x, const struct mc_user *u,
			       const char *owner, const char *type,
			       const char *sha, int64_t at)
{
	struct mc_document doc;

	memset(&doc, 0, sizeof(doc));
	snprintf(doc.owner_id, sizeof(doc.owner_id), "%s", owner);
	snprintf(doc.type_code, sizeof(doc.type_code), "%.15s", type);
	snprintf(doc.number, sizeof(doc.number), "%06" PRId64,
		 x->serial % 1000000);
	snprintf(doc.issuer, sizeof(doc.issuer), "%.255s", u->unit_name);
	snprintf(doc.status, sizeof(doc.status), "valid");
	snprintf(doc.source, sizeof(doc.source), "scan");
	snprintf(doc.file_sha256, sizeof(doc.file_sha256), "%s", sha);
	snprintf(doc.media_type, sizeof(doc.media_type), "application/pdf");
	doc.verified = true;
	if (mc_document_add(x->c, &doc, 0, u->id, "", at, NULL))
		return 0;
	return doc.id;
}

/* The next procedure of the stream (smooth weighted round robin). */
static struct sproc *next_proc(struct stream *s)
{
	struct sproc *best = NULL;
	int i;

	for (i = 0; i < s->nprocs; i++) {
		s->procs[i].current += s->procs[i].weight;
		if (!best || s->procs[i].current > best->current)
			best = &s->procs[i];
	}
	best->current -= s->total_weight;
	return best;
}

/* The platform's answer to the applicant paying what the dossier owes. */
static void pay_online(struct seed_ctx *x, struct mc_dossier *d, int64_t at)
{
	struct mc_payment_request q;
	struct mc_pay_callback cb;
	struct mc_payment pm;

	if (at > x->now || mc_conn_savepoint(x->c, NULL))
		return;
	if (mc_payment_request_open(x->c, d->code, d->applicant_id, "dvcqg",
				    at, &q, NULL)) {
		mc_conn_rollback_to(x->c, NULL);
		return;
	}
	memset(&cb, 0, sizeof(cb));
	snprintf(cb.platform, sizeof(cb.platform), "dvcqg");
	snprintf(cb.nonce, sizeof(cb.nonce), "%016" PRIx64 "%016" PRIx64,
		 mc_cli_rnd(&x->rnd), mc_cli_rnd(&x->rnd));
	snprintf(cb.transaction_id, sizeof(cb.transaction_id),
		 "DVCQG%" PRId64, ++x->serial);
	snprintf(cb.reference, sizeof(cb.reference), "%s", q.reference);
	cb.amount = q.amount;
	cb.paid = true;
	cb.paid_at = at;
	cb.nonce_keep_s = 600;
	if (mc_payment_callback(x->c, x->cal, &cb, NULL, at + 5, &pm, NULL)) {
		mc_conn_rollback_to(x->c, NULL);
		return;
	}
	mc_conn_release(x->c, NULL);
}

/* The citizen's rating at the counter's tablet. */
static void rate(struct seed_ctx *x, const struct mc_user *u,
		 const struct mc_dossier *d, const char *level, int64_t at)
{
	struct mc_rating_in in;
	struct mc_rating out;
	bool created;

	if (at > x->now || mc_conn_savepoint(x->c, NULL))
		return;
	memset(&in, 0, sizeof(in));
	in.code = d->code;
	in.level = level;
	in.criteria = "";
	in.comment = "";
	in.citizen_id_number = d->applicant_id;
	in.officer = u;
	in.cal = x->cal;
	in.now = at;
	in.change_window_s = x->app->cfg.rating_change_window_ms / 1000;
	in.followup_days = x->app->cfg.rating_followup_days;
	if (mc_rating_put(x->c, &in, &out, &created, NULL))
		mc_conn_rollback_to(x->c, NULL);
	else
		mc_conn_release(x->c, NULL);
}

/* The counter of a receiving centre, and the agency that resolves. */
static void names(const struct stream *s, int k, const struct sproc *sp,
		  char *counter, char *cv, char *ld, size_t n)
{
	snprintf(counter, n, "tn.%s", s->centres[k]);
	snprintf(cv, n, "cv.%s", sp->p.unit_code);
	snprintf(ld, n, "ld.%s", sp->p.unit_code);
}

/* The district or commune a centre serves: its parent unit. */
static void agency_names(struct seed_ctx *x, const char *centre, char *cv,
			 char *ld, size_t n)
{
	struct mc_unit u, parent;

	if (mc_unit_get(x->c, centre, &u, NULL) ||
	    mc_unit_get_id(x->c, u.parent_id, &parent, NULL))
		return;
	snprintf(cv, n, "cv.%s", parent.code);
	snprintf(ld, n, "ld.%s", parent.code);
}

/* Dossier 'i' of stream 's', from intake to the citizen's rating. */
static void dossier(struct seed_ctx *x, struct stream *s, int64_t i,
		    struct mc_dossier *d)
{
	struct sproc *sp = next_proc(s);
	const struct mc_procedure *p = &sp->p;
	const struct mc_user *counter;
	struct mc_intake in;
	struct mc_act a;
	char tn[64], cv[64], ld[64];
	int k = (int)(i % s->ncentres), c, nsteps;
	bool online, spot = p->on_the_spot, rated, late = false;
	int64_t t, finish, step_gap, apology, doc_id = 0;
	int32_t day = x->days[(int64_t)i * x->ndays / s->n];
	const char *sha;

	names(s, k, sp, tn, cv, ld, sizeof(tn));
	if (strcmp(p->level, "province"))
		agency_names(x, s->centres[k], cv, ld, sizeof(cv));
	if (!(counter = staff(x, tn)))
		return;
	memset(&in, 0, sizeof(in));
	mc_cli_person(&x->rnd, 2024, &in);
	/* Unique people: the ID's serial counts the dossiers. */
	x->serial++;
	snprintf(in.applicant_id + 6, sizeof(in.applicant_id) - 6, "%06" PRId64,
		 x->serial % 1000000);
	if (!take(&s->phone))
		in.applicant_phone[0] = '\0';
	snprintf(in.procedure_code, sizeof(in.procedure_code), "%s", p->code);
	snprintf(in.unit_code, sizeof(in.unit_code), "%s", s->centres[k]);
	online = take(&s->online);
	in.channel = online ? MC_CH_ONLINE : take(&s->postal_in) ?
		     MC_CH_POSTAL : MC_CH_DIRECT;
	snprintf(in.return_channel, sizeof(in.return_channel), "%s",
		 take(&s->postal_out) ? "postal" : "counter");
	/* On-the-spot work comes in the morning, the rest all day. */
	t = at_day(day, 7 * 60 + 30 + mc_cli_pick(&x->rnd, spot ? 330 : 510));
	for (c = 0; c < p->ncomponents; c++) {
		snprintf(in.components[c].code, sizeof(in.components[c].code),
			 "%s", p->components[c].code);
		in.components[c].provided = true;
	}
	in.ncomponents = p->ncomponents;
	sha = scan_file(x, counter, sp->typed >= 0 ?
			p->components[sp->typed].code : "TP01",
			p->name, t);
	if (sp->typed >= 0 && sha && take(&s->reused)) {
		doc_id = stored_document(x, counter, in.applicant_id,
			p->components[sp->typed].document_type, sha, t - 86400);
		in.components[sp->typed].document_id = doc_id;
	}
	if (mc_conn_savepoint(x->c, NULL))
		return;
	if (mc_dossier_intake(x->c, x->cal, counter, &in, t, d, NULL)) {
		mc_conn_rollback_to(x->c, NULL);
		x->failed++;
		return;
	}
	mc_conn_release(x->c, NULL);
	x->dossiers++;
	t += 60 * (5 + mc_cli_pick(&x->rnd, 20));
	if (d->status == MC_ST_SUBMITTED) {
		act_init(&a, MC_ACT_ACCEPT);
		if (!act(x, tn, &a, t, d))
			return;
	}
	/* The counter scans and certifies what was handed in on paper. */
	if (take(&s->digitized))
		for (c = 0; c < d->ncomponents; c++) {
			char msg[512], sig[MC_CERTIFY_SIG_B64];
			const char *f;

			if (d->components[c].reused || !d->components[c].provided)
				continue;
			f = scan_file(x, counter, d->components[c].code,
				      p->name, t);
			if (!f)
				continue;
			mc_certify_message(msg, sizeof(msg), f, d->code,
					   d->components[c].code, tn, t);
			mc_certify_sign(&x->key, msg, sig);
			if (mc_conn_savepoint(x->c, NULL))
				return;
			if (mc_dossier_scan(x->c, d->code,
					    d->components[c].code, counter, f,
					    sig, t, NULL))
				mc_conn_rollback_to(x->c, NULL);
			else
				mc_conn_release(x->c, NULL);
		}
	if (sp->owes && take(&s->paid))
		pay_online(x, d, t + 60 * (2 + mc_cli_pick(&x->rnd, 30)));
	/* To the agency, to a handler. */
	t += spot ? 600 : 1800 + 60 * mc_cli_pick(&x->rnd, 90);
	act_init(&a, MC_ACT_FORWARD);
	if (!act(x, tn, &a, t, d))
		return;
	t += spot ? 300 : 1200;
	act_init(&a, MC_ACT_ASSIGN);
	snprintf(a.assignee, sizeof(a.assignee), "%s", cv);
	act(x, ld, &a, t, d);
	if (!spot && take(&s->supplement)) {
		act_init(&a, MC_ACT_REQUEST_SUPPLEMENT);
		snprintf(a.reason, sizeof(a.reason), "Thành phần hồ sơ chưa "
			 "đầy đủ, cần bổ sung");
		a.nitems = 1;
		snprintf(a.items[0], sizeof(a.items[0]), "Bản sao giấy tờ "
			 "có chứng thực");
		a.notify = in.applicant_phone[0] ? &x->sms : NULL;
		t = working(x, t + 3 * 3600);
		if (!act(x, cv, &a, t, d))
			return;
		act_init(&a, MC_ACT_SUBMIT_SUPPLEMENT);
		t = working(x, t + 86400 * (1 + mc_cli_pick(&x->rnd, 3)));
		if (!act(x, tn, &a, t, d))
			return;
	}
	/* When it is finished: the same morning, before its due time, or
	 * (a late one) a working day or two after it. */
	if (spot || d->due_at == MC_NO_TIME) {
		finish = t + 3600;
	} else if ((late = take(&s->late))) {
		finish = working(x, d->due_at + 3600 * (20 +
				 mc_cli_pick(&x->rnd, 30)));
	} else {
		int64_t span = d->due_at - t;

		finish = t + span * (40 + mc_cli_pick(&x->rnd, 55)) / 100;
		/* Not the day it came: the next working morning at least. */
		if (mc_local_day(finish) == mc_local_day(t) &&
		    working(x, at_day(mc_local_day(t) + 1, 0)) < d->due_at)
			finish = working(x, at_day(mc_local_day(t) + 1, 0)) +
				 60 * mc_cli_pick(&x->rnd, 60);
		finish = working(x, finish);
		if (finish > d->due_at)
			finish = d->due_at - 60;
	}
	/* A late one is apologized for, two working days before its due
	 * day (the rules ask at least one), with a new date. */
	apology = at_day(mc_cal_shift_working_days(x->cal,
			 mc_local_day(d->due_at), -2), 9 * 60);
	if (late && apology > t) {
		act_init(&a, MC_ACT_APOLOGIZE);
		snprintf(a.reason, sizeof(a.reason), "Hồ sơ cần xác minh thêm "
			 "tại cơ quan phối hợp");
		a.new_due_at = finish + 86400;
		act(x, ld, &a, apology, d);
	}
	/* Through the workflow's steps, evenly. */
	nsteps = d->nplan - 1 - (d->current_step + 1);
	step_gap = nsteps > 0 ? (finish - t) / (nsteps + 1) : 0;
	while (d->current_step + 1 < d->nplan - 1) {
		t += step_gap > 60 ? step_gap : 60;
		act_init(&a, MC_ACT_FORWARD);
		if (!act(x, d->current_step == 1 ? cv : ld, &a, t, d) &&
		    !act(x, ld, &a, t, d))
			return;
	}
	if (finish <= t)
		finish = t + 60;
	act_init(&a, MC_ACT_COMPLETE);
	snprintf(a.result_number, sizeof(a.result_number), "%" PRId64
		 "/KQ", x->dossiers);
	a.notify = in.applicant_phone[0] ? &x->sms : NULL;
	if (!act(x, ld, &a, finish, d))
		return;
	act_init(&a, MC_ACT_RETURN_RESULT);
	t = spot ? finish + 600 :
	    working(x, finish + 3600 * (1 + mc_cli_pick(&x->rnd, 30)));
	if (!act(x, tn, &a, t, d))
		return;
	rated = take(&s->rated);
	if (rated)
		rate(x, counter, d, take(&s->not_satisfied) ? "not_satisfied" :
		     mc_cli_pick(&x->rnd, 3) ? "very_satisfied" : "satisfied",
		     t + 120);
}

/* A share in percent of the profile's stream (0 when absent). */
static double pct(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key)) / 100.0;
}

/*
 * Stream 'o' as scaled: its centres and procedures (each in force on
 * 'day'), its volume and quotas. An error names the item.
 */
static int stream_load(struct seed_ctx *x, json_t *o, double scale,
		       int32_t day, struct stream *s, struct mc_err *err)
{
	json_t *v, *centres = json_object_get(o, "centres"),
	       *procs = json_object_get(o, "procedures");
	const char *code;
	double online, spot = 0, typed = 0, owes = 0, n;
	size_t i;
	int c;

	memset(s, 0, sizeof(*s));
	s->name = json_string_value(json_object_get(o, "name"));
	json_array_foreach(centres, i, v)
		if (s->ncentres < MAX_CENTRES)
			s->centres[s->ncentres++] = json_string_value(v);
	json_object_foreach(procs, code, v) {
		struct sproc *sp;

		if (s->nprocs == MAX_PROCS)
			break;
		sp = &s->procs[s->nprocs++];
		snprintf(sp->code, sizeof(sp->code), "%s", code);
		sp->weight = (int)json_integer_value(v);
		s->total_weight += sp->weight;
		if (mc_procedure_get(x->c, code, 0, day, &sp->p, err))
			return mc_error(err, MC_EINVAL, "stream %s: procedure "
					"%s is not in force on its first day",
					s->name, code);
		sp->typed = -1;
		for (c = 0; c < sp->p.ncomponents && sp->typed < 0; c++)
			if (mc_document_type_known(x->c,
				sp->p.components[c].document_type, NULL) == 0)
				sp->typed = c;
		for (c = 0; c < sp->p.nfees; c++)
			if (sp->p.fees[c].amount > 0)
				sp->owes = true;
	}
	if (!s->ncentres || !s->nprocs || s->total_weight <= 0)
		return mc_error(err, MC_EINVAL, "stream %s: no centres or "
				"procedures", s->name ? s->name : "?");
	for (i = 0; i < (size_t)s->nprocs; i++) {
		double w = (double)s->procs[i].weight / s->total_weight;

		spot += s->procs[i].p.on_the_spot ? w : 0;
		typed += s->procs[i].typed >= 0 ? w : 0;
		owes += s->procs[i].owes ? w : 0;
	}
	n = (double)json_integer_value(json_object_get(o, "dossiers")) * scale;
	s->n = (int64_t)llround(n);
	online = pct(o, "online");
	/* Shares of all dossiers, taken among those they can apply to. */
	quota_set(&s->online, online, 1);
	quota_set(&s->postal_in, online < 1 ? pct(o, "postal_in") /
		  (1 - online) : 0, 2);
	quota_set(&s->postal_out, pct(o, "postal_out"), 3);
	quota_set(&s->late, spot < 1 ? pct(o, "late") / (1 - spot) : 0, 4);
	quota_set(&s->digitized, pct(o, "digitized"), 5);
	quota_set(&s->reused, typed > 0 && n > 0 ? llround(
		  json_number_value(json_object_get(o, "reused")) * scale) /
		  (n * typed) : 0, 6);
	quota_set(&s->paid, owes > 0 ? pct(o, "paid") / owes : 0, 7);
	quota_set(&s->rated, pct(o, "rated"), 8);
	quota_set(&s->not_satisfied, n > 0 && pct(o, "rated") > 0 ?
		  llround(json_number_value(json_object_get(o,
		  "not_satisfied")) * scale) / (n * pct(o, "rated")) : 0, 9);
	quota_set(&s->supplement, spot < 1 ? pct(o, "supplement") /
		  (1 - spot) : 0, 10);
	quota_set(&s->phone, pct(o, "sms"), 11);
	return 0;
}

static void stream_release(struct stream *s)
{
	int i;

	for (i = 0; i < s->nprocs; i++)
		mc_procedure_release(&s->procs[i].p);
}

/*
 * The decisions of the half-year: each publishes a new version of its
 * procedure, in force from its date.
 */
static int announce(struct seed_ctx *x, json_t *list, struct mc_err *err)
{
	struct mc_procedure *p = mc_calloc(1, sizeof(*p));
	json_t *v;
	size_t i;
	int rc = 0;

	json_array_foreach(list, i, v) {
		const char *code = json_string_value(json_object_get(v,
							"procedure"));
		const char *num = json_string_value(json_object_get(v,
							"number"));
		const char *date = json_string_value(json_object_get(v,
							"date"));
		int32_t day;

		if (!code || !num || !date ||
		    mc_date_parse(date, strlen(date), &day, NULL, 0)) {
			rc = mc_error(err, MC_EINVAL, "announcements item "
				      "%zu: procedure, number, date", i);
			break;
		}
		if ((rc = mc_procedure_get(x->c, code, 0, -1, p, err)) ||
		    (rc = mc_procedure_create(x->c, p, at_day(day, 8 * 60), 0,
					      err)) ||
		    (rc = mc_procedure_publish(x->c, code, day, num, day,
					       at_day(day, 9 * 60), 0, err)))
			break;
	}
	mc_procedure_release(p);
	mc_free(p);
	return rc;
}

/* Feedback of the half-year by channel, spread over its working days. */
static int feedback(struct seed_ctx *x, json_t *o, double scale,
		    struct mc_err *err)
{
	static const char *const titles[] = {
		"Đề nghị hướng dẫn rõ thành phần hồ sơ",
		"Phản ánh thời gian chờ tại quầy tiếp nhận",
		"Kiến nghị đơn giản hóa tờ khai",
		"Phản ánh chậm trả kết quả",
	};
	struct mc_fb_limits lim;
	const char *channel;
	json_t *v;
	int64_t k = 0;

	mc_api_feedback_limits(x->app, &lim);
	json_object_foreach(o, channel, v) {
		int64_t n = llround((double)json_integer_value(v) * scale), j;

		for (j = 0; j < n; j++, k++) {
			struct mc_feedback_in in;
			struct mc_feedback out;
			char ext[64], phone[16];
			bool created;
			int rc;

			memset(&in, 0, sizeof(in));
			snprintf(ext, sizeof(ext), "PAKN-DVCQG-%" PRId64, k);
			snprintf(phone, sizeof(phone), "09%08d",
				 mc_cli_pick(&x->rnd, 100000000));
			in.channel = channel;
			in.kind = k % 3 ? "reflection" : "recommendation";
			in.subject = "procedure";
			in.title = titles[k % MC_ARRAY_SIZE(titles)];
			in.content = "Nội dung phản ánh, kiến nghị về thủ tục "
				     "hành chính (dữ liệu mô phỏng).";
			in.sender_name = "Người phản ánh";
			in.sender_phone = phone;
			in.sender_email = "";
			in.sender_address = "tỉnh Quảng Ngãi";
			in.dossier_code = "";
			in.external_id = strcmp(channel, "portal") ? "" : ext;
			in.unit_code = "";
			in.default_unit = x->app->cfg.feedback_unit;
			in.cal = x->cal;
			in.lim = &lim;
			in.now = at_day(x->days[(k * 7919) % x->ndays],
					8 * 60 + (int)(k % 480));
			rc = mc_feedback_create(x->c, &in, &out, &created, err);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int run(struct seed_ctx *x, json_t *prof, double scale,
	       struct mc_err *err)
{
	json_t *streams = json_object_get(prof, "streams"), *o;
	struct stream *s = mc_calloc(1, sizeof(*s));
	struct mc_dossier *d = mc_calloc(1, sizeof(*d));
	char hash[160];
	size_t i;
	int64_t j;
	int rc;

	if ((rc = mc_api_password_hash(&x->app->cfg, SEED_PASSWORD, hash,
				       sizeof(hash), err)) ||
	    (rc = mc_conn_begin(x->c, err)))
		goto out;
	rc = mc_cli_catalog(x->c, json_object_get(prof, "units"),
			    json_object_get(prof, "procedures"), hash,
			    mc_days_from_ymd(2008, 1, 1),
			    at_day(x->first - 60, 8 * 60), err);
	if (!rc)
		rc = announce(x, json_object_get(prof, "announcements"), err);
	if (!rc)
		rc = feedback(x, json_object_get(prof, "feedback"), scale,
			      err);
	if (!rc)
		rc = mc_conn_commit(x->c, err);
	if (rc)
		goto out;
	json_array_foreach(streams, i, o) {
		if ((rc = stream_load(x, o, scale, x->first, s, err)))
			goto out;
		fprintf(stderr, "motcua seed: %s: %" PRId64 " dossiers\n",
			s->name, s->n);
		for (j = 0; j < s->n; j++) {
			if (j % BATCH == 0 && (rc = mc_conn_begin(x->c, err)))
				goto out;
			dossier(x, s, j, d);
			if ((j % BATCH == BATCH - 1 || j == s->n - 1) &&
			    (rc = mc_conn_commit(x->c, err)))
				goto out;
		}
		stream_release(s);
		memset(s, 0, sizeof(*s));
	}
	/*
	 * A bulk load leaves the planner's statistics behind the data
	 * (PostgreSQL's autovacuum catches up later): without them a report
	 * right after can take a nested loop a thousand times over.
	 */
	rc = mc_conn_exec(x->c, "ANALYZE", err);
out:
	if (rc)
		mc_conn_rollback(x->c);
	stream_release(s);
	mc_free(s);
	mc_dossier_release(d);
	mc_free(d);
	return rc;
}

/* The half-year's working days, and the day its report is written. */
static int period(struct seed_ctx *x, json_t *prof, struct mc_err *err)
{
	const char *rd = json_string_value(json_object_get(prof,
							   "report_day"));
	json_t *year = json_object_get(prof, "year"),
	       *half = json_object_get(prof, "half");
	char y[16], h[16];
	int32_t day, d;

	if (!rd || mc_date_parse(rd, strlen(rd), &day, NULL, 0) ||
	    !json_is_integer(year) || !json_is_integer(half))
		return mc_error(err, MC_EINVAL, "profile: year, half and "
				"report_day");
	/* The reports' own half-year: official (from the cut-off) or not. */
	snprintf(y, sizeof(y), "%" JSON_INTEGER_FORMAT,
		 json_integer_value(year));
	snprintf(h, sizeof(h), "%" JSON_INTEGER_FORMAT,
		 json_integer_value(half));
	if (mc_api_report_period(NULL, NULL, "half", y, h, NULL,
				 x->app->cfg.report_cutoff, &x->first,
				 &x->last, err))
		return MC_EINVAL;
	x->now = at_day(day, 17 * 60);
	x->days = mc_calloc((size_t)(x->last - x->first + 1), sizeof(int32_t));
	for (d = x->first; d <= x->last; d++)
		if (mc_cal_is_working_day(x->cal, d))
			x->days[x->ndays++] = d;
	return x->ndays ? 0 : mc_error(err, MC_EINVAL, "profile: the "
				       "half-year has no working day");
}

int mc_cmd_seed(struct mc_app *app, int argc, char **argv, char **envp)
{
	static const struct mc_opt opts[] = {
		{ "profile", true, false }, { "scale", true, false },
		{ NULL, false, false }
	};
	static const char count_sql[] = "SELECT COUNT(*) FROM units";
	struct mc_err err = MC_ERR_INIT;
	struct seed_ctx *x = mc_calloc(1, sizeof(*x));
	struct mc_stmt *st;
	struct mc_args a;
	json_t *prof = NULL;
	const char *sv;
	double scale = 1;
	char *end;
	int rc;

	rc = mc_cli_parse("seed", argc, argv, opts, true, &a);
	if (rc || a.help || a.npos || !mc_cli_value(&a, 0)) {
		if (!rc && a.help)
			fputs(help, stdout);
		else if (!rc)
			fprintf(stderr, "motcua seed: give --profile NAME "
				"(motcua seed --help)\n");
		mc_free(x);
		return rc ? rc : a.help ? 0 : 2;
	}
	if ((sv = mc_cli_value(&a, 1))) {
		errno = 0;
		scale = strtod(sv, &end);
		if (errno || end == sv || *end || !(scale > 0) || scale > 1) {
			fprintf(stderr, "motcua seed: --scale: a number above "
				"0 and at most 1\n");
			mc_free(x);
			return 2;
		}
	}
	if (!(prof = load_profile(mc_cli_value(&a, 0), &err))) {
		mc_free(x);
		return mc_cli_fail("seed", &err, 2);
	}
	x->app = app;
	x->rnd = 2024;
	x->sms.channel[MC_MSG_SMS] = true;
	x->sms.window_s = 86400;
	rc = mc_cli_config("seed", app, &a, envp);
	if (!rc && mc_cli_calendar("seed", app, NULL, 0))
		rc = 2;
	x->cal = app->cal;
	if (!rc && (rc = period(x, prof, &err)))
		rc = mc_cli_fail("seed", &err, 2);
	if (!rc && (mc_blob_init(app->cfg.files_dir, &err) ||
		    mc_certify_key_load(app->cfg.files_dir, &x->key, &err)))
		rc = mc_cli_fail("seed", &err, 1);
	if (!rc && mc_cli_store("seed", app, true, &x->c))
		rc = 1;
	if (rc)
		goto out;
	st = mc_sql(x->c, count_sql, &err);
	rc = st ? mc_sql_step(st, &err) : MC_EDB;
	if (rc == 1 && mc_sql_col_int(st, 0) > 0) {
		mc_sql_reset(st);
		fprintf(stderr, "motcua seed: database %s already has units: "
			"seed an empty one\n", app->cfg.db);
		rc = 1;
		goto close;
	}
	if (rc == 1)
		mc_sql_reset(st);
	rc = run(x, prof, scale, &err);
	if (rc) {
		rc = mc_cli_fail("seed", &err, 1);
		goto close;
	}
	printf("seeded %s with profile %s at scale %g: %" PRId64 " dossiers "
	       "(%" PRId64 " actions refused by the rules), %" PRId64 " SMS "
	       "sent; staff password: %s\n", app->cfg.db,
	       mc_cli_value(&a, 0), scale, x->dossiers, x->failed,
	       x->messages, SEED_PASSWORD);
close:
	mc_cli_store_close(app, x->c);
out:
	json_decref(prof);
	mc_free(x->days);
	sodium_memzero(&x->key, sizeof(x->key));
	mc_free(x);
	return rc;
}
