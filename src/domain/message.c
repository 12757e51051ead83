/*
 * message.c — events, priorities and templates of messages (message.h).
 */
#include "core/compat.h"
#include "domain/message.h"

static const char *const event_names[MC_EV_COUNT] = {
	"received", "supplement_requested", "apology", "result_ready",
	"returned", "refused", "stopped", "withdrawn", "payment_due",
	"payment_received", "otp", "contact_changed"
};

static const char *const channel_names[MC_MSG_CHANNEL_COUNT] = {
	"sms", "email", "webhook", "zalo"
};

static const char *const ph_names[MC_PH_COUNT] = {
	"code", "procedure", "agency", "due", "date", "reason", "amount",
	"link", "otp", "minutes"
};

const char *mc_msg_event_name(enum mc_msg_event e)
{
	return (unsigned)e < MC_EV_COUNT ? event_names[e] : "?";
}

int mc_msg_event_parse(const char *s)
{
	int i;

	for (i = 0; s && i < MC_EV_COUNT; i++)
		if (!strcmp(s, event_names[i]))
			return i;
	return -1;
}

const char *mc_msg_channel_name(enum mc_msg_channel c)
{
	return (unsigned)c < MC_MSG_CHANNEL_COUNT ? channel_names[c] : "?";
}

int mc_msg_channel_parse(const char *s)
{
	int i;

	for (i = 0; s && i < MC_MSG_CHANNEL_COUNT; i++)
		if (!strcmp(s, channel_names[i]))
			return i;
	return -1;
}

enum mc_msg_priority mc_msg_event_priority(enum mc_msg_event e)
{
	return e == MC_EV_OTP || e == MC_EV_CONTACT_CHANGED ? MC_PRIO_URGENT :
	       MC_PRIO_CASE;
}

int mc_msg_event_for(const char *action, const char *to_status)
{
	static const struct {
		const char *action, *to;	/* NULL: any */
		enum mc_msg_event ev;
	} map[] = {
		/* Taken in at the counter or by post: received at once. */
		{ "intake", "received", MC_EV_RECEIVED },
		{ "intake", "awaiting_payment", MC_EV_PAYMENT_DUE },
		{ "accept", "awaiting_payment", MC_EV_PAYMENT_DUE },
		{ "accept", NULL, MC_EV_RECEIVED },
		{ "paid", "received", MC_EV_RECEIVED },
		{ "request_supplement", NULL, MC_EV_SUPPLEMENT_REQUESTED },
		{ "apologize", NULL, MC_EV_APOLOGY },
		{ "complete", NULL, MC_EV_RESULT_READY },
		{ "return_result", NULL, MC_EV_RETURNED },
		{ "refuse", NULL, MC_EV_REFUSED },
		{ "stop", NULL, MC_EV_STOPPED },
		{ "withdraw", NULL, MC_EV_WITHDRAWN },
	};
	size_t i;

	for (i = 0; i < MC_ARRAY_SIZE(map); i++)
		if (!strcmp(action, map[i].action) &&
		    (!map[i].to || !strcmp(to_status, map[i].to)))
			return (int)map[i].ev;
	return -1;
}

const char *mc_placeholder_name(enum mc_placeholder p)
{
	return (unsigned)p < MC_PH_COUNT ? ph_names[p] : "?";
}

/* The placeholder named by s[0..n), or -1. */
static int placeholder(const char *s, size_t n)
{
	int i;

	for (i = 0; i < MC_PH_COUNT; i++)
		if (strlen(ph_names[i]) == n && !memcmp(s, ph_names[i], n))
			return i;
	return -1;
}

int mc_msg_template_check(const char *text, const char *field,
			  struct mc_err *err)
{
	const char *p = text;

	while (*p) {
		const char *end;

		if (*p == '}')
			return mc_err_field(err, field, "placeholder", "a '}' "
					    "without its '{'");
		if (*p != '{') {
			p++;
			continue;
		}
		end = strchr(p, '}');
		if (!end)
			return mc_err_field(err, field, "placeholder", "a '{' "
					    "without its '}'");
		if (placeholder(p + 1, (size_t)(end - p - 1)) < 0)
			return mc_err_field(err, field, "placeholder", "no "
					    "placeholder {%.*s}; known: code, "
					    "procedure, agency, due, date, "
					    "reason, amount, link, otp, "
					    "minutes", (int)(end - p - 1) > 40 ?
					    40 : (int)(end - p - 1), p + 1);
		p = end + 1;
	}
	return 0;
}

int mc_msg_render(const char *text, const struct mc_msg_values *vals,
		  struct mc_buf *out)
{
	const char *p = text;

	while (*p) {
		const char *open = strchr(p, '{'), *end;
		int ph;

		if (!open)
			return mc_buf_adds(out, p);
		if (mc_buf_add(out, p, (size_t)(open - p)))
			return MC_ETOOBIG;
		end = strchr(open, '}');
		ph = end ? placeholder(open + 1, (size_t)(end - open - 1)) : -1;
		if (ph < 0) {
			/* Checked templates have none; keep it as written. */
			if (mc_buf_addc(out, '{'))
				return MC_ETOOBIG;
			p = open + 1;
			continue;
		}
		if (vals->v[ph] && mc_buf_adds(out, vals->v[ph]))
			return MC_ETOOBIG;
		p = end + 1;
	}
	return 0;
}

void mc_msg_amount(int64_t vnd, char *buf, size_t n)
{
	char digits[32], grouped[48];
	size_t len, i, k = 0;
	bool neg = vnd < 0;

	snprintf(digits, sizeof(digits), "%" PRIu64,
		 neg ? (uint64_t)0 - (uint64_t)vnd : (uint64_t)vnd);
	len = strlen(digits);
	for (i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			grouped[k++] = '.';
		grouped[k++] = digits[i];
	}
	grouped[k] = '\0';
	snprintf(buf, n, "%s%s đồng", neg ? "-" : "", grouped);
}
