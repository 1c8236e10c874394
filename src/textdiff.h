/*
 * textdiff: what changed between two versions of a document, paragraph by
 * paragraph, with the words that changed inside a changed paragraph.
 *
 * Both texts are cut into paragraphs at blank lines (white space inside a
 * paragraph folded to single spaces); libgit2's diff compares them as
 * lines, and again word by word where a paragraph was replaced.
 */
#ifndef CLAUSE_TEXTDIFF_H
#define CLAUSE_TEXTDIFF_H

#include <stddef.h>

enum textdiff_op {
	TEXTDIFF_SAME,		/* Context: in both. */
	TEXTDIFF_REMOVED,	/* Only in the old text. */
	TEXTDIFF_ADDED,		/* Only in the new text. */
	TEXTDIFF_CHANGED	/* A paragraph replaced by another: see words. */
};

/* A run of words of one kind inside a changed paragraph. */
struct textdiff_words {
	enum textdiff_op op;	/* SAME, REMOVED or ADDED. */
	char *text;		/* The words, separated by single spaces. */
};

struct textdiff_para {
	enum textdiff_op op;
	char *old_text;		/* SAME, REMOVED, CHANGED: the old paragraph. */
	char *new_text;		/* SAME, ADDED, CHANGED: the new paragraph. */
	struct textdiff_words *words;	/* CHANGED: the runs, in order. */
	size_t nwords;
};

struct textdiff_hunk {
	int old_start, old_count;	/* Paragraph numbers (from 1) and counts. */
	int new_start, new_count;
	struct textdiff_para *paras;
	size_t nparas;
};

struct textdiff {
	struct textdiff_hunk *hunks;
	size_t nhunks;
	int added, removed, changed;	/* Paragraphs of each kind, in all. */
};

/* Compare old_text with new_text, with context paragraphs around each
 * change.  Fills d (free it with textdiff_free); returns 0, or -1 with a
 * reason in err. */
int textdiff_run(const char *old_text, const char *new_text, int context, struct textdiff *d,
		 char *err, size_t errsize);

/* What changed, in words: "2 paragraphs reworded, 1 added and 1 removed",
 * "1 paragraph added", or that only white space or layout did. */
void textdiff_summary(const struct textdiff *d, char *buf, size_t size);

/* A changed paragraph as one string, its removed words between [- and -]
 * and its added words between {+ and +}; malloc'd, NULL when out of
 * memory. */
char *textdiff_marked(const struct textdiff_para *p);

/* What changed between two versions of one passage, in words read at a
 * glance: "“immediately” was removed; “30 days” became “at least 30
 * days”" (the first three changes, each cut to eight words).  Returns 0,
 * or -1 when out of memory. */
int textdiff_passage_summary(const char *before, const char *after, char *buf, size_t size);

/* Free what d holds and zero it; safe on a zeroed struct. */
void textdiff_free(struct textdiff *d);

#endif
