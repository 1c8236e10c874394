/*
 * test-filter: helper programs run over a buffer within their bounds, and
 * clause-pdftext, the helper that reads PDF, refusing what is not one.
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

#include "filter.h"
#include "paths.h"

static const struct filter_bounds roomy = { 16 * 1024 * 1024, 20000 };

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Run sh -c script over in; the return value of filter_run. */
static int
run_sh(const char *script, const char *in, size_t inlen, const struct filter_bounds *b,
       char **out, size_t *outlen, char *err, size_t errlen)
{
	const char *argv[] = { "/bin/sh", "-c", script, NULL };

	return filter_run(argv, in, inlen, b, out, outlen, err, errlen);
}

/* Four megabytes through cat: more than a pipe holds either way, so a
 * filter that wrote all the input before reading would wait for ever. */
static void
test_large_input_comes_back_whole(void **state)
{
	size_t len = 4 * 1024 * 1024, outlen, i;
	char *in = malloc(len), *out, err[256];

	(void)state;
	assert_non_null(in);
	for (i = 0; i < len; i++)
		in[i] = (char)('a' + i % 26);
	if (run_sh("cat", in, len, &roomy, &out, &outlen, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(outlen, len);
	assert_memory_equal(out, in, len);
	assert_int_equal(out[outlen], '\0');
	free(out);
	free(in);
}

static void
test_empty_input_and_output(void **state)
{
	char *out, err[256];
	size_t outlen;

	(void)state;
	assert_int_equal(run_sh("cat", "", 0, &roomy, &out, &outlen, err, sizeof(err)), 0);
	assert_int_equal(outlen, 0);
	assert_string_equal(out, "");
	free(out);
}

/* A helper that exits without reading its input: no SIGPIPE (the test
 * would die of it), and its exit status is what counts. */
static void
test_helper_that_stops_reading(void **state)
{
	size_t len = 2 * 1024 * 1024, outlen;
	char *in = calloc(1, len), *out, err[256];

	(void)state;
	assert_non_null(in);
	assert_int_equal(run_sh("echo done", in, len, &roomy, &out, &outlen, err, sizeof(err)),
			 0);
	assert_string_equal(out, "done\n");
	free(out);
	assert_int_equal(run_sh("echo cannot >&2; exit 3", in, len, &roomy, &out, &outlen, err,
				sizeof(err)), -1);
	assert_null(out);
	assert_string_equal(err, "cannot");
	free(in);
}

/* The reason is the last line of standard error, made printable. */
static void
test_reason_is_the_last_line(void **state)
{
	char *out, err[256];
	size_t outlen;

	(void)state;
	assert_int_equal(run_sh("i=0; while [ $i -lt 500 ]; do echo 'Syntax Error: noise' >&2; "
				"i=$((i + 1)); done; printf 'not a PDF: \\033]0;x\\007 bad\\n\\n' >&2; "
				"echo partial; exit 1", "x", 1, &roomy, &out, &outlen, err,
				sizeof(err)),
			 -1);
	assert_null(out);
	assert_string_equal(err, "not a PDF: ?]0;x? bad");
	/* Nothing on standard error: the status. */
	assert_int_equal(run_sh("exit 7", "", 0, &roomy, &out, &outlen, err, sizeof(err)), -1);
	assert_string_equal(err, "sh: exit status 7");
	assert_int_equal(run_sh("kill -9 $$", "", 0, &roomy, &out, &outlen, err, sizeof(err)), -1);
	assert_string_equal(err, "sh: killed by signal 9");
}

static void
test_bounds(void **state)
{
	const struct filter_bounds tight = { 1000, 300 };
	char *out, err[256];
	size_t outlen;
	double start;

	(void)state;
	start = now_ms();
	assert_int_equal(run_sh("exec sleep 30", "", 0, &tight, &out, &outlen, err, sizeof(err)), -1);
	assert_null(out);
	assert_string_equal(err, "sh: stopped after 300 ms");
	if (now_ms() - start > 10000.0)
		fail_msg("a helper out of time was not stopped: %.0f ms", now_ms() - start);
	/* Output without end. */
	assert_int_equal(run_sh("exec yes", "", 0, &tight, &out, &outlen, err, sizeof(err)), -1);
	assert_null(out);
	assert_string_equal(err, "sh: stopped past 1000 bytes of output");
	/* Exactly the bound is allowed. */
	assert_int_equal(run_sh("head -c 1000 /dev/zero", "", 0, &tight, &out, &outlen, err,
				sizeof(err)), 0);
	assert_int_equal(outlen, 1000);
	free(out);
}

static void
test_missing_helper(void **state)
{
	const char *argv[] = { "/nonexistent/clause-helper", NULL };
	char *out, err[256];
	size_t outlen;

	(void)state;
	assert_int_equal(filter_run(argv, "x", 1, &roomy, &out, &outlen, err, sizeof(err)), -1);
	assert_null(out);
	assert_string_equal(err, "cannot run /nonexistent/clause-helper: No such file or directory");
}

/* clause-pdftext, found as clause finds it, on what is not a PDF. */
static void
test_pdftext_refuses_what_is_not_a_pdf(void **state)
{
	static const char fake[] = "%PDF-1.4\n\x1b[2J garbage, not a document\n%%EOF\n";
	char *helper, *out, err[256];
	const char *argv[2];
	size_t outlen;

	(void)state;
	helper = paths_helper("clause-pdftext", err, sizeof(err));
	assert_non_null(helper);
	argv[0] = helper;
	argv[1] = NULL;
	assert_int_equal(filter_run(argv, fake, sizeof(fake) - 1, &roomy, &out, &outlen, err,
				    sizeof(err)), -1);
	assert_null(out);
	if (strncmp(err, "not a readable PDF: ", 20) != 0)
		fail_msg("clause-pdftext said: %s", err);
	/* Empty input: not a PDF either. */
	assert_int_equal(filter_run(argv, "", 0, &roomy, &out, &outlen, err, sizeof(err)), -1);
	if (strncmp(err, "not a readable PDF: ", 20) != 0)
		fail_msg("clause-pdftext said: %s", err);
	free(helper);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_large_input_comes_back_whole),
		cmocka_unit_test(test_empty_input_and_output),
		cmocka_unit_test(test_helper_that_stops_reading),
		cmocka_unit_test(test_reason_is_the_last_line),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_missing_helper),
		cmocka_unit_test(test_pdftext_refuses_what_is_not_a_pdf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
