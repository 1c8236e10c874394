/*
 * test-textdiff: paragraph diffs, with changed paragraphs paired by their
 * words and the words that changed marked.
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

#include "textdiff.h"

static void
run(const char *a, const char *b, int context, struct textdiff *d)
{
	char err[256];

	if (textdiff_run(a, b, context, d, err, sizeof(err)) != 0)
		fail_msg("textdiff: %s", err);
}

static void
test_same_text_has_no_hunk(void **state)
{
	struct textdiff d;

	(void)state;
	/* White space inside a paragraph is not a change. */
	run("One para.\n\nTwo  para\ngraph.\n", "One para.\n\nTwo para graph.", 1, &d);
	assert_int_equal(d.nhunks, 0);
	assert_int_equal(d.added + d.removed + d.changed, 0);
	textdiff_free(&d);
}

static void
test_changed_paragraph_marks_words(void **state)
{
	const char *old_text = "Intro.\n\nWe may use Materials to improve the Services, including "
			       "training.\n\nEnd.\n";
	const char *new_text = "Intro.\n\nWe may use Materials to improve the Services and to "
			       "develop other products, including training.\n\nEnd.\n";
	const struct textdiff_para *p = NULL;
	struct textdiff d;
	size_t i, added = 0, removed = 0;

	(void)state;
	run(old_text, new_text, 1, &d);
	assert_int_equal(d.changed, 1);
	assert_int_equal(d.added, 0);
	assert_int_equal(d.removed, 0);
	assert_int_equal(d.nhunks, 1);
	/* Context on both sides, the change between. */
	assert_int_equal(d.hunks[0].nparas, 3);
	assert_int_equal(d.hunks[0].paras[0].op, TEXTDIFF_SAME);
	assert_string_equal(d.hunks[0].paras[0].old_text, "Intro.");
	p = &d.hunks[0].paras[1];
	assert_int_equal(p->op, TEXTDIFF_CHANGED);
	for (i = 0; i < p->nwords; i++) {
		if (p->words[i].op == TEXTDIFF_REMOVED) {
			removed++;
			assert_string_equal(p->words[i].text, "Services,");
		}
		if (p->words[i].op == TEXTDIFF_ADDED) {
			added++;
			assert_string_equal(p->words[i].text,
					    "Services and to develop other products,");
		}
	}
	assert_int_equal(added, 1);
	assert_int_equal(removed, 1);
	assert_int_equal(p->words[0].op, TEXTDIFF_SAME);
	assert_string_equal(p->words[0].text, "We may use Materials to improve the");
	{
		char *marked = textdiff_marked(p);

		assert_non_null(marked);
		assert_string_equal(marked, "We may use Materials to improve the [-Services,-] "
				    "{+Services and to develop other products,+} including training.");
		free(marked);
	}
	textdiff_free(&d);
	assert_null(d.hunks);
}

/* An inserted paragraph is added, not paired with the one it displaced. */
static void
test_inserted_paragraph_is_added(void **state)
{
	struct textdiff d;
	size_t i;
	int added = 0, changed = 0;

	(void)state;
	run("Alpha beta gamma delta.\n\nEpsilon zeta eta theta.\n",
	    "Completely new words here now.\n\nAlpha beta gamma delta changed.\n\n"
	    "Epsilon zeta eta theta.\n", 0, &d);
	for (i = 0; i < d.hunks[0].nparas; i++) {
		added += d.hunks[0].paras[i].op == TEXTDIFF_ADDED;
		changed += d.hunks[0].paras[i].op == TEXTDIFF_CHANGED;
	}
	assert_int_equal(added, 1);
	assert_int_equal(changed, 1);
	assert_int_equal(d.added, 1);
	assert_int_equal(d.changed, 1);
	textdiff_free(&d);
}

static void
test_removed_and_empty(void **state)
{
	struct textdiff d;

	(void)state;
	run("Keep.\n\nGone for good.\n", "Keep.\n", 0, &d);
	assert_int_equal(d.removed, 1);
	assert_string_equal(d.hunks[0].paras[0].old_text, "Gone for good.");
	assert_null(d.hunks[0].paras[0].new_text);
	textdiff_free(&d);
	run("", "All new.\n", 0, &d);
	assert_int_equal(d.added, 1);
	textdiff_free(&d);
}

/* The summaries read as words, with no zero counts. */
static void
test_summaries_in_words(void **state)
{
	struct textdiff d = { 0 };
	char buf[256];

	(void)state;
	d.added = 1;
	textdiff_summary(&d, buf, sizeof(buf));
	assert_string_equal(buf, "1 paragraph added");
	d.changed = 3;
	d.added = 2;
	d.removed = 1;
	textdiff_summary(&d, buf, sizeof(buf));
	assert_string_equal(buf, "3 paragraphs reworded, 2 added and 1 removed");
	d.changed = 0;
	d.added = 4;
	textdiff_summary(&d, buf, sizeof(buf));
	assert_string_equal(buf, "4 paragraphs added and 1 removed");
	d.added = d.removed = 0;
	textdiff_summary(&d, buf, sizeof(buf));
	assert_string_equal(buf, "same paragraphs (white space or layout only)");

	/* A provision's rewording names the words, as a reader would. */
	assert_int_equal(textdiff_passage_summary(
		"We train on your chats unless you opt out.",
		"We train on your chats and rated replies unless you opt out.",
		buf, sizeof(buf)), 0);
	assert_string_equal(buf, "\u201cand rated replies\u201d was added");
	assert_int_equal(textdiff_passage_summary("We keep chats for 30 days at most.",
						  "We keep chats for 5 years at most.", buf,
						  sizeof(buf)), 0);
	assert_string_equal(buf, "\u201c30 days\u201d became \u201c5 years\u201d");
}

/* A megabyte each side stays quick and whole. */
static void
test_large_documents(void **state)
{
	size_t n = 20000, i;
	char *a = malloc(n * 60), *b = malloc(n * 60), *pa = a, *pb = b;
	struct textdiff d;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	for (i = 0; i < n; i++) {
		pa += sprintf(pa, "Paragraph %zu says the same thing again.\n\n", i);
		pb += sprintf(pb, "Paragraph %zu says the %s thing again.\n\n", i,
			      i % 1000 == 0 ? "other" : "same");
	}
	run(a, b, 0, &d);
	assert_int_equal(d.changed, 20);
	assert_int_equal(d.added + d.removed, 0);
	textdiff_free(&d);
	free(a);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_text_has_no_hunk),
		cmocka_unit_test(test_changed_paragraph_marks_words),
		cmocka_unit_test(test_inserted_paragraph_is_added),
		cmocka_unit_test(test_removed_and_empty),
		cmocka_unit_test(test_summaries_in_words),
		cmocka_unit_test(test_large_documents),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
