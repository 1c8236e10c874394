/*
 * bench-ui: how fast the browser starts and answers a key, on a large
 * database, measured as a person sees it: the real binary in a pty, its
 * screen rendered by libvterm.
 *
 * Usage: bench-ui DATABASE   (make bench passes the 100,000-provision
 * database that tests/bench built).  It prints:
 *   - the time from exec to the first complete screen (the status line
 *     drawn), over several starts;
 *   - the time from a keystroke to its finished redraw, p50 and p99, for
 *     keys typed into the incremental search and for moving in the lists.
 * A benchmark reports and does not judge: it exits 0 when a target is
 * missed, 1 only when something failed.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "screen.h"
#include "testutil.h"

#define STARTS 10
#define WAIT_MS 30000
/* A redraw is finished when the screen has been still this long. */
#define QUIET_MS 3

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int
compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
percentile(double *v, size_t n, double p)
{
	size_t i;

	qsort(v, n, sizeof(*v), compare_double);
	i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

static struct screen *
start(const char *db_option)
{
	const char *bin = getenv("CLAUSE_BIN");
	const char *argv[] = { bin != NULL ? bin : "./clause", db_option, NULL };

	return screen_start(argv, NULL, "xterm-256color", 24, 80);
}

/* Time from sending keys to the screen showing text (or, when text is
 * NULL, to the screen changing at all), then being still. */
static double
key_to_redraw(struct screen *s, const char *keys, const char *text)
{
	char *before = text == NULL ? screen_dump(s) : NULL;
	double t0 = now_ms(), waited = 0;

	screen_send(s, keys);
	if (text != NULL && !screen_wait_for(s, text, WAIT_MS))
		return -1.0;
	while (text == NULL && before != NULL && waited < WAIT_MS) {
		char *now;
		int same;

		screen_settle(s, 1, 5);
		now = screen_dump(s);
		same = now != NULL && strcmp(now, before) == 0;
		free(now);
		if (!same)
			break;
		waited = now_ms() - t0;
	}
	free(before);
	screen_settle(s, QUIET_MS, WAIT_MS);
	return now_ms() - t0 - QUIET_MS;
}

int
main(int argc, char **argv)
{
	static const char *const words[] = {
		"data", "arbitration", "train", "optout", "licence", "delete", "share",
		"privacy", "children", "thirdparty", NULL
	};
	double starts[STARTS], keys[512], moves[200];
	size_t nkeys = 0, nmoves = 0, i;
	char option[4096], prompt[256];
	struct test_run r;
	struct screen *s;

	if (argc != 2) {
		fprintf(stderr, "usage: bench-ui DATABASE\n");
		return 1;
	}
	snprintf(option, sizeof(option), "--db=%s", argv[1]);
	/* Load the embedded dataset into it first: that is a first run's
	 * cost, not a start's. */
	test_clause(&r, NULL, (const char *[]){ option, "types", NULL });
	if (r.status != 0) {
		fprintf(stderr, "bench-ui: clause types: %s", r.err);
		test_run_free(&r);
		return 1;
	}
	test_run_free(&r);

	for (i = 0; i < STARTS; i++) {
		double t0 = now_ms();

		s = start(option);
		if (s == NULL || !screen_wait_for(s, "? help", WAIT_MS)) {
			fprintf(stderr, "bench-ui: the browser did not start\n");
			screen_stop(s);
			return 1;
		}
		screen_settle(s, QUIET_MS, WAIT_MS);
		starts[i] = now_ms() - t0 - QUIET_MS;
		screen_send(s, "q");
		screen_exit_status(s, WAIT_MS);
		screen_stop(s);
	}

	s = start(option);
	if (s == NULL || !screen_wait_for(s, "? help", WAIT_MS)) {
		fprintf(stderr, "bench-ui: the browser did not start\n");
		screen_stop(s);
		return 1;
	}
	screen_settle(s, 50, WAIT_MS);
	/* Typing into the search: each key redraws the results. */
	for (i = 0; words[i] != NULL && nkeys < sizeof(keys) / sizeof(keys[0]); i++) {
		size_t j, len = strlen(words[i]);
		double t;

		if (key_to_redraw(s, "/", "/") < 0)
			goto fail;
		for (j = 0; j < len; j++) {
			char key[2] = { words[i][j], '\0' };

			snprintf(prompt, sizeof(prompt), "/%.*s", (int)j + 1, words[i]);
			t = key_to_redraw(s, key, prompt);
			if (t < 0)
				goto fail;
			keys[nkeys++] = t;
		}
		/* Esc twice: out of typing, back to the main screen. */
		screen_send(s, "\x1b");
		screen_settle(s, 60, WAIT_MS);
		screen_send(s, "\x1b");
		screen_settle(s, 60, WAIT_MS);
		/* Clear the query for the next word. */
		if (key_to_redraw(s, "/", "/") < 0)
			goto fail;
		screen_send(s, "\x15\x1b");
		screen_settle(s, 60, WAIT_MS);
		screen_send(s, "\x1b");
		screen_settle(s, 60, WAIT_MS);
	}
	/* Moving down the platforms: each key loads a platform's provisions. */
	for (i = 0; i < 100; i++) {
		double t = key_to_redraw(s, i % 2 == 0 ? "j" : "k", NULL);

		if (t < 0)
			goto fail;
		moves[nmoves++] = t;
	}
	screen_send(s, "q");
	screen_exit_status(s, WAIT_MS);
	screen_stop(s);

	printf("clause bench: browser (%s)\n", argv[1]);
	printf("  exec to first screen     p50 %.1f ms  max %.1f ms over %d starts"
	       "  (target < 50 ms: %s)\n",
	       percentile(starts, STARTS, 0.5), percentile(starts, STARTS, 1.0), STARTS,
	       percentile(starts, STARTS, 0.5) < 50.0 ? "met" : "MISSED");
	printf("  search key to redraw     p50 %.1f ms  p99 %.1f ms over %zu keys"
	       "  (target p99 < 16 ms: %s)\n",
	       percentile(keys, nkeys, 0.5), percentile(keys, nkeys, 0.99), nkeys,
	       percentile(keys, nkeys, 0.99) < 16.0 ? "met" : "MISSED");
	printf("  list move to redraw      p50 %.1f ms  p99 %.1f ms over %zu keys\n",
	       percentile(moves, nmoves, 0.5), percentile(moves, nmoves, 0.99), nmoves);
	return 0;

fail:
	fprintf(stderr, "bench-ui: the browser did not redraw after a key\n");
	screen_stop(s);
	return 1;
}
