/*
 * schema: the database schema and the migrations that build it.
 *
 * PRAGMA user_version says which migrations a database has had.  Each
 * migration runs in its own transaction together with the version bump, so
 * a database is always at one version or the next, never between: an
 * interrupted upgrade leaves the older version intact and is run again on
 * the next open.  Migrations only ever add or reshape, keeping every row.
 * A migration, once released, is never edited: a change is a new one.
 */

#include <sqlite3.h>
#include <stdio.h>

#include "store-internal.h"

/* Version 1: the catalogue, documents with their versions, provisions. */
static const char schema_v1[] =
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL"
	");"
	"CREATE TABLE platform ("
	"  id INTEGER PRIMARY KEY,"
	"  slug TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  operator TEXT NOT NULL DEFAULT '',"
	"  sector TEXT NOT NULL DEFAULT '',"
	"  homepage TEXT NOT NULL DEFAULT ''"
	");"
	"CREATE TABLE document ("
	"  id INTEGER PRIMARY KEY,"
	"  platform_id INTEGER NOT NULL REFERENCES platform(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  url TEXT NOT NULL,"
	"  declaration TEXT,"
	"  UNIQUE (platform_id, kind)"
	");"
	"CREATE TABLE version ("
	"  id INTEGER PRIMARY KEY,"
	"  document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,"
	"  retrieved_at TEXT NOT NULL,"
	"  source TEXT NOT NULL CHECK (source IN ('embedded', 'fetched', 'imported')),"
	"  etag TEXT,"
	"  last_modified TEXT,"
	"  sha256 TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  UNIQUE (document_id, sha256)"
	");"
	"CREATE INDEX version_by_date ON version(document_id, retrieved_at);"
	"CREATE TABLE provision_type ("
	"  id INTEGER PRIMARY KEY,"
	"  slug TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  topic TEXT NOT NULL DEFAULT '',"
	"  description TEXT NOT NULL DEFAULT ''"
	");"
	"CREATE TABLE regulation ("
	"  id INTEGER PRIMARY KEY,"
	"  slug TEXT NOT NULL UNIQUE,"
	"  framework TEXT NOT NULL,"
	"  article TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  authority TEXT NOT NULL DEFAULT '',"
	"  jurisdiction TEXT NOT NULL DEFAULT '',"
	"  max_penalty TEXT NOT NULL DEFAULT '',"
	"  url TEXT NOT NULL DEFAULT ''"
	");"
	"CREATE TABLE provision ("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT UNIQUE,"
	"  document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,"
	"  type_id INTEGER NOT NULL REFERENCES provision_type(id),"
	"  excerpt TEXT NOT NULL,"
	"  headline TEXT NOT NULL DEFAULT '',"
	"  analysis TEXT NOT NULL DEFAULT '',"
	"  impact TEXT NOT NULL DEFAULT '',"
	"  action TEXT NOT NULL DEFAULT '',"
	"  severity TEXT NOT NULL DEFAULT 'medium'"
	"    CHECK (severity IN ('high', 'medium', 'low', 'favourable')),"
	"  severity_reason TEXT NOT NULL DEFAULT '',"
	"  first_version INTEGER REFERENCES version(id),"
	"  last_version INTEGER REFERENCES version(id),"
	"  status TEXT NOT NULL DEFAULT 'current'"
	"    CHECK (status IN ('current', 'changed', 'removed')),"
	"  origin TEXT NOT NULL DEFAULT 'curated'"
	"    CHECK (origin IN ('curated', 'classified'))"
	");"
	"CREATE INDEX provision_by_document ON provision(document_id);"
	"CREATE INDEX provision_by_type ON provision(type_id);"
	"CREATE TABLE provision_regulation ("
	"  provision_id INTEGER NOT NULL REFERENCES provision(id) ON DELETE CASCADE,"
	"  regulation_id INTEGER NOT NULL REFERENCES regulation(id) ON DELETE CASCADE,"
	"  why TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY (provision_id, regulation_id)"
	");"
	"CREATE TABLE type_regulation ("
	"  type_id INTEGER NOT NULL REFERENCES provision_type(id) ON DELETE CASCADE,"
	"  regulation_id INTEGER NOT NULL REFERENCES regulation(id) ON DELETE CASCADE,"
	"  why TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY (type_id, regulation_id)"
	");";

/*
 * Version 2: the full-text index over provisions.
 *
 * An external-content FTS5 table: the text lives in provision, platform and
 * provision_type, and the view provision_search presents it in the index's
 * columns.  Triggers keep the index in step.  FTS5 must be told the exact
 * old values of a row it deletes, so the deletes read them while the
 * document and platform rows still exist: a document or platform being
 * deleted first deletes its provisions (BEFORE DELETE), and a renamed
 * platform or kind re-indexes its provisions.
 */
static const char schema_v2[] =
	"CREATE VIEW provision_search AS"
	"  SELECT p.id AS rowid, p.excerpt, p.headline, p.impact,"
	"         pl.name || ' ' || pl.slug AS platform, t.slug || ' ' || t.name AS kind"
	"  FROM provision p"
	"  JOIN document d ON d.id = p.document_id"
	"  JOIN platform pl ON pl.id = d.platform_id"
	"  JOIN provision_type t ON t.id = p.type_id;"
	"CREATE VIRTUAL TABLE provision_fts USING fts5("
	"  excerpt, headline, impact, platform, kind,"
	"  content='provision_search', content_rowid='rowid',"
	"  tokenize='porter unicode61 remove_diacritics 2');"
	"CREATE TRIGGER provision_fts_insert AFTER INSERT ON provision BEGIN"
	"  INSERT INTO provision_fts(rowid, excerpt, headline, impact, platform, kind)"
	"  SELECT rowid, excerpt, headline, impact, platform, kind"
	"  FROM provision_search WHERE rowid = new.id;"
	"END;"
	"CREATE TRIGGER provision_fts_delete BEFORE DELETE ON provision BEGIN"
	"  INSERT INTO provision_fts(provision_fts, rowid, excerpt, headline, impact, platform, kind)"
	"  SELECT 'delete', rowid, excerpt, headline, impact, platform, kind"
	"  FROM provision_search WHERE rowid = old.id;"
	"END;"
	"CREATE TRIGGER provision_fts_update_before BEFORE UPDATE ON provision BEGIN"
	"  INSERT INTO provision_fts(provision_fts, rowid, excerpt, headline, impact, platform, kind)"
	"  SELECT 'delete', rowid, excerpt, headline, impact, platform, kind"
	"  FROM provision_search WHERE rowid = old.id;"
	"END;"
	"CREATE TRIGGER provision_fts_update_after AFTER UPDATE ON provision BEGIN"
	"  INSERT INTO provision_fts(rowid, excerpt, headline, impact, platform, kind)"
	"  SELECT rowid, excerpt, headline, impact, platform, kind"
	"  FROM provision_search WHERE rowid = new.id;"
	"END;"
	"CREATE TRIGGER document_delete_provisions BEFORE DELETE ON document BEGIN"
	"  DELETE FROM provision WHERE document_id = old.id;"
	"END;"
	"CREATE TRIGGER platform_delete_documents BEFORE DELETE ON platform BEGIN"
	"  DELETE FROM document WHERE platform_id = old.id;"
	"END;"
	"CREATE TRIGGER platform_fts_rename_before BEFORE UPDATE OF name, slug ON platform BEGIN"
	"  INSERT INTO provision_fts(provision_fts, rowid, excerpt, headline, impact, platform, kind)"
	"  SELECT 'delete', s.rowid, s.excerpt, s.headline, s.impact, s.platform, s.kind"
	"  FROM provision_search s JOIN provision p ON p.id = s.rowid"
	"  JOIN document d ON d.id = p.document_id WHERE d.platform_id = old.id;"
	"END;"
	"CREATE TRIGGER platform_fts_rename_after AFTER UPDATE OF name, slug ON platform BEGIN"
	"  INSERT INTO provision_fts(rowid, excerpt, headline, impact, platform, kind)"
	"  SELECT s.rowid, s.excerpt, s.headline, s.impact, s.platform, s.kind"
	"  FROM provision_search s JOIN provision p ON p.id = s.rowid"
	"  JOIN document d ON d.id = p.document_id WHERE d.platform_id = new.id;"
	"END;"
	"CREATE TRIGGER type_fts_rename_before BEFORE UPDATE OF slug, name ON provision_type BEGIN"
	"  INSERT INTO provision_fts(provision_fts, rowid, excerpt, headline, impact, platform, kind)"
	"  SELECT 'delete', s.rowid, s.excerpt, s.headline, s.impact, s.platform, s.kind"
	"  FROM provision_search s JOIN provision p ON p.id = s.rowid WHERE p.type_id = old.id;"
	"END;"
	"CREATE TRIGGER type_fts_rename_after AFTER UPDATE OF slug, name ON provision_type BEGIN"
	"  INSERT INTO provision_fts(rowid, excerpt, headline, impact, platform, kind)"
	"  SELECT s.rowid, s.excerpt, s.headline, s.impact, s.platform, s.kind"
	"  FROM provision_search s JOIN provision p ON p.id = s.rowid WHERE p.type_id = new.id;"
	"END;"
	/* Index what a version-1 database already holds. */
	"INSERT INTO provision_fts(provision_fts) VALUES ('rebuild');";

/*
 * Version 3: the index made fast for what the browser and the CLI ask.
 * Prefix queries (train*) get prefix indexes of 2, 3 and 4 characters, and
 * the rank is set once, so that "ORDER BY rank" lets FTS5 hand back the
 * best rows first and a LIMIT stops the join, the snippets and the reading
 * of rows after the last one shown.  The table is rebuilt from its
 * content: the triggers of version 2 keep working on the new table.
 */
static const char schema_v3[] =
	"DROP TABLE provision_fts;"
	"CREATE VIRTUAL TABLE provision_fts USING fts5("
	"  excerpt, headline, impact, platform, kind,"
	"  content='provision_search', content_rowid='rowid',"
	"  tokenize='porter unicode61 remove_diacritics 2', prefix='2 3 4');"
	"INSERT INTO provision_fts(provision_fts, rank)"
	"  VALUES ('rank', 'bm25(4.0, 3.0, 2.0, 1.0, 1.0)');"
	"INSERT INTO provision_fts(provision_fts) VALUES ('rebuild');"
	/* The per-severity counts of each platform, and the platforms that
	 * have a kind, read from indexes without the provisions' text. */
	"CREATE INDEX provision_by_document_severity ON provision(document_id, severity);"
	"DROP INDEX provision_by_document;"
	"CREATE INDEX provision_by_type_document ON provision(type_id, document_id);"
	"DROP INDEX provision_by_type;";

/* Version 4: the platforms the user watches for changes. */
static const char schema_v4[] =
	"CREATE TABLE watch ("
	"  platform_id INTEGER PRIMARY KEY REFERENCES platform(id) ON DELETE CASCADE,"
	"  added_at TEXT NOT NULL"
	");";

/*
 * Version 5: what the fetcher needs.  A document remembers the validators
 * of its last answer (ETag, Last-Modified) and when it was last checked;
 * a change records a new version of a document and what it did to each of
 * its provisions; every fetch attempt is logged.  A change is the
 * platform's ('platform') or a re-extraction of the same text under new
 * rules ('technical'), which is not shown as the platform's change.
 */
static const char schema_v5[] =
	"ALTER TABLE document ADD COLUMN etag TEXT;"
	"ALTER TABLE document ADD COLUMN last_modified TEXT;"
	"ALTER TABLE document ADD COLUMN checked_at TEXT;"
	"CREATE TABLE change ("
	"  id INTEGER PRIMARY KEY,"
	"  document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,"
	"  from_version INTEGER REFERENCES version(id),"
	"  to_version INTEGER NOT NULL REFERENCES version(id),"
	"  detected_at TEXT NOT NULL,"
	"  cause TEXT NOT NULL DEFAULT 'platform' CHECK (cause IN ('platform', 'technical')),"
	"  added INTEGER NOT NULL DEFAULT 0,"
	"  removed INTEGER NOT NULL DEFAULT 0,"
	"  changed INTEGER NOT NULL DEFAULT 0,"
	"  summary TEXT NOT NULL DEFAULT '',"
	"  UNIQUE (document_id, to_version)"
	");"
	"CREATE INDEX change_by_date ON change(detected_at);"
	"CREATE TABLE provision_change ("
	"  change_id INTEGER NOT NULL REFERENCES change(id) ON DELETE CASCADE,"
	"  provision_id INTEGER NOT NULL REFERENCES provision(id) ON DELETE CASCADE,"
	"  what TEXT NOT NULL CHECK (what IN ('current', 'changed', 'removed')),"
	"  before TEXT,"
	"  after TEXT,"
	"  PRIMARY KEY (change_id, provision_id)"
	");"
	"CREATE INDEX provision_change_by_provision ON provision_change(provision_id);"
	"CREATE TABLE fetch_log ("
	"  id INTEGER PRIMARY KEY,"
	"  document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,"
	"  at TEXT NOT NULL,"
	"  url TEXT NOT NULL DEFAULT '',"
	"  outcome TEXT NOT NULL,"
	"  http_status INTEGER,"
	"  bytes INTEGER,"
	"  error TEXT"
	");"
	"CREATE INDEX fetch_log_by_document ON fetch_log(document_id, at);";

/* Version 6: when the user last looked at each platform in the browser, so
 * that changes since are marked. */
static const char schema_v6[] =
	"CREATE TABLE seen ("
	"  platform_id INTEGER PRIMARY KEY REFERENCES platform(id) ON DELETE CASCADE,"
	"  at TEXT NOT NULL"
	");";

/* Version 7: for the start, which would otherwise read whole indexes:
 * counts kept by triggers, of the provisions (count(*) reads every entry
 * of an index, 8 ms at 100,000) and of the versions ever added, which
 * every new version bumps, so that a start can tell from one lookup that
 * every document was classified since (store_classify_pending) instead
 * of asking each document for its newest version; and the platforms by
 * name, the order every list and "how other platforms handle this" read
 * them in. */
static const char schema_v7[] =
	"INSERT INTO meta(key, value) VALUES"
	"  ('provision-count', CAST((SELECT count(*) FROM provision) AS TEXT))"
	"  ON CONFLICT(key) DO UPDATE SET value = excluded.value;"
	"CREATE TRIGGER provision_count_insert AFTER INSERT ON provision BEGIN"
	"  UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"
	"  WHERE key = 'provision-count';"
	"END;"
	"CREATE TRIGGER provision_count_delete AFTER DELETE ON provision BEGIN"
	"  UPDATE meta SET value = CAST(CAST(value AS INTEGER) - 1 AS TEXT)"
	"  WHERE key = 'provision-count';"
	"END;"
	"CREATE INDEX platform_by_name ON platform(name COLLATE NOCASE);"
	"CREATE TRIGGER version_generation AFTER INSERT ON version BEGIN"
	"  INSERT INTO meta(key, value) VALUES ('version-generation', '1')"
	"  ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT);"
	"END;";

/*
 * Version 8: prefix entries of 5 characters too.  FTS5 answers a prefix
 * it keeps no entries for by merging the lists of every term the prefix
 * begins, anew for each statement that asks: a search for "servi*" ran
 * that merge three times (its ranking, the walk that ranks, its snippets),
 * half of its time, where "serv*" looks up one term.  Prefixes of four and
 * five letters are what a user types (and the bench asks); the index grows
 * by a sixth.  The table is rebuilt from its content as in version 3.
 */
static const char schema_v8[] =
	"DROP TABLE provision_fts;"
	"CREATE VIRTUAL TABLE provision_fts USING fts5("
	"  excerpt, headline, impact, platform, kind,"
	"  content='provision_search', content_rowid='rowid',"
	"  tokenize='porter unicode61 remove_diacritics 2', prefix='2 3 4 5');"
	"INSERT INTO provision_fts(provision_fts, rank)"
	"  VALUES ('rank', 'bm25(4.0, 3.0, 2.0, 1.0, 1.0)');"
	"INSERT INTO provision_fts(provision_fts) VALUES ('rebuild');";

/* migrations[i] takes a database from version i to version i + 1. */
static const char *const migrations[] = {
	schema_v1,
	schema_v2,
	schema_v3,
	schema_v4,
	schema_v5,
	schema_v6,
	schema_v7,
	schema_v8,
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) == STORE_SCHEMA_VERSION,
	       "one migration per schema version");

static int
schema_read_version(sqlite3 *db, int *version)
{
	sqlite3_stmt *stmt;
	int rc;

	rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*version = sqlite3_column_int(stmt, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Run the next migration, with its version bump, in one transaction.  The
 * version is read again under the write lock: another process may have
 * upgraded the database while this one waited for it.  *version is left at
 * the version the database is at; *msg may receive an error to free. */
static int
schema_step(sqlite3 *db, int target, int *version, char **msg)
{
	char bump[64];
	int rc;

	if ((rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, msg)) != SQLITE_OK
	    || (rc = schema_read_version(db, version)) != SQLITE_OK)
		return rc;
	if (*version >= target)
		return sqlite3_exec(db, "COMMIT", NULL, NULL, msg);
	snprintf(bump, sizeof(bump), "PRAGMA user_version = %d", *version + 1);
	if ((rc = sqlite3_exec(db, migrations[*version], NULL, NULL, msg)) != SQLITE_OK
	    || (rc = sqlite3_exec(db, bump, NULL, NULL, msg)) != SQLITE_OK
	    || (rc = sqlite3_exec(db, "COMMIT", NULL, NULL, msg)) != SQLITE_OK)
		return rc;
	(*version)++;
	return SQLITE_OK;
}

/*
** Bring db up to target (at most STORE_SCHEMA_VERSION), one migration per
** transaction.  Returns STORE_OK, STORE_TOO_NEW for a database written by a
** newer clause, or STORE_ERROR with the reason in err.
*/
int
store_schema_migrate(sqlite3 *db, int target, char *err, size_t errsize)
{
	int version = 0;

	if (schema_read_version(db, &version) != SQLITE_OK) {
		snprintf(err, errsize, "cannot read schema version: %s", sqlite3_errmsg(db));
		return STORE_ERROR;
	}
	if (version > STORE_SCHEMA_VERSION) {
		snprintf(err, errsize, "database schema version %d is newer than this clause (%d)",
			 version, STORE_SCHEMA_VERSION);
		return STORE_TOO_NEW;
	}
	while (version < target) {
		char *msg = NULL;

		if (schema_step(db, target, &version, &msg) != SQLITE_OK) {
			snprintf(err, errsize, "cannot upgrade schema to version %d: %s",
				 version + 1, msg != NULL ? msg : sqlite3_errmsg(db));
			sqlite3_free(msg);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return STORE_ERROR;
		}
	}
	return STORE_OK;
}
