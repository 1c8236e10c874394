/*
 * test-concurrency: the browser, clause fetch and an import on one
 * database at the same time, for a minute.
 *
 * The browser runs in a pseudo-terminal and is sent a key every 150 ms;
 * meanwhile clause fetch keeps bringing 60 documents up to date (the test
 * server changes them all before each run) and clause import-ota-versions
 * imports one history after another, both at nice 10 as background jobs
 * run (on two cores, at equal priority with a parallel make check beside
 * them, the scheduler alone could hold a key back).  No command may fail (a busy or
 * locked database among them), and every key must get its redraw within
 * 100 ms throughout.  A sanitizer build, whose every step is several times
 * slower, checks the same with a bound of 500 ms.
 */

#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "httpd.h"
#include "otarepo.h"
#include "screen.h"
#include "store.h"
#include "testutil.h"

#define DOCUMENTS 60
#define SECONDS 60
#define KEY_EVERY_MS 150
#define HISTORY 300
#define REPOS 40

#if defined(__SANITIZE_ADDRESS__)
#define REDRAW_BOUND_MS 500.0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define REDRAW_BOUND_MS 500.0
#endif
#endif
#ifndef REDRAW_BOUND_MS
#define REDRAW_BOUND_MS 100.0
#endif

extern char **environ;

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Start clause with args after --db DB, as background work runs: at a
 * lower priority (nice 10), as cron and batch jobs are.  All it writes goes
 * to errfile, so that a failure can say why: a fetch names a document that
 * failed, and the reason, on its standard output. */
static pid_t
start_clause(const char *db, const char *errfile, const char *const *args)
{
	const char *bin = getenv("CLAUSE_BIN"), *argv[20];
	posix_spawn_file_actions_t fa;
	size_t n = 0;
	pid_t pid;

	assert_non_null(bin);
	argv[n++] = "nice";
	argv[n++] = "-n";
	argv[n++] = "10";
	argv[n++] = bin;
	argv[n++] = "--db";
	argv[n++] = db;
	while (*args != NULL && n < 19)
		argv[n++] = *args++;
	argv[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, errfile,
					 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
	/* posix_spawnp takes char *const[] but does not change the strings. */
	assert_int_equal(posix_spawnp(&pid, "nice", &fa, NULL, (char *const *)argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

/* Fail with what a command wrote when it did not exit 0. */
static void
check_exit(const char *what, int status, const char *errfile)
{
	char *err;

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	err = test_read_file(errfile, NULL);
	fail_msg("%s: status %d: %s", what, status, err != NULL ? err : "");
}

/* Send key and wait until the screen differs from what it showed: the
 * milliseconds that took, or -1 after 5 s without a change. */
static double
key_to_redraw(struct screen *s, const char *key)
{
	char *before = screen_dump(s), *after;
	double sent = now_ms(), took = -1.0;

	assert_non_null(before);
	screen_send(s, key);
	while (now_ms() - sent < 5000.0) {
		screen_settle(s, 1, 5);
		after = screen_dump(s);
		assert_non_null(after);
		if (strcmp(before, after) != 0) {
			took = now_ms() - sent;
			free(after);
			break;
		}
		free(after);
	}
	free(before);
	/* Take the rest of the frame before the next key. */
	screen_settle(s, 5, 1000);
	return took;
}

static void
put_round(struct httpd *server, int round)
{
	for (int n = 0; n < DOCUMENTS; n++) {
		char path[32], body[1024];

		snprintf(path, sizeof(path), "/busy/%d", n);
		snprintf(body, sizeof(body), "<html><body><h1>Terms %d</h1><p>Round %d: we may "
			 "use your content to train our models.</p><p>Document %d: disputes go "
			 "to binding arbitration.</p></body></html>", n, round, n);
		assert_int_equal(httpd_put(server, path, body, strlen(body), NULL), 0);
	}
}

static void
test_browser_fetch_and_import_together(void **state)
{
	struct httpd_options ho = { NULL, 5 };
	struct httpd *server;
	struct store *st;
	struct screen *s;
	struct test_run r;
	char *dir = test_tmpdir(), *db = test_path(dir, "busy.db"), err[256], db_option[512];
	char *fetch_err = test_path(dir, "fetch.err"), *import_err = test_path(dir, "import.err");
	char repo[512], service[32];
	const char *bin = getenv("CLAUSE_BIN");
	const char *fetch_args[] = { "fetch", "busy", "--jobs", "4", "--per-host", "4", NULL };
	const char *import_args[] = { "import-ota-versions", repo, NULL };
	pid_t fetcher = 0, importer = 0;
	double start, worst = 0.0, total = 0.0;
	int64_t platform;
	int keys = 0, fetches = 0, imports = 0, round = 0, status, down = 1;

	(void)state;
	server = httpd_start(&ho, err, sizeof(err));
	if (server == NULL)
		fail_msg("httpd_start: %s", err);
	snprintf(db_option, sizeof(db_option), "--db=%s", db);
	test_clause(&r, NULL, (const char *[]){ db_option, "types", NULL });
	assert_int_equal(r.status, 0);
	test_run_free(&r);
	st = store_open(db, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(store_put_platform(st, "busy", "Busy", "", "", "", &platform), STORE_OK);
	for (int n = 0; n < DOCUMENTS; n++) {
		char kind[16], path[32], url[128], decl[256];
		int64_t id;

		snprintf(kind, sizeof(kind), "doc%d", n);
		snprintf(path, sizeof(path), "/busy/%d", n);
		httpd_url(server, path, url, sizeof(url));
		snprintf(decl, sizeof(decl), "{\"fetch\": \"%s\", \"select\": [\"body\"]}", url);
		assert_int_equal(store_put_document(st, platform, kind, kind, url, decl, &id),
				 STORE_OK);
	}
	store_close(st);

	/* The histories to import, made now: the test's own work must not
	 * compete with the browser while it is timed. */
	for (int i = 0; i < REPOS; i++) {
		snprintf(service, sizeof(service), "Busy History %d", i);
		snprintf(repo, sizeof(repo), "%s/history-%d.git", dir, i);
		otarepo_make(repo, service, HISTORY);
	}

	s = screen_start((const char *[]){ bin, db_option, NULL }, NULL, "xterm-256color", 24, 80);
	assert_non_null(s);
	screen_assert_shows(s, "? help", 20000);
	screen_settle(s, 100, 5000);

	start = now_ms();
	while (now_ms() - start < SECONDS * 1000.0) {
		double took;

		/* Keep one fetch and one import running all the time. */
		if (fetcher != 0 && waitpid(fetcher, &status, WNOHANG) == fetcher) {
			check_exit("clause fetch", status, fetch_err);
			fetcher = 0;
			fetches++;
		}
		if (fetcher == 0) {
			put_round(server, ++round);
			fetcher = start_clause(db, fetch_err, fetch_args);
		}
		if (importer != 0 && waitpid(importer, &status, WNOHANG) == importer) {
			check_exit("clause import-ota-versions", status, import_err);
			importer = 0;
			imports++;
		}
		if (importer == 0) {
			snprintf(repo, sizeof(repo), "%s/history-%d.git", dir, imports % REPOS);
			importer = start_clause(db, import_err, import_args);
		}
		/* A key, and the time until the browser has redrawn for it. */
		took = key_to_redraw(s, down ? "j" : "k");
		if (took < 0)
			fail_msg("no redraw within 5 s of key %d", keys);
		if (took > worst)
			worst = took;
		total += took;
		keys++;
		down = (keys / 10) % 2 == 0;
		poll(NULL, 0, KEY_EVERY_MS);
	}
	if (fetcher != 0) {
		waitpid(fetcher, &status, 0);
		check_exit("clause fetch", status, fetch_err);
		fetches++;
	}
	if (importer != 0) {
		waitpid(importer, &status, 0);
		check_exit("clause import-ota-versions", status, import_err);
		imports++;
	}
	screen_send(s, "q");
	assert_int_equal(screen_exit_status(s, 20000), 0);
	screen_stop(s);
	print_message("%d fetches, %d imports, %d keys: redraw mean %.1f ms, worst %.1f ms\n",
		      fetches, imports, keys, total / keys, worst);
	assert_true(fetches >= 2);
	assert_true(imports >= 2);
	if (worst > REDRAW_BOUND_MS)
		fail_msg("a key waited %.1f ms for its redraw (bound %.0f ms)", worst,
			 REDRAW_BOUND_MS);
	httpd_stop(server);
	free(fetch_err);
	free(import_err);
	free(db);
	test_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_browser_fetch_and_import_together),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
