/*
 * load: writing the embedded dataset into the database.
 *
 * The dataset owns the curated rows: kinds, regulations, the platforms and
 * documents it names, their embedded versions and the curated provisions.
 * Loading a newer dataset updates those rows in place (ids stay, so a
 * provision's id is stable across upgrades), adds the versions the database
 * lacks and deletes the curated provisions it no longer has.  What the user
 * fetched or added (versions, platforms, documents, classified provisions)
 * is never touched.  Everything happens in one transaction.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "store-internal.h"

/* The meta key that records which dataset is loaded. */
#define META_DATASET "dataset_digest"

int
store_dataset_is_current(struct store *st, const char *digest)
{
	sqlite3_stmt *stmt = store_stmt(st, STMT_META_GET);
	int current = 0;

	if (stmt == NULL)
		return 0;
	store_bind_text(stmt, 1, META_DATASET);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *value = store_column_text(stmt, 0);

		current = value != NULL && strcmp(value, digest) == 0;
	}
	sqlite3_reset(stmt);
	return current;
}

static int
load_regulation_refs(struct store *st, enum store_stmt clear, enum store_stmt add, int64_t id,
		     const struct dataset_regulation_ref *refs, size_t n)
{
	sqlite3_stmt *stmt = store_stmt(st, clear);
	size_t i;
	int rc;

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, id);
	if ((rc = store_step_done(st, stmt, "cannot clear regulations")) != STORE_OK)
		return rc;
	for (i = 0; i < n; i++) {
		if ((stmt = store_stmt(st, add)) == NULL)
			return STORE_ERROR;
		sqlite3_bind_int64(stmt, 1, id);
		store_bind_text(stmt, 2, refs[i].regulation);
		store_bind_text(stmt, 3, refs[i].why);
		if ((rc = store_step_done(st, stmt, "cannot link regulation")) != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

static int
load_catalogue(struct store *st, const struct dataset *ds)
{
	size_t i;
	int64_t id;
	int rc;

	for (i = 0; i < ds->nregulations; i++) {
		const struct dataset_regulation *r = &ds->regulations[i];

		rc = store_put_regulation(st, r->slug, r->framework, r->article, r->title,
					  r->jurisdiction, r->authority, r->max_penalty, r->url,
					  &id);
		if (rc != STORE_OK)
			return rc;
	}
	for (i = 0; i < ds->nkinds; i++) {
		const struct dataset_kind *k = &ds->kinds[i];

		rc = store_put_type(st, k->slug, k->name, k->topic, k->description, &id);
		if (rc == STORE_OK)
			rc = load_regulation_refs(st, STMT_TYPE_REGULATION_CLEAR,
						  STMT_TYPE_REGULATION_ADD, id, k->regulations,
						  k->nregulations);
		if (rc != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

static int
load_platform(struct store *st, const struct dataset_platform *pl)
{
	int64_t platform_id, *version_ids[64] = { NULL }, document_ids[64];
	size_t i, v;
	int rc;

	if (pl->ndocuments > sizeof(document_ids) / sizeof(document_ids[0])) {
		snprintf(st->errmsg, sizeof(st->errmsg), "platform '%s' has too many documents",
			 pl->slug);
		return STORE_ERROR;
	}
	rc = store_put_platform(st, pl->slug, pl->name, pl->operator_name, pl->sector,
				pl->homepage, &platform_id);
	for (i = 0; rc == STORE_OK && i < pl->ndocuments; i++) {
		const struct dataset_document *d = &pl->documents[i];

		rc = store_put_document(st, platform_id, d->kind, d->title, d->url,
					d->declaration, &document_ids[i]);
		if (rc != STORE_OK)
			break;
		version_ids[i] = calloc(d->nversions, sizeof(**version_ids));
		if (version_ids[i] == NULL) {
			snprintf(st->errmsg, sizeof(st->errmsg), "out of memory");
			rc = STORE_ERROR;
			break;
		}
		for (v = 0; rc == STORE_OK && v < d->nversions; v++)
			rc = store_add_version(st, document_ids[i], d->versions[v].retrieved_at,
					       "embedded", d->versions[v].sha256,
					       d->versions[v].text, &version_ids[i][v], NULL);
	}
	for (i = 0; rc == STORE_OK && i < pl->nprovisions; i++) {
		const struct dataset_provision *pv = &pl->provisions[i];
		struct store_provision_in in = {
			.key = pv->key,
			.document_id = document_ids[pv->document],
			.kind = pv->kind,
			.excerpt = pv->excerpt,
			.headline = pv->headline,
			.analysis = pv->analysis,
			.impact = pv->impact,
			.action = pv->action,
			.severity = pv->severity,
			.severity_reason = pv->severity_reason,
			.first_version = version_ids[pv->document][pv->first_version],
			.last_version = version_ids[pv->document][pv->last_version],
			.status = pv->status,
			.origin = "curated",
		};
		sqlite3_stmt *stmt;
		int64_t id;

		rc = store_put_provision(st, &in, &id);
		if (rc == STORE_OK)
			rc = load_regulation_refs(st, STMT_PROVISION_REGULATION_CLEAR,
						  STMT_PROVISION_REGULATION_ADD, id,
						  pv->regulations, pv->nregulations);
		if (rc == STORE_OK && (stmt = store_stmt(st, STMT_CURATED_KEY_KEEP)) == NULL)
			rc = STORE_ERROR;
		if (rc == STORE_OK) {
			store_bind_text(stmt, 1, pv->key);
			rc = store_step_done(st, stmt, "cannot record dataset key");
		}
	}
	for (i = 0; i < pl->ndocuments && i < sizeof(version_ids) / sizeof(version_ids[0]); i++)
		free(version_ids[i]);
	return rc;
}

static int
load_run(struct store *st, enum store_stmt id, const char *what)
{
	sqlite3_stmt *stmt = store_stmt(st, id);

	return stmt == NULL ? STORE_ERROR : store_step_done(st, stmt, what);
}

int
store_load_dataset(struct store *st, const struct dataset *ds, const char *digest)
{
	sqlite3_stmt *stmt;
	size_t i;
	int rc;

	if ((rc = store_begin(st)) != STORE_OK)
		return rc;
	/* Another process may have loaded it while this one waited. */
	if (store_dataset_is_current(st, digest))
		return store_commit(st);
	rc = load_run(st, STMT_CURATED_KEYS_MARK, "cannot prepare dataset load");
	if (rc == STORE_OK)
		rc = load_run(st, STMT_CURATED_KEYS_RESET, "cannot prepare dataset load");
	if (rc == STORE_OK)
		rc = load_catalogue(st, ds);
	for (i = 0; rc == STORE_OK && i < ds->nplatforms; i++)
		rc = load_platform(st, &ds->platforms[i]);
	if (rc == STORE_OK)
		rc = load_run(st, STMT_CURATED_STALE_DELETE, "cannot drop stale provisions");
	if (rc == STORE_OK && (stmt = store_stmt(st, STMT_META_SET)) == NULL)
		rc = STORE_ERROR;
	if (rc == STORE_OK) {
		store_bind_text(stmt, 1, META_DATASET);
		store_bind_text(stmt, 2, digest);
		rc = store_step_done(st, stmt, "cannot record dataset");
	}
	if (rc == STORE_OK)
		rc = store_commit(st);
	if (rc != STORE_OK) {
		char saved[sizeof(st->errmsg)];

		snprintf(saved, sizeof(saved), "%s", st->errmsg);
		store_rollback(st);
		snprintf(st->errmsg, sizeof(st->errmsg), "%s", saved);
	}
	return rc;
}
