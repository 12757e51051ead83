/*
 * api.h — the HTTP API: the routing table and the handlers, one file per
 * resource (health.c, calendar.c, openapi.c). Handlers turn query strings
 * and JSON into domain calls and domain results into JSON; they hold no
 * rules of their own.
 */
#ifndef MC_API_API_H
#define MC_API_API_H

#include "core/compat.h"
#include "http/router.h"
#include "http/server.h"

#include <jansson.h>

/* The routing table, compared against the OpenAPI document by the tests. */
extern const struct mc_route mc_api_routes[];
extern const size_t mc_api_nroutes;

/* health.c */
void api_healthz(struct mc_req *r);
void api_readyz(struct mc_req *r);
void api_metrics(struct mc_req *r);

/* calendar.c */
void api_calendar_holidays(struct mc_req *r);
void api_calendar_due(struct mc_req *r);
void api_calendar_elapsed(struct mc_req *r);
void api_calendar_lunar(struct mc_req *r);
void api_calendar_solar(struct mc_req *r);

/* auth.c */
void api_auth_login(struct mc_req *r);
void api_auth_logout(struct mc_req *r);
void api_auth_me(struct mc_req *r);

/* users.c */
void api_users_list(struct mc_req *r);
void api_users_create(struct mc_req *r);

/* catalog.c */
void api_units_list(struct mc_req *r);
void api_units_get(struct mc_req *r);
void api_units_create(struct mc_req *r);
void api_procedures_list(struct mc_req *r);
void api_procedures_get(struct mc_req *r);
void api_procedure_fields(struct mc_req *r);
void api_public_centres(struct mc_req *r);
void api_unit_staff(struct mc_req *r);
void api_citizen_signin_methods(struct mc_req *r);
void api_queue_config_get(struct mc_req *r);
void api_queue_config_put(struct mc_req *r);
void api_queue_board(struct mc_req *r);
void api_queue_issue(struct mc_req *r);
void api_queue_call(struct mc_req *r);
void api_queue_finish(struct mc_req *r);
void api_queue_missed(struct mc_req *r);
void api_queue_rate(struct mc_req *r);
void api_queue_stats(struct mc_req *r);
void api_procedures_create(struct mc_req *r);
void api_procedures_publish(struct mc_req *r);

/* dossiers.c */
void api_dossiers_create(struct mc_req *r);
void api_dossiers_list(struct mc_req *r);
void api_tasks_list(struct mc_req *r);
void api_audit_verify(struct mc_req *r);
void api_dossiers_get(struct mc_req *r);
void api_dossiers_act(struct mc_req *r);
void api_dossiers_events(struct mc_req *r);
void api_public_dossier(struct mc_req *r);
void api_dossiers_messages(struct mc_req *r);

/* citizen.c */
struct mc_citizen;
/*
 * The signed-in citizen (Authorization: Bearer c.…) and the hash of the
 * token ('hash': 65 bytes); answers 401 itself and returns -1 if none.
 */
int mc_api_citizen(struct mc_req *r, struct mc_citizen *out, char *hash);
/*
 * Sign-in attempts are limited per client address (otp_max_per_address
 * failures in a window): true when answered 429; a failure is counted.
 */
bool mc_api_citizen_limited(struct mc_req *r);
void mc_api_citizen_failed(struct mc_req *r);
/*
 * A new citizen's session token "c.<random>" into 'token' (64 bytes) and
 * the SHA-256 it is stored as into 'hash'.
 */
void mc_api_citizen_token(char token[64], char hash[65]);
/* {"kind", "id_number", "name"} */
json_t *mc_api_citizen_json(const struct mc_citizen *cz);
/* messages.c: ZNS templates and receipts. */
void api_messages_receipt_zalo(struct mc_req *r);
void api_zalo_templates_list(struct mc_req *r);
void api_zalo_templates_create(struct mc_req *r);
/* bundles.c: linked-procedure bundles. */
void api_bundles_list(struct mc_req *r);
void api_bundles_put(struct mc_req *r);
void api_bundles_apply(struct mc_req *r);
void api_bundle_application(struct mc_req *r);
void api_bundle_resume(struct mc_req *r);
/* oidc.c: VNeID sign-in (OpenID Connect). */
void api_citizen_oidc_start(struct mc_req *r);
void api_citizen_oidc_callback(struct mc_req *r);
void api_citizen_oidc_session(struct mc_req *r);
void api_citizen_otp(struct mc_req *r);
void api_citizen_login(struct mc_req *r);
void api_citizen_logout(struct mc_req *r);
void api_citizen_me(struct mc_req *r);
void api_citizen_dossiers(struct mc_req *r);
void api_citizen_dossier(struct mc_req *r);
void api_citizen_submit(struct mc_req *r);
void api_citizen_supplement(struct mc_req *r);

/* ratings.c */
struct mc_rating;
json_t *mc_api_rating_json(const struct mc_rating *r);
void api_citizen_rate(struct mc_req *r);
void api_dossiers_rate(struct mc_req *r);
void api_dossiers_rating(struct mc_req *r);
void api_ratings_followups(struct mc_req *r);
void api_ratings_followup(struct mc_req *r);
void api_ratings_stats(struct mc_req *r);

struct mc_app;

/* payments.c */
void api_dossiers_fees(struct mc_req *r);
void api_dossiers_payment_qr(struct mc_req *r);
void api_citizen_fees(struct mc_req *r);
void api_citizen_payment_request(struct mc_req *r);
void api_payments_callback(struct mc_req *r);
void api_dossiers_refund(struct mc_req *r);
void api_receipts_get(struct mc_req *r);
/* files.c */
void api_uploads_options(struct mc_req *r);
void api_uploads_create(struct mc_req *r);
void api_uploads_head(struct mc_req *r);
void api_uploads_get(struct mc_req *r);
void api_uploads_patch(struct mc_req *r);
void api_uploads_delete(struct mc_req *r);
void api_files_get(struct mc_req *r);
/*
 * Answers stored file 'sha256' ('size' bytes of 'media_type') after
 * checking it against its hash on a worker (500 "damaged" if it fails).
 */
void mc_api_send_stored(struct mc_req *r, const char *sha256, int64_t size,
			const char *media_type);
/* documents.c */
void api_citizen_documents(struct mc_req *r);
void api_citizen_documents_add(struct mc_req *r);
void api_me_access_log(struct mc_req *r);
void api_me_export(struct mc_req *r);
void api_people_documents(struct mc_req *r);
void api_documents_file(struct mc_req *r);
void api_citizen_offers(struct mc_req *r);
void api_people_offers(struct mc_req *r);
void api_stats_reuse(struct mc_req *r);
void api_documents_certify(struct mc_req *r);
void api_dossiers_scan(struct mc_req *r);
void api_keys_scan(struct mc_req *r);
/* results.c */
void api_verify(struct mc_req *r);
void api_verify_signature(struct mc_req *r);
void api_verify_certificate(struct mc_req *r);
void api_verify_qr(struct mc_req *r);
void api_verify_page(struct mc_req *r);
void api_results_revoke(struct mc_req *r);
void api_results_replace(struct mc_req *r);
void api_dossiers_results(struct mc_req *r);
void api_dossiers_form_receipt(struct mc_req *r);
void api_dossiers_form_supplement(struct mc_req *r);
void api_dossiers_form_refusal(struct mc_req *r);
void api_dossiers_form_apology(struct mc_req *r);
void api_dossiers_form_stop(struct mc_req *r);
void api_dossiers_form_control(struct mc_req *r);
struct mc_result;
struct mc_result_sig;
struct mc_user;
/*
 * Signs upload 'sha256' as the e-result of 'actor''s unit at 'now' with
 * the unit's key (a worker's work: it reads the key from disk), under
 * 'code' (NULL: a fresh result code). MC_ECONFLICT naming "result.file" when the unit has
 * no valid certificate.
 */
int mc_api_result_sign(const struct mc_app *app, const struct mc_user *actor,
		       const char *sha256, const char *number,
		       const char *code, int64_t now,
		       struct mc_result_sig *out, struct mc_err *err);
/* The largest generated result, bytes. */
#define MC_RESULT_PDF_MAX (4 << 20)
struct mc_result_ctx;
/*
 * Draws the result of 'ctx' as a PDF (render/result_pdf.h) under a fresh
 * code, stores it, and signs it as mc_api_result_sign does (a worker's
 * work).
 */
int mc_api_result_generate(const struct mc_app *app,
			   const struct mc_user *actor,
			   const struct mc_result_ctx *ctx, const char *number,
			   const char *summary, int64_t now,
			   struct mc_result_sig *out, struct mc_err *err);
/* The public verification link of result 'code'. */
void mc_api_verify_url(const struct mc_app *app, const char *code, char *out,
		       size_t n);
/* A result as staff see it. */
json_t *mc_api_result_json(const struct mc_app *app,
			   const struct mc_result *r);
void api_payments_reconcile(struct mc_req *r);
void api_dossiers_payment_qr_png(struct mc_req *r);
void api_citizen_payment_qr(struct mc_req *r);
void api_citizen_payment_qr_png(struct mc_req *r);
void api_units_account(struct mc_req *r);
void api_units_account_set(struct mc_req *r);
void api_citizen_receipt(struct mc_req *r);
void api_dossiers_payments(struct mc_req *r);
void api_dossiers_pay(struct mc_req *r);

/* reports.c */
void api_reports_bieu06(struct mc_req *r);
void api_reports_bieu06_close(struct mc_req *r);
/* The longest period a report covers, in days. */
#define MC_REPORT_MAX_DAYS 1100
int mc_api_report_period(const char *from, const char *to,
			 const char *kind, const char *year,
			 const char *index, const char *cutoff,
			 int dflt_cutoff, int32_t *first, int32_t *last,
			 struct mc_err *err);
/*
 * The unit a report is asked for ('code', NULL for the user's own) into
 * 'unit': 0, or -1 answered 422 (rule "scope") when there is none at or
 * below the user's unit.
 */
struct mc_unit;
int mc_api_report_unit(struct mc_req *r, const struct mc_user *me,
		       const char *code, struct mc_unit *unit);

/* index766.c */
void api_reports_index766(struct mc_req *r);
void api_reports_index766_records(struct mc_req *r);
void api_reports_summary(struct mc_req *r);
void api_reports_chart(struct mc_req *r);
void api_reports_register(struct mc_req *r);

/* feedback.c */
struct mc_feedback;
struct mc_fb_limits;
void mc_api_feedback_limits(const struct mc_app *app, struct mc_fb_limits *l);
json_t *mc_api_feedback_public(const struct mc_feedback *f);
void api_feedback_create(struct mc_req *r);
void api_feedback_list(struct mc_req *r);
void api_feedback_get(struct mc_req *r);
void api_feedback_act(struct mc_req *r);
void api_citizen_feedback_create(struct mc_req *r);
void api_citizen_feedback_list(struct mc_req *r);
void api_citizen_feedback_react(struct mc_req *r);
void api_public_feedback(struct mc_req *r);

/* open311.c */
void api_open311_services(struct mc_req *r);
void api_open311_requests(struct mc_req *r);
void api_open311_create(struct mc_req *r);
void api_open311_request(struct mc_req *r);

/* messages.c */
void api_messages_list(struct mc_req *r);
void api_messages_receipt_sms(struct mc_req *r);
void api_templates_list(struct mc_req *r);
void api_templates_create(struct mc_req *r);
void api_webhooks_list(struct mc_req *r);
void api_portal_sync(struct mc_req *r);
void api_portal_retry(struct mc_req *r);
void api_registry_person(struct mc_req *r);
void api_registry_business(struct mc_req *r);
void api_webhooks_create(struct mc_req *r);
void api_webhooks_deactivate(struct mc_req *r);
struct mc_message;
/* Appends one message as JSON to the array 'arg' (mc_message_fn). */
void mc_api_message_item(const struct mc_message *m, void *arg);

/*
 * JSON in and out, shared with the command line (motcua demo, user):
 * each parser checks every field and fills 'err' with one error per bad
 * field; returns 0 or MC_EINVAL.
 */
struct mc_unit;
struct mc_user;
struct mc_procedure;
struct mc_intake;
struct mc_act;
int mc_api_unit_parse(json_t *o, struct mc_unit *u, struct mc_err *err);
int mc_api_procedure_parse(json_t *o, struct mc_procedure *p,
			   struct mc_err *err);
/*
 * The request's Idempotency-Key header, if any, into 'in' for 'actor'
 * ("u:<user id>", "c:<personal ID>"), with the body's SHA-256; a bad key
 * is a field error (rule "format").
 */
int mc_api_idempotency(struct mc_req *r, const char *actor,
		       struct mc_intake *in, struct mc_err *err);
int mc_api_intake_parse(json_t *o, int64_t now, struct mc_intake *in,
			struct mc_err *err);
int mc_api_act_parse(json_t *o, struct mc_act *a, struct mc_err *err);
json_t *mc_api_unit_json(const struct mc_unit *u);
struct mc_config;
/*
 * Hashes a new password with argon2id at the configured cost into 'out'.
 * MC_EINVAL when it is shorter than 10 characters.
 */
int mc_api_password_hash(const struct mc_config *cfg, const char *pw,
			 char *out, size_t n, struct mc_err *err);
json_t *mc_api_user_json(const struct mc_user *u);
/* The same with the account's state (active, locked_until). */
json_t *mc_api_user_full_json(const struct mc_user *u);
json_t *mc_api_procedure_json(const struct mc_procedure *p);

/* openapi.c */
void api_openapi(struct mc_req *r);

#endif /* MC_API_API_H */
