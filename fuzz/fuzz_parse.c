/*
 * fuzz_parse.c — values read from query strings, configuration and flags:
 * core/parse.c (mc_parse_int, _date, _instant, _interval, _bool, _hours)
 * and core/timeutil.c (mc_date_parse, mc_instant_parse,
 * mc_duration_parse, mc_size_parse), and the national portal's times
 * (domain/portal.c mc_portal_time_parse). The first byte chooses the parser,
 * the rest is its text. A value that parses must format and parse back
 * to itself.
 */
#include "fuzz.h"
#include "core/err.h"
#include "core/parse.h"
#include "core/timeutil.h"
#include "domain/portal.h"

static void date_round_trip(int32_t day)
{
	char buf[16], why[160];
	int32_t again;

	mc_date_format(day, buf, sizeof(buf));
	FZ_CHECK(mc_date_parse(buf, strlen(buf), &again, why,
			       sizeof(why)) == 0);
	FZ_CHECK(again == day);
}

static void instant_round_trip(int64_t t)
{
	char buf[32], why[160];
	int64_t again;

	/* Years 1..9999 only: outside them the formats say nothing. */
	if (t < -62135596800 + 86400 || t > 253402300799 - 86400)
		return;
	mc_time_format_local(t, buf, sizeof(buf));
	FZ_CHECK(mc_instant_parse(buf, strlen(buf), &again, why,
				  sizeof(why)) == 0);
	FZ_CHECK(again == t);
	mc_time_format_utc(t, buf, sizeof(buf));
	FZ_CHECK(mc_instant_parse(buf, strlen(buf), &again, why,
				  sizeof(why)) == 0);
	FZ_CHECK(again == t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mc_err err = MC_ERR_INIT;
	char why[160], *s, *raw;
	int32_t day, a, b;
	int64_t t, u, ms;
	uint64_t bytes;
	long v;
	bool flag;

	if (size < 1)
		return 0;
	s = fz_str(data + 1, size - 1);
	/* The length-taking parsers get exactly the bytes, no NUL after. */
	raw = mc_malloc(size);
	memcpy(raw, data + 1, size - 1);
	switch (data[0] % 16) {
	case 0:
		if (mc_parse_int("n", s, -1000000, 1000000, &v, &err) == 0)
			FZ_CHECK(v >= -1000000 && v <= 1000000);
		break;
	case 1:
		if (mc_parse_date("date", s, &day, &err) == 0)
			date_round_trip(day);
		break;
	case 2:
		if (mc_parse_instant("at", s, &t, &err) == 0)
			instant_round_trip(t);
		break;
	case 3:
		if (mc_parse_interval("during", s, &t, &u, &err) == 0)
			FZ_CHECK(t <= u);
		break;
	case 4:
		(void)mc_parse_bool("flag", s, &flag, &err);
		break;
	case 5:
		if (mc_parse_hours("hours", s, &a, &b, &err) == 0)
			FZ_CHECK(a >= 0 && b >= 0);
		break;
	case 6:
		if (mc_date_parse(raw, size - 1, &day, why, sizeof(why)) == 0)
			date_round_trip(day);
		break;
	case 7:
		if (mc_instant_parse(raw, size - 1, &t, why, sizeof(why)) == 0)
			instant_round_trip(t);
		break;
	case 8:
		(void)mc_duration_parse(s, &ms);
		break;
	case 10:
		t = mc_portal_time_parse(s);
		if (t != MC_NO_TIME && t >= 0 && t < 253402300799 - 86400) {
			char buf[16];

			mc_portal_time(t, buf);
			FZ_CHECK(mc_portal_time_parse(buf) == t);
		}
		break;
	default:
		(void)mc_size_parse(s, &bytes);
		break;
	}
	/* Every error text must be a string (the API prints it). */
	FZ_CHECK(memchr(err.message, '\0', sizeof(err.message)) != NULL);
	mc_free(raw);
	mc_free(s);
	return 0;
}
