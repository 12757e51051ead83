/*
 * registry.h — the national population database (CSDLQG về dân cư) as
 * the counter asks it (docs/registries.md): a person by personal identity
 * number, through the province's integration gateway, as the SOAP
 * operation TraCuuThongTinCongDan (integration code 037) the database
 * offers, with a bearer token. Answers are kept a short while (the same
 * applicant asked for twice at the counter is one request), the request
 * has a time limit short enough never to hold an officer's screen, and
 * every look-up's purpose is the caller's to log.
 */
#ifndef MC_JOBS_REGISTRY_H
#define MC_JOBS_REGISTRY_H

#include "core/compat.h"
#include "core/err.h"

struct mc_registry_opts {
	const char *url;		/* the gateway's SOAP endpoint; "": off */
	const char *token;		/* its bearer token */
	const char *business_url;	/* business registry; "": off */
	const char *business_token;
	int64_t timeout_ms;		/* a look-up's limit */
	int64_t cache_s;		/* how long an answer is kept */
	int cache_max;			/* answers kept at most */
	int64_t (*now)(void *arg);	/* seconds (the test clock) */
	void *now_arg;
};

/* A person as the database knows them. */
struct mc_person {
	char id_number[16];		/* SoDinhDanh */
	char name[256];			/* Ho ChuDem Ten */
	char birth_date[16];		/* YYYY-MM-DD, or YYYY when only that */
	char sex[16];			/* "Nam", "Nữ", or "" */
	char permanent_address[512];	/* ThuongTru */
	char current_address[512];	/* NoiOHienTai */
	char hometown[512];		/* QueQuan */
	char head_name[256];		/* ChuHo */
	char head_relation[64];		/* ChuHo.QuanHe */
	int64_t fetched_at;		/* when the database said it */
	bool cached;			/* this answer was kept, not asked */
};

/* A business as the national business registration database knows it. */
struct mc_business {
	char tax_code[16];		/* ENTERPRISE_GDT_CODE */
	char name[512];			/* NAME */
	char short_name[256];		/* SHORT_NAME */
	char foreign_name[512];		/* NAME_F */
	char type[256];			/* ENTERPRISE_TYPE_NAME */
	char status[128];		/* ENTERPRISE_STATUS_NAME */
	char founded[16];		/* FOUNDING_DATE as YYYY-MM-DD */
	char address[512];		/* HOAdress.AddressFullText */
	int nrepresentatives;
	char representatives[4][256];	/* FULL_NAME of each */
	int64_t fetched_at;
};

struct mc_registry;

/* A client; NULL when neither database is configured. */
struct mc_registry *mc_registry_new(const struct mc_registry_opts *o);
void mc_registry_free(struct mc_registry *r);

/*
 * Looks up 'id_number' (12 digits) for officer 'officer' and procedure
 * 'procedure' (MaDVC; may be ""). 0 with 'out'; MC_ENOTFOUND when the
 * database has no such person; MC_ETIMEOUT when it did not answer in
 * time, MC_EIO when it answered an error (either way the officer types
 * the applicant in). Thread safe.
 */
int mc_registry_person(struct mc_registry *r, const char *id_number,
		       const char *officer, const char *procedure,
		       struct mc_person *out, struct mc_err *err);

/*
 * Looks up business 'tax_code' (10 or 13 digits, "0100109106-001") in the
 * business registration database through the province's gateway (JSON
 * {"type": "ChiTietDoanhNghiep", "msdn"}, docs/registries.md). The same
 * results as mc_registry_person; MC_ENOTFOUND also when the business
 * database is not configured is the caller's to prevent.
 */
int mc_registry_business(struct mc_registry *r, const char *tax_code,
			 struct mc_business *out, struct mc_err *err);
bool mc_registry_has_business(const struct mc_registry *r);
bool mc_registry_has_person(const struct mc_registry *r);

#endif /* MC_JOBS_REGISTRY_H */
