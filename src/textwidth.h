/*
 * textwidth.h: display width of UTF-8 text, wrapping it to a width and
 * fitting it into a fixed number of columns.
 *
 * The text must already have passed through sanitize_text(). Widths come
 * from mbrtowc() and wcwidth(), so the caller must have set a UTF-8 locale
 * for LC_CTYPE (setlocale(LC_ALL, "") in a UTF-8 environment, or
 * "C.UTF-8"); in any other locale each non-ASCII byte counts as one
 * column.
 *
 * Two rules hold everywhere in this module:
 *  - A character wcwidth() calls non-printable (-1: controls, unassigned
 *    code points) and a byte that is not valid UTF-8 each count as one
 *    column, as the U+FFFD that sanitize_text() would put in its place.
 *  - Text is measured and cut in clusters: one character followed by every
 *    zero-width character after it (combining marks, variation selectors,
 *    ZWJ). Nothing here splits a cluster, so nothing splits a UTF-8
 *    sequence or parts a base character from its combining marks.
 */

#ifndef CLAUSE_TEXTWIDTH_H
#define CLAUSE_TEXTWIDTH_H

#include <stddef.h>

/*
 * Returns the number of terminal columns that the len bytes at s take, by
 * the rules above ('\n' counts as one column like any control: measure
 * one line at a time). Saturates at INT_MAX.
 */
int text_width(const char *s, size_t len);

/*
 * One line of wrapped text, pointing into the wrapped input.
 */
struct text_line {
	size_t start;	/* byte offset of the line in the input */
	size_t len;	/* bytes in the line, without the trailing spaces/newline where it was broken */
	int width;	/* display columns of the line */
};

/*
 * Wrap the len bytes at s to width columns (width >= 1; a smaller width is
 * taken as 1).
 *
 *  - Lines break at spaces (U+0020). The spaces at a break belong to
 *    neither line, and trailing spaces are left out of every line, so a
 *    line of only spaces is empty. Spaces at the start of a paragraph
 *    (indentation) are kept.
 *  - '\n' ends a line: "a\n\nb" gives "a", "" and "b"; a final '\n' does
 *    not start another line ("a\n" is one line, "\n" one empty line).
 *  - A word wider than width is split between clusters; a wide character
 *    that would straddle the edge goes to the next line. A single cluster
 *    wider than width (a 2-column character at width 1) gets a line of its
 *    own that is wider than width.
 *
 * Stores a malloc'd array of the lines in *lines, which the caller frees,
 * and returns how many there are. An empty input gives 0 and *lines set
 * to NULL. Returns -1, with *lines set to NULL, when memory cannot be
 * allocated or there would be more than INT_MAX lines.
 */
int text_wrap(const char *s, size_t len, int width, struct text_line **lines);

/*
 * Copy into buf the longest prefix of the len bytes at s (one line: a
 * '\n' in it is copied and counted as one column) that fits in width
 * columns. When s does not fit (it is wider than width, or longer
 * than bufsize allows) the prefix is shortened to leave room for "…"
 * (U+2026, one column, three bytes) and ends with it, within width. If
 * pad is non-zero, spaces are added up to exactly width columns (as far
 * as buf allows). buf is always NUL-terminated when bufsize >= 1; nothing
 * is written when bufsize is 0. A width of 0 or less gives "".
 *
 * Returns the number of columns written, padding included.
 */
int text_fit(const char *s, size_t len, int width, int pad, char *buf, size_t bufsize);

#endif /* CLAUSE_TEXTWIDTH_H */
