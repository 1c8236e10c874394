/*
 * fuzz-snippet: a search hit's snippet (store/snippet.c) for any FTS5
 * expression and any excerpt, the input's first line being the one and
 * the rest the other.  Whatever the expression, the snippet is the
 * excerpt's text: its marks come in pairs, and without them and the
 * ellipses that stand for what was cut, it is a piece of the excerpt
 * (whose own mark characters it shows as U+FFFD).
 */

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "store-internal.h"

#define ELLIPSIS "\xe2\x80\xa6"

/* The snippet without its marks; abort() when they do not pair up. */
static char *
unmarked(const char *snippet)
{
	size_t start = strlen(STORE_MARK_START), end = strlen(STORE_MARK_END);
	char *out = malloc(strlen(snippet) + 1), *o = out;
	int open = 0;

	if (out == NULL)
		return NULL;
	while (*snippet != '\0') {
		if (strncmp(snippet, STORE_MARK_START, start) == 0 && !open) {
			open = 1;
			snippet += start;
		} else if (strncmp(snippet, STORE_MARK_END, end) == 0 && open) {
			open = 0;
			snippet += end;
		} else {
			*o++ = *snippet++;
		}
	}
	*o = '\0';
	if (open)
		abort();
	return out;
}

/* Whether piece, or piece less a leading and/or a trailing ellipsis, is
 * in text. */
static int
is_piece_of(const char *piece, const char *text)
{
	size_t n = strlen(piece), e = strlen(ELLIPSIS);
	int lead, trail;

	for (lead = 0; lead <= 1; lead++) {
		for (trail = 0; trail <= 1; trail++) {
			const char *p = piece + (lead ? e : 0);
			size_t len = n - (lead ? e : 0) - (trail ? e : 0);
			char *want;
			int found;

			if ((lead && strncmp(piece, ELLIPSIS, e) != 0) || n < (lead + trail) * e
			    || (trail && strcmp(piece + n - e, ELLIPSIS) != 0))
				continue;
			if ((want = malloc(len + 1)) == NULL)
				return 1;
			memcpy(want, p, len);
			want[len] = '\0';
			found = strstr(text, want) != NULL;
			free(want);
			if (found)
				return 1;
		}
	}
	return 0;
}

/* The excerpt as a snippet shows it, in place: the marks' own characters
 * made U+FFFD (as many bytes), as snippet.c does. */
static char *
shown(char *text)
{
	size_t mark = strlen(STORE_MARK_START);
	char *p;

	for (p = text; *p != '\0'; p++)
		if (strncmp(p, STORE_MARK_START, mark) == 0 || strncmp(p, STORE_MARK_END, mark) == 0)
			memcpy(p, "\xef\xbf\xbd", mark);
	return text;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct store *st;
	char *input = malloc(size + 1), *text, *snippet, *plain, err[256];
	struct snippet_query *q;

	if (input == NULL)
		return 0;
	/* One store for every run: opening one is most of a run's time. */
	if (st == NULL && (st = store_open(":memory:", err, sizeof(err))) == NULL)
		abort();
	memcpy(input, data, size);
	input[size] = '\0';
	text = strchr(input, '\n');
	text = text != NULL ? (*text = '\0', text + 1) : input + size;
	if ((q = snippet_query_parse(st, input)) != NULL) {
		if ((snippet = snippet_make(st, q, text)) != NULL) {
			if ((plain = unmarked(snippet)) != NULL
			    && !is_piece_of(plain, shown(text)))
				abort();
			free(plain);
			free(snippet);
		}
		snippet_query_free(q);
	}
	free(input);
	return 0;
}
