/*
 * declaration: Open Terms Archive declarations (see declaration.h).
 */

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "declaration.h"
#include "selector.h"

/* Where an error is: the input and, once known, the document. */
struct where {
	const char *source;
	const char *type;	/* NULL before a document is being read. */
	char *err;
	size_t errlen;
};

static int decl_error(const struct where *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
decl_error(const struct where *w, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (w->type != NULL)
		snprintf(w->err, w->errlen, "%s: document '%s': %s", w->source, w->type, msg);
	else
		snprintf(w->err, w->errlen, "%s: %s", w->source, msg);
	return -1;
}

static int
nomem(const struct where *w)
{
	return decl_error(w, "out of memory");
}

static void
free_selectors(struct declaration_selector *sel, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(sel[i].css);
		free(sel[i].range.start_before);
		free(sel[i].range.start_after);
		free(sel[i].range.end_before);
		free(sel[i].range.end_after);
	}
	free(sel);
}

static void
free_page(struct declaration_page *p)
{
	size_t i;

	free(p->url);
	free_selectors(p->select, p->nselect);
	free_selectors(p->remove, p->nremove);
	for (i = 0; i < p->nremove_query_params; i++)
		free(p->remove_query_params[i]);
	free(p->remove_query_params);
	memset(p, 0, sizeof(*p));
}

/* Check one CSS selector and keep a copy in *out. */
static int
read_css(const struct where *w, const char *key, json_t *value, char **out)
{
	char why[256], *xpath;

	if (!json_is_string(value))
		return decl_error(w, "'%s' must hold CSS selectors (strings) or range objects", key);
	if (selector_to_xpath(json_string_value(value), &xpath, why, sizeof(why)) != 0)
		return decl_error(w, "%s: %s", key, why);
	free(xpath);
	*out = strdup(json_string_value(value));
	return *out == NULL ? nomem(w) : 0;
}

/* A range object: one start and one end, each before or after a node. */
static int
read_range(const struct where *w, const char *key, json_t *obj, struct declaration_range *r)
{
	const char *k;
	json_t *v;
	char **slot;

	json_object_foreach(obj, k, v) {
		if (strcmp(k, "startBefore") == 0)
			slot = &r->start_before;
		else if (strcmp(k, "startAfter") == 0)
			slot = &r->start_after;
		else if (strcmp(k, "endBefore") == 0)
			slot = &r->end_before;
		else if (strcmp(k, "endAfter") == 0)
			slot = &r->end_after;
		else
			return decl_error(w, "%s: unknown range key '%s'", key, k);
		if (read_css(w, key, v, slot) != 0)
			return -1;
	}
	if ((r->start_before == NULL) == (r->start_after == NULL))
		return decl_error(w, "%s: a range needs one of startBefore and startAfter", key);
	if ((r->end_before == NULL) == (r->end_after == NULL))
		return decl_error(w, "%s: a range needs one of endBefore and endAfter", key);
	return 0;
}

/* select or remove: a string, a range object, or an array of them. */
static int
read_selectors(const struct where *w, const char *key, json_t *value,
	       struct declaration_selector **out, size_t *n)
{
	size_t i, count = json_is_array(value) ? json_array_size(value) : 1;
	struct declaration_selector *sel;

	if (!json_is_array(value) && !json_is_string(value) && !json_is_object(value))
		return decl_error(w, "'%s' must be a CSS selector, a range or an array of them",
				  key);
	if (count == 0)
		return decl_error(w, "'%s' is empty", key);
	sel = calloc(count, sizeof(*sel));
	if (sel == NULL)
		return nomem(w);
	*out = sel;
	*n = count;
	for (i = 0; i < count; i++) {
		json_t *item = json_is_array(value) ? json_array_get(value, i) : value;

		if (json_is_object(item)) {
			if (read_range(w, key, item, &sel[i].range) != 0)
				return -1;
		} else if (read_css(w, key, item, &sel[i].css) != 0) {
			return -1;
		}
	}
	return 0;
}

static int
copy_selectors(const struct where *w, const struct declaration_selector *from, size_t n,
	       struct declaration_selector **out, size_t *nout)
{
	size_t i;

	*out = calloc(n, sizeof(**out));
	if (*out == NULL)
		return nomem(w);
	*nout = n;
	for (i = 0; i < n; i++) {
		const char *const src[] = { from[i].css, from[i].range.start_before,
					    from[i].range.start_after, from[i].range.end_before,
					    from[i].range.end_after };
		char **const dst[] = { &(*out)[i].css, &(*out)[i].range.start_before,
				       &(*out)[i].range.start_after, &(*out)[i].range.end_before,
				       &(*out)[i].range.end_after };
		size_t k;

		for (k = 0; k < sizeof(src) / sizeof(src[0]); k++)
			if (src[k] != NULL && (*dst[k] = strdup(src[k])) == NULL)
				return nomem(w);
	}
	return 0;
}

/* filter: OTA's JavaScript functions are refused; its built-in
 * {"removeQueryParams": [...]} is kept. */
static int
read_filter(const struct where *w, json_t *value, struct declaration_page *p)
{
	size_t i, j, count = json_is_array(value) ? json_array_size(value) : 1;

	for (i = 0; i < count; i++) {
		json_t *item = json_is_array(value) ? json_array_get(value, i) : value;
		json_t *params = json_object_get(item, "removeQueryParams");
		char **grown;

		if (!json_is_object(item) || json_object_size(item) != 1 || !json_is_array(params))
			return decl_error(w, "'filter' is not supported");
		grown = realloc(p->remove_query_params, (p->nremove_query_params
				+ json_array_size(params)) * sizeof(*grown) + 1);
		if (grown == NULL)
			return nomem(w);
		p->remove_query_params = grown;
		for (j = 0; j < json_array_size(params); j++) {
			json_t *name = json_array_get(params, j);

			if (!json_is_string(name) || json_string_length(name) == 0)
				return decl_error(w, "removeQueryParams must list parameter names");
			grown[p->nremove_query_params] = strdup(json_string_value(name));
			if (grown[p->nremove_query_params] == NULL)
				return nomem(w);
			p->nremove_query_params++;
		}
	}
	return 0;
}

static int
read_url(const struct where *w, json_t *value, char **out)
{
	const char *url = json_string_value(value);

	if (url == NULL)
		return decl_error(w, "'fetch' must be a URL");
	if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
		return decl_error(w, "fetch '%s' is not an http or https URL", url);
	*out = strdup(url);
	return *out == NULL ? nomem(w) : 0;
}

/* The keys of one page (the entry itself, or an item of combine); with
 * is_entry, combine is allowed and noted in *combine. */
static int
read_page(const struct where *w, json_t *obj, struct declaration_page *p, int is_entry,
	  json_t **combine)
{
	const char *k;
	json_t *v;

	if (!json_is_object(obj))
		return decl_error(w, is_entry ? "a document must be an object"
				  : "each item of 'combine' must be an object");
	json_object_foreach(obj, k, v) {
		if (strcmp(k, "fetch") == 0) {
			if (read_url(w, v, &p->url) != 0)
				return -1;
		} else if (strcmp(k, "select") == 0) {
			if (read_selectors(w, k, v, &p->select, &p->nselect) != 0)
				return -1;
		} else if (strcmp(k, "remove") == 0) {
			if (read_selectors(w, k, v, &p->remove, &p->nremove) != 0)
				return -1;
		} else if (strcmp(k, "filter") == 0) {
			if (read_filter(w, v, p) != 0)
				return -1;
		} else if (strcmp(k, "executeClientScripts") == 0) {
			if (!json_is_boolean(v))
				return decl_error(w, "'executeClientScripts' must be true or false");
			p->execute_client_scripts = json_is_true(v);
		} else if (strcmp(k, "combine") == 0 && is_entry) {
			*combine = v;
		} else {
			return decl_error(w, "unknown key '%s'", k);
		}
	}
	return 0;
}

/* A combined page: its own keys, else the entry's. */
static int
read_combined(const struct where *w, json_t *item, const struct declaration_page *entry,
	      struct declaration_page *p)
{
	size_t i;

	if (read_page(w, item, p, 0, NULL) != 0)
		return -1;
	if (p->url == NULL)
		return decl_error(w, "an item of 'combine' has no 'fetch'");
	if (json_object_get(item, "select") == NULL && entry->nselect > 0
	    && copy_selectors(w, entry->select, entry->nselect, &p->select, &p->nselect) != 0)
		return -1;
	if (json_object_get(item, "remove") == NULL && entry->nremove > 0
	    && copy_selectors(w, entry->remove, entry->nremove, &p->remove, &p->nremove) != 0)
		return -1;
	if (json_object_get(item, "executeClientScripts") == NULL)
		p->execute_client_scripts = entry->execute_client_scripts;
	if (json_object_get(item, "filter") == NULL && entry->nremove_query_params > 0) {
		p->remove_query_params = calloc(entry->nremove_query_params, sizeof(char *));
		if (p->remove_query_params == NULL)
			return nomem(w);
		for (i = 0; i < entry->nremove_query_params; i++) {
			p->remove_query_params[i] = strdup(entry->remove_query_params[i]);
			if (p->remove_query_params[i] == NULL)
				return nomem(w);
			p->nremove_query_params++;
		}
	}
	return 0;
}

static int
read_document(const struct where *w, const char *type, json_t *obj,
	      struct declaration_document *d)
{
	struct declaration_page entry = { 0 };
	json_t *combine = NULL;
	size_t i;
	int rc = -1;

	if (type != NULL && (d->type = strdup(type)) == NULL)
		return nomem(w);
	if (read_page(w, obj, &entry, 1, &combine) != 0)
		goto out;
	if (combine != NULL) {
		if (entry.url != NULL) {
			decl_error(w, "'fetch' and 'combine' together");
			goto out;
		}
		if (!json_is_array(combine) || json_array_size(combine) == 0) {
			decl_error(w, "'combine' must be a non-empty array");
			goto out;
		}
		d->pages = calloc(json_array_size(combine), sizeof(*d->pages));
		if (d->pages == NULL) {
			nomem(w);
			goto out;
		}
		for (i = 0; i < json_array_size(combine); i++) {
			d->npages++;
			if (read_combined(w, json_array_get(combine, i), &entry, &d->pages[i]) != 0)
				goto out;
		}
	} else {
		if (entry.url == NULL) {
			decl_error(w, "no 'fetch' and no 'combine'");
			goto out;
		}
		d->pages = malloc(sizeof(*d->pages));
		if (d->pages == NULL) {
			nomem(w);
			goto out;
		}
		d->pages[0] = entry;
		d->npages = 1;
		memset(&entry, 0, sizeof(entry));
	}
	d->json = json_dumps(obj, JSON_COMPACT);
	if (d->json == NULL) {
		nomem(w);
		goto out;
	}
	rc = 0;
out:
	free_page(&entry);
	return rc;
}

static json_t *
load(const struct where *w, const char *json, size_t len)
{
	json_error_t jerr;
	json_t *root;

	if (len > DECLARATION_MAX_SIZE) {
		decl_error(w, "larger than %d bytes", DECLARATION_MAX_SIZE);
		return NULL;
	}
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		decl_error(w, "line %d: %s", jerr.line, jerr.text);
	return root;
}

static void
free_document_contents(struct declaration_document *d)
{
	size_t i;

	for (i = 0; i < d->npages; i++)
		free_page(&d->pages[i]);
	free(d->pages);
	free(d->type);
	free(d->json);
}

void
declaration_document_free(struct declaration_document *d)
{
	if (d == NULL)
		return;
	free_document_contents(d);
	free(d);
}

void
declaration_service_free(struct declaration_service *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ndocuments; i++)
		free_document_contents(&s->documents[i]);
	free(s->documents);
	free(s->name);
	free(s);
}

int
declaration_parse_document(const char *json, size_t len, const char *source, const char *type,
			   struct declaration_document **out, char *err, size_t errlen)
{
	struct where w = { source, type, err, errlen };
	struct declaration_document *d;
	json_t *root;

	*out = NULL;
	if ((root = load(&w, json, len)) == NULL)
		return -1;
	d = calloc(1, sizeof(*d));
	if (d == NULL) {
		json_decref(root);
		return nomem(&w);
	}
	if (read_document(&w, type, root, d) != 0) {
		declaration_document_free(d);
		json_decref(root);
		return -1;
	}
	json_decref(root);
	*out = d;
	return 0;
}

int
declaration_parse_service(const char *json, size_t len, const char *source,
			  struct declaration_service **out, char *err, size_t errlen)
{
	struct where w = { source, NULL, err, errlen };
	struct declaration_service *s = NULL;
	json_t *root, *terms = NULL, *v;
	const char *k;
	int rc = -1;

	*out = NULL;
	if ((root = load(&w, json, len)) == NULL)
		return -1;
	if (!json_is_object(root)) {
		decl_error(&w, "a declaration must be an object");
		goto out;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		nomem(&w);
		goto out;
	}
	json_object_foreach(root, k, v) {
		if (strcmp(k, "name") == 0) {
			if (!json_is_string(v) || json_string_length(v) == 0) {
				decl_error(&w, "'name' must be a non-empty string");
				goto out;
			}
			if ((s->name = strdup(json_string_value(v))) == NULL) {
				nomem(&w);
				goto out;
			}
		} else if (strcmp(k, "terms") == 0 || strcmp(k, "documents") == 0) {
			if (terms != NULL || !json_is_object(v)) {
				decl_error(&w, "'%s' must be one object of documents", k);
				goto out;
			}
			terms = v;
		} else if (strcmp(k, "importedFrom") != 0) {
			decl_error(&w, "unknown key '%s'", k);
			goto out;
		}
	}
	if (s->name == NULL || terms == NULL) {
		decl_error(&w, "a service declaration needs 'name' and 'terms'");
		goto out;
	}
	s->documents = calloc(json_object_size(terms) + 1, sizeof(*s->documents));
	if (s->documents == NULL) {
		nomem(&w);
		goto out;
	}
	json_object_foreach(terms, k, v) {
		w.type = k;
		s->ndocuments++;
		if (read_document(&w, k, v, &s->documents[s->ndocuments - 1]) != 0)
			goto out;
	}
	*out = s;
	s = NULL;
	rc = 0;
out:
	declaration_service_free(s);
	json_decref(root);
	return rc;
}

const struct declaration_document *
declaration_find(const struct declaration_service *s, const char *type)
{
	size_t i;

	for (i = 0; i < s->ndocuments; i++)
		if (strcasecmp(s->documents[i].type, type) == 0)
			return &s->documents[i];
	return NULL;
}

char *
declaration_kind_for_type(const char *type)
{
	static const struct {
		const char *type, *kind;
	} known[] = {
		{ "Terms of Service", "terms" },
		{ "Privacy Policy", "privacy" },
		{ "Acceptable Use Policy", "usage-policy" },
		{ "Commercial Terms", "commercial-terms" },
	};
	size_t i, n = 0;
	char *kind;
	int dash = 0;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcasecmp(type, known[i].type) == 0)
			return strdup(known[i].kind);
	kind = malloc(strlen(type) + 1);
	if (kind == NULL)
		return NULL;
	for (; *type != '\0'; type++) {
		unsigned char c = (unsigned char)*type;

		if (isalnum(c)) {
			if (dash && n > 0)
				kind[n++] = '-';
			kind[n++] = (char)tolower(c);
			dash = 0;
		} else {
			dash = 1;
		}
	}
	kind[n] = '\0';
	return kind;
}
