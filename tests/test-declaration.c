/*
 * test-declaration: Open Terms Archive declarations read from the corpus
 * and from small cases: combine, ranges, OTA's built-in filter, and every
 * refusal naming the file, the document and the feature.
 */

#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "declaration.h"
#include "testutil.h"

static struct declaration_service *
corpus_service(const char *file)
{
	struct declaration_service *s = NULL;
	char *path, *json, err[512];
	size_t len;

	path = test_path(test_shared_dir(), "corpus/declarations");
	{
		char *full = test_path(path, file);

		json = test_read_file(full, &len);
		free(full);
	}
	free(path);
	if (json == NULL)
		fail_msg("cannot read corpus declaration %s (CLAUSE_SHARED?)", file);
	if (declaration_parse_service(json, len, file, &s, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	free(json);
	return s;
}

static void
refused(const char *json, const char *want)
{
	struct declaration_service *s = NULL;
	char err[512];

	if (declaration_parse_service(json, strlen(json), "x.json", &s, err, sizeof(err)) == 0)
		fail_msg("accepted: %s", json);
	assert_null(s);
	if (strcmp(err, want) != 0)
		fail_msg("error '%s', want '%s'", err, want);
}

static void
test_corpus_service(void **state)
{
	struct declaration_service *s = corpus_service("claude-ai.json");
	const struct declaration_document *tos, *pp, *aup;

	(void)state;
	assert_string_equal(s->name, "Claude.ai");
	assert_int_equal(s->ndocuments, 8);
	tos = declaration_find(s, "Terms of Service");
	assert_non_null(tos);
	assert_int_equal(tos->npages, 1);
	assert_string_equal(tos->pages[0].url, "https://www.anthropic.com/legal/consumer-terms");
	assert_int_equal(tos->pages[0].nselect, 1);
	assert_string_equal(tos->pages[0].select[0].css, "main");
	assert_string_equal(tos->json, "{\"fetch\":\"https://www.anthropic.com/legal/consumer-terms\","
			    "\"select\":[\"main\"]}");
	/* combine: the entry's select applies to pages that give none. */
	pp = declaration_find(s, "Privacy Policy");
	assert_int_equal(pp->npages, 2);
	assert_string_equal(pp->pages[1].url,
			    "https://www.anthropic.com/legal/non-user-privacy-policy");
	assert_int_equal(pp->pages[1].nselect, 1);
	assert_string_equal(pp->pages[1].select[0].css, "main");
	/* A page's own select and remove replace the entry's. */
	aup = declaration_find(s, "Acceptable Use Policy");
	assert_int_equal(aup->npages, 3);
	assert_string_equal(aup->pages[1].select[0].css, ".article");
	assert_int_equal(aup->pages[1].nremove, 2);
	assert_string_equal(aup->pages[1].remove[1].css, ".related_articles");
	assert_int_equal(aup->pages[0].nremove, 0);
	/* executeClientScripts is kept for the importer to warn about. */
	assert_true(declaration_find(s, "Data Processor Agreement")->pages[1]
		    .execute_client_scripts);
	assert_false(tos->pages[0].execute_client_scripts);
	declaration_service_free(s);
}

static void
test_corpus_older_and_filters(void **state)
{
	struct declaration_service *s = corpus_service("openai.json");
	const struct declaration_document *d;

	(void)state;
	/* The older "documents" key. */
	assert_string_equal(s->name, "OpenAI");
	assert_non_null(declaration_find(s, "Privacy Policy"));
	declaration_service_free(s);
	/* OTA's built-in filter, as google.json's Privacy Policy has it. */
	{
		const char *json = "{\"fetch\":\"https://policies.google.com/privacy\","
				   "\"filter\":[{\"removeQueryParams\":[\"utm_source\","
				   "\"utm_medium\",\"utm_campaign\"]}],\"select\":"
				   "\"div[role=article]\",\"remove\":\".KMMDve, img[src$='.svg']\"}";
		struct declaration_document *doc = NULL;
		char err[512];

		if (declaration_parse_document(json, strlen(json), "google.json", "Privacy Policy",
					       &doc, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		d = doc;
		assert_int_equal(d->pages[0].nremove_query_params, 3);
		assert_string_equal(d->pages[0].remove_query_params[2], "utm_campaign");
		assert_string_equal(d->pages[0].remove[0].css, ".KMMDve, img[src$='.svg']");
		declaration_document_free(doc);
	}
}

static void
test_corpus_filter_refused(void **state)
{
	struct declaration_service *s = NULL;
	char *dir = test_path(test_shared_dir(), "corpus/declarations");
	char *path = test_path(dir, "claude-ai.genai-eu.json"), *json, err[512];
	size_t len;

	(void)state;
	json = test_read_file(path, &len);
	assert_non_null(json);
	assert_int_equal(declaration_parse_service(json, len, "claude-ai.genai-eu.json", &s, err,
						   sizeof(err)), -1);
	assert_string_equal(err, "claude-ai.genai-eu.json: document 'Privacy Policy': 'filter' is "
			    "not supported");
	free(json);
	free(path);
	free(dir);
}

static void
test_every_corpus_declaration(void **state)
{
	/* Every current declaration of the corpus parses, or is refused for a
	 * JavaScript filter and nothing else. */
	static const char *const files[] = {
		"airbnb.json", "bluesky.json", "chatgpt.json", "chatgpt.genai-eu.json",
		"deepseek.json", "github.json", "grok.json", "le-chat.json", "meta-ai.json",
		"microsoft-copilot.json", "perplexity.json", "qwen-chat.json", "spotify.json",
		"vibe.json", "x.json", "youtube.json", "wikipedia.json", "reddit.json",
	};
	char *dir = test_path(test_shared_dir(), "corpus/declarations");
	size_t i, parsed = 0;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct declaration_service *s = NULL;
		char *path = test_path(dir, files[i]), *json, err[512];
		size_t len;

		json = test_read_file(path, &len);
		assert_non_null(json);
		if (declaration_parse_service(json, len, files[i], &s, err, sizeof(err)) == 0)
			parsed++;
		else if (strstr(err, "'filter' is not supported") == NULL)
			fail_msg("%s", err);
		declaration_service_free(s);
		free(json);
		free(path);
	}
	assert_true(parsed >= 10);
	free(dir);
}

static void
test_ranges_and_entries(void **state)
{
	const char *json = "{\"fetch\":\"https://e.example/t\",\"select\":{\"startBefore\":\"#a\","
			   "\"endAfter\":\"#b\"},\"remove\":[\".x\",{\"startAfter\":\"h2\","
			   "\"endBefore\":\"h3\"}]}";
	struct declaration_document *d = NULL;
	char err[512];

	(void)state;
	assert_int_equal(declaration_parse_document(json, strlen(json), "t.json", "Imprint", &d,
						    err, sizeof(err)), 0);
	assert_string_equal(d->type, "Imprint");
	assert_int_equal(d->pages[0].nselect, 1);
	assert_null(d->pages[0].select[0].css);
	assert_string_equal(d->pages[0].select[0].range.start_before, "#a");
	assert_string_equal(d->pages[0].select[0].range.end_after, "#b");
	assert_null(d->pages[0].select[0].range.start_after);
	assert_int_equal(d->pages[0].nremove, 2);
	assert_string_equal(d->pages[0].remove[1].range.start_after, "h2");
	declaration_document_free(d);
	declaration_document_free(NULL);
	declaration_service_free(NULL);
}

static void
test_refusals(void **state)
{
	size_t big = DECLARATION_MAX_SIZE + 1;
	char *huge = malloc(big + 1);
	struct declaration_service *svc = NULL;
	char err[512];

	(void)state;
	/* Larger than any declaration: refused before it is parsed. */
	assert_non_null(huge);
	memset(huge, ' ', big);
	huge[0] = '{';
	huge[big - 1] = '}';
	huge[big] = '\0';
	assert_int_equal(declaration_parse_service(huge, big, "huge.json", &svc, err, sizeof(err)),
			 -1);
	assert_null(svc);
	assert_non_null(strstr(err, "huge.json"));
	assert_non_null(strstr(err, "larger than"));
	free(huge);
	refused("{\"name\":\"S\",\"terms\":{\"Terms of Service\":{\"fetch\":\"https://e.example/\","
		"\"select\":\"main\",\"filter\":[\"cleanUp\"]}}}",
		"x.json: document 'Terms of Service': 'filter' is not supported");
	refused("{\"name\":\"S\",\"terms\":{\"Privacy Policy\":{\"fetch\":\"https://e.example/\","
		"\"selct\":\"main\"}}}",
		"x.json: document 'Privacy Policy': unknown key 'selct'");
	refused("{\"name\":\"S\",\"terms\":{\"T\":{\"fetch\":\"ftp://e.example/\"}}}",
		"x.json: document 'T': fetch 'ftp://e.example/' is not an http or https URL");
	refused("{\"name\":\"S\",\"terms\":{\"T\":{\"fetch\":\"https://e.example/\","
		"\"select\":\"a:hover\"}}}",
		"x.json: document 'T': select: unsupported pseudo-class ':hover' in selector "
		"'a:hover'");
	refused("{\"name\":\"S\",\"terms\":{\"T\":{\"fetch\":\"https://e.example/\","
		"\"select\":{\"startBefore\":\"h1\"}}}}",
		"x.json: document 'T': select: a range needs one of endBefore and endAfter");
	refused("{\"name\":\"S\",\"terms\":{\"T\":{\"combine\":[{\"select\":\"main\"}]}}}",
		"x.json: document 'T': an item of 'combine' has no 'fetch'");
	refused("{\"name\":\"S\",\"terms\":{\"T\":{\"select\":\"main\"}}}",
		"x.json: document 'T': no 'fetch' and no 'combine'");
	refused("{\"name\":\"S\",\"terms\":{\"T\":{\"fetch\":\"https://e.example/\","
		"\"select\":[]}}}", "x.json: document 'T': 'select' is empty");
	refused("{\"name\":\"S\",\"terms\":{},\"owner\":\"me\"}", "x.json: unknown key 'owner'");
	refused("{\"terms\":{}}", "x.json: a service declaration needs 'name' and 'terms'");
	refused("[1]", "x.json: a declaration must be an object");
	refused("{\"name\":", "x.json: line 1: unexpected token near end of file");
}

static void
test_kind_for_type(void **state)
{
	static const char *const pairs[][2] = {
		{ "Terms of Service", "terms" },
		{ "Privacy Policy", "privacy" },
		{ "Acceptable Use Policy", "usage-policy" },
		{ "Commercial Terms", "commercial-terms" },
		{ "Trackers Policy", "trackers-policy" },
		{ "In-App Purchases Policy", "in-app-purchases-policy" },
		{ "  Odd -- name!", "odd-name" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		char *kind = declaration_kind_for_type(pairs[i][0]);

		assert_string_equal(kind, pairs[i][1]);
		free(kind);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_service),
		cmocka_unit_test(test_corpus_older_and_filters),
		cmocka_unit_test(test_corpus_filter_refused),
		cmocka_unit_test(test_every_corpus_declaration),
		cmocka_unit_test(test_ranges_and_entries),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_kind_for_type),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
