/*
 * segment: a document version cut into passages.
 *
 * The text is the Markdown-like text that extraction stores (headings as
 * "#" lines or underlined with "===" / "---", list items as "*   ", "-",
 * "1." or "(a)", tables as "| a | b |" rows).  Each paragraph, list item
 * and table row is a passage, and each passage knows the headings above
 * it, its section path.  A long paragraph is cut at sentence boundaries
 * into passages of a few sentences; abbreviations ("e.g.", "Art.",
 * "U.S.") do not end a sentence.
 *
 * A passage is a byte range of the text, so that its excerpt is verbatim:
 * the list marker and the surrounding white space are left out, nothing
 * inside is changed.  The list borrows nothing from the text: offsets only.
 */
#ifndef CLAUSE_SEGMENT_H
#define CLAUSE_SEGMENT_H

#include <stddef.h>

enum segment_kind {
	SEGMENT_PARAGRAPH,	/* A paragraph, or a run of sentences of a long one. */
	SEGMENT_ITEM,		/* A list item (at any depth). */
	SEGMENT_ROW		/* A table row. */
};

/* A heading: its text (markers left out) and the heading it sits under. */
struct segment_heading {
	size_t start;		/* Byte offset of its text. */
	size_t len;		/* Bytes of its text. */
	int level;		/* 1-6 for "#" headings, 7 for bold or numbered lines. */
	long parent;		/* Index of the enclosing heading, or -1. */
};

struct segment {
	size_t start;		/* Byte offset of the passage in the text. */
	size_t len;		/* Bytes of the passage. */
	enum segment_kind kind;
	int depth;		/* Nesting of a list item (0 outermost). */
	long heading;		/* Index of the innermost heading above, or -1. */
};

/* The passages of one text.  Owned by the caller; free with
 * segment_list_free, which leaves it empty and usable. */
struct segment_list {
	struct segment *items;
	size_t n;
	size_t alloc;
	struct segment_heading *headings;
	size_t nheadings;
	size_t hall;
};

/* Passages longer than this many bytes are cut at sentence boundaries
 * into runs of sentences at most this long (a longer sentence stays whole). */
#define SEGMENT_MAX_PASSAGE 600

/* Cut text (len bytes, need not be NUL-terminated) into passages, in text
 * order, replacing what list held.  Returns 0, or -1 with "out of memory"
 * in err (the list is then empty). */
int segment_text(const char *text, size_t len, struct segment_list *list, char *err,
		 size_t errsize);

/* The section path of passage i: its headings from the outermost, joined
 * by " > ", written into buf (cut to size, NUL-terminated); "" when it has
 * none.  Returns buf. */
char *segment_section(const struct segment_list *list, const char *text, size_t i, char *buf,
		      size_t size);

/* The end (offset after) of the sentence that starts at start in text[0,
 * len): a '.', '!' or '?' (and any closing quotes, brackets or "**") that
 * white space and then a capital, a digit or an opening mark follow, unless
 * the word before it is an abbreviation.  len when no sentence ends. */
size_t segment_sentence_end(const char *text, size_t start, size_t len);

void segment_list_free(struct segment_list *list);

#endif
