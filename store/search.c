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
 *   2. a second pass makes the snippets of the kept rows: FTS5 seeks each
 *      by rowid, or (where few matches lie between them, or for a prefix
 *      the index keeps no entries for) walks the rowids they span,
 *      clause_wanted() letting the others by;
 *   3. the kept rows are read whole, best first, for the callback.
 *
 * Passes 2 and 3 each run one statement for all the kept rows, given as a
 * JSON array of ids: a statement a row cost up to five times as long.
 *
 * The three run in one read transaction, so that a writer committing
 * between them changes nothing that is returned.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-internal.h"

/* A row kept by the first pass. */
struct kept {
	int64_t id;
	double rank;		/* Lower is better. */
	size_t seen;		/* Matches ranked up to this one, with it. */
	char *snippet;
};

/* Matches in the span of the kept rows, per kept row, up to which pass 2
 * walks the span rather than seek each row.  A seek costs FTS5 up to what
 * stepping through 500 matches of a word does: a term's list is read from
 * its start up to the row unless it is long enough to have an index of
 * its own.  A match of a phrase of several words costs the walk more, all
 * the rows that have its words, together or not: some ten times more. */
#define SPAN_MATCHES_PER_ROW 500
#define SPAN_PHRASE_MATCHES_PER_ROW 50

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
	size_t seen;			/* Matches ranked, which come in rowid order. */
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
compare_kept_id(const void *a, const void *b)
{
	const struct kept *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
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
	struct kept candidate = { id, rank, 0, NULL };

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
	struct kept row = { id, rank, s->seen, NULL };

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

	s->seen++;
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

/* Whether a byte is one of a word, as unicode61 sees it near enough:
 * ASCII letters and digits and any byte of a multi-byte character. */
static int
is_word_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	       || c >= 0x80;
}

/* The characters of the last word of the string that ends (closing quote
 * excluded) at end and starts after start. */
static size_t
last_word_chars(const char *start, const char *end)
{
	size_t n = 0;

	while (end > start && is_word_byte((unsigned char)end[-1])) {
		end--;
		/* UTF-8: count the bytes that start a character. */
		n += ((unsigned char)*end & 0xc0) != 0x80;
	}
	return n;
}

/* Whether an FTS5 expression has a string of several words ("of service"). */
static int
has_phrase_of_words(const char *match)
{
	const char *p;
	int quoted = 0, words = 0, in_word = 0;

	for (p = match; *p != '\0'; p++) {
		if (*p == '"') {
			/* "" in a string closes and opens it again. */
			quoted = !quoted;
			words = in_word = 0;
		} else if (quoted && is_word_byte((unsigned char)*p)) {
			words += !in_word;
			in_word = 1;
			if (words > 1)
				return 1;
		} else {
			in_word = 0;
		}
	}
	return 0;
}

/* Whether an FTS5 expression has a prefix the index keeps no entries for
 * (a '*' outside strings, after a last word shorter or longer than
 * STORE_FTS_PREFIX_MIN..MAX characters), which FTS5 answers by merging
 * the lists of every term it begins, anew for each statement.  A guess
 * where the tokenizer sees the words otherwise costs time, never hits. */
static int
has_unindexed_prefix(const char *match)
{
	const char *p, *open = NULL;
	size_t n;

	for (p = match; *p != '\0'; p++) {
		if (*p == '"') {
			/* "" in a string closes and opens it again. */
			open = open == NULL ? p : NULL;
		} else if (*p == '*' && open == NULL) {
			n = p > match && p[-1] == '"' ? last_word_chars(match, p - 1)
						       : last_word_chars(match, p);
			if (n < STORE_FTS_PREFIX_MIN || n > STORE_FTS_PREFIX_MAX)
				return 1;
		}
	}
	return 0;
}

/* Set the snippet of kept row i to text (which may be NULL). */
static int
set_snippet(struct search *s, size_t i, const char *text)
{
	if (text == NULL)
		return STORE_OK;
	free(s->heap[i].snippet);
	if ((s->heap[i].snippet = strdup(text)) == NULL)
		return no_memory(s->st);
	return STORE_OK;
}

/* The snippets in one walk over the rowids the kept rows span, the
 * others let by (clause_wanted). */
static int
snippets_by_span(struct search *s, const char *match)
{
	sqlite3_stmt *stmt = store_stmt(s->st, STMT_SEARCH_SNIPPETS);
	int64_t *ids = malloc(s->n * sizeof(*ids));
	size_t i;
	int rc, ok = STORE_OK;

	if (stmt == NULL || ids == NULL) {
		free(ids);
		return stmt == NULL ? STORE_ERROR : no_memory(s->st);
	}
	for (i = 0; i < s->n; i++)
		ids[i] = s->heap[i].id;
	s->st->wanted = ids;
	s->st->nwanted = s->n;
	store_bind_text(stmt, 1, match);
	sqlite3_bind_int64(stmt, 2, ids[0]);
	sqlite3_bind_int64(stmt, 3, ids[s->n - 1]);
	while (ok == STORE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(stmt, 0);
		const int64_t *at = bsearch(&id, ids, s->n, sizeof(id), compare_id);

		if (at != NULL)
			ok = set_snippet(s, (size_t)(at - ids), store_column_text(stmt, 1));
	}
	sqlite3_reset(stmt);
	s->st->wanted = NULL;
	s->st->nwanted = 0;
	free(ids);
	if (ok != STORE_OK)
		return ok;
	return rc == SQLITE_DONE ? STORE_OK : store_fail(s->st, "cannot make the snippets");
}

/* The kept rows' ids in the heap's order as a JSON array ("[12,40,977]"),
 * for json_each():
 * the one way to hand SQLite a list of any length in one parameter.
 * NULL out of memory. */
static char *
kept_ids_json(const struct search *s)
{
	/* 20 characters an int64 at most, a comma, and the brackets. */
	size_t size = s->n * 21 + 3, used = 0, i;
	char *json = malloc(size);

	if (json == NULL)
		return NULL;
	json[used++] = '[';
	for (i = 0; i < s->n; i++)
		used += (size_t)snprintf(json + used, size - used, "%s%lld", i > 0 ? "," : "",
					 (long long)s->heap[i].id);
	json[used++] = ']';
	json[used] = '\0';
	return json;
}

/* The snippets of the kept rows, FTS5 seeking each by rowid, in one
 * statement: a statement a row read the expression and looked its terms
 * up anew each time, a third of this pass. */
static int
snippets_by_row(struct search *s, const char *match)
{
	sqlite3_stmt *stmt = store_stmt(s->st, STMT_SEARCH_SNIPPETS_BY_ID);
	char *ids = kept_ids_json(s);
	int rc, ok = STORE_OK;

	if (stmt == NULL || ids == NULL) {
		free(ids);
		return stmt == NULL ? STORE_ERROR : no_memory(s->st);
	}
	store_bind_text(stmt, 1, match);
	sqlite3_bind_text(stmt, 2, ids, -1, SQLITE_TRANSIENT);
	while (ok == STORE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct kept key = { .id = sqlite3_column_int64(stmt, 0) };
		const struct kept *at = bsearch(&key, s->heap, s->n, sizeof(*s->heap),
						compare_kept_id);

		if (at != NULL)
			ok = set_snippet(s, (size_t)(at - s->heap), store_column_text(stmt, 1));
	}
	sqlite3_reset(stmt);
	free(ids);
	if (ok != STORE_OK)
		return ok;
	return rc == SQLITE_DONE ? STORE_OK : store_fail(s->st, "cannot make the snippets");
}

/* Pass 2: the snippets of the kept rows, which are sorted by id.  A walk
 * of their span goes through every match between the first and the
 * last, and the best rows of a common word are spread over all of them:
 * half the time of such a search went there.  Seeking each row costs
 * FTS5 a lookup of each term instead, more than the walk where the span
 * holds few matches (pass 1 counted them), and much more for a prefix the
 * index has no entries for, whose terms it merges anew each time (2 ms
 * for a common one). */
static int
make_snippets(struct search *s, const char *match)
{
	double in_span = (double)(s->heap[s->n - 1].seen - s->heap[0].seen + 1);
	size_t per_row = has_phrase_of_words(match) ? SPAN_PHRASE_MATCHES_PER_ROW
						    : SPAN_MATCHES_PER_ROW;

	/* Pass 1 counted a kind's rows alone, which the walk of the span steps
	 * through with all the others: as many more as the kind is rare. */
	if (s->f != NULL && s->f->kind != NULL)
		in_span *= (double)(s->kind.id[s->kind.n - 1] - s->kind.id[0] + 1)
			   / (double)s->kind.n;
	if (in_span <= (double)(per_row * s->n) || has_unindexed_prefix(match))
		return snippets_by_span(s, match);
	return snippets_by_row(s, match);
}

/* Pass 3: each kept row whole, best first, to the callback, read in one
 * statement: one a row took five times as long, a tenth of a median
 * search. */
static int
hand_over(struct search *s, int (*cb)(const struct store_hit *, void *), void *ctx)
{
	struct store_provision p;
	struct store_hit hit = { .provision = &p };
	sqlite3_stmt *stmt = store_stmt(s->st, STMT_SEARCH_HITS);
	char *ids;
	int rc, stop = 0;

	if (stmt == NULL)
		return STORE_ERROR;
	qsort(s->heap, s->n, sizeof(*s->heap), compare_best_first);
	if ((ids = kept_ids_json(s)) == NULL)
		return no_memory(s->st);
	sqlite3_bind_text(stmt, 1, ids, -1, SQLITE_TRANSIENT);
	free(ids);
	/* A row deleted since pass 1 is no longer there, and left out. */
	while (stop == 0 && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		sqlite3_int64 i = sqlite3_column_int64(stmt, STORE_PROVISION_COLUMNS);

		if (i < 0 || (size_t)i >= s->n)
			continue;
		store_row_provision(stmt, &p);
		hit.snippet = s->heap[i].snippet != NULL ? s->heap[i].snippet : p.excerpt;
		hit.rank = s->heap[i].rank;
		stop = cb(&hit, ctx);
	}
	sqlite3_reset(stmt);
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
	/* Sorted by id for the second pass; the heap is done with. */
	qsort(s->heap, s->n, sizeof(*s->heap), compare_kept_id);
	if ((rc = make_snippets(s, match)) != STORE_OK)
		return rc;
	return hand_over(s, cb, ctx);
}

int
store_search(struct store *st, const char *match, const struct store_provision_filter *f,
	     int limit, int (*cb)(const struct store_hit *, void *), void *ctx)
{
	struct search s = { .st = st, .f = f, .limit = limit };
	int own_transaction = sqlite3_get_autocommit(st->db), rc;
	size_t i;

	if (own_transaction && sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, "cannot begin a search");
	rc = search_run(&s, match, cb, ctx);
	if (own_transaction)
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	for (i = 0; i < s.n; i++)
		free(s.heap[i].snippet);
	free(s.heap);
	free(s.platform.id);
	free(s.kind.id);
	return rc;
}

/* clause_wanted(rowid): whether the search's second pass wants the row. */
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
