/*
 * statements: the SQL of every statement the store prepares.
 *
 * Kept in one table so that the whole of clause's SQL (but the schema, in
 * schema.c) can be read in one place.  Every value is a bound parameter.
 */

#include "store-internal.h"

/* The columns of struct store_provision, in its order (see read.c). */
#define PROVISION_COLUMNS \
	"p.id, p.key, pl.slug, pl.name, d.kind, d.title, d.url, t.slug, t.name," \
	" p.excerpt, p.headline, p.analysis, p.impact, p.action, p.severity," \
	" p.severity_reason, p.status, p.origin, lv.retrieved_at, lv.sha256, fv.retrieved_at," \
	" pl.id, p.document_id"
#define PROVISION_JOINS \
	" FROM provision p" PROVISION_JOINED
#define PROVISION_JOINED \
	" JOIN document d ON d.id = p.document_id" \
	" JOIN platform pl ON pl.id = d.platform_id" \
	" JOIN provision_type t ON t.id = p.type_id" \
	" LEFT JOIN version lv ON lv.id = p.last_version" \
	" LEFT JOIN version fv ON fv.id = p.first_version"

/* Whether the platform is watched (column 6 of every platform row). */
#define PLATFORM_WATCHED " EXISTS (SELECT 1 FROM watch w WHERE w.platform_id = pl.id),"
/* Whether a document of the platform changed (by the platform's doing)
 * since the user last looked at it in the browser. */
#define PLATFORM_UNSEEN \
	" EXISTS (SELECT 1 FROM document d JOIN change c ON c.document_id = d.id" \
	"  WHERE d.platform_id = pl.id AND c.cause = 'platform' AND c.from_version IS NOT NULL" \
	"    AND c.detected_at > coalesce((SELECT s.at FROM seen s WHERE s.platform_id = pl.id)," \
	"                                 ''))"

/* The columns of struct store_platform, from PLATFORM_FROM: it counts every
 * platform's provisions in one pass, for the whole list. */
#define PLATFORM_COLUMNS \
	"pl.id, pl.slug, pl.name, pl.operator, pl.sector, pl.homepage," PLATFORM_WATCHED \
	" (SELECT count(*) FROM document d WHERE d.platform_id = pl.id)," \
	" coalesce(ps.n, 0), coalesce(ps.high, 0), coalesce(ps.medium, 0)," \
	" coalesce(ps.low, 0), coalesce(ps.favourable, 0)," PLATFORM_UNSEEN
#define PLATFORM_FROM \
	" FROM platform pl LEFT JOIN" \
	" (SELECT d.platform_id AS platform_id, count(*) AS n," \
	"         sum(p.severity = 'high') AS high, sum(p.severity = 'medium') AS medium," \
	"         sum(p.severity = 'low') AS low, sum(p.severity = 'favourable') AS favourable" \
	"  FROM provision p JOIN document d ON d.id = p.document_id" \
	"  GROUP BY d.platform_id) ps ON ps.platform_id = pl.id"

/* The same columns for one platform: counted for that platform alone. */
#define PLATFORM_ONE_COLUMNS \
	"pl.id, pl.slug, pl.name, pl.operator, pl.sector, pl.homepage," PLATFORM_WATCHED \
	" (SELECT count(*) FROM document d WHERE d.platform_id = pl.id)," \
	PLATFORM_COUNT("1") "," PLATFORM_COUNT("p.severity = 'high'") "," \
	PLATFORM_COUNT("p.severity = 'medium'") "," PLATFORM_COUNT("p.severity = 'low'") "," \
	PLATFORM_COUNT("p.severity = 'favourable'") "," PLATFORM_UNSEEN
#define PLATFORM_COUNT(condition) \
	" (SELECT count(*) FROM document d JOIN provision p ON p.document_id = d.id" \
	"  WHERE d.platform_id = pl.id AND " condition ")"

#define REGULATION_COLUMNS \
	"r.id, r.slug, r.framework, r.article, r.title, r.jurisdiction, r.authority," \
	" r.max_penalty, r.url"

/* The columns of struct store_type, from TYPE_FROM: the counts of every
 * kind in one pass over the provisions. */
#define TYPE_COLUMNS \
	"t.id, t.slug, t.name, t.topic, t.description," \
	" coalesce(ts.platforms, 0), coalesce(ts.n, 0)"
#define TYPE_FROM \
	" FROM provision_type t LEFT JOIN" \
	" (SELECT p.type_id AS type_id, count(DISTINCT d.platform_id) AS platforms," \
	"         count(*) AS n" \
	"  FROM provision p JOIN document d ON d.id = p.document_id" \
	"  GROUP BY p.type_id) ts ON ts.type_id = t.id"
/* The same columns, counts left out (0), where a list does not show them. */
#define TYPE_PLAIN_COLUMNS "t.id, t.slug, t.name, t.topic, t.description, 0, 0"

/* A search's rank (see rank.c): column weights excerpt 4, headline 3,
 * impact 2, platform and kind 1. */
#define SEARCH_RANK "clause_rank(provision_fts, 4.0, 3.0, 2.0, 1.0, 1.0)"
#define SEARCH_RANK_WALK "clause_rank_walk(provision_fts, 4.0, 3.0, 2.0, 1.0, 1.0)"

static const char *const statement_sql[STMT_COUNT] = {
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
	[STMT_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[STMT_META_SET] =
		"INSERT INTO meta(key, value) VALUES (?1, ?2)"
		" ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[STMT_PLATFORM_PUT] =
		"INSERT INTO platform(slug, name, operator, sector, homepage)"
		" VALUES (?1, ?2, ?3, ?4, ?5)"
		" ON CONFLICT(slug) DO UPDATE SET name = excluded.name,"
		" operator = excluded.operator, sector = excluded.sector,"
		" homepage = excluded.homepage"
		" RETURNING id",
	[STMT_DOCUMENT_PUT] =
		"INSERT INTO document(platform_id, kind, title, url, declaration)"
		" VALUES (?1, ?2, ?3, ?4, ?5)"
		" ON CONFLICT(platform_id, kind) DO UPDATE SET title = excluded.title,"
		" url = excluded.url, declaration = excluded.declaration"
		" RETURNING id",
	[STMT_VERSION_FIND] = "SELECT id FROM version WHERE document_id = ?1 AND sha256 = ?2",
	[STMT_VERSION_ADD] =
		"INSERT INTO version(document_id, retrieved_at, source, sha256, text)"
		" VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_TYPE_PUT] =
		"INSERT INTO provision_type(slug, name, topic, description)"
		" VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT(slug) DO UPDATE SET name = excluded.name,"
		" topic = excluded.topic, description = excluded.description"
		" RETURNING id",
	[STMT_REGULATION_PUT] =
		"INSERT INTO regulation(slug, framework, article, title, jurisdiction,"
		" authority, max_penalty, url) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
		" ON CONFLICT(slug) DO UPDATE SET framework = excluded.framework,"
		" article = excluded.article, title = excluded.title,"
		" jurisdiction = excluded.jurisdiction, authority = excluded.authority,"
		" max_penalty = excluded.max_penalty, url = excluded.url"
		" RETURNING id",
	[STMT_TYPE_REGULATION_CLEAR] = "DELETE FROM type_regulation WHERE type_id = ?1",
	[STMT_TYPE_REGULATION_ADD] =
		"INSERT OR REPLACE INTO type_regulation(type_id, regulation_id, why)"
		" SELECT ?1, id, ?3 FROM regulation WHERE slug = ?2",
	[STMT_PROVISION_PUT] =
		"INSERT INTO provision(key, document_id, type_id, excerpt, headline, analysis,"
		" impact, action, severity, severity_reason, first_version, last_version,"
		" status, origin)"
		" SELECT ?1, ?2, t.id, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14"
		" FROM provision_type t WHERE t.slug = ?3"
		" ON CONFLICT(key) DO UPDATE SET document_id = excluded.document_id,"
		" type_id = excluded.type_id, excerpt = excluded.excerpt,"
		" headline = excluded.headline, analysis = excluded.analysis,"
		" impact = excluded.impact, action = excluded.action,"
		" severity = excluded.severity, severity_reason = excluded.severity_reason,"
		" first_version = excluded.first_version, last_version = excluded.last_version,"
		" status = excluded.status, origin = excluded.origin"
		" RETURNING id",
	[STMT_PROVISION_REGULATION_CLEAR] =
		"DELETE FROM provision_regulation WHERE provision_id = ?1",
	[STMT_PROVISION_REGULATION_ADD] =
		"INSERT OR REPLACE INTO provision_regulation(provision_id, regulation_id, why)"
		" SELECT ?1, id, ?3 FROM regulation WHERE slug = ?2",
	/* The curated keys of a dataset load go into a temporary table, so that
	 * the curated provisions the new dataset dropped can be deleted. */
	[STMT_CURATED_KEYS_MARK] =
		"CREATE TEMP TABLE IF NOT EXISTS dataset_keys(key TEXT PRIMARY KEY)",
	[STMT_CURATED_KEYS_RESET] = "DELETE FROM temp.dataset_keys",
	[STMT_CURATED_KEY_KEEP] = "INSERT OR IGNORE INTO temp.dataset_keys(key) VALUES (?1)",
	[STMT_CURATED_STALE_DELETE] =
		"DELETE FROM provision WHERE origin = 'curated' AND key IS NOT NULL"
		" AND key NOT IN (SELECT key FROM temp.dataset_keys)",
	[STMT_PLATFORM_NAMES] =
		"SELECT pl.id, pl.slug, pl.name, pl.operator, pl.sector, pl.homepage,"
		PLATFORM_WATCHED " 0, 0, 0, 0, 0, 0," PLATFORM_UNSEEN
		" FROM platform pl ORDER BY pl.name COLLATE NOCASE",
	[STMT_WATCH_ADD] =
		"INSERT OR IGNORE INTO watch(platform_id, added_at)"
		" VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
	[STMT_WATCH_RM] = "DELETE FROM watch WHERE platform_id = ?1",
	[STMT_SEEN] =
		"INSERT INTO seen(platform_id, at) VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
		" ON CONFLICT(platform_id) DO UPDATE SET at = excluded.at",
	[STMT_WATCH_LIST] =
		"SELECT " PLATFORM_ONE_COLUMNS " FROM watch w JOIN platform pl ON pl.id = w.platform_id"
		" ORDER BY pl.name COLLATE NOCASE",
	[STMT_PLATFORM_GET] =
		"SELECT " PLATFORM_ONE_COLUMNS " FROM platform pl WHERE pl.id = ?1",
	/* Kept by triggers (schema version 7). */
	[STMT_PROVISION_COUNT] =
		"SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'provision-count'",
	[STMT_PLATFORM_LIST] =
		"SELECT " PLATFORM_COLUMNS PLATFORM_FROM " ORDER BY pl.name COLLATE NOCASE",
	/* Exact slug, then exact name, then a prefix of either: ranked so that
	 * the caller can tell a single answer from an ambiguous one. */
	[STMT_PLATFORM_FIND] =
		"SELECT " PLATFORM_ONE_COLUMNS ","
		" CASE WHEN pl.slug = ?1 THEN 0"
		"      WHEN pl.name = ?1 COLLATE NOCASE OR pl.slug = lower(?1) THEN 1"
		"      ELSE 2 END AS rank,"
		" count(*) OVER () AS matches"
		" FROM platform pl"
		" WHERE pl.slug = ?1 OR pl.name = ?1 COLLATE NOCASE OR pl.slug = lower(?1)"
		"    OR substr(pl.slug, 1, length(?1)) = lower(?1)"
		"    OR lower(substr(pl.name, 1, length(?1))) = lower(?1)"
		" ORDER BY rank, pl.name COLLATE NOCASE LIMIT 1",
	[STMT_VERSION_COUNT] =
		"SELECT count(*), min(retrieved_at) FROM version WHERE document_id = ?1",
	[STMT_VERSION_LIST] =
		"SELECT v.id, v.retrieved_at, v.source, v.sha256,"
		" CASE WHEN ?2 THEN v.text END, length(CAST(v.text AS BLOB))"
		" FROM version v WHERE v.document_id = ?1 ORDER BY v.retrieved_at, v.id",
	[STMT_DOCUMENT_LIST] =
		"SELECT d.id, d.kind, d.title, d.url,"
		" (SELECT count(*) FROM version v WHERE v.document_id = d.id),"
		" (SELECT max(v.retrieved_at) FROM version v WHERE v.document_id = d.id),"
		" (SELECT count(*) FROM provision p WHERE p.document_id = d.id)"
		" FROM document d WHERE d.platform_id = ?1 ORDER BY d.kind",
	/* One statement per way in, so that each is led by its index: the
	 * provision's id, the platform's documents, or the kind. */
	[STMT_PROVISION_BY_ID] =
		"SELECT " PROVISION_COLUMNS PROVISION_JOINS " WHERE p.id = ?1",
	[STMT_PROVISION_BY_PLATFORM] =
		"SELECT " PROVISION_COLUMNS PROVISION_JOINS
		" WHERE d.platform_id = ?2 AND (?3 IS NULL OR t.slug = ?3)"
		"   AND (?5 IS NULL OR p.severity = ?5)"
		" ORDER BY d.kind, t.slug, p.id",
	[STMT_PROVISION_BY_KIND] =
		"SELECT " PROVISION_COLUMNS PROVISION_JOINS
		" WHERE t.slug = ?3 AND (?5 IS NULL OR p.severity = ?5)"
		" ORDER BY pl.name COLLATE NOCASE, d.kind, p.id",
	/* "How other platforms handle this": the first provision of the kind
	 * on each other platform.  The platforms are chosen from the indexes
	 * alone; only the rows shown are read whole. */
	[STMT_PROVISION_ELSEWHERE] =
		/* The platforms in name order (an index), each asked for its
		 * first provision of the kind through its few documents, until
		 * ?4 have one: not every provision of the kind grouped and
		 * sorted, a scan of thousands at 100,000 provisions. */
		"WITH firsts AS ("
		"  SELECT (SELECT min(p.id) FROM document d CROSS JOIN provision p"
		"          ON p.type_id = (SELECT id FROM provision_type WHERE slug = ?3)"
		"          AND p.document_id = d.id WHERE d.platform_id = pl.id) AS first_id,"
		"         pl.name AS name"
		"  FROM platform pl WHERE pl.id != ?2 AND first_id IS NOT NULL"
		"  ORDER BY pl.name COLLATE NOCASE LIMIT ?4)"
		" SELECT " PROVISION_COLUMNS " FROM firsts JOIN provision p ON p.id = firsts.first_id"
		" JOIN document d ON d.id = p.document_id"
		" JOIN platform pl ON pl.id = d.platform_id"
		" JOIN provision_type t ON t.id = p.type_id"
		" LEFT JOIN version lv ON lv.id = p.last_version"
		" LEFT JOIN version fv ON fv.id = p.first_version"
		" ORDER BY firsts.name COLLATE NOCASE",
	[STMT_PROVISION_ALL] =
		"SELECT " PROVISION_COLUMNS PROVISION_JOINS
		" WHERE ?5 IS NULL OR p.severity = ?5"
		" ORDER BY pl.name COLLATE NOCASE, d.kind, t.slug, p.id",
	[STMT_PROVISION_REGULATIONS] =
		"SELECT " REGULATION_COLUMNS ", pr.why, 'provision'"
		" FROM provision_regulation pr JOIN regulation r ON r.id = pr.regulation_id"
		" WHERE pr.provision_id = ?1"
		" UNION ALL "
		"SELECT " REGULATION_COLUMNS ", tr.why, 'kind'"
		" FROM provision p JOIN type_regulation tr ON tr.type_id = p.type_id"
		" JOIN regulation r ON r.id = tr.regulation_id"
		" WHERE p.id = ?1 AND r.id NOT IN"
		"   (SELECT regulation_id FROM provision_regulation WHERE provision_id = ?1)",
	[STMT_REGULATION_LIST] =
		"SELECT " REGULATION_COLUMNS ", NULL, NULL FROM regulation r"
		" WHERE ?1 IS NULL OR r.framework = ?1 COLLATE NOCASE"
		" ORDER BY r.framework, r.id",
	[STMT_REGULATION_TYPES] =
		"SELECT " TYPE_PLAIN_COLUMNS ", tr.why FROM type_regulation tr"
		" JOIN provision_type t ON t.id = tr.type_id WHERE tr.regulation_id = ?1"
		" ORDER BY t.slug",
	[STMT_TYPE_LIST] =
		"SELECT " TYPE_COLUMNS ", NULL" TYPE_FROM " ORDER BY t.topic, t.slug",
	[STMT_TYPE_FIND] =
		"SELECT " TYPE_PLAIN_COLUMNS ", NULL FROM provision_type t WHERE t.slug = ?1",
	/* search.c's passes: rank every match in a span of rowids; read the
	 * rows kept; check a kept row's severity; the provisions of a
	 * platform, and of a kind. */
	[STMT_SEARCH_RANK] =
		"SELECT f.rowid, " SEARCH_RANK " FROM provision_fts f"
		" WHERE provision_fts MATCH ?1 AND f.rowid BETWEEN ?2 AND ?3",
	/* The same, the rows a kind filter lets by (clause_wanted) alone. */
	[STMT_SEARCH_RANK_WANTED] =
		"SELECT f.rowid, " SEARCH_RANK " FROM provision_fts f"
		" WHERE provision_fts MATCH ?1 AND f.rowid BETWEEN ?2 AND ?3"
		"   AND clause_wanted(f.rowid)",
	/* One call ranks every match of a one-phrase query (rank.c). */
	[STMT_SEARCH_WALK] =
		"SELECT " SEARCH_RANK_WALK " FROM provision_fts WHERE provision_fts MATCH ?1 LIMIT 1",
	/* The kept rows of a search whole, given as a JSON array of ids, in
	 * the array's order (j.key, after the provision's columns). */
	[STMT_SEARCH_HITS] =
		"SELECT " PROVISION_COLUMNS ", j.key FROM json_each(?1) j"
		" JOIN provision p ON p.id = j.value" PROVISION_JOINED
		" ORDER BY j.key",
	[STMT_SEARCH_FILTER] =
		"SELECT 1 FROM provision WHERE id = ?1 AND severity = ?2",
	[STMT_SEARCH_PLATFORM_IDS] =
		"SELECT p.id FROM document d JOIN provision p ON p.document_id = d.id"
		" WHERE d.platform_id = ?1",
	/* Read from the index on type_id alone (a covering scan). */
	[STMT_SEARCH_KIND_IDS] =
		"SELECT p.id FROM provision_type t JOIN provision p ON p.type_id = t.id"
		" WHERE t.slug = ?1",
	/* The documents to fetch: all, one platform's, or the watched ones'. */
	[STMT_FETCH_TARGETS] =
		"SELECT d.id, pl.id, pl.slug, pl.name, d.kind, d.url, d.declaration, d.etag,"
		" d.last_modified,"
		" (SELECT v.sha256 FROM version v WHERE v.document_id = d.id"
		"  ORDER BY v.retrieved_at DESC, v.id DESC LIMIT 1)"
		" FROM document d JOIN platform pl ON pl.id = d.platform_id"
		" WHERE (?1 = 0 OR pl.id = ?1)"
		"   AND (?2 = 0 OR pl.id IN (SELECT platform_id FROM watch))"
		"   AND (?3 = 0 OR d.id = ?3)"
		" ORDER BY pl.slug, d.kind",
	[STMT_FETCH_LOG_ADD] =
		"INSERT INTO fetch_log(document_id, at, url, outcome, http_status, bytes, error)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[STMT_DOCUMENT_CHECKED] =
		"UPDATE document SET checked_at = ?2, etag = ?3, last_modified = ?4 WHERE id = ?1",
	[STMT_VERSION_VALIDATORS] =
		"UPDATE version SET etag = ?2, last_modified = ?3 WHERE id = ?1",
	/* The newest version read at or before ?2 (all: a far future). */
	[STMT_VERSION_LATEST] =
		"SELECT id, retrieved_at, source, sha256, text, length(CAST(text AS BLOB))"
		" FROM version WHERE document_id = ?1 AND retrieved_at <= ?2"
		" ORDER BY retrieved_at DESC, id DESC LIMIT 1",
	[STMT_VERSION_AFTER] =
		"SELECT EXISTS (SELECT 1 FROM version WHERE document_id = ?1 AND retrieved_at > ?2)",
	[STMT_DOCUMENT_PROVISIONS] =
		"SELECT p.id, p.excerpt, p.status, t.slug, p.origin, t.name FROM provision p"
		" JOIN provision_type t ON t.id = p.type_id"
		" WHERE p.document_id = ?1 ORDER BY p.id",
	[STMT_PROVISION_STATE] =
		"UPDATE provision SET status = ?2,"
		" first_version = coalesce(first_version, CASE WHEN ?3 > 0 THEN ?3 END),"
		" last_version = CASE WHEN ?3 > 0 THEN ?3 ELSE last_version END WHERE id = ?1",
	[STMT_CHANGE_ADD] =
		"INSERT INTO change(document_id, from_version, to_version, detected_at, cause,"
		" added, removed, changed, summary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
		" ON CONFLICT(document_id, to_version) DO UPDATE SET summary = excluded.summary"
		" RETURNING id",
	[STMT_PROVISION_CHANGE_ADD] =
		"INSERT OR REPLACE INTO provision_change(change_id, provision_id, what, before, after)"
		" VALUES (?1, ?2, ?3, ?4, ?5)",
	/* The changes of a period, by platform and document. */
	[STMT_CHANGES_SINCE] =
		"SELECT c.id, d.id, pl.id, pl.slug, pl.name, d.kind, d.title, d.url, c.detected_at,"
		" c.cause, c.added, c.removed, c.changed, c.summary, fv.retrieved_at,"
		" tv.retrieved_at, tv.sha256"
		" FROM change c JOIN document d ON d.id = c.document_id"
		" JOIN platform pl ON pl.id = d.platform_id"
		" LEFT JOIN version fv ON fv.id = c.from_version"
		" JOIN version tv ON tv.id = c.to_version"
		" WHERE c.detected_at >= ?1"
		"   AND (?2 = 0 OR pl.id IN (SELECT platform_id FROM watch))"
		"   AND (?3 = 1 OR c.cause = 'platform')"
		"   AND (?4 = 0 OR pl.id = ?4)"
		"   AND (?5 = 0 OR d.id = ?5)"
		" ORDER BY pl.name COLLATE NOCASE, d.kind, c.detected_at, c.id",
	/* What a change did to provisions: those it changed or removed, then
	 * those that appeared: first read in its new version, and not in the
	 * text of the version before (so not for a document's first version,
	 * and not a provision found late in a passage that was there before). */
	[STMT_CHANGE_PROVISIONS] =
		"SELECT pc.provision_id, pc.what, pc.before, pc.after, t.slug, t.name, p.headline,"
		" CASE pc.what WHEN 'changed' THEN 0 WHEN 'removed' THEN 1 ELSE 3 END AS o"
		" FROM provision_change pc JOIN provision p ON p.id = pc.provision_id"
		" JOIN provision_type t ON t.id = p.type_id"
		" WHERE pc.change_id = ?1 AND (?2 = 1 OR pc.what != 'current')"
		" UNION ALL "
		"SELECT p.id, 'appeared', NULL, p.excerpt, t.slug, t.name, p.headline, 2"
		" FROM change c JOIN provision p ON p.document_id = c.document_id"
		"  AND p.first_version = c.to_version"
		" JOIN provision_type t ON t.id = p.type_id"
		" JOIN version fv ON fv.id = c.from_version"
		" WHERE c.id = ?1 AND instr(fv.text, p.excerpt) = 0"
		"   AND p.id NOT IN (SELECT provision_id FROM provision_change WHERE change_id = ?1)"
		" ORDER BY o, 5, 1",
	/* What each change of its document did to one provision, newest
	 * first; the changes that left it as it was are left out. */
	[STMT_PROVISION_HISTORY] =
		"SELECT c.id, pc.what, pc.before, pc.after, c.detected_at, c.cause"
		" FROM provision_change pc JOIN change c ON c.id = pc.change_id"
		" WHERE pc.provision_id = ?1 AND pc.what != 'current'"
		" ORDER BY c.detected_at DESC, c.id DESC",
};

const char *
store_stmt_sql(enum store_stmt id)
{
	return statement_sql[id];
}
