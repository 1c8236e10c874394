/*
 * bench-classify: how fast passages are cut and classified (make bench).
 *
 * Two figures: every version of the corpus ($CLAUSE_SHARED/corpus/versions,
 * 722 files) segmented and matched against the embedded rules, as
 * passages per second; and the first run's share of it, classifying the
 * newest version of every document of the embedded dataset in a new
 * database (what clause does once after loading the dataset).
 */

#include "config.h"

#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "assets.h"
#include "classify.h"
#include "dataset.h"
#include "store.h"
#include "testutil.h"

/* nftw gives no context pointer: the walk's state, used by one walk only. */
static struct corpus_walk {
	struct classifier *c;
	double seconds;		/* Spent segmenting and matching. */
	long files;
	long passages;
	long given;
	size_t bytes;
	int failed;
} walk;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
count_passage(const struct classify_passage *p, void *ctx)
{
	(void)p;
	(void)ctx;
	walk.passages++;
	return 0;
}

static int
count_given(const struct classify_passage *p, void *ctx)
{
	(void)p;
	(void)ctx;
	walk.given++;
	return 0;
}

static int
read_version(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	char err[256];
	FILE *fp;
	char *text;
	size_t len = (size_t)sb->st_size;
	double start;

	(void)ftw;
	if (type != FTW_F || strlen(path) < 3 || strcmp(path + strlen(path) - 3, ".md") != 0)
		return 0;
	if ((text = malloc(len + 1)) == NULL || (fp = fopen(path, "rb")) == NULL) {
		free(text);
		perror(path);
		walk.failed = 1;
		return 1;
	}
	len = fread(text, 1, len, fp);
	fclose(fp);
	text[len] = '\0';
	start = now();
	if (classifier_text(walk.c, text, len, 1, count_passage, NULL, err, sizeof(err)) != 0
	    || classifier_text(walk.c, text, len, 0, count_given, NULL, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench-classify: %s: %s\n", path, err);
		walk.failed = 1;
	}
	/* Two passes (all passages, then those given a kind): count one. */
	walk.seconds += (now() - start) / 2;
	walk.files++;
	walk.bytes += len;
	free(text);
	return walk.failed;
}

static int
bench_corpus(const char *shared)
{
	char path[4096], err[256];

	snprintf(path, sizeof(path), "%s/corpus/versions", shared);
	if ((walk.c = classifier_open(err, sizeof(err))) == NULL) {
		fprintf(stderr, "bench-classify: %s\n", err);
		return -1;
	}
	if (nftw(path, read_version, 16, FTW_PHYS) != 0 || walk.failed) {
		fprintf(stderr, "bench-classify: cannot read '%s'\n", path);
		classifier_close(walk.c);
		return -1;
	}
	classifier_close(walk.c);
	printf("classify: the whole corpus, %ld versions, %.1f MB: %ld passages (%ld given a kind)"
	       " in %.3f s: %.0f passages/s, %.1f MB/s\n",
	       walk.files, (double)walk.bytes / 1e6, walk.passages, walk.given, walk.seconds,
	       (double)walk.passages / walk.seconds, (double)walk.bytes / 1e6 / walk.seconds);
	return 0;
}

static int
bench_first_run(void)
{
	char err[512], *dir = test_tmpdir(), *path = test_path(dir, "b.db");
	struct dataset *ds;
	struct store *st;
	double start, loaded, classified;
	int rc = -1;

	start = now();
	if ((ds = dataset_parse(assets_table(), err, sizeof(err))) == NULL
	    || (st = store_open(path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "bench-classify: %s\n", err);
		dataset_free(ds);
		goto out;
	}
	if (store_load_dataset(st, ds, assets_digest()) != STORE_OK) {
		fprintf(stderr, "bench-classify: %s\n", store_errmsg(st));
		goto close;
	}
	loaded = now();
	if (classify_all_documents(st, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench-classify: %s\n", err);
		goto close;
	}
	classified = now();
	printf("classify: first run, dataset parsed and loaded in %.3f s, its documents"
	       " classified in %.3f s\n", loaded - start, classified - loaded);
	rc = 0;
close:
	store_close(st);
	dataset_free(ds);
out:
	free(path);
	test_rmdir(dir);
	return rc;
}

int
main(void)
{
	const char *shared = getenv("CLAUSE_SHARED");

	if (shared == NULL || *shared == '\0')
		shared = "../shared";
	if (bench_corpus(shared) != 0 || bench_first_run() != 0)
		return 1;
	return 0;
}
