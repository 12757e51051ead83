/*
 * harness.c — temporary directories and running the motcua binary for the
 * tests; see harness.h.
 */
#include "core/compat.h"
#include "harness/harness.h"
#include "core/err.h"
#include "store/store.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char tmpdir[512];

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/*
 * Servers and workers started and not stopped: a failed test stops them
 * at exit.
 */
static pid_t servers[64];

static void cleanup(void)
{
	size_t i;

	for (i = 0; i < MC_ARRAY_SIZE(servers); i++)
		if (servers[i] > 0) {
			kill(servers[i], SIGKILL);
			waitpid(servers[i], NULL, 0);
		}
	if (tmpdir[0] && !getenv("MOTCUA_TEST_KEEP"))
		nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void track(pid_t pid, pid_t replace)
{
	size_t i;

	for (i = 0; i < MC_ARRAY_SIZE(servers); i++)
		if (servers[i] == replace) {
			servers[i] = pid;
			return;
		}
}

const char *th_tmpdir(void)
{
	const char *base = getenv("MOTCUA_TEST_TMP");
	char tmpl[480];

	if (tmpdir[0])
		return tmpdir;
	if (!base || !*base)
		base = "/tmp";
	mkdir(base, 0755);
	snprintf(tmpl, sizeof(tmpl), "%s/mc-XXXXXX", base);
	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(tmpdir, sizeof(tmpdir), "%s", tmpl);
	atexit(cleanup);
	return tmpdir;
}

char *th_path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", th_tmpdir(), name);
	return buf;
}

int th_write_file(const char *path, const char *text)
{
	return th_write_bytes(path, text, strlen(text));
}

int th_write_bytes(const char *path, const void *p, size_t n)
{
	char tmp[4096];
	FILE *f;
	bool ok;

	/*
	 * Written beside and renamed over: a server re-reading the file
	 * (the test clock) sees the old text or the new, never an empty
	 * or half-written one.
	 */
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path,
			     (long)getpid()) >= sizeof(tmp) ||
	    !(f = fopen(tmp, "wb")))
		return -1;
	ok = fwrite(p, 1, n, f) == n;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

char *th_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		size_t got;

		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static int status_of(int ws)
{
	if (WIFEXITED(ws))
		return WEXITSTATUS(ws);
	if (WIFSIGNALED(ws))
		return 128 + WTERMSIG(ws);
	return -1;
}

/*
 * Builds argv: the binary, then 'args' and 'more'. With
 * $MOTCUA_TEST_VALGRIND set (a command line such as "valgrind -q …", by
 * scripts/valgrind-tests.sh), the binary runs under it.
 */
static char **make_argv(const char *first, const char *const *args,
			const char *const *more)
{
	const char *wrap = getenv("MOTCUA_TEST_VALGRIND");
	char *words = strdup(wrap ? wrap : ""), *w, *save = NULL;
	size_t n = 0, m = 0, k = 0, i;
	char **argv;

	while (args && args[n])
		n++;
	while (more && more[m])
		m++;
	argv = calloc(n + m + 2 + strlen(words) / 2 + 1, sizeof(*argv));
	if (!argv || !words)
		abort();
	for (w = strtok_r(words, " ", &save); w; w = strtok_r(NULL, " ", &save))
		argv[k++] = strdup(w);
	free(words);
	argv[k++] = strdup(first);
	for (i = 0; i < n; i++)
		argv[k++] = strdup(args[i]);
	for (i = 0; i < m; i++)
		argv[k++] = strdup(more[i]);
	return argv;
}

static void free_argv(char **argv)
{
	size_t i;

	for (i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

int th_motcua(const char *const *args, const char *in, char **out,
	      char **err)
{
	char po[600], pe[600], pi[600];
	char **argv = make_argv(MC_BINARY, args, NULL);
	static unsigned seq;
	pid_t pid;
	int ws;

	seq++;
	snprintf(po, sizeof(po), "%s/run%u.out", th_tmpdir(), seq);
	snprintf(pe, sizeof(pe), "%s/run%u.err", th_tmpdir(), seq);
	snprintf(pi, sizeof(pi), "%s/run%u.in", th_tmpdir(), seq);
	th_write_file(pi, in ? in : "");
	pid = fork();
	if (pid == 0) {
		int fi = open(pi, O_RDONLY), fo = creat(po, 0644),
		    fe = creat(pe, 0644);

		dup2(fi, 0);
		dup2(fo, 1);
		dup2(fe, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	free_argv(argv);
	if (pid < 0 || waitpid(pid, &ws, 0) != pid)
		return -1;
	if (out)
		*out = th_read_file(po, NULL);
	if (err)
		*err = th_read_file(pe, NULL);
	return status_of(ws);
}

pid_t th_motcua_spawn(const char *const *args, const char *out_path)
{
	char **argv = make_argv(MC_BINARY, args, NULL);
	pid_t pid = fork();

	if (pid == 0) {
		int fi = open("/dev/null", O_RDONLY),
		    fo = out_path ? creat(out_path, 0644) :
				    open("/dev/null", O_WRONLY);

		dup2(fi, 0);
		dup2(fo, 1);
		dup2(fo, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	free_argv(argv);
	th_tmpdir();		/* its exit handler stops what is left */
	if (pid > 0)
		track(pid, 0);
	return pid;
}

int th_wait(pid_t pid)
{
	int ws;

	if (pid < 0 || waitpid(pid, &ws, 0) != pid)
		return -1;
	track(0, pid);
	return status_of(ws);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

size_t th_migrations(char names[][96], size_t max)
{
	DIR *d = opendir(MC_SOURCE_DIR "/migrations/sqlite");
	struct dirent *e;
	size_t n = 0, len;

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max) {
		len = strlen(e->d_name);
		if (len > 4 && !strcmp(e->d_name + len - 4, ".sql"))
			snprintf(names[n++], 96, "%.*s", (int)(len - 4),
				 e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);
	return n;
}

bool th_pg(void)
{
	const char *u = getenv("MOTCUA_TEST_DB");

	return u && *u;
}

char *th_db(char *buf, size_t n, const char *name)
{
	const char *base = getenv("MOTCUA_TEST_DB");
	struct mc_store_opts o;
	struct mc_store *st = NULL;
	struct mc_conn *c = NULL;
	struct mc_err err = MC_ERR_INIT;
	char db[64], sql[128];
	const char *slash;
	size_t i, k;

	if (!th_pg()) {
		snprintf(db, sizeof(db), "%s.db", name);
		return th_path(buf, n, db);
	}
	/* A fresh database on the test server, named by process and use. */
	k = (size_t)snprintf(db, sizeof(db), "t%ld_", (long)getpid());
	for (i = 0; name[i] && k + 1 < sizeof(db); i++)
		db[k++] = (name[i] >= 'a' && name[i] <= 'z') ||
			  (name[i] >= '0' && name[i] <= '9') ? name[i] : '_';
	db[k] = '\0';
	memset(&o, 0, sizeof(o));
	o.url = base;
	o.busy_timeout_ms = 30000;
	if (mc_store_open(&o, &st, &err) || mc_store_connect(st, &c, &err))
		fail_msg("test database server %s: %s", base, err.message);
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", db);
	if (mc_conn_exec(c, sql, &err))
		fail_msg("%s: %s", sql, err.message);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", db);
	if (mc_conn_exec(c, sql, &err))
		fail_msg("%s: %s", sql, err.message);
	mc_conn_close(c);
	mc_store_close(st);
	slash = strrchr(base, '/');
	snprintf(buf, n, "%.*s/%s", (int)(slash - base), base, db);
	return buf;
}

int th_db_exec(const char *url, const char *sqlite_sql, const char *pg_sql)
{
	struct mc_store_opts o;
	struct mc_store *st = NULL;
	struct mc_conn *c = NULL;
	struct mc_err err = MC_ERR_INIT;
	int rc;

	memset(&o, 0, sizeof(o));
	o.url = url;
	o.busy_timeout_ms = 5000;
	rc = mc_store_open(&o, &st, &err);
	if (!rc)
		rc = mc_store_connect(st, &c, &err);
	if (!rc)
		rc = mc_conn_exec(c, th_pg() ? pg_sql : sqlite_sql, &err);
	if (rc)
		print_error("th_db_exec %s: %s\n", url, err.message);
	mc_conn_close(c);
	mc_store_close(st);
	return rc;
}

int64_t th_db_int(const char *url, const char *sql,
		  const char *const *params)
{
	struct mc_store_opts o;
	struct mc_store *st = NULL;
	struct mc_conn *c = NULL;
	struct mc_err err = MC_ERR_INIT;
	struct mc_stmt *s = NULL;
	int64_t v = 0;
	int rc, i;

	memset(&o, 0, sizeof(o));
	o.url = url;
	o.busy_timeout_ms = 10000;
	rc = mc_store_open(&o, &st, &err);
	if (!rc)
		rc = mc_store_connect(st, &c, &err);
	if (!rc && !(s = mc_sql(c, sql, &err)))
		rc = MC_EDB;
	for (i = 0; !rc && params && params[i]; i++)
		mc_sql_text(s, i + 1, params[i]);
	if (!rc && (rc = mc_sql_step(s, &err)) == 1) {
		v = mc_sql_col_int(s, 0);
		mc_sql_reset(s);
		rc = 0;
	} else if (!rc) {
		rc = MC_EDB;
	}
	mc_conn_close(c);
	mc_store_close(st);
	if (rc)
		fail_msg("th_db_int %s: %s", sql, err.message);
	return v;
}

static void make_db(char *path, size_t n, const char *name, bool demo)
{
	char files[600];
	/* The demo's keys where th_serve's servers look for them. */
	const char *args[] = { demo ? "demo" : "migrate", "--db", path,
			       "--files-dir", files, demo ? "--dossiers" :
			       NULL, "0", NULL };
	char *err = NULL;
	int rc;

	snprintf(files, sizeof(files), "%s/files", th_tmpdir());
	th_db(path, n, name);
	rc = th_motcua(args, NULL, NULL, &err);
	if (rc != 0)
		fail_msg("motcua %s failed (%d): %s", args[0], rc,
			 err ? err : "");
	free(err);
}

void th_make_db(char *path, size_t n, const char *name)
{
	make_db(path, n, name, false);
}

void th_demo_db(char *path, size_t n, const char *name)
{
	make_db(path, n, name, true);
}

void th_serve(struct th_server *s, const char *const *args)
{
	static unsigned seq;
	char files[600];
	const char *const listen[] = { "--listen", "127.0.0.1:0",
				       "--files-dir", files, NULL };
	char **argv;
	int i;

	/* Each server's files in the test's directory, not the build's. */
	snprintf(files, sizeof(files), "%s/files", th_tmpdir());

	memset(s, 0, sizeof(*s));
	seq++;
	snprintf(s->log, sizeof(s->log), "%s/serve%u.log", th_tmpdir(), seq);
	{
		const char *all[64] = { "serve" };
		size_t n = 1;

		bool own = false;	/* the test says where it listens */

		while (args && args[n - 1] && n + 1 < MC_ARRAY_SIZE(all)) {
			all[n] = args[n - 1];
			own |= !strcmp(all[n], "--listen");
			n++;
		}
		all[n] = NULL;
		argv = make_argv(MC_BINARY, all, own ? listen + 2 : listen);
	}
	s->pid = fork();
	if (s->pid == 0) {
		int fe = creat(s->log, 0644), fn = open("/dev/null", O_RDWR);

		dup2(fn, 0);
		dup2(fn, 1);
		dup2(fe, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	free_argv(argv);
	th_tmpdir();		/* its exit handler stops what is left */
	if (s->pid > 0)
		track(s->pid, 0);
	/* Wait up to 60 s (sanitized or valgrind runs start slowly). */
	for (i = 0; i < 6000; i++) {
		char *log = th_read_file(s->log, NULL);
		const char *p = log ? strstr(log, "\"msg\":\"listening\"") :
				NULL;
		int ws;

		if (p && (p = strstr(p, "\"address\":\""))) {
			sscanf(p + 11, "%63[^\"]", s->addr);
			snprintf(s->base, sizeof(s->base), "http://%s",
				 s->addr);
			free(log);
			return;
		}
		if (waitpid(s->pid, &ws, WNOHANG) == s->pid) {
			fail_msg("motcua serve exited (%d) before listening: "
				 "%s", status_of(ws), log ? log : "");
		}
		free(log);
		usleep(10000);
	}
	kill(s->pid, SIGKILL);
	fail_msg("motcua serve did not start listening");
}

int th_serve_stop(struct th_server *s)
{
	int ws, i;

	if (s->pid <= 0)
		return -1;
	kill(s->pid, SIGTERM);
	for (i = 0; i < 3000; i++) {
		pid_t r = waitpid(s->pid, &ws, WNOHANG);

		if (r == s->pid) {
			track(0, s->pid);
			s->pid = 0;
			return status_of(ws);
		}
		usleep(10000);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &ws, 0);
	track(0, s->pid);
	s->pid = 0;
	return -1;
}

int th_serve_kill(struct th_server *s)
{
	int ws;

	if (s->pid <= 0)
		return -1;
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &ws, 0);
	track(0, s->pid);
	s->pid = 0;
	return status_of(ws);
}

char *th_serve_log(const struct th_server *s)
{
	return th_read_file(s->log, NULL);
}

/* pdftotext (and pdfinfo, pdftoppm) on a PDF fetched over HTTP. */
char *th_pdf_text(const char *url, const char *auth, const char *name,
		  bool layout, const char *info, bool png)
{
	char file[700], cmd[4000], *text;
	struct th_resp r;
	int n;

	assert_int_equal(th_http("GET", url, (const char *[]){ auth, NULL },
				 NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_memory_equal(r.body, "%PDF-", 5);
	th_path(file, sizeof(file), name);
	assert_int_equal(th_write_bytes(file, r.body, r.len), 0);
	th_resp_free(&r);
	n = snprintf(cmd, sizeof(cmd), "pdftotext %s'%s' '%s.txt'", layout ?
		     "-layout " : "", file, file);
	if (info)
		n += snprintf(cmd + n, sizeof(cmd) - (size_t)n, " && pdfinfo "
			      "'%s' | grep -q '%s'", file, info);
	if (png)
		snprintf(cmd + n, sizeof(cmd) - (size_t)n, " && pdftoppm -r 40 "
			 "-png '%s' '%s' && test -s '%s-1.png'", file, file,
			 file);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s.txt", file);
	text = th_read_file(cmd, NULL);
	assert_non_null(text);
	return text;
}
