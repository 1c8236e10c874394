/*
 * classify: provisions found automatically (see classify.h).
 */

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "classify.h"
#include "digest.h"
#include "rules.h"
#include "segment.h"
#include "store.h"

struct classifier {
	struct rules *rules;		/* The embedded rules. */
	struct rules_match match;	/* Scratch for one passage. */
	struct segment_list segments;	/* Scratch for one text. */
};

struct classifier *
classifier_open(char *err, size_t errsize)
{
	struct classifier *c = calloc(1, sizeof(*c));

	if (c == NULL) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	c->rules = rules_load(assets_table(), err, errsize);
	if (c->rules == NULL) {
		free(c);
		return NULL;
	}
	if (rules_match_init(c->rules, &c->match) != 0) {
		snprintf(err, errsize, "out of memory");
		classifier_close(c);
		return NULL;
	}
	return c;
}

void
classifier_close(struct classifier *c)
{
	if (c == NULL)
		return;
	rules_match_free(&c->match);
	segment_list_free(&c->segments);
	rules_free(c->rules);
	free(c);
}

const struct rules *
classifier_rules(const struct classifier *c)
{
	return c->rules;
}

int
classifier_passage(struct classifier *c, const char *text, size_t len,
		   const struct rules_match **m)
{
	int n = rules_match(c->rules, text, len, &c->match);

	*m = &c->match;
	return n;
}

int
classifier_text(struct classifier *c, const char *text, size_t len, int all,
		int (*cb)(const struct classify_passage *, void *), void *ctx, char *err,
		size_t errsize)
{
	char section[512];
	size_t i;
	int n, rc;

	if (segment_text(text, len, &c->segments, err, errsize) != 0)
		return -1;
	for (i = 0; i < c->segments.n; i++) {
		const struct segment *s = &c->segments.items[i];
		struct classify_passage p = {
			.index = i,
			.start = s->start,
			.len = s->len,
			.match = &c->match,
		};

		n = rules_match(c->rules, text + s->start, s->len, &c->match);
		if (n < 0) {
			snprintf(err, errsize, "out of memory");
			return -1;
		}
		if (n == 0 && !all)
			continue;
		p.words = (int)c->match.nwords;
		p.section = segment_section(&c->segments, text, i, section, sizeof(section));
		if ((rc = cb(&p, ctx)) != 0)
			return rc;
	}
	return 0;
}

/* The best passage found for each kind in one document. */
struct best {
	int found;
	int skip;		/* The document has a curated provision of the kind. */
	double score;
	size_t start;
	size_t len;
};

struct document_run {
	struct classifier *c;
	struct best *best;	/* Per kind of the rules. */
	const char *stamp;
	int64_t version_id;
	int current;		/* Already classified under stamp. */
	char *text;		/* A copy of the best passages' source. */
	char *err;
	size_t errsize;
};

static int
note_curated(const char *kind, void *ctx)
{
	struct document_run *run = ctx;
	long k = rules_find_kind(run->c->rules, kind);

	if (k >= 0)
		run->best[k].skip = 1;
	return 0;
}

static int
keep_best(const struct classify_passage *p, void *ctx)
{
	struct document_run *run = ctx;
	size_t k;

	if (p->words < CLASSIFY_MIN_WORDS)
		return 0;
	for (k = 0; k < rules_nkinds(run->c->rules); k++) {
		struct best *b = &run->best[k];

		if (!p->match->given[k] || b->skip || (b->found && b->score >= p->match->score[k]))
			continue;
		*b = (struct best){ .found = 1, .score = p->match->score[k], .start = p->start,
				    .len = p->len };
	}
	return 0;
}

static int
read_source(const struct store_classify_source *src, void *ctx)
{
	struct document_run *run = ctx;
	int rc;

	run->version_id = src->version_id;
	if (src->stamp != NULL && strcmp(src->stamp, run->stamp) == 0) {
		run->current = 1;
		return 0;
	}
	/* Failures return 1 (err written): negative values are the store's. */
	rc = classifier_text(run->c, src->text, src->size, 0, keep_best, run, run->err,
			     run->errsize);
	if (rc != 0)
		return 1;
	/* The passages are offsets into a text that lives only during this
	 * call: keep a copy. */
	if ((run->text = malloc(src->size + 1)) == NULL) {
		snprintf(run->err, run->errsize, "out of memory");
		return 1;
	}
	memcpy(run->text, src->text, src->size);
	run->text[src->size] = '\0';
	return 0;
}

/* Write what run found for document_id. */
static int
write_found(struct store *st, struct document_run *run, int64_t document_id)
{
	const struct rules *r = run->c->rules;
	size_t nkinds = rules_nkinds(r), k, n = 0;
	struct store_classified_in *ps = calloc(nkinds, sizeof(*ps));
	char (*keys)[96] = calloc(nkinds, sizeof(*keys));
	char **excerpts = calloc(nkinds, sizeof(*excerpts));
	json_t *list = json_array();
	char *keys_json = NULL;
	int rc = -1;

	if (ps == NULL || keys == NULL || excerpts == NULL || list == NULL)
		goto nomem;
	for (k = 0; k < nkinds; k++) {
		const struct best *b = &run->best[k];
		char hex[DIGEST_HEX_LEN + 1];

		if (!b->found)
			continue;
		excerpts[n] = strndup(run->text + b->start, b->len);
		if (excerpts[n] == NULL)
			goto nomem;
		if (digest_sha256_hex(excerpts[n], b->len, hex) != 0) {
			snprintf(run->err, run->errsize, "document %lld: cannot compute a digest",
				 (long long)document_id);
			goto out;
		}
		snprintf(keys[n], sizeof(keys[n]), "classified:%lld:%s:%.16s",
			 (long long)document_id, rules_kind(r, k), hex);
		if (json_array_append_new(list, json_string(keys[n])) != 0)
			goto nomem;
		ps[n] = (struct store_classified_in){
			.key = keys[n],
			.kind = rules_kind(r, k),
			.excerpt = excerpts[n],
			.headline = rules_headline(r, k),
			.severity = rules_severity(r, k),
			.severity_reason = CLASSIFY_SEVERITY_REASON,
		};
		n++;
	}
	if ((keys_json = json_dumps(list, JSON_COMPACT)) == NULL)
		goto nomem;
	if (store_replace_classified(st, document_id, run->version_id, ps, n, keys_json,
				     run->stamp) != STORE_OK) {
		snprintf(run->err, run->errsize, "document %lld: %s", (long long)document_id,
			 store_errmsg(st));
		goto out;
	}
	rc = 0;
	goto out;
nomem:
	snprintf(run->err, run->errsize, "document %lld: out of memory", (long long)document_id);
out:
	for (k = 0; excerpts != NULL && k < nkinds; k++)
		free(excerpts[k]);
	free(excerpts);
	free(keys);
	free(ps);
	free(keys_json);
	json_decref(list);
	return rc;
}

int
classify_document(struct store *st, struct classifier *c, int64_t document_id, char *err,
		  size_t errsize)
{
	struct classifier *own = NULL;
	struct document_run run = { .stamp = assets_digest(), .err = err, .errsize = errsize };
	int rc = -1, src;

	if (c == NULL && (c = own = classifier_open(err, errsize)) == NULL)
		return -1;
	run.c = c;
	run.best = calloc(rules_nkinds(c->rules), sizeof(*run.best));
	if (run.best == NULL) {
		snprintf(err, errsize, "out of memory");
		goto out;
	}
	if (store_each_curated_kind(st, document_id, note_curated, &run) != STORE_OK) {
		snprintf(err, errsize, "document %lld: %s", (long long)document_id,
			 store_errmsg(st));
		goto out;
	}
	src = store_classify_source(st, document_id, read_source, &run);
	if (src == STORE_NOT_FOUND) {
		rc = 0;		/* No version yet: nothing to classify. */
		goto out;
	}
	if (src != STORE_OK) {
		/* read_source wrote err when it failed itself. */
		if (src < 0)
			snprintf(err, errsize, "document %lld: %s", (long long)document_id,
				 store_errmsg(st));
		goto out;
	}
	rc = run.current ? 0 : write_found(st, &run, document_id);
out:
	free(run.text);
	free(run.best);
	classifier_close(own);
	return rc;
}

int
classify_all_documents(struct store *st, char *err, size_t errsize)
{
	struct classifier *c = NULL;
	int64_t *ids, generation;
	size_t n, i;
	int rc = 0;

	if (store_classify_pending(st, assets_digest(), &ids, &n, &generation) != STORE_OK) {
		snprintf(err, errsize, "%s", store_errmsg(st));
		return -1;
	}
	if (n > 0 && (c = classifier_open(err, errsize)) == NULL) {
		free(ids);
		return -1;
	}
	/* One short transaction per document, so that another clause (a
	 * browser, a fetch, a second first run doing this same work) waits
	 * for one document at most, never for all of them; a document another
	 * process classified meanwhile is found current and skipped. */
	for (i = 0; i < n && rc == 0; i++) {
		if (store_begin(st) != STORE_OK) {
			snprintf(err, errsize, "%s", store_errmsg(st));
			rc = -1;
			break;
		}
		rc = classify_document(st, c, ids[i], err, errsize);
		if (rc == 0 && store_commit(st) != STORE_OK) {
			snprintf(err, errsize, "%s", store_errmsg(st));
			rc = -1;
		}
		if (rc != 0)
			store_rollback(st);
	}
	classifier_close(c);
	free(ids);
	/* So that the next start knows at once.  Only a saving, and so not an
	 * error when it fails (a busy database): the next start asks each
	 * document again. */
	if (rc == 0 && generation >= 0)
		(void)store_classify_all_done(st, assets_digest(), generation);
	return rc;
}
