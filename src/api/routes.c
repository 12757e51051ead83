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
};

const size_t mc_api_nroutes = MC_ARRAY_SIZE(mc_api_routes);
