/*
 * read: walking the rows the CLI and the UI show.
 *
 * Each walk steps one prepared statement and hands every row to the
 * caller's callback as a struct of strings borrowed from the statement.
 */

#include <stdio.h>
#include <string.h>

#include "store-internal.h"

static void
row_platform(sqlite3_stmt *s, struct store_platform *p)
{
	p->id = sqlite3_column_int64(s, 0);
	p->slug = store_column_text(s, 1);
	p->name = store_column_text(s, 2);
	p->operator_name = store_column_text(s, 3);
	p->sector = store_column_text(s, 4);
	p->homepage = store_column_text(s, 5);
	p->watched = sqlite3_column_int(s, 6);
	p->documents = sqlite3_column_int(s, 7);
	p->provisions = sqlite3_column_int(s, 8);
	p->high = sqlite3_column_int(s, 9);
	p->medium = sqlite3_column_int(s, 10);
	p->low = sqlite3_column_int(s, 11);
	p->favourable = sqlite3_column_int(s, 12);
	p->unseen_changes = sqlite3_column_int(s, 13);
}

void
store_row_provision(sqlite3_stmt *s, struct store_provision *p)
{
	p->id = sqlite3_column_int64(s, 0);
	p->key = store_column_text(s, 1);
	p->platform_slug = store_column_text(s, 2);
	p->platform_name = store_column_text(s, 3);
	p->document_kind = store_column_text(s, 4);
	p->document_title = store_column_text(s, 5);
	p->url = store_column_text(s, 6);
	p->kind = store_column_text(s, 7);
	p->kind_name = store_column_text(s, 8);
	p->excerpt = store_column_text(s, 9);
	p->headline = store_column_text(s, 10);
	p->analysis = store_column_text(s, 11);
	p->impact = store_column_text(s, 12);
	p->action = store_column_text(s, 13);
	p->severity = store_column_text(s, 14);
	p->severity_reason = store_column_text(s, 15);
	p->status = store_column_text(s, 16);
	p->origin = store_column_text(s, 17);
	p->version_date = store_column_text(s, 18);
	p->version_sha256 = store_column_text(s, 19);
	p->first_seen = store_column_text(s, 20);
	p->platform_id = sqlite3_column_int64(s, 21);
	p->document_id = sqlite3_column_int64(s, 22);
}

static void
row_regulation(sqlite3_stmt *s, struct store_regulation *r)
{
	r->id = sqlite3_column_int64(s, 0);
	r->slug = store_column_text(s, 1);
	r->framework = store_column_text(s, 2);
	r->article = store_column_text(s, 3);
	r->title = store_column_text(s, 4);
	r->jurisdiction = store_column_text(s, 5);
	r->authority = store_column_text(s, 6);
	r->max_penalty = store_column_text(s, 7);
	r->url = store_column_text(s, 8);
	r->why = store_column_text(s, 9);
	r->via = store_column_text(s, 10);
}

static void
row_type(sqlite3_stmt *s, struct store_type *t)
{
	t->id = sqlite3_column_int64(s, 0);
	t->slug = store_column_text(s, 1);
	t->name = store_column_text(s, 2);
	t->topic = store_column_text(s, 3);
	t->description = store_column_text(s, 4);
	t->platforms = sqlite3_column_int(s, 5);
	t->provisions = sqlite3_column_int(s, 6);
	t->why = store_column_text(s, 7);
}

/* The end of a walk: reset stmt and turn the last step's code and the row
 * count into the walk's result. */
static int
walk_end(struct store *st, sqlite3_stmt *stmt, int rc, int rows, int want_row, const char *what)
{
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, what);
	return rows == 0 && want_row ? STORE_NOT_FOUND : STORE_OK;
}

/* A callback asked to stop: reset stmt and pass its value on. */
static int
walk_stop(sqlite3_stmt *stmt, int stop)
{
	sqlite3_reset(stmt);
	return stop;
}

static int
walk_platforms(struct store *st, sqlite3_stmt *stmt, const char *what, int want_row,
	       int (*cb)(const struct store_platform *, void *), void *ctx)
{
	struct store_platform row;
	int rc, stop, rows = 0;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		row_platform(stmt, &row);
		rows++;
		if ((stop = cb(&row, ctx)) != 0)
			return walk_stop(stmt, stop);
	}
	return walk_end(st, stmt, rc, rows, want_row, what);
}

static int
walk_provisions(struct store *st, sqlite3_stmt *stmt, const char *what, int want_row,
		int (*cb)(const struct store_provision *, void *), void *ctx)
{
	struct store_provision row;
	int rc, stop, rows = 0;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		store_row_provision(stmt, &row);
		rows++;
		if ((stop = cb(&row, ctx)) != 0)
			return walk_stop(stmt, stop);
	}
	return walk_end(st, stmt, rc, rows, want_row, what);
}

static int
walk_regulations(struct store *st, sqlite3_stmt *stmt, const char *what, int want_row,
		 int (*cb)(const struct store_regulation *, void *), void *ctx)
{
	struct store_regulation row;
	int rc, stop, rows = 0;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		row_regulation(stmt, &row);
		rows++;
		if ((stop = cb(&row, ctx)) != 0)
			return walk_stop(stmt, stop);
	}
	return walk_end(st, stmt, rc, rows, want_row, what);
}

static int
walk_types(struct store *st, sqlite3_stmt *stmt, const char *what, int want_row,
	   int (*cb)(const struct store_type *, void *), void *ctx)
{
	struct store_type row;
	int rc, stop, rows = 0;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		row_type(stmt, &row);
		rows++;
		if ((stop = cb(&row, ctx)) != 0)
			return walk_stop(stmt, stop);
	}
	return walk_end(st, stmt, rc, rows, want_row, what);
}

int
store_each_platform(struct store *st, int (*cb)(const struct store_platform *, void *),
		    void *ctx)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_PLATFORM_LIST);

	if (stmt == NULL)
		return STORE_ERROR;
	return walk_platforms(st, stmt, "cannot list platforms", 0, cb, ctx);
}

int
store_each_platform_name(struct store *st, int (*cb)(const struct store_platform *, void *),
			 void *ctx)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_PLATFORM_NAMES);

	if (stmt == NULL)
		return STORE_ERROR;
	return walk_platforms(st, stmt, "cannot list platforms", 0, cb, ctx);
}

int
store_each_watched(struct store *st, int (*cb)(const struct store_platform *, void *), void *ctx)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_WATCH_LIST);

	if (stmt == NULL)
		return STORE_ERROR;
	return walk_platforms(st, stmt, "cannot list watched platforms", 0, cb, ctx);
}

int
store_get_platform(struct store *st, int64_t id,
		   int (*cb)(const struct store_platform *, void *), void *ctx)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_PLATFORM_GET);

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, id);
	return walk_platforms(st, stmt, "cannot read platform", 1, cb, ctx);
}

int
store_count_provisions(struct store *st, int *count)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_PROVISION_COUNT);
	int rc;

	if (stmt == NULL)
		return STORE_ERROR;
	rc = sqlite3_step(stmt);
	*count = rc == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : 0;
	sqlite3_reset(stmt);
	return rc == SQLITE_ROW ? STORE_OK : store_fail(st, "cannot count provisions");
}

struct by_slug {
	const char *slug;
	int64_t id;
};

static int
keep_exact_slug(const struct store_platform *p, void *ctx)
{
	struct by_slug *b = ctx;

	if (strcmp(p->slug, b->slug) == 0)
		b->id = p->id;
	return 0;
}

int
store_platform_by_slug(struct store *st, const char *slug, int64_t *id)
{
	struct by_slug b = { slug, 0 };
	int rc = store_find_platform(st, slug, keep_exact_slug, &b);

	/* An exact slug ranks first; ambiguity among prefixes means none. */
	if (rc != STORE_OK && rc != STORE_NOT_FOUND && rc != STORE_AMBIGUOUS)
		return rc;
	if (b.id == 0)
		return STORE_NOT_FOUND;
	*id = b.id;
	return STORE_OK;
}

int
store_find_platform(struct store *st, const char *text,
		    int (*cb)(const struct store_platform *, void *), void *ctx)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_PLATFORM_FIND);
	struct store_platform found;
	int rc;

	if (stmt == NULL)
		return STORE_ERROR;
	store_bind_text(stmt, 1, text);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE
	    || (rc == SQLITE_ROW && sqlite3_column_int(stmt, 14) == 2
		&& sqlite3_column_int(stmt, 15) > 1)) {
		/* No platform, or only prefixes that several platforms share: an
		 * exact slug or name always wins over a prefix. */
		snprintf(st->errmsg, sizeof(st->errmsg), "%s platform '%s'",
			 rc == SQLITE_DONE ? "no" : "more than one", text);
		sqlite3_reset(stmt);
		return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_AMBIGUOUS;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(stmt);
		return store_fail(st, "cannot look up platform");
	}
	row_platform(stmt, &found);
	rc = cb(&found, ctx);
	sqlite3_reset(stmt);
	return rc;
}

int
store_each_document(struct store *st, int64_t platform_id,
		    int (*cb)(const struct store_document *, void *), void *ctx)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_DOCUMENT_LIST);
	struct store_document d;
	int rc;

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, platform_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int stop;

		d.id = sqlite3_column_int64(stmt, 0);
		d.kind = store_column_text(stmt, 1);
		d.title = store_column_text(stmt, 2);
		d.url = store_column_text(stmt, 3);
		d.versions = sqlite3_column_int(stmt, 4);
		d.latest = store_column_text(stmt, 5);
		d.provisions = sqlite3_column_int(stmt, 6);
		if ((stop = cb(&d, ctx)) != 0) {
			sqlite3_reset(stmt);
			return stop;
		}
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? STORE_OK : store_fail(st, "cannot list documents");
}

/* Bind a filter's platform, kind and severity to parameters ?2, ?3 and ?5,
 * as the STMT_PROVISION_* statements take them. */
int
store_count_versions(struct store *st, int64_t document_id, int *count, char first[11])
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_VERSION_COUNT);
	const char *date;
	int rc;

	*count = 0;
	first[0] = '\0';
	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, document_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*count = sqlite3_column_int(stmt, 0);
		date = store_column_text(stmt, 1);
		snprintf(first, 11, "%.10s", date != NULL ? date : "");
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_ROW ? STORE_OK : store_fail(st, "cannot count versions");
}

int
store_each_version(struct store *st, int64_t document_id, int with_text,
		   int (*cb)(const struct store_version *, void *), void *ctx)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_VERSION_LIST);
	struct store_version v;
	int rc;

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, document_id);
	sqlite3_bind_int(stmt, 2, with_text != 0);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int stop;

		v.id = sqlite3_column_int64(stmt, 0);
		v.retrieved_at = store_column_text(stmt, 1);
		v.source = store_column_text(stmt, 2);
		v.sha256 = store_column_text(stmt, 3);
		v.text = store_column_text(stmt, 4);
		v.size = (size_t)sqlite3_column_int64(stmt, 5);
		if ((stop = cb(&v, ctx)) != 0) {
			sqlite3_reset(stmt);
			return stop;
		}
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? STORE_OK : store_fail(st, "cannot list versions");
}

static void
bind_filter(sqlite3_stmt *stmt, const struct store_provision_filter *f)
{
	sqlite3_bind_int64(stmt, 2, f != NULL ? f->platform_id : 0);
	store_bind_text(stmt, 3, f != NULL ? f->kind : NULL);
	store_bind_text(stmt, 5, f != NULL ? f->severity : NULL);
}

int
store_each_provision(struct store *st, const struct store_provision_filter *f,
		     int (*cb)(const struct store_provision *, void *), void *ctx)
{
	enum store_stmt id = STMT_PROVISION_ALL;
	sqlite3_stmt *stmt;

	if (f != NULL && f->id != 0)
		id = STMT_PROVISION_BY_ID;
	else if (f != NULL && f->platform_id != 0)
		id = STMT_PROVISION_BY_PLATFORM;
	else if (f != NULL && f->kind != NULL)
		id = STMT_PROVISION_BY_KIND;
	if ((stmt = store_stmt(st, id)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, f != NULL ? f->id : 0);
	bind_filter(stmt, f);
	return walk_provisions(st, stmt, "cannot list provisions", f != NULL && f->id != 0, cb,
			       ctx);
}

int
store_each_provision_elsewhere(struct store *st, const char *kind, int64_t platform_id,
			       int limit, int (*cb)(const struct store_provision *, void *),
			       void *ctx)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_PROVISION_ELSEWHERE);

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 2, platform_id);
	store_bind_text(stmt, 3, kind);
	sqlite3_bind_int(stmt, 4, limit > 0 ? limit : -1);
	return walk_provisions(st, stmt, "cannot list provisions", 0, cb, ctx);
}

int
store_each_provision_regulation(struct store *st, int64_t provision_id,
				int (*cb)(const struct store_regulation *, void *), void *ctx)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_PROVISION_REGULATIONS);

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, provision_id);
	return walk_regulations(st, stmt, "cannot list regulations", 0, cb, ctx);
}

int
store_each_regulation(struct store *st, const char *framework,
		      int (*cb)(const struct store_regulation *, void *), void *ctx)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_REGULATION_LIST);

	if (stmt == NULL)
		return STORE_ERROR;
	store_bind_text(stmt, 1, framework);
	return walk_regulations(st, stmt, "cannot list regulations", framework != NULL, cb, ctx);
}

int
store_each_type(struct store *st, int (*cb)(const struct store_type *, void *), void *ctx)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_TYPE_LIST);

	if (stmt == NULL)
		return STORE_ERROR;
	return walk_types(st, stmt, "cannot list kinds", 0, cb, ctx);
}

int
store_find_type(struct store *st, const char *slug,
		int (*cb)(const struct store_type *, void *), void *ctx)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_TYPE_FIND);
	int rc;

	if (stmt == NULL)
		return STORE_ERROR;
	store_bind_text(stmt, 1, slug);
	rc = walk_types(st, stmt, "cannot look up kind", 1, cb, ctx);
	if (rc == STORE_NOT_FOUND)
		snprintf(st->errmsg, sizeof(st->errmsg), "no kind '%s'", slug);
	return rc;
}

int
store_each_regulation_type(struct store *st, int64_t regulation_id,
			   int (*cb)(const struct store_type *, void *), void *ctx)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_REGULATION_TYPES);

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, regulation_id);
	return walk_types(st, stmt, "cannot list kinds", 0, cb, ctx);
}
