/*
 * test-ui: the browser driven as a person would: the real binary in a
 * pseudo-terminal, its output rendered by libvterm, keys in, screen out.
 */

#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "httpd.h"
#include "screen.h"
#include "store.h"
#include "testutil.h"

/* Generous: under valgrind every step is slower. */
#define WAIT_MS 20000

struct world {
	char *dir;
	char *db;
	char *db_option;	/* "--db=PATH". */
	struct httpd *server;	/* Serves Zzlocal's terms for the refresh test. */
};

static struct world world;

/* A hostile provision: escape sequences and a bidirectional override in
 * text that a fetched document could hold. */
static void
add_hostile_platform(const char *db)
{
	char err[256];
	struct store *st = store_open(db, err, sizeof(err));
	int64_t platform, document, version;
	struct store_provision_in in = { 0 };

	assert_non_null(st);
	assert_int_equal(store_put_platform(st, "evil", "Evil\x1b]0;pwned\x07 Corp", "", "Test",
					    "", &platform), STORE_OK);
	assert_int_equal(store_put_document(st, platform, "terms", "Terms\x1b[2J", "https://e.test",
					    NULL, &document), STORE_OK);
	assert_int_equal(store_add_version(st, document, "2026-01-01T00:00:00Z", "fetched", "ee",
					   "x", &version, NULL), STORE_OK);
	in.document_id = document;
	in.kind = "arbitration";
	in.excerpt = "Zzevil disputes AAA\x1b[31mBBB go \xe2\x80\xae to arbitration.";
	in.headline = "Hostile\x1b[5m headline";
	in.severity = "high";
	in.origin = "classified";
	in.first_version = in.last_version = version;
	assert_int_equal(store_put_provision(st, &in, NULL), STORE_OK);
	store_close(st);
}

static const char local_v1[] =
	"<html><body><h1>Zzlocal terms</h1><p>We may use your messages to train our models "
	"unless you opt out.</p></body></html>";
static const char local_v2[] =
	"<html><body><h1>Zzlocal terms</h1><p>We may use your messages to train our models "
	"unless you opt out in your settings.</p></body></html>";

/* A platform whose one document the local test server serves, last in the
 * list by name; remove_local_platform takes it away again, so that the
 * other tests see the dataset's platforms alone. */
static void
add_local_platform(const char *db)
{
	char err[256], url[128], decl[256];
	struct store_provision_in in = { 0 };
	struct store *st;
	int64_t platform, document;

	world.server = httpd_start(NULL, err, sizeof(err));
	if (world.server == NULL)
		fail_msg("httpd_start: %s", err);
	assert_int_equal(httpd_put(world.server, "/zzlocal/terms", local_v1, strlen(local_v1), NULL),
			 0);
	httpd_url(world.server, "/zzlocal/terms", url, sizeof(url));
	snprintf(decl, sizeof(decl), "{\"fetch\": \"%s\", \"select\": [\"body\"]}", url);
	st = store_open(db, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(store_put_platform(st, "zzlocal", "Zzlocal", "", "Test", "", &platform),
			 STORE_OK);
	assert_int_equal(store_put_document(st, platform, "terms", "Zzlocal Terms", url, decl,
					    &document), STORE_OK);
	in.key = "zzlocal-training";
	in.document_id = document;
	in.kind = "training-on-user-content";
	in.excerpt = "We may use your messages to train our models unless you opt out.";
	in.headline = "Zzlocal trains its models on your messages";
	in.severity = "high";
	assert_int_equal(store_put_provision(st, &in, NULL), STORE_OK);
	store_close(st);
}

static void
remove_local_platform(const char *db)
{
	sqlite3 *conn;

	assert_int_equal(sqlite3_open(db, &conn), SQLITE_OK);
	sqlite3_busy_timeout(conn, 10000);
	assert_int_equal(sqlite3_exec(conn, "PRAGMA foreign_keys = ON;"
				      "DELETE FROM platform WHERE slug = 'zzlocal'", NULL, NULL,
				      NULL), SQLITE_OK);
	sqlite3_close(conn);
	httpd_stop(world.server);
	world.server = NULL;
}

static int
world_setup(void **state)
{
	struct test_run r;
	char *db;
	size_t n;

	(void)state;
	world.dir = test_tmpdir();
	db = test_path(world.dir, "clause.db");
	n = strlen(db) + 8;
	world.db_option = malloc(n);
	snprintf(world.db_option, n, "--db=%s", db);
	/* Load the dataset once, outside the terminal. */
	test_clause(&r, NULL, (const char *[]){ world.db_option, "types", NULL });
	if (r.status != 0)
		fail_msg("clause types: %s", r.err);
	test_run_free(&r);
	add_hostile_platform(db);
	world.db = db;
	return 0;
}

static int
world_teardown(void **state)
{
	(void)state;
	free(world.db);
	free(world.db_option);
	test_rmdir(world.dir);
	return 0;
}

/* Start the browser at rows x cols; env may add NO_COLOR and the like. */
static struct screen *
start(int rows, int cols, const char *term, const char *const *env)
{
	const char *bin = getenv("CLAUSE_BIN");
	const char *argv[] = { bin != NULL ? bin : "./clause", world.db_option, NULL };
	struct screen *s = screen_start(argv, env, term != NULL ? term : "xterm-256color", rows,
					cols);

	assert_non_null(s);
	screen_assert_shows(s, "? help", WAIT_MS);
	return s;
}

/* How long the screen must stay still to count as drawn: longer when a
 * wrapper such as valgrind slows every step down. */
static int
quiet_ms(void)
{
	const char *wrapper = getenv("CLAUSE_TEST_WRAPPER");

	return wrapper != NULL && *wrapper != '\0' ? 600 : 100;
}

/* Send a key and wait until the screen is quiet again. */
static void
press(struct screen *s, const char *keys)
{
	screen_send(s, keys);
	screen_settle(s, quiet_ms(), WAIT_MS);
}

static void
press_named(struct screen *s, const char *name)
{
	screen_key(s, name);
	screen_settle(s, quiet_ms(), WAIT_MS);
}

/* Whether row holds at least n column rules. */
static int
has_rules(struct screen *s, int row, int n)
{
	const char *text = screen_row(s, row), *at = text;

	while (n > 0 && at != NULL && (at = strstr(at, "│")) != NULL) {
		at += strlen("│");
		n--;
	}
	return n == 0;
}

/* q on the main screen quits cleanly and gives the terminal back (from
 * the alternate screen, on terminals that have one). */
static void
quit_on(struct screen *s, int altscreen)
{
	press(s, "q");
	assert_int_equal(screen_exit_status(s, WAIT_MS), 0);
	if (altscreen)
		assert_int_equal(screen_altscreen(s), SCREEN_ALT_LEFT);
	screen_stop(s);
}

static void
quit(struct screen *s)
{
	quit_on(s, 1);
}

static void
test_start_screen_lists_platforms(void **state)
{
	struct screen *s = start(24, 80, NULL, NULL);

	(void)state;
	screen_assert_shows(s, "Platforms (45)", WAIT_MS);
	screen_assert_shows(s, "Amazon.com", WAIT_MS);
	screen_assert_shows(s, "Claude", WAIT_MS);
	/* The first platform's provisions and the first provision's detail. */
	screen_assert_shows(s, "Amazon.com: provisions", WAIT_MS);
	screen_assert_shows(s, "What it establishes", WAIT_MS);
	quit(s);
}

static void
test_navigation_selects(void **state)
{
	struct screen *s = start(24, 80, NULL, NULL);
	int row;

	(void)state;
	press(s, "j");
	screen_assert_shows(s, "Apple: provisions", WAIT_MS);
	press_named(s, "Down");
	screen_assert_shows(s, "Bluesky: provisions", WAIT_MS);
	press(s, "G");
	screen_assert_shows(s, "Zoom: provisions", WAIT_MS);
	press(s, "g");
	screen_assert_shows(s, "Amazon.com: provisions", WAIT_MS);
	/* Into the provisions pane, down one: the detail follows. */
	press(s, "\t");
	press(s, "j");
	row = screen_find(s, "#");
	assert_true(row >= 0);
	/* At the top, k says so instead of doing nothing. */
	press(s, "\t");
	press(s, "\t");
	press(s, "k");
	screen_assert_shows(s, "no more platforms that way", WAIT_MS);
	/* A key that does nothing says so. */
	press(s, "Z");
	screen_assert_shows(s, "Z does nothing here", WAIT_MS);
	quit(s);
}

static void
test_search_finds_a_provision(void **state)
{
	struct screen *s = start(24, 80, NULL, NULL);

	(void)state;
	/* Results come as the word is typed, before it is whole. */
	press(s, "/");
	press(s, "arbitrat");
	screen_assert_shows(s, "arbitration", WAIT_MS);
	press(s, "\x15");
	press(s, "thumbs");
	screen_assert_shows(s, "/thumbs", WAIT_MS);
	screen_assert_shows(s, "Claude", WAIT_MS);
	screen_assert_shows(s, "feedback-licence", WAIT_MS);
	/* Enter opens it in its platform's context. */
	press(s, "\r");
	screen_assert_shows(s, "Claude: provisions", WAIT_MS);
	screen_assert_shows(s, "Feedback licence", WAIT_MS);
	/* Five matches of the prefix: the curated provisions of Claude and Le
	 * Chat, and three passages on rating with the thumbs icon that the rules
	 * found (Claude's privacy policy, Qwen Chat's and Le Chat's terms). */
	screen_assert_shows(s, "match 1 of 5", WAIT_MS);
	/* n opens the next match from the main screen; past the last, it says so. */
	press(s, "n");
	screen_assert_shows(s, "match 2 of 5", WAIT_MS);
	press(s, "n");
	press(s, "n");
	press(s, "n");
	screen_assert_shows(s, "match 5 of 5", WAIT_MS);
	press(s, "n");
	screen_assert_shows(s, "last match", WAIT_MS);
	press(s, "N");
	screen_assert_shows(s, "match 4 of 5", WAIT_MS);
	/* A malformed query is a message, not a crash. */
	press(s, "/");
	press_named(s, "Backspace");
	press(s, "\"open");
	screen_assert_shows(s, "unterminated quote", WAIT_MS);
	press(s, "\x1b");
	press(s, "\x1b");
	quit(s);
}

/* A search with many matches reads two screens of them, and more as the
 * user scrolls: G reaches the very last match, n steps past the first
 * screens, and the count is whole once everything is read. */
static void
test_search_reads_more_as_you_scroll(void **state)
{
	struct screen *s = start(24, 80, NULL, NULL);
	const char *row;
	long total;
	int elapsed;

	(void)state;
	press(s, "/");
	press(s, "data");
	/* 24 rows show 7 hits of 3 rows: 14 read. */
	screen_assert_shows(s, "the best 14 provisions, more as you scroll", WAIT_MS);
	press(s, "\x1b");
	press(s, "G");
	/* Reading up to a thousand hits may outlast a quiet spell (under a
	 * sanitizer): wait for the header to change. */
	for (elapsed = 0; elapsed < WAIT_MS; elapsed += 200) {
		row = screen_row(s, 1);
		if (row != NULL && strstr(row, "more as you scroll") == NULL)
			break;
		screen_settle(s, 50, 200);
	}
	row = screen_row(s, 1);
	assert_non_null(row);
	if (strstr(row, "more as you scroll") != NULL)
		fail_msg("G left matches unread: %s", row);
	total = strtol(row, NULL, 10);
	if (total <= 14)
		fail_msg("G read no more matches: %s", row);
	/* The last match is selected, at the bottom of the list. */
	press(s, "\r");
	{
		char want[64];

		snprintf(want, sizeof(want), "match %ld of %ld ", total, total);
		screen_assert_shows(s, want, WAIT_MS);
	}
	quit(s);

	/* n past the hits read reads more. */
	s = start(24, 80, NULL, NULL);
	press(s, "/");
	press(s, "data");
	press(s, "\r");
	screen_assert_shows(s, "match 1 of 14+", WAIT_MS);
	for (int i = 0; i < 14; i++)
		screen_send(s, "n");
	screen_settle(s, quiet_ms(), WAIT_MS);
	screen_assert_shows(s, "match 15 of", WAIT_MS);
	quit(s);
}

static void
test_compare_shows_three_columns(void **state)
{
	struct screen *s = start(50, 160, NULL, NULL);
	int row, elapsed;

	(void)state;
	press(s, "/");
	press(s, "kind:training-on-user-content train");
	press(s, "\r");
	press(s, "c");
	screen_assert_shows(s, "Compare: training-on-user-content", WAIT_MS);
	/* Three columns side by side: two rules between them on the names'
	 * row, once the frame is drawn whole. */
	row = 1;
	for (elapsed = 0; !has_rules(s, row, 2) && elapsed < WAIT_MS; elapsed += 200)
		screen_settle(s, 50, 200);
	if (!has_rules(s, row, 2)) {
		screen_report(s, __FILE__, __LINE__, "three columns wanted");
		fail();
	}
	/* The picker. */
	press(s, "p");
	screen_assert_shows(s, "Compare which platforms?", WAIT_MS);
	press(s, "\r");
	press(s, "\x1b");
	press(s, "\x1b");
	quit(s);
}

static void
test_matrix_opens_compare(void **state)
{
	struct screen *s = start(24, 100, NULL, NULL);

	(void)state;
	press(s, "m");
	screen_assert_shows(s, "Matrix:", WAIT_MS);
	screen_assert_shows(s, "Training on user content", WAIT_MS);
	press(s, "\r");
	screen_assert_shows(s, "Compare:", WAIT_MS);
	press(s, "\x1b");
	press(s, "\x1b");
	quit(s);
}

/* w watches the selected platform: marked now, and on the next start. */
static void
test_watch_marks_platform(void **state)
{
	struct screen *s = start(24, 80, NULL, NULL);
	int row;

	(void)state;
	press(s, "j");
	press(s, "w");
	screen_assert_shows(s, "watching Apple", WAIT_MS);
	screen_assert_shows(s, "* Apple", WAIT_MS);
	quit(s);
	s = start(24, 80, NULL, NULL);
	screen_assert_shows(s, "* Apple", WAIT_MS);
	press(s, "j");
	press(s, "w");
	screen_assert_shows(s, "no longer watching Apple", WAIT_MS);
	row = screen_find(s, "* Apple");
	assert_int_equal(row, -1);
	quit(s);
}

/* H: a document's timeline; d: a change, words marked; ] and [ between. */
static void
test_history_and_diff(void **state)
{
	struct screen *s = start(30, 100, NULL, NULL);
	struct screen_cell_attrs a;
	int row;
	const char *text;

	(void)state;
	press(s, "/");
	press(s, "thumbs");
	press(s, "\r");
	screen_assert_shows(s, "This document has changed 3 times since 2025-08-29", WAIT_MS);
	press(s, "H");
	screen_assert_shows(s, "History: Claude · Consumer Terms of Service", WAIT_MS);
	screen_assert_shows(s, "first version stored", WAIT_MS);
	press(s, "j");
	press(s, "d");
	screen_assert_shows(s, "2025-09-27 → 2025-10-09", WAIT_MS);
	screen_assert_shows(s, "@@ paragraphs", WAIT_MS);
	/* The removed word is marked, and coloured. */
	row = screen_find(s, "[-**Welcome-]");
	assert_true(row >= 0);
	text = screen_row(s, row);
	assert_int_equal(screen_cell_attrs(s, row, (int)(strstr(text, "[-") - text) + 3, &a), 0);
	assert_true(a.fg_set);
	/* One change only: ] goes to it, ] again says there is no other. */
	press(s, "]");
	screen_assert_row(s, 1, "@@ paragraphs 2,4 → 2,3");
	press(s, "]");
	screen_assert_shows(s, "this is the last change", WAIT_MS);
	press(s, "\x1b");
	screen_assert_shows(s, "History: Claude", WAIT_MS);
	press(s, "\x1b");
	press(s, "\x1b");
	quit(s);
}

static void
test_help_overlay(void **state)
{
	struct screen *s = start(24, 80, NULL, NULL);

	(void)state;
	press(s, "?");
	screen_assert_shows(s, "Keys — any key closes this", WAIT_MS);
	screen_assert_shows(s, "search every provision", WAIT_MS);
	press(s, "?");
	assert_int_equal(screen_find(s, "Keys — any key closes this"), -1);
	quit(s);
}

static void
test_resize(void **state)
{
	struct screen *s = start(24, 80, NULL, NULL);

	(void)state;
	screen_resize(s, 50, 160);
	screen_settle(s, 200, WAIT_MS);
	screen_assert_shows(s, "Platforms (45)", WAIT_MS);
	screen_resize(s, 20, 60);
	screen_settle(s, 200, WAIT_MS);
	screen_assert_shows(s, "clause needs 80x24 at least", WAIT_MS);
	screen_resize(s, 24, 80);
	screen_settle(s, 200, WAIT_MS);
	screen_assert_shows(s, "Platforms (45)", WAIT_MS);
	assert_int_equal(screen_find(s, "needs 80x24"), -1);
	quit(s);
}

/* Whether any cell of the screen has a colour. */
static int
any_colour(struct screen *s, int rows, int cols)
{
	struct screen_cell_attrs a;
	int r, c;

	for (r = 0; r < rows; r++)
		for (c = 0; c < cols; c++)
			if (screen_cell_attrs(s, r, c, &a) == 0 && (a.fg_set || a.bg_set))
				return 1;
	return 0;
}

static void
test_no_color(void **state)
{
	static const char *const no_color[] = { "NO_COLOR=1", NULL };
	struct screen *s;

	(void)state;
	s = start(24, 80, NULL, NULL);
	assert_true(any_colour(s, 24, 80));
	quit(s);

	s = start(24, 80, NULL, no_color);
	assert_false(any_colour(s, 24, 80));
	/* The selection still shows, by attribute. */
	{
		struct screen_cell_attrs a;
		int row = screen_find(s, "Amazon.com");

		assert_true(row >= 0);
		assert_int_equal(screen_cell_attrs(s, row, 0, &a), 0);
		assert_true(a.reverse || a.underline || a.bold);
	}
	quit(s);

	/* vt100: no colour, and still usable. */
	s = start(24, 80, "vt100", NULL);
	assert_false(any_colour(s, 24, 80));
	quit_on(s, 0);
}

static void
test_hostile_text_is_inert(void **state)
{
	struct screen *s = start(24, 100, NULL, NULL);
	struct screen_cell_attrs a;
	int row, col;
	const char *text;

	(void)state;
	press(s, "/");
	press(s, "zzevil");
	press(s, "\r");
	screen_assert_shows(s, "AAABBB go", WAIT_MS);
	assert_int_equal(screen_find(s, "pwned"), -1);
	row = screen_find(s, "AAABBB");
	text = screen_row(s, row);
	col = (int)(strstr(text, "AAABBB") - text) + 4;	/* The first B. */
	/* Byte offset is the column here: the row is ASCII up to it. */
	assert_int_equal(screen_cell_attrs(s, row, col, &a), 0);
	assert_false(a.fg_set);
	/* The screen was not cleared by the document title's CSI 2J. */
	screen_assert_shows(s, "Evil", WAIT_MS);
	quit(s);
}

/* The terminals people use; Ctrl-C and SIGTERM leave them as found. */
static void
test_terminals_and_signals(void **state)
{
	static const char *const terms[] = { "screen-256color", "tmux-256color", "xterm", NULL };
	struct screen *s;
	size_t i;

	(void)state;
	for (i = 0; terms[i] != NULL; i++) {
		s = start(24, 80, terms[i], NULL);
		screen_assert_shows(s, "Platforms (45)", WAIT_MS);
		press(s, "j");
		screen_assert_shows(s, "Apple: provisions", WAIT_MS);
		quit(s);
	}
	s = start(24, 80, NULL, NULL);
	screen_send(s, "\x03");
	assert_int_equal(screen_exit_status(s, WAIT_MS), 0);
	assert_int_equal(screen_altscreen(s), SCREEN_ALT_LEFT);
	screen_stop(s);
}

/* r fetches the selected platform's documents in the background: the
 * status line says so, and when a document changed the platform is marked
 * ! until the user goes into it. */
static void
test_refresh_in_background(void **state)
{
	struct screen *s;
	int row;

	(void)state;
	add_local_platform(world.db);
	s = start(24, 80, NULL, NULL);
	press(s, "G");
	screen_assert_shows(s, "Zzlocal", WAIT_MS);
	press(s, "r");
	screen_assert_shows(s, "refreshed 1 documents: 1 changed", WAIT_MS);
	assert_int_equal(httpd_hits(world.server, "/zzlocal/terms"), 1);
	/* The curated training clause is found in the new text, as it was. */
	screen_assert_shows(s, "Zzlocal trains its models", WAIT_MS);
	/* The page changes; r again finds it changed, and ! marks it. */
	assert_int_equal(httpd_put(world.server, "/zzlocal/terms", local_v2, strlen(local_v2),
				   NULL), 0);
	press(s, "r");
	screen_assert_shows(s, "refreshed 1 documents: 1 changed", WAIT_MS);
	screen_assert_shows(s, " !Zzlocal", WAIT_MS);
	assert_int_equal(httpd_hits(world.server, "/zzlocal/terms"), 2);
	/* Going into its provisions is looking at it: the mark goes, and
	 * stays gone in the next session. */
	press(s, "\t");
	row = screen_find(s, " !Zzlocal");
	assert_int_equal(row, -1);
	/* The provision's own history says what changed in it. */
	screen_assert_shows(s, "Its history", WAIT_MS);
	screen_assert_shows(s, "changed: “out.” became “out in", WAIT_MS);
	quit(s);
	s = start(24, 80, NULL, NULL);
	press(s, "G");
	screen_assert_shows(s, "Zzlocal", WAIT_MS);
	assert_int_equal(screen_find(s, " !Zzlocal"), -1);
	quit(s);
	remove_local_platform(world.db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_screen_lists_platforms),
		cmocka_unit_test(test_navigation_selects),
		cmocka_unit_test(test_search_finds_a_provision),
		cmocka_unit_test(test_search_reads_more_as_you_scroll),
		cmocka_unit_test(test_compare_shows_three_columns),
		cmocka_unit_test(test_matrix_opens_compare),
		cmocka_unit_test(test_watch_marks_platform),
		cmocka_unit_test(test_history_and_diff),
		cmocka_unit_test(test_help_overlay),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_no_color),
		cmocka_unit_test(test_hostile_text_is_inert),
		cmocka_unit_test(test_terminals_and_signals),
		cmocka_unit_test(test_refresh_in_background),
	};

	return cmocka_run_group_tests(tests, world_setup, world_teardown);
}
