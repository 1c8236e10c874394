/*
 * declaration: Open Terms Archive declarations, read and checked.
 *
 * A service declaration names a service and, for each of its documents
 * (keyed by OTA's terms type, "Terms of Service"), where to fetch it and
 * what to keep of the page:
 *
 *   {"name": "Claude.ai", "terms": {"Terms of Service": {
 *       "fetch": "https://...", "select": ["main"], "remove": [".nav"]}}}
 *
 * A document is one page ({fetch, select, remove, ...}) or several joined
 * in order ({combine: [{fetch, ...}, ...], select, remove, ...}: the
 * entry's own select, remove and executeClientScripts apply to every page
 * that does not give its own).  select and remove are a CSS selector, a
 * range object ({startBefore|startAfter, endBefore|endAfter}) or an array
 * of these.  Every selector is checked here (selector.h), so that a
 * declaration that parses can be extracted.
 *
 * Refused, with a one-line error naming the input, the document and the
 * feature: OTA's JavaScript filters ('filter' naming functions), unknown
 * keys, selectors outside the subset, fetch URLs that are not http(s).
 * Accepted: executeClientScripts (recorded: clause never runs scripts, so
 * the caller may warn), and OTA's built-in filter {"removeQueryParams":
 * [...]}, which strips those query parameters from the links of the text.
 * The older top-level key "documents" is read as "terms".  History files
 * (*.history.json) have another shape: callers skip them.
 */
#ifndef CLAUSE_DECLARATION_H
#define CLAUSE_DECLARATION_H

#include <stddef.h>

/* The largest declaration file read, in bytes. */
#define DECLARATION_MAX_SIZE (1024 * 1024)

struct declaration_range {	/* A select/remove item that is a range object. */
	char *start_before, *start_after;	/* CSS; exactly one is set. */
	char *end_before, *end_after;		/* CSS; exactly one is set. */
};

struct declaration_selector {	/* One item of a select or remove list. */
	char *css;			/* A CSS selector list, or NULL for a range. */
	struct declaration_range range;	/* When css is NULL. */
};

struct declaration_page {
	char *url;			/* "fetch": an http or https URL. */
	struct declaration_selector *select;	/* None: the whole body. */
	size_t nselect;
	struct declaration_selector *remove;
	size_t nremove;
	int execute_client_scripts;	/* OTA would run the page's scripts; clause does not. */
	char **remove_query_params;	/* Query parameters to strip from links. */
	size_t nremove_query_params;
};

struct declaration_document {
	char *type;			/* OTA terms type: "Terms of Service". */
	struct declaration_page *pages;	/* 1, or n with combine, in order. */
	size_t npages;
	char *json;			/* This document's entry, as compact JSON, to store. */
};

struct declaration_service {
	char *name;
	struct declaration_document *documents;	/* In the declaration's order. */
	size_t ndocuments;
};

/* Parse a whole service declaration ({name, terms: {TYPE: {...}}}) of len
 * bytes.  source names the input in errors (a file name).  Returns 0 with
 * *out set (free it with declaration_service_free), or -1 with a one-line
 * error in err ("claude-ai.json: document 'Privacy Policy': 'filter' is
 * not supported"). */
int declaration_parse_service(const char *json, size_t len, const char *source,
			      struct declaration_service **out, char *err, size_t errlen);

/* Parse one document's entry ({fetch, select, remove} or {combine: [...],
 * select, ...}) as declaration_parse_service does; type is its terms type
 * (copied into the result; NULL for none). */
int declaration_parse_document(const char *json, size_t len, const char *source,
			       const char *type, struct declaration_document **out,
			       char *err, size_t errlen);

/* The document of a service with the given terms type, or NULL. */
const struct declaration_document *declaration_find(const struct declaration_service *s,
						    const char *type);

/* Free a parsed declaration; NULL is a no-op. */
void declaration_service_free(struct declaration_service *s);
void declaration_document_free(struct declaration_document *d);

/* clause's document kind for an OTA terms type: "Terms of Service" ->
 * "terms", "Privacy Policy" -> "privacy", "Acceptable Use Policy" ->
 * "usage-policy", "Commercial Terms" -> "commercial-terms", any other ->
 * lower case with dashes for runs of other characters ("Trackers Policy"
 * -> "trackers-policy").  malloc'd; NULL when out of memory. */
char *declaration_kind_for_type(const char *type);

#endif
