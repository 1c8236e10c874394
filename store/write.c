/*
 * write: inserting and updating single rows, by their natural keys.
 */

#include <stdio.h>
#include <string.h>

#include "store-internal.h"

int
store_step_id(struct store *st, sqlite3_stmt *stmt, const char *what, int64_t *id)
{
	int rc = sqlite3_step(stmt);

	if (rc == SQLITE_ROW) {
		if (id != NULL)
			*id = sqlite3_column_int64(stmt, 0);
		/* Run RETURNING statements to completion. */
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			;
	} else if (rc == SQLITE_DONE) {
		sqlite3_reset(stmt);
		return STORE_NOT_FOUND;
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, what);
	return STORE_OK;
}

int
store_put_platform(struct store *st, const char *slug, const char *name,
		   const char *operator_name, const char *sector, const char *homepage,
		   int64_t *id)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_PLATFORM_PUT);

	if (stmt == NULL)
		return STORE_ERROR;
	store_bind_text(stmt, 1, slug);
	store_bind_text(stmt, 2, name);
	store_bind_text(stmt, 3, operator_name != NULL ? operator_name : "");
	store_bind_text(stmt, 4, sector != NULL ? sector : "");
	store_bind_text(stmt, 5, homepage != NULL ? homepage : "");
	return store_step_id(st, stmt, "cannot store platform", id);
}

int
store_put_document(struct store *st, int64_t platform_id, const char *kind, const char *title,
		   const char *url, const char *declaration, int64_t *id)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_DOCUMENT_PUT);

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, platform_id);
	store_bind_text(stmt, 2, kind);
	store_bind_text(stmt, 3, title);
	store_bind_text(stmt, 4, url);
	store_bind_text(stmt, 5, declaration);
	return store_step_id(st, stmt, "cannot store document", id);
}

int
store_add_version(struct store *st, int64_t document_id, const char *retrieved_at,
		  const char *source, const char *sha256, const char *text, int64_t *id,
		  int *created)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_VERSION_FIND);
	int rc;

	if (created != NULL)
		*created = 0;
	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, document_id);
	store_bind_text(stmt, 2, sha256);
	rc = store_step_id(st, stmt, "cannot look up version", id);
	if (rc != STORE_NOT_FOUND)
		return rc;

	stmt = store_stmt(st, STMT_VERSION_ADD);
	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, document_id);
	store_bind_text(stmt, 2, retrieved_at);
	store_bind_text(stmt, 3, source);
	store_bind_text(stmt, 4, sha256);
	store_bind_text(stmt, 5, text);
	rc = store_step_done(st, stmt, "cannot store version");
	if (rc != STORE_OK)
		return rc;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(st->db);
	if (created != NULL)
		*created = 1;
	return STORE_OK;
}

int
store_put_type(struct store *st, const char *slug, const char *name, const char *topic,
	       const char *description, int64_t *id)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_TYPE_PUT);

	if (stmt == NULL)
		return STORE_ERROR;
	store_bind_text(stmt, 1, slug);
	store_bind_text(stmt, 2, name);
	store_bind_text(stmt, 3, topic);
	store_bind_text(stmt, 4, description);
	return store_step_id(st, stmt, "cannot store kind", id);
}

int
store_put_regulation(struct store *st, const char *slug, const char *framework,
		     const char *article, const char *title, const char *jurisdiction,
		     const char *authority, const char *max_penalty, const char *url, int64_t *id)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_REGULATION_PUT);

	if (stmt == NULL)
		return STORE_ERROR;
	store_bind_text(stmt, 1, slug);
	store_bind_text(stmt, 2, framework);
	store_bind_text(stmt, 3, article);
	store_bind_text(stmt, 4, title);
	store_bind_text(stmt, 5, jurisdiction);
	store_bind_text(stmt, 6, authority);
	store_bind_text(stmt, 7, max_penalty);
	store_bind_text(stmt, 8, url);
	return store_step_id(st, stmt, "cannot store regulation", id);
}

int
store_put_provision(struct store *st, const struct store_provision_in *p, int64_t *id)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_PROVISION_PUT);
	int rc;

	if (stmt == NULL)
		return STORE_ERROR;
	store_bind_text(stmt, 1, p->key);
	sqlite3_bind_int64(stmt, 2, p->document_id);
	store_bind_text(stmt, 3, p->kind);
	store_bind_text(stmt, 4, p->excerpt);
	store_bind_text(stmt, 5, p->headline != NULL ? p->headline : "");
	store_bind_text(stmt, 6, p->analysis != NULL ? p->analysis : "");
	store_bind_text(stmt, 7, p->impact != NULL ? p->impact : "");
	store_bind_text(stmt, 8, p->action != NULL ? p->action : "");
	store_bind_text(stmt, 9, p->severity != NULL ? p->severity : "medium");
	store_bind_text(stmt, 10, p->severity_reason != NULL ? p->severity_reason : "");
	if (p->first_version > 0)
		sqlite3_bind_int64(stmt, 11, p->first_version);
	if (p->last_version > 0)
		sqlite3_bind_int64(stmt, 12, p->last_version);
	store_bind_text(stmt, 13, p->status != NULL ? p->status : "current");
	store_bind_text(stmt, 14, p->origin != NULL ? p->origin : "curated");
	rc = store_step_id(st, stmt, "cannot store provision", id);
	if (rc == STORE_NOT_FOUND) {
		snprintf(st->errmsg, sizeof(st->errmsg), "cannot store provision: unknown kind '%s'",
			 p->kind);
		return STORE_ERROR;
	}
	return rc;
}

int
store_watch(struct store *st, int64_t platform_id, int on)
{
	sqlite3_stmt *stmt = store_stmt(st, on ? STMT_WATCH_ADD : STMT_WATCH_RM);

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, platform_id);
	return store_step_done(st, stmt, on ? "cannot watch platform" : "cannot unwatch platform");
}

int
store_mark_seen(struct store *st, int64_t platform_id)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_SEEN);

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, platform_id);
	return store_step_done(st, stmt, "cannot record that the platform was seen");
}
