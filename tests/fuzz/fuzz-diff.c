/*
 * fuzz-diff: the paragraph and word diff on any two texts (the input cut
 * at its first NUL, or in half).  The counts it reports match its hunks,
 * and every summary fits its buffer.
 */

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "textdiff.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nul = memchr(data, '\0', size);
	size_t cut = nul != NULL ? (size_t)(nul - (const char *)data) : size / 2;
	char *a = malloc(cut + 1), *b = malloc(size - cut + 1), summary[256], words[256], err[256];
	struct textdiff d;
	size_t h, p;
	int added = 0, removed = 0, changed = 0;

	if (a == NULL || b == NULL)
		goto done;
	memcpy(a, data, cut);
	a[cut] = '\0';
	memcpy(b, data + cut + (nul != NULL), size - cut - (nul != NULL));
	b[size - cut - (nul != NULL)] = '\0';
	memset(&d, 0, sizeof(d));
	if (textdiff_run(a, b, 1, &d, err, sizeof(err)) != 0)
		goto done;
	for (h = 0; h < d.nhunks; h++)
		for (p = 0; p < d.hunks[h].nparas; p++) {
			const struct textdiff_para *para = &d.hunks[h].paras[p];

			added += para->op == TEXTDIFF_ADDED;
			removed += para->op == TEXTDIFF_REMOVED;
			changed += para->op == TEXTDIFF_CHANGED;
			if (para->op == TEXTDIFF_CHANGED) {
				char *marked = textdiff_marked(para);

				free(marked);
			}
		}
	if (added != d.added || removed != d.removed || changed != d.changed)
		abort();
	textdiff_summary(&d, summary, sizeof(summary));
	textdiff_free(&d);
	textdiff_passage_summary(a, b, words, sizeof(words));
done:
	free(a);
	free(b);
	return 0;
}
