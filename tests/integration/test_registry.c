/*
 * test_registry.c — the national population database at the counter:
 * the real motcua binary asks a local database (harness/registrysrv.c)
 * that answers the SOAP operation TraCuuThongTinCongDan, checks the
 * token and the request's fields, and can be slow or fail.
 *
 * - a counter officer looks an applicant up with a purpose: the name in
 *   its parts, birth date, sex, permanent address and household head
 *   come back, and the database saw the officer and the procedure;
 * - asked again, the answer kept is given without asking the database;
 * - every look-up, kept or not, found or not, is in the person's access
 *   log with the officer and the purpose;
 * - no such person: 404 in Vietnamese; no purpose or a bad number: 400
 *   naming the field; a database too slow: 504 within the time limit,
 *   failing: 502 — the officer types the applicant in; not for leaders;
 * - at intake with applicant.verify: the name as the database holds it
 *   (in any case) is taken in verified and logged; a letter off is
 *   refused with the database's name shown, not silently fixed; a number
 *   it does not know is refused naming the number.
 */
#include "core/compat.h"
#include "core/timeutil.h"
#include "harness/harness.h"
#include "harness/registrysrv.h"

#include <unistd.h>

#define TOKEN "dancu-bi-mat"
#define PURPOSE "Ti%E1%BA%BFp%20nh%E1%BA%ADn%20h%E1%BB%93%20s%C6%A1%20khai%20sinh"

static struct th_server srv;
static struct th_registry *reg;
static char db[600], counter[128], leader[128];

static int setup(void **state)
{
	(void)state;
	setenv("MOTCUA_PASSWORD_MEMORY", "64k", 1);
	setenv("MOTCUA_PASSWORD_OPS", "1", 1);
	setenv("MOTCUA_WATCH_INTERVAL", "0", 1);
	reg = th_registry_start(TOKEN);
	th_registry_add(reg, "051095012345", "Đặng", "Thị", "Thu", "19950312",
			"2", "Số 5 Lê Lợi, phường Nghĩa Chánh, thành phố Quảng "
			"Ngãi, tỉnh Quảng Ngãi", "Đặng Văn Hùng", "Con");
	th_registry_add_business(reg, "4300100108", "Công ty Cổ phần Đường "
				 "Quảng Ngãi", "Công ty cổ phần",
				 "2005-12-28T00:00:00", "Số 2 Nguyễn Chí "
				 "Thanh, phường Quảng Phú, tỉnh Quảng Ngãi",
				 "Võ Thành Đàng");
	th_demo_db(db, sizeof(db), "registry");
	th_serve(&srv, (const char *[]){ "--db", db,
		 "--registry-population-url", th_registry_url(reg),
		 "--registry-population-token", TOKEN,
		 "--registry-business-url", th_registry_business_url(reg),
		 "--registry-business-token", TOKEN, "--registry-timeout",
		 "1s", "--registry-cache", "10m", NULL });
	th_login(srv.base, "tiepnhan", "motcua-demo", counter,
		 sizeof(counter));
	th_login(srv.base, "lanhdao", "motcua-demo", leader, sizeof(leader));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(th_serve_stop(&srv), 0);
	th_registry_stop(reg);
	return 0;
}

/* The access log's look-ups of 'id' by 'actor' for the purpose. */
static int64_t logged(const char *id, const char *actor)
{
	return th_db_int(db, "SELECT COUNT(*) FROM access_log WHERE owner_id "
			 "= ?1 AND actor = ?2 AND action = 'registry' AND "
			 "purpose = 'Tiếp nhận hồ sơ khai sinh'",
			 (const char *[]){ id, actor, NULL });
}

static void found_and_kept(void **state)
{
	char officer[64], service[64];
	json_t *j;
	int before;

	(void)state;
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/registry/persons/"
		"051095012345?purpose=" PURPOSE "&procedure_code=1.001193",
		counter, NULL, &j), 200);
	assert_string_equal(th_str(j, "name"), "Đặng Thị Thu");
	assert_string_equal(th_str(j, "birth_date"), "1995-03-12");
	assert_string_equal(th_str(j, "sex"), "Nữ");
	assert_string_equal(th_str(j, "permanent_address"), "Số 5 Lê Lợi, "
			    "phường Nghĩa Chánh, thành phố Quảng Ngãi, tỉnh "
			    "Quảng Ngãi");
	assert_string_equal(th_str(json_object_get(j, "household_head"),
				   "name"), "Đặng Văn Hùng");
	assert_string_equal(th_str(json_object_get(j, "household_head"),
				   "relation"), "Con");
	assert_string_equal(th_str(j, "source"), "CSDL quốc gia về dân cư");
	assert_true(json_is_false(json_object_get(j, "cached")));
	json_decref(j);
	before = th_registry_requests(reg, officer, service);
	assert_int_equal(before, 1);
	assert_string_equal(officer, "tiepnhan");
	assert_string_equal(service, "1.001193");
	/* Again: the answer kept, the database not asked; logged again. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/registry/persons/"
		"051095012345?purpose=" PURPOSE, counter, NULL, &j), 200);
	assert_true(json_is_true(json_object_get(j, "cached")));
	assert_string_equal(th_str(j, "name"), "Đặng Thị Thu");
	json_decref(j);
	assert_int_equal(th_registry_requests(reg, NULL, NULL), before);
	assert_int_equal(logged("051095012345", "tiepnhan"), 2);
}

static void refusals(void **state)
{
	struct th_resp r;
	char url[300], auth[200];
	int64_t t0, ms;
	json_t *j;

	(void)state;
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/registry/persons/"
		"051200000000?purpose=" PURPOSE, counter, NULL, &j), 404);
	assert_string_equal(th_str(j, "title"), "Không tìm thấy công dân "
			    "trong CSDL quốc gia về dân cư");
	json_decref(j);
	assert_int_equal(logged("051200000000", "tiepnhan"), 1);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/registry/persons/"
		"051095012345", counter, NULL, &j), 400);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "field"), "purpose");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/registry/persons/"
		"05109501?purpose=x", counter, NULL, &j), 400);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "field"), "id_number");
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/registry/persons/"
		"051095012345?purpose=x", leader, NULL, &j), 403);
	json_decref(j);
	/* Too slow: the officer is told within the limit, not after. */
	th_registry_mode(reg, TH_REGISTRY_SLOW);
	snprintf(url, sizeof(url), "%s/api/v1/registry/persons/051095099999?"
		 "purpose=%s", srv.base, PURPOSE);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", counter);
	t0 = mc_time_mono_ns();
	assert_int_equal(th_http("GET", url, (const char *[]){ auth, NULL },
				 NULL, 0, &r), 0);
	ms = (mc_time_mono_ns() - t0) / 1000000;
	assert_int_equal(r.status, 504);
	assert_non_null(strstr(r.body, "vui lòng nhập thông tin người nộp"));
	th_resp_free(&r);
	if (ms > 3500)
		fail_msg("the look-up took %lld ms past a 1 s limit",
			 (long long)ms);
	usleep(1500 * 1000);	/* the database finishes the slow one */
	th_registry_mode(reg, TH_REGISTRY_FAIL);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/registry/persons/"
		"051095088888?purpose=" PURPOSE, counter, NULL, &j), 502);
	json_decref(j);
	th_registry_mode(reg, TH_REGISTRY_UP);
}

/* Takes in a dossier for 'id' named 'name', checked if 'verify'. */
static long intake(const char *id, const char *name, bool verify,
		   json_t **out)
{
	json_t *applicant = json_pack("{s:s, s:s, s:s, s:s}", "kind",
				      "person", "id_number", id, "name", name,
				      "phone", "0905111222");

	if (verify)
		json_object_set_new(applicant, "verify", json_true());
	return th_api(srv.base, "POST", "/api/v1/dossiers", counter,
		json_pack("{s:s, s:s, s:o, s:[{s:s, s:b}]}", "procedure_code",
		"3.000333", "channel", "direct", "applicant", applicant,
		"components", "code", "TP01", "provided", 1), out);
}

static void verified_at_intake(void **state)
{
	char path[200];
	json_t *j, *d;
	int64_t before = logged("051095012345", "tiepnhan");

	(void)state;
	/* Typed as the database holds it (any case): taken in, verified. */
	assert_int_equal(intake("051095012345", "ĐẶNG THỊ THU", true, &j), 201);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", th_str(j,
									 "code"));
	json_decref(j);
	assert_int_equal(th_api(srv.base, "GET", path, counter, NULL, &d),
			 200);
	assert_true(json_is_true(json_object_get(json_object_get(d,
		"applicant"), "verified")));
	json_decref(d);
	/* A letter off: refused, the database's name shown, not fixed. */
	assert_int_equal(intake("051095012345", "Đặng Thị Thư", true, &j), 409);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "field"), "applicant.name");
	assert_non_null(strstr(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "message"), "Đặng Thị Thu"));
	json_decref(j);
	/* Without verify, the officer's word: taken in, not verified. */
	assert_int_equal(intake("051095012345", "Đặng Thị Thư", false, &j),
			 201);
	assert_true(json_is_false(json_object_get(json_object_get(j,
		"applicant"), "verified")));
	json_decref(j);
	/* Not in the database: refused naming the number. */
	assert_int_equal(intake("051200000000", "Không Có Ai", true, &j), 409);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "field"), "applicant.id_number");
	json_decref(j);
	/* The verified intake is in her log, and the check that failed. */
	assert_int_equal(th_db_int(db, "SELECT COUNT(*) FROM access_log WHERE "
		"owner_id = '051095012345' AND action = 'registry' AND purpose "
		"LIKE 'Tiếp nhận hồ sơ 000.%'", NULL), 1);
	assert_int_equal(logged("051095012345", "tiepnhan"), before);
	/* The misspelt name, and the number it knows no one by. */
	assert_int_equal(th_db_int(db, "SELECT COUNT(*) FROM access_log WHERE "
		"owner_id IN ('051095012345', '051200000000') AND action = "
		"'registry' AND purpose = 'Đối chiếu người nộp hồ sơ thủ tục "
		"3.000333'", NULL), 2);
}

static void business(void **state)
{
	json_t *j;

	(void)state;
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/registry/"
		"businesses/4300100108?purpose=" PURPOSE, counter, NULL, &j),
		200);
	assert_string_equal(th_str(j, "name"), "Công ty Cổ phần Đường Quảng "
			    "Ngãi");
	assert_string_equal(th_str(j, "founded"), "2005-12-28");
	assert_string_equal(th_str(j, "type"), "Công ty cổ phần");
	assert_string_equal(th_str(j, "status"), "Đang hoạt động");
	assert_string_equal(json_string_value(json_array_get(json_object_get(
		j, "representatives"), 0)), "Võ Thành Đàng");
	json_decref(j);
	assert_int_equal(logged("4300100108", "tiepnhan"), 1);
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/registry/"
		"businesses/4300100115?purpose=" PURPOSE, counter, NULL, &j),
		404);
	assert_string_equal(th_str(j, "title"), "Không tìm thấy doanh nghiệp "
			    "trong CSDL quốc gia về đăng ký doanh nghiệp");
	json_decref(j);
	/* Not a tax code: 400 naming it. */
	assert_int_equal(th_api(srv.base, "GET", "/api/v1/registry/"
		"businesses/12345?purpose=x", counter, NULL, &j), 400);
	assert_string_equal(th_str(json_array_get(json_object_get(j,
			    "errors"), 0), "field"), "tax_code");
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(found_and_kept),
		cmocka_unit_test(refusals),
		cmocka_unit_test(verified_at_intake),
		cmocka_unit_test(business),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
