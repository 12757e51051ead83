/*
 * bench_results.c — the cost of an e-result on one core: drawing the
 * generated PDF (render/result_pdf.c), signing a file's digest with a
 * unit's ECDSA P-256 key as CMS (files/sign.c), and checking such a
 * signature (what every public verification does). The median of the
 * runs, with the spread. Usage:
 *
 *	bench_results [--iterations N] [--runs R]
 *
 * It makes a throw-away CA and unit key in a temporary directory.
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/err.h"
#include "files/sign.h"
#include "render/result_pdf.h"

#include <ftw.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int rm_entry(const char *p, const struct stat *st, int flag,
		    struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(p);
}

enum { K_DRAW, K_SIGN, K_CHECK, NKIND };

static const char *const names[NKIND] = {
	"draw the generated result (PDF, A4)",
	"sign a digest (CMS, ECDSA P-256)",
	"check a signature (CMS)",
};

int main(int argc, char **argv)
{
	static const struct mc_result_doc doc = {
		"Ủy ban nhân dân tỉnh Quảng Ngãi", "Sở Tư pháp tỉnh Quảng Ngãi",
		"14/GKS", "Quảng Ngãi", 1795000000, "Giấy khai sinh",
		"Thủ tục đăng ký khai sinh", "000.00.01.H51-261118-0003",
		"Lê Thị Kết Quả", "Khai sinh cho cháu Lê Minh An",
		"Phạm Văn Lãnh", "KQ-7F3M-Q2XA-9RTB-K4WD",
		"https://dichvucong.quangngai.gov.vn/verify/"
		"KQ-7F3M-Q2XA-9RTB-K4WD"
	};
	struct mc_err err = MC_ERR_INIT;
	struct mc_signer *s = NULL;
	unsigned char digest[32], *der = NULL;
	char dir[] = "/tmp/bench-results-XXXXXX";
	long iterations = 200, runs = 5, i, r;
	double *rates[NKIND];
	size_t n = 0;
	int a, k, rc = 0;

	for (a = 1; a + 1 < argc; a += 2) {
		if (!strcmp(argv[a], "--iterations"))
			iterations = strtol(argv[a + 1], NULL, 10);
		else if (!strcmp(argv[a], "--runs"))
			runs = strtol(argv[a + 1], NULL, 10);
	}
	if (iterations < 1 || runs < 1) {
		fputs("usage: bench_results [--iterations N] [--runs R]\n",
		      stderr);
		return 2;
	}
	if (!mkdtemp(dir) || mc_keys_make_ca(dir, "bench CA", 0, 10, &err) ||
	    mc_keys_issue(dir, "U1", "Đơn vị", "", 0, 10, false, &err) ||
	    mc_signer_load(dir, "U1", &s, &err)) {
		fprintf(stderr, "bench_results: %s\n", err.message);
		return 1;
	}
	memset(digest, 0x5a, sizeof(digest));
	for (k = 0; k < NKIND; k++)
		rates[k] = calloc((size_t)runs, sizeof(double));
	for (r = 0; r < runs && !rc; r++) {
		for (k = 0; k < NKIND && !rc; k++) {
			/* Drawing is slow: a tenth of the iterations. */
			long its = k == K_DRAW ? (iterations + 9) / 10 :
				iterations;
			double t0 = now_s();

			for (i = 0; i < its && !rc; i++) {
				if (k == K_DRAW) {
					struct mc_buf b = MC_BUF_INIT(4 << 20);

					rc = mc_render_result_pdf(&doc, &b,
								  &err);
					mc_buf_release(&b);
				} else if (k == K_SIGN) {
					free(der);
					rc = mc_sign_digest(s, digest,
							    1795000000, &der,
							    &n, &err);
				} else {
					rc = mc_sign_check(der, n, digest,
							   NULL, &err);
				}
			}
			rates[k][r] = (double)its / (now_s() - t0);
		}
	}
	if (rc) {
		fprintf(stderr, "bench_results: %s\n", err.message);
	} else {
		printf("e-result benchmark: %ld signatures per run (%ld "
		       "drawings), %ld runs, median (min–max) on one core\n",
		       iterations, (iterations + 9) / 10, runs);
		for (k = 0; k < NKIND; k++) {
			qsort(rates[k], (size_t)runs, sizeof(double),
			      cmp_double);
			printf("  %-40s %9.1f /s  (%.1f–%.1f)\n", names[k],
			       rates[k][runs / 2], rates[k][0],
			       rates[k][runs - 1]);
		}
	}
	for (k = 0; k < NKIND; k++)
		free(rates[k]);
	free(der);
	mc_signer_free(s);
	nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	return rc ? 1 : 0;
}
