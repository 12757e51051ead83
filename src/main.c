/*
 * main.c — the motcua binary: everything happens in the commands
 * (src/cli/).
 */
#include "core/compat.h"
#include "cli/cli.h"

int main(int argc, char **argv, char **envp)
{
	return mc_cli_main(argc, argv, envp);
}
