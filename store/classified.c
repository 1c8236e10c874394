/*
 * classified: the store's side of provisions found automatically (see
 * src/classify.h): which documents need classifying, the text to read, and
 * writing what was found without ever touching a curated provision.
 *
 * What a document's classification last read is remembered in meta, under
 * "classified:<document id>", as "<version id> <stamp>": the stamp names
 * the rules (and the dataset) it ran with, so that new rules or a new
 * dataset classify again and nothing else does.
 *
 * "classified-all" in meta says that every document was classified under a
 * stamp when the count of versions ever added was some number: while
 * neither has changed, a start has nothing to classify and knows it from
 * two lookups, not a question to every document.
 *
 * These statements run a few times per document classified, not per row
 * shown, so they are prepared for each call rather than kept with the
 * connection's statements.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-internal.h"

#define META_CLASSIFIED "classified:"

/* The count of versions ever added (schema version 7's trigger), and the
 * "<generation> <stamp>" under which every document was last found
 * classified. */
#define META_GENERATION "version-generation"
#define META_ALL_CLASSIFIED "classified-all"

/* The documents that have a version whose newest is not the one last
 * classified under ?1.  The newest version's id comes from the index by
 * date alone: joining the version row would read a page of its text for
 * every document, at every start. */
static const char pending_sql[] =
	"SELECT x.id FROM"
	" (SELECT d.id AS id, (SELECT v.id FROM version v WHERE v.document_id = d.id"
	"                      ORDER BY v.retrieved_at DESC, v.id DESC LIMIT 1) AS newest"
	"  FROM document d) x"
	" LEFT JOIN meta m ON m.key = '" META_CLASSIFIED "' || x.id"
	" WHERE x.newest IS NOT NULL AND m.value IS NOT (x.newest || ' ' || ?1)"
	" ORDER BY x.id";

static const char source_sql[] =
	"SELECT v.id, v.text, length(CAST(v.text AS BLOB)),"
	" (SELECT value FROM meta WHERE key = '" META_CLASSIFIED "' || ?1)"
	" FROM version v WHERE v.document_id = ?1"
	" ORDER BY v.retrieved_at DESC, v.id DESC LIMIT 1";

static const char curated_kinds_sql[] =
	"SELECT DISTINCT t.slug FROM provision p JOIN provision_type t ON t.id = p.type_id"
	" WHERE p.document_id = ?1 AND p.origin = 'curated' ORDER BY t.slug";

/* Insert, or update the classified row with the same key (keeping its id
 * and first version), unless the document has a curated provision of the
 * kind.  The key is never a curated one ("classified:..."), and the update
 * only ever touches a classified row. */
static const char put_sql[] =
	"INSERT INTO provision(key, document_id, type_id, excerpt, headline, severity,"
	" severity_reason, first_version, last_version, status, origin)"
	" SELECT ?1, ?2, t.id, ?4, ?5, ?6, ?7, ?8, ?8, 'current', 'classified'"
	" FROM provision_type t WHERE t.slug = ?3"
	"   AND NOT EXISTS (SELECT 1 FROM provision c WHERE c.document_id = ?2"
	"                   AND c.type_id = t.id AND c.origin = 'curated')"
	" ON CONFLICT(key) DO UPDATE SET type_id = excluded.type_id,"
	" excerpt = excluded.excerpt, headline = excluded.headline,"
	" severity = excluded.severity, severity_reason = excluded.severity_reason,"
	" last_version = excluded.last_version, status = 'current'"
	" WHERE provision.origin = 'classified' AND provision.document_id = excluded.document_id";

/* Drop the classified rows of the document that the classifier wrote
 * before (their keys start "classified:") and did not write now (?2: a JSON
 * array of the keys kept), and any of a kind it has a curated one of.  A
 * classified row some other writer made (no such key) is left alone. */
static const char prune_sql[] =
	"DELETE FROM provision WHERE document_id = ?1 AND origin = 'classified'"
	" AND substr(key, 1, 11) = 'classified:'"
	" AND (key NOT IN (SELECT value FROM json_each(?2))"
	"      OR EXISTS (SELECT 1 FROM provision c WHERE c.document_id = provision.document_id"
	"                 AND c.type_id = provision.type_id AND c.origin = 'curated'))";

static int
prepare(struct store *st, const char *sql, sqlite3_stmt **stmt)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL) != SQLITE_OK) {
		*stmt = NULL;
		return store_fail(st, "cannot prepare a classification statement");
	}
	return STORE_OK;
}

/* meta's value for key into buf (empty when there is none).  0, or -1. */
static int
meta_get(struct store *st, const char *key, char *buf, size_t size)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_META_GET);
	int rc;

	buf[0] = '\0';
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, key);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		snprintf(buf, size, "%s", store_column_text(stmt, 0));
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, "cannot read the classification's state");
		return -1;
	}
	return 0;
}

/* "<generation> <stamp>", as META_ALL_CLASSIFIED holds it. */
static void
all_classified_value(int64_t generation, const char *stamp, char *buf, size_t size)
{
	snprintf(buf, size, "%lld %s", (long long)generation, stamp);
}

int
store_classify_pending(struct store *st, const char *stamp, int64_t **ids, size_t *n,
		       int64_t *generation)
{
	char value[160], done[160];
	sqlite3_stmt *stmt;
	size_t alloc = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	*generation = 0;
	/* The generation first: a version added while the documents are read
	 * then makes the value written after them stale, never wrong. */
	if (meta_get(st, META_GENERATION, value, sizeof(value)) != 0
	    || meta_get(st, META_ALL_CLASSIFIED, done, sizeof(done)) != 0)
		return STORE_ERROR;
	*generation = strtoll(value, NULL, 10);
	all_classified_value(*generation, stamp, value, sizeof(value));
	if (strcmp(value, done) == 0) {
		*generation = -1;	/* Nothing to record either. */
		return STORE_OK;
	}
	if ((rc = prepare(st, pending_sql, &stmt)) != STORE_OK)
		return rc;
	store_bind_text(stmt, 1, stamp);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == alloc) {
			size_t want = alloc != 0 ? alloc * 2 : 64;
			int64_t *grown = realloc(*ids, want * sizeof(*grown));

			if (grown == NULL) {
				snprintf(st->errmsg, sizeof(st->errmsg), "out of memory");
				rc = SQLITE_NOMEM;
				break;
			}
			*ids = grown;
			alloc = want;
		}
		(*ids)[(*n)++] = sqlite3_column_int64(stmt, 0);
	}
	if (rc != SQLITE_DONE) {
		if (rc != SQLITE_NOMEM)
			store_fail(st, "cannot list the documents to classify");
		sqlite3_finalize(stmt);
		free(*ids);
		*ids = NULL;
		*n = 0;
		return STORE_ERROR;
	}
	sqlite3_finalize(stmt);
	return STORE_OK;
}

int
store_classify_all_done(struct store *st, const char *stamp, int64_t generation)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_META_SET);
	char value[160];

	if (stmt == NULL)
		return STORE_ERROR;
	all_classified_value(generation, stamp, value, sizeof(value));
	store_bind_text(stmt, 1, META_ALL_CLASSIFIED);
	store_bind_text(stmt, 2, value);
	return store_step_done(st, stmt, "cannot record the classification");
}

int
store_classify_source(struct store *st, int64_t document_id,
		      int (*cb)(const struct store_classify_source *, void *), void *ctx)
{
	struct store_classify_source src = { .document_id = document_id };
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = prepare(st, source_sql, &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, document_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		const char *last = store_column_text(stmt, 3);
		char expect[32];
		size_t n;

		src.version_id = sqlite3_column_int64(stmt, 0);
		src.text = store_column_text(stmt, 1);
		src.size = (size_t)sqlite3_column_int64(stmt, 2);
		/* "<version id> <stamp>": split off the version. */
		n = (size_t)snprintf(expect, sizeof(expect), "%lld ", (long long)src.version_id);
		if (last != NULL && strncmp(last, expect, n) == 0)
			src.stamp = last + n;
		rc = src.text != NULL ? cb(&src, ctx) : STORE_OK;
	} else if (rc == SQLITE_DONE) {
		snprintf(st->errmsg, sizeof(st->errmsg), "document %lld has no version",
			 (long long)document_id);
		rc = STORE_NOT_FOUND;
	} else {
		rc = store_fail(st, "cannot read the version to classify");
	}
	sqlite3_finalize(stmt);
	return rc;
}

int
store_each_curated_kind(struct store *st, int64_t document_id,
			int (*cb)(const char *kind, void *), void *ctx)
{
	sqlite3_stmt *stmt;
	int rc, stop = 0;

	if ((rc = prepare(st, curated_kinds_sql, &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, document_id);
	while (stop == 0 && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
		stop = cb(store_column_text(stmt, 0), ctx);
	if (stop != 0)
		rc = stop;
	else if (rc == SQLITE_DONE)
		rc = STORE_OK;
	else
		rc = store_fail(st, "cannot read the document's curated kinds");
	sqlite3_finalize(stmt);
	return rc;
}

/* Write the rows and prune the rest (inside a transaction). */
static int
replace_rows(struct store *st, int64_t document_id, int64_t version_id,
	     const struct store_classified_in *ps, size_t n, const char *keys, const char *stamp)
{
	sqlite3_stmt *put = NULL, *prune = NULL, *meta;
	char key[64], *value = NULL;
	size_t i, size;
	int rc;

	if ((rc = prepare(st, put_sql, &put)) != STORE_OK)
		goto out;
	for (i = 0; i < n; i++) {
		sqlite3_reset(put);
		sqlite3_clear_bindings(put);
		store_bind_text(put, 1, ps[i].key);
		sqlite3_bind_int64(put, 2, document_id);
		store_bind_text(put, 3, ps[i].kind);
		store_bind_text(put, 4, ps[i].excerpt);
		store_bind_text(put, 5, ps[i].headline);
		store_bind_text(put, 6, ps[i].severity);
		store_bind_text(put, 7, ps[i].severity_reason);
		sqlite3_bind_int64(put, 8, version_id);
		if ((rc = store_step_done(st, put, "cannot store a classified provision")) != STORE_OK)
			goto out;
	}
	if ((rc = prepare(st, prune_sql, &prune)) != STORE_OK)
		goto out;
	sqlite3_bind_int64(prune, 1, document_id);
	store_bind_text(prune, 2, keys);
	if ((rc = store_step_done(st, prune, "cannot drop old classified provisions")) != STORE_OK)
		goto out;
	snprintf(key, sizeof(key), META_CLASSIFIED "%lld", (long long)document_id);
	size = strlen(stamp) + 32;
	value = malloc(size);
	if (value == NULL) {
		snprintf(st->errmsg, sizeof(st->errmsg), "out of memory");
		rc = STORE_ERROR;
		goto out;
	}
	snprintf(value, size, "%lld %s", (long long)version_id, stamp);
	if ((meta = store_stmt(st, STMT_META_SET)) == NULL) {
		rc = STORE_ERROR;
		goto out;
	}
	store_bind_text(meta, 1, key);
	store_bind_text(meta, 2, value);
	rc = store_step_done(st, meta, "cannot record the classification");
out:
	free(value);
	sqlite3_finalize(put);
	sqlite3_finalize(prune);
	return rc;
}

int
store_replace_classified(struct store *st, int64_t document_id, int64_t version_id,
			 const struct store_classified_in *ps, size_t n, const char *keys,
			 const char *stamp)
{
	/* Inside the caller's transaction a savepoint; else a transaction of
	 * its own, taken for writing at once. */
	int nested = !sqlite3_get_autocommit(st->db);
	char saved[sizeof(st->errmsg)];
	int rc;

	if (nested)
		rc = sqlite3_exec(st->db, "SAVEPOINT classified", NULL, NULL, NULL) == SQLITE_OK
			     ? STORE_OK
			     : store_fail(st, "cannot begin a savepoint");
	else
		rc = store_begin(st);
	if (rc != STORE_OK)
		return rc;
	rc = replace_rows(st, document_id, version_id, ps, n, keys, stamp);
	if (rc == STORE_OK) {
		if (nested)
			rc = sqlite3_exec(st->db, "RELEASE classified", NULL, NULL, NULL) == SQLITE_OK
				     ? STORE_OK
				     : store_fail(st, "cannot release a savepoint");
		else
			rc = store_commit(st);
		if (rc == STORE_OK)
			return STORE_OK;
	}
	snprintf(saved, sizeof(saved), "%s", st->errmsg);
	if (nested) {
		sqlite3_exec(st->db, "ROLLBACK TO classified", NULL, NULL, NULL);
		sqlite3_exec(st->db, "RELEASE classified", NULL, NULL, NULL);
	} else {
		store_rollback(st);
	}
	snprintf(st->errmsg, sizeof(st->errmsg), "%s", saved);
	return rc;
}
