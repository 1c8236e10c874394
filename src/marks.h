/*
 * marks: the match markers that search snippets carry (STORE_MARK_START
 * and STORE_MARK_END), taken out of a text and remembered as ranges.
 */
#ifndef CLAUSE_MARKS_H
#define CLAUSE_MARKS_H

#include <stddef.h>

struct marks {
	size_t *at;	/* Byte offsets, in pairs: where a match starts, ends. */
	size_t n;
};

/* Remove the markers from s (len bytes, NUL-terminated) in place and
 * record where each match starts and ends in the result.  Returns the new
 * length; m->at is malloc'd (free it with marks_free).  A marker that
 * cannot be recorded for want of memory is dropped all the same. */
size_t marks_strip(char *s, size_t len, struct marks *m);

/* Whether byte offset at of the stripped text is inside a match. */
int marks_inside(const struct marks *m, size_t at);

void marks_free(struct marks *m);

#endif
