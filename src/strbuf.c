/*
 * strbuf: a bounded growable string (see strbuf.h).
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

void
strbuf_init(struct strbuf *b, size_t max)
{
	b->s = NULL;
	b->len = 0;
	b->size = 0;
	b->max = max;
	b->failed = 0;
}

static int
strbuf_fail(struct strbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = 0;
	b->size = 0;
	b->failed = 1;
	return -1;
}

/* Room for n more bytes and the NUL. */
static int
strbuf_grow(struct strbuf *b, size_t n)
{
	size_t need, size;
	char *s;

	if (b->failed)
		return -1;
	if (n > (size_t)-1 / 2 - b->len || (b->max > 0 && b->len + n > b->max))
		return strbuf_fail(b);
	need = b->len + n + 1;
	if (need <= b->size)
		return 0;
	size = b->size > 0 ? b->size : 256;
	while (size < need)
		size *= 2;
	s = realloc(b->s, size);
	if (s == NULL)
		return strbuf_fail(b);
	b->s = s;
	b->size = size;
	return 0;
}

int
strbuf_add(struct strbuf *b, const char *data, size_t len)
{
	if (strbuf_grow(b, len) != 0)
		return -1;
	if (len > 0)
		memcpy(b->s + b->len, data, len);
	b->len += len;
	b->s[b->len] = '\0';
	return 0;
}

int
strbuf_puts(struct strbuf *b, const char *s)
{
	return strbuf_add(b, s, strlen(s));
}

int
strbuf_putc(struct strbuf *b, char c)
{
	return strbuf_add(b, &c, 1);
}

int
strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return strbuf_fail(b);
	if (strbuf_grow(b, (size_t)n) != 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

int
strbuf_insert(struct strbuf *b, size_t at, const char *data, size_t len)
{
	if (strbuf_grow(b, len) != 0)
		return -1;
	memmove(b->s + at + len, b->s + at, b->len - at + 1);
	memcpy(b->s + at, data, len);
	b->len += len;
	return 0;
}

void
strbuf_truncate(struct strbuf *b, size_t len)
{
	if (b->s == NULL || len >= b->len)
		return;
	b->len = len;
	b->s[len] = '\0';
}

void
strbuf_erase(struct strbuf *b, size_t at, size_t n)
{
	if (b->s == NULL || at >= b->len)
		return;
	if (n > b->len - at)
		n = b->len - at;
	memmove(b->s + at, b->s + at + n, b->len - at - n + 1);
	b->len -= n;
}

void
strbuf_set_failed(struct strbuf *b)
{
	strbuf_fail(b);
}

int
strbuf_failed(const struct strbuf *b)
{
	return b->failed;
}

char *
strbuf_detach(struct strbuf *b, size_t *len)
{
	char *s;

	if (b->failed) {
		b->failed = 0;
		return NULL;
	}
	s = b->s != NULL ? b->s : strdup("");
	if (len != NULL)
		*len = b->len;
	b->s = NULL;
	b->len = 0;
	b->size = 0;
	return s;
}

void
strbuf_free(struct strbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = 0;
	b->size = 0;
	b->failed = 0;
}
