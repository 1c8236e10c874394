/*
 * screen: drive a real program in a pseudo-terminal and look at what it
 * drew.  The program runs on the slave side of a new pty; everything it
 * writes is fed to a libvterm screen of rows x cols, which the tests read
 * back as text and attributes.  Queries the program sends (cursor position,
 * device attributes) are answered by libvterm, as a terminal would.
 *
 * A test reads like tig's: keys in, screen text out.
 *
 *	const char *argv[] = { clause, "--db", db, NULL };
 *	struct screen *s = screen_start(argv, NULL, "xterm-256color", 24, 80);
 *
 *	assert_non_null(s);
 *	screen_assert_shows(s, "Platforms", 5000);
 *	screen_send(s, "j");
 *	screen_settle(s, 100, 2000);
 *	screen_assert_row(s, 3, "  GitHub");
 *	screen_send(s, "q");
 *	assert_int_equal(screen_exit_status(s, 5000), 0);
 *	screen_stop(s);
 *
 * Nothing here is shared between handles and nothing is global, so several
 * screens may run at once.  A handle is not for use from two threads.
 */
#ifndef CLAUSE_SCREEN_H
#define CLAUSE_SCREEN_H

/* A child process on a pty and the libvterm screen it draws on. */
struct screen;

/*
 * Starting and stopping.
 */

/* Start argv[0] (looked up in PATH when it has no '/') with the arguments
 * argv[1..] (NULL-terminated) on a new pty of rows x cols, as the leader of a
 * new session with the pty as its controlling terminal and as its standard
 * input, output and error.  The window size is set before the program starts.
 *
 * The environment is the caller's, less COLUMNS and LINES (which would
 * override the window size in ncurses), with TERM=term ("xterm-256color" when
 * term is NULL), LANG=C.UTF-8 and LC_ALL=C.UTF-8, then each "NAME=value" of env
 * (NULL-terminated, may be NULL), which wins over all of these.
 *
 * When $CLAUSE_TEST_WRAPPER is set and not empty, its words (split at spaces)
 * come before argv, as in testutil's test_clause, so that the program can run
 * under valgrind.  Valgrind then writes its reports to the pty, where the
 * alternate screen may hide them: rely on its --error-exitcode through
 * screen_exit_status, or give it --log-file.
 *
 * Returns a handle to free with screen_stop, or NULL with a message on
 * standard error when the pty, the process or the program cannot be had (an
 * exec failure is reported here, not as an exit status of 127). */
struct screen *screen_start(const char *const *argv, const char *const *env, const char *term,
			    int rows, int cols);

/* If the child is still running, send SIGTERM to its process group and give
 * it a second to exit; then SIGKILL what is left in the group (the child, if
 * it held on, and anything it started), reap the child, close the pty and
 * free s.  NULL is a harmless no-op.  Takes a second at most, plus what the
 * kernel needs.  A test that checks a clean exit quits the program itself
 * and asks screen_exit_status before stopping. */
void screen_stop(struct screen *s);

/* The child's exit status, waiting for it to exit for up to timeout_ms (0:
 * just look), rendering its output meanwhile and, once it has exited, all
 * it wrote before (so that the screen is its last).  Returns the exit code, 128 +
 * the signal number if a signal ended it, or -1 if it is still running.  The
 * child stays a zombie until screen_stop so that its process group cannot be
 * mistaken for another; calling this again returns the same status. */
int screen_exit_status(struct screen *s, int timeout_ms);

/*
 * Input.
 */

/* Write keys (NUL-terminated bytes, as typed: "j", "\r", "\x1b" for Esc,
 * "\x03" for Ctrl-C) to the child's terminal, rendering its output while
 * waiting to write.  Returns 0, or -1 when the terminal is closed or the
 * child has not taken the bytes within 5 seconds.
 *
 * Bytes sent in one call usually reach the program in one read(): an Esc
 * followed by other keys then reads as Alt+key.  Send Esc on its own and
 * settle before the next key. */
int screen_send(struct screen *s, const char *keys);

/* Press a named key: "Enter", "Tab", "Backspace", "Esc", "Up", "Down", "Left",
 * "Right", "Insert", "Delete", "Home", "End", "PageUp", "PageDown", "F1" to
 * "F12".  The bytes are those a terminal sends in the child's current modes:
 * after ncurses' keypad(stdscr, TRUE) sends smkx, Up is "\x1bOA", which is
 * what ncurses then recognises as KEY_UP ("\x1b[A" would not be).  Returns 0,
 * or -1 for an unknown name or as screen_send does. */
int screen_key(struct screen *s, const char *name);

/* Resize the vterm, then the pty (TIOCSWINSZ: the child's foreground process
 * group gets SIGWINCH).  Returns 0, or -1 with a message on standard error
 * (rows and cols must be positive). */
int screen_resize(struct screen *s, int rows, int cols);

/*
 * Waiting for output.
 */

/* Read and render the child's output until nothing has arrived for quiet_ms,
 * or until timeout_ms have passed in all.  Returns 0, or -1 when the terminal
 * was already closed (the child and everything it started have exited) and no
 * output was left to render. */
int screen_settle(struct screen *s, int quiet_ms, int timeout_ms);

/* Read and render the child's output until text (UTF-8) appears on one row of
 * the screen, for up to timeout_ms.  Once text is there, whatever output is
 * already waiting is rendered too, so that a frame drawn in one write is
 * complete.  Returns 1 when found, 0 when not (timeout, or the terminal
 * closed without it). */
int screen_wait_for(struct screen *s, const char *text, int timeout_ms);

/*
 * Reading the screen.  These read what has been rendered so far; they do not
 * read from the child.
 */

/* Row (0-based) as UTF-8: a blank cell is a space, a wide character appears
 * once, combining marks follow their base, trailing blanks are trimmed.
 * Returns a string owned by s, valid until the next call on s, or NULL when
 * row is out of range. */
const char *screen_row(struct screen *s, int row);

/* The first row (0-based) on which text appears, or -1. */
int screen_find(struct screen *s, const char *text);

/* The attributes of one cell.  A colour is "set" when it is not the
 * terminal's default: any SGR 30-37, 38, 90-97 (foreground) or 40-47, 48,
 * 100-107 (background).  Reverse video is reported as reverse, the colours
 * are not swapped.  The second column of a wide character has the
 * attributes of the first. */
struct screen_cell_attrs {
	int bold;
	int reverse;
	int underline;		/* 0 off, 1 single, 2 double, 3 curly. */
	int fg_set;		/* Foreground is not the default. */
	int bg_set;		/* Background is not the default. */
	int fg;			/* Palette index 0-255; -1 default; -2 direct RGB. */
	int bg;			/* Palette index 0-255; -1 default; -2 direct RGB. */
};

/* Fill out with the attributes of the cell at (row, col), 0-based.
 * Returns 0, or -1 when the position is off the screen. */
int screen_cell_attrs(struct screen *s, int row, int col, struct screen_cell_attrs *out);

/* The cursor position (0-based) in *row and *col.  Returns 1 when the child
 * has the cursor visible, 0 when it has hidden it (civis). */
int screen_cursor(struct screen *s, int *row, int *col);

/* Whether the child uses the alternate screen (smcup, CSI ?1049h). */
enum screen_alt {
	SCREEN_ALT_NEVER,	/* Never switched to it. */
	SCREEN_ALT_ACTIVE,	/* On it now. */
	SCREEN_ALT_LEFT		/* Switched to it, then back (rmcup, as endwin does). */
};
enum screen_alt screen_altscreen(struct screen *s);

/* The size of the screen now. */
void screen_size(struct screen *s, int *rows, int *cols);

/* The whole screen as text: each row as screen_row gives it, rows joined by
 * '\n' (every row, so rows - 1 newlines).  Malloc'd; NULL when out of memory. */
char *screen_dump(struct screen *s);

/*
 * cmocka assertions that print the screen when they fail.  Include
 * <string.h> and <cmocka.h> before using them.
 */

/* Fail unless text appears within timeout_ms. */
#define screen_assert_shows(s, text, timeout_ms)					\
	do {										\
		if (!screen_wait_for((s), (text), (timeout_ms)))			\
			screen_fail_((s), __FILE__, __LINE__, "'%s' not shown after %d ms",	\
				     (text), (int)(timeout_ms));			\
	} while (0)

/* Fail unless row is exactly text. */
#define screen_assert_row(s, row, text)							\
	do {										\
		const char *got_ = screen_row((s), (row));				\
		if (got_ == NULL || strcmp(got_, (text)) != 0)				\
			screen_fail_((s), __FILE__, __LINE__,				\
				     "row %d is '%s', expected '%s'", (int)(row),	\
				     got_ != NULL ? got_ : "(off screen)", (text));	\
	} while (0)

/* For the macros above: screen_report, then fail the cmocka test (does not
 * return). */
#define screen_fail_(s, file, line, ...)						\
	do {										\
		screen_report((s), (file), (line), __VA_ARGS__);			\
		_fail((file), (line));							\
	} while (0)

/* Print "file:line: message", then every row of the screen after its number
 * and a '|', to standard error (s may be NULL).  Used by the assertions
 * above; a test may call it before failing in its own way. */
void screen_report(struct screen *s, const char *file, int line, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

#endif
