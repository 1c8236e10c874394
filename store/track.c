/*
 * track: what the fetcher reads and records about the documents it keeps
 * up to date: their validators, the log of every attempt, new versions'
 * changes and what each change did to the document's provisions.
 */

#include <stdio.h>

#include "store-internal.h"

int
store_each_fetch_target(struct store *st, int64_t platform_id, int watched_only,
			int64_t document_id,
			int (*cb)(const struct store_fetch_target *, void *), void *ctx)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_FETCH_TARGETS);
	struct store_fetch_target t;
	int rc;

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, platform_id);
	sqlite3_bind_int(stmt, 2, watched_only != 0);
	sqlite3_bind_int64(stmt, 3, document_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int stop;

		t.document_id = sqlite3_column_int64(stmt, 0);
		t.platform_id = sqlite3_column_int64(stmt, 1);
		t.platform_slug = store_column_text(stmt, 2);
		t.platform_name = store_column_text(stmt, 3);
		t.kind = store_column_text(stmt, 4);
		t.url = store_column_text(stmt, 5);
		t.declaration = store_column_text(stmt, 6);
		t.etag = store_column_text(stmt, 7);
		t.last_modified = store_column_text(stmt, 8);
		t.latest_sha256 = store_column_text(stmt, 9);
		if ((stop = cb(&t, ctx)) != 0) {
			sqlite3_reset(stmt);
			return stop;
		}
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? STORE_OK : store_fail(st, "cannot list documents to fetch");
}

int
store_log_fetch(struct store *st, int64_t document_id, const char *at, const char *url,
		const char *outcome, int http_status, int64_t bytes, const char *error)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_FETCH_LOG_ADD);

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, document_id);
	store_bind_text(stmt, 2, at);
	store_bind_text(stmt, 3, url != NULL ? url : "");
	store_bind_text(stmt, 4, outcome);
	if (http_status > 0)
		sqlite3_bind_int(stmt, 5, http_status);
	if (bytes >= 0)
		sqlite3_bind_int64(stmt, 6, bytes);
	store_bind_text(stmt, 7, error);
	return store_step_done(st, stmt, "cannot log fetch");
}

int
store_document_checked(struct store *st, int64_t document_id, const char *at, const char *etag,
		       const char *last_modified)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_DOCUMENT_CHECKED);

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, document_id);
	store_bind_text(stmt, 2, at);
	store_bind_text(stmt, 3, etag);
	store_bind_text(stmt, 4, last_modified);
	return store_step_done(st, stmt, "cannot record document check");
}

int
store_version_validators(struct store *st, int64_t version_id, const char *etag,
			 const char *last_modified)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_VERSION_VALIDATORS);

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, version_id);
	store_bind_text(stmt, 2, etag);
	store_bind_text(stmt, 3, last_modified);
	return store_step_done(st, stmt, "cannot record version validators");
}

int
store_latest_version(struct store *st, int64_t document_id, const char *at,
		     int (*cb)(const struct store_version *, void *), void *ctx)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_VERSION_LATEST);
	struct store_version v;
	int rc;

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, document_id);
	store_bind_text(stmt, 2, at != NULL ? at : "9999");
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(stmt);
		return STORE_NOT_FOUND;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(stmt);
		return store_fail(st, "cannot read latest version");
	}
	v.id = sqlite3_column_int64(stmt, 0);
	v.retrieved_at = store_column_text(stmt, 1);
	v.source = store_column_text(stmt, 2);
	v.sha256 = store_column_text(stmt, 3);
	v.text = store_column_text(stmt, 4);
	v.size = (size_t)sqlite3_column_int64(stmt, 5);
	rc = cb(&v, ctx);
	sqlite3_reset(stmt);
	return rc;
}

int
store_has_version_after(struct store *st, int64_t document_id, const char *at, int *yes)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_VERSION_AFTER);
	int rc;

	*yes = 0;
	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, document_id);
	store_bind_text(stmt, 2, at);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*yes = sqlite3_column_int(stmt, 0);
	sqlite3_reset(stmt);
	return rc == SQLITE_ROW ? STORE_OK : store_fail(st, "cannot look for newer versions");
}

int
store_each_document_provision(struct store *st, int64_t document_id,
			      int (*cb)(const struct store_document_provision *, void *),
			      void *ctx)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_DOCUMENT_PROVISIONS);
	struct store_document_provision p;
	int rc;

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, document_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int stop;

		p.id = sqlite3_column_int64(stmt, 0);
		p.excerpt = store_column_text(stmt, 1);
		p.status = store_column_text(stmt, 2);
		p.kind = store_column_text(stmt, 3);
		p.origin = store_column_text(stmt, 4);
		p.kind_name = store_column_text(stmt, 5);
		if ((stop = cb(&p, ctx)) != 0) {
			sqlite3_reset(stmt);
			return stop;
		}
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? STORE_OK : store_fail(st, "cannot list document's provisions");
}

int
store_set_provision_state(struct store *st, int64_t provision_id, const char *status,
			  int64_t last_version)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_PROVISION_STATE);

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, provision_id);
	store_bind_text(stmt, 2, status);
	sqlite3_bind_int64(stmt, 3, last_version);
	return store_step_done(st, stmt, "cannot update provision");
}

int
store_add_change(struct store *st, const struct store_change_in *c, int64_t *id)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_CHANGE_ADD);

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, c->document_id);
	if (c->from_version > 0)
		sqlite3_bind_int64(stmt, 2, c->from_version);
	sqlite3_bind_int64(stmt, 3, c->to_version);
	store_bind_text(stmt, 4, c->detected_at);
	store_bind_text(stmt, 5, c->cause != NULL ? c->cause : "platform");
	sqlite3_bind_int(stmt, 6, c->added);
	sqlite3_bind_int(stmt, 7, c->removed);
	sqlite3_bind_int(stmt, 8, c->changed);
	store_bind_text(stmt, 9, c->summary != NULL ? c->summary : "");
	return store_step_id(st, stmt, "cannot record change", id);
}

int
store_add_provision_change(struct store *st, int64_t change_id, int64_t provision_id,
			   const char *what, const char *before, const char *after)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_PROVISION_CHANGE_ADD);

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, change_id);
	sqlite3_bind_int64(stmt, 2, provision_id);
	store_bind_text(stmt, 3, what);
	store_bind_text(stmt, 4, before);
	store_bind_text(stmt, 5, after);
	return store_step_done(st, stmt, "cannot record provision change");
}

int
store_each_change(struct store *st, const struct store_change_filter *f,
		  int (*cb)(const struct store_change *, void *), void *ctx)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_CHANGES_SINCE);
	struct store_change c;
	int rc;

	if (stmt == NULL)
		return STORE_ERROR;
	store_bind_text(stmt, 1, f->since != NULL ? f->since : "");
	sqlite3_bind_int(stmt, 2, f->watched_only != 0);
	sqlite3_bind_int(stmt, 3, f->technical != 0);
	sqlite3_bind_int64(stmt, 4, f->platform_id);
	sqlite3_bind_int64(stmt, 5, f->document_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int stop;

		c.id = sqlite3_column_int64(stmt, 0);
		c.document_id = sqlite3_column_int64(stmt, 1);
		c.platform_id = sqlite3_column_int64(stmt, 2);
		c.platform_slug = store_column_text(stmt, 3);
		c.platform_name = store_column_text(stmt, 4);
		c.kind = store_column_text(stmt, 5);
		c.title = store_column_text(stmt, 6);
		c.url = store_column_text(stmt, 7);
		c.detected_at = store_column_text(stmt, 8);
		c.cause = store_column_text(stmt, 9);
		c.added = sqlite3_column_int(stmt, 10);
		c.removed = sqlite3_column_int(stmt, 11);
		c.changed = sqlite3_column_int(stmt, 12);
		c.summary = store_column_text(stmt, 13);
		c.from_date = store_column_text(stmt, 14);
		c.to_date = store_column_text(stmt, 15);
		c.to_sha256 = store_column_text(stmt, 16);
		if ((stop = cb(&c, ctx)) != 0) {
			sqlite3_reset(stmt);
			return stop;
		}
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? STORE_OK : store_fail(st, "cannot list changes");
}

int
store_each_provision_change(struct store *st, int64_t change_id, int with_current,
			    int (*cb)(const struct store_provision_change *, void *), void *ctx)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_CHANGE_PROVISIONS);
	struct store_provision_change pc;
	int rc;

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, change_id);
	sqlite3_bind_int(stmt, 2, with_current != 0);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int stop;

		pc.provision_id = sqlite3_column_int64(stmt, 0);
		pc.what = store_column_text(stmt, 1);
		pc.before = store_column_text(stmt, 2);
		pc.after = store_column_text(stmt, 3);
		pc.kind = store_column_text(stmt, 4);
		pc.kind_name = store_column_text(stmt, 5);
		pc.headline = store_column_text(stmt, 6);
		if ((stop = cb(&pc, ctx)) != 0) {
			sqlite3_reset(stmt);
			return stop;
		}
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? STORE_OK : store_fail(st, "cannot list provision changes");
}

int
store_each_provision_event(struct store *st, int64_t provision_id,
			   int (*cb)(const struct store_provision_event *, void *), void *ctx)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_PROVISION_HISTORY);
	struct store_provision_event e;
	int rc;

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, provision_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int stop;

		e.change_id = sqlite3_column_int64(stmt, 0);
		e.what = store_column_text(stmt, 1);
		e.before = store_column_text(stmt, 2);
		e.after = store_column_text(stmt, 3);
		e.detected_at = store_column_text(stmt, 4);
		e.cause = store_column_text(stmt, 5);
		if ((stop = cb(&e, ctx)) != 0) {
			sqlite3_reset(stmt);
			return stop;
		}
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? STORE_OK : store_fail(st, "cannot read the provision's history");
}
