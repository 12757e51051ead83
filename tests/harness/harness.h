/*
 * harness.h — shared helpers of the test programs: a private temporary
 * directory per test process, files, running the real motcua binary (to
 * completion, or as a server on a free loopback port), and an HTTP client
 * (libcurl) for talking to it.
 */
#ifndef MC_TESTS_HARNESS_H
#define MC_TESTS_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <cmocka.h>
#include <jansson.h>
#include <sys/types.h>

/*
 * A fresh directory for this process under $MOTCUA_TEST_TMP (or /tmp),
 * created on first use and removed at exit.
 */
const char *th_tmpdir(void);
/* Writes "<tmpdir>/<name>" into buf and returns buf. */
char *th_path(char *buf, size_t n, const char *name);
/* Writes a whole file, atomically (beside, then renamed); 0 or -1. */
int th_write_file(const char *path, const char *text);
/* The same for 'n' bytes (a PDF, a signature, a spreadsheet). */
int th_write_bytes(const char *path, const void *p, size_t n);
/* Reads a whole file (malloc'd, NUL-terminated) or NULL. */
char *th_read_file(const char *path, size_t *len);

/*
 * Runs motcua with 'args' (NULL-terminated, without the program name),
 * feeding 'in' (may be NULL) on standard input. Returns the exit status
 * (128 + signal if killed) and, when 'out'/'err' are not NULL, what it
 * wrote (malloc'd).
 */
int th_motcua(const char *const *args, const char *in, char **out,
	      char **err);

/*
 * Starts motcua with 'args' without waiting, its standard output and
 * error going to 'out_path' (NULL: /dev/null). Returns the pid; wait for
 * it with th_wait, which returns the exit status as th_motcua does.
 */
pid_t th_motcua_spawn(const char *const *args, const char *out_path);
int th_wait(pid_t pid);

/*
 * The test database called 'name': a SQLite file "<tmpdir>/<name>.db",
 * or, with $MOTCUA_TEST_DB set to a PostgreSQL URL (make test-pg), a
 * fresh database on that server. Writes its path or URL into 'buf'.
 */
char *th_db(char *buf, size_t n, const char *name);
/* Whether the tests run on PostgreSQL ($MOTCUA_TEST_DB). */
bool th_pg(void);
/* Runs SQL text on a test database: 'sqlite_sql' or 'pg_sql' by backend. */
int th_db_exec(const char *url, const char *sqlite_sql, const char *pg_sql);
/*
 * The first column of the one row 'sql' gives on database 'url', with
 * the text 'params' (NULL-terminated, may be NULL) bound as ?1, ?2, …;
 * the test fails if it cannot be had.
 */
int64_t th_db_int(const char *url, const char *sql,
		  const char *const *params);

/*
 * The migrations of the source tree (migrations/sqlite), sorted, as
 * "NNNN_name" into names[0..max); returns how many there are.
 */
size_t th_migrations(char names[][96], size_t max);

/* Creates and migrates the test database 'name' (th_db); fills 'path'. */
void th_make_db(char *path, size_t n, const char *name);
/* The same with the demo data of "motcua demo" but no dossiers. */
void th_demo_db(char *path, size_t n, const char *name);

struct th_server {
	pid_t pid;
	char log[512];		/* the server's standard error */
	char addr[64];		/* "127.0.0.1:PORT" */
	char base[96];		/* "http://127.0.0.1:PORT" */
};

/*
 * Starts 'motcua serve --listen 127.0.0.1:0' with 'args' added and waits
 * for its "listening" log line. Fails the test if it does not come.
 */
void th_serve(struct th_server *s, const char *const *args);
/* Sends SIGTERM and waits; returns the exit status as th_motcua does. */
int th_serve_stop(struct th_server *s);
/* kill -9: the server dies at once, with no chance to finish anything. */
int th_serve_kill(struct th_server *s);
/* The server's log so far (malloc'd). */
char *th_serve_log(const struct th_server *s);

struct th_resp {
	long status;
	char *body;		/* NUL-terminated */
	size_t len;
	char *headers;		/* raw header block */
};

/*
 * One HTTP request with libcurl: 'headers' NULL-terminated "Name: value"
 * (may be NULL), 'body' may be NULL. Returns 0, or -1 when no response
 * came (connection refused, timeout).
 */
int th_http(const char *method, const char *url, const char *const *headers,
	    const char *body, size_t blen, struct th_resp *out);
/* GET shorthand that fails the test when no response comes. */
void th_get(const char *url, struct th_resp *out);
/* Value of a response header (case-insensitive name) or NULL. */
const char *th_header(const struct th_resp *r, const char *name, char *buf,
		      size_t n);
/* The body parsed as JSON (fails the test when it is not JSON). */
json_t *th_json(const struct th_resp *r);
void th_resp_free(struct th_resp *r);
/* The string member 'key' of 'o'; fails the test when there is none. */
const char *th_str(json_t *o, const char *key);

/*
 * A JSON API call: 'body' (stolen, may be NULL) is sent as JSON, 'token'
 * (may be NULL) as a bearer token. Returns the status and, when 'out' is
 * not NULL, the body parsed as JSON (NULL if it is not; caller decrefs).
 */
long th_api(const char *base, const char *method, const char *path,
	    const char *token, json_t *body, json_t **out);
/*
 * An action on dossier 'code' (POST /api/v1/dossiers/{code}/actions,
 * 'body' stolen) that must answer 200: the test fails, showing the
 * answer, when it does not.
 */
void th_act(const char *base, const char *token, const char *code,
	    json_t *body);
/*
 * Takes in a dossier of 'procedure' through 'channel' for a person with
 * the one component "TK" handed in (POST /api/v1/dossiers; the test fails
 * unless it answers 201); its code, malloc'd.
 */
char *th_intake(const char *base, const char *token, const char *procedure,
		const char *channel, const char *id_number, const char *name,
		const char *phone);
/*
 * Procedure 'code' ('name') made and published on server 'base' by the
 * demo's control officer: the Department of Justice's (000.00.04.H51),
 * 3 working days, one paper "TK" (Tờ khai, original), one step by a
 * specialist, in force from 2025-01-01 (decision 9/QĐ). The test fails
 * unless both answer as they should.
 */
void th_procedure(const char *base, const char *code, const char *name);
/* Signs 'user' in (the test fails unless it answers 200); fills 'tok'. */
void th_login(const char *base, const char *user, const char *password,
	      char *tok, size_t n);

/*
 * The PDF at 'url' (with header 'auth'), saved as 'name': its text
 * (pdftotext, with -layout when 'layout'), malloc'd. When given, a line
 * of pdfinfo must match 'info' (grep); with 'png' the first page must
 * draw as a PNG.
 */
char *th_pdf_text(const char *url, const char *auth, const char *name,
		  bool layout, const char *info, bool png);

#endif /* MC_TESTS_HARNESS_H */
