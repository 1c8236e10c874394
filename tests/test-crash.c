/*
 * test-crash: clause killed with SIGKILL at random moments, and what is
 * left afterwards.
 *
 *  - clause fetch, while it fetches 200 documents from the test server, 50
 *    times: the database passes PRAGMA integrity_check, and every
 *    document's newest version is one of the texts the server gave, whole;
 *  - the first run, while it loads the embedded dataset: the next start
 *    loads it whole;
 *  - clause import-ota-versions: all of the history or none of it;
 *  - a schema migration of a database of an older clause: every row is
 *    kept, and the next start finishes the upgrade.
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
#include "otarepo.h"
#include "store-internal.h"
#include "store.h"
#include "testutil.h"

#define DOCUMENTS 200
#define ROUNDS 50
/* Commits in the repository that test_kill_during_import imports. */
#define HISTORY 2000

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

/* Start clause with args (after --db DB), its output thrown away. */
static pid_t
start_clause(const char *db, const char *const *args)
{
	const char *bin = getenv("CLAUSE_BIN"), *argv[16];
	posix_spawn_file_actions_t fa;
	size_t n = 0;
	pid_t pid;

	assert_non_null(bin);
	argv[n++] = bin;
	argv[n++] = "--db";
	argv[n++] = db;
	while (*args != NULL && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	/* posix_spawn takes char *const[] but does not change the strings. */
	assert_int_equal(posix_spawn(&pid, bin, &fa, NULL, (char *const *)argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

/* Start `clause --db DB fetch crash --jobs 16 --retries 0`. */
static pid_t
start_fetch(const char *db)
{
	const char *args[] = { "fetch", "crash", "--jobs", "16", "--per-host", "16",
			       "--retries", "0", NULL };

	return start_clause(db, args);
}

/* Run clause to its end; its exit status. */
static int
run_clause(const char *db, const char *const *args)
{
	int status;

	waitpid(start_clause(db, args), &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Kill pid with SIGKILL after a random delay below max_ms; whether it was
 * still running then. */
static int
kill_after(pid_t pid, int max_ms)
{
	struct timespec delay;
	int status;

	delay.tv_sec = 0;
	delay.tv_nsec = (long)(rand() % max_ms) * 1000000L;
	while (delay.tv_nsec >= 1000000000L) {
		delay.tv_sec++;
		delay.tv_nsec -= 1000000000L;
	}
	nanosleep(&delay, NULL);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status);
}

static long long
db_int(const char *db, const char *sql)
{
	sqlite3 *conn;
	sqlite3_stmt *stmt;
	long long value = -1;

	assert_int_equal(sqlite3_open(db, &conn), SQLITE_OK);
	sqlite3_busy_timeout(conn, 10000);
	assert_int_equal(sqlite3_prepare_v2(conn, sql, -1, &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		value = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(conn);
	return value;
}

static int
integrity_ok(const char *db)
{
	sqlite3 *conn;
	sqlite3_stmt *stmt;
	int ok;

	assert_int_equal(sqlite3_open(db, &conn), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(conn, "PRAGMA integrity_check", -1, &stmt, NULL),
			 SQLITE_OK);
	ok = sqlite3_step(stmt) == SQLITE_ROW
	     && strcmp((const char *)sqlite3_column_text(stmt, 0), "ok") == 0;
	sqlite3_finalize(stmt);
	sqlite3_close(conn);
	return ok;
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

/* The first run loads the whole dataset in one transaction: killed at any
 * moment, it left none of the curated provisions or all of them (those
 * found automatically come after, in transactions of their own), and the
 * next start brings the database to where an unbroken run does. */
static void
test_kill_during_first_load(void **state)
{
	const char *platforms[] = { "platforms", NULL };
	char *dir = test_tmpdir(), *db = test_path(dir, "first.db");
	const char *curated = "SELECT count(*) FROM provision WHERE origin = 'curated'";
	long long expected, expected_curated, count;
	int round, killed = 0;

	(void)state;
	assert_int_equal(run_clause(db, platforms), 0);
	expected = db_int(db, "SELECT count(*) FROM provision");
	expected_curated = db_int(db, curated);
	assert_true(expected_curated > 500);
	for (round = 0; round < 12; round++) {
		char *wal = test_path(dir, "first.db-wal"), *shm = test_path(dir, "first.db-shm");

		unlink(db);
		unlink(wal);
		unlink(shm);
		free(wal);
		free(shm);
		killed += kill_after(start_clause(db, platforms), 1500);
		assert_true(integrity_ok(db));
		count = db_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'provision'")
			? db_int(db, curated) : 0;
		if (count != 0 && count != expected_curated)
			fail_msg("round %d: %lld curated provisions after the kill, want 0 or %lld",
				 round, count, expected_curated);
		assert_int_equal(run_clause(db, platforms), 0);
		assert_int_equal(db_int(db, "SELECT count(*) FROM provision"), expected);
	}
	assert_true(killed > 0);
	print_message("%d first runs killed while loading\n", killed);
	free(db);
	test_rmdir(dir);
}

/* An import is one transaction: killed, it left all of the history or
 * none. */
static void
test_kill_during_import(void **state)
{
	char *dir = test_tmpdir(), *db = test_path(dir, "import.db");
	char *repo = test_path(dir, "versions.git");
	const char *platforms[] = { "platforms", NULL };
	const char *import[] = { "import-ota-versions", repo, NULL };
	const char *sql = "SELECT count(*) FROM version v JOIN document d ON d.id = v.document_id"
			  " JOIN platform p ON p.id = d.platform_id WHERE p.slug = 'crashy'";
	int round, killed = 0;
	long long count;

	(void)state;
	otarepo_make(repo, "Crashy", HISTORY);
	assert_int_equal(run_clause(db, platforms), 0);
	for (round = 0; round < 10; round++) {
		killed += kill_after(start_clause(db, import), 250);
		assert_true(integrity_ok(db));
		count = db_int(db, sql);
		if (count != 0 && count != HISTORY)
			fail_msg("round %d: %lld versions after the kill, want 0 or %d", round, count,
				 HISTORY);
		if (count == HISTORY)
			break;
	}
	assert_int_equal(run_clause(db, import), 0);
	assert_int_equal(db_int(db, sql), HISTORY);
	assert_true(killed > 0);
	print_message("%d imports killed midway\n", killed);
	free(repo);
	free(db);
	test_rmdir(dir);
}

/* A database of an older clause with many rows, upgraded by a start that
 * is killed: its rows stay, and the next start finishes the upgrade. */
static void
test_kill_during_migration(void **state)
{
	char *dir = test_tmpdir(), *db = test_path(dir, "old.db"), *copy = test_path(dir, "v2.db");
	const char *platforms[] = { "platforms", NULL };
	char err[256], cmd[1024];
	sqlite3 *conn;
	int round, killed = 0, i;

	(void)state;
	/* Version 2 (before the faster index of version 3) with 20,000 rows. */
	assert_int_equal(sqlite3_open(copy, &conn), SQLITE_OK);
	assert_int_equal(store_rank_register(conn), SQLITE_OK);
	assert_int_equal(store_schema_migrate(conn, 2, err, sizeof(err)), STORE_OK);
	assert_int_equal(sqlite3_exec(conn, "BEGIN;"
		"INSERT INTO platform(id, slug, name) VALUES (1, 'old', 'Old Platform');"
		"INSERT INTO document(id, platform_id, kind, title, url)"
		"  VALUES (1, 1, 'terms', 'Old Terms', 'https://old.test');"
		"INSERT INTO version(id, document_id, retrieved_at, source, sha256, text)"
		"  VALUES (1, 1, '2020-01-01T00:00:00Z', 'fetched', 'bb', 'old text');"
		"INSERT INTO provision_type(id, slug, name) VALUES (1, 'arbitration', 'Arbitration');",
		NULL, NULL, NULL), SQLITE_OK);
	for (i = 0; i < 20000; i++) {
		char sql[256];

		snprintf(sql, sizeof(sql), "INSERT INTO provision(document_id, type_id, excerpt)"
			 " VALUES (1, 1, 'Disputes number %d go to binding arbitration in Delaware.')",
			 i);
		assert_int_equal(sqlite3_exec(conn, sql, NULL, NULL, NULL), SQLITE_OK);
	}
	assert_int_equal(sqlite3_exec(conn, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(conn);

	for (round = 0; round < 8; round++) {
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && rm -f '%s-wal' '%s-shm'", copy, db, db, db);
		assert_int_equal(system(cmd), 0);
		killed += kill_after(start_clause(db, platforms), 800);
		assert_true(integrity_ok(db));
		assert_int_equal(db_int(db, "SELECT count(*) FROM provision WHERE type_id = 1"
					    " AND document_id = 1"), 20000);
		assert_true(db_int(db, "PRAGMA user_version") >= 2);
		assert_int_equal(run_clause(db, platforms), 0);
		assert_int_equal(db_int(db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
		assert_int_equal(db_int(db, "SELECT count(*) FROM provision WHERE type_id = 1"
					    " AND document_id = 1"), 20000);
	}
	print_message("%d upgrades killed midway\n", killed);
	free(copy);
	free(db);
	test_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill_during_fetch),
		cmocka_unit_test(test_kill_during_first_load),
		cmocka_unit_test(test_kill_during_import),
		cmocka_unit_test(test_kill_during_migration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
