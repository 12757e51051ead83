/*
 * registrysrv.h — a local national population database for the tests:
 * a real HTTP server on loopback answering the SOAP operation
 * TraCuuThongTinCongDan (namespace http://dancuquocgia.bca, integration
 * code 037), and the business database's JSON ChiTietDoanhNghiep, as
 * docs/registries.md describes them, which the production
 * client (src/jobs/registry.c) talks to. It checks the bearer token and
 * the request's fields, knows the people it is given, and can be slow or
 * fail.
 */
#ifndef MC_TESTS_REGISTRYSRV_H
#define MC_TESTS_REGISTRYSRV_H

enum th_registry_mode {
	TH_REGISTRY_UP,
	TH_REGISTRY_SLOW,	/* answers after 2 s */
	TH_REGISTRY_FAIL	/* 500 */
};

struct th_registry;

struct th_registry *th_registry_start(const char *token);
/* "http://127.0.0.1:PORT/dancu" */
const char *th_registry_url(const struct th_registry *g);
/* "http://127.0.0.1:PORT/dkkd": the business database, same token. */
const char *th_registry_business_url(const struct th_registry *g);
/* A business it knows, with one representative. */
void th_registry_add_business(struct th_registry *g, const char *tax,
			      const char *name, const char *type,
			      const char *founded, const char *address,
			      const char *representative);
void th_registry_mode(struct th_registry *g, enum th_registry_mode m);
/*
 * A person it knows: the name in its three parts, birth YYYYMMDD, sex
 * "1" or "2", permanent address, and the household head's name and
 * relation.
 */
void th_registry_add(struct th_registry *g, const char *id, const char *ho,
		     const char *dem, const char *ten, const char *born,
		     const char *sex, const char *address, const char *head,
		     const char *relation);
/*
 * Requests answered so far, and the last one's MaCanBo and MaDVC into
 * 'officer' and 'service' (64 bytes each; may be NULL).
 */
int th_registry_requests(struct th_registry *g, char *officer, char *service);
void th_registry_stop(struct th_registry *g);

#endif /* MC_TESTS_REGISTRYSRV_H */
