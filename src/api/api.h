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

/* openapi.c */
void api_openapi(struct mc_req *r);

#endif /* MC_API_API_H */
