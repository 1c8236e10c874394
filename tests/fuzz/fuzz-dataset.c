/*
 * fuzz-dataset: the dataset loader with one platform's file replaced by
 * any bytes.  The dataset parses or is refused with a reason
 * naming the file; a crash or a leak is a bug.  The table keeps the kinds,
 * the regulations and Claude's texts only, so that a run is quick.
 */

#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "dataset.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct asset *table = assets_table();
	struct asset *copy;
	struct dataset *ds;
	char *bytes, err[512];
	size_t n = 0, i;

	while (table[n].name != NULL)
		n++;
	copy = calloc(n + 1, sizeof(*copy));
	bytes = malloc(size + 1);
	if (copy == NULL || bytes == NULL)
		goto done;
	memcpy(bytes, data, size);
	bytes[size] = '\0';
	for (i = 0, n = 0; table[i].name != NULL; i++) {
		const char *name = table[i].name;

		if (strcmp(name, "platforms/claude-ai.json") == 0) {
			copy[n] = table[i];
			copy[n].data = bytes;
			copy[n].size = size;
			copy[n].inflated_size = 0;
			n++;
		} else if ((strncmp(name, "platforms/", 10) != 0 && strncmp(name, "texts/", 6) != 0)
			   || strncmp(name, "texts/claude-ai/", 16) == 0) {
			copy[n++] = table[i];
		}
	}
	copy[n].name = NULL;
	err[0] = '\0';
	ds = dataset_parse(copy, err, sizeof(err));
	if (ds != NULL)
		dataset_free(ds);
	else if (err[0] == '\0')
		abort();
done:
	free(copy);
	free(bytes);
	return 0;
}
