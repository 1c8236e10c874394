/*
 * marks: match markers in search snippets (see marks.h).
 */

#include <stdlib.h>
#include <string.h>

#include "marks.h"
#include "store.h"

size_t
marks_strip(char *s, size_t len, struct marks *m)
{
	size_t mark = strlen(STORE_MARK_START), in, out = 0;

	m->at = NULL;
	m->n = 0;
	for (in = 0; in < len;) {
		if (len - in >= mark && (memcmp(s + in, STORE_MARK_START, mark) == 0
					 || memcmp(s + in, STORE_MARK_END, mark) == 0)) {
			size_t *grown = realloc(m->at, (m->n + 1) * sizeof(*grown));

			if (grown != NULL) {
				m->at = grown;
				m->at[m->n++] = out;
			}
			in += mark;
			continue;
		}
		s[out++] = s[in++];
	}
	s[out] = '\0';
	return out;
}

int
marks_inside(const struct marks *m, size_t at)
{
	size_t i, passed = 0;

	for (i = 0; i < m->n && m->at[i] <= at; i++)
		passed++;
	return passed % 2 == 1;
}

void
marks_free(struct marks *m)
{
	free(m->at);
	m->at = NULL;
	m->n = 0;
}
