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
	double idf[];
};

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
	data = malloc(sizeof(*data) + (size_t)(n > 0 ? n : 1) * sizeof(double));
	if (data == NULL) {
		*rc = SQLITE_NOMEM;
		return NULL;
	}
	data->nphrase = n;
	/* One phrase weighs the same in every row: its frequency, a pass
	 * over every match, would change no row's place. */
	if (n == 1) {
		data->idf[0] = 1.0;
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
		idf = log(0.5 + ((double)rows - hits + 0.5) / (hits + 0.5));
		data->idf[i] = idf > 1e-6 ? idf : 1e-6;
	}
	if (*rc == SQLITE_OK)
		*rc = api->xSetAuxdata(fts, data, free);
	else
		free(data);
	return *rc == SQLITE_OK ? data : NULL;
}

/* The score of one phrase's places in the row, weighed by column. */
static int
phrase_places(const Fts5ExtensionApi *api, Fts5Context *fts, int phrase, int nval,
	      sqlite3_value **val, double *score)
{
	Fts5PhraseIter iter;
	int column, offset, rc;

	*score = 0.0;
	rc = api->xPhraseFirst(fts, phrase, &iter, &column, &offset);
	for (; rc == SQLITE_OK && column >= 0; api->xPhraseNext(fts, &iter, &column, &offset))
		*score += column < nval ? sqlite3_value_double(val[column]) : 1.0;
	return rc;
}

static void
clause_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
	    sqlite3_value **val)
{
	struct rank_idf *data;
	double score = 0.0;
	int rc = SQLITE_OK, phrase;

	if ((data = rank_idf(api, fts, &rc)) == NULL) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	/* Phrase by phrase (xPhraseFirst), not xInst, which would first sort
	 * every phrase's places in the row together. */
	for (phrase = 0; rc == SQLITE_OK && phrase < data->nphrase; phrase++) {
		double places;

		rc = phrase_places(api, fts, phrase, nval, val, &places);
		score += places * data->idf[phrase];
	}
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	sqlite3_result_double(ctx, -score);
}

/* A walk of clause_rank_walk() over one phrase's matches. */
struct walk_rows {
	struct rank_walk *walk;
	int nval;
	sqlite3_value **val;
};

static int
walk_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx)
{
	struct walk_rows *w = ctx;
	sqlite3_int64 id = api->xRowid(fts);
	double score;
	int rc;

	if (id < w->walk->low || id > w->walk->high)
		return SQLITE_OK;
	rc = phrase_places(api, fts, 0, w->nval, w->val, &score);
	if (rc != SQLITE_OK)
		return rc;
	w->walk->rc = w->walk->row(w->walk->ctx, id, -score);
	/* SQLITE_DONE ends the walk without an error of FTS5's. */
	return w->walk->rc == STORE_OK ? SQLITE_OK : SQLITE_DONE;
}

/* clause_rank_walk(provision_fts, weights...): called on the first match
 * (LIMIT 1), it ranks every match of a one-phrase query in one walk
 * (xQueryPhrase) and hands each row in st->walk's span, with the rank
 * clause_rank would give it, to st->walk's callback: no SQLite row and no
 * function call per match.  Returns 1, or 0 when the query has more than
 * one phrase, which the caller then ranks row by row. */
static void
clause_rank_walk(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		 int nval, sqlite3_value **val)
{
	struct store *st = api->xUserData(fts);
	struct walk_rows w = { st->walk, nval, val };
	int rc;

	if (st->walk == NULL) {
		sqlite3_result_error(ctx, "clause_rank_walk outside a search", -1);
		return;
	}
	if (api->xPhraseCount(fts) != 1) {
		sqlite3_result_int(ctx, 0);
		return;
	}
	rc = api->xQueryPhrase(fts, 0, &w, walk_row);
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
