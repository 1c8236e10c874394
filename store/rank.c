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

static int
count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx)
{
	(void)api;
	(void)fts;
	(*(sqlite3_int64 *)ctx)++;
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
		sqlite3_int64 hits = 0;
		double idf;

		*rc = api->xQueryPhrase(fts, i, &hits, count_row);
		idf = log(0.5 + ((double)rows - (double)hits + 0.5) / ((double)hits + 0.5));
		data->idf[i] = idf > 1e-6 ? idf : 1e-6;
	}
	if (*rc == SQLITE_OK)
		*rc = api->xSetAuxdata(fts, data, free);
	else
		free(data);
	return *rc == SQLITE_OK ? data : NULL;
}

static void
clause_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
	    sqlite3_value **val)
{
	struct rank_idf *data;
	double score = 0.0;
	int rc = SQLITE_OK, ninst, i;

	if ((data = rank_idf(api, fts, &rc)) == NULL) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	rc = api->xInstCount(fts, &ninst);
	for (i = 0; rc == SQLITE_OK && i < ninst; i++) {
		int phrase, column, offset;
		double weight;

		rc = api->xInst(fts, i, &phrase, &column, &offset);
		if (rc != SQLITE_OK || phrase < 0 || phrase >= data->nphrase)
			break;
		weight = column < nval ? sqlite3_value_double(val[column]) : 1.0;
		score += weight * data->idf[phrase];
	}
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	sqlite3_result_double(ctx, -score);
}

int
store_rank_register(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *stmt;
	int rc;

	rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(stmt);
	rc = sqlite3_finalize(stmt);
	if (rc != SQLITE_OK || api == NULL)
		return rc != SQLITE_OK ? rc : SQLITE_ERROR;
	return api->xCreateFunction(api, "clause_rank", NULL, clause_rank, NULL);
}
