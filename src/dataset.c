/*
 * dataset: parse and check the embedded dataset (see dataset.h).
 */

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "dataset.h"
#include "digest.h"

static const char *const severities[] = { "high", "medium", "low", "favourable", NULL };

/* What the parser is reading, for error messages, and where they go. */
struct parse {
	const struct asset *table;
	struct dataset *ds;
	const char *file;		/* Asset being read. */
	char *err;
	size_t errsize;
	char **normalised;		/* Per version of the platform being read. */
};

static int
parse_fail(struct parse *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->errsize == 0)
		return -1;
	n = snprintf(p->err, p->errsize, "dataset: %s: ", p->file);
	if (n < 0 || (size_t)n >= p->errsize)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errsize - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static const struct asset *
asset_find(const struct asset *table, const char *name)
{
	for (; table->name != NULL; table++)
		if (strcmp(table->name, name) == 0)
			return table;
	return NULL;
}

/* Parse an asset's JSON and keep it in ds (which owns it from then on). */
static json_t *
parse_json(struct parse *p, const struct asset *a)
{
	json_error_t jerr;
	json_t *root;
	void **grown;

	p->file = a->name;
	root = json_loadb(a->data, a->size, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		parse_fail(p, "line %d: %s", jerr.line, jerr.text);
		return NULL;
	}
	grown = realloc(p->ds->json, (p->ds->njson + 1) * sizeof(*grown));
	if (grown == NULL) {
		json_decref(root);
		parse_fail(p, "out of memory");
		return NULL;
	}
	p->ds->json = grown;
	p->ds->json[p->ds->njson++] = root;
	return root;
}

/* A string member: required unless optional (then "" when absent). */
static int
get_string(struct parse *p, json_t *obj, const char *key, const char *where, int optional,
	   const char **out)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL && optional) {
		*out = "";
		return 0;
	}
	if (!json_is_string(v))
		return parse_fail(p, "%s: '%s' must be a string", where, key);
	*out = json_string_value(v);
	if (!optional && **out == '\0')
		return parse_fail(p, "%s: '%s' is empty", where, key);
	return 0;
}

/* An array member, allocated as n zeroed items of size bytes. */
static int
get_array(struct parse *p, json_t *obj, const char *key, const char *where, int optional,
	  size_t size, void **items, size_t *n, json_t **array)
{
	*array = json_object_get(obj, key);
	*items = NULL;
	*n = 0;
	if (*array == NULL && optional)
		return 0;
	if (!json_is_array(*array))
		return parse_fail(p, "%s: '%s' must be an array", where, key);
	*n = json_array_size(*array);
	if (*n == 0)
		return optional ? 0 : parse_fail(p, "%s: '%s' is empty", where, key);
	*items = calloc(*n, size);
	if (*items == NULL)
		return parse_fail(p, "out of memory");
	return 0;
}

static int
parse_regulation_refs(struct parse *p, json_t *obj, const char *where,
		      struct dataset_regulation_ref **refs, size_t *n)
{
	json_t *array, *item;
	size_t i, j;

	if (get_array(p, obj, "regulations", where, 1, sizeof(**refs), (void **)refs, n, &array))
		return -1;
	json_array_foreach(array, i, item) {
		struct dataset_regulation_ref *r = &(*refs)[i];

		if (get_string(p, item, "regulation", where, 0, &r->regulation)
		    || get_string(p, item, "why", where, 0, &r->why))
			return -1;
		for (j = 0; j < p->ds->nregulations; j++)
			if (strcmp(p->ds->regulations[j].slug, r->regulation) == 0)
				break;
		if (j == p->ds->nregulations)
			return parse_fail(p, "%s: unknown regulation '%s'", where, r->regulation);
	}
	return 0;
}

static int
parse_regulations(struct parse *p)
{
	const struct asset *a = asset_find(p->table, "regulations.json");
	json_t *root, *array, *item;
	size_t i, j;

	p->file = "regulations.json";
	if (a == NULL)
		return parse_fail(p, "missing");
	if ((root = parse_json(p, a)) == NULL)
		return -1;
	if (get_array(p, root, "regulations", "top level", 0, sizeof(*p->ds->regulations),
		      (void **)&p->ds->regulations, &p->ds->nregulations, &array))
		return -1;
	json_array_foreach(array, i, item) {
		struct dataset_regulation *r = &p->ds->regulations[i];
		char where[64];

		snprintf(where, sizeof(where), "regulation %zu", i + 1);
		if (get_string(p, item, "slug", where, 0, &r->slug)
		    || get_string(p, item, "framework", r->slug, 0, &r->framework)
		    || get_string(p, item, "article", r->slug, 0, &r->article)
		    || get_string(p, item, "title", r->slug, 0, &r->title)
		    || get_string(p, item, "jurisdiction", r->slug, 0, &r->jurisdiction)
		    || get_string(p, item, "authority", r->slug, 0, &r->authority)
		    || get_string(p, item, "max_penalty", r->slug, 1, &r->max_penalty)
		    || get_string(p, item, "url", r->slug, 0, &r->url))
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(p->ds->regulations[j].slug, r->slug) == 0)
				return parse_fail(p, "regulation '%s' appears twice", r->slug);
	}
	return 0;
}

static int
parse_kinds(struct parse *p)
{
	const struct asset *a = asset_find(p->table, "kinds.json");
	json_t *root, *array, *item;
	size_t i, j;

	p->file = "kinds.json";
	if (a == NULL)
		return parse_fail(p, "missing");
	if ((root = parse_json(p, a)) == NULL)
		return -1;
	if (get_array(p, root, "kinds", "top level", 0, sizeof(*p->ds->kinds),
		      (void **)&p->ds->kinds, &p->ds->nkinds, &array))
		return -1;
	json_array_foreach(array, i, item) {
		struct dataset_kind *k = &p->ds->kinds[i];
		char where[64];

		snprintf(where, sizeof(where), "kind %zu", i + 1);
		if (get_string(p, item, "slug", where, 0, &k->slug)
		    || get_string(p, item, "name", k->slug, 0, &k->name)
		    || get_string(p, item, "topic", k->slug, 0, &k->topic)
		    || get_string(p, item, "description", k->slug, 0, &k->description)
		    || parse_regulation_refs(p, item, k->slug, &k->regulations, &k->nregulations))
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(p->ds->kinds[j].slug, k->slug) == 0)
				return parse_fail(p, "kind '%s' appears twice", k->slug);
	}
	return 0;
}

/* Copy text with every run of white space made one space, trimmed. */
static char *
normalise_space(const char *text)
{
	size_t len = strlen(text);
	char *out = malloc(len + 1), *o = out;
	int pending = 0;

	if (out == NULL)
		return NULL;
	for (; *text != '\0'; text++) {
		if (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r'
		    || *text == '\f' || *text == '\v') {
			pending = o != out;
			continue;
		}
		if (pending)
			*o++ = ' ';
		pending = 0;
		*o++ = *text;
	}
	*o = '\0';
	return out;
}

int
dataset_excerpt_in_text(const char *excerpt, const char *text)
{
	char *e = normalise_space(excerpt), *t = normalise_space(text);
	int found = e != NULL && t != NULL && *e != '\0' && strstr(t, e) != NULL;

	free(e);
	free(t);
	return found;
}

/* Read a text asset (inflating it) into a buffer that ds owns. */
static int
keep_text(struct parse *p, const struct asset *a, struct dataset_version *ver)
{
	char **grown = realloc(p->ds->texts, (p->ds->ntexts + 1) * sizeof(*grown));
	char *text;

	if (grown == NULL)
		return parse_fail(p, "out of memory");
	p->ds->texts = grown;
	text = assets_read(a, &ver->len);
	if (text == NULL)
		return parse_fail(p, "cannot read '%s' (out of memory, or corrupt)", a->name);
	p->ds->texts[p->ds->ntexts++] = text;
	ver->text = text;
	return 0;
}

static int
parse_versions(struct parse *p, json_t *item, const char *where, struct dataset_document *d)
{
	json_t *array, *v;
	size_t i;

	if (get_array(p, item, "versions", where, 0, sizeof(*d->versions), (void **)&d->versions,
		      &d->nversions, &array))
		return -1;
	json_array_foreach(array, i, v) {
		struct dataset_version *ver = &d->versions[i];
		const struct asset *text;
		const char *date;
		int y, m, day, end = 0;

		if (get_string(p, v, "date", where, 0, &date)
		    || get_string(p, v, "text", where, 0, &ver->path))
			return -1;
		if (sscanf(date, "%4d-%2d-%2d%n", &y, &m, &day, &end) != 3 || end != 10
		    || date[10] != '\0' || m < 1 || m > 12 || day < 1 || day > 31)
			return parse_fail(p, "%s: bad date '%s' (want YYYY-MM-DD)", where, date);
		snprintf(ver->retrieved_at, sizeof(ver->retrieved_at), "%sT00:00:00Z", date);
		if (i > 0 && strcmp(d->versions[i - 1].retrieved_at, ver->retrieved_at) >= 0)
			return parse_fail(p, "%s: versions must be oldest first, one per date", where);
		text = asset_find(p->table, ver->path);
		if (text == NULL)
			return parse_fail(p, "%s: no text file '%s'", where, ver->path);
		if (keep_text(p, text, ver) != 0)
			return -1;
		if (memchr(ver->text, '\0', ver->len) != NULL)
			return parse_fail(p, "%s: '%s' holds a NUL byte", where, ver->path);
		if (digest_sha256_hex(ver->text, ver->len, ver->sha256) != 0)
			return parse_fail(p, "%s: cannot hash '%s'", where, ver->path);
	}
	return 0;
}

static int
parse_documents(struct parse *p, json_t *root, struct dataset_platform *pl)
{
	json_t *array, *item;
	size_t i, j;

	if (get_array(p, root, "documents", pl->slug, 0, sizeof(*pl->documents),
		      (void **)&pl->documents, &pl->ndocuments, &array))
		return -1;
	json_array_foreach(array, i, item) {
		struct dataset_document *d = &pl->documents[i];
		json_t *decl;
		char where[128];

		snprintf(where, sizeof(where), "document %zu", i + 1);
		if (get_string(p, item, "kind", where, 0, &d->kind))
			return -1;
		snprintf(where, sizeof(where), "document '%s'", d->kind);
		if (get_string(p, item, "title", where, 0, &d->title)
		    || get_string(p, item, "url", where, 0, &d->url))
			return -1;
		if (strncmp(d->url, "https://", 8) != 0)
			return parse_fail(p, "%s: url '%s' is not https", where, d->url);
		decl = json_object_get(item, "declaration");
		if (decl != NULL) {
			if (!json_is_object(decl))
				return parse_fail(p, "%s: 'declaration' must be an object", where);
			d->declaration = json_dumps(decl, JSON_COMPACT | JSON_PRESERVE_ORDER);
			if (d->declaration == NULL)
				return parse_fail(p, "out of memory");
		}
		for (j = 0; j < i; j++)
			if (strcmp(pl->documents[j].kind, d->kind) == 0)
				return parse_fail(p, "%s appears twice", where);
		if (parse_versions(p, item, where, d))
			return -1;
	}
	return 0;
}

static int
find_document(const struct dataset_platform *pl, const char *kind, size_t *index)
{
	for (*index = 0; *index < pl->ndocuments; (*index)++)
		if (strcmp(pl->documents[*index].kind, kind) == 0)
			return 0;
	return -1;
}

static int
is_kind(const struct dataset *ds, const char *slug)
{
	size_t i;

	for (i = 0; i < ds->nkinds; i++)
		if (strcmp(ds->kinds[i].slug, slug) == 0)
			return 1;
	return 0;
}

static int
is_severity(const char *s)
{
	size_t i;

	for (i = 0; severities[i] != NULL; i++)
		if (strcmp(severities[i], s) == 0)
			return 1;
	return 0;
}

/* Whether the excerpt (normalised) is in version v of document d, whose
 * normalised texts start at p->normalised[base]. */
static int
excerpt_in_version(struct parse *p, size_t base, size_t v, const char *excerpt)
{
	return strstr(p->normalised[base + v], excerpt) != NULL;
}

/* Check a provision against its cited version and find the run of
 * versions around it that hold the same words. */
static int
place_provision(struct parse *p, struct dataset_platform *pl, struct dataset_provision *pv,
		const char *date, size_t base)
{
	struct dataset_document *d = &pl->documents[pv->document];
	char *excerpt;
	size_t v;

	for (v = 0; v < d->nversions; v++)
		if (strncmp(d->versions[v].retrieved_at, date, 10) == 0
		    && strlen(date) == 10)
			break;
	if (v == d->nversions)
		return parse_fail(p, "provision '%s': document '%s' has no version '%s'", pv->key,
				  d->kind, date);
	pv->version = v;
	excerpt = normalise_space(pv->excerpt);
	if (excerpt == NULL)
		return parse_fail(p, "out of memory");
	if (!excerpt_in_version(p, base, v, excerpt)) {
		free(excerpt);
		return parse_fail(p, "provision '%s': excerpt is not in %s as of %s", pv->key,
				  d->kind, date);
	}
	pv->first_version = v;
	while (pv->first_version > 0
	       && excerpt_in_version(p, base, pv->first_version - 1, excerpt))
		pv->first_version--;
	pv->last_version = v;
	while (pv->last_version + 1 < d->nversions
	       && excerpt_in_version(p, base, pv->last_version + 1, excerpt))
		pv->last_version++;
	pv->status = pv->last_version + 1 == d->nversions ? "current" : "changed";
	free(excerpt);
	return 0;
}

static int
parse_provisions(struct parse *p, json_t *root, struct dataset_platform *pl, size_t *bases)
{
	json_t *array, *item;
	size_t i, j, k;

	if (get_array(p, root, "provisions", pl->slug, 0, sizeof(*pl->provisions),
		      (void **)&pl->provisions, &pl->nprovisions, &array))
		return -1;
	json_array_foreach(array, i, item) {
		struct dataset_provision *pv = &pl->provisions[i];
		const char *document, *date;
		char where[64];

		snprintf(where, sizeof(where), "provision %zu", i + 1);
		if (get_string(p, item, "key", where, 0, &pv->key))
			return -1;
		if (get_string(p, item, "document", pv->key, 0, &document)
		    || get_string(p, item, "version", pv->key, 0, &date)
		    || get_string(p, item, "kind", pv->key, 0, &pv->kind)
		    || get_string(p, item, "excerpt", pv->key, 0, &pv->excerpt)
		    || get_string(p, item, "headline", pv->key, 0, &pv->headline)
		    || get_string(p, item, "analysis", pv->key, 0, &pv->analysis)
		    || get_string(p, item, "impact", pv->key, 0, &pv->impact)
		    || get_string(p, item, "action", pv->key, 0, &pv->action)
		    || get_string(p, item, "severity", pv->key, 0, &pv->severity)
		    || get_string(p, item, "severity_reason", pv->key, 0, &pv->severity_reason)
		    || parse_regulation_refs(p, item, pv->key, &pv->regulations,
					     &pv->nregulations))
			return -1;
		if (find_document(pl, document, &pv->document) != 0)
			return parse_fail(p, "provision '%s': no document '%s'", pv->key, document);
		if (!is_kind(p->ds, pv->kind))
			return parse_fail(p, "provision '%s': unknown kind '%s'", pv->key, pv->kind);
		if (!is_severity(pv->severity))
			return parse_fail(p, "provision '%s': bad severity '%s'", pv->key,
					  pv->severity);
		if (pv->nregulations == 0 && !json_is_string(json_object_get(item, "no_regulation")))
			return parse_fail(p, "provision '%s': names no regulation and no "
					  "'no_regulation' reason", pv->key);
		if (place_provision(p, pl, pv, date, bases[pv->document]))
			return -1;
		/* Keys and excerpts are unique over the whole dataset. */
		for (k = 0; k <= (size_t)(pl - p->ds->platforms); k++) {
			const struct dataset_platform *other = &p->ds->platforms[k];
			size_t upto = other == pl ? i : other->nprovisions;

			for (j = 0; j < upto; j++) {
				if (strcmp(other->provisions[j].key, pv->key) == 0)
					return parse_fail(p, "provision key '%s' appears twice",
							  pv->key);
				if (strcmp(other->provisions[j].excerpt, pv->excerpt) == 0)
					return parse_fail(p, "provisions '%s' and '%s' share an "
							  "excerpt", other->provisions[j].key,
							  pv->key);
			}
		}
	}
	return 0;
}

static void
free_normalised(struct parse *p, size_t n)
{
	size_t i;

	for (i = 0; p->normalised != NULL && i < n; i++)
		free(p->normalised[i]);
	free(p->normalised);
	p->normalised = NULL;
}

static int
parse_platform(struct parse *p, const struct asset *a, struct dataset_platform *pl)
{
	json_t *root;
	size_t i, v, total = 0, *bases = NULL;
	int rc = -1;

	if ((root = parse_json(p, a)) == NULL)
		return -1;
	if (get_string(p, root, "slug", "top level", 0, &pl->slug)
	    || get_string(p, root, "name", pl->slug, 0, &pl->name)
	    || get_string(p, root, "operator", pl->slug, 1, &pl->operator_name)
	    || get_string(p, root, "sector", pl->slug, 0, &pl->sector)
	    || get_string(p, root, "homepage", pl->slug, 0, &pl->homepage)
	    || parse_documents(p, root, pl))
		return -1;
	for (i = 0; i < (size_t)(pl - p->ds->platforms); i++)
		if (strcmp(p->ds->platforms[i].slug, pl->slug) == 0)
			return parse_fail(p, "platform '%s' appears twice", pl->slug);

	/* Each version's text, normalised once for every excerpt. */
	bases = calloc(pl->ndocuments, sizeof(*bases));
	for (i = 0; bases != NULL && i < pl->ndocuments; i++) {
		bases[i] = total;
		total += pl->documents[i].nversions;
	}
	p->normalised = calloc(total > 0 ? total : 1, sizeof(*p->normalised));
	if (bases == NULL || p->normalised == NULL) {
		parse_fail(p, "out of memory");
		goto out;
	}
	for (i = 0; i < pl->ndocuments; i++)
		for (v = 0; v < pl->documents[i].nversions; v++) {
			char *n = normalise_space(pl->documents[i].versions[v].text);

			if (n == NULL) {
				parse_fail(p, "out of memory");
				goto out;
			}
			p->normalised[bases[i] + v] = n;
		}
	rc = parse_provisions(p, root, pl, bases);
out:
	free_normalised(p, total);
	free(bases);
	return rc;
}

struct dataset *
dataset_parse(const struct asset *table, char *err, size_t errsize)
{
	struct parse p = { .table = table, .err = err, .errsize = errsize, .file = "" };
	const struct asset *a;
	size_t n = 0;
	static const char prefix[] = "platforms/";

	p.ds = calloc(1, sizeof(*p.ds));
	if (p.ds == NULL) {
		parse_fail(&p, "out of memory");
		return NULL;
	}
	if (parse_regulations(&p) || parse_kinds(&p))
		goto error;
	for (a = table; a->name != NULL; a++)
		if (strncmp(a->name, prefix, sizeof(prefix) - 1) == 0)
			n++;
	if (n == 0) {
		p.file = "platforms/";
		parse_fail(&p, "no platform files");
		goto error;
	}
	p.ds->platforms = calloc(n, sizeof(*p.ds->platforms));
	if (p.ds->platforms == NULL) {
		parse_fail(&p, "out of memory");
		goto error;
	}
	for (a = table; a->name != NULL; a++) {
		if (strncmp(a->name, prefix, sizeof(prefix) - 1) != 0)
			continue;
		p.ds->nplatforms++;
		if (parse_platform(&p, a, &p.ds->platforms[p.ds->nplatforms - 1]))
			goto error;
	}
	return p.ds;

error:
	dataset_free(p.ds);
	return NULL;
}

int
dataset_about(const struct asset *table, char *version, size_t versionsize, char *date,
	      size_t datesize, char *err, size_t errsize)
{
	const struct asset *a = asset_find(table, "dataset.json");
	json_error_t jerr;
	json_t *root;
	const char *v, *d;

	if (a == NULL) {
		snprintf(err, errsize, "dataset: dataset.json: missing");
		return -1;
	}
	root = json_loadb(a->data, a->size, 0, &jerr);
	v = json_string_value(json_object_get(root, "version"));
	d = json_string_value(json_object_get(root, "date"));
	if (v == NULL || d == NULL) {
		snprintf(err, errsize, "dataset: dataset.json: %s",
			 root == NULL ? jerr.text : "'version' and 'date' must be strings");
		json_decref(root);
		return -1;
	}
	snprintf(version, versionsize, "%s", v);
	snprintf(date, datesize, "%s", d);
	json_decref(root);
	return 0;
}

void
dataset_free(struct dataset *ds)
{
	size_t i, j;

	if (ds == NULL)
		return;
	for (i = 0; i < ds->nkinds; i++)
		free(ds->kinds[i].regulations);
	free(ds->kinds);
	free(ds->regulations);
	for (i = 0; i < ds->nplatforms; i++) {
		struct dataset_platform *pl = &ds->platforms[i];

		for (j = 0; j < pl->ndocuments; j++) {
			free(pl->documents[j].declaration);
			free(pl->documents[j].versions);
		}
		free(pl->documents);
		for (j = 0; j < pl->nprovisions; j++)
			free(pl->provisions[j].regulations);
		free(pl->provisions);
	}
	free(ds->platforms);
	for (i = 0; i < ds->njson; i++)
		json_decref(ds->json[i]);
	free(ds->json);
	for (i = 0; i < ds->ntexts; i++)
		free(ds->texts[i]);
	free(ds->texts);
	free(ds);
}
