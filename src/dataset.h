/*
 * dataset: the embedded dataset, parsed from assets/ and checked.
 *
 * dataset_parse() reads kinds.json, regulations.json and every
 * platforms/<slug>.json of an asset table, resolves every reference (a
 * provision's document, version, kind and regulations; a version's text
 * file) and checks that each provision's excerpt occurs verbatim, after
 * whitespace normalisation, in the text of the version it cites.  A dataset
 * that fails any check is refused whole.
 *
 * Strings are borrowed from the parsed JSON and the texts read from the
 * asset table, which the dataset owns, and live as long as it.
 */
#ifndef CLAUSE_DATASET_H
#define CLAUSE_DATASET_H

#include <stddef.h>

struct asset;

struct dataset_regulation_ref {
	const char *regulation;		/* Regulation slug. */
	const char *why;
};

struct dataset_kind {
	const char *slug;
	const char *name;
	const char *topic;
	const char *description;
	struct dataset_regulation_ref *regulations;
	size_t nregulations;
};

struct dataset_regulation {
	const char *slug;
	const char *framework;
	const char *article;
	const char *title;
	const char *jurisdiction;
	const char *authority;
	const char *max_penalty;
	const char *url;
};

struct dataset_version {
	char retrieved_at[32];		/* "YYYY-MM-DDT00:00:00Z" from the date. */
	const char *path;		/* Asset name of the text. */
	const char *text;		/* The stored text, NUL-terminated. */
	size_t len;
	char sha256[65];		/* Hex digest of text. */
};

struct dataset_document {
	const char *kind;
	const char *title;
	const char *url;
	char *declaration;		/* Compact JSON, owned; may be NULL. */
	struct dataset_version *versions;	/* Oldest first. */
	size_t nversions;
};

struct dataset_provision {
	const char *key;
	size_t document;		/* Index in the platform's documents. */
	size_t version;			/* Index of the cited version. */
	size_t first_version;		/* First of the run of versions that */
	size_t last_version;		/* hold the excerpt, around the cited one. */
	const char *status;		/* current when the newest version holds it, else changed. */
	const char *kind;
	const char *excerpt;
	const char *headline;
	const char *analysis;
	const char *impact;
	const char *action;
	const char *severity;
	const char *severity_reason;
	struct dataset_regulation_ref *regulations;
	size_t nregulations;
};

struct dataset_platform {
	const char *slug;
	const char *name;
	const char *operator_name;
	const char *sector;
	const char *homepage;
	struct dataset_document *documents;
	size_t ndocuments;
	struct dataset_provision *provisions;
	size_t nprovisions;
};

struct dataset {
	struct dataset_kind *kinds;
	size_t nkinds;
	struct dataset_regulation *regulations;
	size_t nregulations;
	struct dataset_platform *platforms;
	size_t nplatforms;
	void **json;			/* Parsed files, owned (json_t *). */
	size_t njson;
	char **texts;			/* Version texts, inflated, owned. */
	size_t ntexts;
};

/* Parse and check the dataset of an asset table (see assets.h).  Returns
 * NULL with a one-line reason naming the file and the entry in err. */
struct dataset *dataset_parse(const struct asset *table, char *err, size_t errsize);

/* The embedded dataset's version and date (from dataset.json), copied into
 * version and date.  Returns 0, or -1 with a reason in err. */
int dataset_about(const struct asset *table, char *version, size_t versionsize, char *date,
		  size_t datesize, char *err, size_t errsize);

/* NULL is a harmless no-op. */
void dataset_free(struct dataset *ds);

/* Whether excerpt occurs in text once every run of white space in both is
 * read as one space (and leading and trailing white space is ignored). */
int dataset_excerpt_in_text(const char *excerpt, const char *text);

#endif
