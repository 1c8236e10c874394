/*
 * store: the local SQLite database, the single source of truth of clause.
 *
 * Nothing outside store/ writes SQL or sees a statement.  A store is one
 * connection: open one per thread.  Read functions hand each row to a
 * callback as a struct of borrowed strings, valid only during that call
 * (copy what you keep); a callback that returns non-zero stops the walk and
 * its value is returned.  Every function returns a store_status (or the
 * callback's value), and store_errmsg() says more about the last failure.
 */
#ifndef CLAUSE_STORE_H
#define CLAUSE_STORE_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct dataset;

enum store_status {
	STORE_OK = 0,		/* Success. */
	STORE_NOT_FOUND = -1,	/* No row matched. */
	STORE_AMBIGUOUS = -2,	/* A name matched more than one row. */
	STORE_BAD_QUERY = -3,	/* The search index refused the query. */
	STORE_ERROR = -4,	/* Database error: see store_errmsg(). */
	STORE_TOO_NEW = -5	/* The database was written by a newer clause. */
};

/* The schema version this build writes (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 8

/*
 * Open and set up.
 */

/* Open (creating it, mode 0600, where it does not exist) the database at
 * path, set WAL, foreign keys and a busy timeout, and upgrade its schema in
 * place to STORE_SCHEMA_VERSION.  On failure returns NULL and writes a
 * one-line reason to err (errsize bytes, may be 0). */
struct store *store_open(const char *path, char *err, size_t errsize);

/* Finalize every statement and close.  NULL is a harmless no-op. */
void store_close(struct store *st);

/* The message of the last failure on st, never NULL. */
const char *store_errmsg(const struct store *st);

/* The schema version of the open database. */
int store_schema_version(struct store *st);

/* Transactions: BEGIN IMMEDIATE, COMMIT, ROLLBACK. */
int store_begin(struct store *st);
int store_commit(struct store *st);
int store_rollback(struct store *st);

/*
 * The embedded dataset.
 */

/* Whether the dataset with this digest is the one already loaded. */
int store_dataset_is_current(struct store *st, const char *digest);

/* Load ds in one transaction: insert or update the curated rows (kinds,
 * regulations, platforms, documents, curated provisions), add the versions
 * the database lacks, delete curated provisions the dataset no longer has,
 * and record digest.  Rows the user fetched or added are kept.  On failure
 * nothing is changed. */
int store_load_dataset(struct store *st, const struct dataset *ds, const char *digest);

/*
 * Writing single rows (the dataset loader, the fetcher, tests, benchmarks).
 * Each is an insert-or-update by the row's natural key; *id receives the
 * row's id.
 */

int store_put_platform(struct store *st, const char *slug, const char *name,
		       const char *operator_name, const char *sector, const char *homepage,
		       int64_t *id);
int store_put_document(struct store *st, int64_t platform_id, const char *kind,
		       const char *title, const char *url, const char *declaration,
		       int64_t *id);
/* Add a version unless one with the same sha256 exists; *created says
 * which (may be NULL).  Versions are never rewritten. */
int store_add_version(struct store *st, int64_t document_id, const char *retrieved_at,
		      const char *source, const char *sha256, const char *text,
		      int64_t *id, int *created);
int store_put_type(struct store *st, const char *slug, const char *name, const char *topic,
		   const char *description, int64_t *id);
int store_put_regulation(struct store *st, const char *slug, const char *framework,
			 const char *article, const char *title, const char *jurisdiction,
			 const char *authority, const char *max_penalty, const char *url,
			 int64_t *id);

struct store_provision_in {
	const char *key;		/* Stable curated key, or NULL. */
	int64_t document_id;
	const char *kind;		/* provision_type slug. */
	const char *excerpt;
	const char *headline;
	const char *analysis;
	const char *impact;
	const char *action;
	const char *severity;		/* high, medium, low, favourable. */
	const char *severity_reason;
	int64_t first_version;		/* Version ids. */
	int64_t last_version;
	const char *status;		/* current, changed, removed. */
	const char *origin;		/* curated, classified. */
};
/* Insert, or update the provision with the same key. */
int store_put_provision(struct store *st, const struct store_provision_in *p, int64_t *id);

/*
 * Reading.
 */

struct store_platform {
	int64_t id;
	const char *slug;
	const char *name;
	const char *operator_name;
	const char *sector;
	const char *homepage;
	int documents;		/* Documents tracked. */
	int provisions;		/* Provisions over all its documents. */
	int watched;		/* The user watches it for changes. */
	int high;		/* Of those, how many of each severity. */
	int medium;
	int low;
	int favourable;
	int unseen_changes;	/* A document changed since the user last looked. */
};
int store_each_platform(struct store *st,
			int (*cb)(const struct store_platform *, void *), void *ctx);

/* The platforms without their counts (all 0): quick at any size, for a
 * list that counts only the rows it shows, with store_get_platform. */
int store_each_platform_name(struct store *st,
			     int (*cb)(const struct store_platform *, void *), void *ctx);
/* One platform, with its counts. */
int store_get_platform(struct store *st, int64_t id,
		       int (*cb)(const struct store_platform *, void *), void *ctx);
/* How many provisions there are in all. */
int store_count_provisions(struct store *st, int *count);

/* Watch a platform for changes, or stop; STORE_OK also when it already
 * was (or was not). */
int store_watch(struct store *st, int64_t platform_id, int on);
/* The user looked at the platform now: its changes so far are seen. */
int store_mark_seen(struct store *st, int64_t platform_id);

/* The watched platforms, by name. */
int store_each_watched(struct store *st, int (*cb)(const struct store_platform *, void *),
		       void *ctx);

/* Find a platform by slug, by name (any case), or by a prefix of either
 * that only one platform has.  STORE_NOT_FOUND or STORE_AMBIGUOUS when no
 * single platform answers. */
int store_find_platform(struct store *st, const char *text,
			int (*cb)(const struct store_platform *, void *), void *ctx);
/* The id of the platform whose slug is exactly slug (no name, no prefix):
 * STORE_OK, STORE_NOT_FOUND, or STORE_ERROR. */
int store_platform_by_slug(struct store *st, const char *slug, int64_t *id);

struct store_document {
	int64_t id;
	const char *kind;	/* terms, privacy, usage-policy, ... */
	const char *title;
	const char *url;
	int versions;		/* Versions stored. */
	const char *latest;	/* retrieved_at of the newest version, or NULL. */
	int provisions;
};
int store_each_document(struct store *st, int64_t platform_id,
			int (*cb)(const struct store_document *, void *), void *ctx);

struct store_version {
	int64_t id;
	const char *retrieved_at;
	const char *source;	/* embedded, fetched, imported. */
	const char *sha256;
	const char *text;
	size_t size;		/* Bytes of text. */
};
/* How many versions a document has, and the date of the first (first is
 * "" when there is none), from the index alone. */
int store_count_versions(struct store *st, int64_t document_id, int *count, char first[11]);

/* A document's versions, oldest first; with_text 0 leaves text NULL (and
 * reads less). */
int store_each_version(struct store *st, int64_t document_id, int with_text,
		       int (*cb)(const struct store_version *, void *), void *ctx);

struct store_provision {
	int64_t id;
	const char *key;		/* NULL for classified provisions. */
	const char *platform_slug;
	const char *platform_name;
	const char *document_kind;
	const char *document_title;
	const char *url;
	const char *kind;		/* provision_type slug. */
	const char *kind_name;
	const char *excerpt;
	const char *headline;
	const char *analysis;
	const char *impact;
	const char *action;
	const char *severity;
	const char *severity_reason;
	const char *status;
	const char *origin;
	const char *version_date;	/* retrieved_at of the version it cites. */
	const char *version_sha256;
	const char *first_seen;		/* retrieved_at of its first version. */
	int64_t platform_id;
	int64_t document_id;
};

struct store_provision_filter {
	int64_t id;		/* One provision, or 0. */
	int64_t platform_id;	/* One platform, or 0. */
	const char *kind;	/* One kind's slug, or NULL. */
	const char *severity;	/* high, medium, low or favourable, or NULL. */
};
/* Provisions matching every set field of f, by platform, document, kind. */
int store_each_provision(struct store *st, const struct store_provision_filter *f,
			 int (*cb)(const struct store_provision *, void *), void *ctx);

/* How other platforms handle a kind: for each platform but platform_id
 * that has a provision of the kind, its first one, by platform name; at
 * most limit platforms (0: all). */
int store_each_provision_elsewhere(struct store *st, const char *kind, int64_t platform_id,
				   int limit, int (*cb)(const struct store_provision *, void *),
				   void *ctx);

struct store_regulation {
	int64_t id;
	const char *slug;
	const char *framework;
	const char *article;
	const char *title;
	const char *jurisdiction;
	const char *authority;
	const char *max_penalty;
	const char *url;
	const char *why;	/* Why it is engaged, where the walk says. */
	const char *via;	/* "provision" or "kind", where the walk says. */
};
/* The regulations a provision engages: its own, then those its kind
 * typically engages that it does not name itself. */
int store_each_provision_regulation(struct store *st, int64_t provision_id,
				    int (*cb)(const struct store_regulation *, void *),
				    void *ctx);
/* The regulation catalogue, of one framework (any case) or all (NULL). */
int store_each_regulation(struct store *st, const char *framework,
			  int (*cb)(const struct store_regulation *, void *), void *ctx);

struct store_type {
	int64_t id;
	const char *slug;
	const char *name;
	const char *topic;
	const char *description;
	int platforms;		/* Platforms with a provision of this kind; */
	int provisions;		/* counted by store_each_type only (else 0). */
	const char *why;	/* Set by store_each_regulation_type only. */
};
int store_each_type(struct store *st, int (*cb)(const struct store_type *, void *), void *ctx);
/* One kind by slug. */
int store_find_type(struct store *st, const char *slug,
		    int (*cb)(const struct store_type *, void *), void *ctx);
/* The kinds that typically engage a regulation, with why. */
int store_each_regulation_type(struct store *st, int64_t regulation_id,
			       int (*cb)(const struct store_type *, void *), void *ctx);

struct store_hit {
	const struct store_provision *provision;
	const char *snippet;	/* Matches between STORE_MARK_START and _END. */
	double rank;		/* bm25: lower is better. */
};
/* The UTF-8 private-use characters that bracket a match in a snippet. */
#define STORE_MARK_START "\xee\x80\x80"	/* U+E000 */
#define STORE_MARK_END "\xee\x80\x81"	/* U+E001 */

/* Full-text search: match is an FTS5 expression (see src/query.h), best
 * first; f may narrow by platform, kind and severity (its id is ignored); at most
 * limit hits.  STORE_BAD_QUERY when the index refuses the expression. */
int store_search(struct store *st, const char *match, const struct store_provision_filter *f,
		 int limit, int (*cb)(const struct store_hit *, void *), void *ctx);

/* The first token of word as the search index holds it, stemmed and
 * folded ("Privacy" is "privaci"), in buf.  STORE_NOT_FOUND when word has
 * none (punctuation alone). */
int store_stem(struct store *st, const char *word, char *buf, size_t size);

/*
 * Tracking documents: what the fetcher reads and records.
 */

struct store_fetch_target {
	int64_t document_id;
	int64_t platform_id;
	const char *platform_slug;
	const char *platform_name;
	const char *kind;
	const char *url;
	const char *declaration;	/* The document's declaration (JSON), or NULL. */
	const char *etag;		/* Validators of the last answer, or NULL. */
	const char *last_modified;
	const char *latest_sha256;	/* Of the newest version, or NULL when none. */
};
/* The documents of one platform (platform_id) or all (0), of the watched
 * platforms only when watched_only, or the one document_id (when not 0). */
int store_each_fetch_target(struct store *st, int64_t platform_id, int watched_only,
			    int64_t document_id,
			    int (*cb)(const struct store_fetch_target *, void *), void *ctx);

/* Log one fetch attempt: outcome is a word (changed, unchanged,
 * not-modified, failed ...), http_status 0 when there was no answer, error
 * NULL when none. */
int store_log_fetch(struct store *st, int64_t document_id, const char *at, const char *url,
		    const char *outcome, int http_status, int64_t bytes, const char *error);

/* Remember when a document was last checked and its answer's validators. */
int store_document_checked(struct store *st, int64_t document_id, const char *at,
			   const char *etag, const char *last_modified);

/* Set the validators of a version just added. */
int store_version_validators(struct store *st, int64_t version_id, const char *etag,
			     const char *last_modified);

/* The newest version of a document read at or before `at` (NULL: the
 * newest of all), with its text; STORE_NOT_FOUND when there is none. */
int store_latest_version(struct store *st, int64_t document_id, const char *at,
			 int (*cb)(const struct store_version *, void *), void *ctx);
/* Whether a version of the document was read after `at`. */
int store_has_version_after(struct store *st, int64_t document_id, const char *at, int *yes);

struct store_document_provision {
	int64_t id;
	const char *excerpt;
	const char *status;	/* current, changed, removed. */
	const char *kind;
	const char *origin;
	const char *kind_name;	/* The kind as a reader names it. */
};
/* Every provision of a document, in id order. */
int store_each_document_provision(struct store *st, int64_t document_id,
				  int (*cb)(const struct store_document_provision *, void *),
				  void *ctx);

/* Set a provision's status, and its last version when last_version > 0. */
int store_set_provision_state(struct store *st, int64_t provision_id, const char *status,
			      int64_t last_version);

struct store_change_in {
	int64_t document_id;
	int64_t from_version;		/* 0 for a document's first version. */
	int64_t to_version;
	const char *detected_at;
	const char *cause;		/* platform or technical. */
	int added;			/* Passages added, removed, changed. */
	int removed;
	int changed;
	const char *summary;
};
/* Record a change (again: the same to_version updates its summary). */
int store_add_change(struct store *st, const struct store_change_in *c, int64_t *id);
/* What a change did to one provision: what is current, changed or removed;
 * before and after the passages (NULL where there is none). */
int store_add_provision_change(struct store *st, int64_t change_id, int64_t provision_id,
			       const char *what, const char *before, const char *after);

struct store_change {
	int64_t id;
	int64_t document_id;
	int64_t platform_id;
	const char *platform_slug;
	const char *platform_name;
	const char *kind;		/* The document's. */
	const char *title;
	const char *url;
	const char *detected_at;
	const char *cause;		/* platform or technical. */
	int added, removed, changed;	/* Paragraphs. */
	const char *summary;
	const char *from_date;		/* retrieved_at of the version before, or NULL. */
	const char *to_date;
	const char *to_sha256;
};
struct store_change_filter {
	const char *since;		/* detected_at at or after this ("" or NULL: all). */
	int watched_only;
	int technical;			/* Include re-extractions. */
	int64_t platform_id;		/* One platform, or 0. */
	int64_t document_id;		/* One document, or 0. */
};
/* The changes matching f, by platform name, document kind, then date. */
int store_each_change(struct store *st, const struct store_change_filter *f,
		      int (*cb)(const struct store_change *, void *), void *ctx);

struct store_provision_change {
	int64_t provision_id;
	const char *what;		/* current, changed, removed, appeared. */
	const char *before;		/* The excerpt as it was; NULL when it appeared. */
	const char *after;		/* changed: the passage it became; appeared: the
					 * excerpt found; else NULL. */
	const char *kind;
	const char *kind_name;
	const char *headline;
};
/* What a change did to provisions: changed, then removed ones, then those
 * that appeared in the new version; the provisions left as they were too
 * when with_current. */
int store_each_provision_change(struct store *st, int64_t change_id, int with_current,
				int (*cb)(const struct store_provision_change *, void *),
				void *ctx);

struct store_provision_event {
	int64_t change_id;
	const char *what;		/* changed or removed. */
	const char *before;
	const char *after;		/* changed: the passage it became. */
	const char *detected_at;
	const char *cause;		/* platform or technical. */
};
/* The history of one provision: each change of its document that changed
 * or removed it, newest first. */
int store_each_provision_event(struct store *st, int64_t provision_id,
			       int (*cb)(const struct store_provision_event *, void *),
			       void *ctx);

/*
 * Classified provisions (store/classified.c): what src/classify.c finds.
 * Curated provisions are never written or deleted by these.
 */

/* The documents whose newest version was not classified under stamp, in
 * id order: *ids is malloc'd (free it), *n how many.  *generation receives
 * the count of versions ever added, read first: pass it to
 * store_classify_all_done once every document listed is classified.  When
 * that was done under stamp and no version was added since, the answer is
 * no document, from two lookups, and *generation is -1: nothing to
 * record. */
int store_classify_pending(struct store *st, const char *stamp, int64_t **ids, size_t *n,
			   int64_t *generation);

/* Remember that every document with a version up to generation (from
 * store_classify_pending) was classified under stamp. */
int store_classify_all_done(struct store *st, const char *stamp, int64_t generation);

struct store_classify_source {
	int64_t document_id;
	int64_t version_id;	/* Its newest version. */
	const char *text;	/* That version's text, and its size. */
	size_t size;
	const char *stamp;	/* The stamp it was classified under, or NULL. */
};
/* The newest version of a document, for classifying; STORE_NOT_FOUND when
 * it has none. */
int store_classify_source(struct store *st, int64_t document_id,
			  int (*cb)(const struct store_classify_source *, void *), void *ctx);

/* The kinds a document has a curated provision of. */
int store_each_curated_kind(struct store *st, int64_t document_id,
			    int (*cb)(const char *kind, void *), void *ctx);

struct store_classified_in {
	const char *key;		/* "classified:..."; the same excerpt, the same key. */
	const char *kind;
	const char *excerpt;		/* Verbatim from the version. */
	const char *headline;
	const char *severity;
	const char *severity_reason;
};
/* In one transaction (a savepoint inside the caller's): make ps the
 * document's classified provisions, found in version_id, skipping a kind
 * the document has a curated provision of; drop its other classified
 * provisions (keys: a JSON array of the keys of ps); remember that the
 * version was classified under stamp.  A row whose key is kept keeps its
 * id and first version. */
int store_replace_classified(struct store *st, int64_t document_id, int64_t version_id,
			     const struct store_classified_in *ps, size_t n, const char *keys,
			     const char *stamp);

#endif
