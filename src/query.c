/*
 * query: parse a search query into an FTS5 expression (see query.h).
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "query.h"

/* What came last, to place implicit ANDs and refuse misplaced operators. */
enum query_last {
	QUERY_LAST_NOTHING,	/* Start, or just after '('. */
	QUERY_LAST_OPERAND,	/* A word, a phrase or ')'. */
	QUERY_LAST_OPERATOR	/* AND, OR, NOT. */
};

struct query_parser {
	const char *input;	/* The whole query, for messages. */
	const char *p;		/* Read position. */
	char *out;		/* The expression being built. */
	size_t len, size;
	enum query_last last;
	const char *last_operator;
	int depth;		/* Open parentheses. */
	char *err;
	size_t errsize;
};

static int
parser_fail(struct query_parser *qp, const char *fmt, ...)
{
	va_list ap;

	if (qp->errsize > 0) {
		va_start(ap, fmt);
		vsnprintf(qp->err, qp->errsize, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int
parser_append(struct query_parser *qp, const char *s, size_t n)
{
	if (qp->len + n + 1 > qp->size) {
		size_t size = qp->size > 0 ? qp->size : 64;
		char *grown;

		while (qp->len + n + 1 > size)
			size *= 2;
		grown = realloc(qp->out, size);
		if (grown == NULL)
			return parser_fail(qp, "out of memory");
		qp->out = grown;
		qp->size = size;
	}
	memcpy(qp->out + qp->len, s, n);
	qp->len += n;
	qp->out[qp->len] = '\0';
	return 0;
}

static int
parser_append_str(struct query_parser *qp, const char *s)
{
	return parser_append(qp, s, strlen(s));
}

/* Whether a byte can be part of a word the index knows: letters and digits
 * of ASCII, and any byte of a multi-byte UTF-8 character. */
static int
is_word_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	       || c >= 0x80;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Add an operand (a quoted string, and a '*' for a prefix), with an AND
 * before it when it follows another operand. */
static int
parser_operand(struct query_parser *qp, const char *text, size_t n, int prefix)
{
	if (qp->last == QUERY_LAST_OPERAND && parser_append_str(qp, " AND ") != 0)
		return -1;
	if (parser_append_str(qp, "\"") != 0 || parser_append(qp, text, n) != 0
	    || parser_append_str(qp, prefix ? "\"*" : "\"") != 0)
		return -1;
	qp->last = QUERY_LAST_OPERAND;
	return 0;
}

static int
has_word_byte(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (is_word_byte((unsigned char)s[i]))
			return 1;
	return 0;
}

static int
parser_phrase(struct query_parser *qp)
{
	const char *start = qp->p + 1, *end = strchr(start, '"');
	int prefix = 0;

	if (end == NULL)
		return parser_fail(qp, "unterminated quote in %s", qp->input);
	if (!has_word_byte(start, (size_t)(end - start)))
		return parser_fail(qp, "empty phrase in %s", qp->input);
	qp->p = end + 1;
	while (*qp->p == '*') {
		prefix = 1;
		qp->p++;
	}
	return parser_operand(qp, start, (size_t)(end - start), prefix);
}

/* A filter's value: the rest of the word, or a quoted string. */
static int
parser_filter(struct query_parser *qp, const char *name, const char *value, char **out)
{
	const char *end;

	if (*out != NULL)
		return parser_fail(qp, "%s: given twice in %s", name, qp->input);
	if (*value == '"') {
		value++;
		end = strchr(value, '"');
		if (end == NULL)
			return parser_fail(qp, "unterminated quote in %s", qp->input);
		qp->p = end + 1;
	} else {
		for (end = value; *end != '\0' && !is_space(*end) && *end != '(' && *end != ')'; end++)
			;
		qp->p = end;
	}
	if (end == value)
		return parser_fail(qp, "%s: needs a value in %s", name, qp->input);
	*out = strndup(value, (size_t)(end - value));
	if (*out == NULL)
		return parser_fail(qp, "out of memory");
	return 0;
}

static int
parser_operator(struct query_parser *qp, const char *op)
{
	if (qp->last != QUERY_LAST_OPERAND)
		return parser_fail(qp, "'%s' needs a term before it in %s", op, qp->input);
	if (parser_append_str(qp, " ") != 0 || parser_append_str(qp, op) != 0
	    || parser_append_str(qp, " ") != 0)
		return -1;
	qp->last = QUERY_LAST_OPERATOR;
	qp->last_operator = op;
	return 0;
}

static int
parser_word(struct query_parser *qp, struct query *q)
{
	static const char *const operators[] = { "AND", "OR", "NOT", NULL };
	const char *start = qp->p, *end = start;
	size_t n, i;
	int prefix = 0;

	while (*end != '\0' && !is_space(*end) && *end != '"' && *end != '(' && *end != ')')
		end++;
	n = (size_t)(end - start);
	qp->p = end;

	if (n >= 9 && strncasecmp(start, "platform:", 9) == 0)
		return parser_filter(qp, "platform", start + 9, &q->platform);
	if (n >= 5 && strncasecmp(start, "kind:", 5) == 0)
		return parser_filter(qp, "kind", start + 5, &q->kind);
	if (n >= 5 && strncasecmp(start, "type:", 5) == 0)
		return parser_filter(qp, "kind", start + 5, &q->kind);
	if (n >= 9 && strncasecmp(start, "severity:", 9) == 0)
		return parser_filter(qp, "severity", start + 9, &q->severity);
	for (i = 0; operators[i] != NULL; i++)
		if (n == strlen(operators[i]) && strncmp(start, operators[i], n) == 0)
			return parser_operator(qp, operators[i]);

	while (n > 0 && start[n - 1] == '*') {
		prefix = 1;
		n--;
	}
	/* Punctuation alone ("-", "&") is not a word the index holds. */
	if (!has_word_byte(start, n))
		return 0;
	return parser_operand(qp, start, n, prefix);
}

int
query_parse(const char *input, struct query *q, char *err, size_t errsize)
{
	struct query_parser qp = {
		.input = input, .p = input, .err = err, .errsize = errsize,
		.last = QUERY_LAST_NOTHING,
	};
	int rc = 0;

	memset(q, 0, sizeof(*q));
	while (rc == 0 && *qp.p != '\0') {
		if (is_space(*qp.p)) {
			qp.p++;
		} else if (*qp.p == '(') {
			if (qp.last == QUERY_LAST_OPERAND)
				rc = parser_append_str(&qp, " AND ");
			if (rc == 0)
				rc = parser_append_str(&qp, "(");
			qp.depth++;
			qp.last = QUERY_LAST_NOTHING;
			qp.p++;
		} else if (*qp.p == ')') {
			if (qp.depth == 0)
				rc = parser_fail(&qp, "unmatched ')' in %s", input);
			else if (qp.last != QUERY_LAST_OPERAND)
				rc = parser_fail(&qp, "empty or unfinished group in %s", input);
			else
				rc = parser_append_str(&qp, ")");
			qp.depth--;
			qp.p++;
		} else if (*qp.p == '"') {
			rc = parser_phrase(&qp);
		} else {
			rc = parser_word(&qp, q);
		}
	}
	if (rc == 0 && qp.last == QUERY_LAST_OPERATOR)
		rc = parser_fail(&qp, "'%s' needs a term after it in %s", qp.last_operator, input);
	if (rc == 0 && qp.depth > 0)
		rc = parser_fail(&qp, "unmatched '(' in %s", input);
	if (rc == 0 && qp.out == NULL && q->platform == NULL && q->kind == NULL
	    && q->severity == NULL)
		rc = parser_fail(&qp, "nothing to search for in '%s'", input);
	if (rc != 0) {
		free(qp.out);
		query_free(q);
		return -1;
	}
	q->match = qp.out;
	return 0;
}

void
query_free(struct query *q)
{
	free(q->match);
	free(q->platform);
	free(q->kind);
	free(q->severity);
	memset(q, 0, sizeof(*q));
}
