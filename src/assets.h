/*
 * The embedded dataset: the files of assets/, compiled into the binary by
 * tools/embed at build time (see Makefile.am).
 */
#ifndef CLAUSE_ASSETS_H
#define CLAUSE_ASSETS_H

#include <stddef.h>

struct asset {
	const char *name;	/* Path relative to assets/, e.g. "kinds.json". */
	const char *data;	/* The bytes as stored, NUL-terminated after size. */
	size_t size;		/* Bytes in data, without the final NUL. */
	size_t inflated_size;	/* 0 when data is the file itself; else data is
				 * the file deflated (zlib) and this its size. */
};

/* The table of every embedded file, ordered by name and ended by an entry
 * whose name is NULL.  The table and its data are static and read-only. */
const struct asset *assets_table(void);

/* A digest of every embedded file's name and bytes: a different dataset
 * has a different digest. */
const char *assets_digest(void);

/* The file's contents, inflated where stored deflated, in a malloc'd
 * buffer with a NUL after its *len bytes (len may be NULL).  NULL when
 * out of memory or when the stored data is corrupt. */
char *assets_read(const struct asset *a, size_t *len);

#endif
