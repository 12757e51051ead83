/*
 * portalsrv.h — a local national portal for the tests: a real HTTP server
 * on loopback speaking the portal's protocol of docs/national-portal.md
 * (a client-credentials token, then dossiers created, updated, looked
 * up, and their steps), which the production sender (src/jobs/portal.c) talks to.
 * It checks what the portal checks (the token, the required fields, the
 * codes), honours idempotency keys (a request repeated is answered as
 * before and not recorded twice), and can be told to be down, to drop
 * connections, to limit the rate, or to refuse one dossier. It serves
 * the files of the dossiers filed on it.
 */
#ifndef MC_TESTS_PORTALSRV_H
#define MC_TESTS_PORTALSRV_H

#include <stdbool.h>
#include <stddef.h>

enum th_portal_mode {
	TH_PORTAL_UP,		/* answers */
	TH_PORTAL_DOWN,		/* 503 to everything */
	TH_PORTAL_DROP,		/* closes connections without answering */
	TH_PORTAL_LIMIT		/* 429 with Retry-After: 60 */
};

struct th_portal;

/* Starts a portal that gives tokens to 'client_id' with 'secret'. */
struct th_portal *th_portal_start(const char *client_id, const char *secret);
/* "http://127.0.0.1:PORT" */
const char *th_portal_url(const struct th_portal *p);
void th_portal_mode(struct th_portal *p, enum th_portal_mode m);
/*
 * Dossier 'code' — its MaHoSo, or its applicant's name (ChuHoSo), known
 * before the dossier is — is refused from now on (NULL: none).
 */
void th_portal_refuse(struct th_portal *p, const char *code);

/* A dossier as the portal holds it. */
struct th_portal_dossier {
	char code[96];
	char procedure[64];	/* MaTTHC */
	int status;		/* TrangThaiHoSo */
	int channel;		/* KenhThucHien */
	char received[16];	/* NgayTiepNhan */
	char due[16];		/* NgayHenTra */
	int writes;		/* creations and updates recorded */
	int papers;		/* TaiLieuNop */
	int digitized;		/* HoSoCoThanhPhanSoHoa */
	int paid_online;	/* DuocThanhToanTrucTuyen */
	int fees;		/* DanhSachLePhi */
	int results;		/* DanhSachGiayToKetQua */
	char result_link[256];	/* the first one's DuongDanTepTinKetQua */
	int nsteps;
	struct {
		int status;	/* TrangThai */
		char by[128];	/* NguoiXuLy */
		char what[512];	/* NoiDungXuLy */
		char at[16];	/* ThoiDiemXuLy */
	} steps[32];		/* in the order they came */
};

/* Dossier 'code' (copied into 'out'), or false. */
bool th_portal_dossier(struct th_portal *p, const char *code,
		       struct th_portal_dossier *out);
/* Sets what the portal holds of 'code' (a drift for the reconciliation). */
void th_portal_set_status(struct th_portal *p, const char *code, int status);
/* The portal loses 'code' altogether. */
void th_portal_forget(struct th_portal *p, const char *code);
/*
 * A dossier filed on the portal ('hoso': its JSON, as the portal hands it
 * over), for motcua to take in: answered to every request for those filed
 * since its NgayNopHoSo.
 */
void th_portal_file(struct th_portal *p, const char *hoso);

/*
 * A file the portal serves at "<url>/tep/<name>" (public, no token): its
 * 'n' bytes, or, with 'status' other than 200, that status and no file
 * (a 3xx: the bytes are the Location it moved to). Set again to change
 * it.
 */
void th_portal_put_file(struct th_portal *p, const char *name,
			const void *bytes, size_t n, int status);
/* How many times file 'name' was asked for. */
int th_portal_file_hits(struct th_portal *p, const char *name);

struct th_portal_counts {
	int requests;		/* every request, answered or not */
	int repeats;		/* requests with a key seen before */
	int tokens;		/* tokens given */
	int refused;		/* answers that refused data */
};

void th_portal_counts(struct th_portal *p, struct th_portal_counts *out);
void th_portal_stop(struct th_portal *p);

#endif /* MC_TESTS_PORTALSRV_H */
