/*
 * grow: room for one more item in an array that doubles as it fills.
 */
#ifndef CLAUSE_GROW_H
#define CLAUSE_GROW_H

#include <stddef.h>

/* Make room for item n of *items (of size bytes each, *alloc of them
 * allocated): 0, or -1 when out of memory, leaving *items as it was. */
int grow(void **items, size_t *alloc, size_t n, size_t size);

#endif
