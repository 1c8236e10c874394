/*
 * selector: CSS selectors of the declarations' subset to XPath 1.0 (see
 * selector.h).
 *
 * A recursive-descent parser over the grammar
 *
 *   list     = complex *( "," complex )
 *   complex  = compound *( combinator compound )
 *   compound = [ type | "*" ] *( "#" ident | "." ident | attribute | ":" pseudo )
 *
 * writes one XPath location path per complex selector and joins them with
 * '|', which libxml2 returns in document order without duplicates, as
 * querySelectorAll does.  Each compound becomes one step; its conditions
 * become one predicate.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlstring.h>

#include "selector.h"
#include "strbuf.h"

struct parser {
	const char *css;	/* The whole selector, for messages. */
	const char *p;		/* The next byte to read. */
	struct strbuf out;	/* The XPath written so far. */
	char *err;
	size_t errlen;
};

enum combinator {
	COMB_FIRST,		/* The first compound: any descendant of the document. */
	COMB_DESCENDANT,	/* "a b" */
	COMB_CHILD,		/* "a > b" */
	COMB_NEXT,		/* "a + b" */
	COMB_LATER		/* "a ~ b" */
};

static int
parse_error(struct parser *ps, const char *what)
{
	snprintf(ps->err, ps->errlen, "%s in selector '%s'", what, ps->css);
	return -1;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int
skip_space(struct parser *ps)
{
	const char *start = ps->p;

	while (is_space(*ps->p))
		ps->p++;
	return ps->p != start;
}

static int
is_name_start(unsigned char c)
{
	return isalpha(c) || c == '_' || c >= 0x80;
}

static int
is_name_char(unsigned char c)
{
	return is_name_start(c) || isdigit(c) || c == '-';
}

/* Append code point cp as UTF-8 (U+FFFD for what cannot be one). */
static int
put_utf8(struct strbuf *b, unsigned long cp)
{
	char u[4];

	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80)
		return strbuf_putc(b, (char)cp);
	if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		return strbuf_add(b, u, 2);
	}
	if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		return strbuf_add(b, u, 3);
	}
	u[0] = (char)(0xF0 | (cp >> 18));
	u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	u[3] = (char)(0x80 | (cp & 0x3F));
	return strbuf_add(b, u, 4);
}

/* A backslash escape at ps->p (just after the backslash): a hex code
 * point and one optional white space, or the next character as itself. */
static int
read_escape(struct parser *ps, struct strbuf *b)
{
	unsigned long cp = 0;
	int n = 0;

	if (*ps->p == '\0' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\f')
		return parse_error(ps, "bad escape");
	while (n < 6 && isxdigit((unsigned char)*ps->p)) {
		char c = *ps->p++;

		cp = cp * 16 + (unsigned long)(isdigit((unsigned char)c) ? c - '0'
					       : tolower((unsigned char)c) - 'a' + 10);
		n++;
	}
	if (n > 0) {
		if (is_space(*ps->p))
			ps->p++;
		/* An escaped control character would make an XPath literal
		 * that libxml2 refuses (XML's Char excludes them). */
		if ((cp > 0 && cp < 0x20) || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)
		    || cp == 0xfffe || cp == 0xffff)
			return parse_error(ps, "control character escaped");
		return put_utf8(b, cp);
	}
	return strbuf_putc(b, *ps->p++);
}

/* An identifier (with escapes resolved) into b; what names it in errors. */
static int
read_ident(struct parser *ps, struct strbuf *b, const char *what)
{
	const char *start = ps->p;
	char msg[64];

	if (*ps->p == '-')
		strbuf_putc(b, *ps->p++);
	if (*ps->p == '-')
		strbuf_putc(b, *ps->p++);
	if (!is_name_start((unsigned char)*ps->p) && *ps->p != '\\') {
		snprintf(msg, sizeof(msg), "missing %s", what);
		ps->p = start;
		return parse_error(ps, msg);
	}
	while (is_name_char((unsigned char)*ps->p) || *ps->p == '\\') {
		if (*ps->p == '\\') {
			ps->p++;
			if (read_escape(ps, b) != 0)
				return -1;
		} else {
			strbuf_putc(b, *ps->p++);
		}
	}
	return strbuf_failed(b) ? parse_error(ps, "out of memory") : 0;
}

/* A quoted string ('...' or "...") into b. */
static int
read_string(struct parser *ps, struct strbuf *b)
{
	char quote = *ps->p++;

	while (*ps->p != quote) {
		if (*ps->p == '\0' || *ps->p == '\n')
			return parse_error(ps, "unterminated string");
		if (*ps->p == '\\') {
			ps->p++;
			if (*ps->p == '\n') {
				ps->p++;
				continue;
			}
			if (read_escape(ps, b) != 0)
				return -1;
		} else {
			strbuf_putc(b, *ps->p++);
		}
	}
	ps->p++;
	return strbuf_failed(b) ? parse_error(ps, "out of memory") : 0;
}

/* Whether a name can be written in XPath as it is (element and attribute
 * names of HTML always can); other names are refused rather than quoted. */
static int
is_xpath_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
			return 0;
	return 1;
}

static void
lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Write s as an XPath string literal: XPath 1.0 has no escapes, so a
 * value holding both quotes is built with concat(). */
static void
put_literal(struct strbuf *b, const char *s)
{
	const char *q;

	if (strchr(s, '\'') == NULL) {
		strbuf_printf(b, "'%s'", s);
		return;
	}
	if (strchr(s, '"') == NULL) {
		strbuf_printf(b, "\"%s\"", s);
		return;
	}
	strbuf_puts(b, "concat(");
	for (q = s; *q != '\0'; ) {
		size_t n = strcspn(q, "'");

		if (q != s)
			strbuf_puts(b, ", ");
		if (n > 0) {
			strbuf_printf(b, "'%.*s'", (int)n, q);
			q += n;
		} else {
			strbuf_puts(b, "\"'\"");
			q++;
		}
	}
	strbuf_puts(b, ")");
}

/* Start another condition of a compound's predicate. */
static void
and(struct strbuf *pred)
{
	if (pred->len > 0)
		strbuf_puts(pred, " and ");
}

/* Whether word (whitespace-separated) appears in the attribute. */
static void
put_word_match(struct strbuf *pred, const char *attr, const char *word)
{
	struct strbuf padded;
	const char *p;

	for (p = word; *p != '\0'; p++)
		if (is_space(*p))
			break;
	if (*word == '\0' || *p != '\0') {
		/* A word with white space in it, or none, never matches. */
		strbuf_puts(pred, "false()");
		return;
	}
	strbuf_printf(pred, "contains(concat(' ', normalize-space(@%s), ' '), ", attr);
	strbuf_init(&padded, 0);
	strbuf_printf(&padded, " %s ", word);
	if (strbuf_failed(&padded))
		strbuf_set_failed(pred);
	else
		put_literal(pred, padded.s);
	strbuf_free(&padded);
	strbuf_puts(pred, ")");
}

/* [attr], [attr=v], [attr~=v], [attr|=v], [attr^=v], [attr$=v], [attr*=v]. */
static int
parse_attribute(struct parser *ps, struct strbuf *pred)
{
	struct strbuf name, value;
	char op = '=';
	int rc = -1;

	strbuf_init(&name, SELECTOR_MAX_LEN);
	strbuf_init(&value, SELECTOR_MAX_LEN);
	ps->p++;		/* '[' */
	skip_space(ps);
	if (*ps->p == '|' || *ps->p == '*')
		goto namespace;
	if (read_ident(ps, &name, "attribute name") != 0)
		goto out;
	if (*ps->p == '|' && ps->p[1] != '=')
		goto namespace;
	lower(name.s);
	if (!is_xpath_name(name.s)) {
		parse_error(ps, "unsupported attribute name");
		goto out;
	}
	skip_space(ps);
	and(pred);
	if (*ps->p == ']') {
		ps->p++;
		strbuf_printf(pred, "@%s", name.s);
		rc = 0;
		goto out;
	}
	if (*ps->p == '\0') {
		parse_error(ps, "missing ']'");
		goto out;
	}
	if (*ps->p != '=') {
		if (strchr("~|^$*", *ps->p) == NULL || ps->p[1] != '=') {
			parse_error(ps, "bad attribute operator");
			goto out;
		}
		op = *ps->p++;
	}
	ps->p++;		/* '=' */
	skip_space(ps);
	if (*ps->p == '"' || *ps->p == '\'') {
		if (read_string(ps, &value) != 0)
			goto out;
	} else if (read_ident(ps, &value, "attribute value") != 0) {
		goto out;
	}
	if (strbuf_add(&value, "", 0) != 0) {	/* An empty value is "", not NULL. */
		parse_error(ps, "out of memory");
		goto out;
	}
	skip_space(ps);
	if (*ps->p != ']') {
		parse_error(ps, isalpha((unsigned char)*ps->p) ? "unsupported attribute flag"
			    : "missing ']'");
		goto out;
	}
	ps->p++;
	switch (op) {
	case '=':
		strbuf_printf(pred, "@%s = ", name.s);
		put_literal(pred, value.s);
		break;
	case '~':
		put_word_match(pred, name.s, value.s);
		break;
	case '|':
		strbuf_printf(pred, "(@%s = ", name.s);
		put_literal(pred, value.s);
		strbuf_printf(pred, " or starts-with(@%s, ", name.s);
		strbuf_puts(&value, "-");
		put_literal(pred, value.s);
		strbuf_puts(pred, "))");
		break;
	case '^':
	case '$':
	case '*':
		if (value.len == 0) {
			/* CSS: an empty value matches nothing. */
			strbuf_puts(pred, "false()");
		} else if (op == '^') {
			strbuf_printf(pred, "starts-with(@%s, ", name.s);
			put_literal(pred, value.s);
			strbuf_puts(pred, ")");
		} else if (op == '*') {
			strbuf_printf(pred, "contains(@%s, ", name.s);
			put_literal(pred, value.s);
			strbuf_puts(pred, ")");
		} else {
			strbuf_printf(pred, "substring(@%s, string-length(@%s) - %zu) = ", name.s,
				      name.s, value.len - 1);
			put_literal(pred, value.s);
		}
		break;
	}
	rc = 0;
	goto out;
namespace:
	parse_error(ps, "unsupported attribute namespace");
out:
	if (rc == 0 && strbuf_failed(pred))
		rc = parse_error(ps, "out of memory");
	strbuf_free(&name);
	strbuf_free(&value);
	return rc;
}

/* The argument of :nth-*(): odd, even, or an+b.  Leaves ps->p after ')'. */
static int
parse_nth(struct parser *ps, long *a, long *b)
{
	long sign = 1, n;
	int digits;

	skip_space(ps);
	if (strncasecmp(ps->p, "odd", 3) == 0) {
		ps->p += 3;
		*a = 2;
		*b = 1;
		goto close;
	}
	if (strncasecmp(ps->p, "even", 4) == 0) {
		ps->p += 4;
		*a = 2;
		*b = 0;
		goto close;
	}
	if (*ps->p == '+' || *ps->p == '-')
		sign = *ps->p++ == '-' ? -1 : 1;
	for (n = 0, digits = 0; isdigit((unsigned char)*ps->p) && n < 100000; digits++)
		n = n * 10 + (*ps->p++ - '0');
	if (isdigit((unsigned char)*ps->p))
		return parse_error(ps, "number too large");
	if (*ps->p == 'n' || *ps->p == 'N') {
		ps->p++;
		*a = sign * (digits > 0 ? n : 1);
		skip_space(ps);
		*b = 0;
		if (*ps->p == '+' || *ps->p == '-') {
			sign = *ps->p++ == '-' ? -1 : 1;
			skip_space(ps);
			for (n = 0, digits = 0; isdigit((unsigned char)*ps->p) && n < 100000; digits++)
				n = n * 10 + (*ps->p++ - '0');
			if (digits == 0 || isdigit((unsigned char)*ps->p))
				return parse_error(ps, "bad an+b");
			*b = sign * n;
		}
	} else {
		if (digits == 0)
			return parse_error(ps, "bad an+b");
		*a = 0;
		*b = sign * n;
	}
close:
	skip_space(ps);
	if (*ps->p != ')')
		return parse_error(ps, "missing ')'");
	ps->p++;
	return 0;
}

/* Condition that position k (an XPath number expression, from 1) is an+b
 * for some n >= 0. */
static void
put_nth(struct strbuf *pred, const char *k, long a, long b)
{
	if (a == 0)
		strbuf_printf(pred, "%s = %ld", k, b);
	else if (a > 0)
		strbuf_printf(pred, "(%s >= %ld and (%s - %ld) mod %ld = 0)", k, b, k, b, a);
	else
		strbuf_printf(pred, "(%s <= %ld and (%ld - %s) mod %ld = 0)", k, b, b, k, -a);
}

/* A pseudo-class after ':'; type is the compound's element name or "*". */
static int
parse_pseudo(struct parser *ps, const char *type, struct strbuf *pred)
{
	static const struct {
		const char *name;
		int nth;	/* Takes (an+b). */
		int of_type;	/* Counts siblings of the same type. */
		int from_end;	/* Counts from the last sibling. */
	} pseudos[] = {
		{ "first-child", 0, 0, 0 },
		{ "last-child", 0, 0, 1 },
		{ "only-child", 0, 0, 0 },
		{ "nth-child", 1, 0, 0 },
		{ "nth-last-child", 1, 0, 1 },
		{ "first-of-type", 0, 1, 0 },
		{ "last-of-type", 0, 1, 1 },
		{ "only-of-type", 0, 1, 0 },
		{ "nth-of-type", 1, 1, 0 },
		{ "nth-last-of-type", 1, 1, 1 },
	};
	struct strbuf name;
	char msg[128], *k;
	const char *sib;
	long a = 0, b = 1;
	size_t i;
	int rc = -1;

	strbuf_init(&name, SELECTOR_MAX_LEN);
	if (*ps->p == ':') {
		rc = parse_error(ps, "unsupported pseudo-element");
		goto out;
	}
	if (read_ident(ps, &name, "pseudo-class") != 0)
		goto out;
	lower(name.s);
	for (i = 0; i < sizeof(pseudos) / sizeof(pseudos[0]); i++)
		if (strcmp(pseudos[i].name, name.s) == 0)
			break;
	if (i == sizeof(pseudos) / sizeof(pseudos[0])) {
		snprintf(msg, sizeof(msg), "unsupported pseudo-class ':%.64s'", name.s);
		rc = parse_error(ps, msg);
		goto out;
	}
	if (pseudos[i].nth != (*ps->p == '(')) {
		snprintf(msg, sizeof(msg), pseudos[i].nth ? "':%s' needs an argument"
			 : "':%s' takes no argument", name.s);
		rc = parse_error(ps, msg);
		goto out;
	}
	if (pseudos[i].of_type && strcmp(type, "*") == 0) {
		snprintf(msg, sizeof(msg), "':%s' needs an element type", name.s);
		rc = parse_error(ps, msg);
		goto out;
	}
	if (pseudos[i].nth) {
		ps->p++;
		if (parse_nth(ps, &a, &b) != 0)
			goto out;
	}
	sib = pseudos[i].of_type ? type : "*";
	and(pred);
	if (strncmp(name.s, "only-", 5) == 0) {
		strbuf_printf(pred, "not(preceding-sibling::%s) and not(following-sibling::%s)",
			      sib, sib);
	} else {
		/* Sized for the type, which may be as long as the selector:
		 * found by fuzz-selector, when a fixed buffer cut it short. */
		size_t len = strlen(sib) + 48;

		k = malloc(len);
		if (k == NULL) {
			rc = parse_error(ps, "out of memory");
			goto out;
		}
		snprintf(k, len, "(count(%s-sibling::%s) + 1)",
			 pseudos[i].from_end ? "following" : "preceding", sib);
		put_nth(pred, k, a, b);
		free(k);
	}
	rc = strbuf_failed(pred) ? parse_error(ps, "out of memory") : 0;
out:
	strbuf_free(&name);
	return rc;
}

/* One compound selector, written as one step along the combinator's axis. */
static int
parse_compound(struct parser *ps, enum combinator comb)
{
	struct strbuf type, pred, ident;
	int rc = -1, simple = 0;

	strbuf_init(&type, SELECTOR_MAX_LEN);
	strbuf_init(&pred, SELECTOR_MAX_LEN * 8);
	strbuf_init(&ident, SELECTOR_MAX_LEN);
	if (*ps->p == '*') {
		ps->p++;
		strbuf_putc(&type, '*');
		simple++;
		if (*ps->p == '|')
			goto namespace;
	} else if (is_name_start((unsigned char)*ps->p) || *ps->p == '\\'
		   || (*ps->p == '-' && ps->p[1] != '\0')) {
		if (read_ident(ps, &type, "element name") != 0)
			goto out;
		if (*ps->p == '|')
			goto namespace;
		lower(type.s);
		if (!is_xpath_name(type.s)) {
			parse_error(ps, "unsupported element name");
			goto out;
		}
		simple++;
	} else {
		strbuf_putc(&type, '*');
	}
	for (;;) {
		if (*ps->p == '#' || *ps->p == '.') {
			char kind = *ps->p++;

			strbuf_truncate(&ident, 0);
			if (read_ident(ps, &ident, kind == '#' ? "id" : "class name") != 0)
				goto out;
			if (kind == '#') {
				and(&pred);
				strbuf_puts(&pred, "@id = ");
				put_literal(&pred, ident.s);
			} else {
				and(&pred);
				put_word_match(&pred, "class", ident.s);
			}
		} else if (*ps->p == '[') {
			if (parse_attribute(ps, &pred) != 0)
				goto out;
		} else if (*ps->p == ':') {
			ps->p++;
			if (parse_pseudo(ps, type.s, &pred) != 0)
				goto out;
		} else {
			break;
		}
		simple++;
	}
	if (simple == 0) {
		parse_error(ps, *ps->p == '\0' ? "missing selector" : "unexpected character");
		goto out;
	}
	switch (comb) {
	case COMB_FIRST:
		strbuf_printf(&ps->out, "descendant::%s", type.s);
		break;
	case COMB_DESCENDANT:
		strbuf_printf(&ps->out, "/descendant::%s", type.s);
		break;
	case COMB_CHILD:
		strbuf_printf(&ps->out, "/%s", type.s);
		break;
	case COMB_NEXT:
		strbuf_puts(&ps->out, "/following-sibling::*[1]");
		if (strcmp(type.s, "*") != 0)
			strbuf_printf(&ps->out, "[self::%s]", type.s);
		break;
	case COMB_LATER:
		strbuf_printf(&ps->out, "/following-sibling::%s", type.s);
		break;
	}
	if (pred.len > 0)
		strbuf_printf(&ps->out, "[%s]", pred.s);
	rc = strbuf_failed(&ps->out) || strbuf_failed(&pred) ? parse_error(ps, "out of memory")
							      : 0;
	goto out;
namespace:
	parse_error(ps, "unsupported namespace");
out:
	strbuf_free(&type);
	strbuf_free(&pred);
	strbuf_free(&ident);
	return rc;
}

/* A complex selector: compounds joined by combinators. */
static int
parse_complex(struct parser *ps)
{
	enum combinator comb = COMB_FIRST;

	for (;;) {
		int spaced;

		if (parse_compound(ps, comb) != 0)
			return -1;
		spaced = skip_space(ps);
		if (*ps->p == '>' || *ps->p == '+' || *ps->p == '~') {
			comb = *ps->p == '>' ? COMB_CHILD : *ps->p == '+' ? COMB_NEXT : COMB_LATER;
			ps->p++;
			skip_space(ps);
		} else if (spaced && *ps->p != ',' && *ps->p != '\0') {
			comb = COMB_DESCENDANT;
		} else {
			return 0;
		}
	}
}

int
selector_to_xpath(const char *css, char **xpath, char *err, size_t errlen)
{
	struct parser ps = { css, css, { 0 }, err, errlen };

	const unsigned char *c;

	*xpath = NULL;
	if (strlen(css) > SELECTOR_MAX_LEN) {
		snprintf(err, errlen, "selector longer than %d bytes", SELECTOR_MAX_LEN);
		return -1;
	}
	/* XPath literals cannot hold control characters or bytes that are not
	 * UTF-8 (XML's Char): refuse them here rather than hand libxml2 an
	 * expression it rejects.  White space between compounds stays allowed. */
	if (!xmlCheckUTF8((const xmlChar *)css)) {
		snprintf(err, errlen, "selector '%s' is not valid UTF-8", css);
		return -1;
	}
	for (c = (const unsigned char *)css; *c != '\0'; c++)
		if ((*c < 0x20 && *c != '\t' && *c != '\n' && *c != '\r') || *c == 0x7f) {
			snprintf(err, errlen, "control character 0x%02x in selector '%s'", *c, css);
			return -1;
		}
	strbuf_init(&ps.out, SELECTOR_MAX_LEN * 64);
	for (;;) {
		skip_space(&ps);
		if (parse_complex(&ps) != 0)
			goto fail;
		if (*ps.p == '\0')
			break;
		if (*ps.p != ',') {
			parse_error(&ps, "unexpected character");
			goto fail;
		}
		ps.p++;
		strbuf_puts(&ps.out, " | ");
	}
	*xpath = strbuf_detach(&ps.out, NULL);
	if (*xpath == NULL) {
		snprintf(err, errlen, "out of memory translating selector '%s'", css);
		return -1;
	}
	return 0;
fail:
	strbuf_free(&ps.out);
	return -1;
}
