/*
 * test-screen: the pty + libvterm harness the UI tests stand on, tested
 * with programs every Debian system has (sh, printf, cat, stty, head, od):
 * text, cursor movement, attributes, wide and combining characters, keys,
 * answers to terminal queries, resizing, the alternate screen, exit status
 * and the bounded waits.
 */

#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "screen.h"

static long long
elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &now), 0);
	return (long long)(now.tv_sec - since->tv_sec) * 1000
	       + (now.tv_nsec - since->tv_nsec) / 1000000;
}

/* Start sh -c script on a rows x cols xterm-256color. */
static struct screen *
start_sh(const char *script, const char *const *env, int rows, int cols)
{
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct screen *s = screen_start(argv, env, "xterm-256color", rows, cols);

	assert_non_null(s);
	return s;
}

/* Run sh -c script on a 24 x 80 screen to its end, expecting status, with
 * everything it wrote rendered. */
static struct screen *
run_sh(const char *script, int status)
{
	struct screen *s = start_sh(script, NULL, 24, 80);

	assert_int_equal(screen_exit_status(s, 5000), status);
	screen_settle(s, 20, 2000);
	return s;
}

static void
test_text_and_cursor_movement(void **state)
{
	struct screen *s;
	char last[80];

	(void)state;
	s = run_sh("printf 'hello\\n\\033[5;10Hxy\\033[2;3Habc\\033[24;75Hend'", 0);
	screen_assert_row(s, 0, "hello");
	screen_assert_row(s, 1, "  abc");
	screen_assert_row(s, 2, "");
	screen_assert_row(s, 4, "         xy");
	memset(last, ' ', 74);
	strcpy(last + 74, "end");
	screen_assert_row(s, 23, last);
	assert_null(screen_row(s, 24));
	assert_null(screen_row(s, -1));
	assert_int_equal(screen_find(s, "xy"), 4);
	assert_int_equal(screen_find(s, "hello"), 0);
	assert_int_equal(screen_find(s, "nowhere"), -1);
	/* Text that only reads across two rows is not on one row. */
	assert_int_equal(screen_find(s, "helloabc"), -1);
	screen_stop(s);
}

static void
test_attributes(void **state)
{
	struct screen *s;
	struct screen_cell_attrs a;

	(void)state;
	s = run_sh("printf 'N \\033[1mB\\033[0m \\033[7mR\\033[0m \\033[4mU\\033[0m "
		   "\\033[31mF\\033[0m \\033[42mG\\033[0m \\033[38;5;200mX\\033[39mD "
		   "\\033[1;7;33;44mA\\033[m'", 0);
	screen_assert_row(s, 0, "N B R U F G XD A");

	assert_int_equal(screen_cell_attrs(s, 0, 0, &a), 0);
	assert_false(a.bold || a.reverse || a.underline || a.fg_set || a.bg_set);
	assert_int_equal(a.fg, -1);
	assert_int_equal(a.bg, -1);

	assert_int_equal(screen_cell_attrs(s, 0, 2, &a), 0);
	assert_true(a.bold);
	assert_false(a.reverse || a.underline || a.fg_set || a.bg_set);

	assert_int_equal(screen_cell_attrs(s, 0, 4, &a), 0);
	assert_true(a.reverse);
	assert_false(a.bold || a.underline || a.fg_set || a.bg_set);

	assert_int_equal(screen_cell_attrs(s, 0, 6, &a), 0);
	assert_int_equal(a.underline, 1);
	assert_false(a.bold || a.reverse || a.fg_set || a.bg_set);

	assert_int_equal(screen_cell_attrs(s, 0, 8, &a), 0);
	assert_true(a.fg_set);
	assert_int_equal(a.fg, 1);
	assert_false(a.bg_set);

	assert_int_equal(screen_cell_attrs(s, 0, 10, &a), 0);
	assert_true(a.bg_set);
	assert_int_equal(a.bg, 2);
	assert_false(a.fg_set);

	assert_int_equal(screen_cell_attrs(s, 0, 12, &a), 0);
	assert_true(a.fg_set);
	assert_int_equal(a.fg, 200);

	/* SGR 39 goes back to the default foreground. */
	assert_int_equal(screen_cell_attrs(s, 0, 13, &a), 0);
	assert_false(a.fg_set);

	assert_int_equal(screen_cell_attrs(s, 0, 15, &a), 0);
	assert_true(a.bold && a.reverse && a.fg_set && a.bg_set);
	assert_int_equal(a.fg, 3);
	assert_int_equal(a.bg, 4);

	/* The space after the last reset is plain again. */
	assert_int_equal(screen_cell_attrs(s, 0, 16, &a), 0);
	assert_false(a.bold || a.reverse || a.fg_set || a.bg_set);

	assert_int_equal(screen_cell_attrs(s, 24, 0, &a), -1);
	assert_int_equal(screen_cell_attrs(s, 0, 80, &a), -1);
	assert_int_equal(screen_cell_attrs(s, -1, 0, &a), -1);
	screen_stop(s);
}

static void
test_wide_and_combining_characters(void **state)
{
	struct screen *s;
	struct screen_cell_attrs a;

	(void)state;
	s = run_sh("printf '\\346\\274\\242\\345\\255\\227x|\\n"	/* 漢字x| */
		   "e\\314\\201!\\n"					/* e + U+0301, ! */
		   "\\033(0lqk\\033(B\\n"				/* DEC line drawing */
		   "\\033[7m\\346\\274\\242\\033[m.'", 0);
	screen_assert_row(s, 0, "漢字x|");
	screen_assert_row(s, 1, "e\xcc\x81!");
	screen_assert_row(s, 2, "┌─┐");
	screen_assert_row(s, 3, "漢.");
	assert_int_equal(screen_find(s, "字x"), 0);
	assert_int_equal(screen_find(s, "\xcc\x81"), 1);

	/* Each wide character takes two columns: x is in column 4. */
	assert_int_equal(screen_cell_attrs(s, 3, 0, &a), 0);
	assert_true(a.reverse);
	assert_int_equal(screen_cell_attrs(s, 3, 1, &a), 0);
	assert_true(a.reverse);
	assert_int_equal(screen_cell_attrs(s, 3, 2, &a), 0);
	assert_false(a.reverse);
	screen_stop(s);
}

static void
test_keys_are_echoed_and_read(void **state)
{
	const char *argv[] = { "cat", NULL };
	struct screen *s;

	(void)state;
	s = screen_start(argv, NULL, NULL, 10, 40);
	assert_non_null(s);
	assert_int_equal(screen_send(s, "hello \xc3\xa9\r"), 0);
	/* The terminal echoes the line, then cat writes it back. */
	screen_assert_shows(s, "hello é", 3000);
	assert_int_equal(screen_settle(s, 100, 2000), 0);
	screen_assert_row(s, 0, "hello é");
	screen_assert_row(s, 1, "hello é");
	/* Ctrl-D at the start of a line: end of file, cat exits. */
	assert_int_equal(screen_send(s, "\x04"), 0);
	assert_int_equal(screen_exit_status(s, 3000), 0);
	screen_stop(s);
}

static void
test_named_keys_follow_the_cursor_key_mode(void **state)
{
	struct screen *s;

	(void)state;
	/* Normal cursor keys: Up is CSI A. */
	s = start_sh("stty -icanon -echo min 1; echo ready; head -c 3 | od -An -tx1", NULL, 10, 40);
	screen_assert_shows(s, "ready", 3000);
	assert_int_equal(screen_key(s, "Up"), 0);
	screen_assert_shows(s, "1b 5b 41", 3000);
	assert_int_equal(screen_exit_status(s, 3000), 0);
	screen_stop(s);

	/* After smkx (what ncurses' keypad() sends), Up is SS3 A. */
	s = start_sh("stty -icanon -echo min 1; printf '\\033[?1h\\033=ready\\n';"
		     " head -c 6 | od -An -tx1", NULL, 10, 40);
	screen_assert_shows(s, "ready", 3000);
	assert_int_equal(screen_key(s, "Up"), 0);
	assert_int_equal(screen_key(s, "F1"), 0);
	screen_assert_shows(s, "1b 4f 41 1b 4f 50", 3000);
	assert_int_equal(screen_exit_status(s, 3000), 0);

	assert_int_equal(screen_key(s, "NoSuchKey"), -1);
	assert_int_equal(screen_key(s, "F13"), -1);
	screen_stop(s);

	s = start_sh("stty -icanon -icrnl -echo min 1; echo ready; head -c 5 | od -An -tx1",
		     NULL, 10, 40);
	screen_assert_shows(s, "ready", 3000);
	assert_int_equal(screen_key(s, "Enter"), 0);
	assert_int_equal(screen_key(s, "Tab"), 0);
	assert_int_equal(screen_key(s, "Backspace"), 0);
	assert_int_equal(screen_key(s, "Esc"), 0);
	assert_int_equal(screen_send(s, "q"), 0);
	screen_assert_shows(s, "0d 09 7f 1b 71", 3000);
	screen_stop(s);
}

static void
test_terminal_queries_are_answered(void **state)
{
	struct screen *s;

	(void)state;
	/* A cursor position report, as a program asking where it is gets. */
	s = start_sh("stty -icanon -echo min 6 time 0; printf '\\033[3;7H\\033[6n';"
		     " r=$(head -c 6 | tr '\\033' '^'); printf '\\033[10;1Hgot %s\\n' \"$r\"",
		     NULL, 24, 80);
	screen_assert_shows(s, "got ^[3;7R", 3000);
	assert_int_equal(screen_find(s, "got"), 9);
	assert_int_equal(screen_exit_status(s, 3000), 0);
	screen_stop(s);
}

static void
test_size_and_resize(void **state)
{
	struct screen *s;
	int rows, cols;

	(void)state;
	s = start_sh("stty size; read x; stty size; read y", NULL, 24, 80);
	screen_assert_shows(s, "24 80", 3000);
	screen_size(s, &rows, &cols);
	assert_int_equal(rows, 24);
	assert_int_equal(cols, 80);

	assert_int_equal(screen_resize(s, 30, 100), 0);
	screen_size(s, &rows, &cols);
	assert_int_equal(rows, 30);
	assert_int_equal(cols, 100);
	assert_int_equal(screen_send(s, "\r"), 0);
	screen_assert_shows(s, "30 100", 3000);
	screen_assert_row(s, 0, "24 80");
	assert_non_null(screen_row(s, 29));
	assert_null(screen_row(s, 30));

	/* Smaller: rows off the new screen are gone. */
	assert_int_equal(screen_resize(s, 5, 20), 0);
	assert_non_null(screen_row(s, 4));
	assert_null(screen_row(s, 5));
	assert_int_equal(screen_resize(s, 0, 20), -1);
	assert_int_equal(screen_send(s, "\r"), 0);
	assert_int_equal(screen_exit_status(s, 3000), 0);
	screen_stop(s);
}

static void
test_resize_sends_sigwinch(void **state)
{
	struct screen *s;

	(void)state;
	/* Bounded: the loop ends by itself after five seconds. */
	s = start_sh("trap 'echo WINCH $(stty size)' WINCH; echo ready; i=0;"
		     " while [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done", NULL, 24, 80);
	screen_assert_shows(s, "ready", 3000);
	assert_int_equal(screen_resize(s, 12, 60), 0);
	screen_assert_shows(s, "WINCH 12 60", 3000);
	screen_stop(s);
}

static void
test_exit_status(void **state)
{
	struct screen *s;

	(void)state;
	s = start_sh("echo bye; exit 3", NULL, 24, 80);
	screen_assert_shows(s, "bye", 3000);
	assert_int_equal(screen_exit_status(s, 3000), 3);
	/* Asked again, the same answer. */
	assert_int_equal(screen_exit_status(s, 0), 3);
	/* Everything was rendered, and the terminal is closed: nothing is
	 * left to settle. */
	screen_settle(s, 20, 1000);
	assert_int_equal(screen_settle(s, 20, 1000), -1);
	assert_int_equal(screen_wait_for(s, "never", 1000), 0);
	assert_int_equal(screen_send(s, "x"), -1);
	screen_stop(s);

	/* Ended by a signal: 128 + its number. */
	s = start_sh("kill -TERM $$", NULL, 24, 80);
	assert_int_equal(screen_exit_status(s, 3000), 128 + 15);
	screen_stop(s);

	/* Still running: -1 after the timeout. */
	s = start_sh("read x", NULL, 24, 80);
	assert_int_equal(screen_exit_status(s, 0), -1);
	assert_int_equal(screen_exit_status(s, 100), -1);
	assert_int_equal(screen_send(s, "\r"), 0);
	assert_int_equal(screen_exit_status(s, 3000), 0);
	screen_stop(s);
}

static void
test_alternate_screen(void **state)
{
	struct screen *s;

	(void)state;
	s = start_sh("echo main; read x; printf '\\033[?1049h\\033[H\\033[2Jalt\\n'; read y;"
		     " printf '\\033[?1049l'; read z", NULL, 24, 80);
	screen_assert_shows(s, "main", 3000);
	assert_int_equal(screen_altscreen(s), SCREEN_ALT_NEVER);
	assert_int_equal(screen_send(s, "\r"), 0);
	screen_assert_shows(s, "alt", 3000);
	assert_int_equal(screen_altscreen(s), SCREEN_ALT_ACTIVE);
	assert_int_equal(screen_find(s, "main"), -1);
	assert_int_equal(screen_send(s, "\r"), 0);
	screen_assert_shows(s, "main", 3000);
	assert_int_equal(screen_altscreen(s), SCREEN_ALT_LEFT);
	assert_int_equal(screen_find(s, "alt"), -1);
	assert_int_equal(screen_send(s, "\r"), 0);
	assert_int_equal(screen_exit_status(s, 3000), 0);
	screen_stop(s);
}

static void
test_cursor(void **state)
{
	struct screen *s;
	int row = -1, col = -1;

	(void)state;
	s = run_sh("printf '\\033[4;9Hab'", 0);
	assert_int_equal(screen_cursor(s, &row, &col), 1);
	assert_int_equal(row, 3);
	assert_int_equal(col, 10);
	screen_stop(s);

	s = run_sh("printf '\\033[?25l\\033[2;2H'", 0);
	assert_int_equal(screen_cursor(s, &row, &col), 0);
	assert_int_equal(row, 1);
	assert_int_equal(col, 1);
	screen_stop(s);
}

static void
test_wait_for_times_out(void **state)
{
	struct timespec start;
	struct screen *s;
	long long ms;

	(void)state;
	s = start_sh("echo present; sleep 10", NULL, 24, 80);
	screen_assert_shows(s, "present", 3000);
	assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &start), 0);
	assert_int_equal(screen_wait_for(s, "absent", 300), 0);
	ms = elapsed_ms(&start);
	assert_true(ms >= 290 && ms < 1500);

	/* settle is bounded by its timeout even while output goes on. */
	screen_stop(s);
	s = start_sh("i=0; while [ $i -lt 100 ]; do echo $i; sleep 0.02; i=$((i + 1)); done",
		     NULL, 24, 80);
	assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &start), 0);
	assert_int_equal(screen_settle(s, 500, 300), 0);
	ms = elapsed_ms(&start);
	assert_true(ms >= 290 && ms < 1500);

	/* Stopping a sleeping child is quick: SIGTERM ends it. */
	assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &start), 0);
	screen_stop(s);
	assert_true(elapsed_ms(&start) < 1000);
}

static void
test_stop_kills_what_ignores_sigterm(void **state)
{
	struct timespec start;
	struct screen *s;
	long long ms;

	(void)state;
	s = start_sh("trap '' TERM HUP; echo ready; i=0;"
		     " while [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done", NULL, 24, 80);
	screen_assert_shows(s, "ready", 3000);
	assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &start), 0);
	screen_stop(s);
	ms = elapsed_ms(&start);
	assert_true(ms >= 900 && ms < 3000);

	screen_stop(NULL);
}

static void
test_start_failures(void **state)
{
	const char *missing[] = { "/nonexistent/program", NULL };
	const char *unknown[] = { "clause-no-such-program", NULL };
	const char *noexec[] = { "/etc/passwd", NULL };
	const char *sh[] = { "/bin/sh", "-c", "true", NULL };
	const char *bad_env[] = { "NOEQUALS", NULL };
	const char *empty[] = { NULL };

	(void)state;
	assert_null(screen_start(missing, NULL, NULL, 24, 80));
	assert_null(screen_start(unknown, NULL, NULL, 24, 80));
	assert_null(screen_start(noexec, NULL, NULL, 24, 80));
	assert_null(screen_start(empty, NULL, NULL, 24, 80));
	assert_null(screen_start(sh, bad_env, NULL, 24, 80));
	assert_null(screen_start(sh, NULL, NULL, 0, 80));
	assert_null(screen_start(sh, NULL, NULL, 24, -1));
}

static void
test_environment(void **state)
{
	const char *env[] = { "CLAUSE_SCREEN_TEST=yes", "LC_ALL=C", NULL };
	const char *argv[] = {
		"sh", "-c",
		"echo \"$TERM|$LANG|$LC_ALL|${COLUMNS-none}|${LINES-none}|$CLAUSE_SCREEN_TEST|\"",
		NULL
	};
	struct screen *s;

	(void)state;
	/* COLUMNS and LINES would override the window size in ncurses. */
	assert_int_equal(setenv("COLUMNS", "5", 1), 0);
	assert_int_equal(setenv("LINES", "5", 1), 0);
	s = screen_start(argv, env, "vt100", 24, 80);
	assert_int_equal(unsetenv("COLUMNS"), 0);
	assert_int_equal(unsetenv("LINES"), 0);
	assert_non_null(s);
	screen_assert_shows(s, "vt100|C.UTF-8|C|none|none|yes|", 3000);
	screen_stop(s);

	s = start_sh("echo \"$TERM $LC_ALL\"", NULL, 24, 80);
	screen_assert_shows(s, "xterm-256color C.UTF-8", 3000);
	screen_stop(s);
}

static void
test_wrapper(void **state)
{
	struct screen *s;

	(void)state;
	/* As valgrind would, the wrapper runs the program. */
	assert_int_equal(setenv("CLAUSE_TEST_WRAPPER", "env CLAUSE_WRAPPED=yes", 1), 0);
	s = start_sh("echo \"wrapped=$CLAUSE_WRAPPED\"", NULL, 24, 80);
	assert_int_equal(unsetenv("CLAUSE_TEST_WRAPPER"), 0);
	screen_assert_shows(s, "wrapped=yes", 3000);
	assert_int_equal(screen_exit_status(s, 3000), 0);
	screen_stop(s);
}

static void
test_dump(void **state)
{
	struct screen *s;
	char *dump;

	(void)state;
	s = start_sh("printf 'one\\n\\033[7mtwo\\033[m  \\n\\n  four'; read x", NULL, 5, 20);
	screen_assert_shows(s, "four", 3000);
	dump = screen_dump(s);
	assert_non_null(dump);
	assert_string_equal(dump, "one\ntwo\n\n  four\n");
	free(dump);
	screen_stop(s);
}

static void
test_many_screens_at_once(void **state)
{
	struct screen *a, *b;

	(void)state;
	a = start_sh("read x; echo a=$x", NULL, 10, 30);
	b = start_sh("read x; echo b=$x", NULL, 10, 30);
	assert_int_equal(screen_send(b, "2\r"), 0);
	assert_int_equal(screen_send(a, "1\r"), 0);
	screen_assert_shows(a, "a=1", 3000);
	screen_assert_shows(b, "b=2", 3000);
	assert_int_equal(screen_find(a, "b="), -1);
	assert_int_equal(screen_exit_status(a, 3000), 0);
	assert_int_equal(screen_exit_status(b, 3000), 0);
	screen_stop(b);
	screen_stop(a);
}

static void
test_lots_of_output(void **state)
{
	struct screen *s;

	(void)state;
	/* Far more than a pty holds: the child must not block. */
	s = start_sh("i=0; while [ $i -lt 3000 ];"
		     " do echo \"line $i of output\"; i=$((i + 1)); done", NULL, 24, 80);
	assert_int_equal(screen_exit_status(s, 5000), 0);
	screen_settle(s, 20, 2000);
	screen_assert_row(s, 22, "line 2999 of output");
	screen_assert_row(s, 0, "line 2977 of output");
	screen_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_and_cursor_movement),
		cmocka_unit_test(test_attributes),
		cmocka_unit_test(test_wide_and_combining_characters),
		cmocka_unit_test(test_keys_are_echoed_and_read),
		cmocka_unit_test(test_named_keys_follow_the_cursor_key_mode),
		cmocka_unit_test(test_terminal_queries_are_answered),
		cmocka_unit_test(test_size_and_resize),
		cmocka_unit_test(test_resize_sends_sigwinch),
		cmocka_unit_test(test_exit_status),
		cmocka_unit_test(test_alternate_screen),
		cmocka_unit_test(test_cursor),
		cmocka_unit_test(test_wait_for_times_out),
		cmocka_unit_test(test_stop_kills_what_ignores_sigterm),
		cmocka_unit_test(test_start_failures),
		cmocka_unit_test(test_environment),
		cmocka_unit_test(test_wrapper),
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_many_screens_at_once),
		cmocka_unit_test(test_lots_of_output),
	};

	/* The harness's own tests run sh, not clause: no wrapper for them
	 * (test_wrapper sets its own). */
	if (unsetenv("CLAUSE_TEST_WRAPPER") != 0)
		return 99;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
