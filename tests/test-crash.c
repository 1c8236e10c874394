/*
 * test-crash: clause fetch killed with SIGKILL at random moments while it
 * fetches 200 documents from the test server, 50 times.  After each kill
 * the database passes PRAGMA integrity_check, and every document's newest
 * version is one of the texts the server gave, whole.
 */

#include "config.h"

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

#include <fcntl.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "httpd.h"
#include "store.h"
#include "testutil.h"

#define DOCUMENTS 200
#define ROUNDS 50

extern char **environ;

/* The page of document n in round r: its words say both, and it ends with
 * a sentence only a whole text has. */
static char *
page(int n, int r)
{
	char *buf = malloc(4096);
	int len;

	assert_non_null(buf);
	len = snprintf(buf, 4096, "<html><body><h1>Terms %d</h1>", n);
	for (int i = 0; i < 12; i++)
		len += snprintf(buf + len, 4096 - (size_t)len,
				"<p>Round %d, document %d, clause %d: we may change these terms "
				"at any time and you agree to be bound by them.</p>", r, n, i);
	snprintf(buf + len, 4096 - (size_t)len, "<p>End of document %d.</p></body></html>", n);
	return buf;
}

static void
put_round(struct httpd *server, int r)
{
	for (int n = 0; n < DOCUMENTS; n++) {
		char path[32], *body = page(n, r);

		snprintf(path, sizeof(path), "/crash/%d", n);
		assert_int_equal(httpd_put(server, path, body, strlen(body), NULL), 0);
		free(body);
	}
}

/* Start `clause --db DB fetch crash --jobs 16 --retries 0`. */
static pid_t
start_fetch(const char *db)
{
	const char *bin = getenv("CLAUSE_BIN");
	const char *argv[] = { bin, "--db", db, "fetch", "crash", "--jobs", "16",
			       "--per-host", "16", "--retries", "0", NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;

	assert_non_null(bin);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	/* posix_spawn takes char *const[] but does not change the strings. */
	assert_int_equal(posix_spawn(&pid, bin, &fa, NULL, (char *const *)argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

struct check {
	int versions;
	int documents;
	int whole;
	char problem[256];
};

/* Every document's newest version is a whole page of some round. */
static void
check_database(const char *db, struct check *c)
{
	sqlite3 *conn;
	sqlite3_stmt *stmt;
	const char *latest =
		"SELECT d.kind, (SELECT v.text FROM version v WHERE v.document_id = d.id"
		" ORDER BY v.retrieved_at DESC, v.id DESC LIMIT 1)"
		" FROM document d JOIN platform p ON p.id = d.platform_id WHERE p.slug = 'crash'";

	memset(c, 0, sizeof(*c));
	assert_int_equal(sqlite3_open(db, &conn), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(conn, "PRAGMA integrity_check", -1, &stmt, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	if (strcmp((const char *)sqlite3_column_text(stmt, 0), "ok") != 0)
		snprintf(c->problem, sizeof(c->problem), "integrity_check: %s",
			 sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	assert_int_equal(sqlite3_prepare_v2(conn, "SELECT count(*) FROM version v JOIN document d"
					    " ON d.id = v.document_id JOIN platform p"
					    " ON p.id = d.platform_id WHERE p.slug = 'crash'",
					    -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	c->versions = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	assert_int_equal(sqlite3_prepare_v2(conn, latest, -1, &stmt, NULL), SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(stmt, 0);
		const char *text = (const char *)sqlite3_column_text(stmt, 1);
		char end[64];
		int n = atoi(kind + 3);

		c->documents++;
		if (text == NULL) {
			snprintf(c->problem, sizeof(c->problem), "%s has no version", kind);
			continue;
		}
		snprintf(end, sizeof(end), "End of document %d.", n);
		if (strstr(text, end) != NULL && strstr(text, "clause 11:") != NULL)
			c->whole++;
		else
			snprintf(c->problem, sizeof(c->problem), "%s is not whole", kind);
	}
	sqlite3_finalize(stmt);
	sqlite3_close(conn);
}

static void
test_kill_during_fetch(void **state)
{
	struct httpd_options ho = { NULL, 2 };
	struct httpd *server;
	struct store *st;
	struct check c;
	char *dir = test_tmpdir(), *db = test_path(dir, "crash.db"), err[256];
	int64_t platform;
	int status, r, killed = 0;
	unsigned seed = (unsigned)time(NULL);

	(void)state;
	server = httpd_start(&ho, err, sizeof(err));
	if (server == NULL)
		fail_msg("httpd_start: %s", err);
	st = store_open(db, err, sizeof(err));
	if (st == NULL)
		fail_msg("store_open: %s", err);
	assert_int_equal(store_put_platform(st, "crash", "Crash", "", "", "", &platform), STORE_OK);
	for (int n = 0; n < DOCUMENTS; n++) {
		char kind[16], path[32], url[128], decl[256];
		int64_t id;

		snprintf(kind, sizeof(kind), "doc%d", n);
		snprintf(path, sizeof(path), "/crash/%d", n);
		httpd_url(server, path, url, sizeof(url));
		snprintf(decl, sizeof(decl), "{\"fetch\": \"%s\", \"select\": [\"body\"]}", url);
		assert_int_equal(store_put_document(st, platform, kind, kind, url, decl, &id),
				 STORE_OK);
	}
	store_close(st);

	/* Round 0 runs to the end: every document has a version to keep. */
	put_round(server, 0);
	waitpid(start_fetch(db), &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	check_database(db, &c);
	assert_int_equal(c.whole, DOCUMENTS);

	print_message("seed %u\n", seed);
	srand(seed);
	for (r = 1; r <= ROUNDS; r++) {
		pid_t pid;
		struct timespec delay;

		put_round(server, r);
		pid = start_fetch(db);
		delay.tv_sec = 0;
		delay.tv_nsec = (long)(rand() % 400) * 1000000L;
		nanosleep(&delay, NULL);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		killed += WIFSIGNALED(status);
		check_database(db, &c);
		if (c.problem[0] != '\0')
			fail_msg("round %d (seed %u): %s", r, seed, c.problem);
		assert_int_equal(c.documents, DOCUMENTS);
		assert_int_equal(c.whole, DOCUMENTS);
	}
	/* The kills landed while it worked, not only after it finished, and
	 * between them it did store new versions. */
	assert_true(killed > ROUNDS / 2);
	assert_true(c.versions > DOCUMENTS);
	print_message("%d kills while fetching; %d versions kept\n", killed, c.versions);
	httpd_stop(server);
	free(db);
	test_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill_during_fetch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
