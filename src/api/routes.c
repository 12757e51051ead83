/*
 * routes.c — the routing table of the HTTP API. Every route here must be
 * in docs/api/openapi.json and the other way round (tests/integration).
 */
#include "core/compat.h"
#include "api/api.h"

const struct mc_route mc_api_routes[] = {
	{ "GET", "/healthz", "healthz", api_healthz,
	  "The process is alive." },
	{ "GET", "/readyz", "readyz", api_readyz,
	  "The process can serve: the database answers." },
	{ "GET", "/metrics", "metrics", api_metrics,
	  "Metrics in the Prometheus text format." },
	{ "GET", "/api/v1/openapi.json", "openapi", api_openapi,
	  "This API's OpenAPI 3 document." },
	{ "GET", "/api/v1/calendar/holidays", "calendar_holidays",
	  api_calendar_holidays, "Days off and extra working days of a year." },
	{ "GET", "/api/v1/calendar/due", "calendar_due", api_calendar_due,
	  "Due instant of a period counted from a receipt." },
	{ "GET", "/api/v1/calendar/elapsed", "calendar_elapsed",
	  api_calendar_elapsed,
	  "Working time between two instants, and the timeliness of a "
	  "finish against a due instant." },
	{ "GET", "/api/v1/calendar/lunar", "calendar_lunar", api_calendar_lunar,
	  "Lunar date of a solar date." },
	{ "GET", "/api/v1/calendar/solar", "calendar_solar", api_calendar_solar,
	  "Solar date of a lunar date." },
	{ "POST", "/api/v1/auth/login", "auth_login", api_auth_login,
	  "Staff sign-in: a bearer token for a username and password." },
	{ "POST", "/api/v1/auth/logout", "auth_logout", api_auth_logout,
	  "Revokes the token of the request." },
	{ "GET", "/api/v1/auth/me", "auth_me", api_auth_me,
	  "The signed-in user." },
	{ "GET", "/api/v1/users", "users_list", api_users_list,
	  "Staff accounts of the administrator's units." },
	{ "POST", "/api/v1/users", "users_create", api_users_create,
	  "Creates a staff account in one of the administrator's units." },
	{ "GET", "/api/v1/units", "units_list", api_units_list,
	  "Units (agencies, centres, communes), historical ones included." },
	{ "POST", "/api/v1/units", "units_create", api_units_create,
	  "Adds a unit to the tree (administrator)." },
	{ "GET", "/api/v1/units/{code}", "units_get", api_units_get,
	  "One unit." },
	{ "GET", "/api/v1/units/{code}/payment-account", "units_account",
	  api_units_account, "The account the unit's fees are paid into: "
	  "its own or the nearest above it." },
	{ "PUT", "/api/v1/units/{code}/payment-account", "units_account_set",
	  api_units_account_set, "Sets the account the unit's fees are paid "
	  "into (administrator)." },
	{ "GET", "/api/v1/procedures", "procedures_list", api_procedures_list,
	  "The procedure catalog, searchable without diacritics." },
	{ "POST", "/api/v1/procedures", "procedures_create",
	  api_procedures_create,
	  "Adds a draft version of a procedure (procedure control)." },
	{ "GET", "/api/v1/procedure-fields", "procedure_fields",
	  api_procedure_fields, "The catalog's fields (lĩnh vực), with how "
	  "many procedures each has." },
	{ "GET", "/api/v1/public/centres", "public_centres",
	  api_public_centres, "The public-service centres where dossiers "
	  "are handed in." },
	{ "GET", "/api/v1/procedures/{code}", "procedures_get",
	  api_procedures_get, "A procedure: the version in force, or one "
	  "named." },
	{ "POST", "/api/v1/procedures/{code}/publish", "procedures_publish",
	  api_procedures_publish,
	  "Publishes the latest draft from a date, under a decision." },
	{ "POST", "/api/v1/dossiers", "dossiers_create", api_dossiers_create,
	  "Takes in a dossier at the counter, by post or online." },
	{ "GET", "/api/v1/dossiers", "dossiers_list", api_dossiers_list,
	  "Dossiers of the user's units, filtered, newest first." },
	{ "GET", "/api/v1/tasks", "tasks_list", api_tasks_list,
	  "The open dossiers waiting for the user, nearest due first." },
	{ "GET", "/api/v1/dossiers/{code}", "dossiers_get", api_dossiers_get,
	  "One dossier with its steps, pauses, components and the actions "
	  "the user may take." },
	{ "POST", "/api/v1/dossiers/{code}/actions", "dossiers_act",
	  api_dossiers_act, "Takes an action on a dossier." },
	{ "GET", "/api/v1/dossiers/{code}/events", "dossiers_events",
	  api_dossiers_events, "The dossier's hash-chained event log." },
	{ "GET", "/api/v1/dossiers/{code}/messages", "dossiers_messages",
	  api_dossiers_messages,
	  "The messages sent (or being sent) to the dossier's applicant." },
	{ "GET", "/api/v1/messages", "messages_list", api_messages_list,
	  "Messages of the administrator's units, failures first." },
	{ "GET", "/api/v1/zalo-templates", "zalo_templates_list",
	  api_zalo_templates_list, "Zalo (ZNS) templates, every version." },
	{ "POST", "/api/v1/zalo-templates", "zalo_templates_create",
	  api_zalo_templates_create, "The ZNS template Zalo approved for an "
	  "event, and what fills its parameters." },
	{ "GET", "/api/v1/message-templates", "templates_list",
	  api_templates_list, "Message templates, every version." },
	{ "POST", "/api/v1/message-templates", "templates_create",
	  api_templates_create,
	  "A new version of an event's template on a channel." },
	{ "GET", "/api/v1/webhooks", "webhooks_list", api_webhooks_list,
	  "Systems subscribed to the dossiers' events." },
	{ "GET", "/api/v1/portal/sync", "portal_sync", api_portal_sync,
	  "The national portal's sync: events waiting and since when, "
	  "failures by cause, dossiers never synced, paused or not." },
	{ "GET", "/api/v1/registry/businesses/{tax_code}",
	  "registry_business", api_registry_business,
	  "A business as the national business registration database has "
	  "it, to fill in an organization; the purpose is logged." },
	{ "GET", "/api/v1/registry/persons/{id_number}", "registry_person",
	  api_registry_person,
	  "A person as the national population database has them, to fill "
	  "in the applicant; the purpose is logged." },
	{ "POST", "/api/v1/portal/retry", "portal_retry", api_portal_retry,
	  "Sends again what the portal refused, once put right; takes in "
	  "a dossier filed there that could not be taken in." },
	{ "POST", "/api/v1/webhooks", "webhooks_create", api_webhooks_create,
	  "Subscribes a system's URL to dossier events." },
	{ "POST", "/api/v1/webhooks/{id}/deactivate", "webhooks_deactivate",
	  api_webhooks_deactivate, "Ends a subscription." },
	{ "POST", "/api/v1/messages/receipts/zalo", "messages_receipt_zalo",
	  api_messages_receipt_zalo, "Zalo's signed webhook: a message the "
	  "Official Account sent has reached the phone." },
	{ "POST", "/api/v1/messages/receipts/sms", "messages_receipt_sms",
	  api_messages_receipt_sms,
	  "A delivery receipt from the SMS gateway." },
	{ "POST", "/api/v1/citizen/otp", "citizen_otp", api_citizen_otp,
	  "Sends a one-time sign-in code to the citizen's contact on "
	  "record." },
	{ "POST", "/api/v1/citizen/login", "citizen_login", api_citizen_login,
	  "Signs a citizen in with the one-time code." },
	{ "POST", "/api/v1/citizen/logout", "citizen_logout",
	  api_citizen_logout, "Ends the citizen's session." },
	{ "GET", "/api/v1/bundles", "bundles_list", api_bundles_list,
	  "The linked-procedure bundles the province defined." },
	{ "PUT", "/api/v1/bundles/{code}", "bundles_put", api_bundles_put,
	  "Defines a linked-procedure bundle: its procedures by stage." },
	{ "POST", "/api/v1/bundles/{code}/applications", "bundles_apply",
	  api_bundles_apply, "Takes in one application for a bundle: the "
	  "first stage's dossiers at their agencies." },
	{ "GET", "/api/v1/bundle-applications/{code}", "bundle_application",
	  api_bundle_application, "A linked application with its dossiers." },
	{ "POST", "/api/v1/bundle-applications/{code}/resume", "bundle_resume",
	  api_bundle_resume, "Takes in the next stage of a blocked "
	  "application once the catalog is put right." },
	{ "GET", "/api/v1/citizen/oidc/start", "citizen_oidc_start",
	  api_citizen_oidc_start, "Begins a VNeID sign-in: redirects to the "
	  "provider (OpenID Connect, PKCE)." },
	{ "GET", "/api/v1/citizen/oidc/callback", "citizen_oidc_callback",
	  api_citizen_oidc_callback, "The provider's answer to a VNeID "
	  "sign-in: redirects back with a one-time ticket." },
	{ "POST", "/api/v1/citizen/oidc/session", "citizen_oidc_session",
	  api_citizen_oidc_session, "Trades a VNeID sign-in's ticket for a "
	  "session token." },
	{ "GET", "/api/v1/citizen/me", "citizen_me", api_citizen_me,
	  "The signed-in citizen." },
	{ "GET", "/api/v1/citizen/dossiers", "citizen_dossiers",
	  api_citizen_dossiers, "The signed-in citizen's dossiers." },
	{ "POST", "/api/v1/citizen/dossiers", "citizen_submit",
	  api_citizen_submit, "The signed-in citizen submits a dossier "
	  "online." },
	{ "POST", "/api/v1/citizen/dossiers/{code}/supplement",
	  "citizen_supplement", api_citizen_supplement,
	  "The applicant answers a supplement request online." },
	{ "GET", "/api/v1/citizen/dossiers/{code}", "citizen_dossier",
	  api_citizen_dossier, "One of the signed-in citizen's dossiers." },
	{ "POST", "/api/v1/citizen/dossiers/{code}/rating", "citizen_rate",
	  api_citizen_rate, "The applicant rates a dossier returned." },
	{ "POST", "/api/v1/dossiers/{code}/rating", "dossiers_rate",
	  api_dossiers_rate,
	  "Records the applicant's rating on the counter's kiosk." },
	{ "GET", "/api/v1/dossiers/{code}/rating", "dossiers_rating",
	  api_dossiers_rating, "The dossier's rating." },
	{ "GET", "/api/v1/ratings/followups", "ratings_followups",
	  api_ratings_followups,
	  "Follow-ups of unsatisfied ratings in the leader's units." },
	{ "POST", "/api/v1/ratings/{id}/followup", "ratings_followup",
	  api_ratings_followup, "A leader closes a follow-up." },
	{ "GET", "/api/v1/ratings/stats", "ratings_stats", api_ratings_stats,
	  "Satisfaction by unit, procedure or officer over a period." },
	{ "POST", "/api/v1/feedback", "feedback_create", api_feedback_create,
	  "Registers feedback from the portal, a letter, the hotline or the "
	  "counter." },
	{ "GET", "/api/v1/feedback", "feedback_list", api_feedback_list,
	  "Feedback handled in the user's units, newest first." },
	{ "GET", "/api/v1/feedback/{code}", "feedback_get", api_feedback_get,
	  "One piece of feedback with its steps." },
	{ "POST", "/api/v1/feedback/{code}/actions", "feedback_act",
	  api_feedback_act, "Takes a step on feedback." },
	{ "POST", "/api/v1/citizen/feedback", "citizen_feedback_create",
	  api_citizen_feedback_create,
	  "The signed-in citizen sends feedback." },
	{ "GET", "/api/v1/citizen/feedback", "citizen_feedback_list",
	  api_citizen_feedback_list, "The signed-in citizen's feedback." },
	{ "POST", "/api/v1/citizen/feedback/{code}/reaction",
	  "citizen_feedback_react", api_citizen_feedback_react,
	  "The sender likes or dislikes the published answer." },
	{ "GET", "/api/v1/public/feedback", "public_feedback",
	  api_public_feedback, "Published answers to feedback." },
	{ "GET", "/open311/v2/services.json", "open311_services",
	  api_open311_services, "Open311: the kinds of feedback." },
	{ "GET", "/open311/v2/requests.json", "open311_requests",
	  api_open311_requests, "Open311: service requests." },
	{ "POST", "/open311/v2/requests.json", "open311_create",
	  api_open311_create, "Open311: files feedback." },
	{ "GET", "/open311/v2/requests/{id}", "open311_request",
	  api_open311_request, "Open311: one service request ({id}.json)." },
	{ "GET", "/api/v1/dossiers/{code}/fees", "dossiers_fees",
	  api_dossiers_fees, "The fees assessed for a dossier, and how to "
	  "pay them." },
	{ "GET", "/api/v1/dossiers/{code}/payment-qr.svg",
	  "dossiers_payment_qr", api_dossiers_payment_qr,
	  "The dossier's VietQR payment code as an image." },
	{ "GET", "/api/v1/dossiers/{code}/payment-qr.png",
	  "dossiers_payment_qr_png", api_dossiers_payment_qr_png,
	  "The dossier's VietQR payment code as a PNG image." },
	{ "GET", "/api/v1/citizen/dossiers/{code}/payment-qr.svg",
	  "citizen_payment_qr", api_citizen_payment_qr,
	  "The VietQR code to pay one of the citizen's dossiers (SVG)." },
	{ "GET", "/api/v1/citizen/dossiers/{code}/payment-qr.png",
	  "citizen_payment_qr_png", api_citizen_payment_qr_png,
	  "The VietQR code to pay one of the citizen's dossiers (PNG)." },
	{ "GET", "/api/v1/dossiers/{code}/payments", "dossiers_payments",
	  api_dossiers_payments, "The dossier's payments and receipts." },
	{ "POST", "/api/v1/dossiers/{code}/payments", "dossiers_pay",
	  api_dossiers_pay, "Records a payment at the counter; gives the "
	  "receipt." },
	{ "POST", "/api/v1/dossiers/{code}/refunds", "dossiers_refund",
	  api_dossiers_refund, "Records money paid back to the applicant; "
	  "gives the refund number." },
	{ "POST", "/api/v1/citizen/dossiers/{code}/payment-requests",
	  "citizen_payment_request", api_citizen_payment_request,
	  "A request to pay the dossier on a payment platform, with the "
	  "signed link to it." },
	{ "GET", "/api/v1/receipts/{number}", "receipts_get", api_receipts_get,
	  "A receipt (biên lai): unit, payer, dossier, fee items, amount in "
	  "figures and words." },
	{ "GET", "/api/v1/citizen/receipts/{number}", "citizen_receipt",
	  api_citizen_receipt, "One of the citizen's receipts." },
	{ "POST", "/api/v1/payments/reconciliation", "payments_reconcile",
	  api_payments_reconcile, "A payment platform's statement (CSV) "
	  "against the payments motcua took from it." },
	{ "POST", "/api/v1/payments/callbacks/{platform}", "payments_callback",
	  api_payments_callback, "A payment platform's signed callback: a "
	  "payment made or failed." },
	{ "GET", "/api/v1/citizen/dossiers/{code}/fees", "citizen_fees",
	  api_citizen_fees, "The fees of one of the citizen's dossiers." },
	{ "OPTIONS", "/api/v1/uploads", "uploads_options",
	  api_uploads_options, "What this server's tus 1.0 does." },
	{ "POST", "/api/v1/uploads", "uploads_create", api_uploads_create,
	  "Begins a resumable upload (tus creation)." },
	{ "HEAD", "/api/v1/uploads/{id}", "uploads_head", api_uploads_head,
	  "How much of an upload has arrived (tus)." },
	{ "GET", "/api/v1/uploads/{id}", "uploads_get", api_uploads_get,
	  "An upload, and the file it became." },
	{ "PATCH", "/api/v1/uploads/{id}", "uploads_patch", api_uploads_patch,
	  "The next bytes of an upload, at Upload-Offset (tus)." },
	{ "DELETE", "/api/v1/uploads/{id}", "uploads_delete",
	  api_uploads_delete, "Gives up an unfinished upload (tus "
	  "termination)." },
	{ "GET", "/api/v1/files/{sha256}", "files_get", api_files_get,
	  "A stored file, checked against its hash, with Range." },
	{ "PUT", "/api/v1/dossiers/{code}/components/{component}/scan",
	  "dossiers_scan", api_dossiers_scan, "Attaches a component's scan, "
	  "checked against the original and certified by the officer." },
	{ "GET", "/api/v1/citizen/documents", "citizen_documents",
	  api_citizen_documents, "The citizen's data store." },
	{ "POST", "/api/v1/citizen/documents", "citizen_documents_add",
	  api_citizen_documents_add, "Adds one of the citizen's uploads to "
	  "their store, unverified." },
	{ "GET", "/api/v1/me/access-log", "me_access_log", api_me_access_log,
	  "Who read the citizen's data, when, and for which dossier." },
	{ "GET", "/api/v1/people/{id}/documents", "people_documents",
	  api_people_documents, "A person's stored documents, for a dossier "
	  "of theirs (logged)." },
	{ "GET", "/api/v1/citizen/offers", "citizen_offers",
	  api_citizen_offers, "The citizen's stored documents a procedure's "
	  "components may reuse." },
	{ "GET", "/api/v1/people/{id}/offers", "people_offers",
	  api_people_offers, "At the counter: the applicant's stored "
	  "documents a procedure's components may reuse (logged)." },
	{ "GET", "/api/v1/documents/{id}/file", "documents_file",
	  api_documents_file, "A stored document's file, for a dossier of "
	  "its owner (logged)." },
	{ "POST", "/api/v1/documents/{id}/certify", "documents_certify",
	  api_documents_certify, "Certifies a document the owner added, "
	  "against the original, for a dossier of theirs." },
	{ "GET", "/api/v1/reports/bieu06", "reports_bieu06",
	  api_reports_bieu06, "Biểu số 06/VPCP/KSTT for a unit and a period, "
	  "as JSON or CSV." },
	{ "POST", "/api/v1/reports/bieu06/close", "reports_bieu06_close",
	  api_reports_bieu06_close, "Closes a period's Biểu 06 (chốt số "
	  "liệu): kept as it stands, with its hash." },
	{ "GET", "/api/v1/reports/index766", "reports_index766",
	  api_reports_index766, "The 766 index (Decision 766/QĐ-TTg) for a "
	  "unit, level, field and period: every indicator's counts, rate "
	  "and points, by group, and the total." },
	{ "GET", "/api/v1/reports/index766/records", "reports_index766_records",
	  api_reports_index766_records, "The procedures, dossiers or "
	  "feedback behind one number of the 766 index." },
	{ "GET", "/api/v1/reports/summary", "reports_summary",
	  api_reports_summary, "The figures of the half-year report for a "
	  "unit and a period: dossiers by level, on-time, online and "
	  "digitization rates, on-the-spot and postal service, SMS, ratings, "
	  "feedback by channel, payments, reuse, the 766 index's total." },
	{ "GET", "/api/v1/reports/register.pdf", "reports_register",
	  api_reports_register, "Sổ theo dõi hồ sơ: the register of a "
	  "one-stop centre for a period, as PDF." },
	{ "GET", "/api/v1/reports/charts/{name}", "reports_chart",
	  api_reports_chart, "A chart of the half-year figures as SVG: "
	  "online, on-time or digitization rates by level, or the 766 "
	  "index by group." },
	{ "GET", "/api/v1/stats/reuse", "stats_reuse", api_stats_reuse,
	  "Digitization, reuse and asked-again figures per unit and "
	  "procedure for a period." },
	{ "GET", "/api/v1/dossiers/{code}/forms/receipt.pdf",
	  "dossiers_form_receipt", api_dossiers_form_receipt, "Giấy tiếp "
	  "nhận hồ sơ và hẹn trả kết quả (Mẫu 01), as PDF." },
	{ "GET", "/api/v1/dossiers/{code}/forms/supplement.pdf",
	  "dossiers_form_supplement", api_dossiers_form_supplement, "Phiếu "
	  "yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02), as PDF." },
	{ "GET", "/api/v1/dossiers/{code}/forms/refusal.pdf",
	  "dossiers_form_refusal", api_dossiers_form_refusal, "Phiếu từ chối "
	  "tiếp nhận giải quyết hồ sơ (Mẫu 03), as PDF." },
	{ "GET", "/api/v1/dossiers/{code}/forms/apology.pdf",
	  "dossiers_form_apology", api_dossiers_form_apology, "Phiếu xin lỗi "
	  "và hẹn lại ngày trả kết quả (Mẫu 04), as PDF." },
	{ "GET", "/api/v1/dossiers/{code}/forms/control.pdf",
	  "dossiers_form_control", api_dossiers_form_control, "Phiếu kiểm "
	  "soát quá trình giải quyết hồ sơ (Mẫu 05), as PDF." },
	{ "GET", "/api/v1/dossiers/{code}/forms/stop.pdf",
	  "dossiers_form_stop", api_dossiers_form_stop, "Thông báo dừng giải "
	  "quyết hồ sơ, as PDF." },
	{ "GET", "/api/v1/dossiers/{code}/results", "dossiers_results",
	  api_dossiers_results, "The dossier's e-results: code, file, "
	  "signature, status." },
	{ "POST", "/api/v1/results/{code}/revoke", "results_revoke",
	  api_results_revoke, "Revokes an e-result (its unit); its stored "
	  "document follows." },
	{ "POST", "/api/v1/results/{code}/replace", "results_replace",
	  api_results_replace, "Replaces an e-result by a new file signed "
	  "by the actor's unit." },
	{ "GET", "/api/v1/verify/{code}", "verify", api_verify,
	  "Public verification of an e-result by its code: status, issuer, "
	  "date, hash; no personal data." },
	{ "GET", "/api/v1/verify/{code}/signature", "verify_signature",
	  api_verify_signature, "The e-result's CMS detached signature "
	  "(DER)." },
	{ "GET", "/api/v1/verify/{code}/certificate", "verify_certificate",
	  api_verify_certificate, "The certificate (and chain) the e-result "
	  "was signed with (PEM)." },
	{ "GET", "/api/v1/verify/{code}/qr.svg", "verify_qr", api_verify_qr,
	  "The verification link as a QR code (SVG)." },
	{ "GET", "/verify/{code}", "verify_page", api_verify_page,
	  "The verification page the QR code on a result opens (HTML)." },
	{ "GET", "/api/v1/keys/scan", "keys_scan", api_keys_scan,
	  "The public key that verifies certified scans." },
	{ "GET", "/api/v1/public/dossiers/{code}", "public_dossier",
	  api_public_dossier,
	  "The citizen's look-up by code and the phone's last 4 digits." },
};

const size_t mc_api_nroutes = MC_ARRAY_SIZE(mc_api_routes);
