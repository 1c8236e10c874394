/*
 * test-classify: the rules language (prefixes, alternatives, gaps, weights,
 * vetoes, and the errors that name the file and the pattern), the embedded
 * rules on real passages of the corpus and on CLAUDETTE's lower-cased form
 * of them, and classifying the store: curated provisions are never
 * replaced or duplicated by a classified one, every classified excerpt is
 * verbatim in its version, and classifying again is a no-op.
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
#include <sqlite3.h>

#include "assets.h"
#include "classify.h"
#include "dataset.h"
#include "rules.h"
#include "segment.h"
#include "store.h"
#include "testutil.h"

static struct rules *
parse(const char *json)
{
	char err[256];
	struct rules *r = rules_parse("rules/test.json", json, strlen(json), err, sizeof(err));

	if (r == NULL)
		fail_msg("rules: %s", err);
	return r;
}

/* Whether text is given kind 0 of r. */
static int
given(const struct rules *r, const char *text, double *score)
{
	struct rules_match m;
	int n;

	assert_int_equal(rules_match_init(r, &m), 0);
	n = rules_match(r, text, strlen(text), &m);
	assert_true(n >= 0);
	n = m.given[0];
	if (score != NULL)
		*score = m.score[0];
	rules_match_free(&m);
	return n;
}

static void
test_pattern_language(void **state)
{
	struct rules *r = parse("{ \"kind\": \"arbitration\", \"headline\": \"h\","
				" \"severity\": \"high\", \"threshold\": 1.0, \"rules\": ["
				" { \"match\": \"binding arbitrat*\", \"weight\": 1.0 },"
				" { \"match\": \"resolve|settle ~3 arbitration\", \"weight\": 0.6 },"
				" { \"match\": \"court\", \"weight\": 0.5 } ],"
				" \"unless\": [ \"opt out\" ] }");
	double score;

	(void)state;
	assert_int_equal(rules_nkinds(r), 1);
	assert_string_equal(rules_kind(r, 0), "arbitration");
	/* Case, punctuation, Markdown and link targets do not matter. */
	assert_true(given(r, "Disputes go to **Binding** [arbitration](https://x.test/binding).",
			  &score));
	assert_true(score == 1.0);
	assert_true(given(r, "disputes go to binding arbitrators .", NULL));
	/* A gap of up to three words, not four; two weights add up. */
	assert_false(given(r, "We resolve it by arbitration.", &score));
	assert_true(score == 0.6);
	assert_true(given(r, "We resolve it by arbitration or in court.", &score));
	assert_true(score == 1.1);
	assert_false(given(r, "We resolve it by some means of arbitration or in court.", &score));
	/* Each pattern counts once; "unless" vetoes. */
	assert_false(given(r, "court court court", &score));
	assert_true(score == 0.5);
	assert_false(given(r, "Binding arbitration, unless you opt-out.", NULL));
	/* A prefix never matches a shorter word; a word inside a URL is not read. */
	assert_false(given(r, "binding arbitra", NULL));
	assert_false(given(r, "see https://binding.test/arbitration now", NULL));
	rules_free(r);
}

static void
test_rules_errors_name_file_and_pattern(void **state)
{
	static const struct {
		const char *json;
		const char *message;
	} cases[] = {
		{ "{ \"kind\": \"k\", \"headline\": \"h\", \"severity\": \"high\","
		  " \"rules\": [ { \"match\": \"Binding\", \"weight\": 1 } ] }",
		  "rules/bad.json: pattern 'Binding': 'Binding' is not lower-case letters and digits" },
		{ "{ \"kind\": \"k\", \"headline\": \"h\", \"severity\": \"high\","
		  " \"rules\": [ { \"match\": \"a ~3\", \"weight\": 1 } ] }",
		  "rules/bad.json: pattern 'a ~3' ends with a gap" },
		{ "{ \"kind\": \"k\", \"headline\": \"h\", \"severity\": \"high\","
		  " \"rules\": [ { \"match\": \"a ~99 b\", \"weight\": 1 } ] }",
		  "rules/bad.json: pattern 'a ~99 b': '~99' must be ~1 to ~30 between two words" },
		{ "{ \"kind\": \"k\", \"headline\": \"h\", \"severity\": \"dire\","
		  " \"rules\": [ { \"match\": \"a\", \"weight\": 1 } ] }",
		  "rules/bad.json: unknown severity 'dire'" },
		{ "{ \"kind\": \"k\", \"headline\": \"h\", \"severity\": \"low\", \"rules\": [] }",
		  "rules/bad.json: 'rules' must be a non-empty array" },
		{ "{ \"kind\": \"k\" ", "rules/bad.json: line 1: " },
	};
	static const struct {
		const char *json;
		const char *message;
	} headings[] = {
		{ "{ \"clause_words\": \"is|are\" }",
		  "rules/headings.json: 'words' must be a whole number from 1 to 100" },
		{ "{ \"words\": 0, \"clause_words\": \"is\" }",
		  "rules/headings.json: 'words' must be a whole number from 1 to 100" },
		{ "{ \"words\": 12, \"clause_words\": \"is are\" }",
		  "rules/headings.json: 'clause_words' must be words joined by '|'" },
		{ "{ \"words\": 12, \"clause_words\": \"is|Are\" }",
		  "rules/headings.json: pattern 'is|Are': 'Are' is not lower-case letters and digits" },
		{ "{ \"words\": 12, \"clause_words\": \"is||are\" }",
		  "rules/headings.json: pattern 'is||are': empty word" },
	};
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		assert_null(rules_parse("rules/bad.json", cases[i].json, strlen(cases[i].json), err,
					sizeof(err)));
		if (strncmp(err, cases[i].message, strlen(cases[i].message)) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, err, cases[i].message);
	}
	for (i = 0; i < sizeof(headings) / sizeof(headings[0]); i++) {
		err[0] = '\0';
		assert_null(rules_parse("rules/headings.json", headings[i].json,
					strlen(headings[i].json), err, sizeof(err)));
		if (strcmp(err, headings[i].message) != 0)
			fail_msg("headings case %zu: got '%s', want '%s'", i, err,
				 headings[i].message);
	}
}

/* A heading names a kind without being a clause of it: it scores, and is
 * given nothing.  What makes a heading: few words, none a clause word. */
static void
test_headings_are_given_no_kind(void **state)
{
	static const struct {
		const char *text;
		int heading;
	} cases[] = {
		{ "BINDING ARBITRATION AND CLASS ACTION WAIVER", 1 },
		{ "20.3 Binding arbitration and class action waiver for United States accounts.", 1 },
		{ "(d) Binding arbitration of all disputes; no class relief.", 1 },
		/* A verb makes it a clause. */
		{ "All disputes will be resolved by binding arbitration.", 0 },
		/* Thirteen words are more than a heading has. */
		{ "Binding arbitration of all disputes and claims, without class relief, in "
		  "Delaware alone.", 0 },
	};
	char err[512];
	struct classifier *c = classifier_open(err, sizeof(err));
	long arbitration;
	size_t i;

	(void)state;
	if (c == NULL)
		fail_msg("%s", err);
	arbitration = rules_find_kind(classifier_rules(c), "arbitration");
	assert_true(arbitration >= 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rules_match *m;

		assert_true(classifier_passage(c, cases[i].text, strlen(cases[i].text), &m) >= 0);
		if (m->heading != cases[i].heading)
			fail_msg("'%s' is%s read as a heading", cases[i].text,
				 m->heading ? "" : " not");
		/* Each scores as arbitration; only the clauses are given it. */
		assert_true(m->score[arbitration]
			    >= rules_threshold(classifier_rules(c), (size_t)arbitration));
		assert_int_equal(m->given[arbitration], !cases[i].heading);
	}
	classifier_close(c);
}

/* Every kind the rules name is in the taxonomy, and every kind of the
 * taxonomy has rules. */
static void
test_embedded_rules_cover_the_taxonomy(void **state)
{
	char err[512];
	struct dataset *ds = dataset_parse(assets_table(), err, sizeof(err));
	struct classifier *c = classifier_open(err, sizeof(err));
	const struct rules *r;
	size_t i;

	(void)state;
	assert_non_null(ds);
	if (c == NULL)
		fail_msg("%s", err);
	r = classifier_rules(c);
	assert_int_equal(rules_nkinds(r), ds->nkinds);
	for (i = 0; i < ds->nkinds; i++)
		if (rules_find_kind(r, ds->kinds[i].slug) < 0)
			fail_msg("no rules for kind '%s'", ds->kinds[i].slug);
	classifier_close(c);
	dataset_free(ds);
}

/* Lower-case text and put spaces around punctuation, as CLAUDETTE does. */
static void
claudette_form(const char *in, char *out, size_t size)
{
	size_t n = 0;

	for (; *in != '\0' && n + 4 < size; in++) {
		unsigned char ch = (unsigned char)*in;

		if (ch == ',' || ch == '.' || ch == ';' || ch == '(' || ch == ')') {
			out[n++] = ' ';
			out[n++] = (char)ch;
			out[n++] = ' ';
		} else {
			out[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
		}
	}
	out[n] = '\0';
}

/* The passage of corpus file (under $CLAUSE_SHARED/corpus/versions) that
 * holds words, as the segmenter cuts it; the test fails when none does. */
static char *
corpus_passage(const char *file, const char *words)
{
	struct segment_list list = { 0 };
	char err[512], path[4096], *text, *p = NULL;
	size_t len, j;

	snprintf(path, sizeof(path), "%s/corpus/versions/%s", test_shared_dir(), file);
	if ((text = test_read_file(path, &len)) == NULL)
		fail_msg("cannot read '%s'", path);
	if (segment_text(text, len, &list, err, sizeof(err)) != 0)
		fail_msg("%s: %s", path, err);
	for (j = 0; j < list.n && p == NULL; j++) {
		const char *start = text + list.items[j].start;

		if (memmem(start, list.items[j].len, words, strlen(words)) != NULL) {
			p = strndup(start, list.items[j].len);
			assert_non_null(p);
		}
	}
	segment_list_free(&list);
	free(text);
	if (p == NULL)
		fail_msg("no passage of '%s' holds '%s'", path, words);
	return p;
}

/* A passage of a real document, found by words it holds, and a kind it
 * must or must not be given. */
struct corpus_case {
	const char *file;	/* Under $CLAUSE_SHARED/corpus/versions. */
	const char *words;
	const char *kind;
};

/* Check each case in the text's own form and in CLAUDETTE's (lower-cased,
 * punctuation spaced out): the passage is given the kind, or not. */
static void
check_corpus_cases(const struct corpus_case *cases, size_t n, int given)
{
	char err[512];
	struct classifier *c = classifier_open(err, sizeof(err));
	size_t i;

	if (c == NULL)
		fail_msg("%s", err);
	for (i = 0; i < n; i++) {
		const struct rules_match *m;
		long k = rules_find_kind(classifier_rules(c), cases[i].kind);
		char *p = corpus_passage(cases[i].file, cases[i].words), lower[4096];

		assert_true(k >= 0);
		assert_true(classifier_passage(c, p, strlen(p), &m) >= 0);
		if (m->given[k] != given)
			fail_msg("'%s' is %sgiven %s (score %.2f): %s", cases[i].words,
				 given ? "not " : "", cases[i].kind, m->score[k], p);
		claudette_form(p, lower, sizeof(lower));
		assert_true(classifier_passage(c, lower, strlen(lower), &m) >= 0);
		if (m->given[k] != given)
			fail_msg("lower-cased '%s' is %sgiven %s", cases[i].words,
				 given ? "not " : "", cases[i].kind);
		free(p);
	}
	classifier_close(c);
}

/* Each kind's rules on a real passage of a real document: the passage of
 * the corpus file that holds the words is given the kind. */
static void
test_kinds_on_corpus_passages(void **state)
{
	static const struct corpus_case cases[] = {
		{ "discord/terms-of-service/2026-04-08.md",
		  "you and Discord agree that to the extent", "jurisdiction" },
		{ "discord/terms-of-service/2026-04-08.md", "You will indemnify and hold Discord",
		  "indemnification" },
		{ "discord/terms-of-service/2026-04-08.md", "at least 13 years old",
		  "age-requirements" },
		{ "discord/terms-of-service/2026-04-08.md", "but you give us a license",
		  "content-licence" },
		{ "discord/terms-of-service/2026-04-08.md",
		  "We are not liable for any such outages", "limitation-of-liability" },
		{ "discord/privacy-policy/2026-04-08.md", "We don’t sell your personal information",
		  "data-sharing-and-sale" },
		{ "discord/privacy-policy/2026-04-08.md", "may receive information from cookies",
		  "cookies-and-tracking" },
		{ "discord/privacy-policy/2026-04-08.md",
		  "may disclose information in response to a request", "law-enforcement-access" },
		{ "llama-api/privacy-policy/2026-07-07.md",
		  "If you request that we delete your account or content", "account-deletion" },
		{ "snapchat/privacy-policy/2026-08-05.md", "to personalise, target and measure ads",
		  "advertising" },
		{ "vimeo/terms-of-service/2024-07-08.md",
		  "WILL BE RESOLVED BY BINDING, INDIVIDUAL ARBITRATION", "arbitration" },
		{ "cursor/privacy-policy/2025-06-30.md",
		  "does not make decisions based solely on automated processing",
		  "automated-decisions" },
		{ "openai/privacy-policy/2023-12-15.md",
		  "does not knowingly collect Personal Information from children", "children" },
		{ "xai/terms-of-service/2025-02-14.md",
		  "governed by the internal substantive laws of the State of California",
		  "choice-of-law" },
		{ "openai/terms-of-service/2024-02-10.md",
		  "Disputes must be brought on an individual basis only", "class-action-waiver" },
		{ "tinder/terms-of-service/2026-03-06.md",
		  "we have the right to remove, delete, edit, limit, or block", "content-removal" },
		{ "x/terms-of-service/2026-04-11.md",
		  "By continuing to access or use the Services after those revisions",
		  "contract-by-using" },
		{ "chatgpt/business-privacy-policy/2026-08-22.md",
		  "Any deleted conversations are removed from our systems within 30 days",
		  "conversation-retention" },
		{ "firefox/privacy-policy/2026-05-04.md",
		  "We only retain your personal data for as long as necessary", "data-retention" },
		{ "steam/terms-of-service/2026-04-21.md",
		  "Valve is free to use the feedback or suggestions", "feedback-licence" },
		{ "chatgpt/terms-of-service/2026-07-25.md",
		  "We use automated systems and human review to identify and address content",
		  "human-review-of-conversations" },
		{ "linkedin/privacy-policy/2026-08-22.md",
		  "LinkedIn may transfer personal data outside of the Designated Countries",
		  "international-transfers" },
		{ "perplexity/developer-terms/2026-08-15.md",
		  "retains all ownership rights in Input and (ii) owns all Output",
		  "output-ownership" },
		{ "lovable/privacy-policy/2026-08-06.md",
		  "does not intentionally collect special-category or sensitive Personal Data",
		  "sensitive-data" },
		{ "lovable/terms-of-service/2026-08-06.md",
		  "We may use your Customer Data to develop and train artificial intelligence",
		  "training-on-user-content" },
		{ "cursor/privacy-policy/2025-06-30.md",
		  "We do not use Inputs or Suggestions to train our models unless",
		  "training-opt-out-exceptions" },
		{ "perplexity/terms-of-service/2026-08-20.md",
		  "We may modify these Terms from time to time", "unilateral-change" },
		{ "cloudflare/terms-of-service/2025-10-03.md",
		  "terminate your user account or Suspend or terminate your use or access",
		  "unilateral-termination" },
		{ "replit/privacy-policy/2025-12-10.md",
		  "You may request access to the information we maintain about you",
		  "user-rights" },
		/* Each of these two needs a pattern once written with phrases
		 * for alternatives ("changes ~6 effective|come into force",
		 * "data portability|portability"), which never matched. */
		{ "booking-com/terms-of-service/2026-06-25.md",
		  "We may make changes to these Terms. Where such changes are material",
		  "unilateral-change" },
		{ "claude-ai/privacy-policy/2026-08-22.md",
		  "You have the right to request portability of your data", "user-rights" },
		/* A reminder to review the terms; a transfer to countries
		 * without "an adequate level of data protection". */
		{ "wetransfer/terms-of-service/2026-08-04.md",
		  "review the Terms regularly, and to check the Service", "unilateral-change" },
		{ "github-copilot/privacy-policy/2026-04-27.md",
		  "not recognized as having an adequate level of data protection",
		  "international-transfers" },
		/* Eight words between "use" and "constitutes". */
		{ "stack-overflow/terms-of-service/2025-11-17.md",
		  "Your access to or use of the Services or public Network following such",
		  "contract-by-using" },
	};

	(void)state;
	check_corpus_cases(cases, sizeof(cases) / sizeof(cases[0]), 1);
}

/* Passages of real documents that name a kind's words without being that
 * kind of clause: each was given the kind before its rules learnt better. */
static void
test_kinds_not_given_on_corpus_passages(void **state)
{
	static const struct corpus_case cases[] = {
		/* A survival list names the limitation of liability. */
		{ "bumble/terms-of-service/2026-06-18.md", "which by their nature should survive",
		  "limitation-of-liability" },
		/* Severability: "declared ... unenforceable by a court of a
		 * competent jurisdiction" chooses no court. */
		{ "bumble/terms-of-service/2026-06-18.md",
		  "declared illegal, invalid or otherwise unenforceable by a court",
		  "jurisdiction" },
		/* Consent to e-mail "by using the Service" is not agreeing to
		 * the terms by using it. */
		{ "cursor/terms-of-service/2025-09-18.md",
		  "you consent to receiving certain electronic communications",
		  "contract-by-using" },
		/* "... in our sole discretion. If we cancel an order": an order
		 * declined is no account ended. */
		{ "perplexity/terms-of-service/2026-08-20.md",
		  "Once we receive your order for an Offering", "unilateral-termination" },
	};

	(void)state;
	check_corpus_cases(cases, sizeof(cases) / sizeof(cases[0]), 0);
}

/* The store's provisions, as rows to compare. */
struct row {
	long long id;
	char *key;
	char *kind;
	char *origin;
	char *excerpt;
	long long document;
	long long last_version;
};

static size_t
read_rows(const char *db_path, struct row **rows)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	size_t n = 0;

	*rows = NULL;
	assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT p.id, coalesce(p.key, ''), t.slug, p.origin, p.excerpt,"
					    " p.document_id, coalesce(p.last_version, 0)"
					    " FROM provision p JOIN provision_type t ON t.id = p.type_id"
					    " ORDER BY p.id", -1, &stmt, NULL), SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		struct row *r;

		*rows = realloc(*rows, (n + 1) * sizeof(**rows));
		assert_non_null(*rows);
		r = &(*rows)[n++];
		r->id = sqlite3_column_int64(stmt, 0);
		r->key = strdup((const char *)sqlite3_column_text(stmt, 1));
		r->kind = strdup((const char *)sqlite3_column_text(stmt, 2));
		r->origin = strdup((const char *)sqlite3_column_text(stmt, 3));
		r->excerpt = strdup((const char *)sqlite3_column_text(stmt, 4));
		r->document = sqlite3_column_int64(stmt, 5);
		r->last_version = sqlite3_column_int64(stmt, 6);
	}
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return n;
}

static void
free_rows(struct row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(rows[i].key);
		free(rows[i].kind);
		free(rows[i].origin);
		free(rows[i].excerpt);
	}
	free(rows);
}

struct version_text {
	int64_t id;
	char *text;
};

static int
keep_text(const struct store_version *v, void *ctx)
{
	struct version_text *vt = ctx;

	if (v->id == vt->id)
		vt->text = strdup(v->text);
	return 0;
}

/* The embedded dataset loaded and classified: curated rows untouched,
 * classified rows verbatim, one per document and kind at most, none where
 * the document has a curated one; again, nothing changes; a new version
 * is classified anew. */
static void
test_store_classification(void **state)
{
	char err[512], *dir = test_tmpdir(), *db = test_path(dir, "t.db");
	struct dataset *ds = dataset_parse(assets_table(), err, sizeof(err));
	struct store *st;
	struct row *before, *after, *again;
	size_t nbefore, nafter, nagain, i, j, curated = 0, classified = 0;
	int64_t version;
	int total;

	(void)state;
	assert_non_null(ds);
	st = store_open(db, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(store_load_dataset(st, ds, "test"), STORE_OK);
	nbefore = read_rows(db, &before);
	if (classify_all_documents(st, err, sizeof(err)) != 0)
		fail_msg("classify: %s", err);
	nafter = read_rows(db, &after);

	/* The curated rows are the same rows, in the same order, unchanged. */
	for (i = 0; i < nafter; i++) {
		if (strcmp(after[i].origin, "curated") != 0)
			continue;
		assert_true(curated < nbefore);
		assert_int_equal(after[i].id, before[curated].id);
		assert_string_equal(after[i].key, before[curated].key);
		assert_string_equal(after[i].excerpt, before[curated].excerpt);
		curated++;
	}
	assert_int_equal(curated, nbefore);
	for (i = 0; i < nafter; i++) {
		struct version_text vt = { .id = after[i].last_version };

		if (strcmp(after[i].origin, "classified") != 0)
			continue;
		classified++;
		assert_int_equal(strncmp(after[i].key, "classified:", 11), 0);
		/* Verbatim in the version it cites (the dataset's own check). */
		assert_int_equal(store_each_version(st, after[i].document, 1, keep_text, &vt),
				 STORE_OK);
		assert_non_null(vt.text);
		assert_non_null(strstr(vt.text, after[i].excerpt));
		assert_true(dataset_excerpt_in_text(after[i].excerpt, vt.text));
		free(vt.text);
		/* None where the document has a curated one of the kind, and one
		 * per document and kind. */
		for (j = 0; j < nafter; j++) {
			if (j == i || after[j].document != after[i].document
			    || strcmp(after[j].kind, after[i].kind) != 0)
				continue;
			fail_msg("document %lld has two provisions of %s (%s and %s)",
				 after[i].document, after[i].kind, after[i].origin, after[j].origin);
		}
	}
	assert_true(classified > 100);

	/* The total the browser shows, kept by triggers, counts them all. */
	assert_int_equal(store_count_provisions(st, &total), STORE_OK);
	assert_int_equal((size_t)total, nafter);

	/* Again: nothing to do, nothing changes. */
	if (classify_all_documents(st, err, sizeof(err)) != 0)
		fail_msg("classify: %s", err);
	nagain = read_rows(db, &again);
	assert_int_equal(nagain, nafter);
	for (i = 0; i < nagain; i++)
		assert_int_equal(again[i].id, after[i].id);
	free_rows(again, nagain);

	/* A new version of a document: its classified provisions now cite it;
	 * the same excerpt keeps its row. */
	for (i = 0; i < nafter && strcmp(after[i].origin, "classified") != 0; i++)
		;
	assert_true(i < nafter);
	{
		struct version_text vt = { .id = after[i].last_version };
		char *text;
		size_t size;

		assert_int_equal(store_each_version(st, after[i].document, 1, keep_text, &vt),
				 STORE_OK);
		size = strlen(vt.text) + 64;

		text = malloc(size);
		assert_non_null(text);
		snprintf(text, size, "%s\n\nA new last paragraph.\n", vt.text);
		assert_int_equal(store_add_version(st, after[i].document, "2099-01-01T00:00:00Z",
						   "fetched", "f00d", text, &version, NULL), STORE_OK);
		if (classify_document(st, NULL, after[i].document, err, sizeof(err)) != 0)
			fail_msg("classify: %s", err);
		free(text);
		free(vt.text);
	}
	nagain = read_rows(db, &again);
	for (j = 0; j < nagain; j++)
		if (again[j].id == after[i].id)
			break;
	assert_true(j < nagain);
	assert_int_equal(again[j].last_version, version);
	assert_string_equal(again[j].excerpt, after[i].excerpt);
	free_rows(again, nagain);

	free_rows(before, nbefore);
	free_rows(after, nafter);
	store_close(st);
	dataset_free(ds);
	free(db);
	test_rmdir(dir);
}

/* Which documents a start classifies: none when every one was classified
 * under the stamp and no version came since; the one with a new version;
 * every one under a new stamp; and a version added while a start worked
 * is not lost to the record it makes afterwards. */
static void
test_pending_documents(void **state)
{
	char err[512], *dir = test_tmpdir(), *db = test_path(dir, "t.db");
	struct dataset *ds = dataset_parse(assets_table(), err, sizeof(err));
	struct store *st;
	int64_t *ids, generation, version, document;
	size_t n, all;

	(void)state;
	assert_non_null(ds);
	st = store_open(db, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(store_load_dataset(st, ds, "test"), STORE_OK);
	assert_int_equal(store_classify_pending(st, "other rules", &ids, &all, &generation),
			 STORE_OK);
	assert_true(all > 20);
	assert_true(generation > 0);	/* The dataset's versions. */
	document = ids[all - 1];
	free(ids);
	if (classify_all_documents(st, err, sizeof(err)) != 0)
		fail_msg("classify: %s", err);
	assert_int_equal(store_classify_pending(st, assets_digest(), &ids, &n, &generation),
			 STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(generation, -1);
	free(ids);

	/* A new version: that document alone. */
	assert_int_equal(store_add_version(st, document, "2099-01-01T00:00:00Z", "fetched",
					   "f00d", "A text.\n\nWe may end your account.\n",
					   &version, NULL), STORE_OK);
	assert_int_equal(store_classify_pending(st, assets_digest(), &ids, &n, &generation),
			 STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], document);
	assert_true(generation > 0);
	free(ids);

	/* Another version arrives after the list was read: the record made
	 * with the generation read before it does not hide it. */
	assert_int_equal(store_add_version(st, document, "2099-01-02T00:00:00Z", "fetched",
					   "beef", "A text.\n\nWe may end your account at once.\n",
					   &version, NULL), STORE_OK);
	assert_int_equal(store_classify_all_done(st, assets_digest(), generation), STORE_OK);
	assert_int_equal(store_classify_pending(st, assets_digest(), &ids, &n, &generation),
			 STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], document);
	free(ids);
	if (classify_all_documents(st, err, sizeof(err)) != 0)
		fail_msg("classify: %s", err);
	assert_int_equal(store_classify_pending(st, assets_digest(), &ids, &n, &generation),
			 STORE_OK);
	assert_int_equal(n, 0);
	free(ids);

	/* New rules: every document again. */
	assert_int_equal(store_classify_pending(st, "newer rules", &ids, &n, &generation),
			 STORE_OK);
	assert_int_equal(n, all);
	free(ids);

	store_close(st);
	dataset_free(ds);
	free(db);
	test_rmdir(dir);
}

/* A document that has a curated provision of a kind gets none classified
 * of it, even when its text has the kind's words. */
static void
test_curated_kind_is_never_classified(void **state)
{
	char err[512], *dir = test_tmpdir(), *db = test_path(dir, "t.db");
	const char *text = "You and Example agree that all disputes will be resolved by binding "
			   "arbitration before the American Arbitration Association, and not in "
			   "court.\n\nThese terms are governed by the laws of the State of "
			   "California, without regard to its conflict of laws rules.\n";
	struct store *st;
	struct store_provision_in in = { 0 };
	struct row *rows;
	int64_t platform, document, version;
	size_t n, i, arbitration = 0, law = 0;

	(void)state;
	st = store_open(db, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(store_put_type(st, "arbitration", "Arbitration", "", "", NULL), STORE_OK);
	assert_int_equal(store_put_type(st, "choice-of-law", "Governing law", "", "", NULL),
			 STORE_OK);
	assert_int_equal(store_put_platform(st, "example", "Example", "", "", "", &platform),
			 STORE_OK);
	assert_int_equal(store_put_document(st, platform, "terms", "Terms", "https://e.test", NULL,
					    &document), STORE_OK);
	assert_int_equal(store_add_version(st, document, "2026-01-01T00:00:00Z", "fetched", "aa",
					   text, &version, NULL), STORE_OK);
	in.key = "example/terms/arbitration";
	in.document_id = document;
	in.kind = "arbitration";
	in.excerpt = "all disputes will be resolved by binding arbitration";
	in.headline = "Curated";
	in.severity = "high";
	in.status = "current";
	in.origin = "curated";
	in.first_version = in.last_version = version;
	assert_int_equal(store_put_provision(st, &in, NULL), STORE_OK);
	if (classify_document(st, NULL, document, err, sizeof(err)) != 0)
		fail_msg("classify: %s", err);
	n = read_rows(db, &rows);
	for (i = 0; i < n; i++) {
		if (strcmp(rows[i].kind, "arbitration") == 0) {
			arbitration++;
			assert_string_equal(rows[i].origin, "curated");
			assert_string_equal(rows[i].key, "example/terms/arbitration");
		}
		if (strcmp(rows[i].kind, "choice-of-law") == 0) {
			law++;
			assert_string_equal(rows[i].origin, "classified");
			assert_non_null(strstr(rows[i].excerpt, "governed by the laws"));
		}
	}
	assert_int_equal(arbitration, 1);
	assert_int_equal(law, 1);
	free_rows(rows, n);
	store_close(st);
	free(db);
	test_rmdir(dir);
}

/* clause classify - : one JSON object a line, in input order. */
static void
test_classify_stdin(void **state)
{
	char *dir = test_tmpdir(), *in = test_path(dir, "in.txt"), cmd[8192], line[1024];
	const char *bin = getenv("CLAUSE_BIN");
	FILE *fp;
	int n = 0;

	(void)state;
	assert_non_null(bin);
	fp = fopen(in, "w");
	assert_non_null(fp);
	fputs("these terms shall be governed by the laws of sweden .\n"
	      "Hello there.\n"
	      "\n"
	      "We may terminate your account at any time, for any reason, without notice.\n",
	      fp);
	fclose(fp);
	snprintf(cmd, sizeof(cmd), "'%s' classify - < '%s'", bin, in);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		switch (n++) {
		case 0:
			assert_string_equal(line, "{\"kinds\":[\"choice-of-law\"]}\n");
			break;
		case 1:
		case 2:
			assert_string_equal(line, "{\"kinds\":[]}\n");
			break;
		case 3:
			assert_non_null(strstr(line, "\"unilateral-termination\""));
			break;
		}
	}
	assert_int_equal(pclose(fp), 0);
	assert_int_equal(n, 4);
	free(in);
	test_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pattern_language),
		cmocka_unit_test(test_rules_errors_name_file_and_pattern),
		cmocka_unit_test(test_headings_are_given_no_kind),
		cmocka_unit_test(test_embedded_rules_cover_the_taxonomy),
		cmocka_unit_test(test_kinds_on_corpus_passages),
		cmocka_unit_test(test_kinds_not_given_on_corpus_passages),
		cmocka_unit_test(test_store_classification),
		cmocka_unit_test(test_pending_documents),
		cmocka_unit_test(test_curated_kind_is_never_classified),
		cmocka_unit_test(test_classify_stdin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
