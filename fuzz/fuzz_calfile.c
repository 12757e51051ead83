/*
 * fuzz_calfile.c — calendar files (domain/calfile.c mc_cal_spec_parse,
 * format in docs/calendar.md), as a province layers its own on top of the
 * shipped vn.cal (configuration key calendar_files), then the day index
 * built from them (domain/calendar.c mc_cal_build) and a few deadlines
 * counted on it. Bit 0 of the first byte: layer on vn.cal (1) or parse
 * alone (0); the rest is the file.
 */
#include "fuzz.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "domain/calendar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_cal_spec spec;
	struct mc_calendar *cal = NULL;
	char *text;
	int rc = 0;

	if (size < 1)
		return 0;
	/* Exactly the bytes, so that a read past the end is seen. */
	text = mc_malloc(size);
	memcpy(text, data + 1, size - 1);
	mc_cal_spec_init(&spec);
	if (data[0] & 1)
		rc = mc_cal_spec_load_builtin(&spec, &err);
	FZ_CHECK(rc == 0);
	rc = mc_cal_spec_parse(&spec, "fuzz.cal", text, size - 1, &err);
	if (rc == 0 && mc_cal_build(&spec, &cal, &err) == 0) {
		struct mc_due_req req;
		int32_t first = mc_cal_first_day(cal);
		int32_t last = mc_cal_last_day(cal);
		int64_t start = mc_local_day_start(mc_days_from_ymd(2026, 2,
			13)) + 10 * 3600, due, received;
		struct mc_cal_day info;
		int u;

		FZ_CHECK(first <= last);
		(void)mc_cal_day_info(cal, mc_days_from_ymd(2026, 9, 2),
				      &info);
		for (u = 0; u < 4; u++) {
			memset(&req, 0, sizeof(req));
			req.start = start;
			req.unit = (enum mc_due_unit)u;
			req.amount = 3 + (data[0] >> 1);
			if (mc_cal_due(cal, &req, &due, &received, &err) == 0)
				FZ_CHECK(due >= received);
		}
		mc_cal_free(cal);
	}
	mc_cal_spec_release(&spec);
	mc_free(text);
	return 0;
}
