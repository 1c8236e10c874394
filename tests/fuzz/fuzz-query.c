/*
 * fuzz-query: the search language's parser on any text.  It accepts or
 * refuses with a reason; what it accepts has no NUL and is
 * balanced in its double quotes, as FTS5 wants.
 */

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "query.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *input = malloc(size + 1), err[256];
	struct query q;

	if (input == NULL)
		return 0;
	memcpy(input, data, size);
	input[size] = '\0';
	err[0] = '\0';
	if (query_parse(input, &q, err, sizeof(err)) == 0) {
		if (q.match != NULL) {
			size_t quotes = 0;
			const char *p;

			for (p = q.match; *p != '\0'; p++)
				quotes += *p == '"';
			if (quotes % 2 != 0)
				abort();
		}
		query_free(&q);
	} else if (err[0] == '\0') {
		abort();
	}
	free(input);
	return 0;
}
