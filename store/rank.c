/*
 * rank: clause_rank(), the FTS5 ranking function of the search index.
 *
 * bm25 normalises each row's score by the row's length, which costs a
 * lookup per matching row: on a common word over 100,000 provisions that
 * lookup is most of the time of a search.  Provisions are short and of
 * like length, so clause ranks without it: the sum, over every place a
 * query term occurs, of the column's weight times the term's inverse
 * document frequency (rarer words weigh more), computed once per query
 * (and left out when the query has a single phrase, whose every match it
 * would scale alike).
 * Lower is better, as with bm25, so that ORDER BY rank puts the best first.
 */

#include <math.h>
#include <stdlib.h>

#include "store-internal.h"

/* The inverse document frequency of each phrase of the query, kept with
 * the query by FTS5 (xSetAuxdata) and freed with it. */
struct rank_idf {
	int nphrase;
	double *hits;		/* Each phrase's count of rows (after idf[]); */
	double idf[];		/* both left out for a single phrase. */
};

/* Columns of the index (excerpt, headline, impact, platform, kind), and
 * some: the most whose weights a call reads. */
#define RANK_COLUMNS_MAX 8

/* Matches counted exactly; past them a phrase's count is estimated. */
#define COUNT_EXACTLY 1000

/* A phrase's count of matching rows, as it is walked in rowid order. */
struct phrase_count {
	sqlite3_int64 hits;
	sqlite3_int64 last_rowid;	/* Of the last match counted. */
};

static int
count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx)
{
	struct phrase_count *c = ctx;

	c->hits++;
	c->last_rowid = api->xRowid(fts);
	return c->hits < COUNT_EXACTLY ? SQLITE_OK : SQLITE_DONE;
}

/* How many of rows (rowids up to max_rowid) match the phrase: exact up to
 * COUNT_EXACTLY, then estimated from how far the first COUNT_EXACTLY went
 * into the rowids.  A common word's count would take a walk over a third
 * of the index, for a weight that only its logarithm sets. */
static int
count_phrase(const Fts5ExtensionApi *api, Fts5Context *fts, int phrase, sqlite3_int64 max_rowid,
	     double *hits)
{
	struct phrase_count c = { 0, 0 };
	int rc = api->xQueryPhrase(fts, phrase, &c, count_row);

	if (rc != SQLITE_OK)
		return rc;
	*hits = (double)c.hits;
	if (c.hits >= COUNT_EXACTLY && c.last_rowid > 0 && max_rowid > c.last_rowid)
		*hits = (double)c.hits * (double)max_rowid / (double)c.last_rowid;
	return SQLITE_OK;
}

static struct rank_idf *
rank_idf(const Fts5ExtensionApi *api, Fts5Context *fts, int *rc)
{
	struct rank_idf *data = api->xGetAuxdata(fts, 0);
	sqlite3_int64 rows = 0;
	int i, n;

	*rc = SQLITE_OK;
	if (data != NULL)
		return data;
	n = api->xPhraseCount(fts);
	data = malloc(sizeof(*data) + 2 * (size_t)(n > 0 ? n : 1) * sizeof(double));
	if (data == NULL) {
		*rc = SQLITE_NOMEM;
		return NULL;
	}
	data->nphrase = n;
	data->hits = data->idf + (n > 0 ? n : 1);
	/* One phrase weighs the same in every row: its frequency, a pass
	 * over every match, would change no row's place. */
	if (n == 1) {
		data->idf[0] = 1.0;
		data->hits[0] = 0.0;
		n = 0;
	} else {
		*rc = api->xRowCount(fts, &rows);
	}
	for (i = 0; *rc == SQLITE_OK && i < n; i++) {
		double hits = 0.0, idf;

		/* Rowids are dense, near enough, up to the count of rows. */
		*rc = count_phrase(api, fts, i, rows, &hits);
		if (hits > (double)rows)
			hits = (double)rows;
		data->hits[i] = hits;
		idf = log(0.5 + ((double)rows - hits + 0.5) / (hits + 0.5));
		data->idf[i] = idf > 1e-6 ? idf : 1e-6;
	}
	if (*rc == SQLITE_OK)
		*rc = api->xSetAuxdata(fts, data, free);
	else
		free(data);
	return *rc == SQLITE_OK ? data : NULL;
}

/* The weight of each column, as the function's arguments give them;
 * a column past them weighs 1.  Read once a call (or a walk), not once
 * a place, where converting them took 2 % of a walk's instructions. */
struct column_weights {
	int n;
	double weight[RANK_COLUMNS_MAX];
};

static void
column_weights_read(struct column_weights *w, int nval, sqlite3_value **val)
{
	int i;

	w->n = nval < RANK_COLUMNS_MAX ? nval : RANK_COLUMNS_MAX;
	for (i = 0; i < w->n; i++)
		w->weight[i] = sqlite3_value_double(val[i]);
}

/* The score of one phrase's places in the row, weighed by column. */
static int
phrase_places(const Fts5ExtensionApi *api, Fts5Context *fts, int phrase,
	      const struct column_weights *w, double *score)
{
	Fts5PhraseIter iter;
	int column, offset, rc;

	*score = 0.0;
	rc = api->xPhraseFirst(fts, phrase, &iter, &column, &offset);
	for (; rc == SQLITE_OK && column >= 0; api->xPhraseNext(fts, &iter, &column, &offset))
		*score += column < w->n ? w->weight[column] : 1.0;
	return rc;
}

static void
clause_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
	    sqlite3_value **val)
{
	struct rank_idf *data;
	struct column_weights w;
	double score = 0.0;
	int rc = SQLITE_OK, phrase;

	if ((data = rank_idf(api, fts, &rc)) == NULL) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	column_weights_read(&w, nval, val);
	/* Phrase by phrase (xPhraseFirst), not xInst, which would first sort
	 * every phrase's places in the row together. */
	for (phrase = 0; rc == SQLITE_OK && phrase < data->nphrase; phrase++) {
		double places;

		rc = phrase_places(api, fts, phrase, &w, &places);
		score += places * data->idf[phrase];
	}
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	sqlite3_result_double(ctx, -score);
}

/* Whether the walk hands the row over: in its span, and among its only
 * rows where it has them (a kind filter's).  Asked before the row is
 * ranked, which a row that would be thrown away need not be. */
static int
walk_wants(const struct rank_walk *walk, sqlite3_int64 id)
{
	if (id < walk->low || id > walk->high)
		return 0;
	return walk->only == NULL || store_ids_have(walk->only, walk->nonly, id);
}

/* A walk of clause_rank_walk() over one phrase's matches. */
struct walk_rows {
	struct rank_walk *walk;
	const struct column_weights *w;
};

static int
walk_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx)
{
	struct walk_rows *w = ctx;
	sqlite3_int64 id = api->xRowid(fts);
	double score;
	int rc;

	if (!walk_wants(w->walk, id))
		return SQLITE_OK;
	rc = phrase_places(api, fts, 0, w->w, &score);
	if (rc != SQLITE_OK)
		return rc;
	w->walk->rc = w->walk->row(w->walk->ctx, id, -score);
	/* SQLITE_DONE ends the walk without an error of FTS5's. */
	return w->walk->rc == STORE_OK ? SQLITE_OK : SQLITE_DONE;
}

/* One phrase's matches in the walk's span, in rowid order, with the
 * score of the phrase's places in each. */
struct phrase_row {
	sqlite3_int64 id;
	double places;
};

struct phrase_rows {
	struct phrase_row *row;
	size_t n, cap;
};

/* A walk of one phrase of several, gathering its rows in the span. */
struct gather {
	const struct rank_walk *walk;
	struct phrase_rows *rows;
	const struct column_weights *w;
};

static int
gather_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx)
{
	struct gather *g = ctx;
	struct phrase_rows *r = g->rows;
	sqlite3_int64 id = api->xRowid(fts);
	double places;
	int rc;

	if (!walk_wants(g->walk, id))
		return SQLITE_OK;
	/* In the walk of one phrase, that phrase is phrase 0. */
	if ((rc = phrase_places(api, fts, 0, g->w, &places)) != SQLITE_OK)
		return rc;
	if (r->n == r->cap) {
		size_t ncap = r->cap * 2;
		struct phrase_row *grown = realloc(r->row, ncap * sizeof(*grown));

		if (grown == NULL)
			return SQLITE_NOMEM;
		r->row = grown;
		r->cap = ncap;
	}
	r->row[r->n].id = id;
	r->row[r->n].places = places;
	r->n++;
	return SQLITE_OK;
}

/* The least rowid any phrase is at (at[]), into *id; 0 when every phrase
 * is done with. */
static int
next_match(const struct phrase_rows *rows, int n, const size_t *at, sqlite3_int64 *id)
{
	int i, found = 0;

	for (i = 0; i < n; i++) {
		if (at[i] < rows[i].n && (!found || rows[i].row[at[i]].id < *id)) {
			*id = rows[i].row[at[i]].id;
			found = 1;
		}
	}
	return found;
}

/* Rank each row of any phrase and hand it to the walk's callback, in
 * rowid order.  The score adds up the phrases' in phrase order, as
 * clause_rank does, so that the ranks are the same to the last bit. */
static void
hand_matches(struct rank_walk *walk, const struct phrase_rows *rows, int n,
	     const struct rank_idf *data, size_t *at)
{
	sqlite3_int64 id = 0;
	int i;

	while (walk->rc == STORE_OK && next_match(rows, n, at, &id)) {
		double score = 0.0;

		for (i = 0; i < n; i++) {
			if (at[i] < rows[i].n && rows[i].row[at[i]].id == id) {
				score += rows[i].row[at[i]].places * data->idf[i];
				at[i]++;
			}
		}
		walk->rc = walk->row(walk->ctx, id, -score);
	}
}

/* Room for the rows of phrase i: as many as it was counted to have (or
 * as the span, or the only rows, hold), and some, for the count is an
 * estimate past COUNT_EXACTLY; growing a list of tens of thousands would
 * copy it. */
static size_t
rows_room(const struct rank_walk *walk, const struct rank_idf *data, int i)
{
	double width = (double)walk->high - (double)walk->low + 1.0;
	double hits = data->hits[i] * 1.125;

	if (walk->only != NULL && (double)walk->nonly < width)
		width = (double)walk->nonly;
	return (size_t)(hits < width ? hits : width) + 256;
}

/* A query of phrases joined by OR: each phrase walked (xQueryPhrase) for
 * its rows and the places in each, then the lists merged, the rows of
 * any phrase ranked.  Row by row, each match costs an SQLite row and a
 * call of clause_rank: an OR of two common words takes half the time
 * this way. */
static int
walk_phrases(const Fts5ExtensionApi *api, Fts5Context *fts, struct rank_walk *walk,
	     const struct column_weights *w)
{
	const struct rank_idf *data;
	struct phrase_rows *rows;
	size_t *at;
	int rc = SQLITE_OK, n, i;

	if ((data = rank_idf(api, fts, &rc)) == NULL)
		return rc;
	n = data->nphrase;
	rows = calloc((size_t)n, sizeof(*rows));
	at = calloc((size_t)n, sizeof(*at));
	if (rows == NULL || at == NULL)
		rc = SQLITE_NOMEM;
	for (i = 0; rc == SQLITE_OK && i < n; i++) {
		struct gather g = { walk, &rows[i], w };

		rows[i].cap = rows_room(walk, data, i);
		if ((rows[i].row = malloc(rows[i].cap * sizeof(*rows[i].row))) == NULL)
			rc = SQLITE_NOMEM;
		else
			rc = api->xQueryPhrase(fts, i, &g, gather_row);
	}
	if (rc == SQLITE_OK)
		hand_matches(walk, rows, n, data, at);
	for (i = 0; rows != NULL && i < n; i++)
		free(rows[i].row);
	free(rows);
	free(at);
	return rc;
}

/* clause_rank_walk(provision_fts, weights...): called on the first match
 * (LIMIT 1), it ranks every match of the query in one call and hands each
 * row in st->walk's span, with the rank clause_rank would give it, to
 * st->walk's callback: no SQLite row and no function call per match.  A
 * query of one phrase is one walk of its matches (xQueryPhrase); one of
 * phrases joined by OR alone (as the search found it, st->walk->or_phrases)
 * a walk of each and a merge.  Returns 1, or 0 for any other query, which
 * the caller then ranks row by row. */
static void
clause_rank_walk(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		 int nval, sqlite3_value **val)
{
	struct store *st = api->xUserData(fts);
	struct column_weights weights;
	struct walk_rows w = { st->walk, &weights };
	int rc, nphrase = api->xPhraseCount(fts);

	if (st->walk == NULL) {
		sqlite3_result_error(ctx, "clause_rank_walk outside a search", -1);
		return;
	}
	column_weights_read(&weights, nval, val);
	if (nphrase == 1) {
		rc = api->xQueryPhrase(fts, 0, &w, walk_row);
	} else if (st->walk->or_phrases == nphrase) {
		rc = walk_phrases(api, fts, st->walk, &weights);
	} else {
		sqlite3_result_int(ctx, 0);
		return;
	}
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	sqlite3_result_int(ctx, 1);
}

fts5_api *
store_fts5_api(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *stmt;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(stmt);
	if (sqlite3_finalize(stmt) != SQLITE_OK)
		return NULL;
	return api;
}

int
store_rank_walk_register(struct store *st)
{
	fts5_api *api = store_fts5_api(st->db);

	if (api == NULL)
		return SQLITE_ERROR;
	return api->xCreateFunction(api, "clause_rank_walk", st, clause_rank_walk, NULL);
}

int
store_rank_register(sqlite3 *db)
{
	fts5_api *api = store_fts5_api(db);

	if (api == NULL)
		return SQLITE_ERROR;
	return api->xCreateFunction(api, "clause_rank", NULL, clause_rank, NULL);
}
