/*
 * snippet: a search hit's excerpt cut around its matches, the matches
 * marked, as FTS5's snippet() cuts it, from the excerpt alone.
 *
 * FTS5's snippet() needs its cursor on the row, and to put it there for a
 * kept row FTS5 runs the query anew and seeks the row: 60 us a row when
 * the index's pages are not in the cache, and 45 % of the time of the
 * searches of make bench went there.  The store reads each kept row's
 * excerpt anyway.  It cuts that into tokens with the index's own
 * tokenizer (stem.c) and finds the query's phrases among them as FTS5
 * does (the same tokens in a row; a prefix matching every token it
 * begins), then chooses the window as snippet() does: of the windows of
 * SNIPPET_TOKENS tokens around each match, the one with the most distinct
 * phrases (1000 each, 1 for a repeat), or one that starts the sentence
 * of a match (100 more, 120 for the first sentence), the first of equals.
 *
 * What it does not know of the expression, it marks anyway: a phrase of a
 * NEAR group wherever it occurs, a phrase that a column filter keeps to
 * another column.  A phrase after NOT is never marked, and the marks'
 * own characters in an excerpt become U+FFFD, so that a fetched text
 * cannot mark what it likes (FTS5's snippet() left them).
 */

#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "store-internal.h"
#include "strbuf.h"

/* Tokens in a snippet, as search.c has always asked snippet() for. */
#define SNIPPET_TOKENS 24
#define SNIPPET_ELLIPSIS "\xe2\x80\xa6"

/* Text cut into tokens: where each is, and its text as the index holds
 * it, NUL-terminated, one after the other in text. */
struct token {
	int start, end;		/* Bytes of the source text. */
	size_t at;		/* Offset of its text in text. */
};

struct tokens {
	struct token *token;
	size_t n, alloc;
	struct strbuf text;
};

/* The tokenizer's callback: one more token. */
static int
add_token(void *ctx, int flags, const char *token, int len, int start, int end)
{
	struct tokens *t = ctx;

	if (flags & FTS5_TOKEN_COLOCATED)
		return SQLITE_OK;
	if (grow((void **)&t->token, &t->alloc, t->n, sizeof(*t->token)) != 0)
		return SQLITE_NOMEM;
	t->token[t->n++] = (struct token){ start, end, t->text.len };
	strbuf_add(&t->text, token, (size_t)len);
	strbuf_putc(&t->text, '\0');
	return t->text.failed ? SQLITE_NOMEM : SQLITE_OK;
}

static const char *
token_text(const struct tokens *t, size_t i)
{
	return t->text.s + t->token[i].at;
}

static void
tokens_free(struct tokens *t)
{
	free(t->token);
	strbuf_free(&t->text);
}

/* One phrase of the expression. */
struct phrase {
	struct tokens tokens;
	int prefix;		/* The last token begins the matching one. */
};

struct snippet_query {
	struct phrase *phrase;
	size_t n, alloc;
};

/* Add the phrase of text[0, len) ("" doubled inside a string already
 * undone), tokenized as FTS5 tokenizes a query's. */
static int
add_phrase(struct store *st, struct snippet_query *q, const char *text, size_t len, int prefix)
{
	struct tokens t = { 0 };
	int rc = store_tokenize(st, FTS5_TOKENIZE_QUERY | (prefix ? FTS5_TOKENIZE_PREFIX : 0),
				text, len, &t, add_token);

	if (rc != STORE_OK || t.n == 0) {
		tokens_free(&t);
		return rc;
	}
	if (grow((void **)&q->phrase, &q->alloc, q->n, sizeof(*q->phrase)) != 0) {
		tokens_free(&t);
		return STORE_ERROR;
	}
	q->phrase[q->n++] = (struct phrase){ t, prefix };
	return STORE_OK;
}

void
snippet_query_free(struct snippet_query *q)
{
	size_t i;

	if (q == NULL)
		return;
	for (i = 0; i < q->n; i++)
		tokens_free(&q->phrase[i].tokens);
	free(q->phrase);
	free(q);
}

/* A character of an FTS5 bareword: ASCII letters, digits and '_', and
 * any byte of a multi-byte character. */
static int
is_bareword_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	       || c == '_' || c >= 0x80;
}

static int
is_keyword(const char *p, size_t n, const char *word)
{
	return n == strlen(word) && memcmp(p, word, n) == 0;
}

/* The phrases of an FTS5 expression: strings ("a b", "" for a quote
 * inside), barewords, each with a trailing '*' for a prefix; AND, OR, NOT
 * and NEAR are operators, a bareword before ':' and a {list} are columns,
 * and the operand after NOT (a phrase or a group) is left out.  Anything
 * else is passed over: FTS5 has already said whether the expression is
 * well formed. */
struct snippet_query *
snippet_query_parse(struct store *st, const char *match)
{
	struct snippet_query *q = calloc(1, sizeof(*q));
	const char *p = match;
	int depth = 0, skip_depth = -1, negate = 0, after_comma = 0, rc = STORE_OK;

	if (q == NULL)
		return NULL;
	while (*p != '\0' && rc == STORE_OK) {
		unsigned char c = (unsigned char)*p;

		if (c == '"') {
			struct strbuf text = { 0 };
			int prefix;

			for (p++; *p != '\0'; p++) {
				if (*p == '"' && p[1] != '"')
					break;
				strbuf_add(&text, p, 1);
				p += *p == '"';
			}
			p += *p == '"';
			prefix = *p == '*';
			p += prefix;
			if (text.failed)
				rc = STORE_ERROR;
			else if (!negate && skip_depth < 0 && text.len > 0)
				rc = add_phrase(st, q, text.s, text.len, prefix);
			free(text.s);
			negate = after_comma = 0;
		} else if (is_bareword_byte(c)) {
			const char *start = p;
			size_t n;
			int prefix;

			while (is_bareword_byte((unsigned char)*p))
				p++;
			n = (size_t)(p - start);
			prefix = *p == '*';
			p += prefix;
			if (is_keyword(start, n, "NOT")) {
				negate = 1;
			} else if (is_keyword(start, n, "AND") || is_keyword(start, n, "OR")
				   || is_keyword(start, n, "NEAR") || *p == ':' || after_comma) {
				/* An operator, a column, NEAR's distance. */
			} else {
				if (!negate && skip_depth < 0)
					rc = add_phrase(st, q, start, n, prefix);
				negate = 0;
			}
			after_comma = 0;
		} else if (c == '{') {
			while (*p != '\0' && *p != '}')
				p++;
			p += *p == '}';
		} else {
			if (c == '(') {
				depth++;
				if (negate && skip_depth < 0)
					skip_depth = depth;
				negate = 0;
			} else if (c == ')') {
				if (depth == skip_depth)
					skip_depth = -1;
				depth--;
			}
			after_comma = c == ',';
			p++;
		}
	}
	if (rc != STORE_OK) {
		snippet_query_free(q);
		return NULL;
	}
	return q;
}

/* One match of a phrase: tokens [pos, pos + size). */
struct instance {
	size_t pos, size, phrase;
};

static int
compare_instances(const void *a, const void *b)
{
	const struct instance *x = a, *y = b;

	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	return (x->phrase > y->phrase) - (x->phrase < y->phrase);
}

static int
phrase_at(const struct tokens *t, const struct phrase *ph, size_t pos)
{
	size_t j, n = ph->tokens.n;

	if (pos + n > t->n)
		return 0;
	for (j = 0; j < n; j++) {
		const char *have = token_text(t, pos + j), *want = token_text(&ph->tokens, j);

		if (j + 1 == n && ph->prefix ? strncmp(have, want, strlen(want)) != 0
					     : strcmp(have, want) != 0)
			return 0;
	}
	return 1;
}

/* Every match of every phrase, in order of place (then of phrase), as
 * FTS5's xInst() lists them.  NULL with *n 0 when there is none or no
 * memory (*failed). */
static struct instance *
find_instances(const struct snippet_query *q, const struct tokens *t, size_t *n, int *failed)
{
	struct instance *inst = NULL;
	size_t alloc = 0, pos, i;

	*n = 0;
	for (i = 0; i < q->n; i++) {
		for (pos = 0; pos < t->n; pos++) {
			if (!phrase_at(t, &q->phrase[i], pos))
				continue;
			if (grow((void **)&inst, &alloc, *n, sizeof(*inst)) != 0) {
				free(inst);
				*n = 0;
				*failed = 1;
				return NULL;
			}
			inst[(*n)++] = (struct instance){ pos, q->phrase[i].tokens.n, i };
		}
	}
	if (*n > 1)
		qsort(inst, *n, sizeof(*inst), compare_instances);
	return inst;
}

/* The score of the window of SNIPPET_TOKENS tokens from pos: 1000 for each
 * phrase first found in it, 1 for each repeat; and into *adjusted (when
 * not NULL) where it should start to centre its matches.  Only the
 * matches in the window are looked at: an excerpt that says a word ten
 * thousand times must not cost a hundred million steps. */
static long
window_score(const struct instance *inst, size_t n, size_t nphrases, size_t ntokens,
	     size_t pos, unsigned char *seen, long *adjusted)
{
	long score = 0, first = -1, last = 0, adj;
	size_t lo = 0, hi = n, i;

	/* The first match at or after pos: they are in order of place. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (inst[mid].pos < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	memset(seen, 0, nphrases);
	for (i = lo; i < n && inst[i].pos < pos + SNIPPET_TOKENS; i++) {
		score += seen[inst[i].phrase] ? 1 : 1000;
		seen[inst[i].phrase] = 1;
		if (first < 0)
			first = (long)inst[i].pos;
		last = (long)(inst[i].pos + inst[i].size);
	}
	if (adjusted != NULL) {
		adj = first - (SNIPPET_TOKENS - (last - first)) / 2;
		if (adj + SNIPPET_TOKENS > (long)ntokens)
			adj = (long)ntokens - SNIPPET_TOKENS;
		*adjusted = adj < 0 ? 0 : adj;
	}
	return score;
}

/* Whether token i starts a sentence: the first, or one that white space
 * and then '.' or ':' come before. */
static int
starts_sentence(const char *text, const struct tokens *t, size_t i)
{
	int at = t->token[i].start - 1;

	if (i == 0)
		return 1;
	while (at >= 0 && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n'
			   || text[at] == '\r'))
		at--;
	return at != t->token[i].start - 1 && at >= 0 && (text[at] == '.' || text[at] == ':');
}

/* The first token of the best window; sentence[] is scratch, a token each. */
static size_t
best_start(const char *text, const struct tokens *t, const struct instance *inst, size_t n,
	   size_t nphrases, unsigned char *seen, size_t *sentence)
{
	long best = 0, start = 0, adj, score;
	size_t i, s;

	/* The start of the sentence each token is in. */
	for (i = 0; i < t->n; i++)
		sentence[i] = starts_sentence(text, t, i) ? i : sentence[i - 1];
	for (i = 0; i < n; i++) {
		score = window_score(inst, n, nphrases, t->n, inst[i].pos, seen, &adj);
		if (score > best) {
			best = score;
			start = adj;
		}
		/* The start of the match's sentence, when it is not the match. */
		s = sentence[inst[i].pos];
		if (t->n <= SNIPPET_TOKENS || s == inst[i].pos)
			continue;
		score = window_score(inst, n, nphrases, t->n, s, seen, NULL) + (s == 0 ? 120 : 100);
		if (score > best) {
			best = score;
			start = (long)s;
		}
	}
	return (size_t)start;
}

/* A run of overlapping matches: tokens [first, last]. */
struct mark {
	size_t first, last;
};

/* The next run of matches from inst[*i], which it moves past. */
static int
next_mark(const struct instance *inst, size_t n, size_t *i, struct mark *m)
{
	if (*i >= n)
		return 0;
	m->first = inst[*i].pos;
	m->last = inst[*i].pos + inst[*i].size - 1;
	for ((*i)++; *i < n && inst[*i].pos <= m->last; (*i)++)
		if (inst[*i].pos + inst[*i].size - 1 > m->last)
			m->last = inst[*i].pos + inst[*i].size - 1;
	return 1;
}

/* Append text[0, n) to out, any mark's own character in it made U+FFFD
 * (as many bytes): an excerpt must not mark what did not match. */
static void
add_text(struct strbuf *out, const char *text, size_t n)
{
	size_t mark = strlen(STORE_MARK_START), from = 0, i;

	for (i = 0; i + mark <= n; i++) {
		if (memcmp(text + i, STORE_MARK_START, mark) != 0
		    && memcmp(text + i, STORE_MARK_END, mark) != 0)
			continue;
		strbuf_add(out, text + from, i - from);
		strbuf_puts(out, "\xef\xbf\xbd");
		from = i + mark;
		i += mark - 1;
	}
	strbuf_add(out, text + from, n - from);
}

/* The window from token start, the matches in it marked. */
static void
render(struct strbuf *out, const char *text, const struct tokens *t,
       const struct instance *inst, size_t n, size_t start)
{
	size_t last = start + SNIPPET_TOKENS - 1, off = 0, len = strlen(text), next = 0, pos;
	struct mark m;
	int have = 0, open = 0;

	if (start > 0) {
		strbuf_puts(out, SNIPPET_ELLIPSIS);
		off = (size_t)t->token[start].start;
	}
	/* Runs that begin before the window are left out, as snippet() does. */
	while ((have = next_mark(inst, n, &next, &m)) && m.first < start)
		;
	for (pos = start; pos < t->n && pos <= last; pos++) {
		const struct token *tok = &t->token[pos];

		if (have && pos == m.first) {
			add_text(out, text + off, (size_t)tok->start - off);
			strbuf_puts(out, STORE_MARK_START);
			off = (size_t)tok->start;
			open = 1;
		}
		if (have && pos == m.last) {
			add_text(out, text + off, (size_t)tok->end - off);
			strbuf_puts(out, STORE_MARK_END);
			off = (size_t)tok->end;
			open = 0;
			have = next_mark(inst, n, &next, &m);
		}
		if (pos == last) {
			add_text(out, text + off, (size_t)tok->end - off);
			off = (size_t)tok->end;
			if (open)
				strbuf_puts(out, STORE_MARK_END);
		}
	}
	if (last + 1 >= t->n)
		add_text(out, text + off, len - off);
	else
		strbuf_puts(out, SNIPPET_ELLIPSIS);
}

char *
snippet_make(struct store *st, const struct snippet_query *q, const char *text)
{
	struct tokens t = { 0 };
	struct strbuf out = { 0 };
	struct instance *inst = NULL;
	unsigned char *seen = NULL;
	size_t *sentence = NULL, n = 0;
	int failed = 0;

	if (store_tokenize(st, FTS5_TOKENIZE_DOCUMENT, text, strlen(text), &t, add_token)
	    != STORE_OK)
		failed = 1;
	if (!failed)
		inst = find_instances(q, &t, &n, &failed);
	if (!failed && ((seen = malloc(q->n > 0 ? q->n : 1)) == NULL
			|| (sentence = malloc((t.n > 0 ? t.n : 1) * sizeof(*sentence))) == NULL))
		failed = 1;
	if (!failed && t.n > 0)
		render(&out, text, &t, inst, n,
		       best_start(text, &t, inst, n, q->n, seen, sentence));
	else if (!failed)
		add_text(&out, text, strlen(text));
	tokens_free(&t);
	free(inst);
	free(seen);
	free(sentence);
	if (failed) {
		strbuf_free(&out);
		return NULL;
	}
	return strbuf_detach(&out, NULL);
}
