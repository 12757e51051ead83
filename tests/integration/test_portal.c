/*
 * test_portal.c — the national portal's sync end to end: the real motcua
 * binary queues each event of a dossier in the transaction that makes it,
 * and its sender hands them to a local portal (harness/portalsrv.c) that
 * speaks the documented protocol — a client-credentials token, dossiers
 * created and updated, their steps — checks the fields and codes, and
 * honours idempotency keys. On the server's test clock:
 *
 * - a dossier taken in, forwarded, resolved and returned reaches the
 *   portal as statuses 2, 4, 9, 10, in that order, each step once, with
 *   the portal's codes and instants;
 * - six hours of the portal down: nothing is lost, the sender pauses
 *   instead of hammering it, the dashboard says what waits, since when
 *   and why; when it returns everything drains in order, nothing twice;
 * - a dossier the portal refuses stays refused, named on the dashboard,
 *   and its later events wait behind it rather than overtake it;
 * - the reconciliation finds a dossier the portal shows with the wrong
 *   status and one it lost, and puts both right with a step that says
 *   what it found;
 * - dossiers filed on the portal are taken in as submitted online, once
 *   however often handed over, and their events go back under the
 *   portal's own code; one of a procedure motcua does not have is kept,
 *   with the reason, on the dashboard;
 * - staff retry: the refused dossier's events go again, in order; the
 *   dossier not taken in is taken in once its procedure exists.
 */
#include "core/compat.h"
#include "harness/harness.h"
#include "core/sha256.h"
#include "harness/portalsrv.h"

#include <unistd.h>

#define PROC "9.900601"
#define CLIENT "motcua-qng"
#define SECRET "bi-mat-cong"

static struct th_server srv;
static struct th_portal *portal;
static char db[600], clock_file[600], counter[128], leader[128],
	    control[128];
static char *done_a, *done_b;	/* returned, and forwarded: synced */
static char *refused_e;		/* its intake refused by the portal */

static void login(void)
{
	th_login(srv.base, "tiepnhan", "motcua-demo", counter,
		 sizeof(counter));
	th_login(srv.base, "lanhdao", "motcua-demo", leader, sizeof(leader));
	th_login(srv.base, "kiemsoat", "motcua-demo", control,
		 sizeof(control));
}

/* Moves the server's clock; sessions do not outlive days: sign in. */
static void set_clock(const char *iso)
{
	assert_int_equal(th_write_file(clock_file, iso), 0);
	if (srv.base[0])
		login();
}

/*
 * Procedure 'code' of the Department of Justice, published; with a fee of
 * 'fee' đồng (0: none).
 */
static void procedure(const char *code, int fee)
{
	char path[128];
	json_t *p;

	p = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}, "
		"s:{s:s, s:b, s:b}, s:[{s:s, s:s, s:s, s:b}], s:[{s:s, s:s, "
		"s:i}, {s:s, s:s, s:i}]}", "code", code, "name", "Thủ tục thử đồng "
		"bộ", "field", "Thử nghiệm", "level", "province", "unit_code",
		"000.00.04.H51", "processing_time", "amount", 3, "unit",
		"working_days", "result", "document_type", "Giấy", "paper", 1,
		"electronic", 1, "components", "code", "TK", "name", "Tờ khai", "form",
		"original", "required", 1, "steps", "name", "Tiếp nhận",
		"role", "counter_officer", "share_percent", 10, "name",
		"Giải quyết", "role", "leader", "share_percent", 90);
	if (fee)
		json_object_set_new(p, "fees", json_pack("[{s:s, s:s, s:i}]",
			"name", "Lệ phí", "kind", "fee", "amount", fee));
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/procedures",
		control, p, NULL), 201);
	snprintf(path, sizeof(path), "/api/v1/procedures/%s/publish", code);
	assert_int_equal(th_api(srv.base, "POST", path, control, json_pack(
		"{s:s, s:s, s:s}", "valid_from", "2024-01-01",
		"decision_number", "9/QĐ", "decision_date", "2023-12-20"),
		NULL), 200);
}

static int setup(void **state)
{
	(void)state;
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	setenv("MOTCUA_WATCH_INTERVAL", "0", 1);
	th_path(clock_file, sizeof(clock_file), "clock");
	set_clock("2024-03-04T09:00:00+07:00");
	setenv("MOTCUA_TEST_CLOCK", clock_file, 1);
	portal = th_portal_start(CLIENT, SECRET);
	th_demo_db(db, sizeof(db), "portal");
	th_serve(&srv, (const char *[]){ "--db", db, "--public-url",
		 "https://dichvucong.quangngai.gov.vn", "--portal-url",
		 th_portal_url(portal), "--portal-client-id", CLIENT,
		 "--portal-client-secret", SECRET, "--outbox-poll", "50ms",
		 "--portal-retry-min", "1s", "--portal-retry-max", "60s",
		 "--portal-breaker-failures", "2", "--portal-breaker-pause",
		 "60s", "--portal-breaker-max", "10m", "--portal-timeout",
		 "10s", "--portal-reconcile", "1h", "--portal-inbound", "1s",
		 NULL });
	login();
	procedure(PROC, 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(th_serve_stop(&srv), 0);
	th_portal_stop(portal);
	unsetenv("MOTCUA_TEST_CLOCK");
	return 0;
}

static char *intake(const char *channel, const char *name)
{
	return th_intake(srv.base, counter, PROC, channel, "051200001234",
			 name, "0905111222");
}

static void forward(const char *code)
{
	th_act(srv.base, counter, code, json_pack("{s:s, s:s}", "action",
		"forward", "unit_code", "000.00.04.H51"));
}

/*
 * Waits (up to 30 s: sanitized runs beside other tests are slow) until
 * the portal holds 'code' with 'nsteps' steps; fills 'out'.
 */
static void wait_steps(const char *code, int nsteps,
		       struct th_portal_dossier *out)
{
	int i;

	for (i = 0; i < 600; i++) {
		if (th_portal_dossier(portal, code, out) &&
		    out->nsteps >= nsteps)
			return;
		usleep(50 * 1000);
	}
	fail_msg("the portal has %d steps of %s, not %d",
		 th_portal_dossier(portal, code, out) ? out->nsteps : 0, code,
		 nsteps);
}

/* The dashboard (caller decrefs). */
static json_t *sync_state(void)
{
	json_t *j;

	assert_int_equal(th_api(srv.base, "GET", "/api/v1/portal/sync",
				control, NULL, &j), 200);
	return j;
}

static json_int_t num(json_t *o, const char *group, const char *k)
{
	return json_integer_value(json_object_get(group ?
		json_object_get(o, group) : o, k));
}

/* The count of failures with 'cause' on the dashboard 'j'. */
static json_int_t failures(json_t *j, const char *cause)
{
	size_t i;
	json_t *f;

	json_array_foreach(json_object_get(j, "failures"), i, f)
		if (!strcmp(th_str(f, "cause"), cause))
			return num(f, NULL, "count");
	return 0;
}

/* Waits (up to 30 s) until the dashboard's 'k' of "events" is 'want'. */
static json_t *wait_events(const char *k, json_int_t want)
{
	json_t *j = NULL;
	int i;

	for (i = 0; i < 600; i++) {
		json_decref(j);
		j = sync_state();
		if (num(j, "events", k) == want)
			return j;
		usleep(50 * 1000);
	}
	fail_msg("events.%s is %lld, not %lld", k,
		 (long long)num(j, "events", k), (long long)want);
	return j;
}

static void in_order(void **state)
{
	struct th_portal_dossier d;
	char *a;
	json_t *j;

	(void)state;
	a = intake("direct", "Lê Văn Đồng Bộ");
	wait_steps(a, 1, &d);
	assert_int_equal(d.status, 2);
	assert_int_equal(d.channel, 1);
	assert_string_equal(d.procedure, PROC);
	assert_string_equal(d.received, "20240304090000");
	assert_int_equal(d.steps[0].status, 2);
	assert_string_equal(d.steps[0].what, "Tiếp nhận hồ sơ");
	assert_true(d.steps[0].by[0] != '\0');
	forward(a);
	th_act(srv.base, leader, a, json_pack("{s:s, s:{s:s, s:b}}", "action",
		"complete", "result", "number", "1/ĐB", "generate", 1));
	th_act(srv.base, counter, a, json_pack("{s:s}", "action",
		"return_result"));
	wait_steps(a, 4, &d);
	assert_int_equal(d.steps[1].status, 4);
	assert_string_equal(d.steps[1].what, "Chuyển xử lý");
	assert_int_equal(d.steps[2].status, 9);
	assert_string_equal(d.steps[2].what, "Hoàn thành giải quyết");
	assert_int_equal(d.steps[3].status, 10);
	assert_string_equal(d.steps[3].what, "Trả kết quả");
	assert_int_equal(d.status, 10);
	assert_int_equal(d.writes, 4);	/* created, then three updates */
	/* The 766 flags: its paper handed in, not scanned; no fee paid
	 * online; the e-result drawn and signed, with its public link. */
	assert_int_equal(d.papers, 1);
	assert_int_equal(d.digitized, 0);
	assert_int_equal(d.paid_online, 0);
	assert_int_equal(d.results, 1);
	assert_true(!strncmp(d.result_link, "https://dichvucong.quangngai.gov"
			     ".vn/verify/", 43));
	j = wait_events("synced", 4);
	assert_int_equal(num(j, "events", "pending"), 0);
	assert_int_equal(num(j, NULL, "never_synced"), 0);
	assert_true(json_is_true(json_object_get(j, "configured")));
	assert_true(json_is_false(json_object_get(json_object_get(j,
						  "paused"), "now")));
	json_decref(j);
	/* Staff of a unit see no such thing. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/portal/sync",
				counter, NULL, &j), 403);
	json_decref(j);
	done_a = a;
}

static void outage(void **state)
{
	struct th_portal_counts pc;
	struct th_portal_dossier d;
	char *b, *c;
	json_t *j;
	int i;

	(void)state;
	set_clock("2024-03-05T08:00:00+07:00");
	th_portal_mode(portal, TH_PORTAL_DOWN);
	b = intake("direct", "Phạm Thị Mất Kết Nối");
	c = intake("postal", "Võ Văn Bưu Chính");
	forward(b);
	forward(c);
	/*
	 * Two failures running pause the sender: no more knocking. (The
	 * pause is the sender's memory, the failures its writes: a read
	 * may see the one a moment before the other.)
	 */
	j = NULL;
	for (i = 0; i < 600; i++) {
		json_decref(j);
		j = sync_state();
		if (json_is_true(json_object_get(json_object_get(j, "paused"),
						 "now")) &&
		    failures(j, "unavailable") >= 1)
			break;
		usleep(50 * 1000);
	}
	assert_true(json_is_true(json_object_get(json_object_get(j, "paused"),
						 "now")));
	assert_int_equal(num(j, "events", "pending"), 4);
	assert_true(failures(j, "unavailable") >= 1);
	assert_string_equal(th_str(j, "oldest_pending_at"),
			    "2024-03-05T08:00:00+07:00");
	assert_int_equal(num(j, NULL, "never_synced"), 2);
	json_decref(j);
	th_portal_counts(portal, &pc);
	usleep(500 * 1000);
	{
		struct th_portal_counts later;

		th_portal_counts(portal, &later);
		assert_int_equal(later.requests, pc.requests);
	}
	/* Six hours on, still down: one probe, and a longer pause. */
	set_clock("2024-03-05T14:00:00+07:00");
	for (i = 0; i < 600; i++) {
		struct th_portal_counts now;

		th_portal_counts(portal, &now);
		if (now.requests > pc.requests)
			break;
		usleep(50 * 1000);
	}
	usleep(300 * 1000);
	th_portal_counts(portal, &pc);
	j = sync_state();
	assert_int_equal(num(j, "events", "pending"), 4);
	assert_int_equal(num(j, NULL, "lag_seconds"), 6 * 3600);
	json_decref(j);
	assert_false(th_portal_dossier(portal, b, &d));
	/* Back: everything goes, in order, each step once. */
	th_portal_mode(portal, TH_PORTAL_UP);
	set_clock("2024-03-05T14:05:00+07:00");
	wait_steps(b, 2, &d);
	assert_int_equal(d.nsteps, 2);
	assert_int_equal(d.steps[0].status, 2);
	assert_int_equal(d.steps[1].status, 4);
	assert_string_equal(d.received, "20240305080000");
	wait_steps(c, 2, &d);
	assert_int_equal(d.nsteps, 2);
	assert_int_equal(d.channel, 3);
	assert_int_equal(d.steps[0].status, 2);
	assert_int_equal(d.steps[1].status, 4);
	j = wait_events("pending", 0);
	assert_int_equal(num(j, NULL, "never_synced"), 0);
	assert_int_equal(num(j, NULL, "lag_seconds"), 0);
	assert_true(num(j, "this_process", "paused") >= 2);
	json_decref(j);
	done_b = b;
	free(c);
}

static void refused(void **state)
{
	struct th_portal_dossier d;
	char *e, *f;
	json_t *j;

	(void)state;
	set_clock("2024-03-06T09:00:00+07:00");
	/* Refused by the applicant's name: set before the sender can go. */
	th_portal_refuse(portal, "Ngô Thị Bị Từ Chối");
	e = intake("direct", "Ngô Thị Bị Từ Chối");
	/* The portal has not yet got it: E's first event is refused. */
	forward(e);
	f = intake("direct", "Đỗ Văn Vẫn Đi");
	wait_steps(f, 1, &d);
	j = wait_events("rejected", 1);
	assert_int_equal(failures(j, "rejected"), 1);
	json_decref(j);
	/*
	 * E's forward waits behind its refused intake (F's, which the
	 * portal has, may not be marked synced yet: waited for).
	 */
	json_decref(wait_events("pending", 1));
	assert_false(th_portal_dossier(portal, e, &d));
	th_portal_refuse(portal, NULL);
	refused_e = e;
	free(f);
}

static void reconciled(void **state)
{
	struct th_portal_dossier d;
	json_t *j;
	int i;

	(void)state;
	/* Someone's fault on the portal's side: A shown stopped, B lost. */
	th_portal_set_status(portal, done_a, 8);
	th_portal_forget(portal, done_b);
	set_clock("2024-03-06T12:00:00+07:00");
	wait_steps(done_a, 5, &d);
	assert_int_equal(d.status, 10);
	assert_int_equal(d.steps[4].status, 10);
	assert_string_equal(d.steps[4].what, "Đồng bộ lại trạng thái hồ sơ: "
			    "cổng ghi «Dừng xử lý», hệ thống ghi «Đã trả kết "
			    "quả»");
	assert_string_equal(d.steps[4].by, "Hệ thống");
	wait_steps(done_b, 1, &d);
	assert_int_equal(d.status, 4);
	assert_string_equal(d.received, "20240305080000");
	assert_string_equal(d.steps[0].what, "Đồng bộ lại trạng thái hồ sơ: "
			    "cổng không có hồ sơ, hệ thống ghi «Đang xử lý»");
	for (i = 0, j = NULL; i < 600; i++) {
		json_decref(j);
		j = sync_state();
		if (num(j, "reconciliation", "drifted_here") >= 2 &&
		    num(j, "events", "pending") == 1)
			break;
		usleep(50 * 1000);
	}
	/*
	 * Both found (a pass the portal broke off goes again, and may find
	 * one already put right: the count of the process, not the last
	 * state, is what says both were seen).
	 */
	assert_true(num(j, "reconciliation", "drifted_here") >= 2);
	assert_string_equal(th_str(json_object_get(j, "reconciliation"),
				   "last_at"), "2024-03-06T12:00:00+07:00");
	json_decref(j);
	/* Put right: the next comparison finds nothing. */
	set_clock("2024-03-06T14:00:00+07:00");
	for (i = 0, j = NULL; i < 600; i++) {
		json_decref(j);
		j = sync_state();
		if (num(j, "reconciliation", "drifted") == 0)
			break;
		usleep(50 * 1000);
	}
	assert_int_equal(num(j, "reconciliation", "drifted"), 0);
	json_decref(j);
	assert_true(th_portal_dossier(portal, done_a, &d));
	assert_int_equal(d.nsteps, 5);
	free(done_a);
	free(done_b);
}

/* A JPEG's first bytes, enough for what it is. */
static const unsigned char jpeg[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10,
	'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0xFF, 0xD9 };

static void inbound(void **state)
{
	static const char pdf[] = "%PDF-1.4\n% tờ khai\n1 0 obj <<>> endobj\n"
		"trailer <<>>\n%%EOF\n";
	struct th_portal_dossier d;
	char code[96], url[160], url2[160], sha[MC_SHA256_HEX], *filed;
	json_t *j, *items;
	int i;

	(void)state;
	/*
	 * Filed by a citizen signed in with VNeID, the tờ khai attached: a
	 * public link of the portal's, which does not answer at first.
	 */
	snprintf(url, sizeof(url), "%s/tep/to-khai.pdf", th_portal_url(portal));
	snprintf(url2, sizeof(url2), "%s/tep/to-khai-2.jpg",
		 th_portal_url(portal));
	th_portal_put_file(portal, "to-khai.pdf", "", 0, 503);
	th_portal_put_file(portal, "to-khai-2.jpg", jpeg, sizeof(jpeg), 200);
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
		"s:s, s:s, s:[{s:s, s:s, s:s, s:s}, {s:s, s:s, s:s}, "
		"{s:s, s:s, s:s}]}",
		"MaHoSo", "G22.99-240306-0001", "MaTTHC", PROC,
		"MaDonViTiepNhan", "000.00.01.H51", "ChuHoSo", "Trần Văn Cổng",
		"SoGiayToChuHoSo", "051200009876", "LoaiDoiTuong", "1",
		"SoDienThoai", "0905333444", "KenhThucHien", "2",
		"TrangThaiHoSo", "1", "NgayNopHoSo", "20240306133000",
		"TaiKhoanDuocXacThucVoiVNeID", "1", "MaDoiTuong", "vneid-7781",
		"TaiLieuNop", "MaThanhPhanHoSo", "TK", "TenTepDinhKem",
		"to-khai.pdf", "DuongDanTaiTepTin", url, "IsDeleted", "0",
		/* One the citizen took back: not a paper handed in. */
		"MaThanhPhanHoSo", "XX", "TenTepDinhKem", "bo.pdf", "IsDeleted",
		"1",
		/* The tờ khai's second page, a file of its own. */
		"MaThanhPhanHoSo", "TK", "TenTepDinhKem", "to-khai-2.jpg",
		"DuongDanTaiTepTin", url2);
	filed = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	th_portal_file(portal, filed);
	th_portal_file(portal, filed);	/* handed over twice: one dossier */
	free(filed);
	/*
	 * For a procedure motcua does not have yet; its đơn a JPEG, its
	 * fee paid on the portal's payment platform.
	 */
	snprintf(url, sizeof(url), "%s/tep/don.jpg", th_portal_url(portal));
	th_portal_put_file(portal, "don.jpg", jpeg, sizeof(jpeg), 200);
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
		"s:[{s:s, s:s, s:s}], s:[{s:s, s:s, s:s, s:s}]}",
		"MaHoSo", "G22.99-240306-0002", "MaTTHC", "9.999999",
		"MaDonViTiepNhan", "000.00.01.H51", "ChuHoSo", "Lý Thị Sai Mã",
		"SoGiayToChuHoSo", "051200005555", "LoaiDoiTuong", "1",
		"NgayNopHoSo", "20240306133500", "DuocThanhToanTrucTuyen", "1",
		"NgayThanhToan", "20240306133400", "MaGiaoDich", "GD-0002",
		"TaiLieuNop", "MaThanhPhanHoSo", "TK", "TenTepDinhKem",
		"don.jpg", "DuongDanTaiTepTin", url, "DanhSachLePhi",
		"MaPhiLePhi", "0", "TenPhiLePhi", "Lệ phí", "Gia", "50000",
		"LoaiPhiLePhi", "2");
	filed = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	th_portal_file(portal, filed);
	free(filed);
	/* Asked for, again and again: nothing taken in, nothing failed. */
	for (i = 0; i < 600 && th_portal_file_hits(portal, "to-khai.pdf") < 2;
	     i++)
		usleep(50 * 1000);
	assert_true(th_portal_file_hits(portal, "to-khai.pdf") >= 2);
	j = sync_state();
	assert_int_equal(num(j, "inbound", "taken"), 0);
	assert_int_equal(num(j, "inbound", "failed"), 0);
	json_decref(j);
	/* The file comes: the dossier, then the next. */
	th_portal_put_file(portal, "to-khai.pdf", pdf, sizeof(pdf) - 1, 200);
	for (i = 0, j = NULL; i < 600; i++) {
		json_decref(j);
		j = sync_state();
		if (num(j, "inbound", "taken") == 1 &&
		    num(j, "inbound", "failed") == 1)
			break;
		usleep(50 * 1000);
	}
	assert_int_equal(num(j, "inbound", "taken"), 1);
	assert_int_equal(num(j, "inbound", "failed"), 1);
	{
		json_t *nt = json_array_get(json_object_get(json_object_get(j,
					    "inbound"), "not_taken"), 0);

		assert_string_equal(th_str(nt, "MaHoSo"),
				    "G22.99-240306-0002");
		assert_non_null(strstr(th_str(nt, "error"), "procedure_code"));
		assert_non_null(strstr(th_str(nt, "error"), "9.999999"));
	}
	json_decref(j);
	/* At the counter, waiting: submitted online by the portal. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/dossiers?status="
		"submitted&procedure_code=" PROC, counter, NULL, &j), 200);
	items = json_object_get(j, "items");
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(th_str(json_array_get(items, 0),
				   "applicant_name"), "Trần Văn Cổng");
	snprintf(code, sizeof(code), "%s", th_str(json_array_get(items, 0),
						  "code"));
	json_decref(j);
	/* Its tờ khai stored, readable by the counter; the applicant known. */
	{
		char path[160], page2[MC_SHA256_HEX];
		json_t *k, *file;

		snprintf(path, sizeof(path), "/api/v1/dossiers/%s", code);
		assert_int_equal(th_api(srv.base, "GET", path, counter, NULL,
					&j), 200);
		assert_true(json_is_true(json_object_get(json_object_get(j,
			"applicant"), "verified")));
		k = json_array_get(json_object_get(j, "components"), 0);
		assert_string_equal(th_str(k, "code"), "TK");
		assert_true(json_is_true(json_object_get(k, "provided")));
		assert_true(json_is_true(json_object_get(k, "digitized")));
		assert_true(json_is_null(json_object_get(k, "scan")));
		file = json_object_get(k, "file");
		mc_sha256_hex(pdf, sizeof(pdf) - 1, sha);
		assert_string_equal(th_str(file, "sha256"), sha);
		assert_string_equal(th_str(file, "media_type"),
				    "application/pdf");
		assert_int_equal(num(file, NULL, "size"), sizeof(pdf) - 1);
		/* Both its files, in order: the PDF, then the page. */
		{
			json_t *fs = json_object_get(k, "files");

			assert_int_equal(json_array_size(fs), 2);
			assert_string_equal(th_str(json_array_get(fs, 0),
						   "sha256"), sha);
			assert_string_equal(th_str(json_array_get(fs, 1),
						   "media_type"), "image/jpeg");
			assert_string_equal(th_str(json_array_get(fs, 1),
						   "name"), "to-khai-2.jpg");
			mc_sha256_hex(jpeg, sizeof(jpeg), page2);
			assert_string_equal(th_str(json_array_get(fs, 1),
						   "sha256"), page2);
		}
		json_decref(j);
		{
			char furl[256], auth[160];
			const char *hd[] = { auth, NULL };
			struct th_resp resp;

			snprintf(furl, sizeof(furl), "%s/api/v1/files/%s",
				 srv.base, sha);
			snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
				 counter);
			assert_int_equal(th_http("GET", furl, hd, NULL, 0,
						 &resp), 0);
			assert_int_equal(resp.status, 200);
			assert_int_equal(resp.len, sizeof(pdf) - 1);
			assert_memory_equal(resp.body, pdf, sizeof(pdf) - 1);
			th_resp_free(&resp);
			/* The second page readable as well. */
			snprintf(furl, sizeof(furl), "%s/api/v1/files/%s",
				 srv.base, page2);
			assert_int_equal(th_http("GET", furl, hd, NULL, 0,
						 &resp), 0);
			assert_int_equal(resp.status, 200);
			assert_int_equal(resp.len, sizeof(jpeg));
			th_resp_free(&resp);
		}
	}
	/* Accepted: the portal hears of it under its own code. */
	th_act(srv.base, counter, code, json_pack("{s:s}", "action",
		"accept"));
	wait_steps("G22.99-240306-0001", 2, &d);
	assert_int_equal(d.status, 2);
	assert_int_equal(d.channel, 2);
	/* The 766 flags: its one paper, digitized (the file it came with). */
	assert_int_equal(d.papers, 1);
	assert_int_equal(d.digitized, 1);
	assert_int_equal(d.steps[0].status, 1);
	assert_int_equal(d.steps[1].status, 2);
	assert_false(th_portal_dossier(portal, code, &d));
	/*
	 * 766's 1.4: of March's six dossiers received, the portal has five
	 * (E's intake was refused); counted now the portal is connected.
	 */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/reports/index766?"
		"from=2024-03-01&to=2024-03-31", control, NULL, &j), 200);
	{
		size_t k;
		json_t *o, *found = NULL;

		json_array_foreach(json_object_get(j, "indicators"), k, o)
			if (!strcmp(th_str(o, "id"), "1.4"))
				found = o;
		assert_non_null(found);
		assert_true(json_is_true(json_object_get(found, "available")));
		assert_int_equal(num(found, NULL, "denominator"), 6);
		assert_int_equal(num(found, NULL, "numerator"), 5);
	}
	json_decref(j);
}

static json_int_t retry(const char *tok, const char *code, json_t **out)
{
	return th_api(srv.base, "POST", "/api/v1/portal/retry", tok,
		      json_pack("{s:s}", "code", code), out);
}

static void retried(void **state)
{
	struct th_portal_dossier d;
	json_t *j;
	int i;

	(void)state;
	/* E put right: its refused intake goes again, its forward after. */
	assert_int_equal(retry(control, refused_e, &j), 200);
	assert_int_equal(num(j, NULL, "events"), 1);
	assert_true(json_is_false(json_object_get(j, "taken_in")));
	json_decref(j);
	wait_steps(refused_e, 2, &d);
	assert_int_equal(d.steps[0].status, 2);
	assert_int_equal(d.steps[1].status, 4);
	/* The procedure the portal's dossier named now exists: taken in. */
	procedure("9.999999", 50000);
	/*
	 * Its link moved to a host that is not the portal's (an internal
	 * address, say): not followed, not taken in, and said why.
	 */
	{
		static const char away[] = "http://169.254.169.254/latest/";
		char *text;

		th_portal_put_file(portal, "don.jpg", away, strlen(away), 302);
		assert_int_equal(retry(control, "G22.99-240306-0002", &j),
				 400);
		text = json_dumps(j, 0);
		assert_non_null(strstr(text, "\"host\""));
		assert_non_null(strstr(text, "169.254.169.254"));
		free(text);
		json_decref(j);
	}
	/* Its file gone from the portal: not taken in, and said why. */
	th_portal_put_file(portal, "don.jpg", "", 0, 404);
	assert_int_equal(retry(control, "G22.99-240306-0002", &j), 400);
	{
		char *text = json_dumps(j, 0);

		assert_non_null(strstr(text, "TaiLieuNop[0]."
				       "DuongDanTaiTepTin"));
		free(text);
	}
	json_decref(j);
	/* Back, moved within the portal's host: followed. */
	{
		char moved[300];

		snprintf(moved, sizeof(moved), "%s/tep/don-2.jpg",
			 th_portal_url(portal));
		th_portal_put_file(portal, "don-2.jpg", jpeg, sizeof(jpeg),
				   200);
		th_portal_put_file(portal, "don.jpg", moved, strlen(moved),
				   301);
	}
	assert_int_equal(retry(control, "G22.99-240306-0002", &j), 200);
	assert_true(json_is_true(json_object_get(j, "taken_in")));
	json_decref(j);
	/* Paid on the portal: the payment carried over, with its receipt. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/dossiers?status="
		"submitted&procedure_code=9.999999", counter, NULL, &j), 200);
	{
		char path[160];
		json_t *p, *k;

		snprintf(path, sizeof(path), "/api/v1/dossiers/%s/payments",
			 th_str(json_array_get(json_object_get(j, "items"), 0),
				"code"));
		json_decref(j);
		assert_int_equal(th_api(srv.base, "GET", path, counter, NULL,
					&j), 200);
		assert_int_equal(json_array_size(json_object_get(j, "items")),
				 1);
		p = json_array_get(json_object_get(j, "items"), 0);
		assert_string_equal(th_str(p, "method"), "platform");
		assert_string_equal(th_str(p, "platform"), "dvcqg");
		assert_string_equal(th_str(p, "transaction_id"), "GD-0002");
		assert_int_equal(num(p, NULL, "amount"), 50000);
		assert_string_equal(th_str(p, "paid_at"),
				    "2024-03-06T13:34:00+07:00");
		assert_non_null(strstr(th_str(p, "receipt_no"), "BL-"));
		json_decref(j);
		path[strlen(path) - strlen("/payments")] = '\0';
		assert_int_equal(th_api(srv.base, "GET", path, counter, NULL,
					&j), 200);
		k = json_array_get(json_object_get(j, "components"), 0);
		assert_string_equal(th_str(json_object_get(k, "file"),
					   "media_type"), "image/jpeg");
		assert_true(json_is_false(json_object_get(json_object_get(j,
			"applicant"), "verified")));
		json_decref(j);
	}
	for (i = 0, j = NULL; i < 600; i++) {
		json_decref(j);
		j = sync_state();
		if (num(j, "events", "pending") == 0 &&
		    num(j, "events", "rejected") == 0)
			break;
		usleep(50 * 1000);
	}
	assert_int_equal(num(j, "events", "rejected"), 0);
	assert_int_equal(num(j, "inbound", "failed"), 0);
	assert_int_equal(num(j, "inbound", "taken"), 2);
	json_decref(j);
	wait_steps("G22.99-240306-0002", 1, &d);
	assert_int_equal(d.status, 1);
	/* Nothing left to retry; not for the counter. */
	assert_int_equal(retry(control, refused_e, &j), 404);
	json_decref(j);
	assert_int_equal(retry(counter, "G22.99-240306-0002", &j), 403);
	json_decref(j);
	assert_int_equal(th_api(srv.base, "POST", "/api/v1/portal/retry",
		control, json_pack("{s:i}", "code", 7), &j), 400);
	json_decref(j);
	free(refused_e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(in_order),
		cmocka_unit_test(outage),
		cmocka_unit_test(refused),
		cmocka_unit_test(reconciled),
		cmocka_unit_test(inbound),
		cmocka_unit_test(retried),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
