/*
 * classify: provisions found automatically.
 *
 * A document's newest version is cut into passages (segment.h) and each
 * passage matched against the rules (rules.h).  For each kind the document
 * has no curated provision of, the passage that scores highest for it
 * (the first, on a tie) becomes a provision with origin 'classified': its
 * excerpt verbatim from the version, a headline that says what kind of
 * clause it is, no analysis, and the severity the kind's rules file gives.
 * Curated provisions are never touched.
 */
#ifndef CLAUSE_CLASSIFY_H
#define CLAUSE_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

struct rules;
struct rules_match;
struct store;

/* The embedded rules and the scratch space to match passages with them. */
struct classifier;

/* Passages with fewer words than this are titles, never provisions. */
#define CLASSIFY_MIN_WORDS 8

/* What every classified provision's severity_reason says. */
#define CLASSIFY_SEVERITY_REASON \
	"Found automatically: the usual severity of this kind, not a reading of this passage."

/* Load the embedded rules.  NULL with a one-line reason in err. */
struct classifier *classifier_open(char *err, size_t errsize);

/* NULL is a harmless no-op. */
void classifier_close(struct classifier *c);

const struct rules *classifier_rules(const struct classifier *c);

/* Match one passage; *m (owned by c, valid until the next call) says the
 * kinds given and why.  Returns the number of kinds given, or -1 out of
 * memory. */
int classifier_passage(struct classifier *c, const char *text, size_t len,
		       const struct rules_match **m);

/* One passage of a text, as classifier_text hands it over. */
struct classify_passage {
	size_t index;			/* Among the text's passages. */
	size_t start;			/* Byte range in the text. */
	size_t len;
	int words;			/* Words in it. */
	const char *section;		/* Its section path ("" when none). */
	const struct rules_match *match;	/* Its scores, kinds and hits. */
};

/* Cut text into passages and match each; cb receives every passage that
 * is given at least one kind (or every passage, when all is set).  A
 * non-zero return of cb stops the walk and is returned.  -1 with the
 * reason in err when out of memory. */
int classifier_text(struct classifier *c, const char *text, size_t len, int all,
		    int (*cb)(const struct classify_passage *, void *), void *ctx, char *err,
		    size_t errsize);

/*
 * Classifying what the store holds.
 */

/* Classify the newest version of document_id and replace the document's
 * classified provisions with what is found, in one transaction; kinds the
 * document has a curated provision of are skipped.  Cheap when that
 * version was already classified with these rules (the store remembers).
 * c may be NULL (the rules are then loaded for this call).  Returns 0, or
 * -1 with a one-line reason naming the document in err. */
int classify_document(struct store *st, struct classifier *c, int64_t document_id, char *err,
		      size_t errsize);

/* The same for every document whose newest version is not classified with
 * these rules (all of them after a new dataset or new rules). */
int classify_all_documents(struct store *st, char *err, size_t errsize);

#endif
