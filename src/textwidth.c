/*
 * textwidth.c: display width of UTF-8 text, wrapping and fitting.
 *
 * Everything here walks the text one cluster at a time (a character and
 * the zero-width characters after it, see textwidth.h), measured with
 * mbrtowc() and wcwidth() in the caller's locale.
 */

/*
 * wcwidth() is an X/Open function. The build defines _XOPEN_SOURCE=700;
 * this keeps the file compiling on its own with plain -std=c11.
 */
#if !defined(_XOPEN_SOURCE) && !defined(_GNU_SOURCE)
#define _XOPEN_SOURCE 700
#endif

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "textwidth.h"

#define WRAP_INITIAL_LINES	16	/* first size of text_wrap()'s array */

static const char ellipsis[] = "\xe2\x80\xa6";	/* U+2026 HORIZONTAL ELLIPSIS */
#define ELLIPSIS_LEN	(sizeof(ellipsis) - 1)	/* its bytes, without the NUL */

/*
 * Measure the character at s (len >= 1 bytes). Returns its length in
 * bytes, at least 1, and stores its columns (0, 1 or 2) in *cols. A byte
 * that does not start a valid character, a NUL and a character without a
 * width (wcwidth() -1) are one column, as U+FFFD would be.
 */
static size_t
char_next(const char *s, size_t len, int *cols)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;
	int w;

	memset(&st, 0, sizeof(st));
	n = mbrtowc(&wc, s, len, &st);
	if (n == (size_t) -1 || n == (size_t) -2 || n == 0) {
		*cols = 1;
		return 1;
	}
	w = wcwidth(wc);
	*cols = w < 0 ? 1 : w;
	return n;
}

/*
 * Measure the cluster at s (len >= 1 bytes): one character and every
 * zero-width character that follows it. Returns its length in bytes, at
 * least 1, and stores its columns in *cols.
 */
static size_t
cluster_next(const char *s, size_t len, int *cols)
{
	size_t pos, n;
	int w;

	pos = char_next(s, len, cols);
	while (pos < len) {
		n = char_next(s + pos, len - pos, &w);
		if (w != 0)
			break;
		pos += n;
	}
	return pos;
}

int
text_width(const char *s, size_t len)
{
	size_t pos = 0;
	int total = 0, w;

	while (pos < len) {
		pos += char_next(s + pos, len - pos, &w);
		if (w > INT_MAX - total)
			return INT_MAX;
		total += w;
	}
	return total;
}

/*
 * Append line to the array *v (count used, *cap allocated), growing it
 * as needed. Returns 0, or -1 when memory cannot be allocated or count is
 * already INT_MAX; *v is left as it was on failure.
 */
static int
lines_append(struct text_line **v, int count, size_t *cap, const struct text_line *line)
{
	struct text_line *grown;
	size_t want;

	if (count == INT_MAX)
		return -1;
	if ((size_t) count == *cap) {
		want = *cap ? *cap * 2 : WRAP_INITIAL_LINES;
		if (want > SIZE_MAX / sizeof(**v))
			return -1;
		grown = realloc(*v, want * sizeof(**v));
		if (!grown)
			return -1;
		*v = grown;
		*cap = want;
	}
	(*v)[count] = *line;
	return 0;
}

/*
 * Find the line of text_wrap() that starts at s[start]. Stores it in
 * *line and returns the offset where the next line starts (> start).
 */
static size_t
wrap_line(const char *s, size_t len, size_t start, int width, struct text_line *line)
{
	size_t i = start, j, n;
	size_t text_end = start;	/* end of the last cluster placed */
	int text_cols = 0;	/* columns up to text_end */
	size_t brk_end = 0, brk_next = 0;	/* last break: end of the line before it, start after it */
	int brk_cols = 0;	/* columns up to brk_end */
	int have_brk = 0;	/* whether there is a break on this line */
	int col = 0;	/* columns up to i, spaces included */
	int w;

	line->start = start;
	for (;;) {
		if (i == len || s[i] == '\n') {
			line->len = text_end - start;
			line->width = text_cols;
			return i == len ? len : i + 1;
		}

		if (s[i] == ' ') {
			for (j = i; j < len && s[j] == ' '; j++)
				;
			/*
			 * Spaces after text are a break; spaces at the start
			 * of the line are indentation, to keep.
			 */
			if (i > start) {
				have_brk = 1;
				brk_end = i;
				brk_cols = col;
				brk_next = j;
			}
			col = j - i > (size_t) (INT_MAX - col) ? INT_MAX : col + (int) (j - i);
			i = j;
			continue;
		}

		n = cluster_next(s + i, len - i, &w);
		if (col > width - w) {
			if (have_brk) {
				line->len = brk_end - start;
				line->width = brk_cols;
				return brk_next;
			}
			if (i > start) {
				/* A word too long for a line: split it here. */
				line->len = text_end - start;
				line->width = text_cols;
				return i;
			}
			/* One cluster wider than width: alone on its line. */
			line->len = n;
			line->width = w;
			return i + n;
		}
		col += w;
		i += n;
		text_end = i;
		text_cols = col;
	}
}

int
text_wrap(const char *s, size_t len, int width, struct text_line **lines)
{
	struct text_line *v = NULL;
	struct text_line line;
	size_t cap = 0, pos = 0;
	int count = 0;

	*lines = NULL;
	if (width < 1)
		width = 1;
	while (pos < len) {
		pos = wrap_line(s, len, pos, width, &line);
		if (lines_append(&v, count, &cap, &line) < 0) {
			free(v);
			return -1;
		}
		count++;
	}
	*lines = v;
	return count;
}

/*
 * Copy whole clusters from the start of s (len bytes) into buf while they
 * fit in cols columns and room bytes. Returns the bytes copied, and
 * stores the columns they take in *used and the input bytes they came
 * from in *taken (the same number: they are copied as they are).
 */
static size_t
fit_prefix(const char *s, size_t len, int cols, size_t room, char *buf, int *used, size_t *taken)
{
	size_t pos = 0, n;
	int col = 0, w;

	while (pos < len) {
		n = cluster_next(s + pos, len - pos, &w);
		if (col > cols - w || n > room - pos)
			break;
		memcpy(buf + pos, s + pos, n);
		pos += n;
		col += w;
	}
	*used = col;
	*taken = pos;
	return pos;
}

int
text_fit(const char *s, size_t len, int width, int pad, char *buf, size_t bufsize)
{
	size_t n, taken, room;
	int cols;

	if (bufsize == 0)
		return 0;
	if (width < 0)
		width = 0;
	room = bufsize - 1;	/* keep a byte for the NUL */

	n = fit_prefix(s, len, width, room, buf, &cols, &taken);
	if (taken < len && width >= 1 && room >= ELLIPSIS_LEN) {
		/* Does not fit: again, leaving a column for the ellipsis. */
		n = fit_prefix(s, len, width - 1, room - ELLIPSIS_LEN, buf, &cols, &taken);
		memcpy(buf + n, ellipsis, ELLIPSIS_LEN);
		n += ELLIPSIS_LEN;
		cols++;
	}
	if (pad) {
		while (cols < width && n < room) {
			buf[n++] = ' ';
			cols++;
		}
	}
	buf[n] = '\0';
	return cols;
}
