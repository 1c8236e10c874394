/*
 * stem: a word as the search index holds it, through the index's own
 * tokenizer (FTS5's porter over unicode61), so that the browser can tell
 * when a word it searches is already covered by the prefix it also
 * searches, and leave it out of the query.
 *
 * The tokenizer is created on first use and kept with the connection;
 * snippet.c reads excerpts with it too (store_tokenize).
 */

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "store-internal.h"

struct first_token {
	char *buf;
	size_t size;
	int found;
};

static int
keep_first_token(void *ctx, int flags, const char *token, int len, int start, int end)
{
	struct first_token *t = ctx;

	(void)flags;
	(void)start;
	(void)end;
	if (t->found)
		return SQLITE_OK;
	t->found = 1;
	if ((size_t)len >= t->size)
		return SQLITE_TOOBIG;
	memcpy(t->buf, token, (size_t)len);
	t->buf[len] = '\0';
	return SQLITE_OK;
}

static int
open_stemmer(struct store *st)
{
	/* The index's tokenizer, as schema.c declares it: porter over
	 * unicode61 with remove_diacritics 2. */
	const char *args[] = { "unicode61", "remove_diacritics", "2" };
	fts5_api *api = store_fts5_api(st->db);
	void *ctx = NULL;

	if (api == NULL || api->xFindTokenizer(api, "porter", &ctx, &st->stemmer_api) != SQLITE_OK
	    || st->stemmer_api.xCreate(ctx, args, (int)(sizeof(args) / sizeof(args[0])),
				       &st->stemmer) != SQLITE_OK) {
		st->stemmer = NULL;
		snprintf(st->errmsg, sizeof(st->errmsg), "cannot open the index's tokenizer");
		return STORE_ERROR;
	}
	return STORE_OK;
}

int
store_tokenize(struct store *st, int flags, const char *text, size_t len, void *ctx,
	       int (*cb)(void *, int, const char *, int, int, int))
{
	if (len > INT_MAX) {
		snprintf(st->errmsg, sizeof(st->errmsg), "a text too long to read");
		return STORE_ERROR;
	}
	if (st->stemmer == NULL && open_stemmer(st) != STORE_OK)
		return STORE_ERROR;
	if (st->stemmer_api.xTokenize(st->stemmer, ctx, flags, text, (int)len, cb) != SQLITE_OK) {
		snprintf(st->errmsg, sizeof(st->errmsg), "cannot read a text's words");
		return STORE_ERROR;
	}
	return STORE_OK;
}

int
store_stem(struct store *st, const char *word, char *buf, size_t size)
{
	struct first_token t = { buf, size, 0 };

	if (size == 0)
		return STORE_ERROR;
	buf[0] = '\0';
	if (store_tokenize(st, FTS5_TOKENIZE_QUERY, word, strlen(word), &t, keep_first_token)
	    != STORE_OK) {
		buf[0] = '\0';
		/* The tokenizer opened, and failed on the word. */
		if (st->stemmer != NULL)
			snprintf(st->errmsg, sizeof(st->errmsg), "cannot read the word '%.64s'",
				 word);
		return STORE_ERROR;
	}
	return t.found ? STORE_OK : STORE_NOT_FOUND;
}

void
store_stem_close(struct store *st)
{
	if (st->stemmer != NULL)
		st->stemmer_api.xDelete(st->stemmer);
	st->stemmer = NULL;
}
