/*
 * assets: reading the files of the embedded dataset (see assets.h).
 */

#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "assets.h"

char *
assets_read(const struct asset *a, size_t *len)
{
	size_t n = a->inflated_size > 0 ? a->inflated_size : a->size;
	char *buf = malloc(n + 1);

	if (buf == NULL)
		return NULL;
	if (a->inflated_size == 0) {
		memcpy(buf, a->data, n);
	} else {
		uLongf out = (uLongf)n;

		if (uncompress((Bytef *)buf, &out, (const Bytef *)a->data, (uLong)a->size) != Z_OK
		    || out != n) {
			free(buf);
			return NULL;
		}
	}
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}
