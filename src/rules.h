/*
 * rules: the classification rules, kept as data in assets/rules/, and the
 * matcher that gives a passage its kinds of provision.
 *
 * Each file assets/rules/<kind>.json holds one kind's rules:
 *
 *   { "kind": "arbitration",                    a provision_type slug
 *     "headline": "Arbitration clause ...",     what kind of clause it is
 *     "severity": "high",                       given to what it finds
 *     "threshold": 1.0,                         score needed (default 1)
 *     "rules": [ { "match": "binding arbitration", "weight": 1.0 }, ... ],
 *     "unless": [ "arbitrary" ] }               patterns that veto the kind
 *
 * A pattern is a phrase of words, matched against the passage's words
 * (lower-cased runs of ASCII letters and digits; link targets and URLs are
 * skipped), so that "Governed by the laws of" and CLAUDETTE's tokenised
 * "governed by the laws of" read the same:
 *
 *   word        that word
 *   word*       any word that starts with word
 *   a|b*|c      any of these in one place: one word each, so that
 *               "a b|c d" is a, then b or c, then d
 *   ~N          up to N other words before the next element (N <= 30)
 *
 * A passage's score for a kind is the sum of the weights of the kind's
 * patterns found in it, each counted once; the kind is given when the
 * score reaches the threshold and no "unless" pattern is found.  Its
 * confidence is score / (score + threshold): 0.5 at the threshold, and
 * nearer 1 the more the passage has of the kind's phrases.
 *
 * One file is not a kind: assets/rules/headings.json says what a heading
 * is, and a heading is given no kind however it scores:
 *
 *   { "words": 12,                              at most this many words,
 *     "clause_words": "is|are|will|you|..." }   and none of these
 */
#ifndef CLAUSE_RULES_H
#define CLAUSE_RULES_H

#include <stddef.h>

struct asset;
struct rules;

/* What one pattern is for. */
enum rules_role {
	RULES_WEIGHT,		/* Adds its weight to the kind's score. */
	RULES_UNLESS		/* Vetoes the kind. */
};

/* One pattern found in a passage. */
struct rules_hit {
	size_t kind;		/* Index of the kind. */
	size_t rule;		/* Index of the pattern (see rules_pattern). */
};

/* The result of matching one passage, and the scratch space to do it:
 * reused from passage to passage.  Its members MUST NOT be written except
 * through this API; score, given and hits may be read after rules_match. */
struct rules_match {
	double *score;		/* Per kind: the sum of the weights found. */
	unsigned char *given;	/* Per kind: 1 when the kind is given. */
	struct rules_hit *hits;	/* The patterns found, in the order found. */
	size_t nhits;
	size_t nwords;		/* Words the passage has. */
	int heading;		/* It reads as a heading: no kind is given. */
	size_t hits_alloc;
	/* Scratch. */
	size_t *tok_first;	/* Per word: its first term in terms[]. */
	size_t *tok_count;	/* Per word: how many terms it matches. */
	size_t toks_alloc;
	unsigned *terms;	/* Term ids of every word, word after word. */
	size_t terms_alloc;
	unsigned *seen;		/* Per pattern: the pass that found it. */
	unsigned char *vetoed;	/* Per kind. */
	unsigned pass;		/* Count of passages matched. */
};

/* Load and compile every assets/rules/<kind>.json of an asset table.
 * NULL with a one-line reason naming the file (and the pattern) in err. */
struct rules *rules_load(const struct asset *table, char *err, size_t errsize);

/* Compile one kind file's JSON text, for tests and tools; name is used in
 * messages.  NULL with the reason in err. */
struct rules *rules_parse(const char *name, const char *json, size_t len, char *err,
			  size_t errsize);

/* NULL is a harmless no-op. */
void rules_free(struct rules *r);

/* The kinds, in file-name order. */
size_t rules_nkinds(const struct rules *r);
const char *rules_kind(const struct rules *r, size_t kind);
const char *rules_headline(const struct rules *r, size_t kind);
const char *rules_severity(const struct rules *r, size_t kind);
double rules_threshold(const struct rules *r, size_t kind);
/* The index of a kind by slug, or -1. */
long rules_find_kind(const struct rules *r, const char *slug);

/* A kind's pattern: its text as written, role and weight (0 for unless). */
const char *rules_pattern(const struct rules *r, size_t kind, size_t rule,
			  enum rules_role *role, double *weight);

/* Set up m for r (0) or fail out of memory (-1).  rules_match_free
 * releases it; it accepts a zeroed struct and leaves m zeroed. */
int rules_match_init(const struct rules *r, struct rules_match *m);
void rules_match_free(struct rules_match *m);

/* Match the text of one passage (len bytes, any bytes): fills m's score,
 * given and hits.  Returns how many kinds are given, or -1 out of memory. */
int rules_match(const struct rules *r, const char *text, size_t len, struct rules_match *m);

/* A kind's confidence after rules_match, in [0, 1). */
double rules_confidence(const struct rules *r, const struct rules_match *m, size_t kind);

#endif
