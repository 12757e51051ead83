/*
 * open311.c — feedback through the Open311 GeoReport v2 API
 * (docs/feedback.md "Open311"), so that existing Open311 clients can file
 * and follow feedback: the three kinds of feedback are its services, a
 * piece of feedback is a service request. JSON only. Requests show no
 * one's name or contact; a request's text shows once its answer is
 * published.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "api/api.h"
#include "api/util.h"
#include "app.h"
#include "domain/ident.h"
#include "store/feedback.h"

static const struct {
	const char *code, *name, *description;
} services[] = {
	{ "regulation", "Phản ánh, kiến nghị về quy định hành chính",
	  "Quy định hành chính không hợp pháp, không hợp lý, không thống "
	  "nhất hoặc gây vướng mắc; đề xuất sáng kiến." },
	{ "procedure", "Phản ánh, kiến nghị về thủ tục hành chính",
	  "Thủ tục hành chính rườm rà, giấy tờ không cần thiết, thời hạn "
	  "giải quyết quá dài." },
	{ "conduct", "Phản ánh về hành vi của cán bộ, công chức",
	  "Chậm trễ, gây phiền hà, sách nhiễu khi giải quyết thủ tục hành "
	  "chính." },
};

static const char *service_name(const char *code)
{
	size_t i;

	for (i = 0; i < MC_ARRAY_SIZE(services); i++)
		if (!strcmp(services[i].code, code))
			return services[i].name;
	return NULL;
}

/* Open311's error answer: [{"code": N, "description": "…"}]. */
static void error311(struct mc_req *r, int status, const char *desc)
{
	mc_reply_json(r, status, json_pack("[{s:i, s:s}]", "code", status,
					   "description", desc));
}

void api_open311_services(struct mc_req *r)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < MC_ARRAY_SIZE(services); i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b, "
			"s:s, s:s, s:s}", "service_code", services[i].code,
			"service_name", services[i].name, "description",
			services[i].description, "metadata", 0, "type",
			"realtime", "keywords", "phản ánh, kiến nghị, PAKN",
			"group", "Phản ánh, kiến nghị"));
	mc_reply_json(r, 200, list);
}

static char *iso(int64_t t, char *buf, size_t n)
{
	if (t == MC_NO_TIME)
		return NULL;
	return mc_time_format_local(t, buf, n);
}

static json_t *request_json(const struct mc_feedback *f)
{
	bool published = f->status == MC_FB_PUBLISHED;
	char notes[MC_FB_TEXT_MAX + 128], t1[32], t2[32], t3[32];

	snprintf(notes, sizeof(notes), "%s%s%s", mc_fb_status_label(f->status),
		 published ? ": " : "", published ? f->answer : "");
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:o, s:o, "
		"s:n, s:n, s:n, s:n}",
		"service_request_id", f->code,
		"status", mc_fb_final(f->status) ? "closed" : "open",
		"status_notes", notes,
		"service_name", service_name(f->subject) ?
		service_name(f->subject) : "Phản ánh, kiến nghị",
		"service_code", f->subject[0] ? f->subject : "",
		"description", published ? json_string(f->content) :
		json_null(),
		"agency_responsible", f->unit_name,
		"requested_datetime", iso(f->received_at, t1, sizeof(t1)),
		"updated_datetime", mc_api_text(iso(f->closed_at != MC_NO_TIME ?
			f->closed_at : f->received_at, t2, sizeof(t2))),
		"expected_datetime", mc_api_text(iso(f->due_at, t3,
						     sizeof(t3))),
		"address", "lat", "long", "media_url");
}

struct create {
	struct mc_api_write aw;
	struct mc_feedback_in in;
	struct mc_fb_limits lim;
	char subject[16], title[256], content[8192], name[MC_NAME_MAX];
	char phone[24], email[256], address[MC_NAME_MAX];
	struct mc_feedback out;
	bool created;
};

static int create_fn(struct mc_conn *c, struct mc_api_write *aw,
		     struct mc_err *err)
{
	struct create *w = (struct create *)aw;

	return mc_feedback_create(c, &w->in, &w->out, &w->created, err);
}

static void create_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct create *w = (struct create *)aw;

	mc_reply_json(r, 201, json_pack("[{s:s, s:s, s:n}]",
		"service_request_id", w->out.code, "service_notice",
		"Phản ánh, kiến nghị đã được tiếp nhận. Kết quả xử lý sẽ được "
		"công khai và gửi tới ông/bà.", "account_id"));
}

/* A form field, trimmed to 'max' bytes on a character boundary. */
static void field(struct mc_req *r, const char *key, char *dst, size_t n)
{
	const char *v = mc_req_query(r, key);
	size_t len;

	snprintf(dst, n, "%s", v ? v : "");
	len = strlen(dst);
	while (len && ((unsigned char)dst[len] & 0xc0) == 0x80)
		dst[--len] = '\0';
}

void api_open311_create(struct mc_req *r)
{
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	const char *ct = mc_req_header_get(r, "content-type");
	struct create *w;
	char first[128], last[128], norm[MC_PHONE_NORM_SIZE];
	size_t n;

	if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33)) {
		error311(r, 415, "send the request as "
			 "application/x-www-form-urlencoded");
		return;
	}
	if (mc_req_form(r, &err)) {
		error311(r, 400, err.message);
		return;
	}
	w = mc_calloc(1, sizeof(*w));
	field(r, "service_code", w->subject, sizeof(w->subject));
	field(r, "description", w->content, 4001);
	field(r, "first_name", first, sizeof(first));
	field(r, "last_name", last, sizeof(last));
	field(r, "email", w->email, sizeof(w->email));
	field(r, "phone", w->phone, sizeof(w->phone));
	field(r, "address_string", w->address, sizeof(w->address));
	if (!service_name(w->subject)) {
		mc_free(w);
		error311(r, 400, "service_code: one of regulation, procedure, "
			 "conduct (GET services.json)");
		return;
	}
	if (!w->content[0] || strlen(w->content) > 4000) {
		mc_free(w);
		error311(r, 400, "description: required, at most 4000 bytes");
		return;
	}
	snprintf(w->name, sizeof(w->name), "%s%s%s", last, last[0] &&
		 first[0] ? " " : "", first);
	if (!w->name[0] || (!w->phone[0] && !w->email[0])) {
		mc_free(w);
		error311(r, 400, "first_name or last_name, and phone or email, "
			 "are required: the answer is sent there");
		return;
	}
	if (w->phone[0]) {
		if (mc_phone_check("phone", w->phone, norm, sizeof(norm),
				   &err)) {
			mc_free(w);
			error311(r, 400, "phone: a Vietnamese phone number");
			return;
		}
		snprintf(w->phone, sizeof(w->phone), "%s", norm);
	}
	if (w->email[0] && mc_email_check("email", w->email, &err)) {
		mc_free(w);
		error311(r, 400, "email: an e-mail address");
		return;
	}
	/* The title: the description's first line, up to 100 bytes. */
	n = strcspn(w->content, "\r\n");
	snprintf(w->title, sizeof(w->title), "%.*s", (int)(n > 100 ? 100 : n),
		 w->content);
	n = strlen(w->title);
	while (n && ((unsigned char)w->title[n] & 0xc0) == 0x80)
		w->title[--n] = '\0';
	w->in.channel = "web";
	w->in.kind = "reflection";
	w->in.subject = w->subject;
	w->in.title = w->title;
	w->in.content = w->content;
	w->in.sender_name = w->name;
	w->in.sender_phone = w->phone;
	w->in.sender_email = w->email;
	w->in.sender_address = w->address;
	w->in.dossier_code = "";
	w->in.external_id = "";
	w->in.unit_code = "";
	w->in.default_unit = app->cfg.feedback_unit;
	w->in.cal = app->cal;
	mc_api_feedback_limits(app, &w->lim);
	w->in.lim = &w->lim;
	w->in.now = mc_api_now(app);
	w->aw.fn = create_fn;
	w->aw.reply = create_reply;
	mc_api_write_submit(r, &w->aw);
}

static void list_item(const struct mc_feedback *f, void *arg)
{
	json_array_append_new(arg, request_json(f));
}

void api_open311_requests(struct mc_req *r)
{
	struct mc_feedback_filter flt;
	struct mc_err err = MC_ERR_INIT;
	const char *ids = mc_req_query(r, "service_request_id");
	const char *status = mc_req_query(r, "status");
	const char *code = mc_req_query(r, "service_code");
	json_t *list = json_array();
	struct mc_feedback *f;

	if (status && strcmp(status, "open") && strcmp(status, "closed")) {
		json_decref(list);
		error311(r, 400, "status: open or closed");
		return;
	}
	if (ids) {
		/* The requests asked for, whatever their state. */
		char id[64];

		f = mc_malloc(sizeof(*f));
		while (*ids) {
			size_t n = strcspn(ids, ",");

			snprintf(id, sizeof(id), "%.*s", (int)(n < 63 ? n : 63),
				 ids);
			if (mc_feedback_get(mc_req_db(r), id, f, NULL) == 0)
				json_array_append_new(list, request_json(f));
			ids += n + (ids[n] == ',');
		}
		mc_free(f);
		mc_reply_json(r, 200, list);
		return;
	}
	/* Otherwise the published ones, newest first (those are closed). */
	if (status && !strcmp(status, "open")) {
		mc_reply_json(r, 200, list);
		return;
	}
	memset(&flt, 0, sizeof(flt));
	flt.status = -1;
	flt.published_only = true;
	flt.subject = code;
	flt.limit = 100;
	if (mc_feedback_list(mc_req_db(r), &flt, list_item, list, &err) < 0) {
		json_decref(list);
		mc_reply_err(r, &err);
		return;
	}
	mc_reply_json(r, 200, list);
}

void api_open311_request(struct mc_req *r)
{
	const char *p = mc_req_param(r, "id");
	size_t n = strlen(p);
	struct mc_feedback *f;
	char id[64];

	if (n < 6 || strcmp(p + n - 5, ".json") != 0) {
		error311(r, 404, "use /open311/v2/requests/{id}.json");
		return;
	}
	snprintf(id, sizeof(id), "%.*s", (int)(n - 5 < 63 ? n - 5 : 63), p);
	f = mc_malloc(sizeof(*f));
	if (mc_feedback_get(mc_req_db(r), id, f, NULL)) {
		mc_free(f);
		error311(r, 404, "no such service request");
		return;
	}
	mc_reply_json(r, 200, json_pack("[o]", request_json(f)));
	mc_free(f);
}
