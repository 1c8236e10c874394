/*
 * test-textwidth.c: cmocka tests for src/textwidth.c: widths, wrapping
 * and fitting of UTF-8 text.
 *
 * The tests run in the C.UTF-8 locale; the program exits 77 (automake's
 * "skipped") if it does not exist. Built with -DCLAUSE_WRAP_ALLOC and
 * linked with -Wl,--wrap=realloc, the out-of-memory test makes realloc()
 * fail; otherwise it is skipped.
 */

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "textwidth.h"

/* Test strings, named so that the cases read. */
#define KAN	"\xe6\xbc\xa2"	/* 漢 U+6F22, 2 columns */
#define JI	"\xe5\xad\x97"	/* 字 U+5B57, 2 columns */
#define GRIN	"\xf0\x9f\x98\x80"	/* 😀 U+1F600, 2 columns */
#define E_ACUTE	"e\xcc\x81"	/* e + U+0301 COMBINING ACUTE ACCENT, 1 column */
#define PUA	"\xee\x80\x80"	/* U+E000, 1 column */
#define ELLIPSIS	"\xe2\x80\xa6"	/* … U+2026 */

#ifdef CLAUSE_WRAP_ALLOC
/*
 * realloc() for the code under test: fails when alloc_countdown reaches
 * 0, counting down one per call while it is positive.
 */
void *__real_realloc(void *p, size_t size);
void *__wrap_realloc(void *p, size_t size);

static int alloc_countdown = -1;	/* calls left before a failure; -1: never fail */

void *
__wrap_realloc(void *p, size_t size)
{
	if (alloc_countdown == 0)
		return NULL;
	if (alloc_countdown > 0)
		alloc_countdown--;
	return __real_realloc(p, size);
}
#endif

static void
test_width(void **state)
{
	(void) state;
	assert_int_equal(text_width("", 0), 0);
	assert_int_equal(text_width("terms", 5), 5);
	assert_int_equal(text_width("terms", 3), 3);	/* only len bytes */
	assert_int_equal(text_width(KAN JI, 6), 4);
	assert_int_equal(text_width("a" KAN "b", 5), 4);
	assert_int_equal(text_width(GRIN, 4), 2);
	assert_int_equal(text_width(E_ACUTE, 3), 1);
	assert_int_equal(text_width("a\xcc\x81\xcc\x82\xcc\x83", 7), 1);	/* three marks */
	assert_int_equal(text_width(PUA "x\xee\x80\x81", 7), 3);	/* highlight markers */
	assert_int_equal(text_width("\xef\xbf\xbd", 3), 1);	/* U+FFFD */
	assert_int_equal(text_width("\xe1\x84\x80\xe1\x85\xa1", 6), 2);	/* Hangul L + V jamo */
	assert_int_equal(text_width("\xe3\x80\x80", 3), 2);	/* ideographic space */
	/* Not printable, or not UTF-8: one column each, as U+FFFD. */
	assert_int_equal(text_width("\x01", 1), 1);
	assert_int_equal(text_width("a\xff" "b", 3), 3);
	assert_int_equal(text_width("\xe6\xbc", 2), 2);	/* truncated: two bad bytes */
	assert_int_equal(text_width("\xcd\xb8", 2), 1);	/* U+0378, unassigned */
}

/*
 * Wrap s to width and check that it gives want_lines lines, which joined
 * by '|' read want. Also checks what must hold of every wrap: each width is
 * the text_width() of the line, lines come in order without overlapping.
 */
static void
expect_wrap(const char *s, int width, int want_lines, const char *want)
{
	struct text_line *lines = NULL;
	char got[512];
	size_t pos = 0, prev_end = 0;
	int n, i;

	n = text_wrap(s, strlen(s), width, &lines);
	assert_int_equal(n, want_lines);
	got[0] = '\0';
	for (i = 0; i < n; i++) {
		assert_true(lines[i].start >= prev_end);
		assert_true(lines[i].start + lines[i].len <= strlen(s));
		assert_int_equal(lines[i].width, text_width(s + lines[i].start, lines[i].len));
		prev_end = lines[i].start + lines[i].len;

		assert_true(pos + lines[i].len + 2 < sizeof(got));
		if (i > 0)
			got[pos++] = '|';
		memcpy(got + pos, s + lines[i].start, lines[i].len);
		pos += lines[i].len;
		got[pos] = '\0';
	}
	assert_string_equal(got, want);
	free(lines);
}

static void
test_wrap_words(void **state)
{
	(void) state;
	expect_wrap("the quick brown fox jumps", 10, 3, "the quick|brown fox|jumps");
	expect_wrap("the quick brown fox jumps", 80, 1, "the quick brown fox jumps");
	expect_wrap("abcde fghij", 5, 2, "abcde|fghij");	/* break exactly at the edge */
	expect_wrap("abcde      fghij", 5, 2, "abcde|fghij");	/* spaces at a break go */
	expect_wrap("a  b", 80, 1, "a  b");	/* spaces inside a line stay */
	expect_wrap("word   ", 80, 1, "word");	/* trailing spaces go */
	expect_wrap("aaa    bbb", 5, 2, "aaa|bbb");
	expect_wrap("   ", 5, 1, "");	/* only spaces: one empty line */
	expect_wrap("  indented text", 10, 2, "  indented|text");
	expect_wrap("    verylongword", 8, 2, "    very|longword");
	expect_wrap("", 10, 0, "");
}

static void
test_wrap_long_word(void **state)
{
	(void) state;
	expect_wrap("abcdefghij", 4, 3, "abcd|efgh|ij");
	expect_wrap("see supercalifragilistic now", 8, 4, "see|supercal|ifragili|stic now");
	expect_wrap("abc", 1, 3, "a|b|c");
	expect_wrap("https://example.com/terms?a=1", 10, 3, "https://ex|ample.com/|terms?a=1");
}

static void
test_wrap_wide(void **state)
{
	struct text_line *lines = NULL;
	int n;

	(void) state;
	expect_wrap(KAN JI KAN JI KAN, 4, 3, KAN JI "|" KAN JI "|" KAN);
	/* Odd width: the third wide character would straddle the edge. */
	expect_wrap(KAN JI KAN JI KAN, 5, 3, KAN JI "|" KAN JI "|" KAN);
	expect_wrap(KAN JI KAN, 3, 3, KAN "|" JI "|" KAN);
	expect_wrap("a" KAN JI, 4, 2, "a" KAN "|" JI);
	expect_wrap("ab" GRIN GRIN, 3, 3, "ab|" GRIN "|" GRIN);

	/* Width 1: a 2-column character still gets its own line. */
	n = text_wrap(KAN "a", 4, 1, &lines);
	assert_int_equal(n, 2);
	assert_int_equal(lines[0].start, 0);
	assert_int_equal(lines[0].len, 3);
	assert_int_equal(lines[0].width, 2);
	assert_int_equal(lines[1].start, 3);
	assert_int_equal(lines[1].len, 1);
	assert_int_equal(lines[1].width, 1);
	free(lines);
}

static void
test_wrap_combining(void **state)
{
	struct text_line *lines = NULL;
	int n;

	(void) state;
	expect_wrap(E_ACUTE E_ACUTE E_ACUTE, 2, 2, E_ACUTE E_ACUTE "|" E_ACUTE);
	/* Marks stay with their base even when the base fills the line. */
	expect_wrap("ab\xcc\x81\xcc\x82" "c", 2, 2, "ab\xcc\x81\xcc\x82|c");
	expect_wrap(KAN "\xcc\x81" JI, 2, 2, KAN "\xcc\x81|" JI);
	/* A wide base alone on a too narrow line keeps its marks. */
	expect_wrap(KAN "\xcc\x81" "a", 1, 2, KAN "\xcc\x81|a");

	n = text_wrap(E_ACUTE E_ACUTE E_ACUTE, 9, 2, &lines);
	assert_int_equal(n, 2);
	assert_int_equal(lines[0].start, 0);
	assert_int_equal(lines[0].len, 6);
	assert_int_equal(lines[0].width, 2);
	assert_int_equal(lines[1].start, 6);
	assert_int_equal(lines[1].len, 3);
	assert_int_equal(lines[1].width, 1);
	free(lines);
}

static void
test_wrap_newlines(void **state)
{
	struct text_line *lines = (struct text_line *) &lines;	/* not NULL */
	int n;

	(void) state;
	expect_wrap("a\n\nb\n", 10, 3, "a||b");
	expect_wrap("a\nb", 10, 2, "a|b");
	expect_wrap("\n", 10, 1, "");
	expect_wrap("\n\n", 10, 2, "|");
	expect_wrap("a   \nb", 10, 2, "a|b");
	expect_wrap("abcde \nf", 5, 2, "abcde|f");	/* no blank line after a full one */
	expect_wrap("abcdef\ng", 5, 3, "abcde|f|g");
	expect_wrap("  one\n    two", 20, 2, "  one|    two");	/* indentation kept */

	n = text_wrap("\n\n", 2, 10, &lines);
	assert_int_equal(n, 2);
	assert_int_equal(lines[1].start, 1);
	assert_int_equal(lines[1].len, 0);
	assert_int_equal(lines[1].width, 0);
	free(lines);

	lines = (struct text_line *) &lines;
	n = text_wrap("", 0, 10, &lines);
	assert_int_equal(n, 0);
	assert_null(lines);
}

/*
 * Pieces for the generated text of test_wrap_boundaries(): characters of
 * one to four bytes, wide ones, a base with a mark, spaces and newlines.
 */
static const char *const pieces[] = {
	"a", "Z", " ", "  ", "\n", "\xc3\xa9", "\xd7\xa9", KAN, JI, "\xe2\x82\xac",
	GRIN, "\xf0\x90\x8d\x88", E_ACUTE, "o\xcc\x88\xcc\x81", PUA, "\xef\xbf\xbd",
	KAN "\xcc\x81",
};

/*
 * Returns non-zero if offset off of s (len bytes) is a place where a line
 * may begin or end: a code point boundary not followed by a combining mark.
 */
static int
is_cut(const char *s, size_t len, size_t off)
{
	const unsigned char *u = (const unsigned char *) s;

	if (off == 0 || off == len)
		return 1;
	if ((u[off] & 0xC0) == 0x80)
		return 0;	/* inside a UTF-8 sequence */
	return !(u[off] == 0xcc && off + 1 < len && u[off + 1] >= 0x80 && u[off + 1] <= 0xBF);
}

/*
 * Generated text mixing 1-4 byte characters, wrapped at several widths:
 * every line starts and ends on a cut, nothing but spaces and newlines is
 * lost, and no line is wider than width unless it holds one character.
 */
static void
test_wrap_boundaries(void **state)
{
	char s[2048];
	struct text_line *lines = NULL;
	size_t len, k, covered, pos;
	uint32_t seed = 7;
	int round, width, n, i;

	(void) state;
	for (round = 0; round < 200; round++) {
		len = 0;
		while (len < sizeof(s) - 16) {
			const char *p;

			seed = seed * 1103515245u + 12345u;
			p = pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];
			if (len + strlen(p) >= sizeof(s) - 16 || (seed >> 8) % 40 == 0)
				break;
			memcpy(s + len, p, strlen(p));
			len += strlen(p);
		}
		s[len] = '\0';

		for (width = 1; width <= 13; width += (width < 4 ? 1 : 3)) {
			n = text_wrap(s, len, width, &lines);
			assert_true(n >= 0);
			covered = 0;
			pos = 0;
			for (i = 0; i < n; i++) {
				assert_true(is_cut(s, len, lines[i].start));
				assert_true(is_cut(s, len, lines[i].start + lines[i].len));
				assert_true(lines[i].start >= pos);
				/* Between lines: only spaces and newlines. */
				for (k = pos; k < lines[i].start; k++)
					assert_true(s[k] == ' ' || s[k] == '\n');
				pos = lines[i].start + lines[i].len;
				assert_true(pos <= len);
				assert_int_equal(lines[i].width,
				    text_width(s + lines[i].start, lines[i].len));
				if (lines[i].width > width)
					assert_true(width == 1 && lines[i].width == 2);
				/* No newline inside a line, no space at its end. */
				assert_null(memchr(s + lines[i].start, '\n', lines[i].len));
				if (lines[i].len > 0)
					assert_true(s[pos - 1] != ' ');
				covered += lines[i].len;
			}
			for (k = pos; k < len; k++)
				assert_true(s[k] == ' ' || s[k] == '\n');
			assert_true(covered <= len);
			free(lines);
			lines = NULL;
		}
	}
}

static void
test_wrap_out_of_memory(void **state)
{
#ifdef CLAUSE_WRAP_ALLOC
	char s[200];
	struct text_line *lines = (struct text_line *) &lines;
	int n, fail;

	(void) state;
	memset(s, '\n', sizeof(s));	/* 200 lines: the array grows several times */
	for (fail = 0; fail < 5; fail++) {
		alloc_countdown = fail;
		n = text_wrap(s, sizeof(s), 10, &lines);
		assert_int_equal(n, -1);
		assert_null(lines);
	}
	alloc_countdown = -1;
	n = text_wrap(s, sizeof(s), 10, &lines);
	assert_int_equal(n, 200);
	free(lines);
#else
	(void) state;
	skip();
#endif
}

/*
 * Fit s into width columns with a buffer of bufsize bytes and check the
 * text and the returned width.
 */
static void
expect_fit(const char *s, int width, int pad, size_t bufsize, const char *want, int want_width)
{
	char buf[256];

	assert_true(bufsize <= sizeof(buf));
	memset(buf, 'X', sizeof(buf));
	assert_int_equal(text_fit(s, strlen(s), width, pad, buf, bufsize), want_width);
	assert_string_equal(buf, want);
	assert_int_equal(text_width(buf, strlen(buf)), want_width);
}

static void
test_fit_ascii(void **state)
{
	(void) state;
	expect_fit("hello", 10, 0, 256, "hello", 5);
	expect_fit("hello", 10, 1, 256, "hello     ", 10);
	expect_fit("hello", 5, 0, 256, "hello", 5);	/* exact: no ellipsis */
	expect_fit("hello world", 8, 0, 256, "hello w" ELLIPSIS, 8);
	expect_fit("hello world", 8, 1, 256, "hello w" ELLIPSIS, 8);
	expect_fit("hello", 4, 0, 256, "hel" ELLIPSIS, 4);
	expect_fit("hello", 1, 0, 256, ELLIPSIS, 1);
	expect_fit("hello", 0, 1, 256, "", 0);
	expect_fit("hello", -3, 1, 256, "", 0);
	expect_fit("", 3, 1, 256, "   ", 3);
	expect_fit("", 3, 0, 256, "", 0);
	expect_fit(PUA "hi\xee\x80\x81", 4, 0, 256, PUA "hi\xee\x80\x81", 4);
}

static void
test_fit_wide(void **state)
{
	(void) state;
	expect_fit(KAN JI KAN JI, 8, 0, 256, KAN JI KAN JI, 8);
	expect_fit(KAN JI KAN JI, 7, 0, 256, KAN JI KAN ELLIPSIS, 7);
	expect_fit(KAN JI KAN JI, 5, 0, 256, KAN JI ELLIPSIS, 5);
	/* A wide character never sticks out: one column is left over. */
	expect_fit(KAN JI KAN JI, 4, 0, 256, KAN ELLIPSIS, 3);
	expect_fit(KAN JI KAN JI, 4, 1, 256, KAN ELLIPSIS " ", 4);
	expect_fit(KAN JI, 3, 1, 256, KAN ELLIPSIS, 3);
	expect_fit(KAN JI, 2, 0, 256, ELLIPSIS, 1);
	expect_fit(KAN JI, 2, 1, 256, ELLIPSIS " ", 2);
	expect_fit("ab" GRIN "cd", 4, 0, 256, "ab" ELLIPSIS, 3);
	expect_fit("ab" GRIN "cd", 5, 0, 256, "ab" GRIN ELLIPSIS, 5);
	/* Combining marks stay with their base. */
	expect_fit(E_ACUTE E_ACUTE "x", 2, 0, 256, E_ACUTE ELLIPSIS, 2);
	expect_fit(E_ACUTE E_ACUTE, 2, 0, 256, E_ACUTE E_ACUTE, 2);
}

static void
test_fit_small_buffer(void **state)
{
	char buf[4] = "abc";

	(void) state;
	/* Too long for the buffer: cut with an ellipsis, within bufsize. */
	expect_fit("hello world", 20, 0, 8, "hell" ELLIPSIS, 5);
	expect_fit("hello", 20, 0, 6, "hello", 5);	/* just fits */
	expect_fit("hello", 20, 0, 5, "h" ELLIPSIS, 2);
	expect_fit(KAN JI, 10, 0, 7, KAN JI, 4);
	expect_fit(KAN JI, 10, 0, 6, ELLIPSIS, 1);	/* no half characters */
	expect_fit("hello", 20, 0, 3, "he", 2);	/* no room for "…" */
	expect_fit("hello", 20, 0, 1, "", 0);
	expect_fit("ab", 10, 1, 5, "ab  ", 4);	/* padding as far as it goes */
	/* A cut for lack of bytes does not part a base from its mark. */
	expect_fit("ab" E_ACUTE "zzz", 20, 0, 7, "ab" ELLIPSIS, 3);

	/* bufsize 0: nothing is written. */
	assert_int_equal(text_fit("hello", 5, 5, 1, buf, 0), 0);
	assert_string_equal(buf, "abc");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_wrap_words),
		cmocka_unit_test(test_wrap_long_word),
		cmocka_unit_test(test_wrap_wide),
		cmocka_unit_test(test_wrap_combining),
		cmocka_unit_test(test_wrap_newlines),
		cmocka_unit_test(test_wrap_boundaries),
		cmocka_unit_test(test_wrap_out_of_memory),
		cmocka_unit_test(test_fit_ascii),
		cmocka_unit_test(test_fit_wide),
		cmocka_unit_test(test_fit_small_buffer),
	};

	if (!setlocale(LC_ALL, "C.UTF-8")) {
		fprintf(stderr, "test-textwidth: no C.UTF-8 locale, skipped\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
