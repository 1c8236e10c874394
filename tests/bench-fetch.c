/*
 * bench-fetch: clause fetch against the local test server, as a user runs
 * it: the real binary, 1,000 documents that each answer after 20 ms.
 *
 * It prints the wall time against the ideal (documents x latency /
 * concurrency) as a ratio, and the fetch's peak RSS; then a second pass in
 * which every document answers 304, with the bytes of body the server sent
 * in each pass.  Target: within 1.3 times the ideal.  The fetch runs with
 * --no-classify, and the time the next start takes to find the provisions
 * of the 1,000 new versions is printed apart: that work is the
 * classifier's, done once per new text, off the network's path.  A benchmark reports
 * and does not judge: it exits 0 when a target is missed, 1 only when
 * something failed.
 */

#include "config.h"

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "httpd.h"
#include "store.h"
#include "testutil.h"

#define DOCUMENTS 1000
#define LATENCY_MS 20
#define JOBS 16

extern char **environ;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run clause with args after --db DB; its wall time and peak RSS (kB). */
static int
run_timed(const char *db, const char *const *args, double *seconds, long *rss_kb)
{
	const char *bin = getenv("CLAUSE_BIN"), *argv[16];
	size_t n = 0;
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	double start;
	pid_t pid;
	int status;

	if (bin == NULL) {
		fprintf(stderr, "bench-fetch: CLAUSE_BIN is not set\n");
		return -1;
	}
	argv[n++] = bin;
	argv[n++] = "--db";
	argv[n++] = db;
	while (*args != NULL && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", 01, 0);
	start = now_s();
	/* posix_spawn takes char *const[] but does not change the strings. */
	if (posix_spawn(&pid, bin, &fa, NULL, (char *const *)argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		perror("bench-fetch: posix_spawn");
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("bench-fetch: wait4");
		return -1;
	}
	*seconds = now_s() - start;
	*rss_kb = ru.ru_maxrss;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench-fetch: clause %s failed (status %d)\n", argv[3], status);
		return -1;
	}
	return 0;
}

int
main(void)
{
	struct httpd_options ho = { NULL, LATENCY_MS };
	struct httpd *server;
	struct store *st;
	char *dir = test_tmpdir(), *db = test_path(dir, "bench-fetch.db"), err[256];
	double ideal = (double)DOCUMENTS * LATENCY_MS / 1000.0 / JOBS, first, second;
	const char *fetch[] = { "fetch", "bench", "--jobs", "16", "--per-host", "16",
				"--no-classify", NULL };
	const char *platforms[] = { "platforms", NULL };
	unsigned long long bytes_first, bytes_second;
	long rss_first, rss_second, rss_classify;
	double classify;
	int64_t platform;
	int rc = 1, n;

	server = httpd_start(&ho, err, sizeof(err));
	st = server != NULL ? store_open(db, err, sizeof(err)) : NULL;
	if (st == NULL) {
		fprintf(stderr, "bench-fetch: %s\n", err);
		goto done;
	}
	/* A platform of its own: the embedded dataset's documents would go to
	 * the network. */
	if (store_put_platform(st, "bench", "Bench", "", "", "", &platform) != STORE_OK)
		goto store_error;
	for (n = 0; n < DOCUMENTS; n++) {
		char kind[16], path[32], url[128], decl[256];
		int64_t id;

		snprintf(kind, sizeof(kind), "doc%d", n);
		snprintf(path, sizeof(path), "/doc/%d", n);
		httpd_url(server, path, url, sizeof(url));
		snprintf(decl, sizeof(decl), "{\"fetch\": \"%s\", \"select\": [\"body\"]}", url);
		if (store_put_document(st, platform, kind, kind, url, decl, &id) != STORE_OK)
			goto store_error;
	}
	store_close(st);
	st = NULL;
	{
		/* The first start loads the embedded dataset: not timed. */
		const char *bin = getenv("CLAUSE_BIN");
		char cmd[1024];

		snprintf(cmd, sizeof(cmd), "'%s' --db '%s' platforms >/dev/null",
			 bin != NULL ? bin : "clause", db);
		if (system(cmd) != 0) {
			fprintf(stderr, "bench-fetch: %s failed\n", cmd);
			goto done;
		}
	}
	bytes_first = httpd_body_bytes(server);
	if (run_timed(db, fetch, &first, &rss_first) != 0)
		goto done;
	bytes_first = httpd_body_bytes(server) - bytes_first;
	if (run_timed(db, platforms, &classify, &rss_classify) != 0)
		goto done;
	bytes_second = httpd_body_bytes(server);
	if (run_timed(db, fetch, &second, &rss_second) != 0)
		goto done;
	bytes_second = httpd_body_bytes(server) - bytes_second;

	printf("fetch: %d documents, %d ms latency each, %d at once\n", DOCUMENTS, LATENCY_MS,
	       JOBS);
	printf("  first pass     %7.2f s   ideal %.2f s   ratio %.2f (target <= 1.30)   "
	       "peak RSS %ld kB   body bytes %llu\n", first, ideal, first / ideal, rss_first,
	       bytes_first);
	printf("  304 pass       %7.2f s   ratio %.2f   peak RSS %ld kB   body bytes %llu\n",
	       second, second / ideal, rss_second, bytes_second);
	printf("  then finding the provisions of the %d new versions: %.2f s (%.1f ms each), "
	       "peak RSS %ld kB\n", DOCUMENTS, classify, classify * 1000.0 / DOCUMENTS,
	       rss_classify);
	rc = 0;
	goto done;
store_error:
	fprintf(stderr, "bench-fetch: %s\n", store_errmsg(st));
done:
	store_close(st);
	httpd_stop(server);
	free(db);
	test_rmdir(dir);
	return rc;
}
