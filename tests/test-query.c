/*
 * test-query: the search language becomes well-formed FTS5 expressions, and
 * malformed queries become one-line messages.
 */

#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "query.h"

static void
assert_match(const char *input, const char *expected)
{
	struct query q;
	char err[256] = "";

	if (query_parse(input, &q, err, sizeof(err)) != 0)
		fail_msg("query %s refused: %s", input, err);
	assert_non_null(q.match);
	assert_string_equal(q.match, expected);
	query_free(&q);
	assert_null(q.match);
}

static void
assert_refused(const char *input, const char *message)
{
	struct query q;
	char err[256] = "";

	assert_int_equal(query_parse(input, &q, err, sizeof(err)), -1);
	assert_string_equal(err, message);
	assert_null(q.match);
	assert_null(q.platform);
	assert_null(q.kind);
}

static void
test_words_are_quoted_and_anded(void **state)
{
	(void)state;
	assert_match("training", "\"training\"");
	assert_match("train opt-out", "\"train\" AND \"opt-out\"");
	assert_match("  spaced\tout  ", "\"spaced\" AND \"out\"");
	/* FTS5 keywords and column syntax in a word are only words. */
	assert_match("near headline:x", "\"near\" AND \"headline:x\"");
	assert_match("données", "\"données\"");
}

static void
test_phrases_and_prefixes(void **state)
{
	(void)state;
	assert_match("\"opt out\"", "\"opt out\"");
	assert_match("train*", "\"train\"*");
	assert_match("\"opt ou\"*", "\"opt ou\"*");
	assert_match("train** data", "\"train\"* AND \"data\"");
	assert_match("model\"opt out\"", "\"model\" AND \"opt out\"");
}

static void
test_operators_and_groups(void **state)
{
	(void)state;
	assert_match("arbitration OR jury", "\"arbitration\" OR \"jury\"");
	assert_match("train NOT feedback", "\"train\" NOT \"feedback\"");
	assert_match("(train OR learn) chats", "(\"train\" OR \"learn\") AND \"chats\"");
	assert_match("chats (train OR learn)", "\"chats\" AND (\"train\" OR \"learn\")");
	/* Lower-case operators are words. */
	assert_match("opt or out", "\"opt\" AND \"or\" AND \"out\"");
}

static void
test_punctuation_alone_is_skipped(void **state)
{
	(void)state;
	assert_match("terms & conditions", "\"terms\" AND \"conditions\"");
	assert_match("- data -", "\"data\"");
}

static void
test_filters(void **state)
{
	struct query q;
	char err[256];

	(void)state;
	assert_int_equal(query_parse("platform:claude-ai kind:arbitration waive", &q, err,
				     sizeof(err)), 0);
	assert_string_equal(q.match, "\"waive\"");
	assert_string_equal(q.platform, "claude-ai");
	assert_string_equal(q.kind, "arbitration");
	query_free(&q);

	assert_int_equal(query_parse("TYPE:feedback-licence platform:\"le chat\"", &q, err,
				     sizeof(err)), 0);
	assert_null(q.match);
	assert_string_equal(q.kind, "feedback-licence");
	assert_string_equal(q.platform, "le chat");
	query_free(&q);

	assert_int_equal(query_parse("severity:high opt", &q, err, sizeof(err)), 0);
	assert_string_equal(q.severity, "high");
	assert_string_equal(q.match, "\"opt\"");
	query_free(&q);
	assert_null(q.severity);
}

static void
test_malformed_queries(void **state)
{
	(void)state;
	assert_refused("\"foo", "unterminated quote in \"foo");
	assert_refused("train \"opt out", "unterminated quote in train \"opt out");
	assert_refused("", "nothing to search for in ''");
	assert_refused("  -- ", "nothing to search for in '  -- '");
	assert_refused("OR train", "'OR' needs a term before it in OR train");
	assert_refused("train AND", "'AND' needs a term after it in train AND");
	assert_refused("train OR NOT x", "'NOT' needs a term before it in train OR NOT x");
	assert_refused("(train", "unmatched '(' in (train");
	assert_refused("train)", "unmatched ')' in train)");
	assert_refused("()", "empty or unfinished group in ()");
	assert_refused("\"  \"", "empty phrase in \"  \"");
	assert_refused("platform: x", "platform: needs a value in platform: x");
	assert_refused("kind:a kind:b", "kind: given twice in kind:a kind:b");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_are_quoted_and_anded),
		cmocka_unit_test(test_phrases_and_prefixes),
		cmocka_unit_test(test_operators_and_groups),
		cmocka_unit_test(test_punctuation_alone_is_skipped),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_malformed_queries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
