/*
 * test_seed.c — 'motcua seed': the province's first half of 2024, played
 * at 1% of its volume through the real lifecycle, and then the half-year
 * report, run as a separate command, states the seed report's figures
 * within the profile's tolerances (docs/seed.md). SQLite, and PostgreSQL
 * with $MOTCUA_TEST_DB.
 */
#include "core/compat.h"
#include "harness/harness.h"

#include "core/err.h"
#include "store/store.h"

#include <math.h>

#define SCALE "0.01"

static const double scale = 0.01;

/* The value at dotted 'path' of 'o' as a number (NAN when missing). */
static double at_path(json_t *o, const char *path)
{
	char key[64];
	const char *p = path, *dot;

	while (o && (dot = strchr(p, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - p), p);
		o = json_object_get(o, key);
		p = dot + 1;
	}
	o = o ? json_object_get(o, p) : NULL;
	return json_is_number(o) ? json_number_value(o) : NAN;
}

/*
 * The half-year figures of the seeded database, narrowed as 'f' says,
 * from 'cache' (narrowing → figures) or a new run.
 */
static json_t *figures(const char *db, json_t *f, json_t *cache)
{
	const char *args[16] = { "report", "half-year", "--db", db, "--year",
				 "2024", "--half", "1", "--format", "json" };
	const char *keys[] = { "unit", "level", "field" };
	char *out = NULL, *err = NULL, key[512] = "";
	json_error_t je;
	json_t *j;
	int n = 10;
	size_t k;

	for (k = 0; k < 3; k++)
		if (json_object_get(f, keys[k])) {
			args[n++] = k == 0 ? "--unit" : k == 1 ? "--level" :
				    "--field";
			args[n++] = json_string_value(json_object_get(f,
								     keys[k]));
			snprintf(key + strlen(key), sizeof(key) - strlen(key),
				 "%s=%s;", args[n - 2], args[n - 1]);
		}
	args[n] = NULL;
	if ((j = json_object_get(cache, key)))
		return j;
	assert_int_equal(th_motcua(args, NULL, &out, &err), 0);
	j = json_loads(out, 0, &je);
	assert_non_null(j);
	free(out);
	free(err);
	json_object_set_new(cache, key, j);
	return j;
}

/*
 * The report flags the triggers keep on each dossier (migration 0030)
 * against what they stand for, recomputed from their tables: the number
 * of dossiers where any differs, and how many have each flag set.
 */
static void flags_hold(const char *db)
{
	static const char sql[] = "SELECT COUNT(*), SUM(d.rep_reused), "
		"SUM(d.rep_scanned), SUM(d.rep_owes_fees), "
		"SUM(d.rep_paid_online), SUM(d.rep_complained), "
		"SUM(CASE WHEN d.rep_reused <> CASE WHEN EXISTS (SELECT 1 FROM "
		"dossier_components c WHERE c.dossier_id = d.id AND c.reused = "
		"1) THEN 1 ELSE 0 END OR d.rep_scanned <> CASE WHEN EXISTS "
		"(SELECT 1 FROM dossier_components c WHERE c.dossier_id = d.id "
		"AND c.provided = 1) AND NOT EXISTS (SELECT 1 FROM "
		"dossier_components c WHERE c.dossier_id = d.id AND c.provided = "
		"1 AND c.file_sha256 IS NULL AND c.reused = 0) THEN 1 ELSE 0 END "
		"OR d.rep_owes_fees <> CASE WHEN EXISTS (SELECT 1 FROM "
		"dossier_fees f WHERE f.dossier_id = d.id AND f.amount > 0) THEN "
		"1 ELSE 0 END OR d.rep_paid_online <> CASE WHEN EXISTS (SELECT 1 "
		"FROM payments p WHERE p.dossier_id = d.id AND p.method = "
		"'platform') THEN 1 ELSE 0 END OR d.rep_has_result <> CASE WHEN "
		"EXISTS (SELECT 1 FROM results r WHERE r.dossier_id = d.id AND "
		"r.status <> 'revoked') THEN 1 ELSE 0 END OR d.rep_complained <> "
		"CASE WHEN EXISTS (SELECT 1 FROM feedback f WHERE f.dossier_id = "
		"d.id) OR EXISTS (SELECT 1 FROM ratings r WHERE r.dossier_id = "
		"d.id AND r.level = 'not_satisfied') THEN 1 ELSE 0 END THEN 1 "
		"ELSE 0 END) FROM dossiers d";
	struct mc_err e = MC_ERR_INIT;
	struct mc_store_opts o;
	struct mc_store *st;
	struct mc_conn *c;
	struct mc_stmt *s;

	memset(&o, 0, sizeof(o));
	o.url = db;
	o.busy_timeout_ms = 10000;
	assert_int_equal(mc_store_open(&o, &st, &e), 0);
	assert_int_equal(mc_store_connect(st, &c, &e), 0);
	s = mc_sql(c, sql, &e);
	assert_non_null(s);
	assert_int_equal(mc_sql_step(s, &e), 1);
	assert_int_equal(mc_sql_col_int(s, 0), 1460);
	/* Each flag is set on some dossiers and not on others. */
	assert_true(mc_sql_col_int(s, 1) == 0);		/* 0.03% of 1,460 */
	assert_true(mc_sql_col_int(s, 2) > 1000);
	assert_true(mc_sql_col_int(s, 3) > 1000);
	assert_true(mc_sql_col_int(s, 4) > 1000);
	assert_true(mc_sql_col_int(s, 5) == 0);		/* 2 of 16,700 */
	assert_int_equal(mc_sql_col_int(s, 6), 0);
	mc_sql_reset(s);
	mc_conn_close(c);
	mc_store_close(st);
}

/*
 * What the half-year report says of the period's platform payments, SMS
 * sent and ratings about the dossiers of unit 'code' and below (NULL:
 * all), counted here through the joins the report does without when it
 * can (store/summary.c).
 */
static void others_hold(const char *db, json_t *j, const char *code)
{
#define OF_UNIT(r) "JOIN dossiers d ON d.id = " r ".dossier_id JOIN " \
	"procedure_versions v ON v.id = d.version_id JOIN units u ON u.id = " \
	"v.unit_id WHERE (?1 = '' OR EXISTS (SELECT 1 FROM units s WHERE " \
	"s.code = ?1 AND substr(u.path, 1, length(s.path)) = s.path)) "
	static const char *const sql[] = {
		"SELECT COUNT(*) FROM payments pm " OF_UNIT("pm") "AND pm.method = "
		"'platform' AND pm.paid_at >= ?2 AND pm.paid_at < ?3",
		"SELECT COUNT(*) FROM messages m " OF_UNIT("m") "AND m.channel = "
		"'sms' AND m.status IN ('sent', 'delivered') AND m.sent_at >= "
		"?2 AND m.sent_at < ?3",
		"SELECT COUNT(*) FROM ratings r " OF_UNIT("r") "AND r.created_at >= "
		"?2 AND r.created_at < ?3",
	};
#undef OF_UNIT
	static const char *const figure[] = { "payments.platform_count",
					      "messages.sms_sent",
					      "ratings.total" };
	size_t k;

	for (k = 0; k < MC_ARRAY_SIZE(sql); k++) {
		/* The official first half of 2024, local midnights. */
		int64_t n = th_db_int(db, sql[k], (const char *[]){
			code ? code : "", "2023-12-14T17:00:00Z",
			"2024-06-14T17:00:00Z", NULL });

		if (n != (int64_t)at_path(j, figure[k]) || n == 0)
			fail_msg("%s of %s: %g, counted %" PRId64, figure[k],
				 code ? code : "the province",
				 at_path(j, figure[k]), n);
	}
}

static void seed_reproduces_the_report(void **state)
{
	char db[512], files[512], path[1024], *out = NULL, *err = NULL;
	json_t *prof, *f, *cache = json_object();
	json_error_t je;
	size_t i;

	(void)state;
	th_db(db, sizeof(db), "seed");
	th_path(files, sizeof(files), "files");
	assert_int_equal(th_motcua((const char *[]){ "seed", "--profile",
		"quang-ngai-2024h1", "--scale", SCALE, "--db", db,
		"--files-dir", files, NULL }, NULL, &out, &err), 0);
	assert_non_null(strstr(out, "1460 dossiers (0 actions refused"));
	free(out);
	free(err);

	/* Every figure of the seed report, from a separate command. */
	snprintf(path, sizeof(path), "%s/data/seed/quang-ngai-2024h1.json",
		 MC_SOURCE_DIR);
	prof = json_load_file(path, 0, &je);
	assert_non_null(prof);
	json_array_foreach(json_object_get(prof, "seed_figures"), i, f) {
		const char *name = th_str(f, "figure"),
			   *kind = th_str(f, "kind");
		double v = json_number_value(json_object_get(f, "value"));
		json_t *j = figures(db, f, cache);
		double got = at_path(j, name), want = v, tol;

		if (!strcmp(kind, "count")) {
			want = v * scale;
			tol = fmax(2, 0.02 * want);
		} else if (!strcmp(kind, "amount")) {
			want = v * scale;
			tol = 0.1 * want;
		} else if (!strcmp(kind, "rate")) {
			tol = 0.5;
		} else {
			tol = 0;
		}
		if (!(fabs(got - want) <= tol))
			fail_msg("%s: %g, the seed's %g at scale %g is %g "
				 "(within %g)", name, got, v, scale, want,
				 tol);
	}
	/* The province's, and one department's, read another way. */
	f = json_object();
	others_hold(db, figures(db, f, cache), NULL);
	json_decref(f);
	f = json_pack("{ss}", "unit", "000.00.09.H51");
	others_hold(db, figures(db, f, cache), "000.00.09.H51");
	json_decref(f);
	json_decref(prof);
	json_decref(cache);
	flags_hold(db);

	/* What the events made is sound: every chain intact. */
	assert_int_equal(th_motcua((const char *[]){ "audit", "verify",
		"--db", db, NULL }, NULL, &out, &err), 0);
	assert_non_null(strstr(out, " 0 broken chains"));
	free(out);
	free(err);
	/* The written report says it in Vietnamese. */
	assert_int_equal(th_motcua((const char *[]){ "report", "half-year",
		"--db", db, "--year", "2024", "--half", "1", NULL }, NULL,
		&out, &err), 0);
	assert_non_null(strstr(out, "Tại Trung tâm Phục vụ hành chính công: "
			       "tiếp nhận\n    580 hồ sơ của 20 cơ quan, đơn "
			       "vị"));
	assert_non_null(strstr(out, "đã ban hành 57 quyết định công bố"));
	free(out);
	free(err);
	/*
	 * The report as a Decree 30 document: its pages render, and say the
	 * figures in Vietnamese, with a page number from the second page.
	 */
	{
		char pdf[600], cmd[8192], txt[700], *text;
		int pages;

		th_path(pdf, sizeof(pdf), "bao-cao.pdf");
		snprintf(cmd, sizeof(cmd), "'%s' report half-year --db '%s' "
			 "--year 2024 --half 1 --format pdf > '%s' && "
			 "pdftotext -layout '%s' '%s.txt' && pdftoppm -r 40 "
			 "-png '%s' '%s' && ls '%s'-*.png | wc -l > '%s.n'",
			 MC_BINARY, db, pdf, pdf, pdf, pdf, pdf, pdf, pdf);
		assert_int_equal(system(cmd), 0);
		snprintf(txt, sizeof(txt), "%s.n", pdf);
		text = th_read_file(txt, NULL);
		assert_non_null(text);
		pages = (int)strtol(text, NULL, 10);
		free(text);
		assert_true(pages >= 2 && pages <= 4);
		snprintf(txt, sizeof(txt), "%s.txt", pdf);
		text = th_read_file(txt, NULL);
		assert_non_null(text);
		assert_non_null(strstr(text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT "
				       "NAM"));
		assert_non_null(strstr(text, "ỦY BAN NHÂN DÂN TỈNH QUẢNG "
				       "NGÃI"));
		assert_non_null(strstr(text, "BÁO CÁO"));
		assert_non_null(strstr(text, "tiếp nhận 580 hồ sơ của 20 cơ "
				       "quan"));
		/* The charts' titles and bars' labels and values. */
		assert_non_null(strstr(text, "Tỷ lệ hồ sơ tiếp nhận trực "
				       "tuyến"));
		assert_non_null(strstr(text, "Trung tâm Phục vụ HCC"));
		assert_non_null(strstr(text, "81,55%"));
		assert_non_null(strstr(text, "Bộ chỉ số 766"));
		/* The trend: the seven months of the official half. */
		assert_non_null(strstr(text, "Tháng 12/2023"));
		assert_non_null(strstr(text, "Tháng 06/2024"));
		/* The markup of the template never shows. */
		assert_null(strstr(text, "**"));
		assert_null(strstr(text, "<!--"));
		assert_null(strstr(text, "chart:"));
		free(text);
	}
	/* The figures as CSV, and as a spreadsheet read back. */
	assert_int_equal(th_motcua((const char *[]){ "report", "half-year",
		"--db", db, "--year", "2024", "--half", "1", "--format", "csv",
		NULL }, NULL, &out, &err), 0);
	assert_memory_equal(out, "\xEF\xBB\xBFMã,Chỉ tiêu,Giá trị,Đơn vị\r\n",
			    strlen("\xEF\xBB\xBFMã,Chỉ tiêu,Giá trị,Đơn vị\r\n"));
	assert_non_null(strstr(out, "\r\ncentre.received,Tại Trung tâm Phục "
			       "vụ hành chính công: hồ sơ tiếp nhận,580,\r\n"));
	assert_non_null(strstr(out, "\r\ncatalog.decisions,Quyết định công "
			       "bố danh mục TTHC,57,\r\n"));
	free(out);
	free(err);
	{
		char xlsx[600], cmd[8192];

		th_path(xlsx, sizeof(xlsx), "so-lieu.xlsx");
		snprintf(cmd, sizeof(cmd), "'%s' report half-year --db '%s' "
			 "--year 2024 --half 1 --format xlsx > '%s' && "
			 "/usr/bin/python3 -c '"
			 "import openpyxl,sys\n"
			 "ws = openpyxl.load_workbook(sys.argv[1]).active\n"
			 "assert ws[\"A1\"].value == \"Số liệu báo cáo 6 tháng "
			 "đầu năm 2024\", ws[\"A1\"].value\n"
			 "rows = {r[0]: r for r in ws.iter_rows(min_row=6, "
			 "values_only=True)}\n"
			 "assert rows[\"centre.received\"][2] == 580\n"
			 "assert rows[\"centre.online_rate\"][2] == 81.55\n"
			 "assert rows[\"centre.online_rate\"][3] == \"%%\"\n"
			 "assert rows[\"catalog.decisions\"][2] == 57\n"
			 "' '%s'", MC_BINARY, db, xlsx, xlsx);
		assert_int_equal(system(cmd), 0);
	}
	/* A database with units is refused: nothing is played twice. */
	assert_int_equal(th_motcua((const char *[]){ "seed", "--profile",
		"quang-ngai-2024h1", "--scale", SCALE, "--db", db,
		"--files-dir", files, NULL }, NULL, &out, &err), 1);
	assert_non_null(strstr(err, "already has units"));
	free(out);
	free(err);
}

/* Bad options name the option and change nothing. */
static void bad_options(void **state)
{
	char db[512], *out = NULL, *err = NULL;

	(void)state;
	th_db(db, sizeof(db), "bad");
	assert_int_equal(th_motcua((const char *[]){ "seed", "--profile",
		"atlantis", "--db", db, NULL }, NULL, &out, &err), 2);
	assert_non_null(strstr(err, "no profile atlantis"));
	free(out);
	free(err);
	assert_int_equal(th_motcua((const char *[]){ "seed", "--profile",
		"quang-ngai-2024h1", "--scale", "1.5", "--db", db, NULL }, NULL,
		&out, &err), 2);
	assert_non_null(strstr(err, "--scale"));
	free(out);
	free(err);
	assert_int_equal(th_motcua((const char *[]){ "seed", "--db", db,
		NULL }, NULL, &out, &err), 2);
	assert_non_null(strstr(err, "--profile"));
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seed_reproduces_the_report),
		cmocka_unit_test(bad_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
