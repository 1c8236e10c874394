/*
 * search: store_search(), the best provisions for an FTS5 expression.
 *
 * Asked for ORDER BY rank, FTS5 hands every match with its rank to
 * SQLite's sorter, and sorting is what costs most: on a word found in a
 * third of 100,000 provisions, three times the ranking itself.  Only the
 * first few rows are wanted, so the store keeps those itself:
 *
 *   1. one pass over the matches ranks each (clause_rank, see rank.c; for
 *      a query of one phrase, or of phrases joined by OR, clause_rank_walk
 *      ranks them all in one call) and keeps the best `limit` in a heap,
 *      ties going to the older row; a platform or kind filter is a list
 *      of ids read first, a severity filter a lookup made only for a row
 *      good enough to be kept;
 *   2. the kept rows are read whole, best first, in one statement (one a
 *      row cost five times as long), and each is handed to the callback
 *      with its snippet, cut from its excerpt around the query's phrases
 *      by snippet.c: FTS5's snippet() would run the query again and seek
 *      each row, which took as long as the ranking.
 *
 * Both run in one read transaction, so that a writer committing
 * between them changes nothing that is returned.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-internal.h"
#include "strbuf.h"

/* A row kept by the first pass. */
struct kept {
	int64_t id;
	double rank;		/* Lower is better. */
};

/* The rows of a filter, sorted by id. */
struct id_set {
	int64_t *id;
	size_t n;
};

struct search {
	struct store *st;
	const struct store_provision_filter *f;
	int limit;			/* Rows to keep; <= 0: all. */
	struct kept *heap;		/* The worst kept row first, until sorted. */
	size_t n, cap;
	struct id_set platform;		/* With a platform filter only. */
	struct id_set kind;		/* With a kind filter only. */
};

/* Whether a is worse than b: a higher rank, or as high and younger. */
static int
worse(const struct kept *a, const struct kept *b)
{
	return a->rank > b->rank || (a->rank == b->rank && a->id > b->id);
}

static void
swap(struct kept *h, size_t i, size_t j)
{
	struct kept t = h[i];

	h[i] = h[j];
	h[j] = t;
}

static void
sift_up(struct kept *h, size_t i)
{
	while (i > 0 && worse(&h[i], &h[(i - 1) / 2])) {
		swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
sift_down(struct kept *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, top = i;

		if (l < n && worse(&h[l], &h[top]))
			top = l;
		if (r < n && worse(&h[r], &h[top]))
			top = r;
		if (top == i)
			break;
		swap(h, i, top);
		i = top;
	}
}

static int
compare_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int
no_memory(struct store *st)
{
	snprintf(st->errmsg, sizeof(st->errmsg), "out of memory");
	return STORE_ERROR;
}

static int
compare_best_first(const void *a, const void *b)
{
	const struct kept *x = a, *y = b;

	return worse(x, y) ? 1 : worse(y, x) ? -1 : 0;
}

/* Whether a row would be kept, before its filters are looked at. */
static int
good_enough(const struct search *s, int64_t id, double rank)
{
	struct kept candidate = { id, rank };

	return s->limit <= 0 || s->n < (size_t)s->limit || worse(&s->heap[0], &candidate);
}

int
store_ids_have(const int64_t *ids, size_t n, int64_t id)
{
	return n > 0 && bsearch(&id, ids, n, sizeof(id), compare_id) != NULL;
}

static int
in_set(const struct id_set *set, int64_t id)
{
	return store_ids_have(set->id, set->n, id);
}

/* Whether the row passes the filters: 1, 0, or a STORE_ status < 0.  A
 * kind filter's rows are the only ones pass 1 ranks (walk.only, or
 * clause_wanted row by row), so it is not asked again here. */
static int
passes(struct search *s, int64_t id)
{
	const struct store_provision_filter *f = s->f;
	sqlite3_stmt *stmt;
	int rc;

	if (f == NULL)
		return 1;
	if (f->platform_id != 0 && !in_set(&s->platform, id))
		return 0;
	if (f->severity == NULL)
		return 1;
	if ((stmt = store_stmt(s->st, STMT_SEARCH_FILTER)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, id);
	store_bind_text(stmt, 2, f->severity);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail(s->st, "cannot filter a search");
}

static int
keep(struct search *s, int64_t id, double rank)
{
	struct kept row = { id, rank };

	if (s->limit > 0 && s->n == (size_t)s->limit) {
		s->heap[0] = row;
		sift_down(s->heap, s->n, 0);
		return STORE_OK;
	}
	if (s->n == s->cap) {
		size_t ncap = s->cap != 0 ? s->cap * 2 : 64;
		struct kept *nh = realloc(s->heap, ncap * sizeof(*nh));

		if (nh == NULL)
			return no_memory(s->st);
		s->heap = nh;
		s->cap = ncap;
	}
	s->heap[s->n] = row;
	sift_up(s->heap, s->n++);
	return STORE_OK;
}

/* The ids a bound statement returns, sorted, into set. */
static int
read_ids(struct search *s, sqlite3_stmt *stmt, struct id_set *set, const char *what)
{
	size_t cap = 0;
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (set->n == cap) {
			size_t ncap = cap != 0 ? cap * 2 : 256;
			int64_t *n = realloc(set->id, ncap * sizeof(*n));

			if (n == NULL) {
				sqlite3_reset(stmt);
				return no_memory(s->st);
			}
			set->id = n;
			cap = ncap;
		}
		set->id[set->n++] = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(s->st, what);
	/* No rows, no array: qsort wants one all the same. */
	if (set->n > 1)
		qsort(set->id, set->n, sizeof(int64_t), compare_id);
	return STORE_OK;
}

/* The ids of the platform's provisions, sorted. */
static int
read_platform_ids(struct search *s, int64_t platform_id)
{
	sqlite3_stmt *stmt = store_stmt(s->st, STMT_SEARCH_PLATFORM_IDS);

	if (stmt == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, platform_id);
	return read_ids(s, stmt, &s->platform, "cannot read the platform's provisions");
}

/* The ids of the kind's provisions, sorted: a few thousand read from the
 * index at once cost less than the lookup of each row good enough to be
 * kept, which on a common word is most of its matches (a twenty-fifth of
 * them pass, so the heap fills late). */
static int
read_kind_ids(struct search *s, const char *kind)
{
	sqlite3_stmt *stmt = store_stmt(s->st, STMT_SEARCH_KIND_IDS);

	if (stmt == NULL)
		return STORE_ERROR;
	store_bind_text(stmt, 1, kind);
	return read_ids(s, stmt, &s->kind, "cannot read the kind's provisions");
}

/* Narrow [*low, *high] to the span of a filter's rows; 0 when it has none. */
static int
narrow_span(const struct id_set *set, int64_t *low, int64_t *high)
{
	if (set->n == 0)
		return 0;
	if (set->id[0] > *low)
		*low = set->id[0];
	if (set->id[set->n - 1] < *high)
		*high = set->id[set->n - 1];
	return *low <= *high;
}

/* One ranked row: kept when good enough and through the filters. */
static int
consider(void *ctx, int64_t id, double rank)
{
	struct search *s = ctx;
	int ok;

	if (!good_enough(s, id, rank))
		return STORE_OK;
	ok = passes(s, id);
	if (ok == 1)
		return keep(s, id, rank);
	return ok == 0 ? STORE_OK : ok;
}

/* A statement of pass 1 that failed: an expression FTS5 could not parse
 * is said so, without the SQL. */
static int
rank_failed(struct search *s, int rc)
{
	if (rc == SQLITE_ERROR) {
		snprintf(s->st->errmsg, sizeof(s->st->errmsg), "%s", sqlite3_errmsg(s->st->db));
		return STORE_BAD_QUERY;
	}
	return store_fail(s->st, "cannot search");
}

static const char *
skip_spaces(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* The end of the FTS5 string (a phrase) at p, after its closing quote and
 * the '*' of a prefix; NULL when p is no string. */
static const char *
skip_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	for (;;) {
		if (*p == '\0')
			return NULL;
		if (*p == '"' && p[1] != '"')
			break;
		p += *p == '"' ? 2 : 1;
	}
	p++;
	return *p == '*' ? p + 1 : p;
}

/* How many phrases an FTS5 expression of strings joined by OR alone has
 * ("a" OR "b"* OR "c d", as query_parse writes them), and 0 for any other
 * expression (AND, NOT, NEAR, groups, column filters, barewords), which
 * clause_rank_walk leaves to be ranked row by row.  An AND is left there
 * too: FTS5 seeks from the rarer phrase's rows to the others', where a
 * walk of each phrase would step through all of the common one's. */
static int
or_phrases(const char *match)
{
	const char *p = skip_spaces(match);
	int n = 0;

	for (;;) {
		if ((p = skip_string(p)) == NULL)
			return 0;
		n++;
		if (*p == '\0')
			return n;
		if (skip_spaces(p) == p)
			return 0;
		p = skip_spaces(p);
		if (*p == '\0')
			return n;
		if (strncmp(p, "OR", 2) != 0 || skip_spaces(p + 2) == p + 2)
			return 0;
		p = skip_spaces(p + 2);
	}
}

/* Pass 1 in one call (clause_rank_walk), with no SQLite row per match:
 * for a query of one phrase, or of several joined by OR.  *walked is 0
 * for any other, for rank_matches to do row by row. */
static int
walk_matches(struct search *s, const char *match, int64_t low, int64_t high, int *walked)
{
	sqlite3_stmt *stmt = store_stmt(s->st, STMT_SEARCH_WALK);
	struct rank_walk walk = { consider, s, low, high, NULL, 0, or_phrases(match), STORE_OK };
	int rc;

	*walked = 0;
	if (stmt == NULL)
		return STORE_ERROR;
	/* A kind lets one row in twenty-five by: the others are not ranked. */
	if (s->f != NULL && s->f->kind != NULL) {
		walk.only = s->kind.id;
		walk.nonly = s->kind.n;
	}
	store_bind_text(stmt, 1, match);
	s->st->walk = &walk;
	rc = sqlite3_step(stmt);
	/* No row: nothing matches, and there is nothing to rank either. */
	*walked = rc == SQLITE_DONE || (rc == SQLITE_ROW && sqlite3_column_int(stmt, 0) == 1);
	sqlite3_reset(stmt);
	s->st->walk = NULL;
	if (walk.rc != STORE_OK)
		return walk.rc;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : rank_failed(s, rc);
}

/* Pass 1: rank every match, keep the best.  Row by row, a kind filter's
 * rows are let by before clause_rank ranks them (clause_wanted): it lets
 * one in twenty-five by, and ranking the others was most of the time. */
static int
rank_matches(struct search *s, const char *match, int64_t low, int64_t high)
{
	int by_kind = s->f != NULL && s->f->kind != NULL;
	sqlite3_stmt *stmt;
	int rc, walked, ok = STORE_OK;

	if ((rc = walk_matches(s, match, low, high, &walked)) != STORE_OK || walked)
		return rc;
	stmt = store_stmt(s->st, by_kind ? STMT_SEARCH_RANK_WANTED : STMT_SEARCH_RANK);
	if (stmt == NULL)
		return STORE_ERROR;
	store_bind_text(stmt, 1, match);
	sqlite3_bind_int64(stmt, 2, low);
	sqlite3_bind_int64(stmt, 3, high);
	if (by_kind) {
		s->st->wanted = s->kind.id;
		s->st->nwanted = s->kind.n;
	}
	while (ok == STORE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
		ok = consider(s, sqlite3_column_int64(stmt, 0), sqlite3_column_double(stmt, 1));
	sqlite3_reset(stmt);
	s->st->wanted = NULL;
	s->st->nwanted = 0;
	if (ok != STORE_OK)
		return ok;
	return rc == SQLITE_DONE ? STORE_OK : rank_failed(s, rc);
}

/* The kept rows' ids in the heap's order as a JSON array ("[12,40,977]"),
 * for json_each(): the one way to hand SQLite a list of any length in
 * one parameter.  NULL out of memory. */
static char *
kept_ids_json(const struct search *s)
{
	struct strbuf json = { 0 };
	size_t i;

	strbuf_putc(&json, '[');
	for (i = 0; i < s->n; i++)
		strbuf_printf(&json, "%s%lld", i > 0 ? "," : "", (long long)s->heap[i].id);
	strbuf_putc(&json, ']');
	return strbuf_detach(&json, NULL);
}

/* Pass 2: each kept row whole, best first, with its snippet, to the
 * callback. */
static int
hand_over(struct search *s, const char *match,
	  int (*cb)(const struct store_hit *, void *), void *ctx)
{
	struct store_provision p;
	struct store_hit hit = { .provision = &p };
	sqlite3_stmt *stmt = store_stmt(s->st, STMT_SEARCH_HITS);
	struct snippet_query *q;
	char *ids;
	int rc, stop = 0;

	if (stmt == NULL)
		return STORE_ERROR;
	qsort(s->heap, s->n, sizeof(*s->heap), compare_best_first);
	if ((q = snippet_query_parse(s->st, match)) == NULL)
		return no_memory(s->st);
	if ((ids = kept_ids_json(s)) == NULL) {
		snippet_query_free(q);
		return no_memory(s->st);
	}
	sqlite3_bind_text(stmt, 1, ids, -1, SQLITE_TRANSIENT);
	free(ids);
	/* A row deleted since pass 1 is no longer there, and left out. */
	while (stop == 0 && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		/* j.key: the provision's columns, then the row's place. */
		sqlite3_int64 i = sqlite3_column_int64(stmt, sqlite3_column_count(stmt) - 1);
		char *snippet;

		if (i < 0 || (size_t)i >= s->n)
			continue;
		store_row_provision(stmt, &p);
		snippet = p.excerpt != NULL ? snippet_make(s->st, q, p.excerpt) : NULL;
		if (snippet == NULL && p.excerpt != NULL) {
			stop = no_memory(s->st);
			break;
		}
		hit.snippet = snippet;
		hit.rank = s->heap[i].rank;
		stop = cb(&hit, ctx);
		free(snippet);
	}
	sqlite3_reset(stmt);
	snippet_query_free(q);
	if (stop != 0)
		return stop;
	return rc == SQLITE_DONE ? STORE_OK : store_fail(s->st, "cannot read a search's hits");
}

static int
search_run(struct search *s, const char *match, int (*cb)(const struct store_hit *, void *),
	   void *ctx)
{
	int64_t low = INT64_MIN, high = INT64_MAX;
	int rc;

	/* Only the span of the filters' rows is walked. */
	if (s->f != NULL && s->f->platform_id != 0) {
		if ((rc = read_platform_ids(s, s->f->platform_id)) != STORE_OK)
			return rc;
		if (!narrow_span(&s->platform, &low, &high))
			return STORE_OK;
	}
	if (s->f != NULL && s->f->kind != NULL) {
		if ((rc = read_kind_ids(s, s->f->kind)) != STORE_OK)
			return rc;
		if (!narrow_span(&s->kind, &low, &high))
			return STORE_OK;
	}
	if ((rc = rank_matches(s, match, low, high)) != STORE_OK || s->n == 0)
		return rc;
	return hand_over(s, match, cb, ctx);
}

int
store_search(struct store *st, const char *match, const struct store_provision_filter *f,
	     int limit, int (*cb)(const struct store_hit *, void *), void *ctx)
{
	struct search s = { .st = st, .f = f, .limit = limit };
	int own_transaction = sqlite3_get_autocommit(st->db), rc;

	if (own_transaction && sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, "cannot begin a search");
	rc = search_run(&s, match, cb, ctx);
	if (own_transaction)
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	free(s.heap);
	free(s.platform.id);
	free(s.kind.id);
	return rc;
}

/* clause_wanted(rowid): whether a kind filter lets the row by (pass 1,
 * row by row). */
static void
clause_wanted(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct store *st = sqlite3_user_data(ctx);
	int64_t id = sqlite3_value_int64(argv[0]);

	(void)argc;
	sqlite3_result_int(ctx, store_ids_have(st->wanted, st->nwanted, id));
}

int
store_search_register(struct store *st)
{
	return sqlite3_create_function(st->db, "clause_wanted", 1, SQLITE_UTF8, st,
				       clause_wanted, NULL, NULL);
}
