/*
 * update: record a document's text as read now.
 *
 * The text (already normalised) is hashed; the same hash as the newest
 * version only marks the document checked.  A different one is a new
 * version: each provision of the document is relocated in it (current,
 * changed or removed, see relocate.h), and the change, with what it did to
 * each provision and how many paragraphs it added, removed and changed, is
 * recorded.  All in one transaction: a failure leaves the document as it
 * was.  The fetcher and the history import both go through here.
 */
#ifndef CLAUSE_UPDATE_H
#define CLAUSE_UPDATE_H

#include <stddef.h>
#include <stdint.h>

struct store;

struct update_in {
	int64_t document_id;
	const char *text;		/* Normalised text of the document. */
	const char *source;		/* fetched or imported. */
	const char *at;			/* When it was read: "YYYY-MM-DDTHH:MM:SSZ". */
	const char *etag;		/* Validators of the answer, or NULL. */
	const char *last_modified;
	const char *cause;		/* platform (default) or technical. */
	int in_transaction;		/* The caller holds one (and rolls it back on
					 * failure): a whole import is one. */
};

struct update_result {
	int new_version;		/* 1 when the text was new. */
	int first_version;		/* 1 when the document had none before. */
	int64_t version_id;		/* The version the text is. */
	int64_t change_id;		/* The change recorded, or 0. */
	int current, changed, removed;	/* Provisions, after relocation. */
	int added_paras, removed_paras, changed_paras;
	char sha256[65];
	char summary[256];		/* What changed, in words. */
};

/* Record in->text for in->document_id (see above).  Returns 0, or -1 with
 * a one-line reason in err; r is filled in either way. */
int update_record(struct store *st, const struct update_in *in, struct update_result *r,
		  char *err, size_t errsize);

#endif
