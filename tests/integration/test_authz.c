/*
 * test_authz.c — the authorization matrix (issue 11): every combination
 * of role, unit relation and action (or endpoint) of the tables in
 * docs/authorization.md is tried over HTTP against the real motcua
 * binary, and must be answered exactly as the table says: the status
 * and, for a refusal, the problem type and the rule named.
 *
 * The tables are the single source: this program reads them from the
 * document (MC_SOURCE_DIR) and knows only how to make each request —
 * the units, the users, the dossiers in each status and the bodies.
 * A row it cannot make a request for, or a request body it has no row
 * for, fails the test, so the document cannot drift from the code.
 *
 * With TEST_AUTHZ_RECORD=1 it prints every row as the server answers
 * it (to write or review the tables) instead of failing.
 */
#include "core/compat.h"
#include "harness/harness.h"
#include "harness/smsgw.h"

#include <unistd.h>

#define DOC MC_SOURCE_DIR "/docs/authorization.md"
#define PASSWORD "motcua-authz-1"
#define PROC "9.909001"		/* handled by H, 10 working days */
#define SPOT "9.909002"		/* resolved on the spot at R */
#define PAY "9.909003"		/* as PROC, fees paid before processing */
#define PID "051095012345"	/* the citizen of the test */
#define PHONE "0912345678"

/* The units of the test, all under the demo province. */
enum { U_R, U_RA, U_H, U_HA, U_X, NUNITS };
static const char *const unit_codes[NUNITS] = {
	"000.90.01.H51", "000.00.90.H51", "000.91.01.H51", "000.00.91.H51",
	"000.00.92.H51"
};
static const char *const unit_tags[NUNITS] = { "r", "ra", "h", "ha", "x" };
static const char *const unit_levels[NUNITS] = {
	"center", "department", "branch", "department", "department"
};
static const char *const unit_parents[NUNITS] = {
	"000.00.90.H51", "000.00.00.H51", "000.00.91.H51", "000.00.00.H51",
	"000.00.00.H51"
};

enum { ADMIN, CONTROL, COUNTER, SPECIALIST, LEADER, NROLES };
static const char *const role_names[NROLES] = {
	"admin", "control_officer", "counter_officer", "specialist", "leader"
};

static struct th_server srv;
static struct th_smsgw *gw;
static char db[600], clock_file[600];
static char tokens[NROLES][NUNITS][128];
static char citizen[160];
static bool recording;
static int tried, failures, seq;

/* Dossiers shared by the refusals (a refused action changes nothing). */
enum { F_SUBMITTED, F_RECEIVED, F_SPOT, F_PROCESSING, F_SUPPLEMENT,
       F_RESULT, F_PAYMENT, NFIX };
static const char *const fix_names[NFIX] = {
	"submitted", "received", "received (on the spot)", "processing",
	"awaiting_supplement", "result_ready", "awaiting_payment"
};
static char *shared[NFIX];
/* Another applicant's dossier at R; a piece of feedback handled by R. */
static char *other_dossier;
static char feedback[64];

static const char *user_name(int role, int unit, char *buf, size_t n)
{
	snprintf(buf, n, "az.%s.%s", role_names[role], unit_tags[unit]);
	return buf;
}

static const char *tok(int role, int unit)
{
	return tokens[role][unit];
}

static void set_clock(const char *iso)
{
	assert_int_equal(th_write_file(clock_file, iso), 0);
}

/* An action that must succeed. */
static void must_act(int role, int unit, const char *code, json_t *body)
{
	th_act(srv.base, tok(role, unit), code, body);
}

/* A fresh dossier in the fixture's status. */
static char *fresh(int fix)
{
	const char *counter = tok(COUNTER, U_R);
	char *code = th_intake(srv.base, counter, fix == F_SPOT ? SPOT :
			       fix == F_PAYMENT ? PAY : PROC,
			       fix == F_SUBMITTED ? "online" : "direct", PID,
			       "Nguyễn Văn Đức", PHONE);

	switch (fix) {
	case F_PROCESSING:
	case F_RESULT:
		must_act(COUNTER, U_R, code, json_pack("{s:s}", "action",
						 "forward"));
		if (fix == F_RESULT)
			must_act(LEADER, U_H, code, json_pack("{s:s}", "action",
							 "complete"));
		break;
	case F_SUPPLEMENT:
		must_act(COUNTER, U_R, code, json_pack("{s:s, s:s, s:[s]}", "action",
			 "request_supplement", "reason", "Thiếu giấy tờ",
			 "items", "Bản sao CCCD"));
		break;
	default:
		break;
	}
	return code;
}

static int fixture(const char *status)
{
	int i;

	for (i = 0; i < NFIX; i++)
		if (!strcmp(fix_names[i], status))
			return i;
	return -1;
}

/* ---- The document's tables. ---- */

#define MAXCOLS 12

struct row {
	int line;
	int ncells;
	char cells[MAXCOLS][160];
};

struct table {
	char head[MAXCOLS][160];
	int ncols;
	struct row *rows;
	size_t nrows;
};

static void trim(char *s)
{
	size_t i, j = 0, n;

	/* Backticks are only markdown. */
	for (i = 0; s[i]; i++)
		if (s[i] != '`')
			s[j++] = s[i];
	s[j] = '\0';
	for (i = 0; s[i] == ' ' || s[i] == '\t'; i++)
		;
	memmove(s, s + i, strlen(s + i) + 1);
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

/* Splits "| a | b |" into cells; returns how many. */
static int split(const char *line, char cells[][160], int max)
{
	const char *p = line, *q;
	int n = 0;

	if (*p != '|')
		return 0;
	p++;
	while (*p && *p != '\n' && n < max) {
		size_t len;

		q = strchr(p, '|');
		if (!q)
			break;
		len = (size_t)(q - p);
		if (len >= 160)
			len = 159;
		memcpy(cells[n], p, len);
		cells[n][len] = '\0';
		trim(cells[n]);
		n++;
		p = q + 1;
	}
	return n;
}

/* The tables of the document whose first header is 'first'. */
static void read_table(const char *text, const char *first,
		       struct table *t)
{
	const char *p = text;
	int line = 1;
	bool in = false;

	memset(t, 0, sizeof(*t));
	while (*p) {
		const char *nl = strchr(p, '\n');
		char cells[MAXCOLS][160];
		int n = split(p, cells, MAXCOLS);

		if (n == 0) {
			in = false;
		} else if (!strncmp(cells[0], "---", 3) ||
			   !strncmp(cells[0], ":--", 3)) {
			/* separator */
		} else if (!in && nl && nl[1] == '|' && strstr(nl + 1, "---") &&
			   strstr(nl + 1, "---") < strchr(nl + 1, '\n')) {
			/* A header row: the next line is the separator. */
			in = !strcmp(cells[0], first);
			if (in) {
				int i;

				t->ncols = n;
				for (i = 0; i < n; i++)
					memcpy(t->head[i], cells[i],
					       sizeof(t->head[i]));
			}
		} else if (in) {
			struct row *r;

			if (n != t->ncols)
				fail_msg("%s:%d: %d cells, the header has %d",
					 DOC, line, n, t->ncols);
			t->rows = realloc(t->rows, (t->nrows + 1) *
					  sizeof(*t->rows));
			assert_non_null(t->rows);
			r = &t->rows[t->nrows++];
			r->line = line;
			r->ncells = n;
			memcpy(r->cells, cells, sizeof(cells));
		}
		if (!nl)
			break;
		p = nl + 1;
		line++;
	}
	if (!t->nrows)
		fail_msg("%s: no table starting with '| %s |'", DOC, first);
}

static int column(const struct table *t, const char *name)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		if (!strcmp(t->head[i], name))
			return i;
	fail_msg("%s: no column '%s'", DOC, name);
	return -1;
}

/* ---- What a cell says, and checking an answer against it. ---- */

struct want {
	long status;
	char rule[160];		/* "" or the rule an error must name */
};

static void parse_want(const char *cell, int line, struct want *w)
{
	char rest[160] = "";
	int n = 0;

	memset(w, 0, sizeof(*w));
	if (sscanf(cell, "%ld%n", &w->status, &n) != 1 || (w->status < 200 && !recording) ||
	    w->status > 599)
		fail_msg("%s:%d: '%s' is not a status", DOC, line, cell);
	snprintf(rest, sizeof(rest), "%s", cell + n);
	trim(rest);
	memcpy(w->rule, rest, sizeof(w->rule));
	if (w->rule[0] && w->status < 400)
		fail_msg("%s:%d: a rule for a success in '%s'", DOC, line,
			 cell);
}

static const char *problem_type(long status)
{
	switch (status) {
	case 400: return "invalid-input";
	case 401: return "unauthenticated";
	case 403: return "forbidden";
	case 404: return "not-found";
	case 409: return "conflict";
	default: return NULL;
	}
}

/* The answer as a cell would write it: "403 scope". */
static void observed(long st, json_t *j, char *out, size_t n)
{
	const char *rule = json_string_value(json_object_get(json_array_get(
		json_object_get(j, "errors"), 0), "rule"));

	if (st >= 400 && rule)
		snprintf(out, n, "%ld %s", st, rule);
	else
		snprintf(out, n, "%ld", st);
}

static bool matches(const struct want *w, long st, json_t *j)
{
	const char *type, *want_type = problem_type(w->status);
	json_t *errs, *e;
	size_t i, len;

	if (st != w->status)
		return false;
	if (st < 400)
		return true;
	if (want_type) {
		type = json_string_value(json_object_get(j, "type"));
		len = strlen(want_type);
		if (!type || strlen(type) < len ||
		    strcmp(type + strlen(type) - len, want_type))
			return false;
	}
	if (!w->rule[0])
		return true;
	errs = json_object_get(j, "errors");
	json_array_foreach(errs, i, e)
		if (!strcmp(json_string_value(json_object_get(e, "rule")) ?
			    json_string_value(json_object_get(e, "rule")) :
			    "", w->rule))
			return true;
	return false;
}

/* Records one combination's outcome; 'got' is what a cell would say. */
static void report(bool ok, int line, const char *who, const char *relation,
		   const char *what, const char *want, const char *got,
		   json_t *j)
{
	char *body;

	tried++;
	if (ok || recording)
		return;
	failures++;
	body = j ? json_dumps(j, JSON_COMPACT) : NULL;
	print_message("AUTHZ MISMATCH %s:%d  role=%s relation=%s  %s  "
		      "expected=%s got=%s  %s\n", DOC, line, who, relation,
		      what, want, got, body ? body : "");
	free(body);
}

/* ---- The lifecycle table. ---- */

/* The unit the relation puts the actor in, for a dossier of 'fix'. */
static int lc_unit(int fix, const char *relation, int line)
{
	bool away = fix == F_PROCESSING;	/* at H, received at R */

	if (!strcmp(relation, "unit"))
		return away ? U_H : U_R;
	if (!strcmp(relation, "above"))
		return away ? U_HA : U_RA;
	if (!strcmp(relation, "receiving") && away)
		return U_R;
	if (!strcmp(relation, "other"))
		return U_X;
	fail_msg("%s:%d: relation '%s' does not apply to a %s dossier", DOC,
		 line, relation, fix_names[fix]);
	return -1;
}

static json_t *action_body(const char *action, int holder)
{
	char assignee[64];

	if (!strcmp(action, "refuse") || !strcmp(action, "withdraw") ||
	    !strcmp(action, "stop"))
		return json_pack("{s:s, s:s}", "action", action, "reason",
				 "Lý do thử");
	if (!strcmp(action, "request_supplement"))
		return json_pack("{s:s, s:s, s:[s]}", "action", action,
				 "reason", "Thiếu giấy tờ", "items",
				 "Bản sao CCCD");
	if (!strcmp(action, "assign"))
		return json_pack("{s:s, s:s}", "action", action, "assignee",
				 user_name(SPECIALIST, holder, assignee,
					   sizeof(assignee)));
	if (!strcmp(action, "apologize"))
		return json_pack("{s:s, s:s, s:s}", "action", action, "reason",
				 "Cần xác minh thêm", "new_due_at",
				 "2026-04-30T17:00:00+07:00");
	if (!strcmp(action, "accept") || !strcmp(action, "submit_supplement")
	    || !strcmp(action, "forward") || !strcmp(action, "complete") ||
	    !strcmp(action, "return_result"))
		return json_pack("{s:s}", "action", action);
	return NULL;
}

/*
 * The dossier as the actor sees it offers the action exactly when the
 * table allows it, and is 404 exactly when the table says so.
 */
static void offered(int line, const char *who, const char *relation,
		    const char *action, int fix, const char *code,
		    const char *token, const struct want *w)
{
	char path[200], what[160], got[80];
	bool listed = false;
	json_t *j = NULL, *e;
	size_t i;
	long st;

	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", code);
	st = th_api(srv.base, "GET", path, token, NULL, &j);
	json_array_foreach(json_object_get(j, "actions"), i, e)
		if (json_is_string(e) && !strcmp(json_string_value(e), action))
			listed = true;
	snprintf(what, sizeof(what), "GET of a %s dossier: '%s' offered",
		 fix_names[fix], action);
	if (w->status == 404)
		snprintf(got, sizeof(got), "%ld", st);
	else
		snprintf(got, sizeof(got), "%ld, %s", st, listed ? "offered" :
			 "not offered");
	report(w->status == 404 ? st == 404 : st == 200 &&
	       listed == (w->status == 200), line, who, relation, what,
	       w->status == 404 ? "404" : w->status == 200 ?
	       "200, offered" : "200, not offered", got, NULL);
	json_decref(j);
}

static void lifecycle_table(void **state)
{
	struct table t;
	char *text = th_read_file(DOC, NULL);
	int ca, cs, cr, cols[NROLES];
	size_t i;
	int k;

	(void)state;
	assert_non_null(text);
	read_table(text, "action", &t);
	free(text);
	ca = column(&t, "action");
	cs = column(&t, "status");
	cr = column(&t, "relation");
	for (k = 0; k < NROLES; k++)
		cols[k] = column(&t, role_names[k]);
	for (i = 0; i < t.nrows; i++) {
		const struct row *r = &t.rows[i];
		const char *action = r->cells[ca];
		int fix = fixture(r->cells[cs]), unit;
		json_t *probe;

		if (fix < 0)
			fail_msg("%s:%d: no dossier in status '%s' here", DOC,
				 r->line, r->cells[cs]);
		if (!(probe = action_body(action, U_R)))
			fail_msg("%s:%d: unknown action '%s'", DOC, r->line,
				 action);
		json_decref(probe);
		unit = lc_unit(fix, r->cells[cr], r->line);
		if (recording)
			print_message("| %s | %s | %s |", action, r->cells[cs],
				      r->cells[cr]);
		for (k = 0; k < NROLES; k++) {
			struct want w;
			char path[200], got[80], what[160];
			const char *code;
			char *own = NULL;
			json_t *j = NULL;
			long st;
			bool ok;

			parse_want(r->cells[cols[k]], r->line, &w);
			if (w.status == 200)
				code = own = fresh(fix);
			else
				code = shared[fix];
			offered(r->line, role_names[k], r->cells[cr], action,
				fix, code, tok(k, unit), &w);
			snprintf(path, sizeof(path),
				 "/api/v1/dossiers/%s/actions", code);
			st = th_api(srv.base, "POST", path, tok(k, unit),
				    action_body(action, fix == F_PROCESSING ?
						U_H : U_R), &j);
			observed(st, j, got, sizeof(got));
			ok = matches(&w, st, j);
			snprintf(what, sizeof(what), "%s on a %s dossier",
				 action, fix_names[fix]);
			report(ok, r->line, role_names[k], r->cells[cr], what,
			       r->cells[cols[k]], got, j);
			if (recording)
				print_message(" %s |", got);
			if (st == 200 && !own) {
				/* The shared dossier moved on: a new one. */
				free(shared[fix]);
				shared[fix] = fresh(fix);
			}
			json_decref(j);
			free(own);
		}
		if (recording)
			print_message("\n");
	}
	free(t.rows);
	print_message("lifecycle: %zu rows\n", t.nrows);
}

/* ---- The endpoint table. ---- */

/* Bodies of the requests that take one, by the table's request text. */
static const struct {
	const char *request;
	const char *body;
} bodies[] = {
	{ "POST /api/v1/users", "{\"username\": \"az.new{n}\", "
	  "\"full_name\": \"Người Thử\", \"role\": \"specialist\", "
	  "\"unit_code\": \"{unit}\", \"password\": \"" PASSWORD "\"}" },
	{ "POST /api/v1/units", "{\"code\": \"000.{n}.09.H51\", \"name\": "
	  "\"Đơn vị thử {n}\", \"level\": \"branch\", \"parent_code\": "
	  "\"{unit}\", \"valid_from\": \"2026-01-01\"}" },
	{ "PUT /api/v1/units/{unit}/payment-account", "{\"bank_bin\": "
	  "\"970436\", \"account\": \"0011001234567\", \"account_name\": "
	  "\"DON VI THU\"}" },
	{ "PUT /api/v1/units/{unit}/queue", "{\"services\": [{\"code\": "
	  "\"A\", \"name\": \"Nhóm A\"}], \"counters\": [{\"number\": 1, "
	  "\"name\": \"Quầy 1\", \"services\": [\"A\"]}]}" },
	{ "POST /api/v1/queue/call", "{\"counter\": 1, \"unit_code\": "
	  "\"{unit}\"}" },
	{ "POST /api/v1/procedures", "{\"code\": \"9.97{n3}1\", \"name\": "
	  "\"Thủ tục thử {n}\", \"field\": \"Thử nghiệm\", \"level\": "
	  "\"province\", \"unit_code\": \"{unit}\", \"processing_time\": "
	  "{\"amount\": 5, \"unit\": \"working_days\"}, \"result\": "
	  "{\"document_type\": \"Giấy\", \"paper\": true}, \"components\": "
	  "[{\"code\": \"TK\", \"name\": \"Tờ khai\", \"form\": "
	  "\"original\", \"required\": true}], \"steps\": [{\"name\": "
	  "\"Xử lý\", \"role\": \"specialist\", \"share_percent\": 100}]}" },
	{ "POST /api/v1/procedures/{proc}/publish", "{}" },
	{ "POST /api/v1/dossiers", "{}" },
	{ "POST /api/v1/message-templates", "{}" },
	{ "POST /api/v1/zalo-templates", "{}" },
	{ "POST /api/v1/webhooks", "{}" },
	{ "POST /api/v1/webhooks/999999/deactivate", "{}" },
	{ "POST /api/v1/portal/retry", "{}" },
	{ "PUT /api/v1/bundles/AZ1", "{}" },
	{ "POST /api/v1/bundles/AZ1/applications", "{}" },
	{ "POST /api/v1/bundle-applications/AZ1/resume", "{}" },
	{ "POST /api/v1/feedback", "{\"channel\": \"letter\", \"title\": "
	  "\"Thư góp ý {n}\", \"content\": \"Nội dung góp ý.\", "
	  "\"sender\": {\"name\": \"Phan Văn Lợi\", \"phone\": "
	  "\"0912345678\"}, \"unit_code\": \"{unit}\"}" },
	{ "POST /api/v1/feedback/{feedback}/actions", "{\"action\": "
	  "\"route\", \"unit_code\": \"{unit}\"}" },
	{ "POST /api/v1/dossiers/{dossier}/rating", "{}" },
	{ "POST /api/v1/ratings/999999/followup", "{}" },
	{ "POST /api/v1/dossiers/{dossier}/payments", "{\"method\": "
	  "\"cash\", \"amount\": 1000}" },
	{ "POST /api/v1/dossiers/{dossier}/refunds", "{\"method\": "
	  "\"cash\", \"amount\": 1000, \"reason\": \"Thu thừa\"}" },
	{ "POST /api/v1/documents/999999/certify", "{\"purpose\": "
	  "\"Đối chiếu\", \"matches_original\": true}" },
	{ "POST /api/v1/reports/bieu06/close", "{\"period\": \"half\", "
	  "\"year\": 2026, \"index\": 1, \"unit_code\": \"{unit}\"}" },
	{ "POST /api/v1/citizen/dossiers", "{}" },
	{ "POST /api/v1/queue/tickets/999999/finish", "{}" },
	{ "POST /api/v1/queue/tickets/999999/missed", "{}" },
	{ "POST /api/v1/payments/reconciliation?platform=gateway&date=2026-03-01",
	  "{}" },
	{ "PUT /api/v1/dossiers/{dossier}/components/TK/scan", "{}" },
};

/*
 * 'tpl' with {unit} (the unit R), {dossier} (the received dossier at R),
 * {proc} (the test procedure) and {n} (the request's number; {n3}: its
 * last three digits) filled in.
 */
static void fill(const char *tpl, char *out, size_t n)
{
	size_t len = 0;
	const char *p = tpl;

	while (*p && len + 1 < n) {
		const char *v = NULL;
		char num[24];

		if (!strncmp(p, "{unit}", 6)) {
			v = unit_codes[U_R];
			p += 6;
		} else if (!strncmp(p, "{dossier}", 9)) {
			v = shared[F_RECEIVED];
			p += 9;
		} else if (!strncmp(p, "{dossier2}", 10)) {
			v = other_dossier;
			p += 10;
		} else if (!strncmp(p, "{feedback}", 10)) {
			v = feedback;
			p += 10;
		} else if (!strncmp(p, "{proc}", 6)) {
			v = PROC;
			p += 6;
		} else if (!strncmp(p, "{n}", 3)) {
			snprintf(num, sizeof(num), "%d", seq);
			v = num;
			p += 3;
		} else if (!strncmp(p, "{n3}", 4)) {
			snprintf(num, sizeof(num), "%03d", seq % 1000);
			v = num;
			p += 4;
		}
		if (v) {
			len += (size_t)snprintf(out + len, n - len, "%s", v);
			if (len >= n)
				len = n - 1;
		} else {
			out[len++] = *p++;
		}
	}
	out[len] = '\0';
}

static const char *body_of(const char *request)
{
	size_t i;

	for (i = 0; i < MC_ARRAY_SIZE(bodies); i++)
		if (!strcmp(bodies[i].request, request))
			return bodies[i].body;
	return NULL;
}

static void one_request(const struct row *r, const char *request,
			const char *who, const char *token,
			const char *relation, const char *cell)
{
	char method[12], tpl[160], path[400], btext[1200], got[80];
	const char *body = body_of(request);
	json_t *b = NULL, *j = NULL;
	struct want w;
	long st;

	parse_want(cell, r->line, &w);
	if (sscanf(request, "%11s %159s", method, tpl) != 2)
		fail_msg("%s:%d: '%s' is not METHOD /path", DOC, r->line,
			 request);
	seq++;
	fill(tpl, path, sizeof(path));
	if (body) {
		fill(body, btext, sizeof(btext));
		b = json_loads(btext, 0, NULL);
		assert_non_null(b);
	} else if (!strcmp(method, "POST") || !strcmp(method, "PUT")) {
		fail_msg("%s:%d: no body for '%s' in test_authz.c", DOC,
			 r->line, request);
	}
	st = th_api(srv.base, method, path, token, b, &j);
	observed(st, j, got, sizeof(got));
	report(matches(&w, st, j), r->line, who, relation, request, cell, got,
	       j);
	if (recording)
		print_message(" %s |", got);
	json_decref(j);
}

static void endpoint_table(void **state)
{
	static const char *const relations[] = { "unit", "above", "other" };
	static const int rel_units[] = { U_R, U_RA, U_X };
	struct table t;
	char *text = th_read_file(DOC, NULL);
	int ce, cr, cn, cc, cols[NROLES];
	size_t i, b;
	int k;

	(void)state;
	assert_non_null(text);
	read_table(text, "endpoint", &t);
	free(text);
	ce = column(&t, "endpoint");
	cr = column(&t, "relation");
	cn = column(&t, "anonymous");
	cc = column(&t, "citizen");
	for (k = 0; k < NROLES; k++)
		cols[k] = column(&t, role_names[k]);
	/* Every body the test knows has its row. */
	for (b = 0; b < MC_ARRAY_SIZE(bodies); b++) {
		bool found = false;

		for (i = 0; i < t.nrows; i++)
			if (!strcmp(t.rows[i].cells[ce], bodies[b].request))
				found = true;
		if (!found)
			fail_msg("test_authz.c has a body for '%s', which "
				 "has no row in %s", bodies[b].request, DOC);
	}
	for (i = 0; i < t.nrows; i++) {
		const struct row *r = &t.rows[i];
		const char *rel = r->cells[cr];
		size_t x, first = 0, last = 0;

		if (!strcmp(rel, "any")) {
			last = 2;
		} else {
			for (x = 0; x < 3 && strcmp(rel, relations[x]); x++)
				;
			if (x == 3)
				fail_msg("%s:%d: relation '%s'", DOC, r->line,
					 rel);
			first = last = x;
		}
		for (x = first; x <= last; x++) {
			if (recording)
				print_message("| %s | %s |", r->cells[ce],
					      first == last ? rel :
					      relations[x]);
			one_request(r, r->cells[ce], "anonymous", NULL,
				    relations[x], r->cells[cn]);
			one_request(r, r->cells[ce], "citizen", citizen,
				    relations[x], r->cells[cc]);
			for (k = 0; k < NROLES; k++)
				one_request(r, r->cells[ce], role_names[k],
					    tok(k, rel_units[x]),
					    relations[x], r->cells[cols[k]]);
			if (recording)
				print_message("\n");
		}
	}
	free(t.rows);
	print_message("endpoints: %zu rows\n", t.nrows);
}

/* ---- Set-up: units, users, procedures, the citizen, the dossiers. ---- */

static void make_units_and_users(void)
{
	char admin[128], name[64];
	json_t *j = NULL;
	int u, k;

	th_login(srv.base, "admin", "motcua-demo", admin, sizeof(admin));
	{
		static const int order[NUNITS] = { U_RA, U_R, U_HA, U_H, U_X };
		int o;

		for (o = 0; o < NUNITS; o++) {
			u = order[o];
			snprintf(name, sizeof(name), "Đơn vị thử %s",
				 unit_tags[u]);
			if (th_api(srv.base, "POST", "/api/v1/units", admin,
				   json_pack("{s:s, s:s, s:s, s:s, s:s}",
					     "code", unit_codes[u], "name",
					     name, "level", unit_levels[u],
					     "parent_code", unit_parents[u],
					     "valid_from", "2025-07-01"),
				   &j) != 201)
				fail_msg("unit %s: %s", unit_codes[u],
					 json_dumps(j, 0));
			json_decref(j);
		}
	}
	for (k = 0; k < NROLES; k++)
		for (u = 0; u < NUNITS; u++) {
			char un[64];

			if (th_api(srv.base, "POST", "/api/v1/users", admin,
				   json_pack("{s:s, s:s, s:s, s:s, s:s}",
					     "username", user_name(k, u, un,
					     sizeof(un)), "full_name",
					     "Cán bộ thử", "role",
					     role_names[k], "unit_code",
					     unit_codes[u], "password",
					     PASSWORD), &j) != 201)
				fail_msg("user %s: %s", un, json_dumps(j, 0));
			json_decref(j);
			th_login(srv.base, un, PASSWORD, tokens[k][u],
				 sizeof(tokens[k][u]));
		}
}

static void make_procedures(void)
{
	char control[128];
	json_t *j = NULL;

	th_login(srv.base, "kiemsoat", "motcua-demo", control,
		 sizeof(control));
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:s, "
		"s:{s:s, s:b}, s:[{s:s, s:s, s:s, s:b}], "
		"s:[{s:s, s:s, s:i}, {s:s, s:s, s:i}, {s:s, s:s, s:i}, "
		"{s:s, s:s, s:i}]}",
		"code", PROC, "name", "Thủ tục thử phân quyền", "field",
		"Thử nghiệm", "level", "province", "unit_code",
		unit_codes[U_H], "processing_time", "amount", 10, "unit",
		"working_days", "online_level", "full", "result",
		"document_type", "Giấy phép", "paper", 1, "components", "code",
		"TK", "name", "Tờ khai", "form", "original", "required", 1,
		"steps", "name", "Tiếp nhận", "role", "counter_officer",
		"share_percent", 10, "name", "Thẩm định", "role", "specialist",
		"share_percent", 60, "name", "Phê duyệt", "role", "leader",
		"share_percent", 20, "name", "Trả kết quả", "role",
		"counter_officer", "share_percent", 10);
	if (th_api(srv.base, "POST", "/api/v1/procedures", control, j, &j) !=
	    201)
		fail_msg("procedure: %s", json_dumps(j, 0));
	json_decref(j);
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:b, "
		"s:{s:s, s:b}, s:[{s:s, s:s, s:s, s:b}], s:[{s:s, s:s, s:i}]}",
		"code", SPOT, "name", "Chứng thực thử phân quyền", "field",
		"Chứng thực", "level", "province", "unit_code",
		unit_codes[U_R], "processing_time", "amount", 4, "unit",
		"working_hours", "on_the_spot", 1, "result", "document_type",
		"Bản sao", "paper", 1, "components", "code", "TK", "name",
		"Bản chính", "form", "original", "required", 1, "steps",
		"name", "Chứng thực tại quầy", "role", "counter_officer",
		"share_percent", 100);
	if (th_api(srv.base, "POST", "/api/v1/procedures", control, j, &j) !=
	    201)
		fail_msg("procedure: %s", json_dumps(j, 0));
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures/" PROC
		"/publish", control, json_pack("{s:s, s:s, s:s}", "valid_from",
		"2026-01-01", "decision_number", "91/QĐ", "decision_date",
		"2025-12-20"), NULL), 200);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures/" SPOT
		"/publish", control, json_pack("{s:s, s:s, s:s}", "valid_from",
		"2026-01-01", "decision_number", "92/QĐ", "decision_date",
		"2025-12-20"), NULL), 200);
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, s:b, "
		"s:{s:s, s:b}, s:[{s:s, s:s, s:i}], s:[{s:s, s:s, s:s, s:b}], "
		"s:[{s:s, s:s, s:i}, {s:s, s:s, s:i}]}",
		"code", PAY, "name", "Thủ tục thử nộp phí trước", "field",
		"Thử nghiệm", "level", "province", "unit_code",
		unit_codes[U_H], "processing_time", "amount", 10, "unit",
		"working_days", "pay_before_processing", 1, "result",
		"document_type", "Giấy phép", "paper", 1, "fees", "name",
		"Lệ phí thử", "kind", "charge", "amount", 50000, "components",
		"code", "TK", "name", "Tờ khai", "form", "original", "required",
		1, "steps", "name", "Tiếp nhận", "role", "counter_officer",
		"share_percent", 10, "name", "Thẩm định", "role", "specialist",
		"share_percent", 90);
	if (th_api(srv.base, "POST", "/api/v1/procedures", control, j, &j) !=
	    201)
		fail_msg("procedure: %s", json_dumps(j, 0));
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures/" PAY
		"/publish", control, json_pack("{s:s, s:s, s:s}", "valid_from",
		"2026-01-01", "decision_number", "93/QĐ", "decision_date",
		"2025-12-20"), NULL), 200);
}

/* Signs the citizen of the dossiers in with a one-time code by SMS. */
static void citizen_login(void)
{
	struct th_sms sms;
	char code[8] = "";
	json_t *j = NULL;
	int i, k;

	assert_int_equal(th_api(srv.base, "POST", "/api/v1/citizen/otp", NULL,
		json_pack("{s:s}", "id_number", PID), NULL), 202);
	for (i = 0; i < 100 && !code[0]; i++) {
		for (k = 0; th_smsgw_get(gw, k, &sms); k++) {
			const char *p = strstr(sms.text, " là ");

			if (!strncmp(sms.key, "otp/", 4) && p)
				snprintf(code, sizeof(code), "%.6s",
					 p + strlen(" là "));
		}
		if (!code[0])
			usleep(50 * 1000);
	}
	if (!code[0])
		fail_msg("no one-time code came");
	if (th_api(srv.base, "POST", "/api/v1/citizen/login", NULL,
		   json_pack("{s:s, s:s}", "id_number", PID, "code", code),
		   &j) != 200)
		fail_msg("citizen login: %s", json_dumps(j, 0));
	snprintf(citizen, sizeof(citizen), "%s", th_str(j, "token"));
	json_decref(j);
}

static int setup(void **state)
{
	const char *rec = getenv("TEST_AUTHZ_RECORD");
	int f;

	(void)state;
	recording = rec && *rec && strcmp(rec, "0");
	th_path(clock_file, sizeof(clock_file), "clock");
	set_clock("2026-03-02T09:00:00+07:00\n");	/* a Monday */
	setenv("MOTCUA_TEST_CLOCK", clock_file, 1);
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	setenv("MOTCUA_WATCH_INTERVAL", "0", 1);
	gw = th_smsgw_start("gw");
	th_demo_db(db, sizeof(db), "authz");
	th_serve(&srv, (const char *[]){ "--db", db, "--threads", "2",
		 "--sms-url", th_smsgw_url(gw), "--sms-token", "gw",
		 "--outbox-poll", "50ms", "--otp-max-per-address", "100",
		 NULL });
	make_units_and_users();
	make_procedures();
	for (f = 0; f < NFIX; f++)
		shared[f] = fresh(f);
	other_dossier = th_intake(srv.base, tok(COUNTER, U_R), PROC, "direct",
				  "051095099999", "Lý Thị Bình", "0988888888");
	{
		json_t *j = NULL;

		if (th_api(srv.base, "POST", "/api/v1/feedback", tok(CONTROL, U_R),
			   json_pack("{s:s, s:s, s:s, s:{s:s, s:s}}", "channel",
				     "letter", "title", "Góp ý thử", "content",
				     "Nội dung.", "sender", "name", "Phan Văn Lợi",
				     "phone", "0912345678"), &j) != 201)
			fail_msg("feedback: %s", json_dumps(j, 0));
		snprintf(feedback, sizeof(feedback), "%s", th_str(j, "code"));
		json_decref(j);
	}
	citizen_login();
	return 0;
}

static int teardown(void **state)
{
	int f;

	(void)state;
	assert_int_equal(th_serve_stop(&srv), 0);
	th_smsgw_stop(gw);
	unsetenv("MOTCUA_TEST_CLOCK");
	for (f = 0; f < NFIX; f++)
		free(shared[f]);
	free(other_dossier);
	print_message("authorization matrix: %d combinations, %d "
		      "mismatches\n", tried, failures);
	return 0;
}

/* Fails once, after every combination was tried and printed. */
static void verdict(void **state)
{
	(void)state;
	if (failures)
		fail_msg("%d of %d combinations do not match %s", failures,
			 tried, DOC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lifecycle_table),
		cmocka_unit_test(endpoint_table),
		cmocka_unit_test(verdict),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
