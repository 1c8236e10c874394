/*
 * grow: room for one more item in an array that doubles as it fills.
 */

#include <stdlib.h>

#include "grow.h"

int
grow(void **items, size_t *alloc, size_t n, size_t size)
{
	size_t want;
	void *grown;

	if (n < *alloc)
		return 0;
	want = *alloc != 0 ? *alloc * 2 : 16;
	grown = realloc(*items, want * size);
	if (grown == NULL)
		return -1;
	*items = grown;
	*alloc = want;
	return 0;
}
