/*
 * test-segment: a version cut into passages, each with its section path:
 * headings of every sort, nested lists, numbered clauses, all-capital
 * disclaimers, tables, and long paragraphs cut at sentence boundaries that
 * abbreviations do not end; then every passage of real documents of the
 * corpus is verbatim and trimmed.
 */

#include "config.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "segment.h"
#include "testutil.h"

static void
cut(const char *text, struct segment_list *list)
{
	char err[128];

	if (segment_text(text, strlen(text), list, err, sizeof(err)) != 0)
		fail_msg("segment: %s", err);
}

/* Passage i's text, in a static buffer. */
static const char *
passage(const struct segment_list *list, const char *text, size_t i)
{
	static char buf[4096];

	assert_true(i < list->n);
	snprintf(buf, sizeof(buf), "%.*s", (int)list->items[i].len, text + list->items[i].start);
	return buf;
}

static const char *
section(const struct segment_list *list, const char *text, size_t i)
{
	static char buf[512];

	return segment_section(list, text, i, buf, sizeof(buf));
}

static void
test_headings_give_section_paths(void **state)
{
	const char *text = "Terms of Service\n================\n\nIntro text here.\n\n"
			   "## Disputes\n\n### Arbitration\n\nAll disputes go to arbitration.\n\n"
			   "**Class actions**\n\nNo class actions.\n\n"
			   "## Other\n\nLast words.\n";
	struct segment_list list = { 0 };

	(void)state;
	cut(text, &list);
	assert_int_equal(list.n, 4);
	assert_string_equal(passage(&list, text, 0), "Intro text here.");
	assert_string_equal(section(&list, text, 0), "Terms of Service");
	assert_string_equal(section(&list, text, 1), "Terms of Service > Disputes > Arbitration");
	/* A bold line is a heading under the "#" ones. */
	assert_string_equal(section(&list, text, 2),
			    "Terms of Service > Disputes > Arbitration > Class actions");
	/* A heading of the same level closes the one before. */
	assert_string_equal(passage(&list, text, 3), "Last words.");
	assert_string_equal(section(&list, text, 3), "Terms of Service > Other");
	segment_list_free(&list);
}

static void
test_nested_lists(void **state)
{
	const char *text = "We collect:\n\n*   Account data\n    *   your name\n    *   your email\n"
			   "*   Usage data, which\n    continues here\n\n1\\. First\n2\\. Second\n"
			   "(a) lettered\n(iv) roman\n";
	struct segment_list list = { 0 };

	(void)state;
	cut(text, &list);
	assert_int_equal(list.n, 9);
	assert_string_equal(passage(&list, text, 1), "Account data");
	assert_int_equal(list.items[1].kind, SEGMENT_ITEM);
	assert_int_equal(list.items[1].depth, 0);
	assert_string_equal(passage(&list, text, 2), "your name");
	assert_int_equal(list.items[2].depth, 1);
	assert_int_equal(list.items[3].depth, 1);
	/* A continuation line stays in its item. */
	assert_string_equal(passage(&list, text, 4), "Usage data, which\n    continues here");
	assert_int_equal(list.items[4].depth, 0);
	assert_string_equal(passage(&list, text, 5), "First");
	assert_string_equal(passage(&list, text, 6), "Second");
	assert_string_equal(passage(&list, text, 7), "lettered");
	assert_string_equal(passage(&list, text, 8), "roman");
	segment_list_free(&list);
}

static void
test_numbered_clauses(void **state)
{
	const char *text = "4.2 Termination\n\n4.2(a) We may suspend your account.\n"
			   "4.2(b) You may not create another account.\n"
			   "12.3.1. Notices go by email to the address you gave us.\n";
	struct segment_list list = { 0 };

	(void)state;
	cut(text, &list);
	/* The short numbered title is a heading; each clause a passage, its
	 * number kept. */
	assert_int_equal(list.nheadings, 1);
	assert_int_equal(list.n, 3);
	assert_string_equal(passage(&list, text, 0), "4.2(a) We may suspend your account.");
	assert_string_equal(passage(&list, text, 1), "4.2(b) You may not create another account.");
	assert_string_equal(passage(&list, text, 2),
			    "12.3.1. Notices go by email to the address you gave us.");
	assert_string_equal(section(&list, text, 1), "4.2 Termination");
	segment_list_free(&list);
}

static void
test_capitals_title_and_disclaimer(void **state)
{
	const char *text = "LIMITATION OF LIABILITY\n\n"
			   "TO THE MAXIMUM EXTENT PERMITTED BY LAW, THE SERVICES ARE PROVIDED \"AS IS\" "
			   "AND WE WILL NOT BE LIABLE FOR ANY INDIRECT, INCIDENTAL OR CONSEQUENTIAL "
			   "DAMAGES.\n";
	struct segment_list list = { 0 };

	(void)state;
	cut(text, &list);
	/* The short capitals line is a title; the long one a passage. */
	assert_int_equal(list.nheadings, 1);
	assert_int_equal(list.n, 1);
	assert_string_equal(section(&list, text, 0), "LIMITATION OF LIABILITY");
	assert_non_null(strstr(passage(&list, text, 0), "CONSEQUENTIAL DAMAGES."));
	segment_list_free(&list);
}

static void
test_table_rows(void **state)
{
	const char *text = "## Retention\n\n| Data | How long |\n| --- | :---: |\n"
			   "| Chats | 30 days |\n| Logs | 2 years |\n";
	struct segment_list list = { 0 };

	(void)state;
	cut(text, &list);
	assert_int_equal(list.n, 3);
	assert_int_equal(list.items[1].kind, SEGMENT_ROW);
	assert_string_equal(passage(&list, text, 1), "| Chats | 30 days |");
	assert_string_equal(section(&list, text, 2), "Retention");
	segment_list_free(&list);
}

static void
test_sentence_ends(void **state)
{
	const char *s;

	(void)state;
	s = "We may share data, e.g. with Meta. Then more.";
	assert_string_equal(s + segment_sentence_end(s, 0, strlen(s)), " Then more.");
	s = "See Art. 6 GDPR and the U.S. Privacy Act. Next one.";
	assert_string_equal(s + segment_sentence_end(s, 0, strlen(s)), " Next one.");
	s = "Operated by J. Smith Ltd. in London. Done.";
	assert_string_equal(s + segment_sentence_end(s, 0, strlen(s)), " Done.");
	/* Closing quotes and emphasis stay with their sentence. */
	s = "It is provided \"as is.\" We disclaim it.";
	assert_string_equal(s + segment_sentence_end(s, 0, strlen(s)), " We disclaim it.");
	/* A full stop before a lower-case word does not end a sentence. */
	s = "Visit example.com. or call. no end";
	assert_int_equal(segment_sentence_end(s, 0, strlen(s)), strlen(s));
	s = "Is it? Yes! Fine.";
	assert_string_equal(s + segment_sentence_end(s, 0, strlen(s)), " Yes! Fine.");
}

static void
test_long_paragraph_split_at_sentences(void **state)
{
	char text[4000];
	struct segment_list list = { 0 };
	size_t n = 0, i;

	(void)state;
	/* Forty sentences of about 60 bytes, each with an abbreviation. */
	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "Sentence %02zu names the U.S. and e.g. Art. 6 in it. ", i);
	cut(text, &list);
	assert_true(list.n >= 4);
	for (i = 0; i < list.n; i++) {
		const char *p = passage(&list, text, i);

		assert_true(list.items[i].len <= SEGMENT_MAX_PASSAGE);
		/* Each run starts and ends on a sentence's edge. */
		assert_int_equal(strncmp(p, "Sentence ", 9), 0);
		assert_int_equal(p[strlen(p) - 1], '.');
	}
	segment_list_free(&list);
}

/* Every passage of real documents: inside the text, trimmed, and with a
 * letter or digit; most under a heading. */
static void
test_corpus_passages_are_verbatim(void **state)
{
	static const char *const files[] = {
		"versions/tiktok/terms-of-service/2026-07-29.md",
		"versions/discord/terms-of-service/2026-04-08.md",
		"versions/claude-ai/privacy-policy/2026-08-22.md",
	};
	char path[4096];
	size_t f, i;

	(void)state;
	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		struct segment_list list = { 0 };
		size_t len, under_heading = 0;
		char *text;

		snprintf(path, sizeof(path), "%s/corpus/%s", test_shared_dir(), files[f]);
		text = test_read_file(path, &len);
		if (text == NULL)
			fail_msg("cannot read '%s'", path);
		if (segment_text(text, len, &list, path, sizeof(path)) != 0)
			fail_msg("segment: %s", path);
		assert_true(list.n > 20);
		for (i = 0; i < list.n; i++) {
			const struct segment *s = &list.items[i];
			size_t j;
			int alnum = 0;

			assert_true(s->start + s->len <= len);
			assert_false(isspace((unsigned char)text[s->start]));
			assert_false(isspace((unsigned char)text[s->start + s->len - 1]));
			for (j = s->start; j < s->start + s->len; j++)
				alnum |= isalnum((unsigned char)text[j]) != 0;
			assert_true(alnum);
			under_heading += s->heading >= 0;
		}
		assert_true(under_heading * 10 >= list.n * 8);
		segment_list_free(&list);
		free(text);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headings_give_section_paths),
		cmocka_unit_test(test_nested_lists),
		cmocka_unit_test(test_numbered_clauses),
		cmocka_unit_test(test_capitals_title_and_disclaimer),
		cmocka_unit_test(test_table_rows),
		cmocka_unit_test(test_sentence_ends),
		cmocka_unit_test(test_long_paragraph_split_at_sentences),
		cmocka_unit_test(test_corpus_passages_are_verbatim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
