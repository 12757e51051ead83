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
	{ "GET", "/api/v1/procedures", "procedures_list", api_procedures_list,
	  "The procedure catalog, searchable without diacritics." },
	{ "POST", "/api/v1/procedures", "procedures_create",
	  api_procedures_create,
	  "Adds a draft version of a procedure (procedure control)." },
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
	{ "GET", "/api/v1/dossiers/{code}", "dossiers_get", api_dossiers_get,
	  "One dossier with its steps, pauses, components and the actions "
	  "the user may take." },
	{ "POST", "/api/v1/dossiers/{code}/actions", "dossiers_act",
	  api_dossiers_act, "Takes an action on a dossier." },
	{ "GET", "/api/v1/dossiers/{code}/events", "dossiers_events",
	  api_dossiers_events, "The dossier's hash-chained event log." },
	{ "GET", "/api/v1/public/dossiers/{code}", "public_dossier",
	  api_public_dossier,
	  "The citizen's look-up by code and the phone's last 4 digits." },
};

const size_t mc_api_nroutes = MC_ARRAY_SIZE(mc_api_routes);
