/*
 * store-internal: what the files of store/ share and nobody else sees.
 */
#ifndef CLAUSE_STORE_INTERNAL_H
#define CLAUSE_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store.h"

/* Every statement the store runs after its schema is set up.  Each is
 * prepared once per connection, on first use, and kept until store_close. */
enum store_stmt {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_META_GET,
	STMT_META_SET,
	STMT_PLATFORM_PUT,
	STMT_DOCUMENT_PUT,
	STMT_VERSION_FIND,
	STMT_VERSION_ADD,
	STMT_TYPE_PUT,
	STMT_REGULATION_PUT,
	STMT_TYPE_REGULATION_CLEAR,
	STMT_TYPE_REGULATION_ADD,
	STMT_PROVISION_PUT,
	STMT_PROVISION_REGULATION_CLEAR,
	STMT_PROVISION_REGULATION_ADD,
	STMT_CURATED_KEYS_MARK,
	STMT_CURATED_KEYS_RESET,
	STMT_CURATED_KEY_KEEP,
	STMT_CURATED_STALE_DELETE,
	STMT_PLATFORM_LIST,
	STMT_PLATFORM_NAMES,
	STMT_WATCH_ADD,
	STMT_WATCH_RM,
	STMT_SEEN,
	STMT_WATCH_LIST,
	STMT_PLATFORM_GET,
	STMT_PROVISION_COUNT,
	STMT_PLATFORM_FIND,
	STMT_DOCUMENT_LIST,
	STMT_VERSION_LIST,
	STMT_VERSION_COUNT,
	STMT_PROVISION_BY_ID,
	STMT_PROVISION_BY_PLATFORM,
	STMT_PROVISION_BY_KIND,
	STMT_PROVISION_ELSEWHERE,
	STMT_PROVISION_ALL,
	STMT_PROVISION_REGULATIONS,
	STMT_REGULATION_LIST,
	STMT_REGULATION_TYPES,
	STMT_TYPE_LIST,
	STMT_TYPE_FIND,
	STMT_SEARCH_RANK,
	STMT_SEARCH_RANK_WANTED,
	STMT_SEARCH_WALK,
	STMT_SEARCH_HITS,
	STMT_SEARCH_FILTER,
	STMT_SEARCH_PLATFORM_IDS,
	STMT_SEARCH_KIND_IDS,
	STMT_FETCH_TARGETS,
	STMT_FETCH_LOG_ADD,
	STMT_DOCUMENT_CHECKED,
	STMT_VERSION_VALIDATORS,
	STMT_VERSION_LATEST,
	STMT_VERSION_AFTER,
	STMT_DOCUMENT_PROVISIONS,
	STMT_PROVISION_STATE,
	STMT_CHANGE_ADD,
	STMT_PROVISION_CHANGE_ADD,
	STMT_CHANGES_SINCE,
	STMT_CHANGE_PROVISIONS,
	STMT_PROVISION_HISTORY,
	STMT_COUNT		/* Number of statements, not a statement. */
};

/* The lengths of prefix, in characters, the search index keeps entries
 * for (schema.c, version 8: prefix='2 3 4 5').  FTS5 answers a prefix of
 * another length by merging the lists of every term it begins. */
#define STORE_FTS_PREFIX_MIN 2
#define STORE_FTS_PREFIX_MAX 5

/* What clause_rank_walk() (rank.c) hands each match to: set by a search
 * for the time of its walk. */
struct rank_walk {
	int (*row)(void *ctx, int64_t id, double rank);	/* STORE_OK or an error. */
	void *ctx;
	int64_t low, high;	/* The rowids to hand over, */
	const int64_t *only;	/* and of those only these (sorted), */
	size_t nonly;		/* or all where only is NULL. */
	int or_phrases;		/* Of a query of phrases joined by OR alone,
				 * how many; 0 for any other query. */
	int rc;			/* row's first error, which ended the walk. */
};

struct store {
	sqlite3 *db;			/* The connection. */
	sqlite3_stmt *stmt[STMT_COUNT];	/* Prepared on first use. */
	char errmsg[512];		/* Reason of the last failure. */
	const int64_t *wanted;		/* search.c: the rows clause_wanted() */
	size_t nwanted;			/* lets by, sorted; NULL between searches. */
	struct rank_walk *walk;		/* rank.c: clause_rank_walk()'s, in a search */
	Fts5Tokenizer *stemmer;		/* stem.c: the index's tokenizer, or NULL */
	fts5_tokenizer stemmer_api;	/* until first used. */
};

/* The statement id, prepared and reset with its bindings cleared, or NULL
 * with st->errmsg set. */
sqlite3_stmt *store_stmt(struct store *st, enum store_stmt id);

/* Record the connection's error message after what failed; returns
 * STORE_ERROR so that callers can `return store_fail(st, "...")`. */
int store_fail(struct store *st, const char *what);

/* Step a statement that returns one id (RETURNING id or SELECT id) into
 * *id (may be NULL); STORE_NOT_FOUND when it returned no row. */
int store_step_id(struct store *st, sqlite3_stmt *stmt, const char *what, int64_t *id);

/* Bind a text that may be NULL. */
int store_bind_text(sqlite3_stmt *stmt, int index, const char *text);

/* Column text as a C string (NULL for SQL NULL). */
const char *store_column_text(sqlite3_stmt *stmt, int column);

/* Run a statement that returns no rows; STORE_OK or store_fail(). */
int store_step_done(struct store *st, sqlite3_stmt *stmt, const char *what);

/* rank.c: the connection's FTS5 API, or NULL. */
fts5_api *store_fts5_api(sqlite3 *db);

/* rank.c: register clause_rank_walk() on st's connection. */
int store_rank_walk_register(struct store *st);

/* stem.c: free the tokenizer store_stem opened. */
void store_stem_close(struct store *st);

/* schema.c: migrate db to target (<= STORE_SCHEMA_VERSION). */
int store_schema_migrate(sqlite3 *db, int target, char *err, size_t errsize);

/* rank.c: register clause_rank() with the connection's FTS5. */
int store_rank_register(sqlite3 *db);

/* search.c: register clause_wanted() with the connection. */
int store_search_register(struct store *st);

/* search.c: whether id is among ids[0..n), which are sorted. */
int store_ids_have(const int64_t *ids, size_t n, int64_t id);

/* read.c: a row of PROVISION_COLUMNS as a struct store_provision. */
void store_row_provision(sqlite3_stmt *stmt, struct store_provision *p);

/* stem.c: the index's tokenizer on text[0, len) (flags FTS5_TOKENIZE_*),
 * each token to cb as FTS5's xTokenize hands it.  STORE_OK, or
 * STORE_ERROR with st->errmsg set. */
int store_tokenize(struct store *st, int flags, const char *text, size_t len, void *ctx,
		   int (*cb)(void *, int, const char *, int, int, int));

/* snippet.c: the phrases of an FTS5 expression, as the index holds their
 * tokens (NULL out of memory or if the tokenizer failed); and a hit's
 * excerpt cut around them, marked, as FTS5's snippet() would give it for
 * the excerpt's column and 24 tokens (malloc'd; NULL on failure). */
struct snippet_query;
struct snippet_query *snippet_query_parse(struct store *st, const char *match);
char *snippet_make(struct store *st, const struct snippet_query *q, const char *text);
void snippet_query_free(struct snippet_query *q);

/* statements.c: the SQL text of each statement. */
const char *store_stmt_sql(enum store_stmt id);

#endif
