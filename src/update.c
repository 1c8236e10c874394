/*
 * update: record a document's text as read now.  See update.h.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "relocate.h"
#include "store.h"
#include "textdiff.h"
#include "update.h"

/* The newest version, copied out of the walk. */
struct latest {
	int64_t id;
	char sha256[65];
	char *text;
};

static int
copy_latest(const struct store_version *v, void *ctx)
{
	struct latest *l = ctx;

	l->id = v->id;
	snprintf(l->sha256, sizeof(l->sha256), "%s", v->sha256 != NULL ? v->sha256 : "");
	l->text = strdup(v->text != NULL ? v->text : "");
	return l->text == NULL ? 1 : 0;
}

/* The document's provisions, copied: they are updated after the walk. */
struct provision {
	int64_t id;
	char *excerpt;
	char *kind_name;
};

struct provisions {
	struct provision *v;
	size_t n, cap;
};

static int
copy_provision(const struct store_document_provision *p, void *ctx)
{
	struct provisions *ps = ctx;
	struct provision *slot;

	/* Provisions found automatically are found again by the classifier
	 * in the new text (classify_document): only curated ones move here. */
	if (p->origin != NULL && strcmp(p->origin, "classified") == 0)
		return 0;
	if (ps->n == ps->cap) {
		size_t ncap = ps->cap != 0 ? ps->cap * 2 : 16;
		struct provision *nv = realloc(ps->v, ncap * sizeof(*nv));

		if (nv == NULL)
			return 1;
		ps->v = nv;
		ps->cap = ncap;
	}
	slot = &ps->v[ps->n];
	slot->id = p->id;
	slot->excerpt = strdup(p->excerpt != NULL ? p->excerpt : "");
	slot->kind_name = strdup(p->kind_name != NULL ? p->kind_name : p->kind != NULL ? p->kind : "");
	if (slot->excerpt == NULL || slot->kind_name == NULL) {
		free(slot->excerpt);
		free(slot->kind_name);
		return 1;
	}
	ps->n++;
	return 0;
}

static void
provisions_free(struct provisions *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		free(ps->v[i].excerpt);
		free(ps->v[i].kind_name);
	}
	free(ps->v);
}

/* Append "; label a, b" for the kinds of the provisions of one outcome. */
static void
append_kinds(char *buf, size_t size, const char *label, const struct provisions *ps,
	     const enum relocate_outcome *outcomes, enum relocate_outcome which)
{
	size_t i, len = strlen(buf);
	int first = 1;

	for (i = 0; i < ps->n && len < size; i++) {
		if (outcomes[i] != which)
			continue;
		snprintf(buf + len, size - len, "%s%s", first ? label : ", ", ps->v[i].kind_name);
		len = strlen(buf);
		first = 0;
	}
}

/* Relocate every provision in the new text and record what happened to
 * each under change_id. */
static int
relocate_provisions(struct store *st, const struct provisions *ps, const char *text,
		    int64_t version_id, int64_t change_id, struct update_result *r,
		    enum relocate_outcome *outcomes, char *err, size_t errsize)
{
	struct relocate_text *prepared = relocate_prepare(text);
	size_t i;

	if (prepared == NULL) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	for (i = 0; i < ps->n; i++) {
		const struct provision *p = &ps->v[i];
		struct relocate_match m;
		char *after = NULL;
		int rc;

		if (relocate_find(prepared, p->excerpt, &m) != 0) {
			snprintf(err, errsize, "out of memory");
			relocate_text_free(prepared);
			return -1;
		}
		outcomes[i] = m.outcome;
		if (m.outcome == RELOCATE_CHANGED) {
			after = strndup(text + m.start, m.end - m.start);
			if (after == NULL) {
				snprintf(err, errsize, "out of memory");
				relocate_text_free(prepared);
				return -1;
			}
			r->changed++;
		} else if (m.outcome == RELOCATE_CURRENT) {
			r->current++;
		} else {
			r->removed++;
		}
		/* A provision found as it was now cites the new version; one
		 * changed or removed keeps citing the last version it is in. */
		rc = store_set_provision_state(st, p->id, relocate_outcome_name(m.outcome),
					       m.outcome == RELOCATE_CURRENT ? version_id : 0);
		if (rc == 0 && change_id > 0)
			rc = store_add_provision_change(st, change_id, p->id,
							relocate_outcome_name(m.outcome),
							p->excerpt, after);
		free(after);
		if (rc != 0) {
			snprintf(err, errsize, "%s", store_errmsg(st));
			relocate_text_free(prepared);
			return -1;
		}
	}
	relocate_text_free(prepared);
	return 0;
}

/* Everything but the transaction around it. */
static int
record(struct store *st, const struct update_in *in, struct update_result *r, char *err,
       size_t errsize)
{
	struct latest latest = { 0, "", NULL };
	struct provisions ps = { NULL, 0, 0 };
	enum relocate_outcome *outcomes = NULL;
	struct textdiff diff = { 0 };
	struct store_change_in change;
	int rc, created = 0, newer = 0, ret = -1;

	/* The version before this text is the newest read before it: history
	 * imported after fetches goes in its place in time. */
	if (store_has_version_after(st, in->document_id, in->at, &newer) != STORE_OK) {
		snprintf(err, errsize, "%s", store_errmsg(st));
		goto done;
	}
	rc = store_latest_version(st, in->document_id, in->at, copy_latest, &latest);
	if (rc != 0 && rc != STORE_NOT_FOUND) {
		snprintf(err, errsize, "%s", rc > 0 ? "out of memory" : store_errmsg(st));
		goto done;
	}
	r->first_version = rc == STORE_NOT_FOUND;
	if (!r->first_version && strcmp(latest.sha256, r->sha256) == 0) {
		r->version_id = latest.id;
		snprintf(r->summary, sizeof(r->summary), "unchanged");
		goto checked;
	}

	if (store_add_version(st, in->document_id, in->at, in->source, r->sha256, in->text,
			      &r->version_id, &created) != STORE_OK
	    || (created && store_version_validators(st, r->version_id, in->etag,
						    in->last_modified) != STORE_OK)) {
		snprintf(err, errsize, "%s", store_errmsg(st));
		goto done;
	}
	/* created is 0 when the text is an older version's again: the
	 * document went back to it, which is a change all the same. */
	r->new_version = created;
	if (r->first_version) {
		snprintf(r->summary, sizeof(r->summary), "first version");
	} else {
		if (textdiff_run(latest.text, in->text, 0, &diff, err, errsize) != 0)
			goto done;
		r->added_paras = diff.added;
		r->removed_paras = diff.removed;
		r->changed_paras = diff.changed;
		textdiff_summary(&diff, r->summary, sizeof(r->summary));
	}
	memset(&change, 0, sizeof(change));
	change.document_id = in->document_id;
	change.from_version = r->first_version ? 0 : latest.id;
	change.to_version = r->version_id;
	change.detected_at = in->at;
	change.cause = in->cause;
	change.added = r->added_paras;
	change.removed = r->removed_paras;
	change.changed = r->changed_paras;
	change.summary = r->summary;
	if (store_add_change(st, &change, &r->change_id) != STORE_OK) {
		snprintf(err, errsize, "%s", store_errmsg(st));
		goto done;
	}
	/* The provisions follow the newest text only: a version that history
	 * puts before another says nothing of what they are now. */
	if (newer)
		goto checked;
	rc = store_each_document_provision(st, in->document_id, copy_provision, &ps);
	if (rc != 0) {
		snprintf(err, errsize, "%s", rc > 0 ? "out of memory" : store_errmsg(st));
		goto done;
	}
	if (ps.n > 0) {
		outcomes = calloc(ps.n, sizeof(*outcomes));
		if (outcomes == NULL) {
			snprintf(err, errsize, "out of memory");
			goto done;
		}
		if (relocate_provisions(st, &ps, in->text, r->version_id, r->change_id, r,
					outcomes, err, errsize) != 0)
			goto done;
		append_kinds(r->summary, sizeof(r->summary), "; provisions reworded: ", &ps,
			     outcomes, RELOCATE_CHANGED);
		append_kinds(r->summary, sizeof(r->summary), "; provisions no longer found: ", &ps,
			     outcomes, RELOCATE_REMOVED);
		change.summary = r->summary;
		if (store_add_change(st, &change, &r->change_id) != STORE_OK) {
			snprintf(err, errsize, "%s", store_errmsg(st));
			goto done;
		}
	}
checked:
	if (!newer && store_document_checked(st, in->document_id, in->at, in->etag,
					     in->last_modified) != STORE_OK) {
		snprintf(err, errsize, "%s", store_errmsg(st));
		goto done;
	}
	ret = 0;
done:
	free(latest.text);
	free(outcomes);
	provisions_free(&ps);
	textdiff_free(&diff);
	return ret;
}

int
update_record(struct store *st, const struct update_in *in, struct update_result *r, char *err,
	      size_t errsize)
{
	memset(r, 0, sizeof(*r));
	if (digest_sha256_hex(in->text, strlen(in->text), r->sha256) != 0) {
		snprintf(err, errsize, "cannot hash the text");
		return -1;
	}
	if (in->in_transaction)
		return record(st, in, r, err, errsize);
	if (store_begin(st) != STORE_OK) {
		snprintf(err, errsize, "%s", store_errmsg(st));
		return -1;
	}
	if (record(st, in, r, err, errsize) != 0) {
		store_rollback(st);
		return -1;
	}
	if (store_commit(st) != STORE_OK) {
		snprintf(err, errsize, "%s", store_errmsg(st));
		store_rollback(st);
		return -1;
	}
	return 0;
}
