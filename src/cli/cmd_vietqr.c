/*
 * cmd_vietqr.c — two small tools of the fees (docs/payments.md):
 * 'motcua vietqr' prints a VietQR payload, 'motcua words' an amount in
 * Vietnamese words, as receipts write it.
 */
#include "core/compat.h"
#include "core/err.h"
#include "cli/cli.h"
#include "domain/fees.h"
#include "domain/vietqr.h"

static const char vietqr_help[] =
	"usage: motcua vietqr --bin BIN --account ACCOUNT [--amount VND]\n"
	"                     [--purpose TEXT] [--name NAME]\n"
	"\n"
	"Prints the VietQR (NAPAS EMVCo) payload for a transfer to ACCOUNT at\n"
	"the bank BIN (6 digits): with --amount the amount is locked in the\n"
	"payer's app; --purpose is the transfer's description (at most 25\n"
	"ASCII characters, e.g. a dossier code), --name the account's name.\n";

int mc_cmd_vietqr(struct mc_app *app, int argc, char **argv, char **envp)
{
	static const struct mc_opt opts[] = {
		{ "bin", true, false }, { "account", true, false },
		{ "amount", true, false }, { "purpose", true, false },
		{ "name", true, false }, { NULL, false, false }
	};
	struct mc_err err = MC_ERR_INIT;
	struct mc_vietqr q;
	struct mc_args a;
	char out[MC_VIETQR_MAX], *end;
	const char *v;
	int rc = mc_cli_parse("vietqr", argc, argv, opts, false, &a);

	(void)app;
	(void)envp;
	if (rc)
		return rc;
	if (a.help) {
		fputs(vietqr_help, stdout);
		return 0;
	}
	if (a.npos)
		return fprintf(stderr, "motcua vietqr: unexpected argument "
			       "'%s'\n", a.pos[0]), 2;
	memset(&q, 0, sizeof(q));
	if (!mc_cli_value(&a, 0) || !mc_cli_value(&a, 1))
		return fprintf(stderr, "motcua vietqr: --bin and --account are "
			       "required\n"), 2;
	if (strlen(mc_cli_value(&a, 0)) >= sizeof(q.bin) ||
	    strlen(mc_cli_value(&a, 1)) >= sizeof(q.account))
		return fprintf(stderr, "motcua vietqr: --bin: 6 digits; "
			       "--account: at most 19 letters or digits\n"), 2;
	snprintf(q.bin, sizeof(q.bin), "%s", mc_cli_value(&a, 0));
	snprintf(q.account, sizeof(q.account), "%s", mc_cli_value(&a, 1));
	if ((v = mc_cli_value(&a, 2))) {
		errno = 0;
		q.amount = strtoll(v, &end, 10);
		if (!*v || *end || errno || q.amount < 0)
			return fprintf(stderr, "motcua vietqr: --amount: a "
				       "whole number of đồng\n"), 2;
	}
	if ((v = mc_cli_value(&a, 3)) && strlen(v) >= sizeof(q.purpose))
		return fprintf(stderr, "motcua vietqr: --purpose: at most 25 "
			       "ASCII characters\n"), 2;
	snprintf(q.purpose, sizeof(q.purpose), "%s", v ? v : "");
	if ((v = mc_cli_value(&a, 4)) && strlen(v) >= sizeof(q.name))
		return fprintf(stderr, "motcua vietqr: --name: at most 25 ASCII "
			       "characters\n"), 2;
	snprintf(q.name, sizeof(q.name), "%s", v ? v : "");
	if (mc_vietqr_build(&q, out, sizeof(out), &err)) {
		if (err.nfields)
			fprintf(stderr, "motcua vietqr: --%s: %s\n",
				err.fields[0].field, err.fields[0].message);
		else
			fprintf(stderr, "motcua vietqr: %s\n", err.message);
		return 2;
	}
	puts(out);
	return 0;
}

static const char words_help[] =
	"usage: motcua words AMOUNT\n"
	"\n"
	"Prints AMOUNT (whole đồng, up to 999,999,999,999,999) in Vietnamese\n"
	"words, as a receipt writes it: 150000 → Một trăm năm mươi nghìn đồng.\n";

int mc_cmd_words(struct mc_app *app, int argc, char **argv, char **envp)
{
	struct mc_args a;
	char out[512], *end;
	long long v;
	int rc = mc_cli_parse("words", argc, argv, NULL, false, &a);

	(void)app;
	(void)envp;
	if (rc)
		return rc;
	if (a.help) {
		fputs(words_help, stdout);
		return 0;
	}
	if (a.npos != 1)
		return fputs(words_help, stderr), 2;
	errno = 0;
	v = strtoll(a.pos[0], &end, 10);
	if (!a.pos[0][0] || *end || errno || v < 0 || v > 999999999999999LL ||
	    strspn(a.pos[0], "0123456789") != strlen(a.pos[0]))
		return fprintf(stderr, "motcua words: '%s': a whole number of "
			       "đồng from 0 to 999999999999999\n", a.pos[0]),
		       2;
	puts(mc_fee_words(v, out, sizeof(out)));
	return 0;
}
