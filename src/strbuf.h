/*
 * strbuf: a growable, NUL-terminated byte string with an upper bound.
 *
 * The members are public only so that a strbuf can live on the stack:
 * read s and len, but change them only through these functions.  An
 * append that fails (out of memory, or past the bound) frees the buffer,
 * marks it failed and returns -1; every later append fails too, so that a
 * writer may check once, at the end, with strbuf_failed().
 */
#ifndef CLAUSE_STRBUF_H
#define CLAUSE_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *s;		/* The bytes, NUL-terminated; NULL while empty. */
	size_t len;		/* Bytes in s, without the NUL. */
	size_t size;		/* Bytes allocated. */
	size_t max;		/* The most len may reach; 0 for no bound. */
	int failed;		/* An append failed: s is NULL for good. */
};

/* An empty buffer that may grow to max bytes (0: no bound). */
void strbuf_init(struct strbuf *b, size_t max);

/* Append len bytes, a C string, one byte, or formatted text; 0 or -1. */
int strbuf_add(struct strbuf *b, const char *data, size_t len);
int strbuf_puts(struct strbuf *b, const char *s);
int strbuf_putc(struct strbuf *b, char c);
int strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Insert len bytes at offset at (at <= b->len); 0 or -1. */
int strbuf_insert(struct strbuf *b, size_t at, const char *data, size_t len);

/* Cut the buffer back to len bytes (len <= b->len). */
void strbuf_truncate(struct strbuf *b, size_t len);

/* Remove n bytes at offset at. */
void strbuf_erase(struct strbuf *b, size_t at, size_t n);

/* Mark the buffer failed (freeing it), as a failed append would. */
void strbuf_set_failed(struct strbuf *b);

/* Whether an append has failed. */
int strbuf_failed(const struct strbuf *b);

/* Hand over the string (an empty string for an empty buffer) and reset
 * the buffer; NULL when an append failed or memory ran out. */
char *strbuf_detach(struct strbuf *b, size_t *len);

/* Free what the buffer holds and make it empty again (failed cleared). */
void strbuf_free(struct strbuf *b);

#endif
