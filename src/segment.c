/*
 * segment: a document version cut into passages (see segment.h).
 *
 * One pass over the lines.  A line is blank, a heading ("#", or the line
 * before a "===" / "---" underline, or a short line that is all bold, all
 * capitals or a bare clause number and title), a table row, a list item,
 * or the text of a paragraph.  Lines gather into a block until a blank
 * line or a line of another sort ends it; then the block becomes one
 * passage, or several when it is long.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "segment.h"

/* Headings from a bold, capitals or clause-number line, under the "#" ones. */
#define HEADING_LEVEL_LINE 7

/* A line that is all bold or all capitals is a heading only when short. */
#define HEADING_MAX_BYTES 100
#define HEADING_MAX_WORDS 12
/* Ended by a full stop, a line is a title only when shorter still. */
#define HEADING_MAX_TITLE_WORDS 4

/* Words that end with a full stop that does not end the sentence (compared
 * without case and without the final stop).  Words with a stop inside
 * ("U.S.", "e.g.") and single letters are abbreviations too. */
static const char *const abbreviations[] = {
	"art", "arts", "approx", "cf", "ch", "cl", "co", "corp", "dept", "dr", "eg", "esp",
	"fig", "ie", "incl", "jr", "ltd", "mr", "mrs", "ms", "no", "nos", "op", "p", "para",
	"paras", "pp", "prof", "reg", "sec", "sect", "sr", "st", "subsec", "viz", "vol", "vs",
	NULL
};

/* One line of the text: [start, end) without the line break, and where its
 * content begins after the indentation. */
struct line {
	size_t start;
	size_t end;		/* Trailing white space left out. */
	size_t content;		/* First byte that is not a space or tab. */
	int indent;		/* Columns of indentation (a tab counts 4). */
};

/* The block being gathered. */
struct block {
	int open;		/* A block is being gathered. */
	enum segment_kind kind;
	size_t start;
	size_t end;
	int lines;		/* Lines in it so far. */
	int depth;		/* Of a list item. */
	int item_indent;	/* Indentation of a list item's marker. */
};

struct segmenter {
	const char *text;
	size_t len;
	struct segment_list *list;
	struct block block;
	long heading;		/* Innermost heading so far, or -1. */
	int indents[16];	/* Marker indentation of each open list level. */
	int nindents;
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static int
add_passage(struct segmenter *s, size_t start, size_t end, enum segment_kind kind, int depth)
{
	struct segment_list *list = s->list;
	const char *t = s->text;
	size_t i;

	while (start < end && is_space(t[start]))
		start++;
	while (end > start && is_space(t[end - 1]))
		end--;
	/* A passage says something: it has a letter or a digit. */
	for (i = start; i < end; i++)
		if (isalnum((unsigned char)t[i]))
			break;
	if (i == end)
		return 0;
	if (list->n == list->alloc) {
		size_t alloc = list->alloc != 0 ? list->alloc * 2 : 64;
		struct segment *grown = realloc(list->items, alloc * sizeof(*grown));

		if (grown == NULL)
			return -1;
		list->items = grown;
		list->alloc = alloc;
	}
	list->items[list->n++] = (struct segment){
		.start = start,
		.len = end - start,
		.kind = kind,
		.depth = depth,
		.heading = s->heading,
	};
	return 0;
}

static int
add_heading(struct segmenter *s, size_t start, size_t end, int level)
{
	struct segment_list *list = s->list;
	const char *t = s->text;
	long parent = s->heading;

	/* Leave the markers out: "**", "__" around it, "#" after it. */
	while (start < end && (is_space(t[start]) || t[start] == '*' || t[start] == '_'))
		start++;
	while (end > start && (is_space(t[end - 1]) || t[end - 1] == '*' || t[end - 1] == '_'
			       || t[end - 1] == '#'))
		end--;
	if (start == end)
		return 0;
	while (parent >= 0 && list->headings[parent].level >= level)
		parent = list->headings[parent].parent;
	if (list->nheadings == list->hall) {
		size_t alloc = list->hall != 0 ? list->hall * 2 : 32;
		struct segment_heading *grown = realloc(list->headings, alloc * sizeof(*grown));

		if (grown == NULL)
			return -1;
		list->headings = grown;
		list->hall = alloc;
	}
	list->headings[list->nheadings] = (struct segment_heading){
		.start = start,
		.len = end - start,
		.level = level,
		.parent = parent,
	};
	s->heading = (long)list->nheadings++;
	return 0;
}

/* Whether the word that ends just before the full stop at dot is an
 * abbreviation. */
static int
is_abbreviation(const char *t, size_t start, size_t dot)
{
	char word[16];
	size_t b = dot, n = 0, i;
	int inner_dot = 0;

	while (b > start && (isalpha((unsigned char)t[b - 1]) || t[b - 1] == '.')) {
		b--;
		if (t[b] == '.')
			inner_dot = 1;
	}
	if (b == dot)
		return 0;
	if (inner_dot)
		return 1;		/* U.S., e.g., i.e. */
	if (dot - b == 1)
		return 1;		/* An initial: "J. Smith", "(a. ...". */
	if (dot - b >= sizeof(word))
		return 0;
	for (i = b; i < dot; i++)
		word[n++] = (char)tolower((unsigned char)t[i]);
	word[n] = '\0';
	for (i = 0; abbreviations[i] != NULL; i++)
		if (strcmp(word, abbreviations[i]) == 0)
			return 1;
	return 0;
}

/* Bytes of a closing mark at t[i]: a quote, bracket or emphasis marker,
 * including the UTF-8 right quotes; 0 when none. */
static size_t
closing_mark(const char *t, size_t i, size_t len)
{
	if (t[i] == '"' || t[i] == '\'' || t[i] == ')' || t[i] == ']' || t[i] == '*'
	    || t[i] == '_')
		return 1;
	if (i + 2 < len && (unsigned char)t[i] == 0xe2 && (unsigned char)t[i + 1] == 0x80
	    && ((unsigned char)t[i + 2] == 0x9d || (unsigned char)t[i + 2] == 0x99))
		return 3;
	return 0;
}

/* Whether a sentence may start at t[i]: a capital, a digit, an opening
 * mark, or a non-ASCII character (a letter or quote of another script). */
static int
sentence_start(const char *t, size_t i)
{
	unsigned char c = (unsigned char)t[i];

	return isupper(c) || isdigit(c) || c == '"' || c == '\'' || c == '(' || c == '['
	       || c == '*' || c == '_' || c >= 0x80;
}

size_t
segment_sentence_end(const char *text, size_t start, size_t len)
{
	size_t i, j, k;

	for (i = start; i < len; i++) {
		if (text[i] != '.' && text[i] != '!' && text[i] != '?')
			continue;
		j = i + 1;
		while (j < len && (k = closing_mark(text, j, len)) > 0)
			j += k;
		if (j >= len)
			return len;
		if (!is_space(text[j]))
			continue;
		k = j;
		while (k < len && is_space(text[k]))
			k++;
		if (k == len)
			return j;
		if (!sentence_start(text, k))
			continue;
		if (text[i] == '.' && is_abbreviation(text, start, i))
			continue;
		return j;
	}
	return len;
}

/* A long block, cut into runs of whole sentences. */
static int
add_sentences(struct segmenter *s, size_t start, size_t end, enum segment_kind kind, int depth)
{
	size_t run = start, pos = start;

	while (pos < end) {
		size_t next = segment_sentence_end(s->text, pos, end);

		if (next > run && next - run > SEGMENT_MAX_PASSAGE && pos > run) {
			if (add_passage(s, run, pos, kind, depth) != 0)
				return -1;
			run = pos;
		}
		pos = next;
		while (pos < end && is_space(s->text[pos]))
			pos++;
	}
	return add_passage(s, run, end, kind, depth);
}

static int
flush_block(struct segmenter *s)
{
	struct block *b = &s->block;
	int rc;

	if (!b->open)
		return 0;
	b->open = 0;
	if (b->end - b->start > SEGMENT_MAX_PASSAGE)
		rc = add_sentences(s, b->start, b->end, b->kind, b->depth);
	else
		rc = add_passage(s, b->start, b->end, b->kind, b->depth);
	return rc;
}

static void
open_block(struct segmenter *s, enum segment_kind kind, size_t start, size_t end, int depth,
	   int item_indent)
{
	s->block = (struct block){
		.open = 1,
		.kind = kind,
		.start = start,
		.end = end,
		.lines = 1,
		.depth = depth,
		.item_indent = item_indent,
	};
}

/* Whether the line is a run of at least three '=' (1) or '-' (2) only:
 * an underline; 0 when not. */
static int
underline_level(const char *t, const struct line *l)
{
	size_t i;
	char c = t[l->content];

	if ((c != '=' && c != '-') || l->end - l->content < 3)
		return 0;
	for (i = l->content; i < l->end; i++)
		if (t[i] != c)
			return 0;
	return c == '=' ? 1 : 2;
}

/* The level of a "#" heading, or 0. */
static int
atx_level(const char *t, const struct line *l)
{
	size_t i = l->content;
	int level = 0;

	while (i < l->end && t[i] == '#' && level < 7) {
		i++;
		level++;
	}
	if (level == 0 || level > 6 || (i < l->end && t[i] != ' ' && t[i] != '\t'))
		return 0;
	return level;
}

/* Bytes of a list marker and the space after it at the line's content:
 * "*", "-", "+", "1." "1\." "1)", "(a)", "a)", "(iv)"; 0 when none. */
static size_t
list_marker(const char *t, const struct line *l)
{
	size_t i = l->content, m;

	if (t[i] == '*' || t[i] == '-' || t[i] == '+' || (unsigned char)t[i] == 0xe2) {
		/* "•" is E2 80 A2. */
		if ((unsigned char)t[i] == 0xe2) {
			if (i + 2 >= l->end || (unsigned char)t[i + 1] != 0x80
			    || (unsigned char)t[i + 2] != 0xa2)
				return 0;
			i += 2;
		}
		i++;
	} else if (isdigit((unsigned char)t[i])) {
		m = i;
		while (i < l->end && isdigit((unsigned char)t[i]) && i - m < 3)
			i++;
		if (i < l->end && t[i] == '\\')
			i++;
		if (i >= l->end || (t[i] != '.' && t[i] != ')'))
			return 0;
		i++;
	} else if (t[i] == '(' || islower((unsigned char)t[i])) {
		int open = t[i] == '(';

		i += open;
		m = i;
		while (i < l->end && islower((unsigned char)t[i]) && i - m < 4)
			i++;
		if (i == m || i >= l->end || t[i] != ')')
			return 0;
		/* "a)" alone must be one letter or a roman numeral. */
		if (!open && i - m > 1 && strspn(t + m, "ivx") < i - m)
			return 0;
		i++;
	} else {
		return 0;
	}
	if (i >= l->end || (t[i] != ' ' && t[i] != '\t'))
		return 0;
	while (i < l->end && (t[i] == ' ' || t[i] == '\t'))
		i++;
	return i - l->content;
}

/* Bytes of a clause number such as "4.", "4.2", "4.2(b)" or "12.3.1." and
 * the space after it, when it has a dot or brackets; 0 when none. */
static size_t
clause_number(const char *t, const struct line *l)
{
	size_t i = l->content;
	int dots = 0, brackets = 0;

	if (!isdigit((unsigned char)t[i]))
		return 0;
	while (i < l->end) {
		if (isdigit((unsigned char)t[i])) {
			i++;
		} else if (t[i] == '.') {
			i++;
			dots++;
		} else if (t[i] == '\\' && i + 1 < l->end && t[i + 1] == '.') {
			i += 2;		/* "4\." as Markdown escapes it. */
			dots++;
		} else if (t[i] == '(' && i + 2 < l->end && isalnum((unsigned char)t[i + 1])
			   && t[i + 2] == ')') {
			i += 3;		/* "(b)" */
			brackets++;
		} else {
			break;
		}
	}
	if (dots + brackets == 0 || i >= l->end || t[i] != ' ')
		return 0;
	return i - l->content + 1;
}

/* Whether the line (from start) is short and says no sentence: a heading
 * when it is also bold, all capitals or numbered.  A full stop at its end
 * makes a sentence of a long enough line, unless stop_allowed (a line all
 * in bold is a title even so). */
static int
short_title(const char *t, size_t start, size_t end, int stop_allowed)
{
	size_t i;
	int words = 0, in_word = 0;

	if (end - start > HEADING_MAX_BYTES)
		return 0;
	for (i = start; i < end; i++) {
		if (is_space(t[i])) {
			in_word = 0;
		} else if (!in_word) {
			in_word = 1;
			words++;
		}
	}
	if (words == 0 || words > HEADING_MAX_WORDS)
		return 0;
	/* "4.2(b) You may not do this." is a clause, "ARBITRATION." a title. */
	while (end > start && (t[end - 1] == '*' || t[end - 1] == '_'))
		end--;
	if (!stop_allowed && end > start
	    && (t[end - 1] == '.' || t[end - 1] == '!' || t[end - 1] == '?'))
		return words <= HEADING_MAX_TITLE_WORDS;
	return 1;
}

static int
is_bold_line(const char *t, const struct line *l)
{
	size_t n = l->end - l->content;

	return n > 4
	       && ((strncmp(t + l->content, "**", 2) == 0 && strncmp(t + l->end - 2, "**", 2) == 0)
		   || (strncmp(t + l->content, "__", 2) == 0
		       && strncmp(t + l->end - 2, "__", 2) == 0))
	       && memchr(t + l->content + 2, '*', n - 4) == NULL;
}

static int
is_capitals_line(const char *t, const struct line *l)
{
	size_t i;
	int upper = 0;

	for (i = l->content; i < l->end; i++) {
		if (islower((unsigned char)t[i]))
			return 0;
		upper += isupper((unsigned char)t[i]) != 0;
	}
	/* A title does not end like a sentence. */
	return upper >= 3 && t[l->end - 1] != ',' && t[l->end - 1] != ';';
}

static int
is_table_separator(const char *t, const struct line *l)
{
	size_t i;

	for (i = l->content; i < l->end; i++)
		if (t[i] != '|' && t[i] != '-' && t[i] != ':' && t[i] != ' ' && t[i] != '\t')
			return 0;
	return 1;
}

/* A list item at this indentation: its depth among the open list levels. */
static int
item_depth(struct segmenter *s, int indent)
{
	while (s->nindents > 0 && s->indents[s->nindents - 1] > indent)
		s->nindents--;
	if (s->nindents == 0 || s->indents[s->nindents - 1] < indent) {
		if (s->nindents < (int)(sizeof(s->indents) / sizeof(s->indents[0])))
			s->indents[s->nindents++] = indent;
	}
	return s->nindents - 1;
}

static int
segment_line(struct segmenter *s, const struct line *l)
{
	const char *t = s->text;
	struct block *b = &s->block;
	size_t marker, number;
	int level, bold;

	if (l->content == l->end) {
		/* A blank line ends a block; a list stays open across it. */
		return flush_block(s);
	}
	if ((level = underline_level(t, l)) != 0) {
		if (b->open && b->kind == SEGMENT_PARAGRAPH && b->lines == 1) {
			b->open = 0;
			return add_heading(s, b->start, b->end, level);
		}
		/* A rule between parts, or an underline of a longer block. */
		return flush_block(s);
	}
	if ((level = atx_level(t, l)) != 0) {
		s->nindents = 0;
		if (flush_block(s) != 0)
			return -1;
		return add_heading(s, l->content + (size_t)level, l->end, level);
	}
	if (t[l->content] == '|') {
		if (flush_block(s) != 0)
			return -1;
		if (is_table_separator(t, l))
			return 0;
		open_block(s, SEGMENT_ROW, l->content, l->end, 0, 0);
		return flush_block(s);
	}
	if ((marker = list_marker(t, l)) != 0 && l->content + marker < l->end) {
		int depth;

		if (flush_block(s) != 0)
			return -1;
		depth = item_depth(s, l->indent);
		open_block(s, SEGMENT_ITEM, l->content + marker, l->end, depth, l->indent);
		return 0;
	}
	number = clause_number(t, l);
	bold = is_bold_line(t, l);
	if ((number != 0 || bold || is_capitals_line(t, l))
	    && short_title(t, l->content + number, l->end, bold)
	    && !(b->open && b->kind == SEGMENT_ITEM && l->indent > b->item_indent)) {
		/* "4.2 Termination", "**Arbitration**", "LIMITATION OF LIABILITY". */
		s->nindents = 0;
		if (flush_block(s) != 0)
			return -1;
		return add_heading(s, l->content, l->end, HEADING_LEVEL_LINE);
	}
	if (number != 0) {
		/* "4.2(b) You may not ...": a clause of its own, number kept. */
		if (flush_block(s) != 0)
			return -1;
		s->nindents = 0;
		open_block(s, SEGMENT_PARAGRAPH, l->content, l->end, 0, 0);
		return 0;
	}
	if (b->open) {
		/* The next line of the paragraph or item (lazily, for items). */
		b->end = l->end;
		b->lines++;
		return 0;
	}
	if (l->indent == 0)
		s->nindents = 0;
	open_block(s, SEGMENT_PARAGRAPH, l->content, l->end, 0, 0);
	return 0;
}

int
segment_text(const char *text, size_t len, struct segment_list *list, char *err,
	     size_t errsize)
{
	struct segmenter s = { .text = text, .len = len, .list = list, .heading = -1 };
	size_t pos = 0;

	list->n = 0;
	list->nheadings = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		struct line l = { .start = pos, .end = nl != NULL ? (size_t)(nl - text) : len };
		size_t i;

		for (i = l.start; i < l.end && (text[i] == ' ' || text[i] == '\t'); i++)
			l.indent += text[i] == '\t' ? 4 : 1;
		l.content = i;
		while (l.end > l.content && is_space(text[l.end - 1]))
			l.end--;
		if (segment_line(&s, &l) != 0)
			goto nomem;
		pos = nl != NULL ? (size_t)(nl - text) + 1 : len;
	}
	if (flush_block(&s) != 0)
		goto nomem;
	return 0;

nomem:
	segment_list_free(list);
	if (errsize > 0)
		snprintf(err, errsize, "out of memory");
	return -1;
}

char *
segment_section(const struct segment_list *list, const char *text, size_t i, char *buf,
		size_t size)
{
	long chain[32], h;
	size_t n = 0, used = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (h = i < list->n ? list->items[i].heading : -1; h >= 0 && n < 32;
	     h = list->headings[h].parent)
		chain[n++] = h;
	while (n > 0 && used + 1 < size) {
		const struct segment_heading *hd = &list->headings[chain[--n]];
		int w = snprintf(buf + used, size - used, "%s%.*s", used > 0 ? " > " : "",
				 (int)hd->len, text + hd->start);

		if (w < 0)
			break;
		used += (size_t)w;
		if (used >= size)
			used = size - 1;
	}
	return buf;
}

void
segment_list_free(struct segment_list *list)
{
	if (list == NULL)
		return;
	free(list->items);
	free(list->headings);
	*list = (struct segment_list){ 0 };
}
