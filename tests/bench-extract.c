/*
 * bench-extract: extraction throughput over the corpus's HTML snapshots.
 *
 * Every snapshot is read into memory, then extracted N times with its
 * declaration's rules (the first page that extracts; "body" when no
 * declaration applies), and the MB/s printed beside the baseline measured
 * in the same run over the same bytes: libxml2's HTML parse alone
 * (htmlReadMemory and xmlFreeDoc).  Target: at least 30 MB/s.
 */

#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <libxml/HTMLparser.h>

#include "declaration.h"
#include "extract.h"

#define ROUNDS 5

struct page {
	char *name;
	char *html;
	size_t len;
	struct declaration_document *doc;	/* One page: the rules to use. */
};

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0) {
		if (fp != NULL)
			fclose(fp);
		return NULL;
	}
	rewind(fp);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* The entry of service's document (by OTA's slug) in its declaration. */
static struct declaration_document *
find_rules(const char *shared, const char *service, const char *document)
{
	static const char *const suffixes[] = { ".genai-eu.json", ".json" };
	struct declaration_document *d = NULL;
	size_t s;

	for (s = 0; s < 2 && d == NULL; s++) {
		char path[4096], slug[256], err[512], *entry;
		json_t *root, *v;
		const char *k, *c;
		size_t n;

		snprintf(path, sizeof(path), "%s/corpus/declarations/%s%s", shared, service,
			 suffixes[s]);
		root = json_load_file(path, 0, NULL);
		json_object_foreach(json_object_get(root, "terms"), k, v) {
			for (n = 0, c = k; *c != '\0' && n + 2 < sizeof(slug); c++)
				if (isalnum((unsigned char)*c))
					slug[n++] = (char)tolower((unsigned char)*c);
				else if (n > 0 && slug[n - 1] != '-')
					slug[n++] = '-';
			slug[n] = '\0';
			if (strcmp(slug, document) != 0)
				continue;
			entry = json_dumps(v, JSON_COMPACT);
			if (entry != NULL && declaration_parse_document(entry, strlen(entry), path, k,
									&d, err, sizeof(err)) != 0)
				d = NULL;
			free(entry);
		}
		json_decref(root);
	}
	return d;
}

/* Keep the first page of d whose rules extract html; else use "body". */
static struct declaration_document *
choose_page(struct declaration_document *d, const char *html, size_t len)
{
	const char *body = "{\"fetch\":\"https://example.com/\",\"select\":\"body\"}";
	struct declaration_document *fallback = NULL;
	char err[512], *text;
	size_t p;

	for (p = 0; d != NULL && p < d->npages; p++) {
		struct declaration_document one = *d;
		struct extract_input in = { html, len, "text/html", NULL };

		one.pages = &d->pages[p];
		one.npages = 1;
		if (extract_document(&one, &in, &text, err, sizeof(err)) == 0) {
			free(text);
			if (p > 0) {
				struct declaration_page tmp = d->pages[0];

				d->pages[0] = d->pages[p];
				d->pages[p] = tmp;
			}
			return d;
		}
	}
	declaration_document_free(d);
	if (declaration_parse_document(body, strlen(body), "bench", "body", &fallback, err,
				       sizeof(err)) != 0)
		return NULL;
	return fallback;
}

int
main(void)
{
	const char *shared = getenv("CLAUSE_SHARED");
	struct page *pages = NULL;
	size_t npages = 0, total = 0, i, r, with_rules = 0;
	char dir[4096];
	struct dirent *e;
	double t0, parse_s, extract_s;
	DIR *dp;

	if (shared == NULL)
		shared = "../shared";
	snprintf(dir, sizeof(dir), "%s/corpus/html", shared);
	if ((dp = opendir(dir)) == NULL) {
		fprintf(stderr, "bench-extract: cannot open '%s'\n", dir);
		return 1;
	}
	while ((e = readdir(dp)) != NULL) {
		char path[8192], service[256], document[256], *sep;
		struct page *grown, *pg;
		size_t n;

		if ((sep = strstr(e->d_name, "__")) == NULL || strstr(e->d_name, ".html") == NULL)
			continue;
		grown = realloc(pages, (npages + 1) * sizeof(*pages));
		if (grown == NULL)
			return 1;
		pages = grown;
		pg = &pages[npages];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		pg->html = read_file(path, &pg->len);
		if (pg->html == NULL) {
			fprintf(stderr, "bench-extract: cannot read '%s'\n", path);
			return 1;
		}
		snprintf(service, sizeof(service), "%.*s", (int)(sep - e->d_name), e->d_name);
		n = strlen(sep + 2) - 5;
		snprintf(document, sizeof(document), "%.*s", (int)n, sep + 2);
		pg->doc = find_rules(shared, service, document);
		if (pg->doc != NULL)
			with_rules++;
		pg->doc = choose_page(pg->doc, pg->html, pg->len);
		if (pg->doc == NULL)
			return 1;
		pg->name = strdup(e->d_name);
		total += pg->len;
		npages++;
	}
	closedir(dp);

	t0 = now();
	for (r = 0; r < ROUNDS; r++)
		for (i = 0; i < npages; i++)
			xmlFreeDoc(htmlReadMemory(pages[i].html, (int)pages[i].len, NULL, NULL,
						  HTML_PARSE_NONET | HTML_PARSE_NOERROR
						  | HTML_PARSE_NOWARNING));
	parse_s = now() - t0;

	t0 = now();
	for (r = 0; r < ROUNDS; r++)
		for (i = 0; i < npages; i++) {
			struct declaration_document one = *pages[i].doc;
			struct extract_input in = { pages[i].html, pages[i].len, "text/html", NULL };
			char *text, err[512];

			one.npages = 1;
			if (extract_document(&one, &in, &text, err, sizeof(err)) == 0)
				free(text);
		}
	extract_s = now() - t0;

	printf("extract: %zu HTML pages, %.1f MB (%zu with their declaration's rules, the rest "
	       "'body'), %d rounds\n", npages, (double)total / 1e6, with_rules, ROUNDS);
	printf("extract: %.1f MB/s (target 30); libxml2's parse alone %.1f MB/s; extraction "
	       "takes %.2fx the parse's time\n", (double)total * ROUNDS / 1e6 / extract_s,
	       (double)total * ROUNDS / 1e6 / parse_s, extract_s / parse_s);
	for (i = 0; i < npages; i++) {
		declaration_document_free(pages[i].doc);
		free(pages[i].html);
		free(pages[i].name);
	}
	free(pages);
	return 0;
}
