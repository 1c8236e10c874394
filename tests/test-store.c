/*
 * test-store: the schema, its migrations, the settings of a connection, the
 * FTS5 index and its triggers, and the store's reads and writes.
 */

#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store-internal.h"
#include "store.h"
#include "testutil.h"

struct fixture {
	char *dir;
	char *path;
	struct store *st;
	int64_t platform, document, version;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	f->dir = test_tmpdir();
	f->path = test_path(f->dir, "store.db");
	f->st = store_open(f->path, err, sizeof(err));
	if (f->st == NULL)
		fail_msg("store_open: %s", err);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	free(f->path);
	test_rmdir(f->dir);
	free(f);
	return 0;
}

/* A platform with one document, one version and kinds "training" and
 * "arbitration". */
static void
add_platform(struct fixture *f, const char *slug, const char *name)
{
	int64_t type;

	assert_int_equal(store_put_platform(f->st, slug, name, "Operator", "AI", "https://x.test",
					    &f->platform), STORE_OK);
	assert_int_equal(store_put_document(f->st, f->platform, "terms", "Terms",
					    "https://x.test/terms", NULL, &f->document), STORE_OK);
	assert_int_equal(store_add_version(f->st, f->document, "2025-01-01T00:00:00Z", "embedded",
					   "aaaa", "the text", &f->version, NULL), STORE_OK);
	assert_int_equal(store_put_type(f->st, "training", "Training", "AI", "d", &type), STORE_OK);
	assert_int_equal(store_put_type(f->st, "arbitration", "Arbitration", "Disputes", "d",
					&type), STORE_OK);
}

static int64_t
add_provision(struct fixture *f, const char *key, const char *kind, const char *excerpt)
{
	struct store_provision_in in = {
		.key = key, .document_id = f->document, .kind = kind, .excerpt = excerpt,
		.headline = "A headline", .first_version = f->version,
		.last_version = f->version,
	};
	int64_t id = 0;

	assert_int_equal(store_put_provision(f->st, &in, &id), STORE_OK);
	assert_true(id > 0);
	return id;
}

static int
count_hit(const struct store_hit *hit, void *ctx)
{
	(void)hit;
	(*(int *)ctx)++;
	return 0;
}

static int
keep_first(const struct store_hit *hit, void *ctx)
{
	int64_t *first = ctx;

	if (*first == 0)
		*first = hit->provision->id;
	return 0;
}

static int
search_count(struct store *st, const char *match)
{
	int n = 0;

	assert_int_equal(store_search(st, match, NULL, 100, count_hit, &n), STORE_OK);
	return n;
}

/* Run SQL on a side connection and return the first column of the first
 * row as an integer (the test's own look at the file). */
static long long
sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	long long v = -1;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

/* FTS5's own check that the index matches its content. */
static void
assert_index_consistent(struct fixture *f)
{
	char *msg = NULL;
	int rc = sqlite3_exec(f->st->db,
			      "INSERT INTO provision_fts(provision_fts, rank) VALUES ('integrity-check', 1)",
			      NULL, NULL, &msg);

	if (rc != SQLITE_OK)
		fail_msg("integrity-check: %s", msg != NULL ? msg : "?");
}

static void
test_open_sets_up_the_database(void **state)
{
	struct fixture *f = *state;
	struct stat sb;
	sqlite3_stmt *stmt;

	assert_int_equal(store_schema_version(f->st), STORE_SCHEMA_VERSION);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sqlite3_prepare_v2(f->st->db, "PRAGMA journal_mode", -1, &stmt, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "wal");
	sqlite3_finalize(stmt);
	assert_int_equal(sqlite3_prepare_v2(f->st->db, "PRAGMA foreign_keys", -1, &stmt, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(stmt, 0), 1);
	sqlite3_finalize(stmt);
}

static void
test_reopen_keeps_rows(void **state)
{
	struct fixture *f = *state;
	char err[256];

	add_platform(f, "acme", "Acme");
	add_provision(f, "acme/terms/training", "training", "We train on your chats.");
	store_close(f->st);
	f->st = store_open(f->path, err, sizeof(err));
	assert_non_null(f->st);
	assert_int_equal(search_count(f->st, "\"chats\""), 1);
}

/* A database written by an earlier schema version is upgraded in place,
 * its rows kept and indexed. */
static void
migrate_from(struct fixture *f, int from)
{
	char name[32], *path, err[256];
	struct store *st;
	sqlite3 *db;
	int total;

	snprintf(name, sizeof(name), "v%d.db", from);
	path = test_path(f->dir, name);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(store_rank_register(db), SQLITE_OK);
	assert_int_equal(store_schema_migrate(db, from, err, sizeof(err)), STORE_OK);
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO platform(id, slug, name) VALUES (1, 'old', 'Old Platform');"
		"INSERT INTO document(id, platform_id, kind, title, url)"
		"  VALUES (1, 1, 'terms', 'Old Terms', 'https://old.test');"
		"INSERT INTO version(id, document_id, retrieved_at, source, sha256, text)"
		"  VALUES (1, 1, '2020-01-01T00:00:00Z', 'fetched', 'bb', 'old text');"
		"INSERT INTO provision_type(id, slug, name) VALUES (1, 'arbitration', 'Arbitration');"
		"INSERT INTO provision(id, document_id, type_id, excerpt, first_version, last_version)"
		"  VALUES (7, 1, 1, 'Disputes go to binding arbitration.', 1, 1);",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(sql_int(path, "PRAGMA user_version"), from);

	st = store_open(path, err, sizeof(err));
	if (st == NULL)
		fail_msg("store_open: %s", err);
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	assert_int_equal(search_count(st, "\"arbitration\""), 1);
	assert_int_equal(search_count(st, "\"old\""), 1);	/* The platform column. */
	assert_int_equal(search_count(st, "\"arbit\"*"), 1);	/* An indexed prefix. */
	assert_int_equal(store_count_provisions(st, &total), STORE_OK);
	assert_int_equal(total, 1);
	store_close(st);
	assert_int_equal(sql_int(path, "SELECT count(*) FROM provision WHERE id = 7"), 1);
	assert_int_equal(sql_int(path, "SELECT count(*) FROM version"), 1);
	free(path);
}

static void
test_migration_from_each_version(void **state)
{
	int from;

	for (from = 1; from < STORE_SCHEMA_VERSION; from++)
		migrate_from(*state, from);
}

/* More weight where the words are: in the headline, and more often. */
static void
test_search_ranks_best_first(void **state)
{
	struct fixture *f = *state;
	struct store_provision_in in = { 0 };
	int64_t strong = 0, weak = 0;
	int64_t first = 0;

	add_platform(f, "acme", "Acme");
	weak = add_provision(f, "w", "training", "Disputes end in arbitration, rarely.");
	in.key = "s";
	in.document_id = f->document;
	in.kind = "arbitration";
	in.excerpt = "Arbitration: every claim goes to arbitration; the arbitration is binding.";
	in.headline = "Binding arbitration for every claim";
	assert_int_equal(store_put_provision(f->st, &in, &strong), STORE_OK);
	assert_int_equal(store_search(f->st, "\"arbitration\"", NULL, 10, keep_first, &first),
			 STORE_OK);
	assert_true(first == strong && strong != weak);
}

/* The hits of a search, as the callback saw them. */
struct hits {
	int64_t id[400];
	double rank[400];
	int64_t platform[400];
	char kind[400][16];
	int n;
	int marked;		/* Hits whose snippet marks a match. */
};

static int
keep_hit(const struct store_hit *hit, void *ctx)
{
	struct hits *h = ctx;

	assert_true(h->n < 400);
	h->id[h->n] = hit->provision->id;
	h->rank[h->n] = hit->rank;
	h->platform[h->n] = hit->provision->platform_id;
	snprintf(h->kind[h->n], sizeof(h->kind[0]), "%s", hit->provision->kind);
	h->marked += strstr(hit->snippet, STORE_MARK_START) != NULL;
	h->n++;
	return 0;
}

/* The best rows of many, with and without filters, are the first rows of
 * every match ranked best first (ties to the older row), whatever the
 * limit: the search keeps the best itself rather than sorting them all. */
static void
test_search_keeps_the_best_of_many(void **state)
{
	struct fixture *f = *state;
	struct store_provision_filter filter = { 0 };
	static const int limits[] = { 1, 7, 50, 299 };
	struct hits *all = calloc(1, sizeof(*all)), *some = calloc(1, sizeof(*some));
	int64_t first_platform;
	char key[16], excerpt[256];
	int i, j, k, matching = 0, in_excerpt = 0;

	assert_non_null(all);
	assert_non_null(some);
	add_platform(f, "one", "One");
	first_platform = f->platform;
	for (i = 0; i < 300; i++) {
		int times = (i * 7) % 5;	/* 0 to 4 mentions, scattered. */

		if (i == 150)
			add_platform(f, "two", "Two");
		snprintf(excerpt, sizeof(excerpt), "Clause %d.", i);
		for (k = 0; k < times; k++)
			strcat(excerpt, " Disputes go to arbitration.");
		snprintf(key, sizeof(key), "k%d", i);
		add_provision(f, key, i % 3 == 0 ? "arbitration" : "training", excerpt);
		/* The kind's slug is indexed too. */
		matching += times > 0 || i % 3 == 0;
		in_excerpt += times > 0;
	}
	assert_int_equal(store_search(f->st, "\"arbitration\"", NULL, 0, keep_hit, all),
			 STORE_OK);
	assert_int_equal(all->n, matching);
	assert_int_equal(all->marked, in_excerpt);
	for (i = 1; i < all->n; i++)
		assert_true(all->rank[i - 1] < all->rank[i]
			    || (all->rank[i - 1] == all->rank[i] && all->id[i - 1] < all->id[i]));
	/* Four mentions rank above one. */
	assert_true(all->rank[0] < all->rank[all->n - 1]);
	/* A query of one phrase is ranked in one walk (clause_rank_walk), one
	 * of two joined by OR in a walk of each, one of two joined by AND row
	 * by row: the same phrase twice orders the rows alike. */
	memset(some, 0, sizeof(*some));
	assert_int_equal(store_search(f->st, "\"arbitration\" OR \"arbitration\"", NULL, 0,
				      keep_hit, some), STORE_OK);
	assert_int_equal(some->n, all->n);
	assert_memory_equal(some->id, all->id, all->n * sizeof(int64_t));
	memset(some, 0, sizeof(*some));
	assert_int_equal(store_search(f->st, "\"arbitration\" AND \"arbitration\"", NULL, 0,
				      keep_hit, some), STORE_OK);
	assert_int_equal(some->n, all->n);
	assert_memory_equal(some->id, all->id, all->n * sizeof(int64_t));

	for (i = 0; i < (int)(sizeof(limits) / sizeof(limits[0])); i++) {
		memset(some, 0, sizeof(*some));
		assert_int_equal(store_search(f->st, "\"arbitration\"", NULL, limits[i], keep_hit,
					      some), STORE_OK);
		assert_int_equal(some->n, limits[i] < all->n ? limits[i] : all->n);
		assert_memory_equal(some->id, all->id, some->n * sizeof(int64_t));
	}

	/* A kind, then a platform: the first of the matches that pass. */
	filter.kind = "arbitration";
	memset(some, 0, sizeof(*some));
	assert_int_equal(store_search(f->st, "\"arbitration\"", &filter, 5, keep_hit, some),
			 STORE_OK);
	for (i = 0, j = 0; j < some->n; i++) {
		if (strcmp(all->kind[i], "arbitration") != 0)
			continue;
		assert_int_equal(some->id[j], all->id[i]);
		j++;
	}
	assert_int_equal(some->n, 5);
	filter.kind = NULL;
	filter.platform_id = first_platform;
	memset(some, 0, sizeof(*some));
	assert_int_equal(store_search(f->st, "\"arbitration\"", &filter, 20, keep_hit, some),
			 STORE_OK);
	for (i = 0, j = 0; j < some->n; i++) {
		if (all->platform[i] != first_platform)
			continue;
		assert_int_equal(some->id[j], all->id[i]);
		j++;
	}
	assert_int_equal(some->n, 20);
	free(all);
	free(some);
}

/* The matches of match with clause_rank's rank row by row, best first
 * (ties to the older row), as the search would have them without
 * clause_rank_walk: the reference a walk must give to the last bit. */
static void
rank_row_by_row(struct store *st, const char *match, struct hits *h)
{
	sqlite3_stmt *stmt;

	assert_int_equal(sqlite3_prepare_v2(st->db,
					    "SELECT rowid, clause_rank(provision_fts, 4.0, 3.0,"
					    " 2.0, 1.0, 1.0) AS r FROM provision_fts"
					    " WHERE provision_fts MATCH ?1 ORDER BY r, rowid",
					    -1, &stmt, NULL), SQLITE_OK);
	sqlite3_bind_text(stmt, 1, match, -1, SQLITE_STATIC);
	memset(h, 0, sizeof(*h));
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		assert_true(h->n < 400);
		h->id[h->n] = sqlite3_column_int64(stmt, 0);
		h->rank[h->n] = sqlite3_column_double(stmt, 1);
		h->n++;
	}
	assert_int_equal(sqlite3_finalize(stmt), SQLITE_OK);
}

/* A query of phrases joined by OR is ranked in a walk of each phrase and
 * a merge: the same rows, ranks and order as clause_rank row by row, with
 * words of every frequency, in several columns, a prefix, a phrase of
 * two words, any limit, a platform filter (a span of the rowids) and a
 * kind filter (rows the walk leaves unranked). */
static void
test_search_or_walk_ranks_as_row_by_row(void **state)
{
	struct fixture *f = *state;
	static const char *const queries[] = {
		"\"data\" OR \"licence\"",
		"\"licence\" OR \"data\" OR \"arbitr\"* OR \"binding arbitration\"",
		"\"data\" OR \"nowhere\"",
		"\"headline\" OR \"licence\"",
	};
	static const int limits[] = { 0, 1, 13 };
	struct store_provision_in in = { 0 };
	struct store_provision_filter filter = { 0 };
	struct hits *ref = calloc(1, sizeof(*ref)), *h = calloc(1, sizeof(*h));
	char key[16], excerpt[256], headline[64];
	int64_t second_platform, second_first = 0, id, of_kind[100];
	size_t q;
	int i, j, k, in_second, nkind = 0, in_kind;

	assert_non_null(ref);
	assert_non_null(h);
	add_platform(f, "one", "One");
	for (i = 0; i < 300; i++) {
		if (i == 150)
			add_platform(f, "two", "Two");
		snprintf(excerpt, sizeof(excerpt), "Clause %d.%s%s%s", i,
			 i % 2 == 0 ? " We use data." : "",
			 i % 7 == 0 ? " Data, data and more data." : "",
			 i % 11 == 0 ? " A licence for binding arbitration." : "");
		snprintf(headline, sizeof(headline), "%s headline",
			 i % 13 == 0 ? "Licence" : i % 5 == 0 ? "Arbitration" : "A");
		snprintf(key, sizeof(key), "k%d", i);
		in.key = key;
		in.document_id = f->document;
		in.kind = i % 3 == 0 ? "arbitration" : "training";
		in.excerpt = excerpt;
		in.headline = headline;
		in.first_version = in.last_version = f->version;
		assert_int_equal(store_put_provision(f->st, &in, &id), STORE_OK);
		if (i == 150)
			second_first = id;
		if (i % 3 == 0)
			of_kind[nkind++] = id;
	}
	second_platform = f->platform;
	for (q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
		rank_row_by_row(f->st, queries[q], ref);
		assert_true(ref->n > 20);
		for (k = 0; k < (int)(sizeof(limits) / sizeof(limits[0])); k++) {
			memset(h, 0, sizeof(*h));
			assert_int_equal(store_search(f->st, queries[q], NULL, limits[k], keep_hit,
						      h), STORE_OK);
			assert_int_equal(h->n, limits[k] > 0 ? limits[k] : ref->n);
			for (i = 0; i < h->n; i++) {
				assert_int_equal(h->id[i], ref->id[i]);
				assert_true(h->rank[i] == ref->rank[i]);
			}
		}
		/* The second platform's rows (the later ids), in the order of all. */
		memset(h, 0, sizeof(*h));
		filter.platform_id = second_platform;
		assert_int_equal(store_search(f->st, queries[q], &filter, 0, keep_hit, h),
				 STORE_OK);
		for (i = 0, j = 0, in_second = 0; i < ref->n; i++) {
			if (ref->id[i] < second_first)
				continue;
			in_second++;
			assert_true(j < h->n);
			assert_int_equal(h->id[j], ref->id[i]);
			assert_true(h->rank[j] == ref->rank[i]);
			j++;
		}
		assert_true(in_second > 0);
		assert_int_equal(h->n, in_second);
		for (i = 0; i < h->n; i++)
			assert_int_equal(h->platform[i], second_platform);
		/* The kind's rows, in the order of all. */
		memset(h, 0, sizeof(*h));
		filter.platform_id = 0;
		filter.kind = "arbitration";
		assert_int_equal(store_search(f->st, queries[q], &filter, 0, keep_hit, h),
				 STORE_OK);
		for (i = 0, j = 0, in_kind = 0; i < ref->n; i++) {
			for (k = 0; k < nkind && of_kind[k] != ref->id[i]; k++)
				;
			if (k == nkind)
				continue;
			in_kind++;
			assert_true(j < h->n);
			assert_int_equal(h->id[j], ref->id[i]);
			assert_true(h->rank[j] == ref->rank[i]);
			j++;
		}
		assert_true(in_kind > 0);
		assert_int_equal(h->n, in_kind);
		filter.kind = NULL;
	}
	free(ref);
	free(h);
}

/* Filters are bound values, whatever the slug or kind holds. */
/* A rare word weighs more than a common one, even where the common one
 * is said five times: the common word's count of rows, estimated from
 * its first thousand matches, must be near the truth (3,000), not the
 * thousand counted. */
static void
test_search_weighs_rare_words(void **state)
{
	struct fixture *f = *state;
	struct hits *h = calloc(1, sizeof(*h));
	int64_t rare_ids[300];
	char key[16], excerpt[256];
	int i, j, rare = 0;

	assert_non_null(h);
	add_platform(f, "many", "Many");
	assert_int_equal(store_begin(f->st), STORE_OK);
	for (i = 0; i < 3000; i++) {
		int64_t id;

		snprintf(excerpt, sizeof(excerpt), "Clause %d. We use data.%s%s", i,
			 i % 2 == 0 ? " More data, data, data and data again." : "",
			 i % 10 == 5 ? " A licence." : "");
		snprintf(key, sizeof(key), "m%d", i);
		id = add_provision(f, key, "training", excerpt);
		if (i % 10 == 5)
			rare_ids[rare++] = id;
	}
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_int_equal(store_search(f->st, "\"data\" OR \"licence\"", NULL, rare, keep_hit, h),
			 STORE_OK);
	assert_int_equal(h->n, rare);
	for (i = 0; i < h->n; i++) {
		for (j = 0; j < rare && rare_ids[j] != h->id[i]; j++)
			;
		if (j == rare)
			fail_msg("hit %d (provision %lld) lacks the rare word", i,
				 (long long)h->id[i]);
	}
	free(h);
}

struct others {
	int64_t id[8];
	char name[8][16];
	int n;
};

static int
keep_other(const struct store_provision *p, void *ctx)
{
	struct others *o = ctx;

	if (o->n < 8) {
		o->id[o->n] = p->id;
		snprintf(o->name[o->n], sizeof(o->name[o->n]), "%s", p->platform_name);
		o->n++;
	}
	return 0;
}

/* How other platforms handle a kind: by platform name whatever its case,
 * each platform's first provision of the kind, never the platform asked
 * from, none from a platform without the kind, at most the limit. */
static void
test_provision_elsewhere(void **state)
{
	struct fixture *f = *state;
	struct others o = { 0 };
	int64_t self, alpha, bravo;

	add_platform(f, "self", "Self");
	self = f->platform;
	add_provision(f, "s1", "arbitration", "Ours.");
	add_platform(f, "delta", "Delta");
	add_provision(f, "d1", "arbitration", "Delta's.");
	add_platform(f, "bravo", "bravo");
	bravo = add_provision(f, "b1", "arbitration", "Bravo's first.");
	add_provision(f, "b2", "arbitration", "Bravo's second.");
	add_platform(f, "echo", "Echo");
	add_provision(f, "e1", "training", "Not the kind.");
	add_platform(f, "alpha", "Alpha");
	alpha = add_provision(f, "a1", "arbitration", "Alpha's.");

	assert_int_equal(store_each_provision_elsewhere(f->st, "arbitration", self, 0, keep_other,
							&o), STORE_OK);
	assert_int_equal(o.n, 3);
	assert_string_equal(o.name[0], "Alpha");
	assert_string_equal(o.name[1], "bravo");
	assert_string_equal(o.name[2], "Delta");
	assert_int_equal(o.id[0], alpha);
	assert_int_equal(o.id[1], bravo);
	memset(&o, 0, sizeof(o));
	assert_int_equal(store_each_provision_elsewhere(f->st, "arbitration", self, 2, keep_other,
							&o), STORE_OK);
	assert_int_equal(o.n, 2);
	assert_string_equal(o.name[1], "bravo");
	memset(&o, 0, sizeof(o));
	assert_int_equal(store_each_provision_elsewhere(f->st, "no-such-kind", self, 0, keep_other,
							&o), STORE_OK);
	assert_int_equal(o.n, 0);
}

/* Words as the index holds them: stemmed by its own tokenizer, folded. */
static void
test_stem(void **state)
{
	struct fixture *f = *state;
	char stem[64], tiny[4];

	assert_int_equal(store_stem(f->st, "Privacy", stem, sizeof(stem)), STORE_OK);
	assert_string_equal(stem, "privaci");
	assert_int_equal(store_stem(f->st, "arbitration", stem, sizeof(stem)), STORE_OK);
	assert_string_equal(stem, "arbitr");
	assert_int_equal(store_stem(f->st, "data", stem, sizeof(stem)), STORE_OK);
	assert_string_equal(stem, "data");
	assert_int_equal(store_stem(f->st, "Données", stem, sizeof(stem)), STORE_OK);
	assert_string_equal(stem, "donne");
	/* The first word of several; none in punctuation alone. */
	assert_int_equal(store_stem(f->st, "opted out", stem, sizeof(stem)), STORE_OK);
	assert_string_equal(stem, "opt");
	assert_int_equal(store_stem(f->st, " -- ", stem, sizeof(stem)), STORE_NOT_FOUND);
	assert_string_equal(stem, "");
	/* Too long for the buffer: an error, never a cut word. */
	assert_int_equal(store_stem(f->st, "training", tiny, sizeof(tiny)), STORE_ERROR);
	assert_string_equal(tiny, "");
}

static void
test_search_filter_with_hostile_slug(void **state)
{
	struct fixture *f = *state;
	struct store_provision_filter filter = { 0 };
	int n = 0;

	add_platform(f, "a\"b) OR (x", "Quote");
	add_provision(f, "q", "training", "We train on chats.");
	filter.platform_id = f->platform;
	filter.kind = "tra\"ining";
	assert_int_equal(store_search(f->st, "\"chats\"", &filter, 10, count_hit, &n), STORE_OK);
	assert_int_equal(n, 0);
	filter.kind = "training";
	assert_int_equal(store_search(f->st, "\"chats\"", &filter, 10, count_hit, &n), STORE_OK);
	assert_int_equal(n, 1);
}

static void
test_newer_database_is_refused(void **state)
{
	struct fixture *f = *state;
	char err[256] = "";
	struct store *st;

	assert_int_equal(sqlite3_exec(f->st->db, "PRAGMA user_version = 99", NULL, NULL, NULL),
			 SQLITE_OK);
	st = store_open(f->path, err, sizeof(err));
	assert_null(st);
	assert_non_null(strstr(err, "newer than this clause"));
	/* Nothing was changed. */
	assert_int_equal(sql_int(f->path, "PRAGMA user_version"), 99);
}

static void
test_unreadable_path_is_an_error(void **state)
{
	char err[256] = "";

	(void)state;
	assert_null(store_open("/nonexistent-dir/x/clause.db", err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent-dir/x/clause.db"));
}

static void
test_index_follows_provisions(void **state)
{
	struct fixture *f = *state;
	int64_t id;
	struct store_provision_in in = { 0 };

	add_platform(f, "acme", "Acme Corp");
	id = add_provision(f, "acme/terms/training", "training", "We train models on your chats.");
	add_provision(f, "acme/terms/arbitration", "arbitration", "Disputes go to arbitration.");
	assert_int_equal(search_count(f->st, "\"chats\""), 1);
	assert_int_equal(search_count(f->st, "\"acme\""), 2);
	assert_int_equal(search_count(f->st, "\"arbitration\""), 1);

	/* An update replaces the indexed words. */
	in.key = "acme/terms/training";
	in.document_id = f->document;
	in.kind = "training";
	in.excerpt = "We learn from your conversations.";
	assert_int_equal(store_put_provision(f->st, &in, &id), STORE_OK);
	assert_int_equal(search_count(f->st, "\"chats\""), 0);
	assert_int_equal(search_count(f->st, "\"conversations\""), 1);
	assert_index_consistent(f);

	/* A renamed platform is found by its new name only. */
	assert_int_equal(store_put_platform(f->st, "acme", "Zenith", "", "", "", NULL), STORE_OK);
	assert_int_equal(search_count(f->st, "\"corp\""), 0);
	assert_int_equal(search_count(f->st, "\"zenith\""), 2);
	assert_index_consistent(f);

	/* Deleting the platform deletes its provisions from the index. */
	assert_int_equal(sqlite3_exec(f->st->db, "DELETE FROM platform WHERE slug = 'acme'",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(search_count(f->st, "\"conversations\""), 0);
	assert_int_equal(search_count(f->st, "\"zenith\""), 0);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM provision"), 0);
	assert_index_consistent(f);
}

static void
test_versions_are_deduplicated(void **state)
{
	struct fixture *f = *state;
	int64_t again = 0, other = 0;
	int created = -1;

	add_platform(f, "acme", "Acme");
	assert_int_equal(store_add_version(f->st, f->document, "2026-01-01T00:00:00Z", "fetched",
					   "aaaa", "the text", &again, &created), STORE_OK);
	assert_int_equal(created, 0);
	assert_int_equal(again, f->version);
	assert_int_equal(store_add_version(f->st, f->document, "2026-01-01T00:00:00Z", "fetched",
					   "cccc", "new text", &other, &created), STORE_OK);
	assert_int_equal(created, 1);
	assert_true(other != f->version);
	/* A source outside the schema's list is refused. */
	assert_int_equal(store_add_version(f->st, f->document, "2026-01-02T00:00:00Z", "magic",
					   "dddd", "x", NULL, NULL), STORE_ERROR);
	assert_non_null(strstr(store_errmsg(f->st), "cannot store version"));
}

static void
test_unknown_kind_is_refused(void **state)
{
	struct fixture *f = *state;
	struct store_provision_in in = { .excerpt = "x", .kind = "no-such-kind" };

	add_platform(f, "acme", "Acme");
	in.document_id = f->document;
	assert_int_equal(store_put_provision(f->st, &in, NULL), STORE_ERROR);
	assert_non_null(strstr(store_errmsg(f->st), "unknown kind 'no-such-kind'"));
}

static int
keep_slug(const struct store_platform *p, void *ctx)
{
	snprintf(ctx, 64, "%s", p->slug);
	return 0;
}

static void
test_find_platform(void **state)
{
	struct fixture *f = *state;
	char slug[64];

	add_platform(f, "claude-ai", "Claude");
	add_platform(f, "chatgpt", "ChatGPT");
	add_platform(f, "le-chat", "Le Chat");
	add_platform(f, "le", "Le");
	assert_int_equal(store_find_platform(f->st, "chatgpt", keep_slug, slug), STORE_OK);
	assert_string_equal(slug, "chatgpt");
	assert_int_equal(store_find_platform(f->st, "CLAUDE", keep_slug, slug), STORE_OK);
	assert_string_equal(slug, "claude-ai");
	assert_int_equal(store_find_platform(f->st, "le chat", keep_slug, slug), STORE_OK);
	assert_string_equal(slug, "le-chat");
	assert_int_equal(store_find_platform(f->st, "chatg", keep_slug, slug), STORE_OK);
	assert_string_equal(slug, "chatgpt");
	/* An exact slug wins over the platforms it is a prefix of. */
	assert_int_equal(store_find_platform(f->st, "le", keep_slug, slug), STORE_OK);
	assert_string_equal(slug, "le");
	assert_int_equal(store_find_platform(f->st, "c", keep_slug, slug), STORE_AMBIGUOUS);
	assert_string_equal(store_errmsg(f->st), "more than one platform 'c'");
	assert_int_equal(store_find_platform(f->st, "nosuch", keep_slug, slug), STORE_NOT_FOUND);
	assert_string_equal(store_errmsg(f->st), "no platform 'nosuch'");
	/* A LIKE pattern is not a pattern here. */
	assert_int_equal(store_find_platform(f->st, "%", keep_slug, slug), STORE_NOT_FOUND);
}

static void
test_search_refuses_bad_expression(void **state)
{
	struct fixture *f = *state;
	int n = 0;

	add_platform(f, "acme", "Acme");
	add_provision(f, "k", "training", "text");
	assert_int_equal(store_search(f->st, "\"unterminated", NULL, 10, count_hit, &n),
			 STORE_BAD_QUERY);
	assert_int_equal(store_search(f->st, "AND OR", NULL, 10, count_hit, &n), STORE_BAD_QUERY);
	assert_int_equal(n, 0);
	/* The connection is still usable. */
	assert_int_equal(search_count(f->st, "\"text\""), 1);
}

static int
keep_snippet(const struct store_hit *hit, void *ctx)
{
	snprintf(ctx, 256, "%s", hit->snippet);
	return 0;
}

static void
test_search_filters_and_snippets(void **state)
{
	struct fixture *f = *state;
	struct store_provision_filter filter = { 0 };
	char snippet[256] = "";
	int64_t acme;
	int n = 0;

	add_platform(f, "acme", "Acme");
	acme = f->platform;
	add_provision(f, "a1", "training", "We may train our models on your chats.");
	add_platform(f, "zeta", "Zeta");
	add_provision(f, "z1", "arbitration", "Any dispute about chats goes to arbitration.");
	assert_int_equal(search_count(f->st, "\"chats\""), 2);

	filter.platform_id = acme;
	assert_int_equal(store_search(f->st, "\"chats\"", &filter, 10, count_hit, &n), STORE_OK);
	assert_int_equal(n, 1);
	filter.platform_id = 0;
	filter.kind = "arbitration";
	n = 0;
	assert_int_equal(store_search(f->st, "\"chats\"", &filter, 10, count_hit, &n), STORE_OK);
	assert_int_equal(n, 1);

	/* Porter stemming: "training" finds "train"; prefixes work. */
	assert_int_equal(search_count(f->st, "\"training\""), 1);
	assert_int_equal(search_count(f->st, "\"mod\"*"), 1);

	filter.kind = "training";
	assert_int_equal(store_search(f->st, "\"models\"", &filter, 10, keep_snippet, snippet),
			 STORE_OK);
	assert_non_null(strstr(snippet, STORE_MARK_START "models" STORE_MARK_END));
}

/* The hits of a search with their snippets. */
struct snippets {
	int64_t id[100];
	char text[100][160];
	int n;
};

static int
keep_hit_snippet(const struct store_hit *hit, void *ctx)
{
	struct snippets *sn = ctx;

	assert_true(sn->n < 100);
	/* The snippet is the hit's own: the excerpts of the test that keeps
	 * them are short enough for it to start where they do ("Clause 7:"). */
	assert_int_equal(strncmp(hit->snippet, hit->provision->excerpt,
				 strcspn(hit->provision->excerpt, ":") + 1), 0);
	sn->id[sn->n] = hit->provision->id;
	snprintf(sn->text[sn->n], sizeof(sn->text[0]), "%s", hit->snippet);
	sn->n++;
	return 0;
}

/* A word and prefixes of it that match the same rows get the same rows
 * and the same snippets, marked alike: prefixes the index keeps entries
 * for and one it does not (which FTS5 answers by merging the lists of
 * every term it begins).  Three rows say it three times, a hundred
 * matches apart; with a limit of 60, the others tie and the oldest win. */
static void
test_search_snippets_of_a_word_and_its_prefixes_alike(void **state)
{
	struct fixture *f = *state;
	/* Indexed prefix lengths, and a longer one. */
	static const char *const prefixes[] = { "\"arbi\"*", "\"arbit\"*", "\"arbitr\"*" };
	struct snippets *word = calloc(1, sizeof(*word)), *prefix = calloc(1, sizeof(*prefix));
	char key[16], excerpt[256];
	int i, limit;
	size_t k;

	assert_non_null(word);
	assert_non_null(prefix);
	add_platform(f, "acme", "Acme");
	assert_int_equal(store_begin(f->st), STORE_OK);
	for (i = 0; i < 300; i++) {
		snprintf(excerpt, sizeof(excerpt), "Clause %d: disputes %s.%s", i,
			 i % 2 == 0 ? "go to arbitration before a judge" : "end in arbitration",
			 i % 100 == 0 ? " The arbitration is final, arbitration binds." : "");
		snprintf(key, sizeof(key), "k%d", i);
		add_provision(f, key, "training", excerpt);
	}
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_int_equal(STORE_FTS_PREFIX_MIN, 2);
	assert_int_equal(STORE_FTS_PREFIX_MAX, 5);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM sqlite_master"
				 " WHERE name = 'provision_fts' AND sql LIKE '%prefix=''2 3 4 5''%'"),
			 1);
	for (limit = 3; limit <= 60; limit += 57) {
		memset(word, 0, sizeof(*word));
		assert_int_equal(store_search(f->st, "\"arbitration\"", NULL, limit,
					      keep_hit_snippet, word), STORE_OK);
		assert_int_equal(word->n, limit);
		for (i = 0; i < word->n; i++)
			assert_non_null(strstr(word->text[i], STORE_MARK_START "arbitration"
						  STORE_MARK_END));
		for (k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]); k++) {
			memset(prefix, 0, sizeof(*prefix));
			assert_int_equal(store_search(f->st, prefixes[k], NULL, limit,
						      keep_hit_snippet, prefix), STORE_OK);
			assert_int_equal(prefix->n, word->n);
			for (i = 0; i < word->n; i++) {
				assert_int_equal(prefix->id[i], word->id[i]);
				assert_string_equal(prefix->text[i], word->text[i]);
			}
		}
	}
	free(word);
	free(prefix);
}

/* FTS5's own snippet() of a row, for a query. */
static void
fts5_snippet(struct store *st, const char *match, int64_t id, char *buf, size_t size)
{
	sqlite3_stmt *stmt;

	assert_int_equal(sqlite3_prepare_v2(st->db,
					    "SELECT snippet(provision_fts, 0, '" STORE_MARK_START
					    "', '" STORE_MARK_END "', '\xe2\x80\xa6', 24)"
					    " FROM provision_fts WHERE provision_fts MATCH ?1"
					    " AND rowid = ?2", -1, &stmt, NULL), SQLITE_OK);
	sqlite3_bind_text(stmt, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, id);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	snprintf(buf, size, "%s", (const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
}

struct hit_snippets {
	struct store *st;
	const char *match;
	int n;
};

static int
snippet_as_fts5(const struct store_hit *hit, void *ctx)
{
	struct hit_snippets *h = ctx;
	char want[2048];

	fts5_snippet(h->st, h->match, hit->provision->id, want, sizeof(want));
	if (strcmp(hit->snippet, want) != 0)
		fail_msg("%s, row %lld:\n  made  %s\n  FTS5  %s", h->match,
			 (long long)hit->provision->id, hit->snippet, want);
	h->n++;
	return 0;
}

/* The store cuts each hit's snippet from its excerpt as FTS5's snippet()
 * would (the same window of 24 tokens, the same marks): words, stems,
 * phrases, prefixes, ORs, ANDs and NOTs, matches at the start, the end
 * and the middle of long excerpts of several sentences, and excerpts
 * where the query matches only the headline. */
static void
test_search_snippets_as_fts5_cuts_them(void **state)
{
	struct fixture *f = *state;
	static const char *const excerpts[] = {
		"We train our models on your chats.",
		"Training: we may use Materials to provide, maintain, and improve the Services "
		"and to develop other products and services, including training our models, "
		"unless you opt out of training through your account settings. Even if you opt "
		"out, we will use Materials for model training when you provide Feedback.",
		"You and Acme agree that any dispute will be resolved by binding arbitration, "
		"not in court. The arbitrator may award damages. Arbitration is final: no "
		"appeal lies from an arbitral award, and you waive a jury trial and class "
		"actions (\"class action waiver\").",
		"Nothing here is about that; the headline says it all, and this excerpt goes "
		"on for more than twenty-four words so that the snippet has to be cut short "
		"somewhere before its end.",
		"We do not sell your data. We share data with service providers, and we may "
		"disclose data to the police: data, data and more data, for security, for "
		"fraud prevention and to comply with the law of the country you live in.",
		"Le café est fermé; opt-out requests go to privacy@acme.test (see \u00a712).",
		"Your data stays on your device unless you back it up.",
		NULL,	/* Made below: a word said hundreds of times. */
	};
	static const char *const queries[] = {
		"\"train\"", "\"training\"", "\"opt out\"", "\"arbitr\"*", "\"arbitration\"",
		"\"train\" OR \"opt out\"", "\"data\" AND \"sell\"", "\"data\" NOT \"sell\"",
		"\"class action\" OR \"jury\"", "\"cafe\"", "\"headline\"", "\"data\"",
		"(\"we\" OR \"you\") AND \"models\"", "\"acme\"",
	};
	struct hit_snippets h = { .st = f->st };
	char key[16], many[4096] = "";
	size_t i;

	add_platform(f, "acme", "Acme");
	for (i = 0; i < 300; i++)
		strcat(many, i == 150 ? "We keep data. Then " : "data ");
	for (i = 0; i < sizeof(excerpts) / sizeof(excerpts[0]); i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		add_provision(f, key, "training", excerpts[i] != NULL ? excerpts[i] : many);
	}
	for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		int before = h.n;

		h.match = queries[i];
		assert_int_equal(store_search(f->st, queries[i], NULL, 20, snippet_as_fts5, &h),
				 STORE_OK);
		if (h.n == before)
			fail_msg("no hit for %s", queries[i]);
	}
}

/* A fetched excerpt cannot mark what did not match: the marks' own
 * characters in it are shown as U+FFFD, and only the match is marked. */
static void
test_search_snippet_forges_no_mark(void **state)
{
	struct fixture *f = *state;
	char snippet[256] = "";

	add_platform(f, "acme", "Acme");
	add_provision(f, "k1", "training",
		      "Fake " STORE_MARK_START "highlight" STORE_MARK_END " of your data.");
	assert_int_equal(store_search(f->st, "\"data\"", NULL, 10, keep_snippet, snippet),
			 STORE_OK);
	assert_string_equal(snippet, "Fake \xef\xbf\xbdhighlight\xef\xbf\xbd of your "
			    STORE_MARK_START "data" STORE_MARK_END ".");
}

/* Every filter at once: a hit passes them all, and every row that passes
 * them all is a hit (the kind's and the platform's rows are read first,
 * the severity looked up row by row). */
static void
test_search_filters_combine(void **state)
{
	struct fixture *f = *state;
	static const char *const severities[] = { "high", "medium", "low", "favourable" };
	struct store_provision_filter filter = { 0 };
	struct store_provision_in in = { 0 };
	struct hits *h = calloc(1, sizeof(*h));
	int64_t platform[2];
	char key[16];
	int i, p, expected = 0;

	assert_non_null(h);
	for (p = 0; p < 2; p++) {
		add_platform(f, p == 0 ? "one" : "two", p == 0 ? "One" : "Two");
		platform[p] = f->platform;
		for (i = 0; i < 40; i++) {
			snprintf(key, sizeof(key), "p%dk%d", p, i);
			in.key = key;
			in.document_id = f->document;
			in.kind = i % 3 == 0 ? "arbitration" : "training";
			in.excerpt = "Disputes about chats go to a court.";
			in.severity = severities[i % 4];
			in.first_version = in.last_version = f->version;
			assert_int_equal(store_put_provision(f->st, &in, NULL), STORE_OK);
			expected += p == 1 && i % 3 == 0 && i % 4 == 2;
		}
	}
	filter.platform_id = platform[1];
	filter.kind = "arbitration";
	filter.severity = "low";
	assert_int_equal(store_search(f->st, "\"chats\"", &filter, 0, keep_hit, h), STORE_OK);
	assert_int_equal(h->n, expected);
	for (i = 0; i < h->n; i++) {
		assert_int_equal(h->platform[i], platform[1]);
		assert_string_equal(h->kind[i], "arbitration");
	}
	/* Row by row (an AND), the kind's rows let by before they are ranked. */
	filter.platform_id = 0;
	filter.severity = NULL;
	memset(h, 0, sizeof(*h));
	assert_int_equal(store_search(f->st, "\"chats\" AND \"court\"", &filter, 0, keep_hit, h),
			 STORE_OK);
	assert_int_equal(h->n, 2 * 14);
	for (i = 0; i < h->n; i++)
		assert_string_equal(h->kind[i], "arbitration");
	/* An OR, each phrase walked: the kind's rows alone are gathered. */
	memset(h, 0, sizeof(*h));
	assert_int_equal(store_search(f->st, "\"chats\" OR \"court\"", &filter, 0, keep_hit, h),
			 STORE_OK);
	assert_int_equal(h->n, 2 * 14);
	for (i = 0; i < h->n; i++)
		assert_string_equal(h->kind[i], "arbitration");
	filter.platform_id = platform[1];
	filter.severity = "low";
	/* A kind no row has: no hit, and no error. */
	filter.kind = "nosuch";
	memset(h, 0, sizeof(*h));
	assert_int_equal(store_search(f->st, "\"chats\"", &filter, 0, keep_hit, h), STORE_OK);
	assert_int_equal(h->n, 0);
	free(h);
}

static int
keep_platform_row(const struct store_platform *p, void *ctx)
{
	*(struct store_platform *)ctx = *p;
	((struct store_platform *)ctx)->slug = NULL;	/* Borrowed: not kept. */
	((struct store_platform *)ctx)->name = NULL;
	((struct store_platform *)ctx)->operator_name = NULL;
	((struct store_platform *)ctx)->sector = NULL;
	((struct store_platform *)ctx)->homepage = NULL;
	return 0;
}

/* The quick list has no counts; one platform read alone has them all. */
static void
test_platform_counts(void **state)
{
	struct fixture *f = *state;
	struct store_provision_in in = { 0 };
	struct store_platform row;
	int total = -1;
	sqlite3 *db;

	add_platform(f, "acme", "Acme");
	add_provision(f, "a", "training", "one");
	in.key = "b";
	in.document_id = f->document;
	in.kind = "arbitration";
	in.excerpt = "two";
	in.severity = "high";
	assert_int_equal(store_put_provision(f->st, &in, NULL), STORE_OK);
	assert_int_equal(store_each_platform_name(f->st, keep_platform_row, &row), STORE_OK);
	assert_int_equal(row.provisions, 0);
	assert_int_equal(store_get_platform(f->st, f->platform, keep_platform_row, &row), STORE_OK);
	assert_int_equal(row.provisions, 2);
	assert_int_equal(row.high, 1);
	assert_int_equal(row.medium, 1);
	assert_int_equal(row.documents, 1);
	assert_int_equal(store_count_provisions(f->st, &total), STORE_OK);
	assert_int_equal(total, 2);
	assert_int_equal(store_get_platform(f->st, 999, keep_platform_row, &row), STORE_NOT_FOUND);
	/* The full list counts the same. */
	assert_int_equal(store_each_platform(f->st, keep_platform_row, &row), STORE_OK);
	assert_int_equal(row.provisions, 2);
	assert_int_equal(row.high, 1);
	/* The total is kept by triggers: deleted rows leave it, whoever deletes
	 * them, and so do rows a document takes with it. */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DELETE FROM provision WHERE key = 'b'", NULL, NULL,
				      NULL), SQLITE_OK);
	assert_int_equal(store_count_provisions(f->st, &total), STORE_OK);
	assert_int_equal(total, 1);
	assert_int_equal(sqlite3_exec(db, "DELETE FROM document", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_count_provisions(f->st, &total), STORE_OK);
	assert_int_equal(total, 0);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM provision"), 0);
}

static int
count_platform(const struct store_platform *p, void *ctx)
{
	(void)p;
	(*(int *)ctx)++;
	return 0;
}

static void
test_watch_follows_platform(void **state)
{
	struct fixture *f = *state;
	int n = 0;

	add_platform(f, "acme", "Acme");
	assert_int_equal(store_watch(f->st, f->platform, 1), STORE_OK);
	assert_int_equal(store_watch(f->st, f->platform, 1), STORE_OK);
	assert_int_equal(store_each_watched(f->st, count_platform, &n), STORE_OK);
	assert_int_equal(n, 1);
	/* A watch of a platform that does not exist is refused (foreign key). */
	assert_int_equal(store_watch(f->st, 9999, 1), STORE_ERROR);
	/* Deleting the platform deletes its watch. */
	assert_int_equal(sqlite3_exec(f->st->db, "DELETE FROM platform", NULL, NULL, NULL),
			 SQLITE_OK);
	n = 0;
	assert_int_equal(store_each_watched(f->st, count_platform, &n), STORE_OK);
	assert_int_equal(n, 0);
}

static int
stop_at_first(const struct store_platform *p, void *ctx)
{
	(void)p;
	(*(int *)ctx)++;
	return 42;
}

static void
test_walk_stops_when_asked(void **state)
{
	struct fixture *f = *state;
	int n = 0;

	add_platform(f, "a", "A");
	add_platform(f, "b", "B");
	assert_int_equal(store_each_platform(f->st, stop_at_first, &n), 42);
	assert_int_equal(n, 1);
	/* The statement was reset: the next walk starts again. */
	n = 0;
	assert_int_equal(store_each_platform(f->st, stop_at_first, &n), 42);
	assert_int_equal(n, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_sets_up_the_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_keeps_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration_from_each_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_ranks_best_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_keeps_the_best_of_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_weighs_rare_words, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_or_walk_ranks_as_row_by_row, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_provision_elsewhere, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_filter_with_hostile_slug, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_newer_database_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable_path_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_follows_provisions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_versions_are_deduplicated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_kind_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_platform, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_refuses_bad_expression, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_filters_and_snippets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_snippets_as_fts5_cuts_them, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_search_snippet_forges_no_mark, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_filters_combine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_snippets_of_a_word_and_its_prefixes_alike,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_stops_when_asked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_platform_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_follows_platform, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
