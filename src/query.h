/*
 * query: what a user types into search, made into an FTS5 expression.
 *
 * The user's language: words (each matched as a word, punctuation inside a
 * word such as "opt-out" kept as a phrase), "quoted phrases", a trailing *
 * for a prefix (train*, "opt ou"*), the operators AND, OR and NOT in capitals,
 * parentheses, and the filters platform:NAME, kind:KIND (type:KIND too) and
 * severity:LEVEL.
 * Words side by side must all match.  Nothing the user types reaches FTS5
 * unquoted, so the expression is always well formed.
 */
#ifndef CLAUSE_QUERY_H
#define CLAUSE_QUERY_H

#include <stddef.h>

struct query {
	char *match;		/* The FTS5 expression; NULL if only filters. */
	char *platform;		/* platform:NAME, or NULL. */
	char *kind;		/* kind:KIND, or NULL. */
	char *severity;		/* severity:LEVEL, or NULL. */
};

/* Parse input into q (zeroed first).  Returns 0, or -1 with a one-line
 * reason naming the input in err ('unterminated quote in "foo'); on failure
 * q holds nothing to free. */
int query_parse(const char *input, struct query *q, char *err, size_t errsize);

/* Free what q holds and zero it.  Safe on a zeroed query. */
void query_free(struct query *q);

#endif
