/*
 * replay.c — the main() of a harness in an ordinary build (no libFuzzer):
 * runs LLVMFuzzerTestOneInput once over every file named on the command
 * line, a directory standing for each file in it (sorted, not recursive,
 * dot files skipped). Under ASan/UBSan any finding aborts, so ctest's
 * fuzz_replay_<name> replays the corpus, regression inputs included.
 */
#include "core/compat.h"
#include "core/mem.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data;
	long n;

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "replay: %s: cannot size\n", path);
		fclose(f);
		return -1;
	}
	/* Exactly 'n' bytes, so that ASan sees a read past the input. */
	data = mc_malloc(n ? (size_t)n : 1);
	if (n && fread(data, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "replay: %s: short read\n", path);
		mc_free(data);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(data, (size_t)n);
	mc_free(data);
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_dot(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int run_path(const char *path, int *count)
{
	struct dirent **list;
	struct stat st;
	char file[4096];
	int n, i, rc = 0;

	if (stat(path, &st)) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	n = scandir(path, &list, not_dot, by_name);
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		snprintf(file, sizeof(file), "%s/%s", path, list[i]->d_name);
		if (stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
			(*count)++;
			if (run_file(file))
				rc = -1;
		}
		free(list[i]);	/* scandir's own allocation */
	}
	free(list);
	return rc;
}

int main(int argc, char **argv)
{
	int i, count = 0, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		if (run_path(argv[i], &count))
			rc = 1;
	printf("replay: %d inputs%s\n", count, rc ? ", some unreadable" : "");
	return rc || count == 0;
}
