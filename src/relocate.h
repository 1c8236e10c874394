/*
 * relocate: find a provision's excerpt again in a new version of its
 * document.
 *
 * Found verbatim (white space aside), the provision is current.  Otherwise
 * the passage of the new text most like the excerpt is looked for: runs of
 * whole sentences inside one paragraph, and runs of as many words as the
 * excerpt has, compared by the word pairs they share (a Dice coefficient
 * over word bigrams, case folded).  Above RELOCATE_THRESHOLD the provision
 * changed into that passage; below, it was removed.
 *
 * A text is prepared once and searched for every provision of the
 * document: each search is linear in the text's length.
 */
#ifndef CLAUSE_RELOCATE_H
#define CLAUSE_RELOCATE_H

#include <stddef.h>

/* The least similarity for a passage to count as the excerpt, changed. */
#define RELOCATE_THRESHOLD 0.6

enum relocate_outcome {
	RELOCATE_CURRENT,	/* The excerpt is in the text as it was. */
	RELOCATE_CHANGED,	/* A passage like it is: see the match's range. */
	RELOCATE_REMOVED	/* Nothing like it is left. */
};

struct relocate_match {
	enum relocate_outcome outcome;
	double similarity;	/* 1 for current; the best passage's otherwise. */
	size_t start, end;	/* CHANGED: the passage is text[start, end). */
};

struct relocate_text;

/* Prepare text (which must outlive the result) for searching; NULL when
 * out of memory. */
struct relocate_text *relocate_prepare(const char *text);
void relocate_text_free(struct relocate_text *t);

/* Look for excerpt in the prepared text; -1 when out of memory. */
int relocate_find(const struct relocate_text *t, const char *excerpt, struct relocate_match *m);

/* The name of an outcome: current, changed, removed. */
const char *relocate_outcome_name(enum relocate_outcome outcome);

#endif
