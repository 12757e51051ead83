/*
 * portal.h — the national portal's queue as stored (docs/national-
 * portal.md): every event of a dossier, queued in the transaction that
 * makes it with what the portal is to be told (the dossier as it then
 * stands, HoSo, and the step, TienDo), taken by the sender
 * (jobs/portal.c) one dossier's events in order, and what the portal
 * holds of each dossier.
 */
#ifndef MC_STORE_PORTAL_H
#define MC_STORE_PORTAL_H

#include "core/compat.h"
#include "core/err.h"
#include "store/dossiers.h"
#include "store/store.h"

struct mc_calendar;
struct json_t;

/*
 * 'j' as compact JSON text with 'flags' (jansson's) added, from
 * mc_malloc (mc_free it); NULL when it cannot be encoded.
 */
char *mc_portal_json(const struct json_t *j, size_t flags);

/* Who did what: the step as the portal records it. */
struct mc_portal_step {
	const char *event;		/* "intake", an action's name, "paid" */
	const char *by;			/* NguoiXuLy: a name ("Hệ thống") */
	const char *title;		/* ChucDanh; may be "" */
	const char *unit;		/* PhongBanXuLy; may be "" */
	const char *note;		/* NoiDungXuLy after the action's words */
	const char *tag;		/* NULL; a repair: added to the key */
	const char *public_url;		/* base of e-results' public links */
};

/*
 * Write, in the dossier write's transaction: queues the event that left
 * dossier 'd' at its row_version, under the key "<code>/<row_version>"
 * ("<code>/<row_version>/<tag>" with a tag), queued once whatever retries
 * the write. 0 or an error.
 */
int mc_portal_enqueue(struct mc_conn *c, const struct mc_dossier *d,
		      const struct mc_portal_step *step, int64_t now,
		      struct mc_err *err);

/*
 * Write: dossier 'dossier_id' is 'portal_code' on the portal (filed
 * there): its events are sent under that MaHoSo. MC_ECONFLICT when the
 * portal's code is another dossier's already.
 */
int mc_portal_code(struct mc_conn *c, int64_t dossier_id,
		   const char *portal_code, struct mc_err *err);

/* One queued event, as the sender takes it. */
struct mc_portal_item {
	int64_t id, dossier_id, seq;
	char code[96];			/* MaHoSo */
	char key[256];
	char event[32];
	int portal_status;
	int attempts;			/* with this one */
	int64_t lease;			/* taken until: the holder's mark */
	char *body;			/* owned: mc_portal_item_release */
};

void mc_portal_item_release(struct mc_portal_item *it);

/*
 * Write: takes up to 'max' events due at 'now' — each the first of its
 * dossier not yet taken by the portal — for 'lease_s' seconds, oldest
 * first. An event whose lease ran out (a sender that died) is due again.
 * How many, or an error.
 */
int mc_portal_claim(struct mc_conn *c, int64_t now, int64_t lease_s, int max,
		    struct mc_portal_item *out, struct mc_err *err);

enum mc_portal_outcome {
	MC_PORTAL_SYNCED,	/* the portal took it */
	MC_PORTAL_RETRY,	/* try again at 'next_at' */
	MC_PORTAL_REJECTED,	/* the portal refused it: stays until fixed */
	MC_PORTAL_PUT_BACK	/* not tried (the portal is down): as it was */
};

/*
 * Write: records what became of 'it'. 'cause' (transport, unavailable,
 * rate_limited, auth, conflict, rejected) and 'error' say why it was not
 * taken. Only while 'it' is still this sender's (its lease): an event
 * whose lease ran out and that another sender took is left to that one.
 */
int mc_portal_done(struct mc_conn *c, const struct mc_portal_item *it,
		   enum mc_portal_outcome o, int64_t next_at,
		   const char *cause, const char *error, int64_t now,
		   struct mc_err *err);

/* The state of the sync, for the dashboard. */
struct mc_portal_stats {
	int64_t pending;		/* events not taken yet */
	int64_t rejected;		/* refused, waiting for a fix */
	int64_t synced;			/* taken */
	int64_t oldest_pending_at;	/* MC_NO_TIME when none */
	int64_t last_synced_at;		/* MC_NO_TIME when none */
	int64_t never_synced;		/* dossiers the portal has not yet */
	int64_t checked_at;		/* the last comparison; MC_NO_TIME */
	int64_t drifted;		/* dossiers it last found different */
	int64_t inbound_taken;		/* filed on the portal, taken in */
	int64_t inbound_failed;		/* filed there, not taken in (yet) */
	int nnot_taken;
	struct {
		char code[96];		/* MaHoSo */
		char error[512];
		int64_t at;		/* last tried */
	} not_taken[10];		/* the latest of those */
	int ncauses;
	struct {
		char cause[32];
		int64_t n;
	} causes[8];			/* of pending and rejected, most first */
};

int mc_portal_stats(struct mc_conn *c, struct mc_portal_stats *out,
		    struct mc_err *err);

/* A dossier the reconciliation compares with the portal. */
struct mc_portal_check {
	int64_t dossier_id;
	char code[96];			/* MaHoSo */
	char dossier_code[96];		/* motcua's */
	int portal_status;		/* what it should be */
};

/*
 * Read: up to 'max' dossiers with id above 'after' that the portal has
 * got and that have nothing waiting for it, open or finished since
 * 'since', in id order. How many, or an error.
 */
int mc_portal_to_check(struct mc_conn *c, int64_t since, int64_t after,
		       int max, struct mc_portal_check *out,
		       struct mc_err *err);

/*
 * Write: records the comparison of 'ck' at 'now' ('drift' NULL: none);
 * with a drift, queues the dossier as it stands, tagged "re-<day>": once
 * a day at most, it is sent like any event and puts the portal right.
 */
int mc_portal_checked(struct mc_conn *c, const struct mc_portal_check *ck,
		      const char *drift, const char *public_url, int64_t now,
		      struct mc_err *err);

#define MC_PORTAL_URL_MAX 1024

/*
 * A dossier filed on the portal, as motcua takes it in: the intake (its
 * MaHoSo in in.portal_code), the files of its papers to fetch, and what
 * the applicant paid on a payment platform before it came.
 */
struct mc_portal_filed {
	struct mc_intake in;
	int nfiles;
	struct {
		char url[MC_PORTAL_URL_MAX];	/* DuongDanTaiTepTin */
		char name[256];			/* TenTepDinhKem */
		int component;			/* in in.components */
		int paper;			/* in TaiLieuNop, from 0 */
		/* Once fetched and stored (in in.components too): */
		int64_t size;
		char media_type[32];
	} files[MC_PROC_MAX_COMPONENTS];
	char paid_on[16];		/* "dvcqg", "gateway"; "" not paid */
	int64_t paid;			/* the sum of DanhSachLePhi's Gia */
	int64_t paid_at;		/* NgayThanhToan, else NgayNopHoSo */
	char transaction[72];		/* MaGiaoDich, else the MaHoSo */
	char tech_id[64];		/* MaDoiTuong: the portal account */
};

/*
 * Dossier 'hoso' as the portal hands it over (docs/national-portal.md
 * "Dossiers filed on the portal") into 'f' (online). MC_EINVAL naming
 * the field when one is missing or wrong. The files are not fetched: the
 * caller does it (jobs/portal.h, mc_portal_fetch) and fills each
 * component's file.
 */
int mc_portal_intake_of(const struct json_t *hoso, struct mc_portal_filed *f,
			struct mc_err *err);

/*
 * Write: takes in the dossier filed on the portal as 'f' (its files
 * fetched and stored; body 'body' as received), submitted online by the
 * portal's actor, with the files of its papers and the payment it came
 * with: 0 with the new dossier in 'out'; 1 when it was taken in already
 * (nothing done); or the error of the intake (then record it with
 * mc_portal_inbound_failed in a write of its own).
 */
int mc_portal_take_in(struct mc_conn *c, const struct mc_calendar *cal,
		      const struct mc_portal_filed *f, const char *body,
		      int64_t now, struct mc_dossier *out, struct mc_err *err);
/* Write: keeps dossier 'portal_code' ('body') as not taken in, and why. */
int mc_portal_inbound_failed(struct mc_conn *c, const char *portal_code,
			     const char *body, const char *error, int64_t now,
			     struct mc_err *err);
/*
 * The dossier filed on the portal as 'portal_code' (its MaHoSo, or
 * motcua's code) kept as not taken in: its body into '*body' (mc_free
 * it), or NULL when there is none.
 */
int mc_portal_not_taken(struct mc_conn *c, const char *code, char **body,
			struct mc_err *err);
/*
 * Write, after staff put right what the portal refused: dossier 'code'
 * (the portal's MaHoSo or motcua's) — its refused events queued again
 * with the dossier as it now stands, and, if it was filed on the portal
 * and not taken in, taken in now as 'filed' (the body
 * mc_portal_not_taken gave, its files fetched; NULL: there was none).
 * '*events' is how many events were queued again; '*taken' whether it
 * was taken in now. MC_ENOTFOUND when there is nothing of 'code' to
 * retry; the intake's error when it still cannot be taken in.
 */
int mc_portal_retry(struct mc_conn *c, const struct mc_calendar *cal,
		    const struct mc_notify *n, const char *code,
		    const struct mc_portal_filed *filed, const char *body,
		    int64_t now, int *events, bool *taken, struct mc_err *err);

/* The value of 'name' in portal_state into 'out' ("" when none). */
int mc_portal_state_get(struct mc_conn *c, const char *name, char *out,
			size_t n, struct mc_err *err);
/* Write: sets 'name' in portal_state. */
int mc_portal_state_set(struct mc_conn *c, const char *name,
			const char *value, struct mc_err *err);

#endif /* MC_STORE_PORTAL_H */
